/**
 * Shapes found in the forty-second session (what the thirty-fifth hand triage left, and the thirty-sixth triage),
 * each reduced to its general mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { lintJsWithPlugin, lintWithPlugin, ts } from '../rule-tester';

/** Line and message id of each message. */
const pairs = (messages: ReturnType<typeof lintWithPlugin>): Array<[number, string | undefined]> => messages.map((m) => [m.line, m.messageId]);
const ids = (code: string): Array<[number, string | undefined]> => pairs(lintWithPlugin(code));
/** Line and the path the leak message names. */
const details = (code: string): string[] => lintWithPlugin(code).map((m) => `${m.line} ${/not released (.*?):/.exec(m.message)?.[1] ?? m.message}`);

describe('a channel handed off by a function given to a call takes its connection with it', () => {
  const consumer = (each: string): string => ts`
    import amqplib from 'amqplib';
    declare function createRpcServer(name: string, channel: amqplib.Channel): { listen(): Promise<void> };
    export async function run(url: string): Promise<void> {
      const connection = await amqplib.connect(url);
      const channel = await connection.createChannel();
      ${each}
    }
  `;

  // Handed off, only the path on which createChannel() rejects is left (the connection is then open and unowned).
  it('`names.forEach((n) => createRpcServer(n, channel).listen())` hands off both: only the rejection of createChannel() is left', () => {
    expect(details(consumer("['users', 'orders'].forEach((name) => createRpcServer(name, channel).listen());"))).toEqual(['4 when createChannel() at line 5 rejects']);
    expect(details(consumer("['users', 'orders'].forEach((name) => { void createRpcServer(name, channel).listen(); });"))).toEqual(['4 when createChannel() at line 5 rejects']);
  });

  it('a function given to a call that only uses the channel, or closes it, hands off neither: the connection is left open', () => {
    expect(details(consumer("['a', 'b'].forEach((name) => { void channel.assertQueue(name); });\n      setTimeout(() => channel.close(), 10);"))).toEqual([
      '4 on any path (nothing releases it or hands it off)',
    ]);
    expect(details(consumer('setTimeout(() => { void channel.close(); }, 10);'))).toEqual(['4 on any path (nothing releases it or hands it off)']);
  });
});

describe('STARTTLS through an options object whose `socket` is set by a property assignment', () => {
  const conn = (setSocket: string): string => ts`
    import * as net from 'node:net';
    import * as tls from 'node:tls';
    export class ImapConn {
      private sock: net.Socket | undefined;
      constructor(private host: string, private port: number) {}
      connect(): void {
        this.sock = net.connect(this.port, this.host);
        this.sock.on('error', () => undefined);
      }
      upgrade(): void {
        const tlsOptions: tls.ConnectionOptions = {};
        tlsOptions.host = this.host;
        if (this.sock) {
          ${setSocket}
        }
        this.sock = tls.connect(tlsOptions);
        this.sock.on('error', () => undefined);
      }
      end(): void {
        this.sock?.end();
      }
    }
  `;

  it('`tlsOptions.socket = this.sock` wraps the held socket: storing the wrapper back drops nothing (no report)', () => {
    expect(ids(conn('tlsOptions.socket = this.sock;'))).toEqual([]);
  });

  it('another option set there leaves the held socket behind: both stores are reported', () => {
    expect(ids(conn('tlsOptions.servername = this.host;'))).toEqual([
      [7, 'fieldOverwritten'],
      [16, 'fieldOverwritten'],
    ]);
  });
});

