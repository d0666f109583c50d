/**
 * Shapes left by the twenty-first hand triage and mended in the twenty-ninth session: each reduced to its general
 * mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a one-shot timer that releases under `if (!settled)`', () => {
  /**
   * A host-key probe (webssh2's shape). With `flagElsewhere`, the 'error' listener (an ssh2 error closes the client)
   * and the host verifier (which ends it) set the flag too.
   */
  const probe = (timerBody: string, flagElsewhere = true): string => ts`
    import { Client } from 'ssh2';
    export function probeHostKey(host: string): Promise<string> {
      return new Promise((resolve, reject) => {
        const client = new Client();
        let resolved = false;
        client.on('error', (err: Error) => {
          ${flagElsewhere ? 'if (resolved) return;\n          resolved = true;' : ''}
          reject(err);
        });
        client.connect({
          host,
          username: 'probe',
          hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
            ${flagElsewhere ? 'if (resolved) return verify(false);\n            resolved = true;' : ''}
            resolve(key.toString('base64'));
            verify(false);
            client.end();
          },
        });
        setTimeout(() => {
          ${timerBody}
        }, 5000);
      });
    }
  `;
  const releasingTimer = `if (!resolved) {
            resolved = true;
            client.end();
            reject(new Error('timeout'));
          }`;

  it('the path where the flag is already set was settled elsewhere: no report', () => {
    expect(ids(probe(releasingTimer))).toEqual([]);
  });

  it('the same with a double negation before the release', () => {
    expect(ids(probe(`if (!!resolved) return;
          resolved = true;
          client.end();
          reject(new Error('timeout'));`))).toEqual([]);
  });

  // Reported until the thirty-eighth session. The flag is set only right next to the timer's own release, so while the
  // client is open it is still unset and the timer always releases: the branch that skipped the release could not run
  // on an open client (see triage-thirty-second.test.ts, "a flag changed only right next to a release").
  it('a flag that only the timer itself sets, right next to its release: the timer always releases, no report', () => {
    const code = probe(releasingTimer, false);
    expect(code.match(/resolved = true/g)?.length).toBe(1);
    expect(ids(code)).toEqual([]);
  });

  it('counterpart: a flag the timer sets apart from its release proves nothing: its early path is still reported', () => {
    const code = probe(`if (!resolved) {
            resolved = true;
            reject(new Error('timeout'));
            client.end();
          }`, false);
    expect(ids(code)).toEqual([[4, 'leak']]);
  });
});

describe("a reconnect from both the 'error' and the 'close' listener", () => {
  /** A reconnecting WebSocket (Firebot's copy of reconnecting-websocket): `disconnect()` is `onError`'s first step. */
  const reconnecting = (disconnect: string): string => ts`
    import WebSocket from 'ws';
    export class ReconnectingWebSocket {
      private ws?: WebSocket;
      private shouldReconnect = true;
      constructor(private url: string) {
        this.connect();
      }
      close(): void {
        this.shouldReconnect = false;
        this.ws?.close();
      }
      private connect(): void {
        if (!this.shouldReconnect) return;
        this.ws = new WebSocket(this.url);
        this.ws.addEventListener('close', this.onClose);
        this.ws.addEventListener('error', this.onError);
      }
      private disconnect(): void {
        if (!this.ws) return;
        ${disconnect}
        this.ws.close(1000);
      }
      private onError = (): void => {
        this.disconnect();
        this.connect();
      };
      private onClose = (): void => {
        if (this.shouldReconnect) this.connect();
      };
    }
  `;

  it("the error path removes the close listener first (in a method it calls): one store per failure", () => {
    expect(ids(reconnecting(`this.ws.removeEventListener('close', this.onClose);
        this.ws.removeEventListener('error', this.onError);`))).toEqual([]);
  });

  it('removeAllListeners() of that socket does the same', () => {
    expect(ids(reconnecting('this.ws.removeAllListeners();'))).toEqual([]);
  });

  it('removing only the error listener leaves the close listener to store a second socket: reported', () => {
    expect(ids(reconnecting(`this.ws.removeEventListener('error', this.onError);`))).toEqual([[14, 'fieldOverwritten']]);
  });
});

describe('a field released at the end of a chain of calls that return the socket', () => {
  const connection = (close: string): string => ts`
    import { Socket, connect } from 'node:net';
    export class Connection {
      socket?: Socket;
      open(port: number, host: string): void {
        this.socket = connect(port, host);
        this.socket.setKeepAlive(true);
      }
      close(): Promise<void> {
        return new Promise<void>((resolve) => {
          ${close}
        });
      }
    }
  `;

  it("`this.socket?.once('close', cb)?.end()`: the class releases the field", () => {
    expect(ids(connection(`this.socket?.once('close', () => resolve())?.end('END');`))).toEqual([]);
  });

  it('through a method declared to return `this` too', () => {
    expect(ids(connection(`this.socket?.setNoDelay(true).once('close', () => resolve()).destroy();`))).toEqual([]);
  });

  it('a chain that ends without a release releases nothing: reported', () => {
    expect(ids(connection(`this.socket?.once('close', () => resolve())?.setNoDelay(true);`))).toEqual([[5, 'fieldNeverReleased']]);
  });
});

describe('a served channel made by an awaited factory of the file', () => {
  const consumer = (between: string): string => ts`
    import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
    let connection: Promise<ChannelModel> | null = null;
    async function createConsumerChannel(): Promise<Channel> {
      connection ??= amqp.connect('amqp://127.0.0.1');
      return (await connection).createChannel();
    }
    declare function setUp(): Promise<void>;
    export async function consumeOnce(queue: string, onMsg: (m: ConsumeMessage | null) => void): Promise<void> {
      const channel = await createConsumerChannel();
      ${between}
      try {
        await channel.consume(queue, onMsg);
      } finally {
        await channel.close();
      }
    }
  `;

  it('when the creation itself rejects there is no channel: no report', () => {
    expect(ids(consumer(''))).toEqual([]);
  });

  it('an await between the creation and the try still leaves it open when it rejects: reported', () => {
    expect(ids(consumer('await setUp();'))).toEqual([[9, 'leak']]);
  });
});

