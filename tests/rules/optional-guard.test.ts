/** Optional chaining is a guard: `this.sock?.send()` on a field that the releasing method sets to null. */
import { createRuleTester } from '../rule-tester';
import rule from '../../src/rules/no-use-after-close';

const feed = (nulled: boolean): string =>
  [
    "import WebSocket from 'ws';",
    'export class Feed {',
    '  private sock: WebSocket | null = null;',
    '  open(url: string): void {',
    '    this.sock = new WebSocket(url);',
    '    setInterval(() => {',
    "      this.sock?.send('ping');",
    '    }, 1000);',
    '  }',
    '  close(): void {',
    '    this.sock?.close();',
    nulled ? '    this.sock = null;' : '    void 0;',
    '  }',
    '}',
    '',
  ].join('\n');

createRuleTester().run('no-use-after-close: optional chaining as a guard', rule, {
  valid: [feed(true)],
  invalid: [
    {
      // Without the null assignment, `?.` proves nothing: the closed socket is still there.
      code: feed(false),
      errors: [
        {
          messageId: 'deferredUse',
          line: 7,
          column: 7,
          data: { operation: 'send()', kind: 'WebSocket', callback: 'a setInterval callback', release: 'close() at line 11' },
        },
      ],
    },
  ],
});
