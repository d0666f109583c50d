/**
 * Shapes found in the forty-eighth session (what the forty-first triage left, and the forty-second triage), each
 * reduced to its general mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

/** Line and message id of each message. */
const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a release called on the internals of a resource seen through `any`', () => {
  const crash = (body: string): string => ts`
    import { Client } from 'pg';
    export async function crash(config: object): Promise<void> {
      const client = new Client(config);
      await client.connect();
      client.on('error', () => {});
      ${body}
    }
  `;

  it('(client as any).connection.stream.destroy() ends it: not reported', () => {
    expect(ids(crash('(client as any).connection.stream.destroy();'))).toEqual([]);
    expect(ids(crash('(<any>client).stream.end();'))).toEqual([]);
  });

  it('a call on the internals that releases nothing: reported', () => {
    expect(ids(crash('(client as any).connection.stream.pause();'))).toEqual([[3, 'leak']]);
  });

  it('a query that rejects before the destroy: the rejection path is named, not "any path"', () => {
    const messages = lintWithPlugin(
      crash(`
        try {
          await client.query('BEGIN');
          (client as any).connection.stream.destroy();
        } catch {
          // swallowed
        }
      `),
    );
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[3, 'leak']]);
    expect(messages[0]?.message).toContain('when query() at line');
  });
});

describe('a module variable stored by test cases and released by a hook between them', () => {
  const suite = (hook: string, cases = 'it'): string => ts`
    import { createServer, type RequestListener, type Server } from 'node:http';
    import { afterEach, beforeEach, describe, it } from 'node:test';
    declare const handler: RequestListener;
    let server: Server | undefined;
    ${hook}
    ${cases}('first', async () => {
      server = createServer(handler);
      await new Promise<void>((resolve) => server?.listen(0, resolve));
    });
    ${cases}('second', async () => {
      server = createServer(handler);
      await new Promise<void>((resolve) => server?.listen(0, resolve));
    });
  `;

  it('afterEach (or beforeEach) closes it: no test case replaces an open server', () => {
    expect(ids(suite('afterEach(() => { server?.close(); });'))).toEqual([]);
    expect(ids(suite('beforeEach(() => { server?.close(); });'))).toEqual([]);
    expect(ids(suite('afterEach(() => new Promise<void>((resolve) => server?.close(() => resolve())));'))).toEqual([]);
  });

  it('no hook, or a hook of another block: the second store may replace an open server', () => {
    expect(ids(suite(''))).toEqual([[7, 'fieldOverwritten'], [11, 'fieldOverwritten']]);
    expect(ids(suite('describe("other", () => { afterEach(() => { server?.close(); }); });'))).toEqual([[7, 'fieldOverwritten'], [11, 'fieldOverwritten']]);
  });

  it('a hook that does not release it: reported', () => {
    expect(ids(suite('afterEach(() => { server?.unref(); });'))).toEqual([[7, 'fieldOverwritten'], [11, 'fieldOverwritten']]);
  });
});

describe('a listener removed in a local cleanup helper', () => {
  const pair = (cleanup: string, call = 'cleanup();'): string => ts`
    import WebSocket from 'ws';
    export function pair(url: string): Promise<WebSocket> {
      return new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(url);
        const onOpen = (): void => {
          resolve(socket);
        };
        const cleanup = (): void => {
          ${cleanup}
        };
        socket.once('open', onOpen);
        socket.once('unexpected-response', () => {
          ${call}
          reject(new Error('refused'));
        });
      });
    }
  `;

  it('off() of the resolving listener hands nothing on: the reject without the socket is reported', () => {
    expect(ids(pair("socket.off('open', onOpen);"))).toEqual([[4, 'leak']]);
    expect(ids(pair("socket.removeListener('open', onOpen);"))).toEqual([[4, 'leak']]);
    expect(ids(pair('', "socket.off('open', onOpen);"))).toEqual([[4, 'leak']]);
  });

  it('a helper that closes it, or hands the resolving listener to a call: not reported', () => {
    expect(ids(pair("socket.off('open', onOpen); socket.terminate();"))).toEqual([]);
    expect(ids(pair('setImmediate(onOpen);'))).toEqual([]);
  });
});

