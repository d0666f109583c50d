/**
 * Shapes of socket and client code found in the seventh hand triage of real code (2026-12-03, tenth session) and in
 * the leftovers of the sixth, reduced: the false alarms must stay silent, and their buggy twins (and the misses) must
 * be reported.
 */
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { lintWithPlugin, ts, lineMessages } from '../rule-tester';

const reports = lineMessages;

const REDIS_END = 'This ioredis client is not released on the path that reaches the end of the function: call quit() or disconnect() first, or hand it to an owner.';

describe('an exhaustive test over a union of literals leaves no path past it', () => {
  const chain = (type: string, tests: string): string => ts`
    import Redis from 'ioredis';
    declare function startA(conn: Redis): void;
    declare function startB(conn: Redis): void;
    export function start(kind: ${type}): void {
      const redis = new Redis();
      ${tests}
    }
  `;

  it("the `else` of `if (kind === 'a') … else if (kind === 'b')` over 'a' | 'b' never runs", () => {
    expect(reports(chain("'a' | 'b'", "if (kind === 'a') startA(redis); else if (kind === 'b') startB(redis);"))).toEqual([]);
  });

  it("with a third member 'c' it runs, and leaks", () => {
    expect(reports(chain("'a' | 'b' | 'c'", "if (kind === 'a') startA(redis); else if (kind === 'b') startB(redis);"))).toEqual([[5, REDIS_END]]);
  });

  it('the same with `!==` and the constant on the left', () => {
    expect(reports(chain("'a' | 'b'", "if ('a' === kind) startA(redis); else if (kind !== 'b') return; else startB(redis);"))).toEqual([]);
  });

  it('a switch without default whose cases cover the union: no way out past the last case', () => {
    expect(reports(chain("'a' | 'b'", "switch (kind) { case 'a': startA(redis); break; case 'b': startB(redis); break; }"))).toEqual([]);
  });

  it('a switch that misses a member leaks on the way out', () => {
    expect(reports(chain("'a' | 'b' | 'c'", "switch (kind) { case 'a': startA(redis); break; case 'b': startB(redis); break; }"))).toEqual([[5, REDIS_END]]);
  });

  it('a discriminated union tested by its tag, and an enum by its members', () => {
    expect(reports(chain("{ t: 'x'; n: number } | { t: 'y'; s: string }", "if (kind.t === 'x') startA(redis); else if (kind.t === 'y') startB(redis);"))).toEqual([]);
    const withEnum = ts`
      import Redis from 'ioredis';
      enum Mode { Fast, Safe }
      export function start(mode: Mode): void {
        const redis = new Redis();
        switch (mode) {
          case Mode.Fast: redis.disconnect(); break;
          case Mode.Safe: void redis.quit(); break;
        }
      }
    `;
    expect(reports(withEnum)).toEqual([]);
  });

  it('a boolean compared with both literals', () => {
    expect(reports(chain('boolean', 'if (kind === true) startA(redis); else if (kind === false) startB(redis);'))).toEqual([]);
  });

  it('a `let` another function assigns is not trusted: TypeScript keeps its narrowing across the callback', () => {
    const code = ts`
      import Redis from 'ioredis';
      export function start(): void {
        let state: 'open' | 'closed' = 'open';
        const redis = new Redis();
        redis.on('end', () => { state = 'closed'; });
        if (state === 'open') redis.disconnect();
      }
    `;
    expect(reports(code)).toEqual([[4, REDIS_END]]);
  });

  it('a use after an exhaustive chain that releases in every branch is after the release', () => {
    const code = ts`
      import Redis from 'ioredis';
      export function start(kind: 'a' | 'b'): void {
        const redis = new Redis();
        if (kind === 'a') redis.disconnect();
        else if (kind === 'b') redis.disconnect();
        void redis.get('k');
      }
    `;
    expect(reports(code)).toEqual([[6, 'get() on the ioredis client that may already be destroyed (disconnect() at line 4).']]);
  });
});

