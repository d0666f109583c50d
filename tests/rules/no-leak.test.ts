/**
 * RuleTester tables for `socket-close/no-leak`, written from the semantics of issue 2, item 4 (one block per
 * bullet, a valid and an invalid case for each). Every snippet is type-checked against @types/node and
 * @types/ws by tests/types-present.test.ts, so a socket never degrades to `any` here.
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
import rule from '../../src/rules/no-leak';


const moduleScope = [{ checkModuleScope: true }] as const;
const endNotRelease = [{ endIsRelease: false }] as const;

/**
 * The "release it in a finally block" suggestion with the exact text the file must have after it is applied.
 * Every expected output below was read and checked by hand: it compiles (the outputs are `ts` snippets, so
 * tests/types-present.test.ts type-checks them) and releases nothing that is used after the block or owned by
 * someone else. tests/rules/no-leak-suggestions.test.ts holds the focused cases.
 */
function finallySuggestion(name: string, release: string, output: string) {
  return { messageId: 'suggestFinally', data: { name, release }, output } as const;
}

/** The "declare it with await using" suggestion with its exact output. */
function awaitUsingSuggestion(name: string, output: string) {
  return { messageId: 'suggestAwaitUsing', data: { name }, output } as const;
}

createRuleTester().run('no-leak', rule, {
  valid: [
    // ── Lead additions: Map/Set collections released through iteration ─────────────────────────────
    ts`
      import * as net from 'node:net';
      export function a(ports: number[]): void {
        const byPort = new Map<number, net.Socket>();
        for (const p of ports) byPort.set(p, net.connect(p, '127.0.0.1'));
        for (const [, s] of byPort) s.destroy();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function b(ports: number[]): void {
        const byPort = new Map<number, net.Socket>();
        for (const p of ports) byPort.set(p, net.connect(p, '127.0.0.1'));
        for (const s of byPort.values()) s.end();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function c(ports: number[]): void {
        const all = new Set<net.Socket>();
        for (const p of ports) all.add(net.connect(p, '127.0.0.1'));
        all.forEach((s) => s.destroy());
      }
    `,
    // ── Paths: every path releases ─────────────────────────────────────────────────────────────────────
    ts`
      import * as net from 'node:net';
      export function both(ok: boolean): void {
        const s = net.connect(80, '127.0.0.1');
        if (ok) {
          s.end('ok');
        } else {
          s.destroy();
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export function guarded(flag: boolean): void {
        const s = net.connect(80, '127.0.0.1');
        try {
          if (flag) return;
          s.write('payload');
        } finally {
          s.destroy();
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export function send(data: string): void {
        const s = net.createConnection(80, '127.0.0.1');
        if (data.length === 0) {
          s.destroy();
          throw new Error('empty');
        }
        s.end(data);
      }
    `,
    ts`
      import * as net from 'node:net';
      export function scan(ports: number[]): void {
        for (const p of ports) {
          const s = net.connect(p, '127.0.0.1');
          if (p === 0) {
            s.destroy();
            break;
          }
          s.end();
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export function scanSome(ports: number[]): void {
        for (const p of ports) {
          const s = net.connect(p, '127.0.0.1');
          if (p < 1024) {
            s.destroy();
            continue;
          }
          s.write('probe');
          s.end();
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export function bySwitch(mode: number): void {
        const s = net.connect(80, '127.0.0.1');
        switch (mode) {
          case 1:
            s.end();
            break;
          case 2:
            s.destroy();
            break;
          default:
            s.destroySoon();
            break;
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export function withCalls(data: object): void {
        const s = net.connect(80, '127.0.0.1');
        s.setNoDelay(true);
        s.write(JSON.stringify(data));
        s.end();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function caught(bad: boolean): void {
        const s = net.connect(80, '127.0.0.1');
        try {
          if (bad) throw new Error('bad');
          s.end();
        } catch (err) {
          s.destroy(err as Error);
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export function forEachOwner(ports: number[]): void {
        ports.forEach((p) => {
          const s = net.connect(p, '127.0.0.1');
          s.end('hi');
        });
      }
    `,

    // ── Releases: every release method, aliases, optional call, local releasing function ──────────────
    ts`
      import * as net from 'node:net';
      export function soon(): void {
        const s = net.connect(80, '127.0.0.1');
        s.write('bye');
        s.destroySoon();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function reset(): void {
        const s = net.connect(80, '127.0.0.1');
        s.resetAndDestroy();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function viaAlias(ok: boolean): void {
        const s = net.connect(80, '127.0.0.1');
        const conn = s;
        if (ok) conn.write('ok');
        conn.end();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function optionalCall(): void {
        const s: net.Socket | undefined = net.connect(80, '127.0.0.1');
        s.write('x');
        s?.destroy();
      }
    `,
    ts`
      import * as net from 'node:net';
      function closeIt(sock: net.Socket): void {
        sock.destroy();
      }
      export function viaHelper(): void {
        const s = net.connect(80, '127.0.0.1');
        s.write('x');
        closeIt(s);
      }
    `,
    ts`
      import * as net from 'node:net';
      export function rawSocket(): void {
        const s = new net.Socket();
        s.connect(80, '127.0.0.1');
        s.end();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function chained(): void {
        const s = net.connect(80, '127.0.0.1').setNoDelay(true);
        s.setKeepAlive(true).setEncoding('utf8');
        s.end();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function fromMap(sockets: Map<string, net.Socket>, id: string): void {
        const s = sockets.get(id);
        s?.write('hello');
      }
    `,

    // ── Resource kinds, released ──────────────────────────────────────────────────────────────────────
    ts`
      import * as tls from 'node:tls';
      export function secure(): void {
        const s = tls.connect(443, '127.0.0.1');
        s.write('GET / HTTP/1.0\r\n\r\n');
        s.end();
      }
    `,
    ts`
      import * as dgram from 'node:dgram';
      export function announce(msg: Buffer): void {
        const sock = dgram.createSocket('udp4');
        sock.send(msg, 41234, '127.0.0.1', () => {
          sock.close();
        });
      }
    `,
    ts`
      import * as dgram from 'node:dgram';
      export function bindAndClose(): void {
        const sock = dgram.createSocket({ type: 'udp6' });
        sock.bind(0);
        sock.close();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function serverClosed(): void {
        const srv = net.createServer();
        srv.listen(0, '127.0.0.1', () => {
          srv.close();
        });
      }
    `,
    ts`
      import * as http from 'node:http';
      export function httpClosed(): void {
        const srv = http.createServer();
        srv.listen(0, '127.0.0.1');
        srv.close();
      }
    `,
    ts`
      import * as http2 from 'node:http2';
      export function h2(): void {
        const session = http2.connect('http://127.0.0.1:8080');
        session.close();
      }
    `,
    ts`
      import * as http2 from 'node:http2';
      export function h2destroy(): void {
        const session = http2.connect('http://127.0.0.1:8080');
        session.destroy();
      }
    `,
    ts`
      import WebSocket from 'ws';
      export function greet(): void {
        const ws = new WebSocket('ws://127.0.0.1:8080');
        ws.on('open', () => {
          ws.send('hello');
          ws.close();
        });
      }
    `,
    ts`
      import WebSocket from 'ws';
      export function kill(): void {
        const ws = new WebSocket('ws://127.0.0.1:8080');
        ws.terminate();
      }
    `,
    ts`
      import { WebSocketServer } from 'ws';
      export function wssClosed(port: number): void {
        const wss = new WebSocketServer({ port });
        wss.close();
      }
    `,
    ts`
      import * as net from 'node:net';
      declare function openSocket(port: number): net.Socket;
      export function useFactory(): void {
        const s = openSocket(80);
        s.destroy();
      }
    `,
    ts`
      import * as net from 'node:net';
      declare function dial(host: string): Promise<net.Socket>;
      export async function useDial(): Promise<void> {
        const s = await dial('127.0.0.1');
        s.write('x');
        s.end();
      }
    `,
    ts`
      import * as net from 'node:net';
      class LineSocket extends net.Socket {
        writeLine(line: string): boolean {
          return this.write(line + '\n');
        }
      }
      export function lines(): void {
        const s = new LineSocket();
        s.connect(80, '127.0.0.1');
        s.writeLine('hello');
        s.end();
      }
    `,

    // ── Hand-offs ─────────────────────────────────────────────────────────────────────────────────────
    ts`
      import * as net from 'node:net';
      export function open(): net.Socket {
        const s = net.connect(80, '127.0.0.1');
        s.setNoDelay(true);
        return s;
      }
    `,
    ts`
      import * as net from 'node:net';
      export function openWrapped(): { socket: net.Socket; id: number } {
        const s = net.connect(80, '127.0.0.1');
        return { socket: s, id: 1 };
      }
    `,
    ts`
      import * as net from 'node:net';
      export function openPair(): net.Socket[] {
        const a = net.connect(80, '127.0.0.1');
        const b = net.connect(81, '127.0.0.1');
        return [a, b];
      }
    `,
    ts`
      import * as net from 'node:net';
      export function connectAsync(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export class Client {
        private sock: net.Socket | undefined;
        open(): void {
          const s = net.connect(80, '127.0.0.1');
          this.sock = s;
        }
        close(): void {
          this.sock?.destroy();
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export function attach(holder: { sock?: net.Socket }): void {
        const s = net.connect(80, '127.0.0.1');
        holder.sock = s;
      }
    `,
    ts`
      import * as net from 'node:net';
      export function intoArray(pool: net.Socket[]): void {
        const s = net.connect(80, '127.0.0.1');
        pool.push(s);
      }
    `,
    ts`
      import * as net from 'node:net';
      const live = new Set<net.Socket>();
      export function intoSet(): void {
        const s = net.connect(80, '127.0.0.1');
        live.add(s);
      }
    `,
    ts`
      import * as net from 'node:net';
      export function intoMap(byId: Map<string, net.Socket>, id: string): void {
        const s = net.connect(80, '127.0.0.1');
        byId.set(id, s);
      }
    `,
    ts`
      import * as net from 'node:net';
      declare function register(sock: net.Socket): void;
      export function handToFunction(): void {
        const s = net.connect(80, '127.0.0.1');
        register(s);
      }
    `,
    ts`
      import * as net from 'node:net';
      declare class Connection {
        constructor(sock: net.Socket);
      }
      export function handToConstructor(): Connection {
        const s = net.connect(80, '127.0.0.1');
        return new Connection(s);
      }
    `,
    ts`
      import * as net from 'node:net';
      import * as tls from 'node:tls';
      export function upgrade(host: string): tls.TLSSocket {
        const raw = net.connect(443, host);
        const secure = tls.connect({ socket: raw, servername: host });
        return secure;
      }
    `,
    ts`
      import * as net from 'node:net';
      import * as tls from 'node:tls';
      export function wrap(host: string): tls.TLSSocket {
        const raw = net.connect(443, host);
        return new tls.TLSSocket(raw);
      }
    `,
    ts`
      import * as net from 'node:net';
      export function* sockets(ports: number[]): Generator<net.Socket> {
        for (const p of ports) {
          const s = net.connect(p, '127.0.0.1');
          yield s;
        }
      }
    `,
    {
      code: ts`
        import * as net from 'node:net';
        export const shared = net.connect(80, '127.0.0.1');
      `,
      options: moduleScope,
    },
    ts`
      import * as net from 'node:net';
      import type { Readable } from 'node:stream';
      export function upload(src: Readable): void {
        const s = net.connect(80, '127.0.0.1');
        src.pipe(s);
      }
    `,
    ts`
      import * as net from 'node:net';
      import { pipeline, type Readable } from 'node:stream';
      export function uploadPipeline(src: Readable): void {
        const s = net.connect(80, '127.0.0.1');
        pipeline(src, s, (err) => {
          if (err) console.error(err);
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      type Callback = (err: Error | null, socket?: net.Socket) => void;
      export function openCb(cb: Callback): void {
        const s = net.connect(80, '127.0.0.1');
        s.once('connect', () => cb(null, s));
        s.once('error', (err) => cb(err));
      }
    `,

    // ── Event lifecycle: releases in listeners and callbacks tied to the socket ──────────────────────
    ts`
      import * as net from 'node:net';
      export function connectCallback(): void {
        const s = net.connect({ port: 80, host: '127.0.0.1' }, () => {
          s.end('hello');
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export function onceConnect(): void {
        const s = net.connect(80, '127.0.0.1');
        s.once('connect', () => {
          s.write('hello');
          s.end();
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export function onData(): void {
        const s = net.connect(80, '127.0.0.1');
        s.write('QUIT\r\n');
        s.on('data', (chunk: Buffer) => {
          console.log(chunk.toString());
          s.end();
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export function errorNeedsNoRelease(): void {
        const s = net.connect(80, '127.0.0.1', () => {
          s.end('hello');
        });
        s.on('error', (err) => {
          console.error('connection failed', err.message);
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export function timeoutReleases(): void {
        const s = net.connect(80, '127.0.0.1', () => {
          s.end('hello');
        });
        s.setTimeout(5000);
        s.on('timeout', () => {
          s.destroy();
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export function timeoutCallbackReleases(): void {
        const s = net.connect(80, '127.0.0.1', () => {
          s.end('hello');
        });
        s.setTimeout(5000, () => s.destroy());
      }
    `,
    ts`
      import * as net from 'node:net';
      declare const pool: { evict(sock: net.Socket): void };
      export function timeoutHandsOff(): void {
        const s = net.connect(80, '127.0.0.1', () => {
          s.end('hello');
        });
        s.setTimeout(5000);
        s.once('timeout', () => {
          pool.evict(s);
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export function timeoutDisabled(): void {
        const s = net.connect(80, '127.0.0.1', () => {
          s.end('hello');
        });
        s.setTimeout(0);
      }
    `,

    // ── Settling without the socket: every non-success path releases first ───────────────────────────
    ts`
      import * as net from 'node:net';
      export function connectWithTimeout(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          const timer = setTimeout(() => {
            s.destroy();
            reject(new Error('connect timeout'));
          }, 1000);
          s.once('connect', () => {
            clearTimeout(timer);
            resolve(s);
          });
          s.once('error', reject);
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export function connectAbortable(port: number, signal: AbortSignal): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          signal.addEventListener('abort', () => {
            s.destroy();
            reject(new Error('aborted'));
          });
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export function handshake(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          s.once('data', (chunk: Buffer) => {
            if (chunk.toString() !== 'HELLO') {
              s.destroy();
              reject(new Error('bad greeting'));
              return;
            }
            resolve(s);
          });
          s.once('error', reject);
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      type Callback = (err: Error | null, socket?: net.Socket) => void;
      export function openWithTimer(port: number, cb: Callback): void {
        const s = net.connect(port, '127.0.0.1');
        const timer = setTimeout(() => {
          s.destroy();
          cb(new Error('timeout'));
        }, 1000);
        s.once('connect', () => {
          clearTimeout(timer);
          cb(null, s);
        });
        s.once('error', (err) => cb(err));
      }
    `,
    ts`
      import * as net from 'node:net';
      export function rejectOnClose(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          s.once('connect', () => resolve(s));
          s.once('close', () => reject(new Error('closed before connect')));
        });
      }
    `,

    // ── Local collections released through the collection ────────────────────────────────────────────
    ts`
      import * as net from 'node:net';
      export function fanOut(ports: number[]): void {
        const socks: net.Socket[] = [];
        for (const p of ports) {
          socks.push(net.connect(p, '127.0.0.1'));
        }
        for (const s of socks) {
          s.end('hi');
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export function fanOutForEach(ports: number[]): void {
        const socks: net.Socket[] = [];
        for (const p of ports) {
          socks.push(net.connect(p, '127.0.0.1'));
        }
        socks.forEach((s) => s.destroy());
      }
    `,
    ts`
      import * as net from 'node:net';
      export function fanOutSet(ports: number[]): void {
        const socks = new Set<net.Socket>();
        for (const p of ports) {
          socks.add(net.connect(p, '127.0.0.1'));
        }
        for (const s of socks) s.destroy();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function fanOutMap(ports: number[]): void {
        const socks = new Map<number, net.Socket>();
        for (const p of ports) {
          socks.set(p, net.connect(p, '127.0.0.1'));
        }
        socks.forEach((s) => s.end());
      }
    `,
    ts`
      import * as net from 'node:net';
      export function fanOutReturned(ports: number[]): net.Socket[] {
        const socks: net.Socket[] = [];
        for (const p of ports) {
          socks.push(net.connect(p, '127.0.0.1'));
        }
        return socks;
      }
    `,

    // ── Reassignment after releasing the old socket ─────────────────────────────────────────────────
    ts`
      import * as net from 'node:net';
      export function swap(): void {
        let s = net.connect(80, '127.0.0.1');
        s.write('a');
        s.end();
        s = net.connect(81, '127.0.0.1');
        s.end();
      }
    `,
    ts`
      import * as net from 'node:net';
      export function oneAtATime(ports: number[]): void {
        let s: net.Socket | undefined;
        for (const p of ports) {
          s?.destroy();
          s = net.connect(p, '127.0.0.1');
        }
        s?.destroy();
      }
    `,
    ts`
      import * as net from 'node:net';
      export class Conn {
        private sock: net.Socket;
        constructor() {
          this.sock = net.connect(80, '127.0.0.1');
        }
        reconnect(): void {
          this.sock.destroy();
          this.sock = net.connect(80, '127.0.0.1');
        }
        close(): void {
          this.sock.destroy();
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export class LazyConn {
        private sock: net.Socket | undefined;
        ensure(): void {
          if (this.sock && !this.sock.destroyed) return;
          this.sock = net.connect(80, '127.0.0.1');
        }
        close(): void {
          this.sock?.end();
        }
      }
    `,

    // ── Only callbacks hold the socket: each callback path releases ─────────────────────────────────
    ts`
      import * as net from 'node:net';
      export function later(): void {
        const s = net.connect(80, '127.0.0.1');
        process.nextTick(() => {
          s.end('bye');
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export function afterDelay(): void {
        const s = net.connect(80, '127.0.0.1');
        setTimeout(() => {
          s.destroy();
        }, 1000);
      }
    `,

    // ── using / await using ──────────────────────────────────────────────────────────────────────────
    ts`
      import * as net from 'node:net';
      export async function scoped(): Promise<void> {
        await using s = net.connect(80, '127.0.0.1');
        s.write('x');
      }
    `,
    ts`
      import * as net from 'node:net';
      class DisposableSocket extends net.Socket {
        [Symbol.dispose](): void {
          this.destroy();
        }
      }
      export function scopedSync(): void {
        using s = new DisposableSocket();
        s.connect(80, '127.0.0.1');
      }
    `,
    ts`
      import * as net from 'node:net';
      export async function scopedServer(): Promise<void> {
        await using srv = net.createServer();
        srv.listen(0, '127.0.0.1');
      }
    `,

    // ── Module scope (default: the process owns it) ─────────────────────────────────────────────────
    ts`
      import * as net from 'node:net';
      const s = net.connect(80, '127.0.0.1');
      s.write('module scope');
    `,
    ts`
      import * as dgram from 'node:dgram';
      const sock = dgram.createSocket('udp4');
      sock.bind(41234);
    `,
    {
      code: ts`
        import * as net from 'node:net';
        const s = net.connect(80, '127.0.0.1');
        s.end('released');
      `,
      options: moduleScope,
    },

    // ── Servers with a connection/request handler serve for the life of the process ─────────────────
    ts`
      import * as net from 'node:net';
      export function serve(port: number): void {
        const srv = net.createServer((conn) => {
          conn.end('hello\n');
        });
        srv.listen(port, '127.0.0.1');
      }
    `,
    ts`
      import * as http from 'node:http';
      export function serveHttp(port: number): void {
        const srv = http.createServer((req, res) => {
          res.end('ok');
        });
        srv.listen(port, '127.0.0.1');
      }
    `,
    ts`
      import * as tls from 'node:tls';
      export function serveTls(port: number, options: tls.TlsOptions): void {
        const srv = tls.createServer(options, (conn) => {
          conn.end('hello\n');
        });
        srv.listen(port, '127.0.0.1');
      }
    `,
    ts`
      import * as http2 from 'node:http2';
      export function serveH2(port: number): void {
        const srv = http2.createServer((req, res) => {
          res.end('ok');
        });
        srv.listen(port, '127.0.0.1');
      }
    `,

    // ── Socket parameters are not created here ──────────────────────────────────────────────────────
    ts`
      import * as net from 'node:net';
      export function greetClient(s: net.Socket, early: boolean): void {
        if (early) return;
        s.write('hello');
      }
    `,
    ts`
      import WebSocket from 'ws';
      export function reply(ws: WebSocket): void {
        ws.send('pong');
      }
    `,
    ts`
      import * as net from 'node:net';
      export function proxy(client: net.Socket): void {
        const upstream = net.connect(80, '127.0.0.1');
        client.pipe(upstream);
      }
    `,

    // ── Class fields released by some method ────────────────────────────────────────────────────────
    ts`
      import * as net from 'node:net';
      export class Client {
        private sock: net.Socket;
        constructor() {
          this.sock = net.connect(80, '127.0.0.1');
        }
        send(msg: string): void {
          this.sock.write(msg);
        }
        close(): void {
          this.sock.end();
        }
      }
    `,
    ts`
      import * as dgram from 'node:dgram';
      export class Pinger {
        sock = dgram.createSocket('udp4');
        ping(): void {
          this.sock.send('ping', 41234, '127.0.0.1');
        }
        stop(): void {
          this.sock.close();
        }
      }
    `,
    ts`
      import WebSocket from 'ws';
      export class Feed {
        private ws: WebSocket | undefined;
        constructor(url: string) {
          this.ws = new WebSocket(url);
        }
        dispose(): void {
          this.ws?.terminate();
        }
      }
    `,

    // ── endIsRelease: false — destroy() still counts ────────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function hardClose(): void {
          const s = net.connect(80, '127.0.0.1');
          s.write('bye');
          s.destroy();
        }
      `,
      options: endNotRelease,
    },
  ],

  invalid: [
    {
      // A helper of the same file without a return type annotation is still a factory.
      code: ts`
        import * as net from 'node:net';
        function foo(port: number) {
          return net.connect(port, '127.0.0.1');
        }
        export function use(x: boolean): void {
          const s = foo(1);
          if (x) return;
          s.end();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 6,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that returns at line 7', release: 'end() or destroy()' },
          suggestions: [
            {
              messageId: 'suggestFinally',
              data: { name: 's', release: 'destroy()' },
              output: ts`
                import * as net from 'node:net';
                function foo(port: number) {
                  return net.connect(port, '127.0.0.1');
                }
                export function use(x: boolean): void {
                  const s = foo(1);
                  try {
                    if (x) return;
                    s.end();
                  } finally {
                    s.destroy();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function d(ports: number[]): void {
          const byPort = new Map<number, net.Socket>();
          for (const p of ports) byPort.set(p, net.connect(p, '127.0.0.1'));
          byPort.clear();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 4,
          column: 40,
          data: { kind: 'net.Socket', detail: "on any path (it is kept in the local collection 'byPort', which is never released)", release: 'end() or destroy()' },
        },
      ],
    },
    // ── Paths that drop the socket ──────────────────────────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function probe(flag: boolean): void {
          const s = net.connect(80, '127.0.0.1');
          if (flag) return;
          s.end();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that returns at line 4', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as net from 'node:net';
              export function probe(flag: boolean): void {
                const s = net.connect(80, '127.0.0.1');
                try {
                  if (flag) return;
                  s.end();
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function send(data: string): void {
          const s = net.createConnection(80, '127.0.0.1');
          if (data.length === 0) throw new Error('empty');
          s.end(data);
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that throws at line 4', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as net from 'node:net';
              export function send(data: string): void {
                const s = net.createConnection(80, '127.0.0.1');
                try {
                  if (data.length === 0) throw new Error('empty');
                  s.end(data);
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function scan(ports: number[]): void {
          for (const p of ports) {
            const s = net.connect(p, '127.0.0.1');
            if (p === 0) break;
            s.destroy();
          }
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 4,
          column: 15,
          data: { kind: 'net.Socket', detail: 'on the path that breaks out at line 5', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function scanSome(ports: number[]): void {
          for (const p of ports) {
            const s = net.connect(p, '127.0.0.1');
            if (p < 1024) continue;
            s.end();
          }
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 4,
          column: 15,
          data: { kind: 'net.Socket', detail: 'on the path that continues at line 5, before the loop creates the next one', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function maybe(ok: boolean): void {
          const s = net.connect(80, '127.0.0.1');
          s.write('hello');
          if (ok) {
            s.end();
          }
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that reaches the end of the function', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as net from 'node:net';
              export function maybe(ok: boolean): void {
                const s = net.connect(80, '127.0.0.1');
                try {
                  s.write('hello');
                  if (ok) {
                    s.end();
                  }
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function bySwitch(mode: number): void {
          const s = net.connect(80, '127.0.0.1');
          switch (mode) {
            case 1:
              s.end();
              break;
            case 2:
              s.destroy();
              break;
            default:
              break;
          }
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that breaks out at line 12', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as net from 'node:net';
              export function bySwitch(mode: number): void {
                const s = net.connect(80, '127.0.0.1');
                try {
                  switch (mode) {
                    case 1:
                      s.end();
                      break;
                    case 2:
                      s.destroy();
                      break;
                    default:
                      break;
                  }
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function bySwitchNoDefault(mode: number): void {
          const s = net.connect(80, '127.0.0.1');
          switch (mode) {
            case 1:
              s.end();
              break;
            case 2:
              s.destroy();
              break;
          }
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that reaches the end of the function', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as net from 'node:net';
              export function bySwitchNoDefault(mode: number): void {
                const s = net.connect(80, '127.0.0.1');
                try {
                  switch (mode) {
                    case 1:
                      s.end();
                      break;
                    case 2:
                      s.destroy();
                      break;
                  }
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function fire(): void {
          const s = net.connect(80, '127.0.0.1');
          s.write('ping');
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on any path (nothing releases it or hands it off)', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as net from 'node:net';
              export function fire(): void {
                const s = net.connect(80, '127.0.0.1');
                try {
                  s.write('ping');
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function discard(): void {
          net.connect(80, '127.0.0.1');
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 3,
          data: { kind: 'net.Socket', detail: 'on any path (nothing releases it or hands it off)', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function raw(): void {
          const s = new net.Socket();
          s.connect(80, '127.0.0.1');
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on any path (nothing releases it or hands it off)', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as net from 'node:net';
              export function raw(): void {
                const s = new net.Socket();
                try {
                  s.connect(80, '127.0.0.1');
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function tryReturn(x: boolean): void {
          const s = net.connect(80, '127.0.0.1');
          try {
            if (x) return;
            s.end();
          } catch (err) {
            s.destroy();
          }
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that returns at line 5', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as net from 'node:net';
              export function tryReturn(x: boolean): void {
                const s = net.connect(80, '127.0.0.1');
                try {
                  try {
                    if (x) return;
                    s.end();
                  } catch (err) {
                    s.destroy();
                  }
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function twoSockets(flag: boolean): void {
          const a = net.connect(80, '127.0.0.1');
          const b = net.connect(81, '127.0.0.1');
          a.end();
          if (flag) return;
          b.end();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 4,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that returns at line 6', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('b', 'destroy()', ts`
              import * as net from 'node:net';
              export function twoSockets(flag: boolean): void {
                const a = net.connect(80, '127.0.0.1');
                const b = net.connect(81, '127.0.0.1');
                try {
                  a.end();
                  if (flag) return;
                  b.end();
                } finally {
                  b.destroy();
                }
              }
            `),
          ],
        },
      ],
    },

    // ── Releases: non-release calls, alias / optional call / helper on one path only ─────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function aliasOneBranch(ok: boolean): void {
          const s = net.connect(80, '127.0.0.1');
          const conn = s;
          if (ok) conn.end();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that reaches the end of the function', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function optionalOneBranch(ok: boolean): void {
          const s: net.Socket | undefined = net.connect(80, '127.0.0.1');
          if (ok) s?.destroy();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 37,
          data: { kind: 'net.Socket', detail: 'on the path that reaches the end of the function', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as net from 'node:net';
              export function optionalOneBranch(ok: boolean): void {
                const s: net.Socket | undefined = net.connect(80, '127.0.0.1');
                try {
                  if (ok) s?.destroy();
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function unrefOnly(): void {
          const s = net.connect(80, '127.0.0.1');
          s.unref();
          s.removeAllListeners();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on any path (nothing releases it or hands it off)', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as net from 'node:net';
              export function unrefOnly(): void {
                const s = net.connect(80, '127.0.0.1');
                try {
                  s.unref();
                  s.removeAllListeners();
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        function closeIt(sock: net.Socket): void {
          sock.destroy();
        }
        export function helperOneBranch(ok: boolean): void {
          const s = net.connect(80, '127.0.0.1');
          if (ok) closeIt(s);
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 6,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that reaches the end of the function', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as net from 'node:net';
              function closeIt(sock: net.Socket): void {
                sock.destroy();
              }
              export function helperOneBranch(ok: boolean): void {
                const s = net.connect(80, '127.0.0.1');
                try {
                  if (ok) closeIt(s);
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function chained(): void {
          const s = net.connect(80, '127.0.0.1').setNoDelay(true);
          s.write('x');
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on any path (nothing releases it or hands it off)', release: 'end() or destroy()' },
        },
      ],
    },

    // ── Resource kinds ───────────────────────────────────────────────────────────────────────────────
    {
      code: ts`
        import * as tls from 'node:tls';
        export function secure(early: boolean): void {
          const s = tls.connect(443, '127.0.0.1');
          if (early) return;
          s.end();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'tls.TLSSocket', detail: 'on the path that returns at line 4', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as tls from 'node:tls';
              export function secure(early: boolean): void {
                const s = tls.connect(443, '127.0.0.1');
                try {
                  if (early) return;
                  s.end();
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as dgram from 'node:dgram';
        export function announce(msg: Buffer): void {
          const sock = dgram.createSocket('udp4');
          sock.send(msg, 41234, '127.0.0.1');
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 16,
          data: { kind: 'dgram.Socket', detail: 'on any path (nothing releases it or hands it off)', release: 'close()' },
          suggestions: [
            finallySuggestion('sock', 'close()', ts`
              import * as dgram from 'node:dgram';
              export function announce(msg: Buffer): void {
                const sock = dgram.createSocket('udp4');
                try {
                  sock.send(msg, 41234, '127.0.0.1');
                } finally {
                  sock.close();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function listenOnly(): void {
          const srv = net.createServer();
          srv.listen(0, '127.0.0.1');
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 15,
          data: { kind: 'net.Server', detail: 'on any path (nothing releases it or hands it off)', release: 'close()' },
          suggestions: [
            finallySuggestion('srv', 'close()', ts`
              import * as net from 'node:net';
              export function listenOnly(): void {
                const srv = net.createServer();
                try {
                  srv.listen(0, '127.0.0.1');
                } finally {
                  srv.close();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as http from 'node:http';
        export function httpNoHandler(early: boolean): void {
          const srv = http.createServer();
          srv.listen(0);
          if (early) return;
          srv.close();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 15,
          data: { kind: 'net.Server', detail: 'on the path that returns at line 5', release: 'close()' },
          suggestions: [
            finallySuggestion('srv', 'close()', ts`
              import * as http from 'node:http';
              export function httpNoHandler(early: boolean): void {
                const srv = http.createServer();
                try {
                  srv.listen(0);
                  if (early) return;
                } finally {
                  srv.close();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as http2 from 'node:http2';
        export function h2(skip: boolean): void {
          const session = http2.connect('http://127.0.0.1:8080');
          if (skip) return;
          session.close();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 19,
          data: { kind: 'http2.ClientHttp2Session', detail: 'on the path that returns at line 4', release: 'close() or destroy()' },
          suggestions: [
            finallySuggestion('session', 'destroy()', ts`
              import * as http2 from 'node:http2';
              export function h2(skip: boolean): void {
                const session = http2.connect('http://127.0.0.1:8080');
                try {
                  if (skip) return;
                  session.close();
                } finally {
                  session.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import WebSocket from 'ws';
        export function greet(): void {
          const ws = new WebSocket('ws://127.0.0.1:8080');
          ws.on('open', () => ws.send('hello'));
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 14,
          data: { kind: 'WebSocket', detail: 'on any path (nothing releases it or hands it off)', release: 'close() or terminate()' },
        },
      ],
    },
    {
      code: ts`
        import { WebSocketServer } from 'ws';
        export function wssEarly(port: number): void {
          const wss = new WebSocketServer({ port });
          if (port === 0) return;
          wss.close();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 15,
          data: { kind: 'WebSocketServer', detail: 'on the path that returns at line 4', release: 'close()' },
          suggestions: [
            finallySuggestion('wss', 'close()', ts`
              import { WebSocketServer } from 'ws';
              export function wssEarly(port: number): void {
                const wss = new WebSocketServer({ port });
                try {
                  if (port === 0) return;
                } finally {
                  wss.close();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        declare function openSocket(port: number): net.Socket;
        export function useFactory(flag: boolean): void {
          const s = openSocket(80);
          if (flag) return;
          s.destroy();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 4,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that returns at line 5', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as net from 'node:net';
              declare function openSocket(port: number): net.Socket;
              export function useFactory(flag: boolean): void {
                const s = openSocket(80);
                try {
                  if (flag) return;
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        declare function dial(host: string): Promise<net.Socket>;
        export async function useDial(): Promise<void> {
          const s = await dial('127.0.0.1');
          s.write('x');
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 4,
          column: 19,
          data: { kind: 'net.Socket', detail: 'on any path (nothing releases it or hands it off)', release: 'end() or destroy()' },
          suggestions: [
            {
              messageId: 'suggestFinally',
              data: { name: 's', release: 'destroy()' },
              output: ts`
                import * as net from 'node:net';
                declare function dial(host: string): Promise<net.Socket>;
                export async function useDial(): Promise<void> {
                  const s = await dial('127.0.0.1');
                  try {
                    s.write('x');
                  } finally {
                    s.destroy();
                  }
                }
              `,
            },
            {
              messageId: 'suggestAwaitUsing',
              data: { name: 's' },
              output: ts`
                import * as net from 'node:net';
                declare function dial(host: string): Promise<net.Socket>;
                export async function useDial(): Promise<void> {
                  await using s = await dial('127.0.0.1');
                  s.write('x');
                }
              `,
            },
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        class LineSocket extends net.Socket {
          writeLine(line: string): boolean {
            return this.write(line + '\n');
          }
        }
        export function lines(): void {
          const s = new LineSocket();
          s.connect(80, '127.0.0.1');
          s.writeLine('hello');
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 8,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on any path (nothing releases it or hands it off)', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as net from 'node:net';
              class LineSocket extends net.Socket {
                writeLine(line: string): boolean {
                  return this.write(line + '\n');
                }
              }
              export function lines(): void {
                const s = new LineSocket();
                try {
                  s.connect(80, '127.0.0.1');
                  s.writeLine('hello');
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        import * as tls from 'node:tls';
        export function wrapOnly(): void {
          const raw = net.connect(443, '127.0.0.1');
          const secure = new tls.TLSSocket(raw);
          secure.write('x');
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 5,
          column: 18,
          data: { kind: 'tls.TLSSocket', detail: 'on any path (nothing releases it or hands it off)', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('secure', 'destroy()', ts`
              import * as net from 'node:net';
              import * as tls from 'node:tls';
              export function wrapOnly(): void {
                const raw = net.connect(443, '127.0.0.1');
                const secure = new tls.TLSSocket(raw);
                try {
                  secure.write('x');
                } finally {
                  secure.destroy();
                }
              }
            `),
          ],
        },
      ],
    },

    // ── Hand-offs on one path only ───────────────────────────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function maybeReturn(ok: boolean): net.Socket | undefined {
          const s = net.connect(80, '127.0.0.1');
          if (ok) return s;
          return undefined;
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that returns at line 5', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function maybeStore(pool: net.Socket[], ok: boolean): void {
          const s = net.connect(80, '127.0.0.1');
          if (ok) pool.push(s);
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that reaches the end of the function', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        import type { Readable } from 'node:stream';
        export function maybePipe(src: Readable, ok: boolean): void {
          const s = net.connect(80, '127.0.0.1');
          if (ok) src.pipe(s);
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 4,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that reaches the end of the function', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function bridge(client: net.Socket): void {
          const upstream = net.connect(80, '127.0.0.1');
          upstream.write('hello');
          client.end();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 20,
          data: { kind: 'net.Socket', detail: 'on any path (nothing releases it or hands it off)', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('upstream', 'destroy()', ts`
              import * as net from 'node:net';
              export function bridge(client: net.Socket): void {
                const upstream = net.connect(80, '127.0.0.1');
                try {
                  upstream.write('hello');
                  client.end();
                } finally {
                  upstream.destroy();
                }
              }
            `),
          ],
        },
      ],
    },

    // ── Event lifecycle: 'timeout' handling, 'close' cannot release, one-shot callbacks ───────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function idle(): void {
          const s = net.connect(80, '127.0.0.1', () => {
            s.end('bye');
          });
          s.setTimeout(5000);
          s.on('timeout', () => {
            console.log('idle');
          });
        }
      `,
      errors: [
        {
          messageId: 'timeoutNotReleased',
          line: 7,
          column: 19,
          data: { kind: 'net.Socket', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function idleCallback(): void {
          const s = net.connect(80, '127.0.0.1', () => {
            s.end('bye');
          });
          s.setTimeout(5000, () => {
            console.log('idle');
          });
        }
      `,
      errors: [
        {
          messageId: 'timeoutNotReleased',
          line: 6,
          column: 22,
          data: { kind: 'net.Socket', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function idleOnce(): void {
          const s = net.connect(80, '127.0.0.1', () => {
            s.end('bye');
          });
          s.setTimeout(5000);
          s.once('timeout', function onIdle() {
            console.warn('timed out');
          });
        }
      `,
      errors: [
        {
          messageId: 'timeoutNotReleased',
          line: 7,
          column: 21,
          data: { kind: 'net.Socket', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function idleOption(): void {
          const s = net.connect({ port: 80, host: '127.0.0.1', timeout: 5000 }, () => {
            s.end('bye');
          });
          s.on('timeout', () => console.warn('timed out'));
        }
      `,
      errors: [
        {
          messageId: 'timeoutNotReleased',
          line: 6,
          column: 19,
          data: { kind: 'net.Socket', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function idleUnhandled(): void {
          const s = net.connect(80, '127.0.0.1', () => {
            s.end('bye');
          });
          s.setTimeout(5000);
        }
      `,
      errors: [
        {
          messageId: 'idleTimeoutUnhandled',
          line: 6,
          column: 3,
          data: { kind: 'net.Socket' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function idleVariable(idleMs: number): void {
          const s = net.connect(80, '127.0.0.1');
          s.on('data', () => s.end());
          s.setTimeout(idleMs);
        }
      `,
      errors: [
        {
          messageId: 'idleTimeoutUnhandled',
          line: 5,
          column: 3,
          data: { kind: 'net.Socket' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function closeListener(): void {
          const s = net.connect(80, '127.0.0.1');
          s.on('close', () => {
            s.destroy();
          });
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on the path that reaches the end of the function', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function cbEarly(verbose: boolean): void {
          const s = net.connect({ port: 80, host: '127.0.0.1' }, () => {
            if (!verbose) return;
            s.end('done');
          });
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'when the connect() callback at line 3 returns at line 4 without releasing it', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as dgram from 'node:dgram';
        export function sendOnce(msg: Buffer): void {
          const sock = dgram.createSocket('udp4');
          sock.send(msg, 41234, '127.0.0.1', (err) => {
            if (err) return;
            sock.close();
          });
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 16,
          data: { kind: 'dgram.Socket', detail: 'when the send() callback at line 4 returns at line 5 without releasing it', release: 'close()' },
        },
      ],
    },

    // ── Settling without the socket ──────────────────────────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function connectWithTimeout(port: number): Promise<net.Socket> {
          return new Promise((resolve, reject) => {
            const s = net.connect(port, '127.0.0.1');
            const timer = setTimeout(() => {
              reject(new Error('connect timeout'));
            }, 1000);
            s.once('connect', () => {
              clearTimeout(timer);
              resolve(s);
            });
            s.once('error', reject);
          });
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 4,
          column: 15,
          data: { kind: 'net.Socket', detail: 'when the operation settles at line 6 (reject()) without it', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function connectAbortable(port: number, signal: AbortSignal): Promise<net.Socket> {
          return new Promise((resolve, reject) => {
            const s = net.connect(port, '127.0.0.1');
            signal.addEventListener('abort', () => {
              reject(new Error('aborted'));
            });
            s.once('connect', () => resolve(s));
            s.once('error', reject);
          });
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 4,
          column: 15,
          data: { kind: 'net.Socket', detail: 'when the operation settles at line 6 (reject()) without it', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function handshake(port: number): Promise<net.Socket> {
          return new Promise((resolve, reject) => {
            const s = net.connect(port, '127.0.0.1');
            s.once('data', (chunk: Buffer) => {
              if (chunk.toString() !== 'HELLO') {
                reject(new Error('bad greeting'));
                return;
              }
              resolve(s);
            });
            s.once('error', reject);
          });
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 4,
          column: 15,
          data: { kind: 'net.Socket', detail: 'when the operation settles at line 7 (reject()) without it', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        type Callback = (err: Error | null, socket?: net.Socket) => void;
        export function openWithTimer(port: number, cb: Callback): void {
          const s = net.connect(port, '127.0.0.1');
          const timer = setTimeout(() => {
            cb(new Error('timeout'));
          }, 1000);
          s.once('connect', () => {
            clearTimeout(timer);
            cb(null, s);
          });
          s.once('error', (err) => cb(err));
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 4,
          column: 13,
          data: { kind: 'net.Socket', detail: 'when the operation settles at line 6 (cb()) without it', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export class Client {
          private sock: net.Socket | undefined;
          open(port: number): Promise<void> {
            return new Promise((resolve, reject) => {
              const s = net.connect(port, '127.0.0.1');
              const timer = setTimeout(() => reject(new Error('timeout')), 1000);
              s.once('connect', () => {
                clearTimeout(timer);
                this.sock = s;
                resolve();
              });
            });
          }
          close(): void {
            this.sock?.destroy();
          }
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 6,
          column: 17,
          data: { kind: 'net.Socket', detail: 'when the operation settles at line 7 (reject()) without it', release: 'end() or destroy()' },
        },
      ],
    },

    // ── Local collections never released ─────────────────────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function fanOut(ports: number[]): void {
          const socks: net.Socket[] = [];
          for (const p of ports) {
            socks.push(net.connect(p, '127.0.0.1'));
          }
          for (const s of socks) s.write('hi');
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 5,
          column: 16,
          data: { kind: 'net.Socket', detail: "on any path (it is kept in the local collection 'socks', which is never released)", release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function fanOutSet(ports: number[]): number {
          const socks = new Set<net.Socket>();
          for (const p of ports) {
            socks.add(net.connect(p, '127.0.0.1'));
          }
          return socks.size;
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 5,
          column: 15,
          data: { kind: 'net.Socket', detail: "on any path (it is kept in the local collection 'socks', which is never released)", release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function fanOutMap(ports: number[]): void {
          const socks = new Map<number, net.Socket>();
          for (const p of ports) {
            socks.set(p, net.connect(p, '127.0.0.1'));
          }
          socks.clear();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 5,
          column: 18,
          data: { kind: 'net.Socket', detail: "on any path (it is kept in the local collection 'socks', which is never released)", release: 'end() or destroy()' },
        },
      ],
    },

    // ── Reassignment while the old socket is open ───────────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function swap(): void {
          let s = net.connect(80, '127.0.0.1');
          s.write('a');
          s = net.connect(81, '127.0.0.1');
          s.end();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 11,
          data: { kind: 'net.Socket', detail: 'before it is overwritten at line 5', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function lastOnly(ports: number[]): void {
          let s: net.Socket | undefined;
          for (const p of ports) {
            s = net.connect(p, '127.0.0.1');
          }
          s?.destroy();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 5,
          column: 9,
          data: { kind: 'net.Socket', detail: 'before the loop creates the next one', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export class Conn {
          private sock: net.Socket;
          constructor() {
            this.sock = net.connect(80, '127.0.0.1');
          }
          reconnect(): void {
            this.sock = net.connect(80, '127.0.0.1');
          }
          close(): void {
            this.sock.destroy();
          }
        }
      `,
      errors: [
        {
          messageId: 'fieldOverwritten',
          line: 8,
          column: 5,
          data: { kind: 'net.Socket', field: 'this.sock', release: 'end() or destroy()' },
        },
      ],
    },

    // ── Only callbacks hold the socket: a callback path drops it ────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function later(flag: boolean): void {
          const s = net.connect(80, '127.0.0.1');
          process.nextTick(() => {
            if (flag) return;
            s.end('bye');
          });
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'when the nextTick callback at line 4 returns at line 5 without releasing it', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function afterDelay(isReady: () => boolean): void {
          const s = net.connect(80, '127.0.0.1');
          setTimeout(() => {
            if (!isReady()) return;
            s.destroy();
          }, 1000);
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'when the setTimeout callback at line 4 returns at line 5 without releasing it', release: 'end() or destroy()' },
        },
      ],
    },

    // ── using only releases what it declares ─────────────────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export async function mixed(): Promise<void> {
          await using a = net.connect(80, '127.0.0.1');
          const b = net.connect(81, '127.0.0.1');
          a.write('x');
          b.write('y');
        }
      `,
      errors: [
        {
          messageId: 'leak',
          line: 4,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on any path (nothing releases it or hands it off)', release: 'end() or destroy()' },
          suggestions: [
            finallySuggestion('b', 'destroy()', ts`
              import * as net from 'node:net';
              export async function mixed(): Promise<void> {
                await using a = net.connect(80, '127.0.0.1');
                const b = net.connect(81, '127.0.0.1');
                try {
                  a.write('x');
                  b.write('y');
                } finally {
                  b.destroy();
                }
              }
            `),
            awaitUsingSuggestion('b', ts`
              import * as net from 'node:net';
              export async function mixed(): Promise<void> {
                await using a = net.connect(80, '127.0.0.1');
                await using b = net.connect(81, '127.0.0.1');
                a.write('x');
                b.write('y');
              }
            `),
          ],
        },
      ],
    },

    // ── Module scope with checkModuleScope: true ─────────────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        const s = net.connect(80, '127.0.0.1');
        s.write('module scope');
      `,
      options: moduleScope,
      errors: [
        {
          messageId: 'leak',
          line: 2,
          column: 11,
          data: { kind: 'net.Socket', detail: 'on any path (nothing releases it or hands it off)', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as dgram from 'node:dgram';
        const sock = dgram.createSocket('udp4');
        sock.bind(41234);
      `,
      options: moduleScope,
      errors: [
        {
          messageId: 'leak',
          line: 2,
          column: 14,
          data: { kind: 'dgram.Socket', detail: 'on any path (nothing releases it or hands it off)', release: 'close()' },
        },
      ],
    },

    // ── Class fields never released ──────────────────────────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export class Client {
          private sock: net.Socket;
          constructor() {
            this.sock = net.connect(80, '127.0.0.1');
          }
          send(msg: string): void {
            this.sock.write(msg);
          }
        }
      `,
      errors: [
        {
          messageId: 'fieldNeverReleased',
          line: 5,
          column: 5,
          data: { kind: 'net.Socket', field: 'sock', release: 'end() or destroy()' },
        },
      ],
    },
    {
      code: ts`
        import * as dgram from 'node:dgram';
        export class Pinger {
          sock = dgram.createSocket('udp4');
          ping(): void {
            this.sock.send('ping', 41234, '127.0.0.1');
          }
        }
      `,
      errors: [
        {
          messageId: 'fieldNeverReleased',
          line: 3,
          column: 3,
          data: { kind: 'dgram.Socket', field: 'sock', release: 'close()' },
        },
      ],
    },
    {
      code: ts`
        import WebSocket from 'ws';
        export class Feed {
          private ws: WebSocket;
          constructor(url: string) {
            this.ws = new WebSocket(url);
            this.ws.on('message', (data) => console.log(String(data)));
          }
        }
      `,
      errors: [
        {
          messageId: 'fieldNeverReleased',
          line: 5,
          column: 5,
          data: { kind: 'WebSocket', field: 'ws', release: 'close() or terminate()' },
        },
      ],
    },

    // ── endIsRelease: false — end() does not count ──────────────────────────────────────────────────
    {
      code: ts`
        import * as net from 'node:net';
        export function graceful(): void {
          const s = net.connect(80, '127.0.0.1');
          s.end('bye');
        }
      `,
      options: endNotRelease,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'net.Socket', detail: 'on any path (nothing releases it or hands it off)', release: 'destroy() or resetAndDestroy()' },
          suggestions: [
            finallySuggestion('s', 'destroy()', ts`
              import * as net from 'node:net';
              export function graceful(): void {
                const s = net.connect(80, '127.0.0.1');
                try {
                  s.end('bye');
                } finally {
                  s.destroy();
                }
              }
            `),
          ],
        },
      ],
    },
    {
      code: ts`
        import * as tls from 'node:tls';
        export function gracefulTls(): void {
          const s = tls.connect({ port: 443, host: '127.0.0.1' }, () => {
            s.end();
          });
        }
      `,
      options: endNotRelease,
      errors: [
        {
          messageId: 'leak',
          line: 3,
          column: 13,
          data: { kind: 'tls.TLSSocket', detail: 'on any path (nothing releases it or hands it off)', release: 'destroy() or resetAndDestroy()' },
        },
      ],
    },
  ],
});

// Without type information the rule cannot know what a socket is: it says so once, at the Program node.
new RuleTester().run('no-leak without type information', rule, {
  valid: [],
  invalid: [
    {
      code: ts`
        import * as net from 'node:net';
        export function fire(): void {
          net.connect(80, '127.0.0.1');
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
        plugins: { 'socket-close': { rules: { 'no-leak': rule } } },
        rules: { 'socket-close/no-leak': ['error', ...options] },
      },
    ],
    path.join(fixturesDir, 'file.ts'),
  );
}

describe('no-leak messages name the kind and the exit', () => {
  const kinds: Array<[kind: string, code: string]> = [
    ['net.Socket', ts`
      import * as net from 'node:net';
      export function f(): void {
        net.connect(80, '127.0.0.1');
      }
    `],
    ['tls.TLSSocket', ts`
      import * as tls from 'node:tls';
      export function f(): void {
        tls.connect(443, '127.0.0.1');
      }
    `],
    ['dgram.Socket', ts`
      import * as dgram from 'node:dgram';
      export function f(): void {
        dgram.createSocket('udp4');
      }
    `],
    ['net.Server', ts`
      import * as net from 'node:net';
      export function f(): void {
        net.createServer().listen(0, '127.0.0.1');
      }
    `],
    ['http2.ClientHttp2Session', ts`
      import * as http2 from 'node:http2';
      export function f(): void {
        http2.connect('http://127.0.0.1:8080');
      }
    `],
    ['WebSocket', ts`
      import WebSocket from 'ws';
      export function f(): void {
        new WebSocket('ws://127.0.0.1:8080');
      }
    `],
    ['WebSocketServer', ts`
      import { WebSocketServer } from 'ws';
      export function f(): void {
        new WebSocketServer({ port: 8080 });
      }
    `],
  ];
  for (const [kind, code] of kinds) {
    it(`names ${kind}`, () => {
      const messages = lint(code);
      expect(messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([['socket-close/no-leak', 3, 3]]);
      // The kind appears as a word of its own: 'WebSocket' must not be satisfied by 'WebSocketServer'.
      expect(messages[0].message).toMatch(new RegExp(`(^|[^\\w.])${kind.replace(/\./g, '\\.')}(?!\\w|\\.\\w)`));
    });
  }

  it('names the line of the early return that drops the socket', () => {
    const messages = lint(ts`
      import * as net from 'node:net';
      export function probe(flag: boolean): void {
        const s = net.connect(80, '127.0.0.1');
        s.write('x');
        if (flag) return;
        s.end();
      }
    `);
    expect(messages).toHaveLength(1);
    expect(messages[0].message).toMatch(/\bline 5\b/);
  });
});
