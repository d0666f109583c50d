/**
 * The per-library case tables of tests/rules/libraries.test.ts (both rules, against the libraries' REAL typings),
 * and the expectation helpers shared with tests/rules/libraries-more.test.ts. Kept in a module of their own so the
 * two test files run in parallel; the snippets of both are type-checked by libraries-more.test.ts.
 *
 * Snippets use the `ts` tag: common indentation removed, line 1 is the first non-empty line.
 */
import { ts } from '../rule-tester';


export interface Suggestion {
  messageId: 'suggestFinally' | 'suggestAwaitUsing';
  data: Record<string, string>;
  output: string;
}

export interface LeakError {
  messageId: 'leak';
  data: { kind: string; detail: string; release: string };
  line: number;
  column: number;
  suggestions: Suggestion[];
}

export interface UseError {
  messageId: 'useAfterRelease' | 'doubleRelease';
  data: { operation: string; kind: string; state: string; release: string };
  line: number;
  column: number;
}

export function leak(kind: string, release: string, detail: string, line: number, column: number, suggestions: Suggestion[] = []): LeakError {
  return { messageId: 'leak', data: { kind, detail, release }, line, column, suggestions };
}

export function use(operation: string, kind: string, state: string, release: string, line: number, column: number): UseError {
  return { messageId: 'useAfterRelease', data: { operation, kind, state, release }, line, column };
}

export function finallySuggestion(name: string, release: string, output: string): Suggestion {
  return { messageId: 'suggestFinally', data: { name, release }, output };
}

export function awaitUsingSuggestion(name: string, output: string): Suggestion {
  return { messageId: 'suggestAwaitUsing', data: { name }, output };
}

export const NOTHING = 'on any path (nothing releases it or hands it off)';
export const returnsAt = (line: number): string => `on the path that returns at line ${line}`;
export const continuesAt = (line: number): string => `on the path that continues at line ${line}, before the loop creates the next one`;

export interface LibraryTable {
  leakValid: string[];
  leakInvalid: Array<{ code: string; errors: LeakError[] }>;
  useValid: string[];
  useInvalid: Array<{ code: string; errors: UseError[]; options?: [{ reportDoubleRelease: boolean }] }>;
}

export const libraries: Record<string, LibraryTable> = {};

// ── pg ───────────────────────────────────────────────────────────────────────────────────────────────────
libraries.pg = {
  leakValid: [
    // try/finally releases the checked-out client on every path, the rejecting query's included.
    ts`
      import { Pool } from 'pg';
      export async function count(pool: Pool): Promise<number> {
        const c = await pool.connect();
        try {
          const r = await c.query('select 1');
          return r.rowCount ?? 0;
        } finally {
          c.release();
        }
      }
    `,
    // pool.query() checks a client out and back in by itself: nothing to release.
    ts`
      import { Pool } from 'pg';
      export async function count(pool: Pool): Promise<number> {
        const r = await pool.query('select 1');
        return r.rowCount ?? 0;
      }
    `,
    // Hand-offs: returned, stored on this, passed to a callback.
    ts`
      import { Pool, PoolClient } from 'pg';
      export async function checkout(pool: Pool): Promise<PoolClient> {
        const c = await pool.connect();
        try {
          await c.query('begin');
        } catch (err) {
          c.release();
          throw err;
        }
        return c;
      }
    `,
    ts`
      import { Pool, PoolClient } from 'pg';
      export class Tx {
        private client?: PoolClient;
        async begin(pool: Pool): Promise<void> {
          this.client = await pool.connect();
        }
        done(): void {
          this.client?.release();
        }
      }
    `,
    ts`
      import { Pool, PoolClient } from 'pg';
      export async function withClient(pool: Pool, body: (c: PoolClient) => void): Promise<void> {
        const c = await pool.connect();
        body(c);
      }
    `,
    // release(err) releases (and destroys) it.
    ts`
      import { Pool } from 'pg';
      export async function run(pool: Pool): Promise<void> {
        const c = await pool.connect();
        try {
          await c.query('select 1');
          c.release();
        } catch (err) {
          c.release(err as Error);
          throw err;
        }
      }
    `,
    // A Client ended in finally.
    ts`
      import { Client } from 'pg';
      export async function once(): Promise<void> {
        const c = new Client({ host: '127.0.0.1' });
        try {
          await c.query('select 1');
        } finally {
          await c.end();
        }
      }
    `,
    // A Pool ended on every path.
    ts`
      import { Pool } from 'pg';
      export async function once(): Promise<void> {
        const pool = new Pool({ host: '127.0.0.1' });
        try {
          await pool.query('select 1');
        } finally {
          await pool.end();
        }
      }
    `,
  ],
  leakInvalid: [
    {
      code: ts`
        import { Pool } from 'pg';
        export async function each(pool: Pool, ids: number[]): Promise<void> {
          for (const id of ids) {
            const c = await pool.connect();
            if (id < 0) continue;
            await c.query('select $1', [id]);
            c.release();
          }
        }
      `,
      errors: [leak('pg PoolClient', 'release()', continuesAt(5), 4, 21)],
    },
    {
      // Connected, then never ended (a client never connected opens nothing: its query() is only queued).
      code: ts`
        import { Client } from 'pg';
        export async function f(): Promise<void> {
          const c = new Client({ host: '127.0.0.1' });
          await c.connect();
          await c.query('select 1');
        }
      `,
      errors: [
        leak('pg Client', 'end()', NOTHING, 3, 13, [
          finallySuggestion('c', 'end()', ts`
            import { Client } from 'pg';
            export async function f(): Promise<void> {
              const c = new Client({ host: '127.0.0.1' });
              try {
                await c.connect();
                await c.query('select 1');
              } finally {
                await c.end();
              }
            }
          `),
        ]),
      ],
    },
    {
      code: ts`
        import { Pool } from 'pg';
        export async function f(): Promise<void> {
          const pool = new Pool({ host: '127.0.0.1' });
          await pool.query('select 1');
        }
      `,
      errors: [
        leak('pg Pool', 'end()', NOTHING, 3, 16, [
          finallySuggestion('pool', 'end()', ts`
            import { Pool } from 'pg';
            export async function f(): Promise<void> {
              const pool = new Pool({ host: '127.0.0.1' });
              try {
                await pool.query('select 1');
              } finally {
                await pool.end();
              }
            }
          `),
        ]),
      ],
    },
  ],
  useValid: [
    ts`
      import { Pool } from 'pg';
      export async function f(pool: Pool): Promise<void> {
        const c = await pool.connect();
        try {
          await c.query('select 1');
        } finally {
          c.release();
        }
      }
    `,
    // pool.query() after a checked-out client's release uses the pool, not the client.
    ts`
      import { Pool } from 'pg';
      export async function f(pool: Pool): Promise<void> {
        const c = await pool.connect();
        c.release();
        await pool.query('select 1');
      }
    `,
  ],
  useInvalid: [
    {
      code: ts`
        import { Pool } from 'pg';
        export async function f(pool: Pool): Promise<void> {
          const c = await pool.connect();
          c.release();
          await c.query('select 1');
        }
      `,
      errors: [use('query()', 'pg PoolClient', 'released', 'release() at line 4', 5, 9)],
    },
    {
      // release(true) destroys the client.
      code: ts`
        import { Pool } from 'pg';
        export async function f(pool: Pool): Promise<void> {
          const c = await pool.connect();
          c.release(true);
          await c.query('select 1');
        }
      `,
      errors: [use('query()', 'pg PoolClient', 'destroyed', 'release() at line 4', 5, 9)],
    },
    {
      code: ts`
        import { Pool } from 'pg';
        export async function f(): Promise<void> {
          const pool = new Pool({ host: '127.0.0.1' });
          await pool.end();
          await pool.query('select 1');
        }
      `,
      errors: [use('query()', 'pg Pool', 'ended', 'end() at line 4', 5, 9)],
    },
    {
      code: ts`
        import { Client } from 'pg';
        export async function f(): Promise<void> {
          const c = new Client({ host: '127.0.0.1' });
          await c.connect();
          await c.end();
          await c.connect();
        }
      `,
      errors: [use('connect()', 'pg Client', 'ended', 'end() at line 5', 6, 9)],
    },
    {
      // A second release() throws: reported even without reportDoubleRelease.
      code: ts`
        import { Pool } from 'pg';
        export async function f(pool: Pool): Promise<void> {
          const c = await pool.connect();
          c.release();
          c.release();
        }
      `,
      errors: [use('release()', 'pg PoolClient', 'released', 'release() at line 4', 5, 3)],
    },
    {
      // A second end() of a Pool fails ("Called end on pool more than once").
      code: ts`
        import { Pool } from 'pg';
        export async function f(): Promise<void> {
          const pool = new Pool({ host: '127.0.0.1' });
          await pool.end();
          await pool.end();
        }
      `,
      errors: [use('end()', 'pg Pool', 'ended', 'end() at line 4', 5, 9)],
    },
  ],
};

