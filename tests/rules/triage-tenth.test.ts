/**
 * Shapes from the tenth hand triage (prefixes m1–m4): each false alarm or miss reduced to its general mechanism.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

function reports(code: string): Array<[number, string]> {
  return lintWithPlugin(code, { rules: { 'no-leak': 'error' } }).map((m) => [m.line, m.message]);
}

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
