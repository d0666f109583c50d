/**
 * Shapes found in the ninth hand triage (2026-12-03, twelfth session), reduced: false alarms stay silent, their
 * buggy twins are reported.
 */
import { describe, expect, it } from 'vitest';
import { ts, lineMessages } from '../rule-tester';

const reports = lineMessages;

describe("a server made in a one-time event's listener registered with on()", () => {
  const relay = (register: string): string => ts`
    import * as net from 'node:net';
    export function relay(port: number): net.Socket {
      const up = net.connect(port, '127.0.0.1');
      up.${register}('connect', () => {
        const server = net.createServer((sock) => { sock.pipe(up); });
        server.listen(0, '127.0.0.1');
      });
      return up;
    }
  `;

  it("'connect' of a socket that does not reconnect runs once, as with once(): the server serves, no report", () => {
    expect(reports(relay('on'))).toEqual([]);
    expect(reports(relay('once'))).toEqual([]);
  });

  it("a 'data' listener runs per event: a server per chunk, reported", () => {
    expect(reports(relay('on').replace("'connect'", "'data'")).map(([line]) => line)).toEqual([5]);
  });
});

describe('one of its own methods bound to the client', () => {
  const count = (use: string): string => ts`
    import Redis from 'ioredis';
    async function guess(select: (db: number) => Promise<unknown>, n: number): Promise<number> {
      for (let i = 0; i < n; i++) await select(i);
      return n;
    }
    export function countDatabases(base: Redis, done: (n: number) => void): void {
      const redis = base.duplicate();
      ${use}
    }
  `;

  it('is a way to call it, not a new owner: the duplicate is never released, reported', () => {
    expect(reports(count('void guess(redis.select.bind(redis), 15).then(done);')).map(([line]) => line)).toEqual([7]);
  });

  it('released once done: no report', () => {
    expect(reports(count('void guess(redis.select.bind(redis), 15).then((n) => { redis.disconnect(); done(n); });'))).toEqual([]);
  });
});

describe("a short-lived server in a script's entry function", () => {
  const script = (start: string, ping = "try { const res = await fetch(url); return res.ok; } catch { return false; }"): string => ts`
    import { createServer } from 'node:http';
    import { readFile } from 'node:fs/promises';
    async function ping(url: string): Promise<boolean> {
      ${ping}
    }
    async function main(): Promise<void> {
      const server = createServer((req, res) => res.end('x'));
      await new Promise<void>((r) => server.listen(9877, '127.0.0.1', r));
      console.log(await readFile('/etc/hostname', 'utf8'), await ping('http://127.0.0.1:9877/'));
      server.close();
    }
    ${start}
  `;

  it('a rejection out of main() ends the process (its catch exits, or nothing catches it): no report', () => {
    expect(reports(script('main().catch((err) => { console.error(err); process.exit(1); });'))).toEqual([]);
    expect(reports(script('void main();'))).toEqual([]);
  });

  it('exported instead, so a caller may go on: reported at the await that can reject', () => {
    expect(reports(script('export { main };'))).toEqual([
      [7, 'This net.Server is not released when readFile() at line 9 rejects: call close() first, or hand it to an owner.'],
    ]);
  });

  it('a helper of the file whose whole body is a try whose catch does not throw cannot reject; one that rethrows can', () => {
    const only = (ping: string): Array<[number, string]> =>
      reports(script('export { main };', ping).replace("await readFile('/etc/hostname', 'utf8'), ", ''));
    expect(only("try { const res = await fetch(url); return res.ok; } catch { return false; }")).toEqual([]);
    expect(only("try { const res = await fetch(url); return res.ok; } catch (e) { throw new Error(String(e)); }").map(([line]) => line)).toEqual([7]);
  });
});

describe("an AbortSignal's 'abort' listener", () => {
  const sse = (options: string, body: string): string => ts`
    import Redis from 'ioredis';
    export function sse(signal: AbortSignal, base: Redis, channel: string): void {
      const sub = base.duplicate();
      void sub.subscribe(channel);
      sub.on('message', (_c, m) => console.log(m));
      signal.addEventListener('abort', () => {
        ${body}
      }${options});
    }
  `;

  it('runs once, with or without { once: true }: unsubscribe() before quit() is no use after release', () => {
    expect(reports(sse('', 'void sub.unsubscribe(channel); void sub.quit();'))).toEqual([]);
    expect(reports(sse(', { once: true }', 'void sub.unsubscribe(channel); void sub.quit();'))).toEqual([]);
  });

  it('a use after quit() in that one run: reported', () => {
    expect(reports(sse('', 'void sub.quit(); void sub.unsubscribe(channel);')).map(([line]) => line)).toEqual([7]);
  });
});

describe('a TLS wrapper stored back into the variable it wraps', () => {
  it('over a given stream: borrowed, as with a new variable (no report)', () => {
    const code = ts`
      import * as tls from 'node:tls';
      import type { Duplex } from 'node:stream';
      function drain(s: Duplex): void {
        s.on('data', () => {});
      }
      export function onTunnel(socket: Duplex, secure: boolean, host: string): void {
        if (secure) {
          socket = tls.connect({ socket, servername: host });
        }
        drain(socket);
      }
    `;
    expect(reports(code)).toEqual([]);
  });

  it('over a socket the function made: still its own, reported when never released', () => {
    const code = ts`
      import * as net from 'node:net';
      import * as tls from 'node:tls';
      export function open(port: number, host: string): void {
        let socket: net.Socket = net.connect(port, '127.0.0.1');
        socket = tls.connect({ socket, servername: host });
        socket.write('hello');
      }
    `;
    expect(reports(code)).toEqual([
      [5, 'This tls.TLSSocket is not released on the path that reaches the end of the function: call end() or destroy() first, or hand it to an owner.'],
    ]);
  });
});
