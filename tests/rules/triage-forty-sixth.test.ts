/**
 * Shapes found in the forty-sixth session (what earlier triages left, and the fortieth triage), each reduced to its
 * general mechanism, with the counterpart that must stay as it was.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

/** Line and message id of each message. */
const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a retry in the catch around a start() whose steps after the store only log, set plain fields and wait for the listen callback', () => {
  // Template literals of the code under test, put in as values (the \`ts\` tag keeps its text raw).
  const unknownType = '`Unknown tunnel type: ${this.type}`';
  const portText = '`${this.port}`';
  const tunnel = (listen: string, tail: string): string => ts`
    import * as net from 'node:net';
    declare const logger: { info(msg: string, meta?: object): void; error(msg: string, meta?: object): void };
    declare function describe(t: unknown): string;
    const STATES = { ACTIVE: 'active', FAILED: 'failed' } as const;
    export class Tunnel {
      private server: net.Server | null = null;
      state: string = 'connecting';
      lastActivity = new Date();
      attempts = 0;
      constructor(readonly type: string, readonly port: number) {}
      async start(): Promise<void> {
        try {
          switch (this.type) {
            case 'local':
              await this.startLocal();
              break;
            default:
              throw new Error(${unknownType});
          }
          this.state = STATES.ACTIVE;
          this.lastActivity = new Date();
          logger.info('tunnel started', { port: this.port, mode: this.type !== 'socks' ? ${portText} : 'SOCKS' });
        } catch (error) {
          this.state = STATES.FAILED;
          throw error;
        }
      }
      private async startLocal(): Promise<void> {
        this.server = net.createServer((s) => s.end());
        await new Promise<void>((resolve, reject) => {
          ${listen}
        });
        ${tail}
      }
      async reconnect(): Promise<boolean> {
        this.attempts++;
        try {
          await this.start();
          this.attempts = 0;
          return true;
        } catch (error) {
          logger.error('reconnect failed', { error: (error as Error).message });
          setTimeout(() => this.reconnect(), 1000 * this.attempts);
          return false;
        }
      }
      close(): void {
        this.server?.close();
        this.server = null;
      }
    }
  `;
  const listenCallback = "this.server!.listen(this.port, '127.0.0.1', (err?: Error) => { if (err) reject(err); else resolve(); });";

  it('reject only in the listen callback, then a log of plain values: each retry replaces a server that does not listen', () => {
    expect(ids(tunnel(listenCallback, `logger.info('listening', { local: ${portText}, host: '127.0.0.1' });`))).toEqual([]);
    expect(ids(tunnel(listenCallback, 'this.lastActivity = new Date();'))).toEqual([]);
  });

  it('a log whose argument calls something, or a reject that a timer makes: the retry may replace a listening server', () => {
    expect(ids(tunnel(listenCallback, "logger.info(describe(this.server), { at: Date.now() });"))).toEqual([[29, 'fieldOverwritten']]);
    expect(ids(tunnel(`${listenCallback} setTimeout(() => reject(new Error('slow')), 1000);`, ''))).toEqual([[29, 'fieldOverwritten']]);
  });

  it('a write to something that is not a logger is no log', () => {
    const code = tunnel(listenCallback, "STATES.ACTIVE.toString(); state.info('x');").replace('declare function describe', 'declare const state: { info(m: string): void };\n    declare function describe');
    expect(ids(code)).toEqual([[30, 'fieldOverwritten']]);
  });
});

describe("a JavaScript subclass's method whose promise resolves with `this` (typed Promise<any>)", () => {
  const dir = path.join(__dirname, '..', 'fixtures-prescreen');
  const use = (body: string): string => ts`
    import { createStaticServer } from './static-server.js';
    ${body}
  `;
  const leaks = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code, { dir }).map((m) => [m.line, m.messageId]);
  const snapshot = (method: string): string => use(`export async function* snapshot(work: () => AsyncGenerator<string>): AsyncGenerator<unknown, void, any> {
    let server;
    try {
      server = yield createStaticServer().${method}();
      yield* work();
    } finally {
      await server?.close();
    }
  }`);

  it('yielded to the generator runner, which sends it back to be closed in the finally: not reported', () => {
    expect(leaks(snapshot('listen'))).toEqual([]);
  });

  it('a method resolving with a number, or with `this` of a function of its own (not the server): reported', () => {
    expect(leaks(snapshot('port'))).toEqual([[5, 'leak']]);
    expect(leaks(snapshot('ready'))).toEqual([[5, 'leak']]);
  });
});

