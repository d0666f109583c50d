/**
 * Exits by rejection: an awaited operation on a tracked resource can reject, and the function then leaves by a
 * throw from that point. The resource leaks there unless it was already released or handed off, or a `try`
 * around the await (its `catch` or `finally`) takes the exception and releases it on every path on from there, or
 * it is declared with `await using`.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

function leaks(code: string): Array<[number, number, string]> {
  return lintWithPlugin(code, { rules: { 'no-leak': 'error' } }).map((m) => [m.line, m.column, m.message]);
}

describe('no-leak: exits by rejection', () => {
  it('the classic pool checkout: query() rejects before release()', () => {
    const code = ts`
      import { Pool } from 'pg';
      export async function one(pool: Pool, q: string): Promise<unknown> {
        const c = await pool.connect();
        const r = await c.query(q);
        c.release();
        return r;
      }
    `;
    expect(leaks(code)).toEqual([[3, 19, 'This pg PoolClient is not released when query() at line 4 rejects: call release() first, or hand it to an owner.']]);
  });

  it('an amqplib channel: a request the broker refuses closes the channel, so its rejection leaks nothing', () => {
    const code = ts`
      import type { ChannelModel } from 'amqplib';
      export async function setup(conn: ChannelModel): Promise<void> {
        const ch = await conn.createChannel();
        await ch.assertQueue('jobs');
        await ch.close();
      }
    `;
    expect(leaks(code)).toEqual([]);
  });

  it('an amqplib confirm channel: waitForConfirms() rejects on a nack and the channel stays open', () => {
    const code = ts`
      import type { ChannelModel } from 'amqplib';
      export async function send(conn: ChannelModel, body: Buffer): Promise<void> {
        const ch = await conn.createConfirmChannel();
        ch.sendToQueue('jobs', body);
        await ch.waitForConfirms();
        await ch.close();
      }
    `;
    expect(leaks(code)).toEqual([[3, 20, 'This amqplib Channel is not released when waitForConfirms() at line 5 rejects: call close() first, or hand it to an owner.']]);
  });

  it("a connection opened here: its creating method and its channel's requests can reject while it is open", () => {
    const code = ts`
      import amqp from 'amqplib';
      export async function publish(url: string, body: Buffer): Promise<void> {
        const conn = await amqp.connect(url);
        const ch = await conn.createChannel();
        await ch.assertQueue('jobs');
        ch.sendToQueue('jobs', body);
        await conn.close();
      }
      export async function later(url: string): Promise<void> {
        const conn = await amqp.connect(url);
        const ch = await conn.createChannel();
        try {
          await ch.assertQueue('jobs');
        } finally {
          await conn.close();
        }
      }
      export async function guarded(url: string): Promise<void> {
        const conn = await amqp.connect(url);
        try {
          const ch = await conn.createChannel();
          await ch.assertQueue('jobs');
        } finally {
          await conn.close();
        }
      }
    `;
    expect(leaks(code)).toEqual([
      [3, 22, 'This amqplib connection is not released when createChannel() at line 4 rejects: call close() first, or hand it to an owner.'],
      [10, 22, 'This amqplib connection is not released when createChannel() at line 11 rejects: call close() first, or hand it to an owner.'],
    ]);
  });

  it("a pool opened here: its client's query() rejects while the pool is open", () => {
    const code = ts`
      import { Pool } from 'pg';
      export async function once(q: string): Promise<unknown> {
        const pool = new Pool();
        const c = await pool.connect();
        try {
          const r = await c.query(q);
          c.release();
          await pool.end();
          return r;
        } catch (e) {
          c.release();
          throw e;
        }
      }
    `;
    expect(leaks(code)).toEqual([
      // Not when connect() rejects: a failed checkout leaves the new pool holding nothing.
      [3, 16, 'This pg Pool is not released when query() at line 6 rejects (the catch block at line 10 does not release it): call end() first, or hand it to an owner.'],
    ]);
  });

  it('a try/finally, a catch that releases, `await using`, or a release before the await: no report', () => {
    const valid = [
      ts`
        import { Pool } from 'pg';
        export async function a(pool: Pool, q: string): Promise<unknown> {
          const c = await pool.connect();
          try {
            return await c.query(q);
          } finally {
            c.release();
          }
        }
      `,
      ts`
        import { Pool } from 'pg';
        export async function b(pool: Pool, q: string): Promise<unknown> {
          const c = await pool.connect();
          try {
            const r = await c.query(q);
            c.release();
            return r;
          } catch (err) {
            c.release(true);
            throw err;
          }
        }
      `,
      ts`
        import * as mysql from 'mysql2/promise';
        export async function c(): Promise<void> {
          await using conn = await mysql.createConnection({ host: '127.0.0.1' });
          await conn.query('select 1');
        }
      `,
      ts`
        import * as mysql from 'mysql2/promise';
        export async function d(pool: mysql.Pool): Promise<void> {
          const conn = await pool.getConnection();
          conn.release();
          await pool.query('select 1');
        }
      `,
      // Connecting the resource itself: when connect() rejects there is nothing open to release.
      ts`
        import { Client } from 'pg';
        export async function e(): Promise<void> {
          const client = new Client({ host: '127.0.0.1' });
          await client.connect();
          try {
            await client.query('select 1');
          } finally {
            await client.end();
          }
        }
      `,
    ];
    for (const code of valid) expect(leaks(code), code).toEqual([]);
  });

  it('a chain that starts on the resource and ends awaited (a database, a collection of the client)', () => {
    const code = ts`
      import { MongoClient } from 'mongodb';
      export async function count(url: string): Promise<number> {
        const client = new MongoClient(url);
        await client.connect();
        const n = await client.db('app').collection('jobs').countDocuments();
        await client.close();
        return n;
      }
    `;
    expect(leaks(code)).toEqual([[3, 18, 'This MongoClient is not released when countDocuments() at line 5 rejects: call close() first, or hand it to an owner.']]);
  });

  it('chains that do not count: a promise method on the way, the kind\'s own life-cycle first, inside a try', () => {
    const valid = [
      // `.catch()` takes the rejection.
      ts`
        import { MongoClient } from 'mongodb';
        export async function count(url: string): Promise<number> {
          const client = new MongoClient(url);
          const n = await client.db('app').collection('jobs').countDocuments().catch(() => 0);
          await client.close();
          return n;
        }
      `,
      // connect() (re)connects the resource itself: when it fails there is nothing open.
      ts`
        import { MongoClient } from 'mongodb';
        export async function ping(url: string): Promise<void> {
          const client = new MongoClient(url);
          const db = (await client.connect()).db('admin');
          await client.close();
          console.log(db.databaseName);
        }
      `,
      ts`
        import { MongoClient } from 'mongodb';
        export async function count(url: string): Promise<number> {
          const client = new MongoClient(url);
          try {
            return await client.db('app').collection('jobs').countDocuments();
          } finally {
            await client.close();
          }
        }
      `,
    ];
    for (const code of valid) expect(leaks(code)).toEqual([]);
  });
  it('a catch that takes the rejection and goes on without releasing (release only in the try block)', () => {
    const code = ts`
      import { Pool } from 'pg';
      export async function log(pool: Pool, q: string): Promise<void> {
        const c = await pool.connect();
        try {
          await c.query(q);
          c.release();
        } catch (err) {
          console.error(err);
        }
      }
    `;
    expect(leaks(code)).toEqual([
      [3, 19, 'This pg PoolClient is not released when query() at line 5 rejects (the catch block at line 7 does not release it): call release() first, or hand it to an owner.'],
    ]);
  });

  it('a catch that returns, and a finally that does not release: the rejection leaks there', () => {
    const code = ts`
      import { Pool } from 'pg';
      export async function count(pool: Pool, q: string): Promise<number> {
        const c = await pool.connect();
        try {
          const r = await c.query(q);
          c.release();
          return r.rowCount ?? 0;
        } catch {
          return -1;
        }
      }
      export async function timed(pool: Pool, q: string): Promise<void> {
        const c = await pool.connect();
        const t0 = Date.now();
        try {
          await c.query(q);
        } finally {
          console.log(Date.now() - t0);
        }
        c.release();
      }
    `;
    expect(leaks(code)).toEqual([
      [3, 19, 'This pg PoolClient is not released when query() at line 5 rejects (the catch block at line 8 does not release it): call release() first, or hand it to an owner.'],
      [13, 19, 'This pg PoolClient is not released when query() at line 16 rejects (the finally block at line 17 does not release it): call release() first, or hand it to an owner.'],
    ]);
  });

  it('a catch that releases and rethrows, a release after the try statement, a rollback then finally: no report', () => {
    const valid = [
      ts`
        import { Pool } from 'pg';
        export async function a(pool: Pool): Promise<void> {
          const c = await pool.connect();
          try {
            await c.query('select 1');
          } catch (err) {
            c.release();
            throw err;
          }
          c.release();
        }
      `,
      ts`
        import { Pool } from 'pg';
        export async function b(pool: Pool): Promise<void> {
          const c = await pool.connect();
          try {
            await c.query('select 1');
          } catch (err) {
            console.error(err);
          }
          c.release();
        }
      `,
      ts`
        import { Pool } from 'pg';
        export async function tx(pool: Pool): Promise<void> {
          const c = await pool.connect();
          try {
            await c.query('BEGIN');
            await c.query('COMMIT');
          } catch (err) {
            await c.query('ROLLBACK');
            throw err;
          } finally {
            c.release();
          }
        }
      `,
      // An await in a callback defined in the try block rejects into its own function, not into this catch.
      ts`
        import { Pool } from 'pg';
        export async function d(pool: Pool): Promise<void> {
          const c = await pool.connect();
          try {
            const run = async (): Promise<void> => {
              await c.query('select 1');
            };
            await run();
            c.release();
          } catch {
            c.release();
          }
        }
      `,
      // A catch that ends the process: nothing is left open.
      ts`
        import { Pool } from 'pg';
        export async function main(pool: Pool): Promise<void> {
          const c = await pool.connect();
          try {
            await c.query('select 1');
            c.release();
          } catch (err) {
            console.error(err);
            process.exit(1);
          }
        }
      `,
      // Retried in a loop: each attempt releases before the next.
      ts`
        import { Pool } from 'pg';
        export async function e(pool: Pool): Promise<void> {
          for (let i = 0; i < 3; i++) {
            const c = await pool.connect();
            try {
              await c.query('select 1');
              c.release();
              return;
            } catch {
              c.release();
            }
          }
        }
      `,
    ];
    for (const code of valid) expect(leaks(code), code).toEqual([]);
  });
});

describe('no-leak: a caught rejection through nested try statements and loops', () => {
  it('follows the rejection through inner finally blocks, outer catch blocks, break and return', () => {
    const code = ts`
      import { Pool } from 'pg';
      declare function log(): void;
      export async function nested(pool: Pool): Promise<void> {
        const c = await pool.connect();
        try {
          try { await c.query('a'); } finally { log(); }
        } catch {
          c.release();
          return;
        }
        c.release();
      }
      export async function loop(pool: Pool, qs: string[]): Promise<void> {
        const c = await pool.connect();
        for (const q of qs) {
          try { await c.query(q); } catch { break; }
        }
        c.release();
      }
      export async function early(pool: Pool): Promise<number> {
        const c = await pool.connect();
        try {
          try { await c.query('a'); } catch { return 1; }
          c.release();
        } finally {
          log();
        }
        return 0;
      }
    `;
    expect(leaks(code)).toEqual([
      [21, 19, 'This pg PoolClient is not released when query() at line 23 rejects (the catch block at line 23 does not release it): call release() first, or hand it to an owner.'],
    ]);
  });
});
