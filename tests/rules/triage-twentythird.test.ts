/**
 * Shapes left by the twenty-second hand triage and found by the twenty-third, mended in the thirtieth session: each
 * reduced to its general mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a field with a computed key', () => {
  /** oicq's shape: `[NET] = new Network()` with `const NET = Symbol('NET')`, released through `this[NET]`. */
  const symbolField = (release: string): string => ts`
    import { Socket } from 'node:net';
    const NET = Symbol('NET');
    export class BaseClient {
      private readonly [NET] = new Socket();
      login(port: number, host: string): void {
        this[NET].connect(port, host);
      }
      terminate(): void {
        ${release}
      }
    }
  `;

  it('names no field: `[NET]` is not the property `NET`, so no "nothing releases NET"', () => {
    expect(ids(symbolField('this[NET].destroy();'))).toEqual([]);
  });

  it('is a dynamic access, as `this[key] = …` in a method is: nothing is claimed either way', () => {
    expect(ids(symbolField('console.log(this[NET].remoteAddress);'))).toEqual([]);
  });

  it('a plain field of the same class is still checked', () => {
    const code = ts`
      import { Socket } from 'node:net';
      export class BaseClient {
        private readonly NET = new Socket();
        login(port: number, host: string): void {
          this.NET.connect(port, host);
        }
      }
    `;
    expect(ids(code)).toEqual([[3, 'fieldNeverReleased']]);
  });
});

describe('a server made in a try block whose only later throw is its own listen()', () => {
  /** tunnel-ssh's `tunnel()` (vendored by many projects): the catch block reports the error asynchronously. */
  const tunnel = (afterListen: string, inCatch = ''): string => ts`
    import * as net from 'node:net';
    import * as events from 'node:events';
    declare function prepare(): void;
    export function tunnel(config: { localPort: number; localHost: string }, callback: (err?: unknown, server?: unknown) => void) {
      let server: net.Server | events.EventEmitter;
      try {
        server = net.createServer();
        server.listen(config.localPort, config.localHost, () => callback(undefined, server));
        ${afterListen}
      } catch (e) {
        ${inCatch}
        server = new events.EventEmitter();
        setImmediate(() => {
          callback(e);
          server.emit('error', e);
        });
      }
      return server;
    }
  `;

  it('a throw from listen() leaves the server unbound: the catch block drops nothing', () => {
    expect(ids(tunnel(''))).toEqual([]);
  });

  it('a call after listen() can throw with the server bound: still reported', () => {
    expect(ids(tunnel('prepare();'))).toEqual([[7, 'leak']]);
  });

  it('a catch block that listens again may hold a bound server: still reported', () => {
    expect(ids(tunnel('', 'if (server instanceof net.Server) server.listen(0);'))).toEqual([[7, 'leak']]);
  });
});

describe('a tunnel whose upstream goes into a collection of the function around', () => {
  /** http-proxy-3's ws-incoming `stream()`: the client's 'close' and 'error' listeners end every proxy socket. */
  const proxy = (cleanup: string): string => ts`
    import * as http from 'node:http';
    import type { Socket } from 'node:net';
    export function stream(socket: Socket, opts: http.RequestOptions): void {
      const proxySockets: Socket[] = [];
      const cleanUp = () => {
        ${cleanup}
      };
      socket.on('close', cleanUp);
      socket.on('error', cleanUp);
      const proxyReq = http.request(opts);
      proxyReq.on('error', () => socket.destroySoon());
      proxyReq.on('upgrade', (_res: http.IncomingMessage, proxySocket: Socket) => {
        proxySockets.push(proxySocket);
        proxySocket.on('error', () => socket.destroySoon());
        proxySocket.on('close', () => socket.end());
        proxySocket.pipe(socket).pipe(proxySocket);
      });
      proxyReq.end();
    }
  `;

  it('a for-of loop that ends every element: released when the client fails', () => {
    expect(ids(proxy('for (const p of proxySockets) p.end();'))).toEqual([]);
  });

  it('forEach with a releasing callback: the same', () => {
    expect(ids(proxy('proxySockets.forEach((p) => p.destroy());'))).toEqual([]);
  });

  it('a loop that only reads the elements releases nothing: still reported', () => {
    expect(ids(proxy('for (const p of proxySockets) console.log(p.remoteAddress);'))).toEqual([[12, 'leak']]);
  });
});

