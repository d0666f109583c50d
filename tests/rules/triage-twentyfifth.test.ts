/**
 * Shapes found by the twenty-fifth hand triage (thirty-second session), each reduced to its general mechanism, with
 * the counterpart that must stay as it was.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintJsWithPlugin, lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string, dir?: string): Array<[number, string | undefined]> => lintWithPlugin(code, dir ? { dir } : {}).map((m) => [m.line, m.messageId]);

describe('amqplib typings up to @types/amqplib 0.10.5 (connect() resolves to the promise API `Connection`)', () => {
  const oldTypes = path.join(__dirname, '..', 'fixtures-old-types');
  const producer = ts`
    import * as amqp from 'amqplib';
    export async function produce(url: string): Promise<void> {
      const connection = await amqp.connect(url);
      const channel = await connection.createChannel();
      await channel.assertQueue('jobs');
      channel.sendToQueue('jobs', Buffer.from('x'));
      await channel.close();
      await connection.close();
    }
  `;

  it('the connection is tracked: a rejected createChannel() leaves it open', () => {
    expect(ids(producer, oldTypes)).toEqual([[3, 'leak']]);
  });

  it('the same code with the typings of today is reported the same way', () => {
    expect(ids(producer)).toEqual([[3, 'leak']]);
  });

  it('released in finally: nothing to report, and a use after close() is reported', () => {
    const code = ts`
      import * as amqp from 'amqplib';
      export async function produce(url: string): Promise<void> {
        const connection: amqp.Connection = await amqp.connect(url);
        try {
          const channel = await connection.createChannel();
          await channel.assertQueue('jobs');
        } finally {
          await connection.close();
        }
        await connection.createChannel();
      }
    `;
    expect(ids(code, oldTypes)).toEqual([[10, 'leak'], [10, 'useAfterRelease']]);
  });
});

describe("a field's initialiser that makes the socket through methods returning it", () => {
  const fieldClass = (init: string, release: string) => ts`
    import { createSocket } from 'node:dgram';
    import * as net from 'node:net';
    export class Peer {
      private udp = ${init};
      private tcp = net.connect(7000, '127.0.0.1').setNoDelay(true);
      send(line: string): void {
        this.tcp.write(line);
        this.udp.send(line, 9000, '127.0.0.1');
      }
      stop(): void {
        ${release}
        this.tcp.destroy();
      }
    }
  `;

  it('is the field, released by the class like one assigned in the constructor (valve-server-query)', () => {
    expect(ids(fieldClass("createSocket('udp4').unref()", 'this.udp.close();'))).toEqual([]);
    expect(ids(fieldClass("createSocket('udp4').unref().ref()", 'this.udp.close();'))).toEqual([]);
  });

  it('a field the class never releases is still reported', () => {
    expect(ids(fieldClass("createSocket('udp4').unref()", ''))).toEqual([[4, 'fieldNeverReleased']]);
  });

  it('a method that returns something else is no store of the socket', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Peer {
        private local = net.connect(7000, '127.0.0.1').address();
        stop(): void {
          console.log(this.local);
        }
      }
    `;
    expect(ids(code)).toEqual([[3, 'leak']]);
  });
});

describe("`await once(server, 'listening')` before the server's release", () => {
  const probe = (make: string, event: string) => ts`
    import * as net from 'node:net';
    import * as tls from 'node:tls';
    import * as dgram from 'node:dgram';
    import { once } from 'node:events';
    declare function runClientAgainst(port: number): Promise<void>;
    export async function probe(key: string, cert: string): Promise<void> {
      const server = ${make};
      server.listen(0);
      await once(server, '${event}');
      await runClientAgainst(1).catch(() => undefined);
      server.close();
    }
  `;

  it("rejects only on a failed listen(), which closed the handle (xmpp.js's tests)", () => {
    expect(ids(probe('net.createServer()', 'listening'))).toEqual([]);
    expect(ids(probe('tls.createServer({ key, cert })', 'listening'))).toEqual([]);
  });

  it('waiting for another event of a listening server can reject with it open', () => {
    expect(ids(probe('net.createServer()', 'connection'))).toEqual([[7, 'leak']]);
  });

  it("a dgram socket's failed bind() leaves it open: still reported", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      import { once } from 'node:events';
      export async function probe(): Promise<void> {
        const udp = dgram.createSocket('udp4');
        udp.bind(0);
        await once(udp, 'listening');
        udp.close();
      }
    `;
    expect(ids(code)).toEqual([[4, 'leak']]);
  });
});

describe('a deferred use of a dgram socket inside try/catch', () => {
  const scan = (resend: string) => ts`
    import * as dgram from 'node:dgram';
    export function scan(timeout: number): Promise<string[]> {
      return new Promise((resolve) => {
        const found: string[] = [];
        const socket = dgram.createSocket('udp4');
        const cleanup = (): void => {
          socket.close();
          resolve(found);
        };
        socket.on('error', cleanup);
        socket.on('message', (msg, rinfo) => found.push(rinfo.address));
        socket.bind(5353, () => {
          setTimeout(() => {
            ${resend}
          }, 2000);
          setTimeout(cleanup, timeout);
        });
      });
    }
  `;

  it('send() after close() throws at once, and the catch takes it (ioBroker.shelly)', () => {
    expect(ids(scan("try {\n  socket.send('q', 5353, '224.0.0.251');\n} catch {\n  // closed already\n}"))).toEqual([]);
  });

  it('without the try, or with only a finally, it is reported', () => {
    expect(ids(scan("socket.send('q', 5353, '224.0.0.251');"))).toEqual([[14, 'deferredUse']]);
    expect(ids(scan("try {\n  socket.send('q', 5353, '224.0.0.251');\n} finally {\n  found.push('x');\n}"))).toEqual([[15, 'deferredUse']]);
  });

  it("a socket whose uses fail without throwing (a net.Socket's write) is still reported inside try/catch", () => {
    const code = ts`
      import * as net from 'node:net';
      export function ping(port: number): void {
        const socket = net.connect(port, '127.0.0.1');
        socket.on('error', () => socket.destroy());
        setTimeout(() => {
          try {
            socket.write('ping');
          } catch {
            // a write after destroy() does not throw
          }
        }, 1000);
        setTimeout(() => socket.destroy(), 500);
      }
    `;
    expect(ids(code)).toEqual([[7, 'deferredUse']]);
  });
});

describe('a callback of the socket that ends the process', () => {
  const probe = (callback: string) => ts`
    import * as net from 'node:net';
    export function checkIpc(ipc: string): void {
      const socket = net.connect({ path: ipc }, () => {
        ${callback}
      });
      socket.on('error', () => {});
    }
  `;

  it("ends the socket's life as a release there would (webpack-dev-server's IPC check, with process.exit)", () => {
    expect(ids(probe("console.error('in use');\nprocess.exit(1);"))).toEqual([]);
    expect(ids(probe('socket.end();'))).toEqual([]);
  });

  it('a callback that may return before it exits, or only logs, leaves it open', () => {
    expect(ids(probe("if (ipc === '') {\n  return;\n}\nprocess.exit(1);"))).toEqual([[3, 'leak']]);
    expect(ids(probe("console.error('in use');"))).toEqual([[3, 'leak']]);
  });
});

describe("a local function storing a variable of its enclosing function, called again from a timer", () => {
  const relay = (tick: string) => ts`
    import WebSocket from 'ws';
    export function startRelay(host: string): void {
      let wsClient: WebSocket | undefined;
      function init(): void {
        wsClient = new WebSocket('ws://' + host);
        wsClient.on('message', (m) => console.log(String(m)));
        wsClient.on('error', () => console.error('error connecting'));
      }
      init();
      setInterval(() => {
        ${tick}
      }, 10000);
    }
  `;

  it('a caller that reads the variable before it calls (a closed-state test) handles the old socket (sos-ws-relay)', () => {
    expect(ids(relay('if (wsClient!.readyState === WebSocket.CLOSED) {\n  init();\n}'))).toEqual([]);
  });

  it('a caller that does not look at it overwrites an open socket', () => {
    expect(ids(relay('init();'))).toEqual([[5, 'variableNeverReleased'], [5, 'fieldOverwritten']]);
  });
});

describe("a field's socket given to a method of the class", () => {
  const service = (helper: string) => ts`
    import WebSocket from 'ws';
    export class WebSocketService {
      private webSocket: WebSocket | null = null;
      constructor(private url: string) {}
      connectToServer(token: string): void {
        this.webSocket = new WebSocket(this.url + '?access_token=' + token);
        this.setUp(this.webSocket);
      }
      send(payload: Uint8Array): void {
        this.webSocket?.send(payload);
      }
      private setUp(webSocket: WebSocket): void {
        ${helper}
      }
    }
  `;

  it('that only adds listeners to it hands it to nobody: the field is still never released (multiplayer-game)', () => {
    expect(ids(service("webSocket.on('open', () => console.log('connected'));\nwebSocket.on('message', (data) => console.log(data));"))).toEqual([[6, 'fieldNeverReleased']]);
  });

  it('that releases it on some path, or keeps it elsewhere, takes it over', () => {
    expect(ids(service("webSocket.on('error', () => webSocket.terminate());"))).toEqual([]);
    expect(ids(service('(globalThis as unknown as { sockets: WebSocket[] }).sockets.push(webSocket);'))).toEqual([]);
  });
});

describe('a local function that uses the socket it is given', () => {
  const poller = (helper: string, tick: string) => ts`
    import * as net from 'node:net';
    const message = Buffer.from('0110', 'hex');
    function sendData(socket: net.Socket): void {
      ${helper}
    }
    export function start(port: number, host: string, every: number): void {
      const client = new net.Socket();
      client.connect(port, host, () => {
        setInterval(() => {
          ${tick}
        }, every);
      });
      client.on('error', (err) => console.error(err));
    }
  `;

  it('a timer that calls it uses the socket, as the write in place would (ioBroker.jkbms-rs485)', () => {
    expect(ids(poller('socket.write(message);', 'sendData(client);'))).toEqual([[10, 'deferredUse']]);
    expect(lintWithPlugin(poller('socket.write(message);', 'sendData(client);'))[0]?.message).toContain('write() (through sendData())');
  });

  it('a use the function guards, or a call the caller guards, is no deferred use', () => {
    expect(ids(poller('if (!socket.destroyed) {\n  socket.write(message);\n}', 'sendData(client);'))).toEqual([]);
    expect(ids(poller('socket.write(message);', 'if (!client.destroyed) {\n  sendData(client);\n}'))).toEqual([]);
  });

  it('after the release in the same function, the call is a use after it', () => {
    const code = ts`
      import * as net from 'node:net';
      function greet(socket: net.Socket, name: string): void {
        socket.write('hello ' + name);
      }
      function bye(socket: net.Socket): void {
        socket.end('bye');
      }
      export function run(port: number): void {
        const client = net.connect(port, '127.0.0.1');
        client.on('error', () => {});
        bye(client);
        greet(client, 'x');
      }
    `;
    expect(ids(code)).toEqual([[12, 'useAfterRelease']]);
  });

  it('a function that reopens its parameter before it uses it is not summarised as a use', () => {
    const code = ts`
      import * as net from 'node:net';
      function redial(socket: net.Socket, port: number): void {
        socket.connect(port, '127.0.0.1');
        socket.write('hello again');
      }
      export function run(port: number): void {
        const client = net.connect(port, '127.0.0.1');
        client.on('error', () => {});
        client.end();
        redial(client, port);
      }
    `;
    expect(ids(code)).toEqual([]);
  });
});

describe('a store behind a flag of the enclosing function that is set back only around a release', () => {
  const source = (onRefused: string) => ts`
    import * as net from 'node:net';
    export class SocketSource {
      protected client: net.Socket | null = null;
      private timer?: NodeJS.Timeout;
      start(port: number): void {
        let retry = true;
        this.timer = setInterval(() => {
          if (!retry) {
            return;
          }
          retry = false;
          this.client = net.createConnection({ port }, () => clearInterval(this.timer));
          this.client.setTimeout(5000);
          this.client.on('timeout', async () => {
            ${onRefused}
          });
        }, 250);
      }
      private disposeClient(): void {
        if (this.client) {
          const saved = this.client;
          this.client = null;
          saved.destroy();
        }
      }
      dispose(): void {
        clearInterval(this.timer);
        this.disposeClient();
      }
    }
  `;

  it("set back right before the release, nothing running between (cortex-debug's retry latch)", () => {
    expect(ids(source('retry = true;\nthis.disposeClient();'))).toEqual([]);
    expect(ids(source('this.disposeClient();\nretry = true;'))).toEqual([]);
  });

  it("set back without a release (a 'timeout' closes nothing), or with an await between, lets the timer overwrite an open socket", () => {
    expect(ids(source('retry = true;'))).toEqual([[12, 'fieldOverwritten'], [14, 'timeoutNotReleased']]);
    expect(ids(source('retry = true;\nawait new Promise((r) => setTimeout(r, 1000));\nthis.disposeClient();'))).toEqual([[12, 'fieldOverwritten']]);
  });
});

describe("a field's socket released in a method through a local that holds it", () => {
  it("`const saved = this.client; this.client = null; saved.destroy();` releases the field ('timeout' listener, cortex-debug)", () => {
    const code = (dispose: string) => ts`
      import * as net from 'node:net';
      export class Source {
        private client: net.Socket | null = null;
        open(port: number): void {
          this.client = net.createConnection({ port });
          this.client.setTimeout(5000);
          this.client.on('timeout', () => {
            this.disposeClient();
          });
        }
        private disposeClient(): void {
          ${dispose}
        }
      }
    `;
    expect(ids(code('if (this.client) {\n  const saved = this.client;\n  this.client = null;\n  saved.destroy();\n}'))).toEqual([]);
    expect(ids(code('const saved = this.client;\nthis.client = null;\nconsole.log(saved);'))).toEqual([[5, 'fieldNeverReleased'], [7, 'timeoutNotReleased']]);
  });
});

describe('a server made by a function of the file that a repeating listener calls', () => {
  const ftp = (caller: string) => ts`
    import * as net from 'node:net';
    function handleEpsv(control: net.Socket): void {
      const port = 45535 + Math.floor(Math.random() * 20000);
      const data = net.createServer((conn) => {
        conn.end('listing');
      });
      data.listen(port, () => {
        control.write('229 (|||' + port + '|)');
      });
    }
    export function serveControl(control: net.Socket): void {
      ${caller}
    }
  `;

  it("is made anew for each event, as one made in the listener itself (outfile's EPSV data server)", () => {
    expect(ids(ftp("control.on('data', (chunk) => {\n  if (chunk.toString().startsWith('EPSV')) handleEpsv(control);\n});"))).toEqual([[4, 'leak']]);
  });

  it('called once (not from a listener that runs again and again), it serves for the process', () => {
    expect(ids(ftp("control.once('data', () => handleEpsv(control));"))).toEqual([]);
    expect(ids(ftp('handleEpsv(control);'))).toEqual([]);
  });
});

describe('in JavaScript, a local function whose parameter has no type of its own', () => {
  const jsDir = path.join(__dirname, '..', 'fixtures-prescreen');
  const js = (helper: string, tick: string): Array<[number, string | undefined]> =>
    lintJsWithPlugin(
      ts`
        const net = require('node:net');
        const message = Buffer.from('0110', 'hex');
        function sendData(socket) {
          ${helper}
        }
        function start(port, host, every) {
          const client = new net.Socket();
          client.connect(port, host, () => {
            setInterval(() => {
              ${tick}
            }, every);
          });
          client.on('error', (err) => console.error(err));
        }
        module.exports = { start };
      `,
      jsDir,
    ).map((m) => [m.line, m.messageId]);

  it('its method calls are read for the kind of the argument (ioBroker.jkbms-rs485)', () => {
    expect(js('socket.write(message);', 'sendData(client);')).toEqual([[10, 'deferredUse']]);
  });

  it('a parameter the function tests, reassigns, releases or uses inside a try is not summarised', () => {
    expect(js('if (socket.writable) socket.write(message);', 'sendData(client);')).toEqual([]);
    expect(js('socket && socket.write(message);', 'sendData(client);')).toEqual([]);
    expect(js('socket.write(message);\nsocket.end();', 'sendData(client);')).toEqual([]);
    expect(js('try {\n  socket.write(message);\n} catch (e) {\n  console.error(e);\n}', 'sendData(client);')).toEqual([]);
  });

  it('a call the caller guards is no deferred use', () => {
    expect(js('socket.write(message);', 'if (!client.destroyed) sendData(client);')).toEqual([]);
  });
});

describe("the default value of a constructor's parameter property", () => {
  const server = (close: string) => ts`
    import dgram from 'node:dgram';
    export class DnsServer {
      constructor(
        private readonly port: number,
        private readonly socket: dgram.Socket = dgram.createSocket('udp4'),
      ) {
        this.socket.on('error', (err) => console.error(err));
      }
      listen(): () => void {
        this.socket.bind(this.port);
        return () => {
          ${close}
        };
      }
    }
  `;

  it('is stored in the field, which the class releases (extra-dns)', () => {
    expect(ids(server('this.socket.close();'))).toEqual([]);
  });

  it('a field the class never releases is reported', () => {
    expect(ids(server('console.log(this.port);'))).toEqual([[5, 'fieldNeverReleased']]);
  });
});

describe('a field released and cleared inside the same guarded block', () => {
  const outbound = (close: string) => ts`
    import dgram from 'node:dgram';
    import WebSocket from 'ws';
    export class Outbound {
      private socket: dgram.Socket | null = null;
      private ws: WebSocket | null = null;
      constructor(url: string) {
        this.socket = dgram.createSocket('udp4');
        this.socket.on('message', (m) => console.log(m.length));
        this.ws = new WebSocket(url);
        this.ws.on('message', (m) => console.log(String(m)));
      }
      close(): void {
        ${close}
      }
    }
  `;

  it('the clear runs only where the release ran, whatever the guard reads (blinksocks)', () => {
    expect(ids(outbound('if (this.socket !== null && (this.socket as unknown as { _handle: unknown })._handle !== null) {\n  this.socket.close();\n  this.socket = null;\n}\nif (this.ws && this.ws.readyState === WebSocket.OPEN) {\n  this.ws.close();\n  this.ws = null;\n}'))).toEqual([]);
  });

  it('a clear after the guarded block still drops what the guard let through', () => {
    expect(ids(outbound('this.socket?.close();\nthis.socket = null;\nif (this.ws && this.ws.readyState === WebSocket.OPEN) {\n  this.ws.close();\n}\nthis.ws = null;'))).toEqual([[9, 'leak']]);
  });
});

describe("a release after awaiting a promise whose executor closes the server", () => {
  const api = (stop: string) => ts`
    import http from 'node:http';
    import pg from 'pg';
    export class Api {
      private pool: pg.Pool;
      private server: http.Server;
      constructor() {
        this.pool = new pg.Pool({});
        this.server = http.createServer(async (_req, res) => {
          const r = await this.pool.query('SELECT 1');
          res.end(JSON.stringify(r.rows));
        });
      }
      start(port: number): void {
        this.server.listen(port);
      }
      async stop(): Promise<void> {
        ${stop}
      }
    }
  `;

  it("comes once the server accepts nothing more: its handler's query does not follow it (keenetic-dns2vpn)", () => {
    expect(ids(api('await new Promise<void>((resolve) => {\n  this.server.close(() => resolve());\n});\nawait this.pool.end();'))).toEqual([]);
    expect(ids(api('await new Promise<void>((resolve) => this.server.close(() => resolve()));\nawait this.pool.end();'))).toEqual([]);
  });

  it('a promise that does not close the server, or a release before it, leaves the handler running after the release', () => {
    expect(ids(api('await new Promise<void>((resolve) => setTimeout(resolve, 100));\nawait this.pool.end();'))).toEqual([[9, 'deferredUse']]);
    expect(ids(api('await this.pool.end();\nawait new Promise<void>((resolve) => this.server.close(() => resolve()));'))).toEqual([[9, 'deferredUse']]);
  });
});

describe('a store in a try whose catch re-arms, followed only by event handler properties or addEventListener', () => {
  const client = (after: string) => ts`
    export class Client {
      private ws: WebSocket | null = null;
      private isConnecting = false;
      private timer: NodeJS.Timeout | null = null;
      constructor(private url: string) {}
      connect(): void {
        if (this.isConnecting || (this.ws && this.ws.readyState === WebSocket.OPEN)) return;
        this.isConnecting = true;
        try {
          this.ws = new WebSocket(this.url);
          ${after}
        } catch {
          this.isConnecting = false;
          this.timer = setTimeout(() => this.connect(), 5000);
        }
      }
      disconnect(): void {
        this.ws?.close();
        this.ws = null;
      }
    }
  `;

  it('cannot throw once the socket is stored: the catch never runs with it open (Honos-Sync)', () => {
    expect(ids(client('this.ws.onopen = () => {\n  this.isConnecting = false;\n};\nthis.ws.onclose = () => {\n  this.isConnecting = false;\n};'))).toEqual([]);
    expect(ids(client("this.ws.addEventListener('open', () => {\n  this.isConnecting = false;\n});"))).toEqual([]);
  });

  it('a statement that can throw after the store lets the catch store again over the open socket', () => {
    expect(ids(client("this.ws.onopen = () => {\n  this.isConnecting = false;\n};\nthis.ws.send('hello');"))).toEqual([[10, 'fieldOverwritten']]);
  });
});

describe("a timer's use after the peer closed a socket whose close listener ends the process", () => {
  const feed = (onClose: string) => ts`
    import WebSocket from 'ws';
    export function main(url: string): void {
      const ws = new WebSocket(url);
      ws.on('error', (err) => console.log('error', err));
      ws.on('close', (code: number) => {
        ${onClose}
      });
      ws.on('open', () => {
        setInterval(() => {
          ws.send('PING');
        }, 50000);
      });
    }
  `;

  it('cannot happen: the process is gone by then (clob-client)', () => {
    expect(ids(feed("console.log('closed', code);\nprocess.exit(1);"))).toEqual([]);
  });

  it('a close listener that only logs, or may return before it exits, leaves the timer running', () => {
    expect(ids(feed("console.log('closed', code);"))).toEqual([[10, 'deferredUse']]);
    expect(ids(feed('if (code === 1000) return;\nprocess.exit(1);'))).toEqual([[11, 'deferredUse']]);
  });
});

describe("an application's route handler, the application's server closed before the release", () => {
  const api = (stop: string) => ts`
    import pg from 'pg';
    declare function express(): any;
    export class Api {
      private app: any = express();
      private pool = new pg.Pool({});
      private server: any;
      constructor() {
        this.app.get('/count', async (_req: any, res: any) => {
          const r = await this.pool.query('SELECT 1');
          res.json(r.rows);
        });
      }
      start(port: number): void {
        this.server = this.app.listen(port);
      }
      async stop(): Promise<void> {
        ${stop}
      }
    }
  `;

  it('runs on that server: it does not follow a release made once the server closed (keenetic-dns2vpn)', () => {
    expect(ids(api('if (this.server) {\n  await new Promise<void>((resolve) => this.server.close(() => resolve()));\n}\nawait this.pool.end();'))).toEqual([]);
    expect(ids(api('this.server.close();\nawait this.pool.end();'))).toEqual([]);
  });

  it('a release before the close, or with the close under another test, can come while it runs', () => {
    expect(ids(api('await this.pool.end();\nthis.server.close();'))).toEqual([[9, 'deferredUse']]);
    expect(ids(api('if (process.env.CLOSE) {\n  this.server.close();\n}\nawait this.pool.end();'))).toEqual([[9, 'deferredUse']]);
  });
});

describe("an operation's failure arm named `error`", () => {
  const create = (onError: string) => ts`
    import * as dgram from 'node:dgram';
    export function create(port: number, onListening: (s: dgram.Socket) => void, error: (e: Error) => void): void {
      const udp = dgram.createSocket('udp4');
      udp.on('listening', () => {
        onListening(udp);
      });
      udp.on('error', (err) => {
        ${onError}
      });
      udp.bind(port);
    }
  `;

  it("settles the operation: a failed bind() leaves the dgram socket open (tcp-udp-web-tool)", () => {
    expect(ids(create('error(err);'))).toEqual([[3, 'leak']]);
  });

  it('released before it, nothing is left open', () => {
    expect(ids(create('udp.close();\nerror(err);'))).toEqual([]);
  });
});
