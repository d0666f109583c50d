/**
 * False alarms found on real TypeScript projects (bench/PROJECTS-TRIAGE.md), reduced: each must stay silent, and
 * its buggy twin must still be reported.
 */
import noLeak from '../../src/rules/no-leak';
import noUseAfterClose from '../../src/rules/no-use-after-close';
import { createRuleTester, ts } from '../rule-tester';

createRuleTester().run('no-leak: triage of real projects', noLeak, {
  valid: [
    // FA1 (mockttp): a helper that returns `socket.end()` (a `this`-returning method) resolves to its argument.
    ts`
      import * as net from 'node:net';
      async function reject(socket: net.Socket) {
        await Promise.resolve();
        return socket.end('no');
      }
      export async function handle(socket: net.Socket): Promise<void> {
        try {
          await reject(socket);
        } catch {
          socket.destroy();
        }
      }
    `,
    // FA4 (mongodb-memory-server): a type-predicate null check in finally.
    ts`
      import { MongoClient } from 'mongodb';
      function isNullOrUndefined(val: unknown): val is null | undefined {
        return val === null || val === undefined;
      }
      export async function shutdown(url: string): Promise<boolean> {
        let con: MongoClient | undefined;
        try {
          con = await MongoClient.connect(url);
          await con.db('admin').command({ shutdown: 1 });
        } catch (err) {
          console.warn(err);
        } finally {
          if (!isNullOrUndefined(con)) {
            await con.close();
          }
        }
        return true;
      }
    `,
    // The same with a "present" predicate (`val is T`).
    ts`
      import { MongoClient } from 'mongodb';
      function isDefined<T>(val: T | null | undefined): val is T {
        return val !== null && val !== undefined;
      }
      export async function shutdown(url: string): Promise<void> {
        let con: MongoClient | undefined;
        try {
          con = await MongoClient.connect(url);
          await con.db('admin').command({ ping: 1 });
        } finally {
          if (isDefined(con)) await con.close();
        }
      }
    `,
  ],
  invalid: [
    {
      // A helper that creates a socket and returns it through a `this`-returning method is still a factory.
      code: ts`
        import * as net from 'node:net';
        function open(port: number) {
          const s = net.connect(port, '127.0.0.1');
          return s.setNoDelay(true);
        }
        export function user(ok: boolean): void {
          const t = open(1);
          if (!ok) return;
          t.end();
        }
      `,
      errors: [
        {
          messageId: 'leak',
          data: { kind: 'net.Socket', detail: 'on the path that returns at line 8', release: 'end() or destroy()' },
          line: 7,
          column: 13,
          suggestions: [
            {
              messageId: 'suggestFinally',
              data: { name: 't', release: 'destroy()' },
              output: ts`
                import * as net from 'node:net';
                function open(port: number) {
                  const s = net.connect(port, '127.0.0.1');
                  return s.setNoDelay(true);
                }
                export function user(ok: boolean): void {
                  const t = open(1);
                  try {
                    if (!ok) return;
                    t.end();
                  } finally {
                    t.destroy();
                  }
                }
              `,
            },
          ],
        },
      ],
    },
    {
      // A predicate about another value proves nothing about the client.
      code: ts`
        import { MongoClient } from 'mongodb';
        function isNullOrUndefined(val: unknown): val is null | undefined {
          return val === null || val === undefined;
        }
        export async function shutdown(url: string, other?: string): Promise<void> {
          let con: MongoClient | undefined;
          try {
            con = await MongoClient.connect(url);
            await con.db('admin').command({ ping: 1 });
          } finally {
            if (!isNullOrUndefined(other)) await con?.close();
          }
        }
      `,
      errors: [{ messageId: 'leak', data: { kind: 'MongoClient', detail: 'on the path that reaches the end of the function', release: 'close()' }, line: 8, column: 17 }],
    },
  ],
});