describe("ssh2's handshake deadline (`readyTimeout`) gives up no later than the caller's timer", () => {
  const probe = (connect: string, delay = 'timeout', param = 'timeout = 10000'): string => ts`
    import { Client } from 'ssh2';
    export async function testConnection(host: string, ${param}): Promise<string> {
      try {
        const conn = new Client();
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('timed out')), ${delay});
          conn.on('ready', () => {
            clearTimeout(timer);
            resolve();
          });
          conn.on('error', (err: Error) => {
            clearTimeout(timer);
            reject(err);
          });
          conn.connect(${connect});
        });
        conn.end();
        return 'ok';
      } catch (err) {
        return 'failed';
      }
    }
  `;

  it('the same delay, a shorter constant, or the 20 s default under a longer timer: released by ssh2 (no report)', () => {
    expect(ids(probe("{ host, username: 'admin', readyTimeout: timeout }"))).toEqual([]);
    expect(ids(probe("{ host, username: 'admin', readyTimeout: 5000 }", '8000'))).toEqual([]);
    expect(ids(probe("{ host, username: 'admin' }", '25000'))).toEqual([]);
  });

  it('a longer deadline, a deadline not known, or the default under a shorter timer: the timer gives up first', () => {
    expect(ids(probe("{ host, username: 'admin', readyTimeout: timeout * 2 }"))).toEqual([[4, 'leak']]);
    expect(ids(probe("{ host, username: 'admin', readyTimeout: 30000 }", '8000'))).toEqual([[4, 'leak']]);
    expect(ids(probe("{ host, username: 'admin' }", '5000'))).toEqual([[4, 'leak']]);
    expect(ids(probe("{ host, username: 'admin' }"))).toEqual([[4, 'leak']]);
    expect(ids(probe('config', 'timeout', 'timeout: number, config: { host: string; readyTimeout: number }'))).toEqual([[4, 'leak']]);
  });
});

describe('a checkout made by a method reached through a field declared with a type', () => {
  const controller = (helper: string, call: string): string => ts`
    import pg from 'pg';
    class TxPool {
      constructor(public readonly pool: pg.Pool) {}
      ${helper}
    }
    export class IssueController {
      constructor(private readonly db: TxPool) {}
      async update(bad: string | null): Promise<string> {
        const tx = await ${call};
        if (bad) return 'bad';
        tx.release();
        return 'ok';
      }
    }
  `;
  const begin = 'async begin(): Promise<pg.PoolClient> { const client = await this.pool.connect(); return client; }';

  it('`await this.db.begin()` checks a client out: the early return leaves it open', () => {
    expect(ids(controller(begin, 'this.db.begin()'))).toEqual([[9, 'leak']]);
  });

  it('a method that hands out a client it keeps makes none, and a field without a declared type is not asked', () => {
    const held = 'client!: pg.PoolClient;\n      async begin(): Promise<pg.PoolClient> { return this.client; }';
    expect(ids(controller(held, 'this.db.begin()'))).toEqual([]);
    const untyped = controller(begin, 'this.db.begin()').replace('constructor(private readonly db: TxPool) {}', 'private readonly db;\n  constructor(db: TxPool) { this.db = db; }');
    expect(ids(untyped)).toEqual([]);
  });
});

describe('a local collection released by a loop over its elements in another order', () => {
  const chain = (loop: string): string => ts`
    import { Client, type ConnectConfig } from 'ssh2';
    function connectHop(client: Client, config: ConnectConfig): Promise<void> {
      return new Promise((resolve, reject) => {
        client.once('ready', () => resolve());
        client.once('error', reject);
        client.connect(config);
      });
    }
    export async function runChain(configs: ConnectConfig[], work: (last: Client) => Promise<void>): Promise<void> {
      const clients: Client[] = [];
      const dispose = () => {
        for (const client of ${loop}) client.end();
      };
      try {
        for (const config of configs) {
          const client = new Client();
          clients.push(client);
          await connectHop(client, config);
        }
        await work(clients[clients.length - 1]);
      } finally {
        dispose();
      }
    }
  `;

  it('`[...clients].reverse()`, `clients.toReversed()`, `clients.slice().sort(…)` (no report)', () => {
    for (const loop of ['[...clients].reverse()', 'clients.toReversed()', 'clients.slice().sort(() => 0)', 'clients.reverse()']) expect(ids(chain(loop))).toEqual([]);
  });

  it('a part of it (`clients.slice(1)`) releases not every element', () => {
    expect(ids(chain('clients.slice(1)'))).toEqual([[16, 'leak']]);
  });
});

describe("a CommonJS module's reconnect loop through its own exports", () => {
  const feed = (listener: string, retry: string): string => ts`
    import WebSocket from 'ws';
    exports.connect = () => {
      const ws = new WebSocket('wss://feed.example/stream');
      ws.on('message', (m) => console.log(String(m)));
      ws.on('close', () => {
        ${listener}
      });
      ws.on('error', (err) => console.log(err));
    };
    exports.retry = () => {
      setTimeout(() => {
        ${retry}
      }, 1000);
    };
  `;

  it('the close listener calls `module.exports.retry()` (or `exports.retry()`), whose timer calls the owner again (no report)', () => {
    expect(ids(feed('module.exports.retry();', 'module.exports.connect();'))).toEqual([]);
    expect(ids(feed('exports.retry();', 'exports.connect();'))).toEqual([]);
  });

  it('an export that does not run the owner again reconnects nothing', () => {
    expect(ids(feed('module.exports.retry();', "console.log('gone');"))).toEqual([[3, 'leak']]);
  });
});

