/**
 * Shapes of socket and client code found in the third hand triage of real code (2026-12-02, sixth session:
 * back-end services with database clients; WebSocket and HTTP apps; protocol libraries over raw net/tls/dgram;
 * queue, MQTT and ssh2 integrations), reduced: the false alarms must stay silent, and their buggy twins (and the
 * misses) must be reported.
 */
import { describe, expect, it } from 'vitest';
import { ts, lineMessages } from '../rule-tester';

const reports = lineMessages;

describe('a function that returns a handler releasing its parameter does not release it when called', () => {
  it('the release runs when the handler does: a write after the call is no use after release', () => {
    const code = ts`
      import * as net from 'node:net';
      function makeHandler(socket: net.Socket): (line: string) => void {
        return (line: string) => {
          if (line === 'quit') socket.end();
        };
      }
      export function serve(port: number): net.Server {
        const server = net.createServer((socket) => {
          socket.on('data', makeHandler(socket));
          socket.write('hello\r\n');
        });
        server.listen(port);
        return server;
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a function that releases its parameter itself: the write after the call is reported', () => {
    const code = ts`
      import * as net from 'node:net';
      function bye(socket: net.Socket): void {
        socket.end();
      }
      export function serve(port: number): net.Server {
        const server = net.createServer((socket) => {
          bye(socket);
          socket.write('hello\r\n');
        });
        server.listen(port);
        return server;
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([8]);
  });
});

describe("a string's replace() runs its replacer function synchronously", () => {
  it('a write in the replacer of a method of an object that destroys the socket elsewhere: no report', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Telnet {
        constructor(private readonly sock: net.Socket) {}
        decode(str: string, answer: (seq: string) => string | undefined): string {
          return str.replace(/\x1B./, (seq) => {
            const response = answer(seq);
            if (response) this.sock.write(response);
            return seq;
          });
        }
        destroy(): void {
          this.sock.destroy();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('a ws server made with `noServer: true` owns no socket', () => {
  it('one per upgrade, or one serving an upgrade listener: no report; one that listens on a port: reported', () => {
    const code = ts`
      import type * as http from 'node:http';
      import type { Duplex } from 'node:stream';
      import { WebSocketServer, type WebSocket } from 'ws';
      export function onUpgrade(clients: Set<WebSocket>, req: http.IncomingMessage, socket: Duplex, head: Buffer): void {
        const wss = new WebSocketServer({ noServer: true });
        wss.handleUpgrade(req, socket, head, (ws) => {
          clients.add(ws);
          ws.on('close', () => clients.delete(ws));
        });
      }
      export function attach(server: http.Server, onWs: (ws: WebSocket) => void): void {
        const options = { noServer: true };
        const wss = new WebSocketServer(options);
        server.on('upgrade', (req, socket, head) => {
          wss.handleUpgrade(req, socket, head, (ws) => onWs(ws));
        });
      }
      export function listen(port: number): void {
        const wss = new WebSocketServer({ port });
        wss.on('listening', () => console.log('up'));
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([19]);
  });
});

describe('a TLS socket over a borrowed socket, its options built by Object.assign', () => {
  it('the wrapper belongs to the owner of the socket: no report', () => {
    const code = ts`
      import * as net from 'node:net';
      import * as tls from 'node:tls';
      export function upgrade(socket: net.Socket, options: tls.ConnectionOptions): Promise<tls.TLSSocket> {
        return new Promise((resolve, reject) => {
          const opts = Object.assign({}, options, { socket });
          const t = tls.connect(opts, () => {
            if (!t.authorized) reject(t.authorizationError);
            else resolve(t);
          });
          t.once('error', reject);
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe("amqplib's callback API hands the channel to the callback of createChannel()", () => {
  it('the call is no creation of a second channel: no report', () => {
    const code = ts`
      import * as amqp from 'amqplib/callback_api';
      export class Exchange {
        private channel: amqp.Channel | undefined;
        constructor(private readonly conn: amqp.Connection) {}
        open(): void {
          this.conn.createChannel((err, channel) => {
            if (err) return;
            this.channel = channel;
          });
        }
        close(): void {
          this.channel?.close(() => undefined);
        }
      }
      export function sendOnce(conn: amqp.Connection, q: string, body: Buffer): void {
        conn.createChannel((err, ch) => {
          if (err) return;
          ch.sendToQueue(q, body);
          ch.close(() => undefined);
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe("a server's 'error' before 'listening' is a failed listen()", () => {
  it('the listen helper that rejects from the error listener: no report; one that resolves a port and keeps the server: reported', () => {
    const code = ts`
      import * as net from 'node:net';
      export function listenOn(port: number): Promise<net.Server> {
        return new Promise((resolve, reject) => {
          const server = net.createServer();
          server.on('error', reject);
          server.listen(port);
          server.on('listening', () => resolve(server));
        });
      }
      export function portOf(): Promise<number> {
        return new Promise((resolve, reject) => {
          const server = net.createServer();
          server.on('error', (err) => reject(err));
          server.listen(0, () => {
            const address = server.address();
            resolve(typeof address === 'object' && address ? address.port : 0);
          });
        });
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([12]);
  });
});

describe('a socket given as `this` to a function that stores its `this`', () => {
  it('`ws.on("open", register.bind(ws))` and a function-expression listener storing `this`: the factory is no creation', () => {
    const code = ts`
      import WebSocket from 'ws';
      const subscriptions: Record<string, WebSocket> = {};
      function handleOpen(this: WebSocket, endpoint: string): void {
        subscriptions[endpoint] = this;
      }
      function subscribe(endpoint: string): WebSocket {
        const ws = new WebSocket('ws://127.0.0.1:9000/' + endpoint);
        ws.on('open', handleOpen.bind(ws, endpoint));
        return ws;
      }
      function subscribeInline(endpoint: string): WebSocket {
        const ws = new WebSocket('ws://127.0.0.1:9000/' + endpoint);
        ws.on('open', function (this: WebSocket) {
          subscriptions[endpoint] = this;
        });
        return ws;
      }
      export function tickerStream(symbol: string): string {
        return subscribe(symbol + '@ticker').url + subscribeInline(symbol).url;
      }
      export function terminate(endpoint: string): void {
        subscriptions[endpoint]?.terminate();
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a bound function that only logs `this`: the caller owns the socket and is reported', () => {
    const code = ts`
      import WebSocket from 'ws';
      function handleOpen(this: WebSocket): void {
        console.log(this.url);
      }
      function subscribe(endpoint: string): WebSocket {
        const ws = new WebSocket('ws://127.0.0.1:9000/' + endpoint);
        ws.on('open', handleOpen.bind(ws));
        return ws;
      }
      export function tickerStream(symbol: string): string {
        return subscribe(symbol + '@ticker').url;
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([11]);
  });
});

describe('a lazy getter hands out the client it stores', () => {
  it('`return this.c || (this.c = new Redis())` and `return (this.c ??= new Redis())`: no report; a getter that returns something else: reported', () => {
    const code = ts`
      import Redis from 'ioredis';
      export class A {
        private static client: Redis;
        public static get defaultClient(): Redis {
          return this.client || (this.client = new Redis('redis://127.0.0.1'));
        }
      }
      export class C {
        private static pub: Redis | undefined;
        public static get publisher(): Redis {
          return (this.pub ??= new Redis('redis://127.0.0.1'));
        }
      }
      export class D {
        private sub: Redis | undefined;
        public get ready(): boolean {
          this.sub ??= new Redis('redis://127.0.0.1');
          return this.sub.status === 'ready';
        }
      }
    `;
    // (D keeps its client in an instance field: a static one lives as long as the process, as a module variable does —
    // tests/rules/triage-eighteenth.test.ts.)
    expect(reports(code).map(([line]) => line)).toEqual([17]);
  });
});

describe('accessors that return a client someone else owns', () => {
  it('an async accessor one await away, and a method returning what a cluster method gives: no report', () => {
    const code = ts`
      import { createClient, createCluster, type RedisClientType, type RedisClusterType } from 'redis';
      export class Store {
        private readonly client: RedisClientType = createClient();
        private readonly cluster: RedisClusterType = createCluster({ rootNodes: [] });
        async close(): Promise<void> {
          await this.client.close();
          await this.cluster.close();
        }
        async getClient(): Promise<RedisClientType> {
          if (!this.client.isOpen) await this.client.connect();
          return this.client;
        }
        private async connection(): Promise<RedisClientType> {
          const c = await this.getClient();
          return c;
        }
        private async master(slot: number): Promise<RedisClientType> {
          return this.cluster.nodeClient(this.cluster.slots[slot].master) as unknown as RedisClientType;
        }
        async mget(keys: string[]): Promise<unknown> {
          const client = await this.connection();
          return client.mGet(keys);
        }
        async mgetSlot(slot: number, keys: string[]): Promise<unknown> {
          const client = await this.master(slot);
          return client.mGet(keys);
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('an async function that awaits a new client and returns it is still a factory: reported at its caller', () => {
    const code = ts`
      import { createClient, type RedisClientType } from 'redis';
      async function open(url: string): Promise<RedisClientType> {
        const c = await createClient({ url }).connect();
        return c as RedisClientType;
      }
      export async function get(url: string, key: string): Promise<string | null> {
        const client = await open(url);
        return client.get(key);
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([7]);
  });
});

describe('rejections that leave nothing open', () => {
  it("a new pg pool whose first checkout rejects; an awaited amqplib call that returns a boolean: no report", () => {
    const code = ts`
      import { Pool, type PoolConfig } from 'pg';
      import * as amqp from 'amqplib';
      export async function open(config: PoolConfig): Promise<Pool> {
        const pool = new Pool(config);
        const client = await pool.connect();
        client.release();
        return pool;
      }
      export async function send(conn: amqp.ChannelModel, queue: string, body: Buffer): Promise<void> {
        const channel = await conn.createChannel();
        try {
          await channel.checkQueue(queue);
          await channel.sendToQueue(queue, body);
          await channel.close();
        } catch (e) {
          console.log(e);
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  // pg-pool ends the client of a failed `pool.query()` (it releases it with the error): a new pool whose first query
  // rejects holds nothing; one that an earlier query left an idle client in still holds it.
  it('a new pool whose first query rejects holds nothing; a later query that rejects: reported', () => {
    const code = (queries: string): string => ts`
      import { Pool, type PoolConfig } from 'pg';
      export async function open(config: PoolConfig): Promise<Pool> {
        const pool = new Pool(config);
        ${queries}
        return pool;
      }
    `;
    expect(reports(code("await pool.query('select 1');"))).toEqual([]);
    expect(reports(code("await pool.query('select 1'); await pool.query('select 2');"))).toEqual([
      [3, 'This pg Pool is not released when query() at line 4 rejects: call end() first, or hand it to an owner.'],
    ]);
  });
});

describe('a MongoClient goes with the Db and the collections taken from it', () => {
  it('a stored Db, a collection handed to a long-lived owner, a returned Db: no report', () => {
    const code = ts`
      import { MongoClient, type Collection, type Db } from 'mongodb';
      export const store: { db?: Db } = {};
      export async function init(url: string): Promise<void> {
        const client = await MongoClient.connect(url);
        store.db = client.db('app');
      }
      export class SessionStore {
        constructor(private readonly collection: Collection) {}
      }
      export async function bootstrap(url: string): Promise<SessionStore> {
        const client = new MongoClient(url);
        await client.connect();
        const sessions = client.db('test').collection('sessions');
        return new SessionStore(sessions);
      }
      export async function database(url: string): Promise<Db> {
        const client = await MongoClient.connect(url);
        const db = client.db();
        return db;
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('an operation on a collection held in a local rejects, or only data leaves: reported', () => {
    const code = ts`
      import { MongoClient } from 'mongodb';
      export async function init(url: string): Promise<{ client: MongoClient }> {
        try {
          const client = new MongoClient(url);
          await client.connect();
          const store = client.db('app').collection('kv');
          await store.createIndex({ key: 1 }, { unique: true });
          return { client };
        } catch (error) {
          console.error(error);
          throw error;
        }
      }
      export async function count(url: string): Promise<number> {
        const client = await MongoClient.connect(url);
        const jobs = client.db('app').collection('jobs');
        return jobs.countDocuments();
      }
    `;
    expect(reports(code)).toEqual([
      [4, 'This MongoClient is not released when createIndex() at line 7 rejects (the catch block at line 9 does not release it): call close() first, or hand it to an owner.'],
      [15, 'This MongoClient is not released on any path (nothing releases it or hands it off): call close() first, or hand it to an owner.'],
    ]);
  });
});

describe('a callback that gives a field a new resource and uses it at once', () => {
  it('a listener, a timer and a channel callback: no report; a use before the assignment: reported', () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      import * as net from 'node:net';
      import { EventEmitter } from 'node:events';
      import * as amqp from 'amqplib/callback_api';
      export class Voice {
        private udp: dgram.Socket | null = null;
        private sock: net.Socket | undefined;
        constructor(bus: EventEmitter) {
          bus.on('ready', () => {
            if (this.udp) return;
            this.udp = dgram.createSocket('udp4');
            this.udp.send(Buffer.from('hello'), 5000, '127.0.0.1');
          });
          setTimeout(() => {
            this.sock = net.connect(5000, '127.0.0.1');
            this.sock.write('hello\n');
          }, 1000);
        }
        disconnect(): void {
          this.udp?.close();
          this.udp = null;
          this.sock?.destroy();
        }
      }
      export class Queue {
        private channel: amqp.Channel | undefined;
        constructor(private readonly conn: amqp.Connection) {}
        init(name: string): void {
          this.conn.createChannel((err, ch) => {
            if (err) return;
            this.channel = ch;
            this.channel.checkQueue(name);
          });
        }
        close(): void {
          this.channel?.close(() => undefined);
        }
      }
      export class Late {
        private sock: net.Socket | undefined;
        constructor(bus: EventEmitter) {
          bus.on('again', () => {
            this.sock?.write('bye\n');
            this.sock = net.connect(5000, '127.0.0.1');
          });
        }
        close(): void {
          this.sock?.destroy();
        }
      }
    `;
    // 43: the write may run after close(); 44: every 'again' stores a new socket over an open one (the listener runs
    // again and again, long after the constructor: fourth triage).
    expect(reports(code).map(([line]) => line)).toEqual([43, 44]);
  });
});

describe('settles that cannot leave the resource open', () => {
  it("a helper called only from an 'error' listener of a client the error closes; a settle on a path that left before the creation: no report", () => {
    const code = ts`
      import { Client, type ConnectConfig } from 'ssh2';
      import * as net from 'node:net';
      export function viaHelper(cfg: ConnectConfig): Promise<Client> {
        return new Promise((resolve, reject) => {
          const c = new Client();
          const onClose = (err?: Error) => reject(err);
          c.on('ready', () => resolve(c)).on('error', (e) => onClose(e));
          c.connect(cfg);
        });
      }
      export function viaEnd(cfg: ConnectConfig): Promise<Client> {
        return new Promise((resolve, reject) => {
          const c = new Client();
          c.on('ready', () => resolve(c)).on('end', () => reject(new Error('ended')));
          c.connect(cfg);
        });
      }
      declare function viaProxy(host: string, cb: (err: Error | null, s?: net.Socket) => void): void;
      export function makeSocket(host: string, proxy: boolean, done: (err: Error | null, s?: net.Socket) => void): void {
        if (proxy) {
          viaProxy(host, (err, s) => {
            if (err) {
              done(err);
              return;
            }
            done(null, s);
          });
          return;
        }
        const socket = net.connect(43, host);
        done(null, socket);
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a helper also called from a timer, and a timer armed before the creation: reported', () => {
    const code = ts`
      import * as net from 'node:net';
      export function viaHelper(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          const fail = (err?: Error) => reject(err);
          s.on('connect', () => resolve(s)).on('error', (e) => fail(e));
          setTimeout(() => fail(new Error('timeout')), 1000);
        });
      }
      export function timerFirst(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('timeout')), 1000);
          const s = net.connect(port, '127.0.0.1');
          s.on('connect', () => {
            clearTimeout(timer);
            resolve(s);
          });
          s.on('error', reject);
        });
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([4, 13]);
  });
});

describe('a method that stores the client in a listener before it resolves it is no factory', () => {
  it('its callers do not own what it resolves to; a method that resolves a new client without storing it is a factory', () => {
    const code = ts`
      import { Client, type ConnectConfig } from 'ssh2';
      export class Tunnel {
        private connections: Client[] = [];
        private connect(cfg: ConnectConfig): Promise<Client> {
          const c = new Client();
          return new Promise<Client>((resolve, reject) => {
            c.on('ready', () => {
              this.connections.push(c);
              resolve(c);
            });
            c.on('error', reject);
            c.connect(cfg);
          });
        }
        private open(cfg: ConnectConfig): Promise<Client> {
          const c = new Client();
          return new Promise<Client>((resolve, reject) => {
            c.on('ready', () => resolve(c));
            c.on('error', reject);
            c.connect(cfg);
          });
        }
        async run(cfg: ConnectConfig, cmd: string): Promise<void> {
          const conn = await this.connect(cfg);
          conn.exec(cmd, () => undefined);
          const other = await this.open(cfg);
          other.exec(cmd, () => undefined);
        }
        shutdown(): void {
          for (const c of this.connections) c.end();
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([26]);
  });
});

describe("a handler given to the resource's own handler method gets nothing after its release", () => {
  it('a consume() callback of a channel the class closes: no report', () => {
    const code = ts`
      import type { Channel, ConsumeMessage } from 'amqplib';
      export class Rpc {
        constructor(private readonly channel: Channel) {}
        async call(): Promise<ConsumeMessage | null> {
          return new Promise((resolve) => {
            let tag = '';
            void this.channel
              .consume('amq.rabbitmq.reply-to', (msg) => {
                void this.channel.cancel(tag);
                resolve(msg);
              }, { noAck: true })
              .then((ok) => {
                tag = ok.consumerTag;
              });
          });
        }
        async close(): Promise<void> {
          await this.channel.close();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('listeners that cannot run after the release', () => {
  it('a release after removeAllListeners(); a timeout listener that reports to the owner through a local helper: no report', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Ctx {
        constructor(private readonly sock: net.Socket) {
          this.sock.on('data', () => this.sock.write('ACK\r\n'));
        }
        close(): void {
          this.sock.removeAllListeners();
          this.sock.end();
        }
      }
      export class Port {
        private client: net.Socket;
        private callback: ((e?: Error) => void) | null = null;
        constructor(ms: number) {
          const handleCallback = (e?: Error) => {
            if (this.callback) {
              this.callback(e);
              this.callback = null;
            }
          };
          this.client = new net.Socket();
          this.client.setTimeout(ms);
          this.client.on('timeout', () => handleCallback(new Error('TCP Connection Timed Out')));
        }
        open(cb: (e?: Error) => void): void {
          this.callback = cb;
          this.client.connect(502, '127.0.0.1');
        }
        close(): void {
          this.client.end();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it("listeners of another event removed, or removed after the release: reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Ctx {
        constructor(private readonly sock: net.Socket) {
          this.sock.on('data', () => this.sock.write('ACK\r\n'));
        }
        close(): void {
          this.sock.removeAllListeners('error');
          this.sock.end();
        }
      }
      export class Ctx2 {
        constructor(private readonly sock: net.Socket) {
          this.sock.on('data', () => this.sock.write('ACK\r\n'));
        }
        close(): void {
          this.sock.end();
          this.sock.removeAllListeners();
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([4, 13]);
  });
});

describe('a local function handed on by name runs as that callback', () => {
  it('`const onTimeout = () => s.write(…); setTimeout(onTimeout, ms)`: reported like the inline callback', () => {
    const code = ts`
      import * as net from 'node:net';
      export function starttls(port: number, host: string): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const s = net.connect(port, host);
          const onBannerTimeout = (): void => {
            s.write('<stream:stream>');
          };
          const bannerTimeout = setTimeout(onBannerTimeout, 1500);
          s.on('data', () => {
            clearTimeout(bannerTimeout);
            resolve(s);
          });
          s.on('error', reject);
        });
      }
    `;
    expect(reports(code)).toEqual([
      [6, "write() on the net.Socket inside a setTimeout callback, which can run after it is released (the peer closing it): check that it is still open, or cancel the callback when it is released."],
    ]);
  });
});

describe('hand-offs that happen on some paths only', () => {
  it('`reg.redis = reg.redis || redis` keeps the new client only when the field was empty: reported on the other path', () => {
    const code = ts`
      import Redis from 'ioredis';
      export const registry: { redis?: Redis } = {};
      export async function info(): Promise<unknown> {
        const db = new Redis();
        registry.redis = registry.redis || db;
        return await registry.redis.get('k');
      }
      export function pick(cached: Redis | undefined): Redis {
        const fresh = new Redis();
        return cached ?? fresh;
      }
      export function always(): Redis {
        const fresh = new Redis();
        registry.redis = fresh || registry.redis;
        return registry.redis;
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([4, 9]);
  });

  it('a local object that holds the client hands it off where the object goes, not before: reported when an await rejects first', () => {
    const code = ts`
      import { createClient } from 'redis';
      declare class VectorStore {
        static fromDocuments(docs: string[], config: { redisClient: unknown; indexName: string }): Promise<VectorStore>;
      }
      export async function upsert(url: string, indexName: string, docs: string[]): Promise<number> {
        const redisClient = createClient({ url });
        await redisClient.connect();
        const storeConfig = { redisClient, indexName };
        await redisClient.del(indexName);
        await VectorStore.fromDocuments(docs, storeConfig);
        await redisClient.quit();
        return docs.length;
      }
      export async function handle(url: string): Promise<{ client: unknown; name: string }> {
        const client = createClient({ url });
        const holder = { client, name: 'main' };
        console.log(holder.name);
        await holder.client.connect();
        await holder.client.get('warm-up');
        return holder;
      }
      export async function closeVia(url: string): Promise<void> {
        const client = createClient({ url });
        const ctx = { client };
        await ctx.client.connect().catch(() => undefined);
        await ctx.client.quit();
      }
    `;
    expect(reports(code)).toEqual([
      [6, 'This redis client is not released when del() at line 9 rejects: call close() or destroy() first, or hand it to an owner.'],
      [15, 'This redis client is not released when get() at line 19 rejects: call close() or destroy() first, or hand it to an owner.'],
    ]);
  });

  it("a command of a client's namespace (`client.ft.dropIndex()`) can reject like its own commands: reported", () => {
    const code = ts`
      import { createClient } from 'redis';
      export async function dropIndex(url: string, indexName: string): Promise<void> {
        const client = createClient({ url });
        await client.connect();
        await client.ft.dropIndex(indexName);
        await client.quit();
      }
    `;
    expect(reports(code)).toEqual([
      [3, 'This redis client is not released when dropIndex() at line 5 rejects: call close() or destroy() first, or hand it to an owner.'],
    ]);
  });
});

describe('options a call only uses', () => {
  it('`request(url, { dispatcher })` and `new WebSocketServer({ server })` do not take the resource: reported', () => {
    const code = ts`
      import * as https from 'node:https';
      import { Agent, request } from 'undici';
      import { WebSocketServer } from 'ws';
      export async function statusOf(url: string): Promise<number> {
        const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
        const response = await request(url, { dispatcher });
        return response.statusCode;
      }
      export class Relay {
        private wss: WebSocketServer | undefined;
        start(port: number, opts: https.ServerOptions): void {
          const server = https.createServer(opts);
          this.wss = new WebSocketServer({ server });
          server.listen(port);
        }
        stop(): void {
          this.wss?.close();
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([5, 12]);
  });

  it('the same resources closed after use: no report', () => {
    const code = ts`
      import { Agent, request } from 'undici';
      export async function statusOf(url: string): Promise<number> {
        const dispatcher = new Agent();
        try {
          const response = await request(url, { dispatcher });
          return response.statusCode;
        } finally {
          await dispatcher.close();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('more shapes that hold nothing open', () => {
  it("a timer taking sockets from a server's live set; a helper returning `req.end()`; a server closed when it is listening; a field-owned socket's one-shot listener", () => {
    const code = ts`
      import * as http from 'node:http';
      import { Server } from 'node:net';
      import * as net from 'node:net';
      import { WebSocketServer } from 'ws';
      export function keepAlive(wss: WebSocketServer): NodeJS.Timeout {
        return setInterval(() => {
          wss.clients.forEach((ws) => ws.ping());
          for (const ws of wss.clients) ws.ping();
        }, 30000);
      }
      function ping(host: string): http.ClientRequest {
        const req = http.request({ host, path: '/ping' });
        req.on('error', () => undefined);
        return req.end();
      }
      export function caller(host: string): void {
        ping(host);
      }
      export async function canListen(path: string): Promise<boolean> {
        const server = new Server();
        try {
          await new Promise<void>((resolve, reject) => {
            server.on('error', reject);
            server.listen(path, resolve);
          });
          return true;
        } catch {
          return false;
        } finally {
          if (server.listening) server.close();
        }
      }
      export class Conn {
        public socket: net.Socket;
        constructor(port: number) {
          this.socket = new net.Socket();
          this.socket.once('data', (buf: Buffer) => {
            if (buf[0] !== 0x53) this.socket.end();
          });
          this.socket.connect(port, '127.0.0.1');
        }
        close(): void {
          this.socket.end();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('callbacks and listeners of the resource itself', () => {
  it("a dgram bind() callback is a 'listening' listener; `this` in a function listener is the socket; an MQTT subscriber serves; a getter resolving to a client or null looks one up: no report", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      import * as net from 'node:net';
      import mqtt from 'mqtt';
      import type { RedisClientType } from 'redis';
      export class Transport {
        private readonly server = dgram.createSocket('udp4');
        open(port: number): void {
          this.server.bind(port, () => {
            this.server.setBroadcast(true);
          });
        }
        close(): void {
          this.server.close();
        }
      }
      export function flush(payload: string, port: number): void {
        const graphite = net.createConnection(port, '127.0.0.1');
        graphite.on('error', () => undefined);
        graphite.on('connect', function (this: net.Socket) {
          this.write(payload);
          this.end();
        });
      }
      declare function onAction(topic: string, payload: string): void;
      export function startMqtt(url: string, topics: string[]): void {
        const client = mqtt.connect(url);
        client.on('connect', () => {
          for (const t of topics) client.subscribe(t);
        });
        client.on('message', (topic: string, message: Buffer) => {
          onAction(topic, message.toString());
        });
      }
      type CacheService = { getRedisClient(): Promise<RedisClientType | null> };
      declare const cache: CacheService;
      export async function hit(key: string): Promise<number> {
        const redis = await cache.getRedisClient();
        if (!redis) return 0;
        return redis.incr(key);
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a function listener that only writes through `this`, and an MQTT client with no message listener: reported', () => {
    const code = ts`
      import * as net from 'node:net';
      import mqtt from 'mqtt';
      export function flush(payload: string, port: number): void {
        const graphite = net.createConnection(port, '127.0.0.1');
        graphite.on('error', () => undefined);
        graphite.on('connect', function (this: net.Socket) {
          this.write(payload);
        });
      }
      export function publishOnce(url: string, topic: string): void {
        const client = mqtt.connect(url);
        client.on('connect', () => client.publish(topic, 'x'));
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([4, 11]);
  });
});

describe('the program’s own types and init methods', () => {
  it('a release a wrapper type adds (`pg.Client & { release() }`); a private init method only the constructor calls: no report', () => {
    const code = ts`
      import * as pg from 'pg';
      import * as dgram from 'node:dgram';
      import * as net from 'node:net';
      export type PooledClient = pg.Client & { release: (remove?: boolean) => Promise<void> };
      declare function checkout(): Promise<PooledClient>;
      export async function count(): Promise<number> {
        const c = await checkout();
        try {
          const r = await c.query('select 1');
          return r.rowCount ?? 0;
        } finally {
          await c.release();
        }
      }
      export class Client {
        private socket: dgram.Socket | net.Socket | null;
        constructor(tcp: boolean) {
          this.socket = null;
          this.init(tcp);
        }
        private init(tcp: boolean): void {
          if (tcp) this.socket = new net.Socket();
          else this.socket = dgram.createSocket('udp4');
        }
        close(): void {
          if (this.socket instanceof net.Socket) this.socket.destroy();
          else this.socket?.close();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a public init method that stores a new socket over an open one: reported', () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export class Discovery {
        private socket: dgram.Socket | undefined;
        constructor() {
          this.start();
        }
        start(): void {
          this.socket = dgram.createSocket('udp4');
          this.socket.bind(0);
        }
        restart(): void {
          this.socket = dgram.createSocket('udp4');
        }
        stop(): void {
          this.socket?.close();
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([8, 12]);
  });
});

describe('closures that take the client with them', () => {
  it('returned, in a returned object, or given to a constructor (directly or through a local): no report', () => {
    const code = ts`
      import * as net from 'node:net';
      import Redis from 'ioredis';
      declare class Ratelimit {
        constructor(opts: { redis: { eval(script: string, keys: string[]): Promise<unknown> } });
      }
      export function returnsApi(): { send(x: string): boolean } {
        const s = net.connect(80, '127.0.0.1');
        s.unref();
        return { send: (x: string) => s.write(x) };
      }
      export function createRateLimiter(url: string): Ratelimit {
        const redis = new Redis(url);
        const adapter = { eval: (script: string, keys: string[]) => redis.eval(script, keys.length, ...keys) };
        return new Ratelimit({ redis: adapter });
      }
      export function getter(url: string): () => Promise<string | null> {
        const redis = new Redis(url);
        return () => redis.get('k');
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a closure given to a plain call (a retry helper), or one that stays local: reported', () => {
    const code = ts`
      import type { Pool } from 'pg';
      declare function retry<T>(fn: () => Promise<T>): Promise<T>;
      export async function count(pool: Pool): Promise<number> {
        const client = await pool.connect();
        const r = await retry(() => client.query('select 1'));
        return r.rowCount ?? 0;
      }
      export async function local(pool: Pool): Promise<number> {
        const client = await pool.connect();
        const run = () => client.query('select 1');
        const r = await run();
        return r.rowCount ?? 0;
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([4, 9]);
  });
});

describe('the last wave: setups, helpers and branches that hold nothing open', () => {
  it('a reconnecting client stored in a field inside an executor; a callback the class runs at once; an awaited generator method; a branch on an object result; a connect callback that ends on error while the owner returns the client: no report', () => {
    const code = ts`
      import mqtt, { type MqttClient } from 'mqtt';
      import Redis from 'ioredis';
      import * as amqplib from 'amqplib';
      import { Client } from 'pg';
      export class Sim {
        private client: MqttClient | null = null;
        connect(url: string): Promise<void> {
          return new Promise((resolve, reject) => {
            this.client = mqtt.connect(url);
            this.client.on('connect', () => resolve());
            this.client.on('error', (err) => reject(err));
          });
        }
        disconnect(): void {
          this.client?.end(true);
          this.client = null;
        }
      }
      export class Store {
        private readonly redis = new Redis();
        async quit(): Promise<void> {
          await this.redis.quit();
        }
        private async timed<T>(fn: () => Promise<T>): Promise<T> {
          const started = Date.now();
          try {
            return await fn();
          } finally {
            console.log(Date.now() - started);
          }
        }
        async get(key: string): Promise<string | null> {
          return this.timed(async () => this.redis.get(key));
        }
      }
      export class Dumper extends Redis {
        async *scanAll(pattern: string): AsyncGenerator<string> {
          const keys = await this.keys(pattern);
          yield* keys;
        }
      }
      export async function keysOf(url: string): Promise<number> {
        const r = new Dumper(url);
        const it = await r.scanAll('*');
        r.disconnect();
        return typeof it === 'object' ? 1 : 0;
      }
      export async function openQueue(conn: amqplib.ChannelModel, queue: string): Promise<amqplib.Channel | undefined> {
        const ch = await conn.createChannel();
        const ok = await ch.checkQueue(queue);
        if (ok) return ch;
        return undefined;
      }
      export async function open(url: string): Promise<Client> {
        const c = new Client(url);
        await new Promise<void>((resolve, reject) => {
          c.connect((err) => {
            if (err) {
              void c.end();
              reject(err);
            } else {
              resolve();
            }
          });
        });
        return c;
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a branch on a value that may be missing, and a callback the class keeps for later: reported', () => {
    const code = ts`
      import * as amqplib from 'amqplib';
      import Redis from 'ioredis';
      export async function openQueue(conn: amqplib.ChannelModel, queue: string, flag: boolean): Promise<amqplib.Channel | undefined> {
        const ch = await conn.createChannel();
        const ok = flag ? await ch.checkQueue(queue) : undefined;
        if (ok) return ch;
        return undefined;
      }
      export class Later {
        private readonly redis = new Redis();
        private pending: Array<() => Promise<unknown>> = [];
        async quit(): Promise<void> {
          await this.redis.quit();
        }
        private defer(fn: () => Promise<unknown>): void {
          this.pending.push(fn);
        }
        get(key: string): void {
          this.defer(async () => this.redis.get(key));
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([4, 19]);
  });
});

describe('an untyped cache helper given the factory', () => {
  it('`return singleton(key, () => new Redis())` keeps the client it makes: its callers do not own it', () => {
    const code = ts`
      import Redis from 'ioredis';
      declare const singleton: any;
      function getClient(): Redis {
        return singleton('tokenRedis', () => new Redis());
      }
      export async function consume(jti: string): Promise<boolean> {
        const redis = getClient();
        return (await redis.set(jti, '1', 'EX', 300, 'NX')) === 'OK';
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('owners reached through more steps', () => {
  it("a timeout listener reporting through `self.callback`; a `let` given only accessors' results, several calls deep: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      import { Client, type ConnectConfig } from 'ssh2';
      export class Port {
        private client: net.Socket;
        private callback: ((e?: Error) => void) | null = null;
        constructor(ms: number) {
          const self = this;
          const handleCallback = function (e?: Error): void {
            if (self.callback) {
              self.callback(e);
              self.callback = null;
            }
          };
          this.client = new net.Socket();
          this.client.setTimeout(ms);
          this.client.on('timeout', function () {
            handleCallback(new Error('TCP Connection Timed Out'));
          });
        }
        close(): void {
          this.client.end();
        }
      }
      export class Forwarder {
        private connections: Client[] = [];
        constructor(private readonly cfg: ConnectConfig, private readonly bastion: boolean) {}
        private connect(cfg: ConnectConfig): Promise<Client> {
          const connection = new Client();
          return new Promise<Client>((resolve, reject) => {
            connection.on('ready', () => {
              this.connections.push(connection);
              resolve(connection);
            });
            connection.on('error', reject);
            connection.connect(cfg);
          });
        }
        private connectViaBastion(): Promise<Client> {
          return new Promise<Client>((resolve) => {
            setTimeout(async () => {
              const connection = await this.connect(this.cfg);
              resolve(connection);
            }, 0);
          });
        }
        private async establish(): Promise<Client> {
          let connection: Client;
          if (this.bastion) connection = await this.connectViaBastion();
          else connection = await this.connect(this.cfg);
          return connection;
        }
        async run(cmd: string): Promise<void> {
          const connection = await this.establish();
          connection.exec(cmd, () => undefined);
        }
        shutdown(): void {
          for (const c of this.connections) c.end();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe("listeners of the socket a field holds, registered on the local it was stored from", () => {
  it("a listener on `s` after `this.sock = s`, and an 'error' listener calling the method that closes it: no report", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      import * as net from 'node:net';
      export class Ctx {
        private sock: net.Socket;
        constructor(s: net.Socket) {
          s.on('data', () => this.sock.write('ACK\r\n'));
          this.sock = s;
        }
        close(): void {
          this.sock.destroy();
        }
      }
      export class Discovery {
        private socket?: dgram.Socket;
        start(): void {
          const socket = dgram.createSocket('udp4');
          this.socket = socket;
          socket.on('error', () => {
            this.stop();
          });
        }
        stop(): void {
          this.socket?.close();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a graceful end() elsewhere still lets the listener run: reported', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Ctx {
        private sock: net.Socket;
        constructor(s: net.Socket) {
          s.on('data', () => this.sock.write('ACK\r\n'));
          this.sock = s;
        }
        close(): void {
          this.sock.end();
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([5]);
  });
});
