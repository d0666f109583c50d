/**
 * Shapes from the nineteenth hand triage: each false alarm or miss reduced to its general mechanism, with the
 * counterpart that must stay as it was.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe("a script's entry function whose `.catch()` handler throws again", () => {
  /** A script whose `main()` leaks its client when a query rejects, started by `start`. */
  const script = (start: string): string => ts`
    import * as pg from 'pg';
    async function main(): Promise<void> {
      const db = new pg.Client({ connectionString: 'postgres://127.0.0.1:5432/app' });
      await db.connect();
      const result = await db.query('SELECT 1 AS one');
      console.log(result.rows[0]);
      await db.end();
    }
    ${start}
  `;
  const caught = (handler: string): string => script(`main().catch(${handler});`);

  it('a handler that logs and throws again: the rejection stays unhandled, the process ends', () => {
    expect(ids(caught('(err) => {\n  console.error(err);\n  throw err;\n}'))).toEqual([]);
  });

  it('a rethrowing handler chained on to one that exits', () => {
    expect(ids(script('main()\n  .then(undefined, (err: unknown) => {\n    throw new Error(String(err));\n  })\n  .catch(() => process.exit(1));'))).toEqual([]);
  });

  it('a handler that only logs keeps the process going: the rejection leaks the client', () => {
    expect(ids(caught('(err) => {\n  console.error(err);\n}'))).toEqual([[3, 'leak']]);
  });

  it('a handler that may return instead of throwing keeps the report', () => {
    expect(ids(caught('(err) => {\n  if (err instanceof TypeError) return;\n  throw err;\n}'))).toEqual([[3, 'leak']]);
  });

  it('a rethrowing handler on a chain whose value is kept is not the end of the process', () => {
    expect(ids(script('export const done = main().catch((err) => {\n  throw err;\n});'))).toEqual([[3, 'leak']]);
  });
});

describe("a timer cleared in a 'close' listener kept in a field before it is registered", () => {
  const player = (store: string, field: string): string => ts`
    import WebSocket from 'ws';
    export class PlayerControl {
      private heartbeat: ReturnType<typeof setInterval>;
      ${field}
      constructor(private socket: WebSocket) {
        this.heartbeat = setInterval(this.onHeartbeat.bind(this), 5000);
        ${store}
        this.socket.on('close', this.onClose);
      }
      onHeartbeat(): void {
        this.socket.send(JSON.stringify({ type: 'ping', t: Date.now() }));
      }
      onSocketClose(): void {
        clearInterval(this.heartbeat);
        this.socket.off('close', this.onClose);
      }
    }
  `;

  it('the bound method stored in the constructor: the interval stops when the socket closes', () => {
    expect(ids(player('this.onClose = this.onSocketClose.bind(this);', 'private readonly onClose: () => void;'))).toEqual([]);
  });

  it('the bound method as the field initialiser', () => {
    expect(ids(player('', 'private readonly onClose = this.onSocketClose.bind(this);'))).toEqual([]);
  });

  it('a field stored twice may hold another function when registered: the report stays', () => {
    expect(ids(player('this.onClose = this.onSocketClose.bind(this);\nthis.onClose = () => undefined;', 'private onClose: () => void;'))).toEqual([[12, 'deferredUse']]);
  });

  it("a field registered for 'message' only: the report stays", () => {
    expect(ids(ts`
      import WebSocket from 'ws';
      export class PlayerControl {
        private heartbeat: ReturnType<typeof setInterval>;
        private readonly onMessage: () => void;
        constructor(private socket: WebSocket) {
          this.heartbeat = setInterval(() => this.socket.send('ping'), 5000);
          this.onMessage = this.stop.bind(this);
          this.socket.on('message', this.onMessage);
        }
        stop(): void {
          clearInterval(this.heartbeat);
        }
      }
    `)).toEqual([[6, 'deferredUse']]);
  });
});