describe('a timer handle handed to a function of the file that clears its parameter', () => {
  const conn = (close: string): string => ts`
    import WebSocket from 'ws';
    export class Conn {
      constructor(private readonly websocket: WebSocket) {
        const pingInterval = setInterval(() => {
          this.websocket.ping();
        }, 10000);
        this.websocket.onclose = () => this.close(pingInterval);
      }
      private close(interval: NodeJS.Timeout): void {
        ${close}
      }
    }
  `;

  it('`onclose = () => this.close(pingInterval)` with `clearInterval(interval)` in it stops the timer on close (no report)', () => {
    expect(ids(conn('clearInterval(interval);'))).toEqual([]);
  });

  it('a function given the handle that does not clear it stops nothing', () => {
    expect(ids(conn('console.log(interval);'))).toEqual([[5, 'deferredUse']]);
  });
});

describe('a socket stored in a field after a statement handed it to an owner', () => {
  const client = (handOff: string): string => ts`
    import { Socket } from 'node:net';
    interface Protocol { connect(socket: Socket): void; close(): void }
    export class Client {
      private transport: Socket | null = null;
      private protocol: Protocol | null = null;
      constructor(private readonly makeProtocol: () => Protocol) {}
      open(port: number): void {
        const socket = new Socket();
        const protocol = this.makeProtocol();
        socket.once('connect', () => {
          ${handOff}
          this.transport = socket;
          this.protocol = protocol;
        });
        socket.once('error', () => undefined);
        socket.connect(port, '127.0.0.1');
      }
      send(data: Buffer): void {
        this.transport?.write(data);
      }
      logout(): void {
        this.protocol?.close();
        this.protocol = null;
      }
    }
  `;

  it('`protocol.connect(socket); this.transport = socket;`: the field keeps a reference (no report)', () => {
    expect(ids(client('protocol.connect(socket);'))).toEqual([]);
  });

  it('a hand-off on one branch only, or none, leaves the field the owner', () => {
    expect(ids(client('if (port > 0) protocol.connect(socket);'))).toEqual([[12, 'fieldNeverReleased']]);
    expect(ids(client('console.log(port);'))).toEqual([[12, 'fieldNeverReleased']]);
  });
});

describe("a JavaScript module's shared client, `require()`d from the module that exports `new Client()`", () => {
  const cjsDir = path.join(__dirname, '..', 'fixtures-cjs');
  const action = (body: string): Array<[number, string | undefined]> =>
    pairs(lintJsWithPlugin(
      ts`
        const client = require('./shared-pg-client');
        module.exports = async function dropDb(name) {
          ${body}
        };
      `,
      cjsDir,
    ));

  it('has the client kind: its `connect()` opens the shared client, it creates none (no report)', () => {
    expect(action('await client.connect();\n  await client.query(`DROP DATABASE ${name}`);')).toEqual([]);
    // A function that also ends it owns the connection it opens (triage-forty-fourth.test.ts): ended in a finally,
    // nothing to report; ended only after the query, left connected when the query rejects.
    expect(action('await client.connect();\n  try {\n  await client.query(`DROP DATABASE ${name}`);\n  } finally {\n  await client.end();\n  }')).toEqual([]);
    expect(action('await client.connect();\n  await client.query(`DROP DATABASE ${name}`);\n  await client.end();')).toEqual([[3, 'leak']]);
  });

  it('a client the function makes itself is still its own to release', () => {
    expect(action("const own = new (require('pg').Client)();\n  await own.connect();\n  await client.end();")).toEqual([[3, 'leak']]);
  });
});

