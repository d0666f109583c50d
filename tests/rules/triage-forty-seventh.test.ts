/**
 * Shapes found in the forty-seventh session (the forty-first triage), each reduced to its general mechanism, with the
 * counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

/** Line and message id of each message. */
const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a class that stops one of its serving servers and never the other', () => {
  const tunnel = (close: string): string => ts`
    import * as http from 'node:http';
    import * as https from 'node:https';
    const handler = (_req: http.IncomingMessage, res: http.ServerResponse): void => {
      res.end('ok');
    };
    export class TunnelServer {
      private server: http.Server | null = null;
      private secureServer: https.Server | null = null;
      start(ssl: boolean): void {
        this.server = http.createServer(handler).listen(3000);
        if (ssl) this.secureServer = https.createServer({}, handler).listen(443);
      }
      close(): void {
        ${close}
      }
    }
  `;

  it('close() closes the plain server only: the secure one is reported', () => {
    expect(ids(tunnel('this.server?.close();'))).toEqual([[11, 'fieldNeverReleased']]);
  });

  it('both closed, or neither (both serve for the life of the process): not reported', () => {
    expect(ids(tunnel('this.server?.close(); this.secureServer?.close();'))).toEqual([]);
    expect(ids(tunnel('console.log("bye");'))).toEqual([]);
  });

  it('the other field a client socket the class releases: the server still serves for the process', () => {
    const code = ts`
      import * as http from 'node:http';
      import * as net from 'node:net';
      export class Relay {
        private server: http.Server | null = null;
        private upstream: net.Socket | null = null;
        start(): void {
          this.server = http.createServer((_req, res) => res.end('ok')).listen(3000);
          this.upstream = net.connect(4000, '127.0.0.1');
        }
        reset(): void {
          this.upstream?.destroy();
          this.upstream = null;
        }
      }
    `;
    expect(ids(code)).toEqual([]);
  });
});

describe('a store in a private method that runs once, or after its caller released the field', () => {
  const chain = (extra: string): string => ts`
    import net from 'node:net';
    export class Client {
      private sock: net.Socket | null = null;
      constructor(private port: number) {
        this.createSocket();
      }
      private createSocket(): void {
        if (this.port > 0) this.initSocket();
        else this.sock = net.connect(1);
      }
      private initSocket(): void {
        this.sock = net.connect(this.port);
        this.sock.on('error', () => {});
      }
      close(): void {
        this.sock?.destroy();
        this.sock = null;
      }
      ${extra}
    }
  `;

  it('constructor → createSocket() → initSocket(): runs once, not reported', () => {
    expect(ids(chain(''))).toEqual([]);
  });

  it('initSocket() also called by a public method that does not release the field first: reported', () => {
    expect(ids(chain('retry(): void { this.initSocket(); }'))).toEqual([[12, 'fieldOverwritten']]);
  });

  const release = (reconnect: string): string => ts`
    import net from 'node:net';
    export class Client {
      private sock: net.Socket | null = null;
      constructor(private host: string, private port: number) {
        if (port > 0) this.initSocket();
        else this.sock = net.connect(1);
      }
      private initSocket(): void {
        this.sock = new net.Socket();
        this.sock.on('error', () => {});
      }
      private closeSocket(): void {
        this.sock?.destroy();
        this.sock = null;
      }
      reconnect(): void {
        ${reconnect}
        this.sock!.connect(this.port, this.host);
      }
    }
  `;

  it('every other caller releases the field through a method first: not reported', () => {
    expect(ids(release('this.closeSocket(); this.initSocket();'))).toEqual([]);
  });

  it('a caller that stores without releasing first: reported', () => {
    expect(ids(release('this.initSocket();'))).toEqual([[9, 'fieldOverwritten']]);
  });

  it("the constructor's own store on the other branch of the if that calls it: not before the call, not reported", () => {
    const code = release('this.closeSocket(); this.initSocket();').replace('if (port > 0) this.initSocket();\n    else this.sock = net.connect(1);', 'if (port <= 0) this.sock = net.connect(1);\n    else this.initSocket();');
    expect(code).toContain('if (port <= 0) this.sock = net.connect(1);');
    expect(ids(code)).toEqual([]);
  });

  it('a store in the constructor before the call: the private method may replace an open socket', () => {
    const code = release('this.closeSocket(); this.initSocket();').replace('if (port > 0) this.initSocket();\n    else this.sock = net.connect(1);', 'this.sock = net.connect(1);\n    this.initSocket();');
    expect(ids(code)).toEqual([[9, 'fieldOverwritten']]);
  });
});

