/**
 * Shapes from the twentieth hand triage (and leftovers of earlier ones): each false alarm or miss reduced to its
 * general mechanism, with the counterpart that must stay as it was.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintJsWithPlugin, lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a client destructured by position from the array a helper of the project returns', () => {
  const meetups = (helper: string, caller = 'await client.close();'): string => ts`
    import { MongoClient } from 'mongodb';
    const url = 'mongodb://127.0.0.1:27017/meetups';
    ${helper}
    export async function getStaticProps(): Promise<number> {
      const [collection, client] = await getCollection();
      const meetups = await collection.find().toArray();
      ${caller}
      return meetups.length;
    }
  `;

  it('made there and returned after a collection: leaks when the query rejects', () => {
    expect(ids(meetups(`const getCollection = async () => {
  const client = await MongoClient.connect(url);
  return [client.db().collection('meetups'), client] as const;
};`))).toEqual([[8, 'leak']]);
  });

  it('released in a finally: no report', () => {
    expect(ids(meetups(`const getCollection = async () => {
  const client = await MongoClient.connect(url);
  return [client.db().collection('meetups'), client] as const;
};`).replace('const meetups = await collection.find().toArray();\n      await client.close();', 'let meetups;\n      try {\n        meetups = await collection.find().toArray();\n      } finally {\n        await client.close();\n      }'))).toEqual([]);
  });

  it("a shared client, or one that comes with a function releasing it, is not the caller's alone", () => {
    expect(ids(meetups(`let shared: MongoClient | undefined;
const getCollection = async () => {
  shared ??= await MongoClient.connect(url);
  const client = shared;
  return [client.db().collection('meetups'), client] as const;
};`))).toEqual([]);
    expect(ids(meetups(`const getCollection = async () => {
  const client = await MongoClient.connect(url);
  return [client.db().collection('meetups'), client, () => client.close()] as const;
};`))).toEqual([]);
  });
});

describe('a liveness flag whose name says what it means', () => {
  /** A device whose writes go through a method that checks `connected`, cleared by the error listener's helper. */
  const device = (guard: string, fakeBranch: string): string => ts`
    import * as net from 'node:net';
    export class Device {
      private socket!: net.Socket;
      connected = false;
      fake = false;
      connect(port: number): void {
        ${fakeBranch}
        this.socket = new net.Socket();
        this.socket.on('data', () => this.onMessage());
        this.socket.on('error', () => {
          this.markDisconnected();
          this.socket.destroy();
        });
        this.socket.on('close', () => this.markDisconnected());
        this.socket.connect(port, '127.0.0.1');
      }
      private onMessage(): void {
        this.connected = true;
        setTimeout(() => this.send('{"cmd":10}'), 250);
      }
      private markDisconnected(): void {
        this.connected = false;
      }
      private send(msg: string): boolean {
        ${guard}
        return this.socket.write(msg);
      }
    }
  `;
  const fake = 'if (this.fake) {\n  this.connected = true;\n  return;\n}';

  it('`connected = true` in the method that registers the releasing listener does not make it a dead flag', () => {
    expect(ids(device('if (!this.connected) return false;', fake))).toEqual([]);
    expect(ids(device('if (!this.connected) return false;', ''))).toEqual([]);
  });

  it('without the guard the timer may write after the error listener destroyed the socket', () => {
    expect(ids(device('', fake))).toEqual([[22, 'deferredUse']]);
  });
});

