/**
 * Shapes of socket and client code found in the sixth hand triage of real code (2026-12-03, ninth session: device
 * bridges, database and cache tooling, real-time servers and bots), reduced: the false alarms must stay silent, and
 * their buggy twins (and the misses) must be reported.
 */
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { lintJsWithPlugin, ts, lineMessages } from '../rule-tester';

const reports = lineMessages;

describe('a field stored in a try block and cleared in its catch', () => {
  const shape = (between: string): string => ts`
    import Redis from 'ioredis';
    export class Worker {
      private blocking: Redis | null = null;
      constructor(private readonly redis: Redis) {}
      async start(): Promise<void> {
        try {
          this.blocking = this.redis.duplicate();
          ${between}
        } catch (err) {
          console.error('could not create the blocking client', err);
          this.blocking = null;
        }
      }
      async close(): Promise<void> {
        await this.blocking?.quit();
        this.blocking = null;
      }
    }
  `;

  it('adding and removing listeners on the client cannot throw: the catch only runs when duplicate() threw', () => {
    expect(reports(shape("this.blocking.on('error', (e) => console.warn(e.message)); this.blocking.once('ready', () => console.log('ready')); this.blocking.removeAllListeners('end');"))).toEqual([]);
  });

  it('an awaited command can reject with the client stored: the catch drops an open client', () => {
    expect(reports(shape("await this.blocking.ping(); this.blocking.on('error', (e) => console.warn(e.message));"))).toEqual([
      [7, "This ioredis client is not released before 'this.blocking' is cleared at line 11: call quit() or disconnect() first, or hand it to an owner."],
    ]);
  });
});

describe('a release right before process.exit() precedes no later timer run', () => {
  const shape = (onError: string): string => ts`
    import * as dgram from 'node:dgram';
    export class Pinger {
      private server = dgram.createSocket('udp4');
      private nextPing: NodeJS.Timeout | null = null;
      constructor(port: number) {
        this.server.on('error', () => {
          ${onError}
        });
        this.server.on('listening', () => this.ping());
        this.server.bind(port);
      }
      private ping(): void {
        this.server.send('helo', 54321, '127.0.0.1', () => {
          this.nextPing = setTimeout(() => {
            this.nextPing = null;
            this.ping();
          }, 10000);
        });
      }
    }
  `;

  it('close() then process.exit(1) in the error listener: silent', () => {
    expect(reports(shape('this.server.close(); console.error("bye"); process.exit(1);'))).toEqual([]);
  });

  it('without the exit the timer can run after close(): reported', () => {
    expect(reports(shape('this.server.close();'))).toEqual([
      [
        16,
        'send() (through ping()) on the dgram.Socket inside a setTimeout callback, which can run after it is released (close() at line 7): check that it is still open, or cancel the callback when it is released.',
      ],
    ]);
  });

  it('an exit only on one branch after the release does not count', () => {
    expect(reports(shape('this.server.close(); if (port > 0) process.exit(1);')).length).toBe(1);
  });
});

describe("a field that a supertype declares is the owner's way to the socket", () => {
  const shape = (heritage: string, decl: string): string => ts`
    import { Socket } from 'node:net';
    import type { Duplex } from 'node:stream';
    export interface Transport {
      readonly stream: Duplex;
      connect(cb?: () => void): void;
    }
    export abstract class BaseTransport {
      abstract readonly stream: Duplex;
    }
    export class TcpTransport ${heritage} {
      ${decl}
      public constructor(private readonly port: number, private readonly host: string) {
        ${heritage.startsWith('extends') ? 'super();' : ''}
        this.stream = new Socket();
        this.stream.connect(this.port, this.host);
      }
      public connect(cb?: () => void): void {
        this.stream.connect(this.port, this.host, cb);
      }
    }
  `;

  it('implements an interface that declares the field: silent', () => {
    expect(reports(shape('implements Transport', 'public readonly stream: Socket;'))).toEqual([]);
  });

  it('extends a class that declares the field: silent', () => {
    expect(reports(shape('extends BaseTransport', 'public readonly stream: Socket;'))).toEqual([]);
  });

  it('the same class without the supertype: fieldNeverReleased', () => {
    expect(reports(shape('', 'public readonly stream: Socket;'))).toEqual([
      [14, "This net.Socket is stored in 'stream', but nothing in the class releases 'stream': add a method that calls end() or destroy()."],
    ]);
  });

  it('a supertype that declares another member does not count', () => {
    expect(reports(shape('implements Transport', 'public readonly stream!: Socket; public readonly raw: Socket;').replace('this.stream = new Socket();', 'this.raw = new Socket();')).length).toBe(1);
  });
});