describe('the same test of a name that cannot change, spelled again around the release', () => {
  const tx = (own: string, again = own): string => ts`
    import pg from 'pg';
    export async function withTx(clientOrPool: pg.ClientBase | pg.Pool, mode: string): Promise<void> {
      let client: pg.ClientBase;
      if (${own}) {
        client = await (clientOrPool as pg.Pool).connect();
      } else {
        client = clientOrPool as pg.ClientBase;
      }
      try {
        await client.query('BEGIN');
      } finally {
        if (${again}) (client as pg.PoolClient).release();
      }
    }
  `;

  it('instanceof, typeof or a comparison with a literal, written twice: not reported', () => {
    expect(ids(tx('clientOrPool instanceof pg.Pool'))).toEqual([]);
    expect(ids(tx("typeof clientOrPool !== 'object'", "'object' != typeof clientOrPool"))).toEqual([]);
    expect(ids(tx("mode === 'own'", "!(mode !== 'own')"))).toEqual([]);
  });

  it('another test, or a name assigned in between: reported', () => {
    expect(ids(tx("mode === 'own'", "mode === 'pool'"))).toEqual([[5, 'leak']]);
    expect(ids(tx('clientOrPool instanceof pg.Pool', 'clientOrPool instanceof pg.Client'))).toEqual([[5, 'leak']]);
    expect(ids(tx("mode === 'own'", "(mode = 'x') === 'own'"))).toEqual([[5, 'leak']]);
  });
});

describe("a script's entry function: rejections that end the process", () => {
  const script = (helperAwait: string, start: string): string => ts`
    import Redis from 'ioredis';
    async function open(url: string): Promise<Redis> {
      const redis = new Redis(url, { lazyConnect: true });
      await redis.connect();
      return redis;
    }
    async function main(): Promise<void> {
      let redis: Redis | null = null;
      ${helperAwait}
    }
    ${start}
  `;
  const inTryFinally = "try { redis = await open(''); await redis.del('k'); } finally { await redis?.quit(); }";

  it('a handler that takes the rejection, then a finally that exits: not reported', () => {
    expect(ids(script("redis = await open(''); await redis.quit();", 'main().catch((e) => { console.error(e); }).finally(() => process.exit(0));'))).toEqual([]);
    expect(ids(script("redis = await open(''); await redis.quit();", 'main().then(undefined, (e) => console.error(e)).then(() => process.exit(0));'))).toEqual([]);
  });

  it('a handler that takes the rejection and nothing exits after it: reported', () => {
    expect(ids(script("redis = await open(''); await redis.quit();", 'main().catch((e) => { console.error(e); }).finally(() => console.log("done"));'))).toEqual([[3, 'leak']]);
  });

  it('the helper awaited in a try block with only a finally: the rejection goes on out of main()', () => {
    expect(ids(script(inTryFinally, 'main().catch((e) => { console.error(e); process.exit(1); });'))).toEqual([]);
  });

  it('a finally block that returns swallows it: reported', () => {
    const swallowing = "try { redis = await open(''); await redis.del('k'); } finally { await redis?.quit(); return; }";
    expect(ids(script(swallowing, 'main().catch((e) => { console.error(e); process.exit(1); });'))).toEqual([[3, 'leak']]);
  });

  it('`export const x = await f()` at the top level, as a plain `const`: not reported', () => {
    const top = (decl: string): string => ts`
      import Redis from 'ioredis';
      const open = async (): Promise<Redis> => {
        const redis = new Redis('', { lazyConnect: true });
        await redis.connect();
        return redis;
      };
      ${decl}
    `;
    expect(ids(top('export const redis = await open();'))).toEqual([]);
    expect(ids(top('const redis = await open(); export { redis };'))).toEqual([]);
    expect(ids(top('export const redis = open();'))).toEqual([[3, 'leak']]);
  });
});