describe('the address of a server read in the callback of the listen() chained on its creation', () => {
  const server = (listenArgs: string): string => ts`
    import { createServer, type Server } from 'node:http';
    export function testServer(): Promise<[Server, number]> {
      return new Promise((resolve, reject) => {
        const httpServer = createServer().listen(${listenArgs}, () => {
          const address = httpServer.address();
          if (address && typeof address === 'object') {
            return resolve([httpServer, address.port]);
          }
          reject(new Error('no address'));
        });
      });
    }
  `;

  it('listening on a port: the address is an object, reject() never runs (not reported)', () => {
    expect(ids(server('0'))).toEqual([]);
  });

  it('listening on a pipe: the address is a string, the server is dropped (reported)', () => {
    expect(ids(server("'/tmp/test.sock'"))).toEqual([[4, 'leak']]);
  });
});

describe("a tunnel's upgraded socket stored in a `let` of the function around, which the source's failure listener releases", () => {
  const proxy = (extra: string, onError = 'ps?.destroy();'): string => ts`
    import * as http from 'node:http';
    import type { Socket } from 'node:net';
    export function proxyWs(req: http.IncomingMessage, socket: Socket, spare: Socket): Promise<void> {
      const client = http.request({ host: '127.0.0.1', port: 8080, method: 'GET', path: req.url });
      return new Promise<void>((resolve, reject) => {
        req.pipe(client);
        let ps: Socket | null = null;
        ${extra}
        client.once('upgrade', (_res: http.IncomingMessage, proxySocket: Socket) => {
          ps = proxySocket;
          ps.once('end', () => resolve());
          socket.once('error', (err) => {
            ${onError}
            reject(err);
          });
          proxySocket.pipe(socket).pipe(proxySocket);
        });
      });
    }
  `;

  it('the variable holds only this socket: released when the source fails (not reported)', () => {
    expect(ids(proxy(''))).toEqual([]);
  });

  it('the listener releases nothing, or the variable may hold another socket: reported', () => {
    expect(ids(proxy('', 'console.log(ps);'))).toEqual([[9, 'leak']]);
    expect(ids(proxy('if (req.method === "CONNECT") ps = spare;'))).toEqual([[9, 'leak']]);
  });
});

describe('a method of the file that releases its parameter only in a catch that rethrows', () => {
  const dumper = (body: string, onError = 'connection.end();\n          throw error;'): string => ts`
    import { createConnection, type Connection } from 'mysql2/promise';
    export class Dumper {
      async dump(url: string): Promise<string[]> {
        const connection = await createConnection(url);
        const tables = await this.getTables(connection);
        ${body}
      }
      private async getTables(connection: Connection): Promise<string[]> {
        try {
          const [rows] = await connection.query('SHOW TABLES');
          return (rows as Array<{ name: string }>).map((r) => r.name);
        } catch (error) {
          ${onError}
        }
      }
    }
  `;

  it('the caller goes on using and then releases it: no use after close, no leak', () => {
    expect(ids(dumper("try {\n      await connection.query('SELECT 1');\n    } finally {\n      await connection.end();\n    }\n    return tables;"))).toEqual([]);
  });

  it('the caller returns without releasing it: reported (the callee released it only on the failing path)', () => {
    expect(ids(dumper('return tables;'))).toEqual([[4, 'leak']]);
  });

  it('a catch that releases and swallows the error: the call releases it, a later use is reported', () => {
    expect(ids(dumper("await connection.query('SELECT 1');\n    return tables;", 'connection.end();\n          return [];'))).toEqual([[6, 'useAfterRelease']]);
  });
});

describe('a one-shot callback given by a name that holds only it', () => {
  const ping = (onError: string, extra = ''): string => ts`
    import * as dgram from 'node:dgram';
    export function udpPing(port: number, host: string, timeoutMs: number, done: (ok: boolean) => void): void {
      const socket = dgram.createSocket('udp4');
      let timer: NodeJS.Timeout | undefined;
      socket.on('error', () => {
        if (timer) clearTimeout(timer);
        socket.close();
      });
      const onSent = (err: Error | null) => {
        if (err) {
          ${onError}
          done(false);
          return;
        }
        timer = setTimeout(() => socket.close(), timeoutMs);
      };
      socket.send(Buffer.alloc(8), port, host, onSent);
      ${extra}
    }
  `;

  it('its path that returns on a send error leaves the socket open: reported, as when written in place', () => {
    expect(ids(ping(''))).toEqual([[3, 'leak']]);
    expect(lintWithPlugin(ping(''))[0]?.message).toContain('send() callback at line 9 returns at line 13');
  });

  it('closed on that path too: not reported', () => {
    expect(ids(ping('socket.close();'))).toEqual([]);
  });

  it('the same function also given elsewhere: not taken for a callback that runs once', () => {
    expect(ids(ping('', 'socket.send(Buffer.alloc(8), port, host, onSent);'))).toEqual([]);
  });
});

