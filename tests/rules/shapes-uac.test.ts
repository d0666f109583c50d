/**
 * no-use-after-close: the event-driven shapes of issue 11 (items 5, 8, 11, 12, 13, 15, 16) and "one report per
 * bug". Each block has the valid cases next to the invalid ones: the report must be on a path where the socket
 * really is released (or closed by the peer) when the use runs.
 */
import { afterRelease, createRuleTester, ts } from '../rule-tester';
import rule from '../../src/rules/no-use-after-close';

const unrelatedOn = [{ checkUnrelatedListeners: true }] as const;

const deferred = (line: number, operation: string, kind: string, callback: string, release: string) => ({
  messageId: 'deferredUse' as const,
  line,
  data: { operation, kind, callback, release },
});

const after = afterRelease;

createRuleTester().run('no-use-after-close: event-driven shapes', rule, {
  valid: [
    // ── Item 5: promise continuations continue the current call; they are not listeners.
    ts`
      import * as net from 'node:net';
      export class Writer {
        private sock: net.Socket;
        private prev: Promise<void> = Promise.resolve();
        constructor(port: number) {
          this.sock = net.connect(port, '127.0.0.1');
        }
        write(b: Buffer): Promise<void> {
          this.prev = this.prev.finally(() => {
            this.sock.write(b);
          });
          return this.prev;
        }
        queue(b: Buffer): void {
          this.prev = this.prev.then(() => {
            this.sock.write(b);
          }).catch(() => {
            this.sock.write('retry');
          });
        }
        close(): void {
          this.sock.end();
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export async function f(s: net.Socket, p: Promise<void>): Promise<void> {
        await p.then(() => s.write('a'));
        s.end();
      }
    `,

    // ── Item 8: addEventListener(type, fn, { once: true }) runs once.
    ts`
      import WebSocket from 'ws';
      export function f(ws: WebSocket): void {
        ws.addEventListener('message', (ev) => {
          if (String(ev.data) === 'bye') {
            ws.close();
            return;
          }
          ws.send('x');
        }, { once: true });
      }
    `,
    // The socket a 'connection' listener receives is new on every run, and open when the run starts.
    {
      code: ts`
        import * as net from 'node:net';
        export function serve(): net.Server {
          const srv = net.createServer();
          srv.on('connection', (sock: net.Socket) => {
            sock.write('hello\n');
          });
          return srv;
        }
      `,
      options: unrelatedOn,
    },
    {
      code: ts`
        import { WebSocketServer, WebSocket } from 'ws';
        export function serve(wss: WebSocketServer): void {
          wss.on('connection', (ws: WebSocket) => {
            ws.send('hello');
            ws.on('message', (m) => ws.send(String(m)));
          });
        }
      `,
      options: unrelatedOn,
    },

    // ── Item 11: a timer that calls a method that writes is cleared when the socket closes.
    ts`
      import * as net from 'node:net';
      export class Conn {
        private sock: net.Socket;
        private timer: NodeJS.Timeout;
        constructor(port: number) {
          this.sock = net.connect(port, '127.0.0.1');
          this.timer = setInterval(() => this.sendPing(), 1000);
          this.sock.on('close', () => clearInterval(this.timer));
        }
        sendPing(): void {
          this.sock.write('ping\n');
        }
        close(): void {
          this.sock.end();
        }
      }
    `,
    // ...or the method checks the socket, or the call site checks a liveness flag.
    ts`
      import * as net from 'node:net';
      export class Conn {
        private sock: net.Socket;
        constructor(port: number) {
          this.sock = net.connect(port, '127.0.0.1');
          setInterval(this.sendPing.bind(this), 1000);
        }
        sendPing(): void {
          if (this.sock.destroyed || this.sock.writableEnded) return;
          this.sock.write('ping\n');
        }
        close(): void {
          this.sock.end();
        }
      }
    `,
    ts`
      import WebSocket from 'ws';
      export class Feed {
        private ws: WebSocket;
        private closed = false;
        constructor(url: string) {
          this.ws = new WebSocket(url);
          setInterval(() => {
            if (!this.closed) this.heartbeat();
          }, 1000);
        }
        private heartbeat(): void {
          this.ws.ping();
        }
        close(): void {
          this.closed = true;
          this.ws.close();
        }
      }
    `,
    // A listener method on the socket itself, when every release destroys it.
    ts`
      import * as net from 'node:net';
      export class Echo {
        constructor(private readonly sock: net.Socket) {
          this.sock.on('data', this.onData);
        }
        private onData = (d: Buffer): void => {
          this.reply(d);
        };
        private reply(d: Buffer): void {
          this.sock.write(d);
        }
        close(): void {
          this.sock.destroy();
        }
      }
    `,

    // Calls of the class's methods in the same flow: a use before the release, a guarded helper, a method that
    // reassigns the field.
    ts`
      import * as net from 'node:net';
      import WebSocket from 'ws';
      export class Conn {
        constructor(private sock: net.Socket, private readonly port: number) {}
        flush(): void {
          this.sock.write('stats');
        }
        ok(): void {
          this.flush();
          this.sock.end();
        }
        reconnect(): void {
          this.sock.destroy();
          this.connect();
          this.sock.write('hello again');
        }
        connect(): void {
          this.sock = net.connect(this.port, '127.0.0.1');
          this.sock.write('hello');
        }
      }
      export class Feed {
        private ws: WebSocket | null = null;
        open(url: string): void {
          this.ws = new WebSocket(url);
        }
        send(m: string): void {
          if (this.ws?.readyState !== WebSocket.OPEN) return;
          this.ws.send(m);
        }
        close(): void {
          this.ws?.close();
          this.send('bye');
        }
      }
    `,

    // A ws 'open' listener never runs after a release: closing a connecting WebSocket aborts the handshake.
    ts`
      import WebSocket from 'ws';
      export class Client {
        private ws: WebSocket | undefined;
        private readonly queue: string[] = [];
        connect(url: string): void {
          this.ws = new WebSocket(url);
          this.ws.on('open', () => this.flushQueue());
        }
        private flushQueue(): void {
          for (const m of this.queue) this.ws?.send(m);
        }
        close(): void {
          this.ws?.close();
        }
      }
    `,

    // ── Item 12: the class is the socket.
    ts`
      import * as net from 'node:net';
      export class Conn extends net.Socket {
        private timer: NodeJS.Timeout | undefined;
        start(): void {
          this.timer = setInterval(() => {
            if (!this.destroyed && !this.writableEnded) this.write('ping');
          }, 1000);
        }
        stop(): void {
          clearInterval(this.timer);
          this.end();
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export class Conn extends net.Socket {
        hello(): void {
          this.write('hello');
          this.greet();
          this.end();
        }
        greet(): void {
          console.log('greeted');
        }
      }
    `,

    // ── Item 13: a dead test that leaves, or a branch that does not settle, is not a fall-through.
    ts`
      import WebSocket from 'ws';
      export function send(ws: WebSocket, x: string): Promise<void> {
        return new Promise((resolve, reject) => {
          if (ws.readyState !== WebSocket.OPEN) return reject(new Error('not open'));
          ws.send(x);
          resolve();
        });
      }
      export function sendElse(ws: WebSocket, x: string): Promise<void> {
        return new Promise((resolve, reject) => {
          if (ws.readyState !== WebSocket.OPEN) {
            reject(new Error('not open'));
          } else {
            ws.send(x, (err) => (err ? reject(err) : resolve()));
          }
        });
      }
    `,
    ts`
      import * as net from 'node:net';
      export function logOnly(s: net.Socket, x: string): void {
        if (s.destroyed) console.log('closed');
        s.write(x);
      }
      export function reconnect(s: net.Socket, x: string, cb: () => void): void {
        if (s.destroyed) {
          s.connect(7000, '127.0.0.1');
          cb();
        }
        s.write(x);
      }
    `,

    // ── Item 15: a heartbeat stopped on 'close' (or 'end') is stopped on every close.
    ts`
      import * as net from 'node:net';
      export class Pinger {
        private timer: NodeJS.Timeout;
        constructor(private readonly sock: net.Socket) {
          this.timer = setInterval(() => this.sock.write('ping'), 1000);
          this.sock.on('close', () => this.stop());
        }
        stop(): void {
          clearInterval(this.timer);
          this.sock.destroy();
        }
      }
    `,
    ts`
      import * as net from 'node:net';
      export class Pinger {
        private timer: NodeJS.Timeout;
        constructor(private readonly sock: net.Socket) {
          this.timer = setInterval(() => this.sock.write('ping'), 1000);
          this.sock.on('end', this.stop.bind(this));
          this.sock.on('error', this.stop.bind(this));
        }
        stop(): void {
          clearInterval(this.timer);
          this.sock.destroy();
        }
      }
    `,

    // ── Item 16: the other callback checks the socket, or the timer also destroys the listener's emitter.
    ts`
      import * as net from 'node:net';
      export function relay(port: number): void {
        const a = net.connect(port, '127.0.0.1');
        setTimeout(() => a.destroy(), 5000);
        const b = net.connect(port + 1, '127.0.0.1');
        b.on('connect', () => {
          if (!a.destroyed) a.write('b is up');
        });
      }
      export function pair(port: number): void {
        const a = net.connect(port, '127.0.0.1');
        const b = net.connect(port + 1, '127.0.0.1');
        setTimeout(() => {
          a.destroy();
          b.destroy();
        }, 5000);
        b.on('connect', () => {
          a.write('b is up');
        });
      }
      export function connectTimeout(port: number): void {
        const a = net.connect(port, '127.0.0.1');
        const t = setTimeout(() => a.destroy(), 5000);
        a.on('connect', () => {
          clearTimeout(t);
          a.write('hi');
        });
      }
    `,
  ],
  invalid: [
    // ── Item 5: a continuation chained after the release is after it.
    {
      code: ts`
        import * as net from 'node:net';
        export async function f(s: net.Socket, p: Promise<void>): Promise<void> {
          s.end();
          await p.then(() => s.write('a'));
        }
      `,
      errors: [after(4, 'write()', 'net.Socket', 'ended', 'end() at line 3')],
    },
    // A real listener in the same class is still deferred, continuation included: one report, at its first use
    // (the continuation's write runs as part of the listener).
    {
      code: ts`
        import * as net from 'node:net';
        export class Writer {
          private sock: net.Socket;
          private prev: Promise<void> = Promise.resolve();
          constructor(port: number, bus: NodeJS.EventEmitter) {
            this.sock = net.connect(port, '127.0.0.1');
            bus.on('flush', () => {
              this.prev = this.prev.finally(() => this.sock.write('x'));
              this.sock.write('y');
            });
          }
          close(): void {
            this.sock.end();
          }
        }
      `,
      errors: [deferred(8, 'write()', 'net.Socket', "a 'flush' listener", 'end() at line 13')],
    },

    // ── Item 8: without { once: true } the listener runs again after its own close().
    {
      code: ts`
        import WebSocket from 'ws';
        export function f(ws: WebSocket): void {
          ws.addEventListener('message', (ev) => {
            if (String(ev.data) === 'bye') {
              ws.close();
              return;
            }
            ws.send('x');
          }, { once: false });
        }
      `,
      errors: [deferred(8, 'send()', 'WebSocket', "a 'message' listener", 'close() at line 5')],
    },
    // A socket from outside the 'connection' listener is not the listener's own.
    {
      code: ts`
        import * as net from 'node:net';
        export function serve(upstream: net.Socket): net.Server {
          const srv = net.createServer();
          srv.on('connection', (sock: net.Socket) => {
            sock.write('hello\n');
            upstream.write('client connected\n');
          });
          return srv;
        }
      `,
      options: unrelatedOn,
      errors: [deferred(6, 'write()', 'net.Socket', "a 'connection' listener", 'the peer closing it')],
    },

    // ── Item 11: deferred uses through the class's own methods.
    {
      code: ts`
        import * as net from 'node:net';
        export class Conn {
          private sock: net.Socket;
          constructor(port: number) {
            this.sock = net.connect(port, '127.0.0.1');
            setInterval(() => this.sendPing(), 1000);
          }
          sendPing(): void {
            this.sock.write('ping\n');
          }
          close(): void {
            this.sock.end();
          }
        }
      `,
      errors: [deferred(6, 'write() (through sendPing())', 'net.Socket', 'a setInterval callback', 'end() at line 12')],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export class Conn {
          private sock: net.Socket;
          private timer: NodeJS.Timeout;
          constructor(port: number) {
            this.sock = net.connect(port, '127.0.0.1');
            this.timer = setInterval(this.sendPing.bind(this), 1000);
          }
          sendPing(): void {
            this.sock.write('ping\n');
          }
          close(): void {
            this.sock.end();
          }
        }
      `,
      errors: [deferred(10, 'write()', 'net.Socket', 'a setInterval callback', 'end() at line 13')],
    },
    {
      code: ts`
        import WebSocket from 'ws';
        export class Feed {
          private ws: WebSocket;
          constructor(url: string) {
            this.ws = new WebSocket(url);
            setInterval(() => {
              this.tick();
            }, 1000);
          }
          private tick(): void {
            this.send('ping');
          }
          private send(m: string): void {
            this.ws.send(m);
          }
          close(): void {
            this.ws.close();
          }
        }
      `,
      errors: [deferred(7, 'send() (through tick() → send())', 'WebSocket', 'a setInterval callback', 'close() at line 17')],
    },
    {
      // A method stored in a property, handed to another emitter's listener.
      code: ts`
        import * as net from 'node:net';
        import { EventEmitter } from 'node:events';
        export class Relay {
          constructor(private readonly sock: net.Socket, bus: EventEmitter) {
            bus.on('tick', this.onTick);
          }
          private onTick = (): void => {
            this.sock.write('tick\n');
          };
          close(): void {
            this.sock.end();
          }
        }
      `,
      errors: [deferred(8, 'write()', 'net.Socket', "a 'tick' listener", 'end() at line 11')],
    },

    // Calls of the class's methods in the same flow: a use through a method after the release, and a release
    // through a method before a use.
    {
      code: ts`
        import * as net from 'node:net';
        export class Conn {
          constructor(private readonly sock: net.Socket) {}
          flush(): void {
            this.sock.write('stats');
          }
          shutdown(): void {
            this.sock.end();
            this.flush();
          }
          quit(): void {
            this.shutdown();
            this.sock.write('late');
          }
        }
      `,
      errors: [
        after(9, 'write() (through flush())', 'net.Socket', 'ended', 'end() at line 8'),
        after(13, 'write()', 'net.Socket', 'ended', 'end() (through shutdown()) at line 12'),
      ],
    },
    {
      // A listener that runs many times releases through one method and writes through another.
      code: ts`
        import * as net from 'node:net';
        export class Session {
          constructor(private readonly sock: net.Socket) {
            this.sock.on('data', (d: Buffer) => {
              if (String(d) === 'quit') this.finish();
              else this.reply(d);
            });
          }
          private finish(): void {
            this.sock.end();
          }
          private reply(d: Buffer): void {
            this.sock.write(d);
          }
        }
      `,
      errors: [deferred(6, 'write() (through reply())', 'net.Socket', "a 'data' listener", 'end() (through finish()) at line 5')],
    },

    // A net.Socket ended while connecting still connects: its 'connect' listener writes after end().
    {
      code: ts`
        import * as net from 'node:net';
        export class Client {
          private readonly sock: net.Socket;
          constructor(port: number) {
            this.sock = net.connect(port, '127.0.0.1');
            this.sock.once('connect', () => this.hello());
          }
          private hello(): void {
            this.sock.write('HELLO\n');
          }
          close(): void {
            this.sock.end();
          }
        }
      `,
      errors: [deferred(6, 'write() (through hello())', 'net.Socket', "a 'connect' listener", 'end() at line 12')],
    },

    // ── Item 12: the class is the socket.
    {
      code: ts`
        import * as net from 'node:net';
        export class Conn extends net.Socket {
          start(): void {
            setInterval(() => {
              this.write('ping');
            }, 1000);
          }
          stop(): void {
            this.end();
          }
        }
      `,
      errors: [deferred(5, 'write()', 'net.Socket', 'a setInterval callback', 'end() at line 9')],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export class Conn extends net.Socket {
          quit(): void {
            this.end();
            this.write('late');
          }
        }
      `,
      errors: [after(5, 'write()', 'net.Socket', 'ended', 'end() at line 4')],
    },

    // ── Item 13: executors (and callback-style functions) keep running after they settle.
    {
      code: ts`
        import WebSocket from 'ws';
        export function send(ws: WebSocket, x: string, alive: boolean): Promise<void> {
          return new Promise((resolve, reject) => {
            if (!alive) reject(new Error('dead'));
            ws.send(x);
            resolve();
          });
        }
      `,
      errors: [after(5, 'send()', 'WebSocket', 'closed', 'reject() at line 4 does not return')],
    },
    {
      code: ts`
        import WebSocket from 'ws';
        export function send(ws: WebSocket, x: string): Promise<void> {
          return new Promise((resolve, reject) => {
            if (ws.readyState !== WebSocket.OPEN) {
              reject(new Error('not open'));
            }
            ws.send(x, (err) => (err ? reject(err) : resolve()));
          });
        }
      `,
      errors: [after(7, 'send()', 'WebSocket', 'closed', 'reject() at line 5 does not return')],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function send(s: net.Socket, x: string, cb: (err?: Error) => void): void {
          if (s.destroyed) {
            cb(new Error('closed'));
          }
          s.write(x);
          cb();
        }
      `,
      errors: [after(6, 'write()', 'net.Socket', 'closed', 'cb() at line 4 does not return')],
    },

    // ── Item 15: a heartbeat stopped only on 'error' keeps writing after a clean close by the peer.
    {
      code: ts`
        import * as net from 'node:net';
        export class Pinger {
          private timer: NodeJS.Timeout;
          constructor(private readonly sock: net.Socket) {
            this.timer = setInterval(() => this.sock.write('ping'), 1000);
            this.sock.on('error', () => this.stop());
          }
          stop(): void {
            clearInterval(this.timer);
            this.sock.destroy();
          }
        }
      `,
      errors: [deferred(5, 'write()', 'net.Socket', 'a setInterval callback', 'the peer closing it')],
    },
    {
      code: ts`
        import WebSocket from 'ws';
        export function heartbeat(ws: WebSocket): void {
          const t = setInterval(() => ws.ping(), 30000);
          ws.on('error', () => clearInterval(t));
        }
      `,
      errors: [deferred(3, 'ping()', 'WebSocket', 'a setInterval callback', 'the peer closing it')],
    },

    // ── Item 16: a timer destroys one socket; another socket's listener writes it.
    {
      code: ts`
        import * as net from 'node:net';
        export function relay(port: number): void {
          const a = net.connect(port, '127.0.0.1');
          setTimeout(() => a.destroy(), 5000);
          const b = net.connect(port + 1, '127.0.0.1');
          b.on('connect', () => {
            a.write('b is up');
            a.write('again');
          });
        }
      `,
      errors: [deferred(7, 'write()', 'net.Socket', "a 'connect' listener", 'destroy() at line 4')],
    },

    // ── One report per bug inside a callback: the first use that the release reaches there. (A plain function
    // reports each use that a release reaches, as the path oracle of tests/fuzz expects.)
    {
      code: ts`
        import * as net from 'node:net';
        export function keepAlive(s: net.Socket): void {
          setInterval(() => {
            s.write('ping\n');
            s.write('pong\n');
          }, 1000);
        }
        export function echo(s: net.Socket): void {
          s.on('data', (c: Buffer) => {
            if (String(c) === 'q') {
              s.end();
              return;
            }
            s.write('x');
            s.write('y');
          });
        }
        export function direct(s: net.Socket): void {
          s.end();
          s.write('a');
          s.write('b');
        }
      `,
      errors: [
        deferred(4, 'write()', 'net.Socket', 'a setInterval callback', 'the peer closing it'),
        deferred(14, 'write()', 'net.Socket', "a 'data' listener", 'end() at line 11'),
        after(20, 'write()', 'net.Socket', 'ended', 'end() at line 19'),
        after(21, 'write()', 'net.Socket', 'ended', 'end() at line 19'),
      ],
    },
  ],
});