describe('a method of another client of its kind run on this one with call()', () => {
  const get = (call: string): string => ts`
    import Redis from 'ioredis';
    import { promisify } from 'node:util';
    const shared = new Redis();
    const redisGet = shared.get;
    export async function get(key: string, url: string): Promise<unknown> {
      const client = new Redis(url);
      return ${call};
    }
  `;

  it('redisGet.call(client, key) uses it: the client made per call is reported', () => {
    expect(ids(get('await redisGet.call(client, key)'))).toEqual([[6, 'leak']]);
    expect(ids(get('await promisify(shared.get).call(client, key)'))).toEqual([[6, 'leak']]);
  });

  it('a function of the file given it as `this`, or another function: a hand-off as before', () => {
    expect(ids(get('await Reflect.apply(Function.prototype, client, [])'))).toEqual([]);
  });
});

describe('a client created idle until its first use', () => {
  it('ioredis with lazyConnect: true holds nothing until connect() or a command', () => {
    const code = (options: string, body: string): string => ts`
      import Redis from 'ioredis';
      export async function ping(url: string, skip: boolean): Promise<string | undefined> {
        const r = new Redis(url${options});
        ${body}
        try {
          await r.connect();
          return await r.ping();
        } finally {
          r.disconnect();
        }
      }
    `;
    expect(ids(code(', { lazyConnect: true }', 'if (skip) return undefined;'))).toEqual([]);
    expect(ids(code(', { lazyConnect: false }', 'if (skip) return undefined;'))).toEqual([[3, 'leak']]);
    expect(ids(code('', 'if (skip) return undefined;'))).toEqual([[3, 'leak']]);
    expect(ids(code(', { lazyConnect: true }', "await r.get('k'); if (skip) return undefined;"))).toEqual([[3, 'leak']]);
  });

  it('a factory of the file returning one it made idle and only listened to: dropping its result holds nothing', () => {
    const code = (factoryBody: string): string => ts`
      import postgres from 'postgres';
      export function createDb(url: string): postgres.Sql {
        ${factoryBody}
      }
      export function check(): void {
        try {
          createDb('');
        } catch (err) {
          console.log(err);
        }
      }
    `;
    expect(ids(code("const sql = postgres(url, { max: 1 }); console.info('created'); return sql;"))).toEqual([]);
    expect(ids(code('return postgres(url);'))).toEqual([]);
    expect(ids(code("const sql = postgres(url); void sql`select 1`; return sql;"))).toEqual([[7, 'leak']]);
  });
});

describe('a test file that mocks the module a socket comes from', () => {
  const test = (mock: string): string => ts`
    import * as tls from 'node:tls';
    declare const jest: { mock(moduleName: string, factory?: () => unknown): void };
    declare function test(name: string, fn: () => void): void;
    ${mock}
    test('wraps tls.connect', () => {
      tls.connect({ host: 'localhost', port: 443 });
    });
  `;

  it("jest.mock('tls') (or 'node:tls', with a factory): its stubs open nothing", () => {
    expect(ids(test("jest.mock('tls');"))).toEqual([]);
    expect(ids(test("jest.mock('node:tls', () => ({ connect: () => undefined }));"))).toEqual([]);
  });

  it('another module mocked, or none: reported', () => {
    expect(ids(test("jest.mock('net');"))).toEqual([[6, 'leak']]);
    expect(ids(test(''))).toEqual([[6, 'leak']]);
  });

  it('an async wrapper of the project awaited in the test, and a mocked server given a handler: stubs too', () => {
    const wrapped = (mock: string): string => ts`
      import * as https from 'node:https';
      import * as tls from 'node:tls';
      declare const jest: { mock(moduleName: string): void };
      declare function test(name: string, fn: () => Promise<void>): void;
      ${mock}
      async function connect(host: string): Promise<tls.TLSSocket> {
        await Promise.resolve();
        return tls.connect({ host, port: 443 });
      }
      test('wraps', async () => {
        await connect('localhost');
        https.createServer({}, (_req, res) => res.end('ok')).listen(0);
      });
    `;
    expect(ids(wrapped("jest.mock('tls'); jest.mock('https');"))).toEqual([]);
    expect(ids(wrapped(''))).toEqual([[11, 'leak'], [12, 'leak']]);
  });
});

