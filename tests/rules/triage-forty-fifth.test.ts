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

describe('a promise the entry function awaits in place, whose rejection ends the process', () => {
  const script = (awaitWrap: (expr: string) => string, onFailure: string): string => ts`
    import WebSocket from 'ws';
    async function main(url: string): Promise<void> {
      ${awaitWrap(`const ws = await new Promise<WebSocket>((resolve, reject) => {
        const socket = new WebSocket(url);
        const t = setTimeout(() => reject(new Error('connect timeout')), 5000);
        socket.on('open', () => { clearTimeout(t); resolve(socket); });
        socket.on('error', (err) => { clearTimeout(t); reject(err); });
      });
      try {
        ws.send('hello');
      } finally {
        ws.close();
      }`)}
    }
    main(process.argv[2]).catch((err: Error) => {
      ${onFailure}
    });
  `;

  it('outside any try, with a catch that exits: the connecting socket goes with the process', () => {
    expect(ids(script((e) => e, "process.stderr.write(`${err.message}\\n`);\n      process.exit(1);"))).toEqual([]);
  });

  it('a catch that only logs, or a try in the entry function that catches the rejection: reported at the socket', () => {
    expect(ids(script((e) => e, 'console.error(err);'))).toEqual([[4, 'leak']]);
    expect(ids(script((e) => `try {\n${e}\n} catch (e) { console.error(e); }`, 'process.exit(1);'))).toEqual([[5, 'leak']]);
  });
});

describe("an untyped server's 'listening' comes once per listen()", () => {
  it('a server made in that listener, serving requests, is not reported; made in a repeated event it is', () => {
    const code = (event: string): string => ts`
      import * as http from 'node:http';
      export function start(outer: any, page: string): void {
        outer.on('${event}', () => {
          const gui = new http.Server();
          gui.listen(() => console.log(gui.address()));
          gui.on('error', (e) => console.log(e));
          gui.on('request', (_req, res) => { res.end(page); });
        });
      }
    `;
    expect(ids(code('listening'))).toEqual([]);
    expect(ids(code('message')).map(([, id]) => id)).toEqual(['leak']);
  });
});

describe("a request's 'continue' and 'socket' come once: a listener that ends the request cannot run after that end", () => {
  const request = (event: string): string => ts`
    import * as http from 'node:http';
    export function put(port: number, body: string, cb: (status?: number) => void): void {
      const req = http.request({ port, method: 'PUT', headers: { Expect: '100-continue' } }, (res) => {
        res.resume();
        res.on('end', () => cb(res.statusCode));
      });
      req.on('error', () => cb());
      req.flushHeaders();
      req.on('${event}', () => req.end(body));
    }
  `;

  it("'continue', 'socket': not reported; 'information' (each 1xx) is", () => {
    expect(ids(request('continue'))).toEqual([]);
    expect(ids(request('socket'))).toEqual([]);
    expect(ids(request('information')).map(([, id]) => id)).toEqual(['deferredUse']);
  });
});

describe("a method that runs only as a terminal listener of the connection: emptying a collection there is cleanup", () => {
  const manager = (register: string, extra = ''): string => ts`
    import * as amqp from 'amqplib';
    export class Manager {
      private connection: amqp.ChannelModel | null = null;
      private channels = new Map<string, amqp.Channel>();
      async connect(url: string): Promise<void> {
        this.connection = await amqp.connect(url);
        ${register}
      }
      async createChannel(id: string): Promise<amqp.Channel> {
        if (!this.connection) throw new Error('not connected');
        const ch = await this.connection.createChannel();
        this.channels.set(id, ch);
        return ch;
      }
      onError(err: Error): void {
        console.error(err);
        this.channels.clear();
      }
      onClose(): void {
        this.channels.clear();
      }
      ${extra}
      async close(): Promise<void> {
        for (const ch of this.channels.values()) await ch.close();
        this.channels.clear();
        if (this.connection) await this.connection.close();
      }
    }
  `;

  it("bound, or called from an inline 'close'/'error' listener: not reported", () => {
    expect(ids(manager("this.connection.on('error', this.onError.bind(this));\n        this.connection.on('close', this.onClose.bind(this));"))).toEqual([]);
    expect(ids(manager("this.connection.on('error', (e) => this.onError(e));\n        this.connection.on('close', () => this.onClose());"))).toEqual([]);
  });

  it('the same method also called from an ordinary method drops open channels there: reported', () => {
    const code = manager("this.connection.on('close', this.onClose.bind(this));", 'reset(): void {\n        this.onClose();\n      }');
    expect(ids(code).map(([line, id]) => [line, id])).toContainEqual([20, 'leak']);
  });
});