describe('a method storing a server in a field, called once per element', () => {
  /** redbird's shape: the constructor sets up one HTTPS listener per certificate, all through one field. */
  const proxy = (constructorBody: string): string => ts`
    import * as https from 'node:https';
    interface SslOpts { port: number; key: string; cert: string }
    export class Proxy {
      private httpsServer?: https.Server;
      constructor(ssl: SslOpts[]) {
        ${constructorBody}
      }
      setupHttpsProxy(o: SslOpts): void {
        const server = (this.httpsServer = https.createServer({ key: o.key, cert: o.cert }, (_req, res) => res.end()));
        server.listen(o.port);
      }
      close(): void {
        this.httpsServer?.close();
      }
    }
  `;

  it('forEach: each call drops the server the previous one stored', () => {
    expect(ids(proxy('ssl.forEach((o) => this.setupHttpsProxy(o));'))).toEqual([[9, 'fieldOverwritten']]);
  });

  it('a for-of loop: the same', () => {
    expect(ids(proxy('for (const o of ssl) this.setupHttpsProxy(o);'))).toEqual([[9, 'fieldOverwritten']]);
  });

  it('a loop that stops after the first call that succeeds (trying one port after another) stores once', () => {
    const body = `for (const o of ssl) {
          try {
            this.setupHttpsProxy(o);
            return;
          } catch {
            continue;
          }
        }`;
    expect(ids(proxy(body))).toEqual([]);
  });

  it('counterpart: a retrying send loop that disconnects between two calls stores nothing over a live socket', () => {
    const code = ts`
      import * as net from 'node:net';
      export class TcpClient {
        private client?: net.Socket;
        private connected = false;
        private async open(port: number): Promise<net.Socket> {
          const client = new net.Socket();
          await new Promise<void>((ok, rej) => {
            client.connect(port, '127.0.0.1', ok);
            client.on('error', rej);
          });
          return client;
        }
        async connect(port: number): Promise<void> {
          if (this.connected) return;
          while (!this.connected) {
            try {
              this.client = await this.open(port);
              this.client.on('close', () => this.disconnect());
              this.connected = true;
            } catch {
              await new Promise((ok) => setTimeout(ok, 1000));
            }
          }
        }
        disconnect(): void {
          this.client?.destroy();
          this.connected = false;
        }
        async send(port: number, msg: string): Promise<void> {
          let written = false;
          while (!written) {
            await this.connect(port);
            const err = await new Promise<Error | undefined>((ok) => this.client?.write(msg, 'utf-8', ok));
            if (!err) written = true;
            else this.disconnect();
          }
        }
      }
    `;
    expect(ids(code)).toEqual([]);
  });

  it('one call: no report', () => {
    expect(ids(proxy('if (ssl[0]) this.setupHttpsProxy(ssl[0]);'))).toEqual([]);
  });

  it('a function that declares the variable it stores into makes a new one each run: calling it per element overwrites nothing', () => {
    // onebots' reverse WebSockets: `startWsReverse(config)` per configured URL, each with its own `ws`.
    const code = ts`
      import WebSocket from 'ws';
      export class Protocol {
        private readonly closers: Array<() => void> = [];
        start(urls: string[]): void {
          for (const url of urls) this.closers.push(this.startWsReverse(url));
        }
        private startWsReverse(url: string): () => void {
          let ws: WebSocket | null = null;
          const connect = () => {
            ws = new WebSocket(url);
            ws.on('close', () => setTimeout(connect, 5000));
          };
          connect();
          return () => ws?.close();
        }
      }
    `;
    expect(ids(code)).toEqual([]);
  });

  it('`some` stops at the first element its callback accepts: not taken as once per element', () => {
    expect(ids(proxy('ssl.some((o) => (this.setupHttpsProxy(o), true));'))).toEqual([]);
  });
});

