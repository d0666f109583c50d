/**
 * Shapes found in the forty-fourth session (what earlier triages left, and the thirty-eighth triage), each reduced
 * to its general mechanism, with the counterpart that must stay as it was.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintJsWithPlugin, lintWithPlugin, ts } from '../rule-tester';

/** Line and message id of each message. */
const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);
const messages = (code: string): string[] => lintWithPlugin(code).map((m) => m.message);

describe('a shared client opened and closed by one call of a function: that call owns the connection', () => {
  const redisHere = (body: string): string => ts`
    import { createClient } from 'redis';
    const client = createClient({ url: process.env.REDIS_URL });
    export async function remove(id: string): Promise<boolean> {
      ${body}
    }
  `;

  it('left connected when an operation rejects before the release: reported at the connect()', () => {
    const code = redisHere(`await client.connect();
      try {
        await client.del(id);
        await client.disconnect();
        return true;
      } catch {
        return false;
      }`);
    expect(ids(code)).toEqual([[4, 'leak']]);
    expect(messages(code)[0]).toMatch(/not released when del\(\) at line 6 rejects/);
  });

  it('released in a finally, or after a catch that lets the path on: nothing to report', () => {
    expect(ids(redisHere(`await client.connect();
      try {
        await client.del(id);
        return true;
      } finally {
        await client.disconnect();
      }`))).toEqual([]);
    expect(ids(redisHere(`await client.connect();
      let ok = true;
      try {
        await client.del(id);
      } catch {
        ok = false;
      }
      await client.quit();
      return ok;`))).toEqual([]);
  });

  it('a function that only connects (start-up), or releases only in a catch (kept on success), owns nothing', () => {
    expect(ids(redisHere(`await client.connect();
      await client.del(id);
      return true;`))).toEqual([]);
    expect(ids(redisHere(`try {
        await client.connect();
        await client.del(id);
        return true;
      } catch {
        await client.disconnect();
        return false;
      }`))).toEqual([]);
  });

  it('a connect() only when the client holds nothing shares it: what it leaves open, the next call uses', () => {
    expect(ids(redisHere(`if (!client.isOpen) await client.connect();
      await client.del(id);
      await client.disconnect();
      return true;`))).toEqual([]);
    expect(ids(redisHere(`client.isOpen || (await client.connect());
      await client.del(id);
      await client.disconnect();
      return true;`))).toEqual([]);
  });

  it('a release only in a callback the function registers is not its own: nothing owned', () => {
    expect(ids(redisHere(`await client.connect();
      process.once('SIGTERM', () => void client.quit());
      await client.del(id);
      return true;`))).toEqual([]);
  });

  it('the imported client of another module (node-redis, MongoClient, pg Client) is owned the same way', () => {
    const code = ts`
      import { redis, mongo, pgClient } from './shared-clients';
      export async function a(id: string): Promise<void> {
        await redis.connect();
        await redis.set(id, '1');
        await redis.quit();
      }
      export async function b(): Promise<number> {
        await mongo.connect();
        const n = await mongo.db('app').collection('jobs').countDocuments();
        await mongo.close();
        return n;
      }
      export async function c(): Promise<number> {
        await pgClient.connect();
        const res = await pgClient.query('select 1');
        await pgClient.end();
        return res.rowCount ?? 0;
      }
    `;
    expect(ids(code)).toEqual([
      [3, 'leak'],
      [8, 'leak'],
      [14, 'leak'],
    ]);
  });

  it('a module variable given another client, or a local client, is not a shared one', () => {
    expect(ids(ts`
      import { createClient, type RedisClientType } from 'redis';
      let client: RedisClientType = createClient();
      export function reset(): void {
        client = createClient();
      }
      export async function remove(id: string): Promise<void> {
        await client.connect();
        await client.del(id);
        await client.quit();
      }
    `)).toEqual([]);
  });
});

