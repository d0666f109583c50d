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
