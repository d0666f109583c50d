/**
 * Shapes from the twelfth hand triage: each false alarm or miss reduced to its general mechanism, with the
 * counterpart that must stay reported.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintJsWithPlugin, ts, lineMessages } from '../rule-tester';

const reports = (code: string): Array<[number, string]> => lineMessages(code, 'no-leak');

const WS_END = 'This WebSocket is not released on the path that reaches the end of the function: call close() or terminate() first, or hand it to an owner.';

describe('a release under a test of the state property that rules out every state holding anything', () => {
  const guarded = (test: string, imports = "import WebSocket from 'ws';", make = "new WebSocket('ws://127.0.0.1:8080')"): string => ts`
    ${imports}
    export async function run(text: string): Promise<void> {
      const ws = ${make};
      try {
        await Promise.resolve(ws.send(text));
      } finally {
        if (${test}) ws.close();
      }
    }
  `;

  it.each([
    'ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING',
    'ws.readyState === WebSocket.CONNECTING || ws.readyState === WebSocket.OPEN',
    'ws.readyState < WebSocket.CLOSING',
    'WebSocket.CLOSING > ws.readyState',
    'ws.readyState <= 1',
    '!(ws.readyState !== WebSocket.OPEN && ws.readyState !== WebSocket.CONNECTING)',
    'ws.readyState !== WebSocket.CLOSED',
  ])('ws: `if (%s) ws.close()` in a finally block: not reported', (test) => {
    expect(reports(guarded(test))).toEqual([]);
  });

  it('the WHATWG WebSocket: `OPEN || CONNECTING` is a release on every path too', () => {
    expect(reports(guarded('ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING', '', "new WebSocket('ws://127.0.0.1:8080')"))).toEqual([]);
  });

  it.each([
    // A socket still connecting holds its connection: `=== OPEN` alone leaves it.
    'ws.readyState === WebSocket.OPEN',
    'ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CLOSING',
    'ws.readyState < WebSocket.OPEN',
    // A constant the kind does not know (a project's own enum of other names) rules nothing out.
    'ws.readyState === States.Up || ws.readyState === States.Starting',
    // Another socket's state says nothing of this one.
    'other.readyState === WebSocket.OPEN || other.readyState === WebSocket.CONNECTING',
  ])('ws: `if (%s) ws.close()`: reported', (test) => {
    const code = guarded(test, "import WebSocket from 'ws';\ndeclare const other: WebSocket;\ndeclare enum States { Starting = 0, Up = 1 }");
    expect(reports(code)).toEqual([[5, WS_END]]);
  });

  it("a project's own enum naming ws's states (`States.Open`, `States.Connecting`) reads as ws's constants", () => {
    const code = guarded('ws.readyState === States.Open || ws.readyState === States.Connecting', "import WebSocket from 'ws';\ndeclare enum States { Connecting = 0, Open = 1 }");
    expect(reports(code)).toEqual([]);
  });

  it("ioredis: `status === 'end' || status === 'close'` true is no proof (a closed client reconnects); `!== 'end'` is", () => {
    const code = (test: string): string => ts`
      import Redis from 'ioredis';
      export async function ping(): Promise<void> {
        const redis = new Redis();
        try {
          await redis.ping();
        } finally {
          if (${test}) return;
          await redis.quit();
        }
      }
    `;
    expect(reports(code("redis.status === 'end'"))).toEqual([]);
    expect(reports(code("redis.status === 'end' || redis.status === 'wait'"))).toHaveLength(1);
  });
});

describe('a field collection emptied after a counted for loop released each element', () => {
  const tunnel = (loop: string): string => ts`
    import { Client } from 'ssh2';
    export class Tunnel {
      private clients: Client[] = [];
      open(host: string): void {
        const client = new Client();
        client.connect({ host, port: 22 });
        this.clients.push(client);
      }
      cleanup(): void {
        ${loop}
        this.clients = [];
      }
    }
  `;

  it.each([
    'for (let i = this.clients.length - 1; i >= 0; i--) { try { this.clients[i].end(); } catch { /* gone */ } }',
    'for (let i = 0; i < this.clients.length; i++) this.clients[i].end();',
    'for (let i = 0; i < this.clients.length; i++) { const c = this.clients[i]; c.removeAllListeners(); c.destroy(); }',
  ])('`%s`: not reported', (loop) => {
    expect(reports(tunnel(loop))).toEqual([]);
  });

  it.each([
    'for (let i = 0; i < this.clients.length; i++) console.log(this.clients[i].listenerCount(\'ready\'));',
    'for (let i = 0; i < this.clients.length; i++) { const c = this.clients[i]; console.log(c.listenerCount(\'ready\')); }',
  ])('a loop that only reads each element (`%s`): the emptying is reported', (loop) => {
    expect(reports(tunnel(loop))).toEqual([
      [11, 'This ssh2 Client is not released when this.clients is emptied here with the connections in it (release each one first): call end() or destroy() first, or hand it to an owner.'],
    ]);
  });
});

