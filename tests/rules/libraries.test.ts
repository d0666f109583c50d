/**
 * Client libraries as built-in resource kinds (src/kinds/libraries/*), both rules, against the libraries' REAL
 * typings (installed as pinned devDependencies): pg + @types/pg, mysql2 (callback and promise APIs), ioredis,
 * redis (@redis/client), mqtt, ssh2 + @types/ssh2, amqplib, mongodb, undici. Then user-declared kinds through
 * `settings['socket-close'].resources`, and the validation of those settings.
 *
 * Every snippet is type-checked at the end of this file against tests/fixtures/tsconfig.json: a library whose
 * types did not resolve would make its client `any` and every valid case pass for the wrong reason.
 *
 * Snippets use the `ts` tag: common indentation removed, line 1 is the first non-empty line.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as typescript from 'typescript';
import { describe, expect, it } from 'vitest';
import { Linter } from 'eslint';
import { createRuleTester, fixturesDir, lintWithPlugin, ts } from '../rule-tester';
import noLeak from '../../src/rules/no-leak';
import noUseAfterClose from '../../src/rules/no-use-after-close';
import { KindRegistry } from '../../src/kinds/registry';


interface Suggestion {
  messageId: 'suggestFinally' | 'suggestAwaitUsing';
  data: Record<string, string>;
  output: string;
}

interface LeakError {
  messageId: 'leak';
  data: { kind: string; detail: string; release: string };
  line: number;
  column: number;
  suggestions: Suggestion[];
}

interface UseError {
  messageId: 'useAfterRelease' | 'doubleRelease';
  data: { operation: string; kind: string; state: string; release: string };
  line: number;
  column: number;
}

function leak(kind: string, release: string, detail: string, line: number, column: number, suggestions: Suggestion[] = []): LeakError {
  return { messageId: 'leak', data: { kind, detail, release }, line, column, suggestions };
}

function use(operation: string, kind: string, state: string, release: string, line: number, column: number): UseError {
  return { messageId: 'useAfterRelease', data: { operation, kind, state, release }, line, column };
}

function finallySuggestion(name: string, release: string, output: string): Suggestion {
  return { messageId: 'suggestFinally', data: { name, release }, output };
}

function awaitUsingSuggestion(name: string, output: string): Suggestion {
  return { messageId: 'suggestAwaitUsing', data: { name }, output };
}

const NOTHING = 'on any path (nothing releases it or hands it off)';
const returnsAt = (line: number): string => `on the path that returns at line ${line}`;
const continuesAt = (line: number): string => `on the path that continues at line ${line}, before the loop creates the next one`;

interface LibraryTable {
  leakValid: string[];
  leakInvalid: Array<{ code: string; errors: LeakError[] }>;
  useValid: string[];
  useInvalid: Array<{ code: string; errors: UseError[]; options?: [{ reportDoubleRelease: boolean }] }>;
}

const libraries: Record<string, LibraryTable> = {};

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
      code: ts`
        import { Client } from 'pg';
        export async function f(): Promise<void> {
          const c = new Client({ host: '127.0.0.1' });
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
          if (!ok) return;
          await r.close();
        }
      `,
      errors: [
        leak('redis client', 'close() or destroy()', returnsAt(4), 3, 13, [
          finallySuggestion('r', 'destroy()', ts`
            import { createClient } from 'redis';
            export async function f(ok: boolean): Promise<void> {
              const r = createClient({ url: 'redis://127.0.0.1' });
              try {
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
            if (k === '') continue;
            r.destroy();
          }
        }
      `,
      errors: [leak('redis client', 'close() or destroy()', continuesAt(5), 4, 15)],
    },
    {
      code: ts`
        import { createCluster } from 'redis';
        export function f(): void {
          const c = createCluster({ rootNodes: [{ url: 'redis://127.0.0.1:7000' }] });
          c.on('error', () => {});
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
          if (!ok) return;
          await client.close();
        }
      `,
      errors: [
        leak('MongoClient', 'close()', returnsAt(4), 3, 18, [
          finallySuggestion('client', 'close()', ts`
            import { MongoClient } from 'mongodb';
            export async function f(ok: boolean): Promise<void> {
              const client = new MongoClient('mongodb://127.0.0.1');
              try {
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
          if (!ok) return;
          await pool.close();
        }
      `,
      errors: [
        leak('undici Pool', 'close() or destroy()', returnsAt(4), 3, 16, [
          finallySuggestion('pool', 'close()', ts`
            import { Pool } from 'undici';
            export async function f(ok: boolean): Promise<void> {
              const pool = new Pool('http://127.0.0.1:3000');
              try {
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
            if (p === '') continue;
            await client.request({ path: p, method: 'GET' });
            await client.close();
          }
        }
      `,
      errors: [leak('undici Client', 'close() or destroy()', continuesAt(5), 4, 20)],
    },
    {
      code: ts`
        import { Agent } from 'undici';
        export function f(): void {
          const a = new Agent();
          a.on('disconnect', () => {});
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

for (const [library, table] of Object.entries(libraries)) {
  describe(library, () => {
    createRuleTester().run(`no-leak (${library})`, noLeak, {
      valid: table.leakValid,
      invalid: table.leakInvalid as never,
    });
    createRuleTester().run(`no-use-after-close (${library})`, noUseAfterClose, {
      valid: table.useValid,
      invalid: table.useInvalid as never,
    });
  });
}

// ── The finally suggestion of kinds whose second release throws ──────────────────────────────────────────
// pg PoolClient: a second release() throws ("Release called on client which has already been released to the
// pool"); amqplib Channel: a second close() rejects (IllegalOperationError "Channel closed"). The finally fix must
// not add a release after the one the code already makes: it moves the code's own release (a statement of its
// own, followed only by returns) into the finally block, and is not offered when the code releases elsewhere.

/** Lints `code` as tests/fixtures/file.ts with full type information. */
function lint(code: string, rule: 'no-leak' | 'no-use-after-close', settings: Record<string, unknown> = {}): Linter.LintMessage[] {
  return lintWithPlugin(code, { rules: { [rule]: 'error' }, settings });
}