describe('a MongoClient field cleared where nothing can be open', () => {
  const db = (connect: string, extra = ''): string => ts`
    import { MongoClient } from 'mongodb';
    export class Db {
      client: MongoClient | null = null;
      connected = false;
      reset(): void {
        this.connected = false;
        this.client = null;
      }
      async destroy(): Promise<void> {
        if (this.connected && this.client) {
          await this.client.close(true);
          this.reset();
        }
      }
      async connect(url: string): Promise<void> {
        if (this.connected) return;
        ${connect}
      }
      ${extra}
    }
  `;

  it('in the catch of a try that stores it and then only awaits its connect(): not reported', () => {
    expect(ids(db('try { this.client = new MongoClient(url); await this.client.connect(); this.connected = true; } catch (err) { this.reset(); throw err; }'))).toEqual([]);
  });

  it('a catch that can follow another operation of the open client: reported', () => {
    expect(ids(db("try { this.client = new MongoClient(url); await this.client.connect(); await this.client.db('a').command({ ping: 1 }); this.connected = true; } catch (err) { this.reset(); throw err; }"))).toEqual([[17, 'leak']]);
  });

  it("its own 'close' or 'topologyClosed' listener clears it: not reported", () => {
    for (const event of ['close', 'topologyClosed']) {
      expect(ids(db(`this.client = new MongoClient(url); await this.client.connect(); this.connected = true; this.client.on('${event}', () => this.reset());`))).toEqual([]);
    }
  });
});

describe('a deadline timer whose handle is reset to null after clearTimeout()', () => {
  const probe = (reset: string): string => ts`
    import * as net from 'node:net';
    export function probe(host: string, port: number, ms: number): Promise<string> {
      return new Promise((resolve) => {
        let timer: NodeJS.Timeout | null = null;
        const socket = net.connect({ host, port, timeout: ms });
        const done = (result: string): void => {
          if (timer) {
            clearTimeout(timer);
            ${reset}
          }
          socket.destroy();
          resolve(result);
        };
        timer = setTimeout(() => done('timeout'), ms);
        socket.on('data', () => done('up'));
        socket.on('error', () => done('error'));
      });
    }
  `;

  it('timer = null (or undefined) is no other timer: the deadline releases it, the idle timeout adds nothing', () => {
    expect(ids(probe('timer = null;'))).toEqual([]);
    expect(ids(probe('timer = undefined;'))).toEqual([]);
  });

  it('another timer stored in the handle: the idle timeout is reported as before', () => {
    expect(ids(probe('timer = setTimeout(() => {}, 10);'))).toEqual([[5, 'idleTimeoutOptionUnhandled']]);
  });
});

describe('a query of postgres.js written as a tagged template', () => {
  const code = (body: string): string => ts`
    import postgres from 'postgres';
    const sql = postgres({ host: '127.0.0.1' });
    export async function one(url: string): Promise<void> {
      ${body}
    }
  `;

  it('an awaited tagged query that rejects before the release: reported on that path', () => {
    const messages = lintWithPlugin(code('const connection = await sql.reserve(); await connection`select 1`; connection.release();'));
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[4, 'leak']]);
    expect(messages[0]?.message).toContain('when the query at line 4 rejects');
    expect(ids(code('const db = postgres(url); await db`select 1`; await db.end();'))).toEqual([[4, 'leak']]);
  });

  it('released in a finally: not reported', () => {
    expect(ids(code('const connection = await sql.reserve(); try { await connection`select 1`; } finally { connection.release(); }'))).toEqual([]);
  });
});

