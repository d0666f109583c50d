/**
 * A timer that releases the socket covers the paths of a one-shot listener only while it is armed: a listener that
 * clears it first must release on its own paths. And a factory that ends its request through a chain of listener
 * registrations (`req.on('error', f).end()`) returns it already released.
 */
import { describe, expect, it } from 'vitest';
import { ts, lineMessages } from '../rule-tester';

const reports = (code: string): Array<[number, string]> => lineMessages(code, 'no-leak');

describe('a one-shot listener that clears the releasing timer', () => {
  const query = (listenerStart: string): string => ts`
    import * as dgram from 'node:dgram';
    export function query(host: string, port: number, cb: (err: unknown, msg?: Buffer) => void): void {
      const socket = dgram.createSocket('udp4');
      const timer = setTimeout(() => {
        socket.close();
        cb(new Error('Host unavailable'));
      }, 1000);
      socket.once('message', (message) => {
        ${listenerStart}
        if (message.length < 11) return cb(new Error('short reply'));
        clearTimeout(timer);
        socket.close();
        cb(null, message.subarray(11));
      });
      socket.send(Buffer.from('SAMPi'), port, host);
    }
  `;

  it('cleared before the early return: that return leaves the socket open, reported', () => {
    expect(reports(query('clearTimeout(timer);'))).toEqual([
      [3, "This dgram.Socket is not released when the 'message' listener at line 8 returns at line 10 without releasing it: call close() first, or hand it to an owner."],
    ]);
  });

  it('still armed at the early return: the timer closes it later, no report', () => {
    expect(reports(query(''))).toEqual([]);
  });
});

describe('a factory that ends its request through a chained registration', () => {
  it('returns it released, as a plain end() statement does: no report at the caller', () => {
    const code = ts`
      import * as http from 'node:http';
      function chainedEnd(path: string): http.ClientRequest {
        const req = http.request({ method: 'CONNECT', host: '127.0.0.1', port: 3128, path });
        req.on('error', () => {}).end();
        return req;
      }
      export function caller(path: string): void {
        const r = chainedEnd(path);
        r.once('close', () => {});
      }
    `;
    expect(reports(code)).toEqual([]);
  });
});
