/**
 * RuleTester tables for `socket-close/no-use-after-close`, written from the semantics of issue 3 (one block
 * per bullet, valid and invalid cases for each). Every snippet is type-checked against @types/node and
 * @types/ws by tests/types-present.test.ts.
 *
 * Snippets are written with the `ts` tag below: the common indentation is removed and line 1 is the first
 * non-empty line, so the `line`/`column` of every expected error can be read off the snippet directly.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import * as tsParser from '@typescript-eslint/parser';
import { TSESLint } from '@typescript-eslint/utils';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { createRuleTester, fixturesDir, ts } from '../rule-tester';
import rule from '../../src/rules/no-use-after-close';


const doubleOn = [{ reportDoubleRelease: true }] as const;
const unrelatedOn = [{ checkUnrelatedListeners: true }] as const;

createRuleTester().run('no-use-after-close', rule, {
  valid: [
    ts`
      import * as net from 'node:net';
      export function heartbeat(s: net.Socket): void {
        const t = setInterval(() => s.write('ping\n'), 1000);
        s.on('close', () => clearInterval(t));
        s.on('data', (d) => {
          if (String(d) === 'bye') s.end();
        });
      }
    `,
    // Lead: after destroy()/terminate() a socket emits nothing but 'close': its own listeners cannot run later.
    ts`
      import * as net from 'node:net';
      export class Client {
        private readonly sock: net.Socket;
        constructor(port: number) {
          this.sock = net.connect(port, '127.0.0.1');
          this.sock.once('connect', () => {
            this.sock.write('HELLO\n');
          });
        }
        close(): void {
          this.sock.destroy();
        }
      }
    `,
    ts`
      import WebSocket from 'ws';
      export class Feed {
        private readonly ws: WebSocket;
        constructor(url: string) {
          this.ws = new WebSocket(url);
          this.ws.once('open', () => {
            this.ws.send('subscribe');
          });
        }
        dispose(): void {
          this.ws.terminate();
        }
      }
    `,
    // ── Tracked values of every origin, used before release ─────────────────────────────────────────
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket): void {
        s.write('hello');
        s.end();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(): void {
        const s = net.connect(80, '127.0.0.1');
        s.write('hello');
        s.end('bye');
      }
    `,
    ts`
      import * as net from 'node:net';
      export class Session {
        constructor(private readonly sock: net.Socket) {}
        send(msg: string): void {
          this.sock.write(msg);
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export function serve(): net.Server {
        return net.createServer((conn) => {
          conn.write('hello\n');
          conn.end();
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export function closeIt(s: net.Socket): void {
        s.end();
      }
      export function useIt(s: net.Socket): void {
        s.write('independent function');
      }
    `,

    // ── Some path: the releasing branch does not reach the use ──────────────────────────────────────
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket, done: boolean): void {
        if (done) {
          s.end();
        } else {
          s.write('more');
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket, done: boolean): void {
        if (done) {
          s.end();
          return;
        }
        s.write('more');
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket, mode: string): void {
        switch (mode) {
          case 'close':
            s.destroy();
            return;
          default:
            break;
        }
        s.write('still open');
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket, msgs: string[]): void {
        for (const m of msgs) {
          s.write(m);
          if (m === 'quit') {
            s.end();
            break;
          }
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket, msgs: string[]): void {
        for (const m of msgs) {
          s.write(m);
        }
        s.end();
      }
    `,
    ts`
      import * as net from 'node:net';
      export async function f(s: net.Socket): Promise<void> {
        await new Promise((r) => setTimeout(r, 10));
        s.write('after await');
        s.end();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket): void {
        const c = s;
        c.write('via alias');
        s.end();
      }
    `,

    // ── Per kind: what is legal ─────────────────────────────────────────────────────────────────────
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket): void {
        s.end('last words');
      }
    `,
    ts`
      import * as net from 'node:net';
      import type { Readable } from 'node:stream';
      export function f(s: net.Socket, src: Readable): void {
        src.pipe(s);
      }
    `,
    ts`
      import * as dgram from 'node:dgram';
      export function f(sock: dgram.Socket, msg: Buffer): void {
        sock.send(msg, 41234, '127.0.0.1', () => {
          sock.close();
        });
      }
    `,
    ts`
      import WebSocket from 'ws';
      export function f(ws: WebSocket): void {
        ws.send('bye');
        ws.close(1000, 'done');
      }
    `,
    ts`
      import * as net from 'node:net';
      export function restart(srv: net.Server): void {
        srv.close();
        srv.listen(0, '127.0.0.1');
      }
    `,
    ts`
      import * as net from 'node:net';
      export function where(srv: net.Server): void {
        srv.close();
        console.log(srv.address());
      }
    `,
    ts`
      import * as http from 'node:http';
      export function restartHttp(srv: http.Server): void {
        srv.close();
        srv.listen(0, '127.0.0.1');
      }
    `,

    // ── Not uses ─────────────────────────────────────────────────────────────────────────────────────
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket): void {
        s.destroy();
        console.log(s.remoteAddress, s.destroyed, s.writable, s.bytesWritten);
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket, onError: (err: Error) => void): void {
        s.end();
        s.on('close', () => console.log('closed'));
        s.off('error', onError);
        s.removeAllListeners('data');
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket): void {
        s.end();
        s.destroy();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket): void {
        s.destroy();
        s.destroy();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket): void {
        s.end();
        s.end();
      }
    `,
    ts`
      import WebSocket from 'ws';
      export function f(ws: WebSocket): void {
        ws.close();
        ws.close();
      }
    `,

    // ── connect() reopens a net.Socket ──────────────────────────────────────────────────────────────
    ts`
      import * as net from 'node:net';
      export function retry(s: net.Socket): void {
        s.destroy();
        s.connect(80, '127.0.0.1');
        s.write('again');
      }
    `,
    ts`
      import * as net from 'node:net';
      export function retryOptions(s: net.Socket): void {
        s.destroy();
        s.connect({ port: 80, host: '127.0.0.1' }, () => {
          s.write('connected again');
        });
      }
    `,

    // ── Guards ───────────────────────────────────────────────────────────────────────────────────────
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket, done: boolean): void {
        if (done) s.destroy();
        if (!s.destroyed) s.write('x');
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket, done: boolean): void {
        if (done) s.end();
        if (s.writable) {
          s.write('x');
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket, done: boolean): void {
        if (done) s.end();
        if (!s.writableEnded) s.write('x');
      }
    `,
    ts`
      import WebSocket from 'ws';
      export function f(ws: WebSocket, bye: boolean): void {
        if (bye) ws.close();
        if (ws.readyState === WebSocket.OPEN) ws.send('still here');
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket, done: boolean): void {
        if (done) s.destroy();
        if (s.destroyed) return;
        s.write('x');
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket, msgs: string[]): void {
        let closed = false;
        for (const m of msgs) {
          if (closed) return;
          s.write(m);
          if (m === 'quit') {
            s.end();
            closed = true;
          }
        }
      }
    `,

    // ── A release inside a callback is not "before" the enclosing function's uses ───────────────────
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket): void {
        s.on('end', () => s.end());
        s.write('hello');
      }
    `,
    ts`
      import * as net from 'node:net';
      export function f(s: net.Socket): void {
        setTimeout(() => s.destroy(), 1000);
        s.write('hello');
      }
    `,

    // ── Deferred uses: correctly handled ────────────────────────────────────────────────────────────
    ts`
      import * as net from 'node:net';
      export class Heartbeat {
        private readonly sock: net.Socket;
        private readonly timer: NodeJS.Timeout;
        constructor(sock: net.Socket) {
          this.sock = sock;
          this.timer = setInterval(() => {
            this.sock.write('ping\n');
          }, 1000);
          this.sock.on('close', () => clearInterval(this.timer));
        }
        stop(): void {
          clearInterval(this.timer);
          this.sock.end();
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export function keepAlive(s: net.Socket): void {
        const timer = setInterval(() => {
          s.write('ping\n');
        }, 1000);
        s.on('close', () => clearInterval(timer));
      }
    `,
    ts`
      import * as net from 'node:net';
      export function keepAliveEnd(s: net.Socket): void {
        const timer = setInterval(() => {
          s.write('ping\n');
        }, 1000);
        s.once('end', () => {
          clearInterval(timer);
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export function keepAliveGuarded(s: net.Socket): void {
        setInterval(() => {
          if (s.writable) s.write('ping\n');
        }, 1000);
      }
    `,
    ts`
      import * as net from 'node:net';
      export class Ticker {
        private closed = false;
        constructor(private readonly sock: net.Socket) {
          setInterval(() => {
            if (this.closed) return;
            this.sock.write('tick\n');
          }, 1000);
          sock.on('close', () => {
            this.closed = true;
          });
        }
        stop(): void {
          this.closed = true;
          this.sock.end();
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export function greetOnce(s: net.Socket): void {
        s.once('data', (chunk: Buffer) => {
          if (chunk.toString() === 'quit') {
            s.end();
            return;
          }
          s.write(chunk);
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export function echoGuarded(s: net.Socket): void {
        s.on('data', (chunk: Buffer) => {
          if (s.writableEnded) return;
          if (chunk.toString() === 'quit') {
            s.end();
            return;
          }
          s.write(chunk);
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export class Client {
        private readonly sock: net.Socket;
        constructor(port: number) {
          this.sock = net.connect(port, '127.0.0.1');
          this.sock.once('connect', () => {
            if (!this.sock.destroyed) this.sock.write('HELLO\n');
          });
        }
        close(): void {
          this.sock.destroy();
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export class Client {
        private readonly sock: net.Socket;
        private closed = false;
        constructor(port: number) {
          this.sock = net.connect(port, '127.0.0.1');
          this.sock.once('connect', () => {
            if (this.closed) return;
            this.sock.write('HELLO\n');
          });
        }
        close(): void {
          this.closed = true;
          this.sock.destroy();
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export class Client {
        private readonly sock: net.Socket;
        constructor(port: number) {
          this.sock = net.connect(port, '127.0.0.1');
          this.sock.once('connect', () => {
            this.sock.write('HELLO\n');
          });
        }
        send(msg: string): void {
          this.sock.write(msg);
        }
      }
    `,

    // ── Unrelated emitters: off by default, guarded when on ─────────────────────────────────────────
    ts`
      import WebSocket from 'ws';
      import { EventEmitter } from 'node:events';
      export function relay(ws: WebSocket, bus: EventEmitter): void {
        bus.on('update', (data: string) => {
          ws.send(data);
        });
      }
    `,
    {
      code: ts`
        import WebSocket from 'ws';
        import { EventEmitter } from 'node:events';
        export function relay(ws: WebSocket, bus: EventEmitter): void {
          bus.on('update', (data: string) => {
            if (ws.readyState === WebSocket.OPEN) ws.send(data);
          });
        }
      `,
      options: unrelatedOn,
    },

    // ── Double release with the option: a single release is fine ────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket, fatal: boolean): void {
          if (fatal) {
            s.destroy();
          } else {
            s.end();
          }
        }
      `,
      options: doubleOn,
    },
  ],

  invalid: [
    {
      // The interval is cleared where the code ends the socket, but not when the peer closes it.
      code: ts`
        import * as net from 'node:net';
        export function heartbeat(s: net.Socket): void {
          const t = setInterval(() => s.write('ping\n'), 1000);
          s.on('data', (d) => {
            if (String(d) === 'bye') {
              clearInterval(t);
              s.end();
            }
          });
        }
      `,
      errors: [
        {
          messageId: 'deferredUse',
          line: 3,
          column: 31,
          data: { operation: 'write()', kind: 'net.Socket', callback: 'a setInterval callback', release: 'the peer closing it' },
        },
      ],
    },
    // ── Lead additions: named listeners and never-reassigned let aliases ────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function echoNamed(s: net.Socket): void {
          const onData = (chunk: Buffer): void => {
            if (chunk.toString() === 'quit') {
              s.end();
              return;
            }
            s.write(chunk);
          };
          s.on('data', onData);
        }
      `,
      errors: [
        {
          messageId: 'deferredUse',
          line: 8,
          column: 5,
          data: { operation: 'write()', kind: 'net.Socket', callback: "a 'data' listener", release: 'end() at line 5' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function viaLetAlias(s: net.Socket): void {
          let c = s;
          c.end();
          s.write('late');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 5,
          column: 3,
          data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 4' },
        },
      ],
    },
    // ── Straight line; every origin of a tracked value ──────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket): void {
          s.end();
          s.write('late');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 3,
          data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function f(): void {
          const s = net.connect(80, '127.0.0.1');
          s.destroy();
          s.write('late');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 5,
          column: 3,
          data: { operation: 'write()', kind: 'net.Socket', state: 'destroyed', release: 'destroy() at line 4' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export class Session {
          constructor(private readonly sock: net.Socket) {}
          finish(): void {
            this.sock.end();
            this.sock.write('late');
          }
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 6,
          column: 5,
          data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 5' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function serve(): net.Server {
          return net.createServer((conn) => {
            conn.end('bye\n');
            conn.write('more');
          });
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 5,
          column: 5,
          data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 4' },
        },
      ],
    },
    {
      code: ts`
        import * as tls from 'node:tls';
        export function f(s: tls.TLSSocket): void {
          s.end();
          s.write('late');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 3,
          data: { operation: 'write()', kind: 'tls.TLSSocket', state: 'ended', release: 'end() at line 3' },
        },
      ],
    },

    // ── Some path: branch, switch, back edge, await, alias, try/catch ────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket, done: boolean): void {
          if (done) s.end();
          s.write('maybe late');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 3,
          data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket, mode: string): void {
          switch (mode) {
            case 'close':
              s.destroy();
              break;
            default:
              break;
          }
          s.write('maybe late');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 10,
          column: 3,
          data: { operation: 'write()', kind: 'net.Socket', state: 'destroyed', release: 'destroy() at line 5' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket, mode: string): void {
          switch (mode) {
            case 'close':
              s.end();
            // falls through
            case 'echo':
              s.write('echo');
              break;
          }
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 8,
          column: 7,
          data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 5' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket, msgs: string[]): void {
          for (const m of msgs) {
            s.write(m);
            if (m === 'quit') s.end();
          }
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 5,
          data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 5, in an earlier iteration' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket, next: () => string | undefined): void {
          let m = next();
          while (m !== undefined) {
            if (m === 'abort') {
              s.destroy();
              m = next();
              continue;
            }
            s.write(m);
            m = next();
          }
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 10,
          column: 5,
          data: { operation: 'write()', kind: 'net.Socket', state: 'destroyed', release: 'destroy() at line 6, in an earlier iteration' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export async function f(s: net.Socket): Promise<void> {
          s.end();
          await new Promise((r) => setTimeout(r, 10));
          s.write('late');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 5,
          column: 3,
          data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket): void {
          const c = s;
          c.end();
          s.write('late');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 5,
          column: 3,
          data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 4' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket): void {
          const c = s;
          s.destroy();
          c.write('late');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 5,
          column: 3,
          data: { operation: 'write()', kind: 'net.Socket', state: 'destroyed', release: 'destroy() at line 4' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket): void {
          try {
            s.write('a');
          } finally {
            s.destroy();
          }
          s.write('b');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 8,
          column: 3,
          data: { operation: 'write()', kind: 'net.Socket', state: 'destroyed', release: 'destroy() at line 6' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket, bad: boolean): void {
          try {
            if (bad) throw new Error('bad');
          } catch {
            s.destroy();
          }
          s.write('maybe late');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 8,
          column: 3,
          data: { operation: 'write()', kind: 'net.Socket', state: 'destroyed', release: 'destroy() at line 6' },
        },
      ],
    },

    // ── Per kind: stream sockets ─────────────────────────────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket): void {
          s.end();
          s.end('more data');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 3,
          data: { operation: 'end(data)', kind: 'net.Socket', state: 'ended', release: 'end() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket): void {
          s.destroy();
          s.cork();
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 3,
          data: { operation: 'cork()', kind: 'net.Socket', state: 'destroyed', release: 'destroy() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket): void {
          s.destroy();
          s.setEncoding('utf8');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 3,
          data: { operation: 'setEncoding()', kind: 'net.Socket', state: 'destroyed', release: 'destroy() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        import type { Readable } from 'node:stream';
        export function f(s: net.Socket, src: Readable): void {
          s.end();
          src.pipe(s);
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 5,
          column: 3,
          data: { operation: 'pipe()', kind: 'net.Socket', state: 'ended', release: 'end() at line 4' },
        },
      ],
    },

    // ── Per kind: dgram ──────────────────────────────────────────────────────────────────────────────
    {
      code: ts`
        import * as dgram from 'node:dgram';
        export function f(sock: dgram.Socket, msg: Buffer): void {
          sock.close();
          sock.send(msg, 41234, '127.0.0.1');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 3,
          data: { operation: 'send()', kind: 'dgram.Socket', state: 'closed', release: 'close() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import * as dgram from 'node:dgram';
        export function f(): void {
          const sock = dgram.createSocket('udp4');
          sock.close();
          sock.bind(41234);
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 5,
          column: 3,
          data: { operation: 'bind()', kind: 'dgram.Socket', state: 'closed', release: 'close() at line 4' },
        },
      ],
    },
    {
      code: ts`
        import * as dgram from 'node:dgram';
        export function f(sock: dgram.Socket): void {
          sock.close();
          console.log(sock.address());
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 15,
          data: { operation: 'address()', kind: 'dgram.Socket', state: 'closed', release: 'close() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import * as dgram from 'node:dgram';
        export function f(sock: dgram.Socket): void {
          sock.close();
          sock.connect(41234, '127.0.0.1');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 3,
          data: { operation: 'connect()', kind: 'dgram.Socket', state: 'closed', release: 'close() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import * as dgram from 'node:dgram';
        export function f(sock: dgram.Socket): void {
          sock.close();
          sock.disconnect();
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 3,
          data: { operation: 'disconnect()', kind: 'dgram.Socket', state: 'closed', release: 'close() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import * as dgram from 'node:dgram';
        export function f(sock: dgram.Socket): void {
          sock.close();
          sock.addMembership('224.0.0.114');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 3,
          data: { operation: 'addMembership()', kind: 'dgram.Socket', state: 'closed', release: 'close() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import * as dgram from 'node:dgram';
        export function f(sock: dgram.Socket): void {
          sock.close();
          sock.close();
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 3,
          data: { operation: 'close()', kind: 'dgram.Socket', state: 'closed', release: 'close() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import * as dgram from 'node:dgram';
        export function f(sock: dgram.Socket, done: boolean): void {
          if (done) sock.close();
          sock.close();
        }
      `,
      options: doubleOn,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 3,
          data: { operation: 'close()', kind: 'dgram.Socket', state: 'closed', release: 'close() at line 3' },
        },
      ],
    },

    // ── Per kind: ws ─────────────────────────────────────────────────────────────────────────────────
    {
      code: ts`
        import WebSocket from 'ws';
        export function f(ws: WebSocket): void {
          ws.close();
          ws.send('late');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 3,
          data: { operation: 'send()', kind: 'WebSocket', state: 'closed', release: 'close() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import WebSocket from 'ws';
        export function f(ws: WebSocket): void {
          ws.terminate();
          ws.ping();
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 4,
          column: 3,
          data: { operation: 'ping()', kind: 'WebSocket', state: 'destroyed', release: 'terminate() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import WebSocket from 'ws';
        export function f(): void {
          const ws = new WebSocket('ws://127.0.0.1:8080');
          ws.close();
          ws.pong();
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 5,
          column: 3,
          data: { operation: 'pong()', kind: 'WebSocket', state: 'closed', release: 'close() at line 4' },
        },
      ],
    },

    // ── connect() reopens — but only on the path that calls it ──────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function retry(s: net.Socket, again: boolean): void {
          s.destroy();
          if (again) s.connect(80, '127.0.0.1');
          s.write('maybe reopened');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 5,
          column: 3,
          data: { operation: 'write()', kind: 'net.Socket', state: 'destroyed', release: 'destroy() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function retry(s: net.Socket): void {
          s.destroy();
          s.connect(80, '127.0.0.1');
          s.end();
          s.write('late again');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 6,
          column: 3,
          data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 5' },
        },
      ],
    },

    // ── A guard only covers the guarded path ────────────────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket, done: boolean): void {
          if (done) s.destroy();
          if (!s.destroyed) s.write('a');
          s.write('b');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 5,
          column: 3,
          data: { operation: 'write()', kind: 'net.Socket', state: 'destroyed', release: 'destroy() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import WebSocket from 'ws';
        export function f(ws: WebSocket, bye: boolean): void {
          if (bye) ws.close();
          if (ws.readyState === WebSocket.OPEN) ws.send('a');
          ws.send('b');
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 5,
          column: 3,
          data: { operation: 'send()', kind: 'WebSocket', state: 'closed', release: 'close() at line 3' },
        },
      ],
    },

    // ── A listener registered after the release can only run after it ───────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket): void {
          s.end();
          s.on('data', (d: Buffer) => {
            s.write(d);
          });
        }
      `,
      errors: [
        {
          messageId: 'useAfterRelease',
          line: 5,
          column: 5,
          data: { operation: 'write()', kind: 'net.Socket', state: 'ended', release: 'end() at line 3' },
        },
      ],
    },

    // ── Deferred uses (a): timers ────────────────────────────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export class Heartbeat {
          private readonly sock: net.Socket;
          private readonly timer: NodeJS.Timeout;
          constructor(sock: net.Socket) {
            this.sock = sock;
            this.timer = setInterval(() => {
              this.sock.write('ping\n');
            }, 1000);
          }
          stop(): void {
            this.sock.end();
          }
        }
      `,
      errors: [
        {
          messageId: 'deferredUse',
          line: 8,
          column: 7,
          data: { operation: 'write()', kind: 'net.Socket', callback: 'a setInterval callback', release: 'end() at line 12' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function keepAlive(s: net.Socket): void {
          setInterval(() => {
            s.write('ping\n');
          }, 1000);
        }
      `,
      errors: [
        {
          messageId: 'deferredUse',
          line: 4,
          column: 5,
          data: { operation: 'write()', kind: 'net.Socket', callback: 'a setInterval callback', release: 'the peer closing it' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function chat(s: net.Socket): NodeJS.Timeout {
          const timer = setInterval(() => {
            s.write('tick\n');
          }, 1000);
          s.on('data', (d: Buffer) => {
            if (d.toString() === 'bye') s.end();
          });
          return timer;
        }
      `,
      errors: [
        {
          messageId: 'deferredUse',
          line: 4,
          column: 5,
          data: { operation: 'write()', kind: 'net.Socket', callback: 'a setInterval callback', release: 'end() at line 7' },
        },
      ],
    },
    {
      code: ts`
        import WebSocket from 'ws';
        export function heartbeat(ws: WebSocket): void {
          setInterval(() => {
            ws.ping();
          }, 30000);
        }
      `,
      errors: [
        {
          messageId: 'deferredUse',
          line: 4,
          column: 5,
          data: { operation: 'ping()', kind: 'WebSocket', callback: 'a setInterval callback', release: 'the peer closing it' },
        },
      ],
    },

    // ── Deferred uses (b): a listener that runs many times releases on one path ─────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function echo(s: net.Socket): void {
          s.on('data', (chunk: Buffer) => {
            if (chunk.toString() === 'quit') {
              s.end();
              return;
            }
            s.write(chunk);
          });
        }
      `,
      errors: [
        {
          messageId: 'deferredUse',
          line: 8,
          column: 5,
          data: { operation: 'write()', kind: 'net.Socket', callback: "a 'data' listener", release: 'end() at line 5' },
        },
      ],
    },
    {
      code: ts`
        import WebSocket from 'ws';
        export function echoWs(ws: WebSocket): void {
          ws.on('message', (data) => {
            if (String(data) === 'bye') {
              ws.close();
              return;
            }
            ws.send(data);
          });
        }
      `,
      errors: [
        {
          messageId: 'deferredUse',
          line: 8,
          column: 5,
          data: { operation: 'send()', kind: 'WebSocket', callback: "a 'message' listener", release: 'close() at line 5' },
        },
      ],
    },

    // ── Deferred uses (c): a listener on a field the class can release ──────────────────────────────
    // (Lead: a graceful end() can come first and the socket still connects and emits; after destroy() the
    // socket emits nothing but 'close', so the destroy() variant is in the valid table.)
    {
      code: ts`
        import * as net from 'node:net';
        export class Client {
          private readonly sock: net.Socket;
          constructor(port: number) {
            this.sock = net.connect(port, '127.0.0.1');
            this.sock.once('connect', () => {
              this.sock.write('HELLO\n');
            });
          }
          close(): void {
            this.sock.end();
          }
        }
      `,
      errors: [
        {
          messageId: 'deferredUse',
          line: 7,
          column: 7,
          data: { operation: 'write()', kind: 'net.Socket', callback: "a 'connect' listener", release: 'end() at line 11' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        import { EventEmitter } from 'node:events';
        export class Relay {
          private readonly sock: net.Socket;
          constructor(port: number, bus: EventEmitter) {
            this.sock = net.connect(port, '127.0.0.1');
            bus.once('ready', () => {
              this.sock.write('READY\n');
            });
          }
          close(): void {
            this.sock.destroy();
          }
        }
      `,
      errors: [
        {
          messageId: 'deferredUse',
          line: 8,
          column: 7,
          data: { operation: 'write()', kind: 'net.Socket', callback: "a 'ready' listener", release: 'destroy() at line 12' },
        },
      ],
    },
    {
      code: ts`
        import WebSocket from 'ws';
        export class Feed {
          private readonly ws: WebSocket;
          constructor(url: string) {
            this.ws = new WebSocket(url);
            this.ws.on('message', (data) => {
              this.ws.send('ack ' + String(data));
            });
          }
          dispose(): void {
            this.ws.close();
          }
        }
      `,
      errors: [
        {
          messageId: 'deferredUse',
          line: 7,
          column: 7,
          data: { operation: 'send()', kind: 'WebSocket', callback: "a 'message' listener", release: 'close() at line 11' },
        },
      ],
    },

    // ── Unrelated emitters with checkUnrelatedListeners: true ───────────────────────────────────────
    {
      code: ts`
        import WebSocket from 'ws';
        import { EventEmitter } from 'node:events';
        export function relay(ws: WebSocket, bus: EventEmitter): void {
          bus.on('update', (data: string) => {
            ws.send(data);
          });
        }
      `,
      options: unrelatedOn,
      errors: [
        {
          messageId: 'deferredUse',
          line: 5,
          column: 5,
          data: { operation: 'send()', kind: 'WebSocket', callback: "an 'update' listener", release: 'the peer closing it' },
        },
      ],
    },

    // ── Double release with reportDoubleRelease: true ───────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket): void {
          s.destroy();
          s.destroy();
        }
      `,
      options: doubleOn,
      errors: [
        {
          messageId: 'doubleRelease',
          line: 4,
          column: 3,
          data: { operation: 'destroy()', kind: 'net.Socket', release: 'destroy() at line 3' },
        },
      ],
    },
    {
      code: ts`
        import WebSocket from 'ws';
        export function f(ws: WebSocket, done: boolean): void {
          if (done) ws.close();
          ws.close();
        }
      `,
      options: doubleOn,
      errors: [
        {
          messageId: 'doubleRelease',
          line: 4,
          column: 3,
          data: { operation: 'close()', kind: 'WebSocket', release: 'close() at line 3' },
        },
      ],
    },
  ],
});

// Without type information the rule cannot know what a socket is: it says so once, at the Program node.
new RuleTester().run('no-use-after-close without type information', rule, {
  valid: [],
  invalid: [
    {
      code: ts`
        import * as net from 'node:net';
        export function f(s: net.Socket): void {
          s.end();
          s.write('late');
        }
      `,
      errors: [{ messageId: 'noTypeInfo', line: 1, column: 1 }],
    },
  ],
});

/** Lints `code` as tests/fixtures/file.ts with full type information and returns the messages. */
function lint(code: string, options: unknown[] = []): TSESLint.Linter.LintMessage[] {
  const linter = new TSESLint.Linter({ cwd: fixturesDir });
  return linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: {
          parser: tsParser,
          parserOptions: { projectService: true, tsconfigRootDir: fixturesDir },
        },
        plugins: { 'socket-close': { rules: { 'no-use-after-close': rule } } },
        rules: { 'socket-close/no-use-after-close': ['error', ...options] },
      },
    ],
    path.join(fixturesDir, 'file.ts'),
  );
}