// ── mysql2 ───────────────────────────────────────────────────────────────────────────────────────────────
libraries.mysql2 = {
  leakValid: [
    ts`
      import * as mysql from 'mysql2/promise';
      export async function count(pool: mysql.Pool): Promise<unknown> {
        const c = await pool.getConnection();
        try {
          const [rows] = await c.query('select 1');
          return rows;
        } finally {
          c.release();
        }
      }
    `,
    ts`
      import * as mysql from 'mysql2/promise';
      export async function count(pool: mysql.Pool): Promise<unknown> {
        const [rows] = await pool.query('select 1');
        return rows;
      }
    `,
    // await using: the promise Connection has [Symbol.asyncDispose].
    ts`
      import * as mysql from 'mysql2/promise';
      export async function once(): Promise<void> {
        await using c = await mysql.createConnection({ host: '127.0.0.1' });
        await c.query('select 1');
      }
    `,
    ts`
      import * as mysql from 'mysql2/promise';
      export async function open(): Promise<mysql.Connection> {
        const c = await mysql.createConnection({ host: '127.0.0.1' });
        try {
          await c.query('set names utf8mb4');
        } catch (err) {
          c.destroy();
          throw err;
        }
        return c;
      }
    `,
    ts`
      import * as mysql from 'mysql2/promise';
      export class Repo {
        private conn?: mysql.PoolConnection;
        async open(pool: mysql.Pool): Promise<void> {
          this.conn = await pool.getConnection();
        }
        close(): void {
          this.conn?.release();
        }
      }
    `,
    ts`
      import * as mysql from 'mysql2/promise';
      export async function lend(pool: mysql.Pool, body: (c: mysql.PoolConnection) => void): Promise<void> {
        const c = await pool.getConnection();
        body(c);
      }
    `,
    // Callback API: end() on every path.
    ts`
      import * as mysql from 'mysql2';
      export function once(done: () => void): void {
        const c = mysql.createConnection({ host: '127.0.0.1' });
        c.query('select 1', () => {
          c.end();
          done();
        });
      }
    `,
  ],
  leakInvalid: [
    {
      code: ts`
        import * as mysql from 'mysql2';
        export function f(): void {
          const cluster = mysql.createPoolCluster();
          cluster.add('a', { host: '127.0.0.1' });
        }
      `,
      errors: [
        leak('mysql2 PoolCluster', 'end()', NOTHING, 3, 19, [
          finallySuggestion('cluster', 'end()', ts`
            import * as mysql from 'mysql2';
            export function f(): void {
              const cluster = mysql.createPoolCluster();
              try {
                cluster.add('a', { host: '127.0.0.1' });
              } finally {
                cluster.end();
              }
            }
          `),
        ]),
      ],
    },
    {
      code: ts`
        import * as mysql from 'mysql2/promise';
        export async function f(pool: mysql.Pool, ok: boolean): Promise<void> {
          const c = await pool.getConnection();
          if (!ok) return;
          await c.query('select 1');
          c.release();
        }
      `,
      errors: [
        leak('mysql2 PoolConnection', 'release()', returnsAt(4), 3, 19, [
          finallySuggestion('c', 'release()', ts`
            import * as mysql from 'mysql2/promise';
            export async function f(pool: mysql.Pool, ok: boolean): Promise<void> {
              const c = await pool.getConnection();
              try {
                if (!ok) return;
                await c.query('select 1');
              } finally {
                c.release();
              }
            }
          `),
          awaitUsingSuggestion('c', ts`
            import * as mysql from 'mysql2/promise';
            export async function f(pool: mysql.Pool, ok: boolean): Promise<void> {
              await using c = await pool.getConnection();
              if (!ok) return;
              await c.query('select 1');
              c.release();
            }
          `),
        ]),
      ],
    },
    {
      code: ts`
        import * as mysql from 'mysql2/promise';
        export async function each(pool: mysql.Pool, ids: number[]): Promise<void> {
          for (const id of ids) {
            const c = await pool.getConnection();
            if (id < 0) continue;
            await c.execute('select ?', [id]);
            c.release();
          }
        }
      `,
      errors: [leak('mysql2 PoolConnection', 'release()', continuesAt(5), 4, 21)],
    },
    {
      code: ts`
        import * as mysql from 'mysql2/promise';
        export async function f(): Promise<void> {
          const c = await mysql.createConnection({ host: '127.0.0.1' });
          await c.query('select 1');
        }
      `,
      errors: [
        leak('mysql2 Connection', 'end() or destroy()', NOTHING, 3, 19, [
          finallySuggestion('c', 'end()', ts`
            import * as mysql from 'mysql2/promise';
            export async function f(): Promise<void> {
              const c = await mysql.createConnection({ host: '127.0.0.1' });
              try {
                await c.query('select 1');
              } finally {
                await c.end();
              }
            }
          `),
          awaitUsingSuggestion('c', ts`
            import * as mysql from 'mysql2/promise';
            export async function f(): Promise<void> {
              await using c = await mysql.createConnection({ host: '127.0.0.1' });
              await c.query('select 1');
            }
          `),
        ]),
      ],
    },
    {
      code: ts`
        import * as mysql from 'mysql2';
        export function f(): void {
          const pool = mysql.createPool({ host: '127.0.0.1' });
          pool.query('select 1');
        }
      `,
      errors: [
        leak('mysql2 Pool', 'end()', NOTHING, 3, 16, [
          finallySuggestion('pool', 'end()', ts`
            import * as mysql from 'mysql2';
            export function f(): void {
              const pool = mysql.createPool({ host: '127.0.0.1' });
              try {
                pool.query('select 1');
              } finally {
                pool.end();
              }
            }
          `),
        ]),
      ],
    },
  ],
  useValid: [
    ts`
      import * as mysql from 'mysql2/promise';
      export async function f(pool: mysql.Pool): Promise<void> {
        const c = await pool.getConnection();
        await c.query('select 1');
        c.release();
        await pool.query('select 2');
      }
    `,
  ],
  useInvalid: [
    {
      code: ts`
        import * as mysql from 'mysql2/promise';
        export async function f(pool: mysql.Pool): Promise<void> {
          const c = await pool.getConnection();
          c.release();
          await c.query('select 1');
        }
      `,
      errors: [use('query()', 'mysql2 PoolConnection', 'released', 'release() at line 4', 5, 9)],
    },
    {
      code: ts`
        import * as mysql from 'mysql2';
        export function f(): void {
          const c = mysql.createConnection({ host: '127.0.0.1' });
          c.end();
          c.query('select 1');
        }
      `,
      errors: [use('query()', 'mysql2 Connection', 'ended', 'end() at line 4', 5, 3)],
    },
    {
      code: ts`
        import * as mysql from 'mysql2/promise';
        export async function f(): Promise<void> {
          const pool = mysql.createPool({ host: '127.0.0.1' });
          await pool.end();
          await pool.getConnection();
        }
      `,
      errors: [use('getConnection()', 'mysql2 Pool', 'ended', 'end() at line 4', 5, 9)],
    },
  ],
};