describe("a store in a timer armed by the old socket's 'close' listener given as a bound method", () => {
  const feed = (register: string): string => ts`
    import WebSocket from 'ws';
    class Feed {
      private connection: WebSocket;
      public constructor(private readonly url: string) {
        this.connection = new WebSocket(url);
        this.connect();
      }
      public connect(): void {
        ${register}
      }
      private onClose(): void {
        setTimeout(() => {
          this.connection = new WebSocket(this.url);
          this.connect();
        }, 5000);
      }
    }
    new Feed(process.env.FEED_URL ?? 'ws://127.0.0.1:9000');
  `;

  it("this.connection.on('close', this.onClose.bind(this)): it replaces a closed socket", () => {
    expect(ids(feed("this.connection.on('close', this.onClose.bind(this));"))).toEqual([]);
    expect(ids(feed("this.connection.on('close', () => this.onClose());"))).toEqual([]);
  });

  it("bound to another event ('message'): the store may replace an open socket", () => {
    expect(ids(feed("this.connection.on('message', this.onClose.bind(this));"))).toEqual([[13, 'fieldOverwritten']]);
  });
});

describe("a socket made in a callback inside a test case whose done() runs only in the socket's closed listener", () => {
  const test = (listener: string): string => ts`
    import * as net from 'node:net';
    declare function it(name: string, fn: (done: (err?: unknown) => void) => void): void;
    declare const app: { listen(cb: () => void): void; port: number };
    it('answers 400', (done) => {
      app.listen(() => {
        const socket = net.connect(app.port);
        socket.write('GET / HTTP/1.1\\r\\n\\r\\n');
        ${listener}
      });
    });
  `;

  it("done() in its 'end' or 'close' listener: the test ends once the peer closed it", () => {
    expect(ids(test("socket.on('end', () => done());"))).toEqual([]);
    expect(ids(test("socket.on('close', done);"))).toEqual([]);
  });

  it('done() also from a timer, or only on an error: reported', () => {
    expect(ids(test("setTimeout(() => done(new Error('late')), 100); socket.on('end', () => done());"))).toEqual([[6, 'leak']]);
    expect(ids(test("socket.on('error', (e) => done(e));"))).toEqual([[6, 'leak']]);
  });
});

describe("a socket's own release given as its listener", () => {
  const code = (listener: string): string => ts`
    import * as net from 'node:net';
    export function relay(port: number): void {
      const socket = net.connect(port);
      ${listener}
      socket.write('hello');
    }
  `;

  it("socket.on('end', socket.end): released when the peer ends", () => {
    expect(ids(code("socket.on('end', socket.end);"))).toEqual([]);
  });

  it("given to another emitter, or a method that releases nothing: reported", () => {
    expect(ids(code("process.on('exit', socket.end);"))).toEqual([[3, 'leak']]);
    expect(ids(code("socket.on('end', socket.pause);"))).toEqual([[3, 'leak']]);
  });
});

describe('a server with a handler that never listens', () => {
  it('made by a factory that registers the caller’s handler, in a test: holds no handle', () => {
    const code = ts`
      import * as https from 'node:https';
      import type { IncomingMessage, ServerResponse } from 'node:http';
      async function createServer(handler?: (req: IncomingMessage, res: ServerResponse) => void): Promise<https.Server> {
        const server = https.createServer({ requestCert: true });
        if (handler) server.on('request', handler);
        return server;
      }
      declare function test(name: string, fn: () => Promise<void>): void;
      test('wraps the handler', async () => {
        const server = await createServer((_req, res) => res.end('ok'));
        server.emit('request', {}, {});
      });
    `;
    expect(ids(code)).toEqual([]);
  });

  it('one that listens is reported as before', () => {
    const code = ts`
      import * as https from 'node:https';
      declare function test(name: string, fn: () => Promise<void>): void;
      test('serves', async () => {
        const server = https.createServer({}, (_req, res) => res.end('ok'));
        server.listen(0);
      });
    `;
    expect(ids(code)).toEqual([[4, 'leak']]);
  });
});