const leakText = (e: LeakError): string =>
  `This ${e.data.kind} is not released ${e.data.detail}: call ${e.data.release} first, or hand it to an owner.`;

const rejectsAt = (method: string, line: number): string => `when ${method}() at line ${line} rejects`;

createRuleTester().run('no-leak (second release throws; exits by rejection)', noLeak, {
  valid: [
    // try/finally covers the rejection.
    ts`
      import { Pool } from 'pg';
      export async function one(pool: Pool, q: string): Promise<unknown> {
        const c = await pool.connect();
        try {
          return await c.query(q);
        } finally {
          c.release();
        }
      }
    `,
  ],
  invalid: [
    {
      code: ts`
        import { Pool } from 'pg';
        export async function f(pool: Pool, ok: boolean): Promise<number> {
          const c = await pool.connect();
          if (!ok) return 0;
          c.release();
          return 1;
        }
      `,
      errors: [
        leak('pg PoolClient', 'release()', returnsAt(4), 3, 19, [
          finallySuggestion('c', 'release()', ts`
            import { Pool } from 'pg';
            export async function f(pool: Pool, ok: boolean): Promise<number> {
              const c = await pool.connect();
              try {
                if (!ok) return 0;
                return 1;
              } finally {
                c.release();
              }
            }
          `),
        ]),
      ],
    },
    {
      code: ts`
        import * as amqp from 'amqplib';
        export async function f(conn: amqp.ChannelModel, ok: boolean): Promise<void> {
          const ch = await conn.createChannel();
          if (!ok) return;
          await ch.close();
        }
      `,
      errors: [
        leak('amqplib Channel', 'close()', returnsAt(4), 3, 20, [
          finallySuggestion('ch', 'close()', ts`
            import * as amqp from 'amqplib';
            export async function f(conn: amqp.ChannelModel, ok: boolean): Promise<void> {
              const ch = await conn.createChannel();
              try {
                if (!ok) return;
              } finally {
                await ch.close();
              }
            }
          `),
        ]),
      ],
    },
    {
      // Released on two paths: moving one release is not enough, and adding one would release twice.
      code: ts`
        import { Pool } from 'pg';
        export async function f(pool: Pool, ok: boolean): Promise<number> {
          const c = await pool.connect();
          await c.query('select 1');
          if (ok) {
            c.release();
            return 1;
          }
          c.release();
          return 2;
        }
      `,
      errors: [leak('pg PoolClient', 'release()', rejectsAt('query', 4), 3, 19)],
    },
    {
      code: ts`
        import { Pool } from 'pg';
        export async function one(pool: Pool, q: string): Promise<unknown> {
          const c = await pool.connect();
          const r = await c.query(q);
          c.release();
          return r;
        }
      `,
      errors: [
        leak('pg PoolClient', 'release()', rejectsAt('query', 4), 3, 19, [
          finallySuggestion('c', 'release()', ts`
            import { Pool } from 'pg';
            export async function one(pool: Pool, q: string): Promise<unknown> {
              const c = await pool.connect();
              try {
                const r = await c.query(q);
                return r;
              } finally {
                c.release();
              }
            }
          `),
        ]),
      ],
    },
    {
      code: ts`
        import * as amqp from 'amqplib';
        export async function send(conn: amqp.ChannelModel): Promise<void> {
          const ch = await conn.createConfirmChannel();
          ch.sendToQueue('q', Buffer.from('m'));
          await ch.waitForConfirms();
          await ch.close();
        }
      `,
      errors: [
        leak('amqplib Channel', 'close()', rejectsAt('waitForConfirms', 5), 3, 20, [
          finallySuggestion('ch', 'close()', ts`
            import * as amqp from 'amqplib';
            export async function send(conn: amqp.ChannelModel): Promise<void> {
              const ch = await conn.createConfirmChannel();
              try {
                ch.sendToQueue('q', Buffer.from('m'));
                await ch.waitForConfirms();
              } finally {
                await ch.close();
              }
            }
          `),
        ]),
      ],
    },
    {
      // The added release is awaited when it returns a promise (pg Client#end() has a promise overload).
      code: ts`
        import { Client } from 'pg';
        export async function f(q: string): Promise<void> {
          const c = new Client({ host: '127.0.0.1' });
          await c.connect();
          await c.query(q);
        }
      `,
      errors: [
        leak('pg Client', 'end()', NOTHING, 3, 13, [
          finallySuggestion('c', 'end()', ts`
            import { Client } from 'pg';
            export async function f(q: string): Promise<void> {
              const c = new Client({ host: '127.0.0.1' });
              try {
                await c.connect();
                await c.query(q);
              } finally {
                await c.end();
              }
            }
          `),
        ]),
      ],
    },
  ],
});

