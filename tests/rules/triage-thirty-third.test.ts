/**
 * Shapes found in the thirty-ninth session (the thirty-third hand triage), each reduced to its general mechanism,
 * with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a TLS upgrade stored back into the field that holds the socket it wraps', () => {
  const client = (upgrade: string, extra = ''): string => ts`
    import * as net from 'node:net';
    import * as tls from 'node:tls';
    export class SmtpClient {
      sock: net.Socket | undefined;
      connect(host: string): void {
        this.sock = net.connect(25, host);
      }
      upgrade(host: string): void {
        ${upgrade}
      }
      ${extra}
      close(): void {
        this.sock?.end();
      }
    }
  `;

  it('this.sock = tls.connect({ socket: this.sock }) is the same connection, not a second store: no report', () => {
    expect(ids(client('this.sock = tls.connect({ socket: this.sock, servername: host });'))).toEqual([]);
  });

  it('through a local read from the field (new tls.TLSSocket(plain)): no report', () => {
    expect(ids(client('const plain = this.sock!; this.sock = new tls.TLSSocket(plain, { isServer: false }); void host;'))).toEqual([]);
  });

  it('a second method that stores a new connection of its own still makes connect() a reconnect', () => {
    expect(ids(client('this.sock = tls.connect({ socket: this.sock, servername: host });', 'reconnect(host: string): void { this.sock = net.connect(25, host); }'))).toEqual([
      [6, 'fieldOverwritten'],
      [11, 'fieldOverwritten'],
    ]);
  });

  it('a TLS connection of its own (no socket option) stored by the upgrade: both stores may replace an open socket', () => {
    expect(ids(client('this.sock = tls.connect({ port: 465, host });'))).toEqual([
      [6, 'fieldOverwritten'],
      [9, 'fieldOverwritten'],
    ]);
  });
});

describe('a serving resource put into a collection held by a field of its class', () => {
  const service = (store: string): string => ts`
    import { Client } from 'pg';
    export class NotificationService {
      private listeners = new Map<string, Client>();
      async subscribe(channel: string, cb: (payload: string) => void): Promise<void> {
        if (this.listeners.has(channel)) return;
        const client = new Client();
        await client.connect();
        client.on('notification', (msg) => cb(msg.payload ?? ''));
        await client.query('LISTEN ' + channel);
        ${store}
      }
      async closeListener(channel: string): Promise<void> {
        const client = this.listeners.get(channel);
        if (client) {
          await client.end();
          this.listeners.delete(channel);
        }
      }
    }
  `;

  it('a LISTEN that rejects before the store leaves a connection nothing can reach: reported', () => {
    expect(ids(service('this.listeners.set(channel, client);'))).toEqual([[6, 'leak']]);
  });

  it('the message names the rejecting call', () => {
    expect(lintWithPlugin(service('this.listeners.set(channel, client);'))[0]?.message).toContain('when query() at line 9 rejects');
  });

  it('kept by nobody (a subscriber for the life of the process): no report', () => {
    expect(ids(service('void 0;'))).toEqual([]);
  });

  it('a server stored by its listening callback: no report', () => {
    expect(ids(ts`
      import * as net from 'node:net';
      export class Hub {
        private servers: net.Server[] = [];
        start(port: number, h: (s: net.Socket) => void): void {
          const server = net.createServer(h);
          server.listen(port, () => {
            this.servers.push(server);
          });
        }
        stop(): void {
          for (const s of this.servers) s.close();
        }
      }
    `)).toEqual([]);
  });
});