describe('a release under the constant flag that decided whether the resource was made', () => {
  const run = (make: string, release: string): string => ts`
    import * as mysql from 'mysql2/promise';
    export async function withConnection<T>(pool: mysql.Pool, reserved: Map<number, mysql.PoolConnection>, tab: number, run: (c: mysql.PoolConnection) => Promise<T>): Promise<T> {
      const hasReserved = reserved.has(tab);
      let conn: mysql.PoolConnection;
      ${make}
      try {
        return await run(conn);
      } finally {
        ${release}
      }
    }
  `;
  const ifElse = 'if (hasReserved) { conn = reserved.get(tab)!; } else { conn = await pool.getConnection(); }';
  const ternary = 'conn = hasReserved ? reserved.get(tab)! : await pool.getConnection();';

  it.each([
    [ifElse, 'if (!hasReserved) conn.release();'],
    [ternary, 'if (!hasReserved) { conn.release(); }'],
    ['if (!hasReserved) conn = await pool.getConnection(); else conn = reserved.get(tab)!;', 'if (hasReserved) return; conn.release();'],
  ])('`%s` … `%s`: not reported', (make, release) => {
    expect(reports(run(make, release))).toEqual([]);
  });

  it.each([
    // The flag may change between the creation and the test.
    [ifElse.replace('if (hasReserved)', 'if (reserved.has(tab))'), 'if (!reserved.has(tab)) conn.release();'],
    // The release runs under the flag's other value.
    [ifElse, 'if (hasReserved) conn.release();'],
  ])('`%s` … `%s`: reported', (make, release) => {
    expect(reports(run(make, release))).toHaveLength(1);
  });

  it('a let flag assigned again between the creation and the test proves nothing', () => {
    const code = ts`
      import * as mysql from 'mysql2/promise';
      export async function f(pool: mysql.Pool, given: mysql.PoolConnection | undefined): Promise<void> {
        let own = !given;
        const conn = own ? await pool.getConnection() : given!;
        own = false;
        try {
          await conn.query('select 1');
        } finally {
          if (own) conn.release();
        }
      }
    `;
    expect(reports(code)).toHaveLength(1);
  });
});

describe('a liveness flag compared with a boolean literal guards a use as the bare flag does', () => {
  const beat = (tick: string): string => ts`
    import WebSocket from 'ws';
    export class Beat {
      private ws = new WebSocket('ws://127.0.0.1:8080');
      private open = true;
      start(): void {
        setInterval(() => this.tick(), 1000);
      }
      stop(): void {
        this.open = false;
        this.ws.close();
      }
      private tick(): void {
        ${tick}
      }
    }
  `;

  it.each([
    "if (this.open) this.ws.send('ping');",
    "if (this.open === true) this.ws.send('ping');",
    "if (this.open !== false) this.ws.send('ping');",
    "if (!(this.open === false)) this.ws.send('ping');",
    "if (this.open === false) return; this.ws.send('ping');",
    "if (true == this.open) this.ws.send('ping');",
  ])('`%s`: not reported', (tick) => {
    expect(lineMessages(beat(tick), 'no-use-after-close')).toEqual([]);
  });

  it.each(["if (this.open === false) this.ws.send('ping');", "if (this.open !== true) this.ws.send('ping');", "this.ws.send('ping');"])(
    '`%s`: reported',
    (tick) => {
      expect(lineMessages(beat(tick), 'no-use-after-close')).toHaveLength(1);
    },
  );
});

