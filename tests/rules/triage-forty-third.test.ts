/**
 * Shapes found in the forty-third session (what earlier triages left, and the thirty-seventh triage), each reduced
 * to its general mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

/** Line and message id of each message. */
const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe("a protocol state machine in a 'data' listener: a state the release path leaves guards the next run", () => {
  // One run of the listener per chunk: the greeting state is left (for a state the release sets) before the socket
  // is ended, and nothing sets it again, so the greeting's write cannot follow the end() of an earlier run.
  const server = (listener: string): string => ts`
    import * as net from 'node:net';
    function greet(s: net.Socket, d: Buffer): boolean {
      s.write(Buffer.from([5, d[0] === 5 ? 0 : 0xff]));
      return d[0] === 5;
    }
    export function serve(server: net.Server): void {
      server.on('connection', (s: net.Socket) => {
        let state = 'greeting';
        s.on('data', (d: Buffer) => {
          ${listener}
        });
      });
    }
  `;

  it('`switch (state) { case "greeting": … }` and `if (state === "greeting")` guard the write before the release', () => {
    expect(ids(server(`switch (state) {
            case 'greeting':
              state = 'auth';
              if (!greet(s, d)) s.end();
              else state = 'ready';
              break;
            default:
              console.log(d.length);
          }`))).toEqual([]);
    expect(ids(server(`if (state === 'greeting') {
            state = 'auth';
            if (!greet(s, d)) s.end();
            else state = 'ready';
          }`))).toEqual([]);
  });

  it('a case of the state the release leaves, a default, or a case another falls into is no guard', () => {
    // 'auth' is what the release path leaves: its write follows the end() of the run before.
    expect(ids(server(`switch (state) {
            case 'greeting':
              state = 'auth';
              if (!greet(s, d)) s.end();
              break;
            case 'auth':
              s.write('again');
              break;
          }`))).toEqual([[16, 'deferredUse']]);
    expect(ids(server(`switch (state) {
            case 'greeting':
              state = 'auth';
              if (!greet(s, d)) s.end();
              break;
            default:
              s.write('again');
          }`))).toEqual([[16, 'deferredUse']]);
    // 'auth' falls into the greeting's case.
    expect(ids(server(`switch (state) {
            case 'auth':
              console.log('late');
            case 'greeting':
              state = 'auth';
              if (!greet(s, d)) s.end();
              break;
          }`))).toEqual([[15, 'deferredUse']]);
  });

  it('the state set back to the guarded one, a release before the use, or a loop around both: no guard', () => {
    expect(ids(server(`if (state === 'greeting') {
            if (!greet(s, d)) s.end();
            state = 'greeting';
          }`))).toEqual([[11, 'deferredUse']]);
    expect(ids(server(`if (state === 'greeting') {
            state = 'auth';
            s.end();
            greet(s, d);
          }`))).toEqual([[13, 'useAfterRelease']]);
    expect(ids(server(`if (state === 'greeting') {
            state = 'auth';
            for (const b of d) {
              s.write(String(b));
              if (b === 0) s.end();
            }
          }`))).toEqual([[13, 'useAfterRelease']]);
  });

  it("a class's state property tested by a switch in the method its 'data' listener calls", () => {
    const conn = (cases: string): string => ts`
      import * as net from 'node:net';
      export class Conn {
        private state: 'idle' | 'open' | 'closed' = 'idle';
        constructor(private s: net.Socket) {
          s.on('data', (d: Buffer) => this.onData(d));
        }
        private onData(d: Buffer): void {
          switch (this.state) {
            ${cases}
          }
        }
        close(): void {
          this.state = 'closed';
          this.s.end();
        }
      }
    `;
    // `case 'idle': case 'open':` — entered only in states no release sets.
    expect(ids(conn(`case 'idle':
            case 'open':
              this.s.write(d);
              break;`))).toEqual([]);
    expect(ids(conn(`case 'idle':
            case 'closed':
              this.s.write(d);
              break;`))).toEqual([[5, 'deferredUse']]);
  });
});