describe("a 'timeout' listener on a socket whose idle timeout nothing can arm", () => {
  const bridge = (create: string, extra = '', after = ''): string => ts`
    import * as net from 'node:net';
    import { once } from 'node:events';
    ${extra}
    export async function bridge(client: net.Socket, opts: net.SocketConnectOpts, all: net.NetConnectOpts): Promise<void> {
      const upstream = ${create};${after}
      try {
        upstream.on('error', (err) => console.error(err));
        await once(upstream, 'connect');
        upstream.once('close', () => client.destroy());
        upstream.on('timeout', () => {
          console.debug('upstream timeout');
        });
        client.once('close', () => upstream.destroy());
        client.pipe(upstream);
        upstream.pipe(client);
      } catch (err) {
        upstream.destroy();
        throw err;
      }
    }
  `;

  it('options whose type has no timeout, only library helpers given the socket: the listener never runs', () => {
    expect(ids(bridge('net.createConnection(opts)'))).toEqual([]);
    expect(ids(bridge("net.connect({ host: '127.0.0.1', port: 80 })"))).toEqual([]);
  });

  it('options that may carry a timeout keep the report', () => {
    expect(ids(bridge('net.createConnection(all)'))).toEqual([[10, 'timeoutNotReleased']]);
    expect(ids(bridge('net.createConnection({ ...opts })'))).toEqual([[10, 'timeoutNotReleased']]);
    expect(ids(bridge("net.connect({ host: '127.0.0.1', port: 80, timeout: 5000 })"))).toEqual([[10, 'timeoutNotReleased']]);
  });

  it('a setTimeout() call anywhere in the file, or a function of the project given the socket, keeps the report', () => {
    expect(ids(bridge('net.createConnection(opts)', 'export const arm = (s: net.Socket): net.Socket => s.setTimeout(1000);'))).toEqual([[10, 'timeoutNotReleased']]);
    expect(ids(bridge('net.createConnection(opts)', 'declare function configure(s: net.Socket): void;', ' configure(upstream);'))).toEqual([[10, 'timeoutNotReleased']]);
  });
});

describe('a helper awaited in the try block of a catch that ends the process', () => {
  const cli = (handler: string, finalizer = ''): string => ts`
    import { MongoClient } from 'mongodb';
    async function validate(uri: string): Promise<void> {
      const client = new MongoClient(uri);
      await client.connect();
      await client.db('app').admin().ping();
      await client.close();
    }
    export async function main(): Promise<void> {
      try {
        await validate('mongodb://127.0.0.1:27017');
      } catch (error) {
        ${handler}
      }${finalizer}
    }
  `;

  it('the catch logs and exits: a rejection of the helper ends the process', () => {
    expect(ids(cli('console.error(error);\nprocess.exit(1);'))).toEqual([]);
  });

  it('a finally after the exiting catch does not run: still no report', () => {
    expect(ids(cli('console.error(error);\nprocess.exit(1);', ' finally {\n  console.log("done");\n}'))).toEqual([]);
  });

  it('a catch that only logs keeps the report', () => {
    expect(ids(cli('console.error(error);'))).toEqual([[3, 'leak']]);
  });
});

describe("a 'timeout' listener on an http request (the agent's default timeout arms it)", () => {
  it('an http.request() whose listener only logs is still reported', () => {
    expect(ids(ts`
      import * as http from 'node:http';
      export function get(): void {
        const req = http.request('http://127.0.0.1:8080/');
        req.on('timeout', () => {
          console.debug('timeout');
        });
        req.on('error', () => req.destroy());
        req.end();
      }
    `)).toEqual([[4, 'timeoutNotReleased']]);
  });
});