describe('one branch of an awaited choice between two creations resolves to its own kind', () => {
  const run = (onPool: string): string => ts`
    import * as mysql2 from 'mysql2/promise';
    export async function run(pool: mysql2.Pool, usePool: boolean, options: mysql2.ConnectionOptions, task: (c: unknown) => Promise<void>): Promise<void> {
      let connection;
      try {
        connection = await (usePool ? pool.getConnection() : mysql2.createConnection(options));
        return await task(connection);
      } finally {
        if (usePool) ${onPool};
        else await connection!.end();
      }
    }
  `;

  it("the pool's connection released with release(), the other with end(): not reported", () => {
    expect(ids(run('(connection as mysql2.PoolConnection).release()'))).toEqual([]);
  });

  it("the pool's connection not released: reported at its branch", () => {
    expect(lintWithPlugin(run('console.log(connection)')).map((m) => [m.line, m.column, m.messageId])).toEqual([[5, 35, 'leak']]);
  });
});

describe('a subscriber kept in a field that its function clears in a catch', () => {
  const listener = (onFailure: string): string => ts`
    import { Client } from 'pg';
    export class Listener {
      private client: Client | null = null;
      onEvent: (p: string) => void = () => {};
      async connect(): Promise<void> {
        if (this.client) return;
        try {
          this.client = new Client({ host: '127.0.0.1' });
          this.client.on('notification', (msg) => this.onEvent(msg.payload ?? ''));
          await this.client.connect();
          await this.client.query('LISTEN events');
        } catch (error) {
          ${onFailure}
          throw error;
        }
      }
      async disconnect(): Promise<void> {
        if (this.client) {
          await this.client.end();
          this.client = null;
        }
      }
    }
  `;

  it('cleared without release after a failed LISTEN: reported', () => {
    expect(lintWithPlugin(listener('this.client = null;')).map((m) => [m.line, m.message])).toEqual([
      [8, expect.stringContaining("not released before 'this.client' is cleared at line 13") as string],
    ]);
  });

  it('ended first, or kept: not reported', () => {
    expect(ids(listener('await this.client?.end();\n      this.client = null;'))).toEqual([]);
    expect(ids(listener('console.error(error);'))).toEqual([]);
  });
});

describe('a flag set only in the catch of a try whose block ends with the creation', () => {
  const manager = (tryTail: string): string => ts`
    import * as amqp from 'amqplib';
    export class Manager {
      private connection: amqp.ChannelModel | null = null;
      async connect(url: string, strict: boolean): Promise<void> {
        let connectionError: unknown = null;
        try {
          this.connection = await amqp.connect(url);
          ${tryTail}
        } catch (error) {
          connectionError = error;
        }
        if (connectionError) {
          this.connection = null;
          throw connectionError;
        }
        this.connection.on('error', () => {});
      }
      async close(): Promise<void> {
        await this.connection?.close();
        this.connection = null;
      }
    }
  `;

  it('set only when the creation failed: the clear drops nothing (not reported)', () => {
    expect(ids(manager(''))).toEqual([]);
  });

  it('also set, or the catch also entered, after the creation: the clear may drop the open connection (reported)', () => {
    expect(ids(manager("if (strict) connectionError = new Error('strict');"))).toEqual([[7, 'leak']]);
    expect(ids(manager("JSON.parse(url);"))).toEqual([[7, 'leak']]);
  });
});

/** A class keeping a `ws` WebSocket in a field, whose `disconnect()` body is given. */
const wsConn = (disconnect: string): string => ts`
  import WebSocket from 'ws';
  export class Conn {
    ws?: WebSocket;
    constructor(private url: string) {}
    async connect(ready: Promise<void>): Promise<void> {
      this.ws = new WebSocket(this.url);
      this.ws.on('message', (m) => console.log(String(m)));
      await ready;
    }
    disconnect(): void {
      ${disconnect}
    }
  }
`;