describe('a short-lived server around an awaited method of the file whose promise cannot reject', () => {
  const service = (write: string): string => ts`
    import * as net from 'node:net';
    export class Service {
      constructor(private socket: net.Socket) {}
      private write(msg: Buffer): Promise<void> {
        ${write}
      }
      private read(size: number): Promise<Buffer> {
        return new Promise((resolve) => {
          this.socket.once('readable', () => resolve(this.socket.read(size)));
        });
      }
      async deliver(msg: Buffer, path: string): Promise<void> {
        const listenServer = net.createServer(() => undefined);
        listenServer.listen(path);
        await this.write(msg);
        try {
          await this.read(4);
        } finally {
          listenServer.close();
        }
      }
    }
  `;

  it('Promise.resolve() or an executor that never reads its reject: not reported', () => {
    expect(ids(service(`if (this.socket.write(msg)) return Promise.resolve();
        return new Promise((resolve, reject) => { this.socket.once('drain', () => resolve()); });`))).toEqual([]);
  });

  it('an executor that rejects, or an async method: reported at the server', () => {
    expect(ids(service(`return new Promise((resolve, reject) => { this.socket.write(msg, (e) => (e ? reject(e) : resolve())); });`))).toEqual([[13, 'leak']]);
    expect(ids(service('return Promise.reject(new Error(String(msg.length)));'))).toEqual([[13, 'leak']]);
  });
});

describe('a release followed by a call of a method that stores a new socket in the field: a timer armed after uses the new one', () => {
  const registrar = (restart: string): string => ts`
    import * as dgram from 'node:dgram';
    export class Registrar {
      private sock: dgram.Socket | null = null;
      async start(): Promise<void> {
        return new Promise((resolve) => {
          this.sock = dgram.createSocket('udp4');
          this.sock.on('error', () => {});
          this.sock.bind(5060, () => resolve());
        });
      }
      async ping(): Promise<void> {
        await new Promise((r) => setTimeout(r, 10));
      }
      register(): void {
        this.sock?.send('REGISTER', 5060, '127.0.0.1');
      }
      async recover(): Promise<void> {
        if (this.sock) this.sock.close();
        ${restart}
        setTimeout(() => {
          this.register();
        }, 2000);
      }
    }
  `;

  it('await this.start() after the close: not reported', () => {
    expect(ids(registrar('await this.start();'))).toEqual([]);
  });

  it('a method that stores nothing: reported', () => {
    expect(ids(registrar('await this.ping();')).map(([, id]) => id)).toEqual(['useAfterRelease']);
  });
});

