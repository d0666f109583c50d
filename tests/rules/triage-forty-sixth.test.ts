/**
 * Shapes found in the forty-sixth session (what earlier triages left, and the fortieth triage), each reduced to its
 * general mechanism, with the counterpart that must stay as it was.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

/** Line and message id of each message. */
const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a retry in the catch around a start() whose steps after the store only log, set plain fields and wait for the listen callback', () => {
  // Template literals of the code under test, put in as values (the \`ts\` tag keeps its text raw).
  const unknownType = '`Unknown tunnel type: ${this.type}`';
  const portText = '`${this.port}`';
  const tunnel = (listen: string, tail: string): string => ts`
    import * as net from 'node:net';
    declare const logger: { info(msg: string, meta?: object): void; error(msg: string, meta?: object): void };
    declare function describe(t: unknown): string;
    const STATES = { ACTIVE: 'active', FAILED: 'failed' } as const;
    export class Tunnel {
      private server: net.Server | null = null;
      state: string = 'connecting';
      lastActivity = new Date();
      attempts = 0;
      constructor(readonly type: string, readonly port: number) {}
      async start(): Promise<void> {
        try {
          switch (this.type) {
            case 'local':
              await this.startLocal();
              break;
            default:
              throw new Error(${unknownType});
          }
          this.state = STATES.ACTIVE;
          this.lastActivity = new Date();
          logger.info('tunnel started', { port: this.port, mode: this.type !== 'socks' ? ${portText} : 'SOCKS' });
        } catch (error) {
          this.state = STATES.FAILED;
          throw error;
        }
      }
      private async startLocal(): Promise<void> {
        this.server = net.createServer((s) => s.end());
        await new Promise<void>((resolve, reject) => {
          ${listen}
        });
        ${tail}
      }
      async reconnect(): Promise<boolean> {
        this.attempts++;
        try {
          await this.start();
          this.attempts = 0;
          return true;
        } catch (error) {
          logger.error('reconnect failed', { error: (error as Error).message });
          setTimeout(() => this.reconnect(), 1000 * this.attempts);
          return false;
        }
      }
      close(): void {
        this.server?.close();
        this.server = null;
      }
    }
  `;
  const listenCallback = "this.server!.listen(this.port, '127.0.0.1', (err?: Error) => { if (err) reject(err); else resolve(); });";

  it('reject only in the listen callback, then a log of plain values: each retry replaces a server that does not listen', () => {
    expect(ids(tunnel(listenCallback, `logger.info('listening', { local: ${portText}, host: '127.0.0.1' });`))).toEqual([]);
    expect(ids(tunnel(listenCallback, 'this.lastActivity = new Date();'))).toEqual([]);
  });

  it('a log whose argument calls something, or a reject that a timer makes: the retry may replace a listening server', () => {
    expect(ids(tunnel(listenCallback, "logger.info(describe(this.server), { at: Date.now() });"))).toEqual([[29, 'fieldOverwritten']]);
    expect(ids(tunnel(`${listenCallback} setTimeout(() => reject(new Error('slow')), 1000);`, ''))).toEqual([[29, 'fieldOverwritten']]);
  });

  it('a write to something that is not a logger is no log', () => {
    const code = tunnel(listenCallback, "STATES.ACTIVE.toString(); state.info('x');").replace('declare function describe', 'declare const state: { info(m: string): void };\n    declare function describe');
    expect(ids(code)).toEqual([[30, 'fieldOverwritten']]);
  });
});

describe("a JavaScript subclass's method whose promise resolves with `this` (typed Promise<any>)", () => {
  const dir = path.join(__dirname, '..', 'fixtures-prescreen');
  const use = (body: string): string => ts`
    import { createStaticServer } from './static-server.js';
    ${body}
  `;
  const leaks = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code, { dir }).map((m) => [m.line, m.messageId]);
  const snapshot = (method: string): string => use(`export async function* snapshot(work: () => AsyncGenerator<string>): AsyncGenerator<unknown, void, any> {
    let server;
    try {
      server = yield createStaticServer().${method}();
      yield* work();
    } finally {
      await server?.close();
    }
  }`);

  it('yielded to the generator runner, which sends it back to be closed in the finally: not reported', () => {
    expect(leaks(snapshot('listen'))).toEqual([]);
  });

  it('a method resolving with a number, or with `this` of a function of its own (not the server): reported', () => {
    expect(leaks(snapshot('port'))).toEqual([[5, 'leak']]);
    expect(leaks(snapshot('ready'))).toEqual([[5, 'leak']]);
  });
});

describe('the address of a server read in the callback of the listen() chained on its creation', () => {
  const server = (listenArgs: string): string => ts`
    import { createServer, type Server } from 'node:http';
    export function testServer(): Promise<[Server, number]> {
      return new Promise((resolve, reject) => {
        const httpServer = createServer().listen(${listenArgs}, () => {
          const address = httpServer.address();
          if (address && typeof address === 'object') {
            return resolve([httpServer, address.port]);
          }
          reject(new Error('no address'));
        });
      });
    }
  `;

  it('listening on a port: the address is an object, reject() never runs (not reported)', () => {
    expect(ids(server('0'))).toEqual([]);
  });

  it('listening on a pipe: the address is a string, the server is dropped (reported)', () => {
    expect(ids(server("'/tmp/test.sock'"))).toEqual([[4, 'leak']]);
  });
});

describe("a tunnel's upgraded socket stored in a `let` of the function around, which the source's failure listener releases", () => {
  const proxy = (extra: string, onError = 'ps?.destroy();'): string => ts`
    import * as http from 'node:http';
    import type { Socket } from 'node:net';
    export function proxyWs(req: http.IncomingMessage, socket: Socket, spare: Socket): Promise<void> {
      const client = http.request({ host: '127.0.0.1', port: 8080, method: 'GET', path: req.url });
      return new Promise<void>((resolve, reject) => {
        req.pipe(client);
        let ps: Socket | null = null;
        ${extra}
        client.once('upgrade', (_res: http.IncomingMessage, proxySocket: Socket) => {
          ps = proxySocket;
          ps.once('end', () => resolve());
          socket.once('error', (err) => {
            ${onError}
            reject(err);
          });
          proxySocket.pipe(socket).pipe(proxySocket);
        });
      });
    }
  `;

  it('the variable holds only this socket: released when the source fails (not reported)', () => {
    expect(ids(proxy(''))).toEqual([]);
  });

  it('the listener releases nothing, or the variable may hold another socket: reported', () => {
    expect(ids(proxy('', 'console.log(ps);'))).toEqual([[9, 'leak']]);
    expect(ids(proxy('if (req.method === "CONNECT") ps = spare;'))).toEqual([[9, 'leak']]);
  });
});
