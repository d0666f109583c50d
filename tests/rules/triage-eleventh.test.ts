/**
 * Shapes from the eleventh hand triage (and the tenth's leftovers): each false alarm or miss reduced to its general
 * mechanism, with the counterpart that must stay reported.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintJsWithPlugin, lintWithPlugin, ts, lineMessages } from '../rule-tester';

const reports = (code: string): Array<[number, string]> => lineMessages(code, 'no-leak');

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

describe("a framework app's listen(): the server serves the app, its handler", () => {
  const app = `
    import * as http from 'node:http';
    interface App {
      (req: http.IncomingMessage, res: http.ServerResponse): void;
      get(path: string, handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): App;
      listen(port: number, host?: string): http.Server;
    }
    declare function express(): App;
  `;

  it('app.listen(port) in a start method: not reported', () => {
    expect(
      reports(ts`
        ${app}
        export class Http {
          start(port: number): void {
            const app = express();
            app.get('/', (_req, res) => res.end('ok'));
            app.listen(port, '127.0.0.1');
            console.log('listening');
          }
        }
      `),
    ).toEqual([]);
  });

  it('a server listened per request: reported', () => {
    expect(
      reports(ts`
        ${app}
        const main = http.createServer();
        main.on('request', (req, res) => {
          const app = express();
          const server = app.listen(0);
          res.end(String(server.address()));
        });
        main.listen(8080);
      `),
    ).toEqual([[13, expect.stringContaining('net.Server') as string]]);
  });
});

describe('the negation of a test that is never falsy', () => {
  it('if (!database) return, database = client.db(name): that return is never taken', () => {
    expect(
      reports(ts`
        import { MongoClient, type Db } from 'mongodb';
        export class Adapter {
          client?: MongoClient;
          database?: Db;
          connecting?: Promise<void>;
          connect(uri: string, name: string): Promise<void> {
            this.connecting ??= MongoClient.connect(uri).then((client) => {
              const database = client.db(name);
              if (!database) return;
              this.client = client;
              this.database = database;
            });
            return this.connecting;
          }
          async close(): Promise<void> {
            await this.client?.close();
          }
        }
      `),
    ).toEqual([]);
  });

  it('if (!found) return, found possibly undefined: reported', () => {
    expect(
      reports(ts`
        import { MongoClient } from 'mongodb';
        export class Adapter {
          client?: MongoClient;
          connect(uri: string, names: Map<string, string>): Promise<void> {
            return MongoClient.connect(uri).then((client) => {
              const found = names.get('db');
              if (!found) return;
              this.client = client;
            });
          }
          async close(): Promise<void> {
            await this.client?.close();
          }
        }
      `),
    ).toEqual([[5, expect.stringContaining('on the path that returns at line 7') as string]]);
  });
});

describe('one variable holding either of two resources', () => {
  it("a plain-connection fallback in connect()'s catch: the failed connect() left nothing open", () => {
    expect(
      reports(ts`
        import { Client, type ClientConfig } from 'pg';
        export async function open(config: ClientConfig): Promise<Client> {
          let client = new Client(config);
          try {
            await client.connect();
          } catch (error) {
            if (!(error instanceof Error) || !error.message.includes('SSL')) throw error;
            client = new Client({ ...config, ssl: undefined });
            await client.connect();
          }
          return client;
        }
      `),
    ).toEqual([]);
  });

  it('the first one connected, then replaced: reported', () => {
    expect(
      reports(ts`
        import { Client, type ClientConfig } from 'pg';
        export async function open(config: ClientConfig): Promise<Client> {
          let client = new Client(config);
          await client.connect();
          client = new Client({ ...config, ssl: undefined });
          await client.connect();
          return client;
        }
      `),
    ).toEqual([[3, expect.stringContaining('before it is overwritten at line 5') as string]]);
  });
});

describe('a helper of the file that promisifies an operation on the resource it is given', () => {
  const helper = `
    import * as mysql from 'mysql2';
    function executeSql(connection: mysql.Connection, sql: string): Promise<void> {
      return new Promise((resolve, reject) => connection.query(sql, (err) => (err ? reject(err) : resolve())));
    }
  `;

  it('awaited before the end(): reported when it rejects', () => {
    expect(
      reports(ts`
        ${helper}
        export async function dump(): Promise<void> {
          const connection = mysql.createConnection({ host: '127.0.0.1' });
          await executeSql(connection, 'FLUSH TABLES WITH READ LOCK');
          connection.end();
        }
      `),
    ).toEqual([[8, expect.stringContaining('when executeSql() at line 9 rejects') as string]]);
  });

  it('with the end() in a finally: not reported', () => {
    expect(
      reports(ts`
        ${helper}
        export async function dump(): Promise<void> {
          const connection = mysql.createConnection({ host: '127.0.0.1' });
          try {
            await executeSql(connection, 'FLUSH TABLES WITH READ LOCK');
          } finally {
            connection.end();
          }
        }
      `),
    ).toEqual([]);
  });
});

describe('a connection whose own close listener makes the next one', () => {
  const exchange = (onclose: string): string => ts`
    import WebSocket from 'ws';
    export class Exchange {
      initUserStream(): void {
        const me = this;
        const ws = new WebSocket('wss://127.0.0.1/stream');
        ws.onmessage = (event) => console.log(String(event.data), me);
        ws.onclose = ${onclose};
      }
      report(): void {
        console.log('closed');
      }
    }
  `;

  it('a stream opened by a method and reopened from its onclose through a this alias: not reported', () => {
    expect(reports(exchange('function () { setTimeout(() => me.initUserStream(), 30_000); }'))).toEqual([]);
  });

  it('a close listener that only logs: reported', () => {
    expect(reports(exchange("() => console.log('closed')"))).toEqual([[5, expect.stringContaining('not released on any path') as string]]);
  });

  it('a close listener that calls another method of the class: reported', () => {
    expect(reports(exchange('() => this.report()'))).toEqual([[5, expect.stringContaining('not released on any path') as string]]);
  });

  it('a field reopened from its close listener by the method that opens it: not reported', () => {
    expect(
      reports(ts`
        import WebSocket from 'ws';
        export class Feed {
          private ws: WebSocket | null = null;
          connect(): void {
            if (this.ws) return;
            this.ws = new WebSocket('wss://127.0.0.1/feed');
            this.ws.on('message', (data) => console.log(String(data)));
            this.ws.on('close', () => {
              this.ws = null;
              setTimeout(() => this.connect(), 3000);
            });
          }
        }
      `),
    ).toEqual([]);
  });

  it('a function that reopens its socket by name from the close listener: not reported', () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        function open(port: number): void {
          const socket = net.connect(port, '127.0.0.1');
          socket.on('data', (chunk) => console.log(chunk.length));
          socket.on('close', () => open(port));
        }
        open(9000);
      `),
    ).toEqual([]);
  });
});

function uacReports(code: string): Array<[number, string]> {
  return lintWithPlugin(code, { rules: { 'no-use-after-close': 'error' } }).map((m) => [m.line, m.messageId ?? '']);
}

describe('timer handles kept in a collection and cleared by a pass over it', () => {
  const shape = (clear: string): string => ts`
    import WebSocket from 'ws';
    export function subscribe(ws: WebSocket, chunks: string[][]): void {
      const timeouts: Record<number, NodeJS.Timeout> = {};
      ws.onopen = () => {
        chunks.forEach((chunk, index) => {
          timeouts[index] = setTimeout(() => {
            ws.send(JSON.stringify(chunk));
            delete timeouts[index];
          }, (index + 1) * 1500);
        });
      };
      ws.onclose = () => {
        ${clear}
      };
    }
  `;

  it('Object.values(timeouts).forEach((t) => clearTimeout(t)) in onclose: not reported', () => {
    expect(uacReports(shape('Object.values(timeouts).forEach((t) => clearTimeout(t));'))).toEqual([]);
  });

  it('Object.values(timeouts).forEach(clearTimeout): not reported', () => {
    expect(uacReports(shape('Object.values(timeouts).forEach(clearTimeout);'))).toEqual([]);
  });

  it('for (const k in timeouts) clearTimeout(timeouts[k]): not reported', () => {
    expect(uacReports(shape('for (const k in timeouts) clearTimeout(timeouts[k]);'))).toEqual([]);
  });

  it('the collection is not cleared on close: reported', () => {
    expect(uacReports(shape("console.log('closed');"))).toEqual([[7, 'deferredUse']]);
  });

  it('another collection cleared: reported', () => {
    expect(
      uacReports(
        shape(`const other: Record<number, NodeJS.Timeout> = {};
        Object.values(other).forEach(clearTimeout);`),
      ),
    ).toEqual([[7, 'deferredUse']]);
  });
});

describe('a release helper that returns early once it has released', () => {
  const transport = (guard: string): string => ts`
    import * as dgram from 'node:dgram';
    export class UdpTransport {
      private sock: dgram.Socket | null = null;
      connect(port: number): void {
        const socket = dgram.createSocket('udp4');
        socket.connect(port, '127.0.0.1', () => {
          this.sock = socket;
          socket.on('error', (error) => this.fail(error, socket));
        });
      }
      send(frame: Buffer): Promise<void> {
        return new Promise((resolve, reject) => {
          const socket = this.sock!;
          setTimeout(() => this.fail(new Error('timeout'), socket), 1000);
          socket.send(frame, (error) => (error ? this.fail(error, socket) : resolve()));
        });
      }
      private fail(error: Error, socket: dgram.Socket): void {
        ${guard}
        console.error(error);
        socket.close();
      }
    }
  `;

  it('if (socket !== this.sock) return; this.sock = null: not reported', () => {
    expect(uacReports(transport('if (socket !== this.sock) return;\n        this.sock = null;'))).toEqual([]);
  });

  it('if (this.closed) return; this.closed = true: not reported', () => {
    expect(uacReports(transport('if (this.closed) return;\n        this.closed = true;').replace('private sock:', 'private closed = false;\n  private sock:'))).toEqual([]);
  });

  it('without the guard: the timer closes a closed socket (reported)', () => {
    expect(uacReports(transport('this.sock = null;'))).toEqual([[14, 'deferredUse']]);
  });
});

describe("the creating call's connect callback, on a socket that another method destroys", () => {
  const radio = (release: string): string => ts`
    import * as net from 'node:net';
    export class Radio {
      private conn: net.Socket | null = null;
      connect(port: number): void {
        this.conn = net.connect(port, '127.0.0.1', () => {
          this.send('client set mtu=1');
        });
      }
      send(request: string): void {
        this.conn?.write(request + '\\n');
      }
      disconnect(): void {
        this.conn?.${release}();
      }
    }
  `;

  it('destroy(): the connection never comes (not reported)', () => {
    expect(uacReports(radio('destroy'))).toEqual([]);
  });

  it('end(): a connecting socket still connects, then writes after the end (reported)', () => {
    expect(uacReports(radio('end'))).toEqual([[6, 'deferredUse']]);
  });
});

describe("a CommonJS module's own function called through exports", () => {
  const dir = path.join(__dirname, '..', 'fixtures-prescreen');
  const module = (call: string): string =>
    [
      "const net = require('net');",
      'exports.get_sock = function (user) {',
      '  const socket = new net.Socket();',
      "  socket.connect(89, '127.0.0.1');",
      "  socket.on('error', () => socket.end());",
      '  return socket;',
      '};',
      'exports.get_passwd = function (user, opts, cb) {',
      `  const socket = ${call}(user);`,
      '  if (!opts.sysadmin) return cb(null);',
      "  socket.on('data', (chunk) => { socket.end(); cb(chunk); });",
      '};',
    ].join('\n');
  const leaks = (code: string): Array<[string | null, number]> => lintJsWithPlugin(code, dir).map((m) => [m.messageId ?? null, m.line]);

  it('exports.get_sock(user): the early return leaves it open (reported, whatever its name)', () => {
    expect(leaks(module('exports.get_sock'))).toEqual([['leak', 9]]);
  });

  it('module.exports.get_sock(user): reported too', () => {
    expect(leaks(module('module.exports.get_sock'))).toEqual([['leak', 9]]);
  });
});

describe('node-redis sentinel clients', () => {
  it('createSentinel() connected and never closed: reported', () => {
    expect(
      reports(ts`
        import { createSentinel } from 'redis';
        export async function ping(): Promise<void> {
          const s = createSentinel({ name: 'mymaster', sentinelRootNodes: [{ host: '127.0.0.1', port: 26379 }] });
          await s.connect();
          await s.ping();
        }
      `),
    ).toEqual([[3, expect.stringContaining('redis sentinel is not released') as string]]);
  });

  it('closed in a finally: not reported', () => {
    expect(
      reports(ts`
        import { createSentinel } from 'redis';
        export async function ping(): Promise<void> {
          const s = createSentinel({ name: 'mymaster', sentinelRootNodes: [{ host: '127.0.0.1', port: 26379 }] });
          try {
            await s.connect();
            await s.ping();
          } finally {
            s.destroy();
          }
        }
      `),
    ).toEqual([]);
  });
});

describe('a socket that a repeating listener of a module-level emitter uses', () => {
  const forwarder = (registration: string): string => ts`
    import * as dgram from 'node:dgram';
    import { EventEmitter } from 'node:events';
    const packets = new EventEmitter();
    let loaded = false;
    export function onConfig(port: number): void {
      if (loaded) return;
      loaded = true;
      const client = dgram.createSocket('udp4');
      ${registration}(msg: Buffer) => {
        client.send(msg, port, '127.0.0.1');
      });
    }
  `;

  it("packets.on('send', …) forwards with it for the life of the process: not reported", () => {
    expect(reports(forwarder("packets.on('send', "))).toEqual([]);
  });

  it("packets.once('send', …): reported", () => {
    expect(reports(forwarder("packets.once('send', "))).toEqual([[8, expect.stringContaining('dgram.Socket') as string]]);
  });

  it('an emitter made in the function: reported', () => {
    expect(reports(forwarder("new EventEmitter().on('send', ").replace('const packets', 'const unused'))).toEqual([[8, expect.stringContaining('dgram.Socket') as string]]);
  });
});

describe('a ws server that a JavaScript helper makes attached to an HTTP server', () => {
  const dir = path.join(__dirname, '..', 'fixtures-prescreen');
  const caller = (helper: string): string => ts`
    import * as http from 'node:http';
    import * as factory from './ws-factory.js';
    export function start(port: number): http.Server {
      const server = http.createServer((_req, res) => res.end('ok'));
      factory.${helper}({ server, port, onConnection: () => undefined });
      server.listen(port, '127.0.0.1');
      return server;
    }
  `;
  const leaks = (code: string): Array<[number, string]> => lintWithPlugin(code, { dir, rules: { 'no-leak': 'error' } }).map((m) => [m.line, m.message]);

  it('attachedServer(): owns no socket (not reported)', () => {
    expect(leaks(caller('attachedServer'))).toEqual([]);
  });

  it('standaloneServer(): dropped (reported)', () => {
    expect(leaks(caller('standaloneServer'))).toEqual([[5, expect.stringContaining('WebSocketServer') as string]]);
  });
});

describe('a receiver that serves for the life of the process, stored in a field again and again', () => {
  const api = (start: string): string => ts`
    import * as dgram from 'node:dgram';
    export class LocalApi {
      private socket: dgram.Socket | null = null;
      constructor() {
        ${start}
      }
      private listen(): void {
        this.socket = dgram.createSocket('udp4');
        this.socket.on('message', (data) => console.log(data.length));
        this.socket.bind();
      }
    }
  `;

  it('bound anew by an interval timer: the one before stays open (reported)', () => {
    expect(reports(api('setInterval(() => this.listen(), 10_000);'))).toEqual([[8, expect.stringContaining('may still hold an open one') as string]]);
  });

  it('bound once from the constructor: not reported', () => {
    expect(reports(api('this.listen();'))).toEqual([]);
  });
});

describe("the 'ready' event of an emitter that is no resource fires once", () => {
  const adapter = (event: string): string => ts`
    import { EventEmitter } from 'node:events';
    import * as net from 'node:net';
    export class Adapter extends EventEmitter {
      private sock: net.Socket | undefined;
      constructor() {
        super();
        this.on('${event}', this.onStart.bind(this));
        this.on('unload', () => this.sock?.end());
      }
      private onStart(): void {
        this.sock = net.connect(1883, '127.0.0.1');
      }
    }
  `;

  it("this.on('ready', this.onReady.bind(this)): stores once (not reported)", () => {
    expect(reports(adapter('ready'))).toEqual([]);
  });

  it("this.on('data', …): stores on every event (reported)", () => {
    expect(reports(adapter('data'))).toEqual([[11, expect.stringContaining('may still hold an open one') as string]]);
  });
});

describe('a UDP receiver made in a Promise executor', () => {
  const receiver = (settle: string): string => ts`
    import * as dgram from 'node:dgram';
    export function listen(port: number): Promise<string[]> {
      return new Promise((resolve) => {
        const heard: string[] = [];
        const socket = dgram.createSocket('udp4');
        socket.on('message', (msg) => heard.push(msg.toString()));
        ${settle}
      });
    }
  `;

  it('resolved by a window timer with what it heard: a query socket left bound (reported)', () => {
    expect(reports(receiver('socket.bind(port);\n        setTimeout(() => resolve(heard), 1000);'))).toEqual([[5, expect.stringContaining('not released on any path') as string]]);
  });

  it('resolved once it listens: a server started (not reported)', () => {
    expect(reports(receiver('socket.bind(port, () => resolve(heard));'))).toEqual([]);
  });
});