describe("a completion callback that returns early on `err != null`", () => {
  const store = (guard: string): string => ts`
    import * as pg from 'pg';
    export class Store {
      db: pg.Pool;
      constructor(url: string) {
        this.db = new pg.Pool({ connectionString: url });
      }
      init(callback: (err?: Error) => void): void {
        this.db.query('SELECT 1', (err) => {
          ${guard}
          this.db.query('CREATE TABLE IF NOT EXISTS store (k text)', (e) => callback(e ?? undefined));
        });
      }
      close(callback: () => void): void {
        this.db.end(callback);
      }
    }
  `;

  it('`if (err != null) return`, `if (err !== undefined && err !== null) return`-style guards: the query succeeded, not reported', () => {
    expect(ids(store('if (err != null) return callback(err);'))).toEqual([]);
    expect(ids(store('if (null != err) return callback(err);'))).toEqual([]);
  });

  it('no guard, or one that returns on success: reported', () => {
    expect(ids(store('console.log(err);'))).toEqual([[10, 'deferredUse']]);
    expect(ids(store('if (err == null) return callback();'))).toEqual([[10, 'deferredUse']]);
  });
});

describe('functions pushed into a local array that goes to a runner', () => {
  const bulk = (holder: string, push: string): string => ts`
    import * as pg from 'pg';
    declare const runParallel: (tasks: Array<(cb: (err?: Error | null) => void) => void>, done: (err?: Error | null) => void) => void;
    export class Store {
      db: pg.Pool;
      pending: Array<(cb: (err?: Error | null) => void) => void> = [];
      constructor(url: string) {
        this.db = new pg.Pool({ connectionString: url });
      }
      doBulk(sqls: string[], callback: (err?: Error | null) => void): void {
        ${holder}
        for (const sql of sqls) {
          ${push}((cb) => {
            this.db.query(sql, (err) => cb(err));
          });
        }
        runParallel(this.pending, callback);
      }
      close(callback: () => void): void {
        this.db.end(callback);
      }
    }
  `;

  it('`const tasks = []; tasks.push(fn)`: stored as in an array literal, not reported', () => {
    expect(ids(bulk('const tasks: typeof this.pending = [];', 'tasks.push').replace('runParallel(this.pending', 'runParallel(tasks'))).toEqual([]);
  });

  it('pushed into a field (a queue the class runs later): reported', () => {
    expect(ids(bulk('', 'this.pending.push'))).toEqual([[13, 'deferredUse']]);
  });
});

describe('a server field cleared when its awaited listen() fails', () => {
  const proxy = (executor: string): string => ts`
    import * as net from 'node:net';
    export class LocalProxy {
      private server?: net.Server;
      async start(port: number): Promise<void> {
        if (this.server) return;
        this.server = net.createServer((socket) => socket.end());
        this.server.on('error', (e) => console.error(e));
        try {
          await new Promise<void>((resolve, reject) => {
            ${executor}
          });
        } catch (error) {
          this.server = undefined;
          throw error;
        }
      }
      stop(): void {
        this.server?.close();
        this.server = undefined;
      }
    }
  `;

  it("the promise rejects only on the server's 'error' around its listen(): a failed listen holds nothing, not reported", () => {
    expect(ids(proxy("this.server!.once('error', reject); this.server!.listen(port, '127.0.0.1', () => { this.server!.off('error', reject); resolve(); });"))).toEqual([]);
  });

  it('the executor also calls something else that may throw after the listen: reported', () => {
    expect(ids(proxy("this.server!.once('error', reject); this.server!.listen(port, '127.0.0.1', () => resolve()); JSON.parse(String(port));"))).toEqual([[6, 'leak']]);
  });
});

