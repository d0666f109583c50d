/**
 * Shapes of socket and client code found in the fifth hand triage of real code (2026-12-02, eighth session: database
 * back-ends, proxies and tunnels, bots, CLIs and probes, real-time servers, test suites, GraphQL/pub-sub back-ends,
 * device bridges, mail and network tools, TypeScript services) and in the fourth triage's leftovers, reduced: the
 * false alarms must stay silent, and their buggy twins (and the misses) must be reported.
 */
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { lintJsWithPlugin, ts, lineMessages } from '../rule-tester';

const reports = lineMessages;

describe("a pool's failed first checkout in a callback leaves it holding nothing", () => {
  it('mysql2: rejecting when the first getConnection() fails leaks nothing', () => {
    const code = ts`
      import * as mysql from 'mysql2';
      export function open(uri: string): Promise<mysql.Pool> {
        const pool = mysql.createPool(uri);
        return new Promise((resolve, reject) => {
          pool.getConnection((err, conn) => {
            if (err) return reject(err);
            conn.release();
            resolve(pool);
          });
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('pg: the same with connect((err, client, done)) and a null comparison', () => {
    const code = ts`
      import { Pool } from 'pg';
      export function open(uri: string): Promise<Pool> {
        const pool = new Pool({ connectionString: uri });
        return new Promise((resolve, reject) => {
          pool.connect((err, client, done) => {
            if (err != null) {
              reject(err);
              return;
            }
            done();
            resolve(pool);
          });
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a pool used before the failing checkout may hold connections: reported', () => {
    const code = ts`
      import * as mysql from 'mysql2';
      export function open(uri: string): Promise<mysql.Pool> {
        const pool = mysql.createPool(uri);
        pool.query('select 1');
        return new Promise((resolve, reject) => {
          pool.getConnection((err, conn) => {
            if (err) return reject(err);
            conn.release();
            resolve(pool);
          });
        });
      }
    `;
    expect(reports(code)).toEqual([[3, expect.stringContaining('when the operation settles at line 7 (reject()) without it')]]);
  });

  it('the success branch that keeps nothing is still reported', () => {
    const code = ts`
      import { Pool } from 'pg';
      export function check(uri: string): Promise<void> {
        const pool = new Pool({ connectionString: uri });
        return new Promise((resolve, reject) => {
          pool.connect((err, client, done) => {
            if (err) return reject(err);
            done();
            resolve();
          });
        });
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([3]);
  });

  it('the branch where the error is not set is no failed checkout: settling there without the pool is reported', () => {
    const code = ts`
      import * as mysql from 'mysql2';
      export function open(uri: string): Promise<mysql.Pool> {
        const pool = mysql.createPool(uri);
        return new Promise((resolve, reject) => {
          pool.getConnection((err, conn) => {
            if (!err) {
              conn.release();
              reject(new Error('unexpected'));
              return;
            }
            resolve(pool);
          });
        });
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([3]);
  });
});

describe('an untyped argument of a creating call is a handler only where the call takes a function', () => {
  it("a wrapper given an `any` host creates a client that is not a subscriber: reported", () => {
    const code = ts`
      import Redis from 'ioredis';
      function connect(host: any): Redis {
        return new Redis({ host });
      }
      export async function ping(host: any): Promise<void> {
        const client = connect(host);
        await client.ping();
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([6]);
  });

  it('an untyped handler of createServer still makes a server that serves for the life of the process', () => {
    const code = ts`
      import * as net from 'node:net';
      declare const broker: any;
      export function start(port: number): void {
        const server = net.createServer(broker.handle);
        server.listen(port);
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('the Promise constructor ignores what its executor returns', () => {
  it('`await new Promise((r) => server.listen(0, r))` hands nothing off: the server that is never closed is reported', () => {
    const code = ts`
      import * as http from 'node:http';
      import type { AddressInfo } from 'node:net';
      export async function startServer(): Promise<number> {
        const server = http.createServer();
        await new Promise<void>((resolve) => server.listen(0, resolve));
        return (server.address() as AddressInfo).port;
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([4]);
  });

  it('the same executor with the server closed later: no report', () => {
    const code = ts`
      import * as net from 'node:net';
      export async function dial(port: number): Promise<void> {
        const s = net.connect(port, '127.0.0.1');
        await new Promise<void>((resolve) => s.once('connect', () => resolve()));
        s.end('bye');
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('an executor that resolves with the socket still hands it to the caller', () => {
    const code = ts`
      import * as net from 'node:net';
      export function dial(port: number): Promise<net.Socket> {
        const s = net.connect(port, '127.0.0.1');
        return new Promise((resolve) => s.once('connect', () => resolve(s)));
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe("awaiting the socket's own end event with events.once()", () => {
  it("`await once(ws, 'close')` and a promise of it awaited later: the socket is closed past the await", () => {
    const code = ts`
      import { once } from 'node:events';
      import WebSocket from 'ws';
      declare function shutdownServer(): void;
      export async function graceful(url: string): Promise<void> {
        const ws = new WebSocket(url);
        await once(ws, 'open');
        ws.send('hello');
        const ended = once(ws, 'close');
        shutdownServer();
        await ended;
      }
      export async function quit(url: string): Promise<void> {
        const ws = new WebSocket(url);
        await once(ws, 'open');
        ws.send('QUIT');
        await once(ws, 'close');
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it("`await once(s, 'error')` on a socket that an error destroys: no report", () => {
    const code = ts`
      import { once } from 'node:events';
      import * as net from 'node:net';
      export async function expectRefused(port: number): Promise<void> {
        const s = net.connect(port, '127.0.0.1');
        await once(s, 'error');
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it("an error that does not close (dgram), or waiting for another event, releases nothing: reported", () => {
    const code = ts`
      import { once } from 'node:events';
      import * as dgram from 'node:dgram';
      import * as net from 'node:net';
      export async function udp(port: number): Promise<void> {
        const s = dgram.createSocket('udp4');
        s.send('x', port, '127.0.0.1');
        await once(s, 'error');
      }
      export async function opened(port: number): Promise<void> {
        const s = net.connect(port, '127.0.0.1');
        await once(s, 'connect');
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([5, 10]);
  });

});

describe('a getter that returns a field or null is no factory', () => {
  it('`return null` when not connected, or a conditional of the field and null: the caller borrows', () => {
    const code = ts`
      import Redis from 'ioredis';
      export class Manager {
        private client: Redis | null = null;
        private connected = false;
        connect(url: string): void {
          this.client = new Redis(url);
          this.client.on('ready', () => (this.connected = true));
        }
        getClient(): Redis | null {
          if (!this.client || !this.connected) return null;
          return this.client;
        }
        peekClient(): Redis | null {
          return this.connected ? this.client : null;
        }
        async get(key: string): Promise<string | null> {
          const client = this.getClient();
          if (!client) return null;
          return client.get(key);
        }
        async exists(key: string): Promise<boolean> {
          const client = this.peekClient();
          return client ? (await client.exists(key)) === 1 : false;
        }
        async disconnect(): Promise<void> {
          await this.client?.quit();
          this.client = null;
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a function that returns a new client or null is still a factory', () => {
    const code = ts`
      import Redis from 'ioredis';
      function open(url: string | undefined): Redis | null {
        if (!url) return null;
        return new Redis(url);
      }
      export async function ping(url: string): Promise<void> {
        const client = open(url);
        await client?.ping();
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([7]);
  });
});

describe('a bound UDP socket with a message listener serves for the life of the process', () => {
  it('bind() and on(message): a receiver, like a server with a handler', () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function startReceiver(port: number, onPacket: (msg: Buffer) => void): void {
        const socket = dgram.createSocket('udp4');
        socket.on('error', (err) => console.error(err));
        socket.on('message', (msg) => onPacket(msg));
        socket.bind(port);
      }
      export function relay(port: number, toPort: number): void {
        const s = dgram.createSocket('udp4', (msg) => s.send(msg, toPort, '127.0.0.1'));
        s.bind(port);
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a client that waits once for a reply, or is never bound, is still checked', () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function ask(port: number, cb: (reply: Buffer) => void): void {
        const s = dgram.createSocket('udp4');
        s.once('message', (msg) => cb(msg));
        s.bind(0);
        s.send('q', port, '127.0.0.1');
      }
      export function listenNoBind(cb: (reply: Buffer) => void): void {
        const s = dgram.createSocket('udp4');
        s.on('message', (msg) => cb(msg));
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([3, 9]);
  });
});

describe('a listener that releases and then ends the process runs only once', () => {
  it('release(); process.exit(1) in an uncaughtException listener: no use after release', () => {
    const code = ts`
      import { Pool } from 'pg';
      export async function attach(pool: Pool): Promise<void> {
        const client = await pool.connect();
        client.on('notification', (n) => console.log(n.channel));
        process.on('uncaughtException', (err) => {
          console.log(err.message);
          client.release();
          process.exit(1);
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('without the exit, a second run releases it again: reported', () => {
    const code = ts`
      import { Pool } from 'pg';
      export async function attach(pool: Pool): Promise<void> {
        const client = await pool.connect();
        client.on('notification', (n) => console.log(n.channel));
        process.on('uncaughtException', (err) => {
          console.log(err.message);
          client.release();
        });
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([7]);
  });
});

describe('a socket made in a catch block is checked', () => {
  it('created in the catch of a try without an explicit throw, and dropped: reported', () => {
    const code = ts`
      import * as net from 'node:net';
      declare function check(): Promise<void>;
      export async function probe(port: number): Promise<boolean> {
        try {
          await check();
          return true;
        } catch {
          const s = net.connect(port, '127.0.0.1');
          s.write('x');
          return false;
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([8]);
  });

  it('a fallback connection made in the catch block and returned is handed off', () => {
    const code = ts`
      import * as net from 'node:net';
      declare function primary(): net.Socket;
      export function open(port: number): net.Socket {
        try {
          return primary();
        } catch {
          const s = net.connect(port, '127.0.0.1');
          s.setNoDelay(true);
          return s;
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a socket made before the try is still not taken into the catch block by an implicit throw', () => {
    const code = ts`
      import * as net from 'node:net';
      declare function check(): void;
      export function probe(port: number): boolean {
        const s = net.connect(port, '127.0.0.1');
        try {
          check();
        } catch {
          return false;
        } finally {
          s.end();
        }
        return true;
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('a method that stores a new socket in the field before using it', () => {
  it('called from a timer after the old one was destroyed: no use after release', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Probe {
        private sock: net.Socket | null = null;
        constructor(private readonly port: number) {}
        start(): void {
          this.sock = net.connect(this.port, '127.0.0.1');
          this.sock.write('PING\\n');
        }
        retry(): void {
          setTimeout(() => this.start(), 1000);
        }
        stop(): void {
          this.sock?.destroy();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a method that writes to the field without storing a new one first is still reported', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Probe {
        private sock: net.Socket;
        constructor(port: number) {
          this.sock = net.connect(port, '127.0.0.1');
        }
        flush(): void {
          this.sock.write('PING\\n');
        }
        later(): void {
          setTimeout(() => this.flush(), 1000);
        }
        stop(): void {
          this.sock.destroy();
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([11]);
  });
});

describe("a channel stored again from its connection's close listener", () => {
  it('the connection closed its channels: storing a new channel is no overwrite of an open one', () => {
    const code = ts`
      import amqp, { Channel, ChannelModel } from 'amqplib';
      export class Bus {
        private conn: ChannelModel | null = null;
        private ch: Channel | null = null;
        async connect(url: string): Promise<void> {
          this.conn = await amqp.connect(url);
          this.conn.on('close', () => {
            this.conn = null;
            void this.connect(url);
          });
          this.ch = await this.conn.createChannel();
        }
        async close(): Promise<void> {
          await this.ch?.close();
          await this.conn?.close();
        }
      }
    `;
    // No overwrite of an open channel. (close() itself only fires the connection's 'close' listener, which connects
    // again: reported at that release since the fifteenth triage.)
    expect(reports(code)).toEqual([
      [15, "close() releases this amqplib connection only until its 'close' listener at line 7 opens it again: remove that listener first, or set a flag here that the reconnect checks."],
    ]);
  });

  it('the same store from a timer that runs while the connection is open is reported', () => {
    const code = ts`
      import amqp, { Channel, ChannelModel } from 'amqplib';
      export class Bus {
        private conn: ChannelModel | null = null;
        private ch: Channel | null = null;
        async connect(url: string): Promise<void> {
          this.conn = await amqp.connect(url);
          setInterval(() => void this.reopen(), 60_000);
          await this.reopen();
        }
        private async reopen(): Promise<void> {
          if (!this.conn) return;
          this.ch = await this.conn.createChannel();
        }
        async close(): Promise<void> {
          await this.ch?.close();
          await this.conn?.close();
        }
      }
    `;
    // Line 7 too: the interval is never cleared, so reopen() can run after close() (this.conn is not cleared).
    expect(reports(code).map(([line]) => line)).toEqual([7, 12]);
  });
});

describe("a release in a listener of the socket's own end, registered by another method", () => {
  it("this.remote's 'data' listener cannot run after this.remote's 'end' listener destroyed the client", () => {
    const code = ts`
      import * as net from 'node:net';
      export class Relay {
        private remote!: net.Socket;
        constructor(private readonly client: net.Socket) {}
        private flow(): void {
          this.remote.on('data', (d) => this.client.write(d));
        }
        private teardown(): void {
          this.remote.on('end', () => this.client.destroy());
          this.client.on('close', () => this.remote.destroy());
        }
        connect(port: number): void {
          this.remote = net.connect(port, '127.0.0.1');
          this.teardown();
          this.flow();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it("a release in another emitter's end listener still counts", () => {
    const code = ts`
      import * as net from 'node:net';
      import { EventEmitter } from 'node:events';
      export class Relay {
        private remote!: net.Socket;
        constructor(private readonly client: net.Socket, private readonly bus: EventEmitter) {}
        private flow(): void {
          this.remote.on('data', (d) => this.client.write(d));
        }
        private teardown(): void {
          this.bus.on('stop', () => this.client.destroy());
        }
        connect(port: number): void {
          this.remote = net.connect(port, '127.0.0.1');
          this.remote.on('close', () => this.remote.destroy());
          this.teardown();
          this.flow();
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([7]);
  });
});

describe("a one-shot callback's early return when the peer's close listener releases the socket", () => {
  it("`client.on('close', () => upstream.destroy())` is the teardown: the connect callback's early return leaks nothing", () => {
    const code = ts`
      import { createConnection, Socket } from 'node:net';
      export function forward(client: Socket, port: number): void {
        const upstream = createConnection({ host: '127.0.0.1', port }, () => {
          if (!client.remoteAddress) return;
          upstream.pipe(client);
          client.pipe(upstream);
        });
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('without any other release, the early return is reported', () => {
    const code = ts`
      import { createConnection, Socket } from 'node:net';
      export function forward(client: Socket, port: number): void {
        const upstream = createConnection({ host: '127.0.0.1', port }, () => {
          if (!client.remoteAddress) return;
          upstream.end('hello');
        });
        upstream.on('close', () => client.destroy());
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([3]);
  });
});

describe('a local function that releases the socket, handed on by name from a listener', () => {
  it("`setTimeout(testConnection, 30)` inside another stream's listener takes the client over", () => {
    const code = ts`
      import { Client } from 'pg';
      import { Writable } from 'node:stream';
      export function reuse(done: () => void): void {
        const client = new Client();
        void client.connect();
        function testConnection(): void {
          void client.end();
          done();
        }
        const writable = new Writable({ write: (_c, _e, cb) => cb() });
        writable.on('finish', () => {
          setTimeout(testConnection, 30);
        });
        writable.end();
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe("a 'timeout' listener that releases the socket through the outer variable it was stored in", () => {
  it('`request = req` and `request?.destroy()` in the listener (or a helper it calls): released', () => {
    const code = ts`
      import * as https from 'node:https';
      import type { ClientRequest } from 'node:http';
      export function getStatus(host: string, ms: number): Promise<number> {
        let request: ClientRequest | null = null;
        const abort = (err: Error): void => {
          request?.destroy(err);
        };
        return new Promise((resolve, reject) => {
          const req = https.get({ host, port: 443 }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          request = req;
          req.on('error', reject);
          req.setTimeout(ms, () => {
            abort(new Error('timeout'));
            reject(new Error('timeout'));
          });
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a listener that only rejects is still reported', () => {
    const code = ts`
      import * as https from 'node:https';
      import type { ClientRequest } from 'node:http';
      export function getStatus(host: string, ms: number): Promise<number> {
        let request: ClientRequest | null = null;
        return new Promise((resolve, reject) => {
          const req = https.get({ host, port: 443 }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          request = req;
          req.on('error', reject);
          req.setTimeout(ms, () => {
            reject(new Error('timeout'));
          });
        });
      }
      export function cancel(r: ClientRequest | null): void {
        r?.destroy();
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([12]);
  });
});

describe('a WebSocketServer attached to an HTTP server owns no socket', () => {
  it('`new WebSocketServer({ server })` dropped, the server returned: no report', () => {
    const code = ts`
      import { createServer, type Server } from 'node:http';
      import { WebSocketServer } from 'ws';
      export function makeServer(): Server {
        const server = createServer();
        new WebSocketServer({ server, handleProtocols: () => 'proto' });
        return server;
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('the HTTP server it serves is still checked, and a WebSocketServer with its own port too', () => {
    const code = ts`
      import { createServer } from 'node:http';
      import { WebSocketServer } from 'ws';
      export function attach(): WebSocketServer {
        const server = createServer();
        server.listen(8080);
        return new WebSocketServer({ server });
      }
      export function own(port: number): void {
        const wss = new WebSocketServer({ port });
        wss.once('listening', () => console.log('up'));
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([4, 9]);
  });
});

describe('a callback operation promisified in place can reject', () => {
  it('`await new Promise((res, rej) => client.send(…, (err) => …))` with no try: the socket leaks when send fails', () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export async function knock(host: string, port: number, msg: Buffer): Promise<void> {
        const client = dgram.createSocket('udp4');
        await new Promise<void>((resolve, reject) => {
          client.send(msg, port, host, (err) => {
            if (err) reject(err);
            else resolve();
          });
        });
        client.close();
      }
    `;
    expect(reports(code)).toEqual([[3, expect.stringContaining('when send() at line 4 rejects')]]);
  });

  it('closed in finally, or closed by the callback that rejects: no report', () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export async function knock(host: string, port: number, msg: Buffer): Promise<void> {
        const client = dgram.createSocket('udp4');
        try {
          await new Promise<void>((resolve, reject) => {
            client.send(msg, port, host, (err) => (err ? reject(err) : resolve()));
          });
        } finally {
          client.close();
        }
      }
      export async function knock2(host: string, port: number, msg: Buffer): Promise<void> {
        const client = dgram.createSocket('udp4');
        await new Promise<void>((resolve, reject) => {
          client.send(msg, port, host, (err) => {
            if (err) {
              client.close();
              reject(err);
            } else resolve();
          });
        });
        client.close();
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a net.Socket write that fails destroys the socket: no report', () => {
    const code = ts`
      import * as net from 'node:net';
      export async function send(port: number, data: string): Promise<void> {
        const s = net.connect(port, '127.0.0.1');
        await new Promise<void>((resolve, reject) => s.write(data, (err) => (err ? reject(err) : resolve())));
        s.end();
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe("a tunnel written with 'data' listeners", () => {
  it("torn down only on the client's clean 'end': reported like the pipe() tunnel", () => {
    const code = ts`
      import * as net from 'node:net';
      export function relay(client: net.Socket, port: number): void {
        const upstream = net.connect(port, '127.0.0.1');
        upstream.on('data', (d) => client.write(d));
        client.on('data', (d) => upstream.write(d));
        client.on('end', () => upstream.destroy());
        upstream.on('end', () => client.destroy());
      }
    `;
    expect(reports(code)).toEqual([[3, expect.stringContaining("when 'client' fails or is destroyed (its 'data' listener at line 5 relays into it")]]);
  });

  it("with the client's 'close' releasing the upstream: no report", () => {
    const code = ts`
      import * as net from 'node:net';
      export function relay(client: net.Socket, port: number): void {
        const upstream = net.connect(port, '127.0.0.1');
        upstream.on('data', (d) => client.write(d));
        client.on('data', (d) => upstream.write(d));
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('one bug, one report: a promise continuation inside a listener that closes on another branch', () => {
  it("the 'message' listener's earlier run closed the socket: reported once, at the listener's first use", () => {
    const code = ts`
      import WebSocket from 'ws';
      declare function connectToHost(data: unknown): Promise<void>;
      export function attach(ws: WebSocket, expired: () => boolean): void {
        ws.on('message', (msg) => {
          if (expired()) {
            ws.send('expired');
            ws.close();
            return;
          }
          connectToHost(msg).catch(() => {
            ws.send('failed');
          });
        });
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([6]);
  });

  it('a continuation registered after a release in the same run is still a use after release', () => {
    const code = ts`
      import WebSocket from 'ws';
      declare function connectToHost(data: unknown): Promise<void>;
      export function attach(ws: WebSocket): void {
        ws.once('message', (msg) => {
          ws.close();
          connectToHost(msg).catch(() => {
            ws.send('failed');
          });
        });
      }
    `;
    expect(reports(code)).toEqual([[7, expect.stringContaining('may already be closed')]]);
  });
});

describe('a releasing closure stored on the object before the socket is made', () => {
  it('`this.close = () => socket?.end()` first, the connection last: the object owns it', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Conn {
        close: () => void;
        constructor(port: number) {
          let socket: net.Socket | null = null;
          this.close = () => socket?.end();
          socket = net.createConnection(port, '127.0.0.1');
          socket.on('data', (d) => console.log(d.length));
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a closure that releases nothing leaves the socket to the function: reported', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Conn {
        close: () => void;
        constructor(port: number) {
          let socket: net.Socket | null = null;
          this.close = () => console.log(socket?.remotePort);
          socket = net.createConnection(port, '127.0.0.1');
          socket.on('data', (d) => console.log(d.length));
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([7]);
  });
});

describe("a subscriber released by another emitter's end serves that emitter, not the process", () => {
  it("a per-request subscriber quit in req.once('close'): its subscribe() rejection leaks it", () => {
    const code = ts`
      import Redis from 'ioredis';
      import type { IncomingMessage, ServerResponse } from 'node:http';
      export async function logs(req: IncomingMessage, res: ServerResponse, channel: string): Promise<void> {
        const sub = new Redis('redis://127.0.0.1');
        await sub.subscribe(channel);
        sub.on('message', (_c: string, m: string) => res.write(m));
        req.once('close', () => {
          void sub.quit();
        });
      }
    `;
    expect(reports(code)).toEqual([[4, expect.stringContaining('when subscribe() at line 5 rejects')]]);
  });

  it('a subscriber quit only on process shutdown still serves for the life of the process', () => {
    const code = ts`
      import Redis from 'ioredis';
      export async function listen(channel: string, onMessage: (m: string) => void): Promise<void> {
        const sub = new Redis('redis://127.0.0.1');
        await sub.subscribe(channel);
        sub.on('message', (_c: string, m: string) => onMessage(m));
        process.once('SIGTERM', () => {
          void sub.quit();
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('device-bridge shapes (fifth triage, second wave)', () => {
  it("a listener registered through an .on() chain on the field is the field socket's own listener", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export class Upnp {
        private socket: dgram.Socket | null = null;
        host = '';
        listen(): void {
          this.socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
          this.socket.bind(1900);
          this.socket
            .on('error', () => undefined)
            .on('listening', () => {
              this.host = this.socket!.address().address;
            });
        }
        stopListen(): void {
          this.socket?.close();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a UDP server stored in a field (bound, with a message listener, in another method) needs no release method', () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export class Discovery {
        socket: dgram.Socket;
        constructor() {
          this.socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
        }
        listen(onMessage: (m: Buffer) => void): void {
          this.socket.on('message', onMessage);
          this.socket.bind(1982, () => this.socket.addMembership('239.255.255.250'));
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a method that reconnects the field socket before using it, called from a timer after destroy(): no deferred use', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Avr {
        private readonly client = new net.Socket();
        private timer: NodeJS.Timeout | null = null;
        constructor(private readonly host: string) {
          this.client.on('end', () => this.reconnect());
        }
        connect(): void {
          this.client.connect({ port: 23, host: this.host });
          this.client.setEncoding('utf8');
        }
        private reconnect(): void {
          if (this.timer) return;
          this.client.destroy();
          this.timer = setTimeout(() => {
            this.timer = null;
            this.connect();
          }, 30_000);
        }
        stop(): void {
          if (this.timer) clearTimeout(this.timer);
          this.client.destroy();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a function declaration handed to a timer by name closes a dgram socket a second time: reported', () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function discover(msg: Buffer): void {
        const client = dgram.createSocket('udp4');
        function close(): void {
          client.close();
        }
        client.on('error', () => {
          client.close();
        });
        client.on('listening', () => {
          client.send(msg, 60128, '255.255.255.255');
          setTimeout(close, 10000);
        });
        client.bind(0);
      }
    `;
    expect(reports(code)).toEqual([[5, expect.stringContaining('inside a setTimeout callback')]]);
  });
});

describe('factories that keep what they make', () => {
  it('a method that stores the new client through a helper method, then returns it: the caller borrows', () => {
    const code = ts`
      import Redis from 'ioredis';
      export class Queue {
        private reader?: Redis;
        private writer?: Redis;
        private bind(channel: 'reader' | 'writer', conn: Redis): void {
          if (channel === 'reader') this.reader = conn;
          else this.writer = conn;
        }
        private async connect(channel: 'reader' | 'writer'): Promise<Redis> {
          const redis = new Redis({ lazyConnect: true });
          this.bind(channel, redis);
          await redis.connect();
          return redis;
        }
        async start(): Promise<void> {
          await this.connect('reader');
        }
        async close(): Promise<void> {
          await this.reader?.quit();
          await this.writer?.quit();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a registry getter written as one expression (`map.get(k) ?? map.set(k, new Pool()).get(k)!`) is an accessor', () => {
    const code = ts`
      import pg from 'pg';
      const pools = new Map<string, pg.Pool>();
      export const getPool = (connectionString: string): pg.Pool =>
        pools.get(connectionString) ?? pools.set(connectionString, new pg.Pool({ connectionString })).get(connectionString)!;
      export async function count(cs: string): Promise<number> {
        const pool = getPool(cs);
        const res = await pool.query('select 1');
        return res.rowCount ?? 0;
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('`cached ?? new Client()` still makes a new one when nothing is cached', () => {
    const code = ts`
      import Redis from 'ioredis';
      let cached: Redis | undefined;
      export const getClient = (): Redis => cached ?? new Redis();
      export async function ping(): Promise<void> {
        const client = getClient();
        await client.ping();
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([5]);
  });
});

describe('a keep-alive timer cleared by the helper that releases the client', () => {
  it('`const release = (c) => { clearInterval(keepAlive); c.release(); }`: the timer is stopped on release', () => {
    const code = ts`
      import * as pg from 'pg';
      let keepAlive: NodeJS.Timeout | undefined;
      const release = (client: pg.PoolClient): void => {
        clearInterval(keepAlive);
        client.release();
      };
      export async function listen(pool: pg.Pool, channel: string): Promise<void> {
        const client = await pool.connect();
        keepAlive = setInterval(() => {
          client.query('select 1').catch(() => release(client));
        }, 25000);
        try {
          await client.query('LISTEN ' + client.escapeIdentifier(channel));
        } catch {
          release(client);
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('a factory that arranges the release on another emitter', () => {
  it("`api.on('shutdown', () => socket.close())` in the factory: the caller's field borrows it", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      import { EventEmitter } from 'node:events';
      export function createSocket(api: EventEmitter): dgram.Socket {
        const socket = dgram.createSocket('udp4');
        socket.on('error', () => undefined);
        api.once('shutdown', () => {
          socket.close();
        });
        return socket;
      }
      export class Platform {
        public readonly socket: dgram.Socket;
        constructor(public readonly api: EventEmitter) {
          this.socket = createSocket(api);
          this.api.on('didFinishLaunching', () => this.socket.bind(38900));
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it("a factory whose only release is the socket's own error listener still gives the caller a new socket", () => {
    const code = ts`
      import * as net from 'node:net';
      function open(port: number): net.Socket {
        const s = net.connect(port, '127.0.0.1');
        s.on('error', () => s.destroy());
        return s;
      }
      export function ping(port: number): void {
        const s = open(port);
        s.write('ping');
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([8]);
  });
});

describe("a server closed in a component's lifecycle listener still serves for that component's life", () => {
  it("`node.on('close', () => server.close())` of a plugin framework is a shutdown, not a request's end", () => {
    const code = ts`
      import * as net from 'node:net';
      import { EventEmitter } from 'node:events';
      export function start(node: EventEmitter, port: number): void {
        const server = net.createServer((socket) => socket.end('hi'));
        server.on('error', (err) => console.error(err));
        server.listen(port, () => {
          node.on('close', () => {
            server.close();
          });
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('a method that reconnects the field, whatever it does first', () => {
  it('`connect() { this.client.setEncoding(…); this.client.connect(…) }` from a listener after destroy(): no deferred use', () => {
    const code = ts`
      import * as net from 'node:net';
      import { EventEmitter } from 'node:events';
      export class Adapter extends EventEmitter {
        private readonly client = new net.Socket();
        constructor(private readonly host: string) {
          super();
          this.on('ready', () => this.connect());
          this.on('unload', () => this.client.destroy());
        }
        private connect(): void {
          this.client.setEncoding('utf8');
          this.client.connect({ port: 23, host: this.host });
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a method that writes and then clears the field still makes a deferred use', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Probe {
        private sock: net.Socket | null;
        constructor(port: number) {
          this.sock = net.connect(port, '127.0.0.1');
        }
        private flush(): void {
          this.sock!.write('bye');
          this.sock = null;
        }
        later(): void {
          setTimeout(() => this.flush(), 1000);
        }
        stop(): void {
          this.sock?.destroy();
        }
      }
    `;
    // Line 5 (since the twelfth triage): flush() drops the socket it only wrote to — nothing ends it after that, and
    // stop() finds the field empty.
    expect(reports(code).map(([line]) => line)).toEqual([5, 12]);
  });
});

describe('an untyped bound handler given to a JavaScript factory of servers', () => {
  it('`this.getHttpServer(port, this.onRequest.bind(this))` in JavaScript: a server with a handler', () => {
    const dir = path.join(__dirname, '..', 'fixtures-prescreen');
    const code = [
      "const http = require('node:http');",
      'function Input(config) { this.config = config; }',
      'Input.prototype.getHttpServer = function (port, handler) {',
      '  const server = http.createServer(handler);',
      '  server.listen(port);',
      '  return server;',
      '};',
      'Input.prototype.onRequest = function (req, res) { res.end(); };',
      'Input.prototype.start = function () {',
      '  this.getHttpServer(Number(this.config.port), this.onRequest.bind(this));',
      '};',
      'module.exports = Input;',
    ].join('\n');
    expect(lintJsWithPlugin(code, dir).map((m) => [m.ruleId, m.line])).toEqual([]);
  });
});

describe('a UDP client that waits for replies with on(message) and closes itself is checked in full', () => {
  it('an early return before its message listener leaks the bound socket', () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function query(port: number, bad: boolean, done: (m: Buffer) => void): void {
        const s = dgram.createSocket('udp4');
        s.bind(0);
        if (bad) return;
        s.on('message', (m) => {
          s.close();
          done(m);
        });
        s.send('q', port, '127.0.0.1');
      }
    `;
    expect(reports(code)).toEqual([[3, expect.stringContaining('the path that returns at line 5')]]);
  });
});
