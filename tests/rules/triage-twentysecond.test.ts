/**
 * Shapes left by the twenty-first hand triage and mended in the twenty-ninth session: each reduced to its general
 * mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a one-shot timer that releases under `if (!settled)`', () => {
  /**
   * A host-key probe (webssh2's shape). With `flagElsewhere`, the 'error' listener (an ssh2 error closes the client)
   * and the host verifier (which ends it) set the flag too.
   */
  const probe = (timerBody: string, flagElsewhere = true): string => ts`
    import { Client } from 'ssh2';
    export function probeHostKey(host: string): Promise<string> {
      return new Promise((resolve, reject) => {
        const client = new Client();
        let resolved = false;
        client.on('error', (err: Error) => {
          ${flagElsewhere ? 'if (resolved) return;\n          resolved = true;' : ''}
          reject(err);
        });
        client.connect({
          host,
          username: 'probe',
          hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
            ${flagElsewhere ? 'if (resolved) return verify(false);\n            resolved = true;' : ''}
            resolve(key.toString('base64'));
            verify(false);
            client.end();
          },
        });
        setTimeout(() => {
          ${timerBody}
        }, 5000);
      });
    }
  `;
  const releasingTimer = `if (!resolved) {
            resolved = true;
            client.end();
            reject(new Error('timeout'));
          }`;

  it('the path where the flag is already set was settled elsewhere: no report', () => {
    expect(ids(probe(releasingTimer))).toEqual([]);
  });

  it('the same with a double negation before the release', () => {
    expect(ids(probe(`if (!!resolved) return;
          resolved = true;
          client.end();
          reject(new Error('timeout'));`))).toEqual([]);
  });

  it('a flag that only the timer itself sets proves nothing: its early path is still reported', () => {
    const code = probe(releasingTimer, false);
    expect(code.match(/resolved = true/g)?.length).toBe(1);
    expect(ids(code)).toEqual([[4, 'leak']]);
  });
});

describe("a reconnect from both the 'error' and the 'close' listener", () => {
  /** A reconnecting WebSocket (Firebot's copy of reconnecting-websocket): `disconnect()` is `onError`'s first step. */
  const reconnecting = (disconnect: string): string => ts`
    import WebSocket from 'ws';
    export class ReconnectingWebSocket {
      private ws?: WebSocket;
      private shouldReconnect = true;
      constructor(private url: string) {
        this.connect();
      }
      close(): void {
        this.shouldReconnect = false;
        this.ws?.close();
      }
      private connect(): void {
        if (!this.shouldReconnect) return;
        this.ws = new WebSocket(this.url);
        this.ws.addEventListener('close', this.onClose);
        this.ws.addEventListener('error', this.onError);
      }
      private disconnect(): void {
        if (!this.ws) return;
        ${disconnect}
        this.ws.close(1000);
      }
      private onError = (): void => {
        this.disconnect();
        this.connect();
      };
      private onClose = (): void => {
        if (this.shouldReconnect) this.connect();
      };
    }
  `;

  it("the error path removes the close listener first (in a method it calls): one store per failure", () => {
    expect(ids(reconnecting(`this.ws.removeEventListener('close', this.onClose);
        this.ws.removeEventListener('error', this.onError);`))).toEqual([]);
  });

  it('removeAllListeners() of that socket does the same', () => {
    expect(ids(reconnecting('this.ws.removeAllListeners();'))).toEqual([]);
  });

  it('removing only the error listener leaves the close listener to store a second socket: reported', () => {
    expect(ids(reconnecting(`this.ws.removeEventListener('error', this.onError);`))).toEqual([[14, 'fieldOverwritten']]);
  });
});