// ── ioredis ──────────────────────────────────────────────────────────────────────────────────────────────
libraries.ioredis = {
  leakValid: [
    ts`
      import Redis from 'ioredis';
      export async function read(key: string): Promise<string | null> {
        const r = new Redis({ host: '127.0.0.1' });
        try {
          return await r.get(key);
        } finally {
          r.disconnect();
        }
      }
    `,
    ts`
      import Redis from 'ioredis';
      export function open(): Redis {
        const r = new Redis({ host: '127.0.0.1' });
        r.on('error', () => {});
        return r;
      }
    `,
    ts`
      import Redis from 'ioredis';
      export class Cache {
        private redis?: Redis;
        open(): void {
          this.redis = new Redis({ host: '127.0.0.1' });
        }
        async close(): Promise<void> {
          await this.redis?.quit();
        }
      }
    `,
    ts`
      import Redis from 'ioredis';
      export function lend(body: (r: Redis) => void): void {
        const r = new Redis({ host: '127.0.0.1' });
        body(r);
      }
    `,
  ],
  leakInvalid: [
    {
      code: ts`
        import Redis from 'ioredis';
        export async function f(ok: boolean): Promise<void> {
          const r = new Redis({ host: '127.0.0.1' });
          if (!ok) return;
          await r.set('a', '1');
          await r.quit();
        }
      `,
      errors: [
        leak('ioredis client', 'quit() or disconnect()', returnsAt(4), 3, 13, [
          finallySuggestion('r', 'disconnect()', ts`
            import Redis from 'ioredis';
            export async function f(ok: boolean): Promise<void> {
              const r = new Redis({ host: '127.0.0.1' });
              try {
                if (!ok) return;
                await r.set('a', '1');
                await r.quit();
              } finally {
                r.disconnect();
              }
            }
          `),
        ]),
      ],
    },
    {
      code: ts`
        import Redis from 'ioredis';
        export async function each(keys: string[]): Promise<void> {
          for (const k of keys) {
            const r = new Redis({ host: '127.0.0.1' });
            if (k === '') continue;
            await r.del(k);
            await r.quit();
          }
        }
      `,
      errors: [leak('ioredis client', 'quit() or disconnect()', continuesAt(5), 4, 15)],
    },
    {
      // disconnect(true) reconnects: it is not a release.
      code: ts`
        import Redis from 'ioredis';
        export function f(): void {
          const r = new Redis({ host: '127.0.0.1' });
          r.disconnect(true);
        }
      `,
      errors: [
        leak('ioredis client', 'quit() or disconnect()', NOTHING, 3, 13, [
          finallySuggestion('r', 'disconnect()', ts`
            import Redis from 'ioredis';
            export function f(): void {
              const r = new Redis({ host: '127.0.0.1' });
              try {
                r.disconnect(true);
              } finally {
                r.disconnect();
              }
            }
          `),
        ]),
      ],
    },
  ],
  useValid: [
    ts`
      import Redis from 'ioredis';
      export async function f(): Promise<void> {
        const r = new Redis({ host: '127.0.0.1' });
        r.disconnect(true);
        await r.get('a');
        await r.quit();
      }
    `,
    // connect() opens a closed client again.
    ts`
      import Redis from 'ioredis';
      export async function f(): Promise<void> {
        const r = new Redis({ host: '127.0.0.1', lazyConnect: true });
        await r.quit();
        await r.connect();
        await r.get('a');
        r.disconnect();
      }
    `,
    // A status test guards the use.
    ts`
      import Redis from 'ioredis';
      export async function f(): Promise<void> {
        const r = new Redis({ host: '127.0.0.1' });
        await r.quit();
        if (r.status === 'ready') await r.get('a');
      }
    `,
    // EventEmitter's own methods act on the emitter, not the connection: not uses after the release.
    ts`
      import Redis from 'ioredis';
      export async function f(): Promise<number> {
        const r = new Redis({ host: '127.0.0.1' });
        await r.quit();
        r.emit('done');
        r.removeAllListeners();
        return r.listenerCount('error');
      }
    `,
  ],
  useInvalid: [
    {
      code: ts`
        import Redis from 'ioredis';
        export async function f(): Promise<void> {
          const r = new Redis({ host: '127.0.0.1' });
          await r.quit();
          await r.get('a');
        }
      `,
      errors: [use('get()', 'ioredis client', 'released', 'quit() at line 4', 5, 9)],
    },
    {
      code: ts`
        import { Cluster } from 'ioredis';
        export async function f(): Promise<void> {
          const c = new Cluster([{ host: '127.0.0.1', port: 7000 }]);
          c.disconnect();
          await c.publish('ch', 'm');
        }
      `,
      errors: [use('publish()', 'ioredis Cluster', 'destroyed', 'disconnect() at line 4', 5, 9)],
    },
  ],
};

