/**
 * Shapes found by the twenty-fourth hand triage (thirty-first session), each reduced to its general mechanism, with
 * the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe("a script's async entry function started inside a synchronous try", () => {
  /** ru102js's course scripts: `try { runApplication(); } catch (e) { console.log(e); }`. */
  const awaitingScript = (start: string): string => ts`
    import { Client } from 'pg';
    async function main(): Promise<void> {
      const client = new Client();
      await client.connect();
      await client.query('select 1');
      await client.end();
    }
    ${start}
  `;

  it('the try sees only the promise: its rejection is unhandled and ends the process, as for a bare `main();`', () => {
    expect(ids(awaitingScript('main();'))).toEqual([]);
    expect(ids(awaitingScript('try {\n  main();\n} catch (e) {\n  console.log(e);\n}'))).toEqual([]);
    expect(ids(awaitingScript('try {\n  void main();\n} catch (e) {\n  console.log(e);\n}'))).toEqual([]);
  });

  it('a try that awaits the call catches the rejection, and the process goes on with the client open', () => {
    const code = ts`
      import { Client } from 'pg';
      async function main(): Promise<void> {
        const client = new Client();
        await client.connect();
        await client.query('select 1');
        await client.end();
      }
      async function run(): Promise<void> {
        try {
          await main();
        } catch (e) {
          console.log(e);
        }
      }
      void run();
    `;
    expect(ids(code)).toEqual([[3, 'leak']]);
  });

  it('a function that is not async throws into the try: the exemption needs `async`', () => {
    const code = (start: string): string => ts`
      import * as net from 'node:net';
      function main(): void {
        const socket = net.connect(5432, '127.0.0.1');
        if (!process.env.DB) throw new Error('no database');
        socket.end('hello');
      }
      ${start}
    `;
    expect(ids(code('main();'))).toEqual([]);
    expect(ids(code('try {\n  main();\n} catch (e) {\n  console.log(e);\n}'))).toEqual([[3, 'leak']]);
  });
});

describe('a module variable stored after a successful connect, retried from the catch of its caller', () => {
  /** NexoralDNS's DHCP service: `try { await connect(); watch(); } catch { setTimeout(start, 5000); }`. */
  const service = (watch: string, call: string): string => ts`
    import { createClient } from 'redis';
    type Client = ReturnType<typeof createClient>;
    let redisClient: Client | null = null;
    async function connect(): Promise<Client> {
      const client = createClient({ url: 'redis://127.0.0.1:6379' });
      await client.connect();
      redisClient = client;
      return client;
    }
    ${watch}
    export default async function start(): Promise<void> {
      try {
        await connect();
        ${call}
      } catch (error) {
        console.error('retrying in 5s', error);
        setTimeout(start, 5000);
      }
    }
  `;
  const asyncWatch = "async function watch(): Promise<void> { setInterval(() => void redisClient?.publish('ch', 'tick'), 10_000); }";
  const syncWatch = "function watch(): void { if (!redisClient) throw new Error('no client'); setInterval(() => void redisClient?.publish('ch', 'tick'), 10_000); }";

  it('a call of an async function after the store returns a promise and cannot throw into the catch: no overwrite', () => {
    expect(ids(service(asyncWatch, 'watch();'))).toEqual([]);
    expect(ids(service(asyncWatch, 'void watch();'))).toEqual([]);
  });

  it('a function that is not async can throw after the store: the retry stores over the open client', () => {
    expect(ids(service(syncWatch, 'watch();'))).toEqual([[7, 'fieldOverwritten']]);
  });

  it('an async call whose argument may throw while it is evaluated is no exemption', () => {
    const withArgument = service("async function watch(n: number): Promise<void> { setInterval(() => void redisClient?.publish('ch', String(n)), 10_000); }", 'watch(JSON.parse(process.env.N ?? "1"));');
    expect(ids(withArgument)).toEqual([[7, 'fieldOverwritten']]);
  });
});

describe('a field cleared after a release behind a test of the socket that leaves one state open', () => {
  /** pm2's WebsocketTransport: `if (this.isConnected()) this.ws.close(); this.ws = null;` drops a connecting socket. */
  const transport = (disconnect: string, extra = ''): string => ts`
    import WebSocket from 'ws';
    export class Transport {
      private ws: WebSocket | null = null;
      private connected = false;
      connect(url: string): void {
        this.ws = new WebSocket(url);
        this.ws.on('open', () => { this.connected = true; });
        this.ws.on('message', (data) => console.log(String(data)));
      }
      ${extra}
      disconnect(): void {
        ${disconnect}
        this.ws = null;
      }
    }
  `;

  it('reports `=== OPEN` alone, written in place or in a method that returns it', () => {
    expect(ids(transport('if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.close();'))).toEqual([[6, 'leak']]);
    expect(ids(transport('if (this.isConnected()) this.ws?.close();', 'isConnected(): boolean { return this.ws !== null && this.ws.readyState === WebSocket.OPEN; }'))).toEqual([[6, 'leak']]);
  });

  it('a test that leaves no open state, or none at all, releases it', () => {
    expect(ids(transport('if (this.ws) this.ws.close();'))).toEqual([]);
    expect(ids(transport('this.ws?.close();'))).toEqual([]);
    expect(ids(transport('if (this.ws && (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING)) this.ws.close();'))).toEqual([]);
  });

  it("a flag of the class is taken as the code's own knowledge (not a test of the socket)", () => {
    expect(ids(transport('if (this.connected) this.ws?.close();'))).toEqual([]);
  });
});

