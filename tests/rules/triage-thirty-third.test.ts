/**
 * Shapes found in the thirty-ninth session (the thirty-third hand triage), each reduced to its general mechanism,
 * with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a TLS upgrade stored back into the field that holds the socket it wraps', () => {
  const client = (upgrade: string, extra = ''): string => ts`
    import * as net from 'node:net';
    import * as tls from 'node:tls';
    export class SmtpClient {
      sock: net.Socket | undefined;
      connect(host: string): void {
        this.sock = net.connect(25, host);
      }
      upgrade(host: string): void {
        ${upgrade}
      }
      ${extra}
      close(): void {
        this.sock?.end();
      }
    }
  `;

  it('this.sock = tls.connect({ socket: this.sock }) is the same connection, not a second store: no report', () => {
    expect(ids(client('this.sock = tls.connect({ socket: this.sock, servername: host });'))).toEqual([]);
  });

  it('through a local read from the field (new tls.TLSSocket(plain)): no report', () => {
    expect(ids(client('const plain = this.sock!; this.sock = new tls.TLSSocket(plain, { isServer: false }); void host;'))).toEqual([]);
  });

  it("through options merged by Object.assign in a local (nodemailer's STARTTLS): no report", () => {
    expect(ids(client('const opts = Object.assign({ socket: this.sock, host }, { rejectUnauthorized: true }); this.sock = tls.connect(opts);'))).toEqual([]);
  });

  it('a second method that stores a new connection of its own still makes connect() a reconnect', () => {
    expect(ids(client('this.sock = tls.connect({ socket: this.sock, servername: host });', 'reconnect(host: string): void { this.sock = net.connect(25, host); }'))).toEqual([
      [6, 'fieldOverwritten'],
      [11, 'fieldOverwritten'],
    ]);
  });

  it('a TLS connection of its own (no socket option) stored by the upgrade: both stores may replace an open socket', () => {
    expect(ids(client('this.sock = tls.connect({ port: 465, host });'))).toEqual([
      [6, 'fieldOverwritten'],
      [9, 'fieldOverwritten'],
    ]);
  });
});

describe('a serving resource put into a collection held by a field of its class', () => {
  const service = (store: string): string => ts`
    import { Client } from 'pg';
    export class NotificationService {
      private listeners = new Map<string, Client>();
      async subscribe(channel: string, cb: (payload: string) => void): Promise<void> {
        if (this.listeners.has(channel)) return;
        const client = new Client();
        await client.connect();
        client.on('notification', (msg) => cb(msg.payload ?? ''));
        await client.query('LISTEN ' + channel);
        ${store}
      }
      async closeListener(channel: string): Promise<void> {
        const client = this.listeners.get(channel);
        if (client) {
          await client.end();
          this.listeners.delete(channel);
        }
      }
    }
  `;

  it('a LISTEN that rejects before the store leaves a connection nothing can reach: reported', () => {
    expect(ids(service('this.listeners.set(channel, client);'))).toEqual([[6, 'leak']]);
  });

  it('the message names the rejecting call', () => {
    expect(lintWithPlugin(service('this.listeners.set(channel, client);'))[0]?.message).toContain('when query() at line 9 rejects');
  });

  it('kept by nobody (a subscriber for the life of the process): no report', () => {
    expect(ids(service('void 0;'))).toEqual([]);
  });

  it('a server stored by its listening callback: no report', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export class Hub {
        private servers: net.Server[] = [];
        start(port: number, h: (s: net.Socket) => void): void {
          const server = net.createServer(h);
          server.listen(port, () => {
            this.servers.push(server);
          });
        }
        stop(): void {
          for (const s of this.servers) s.close();
        }
      }
    `)).toEqual([]);
  });
});

describe('MongoDB: change streams, handles that are no promise, helpers working through handles', () => {
  it("a change stream of the client with an on('change') handler serves for the life of the process: no report", () => {
    expect(ids(ts`
      import { MongoClient } from 'mongodb';
      export async function main(uri: string): Promise<void> {
        const client = new MongoClient(uri);
        await client.connect();
        const changeStream = client.db('app').collection('movies').watch();
        changeStream.on('change', (change) => console.log(change));
      }
    `)).toEqual([]);
  });

  it('client.watch() directly, chained: no report', () => {
    expect(ids(ts`
      import { MongoClient } from 'mongodb';
      export async function main(uri: string): Promise<void> {
        const client = await MongoClient.connect(uri);
        client.watch().on('change', (change) => console.log(change));
      }
    `)).toEqual([]);
  });

  it("once('change') (the first change awaited) serves nothing: reported", () => {
    expect(ids(ts`
      import { MongoClient } from 'mongodb';
      export async function main(uri: string): Promise<void> {
        const client = new MongoClient(uri);
        await client.connect();
        const changeStream = client.db('app').collection('movies').watch();
        changeStream.once('change', (change) => console.log(change));
      }
    `)).toEqual([[3, 'leak']]);
  });

  it('await db.collection(name) on a Db held in a local cannot reject: no report', () => {
    expect(ids(ts`
      import { MongoClient } from 'mongodb';
      export async function ensure(uri: string): Promise<string> {
        const client = new MongoClient(uri);
        await client.connect();
        const db = client.db('app');
        const collection = await db.collection('items');
        const name = collection.collectionName;
        await client.close();
        return name;
      }
    `)).toEqual([]);
  });

  it('the operation after it that can reject is the one named', () => {
    const messages = lintWithPlugin(ts`
      import { MongoClient } from 'mongodb';
      export async function seed(uri: string): Promise<void> {
        const client = new MongoClient(uri);
        await client.connect();
        const db = client.db('app');
        const collection = await db.collection('items');
        await collection.insertMany([{ a: 1 }]);
        await client.close();
      }
    `);
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[3, 'leak']]);
    expect(messages[0]?.message).toContain('when insertMany() at line 7 rejects');
  });

  const helper = (body: string, own = ''): string => ts`
    import { MongoClient } from 'mongodb';
    async function work(client: MongoClient): Promise<void> {
      ${body}
    }
    export async function run(url: string): Promise<void> {
      const client = await MongoClient.connect(url);
      await work(client);
      ${own}
      await client.close();
    }
  `;

  it("a helper of the file that awaits an operation through a handle chain of the client it is given: the helper's rejection is reported", () => {
    expect(lintWithPlugin(helper("await client.db('app').collection('m').updateMany({}, { $set: { a: 1 } });")).map((m) => m.message)).toEqual([
      expect.stringContaining('when work() at line 7 rejects'),
    ]);
  });

  it('through a handle the helper holds in a local: reported', () => {
    expect(ids(helper("const coll = client.db('app').collection('m'); await coll.updateMany({}, { $set: { a: 1 } });"))).toEqual([[6, 'leak']]);
  });

  it('a helper that catches the failure itself: no report', () => {
    expect(ids(helper("try { await client.db('app').collection('m').updateMany({}, { $set: { a: 1 } }); } catch { /* logged */ }"))).toEqual([]);
  });

  it('a helper that only takes a handle (no operation): no report', () => {
    expect(ids(helper("const db = client.db('app'); void db;"))).toEqual([]);
  });
});