describe("addEventListener in a try block whose catch clears the field: a registration throws nothing", () => {
  const bridge = (after: string): string => ts`
    import WebSocket from 'ws';
    export class Bridge {
      private ws: WebSocket | null = null;
      connect(url: string, hello: string): void {
        try {
          this.ws = new WebSocket(url);
          this.ws.addEventListener('open', () => console.log('open'));
          ${after}
        } catch {
          this.ws = null;
        }
      }
      disconnect(): void {
        this.ws?.close();
        this.ws = null;
      }
    }
  `;

  it('only registrations after the store: the catch runs only when the constructor throws, before anything is stored', () => {
    expect(ids(bridge("this.ws.addEventListener('error', () => undefined);"))).toEqual([]);
    expect(ids(bridge("this.ws.removeEventListener('error', () => undefined);"))).toEqual([]);
  });

  it('a call that can throw after the store (send() while connecting) still drops it in the catch', () => {
    expect(ids(bridge('this.ws.send(hello);'))).toEqual([[6, 'leak']]);
  });
});

describe('a settle in a callback while a timer that releases the socket is still armed', () => {
  // The executor arms a timer that destroys the socket; the 'data' listener rejects on one branch without clearing
  // it: the timer still closes the socket (at most 3 s later).
  const auth = (failed: string, extra = ''): string => ts`
    import * as net from 'node:net';
    export function connectAuth(host: string, port: number): Promise<net.Socket> {
      return new Promise<net.Socket>((resolve, reject) => {
        const socket = net.connect({ host, port });
        const timeout = setTimeout(() => {
          socket.destroy();
          reject(new Error('timeout'));
        }, 3000);
        ${extra}
        socket.on('data', (data) => {
          if (data.toString().includes('ok')) {
            clearTimeout(timeout);
            resolve(socket);
          } else {
            ${failed}
          }
        });
        socket.on('close', () => {
          clearTimeout(timeout);
          reject(new Error('closed'));
        });
      });
    }
  `;

  it('a rejection that leaves the timer armed leaves the socket to it', () => {
    expect(ids(auth("reject(new Error('auth failed'));"))).toEqual([]);
  });

  it('a rejection after clearing the timer, or a listener that cleared it before, leaves it open', () => {
    expect(ids(auth("clearTimeout(timeout);\n            reject(new Error('auth failed'));"))).toEqual([[4, 'leak']]);
    expect(ids(auth("reject(new Error('auth failed'));", "socket.on('connect', () => clearTimeout(timeout));"))).toEqual([[4, 'leak']]);
  });
});

describe("EventEmitter's own methods open nothing on a client created idle", () => {
  const hop = (configure: string): string => ts`
    import { Client } from 'ssh2';
    import * as net from 'node:net';
    function openProxy(port: number): Promise<net.Socket> {
      return new Promise((resolve, reject) => {
        const s = net.connect(port, '127.0.0.1', () => resolve(s));
        s.on('error', reject);
      });
    }
    export async function hop(port: number, hops: Client[]): Promise<void> {
      const conn = new Client();
      ${configure}
      const sock = await openProxy(port);
      await new Promise<void>((resolve, reject) => {
        conn.on('ready', () => resolve());
        conn.on('error', reject);
        conn.connect({ sock, username: 'root' });
      });
      hops.push(conn);
    }
  `;

  it('`setMaxListeners(0)` before an await that rejects: the client still holds nothing', () => {
    expect(ids(hop('conn.setMaxListeners(0);'))).toEqual([]);
  });

  it('`connect()` before that await: the rejection leaves it open', () => {
    expect(ids(hop("conn.connect({ host: 'gateway', username: 'root' });"))).toEqual([[10, 'leak']]);
  });
});

describe('a choice of creators that each return the request already ended (`secure ? httpsGet : httpGet`)', () => {
  const fetchText = (second: string): string => ts`
    import { get as httpGet, request as httpRequest } from 'node:http';
    import { get as httpsGet } from 'node:https';
    export function fetchText(url: string): Promise<string> {
      const client = url.startsWith('https:') ? httpsGet : ${second};
      return new Promise((resolve, reject) => {
        client(url, (res) => {
          let body = '';
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => resolve(body));
        }).on('error', reject);
      });
    }
  `;

  it('`get` or `get`: nothing left to end', () => {
    expect(ids(fetchText('httpGet'))).toEqual([]);
  });

  it('`get` or `request`: the request of `request()` is never ended', () => {
    expect(ids(fetchText('httpRequest'))).toEqual([[6, 'leak']]);
  });
});