// ── User-declared kinds (settings['socket-close'].resources) ───────────────────────────────────────────────
const connSettings = {
  'socket-close': { resources: [{ type: { from: 'file', name: 'Conn' }, release: ['close'], uses: ['send'] }] },
};
const namedConnSettings = {
  'socket-close': {
    resources: [{ type: { from: 'file', name: 'Conn' }, name: 'app Conn', release: ['close', 'kill'], destroy: ['kill'], uses: ['send'], disposable: true }],
  },
};

createRuleTester().run('no-leak (user-declared kind)', noLeak, {
  valid: [
    {
      code: ts`
        class Conn {
          send(m: string): void { void m; }
          close(): void {}
        }
        export function f(): void {
          const c = new Conn();
          try {
            c.send('x');
          } finally {
            c.close();
          }
        }
      `,
      settings: connSettings,
    },
    {
      code: ts`
        class Conn {
          send(m: string): void { void m; }
          close(): void {}
        }
        export function open(): Conn {
          const c = new Conn();
          c.send('hello');
          return c;
        }
      `,
      settings: connSettings,
    },
    // Without the setting, Conn is not a resource.
    ts`
      class Conn {
        send(m: string): void { void m; }
        close(): void {}
      }
      export function f(): void {
        const c = new Conn();
        c.send('x');
      }
    `,
    // Only the file's own Conn: a type from: 'file' does not match a class of that name in a package.
    {
      code: ts`
        import { Client as Conn } from 'pg';
        export function f(): void {
          const c: Conn | undefined = undefined;
          void c;
        }
      `,
      settings: connSettings,
    },
  ],
  invalid: [
    {
      code: ts`
        class Conn {
          send(m: string): void { void m; }
          close(): void {}
        }
        export function f(ok: boolean): void {
          const c = new Conn();
          if (!ok) return;
          c.send('x');
          c.close();
        }
      `,
      settings: connSettings,
      errors: [
        leak('Conn', 'close()', returnsAt(7), 6, 13, [
          finallySuggestion('c', 'close()', ts`
            class Conn {
              send(m: string): void { void m; }
              close(): void {}
            }
            export function f(ok: boolean): void {
              const c = new Conn();
              try {
                if (!ok) return;
                c.send('x');
              } finally {
                c.close();
              }
            }
          `),
        ]),
      ],
    },
    {
      // A factory function of the file returning the declared type creates one; `name` renames it in messages.
      code: ts`
        class Conn {
          send(m: string): void { void m; }
          close(): void {}
          kill(): void {}
        }
        function dial(): Conn {
          return new Conn();
        }
        export function f(items: string[]): void {
          for (const item of items) {
            const c = dial();
            if (item === '') continue;
            c.send(item);
            c.kill();
          }
        }
      `,
      settings: namedConnSettings,
      errors: [leak('app Conn', 'close() or kill()', continuesAt(12), 11, 15)],
    },
  ],
});