describe("a field that only lends the storing function's own socket to the class while the function runs", () => {
  const stream = (body: string): string => ts`
    import WebSocket from 'ws';
    declare function connectWs(url: string): Promise<WebSocket>;
    declare function pump(ws: WebSocket): Promise<void>;
    export class SpeechStream {
      private activeWs?: WebSocket;
      update(text: string): void {
        if (this.activeWs?.readyState === WebSocket.OPEN) this.activeWs.send(text);
      }
      async run(): Promise<void> {
        ${body}
      }
    }
  `;

  it('stored in a try block, cleared and released (through a local helper) in its finally block: not reported', () => {
    const code = stream(`let ws: WebSocket | null = null;
        const cleanup = () => { ws?.removeAllListeners(); ws?.close(); };
        try {
          ws = await connectWs('ws://127.0.0.1:8080');
          this.activeWs = ws;
          await pump(ws);
        } finally {
          this.activeWs = undefined;
          cleanup();
        }`);
    expect(reports(code)).toEqual([]);
  });

  it.each([
    // Released and cleared only when pump() succeeds.
    `const ws = await connectWs('ws://127.0.0.1:8080');
        this.activeWs = ws;
        await pump(ws);
        this.activeWs = undefined;
        ws.close();`,
    // Released in the finally block, but the field keeps it.
    `const ws = await connectWs('ws://127.0.0.1:8080');
        try {
          this.activeWs = ws;
          await pump(ws);
        } finally {
          ws.close();
        }`,
  ])('%s: reported', (body) => {
    expect(reports(stream(body))).toEqual([
      [expect.any(Number) as number, "This WebSocket is stored in 'activeWs', but nothing in the class releases 'activeWs': add a method that calls close() or terminate()."],
    ]);
  });
});

describe("JavaScript: a socket in an untyped `var` re-made only from the old one's own 'close' listener", () => {
  const dir = path.join(__dirname, '..', 'fixtures-prescreen');
  const peer = (declare: string, listener: string): string =>
    [
      "const net = require('net');",
      'function Peer(port) {',
      `  ${declare}`,
      '  let verack = false;',
      '  function connect() {',
      "    client = net.connect({ host: '127.0.0.1', port }, () => client.write('version'));",
      `    client.on('${listener}', () => {`,
      '      if (verack) { verack = false; connect(); }',
      '    });',
      "    client.on('error', (e) => console.error(e));",
      '  }',
      '  connect();',
      '}',
      'module.exports = Peer;',
    ].join('\n');
  const messages = (code: string): Array<[string | null, number]> => lintJsWithPlugin(code, dir).map((m) => [m.messageId ?? null, m.line]);

  it.each(['var client;', 'let client;'])("`%s` re-stored from client.on('close'): the old socket is gone, not reported", (declare) => {
    expect(messages(peer(declare, 'close'))).toEqual([]);
  });

  it("re-stored from client.on('data') (the old socket still open): reported as an overwrite", () => {
    expect(messages(peer('var client;', 'data'))).toEqual([['fieldOverwritten', 6]]);
  });
});