describe("ssh2's 'timeout' comes only when connect() is given `timeout`", () => {
  const hop = (options: string): string => ts`
    import { Client } from 'ssh2';
    export async function hop(host: string, hops: Client[]): Promise<void> {
      const conn = new Client();
      await new Promise<void>((resolve, reject) => {
        conn.on('ready', () => resolve());
        conn.on('error', reject);
        conn.on('timeout', () => reject(new Error('timeout')));
        conn.connect(${options});
      });
      hops.push(conn);
    }
  `;

  it('no `timeout` in the options literal: the rejecting listener never runs', () => {
    expect(ids(hop("{ host, username: 'root', readyTimeout: 20000 }"))).toEqual([]);
  });

  it('a `const` options literal whose other properties are set or deleted later never gets it either', () => {
    const viaConst = (write: string): string =>
      hop('opts').replace('  const conn = new Client();', `  const conn = new Client();\n  const opts: ConnectConfig = { host, username: 'root' };\n  ${write}`).replace("import { Client } from 'ssh2';", "import { Client, type ConnectConfig } from 'ssh2';");
    expect(ids(viaConst("opts.password = 'pw';\n  delete opts.host;"))).toEqual([]);
    expect(ids(viaConst('opts.timeout = 5000;'))).toEqual([[3, 'leak']]);
    expect(ids(viaConst('Object.assign(opts, { keepaliveInterval: 1000 });'))).toEqual([[3, 'leak']]);
  });

  it('`timeout` given, or options it cannot read: the rejection leaves the client open', () => {
    expect(ids(hop("{ host, username: 'root', timeout: 5000 }"))).toEqual([[3, 'leak']]);
    expect(ids(hop("{ host, ...{ username: 'root' } }"))).toEqual([[3, 'leak']]);
  });
});

describe('`if (flag && holder)` in a finally: each operand of the test is known on the edge it leaves by', () => {
  const run = (test: string): string => ts`
    import { ClientBase, Pool, PoolClient, QueryResult } from 'pg';
    export async function run(client: Pool | ClientBase, sql: string, verbose: boolean): Promise<QueryResult> {
      const isPool = 'connect' in client;
      let pgClient: ClientBase | PoolClient | null = null;
      try {
        pgClient = isPool ? await (client as Pool).connect() : (client as ClientBase);
        return await pgClient.query(sql);
      } finally {
        if (${test}) (pgClient as PoolClient).release();
      }
    }
  `;

  it('the flag the checkout was made under, joined to a test of the variable holding it: released on every path', () => {
    expect(ids(run('isPool && pgClient'))).toEqual([]);
    expect(ids(run("pgClient && isPool && 'release' in pgClient"))).toEqual([]);
  });

  it('a flag that has nothing to do with the checkout leaves it open when false', () => {
    expect(ids(run('verbose && pgClient'))).toEqual([[6, 'leak']]);
    expect(ids(run('isPool || verbose'))).toEqual([]);
  });
});

describe("a close listener that is a promise's stored resolve: awaiting that promise waits for the close", () => {
  it('`let done; const closed = new Promise((r) => { done = r; }); req.on("close", done); await closed`', () => {
    expect(
      ids(ts`
        import { request } from 'node:http';
        export async function post(port: number): Promise<void> {
          let reqClose!: () => void;
          const reqPromise = new Promise<void>((resolve) => {
            reqClose = resolve;
          });
          const req = request({ port, method: 'POST', path: '/' });
          req.on('close', reqClose);
          req.write('x');
          await reqPromise;
        }
      `),
    ).toEqual([]);
  });

  it('the pair set up by a test hook, awaited in Promise.all', () => {
    const hook = (awaited: string): string => ts`
      import { request } from 'node:http';
      declare function beforeEach(fn: () => void): void;
      declare function it(name: string, fn: () => Promise<void>): void;
      let reqPromise: Promise<void>;
      let reqClose: () => void;
      beforeEach(() => {
        reqPromise = new Promise((resolve) => {
          reqClose = resolve;
        });
      });
      it('posts without end', async () => {
        const req = request({ port: 8080, method: 'POST', path: '/' });
        req.on('close', reqClose);
        req.write('x');
        await Promise.all([${awaited}]);
      });
    `;
    expect(ids(hook('reqPromise'))).toEqual([]);
    // Another promise awaited: the request may still be open.
    expect(ids(hook('new Promise((r) => setTimeout(r, 10))'))).toEqual([[12, 'leak']]);
  });

  it('a stored resolve of a promise that is never awaited, or a variable also given another function, waits for nothing', () => {
    const post = (extra: string, awaited: string): string => ts`
      import { request } from 'node:http';
      export async function post(port: number): Promise<void> {
        let reqClose!: () => void;
        const reqPromise = new Promise<void>((resolve) => {
          reqClose = resolve;
        });
        ${extra}
        const req = request({ port, method: 'POST', path: '/' });
        req.on('close', reqClose);
        req.write('x');
        await ${awaited};
      }
    `;
    expect(ids(post('void reqPromise;', 'new Promise((r) => setTimeout(r, 10))'))).toEqual([[8, 'leak']]);
    expect(ids(post('if (port === 0) reqClose = () => undefined;', 'reqPromise'))).toEqual([[8, 'leak']]);
  });
});