describe('timers armed one after the other with constant delays run in that order', () => {
  const shape = (useDelay: string, releaseDelay: string, releaseFirst = false): string => {
    const use = `setTimeout(() => client.publish('t', 'x'), ${useDelay});`;
    const release = `setTimeout(() => client.end(true), ${releaseDelay});`;
    return ts`
      import mqtt from 'mqtt';
      export function sendLater(url: string): void {
        const client = mqtt.connect(url);
        ${releaseFirst ? release : use}
        ${releaseFirst ? use : release}
      }
    `;
  };
  const late = (useLine: number, releaseLine: number): Array<[number, string]> => [
    [useLine, `publish() on the MqttClient inside a setTimeout callback, which can run after it is released (end() at line ${releaseLine}): check that it is still open, or cancel the callback when it is released.`],
  ];

  it('a use due before the release (or at the same time, scheduled first) runs before it', () => {
    expect(reports(shape('300', '450'))).toEqual([]);
    expect(reports(shape('500', '500'))).toEqual([]);
    expect(reports(shape('2 * 1000', '3 * 1000'))).toEqual([]);
    // Armed second with a shorter delay: due first all the same (both count from the same time).
    expect(reports(shape('300', '450', true))).toEqual([]);
  });

  it('a use due after the release, or one whose delay is not constant, can follow it', () => {
    expect(reports(shape('450', '300'))).toEqual(late(4, 5));
    expect(reports(shape('500', '500', true))).toEqual(late(5, 4));
    const awaitedBetween = shape('300', '450', true).replace('export function sendLater(url: string): void', 'export async function sendLater(url: string): Promise<void>').replace('client.end(true), 450);', "client.end(true), 450);\n  await client.publishAsync('t', 'armed');");
    expect(reports(awaitedBetween)).toEqual(late(6, 4));
    expect(reports(shape('delayOf()', '450').replace('export function', 'declare function delayOf(): number;\nexport function'))).toEqual(late(5, 6));
  });
});