describe('a handle that borrows the resource: its awaited work rejects with the resource open', () => {
  const code = (body: string): string => ts`
    import mysql from 'mysql2/promise';
    declare class Queue {
      constructor(pool: mysql.Pool);
      drop(): Promise<void>;
    }
    declare function wrap(con: mysql.Connection): { run(): Promise<void> };
    declare function migrate(db: { run(): Promise<void> }): Promise<void>;
    export async function run(url: string): Promise<void> {
      ${body}
    }
  `;

  it('new Queue(pool) then await mq.drop() before pool.end(): reported on that rejection', () => {
    expect(ids(code('const pool = mysql.createPool(url); const mq = new Queue(pool); await mq.drop(); await pool.end();'))).toEqual([[9, 'leak']]);
  });

  it('const db = wrap(con); await migrate(db) before con.end(): reported', () => {
    const messages = lintWithPlugin(code('const con = await mysql.createConnection(url); const db = wrap(con); await migrate(db); await con.end();'));
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[9, 'leak']]);
    expect(messages[0]?.message).toContain('migrate() at line 9 rejects');
  });

  it('released in a finally: not reported', () => {
    expect(ids(code('const pool = mysql.createPool(url); const mq = new Queue(pool); try { await mq.drop(); } finally { await pool.end(); }'))).toEqual([]);
  });
});

describe('a creation awaited through .catch(handler)', () => {
  const wrapper = (close: string): string => ts`
    import { MongoClient } from 'mongodb';
    export class Wrapper {
      client: MongoClient | null | void = null;
      constructor(private readonly url: string) {}
      async connect(): Promise<void> {
        this.client = await MongoClient.connect(this.url).catch((err) => {
          console.error(err);
        });
      }
      async close(): Promise<void> {
        ${close}
      }
    }
  `;

  it('the connected client is stored: a class that never closes it is reported', () => {
    expect(ids(wrapper('console.log("bye");'))).toEqual([[6, 'fieldNeverReleased']]);
  });

  it('closed by the class: not reported', () => {
    expect(ids(wrapper('await this.client?.close();'))).toEqual([]);
  });
});

describe('a field cleared in a catch that only the creation itself can reach', () => {
  const home = (after: string): string => ts`
    import WebSocket from 'ws';
    export class Home {
      socket: WebSocket | null = null;
      cleanup(): void {
        this.socket = null;
      }
      close(): void {
        this.socket?.close();
      }
      connect(url: string): void {
        try {
          const ws = new WebSocket(url);
          this.socket = ws;
          ${after}
        } catch {
          this.cleanup();
        }
      }
    }
  `;

  it('after the store only listener registrations: not reported', () => {
    expect(ids(home("ws.on('error', () => ws.close()); ws.on('close', () => this.cleanup());"))).toEqual([]);
  });

  it('after the store a call that can throw: reported', () => {
    expect(ids(home("ws.send('hello');"))).toEqual([[12, 'leak']]);
  });
});

describe('a short-lived server and an awaited call of a method returning void', () => {
  const flow = (ret: string, body: string): string => ts`
    import * as net from 'node:net';
    declare const client: { handshake(): ${ret} };
    export async function run(): Promise<void> {
      const server = net.createServer((socket) => socket.end());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      ${body}
      server.close();
    }
  `;

  it('awaiting what is no promise cannot reject: not reported', () => {
    expect(ids(flow('void', 'await client.handshake();'))).toEqual([]);
  });

  it('a method returning a promise: reported on its rejection', () => {
    expect(ids(flow('Promise<void>', 'await client.handshake();'))).toEqual([[4, 'leak']]);
  });
});

