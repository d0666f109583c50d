/**
 * Shapes from the eighteenth hand triage: each false alarm or miss reduced to its general mechanism, with the
 * counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a release in a block that ends, then `process.exit()` after the block', () => {
  const shutdown = (between: string): string => ts`
    import mqtt, { MqttClient } from 'mqtt';
    let client: MqttClient | undefined;
    const stop = async (): Promise<void> => {
      if (client) {
        await client.endAsync();
        client = undefined;
      }
      ${between}
      process.exit(0);
    };
    process.on('SIGTERM', () => void stop());
    const tick = async (): Promise<void> => {
      await client!.publishAsync('t', 'x');
    };
    client = await mqtt.connectAsync('tcp://127.0.0.1:1883');
    setInterval(tick, 60_000);
  `;

  it('a guard block: no timer runs after the release, the process ends first', () => {
    expect(ids(shutdown("console.info('bye');"))).toEqual([]);
  });

  it('a try without finally around the release, the exit after it', () => {
    expect(
      ids(ts`
        import mqtt, { MqttClient } from 'mqtt';
        let client: MqttClient | undefined;
        const stop = async (): Promise<void> => {
          try {
            await client?.endAsync();
          } catch (e) {
            console.error(e);
          }
          process.exit(0);
        };
        process.on('SIGTERM', () => void stop());
        client = await mqtt.connectAsync('tcp://127.0.0.1:1883');
        setInterval(() => void client!.publishAsync('t', 'x'), 60_000);
      `),
    ).toEqual([]);
  });

  it('a statement that is not an expression between the block and the exit keeps the report', () => {
    expect(ids(shutdown('for (const t of [1, 2]) console.info(t);'))).toEqual([[13, 'deferredUse']]);
  });

  it('a release in a loop body: the loop goes on, the report stays', () => {
    expect(
      ids(ts`
        import mqtt, { MqttClient } from 'mqtt';
        let client: MqttClient | undefined;
        const stop = async (tries: number[]): Promise<void> => {
          for (const _ of tries) {
            await client?.endAsync();
          }
          process.exit(0);
        };
        process.on('SIGTERM', () => void stop([1]));
        client = await mqtt.connectAsync('tcp://127.0.0.1:1883');
        setInterval(() => void client!.publishAsync('t', 'x'), 60_000);
      `),
    ).toEqual([[11, 'deferredUse']]);
  });
});

describe('a timer callback that calls a function of the file which uses the socket', () => {
  const code = (call: string): string => ts`
    import mqtt, { MqttClient } from 'mqtt';
    let client: MqttClient | undefined;
    const stop = async (): Promise<void> => {
      await client?.endAsync();
    };
    process.on('SIGTERM', () => void stop());
    const tick = async (): Promise<void> => {
      await client!.publishAsync('t', 'x');
    };
    client = await mqtt.connectAsync('tcp://127.0.0.1:1883');
    setInterval(${call}, 60_000);
  `;

  it('`() => void tick()` reaches the use in `tick`, reported at the call', () => {
    expect(ids(code('() => void tick()'))).toEqual([[11, 'deferredUse']]);
    expect(lintWithPlugin(code('() => void tick()'))[0]?.message).toContain('publishAsync() (through tick())');
  });

  it('as the function handed on by name does', () => {
    expect(ids(code('tick'))).toEqual([[8, 'deferredUse']]);
  });

  it('a socket the called function makes itself is not the released one; one it is given is the argument', () => {
    const run = (tick: string): string => ts`
      import * as net from 'node:net';
      function ping(sock: net.Socket): void {
        sock.write('ping');
      }
      function probe(port: number): void {
        const s = net.connect(port, '127.0.0.1');
        s.on('error', () => s.destroy());
        s.end('hello');
      }
      export function run(sock: net.Socket, port: number): void {
        setInterval(() => { ${tick} }, 1000);
        sock.on('close', () => undefined);
      }
    `;
    expect(ids(run('probe(port);'))).toEqual([]);
    // The given socket is the timer's own: `ping(sock)` writes to it as `sock.write('ping')` there would (twenty-fifth
    // triage: a local function's use of its parameter is a use of the argument).
    expect(ids(run('ping(sock); probe(port);'))).toEqual([[11, 'deferredUse']]);
    expect(ids(run("sock.write('ping'); probe(port);"))).toEqual([[11, 'deferredUse']]);
  });
});

describe('a socket kept in a static field of a class', () => {
  it('made lazily by a static method: one for the process, as a module variable', () => {
    expect(
      ids(ts`
        import { Pool, type PoolClient } from 'pg';
        export default class Configuration {
          static dbPool: Pool | null = null;
          static async getDBClient(): Promise<PoolClient> {
            if (!this.dbPool) {
              this.dbPool = new Pool({ host: '127.0.0.1', port: 5432 });
            }
            return this.dbPool.connect();
          }
        }
      `),
    ).toEqual([]);
  });

  it('the same in an instance field is still never released', () => {
    expect(
      ids(ts`
        import { Pool, type PoolClient } from 'pg';
        export default class Configuration {
          dbPool: Pool | null = null;
          async getDBClient(): Promise<PoolClient> {
            if (!this.dbPool) {
              this.dbPool = new Pool({ host: '127.0.0.1', port: 5432 });
            }
            return this.dbPool.connect();
          }
        }
      `),
    ).toEqual([[6, 'fieldNeverReleased']]);
  });
});

describe('reading the reply after end()', () => {
  const code = (release: string, after: string): string => ts`
    import * as net from 'node:net';
    export function forward(port: number, request: string): void {
      const socket = net.connect(port, '127.0.0.1');
      socket.write(request);
      socket.${release}();
      socket.${after};
      socket.on('data', (d) => process.stdout.write(d));
      socket.on('error', () => undefined);
    }
  `;

  it('`setEncoding()` after the half-closing `end()` sets up the reading side, which is still open', () => {
    expect(ids(code('end', "setEncoding('utf8')"))).toEqual([]);
  });

  it('after `destroy()` it is a use; a write after `end()` too', () => {
    expect(ids(code('destroy', "setEncoding('utf8')"))).toEqual([[6, 'useAfterRelease']]);
    expect(ids(code('end', "write('more')"))).toEqual([[6, 'useAfterRelease']]);
  });
});

describe('a pg LISTEN subscriber checked out of a pool', () => {
  const code = (listener: string): string => ts`
    import { Pool } from 'pg';
    const pool = new Pool({ host: '127.0.0.1' });
    export const listen = async (): Promise<void> => {
      const client = await pool.connect();
      await client.query('LISTEN job_events');
      ${listener}
    };
  `;

  it("a 'notification' listener: it serves for the life of the process, as a dedicated Client does", () => {
    expect(ids(code("client.on('notification', (msg) => console.log(msg.payload));"))).toEqual([]);
  });

  it('without one, the checkout is never released', () => {
    expect(ids(code("client.on('error', (e) => console.error(e));"))).toEqual([[4, 'leak']]);
  });
});

describe("an open event of a reconnecting client's own listener does not follow its release", () => {
  const code = (register: string): string => ts`
    import Redis from 'ioredis';
    export class RedisClient {
      public client: Redis;
      constructor(port: number) {
        this.client = new Redis({ host: '127.0.0.1', port });
        ${register}
      }
      private async loadScripts(): Promise<void> {
        try {
          await this.client.script('LOAD', 'return 1');
        } catch {
          // ignored
        }
      }
      async disconnect(): Promise<void> {
        await this.client.quit();
      }
    }
  `;

  it("ioredis 'ready': after quit() it does not reconnect", () => {
    expect(ids(code("this.client.on('ready', async () => { await this.loadScripts(); });"))).toEqual([]);
  });

  it('a timer still can run after quit()', () => {
    expect(ids(code('setInterval(() => void this.loadScripts(), 1000);'))).toEqual([[6, 'deferredUse']]);
  });
});

describe('a catch that clears the field after a failed connect', () => {
  const code = (after: string): string => ts`
    import { MongoClient } from 'mongodb';
    export class MongoService {
      private client: MongoClient | null = null;
      async connect(uri: string): Promise<void> {
        try {
          this.client = await MongoClient.connect(uri);
          ${after}
        } catch (error) {
          console.error(error);
          this.client = null;
          throw new Error('Connection failed.');
        }
      }
      async close(): Promise<void> {
        await this.client?.close();
        this.client = null;
      }
    }
  `;

  it('a log line after the store does not throw into it', () => {
    expect(ids(code("console.info('connected');"))).toEqual([]);
  });

  it('another call after the store can', () => {
    expect(ids(code('await this.client.db().command({ ping: 1 });'))).toEqual([[6, 'leak']]);
  });
});

describe("node:stream's finished() and pipeline() callbacks run when the socket is done", () => {
  const server = (imports: string, done: string): string => ts`
    import * as net from 'node:net';
    ${imports}
    export function serve(port: number): net.Server {
      return net.createServer((socket) => {
        const beat = setInterval(() => socket.write('beat'), 1000);
        ${done}
      }).listen(port, '127.0.0.1');
    }
  `;

  it('a heartbeat cleared in the callback of finished(socket, cb)', () => {
    expect(ids(server("import { finished } from 'node:stream';", 'finished(socket, () => clearInterval(beat));'))).toEqual([]);
  });

  it('… of pipeline(socket, transform, socket, cb), of stream.finished through the namespace', () => {
    expect(ids(server("import { pipeline, PassThrough } from 'node:stream';", 'pipeline(socket, new PassThrough(), socket, () => clearInterval(beat));'))).toEqual([]);
    expect(ids(server("import * as stream from 'stream';", 'stream.finished(socket, () => clearInterval(beat));'))).toEqual([]);
  });

  it('a function of the file that happens to be named finished() is no stream helper', () => {
    expect(
      ids(server('function finished(s: net.Socket, cb: () => void): void { s.once("data", cb); }', 'finished(socket, () => clearInterval(beat));')),
    ).toEqual([[5, 'deferredUse']]);
  });
});

describe('a continuation of a creation at the top of a module', () => {
  const code = (top: boolean): string => ts`
    import { MongoClient } from 'mongodb';
    const queries = new Map<string, () => Promise<unknown>>();
    ${top ? '' : 'export function start(): void {'}
    MongoClient.connect('mongodb://127.0.0.1:27017/db').then((client) => {
      const db = client.db();
      queries.set('all', () => db.collection('c').find({}).toArray());
    });
    ${top ? '' : '}'}
  `;

  it("`connect().then((client) => …)` at the module's top: the program's own, as the awaited form", () => {
    expect(ids(code(true))).toEqual([]);
  });

  it('in a function that may run many times it is still reported', () => {
    expect(ids(code(false))).toEqual([[4, 'leak']]);
  });

  it("a rejection in the continuation that the chain's .catch() takes leaves it open while the process goes on", () => {
    const chain = (handled: boolean): string => ts`
      import * as amqp from 'amqplib';
      amqp
        .connect('amqp://127.0.0.1')
        .then(async (connection) => {
          const channel = await connection.createChannel();
          channel.sendToQueue('q', Buffer.from('x'));
          setTimeout(() => void connection.close(), 500);
        })${handled ? '\n        .catch((e) => console.error(e))' : ''};
    `;
    expect(ids(chain(true))).toEqual([[2, 'leak']]);
    expect(lintWithPlugin(chain(true))[0]?.message).toContain('when createChannel() at line 5 rejects');
  });
});

describe('a store behind a flag of the class that is reset only after a release', () => {
  const code = (offline: string): string => ts`
    import Redis from 'ioredis';
    export class Checker {
      private online = false;
      private sub: Redis | null = null;
      start(): void {
        setInterval(() => this.onOnline(), 1000);
      }
      onOnline(): void {
        if (this.online) return;
        this.sub = new Redis('redis://127.0.0.1:6379');
        this.online = true;
      }
      onOffline(): void {
        ${offline}
      }
    }
  `;

  it('the timer stores again only once the old client was disconnected', () => {
    expect(ids(code('if (this.sub) { this.sub.disconnect(); this.sub = null; } this.online = false;'))).toEqual([]);
  });

  it('a reset of the flag without the release keeps the report', () => {
    expect(ids(code('this.online = false;'))).toEqual([[10, 'fieldNeverReleased'], [10, 'fieldOverwritten']]);
  });

  it('a reset right before the release counts as one after it: nothing runs between the two (twenty-fifth triage)', () => {
    expect(ids(code('this.online = false; this.sub?.disconnect();'))).toEqual([]);
    // Unless the function waits between them: the timer may store again while the old client is still connected.
    expect(ids(code('this.online = false; void (async () => { await new Promise((r) => setTimeout(r, 10)); this.sub?.disconnect(); })();'))).toEqual([[10, 'fieldOverwritten']]);
  });
});

describe("a framework's one-time initialisation hook stores as a constructor does", () => {
  const code = (hook: string): string => ts`
    import { connect, MqttClient } from 'mqtt';
    export class ManualService {
      client!: MqttClient;
      reconnect(): void {
        this.client.end();
        this.client = connect('mqtt://127.0.0.1:1883');
      }
      ${hook}(): void {
        this.client = connect('mqtt://127.0.0.1:1883');
      }
      onModuleDestroy(): void {
        this.client.end();
      }
    }
  `;

  it('NestJS onModuleInit()', () => {
    expect(ids(code('onModuleInit'))).toEqual([]);
  });

  it('an ordinary method may run after another store', () => {
    expect(ids(code('init'))).toEqual([[9, 'fieldOverwritten']]);
  });
});

describe('a helper that returns an element of a collection it loops over', () => {
  const code = (helper: string): string => ts`
    import WebSocket from 'ws';
    export class Room {
      constructor(private readonly sockets: Set<WebSocket>, private readonly urls: string[]) {}
      private peer(): WebSocket | null {
        ${helper}
        return null;
      }
      forward(data: string): void {
        const peer = this.peer();
        if (peer === null) return;
        peer.send(data);
      }
    }
  `;

  it('finds one that exists: a look-up, not a factory', () => {
    expect(ids(code('for (const socket of this.sockets) { if (socket.readyState === WebSocket.OPEN) return socket; }'))).toEqual([]);
  });

  it('one it makes in the loop is new to the caller', () => {
    expect(ids(code('for (const url of this.urls) { const ws = new WebSocket(url); return ws; }'))).toEqual([[9, 'leak']]);
  });
});

describe('a callback parameter annotated `any` that a creating method hands a connection', () => {
  it('mysql2 getConnection((err: any, conn: any) => …): the checkout, not released on the early return', () => {
    expect(
      ids(ts`
        import mysql from 'mysql2';
        const pool = mysql.createPool({ host: '127.0.0.1' });
        export function run(send: (body: unknown) => void, skip: boolean): void {
          pool.getConnection((err: any, conn: any) => {
            if (err) return send(500);
            if (skip) return send(404);
            conn.release();
          });
        }
      `),
    ).toEqual([[4, 'leak']]);
  });

  it('what a query hands its callback is no connection', () => {
    expect(
      ids(ts`
        import mysql from 'mysql2';
        const pool = mysql.createPool({ host: '127.0.0.1' });
        export function run(send: (body: unknown) => void): void {
          pool.query('SELECT 1', (err: any, rows: any) => {
            if (err) return send(500);
            send(rows);
          });
        }
      `),
    ).toEqual([]);
  });
});

describe('`return await conn.createChannel()` in a try whose catch goes on', () => {
  it('the connection stays open when the channel cannot be made', () => {
    expect(
      ids(ts`
        import amqplib from 'amqplib';
        export const channel = async (): Promise<amqplib.Channel | undefined> => {
          try {
            const connection = await amqplib.connect('amqp://127.0.0.1:5672');
            return await connection.createChannel();
          } catch (error) {
            console.error(error);
            return undefined;
          }
        };
      `),
    ).toEqual([[4, 'leak']]);
  });

  it('a catch that closes it leaves nothing open', () => {
    expect(
      ids(ts`
        import amqplib from 'amqplib';
        export const channel = async (): Promise<amqplib.Channel | undefined> => {
          const connection = await amqplib.connect('amqp://127.0.0.1:5672');
          try {
            return await connection.createChannel();
          } catch (error) {
            await connection.close();
            return undefined;
          }
        };
      `),
    ).toEqual([]);
  });
});

describe('a retry loop that makes a new connection after a failure', () => {
  const code = (onFailure: string): string => ts`
    import amqp from 'amqplib';
    export let channel: amqp.Channel;
    export async function start(): Promise<void> {
      while (true) {
        let connection: amqp.ChannelModel | undefined;
        try {
          connection = await amqp.connect('amqp://127.0.0.1:5672');
          channel = await connection.createChannel();
          break;
        } catch (error) {
          ${onFailure}
          await new Promise((resolve) => setTimeout(resolve, 5000));
        }
      }
    }
  `;

  it('drops the one the failed channel left open: the next iteration makes another', () => {
    expect(ids(code('console.log(error);'))).toEqual([[7, 'leak']]);
    expect(lintWithPlugin(code('console.log(error);'))[0]?.message).toContain('(another is made at line 7)');
  });

  it('a catch that closes it first leaves nothing open', () => {
    expect(ids(code('await connection?.close();'))).toEqual([]);
  });
});

describe('a `.catch()` between the creating call and the `.then()` that takes the connection', () => {
  const code = (body: string): string => ts`
    import type { Pool } from 'mysql2/promise';
    export function run(pool: Pool, sql: string): void {
      pool
        .getConnection()
        .catch((err) => {
          console.error(err);
          return undefined;
        })
        .then((connection) => {
          if (!connection) return;
          ${body}
        });
    }
  `;

  it('the continuation owns the connection: not released when the query rejects', () => {
    expect(ids(code('connection.query(sql).then(() => connection.release()).catch((e) => console.error(e));'))).toEqual([[3, 'leak']]);
  });

  it('released on every path: nothing', () => {
    expect(ids(code('connection.query(sql).catch((e) => console.error(e)).finally(() => connection.release());'))).toEqual([]);
  });
});

describe("a 'timeout' listener calling a method the class inherits", () => {
  const code = (closeBody: string): string => ts`
    import { EventEmitter } from 'node:events';
    import * as net from 'node:net';
    class BaseSocket extends EventEmitter {
      protected socket: net.Socket | null = null;
      close(): void {
        ${closeBody}
        this.emit('close');
      }
    }
    export class RemoteSocket extends BaseSocket {
      constructor(port: number) {
        super();
        this.socket = new net.Socket();
        this.socket.connect(port, '127.0.0.1');
        this.socket.setTimeout(2500, () => {
          this.close();
        });
      }
    }
  `;

  it('whose body destroys the same field: released', () => {
    expect(ids(code('if (this.socket) this.socket.destroy();'))).toEqual([]);
  });

  it('whose body does not: still reported', () => {
    expect(ids(code('this.socket?.setNoDelay(true);'))).toEqual([[15, 'timeoutNotReleased']]);
  });
});

describe('a helper of another module named by a making verb (`setupDatabase`), its return type inferred', () => {
  const caller = (helper: string): string => ts`
    import { ${helper} } from './db-helpers.js';
    export async function read(): Promise<unknown> {
      const pool = await ${helper}();
      const [rows] = await pool.query('SELECT 1');
      return rows;
    }
  `;

  it('`setup` as a word of its own: a factory, its pool never ended', () => {
    expect(ids(caller('setupDatabase'))).toEqual([[3, 'leak']]);
  });

  it('not as a word of its own (`setupsCount`): not inferred, no report', () => {
    expect(ids(caller('setupsCount'))).toEqual([]);
  });
});

describe('pg clients kept in a local list, each given a LISTEN subscription', () => {
  const code = (listener: string): string => ts`
    import { Client } from 'pg';
    export async function listen(configs: Array<{ host: string }>): Promise<void> {
      const clients: Client[] = [];
      for (const config of configs) {
        const client = new Client(config);
        await client.connect();
        clients.push(client);
      }
      for (const client of clients) {
        await client.query('LISTEN changes');
        ${listener}
      }
    }
  `;

  it("each element's 'notification' listener makes it a subscriber serving for the process", () => {
    expect(ids(code("client.on('notification', (msg) => console.log(msg.payload));"))).toEqual([]);
  });

  it('another listener does not', () => {
    expect(ids(code("client.on('error', (e) => console.error(e));"))).toEqual([[5, 'leak']]);
  });
});