describe("a listener's release right before process.exit() precedes no later run of it", () => {
  const script = (afterClose: string): string => ts`
    import WebSocket from 'ws';
    export function run(url: string): void {
      const ws = new WebSocket(url);
      let id = 1;
      ws.on('message', (data) => {
        const result = JSON.parse(String(data));
        if (result.id === 1) {
          ws.send(JSON.stringify({ id: id++, method: 'Runtime.evaluate' }));
        } else if (result.id === 2) {
          ws.close();
          ${afterClose}
        }
      });
    }
  `;

  it('close(); process.exit(0): no report', () => {
    expect(ids(script('process.exit(0);'))).toEqual([]);
  });

  it('close() alone: the next message sends on the closed socket (reported)', () => {
    expect(ids(script('void 0;'))).toEqual([[8, 'deferredUse']]);
  });

  it('an exit only on a branch after the release does not end every path: reported', () => {
    expect(ids(script('if (result.fatal) process.exit(1);'))).toEqual([[8, 'deferredUse']]);
  });
});

describe("a server's handler registered through a local that holds the field", () => {
  it("const wss = this.wss; wss.on('connection', …) in a method: the field's server serves (no report)", () => {
    expect(ids(ts`
      import { WebSocketServer, type ServerOptions } from 'ws';
      export class RpcServer {
        private wss: WebSocketServer;
        constructor(opts: ServerOptions) {
          this.wss = new WebSocketServer(opts);
          this.init();
        }
        init = (): void => {
          const wss = this.wss;
          wss.on('connection', (ws) => {
            ws.on('message', (m) => ws.send(m));
          });
        };
      }
    `)).toEqual([]);
  });

  it('a local that only reads the field (no handler): the field is still never released', () => {
    expect(ids(ts`
      import { WebSocketServer, type ServerOptions } from 'ws';
      export class RpcServer {
        private wss: WebSocketServer;
        constructor(opts: ServerOptions) {
          this.wss = new WebSocketServer(opts);
        }
        count(): number {
          const wss = this.wss;
          return wss.clients.size;
        }
      }
    `)).toEqual([[5, 'fieldNeverReleased']]);
  });
});