describe("a 'connect' listener whose own handshake steps are the only releases", () => {
  const proxy = (access: string, extra = ''): string => ts`
    import * as net from 'node:net';
    export class ProxySocket {
      private socket: net.Socket;
      constructor(port: number, private readonly done: (err: Error | null) => void) {
        this.socket = net.createConnection({ host: '127.0.0.1', port });
        this.socket.on('connect', () => {
          this.sendHello();
        });
        this.socket.on('error', (err) => this.done(err));
      }
      private sendHello(): void {
        this.socket.write('hello');
        this.socket.once('data', (buf: Buffer) => {
          if (buf[0] === 0) this.done(null);
          else this.refuse();
        });
      }
      ${access} refuse(): void {
        this.socket.end();
        this.done(new Error('refused'));
      }
      ${extra}
    }
  `;

  it('the release is reached only from the listener (private steps): the event cannot follow it', () => {
    expect(ids(proxy('private'))).toEqual([]);
  });

  it('a public step may run first, from outside: the report stays', () => {
    expect(ids(proxy('public'))).toEqual([[7, 'deferredUse']]);
  });

  it('a reconnect in the file lets the event fire again: the report stays', () => {
    expect(ids(proxy('private', 'private retry(port: number): void {\n  this.socket.connect(port, "127.0.0.1");\n}'))).toEqual([[7, 'deferredUse']]);
  });
});

describe("a class a dependency-injection container makes once", () => {
  const service = (decorator: string, after = '', head = ''): string => ts`
    import { Pool } from 'pg';
    ${head}
    ${decorator}
    export class PostgresDB {
      private readonly pool: Pool;
      constructor() {
        this.pool = new Pool({ host: '127.0.0.1', port: 5432, max: 1 });
      }
      async now(): Promise<unknown> {
        return (await this.pool.query('SELECT now()')).rows[0];
      }
    }
    ${after}
  `;
  const container = "interface Binding { to(c: new () => unknown): { inSingletonScope(): void; inTransientScope(): void }; toSelf(): { inSingletonScope(): void } }\ndeclare const di: { bind(id: unknown): Binding; registerSingleton(token: unknown, c?: unknown): void };";

  it('bound with inSingletonScope() (to() or toSelf()), or registered with registerSingleton(): no report', () => {
    expect(ids(service('', "di.bind(Symbol.for('DB')).to(PostgresDB).inSingletonScope();", container))).toEqual([]);
    expect(ids(service('', 'di.bind(PostgresDB).toSelf().inSingletonScope();', container))).toEqual([]);
    expect(ids(service('', "di.registerSingleton('DB', PostgresDB);", container))).toEqual([]);
  });

  it('a transient binding keeps the report', () => {
    expect(ids(service('', "di.bind(Symbol.for('DB')).to(PostgresDB).inTransientScope();", container))).toEqual([[8, 'fieldNeverReleased']]);
  });
});

describe("a release at the end of an emitter's listener-method chain, in a collection's element callback", () => {
  const discover = (release: string): string => ts`
    import { createSocket, type RemoteInfo } from 'node:dgram';
    export function discover(onHub: (ip: string) => void, windowMs: number): () => void {
      const onMessage = (_msg: Buffer, remote: RemoteInfo) => onHub(remote.address);
      const a = createSocket({ type: 'udp4', reuseAddr: true });
      a.bind(10000);
      const b = createSocket({ type: 'udp4', reuseAddr: true });
      b.bind(10001);
      const servers = [a, b];
      const cancel = () => {
        servers.map((server) => ${release});
      };
      servers.forEach((server) => {
        server.on('message', onMessage).on('error', () => cancel());
      });
      setTimeout(() => cancel(), windowMs);
      return cancel;
    }
  `;

  it('`server.off(…).close()` releases each element', () => {
    expect(ids(discover("server.off('message', onMessage).close()"))).toEqual([]);
  });

  it('a chain that ends without a release keeps the reports', () => {
    expect(ids(discover("server.off('message', onMessage).unref()"))).toEqual([[4, 'leak'], [6, 'leak']]);
  });
});

