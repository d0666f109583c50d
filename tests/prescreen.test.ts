/**
 * The per-file pre-screen (FileModel.hasCandidate, wired in src/engine/engine.ts): a file in which neither analysis
 * has a candidate records no code paths and is not analysed. It must be sound: every file below that has a problem
 * is let through and reported, whatever makes it a candidate — a factory in another file of the project (declared
 * return type, or a promise of a socket), a kind declared in the settings, a parameter or a field typed as a socket
 * (no creation in the file at all), a class that is a socket, JavaScript without annotations — and a file with
 * nothing is skipped.
 *
 * This file turns SOCKET_CLOSE_STRICT off: under it (the rest of the suite, the fuzzer) a screened-out file is
 * analysed anyway and a finding in it is an error, so there the skip itself never runs.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Linter } from 'eslint';
import { fixturesDir as typedFixturesDir, lintJsWithPlugin, lintWithPlugin, screenedLint, ts, withoutStrictMode, type ScreenOutcome } from './rule-tester';

const dir = path.join(__dirname, 'fixtures-prescreen');
const noTypesDir = path.join(__dirname, 'fixtures-no-types');

withoutStrictMode();

const pipeSettings = {
  'socket-close': {
    resources: [{ type: { from: 'file', name: 'Pipe' }, name: 'Pipe', release: ['shut'], uses: ['send'] }],
  },
};

type Outcome = Pick<ScreenOutcome, 'skipped' | 'messages'>;

function counted(lint: () => Linter.LintMessage[]): Outcome {
  const { skipped, messages } = screenedLint(lint);
  return { skipped, messages };
}

const lintTs = (code: string, settings?: Record<string, unknown>): Outcome => counted(() => lintWithPlugin(code, { dir, settings }));

const lintJs = (code: string): Outcome => counted(() => lintJsWithPlugin(code, dir));

describe('files without a candidate are skipped', () => {
  it('skips a file of arithmetic, strings, classes and calls that return no socket', () => {
    const out = lintTs(ts`
      import { readFileSync } from 'node:fs';
      export class Counter {
        n = 0;
        label: string = 'c';
        bump(by: number): number {
          this.n += by;
          return this.n;
        }
      }
      export function total(xs: number[]): number {
        const c = new Counter();
        for (const x of xs) c.bump(x);
        return c.n + readFileSync('/dev/null', 'utf8').length;
      }
    `);
    expect(out).toEqual({ skipped: true, messages: [] });
  });

  it('skips JavaScript without sockets', () => {
    const out = lintJs(ts`
      const path = require('path');
      function join(a, b) {
        return path.join(a, b).split('/').map((s) => s.trim());
      }
      module.exports = { join };
    `);
    expect(out).toEqual({ skipped: true, messages: [] });
  });

  it('skips a file whose only socket names are type-only imports and uninitialised lets', () => {
    const out = lintTs(ts`
      import type { Socket } from 'node:net';
      import { type Server } from 'node:net';
      export function describe(n: number): string {
        let label;
        label = n > 1 ? 'many' : 'one';
        return String(label);
      }
      export type Pair = [Socket, Server];
    `);
    expect(out).toEqual({ skipped: true, messages: [] });
  });

  it('skips a file whose sockets are only used: nothing there can release one, run later or test one for closed', () => {
    // A socket parameter, but no release, listener, timer, liveness test or settling call: no-use-after-close has
    // nothing to report, so the screen does not ask the kinds of the file's variables.
    const out = lintTs(ts`
      import type { Socket } from 'node:net';
      export function greet(s: Socket, name: string): void {
        s.setNoDelay(true);
        s.write('hello ' + name);
      }
    `);
    expect(out).toEqual({ skipped: true, messages: [] });
  });

  it('still reports missing types on a skipped file (every socket is `any` there)', () => {
    const out = counted(() => lintWithPlugin(ts`
      import * as net from 'node:net';
      export function f(): void {
        const s = net.connect(80, '127.0.0.1');
        s.write('x');
      }
    `, { dir: noTypesDir }));
    expect(out.skipped).toBe(true);
    expect(out.messages).toEqual([['socket-close/no-leak', 'missingTypes', 1]]);
  });

  it('two configurations sharing a program do not share a screen: the settings kind counts only where declared', () => {
    const code = ts`
      import { openPipe } from './factory';
      export function f(): void {
        const p = openPipe();
        p.send('x');
      }
    `;
    expect(lintTs(code)).toEqual({ skipped: true, messages: [] });
    expect(lintTs(code, pipeSettings)).toEqual({ skipped: false, messages: [['socket-close/no-leak', 'leak', 3]] });
    expect(lintTs(code)).toEqual({ skipped: true, messages: [] });
  });
});

describe('every file with a problem is let through and reported', () => {
  it('a socket from a factory in another file (declared return type)', () => {
    const out = lintTs(ts`
      import { makeLink } from './factory';
      export function f(): void {
        const s = makeLink(80);
        s.write('x');
      }
    `);
    expect(out).toEqual({ skipped: false, messages: [['socket-close/no-leak', 'leak', 3]] });
  });

  it('a socket awaited from a factory in another file (a promise of a socket)', () => {
    const out = lintTs(ts`
      import { linkLater } from './factory';
      export async function f(): Promise<void> {
        const s = await linkLater(80);
        s.write('x');
      }
    `);
    expect(out).toEqual({ skipped: false, messages: [['socket-close/no-leak', 'leak', 3]] });
  });

  it('a kind declared in the settings, created by a factory in another file', () => {
    const out = lintTs(ts`
      import { openPipe } from './factory';
      export function f(): void {
        const p = openPipe();
        p.shut();
        p.send('x');
      }
    `, pipeSettings);
    expect(out).toEqual({ skipped: false, messages: [['socket-close/no-use-after-close', 'useAfterRelease', 5]] });
  });

  it('a parameter typed as a socket, with no creation in the file', () => {
    const out = lintTs(ts`
      import type { Socket } from 'node:net';
      export function f(s: Socket): void {
        s.destroy();
        s.write('x');
      }
    `);
    expect(out).toEqual({ skipped: false, messages: [['socket-close/no-use-after-close', 'useAfterRelease', 4]] });
  });

  it('a socket used by a timer, with no release in the file (the peer may close it)', () => {
    const out = lintTs(ts`
      import type { Socket } from 'node:net';
      export function keepAlive(s: Socket): void {
        setInterval(() => {
          s.write('ping\n');
        }, 1000);
      }
    `);
    expect(out).toEqual({ skipped: false, messages: [['socket-close/no-use-after-close', 'deferredUse', 4]] });
  });

  it('a socket used after a settling call that does not return, with no release in the file', () => {
    const out = lintTs(ts`
      import type { Socket } from 'node:net';
      export function send(s: Socket, x: string, alive: boolean): Promise<void> {
        return new Promise((resolve, reject) => {
          if (!alive) reject(new Error('dead'));
          s.write(x);
          resolve();
        });
      }
    `);
    expect(out).toEqual({ skipped: false, messages: [['socket-close/no-use-after-close', 'useAfterRelease', 5]] });
  });

  it('a parameter of a settings kind, with no creation in the file', () => {
    const out = lintTs(ts`
      import type { Pipe } from './factory';
      export function f(p: Pipe): void {
        p.shut();
        p.send('x');
      }
    `, pipeSettings);
    expect(out).toEqual({ skipped: false, messages: [['socket-close/no-use-after-close', 'useAfterRelease', 4]] });
  });

  it('a field typed as a socket (a constructor parameter property), with no creation in the file', () => {
    const out = lintTs(ts`
      import type { Socket } from 'node:net';
      export class Peer {
        constructor(private readonly sock: Socket) {}
        stop(): void {
          this.sock.destroy();
          this.sock.write('bye');
        }
      }
    `);
    expect(out).toEqual({ skipped: false, messages: [['socket-close/no-use-after-close', 'useAfterRelease', 6]] });
  });

  it('a class that is a socket', () => {
    const out = lintTs(ts`
      import * as net from 'node:net';
      class Framed extends net.Socket {}
      export function f(): void {
        const s = new Framed();
        s.connect(80, '127.0.0.1');
      }
    `);
    expect(out).toEqual({ skipped: false, messages: [['socket-close/no-leak', 'leak', 4]] });
  });

  it('JavaScript without annotations (require)', () => {
    const out = lintJs(ts`
      const net = require('net');
      function f() {
        const s = net.connect(80, '127.0.0.1');
        s.write('x');
      }
      module.exports = { f };
    `);
    expect(out).toEqual({ skipped: false, messages: [['socket-close/no-leak', 'leak', 3]] });
  });

  it('the default fixtures project gives the same answer (a socket created here)', () => {
    const out = counted(() => lintWithPlugin(ts`
      import * as net from 'node:net';
      export function f(): void {
        const s = net.connect(80, '127.0.0.1');
        s.write('x');
      }
    `, { dir: typedFixturesDir }));
    expect(out).toEqual({ skipped: false, messages: [['socket-close/no-leak', 'leak', 3]] });
  });
});