describe('a one-shot callback registered anew by an interval that goes on while the socket is open', () => {
  const upload = (onError: string): string => ts`
    import { connect } from 'node:net';
    export function upload(port: number): void {
      const socket = connect(port, '127.0.0.1');
      let writes = 0;
      const timer = setInterval(() => {
        if (socket.destroyed) return;
        socket.write('a', (error) => {
          if (error) {
            ${onError}
            return;
          }
          writes += 1;
          if (writes >= 4) {
            clearInterval(timer);
            socket.end();
          }
        });
      }, 20);
    }
  `;

  it("a run of the write() callback that leaves it open: the next tick's callback may release it", () => {
    expect(ids(upload('clearInterval(timer);\n            socket.destroy();'))).toEqual([]);
    expect(ids(upload('console.error(error);'))).toEqual([]);
  });

  it('a callback that stops the interval without releasing is the last chance: reported', () => {
    expect(ids(upload('clearInterval(timer);'))).toEqual([[3, 'leak']]);
  });

  it('the handle in a `let` assigned later, cleared under `if (timer)` next to the release', () => {
    const code = upload('console.error(error);')
      .replace('const timer = setInterval(', 'let timer: ReturnType<typeof setInterval> | undefined;\n  timer = setInterval(')
      .replace('clearInterval(timer);\n        socket.end();', 'if (timer) clearInterval(timer);\n        socket.end();');
    expect(code).toContain('if (timer) clearInterval(timer);');
    expect(ids(code)).toEqual([]);
    expect(ids(code.replace('if (timer) clearInterval(timer);\n        socket.end();', 'if (timer) clearInterval(timer);'))).toEqual([[3, 'leak']]);
  });
});

describe('a stream piped into a socket is no hand-off for its idle timeout', () => {
  const proxy = (pipes: string): string => ts`
    import * as net from 'node:net';
    export function handleClient(client: net.Socket, port: number, host: string, ms: number): void {
      const upstream = net.createConnection(port, host);
      ${pipes}
      client.on('close', () => upstream.end());
      upstream.setTimeout(ms);
    }
  `;

  it('`client.pipe(upstream)`: still no listener closes it when the timeout fires', () => {
    expect(ids(proxy('client.pipe(upstream);\n      upstream.pipe(client);'))).toEqual([[7, 'idleTimeoutUnhandled']]);
  });

  it('handed to a function that may add the listener: not reported', () => {
    expect(ids(`import * as net from 'node:net';\ndeclare function adopt(s: net.Socket): void;\n` + proxy('adopt(upstream);').split('\n').slice(1).join('\n'))).toEqual([]);
  });
});

describe('a release undone by a reconnect: the field read right after the store of the next socket stops nothing', () => {
  const pubsub = (listener: string): string => ts`
    import WebSocket from 'ws';
    export class PubSub {
      private ws: WebSocket | null = null;
      private badAuth = false;
      connect(): void {
        this.ws = new WebSocket('wss://example.invalid');
        this.ws.onclose = () => {
          ${listener}
        };
      }
      rotate(): void {
        this.ws?.close();
        this.ws = null;
      }
    }
  `;

  it('`this.ws.onclose = …` after `this.ws = new WebSocket()` reads the new socket: the cleared field stops nothing', () => {
    expect(ids(pubsub('if (!this.badAuth) setTimeout(() => this.connect(), 3000);'))).toEqual([[12, 'reconnectsAfterRelease']]);
  });

  it('a close listener that tests the field the release clears stops the reconnect', () => {
    expect(ids(pubsub('if (this.ws === null) return;\n          setTimeout(() => this.connect(), 3000);'))).toEqual([]);
  });
});