createRuleTester().run('no-use-after-close (user-declared kind)', noUseAfterClose, {
  valid: [
    {
      // A method not listed in `uses` is not a use.
      code: ts`
        class Conn {
          send(m: string): void { void m; }
          close(): void {}
          stats(): number { return 0; }
        }
        export function f(): number {
          const c = new Conn();
          c.close();
          return c.stats();
        }
      `,
      settings: connSettings,
    },
    ts`
      class Conn {
        send(m: string): void { void m; }
        close(): void {}
      }
      export function f(): void {
        const c = new Conn();
        c.close();
        c.send('x');
      }
    `,
  ],
  invalid: [
    {
      code: ts`
        class Conn {
          send(m: string): void { void m; }
          close(): void {}
        }
        export function f(): void {
          const c = new Conn();
          c.close();
          c.send('x');
        }
      `,
      settings: connSettings,
      errors: [use('send()', 'Conn', 'closed', 'close() at line 7', 8, 3)],
    },
    {
      code: ts`
        class Conn {
          send(m: string): void { void m; }
          close(): void {}
          kill(): void {}
        }
        export function f(c: Conn): void {
          c.kill();
          c.send('x');
        }
      `,
      settings: namedConnSettings,
      errors: [use('send()', 'app Conn', 'destroyed', 'kill() at line 7', 8, 3)],
    },
  ],
});

// The example of docs/declaring-resources.md.
const DOCS_WRAPPER = ts`
  import { Pool, type PoolClient } from 'pg';
  export class Conn {
    constructor(private readonly client: PoolClient) {}
    async send(sql: string): Promise<number> {
      const r = await this.client.query(sql);
      return r.rowCount ?? 0;
    }
    close(): void {
      this.client.release();
    }
  }
  export async function openConn(pool: Pool): Promise<Conn> {
    return new Conn(await pool.connect());
  }
  export async function run(pool: Pool, ok: boolean): Promise<number> {
    const c = await openConn(pool);
    if (!ok) return 0;
    const n = await c.send('select 1');
    c.close();
    await c.send('select 2');
    return n;
  }
`;

describe('the Conn wrapper of docs/declaring-resources.md', () => {
  const brief = (m: Linter.LintMessage): string => `${m.line}:${m.column} ${m.messageId ?? ''} ${m.message}`;
  it('is an ordinary object without the declaration', () => {
    expect(lint(DOCS_WRAPPER, 'no-leak').map(brief)).toEqual([]);
    expect(lint(DOCS_WRAPPER, 'no-use-after-close').map(brief)).toEqual([]);
  });
  it('is owned by the caller of openConn() with it', () => {
    expect(lint(DOCS_WRAPPER, 'no-leak', connSettings).map(brief)).toEqual([
      `16:19 leak ${leakText(leak('Conn', 'close()', returnsAt(17), 16, 19))}`,
    ]);
    expect(lint(DOCS_WRAPPER, 'no-use-after-close', connSettings).map(brief)).toEqual([
      '20:9 useAfterRelease send() on the Conn that may already be closed (close() at line 19).',
    ]);
  });
});

describe('invalid settings are reported with the entry they concern', () => {
  const code = ts`
    export function f(): void {}
  `;
  const bad: Array<[string, unknown, RegExp]> = [
    ['missing release', { resources: [{ type: { from: 'file', name: 'Conn' }, uses: ['send'] }] }, /resources\[0\]: release must be a non-empty array of names/],
    ['empty release', { resources: [{ type: 'Conn', release: [] }] }, /resources\[0\]: release must be a non-empty array of names/],
    ['unknown property', { resources: [{ type: 'Conn', release: ['close'], releases: ['end'] }] }, /resources\[0\]\.releases: unknown property/],
    ['destroy not a release', { resources: [{ type: 'Conn', release: ['close'], destroy: ['kill'] }] }, /resources\[0\]\.destroy: 'kill' is not listed in release/],
    ['rejectionCloses not a list', { resources: [{ type: 'Conn', release: ['close'], rejectionCloses: true }] }, /resources\[0\]: rejectionCloses must be an array of names/],
    ['releasesCreated not created', { resources: [{ type: 'Conn', release: ['close'], creates: ['fork'], releasesCreated: ['open'] }] }, /resources\[0\]\.releasesCreated: 'open' is not listed in creates/],
    ['bad type source', { resources: [{ type: { from: 'module', name: 'Conn' }, release: ['close'] }] }, /resources\[0\]\.type\.from: expected 'file', 'lib' or 'package'/],
    ['second entry', { resources: [{ type: 'A', release: ['close'] }, { type: 'B', release: ['close()'] }] }, /resources\[1\]\.release\[0\]: expected a method or event name, got "close\(\)"/],
    ['missing type', { resources: [{ release: ['close'] }] }, /resources\[0\]: `type` is required/],
    ['package without name', { resources: [{ type: { from: 'package', name: 'Conn' }, release: ['close'] }] }, /resources\[0\]\.type\.package: expected a package name/],
    ['finallyRelease not a release', { resources: [{ type: 'Conn', release: ['close'], finallyRelease: 'kill' }] }, /resources\[0\]\.finallyRelease: must be one of the release methods/],
    ['flag not a boolean', { resources: [{ type: 'Conn', release: ['close'], disposable: 'yes' }] }, /resources\[0\]\.disposable: expected true or false, got "yes"/],
    ['resources not a list', { resources: { type: 'Conn' } }, /\['socket-close'\]\.resources: expected an array/],
    ['unknown key next to resources', { resources: [], foo: 1 }, /\['socket-close'\]\.foo: unknown property \(known: endIsRelease, resources\)/],
  ];
  for (const [name, settings, message] of bad) {
    it(name, () => {
      for (const rule of ['no-leak', 'no-use-after-close'] as const) {
        expect(() => lint(code, rule, { 'socket-close': settings })).toThrow(message);
      }
    });
  }
});

