/**
 * An event whose listener receives a new resource that it then owns (a kind's `listenerCreates`): an HTTP
 * request's `'connect'` (a CONNECT tunnel) and `'upgrade'` hand their listener the socket, typed `stream.Duplex`.
 * The listener must end it, or hand it on (resolve it, pass it to a callback, store it).
 */
import { describe, expect, it } from 'vitest';
import { ts, lineMessages } from '../rule-tester';

const reports = lineMessages;

describe("an HTTP request's CONNECT tunnel socket", () => {
  const tunnel = (onFailure: string): string => ts`
    import * as http from 'node:http';
    import type * as stream from 'node:stream';
    export function connectViaProxy(port: number, target: string): Promise<stream.Duplex> {
      const req = http.request({ host: '127.0.0.1', port, method: 'CONNECT', path: target });
      req.end();
      return new Promise<stream.Duplex>((resolve, reject) => {
        req.once('error', reject);
        req.once('connect', (res, socket) => {
          if (res.statusCode === 200) return resolve(socket);
          ${onFailure}
          reject(new Error('proxy refused'));
        });
      });
    }
  `;

  it('rejected without destroying the socket: reported at the listener registration', () => {
    expect(reports(tunnel(''))).toEqual([
      [8, 'This net.Socket is not released when the operation settles at line 11 (reject()) without it: call end() or destroy() first, or hand it to an owner.'],
    ]);
  });

  it('destroyed before rejecting: no report', () => {
    expect(reports(tunnel('socket.destroy();'))).toEqual([]);
  });

  it('handed to a callback: no report', () => {
    const code = ts`
      import * as http from 'node:http';
      import type * as stream from 'node:stream';
      export function open(port: number, cb: (err: Error | null, s?: stream.Duplex) => void): void {
        const req = http.request({ host: '127.0.0.1', port, method: 'CONNECT', path: 'example:443' });
        req.on('connect', (_res, socket) => cb(null, socket));
        req.on('error', (err) => cb(err));
        req.end();
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('used and never ended: reported; a use after end() too', () => {
    const code = ts`
      import * as http from 'node:http';
      export function probe(port: number): void {
        const req = http.request({ host: '127.0.0.1', port, method: 'CONNECT', path: 'example:80' });
        req.on('connect', (_res, socket) => {
          socket.write('GET / HTTP/1.1\\r\\n\\r\\n');
          socket.on('data', (d) => console.log(d.length));
        });
        req.end();
      }
      export function late(port: number): void {
        const req = http.request({ host: '127.0.0.1', port, method: 'CONNECT', path: 'example:80' });
        req.on('connect', (_res, socket) => {
          socket.end();
          socket.write('late');
        });
        req.end();
      }
    `;
    expect(reports(code).map(([line, message]) => [line, message.slice(0, 40)])).toEqual([
      [4, 'This net.Socket is not released on any p'],
      [14, 'write() on the net.Socket that may alrea'],
    ]);
  });
});

describe("an HTTP request's upgrade socket", () => {
  it('a listener that drops the socket on an unexpected status: reported; one that destroys it: not', () => {
    const code = (drop: string): string => ts`
      import * as http from 'node:http';
      import type * as stream from 'node:stream';
      export function upgrade(port: number, use: (s: stream.Duplex) => void): void {
        const req = http.request({ host: '127.0.0.1', port, headers: { Connection: 'Upgrade', Upgrade: 'echo' } });
        req.on('upgrade', (res, socket) => {
          if (res.statusCode !== 101) { ${drop} return; }
          use(socket);
        });
        req.end();
      }
    `;
    expect(reports(code('')).map(([line]) => line)).toEqual([5]);
    expect(reports(code('socket.destroy();'))).toEqual([]);
  });
});

describe('what the listener gets', () => {
  it("a server's 'upgrade' socket is the server's connection: not checked; a request's listener by name is", () => {
    const code = ts`
      import * as http from 'node:http';
      import type * as stream from 'node:stream';
      export function serve(): http.Server {
        const server = http.createServer();
        server.on('upgrade', (_req, socket: stream.Duplex) => {
          socket.write('nope');
        });
        return server;
      }
      function onConnect(_res: http.IncomingMessage, socket: stream.Duplex): void {
        socket.write('x');
      }
      export function viaName(port: number): void {
        const req = http.request({ host: '127.0.0.1', port, method: 'CONNECT', path: 'example:80' });
        req.on('connect', onConnect);
        req.end();
      }
    `;
    // Only the request's tunnel socket, handed to onConnect and never ended there.
    expect(reports(code)).toEqual([[15, 'This net.Socket is not released on any path (nothing releases it or hands it off): call end() or destroy() first, or hand it to an owner.']]);
  });
});

describe('the listener by name, and the request torn down in it', () => {
  it('a function of the file registered by name only there owns the socket too: reported when a branch drops it', () => {
    const code = ts`
      import * as http from 'node:http';
      import type { Duplex } from 'node:stream';
      export function createSocket(cb: (s: Duplex) => void, onErr: (e: Error) => void): void {
        const req = http.request({ host: '127.0.0.1', port: 3128, method: 'CONNECT', path: 'example:443' });
        req.once('connect', onConnect);
        req.end();
        function onConnect(res: http.IncomingMessage, socket: Duplex): void {
          if (res.statusCode === 200) cb(socket);
          else onErr(new Error('status ' + String(res.statusCode)));
        }
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([5]);
  });

  it("req.destroy() or req.abort() inside the request's own 'connect' listener destroys the tunnel socket: no report", () => {
    const code = (teardown: string): string => ts`
      import * as http from 'node:http';
      export function direct(path: string): void {
        const req = http.request({ method: 'CONNECT', host: '127.0.0.1', port: 8899, path });
        req.on('error', () => {});
        req.on('connect', (res, socket) => {
          if (res.statusCode !== 200) {
            ${teardown}
            return;
          }
          socket.end('bye');
        });
        req.end();
      }
    `;
    expect(reports(code('req.destroy();'))).toEqual([]);
    expect(reports(code(''))).toEqual([[5, 'This net.Socket is not released on the path that returns at line 8: call end() or destroy() first, or hand it to an owner.']]);
  });

  it('through a local helper that aborts the request: no report', () => {
    const code = ts`
      import * as http from 'node:http';
      export function viaHelper(path: string, deny: () => void): void {
        let client: http.ClientRequest | null = http.request({ method: 'CONNECT', host: '127.0.0.1', port: 8899, path });
        const destroy = (): void => {
          if (client) {
            client.abort();
            client = null;
            deny();
          }
        };
        client.on('error', destroy);
        client.on('connect', (res, socket) => {
          socket.on('error', destroy);
          if (res.statusCode !== 200) return destroy();
          socket.end();
        });
        client.end();
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});