describe('`delete this.ws` clears the field as `this.ws = undefined` does', () => {
  const conn = wsConn;

  it('released only when open, then deleted: a connecting socket is dropped (reported, as with = undefined)', () => {
    const deleted = lintWithPlugin(conn('if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.close();\n    delete this.ws;')).map((m) => [m.line, m.message]);
    expect(deleted).toEqual([[6, expect.stringContaining("before 'this.ws' is cleared at line 12") as string]]);
    expect(ids(conn('if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.close();\n    this.ws = undefined;'))).toEqual([[6, 'leak']]);
  });

  it('closed whatever its state, then deleted: not reported', () => {
    expect(ids(conn('this.ws?.close();\n    delete this.ws;'))).toEqual([]);
  });
});

describe("a test that asserts an idle client's opening to reject", () => {
  const testCase = (body: string): string => ts`
    import { Client } from 'pg';
    import assert from 'node:assert';
    declare const test: (name: string, fn: () => Promise<void>) => void;
    declare const expect: (value: unknown) => { rejects: { toThrow(m?: string): Promise<void> } };
    test('connect times out', async () => {
      const client = new Client({ host: '127.0.0.1', port: 1, connectionTimeoutMillis: 1000 });
      ${body}
    });
  `;

  it('expect(client.connect()).rejects, assert.rejects(client.connect()): not reported', () => {
    expect(ids(testCase("await expect(client.connect()).rejects.toThrow('ECONNREFUSED');"))).toEqual([]);
    expect(ids(testCase('await assert.rejects(client.connect(), /ECONNREFUSED/);'))).toEqual([]);
  });

  it('an operation after a successful opening asserted to reject: the client stays open (reported)', () => {
    expect(ids(testCase("await client.connect();\n  await expect(client.query('SELEC 1')).rejects.toThrow();"))).toEqual([[6, 'leak']]);
  });
});

describe("a start-up timeout armed in the executor of a server that listens on a port and resolves on 'listening'", () => {
  const start = (listen: string, onListening = 'resolve(server)'): string => ts`
    import * as http from 'node:http';
    export const startServer = (port: number, timeout: number): Promise<http.Server> =>
      new Promise((resolve, reject) => {
        setTimeout(() => reject(new Error('timeout')), timeout);
        const server = http.createServer();
        server.on('listening', () => ${onListening});
        server.on('error', (err) => reject(err));
        server.${listen};
      });
  `;

  it("listen(port): 'listening' (or a failed listen's 'error') comes before any timer, not reported", () => {
    expect(ids(start('listen(port)'))).toEqual([]);
  });

  it('a host name to look up, or a promise the listener does not resolve: the timer can win, reported', () => {
    expect(ids(start("listen(port, 'localhost')"))).toEqual([[5, 'leak']]);
    expect(ids(start('listen(port)', 'console.log(port)'))).toEqual([[5, 'leak']]);
  });
});

describe('a store whose function runs itself again through others, after a caller that releases only an open socket', () => {
  const shard = (release: string): string => ts`
    import { EventEmitter, once } from 'node:events';
    import { setTimeout as sleep } from 'node:timers/promises';
    import WebSocket from 'ws';
    export class Shard extends EventEmitter {
      private connection: WebSocket | null = null;
      constructor(private readonly url: string) {
        super();
      }
      async connect(): Promise<void> {
        const connection = new WebSocket(this.url);
        connection.onmessage = (e) => this.emit('hello', e.data);
        this.connection = connection;
        if (!(await this.waitForHello())) return;
        this.emit('ready');
      }
      private async waitForHello(): Promise<boolean> {
        try {
          await once(this, 'hello', { signal: AbortSignal.timeout(60_000) });
          return true;
        } catch {
          void this.destroy(true);
          return false;
        }
      }
      async destroy(recover: boolean): Promise<void> {
        if (this.connection) {
          this.connection.onmessage = null;
          ${release}
        }
        if (recover) {
          await sleep(500);
          return this.connect();
        }
      }
    }
  `;

  it('closed only when OPEN: a socket still connecting is overwritten by the reconnect (reported)', () => {
    expect(ids(shard('if (this.connection.readyState === WebSocket.OPEN) this.connection.close(1000);'))).toEqual([[12, 'fieldOverwritten']]);
  });

  it('closed (or terminated) whatever its state, or unless already CLOSED: not reported', () => {
    expect(ids(shard('this.connection.close(1000);'))).toEqual([]);
    expect(ids(shard('if (this.connection.readyState !== WebSocket.CLOSED) this.connection.terminate();'))).toEqual([]);
  });
});