describe('a variable of the enclosing function that only an immediately invoked function uses is its own', () => {
  const bridge = (iife: string, after = ''): string => ts`
    import WebSocket from 'ws';
    export function handleMediaStream(clientWs: WebSocket, key: string): void {
      let upstream: WebSocket | null = null;
      ${iife}
      ${after}
    }
  `;
  const body = `
        upstream = new WebSocket('ws://127.0.0.1:8080', { headers: { Authorization: key } });
        upstream.on('message', (data) => clientWs.send(String(data)));
        clientWs.on('close', () => {
          if (upstream?.readyState === WebSocket.OPEN) upstream.close();
        });`;

  it('an async IIFE whose release is behind readyState === OPEN: a socket still connecting is left open (reported)', () => {
    expect(ids(bridge(`(async () => {${body}\n      })();`))).toEqual([[5, 'leak']]);
  });

  it('a plain IIFE: reported', () => {
    expect(ids(bridge(`(() => {${body}\n      })();`))).toEqual([[5, 'leak']]);
  });

  it('closed on every path of the listener: no report', () => {
    expect(ids(bridge(`(async () => {${body.replace("if (upstream?.readyState === WebSocket.OPEN) upstream.close();", 'upstream?.close();')}\n      })();`))).toEqual([]);
  });

  it('the enclosing function also reads the variable after the IIFE: stored for it, not checked in the IIFE (no report)', () => {
    expect(ids(bridge(`(async () => {${body}\n      })();`, "clientWs.on('error', () => upstream?.terminate());"))).toEqual([]);
  });
});

describe("a public field read as this.<name> in another file is that file's own class's field", () => {
  const cls = (name: string): string => ts`
    import * as net from 'node:net';
    export class ${name} {
      client!: net.Socket;
      connect(host: string, port = 143): Promise<void> {
        return new Promise((resolve) => {
          this.client = net.connect({ host, port }, resolve);
        });
      }
    }
  `;

  it('tests/fixtures/line-session.ts names LineClient and reads this.client of its own: reported', () => {
    expect(ids(cls('LineClient'))).toEqual([[6, 'fieldNeverReleased']]);
  });

  it('tests/fixtures/line-subclass.ts extends the class and ends this.client: no report', () => {
    expect(ids(cls('SubclassedLineClient'))).toEqual([]);
  });
});

describe('a connection taken with ?? when none is given', () => {
  const batch = (op: string, begin = ''): string => ts`
    import type { Pool, PoolConnection } from 'mysql2/promise';
    export async function batch(pool: Pool, sqls: string[], connection?: PoolConnection): Promise<number> {
      const executor = connection ${op} (await pool.getConnection());
      ${begin}
      try {
        for (const sql of sqls) await executor.query(sql);
        return sqls.length;
      } finally {
        if (!connection) executor.release();
      }
    }
  `;

  it('given ?? (await pool.getConnection()), released under !given: no report (as with ||)', () => {
    expect(ids(batch('??'))).toEqual([]);
    expect(ids(batch('||'))).toEqual([]);
  });

  it('a beginTransaction() awaited before the try still leaks it when it rejects', () => {
    expect(lintWithPlugin(batch('??', 'if (!connection) await (executor as PoolConnection).beginTransaction();')).map((m) => m.message)).toEqual([
      expect.stringContaining('when beginTransaction() at line 4 rejects'),
    ]);
  });
});

