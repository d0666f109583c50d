/**
 * Shapes found by the twenty-seventh hand triage and the earlier triages' leftovers (thirty-third session), each
 * reduced to its general mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lineMessages, lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe("an ssh2 Client connected over a stream it was given (`connect({ sock })`)", () => {
  it('over a stream parameter (plain, or chained after a listener): the stream\'s owner closes it — no report', () => {
    const code = ts`
      import { Client } from 'ssh2';
      import type { Duplex } from 'node:stream';
      export function over(stream: Duplex): void {
        const c = new Client();
        c.on('ready', () => c.exec('ls', () => undefined));
        c.connect({ sock: stream, username: 'u' });
      }
      export function chained(stream: Duplex): void {
        const c = new Client();
        c.on('ready', () => c.exec('ls', () => undefined)).connect({ sock: stream, username: 'u' });
      }
    `;
    expect(ids(code)).toEqual([]);
  });

  it('over a socket the function opens itself, or over no given stream: still reported', () => {
    const code = ts`
      import * as net from 'node:net';
      import { Client } from 'ssh2';
      import type { Duplex } from 'node:stream';
      export function own(host: string): void {
        const sock = net.connect(22, host);
        const c = new Client();
        c.on('ready', () => c.exec('ls', () => undefined));
        c.connect({ sock, username: 'u' });
      }
      export function plain(host: string): void {
        const c = new Client();
        c.on('ready', () => c.exec('ls', () => undefined));
        c.connect({ host, username: 'u' });
      }
      export function other(stream: Duplex, host: string): void {
        const c = new Client();
        const d = new Client();
        c.on('ready', () => c.exec('ls', () => undefined));
        d.connect({ sock: stream, username: 'u' });
        c.connect({ host, username: 'u' });
        d.end();
      }
    `;
    expect(ids(code)).toEqual([
      [6, 'leak'],
      [11, 'leak'],
      [16, 'leak'],
    ]);
  });
});

describe('a function the module declares, does not export and calls once in a statement of its top level', () => {
  const page = (decl: string, calls: string) => ts`
    import * as net from 'node:net';
    ${decl} {
      const socket = net.connect(8080, '127.0.0.1');
      socket.on('data', (d) => console.log(d.length));
      socket.write('hello');
    }
    ${calls}
  `;

  it('is the module\'s load code, as a wrapping function run once at load is: no report (vite-plugin-mock-dev-server)', () => {
    expect(ids(page('function start(): void', 'start();'))).toEqual([]);
    expect(ids(page('const start = (): void =>', 'if (process.argv.length > 1) start();'))).toEqual([]);
  });

  it('an async main, a function called twice or in a loop, or an exported one: still checked', () => {
    expect(ids(page('async function start(): Promise<void>', 'void start();'))).toEqual([[3, 'leak']]);
    expect(ids(page('function start(): void', 'start();\nstart();'))).toEqual([[3, 'leak']]);
    expect(ids(page('function start(): void', 'for (const _ of [1, 2]) start();'))).toEqual([[3, 'leak']]);
    expect(ids(page('export function start(): void', 'start();'))).toEqual([[3, 'leak']]);
  });
});

describe('a callback parameter past every parameter of the callback type the call expects', () => {
  const probe = (callback: string, release: string) => ts`
    import * as dgram from 'node:dgram';
    export function freePort(cb: (err: Error | null, port?: number) => void): void {
      const socket = dgram.createSocket('udp4');
      ${callback} {
        if (err) {
          return cb(err);
        }
        const port = socket.address().port;
        ${release}
        cb(null, port);
      });
    }
  `;

  it("is never given: dgram's bind() callback takes nothing, its `if (err)` never runs (udp-free-port)", () => {
    expect(ids(probe('socket.bind(function (err?: Error)', 'socket.close();'))).toEqual([]);
    expect(ids(probe('socket.bind(0, (err?: Error) =>', 'socket.close();'))).toEqual([]);
  });

  it('a parameter the callback type declares (send(): an error) is tested for real: still reported', () => {
    expect(ids(probe("socket.send('x', 9, '127.0.0.1', (err) =>", 'socket.close();'))).toEqual([[3, 'leak']]);
  });

  it('the rest of the callback is still checked', () => {
    expect(ids(probe('socket.bind(function (err?: Error)', ''))).toEqual([[3, 'leak']]);
  });
});

describe('the error that closed it, kept by the releasing method, is a liveness mark', () => {
  const ctx = (errType: string, test: string) => ts`
    import { Socket } from 'node:net';
    export class Ctx {
      protected socket = new Socket();
      protected closingError?: Error;
      closeWithError(err${errType}): void {
        if (this.closingError) return;
        this.closingError = err;
        this.socket.destroy();
      }
      send(command: string): void {
        this.socket.write(command);
      }
      handle(command: string, busy: boolean): Promise<void> {
        if (busy) this.closeWithError(new Error('busy'));
        return new Promise((resolve, reject) => {
          ${test}
          this.send(command);
          resolve();
        });
      }
    }
  `;

  it('tested before the use, it guards it (basic-ftp)', () => {
    expect(ids(ctx(': Error', "if (this.closingError) {\n  reject(this.closingError);\n  return;\n}"))).toEqual([]);
  });

  it('without the test, or when the mark may be undefined, the use is reported', () => {
    expect(ids(ctx(': Error', 'void 0;'))).toEqual([[17, 'useAfterRelease']]);
    expect(ids(ctx('?: Error', "if (this.closingError) {\n  reject(this.closingError);\n  return;\n}"))).toEqual([[20, 'useAfterRelease']]);
  });
});

describe('a listener registered after a release, in a function that then stores a new socket', () => {
  const ftp = (store: string) => ts`
    import { Socket } from 'node:net';
    export class Ftp {
      protected sock: Socket = new Socket();
      set socket(next: Socket) {
        this.closeControl();
        next.on('data', () => this.send('NOOP'));
        next.on('timeout', () => this.send('STAT'));
        ${store}
      }
      send(command: string): void {
        this.sock.write(command);
      }
      protected closeControl(): void {
        this.sock.destroy();
      }
    }
  `;

  it('runs once the store is done: the field holds the new socket (basic-ftp)', () => {
    expect(ids(ftp('this.sock = next;'))).toEqual([]);
  });

  it('without the store, or with a store on only some paths, it may run on the released one', () => {
    expect(ids(ftp('void next;'))).toEqual([
      [6, 'useAfterRelease'],
      [7, 'useAfterRelease'],
    ]);
    expect(ids(ftp('if (next.readable) this.sock = next;'))).toEqual([
      [6, 'useAfterRelease'],
      [7, 'useAfterRelease'],
    ]);
  });
});

describe('`this` in a listener of the socket (an emitter calls its listeners with `this` set to itself)', () => {
  const probe = (callback: string) => ts`
    import { Socket } from 'node:net';
    import { EventEmitter } from 'node:events';
    export function check(host: string, port: number, other: EventEmitter): void {
      const socket = new Socket();
      socket.on('error', () => socket.destroy());
      ${callback};
    }
  `;

  it("`this.destroy()` in the connect callback or a listener releases it (port-scanners)", () => {
    expect(ids(probe('socket.connect(port, host, function (this: Socket) {\n  this.destroy();\n})'))).toEqual([]);
    expect(ids(probe("socket.connect(port, host);\nsocket.on('connect', function (this: Socket) {\n  this.end();\n})"))).toEqual([]);
  });

  it('a function bound to something else, or a listener of another emitter: not the socket', () => {
    const leak = [[4, 'leak']];
    expect(ids(probe('socket.connect(port, host, function (this: Socket) {\n  this.setNoDelay(true);\n})'))).toEqual(leak);
    expect(ids(probe("socket.connect(port, host);\nother.on('stop', function (this: EventEmitter) {\n  this.removeAllListeners();\n})"))).toEqual(leak);
    expect(ids(probe("socket.connect(port, host);\nsocket.on('connect', function (this: EventEmitter) {\n  this.emit('x');\n}.bind(other))"))).toEqual(leak);
  });
});

describe('a variable tested in the middle of a disjunction that returns early before the store', () => {
  const team = (test: string) => ts`
    import { EventEmitter } from 'node:events';
    import WebSocket from 'ws';
    export let teamSocket: WebSocket | undefined;
    let last = 0;
    export function setup(button: EventEmitter, region: string | undefined): void {
      button.on('click', () => {
        ${test}
        last = Date.now();
        teamSocket = new WebSocket('ws://127.0.0.1/' + String(region));
        teamSocket.onclose = () => {
          teamSocket = undefined;
        };
      });
      button.on('leave', () => {
        const socket = teamSocket;
        teamSocket = undefined;
        socket?.close();
      });
    }
  `;

  it('`if (limited || teamSocket || !region) return;` proves it empty (suroi)', () => {
    expect(ids(team('if (Date.now() - last < 1500 || teamSocket || region === undefined) return;'))).toEqual([]);
  });

  it('a disjunction that does not exit, or one inside a conjunction (its being false fixes nothing): still reported', () => {
    expect(ids(team('if (Date.now() - last < 1500 || teamSocket) console.log(1);'))).toEqual([[9, 'fieldOverwritten']]);
    expect(ids(team('if ((Date.now() - last < 1500 || teamSocket) && region === undefined) return;'))).toEqual([[9, 'fieldOverwritten']]);
  });
});

describe("a Promise executor that settles only in the socket's own listeners of its end, close or error", () => {
  const raw = (settle: string) => ts`
    import * as net from 'node:net';
    export function requestRaw(port: number, raw: string): Promise<string> {
      return new Promise((resolve, reject) => {
        const socket = net.createConnection({ host: '127.0.0.1', port });
        const chunks: Buffer[] = [];
        socket.on('connect', () => socket.write(raw));
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        ${settle}
      });
    }
  `;

  it("finds it closed whenever it settles (whitebophir)", () => {
    expect(ids(raw("socket.on('end', () => resolve(Buffer.concat(chunks).toString()));\nsocket.on('error', reject);"))).toEqual([]);
    expect(ids(raw("socket.on('close', () => resolve(''));\nsocket.on('error', (e) => reject(e));"))).toEqual([]);
  });

  it('settled elsewhere too (a data listener, a timer), or on no closing event: still reported', () => {
    const leak = [[4, 'leak']];
    expect(ids(raw("socket.on('data', () => resolve('first'));\nsocket.on('error', reject);"))).toEqual(leak);
    expect(ids(raw("socket.on('end', () => resolve(''));\nsetTimeout(() => reject(new Error('slow')), 1000);"))).toEqual(leak);
    expect(ids(raw("socket.on('timeout', () => resolve(''));"))).toEqual(leak);
  });
});

describe("a method that clears the field, called from the socket's 'timeout' listener when nothing arms the idle timeout", () => {
  const handler = (arm: string) => ts`
    import * as net from 'node:net';
    export class Handler {
      private socket?: net.Socket;
      constructor(private readonly host: string, private readonly port: number) {}
      disconnect(): void {
        if (this.socket) {
          this.socket.destroy();
          this.socket = undefined;
        }
      }
      handle(): void {
        this.disconnect();
        this.socket = net.connect({ host: this.host, port: this.port });
        ${arm}
        this.socket.on('end', () => this.handleDisconnect());
        this.socket.on('error', () => this.handleDisconnect());
        this.socket.on('timeout', () => this.handleDisconnect());
      }
      private handleDisconnect(): void {
        this.socket = undefined;
      }
    }
  `;

  it("never runs: the clear comes only after 'end' or 'error' (daelim)", () => {
    expect(ids(handler('void 0;'))).toEqual([]);
  });

  it('with setTimeout(ms) armed, the timeout drops the open socket: still reported', () => {
    expect(ids(handler('this.socket.setTimeout(5000);'))).toEqual([[13, 'leak']]);
  });
});

describe("a server made a few calls below a listener of a host's one-time event", () => {
  const platform = (event: string) => ts`
    import { createServer } from 'node:http';
    import { EventEmitter } from 'node:events';
    function startLoggingServer(callback: (port: number) => void): void {
      Promise.resolve(8080).then((port) => {
        const server = createServer((req, res) => res.end('ok'));
        server.listen(port, () => callback(port));
      });
    }
    export class Platform {
      constructor(private readonly api: EventEmitter) {
        this.api.on('${event}', async () => {
          await this.didFinishLaunching();
        });
      }
      private async didFinishLaunching(): Promise<void> {
        await this.startApi();
      }
      private async startApi(): Promise<void> {
        startLoggingServer((port) => console.log(port));
      }
    }
  `;

  it("Homebridge's 'didFinishLaunching' comes once: the server serves for the process (kasa-python)", () => {
    expect(ids(platform('didFinishLaunching'))).toEqual([]);
  });

  it("another event of that emitter may come again: a server per event is still reported", () => {
    expect(ids(platform('configure'))).toEqual([[5, 'leak']]);
  });
});

describe("another module's event-wait helper awaited for a server's 'listening'", () => {
  const probe = (wait: string) => ts`
    import * as tls from 'node:tls';
    declare function promise(target: unknown, event: string): Promise<unknown>;
    export async function startAndProbe(opts: tls.TlsOptions): Promise<void> {
      const server = tls.createServer(opts);
      server.listen(0);
      await ${wait};
      console.log(server.address());
      server.close();
    }
  `;

  it("rejects only on a failed listen(), which holds nothing (xmpp.js's promise(server, 'listening'))", () => {
    expect(ids(probe("promise(server, 'listening')"))).toEqual([]);
  });

  it('waiting for another event: its rejection skips the close, still reported', () => {
    expect(ids(probe("promise(server, 'secureConnection')"))).toEqual([[4, 'leak']]);
  });
});

describe("a throw out of a server's listen() callback", () => {
  const freePort = (handler: string) => ts`
    import * as net from 'node:net';
    export const freePort = (): Promise<number> =>
      new Promise((res) => {
        const s = net.createServer();
        s.listen(0, () => {
          const addr = s.address();
          if (addr !== null && typeof addr !== 'string' && addr.port > 0) {
            const { port } = addr;
            s.close(() => res(port));
          } else {
            throw Error('unable to find a free port');
          }
        });
      });
    ${handler}
  `;

  it('is an uncaught exception that ends the process (pact-js, servor)', () => {
    expect(ids(freePort(''))).toEqual([]);
  });

  it("with the module's own uncaughtException handler the process goes on: reported", () => {
    expect(ids(freePort("process.on('uncaughtException', () => undefined);"))).toEqual([[4, 'leak']]);
  });
});

describe('an alias made on one branch, another socket stored in it on the other', () => {
  it("drops nothing while the first name still holds the socket (kuzzle): the message names the real way out", () => {
    const found = lineMessages(ts`
      import Redis from 'ioredis';
      export async function pair(url: string, other?: { host: string; port: number }): Promise<[Redis, Redis]> {
        const client = new Redis(url, { lazyConnect: true });
        await client.connect();
        let next: Redis;
        if (other) {
          next = new Redis(other.port, other.host, { lazyConnect: true });
        } else {
          next = client;
        }
        return [client, next];
      }
    `, 'no-leak');
    expect(found).toEqual([[3, 'This ioredis client is not released when connect() at line 4 rejects: call quit() or disconnect() first, or hand it to an owner.']]);
  });

  it('the only name that holds it, overwritten: still reported', () => {
    expect(ids(ts`
      import Redis from 'ioredis';
      export function swap(url: string, other: string): Redis {
        let next = new Redis(url);
        next.ping().catch(() => undefined);
        next = new Redis(other);
        return next;
      }
    `)).toEqual([[3, 'leak']]);
  });
});

describe("a page's live-reload socket replaced only once the one before it closed", () => {
  const page = (wrap: [string, string], event: string) => ts`
    declare const location: { reload(): void };
    ${wrap[0]}
      const socketUrl = 'ws://127.0.0.1:8080';
      let socket = new WebSocket(socketUrl);
      socket.addEventListener('close', () => {
        let attempts = 0;
        const reloadIfCanConnect = (): void => {
          attempts++;
          if (attempts > 30) return;
          socket = new WebSocket(socketUrl);
          socket.addEventListener('${event}', () => {
            setTimeout(reloadIfCanConnect, 100);
          });
          socket.addEventListener('open', () => location.reload());
        };
        reloadIfCanConnect();
      });
    ${wrap[1]}
    export {};
  `;
  const top: [string, string] = ['', ''];
  const iife: [string, string] = ['(() => {', '})();'];

  it("at the module's top or in a function run once at load: each store replaces a closed socket (hot-reloader)", () => {
    expect(ids(page(top, 'error'))).toEqual([]);
    expect(ids(page(iife, 'error'))).toEqual([]);
  });

  it("re-armed from a listener of an event that comes while it is open ('message'): still reported", () => {
    expect(ids(page(top, 'message'))).toEqual([[10, 'fieldOverwritten']]);
  });

  it('a variable of a function that is not load code (exported, called by others) is still checked', () => {
    expect(ids(page(['export function start(): void {', '}'], 'error'))).toEqual([[4, 'leak'], [10, 'variableNeverReleased']]);
  });
});

describe("a destructuring that leaves out the property holding the socket a helper made", () => {
  const sftp = (pattern: string, after = '') => ts`
    import { Client, type SFTPWrapper } from 'ssh2';
    async function connect(host: string): Promise<{ conn: Client; sftp: SFTPWrapper }> {
      const conn = new Client();
      await new Promise<void>((resolve, reject) => {
        conn.once('ready', () => resolve()).once('error', reject).connect({ host });
      });
      try {
        const sftp = await new Promise<SFTPWrapper>((resolve, reject) => conn.sftp((err, s) => (err ? reject(err) : resolve(s))));
        return { conn, sftp };
      } catch (err) {
        conn.end();
        throw err;
      }
    }
    export async function list(host: string, dir: string): Promise<number> {
      const ${pattern} = await connect(host);
      const names = await new Promise<unknown[]>((resolve, reject) => sftp.readdir(dir, (err, l) => (err ? reject(err) : resolve(l))));
      ${after}
      return names.length;
    }
  `;

  it('drops it at the call (etl-cli)', () => {
    expect(lineMessages(sftp('{ sftp }'), 'no-leak')).toEqual([
      [16, "This ssh2 Client is not released on any path (the destructuring leaves out 'conn', which holds it): call end() or destroy() first, or hand it to an owner."],
    ]);
  });

  it('a pattern that takes it (and ends it), or keeps the rest: not this report', () => {
    expect(ids(sftp('{ sftp, conn }', 'conn.end();'))).toEqual([]);
    expect(ids(sftp('{ sftp, ...rest }', 'rest.conn.end();'))).toEqual([]);
  });
});

describe("a settle of the executor's own code after the socket was promised to a callback that resolves it", () => {
  const alloc = (order: 'after' | 'before' | 'none') => ts`
    import * as dgram from 'node:dgram';
    export function alloc(port: number, max: number): Promise<dgram.Socket> {
      return new Promise((resolve, reject) => {
        ${order === 'before' ? "if (port + 1 > max) return reject(new Error('out of range'));" : ''}
        const s = dgram.createSocket('udp4');
        s.once('listening', () => resolve(s));
        s.once('error', (err) => {
          s.close();
          reject(err);
        });
        s.bind(port);
        ${order === 'after' ? "if (port + 1 > max) return reject(new Error('out of range'));" : ''}
      });
    }
  `;

  it("leaves it to nobody: the 'listening' listener's resolve() comes after the promise settled (node-turn)", () => {
    expect(lineMessages(alloc('after'), 'no-leak')).toEqual([
      [5, 'This dgram.Socket is not released when the operation settles at line 12 (reject()) without it: call close() first, or hand it to an owner.'],
    ]);
  });

  it('a settle before the socket exists, or none: no report', () => {
    expect(ids(alloc('before'))).toEqual([]);
    expect(ids(alloc('none'))).toEqual([]);
  });
});