describe('a browser WebSocket made in a page-load listener lives as long as the page', () => {
  const domDir = path.join(__dirname, '..', 'fixtures-dom');
  const page = (register: string): Array<[number, string | undefined]> =>
    lintWithPlugin(
      ts`
        function handle(data: string): void {
          if (data === 'reload') window.location.reload();
        }
        function onLoad(): void {
          const connection = new WebSocket('ws://127.0.0.1:3001/live');
          connection.addEventListener('message', (e: MessageEvent<string>) => handle(e.data));
        }
        ${register}
        export {};
      `,
      { dir: domDir, rules: { 'no-leak': 'error' } },
    ).map((m) => [m.line, m.messageId]);

  it("registered for 'DOMContentLoaded' or 'load' (window, document, window.onload): module scope, not reported", () => {
    expect(page("window.addEventListener('DOMContentLoaded', onLoad);")).toEqual([]);
    expect(page("document.addEventListener('DOMContentLoaded', onLoad);")).toEqual([]);
    expect(page('window.onload = onLoad;')).toEqual([]);
    expect(page("document.addEventListener('DOMContentLoaded', function () {\n  onLoad();\n});")).toEqual([]);
  });

  it('a function also run from elsewhere (a button) makes one per call: reported', () => {
    expect(page("window.addEventListener('load', onLoad);\ndocument.querySelector('button')?.addEventListener('click', onLoad);")).toEqual([[5, 'leak']]);
  });
});

describe('a callback that stores a fresh socket in the field before it uses the field', () => {
  const bridge = (body: string): string => ts`
    import * as net from 'node:net';
    export class PythonBridge {
      private tcpSocket: net.Socket | undefined;
      private queue: string[] = [];
      private timer: NodeJS.Timeout | undefined;
      constructor(private port: number) {}
      start(): void {
        this.timer = setInterval(() => {
          const socket = net.createConnection({ port: this.port, host: '127.0.0.1' }, () => {
            ${body}
            clearInterval(this.timer);
          });
          socket.on('error', () => undefined);
        }, 500);
      }
      private flush(): void {
        const message = this.queue.shift();
        if (message !== undefined) this.tcpSocket!.write(message);
      }
      dispose(): void {
        clearInterval(this.timer);
        this.tcpSocket?.destroy();
      }
    }
  `;

  it('stored first, then used: the use reaches the new socket', () => {
    expect(ids(bridge('this.tcpSocket = socket;\nthis.flush();'))).toEqual([]);
  });

  it('used first, then stored: the report stays', () => {
    expect(ids(bridge('this.flush();\nthis.tcpSocket = socket;'))).toEqual([[10, 'deferredUse']]);
  });
});

/** A socket in a field written by an interval behind `if (guard)`, released by `release` (statements of the constructor). */
const intervalPlatform = (guard: string, release: string): string => ts`
  import * as net from 'node:net';
  export class Platform {
    private readonly socket = new net.Socket();
    private readonly pending = new Map<string, string>();
    constructor(host: string, port: number) {
      this.socket.on('error', console.error);
      this.socket.connect(port, host);
      setInterval(() => {
        if (${guard}) {
          this.pending.forEach((value) => {
            this.socket.write(value);
          });
        }
      }, 2000);
      ${release}
    }
  }
`;

describe("releases in the process's 'exit' listeners and in 'shutdown' listeners", () => {
  it("no timer runs after a release in process.on('exit')", () => {
    const messages = (code: string): string[] => lintWithPlugin(code).map((m) => `${m.line} ${m.message}`);
    // The interval still writes after the peer closed the socket (it is never cleared): that report stays, and it
    // names no release, since none made in an 'exit' listener can precede a tick.
    const exit = messages(intervalPlatform('this.pending.size > 0', "process.on('exit', () => {\n  this.socket.end();\n});"));
    expect(exit).toHaveLength(1);
    expect(exit[0]).toMatch(/^11 .*the peer closing it/);
    // A release in a 'SIGINT' listener: the process may go on, the interval too.
    const sigint = messages(intervalPlatform('this.pending.size > 0', "process.on('SIGINT', () => {\n  this.socket.end();\n});"));
    expect(sigint).toHaveLength(1);
    expect(sigint[0]).toMatch(/^11 .*end\(\) at line 16/);
  });

  it("a 'shutdown' listener that closes the socket runs once", () => {
    expect(ids(ts`
      import * as dgram from 'node:dgram';
      interface API {
        on(event: 'shutdown' | 'tick', listener: () => void): this;
      }
      export function createSocket(api: API): dgram.Socket {
        const socket = dgram.createSocket('udp4');
        socket.on('error', () => undefined);
        api.on('shutdown', () => {
          socket.close();
        });
        return socket;
      }
    `)).toEqual([]);
  });
});

