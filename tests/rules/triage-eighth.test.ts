/**
 * Shapes of socket and client code found in the eighth hand triage of real code (2026-12-03, eleventh session),
 * reduced: the false alarms must stay silent, and their buggy twins must be reported.
 */
import { describe, expect, it } from 'vitest';
import { ts, lineMessages } from '../rule-tester';

const reports = lineMessages;

describe('a method that releases behind its own closed-flag may be called again', () => {
  const conn = (guard: string, caller: string): string => ts`
    import * as dgram from 'node:dgram';
    export class Conn {
      private closed = false;
      private udp: dgram.Socket = dgram.createSocket('udp4');
      ${caller}
      private kill(): void {
        ${guard}
        this.udp.close();
      }
    }
  `;
  const loop = "onMessages(kinds: string[]): void { for (const k of kinds) if (k === 'fatal') this.kill(); }";

  it('in a loop: no report', () => {
    expect(reports(conn('if (this.closed) return; this.closed = true;', loop))).toEqual([]);
  });

  it('twice in a row: no report', () => {
    expect(reports(conn('if (this.closed) return; this.closed = true;', 'twice(): void { this.kill(); this.kill(); }'))).toEqual([]);
  });

  it('without the flag, a second close() throws: reported', () => {
    expect(reports(conn('', loop))).toEqual([
      [5, "close() (through kill()) on the dgram.Socket that may already be closed (close() (through kill()) at line 5, in an earlier iteration)."],
    ]);
  });
});

describe('an ordered test of a state the release sets (`this.state >= State.Closing`) is a liveness test', () => {
  const conn = (test: string): string => ts`
    import * as net from 'node:net';
    const enum State { Open, Authenticated, Closing, Closed }
    export class Conn {
      private state = State.Open;
      private timer?: NodeJS.Timeout;
      constructor(private readonly sock: net.Socket) {}
      queue(): void {
        this.timer ??= setTimeout(() => this.flush(), 250);
      }
      private flush(): void {
        this.timer = undefined;
        if (${test}) return;
        this.sock.write('EVENT');
      }
      close(): void {
        this.state = State.Closing;
        this.sock.destroy();
      }
    }
  `;

  it('`this.state > State.Authenticated` (closing and closed pass): no report', () => {
    expect(reports(conn('this.state > State.Authenticated'))).toEqual([]);
  });

  it('the constant on the left (`State.Closing <= this.state`): no report', () => {
    expect(reports(conn('State.Closing <= this.state'))).toEqual([]);
  });

  it('a test the released state does not pass (`this.state > State.Closing`): reported', () => {
    expect(reports(conn('this.state > State.Closing')).map(([line]) => line)).toEqual([8]);
  });
});

describe("a release in a method bound as the same socket's 'close' listener comes after its last 'data'", () => {
  const conn = (extra: string): string => ts`
    import * as net from 'node:net';
    export class Conn {
      private http: net.Socket | null = null;
      constructor(private readonly tcp: net.Socket, port: number) {
        this.tcp.on('data', this.onData.bind(this));
        this.tcp.on('close', this.onClose.bind(this));
        this.http = net.createConnection(port, '127.0.0.1');
      }
      private onData(data: Buffer): void {
        this.http!.write(data);
      }
      private onClose(): void {
        if (this.http) this.http.destroy();
      }
      ${extra}
    }
  `;

  it('only registered as that listener: no report', () => {
    expect(reports(conn(''))).toEqual([]);
  });

  it('also called directly (a public stop()): the release can come before a data event, reported', () => {
    expect(reports(conn('stop(): void { this.onClose(); }')).map(([line]) => line)).toEqual([10]);
  });
});