describe("mongodb's callback form, `MongoClient.connect(url, (err, client) => …)`, against typings without it", () => {
  const cjsDir = path.join(__dirname, '..', 'fixtures-cjs');
  const js = (body: string): Array<[number, string | undefined]> =>
    lintJsWithPlugin(
      ts`
        const MongoClient = require('mongodb').MongoClient;
        function find(url, id, done) {
          MongoClient.connect(url, (err, client) => {
            if (err) return done(err);
            ${body}
          });
        }
        module.exports = { find };
      `,
      cjsDir,
    ).map((m) => [m.line, m.messageId]);

  it('the callback owns the client: never closed, it is reported at the connect()', () => {
    expect(js("client.db('app').collection('users').findOne({ id }).then((u) => done(null, u));")).toEqual([[3, 'leak']]);
    expect(ids(ts`
      import { MongoClient } from 'mongodb';
      export function drop(url: string, id: string): void {
        // @ts-expect-error the callback form left the typings in mongodb 5
        MongoClient.connect(url, (err: Error | undefined, client: MongoClient) => {
          if (err) throw err;
          void client.db('app').collection('users').deleteOne({ id });
        });
      }
    `)).toEqual([[4, 'leak']]);
  });

  it('closed when the operation settles, or handed on to the caller: nothing to report', () => {
    expect(js("client.db('app').collection('users').findOne({ id }).then((u) => done(null, u)).finally(() => client.close());")).toEqual([]);
    expect(js('done(null, client);')).toEqual([]);
  });
});

describe('a test of the resource’s own release method asks whether there is a resource', () => {
  const load = (test: string): string => ts`
    import { Pool, type PoolClient } from 'pg';
    export async function load(pool: Pool, name: string): Promise<string> {
      let client: PoolClient | undefined;
      try {
        client = await pool.connect();
        const r = await client.query('SELECT 1 WHERE $1 = $1', [name]);
        return String(r.rowCount);
      } catch {
        return '';
      } finally {
        if (${test}) client.release();
      }
    }
  `;

  it('`client?.release`, `typeof client?.release === "function"`: released on every path (no report)', () => {
    expect(ids(load('client?.release'))).toEqual([]);
    expect(ids(load("typeof client?.release === 'function'"))).toEqual([]);
    expect(ids(load('client && client.release'))).toEqual([]);
  });

  it('a test of something else about it still leaves the path where it is false', () => {
    expect(ids(load('client?.release && name.length > 3'))).toEqual([[5, 'leak']]);
  });
});

describe('a script body run by a runner of the project that ends the process when it rejects', () => {
  const script = (runner: string, head = "import { runMain, runLogged } from './run-main';"): string => ts`
    import pg from 'pg';
    ${head}
    ${runner}(async () => {
      const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
      // (Two queries: a failed pool.query() ends its own client, so only the second leaves the first's idle one.)
      await pool.query('select true');
      await pool.query('select false');
      await pool.end();
    });
  `;

  it('`runMain(async () => { … })` with `main().catch((e) => { …; process.exit(1); })`: a rejection ends the process (no report)', () => {
    expect(ids(script('runMain'))).toEqual([]);
    expect(ids(script('runHere', `void runMain; void runLogged;
    function runHere(main: () => Promise<void>): void {
      main().catch((e: unknown) => {
        console.error(e);
        process.exit(1);
      });
    }`))).toEqual([]);
  });

  it('`const { runMain } = require(…)` of a CommonJS module whose `exports.runMain` exits: the same (no report)', () => {
    const cjsDir = path.join(__dirname, '..', 'fixtures-cjs');
    const run = (head: string): Array<[number, string | undefined]> =>
      lintJsWithPlugin(
        ts`
          ${head}
          const pg = require('pg');
          runMain(async () => {
            const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
            await pool.query('select true');
            await pool.query('select false');
            await pool.end();
          });
        `,
        cjsDir,
      ).map((m) => [m.line, m.messageId]);
    expect(run("const { runMain } = require('./run-utils');")).toEqual([]);
    expect(run('const runMain = (main) => { main().catch((e) => console.error(e)); };')).toEqual([[4, 'leak']]);
  });

  it('a runner that only logs, or keeps the function, leaves the process running with the pool open', () => {
    expect(ids(script('runLogged'))).toEqual([[4, 'leak']]);
    expect(ids(script('runKept', `void runMain; void runLogged;
    const jobs: Array<() => Promise<void>> = [];
    function runKept(main: () => Promise<void>): void {
      jobs.push(main);
      main().catch(() => process.exit(1));
    }`))).toEqual([[9, 'leak']]);
  });
});