describe('a variable that its storing function releases before it returns, cleared elsewhere', () => {
  const code = (tail: string): string => ts`
    import * as net from 'node:net';
    let sock: net.Socket | undefined;
    function clear(): void {
      sock = undefined;
    }
    export function send(port: number, line: string): void {
      sock = net.connect(port, '127.0.0.1');
      sock.on('error', () => {});
      ${tail}
    }
    export function reset(): void {
      clear();
    }
  `;

  it('ended right after the store: the clear drops nothing, not reported', () => {
    expect(ids(code('sock.end(line);'))).toEqual([]);
  });

  it('only written to: the clear drops it open, reported', () => {
    expect(ids(code('sock.write(line);')).map(([l, id]) => [l, id])).toContainEqual([7, 'leak']);
  });
});

describe("a repository constructor given the client's database, the client closed by the function itself", () => {
  const handler = (tail: string): string => ts`
    import { Db, MongoClient } from 'mongodb';
    declare class JobRepository {
      constructor(db: Db, logger: Console);
      getJobById(id: string): Promise<{ user: string } | null>;
    }
    export async function notifyProgress(url: string, jobId: string): Promise<number> {
      const client = new MongoClient(url);
      await client.connect();
      const jobs = new JobRepository(client.db('jobs'), console);
      const job = await jobs.getJobById(jobId);
      if (!job) {
        return 404;
      }
      ${tail}
      return 200;
    }
  `;

  it('closed after the early return: the constructor only borrowed it, the early return leaks it', () => {
    expect(ids(handler('await client.close();'))).toEqual([[7, 'leak']]);
  });

  it('never closed by the function: handed to the repository, not reported', () => {
    expect(ids(handler(''))).toEqual([]);
  });

  it('closed only in the catch of a try around the construction: taken over on success, not reported', () => {
    const code = handler('').replace(
      "const jobs = new JobRepository(client.db('jobs'), console);",
      "let jobs: JobRepository;\n  try {\n    jobs = new JobRepository(client.db('jobs'), console);\n  } catch (e) {\n    await client.close();\n    throw e;\n  }",
    );
    expect(ids(code)).toEqual([]);
  });
});

