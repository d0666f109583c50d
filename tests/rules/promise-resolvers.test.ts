/**
 * `Promise.withResolvers()` (ES2024, Node 22): a promise whose `resolve` and `reject` are destructured in the function
 * that makes it, instead of being an executor's parameters. The function then plays the executor's part: a socket it
 * resolves goes to the caller, every other way the promise settles must release it, and a timer that rejects the
 * promise it awaits leaves the socket open — as with `new Promise((resolve, reject) => …)`.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a socket handed to the caller through a withResolvers promise', () => {
  const connect = (onTimeout: string): string => ts`
    import * as net from 'node:net';
    export function connect(port: number): Promise<net.Socket> {
      const { promise, resolve, reject } = Promise.withResolvers<net.Socket>();
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => resolve(socket));
      setTimeout(() => { ${onTimeout} }, 1000);
      return promise;
    }
  `;

  it('reports the timer that rejects without releasing the socket (as an executor\'s would be)', () => {
    const msgs = lintWithPlugin(connect("reject(new Error('timeout'));"));
    expect(msgs.map((m) => [m.line, m.messageId])).toEqual([[4, 'leak']]);
    expect(msgs[0].message).toContain('settles at line 6 (reject())');
  });

  it('is quiet when the timer destroys the socket before it rejects', () => {
    expect(ids(connect("socket.destroy(); reject(new Error('timeout'));"))).toEqual([]);
  });

  it('follows renamed settle functions (`{ resolve: done, reject: fail }`)', () => {
    const code = ts`
      import * as net from 'node:net';
      export function connect(port: number): Promise<net.Socket> {
        const { promise, resolve: done, reject: fail } = Promise.withResolvers<net.Socket>();
        const socket = net.connect(port, '127.0.0.1');
        socket.once('connect', () => done(socket));
        setTimeout(() => fail(new Error('timeout')), 1000);
        return promise;
      }
    `;
    expect(ids(code)).toEqual([[4, 'leak']]);
  });

  it('the executor form of the same function is reported alike', () => {
    const code = ts`
      import * as net from 'node:net';
      export function connect(port: number): Promise<net.Socket> {
        return new Promise((resolve, reject) => {
          const socket = net.connect(port, '127.0.0.1');
          socket.once('connect', () => resolve(socket));
          setTimeout(() => reject(new Error('timeout')), 1000);
        });
      }
    `;
    expect(ids(code)).toEqual([[4, 'leak']]);
  });

  it('a reconnecting client settled by a timer must be ended there too', () => {
    const code = (onTimeout: string): string => ts`
      import mqtt from 'mqtt';
      export function connect(url: string): Promise<mqtt.MqttClient> {
        const { promise, resolve, reject } = Promise.withResolvers<mqtt.MqttClient>();
        const client = mqtt.connect(url);
        client.on('connect', () => resolve(client));
        setTimeout(() => { ${onTimeout} }, 500);
        return promise;
      }
    `;
    expect(ids(code("reject(new Error('timeout'));"))).toEqual([[4, 'leak']]);
    expect(ids(code("client.end(); reject(new Error('timeout'));"))).toEqual([]);
  });
});

describe('a withResolvers promise awaited while the socket connects', () => {
  const awaited = (body: string): string => ts`
    import * as net from 'node:net';
    export async function send(port: number): Promise<void> {
      const socket = net.connect(port, '127.0.0.1');
      const { promise, resolve, reject } = Promise.withResolvers<void>();
      socket.once('connect', () => resolve());
      setTimeout(() => reject(new Error('timeout')), 100);
      ${body}
    }
  `;

  it('reports the timer that rejects the awaited promise with the socket open', () => {
    const msgs = lintWithPlugin(awaited("await promise;\nsocket.end('x');"));
    expect(msgs.map((m) => [m.line, m.messageId])).toEqual([[3, 'leak']]);
    expect(msgs[0].message).toContain('the timer at line 6 rejects the promise awaited at line 7');
  });

  it('is quiet when a finally block releases the socket', () => {
    expect(ids(awaited("try {\n  await promise;\n  socket.write('x');\n} finally {\n  socket.end();\n}"))).toEqual([]);
  });

  it('is quiet when the rejection comes from the error that destroys the socket', () => {
    const code = ts`
      import * as net from 'node:net';
      export async function send(port: number): Promise<void> {
        const socket = net.connect(port, '127.0.0.1');
        const { promise, resolve, reject } = Promise.withResolvers<void>();
        socket.once('connect', () => resolve());
        socket.once('error', reject);
        await promise;
        socket.end('x');
      }
    `;
    expect(ids(code)).toEqual([]);
  });
});