describe("the storing method releases the field's socket itself, then stores a new one, whose old 'close' listener clears the field", () => {
  const listener = (before: string, onClose = 'this.socket = null;'): string => ts`
    import { createSocket, type Socket } from 'node:dgram';
    import { EventEmitter } from 'node:events';
    export class Listener extends EventEmitter {
      private socket: Socket | null = null;
      constructor(private readonly port: number) { super(); }
      async listen(): Promise<void> {
        if (this.socket != null) {
          ${before}
        }
        this.socket = createSocket({ type: 'udp4', reuseAddr: true });
        this.socket.on('close', () => {
          ${onClose}
        });
        this.socket.on('message', (buf) => this.emit('message', buf.toString()));
        this.socket.bind(this.port);
      }
      stopListen(): void {
        this.socket?.close();
      }
    }
  `;

  it('closed, then replaced at once: the old close event clears the new socket (reported)', () => {
    expect(ids(listener('this.socket.close();'))).toEqual([[12, 'staleClear']]);
  });

  it("the old socket's listeners removed first, its close awaited, or the listener checks what it clears: not reported", () => {
    expect(ids(listener('this.socket.removeAllListeners();\n      this.socket.close();'))).toEqual([]);
    expect(ids(listener("this.socket.close();\n      await new Promise((r) => setTimeout(r, 10));"))).toEqual([]);
    expect(ids(listener('this.socket.close();', 'if (this.socket === socket) this.socket = null;').replace("this.socket = createSocket({ type: 'udp4', reuseAddr: true });", "const socket = createSocket({ type: 'udp4', reuseAddr: true });\n    this.socket = socket;"))).toEqual([]);
  });
});

describe('a field that cannot change decides both the creation and the release', () => {
  const connector = (field: string, extra = ''): string => ts`
    import mysql2, { type PoolOptions, type Connection } from 'mysql2/promise';
    export class Connector {
      ${field}
      constructor(usePool: boolean, private readonly options: PoolOptions) {
        this.usePool = usePool;
      }
      ${extra}
      async run<T>(task: (c: Connection | undefined) => Promise<T>): Promise<T> {
        const direct = this.usePool ? undefined : await mysql2.createConnection(this.options);
        try {
          return await task(direct);
        } finally {
          if (!this.usePool) await direct!.end();
        }
      }
    }
  `;

  it('readonly, or written only in the constructor: not reported', () => {
    expect(ids(connector('private readonly usePool: boolean;'))).toEqual([]);
    expect(ids(connector('private usePool: boolean;'))).toEqual([]);
  });

  it('a method may change it between the creation and the release: reported', () => {
    expect(ids(connector('private usePool: boolean;', 'toggle(): void { this.usePool = !this.usePool; }'))).toEqual([[9, 'leak']]);
  });
});

describe('a serving client stored, then cleared in the catch of a try whose later steps cannot throw', () => {
  const service = (after: string): string => ts`
    import * as mqtt from 'mqtt';
    declare const logger: { info(m: string): void; error(m: unknown, t?: string): void };
    export class MqttService {
      private client: mqtt.MqttClient | null = null;
      connect(url: string): void {
        try {
          this.client = mqtt.connect(url);
          ${after}
        } catch (err) {
          logger.error({ err }, 'MQTT: failed');
          this.client = null;
        }
      }
      private setupEventListeners(): void {
        if (!this.client) return;
        this.client.on('message', (topic) => logger.info(topic));
      }
      disconnect(): void {
        this.client?.end(true);
        this.client = null;
      }
    }
  `;

  it('only a method that adds listeners and a log line after the store: not reported', () => {
    expect(ids(service("this.setupEventListeners();\n      logger.info('MQTT: ready');"))).toEqual([]);
  });

  it('a step that can throw after the store (before anything the object does with it): reported', () => {
    expect(ids(service("JSON.parse(url);\n      this.setupEventListeners();"))).toEqual([[7, 'leak']]);
  });
});

describe('a copy of the field released only when OPEN before the field is cleared', () => {
  const conn = (release: string): string => wsConn(`const { ws } = this;\n    ${release}\n    delete this.ws;`);

  it('closed only when OPEN (the else only logs): a connecting socket is dropped (reported)', () => {
    expect(ids(conn("if (ws && ws.readyState === ws.OPEN) {\n      ws.close(1000, 'bye');\n    } else {\n      console.log('not open');\n    }"))).toEqual([[6, 'leak']]);
  });

  it('closed unless already CLOSED, or handed on: not reported', () => {
    expect(ids(conn('if (ws && ws.readyState !== ws.CLOSED) ws.close();'))).toEqual([]);
    expect(ids(conn('if (ws) setTimeout(() => ws.terminate(), 1000);'))).toEqual([]);
  });
});
