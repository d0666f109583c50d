/**
 * Helpers that take a socket over or hand out a new one: a function of the file that destroys the socket it is given
 * tears it down as an inline `destroy()` would (a listener of that socket does not run again), and a helper of
 * another module named like a factory (`mysqlConnect()`) makes what it returns even without a declared return type.
 */
import { describe, expect, it } from 'vitest';
import { ts, lineMessages } from '../rule-tester';

const reports = lineMessages;

describe("a helper that releases the socket it is given, from that socket's own listener", () => {
  it("a dgram socket's 'error' listener handing it to a method that closes it: no report (as inline)", () => {
    const code = ts`
      import * as dgram from 'node:dgram';
      export class Discovery {
        private server: dgram.Socket | null = null;
        start(port: number): void {
          const server = dgram.createSocket('udp4');
          this.server = server;
          server.on('message', (msg) => console.log(msg.length));
          server.on('error', (err) => this.onError(server, err));
          server.bind(port);
        }
        private onError(server: dgram.Socket, err: unknown): void {
          if (this.server === server) this.server = null;
          try {
            server.close();
          } catch {
            // already closed
          }
          console.error(err);
        }
        stop(): void {
          this.server?.close();
          this.server = null;
        }
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  const dataListener = (release: string): string => ts`
    import * as net from 'node:net';
    export function serve(sock: net.Socket): void {
      sock.on('data', () => { sock.write('ack'); finish(sock); });
    }
    function finish(s: net.Socket): void {
      ${release}
    }
  `;

  it("a 'data' listener whose helper destroys the socket: it gets no more data, no report", () => {
    expect(reports(dataListener('s.destroy();'))).toEqual([]);
  });

  it("one whose helper only ends it: more data may come, and the next run writes after end(), reported", () => {
    expect(reports(dataListener('s.end();'))).toEqual([
      [3, "write() on the net.Socket inside a 'data' listener, which can run after it is released (finish() at line 3): check that it is still open, or cancel the callback when it is released."],
    ]);
  });
});

describe('a helper of another module without a declared return type', () => {
  const caller = (helper: string): string => ts`
    import { ${helper} } from './db-helpers.js';
    export async function getPosts(): Promise<unknown> {
      const conn = await ${helper}();
      const [rows] = await conn.query('SELECT 1');
      return rows;
    }
  `;

  it('named like a factory (mysqlConnect): its new pool is the caller\'s, reported when never ended', () => {
    expect(reports(caller('mysqlConnect'))).toEqual([
      [3, 'This mysql2 Pool is not released on any path (nothing releases it or hands it off): call end() first, or hand it to an owner.'],
    ]);
  });

  it('named otherwise: its return type is not inferred (annotate it), no report', () => {
    expect(reports(caller('loadSettings'))).toEqual([]);
  });
});