describe("a method of the resource's own subclass, in another file, declared to resolve to it (Promise<this>)", () => {
  const use = (body: string): string => ts`
    import { createStaticServer } from './static-server';
    ${body}
  `;

  it('awaited into a variable closed in a finally, returned, or yielded by an async generator: not reported', () => {
    expect(ids(use(`export async function snapshot(work: () => Promise<void>): Promise<void> {
      let server;
      try {
        server = await createStaticServer().start();
        await work();
      } finally {
        await server?.close();
      }
    }`))).toEqual([]);
    expect(ids(use(`export function startStatic(): Promise<unknown> {
      return createStaticServer().start();
    }`))).toEqual([]);
    expect(ids(use(`export async function* snapshot(work: () => AsyncGenerator<string>): AsyncGenerator<unknown, void, any> {
      let server;
      try {
        server = yield createStaticServer().start();
        yield* work();
      } finally {
        await (server as { close(): unknown } | undefined)?.close();
      }
    }`))).toEqual([]);
  });

  it('a method resolving to something else, or the server awaited and dropped: reported', () => {
    expect(ids(use(`export async function portOf(): Promise<number> {
      return createStaticServer().port();
    }`))).toEqual([[3, 'leak']]);
    expect(ids(use(`export async function run(work: () => Promise<void>): Promise<void> {
      await createStaticServer().start();
      await work();
    }`))).toEqual([[3, 'leak']]);
  });
});

describe('a function whose every return gives a serving server, one of them through another function of the file', () => {
  const code = (fallbackHandler: string): string => ts`
    import * as http from 'node:http';
    function makeFallback(port: number): http.Server {
      const server = http.createServer(${fallbackHandler});
      server.listen(port);
      return server;
    }
    export function startWeb(port: number, fallback: boolean): http.Server {
      if (fallback) {
        return makeFallback(port);
      }
      const server = http.createServer((req, res) => { res.end('ok'); });
      server.listen(port);
      return server;
    }
    export function main(): void {
      startWeb(3000, process.env.MODE === 'off');
    }
  `;

  it('serves for the life of the process: the dropped result is not reported', () => {
    expect(ids(code("(req, res) => { res.end('off'); }"))).toEqual([]);
  });

  it('a fallback made without a handler: the dropped result is reported', () => {
    expect(ids(code('')).map(([, id]) => id)).toContain('leak');
  });
});

describe('a reconnect that makes the server only while its field is empty, and nothing on its way empties it', () => {
  const app = (onClose: string): string => ts`
    import WebSocket, { WebSocketServer } from 'ws';
    export class App {
      wss: WebSocketServer | null = null;
      timer?: NodeJS.Timeout;
      init(): void {
        this.wss = null;
        setTimeout(() => this.listen(), 1000);
      }
      listen(): void {
        if (this.wss === null) {
          this.wss = new WebSocketServer({ port: 6113 });
          this.wss.on('connection', (ws: WebSocket) => ws.on('message', (d) => console.log(String(d))));
          this.wss.on('close', () => {
            ${onClose}
            this.timer = setTimeout(() => this.listen(), 500);
          });
        }
      }
      stop(): void {
        if (this.wss !== null) this.wss.close();
      }
    }
  `;

  it('the retry after stop() makes nothing: not reported', () => {
    expect(ids(app(''))).toEqual([]);
  });

  it('the close listener empties the field first: the retry reopens, reported at the close()', () => {
    expect(ids(app('this.wss = null;'))).toEqual([[20, 'reconnectsAfterRelease']]);
  });
});

describe('a retry armed in the catch of a call that stores the server and then only waits for it to listen', () => {
  const listener = (tail: string): string => ts`
    import * as net from 'node:net';
    export class Listener {
      private server: net.Server | null = null;
      private attempts = 0;
      constructor(private readonly port: number, private readonly check: () => Promise<void>) {}
      private async start(): Promise<void> {
        this.server = net.createServer((s) => s.end('hi\\n'));
        await new Promise<void>((resolve, reject) => {
          this.server!.once('error', reject);
          this.server!.listen(this.port, '127.0.0.1', () => resolve());
        });
        ${tail}
      }
      async retry(): Promise<boolean> {
        this.attempts++;
        try {
          await this.start();
          this.attempts = 0;
          return true;
        } catch {
          if (this.attempts < 5) setTimeout(() => this.retry(), 1000 * this.attempts);
          return false;
        }
      }
      close(): void {
        this.server?.close();
        this.server = null;
      }
    }
  `;

  it('each retry replaces a server whose listen() failed: not reported', () => {
    expect(ids(listener(''))).toEqual([]);
  });

  it('another step that can reject after the server listens: the retry overwrites a listening server', () => {
    expect(ids(listener('await this.check();'))).toEqual([[7, 'fieldOverwritten']]);
  });
});