// ── redis (node-redis) ───────────────────────────────────────────────────────────────────────────────────
libraries.redis = {
  leakValid: [
    // connect() starts connecting and queues commands; the realistic `await r.connect()` form is in engineGapCases.
    ts`
      import { createClient } from 'redis';
      export async function read(key: string): Promise<string | null> {
        const r = createClient({ url: 'redis://127.0.0.1' });
        r.on('error', () => {});
        void r.connect();
        try {
          return await r.get(key);
        } finally {
          r.destroy();
        }
      }
    `,
    ts`
      import { createClient, type RedisClientType } from 'redis';
      export function open(): RedisClientType {
        const r = createClient({ url: 'redis://127.0.0.1' });
        r.on('error', () => {});
        return r;
      }
    `,
    ts`
      import { createClient, type RedisClientType } from 'redis';
      export class Cache {
        private client?: RedisClientType;
        open(): void {
          this.client = createClient({ url: 'redis://127.0.0.1' });
        }
        async close(): Promise<void> {
          await this.client?.close();
        }
      }
    `,
    ts`
      import { createClient, type RedisClientType } from 'redis';
      export function lend(body: (r: RedisClientType) => void): void {
        const r = createClient({ url: 'redis://127.0.0.1' });
        body(r);
      }
    `,
  ],
  leakInvalid: [
    {
      code: ts`
        import { createClient } from 'redis';
        export async function f(ok: boolean): Promise<void> {
          const r = createClient({ url: 'redis://127.0.0.1' });
          await r.connect();
          if (!ok) return;
          await r.close();
        }
      `,
      errors: [
        leak('redis client', 'close() or destroy()', returnsAt(5), 3, 13, [
          finallySuggestion('r', 'destroy()', ts`
            import { createClient } from 'redis';
            export async function f(ok: boolean): Promise<void> {
              const r = createClient({ url: 'redis://127.0.0.1' });
              try {
                await r.connect();
                if (!ok) return;
                await r.close();
              } finally {
                r.destroy();
              }
            }
          `),
        ]),
      ],
    },
    {
      code: ts`
        import { createClient } from 'redis';
        export async function each(keys: string[]): Promise<void> {
          for (const k of keys) {
            const r = createClient({ url: 'redis://127.0.0.1' });
            await r.connect();
            if (k === '') continue;
            r.destroy();
          }
        }
      `,
      errors: [leak('redis client', 'close() or destroy()', continuesAt(6), 4, 15)],
    },
    {
      code: ts`
        import { createCluster } from 'redis';
        export function f(): void {
          const c = createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:7000' }] });
          c.on('error', () => {});
          void c.connect();
        }
      `,
      errors: [leak('redis cluster', 'close() or destroy()', NOTHING, 3, 13)],
    },
  ],
  useValid: [
    ts`
      import { createClient } from 'redis';
      export async function f(): Promise<void> {
        const r = createClient({ url: 'redis://127.0.0.1' });
        await r.close();
        await r.connect();
        await r.get('a');
        r.destroy();
      }
    `,
    ts`
      import { createClient } from 'redis';
      export async function f(): Promise<void> {
        const r = createClient({ url: 'redis://127.0.0.1' });
        await r.close();
        if (r.isOpen) await r.get('a');
      }
    `,
  ],
  useInvalid: [
    {
      code: ts`
        import { createClient } from 'redis';
        export async function f(): Promise<void> {
          const r = createClient({ url: 'redis://127.0.0.1' });
          await r.close();
          await r.get('a');
        }
      `,
      errors: [use('get()', 'redis client', 'closed', 'close() at line 4', 5, 9)],
    },
    {
      code: ts`
        import { createClient } from 'redis';
        export async function f(): Promise<void> {
          const r = createClient({ url: 'redis://127.0.0.1' });
          r.destroy();
          await r.SET('a', '1');
        }
      `,
      errors: [use('SET()', 'redis client', 'destroyed', 'destroy() at line 4', 5, 9)],
    },
  ],
};

