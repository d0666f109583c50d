/**
 * Shapes found in the forty-first session (what the thirty-fourth hand triage left), each reduced to its general
 * mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe("a listening server's address read through a `let` assigned once after its declaration, or through `?.`", () => {
  const probe = (declare: string, read = 'server.address()'): string => ts`
    import * as net from 'node:net';
    export function findOpenPort(port: number): Promise<number> {
      return new Promise((resolve, reject) => {
        ${declare}
        server.on('error', reject);
        server.listen(port, '127.0.0.1', () => {
          const address = ${read};
          if (address && typeof address === 'object') {
            server.close(() => resolve(address.port));
          } else {
            reject(new Error('Invalid address'));
          }
        });
      });
    }
  `;

  it('`let server = null; server = net.createServer();` then the positive address test (no report)', () => {
    expect(ids(probe('let server: net.Server | null = null;\n        server = net.createServer();'))).toEqual([]);
    expect(ids(probe('let server: net.Server;\n        server = net.createServer();'))).toEqual([]);
  });

  it('`server?.address()` is the same call (no report)', () => {
    expect(ids(probe('const server = net.createServer();', 'server?.address()'))).toEqual([]);
    expect(ids(probe('let server: net.Server | null = null;\n        server = net.createServer();', 'server?.address()'))).toEqual([]);
  });

  it('a `let` assigned twice, or assigned under an if, is not a stable name: the else branch can run', () => {
    expect(ids(probe('let server = net.createServer();\n        server = net.createServer();'))).toEqual([
      [4, 'leak'],
      [5, 'leak'],
    ]);
    expect(ids(probe('let server: net.Server | null = null;\n        if (port > 0) server = net.createServer();\n        if (!server) return;'))).toEqual([[5, 'leak']]);
  });

  it('the real shape: a null check of the `let` inside the callback and a close-then-retry error listener (no report)', () => {
    const code = ts`
      import * as net from 'node:net';
      export function findOpenPort(startPort: number): Promise<number> {
        return new Promise((resolve, reject) => {
          let server: net.Server | null = null;
          server = net.createServer();
          server.on('error', (err: NodeJS.ErrnoException) => {
            if (err.code === 'EADDRINUSE' && server) {
              server.close(() => findOpenPort(startPort + 1).then(resolve, reject));
            } else {
              reject(err);
            }
          });
          server.listen(startPort, '127.0.0.1', () => {
            const address = server?.address();
            if (address && typeof address === 'object') {
              const port = address.port;
              if (server) server.close(() => resolve(port));
              else reject(new Error('Server is null after successful listen'));
            } else {
              reject(new Error('Invalid address returned from server'));
            }
          });
        });
      }
    `;
    expect(ids(code)).toEqual([]);
  });

  it('a server listening on a pipe path keeps its string address: the else branch can run', () => {
    const code = ts`
      import * as net from 'node:net';
      export function probePipe(path: string): Promise<number> {
        return new Promise((resolve, reject) => {
          let server: net.Server | null = null;
          server = net.createServer();
          server.on('error', reject);
          server.listen(path, () => {
            const address = server?.address();
            if (address && typeof address === 'object') {
              server?.close(() => resolve(address.port));
            } else {
              reject(new Error('no port'));
            }
          });
        });
      }
    `;
    expect(ids(code)).toEqual([[5, 'leak']]);
  });
});

describe('a catch clause is entered only when its try block can throw outside the functions it defines', () => {
  const code = (extra: string): string => ts`
    import * as net from 'node:net';
    export function f(): void {
      let handler: (() => unknown) | undefined;
      try {
        handler = () => JSON.parse('{}');${extra}
      } catch {
        const s = net.connect(80, '127.0.0.1');
        s.write('x');
      }
      void handler;
    }
  `;

  it('a try block that only defines a callback (its call runs later, elsewhere) never enters the catch (no report)', () => {
    expect(ids(code(''))).toEqual([]);
  });

  it('a call of its own in the try block can throw: the socket made in the catch is reported', () => {
    expect(ids(code("\n        JSON.parse('x');"))).toEqual([[8, 'leak']]);
  });
});

describe('a listener of an event the socket never emits (a ws WebSocket emits nine) never runs', () => {
  const open = (event: string, extra = ''): string => ts`
    import WebSocket from 'ws';
    export function openWs(url: string, timeout = 12500): Promise<WebSocket> {
      return new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(url);
        const timer = setTimeout(() => {
          ws.close();
          reject(new Error('timed out'));
        }, timeout);
        ws.on('open', () => {
          clearTimeout(timer);
          resolve(ws);
        });
        ws.on(${event}, (err: Error) => {
          clearTimeout(timer);
          reject(err);
        });
        ws.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });${extra}
      });
    }
  `;

  it("ws.on('rejected', …): the typings' catch-all overload, no event of ws (no report)", () => {
    expect(ids(open("'rejected'"))).toEqual([]);
  });

  it("an event ws emits ('unexpected-response', after which it is not closed) still leaves it open: reported", () => {
    expect(ids(open("'unexpected-response'"))).toEqual([[4, 'leak']]);
  });

  it('an event the file emits itself, or an emit() of a computed name, may run: reported', () => {
    expect(ids(open("'rejected'", "\n        ws.emit('rejected', new Error('no'));"))).toEqual([[4, 'leak']]);
    expect(ids(open("'rejected'", "\n        const name = String(url);\n        ws.emit(name);"))).toEqual([[4, 'leak']]);
  });

  it("a name ws's typings never declare but every emitter emits ('removeListener') may run: reported", () => {
    expect(ids(open("'removeListener'"))).toEqual([[4, 'leak']]);
  });
});

describe("a variable of an enclosing function cleared in a named function that is the socket's close listener", () => {
  const hmr = (register: string, extra = ''): string => ts`
    import WebSocket from 'ws';
    export function startHmr(url: string): void {
      let socket: WebSocket | null = null;
      let reconnects = 0;
      function onOpen(): void {
        reconnects = 0;
      }
      function onClose(): void {
        if (reconnects >= 10) return;
        removeListeners();
        socket = null;
        reconnects++;
        setTimeout(connect, 1000 * 1.5 ** reconnects);
      }
      function connect(): void {
        socket = new WebSocket(url);
        socket.on('open', onOpen);
        ${register}
      }
      function removeListeners(): void {
        if (socket) {
          socket.off('open', onOpen);
          socket.off('close', onClose);
        }
      }
      connect();${extra}
    }
  `;

  it("registered only as its 'close' listener (and taken back with off()): the socket is closed when it clears it (no report)", () => {
    expect(ids(hmr("socket.on('close', onClose);"))).toEqual([]);
    expect(ids(hmr("socket.addEventListener('close', onClose);"))).toEqual([]);
  });

  it("registered for an event after which the socket stays open ('message'): reported at the creation", () => {
    expect(ids(hmr("socket.on('message', onClose);"))).toEqual([[16, 'leak']]);
  });

  it('also called directly (a reset button): reported at the creation', () => {
    expect(ids(hmr("socket.on('close', onClose);", "\n      process.on('SIGUSR2', () => onClose());"))).toEqual([[16, 'leak']]);
  });
});

describe('load code: a function called once as the initialiser of a top-level declaration, and a Promise executor there', () => {
  const connect = ts`
    const connectToServer = () => {
      const socket: net.Socket = net.createConnection('/tmp/app.sock', () => {
        socket.write('x');
      });
      socket.on('error', () => {});
      socket.unref();
    };
  `;

  it('`export const c = connectToServer();` (or not exported) runs it once at load: module scope (no report)', () => {
    expect(ids(`import * as net from 'node:net';\n${connect}\nexport const c = connectToServer();\n`)).toEqual([]);
    expect(ids(`import * as net from 'node:net';\n${connect}\nconst c = connectToServer();\nexport default c;\n`)).toEqual([]);
  });

  it('called from an exported function (once per call) is checked as before: reported', () => {
    expect(ids(`import * as net from 'node:net';\n${connect}\nexport function again() { return connectToServer(); }\n`)).toEqual([[3, 'leak']]);
  });

  it('a Promise executor at the top of the module, or in a function run once at load, runs once (no report)', () => {
    const executor = ts`
      new Promise<void>((resolve) => {
        const socket: net.Socket = net.createConnection('/tmp/app.sock', () => {
          socket.write('x');
          resolve();
        });
        socket.on('error', () => resolve());
        socket.unref();
      })
    `;
    expect(ids(`import * as net from 'node:net';\nexport const connecting = ${executor};\n`)).toEqual([]);
    expect(ids(`import * as net from 'node:net';\nfunction start() {\n  return ${executor};\n}\nstart();\n`)).toEqual([]);
  });

  it('a Promise executor in an exported function runs once per call: reported', () => {
    const code = ts`
      import * as net from 'node:net';
      export function start(): Promise<void> {
        return new Promise<void>((resolve) => {
          const socket: net.Socket = net.createConnection('/tmp/app.sock', () => {
            socket.write('x');
            resolve();
          });
          socket.on('error', () => resolve());
          socket.unref();
        });
      }
    `;
    expect(ids(code)).toEqual([[4, 'leak']]);
  });
});

describe("a destructuring that leaves out a server the helper gave a handler: it serves wherever it goes", () => {
  const viewer = (make: string): string => ts`
    import { createServer } from 'node:http';
    function startViewer(port: number) {
      ${make}
      server.listen(port, 'localhost');
      return { server, port };
    }
    export function run(port: number): number {
      const { port: actual } = startViewer(port);
      return actual;
    }
  `;

  it('made with a handler, or given a request listener (no report)', () => {
    expect(ids(viewer("const server = createServer((req, res) => res.end('ok'));"))).toEqual([]);
    expect(ids(viewer("const server = createServer();\n      server.on('request', (req, res) => res.end('ok'));"))).toEqual([]);
  });

  it('made without a handler: the caller drops it open (reported at the call)', () => {
    const found = lintWithPlugin(viewer('const server = createServer();'));
    expect(found.map((m) => [m.line, m.messageId])).toEqual([[8, 'leak']]);
    expect(found[0]?.message).toContain("the destructuring leaves out 'server'");
  });
});

describe('a rejection taken by a catch or .catch() that calls a function of the file ending the process', () => {
  const migrate = ts`
    import { Pool } from 'pg';
    const pool = new Pool();
    function die(): never {
      process.exit(1);
    }
    async function shutdown(): Promise<void> {
      await pool.end();
      process.exit(1);
    }
    function log(error: unknown): void {
      console.error(error);
    }
    void [die, shutdown, log];
    async function migrate(steps: string[]): Promise<void> {
      for (const step of steps) {
        const client = await pool.connect();
        await client.query('BEGIN');
        try {
          await client.query(step);
        } finally {
          client.release();
        }
      }
    }
  `;
  const start = (handle: string): string => `${migrate}\nasync function start(): Promise<void> {\n  try {\n    await migrate(['select 1']);\n  } catch (error) {\n    console.error(error);\n    ${handle}\n  }\n}\nstart();\n`;

  it('catch { die(); } and catch { await shutdown(); } end the process (no report)', () => {
    expect(ids(start('die();'))).toEqual([]);
    expect(ids(start('await shutdown();'))).toEqual([]);
  });

  it('catch { log(error); } goes on: reported', () => {
    expect(ids(start('log(error);'))).toEqual([[16, 'leak']]);
  });

  it('migrate(…).catch(die) and .catch((e) => die()) at the top level end the process (no report); .catch(log) does not', () => {
    expect(ids(`${migrate}\nmigrate(['select 1']).catch(die);\n`)).toEqual([]);
    expect(ids(`${migrate}\nmigrate(['select 1']).catch(() => die());\n`)).toEqual([]);
    expect(ids(`${migrate}\nmigrate(['select 1']).catch(log);\n`)).toEqual([[16, 'leak']]);
  });
});

describe("the idle-timeout option in a local options object, and a socket kept in an element of the class's own field", () => {
  const options = (after: string): string => ts`
    import * as tls from 'node:tls';
    export function fetchPassword(host: string): void {
      const opts: tls.ConnectionOptions = {
        rejectUnauthorized: false,
        timeout: 10000,
      };
      ${after}
      const client = tls.connect(8883, host, opts, () => {
        client.write('hello');
      });
      client.on('data', () => client.end());
    }
  `;

  it("`const opts = { timeout: 10000 }` given by name arms the idle timeout: reported at the option", () => {
    expect(ids(options('if (process.env.LEGACY) opts.secureOptions = 4;'))).toEqual([[5, 'idleTimeoutOptionUnhandled']]);
  });

  it('an options object whose timeout other code sets is not read (no report)', () => {
    expect(ids(options('opts.timeout = Number(process.env.T);'))).toEqual([]);
  });

  const agent = (store: string, extra = ''): string => ts`
    import * as net from 'node:net';
    export class Agent {
      conns: Record<string, net.Socket> = {};
      byId = new Map<string, net.Socket>();
      start(id: string, port: number, host: string): void {
        const conn = net.createConnection(port, host);
        conn.on('data', (d) => console.log(d.length));
        conn.on('timeout', () => {
          console.log('timed out');
        });
        ${store}
      }
      stop(id: string): void {
        this.conns[id]?.end();
        delete this.conns[id];
        this.byId.get(id)?.destroy();
        this.byId.delete(id);
      }${extra}
    }
  `;

  it("kept in `this.conns[id]`, which the class hands nowhere: nothing arms its timeout (no report)", () => {
    expect(ids(agent('this.conns[id] = conn;'))).toEqual([]);
  });

  it('an element the class hands on may be armed elsewhere: the timeout listener is reported', () => {
    expect(ids(agent('this.conns[id] = conn;', '\n      get(id: string): net.Socket | undefined {\n        return this.conns[id];\n      }'))).toEqual([[8, 'timeoutNotReleased']]);
    expect(ids(agent('this.conns[id] = conn;', '\n      all(): net.Socket[] {\n        return Object.values(this.conns);\n      }'))).toEqual([[8, 'timeoutNotReleased']]);
  });
});

describe("a listener that ends the process, registered inside the creation's callback", () => {
  const shell = (body: string): string => ts`
    import * as net from 'node:net';
    export function shell(port: number): void {
      const client = net.createConnection({ port }, () => {
        client.on('data', (d) => process.stdout.write(d));
        client.on('end', () => {
          console.log('disconnected');
          ${body}
        });
      });
    }
  `;

  it('ends the socket\'s life there, as one registered directly does (no report)', () => {
    expect(ids(shell('process.exit();'))).toEqual([]);
  });

  it('one that only logs releases nothing: reported', () => {
    expect(ids(shell("console.log('bye');"))).toEqual([[3, 'leak']]);
  });
});

describe('a class with a public constructor that only its own static member constructs and keeps in a static field', () => {
  const service = (extra = ''): string => ts`
    import { Redis } from 'ioredis';
    export class CacheService {
      private redis: Redis;
      constructor(url: string) {
        this.redis = new Redis(url);
      }
      private static current: CacheService | undefined;
      static register(url: string): void {
        if (this.current !== undefined) throw new Error('already registered');
        this.current = new CacheService(url);
      }
      static instance(): CacheService {
        if (this.current === undefined) throw new Error('not registered');
        return this.current;
      }
      async get(key: string): Promise<string | null> {
        return this.redis.get(key);
      }
    }${extra}
  `;

  it('nothing else constructs it (its static members read elsewhere): the one instance is the process\'s (no report)', () => {
    expect(ids(service("\n    export function boot(): void {\n      CacheService.register('redis://127.0.0.1');\n      void CacheService.instance().get('k');\n    }"))).toEqual([]);
  });

  it('constructed outside its body too, or extended: reported', () => {
    expect(ids(service("\n    export function perCall(url: string): CacheService {\n      return new CacheService(url);\n    }"))).toEqual([[5, 'fieldNeverReleased']]);
    expect(ids(service('\n    export class Other extends CacheService {}'))).toEqual([[5, 'fieldNeverReleased']]);
  });
});

describe('a reconnect armed in a catch that leaves the function, with the field stored after its try', () => {
  const consumer = (handler: string): string => ts`
    import { WebSocket } from 'ws';
    export class Consumer {
      private socket: WebSocket | null = null;
      private closed = false;
      private timer: NodeJS.Timeout | null = null;
      constructor(private readonly url: string) {}
      start(): void {
        this.closed = false;
        this.connect();
      }
      close(): void {
        this.closed = true;
        if (this.timer) clearTimeout(this.timer);
        this.socket?.close();
        this.socket = null;
      }
      private connect(): void {
        if (this.closed) return;
        let socket: WebSocket | undefined;
        try {
          socket = new WebSocket(this.url);
        } catch {
          ${handler}
        }
        if (!socket) return;
        this.socket = socket;
        socket.on('close', () => {
          this.socket = null;
          this.scheduleReconnect();
        });
        socket.on('error', () => socket.close());
      }
      private scheduleReconnect(): void {
        if (this.closed) return;
        this.timer = setTimeout(() => this.connect(), 250);
      }
    }
  `;

  it('the run that re-arms returns before the store (no report)', () => {
    expect(ids(consumer('this.scheduleReconnect();\n          return;'))).toEqual([]);
  });

  it('a catch that goes on to the store after re-arming is not apart from it: reported at the store', () => {
    expect(ids(consumer('this.scheduleReconnect();\n          socket = new WebSocket(this.url);'))).toEqual([[27, 'fieldOverwritten']]);
  });
});

describe("Array.from's map function runs during the call, as a map() callback does", () => {
  const shards = (iterate: string): string => ts`
    import Redis from 'ioredis';
    export class Shards {
      private redis: Redis;
      constructor(url: string, private shardCount: number) {
        this.redis = new Redis(url);
      }
      async total(): Promise<number> {
        const counts = await Promise.all(${iterate});
        return counts.reduce((a, b) => a + b, 0);
      }
      async close(): Promise<void> {
        await this.redis.quit();
      }
    }
  `;

  it('Array.from({ length }, (_, i) => this.redis.zcard(…)) (no report), as [...].map(…) is', () => {
    expect(ids(shards('Array.from({ length: this.shardCount }, (_, i) => this.redis.zcard(`shard:${i}`))'))).toEqual([]);
    expect(ids(shards('[...Array(this.shardCount).keys()].map((i) => this.redis.zcard(`shard:${i}`))'))).toEqual([]);
  });

  it('a callback handed to a timer inside it still runs later: reported', () => {
    expect(ids(shards('Array.from({ length: this.shardCount }, (_, i) => new Promise<number>((resolve) => setTimeout(() => resolve(this.redis.zcard(`shard:${i}`)), 10)))'))).toEqual([[8, 'deferredUse']]);
  });
});

describe('a store followed only by a console.log of plain values, with the retry timer in the catch', () => {
  const bridge = (after: string): string => ts`
    import * as amqp from 'amqplib';
    let amqpChannel: amqp.Channel | undefined;
    export async function connectRabbitMQ(url: string, exchange: string): Promise<void> {
      let conn: amqp.ChannelModel | undefined;
      try {
        conn = await amqp.connect(url);
        const channel = await conn.createChannel();
        await channel.assertExchange(exchange, 'fanout', { durable: true });
        amqpChannel = channel;
        ${after}
      } catch (err) {
        await conn?.close();
        console.error('connection failed, retrying in 3s', (err as Error).message);
        setTimeout(() => void connectRabbitMQ(url, exchange), 3000);
      }
    }
    export function publish(exchange: string, body: string): void {
      if (amqpChannel) amqpChannel.publish(exchange, '', Buffer.from(body));
    }
  `;

  it('the log cannot throw into the catch: the re-arm and the store are apart (no report)', () => {
    expect(ids(bridge('console.log(`connected to exchange [${exchange}]`);'))).toEqual([]);
  });

  it('a call that can throw after the store runs the catch with the channel stored: reported at the store', () => {
    expect(ids(bridge('JSON.parse(exchange);'))).toEqual([[9, 'fieldOverwritten']]);
  });
});

describe('a callback run during the call by a method of another class, or by a call declared to return ReturnType<F>', () => {
  const queue = (runner: string): string => ts`
    import Redis from 'ioredis';
    class Telemetry {
      private pending: Array<() => unknown> = [];
      ${runner}
    }
    export class Queue {
      private redis: Redis;
      private telemetry = new Telemetry();
      constructor(url: string) {
        this.redis = new Redis(url);
      }
      async enqueue(key: string, v: string): Promise<void> {
        return this.telemetry.trace('enqueue', async () => {
          await this.redis.lpush(key, v);
        });
      }
      async close(): Promise<void> {
        await this.redis.quit();
      }
    }
  `;

  it('a method of another class that calls its parameter in its own body (no report)', () => {
    expect(ids(queue('async trace<T>(name: string, fn: (span: string) => Promise<T>): Promise<T> {\n        return fn(name);\n      }'))).toEqual([]);
  });

  it('one that waits for something first (a semaphore\'s turn), keeps it for later or hands it to a timer: reported', () => {
    expect(ids(queue('private turn = Promise.resolve();\n      async trace<T>(name: string, fn: () => Promise<T>): Promise<T> {\n        await this.turn;\n        return await fn();\n      }'))).toEqual([[18, 'deferredUse']]);
    expect(ids(queue('trace(name: string, fn: () => Promise<void>): Promise<void> {\n        this.pending.push(fn);\n        return Promise.resolve();\n      }'))).toEqual([[17, 'deferredUse']]);
    expect(ids(queue('trace(name: string, fn: () => Promise<void>): Promise<void> {\n        return new Promise((resolve) => setTimeout(() => resolve(fn()), 10));\n      }'))).toEqual([[16, 'deferredUse']]);
  });

  const traced = (signature: string): string => ts`
    import Redis from 'ioredis';
    interface Span { end(): void }
    interface Tracer {
      ${signature}
    }
    export class RunQueue {
      private redis: Redis;
      constructor(url: string, private tracer: Tracer) {
        this.redis = new Redis(url);
      }
      async length(key: string): Promise<number> {
        return this.#trace('length', async () => await this.redis.llen(key));
      }
      async #trace(name: string, fn: () => Promise<number>): Promise<number> {
        return this.tracer.startActiveSpan(name, async (span: Span) => {
          try {
            return await fn();
          } finally {
            span.end();
          }
        });
      }
      async quit(): Promise<void> {
        await this.redis.quit();
      }
    }
  `;

  it("a wrapper that calls it inside tracer.startActiveSpan(name, fn): ReturnType<F> (no report)", () => {
    expect(ids(traced('startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): ReturnType<F>;'))).toEqual([]);
  });

  it('a tracer method that returns something else may run it later: reported', () => {
    expect(ids(traced('startActiveSpan<F extends (span: Span) => unknown>(name: string, fn: F): any;'))).toEqual([[12, 'deferredUse']]);
  });
});

describe('two storing methods called in two cases of one switch that do not fall through are alternatives', () => {
  const conn = (cases: string): string => ts`
    import * as net from 'node:net';
    export class Conn {
      private socket: net.Socket | undefined;
      constructor(private host: string, private mode: 'a' | 'b', private port: number) {}
      connect(): void {
        switch (this.mode) {
          ${cases}
        }
      }
      private openA(): void {
        this.socket = net.createConnection({ host: this.host, port: this.port });
        this.socket.on('error', () => undefined);
      }
      private openB(): void {
        this.socket = net.createConnection({ host: this.host, port: this.port + 1 });
        this.socket.on('error', () => undefined);
      }
      kill(): void {
        this.socket?.destroy();
      }
    }
  `;

  it("case 'a': this.openA(); break; case 'b': this.openB(); (no report)", () => {
    expect(ids(conn("case 'a':\n            this.openA();\n            break;\n          case 'b':\n            this.openB();\n            break;"))).toEqual([]);
    expect(ids(conn("case 'a': {\n            this.openA();\n            return;\n          }\n          default:\n            this.openB();"))).toEqual([]);
  });

  it('a case that falls through into the other runs both stores: reported', () => {
    expect(ids(conn("case 'a':\n            this.openA();\n          case 'b':\n            this.openB();\n            break;"))).toEqual([
      [15, 'fieldOverwritten'],
      [19, 'fieldOverwritten'],
    ]);
  });
});

describe('a lazy store guarded by a field that holds a handle taken from the stored client', () => {
  const store = (fill: string, extra = ''): string => ts`
    import { MongoClient, Db } from 'mongodb';
    export class Store {
      client!: MongoClient;
      db!: Db;
      constructor(private readonly url: string) {}
      async getDb(): Promise<Db> {
        if (!this.db) {
          this.client = await MongoClient.connect(this.url);
          ${fill}
        }
        return this.db;
      }
      async close(): Promise<void> {
        if (this.client) await this.client.close();
      }
      async loadAll(ids: string[]) {
        return Promise.all(ids.map(async (id) => (await this.getDb()).collection('items').findOne({ id })));
      }${extra}
    }
  `;

  it("`this.db = this.client.db('app')` right after the store: the test of this.db guards it (no report)", () => {
    expect(ids(store("this.db = this.client.db('app');"))).toEqual([]);
  });

  it('a handle field cleared elsewhere, or filled from something else: reported at the store', () => {
    expect(ids(store("this.db = this.client.db('app');", '\n      reset(): void {\n        this.db = undefined as unknown as Db;\n      }'))).toEqual([[8, 'fieldOverwritten']]);
    expect(ids(store("this.db = new MongoClient(this.url).db('other');"))).toEqual([[8, 'fieldOverwritten']]);
  });
});

describe("a connection annotated with amqplib's `Connection` (the promise API's old name) and made by connect()", () => {
  const create = (annotation: string, use: string): string => ts`
    import * as amqp from 'amqplib';
    export async function createConnection(url: string): Promise<amqp.Channel | undefined> {
      try {
        const connection${annotation} = await amqp.connect(url);
        ${use}
      } catch (error) {
        console.error(error);
        return undefined;
      }
    }
  `;

  it('what connect() made has createChannel(): the stale annotation does not hide it (reported when createChannel() rejects)', () => {
    expect(ids(create('', 'const channel = await connection.createChannel();\n        return channel;'))).toEqual([[4, 'leak']]);
    expect(ids(create(': amqp.Connection', '// @ts-expect-error -- createChannel() is not on the old name in these typings\n        const channel: amqp.Channel = await connection.createChannel();\n        return channel;'))).toEqual([[4, 'leak']]);
  });

  it('a method the made value does not have either (added at run time) still marks the code as mistyped (no report)', () => {
    expect(ids(create(': amqp.Connection', '// @ts-expect-error -- not in the typings\n        await connection.shutdown();\n        return undefined;'))).toEqual([]);
  });
});

describe('runners known by their signature or, untyped, by name', () => {
  const runQueue = (field: string, call: string, head = ''): string => ts`
    import Redis from 'ioredis';
    ${head}
    export class RunQueue {
      private redis: Redis;
      ${field}
      constructor(url: string) {
        this.redis = new Redis(url);
      }
      async length(key: string): Promise<number> {
        return ${call};
      }
      async quit(): Promise<void> {
        await this.redis.quit();
      }
    }
  `;

  it("AsyncLocalStorage#run(store, callback): R runs the callback (no report)", () => {
    expect(ids(runQueue('private als = new AsyncLocalStorage<string>();', "this.als.run('ctx', () => this.redis.llen(key))", "import { AsyncLocalStorage } from 'node:async_hooks';"))).toEqual([]);
  });

  it('an untyped tracer: startActiveSpan(name, fn) by name (no report); another untyped method may defer it: reported', () => {
    expect(ids(runQueue('private tracer: any = undefined;', "this.tracer.startActiveSpan('length', () => this.redis.llen(key))"))).toEqual([]);
    expect(ids(runQueue('private tracer: any = undefined;', "this.tracer.schedule('length', () => this.redis.llen(key))"))).toEqual([[10, 'deferredUse']]);
  });
});

describe("a field socket whose 'close' listener reconnects through methods of the class (listener → method → timer → connect)", () => {
  const node = (onClose: string, destroy: string): string => ts`
    import WebSocket from 'ws';
    export class LinkNode {
      public socket: WebSocket | null = null;
      public destroyed = false;
      public attempts = 0;
      constructor(private readonly url: string, private readonly retryAmount: number) {}
      public connect(): void {
        this.socket = new WebSocket(this.url);
        this.socket.on('close', this.onClose.bind(this));
      }
      public reconnect(): void {
        setTimeout(() => {
          this.attempts++;
          this.connect();
        }, 1000);
      }
      protected onClose(): void {
        ${onClose}
      }
      public destroy(): void {
        ${destroy}
      }
    }
  `;

  it('a release that stops nothing on that path comes back: reconnectsAfterRelease at the release', () => {
    expect(ids(node('if (this.retryAmount > this.attempts) this.reconnect();', 'this.socket?.close();\n        this.destroyed = true;'))).toEqual([[21, 'reconnectsAfterRelease']]);
  });

  it('a flag the path reads, or the listeners removed first, stops it (no report)', () => {
    expect(ids(node('if (!this.destroyed && this.retryAmount > this.attempts) this.reconnect();', 'this.destroyed = true;\n        this.socket?.close();'))).toEqual([]);
    expect(ids(node('if (this.retryAmount > this.attempts) this.reconnect();', 'this.socket?.removeAllListeners();\n        this.socket?.close();'))).toEqual([]);
  });
});