describe('an awaited call given the resource, inside a try, rejects into the catch', () => {
  const fn = (handler: string): string => ts`
    import type { Pool, PoolClient } from 'pg';
    declare function insert(c: PoolClient): Promise<void>;
    export async function save(pool: Pool): Promise<void> {
      const c = await pool.connect();
      try {
        await insert(c);
        c.release();
      } ${handler}
    }
  `;

  it('a catch that only logs: reported, at the rejection', () => {
    expect(reports(fn('catch (e) { console.error(e); }'))).toEqual([
      [4, 'This pg PoolClient is not released when insert() at line 6 rejects (the catch block at line 8 does not release it): call release() first, or hand it to an owner.'],
    ]);
  });

  it('a catch that releases, or a finally that does: no report', () => {
    expect(reports(fn('catch (e) { c.release(); throw e; }'))).toEqual([]);
    expect(reports(ts`
      import type { Pool, PoolClient } from 'pg';
      declare function insert(c: PoolClient): Promise<void>;
      export async function save(pool: Pool): Promise<void> {
        const c = await pool.connect();
        try {
          await insert(c);
        } catch (e) {
          console.error(e);
        } finally {
          c.release();
        }
      }
    `)).toEqual([]);
  });
});

describe("an awaited call given a handle of the client (`client.db('app')`) fails on the client's connection", () => {
  it('the handle passed inline, or held in a local: reported', () => {
    expect(reports(ts`
      import { MongoClient, type Db } from 'mongodb';
      declare function runHook(db: Db): Promise<void>;
      export async function inline(url: string): Promise<void> {
        const client = new MongoClient(url);
        await client.connect();
        await runHook(client.db('app'));
        await client.close();
      }
      export async function local(url: string): Promise<void> {
        const client = new MongoClient(url);
        await client.connect();
        const db = client.db('app');
        await runHook(db);
        await client.close();
      }
    `).map(([l, msg]) => [l, msg.slice(0, 60)])).toEqual([
      [4, 'This MongoClient is not released when runHook() at line 6 re'],
      [10, 'This MongoClient is not released when runHook() at line 13 r'],
    ]);
  });

  it('closed in a finally: no report', () => {
    expect(reports(ts`
      import { MongoClient, type Db } from 'mongodb';
      declare function runHook(db: Db): Promise<void>;
      export async function inline(url: string): Promise<void> {
        const client = new MongoClient(url);
        try {
          await client.connect();
          await runHook(client.db('app'));
        } finally {
          await client.close();
        }
      }
    `)).toEqual([]);
  });
});

describe('a subscriber or server whose function returns what closes it does not serve for the life of the process', () => {
  it('an ioredis subscriber with a message listener and a returned cleanup: reported when subscribe() rejects', () => {
    expect(reports(ts`
      import Redis from 'ioredis';
      export async function subscribe(url: string, channel: string, onMessage: (m: string) => void): Promise<() => Promise<void>> {
        const sub = new Redis(url);
        await sub.subscribe(channel);
        sub.on('message', (_ch: string, msg: string) => onMessage(msg));
        return async () => {
          await sub.quit();
        };
      }
    `)).toEqual([
      [3, 'This ioredis client is not released when subscribe() at line 4 rejects: call quit() or disconnect() first, or hand it to an owner.'],
    ]);
  });

  it('a server with a handler and a returned closer (also in an object): no report', () => {
    expect(reports(ts`
      import * as http from 'node:http';
      export function serve(port: number): () => void {
        const server = http.createServer((_req, res) => res.end('ok'));
        server.listen(port, '127.0.0.1');
        return () => server.close();
      }
      export function serve2(port: number): { close(): void } {
        const server = http.createServer((_req, res) => res.end('ok'));
        server.listen(port, '127.0.0.1');
        return { close: () => server.close() };
      }
    `)).toEqual([]);
  });
});

