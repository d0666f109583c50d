/**
 * Shapes found by the twenty-eighth hand triage and the earlier triages' leftovers (thirty-fourth session), each
 * reduced to its general mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

const tunnels = (closeEach: string, order: 'servers first' | 'client first'): string => {
  const servers = `for (const server of this.tunnelServers) ${closeEach};`;
  const body = order === 'servers first' ? `${servers}\n    this.client.end();` : `this.client.end();\n    ${servers}`;
  return ts`
    import { createServer, Server } from 'node:net';
    import { Client } from 'ssh2';
    export class Remote {
      private client = new Client();
      private readonly tunnelServers: Server[] = [];
      close(): void {
        ${body}
      }
      tunnel(port: number): void {
        const server = createServer((sock) => {
          this.client.forwardOut('127.0.0.1', port, '127.0.0.1', port, (err, stream) => {
            if (err) return void sock.destroy();
            sock.pipe(stream).pipe(sock);
          });
        });
        this.tunnelServers.push(server);
        server.listen(port, '127.0.0.1');
      }
    }
  `;
};

describe("a server kept in a field collection, every element closed before the release", () => {
  it("`for (const s of this.servers) s.close()` before the client's end(): the servers' handlers cannot run — no report", () => {
    expect(ids(tunnels('server.close()', 'servers first'))).toEqual([]);
    const forEach = tunnels('server.close()', 'servers first').replace(
      'for (const server of this.tunnelServers) server.close();',
      'this.tunnelServers.forEach((s) => s.close());',
    );
    expect(forEach).toContain('forEach');
    expect(ids(forEach)).toEqual([]);
  });

  it('the servers closed after the release, or not closed at all: still reported', () => {
    expect(ids(tunnels('server.close()', 'client first'))).toEqual([[12, 'deferredUse']]);
    expect(ids(tunnels('server.ref()', 'servers first'))).toEqual([[12, 'deferredUse']]);
  });
});