describe('a named callback that a timer runs again (a queue drain, a polling loop)', () => {
  const shape = (guard: string, schedule: string, close: string): string => ts`
    import * as net from 'node:net';
    export class RateLimitedClient {
      private client = new net.Socket();
      private queue: string[] = [];
      private timer: NodeJS.Timeout | undefined;
      constructor(port: number) {
        this.client.connect(port, '127.0.0.1');
        this.client.on('error', () => {});
      }
      write(message: string): void {
        this.queue.push(message);
        this.processQueue();
      }
      close(): void {
        ${close}
        this.client.destroy();
      }
      private processQueue(): void {
        const sendNext = () => {
          ${guard}
          const next = this.queue.shift();
          if (next === undefined) return;
          this.client.write(next);
          ${schedule}
        };
        sendNext();
      }
    }
  `;

  it('called directly, then rescheduling itself: its timer runs can write after destroy()', () => {
    expect(reports(shape('', 'setTimeout(sendNext, 50);', ''))).toEqual([
      [
        23,
        'write() on the net.Socket inside a setTimeout callback, which can run after it is released (destroy() at line 16): check that it is still open, or cancel the callback when it is released.',
      ],
    ]);
  });

  it('checking that the socket is still open first: silent', () => {
    expect(reports(shape('if (this.client.destroyed) return;', 'setTimeout(sendNext, 50);', ''))).toEqual([]);
  });

  it('the timer handle is kept and cleared before the release: what is left is the peer closing it', () => {
    expect(reports(shape('', 'this.timer = setTimeout(sendNext, 50);', 'clearTimeout(this.timer);')).map(([l, m]) => [l, /released \((.*?)\):/.exec(m)?.[1]])).toEqual([[23, 'the peer closing it']]);
  });

  it('also handed to something other than a timer: not taken as a timer callback', () => {
    expect(reports(shape('', "setTimeout(sendNext, 50); this.client.once('drain', sendNext);", ''))).toEqual([]);
  });
});