// ── mqtt ─────────────────────────────────────────────────────────────────────────────────────────────────
libraries.mqtt = {
  leakValid: [
    ts`
      import mqtt from 'mqtt';
      export async function send(topic: string): Promise<void> {
        const c = await mqtt.connectAsync('mqtt://127.0.0.1');
        try {
          await c.publishAsync(topic, 'hello');
        } finally {
          await c.endAsync();
        }
      }
    `,
    ts`
      import mqtt, { type MqttClient } from 'mqtt';
      export function open(): MqttClient {
        const c = mqtt.connect('mqtt://127.0.0.1');
        c.subscribe('a');
        return c;
      }
    `,
    ts`
      import mqtt, { type MqttClient } from 'mqtt';
      export class Bus {
        private client?: MqttClient;
        open(): void {
          this.client = mqtt.connect('mqtt://127.0.0.1');
        }
        close(): void {
          this.client?.end();
        }
      }
    `,
    ts`
      import mqtt, { type MqttClient } from 'mqtt';
      export function lend(body: (c: MqttClient) => void): void {
        const c = mqtt.connect('mqtt://127.0.0.1');
        body(c);
      }
    `,
    // publish() and subscribe() return the client: the chain's end() releases it.
    ts`
      import mqtt from 'mqtt';
      export function once(): void {
        mqtt.connect('mqtt://127.0.0.1').subscribe('a').publish('b', 'm').end();
      }
    `,
  ],
  leakInvalid: [
    {
      code: ts`
        import mqtt from 'mqtt';
        export function f(ok: boolean): void {
          const c = mqtt.connect('mqtt://127.0.0.1');
          if (!ok) return;
          c.publish('t', 'm');
          c.end();
        }
      `,
      errors: [
        leak('MqttClient', 'end() or endAsync()', returnsAt(4), 3, 13, [
          finallySuggestion('c', 'end()', ts`
            import mqtt from 'mqtt';
            export function f(ok: boolean): void {
              const c = mqtt.connect('mqtt://127.0.0.1');
              try {
                if (!ok) return;
                c.publish('t', 'm');
              } finally {
                c.end();
              }
            }
          `),
        ]),
      ],
    },
    {
      code: ts`
        import mqtt from 'mqtt';
        export async function each(topics: string[]): Promise<void> {
          for (const t of topics) {
            const c = await mqtt.connectAsync('mqtt://127.0.0.1');
            if (t === '') continue;
            await c.publishAsync(t, 'm');
            await c.endAsync();
          }
        }
      `,
      errors: [leak('MqttClient', 'end() or endAsync()', continuesAt(5), 4, 21)],
    },
    {
      // An 'error' does not end the client.
      code: ts`
        import mqtt from 'mqtt';
        export function f(): void {
          const c = mqtt.connect('mqtt://127.0.0.1');
          c.on('error', () => {});
          c.publish('t', 'm');
        }
      `,
      errors: [leak('MqttClient', 'end() or endAsync()', NOTHING, 3, 13)],
    },
  ],
  useValid: [
    ts`
      import mqtt from 'mqtt';
      export function f(): void {
        const c = mqtt.connect('mqtt://127.0.0.1');
        c.end();
        c.reconnect();
        c.publish('t', 'm');
        c.end();
      }
    `,
    ts`
      import mqtt from 'mqtt';
      export function f(): void {
        const c = mqtt.connect('mqtt://127.0.0.1');
        c.end();
        if (c.connected) c.publish('t', 'm');
      }
    `,
  ],
  useInvalid: [
    {
      code: ts`
        import mqtt from 'mqtt';
        export function f(): void {
          const c = mqtt.connect('mqtt://127.0.0.1');
          c.end();
          c.publish('t', 'm');
        }
      `,
      errors: [use('publish()', 'MqttClient', 'ended', 'end() at line 4', 5, 3)],
    },
    {
      code: ts`
        import mqtt from 'mqtt';
        export async function f(): Promise<void> {
          const c = await mqtt.connectAsync('mqtt://127.0.0.1');
          await c.endAsync();
          await c.subscribeAsync('t');
        }
      `,
      errors: [use('subscribeAsync()', 'MqttClient', 'ended', 'endAsync() at line 4', 5, 9)],
    },
  ],
};

// ── ssh2 ─────────────────────────────────────────────────────────────────────────────────────────────────
libraries.ssh2 = {
  leakValid: [
    ts`
      import { Client } from 'ssh2';
      export function run(cmd: string): void {
        const conn = new Client();
        conn.on('ready', () => {
          conn.exec(cmd, (err, stream) => {
            if (err) {
              conn.end();
              return;
            }
            stream.on('close', () => conn.end());
          });
        });
        conn.on('error', () => conn.destroy());
        conn.connect({ host: '127.0.0.1', username: 'u' });
      }
    `,
    ts`
      import { Client } from 'ssh2';
      export function open(): Client {
        const conn = new Client();
        conn.connect({ host: '127.0.0.1', username: 'u' });
        return conn;
      }
    `,
    ts`
      import { Client } from 'ssh2';
      export class Remote {
        private conn?: Client;
        open(): void {
          this.conn = new Client().connect({ host: '127.0.0.1', username: 'u' });
        }
        close(): void {
          this.conn?.end();
        }
      }
    `,
    ts`
      import { Client } from 'ssh2';
      export function lend(body: (c: Client) => void): void {
        const conn = new Client();
        body(conn);
      }
    `,
  ],
  leakInvalid: [
    {
      // A path of the exec() callback returns without end().
      code: ts`
        import { Client } from 'ssh2';
        export function run(cmd: string): void {
          const conn = new Client();
          conn.on('ready', () => {
            conn.exec(cmd, (err, stream) => {
              if (err) {
                return;
              }
              stream.on('close', () => conn.end());
            });
          });
          conn.connect({ host: '127.0.0.1', username: 'u' });
        }
      `,
      errors: [leak('ssh2 Client', 'end() or destroy()', 'when the exec() callback at line 5 returns at line 7 without releasing it', 3, 16)],
    },
    {
      code: ts`
        import { Client } from 'ssh2';
        export function f(ok: boolean): void {
          const conn = new Client();
          conn.connect({ host: '127.0.0.1', username: 'u' });
          if (!ok) return;
          conn.end();
        }
      `,
      errors: [
        leak('ssh2 Client', 'end() or destroy()', returnsAt(5), 3, 16, [
          finallySuggestion('conn', 'end()', ts`
            import { Client } from 'ssh2';
            export function f(ok: boolean): void {
              const conn = new Client();
              try {
                conn.connect({ host: '127.0.0.1', username: 'u' });
                if (!ok) return;
              } finally {
                conn.end();
              }
            }
          `),
        ]),
      ],
    },
    {
      code: ts`
        import { Client } from 'ssh2';
        export function each(hosts: string[]): void {
          for (const host of hosts) {
            const conn = new Client();
            conn.connect({ host, username: 'u' });
            if (host === '') continue;
            conn.end();
          }
        }
      `,
      errors: [leak('ssh2 Client', 'end() or destroy()', continuesAt(6), 4, 18)],
    },
  ],
  useValid: [
    ts`
      import { Client } from 'ssh2';
      export function f(): void {
        const conn = new Client();
        conn.connect({ host: '127.0.0.1', username: 'u' });
        conn.end();
        conn.connect({ host: '127.0.0.1', username: 'u' });
        conn.exec('ls', () => {});
        conn.end();
      }
    `,
  ],
  useInvalid: [
    {
      code: ts`
        import { Client } from 'ssh2';
        export function f(): void {
          const conn = new Client();
          conn.connect({ host: '127.0.0.1', username: 'u' });
          conn.end();
          conn.exec('ls', () => {});
        }
      `,
      errors: [use('exec()', 'ssh2 Client', 'ended', 'end() at line 5', 6, 3)],
    },
    {
      code: ts`
        import { Client } from 'ssh2';
        export function f(): void {
          const conn = new Client();
          conn.connect({ host: '127.0.0.1', username: 'u' });
          conn.destroy();
          conn.sftp(() => {});
        }
      `,
      errors: [use('sftp()', 'ssh2 Client', 'destroyed', 'destroy() at line 5', 6, 3)],
    },
  ],
};