describe('the object that runs a callback, stopped before the release: a callback that is not async runs no more', () => {
  const agent = (callback: string, stop: string): string => ts`
    import * as mqtt from 'mqtt';
    interface Ticker {
      readonly isRunning: boolean;
      start(ms: number, cb: () => void | Promise<void>): void;
      stop(): void;
    }
    export class Agent {
      private client?: mqtt.MqttClient;
      constructor(private readonly url: string, private readonly heartbeat: Ticker) {}
      start(): void {
        this.client = mqtt.connect(this.url);
        this.heartbeat.start(60_000, ${callback});
      }
      checkIn(): void {
        this.client!.publish('status', 'up');
      }
      stop(): void {
        ${stop}
        if (this.client) this.client.end();
      }
    }
  `;

  it('`this.heartbeat.stop()` (guarded by its running state or not) before `end()`: no report', () => {
    expect(ids(agent('() => { this.checkIn(); }', 'if (this.heartbeat.isRunning) this.heartbeat.stop();'))).toEqual([]);
    expect(ids(agent('() => { this.checkIn(); }', 'this.heartbeat.stop();'))).toEqual([]);
  });

  it('an async callback may be under way when it is stopped; not stopped at all, it runs on', () => {
    expect(ids(agent('async () => { await Promise.resolve(); this.checkIn(); }', 'this.heartbeat.stop();'))).toEqual([[12, 'deferredUse']]);
    expect(ids(agent('() => { this.checkIn(); }', 'console.log("stopping");'))).toEqual([[12, 'deferredUse']]);
  });
});

describe('a liveness flag set through a setter method (`this.setOnline(false)` in the close listener)', () => {
  const light = (onClose: string): string => ts`
    import * as net from 'node:net';
    export class Light {
      private client: net.Socket | null = null;
      private isOnline = false;
      start(): void {
        this.client = new net.Socket();
        this.client.on('close', () => ${onClose});
        this.client.connect(5577, '127.0.0.1', () => this.setOnline(true));
        setInterval(() => this.ping(), 1000);
      }
      setOnline(val: boolean): void {
        this.isOnline = val;
        if (!val) console.log('offline');
      }
      ping(): void {
        if (!this.isOnline) return;
        this.client!.write('ping');
      }
      stop(): void {
        this.client?.destroy();
      }
    }
  `;

  it('the setter given false where the socket closes makes the flag a liveness guard (no report)', () => {
    expect(ids(light('this.setOnline(false)'))).toEqual([]);
    expect(ids(light('{ this.isOnline = false; }'))).toEqual([]);
  });

  it('nothing clears the flag when the socket closes: the interval writes to a closed socket', () => {
    expect(ids(light('console.log("closed")'))).toEqual([[9, 'deferredUse']]);
  });
});

describe("a wait on another resource's 'error' (a listen that fails) is an exit by rejection for the function's other resources", () => {
  const forward = (wait: string): string => ts`
    import * as net from 'node:net';
    import { Client } from 'ssh2';
    declare function connectSsh(host: string): Promise<Client>;
    export async function forward(host: string, dbPort: number): Promise<{ port: number; dispose: () => void }> {
      const conn = await connectSsh(host);
      const server = net.createServer((socket) => {
        conn.forwardOut('127.0.0.1', 0, '127.0.0.1', dbPort, (err, stream) => {
          if (err) return socket.destroy();
          socket.pipe(stream).pipe(socket);
        });
      });
      ${wait}
      const port = (server.address() as net.AddressInfo).port;
      return { port, dispose: () => { server.close(); conn.end(); } };
    }
  `;
  const listen = `await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });`;

  it('the connection is left open when the listen fails: reported where it is made', () => {
    const messages = lintWithPlugin(forward(listen));
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[5, 'leak']]);
    expect(messages[0]?.message).toMatch(/when the promise at line 12 rejects \(on the net\.Server's 'error'\)/);
  });

  it('ended when the wait rejects, or a wait that cannot reject: nothing to report', () => {
    expect(ids(forward(`try {
        ${listen}
      } catch (e) {
        conn.end();
        throw e;
      }`))).toEqual([]);
    expect(ids(forward(`await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));`))).toEqual([]);
  });
});

