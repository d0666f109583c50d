/**
 * Shapes found in the forty-second session (what the thirty-fifth hand triage left, and the thirty-sixth triage),
 * each reduced to its general mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a channel handed off by a function given to a call takes its connection with it', () => {
  const consumer = (each: string): string => ts`
    import amqplib from 'amqplib';
    declare function createRpcServer(name: string, channel: amqplib.Channel): { listen(): Promise<void> };
    export async function run(url: string): Promise<void> {
      const connection = await amqplib.connect(url);
      const channel = await connection.createChannel();
      ${each}
    }
  `;

  // Only the path on which createChannel() rejects is left (the connection is then open and unowned).
  const details = (code: string): string[] => lintWithPlugin(code).map((m) => `${m.line} ${/not released (.*?):/.exec(m.message)?.[1] ?? m.message}`);

  it('`names.forEach((n) => createRpcServer(n, channel).listen())` hands off both: only the rejection of createChannel() is left', () => {
    expect(details(consumer("['users', 'orders'].forEach((name) => createRpcServer(name, channel).listen());"))).toEqual(['4 when createChannel() at line 5 rejects']);
    expect(details(consumer("['users', 'orders'].forEach((name) => { void createRpcServer(name, channel).listen(); });"))).toEqual(['4 when createChannel() at line 5 rejects']);
  });

  it('a function given to a call that only uses the channel, or closes it, hands off neither: the connection is left open', () => {
    expect(details(consumer("['a', 'b'].forEach((name) => { void channel.assertQueue(name); });\n      setTimeout(() => channel.close(), 10);"))).toEqual([
      '4 on any path (nothing releases it or hands it off)',
    ]);
    expect(details(consumer('setTimeout(() => { void channel.close(); }, 10);'))).toEqual(['4 on any path (nothing releases it or hands it off)']);
  });
});

describe('STARTTLS through an options object whose `socket` is set by a property assignment', () => {
  const conn = (setSocket: string): string => ts`
    import * as net from 'node:net';
    import * as tls from 'node:tls';
    export class ImapConn {
      private sock: net.Socket | undefined;
      constructor(private host: string, private port: number) {}
      connect(): void {
        this.sock = net.connect(this.port, this.host);
        this.sock.on('error', () => undefined);
      }
      upgrade(): void {
        const tlsOptions: tls.ConnectionOptions = {};
        tlsOptions.host = this.host;
        if (this.sock) {
          ${setSocket}
        }
        this.sock = tls.connect(tlsOptions);
        this.sock.on('error', () => undefined);
      }
      end(): void {
        this.sock?.end();
      }
    }
  `;

  it('`tlsOptions.socket = this.sock` wraps the held socket: storing the wrapper back drops nothing (no report)', () => {
    expect(ids(conn('tlsOptions.socket = this.sock;'))).toEqual([]);
  });

  it('another option set there leaves the held socket behind: both stores are reported', () => {
    expect(ids(conn('tlsOptions.servername = this.host;'))).toEqual([
      [7, 'fieldOverwritten'],
      [16, 'fieldOverwritten'],
    ]);
  });
});

describe("ssh2's handshake deadline (`readyTimeout`) gives up no later than the caller's timer", () => {
  const probe = (connect: string, delay = 'timeout', param = 'timeout = 10000'): string => ts`
    import { Client } from 'ssh2';
    export async function testConnection(host: string, ${param}): Promise<string> {
      try {
        const conn = new Client();
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error('timed out')), ${delay});
          conn.on('ready', () => {
            clearTimeout(timer);
            resolve();
          });
          conn.on('error', (err: Error) => {
            clearTimeout(timer);
            reject(err);
          });
          conn.connect(${connect});
        });
        conn.end();
        return 'ok';
      } catch (err) {
        return 'failed';
      }
    }
  `;

  it('the same delay, a shorter constant, or the 20 s default under a longer timer: released by ssh2 (no report)', () => {
    expect(ids(probe("{ host, username: 'admin', readyTimeout: timeout }"))).toEqual([]);
    expect(ids(probe("{ host, username: 'admin', readyTimeout: 5000 }", '8000'))).toEqual([]);
    expect(ids(probe("{ host, username: 'admin' }", '25000'))).toEqual([]);
  });

  it('a longer deadline, a deadline not known, or the default under a shorter timer: the timer gives up first', () => {
    expect(ids(probe("{ host, username: 'admin', readyTimeout: timeout * 2 }"))).toEqual([[4, 'leak']]);
    expect(ids(probe("{ host, username: 'admin', readyTimeout: 30000 }", '8000'))).toEqual([[4, 'leak']]);
    expect(ids(probe("{ host, username: 'admin' }", '5000'))).toEqual([[4, 'leak']]);
    expect(ids(probe("{ host, username: 'admin' }"))).toEqual([[4, 'leak']]);
    expect(ids(probe('config', 'timeout', 'timeout: number, config: { host: string; readyTimeout: number }'))).toEqual([[4, 'leak']]);
  });
});
