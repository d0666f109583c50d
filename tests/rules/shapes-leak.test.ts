/**
 * no-leak: the event-driven shapes that real socket bugs take (issue 11). For each shape, the cases that must be
 * reported (with the exact message and place) and the cases next to them that must stay silent.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

type Found = [line: number, column: number, messageId: string | null, message: string];

function leaks(code: string): Found[] {
  return lintWithPlugin(code, { rules: { 'no-leak': 'error' } }).map((m) => [m.line, m.column, m.messageId ?? null, m.message]);
}

describe("Item 1: settle, then release, in one callback", () => {
  it("reject() followed by destroy() in the same listener, and in a timer: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export function probe(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const sock = net.connect(port, '127.0.0.1');
          sock.once('connect', () => resolve(sock));
          sock.once('data', (d) => {
            reject(new Error('unexpected'));
            sock.destroy();
          });
          setTimeout(() => {
            reject(new Error('t'));
            sock.destroy();
          }, 1000);
        });
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("resolve()/reject() without the socket, each followed by a release: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export function probe(port: number): Promise<void> {
        return new Promise((resolve, reject) => {
          const sock = net.connect(port, '127.0.0.1');
          sock.once('connect', () => {
            resolve();
            sock.end();
          });
          sock.once('error', (err) => {
            reject(err);
            sock.destroy();
          });
          setTimeout(() => {
            reject(new Error('t'));
            sock.destroy();
          }, 1000);
        });
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("reject() and then a path that returns before the release: reported at the settle", () => {
    const code = ts`
      import * as net from 'node:net';
      export function probe(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const sock = net.connect(port, '127.0.0.1');
          sock.once('connect', () => resolve(sock));
          sock.once('data', (d: Buffer) => {
            reject(new Error('unexpected'));
            if (d.length > 0) return;
            sock.destroy();
          });
        });
      }
    `;
    expect(leaks(code)).toEqual([
      [4, 18, 'leak', "This net.Socket is not released when the operation settles at line 7 (reject()) without it: call end() or destroy() first, or hand it to an owner."],
    ]);
  });


  it("a settle before the listeners that would resolve the socket: those hand-offs are void, reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export function open(port: number, bad: boolean): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          if (bad) reject(new Error('bad'));
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
      }
    `;
    expect(leaks(code)).toEqual([
      [4, 15, 'leak', "This net.Socket is not released when the operation settles at line 5 (reject()) without it: call end() or destroy() first, or hand it to an owner."],
    ]);
  });
});

describe("Item 3: named release callbacks", () => {
  it("a named arrow passed to send() releases: no report", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function send(buf: Buffer, port: number, host: string, cb: (err?: Error) => void): void {
        const sock = dgram.createSocket('udp4');
        const done = (err: Error | null) => {
          sock.close();
          cb(err ?? undefined);
        };
        sock.send(buf, port, host, done);
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a named listener releases: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export function ping(port: number): void {
        const sock = net.connect(port, '127.0.0.1');
        const onData = (d: Buffer) => {
          console.log(d);
          sock.end();
        };
        sock.on('data', onData);
        sock.write('ping');
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a function declaration passed to send() releases and settles: no report", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function send(buf: Buffer, port: number, host: string): Promise<void> {
        return new Promise((resolve, reject) => {
          const sock = dgram.createSocket('udp4');
          function done(err: Error | null) {
            sock.close();
            if (err) reject(err); else resolve();
          }
          sock.send(buf, port, host, done);
        });
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a named fail() used by a listener and the idle-timeout callback: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export function connectTo(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const sock = net.connect(port, '127.0.0.1');
          const fail = (err: Error) => {
            sock.destroy();
            reject(err);
          };
          sock.setTimeout(1000, () => fail(new Error('timeout')));
          sock.once('error', fail);
          sock.once('connect', () => {
            sock.setTimeout(0);
            resolve(sock);
          });
        });
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("hoisted named listeners for 'end' and 'timeout': no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export function query(port: number, cb: (err: Error | null, data?: string) => void): void {
        const sock = net.connect(port, '127.0.0.1');
        let buf = '';
        sock.on('data', (d) => { buf += d; });
        sock.on('end', onEnd);
        sock.on('timeout', onTimeout);
        sock.setTimeout(2000);
        sock.write('q');
        function onEnd() {
          sock.destroy();
          cb(null, buf);
        }
        function onTimeout() {
          sock.destroy();
          cb(new Error('timeout'));
        }
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("one finish() for the timer, the message, the error and send(): no report", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function ask(buf: Buffer, port: number): Promise<Buffer> {
        return new Promise((resolve, reject) => {
          const sock = dgram.createSocket('udp4');
          const finish = (err: Error | null, msg?: Buffer) => {
            clearTimeout(timer);
            sock.close();
            if (err) reject(err);
            else resolve(msg as Buffer);
          };
          const timer = setTimeout(() => finish(new Error('timeout')), 1000);
          sock.on('message', (msg) => finish(null, msg));
          sock.on('error', finish);
          sock.send(buf, port, '127.0.0.1', (err) => {
            if (err) finish(err);
          });
        });
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a done() that releases, called from three listeners: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export function probe(port: number): Promise<boolean> {
        return new Promise((resolve) => {
          const sock = net.connect(port, '127.0.0.1');
          const done = (ok: boolean) => {
            sock.destroy();
            resolve(ok);
          };
          sock.setTimeout(1000);
          sock.on('timeout', () => done(false));
          sock.on('connect', () => done(true));
          sock.on('error', () => done(false));
        });
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("the callback is declared before the socket is assigned: no report", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function send(msg: Buffer, port: number, cb: (err?: Error | null) => void): void {
        let sock: dgram.Socket;
        const done = (err?: Error | null) => {
          sock.close();
          cb(err);
        };
        sock = dgram.createSocket('udp4');
        sock.on('error', done);
        sock.send(msg, port, '127.0.0.1', done);
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a named 'timeout' callback that rejects and then releases: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export function connectTo(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const sock = net.connect(port, '127.0.0.1');
          const onTimeout = () => {
            reject(new Error('timeout'));
            sock.destroy();
          };
          sock.setTimeout(1000, onTimeout);
          sock.once('error', reject);
          sock.once('connect', () => {
            sock.setTimeout(0);
            resolve(sock);
          });
        });
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a hoisted done() called on one path and passed on the other: no report", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function send(msg: Buffer, port: number, cb: (err: Error | null) => void): void {
        const sock = dgram.createSocket('udp4');
        sock.send(msg, port, '127.0.0.1', (err) => {
          if (err) return done(err);
          sock.send(msg, port, '127.0.0.1', done);
        });
        function done(err: Error | null) {
          sock.close();
          cb(err);
        }
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a named callback that does not release: still reported", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function send(buf: Buffer, port: number, cb: (err: Error | null) => void): void {
        const sock = dgram.createSocket('udp4');
        const done = (err: Error | null) => {
          cb(err);
        };
        sock.send(buf, port, '127.0.0.1', done);
      }
    `;
    expect(leaks(code)).toEqual([
      [3, 16, 'leak', "This dgram.Socket is not released on any path (nothing releases it or hands it off): call close() first, or hand it to an owner."],
    ]);
  });

});

describe("Item 4: idle timeout on an object-owned socket", () => {
  it("a class with close() whose 'timeout' listener emits: the owner's policy, no report", () => {
    const code = ts`
      import * as net from 'node:net';
      import { EventEmitter } from 'node:events';
      export class Conn extends EventEmitter {
        private sock: net.Socket;
        constructor(port: number) {
          super();
          this.sock = net.connect(port, '127.0.0.1');
          this.sock.setTimeout(5000);
          this.sock.on('timeout', () => {
            this.emit('timeout');
          });
        }
        close(): void {
          this.sock.destroy();
        }
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a socket stored in a field, its 'timeout' listener calls the owner's callback, the class has destroy(): no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Conn {
        private sock: net.Socket | undefined;
        constructor(private readonly port: number, private readonly onIdle: () => void) {}
        open(): void {
          const s = net.connect(this.port, '127.0.0.1');
          s.setTimeout(5000);
          s.on('timeout', () => this.onIdle());
          this.sock = s;
        }
        destroy(): void {
          this.sock?.destroy();
        }
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a socket the function owns: a listener that only calls a callback is still reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export function chat(port: number, onIdle: () => void): void {
        const s = net.connect(port, '127.0.0.1', () => s.end('bye'));
        s.setTimeout(5000);
        s.on('timeout', () => onIdle());
      }
    `;
    expect(leaks(code)).toEqual([
      [5, 19, 'timeoutNotReleased', "This 'timeout' listener neither releases the net.Socket nor hands it off: a 'timeout' event does not close the socket, call end() or destroy() here."],
    ]);
  });

  it("a class with close() whose 'timeout' listener only logs: reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Conn {
        private sock: net.Socket;
        constructor(port: number) {
          this.sock = net.connect(port, '127.0.0.1');
          this.sock.setTimeout(5000);
          this.sock.on('timeout', () => {
            console.warn('idle');
          });
        }
        close(): void {
          this.sock.destroy();
        }
      }
    `;
    expect(leaks(code)).toEqual([
      [7, 29, 'timeoutNotReleased', "This 'timeout' listener neither releases the net.Socket nor hands it off: a 'timeout' event does not close the socket, call end() or destroy() here."],
    ]);
  });

});

describe("Item 6: wrappers over a borrowed socket", () => {
  it("tls.connect({ socket }) over a parameter, the error path only reports: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      import * as tls from 'node:tls';
      export function upgrade(socket: net.Socket, cb: (err: Error | null, s?: tls.TLSSocket) => void): void {
        const secure = tls.connect({ socket, servername: 'x' });
        secure.once('secureConnect', () => cb(null, secure));
        secure.once('error', (err) => {
          cb(err);
        });
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a promise-wrapped upgrade that rejects when the underlying socket closes: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      import * as tls from 'node:tls';
      export function upgrade(socket: net.Socket): Promise<tls.TLSSocket> {
        return new Promise((resolve, reject) => {
          const secure = tls.connect({ socket, servername: 'x' });
          secure.once('secureConnect', () => resolve(secure));
          socket.once('close', () => reject(new Error('closed')));
          secure.once('error', reject);
        });
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a failure branch where the owner's socket is destroyed: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      import * as tls from 'node:tls';
      export function upgrade(socket: net.Socket, bad: boolean): tls.TLSSocket | undefined {
        const secure = tls.connect({ socket, servername: 'x' });
        if (bad) {
          socket.destroy();
          return undefined;
        }
        return secure;
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a wrapper over a socket the function created itself: still reported", () => {
    const code = ts`
      import * as net from 'node:net';
      import * as tls from 'node:tls';
      export function upgrade(port: number, bad: boolean): tls.TLSSocket | undefined {
        const raw = net.connect(port, '127.0.0.1');
        const secure = tls.connect({ socket: raw, servername: 'x' });
        if (bad) return undefined;
        return secure;
      }
    `;
    expect(leaks(code)).toEqual([
      [5, 18, 'leak', "This tls.TLSSocket is not released on the path that returns at line 6: call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("a TLS wrapper over the Duplex of http's 'connect' event, over `any`, options held in a local: no report", () => {
    const code = ts`
      import type * as http from 'node:http';
      import * as tls from 'node:tls';
      import type { Duplex } from 'node:stream';
      export function mitm(server: http.Server): void {
        server.on('connect', (_req, client: Duplex) => {
          const secure = new tls.TLSSocket(client, { isServer: true });
          secure.on('data', (d) => secure.write(d));
        });
      }
      export function upgradeAny(raw: any, onTimeout: () => void): void {
        const secure = new tls.TLSSocket(raw, { isServer: true });
        secure.setTimeout(30_000, () => onTimeout());
      }
      export function viaOptions(raw: Duplex): void {
        const opts = { socket: raw, servername: 'x' };
        const secure = tls.connect(opts);
        secure.setTimeout(1000);
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("\`any\` in no wrapping place (the options or the port of tls.connect): still reported", () => {
    const code = ts`
      import * as tls from 'node:tls';
      export function open(options: any): void {
        const s = tls.connect(options);
        s.write('x');
      }
      export function overPort(port: any): void {
        const s = tls.connect(port, '127.0.0.1');
        s.write('x');
      }
    `;
    expect(leaks(code).map((r) => r.slice(0, 3))).toEqual([
      [3, 13, 'leak'],
      [7, 13, 'leak'],
    ]);
  });

});

describe("Item 20: promises returned without await inside try", () => {
  it("return handshake(s) in a try whose catch destroys: reported, the catch never sees the rejection", () => {
    const code = ts`
      import * as net from 'node:net';
      async function handshake(s: net.Socket): Promise<net.Socket> {
        s.write('hello');
        return s;
      }
      export async function open(port: number): Promise<net.Socket> {
        const s = net.connect(port, '127.0.0.1');
        try {
          return handshake(s);
        } catch (err) {
          s.destroy();
          throw err;
        }
      }
    `;
    expect(leaks(code)).toEqual([
      [7, 13, 'leak', "This net.Socket is not released when handshake() at line 9 rejects (the promise is returned without await, so the catch block at line 10 does not run): call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("return await handshake(s): no report", () => {
    const code = ts`
      import * as net from 'node:net';
      async function handshake(s: net.Socket): Promise<net.Socket> {
        s.write('hello');
        return s;
      }
      export async function open(port: number): Promise<net.Socket> {
        const s = net.connect(port, '127.0.0.1');
        try {
          return await handshake(s);
        } catch (err) {
          s.destroy();
          throw err;
        }
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a helper that releases its parameter on failure, and a synchronous helper: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      async function handshake(s: net.Socket): Promise<net.Socket> {
        try {
          s.write('hello');
          return s;
        } catch (err) {
          s.destroy();
          throw err;
        }
      }
      function greet(s: net.Socket): net.Socket {
        s.write('hello');
        return s;
      }
      export async function open(port: number): Promise<net.Socket> {
        const s = net.connect(port, '127.0.0.1');
        try {
          return handshake(s);
        } catch (err) {
          s.destroy();
          throw err;
        }
      }
      export function openSync(port: number): net.Socket {
        const s = net.connect(port, '127.0.0.1');
        try {
          return greet(s);
        } catch (err) {
          s.destroy();
          throw err;
        }
      }
    `;
    expect(leaks(code)).toEqual([]);
  });


  it("a returned new Promise around the socket, and a chain on a call that carries it", () => {
    const code = ts`
      import * as net from 'node:net';
      async function handshake(s: net.Socket): Promise<net.Socket> {
        s.write('hello');
        return s;
      }
      export async function open(port: number): Promise<net.Socket> {
        const s = net.connect(port, '127.0.0.1');
        try {
          return new Promise<net.Socket>((resolve, reject) => {
            s.once('connect', () => resolve(s));
            s.once('data', () => reject(new Error('early data')));
          });
        } catch (err) {
          s.destroy();
          throw err;
        }
      }
      export async function chained(port: number): Promise<string> {
        const s = net.connect(port, '127.0.0.1');
        try {
          return handshake(s).then(() => 'ok');
        } catch (err) {
          s.destroy();
          throw err;
        }
      }
    `;
    expect(leaks(code)).toEqual([
      [7, 13, 'leak', "This net.Socket is not released when the operation settles at line 11 (reject()) without it: call end() or destroy() first, or hand it to an owner."],
      [19, 13, 'leak', "This net.Socket is not released when handshake() at line 21 rejects (the promise is returned without await, so the catch block at line 22 does not run): call end() or destroy() first, or hand it to an owner."],
    ]);
  });
});

describe("Item 9: reconnects that drop the old socket", () => {
  it("removeAllListeners() on the old socket is not handling it: reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Client {
        private sock: net.Socket;
        constructor(private readonly port: number) {
          this.sock = net.connect(port, '127.0.0.1');
        }
        reconnect(): void {
          this.sock.removeAllListeners();
          this.sock = net.connect(this.port, '127.0.0.1');
        }
        close(): void {
          this.sock.destroy();
        }
      }
    `;
    expect(leaks(code)).toEqual([
      [9, 5, 'fieldOverwritten', "This stores a new net.Socket in this.sock, which may still hold an open one: release the old socket (end() or destroy()) or check it before replacing it."],
    ]);
  });

  it("connect() called from the old socket's 'timeout' listener: reported at the store", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Client {
        private sock: net.Socket | undefined;
        constructor(private readonly port: number) {}
        connect(): void {
          const s = net.connect(this.port, '127.0.0.1');
          s.setTimeout(5000);
          s.on('timeout', () => this.connect());
          s.on('close', () => { this.sock = undefined; });
          this.sock = s;
        }
        close(): void {
          this.sock?.destroy();
        }
      }
    `;
    expect(leaks(code)).toEqual([
      [10, 5, 'fieldOverwritten', "This stores a new net.Socket in this.sock, which may still hold an open one: release the old socket (end() or destroy()) or check it before replacing it."],
    ]);
  });

  it("a guarded connect() is fine; an unguarded reconnect() is reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Client {
        private sock: net.Socket | undefined;
        constructor(private readonly port: number) {}
        connect(): void {
          if (this.sock) return;
          this.sock = net.connect(this.port, '127.0.0.1');
        }
        reconnect(): void {
          this.sock = net.connect(this.port, '127.0.0.1');
        }
        close(): void {
          this.sock?.destroy();
        }
      }
    `;
    expect(leaks(code)).toEqual([
      [10, 5, 'fieldOverwritten', "This stores a new net.Socket in this.sock, which may still hold an open one: release the old socket (end() or destroy()) or check it before replacing it."],
    ]);
  });

  it("reconnect from the old socket's 'close' listener: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Client {
        private sock: net.Socket | undefined;
        constructor(private readonly port: number) {}
        connect(): void {
          const s = net.connect(this.port, '127.0.0.1');
          s.on('close', () => {
            this.sock = undefined;
            setTimeout(() => this.connect(), 1000);
          });
          this.sock = s;
        }
        close(): void {
          this.sock?.destroy();
        }
      }
    `;
    // No overwrite: the old socket has closed when the listener stores the next. (The owner's close() itself only
    // fires that listener, which reconnects: reported there since the fifteenth triage.)
    expect(leaks(code)).toEqual([
      [14, 5, 'reconnectsAfterRelease', "destroy() releases this net.Socket only until its 'close' listener at line 7 opens it again: remove that listener first, or set a flag here that the reconnect checks."],
    ]);
  });

  it("release the old socket first (behind a test): no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Client {
        private sock: net.Socket | undefined;
        constructor(private readonly port: number) {}
        connect(): void {
          if (this.sock && !this.sock.destroyed) this.sock.destroy();
          this.sock = net.connect(this.port, '127.0.0.1');
        }
        close(): void {
          this.sock?.destroy();
        }
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("the old socket moved to a local that is destroyed: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Client {
        private sock: net.Socket;
        constructor(private readonly port: number) {
          this.sock = net.connect(port, '127.0.0.1');
        }
        reconnect(): void {
          const old = this.sock;
          old.removeAllListeners();
          old.destroy();
          this.sock = net.connect(this.port, '127.0.0.1');
        }
        close(): void {
          this.sock.destroy();
        }
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("reconnect only from the old socket's 'end' listener (net.Socket ends itself after 'end'): no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Client {
        private sock: net.Socket;
        constructor(private readonly port: number) {
          this.sock = this.open();
        }
        private open(): net.Socket {
          const s = net.connect(this.port, '127.0.0.1');
          s.on('end', () => this.reconnect());
          return s;
        }
        reconnect(): void {
          this.sock.removeAllListeners();
          this.sock = this.open();
        }
        close(): void {
          this.sock.destroy();
        }
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a private reconnect only called from a timer set in a 'close' listener: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Client {
        private sock: net.Socket;
        constructor(private readonly port: number) {
          this.sock = this.open();
        }
        private open(): net.Socket {
          const s = net.connect(this.port, '127.0.0.1');
          s.on('close', () => setTimeout(() => this.reconnect(), 1000));
          return s;
        }
        private reconnect(): void {
          this.sock.removeAllListeners();
          this.sock = net.connect(this.port, '127.0.0.1');
        }
        close(): void {
          this.sock.destroy();
        }
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("an early return when a socket is already there: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Client {
        private sock: net.Socket | undefined;
        constructor(private readonly port: number) {}
        connect(): void {
          if (this.sock) return;
          this.sock = net.connect(this.port, '127.0.0.1');
          this.sock.on('close', () => {
            this.sock = undefined;
          });
        }
        close(): void {
          this.sock?.destroy();
        }
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

});

describe("Item 10: collections emptied without releasing", () => {
  it("length = 0 after writing to every socket: reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export function fan(ports: number[]): void {
        const socks: net.Socket[] = [];
        for (const port of ports) socks.push(net.connect(port, '127.0.0.1'));
        for (const s of socks) s.write('hi');
        socks.length = 0;
      }
    `;
    expect(leaks(code)).toEqual([
      [4, 40, 'leak', "This net.Socket is not released on any path (it is kept in the local collection 'socks', which is never released): call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("splice(0) before the release loop: reported at the creation, naming the line", () => {
    const code = ts`
      import * as net from 'node:net';
      export function fan(ports: number[]): void {
        const socks: net.Socket[] = [];
        for (const port of ports) socks.push(net.connect(port, '127.0.0.1'));
        socks.splice(0);
        socks.forEach((s) => s.end());
      }
    `;
    expect(leaks(code)).toEqual([
      [4, 40, 'leak', "This net.Socket is not released before the collection 'socks' that holds it is emptied at line 5: call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("Map.clear() before the release loop: reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export function fan(ports: number[]): void {
        const socks = new Map<number, net.Socket>();
        for (const port of ports) socks.set(port, net.connect(port, '127.0.0.1'));
        socks.clear();
        for (const s of socks.values()) s.end();
      }
    `;
    expect(leaks(code)).toEqual([
      [4, 45, 'leak', "This net.Socket is not released before the collection 'socks' that holds it is emptied at line 5: call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("the collection variable reassigned: reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export function fan(ports: number[]): void {
        let socks: net.Socket[] = [];
        for (const port of ports) socks.push(net.connect(port, '127.0.0.1'));
        socks = [];
        socks.forEach((s) => s.end());
      }
    `;
    expect(leaks(code)).toEqual([
      [4, 40, 'leak', "This net.Socket is not released before the collection 'socks' that holds it is emptied at line 5: call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("emptied after releasing, or moved out by splice(0) and released: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export function fan(ports: number[]): void {
        const socks: net.Socket[] = [];
        for (const port of ports) socks.push(net.connect(port, '127.0.0.1'));
        for (const s of socks) s.destroy();
        socks.length = 0;
        const taken = new Map<number, net.Socket>();
        taken.set(1, net.connect(1, '127.0.0.1'));
        for (const s of taken.values()) s.end();
        taken.clear();
        const again: net.Socket[] = [];
        again.push(net.connect(2, '127.0.0.1'));
        const removed = again.splice(0);
        removed.forEach((s) => s.destroy());
      }
    `;
    expect(leaks(code)).toEqual([]);
  });


  it("emptied at the top of the loop body: the socket of an earlier iteration", () => {
    const code = ts`
      import * as net from 'node:net';
      export function rounds(ports: number[]): void {
        const socks: net.Socket[] = [];
        for (const port of ports) {
          socks.length = 0;
          socks.push(net.connect(port, '127.0.0.1'));
          socks.forEach((s) => s.write('x'));
        }
        socks.forEach((s) => s.end());
      }
    `;
    expect(leaks(code)).toEqual([
      [6, 16, 'leak', "This net.Socket is not released before the collection 'socks' that holds it is emptied at line 5 (it was created in an earlier iteration): call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("a field collection emptied by reassignment and by length = 0 without releasing: reported at each place", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Pool {
        private socks: net.Socket[] = [];
        add(port: number): void {
          this.socks.push(net.connect(port, '127.0.0.1'));
        }
        reset(): void {
          this.socks = [];
        }
        clear(): void {
          this.socks.length = 0;
        }
        close(): void {
          for (const s of this.socks) s.destroy();
        }
      }
    `;
    expect(leaks(code)).toEqual([
      [8, 5, 'leak', "This net.Socket is not released when this.socks is emptied here with the sockets in it (release each one first): call end() or destroy() first, or hand it to an owner."],
      [11, 5, 'leak', "This net.Socket is not released when this.socks is emptied here with the sockets in it (release each one first): call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("the same sockets released through another field collection first: only the other place is reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Pool {
        private socks: net.Socket[] = [];
        private byId = new Map<number, net.Socket>();
        add(port: number): void {
          const s = net.connect(port, '127.0.0.1');
          this.socks.push(s);
          this.byId.set(port, s);
        }
        reset(): void {
          this.socks = [];
        }
        close(): void {
          for (const s of this.byId.values()) s.destroy();
          this.byId.clear();
          this.socks.length = 0;
        }
      }
    `;
    expect(leaks(code)).toEqual([
      [11, 5, 'leak', "This net.Socket is not released when this.socks is emptied here with the sockets in it (release each one first): call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("emptied after a method of the class releases every element: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Server {
        private readonly conns = new Set<net.Socket>();
        private readonly server = net.createServer((c) => {
          this.conns.add(c);
          c.on('close', () => this.conns.delete(c));
        });
        private peers: net.Socket[] = [];
        dial(port: number): void {
          const s = net.connect(port, '127.0.0.1');
          this.peers.push(s);
        }
        close(): void {
          this.server.close();
          this.destroyPeers();
          this.peers = [];
        }
        private destroyPeers(): void {
          this.peers.forEach((p) => p.destroy());
        }
      }
    `;
    expect(leaks(code)).toEqual([]);
  });
});

describe("Item 17: short-lived servers that leak on failure", () => {
  it("listen(), then an await that can reject, then close(): reported", () => {
    const code = ts`
      import * as http from 'node:http';
      declare function waitForCode(): Promise<string>;
      export async function login(port: number): Promise<string> {
        const server = http.createServer((req, res) => {
          res.end('ok');
        });
        server.listen(port, '127.0.0.1');
        const code = await waitForCode();
        server.close();
        return code;
      }
    `;
    expect(leaks(code)).toEqual([
      [4, 18, 'leak', "This net.Server is not released when waitForCode() at line 8 rejects: call close() first, or hand it to an owner."],
    ]);
  });

  it("a handler closes the server, but an earlier await can reject: reported", () => {
    const code = ts`
      import * as http from 'node:http';
      declare function openBrowser(url: string): Promise<void>;
      export async function login(port: number): Promise<string> {
        let done!: (code: string) => void;
        const codeP = new Promise<string>((resolve) => { done = resolve; });
        const server = http.createServer((req, res) => {
          res.end('ok');
          server.close();
          done(req.url ?? '');
        });
        server.listen(port, '127.0.0.1');
        await openBrowser('http://127.0.0.1');
        return codeP;
      }
    `;
    expect(leaks(code)).toEqual([
      [6, 18, 'leak', "This net.Server is not released when openBrowser() at line 12 rejects: call close() first, or hand it to an owner."],
    ]);
  });

  it("listening inside a promise executor, then an explicit throw: reported", () => {
    const code = ts`
      import * as http from 'node:http';
      declare function getPort(): Promise<number>;
      export async function once(bad: boolean): Promise<string> {
        const server = http.createServer((req, res) => {
          res.end('ok');
          server.close();
        });
        const port = await getPort();
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, resolve);
        });
        await new Promise((r) => setTimeout(r, 10));
        if (bad) throw new Error('bad');
        return 'x';
      }
    `;
    expect(leaks(code)).toEqual([
      [4, 18, 'leak', "This net.Server is not released on the path that throws at line 14: call close() first, or hand it to an owner."],
    ]);
  });

  it("try/finally closes it: no report", () => {
    const code = ts`
      import * as http from 'node:http';
      declare function waitForCode(): Promise<string>;
      export async function login(port: number): Promise<string> {
        const server = http.createServer((req, res) => {
          res.end('ok');
        });
        server.listen(port, '127.0.0.1');
        try {
          return await waitForCode();
        } finally {
          server.close();
        }
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a server that is returned, and one that serves for the process: no report", () => {
    const code = ts`
      import * as http from 'node:http';
      export function serve(port: number): http.Server {
        const server = http.createServer((req, res) => res.end('ok'));
        server.listen(port);
        return server;
      }
      export async function serveForever(port: number, ready: () => Promise<void>): Promise<void> {
        const server = http.createServer((req, res) => res.end('ok'));
        server.listen(port);
        await ready();
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("closed by its handler in a promise executor, and an await that cannot reject: no report", () => {
    const code = ts`
      import * as http from 'node:http';
      export async function waitForCallback(port: number): Promise<string> {
        return new Promise((resolve) => {
          const server = http.createServer((req, res) => {
            res.end('ok');
            server.close();
            resolve(req.url ?? '');
          });
          server.listen(port, '127.0.0.1');
        });
      }
      export async function serveBriefly(port: number): Promise<void> {
        const server = http.createServer((req, res) => res.end('ok'));
        server.listen(port, '127.0.0.1');
        await new Promise<void>((resolve) => setTimeout(resolve, 1000));
        server.close();
      }
    `;
    expect(leaks(code)).toEqual([]);
  });


  it("closed only by an 'error' listener, a signal handler or a timer: a long-lived server, no report", () => {
    const code = ts`
      import * as http from 'node:http';
      declare function connectDb(): Promise<void>;
      export async function main(port: number): Promise<void> {
        const server = http.createServer((req, res) => res.end('ok'));
        server.on('error', () => server.close());
        server.listen(port);
        process.on('SIGTERM', () => server.close());
        setTimeout(() => server.close(), 60_000);
        await connectDb();
      }
    `;
    expect(leaks(code)).toEqual([]);
  });
});

describe("Item 14: races", () => {
  it("Promise.race([connectHelper(), timeout]): reported at the helper call", () => {
    const code = ts`
      import * as net from 'node:net';
      function connectHelper(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
      }
      export async function connectWithTimeout(port: number): Promise<net.Socket> {
        const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000));
        const sock = await Promise.race([connectHelper(port), timeout]);
        return sock;
      }
    `;
    expect(leaks(code)).toEqual([
      [11, 36, 'leak', "This net.Socket is not released when another promise of the Promise.race() at line 11 settles first (the socket it resolves later reaches nobody): call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("a helper given an AbortSignal, and a kept promise cleaned up on failure: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      function connectHelper(port: number, signal: AbortSignal): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const s = net.connect({ port, host: '127.0.0.1', signal });
          s.once('connect', () => resolve(s));
          s.once('error', reject);
        });
      }
      export async function connectWithTimeout(port: number): Promise<net.Socket> {
        const ac = new AbortController();
        const timeout = new Promise<never>((_, reject) => setTimeout(() => { ac.abort(); reject(new Error('timeout')); }, 1000));
        return Promise.race([connectHelper(port, ac.signal), timeout]);
      }
      export async function connectKept(port: number): Promise<net.Socket> {
        const pending = connectHelper(port, AbortSignal.timeout(5000));
        const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000));
        try {
          return await Promise.race([pending, timeout]);
        } catch (err) {
          pending.then((s) => s.destroy(), () => undefined);
          throw err;
        }
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

});

describe("Item 18: tunnels torn down on one side", () => {
  it("a two-way pipe with no failure handling: reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export function proxy(client: net.Socket, port: number): void {
        const upstream = net.connect(port, '127.0.0.1');
        client.pipe(upstream);
        upstream.pipe(client);
      }
    `;
    expect(leaks(code)).toEqual([
      [3, 20, 'leak', "This net.Socket is not released when 'client' fails or is destroyed (client.pipe() at line 4 ends it only when 'client' ends cleanly; or use stream.pipeline()): call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("a chained client.pipe(upstream).pipe(client): reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export function proxy(client: net.Socket, port: number): void {
        const upstream = net.connect(port, '127.0.0.1');
        client.pipe(upstream).pipe(client);
      }
    `;
    expect(leaks(code)).toEqual([
      [3, 20, 'leak', "This net.Socket is not released when 'client' fails or is destroyed (client.pipe() at line 4 ends it only when 'client' ends cleanly; or use stream.pipeline()): call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("the client's 'error' listener only logs: reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export function proxy(client: net.Socket, port: number): void {
        const upstream = net.connect(port, '127.0.0.1');
        client.pipe(upstream);
        upstream.pipe(client);
        client.on('error', (err) => console.error(err));
        upstream.on('error', () => client.destroy());
      }
    `;
    expect(leaks(code)).toEqual([
      [3, 20, 'leak', "This net.Socket is not released when 'client' fails or is destroyed (client.pipe() at line 4 ends it only when 'client' ends cleanly; or use stream.pipeline()): call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("each side's 'error' listener destroys the other: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export function proxy(client: net.Socket, port: number): void {
        const upstream = net.connect(port, '127.0.0.1');
        client.pipe(upstream).pipe(client);
        client.on('error', () => upstream.destroy());
        upstream.on('error', () => client.destroy());
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("stream.pipeline(): no report", () => {
    const code = ts`
      import * as net from 'node:net';
      import { pipeline } from 'node:stream';
      export function proxy(client: net.Socket, port: number): void {
        const upstream = net.connect(port, '127.0.0.1');
        pipeline(client, upstream, client, () => undefined);
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("one cleanup for both 'close' listeners: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export function proxy(client: net.Socket, port: number): void {
        const upstream = net.connect(port, '127.0.0.1');
        const cleanup = () => {
          client.destroy();
          upstream.destroy();
        };
        client.pipe(upstream);
        upstream.pipe(client);
        client.on('close', cleanup);
        upstream.on('close', cleanup);
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it("a one-way pipe with no handling at all: not reported (see Known limitations)", () => {
    const code = ts`
      import * as net from 'node:net';
      export function proxy(client: net.Socket): void {
        const upstream = net.connect(80, '127.0.0.1');
        client.pipe(upstream);
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

});
