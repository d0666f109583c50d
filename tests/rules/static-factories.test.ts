/**
 * Static factories: `Conn.open()`, `await Conn.connect()`, `MongoClient.connect()` create a resource like `new`.
 * The class itself (`typeof Conn`) is not a resource, so a static method is not "a method of a resource".
 */
import noLeak from '../../src/rules/no-leak';
import { createRuleTester, ts } from '../rule-tester';

const settings = { 'socket-close': { resources: [{ type: { from: 'file', name: 'Conn' }, release: ['close'] }] } };

const CONN = `export class Conn {
  private static shared: Conn | undefined;
  static async connect(url: string): Promise<Conn> { void url; return new Conn(); }
  static open(url: string): Conn { void url; return new Conn(); }
  static instance(): Conn { return (Conn.shared ??= new Conn()); }
  query(q: string): string { return q; }
  close(): void {}
}
`;

createRuleTester().run('no-leak: static factories', noLeak, {
  valid: [
    {
      code: CONN + ts`
        export async function a(): Promise<string> {
          const c = await Conn.connect('x');
          try {
            return c.query('select 1');
          } finally {
            c.close();
          }
        }
      `,
      settings,
    },
    {
      // A static accessor of a shared instance returns an existing resource: the caller does not own it.
      code: CONN + ts`
        export function b(): string {
          const c = Conn.instance();
          return c.query('select 1');
        }
      `,
      settings,
    },
  ],
  invalid: [
    {
      code: CONN + ts`
        export async function a(ok: boolean): Promise<void> {
          const c = await Conn.connect('x');
          if (!ok) return;
          c.close();
        }
      `,
      settings,
      errors: [
        {
          messageId: 'leak',
          data: { kind: 'Conn', detail: 'on the path that returns at line 11', release: 'close()' },
          line: 10,
          column: 19,
          suggestions: [
            {
              messageId: 'suggestFinally',
              data: { name: 'c', release: 'close()' },
              output: CONN + ts`
                export async function a(ok: boolean): Promise<void> {
                  const c = await Conn.connect('x');
                  try {
                    if (!ok) return;
                  } finally {
                    c.close();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      code: CONN + ts`
        export function b(ok: boolean): void {
          const c = Conn.open('x');
          if (!ok) return;
          c.close();
        }
      `,
      settings,
      errors: [
        {
          messageId: 'leak',
          data: { kind: 'Conn', detail: 'on the path that returns at line 11', release: 'close()' },
          line: 10,
          column: 13,
          suggestions: [
            {
              messageId: 'suggestFinally',
              data: { name: 'c', release: 'close()' },
              output: CONN + ts`
                export function b(ok: boolean): void {
                  const c = Conn.open('x');
                  try {
                    if (!ok) return;
                  } finally {
                    c.close();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      code: ts`
        import { MongoClient } from 'mongodb';
        export async function find(): Promise<unknown> {
          const client = await MongoClient.connect('mongodb://127.0.0.1');
          return client.db('app').collection('users').findOne({});
        }
      `,
      errors: [
        {
          messageId: 'leak',
          data: { kind: 'MongoClient', detail: 'on any path (nothing releases it or hands it off)', release: 'close()' },
          line: 3,
          column: 24,
          suggestions: [
            {
              messageId: 'suggestFinally',
              data: { name: 'client', release: 'close()' },
              output: ts`
                import { MongoClient } from 'mongodb';
                export async function find(): Promise<unknown> {
                  const client = await MongoClient.connect('mongodb://127.0.0.1');
                  try {
                    return client.db('app').collection('users').findOne({});
                  } finally {
                    await client.close();
                  }
                }
              `,
            },
            {
              messageId: 'suggestAwaitUsing',
              data: { name: 'client' },
              output: ts`
                import { MongoClient } from 'mongodb';
                export async function find(): Promise<unknown> {
                  await using client = await MongoClient.connect('mongodb://127.0.0.1');
                  return client.db('app').collection('users').findOne({});
                }
              `,
            },
          ],
        },
      ],
    },
  ],
});