// ── amqplib ──────────────────────────────────────────────────────────────────────────────────────────────
libraries.amqplib = {
  leakValid: [
    ts`
      import * as amqp from 'amqplib';
      export async function send(q: string): Promise<void> {
        const conn = await amqp.connect('amqp://127.0.0.1');
        try {
          const ch = await conn.createChannel();
          try {
            ch.sendToQueue(q, Buffer.from('m'));
          } finally {
            await ch.close();
          }
        } finally {
          await conn.close();
        }
      }
    `,
    ts`
      import * as amqp from 'amqplib';
      export async function channel(conn: amqp.ChannelModel): Promise<amqp.Channel> {
        const ch = await conn.createChannel();
        try {
          await ch.assertQueue('q');
        } catch (err) {
          ch.close();
          throw err;
        }
        return ch;
      }
    `,
    ts`
      import * as amqp from 'amqplib';
      export class Publisher {
        private ch?: amqp.ConfirmChannel;
        async open(conn: amqp.ChannelModel): Promise<void> {
          this.ch = await conn.createConfirmChannel();
        }
        async close(): Promise<void> {
          await this.ch?.close();
        }
      }
    `,
    ts`
      import * as amqp from 'amqplib';
      export async function lend(body: (c: amqp.ChannelModel) => void): Promise<void> {
        const conn = await amqp.connect('amqp://127.0.0.1');
        body(conn);
      }
    `,
    // Closing the connection closes its channels, also when the channel's operation rejects into the catch.
    ts`
      import * as amqp from 'amqplib';
      export async function once(q: string): Promise<void> {
        const conn = await amqp.connect('amqp://127.0.0.1');
        try {
          const ch = await conn.createChannel();
          ch.sendToQueue(q, Buffer.from('m'));
        } finally {
          await conn.close();
        }
      }
    `,
    ts`
      import * as amqp from 'amqplib';
      export async function declare(q: string): Promise<void> {
        const conn = await amqp.connect('amqp://127.0.0.1');
        try {
          const ch = await conn.createChannel();
          await ch.assertQueue(q);
          await ch.close();
        } catch (err) {
          console.error(err);
        } finally {
          await conn.close();
        }
      }
    `,
  ],
  leakInvalid: [
    {
      code: ts`
        import * as amqp from 'amqplib';
        export async function each(conn: amqp.ChannelModel, qs: string[]): Promise<void> {
          for (const q of qs) {
            const ch = await conn.createChannel();
            if (q === '') continue;
            ch.sendToQueue(q, Buffer.from('m'));
            await ch.close();
          }
        }
      `,
      errors: [leak('amqplib Channel', 'close()', continuesAt(5), 4, 22)],
    },
    {
      code: ts`
        import * as amqp from 'amqplib';
        export async function f(): Promise<void> {
          const conn = await amqp.connect('amqp://127.0.0.1');
          conn.on('error', () => {});
        }
      `,
      errors: [leak('amqplib connection', 'close()', NOTHING, 3, 22)],
    },
  ],
  useValid: [
    ts`
      import * as amqp from 'amqplib';
      export async function f(conn: amqp.ChannelModel): Promise<void> {
        const ch = await conn.createChannel();
        ch.sendToQueue('q', Buffer.from('m'));
        await ch.close();
        const next = await conn.createChannel();
        next.sendToQueue('q', Buffer.from('m'));
        await next.close();
      }
    `,
  ],
  useInvalid: [
    {
      code: ts`
        import * as amqp from 'amqplib';
        export async function f(conn: amqp.ChannelModel): Promise<void> {
          const ch = await conn.createChannel();
          await ch.close();
          ch.sendToQueue('q', Buffer.from('m'));
        }
      `,
      errors: [use('sendToQueue()', 'amqplib Channel', 'closed', 'close() at line 4', 5, 3)],
    },
    {
      code: ts`
        import * as amqp from 'amqplib';
        export async function f(): Promise<void> {
          const conn = await amqp.connect('amqp://127.0.0.1');
          await conn.close();
          await conn.createChannel();
        }
      `,
      errors: [use('createChannel()', 'amqplib connection', 'closed', 'close() at line 4', 5, 9)],
    },
    {
      code: ts`
        import * as amqp from 'amqplib';
        export async function f(): Promise<void> {
          const conn = await amqp.connect('amqp://127.0.0.1');
          await conn.close();
          await conn.close();
        }
      `,
      errors: [use('close()', 'amqplib connection', 'closed', 'close() at line 4', 5, 9)],
    },
  ],
};

