/**
 * A callback handed to a timer, an event registration or a promise runs only while its owner is suspended (at an
 * `await` or `yield` of its own) or after the owner ended. A settle in such a callback (`reject()` from a timeout)
 * can leave the resource behind only if the owner holds it at one of those points.
 */
import { describe, expect, it } from 'vitest';
import { ts, lineMessages } from '../rule-tester';

const reports = (code: string): Array<[number, string]> => lineMessages(code, 'no-leak');

const withTimeout = (afterCreate: string, timer = "setTimeout(() => { failed = true; reject(new Error('timeout')); }, 5000)"): string => ts`
  import * as amqplib from 'amqplib';
  export function connectWithTimeout(url: string): Promise<amqplib.ChannelModel> {
    return new Promise<amqplib.ChannelModel>(async (resolve, reject) => {
      let failed = false;
      const timer = ${timer};
      try {
        const conn = await amqplib.connect(url);
        if (failed) {
          await conn.close();
          return;
        }
        ${afterCreate}
        resolve(conn);
      } catch (err) {
        reject(err);
      } finally {
        clearTimeout(timer);
      }
    });
  }
`;

describe("a timer's reject around an awaited creation", () => {
  it('nothing suspends the executor between the creation and resolve(): the timer cannot fire then, no report', () => {
    expect(reports(withTimeout(''))).toEqual([]);
  });

  it('the reject function itself handed to the timer: no report either', () => {
    expect(reports(withTimeout('', 'setTimeout(reject, 5000)'))).toEqual([]);
  });

  it('an await with the connection held before resolve(): the timer can reject then, reported', () => {
    expect(reports(withTimeout('await new Promise((r) => setImmediate(r));')).map(([line, message]) => [line, message.slice(0, 74)])).toEqual([
      [7, 'This amqplib connection is not released when the operation settles at line'],
    ]);
  });
});

describe('an executor that ends with the socket still held', () => {
  it('a timeout rejecting while the socket connects: reported', () => {
    const code = ts`
      import * as net from 'node:net';
      export function open(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const s = net.connect(port, '127.0.0.1');
          s.once('connect', () => resolve(s));
          setTimeout(() => reject(new Error('timeout')), 5000);
        });
      }
    `;
    expect(reports(code).map(([line, message]) => [line, message.slice(0, 66)])).toEqual([[4, 'This net.Socket is not released when the operation settles at line']]);
  });

  it('a one-shot listener that hands the socket on and rejects otherwise: reported', () => {
    const code = ts`
      import * as net from 'node:net';
      export function greet(port: number, cb: (err: Error | null, s?: net.Socket) => void): void {
        const socket = net.connect(port, '127.0.0.1');
        socket.once('data', (d: Buffer) => {
          if (!d.toString().startsWith('220')) return cb(new Error('bad greeting'));
          cb(null, socket);
        });
        socket.once('error', cb);
      }
    `;
    expect(reports(code).map(([line]) => line)).toEqual([3]);
  });
});