createRuleTester().run('no-use-after-close: triage of real projects', noUseAfterClose, {
  valid: [
    // zigbee2mqtt: an MqttClient emits 'connect' on every reconnection, never after end() (which stops them).
    ts`
      import mqtt from 'mqtt';
      export class Bridge {
        private client = mqtt.connect('mqtt://127.0.0.1');
        start(): void {
          this.client.on('connect', () => {
            void this.client.publishAsync('bridge/state', 'online');
          });
        }
        async stop(): Promise<void> {
          await this.client.endAsync();
        }
      }
    `,
    // FA2 (agenda): callbacks of array iteration methods run inside the method, like a for…of loop.
    ts`
      import Redis from 'ioredis';
      export class Store {
        private redis = new Redis();
        touchAll(keys: string[]): void {
          keys.forEach((k) => {
            void this.redis.expire(k, 60);
          });
        }
        async counts(keys: string[]): Promise<number[]> {
          return Promise.all(keys.map(async (k) => (await this.redis.smembers(k)).length));
        }
        close(): void {
          this.redis.disconnect();
        }
      }
    `,
    // FA3 (proxy-chain): `readyState === 'open'` guards a net.Socket like `writable` (in a listener that runs many
    // times: the original's was a request's 'error' listener, which runs once, its error destroying the request).
    ts`
      import * as net from 'node:net';
      export function relay(source: net.Socket, upstream: net.Socket, plain: boolean): void {
        upstream.on('data', () => {
          if (source.readyState === 'open') {
            if (plain) source.end();
            else source.end('HTTP/1.1 502 Bad Gateway\\r\\n\\r\\n');
          }
        });
      }
    `,
  ],
  invalid: [
    {
      // ssh2-promise: a promise continuation inside a listener runs as part of that listener, which can run after
      // close() (true report, kept when promise continuations stopped being deferred callbacks of their own).
      code: ts`
        import * as net from 'node:net';
        import { Client } from 'ssh2';
        export class Tunnel {
          private ssh = new Client();
          private ready: Promise<void> = Promise.resolve();
          open(port: number): net.Server {
            return net.createServer().on('connection', (socket) => {
              void this.ready.then(() => {
                this.ssh.forwardOut('', 0, '127.0.0.1', port, (err, stream) => {
                  if (err) return;
                  stream.pipe(socket).pipe(stream);
                });
              });
            }).listen(0, '127.0.0.1');
          }
          close(): void {
            this.ssh.end();
          }
        }
      `,
      errors: [
        {
          messageId: 'deferredUse',
          data: { operation: 'forwardOut()', kind: 'ssh2 Client', callback: "a 'connection' listener", release: 'end() at line 17' },
          line: 9,
          column: 9,
        },
      ],
    },
    {
      // The same iteration inside a timer: the timer runs after close().
      code: ts`
        import Redis from 'ioredis';
        export class Store {
          private redis = new Redis();
          private keys: string[] = [];
          start(): void {
            setInterval(() => {
              this.keys.forEach((k) => {
                void this.redis.expire(k, 60);
              });
            }, 1000);
          }
          close(): void {
            this.redis.disconnect();
          }
        }
      `,
      errors: [
        {
          messageId: 'deferredUse',
          data: { operation: 'expire()', kind: 'ioredis client', callback: 'a setInterval callback', release: 'disconnect() at line 13' },
          line: 8,
          column: 14,
        },
      ],
    },
    {
      code: ts`
        import * as net from 'node:net';
        export function relay(source: net.Socket, upstream: net.Socket, plain: boolean): void {
          upstream.on('data', () => {
            if (plain) source.end();
            else source.end('HTTP/1.1 502 Bad Gateway\\r\\n\\r\\n');
          });
        }
      `,
      errors: [
        {
          messageId: 'deferredUse',
          data: { operation: 'end(data)', kind: 'net.Socket', callback: "a 'data' listener", release: 'end() at line 4' },
          line: 5,
          column: 10,
        },
      ],
    },
  ],
});