describe("a release in a helper method behind a test of its parameter that a call's literal makes false", () => {
  const conn = (calls: string): string => ts`
    import * as net from 'node:net';
    export class Conn {
      constructor(private socket: net.Socket) {}
      close(): void {
        this.socket.destroy();
      }
      reply(code: number, message: string): void {
        this.socket.write(code + ' ' + message);
        if (code >= 500) this.close();
      }
      greet(): void {
        ${calls}
      }
    }
  `;

  it('reply(334) then reply(250): neither can close it', () => {
    expect(ids(conn("this.reply(334, 'go on'); this.reply(250, 'ok');"))).toEqual([]);
  });

  it('reply(535) closes it: the reply after it is a use after release', () => {
    expect(ids(conn("this.reply(535, 'bad'); this.reply(250, 'ok');"))).toEqual([[12, 'useAfterRelease']]);
  });
});

describe("a tunnel whose upstream, held in a variable of the handler, a local teardown() releases", () => {
  const proxy = (teardown: string): string => ts`
    import * as net from 'node:net';
    export function front(port: number): net.Server {
      return net.createServer((client: net.Socket) => {
        let inner: net.Socket | null = null;
        function teardown(): void {
          client.destroy();
          ${teardown}
        }
        client.on('error', () => teardown());
        client.on('close', () => teardown());
        const sock = net.connect(port + 1, '127.0.0.1');
        inner = sock;
        client.pipe(sock);
        sock.pipe(client);
        sock.on('error', () => teardown());
        sock.on('close', () => teardown());
      }).listen(port);
    }
  `;

  it('teardown() destroys the holder: not reported', () => {
    expect(ids(proxy('inner?.destroy();'))).toEqual([]);
  });

  it('teardown() leaves it: reported when the client fails', () => {
    expect(ids(proxy('console.log(inner === null);'))).toEqual([[11, 'leak']]);
  });
});

describe('a connection lent in an options literal to a function of another module, then released', () => {
  const stream = (release: string): string => ts`
    import type { Pool, PoolConnection } from 'mysql2/promise';
    declare function columns(o: { connection: PoolConnection; table: string }): Promise<string[]>;
    export async function read(pool: Pool, table: string): Promise<string[]> {
      const connection = await pool.getConnection();
      ${release}
    }
  `;

  it('its rejection skips the release: reported', () => {
    expect(ids(stream('const found = await columns({ connection, table }); connection.release(); return found;'))).toEqual([[4, 'leak']]);
  });

  it('released in a finally: not reported', () => {
    expect(ids(stream('try { return await columns({ connection, table }); } finally { connection.release(); }'))).toEqual([]);
  });
});

describe('a test double of one of its methods', () => {
  it("sinon's stub(client, 'm') hands nothing on: the client never closed is reported", () => {
    const code = ts`
      import { createClient } from 'redis';
      declare const sinon: { stub(o: object, m: string): { resolves(v: unknown): void } };
      export async function setup(): Promise<void> {
        const client = createClient();
        await client.connect();
        sinon.stub(client, 'xAdd').resolves('1');
      }
    `;
    expect(ids(code)).toEqual([[4, 'leak']]);
  });
});

describe("a subscriber released by a named function given to the request's abort signal", () => {
  const route = (cleanup: string, register: string): string => ts`
    import { Client } from 'pg';
    export function GET(request: Request): Response {
      const stream = new ReadableStream({
        async start(controller) {
          const client = new Client({ connectionString: process.env.DATABASE_URL });
          await client.connect();
          await client.query('LISTEN notifications');
          client.on('notification', (msg) => controller.enqueue(String(msg.payload)));
          ${cleanup}
          ${register}
        },
      });
      return new Response(stream);
    }
  `;

  it('serves only until the request goes away: its LISTEN rejecting leaves it open (reported)', () => {
    expect(ids(route('async function cleanup() { await client.end(); }', "request.signal.addEventListener('abort', cleanup);"))).toEqual([[5, 'leak']]);
    expect(ids(route('const cleanup = () => { void client.end(); };', "request.signal.addEventListener('abort', cleanup);"))).toEqual([[5, 'leak']]);
  });

  it('no release anywhere: a subscriber for the life of the process (not reported)', () => {
    expect(ids(route('', ''))).toEqual([]);
  });
});