describe("a timer that rejects, through a stored `reject`, a promise the socket's listeners settle", () => {
  /** inngest's connect handshake: the executor hands its settle functions out; a 10 s timer rejects. */
  const handshake = (timerBody: string, awaitLine = 'await connected;'): string => ts`
    export async function establish(url: string): Promise<WebSocket> {
      let resolveConnected: (() => void) | undefined;
      let rejectConnected: ((reason?: unknown) => void) | undefined;
      const connected = new Promise<void>((resolve, reject) => {
        resolveConnected = resolve;
        rejectConnected = reject;
      });
      const connectTimeout = setTimeout(() => {
        ${timerBody}
      }, 10_000);
      const ws = new WebSocket(url);
      ws.onerror = () => {
        clearTimeout(connectTimeout);
        ws.close();
        rejectConnected?.(new Error('error'));
      };
      ws.onmessage = () => resolveConnected?.();
      ${awaitLine}
      clearTimeout(connectTimeout);
      return ws;
    }
  `;

  it('the await rejects with the socket still connecting: reported at the creation', () => {
    const messages = lintWithPlugin(handshake("rejectConnected?.(new Error('timed out'));"));
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[11, 'leak']]);
    expect(messages[0]?.message).toContain('the timer at line 8 rejects the promise awaited at line 18');
  });

  it('a timer that closes the socket before it rejects: no report', () => {
    expect(ids(handshake("ws.close();\n        rejectConnected?.(new Error('timed out'));"))).toEqual([]);
  });

  it('a timer that does not reject: no report', () => {
    expect(ids(handshake("console.warn('slow handshake');"))).toEqual([]);
  });

  it('the await in a try whose catch closes the socket: no report', () => {
    expect(ids(handshake("rejectConnected?.(new Error('timed out'));", 'try {\n    await connected;\n  } catch (e) {\n    ws.close();\n    throw e;\n  }'))).toEqual([]);
  });
});

describe("a use in the listener of an error event that destroys the socket", () => {
  /** log4js's tcp appender flushes its buffer from the socket's own 'error' listener. */
  const onError = (body: string, kindImport = "import * as net from 'node:net';", make = 'net.connect(port)'): string => ts`
    ${kindImport}
    export function open(port: number) {
      const s = ${make};
      s.on('error', () => {
        ${body}
      });
      s.on('data', () => s.end());
    }
  `;

  it("net.Socket: 'error' comes from destroy(err), so a write there is after the release", () => {
    const messages = lintWithPlugin(onError("s.write('bye');"));
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[5, 'useAfterRelease']]);
    expect(messages[0]?.message).toContain("its 'error' event at line 4");
  });

  it('releasing it again there is no use: no report', () => {
    expect(ids(onError('s.destroy();\n        s.end();'))).toEqual([]);
  });

  it('connecting again there reopens it: no report for the write after the connect', () => {
    expect(ids(onError("s.connect(port);\n        s.write('hello');"))).toEqual([]);
  });

  it("a kind whose 'error' leaves it open (a dgram socket's send error): no report", () => {
    expect(ids(onError("s.send('x', 9, '127.0.0.1');", "import * as dgram from 'node:dgram';", "dgram.createSocket('udp4')").replace("s.on('data', () => s.end());", "s.on('message', () => s.close());"))).toEqual([]);
  });
});

describe('ssh2: callbacks of its operations', () => {
  /** deploy-it's `testConnect()`: run one command, settle on the exec channel's 'close'. */
  const exec = (onClose: string): string => ts`
    import { Client, type ConnectConfig } from 'ssh2';
    export function testConnect(cfg: ConnectConfig): Promise<void> {
      return new Promise((resolve, reject) => {
        const conn = new Client();
        conn.on('error', reject);
        conn.on('ready', () => {
          conn.exec('uptime', (err, stream) => {
            if (err) {
              conn.end();
              reject(err);
              return;
            }
            stream.on('close', (code: number) => {
              ${onClose}
            });
          });
        });
        conn.connect(cfg);
      });
    }
  `;

  it("the channel's 'close' listener runs once: its path that rejects without end() leaves the connection open", () => {
    const messages = lintWithPlugin(exec("if (code !== 0) {\n            reject(new Error('failed'));\n            return;\n          }\n          conn.end();\n          resolve();"));
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[4, 'leak']]);
    expect(messages[0]?.message).toContain("the 'close' listener of 'stream' at line 13 returns at line 16");
  });

  it('the same listener ending the connection on every path: no report', () => {
    expect(ids(exec("conn.end();\n          if (code !== 0) {\n            reject(new Error('failed'));\n            return;\n          }\n          resolve();"))).toEqual([]);
  });

  it("`if (err) throw err;` in an operation's callback: ssh2 catches it, emits 'error' and ends the connection", () => {
    const code = ts`
      import { Client, type ConnectConfig } from 'ssh2';
      export function openShell(cfg: ConnectConfig, script: string): Promise<void> {
        return new Promise((resolve) => {
          const conn = new Client();
          conn.on('error', (e) => console.error('ssh error', e));
          conn
            .on('ready', () => {
              conn.shell((err, stream) => {
                if (err) throw err;
                stream.on('close', () => {
                  conn.end();
                  resolve();
                });
                stream.end(script);
              });
            })
            .connect(cfg);
        });
      }
    `;
    expect(ids(code)).toEqual([]);
  });
});