// ── mongodb ──────────────────────────────────────────────────────────────────────────────────────────────
libraries.mongodb = {
  leakValid: [
    // close() ends the sessions the client started.
    ts`
      import { MongoClient } from 'mongodb';
      export async function count(): Promise<number> {
        const client = new MongoClient('mongodb://127.0.0.1');
        const session = client.startSession();
        try {
          return await client.db('app').collection('jobs').countDocuments({}, { session });
        } finally {
          await client.close();
        }
      }
    `,
    ts`
      import { MongoClient } from 'mongodb';
      export async function find(): Promise<unknown> {
        const client = new MongoClient('mongodb://127.0.0.1');
        try {
          return await client.db('app').collection('users').findOne({});
        } finally {
          await client.close();
        }
      }
    `,
    // await using: MongoClient has [Symbol.asyncDispose].
    ts`
      import { MongoClient } from 'mongodb';
      export async function find(): Promise<unknown> {
        await using client = await MongoClient.connect('mongodb://127.0.0.1');
        return client.db('app').collection('users').findOne({});
      }
    `,
    ts`
      import { MongoClient } from 'mongodb';
      export class Store {
        private client?: MongoClient;
        open(): void {
          this.client = new MongoClient('mongodb://127.0.0.1');
        }
        async close(): Promise<void> {
          await this.client?.close();
        }
      }
    `,
    ts`
      import { MongoClient } from 'mongodb';
      export function lend(body: (c: MongoClient) => void): void {
        const client = new MongoClient('mongodb://127.0.0.1');
        body(client);
      }
    `,
  ],
  leakInvalid: [
    {
      code: ts`
        import { MongoClient } from 'mongodb';
        export async function f(ok: boolean): Promise<void> {
          const client = new MongoClient('mongodb://127.0.0.1');
          await client.connect();
          if (!ok) return;
          await client.close();
        }
      `,
      errors: [
        leak('MongoClient', 'close()', returnsAt(5), 3, 18, [
          finallySuggestion('client', 'close()', ts`
            import { MongoClient } from 'mongodb';
            export async function f(ok: boolean): Promise<void> {
              const client = new MongoClient('mongodb://127.0.0.1');
              try {
                await client.connect();
                if (!ok) return;
              } finally {
                await client.close();
              }
            }
          `),
          awaitUsingSuggestion('client', ts`
            import { MongoClient } from 'mongodb';
            export async function f(ok: boolean): Promise<void> {
              await using client = new MongoClient('mongodb://127.0.0.1');
              await client.connect();
              if (!ok) return;
              await client.close();
            }
          `),
        ]),
      ],
    },
    {
      code: ts`
        import { MongoClient } from 'mongodb';
        export async function each(urls: string[]): Promise<void> {
          for (const url of urls) {
            const client = await MongoClient.connect(url);
            if (url === '') continue;
            await client.close();
          }
        }
      `,
      errors: [leak('MongoClient', 'close()', continuesAt(5), 4, 26)],
    },
  ],
  useValid: [
    // The driver connects again after close(): nothing on a closed MongoClient fails.
    ts`
      import { MongoClient } from 'mongodb';
      export async function f(): Promise<void> {
        const client = new MongoClient('mongodb://127.0.0.1');
        await client.close();
        await client.db('app').collection('users').findOne({});
        await client.close();
      }
    `,
    ts`
      import type { ClientSession } from 'mongodb';
      export async function f(session: ClientSession): Promise<void> {
        try {
          await session.withTransaction(async () => {});
        } finally {
          await session.endSession();
        }
      }
    `,
    ts`
      import type { ClientSession } from 'mongodb';
      export async function f(session: ClientSession): Promise<void> {
        await session.endSession();
        if (!session.hasEnded) await session.withTransaction(async () => {});
      }
    `,
  ],
  useInvalid: [
    {
      code: ts`
        import type { ClientSession } from 'mongodb';
        export async function f(session: ClientSession): Promise<void> {
          await session.endSession();
          await session.withTransaction(async () => {});
        }
      `,
      errors: [use('withTransaction()', 'ClientSession', 'ended', 'endSession() at line 3', 4, 9)],
    },
  ],
};

// ── undici ───────────────────────────────────────────────────────────────────────────────────────────────
libraries.undici = {
  leakValid: [
    ts`
      import { Pool } from 'undici';
      export async function get(): Promise<number> {
        const pool = new Pool('http://127.0.0.1:3000');
        try {
          const res = await pool.request({ path: '/', method: 'GET' });
          return res.statusCode;
        } finally {
          await pool.close();
        }
      }
    `,
    ts`
      import { Agent } from 'undici';
      export function agent(): Agent {
        const a = new Agent({ connections: 4 });
        return a;
      }
    `,
    ts`
      import { Client } from 'undici';
      export class Api {
        private client?: Client;
        open(): void {
          this.client = new Client('http://127.0.0.1:3000');
        }
        async close(): Promise<void> {
          await this.client?.close();
        }
      }
    `,
    ts`
      import { Pool } from 'undici';
      export function lend(body: (p: Pool) => void): void {
        const pool = new Pool('http://127.0.0.1:3000');
        body(pool);
      }
    `,
  ],
  leakInvalid: [
    {
      code: ts`
        import { Pool } from 'undici';
        export async function f(ok: boolean): Promise<void> {
          const pool = new Pool('http://127.0.0.1:3000');
          void pool.request({ path: '/', method: 'GET' });
          if (!ok) return;
          await pool.close();
        }
      `,
      errors: [
        leak('undici Pool', 'close() or destroy()', returnsAt(5), 3, 16, [
          finallySuggestion('pool', 'close()', ts`
            import { Pool } from 'undici';
            export async function f(ok: boolean): Promise<void> {
              const pool = new Pool('http://127.0.0.1:3000');
              try {
                void pool.request({ path: '/', method: 'GET' });
                if (!ok) return;
              } finally {
                await pool.close();
              }
            }
          `),
        ]),
      ],
    },
    {
      code: ts`
        import { Client } from 'undici';
        export async function each(paths: string[]): Promise<void> {
          for (const p of paths) {
            const client = new Client('http://127.0.0.1:3000');
            const { statusCode } = await client.request({ path: p, method: 'GET' });
            if (statusCode !== 200) continue;
            await client.close();
          }
        }
      `,
      errors: [leak('undici Client', 'close() or destroy()', continuesAt(6), 4, 20)],
    },
    {
      code: ts`
        import { Agent } from 'undici';
        export function f(): void {
          const a = new Agent();
          a.on('disconnect', () => {});
          void a.request({ origin: 'http://127.0.0.1:3000', path: '/', method: 'GET' });
        }
      `,
      errors: [leak('undici Agent', 'close() or destroy()', NOTHING, 3, 13)],
    },
  ],
  useValid: [
    ts`
      import { Pool } from 'undici';
      export async function f(): Promise<void> {
        const pool = new Pool('http://127.0.0.1:3000');
        await pool.close();
        if (!pool.closed) await pool.request({ path: '/', method: 'GET' });
      }
    `,
  ],
  useInvalid: [
    {
      code: ts`
        import { Pool } from 'undici';
        export async function f(): Promise<void> {
          const pool = new Pool('http://127.0.0.1:3000');
          await pool.close();
          await pool.request({ path: '/', method: 'GET' });
        }
      `,
      errors: [use('request()', 'undici Pool', 'closed', 'close() at line 4', 5, 9)],
    },
    {
      code: ts`
        import { Client } from 'undici';
        export async function f(): Promise<void> {
          const client = new Client('http://127.0.0.1:3000');
          await client.destroy();
          await client.request({ path: '/', method: 'GET' });
        }
      `,
      errors: [use('request()', 'undici Client', 'destroyed', 'destroy() at line 4', 5, 9)],
    },
  ],
};

