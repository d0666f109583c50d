/**
 * Shapes found by the twenty-ninth hand triage (thirty-fifth session), each reduced to its general mechanism, with
 * the counterpart that must stay as it was.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintJsWithPlugin, lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);
const jsIds = (code: string): Array<[number, string | undefined]> =>
  lintJsWithPlugin(code, path.join(__dirname, '..', 'fixtures-prescreen')).map((m) => [m.line, m.messageId]);

describe('a function declared in a script and only called there runs with the state of its calls', () => {
  it('add() is called before the quit() of its own branch; the other branch only quits — no report', () => {
    expect(ids(ts`
      import { createClient } from 'redis';
      const client = createClient();
      const author = process.argv[2];
      if (author) {
        add(author);
        client.quit();
      } else {
        client.quit();
      }
      function add(a: string): void {
        client.hSet('quotes', { author: a });
      }
    `)).toEqual([]);
  });

  it('CommonJS: a branch that calls the helper and leaves the module with a top-level return — no report', () => {
    expect(jsIds([
      "const redis = require('redis');",
      'const client = redis.createClient();',
      'const author = process.argv[2];',
      'if (author) {',
      '  add(author);',
      '  client.quit();',
      '  return;',
      '}',
      'client.quit();',
      'function add(a) {',
      "  client.hSet('quotes', { author: a });",
      '}',
    ].join('\n'))).toEqual([]);
  });

  it('counterpart: a call after the quit() — reported at the call and in the helper', () => {
    expect(ids(ts`
      import { createClient } from 'redis';
      const client = createClient();
      const author = process.argv[2];
      if (author) {
        client.quit();
        add(author);
      }
      function add(a: string): void {
        client.hSet('quotes', { author: a });
      }
    `)).toEqual([[6, 'useAfterRelease'], [9, 'useAfterRelease']]);
  });

  it('counterpart: the helper is also handed on as a callback, so it may run at any time — reported as before', () => {
    expect(ids(ts`
      import { createClient } from 'redis';
      const client = createClient();
      const author = process.argv[2];
      if (author) {
        add(author);
        client.quit();
      } else {
        client.quit();
      }
      setTimeout(() => add('late'), 10);
      function add(a: string): void {
        client.hSet('quotes', { author: a });
      }
    `)).toEqual([[10, 'useAfterRelease'], [12, 'useAfterRelease']]);
  });
});

describe('a resource handed to a local function that returns a closure over it goes to the caller with the closure', () => {
  const crud = ts`
    import pg from 'pg';
    const crud = (pool: pg.Pool) => (table: string) => ({
      async read(id: number) {
        const result = await pool.query('SELECT * FROM ' + table + ' WHERE id = $1', [id]);
        return result.rows;
      },
    });
  `;

  it('`crud(new pg.Pool(o))` returned by the factory: no report', () => {
    expect(ids(crud + 'export const makeDb = (options: pg.PoolConfig) => crud(new pg.Pool(options));\n')).toEqual([]);
  });

  it('counterpart: a path that leaves before the pool is handed to it still leaks', () => {
    expect(ids(crud + [
      'export function open(options: pg.PoolConfig, skip: boolean): unknown {',
      '  const pool = new pg.Pool(options);',
      "  void pool.query('select 1');",
      '  if (skip) return undefined;',
      '  return crud(pool);',
      '}',
    ].join('\n') + '\n')).toEqual([[9, 'leak']]);
  });

  it('counterpart: a function that only registers a listener capturing it (and returns nothing) borrows it', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      function echo(sock: net.Socket): void {
        sock.on('data', (d) => sock.write(d));
      }
      export function start(): void {
        const s = net.connect(7, '127.0.0.1');
        echo(s);
      }
    `)).toEqual([[6, 'leak']]);
  });
});

describe('a class made once by a start-up function called where it is written holds its fields for the process', () => {
  const replica = (name: string, extra = ''): string => ts`
    import * as net from 'node:net';
    export class ${name} {
      masterSocket: net.Socket | null = null;
      constructor(private host: string, private port: number) {}
      start(): void {
        const socket = net.createConnection({ host: this.host, port: this.port });
        this.masterSocket = socket;
        socket.write('PING');
        socket.on('data', (d) => console.log(d.toString()));
      }
    }
    ${extra}
  `;

  it('made in an IIFE of another module (tests/fixtures/iife-entry.ts): no report', () => {
    expect(ids(replica('IifeReplica'))).toEqual([]);
  });

  it('made in an IIFE of the same module: no report; in an IIFE inside a loop, or in one called twice, reported', () => {
    const iife = '(function init() {\n  new LocalReplica("127.0.0.1", 6379).start();\n})();';
    expect(ids(replica('LocalReplica', iife))).toEqual([]);
    expect(ids(replica('LocalReplica', '(async () => {\n  new LocalReplica("127.0.0.1", 6379).start();\n})().catch(() => undefined);'))).toEqual([]);
    expect(ids(replica('LocalReplica', 'for (const port of [1, 2]) {\n  (function init() {\n    new LocalReplica("127.0.0.1", port).start();\n  })();\n}'))).toEqual([[7, 'fieldNeverReleased']]);
    expect(ids(replica('LocalReplica', 'const init = () => new LocalReplica("127.0.0.1", 1).start();\ninit();\ninit();'))).toEqual([[7, 'fieldNeverReleased']]);
  });
});

describe('a release in a function whose every call is followed by process.exit() comes before no later callback', () => {
  const mqtt = (stop: string, extra = ''): string => ts`
    import { connect, MqttClient } from 'mqtt';
    class Main {
      private client: MqttClient;
      constructor(url: string) {
        this.client = connect(url);
        this.client.on('message', (topic, message) => this.onMessage(topic, message));
      }
      onMessage(topic: string, message: Buffer): void {
        this.client.publish(topic + '/state', message.toString());
      }
      end(): void {
        this.client.end();
      }
    }
    const main = new Main('mqtt://127.0.0.1');
    function stop(): void {
      ${stop}
    }
    process.on('SIGINT', () => stop());
    ${extra}
  `;

  it('Main.end() called only from stop(), which exits right after it — no report', () => {
    expect(ids(mqtt("main.end();\n  process.exit(0);"))).toEqual([]);
  });

  it('counterpart: stop() goes on without exiting — the deferred publish() is reported', () => {
    expect(ids(mqtt("main.end();\n  console.log('stopped');"))).toEqual([[6, 'deferredUse']]);
  });

  it('counterpart: the instance is exported, so other code may call end() — reported', () => {
    expect(ids(mqtt("main.end();\n  process.exit(0);", 'export { main };'))).toEqual([[6, 'deferredUse']]);
  });

  it('a private cleanup() awaited in a try whose catch exits, then process.exit(0) — no report', () => {
    const srv = (after: string): string => ts`
      import pg from 'pg';
      declare const rpc: any;
      export class Srv {
        private client: pg.Client | null = null;
        constructor() {
          rpc.setRequestHandler('query', async (req: { sql: string }) => this.handleQuery(req.sql));
          process.on('SIGINT', async () => {
            try {
              await this.cleanup();
            } catch (e) {
              console.error(e);
              process.exit(1);
            }
            ${after}
          });
        }
        private async cleanup(): Promise<void> {
          if (this.client) {
            await this.client.end();
          }
          await rpc.close();
        }
        private async ensure(): Promise<void> {
          if (!this.client) {
            this.client = new pg.Client();
            await this.client.connect();
          }
        }
        private async handleQuery(sql: string): Promise<unknown> {
          await this.ensure();
          const r = await this.client!.query(sql);
          return r.rows;
        }
      }
    `;
    expect(ids(srv('process.exit(0);'))).toEqual([]);
    expect(ids(srv("console.log('closed');")).map(([, id]) => id)).toContain('deferredUse');
  });
});

describe("a 'timeout' listener on a socket kept in a field when nothing arms its timeout", () => {
  const client = (arm = '', extra = ''): string => ts`
    import * as net from 'node:net';
    export class Client {
      private socket: net.Socket | null = null;
      constructor(private host: string, private port: number) {}
      connect(): void {
        this.socket = net.createConnection(this.port, this.host);
        this.socket.on('error', (err) => console.error('socket error', err));
        this.socket.on('timeout', () => {
          console.log('timeout');
        });
        ${arm}
      }
      close(): void {
        this.socket?.end();
        this.socket = null;
      }
      ${extra}
    }
  `;

  it('no setTimeout() and no timeout option: the event never fires — no report', () => {
    expect(ids(client())).toEqual([]);
  });

  it('counterparts: armed by setTimeout(), or the field handed on — reported', () => {
    expect(ids(client('this.socket.setTimeout(5000);'))).toEqual([[8, 'timeoutNotReleased']]);
    expect(ids(client('', 'raw(): net.Socket | null {\n  return this.socket;\n}'))).toEqual([[8, 'timeoutNotReleased']]);
  });
});

describe("ws's server reached through the class's static in an ES module, whose typings do not declare it", () => {
  const esmDir = path.join(__dirname, '..', 'fixtures-esm');
  const code = ts`
    import WebSocket from 'ws';
    export function start(port: number, skip: boolean): void {
      // @ts-expect-error -- the ES-module typings declare no static Server (the class object has it at run time)
      const wss = new WebSocket.Server({ port });
      if (skip) return;
      wss.close();
    }
    export function start2(port: number, skip: boolean): void {
      // @ts-expect-error -- nor WebSocketServer
      const wss = new WebSocket.WebSocketServer({ port });
      if (skip) return;
      wss.close();
    }
    export function other(port: number, skip: boolean): void {
      // @ts-expect-error -- a static no binding names
      const x = new WebSocket.Nothing({ port });
      if (skip) return;
      x.close();
    }
  `;

  it('`new WebSocket.Server()` and `new WebSocket.WebSocketServer()` are servers; an unknown static is nothing', () => {
    expect(lintWithPlugin(code, { dir: esmDir }).map((m) => [m.line, m.messageId])).toEqual([[4, 'leak'], [10, 'leak']]);
  });
});

describe("a socket's own 'drain' listener cannot run after any of its releases, end() included", () => {
  const conn = (event: string): string => ts`
    import { createConnection, type Socket } from 'node:net';
    export class Connection {
      #socket!: Socket;
      #pending: Buffer[] = [];
      connect(host: string, port: number): void {
        this.#socket = createConnection({ host, port });
        this.#socket.once('connect', () => {
          this.#socket.on('${event}', this.#flush.bind(this));
        });
      }
      #flush(): void {
        const next = this.#pending.shift();
        if (next) this.#socket.write(next);
      }
      close(): void {
        this.#socket.end();
      }
    }
  `;

  it("'drain' after end(): a Writable that is ending emits none — no report", () => {
    expect(ids(conn('drain'))).toEqual([]);
  });

  it("counterpart: a 'data' listener still runs after end() (the peer's data is read) — reported", () => {
    expect(ids(conn('data'))).toEqual([[13, 'deferredUse']]);
  });
});

describe('a guard that lets the use through only in live states no release sets', () => {
  const conn = (guard: string): string => ts`
    import { createConnection, type Socket } from 'node:net';
    const Statuses = { NONE: 'none', CONNECTED: 'connected', AUTHENTICATING: 'authenticating', CLOSED: 'closed', ERROR: 'error' } as const;
    type Status = (typeof Statuses)[keyof typeof Statuses];
    export class Connection {
      #status: Status = Statuses.NONE;
      #socket!: Socket;
      #queue: Array<() => void> = [];
      connect(host: string, port: number): void {
        this.#socket = createConnection({ host, port, timeout: 1000 });
        this.#socket.once('connect', () => {
          this.#status = Statuses.CONNECTED;
        });
        this.#socket.once('timeout', () => {
          this.#socket.destroy();
          this.#status = Statuses.ERROR;
        });
      }
      send(payload: Buffer): void {
        this.#queue.push(() => {
          this.#sendRequest(payload);
        });
      }
      #sendRequest(payload: Buffer): boolean {
        if (${guard}) return false;
        return this.#socket.write(payload);
      }
      close(): void {
        this.#socket.destroy();
        this.#status = Statuses.CLOSED;
      }
    }
  `;

  it('`status !== CONNECTED && status !== AUTHENTICATING`: every release sets another state — no report', () => {
    expect(ids(conn('this.#status !== Statuses.CONNECTED && this.#status !== Statuses.AUTHENTICATING'))).toEqual([]);
    expect(ids(conn('!(this.#status === Statuses.CONNECTED || this.#status === Statuses.AUTHENTICATING)'))).toEqual([]);
  });

  it('counterparts: a state a release sets is let through, or one side tests something else — reported', () => {
    expect(ids(conn('this.#status !== Statuses.CONNECTED && this.#status !== Statuses.ERROR'))).toEqual([[20, 'deferredUse']]);
    expect(ids(conn("this.#status !== Statuses.CONNECTED && payload.length > 0"))).toEqual([[20, 'deferredUse']]);
  });
});

describe("a socket's own 'end' listener runs once the socket has ended its side (allowHalfOpen: false)", () => {
  const server = (options: string): string => ts`
    import * as net from 'node:net';
    export const server = net.createServer(${options}(client) => {
      client.on('data', (message) => client.write(message));
      client.on('end', () => {
        client.write('disconnected from server');
      });
    });
  `;

  it("write() in the 'end' listener — reported", () => {
    expect(ids(server(''))).toEqual([[5, 'useAfterRelease']]);
  });

  it('counterpart: a half-open server may still write there — no report', () => {
    expect(ids(server('{ allowHalfOpen: true }, '))).toEqual([]);
  });
});

describe('an error made by a call and kept in a field next to the release is a dead mark', () => {
  const writer = (made: string): string => ts`
    import * as net from 'node:net';
    class IOError extends Error {}
    export class PipelinedWriter {
      private error: Error | undefined;
      private queue: Buffer[] = [];
      constructor(private readonly socket: net.Socket) {}
      close(error: Error): void {
        this.error = ${made};
        this.socket.destroy();
      }
      schedule(): void {
        process.nextTick(() => this.process());
      }
      private process(): void {
        if (this.error) return;
        const next = this.queue.shift();
        if (next) this.socket.write(next);
      }
      private makeIOError(err: Error): IOError {
        return err instanceof IOError ? err : new IOError(err.message);
      }
      private describe(err: Error): string | undefined {
        return err.message || undefined;
      }
    }
  `;

  it('`this.error = this.makeIOError(error)` before destroy(): the deferred write is guarded — no report', () => {
    expect(ids(writer('this.makeIOError(error)'))).toEqual([]);
  });

  it('counterpart: a call whose value may be falsy marks nothing — reported', () => {
    expect(ids(writer('this.describe(error) as unknown as Error'))).toEqual([[12, 'deferredUse']]);
  });
});

describe('CommonJS: a class exported with module.exports and made once by a start-up IIFE of another module', () => {
  const link = (exported: string): string =>
    [
      "const net = require('node:net');",
      'class ReplicaLink {',
      '  constructor(host, port) {',
      '    this.host = host;',
      '    this.port = port;',
      '    this.masterSocket = null;',
      '  }',
      '  start() {',
      '    const socket = net.createConnection({ host: this.host, port: this.port });',
      '    this.masterSocket = socket;',
      "    socket.write('PING');",
      '  }',
      '}',
      exported,
    ].join('\n');

  it('`module.exports = ReplicaLink`, required and constructed in tests/fixtures-prescreen/replica-entry.js — no report', () => {
    expect(jsIds(link('module.exports = ReplicaLink;'))).toEqual([]);
  });

  it('counterpart: also made in a function that any caller may run — reported', () => {
    expect(jsIds(link('module.exports = ReplicaLink;\nmodule.exports.make = (port) => new ReplicaLink("127.0.0.1", port);'))).toEqual([[10, 'fieldNeverReleased']]);
  });
});

describe('a release that sets a nested state member the reconnect tests stops the reconnect', () => {
  const conn = (set: string): string => ts`
    import * as net from 'node:net';
    enum READY_STATE { CONNECTING, OPEN, CLOSING, CLOSED }
    export class Connection {
      _socket: net.Socket;
      _state: { readyState: READY_STATE; note?: string };
      constructor(private port: number) {
        this._connect = this._connect.bind(this);
        this._state = { readyState: READY_STATE.CONNECTING };
        this._socket = this._connect();
      }
      unsafeDestroy(): void {
        ${set}
        this._socket.destroy();
      }
      private _connect(): net.Socket {
        const socket = net.connect({ port: this.port });
        this._socket = socket;
        socket.on('close', () => {
          if (this._state.readyState === READY_STATE.CLOSING) {
            this._state.readyState = READY_STATE.CLOSED;
          } else {
            this._state.readyState = READY_STATE.CONNECTING;
            setTimeout(this._connect, 1000);
          }
        });
        return socket;
      }
    }
  `;

  it('`this._state.readyState = CLOSING` before destroy(): no report', () => {
    expect(ids(conn('this._state.readyState = READY_STATE.CLOSING;'))).toEqual([]);
  });

  it('counterpart: a nested member the reconnect never reads — reported', () => {
    expect(ids(conn("this._state.note = 'closing';"))).toEqual([[13, 'reconnectsAfterRelease']]);
  });
});

describe('a callback made after its maker handed the socket on for good finds it someone else’s', () => {
  const connect = (keep: string): string => ts`
    import * as net from 'node:net';
    const sockets = new Map<string, net.Socket>();
    export function connect(nodeId: string, port: number, hello: (id: string) => Promise<void>): Promise<net.Socket> {
      return new Promise((resolve, reject) => {
        const socket = net.connect({ port }, () => {
          ${keep}
          hello(nodeId).then(() => resolve(socket)).catch((error) => reject(error));
        });
        socket.on('error', (error) => {
          sockets.delete(nodeId);
          reject(error);
        });
      });
    }
  `;

  it('kept in a collection of another scope before the hello: the rejecting hello drops nothing — no report', () => {
    expect(ids(connect('sockets.set(nodeId, socket);'))).toEqual([]);
  });

  it('counterparts: not kept, or kept only on one branch — reported at the rejection', () => {
    expect(ids(connect('console.log(nodeId);'))).toEqual([[5, 'leak']]);
    expect(ids(connect('if (nodeId) sockets.set(nodeId, socket);'))).toEqual([[5, 'leak']]);
  });
});
