/**
 * Shapes from the seventeenth hand triage: each false alarm or miss reduced to its general mechanism, with the
 * counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a timer handle kept in a property of a record other than `this`, cleared when the socket closes', () => {
  it('a local state object: `state.ping = setInterval(…)`, cleared through the same object', () => {
    expect(
      ids(ts`
        import WebSocket from 'ws';
        interface Conn { ws: WebSocket; ping?: NodeJS.Timeout }
        export function watch(ws: WebSocket): void {
          const state: Conn = { ws };
          state.ping = setInterval(() => ws.ping(), 1000);
          ws.on('close', () => clearInterval(state.ping));
        }
      `),
    ).toEqual([]);
  });

  it('a property of the socket itself (`sock.hb = setInterval(…)`)', () => {
    expect(
      ids(ts`
        import * as net from 'node:net';
        export function beat(sock: net.Socket & { hb?: NodeJS.Timeout }): void {
          sock.hb = setInterval(() => sock.write('x'), 1000);
          sock.on('close', () => clearInterval(sock.hb));
        }
      `),
    ).toEqual([]);
  });

  it('a record of a registry: the close listener finds the handle again by lookup, through helpers', () => {
    expect(
      ids(ts`
        import WebSocket from 'ws';
        interface Session { ws: WebSocket; approvalTimeout?: NodeJS.Timeout }
        const sessions = new Map<string, Session>();
        async function cleanupSession(id: string): Promise<void> {
          const session = sessions.get(id);
          if (!session) return;
          if (session.approvalTimeout) clearTimeout(session.approvalTimeout);
          sessions.delete(id);
        }
        export function startAuth(ws: WebSocket, id: string): void {
          const session: Session = { ws };
          const cleanup = async () => { await cleanupSession(id); };
          const timeout = setTimeout(async () => {
            ws.send(JSON.stringify({ type: 'timeout', id }));
            await cleanup();
          }, 60000);
          session.approvalTimeout = timeout;
          ws.on('close', () => { void cleanup(); });
          sessions.set(id, session);
        }
      `),
    ).toEqual([]);
  });

  it('a handle written into an object literal (`{ sock, timer: setInterval(…) }`) and cleared through a lookup', () => {
    expect(
      ids(ts`
        import * as net from 'node:net';
        const reg = new Map<string, { sock: net.Socket; timer: NodeJS.Timeout }>();
        export function track(sock: net.Socket, id: string): void {
          reg.set(id, { sock, timer: setInterval(() => sock.write('x'), 1000) });
          sock.on('close', () => {
            const e = reg.get(id);
            if (e) clearInterval(e.timer);
            reg.delete(id);
          });
        }
      `),
    ).toEqual([]);
  });

  it('counterpart: the close listener clears another property of the record — still a deferred use', () => {
    expect(
      ids(ts`
        import WebSocket from 'ws';
        interface Conn { ws: WebSocket; ping?: NodeJS.Timeout; retry?: NodeJS.Timeout }
        export function watch(ws: WebSocket): void {
          const state: Conn = { ws };
          state.ping = setInterval(() => ws.ping(), 1000);
          ws.on('close', () => clearTimeout(state.retry));
        }
      `),
    ).toEqual([[5, 'deferredUse']]);
  });

  it('counterpart: the record keeps the handle but only an error listener clears it — still a deferred use', () => {
    expect(
      ids(ts`
        import * as net from 'node:net';
        export function beat(sock: net.Socket & { hb?: NodeJS.Timeout }): void {
          sock.hb = setInterval(() => sock.write('x'), 1000);
          sock.on('error', () => clearInterval(sock.hb));
        }
      `),
    ).toEqual([[3, 'deferredUse']]);
  });
});