describe('a field of a class whose objects go to code the rule cannot see', () => {
  const tunnel = (handOver: string, header = ''): string => ts`
    import * as net from 'node:net';
    ${header}
    declare class Proxifier {
      constructor(opts: { tunnel: unknown });
    }
    declare function register(t: unknown): void;
    export class Tunnel {
      dst: net.Socket | undefined;
      constructor(readonly port: number) {}
      tcp(): void {
        this.dst = new net.Socket();
        this.dst.connect(this.port, '127.0.0.1');
        ${handOver}
      }
    }
  `;

  it('`this` handed to another module (in an options object or as an argument): not reported', () => {
    expect(ids(tunnel('new Proxifier({ tunnel: this });'))).toEqual([]);
    expect(ids(tunnel('register(this);'))).toEqual([]);
  });

  it('`this` only logged, bound to its own methods or copied into: still reported', () => {
    expect(ids(tunnel('console.log(this);')).map(([, id]) => id)).toEqual(['fieldNeverReleased']);
    expect(ids(tunnel('setInterval(this.tcp.bind(this), 1000);')).map(([, id]) => id)).toContain('fieldNeverReleased');
    expect(ids(tunnel('Object.assign(this, { port: 1 });')).map(([, id]) => id)).toEqual(['fieldNeverReleased']);
  });

  it('a class extending an untyped base: the base may release the field', () => {
    const code = ts`
      import * as net from 'node:net';
      declare const Base: any;
      export class Active extends Base {
        dataSocket: net.Socket | undefined;
        open(port: number): void {
          this.dataSocket = net.connect(port, '127.0.0.1');
        }
      }
    `;
    expect(ids(code)).toEqual([]);
    expect(ids(code.replace('declare const Base: any;', 'class Base {}')).map(([, id]) => id)).toEqual(['fieldNeverReleased']);
  });
});

describe('an awaited Promise.race() of the connection promise and a timeout promise', () => {
  const connect = (timeout: string, combinator = 'race'): string => ts`
    import * as net from 'node:net';
    export async function connectWithTimeout(port: number, ms: number): Promise<net.Socket> {
      const socket = net.connect(port, '127.0.0.1');
      await Promise.${combinator}([
        new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('error', reject);
        }),
        ${timeout},
      ]);
      return socket;
    }
  `;

  it('the timeout rejects while the socket is still connecting: reported at the socket', () => {
    const messages = lintWithPlugin(connect("new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))"));
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[3, 'leak']]);
    expect(messages[0].message).toMatch(/the timer at line 9 rejects the promise awaited at line 4/);
  });

  it('a timeout that destroys the socket before rejecting, one that resolves, or Promise.any(): not reported', () => {
    expect(ids(connect("new Promise<never>((_, reject) => setTimeout(() => { socket.destroy(); reject(new Error('timeout')); }, ms))"))).toEqual([]);
    expect(ids(connect('new Promise<void>((resolve) => setTimeout(resolve, ms))'))).toEqual([]);
    expect(ids(connect("new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), ms))", 'any'))).toEqual([]);
  });

  it("a listener of the client that rejects the raced promise: reported as when awaited directly", () => {
    const code = ts`
      import * as ssh2 from 'ssh2';
      export async function open(host: string, username: string): Promise<ssh2.Client> {
        const conn = new ssh2.Client();
        await Promise.race([
          new Promise<void>((resolve, reject) => {
            conn.on('ready', resolve);
            conn.on('error', reject);
            conn.on('banner', (message) => {
              if (message.includes('denied')) reject(new Error('wrong user'));
            });
            conn.connect({ host, username });
          }),
        ]);
        return conn;
      }
    `;
    expect(ids(code)).toEqual([[3, 'leak']]);
  });
});