describe('a liveness guard around a synchronous iteration whose callback uses the socket', () => {
  const platform = (guard: string): string => intervalPlatform(guard, "process.on('exit', () => this.socket.end());");

  it('`if (!socket.pending) map.forEach(…)`: the callback runs inside the guard', () => {
    expect(ids(platform('!this.socket.pending'))).toEqual([]);
  });

  it('a test that says nothing about the socket keeps the report', () => {
    expect(ids(platform('this.pending.size > 0'))).toEqual([[11, 'deferredUse']]);
  });
});

describe('a client destructured from what a helper of the project returns', () => {
  const meetups = (helper: string, caller = ''): string => ts`
    import { MongoClient } from 'mongodb';
    const url = 'mongodb://127.0.0.1:27017/meetups';
    ${helper}
    export async function getStaticProps(): Promise<number> {
      const { client, collection } = await getCollection();
      const meetups = await collection.find().toArray();
      ${caller || 'await client.close();'}
      return meetups.length;
    }
  `;

  it('made there and returned with a collection: leaks when the query rejects', () => {
    expect(ids(meetups(`const getCollection = async () => {
  const client = await MongoClient.connect(url);
  return { client, collection: client.db().collection('meetups') };
};`))).toEqual([[8, 'leak']]);
    expect(ids(meetups(`async function getCollection() {
  const client = new MongoClient(url);
  await client.connect();
  return { client: client, collection: client.db().collection('meetups') };
}`))).toEqual([[9, 'leak']]);
  });

  it('released in a finally: no report', () => {
    expect(ids(ts`
      import { MongoClient } from 'mongodb';
      async function getCollection() {
        const client = await MongoClient.connect('mongodb://127.0.0.1:27017/m');
        return { client, collection: client.db().collection('meetups') };
      }
      export async function count(): Promise<number> {
        const { client, collection } = await getCollection();
        try {
          return (await collection.find().toArray()).length;
        } finally {
          await client.close();
        }
      }
    `)).toEqual([]);
  });

  it('a shared client (a module variable, or another helper of the project) is lent: no report', () => {
    expect(ids(meetups(`let shared: MongoClient | undefined;
const getCollection = async () => {
  shared ??= await MongoClient.connect(url);
  const client = shared;
  return { client, collection: client.db().collection('meetups') };
};`))).toEqual([]);
    expect(ids(meetups(`declare function sharedClient(): Promise<MongoClient>;
const getCollection = async () => {
  const client = await sharedClient();
  return { client, collection: client.db().collection('meetups') };
};`))).toEqual([]);
  });
});

describe('a helper that returns the resource with a function that releases it', () => {
  it('`{ channel, disconnect }`: the caller hands the closer on, the channel is not its alone', () => {
    expect(ids(ts`
      import * as amqp from 'amqplib';
      async function connect() {
        const connection = await amqp.connect('amqp://127.0.0.1');
        const channel = await connection.createChannel();
        return {
          channel,
          disconnect: async (): Promise<void> => {
            await channel.close();
            await connection.close();
          },
        };
      }
      export async function producer(q: string) {
        const { channel, disconnect } = await connect();
        await channel.assertQueue(q);
        return { send: (m: string) => channel.sendToQueue(q, Buffer.from(m)), disconnect };
      }
    `)).toEqual([[3, 'leak']]); // only the connection, left open when createChannel() rejects; not the channel at line 15
  });
});
