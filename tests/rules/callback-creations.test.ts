/**
 * Callback creations (a kind's `callbackCreates`): the callback APIs that hand a NEW resource to an error-first
 * callback instead of returning it — pg `pool.connect((err, client, done) => …)`, mysql2
 * `pool.getConnection((err, conn) => …)`. The callback owns the resource, except on the branches where the error
 * is set; pg's `done()` releases it like `client.release()`.
 */
import noLeak from '../../src/rules/no-leak';
import { createRuleTester, ts } from '../rule-tester';

const NOTHING = 'on any path (nothing releases it or hands it off)';

function leak(kind: string, detail: string, line: number, column: number) {
  return { messageId: 'leak', data: { kind, detail, release: 'release()' }, line, column } as const;
}

createRuleTester().run('no-leak: resources handed to a callback', noLeak, {
  valid: [
    // pg: done() in the query callback, before the error check, on every path.
    ts`
      import { Pool } from 'pg';
      export function count(pool: Pool, cb: (e: Error | null, n?: number) => void): void {
        pool.connect((err, client, done) => {
          if (err) return cb(err);
          client!.query('select 1', (qerr, res) => {
            done();
            if (qerr) return cb(qerr);
            cb(null, res.rowCount ?? 0);
          });
        });
      }
    `,
    // pg: client.release() instead of done(); the client parameter is guarded by optional chaining.
    ts`
      import { Pool } from 'pg';
      export function ping(pool: Pool): void {
        pool.connect((err, client) => {
          if (err) {
            console.error(err);
            return;
          }
          client?.query('select 1', () => {
            client.release();
          });
        });
      }
    `,
    // The error checked as `err != null`, and done(err) (which destroys the client) on the failure path.
    ts`
      import { Pool } from 'pg';
      export function run(pool: Pool, sql: string): void {
        pool.connect((err, client, done) => {
          if (err != null) throw err;
          client!.query(sql, (qerr) => {
            done(qerr);
          });
        });
      }
    `,
    // done handed to a stream event: whoever calls it releases the client.
    ts`
      import { Pool } from 'pg';
      import type { Readable } from 'node:stream';
      export function stream(pool: Pool, body: Readable): void {
        pool.connect((err, client, done) => {
          if (err) throw err;
          void client;
          body.on('end', done);
        });
      }
    `,
    // mysql2: released in every branch of the nested callbacks.
    ts`
      import * as mysql from 'mysql2';
      export function tx(pool: mysql.Pool, cb: (e: Error | null) => void): void {
        pool.getConnection((err, conn) => {
          if (err) return cb(err);
          conn.beginTransaction((terr) => {
            if (terr) {
              conn.release();
              return cb(terr);
            }
            conn.commit(() => {
              conn.release();
              cb(null);
            });
          });
        });
      }
    `,
    // mysql2: the error branch as an if/else.
    ts`
      import * as mysql from 'mysql2';
      export function q(pool: mysql.Pool): void {
        pool.getConnection((err, conn) => {
          if (err) {
            console.error(err);
          } else {
            conn.query('select 1', () => conn.release());
          }
        });
      }
    `,
    // The promise API is unchanged: the awaited checkout released in finally.
    ts`
      import { Pool } from 'pg';
      export async function one(pool: Pool): Promise<void> {
        const c = await pool.connect();
        try {
          await c.query('select 1');
        } finally {
          c.release();
        }
      }
    `,
  ],
  invalid: [
    {
      // The classic: the query error returns before done().
      code: ts`
        import { Pool } from 'pg';
        export function count(pool: Pool, cb: (e: Error | null, n?: number) => void): void {
          pool.connect((err, client, done) => {
            if (err) return cb(err);
            client!.query('select 1', (qerr, res) => {
              if (qerr) return cb(qerr);
              done();
              cb(null, res.rowCount ?? 0);
            });
          });
        }
      `,
      errors: [leak('pg PoolClient', 'when the query() callback at line 5 returns at line 6 without releasing it', 3, 3)],
    },
    {
      // Checked out and never released.
      code: ts`
        import { Pool } from 'pg';
        export function check(pool: Pool): void {
          pool.connect((err, client, done) => {
            if (err) throw err;
            console.log('connected');
          });
        }
      `,
      errors: [leak('pg PoolClient', NOTHING, 3, 3)],
    },
    {
      // An early return of the callback itself.
      code: ts`
        import { Pool } from 'pg';
        export function maybe(pool: Pool, skip: boolean): void {
          pool.connect((err, client, done) => {
            if (err) throw err;
            if (skip) return;
            client!.query('select 1', () => done());
          });
        }
      `,
      errors: [leak('pg PoolClient', 'on the path that returns at line 5', 3, 3)],
    },
    {
      // mysql2: the query error path returns without conn.release().
      code: ts`
        import * as mysql from 'mysql2';
        export function q(pool: mysql.Pool, cb: (e: Error | null) => void): void {
          pool.getConnection((err, conn) => {
            if (err) return cb(err);
            conn.query('select 1', (qerr) => {
              if (qerr) return cb(qerr);
              conn.release();
              cb(null);
            });
          });
        }
      `,
      errors: [leak('mysql2 PoolConnection', 'when the query() callback at line 5 returns at line 6 without releasing it', 3, 3)],
    },
  ],
});