describe('the completion callback of an operation, released later in the same run: the callback runs after the release', () => {
  const pgCode = (afterCall: string): string => ts`
    import pg from 'pg';
    const pool = new pg.Pool();
    export function settle(userId: string, amount: number): void {
      pool.connect().then(async (client) => {
        client.query('select won from users where id = $1', [userId], (err, res) => {
          client.query('update users set won = $1 where id = $2', [res.rows[0].won + amount, userId]);
        });
        ${afterCall}
      }).catch((err) => console.error(err));
    }
  `;

  it('a query in the callback of a query, the client released right after: reported at the inner query', () => {
    const messages = lintWithPlugin(pgCode('client.release();'));
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[6, 'deferredUse']]);
    expect(messages[0].message).toMatch(/inside the callback of query\(\) at line 5, which can run after it is released \(release\(\) at line 8\)/);
  });

  it('an await in between, or no release in that run: not reported', () => {
    expect(ids(pgCode("await new Promise((r) => setTimeout(r, 10));\n        client.release();"))).toEqual([]);
    expect(ids(pgCode(''))).toEqual([[4, 'leak']]); // never released: a leak, no use after a release
  });

  it('a socket written again from a write callback, ended right after the first write: reported', () => {
    const code = ts`
      import * as net from 'node:net';
      export function send(sock: net.Socket, a: string, b: string): void {
        sock.write(a, () => sock.write(b));
        sock.end();
      }
    `;
    expect(ids(code)).toEqual([[3, 'deferredUse']]);
  });
});

describe("a peer socket's 'error' listener runs before its 'close' listener: it does not cover the close that comes alone", () => {
  const relay = (onError: string): string => ts`
    import type * as net from 'node:net';
    import WebSocket from 'ws';
    export function relay(socket: net.Socket, url: string): void {
      const c = new WebSocket(url);
      c.on('open', () => {
        socket.on('data', (d) => c.send(d));
      });
      c.on('close', () => socket.end());
      socket.on('close', () => {
        if (c.readyState === WebSocket.OPEN) c.close(1000);
      });
      ${onError}
    }
  `;

  it("the 'close' listener releases only an open WebSocket: one still connecting stays open (with or without an 'error' listener)", () => {
    expect(ids(relay(''))).toEqual([[4, 'leak']]);
    expect(ids(relay("socket.on('error', () => {\n        if (c.readyState === WebSocket.OPEN) c.close(1000);\n        socket.destroy();\n      });"))).toEqual([[4, 'leak']]);
  });

  it('a timer that terminates it: no leak reported', () => {
    expect(ids(relay('setTimeout(() => c.terminate(), 5000);')).filter(([, id]) => id === 'leak')).toEqual([]);
  });
});

describe("a UDP listener whose own 'error' listener makes the next one without closing it", () => {
  const listener = (onError: string): string => ts`
    import * as dgram from 'node:dgram';
    export function listen(port: number, onValue: (v: number) => void): void {
      const client = dgram.createSocket('udp4');
      client.on('message', (msg) => onValue(msg.readUInt32BE(0)));
      client.bind(port);
      client.on('error', () => {
        ${onError}
      });
    }
  `;

  it('an error leaves the dgram socket open: each retry adds one (reported at the socket)', () => {
    const messages = lintWithPlugin(listener('setTimeout(() => listen(port, onValue), 2000);'));
    expect(messages.map((m) => [m.line, m.messageId])).toEqual([[3, 'leak']]);
    expect(messages[0].message).toMatch(/its 'error' listener at line 6 runs listen\(\) again without releasing it/);
    expect(ids(listener('listen(port, onValue);'))).toEqual([[3, 'leak']]);
  });

  it('closed before the retry, or an error listener that only logs: not reported', () => {
    expect(ids(listener('client.close();\n        setTimeout(() => listen(port, onValue), 2000);'))).toEqual([]);
    expect(ids(listener('console.error(port);'))).toEqual([]);
  });
});

