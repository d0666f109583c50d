/**
 * Client libraries as built-in resource kinds (src/kinds/libraries/*), both rules, against the libraries' REAL
 * typings (installed as pinned devDependencies): pg + @types/pg, mysql2 (callback and promise APIs), ioredis,
 * redis (@redis/client), mqtt, ssh2 + @types/ssh2, amqplib, mongodb, undici. The tables are in libraries-cases.ts;
 * user-declared kinds, settings validation, rejection exits and the type check of every snippet are in
 * libraries-more.test.ts (a library whose types did not resolve would make its client `any` and every valid case
 * pass for the wrong reason).
 */
import { describe } from 'vitest';
import { createRuleTester } from '../rule-tester';
import noLeak from '../../src/rules/no-leak';
import noUseAfterClose from '../../src/rules/no-use-after-close';
import { libraries } from './libraries-cases';

for (const [library, table] of Object.entries(libraries)) {
  describe(library, () => {
    createRuleTester().run(`no-leak (${library})`, noLeak, {
      valid: table.leakValid,
      invalid: table.leakInvalid as never,
    });
    createRuleTester().run(`no-use-after-close (${library})`, noUseAfterClose, {
      valid: table.useValid,
      invalid: table.useInvalid as never,
    });
  });
}