describe('a field typed `any`, read back right after the store', () => {
  /** matchmaker-ts: `public webSocket;` (implicit any), listeners added through it inside the try. */
  const client = (afterStore: string): string => ts`
    import WebSocket from 'ws';
    export class Client {
      public webSocket: any;
      startWebSocket(url: string): void {
        try {
          this.webSocket = new WebSocket(url);
          ${afterStore}
        } catch (err) {
          this.webSocket = null;
          console.log(err);
        }
      }
      stop(): void {
        this.webSocket?.close();
      }
    }
  `;

  it('listener registrations on the socket just stored cannot throw: the catch never drops it', () => {
    expect(ids(client("this.webSocket.on('error', (e: Error) => console.log(e));\n      this.webSocket.on('close', () => { this.webSocket = null; });"))).toEqual([]);
  });

  it('any other call through the field can throw with the socket stored: still reported', () => {
    expect(ids(client("this.webSocket.on('error', (e: Error) => console.log(e));\n      this.webSocket.send('hello');"))).toEqual([[6, 'leak']]);
  });
});

describe('pg: promises of a client', () => {
  it('`c.connect().then(() => resolve(c), reject)`: the rejection comes from a failed connect, which holds nothing', () => {
    const code = ts`
      import { Client } from 'pg';
      export function getClient(): Promise<Client> {
        return new Promise<Client>((resolve, reject) => {
          const c = new Client();
          c.connect().then(() => resolve(c), reject);
        });
      }
    `;
    expect(ids(code)).toEqual([]);
  });

  it('the same with a query, whose failure leaves the client connected: reported', () => {
    const code = ts`
      import { Client } from 'pg';
      export function getClient(c: Client): Promise<Client> {
        return new Promise<Client>((resolve, reject) => {
          const d = new Client();
          d.connect().then(() => d.query('select 1')).then(() => resolve(d), reject);
        });
      }
    `;
    expect(ids(code)).toEqual([[4, 'leak']]);
  });

  it('a factory returning `new Promise(executor)` is no serving server: its caller owns the client it resolves', () => {
    const code = ts`
      import { Client } from 'pg';
      declare function getAuthToken(cb: (err: Error | null, token: string) => void): void;
      async function getClient(): Promise<Client> {
        return new Promise<Client>((resolve, reject) => {
          getAuthToken(async (err, token) => {
            if (err) return reject(err);
            const dbClient = new Client({ password: token });
            try {
              await dbClient.connect();
              resolve(dbClient);
            } catch (e) {
              reject(e);
            }
          });
        });
      }
      export async function upsert(domain: string): Promise<string> {
        const dbClient = await getClient();
        await dbClient.query('update t set offline = true where url = $1', [domain]);
        return domain;
      }
    `;
    expect(ids(code)).toEqual([[18, 'leak']]);
  });

  it('`const query = client.query.bind(client)`: an awaited call of it is a query on the client', () => {
    const code = (first: string): string => ts`
      import pg from 'pg';
      export async function withTransaction(pool: pg.Pool, fn: () => Promise<void>): Promise<void> {
        const client = await pool.connect();
        const query = client.query.bind(client);
        ${first}
        try {
          await fn();
          await query('COMMIT');
        } finally {
          client.release();
        }
      }
    `;
    const messages = lintWithPlugin(code("await query('BEGIN');"));
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[3, 'leak']]);
    expect(messages[0]?.message).toContain('query() at line 5 rejects');
    expect(ids(code("console.log('begin');"))).toEqual([]);
  });
});