describe("ssh2's `on('ready')` runs once per connect(): checked as a one-shot listener", () => {
  const start = (listen: string, otherwise: string): string => ts`
    import { Client } from 'ssh2';
    export function start(type: string, host: string, tunnels: Map<string, Client>): Promise<void> {
      return new Promise((resolve, reject) => {
        const conn = new Client();
        conn.${listen}('ready', () => {
          if (type === 'exec') {
            conn.exec('uptime', (err, stream) => {
              if (err) {
                conn.end();
                return reject(err);
              }
              stream.on('close', () => {
                conn.end();
                resolve();
              });
            });
          } else {
            ${otherwise}
          }
        });
        conn.on('error', reject);
        conn.connect({ host, username: 'root' });
      });
    }
  `;

  it('a branch that rejects with the connection open is reported with `on` as with `once`', () => {
    expect(ids(start('on', "reject(new Error('unknown type'));"))).toEqual([[4, 'leak']]);
    expect(ids(start('once', "reject(new Error('unknown type'));"))).toEqual([[4, 'leak']]);
  });

  it('every branch releasing or handing it on: nothing reported', () => {
    expect(ids(start('on', "conn.end();\n            reject(new Error('unknown type'));"))).toEqual([]);
    expect(ids(start('on', 'tunnels.set(host, conn);\n            resolve();'))).toEqual([]);
  });
});

describe("a consumer's set-up failure swallowed by its own catch leaves the connection open", () => {
  const consume = (before: string, onError: string): string => ts`
    import amqp from 'amqplib';
    export async function consume(url: string): Promise<void> {
      ${before}
      try {
        ${before ? '' : 'const connection = await amqp.connect(url);'}
        const channel = await connection.createChannel();
        await channel.assertQueue('jobs');
        channel.consume('jobs', (msg) => {
          if (msg) channel.ack(msg);
        });
      } catch (err) {
        ${onError}
      }
    }
  `;

  it('createChannel() or assertQueue() rejecting into a catch that only logs', () => {
    expect(ids(consume('', 'console.error(err);'))).toEqual([[5, 'leak']]);
    expect(ids(consume('const connection = await amqp.connect(url);', 'console.error(err);'))).toEqual([[3, 'leak']]);
  });

  it('a catch that ends the process, or rethrows: nothing left behind', () => {
    expect(ids(consume('const connection = await amqp.connect(url);', 'console.error(err);\n        process.exit(1);'))).toEqual([]);
    expect(ids(consume('', 'throw err;'))).toEqual([]);
  });
});

describe("a reconnect armed by a timer from a channel's error listener", () => {
  const transport = (listener: string, helper: string): string => ts`
    import amqp, { Channel, ChannelModel } from 'amqplib';
    export class Transport {
      private connection: ChannelModel | null = null;
      private channel: Channel | null = null;
      private closing = false;
      constructor(private readonly url: string) {}
      async connect(): Promise<void> {
        this.connection = await amqp.connect(this.url);
        this.channel = await this.connection.createChannel();
        this.channel.on('error', ${listener});
      }
      ${helper}
      async close(): Promise<void> {
        this.closing = true;
        await this.channel?.close();
        await this.connection?.close();
      }
    }
  `;
  const schedule = `private scheduleReconnect(): void {
        if (this.closing) return;
        setTimeout(() => {
          void this.connect().catch(() => this.scheduleReconnect());
        }, 5000);
      }`;

  it('the connection, still open after a channel error, is overwritten; the channel its error closed is not', () => {
    expect(ids(transport('() => this.scheduleReconnect()', schedule))).toEqual([[8, 'fieldOverwritten']]);
    expect(ids(transport('() => this.reconnect()', 'private reconnect(): void {\n        void this.connect();\n      }'))).toEqual([[8, 'fieldOverwritten']]);
    expect(ids(transport('() => void this.connect()', ''))).toEqual([[8, 'fieldOverwritten']]);
  });
});

describe("awaiting a promise that a WHATWG WebSocket's close handler resolves", () => {
  const wait = (register: string): string => ts`
    export async function waitClosed(url: string): Promise<void> {
      const socket = new WebSocket(url);
      const closed = new Promise<void>((resolve) => {
        ${register}
      });
      await closed;
    }
  `;

  it("`addEventListener('close', …)` or `onclose = …` in the executor: the function goes on once it is closed", () => {
    expect(ids(wait("socket.addEventListener('close', () => resolve());"))).toEqual([]);
    expect(ids(wait('socket.onclose = () => resolve();'))).toEqual([]);
  });

  it("a handler of another event ('open') resolves while it is still open", () => {
    expect(ids(wait("socket.addEventListener('open', () => resolve());"))).toEqual([[2, 'leak']]);
    expect(ids(wait('socket.onopen = () => resolve();'))).toEqual([[2, 'leak']]);
  });
});
