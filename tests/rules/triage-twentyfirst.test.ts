/**
 * Shapes from the twenty-first hand triage (and leftovers of earlier ones): each false alarm or miss reduced to its
 * general mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a heartbeat flag is no liveness flag', () => {
  /** A Home Assistant style client: closes on `auth_invalid`, pings from an interval guarded by a pong flag. */
  const heartbeat = (beat: string): string => ts`
    import WebSocket from 'ws';
    export function connect(url: string): void {
      const ws = new WebSocket(url);
      let alive = true;
      ws.on('message', (data) => {
        if (String(data) === 'auth_invalid') {
          ws.close();
          return;
        }
        alive = true;
      });
      ws.on('pong', () => {
        alive = true;
      });
      const timer = setInterval(() => {
        ${beat}
      }, 30000);
      void timer;
    }
  `;

  it('set to its dead value and then the socket is pinged: the test guards nothing', () => {
    expect(ids(heartbeat(`if (!alive) {
          ws.terminate();
          return;
        }
        alive = false;
        ws.ping();`))).toEqual([[21, 'deferredUse']]);
  });

  it('a flag cleared where the socket goes away still guards', () => {
    expect(ids(heartbeat(`if (!alive) return;
        ws.ping();`).replace("ws.close();", "alive = false;\n          ws.close();"))).toEqual([]);
  });

  it('set to its dead value before a last message and the release: still a liveness flag', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Session {
        private open = true;
        constructor(private readonly sock: net.Socket) {}
        quit(): void {
          this.open = false;
          this.sock.write('QUIT\\r\\n');
          this.sock.end();
        }
        later(): void {
          setTimeout(() => {
            if (!this.open) return;
            this.sock.write('NOOP\\r\\n');
          }, 1000);
        }
      }
    `;
    expect(ids(code)).toEqual([]);
  });
});

describe("a project's own enum of a socket's states", () => {
  const provider = (test: string): string => ts`
    import WebSocket from 'ws';
    export enum WsReadyStates { Connecting = 0, Open = 1, Closing = 2, Closed = 3 }
    export class Provider {
      webSocket: WebSocket | null = null;
      queue: unknown[] = [];
      connect(url: string): void {
        const ws = new WebSocket(url);
        ws.on('message', (data: Buffer) => this.onMessage(data));
        this.webSocket = ws;
      }
      send(message: Uint8Array): void {
        if (${test}) this.webSocket.send(message);
        else this.queue.push(message);
      }
      onMessage(data: Buffer): void {
        if (data.length === 1) this.send(Uint8Array.of(1));
      }
      checkConnection(): void {
        this.webSocket?.close();
      }
    }
  `;

  it('names the open state as ws does (WsReadyStates.Open): a liveness test', () => {
    expect(ids(provider('this.webSocket?.readyState === WsReadyStates.Open'))).toEqual([]);
  });

  it("reads each member as ws's constant of that name", () => {
    for (const [own, theirs] of [
      ['Closed', 'CLOSED'],
      ['Closing', 'CLOSING'],
    ]) {
      expect(ids(provider(`this.webSocket?.readyState !== WsReadyStates.${own} && this.webSocket`))).toEqual(
        ids(provider(`this.webSocket?.readyState !== WebSocket.${theirs} && this.webSocket`)),
      );
    }
  });

  it('a test that lets a closed socket through still reports', () => {
    expect(ids(provider('this.webSocket?.readyState === WsReadyStates.Connecting || this.webSocket'))).toEqual([[8, 'deferredUse']]);
  });
});

describe("an ssh2 client's 'ready' listener", () => {
  const shell = (listener: string): string => ts`
    import { Client, type ClientChannel } from 'ssh2';
    export class Shell {
      private client = new Client();
      private stream: ClientChannel | null = null;
      constructor(host: string) {
        this.client.on('${listener}', () => this.handleReady()).connect({ host, port: 22 });
      }
      private handleReady(): void {
        this.client.shell(false, (err, stream) => {
          if (!err) this.stream = stream;
        });
      }
      close(): void {
        this.client.end();
      }
    }
  `;

  it("'ready' runs only while the connection is open: no use after end()", () => {
    expect(ids(shell('ready'))).toEqual([]);
  });

  it("a listener of an event that can come after end() still reports ('handshake' is not 'ready')", () => {
    expect(ids(shell('handshake'))).toEqual([[6, 'deferredUse']]);
  });
});

describe("a race over a client's own connect()", () => {
  const store = (race: string): string => ts`
    import { createClient } from 'redis';
    const timeout = (ms: number): Promise<never> => new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms));
    export class Store {
      private client = createClient({ url: 'redis://127.0.0.1' });
      async get(): Promise<unknown> {
        if (this.client.isOpen) return this.client;
        try {
          await Promise.race([${race}, timeout(5000)]);
        } catch (error) {
          this.client.destroy();
          throw error;
        }
        return this.client;
      }
    }
  `;

  it('resolves to the client the object holds: nothing new is lost', () => {
    expect(ids(store('this.client.connect()'))).toEqual([]);
  });

  it('a new client that loses the race still leaks', () => {
    expect(ids(store("createClient({ url: 'redis://127.0.0.1' }).connect()"))).toEqual([[8, 'leak']]);
  });
});

describe('a catch that runs the owner again', () => {
  const listener = (retry: string, stop = 'await this.client?.end();'): string => ts`
    import { Client } from 'pg';
    export class Listener {
      private client?: Client;
      private retry(): void {
        setTimeout(() => void this.start(), 1000);
      }
      async start(): Promise<void> {
        const client = new Client();
        try {
          await client.connect();
          await client.query('LISTEN jobs');
          this.client = client;
        } catch {
          ${retry}
        }
      }
      async stop(): Promise<void> {
        ${stop}
      }
    }
  `;

  it('through a method arming a timer, or a timer in place: makes another client, releases none', () => {
    expect(ids(listener('this.retry();'))).toEqual([[8, 'leak']]);
    expect(ids(listener('setTimeout(() => void this.start(), 1000);'))).toEqual([[8, 'leak']]);
  });

  it('a catch that releases, or calls a method that releases the client, is fine', () => {
    expect(ids(listener('await client.end();\n          this.retry();'))).toEqual([]);
    expect(ids(listener('await this.drop(client);\n          this.retry();', 'await this.client?.end();\n      }\n      private async drop(c: Client): Promise<void> {\n        await c.end();'))).toEqual([]);
  });
});

describe('a server a helper makes with a handler, taken out of the object it returns', () => {
  const progress = (make: string): string => ts`
    import * as net from 'node:net';
    async function oneShot(onConnection: (s: net.Socket) => void, port: number) {
      const server = ${make};
      setTimeout(() => server.close(), 30_000);
      server.listen(port);
      return { port, server };
    }
    export async function watch(port: number, onData: (d: Buffer) => void): Promise<void> {
      const { server } = await oneShot((socket) => socket.on('data', onData), port);
      server.on('close', () => onData(Buffer.alloc(0)));
    }
  `;

  it('serves, as a server the helper returns itself does: no report', () => {
    expect(ids(progress('net.createServer((socket) => {\n        server.close();\n        onConnection(socket);\n      })'))).toEqual([]);
  });

  it('a server without a handler is still the caller\'s to close', () => {
    expect(ids(progress('net.createServer()'))).toEqual([[9, 'leak']]);
  });
});

describe("an operation's 'done' event comes once", () => {
  const reply = (event: string): string => ts`
    import { EventEmitter } from 'node:events';
    import { WebSocket } from 'ws';
    declare function auth(): EventEmitter;
    export function onToken(ws: WebSocket): void {
      auth().on('${event}', (result: string) => {
        ws.send(result);
        ws.close();
      });
    }
  `;

  it("a 'done' (or 'complete') listener that sends and then closes: no use after close", () => {
    expect(ids(reply('done'))).toEqual([]);
    expect(ids(reply('complete'))).toEqual([]);
  });

  it("a listener of an event that repeats ('data') sends again after its own close()", () => {
    expect(ids(reply('data'))).toEqual([[6, 'deferredUse']]);
  });
});

describe('a local function value named like a non-owning library function', () => {
  const connect = (settle: string, decl = 'const once = onceOf(cb);'): string => ts`
    import amqp from 'amqplib/callback_api';
    type Cb = (err: Error | null, c?: amqp.Connection) => void;
    declare function onceOf<T extends (...args: never[]) => void>(fn: T): T;
    export function connect(url: string, cb: Cb): void {
      ${decl}
      amqp.connect(url, (err, connection) => {
        if (err) return once(err);
        ${settle}
      });
    }
  `;

  it('`const once = onceOf(cb)` (a wrapped callback) takes the connection it is given', () => {
    expect(ids(connect('once(null, connection);'))).toEqual([]);
  });

  it("`once` imported from 'node:events' keeps nothing: the connection still leaks", () => {
    const code = ts`
      import amqp from 'amqplib/callback_api';
      import { once } from 'node:events';
      export function connect(url: string): void {
        amqp.connect(url, (err, connection) => {
          if (err) return;
          void once(connection, 'blocked');
        });
      }
    `;
    expect(ids(code)).toEqual([[4, 'leak']]);
  });
});

describe("a 'timeout' option on a socket the object keeps in a field", () => {
  const ping = (extra: string): string => ts`
    import net from 'node:net';
    export class Ping {
      private client?: net.Socket;
      constructor(private readonly port: number) {}
      status(): Promise<string> {
        return new Promise<string>((resolve, reject) => {
          this.client = net.connect({ host: '127.0.0.1', port: this.port, timeout: 15_000 }, () => this.client?.write('ping'));
          this.client.on('data', (d: Buffer) => {
            this.client?.end();
            resolve(String(d));
          });
          this.client.on('error', reject);
          ${extra}
        });
      }
    }
  `;

  it("no 'timeout' listener anywhere in the class: the idle timeout is unhandled", () => {
    expect(ids(ping(''))).toEqual([[7, 'idleTimeoutOptionUnhandled']]);
  });

  it("a 'timeout' listener through the field, or the socket handed on besides, is not reported", () => {
    expect(ids(ping("this.client.on('timeout', () => this.client?.destroy());"))).toEqual([]);
    expect(ids(ping('register(this.client);').replace('export class Ping', 'declare function register(s: net.Socket): void;\n    export class Ping'))).toEqual([]);
  });
});

describe('an array iteration callback runs once per element', () => {
  const lines = (body: string): string => ts`
    import * as net from 'node:net';
    export function serve(socket: net.Socket, chunk: string): void {
      chunk.split('\\n').forEach((line) => {
        ${body}
      });
    }
  `;

  it('a release and return in one run reaches the use of the next one', () => {
    expect(ids(lines("if (line === 'bad') {\n          socket.destroy();\n          return;\n        }\n        socket.write(line);"))).toEqual([[8, 'deferredUse']]);
  });

  it("a release of each run's own element, or one that also ends the iteration's caller, is not", () => {
    const each = ts`
      import * as net from 'node:net';
      export function closeAll(sockets: net.Socket[]): void {
        sockets.forEach((s) => {
          s.write('bye');
          s.destroy();
        });
      }
    `;
    expect(ids(each)).toEqual([]);
    expect(ids(lines("if (line === 'bad') throw new Error(line);\n        socket.write(line);"))).toEqual([]);
  });
});

describe('a promise factory of the function that resolves with a socket it released just before', () => {
  const check = (open: string): string => ts`
    import WebSocket from 'ws';
    export async function check(url: string): Promise<boolean> {
      const connect = () =>
        new Promise((resolve, reject) => {
          const ws = new WebSocket(url);
          ws.on('open', () => {
            ${open}
          });
          ws.on('error', reject);
        });
      try {
        const connection = await connect();
        return !!connection;
      } catch {
        return false;
      }
    }
  `;

  it('`ws.close(); resolve(ws)`: the caller receives a released socket', () => {
    expect(ids(check("ws.send('ping');\n            ws.close();\n            resolve(ws);"))).toEqual([]);
  });

  it('resolved open, the caller owns it and drops it', () => {
    expect(ids(check("ws.send('ping');\n            resolve(ws);"))).toEqual([[13, 'leak']]);
  });
});

describe('a flag cleared before a write to another socket', () => {
  it('still guards: the function that clears it does not test it (no heartbeat)', () => {
    const code = ts`
      import * as net from 'node:net';
      export class Relay {
        private connected = true;
        constructor(private readonly sock: net.Socket, private readonly peer: net.Socket) {
          sock.on('close', () => this.onClose());
        }
        private onClose(): void {
          this.connected = false;
          this.peer.write('gone');
        }
        stop(): void {
          this.sock.destroy();
        }
        later(): void {
          setTimeout(() => {
            if (!this.connected) return;
            this.sock.write('tick');
          }, 1000);
        }
      }
    `;
    expect(ids(code)).toEqual([]);
  });
});