describe('a store guarded by the left operand of an `&&` in its test', () => {
  /** A method that retries itself from a timer (so it runs again) and stores a server under `test`. */
  const web = (test: string, branch = 'if'): string => ts`
    import * as https from 'node:https';
    import * as fs from 'node:fs';
    export class Web {
      #loaded = false;
      #server: https.Server | undefined;
      start(key: string, cert: string): unknown {
        if (!this.#loaded) return setTimeout(() => this.start(key, cert), 1000);
        ${branch === 'if' ? `if (${test}) {` : `if (${test}) {\n  return undefined;\n} else {`}
          this.#server = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, (_req, res) => res.end('ok'));
          this.#server.listen(8443, '127.0.0.1');
        }
        return undefined;
      }
      stop(): void {
        this.#server?.close();
        this.#server = undefined;
      }
    }
  `;

  it('`if (!this.#server && key && cert)`: the store runs only with the field empty', () => {
    expect(ids(web('!this.#server && key && cert && fs.existsSync(key)'))).toEqual([]);
    expect(ids(web('key && !this.#server'))).toEqual([]);
  });

  it('an `&&` whose false side stores, or an `||`, does not fix the field', () => {
    expect(ids(web('!this.#server && key', 'else'))).toEqual([[11, 'fieldOverwritten']]);
    expect(ids(web('!this.#server || key'))).toEqual([[9, 'fieldOverwritten']]);
    expect(ids(web('key || (!this.#server && cert)'))).toEqual([[9, 'fieldOverwritten']]);
  });

  it('no test of the field keeps the report', () => {
    expect(ids(web('key && cert'))).toEqual([[9, 'fieldOverwritten']]);
  });
});

describe("a class made once by the program's start-up function holds its fields for the life of the process", () => {
  const service = (name: string, extra = '', keyword = 'export class'): string => ts`
    import Redis from 'ioredis';
    ${keyword} ${name} {
      private redis: Redis;
      constructor() {
        this.redis = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
        this.redis.on('error', (err) => console.debug(err.message));
        this.redis.connect().catch((e: Error) => console.warn(e.message));
      }
      async publish(id: string, payload: string): Promise<void> {
        await this.redis.publish(id, payload);
      }
    }
    ${extra}
  `;

  it('made in the entry function of another module (`const main = async () => { new S() }; main().catch(…)`)', () => {
    expect(ids(service('EntryStatsService'))).toEqual([]);
  });

  it('made in the entry function of the same module (the class exported or not)', () => {
    const main = 'async function main(): Promise<void> {\n  const stats = new LocalStats();\n  await stats.publish("a", "b");\n}\nvoid main();';
    expect(ids(service('LocalStats', main))).toEqual([]);
    expect(ids(service('LocalStats', main, 'class'))).toEqual([]);
    expect(ids(service('LocalStats', main.replace('void main();', 'main();\nmain();'), 'class'))).toEqual([[5, 'fieldNeverReleased']]);
  });

  it('counterparts: an entry function called twice, one that makes it in a loop, an exported one', () => {
    expect(ids(service('LocalStats', 'function main(): void {\n  new LocalStats();\n}\nmain();\nmain();'))).toEqual([[5, 'fieldNeverReleased']]);
    expect(ids(service('LocalStats', 'function main(): void {\n  for (const id of ["a", "b"]) void new LocalStats().publish(id, "x");\n}\nmain();'))).toEqual([[5, 'fieldNeverReleased']]);
    expect(ids(service('LocalStats', 'export function main(): void {\n  new LocalStats();\n}\nmain();'))).toEqual([[5, 'fieldNeverReleased']]);
  });
});

describe('a node-redis client used only as the template of duplicate()', () => {
  const listen = (extra: string): string => ts`
    import { createClient } from 'redis';
    export async function listen(onJob: (m: string) => void): Promise<void> {
      const client = createClient({ url: 'redis://127.0.0.1:6379' });
      const subscriber = client.duplicate();
      ${extra}
      subscriber.on('error', (err) => console.log('Redis Client Error', err));
      await subscriber.connect();
      await subscriber.subscribe('queue-job', (message) => onJob(message));
    }
  `;

  it('never connected: it holds nothing', () => {
    expect(ids(listen(''))).toEqual([]);
  });

  it('connected as well: it is open and never closed', () => {
    expect(ids(listen('await client.connect();'))).toEqual([[3, 'leak']]);
  });
});

describe('a consumer given the handler its caller hands in', () => {
  const consumer = (param: string, call = 'await channel.consume(queue, handler, { noAck: true });'): string => ts`
    import * as amqp from 'amqplib';
    export async function startConsuming(queue: string, ${param}): Promise<void> {
      const connection = await amqp.connect('amqp://127.0.0.1');
      connection.on('error', (err) => console.error(err));
      const channel = await connection.createChannel();
      await channel.assertQueue(queue);
      ${call}
    }
  `;

  it('a typed or untyped handler parameter: the channel serves from then on, as with one written in place', () => {
    expect(ids(consumer('handler: (msg: amqp.ConsumeMessage | null) => void'))).toEqual([]);
    // The untyped handler of plain JavaScript.
    expect(ids(consumer('handler: any'))).toEqual([]);
    expect(ids(consumer('handler: (msg: amqp.ConsumeMessage | null) => void', 'await channel.consume(queue, (m) => handler(m));'))).toEqual([]);
  });

  it('no handler at all (a value that is no function): the channel is left open', () => {
    expect(ids(consumer('handler: string', 'await channel.checkQueue(handler);'))).toEqual([[3, 'leak'], [5, 'leak']]);
  });
});

describe("a socket in the object or array literal of a class field's initialiser", () => {
  const server = (field: string, stop: string): string => ts`
    import { Redis } from 'ioredis';
    export class MockServer {
      constructor(private readonly useRedis: boolean) {}
      ${field}
      async stop(): Promise<void> {
        ${stop}
      }
    }
  `;

  it('escapes into the field, as the same literal assigned in the constructor does', () => {
    expect(ids(server("databases = { redis: new Redis({ keyPrefix: 'mock:' }) };", 'await this.databases.redis.quit();'))).toEqual([]);
    expect(ids(server("databases = { redis: this.useRedis ? new Redis({ keyPrefix: 'mock:' }) : null };", 'await this.databases.redis?.quit();'))).toEqual([]);
    expect(ids(server("clients = [new Redis({ keyPrefix: 'mock:' })];", 'await Promise.all(this.clients.map((c) => c.quit()));'))).toEqual([]);
  });

  it('a socket made and dropped inside the initialiser is still reported', () => {
    expect(ids(server("size = { n: new Redis({ keyPrefix: 'mock:' }).options.port };", 'return;'))).toEqual([[4, 'leak']]);
  });
});

describe('a helper that pipes a stream into the socket it returns, in a chain', () => {
  const proxy = (pipe: string, source = 'any'): string => ts`
    import * as net from 'node:net';
    import type { Duplex } from 'node:stream';
    function proxy(source: ${source}, port: number): net.Socket {
      const target = net.connect(port, '127.0.0.1');
      ${pipe}
      target.on('error', () => target.destroy());
      return target;
    }
    export function handleConnect(socket: Duplex, port: number | undefined): void {
      if (port) proxy(socket, port);
      else socket.end();
    }
  `;

  it('`source.pipe(target).pipe(source)`: the source ends the socket, the caller gets a reference', () => {
    // With the source's failure handled, nothing is left to report: the caller dropping the reference is not blamed.
    const handled = "\nsource.on('close', () => target.destroy());";
    expect(ids(proxy('source.pipe(target).pipe(source);' + handled))).toEqual([]);
    expect(ids(proxy('source.pipe(target);\ntarget.pipe(source);' + handled))).toEqual([]);
    expect(ids(proxy('source.pipe(target).pipe(source);' + handled, 'Duplex'))).toEqual([]);
    // Without it, the tunnel's own check (nothing ends the socket when the source fails), not the caller's — for a
    // typed source and for an untyped one piped both ways alike.
    expect(ids(proxy('source.pipe(target).pipe(source);', 'Duplex'))).toEqual([[4, 'leak']]);
    expect(ids(proxy('source.pipe(target).pipe(source);'))).toEqual([[4, 'leak']]);
    expect(ids(proxy('source.pipe(target);\ntarget.pipe(source);'))).toEqual([[4, 'leak']]);
  });

  it('piped only out of the socket: the caller owns it and drops it', () => {
    expect(ids(proxy('target.pipe(source);'))).toEqual([[10, 'leak']]);
  });
});

describe('the callback of a synchronous iteration at the top of a module', () => {
  const simulator = (loop: string): string => ts`
    import * as mqtt from 'mqtt';
    const devices: string[] = ['device_1', 'device_2'];
    ${loop}
  `;
  const body = "(id) => {\n  const client = mqtt.connect('mqtt://127.0.0.1:1883', { clientId: id });\n  client.on('connect', () => client.publish(id, 'online'));\n}";

  it('runs at load, once per element: module scope, as a `for` loop there is', () => {
    expect(ids(simulator(`devices.forEach(${body});`))).toEqual([]);
    expect(ids(simulator(`for (const id of devices) {\n  const client = mqtt.connect('mqtt://127.0.0.1:1883', { clientId: id });\n  client.on('connect', () => client.publish(id, 'online'));\n}`))).toEqual([]);
  });

  it('inside a function, each call connects them again: reported', () => {
    expect(ids(simulator(`export function start(): void {\n  devices.forEach(${body});\n}`))).toEqual([[5, 'leak']]);
  });
});

describe("a socket with a deadline timer needs no 'timeout' listener", () => {
  const probe = (connected: string, timer = 'const timer = setTimeout(() => {\n  socket.destroy();\n  reject(new Error("handshake timed out"));\n}, timeoutMs + 200);'): string => ts`
    import * as tls from 'node:tls';
    export function sessionInfo(port: number, timeoutMs: number): Promise<string> {
      return new Promise((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, timeout: timeoutMs });
        ${timer}
        socket.once('secureConnect', () => {
          ${connected}
        });
        socket.once('error', (error) => {
          clearTimeout(timer);
          reject(error);
        });
      });
    }
  `;

  it('a timer that destroys it, cleared only where it is released or by its error (which destroys it)', () => {
    expect(ids(probe("clearTimeout(timer);\nresolve(socket.getProtocol() ?? 'unknown');\nsocket.end();"))).toEqual([]);
  });

  it('cleared where it stays open: the idle timeout is unhandled again', () => {
    // (And the handshake's success path leaves it open: a leak of its own.)
    expect(ids(probe("clearTimeout(timer);\nresolve(socket.getProtocol() ?? 'unknown');"))).toEqual([[4, 'leak'], [4, 'idleTimeoutOptionUnhandled']]);
  });

  it('no deadline timer: the idle timeout is unhandled', () => {
    expect(ids(probe("resolve(socket.getProtocol() ?? 'unknown');\nsocket.end();", 'let timer: NodeJS.Timeout | undefined;'))).toEqual([[4, 'idleTimeoutOptionUnhandled']]);
  });
});

describe('a store whose function re-arms itself only on a path apart from the store', () => {
  it('`try { ws = open(); } catch { scheduleReconnect(); return; }`: a run that re-arms stored nothing', () => {
    const stream = (onFail: string): string => ts`
      import WebSocket from 'ws';
      function openStream(): WebSocket {
        return new WebSocket('ws://127.0.0.1:8080/telemetry');
      }
      export function useStream(): { stop: () => void } {
        let ws: WebSocket | null = null;
        let timer: ReturnType<typeof setTimeout> | null = null;
        function scheduleReconnect(): void {
          timer = setTimeout(connect, 1000);
        }
        function connect(): void {
          try {
            ws = openStream();
          } catch {
            ${onFail}
            return;
          }
          ws.on('message', (data) => console.log(String(data)));
          ws.on('close', () => scheduleReconnect());
        }
        connect();
        return {
          stop() {
            if (timer) clearTimeout(timer);
            ws?.close();
            ws = null;
          },
        };
      }
    `;
    expect(ids(stream('scheduleReconnect();'))).toEqual([]);
  });

  const status = (online: string): string => ts`
    import WebSocket from 'ws';
    export function start(address: string, statusUrl: string): void {
      let socket: WebSocket | undefined;
      const connect = (): void => {
        socket = new WebSocket(address);
        socket.on('message', (msg) => console.log(String(msg)));
        socket.on('error', () => socket?.close());
      };
      const reCheckStatus = (): void => {
        setTimeout(() => checkStatus(), 1000);
      };
      const checkStatus = async (): Promise<void> => {
        try {
          const res = await fetch(statusUrl);
          const json = (await res.json()) as { status: string };
          ${online}
        } catch {
          reCheckStatus();
        }
      };
      void checkStatus();
    }
  `;

  it('`if (up) connect(); else reCheckStatus();`: the status check retries until it connects, once', () => {
    expect(ids(status("if (json.status === 'online') connect();\nelse reCheckStatus();"))).toEqual([]);
  });

  it('a check that connects and re-arms on the same path connects again over the open socket', () => {
    expect(ids(status("if (json.status === 'online') connect();\nreCheckStatus();"))).toEqual([[5, 'fieldOverwritten']]);
  });
});

describe('a field collection copied, emptied, then released through the copy', () => {
  const pool = (close: string): string => ts`
    import * as http2 from 'node:http2';
    export class SessionPool {
      private sessions = new Map<string, http2.ClientHttp2Session>();
      get(origin: string): http2.ClientHttp2Session {
        const existing = this.sessions.get(origin);
        if (existing && !existing.closed) return existing;
        const session = http2.connect(origin);
        this.sessions.set(origin, session);
        session.once('close', () => this.sessions.delete(origin));
        return session;
      }
      async close(): Promise<void> {
        ${close}
      }
    }
  `;

  it('`const all = [...this.sessions.values()]; this.sessions.clear();` then each one of the copy closed', () => {
    expect(ids(pool('const sessions = [...this.sessions.values()];\nthis.sessions.clear();\nawait Promise.all(sessions.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));'))).toEqual([]);
    expect(ids(pool('const sessions = Array.from(this.sessions.values());\nthis.sessions.clear();\nfor (const s of sessions) s.close();'))).toEqual([]);
  });

  it('a copy that nothing releases: the sessions are dropped open', () => {
    expect(ids(pool('const sessions = [...this.sessions.values()];\nthis.sessions.clear();\nconsole.log(sessions.length);'))).toEqual([[14, 'leak']]);
  });
});

describe('a factory that resolves the socket and keeps it in a record of a field collection', () => {
  const transporter = (record: string): string => ts`
    import WebSocket from 'ws';
    interface WsData { ws?: WebSocket; url: string; connected: boolean }
    export class Transporter {
      private connections = new Map<string, WsData>();
      createConnection(url: string): Promise<WebSocket> {
        return new Promise((resolve, reject) => {
          const ws = new WebSocket(url);
          const data: WsData = ${record};
          ws.on('open', () => { data.connected = true; resolve(ws); });
          ws.on('error', (err) => { if (!data.connected) reject(err); });
          this.connections.set(url, data);
        });
      }
      async connect(url: string): Promise<void> {
        await this.createConnection(url);
      }
      close(): void {
        for (const d of this.connections.values()) d.ws?.close();
        this.connections.clear();
      }
    }
  `;

  it('`const data = { ws, url }; this.connections.set(url, data)`: the collection keeps it, the caller gets a reference', () => {
    expect(ids(transporter('{ ws, url, connected: false }'))).toEqual([]);
  });

  it('a record without the socket: the caller owns what it is resolved with, and drops it', () => {
    expect(ids(transporter('{ url, connected: false }'))).toEqual([[15, 'leak']]);
  });
});

describe('a function made where the resource is released on every path runs without it', () => {
  const fallback = (disconnect: string): string => ts`
    import Redis, { Cluster } from 'ioredis';
    export function connect(hosts: { host: string; port: number }[], strict: boolean): Promise<Redis | Cluster> {
      return new Promise((resolve, reject) => {
        const cluster = new Redis.Cluster(hosts);
        cluster.on('ready', () => {
          cluster.removeAllListeners('error');
          resolve(cluster);
        });
        cluster.on('error', () => {
          cluster.removeAllListeners('error');
          ${disconnect}
          const client = new Redis(hosts[0].port, hosts[0].host);
          client.on('error', (err) => {
            client.disconnect();
            reject(err);
          });
          client.on('ready', () => resolve(client));
        });
      });
    }
  `;

  it("the fallback client's listener, registered after the cluster was disconnected, settles without it", () => {
    expect(ids(fallback('cluster.disconnect();'))).toEqual([]);
  });

  it('disconnected on one path only: the listener may settle with the cluster open', () => {
    expect(ids(fallback('if (strict) cluster.disconnect();'))).toEqual([[4, 'leak']]);
  });
});

describe('a factory exported by a JavaScript module of the project, whatever its name', () => {
  const dir = path.join(__dirname, '..', 'fixtures-prescreen');
  const handler = (use: string): string => ts`
    'use strict';
    const rabbitPromise = require('./rabbit-factory');
    exports.handler = async (event) => {
      try {
        const channel = await rabbitPromise();
        ${use}
        return { statusCode: 200 };
      } catch (error) {
        console.log(error);
        return { statusCode: 422 };
      }
    };
  `;
  const messages = (code: string): Array<[number, string | undefined]> => lintJsWithPlugin(code, dir).map((m) => [m.line, m.messageId]);

  it('`module.exports = async () => { …; return channel; }` required and called: the caller owns the channel', () => {
    expect(messages(handler("channel.sendToQueue('bookstore', Buffer.from(event.body));"))).toEqual([[5, 'leak']]);
  });

  it('closed after use: no report', () => {
    expect(messages(handler("try {\n  channel.sendToQueue('bookstore', Buffer.from(event.body));\n} finally {\n  await channel.close();\n}"))).toEqual([]);
  });
});

describe("a dgram socket whose 'error' listener is the executor's reject itself", () => {
  const discover = (onError: string): string => ts`
    import * as dgram from 'node:dgram';
    export async function discover(timeoutMs: number): Promise<string[]> {
      const socket = dgram.createSocket('udp4');
      const found: string[] = [];
      await new Promise<void>((resolve, reject) => {
        socket.once('error', ${onError});
        socket.bind(0, () => {
          socket.setBroadcast(true);
          resolve();
        });
      });
      return await new Promise<string[]>((resolve) => {
        setTimeout(() => {
          socket.close();
          resolve(found);
        }, timeoutMs);
        socket.on('message', (_msg, rinfo) => found.push(rinfo.address));
      });
    }
  `;

  it('a failed bind() rejects with the socket open: the message names that listener', () => {
    const messages = lintWithPlugin(discover('reject'));
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[3, 'leak']]);
    expect(messages[0]?.message).toContain("when its 'error' listener at line 6");
    // With an operation callback on the socket later on (a send that closes it when it fails), the same listener.
    const withSend = lintWithPlugin(
      discover('reject').replace("socket.on('message', (_msg, rinfo) => found.push(rinfo.address));", "socket.on('message', (_msg, rinfo) => found.push(rinfo.address));\nsocket.send('hello', 41234, '127.0.0.1', (error) => {\n  if (error) {\n    socket.close();\n    resolve(found);\n  }\n});"),
    );
    // (And the timer's close() after the send callback's: a second close() of a dgram socket throws.)
    expect(withSend.map((m) => [m.line, m.messageId])).toEqual([[3, 'leak'], [14, 'deferredUse']]);
    expect(withSend[0]?.message).toContain("when its 'error' listener at line 6 settles the operation (reject())");
  });

  it('closed before rejecting: no leak', () => {
    expect(ids(discover('(e) => {\n  socket.close();\n  reject(e);\n}')).filter(([, id]) => id === 'leak')).toEqual([]);
  });
});

describe("a consumer channel kept in a field and given its handler by another method", () => {
  const service = (job: string): string => ts`
    import * as amqp from 'amqplib';
    export class Service {
      private channel: amqp.Channel | null = null;
      async register(conn: amqp.ChannelModel, exchange: string): Promise<this> {
        if (!this.channel) {
          this.channel = await conn.createChannel();
        }
        await this.channel.assertExchange(exchange, 'topic', { durable: true });
        return this;
      }
      job(source: string, fn: (s: string) => Promise<string>): this {
        ${job}
        return this;
      }
    }
  `;

  it('`this.channel.consume(queue, handler)`: it serves for the life of the process, as a local consumer does', () => {
    expect(ids(service("void this.channel?.consume(`${source}.process`, async (message) => {\n  if (!message) return;\n  const result = await fn(message.content.toString('utf-8'));\n  this.channel?.publish('dest', '', Buffer.from(result));\n  this.channel?.ack(message);\n});"))).toEqual([]);
  });

  it('a channel that only publishes must still be closed by the class', () => {
    expect(ids(service("void fn(source).then((r) => this.channel?.publish('dest', '', Buffer.from(r)));"))).toEqual([[6, 'fieldNeverReleased']]);
  });
});