describe('a store in a timer armed by the socket\'s onclose handler property replaces a closed socket', () => {
  it('`this.ws.onclose = () => setTimeout(() => { this.ws = new WebSocket(url) })`: not reported, as with addEventListener', () => {
    const code = (register: string): string => ts`
      const url = 'ws://127.0.0.1:8180';
      export class Feed {
        private ws: WebSocket;
        private ready = false;
        constructor() {
          this.ws = new WebSocket(url);
          this.init();
        }
        stop(): void {
          this.ws.close();
        }
        private init(): void {
          ${register}
        }
      }
    `;
    expect(ids(code("this.ws.onclose = () => {\n            this.ready = false;\n            setTimeout(() => {\n              this.ws = new WebSocket(url);\n              this.init();\n            }, 2000);\n          };"))).toEqual([]);
    expect(ids(code("this.ws.onmessage = () => {\n            setTimeout(() => {\n              this.ws = new WebSocket(url);\n              this.init();\n            }, 2000);\n          };")).map(([, id]) => id)).toContain('fieldOverwritten');
  });
});

describe('a function called where it is written (an IIFE) that makes and returns a socket is a creation there', () => {
  it('the socket it returns is checked in the function that calls it', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export function probe(port: number, skip: boolean): void {
        const s = (() => {
          const c = net.connect(port, '127.0.0.1');
          c.setNoDelay(true);
          return c;
        })();
        if (skip) return;
        s.end('PING\\n');
      }
    `)).toEqual([[3, 'leak']]);
    expect(ids(ts`
      import * as redis from 'redis';
      export async function acquire(url: string) {
        const client = function () {
          return redis.createClient({ url });
        }();
        await client.connect();
        if (!String(await client.info('server')).includes('redis_version:8')) throw new Error('redis too old');
        return client;
      }
    `)).toEqual([[3, 'leak']]);
  });

  it('released on every path, or an IIFE that returns a socket made elsewhere: not reported', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export function probe(port: number, skip: boolean): void {
        const s = (() => net.connect(port, '127.0.0.1'))();
        if (skip) {
          s.destroy();
          return;
        }
        s.end('PING\\n');
      }
    `)).toEqual([]);
    expect(ids(ts`
      import * as net from 'node:net';
      const shared = net.connect(7000, '127.0.0.1');
      export function current(): net.Socket {
        const s = (() => shared)();
        s.write('x');
        return s;
      }
    `)).toEqual([]);
  });
});

describe('the same two shapes as real code writes them', () => {
  it('the callback of a query made in an `if`, the client released after the `if`: reported', () => {
    expect(ids(ts`
      import pg from 'pg';
      const pool = new pg.Pool();
      export function stand(userId: string, won: number): void {
        pool.connect().then((client) => {
          if (won > 0) {
            client.query('select won from users where id = $1', [userId], (err, res) => {
              client.query('update users set won = $1 where id = $2', [res.rows[0].won + won, userId]);
            });
          }
          client.release();
        }).catch((err) => console.error(err));
      }
    `)).toEqual([[7, 'deferredUse']]);
  });

  it('an IIFE that returns the client from both branches of its last `if`: a creation', () => {
    expect(ids(ts`
      import * as redis from 'redis';
      export async function acquire(url: string, plain: boolean) {
        const client = (() => {
          const c = redis.createClient({ url });
          if (plain) return c;
          else return c;
        })();
        await client.connect();
        if (!String(await client.info('server')).includes('redis_version:8')) throw new Error('redis too old');
        return client;
      }
    `)).toEqual([[3, 'leak']]);
  });
});