describe('a wrapper made around the socket, which the function destroys only when a later step fails', () => {
  it('`const bridge = new Bridge(socket); try { await bridge.send(); return bridge; } catch { socket.destroy(); throw e; }`: taken over, not reported', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Bridge {
        constructor(private readonly socket: net.Socket) {}
        send(msg: string): Promise<void> {
          return new Promise((resolve) => this.socket.write(msg, () => resolve()));
        }
        close(): void {
          this.socket.destroy();
        }
        static async connect(path: string): Promise<Bridge> {
          const socket = net.createConnection(path);
          const bridge = new Bridge(socket);
          try {
            await bridge.send('hello');
            return bridge;
          } catch (error) {
            socket.destroy();
            throw error;
          }
        }
      }
    `;
    expect(ids(code)).toEqual([]);
  });
});

describe("an http.Server's 'upgrade' or 'connect' listener owns the socket it is given", () => {
  const dashboard = (body: string, extra = ''): string => ts`
    import * as http from 'node:http';
    import type { Duplex } from 'node:stream';
    import { WebSocketServer } from 'ws';
    export class Dashboard {
      server: http.Server | null = null;
      clients = new Set<Duplex>();
      start(port: number): void {
        this.server = http.createServer((_req, res) => {
          res.end('ok');
        });
        this.server.listen(port);
        this.server.on('upgrade', (request, socket, head) => {
          ${body}
        });
        ${extra}
      }
    }
  `;
  const keep = "if (request.url === '/ws') { this.clients.add(socket); socket.on('close', () => this.clients.delete(socket)); }";

  it('kept for one path, left open for every other: reported at the registration', () => {
    expect(ids(dashboard(keep))).toEqual([[12, 'leak']]);
  });

  it('destroyed on the other paths, or handed to a WebSocket server: not reported', () => {
    expect(ids(dashboard(`${keep} else socket.destroy();`))).toEqual([]);
    expect(ids(dashboard("if (request.url !== '/ws') { socket.end('HTTP/1.1 404 Not Found\\r\\n\\r\\n'); return; } this.clients.add(socket);"))).toEqual([]);
    expect(ids(dashboard("if (request.url === '/ws') this.clients.add(socket); else request.destroy();"))).toEqual([]);
  });

  it('another listener of the event, or the server handed to other code that may add one: not reported', () => {
    expect(ids(dashboard(keep, "this.server.on('upgrade', (req, socket) => { if (req.url === '/metrics') socket.end(); });"))).toEqual([]);
    expect(ids(dashboard(keep, 'new WebSocketServer({ server: this.server });'))).toEqual([]);
  });

  it('an exported server (other modules may add listeners): not reported', () => {
    const code = ts`
      import * as http from 'node:http';
      export const server = http.createServer((_req, res) => res.end('ok'));
      server.on('upgrade', (req, socket) => {
        if (req.url === '/ws') socket.end();
      });
      server.listen(8080);
    `;
    expect(ids(code)).toEqual([]);
    expect(ids(code.replace('export const server', 'const server'))).toEqual([[3, 'leak']]);
  });

  it("a CONNECT proxy that pipes the client's socket, and ends it when the upstream fails: not reported", () => {
    const code = ts`
      import * as http from 'node:http';
      import * as net from 'node:net';
      export function proxy(): void {
        const server = http.createServer((_q, s) => s.end());
        server.on('connect', (req, clientSocket, head) => {
          const { port, hostname } = new URL('http://' + req.url);
          const upstream = net.connect(Number(port) || 80, hostname, () => {
            clientSocket.write('HTTP/1.1 200 Connection Established\\r\\n\\r\\n');
            upstream.write(head);
            upstream.pipe(clientSocket);
            clientSocket.pipe(upstream);
          });
          upstream.on('error', () => clientSocket.end());
          clientSocket.on('error', () => upstream.destroy());
        });
        server.listen(8080);
      }
    `;
    expect(ids(code)).toEqual([]);
  });
});

describe("a helper of the file that awaits an operation on another resource of the function", () => {
  const connect = (helperBody: string): string => ts`
    import Redis from 'ioredis';
    async function subscribeChannel(client: Redis, channel: string): Promise<void> {
      ${helperBody}
    }
    export async function connect(url: string, channel: string): Promise<{ publisher: Redis; subscriber: Redis }> {
      const publisher = new Redis(url);
      const subscriber = new Redis(url);
      await subscribeChannel(subscriber, channel);
      return { publisher, subscriber };
    }
  `;

  it('its rejection leaves the publisher made before it open, as the subscriber: both reported', () => {
    expect(ids(connect('await client.subscribe(channel);'))).toEqual([
      [6, 'leak'],
      [7, 'leak'],
    ]);
  });

  it('a helper that does nothing that can reject with the client: neither reported', () => {
    expect(ids(connect('console.log(client.status, channel);'))).toEqual([]);
  });
});

describe('a STARTTLS upgrade stored back into the field', () => {
  const smtp = (upgrade: string, extra = ''): string => ts`
    import * as net from 'node:net';
    import * as tls from 'node:tls';
    export class Smtp {
      private socket: net.Socket | tls.TLSSocket | null = null;
      connect(host: string): void {
        this.socket = net.createConnection({ host, port: 25 });
        this.socket.once('data', () => {
          ${upgrade}
        });
      }
      send(cmd: string): void {
        this.socket?.write(cmd + '\\r\\n');
      }
      ${extra}
    }
  `;

  it('nothing in the class releases the field: reported, as without the upgrade', () => {
    expect(ids(smtp('this.socket = tls.connect({ socket: this.socket!, host });'))).toEqual([[6, 'fieldNeverReleased']]);
    expect(ids(smtp('const secure = tls.connect({ socket: this.socket!, host }, () => { this.socket = secure; });'))).toEqual([[6, 'fieldNeverReleased']]);
    expect(ids(smtp('this.send("STARTTLS");'))).toEqual([[6, 'fieldNeverReleased']]);
  });

  it('a quit() that ends the field: not reported', () => {
    expect(ids(smtp('this.socket = tls.connect({ socket: this.socket!, host });', 'quit(): void { this.socket?.end(); this.socket = null; }'))).toEqual([]);
  });

  it('the wrapper handed elsewhere instead of stored back: the field is handed off, not reported', () => {
    expect(ids(smtp('register(tls.connect({ socket: this.socket!, host }));').replace('export class', 'declare function register(s: tls.TLSSocket): void;\nexport class'))).toEqual([]);
  });
});

describe('a method of the class that only lends its parameter as an option', () => {
  const service = (helper: string): string => ts`
    import { ClientSession, Collection, MongoClient } from 'mongodb';
    export class ThingService {
      constructor(private readonly client: MongoClient, private readonly things: Collection) {}
      async isExist(filter: object, session?: ClientSession): Promise<unknown> {
        ${helper}
      }
      async remove(id: string): Promise<string> {
        const session = this.client.startSession();
        session.startTransaction();
        await this.isExist({ id }, session);
        await session.commitTransaction();
        return 'deleted';
      }
    }
  `;

  it('`{ session }` in the options of a call: borrowed, the caller still owns it and leaks it', () => {
    expect(ids(service('return this.things.findOne(filter, { session });'))).toEqual([[8, 'leak']]);
  });

  it('the method keeps it (stores it on an object it returns): handed off, not reported', () => {
    expect(ids(service('return { filter, session };'))).toEqual([]);
  });
});

describe("a helper of the file that releases its parameter through the socket's self-returning methods", () => {
  const tunnel = (release: string): string => ts`
    import * as net from 'node:net';
    function destroyConnection(socket: net.Socket): void {
      ${release}
    }
    export function tunnel(socket: net.Socket, port: number): void {
      const upstream = net.connect({ port });
      upstream.on('error', () => socket.destroy());
      socket.once('close', () => destroyConnection(upstream));
      socket.pipe(upstream).pipe(socket);
    }
  `;

  it('`socket.unref().destroy()`, `socket.setNoDelay(false).end()`: releases, not reported', () => {
    expect(ids(tunnel('socket.unref().destroy();'))).toEqual([]);
    expect(ids(tunnel('socket.setNoDelay(false).end();'))).toEqual([]);
  });

  it('`socket.unref()` alone: no release, reported', () => {
    expect(ids(tunnel('socket.unref();'))).toEqual([[6, 'leak']]);
  });
});

describe("a listener of the socket that stores that same socket in a field", () => {
  const adapter = (listener: string): string => ts`
    import { createClient } from 'redis';
    type Client = ReturnType<typeof createClient>;
    export class RedisAdapter {
      private conn?: Client;
      constructor(private readonly url: string) {}
      open(): void {
        const client = createClient({ url: this.url });
        client.on('error', (err) => console.error(err));
        void client.connect();
        client.on('ready', () => {
          ${listener}
        });
      }
      async close(): Promise<void> {
        await this.conn?.close();
        this.conn = undefined;
      }
    }
  `;

  it("the 'ready' listener re-stores its own client after each reconnect: no overwrite, not reported", () => {
    expect(ids(adapter('this.conn = client;'))).toEqual([]);
  });

  it('a listener that stores a new client each time it runs: reported (and the client it listens to, kept nowhere)', () => {
    expect(ids(adapter('this.conn = createClient({ url: this.url });'))).toEqual([
      [7, 'leak'],
      [11, 'fieldOverwritten'],
    ]);
  });
});

describe("node-redis connect() rejects only once the client holds nothing", () => {
  const open = (settle: string): string => ts`
    import { createClient } from 'redis';
    export function open(url: string): Promise<ReturnType<typeof createClient>> {
      return new Promise((resolve, reject) => {
        const client = createClient({ url });
        ${settle}
        client.on('ready', () => resolve(client));
      });
    }
  `;

  it('`client.connect().catch(reject)`: nothing open, not reported', () => {
    expect(ids(open("client.on('error', (err) => console.error(err));\n    client.connect().catch(reject);"))).toEqual([]);
  });

  it("an 'error' listener that rejects while the client keeps reconnecting: reported", () => {
    expect(ids(open("client.on('error', (err) => reject(err));\n    void client.connect();"))).toEqual([[4, 'leak']]);
  });
});

describe("a short-lived server whose request handler settles the executor's promise without closing it", () => {
  const callback = (onError: string, onCode = "res.end('ok'); resolve(code); setTimeout(() => server.close(), 3000);"): string => ts`
    import { createServer } from 'node:http';
    export function waitForCallback(port: number): Promise<string> {
      return new Promise<string>((resolve, reject) => {
        const server = createServer((req, res) => {
          const code = new URL(req.url || '', 'http://localhost').searchParams.get('code');
          if (code) {
            ${onCode}
          } else {
            res.writeHead(400);
            res.end('failed');
            ${onError}
          }
        });
        server.listen(port, '127.0.0.1');
      });
    }
  `;

  it('rejects on an error callback and keeps listening: reported at the server', () => {
    const messages = lintWithPlugin(callback("reject(new Error('no code'));"));
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[4, 'leak']]);
    expect(messages[0]?.message).toContain('when its request handler settles the promise at line 11 (reject()) without closing it');
  });

  it('closed before or after each settle: not reported', () => {
    expect(ids(callback("server.close(); reject(new Error('no code'));"))).toEqual([]);
    expect(ids(callback("reject(new Error('no code'));\n        server.close();"))).toEqual([]);
  });

  it('a server that nothing closes serves for the process: not reported', () => {
    expect(ids(callback("reject(new Error('no code'));", "res.end('ok'); resolve(code);"))).toEqual([]);
  });
});

describe('a module chosen by a `let` that nothing assigns again', () => {
  it("`let lib = secure ? https : http; lib.request(…)`: the request is checked, as with const", () => {
    const code = ts`
      import http from 'node:http';
      import https from 'node:https';
      export function fetchText(url: string, timeout: number, done: (s: string) => void): void {
        let lib = url.startsWith('https://') ? https : http;
        const req = lib.request(url, { timeout }, (res) => res.on('end', () => done('ok')));
        req.on('timeout', () => done('timeout'));
        req.on('error', () => done('error'));
        req.end('x');
      }
    `;
    expect(ids(code)).toEqual([[6, 'timeoutNotReleased']]);
  });
});

describe('a state test `this.ws && this.ws.readyState === 1` returned by a method of the class', () => {
  const transport = (test: string): string => ts`
    import WebSocket from 'ws';
    export class Transport {
      private ws: WebSocket | null = null;
      isConnected(): boolean | null {
        return ${test};
      }
      connect(url: string): void {
        this.ws = new WebSocket(url);
        this.ws.on('message', (d) => console.log(String(d)));
      }
      disconnect(): void {
        if (this.isConnected()) this.ws!.close();
        this.ws = null;
      }
    }
  `;

  it('gives the field on only when it is empty: a socket still connecting is dropped, reported', () => {
    expect(ids(transport('this.ws && this.ws.readyState === 1'))).toEqual([[8, 'leak']]);
    expect(ids(transport('!!this.ws && this.ws.readyState === 1'))).toEqual([[8, 'leak']]);
  });

  it('a release on every path: not reported', () => {
    expect(ids(transport('this.ws !== null').replace('if (this.isConnected()) this.ws!.close();', 'this.ws?.close();'))).toEqual([]);
  });
});
