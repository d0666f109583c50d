/**
 * Timers against one-shot callbacks that complete the operation: a `setTimeout` that gives up (completes the
 * operation — the executor's settle, the callback parameter, a local `done()` — without releasing the socket) while
 * the callbacks that release it wait for data; and a listener that cancels the only releasing timer and completes
 * without releasing. Both leave the socket open after the operation is over.
 */
import { describe, expect, it } from 'vitest';
import { ts, lineMessages } from '../rule-tester';

const reports = (code: string): Array<[number, string]> => lineMessages(code, 'no-leak');

describe('a timer that gives up without releasing', () => {
  it('completes through the callback parameter while the data listener releases: reported', () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        export function probe(port: number, cb: (err: Error | null, d?: Buffer) => void): void {
          const s = net.connect(port, '127.0.0.1');
          const t = setTimeout(() => cb(new Error('timeout')), 1000);
          s.once('data', (d) => { clearTimeout(t); s.end(); cb(null, d); });
          s.once('error', (e) => { clearTimeout(t); cb(e); });
        }
      `),
    ).toEqual([[3, 'This net.Socket is not released when the timer at line 4 gives up (cb() at line 4) without releasing it: call end() or destroy() first, or hand it to an owner.']]);
  });

  it('rejects the promise of the executor that made the socket: reported', () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        export function probe(port: number): Promise<Buffer> {
          return new Promise<Buffer>((resolve, reject) => {
            const s = net.connect(port, '127.0.0.1');
            setTimeout(() => reject(new Error('timeout')), 1000);
            s.once('data', (d) => { s.end(); resolve(d); });
            s.once('error', reject);
          });
        }
      `),
    ).toEqual([[4, 'This net.Socket is not released when the timer at line 5 gives up (reject() at line 5) without releasing it: call end() or destroy() first, or hand it to an owner.']]);
  });

  it('completes through a local done() that calls the callback: reported', () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        export function banner(port: number, callback: (err: Error | null, line?: string) => void): void {
          const s = net.connect(port, '127.0.0.1');
          const done = (err: Error | null, line?: string): void => { clearTimeout(t); callback(err, line); };
          const t = setTimeout(() => done(new Error('timeout')), 1000);
          s.once('data', (d) => { s.destroy(); done(null, d.toString()); });
          s.once('error', (e) => done(e));
        }
      `),
    ).toHaveLength(1);
  });

  it('destroys the socket itself: no report', () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        export function probe(port: number, cb: (err: Error | null, d?: Buffer) => void): void {
          const s = net.connect(port, '127.0.0.1');
          const t = setTimeout(() => { s.destroy(); cb(new Error('timeout')); }, 1000);
          s.once('data', (d) => { clearTimeout(t); s.end(); cb(null, d); });
          s.once('error', (e) => { clearTimeout(t); cb(e); });
        }
      `),
    ).toEqual([]);
  });

  it('only logs (calls nothing the releasing listener completes with): no report', () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        export function watch(port: number, log: (m: string) => void): void {
          const s = net.connect(port, '127.0.0.1');
          setTimeout(() => log('still waiting'), 1000);
          s.once('data', () => { log('got'); s.end(); });
        }
      `),
    ).toEqual([]);
  });

  it("a 'timeout' listener closes a hung socket: no report", () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        export function probe(port: number, cb: (err: Error | null) => void): void {
          const s = net.connect(port, '127.0.0.1');
          s.setTimeout(2000);
          s.on('timeout', () => s.destroy());
          setTimeout(() => cb(new Error('timeout')), 1000);
          s.once('data', () => { s.end(); cb(null); });
        }
      `),
    ).toEqual([]);
  });

  it("races the 'connect' event only (a connect timeout, which the system's own ends): no report", () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        export function isPortOpen(port: number): Promise<boolean> {
          return new Promise((resolve) => {
            const socket = net.createConnection(port, '127.0.0.1');
            const timer = setTimeout(() => resolve(false), 500);
            socket.once('connect', () => { clearTimeout(timer); socket.end(); resolve(true); });
            socket.once('error', () => { clearTimeout(timer); resolve(false); });
          });
        }
      `),
    ).toEqual([]);
  });

  it('the socket is returned to the caller: no report', () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        export function open(port: number, cb: (err: Error | null) => void): net.Socket {
          const s = net.connect(port, '127.0.0.1');
          setTimeout(() => cb(new Error('timeout')), 1000);
          s.once('data', () => { s.end(); cb(null); });
          return s;
        }
      `),
    ).toEqual([]);
  });
});

describe('a listener that cancels the only releasing timer', () => {
  it('ws: the message listener clears the closing timer and resolves: reported', () => {
    expect(
      reports(ts`
        import WebSocket from 'ws';
        export function ask(url: string, code: string): Promise<string> {
          const ws = new WebSocket(url);
          return new Promise<string>((resolve, reject) => {
            const t = setTimeout(() => { ws.close(); reject(new Error('timeout')); }, 5000);
            ws.once('message', (data) => { clearTimeout(t); resolve(String(data)); });
            ws.once('open', () => ws.send(code));
          });
        }
      `),
    ).toEqual([[3, "This WebSocket is not released when the 'message' listener at line 6 cancels the timer at line 5 and leaves it open: call close() or terminate() first, or hand it to an owner."]]);
  });

  it('net: the data listener clears the destroying timer and resolves: reported', () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        export function greet(port: number): Promise<string> {
          return new Promise((resolve, reject) => {
            const s = net.connect(port, '127.0.0.1');
            const t = setTimeout(() => { s.destroy(); reject(new Error('timeout')); }, 1000);
            s.once('data', (d) => { clearTimeout(t); resolve(d.toString()); });
            s.once('error', reject);
          });
        }
      `),
    ).toHaveLength(1);
  });

  it('the timer armed in an async function called in place inside the executor: reported', () => {
    expect(
      reports(ts`
        import WebSocket from 'ws';
        export function deactivate(url: string, id: () => Promise<string>): Promise<void> {
          const ws = new WebSocket(url);
          return new Promise<void>((res, rej) => {
            void (async () => {
              const mid = await id();
              const s = setTimeout(() => { ws.close(); rej(new Error('timeout')); }, 5000);
              ws.on('message', () => { clearTimeout(s); res(); });
              ws.on('open', () => ws.send(mid));
            })();
          });
        }
      `),
    ).toEqual([[3, "This WebSocket is not released when the 'message' listener at line 8 cancels the timer at line 7 and leaves it open: call close() or terminate() first, or hand it to an owner."]]);
  });

  it('the listener closes the socket too: no report', () => {
    expect(
      reports(ts`
        import WebSocket from 'ws';
        export function ask(url: string, code: string): Promise<string> {
          const ws = new WebSocket(url);
          return new Promise<string>((resolve, reject) => {
            const t = setTimeout(() => { ws.close(); reject(new Error('timeout')); }, 5000);
            ws.once('message', (data) => { clearTimeout(t); ws.close(); resolve(String(data)); });
            ws.once('open', () => ws.send(code));
          });
        }
      `),
    ).toEqual([]);
  });

  it('the listener leaves the timer armed: no report', () => {
    expect(
      reports(ts`
        import * as net from 'node:net';
        export function greet(port: number): Promise<string> {
          return new Promise((resolve, reject) => {
            const s = net.connect(port, '127.0.0.1');
            setTimeout(() => { s.destroy(); reject(new Error('timeout')); }, 1000);
            s.once('data', (d) => resolve(d.toString()));
            s.once('error', reject);
          });
        }
      `),
    ).toEqual([]);
  });
});
