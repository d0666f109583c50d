/**
 * Shapes found in the forty-fifth session (what earlier triages left, and the thirty-ninth triage), each reduced
 * to its general mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

/** Line and message id of each message. */
const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a method handed to a timer unbound runs with `this` set to the timer: it uses none of the instance\'s sockets', () => {
  const service = (handed: string, extra = ''): string => ts`
    import { Client } from 'pg';
    export class PgService {
      client: Client;
      constructor(url: string) {
        this.client = new Client(url);
        ${extra}
      }
      async retry(): Promise<void> {
        try {
          await this.client.connect();
        } catch (err) {
          console.error('connect failed', err);
          setTimeout(${handed}, 2000);
        }
      }
      close(): void {
        void this.client.end();
      }
    }
  `;

  it('setTimeout(this.retry, ms): no use after close()', () => {
    expect(ids(service('this.retry'))).toEqual([]);
  });

  it('bound (`.bind(this)`, an arrow, or re-assigned bound in the constructor): the retry can follow close()', () => {
    expect(ids(service('this.retry.bind(this)'))).toEqual([[10, 'deferredUse']]);
    expect(ids(service('() => this.retry()'))).toEqual([[13, 'deferredUse']]); // reported at the call the arrow makes
    expect(ids(service('this.retry', 'this.retry = this.retry.bind(this);'))).toEqual([[10, 'deferredUse']]);
  });
});

describe('a helper that races its parameter against a timeout: the creation given to it is in the race', () => {
  const withHelper = (timeoutBody: string, call = 'withTimeout(mysql.createConnection({ host: \'127.0.0.1\' }))'): string => ts`
    import * as mysql from 'mysql2/promise';
    export async function run(sql: string, ms: number): Promise<unknown> {
      const withTimeout = async <T>(promise: Promise<T>): Promise<T> => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<T>((_, reject) => {
          timer = setTimeout(() => { ${timeoutBody} reject(new Error('timed out')); }, ms);
        });
        try {
          return await Promise.race([promise, timeout]);
        } finally {
          if (timer) clearTimeout(timer);
        }
      };
      let conn: mysql.Connection | undefined;
      try {
        conn = await ${call};
        const [rows] = await conn.query(sql);
        return rows;
      } finally {
        if (conn) await conn.end();
      }
    }
  `;

  it('the connection resolved after the timeout wins reaches nobody: reported at the creation, naming the helper', () => {
    const messages = lintWithPlugin(withHelper(''));
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[16, 'leak']]);
    expect(messages[0].message).toMatch(/Promise\.race\(\) at line 9 in withTimeout\(\) settles first/);
  });

  it('a helper that also cleans up what its parameter resolves to, or a promise kept in a variable: not reported', () => {
    expect(ids(withHelper('void promise.then((c) => (c as { end(): unknown }).end());'))).toEqual([]);
    expect(ids(withHelper('', 'withTimeout(pending)').replace('let conn:', "const pending = mysql.createConnection({ host: '127.0.0.1' });\n      let conn:"))).toEqual([]);
  });
});

describe('a call given the resource, which the function goes on to use and release afterwards, only borrowed it', () => {
  const helper = (body: string): string => ts`
    import { Pool, PoolClient } from 'pg';
    declare function startSession(client: PoolClient): Promise<void>;
    export async function runInTransaction<R>(pool: Pool, func: (client: PoolClient) => Promise<R>): Promise<R> {
      const client = await pool.connect();
      ${body}
    }
  `;

  it('the callback borrows the client: COMMIT after it, release only in the catch — the success path leaks', () => {
    expect(ids(helper(`try {
        await client.query('BEGIN');
        const result = await func(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        client.release();
        throw error;
      }`))).toEqual([[4, 'leak']]);
  });

  it('released in a finally, or handed over on success with a release only on failure: not reported', () => {
    expect(ids(helper(`try {
        await client.query('BEGIN');
        const result = await func(client);
        await client.query('COMMIT');
        return result;
      } finally {
        client.release();
      }`))).toEqual([]);
    expect(ids(helper(`try {
        await startSession(client);
      } catch (error) {
        client.release();
        throw error;
      }
      return func(client);`))).toEqual([]);
  });
});
