/**
 * Shapes found in the thirty-eighth session (the thirty-second hand triage), each reduced to its general mechanism,
 * with the counterpart that must stay as it was.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintJsWithPlugin, lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);
const jsIds = (code: string): Array<[number, string | undefined]> =>
  lintJsWithPlugin(code, path.join(__dirname, '..', 'fixtures-prescreen')).map((m) => [m.line, m.messageId]);

describe('a chained assignment stores the resource in each of its targets', () => {
  it('this.socket = s = dgram.createSocket(), closed by a method of the class: no report', () => {
    expect(ids(ts`
      import * as dgram from 'node:dgram';
      export class Dht {
        socket4: dgram.Socket;
        constructor(port: number) {
          let s4: dgram.Socket;
          this.socket4 = s4 = dgram.createSocket('udp4');
          s4.bind(port);
        }
        close(): void {
          this.socket4.close();
        }
      }
    `)).toEqual([]);
  });

  it('the same field that nothing releases: reported as a field never released', () => {
    expect(ids(ts`
      import * as dgram from 'node:dgram';
      export class Dht {
        socket4: dgram.Socket;
        constructor(port: number) {
          let s4: dgram.Socket;
          this.socket4 = s4 = dgram.createSocket('udp4');
          s4.bind(port);
        }
        stop(): void {
          this.socket4.removeAllListeners('message');
        }
      }
    `)).toEqual([[6, 'fieldNeverReleased']]);
  });

  it('a = b = net.connect(), ended through a: no report', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export function send(port: number): void {
        let a: net.Socket;
        let b: net.Socket;
        a = b = net.connect(port, '127.0.0.1');
        b.on('error', () => {});
        a.end('x');
      }
    `)).toEqual([]);
  });

  it('a = b = net.connect(), released by neither: reported', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export function send(port: number): void {
        let a: net.Socket;
        let b: net.Socket;
        a = b = net.connect(port, '127.0.0.1');
        b.on('error', () => {});
        a.write('x');
      }
    `)).toEqual([[5, 'leak']]);
  });

  it('this.sock = s = net.connect() and const c = this.ctl = net.connect(), released by stop(): no report', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export class Link {
        sock: net.Socket | undefined;
        ctl: net.Socket | undefined;
        open(port: number): void {
          let s: net.Socket;
          this.sock = s = net.connect(port, '127.0.0.1');
          s.on('close', () => { this.sock = undefined; });
          s.write('hello');
          const c = this.ctl = net.connect(port + 1, '127.0.0.1');
          c.on('close', () => { this.ctl = undefined; });
        }
        stop(): void {
          this.sock?.destroy();
          this.ctl?.destroy();
        }
      }
    `)).toEqual([]);
  });
});

describe('a call of a function made by a memoizing wrapper returns the one value it made first', () => {
  it('const getRedis: () => Promise<RedisClientType> = callOnce(connect) of a hand-written callOnce: no report', () => {
    expect(ids(ts`
      import { createClient, type RedisClientType } from 'redis';
      const callOnce = (fn: () => any) => {
        let called = false;
        let result: any;
        return () => {
          if (!called) {
            result = fn();
            called = true;
          }
          return result;
        };
      };
      const connect = async () => {
        const client = createClient({ url: 'redis://127.0.0.1:6379' });
        await client.connect();
        return client;
      };
      const getRedis: () => Promise<RedisClientType> = callOnce(connect);
      export async function readText(): Promise<string | null> {
        return (await getRedis()).get('example:text');
      }
    `)).toEqual([]);
  });

  it('once() typed as returning the function it is given (lodash): no report', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      declare function once<T extends (...args: any[]) => any>(fn: T): T;
      const getSocket = once(() => net.connect(7000, '127.0.0.1'));
      export function send(line: string): void {
        getSocket().write(line);
      }
    `)).toEqual([]);
  });

  it('a wrapper whose function returns `cache ??= fn()`: no report', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      function single<T>(make: () => T): () => T {
        let cache: T | undefined;
        return () => (cache ??= make());
      }
      const getSocket = single(() => net.connect(7000, '127.0.0.1'));
      export function send(line: string): void {
        getSocket().write(line);
      }
    `)).toEqual([]);
  });

  it('counterpart: a wrapper whose function makes a new socket on each call: reported', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      function connector(port: number): () => net.Socket {
        return () => net.connect(port, '127.0.0.1');
      }
      const open = connector(7000);
      export function send(line: string): void {
        open().write(line);
      }
    `)).toEqual([[7, 'leak']]);
  });
});

describe('a helper that registers the release of what it returns (a teardown) lends it to its caller', () => {
  it('t.after(() => server.close()) and the server returned in an object the caller leaves out: no report', () => {
    expect(ids(ts`
      import { once } from 'node:events';
      import { createServer, type Server } from 'node:http';
      interface Ctx { after(fn: () => unknown): void }
      async function listenEcho(t: Ctx): Promise<{ httpServer: Server; port: number }> {
        const httpServer = createServer();
        httpServer.listen(0, '127.0.0.1');
        await once(httpServer, 'listening');
        t.after(() => {
          httpServer.close();
        });
        return { httpServer, port: (httpServer.address() as { port: number }).port };
      }
      export async function check(t: Ctx): Promise<number> {
        const { port } = await listenEcho(t);
        return port;
      }
    `)).toEqual([]);
  });

  it('t.after(() => client.close()) and the client itself returned: no report at the caller', () => {
    expect(ids(ts`
      import { once } from 'node:events';
      import WebSocket from 'ws';
      interface Ctx { after(fn: () => unknown): void }
      async function connectClient(t: Ctx, port: number): Promise<WebSocket> {
        const client = new WebSocket('ws://127.0.0.1:' + port);
        await once(client, 'open');
        t.after(() => client.close());
        return client;
      }
      export async function ping(t: Ctx, port: number): Promise<void> {
        const client = await connectClient(t, port);
        client.send('ping');
      }
    `)).toEqual([]);
  });

  // (The servers have no handler: one made with a handler serves wherever it goes, dropped by the caller or not.)
  it('counterpart: the same helpers without the teardown: reported at the callers', () => {
    expect(ids(ts`
      import { once } from 'node:events';
      import { createServer, type Server } from 'node:http';
      import WebSocket from 'ws';
      async function listenEcho(): Promise<{ httpServer: Server; port: number }> {
        const httpServer = createServer();
        httpServer.listen(0, '127.0.0.1');
        await once(httpServer, 'listening');
        return { httpServer, port: (httpServer.address() as { port: number }).port };
      }
      export async function check(): Promise<number> {
        const { port } = await listenEcho();
        return port;
      }
      async function connectClient(port: number): Promise<WebSocket> {
        const client = new WebSocket('ws://127.0.0.1:' + port);
        await once(client, 'open');
        client.on('error', () => client.close());
        return client;
      }
      export async function ping(port: number): Promise<void> {
        const client = await connectClient(port);
        client.send('ping');
      }
    `)).toEqual([[11, 'leak'], [21, 'leak']]);
  });

  it('counterpart: a release only on its own failure (a catch of a call on it) leaves it the caller\'s: reported', () => {
    expect(ids(ts`
      import { createClient } from 'redis';
      async function open(url: string) {
        const client = createClient({ url });
        await client.connect().catch(async (err) => {
          await client.close();
          throw err;
        });
        return client;
      }
      export async function read(url: string): Promise<string | null> {
        const client = await open(url);
        return client.get('key');
      }
    `)).toEqual([[11, 'leak']]);
  });

  it('a ws server attached to an HTTP server ({ server }) returned in an object the caller leaves out: no report', () => {
    expect(ids(ts`
      import { createServer } from 'node:http';
      import { WebSocketServer } from 'ws';
      function setupEcho(): { port: number; wss: WebSocketServer } {
        const httpServer = createServer();
        const wss = new WebSocketServer({ server: httpServer });
        wss.on('connection', (socket) => socket.on('message', (d) => socket.send(d)));
        return { port: 0, wss };
      }
      export function run(): number {
        const { port } = setupEcho();
        return port;
      }
    `)).toEqual([]);
  });
});

describe("CommonJS: a function destructured from require('node:events') is that module's", () => {
  const probe = (load: string, wait: string): string =>
    ["'use strict';", load, "const net = require('node:net');", 'async function probe(port) {', "  const s = net.connect(port, '127.0.0.1');", `  await ${wait}(s, 'connect');`, '  return s.remotePort;', '}', 'module.exports = probe;'].join('\n');

  it("const { once } = require('node:events'); await once(s, 'connect'), never released: reported", () => {
    expect(jsIds(probe("const { once } = require('node:events');", 'once'))).toEqual([[5, 'leak']]);
  });

  it('as through events.once(): reported', () => {
    expect(jsIds(probe("const events = require('node:events');", 'events.once'))).toEqual([[5, 'leak']]);
  });

  it('counterpart: a once() of the file itself takes the socket: no report', () => {
    expect(jsIds(probe('function once(s, event) { return new Promise((resolve) => s.once(event, () => resolve(s))); }', 'once'))).toEqual([]);
  });
});

describe("a promise that the socket's own release event resolves, awaited, waits for its release", () => {
  const poke = (wait: string): string => ts`
    import * as net from 'node:net';
    export async function poke(port: number): Promise<void> {
      const s = net.connect(port, '127.0.0.1');
      ${wait}
    }
  `;

  it("const closed = new Promise((resolve) => s.once('close', () => resolve())); …; await closed: no report", () => {
    expect(ids(poke("const closed = new Promise<void>((resolve) => s.once('close', () => resolve()));\n      s.write('x');\n      await closed;"))).toEqual([]);
  });

  it("await new Promise((resolve) => s.on('close', resolve)): no report", () => {
    expect(ids(poke("s.write('x');\n      await new Promise((resolve) => s.on('close', resolve));"))).toEqual([]);
  });

  it("counterpart: a promise of its 'data' event: reported", () => {
    expect(ids(poke("s.write('x');\n      await new Promise((resolve) => s.once('data', resolve));"))).toEqual([[3, 'leak']]);
  });

  it('counterpart: a promise of its close event that is never awaited: reported', () => {
    expect(ids(poke("s.write('x');\n      const closed = new Promise<void>((resolve) => s.once('close', () => resolve()));\n      void closed;"))).toEqual([[3, 'leak']]);
  });

  it('counterpart: a listener that does not resolve the promise: reported', () => {
    expect(ids(poke("s.write('x');\n      await new Promise<void>((resolve) => { s.once('close', () => console.log('closed')); setTimeout(resolve, 10); });"))).toEqual([[3, 'leak']]);
  });
});

describe('a recursive call in a return gives what the other returns give', () => {
  it("a cached getter with `if (!name) return getPool('default')`: no report at its callers", () => {
    expect(ids(ts`
      import { createPool, type Pool } from 'mysql2/promise';
      const pools: Map<string, Pool> = new Map();
      export function getPool(name: string): Pool {
        if (!name) {
          return getPool('default');
        }
        const cached = pools.get(name);
        if (cached) return cached;
        const pool = createPool({ host: '127.0.0.1' });
        pools.set(name, pool);
        return pool;
      }
      export async function ping(name: string): Promise<void> {
        const pool = getPool(name);
        await pool.query('SELECT 1');
      }
    `)).toEqual([]);
  });

  it('counterpart: a recursive factory whose other return makes a new socket: reported at its caller', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      function open(port: number, tries: number): net.Socket {
        if (tries > 3) return open(port + 1, 0);
        return net.connect(port, '127.0.0.1');
      }
      export function send(port: number): void {
        open(port, 0).write('x');
      }
    `)).toEqual([[7, 'leak']]);
  });
});

describe('a flag changed only right next to a release keeps its first value while the resource is open', () => {
  const query = (onError: string, loop = false): string => ts`
    import pg from 'pg';
    export async function query(pool: pg.Pool, sql: string): Promise<unknown[]> {
      let errored = false;
      ${loop ? 'for (let i = 0; i < 2; i++) {' : '{'}
      const client = await pool.connect();
      try {
        const result = await client.query(sql);
        return result.rows;
      } catch (e) {
        ${onError}
        throw e;
      } finally {
        if (!errored) client.release();
      }
      }
      return [];
    }
  `;

  it('errored = true; client.release(true) in the catch, if (!errored) client.release() in the finally: no report', () => {
    expect(ids(query('errored = true;\n        client.release(true);'))).toEqual([]);
  });

  it('client.release(e as Error); errored = true: no report', () => {
    expect(ids(query('client.release(e as Error);\n        errored = true;'))).toEqual([]);
  });

  it('counterpart: the flag set without a release: reported', () => {
    expect(ids(query('errored = true;'))).toEqual([[5, 'leak']]);
  });

  it('counterpart: the same in a loop (a later round checks out another client with the flag set): reported', () => {
    expect(ids(query('errored = true;\n        client.release(true);', true))).toEqual([[5, 'leak']]);
  });
});

describe('a parameter default is the parameter', () => {
  const send = (body: string): string => ts`
    import * as net from 'node:net';
    export function send(line: string, sock = net.connect(7000, '127.0.0.1')): void {
      ${body}
    }
  `;

  it('ended through the parameter: no report', () => {
    expect(ids(send('sock.end(line);'))).toEqual([]);
  });

  it('handed on through the parameter (new RetryAgent(agent)): no report', () => {
    expect(ids(ts`
      import { Agent, RetryAgent } from 'undici';
      let retryAgent: RetryAgent | undefined;
      export function init(agent = new Agent()): RetryAgent {
        retryAgent = new RetryAgent(agent, { maxRetries: 5 });
        return retryAgent;
      }
    `)).toEqual([]);
  });

  it('counterpart: only written to: reported', () => {
    expect(ids(send('sock.write(line);'))).toEqual([[2, 'leak']]);
  });
});

describe('a function declaration that uses the resource, returned by its name, takes it along', () => {
  const proxy = (ret: string): string => ts`
    import { Pool } from 'undici';
    export function proxy(url: string) {
      const pool = new Pool(url);
      function listener(path: string): void {
        void pool.request({ method: 'GET', path });
      }
      function listen(): void {}
      ${ret}
    }
  `;

  it('return listener: no report', () => {
    expect(ids(proxy('return listener;'))).toEqual([]);
  });

  it('return Object.assign(listener, { listen }): no report', () => {
    expect(ids(proxy('return Object.assign(listener, { listen });'))).toEqual([]);
  });

  it('counterpart: returns only the function that does not use it: reported', () => {
    expect(ids(proxy('listener(\'/\');\n      return listen;'))).toEqual([[3, 'leak']]);
  });
});

describe('postgres.js: a handler given to listen() or subscribe() makes the client serve for the life of the process', () => {
  const subscriber = (call: string): string => ts`
    import postgres from 'postgres';
    export async function subscriber(): Promise<void> {
      const sql = postgres({ host: '127.0.0.1', port: 5433 });
      ${call}
    }
  `;

  it("sql.subscribe('*:table', onChange): no report", () => {
    expect(ids(subscriber("await sql.subscribe('*:dataelement', (row, { command }) => console.log(command, row));"))).toEqual([]);
  });

  it("sql.listen('channel', onNotify): no report", () => {
    expect(ids(subscriber("await sql.listen('jobs', (payload) => console.log(payload));"))).toEqual([]);
  });

  it('counterpart: a query only: reported', () => {
    expect(ids(subscriber('await sql`select 1`;'))).toEqual([[3, 'leak']]);
  });
});

describe("an HTTP server given to `new WebSocket.Server({ server })` in an ES module whose typings do not declare that static", () => {
  const esmDir = path.join(__dirname, '..', 'fixtures-esm');
  const init = (make: string, handler: boolean): string => ts`
    import * as https from 'node:https';
    import WebSocket from 'ws';
    export function init(cert: Buffer): void {
      const webserver = https.createServer({ cert });
      webserver.listen(443, () => console.log('listening'));
      // @ts-expect-error -- the ES-module typings declare no static Server (the class object has it at run time)
      const wsServer = new ${make}({ server: webserver });
      ${handler ? "wsServer.on('connection', (socket: WebSocket) => socket.on('message', (m) => socket.send(m)));" : ''}
    }
  `;

  it("the ws server gets a 'connection' handler: both serve, no report", () => {
    expect(lintWithPlugin(init('WebSocket.Server', true), { dir: esmDir }).map((m) => [m.line, m.messageId])).toEqual([]);
  });

  it('counterpart: the ws server gets no handler: the HTTP server is reported', () => {
    expect(lintWithPlugin(init('WebSocket.Server', false), { dir: esmDir }).map((m) => [m.line, m.messageId])).toEqual([[4, 'leak']]);
  });
});

describe("a 'timeout' listener whose socket is handed on only after removeAllListeners()", () => {
  const grow = (beforeHandOff: string): string => ts`
    import { Socket } from 'node:net';
    const avoid: Record<string, number> = {};
    export function grow(host: string, port: number, onReady: (s: Socket) => void): void {
      const sock = new Socket();
      sock.once('connect', () => {
        ${beforeHandOff}
        onReady(sock);
      });
      sock.once('error', () => { avoid[host] = Date.now(); });
      sock.once('timeout', () => { avoid[host] = Date.now(); });
      sock.connect(port, host);
    }
  `;

  it('nothing arms its timeout, and the listener is gone before the hand-off: no report', () => {
    expect(ids(grow('sock.removeAllListeners();'))).toEqual([]);
  });

  it("removeAllListeners('timeout') likewise: no report", () => {
    expect(ids(grow("sock.removeAllListeners('timeout');"))).toEqual([]);
  });

  it("counterpart: only the 'error' listeners removed — the code it is handed to may arm it: reported", () => {
    expect(ids(grow("sock.removeAllListeners('error');"))).toEqual([[10, 'timeoutNotReleased']]);
  });
});

describe('http.get() imported under another name ends its request, as http.get() does', () => {
  const status = (load: string, callee: string): string => ts`
    ${load}
    export function status(host: string): Promise<number> {
      return new Promise<number>((resolve, reject) => {
        const request = ${callee}({ host, path: '/' }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        request.on('error', reject);
      });
    }
  `;

  it("import { get as httpGet } from 'node:http': no report", () => {
    expect(ids(status("import { get as httpGet } from 'node:http';", 'httpGet'))).toEqual([]);
  });

  it("counterpart: import { request as httpGet } (a request that is never ended): reported", () => {
    expect(ids(status("import { request as httpGet } from 'node:http';", 'httpGet'))).toEqual([[4, 'leak']]);
  });
});

describe("a listener of an emitter held in a field of the class that releases it: the object's peer tears it down", () => {
  const door = (onEnd: string): string => ts`
    import { Client } from 'ssh2';
    import { EventEmitter } from 'node:events';
    export class Door {
      client = new EventEmitter();
      run(callback: (err?: Error | null) => void): void {
        const self = this;
        const sshClient = new Client();
        sshClient.on('ready', () => {
          self.client.once('end', () => {
            ${onEnd}
          });
          sshClient.forwardOut('127.0.0.1', 22, 'h', 513, (err, stream) => {
            if (err) {
              return callback(new Error('Failed to establish tunnel'));
            }
            stream.on('close', () => {
              sshClient.end();
            });
          });
        });
        sshClient.on('close', () => {
          callback(null);
        });
        sshClient.connect({ host: '127.0.0.1', port: 22, username: 'u', password: 'p' });
      }
    }
  `;

  it("self.client.once('end', () => sshClient.end()) before the forwardOut() callback's early return: no report", () => {
    expect(ids(door('sshClient.end();'))).toEqual([]);
  });

  it('counterpart: that listener does not release it: reported', () => {
    expect(ids(door("console.log('session ended');")).map(([, id]) => id)).toEqual(['leak']);
  });
});

describe('an undici dispatcher holds no socket until its first dispatch', () => {
  const run = (beforeUse: string): string => ts`
    import { Agent, request } from 'undici';
    export async function run(urls: string[]): Promise<void> {
      const dispatcher = new Agent({ connect: { rejectUnauthorized: false } });
      ${beforeUse}
      try {
        for (const url of urls) await request(url, { dispatcher });
      } finally {
        await dispatcher.close();
      }
    }
  `;

  it('an early return before any request through it: no report', () => {
    expect(ids(run("if (urls.length === 0) {\n        console.log('No requests');\n        return;\n      }"))).toEqual([]);
  });

  it('counterpart: an early return after a request through it: reported', () => {
    expect(ids(run("await request('http://127.0.0.1:3000/warmup', { dispatcher });\n      if (urls.length === 0) return;"))).toEqual([[3, 'leak']]);
  });

  it('counterpart: requests through it, never closed: reported', () => {
    expect(ids(ts`
      import { Agent, request } from 'undici';
      export async function fetchAll(urls: string[]): Promise<void> {
        const dispatcher = new Agent().compose((dispatch) => dispatch);
        for (const url of urls) await request(url, { dispatcher });
      }
    `)).toEqual([[3, 'leak']]);
  });
});

describe("await Promise.all([once(ws, 'close'), …]) waits for its close too", () => {
  const test = (combinator: string): string => ts`
    import { once } from 'node:events';
    import WebSocket from 'ws';
    export async function roundTrip(url: string, stop: () => Promise<void>): Promise<void> {
      const ws = new WebSocket(url);
      await once(ws, 'open');
      ws.send('hello');
      await ${combinator}([once(ws, 'close'), stop()]);
    }
  `;

  it('Promise.all: no report', () => {
    expect(ids(test('Promise.all'))).toEqual([]);
  });

  it('counterpart: Promise.race (it may settle by the other promise first): reported', () => {
    expect(ids(test('Promise.race'))).toEqual([[4, 'leak']]);
  });
});

describe('a socket a helper returns next to a wrapper it gave it to is the wrapper\'s', () => {
  const client = (made: string): string => ts`
    import * as net from 'node:net';
    class NetTransport {
      constructor(private readonly socket?: net.Socket) {}
      close(): void {
        this.socket?.destroy();
      }
    }
    function open(port: number): { socket: net.Socket; transport: NetTransport } {
      const socket = net.createConnection({ host: '127.0.0.1', port });
      return { socket, transport: ${made} };
    }
    export function ping(port: number): NetTransport {
      const { socket, transport } = open(port);
      socket.setKeepAlive(true, 1000);
      return transport;
    }
  `;

  it('{ socket, transport: new NetTransport(socket) }: no report at the caller', () => {
    expect(ids(client('new NetTransport(socket)'))).toEqual([]);
  });

  it('counterpart: a transport made without it: reported at the caller', () => {
    expect(ids(client('new NetTransport()'))).toEqual([[13, 'leak']]);
  });
});

describe('a memoized function imported from another module (tests/fixtures/memoized-clients.ts)', () => {
  it('const getRedis = callOnce(connect) there, and export default callOnce(…): no report', () => {
    expect(ids(ts`
      import sharedSocket, { getRedis } from './memoized-clients';
      export async function readText(): Promise<string | null> {
        sharedSocket().write('x');
        return (await getRedis()).get('example:text');
      }
    `)).toEqual([]);
  });

  it('counterpart: a function a non-memoizing wrapper made there: reported', () => {
    expect(ids(ts`
      import { openSocket } from './memoized-clients';
      export function send(line: string): void {
        openSocket().write(line);
      }
    `)).toEqual([[3, 'leak']]);
  });
});

describe("await Promise.all(list.map((ws) => once(ws, 'close'))) waits for every element's close", () => {
  const test = (wait: string): string => ts`
    import { once } from 'node:events';
    import WebSocket from 'ws';
    export async function roundTrips(url: string, names: string[], stop: () => Promise<void>): Promise<void> {
      const clients: WebSocket[] = [];
      for (const name of names) {
        const ws = new WebSocket(url + name);
        await once(ws, 'open');
        clients.push(ws);
      }
      ${wait}
    }
  `;

  it('spread into Promise.all with the server\'s close: no report', () => {
    expect(ids(test("await Promise.all([...clients.map((ws) => once(ws, 'close')), stop()]);"))).toEqual([]);
  });

  it('counterpart: a wait for their message only: reported', () => {
    expect(ids(test("await Promise.all(clients.map((ws) => once(ws, 'message')));")).map(([, id]) => id)).toEqual(['leak']);
  });
});