describe("a store in a try whose catch re-arms, followed by a method of the class that only adds listeners", () => {
  /** Polymarket-Sniper-Bot's market client: `try { this.ws = new WebSocket(url); this.setupEventHandlers(); } catch { this.scheduleReconnect(); }`. */
  const client = (setup: string): string => ts`
    import WebSocket from 'ws';
    export class MarketClient {
      private ws: WebSocket | null = null;
      private reconnectTimer: NodeJS.Timeout | null = null;
      constructor(private readonly url: string) {}
      connect(): void {
        if (this.reconnectTimer) return;
        try {
          this.ws = new WebSocket(this.url);
          this.setupEventHandlers();
        } catch {
          this.scheduleReconnect();
        }
      }
      disconnect(): void {
        this.ws?.close();
        this.ws = null;
      }
      private setupEventHandlers(): void {
        if (!this.ws) return;
        ${setup}
      }
      private scheduleReconnect(): void {
        if (this.reconnectTimer) return;
        this.reconnectTimer = setTimeout(() => { this.reconnectTimer = null; this.connect(); }, 1000);
      }
    }
  `;

  it('cannot throw once the socket is stored: the catch runs only when nothing was stored (no overwrite)', () => {
    // disconnect() only fires the 'close' listener, which schedules connect() again: reconnectsAfterRelease at its
    // close() (since the forty-first session, a reconnect through methods of the class counts for a field socket too).
    expect(ids(client("this.ws.on('close', () => { this.ws = null; this.scheduleReconnect(); }); this.ws.on('error', () => {});"))).toEqual([[16, 'reconnectsAfterRelease']]);
  });

  it('a method that calls something that may throw (send() on a connecting socket throws) re-arms with the socket open', () => {
    expect(ids(client("this.ws.on('error', () => {}); this.ws.send('subscribe');"))).toEqual([[9, 'fieldOverwritten']]);
  });
});

describe('a method that stores the field, called only where a test proved the field empty', () => {
  /** opcua-backend's Redis service: `if (!this.subscriber) { await this.reinit(); … }`, reinit() storing first. */
  const service = (caller: string, reinitHead = ''): string => ts`
    import Redis from 'ioredis';
    export class RedisService {
      private subscriber: Redis | null = null;
      async onModuleInit(): Promise<void> {
        try {
          this.subscriber = new Redis({ host: '127.0.0.1', lazyConnect: true });
          await this.subscriber.connect();
        } catch {
          this.subscriber?.disconnect();
          this.subscriber = null;
        }
      }
      async subscribe(channel: string): Promise<void> {
        ${caller}
        await this.subscriber?.subscribe(channel);
      }
      private async reinit(): Promise<void> {
        ${reinitHead}
        try {
          this.subscriber = new Redis({ host: '127.0.0.1', lazyConnect: true });
          await this.subscriber.connect();
        } catch {
          this.subscriber?.disconnect();
          this.subscriber = null;
        }
      }
      async onModuleDestroy(): Promise<void> {
        this.subscriber?.disconnect();
      }
    }
  `;

  it('stores only where nothing was open: no overwrite', () => {
    expect(ids(service('if (!this.subscriber) {\n  await this.reinit();\n}'))).toEqual([]);
    expect(ids(service('if (this.subscriber === null) await this.reinit();'))).toEqual([]);
  });

  it('reported when a caller does not test, awaits before the call, or the method awaits before its store', () => {
    expect(ids(service('await this.reinit();'))).toEqual([[20, 'fieldOverwritten']]);
    expect(ids(service('if (!this.subscriber) {\n  await new Promise((r) => setTimeout(r, 100));\n  await this.reinit();\n}'))).toEqual([[23, 'fieldOverwritten']]);
    expect(ids(service('if (!this.subscriber) await this.reinit();', 'await new Promise((r) => setTimeout(r, 100));'))).toEqual([[20, 'fieldOverwritten']]);
  });
});