// ── Not run here: cases for the lead to wire in ───────────────────────────────────────────────────────────

interface PendingCase {
  rule: 'no-leak' | 'no-use-after-close';
  code: string;
  /** What the rule should report (empty: nothing). */
  errors: Array<LeakError | UseError>;
  /** What it reports today, and why. */
  today: string;
}

/**
 * Behaviour the libraries need that the engine (src/model) does not have yet; NOT run. Each `today` names the
 * cause; the report to the lead has the suggested fix.
 */
export const engineGapCases: PendingCase[] = [
  {
    // The usual pg pattern: a false positive today.
    rule: 'no-leak',
    code: ts`
      import { Client } from 'pg';
      export async function f(): Promise<void> {
        const c = new Client({ host: '127.0.0.1' });
        await c.connect();
        try {
          await c.query('select 1');
        } finally {
          await c.end();
        }
      }
    `,
    errors: [],
    today: 'leak at 4:9: ResourceBuilder.tryCreate treats every awaited call whose result has a kind as a creation, even a method of a resource that resolves to the resource',
  },
  {
    // `await client.connect()` resolves to the client itself (pg Client.connect(): Promise<Client>).
    rule: 'no-leak',
    code: ts`
      import { Client } from 'pg';
      export async function f(): Promise<void> {
        const c = new Client({ host: '127.0.0.1' });
        await c.connect();
        await c.query('select 1');
      }
    `,
    errors: [leak('pg Client', 'end()', NOTHING, 3, 13)],
    today: 'a second leak at 4:9: ResourceBuilder.tryCreate treats every awaited call whose result has a kind as a creation, even a method of a resource that resolves to the resource',
  },
  {
    rule: 'no-leak',
    code: ts`
      import { Client } from 'pg';
      export async function f(): Promise<void> {
        const c = new Client({ host: '127.0.0.1' });
        const same = await c.connect();
        await same.query('select 1');
        await c.end();
      }
    `,
    // Since exits by rejection are modelled: when the query rejects, nothing ends the client.
    errors: [leak('pg Client', 'end()', 'when query() at line 5 rejects', 3, 13)],
    today: 'leak at 4:22 (same cause; and `same` is not an alias of c: returnsSelf is not read by ValueEffects.handleMethodCall)',
  },
  {
    rule: 'no-leak',
    code: ts`
      import { createClient } from 'redis';
      export async function read(key: string): Promise<string | null> {
        const r = createClient({ url: 'redis://127.0.0.1' });
        try {
          await r.connect();
          return await r.get(key);
        } finally {
          r.destroy();
        }
      }
    `,
    errors: [],
    today: 'leak at 5:11 (same cause)',
  },
  {
    rule: 'no-leak',
    code: ts`
      import { MongoClient } from 'mongodb';
      export async function open(): Promise<MongoClient> {
        const client = new MongoClient('mongodb://127.0.0.1');
        await client.connect();
        return client;
      }
    `,
    errors: [],
    today: 'leak at 4:9 (same cause: MongoClient.connect(): Promise<this>)',
  },
  {
    rule: 'no-leak',
    code: ts`
      import { createClient } from 'redis';
      export async function f(ok: boolean): Promise<void> {
        const r = await createClient({ url: 'redis://127.0.0.1' }).connect();
        if (!ok) return;
        await r.close();
      }
    `,
    errors: [leak('redis client', 'close() or destroy()', returnsAt(4), 3, 19)],
    today: 'two leaks at 3:19 (the createClient() call, never followed into the awaited connect(), and the awaited connect() as a second creation)',
  },
  {
    // duplicate() creates a new client (a method the kind declares in `creates`).
    rule: 'no-leak',
    code: ts`
      import Redis from 'ioredis';
      export async function listen(r: Redis): Promise<void> {
        const sub = r.duplicate();
        await sub.subscribe('news');
      }
    `,
    errors: [leak('ioredis client', 'quit() or disconnect()', NOTHING, 3, 15)],
    today: 'no report: CreationSites.creationKind rejects every method call on a resource (`member && kindOfNode(member.object)`) without asking the receiver kind’s `creates`',
  },
  {
    rule: 'no-leak',
    code: ts`
      import { MongoClient } from 'mongodb';
      export async function tx(client: MongoClient, ok: boolean): Promise<void> {
        const session = client.startSession();
        if (!ok) return;
        await session.endSession();
      }
    `,
    errors: [leak('ClientSession', 'endSession()', returnsAt(4), 3, 19)],
    today: 'no report (same cause)',
  },
];

