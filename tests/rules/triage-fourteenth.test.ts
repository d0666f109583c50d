/**
 * Shapes from the fourteenth hand triage: each false alarm or miss reduced to its general mechanism, with the
 * counterpart that must stay reported.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('connections that reopen themselves, in the shapes classes write them', () => {
  it('the creating function is a class property holding an arrow function (not reported)', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export class Feed {
        public client?: net.Socket;
        constructor(private port: number) {
          this.connect();
        }
        connect = (): void => {
          this.client = net.connect(this.port, '127.0.0.1');
          this.client.on('close', () => setTimeout(() => this.connect(), 1000));
        };
      }
    `)).toEqual([]);
  });

  it('a class property function whose close listener does not reconnect: reported', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export class Feed {
        public client?: net.Socket;
        connect = (port: number): void => {
          this.client = net.connect(port, '127.0.0.1');
          this.client.on('close', () => console.log('closed'));
        };
      }
    `)).toEqual([[5, 'fieldNeverReleased']]);
  });

  it("the close handler set as a property through the field (`this.ws.onclose = …`): not reported", () => {
    expect(ids(ts`
      import WebSocket from 'ws';
      export class Feed {
        public ws?: WebSocket;
        constructor(private url: string) {
          this.connect();
        }
        connect(): void {
          this.ws = new WebSocket(this.url);
          this.ws.onclose = () => setTimeout(() => this.connect(), 1000);
        }
      }
    `)).toEqual([]);
  });

  it('a close handler property that does not reconnect: reported', () => {
    expect(ids(ts`
      import WebSocket from 'ws';
      export class Feed {
        public ws?: WebSocket;
        connect(url: string): void {
          this.ws = new WebSocket(url);
          this.ws.onclose = () => console.log('closed');
        }
      }
    `)).toEqual([[5, 'fieldNeverReleased']]);
  });

  it("the same socket reopened (`this.client.connect()`) from its close listener, through a method: not reported", () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export class Gateway {
        public client: net.Socket;
        constructor(private port: number) {
          this.client = new net.Socket();
          this.client.on('close', () => setTimeout(() => this.connect(), 1000));
          this.connect();
        }
        connect(): void {
          this.client.connect(this.port, '127.0.0.1');
        }
      }
    `)).toEqual([]);
  });

  it("reopened only from its 'error' listener (a clean close by the peer is not reopened): reported", () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export class Gateway {
        public client: net.Socket;
        constructor(private port: number) {
          this.client = new net.Socket();
          this.client.on('error', () => this.connect());
          this.connect();
        }
        connect(): void {
          this.client.connect(this.port, '127.0.0.1');
        }
      }
    `)).toEqual([[5, 'fieldNeverReleased']]);
  });
});

describe('a socket stored in a field before a callback settles the operation without it', () => {
  it("a dgram socket in the object's field, whose close() releases it: the object owns it (not reported)", () => {
    expect(ids(ts`
      import dgram from 'node:dgram';
      export class UdpSocket {
        socket?: dgram.Socket;
        bound(): Promise<dgram.Socket> {
          return new Promise((resolve, reject) => {
            const socket = dgram.createSocket('udp4');
            this.socket = socket;
            this.socket.on('error', (err) => reject(err));
            this.socket.bind(() => {
              socket.removeAllListeners('error');
              resolve(socket);
            });
          });
        }
        close(): void {
          this.socket?.close();
        }
      }
    `)).toEqual([]);
  });

  it('kept in a local only: a failed bind() leaves it open (reported)', () => {
    expect(ids(ts`
      import dgram from 'node:dgram';
      export function bound(): Promise<dgram.Socket> {
        return new Promise((resolve, reject) => {
          const socket = dgram.createSocket('udp4');
          socket.on('error', (err) => reject(err));
          socket.bind(() => {
            socket.removeAllListeners('error');
            resolve(socket);
          });
        });
      }
    `)).toEqual([[4, 'leak']]);
  });
});

describe('a field declared `any` that holds the socket the function stores in it', () => {
  const wrapper = (clearFrom: string): string => ts`
    import WebSocket from 'ws';
    export class SmartWss {
      private _wss: any;
      constructor(readonly url: string) {}
      close(): void {
        if (this._wss) this._wss.close();
      }
      connect(): void {
        this._wss = new WebSocket(this.url);
        this._wss.on('open', () => console.log('open'));
        ${clearFrom}
      }
      private onClose(): void {
        this._wss = null;
        setTimeout(() => this.connect(), 1000);
      }
    }
  `;
  it("its listeners are the socket's: a clear reached only from its 'close' listener drops nothing (no clear reported)", () => {
    // close() only fires that listener, whose timer connects again: reconnectsAfterRelease at close()'s release
    // (since the forty-first session, a reconnect through methods of the class counts for a field socket too).
    expect(ids(wrapper("this._wss.on('close', () => this.onClose());"))).toEqual([[6, 'reconnectsAfterRelease']]);
  });

  it('a clear reached from a timer while the socket may be open: reported', () => {
    expect(ids(wrapper('setTimeout(() => this.onClose(), 30000);'))).toEqual([[9, 'leak']]);
  });
});

describe("a subscriber released by the response's 'close' (an SSE route)", () => {
  const route = (emitter: string): string => ts`
    import { createClient } from 'redis';
    import type * as http from 'node:http';
    const client = createClient();
    export async function events(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
      try {
        const stream = client.duplicate();
        await stream.connect();
        await stream.subscribe('events', (message) => res.write(message));
        ${emitter}.on('close', () => { void stream.quit(); });
      } catch (err) {
        console.error(err);
      }
    }
  `;
  it("`res.on('close')` (a writable stream) serves the request as `req.on('close')` does: the rejection path is checked", () => {
    expect(ids(route('res'))).toEqual([[6, 'leak']]);
    expect(ids(route('req'))).toEqual([[6, 'leak']]);
  });
});

describe("a release in the success branch of the resource's own operation callback", () => {
  const exchange = (branch: string): string => ts`
    import * as amqp from 'amqplib/callback_api';
    export class Exchange {
      constructor(private readonly ch: amqp.Channel, private readonly name: string) {}
      delete(): Promise<void> {
        return new Promise<void>((resolve, reject) => {
          this.ch.deleteExchange(this.name, {}, (err) => {
            ${branch}
          });
        });
      }
      close(): Promise<void> {
        return new Promise<void>((resolve) => this.ch.close(() => resolve()));
      }
    }
  `;
  it('in the `else` of `if (err)`, or after `if (err) return`: the channel was open when it succeeded (not reported)', () => {
    expect(ids(exchange('if (err) reject(err); else this.ch.close(() => resolve());'))).toEqual([]);
    expect(ids(exchange('if (err) { reject(err); return; } this.ch.close(() => resolve());'))).toEqual([]);
  });

  it('whatever the error: reported', () => {
    expect(ids(exchange('if (err) console.error(err); this.ch.close(() => resolve());'))).toEqual([[7, 'deferredUse']]);
  });
});

describe("the handler given to a server's creation runs once per request", () => {
  const server = (before: string): string => ts`
    import { createClient } from 'redis';
    import * as http from 'node:http';
    const redis = createClient();
    let sub: ReturnType<typeof createClient> | undefined;
    http.createServer(async (req, res) => {
      ${before}
      sub = redis.duplicate();
      await sub.connect();
      await sub.pSubscribe('user:*', (m) => res.write(m));
      req.on('close', () => void sub?.disconnect());
    }).listen(8080, '127.0.0.1');
  `;
  it('a module variable it stores a new subscriber in may still hold the previous request’s (reported)', () => {
    expect(ids(server(''))).toEqual([[7, 'fieldOverwritten']]);
  });

  it('released before the store: not reported', () => {
    expect(ids(server('await sub?.disconnect();'))).toEqual([]);
  });
});

describe('a function re-armed through a helper that sets the timer', () => {
  const listener = (before: string): string => ts`
    import { Client } from 'pg';
    export function setupListener(onUpdate: () => void): void {
      let client: Client | null = null;
      let timer: NodeJS.Timeout | null = null;
      const connect = async () => {
        try {
          ${before}
          client = new Client();
          await client.connect();
          await client.query('LISTEN updates');
          client.on('notification', () => onUpdate());
        } catch (err) {
          console.error(err);
          scheduleReconnect();
        }
      };
      const scheduleReconnect = () => {
        if (timer) return;
        timer = setTimeout(() => {
          timer = null;
          void connect();
        }, 5000);
      };
      void connect();
    }
  `;
  it('connect() → scheduleReconnect() → setTimeout(() => connect()) runs it again: the store may drop a connected client (reported)', () => {
    // (Nothing releases it anywhere either: variableNeverReleased, as before.)
    expect(ids(listener(''))).toEqual([
      [8, 'variableNeverReleased'],
      [8, 'fieldOverwritten'],
    ]);
  });

  it('the old client ended before the store: not reported', () => {
    expect(ids(listener('await client?.end();'))).toEqual([]);
  });
});