describe('an awaited operation in a catch block that only a rejection of its try enters', () => {
  it('`catch (e) { await conn.rollback(); conn.release(); throw e; }`: reported, the rollback can reject', () => {
    expect(reports(ts`
      import * as mysql from 'mysql2/promise';
      export async function add(pool: mysql.Pool, rows: string[]): Promise<void> {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          for (const r of rows) await conn.execute('INSERT INTO t VALUES (?)', [r]);
          await conn.commit();
          conn.release();
        } catch (e) {
          await conn.rollback();
          conn.release();
          throw e;
        }
      }
    `)).toEqual([
      [3, 'This mysql2 PoolConnection is not released when rollback() at line 10 rejects: call release() first, or hand it to an owner.'],
    ]);
  });

  it('the release in a finally: no report', () => {
    expect(reports(ts`
      import * as mysql from 'mysql2/promise';
      export async function add(pool: mysql.Pool, rows: string[]): Promise<void> {
        const conn = await pool.getConnection();
        try {
          await conn.beginTransaction();
          for (const r of rows) await conn.execute('INSERT INTO t VALUES (?)', [r]);
          await conn.commit();
        } catch (e) {
          await conn.rollback();
          throw e;
        } finally {
          conn.release();
        }
      }
    `)).toEqual([]);
  });
});

describe("a helper that only the script's entry function awaits: its rejection ends the process too", () => {
  const script = (call: string): string => ts`
    import * as mysql from 'mysql2/promise';
    async function connectDb(uri: string): Promise<mysql.Pool> {
      const pool = mysql.createPool(uri);
      await pool.query('SELECT 1');
      return pool;
    }
    async function main(): Promise<void> {
      ${call}
      try {
        await pool.query('UPDATE t SET x = 1');
      } finally {
        await pool.end();
      }
    }
    main().catch((e) => {
      console.error(e);
      process.exit(1);
    });
  `;

  it('awaited outside any try: no report', () => {
    expect(reports(script("const pool = await connectDb(process.env.DB_URL ?? '');"))).toEqual([]);
  });

  it('awaited in a try whose catch goes on: reported', () => {
    expect(reports(script("let pool: mysql.Pool; try { pool = await connectDb(''); } catch { pool = mysql.createPool(''); }")).map(([l]) => l)).toEqual([3]);
  });
});