describe('a timer is not blamed for a release on a path that leaves before it is armed', () => {
  const shape = (bad: string): string => ts`
    import * as dgram from 'node:dgram';
    export function ping(port: number, bad: boolean): void {
      const s = dgram.createSocket('udp4');
      if (bad) {
        ${bad}
      }
      setTimeout(() => s.send('x', port, '127.0.0.1', () => s.close()), 1000);
    }
  `;

  it('the branch that closes the socket throws or returns: the timer is armed only on the other path', () => {
    expect(reports(shape("s.close();\n    throw new Error('bad');"))).toEqual([]);
    expect(reports(shape('s.close();\n    return;'))).toEqual([]);
  });

  it('a branch that closes the socket and goes on arms the timer after the release', () => {
    expect(reports(shape('s.close();'))).toEqual([
      [7, 'send() on the dgram.Socket that may already be closed (close() at line 5).'],
      [7, 'close() on the dgram.Socket that may already be closed (close() at line 5).'],
    ]);
  });

  it('a catch that closes the connection and rethrows (amqplib)', () => {
    const code = ts`
      import amqp from 'amqplib';
      export async function send(url: string, queue: string, body: string): Promise<void> {
        const connection = await amqp.connect(url);
        let channel: amqp.Channel;
        try {
          channel = await connection.createChannel();
        } catch (e) {
          await connection.close();
          throw e;
        }
        channel.sendToQueue(queue, Buffer.from(body));
        setTimeout(() => void connection.close(), 1000);
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe('awaiting a handle that is no promise (mongodb `await client.db(name)`)', () => {
  const shape = (db: string, op: string): string => ts`
    import { MongoClient } from 'mongodb';
    export async function drop(uri: string, name: string): Promise<boolean> {
      try {
        const client = await MongoClient.connect(uri);
        const handle = ${db};
        await handle.${op};
        await client.close();
        return true;
      } catch {
        return false;
      }
    }
  `;
  const leak = (op: string): Array<[number, string]> => [
    [4, `This MongoClient is not released when ${op}() at line 6 rejects (the catch block at line 9 does not release it): call close() first, or hand it to an owner.`],
  ];

  it('gives the handle back: its awaited operations still run on the client', () => {
    expect(reports(shape('await client.db(name)', 'dropDatabase()'))).toEqual(leak('dropDatabase'));
    expect(reports(shape('client.db(name)', 'dropDatabase()'))).toEqual(leak('dropDatabase'));
  });

  it('cannot reject: the operation named is the one that can', () => {
    expect(reports(shape("await client.db(name).collection('jobs')", 'drop()'))).toEqual(leak('drop'));
  });
});

describe('a helper that releases its parameter only from a timer it arms', () => {
  const shape = (watchdog: string): string => ts`
    import * as net from 'node:net';
    function reset(s: net.Socket): void {
      s.destroy();
    }
    function watchdog(s: net.Socket): void {
      ${watchdog}
    }
    export function start(port: number): void {
      const s = net.connect(port);
      watchdog(s);
      s.write('hello');
      s.on('data', (d) => s.write(d));
    }
  `;

  it('releases nothing when it is called, also through another helper', () => {
    expect(reports(shape('setTimeout(() => reset(s), 5000);'))).toEqual([]);
    expect(reports(shape('setTimeout(() => s.destroy(), 5000);'))).toEqual([]);
  });

  it('a helper that calls the releasing one directly releases at its call', () => {
    expect(reports(shape('reset(s);'))).toEqual([
      [11, 'write() on the net.Socket that may already be released (watchdog() at line 10).'],
      [12, 'write() on the net.Socket that may already be released (watchdog() at line 10).'],
    ]);
  });
});

describe('a creating call on a choice of modules', () => {
  const shape = (create: string): string => ts`
    import * as http from 'node:http';
    import * as https from 'node:https';
    export function open(url: string): void {
      ${create}
      req.on('error', () => {});
    }
  `;
  const leak: Array<[number, string]> = [
    [4, 'This http.ClientRequest is not released on any path (nothing releases it or hands it off): call end() or destroy() first, or hand it to an owner.'],
  ];

  it('`(secure ? https : http).request(…)` creates a request, as `http.request(…)` does', () => {
    expect(reports(shape("const req = (url.startsWith('https') ? https : http).request(url);"))).toEqual(leak);
    expect(reports(shape('const req = http.request(url);'))).toEqual(leak);
  });

  it('and so does the module chosen into a const first', () => {
    const code = shape("const lib = url.startsWith('https') ? https : http;\n  const req = lib.request(url);");
    expect(reports(code)).toEqual([[5, leak[0][1]]]);
  });

  it("a 'timeout' listener that only rejects is reported on the chosen module's request too", () => {
    const code = ts`
      import * as http from 'node:http';
      import * as https from 'node:https';
      export function probe(url: string, timeout: number): Promise<void> {
        return new Promise<void>((resolve, reject) => {
          (url.startsWith('https') ? https : http)
            .request(url, { timeout }, (res) => {
              res.resume();
              res.on('close', () => resolve());
            })
            .on('error', (e) => reject(e))
            .on('timeout', () => reject(new Error('timeout')))
            .end();
        });
      }
    `;
    expect(reports(code)).toEqual([
      [11, "This 'timeout' listener neither releases the http.ClientRequest nor hands it off: a 'timeout' event does not close the socket, call destroy() here."],
    ]);
  });
});

describe('a server constructed with its connection handler serves for the life of the process', () => {
  it('`new net.Server(handler)` and `new http.Server(handler)` as their createServer forms', () => {
    const code = ts`
      import * as http from 'node:http';
      import { Server, Socket } from 'node:net';
      export function startSocketServer(port: number): void {
        const server = new Server((socket: Socket) => {
          socket.on('error', () => {});
          socket.end('hi');
        });
        server.listen(port);
      }
      export function startHttp(port: number): void {
        const server = new http.Server((req, res) => res.end('ok'));
        server.listen(port);
      }
      export function startWithOptions(port: number): void {
        const server = new Server({ pauseOnConnect: false }, (socket) => socket.end());
        server.listen(port);
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('one constructed without a handler, listening and dropped, leaks', () => {
    const code = ts`
      import { Server } from 'node:net';
      export function start(port: number): void {
        const server = new Server();
        server.listen(port);
      }
    `;
    expect(reports(code)).toEqual([
      [3, 'This net.Server is not released on any path (nothing releases it or hands it off): call close() first, or hand it to an owner.'],
    ]);
  });
});

describe('a method that re-arms itself with setTimeout runs repeatedly', () => {
  const shape = (rearm: string, release = ''): string => ts`
    import { Socket } from 'node:net';
    export class Pinger {
      private socket?: Socket;
      private next?: ReturnType<typeof setTimeout>;
      constructor(private readonly host: string, private readonly port: number) {}
      start(): void {
        ${rearm}
        ${release}
        this.socket = new Socket();
        this.socket.connect(this.port, this.host);
      }
      stop(): void {
        if (this.next) clearTimeout(this.next);
        this.socket?.destroy();
      }
    }
  `;
  const overwrite: Array<[number, string]> = [
    [9, 'This stores a new net.Socket in this.socket, which may still hold an open one: release the old socket (end() or destroy()) or check it before replacing it.'],
  ];

  it('each run stores a new socket over the one the last run stored', () => {
    expect(reports(shape('this.next = setTimeout(this.start.bind(this), 1000);'))).toEqual(overwrite);
    expect(reports(shape('this.next = setTimeout(() => this.start(), 1000);'))).toEqual(overwrite);
  });

  it('releasing the old socket first is fine, and so is a timer that runs another method', () => {
    expect(reports(shape('this.next = setTimeout(() => this.start(), 1000);', 'this.socket?.destroy();'))).toEqual([]);
    expect(reports(shape('this.next = setTimeout(() => this.stop(), 1000);'))).toEqual([]);
  });
});

describe('a script whose entry function is started at the top level and not caught', () => {
  const script = (start: string, body = "await client.query('select 1');"): string => ts`
    import { Client } from 'pg';
    async function main(): Promise<void> {
      const client = new Client();
      await client.connect();
      ${body}
      await client.end();
    }
    ${start}
  `;
  const leak = (detail: string): Array<[number, string]> => [[3, `This pg Client is not released ${detail}: call end() first, or hand it to an owner.`]];

  it('a rejection ends the process (an unhandled rejection): nothing is left open', () => {
    expect(reports(script('main();'))).toEqual([]);
    expect(reports(script('void main();'))).toEqual([]);
    expect(reports(script('if (process.argv.length > 1) {\n  main();\n}'))).toEqual([]);
    expect(reports(script('main().catch((err) => {\n  console.error(err);\n  process.exit(1);\n});'))).toEqual([]);
  });

  it('a .catch() that goes on, or a handler for unhandled rejections, keeps the process running with the client open', () => {
    expect(reports(script('main().catch((err) => console.error(err));'))).toEqual(leak('when query() at line 5 rejects'));
    expect(reports(script("process.on('unhandledRejection', (e) => console.error(e));\nmain();"))).toEqual(leak('when query() at line 5 rejects'));
  });

  it('a rejection caught inside the entry function, which then returns, leaks', () => {
    const body = "try {\n    await client.query('select 1');\n  } catch (e) {\n    console.error(e);\n    return;\n  }";
    expect(reports(script('main();', body))).toEqual(leak('when query() at line 6 rejects (the catch block at line 7 does not release it)'));
  });

  it('an async arrow started at once is such an entry; an exported function is not', () => {
    const iife = ts`
      import { Client } from 'pg';
      (async () => {
        const client = new Client();
        await client.connect();
        await client.query('select 1');
        await client.end();
      })();
    `;
    expect(reports(iife)).toEqual([]);
    expect(reports(script('main();').replace('async function main', 'export async function main'))).toEqual(leak('when query() at line 5 rejects'));
  });
});

describe("a creating call's promise held in a const and continued there", () => {
  const shape = (channel: string): string => ts`
    import * as amqp from 'amqplib';
    export function subscribe(url: string, queue: string, onMessage: (body: string) => void): void {
      amqp.connect(url).then((connection) => {
        ${channel}
      });
    }
  `;
  const consume = "channel.consume(queue, (msg) => { if (msg) { onMessage(msg.content.toString()); channel.ack(msg); } });";

  it('`const ok = connection.createChannel(); ok.then((channel) => …)` makes a channel, as the chained form does', () => {
    expect(reports(shape(`const ok = connection.createChannel();\n    ok.then((channel) => { ${consume} });`))).toEqual([]);
    expect(reports(shape(`connection.createChannel().then((channel) => { ${consume} });`))).toEqual([]);
    expect(reports(shape(`var ok = connection.createChannel();\n    ok.then((channel) => { ${consume} });`))).toEqual([]);
  });

  it('a channel made that way and dropped leaks', () => {
    expect(reports(shape("const ok = connection.createChannel();\n    ok.then((channel) => { channel.sendToQueue(queue, Buffer.from('x')); });"))).toEqual([
      [3, 'This amqplib connection is not released on any path (nothing releases it or hands it off): call close() first, or hand it to an owner.'],
      [4, 'This amqplib Channel is not released on any path (nothing releases it or hands it off): call close() first, or hand it to an owner.'],
    ]);
  });
});

describe('a method whose promise executor stores a new socket in the field from a callback', () => {
  const shape = (connectBody: string): string => ts`
    import * as net from 'node:net';
    export class Rtsp {
      client?: net.Socket;
      private netConnect(port: number): Promise<void> {
        return new Promise((resolve, reject) => {
          ${connectBody}
        });
      }
      async connect(port: number): Promise<void> {
        await this.netConnect(port);
        this.client?.write('OPTIONS');
      }
      close(): void {
        this.client?.end();
      }
      redirect(port: number): void {
        this.close();
        void this.connect(port);
      }
    }
  `;

  it('may reopen the field, as a direct store does', () => {
    expect(reports(shape("const c = net.connect(port, '127.0.0.1', () => { this.client = c; resolve(); });\n      c.once('error', reject);"))).toEqual([]);
    expect(reports(shape("this.client = net.connect(port, '127.0.0.1', () => resolve());\n      this.client.once('error', reject);"))).toEqual([]);
  });

  it('a callback that stores nothing leaves the ended socket in the field', () => {
    expect(reports(shape("const c = net.connect(port, '127.0.0.1', () => resolve());\n      c.once('error', reject);"))).toEqual([
      [6, 'This net.Socket is not released on any path (nothing releases it or hands it off): call end() or destroy() first, or hand it to an owner.'],
      [19, 'write() (through connect()) on the net.Socket that may already be ended (end() (through close()) at line 18).'],
    ]);
  });
});

describe('the WHATWG WebSocket (Node 22+ global, DOM, undici)', () => {
  const domDir = path.join(__dirname, '..', 'fixtures-dom');
  const adapter = (connect: string): string => ts`
    export class Adapter {
      socket?: WebSocket;
      private retry?: ReturnType<typeof setInterval>;
      constructor(private readonly url: string) {}
      onOpen = (): void => { clearInterval(this.retry); this.retry = undefined; };
      connect(): void {
        ${connect}
        if (!this.retry) this.retry = setInterval(() => this.connect(), 5000);
        this.socket = new WebSocket(this.url);
        this.socket.addEventListener('open', this.onOpen);
      }
      disconnect(): void {
        this.socket?.close();
        this.socket = undefined;
      }
    }
  `;

  it("the DOM's: a reconnect that stores a new socket over one that may still be open", () => {
    const messages = lintWithPlugin(adapter("if (this.socket) this.socket.removeEventListener('open', this.onOpen);"), { dir: domDir, rules: { 'no-leak': 'error', 'no-use-after-close': 'error' } });
    expect(messages.map((m) => [m.line, m.message])).toEqual([
      [9, 'This stores a new WebSocket in this.socket, which may still hold an open one: release the old socket (close()) or check it before replacing it.'],
    ]);
    const fixed = lintWithPlugin(adapter('this.socket?.close();'), { dir: domDir, rules: { 'no-leak': 'error', 'no-use-after-close': 'error' } });
    expect(fixed).toEqual([]);
  });

  it("an 'open' listener never runs after close(): closing while connecting fails the connection", () => {
    const code = ts`
      import { WebSocket } from 'undici-types';
      export class Client {
        private ws?: WebSocket;
        private queue: string[] = [];
        private onOpen = (): void => {
          this.queue.forEach((m) => this.ws?.send(m));
          this.queue = [];
        };
        connect(url: string): void {
          this.ws = new WebSocket(url);
          this.ws.addEventListener('open', this.onOpen);
        }
        close(): void {
          this.ws?.close();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it("undici's (the type of Node's global one): dropped, and sent to after close()", () => {
    const code = ts`
      import { WebSocket } from 'undici-types';
      export function ping(url: string): void {
        const ws = new WebSocket(url);
        ws.addEventListener('open', () => ws.send('ping'));
      }
      export function bye(ws: WebSocket): void {
        ws.close();
        ws.send('bye');
      }
    `;
    expect(reports(code)).toEqual([
      [3, 'This WebSocket is not released on any path (nothing releases it or hands it off): call close() first, or hand it to an owner.'],
      [8, 'send() on the WebSocket that may already be closed (close() at line 7).'],
    ]);
  });
});

describe('process.exit() ends the path for no-use-after-close too', () => {
  const shape = (exit: string, prelude = ''): string => ts`
    import * as net from 'node:net';
    ${prelude}
    export function finish(s: net.Socket, bad: boolean): void {
      if (bad) {
        s.end();
        ${exit}
      }
      s.write('late');
    }
  `;

  it('after process.exit() or a function of the file that ends in it, nothing runs', () => {
    expect(reports(shape('process.exit(1);'))).toEqual([]);
    expect(reports(shape("die('bad');", 'function die(msg: string): never {\n  console.error(msg);\n  process.exit(1);\n}'))).toEqual([]);
  });

  it('a helper that may return does not end it', () => {
    expect(reports(shape("warn('bad');", 'function warn(msg: string): void {\n  console.error(msg);\n}'))).toEqual([
      [10, 'write() on the net.Socket that may already be ended (end() at line 7).'],
    ]);
  });
});

describe('a server whose error listener rejects the promise of its listen()', () => {
  it('a failed listen() closed the server: nothing is left open', () => {
    const code = ts`
      import * as net from 'node:net';
      export async function listen(host: string, port: number): Promise<net.Server> {
        const listener = net.createServer();
        await new Promise<void>((resolve, reject) => {
          listener.once('error', reject);
          listener.listen(port, host, () => resolve());
        });
        return listener;
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe("a 'connect' listener of a socket that does not reconnect by itself runs once", () => {
  const shape = (listen: string): string => ts`
    import * as net from 'node:net';
    export class Conn {
      private socket?: net.Socket;
      constructor(private readonly port: number, private readonly host: string) {}
      connect(): Promise<void> {
        return new Promise((resolve, reject) => {
          const socket = new net.Socket();
          socket.on('${listen}', () => {
            this.socket = socket;
            resolve();
          });
          socket.on('error', reject);
          socket.connect(this.port, this.host);
        });
      }
      close(): void {
        this.socket?.end();
        this.socket = undefined;
      }
    }
  `;

  it("its store is no repeated store; nor a 'data' listener's of the same socket (it stores that socket again, forty-seventh session); a 'data' listener storing another socket is", () => {
    expect(reports(shape('connect'))).toEqual([]);
    expect(reports(shape('data'))).toEqual([]);
    const other = shape('data').replace('this.socket = socket;', 'this.socket = new net.Socket().connect(this.port, this.host);');
    expect(reports(other).map(([line, text]) => [line, text.startsWith('This stores a new net.Socket in this.socket')])).toContainEqual([9, true]);
  });
});

describe("an 'error' listener of a socket that its error destroys runs at most once", () => {
  it('its write before its own end() follows no earlier run', () => {
    const code = ts`
      import * as net from 'node:net';
      import * as tls from 'node:tls';
      export function bridge(socket: net.Socket, port: number): void {
        const upstream = tls.connect({ port, host: '127.0.0.1' });
        upstream.on('error', () => {
          socket.write('HTTP/1.1 500 Connection error\\r\\n\\r\\n');
          socket.end();
        });
        socket.on('error', () => upstream.destroy());
        socket.on('end', () => upstream.end());
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe("a cached promise of the client's own connect() hands the client over", () => {
  const shape = (store: string): string => ts`
    import { MongoClient } from 'mongodb';
    let cached: Promise<MongoClient> | undefined;
    export function getClient(uri: string): Promise<MongoClient> {
      if (!cached) {
        const client = new MongoClient(uri);
        ${store}
      }
      return cached;
    }
  `;

  it('stored in an outer variable, also through .catch()', () => {
    expect(reports(shape('cached = client.connect();'))).toEqual([]);
    expect(reports(shape('cached = client.connect().catch((e) => {\n      cached = undefined;\n      throw e;\n    });'))).toEqual([]);
  });

  it('a promise kept only in a local hands nothing over', () => {
    expect(reports(shape('const p = client.connect();\n    void p;'))).toEqual([
      [5, 'This MongoClient is not released on any path (nothing releases it or hands it off): call close() first, or hand it to an owner.'],
    ]);
  });
});

describe('awaiting a creation that is no promise', () => {
  it('`await new Redis()` and `await mysql.createPool(…)` create as the plain forms do', () => {
    const code = ts`
      import mysql from 'mysql2/promise';
      import Redis from 'ioredis';
      export async function handler(): Promise<unknown> {
        const pool = await mysql.createPool({ host: 'db' });
        const [rows] = await pool.execute('SELECT 1');
        return rows;
      }
      export async function cache(k: string): Promise<string | null> {
        const r = await new Redis();
        return r.get(k);
      }
      export async function closed(k: string): Promise<string | null> {
        const r = await new Redis();
        try {
          return await r.get(k);
        } finally {
          r.disconnect();
        }
      }
    `;
    expect(reports(code)).toEqual([
      [4, 'This mysql2 Pool is not released on any path (nothing releases it or hands it off): call end() first, or hand it to an owner.'],
      [9, 'This ioredis client is not released on any path (nothing releases it or hands it off): call quit() or disconnect() first, or hand it to an owner.'],
    ]);
  });
});

describe('a method that only returns a liveness test guards like the test itself', () => {
  const shape = (isConnected: string): string => ts`
    import WebSocket from 'ws';
    export class Api {
      private socket: WebSocket | null = null;
      private readonly timer: NodeJS.Timeout;
      constructor(url: string) {
        this.socket = new WebSocket(url);
        this.timer = setInterval(() => this.ping(), 30_000);
      }
      isConnected(): boolean {
        ${isConnected}
      }
      ping(): void {
        if (this.isConnected()) this.socket!.send('ping');
      }
      destroy(): void {
        clearInterval(this.timer);
        this.socket?.close();
        this.socket = null;
      }
    }
  `;

  it('`return this.socket?.readyState === WebSocket.OPEN;`', () => {
    expect(reports(shape('return this.socket?.readyState === WebSocket.OPEN;'))).toEqual([]);
  });

  it('a method that tests something else guards nothing', () => {
    expect(reports(shape('return Date.now() > 0;'))).toEqual([
      [7, "send() (through ping()) on the WebSocket inside a setInterval callback, which can run after it is released (the peer closing it): check that it is still open, or cancel the callback when it is released."],
    ]);
  });
});

describe("a getter of the project's own interface, declared without body, looks a client up", () => {
  const shape = (getter: string): string => ts`
    import type { Client } from 'ssh2';
    export interface Deps {
      ${getter}
    }
    export function unforward(deps: Deps, alias: string, host: string, port: number): void {
      const client = deps.getClient(alias);
      client.unforwardIn(host, port);
    }
  `;

  it('a synchronous getClient(alias): Client gives one that exists', () => {
    expect(reports(shape('getClient(alias: string): Client;'))).toEqual([]);
  });

  it('a method named like a factory still creates', () => {
    const code = shape('getClient(alias: string): Client;\n  openClient(alias: string): Client;').replace('deps.getClient(alias)', 'deps.openClient(alias)');
    expect(reports(code)).toEqual([
      [7, 'This ssh2 Client is not released on any path (nothing releases it or hands it off): call end() or destroy() first, or hand it to an owner.'],
    ]);
  });
});

describe('a timer that rejects an awaited promise while the socket is still connecting', () => {
  const shape = (timer: string, onFail = 'return false;'): string => ts`
    import WebSocket from 'ws';
    export async function probe(url: string): Promise<boolean> {
      const ws = new WebSocket(url);
      try {
        await new Promise<void>((resolve, reject) => {
          ws.once('open', () => resolve());
          ws.once('error', reject);
          ${timer}
        });
      } catch {
        ${onFail}
      }
      ws.close();
      return true;
    }
  `;
  const leak = [[3, 'This WebSocket is not released when the timer at line 8 rejects the promise awaited at line 5 (the catch block at line 10 does not release it): call close() or terminate() first, or hand it to an owner.']];

  it('leaves the socket open when the catch does not release it', () => {
    expect(reports(shape("setTimeout(() => reject(new Error('timeout')), 5000);"))).toEqual(leak);
    expect(reports(shape('setTimeout(reject, 5000);'))).toEqual(leak);
  });

  it('a timer that terminates the socket first, or a catch that closes it, leaves nothing open', () => {
    expect(reports(shape("setTimeout(() => { ws.terminate(); reject(new Error('timeout')); }, 5000);"))).toEqual([]);
    expect(reports(shape("setTimeout(() => reject(new Error('timeout')), 5000);", 'ws.terminate();\n    return false;'))).toEqual([]);
  });
});