describe('a reconnect through a function that stores a new connection (awaited) before it uses the variable', () => {
  const rabbit = (body: string): string => ts`
    import * as amqp from 'amqplib';
    let connection: amqp.ChannelModel | null = null;
    export async function connectRabbitmq(url: string): Promise<void> {
      ${body}
    }
  `;

  it('`connection = await amqp.connect(url)` before the use: the timer’s run uses the new one (no deferredUse)', () => {
    const messages = lintWithPlugin(rabbit(`connection = await amqp.connect(url);
      connection.on('error', () => setTimeout(() => void connectRabbitmq(url), 5000));
      const ch = await connection.createConfirmChannel();
      await ch.close();`));
    expect(messages.filter((m) => m.ruleId === 'socket-close/no-use-after-close')).toEqual([]);
  });

  it('a use of the old connection before the new one is stored is still a use after it closed', () => {
    const messages = lintWithPlugin(rabbit(`if (connection) await connection.createConfirmChannel();
      connection = await amqp.connect(url);
      connection.on('error', () => setTimeout(() => void connectRabbitmq(url), 5000));`));
    expect(messages.filter((m) => m.ruleId === 'socket-close/no-use-after-close').map((m) => m.messageId)).toEqual(['deferredUse']);
  });
});

describe('`promisify(c.get).bind(c)`: one of its own methods, promisified and bound to it, is no hand-off', () => {
  const check = (bound: string): string => ts`
    import { createClient } from 'redis';
    import { promisify } from 'node:util';
    export function check(id: string): void {
      const c = createClient({ url: process.env.RURL });
      c.ping();
      const get = ${bound};
      if (!id) return;
      void get(id).then(() => c.quit());
    }
  `;

  it('the early return leaves the client open, as with `c.get.bind(c)`', () => {
    expect(ids(check('promisify(c.get).bind(c)'))).toEqual([[4, 'leak']]);
    expect(ids(check('c.get.bind(c)'))).toEqual([[4, 'leak']]);
  });

  it('bound to another function, it is handed over (no report)', () => {
    expect(ids(check('((k: string) => Promise.resolve(k)).bind(c)'))).toEqual([]);
  });
});

describe('`Object.assign(resource, extra)` returns the resource itself', () => {
  const factory = (body: string): string => ts`
    import pg from 'pg';
    export async function getStatsPool(): Promise<pg.Pool & { db: string }> {
      const stats = Object.assign(new pg.Pool({ connectionString: process.env.DB }), { db: 'stats' });
      ${body}
    }
  `;

  it('the probe query rejects with the pool open: reported at the pool it wraps', () => {
    // (A second query: a failed first pool.query() ends the only client it checked out.)
    expect(ids(factory(`await stats.query('SELECT 1');
      await stats.query('SELECT 2');
      return stats;`))).toEqual([[3, 'leak']]);
  });

  it('ended when the probe fails, or returned at once: nothing to report', () => {
    expect(ids(factory(`try {
        await stats.query('SELECT 1');
      } catch (e) {
        await stats.end();
        throw e;
      }
      return stats;`))).toEqual([]);
    expect(ids(factory('return stats;'))).toEqual([]);
  });
});

describe("a deadline timer that destroys a request with a `timeout` option, cleared once its response has ended", () => {
  const post = (onResponse: string): string => ts`
    import { request } from 'node:https';
    export function post(url: URL, body: string, timeoutMs: number): Promise<string> {
      return new Promise((resolve, reject) => {
        let timer: NodeJS.Timeout | undefined;
        const req = request(url, { method: 'POST', timeout: timeoutMs }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          ${onResponse}
        });
        timer = setTimeout(() => {
          req.destroy(new Error('timed out'));
        }, timeoutMs);
        req.on('error', (err) => {
          if (timer) clearTimeout(timer);
          reject(err);
        });
        req.write(body);
        req.end();
      });
    }
  `;

  it("cleared in the response's 'end' listener: the deadline covers the idle timeout (no report)", () => {
    expect(ids(post(`res.on('end', () => {
            if (timer) clearTimeout(timer);
            resolve(Buffer.concat(chunks).toString('utf8'));
          });`))).toEqual([]);
  });

  it("kept in a property of a local object (`context.timer = setTimeout(…)`), cleared the same way (no report)", () => {
    expect(ids(ts`
      import { request } from 'node:https';
      export function post(url: URL, body: string, timeoutMs: number): Promise<string> {
        return new Promise((resolve, reject) => {
          const context: { timer?: NodeJS.Timeout } = {};
          const req = request(url, { method: 'POST', timeout: timeoutMs }, (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              if (context.timer) clearTimeout(context.timer);
              resolve(Buffer.concat(chunks).toString('utf8'));
            });
          });
          context.timer = setTimeout(() => req.destroy(new Error('timed out')), timeoutMs);
          req.on('error', (err) => {
            if (context.timer) clearTimeout(context.timer);
            reject(err);
          });
          req.end(body);
        });
      }
    `)).toEqual([]);
  });

  it('cleared as soon as the response starts, a stalled body leaves the idle timeout unhandled', () => {
    expect(ids(post(`if (timer) clearTimeout(timer);
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));`))).toEqual([[5, 'idleTimeoutOptionUnhandled']]);
  });
});

