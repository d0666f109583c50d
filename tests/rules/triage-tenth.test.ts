/**
 * Shapes from the tenth hand triage (prefixes m1–m4): each false alarm or miss reduced to its general mechanism.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts, lineMessages } from '../rule-tester';

const reports = (code: string): Array<[number, string]> => lineMessages(code, 'no-leak');

describe("an http.ClientRequest's response callback runs with the request already ended", () => {
  it('http.get() following a redirect by recursion: no report', () => {
    expect(
      reports(ts`
        import * as https from 'node:https';
        export function fetchText(url: string): Promise<string> {
          return new Promise((resolve, reject) => {
            const req = https.get(url, (res) => {
              if (res.statusCode === 302) return fetchText(res.headers.location ?? url).then(resolve, reject);
              if (res.statusCode !== 200) return reject(new Error('status'));
              let body = '';
              res.on('data', (c: Buffer) => (body += c.toString()));
              res.on('end', () => resolve(body));
            });
            req.on('error', reject);
          });
        }
      `),
    ).toEqual([]);
  });

  it('a request ended after its response callback is given, destroyed on one branch of it: no report', () => {
    expect(
      reports(ts`
        import * as http from 'node:http';
        export function head(url: string): Promise<number> {
          return new Promise((resolve, reject) => {
            const req = http.request(url, (res) => {
              if (res.statusCode === 204) {
                req.destroy();
                return resolve(204);
              }
              res.resume();
              resolve(res.statusCode ?? 0);
            });
            req.on('error', reject);
            req.end();
          });
        }
      `),
    ).toEqual([]);
  });

  it('a request never ended (its response never comes): reported', () => {
    expect(
      reports(ts`
        import * as http from 'node:http';
        export function send(url: string): void {
          const req = http.request(url);
          req.on('response', (res) => res.resume());
        }
      `),
    ).toHaveLength(1);
  });
});

describe('a release bound to its resource, handed to a listener', () => {
  it("process.once('SIGINT', con.close.bind(con)): no report", () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        export function serve(port: number): void {
          const server = net.createServer((s) => s.end());
          server.listen(port);
          process.once('SIGINT', server.close.bind(server));
        }
        export function keep(port: number): net.Socket {
          const s = net.connect(port, '127.0.0.1');
          process.once('SIGINT', s.destroy.bind(s));
          return s;
        }
      `),
    ).toEqual([]);
  });

  it('a method that does not release, bound the same way: reported', () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        export function f(port: number): void {
          const s = net.connect(port, '127.0.0.1');
          process.once('SIGINT', s.ref.bind(s));
        }
      `),
    ).toHaveLength(1);
  });
});

describe('a field collection released through a copy of its elements', () => {
  const pools = (closeAll: string): string => ts`
    import * as mysql from 'mysql2/promise';
    export class Pools {
      private pools = new Map<string, mysql.Pool>();
      get(id: string, opts: mysql.PoolOptions): mysql.Pool {
        let pool = this.pools.get(id);
        if (!pool) {
          pool = mysql.createPool(opts);
          this.pools.set(id, pool);
        }
        return pool;
      }
      async closeAll(): Promise<void> {
        ${closeAll}
        this.pools.clear();
      }
    }
  `;

  it('Array.from(this.pools.values()).map(end): no report', () => {
    expect(reports(pools('await Promise.all(Array.from(this.pools.values()).map((pool) => pool.end()));'))).toEqual([]);
  });

  it('[...this.pools.values()].map(end): no report', () => {
    expect(reports(pools('await Promise.all([...this.pools.values()].map((pool) => pool.end()));'))).toEqual([]);
  });

  it('a copy whose elements are not released: reported', () => {
    expect(reports(pools('console.log([...this.pools.values()].map((pool) => pool.pool.config));'))).toHaveLength(1);
  });
});

describe("a mysql2 pool's end() closes the connections checked out of it", () => {
  it('a checkout in a function that ends its own pool in finally: no report', () => {
    expect(
      reports(ts`
        import * as mysql from 'mysql2/promise';
        export async function testConnection(opts: mysql.PoolOptions): Promise<unknown> {
          const pool = mysql.createPool({ ...opts, connectionLimit: 1 });
          try {
            const conn = await pool.getConnection();
            const [rows] = await conn.query('SHOW DATABASES');
            conn.release();
            return rows;
          } finally {
            await pool.end();
          }
        }
      `),
    ).toEqual([]);
  });

  it('the connection handed off: the pool it came from is still the function’s (a connection gives no pool back), reported', () => {
    expect(
      reports(ts`
        import * as mysql from 'mysql2/promise';
        export async function connect(opts: mysql.PoolOptions): Promise<mysql.PoolConnection> {
          const pool = mysql.createPool(opts);
          const connection = await pool.getConnection();
          return connection;
        }
      `),
    ).toEqual([[3, 'This mysql2 Pool is not released on any path (nothing releases it or hands it off): call end() first, or hand it to an owner.']]);
  });

  it('a checkout from a pool the function does not end: reported', () => {
    expect(
      reports(ts`
        import * as mysql from 'mysql2/promise';
        export async function testConnection(pool: mysql.Pool): Promise<unknown> {
          const conn = await pool.getConnection();
          const [rows] = await conn.query('SHOW DATABASES');
          conn.release();
          return rows;
        }
      `),
    ).toEqual([[3, 'This mysql2 PoolConnection is not released when query() at line 4 rejects: call release() first, or hand it to an owner.']]);
  });
});

describe('a closure stored on the resource itself is no hand-off', () => {
  it("ws.onopen = () => ws.send('x') with nothing releasing it: reported", () => {
    expect(
      reports(ts`
        import WebSocket from 'ws';
        export function ping(url: string): void {
          const ws = new WebSocket(url);
          ws.onopen = () => ws.send('x');
        }
      `),
    ).toEqual([[3, 'This WebSocket is not released on any path (nothing releases it or hands it off): call close() or terminate() first, or hand it to an owner.']]);
  });

  it('a handler property that closes it: no report', () => {
    expect(
      reports(ts`
        import WebSocket from 'ws';
        export function ping(url: string): void {
          const ws = new WebSocket(url);
          ws.onopen = () => ws.send('x');
          ws.onmessage = () => ws.close();
        }
      `),
    ).toEqual([]);
  });

  it('a closure stored on another object: no report (that object holds it)', () => {
    expect(
      reports(ts`
        import WebSocket from 'ws';
        export function attach(url: string, target: { send?: (m: string) => void }): void {
          const ws = new WebSocket(url);
          target.send = (m) => ws.send(m);
        }
      `),
    ).toEqual([]);
  });
});

describe('the awaited work of another resource of the function rejects', () => {
  it("a second client's connect() rejects with the first one open: reported", () => {
    expect(
      reports(ts`
        import { MongoClient } from 'mongodb';
        import { Client } from 'pg';
        export async function copy(mongoUrl: string, pgUrl: string): Promise<number> {
          const src = await MongoClient.connect(mongoUrl);
          const dst = new Client({ connectionString: pgUrl });
          await dst.connect();
          try {
            const docs = await src.db().collection('x').find().toArray();
            for (const d of docs) await dst.query('insert into x values ($1)', [String(d._id)]);
            return docs.length;
          } finally {
            await dst.end();
            await src.close();
          }
        }
      `),
    ).toEqual([[4, 'This MongoClient is not released when connect() at line 6 rejects: call close() first, or hand it to an owner.']]);
  });

  it('the second connect() inside the try that releases both: no report', () => {
    expect(
      reports(ts`
        import { MongoClient } from 'mongodb';
        import { Client } from 'pg';
        export async function copy(mongoUrl: string, pgUrl: string): Promise<void> {
          const src = await MongoClient.connect(mongoUrl);
          const dst = new Client({ connectionString: pgUrl });
          try {
            await dst.connect();
            await dst.query('select 1');
          } finally {
            await dst.end();
            await src.close();
          }
        }
      `),
    ).toEqual([]);
  });

  it("another resource's release rejecting is not counted: no report", () => {
    expect(
      reports(ts`
        import { MongoClient } from 'mongodb';
        export async function both(a: string, b: string): Promise<void> {
          const x = await MongoClient.connect(a);
          try {
            const y = await MongoClient.connect(b);
            await y.close();
          } finally {
            await x.close();
          }
        }
      `),
    ).toEqual([]);
  });
});

describe("events.once() on a resource whose 'error' leaves it open", () => {
  it("await once(udp, 'listening') and the socket returned: reported", () => {
    expect(
      reports(ts`
        import dgram from 'node:dgram';
        import { once } from 'node:events';
        export async function createBindUdp(port: number): Promise<dgram.Socket> {
          const server = dgram.createSocket('udp4');
          server.bind(port);
          await once(server, 'listening');
          return server;
        }
      `),
    ).toEqual([[4, 'This dgram.Socket is not released when once() at line 6 rejects: call close() first, or hand it to an owner.']]);
  });

  it('through a helper of the file that awaits it on its parameter: reported', () => {
    expect(
      reports(ts`
        import dgram from 'node:dgram';
        import { once } from 'node:events';
        async function bindUdp(server: dgram.Socket, port: number): Promise<number> {
          server.bind(port);
          await once(server, 'listening');
          return server.address().port;
        }
        export async function createBindUdp(port: number): Promise<{ server: dgram.Socket; port: number }> {
          const server = dgram.createSocket('udp4');
          const bound = await bindUdp(server, port);
          return { server, port: bound };
        }
      `),
    ).toEqual([[9, 'This dgram.Socket is not released when bindUdp() at line 10 rejects: call close() first, or hand it to an owner.']]);
  });

  it('a net.Socket (its error destroys it): no report', () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        import { once } from 'node:events';
        export async function open(port: number): Promise<net.Socket> {
          const s = net.connect(port, '127.0.0.1');
          await once(s, 'connect');
          return s;
        }
      `),
    ).toEqual([]);
  });
});

describe("an 'upgrade' listener's response destroyed with its socket", () => {
  const attach = (branch: string): string => ts`
    import * as http from 'node:http';
    export function attach(options: http.RequestOptions, onData: (b: Buffer) => boolean): http.ClientRequest {
      const request = http.get(options);
      request.on('upgrade', (response, socket) => {
        if (response.statusCode !== 101) {
          ${branch}
          return;
        }
        socket.on('data', (d: Buffer) => { if (onData(d)) socket.end(); });
      });
      return request;
    }
  `;

  it('res.destroy() on the failing branch: no report', () => {
    expect(reports(attach('response.destroy(new Error(`bad status`));'))).toEqual([]);
  });

  it('only logged on the failing branch: reported', () => {
    expect(reports(attach("console.error('bad status');"))).toEqual([[4, 'This net.Socket is not released on the path that returns at line 7: call end() or destroy() first, or hand it to an owner.']]);
  });
});

describe("a WHATWG WebSocket dispatches no 'message' once closing", () => {
  const auth = (head: string, register: string, data: string): string => ts`
    ${head}
    export function authenticate(url: string, token: string): Promise<WebSocket> {
      return new Promise((resolve, reject) => {
        const socket = new WebSocket(url);
        ${register}, (ev) => {
          const message = JSON.parse(String(${data})) as { type: string };
          if (message.type === 'auth_required') {
            socket.send(JSON.stringify({ type: 'auth', access_token: token }));
          } else if (message.type === 'auth_invalid') {
            socket.close();
            reject(new Error('invalid auth'));
          } else if (message.type === 'auth_ok') {
            resolve(socket);
          }
        });
      });
    }
  `;
  const uac = (code: string): number[] => lintWithPlugin(code, { rules: { 'no-use-after-close': 'error' } }).map((m) => m.line);

  it('the global WebSocket: a send() in a later run of the listener cannot follow its close(), no report', () => {
    expect(uac(auth('', "socket.addEventListener('message'", 'ev.data'))).toEqual([]);
  });

  it('ws: it still receives messages while closing, reported', () => {
    expect(uac(auth("import WebSocket from 'ws';", "socket.on('message'", 'ev'))).toEqual([8]);
  });
});

describe('stored in a field before a try whose catch clears it', () => {
  it('the store before the try: reported as when it is inside', () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        export class Conn {
          sock: net.Socket | undefined;
          async open(port: number, handshake: () => Promise<void>): Promise<void> {
            const s = net.connect(port, '127.0.0.1');
            this.sock = s;
            try {
              await handshake();
            } catch {
              this.sock = undefined;
            }
          }
          close(): void {
            this.sock?.destroy();
          }
        }
      `),
    ).toEqual([[5, "This net.Socket is not released before 'this.sock' is cleared at line 10: call end() or destroy() first, or hand it to an owner."]]);
  });

  it('released in the catch first: no report', () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        export class Conn {
          sock: net.Socket | undefined;
          async open(port: number, handshake: () => Promise<void>): Promise<void> {
            const s = net.connect(port, '127.0.0.1');
            this.sock = s;
            try {
              await handshake();
            } catch {
              s.destroy();
              this.sock = undefined;
            }
          }
          close(): void {
            this.sock?.destroy();
          }
        }
      `),
    ).toEqual([]);
  });
});

describe('a local closure that re-arms itself by name runs repeatedly', () => {
  it('const attempt = () => { this.connect(); setTimeout(attempt, d) }: the store in connect() is reported', () => {
    expect(
      reports(ts`
        import WebSocket from 'ws';
        export class Feed {
          private ws: WebSocket | undefined;
          private retry: ReturnType<typeof setTimeout> | undefined;
          constructor(private url: string) {}
          reconnect(): void {
            let delay = 1000;
            const attempt = (): void => {
              this.connect();
              delay = Math.min(delay * 1.5, 60000);
              this.retry = setTimeout(attempt, delay);
            };
            this.retry = setTimeout(attempt, delay);
          }
          private connect(): void {
            this.ws = new WebSocket(this.url);
            this.ws.on('open', () => clearTimeout(this.retry));
          }
          destroy(): void {
            this.ws?.close();
          }
        }
      `),
    ).toEqual([[16, 'This stores a new WebSocket in this.ws, which may still hold an open one: release the old socket (close() or terminate()) or check it before replacing it.']]);
  });
});

describe('a base class in another file that releases the field its subclass assigns', () => {
  const sub = (base: string, file: string): string => ts`
    import WebSocket from 'ws';
    import { ${base} } from './${file}.js';
    export class WsClient extends ${base} {
      socket: WebSocket;
      constructor(url: string) {
        super();
        this.socket = new WebSocket(url);
        this.socket.on('error', () => {});
      }
    }
  `;

  it('the base releases it (close() through the field): no report', () => {
    expect(reports(sub('ReleasingBase', 'base-client'))).toEqual([]);
  });

  it('the base only uses it: reported', () => {
    expect(reports(sub('SendingBase', 'base-sender'))).toEqual([[7, "This WebSocket is stored in 'socket', but nothing in the class releases 'socket': add a method that calls close() or terminate()."]]);
  });
});

describe("events.once(server, 'listening')", () => {
  it("a net.Server whose listen() fails is closed: no report", () => {
    expect(
      reports(ts`
        import { createServer, type AddressInfo } from 'node:net';
        import { once } from 'node:events';
        export async function allocatePort(): Promise<number> {
          const server = createServer();
          server.listen(0, '127.0.0.1');
          await once(server, 'listening');
          const { port } = server.address() as AddressInfo;
          await new Promise((resolve) => server.close(resolve));
          return port;
        }
      `),
    ).toEqual([]);
  });
});
