/**
 * Shapes of socket and client code found while triaging port probes, health checks, proxies and database or queue
 * clients (2026-12-02), reduced: the false alarms must stay silent, and their buggy twins (and the misses) must be
 * reported.
 */
import { describe, expect, it } from 'vitest';
import { ts, lineMessages } from '../rule-tester';

const reports = lineMessages;

describe("a 'timeout' listener whose settle a promise continuation takes", () => {
  it('.finally() after either settle, .then() after a resolve: no report', () => {
    const code = ts`
      import * as net from 'node:net';
      export function checkFinally(host: string, port: number): Promise<boolean> {
        const socket = new net.Socket();
        return new Promise<boolean>((resolve) => {
          socket.once('connect', () => resolve(true));
          socket.once('error', () => resolve(false));
          socket.setTimeout(1000, () => resolve(false));
          socket.connect(port, host);
        }).finally(() => socket.destroy());
      }
      export function checkThen(host: string, port: number): Promise<boolean> {
        const socket = net.connect(port, host);
        const p = new Promise<boolean>((resolve) => {
          socket.once('connect', () => resolve(true));
          socket.once('error', () => resolve(false));
          socket.once('timeout', () => resolve(false));
        });
        socket.setTimeout(1000);
        return p.then((ok) => {
          socket.destroy();
          return ok;
        });
      }
      export function checkCatch(host: string, port: number): Promise<void> {
        const socket = net.connect(port, host);
        return new Promise<void>((resolve, reject) => {
          socket.once('connect', () => {
            socket.end();
            resolve();
          });
          socket.once('error', reject);
          socket.setTimeout(1000, () => reject(new Error('timeout')));
        }).catch((err: unknown) => {
          socket.destroy();
          throw err;
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a listener that rejects when only .then() releases (after a resolve): reported', () => {
    const code = ts`
      import * as net from 'node:net';
      export function check(host: string, port: number): Promise<boolean> {
        const socket = net.connect(port, host);
        const p = new Promise<boolean>((resolve, reject) => {
          socket.once('connect', () => resolve(true));
          socket.once('error', reject);
          socket.once('timeout', () => reject(new Error('timeout')));
        });
        socket.setTimeout(1000);
        return p.then((ok) => {
          socket.destroy();
          return ok;
        });
      }
    `;
    expect(reports(code)).toEqual([
      [7, "This 'timeout' listener neither releases the net.Socket nor hands it off: a 'timeout' event does not close the socket, call end() or destroy() here."],
    ]);
  });
});

describe("the 'timeout' option of Node's creating functions arms an idle timeout", () => {
  it('net.connect / tls.connect / http.request with the option and no listener: reported at the option', () => {
    const code = ts`
      import * as net from 'node:net';
      import * as tls from 'node:tls';
      import * as http from 'node:http';
      export function reachable(host: string, port: number): Promise<boolean> {
        return new Promise((resolve) => {
          const s = net.connect({ host, port, timeout: 1000 }, () => {
            s.end();
            resolve(true);
          });
          s.on('error', () => resolve(false));
        });
      }
      export function tlsReachable(host: string): void {
        const s = tls.connect({ host, port: 443, servername: host, timeout: 1000 }, () => s.end());
        s.on('error', () => undefined);
      }
      export function post(body: string): void {
        const req = http.request({ host: '127.0.0.1', method: 'POST', timeout: 500 }, (res) => res.resume());
        req.on('error', () => undefined);
        req.end(body);
      }
    `;
    expect(reports(code)).toEqual([
      [6, "The 'timeout' option arms an idle timeout on this net.Socket (it is no connect timeout), but no 'timeout' listener releases it: the socket stays open when the timeout fires."],
      [14, "The 'timeout' option arms an idle timeout on this tls.TLSSocket (it is no connect timeout), but no 'timeout' listener releases it: the socket stays open when the timeout fires."],
      [18, "The 'timeout' option arms an idle timeout on this http.ClientRequest (it is no connect timeout), but no 'timeout' listener releases it: the socket stays open when the timeout fires."],
    ]);
  });

  it("a 'timeout' listener that releases, a zero timeout, a hand-off, or a wrapper's own option: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export function bounded(host: string, port: number): void {
        const s = net.connect({ host, port, timeout: 1000 }, () => s.end());
        s.on('timeout', () => s.destroy());
        s.on('error', () => undefined);
      }
      export function none(host: string, port: number): void {
        const s = net.connect({ host, port, timeout: 0 }, () => s.end());
        s.on('error', () => undefined);
      }
      export function open(host: string, port: number): net.Socket {
        return net.connect({ host, port, timeout: 1000 });
      }
      function dial(o: { host: string; port: number; timeout: number }): net.Socket {
        const s = net.connect(o.port, o.host);
        const timer = setTimeout(() => s.destroy(), o.timeout);
        s.once('connect', () => clearTimeout(timer));
        return s;
      }
      export function wrapped(host: string, port: number): void {
        const s = dial({ host, port, timeout: 1000 });
        s.on('error', () => undefined);
        s.end('x');
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('a test of two conditions that each prove there is no resource', () => {
  it('`if (err || !client) return` in a checkout callback, either order, and `!(client && !err)`: no report', () => {
    const code = ts`
      import { Pool } from 'pg';
      export function combined(pool: Pool, cb: (e?: Error) => void): void {
        pool.connect((err, client, done) => {
          if (err || !client) return cb(err);
          client.query('select 1', () => {
            done();
            cb();
          });
        });
      }
      export function swapped(pool: Pool, cb: (e?: Error) => void): void {
        pool.connect((err, client, done) => {
          if (!client || err) {
            cb(err);
            return;
          }
          client.query('select 1', () => {
            done();
            cb();
          });
        });
      }
      export function negated(pool: Pool, cb: (e?: Error) => void): void {
        pool.connect((err, client, done) => {
          if (!(client && !err)) return cb(err);
          client.query('select 1', () => {
            done();
            cb();
          });
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('an operand that proves nothing (`err || busy`) still leaves the client open on that return: reported', () => {
    const code = ts`
      import { Pool } from 'pg';
      export function busy(pool: Pool, isBusy: () => boolean, cb: (e?: Error) => void): void {
        pool.connect((err, client, done) => {
          if (err || isBusy()) return cb(err);
          client?.query('select 1', () => {
            done();
            cb();
          });
        });
      }
    `;
    expect(reports(code)).toEqual([
      [3, 'This pg PoolClient is not released on the path that returns at line 4: call release() first, or hand it to an owner.'],
    ]);
  });
});

describe('a union of client kinds with the same facts (ioredis `Redis | Cluster`, node-redis client or cluster)', () => {
  it('a factory for either is a creation; a parameter of the union is tracked', () => {
    const code = ts`
      import Redis, { Cluster } from 'ioredis';
      function makeClient(cluster: boolean): Redis | Cluster {
        if (cluster) return new Cluster([{ host: '127.0.0.1', port: 7000 }]);
        return new Redis({ host: '127.0.0.1' });
      }
      export async function read(key: string): Promise<string | null> {
        const c = makeClient(false);
        return c.get(key);
      }
      export async function late(r: Redis | Cluster): Promise<void> {
        await r.quit();
        await r.get('x');
      }
      export async function fine(key: string): Promise<string | null> {
        const c = makeClient(false);
        try {
          return await c.get(key);
        } finally {
          c.disconnect();
        }
      }
    `;
    expect(reports(code)).toEqual([
      [7, 'This ioredis client is not released on any path (nothing releases it or hands it off): call quit() or disconnect() first, or hand it to an owner.'],
      [12, 'get() on the ioredis client that may already be released (quit() at line 11).'],
    ]);
  });
});

describe('`for await (… of socket)` destroys the socket when the loop is left', () => {
  it('a reader that iterates the socket: no report; one that never iterates it on a path: reported', () => {
    const code = ts`
      import * as net from 'node:net';
      import { once } from 'node:events';
      export async function readBanner(port: number): Promise<string> {
        const sock = net.connect(port, '127.0.0.1');
        await once(sock, 'connect');
        let out = '';
        for await (const chunk of sock) {
          out += String(chunk);
          if (out.includes('\\n')) break;
        }
        return out;
      }
      export async function maybe(port: number, skip: boolean): Promise<string> {
        const sock = net.connect(port, '127.0.0.1');
        if (skip) return '';
        let out = '';
        for await (const chunk of sock) out += String(chunk);
        return out;
      }
    `;
    expect(reports(code)).toEqual([
      [14, 'This net.Socket is not released on the path that returns at line 15: call end() or destroy() first, or hand it to an owner.'],
    ]);
  });
});

describe('a method of the same class called on `this` is looked into like a local function', () => {
  it('a private helper that only borrows the client: the caller still owns it (reported when it never releases)', () => {
    const code = ts`
      import { Pool, PoolClient } from 'pg';
      export class OrderRepo {
        constructor(private readonly pool: Pool) {}
        private async insertLines(c: PoolClient, lines: string[]): Promise<void> {
          for (const l of lines) await c.query('insert into lines(v) values ($1)', [l]);
        }
        async save(lines: string[]): Promise<void> {
          const c = await this.pool.connect();
          try {
            await this.insertLines(c, lines);
          } catch (e) {
            console.error(e);
          }
        }
        async saveAll(lines: string[]): Promise<void> {
          const c = await this.pool.connect();
          try {
            await this.insertLines(c, lines);
          } finally {
            c.release();
          }
        }
      }
    `;
    expect(reports(code)).toEqual([
      [8, 'This pg PoolClient is not released on any path (nothing releases it or hands it off): call release() first, or hand it to an owner.'],
    ]);
  });

  it('a helper that releases it, one that keeps it in a field, a #private arrow field: no report', () => {
    const code = ts`
      import { Pool, PoolClient } from 'pg';
      export class Jobs {
        private held?: PoolClient;
        constructor(private readonly pool: Pool) {}
        private done(c: PoolClient): void {
          c.release();
        }
        private keep(c: PoolClient): void {
          this.held = c;
        }
        #finish = (c: PoolClient): void => {
          c.release();
        };
        async one(): Promise<void> {
          const c = await this.pool.connect();
          this.done(c);
        }
        async two(): Promise<void> {
          const c = await this.pool.connect();
          this.keep(c);
        }
        async three(): Promise<void> {
          const c = await this.pool.connect();
          this.#finish(c);
        }
        close(): void {
          this.held?.release();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('`create().then((conn) => …)`: the function given to .then() owns what the creating call resolves to', () => {
  it('a checkout or connection taken by .then() and never released: reported at the creating call', () => {
    const code = ts`
      import { Pool } from 'pg';
      import { MongoClient } from 'mongodb';
      import * as amqp from 'amqplib';
      export function countPg(pool: Pool): Promise<number> {
        return pool.connect().then(async (client) => {
          const r = await client.query('select 1');
          return r.rowCount ?? 0;
        });
      }
      export function countMongo(url: string): Promise<number> {
        return MongoClient.connect(url).then((client) => client.db('app').collection('jobs').countDocuments());
      }
      export function publish(url: string, q: string): Promise<boolean> {
        return amqp
          .connect(url)
          .then((conn) => conn.createChannel())
          .then((ch) => ch.sendToQueue(q, Buffer.from('x')));
      }
    `;
    expect(reports(code)).toEqual([
      [5, 'This pg PoolClient is not released on any path (nothing releases it or hands it off): call release() first, or hand it to an owner.'],
      [11, 'This MongoClient is not released on any path (nothing releases it or hands it off): call close() first, or hand it to an owner.'],
      [14, 'This amqplib connection is not released on any path (nothing releases it or hands it off): call close() first, or hand it to an owner.'],
    ]);
  });

  it('released in the continuation chain, in a finally, handed back or handed on: no report', () => {
    const code = ts`
      import { Pool } from 'pg';
      import { MongoClient } from 'mongodb';
      export function readme(pool: Pool): Promise<unknown> {
        return pool.connect().then((client) =>
          client
            .query('SELECT $1::text as name', ['brianc'])
            .then((res) => {
              client.release();
              return res.rows[0];
            })
            .catch((err: unknown) => {
              client.release();
              throw err;
            }),
        );
      }
      export function handedBack(pool: Pool) {
        return pool.connect().then((client) => client);
      }
      export function finallyStyle(pool: Pool): Promise<unknown[]> {
        return pool.connect().then(async (client) => {
          try {
            return (await client.query('select 1')).rows;
          } finally {
            client.release();
          }
        });
      }
      export function mongo(url: string): Promise<number> {
        return MongoClient.connect(url).then((client) => client.db('a').collection('b').countDocuments().finally(() => client.close()));
      }
      export function passed(pool: Pool, use: (c: unknown) => void): void {
        void pool.connect().then((c) => use(c));
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('a listener that ends the socket with data and writes after it in the same run', () => {
  it('both the write of this run and the end(data) of a later run are reported', () => {
    const code = ts`
      import * as net from 'node:net';
      export function serve(port: number): net.Server {
        const srv = net.createServer((sock) => {
          sock.on('data', (buf) => {
            if (buf.toString().trim() === 'QUIT') sock.end('bye');
            sock.write('> ');
          });
        });
        srv.listen(port);
        return srv;
      }
    `;
    expect(reports(code)).toEqual([
      [5, "end(data) on the net.Socket inside a 'data' listener, which can run after it is released (end() at line 5): check that it is still open, or cancel the callback when it is released."],
      [6, 'write() on the net.Socket that may already be ended (end() at line 5).'],
    ]);
  });
});

describe("a CONNECT tunnel whose client is the 'connect' event's stream.Duplex", () => {
  it('piped both ways with nothing that ends the upstream when the client fails: reported', () => {
    const code = ts`
      import * as http from 'node:http';
      import * as net from 'node:net';
      export function serve(port: number): http.Server {
        const server = http.createServer((_req, res) => res.end());
        server.on('connect', (req, client, head) => {
          const [host, p] = (req.url ?? '').split(':');
          const upstream = net.connect(Number(p), host, () => {
            client.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
            upstream.write(head);
            client.pipe(upstream).pipe(client);
          });
          upstream.on('error', () => client.destroy());
        });
        server.listen(port);
        return server;
      }
    `;
    expect(reports(code)).toEqual([
      [7, "This net.Socket is not released when 'client' fails or is destroyed (client.pipe() at line 10 ends it only when 'client' ends cleanly; or use stream.pipeline()): call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it("a 'close' listener of the client that destroys the upstream: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      import type { Duplex } from 'node:stream';
      export function onConnect(client: Duplex, host: string, port: number): void {
        const upstream = net.connect(port, host, () => {
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
        client.on('close', () => upstream.destroy());
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('a client stored in two fields of its class', () => {
  it('released through the second field: no fieldNeverReleased for the first', () => {
    const code = ts`
      import Redis from 'ioredis';
      export class Transport {
        private clientSub: Redis | null = null;
        private _clientSub: Redis | null = null;
        connect(): void {
          const sub = new Redis();
          this._clientSub = sub; // for tests
          sub.on('ready', () => {
            this.clientSub = sub;
          });
        }
        disconnect(): void {
          this.clientSub?.disconnect();
          this.clientSub = null;
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('neither field released: reported', () => {
    const code = ts`
      import Redis from 'ioredis';
      export class Transport {
        private clientSub: Redis | null = null;
        private _clientSub: Redis | null = null;
        connect(): void {
          const sub = new Redis();
          this._clientSub = sub;
          this.clientSub = sub;
        }
      }
    `;
    expect(reports(code)).toEqual([
      [7, "This ioredis client is stored in '_clientSub', but nothing in the class releases '_clientSub': add a method that calls quit() or disconnect()."],
    ]);
  });
});

describe('a channel handed off hands off the connection it belongs to (channel.connection)', () => {
  it("resolved channel: the connection is the caller's; its failed createChannel() in a catch that only rejects: reported", () => {
    const code = ts`
      import * as amqp from 'amqplib';
      export function open(url: string): Promise<amqp.Channel> {
        return new Promise(async (resolve, reject) => {
          try {
            const connection = await amqp.connect(url);
            const channel = await connection.createChannel();
            resolve(channel);
          } catch (error) {
            reject(error);
          }
        });
      }
      export async function openDirect(url: string): Promise<amqp.Channel> {
        const connection = await amqp.connect(url);
        try {
          return await connection.createChannel();
        } catch (error) {
          await connection.close();
          throw error;
        }
      }
    `;
    expect(reports(code)).toEqual([
      [5, 'This amqplib connection is not released when createChannel() at line 6 rejects (the catch block at line 8 does not release it): call close() first, or hand it to an owner.'],
    ]);
  });
});

describe('look-ups, delegating accessors and store-and-return are no creations', () => {
  it('a registry look-up declared to return `Client | undefined`, an accessor that delegates, a connect() that stores and returns: no report', () => {
    const code = ts`
      import { Client } from 'ssh2';
      import WebSocket from 'ws';
      interface Deps {
        getSSHClient: (connectionId: string) => Client | undefined;
      }
      export class Shell {
        constructor(private readonly deps: Deps) {}
        run(id: string): void {
          const client = this.deps.getSSHClient(id);
          if (client === undefined) return;
          client.exec('ls', () => undefined);
        }
      }
      class WsStore {
        private readonly map = new Map<string, { ws?: WebSocket }>();
        get(key: string): { ws?: WebSocket } | undefined {
          return this.map.get(key);
        }
        getWs(key: string): WebSocket | undefined {
          return this.get(key)?.ws;
        }
        closeAll(): void {
          for (const v of this.map.values()) v.ws?.close();
        }
      }
      export class Feed {
        private readonly store = new WsStore();
        private readonly sockets = new Map<string, WebSocket>();
        getWs(key: string): WebSocket | undefined {
          return this.store.getWs(key);
        }
        send(key: string, msg: string): void {
          const ws = this.getWs(key);
          if (!ws) throw new Error('no socket');
          ws.send(msg);
        }
        private connectTo(url: string, key: string): WebSocket {
          const ws = new WebSocket(url);
          ws.on('error', () => undefined);
          this.sockets.set(key, ws);
          return ws;
        }
        reconnect(url: string, key: string): void {
          setTimeout(() => {
            this.sockets.get(key)?.terminate();
            this.connectTo(url, key);
          }, 500);
        }
        closeAll(): void {
          for (const ws of this.sockets.values()) ws.close();
          this.store.closeAll();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a factory that returns a new socket it did not store, and one declared without body that cannot be missing: reported', () => {
    const code = ts`
      import WebSocket from 'ws';
      import * as net from 'node:net';
      declare function dial(host: string): net.Socket;
      function open(url: string): WebSocket {
        const ws = new WebSocket(url);
        ws.on('error', () => undefined);
        return ws;
      }
      export function a(url: string): void {
        open(url);
      }
      export function b(host: string): void {
        const s = dial(host);
        s.write('x');
      }
    `;
    expect(reports(code)).toEqual([
      [10, 'This WebSocket is not released on any path (nothing releases it or hands it off): call close() or terminate() first, or hand it to an owner.'],
      [13, 'This net.Socket is not released on any path (nothing releases it or hands it off): call end() or destroy() first, or hand it to an owner.'],
    ]);
  });

  it("a server given an untyped handler serves for the life of the process: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      declare const broker: any;
      export function start(port: number): void {
        const server = net.createServer(broker.handle);
        server.listen(port);
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe("a one-shot timer guarded by a flag that the settling function sets (`if (settled) return;`)", () => {
  it('the guarded return is no leak path; without the flag set elsewhere it is', () => {
    const code = ts`
      import { Client } from 'ssh2';
      declare function registerHandlers(c: Client, h: { onReady: () => void; onError: (e: Error) => void }): void;
      type Result = { ok: true; value: Client } | { ok: false; error: Error };
      export function connect(host: string): Promise<Result> {
        return new Promise((resolve) => {
          let settled = false;
          let timeout: ReturnType<typeof setTimeout> | undefined;
          const settle = (r: Result): void => {
            if (settled) return;
            settled = true;
            clearTimeout(timeout);
            resolve(r);
          };
          const client = new Client();
          timeout = setTimeout(() => {
            if (settled) return;
            client.end();
            settle({ ok: false, error: new Error('timeout') });
          }, 10000);
          registerHandlers(client, {
            onReady: () => settle({ ok: true, value: client }),
            onError: (error: Error) => settle({ ok: false, error }),
          });
          client.connect({ host, username: 'u' });
        });
      }
      export function unguarded(host: string, skip: boolean): void {
        const client = new Client();
        setTimeout(() => {
          if (skip) return;
          client.end();
        }, 1000);
        client.connect({ host, username: 'u' });
      }
    `;
    expect(reports(code)).toEqual([
      [28, 'This ssh2 Client is not released when the setTimeout callback at line 29 returns at line 30 without releasing it: call end() or destroy() first, or hand it to an owner.'],
    ]);
  });
});

describe('the canonical transaction: a rejection in the catch block goes to the finally block', () => {
  it('a throw in the try block, ROLLBACK in the catch, release() in the finally: no report; without the finally release: reported', () => {
    const code = ts`
      import { Pool } from 'pg';
      export async function advance(pool: Pool, id: string): Promise<boolean> {
        const client = await pool.connect();
        try {
          await client.query('BEGIN');
          const r = await client.query('SELECT 1 WHERE id = $1', [id]);
          if (!r.rows[0]) throw new Error('not found');
          await client.query('COMMIT');
          return true;
        } catch (error) {
          await client.query('ROLLBACK');
          throw error;
        } finally {
          client.release();
        }
      }
      export async function leaky(pool: Pool, id: string): Promise<boolean> {
        const client = await pool.connect();
        try {
          const r = await client.query('SELECT 1 WHERE id = $1', [id]);
          if (!r.rows[0]) throw new Error('not found');
          client.release();
          return true;
        } catch (error) {
          await client.query('ROLLBACK');
          client.release();
          throw error;
        } finally {
          console.log('done');
        }
      }
    `;
    expect(reports(code)).toEqual([
      [18, 'This pg PoolClient is not released when query() at line 25 rejects (the finally block at line 28 does not release it): call release() first, or hand it to an owner.'],
    ]);
  });
});

describe('memoising getters hand the new one to their cache', () => {
  it('a pool kept in a module cache object, a client kept in a module Map: callers borrow them', () => {
    const code = ts`
      import { Pool } from 'pg';
      import Redis from 'ioredis';
      let cachedPool: { key: string; pool: Pool } | undefined;
      function getPool(url: string): Pool {
        if (cachedPool?.key === url) return cachedPool.pool;
        const pool = new Pool({ connectionString: url });
        cachedPool = { key: url, pool };
        return pool;
      }
      export async function runQuery(url: string, sql: string): Promise<unknown[]> {
        const pool = getPool(url);
        return (await pool.query(sql)).rows;
      }
      const clients = new Map<string, Redis>();
      function getRedis(url: string): Redis {
        const existing = clients.get(url);
        if (existing) return existing;
        const client = new Redis(url);
        clients.set(url, client);
        return client;
      }
      export async function cacheGet(url: string, key: string): Promise<string | null> {
        const redis = getRedis(url);
        return redis.get(key);
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe("a release guarded by the client's own liveness test", () => {
  it("node-redis `isOpen`, ioredis `status !== 'end'`: the other branch has nothing to release", () => {
    const code = ts`
      import { createClient } from 'redis';
      import Redis from 'ioredis';
      export async function ping(url: string): Promise<string> {
        const client = createClient({ url });
        await client.connect();
        try {
          return await client.ping();
        } finally {
          if (client.isOpen) await client.quit();
        }
      }
      export async function pingIo(url: string): Promise<string> {
        const redis = new Redis(url, { lazyConnect: true });
        try {
          await redis.connect();
          return await redis.ping();
        } finally {
          if (redis.status !== 'end') redis.disconnect();
        }
      }
    `;
    // (ioredis' connect() stays inside the try: when it rejects the client keeps reconnecting — fourth triage.)
    expect(reports(code)).toEqual([]);
  });

  it("ioredis `status !== 'close'` proves nothing ('close' reconnects), node-redis `isReady` neither: reported", () => {
    const code = ts`
      import { createClient } from 'redis';
      import Redis from 'ioredis';
      export async function a(url: string): Promise<void> {
        const redis = new Redis(url);
        await redis.ping();
        if (redis.status !== 'close') redis.disconnect();
      }
      export async function b(url: string): Promise<void> {
        const client = createClient({ url });
        await client.connect();
        if (client.isReady) await client.close();
      }
    `;
    expect(reports(code).map(([l]) => l)).toEqual([4, 9]);
  });
});

describe('a consumer or subscriber serves for the life of the process', () => {
  it('amqplib consume(), ioredis message listener, node-redis subscribe(listener): no report', () => {
    const code = ts`
      import amqp from 'amqplib';
      import Redis from 'ioredis';
      import { createClient } from 'redis';
      export async function startWorker(url: string, q: string): Promise<void> {
        const conn = await amqp.connect(url);
        const ch = await conn.createChannel();
        await ch.assertQueue(q, { durable: true });
        await ch.consume(q, (msg) => {
          if (msg) ch.ack(msg);
        });
      }
      export async function startSubscriber(url: string): Promise<void> {
        const sub = new Redis(url);
        await sub.subscribe('events');
        sub.on('message', (channel, message) => console.log(channel, message));
      }
      export async function startNodeRedis(url: string): Promise<void> {
        const sub = createClient({ url });
        await sub.connect();
        await sub.subscribe('events', (message) => console.log(message));
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a channel that only publishes is no consumer: its connection leaks', () => {
    const code = ts`
      import amqp from 'amqplib';
      export async function send(url: string, q: string): Promise<void> {
        const conn = await amqp.connect(url);
        const ch = await conn.createChannel();
        ch.sendToQueue(q, Buffer.from('x'));
      }
    `;
    expect(reports(code).map(([l]) => l)).toEqual([3, 4]);
  });
});

describe('store methods and nested consumers', () => {
  it('a connect() that hands the new socket to a store method (`setWs`) and returns it: callers borrow it', () => {
    const code = ts`
      import WebSocket from 'ws';
      class WsStore {
        private readonly map = new Map<string, WebSocket>();
        setWs(key: string, ws: WebSocket): void {
          this.map.set(key, ws);
        }
        closeAll(): void {
          for (const ws of this.map.values()) ws.close();
        }
      }
      export class Client {
        private readonly wsStore = new WsStore();
        connectToWsUrl(url: string, key: string): WebSocket {
          const ws = new WebSocket(url);
          ws.on('error', () => undefined);
          this.wsStore.setWs(key, ws);
          return ws;
        }
        reconnect(url: string, key: string): void {
          setTimeout(() => this.connectToWsUrl(url, key), 500);
        }
        close(): void {
          this.wsStore.closeAll();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a consuming channel made in a nested .then() keeps its connection serving', () => {
    const code = ts`
      import amqplib from 'amqplib';
      export function start(url: string): void {
        void amqplib.connect(url).then((conn) => {
          void conn.createConfirmChannel().then((ch) => {
            void ch.consume('requests', (msg) => {
              if (msg) ch.ack(msg);
            });
          });
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe("emitting the socket's own event runs its listeners at once", () => {
  it("a 'timeout' listener that emits an event whose listener destroys the socket releases it; one whose listener does not, does not", () => {
    const code = ts`
      import * as net from 'node:net';
      export function check(host: string): Promise<string> {
        return new Promise((resolve) => {
          const socket = net.createConnection(25, host);
          socket.setTimeout(10000);
          socket.once('fail', (msg: unknown) => {
            resolve(String(msg));
            socket.destroy();
          });
          socket.on('timeout', () => {
            socket.emit('fail', 'Timeout');
          });
        });
      }
      export function logOnly(host: string): void {
        const socket = net.createConnection(25, host);
        socket.setTimeout(10000);
        socket.on('idle', () => console.log('idle'));
        socket.on('timeout', () => {
          socket.emit('idle');
        });
        socket.end('QUIT');
      }
    `;
    expect(reports(code)).toEqual([
      [19, "This 'timeout' listener neither releases the net.Socket nor hands it off: a 'timeout' event does not close the socket, call end() or destroy() here."],
    ]);
  });
});
