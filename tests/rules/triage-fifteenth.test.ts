/**
 * Shapes from the fifteenth hand triage (and leftovers of the fourteenth): each false alarm, miss or wrong message
 * reduced to its general mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const reports = (code: string): Array<[number, string | undefined, string]> => lintWithPlugin(code).map((m) => [m.line, m.messageId, m.message]);

describe('a creating method whose promise is returned un-awaited hands the creator off with what it makes', () => {
  it('`return conn.createChannel()` in the async function that connected: leaks only when createChannel() rejects', () => {
    const found = reports(ts`
      import amqplib from 'amqplib';
      export async function channel(url: string) {
        const conn = await amqplib.connect(url);
        return conn.createChannel();
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([[3, 'leak']]);
    expect(found[0]?.[2]).toContain('when createChannel() at line 4 rejects');
  });

  it('`.then((conn) => conn.createChannel())`: the same', () => {
    const found = reports(ts`
      import amqplib from 'amqplib';
      export function channel(url: string) {
        return amqplib.connect(url).then((conn) => conn.createChannel());
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([[3, 'leak']]);
    expect(found[0]?.[2]).toContain('when createChannel() at line 3 rejects');
  });

  it('the same promise not returned (a statement): the connection is dropped on every path', () => {
    const found = reports(ts`
      import amqplib from 'amqplib';
      export async function channel(url: string): Promise<void> {
        const conn = await amqplib.connect(url);
        void conn.createChannel();
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([[3, 'leak']]);
    expect(found[0]?.[2]).toContain('on any path');
  });

  it('returned from a nested function, not the owner: no hand-off of the connection', () => {
    const found = reports(ts`
      import amqplib from 'amqplib';
      export async function channel(url: string): Promise<() => unknown> {
        const conn = await amqplib.connect(url);
        return () => {
          return conn.createChannel();
        };
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([]);
  });

  it('a creating method whose made resource does not close with its creator (a pool connection): no hand-off', () => {
    const found = reports(ts`
      import mysql from 'mysql2/promise';
      export async function connection(uri: string) {
        const pool = mysql.createPool(uri);
        return pool.getConnection();
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([[3, 'leak']]);
  });
});

describe('a creating method returned into a further continuation is no hand-off', () => {
  it('`.then((conn) => conn.createChannel()).then((ch) => …)` dropping the channel: on any path', () => {
    const found = reports(ts`
      import amqplib from 'amqplib';
      export function publish(url: string, q: string): Promise<boolean> {
        return amqplib
          .connect(url)
          .then((conn) => conn.createChannel())
          .then((ch) => ch.sendToQueue(q, Buffer.from('x')));
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([[3, 'leak']]);
    expect(found[0]?.[2]).toContain('on any path');
  });
});

describe('an awaited call given a socket of the kind it resolves to passes it through', () => {
  it('`await helper.connect(client, options)` resolving to the client it was given: no creation (not reported)', () => {
    expect(reports(ts`
      import type { Client, ConnectConfig } from 'ssh2';
      export interface Helper {
        connect(client: Client, options: ConnectConfig): Promise<Client>;
      }
      export interface Factory {
        createClient(): Client;
      }
      export class Service {
        constructor(private factory: Factory, private helper: Helper) {}
        async run(options: ConnectConfig): Promise<Client> {
          const client = this.factory.createClient();
          await this.helper.connect(client, options);
          return client;
        }
      }
    `)).toEqual([]);
  });

  it('an awaited factory given no socket of that kind still creates one: reported', () => {
    expect(reports(ts`
      import type { Client, ConnectConfig } from 'ssh2';
      export interface Helper {
        open(options: ConnectConfig): Promise<Client>;
      }
      export async function run(helper: Helper, options: ConnectConfig): Promise<void> {
        await helper.open(options);
      }
    `).map(([l, id]) => [l, id])).toEqual([[6, 'leak']]);
  });
});

describe('a field destructured out of `this` is a copy of the field', () => {
  const cls = (read: string): string => ts`
    import { Client, type ConnectConfig } from 'ssh2';
    export class Tunnel {
      private connection: Client | null = null;
      async connect(options: ConnectConfig): Promise<this> {
        const connection = new Client();
        await new Promise((resolve, reject) => {
          connection.on('error', reject);
          connection.on('ready', () => {
            this.connection = connection;
            resolve(true);
          });
          connection.connect(options);
        });
        return this;
      }
      disconnect(): void {
        ${read}
        this.connection = null;
      }
      close(): void {
        this.connection?.end();
      }
    }
  `;

  it('`const { connection } = this; connection.end()` before the clear: not reported', () => {
    expect(reports(cls('const { connection } = this; connection?.end();'))).toEqual([]);
  });

  it('a clear with nothing read before it: reported', () => {
    expect(reports(cls('console.log("bye");')).map(([l, id]) => [l, id])).toEqual([[5, 'leak']]);
  });

  it('another field destructured before the clear: reported', () => {
    expect(reports(cls('const { close } = this; close.name;')).map(([l, id]) => [l, id])).toEqual([[5, 'leak']]);
  });
});

describe('a function of another file that returns a server it gave a handler', () => {
  it('`await startApi(port)` (handler given to createServer), `startEcho(port)` (a connection listener), `startFramework(app, port)` (an untyped app.handler where createServer takes a function): serving, not reported', () => {
    expect(reports(ts`
      import { startApi, startEcho, startFramework } from './serving-helpers';
      export async function main(app: unknown): Promise<void> {
        await startApi(8080);
        startEcho(8081);
        startFramework(app, 8083);
      }
    `)).toEqual([]);
  });

  it('a bare server returned: the caller owns it (reported)', () => {
    expect(reports(ts`
      import { startBare } from './serving-helpers';
      export function main(): void {
        startBare(8082);
      }
    `).map(([l, id]) => [l, id])).toEqual([[3, 'leak']]);
  });

  it('the same helpers in the file of the caller: the same answers', () => {
    expect(reports(ts`
      import * as http from 'node:http';
      function start(port: number): http.Server {
        const server = http.createServer((req, res) => res.end('OK'));
        server.listen(port, '127.0.0.1');
        return server;
      }
      function bare(port: number): http.Server {
        const server = http.createServer();
        server.listen(port, '127.0.0.1');
        return server;
      }
      export function main(): void {
        start(1);
        bare(2);
      }
    `).map(([l, id]) => [l, id])).toEqual([[14, 'leak']]);
  });
});

describe("a Node stream's 'error' comes at most once", () => {
  const code = (emitter: string): string => ts`
    import { Readable } from 'node:stream';
    import { EventEmitter } from 'node:events';
    import type { Pool } from 'pg';
    declare function queryStream(text: string): Readable & { submit(): void };
    declare function queryEmitter(text: string): EventEmitter & { submit(): void };
    export async function rows(pool: Pool, text: string): Promise<unknown> {
      const client = await pool.connect();
      const stream = client.query(${emitter}(text));
      stream.on('end', () => client.release());
      stream.on('error', () => {
        client.release();
      });
      return stream;
    }
  `;

  it("a query stream's 'error' listener releasing the client: not reported", () => {
    expect(reports(code('queryStream'))).toEqual([]);
  });

  it("the same on a plain emitter, whose 'error' may come again: reported", () => {
    expect(reports(code('queryEmitter')).map(([l, id]) => [l, id])).toEqual([[11, 'deferredUse']]);
  });
});

describe('a field cleared after the release of the pool that checked its connection out', () => {
  it("mysql2: `await this.pool.end(); this.conn = null` (end() closes checked-out connections): not reported", () => {
    expect(reports(ts`
      import * as mysql from 'mysql2/promise';
      export class Repository {
        private pool: mysql.Pool;
        private conn: mysql.PoolConnection | null = null;
        constructor(options: mysql.PoolOptions) {
          this.pool = mysql.createPool(options);
        }
        async closeDB(): Promise<void> {
          await this.pool.end();
          this.conn = null;
        }
        async begin(): Promise<void> {
          if (this.conn) throw new Error('begun');
          this.conn = await this.pool.getConnection();
          await this.conn.beginTransaction();
        }
        async commit(): Promise<void> {
          await this.conn?.commit();
          this.conn?.release();
          this.conn = null;
        }
      }
    `)).toEqual([]);
  });

  it('pg: `await this.pool.end()` waits for checked-out clients, it does not release them: reported', () => {
    expect(reports(ts`
      import { Pool, type PoolClient } from 'pg';
      export class Repository {
        private pool = new Pool();
        private conn: PoolClient | null = null;
        async closeDB(): Promise<void> {
          await this.pool.end();
          this.conn = null;
        }
        async begin(): Promise<void> {
          if (this.conn) throw new Error('begun');
          this.conn = await this.pool.connect();
          await this.conn.query('BEGIN');
        }
        async commit(): Promise<void> {
          await this.conn?.query('COMMIT');
          this.conn?.release();
          this.conn = null;
        }
      }
    `).map(([l, id, text]) => [l, id, text.includes("before 'this.conn' is cleared at line 7")])).toEqual([[11, 'leak', true]]);
  });
});

describe('a presence test of the field does not end the clear check', () => {
  const code = (body: string): string => ts`
    import WebSocket from 'ws';
    export class Node3 {
      private socket: WebSocket | null = null;
      private alive = true;
      constructor(private readonly url: string) {}
      connect(): void {
        this.socket = new WebSocket(this.url);
        this.socket.on('close', () => this.onClose());
        this.socket.on('pong', () => (this.alive = true));
        setInterval(() => {
          if (!this.alive) return this.onClose();
          this.alive = false;
          this.socket?.ping();
        }, 30_000);
      }
      destroy(): void {
        this.socket?.close();
        this.socket = null;
      }
      private onClose(): void {
        ${body}
      }
    }
  `;

  it('`if (this.socket) { removeAllListeners(); this.socket = null }` from a heartbeat: reported', () => {
    const found = reports(code('if (this.socket) { this.socket.removeAllListeners(); this.socket = null; }'));
    expect(found.map(([l, id]) => [l, id])).toEqual([[7, 'leak']]);
    expect(found[0]?.[2]).toContain("before 'this.socket' is cleared at line 21");
  });

  it('`if (this.socket) { this.socket.terminate(); this.socket = null }`: released first (not reported)', () => {
    expect(reports(code('if (this.socket) { this.socket.terminate(); this.socket = null; }'))).toEqual([]);
  });

  it('the same teardown called only from callbacks of unknown timing (a state machine exit action): not reported', () => {
    expect(reports(ts`
      import WebSocket from 'ws';
      declare const machine: { onExit(action: () => void): void };
      export class Rtm {
        private websocket: WebSocket | undefined;
        start(url: string): void {
          this.websocket = new WebSocket(url);
          machine.onExit(() => this.teardown());
        }
        disconnect(): void {
          this.websocket?.close();
        }
        private teardown(): void {
          if (this.websocket !== undefined) {
            this.websocket.removeAllListeners('close');
            this.websocket = undefined;
          }
        }
      }
    `)).toEqual([]);
  });

  it('a state test (`readyState`) before the clear still ends the check', () => {
    expect(reports(code('if (this.socket?.readyState === WebSocket.CLOSED) { this.socket = null; }'))).toEqual([]);
  });
});

describe("pg's `done` handed with a checked-out client releases it (no-use-after-close)", () => {
  it('a query after `done()` in the callback form: reported at the query', () => {
    const found = reports(ts`
      import { Pool } from 'pg';
      export function onMessage(pool: Pool, id: string): void {
        pool.connect((err, client, done) => {
          if (err || !client) return;
          client.query('update users set n = n + 1 where id = $1', [id], (qerr, result) => {
            done(qerr);
            if (result.rowCount === 0) client.query('insert into users (id) values ($1)', [id]);
          });
        });
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([[7, 'useAfterRelease']]);
    expect(found[0]?.[2]).toContain('done() at line 6');
  });

  it('`done()` as the last thing: not reported', () => {
    expect(reports(ts`
      import { Pool } from 'pg';
      export function onMessage(pool: Pool, id: string): void {
        pool.connect((err, client, done) => {
          if (err || !client) return;
          client.query('select $1::text', [id], () => done());
        });
      }
    `)).toEqual([]);
  });
});

describe("a resource used in the listener of its own close event", () => {
  it("a pg Client's 'end' listener connecting and querying again (a Client cannot reconnect): reported", () => {
    const found = reports(ts`
      import pg from 'pg';
      export function listen(onPayload: (p?: string) => void): pg.Client {
        const client = new pg.Client();
        void client.connect();
        void client.query('LISTEN table_modified');
        client.on('notification', (msg) => onPayload(msg.payload));
        client.on('error', (err) => console.error(err));
        client.on('end', () => {
          void client.connect();
        });
        return client;
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([[9, 'useAfterRelease']]);
    expect(found[0]?.[2]).toContain("its 'end' event at line 8");
  });

  it("a WebSocket's 'close' listener sending: reported; one that makes a new socket or terminates it: not", () => {
    expect(reports(ts`
      import WebSocket from 'ws';
      export function a(url: string): WebSocket {
        const ws = new WebSocket(url);
        ws.on('close', () => ws.send('bye'));
        return ws;
      }
      export function b(url: string): WebSocket {
        const ws = new WebSocket(url);
        ws.on('close', () => {
          ws.terminate();
          ws.removeAllListeners();
          console.log('closed', ws.readyState);
        });
        return ws;
      }
    `).map(([l, id]) => [l, id])).toEqual([[4, 'useAfterRelease']]);
  });

  it("a net.Socket's 'close' listener reconnecting the same socket then writing: not reported", () => {
    expect(reports(ts`
      import * as net from 'node:net';
      export function keep(port: number): net.Socket {
        const s = net.connect(port, '127.0.0.1');
        s.on('close', () => {
          s.connect(port, '127.0.0.1');
          s.write('hello');
        });
        return s;
      }
    `)).toEqual([]);
  });
});

describe("a subscriber released by a request's AbortSignal serves that request", () => {
  it("`signal.addEventListener('abort', () => sub.quit())`: checked, reported when subscribe() rejects", () => {
    const found = reports(ts`
      import Redis from 'ioredis';
      export async function follow(redis: Redis, signal: AbortSignal, id: string, send: (m: string) => void): Promise<void> {
        const sub = redis.duplicate();
        await sub.subscribe('copilot:' + id);
        sub.on('message', (_c: string, m: string) => send(m));
        signal.addEventListener('abort', () => sub.quit(), { once: true });
      }
    `);
    expect(found.map(([l, id]) => [l, id])).toEqual([[3, 'leak']]);
    expect(found[0]?.[2]).toContain('when subscribe() at line 4 rejects');
  });

  it('the same subscriber released by nothing but serving: not reported (serves for the life of the process)', () => {
    expect(reports(ts`
      import Redis from 'ioredis';
      export async function follow(redis: Redis, id: string, send: (m: string) => void): Promise<void> {
        const sub = redis.duplicate();
        await sub.subscribe('copilot:' + id);
        sub.on('message', (_c: string, m: string) => send(m));
      }
    `)).toEqual([]);
  });
});

describe('a release that the reconnect of the close listener undoes', () => {
  const feed = (stop: string, listener = 'setTimeout(() => this.open(), 2000);'): string => ts`
    import * as net from 'node:net';
    export class Feed {
      private sock: net.Socket | undefined;
      private stopped = false;
      constructor(private readonly port: number) {}
      open(): void {
        const s = net.connect(this.port, '127.0.0.1');
        s.on('error', () => undefined);
        s.on('close', () => {
          ${listener}
        });
        this.sock = s;
      }
      stop(): void {
        ${stop}
      }
    }
  `;

  it("stop() destroys the socket, whose 'close' listener opens the next one: reported at the release", () => {
    const found = reports(feed('this.sock?.destroy(); this.sock = undefined;'));
    expect(found.map(([l, id]) => [l, id])).toEqual([[15, 'reconnectsAfterRelease']]);
    expect(found[0]?.[2]).toContain("its 'close' listener at line 9");
  });

  it('released in a local function stop() calls (a drain-and-close helper): reported', () => {
    expect(reports(feed('const attempt = () => { this.sock?.destroy(); }; attempt();')).map(([l, id]) => [l, id])).toEqual([[15, 'reconnectsAfterRelease']]);
  });

  it('released only in a watchdog timer the class arms (terminating a silent socket so that it reconnects): not reported', () => {
    expect(reports(feed('setTimeout(() => this.sock?.destroy(), 5000);'))).toEqual([]);
  });

  it('a flag the listener tests, set by stop(): not reported', () => {
    expect(reports(feed('this.stopped = true; this.sock?.destroy();', 'if (!this.stopped) setTimeout(() => this.open(), 2000);'))).toEqual([]);
  });

  it('the listeners removed before the release: not reported', () => {
    expect(reports(feed('this.sock?.removeAllListeners(); this.sock?.destroy();'))).toEqual([]);
  });

  it('a flag that the function making the socket tests: not reported', () => {
    expect(reports(ts`
      import WebSocket from 'ws';
      export class Feed {
        private ws: WebSocket | null = null;
        private closing = false;
        connect(): void {
          if (this.closing) return;
          this.ws = new WebSocket('ws://127.0.0.1:9443');
          this.ws.on('close', () => setTimeout(() => this.connect(), 1000));
        }
        close(): void {
          this.closing = true;
          this.ws?.close();
        }
      }
    `)).toEqual([]);
  });

  it('the same socket reopened by its close listener (winston-syslog): reported at the release', () => {
    expect(reports(ts`
      import * as net from 'node:net';
      export class Syslog {
        private socket: net.Socket | null = null;
        constructor(private readonly host: string, private readonly port: number) {}
        connect(): void {
          if (this.socket) return;
          this.socket = new net.Socket();
          this.socket.on('error', () => undefined);
          this.socket.on('close', () => {
            setTimeout(() => this.socket?.connect(this.port, this.host), 1000);
          });
          this.socket.connect({ host: this.host, port: this.port });
        }
        close(): void {
          if (this.socket) this.socket.destroy();
        }
      }
    `).map(([l, id]) => [l, id])).toEqual([[15, 'reconnectsAfterRelease']]);
  });
});

describe("a reconnect called from both the 'error' and the 'close' listener of one socket", () => {
  const client = (onError: string, onClose: string): string => ts`
    import WebSocket from 'ws';
    export class Client {
      private ws?: WebSocket;
      private stopped = false;
      constructor(private readonly host: string) {}
      connect(): void {
        this.ws = new WebSocket(this.host);
        this.ws.on('error', () => { ${onError} });
        this.ws.on('close', () => { ${onClose} });
      }
      disconnect(): void {
        this.stopped = true;
        this.ws?.close();
      }
    }
  `;

  it('both call connect() (ws emits close after error): the second store drops the first new socket (reported)', () => {
    expect(reports(client('if (!this.stopped) this.connect();', 'if (!this.stopped) this.connect();')).map(([l, id]) => [l, id])).toEqual([[7, 'fieldOverwritten']]);
  });

  it('only the close listener reconnects: not reported', () => {
    expect(reports(client('console.error("failed");', 'if (!this.stopped) this.connect();'))).toEqual([]);
  });

  it('a flag the error listener sets (the close listener tests it): not reported', () => {
    expect(reports(client('this.stopped = true; this.connect();', 'if (!this.stopped) this.connect();'))).toEqual([]);
  });
});

describe('a function of the file resolving an untyped promise with a socket it created', () => {
  const code = (executor: string, use: string): string => ts`
    import { Client, type ConnectConfig } from 'ssh2';
    import * as net from 'node:net';
    function createSshConnection(config: ConnectConfig, given?: Client) {
      return new Promise((resolve, reject) => {
        ${executor}
      });
    }
    function listen(port: number): Promise<net.Server> {
      return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve(server));
      });
    }
    export async function createTunnel(config: ConnectConfig, port: number): Promise<unknown> {
      const ssh = await createSshConnection(config);
      ${use}
    }
  `;
  const made = "const conn = new Client(); conn.on('ready', () => resolve(conn)); conn.on('error', reject); conn.connect(config);";

  it('`await createSshConnection(cfg)` (a Promise<unknown>) owns the Client: reported when listen() rejects', () => {
    const found = reports(code(made, 'const server = await listen(port); return [server, ssh];'));
    expect(found.map(([l, id]) => [l, id])).toEqual([[16, 'leak']]);
    expect(found[0]?.[2]).toContain('when listen() at line 17 rejects');
  });

  it('released on the failure path: not reported', () => {
    expect(reports(code(made, 'try { const server = await listen(port); return [server, ssh]; } catch (e) { (ssh as Client).end(); throw e; }'))).toEqual([]);
  });

  it('an executor resolving a Client it was given: no creation (not reported)', () => {
    expect(reports(code("given?.on('ready', () => resolve(given)); given?.connect(config);", 'const server = await listen(port); return [server, ssh];'))).toEqual([]);
  });
});

describe('a timer that reopens a local socket before using it', () => {
  const code = (body: string): string => ts`
    import * as net from 'node:net';
    export function keep(port: number): net.Socket {
      const s = net.connect(port, '127.0.0.1');
      s.on('close', () => {
        setTimeout(() => {
          ${body}
        }, 1000);
      });
      return s;
    }
  `;

  it('`s.connect(port); s.write(hello)` in the timer: the write goes to the reopened socket (not reported)', () => {
    expect(reports(code("s.connect(port, '127.0.0.1'); s.write('hello');"))).toEqual([]);
  });

  it("a write in the timer with no reopen before it (armed by the 'close' listener: after the close): reported", () => {
    expect(reports(code("s.write('hello');")).map(([l, id]) => [l, id])).toEqual([[6, 'useAfterRelease']]);
  });
});
