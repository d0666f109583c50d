/**
 * Shapes of socket and client code found in the sixth hand triage of real code (2026-12-03, ninth session: device
 * bridges, database and cache tooling, real-time servers and bots), reduced: the false alarms must stay silent, and
 * their buggy twins (and the misses) must be reported.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin } from '../rule-tester';

/** Like the `ts` tag of the rule tester, with interpolations (the shapes below take their variable part). */
function ts(strings: TemplateStringsArray, ...values: string[]): string {
  const lines = strings.raw.map((raw, i) => raw + (values[i] ?? '')).join('').split('\n');
  if (lines.length > 0 && lines[0].trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n') + '\n';
}

function reports(code: string): Array<[number, string]> {
  return lintWithPlugin(code, { rules: { 'no-leak': 'error', 'no-use-after-close': 'error' } }).map((m) => [m.line, m.message]);
}

describe('a field stored in a try block and cleared in its catch', () => {
  const shape = (between: string): string => ts`
    import Redis from 'ioredis';
    export class Worker {
      private blocking: Redis | null = null;
      constructor(private readonly redis: Redis) {}
      async start(): Promise<void> {
        try {
          this.blocking = this.redis.duplicate();
          ${between}
        } catch (err) {
          console.error('could not create the blocking client', err);
          this.blocking = null;
        }
      }
      async close(): Promise<void> {
        await this.blocking?.quit();
        this.blocking = null;
      }
    }
  `;

  it('adding and removing listeners on the client cannot throw: the catch only runs when duplicate() threw', () => {
    expect(reports(shape("this.blocking.on('error', (e) => console.warn(e.message)); this.blocking.once('ready', () => console.log('ready')); this.blocking.removeAllListeners('end');"))).toEqual([]);
  });

  it('an awaited command can reject with the client stored: the catch drops an open client', () => {
    expect(reports(shape("await this.blocking.ping(); this.blocking.on('error', (e) => console.warn(e.message));"))).toEqual([
      [7, "This ioredis client is not released before 'this.blocking' is cleared at line 11: call quit() or disconnect() first, or hand it to an owner."],
    ]);
  });
});

describe('a release right before process.exit() precedes no later timer run', () => {
  const shape = (onError: string): string => ts`
    import * as dgram from 'node:dgram';
    export class Pinger {
      private server = dgram.createSocket('udp4');
      private nextPing: NodeJS.Timeout | null = null;
      constructor(port: number) {
        this.server.on('error', () => {
          ${onError}
        });
        this.server.on('listening', () => this.ping());
        this.server.bind(port);
      }
      private ping(): void {
        this.server.send('helo', 54321, '127.0.0.1', () => {
          this.nextPing = setTimeout(() => {
            this.nextPing = null;
            this.ping();
          }, 10000);
        });
      }
    }
  `;

  it('close() then process.exit(1) in the error listener: silent', () => {
    expect(reports(shape('this.server.close(); console.error("bye"); process.exit(1);'))).toEqual([]);
  });

  it('without the exit the timer can run after close(): reported', () => {
    expect(reports(shape('this.server.close();'))).toEqual([
      [
        16,
        'send() (through ping()) on the dgram.Socket inside a setTimeout callback, which can run after it is released (close() at line 7): check that it is still open, or cancel the callback when it is released.',
      ],
    ]);
  });

  it('an exit only on one branch after the release does not count', () => {
    expect(reports(shape('this.server.close(); if (port > 0) process.exit(1);')).length).toBe(1);
  });
});

describe("a field that a supertype declares is the owner's way to the socket", () => {
  const shape = (heritage: string, decl: string): string => ts`
    import { Socket } from 'node:net';
    import type { Duplex } from 'node:stream';
    export interface Transport {
      readonly stream: Duplex;
      connect(cb?: () => void): void;
    }
    export abstract class BaseTransport {
      abstract readonly stream: Duplex;
    }
    export class TcpTransport ${heritage} {
      ${decl}
      public constructor(private readonly port: number, private readonly host: string) {
        ${heritage.startsWith('extends') ? 'super();' : ''}
        this.stream = new Socket();
        this.stream.connect(this.port, this.host);
      }
      public connect(cb?: () => void): void {
        this.stream.connect(this.port, this.host, cb);
      }
    }
  `;

  it('implements an interface that declares the field: silent', () => {
    expect(reports(shape('implements Transport', 'public readonly stream: Socket;'))).toEqual([]);
  });

  it('extends a class that declares the field: silent', () => {
    expect(reports(shape('extends BaseTransport', 'public readonly stream: Socket;'))).toEqual([]);
  });

  it('the same class without the supertype: fieldNeverReleased', () => {
    expect(reports(shape('', 'public readonly stream: Socket;'))).toEqual([
      [14, "This net.Socket is stored in 'stream', but nothing in the class releases 'stream': add a method that calls end() or destroy()."],
    ]);
  });

  it('a supertype that declares another member does not count', () => {
    expect(reports(shape('implements Transport', 'public readonly stream!: Socket; public readonly raw: Socket;').replace('this.stream = new Socket();', 'this.raw = new Socket();')).length).toBe(1);
  });
});

describe('a named callback that a timer runs again (a queue drain, a polling loop)', () => {
  const shape = (guard: string, schedule: string, close: string): string => ts`
    import * as net from 'node:net';
    export class RateLimitedClient {
      private client = new net.Socket();
      private queue: string[] = [];
      private timer: NodeJS.Timeout | undefined;
      constructor(port: number) {
        this.client.connect(port, '127.0.0.1');
        this.client.on('error', () => {});
      }
      write(message: string): void {
        this.queue.push(message);
        this.processQueue();
      }
      close(): void {
        ${close}
        this.client.destroy();
      }
      private processQueue(): void {
        const sendNext = () => {
          ${guard}
          const next = this.queue.shift();
          if (next === undefined) return;
          this.client.write(next);
          ${schedule}
        };
        sendNext();
      }
    }
  `;

  it('called directly, then rescheduling itself: its timer runs can write after destroy()', () => {
    expect(reports(shape('', 'setTimeout(sendNext, 50);', ''))).toEqual([
      [
        23,
        'write() on the net.Socket inside a setTimeout callback, which can run after it is released (destroy() at line 16): check that it is still open, or cancel the callback when it is released.',
      ],
    ]);
  });

  it('checking that the socket is still open first: silent', () => {
    expect(reports(shape('if (this.client.destroyed) return;', 'setTimeout(sendNext, 50);', ''))).toEqual([]);
  });

  it('the timer handle is kept and cleared before the release: what is left is the peer closing it', () => {
    expect(reports(shape('', 'this.timer = setTimeout(sendNext, 50);', 'clearTimeout(this.timer);')).map(([l, m]) => [l, /released \((.*?)\):/.exec(m)?.[1]])).toEqual([[23, 'the peer closing it']]);
  });

  it('also handed to something other than a timer: not taken as a timer callback', () => {
    expect(reports(shape('', "setTimeout(sendNext, 50); this.client.once('drain', sendNext);", ''))).toEqual([]);
  });
});