describe('a field cleared by the factory whose result is stored there', () => {
  const server = (more: string): string => ts`
    import * as http from 'node:http';
    export class MockServer {
      private server: http.Server | null = null;
      private spare: http.Server | null = null;
      private initted = false;
      init(): void {
        if (this.initted) return;
        this.server = this.createServer();
        if (this.server) this.initted = true;
      }
      private createServer(): http.Server {
        this.server = null;
        return http.createServer();
      }
      ${more}
      stop(): void {
        this.server?.close();
        this.spare?.close();
      }
    }
  `;

  it('`this.server = this.createServer()` with `this.server = null` inside createServer(): no report', () => {
    expect(ids(server(''))).toEqual([]);
  });

  it('the same factory called elsewhere while the field holds the server clears it there: reported', () => {
    expect(ids(server(`reload(): void {
        this.spare = this.createServer();
      }`))).toEqual([[8, 'leak']]);
  });
});

describe('a reconnect re-armed from the catch of the try around the store', () => {
  const reverse = (after: string): string => ts`
    import WebSocket from 'ws';
    export function startWsReverse(url: string): { close(): void } {
      let ws: WebSocket | null = null;
      let reconnectTimer: NodeJS.Timeout | null = null;
      let stopped = false;
      const connect = (): void => {
        try {
          ws = new WebSocket(url);
          ${after}
        } catch {
          reconnectTimer = setTimeout(connect, 5000);
        }
      };
      connect();
      return {
        close() {
          stopped = true;
          if (reconnectTimer) clearTimeout(reconnectTimer);
          ws?.close();
        },
      };
    }
  `;
  const listeners = `ws.on('open', () => ws?.send('hello'));
          ws.on('close', () => {
            if (!stopped) reconnectTimer = setTimeout(connect, 5000);
          });
          ws.on('error', () => {});
          const onExit = (): void => console.log('exit', url);
          process.on('exit', onExit);`;

  it('only listeners added (in place or by name) and functions declared follow the store: the catch runs only when nothing was stored', () => {
    expect(ids(reverse(listeners))).toEqual([]);
  });

  it('a call that can throw after the store: the catch may re-arm with the new socket open (reported)', () => {
    expect(ids(reverse(`${listeners}
          ws.send(JSON.stringify({ url }));`))).toEqual([[8, 'fieldOverwritten']]);
  });
});

describe("Homebridge's 'didFinishLaunching' comes once", () => {
  const platform = (event: string): string => ts`
    import * as dgram from 'node:dgram';
    declare const api: { on(event: string, fn: () => void): void };
    export class Platform {
      private readonly socket: dgram.Socket;
      constructor(private readonly addresses: Record<string, string>) {
        this.socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
        this.socket.on('error', (err) => console.error(err.message));
        api.on('${event}', () => {
          if (Object.keys(this.addresses).length === 0) {
            this.socket.close();
          } else {
            this.socket.on('message', (m) => console.log(m.length));
            this.socket.bind(7000);
          }
        });
      }
    }
  `;

  it('a close in one branch of its listener is not followed by a second run: no report', () => {
    expect(ids(platform('didFinishLaunching'))).toEqual([]);
  });

  it('the same listener of an event that repeats may close the socket twice: reported', () => {
    expect(ids(platform('configChanged'))).toEqual([[10, 'deferredUse']]);
  });
});

describe('a getter of a client handed in as an option', () => {
  const cache = (returns: string, getter: string, use: string): string => ts`
    import type { RedisClientType } from 'redis';
    import type { PoolConnection } from 'mysql2/promise';
    export function createCache(options: { ${getter}: () => Promise<${returns}> }) {
      const { ${getter} } = options;
      return {
        async get(key: string): Promise<unknown> {
          const client = await ${getter}();
          ${use}
        },
      };
    }
  `;

  it('`await getRedisClient()` gives the shared client: no report', () => {
    expect(ids(cache('RedisClientType', 'getRedisClient', 'return client.get(key);'))).toEqual([]);
  });

  it('`await getConnection()` checks a connection out of a pool: reported', () => {
    expect(ids(cache('PoolConnection', 'getConnection', 'return client.query(key);'))).toEqual([[7, 'leak']]);
  });
});

describe('a reconnect from both listeners, storing in a callback of the method behind a lock', () => {
  const reconnecting = (lock: string): string => ts`
    import WebSocket from 'ws';
    export class ReconnectingWebSocket {
      private ws?: WebSocket;
      private connectLock = false;
      constructor(private url: string) {
        this.connect();
      }
      close(): void {
        this.ws?.close();
      }
      private connect(): void {
        ${lock}
        void new Promise((r) => setTimeout(r, 1000)).then(() => {
          this.ws = new WebSocket(this.url);
          this.connectLock = false;
          this.ws.on('close', () => this.connect());
          this.ws.on('error', () => this.connect());
        });
      }
    }
  `;

  it('the method takes a lock before the callback that stores: one store per failure', () => {
    expect(ids(reconnecting(`if (this.connectLock) return;
        this.connectLock = true;`))).toEqual([]);
  });

  it('without the lock both listeners store: reported', () => {
    expect(ids(reconnecting(''))).toEqual([[14, 'fieldOverwritten']]);
  });
});
