/**
 * Shapes found in the thirty-seventh session (the thirty-first hand triage and the corpus), each reduced to its
 * general mechanism, with the counterpart that must stay as it was.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintJsWithPlugin, lintWithPlugin, ts } from '../rule-tester';

const jsIds = (code: string): Array<[number, string | undefined]> =>
  lintJsWithPlugin(code, path.join(__dirname, '..', 'fixtures-prescreen')).map((m) => [m.line, m.messageId]);

describe('a call of a choice between two socket factories (JavaScript: TypeScript cannot call the union)', () => {
  it('secure ? tls.connect : net.connect, never released: reported', () => {
    expect(jsIds([
      "const net = require('net');",
      "const tls = require('tls');",
      'function send(secure, opts, line) {',
      '  const connectFn = secure ? tls.connect : net.connect;',
      '  const socket = connectFn(opts);',
      '  socket.write(line);',
      '}',
      'module.exports = { send };',
    ].join('\n'))).toEqual([[5, 'leak']]);
  });

  it('the same socket ended in its connect callback: no report', () => {
    expect(jsIds([
      "const net = require('net');",
      "const tls = require('tls');",
      'function send(secure, opts, line) {',
      '  const connectFn = secure ? tls.connect : net.connect;',
      '  const socket = connectFn(opts, () => socket.end(line));',
      "  socket.on('error', () => {});",
      '}',
      'module.exports = { send };',
    ].join('\n'))).toEqual([]);
  });

  it('stored in a field that close() destroys: no report', () => {
    expect(jsIds([
      "const net = require('net');",
      "const tls = require('tls');",
      'class Connection {',
      '  open(secure, opts) {',
      '    const connectFn = secure ? tls.connect : net.connect;',
      '    this.socket = connectFn(opts);',
      '  }',
      '  close() {',
      '    if (this.socket) this.socket.destroy();',
      '  }',
      '}',
      'module.exports = { Connection };',
    ].join('\n'))).toEqual([]);
  });

  it('a choice variable assigned again later is not followed: no report', () => {
    expect(jsIds([
      "const net = require('net');",
      "const tls = require('tls');",
      'function send(secure, opts, line, other) {',
      '  let connectFn = secure ? tls.connect : net.connect;',
      '  if (other) connectFn = other;',
      '  const socket = connectFn(opts);',
      '  socket.write(line);',
      '}',
      'module.exports = { send };',
    ].join('\n'))).toEqual([]);
  });

  it('a choice with a branch that is no socket factory is not a creation: no report', () => {
    expect(jsIds([
      "const net = require('net');",
      'function send(secure, opts, line) {',
      '  const connectFn = secure ? JSON.stringify : net.connect;',
      '  const socket = connectFn(opts);',
      '  socket.write(line);',
      '}',
      'module.exports = { send };',
    ].join('\n'))).toEqual([]);
  });
});

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe("a class given to a dependency-injection container as a singleton in another file (tests/fixtures/di-registrations.ts)", () => {
  const store = (name: string): string => ts`
    import { MongoClient } from 'mongodb';
    export class ${name} {
      private client: MongoClient;
      constructor() {
        this.client = new MongoClient('mongodb://127.0.0.1:27017');
      }
      async count(): Promise<number> {
        return this.client.db('app').collection('jobs').countDocuments();
      }
    }
  `;

  it('inversify bind(C).to(C).inSingletonScope() in the composition root: no report', () => {
    expect(ids(store('BoundSingletonStore'))).toEqual([]);
  });

  it('tsyringe registerSingleton(token, providers.cache) through a constant object: no report', () => {
    expect(ids(store('ProvidedSingletonCache'))).toEqual([]);
  });

  it('counterpart: bound in the transient scope (an instance per resolution): reported', () => {
    expect(ids(store('BoundTransientStore'))).toEqual([[5, 'fieldNeverReleased']]);
  });

  it('counterpart: a class no file registers: reported', () => {
    expect(ids(store('UnregisteredStore'))).toEqual([[5, 'fieldNeverReleased']]);
  });
});

describe('a class reaching a singleton registration of its own file through a constant object', () => {
  const code = (register: string): string => ts`
    import Redis from 'ioredis';
    declare const container: { registerSingleton(token: string, implementation: unknown): void; register(token: string, implementation: unknown): void };
    class RedisCacheProvider {
      private client: Redis;
      constructor() {
        this.client = new Redis();
      }
      async save(key: string, value: string): Promise<void> {
        await this.client.set(key, value);
      }
    }
    const providers = { redis: RedisCacheProvider };
    ${register}
  `;

  it("registerSingleton('Cache', providers.redis): no report", () => {
    expect(ids(code("container.registerSingleton('Cache', providers.redis);"))).toEqual([]);
  });

  it("counterpart: register('Cache', providers.redis) (a new instance each time): reported", () => {
    expect(ids(code("container.register('Cache', providers.redis);"))).toEqual([[6, 'fieldNeverReleased']]);
  });
});

describe("mysql2's promise wrapper awaited (awaiting what is no promise gives the wrapper itself)", () => {
  const code = (body: string): string => ts`
    import { createPool, type PoolOptions } from 'mysql2';
    import type { Pool } from 'mysql2/promise';
    const pools: Record<string, Pool> = {};
    export async function getPool(key: string, config: PoolOptions): Promise<Pool> {
      ${body}
    }
  `;

  it('await createPool(cfg).promise(), cached and returned: no report', () => {
    expect(ids(code('const pool = await createPool(config).promise(); pools[key] = pool; return pool;'))).toEqual([]);
  });

  it('counterpart: the awaited wrapper used and dropped: reported', () => {
    expect(ids(code("const pool = await createPool(config).promise(); await pool.query('SELECT 1'); return pools[key];"))).toEqual([[5, 'leak']]);
  });
});

describe("a listener's emitter torn down right after the release, in the same synchronous run", () => {
  const code = (handler: string, destroy: string): string => ts`
    import Redis from 'ioredis';
    export class RedisSync {
      private pub: Redis;
      private sub: Redis;
      constructor(redis: Redis) {
        this.pub = redis.duplicate();
        this.sub = redis.duplicate();
        void this.sub.subscribe('msg');
        this.sub.on('messageBuffer', this.handle);
      }
      ${handler}
      async onDestroy(): Promise<void> {
        ${destroy}
      }
    }
  `;
  const syncHandler = 'private handle = (channel: Buffer, data: Buffer): void => { void this.pub.publish(channel.toString(), data); };';

  it('pub.disconnect(); sub.disconnect(); — the listener of sub uses pub: no report', () => {
    expect(ids(code(syncHandler, 'this.pub.disconnect(false); this.sub.disconnect(false);'))).toEqual([]);
  });

  it('counterpart: an await between the two releases lets a message in: reported', () => {
    expect(ids(code(syncHandler, "this.pub.disconnect(false); await this.pub.publish('bye', 'x').catch(() => 0); this.sub.disconnect(false);"))).toContainEqual([11, 'deferredUse']);
  });

  it('counterpart: the listener is async and publishes after an await (a run in flight): reported', () => {
    expect(ids(code(
      'private handle = async (channel: Buffer, data: Buffer): Promise<void> => { await Promise.resolve(); await this.pub.publish(channel.toString(), data); };',
      'this.pub.disconnect(false); this.sub.disconnect(false);',
    ))).toEqual([[11, 'deferredUse']]);
  });
});

describe("the process's standard streams under another name are no peer's sockets", () => {
  const spinner = (head: string, out: string): string => ts`
    ${head}
    export function spinner(message: string): () => void {
      let i = 0;
      const timer = setInterval(() => {
        ${out}.write(message + String(i++));
      }, 80);
      return () => clearInterval(timer);
    }
  `;

  it("import { stdout } from 'node:process', written in a timer: no report", () => {
    expect(ids(spinner("import { stdout } from 'node:process';", 'stdout'))).toEqual([]);
  });

  it('const { stderr } = process; const out = process.stdout: no report', () => {
    expect(ids(spinner('const { stderr } = process;', 'stderr'))).toEqual([]);
    expect(ids(spinner('const out = process.stdout;', 'out'))).toEqual([]);
  });

  it('counterpart: a connected socket written in a timer (the peer can close it): reported', () => {
    expect(ids(spinner("import * as net from 'node:net'; const sock = net.connect(9000, '127.0.0.1'); sock.on('error', () => {});", 'sock'))).toEqual([[5, 'deferredUse']]);
  });
});

describe('a liveness guard written as a list of states (`[CLOSED, CLOSING].includes(ws.readyState)`)', () => {
  const upload = (test: string): string => ts`
    import WebSocket from 'ws';
    export async function upload(url: string, chunks: Buffer[]): Promise<number> {
      const ws = new WebSocket(url);
      try {
        for (const c of chunks) ws.send(c);
        return chunks.length;
      } finally {
        if (${test}) ws.close();
      }
    }
  `;

  it('![CLOSED, CLOSING].includes(readyState) guards the close: no report', () => {
    expect(ids(upload('![WebSocket.CLOSED, WebSocket.CLOSING].includes(ws.readyState)'))).toEqual([]);
  });

  it('[CONNECTING, OPEN].includes(readyState) guards the close: no report', () => {
    expect(ids(upload('[WebSocket.CONNECTING, WebSocket.OPEN].includes(ws.readyState)'))).toEqual([]);
  });

  it('counterpart: [OPEN].includes(readyState) leaves a connecting socket open: reported', () => {
    expect(ids(upload('[WebSocket.OPEN].includes(ws.readyState)'))).toEqual([[3, 'leak']]);
  });
});

describe("a creation's awaited value asserted to a resource type takes that type's kind", () => {
  const keeper = (field: string, cast: string): string => ts`
    import pg from 'pg';
    export class Keeper {
      protected connection?: ${field};
      async keepAlive(): Promise<void> {
        if (!this.connection) return;
        try {
          const client = (await this.connection.connect())${cast};
          await client.query('SELECT 1');
          client.release();
        } catch {
          // ignored
        }
      }
    }
  `;

  it('(await (Client | Pool).connect()) as pg.PoolClient: released by release(), reported only when the query rejects', () => {
    expect(lintWithPlugin(keeper('pg.Client | pg.Pool', ' as pg.PoolClient')).map((m) => [m.line, m.messageId, /when query\(\) at line 8 rejects/.test(m.message)])).toEqual([[7, 'leak', true]]);
  });

  it('counterpart: a pg.Pool field, no assertion — the same report', () => {
    expect(lintWithPlugin(keeper('pg.Pool', '')).map((m) => [m.line, m.messageId, /when query\(\) at line 8 rejects/.test(m.message)])).toEqual([[7, 'leak', true]]);
  });
});

describe("exit() taken from the process (`import { exit } from 'node:process'`) ends it as process.exit() does", () => {
  const script = (head: string, exit: string): string => ts`
    ${head}
    import { Redis } from 'ioredis';
    async function main(): Promise<void> {
      const redis = new Redis('redis://127.0.0.1:6379');
      const stats = await redis.info('stats');
      console.log(stats.length);
      process.stdin.on('data', () => {
        void redis.quit().then(() => ${exit}(0));
      });
    }
    main().catch((error: unknown) => {
      console.error(error);
      ${exit}(1);
    });
  `;

  it("import { exit } from 'node:process' in the entry function's catch: no report", () => {
    expect(ids(script("import { exit } from 'node:process';", 'exit'))).toEqual([]);
  });

  it('const { exit } = process: no report', () => {
    expect(ids(script('const { exit } = process;', 'exit'))).toEqual([]);
  });

  it('counterpart: a function of the file named exit that does not end the process: reported', () => {
    expect(ids(script('function exit(code: number): void { console.log(code); }', 'exit'))).toEqual([[4, 'leak']]);
  });
});

describe('a callback that a helper calls only where it did not release the socket it was given', () => {
  const gateway = (helper: string): string => ts`
    import { WebSocket } from 'ws';
    export class Gateway {
      private users = new Set<WebSocket>();
      handleRequest(client: WebSocket): void {
        this.authorize(client, () => {
          client.send(JSON.stringify({ size: this.users.size }));
        });
      }
      private authorize(socket: WebSocket, onAuthorized: () => void): void {
        ${helper}
      }
    }
  `;

  it('terminate() in the if, the callback in the else: no report', () => {
    expect(ids(gateway("if (!this.users.has(socket)) { socket.send('unauthorized'); socket.terminate(); } else { onAuthorized(); }"))).toEqual([]);
  });

  it('the callback called before the release: no report', () => {
    expect(ids(gateway('onAuthorized(); socket.terminate();'))).toEqual([]);
  });

  it('counterpart: the callback called after a release on one path: reported', () => {
    expect(ids(gateway('if (!this.users.has(socket)) socket.terminate(); onAuthorized();'))).toEqual([[6, 'useAfterRelease']]);
  });

  it('counterpart: the callback handed on (it may run any time): reported', () => {
    expect(ids(gateway("if (!this.users.has(socket)) { socket.terminate(); } else { setTimeout(onAuthorized, 10); }"))).toEqual([[6, 'useAfterRelease']]);
  });
});

describe("a promise's rejection that ends the process leaves nothing open behind it", () => {
  const script = (caller: string): string => ts`
    import WebSocket from 'ws';
    function connectWs(url: string): Promise<WebSocket> {
      return new Promise((resolve, reject) => {
        const ws = new WebSocket(url);
        const t = setTimeout(() => reject(new Error('connect timeout')), 5000);
        ws.on('open', () => { clearTimeout(t); resolve(ws); });
        ws.on('error', (e) => { clearTimeout(t); reject(e); });
      });
    }
    ${caller}
  `;

  it("the only caller awaits it in a try whose catch ends in process.exit(): no report", () => {
    expect(ids(script(`
      async function main(): Promise<void> {
        let ws: WebSocket;
        try {
          ws = await connectWs('ws://127.0.0.1:8080');
        } catch (err) {
          console.error(err);
          process.exit(1);
        }
        ws.send('hello');
        ws.close();
      }
      main().catch(() => process.exit(1));
    `))).toEqual([]);
  });

  it('counterpart: a caller that goes on after the rejection: reported', () => {
    expect(ids(script(`
      export async function probe(url: string): Promise<boolean> {
        try {
          const ws = await connectWs(url);
          ws.close();
          return true;
        } catch {
          return false;
        }
      }
    `))).toEqual([[4, 'leak']]);
  });
});

describe('a subscriber its function returns to the caller is the caller\'s: the paths before the return are checked', () => {
  const sub = (tail: string): string => ts`
    import Redis from 'ioredis';
    export const subscribe = async (channel: string, callback: (message: string) => void): Promise<Redis | void> => {
      const subscriber = new Redis('redis://127.0.0.1:6379');
      await subscriber.subscribe(channel);
      subscriber.on('message', (ch: string, message: string) => {
        if (ch === channel) callback(message);
      });
      ${tail}
    };
  `;

  it('returned after an awaited subscribe() that can reject: reported', () => {
    expect(ids(sub('return subscriber;'))).toEqual([[3, 'leak']]);
  });

  it('counterpart: kept by the function (serving for the life of the process): no report', () => {
    expect(ids(sub(''))).toEqual([]);
  });

  it('a server returned after listen(), nothing awaited before: no report', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export function start(port: number): net.Server {
        const server = net.createServer((socket) => socket.end('hi'));
        server.listen(port, '127.0.0.1');
        return server;
      }
    `)).toEqual([]);
  });
});

describe('methods that libraries add to sockets at run time (JavaScript: absent from the types)', () => {
  const code = (lines: string[]): string => ["const net = require('net');", 'function run(line) {', ...lines, '}', 'module.exports = { run };'].join('\n');

  it("a release-like method the type lacks (server-destroy's destroy(), http-shutdown's shutdown()): no report", () => {
    expect(jsIds(code(["  const s = net.connect(9000, '127.0.0.1');", '  s.write(line);', '  s.shutdown();']))).toEqual([]);
  });

  it('counterpart: another method the type lacks that is no release: reported', () => {
    expect(jsIds(code(["  const s = net.connect(9000, '127.0.0.1');", '  s.write(line);', '  s.flushAll();']))).toEqual([[3, 'leak']]);
  });

  it('a method the type lacks chained on the creation itself (`createServer(h).withShutdown()`): no report', () => {
    expect(jsIds(code(["  const s = net.connect(9000, '127.0.0.1').withTracking();", '  s.write(line);']))).toEqual([]);
  });

  it('counterpart: a declared method chained on the creation (setNoDelay returns the socket): reported', () => {
    expect(jsIds(code(["  const s = net.connect(9000, '127.0.0.1').setNoDelay(true);", '  s.write(line);']))).toEqual([[3, 'leak']]);
  });
});