describe('no-use-after-close messages name the kind, the operation and the release', () => {
  const cases: Array<[what: string, code: string, parts: string[]]> = [
    [
      'write() after end()',
      ts`
        import * as net from 'node:net';
        export function f(s: net.Socket): void {
          s.write('first');
          s.end();
          s.write('late');
        }
      `,
      ['net.Socket', 'write()', 'end() at line 4'],
    ],
    [
      'send() after close() on dgram',
      ts`
        import * as dgram from 'node:dgram';
        export function f(sock: dgram.Socket): void {
          sock.close();
          sock.send('late', 41234, '127.0.0.1');
        }
      `,
      ['dgram.Socket', 'send()', 'close() at line 3'],
    ],
    [
      'send() after terminate() on ws',
      ts`
        import WebSocket from 'ws';
        export function f(ws: WebSocket): void {
          ws.terminate();
          ws.send('late');
        }
      `,
      ['WebSocket', 'send()', 'terminate() at line 3'],
    ],
  ];
  for (const [what, code, parts] of cases) {
    it(what, () => {
      const messages = lint(code);
      expect(messages).toHaveLength(1);
      expect(messages[0].ruleId).toBe('socket-close/no-use-after-close');
      for (const part of parts) expect(messages[0].message).toContain(part);
    });
  }
});
