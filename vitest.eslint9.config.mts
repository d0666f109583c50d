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
    // ESLint-facing suites only: the generator and the type checks of the snippets do not depend on ESLint. The
    // hand-triage case files (tests/rules/triage-*.test.ts: accuracy cases of real code, run on ESLint 10 by
    // `npm test`) are left out to keep CI within its time budget; the rule tables, the shape suites, robustness and
    // the fuzzing sample exercise the same engine paths on ESLint 9.
    include: [
      'tests/eslint-version.test.ts',
      'tests/rules/**/*.test.ts',
      'tests/robustness.test.ts',
      'tests/fuzz/fuzz.test.ts',
      'tests/fuzz/regressions.test.ts',
    ],
    exclude: ['tests/rules/triage-*.test.ts', '**/node_modules/**'],
    setupFiles: ['tests/setup/eslint9.ts'],
    // A smaller fuzzing sample than test:slow's (the same engine on ESLint 10 runs 600 there): CI's time budget.
    env: { ...baseTest.env, SOCKET_CLOSE_EXPECT_ESLINT: '9', FUZZ_RUNS: '200' },
    testTimeout: 300_000, // as in vitest.slow.config.mts: the fuzzing sample is one long synchronous test
    reporters: ['dot'],
  },
});
