/**
 * A call of a local function counts as the uses its own code makes of a socket declared outside it (log4js's TCP
 * appender: the `'error'` listener calls `emptyBuffer()`, which writes the buffered events into the socket that
 * error has just destroyed). Only unguarded uses of a variable the function neither assigns nor reopens.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a local function that uses the socket, called after its release', () => {
  const appender = (flush: string): string => ts`
    import * as net from 'node:net';
    export function appender(port: number, host: string) {
      const buffer: string[] = [];
      let socket: net.Socket;
      function emptyBuffer() {
        ${flush}
      }
      function createSocket() {
        socket = net.createConnection(port, host);
        socket.on('connect', () => emptyBuffer());
        socket.on('error', () => {
          emptyBuffer();
        });
        socket.on('close', createSocket);
      }
      createSocket();
      return { log: (evt: string) => buffer.push(evt), shutdown: () => socket.end() };
    }
  `;

  it("reports the call in the listener of the error that destroyed it, naming that listener and the helper", () => {
    const msgs = lintWithPlugin(appender("for (let evt = buffer.shift(); evt; evt = buffer.shift()) socket.write(evt, 'utf8');"));
    expect(msgs.map((m) => [m.line, m.messageId])).toEqual([[12, 'useAfterRelease']]);
    expect(msgs[0].message).toContain('write() (through emptyBuffer())');
    expect(msgs[0].message).toContain("(its 'error' event at line 11)");
  });

  it('is quiet when the helper tests that the socket is still open', () => {
    expect(ids(appender("while (!socket.destroyed && buffer.length > 0) socket.write(buffer.shift() ?? '', 'utf8');"))).toEqual([]);
    expect(ids(appender("if (socket.destroyed) return; for (const evt of buffer.splice(0)) socket.write(evt, 'utf8');"))).toEqual([]);
  });

  it('is quiet when the helper only uses the socket in a callback of its own (not at the call)', () => {
    expect(ids(appender("setImmediate(() => { for (const evt of buffer.splice(0)) socket.write(evt, 'utf8'); });"))).toEqual([]);
  });

  it('is quiet when the helper opens a new socket first', () => {
    expect(ids(appender("socket.destroy(); socket = net.createConnection(port, host); socket.write(buffer.join(''));"))).toEqual([]);
  });
});

describe('through local functions calling one another', () => {
  /** log4js's real shape: the 'error' listener calls emptyBuffer(), which calls write(), which writes. */
  const appender = (write: string): string => ts`
    import * as net from 'node:net';
    export function appender(port: number) {
      const buffer: string[] = [];
      let socket: net.Socket;
      function write(evt: string) {
        ${write}
      }
      function emptyBuffer() {
        for (let evt = buffer.shift(); evt; evt = buffer.shift()) write(evt);
      }
      function createSocket() {
        socket = net.createConnection(port, '127.0.0.1');
        socket.on('error', () => {
          emptyBuffer();
        });
        socket.on('close', createSocket);
      }
      createSocket();
      return { log: (evt: string) => buffer.push(evt), shutdown: () => socket.end() };
    }
  `;

  it('reports the call two functions away from the write', () => {
    const msgs = lintWithPlugin(appender("socket.write(evt, 'utf8');"));
    expect(msgs.map((m) => [m.line, m.messageId])).toEqual([[14, 'useAfterRelease']]);
    expect(msgs[0].message).toContain('write() (through emptyBuffer())');
  });

  it('is quiet when the inner function tests the socket', () => {
    expect(ids(appender("if (!socket.destroyed) socket.write(evt, 'utf8');"))).toEqual([]);
  });
});

describe('a helper called after the release in the same function', () => {
  it('reports a write made through the helper after end()', () => {
    const code = ts`
      import * as net from 'node:net';
      export function send(port: number, lines: string[]): void {
        const socket = net.connect(port, '127.0.0.1');
        const flush = () => {
          for (const l of lines) socket.write(l);
        };
        socket.on('connect', () => {
          socket.end();
          flush();
        });
      }
    `;
    const msgs = lintWithPlugin(code);
    expect(msgs.map((m) => [m.line, m.messageId])).toEqual([[9, 'useAfterRelease']]);
    expect(msgs[0].message).toContain('write() (through flush())');
  });

  it('is quiet when the helper runs before the release', () => {
    const code = ts`
      import * as net from 'node:net';
      export function send(port: number, lines: string[]): void {
        const socket = net.connect(port, '127.0.0.1');
        const flush = () => {
          for (const l of lines) socket.write(l);
        };
        socket.on('connect', () => {
          flush();
          socket.end();
        });
      }
    `;
    expect(ids(code)).toEqual([]);
  });

  it("reports a helper that sends on a WebSocket from that socket's own 'close' listener", () => {
    const code = ts`
      import WebSocket from 'ws';
      export function watch(url: string): WebSocket {
        const ws = new WebSocket(url);
        const bye = () => ws.send('bye');
        ws.on('close', () => {
          bye();
        });
        return ws;
      }
    `;
    const msgs = lintWithPlugin(code);
    expect(msgs.map((m) => [m.line, m.messageId])).toEqual([[6, 'useAfterRelease']]);
    expect(msgs[0].message).toContain('send() (through bye())');
  });
});
