/**
 * The program's reach index (src/model/reach.ts, wired in src/engine/engine.ts): a file that no resource type can
 * reach — through its imports (other project files, packages, ambient modules, JSDoc `import()` types), the global
 * names it mentions, or a user kind it declares — is skipped before the pre-screen. Every file below that can hold
 * a socket must be reached (and its problem reported); the ones that cannot are skipped.
 *
 * SOCKET_CLOSE_STRICT is off here (as in prescreen.test.ts): under it, an unreachable file is screened and
 * analysed anyway, and a screen that finds a resource type in it is an error.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Linter } from 'eslint';
import { lintJsWithPlugin, lintWithPlugin, screenedLint, ts, withoutStrictMode, type ScreenOutcome } from './rule-tester';

const dir = path.join(__dirname, 'fixtures-reach');

withoutStrictMode();

type Outcome = Pick<ScreenOutcome, 'unreachable' | 'messages'>;

function counted(lint: () => Linter.LintMessage[]): Outcome {
  const { unreachable, messages } = screenedLint(lint);
  return { unreachable, messages };
}

const lintTs = (code: string, settings?: Record<string, unknown>): Outcome => counted(() => lintWithPlugin(code, { dir, settings }));

const lintJs = (code: string): Outcome => counted(() => lintJsWithPlugin(code, dir));

const none: Outcome['messages'] = [];

describe('files no resource type reaches are skipped', () => {
  it('a file importing functions of `fs`, `util` and a project module that imports only those', () => {
    const out = lintTs(ts`
      import { size, sleep } from './plain';
      import { promisify } from 'node:util';
      import * as path from 'node:path';
      export async function f(p: string): Promise<number> {
        await sleep(1);
        const stat = promisify((cb: () => void) => cb());
        await stat();
        return size(path.join(p, 'x'));
      }
    `);
    expect(out).toEqual({ unreachable: true, messages: none });
  });

  it('a namespace member that does not reach (`NodeJS.Timeout`), a global that does not (`setTimeout`)', () => {
    const out = lintTs(ts`
      let timer: NodeJS.Timeout | undefined;
      export function arm(): void {
        timer = setTimeout(() => undefined, 10);
        sharedCounter += 1;
      }
      export function disarm(): void {
        if (timer) clearTimeout(timer);
      }
    `);
    expect(out).toEqual({ unreachable: true, messages: none });
  });

  it('a module bound to one name, of which only members that do not reach are read (`http.STATUS_CODES`)', () => {
    expect(lintTs(ts`
      import * as http from 'node:http';
      export const ok = http.STATUS_CODES[200];
    `)).toEqual({ unreachable: true, messages: none });
    expect(lintTs(ts`
      import http from 'node:http';
      export const ok = http.STATUS_CODES[200];
    `)).toEqual({ unreachable: true, messages: none });
    expect(lintJs(ts`
      const node_http_1 = __importDefault(require('node:http'));
      module.exports = node_http_1.default.STATUS_CODES;
    `)).toEqual({ unreachable: true, messages: none });
  });

  it('an ambient module of the project that hands out no socket', () => {
    const out = lintTs(ts`
      import { pad } from 'legacy-util';
      export const label = pad('x', 4);
    `);
    expect(out).toEqual({ unreachable: true, messages: none });
  });

  it('a global that reaches (`process`) read only through members that do not (`env`, `nextTick`, `platform`)', () => {
    const out = lintTs(ts`
      // The process of the worker: see process.md. A method named process and typeof process do not count.
      export class Queue {
        process(job: string): void {
          if (typeof process !== 'undefined' && process?.platform !== 'win32') process.nextTick(() => job);
        }
      }
      export const home = process.env.HOME;
      export const fields = { process: 1 };
    `);
    expect(out).toEqual({ unreachable: true, messages: none });
    expect(lintJs(ts`
      /* the parent process */
      module.exports = function later(cb) {
        process
          .nextTick(cb);
        return process.env['DEBUG'];
      };
    `)).toEqual({ unreachable: true, messages: none });
  });

  it('a module declaring its own class named like a global that reaches (`WebSocket`)', () => {
    expect(lintTs(ts`
      export class WebSocket {
        send(data: string): string {
          return data;
        }
      }
      export const open = (): WebSocket => new WebSocket();
    `)).toEqual({ unreachable: true, messages: none });
    // The global itself, named in a module that declares no such class, reaches.
    expect(lintTs(ts`
      export const open = (url: string): WebSocket => new WebSocket(url);
    `).unreachable).toBe(false);
  });

  it('JavaScript requiring a JSON file (its words are data, not names)', () => {
    expect(lintJs(ts`
      const meta = require('./meta.json');
      module.exports = () => meta.version;
    `)).toEqual({ unreachable: true, messages: none });
  });

  it('JavaScript requiring `path` and destructuring `util`', () => {
    const out = lintJs(ts`
      const path = require('path');
      const { format } = require('util');
      module.exports = (a, b) => format('%s', path.join(a, b));
    `);
    expect(out).toEqual({ unreachable: true, messages: none });
  });
  it('the global object read only through members that do not reach (`globalThis.setImmediate`, `global.Promise`)', () => {
    expect(lintJs(ts`
      const later = globalThis.setImmediate || ((fn) => setTimeout(fn, 0));
      const P = global.Promise;
      module.exports = (cb) => new P((resolve) => later(() => resolve(cb())));
    `)).toEqual({ unreachable: true, messages: none });
  });

  it('names a Node module does not export (newer Node functions its types lack: \`any\`)', () => {
    expect(lintJs(ts`
      const { websocketMask, websocketUnmask } = require('http');
      module.exports = (b, m) => (websocketMask ? websocketMask(b, m) : websocketUnmask(b, m));
    `)).toEqual({ unreachable: true, messages: none });
    expect(lintTs(ts`
      // @ts-expect-error: not in these typings
      import { websocketMask } from 'node:http';
      export const mask = (b: Buffer): unknown => websocketMask(b);
    `)).toEqual({ unreachable: true, messages: none });
  });
});

describe('every file that can hold a socket is reached', () => {
  it('through a project factory that imports `net`', () => {
    const out = lintTs(ts`
      import { dial } from './wrapper';
      export function f(): void {
        const s = dial(80);
        s.write('x');
      }
    `);
    expect(out).toEqual({ unreachable: false, messages: [['socket-close/no-leak', 'leak', 3]] });
  });

  it('through a re-export of that factory', () => {
    const out = lintTs(ts`
      import { open } from './reexport';
      export function f(): void {
        const s = open(80);
        s.write('x');
      }
    `);
    expect(out).toEqual({ unreachable: false, messages: [['socket-close/no-leak', 'leak', 3]] });
  });

  it('through a name a module re-exports from its own imports (`import connect from …; export { connect }`)', () => {
    const out = lintTs(ts`
      import { connect } from 'named-reexport';
      export function f(): void {
        const s = connect(80);
        s.write('x');
      }
    `);
    expect(out).toEqual({ unreachable: false, messages: [['socket-close/no-leak', 'leak', 3]] });
  });

  it('through an ambient module the project declares', () => {
    const out = lintTs(ts`
      import { open } from 'legacy-conn';
      export function f(): void {
        const s = open(80);
        s.write('x');
      }
    `);
    expect(out).toEqual({ unreachable: false, messages: [['socket-close/no-leak', 'leak', 3]] });
  });

  it('through a global function the project declares (no import at all)', () => {
    const out = lintTs(ts`
      export function f(): void {
        const s = openShared(80);
        s.write('x');
      }
    `);
    expect(out).toEqual({ unreachable: false, messages: [['socket-close/no-leak', 'leak', 2]] });
  });

  it('through a global of Node (`process.stdin` is a socket)', () => {
    const out = lintTs(ts`
      export function f(): void {
        const input = process.stdin;
        input.destroy();
        input.read();
      }
    `);
    expect(out.unreachable).toBe(false);
  });

  it('through `process` used otherwise than by a member that does not reach', () => {
    // A member whose declaration reaches: `process.on('message', (m, handle) => …)` hands out a net.Socket.
    expect(lintTs(ts`
      export function f(): void {
        process.on('message', (_m, handle) => handle);
      }
    `).unreachable).toBe(false);
    // Destructured, passed on, or named in a JSDoc type: the whole declaration counts.
    expect(lintTs(ts`
      const { stdin } = process;
      export const input = stdin;
    `).unreachable).toBe(false);
    expect(lintTs(ts`
      export const p = [process];
    `).unreachable).toBe(false);
    expect(lintJs(ts`
      /** @param {typeof process} p */
      module.exports = function f(p) { return p.env; };
    `).unreachable).toBe(false);
  });

  it('through a namespace member that reaches (`NodeJS.Process`), with no import', () => {
    const out = lintTs(ts`
      export function f(p: NodeJS.Process): void {
        const input = p.stdin;
        input.destroy();
        input.read();
      }
    `);
    expect(out.unreachable).toBe(false);
  });

  it('through the global object', () => {
    const out = lintTs(ts`
      export function f(): void {
        const input = globalThis.process.stdin;
        input.destroy();
      }
    `);
    expect(out.unreachable).toBe(false);
    // A member of the global object that is a socket class; the global object passed on whole.
    expect(lintJs(ts`
      module.exports = (url) => new globalThis.WebSocket(url);
    `).unreachable).toBe(false);
    expect(lintJs(ts`
      const g = globalThis;
      module.exports = (url) => new g.WebSocket(url);
    `).unreachable).toBe(false);
    expect(lintJs(ts`
      module.exports = (k) => globalThis[k];
    `).unreachable).toBe(false);
  });

  it('through a name a Node module exports, beside one it does not', () => {
    expect(lintJs(ts`
      const { websocketMask, request } = require('http');
      module.exports = (b) => (websocketMask ? websocketMask(b) : request('http://127.0.0.1/'));
    `).unreachable).toBe(false);
  });

  it('through a JSDoc `import()` type in JavaScript', () => {
    const out = lintJs(ts`
      /** @param {import('net').Socket} s */
      function f(s) {
        s.destroy();
        s.write('x');
      }
      module.exports = { f };
    `);
    expect(out).toEqual({ unreachable: false, messages: [['socket-close/no-use-after-close', 'useAfterRelease', 4]] });
  });

  it('through a Node module function that returns a socket (`http.request` gives a request with a socket)', () => {
    const out = lintTs(ts`
      import { request } from 'node:http';
      export function f(): void {
        const req = request('http://127.0.0.1/');
        req.end();
      }
    `);
    expect(out.unreachable).toBe(false);
  });

  it('through a member of a module bound to one name, or the module passed on whole', () => {
    expect(lintTs(ts`
      import * as net from 'node:net';
      export const ok = net.isIP('127.0.0.1') > 0 ? net.connect(80, '127.0.0.1') : undefined;
    `).unreachable).toBe(false);
    expect(lintTs(ts`
      import http from 'node:http';
      export const req = http.request('http://127.0.0.1/');
    `).unreachable).toBe(false);
    expect(lintTs(ts`
      import * as http from 'node:http';
      export const modules = [http];
    `).unreachable).toBe(false);
    expect(lintJs(ts`
      const node_net_1 = __importDefault(require('node:net'));
      module.exports = () => node_net_1.default.connect(80, '127.0.0.1');
    `).unreachable).toBe(false);
  });

  it('through a user kind declared in a file that imports nothing', () => {
    const settings = { 'socket-close': { resources: [{ type: { from: 'file', name: 'Pipe' }, name: 'Pipe', release: ['shut'], uses: ['send'] }] } };
    const code = ts`
      import { openPipe } from './pipe';
      export function f(): void {
        const p = openPipe();
        p.send('x');
      }
    `;
    expect(lintTs(code, settings)).toEqual({ unreachable: false, messages: [['socket-close/no-leak', 'leak', 3]] });
    // Without the setting, nothing reaches that file.
    expect(lintTs(code)).toEqual({ unreachable: true, messages: none });
  });
});
