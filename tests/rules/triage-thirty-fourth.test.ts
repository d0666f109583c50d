/**
 * Shapes found in the fortieth session (the thirty-fourth hand triage, and what the thirty-third left), each reduced
 * to its general mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('an event named by a string literal type (an imported const, a string enum member, an `as const` object)', () => {
  const server = (event: string): string => ts`
    import Redis from 'ioredis';
    import { CONNECT_EVENT, RENAMED_EVENT, RedisEvent, EVENTS, LOOSE_EVENTS } from './event-names';
    void [CONNECT_EVENT, RENAMED_EVENT, RedisEvent, EVENTS, LOOSE_EVENTS];
    export class StreamServer {
      private redis: Redis | null = null;
      listen(url: string, callback: () => void): void {
        this.redis = new Redis(url);
        this.redis.on(${event}, () => {
          void this.bindHandlers();
          callback();
        });
      }
      async bindHandlers(): Promise<void> {
        if (!this.redis) throw new Error('no redis');
        await this.redis.xreadgroup('GROUP', 'g', 'c', 'BLOCK', 0, 'STREAMS', 's', '>');
      }
      close(): void {
        void this.redis?.quit();
      }
    }
  `;

  it("an imported const CONNECT_EVENT = 'connect' is the literal: an ioredis 'connect' cannot follow quit() (no report)", () => {
    expect(ids(server('CONNECT_EVENT'))).toEqual([]);
  });

  it('a string enum member and a member of an `as const` object are their literals (no report)', () => {
    expect(ids(server('RedisEvent.Connect'))).toEqual([]);
    expect(ids(server('EVENTS.connect'))).toEqual([]);
  });

  it('an exported let, a member of a plain object (typed string) name no event: the listener may run after quit() (reported)', () => {
    expect(ids(server('RENAMED_EVENT'))).toEqual([[9, 'deferredUse']]);
    expect(ids(server('LOOSE_EVENTS.connect'))).toEqual([[9, 'deferredUse']]);
  });

  it("a string enum member naming an event that does follow quit() ('ready' after a reconnect) is still reported", () => {
    expect(ids(server('RedisEvent.Ready'))).toEqual(ids(server("'ready'")));
  });
});

describe('an async function or method started without await in a try: it rejects, it does not throw into the catch', () => {
  const svc = (body: string, extra = ''): string => ts`
    import Redis from 'ioredis';
    export class Svc {
      private client: Redis | null = null;
      init(): void {
        try {
          this.client = new Redis();
          ${body}
        } catch (e) {
          this.client = null;
        }
      }
      private async connect(): Promise<void> {
        await this.client!.ping();
      }
      private setup(): void {
        JSON.parse(process.env.REDIS_OPTIONS ?? '{}');
      }
      ${extra}
      async close(): Promise<void> {
        await this.client?.quit();
      }
    }
  `;

  it('this.connect() of an async method: the catch runs only if the creation threw (no report)', () => {
    expect(ids(svc('this.connect();'))).toEqual([]);
    expect(ids(svc('void this.connect();'))).toEqual([]);
  });

  it('start() of an async function of the file: no report', () => {
    expect(ids(svc('start();', '').replace('export class Svc', 'async function start(): Promise<void> {}\nexport class Svc'))).toEqual([]);
  });

  it('a synchronous method that can throw leaves the client behind when the catch clears the field (reported)', () => {
    expect(ids(svc('this.setup();'))).toEqual([[6, 'leak']]);
  });

  it('an awaited async method rejects into the catch: reported', () => {
    expect(ids(svc('await this.connect();').replace('init(): void', 'async init(): Promise<void>'))).toEqual([[6, 'leak']]);
  });
});

describe("a helper of the file that promisifies an operation on its parameter (an ssh2 client's forwardOut)", () => {
  const chain = (callback: string): string => ts`
    import type { Duplex } from 'node:stream';
    import { Client } from 'ssh2';
    declare function connectOne(sock: Duplex | undefined): Promise<Client>;
    function openForward(client: Client, host: string): Promise<Duplex> {
      return new Promise<Duplex>((resolve, reject) => {
        client.forwardOut('127.0.0.1', 0, host, 22, (err, channel) => {
          ${callback}
        });
      });
    }
    export async function viaJump(target: string): Promise<Client[]> {
      const jump = await connectOne(undefined);
      const sock = await openForward(jump, target);
      try {
        const client = await connectOne(sock);
        return [jump, client];
      } catch (error) {
        sock.destroy();
        jump.end();
        throw error;
      }
    }
  `;

  it('a refused channel rejects with the connection open (its callback errors leave it open): reported at the jump', () => {
    expect(ids(chain('if (err) { reject(err); return; } resolve(channel);'))).toEqual([[12, 'leak']]);
  });

  it('a callback that ends the client before it rejects: no report', () => {
    expect(ids(chain('if (err) { client.end(); reject(err); return; } resolve(channel);'))).toEqual([]);
  });

  it("the same helper over a socket whose failed write destroys it (net.Socket): no report", () => {
    expect(ids(ts`
      import * as net from 'node:net';
      function send(sock: net.Socket, data: string): Promise<void> {
        return new Promise((resolve, reject) => {
          sock.write(data, (err) => (err ? reject(err) : resolve()));
        });
      }
      export async function hello(port: number): Promise<void> {
        const sock = net.connect(port, '127.0.0.1');
        await send(sock, 'hello');
        sock.end();
      }
    `)).toEqual([]);
  });
});

describe("a timer handle kept as obj['name'] (a string-literal key) is the same property as obj.name", () => {
  const subscribe = (key: string, clearedKey = key): string => ts`
    import WebSocket from 'ws';
    export function subscribe(url: string, command: string): WebSocket {
      const ws = new WebSocket(url) as WebSocket & Record<string, any>;
      ws.on('open', () => {
        ws${key} = setInterval(() => {
          ws.send(command);
        }, 10000);
      });
      ws.on('message', (data) => {
        if (String(data) === 'bye') {
          clearInterval(ws${clearedKey});
          ws.terminate();
        }
      });
      ws.on('close', () => {
        clearInterval(ws${clearedKey});
      });
      return ws;
    }
  `;

  it("ws['heartbeat'] set and cleared before terminate(): no report, as with ws.heartbeat", () => {
    expect(ids(subscribe("['heartbeat']"))).toEqual([]);
    expect(ids(subscribe('.heartbeat'))).toEqual([]);
  });

  it('handles cleared under another key do not stop this timer (reported)', () => {
    expect(ids(subscribe("['heartbeat']", "['ping']"))).toEqual([[6, 'deferredUse']]);
  });
});

describe('a terminal stream (tty.WriteStream, NodeJS.WriteStream) is no resource, whatever holds it', () => {
  it("a field given a parameter that defaults to process.stdout, written by a timer: no report", () => {
    expect(ids(ts`
      export class Spinner {
        timer: NodeJS.Timeout | null = null;
        i = 0;
        stream;
        constructor(stream = process.stdout) {
          this.stream = stream;
        }
        render(): void {
          this.stream.write(String(this.i++));
          this.timer = setTimeout(() => this.render(), 60);
        }
        stop(): void {
          if (this.timer) clearTimeout(this.timer);
        }
      }
    `)).toEqual([]);
  });

  it('parameters typed NodeJS.WriteStream and tty.WriteStream, written after end(): no report; a net.Socket is', () => {
    expect(ids(ts`
      import * as tty from 'node:tty';
      import * as net from 'node:net';
      export function f(out: NodeJS.WriteStream, t: tty.WriteStream, s: net.Socket): void {
        out.end(); out.write('x');
        t.end(); t.write('x');
        s.end(); s.write('x');
      }
    `)).toEqual([[6, 'useAfterRelease']]);
  });
});

describe("a resource's entry taken out of a field's collection by its own listener, the resource left open", () => {
  const udp = (listener: string): string => ts`
    import * as dgram from 'node:dgram';
    export class Client {
      private sockets = new Map<string, dgram.Socket>();
      createSocket(iface: string): Promise<void> {
        return new Promise<void>((resolve) => {
          const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
          socket.on('error', (err: Error) => {
            ${listener}
            resolve();
          });
          socket.on('message', (msg) => console.log(msg.toString()));
          socket.bind(0, () => resolve());
          this.sockets.set(iface, socket);
        });
      }
      stop(): void {
        this.sockets.forEach((socket) => socket.close());
        this.sockets.clear();
      }
    }
  `;

  it("a dgram socket's 'error' (which leaves it open) deleting its entry: reported at the creation", () => {
    expect(ids(udp('console.log(err.message); this.sockets.delete(iface);'))).toEqual([[6, 'leak']]);
  });

  it('closed first, or handed to a function: no report', () => {
    expect(ids(udp('socket.close(); this.sockets.delete(iface);'))).toEqual([]);
    expect(ids(udp('this.sockets.delete(iface); retire(socket);').replace('export class Client', 'declare function retire(s: dgram.Socket): void;\nexport class Client'))).toEqual([]);
  });

  it('another key deleted: no report', () => {
    expect(ids(udp("this.sockets.delete('other'); void err;"))).toEqual([]);
  });

  const hub = (event: string): string => ts`
    import * as net from 'node:net';
    import Redis from 'ioredis';
    export class Hub {
      private socks = new Set<net.Socket>();
      private clients = new Map<string, Redis>();
      add(port: number): void {
        const s = net.connect(port, '127.0.0.1');
        s.on('${event}', () => { this.socks.delete(s); });
        this.socks.add(s);
      }
      addRedis(name: string, url: string): void {
        const c = new Redis(url);
        c.on('${event}', () => { this.clients.delete(name); });
        this.clients.set(name, c);
      }
      stop(): void {
        for (const s of this.socks) s.destroy();
        for (const c of this.clients.values()) c.disconnect();
      }
    }
  `;

  it("an ioredis client's 'error' (it reconnects) deleting it from a map: reported; a net.Socket's 'error' (it destroys) is not", () => {
    expect(ids(hub('error'))).toEqual([[12, 'leak']]);
  });

  it("an 'end' listener (the socket's end, ioredis' last event) deletes what is already closed: no report", () => {
    expect(ids(hub('end'))).toEqual([]);
  });

  it("ioredis' 'close' is followed by a reconnect: deleting the client there leaves it reconnecting (reported)", () => {
    expect(ids(hub('close'))).toEqual([[12, 'leak']]);
  });
});

describe('an untyped connection piped both ways with a created socket is a tunnel end (CommonJS handlers)', () => {
  const forward = (extra: string, back = 'socket.pipe(conn);'): string => ts`
    import { connect } from 'node:net';
    export function forward(opts: { host: string; port: number }) {
      return (conn: any): void => {
        const socket = connect(opts, () => {
          conn.pipe(socket);
          ${back}
        });
        socket.on('error', () => conn.destroy());
        ${extra}
      };
    }
  `;

  it("nothing ends the upstream when the client fails: reported, as for a typed client", () => {
    expect(ids(forward(''))).toEqual([[4, 'leak']]);
  });

  it("the client's 'close' destroys the upstream: no report", () => {
    expect(ids(forward("conn.on('close', () => socket.destroy());"))).toEqual([]);
  });

  it('piped one way only (an untyped value may be anything): no report', () => {
    expect(ids(forward('', ''))).toEqual([]);
  });
});

describe("a reconnect in a stream socket's 'end' listener does not follow destroy()", () => {
  const client = (event: string, release: string): string => ts`
    import * as net from 'node:net';
    export class Client {
      private sock?: net.Socket;
      constructor(private readonly port: number) {}
      connect(): void {
        this.sock = net.connect(this.port, '127.0.0.1');
        this.sock.on('${event}', () => {
          setTimeout(() => this.connect(), 1000);
        });
      }
      close(): void {
        this.sock?.${release}();
      }
    }
  `;

  it("'end' listener, close() destroys: no report", () => {
    expect(ids(client('end', 'destroy'))).toEqual([]);
  });

  it("'end' listener, close() ends (the peer's FIN answers it): reported", () => {
    expect(ids(client('end', 'end'))).toEqual([[12, 'reconnectsAfterRelease']]);
  });

  it("'close' listener, close() destroys: reported", () => {
    expect(ids(client('close', 'destroy'))).toEqual([[12, 'reconnectsAfterRelease']]);
  });
});

describe('a socket made in a callback inside a Promise executor that settles only in its own close listeners', () => {
  const whois = (inner: string, outer = ''): string => ts`
    import * as dns from 'node:dns';
    import * as net from 'node:net';
    export function whois(host: string, query: string): Promise<string> {
      return new Promise((resolve, reject) => {
        dns.lookup(host, (err, address) => {
          if (err) {
            reject(err);
            return;
          }
          const s = net.connect(43, address, () => s.write(query + '\\r\\n'));
          let data = '';
          s.on('data', (chunk: Buffer) => {
            data += chunk.toString();
          });
          ${inner}
        });
        ${outer}
      });
    }
  `;

  it("'end' resolves, 'error' rejects (the settles before the socket exists aside): no report", () => {
    expect(ids(whois("s.on('end', () => resolve(data));\ns.on('error', (e) => reject(e));"))).toEqual([]);
  });

  it('a timer of the executor that rejects while the socket may be open: reported', () => {
    expect(ids(whois("s.on('end', () => resolve(data));\ns.on('error', (e) => reject(e));", "setTimeout(() => reject(new Error('timeout')), 5000);"))).toEqual([[10, 'leak']]);
  });

  it("resolved on its first 'data' (the socket still open): reported", () => {
    expect(ids(whois("s.once('data', () => resolve(data));\ns.on('error', (e) => reject(e));"))).toEqual([[10, 'leak']]);
  });
});

describe('a re-arming timer whose callback runs the storing method under an if', () => {
  const feed = (callback: string): string => ts`
    import WebSocket from 'ws';
    export class Feed {
      private ws: WebSocket | null = null;
      private running = true;
      private async setup(url: string, auth: () => Promise<string>): Promise<void> {
        try {
          this.ws = new WebSocket(url);
          const token = await auth();
          this.ws.send(token);
        } catch (err) {
          this.scheduleReconnect(url, auth);
        }
      }
      private scheduleReconnect(url: string, auth: () => Promise<string>): void {
        if (!this.running) return;
        setTimeout(() => {
          ${callback}
        }, 1000);
      }
      stop(): void {
        this.running = false;
        this.ws?.close();
        this.ws = null;
      }
    }
  `;

  it('if (this.running) — a life-cycle flag does not prove the field empty: the next run overwrites it (reported)', () => {
    expect(ids(feed('if (this.running) void this.setup(url, auth);'))).toEqual([[7, 'fieldOverwritten']]);
    expect(ids(feed('if (this.running) { void this.setup(url, auth); }'))).toEqual([[7, 'fieldOverwritten']]);
    expect(ids(feed('void this.setup(url, auth);'))).toEqual([[7, 'fieldOverwritten']]);
  });

  it('if (!this.ws) — a test of the stored field: no report', () => {
    expect(ids(feed('if (!this.ws) void this.setup(url, auth);'))).toEqual([]);
  });
});

describe("an old socket's close listener clearing the field after a restart stored a new one", () => {
  const client = (listener: string, close = 'this.connection.close();\nthis.connection = null;', reload = 'this.close();\nthis.open();'): string => ts`
    import WebSocket from 'ws';
    export class ReverseClient {
      private connection: WebSocket | null = null;
      private enabled = false;
      constructor(private url: string, private readonly reconnectMs: number) {}
      open(): void {
        if (this.connection) return;
        this.enabled = true;
        this.tryConnect();
      }
      private tryConnect(): void {
        if (this.connection || !this.enabled) return;
        const ws = new WebSocket(this.url);
        this.connection = ws;
        ws.once('close', () => {
          ${listener}
        });
      }
      close(): void {
        this.enabled = false;
        if (this.connection) {
          ${close}
        }
      }
      async reload(url: string): Promise<void> {
        this.url = url;
        ${reload}
      }
    }
  `;
  const clears = 'if (this.enabled) {\nthis.connection = null;\nsetTimeout(() => this.tryConnect(), this.reconnectMs);\n}';

  it('reload() closes, then opens at once: the old close event clears the new socket (reported at the clear)', () => {
    expect(ids(client(clears))).toEqual([[17, 'staleClear']]);
  });

  it('a listener that checks the field still holds its socket: no report', () => {
    expect(ids(client('if (this.connection === ws) {\nthis.connection = null;\n}'))).toEqual([]);
  });

  it("close() removes the socket's listeners first: no report", () => {
    expect(ids(client(clears, 'this.connection.removeAllListeners();\nthis.connection.close();\nthis.connection = null;'))).toEqual([]);
  });

  it("reload() waits for the old socket's close before opening: no report", () => {
    expect(ids(client(clears, undefined, "const old = this.connection;\nthis.close();\nif (old) await new Promise((done) => old.once('close', done));\nthis.open();"))).toEqual([]);
  });

  it('no method restarts it: no report', () => {
    expect(ids(client(clears, undefined, 'this.close();'))).toEqual([]);
  });
});

describe("a positive test of a listening server's address in its listen() callback", () => {
  const probe = (test: string, listen = "port, '127.0.0.1'"): string => ts`
    import * as net from 'node:net';
    export function freePort(port: number): Promise<number> {
      return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.on('error', reject);
        server.listen(${listen}, () => {
          const address = server.address();
          if (${test}) {
            server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
          } else {
            reject(new Error('Invalid address'));
          }
        });
      });
    }
  `;

  it("if (address && typeof address === 'object'): the else branch never runs (no report)", () => {
    expect(ids(probe("address && typeof address === 'object'"))).toEqual([]);
    expect(ids(probe("address !== null && typeof address !== 'string'"))).toEqual([]);
    expect(ids(probe('address'))).toEqual([]);
  });

  it('on a pipe path the address is a string: the else branch runs (reported)', () => {
    expect(ids(probe("address && typeof address === 'object'", "'/tmp/app.sock'"))).toEqual([[4, 'leak']]);
  });

  it('a test of something else decides nothing (reported)', () => {
    expect(ids(probe('port > 1024'))).toEqual([[4, 'leak']]);
  });
});

describe("a server returned by a local factory that gives it an untyped handler (an uninstalled framework's app.callback())", () => {
  const start = (handler: string): string => ts`
    import http2 from 'node:http2';
    export async function start(app: any, cert: Buffer, key: Buffer): Promise<void> {
      const createServer = async () => http2.createSecureServer({ cert, key, allowHTTP1: true }, ${handler});
      const server = await createServer();
      server.listen(8443, () => console.log('listening'));
      server.setTimeout(120_000);
    }
  `;

  it('app.callback() typed any, where the handler goes: it serves, as made in place (no report)', () => {
    expect(ids(start('app.callback()'))).toEqual([]);
  });

  it('no handler: it serves nothing and nothing closes it (reported)', () => {
    expect(ids(start('undefined'))).toEqual([[4, 'leak']]);
  });
});

describe("a module's variable holding a lazily made resource, cleared without a release", () => {
  const module = (extra: string): string => ts`
    import mysql, { type Pool, type RowDataPacket } from 'mysql2/promise';
    let pool: Pool | null = null;
    export const getPool = (): Pool => {
      if (!pool) pool = mysql.createPool({ host: 'db', connectionLimit: 10 });
      return pool;
    };
    ${extra}
  `;

  it('a retry that drops the pool on a lost connection (pool = null, no end()): reported at the creation', () => {
    expect(ids(module(ts`
      export async function executeQuery(sql: string): Promise<RowDataPacket[]> {
        for (let i = 0; i < 3; i++) {
          try {
            const [rows] = await getPool().query<RowDataPacket[]>(sql);
            return rows;
          } catch (error: any) {
            if (error.code === 'PROTOCOL_CONNECTION_LOST') {
              pool = null;
              continue;
            }
            throw error;
          }
        }
        throw new Error('unreachable');
      }
    `))).toEqual([[4, 'leak']]);
  });

  it('ended first (through the variable, through getPool(), or by the caller of the clearing function): no report', () => {
    expect(ids(module('export async function close(): Promise<void> { await pool?.end(); pool = null; }'))).toEqual([]);
    expect(ids(module('export async function shutdown(): Promise<void> { await getPool().end(); pool = null; }'))).toEqual([]);
    expect(ids(module('function forget(): void { pool = null; }\nexport async function restart(): Promise<void> { await pool?.end(); forget(); }'))).toEqual([]);
  });
});

describe('a pg Client opens only at connect()', () => {
  const clear = (connect: string): string => ts`
    import pg from 'pg';
    export async function clearData(connString: string): Promise<void> {
      const conn = new pg.Client(connString);
      ${connect}
      await conn.query('TRUNCATE t');
      await conn.end();
    }
  `;

  it('never connected: its query() is queued and opens nothing (no report)', () => {
    expect(ids(clear(''))).toEqual([]);
  });

  it('connected first: a rejected query() leaves it open (reported)', () => {
    expect(ids(clear('await conn.connect();'))).toEqual([[3, 'leak']]);
  });
});

describe("a closure's variable cleared by a helper that the socket's close listener calls", () => {
  const bridge = (event: string): string => ts`
    import WebSocket from 'ws';
    export function bridge(host: string): void {
      let ws: WebSocket | null = null;
      const connect = () => {
        ws = new WebSocket('ws://' + host + '/ws');
        ws.on('${event}', () => {
          cleanup();
        });
      };
      const cleanup = () => {
        ws = null;
      };
      connect();
      process.on('exit', () => {
        if (ws) ws.close();
        cleanup();
      });
    }
  `;

  it("called from its 'close' listener and after a release: no report", () => {
    expect(ids(bridge('close'))).toEqual([]);
  });

  it("called from its 'message' listener, the socket open: reported at the creation", () => {
    expect(ids(bridge('message'))).toEqual([[5, 'leak']]);
  });
});

describe('the restart runs the storing method through an awaited call that stores before its first wait', () => {
  const client = (tryConnectHead: string): string => ts`
    import WebSocket from 'ws';
    export class Client {
      private connection: WebSocket | null = null;
      private isEnable = false;
      constructor(private url: string, private readonly lookup: () => Promise<string>) {}
      async open(): Promise<void> {
        if (this.connection) return;
        this.isEnable = true;
        await this.tryConnect();
      }
      close(): void {
        this.isEnable = false;
        if (this.connection) {
          this.connection.close();
          this.connection = null;
        }
      }
      private async tryConnect(): Promise<void> {
        ${tryConnectHead}
        if (!this.connection && this.isEnable) {
          this.connection = new WebSocket(this.url);
          this.connection.once('close', () => {
            if (this.isEnable) {
              this.connection = null;
              setTimeout(() => void this.tryConnect(), 1000);
            }
          });
        }
      }
      async reload(url: string): Promise<void> {
        const old = this.url;
        this.url = url;
        if (old !== url) {
          this.close();
          void this.open();
        }
      }
    }
  `;

  it('open() awaits tryConnect(), which stores at once: reported at the clear', () => {
    expect(ids(client(''))).toEqual([[24, 'staleClear']]);
  });

  it('tryConnect() waits before it stores (the old close event may come first): no report', () => {
    expect(ids(client('this.url = await this.lookup();'))).toEqual([]);
  });
});

describe('staleClear follows the paths of the restarting method', () => {
  const client = (body: string): string => ts`
    import WebSocket from 'ws';
    export class Client {
      private connection: WebSocket | null = null;
      constructor(private url: string) {}
      open(): void {
        if (this.connection) return;
        this.connection = new WebSocket(this.url);
        this.connection.once('close', () => {
          this.connection = null;
        });
      }
      close(): void {
        if (this.connection) {
          this.connection.close();
          this.connection = null;
        }
      }
      toggle(on: boolean, changed: boolean): void {
        ${body}
      }
    }
  `;

  it('a release on a branch that returns, the store on another path: no report', () => {
    expect(ids(client('if (!on) {\nthis.close();\nreturn;\n}\nthis.open();'))).toEqual([]);
  });

  it('a store before the release (another branch) restarts nothing; a later close-then-open does (reported)', () => {
    expect(ids(client('if (on && !changed) {\nthis.open();\nreturn;\n}\nthis.close();\nif (on) this.open();'))).toEqual([[9, 'staleClear']]);
  });
});
