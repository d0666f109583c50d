// `npm run test:eslint9`: the rule tables, the fuzz sample and the other engine-level suites on ESLint 9 (the
// plugin's peer range is ^9 || ^10; the devDependency `eslint-v9` is ESLint 9 under another name).
// Every `eslint` import is redirected to it: `resolve.alias` covers the modules vitest transforms (tests, src/),
// tests/setup/eslint9.ts covers the CommonJS packages Node loads itself (the RuleTester, typescript-eslint's
// utils with its Linter). tests/eslint-version.test.ts fails unless all of these paths really reach ESLint 9.
import { defineConfig } from 'vitest/config';
import { baseTest } from './vitest.shared.mjs';

export default defineConfig({
  resolve: {
    alias: [{ find: /^eslint($|\/)/, replacement: 'eslint-v9$1' }],
  },
  test: {
    ...baseTest,
    // ESLint-facing suites only: the generator and the type checks of the snippets do not depend on ESLint. What
    // differs between ESLint 9 and 10 is the plugin's contact with ESLint (rule creation, listeners, the code path
    // events replayed from the cached traversal, the RuleTester, suggestions, settings), which the rule tables, the
    // shape and library tables, robustness and the fuzzing sample exercise in full. The per-mechanism regression
    // files (the hand-triage cases and the narrower shape files, all run on ESLint 10 by `npm test`) add analysis
    // cases, not ESLint paths, and are left out to keep CI within its time budget.
    include: [
      'tests/eslint-version.test.ts',
      'tests/rules/no-leak.test.ts',
      'tests/rules/no-use-after-close.test.ts',
      'tests/rules/no-leak-suggestions.test.ts',
      'tests/rules/shapes-leak.test.ts',
      'tests/rules/shapes-uac.test.ts',
      'tests/rules/libraries.test.ts',
      'tests/rules/kinds-fake.test.ts',
      'tests/rules/callback-creations.test.ts',
      'tests/rules/listener-creations.test.ts',
      'tests/rules/try-finally.test.ts',
      'tests/robustness.test.ts',
      'tests/fuzz/fuzz.test.ts',
      'tests/fuzz/regressions.test.ts',
    ],
    exclude: ['**/node_modules/**'],
    setupFiles: ['tests/setup/eslint9.ts'],
    // A smaller fuzzing sample than test:slow's (the same engine on ESLint 10 runs 600 there): CI's time budget.
    env: { ...baseTest.env, SOCKET_CLOSE_EXPECT_ESLINT: '9', FUZZ_RUNS: '200' },
    testTimeout: 300_000, // as in vitest.slow.config.mts: the fuzzing sample is one long synchronous test
    reporters: ['dot'],
  },
});