describe('a server made with its handler and chained through `listen()` in a helper, dropped by its caller', () => {
  const devServer = (make: string, call: string): string => ts`
    import * as http from 'node:http';
    function startDevServer(port: number): http.Server {
      const server = ${make};
      server.on('error', () => process.exit(1));
      return server;
    }
    ${call}
  `;

  it('`const server = http.createServer(handler).listen(port)` serves where it goes (no report)', () => {
    expect(ids(devServer("http.createServer((_req, res) => res.end('ok')).listen(port)", 'startDevServer(3000);'))).toEqual([]);
    expect(ids(devServer("http.createServer((_req, res) => res.end('ok')).listen(port)", 'if (require.main === module) startDevServer(3000);'))).toEqual([]);
  });

  it('a server made without a handler serves nothing: dropped, it is reported', () => {
    expect(ids(devServer('http.createServer().listen(port)', 'startDevServer(3000);'))).toEqual([[7, 'leak']]);
  });
});

describe('an exported class constructed once at the top of a module that imports it under another name', () => {
  const dir = path.join(__dirname, '..', 'fixtures-default-import');
  const store = (exported: string): Array<[number, string | undefined]> =>
    pairs(lintWithPlugin(
      ts`
        import { createClient } from 'redis';
        ${exported} class RedisStore {
          #client = createClient({ url: process.env.REDIS_URL });
          constructor(readonly id: string) {
            void this.#client.connect();
          }
          async get(key: string): Promise<string | null> {
            return this.#client.get(this.id + key);
          }
        }
      `,
      { dir },
    ));

  it('`import Store from …; const cache = new Store(…)` at a module top: one client for the process (no report)', () => {
    expect(store('export default')).toEqual([]);
  });

  it('a class that module does not import (it constructs nothing of it) keeps its field checked', () => {
    expect(store('export')).toEqual([[3, 'fieldNeverReleased']]);
  });
});

describe("a subscriber's set-up failure swallowed by its function's own catch", () => {
  const listener = (handler: string, wrap = true): string => {
    const body = "await sub.subscribe('notifications');\n  sub.on('message', (_channel: string, message: string) => onEvent(message));";
    return ts`
      import { Redis } from 'ioredis';
      export async function startListener(url: string, onEvent: (m: string) => void): Promise<void> {
        const sub = new Redis(url);
        ${wrap ? `try {\n  ${body}\n} catch (err) {\n  ${handler}\n}` : body}
      }
    `;
  };

  it('a catch that only logs goes on without the client: reported at the subscribe() that rejects', () => {
    expect(lintWithPlugin(listener("console.error('failed', err);")).map((m) => [m.line, m.message])).toEqual([
      [3, expect.stringContaining('when subscribe() at line 5 rejects (the catch block at line 7 goes on without it)')],
    ]);
  });

  it('a catch that releases the client, rethrows or ends the process, or no try at all (the caller gets the rejection): no report', () => {
    expect(ids(listener('sub.disconnect();'))).toEqual([]);
    expect(ids(listener('throw err;'))).toEqual([]);
    expect(ids(listener('process.exit(1);'))).toEqual([]);
    expect(ids(listener('', false))).toEqual([]);
  });
});

describe("an amqplib connection annotated with the old typings' `Connection` (no createChannel() on it)", () => {
  const open = (body: string, annotation = ': Connection'): string => ts`
    import amqp, { Channel, Connection } from 'amqplib';
    export async function openChannel(url: string, queue: string): Promise<Channel> {
      const conn${annotation} = await amqp.connect(url);
      ${body}
    }
  `;

  it('the channel it makes and returns takes the connection along; only the rejection of createChannel() is left', () => {
    const body = 'const ch: Channel = await conn.createChannel();\n  await ch.assertQueue(queue);\n  return ch;';
    expect(details(open(body))).toEqual(['3 when createChannel() at line 4 rejects']);
    expect(details(open(body, ''))).toEqual(['3 when createChannel() at line 4 rejects']);
  });

  it('closed when making the channel fails, the returned channel carries it (no report)', () => {
    expect(details(open('try {\n    return await conn.createChannel();\n  } catch (err) {\n    await conn.close();\n    throw err;\n  }'))).toEqual([]);
  });

  it('a channel that is not returned carries nothing out', () => {
    expect(details(open('const ch: Channel = await conn.createChannel();\n  await ch.assertQueue(queue);\n  throw new Error(queue);'))).toEqual([
      '3 on any path (nothing releases it or hands it off)',
    ]);
  });
});

