/**
 * Shapes found by the thirtieth hand triage (thirty-sixth session: test suites, media servers, command-line tools,
 * server lifecycle code), each reduced to its general mechanism, with the counterpart that must stay as it was.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintJsWithPlugin, lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);
const jsIds = (code: string): Array<[number, string | undefined]> =>
  lintJsWithPlugin(code, path.join(__dirname, '..', 'fixtures-prescreen')).map((m) => [m.line, m.messageId]);
const moduleScope = (code: string): Array<[number, string | undefined]> =>
  lintWithPlugin(code, { rules: { 'no-leak': ['error', { checkModuleScope: true }] } }).map((m) => [m.line, m.messageId]);

describe("a function that tells its caller only from the socket's close listener (callback form)", () => {
  it("whois(host, q, cb): cb is called only in 'close' — no report", () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export function whois(host: string, query: string, callback: (data: string) => void): void {
        let data = '';
        const socket = net.createConnection(43, host, () => socket.write(query + '\\r\\n'));
        socket.on('data', (chunk: Buffer) => {
          data += chunk.toString();
        });
        socket.on('close', (hadError: boolean) => callback(hadError ? 'no answer' : data));
      }
    `)).toEqual([]);
  });

  it("the callback is called in the 'data' listener (the caller is told while it is open): reported", () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export function whois(host: string, query: string, callback: (data: string) => void): void {
        let data = '';
        const socket = net.createConnection(43, host, () => socket.write(query + '\\r\\n'));
        socket.on('data', (chunk: Buffer) => {
          data += chunk.toString();
          callback(data);
        });
      }
    `)).toEqual([[4, 'leak']]);
  });

  it('a function that also returns a value tells its caller that way: reported', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export function whois(host: string, callback: (data: string) => void): boolean {
        const socket = net.createConnection(43, host);
        socket.on('close', () => callback('done'));
        return true;
      }
    `)).toEqual([[3, 'leak']]);
  });
});

describe('a listener passed to a call that takes it back is not registered again', () => {
  it("node-redis: the listener unsubscribes itself, then quits — no report", () => {
    expect(jsIds([
      "const redis = require('redis');",
      'const sub = redis.createClient();',
      'const listener = (message, channel) => {',
      "  console.log(channel + ': ' + message);",
      "  sub.unsubscribe('channel', listener);",
      '  sub.quit();',
      '};',
      '(async () => {',
      '  await sub.connect();',
      "  await sub.subscribe('channel', listener);",
      '})();',
    ].join('\n'))).toEqual([]);
  });

  it('registered for two channels, it unsubscribes from one and quits: reported', () => {
    expect(jsIds([
      "const redis = require('redis');",
      'const sub = redis.createClient();',
      'const listener = (message, channel) => {',
      "  console.log(channel + ': ' + message);",
      "  sub.unsubscribe('channel', listener);",
      '  sub.quit();',
      '};',
      '(async () => {',
      '  await sub.connect();',
      "  await sub.subscribe('channel', listener);",
      "  await sub.subscribe('other', listener);",
      '})();',
    ].join('\n'))).toEqual([[5, 'deferredUse']]);
  });
});

describe('a timer handle kept in an undeclared name (an implicit global of sloppy JavaScript)', () => {
  const script = (declare: string): string => [
    "const WebSocket = require('ws');",
    `${declare}`,
    "const ws = new WebSocket('ws://127.0.0.1:4000');",
    "ws.on('open', () => {",
    '  interval = setInterval(() => {',
    "    ws.send('tick');",
    '  }, 3000);',
    '  setTimeout(() => {',
    '    clearInterval(interval);',
    '    ws.close(1000);',
    '  }, 25000);',
    '});',
  ].join('\n');

  it('its clearInterval() is matched as a declared variable’s is: only the peer’s close is named', () => {
    const undeclared = lintJsWithPlugin(script('// (no declaration)'), path.join(__dirname, '..', 'fixtures-prescreen'));
    const declared = lintJsWithPlugin(script('let interval;'), path.join(__dirname, '..', 'fixtures-prescreen'));
    expect(declared.map((m) => [m.line, m.messageId])).toEqual([[6, 'deferredUse']]);
    expect(declared[0]?.message).toMatch(/the peer closing it/);
    expect(undeclared.map((m) => [m.line, m.messageId, m.message])).toEqual(declared.map((m) => [m.line, m.messageId, m.message]));
  });
});

describe("a class whose module makes its one instance at its top, named in a type annotation too", () => {
  const store = (make: string): string => ts`
    import { createClient } from 'redis';
    class RedisStore {
      redis = createClient({ url: process.env.REDIS_URL });
      async get(key: string): Promise<string | null> {
        return this.redis.get(key);
      }
    }
    class LocalStore {
      map = new Map<string, string>();
      async get(key: string): Promise<string | null> {
        return this.map.get(key) ?? null;
      }
    }
    ${make}
  `;

  it('made in an if/else or a conditional expression at the top: no report', () => {
    expect(ids(store(`let s: RedisStore | LocalStore;
    if (process.env.REDIS_URL !== undefined) s = new RedisStore();
    else s = new LocalStore();
    export default s;`))).toEqual([]);
    expect(ids(store('const s: RedisStore | LocalStore = process.env.REDIS_URL ? new RedisStore() : new LocalStore();\n    export default s;'))).toEqual([]);
  });

  it('also made inside a function: reported', () => {
    expect(ids(store('let s: RedisStore | undefined;\n    export function make(): void { s = new RedisStore(); }\n    export function get(): RedisStore | undefined { return s; }'))).toEqual([[3, 'fieldNeverReleased']]);
  });
});

describe("a top-level `const x = await helper()` of an ES module is the module's entry", () => {
  const helper = ts`
    import { MongoClient } from 'mongodb';
    async function init() {
      const client = new MongoClient('mongodb://127.0.0.1:27017/');
      await client.connect();
      const coll = client.db('db').collection('events');
      await coll.createIndex({ createdAt: 1 });
      return coll;
    }
  `;

  it('its rejection ends the process: no report', () => {
    expect(ids(`${helper}\nconst coll = await init();\nsetInterval(() => void coll.countDocuments(), 2000);\n`)).toEqual([]);
  });

  it('awaited in a try whose catch goes on: reported', () => {
    expect(ids(`${helper}\nlet coll;\ntry {\n  coll = await init();\n} catch (e) {\n  console.error(e);\n}\nexport { coll };\n`)).toEqual([[3, 'leak']]);
  });
});

describe("a constant holding the resource's bound release goes wherever the constant is read", () => {
  it('returned with a bound query: the caller holds the close function — no report', () => {
    expect(ids(ts`
      import mysql from 'mysql2';
      export function getConnection(opts: mysql.ConnectionOptions): { end: () => void } {
        const connection = mysql.createConnection(opts);
        const end = connection.end.bind(connection);
        return { end };
      }
    `)).toEqual([]);
  });

  it('bound and never handed anywhere: reported', () => {
    expect(ids(ts`
      import mysql from 'mysql2';
      export function getConnection(opts: mysql.ConnectionOptions): void {
        const connection = mysql.createConnection(opts);
        const end = connection.end.bind(connection);
        console.log(typeof end);
      }
    `)).toEqual([[3, 'leak']]);
  });
});

describe("the target of an event of the socket's own DOM-style listener is the socket", () => {
  const code = (value: string): string => ts`
    import WebSocket from 'ws';
    export async function openAndClose(url: string): Promise<void> {
      let ws: WebSocket | null = null;
      try {
        ws = await new Promise<WebSocket>(function (resolve, reject) {
          const sock = new WebSocket(url);
          sock.addEventListener('open', function (e) {
            resolve(${value});
          }, { once: true });
          sock.addEventListener('error', function (e) {
            reject(e.error);
          }, { once: true });
        });
        ws.send('hello');
      } finally {
        if (ws) ws.close(1000);
      }
    }
  `;

  it('resolve(e.target): handed to the caller, which closes it — no report', () => {
    expect(ids(code('e.target'))).toEqual([]);
  });

  it('resolve(another socket): reported', () => {
    expect(ids(code('new WebSocket(url)'))).toEqual([[6, 'leak']]);
  });
});

describe('a creation inside a function that a test asserts to throw', () => {
  it('assert.throws(fn), expect(fn).toThrow(): no report', () => {
    expect(ids(ts`
      import assert from 'node:assert';
      import * as net from 'node:net';
      declare const expect: (v: unknown) => { toThrow(): void; not: { toThrow(): void } };
      export function badPorts(): void {
        assert.throws(function () {
          net.createServer().listen(65536);
        }, /port/);
        expect(() => net.connect(65536)).toThrow();
      }
    `)).toEqual([]);
  });

  it('asserted not to throw, or outside any assertion: reported', () => {
    expect(ids(ts`
      import assert from 'node:assert';
      import * as net from 'node:net';
      declare const expect: (v: unknown) => { toThrow(): void; not: { toThrow(): void } };
      export function ports(): void {
        assert.doesNotThrow(() => {
          net.connect(80);
        });
        expect(() => {
          net.connect(81);
        }).not.toThrow();
        net.connect(82);
      }
    `)).toEqual([[6, 'leak'], [9, 'leak'], [11, 'leak']]);
  });
});

describe("node_redis 2 and 3's promisified release (`quitAsync()`)", () => {
  const script = (method: string): string => [
    "const { promisify } = require('node:util');",
    "const redis = require('redis');",
    'redis.RedisClient.prototype.quitAsync = promisify(redis.RedisClient.prototype.quit);',
    'class Manager {',
    '  init(config) {',
    '    this.client = redis.createClient(config);',
    '  }',
    '  stop() {',
    `    return this.client.${method}();`,
    '  }',
    '}',
    'module.exports = Manager;',
  ].join('\n');

  it('quitAsync() releases the field: no report', () => {
    expect(jsIds(script('quitAsync'))).toEqual([]);
  });

  it('a promisified command is no release: reported', () => {
    expect(jsIds(script('getAsync'))).toEqual([[6, 'fieldNeverReleased']]);
  });
});

describe("a getter of the class as a liveness test", () => {
  const code = (getter: string): string => ts`
    import * as net from 'node:net';
    export class C {
      private s: net.Socket = net.connect(1, '127.0.0.1');
      ${getter}
      send(d: string): void {
        setImmediate(() => {
          if (!this.isOK) return;
          this.s.write(d);
        });
      }
      close(): void {
        this.s.destroy();
      }
    }
  `;

  it('get isOK() { return this.s && this.s.writable } (or through another getter): no report', () => {
    expect(ids(code('get isOK(): boolean { return this.s && this.s.writable; }'))).toEqual([]);
    expect(ids(code('get isOK(): boolean { return this.ready; }\n      get ready(): boolean { return !this.s.destroyed; }'))).toEqual([]);
  });

  it('a getter that tests something else: reported', () => {
    expect(ids(code('get isOK(): boolean { return Date.now() > 0; }'))).toEqual([[8, 'deferredUse']]);
  });
});

describe('the owner’s way to close is a method outside code can call', () => {
  const code = (modifier: string): string => ts`
    import * as net from 'node:net';
    export class Client {
      private socket: net.Socket | undefined;
      private shouldConnect = true;
      connect(): void {
        this.socket = net.connect(9000, '127.0.0.1');
        this.socket.on('close', () => {
          if (this.shouldConnect) setTimeout(() => this.connect(), 1000);
        });
      }
      disconnect(): void {
        this.shouldConnect = false;
        this.socket?.end();
      }
      ${modifier} handleClose(): void {
        this.socket?.destroy();
      }
    }
  `;

  it('a protected or private release (a watchdog the class hierarchy calls): no report', () => {
    expect(ids(code('protected'))).toEqual([]);
    expect(ids(code('private'))).toEqual([]);
  });

  it('a public release that does not stop the reconnect: reported', () => {
    expect(ids(code('public'))).toEqual([[16, 'reconnectsAfterRelease']]);
  });
});

describe('a resource the module makes idle and opens at its top (checkModuleScope)', () => {
  it('new net.Socket() then connect(): reported', () => {
    expect(moduleScope(ts`
      import * as net from 'node:net';
      const s = new net.Socket();
      s.connect(80, '127.0.0.1');
    `)).toEqual([[2, 'leak']]);
  });

  it('never opened: no report', () => {
    expect(moduleScope(ts`
      import * as net from 'node:net';
      const s = new net.Socket();
      s.on('error', () => undefined);
    `)).toEqual([]);
  });
});

describe('a store of an idle-made socket that its function opens right away is a store of a socket', () => {
  it("start() connects what it stores; restart() stores over it: restart's store reported", () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export class Conn {
        private s: net.Socket | undefined;
        start(): void {
          this.s = new net.Socket();
          this.s.connect(80, '127.0.0.1');
        }
        restart(): void {
          this.s = new net.Socket();
        }
        stop(): void {
          this.s?.destroy();
        }
      }
    `)).toEqual([[9, 'fieldOverwritten']]);
  });

  it('a placeholder stored and never opened where it is stored: no report', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export class Conn {
        private s: net.Socket | undefined;
        start(): void {
          this.s = new net.Socket();
        }
        restart(): void {
          this.s = new net.Socket();
        }
        stop(): void {
          this.s?.destroy();
        }
      }
    `)).toEqual([]);
  });
});

describe('a counter that only grows splits the runs of a repeating listener', () => {
  const ws = (update: string, test: string): string => ts`
    import WebSocket from 'ws';
    export function bench(host: string, limit: number): void {
      let roundtrips = 0;
      const ws = new WebSocket(host);
      ws.on('message', () => {
        ${update};
        if (${test}) {
          ws.send('again');
        } else {
          ws.close();
        }
      });
    }
  `;

  it('n++; if (n < limit) send else close: no report', () => {
    expect(ids(ws('roundtrips++', 'roundtrips < limit'))).toEqual([]);
    expect(ids(ws('roundtrips += 1', '!(roundtrips >= limit)'))).toEqual([]);
  });

  it('a counter reset elsewhere, or a bound both branches share (<= against >): reported', () => {
    expect(ids(ws('roundtrips = roundtrips > 5 ? 0 : roundtrips + 1', 'roundtrips < limit'))).toEqual([[8, 'deferredUse']]);
    expect(ids(ws('roundtrips--', 'roundtrips < limit'))).toEqual([[8, 'deferredUse']]);
  });

  it("if (i === 0) write; else if (i === 1) end; i += 1 in a 'data' listener: no report", () => {
    const code = (first: string): string => ts`
      import * as net from 'node:net';
      export function serve(server: net.Server): void {
        let i = 0;
        server.on('connection', (c) => {
          c.on('data', () => {
            if (${first}) {
              c.write('boop');
            } else if (i === 1) {
              c.end();
            }
            i += 1;
          });
        });
      }
    `;
    expect(ids(code('i === 0'))).toEqual([]);
    // Written at i >= 1 too: the write can follow the end.
    expect(ids(code('i !== 1'))).toEqual([[7, 'deferredUse']]);
  });
});

describe("a listener that destroys its own emitter before it calls the storing method runs that path once", () => {
  const code = (release: string): string => ts`
    import * as net from 'node:net';
    export class Dual {
      private realtime?: net.Socket;
      private request?: net.Socket;
      start(ip: string): void {
        this.request = net.connect(5009, ip);
        this.request.on('data', (buffer: Buffer) => {
          if (buffer.length === 8) {
            this.request?.${release}();
            this.setup(ip);
          }
        });
      }
      private setup(ip: string): void {
        this.realtime = net.connect(5001, ip);
        this.realtime.on('data', (b) => console.log(b.length));
      }
      exit(): void {
        this.realtime?.destroy();
        this.request?.destroy();
      }
    }
  `;

  it('destroy() first: no report', () => {
    expect(ids(code('destroy'))).toEqual([]);
  });

  it('end() first (the peer may still send): reported', () => {
    expect(ids(code('end'))).toEqual([[15, 'fieldOverwritten']]);
  });
});

describe("a clearing method's parameter test that the call's literal decides", () => {
  const code = (onConnect: string): string => ts`
    import { Socket } from 'node:net';
    export class TcpConnection {
      private tcpClient: Socket | null = null;
      private connected = false;
      ensureConnection(port: number, host: string): Socket {
        if (!this.tcpClient) {
          this.tcpClient = new Socket();
          this.tcpClient.on('connect', () => this.setConnected(${onConnect}));
          this.tcpClient.on('close', () => this.setConnected(false));
        }
        const client = this.tcpClient;
        if (!this.connected) client.connect(port, host);
        return client;
      }
      deactivate(): void {
        this.tcpClient?.end();
        this.tcpClient = null;
      }
      private setConnected(connected: boolean): void {
        if (this.connected !== connected) {
          this.connected = connected;
          if (!connected) {
            this.tcpClient = null;
          }
        }
      }
    }
  `;

  it("setConnected(true) from 'connect' cannot clear: no report", () => {
    expect(ids(code('true'))).toEqual([]);
  });

  it("setConnected(false) from 'connect' clears the open socket: reported", () => {
    expect(ids(code('false'))).toEqual([[7, 'leak']]);
  });
});

describe("a timer handle one name holds for every connection of a server", () => {
  const server = (declare: string, handle: string): string => [
    "const net = require('net');",
    declare,
    'const server = net.createServer();',
    "server.on('connection', (sock) => {",
    `  ${handle} = setInterval(() => {`,
    "    sock.write('tick');",
    '  }, 5000);',
    "  sock.on('close', () => clearInterval(timer));",
    '});',
    'server.listen(40000);',
  ].join('\n');

  it('declared outside the handler, or not at all: the clear stops the latest timer only — reported', () => {
    expect(jsIds(server('let timer;', 'timer'))).toEqual([[6, 'deferredUse']]);
    expect(jsIds(server('// (undeclared)', 'timer'))).toEqual([[6, 'deferredUse']]);
  });

  it("declared in the handler: each connection's own — no report", () => {
    expect(jsIds(server('// (per connection)', 'const timer'))).toEqual([]);
  });
});

describe('a subscriber or server made in a test case serves that test, not the process', () => {
  const code = (wrap: (body: string) => string): string => ts`
    import mqtt from 'mqtt';
    declare function it(name: string, fn: (done: () => void) => void): void;
    export function suite(url: string): void {
      ${wrap(`const client = mqtt.connect(url);
        client.subscribe('topic');
        client.on('message', () => console.log('ping'));`)}
    }
  `;

  it("in it(…): checked — reported when never ended", () => {
    expect(ids(code((body) => `it('pings', (done) => {\n        ${body}\n        done();\n      });`))).toEqual([[5, 'leak']]);
  });

  it('in a plain function: a subscriber for the life of the process — no report', () => {
    expect(ids(code((body) => body))).toEqual([]);
  });

  it('ended in the test case: no report', () => {
    expect(ids(code((body) => `it('pings', (done) => {\n        ${body}\n        client.end(true, {}, done);\n      });`))).toEqual([]);
  });
});

describe('a server with a handler made in a test case and closed at its end', () => {
  it('checked as a short-lived server: reported when an await before the close rejects', () => {
    expect(ids(ts`
      import * as http from 'node:http';
      declare function it(name: string, fn: () => Promise<void>): void;
      it('serves', async () => {
        const server = http.createServer((req, res) => res.end('ok')).listen(9010);
        const response = await fetch('http://127.0.0.1:9010/');
        console.log(response.status);
        server.close();
      });
    `)).toEqual([[4, 'leak']]);
  });
});
