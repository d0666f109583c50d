import { createRuleTester } from './rule-tester';
import rule from '../src/rules/no-leak';

createRuleTester().run('no-leak (smoke)', rule, {
  valid: ['const x = 1;'],
  invalid: [
    {
      code: "import * as net from 'node:net';\nfunction f() { const s = net.connect(1); }",
      errors: [{ messageId: 'leak', line: 2, column: 26 }],
    },
  ],
});
