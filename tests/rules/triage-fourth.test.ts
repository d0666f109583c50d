/**
 * Shapes of socket and client code found in the fourth hand triage of real code (2026-12-02, seventh session:
 * application back-ends with database clients; WebSocket, HTTP and raw socket applications; messaging, remote
 * shells and workers; small projects, scripts and test code), reduced: the false alarms must stay silent, and their
 * buggy twins (and the misses) must be reported.
 */
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { lintJsWithPlugin, ts, lineMessages } from '../rule-tester';

const reports = lineMessages;

describe('a pg client with a notification listener serves for the life of the process', () => {
  it('LISTEN with a notification listener: no report, as for an ioredis subscriber', () => {
    const code = ts`
      import { Client } from 'pg';
      export async function listen(url: string, onEvent: () => void): Promise<void> {
        const client = new Client(url);
        await client.connect();
        await client.query('LISTEN new_event');
        client.on('notification', () => onEvent());
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a client with only an error listener is still reported', () => {
    const code = ts`
      import { Client } from 'pg';
      export async function once(url: string): Promise<void> {
        const client = new Client(url);
        client.on('error', () => undefined);
        await client.connect();
        await client.query('select 1');
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([3]);
  });
});

describe("undici's compose() returns a proxy of the same dispatcher", () => {
  it('returning the composed dispatcher hands the agent to the caller', () => {
    const code = ts`
      import { Agent, type Dispatcher, interceptors } from 'undici';
      export function build(maxRetries: number): Dispatcher {
        const agent = new Agent({ headersTimeout: 10_000 });
        return agent.compose(interceptors.retry({ maxRetries }));
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('composing and dropping it is still a leak', () => {
    const code = ts`
      import { Agent, interceptors, request } from 'undici';
      export async function get(url: string): Promise<number> {
        const agent = new Agent();
        const composed = agent.compose(interceptors.retry({ maxRetries: 2 }));
        const res = await request(url, { dispatcher: composed });
        return res.statusCode;
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([3]);
  });
});

describe("mysql2's close() releases a connection (declared nowhere in its typings, called from JavaScript)", () => {
  it('close() in finally: no report', () => {
    const code = ts`
      import * as mysql from 'mysql2/promise';
      export async function once(): Promise<void> {
        const conn = await mysql.createConnection({ host: '127.0.0.1' });
        try {
          await conn.query('select 1');
        } finally {
          await (conn as unknown as { close(): Promise<void> } & typeof conn).close();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('a script whose every path ends the process leaves nothing open', () => {
  it('process.exit() on the success and the failure path: no report', () => {
    const code = ts`
      import * as mysql from 'mysql2/promise';
      export async function seed(): Promise<void> {
        try {
          const conn = await mysql.createConnection({ host: '127.0.0.1' });
          await conn.query('insert into users values (0)');
          process.exit(0);
        } catch (err) {
          console.log(err);
          process.exit(1);
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('the twin whose catch returns: reported', () => {
    const code = ts`
      import * as mysql from 'mysql2/promise';
      export async function seed(): Promise<void> {
        try {
          const conn = await mysql.createConnection({ host: '127.0.0.1' });
          await conn.query('insert into users values (0)');
          process.exit(0);
        } catch (err) {
          console.log(err);
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([4]);
  });
});

describe('a client that opens nothing until it is first used', () => {
  it('exits before connect() of an ssh2 client, a node-redis client and a new net.Socket drop nothing', () => {
    const code = ts`
      import { Client } from 'ssh2';
      import { createClient } from 'redis';
      import * as net from 'node:net';
      export function open(host: string, key: string | undefined, onReady: (c: Client) => void): boolean {
        const client = new Client();
        if (!key) return false;
        client.on('ready', () => onReady(client));
        client.on('error', () => client.end());
        client.connect({ host, username: 'u', privateKey: key });
        return true;
      }
      export async function get(url: string, key: string | undefined): Promise<string | null> {
        const client = createClient({ url });
        if (!key) return null;
        await client.connect();
        try {
          return await client.get(key);
        } finally {
          client.destroy();
        }
      }
      export function dial(port: number | undefined): void {
        const s = new net.Socket();
        if (port === undefined) return;
        s.connect(port, '127.0.0.1', () => s.end());
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('an exit after connect(), and a listener registered before it, are still reported', () => {
    const code = ts`
      import { Client } from 'ssh2';
      export function openLate(host: string, key: string, skip: boolean): boolean {
        const client = new Client();
        client.on('error', () => undefined);
        client.connect({ host, username: 'u', privateKey: key });
        if (skip) return false;
        client.on('ready', () => client.end());
        return true;
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([3]);
  });

  it('a pg pool that throws before its first query holds nothing; after a query it is reported', () => {
    const code = ts`
      import { Pool } from 'pg';
      export class Db {
        readonly pool: Pool;
        constructor(url: string, schema: string) {
          const pool = new Pool({ connectionString: url });
          if (!/^[a-z]+$/.test(schema)) throw new Error('bad schema');
          this.pool = pool;
        }
        async close(): Promise<void> {
          await this.pool.end();
        }
      }
      export async function count(url: string): Promise<number> {
        const pool = new Pool({ connectionString: url });
        const r = await pool.query('select 1');
        if (r.rowCount === 0) throw new Error('empty');
        await pool.end();
        return r.rowCount ?? 0;
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([14]);
  });

  it('a socket given an open descriptor, a subclass that may connect in its constructor, and a connect in an executor: reported', () => {
    const code = ts`
      import * as net from 'node:net';
      import { Client } from 'ssh2';
      class Auto extends Client {
        constructor() {
          super();
          this.connect({ host: '127.0.0.1' });
        }
      }
      export function wrap(fd: number, ok: boolean): void {
        const s = new net.Socket({ fd });
        if (!ok) return;
        s.end();
      }
      export function auto(ok: boolean): void {
        const c = new Auto();
        if (!ok) return;
        c.end();
      }
      export async function ready(host: string, ok: boolean): Promise<void> {
        const c = new Client();
        await new Promise<void>((resolve) => {
          c.once('ready', () => resolve());
          c.connect({ host });
        });
        if (!ok) return;
        c.end();
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([10, 15, 20]);
  });
});

describe('a look-up declared to return any is no factory', () => {
  it('a typed getter returning app.get(name): no report', () => {
    const code = ts`
      import { Pool } from 'pg';
      export interface Registry { get(name: string): any }
      export function getRootPgPool(app: Registry): Pool {
        return app.get('rootPgPool');
      }
      export async function handler(app: Registry): Promise<number> {
        const pool = getRootPgPool(app);
        const r = await pool.query('select 1');
        return r.rowCount ?? 0;
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a typed factory that constructs the pool is still one', () => {
    const code = ts`
      import { Pool } from 'pg';
      export function makePool(url: string): Pool {
        return new Pool({ connectionString: url });
      }
      export async function handler(url: string): Promise<number> {
        const pool = makePool(url);
        const r = await pool.query('select 1');
        return r.rowCount ?? 0;
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([6]);
  });
});

describe('replacing a client held in a variable', () => {
  it('a helper of the file that releases the variable, called before the store: no report', () => {
    const code = ts`
      import { Pool } from 'pg';
      let pool: Pool | null = null;
      export const close = async (): Promise<void> => {
        if (pool) await pool.end();
        pool = null;
      };
      export const init = (url: string): void => {
        if (!pool) pool = new Pool({ connectionString: url });
      };
      export const changeConnection = async (url: string): Promise<void> => {
        await close();
        pool = new Pool({ connectionString: url });
      };
    `;
    expect(reports(code)).toEqual([]);
  });

  it("a store in each 'message', released only in a 'close' listener, in a helper a listener calls, or in a listener the constructor registers: reported", () => {
    const code = ts`
      import { Client } from 'ssh2';
      import WebSocket from 'ws';
      export function attach(ws: WebSocket, host: string): void {
        let conn: Client | null = null;
        ws.on('message', () => {
          conn = new Client();
          conn.connect({ host, username: 'u' });
        });
        ws.on('close', () => conn?.end());
      }
      let shared: Client | null = null;
      function open(host: string): void {
        shared = new Client();
        shared.connect({ host, username: 'u' });
      }
      export function attachShared(ws: WebSocket, host: string): void {
        ws.on('message', () => open(host));
      }
      export function closeShared(): void {
        shared?.end();
      }
      export class Session {
        private conn: Client | null = null;
        constructor(ws: WebSocket, host: string) {
          ws.on('message', () => {
            this.conn = new Client();
            this.conn.connect({ host, username: 'u' });
          });
        }
        close(): void {
          this.conn?.end();
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([6, 13, 26]);
  });

  it('released in the listener before the store, or stored once by the constructor itself: no report', () => {
    const code = ts`
      import { Client } from 'ssh2';
      import WebSocket from 'ws';
      export function attach(ws: WebSocket, host: string): void {
        let conn: Client | null = null;
        ws.on('message', () => {
          conn?.end();
          conn = new Client();
          conn.connect({ host, username: 'u' });
        });
        ws.on('close', () => conn?.end());
      }
      export class Session {
        private conn: Client | null = null;
        constructor(host: string) {
          this.conn = new Client();
          this.conn.connect({ host, username: 'u' });
        }
        close(): void {
          this.conn?.end();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('releases reached through the class', () => {
  it("a 'timeout' listener that emits 'error' on the field's socket, whose 'error' listener ends it: no report", () => {
    const code = ts`
      import { Socket } from 'node:net';
      export class Proxy {
        private sock: Socket;
        constructor(timeout: number) {
          this.sock = new Socket();
          this.sock.on('error', () => {
            this.sock.end();
          });
          this.sock.setTimeout(timeout);
          this.sock.on('timeout', () => {
            this.sock.emit('error', new Error('timeout'));
          });
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it("a 'timeout' listener that emits an event nobody releases on: reported", () => {
    const code = ts`
      import { Socket } from 'node:net';
      export class Proxy {
        private sock: Socket;
        constructor(timeout: number) {
          this.sock = new Socket();
          this.sock.on('error', () => {
            this.sock.end();
          });
          this.sock.setTimeout(timeout);
          this.sock.on('timeout', () => {
            this.sock.emit('slow');
          });
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([10]);
  });

  it("end() then destroy() in the close method tears the socket down: its 'connect' listener cannot run after it", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Guacd {
        private readonly conn: net.Socket;
        constructor(port: number) {
          this.conn = net.connect(port, '127.0.0.1');
          this.conn.on('connect', () => {
            this.conn.write('select');
          });
        }
        close(): void {
          this.conn.end();
          this.conn.destroy();
        }
      }
      export class Graceful {
        private readonly conn: net.Socket;
        constructor(port: number) {
          this.conn = net.connect(port, '127.0.0.1');
          this.conn.on('connect', () => {
            this.conn.write('select');
          });
        }
        close(): void {
          this.conn.end();
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([20]);
  });

  it("a heartbeat stopped by a method that an 'onclose' handler property calls (through void, or another method): no report", () => {
    const code = ts`
      import WebSocket from 'ws';
      export class Shard {
        private connection: WebSocket | null = null;
        private heartbeatInterval: NodeJS.Timeout | null = null;
        connect(url: string): void {
          const connection = new WebSocket(url);
          connection.onclose = () => {
            this.onClose();
          };
          this.connection = connection;
        }
        onHello(ms: number): void {
          this.heartbeatInterval = setInterval(() => this.heartbeat(), ms);
        }
        private heartbeat(): void {
          this.connection?.send('hb');
        }
        private onClose(): void {
          void this.destroy();
        }
        async destroy(): Promise<void> {
          if (this.heartbeatInterval) clearInterval(this.heartbeatInterval);
          this.connection?.close();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it("a timer handle cleared only by another class's field of the same name: reported", () => {
    const code = ts`
      import WebSocket from 'ws';
      export class Bad {
        private heartbeatInterval: NodeJS.Timeout | null = null;
        constructor(private readonly ws: WebSocket) {}
        start(ms: number): void {
          this.heartbeatInterval = setInterval(() => this.ws.ping(), ms);
        }
      }
      export class Good {
        private heartbeatInterval: NodeJS.Timeout | null = null;
        constructor(private readonly ws: WebSocket) {
          ws.on('close', () => this.stop());
        }
        start(ms: number): void {
          this.heartbeatInterval = setInterval(() => this.ws.ping(), ms);
        }
        stop(): void {
          if (this.heartbeatInterval) clearInterval(this.heartbeatInterval);
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([6]);
  });
});

describe('what a class closes with its connection, and fields reached through self', () => {
  it('a channel field made by the connection field is closed when close() closes the connection: no report', () => {
    const code = ts`
      import { type Channel, type ChannelModel, connect } from 'amqplib';
      export class Bus {
        private connection?: ChannelModel;
        private channel?: Channel;
        async start(): Promise<void> {
          this.connection = await connect('amqp://127.0.0.1');
          this.channel = await this.connection.createChannel();
        }
        send(q: string): void {
          this.channel?.sendToQueue(q, Buffer.from('x'));
        }
        async close(): Promise<void> {
          await this.connection?.close();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('nothing closes the connection either: both fields reported', () => {
    const code = ts`
      import { type Channel, type ChannelModel, connect } from 'amqplib';
      export class Bus {
        private connection?: ChannelModel;
        private channel?: Channel;
        async start(): Promise<void> {
          this.connection = await connect('amqp://127.0.0.1');
          this.channel = await this.connection.createChannel();
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([6, 7]);
  });

  it('a use through `const self = this` in a callback after the field is released: reported as with this', () => {
    const code = ts`
      import mqtt from 'mqtt';
      declare function getTags(cb: () => void): void;
      export class Device {
        private client: mqtt.MqttClient | null = null;
        connect(): void {
          this.client = mqtt.connect('mqtt://127.0.0.1');
        }
        disconnect(): void {
          this.client?.end();
        }
        viaSelf(): void {
          const self = this;
          getTags(function () {
            self.client?.subscribe('b');
          });
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([14]);
  });
});

describe('sloppy-mode JavaScript', () => {
  it('a socket stored in an undeclared (global) name is kept by that global: no report', () => {
    const dir = path.join(__dirname, '..', 'fixtures-prescreen');
    const lines = (stored: string): string[] => [
      "const net = require('node:net');",
      'function start() {',
      `  ${stored} = net.connect({ port: 65000 });`,
      '}',
      'function stop() {',
      '  if (typeof client1 !== "undefined") client1.end();',
      '}',
      'module.exports = { start, stop };',
    ];
    expect(lintJsWithPlugin(lines('client1').join('\n'), dir).map((m) => [m.ruleId, m.line])).toEqual([]);
    // The twin: a local of start() that nothing releases.
    expect(lintJsWithPlugin(lines('const client2').join('\n'), dir).map((m) => [m.ruleId, m.line])).toEqual([['socket-close/no-leak', 3]]);
  });
});

describe('an awaited helper of the file that runs an operation on the resource can reject', () => {
  it('a repository helper given the checked-out client: reported when it rejects', () => {
    const code = ts`
      import { Pool, PoolClient } from 'pg';
      async function insertEvent(client: PoolClient, name: string): Promise<void> {
        await client.query('insert into events(name) values ($1)', [name]);
      }
      export async function record(pool: Pool, name: string): Promise<void> {
        const client = await pool.connect();
        await insertEvent(client, name);
        client.release();
      }
    `;
    expect(reports(code)).toEqual([[6, 'This pg PoolClient is not released when insertEvent() at line 7 rejects: call release() first, or hand it to an owner.']]);
  });

  it('in a try/finally that releases, a helper that catches its own failure, or one that releases: no report', () => {
    const code = ts`
      import { Pool, PoolClient } from 'pg';
      async function insertEvent(client: PoolClient, name: string): Promise<void> {
        await client.query('insert into events(name) values ($1)', [name]);
      }
      async function tryInsert(client: PoolClient, name: string): Promise<void> {
        try {
          await client.query('insert into events(name) values ($1)', [name]);
        } catch (e) {
          console.log(e);
        }
      }
      async function insertAndRelease(client: PoolClient, name: string): Promise<void> {
        try {
          await client.query('insert into events(name) values ($1)', [name]);
        } finally {
          client.release();
        }
      }
      export async function a(pool: Pool, name: string): Promise<void> {
        const client = await pool.connect();
        try {
          await insertEvent(client, name);
        } finally {
          client.release();
        }
      }
      export async function b(pool: Pool, name: string): Promise<void> {
        const client = await pool.connect();
        await tryInsert(client, name);
        client.release();
      }
      export async function c(pool: Pool, name: string): Promise<void> {
        const client = await pool.connect();
        await insertAndRelease(client, name);
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('a subscriber made for each incoming client does not serve for the life of the process', () => {
  it("an ioredis subscriber per 'connection': reported unless the client's close releases it", () => {
    const code = ts`
      import Redis from 'ioredis';
      import { WebSocketServer } from 'ws';
      export function relay(wss: WebSocketServer): void {
        wss.on('connection', (ws) => {
          const sub = new Redis();
          void sub.subscribe('chats');
          sub.on('message', (_channel, message) => ws.send(message));
        });
      }
      export function relayFixed(wss: WebSocketServer): void {
        wss.on('connection', (ws) => {
          const sub = new Redis();
          void sub.subscribe('chats');
          sub.on('message', (_channel, message) => ws.send(message));
          ws.on('close', () => sub.disconnect());
        });
      }
      export function once(): Redis {
        const sub = new Redis();
        void sub.subscribe('chats');
        sub.on('message', (_channel, message) => console.log(message));
        return sub;
      }
      export function startup(): void {
        const sub = new Redis();
        void sub.subscribe('chats');
        sub.on('message', (_channel, message) => console.log(message));
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([5]);
  });
});

describe('fifth-wave shapes: settles, borrowed clients, wrappers, placeholders, cleared fields', () => {
  it("removeListener('error', reject) does not settle; a borrowed client resolved through a callback is no new one", () => {
    const code = ts`
      import { Socket } from 'node:net';
      import Redis from 'ioredis';
      export function open(port: number, host: string, ms: number): Promise<Socket> {
        return new Promise((resolve, reject) => {
          const socket = new Socket();
          const timer = setTimeout(() => {
            socket.destroy();
            reject(new Error('timeout'));
          }, ms);
          socket.connect(port, host);
          socket.on('connect', () => {
            clearTimeout(timer);
            socket.removeListener('error', reject);
            resolve(socket);
          });
          socket.once('error', reject);
        });
      }
      interface RedisConnection {
        run(callback: (client: Redis) => void): void;
      }
      declare function getConnection(key: string): Promise<RedisConnection>;
      export class RedisNode {
        constructor(private readonly key: string) {}
        async getClient(): Promise<Redis> {
          const conn = await getConnection(this.key);
          return new Promise((res) => {
            conn.run(res);
          });
        }
        async children(): Promise<string[]> {
          const client = await this.getClient();
          return client.keys('*');
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it("mysql2's promise() wraps the same pool; returning connect()'s promise hands the client over", () => {
    const code = ts`
      import mysql from 'mysql2';
      import type { Pool as PromisePool } from 'mysql2/promise';
      import { MongoClient } from 'mongodb';
      export class Manager {
        private readonly pool: mysql.Pool;
        private readonly promisePool: PromisePool;
        constructor(uri: string) {
          this.pool = mysql.createPool(uri);
          this.promisePool = this.pool.promise();
        }
        async end(): Promise<void> {
          await this.promisePool.end();
        }
      }
      export function openMongo(url: string): Promise<MongoClient> {
        return new MongoClient(url).connect();
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a placeholder new net.Socket() in the field initialiser holds nothing to overwrite', () => {
    const code = ts`
      import * as net from 'node:net';
      export class TcpTransport {
        private socket: net.Socket = new net.Socket();
        connect(host: string, port: number): Promise<void> {
          return new Promise((resolve, reject) => {
            this.socket = new net.Socket();
            this.socket.once('connect', () => resolve());
            this.socket.once('error', reject);
            this.socket.connect(port, host);
          });
        }
        close(): void {
          this.socket.destroy();
        }
      }
      export class Connected {
        private socket: net.Socket = net.connect(80, '127.0.0.1');
        reconnect(host: string, port: number): void {
          this.socket = net.connect(port, host);
        }
        close(): void {
          this.socket.destroy();
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([19]);
  });

  it('a field set to null right after its release: later callbacks read another value', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Ctl {
        private sock: net.Socket | null = null;
        private queue: Buffer[] = [];
        send(buf: Buffer): void {
          this.queue.push(buf);
          if (this.sock === null) {
            this.sock = net.connect(5577, '127.0.0.1', () => this.next());
            this.sock.on('data', () => this.next());
          }
        }
        private next(): void {
          const cmd = this.queue.shift();
          if (cmd === undefined) return;
          this.sock?.write(cmd);
        }
        fail(): void {
          if (this.sock !== null) this.sock.end();
          this.sock = null;
        }
      }
      export class Kept {
        private sock: net.Socket | null = null;
        private queue: Buffer[] = [];
        send(buf: Buffer): void {
          this.queue.push(buf);
          if (this.sock === null) {
            this.sock = net.connect(5577, '127.0.0.1', () => this.next());
          }
        }
        private next(): void {
          const cmd = this.queue.shift();
          if (cmd === undefined) return;
          this.sock?.write(cmd);
        }
        fail(): void {
          this.sock?.end();
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([28]);
  });
});

describe('a function of another module that the owner releases the resource after only borrows it', () => {
  it('await repo call, then release(): reported when the call rejects; in try/finally, or waiting on the socket itself: no report', () => {
    const code = ts`
      import type { Pool, PoolClient } from 'pg';
      import * as net from 'node:net';
      import { once } from 'node:events';
      declare function insertRow(c: PoolClient, row: string): Promise<void>;
      export async function save(pool: Pool, row: string): Promise<void> {
        const client = await pool.connect();
        await insertRow(client, row);
        client.release();
      }
      export async function saveSafely(pool: Pool, row: string): Promise<void> {
        const client = await pool.connect();
        try {
          await insertRow(client, row);
        } finally {
          client.release();
        }
      }
      export async function banner(port: number): Promise<void> {
        const sock = net.connect(port, '127.0.0.1');
        await once(sock, 'connect');
        sock.end();
      }
    `;
    expect(reports(code)).toEqual([[6, 'This pg PoolClient is not released when insertRow() at line 7 rejects: call release() first, or hand it to an owner.']]);
  });

  it('handed to a function of another module and never released by the owner: a hand-off, no report', () => {
    const code = ts`
      import type { Pool, PoolClient } from 'pg';
      declare function adopt(c: PoolClient): Promise<void>;
      export async function give(pool: Pool): Promise<void> {
        const client = await pool.connect();
        await adopt(client);
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('more fifth-wave shapes', () => {
  it('a helper that pipes its body into the request before returning it: no report', () => {
    const code = ts`
      import * as http from 'node:http';
      import type { Readable } from 'node:stream';
      export function proxy(req: http.IncomingMessage, res: http.ServerResponse): void {
        const send = (body: Readable) => {
          const upstream = http.request({ socketPath: '/var/run/docker.sock', method: req.method, path: req.url });
          body.pipe(upstream);
          return upstream;
        };
        const upstreamReq = send(req);
        upstreamReq.on('error', () => res.destroy());
        upstreamReq.on('response', (upstreamRes) => upstreamRes.pipe(res));
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a listener that closes its own emitter first runs once: closing another socket there is no second close', () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function pair(b: dgram.Socket): dgram.Socket {
        const a = dgram.createSocket('udp4');
        a.on('error', () => {
          a.close();
          b.close();
        });
        a.bind(0);
        return a;
      }
      export function sometimes(b: dgram.Socket, fatal: (e: Error) => boolean): dgram.Socket {
        const a = dgram.createSocket('udp4');
        a.on('error', (e) => {
          if (fatal(e)) a.close();
          b.close();
        });
        a.bind(0);
        return a;
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([15]);
  });

  it('a state property that the release sets to a constant guards a later callback', () => {
    const code = ts`
      import * as net from 'node:net';
      const OPEN = 1;
      const CLOSED = 2;
      export class Guacd {
        private state = OPEN;
        private readonly conn: net.Socket;
        constructor(port: number) {
          this.conn = net.connect(port, '127.0.0.1');
          this.conn.on('connect', () => {
            if (this.state === CLOSED) return;
            this.conn.write('select');
          });
        }
        close(): void {
          this.conn.end();
          this.state = CLOSED;
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('failures that leave a client open', () => {
  it("ioredis connect() that rejects leaves the client reconnecting: reported unless the catch releases it", () => {
    const code = ts`
      import Redis from 'ioredis';
      export async function createRedis(url: string): Promise<Redis> {
        try {
          const redis = new Redis(url, { lazyConnect: true });
          await redis.connect();
          return redis;
        } catch (err) {
          throw new Error('could not connect to redis', { cause: err });
        }
      }
      export async function createRedisFixed(url: string): Promise<Redis> {
        const redis = new Redis(url, { lazyConnect: true });
        try {
          await redis.connect();
          return redis;
        } catch (err) {
          redis.disconnect();
          throw new Error('could not connect to redis', { cause: err });
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([4]);
  });

  it("a dgram close() in a timer after the 'error' listener closed it throws: reported", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function scan(ms: number): Promise<string[]> {
        return new Promise((resolve, reject) => {
          const found: string[] = [];
          const socket = dgram.createSocket('udp4');
          socket.on('error', (err) => {
            socket.close();
            reject(err);
          });
          socket.on('message', (msg) => found.push(msg.toString()));
          socket.bind(48899);
          setTimeout(() => {
            socket.close();
            resolve(found);
          }, ms);
        });
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([13]);
  });
});

describe('a wrapper resolved on success takes the socket with it', () => {
  it('resolve(new Connection(sock)) on success, reject() without releasing on another path: reported; releasing there: no report', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Connection {
        constructor(readonly socket: net.Socket) {}
      }
      export function login(port: number, ok: () => boolean): Promise<Connection> {
        return new Promise((resolve, reject) => {
          const sock = net.connect(port, '127.0.0.1', () => {
            if (!ok()) {
              reject(new Error('auth failed'));
              return;
            }
            resolve(new Connection(sock));
          });
          sock.once('error', reject);
        });
      }
      export function loginFixed(port: number, ok: () => boolean): Promise<Connection> {
        return new Promise((resolve, reject) => {
          const sock = net.connect(port, '127.0.0.1', () => {
            if (!ok()) {
              sock.destroy();
              reject(new Error('auth failed'));
              return;
            }
            resolve(new Connection(sock));
          });
          sock.once('error', reject);
        });
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([7]);
  });
});

describe('second releases and cleared fields in timers', () => {
  it("closing in a timer a connection only the peer may have closed is not a second release; a field nulled after its release is another value for the timer", () => {
    const code = ts`
      import * as amqp from 'amqplib';
      import * as net from 'node:net';
      export function send(connection: amqp.ChannelModel, channel: amqp.Channel, q: string): void {
        channel.sendToQueue(q, Buffer.from('x'));
        setTimeout(() => {
          void connection.close();
        }, 500);
      }
      export class Ctl {
        private sock: net.Socket | null = null;
        private timer: NodeJS.Timeout | undefined;
        open(): void {
          this.sock = net.connect(5577, '127.0.0.1');
          this.sock.on('close', () => clearTimeout(this.timer));
          this.timer = setTimeout(() => this.sock?.write('ping'), 1000);
        }
        fail(): void {
          if (this.sock !== null) this.sock.end();
          this.sock = null;
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('a typed getter over an untyped look-up', () => {
  it('returning what a call on an untyped value gives is no factory', () => {
    const code = ts`
      import { Pool } from 'pg';
      export function getRootPgPool(app: any): Pool {
        return app.get('rootPgPool');
      }
      export async function handler(app: any): Promise<number> {
        const pool = getRootPgPool(app);
        const r = await pool.query('select 1');
        return r.rowCount ?? 0;
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});