// ── The snippets see the real library types ───────────────────────────────────────────────────────────────

/** The `ts` tagged snippets of this file. */
function snippets(): string[] {
  const file = __filename;
  const sf = typescript.createSourceFile(file, fs.readFileSync(file, 'utf8'), typescript.ScriptTarget.Latest, true);
  const out: string[] = [];
  sf.forEachChild(function visit(n) {
    if (typescript.isTaggedTemplateExpression(n) && n.tag.getText(sf) === 'ts') {
      if (!typescript.isNoSubstitutionTemplateLiteral(n.template)) throw new Error('substitution in a snippet');
      out.push(n.template.rawText ?? n.template.text);
    }
    n.forEachChild(visit);
  });
  return out;
}

describe('every snippet type-checks against the libraries’ own typings', () => {
  it('has no type errors, and every library client has its declared class type', () => {
    const configPath = path.join(fixturesDir, 'tsconfig.json');
    const read = typescript.readConfigFile(configPath, (p) => typescript.sys.readFile(p));
    const options = typescript.parseJsonConfigFileContent(read.config, typescript.sys, fixturesDir, undefined, configPath).options;
    const files = new Map<string, string>();
    snippets().forEach((code, i) => files.set(path.join(fixturesDir, `__snippet_libraries_${i}.ts`), code));
    // A probe: each library's client type, as the checker sees it, must come from that library's declarations.
    const probe = path.join(fixturesDir, '__snippet_libraries_probe.ts');
    files.set(
      probe,
      [
        "import { Pool, Client } from 'pg';",
        "import * as mysql from 'mysql2/promise';",
        "import Redis from 'ioredis';",
        "import { createClient } from 'redis';",
        "import mqtt from 'mqtt';",
        "import { Client as Ssh } from 'ssh2';",
        "import * as amqp from 'amqplib';",
        "import { MongoClient } from 'mongodb';",
        "import { Pool as UndiciPool } from 'undici';",
        'export async function probe(m: amqp.ChannelModel) {',
        "  const pg = new Pool(); const pgc = new Client(); const my = await mysql.createConnection({}); const io = new Redis();",
        "  const rd = createClient(); const mq = mqtt.connect('mqtt://127.0.0.1'); const ssh = new Ssh(); const ch = await m.createChannel();",
        "  const mongo = new MongoClient('mongodb://127.0.0.1'); const un = new UndiciPool('http://127.0.0.1');",
        '  return { pg, pgc, my, io, rd, mq, ssh, ch, mongo, un };',
        '}',
      ].join('\n'),
    );
    expect(files.size).toBeGreaterThan(100);
    const host = typescript.createCompilerHost(options, true);
    const { getSourceFile, fileExists } = host;
    host.fileExists = (f) => files.has(path.resolve(f)) || fileExists.call(host, f);
    host.getSourceFile = (f, lang, onError, create) => {
      const text = files.get(path.resolve(f));
      return text !== undefined ? typescript.createSourceFile(f, text, lang, true) : getSourceFile.call(host, f, lang, onError, create);
    };
    const program = typescript.createProgram({ rootNames: [...files.keys()], options, host });
    const problems: string[] = [];
    for (const [name, code] of files) {
      for (const d of typescript.getPreEmitDiagnostics(program, program.getSourceFile(name))) {
        const pos = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
        problems.push(`${path.basename(name)} ${pos ? `${pos.line + 1}:${pos.character + 1}` : '?'}: ${typescript.flattenDiagnosticMessageText(d.messageText, ' ')}\n${code}`);
      }
    }
    expect(problems).toEqual([]);
    const checker = program.getTypeChecker();
    const sf = program.getSourceFile(probe)!;
    const declaredIn: Record<string, string> = {};
    sf.forEachChild(function visit(n) {
      if (typescript.isVariableDeclaration(n) && typescript.isIdentifier(n.name)) {
        const type = checker.getTypeAtLocation(n.name);
        const member = type.isIntersection() ? type.types[0] : type;
        const file = (member.getSymbol() ?? member.aliasSymbol)?.declarations?.[0]?.getSourceFile().fileName ?? '(any)';
        declaredIn[n.name.text] = file.replace(/\\/g, '/').replace(/^.*\/node_modules\//, '');
      }
      n.forEachChild(visit);
    });
    expect(declaredIn).toEqual({
      pg: '@types/pg/index.d.ts',
      pgc: '@types/pg/index.d.ts',
      my: 'mysql2/promise.d.ts',
      io: 'ioredis/built/Redis.d.ts',
      rd: '@redis/client/dist/lib/client/index.d.ts',
      mq: 'mqtt/build/lib/client.d.ts',
      ssh: '@types/ssh2/index.d.ts',
      ch: 'amqplib/index.d.ts',
      mongo: 'mongodb/mongodb.d.ts',
      un: 'undici/types/pool.d.ts',
    });
  }, 240_000); // a whole program with every library's typings: slow on a loaded machine
});

// ── Every bound type name resolves to its kind in the installed typings ───────────────────────────────────
describe('the bindings match the installed typings', () => {
  it('binds every declared class or interface to its kind, and leaves the rest alone', () => {
    const configPath = path.join(fixturesDir, 'tsconfig.json');
    const read = typescript.readConfigFile(configPath, (p) => typescript.sys.readFile(p));
    const options = typescript.parseJsonConfigFileContent(read.config, typescript.sys, fixturesDir, undefined, configPath).options;
    const file = path.join(fixturesDir, '__libraries_bindings__.ts');
    const declarations: Array<[string, string, string | undefined]> = [
      ["import('pg').Client", 'pgClient', 'pg Client'],
      ["import('pg').Pool", 'pgPool', 'pg Pool'],
      ["import('pg').PoolClient", 'pgPoolClient', 'pg PoolClient'],
      ["import('pg').ClientBase", 'pgClientBase', undefined],
      ["import('mysql2').Connection", 'myConn', 'mysql2 Connection'],
      ["import('mysql2').Pool", 'myPool', 'mysql2 Pool'],
      ["import('mysql2').PoolConnection", 'myPoolConn', 'mysql2 PoolConnection'],
      ["import('mysql2').PoolCluster", 'myCluster', 'mysql2 PoolCluster'],
      ["import('mysql2/promise').Connection", 'myPConn', 'mysql2 Connection'],
      ["import('mysql2/promise').Pool", 'myPPool', 'mysql2 Pool'],
      ["import('mysql2/promise').PoolConnection", 'myPPoolConn', 'mysql2 PoolConnection'],
      ["import('mysql2/promise').PoolCluster", 'myPCluster', 'mysql2 PoolCluster'],
      ["import('ioredis').Redis", 'io', 'ioredis client'],
      ["import('ioredis').Cluster", 'ioCluster', 'ioredis Cluster'],
      ["ReturnType<typeof import('redis').createClient>", 'rd', 'redis client'],
      ["ReturnType<typeof import('redis').createCluster>", 'rdCluster', 'redis cluster'],
      ["ReturnType<typeof import('redis').createClientPool>", 'rdPool', 'redis client pool'],
      ["import('mqtt').MqttClient", 'mq', 'MqttClient'],
      ["import('ssh2').Client", 'ssh', 'ssh2 Client'],
      ["import('amqplib').ChannelModel", 'amqpModel', 'amqplib connection'],
      ["import('amqplib').RecoveringChannelModel", 'amqpRecovering', 'amqplib connection'],
      ["import('amqplib').Channel", 'amqpChannel', 'amqplib Channel'],
      ["import('amqplib').ConfirmChannel", 'amqpConfirm', 'amqplib Channel'],
      ["import('amqplib').Connection", 'amqpServerProps', undefined],
      ["import('mongodb').MongoClient", 'mongo', 'MongoClient'],
      ["import('mongodb').ClientSession", 'mongoSession', 'ClientSession'],
      ["import('mongodb').Db", 'mongoDb', undefined],
      ["import('undici').Client", 'unClient', 'undici Client'],
      ["import('undici').H2CClient", 'unH2c', 'undici Client'],
      ["import('undici').Pool", 'unPool', 'undici Pool'],
      ["import('undici').BalancedPool", 'unBalanced', 'undici Pool'],
      ["import('undici').RoundRobinPool", 'unRoundRobin', 'undici Pool'],
      ["import('undici').Agent", 'unAgent', 'undici Agent'],
      ["import('undici').ProxyAgent", 'unProxy', 'undici Agent'],
      ["import('undici').EnvHttpProxyAgent", 'unEnvProxy', 'undici Agent'],
      ["import('undici').Dispatcher", 'unDispatcher', undefined],
      ["import('undici').MockAgent", 'unMockAgent', undefined],
      // The class itself (its static side: `MongoClient.connect(url)`'s receiver) is not a client.
      ["typeof import('mongodb').MongoClient", 'mongoClass', undefined],
      ["typeof import('pg').Pool", 'pgPoolClass', undefined],
      ["typeof import('ioredis').Redis", 'ioClass', undefined],
    ];
    const code = declarations.map(([type, name]) => `export declare const ${name}: ${type};`).join('\n') + '\n';
    const host = typescript.createCompilerHost(options, true);
    const { getSourceFile, fileExists } = host;
    host.fileExists = (f) => path.resolve(f) === file || fileExists.call(host, f);
    host.getSourceFile = (f, lang, onError, create) =>
      path.resolve(f) === file ? typescript.createSourceFile(f, code, lang, true) : getSourceFile.call(host, f, lang, onError, create);
    const program = typescript.createProgram({ rootNames: [file], options, host });
    const sf = program.getSourceFile(file)!;
    expect(typescript.getPreEmitDiagnostics(program, sf).map((d) => typescript.flattenDiagnosticMessageText(d.messageText, ' '))).toEqual([]);
    const checker = program.getTypeChecker();
    const registry = new KindRegistry(checker, [], program);
    const actual: Record<string, string | undefined> = {};
    sf.forEachChild(function visit(n) {
      if (typescript.isVariableDeclaration(n) && typescript.isIdentifier(n.name)) {
        actual[n.name.text] = registry.kindOf(checker.getTypeAtLocation(n.name))?.name;
      }
      n.forEachChild(visit);
    });
    expect(actual).toEqual(Object.fromEntries(declarations.map(([, name, kind]) => [name, kind])));
  }, 240_000);
});

// ── Engine gaps, now closed: every pending case reports exactly what it should ───────────────────────────────
const useText = (e: UseError): string =>
  `${e.data.operation} on the ${e.data.kind} that may already be ${e.data.state} (${e.data.release}).`;

describe('engine gaps (awaited self-returning methods, creating methods)', () => {
  for (const [i, c] of engineGapCases.entries()) {
    it(`case ${i + 1}: ${c.code.split('\n')[1] ?? ''}`, () => {
      const actual = lint(c.code, c.rule).map((m) => [m.line, m.column, m.messageId, m.message]);
      const expected = c.errors.map((e) => [e.line, e.column, e.messageId, e.messageId === 'leak' ? leakText(e as LeakError) : useText(e as UseError)]);
      expect(actual).toEqual(expected);
    });
  }
});

describe('a release of the creator releases what it created (releasesCreated)', () => {
  it('only on the paths where the creator is released', () => {
    const code = ts`
      import * as amqp from 'amqplib';
      export async function maybe(q: string, keep: boolean): Promise<void> {
        const conn = await amqp.connect('amqp://127.0.0.1');
        const ch = await conn.createChannel();
        ch.sendToQueue(q, Buffer.from('m'));
        if (keep) return;
        await conn.close();
      }
    `;
    expect(lintWithPlugin(code, { rules: { 'no-leak': 'error' } }).map((m) => [m.line, m.message])).toEqual([
      [3, 'This amqplib connection is not released on the path that returns at line 6: call close() first, or hand it to an owner.'],
      [4, 'This amqplib Channel is not released on the path that returns at line 6: call close() first, or hand it to an owner.'],
    ]);
  });

  it('not for a creator without it: an ioredis duplicate() is its own connection', () => {
    const code = ts`
      import Redis from 'ioredis';
      export async function sub(): Promise<void> {
        const redis = new Redis();
        const subscriber = redis.duplicate();
        await subscriber.subscribe('ch');
        await redis.quit();
      }
    `;
    // Line 4: the duplicate is never quit; its own quit() would not release it. Line 3: \`redis\` is left open when
    // the duplicate's subscribe() rejects (an operation of what \`redis\` created in this function).
    expect(lintWithPlugin(code, { rules: { 'no-leak': 'error' } }).map((m) => [m.line, m.message])).toEqual([
      [3, 'This ioredis client is not released when subscribe() at line 5 rejects: call quit() or disconnect() first, or hand it to an owner.'],
      [4, 'This ioredis client is not released on any path (nothing releases it or hands it off): call quit() or disconnect() first, or hand it to an owner.'],
    ]);
  });
});