describe("a resource that only a serving handler of another one uses serves as long as it", () => {
  const server = (extra: string): string => ts`
    import amqplib from 'amqplib';
    export async function main(): Promise<void> {
      const connection = await amqplib.connect('amqp://127.0.0.1');
      const consumer = await connection.createChannel();
      const producer = await connection.createChannel();
      const { queue } = await consumer.assertQueue('rpc');
      ${extra}
    }
  `;

  it("a channel that sends the consumer's replies, set up where it is made: no report", () => {
    expect(ids(server(`await producer.prefetch(1);
      await consumer.consume(queue, (msg) => {
        if (!msg) return;
        producer.sendToQueue(msg.properties.replyTo, Buffer.from('ok'));
        consumer.ack(msg);
      });`))).toEqual([]);
  });

  it('a channel nothing uses: reported', () => {
    expect(ids(server(`await consumer.consume(queue, (msg) => {
        if (msg) consumer.ack(msg);
      });`))).toEqual([[5, 'leak']]);
  });

  it('a channel the function also closes is checked on its own paths: a rejection before its close leaks it', () => {
    expect(lintWithPlugin(server(`await consumer.consume(queue, (msg) => {
        if (msg) producer.sendToQueue('x', Buffer.from('ok'));
      });
      await producer.close();`)).map((m) => [m.line, m.message.includes('when assertQueue() at line 6 rejects')])).toEqual([[5, true]]);
  });
});

describe("a rejection a catch takes, in a function whose every return ends the process", () => {
  const script = (after: string): string => ts`
    import mysql from 'mysql2/promise';
    async function createOrder(): Promise<string> {
      const connection = await mysql.createConnection({ host: '127.0.0.1' });
      try {
        await connection.execute('SELECT 1');
        return 'ok';
      } catch (err) {
        console.error(err);
        return 'error';
      }
    }
    (async function main() {
      console.log(await createOrder());
      ${after}
    })();
  `;

  it('the entry awaits it, then process.exit(0): no report', () => {
    expect(ids(script('process.exit(0);'))).toEqual([]);
  });

  it('the entry goes on without ending the process: reported', () => {
    expect(ids(script("console.log('done');"))).toEqual([[3, 'leak']]);
  });
});

describe("a field stored by a .then() continuation in the constructor of a class with one instance", () => {
  const connector = (made: string): string => ts`
    import amqp from 'amqplib';
    class MQConnector {
      private connector: amqp.ChannelModel | undefined;
      constructor(url: string) {
        amqp.connect(url).then((conn) => {
          this.connector = conn;
        }).catch(console.warn);
      }
      connected(): boolean {
        return this.connector !== undefined;
      }
    }
    ${made}
  `;

  it('constructed once at the top of the module: the field lives as long as the process (no report)', () => {
    expect(ids(connector("export const mq = new MQConnector('amqp://127.0.0.1');"))).toEqual([]);
  });

  it('constructed per call: the field is never released (reported)', () => {
    expect(ids(connector("export function make(url: string): MQConnector { return new MQConnector(url); }"))).toEqual([[6, 'fieldNeverReleased']]);
  });
});

describe('an event named by a const of the file', () => {
  const server = (decl: string, event = 'CONNECT_EVENT'): string => ts`
    import Redis from 'ioredis';
    ${decl}
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

  it("const CONNECT_EVENT = 'connect' reads as the literal: an ioredis 'connect' cannot follow quit() (no report)", () => {
    expect(ids(server("const CONNECT_EVENT = 'connect';"))).toEqual([]);
    expect(ids(server('', "'connect'"))).toEqual([]);
  });

  it("a let (it may change) names no event: its listener may run after quit() (reported)", () => {
    expect(ids(server("let CONNECT_EVENT = 'connect'; export function rename(e: string): void { CONNECT_EVENT = e; }"))).toEqual([[8, 'deferredUse']]);
  });
});

describe("an async function nested in another one, started with its promise dropped", () => {
  const script = (start: string): string => ts`
    import { createClient } from 'redis';
    function main(): void {
      async function run(): Promise<void> {
        const c = createClient();
        await c.connect();
        const msgs = await c.xRange('numbers', '-', '+');
        console.log(msgs.length);
        process.exit();
      }
      ${start}
    }
    main();
  `;

  it('run(); — its rejection is unhandled and ends the process: no report', () => {
    expect(ids(script('run();'))).toEqual([]);
  });

  it('run().catch(log) — the process goes on with the client open: reported', () => {
    expect(ids(script('run().catch((e) => console.error(e));'))).toEqual([[4, 'leak']]);
  });

  it('an exported async function of the module started the same way may be awaited elsewhere: reported', () => {
    expect(ids(ts`
      import { createClient } from 'redis';
      export async function run(): Promise<void> {
        const c = createClient();
        await c.connect();
        const msgs = await c.xRange('numbers', '-', '+');
        console.log(msgs.length);
        process.exit();
      }
      export function main(): void {
        run();
      }
    `)).toEqual([[3, 'leak']]);
  });
});