describe('the message names the end of the function before a rejection', () => {
  it('an `if` without `else` falls off the end with the client open: that path is named, not the rejection', () => {
    const code = ts`
      import { MongoClient } from 'mongodb';
      export async function update(m: string, url: string): Promise<void> {
        const client = await MongoClient.connect(url);
        if (m === 'PUT') {
          await client.db().collection('c').updateOne({ a: 1 }, { $set: { d: 1 } });
          await client.close();
        }
      }
    `;
    expect(lintWithPlugin(code).map((m) => [m.line, /not released (.*?):/.exec(m.message)?.[1]])).toEqual([[3, 'on the path that reaches the end of the function']]);
  });

  it('with an `else` that releases, only the rejection is left', () => {
    const code = ts`
      import { MongoClient } from 'mongodb';
      export async function update(m: string, url: string): Promise<void> {
        const client = await MongoClient.connect(url);
        if (m === 'PUT') {
          await client.db().collection('c').updateOne({ a: 1 }, { $set: { d: 1 } });
          await client.close();
        } else {
          await client.close();
        }
      }
    `;
    expect(lintWithPlugin(code).map((m) => [m.line, /not released (.*?):/.exec(m.message)?.[1]])).toEqual([[3, 'when updateOne() at line 5 rejects']]);
  });
});

describe('a returned Promise executor that releases the resource only on its failure path', () => {
  const deploy = (executor: string): string => ts`
    import { Client, type ConnectConfig } from 'ssh2';
    interface Instance extends Client {
      run: (cmd: string) => Promise<void>;
    }
    declare function openInstance(config: ConnectConfig): Promise<Instance>;
    export async function deploy(config: ConnectConfig, dir: string): Promise<void> {
      const conn = await openInstance(config);
      return new Promise<void>(${executor});
    }
  `;

  it('`try { await conn.run(cmd); resolve(); } catch (e) { conn.end(); reject(e); }`: the success path ends with it open', () => {
    expect(lintWithPlugin(deploy('async (resolve, reject) => {\n  try {\n    await conn.run(dir);\n    resolve();\n  } catch (error) {\n    conn.end();\n    reject(error);\n  }\n}')).map((m) => [m.line, /not released (.*?):/.exec(m.message)?.[1]])).toEqual([
      [7, 'when the Promise executor at line 8 ends without releasing it'],
    ]);
  });

  it('released on both paths, or by the listeners it registers (it waits for their events): no report', () => {
    expect(ids(deploy('async (resolve, reject) => {\n  try {\n    await conn.run(dir);\n    resolve();\n  } catch (error) {\n    reject(error);\n  } finally {\n    conn.end();\n  }\n}'))).toEqual([]);
    expect(ids(deploy("(resolve, reject) => {\n  conn.on('error', (e) => {\n    conn.end();\n    reject(e);\n  });\n  conn.on('close', () => resolve());\n  void conn.run(dir);\n}"))).toEqual([]);
  });
});

describe("a field cleared after the storing method's promise rejected because its socket failed", () => {
  const feed = (onError: string, extra = ''): string => ts`
    import WebSocket from 'ws';
    export class Feed {
      private ws: WebSocket | null = null;
      private state: 'idle' | 'connecting' | 'connected' = 'idle';
      constructor(private readonly url: string) {}
      connect(): Promise<void> {
        if (this.state !== 'idle') return Promise.resolve();
        return new Promise((resolve, reject) => {
          this.state = 'connecting';
          try {
            this.ws = new WebSocket(this.url);
            this.ws.onopen = () => {
              this.state = 'connected';
              resolve();
            };
            this.ws.onclose = () => this.onDisconnect();
            this.ws.onerror = () => {
              ${onError}
            };
            ${extra}
          } catch (err) {
            reject(err);
          }
        });
      }
      close(): void {
        if (this.ws) {
          this.ws.onclose = null;
          this.ws.close();
          this.ws = null;
        }
      }
      private onDisconnect(): void {
        this.ws = null;
        this.state = 'idle';
        setTimeout(async () => {
          try {
            await this.connect();
          } catch {
            this.onDisconnect();
          }
        }, 1000);
      }
    }
  `;

  it('rejected only by the socket\'s own error listener or a throwing constructor: the clear after it drops nothing (no report)', () => {
    expect(ids(feed("if (this.state === 'connecting') reject(new Error('connect failed'));"))).toEqual([]);
  });

  it('a timer that rejects while the socket may still be connecting leaves it open: the clear is reported', () => {
    expect(ids(feed("if (this.state === 'connecting') reject(new Error('connect failed'));", "setTimeout(() => reject(new Error('timeout')), 5000);"))).toEqual([[11, 'leak']]);
  });
});
