/**
 * Shapes found by the twenty-eighth hand triage and the earlier triages' leftovers (thirty-fourth session), each
 * reduced to its general mechanism, with the counterpart that must stay as it was.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

const tunnels = (closeEach: string, order: 'servers first' | 'client first'): string => {
  const servers = `for (const server of this.tunnelServers) ${closeEach};`;
  const body = order === 'servers first' ? `${servers}\n    this.client.end();` : `this.client.end();\n    ${servers}`;
  return ts`
    import { createServer, Server } from 'node:net';
    import { Client } from 'ssh2';
    export class Remote {
      private client = new Client();
      private readonly tunnelServers: Server[] = [];
      close(): void {
        ${body}
      }
      tunnel(port: number): void {
        const server = createServer((sock) => {
          this.client.forwardOut('127.0.0.1', port, '127.0.0.1', port, (err, stream) => {
            if (err) return void sock.destroy();
            sock.pipe(stream).pipe(sock);
          });
        });
        this.tunnelServers.push(server);
        server.listen(port, '127.0.0.1');
      }
    }
  `;
};

describe("a server kept in a field collection, every element closed before the release", () => {
  it("`for (const s of this.servers) s.close()` before the client's end(): the servers' handlers cannot run — no report", () => {
    expect(ids(tunnels('server.close()', 'servers first'))).toEqual([]);
    const forEach = tunnels('server.close()', 'servers first').replace(
      'for (const server of this.tunnelServers) server.close();',
      'this.tunnelServers.forEach((s) => s.close());',
    );
    expect(forEach).toContain('forEach');
    expect(ids(forEach)).toEqual([]);
  });

  it('the servers closed after the release, or not closed at all: still reported', () => {
    expect(ids(tunnels('server.close()', 'client first'))).toEqual([[12, 'deferredUse']]);
    expect(ids(tunnels('server.ref()', 'servers first'))).toEqual([[12, 'deferredUse']]);
  });
});

const storedThenReleased = (between: string, release = 'sock.end(\'x\');'): string => ts`
  import * as net from 'node:net';
  let sock: net.Socket | undefined;
  const open = async (): Promise<void> => {
    sock = net.connect(80, '127.0.0.1');
    ${between}
    ${release}
  };
  setInterval(() => void open(), 10000);
`;

describe('a variable the storing function releases right after it stores the socket', () => {
  it('stored, then released in the same block before anything can leave it: the next run replaces a released socket — no report', () => {
    expect(ids(storedThenReleased("sock.on('error', () => undefined);"))).toEqual([]);
    expect(ids(storedThenReleased("sock.write('a');", 'sock.destroy();'))).toEqual([]);
    const field = ts`
      import * as net from 'node:net';
      export class Probe {
        private sock: net.Socket | undefined;
        start(): void {
          setInterval(() => this.ping(), 1000);
        }
        private ping(): void {
          this.sock = net.connect(80, '127.0.0.1');
          this.sock.write('ping');
          this.sock.end();
        }
      }
    `;
    expect(ids(field)).toEqual([]);
  });

  it('an await, a return or a condition between the store and the release: still reported', () => {
    expect(ids(storedThenReleased('await new Promise((r) => setTimeout(r, 10));'))).toEqual([[4, 'fieldOverwritten']]);
    expect(ids(storedThenReleased('if (Math.random() > 0.5) return;'))).toEqual([[4, 'fieldOverwritten']]);
    expect(ids(storedThenReleased('', "if (Math.random() > 0.5) sock.end('x');"))).toEqual([[4, 'fieldOverwritten']]);
  });
});

describe("a creating call's promise continued by a function that takes nothing", () => {
  it("`pool.connect().then(() => …)` drops the client it resolves to: reported at the creating call", () => {
    const code = ts`
      import { Pool } from 'pg';
      import mysql from 'mysql2/promise';
      export function command(pool: Pool, sql: string): void {
        pool
          .connect()
          .then(() => pool.query(sql))
          .catch(console.error);
      }
      export function opened(): void {
        void mysql.createConnection({ host: '127.0.0.1' }).then(() => console.log('connected'));
      }
    `;
    expect(ids(code)).toEqual([[4, 'leak'], [10, 'leak']]);
    expect(lintWithPlugin(code)[0]?.message).toContain('takes no parameter');
  });

  it('a function that takes the client, reads `arguments`, a caching getter, or the module scope: no report', () => {
    const code = ts`
      import { Pool } from 'pg';
      import { MongoClient } from 'mongodb';
      let cached: MongoClient | undefined;
      async function getClient(): Promise<MongoClient> {
        cached ??= await MongoClient.connect('mongodb://127.0.0.1');
        return cached;
      }
      export function warm(): void {
        void getClient().then(() => console.log('ready'));
      }
      export function taken(pool: Pool): void {
        void pool.connect().then((client) => client.release());
      }
      export function viaArguments(pool: Pool): void {
        void pool.connect().then(function () { (arguments[0] as { release(): void }).release(); });
      }
      void MongoClient.connect('mongodb://127.0.0.1').then(() => console.log('kept for the process'));
    `;
    expect(ids(code)).toEqual([]);
  });
});

describe("ws's typings for ES modules (index.d.mts: the server is a top-level class `Server`)", () => {
  // Bundler (or node16 ESM) resolution of `import … from 'ws'` reads index.d.mts, not index.d.ts.
  const esmDir = path.join(__dirname, '..', 'fixtures-esm');
  const server = ts`
    import WebSocket, { WebSocketServer } from 'ws';
    export function start(port: number, skip: boolean): void {
      const wss = new WebSocketServer({ port });
      if (skip) return;
      wss.close();
    }
    export function client(url: string): void {
      const ws = new WebSocket(url);
      ws.on('open', () => ws.close());
    }
    export function closed(port: number): void {
      const wss = new WebSocketServer({ port });
      wss.on('connection', (s) => s.close());
      wss.close();
    }
  `;

  it('a WebSocketServer imported in an ES module is tracked as in CommonJS', () => {
    const esm = lintWithPlugin(server, { dir: esmDir }).map((m) => [m.line, m.messageId]);
    expect(esm).toEqual([[3, 'leak']]);
    // The same code resolved through index.d.ts gives the same reports.
    expect(ids(server)).toEqual(esm);
  });
});

describe('a callback of the socket that always throws, in a module that handles no uncaught exception', () => {
  const code = (callback: string, extra = ''): string => ts`
    import * as net from 'node:net';
    ${extra}
    export function assureNotListening(port: number, cb: () => void): void {
      const client = net.connect({ port }, () => {
        ${callback}
      });
      client.once('error', () => cb());
    }
  `;

  it("the 'connect' callback throws (the process ends) and an error destroys it: no report", () => {
    expect(ids(code("throw new Error('port ' + port + ' is listening');"))).toEqual([]);
  });

  it('a callback that may return, or a module that handles uncaught exceptions: still reported', () => {
    expect(ids(code("if (port > 1024) return;\n        throw new Error('listening');"))).toEqual([[4, 'leak']]);
    expect(ids(code("throw new Error('listening');", "process.on('uncaughtException', (e) => console.error(e));"))).toEqual([[4, 'leak']]);
  });
});

describe("ws's server side `new WebSocket(null)` (a socket handed to it later by setSocket())", () => {
  it('holds no connection of its own: no report', () => {
    const code = ts`
      import * as http2 from 'node:http2';
      import WebSocket from 'ws';
      export function serve(server: http2.Http2SecureServer): void {
        server.on('stream', (stream) => {
          const ws = new WebSocket(null);
          ws.on('message', (data) => ws.send(data));
          stream.respond();
        });
      }
    `;
    expect(ids(code)).toEqual([]);
  });

  it('a client given an address: still reported', () => {
    const code = ts`
      import WebSocket from 'ws';
      export function open(url: string): void {
        const ws = new WebSocket(url);
        ws.on('message', (data) => ws.send(data));
      }
    `;
    expect(ids(code)).toEqual([[3, 'leak']]);
  });
});

describe("a server stored anew from its own 'error' listener (a failed listen(): the old one holds nothing)", () => {
  const code = (listener: string): string => ts`
    import * as net from 'node:net';
    export class Inspector {
      private server?: net.Server;
      private port = 10096;
      start(): void {
        this.server = net.createServer((c) => c.end('hi'));
        this.server.on('${listener}', () => {
          this.port++;
          this.start();
        });
        this.server.listen(this.port, '127.0.0.1');
      }
      close(): void {
        this.server?.close();
      }
    }
  `;

  it('retried on the next port from the error listener: no report', () => {
    expect(ids(code('error'))).toEqual([]);
  });

  it("retried from a 'connection' listener (the old server still listens): still reported", () => {
    expect(ids(code('connection'))).toEqual([[6, 'fieldOverwritten']]);
  });
});

describe('a function returning a promise whose executor never resolves', () => {
  const code = (settle: string): string => ts`
    import { createServer, type Server } from 'node:http';
    export const openLink = (url: string, port = 3211): Promise<Server> =>
      new Promise((resolve, reject) => {
        const server = createServer((req, res) => res.writeHead(302, { location: url }).end());
        server.on('connection', () => setTimeout(() => server.close(), 2000));
        server.on('error', reject);
        server.listen(port, () => ${settle});
      });
    export async function openHelp(url: string): Promise<void> {
      await openLink(url);
    }
  `;

  it('`await openLink(url)` gets no server to drop (the function keeps and closes its own): no report', () => {
    expect(ids(code("console.log('open')"))).toEqual([]);
  });

  it('an executor that resolves with the server: the caller that drops it is reported', () => {
    expect(ids(code('resolve(server)'))).toEqual([[10, 'leak']]);
  });
});

describe("a connection handed to a function of the file whose 'close' listener reconnects", () => {
  const code = (event: string, onClose: string): string => ts`
    import WebSocket from 'ws';
    let attempts = 0;
    const attemptReconnection = (url: string): void => {
      attempts++;
      setTimeout(() => {
        const next = new WebSocket(url);
        setUpAutoReconnect(url, next);
      }, Math.min(1000 * 2 ** attempts, 30000));
    };
    export const setUpAutoReconnect = (url: string, websocket: WebSocket): void => {
      websocket.on('${event}', () => {
        ${onClose}
      });
    };
  `;

  it('the listener calls the function that arms the creating timer: a connection that reopens itself — no report', () => {
    expect(ids(code('close', 'attemptReconnection(url);'))).toEqual([]);
  });

  it('a close listener that only logs, or a message listener that reconnects: still reported', () => {
    expect(ids(code('close', "console.log('closed');"))).toEqual([[6, 'leak']]);
    expect(ids(code('message', 'attemptReconnection(url);'))).toEqual([[6, 'leak']]);
  });
});

describe('a helper of the file that releases the request in both branches of an if before returning it', () => {
  const code = (elseBranch: string): string => ts`
    import * as http from 'node:http';
    import type { Readable } from 'node:stream';
    function send(url: string, stream: Readable | undefined, body: string): http.ClientRequest {
      const req = http.request(url, { method: 'POST' });
      req.on('error', () => undefined);
      if (stream) {
        stream.pipe(req);
      } else {
        ${elseBranch}
      }
      return req;
    }
    export function post(url: string, body: string): void {
      send(url, undefined, body);
    }
  `;

  it('piped into on one branch, ended on the other: the caller drops a released request — no report', () => {
    expect(ids(code('req.end(body);'))).toEqual([]);
  });

  it('a branch that does not release it: the caller that drops it is reported', () => {
    expect(ids(code('req.write(body);'))).toEqual([[14, 'leak']]);
  });
});

describe("a listening server's address() tested for null or a pipe name (a defensive throw that cannot run)", () => {
  const awaited = (port: string, test: string): string => ts`
    import { createServer } from 'node:http';
    export async function start(): Promise<{ port: number; close: () => void }> {
      const server = createServer((req, res) => res.end('ok'));
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(${port}, '127.0.0.1', resolve);
      });
      const address = server.address();
      if (${test}) {
        throw new Error('no TCP port');
      }
      return { port: address.port, close: () => server.close() };
    }
  `;

  it('after an awaited listen() on a port: no report', () => {
    expect(ids(awaited('0', "!address || typeof address === 'string'"))).toEqual([]);
    expect(ids(awaited('0', "address === null || typeof address === 'string'"))).toEqual([]);
  });

  it('inside the listen() callback (in a module that keeps going after an uncaught exception): no report', () => {
    const code = ts`
      import * as net from 'node:net';
      process.on('uncaughtException', (e) => console.error(e));
      export const freePort = (): Promise<number> =>
        new Promise((res) => {
          const s = net.createServer();
          s.listen(0, () => {
            const addr = s.address();
            if (!addr || typeof addr === 'string') throw new Error('no port');
            s.close(() => res(addr.port));
          });
        });
    `;
    expect(ids(code)).toEqual([]);
    // A test the listen does not decide still takes that throw, with the server open.
    expect(ids(code.replace("typeof addr === 'string'", "typeof addr === 'string' || addr.port < 1024"))).toEqual([[5, 'leak']]);
  });

  it('listening on a pipe name (address() may be a string), or no listen() awaited before: still reported', () => {
    expect(ids(awaited("'/tmp/app.sock' as string", "!address || typeof address === 'string'"))).toEqual([[3, 'leak']]);
    const notAwaited = awaited('0', "!address || typeof address === 'string'").replace('await new Promise', 'void new Promise');
    expect(notAwaited).toContain('void new Promise');
    expect(ids(notAwaited)).toEqual([[3, 'leak']]);
  });
});

describe("a TLS socket's `authorized` in the callback of the connect() that keeps rejectUnauthorized at true", () => {
  const code = (options: string, test: string, params = ''): string => ts`
    import * as tls from 'node:tls';
    export function open(host: string, port: number${params}): Promise<tls.TLSSocket> {
      return new Promise((resolve, reject) => {
        const sock = tls.connect(port, host, ${options}, () => {
          const { authorized } = sock;
          if (${test}) {
            reject(new Error('untrusted'));
            return;
          }
          resolve(sock);
        });
        sock.on('error', reject);
      });
    }
  `;

  it('an unverified peer fails the handshake first: `!sock.authorized` there is false — no report', () => {
    expect(ids(code('{ servername: host }', '!sock.authorized'))).toEqual([]);
    expect(ids(code('{ servername: host, rejectUnauthorized: true }', '!authorized'))).toEqual([]);
    expect(ids(code('opts', '!authorized && opts.rejectUnauthorized !== false', ', opts: tls.ConnectionOptions'))).toEqual([]);
    // `connect` imported by name.
    const named = code('{ servername: host }', '!sock.authorized').replace("import * as tls from 'node:tls';", "import * as tls from 'node:tls';\nimport { connect } from 'node:tls';").replace('tls.connect(', 'connect(');
    expect(named).toContain('= connect(port');
    expect(ids(named)).toEqual([]);
  });

  it('rejectUnauthorized: false, or options the function is given: still reported', () => {
    expect(ids(code('{ servername: host, rejectUnauthorized: false }', '!sock.authorized'))).toEqual([[4, 'leak']]);
    expect(ids(code('opts', '!authorized', ', opts: tls.ConnectionOptions'))).toEqual([[4, 'leak']]);
  });
});

describe("an auto-typed `let` that holds another value where the 'timeout' listener is registered", () => {
  const code = (utpListener: string, netListener: string): string => ts`
    import * as net from 'node:net';
    declare const utp: any;
    declare function onwire(conn: unknown): void;
    export function dial(host: string, port: number, useUtp: boolean, repush: () => void): void {
      let connection;
      if (useUtp) {
        connection = utp.connect(port, host);
        ${utpListener}
      } else {
        connection = net.connect(port, host);
        ${netListener}
      }
      onwire(connection);
    }
  `;
  const listener = "connection.on('timeout', () => repush());";

  it("registered in the branch that holds an untyped connection: not the socket's listener — no report", () => {
    expect(ids(code(listener, ''))).toEqual([]);
  });

  it('registered in the branch that made the socket: still reported', () => {
    expect(ids(code('', listener))).toEqual([[11, 'timeoutNotReleased']]);
  });
});

describe("a server that a package's method makes, listened", () => {
  const code = (make: string): string => ts`
    import * as http from 'node:http';
    import { RpcServer } from 'rpc-lib';
    export function serve(): void {
      const rpc = new RpcServer({ add: (a, b) => Number(a) + Number(b) });
      ${make}
    }
  `;

  it("`rpc.http().listen(3000)`: it serves with the package's handler for the life of the process — no report", () => {
    expect(ids(code('rpc.http().listen(3000);'))).toEqual([]);
    expect(ids(code('const server = rpc.http();\n      server.listen(3000);'))).toEqual([]);
  });

  it("Node's own createServer() without a handler: still reported", () => {
    expect(ids(code('http.createServer().listen(3000);'))).toEqual([[5, 'leak']]);
  });
});

describe("a client that a listener of the process's IPC messages uses", () => {
  const code = (event: string): string => ts`
    import * as net from 'node:net';
    export function worker(port: number): void {
      const client = net.connect(port, '127.0.0.1');
      process.on('${event}', (message: unknown) => {
        client.write(JSON.stringify(message));
      });
    }
  `;

  it("`process.on('message', …)` uses it on every message for the life of the worker: no report", () => {
    expect(ids(code('message'))).toEqual([]);
  });

  it("another process event ('beforeExit') that only writes: still reported", () => {
    expect(ids(code('beforeExit'))).toEqual([[3, 'leak']]);
  });
});

describe('a helper whose other return gives nothing (a void call), and which releases what it returns', () => {
  const code = (other: string): string => ts`
    import * as http from 'node:http';
    function done(err: unknown): void {
      console.error(err);
    }
    function send(url: string, body: string): http.ClientRequest | void {
      let req;
      try {
        req = http.request(url, { method: 'POST' });
      } catch (err) {
        return ${other};
      }
      req.end(body);
      return req;
    }
    export function post(url: string, body: string): void {
      send(url, body);
    }
  `;

  it('`catch (err) { return done(err); }` with done returning void: the caller drops a released request — no report', () => {
    expect(ids(code('done(err)'))).toEqual([]);
  });

  it('a return of another new request: the caller that drops it is reported', () => {
    expect(ids(code("http.request(url, { method: 'GET' })"))).toEqual([[16, 'leak']]);
  });
});
