/**
 * Shapes from the seventeenth hand triage: each false alarm or miss reduced to its general mechanism, with the
 * counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a timer handle kept in a property of a record other than `this`, cleared when the socket closes', () => {
  it('a local state object: `state.ping = setInterval(…)`, cleared through the same object', () => {
    expect(
      ids(ts`
        import WebSocket from 'ws';
        interface Conn { ws: WebSocket; ping?: NodeJS.Timeout }
        export function watch(ws: WebSocket): void {
          const state: Conn = { ws };
          state.ping = setInterval(() => ws.ping(), 1000);
          ws.on('close', () => clearInterval(state.ping));
        }
      `),
    ).toEqual([]);
  });

  it('a property of the socket itself (`sock.hb = setInterval(…)`)', () => {
    expect(
      ids(ts`
        import * as net from 'node:net';
        export function beat(sock: net.Socket & { hb?: NodeJS.Timeout }): void {
          sock.hb = setInterval(() => sock.write('x'), 1000);
          sock.on('close', () => clearInterval(sock.hb));
        }
      `),
    ).toEqual([]);
  });

  it('a record of a registry: the close listener finds the handle again by lookup, through helpers', () => {
    expect(
      ids(ts`
        import WebSocket from 'ws';
        interface Session { ws: WebSocket; approvalTimeout?: NodeJS.Timeout }
        const sessions = new Map<string, Session>();
        async function cleanupSession(id: string): Promise<void> {
          const session = sessions.get(id);
          if (!session) return;
          if (session.approvalTimeout) clearTimeout(session.approvalTimeout);
          sessions.delete(id);
        }
        export function startAuth(ws: WebSocket, id: string): void {
          const session: Session = { ws };
          const cleanup = async () => { await cleanupSession(id); };
          const timeout = setTimeout(async () => {
            ws.send(JSON.stringify({ type: 'timeout', id }));
            await cleanup();
          }, 60000);
          session.approvalTimeout = timeout;
          ws.on('close', () => { void cleanup(); });
          sessions.set(id, session);
        }
      `),
    ).toEqual([]);
  });

  it('a handle written into an object literal (`{ sock, timer: setInterval(…) }`) and cleared through a lookup', () => {
    expect(
      ids(ts`
        import * as net from 'node:net';
        const reg = new Map<string, { sock: net.Socket; timer: NodeJS.Timeout }>();
        export function track(sock: net.Socket, id: string): void {
          reg.set(id, { sock, timer: setInterval(() => sock.write('x'), 1000) });
          sock.on('close', () => {
            const e = reg.get(id);
            if (e) clearInterval(e.timer);
            reg.delete(id);
          });
        }
      `),
    ).toEqual([]);
  });

  it('counterpart: the close listener clears another property of the record — still a deferred use', () => {
    expect(
      ids(ts`
        import WebSocket from 'ws';
        interface Conn { ws: WebSocket; ping?: NodeJS.Timeout; retry?: NodeJS.Timeout }
        export function watch(ws: WebSocket): void {
          const state: Conn = { ws };
          state.ping = setInterval(() => ws.ping(), 1000);
          ws.on('close', () => clearTimeout(state.retry));
        }
      `),
    ).toEqual([[5, 'deferredUse']]);
  });

  it('counterpart: the record keeps the handle but only an error listener clears it — still a deferred use', () => {
    expect(
      ids(ts`
        import * as net from 'node:net';
        export function beat(sock: net.Socket & { hb?: NodeJS.Timeout }): void {
          sock.hb = setInterval(() => sock.write('x'), 1000);
          sock.on('error', () => clearInterval(sock.hb));
        }
      `),
    ).toEqual([[3, 'deferredUse']]);
  });
});

describe('a second release whose failure the code handles is expected to fail, not a use after release', () => {
  it('one shutdown function for two signals: `await pool.end().catch(() => {})`', () => {
    expect(
      ids(ts`
        import { Pool } from 'pg';
        async function main(): Promise<void> {
          const pool = new Pool({ host: '127.0.0.1' });
          await pool.query('SELECT 1');
          const cleanup = async () => {
            await pool.end().catch(() => {});
            process.exit(0);
          };
          process.once('SIGINT', cleanup);
          process.once('SIGTERM', cleanup);
        }
        main().catch(() => process.exit(1));
      `),
    ).toEqual([]);
  });

  it("the pool's error listener ends it, its rejection ignored (`void pool.end().catch(…)`)", () => {
    expect(
      ids(ts`
        import { Pool } from 'pg';
        export function open(url: string): Pool {
          const pool = new Pool({ connectionString: url });
          pool.on('error', () => {
            void pool.end().catch(() => undefined);
          });
          return pool;
        }
      `),
    ).toEqual([]);
  });

  it('a synchronous throw of a dgram close() caught by try/catch; an awaited end() in try/catch', () => {
    expect(
      ids(ts`
        import * as dgram from 'node:dgram';
        import { Pool } from 'pg';
        export function udp(): void {
          const s = dgram.createSocket('udp4');
          s.bind(0, '127.0.0.1');
          process.on('SIGINT', () => {
            try { s.close(); } catch { /* already closed */ }
          });
        }
        export function pg(): void {
          const pool = new Pool({ host: '127.0.0.1' });
          process.on('SIGTERM', async () => {
            try { await pool.end(); } catch { /* ended before */ }
          });
        }
      `),
    ).toEqual([]);
  });

  it('counterparts: the rejection of an un-awaited end() escapes its try/catch; no handler at all', () => {
    expect(
      ids(ts`
        import * as dgram from 'node:dgram';
        import { Pool } from 'pg';
        export function pg(): void {
          const pool = new Pool({ host: '127.0.0.1' });
          process.on('SIGTERM', () => {
            try { void pool.end(); } catch { /* never sees the rejection */ }
          });
        }
        export function udp(): void {
          const s = dgram.createSocket('udp4');
          s.bind(0, '127.0.0.1');
          process.on('SIGINT', () => s.close());
        }
      `),
    ).toEqual([
      [6, 'deferredUse'],
      [12, 'deferredUse'],
    ]);
  });

  it('counterpart: a handled failure of a use (not a release) after release is still reported', () => {
    expect(
      ids(ts`
        import { Pool } from 'pg';
        export async function run(): Promise<void> {
          const pool = new Pool({ host: '127.0.0.1' });
          await pool.end();
          await pool.query('SELECT 1').catch(() => undefined);
        }
      `),
    ).toEqual([[5, 'useAfterRelease']]);
  });
});

describe("an ES module's top-level `await main()` ends the process when main() rejects", () => {
  it('a rejection between creation and release is not reported (as for `main();`)', () => {
    expect(
      ids(ts`
        import * as amqp from 'amqplib';
        async function connectAndSend(): Promise<void> {
          const connection = await amqp.connect('amqp://127.0.0.1');
          const channel = await connection.createChannel();
          channel.sendToQueue('hello', Buffer.from('hi'));
          setTimeout(() => { connection.close().catch(() => undefined); }, 500);
        }
        await connectAndSend();
      `),
    ).toEqual([]);
  });

  it('counterparts: awaited inside a top-level try that catches, or with its value taken — still reported', () => {
    expect(
      ids(ts`
        import * as amqp from 'amqplib';
        async function send(): Promise<void> {
          const connection = await amqp.connect('amqp://127.0.0.1');
          const channel = await connection.createChannel();
          channel.sendToQueue('hello', Buffer.from('hi'));
          await connection.close();
        }
        try {
          await send();
        } catch (e) {
          console.error(e);
        }
      `),
    ).toEqual([[3, 'leak']]);
  });
});

describe("amqplib's promise chain: a channel handed to the next continuation that consumes serves, and its connection", () => {
  it("the library's own consumer example: `open.then((conn) => conn.createChannel()).then((ch) => … ch.consume(…))`", () => {
    expect(
      ids(ts`
        import * as amqp from 'amqplib';
        const open = amqp.connect('amqp://127.0.0.1');
        open
          .then(function (conn) {
            return conn.createChannel();
          })
          .then(function (ch) {
            return ch.assertQueue('tasks').then(function () {
              return ch.consume('tasks', function (msg) {
                if (msg !== null) ch.ack(msg);
              });
            });
          })
          .catch(console.warn);
      `),
    ).toEqual([]);
  });

  it('counterpart: the next continuation sends and closes the channel only — the connection is left open', () => {
    expect(
      ids(ts`
        import * as amqp from 'amqplib';
        export function send(msg: string): Promise<void> {
          return amqp
            .connect('amqp://127.0.0.1')
            .then((conn) => conn.createChannel())
            .then((ch) => {
              ch.sendToQueue('tasks', Buffer.from(msg));
              return ch.close();
            });
        }
      `),
    ).toEqual([[3, 'leak']]);
  });
});

describe('a `let` that starts with nothing and is set only on the branch that does not make the resource', () => {
  it('`let leased = null`: set when a lease is taken, else the pool client is made; the finally releases by it', () => {
    expect(
      ids(ts`
        import { Pool, PoolClient } from 'pg';
        interface Leased { client: PoolClient; release: () => void }
        declare const pool: Pool;
        declare function leaseOverride(name: string): Promise<Leased>;
        export async function explain(sql: string, override?: string): Promise<unknown> {
          let leased: Leased | null = null;
          let client;
          if (override) {
            leased = await leaseOverride(override);
            client = leased.client;
          } else {
            client = await pool.connect();
          }
          try {
            if (sql.length > 1000) throw new Error('too long');
            const res = await client.query('EXPLAIN ' + sql);
            return res.rows;
          } finally {
            if (leased) {
              leased.release();
            } else {
              client.release();
            }
          }
        }
      `),
    ).toEqual([]);
  });

  it('counterpart: the variable is also set on the branch that makes the client — still a leak there', () => {
    expect(
      ids(ts`
        import { Pool, PoolClient } from 'pg';
        declare const pool: Pool;
        declare function lease(name: string): Promise<PoolClient>;
        declare function note(): Promise<boolean>;
        export async function explain(sql: string, override?: string): Promise<unknown> {
          let audit: boolean | undefined;
          let client;
          if (override) {
            client = await lease(override);
          } else {
            client = await pool.connect();
            audit = await note();
          }
          try {
            const res = await client.query('EXPLAIN ' + sql);
            return res.rows;
          } finally {
            if (!audit) client.release();
          }
        }
      `),
    ).toEqual([[11, 'leak']]);
  });
});

describe('a caller that first calls a method of the class releasing the field handles the old socket', () => {
  it("the error listener restarts: `this.closeSocket()` (close() in a promise's executor), then the store", () => {
    expect(
      ids(ts`
        import { createSocket, Socket } from 'node:dgram';
        export class AtemSocket {
          private socket: Socket;
          constructor(private readonly port: number) {
            this.socket = this.create();
          }
          private closeSocket(): Promise<void> {
            return new Promise<void>((resolve) => {
              this.socket.close(() => resolve());
            });
          }
          private create(): Socket {
            this.socket = createSocket('udp4');
            this.socket.bind();
            this.socket.on('error', () => this.restart());
            return this.socket;
          }
          restart(): void {
            this.closeSocket().catch(() => {});
            this.create();
            this.socket.send(Buffer.from('hello'), this.port, '127.0.0.1');
          }
          disconnect(): Promise<void> {
            return this.closeSocket();
          }
        }
      `),
    ).toEqual([]);
  });

  it('counterpart: the method the caller calls first only logs — the store still drops the old socket', () => {
    expect(
      ids(ts`
        import { createSocket, Socket } from 'node:dgram';
        export class AtemSocket {
          private socket: Socket;
          constructor(private readonly port: number) {
            this.socket = this.create();
          }
          private note(): void {
            console.log('restarting');
          }
          private create(): Socket {
            this.socket = createSocket('udp4');
            this.socket.bind();
            this.socket.on('error', () => this.restart());
            return this.socket;
          }
          restart(): void {
            this.note();
            this.create();
          }
          disconnect(): void {
            this.socket.close();
          }
        }
      `),
    ).toEqual([[11, 'fieldOverwritten']]);
  });
});

describe('a failed connect() whose failure leaves the client holding nothing, caught and settled', () => {
  it('MongoClient and pg Client: `try { await client.connect(); } catch (err) { return cb(err, null); }`', () => {
    expect(
      ids(ts`
        import { MongoClient } from 'mongodb';
        import { Client } from 'pg';
        export async function mongo(url: string, cb: (err: unknown, c: MongoClient | null) => void): Promise<void> {
          const client = new MongoClient(url);
          try {
            await client.connect();
          } catch (err) {
            return cb(err, null);
          }
          cb(null, client);
        }
        export function pg(url: string): Promise<Client> {
          return new Promise(async (resolve, reject) => {
            const client = new Client(url);
            try {
              await client.connect();
            } catch (e) {
              reject(e);
              return;
            }
            resolve(client);
          });
        }
      `),
    ).toEqual([]);
  });

  it('counterparts: a query that fails after the connect leaves the client open; so does a MongoClient failing a command', () => {
    expect(
      ids(ts`
        import { MongoClient } from 'mongodb';
        import { Client } from 'pg';
        export async function pg(url: string, cb: (err: unknown, c: Client | null) => void): Promise<void> {
          const client = new Client(url);
          try {
            await client.connect();
            await client.query('SET search_path TO app');
          } catch (err) {
            return cb(err, null);
          }
          cb(null, client);
        }
        export async function mongo(url: string, cb: (err: unknown, c: MongoClient | null) => void): Promise<void> {
          const client = new MongoClient(url);
          try {
            await client.connect();
            await client.db('admin').command({ ping: 1 });
          } catch (err) {
            return cb(err, null);
          }
          cb(null, client);
        }
      `),
    ).toEqual([
      [4, 'leak'],
      [14, 'leak'],
    ]);
  });
});

describe("MQTT.js's named `connect` (its entry re-exports the default import of lib/connect by name)", () => {
  it('`import { connect } from "mqtt"` and `import mqtt = require("mqtt")` reach the client type', () => {
    expect(
      ids(ts`
        import { connect } from 'mqtt';
        import mqttCjs = require('mqtt');
        export function a(url: string): void {
          const c = connect(url);
          c.end();
          c.publish('t', 'x');
        }
        export function b(url: string): void {
          const c = mqttCjs.connect(url);
          c.publish('t', 'x');
        }
      `),
    ).toEqual([
      [6, 'useAfterRelease'],
      [9, 'leak'],
    ]);
  });
});

describe('a connection whose close listener hands the function that made it to a timer, by name, reopens itself', () => {
  it('`setTimeout(connectEvents, 2000)` in the close listener, as `setTimeout(() => connectEvents(), 2000)` is', () => {
    expect(
      ids(ts`
        import WebSocket from 'ws';
        function connectEvents(): void {
          const ws = new WebSocket('ws://127.0.0.1:7400/events');
          ws.on('message', (data) => console.log(String(data)));
          ws.on('close', () => {
            setTimeout(connectEvents, 2000);
          });
          ws.on('error', () => undefined);
        }
        connectEvents();
      `),
    ).toEqual([]);
  });

  it('counterpart: the close listener hands another function to the timer — still a leak', () => {
    expect(
      ids(ts`
        import WebSocket from 'ws';
        function noteClosed(): void {
          console.log('closed');
        }
        // Exported: a function only the module's top level calls once is its load code (module scope, not checked).
        export function connectEvents(): void {
          const ws = new WebSocket('ws://127.0.0.1:7400/events');
          ws.on('message', (data) => console.log(String(data)));
          ws.on('close', () => {
            setTimeout(noteClosed, 2000);
          });
          ws.on('error', () => undefined);
        }
        connectEvents();
      `),
    ).toEqual([[7, 'leak']]);
  });
});

describe('a consumer set up by a helper of the file serves, and the connection its channel came from with it', () => {
  it('`createQueues(channel)` runs `channel.consume(q, onMessage)`', () => {
    expect(
      ids(ts`
        import amqp, { Channel, ConsumeMessage } from 'amqplib';
        function onMessage(message: ConsumeMessage | null): void {
          if (message) console.log(message.content.toString());
        }
        function createQueues(channel: Channel): void {
          void channel.assertQueue('websocket', { durable: false });
          void channel.consume('websocket', onMessage, { noAck: true });
        }
        export async function start(): Promise<void> {
          const conn = await amqp.connect('amqp://127.0.0.1');
          conn.on('error', (e) => console.error(e));
          const channel = await conn.createChannel();
          createQueues(channel);
        }
      `),
    ).toEqual([]);
  });

  it('counterpart: the helper only declares the queue — both are left open', () => {
    expect(
      ids(ts`
        import amqp, { Channel } from 'amqplib';
        function createQueues(channel: Channel): void {
          void channel.assertQueue('websocket', { durable: false });
        }
        export async function start(): Promise<void> {
          const conn = await amqp.connect('amqp://127.0.0.1');
          conn.on('error', (e) => console.error(e));
          const channel = await conn.createChannel();
          createQueues(channel);
        }
      `),
    ).toEqual([
      [6, 'leak'],
      [8, 'leak'],
    ]);
  });
});

describe('a class with a private constructor whose one instance a static member keeps is a singleton', () => {
  it('`static getInstance()` storing `new Db()` in a static field: its client lives as long as the process', () => {
    expect(
      ids(ts`
        import { MongoClient } from 'mongodb';
        export class Db {
          private static instance: Db | undefined;
          private readonly client: MongoClient;
          private constructor() {
            this.client = new MongoClient('mongodb://127.0.0.1:27017');
          }
          static getInstance(): Db {
            if (!Db.instance) Db.instance = new Db();
            return Db.instance;
          }
          collection(name: string) {
            return this.client.db('app').collection(name);
          }
        }
      `),
    ).toEqual([]);
  });

  it('counterparts: a public constructor, or a private one that another method calls again — still reported', () => {
    expect(
      ids(ts`
        import { MongoClient } from 'mongodb';
        export class Db {
          private readonly client: MongoClient;
          constructor() {
            this.client = new MongoClient('mongodb://127.0.0.1:27017');
          }
          collection(name: string) {
            return this.client.db('app').collection(name);
          }
        }
        export class Cache {
          private static instance: Cache | undefined;
          private readonly client: MongoClient;
          private constructor() {
            this.client = new MongoClient('mongodb://127.0.0.1:27017');
          }
          static getInstance(): Cache {
            if (!Cache.instance) Cache.instance = new Cache();
            return Cache.instance;
          }
          fork(): Cache {
            return new Cache();
          }
          collection(name: string) {
            return this.client.db('app').collection(name);
          }
        }
      `),
    ).toEqual([
      [5, 'fieldNeverReleased'],
      [15, 'fieldNeverReleased'],
    ]);
  });
});

describe('a client given inside an object literal to a helper of the file that puts it into what it returns', () => {
  const shape = (body: string): string => ts`
    import { Client, type ClientChannel } from 'ssh2';
    interface Session { backend: 'ssh'; conn?: Client; stream?: ClientChannel; lastActivity: number }
    function createSessionState(extras: { conn?: Client; stream?: ClientChannel }): Session {
      ${body}
    }
    export function openSsh(onReady: (s: Session) => void): void {
      const conn = new Client();
      conn.on('ready', () => {
        conn.shell((err, stream) => {
          if (err) {
            conn.end();
            return;
          }
          const session = createSessionState({ conn, stream });
          onReady(session);
        });
      });
      conn.connect({ host: '127.0.0.1', username: 'u' });
    }
  `;

  it('`return { backend, conn: extras.conn, … }` and `return { backend, ...extras, … }` hand it on', () => {
    expect(ids(shape("return { backend: 'ssh', conn: extras.conn, stream: extras.stream, lastActivity: Date.now() };"))).toEqual([]);
    expect(ids(shape("return { backend: 'ssh', ...extras, lastActivity: Date.now() };"))).toEqual([]);
  });

  it('counterpart: the helper only reads the client — it stays the caller’s, left open', () => {
    expect(ids(shape("console.log(extras.conn !== undefined);\n      return { backend: 'ssh', lastActivity: Date.now() };"))).toEqual([[8, 'leak']]);
  });
});

describe('an ssh2 channel ends itself whenever it closes: piping it into a socket ends the socket', () => {
  const shape = (source: string): string => ts`
    import { Client } from 'ssh2';
    import { connect, type Socket } from 'node:net';
    export function remoteForward(client: Client, destPort: number, other: Socket): void {
      client.on('tcp connection', (_info, accept) => {
        const stream = ${source};
        const socket = connect(destPort, '127.0.0.1');
        socket.on('error', () => stream.end());
        stream.pipe(socket).pipe(stream);
      });
    }
  `;

  it('`accept()` of a forwarded connection piped into a new socket and back', () => {
    expect(ids(shape('accept()'))).toEqual([]);
  });

  it('counterpart: a plain net.Socket as the source may fail without ending — still reported', () => {
    expect(ids(shape('(accept(), other)'))).toEqual([[6, 'leak']]);
  });
});

describe("a mysql2 connection whose connect(cb) fails is closed: the error branch leaves nothing open", () => {
  it('settling or returning on the error', () => {
    expect(
      ids(ts`
        import mysql from 'mysql2';
        export function open(): Promise<mysql.Connection> {
          return new Promise((resolve, reject) => {
            const connection = mysql.createConnection({ host: '127.0.0.1', user: 'u' });
            connection.connect((error) => {
              if (error) {
                reject(error);
                return;
              }
              resolve(connection);
            });
          });
        }
        export function run(sql: string, done: (e: Error | null, rows?: unknown) => void): void {
          const connection = mysql.createConnection({ host: '127.0.0.1', user: 'u' });
          connection.connect((err) => {
            if (err) return done(err);
            connection.query(sql, (e, rows) => {
              connection.end();
              done(e, rows);
            });
          });
        }
      `),
    ).toEqual([]);
  });

  it('counterpart: the success branch settles without the connection — still a leak', () => {
    expect(
      ids(ts`
        import mysql from 'mysql2';
        export function ping(): Promise<void> {
          return new Promise((resolve, reject) => {
            const connection = mysql.createConnection({ host: '127.0.0.1', user: 'u' });
            connection.connect((error) => {
              if (error) {
                reject(error);
                return;
              }
              resolve();
            });
          });
        }
      `),
    ).toEqual([[4, 'leak']]);
  });
});

describe('a checkout released only in the `.then()` of an operation on it leaks when the operation rejects', () => {
  it('mysql2 and pg: `conn.query(q).then((rows) => { conn.release(); … })` without a rejection handler that releases', () => {
    expect(
      ids(ts`
        import mysql from 'mysql2/promise';
        import { Pool } from 'pg';
        const pool = mysql.createPool({ host: '127.0.0.1' });
        const pg = new Pool({ host: '127.0.0.1' });
        export function q1(sql: string): Promise<unknown> {
          return pool.getConnection().then((connection) =>
            connection.query(sql).then(([rows]) => {
              connection.release();
              return rows;
            }),
          );
        }
        export function q2(sql: string): Promise<unknown> {
          return new Promise((resolve, reject) => {
            pg.connect()
              .then((client) => {
                client
                  .query(sql)
                  .then((r) => {
                    client.release();
                    resolve(r.rows);
                  })
                  .catch((err) => reject(err));
              })
              .catch((err) => reject(err));
          });
        }
      `),
    ).toEqual([
      [6, 'leak'],
      [15, 'leak'],
    ]);
  });

  it('counterparts: a later `.catch()`/`.finally()` that releases, or `.then(ok, failed)` releasing in both', () => {
    expect(
      ids(ts`
        import mysql from 'mysql2/promise';
        const pool = mysql.createPool({ host: '127.0.0.1' });
        export function q1(sql: string): Promise<unknown> {
          return pool.getConnection().then((connection) =>
            connection
              .query(sql)
              .then(([rows]) => {
                connection.release();
                return rows;
              })
              .catch((e: unknown) => {
                connection.release();
                throw e;
              }),
          );
        }
        export function q2(sql: string): Promise<unknown> {
          return pool.getConnection().then((connection) =>
            connection.query(sql).then(
              ([rows]) => {
                connection.release();
                return rows;
              },
              (e: unknown) => {
                connection.release();
                throw e;
              },
            ),
          );
        }
        export function q3(sql: string): Promise<unknown> {
          return pool.getConnection().then((connection) => connection.query(sql).finally(() => connection.release()));
        }
      `),
    ).toEqual([]);
  });

  it('counterpart: a chain dropped with no rejection handler — its rejection ends the process', () => {
    expect(
      ids(ts`
        import mysql from 'mysql2/promise';
        const pool = mysql.createPool({ host: '127.0.0.1' });
        export function q1(sql: string): void {
          void pool.getConnection().then((connection) => {
            connection.query(sql).then(() => {
              connection.release();
            });
          });
        }
      `),
    ).toEqual([]);
  });
});

describe('a class whose every instance is made once per process holds its fields for the life of the process', () => {
  const broker = (extra = ''): string => ts`
    import * as amqp from 'amqplib';
    export class SingletonBroker {
      private connection: amqp.ChannelModel | undefined;
      constructor(private readonly url: string) {}
      async start(): Promise<void> {
        this.connection = await amqp.connect(this.url);
      }
      async publish(q: string, m: string): Promise<void> {
        const ch = await this.connection?.createChannel();
        ch?.sendToQueue(q, Buffer.from(m));
        await ch?.close();
      }
    }
    ${extra}
  `;

  it('made only at the top of another module of the program (`export const broker = new SingletonBroker(url)`)', () => {
    expect(ids(broker())).toEqual([]);
  });

  it('counterpart: also made in a function — each call makes another, and none is ever closed', () => {
    expect(ids(broker("export function another(): SingletonBroker { return new SingletonBroker('amqp://127.0.0.1'); }"))).toEqual([[6, 'fieldNeverReleased']]);
  });

  it('a NestJS provider in the default scope; counterpart: a request-scoped one', () => {
    const provider = (options: string): string => ts`
      import { Injectable, Scope } from '@nestjs/common';
      import { createClient } from 'redis';
      @Injectable(${options})
      export class CacheService {
        private client: ReturnType<typeof createClient> | undefined;
        async onModuleInit(): Promise<void> {
          this.client = createClient({ url: 'redis://127.0.0.1:6379' });
          await this.client.connect();
        }
        async get(key: string): Promise<string | null> {
          return (await this.client?.get(key)) ?? null;
        }
      }
      export const scopes = Scope;
    `;
    expect(ids(provider(''))).toEqual([]);
    expect(ids(provider('{ scope: Scope.REQUEST }'))).toEqual([[7, 'fieldNeverReleased']]);
  });
});

describe("a project interface's member that takes nothing and is named by what it gives is an accessor", () => {
  it('`mongoClient: () => MongoClient`, `client(): Client` of a test case: the shared client, not a new one', () => {
    expect(
      ids(ts`
        import type { MongoClient } from 'mongodb';
        import type { Client } from 'pg';
        interface TestCase {
          mongoClient: () => MongoClient;
          client(): Client;
        }
        export async function isCommunityServer(integration: TestCase): Promise<boolean> {
          const client = integration.mongoClient();
          const info = await client.db('_').command({ buildInfo: 1 });
          const pg = integration.client();
          await pg.query('SELECT 1');
          return !(info.modules as string[]).includes('enterprise');
        }
      `),
    ).toEqual([]);
  });

  it('counterparts: named by a verb that makes one, or taking arguments — a new client each call', () => {
    expect(
      ids(ts`
        import type { MongoClient } from 'mongodb';
        interface Factory {
          connectClient(): MongoClient;
          mongoClient: (url: string) => MongoClient;
        }
        export async function ping(f: Factory): Promise<void> {
          const a = f.connectClient();
          await a.db('_').command({ ping: 1 });
          const b = f.mongoClient('mongodb://127.0.0.1:27017');
          await b.db('_').command({ ping: 1 });
        }
      `),
    ).toEqual([
      [7, 'leak'],
      [9, 'leak'],
    ]);
  });
});

describe("a singleton's field need not be released, but the paths before the store are checked", () => {
  it('a NestJS provider whose pool is dropped when the probe query rejects, before the store', () => {
    expect(
      ids(ts`
        import { Injectable } from '@nestjs/common';
        import { Pool } from 'pg';
        @Injectable()
        export class PostgresConfig {
          private pool: Pool | undefined;
          async connect(): Promise<Pool> {
            if (this.pool) return this.pool;
            const pool = new Pool({ host: '127.0.0.1' });
            const client = await pool.connect();
            await client.query('SELECT 1');
            client.release();
            this.pool = pool;
            return this.pool;
          }
        }
      `),
    ).toEqual([
      [8, 'leak'],
      [9, 'leak'],
    ]);
  });
});
