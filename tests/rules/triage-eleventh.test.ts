/**
 * Shapes from the eleventh hand triage (and the tenth's leftovers): each false alarm or miss reduced to its general
 * mechanism, with the counterpart that must stay reported.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

function reports(code: string): Array<[number, string]> {
  return lintWithPlugin(code, { rules: { 'no-leak': 'error' } }).map((m) => [m.line, m.message]);
}

describe("a script's helper after whose return the process exits", () => {
  it('seed().then(() => process.exit(0)): the client left open is not reported', () => {
    expect(
      reports(ts`
        import { MongoClient } from 'mongodb';
        async function seed(): Promise<void> {
          const client = new MongoClient('mongodb://127.0.0.1:27017');
          await client.connect();
          await client.db('app').collection('users').insertMany([{ name: 'a' }]);
          console.log('seeded');
        }
        seed().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
      `),
    ).toEqual([]);
  });

  it('await seed(); process.exit(0) in main(), and main() awaited last by an arrow run in place: not reported', () => {
    expect(
      reports(ts`
        import { Client } from 'pg';
        const seed = async (): Promise<void> => {
          const client = new Client();
          await client.connect();
          await client.query('insert into t values (1)');
        };
        async function main(): Promise<void> {
          await seed();
          process.exit(0);
        }
        main();
      `),
    ).toEqual([]);
  });

  it('a helper the exiting function awaits as its last statement: not reported', () => {
    expect(
      reports(ts`
        import { Client } from 'pg';
        async function seed(): Promise<void> {
          const client = new Client();
          await client.connect();
          await client.query('insert into t values (1)');
        }
        async function main(): Promise<void> {
          console.log('seeding');
          await seed();
        }
        main().finally(() => process.exit());
      `),
    ).toEqual([]);
  });

  it('a helper called once where the process goes on after it: reported', () => {
    expect(
      reports(ts`
        import { MongoClient } from 'mongodb';
        async function seed(): Promise<void> {
          const client = new MongoClient('mongodb://127.0.0.1:27017');
          await client.connect();
          await client.db('app').collection('users').insertMany([{ name: 'a' }]);
        }
        seed().then(() => process.exit(0));
        seed().then(() => console.log('again'));
      `),
    ).toEqual([[3, expect.stringContaining('not released on any path') as string]]);
  });

  it('an exported helper (other modules may call it): reported', () => {
    expect(
      reports(ts`
        import { Client } from 'pg';
        export async function seed(): Promise<void> {
          const client = new Client();
          await client.connect();
          await client.query('insert into t values (1)');
        }
        seed().then(() => process.exit(0));
      `),
    ).toEqual([[3, expect.stringContaining('not released on any path') as string]]);
  });

  it('a helper awaited before more work in the exiting function: reported', () => {
    expect(
      reports(ts`
        import { Client } from 'pg';
        async function seed(): Promise<void> {
          const client = new Client();
          await client.connect();
          await client.query('insert into t values (1)');
        }
        async function main(): Promise<void> {
          await seed();
          await new Promise((r) => setTimeout(r, 60_000));
        }
        main().then(() => process.exit(0));
      `),
    ).toEqual([[3, expect.stringContaining('not released on any path') as string]]);
  });
});