// ── postgres (postgres.js) ───────────────────────────────────────────────────────────────────────────────
// `postgres(url)` returns `sql`, a function: tagging a template with it (or calling it) queries. It connects at the
// first query and keeps its connections open until `end()`.
/** A backquote inside a `ts` snippet (the tag reads the raw text, where an escaped one keeps its backslash). */
const BT = '`';
libraries.postgres = {
  leakValid: [
    ts`
      import postgres from 'postgres';
      export async function count(url: string): Promise<number> {
        const sql = postgres(url);
        try {
          const rows = await sql<{ n: number }[]>${BT}select count(*)::int as n from t${BT};
          return rows[0]?.n ?? 0;
        } finally {
          await sql.end({ timeout: 5 });
        }
      }
    `,
    // Nothing has connected before the early return: a new `sql` holds nothing until its first query (which can
    // reject: released in a finally).
    ts`
      import postgres from 'postgres';
      export async function maybe(url: string, skip: boolean): Promise<void> {
        const sql = postgres(url);
        if (skip) return;
        try {
          await sql${BT}select 1${BT};
        } finally {
          await sql.end();
        }
      }
    `,
    // A transaction's ${BT}sql${BT} is the pool's, lent for the callback: not a resource of its own.
    ts`
      import postgres from 'postgres';
      export async function insert(url: string): Promise<void> {
        const sql = postgres(url);
        try {
          await sql.begin(async (tx) => {
            await tx${BT}insert into t values (1)${BT};
          });
        } finally {
          await sql.end();
        }
      }
    `,
    // Returned to the caller, who owns it.
    ts`
      import postgres from 'postgres';
      export function connect(url: string): postgres.Sql {
        const sql = postgres(url, { max: 4 });
        return sql;
      }
    `,
    // A reserved connection released in finally; ending the pool also closes reserved connections.
    ts`
      import postgres from 'postgres';
      export async function pinned(sql: postgres.Sql): Promise<void> {
        const conn = await sql.reserve();
        try {
          await conn${BT}select pg_advisory_lock(1)${BT};
        } finally {
          conn.release();
        }
      }
    `,
  ],
  leakInvalid: [
    {
      code: ts`
        import postgres from 'postgres';
        export async function script(url: string, skip: boolean): Promise<void> {
          const sql = postgres(url);
          const rows = await sql${BT}select 1${BT};
          if (skip) return;
          console.log(rows.length);
          await sql.end();
        }
      `,
      errors: [leak('postgres Sql', 'end()', returnsAt(5), 3, 15, [
        finallySuggestion('sql', 'end()', ts`
          import postgres from 'postgres';
          export async function script(url: string, skip: boolean): Promise<void> {
            const sql = postgres(url);
            try {
              const rows = await sql${BT}select 1${BT};
              if (skip) return;
              console.log(rows.length);
            } finally {
              await sql.end();
            }
          }
        `),
      ])],
    },
    {
      code: ts`
        import postgres from 'postgres';
        export async function once(url: string): Promise<void> {
          const sql = postgres(url);
          await sql${BT}select 1${BT};
        }
      `,
      errors: [leak('postgres Sql', 'end()', NOTHING, 3, 15, [
        finallySuggestion('sql', 'end()', ts`
          import postgres from 'postgres';
          export async function once(url: string): Promise<void> {
            const sql = postgres(url);
            try {
              await sql${BT}select 1${BT};
            } finally {
              await sql.end();
            }
          }
        `),
      ])],
    },
    {
      code: ts`
        import postgres from 'postgres';
        export async function pinned(sql: postgres.Sql, skip: boolean): Promise<void> {
          const conn = await sql.reserve();
          await conn${BT}select 1${BT};
          if (skip) return;
          conn.release();
        }
      `,
      errors: [leak('postgres ReservedSql', 'release()', returnsAt(5), 3, 22, [
        finallySuggestion('conn', 'release()', ts`
          import postgres from 'postgres';
          export async function pinned(sql: postgres.Sql, skip: boolean): Promise<void> {
            const conn = await sql.reserve();
            try {
              await conn${BT}select 1${BT};
              if (skip) return;
            } finally {
              conn.release();
            }
          }
        `),
      ])],
    },
  ],
  useValid: [
    ts`
      import postgres from 'postgres';
      export async function run(url: string): Promise<void> {
        const sql = postgres(url);
        await sql${BT}select 1${BT};
        await sql.end();
      }
    `,
    // A transaction's own ${BT}sql${BT} inside the callback, before the pool is ended.
    ts`
      import postgres from 'postgres';
      export async function run(sql: postgres.Sql): Promise<void> {
        await sql.begin(async (tx) => {
          await tx${BT}select 1${BT};
        });
        await sql.end();
      }
    `,
  ],
  useInvalid: [
    {
      code: ts`
        import postgres from 'postgres';
        export async function after(sql: postgres.Sql): Promise<void> {
          await sql.end();
          await sql${BT}select 1${BT};
          await sql.unsafe('select 2');
        }
      `,
      errors: [
        use('sql`…`', 'postgres Sql', 'ended', 'end() at line 3', 4, 9),
        use('unsafe()', 'postgres Sql', 'ended', 'end() at line 3', 5, 9),
      ],
    },
    {
      code: ts`
        import postgres from 'postgres';
        export async function after(sql: postgres.Sql): Promise<void> {
          const conn = await sql.reserve();
          conn.release();
          await conn${BT}select 1${BT};
        }
      `,
      errors: [use('conn`…`', 'postgres ReservedSql', 'released', 'release() at line 4', 5, 9)],
    },
  ],
};
