/**
 * Shapes found in the thirty-eighth session (the thirty-second hand triage), each reduced to its general mechanism,
 * with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a chained assignment stores the resource in each of its targets', () => {
  it('this.socket = s = dgram.createSocket(), closed by a method of the class: no report', () => {
    expect(ids(ts`
      import * as dgram from 'node:dgram';
      export class Dht {
        socket4: dgram.Socket;
        constructor(port: number) {
          let s4: dgram.Socket;
          this.socket4 = s4 = dgram.createSocket('udp4');
          s4.bind(port);
        }
        close(): void {
          this.socket4.close();
        }
      }
    `)).toEqual([]);
  });

  it('the same field that nothing releases: reported as a field never released', () => {
    expect(ids(ts`
      import * as dgram from 'node:dgram';
      export class Dht {
        socket4: dgram.Socket;
        constructor(port: number) {
          let s4: dgram.Socket;
          this.socket4 = s4 = dgram.createSocket('udp4');
          s4.bind(port);
        }
        stop(): void {
          this.socket4.removeAllListeners('message');
        }
      }
    `)).toEqual([[6, 'fieldNeverReleased']]);
  });

  it('a = b = net.connect(), ended through a: no report', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export function send(port: number): void {
        let a: net.Socket;
        let b: net.Socket;
        a = b = net.connect(port, '127.0.0.1');
        b.on('error', () => {});
        a.end('x');
      }
    `)).toEqual([]);
  });

  it('a = b = net.connect(), released by neither: reported', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export function send(port: number): void {
        let a: net.Socket;
        let b: net.Socket;
        a = b = net.connect(port, '127.0.0.1');
        b.on('error', () => {});
        a.write('x');
      }
    `)).toEqual([[5, 'leak']]);
  });

  it('this.sock = s = net.connect() and const c = this.ctl = net.connect(), released by stop(): no report', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export class Link {
        sock: net.Socket | undefined;
        ctl: net.Socket | undefined;
        open(port: number): void {
          let s: net.Socket;
          this.sock = s = net.connect(port, '127.0.0.1');
          s.on('close', () => { this.sock = undefined; });
          s.write('hello');
          const c = this.ctl = net.connect(port + 1, '127.0.0.1');
          c.on('close', () => { this.ctl = undefined; });
        }
        stop(): void {
          this.sock?.destroy();
          this.ctl?.destroy();
        }
      }
    `)).toEqual([]);
  });
});
