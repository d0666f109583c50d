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
