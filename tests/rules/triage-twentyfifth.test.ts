/**
 * Shapes found by the twenty-fifth hand triage (thirty-second session), each reduced to its general mechanism, with
 * the counterpart that must stay as it was.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

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