describe('a flag set right after the creation, tested after a retry loop', () => {
  const waitForDb = (set: string): string => ts`
    import { Client } from 'pg';
    const client = new Client({ connectionString: process.env.URL });
    const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
    export async function waitForDb(): Promise<void> {
      let ok = false;
      for (let i = 0; i < 15; i++) {
        try {
          await client.connect();
          ${set}
          break;
        } catch {
          await sleep(1000);
        }
      }
      if (!ok) throw new Error('database is not available');
      await client.end();
    }
  `;

  it('`ok = true` right after the connect(): false, no connection got through (no report)', () => {
    expect(ids(waitForDb('ok = true;'))).toEqual([]);
  });

  it('a flag set elsewhere says nothing of the connection: the throw leaves it open', () => {
    expect(ids(waitForDb('console.log("connected"); ok = i >= 0;'))).toEqual([[8, 'leak']]);
  });
});

describe('a callback path that clears the timer which would have released the connection', () => {
  const run = (onErr: string): string => ts`
    import { Client } from 'ssh2';
    export function run(host: string, command: string, ms: number): Promise<number | null> {
      return new Promise((resolve, reject) => {
        const conn = new Client();
        let to: NodeJS.Timeout | undefined;
        const onError = (e: Error): void => {
          if (to) clearTimeout(to);
          reject(e);
        };
        conn.on('ready', () => {
          to = setTimeout(() => {
            conn.end();
            onError(new Error('exec timeout'));
          }, ms);
          conn.exec(command, (err, stream) => {
            if (err) return ${onErr};
            stream.on('close', (code: number | null) => {
              if (to) clearTimeout(to);
              conn.end();
              resolve(code);
            });
          });
        });
        conn.on('error', onError);
        conn.connect({ host, username: 'u', password: 'p' });
      });
    }
  `;

  it('`return onError(err)` clears the timer and leaves the connection open: reported', () => {
    expect(ids(run('onError(err)'))).toEqual([[4, 'leak']]);
  });

  it('`return reject(err)` leaves the timer armed: it ends the connection (no report)', () => {
    expect(ids(run('reject(err)'))).toEqual([]);
  });
});

describe('a release kept in a `let` right after the checkout, in the `try` block, called in the `finally`', () => {
  const generate = (fin: string): string => ts`
    import { Pool, type PoolClient } from 'pg';
    export async function generate(pool: Pool): Promise<string> {
      let releaseClient: (() => void) | undefined;
      let pgClient: PoolClient;
      try {
        pgClient = await pool.connect();
        releaseClient = () => pgClient.release();
      } catch {
        return '';
      }
      try {
        const r = await pgClient.query('SELECT 1');
        return String(r.rowCount);
      } finally {
        ${fin}
      }
    }
  `;

  it('`if (releaseClient) releaseClient()`: released on every path that checked a client out (no report)', () => {
    expect(ids(generate('if (releaseClient) releaseClient();'))).toEqual([]);
  });

  it('never called, the client stays checked out', () => {
    expect(ids(generate("console.log('done');"))).toEqual([[6, 'leak']]);
  });
});

describe('a retry timer armed after the field was released, whose callback stores the next socket', () => {
  const receiver = (onError: string): string => ts`
    import * as dgram from 'node:dgram';
    export class Receiver {
      private srv: dgram.Socket | null = null;
      private retries = 10;
      constructor(private readonly port: number) {}
      start(): void {
        this.init();
      }
      private init(): void {
        this.srv = dgram.createSocket('udp4');
        this.srv.on('error', () => this.onError());
        this.srv.on('message', (m) => console.log(m.length));
        this.srv.bind(this.port);
      }
      private onError(): void {
        ${onError}
        if (this.retries--) setTimeout(() => this.init(), 5000);
      }
      stop(): void {
        this.srv?.close();
      }
    }
  `;

  it('`this.srv && this.srv.close()` before arming: the timer stores into an emptied field (no report)', () => {
    expect(ids(receiver('this.srv && this.srv.close();'))).toEqual([]);
  });

  it('armed with the socket still open, the next store drops it', () => {
    expect(ids(receiver("console.log('retrying');"))).toEqual([[10, 'fieldOverwritten']]);
  });
});