describe("a listener of a stream socket that rejects the awaited promise: an exit, unless its event means released", () => {
  const greet = (event: string): string => ts`
    import * as net from 'node:net';
    export async function greet(port: number): Promise<net.Socket> {
      const socket = net.connect(port, '127.0.0.1');
      await new Promise<void>((resolve, reject) => {
        socket.once('${event}', () => reject(new Error('bad')));
        socket.once('ready', () => resolve());
      });
      return socket;
    }
  `;

  it("a 'data' listener (a bad greeting): reported", () => {
    expect(reports(greet('data'))).toEqual([
      [3, "This net.Socket is not released when its 'data' listener at line 5 rejects the promise awaited at line 4: call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("its 'error' (which destroys it) or 'close' listener: no report", () => {
    expect(reports(greet('error'))).toEqual([]);
    expect(reports(greet('close'))).toEqual([]);
  });
});

describe('destroying a TLS wrapper over a socket of the function destroys that socket', () => {
  const open = (onError: string): string => ts`
    import * as net from 'node:net';
    import * as tls from 'node:tls';
    export function openData(port: number, useTls: boolean): Promise<net.Socket> {
      return new Promise((resolve, reject) => {
        const socket = net.connect(port, '127.0.0.1', () => {
          if (!useTls) return resolve(socket);
          const secure = tls.connect({ socket });
          secure.on('error', (err) => {
            ${onError}
            reject(err);
          });
          resolve(secure);
        });
        socket.on('error', reject);
      });
    }
  `;

  it("the wrapper destroyed before the reject: no report", () => {
    expect(reports(open('secure.destroy();'))).toEqual([]);
    expect(reports(open('secure.destroy();').replace('tls.connect({ socket })', "tls.connect(Object.assign({}, { servername: 'x' }, { socket }))"))).toEqual([]);
  });

  it('nothing destroyed before the reject: reported', () => {
    expect(reports(open('console.error(err);')).map(([l]) => l)).toEqual([5]);
  });
});

describe('a public field that another file of the program reads with its class is released by that owner', () => {
  const cls = (modifier: string, name = 'UpgradeRequest'): string => ts`
    import * as net from 'node:net';
    export class ${name} {
      ${modifier}upstreamSocket?: net.Socket;
      async finalize(port: number): Promise<void> {
        this.upstreamSocket = net.connect(port, '127.0.0.1');
      }
    }
  `;

  it('public, named with the class in tests/fixtures/request-owner.ts: no report', () => {
    expect(reports(cls(''))).toEqual([]);
  });

  it('private, or a class no other file names: reported', () => {
    expect(reports(cls('private ')).map(([l]) => l)).toEqual([5]);
    expect(reports(cls('', 'Other')).map(([l]) => l)).toEqual([5]);
    // tests/fixtures/copied-class.ts names both, but declares its own copy of the class.
    expect(reports(cls('', 'CopiedHolder')).map(([l]) => l)).toEqual([5]);
  });
});

describe("a release made once a server is closed comes after the last run of that server's handler", () => {
  const tunnel = (close: string): string => ts`
    import { Client } from 'ssh2';
    import { createServer, type Server } from 'node:net';
    export class Tunnel {
      private ssh = new Client();
      private server?: Server;
      open(port: number): void {
        this.server = createServer((socket) => {
          this.ssh.forwardOut('127.0.0.1', 0, 'db', 5432, (err, stream) => {
            if (err) return void socket.destroy();
            socket.pipe(stream).pipe(socket);
          });
        });
        this.server.listen(port);
      }
      close(): void {
        ${close}
      }
    }
  `;

  it("in the callback of the server's close(), or after it in the same block: no report", () => {
    expect(reports(tunnel('this.server?.close(() => this.ssh.end());'))).toEqual([]);
    expect(reports(tunnel('this.server?.close(); this.ssh.end();'))).toEqual([]);
  });

  it('without closing the server first: reported', () => {
    expect(reports(tunnel('this.ssh.end();')).map(([l]) => l)).toEqual([8]);
  });
});

describe('a listener of a socket that the releasing method tears down first', () => {
  const proxy = (destroy: string): string => ts`
    import * as dgram from 'node:dgram';
    export class Proxy {
      constructor(
        private readonly incoming: dgram.Socket,
        private readonly outgoing: dgram.Socket,
      ) {
        this.incoming.on('message', (msg) => this.outgoing.send(msg, 5000, '127.0.0.1'));
      }
      destroy(): void {
        ${destroy}
      }
    }
  `;

  it('the emitter closed before the used socket: no report', () => {
    expect(reports(proxy('this.incoming.close(); this.outgoing.close();'))).toEqual([]);
    expect(reports(proxy('if (this.incoming) { this.incoming.close(); } this.outgoing.close();'))).toEqual([]);
  });

  it('the emitter closed right after it, in the same synchronous run (no message is dispatched between): no report', () => {
    expect(reports(proxy('this.outgoing.close(); this.incoming.close();'))).toEqual([]);
  });

  it('the emitter not closed, or closed only after a wait: reported', () => {
    expect(reports(proxy('this.outgoing.close();')).map(([l]) => l)).toEqual([7]);
    expect(reports(proxy('this.outgoing.close(); setTimeout(() => this.incoming.close(), 10);')).map(([l]) => l)).toEqual([7]);
  });
});

describe("a method's new resource handed to a registry's keeping method is the registry's, not the caller's", () => {
  const agent = (register: string): string => ts`
    import * as http2 from 'node:http2';
    interface Pool {
      getSession(): http2.ClientHttp2Session | undefined;
      registerSession(client: http2.ClientHttp2Session): void;
    }
    export class Agent {
      private pools = new Map<string, Pool>();
      async request(origin: string, headers: http2.OutgoingHttpHeaders): Promise<http2.ClientHttp2Stream> {
        const client = await this.session(origin);
        return client.request(headers);
      }
      private async session(origin: string): Promise<http2.ClientHttp2Session> {
        const pool = this.pools.get(origin)!;
        const existing = pool.getSession();
        if (existing) return existing;
        const client = http2.connect(origin);
        ${register}
        return client;
      }
    }
  `;

  it('`pool.registerSession(client)` before returning it: no report', () => {
    expect(reports(agent('pool.registerSession(client);'))).toEqual([]);
  });

  it('returned without keeping it anywhere: the caller owns it, reported there', () => {
    expect(reports(agent('')).map(([l]) => l)).toEqual([9]);
  });
});

describe("a client's own 'connect' listener, registered in the factory method whose result the field stores", () => {
  const bridge = (store: string): string => ts`
    import mqtt from 'mqtt';
    export class Bridge {
      private client: mqtt.MqttClient;
      private other?: mqtt.MqttClient;
      constructor(url: string, private readonly topics: string[]) {
        ${store}
      }
      private setup(url: string): mqtt.MqttClient {
        const client = mqtt.connect(url, { reconnectPeriod: 5000 });
        client.on('connect', () => this.resubscribe());
        client.on('error', (err) => console.error(err));
        return client;
      }
      private resubscribe(): void {
        for (const t of this.topics) this.client.subscribe(t);
      }
      stop(): void {
        this.client.end();
      }
    }
  `;

  it('`this.client = this.setup(url)`: a listener of the released client itself, no report', () => {
    expect(reports(bridge('this.client = this.setup(url);'))).toEqual([]);
  });

  it("the factory's client stored elsewhere: its 'connect' can come after this.client ended, reported", () => {
    expect(reports(bridge('this.client = mqtt.connect(url); this.other = this.setup(url);')).map(([l]) => l)).toEqual([6, 10]);
  });
});

describe('a store reached from a listener through a chain of methods runs again', () => {
  const feed = (register: string, onMessage: string): string => ts`
    import WebSocket from 'ws';
    export class Feed {
      private ws!: WebSocket;
      constructor(private readonly url: string) {
        this.connect(url);
      }
      private connect(url: string): void {
        this.ws = new WebSocket(url);
        ${register}
      }
      private onMessage(text: string): void {
        ${onMessage}
      }
      close(): void {
        this.ws.close();
      }
    }
  `;
  const moved = "const msg = JSON.parse(text) as { type: string; url?: string }; if (msg.type === 'moved') this.connect(msg.url ?? this.url);";

  it("'message' listener → this.onMessage() → this.connect(): reported (the old socket is still open)", () => {
    expect(reports(feed("this.ws.on('message', (data) => this.onMessage(String(data)));", moved)).map(([l]) => l)).toEqual([8]);
    expect(reports(feed("this.ws.on('message', this.onMessage.bind(this));", moved)).map(([l]) => l)).toEqual([8]);
  });

  it("'close' listener → this.onMessage() → this.connect(): no overwrite (the old socket is closed)", () => {
    // close() itself only fires that listener, which connects again: reconnectsAfterRelease (since the forty-first
    // session, a reconnect through methods of the class counts for a field socket too).
    expect(reports(feed("this.ws.on('close', () => this.onMessage('x'));", 'this.connect(this.url);')).map(([l, m]) => [l, m.split(':')[0]])).toEqual([
      [15, "close() releases this WebSocket only until its 'close' listener at line 9 opens it again"],
    ]);
  });
});

describe('operations awaited together (`await Promise.all([…])`) can reject', () => {
  it('pg queries in Promise.all: reported; in Promise.allSettled (never rejects): no report', () => {
    const code = (all: string): string => ts`
      import { Client } from 'pg';
      export async function counts(): Promise<number> {
        const client = new Client();
        await client.connect();
        const r = await Promise.${all}([client.query('select 1'), client.query('select 2')]);
        await client.end();
        return r.length;
      }
    `;
    expect(reports(code('all'))).toEqual([
      [3, 'This pg Client is not released when query() at line 5 rejects: call end() first, or hand it to an owner.'],
    ]);
    expect(reports(code('allSettled'))).toEqual([]);
  });

  it('two ioredis clients connected together: both reported', () => {
    expect(reports(ts`
      import IoRedis from 'ioredis';
      export class Adapter {
        private pair?: [IoRedis, IoRedis];
        async connectToRedis(): Promise<void> {
          const pub = new IoRedis({ lazyConnect: true });
          const sub = pub.duplicate();
          await Promise.all([pub.connect(), sub.connect()]);
          this.pair = [pub, sub];
        }
      }
    `).map(([l]) => l)).toEqual([5, 6]);
  });
});

describe('`this` in a function listener passed by name is the emitter', () => {
  const probe = (body: string): string => ts`
    import * as net from 'node:net';
    const onTimeout = function (this: net.Socket): void {
      ${body}
    };
    function kill(this: net.Socket): void {
      ${body}
    }
    export function probe(host: string, port: number): void {
      net.connect({ port, host }).on('error', kill).on('timeout', onTimeout).setTimeout(5000);
    }
  `;

  it('a function expression in a variable, or a function declaration, that destroys `this`: no report', () => {
    expect(reports(probe('this.destroy();'))).toEqual([]);
  });

  it('the same listeners without the release: reported', () => {
    expect(reports(probe("console.log('gone');")).map(([l]) => l)).toEqual([9, 9]);
  });
});

describe('a listener that removes itself before releasing does not run again after that release', () => {
  const serve = (before: string): string => ts`
    import * as net from 'node:net';
    export function serve(s: net.Socket): void {
      const onData = (): void => {
        ${before}
        s.end('reply');
      };
      s.on('data', onData);
    }
  `;

  it('removeAllListeners(), removeAllListeners(event), off(event, itself): no report', () => {
    expect(reports(serve('s.removeAllListeners();'))).toEqual([]);
    expect(reports(serve("s.removeAllListeners('data');"))).toEqual([]);
    expect(reports(serve("s.off('data', onData);"))).toEqual([]);
  });

  it("nothing removed, or another event's listeners: reported", () => {
    expect(reports(serve('')).map(([l]) => l)).toEqual([5]);
    expect(reports(serve("s.removeAllListeners('end');")).map(([l]) => l)).toEqual([5]);
  });
});

describe("the error branch of a pg Client's connect() callback holds nothing", () => {
  const scan = (onQueryError: string): string => ts`
    import { Client } from 'pg';
    export function scan(url: string, next: (e?: Error) => void): void {
      const client = new Client(url);
      client.connect((err) => {
        if (err) return next(err);
        client.query('select 1', (err2) => {
          ${onQueryError}
          client.end();
          next();
        });
      });
    }
  `;

  it('connect failed: no report', () => {
    expect(reports(scan('if (err2) { client.end(); return next(err2); }'))).toEqual([]);
  });

  it('connected, then a failed query returns without end(): reported', () => {
    expect(reports(scan('if (err2) return next(err2);')).map(([l]) => l)).toEqual([3]);
  });
});

describe('a caller on the way from a repeating listener that handles the old value first', () => {
  it('`const old = this.pool; …; old.end(); await this.createPool()` from a listener: no report', () => {
    expect(reports(ts`
      import { Pool } from 'pg';
      import { EventEmitter } from 'node:events';
      export class Db {
        private pool: Pool | null = null;
        constructor(private readonly tunnel: EventEmitter) {
          this.tunnel.on('reconnected', () => void this.recreatePool());
        }
        async init(): Promise<void> {
          await this.createPool();
        }
        private async recreatePool(): Promise<void> {
          const old = this.pool;
          this.pool = null;
          if (old) await old.end();
          await this.createPool();
        }
        private async createPool(): Promise<void> {
          this.pool = new Pool();
        }
        async close(): Promise<void> {
          await this.pool?.end();
        }
      }
    `)).toEqual([]);
  });
});
