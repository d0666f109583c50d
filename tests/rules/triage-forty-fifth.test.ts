/**
 * Shapes found in the forty-fifth session (what earlier triages left, and the thirty-ninth triage), each reduced
 * to its general mechanism, with the counterpart that must stay as it was.
 */
import { describe, expect, it } from 'vitest';
import { lintWithPlugin, ts } from '../rule-tester';

/** Line and message id of each message. */
const ids = (code: string): Array<[number, string | undefined]> => lintWithPlugin(code).map((m) => [m.line, m.messageId]);

describe('a method handed to a timer unbound runs with `this` set to the timer: it uses none of the instance\'s sockets', () => {
  const service = (handed: string, extra = ''): string => ts`
    import { Client } from 'pg';
    export class PgService {
      client: Client;
      constructor(url: string) {
        this.client = new Client(url);
        ${extra}
      }
      async retry(): Promise<void> {
        try {
          await this.client.connect();
        } catch (err) {
          console.error('connect failed', err);
          setTimeout(${handed}, 2000);
        }
      }
      close(): void {
        void this.client.end();
      }
    }
  `;

  it('setTimeout(this.retry, ms): no use after close()', () => {
    expect(ids(service('this.retry'))).toEqual([]);
  });

  it('bound (`.bind(this)`, an arrow, or re-assigned bound in the constructor): the retry can follow close()', () => {
    expect(ids(service('this.retry.bind(this)'))).toEqual([[10, 'deferredUse']]);
    expect(ids(service('() => this.retry()'))).toEqual([[13, 'deferredUse']]); // reported at the call the arrow makes
    expect(ids(service('this.retry', 'this.retry = this.retry.bind(this);'))).toEqual([[10, 'deferredUse']]);
  });
});