describe('ending a stream that is piped into the socket ends the socket', () => {
  /** balena-supervisor's log backend: `this.gzip.pipe(this.req)`, and the 'timeout' listener's teardown ends the gzip. */
  const backend = (pipe: string, teardown: string): string => ts`
    import type { ClientRequest } from 'node:http';
    import https from 'node:https';
    import zlib from 'node:zlib';
    export class LogBackend {
      private req: ClientRequest | null = null;
      private gzip: zlib.Gzip | null = null;
      setup(opts: https.RequestOptions): void {
        this.req = https.request(opts);
        this.req.on('timeout', () => this.teardown());
        this.req.on('error', () => this.teardown());
        this.gzip = zlib.createGzip();
        ${pipe}
      }
      private teardown(): void {
        ${teardown}
        this.gzip = null;
        this.req = null;
      }
    }
  `;

  it("the 'timeout' listener that ends the piped source releases the request", () => {
    expect(ids(backend('this.gzip.pipe(this.req);', 'this.gzip?.end();'))).toEqual([]);
  });

  it('not with `{ end: false }`, nor when the source is only unpiped', () => {
    expect(ids(backend('this.gzip.pipe(this.req, { end: false });', 'this.gzip?.end();'))).toEqual([[9, 'timeoutNotReleased']]);
    expect(ids(backend('this.gzip.pipe(this.req);', 'this.gzip?.unpipe();'))).toEqual([[9, 'timeoutNotReleased']]);
  });
});

describe('a tunnel whose source is piped through a chain of its own methods', () => {
  /** protohackers-ts's proxy: `socket.on('error', …).pipe(upper()).pipe(remote)…pipe(socket)`. */
  const proxy = (chain: string, extra = ''): string => ts`
    import { connect, createServer } from 'node:net';
    import { Transform } from 'node:stream';
    const upper = () => new Transform({ transform: (chunk, _enc, cb) => cb(null, String(chunk).toUpperCase()) });
    createServer((socket) => {
      const remote = connect({ host: '127.0.0.1', port: 16963 });
      ${extra}
      socket
        ${chain}
        .pipe(upper())
        .pipe(remote)
        .on('error', (err) => console.error('remote error', err.message))
        .pipe(upper())
        .pipe(socket);
    }).listen(10123);
  `;

  it("`socket.on('error', h).pipe(…)` pipes from the socket: a reset leaves the upstream open", () => {
    expect(ids(proxy(".on('error', (err) => console.error('client error', err.message))"))).toEqual([[5, 'leak']]);
    expect(ids(proxy(".setEncoding('utf8')\n.on('error', () => undefined)"))).toEqual([[5, 'leak']]);
  });

  it("a 'close' listener of the source that destroys the upstream releases it", () => {
    expect(ids(proxy(".on('error', (err) => console.error('client error', err.message))", "socket.on('close', () => remote.destroy());"))).toEqual([]);
  });
});

describe('a field cleared in a catch, then tested as the right operand of a test', () => {
  /** opcua-backend's onModuleInit(): two lazyConnect ioredis clients, each `= null` in its catch, then `if (this.redis && this.publisher)`. */
  const init = (catchBody: string): string => ts`
    import Redis from 'ioredis';
    export class RedisService {
      private redis: Redis | null = null;
      private publisher: Redis | null = null;
      async onModuleInit(): Promise<void> {
        const cfg = { host: '127.0.0.1', lazyConnect: true };
        try {
          this.redis = new Redis(cfg);
          await this.redis.connect();
        } catch {
          this.redis?.disconnect();
          this.redis = null;
        }
        try {
          this.publisher = new Redis(cfg);
          await this.publisher.connect();
        } catch {
          ${catchBody}
        }
        if (this.redis && this.publisher) console.log('all Redis connections up');
      }
      async onModuleDestroy(): Promise<void> {
        this.redis?.disconnect();
        this.publisher?.disconnect();
      }
    }
  `;

  it('the test reads the field, it does not keep the dropped client: reported', () => {
    expect(ids(init('this.publisher = null;'))).toEqual([[15, 'leak']]);
  });

  it('released before it is cleared: no report', () => {
    expect(ids(init('this.publisher?.disconnect();\nthis.publisher = null;'))).toEqual([]);
  });
});

describe('a finally block run by a jump may throw into an enclosing catch (fuzz seed 20262615)', () => {
  const code = (jump: string, loop: boolean): string => ts`
    import * as net from 'node:net';
    export function f(n: number, s1: net.Socket): void {
      ${loop ? 'for (let i = 0; i < n; i++) {' : 'L: {'}
        try {
          try {
            ${jump}
          } finally {
            s1.destroy();
          }
        } catch {
          const s2 = net.connect(1, '127.0.0.1');
        }
      }
    }
  `;

  it('the catch block runs after break, continue or return as after a throw: its socket is checked', () => {
    expect(ids(code('break;', true))).toEqual([[11, 'leak']]);
    expect(ids(code('continue;', true))).toEqual([[11, 'leak']]);
    expect(ids(code('break L;', false))).toEqual([[11, 'leak']]);
    expect(ids(code('return;', true))).toEqual([[11, 'leak']]);
  });

  it('a finally block that makes no call cannot throw there', () => {
    const quiet = ts`
      import * as net from 'node:net';
      export function f(n: number): number {
        let count = 0;
        for (let i = 0; i < n; i++) {
          try {
            try {
              break;
            } finally {
              count++;
            }
          } catch {
            const s2 = net.connect(1, '127.0.0.1');
            s2.write('x');
          }
        }
        return count;
      }
    `;
    expect(ids(quiet)).toEqual([]);
  });
});