describe("a field cleared inside the creation's own connect callback", () => {
  const shape = (failure: string): string => ts`
    import * as tls from 'node:tls';
    export class Gateway {
      private sckt?: tls.TLSSocket;
      login(host: string): Promise<void> {
        return new Promise((resolve, reject) => {
          this.sckt = tls.connect(51200, host, { rejectUnauthorized: false }, () => {
            if (this.sckt?.authorized) {
              resolve();
            } else {
              const err = this.sckt?.authorizationError;
              ${failure}
              reject(err);
            }
          });
        });
      }
      logout(): void {
        this.sckt?.destroy();
        this.sckt = undefined;
      }
    }
  `;

  it('dropping the connected socket on a failed authorisation leaks it', () => {
    expect(reports(shape('this.sckt = undefined;'))).toEqual([
      [6, "This tls.TLSSocket is not released before 'this.sckt' is cleared at line 11: call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it('destroying it first: silent', () => {
    expect(reports(shape('this.sckt?.destroy(); this.sckt = undefined;'))).toEqual([]);
  });

  it('a method of the object called first may release it: silent', () => {
    expect(reports(shape('this.logout(); this.sckt = undefined;'))).toEqual([]);
  });
});

describe('a field released through an optional call before it is cleared', () => {
  it('`this.f?.destroy(); this.f = undefined` in the storing function: the nullish branch holds nothing', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Probe {
        private sock?: net.Socket;
        start(port: number, fail: boolean): void {
          this.sock = net.connect(port, '127.0.0.1');
          this.sock.on('error', () => this.stop());
          if (fail) {
            this.sock?.destroy();
            this.sock = undefined;
          }
        }
        stop(): void {
          this.sock?.destroy();
          this.sock = undefined;
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('a timer handle kept under a key of a dictionary field', () => {
  const shape = (clear: string): string => ts`
    import * as dgram from 'node:dgram';
    export class Pinger {
      private server = dgram.createSocket('udp4');
      private timeouts: Record<string, NodeJS.Timeout | null> = {};
      constructor(port: number) {
        this.server.on('error', () => process.exit(1));
        this.server.on('listening', () => this.ping());
        this.server.bind(port);
      }
      private ping(): void {
        this.server.send('helo', 54321, '127.0.0.1', () => {
          this.timeouts['nextPing'] = setTimeout(() => {
            this.timeouts['nextPing'] = null;
            this.ping();
          }, 10000);
        });
      }
      close(): void {
        ${clear}
        this.server.close();
      }
    }
  `;

  it("clearTimeout(this.timeouts['nextPing']) before the release: silent", () => {
    expect(reports(shape("clearTimeout(this.timeouts['nextPing']!);"))).toEqual([]);
  });

  it('the same key written as a property: silent', () => {
    expect(reports(shape('clearTimeout(this.timeouts.nextPing!);'))).toEqual([]);
  });

  it('clearing another key does not stop this timer: reported', () => {
    expect(reports(shape("clearTimeout(this.timeouts['other']!);")).map(([l]) => l)).toEqual([14]);
  });
});

describe('a listener bound with .bind(this)', () => {
  const shape = (body: string): string => ts`
    import * as net from 'node:net';
    export class Output {
      connection: net.Socket | null = null;
      find(port: number): void {
        const connection = net.createConnection({ port }, function (this: Output) {
          ${body}
        }.bind(this));
        connection.on('error', () => {});
      }
      findNamed(port: number): void {
        let connection: net.Socket;
        const listener = function (this: Output) {
          ${body}
        }.bind(this);
        connection = net.createConnection({ port }, listener);
        connection.on('error', () => {});
      }
      close(): void {
        this.connection?.end();
      }
    }
  `;

  it('stores the socket in a field of the object it is bound to: a hand-off, inline or named', () => {
    expect(reports(shape('this.connection = connection;'))).toEqual([]);
  });

  it('a bound listener that keeps nothing: both leak', () => {
    expect(reports(shape("console.log('connected');")).map(([l]) => l)).toEqual([5, 15]);
  });
});

describe('an HTTP server that carries a WebSocket server', () => {
  it('given to new WebSocketServer({ server }): it serves for the life of the process', () => {
    const code = ts`
      import * as http from 'node:http';
      import { WebSocketServer } from 'ws';
      export function serve(port: number): void {
        const server = http.createServer();
        const wss = new WebSocketServer({ server });
        wss.on('connection', (ws) => ws.on('message', (data) => ws.send(data)));
        server.listen(port);
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('chained: new WebSocketServer({ server }).on(\'connection\', …): silent', () => {
    const code = ts`
      import * as http from 'node:http';
      import { WebSocketServer } from 'ws';
      export function serve(port: number): void {
        const server = http.createServer();
        new WebSocketServer({ server }).on('connection', (ws) => ws.send('hi'));
        server.listen(port);
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a WebSocket server that is kept (its owner closes it, and must close the HTTP server too): reported', () => {
    const code = ts`
      import * as http from 'node:http';
      import { WebSocketServer } from 'ws';
      export function serve(port: number): WebSocketServer {
        const server = http.createServer();
        const wss = new WebSocketServer({ server });
        wss.on('connection', (ws) => ws.send('hi'));
        server.listen(port);
        return wss;
      }
    `;
    expect(reports(code).map(([l]) => l)).toEqual([4]);
  });

  it('the same server given to nothing: reported', () => {
    const code = ts`
      import * as http from 'node:http';
      import { WebSocketServer } from 'ws';
      export function serve(port: number): void {
        const server = http.createServer();
        const wss = new WebSocketServer({ port: port + 1 });
        wss.on('connection', (ws) => ws.on('message', (data) => ws.send(data)));
        server.listen(port);
      }
    `;
    expect(reports(code).map(([l]) => l)).toEqual([4]);
  });
});

describe('a hoisted function that releases the socket, handed on before the socket is made', () => {
  const shape = (release: string): string => ts`
    import { EventEmitter } from 'node:events';
    import * as net from 'node:net';
    export function direct(bus: EventEmitter, port: number): void {
      bus.once('ready', finish);
      const client = net.connect(port, '127.0.0.1');
      function finish(): void {
        ${release}
      }
    }
    export function viaTimer(bus: EventEmitter, port: number): void {
      bus.once('ready', () => setImmediate(finish));
      const client = net.connect(port, '127.0.0.1');
      function finish(): void {
        ${release}
      }
    }
  `;

  it('takes it over from its creation on: silent', () => {
    expect(reports(shape('client.end();'))).toEqual([]);
  });

  it('a function that does not release it: both leak', () => {
    expect(reports(shape("client.write('bye');")).map(([l]) => l)).toEqual([5, 12]);
  });
});

describe("an awaited promise that the client's own listener rejects", () => {
  it('MQTT.js: an error leaves the client reconnecting, and the catch forgets it', () => {
    const code = ts`
      import mqtt from 'mqtt';
      export async function probe(host: string): Promise<boolean> {
        try {
          const client = mqtt.connect({ host });
          await new Promise<void>((resolve, reject) => {
            client.once('error', reject);
            client.once('connect', () => resolve());
          });
          client.end();
          return true;
        } catch {
          return false;
        }
      }
    `;
    expect(reports(code).map(([l, m]) => [l, m.replace(/^This (.*?) is not released when /, '')])).toEqual([
      [4, "its 'error' listener at line 6 rejects the promise awaited at line 5 (the catch block at line 11 does not release it): call end() or endAsync() first, or hand it to an owner."],
    ]);
  });

  it('ioredis, a listener that calls reject; released in finally: silent', () => {
    const code = ts`
      import Redis from 'ioredis';
      export async function ping(url: string): Promise<boolean> {
        const client = new Redis(url);
        try {
          await new Promise<void>((resolve, reject) => {
            client.once('error', (err) => reject(err));
            client.once('ready', () => resolve());
          });
          return true;
        } catch {
          return false;
        } finally {
          client.disconnect();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('ioredis without the finally: reported', () => {
    const code = ts`
      import Redis from 'ioredis';
      export async function ping(url: string): Promise<boolean> {
        try {
          const client = new Redis(url);
          await new Promise<void>((resolve, reject) => {
            client.once('error', (err) => reject(err));
            client.once('ready', () => resolve());
          });
          await client.quit();
          return true;
        } catch {
          return false;
        }
      }
    `;
    expect(reports(code).map(([l]) => l)).toEqual([4]);
  });

  it('a net.Socket: an error destroys it, nothing is left open', () => {
    const code = ts`
      import * as net from 'node:net';
      export async function probe(port: number): Promise<boolean> {
        try {
          const socket = net.connect(port, '127.0.0.1');
          await new Promise<void>((resolve, reject) => {
            socket.once('error', reject);
            socket.once('connect', () => resolve());
          });
          socket.end();
          return true;
        } catch {
          return false;
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe("a release guarded by `'m' in client`", () => {
  const shape = (member: string): string => ts`
    import { Pool, QueryResult } from 'pg';
    export async function q(pool: Pool, sql: string): Promise<QueryResult> {
      const c = await pool.connect();
      try {
        return await c.query(sql);
      } finally {
        if ('${member}' in c) c.release();
      }
    }
  `;

  it('a method of its kind is always there: silent', () => {
    expect(reports(shape('release'))).toEqual([]);
  });

  it('a name that is not a method of its kind proves nothing: reported', () => {
    expect(reports(shape('releaseLater')).map(([l]) => l)).toEqual([3]);
  });
});

describe('a script that exits unless an awaited operation rejects', () => {
  it('names the rejection, not "on any path"', () => {
    const code = ts`
      import Redis from 'ioredis';
      export async function forceShutdown(): Promise<void> {
        const redis = new Redis({ host: '127.0.0.1', port: 6379 });
        await redis.flushall();
        process.exit(1);
      }
      export async function noExit(): Promise<void> {
        const redis = new Redis({ host: '127.0.0.1', port: 6379 });
        await redis.flushall();
      }
    `;
    expect(reports(code).map(([l, m]) => [l, m.replace(/: call .*/, '')])).toEqual([
      [3, 'This ioredis client is not released when flushall() at line 4 rejects'],
      [8, 'This ioredis client is not released on any path (nothing releases it or hands it off)'],
    ]);
  });
});

describe("a bound UDP socket closed in its own 'error' listener", () => {
  it("Node's UDP server example (it only receives): a server, silent", () => {
    const code = ts`
      import dgram from 'node:dgram';
      export function initUdpServer(port: number, onMsg: (m: Buffer) => void): void {
        const server = dgram.createSocket('udp4');
        server.on('error', (err) => {
          console.error(err);
          server.close();
        });
        server.on('message', (msg) => onMsg(msg));
        server.bind(port);
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a scan socket that sends a query from its own code: a client, checked', () => {
    const code = ts`
      import dgram from 'node:dgram';
      export function scan(onFound: (m: Buffer) => void): void {
        const socket = dgram.createSocket('udp4');
        socket.on('error', () => socket.close());
        socket.on('message', (msg) => onFound(msg));
        socket.bind(0, () => socket.send('M-SEARCH', 1900, '239.255.255.250'));
        socket.send('M-SEARCH', 1900, '239.255.255.250');
      }
    `;
    expect(reports(code).map(([l]) => l)).toEqual([3]);
  });
});

describe("what a local function returns holds the resource when it closes over it", () => {
  it('`return attach()` of a local arrow or function declaration returning methods over the client: a hand-off', () => {
    const code = ts`
      import Redis from 'ioredis';
      export function viaArrow(opts: object) {
        const client = new Redis(opts);
        const attach = () => ({ get: (k: string) => client.get(k) });
        return attach();
      }
      export function viaDeclaration(opts: object) {
        const client = new Redis(opts);
        function attach() {
          return { get: (k: string) => client.get(k) };
        }
        return attach();
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a local function that returns a result, not a closure over the client: still a leak', () => {
    const code = ts`
      import Redis from 'ioredis';
      export function viaArrow(opts: object) {
        const client = new Redis(opts);
        const read = () => client.get('k');
        return read();
      }
    `;
    expect(reports(code).map(([l]) => l)).toEqual([3]);
  });
});

describe("settling from a ws WebSocket's own 'error' listener", () => {
  it("addEventListener('error'), and resolve/reject handed on there: the error closed it, silent", () => {
    const code = ts`
      import WebSocket from 'ws';
      export function open(url: string, fallback: (u: string) => Promise<WebSocket>, other: WebSocket): Promise<WebSocket> {
        const ws = new WebSocket(url);
        return new Promise<WebSocket>((resolve, reject) => {
          ws.addEventListener('open', () => resolve(ws));
          ws.addEventListener('error', () => {
            if (ws.url === url) {
              resolve(other);
              return;
            }
            fallback(ws.url).then(resolve, reject);
          });
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it("the same from a 'message' listener: the socket is still open, reported", () => {
    const code = ts`
      import WebSocket from 'ws';
      export function open(url: string, fallback: (u: string) => Promise<WebSocket>): Promise<WebSocket> {
        const ws = new WebSocket(url);
        return new Promise<WebSocket>((resolve, reject) => {
          ws.addEventListener('open', () => resolve(ws));
          ws.addEventListener('message', () => {
            fallback(ws.url).then(resolve, reject);
          });
        });
      }
    `;
    expect(reports(code).map(([l]) => l)).toEqual([3]);
  });
});

describe('an error listener held in a variable assigned in the executor', () => {
  it("`onError = (e) => reject(e); socket.once('error', onError)`: runs only on the error that destroys it", () => {
    const code = ts`
      import * as net from 'node:net';
      export async function connect(path: string): Promise<net.Socket> {
        const socket = net.createConnection(path);
        let onError: (err: Error) => void = () => {};
        const connected = new Promise<net.Socket>((resolve, reject) => {
          onError = (err) => reject(err);
          socket.once('error', onError);
          socket.once('connect', () => resolve(socket));
        });
        return await connected;
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('a ws server re-emits the error of the HTTP server it is attached to', () => {
  const shape = (emitter: string): string => ts`
    import { createServer } from 'node:http';
    import type { AddressInfo } from 'node:net';
    import { WebSocketServer } from 'ws';
    export class Srv {
      private wss?: WebSocketServer;
      private http?: ReturnType<typeof createServer>;
      start(port: number): Promise<number> {
        return new Promise<number>((resolve, reject) => {
          const server = createServer();
          const wss = new WebSocketServer({ server });
          const onError = (err: Error) => reject(err);
          ${emitter}.once('error', onError);
          server.listen(port, () => {
            wss.off('error', onError);
            this.wss = wss;
            this.http = server;
            resolve((server.address() as AddressInfo).port);
          });
        });
      }
      stop(): void {
        this.wss?.close();
        this.http?.close();
      }
    }
  `;

  it("wss.once('error', …) rejecting a failed listen(): the server holds nothing, silent", () => {
    expect(reports(shape('wss'))).toEqual([]);
  });

  it('the same on the HTTP server itself: silent', () => {
    expect(reports(shape('server'))).toEqual([]);
  });
});

describe('a value whose declared type lacks the methods the code calls on it', () => {
  const js = (jsdocType: string): string =>
    [
      '// @ts-check',
      "const net = require('node:net');",
      "const { Socket } = require('node:dgram');",
      `/** @returns {Promise<${jsdocType}>} */`,
      'function open(port) {',
      '  return new Promise((resolve, reject) => {',
      '    const c = net.createConnection({ port });',
      "    c.on('connect', () => resolve(c)).on('error', reject);",
      '  });',
      '}',
      'async function version(port) {',
      '  const client = await open(port);',
      "  client.write('nVERSION\\n');",
      '  if (port > 1) return;',
      '  client.end();',
      '}',
      'module.exports = { version, Socket };',
    ].join('\n');
  const dir = path.join(__dirname, '..', 'fixtures-prescreen');

  it('a wrong JSDoc type (dgram for a net socket): the kind read from it is wrong, not checked', () => {
    expect(lintJsWithPlugin(js('Socket'), dir).map((m) => [m.ruleId, m.line])).toEqual([]);
  });

  it('the right type: the early return leaks it', () => {
    expect(lintJsWithPlugin(js("import('node:net').Socket"), dir).map((m) => [m.ruleId, m.line])).toEqual([['socket-close/no-leak', 12]]);
  });
});

describe('second look at the relint of the sixth triage', () => {
  it('a hook in an options object given before the socket is made schedules the releasing function: silent', () => {
    const code = ts`
      import * as net from 'node:net';
      declare function makeBroker(opts: { preConnect: (done: () => void) => void }): { close(): void };
      export function run(port: number): void {
        const broker = makeBroker({
          preConnect(done) {
            done();
            setImmediate(finish);
          },
        });
        const client = net.connect(port, '127.0.0.1');
        function finish(): void {
          client.end();
          broker.close();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it("an error listener held in a variable, unregistered with off() in a finally: still the error's own listener", () => {
    const code = ts`
      import * as net from 'node:net';
      export async function connect(path: string): Promise<net.Socket> {
        const socket = net.createConnection(path);
        let onError: (err: Error) => void = () => {};
        const connected = new Promise<net.Socket>((resolve, reject) => {
          onError = (err) => reject(err);
          socket.once('error', onError);
          socket.once('connect', () => resolve(socket));
        });
        try {
          return await connected;
        } finally {
          socket.off('error', onError);
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('the same variable also called directly: it can run with the socket open, reported', () => {
    const code = ts`
      import * as net from 'node:net';
      export async function connect(path: string, late: boolean): Promise<net.Socket> {
        const socket = net.createConnection(path);
        let onError: (err: Error) => void = () => {};
        const connected = new Promise<net.Socket>((resolve, reject) => {
          onError = (err) => reject(err);
          socket.once('error', onError);
          socket.once('connect', () => resolve(socket));
          if (late) onError(new Error('late'));
        });
        return await connected;
      }
    `;
    expect(reports(code).map(([l]) => l)).toEqual([3]);
  });
});

describe('regressions found relinting the fifth triage with this build', () => {
  it("a keepalive timer cleared by a 'close' listener registered by name: the peer's close stops it, silent", () => {
    const code = ts`
      import type WebSocket from 'ws';
      export function keepalive(socket: WebSocket, interval: number): void {
        let timer: NodeJS.Timeout | null = null;
        const stopTimer = () => {
          if (timer != null) {
            clearTimeout(timer);
            timer = null;
          }
        };
        const sendPing = () => {
          stopTimer();
          timer = setTimeout(handleTimeout, interval);
          socket.ping();
        };
        const handlePong = () => {
          stopTimer();
          timer = setTimeout(sendPing, interval);
        };
        const handleTimeout = () => {
          stopTimer();
          socket.terminate();
        };
        const handleClose = () => stopTimer();
        socket.on('pong', handlePong);
        socket.on('close', handleClose);
        timer = setTimeout(sendPing, interval);
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it("an SSDP scan socket that sends from its 'listening' callback and is closed only by its 'error' listener: a client, checked", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function scan(ip: string, onFound: (m: Buffer) => void): void {
        const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
        socket.on('error', () => socket.close());
        socket.on('message', (msg) => onFound(msg));
        socket.on('listening', () => {
          socket.addMembership('239.255.255.250', ip);
          socket.send('M-SEARCH', 1900, '239.255.255.250');
        });
        socket.bind(19001, ip);
      }
    `;
    expect(reports(code).map(([l]) => l)).toEqual([3]);
  });

  it("a UDP server that replies from its 'message' listener and closes on 'error': a server, silent", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function echo(port: number): void {
        const server = dgram.createSocket('udp4');
        server.on('error', () => server.close());
        server.on('message', (msg, rinfo) => server.send(msg, rinfo.port, rinfo.address));
        server.bind(port);
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});