describe('a creation discarded at the top of a module', () => {
  /** chessu: `await db.connect()` as a connectivity check at the top of an ES module. */
  it('a pool checkout that nothing holds pins its slot for good: reported although the module lives with the process', () => {
    const code = ts`
      import pg from 'pg';
      export const db = new pg.Pool();
      await db.connect();
      db.query('SELECT 1', () => {});
    `;
    expect(ids(code)).toEqual([[3, 'leak']]);
  });

  it('held in a module variable it lives with the process, as before: no report', () => {
    const code = ts`
      import pg from 'pg';
      export const db = new pg.Pool();
      export const client = await db.connect();
    `;
    expect(ids(code)).toEqual([]);
  });

  it('a server made and dropped without listen() holds nothing: no report', () => {
    const code = ts`
      import * as http from 'node:http';
      http.createServer((_req, res) => res.end());
    `;
    expect(ids(code)).toEqual([]);
  });
});

describe("a handler for the first message only (`once('message', …)`)", () => {
  /** uptime's MQTT monitor: subscribe, wait for one message; the 'error' listener rejects. */
  const check = (resolveOn: string): string => ts`
    import mqtt from 'mqtt';
    export async function check(host: string, port: number, topic: string): Promise<boolean> {
      try {
        const client = mqtt.connect({ host, port });
        await new Promise<void>((resolve, reject) => {
          client.once('error', reject);
          client.once('connect', () => client.subscribe(topic));
          ${resolveOn}
        });
        client.end();
        return true;
      } catch {
        return false;
      }
    }
  `;

  it('does not make the client a subscriber serving for the life of the process: the error path is reported', () => {
    expect(ids(check("client.once('message', () => resolve());"))).toEqual([[4, 'leak']]);
  });

  it("`on('message', …)` handles every message: a subscriber, exempt as before", () => {
    expect(ids(check("client.on('message', () => resolve());"))).toEqual([]);
  });
});

describe('the object that runs the callback, closed before the release', () => {
  /** absenta's queue system: Bull queues whose processors query a mysql2 pool; close() ends the queues first. */
  const system = (closeBody: string): string => ts`
    import mysql from 'mysql2/promise';
    interface Job { data: { id: number } }
    interface Queue { process(n: number, fn: (job: Job) => Promise<unknown>): void; close(): Promise<void> }
    declare function makeQueue(name: string): Queue;
    export class DownloadQueue {
      private pool: mysql.Pool | null = null;
      private queues: Record<string, Queue> = {};
      private queue: Queue | null = null;
      async initialize(): Promise<void> {
        this.pool = mysql.createPool({ host: 'db' });
        this.queues.excel = makeQueue('excel');
        this.queues.excel.process(2, async (job) => this.download(job));
        this.queue = makeQueue('pdf');
        this.queue.process(1, async (job) => this.download(job));
      }
      private async download(job: Job): Promise<unknown> {
        const [rows] = await this.pool!.execute('select * from t where id = ?', [job.data.id]);
        return rows;
      }
      async close(): Promise<void> {
        ${closeBody}
        if (this.pool) await this.pool.end();
      }
    }
  `;

  it('every queue closed (awaited) before the pool ends: no processor runs after it', () => {
    expect(ids(system('for (const name in this.queues) {\n      await this.queues[name].close();\n    }\n    await this.queue?.close();'))).toEqual([]);
  });

  it('one of the two queues left running: its processor is reported', () => {
    // (Reported where the processor calls the method that uses the pool.)
    expect(ids(system('await this.queue?.close();'))).toEqual([[12, 'deferredUse']]);
  });

  it('a close that is not awaited lets the active jobs run on: reported', () => {
    expect(ids(system('for (const name in this.queues) void this.queues[name].close();\n    void this.queue?.close();'))).toEqual([
      [12, 'deferredUse'],
      [14, 'deferredUse'],
    ]);
  });
});

describe('a method that clears the field, called from a listener given in the store itself', () => {
  /** xbox local API (twenty-first triage; its real file lost the report in the twenty-ninth session and has it back, checked by relint — this reduction is reported either way). */
  it('counterpart: runs once the socket is stored, not to make it — the clear without close() is reported', () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export class Console {
        private socket: dgram.Socket | null = null;
        private reset(): void {
          this.socket = null;
        }
        connect(): void {
          this.socket = dgram.createSocket('udp4').on('close', () => this.reset());
          this.socket.bind(5050);
        }
        disconnect(): void {
          this.socket?.close();
        }
        onTimeout(): void {
          this.reset();
        }
      }
    `;
    expect(ids(code)).toEqual([[8, 'leak']]);
  });
});
