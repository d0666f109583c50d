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
  it("its listeners are the socket's: a clear reached only from its 'close' listener drops nothing (not reported)", () => {
    expect(ids(wrapper("this._wss.on('close', () => this.onClose());"))).toEqual([]);
  });

  it('a clear reached from a timer while the socket may be open: reported', () => {
    expect(ids(wrapper('setTimeout(() => this.onClose(), 30000);'))).toEqual([[9, 'leak']]);
  });
});