describe('a dgram socket (an error leaves it open) whose error listener or operation callback settles without closing it', () => {
  it.each([
    [
      "its 'error' listener rejects (a failed bind() never gets its 'listening')",
      `const socket = dgram.createSocket('udp4');
        socket.on('error', (error) => reject(error));
        socket.on('close', () => resolve(true));
        socket.on('listening', () => socket.send(packet, 9, '127.0.0.1', () => socket.close()));
        socket.bind(0);`,
      "This dgram.Socket is not released when its 'error' listener at line 5 settles the operation (reject() at line 5) without releasing it: call close() first, or hand it to an owner.",
    ],
    [
      'the send() callback rejects while only the reply closes it',
      `const socket = dgram.createSocket('udp4');
        socket.once('message', () => { socket.close(); resolve(true); });
        socket.send(packet, 53, '127.0.0.1', (err) => err && reject(err));`,
      'This dgram.Socket is not released when the send() callback at line 6 settles the operation (reject() at line 6) without releasing it: call close() first, or hand it to an owner.',
    ],
  ])('%s: reported', (_, body, message) => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function wake(packet: Buffer): Promise<boolean> {
        return new Promise((resolve, reject) => {
          ${body}
        });
      }
    `;
    expect(reports(code)).toEqual([[4, message]]);
  });

  it.each([
    "socket.on('error', (error) => { socket.close(); reject(error); });",
    "socket.on('error', reject); socket.on('error', () => socket.close());",
  ])('an error listener that closes it (`%s`): not reported', (onError) => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export function wake(packet: Buffer): Promise<boolean> {
        return new Promise((resolve, reject) => {
          const socket = dgram.createSocket('udp4');
          ${onError}
          socket.on('listening', () => socket.send(packet, 9, '127.0.0.1', () => { socket.close(); resolve(true); }));
          socket.bind(0);
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it("a net.Socket's 'error' listener that rejects: its error destroys it, not reported", () => {
    const code = ts`
      import * as net from 'node:net';
      export function greet(port: number): Promise<Buffer> {
        return new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          s.on('error', reject);
          s.once('data', (d) => { s.end(); resolve(d); });
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe("a close listener that calls the owner's callback parameter does not make the socket reconnect", () => {
  it('probe(port, cb) with `s.on("close", () => cb(false))` and nothing ending it: reported', () => {
    const code = ts`
      import * as net from 'node:net';
      export function probe(port: number, cb: (ok: boolean) => void): void {
        const s = net.connect(port, '127.0.0.1');
        s.on('close', () => cb(false));
        s.on('data', () => cb(true));
      }
    `;
    expect(reports(code)).toEqual([[3, 'This net.Socket is not released on any path (nothing releases it or hands it off): call end() or destroy() first, or hand it to an owner.']]);
  });
});

describe("an AbortSignal given where the kind takes one: its controller's abort() releases the resource", () => {
  const server = (listen: string, end: string): string => ts`
    import * as net from 'node:net';
    export async function serveOnce(work: () => Promise<void>): Promise<void> {
      const ac = new AbortController();
      const other = new AbortController();
      const proxy = net.createServer((c) => c.end('hi'));
      ${listen}
      await work().catch(() => undefined);
      ${end}
    }
  `;

  it.each([
    ["proxy.listen({ port: 0, host: '127.0.0.1', signal: ac.signal });", 'ac.abort();'],
    ["const signal = ac.signal; proxy.listen({ port: 0, signal });", 'ac.abort();'],
  ])('`%s` … `%s`: not reported', (listen, end) => {
    expect(reports(server(listen, end))).toEqual([]);
  });

  it('the abort() is its close: a server closed that way only after awaited work that may reject is reported', () => {
    const code = server("proxy.listen({ port: 0, signal: ac.signal });", 'ac.abort();').replace('await work().catch(() => undefined);', 'await work();');
    expect(reports(code)).toEqual([[5, 'This net.Server is not released when work() at line 7 rejects: call close() first, or hand it to an owner.']]);
  });

  it("dgram.createSocket({ type: 'udp4', signal }) closed by abort(): not reported; without it: reported", () => {
    const code = (end: string): string => ts`
      import * as dgram from 'node:dgram';
      export async function announce(msg: Buffer, wait: () => Promise<void>): Promise<void> {
        const ac = new AbortController();
        const socket = dgram.createSocket({ type: 'udp4', signal: ac.signal });
        socket.send(msg, 9, '127.0.0.1');
        await wait();
        ${end}
      }
    `;
    expect(reports(code('ac.abort();'))).toEqual([]);
    expect(reports(code(''))).toHaveLength(1);
  });
});

describe("a short-lived server's awaited work whose rejection a handler that cannot throw takes", () => {
  const serve = (awaited: string): string => ts`
    import * as net from 'node:net';
    export async function serveOnce(work: () => Promise<void>): Promise<void> {
      const server = net.createServer((c) => c.end('hi'));
      server.listen(0);
      ${awaited}
      server.close();
    }
  `;

  it.each(['await work().catch(() => undefined);', 'await work().catch(() => {});', 'await work().catch((e) => console.error(e));'])('`%s`: not reported', (awaited) => {
    expect(reports(serve(awaited))).toEqual([]);
  });

  it.each(['await work();', 'await work().catch((e) => { throw new Error(String(e)); });', 'await work().catch((e) => report(e));'])('`%s`: reported', (awaited) => {
    expect(reports(serve(awaited).replace('export async', 'declare function report(e: unknown): void;\nexport async'))).toHaveLength(1);
  });
});

describe('a getter that publishes the socket it makes through a deferred the object keeps', () => {
  const controller = (publish: string): string => ts`
    import { once } from 'node:events';
    import WebSocket from 'ws';
    type Deferred<T> = { promise: Promise<T>; resolve: (v: T) => void };
    declare function createDeferred<T>(): Deferred<T>;
    export class Controller {
      private cached?: Deferred<WebSocket>;
      private async reconnect(): Promise<WebSocket> {
        const existing = await this.cached?.promise;
        if (existing?.readyState === WebSocket.OPEN) return existing;
        this.cached = createDeferred<WebSocket>();
        const ws = new WebSocket('ws://127.0.0.1:8787');
        await once(ws, 'open');
        ${publish}
        return ws;
      }
      async send(message: unknown): Promise<void> {
        const ws = await this.reconnect();
        ws.send(JSON.stringify(message));
      }
      async dispose(): Promise<void> {
        (await this.cached?.promise)?.close();
      }
    }
  `;

  it('this.cached.resolve(ws) before returning it: the caller borrows it, not reported', () => {
    expect(reports(controller('this.cached.resolve(ws);'))).toEqual([]);
  });

  it('returned without being published: the caller owns a new socket each time, reported there', () => {
    expect(reports(controller(''))).toEqual([[17, 'This WebSocket is not released on any path (nothing releases it or hands it off): call close() or terminate() first, or hand it to an owner.']]);
  });
});

describe('a socket stored in a variable of an enclosing function that nothing releases', () => {
  const factory = (extra: string, declare = 'let socket: WebSocket | null = null;', where = 'inside'): string => ts`
    import WebSocket from 'ws';
    import { EventEmitter } from 'node:events';
    ${where === 'module' ? declare : ''}
    export const createClient = (room: number) => {
      const emitter = new EventEmitter();
      ${where === 'module' ? '' : declare}
      const initialize = async () => {
        socket = new WebSocket('ws://127.0.0.1:8080/app?room=' + room);
        socket.on('message', (data) => emitter.emit('message', String(data)));
        socket.on('close', () => emitter.emit('disconnect'));
      };
      void initialize();
      return {
        on: (event: string, listener: (...args: unknown[]) => void) => emitter.on(event, listener),
        ${extra}
      };
    };
  `;
  const MESSAGE =
    "This WebSocket is stored in 'socket', a variable that outlives the function storing it (the closures that use it keep it), but nothing releases 'socket': call close() or terminate() on it somewhere, such as a close function those closures offer.";

  it('the returned object offers no way to close it: reported at the store', () => {
    expect(reports(factory("send: (m: string) => { socket?.send(m); },"))).toEqual([[8, MESSAGE]]);
  });

  it.each([
    'close: () => { socket?.close(); },',
    'disconnect: () => socket?.terminate(),',
    'get socket() { return socket; },',
    'detach: () => keep(socket),',
  ])('`%s` in what it returns: not reported', (extra) => {
    expect(reports(factory(extra).replace('export const', 'declare function keep(s: unknown): void;\nexport const'))).toEqual([]);
  });

  it('a module-scope variable is the module\'s: not reported here', () => {
    expect(reports(factory('', 'let socket: WebSocket | null = null;', 'module'))).toEqual([]);
  });
});

describe('a store into an enclosing function\'s variable that nothing reads', () => {
  it('`request = req` never read: no variableNeverReleased (the request ends by its own callbacks)', () => {
    const code = ts`
      import * as http from 'node:http';
      export function status(host: string): Promise<number> {
        let request: http.ClientRequest | null = null;
        return new Promise((resolve, reject) => {
          const req = http.get({ host, port: 8080 }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          request = req;
          req.on('error', reject);
        });
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});

describe("a method that clears the socket's field without releasing it while it may be open", () => {
  const node = (onClose: string, register = "this.socket.on('close', () => this.onClose());", heartbeat = true): string => ts`
    import WebSocket from 'ws';
    export class Node {
      private socket: WebSocket | null = null;
      private alive = true;
      connect(url: string): void {
        this.socket = new WebSocket(url);
        ${register}
        this.socket.on('pong', () => { this.alive = true; });
        ${heartbeat ? 'setInterval(() => { if (!this.alive) return this.onClose(); this.alive = false; this.socket?.ping(); }, 30000);' : ''}
      }
      private onClose(): void {
        ${onClose}
      }
      destroy(): void {
        this.socket?.terminate();
        this.socket = null;
      }
    }
  `;

  it('called from a heartbeat that gives up on a live socket: reported at the creation', () => {
    expect(reports(node('this.socket?.removeAllListeners();\n    this.socket = null;'))).toEqual([
      [6, "This WebSocket is not released before 'this.socket' is cleared at line 13: call close() or terminate() first, or hand it to an owner."],
    ]);
  });

  it.each([
    ['called only from the socket\'s own close listener', node('this.socket?.removeAllListeners();\n    this.socket = null;', undefined, false)],
    ['registered by reference (its timing unknown)', node('this.socket = null;', "this.socket.on('close', this.onClose.bind(this));", false)],
    ['releasing it first', node('this.socket?.terminate();\n    this.socket = null;')],
    ['calling a method of the class that releases it first', node('this.destroy();\n    this.socket = null;')],
    ['testing it first', node('if (this.socket?.readyState === WebSocket.CLOSED) this.socket = null;')],
  ])('%s: not reported', (_, code) => {
    expect(reports(code)).toEqual([]);
  });
});

describe('a clearing method whose in-file callers find the field already empty, or whose socket has another owner', () => {
  it('called from the constructor and after its caller closed and cleared the field: not reported', () => {
    const code = ts`
      import WebSocket from 'ws';
      export class Shard {
        ws: WebSocket | null = null;
        sequence = 0;
        constructor() {
          this.hardReset();
        }
        connect(url: string): void {
          this.ws = new WebSocket(url);
          this.ws.on('message', () => { this.sequence++; });
        }
        disconnect(): void {
          this.ws?.removeAllListeners();
          this.ws?.close();
          this.ws = null;
          this.hardReset();
        }
        hardReset(): void {
          this.sequence = 0;
          this.ws = null;
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('called from a close listener stored as `ws.onclose = …`: not reported', () => {
    const code = ts`
      export class Subscriptions {
        private ws: WebSocket | null = null;
        connect(url: string): void {
          this.ws = new WebSocket(url);
          this.ws.onclose = () => this.handleDisconnection();
          this.ws.onmessage = (e) => console.log(e.data);
        }
        private handleDisconnection(): void {
          this.ws = null;
        }
        close(): void {
          this.ws?.close();
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a pool also kept in a cache: clearing the field drops one reference, not reported', () => {
    const code = ts`
      import { Pool } from 'pg';
      const cache = new Map<string, Pool>();
      export class Connection {
        private pool: Pool | null = null;
        connect(url: string): void {
          this.pool = new Pool({ connectionString: url });
          cache.set(url, this.pool);
        }
        disconnect(): void {
          this.pool = null;
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('a public close() that clears the field through a helper before testing it: reported', () => {
    const code = ts`
      import WebSocket from 'ws';
      export class Feed {
        private ws: WebSocket | null = null;
        connect(url: string): void {
          this.ws = new WebSocket(url);
          this.ws.on('close', () => this.cleanup());
        }
        private cleanup(): void {
          this.ws = null;
        }
        close(): void {
          this.cleanup();
          if (this.ws) this.ws.close();
        }
      }
    `;
    expect(reports(code)).toEqual([[5, "This WebSocket is not released before 'this.ws' is cleared at line 9: call close() or terminate() first, or hand it to an owner."]]);
  });
});
