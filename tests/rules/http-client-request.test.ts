/**
 * `http.ClientRequest`: what `http.request()` / `https.request()` return is not sent until `end()` and holds an
 * agent's socket until it completes or is destroyed; `http.get()` ends the request it returns. A 'timeout' event
 * does not abort a request; write() after end() fails.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const lint = (code: string): Array<[string | null, string | undefined, number, string]> =>
  lintWithPlugin(code).map((m) => [m.ruleId, m.messageId, m.line, m.message]);

describe('http.ClientRequest', () => {
  it('a request that is never ended, or ended on one branch only, leaks', () => {
    expect(lint(ts`
      import * as http from 'node:http';
      export function post(data: string): void {
        const req = http.request({ host: '127.0.0.1', method: 'POST' }, (res) => res.resume());
        req.write(data);
      }
      export function maybe(body?: string): void {
        const req = http.request({ host: '127.0.0.1' });
        if (body) req.end(body);
      }
    `)).toEqual([
      ['socket-close/no-leak', 'leak', 3, 'This http.ClientRequest is not released on any path (nothing releases it or hands it off): call end() or destroy() first, or hand it to an owner.'],
      ['socket-close/no-leak', 'leak', 7, 'This http.ClientRequest is not released on the path that reaches the end of the function: call end() or destroy() first, or hand it to an owner.'],
    ]);
  });

  it('ended, piped into, returned, or made by http.get(): no report', () => {
    expect(lint(ts`
      import * as http from 'node:http';
      import * as https from 'node:https';
      import type { Readable } from 'node:stream';
      export function post(data: string): void {
        const req = http.request({ host: '127.0.0.1', method: 'POST' }, (res) => res.resume());
        req.on('error', () => {});
        req.end(data);
      }
      export function upload(src: Readable): void {
        const req = https.request({ host: '127.0.0.1', method: 'PUT' });
        src.pipe(req);
      }
      export function make(): http.ClientRequest {
        return http.request({ host: '127.0.0.1' });
      }
      export function fetchIt(url: string): void {
        http.get(url, (res) => res.resume());
        const again = https.get(url);
        again.on('response', (res) => res.resume());
      }
    `)).toEqual([]);
  });

  it('a timeout listener that only rejects leaves the request open; one that destroys it does not', () => {
    expect(lint(ts`
      import * as https from 'node:https';
      export function load(url: string): Promise<number> {
        return new Promise((resolve, reject) => {
          const req = https.request(url, (res) => resolve(res.statusCode ?? 0));
          req.setTimeout(5000);
          req.on('timeout', () => reject(new Error('timeout')));
          req.on('error', reject);
          req.end();
        });
      }
      export function bounded(url: string): void {
        const req = https.request(url);
        req.setTimeout(1000, () => req.destroy());
        req.end();
      }
    `)).toEqual([
      ['socket-close/no-leak', 'timeoutNotReleased', 6, "This 'timeout' listener neither releases the http.ClientRequest nor hands it off: a 'timeout' event does not close the socket, call destroy() here."],
    ]);
  });

  it('http.get() ends its request, but a timeout still needs a destroy(): its timeout listeners are checked', () => {
    expect(lint(ts`
      import * as http from 'node:http';
      export function ping(url: string): Promise<number> {
        return new Promise((resolve, reject) => {
          const req = http.get(url, { timeout: 2000 }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          });
          req.on('timeout', () => reject(new Error('timeout')));
          req.on('error', reject);
        });
      }
      export function pingSet(url: string): Promise<number> {
        return new Promise((resolve, reject) => {
          const req = http.get(url, (res) => resolve(res.statusCode ?? 0));
          req.setTimeout(2000, () => reject(new Error('timeout')));
          req.on('error', reject);
        });
      }
      export function bounded(url: string): Promise<number> {
        return new Promise((resolve, reject) => {
          const req = http.get(url, (res) => resolve(res.statusCode ?? 0));
          req.setTimeout(2000, () => req.destroy(new Error('timeout')));
          req.on('error', reject);
        });
      }
    `)).toEqual([
      ['socket-close/no-leak', 'timeoutNotReleased', 8, "This 'timeout' listener neither releases the http.ClientRequest nor hands it off: a 'timeout' event does not close the socket, call destroy() here."],
      ['socket-close/no-leak', 'timeoutNotReleased', 15, "This 'timeout' listener neither releases the http.ClientRequest nor hands it off: a 'timeout' event does not close the socket, call destroy() here."],
    ]);
  });

  it('write() after end() is a use after release', () => {
    expect(lint(ts`
      import * as http from 'node:http';
      export function late(): void {
        const req = http.request({ host: '127.0.0.1' });
        req.end('a');
        req.write('b');
      }
    `)).toEqual([['socket-close/no-use-after-close', 'useAfterRelease', 5, "write() on the http.ClientRequest that may already be ended (end() at line 4)."]]);
  });
});
