/**
 * Proves which ESLint major the suite runs on. `npm test` runs on the installed ESLint (10); `npm run
 * test:eslint9` (vitest.eslint9.config.mts) redirects every `eslint` import to the `eslint-v9` alias and sets
 * SOCKET_CLOSE_EXPECT_ESLINT=9. Each of the three ways the tests reach ESLint is checked: a direct import,
 * typescript-eslint's Linter (used by the `lint()` helpers and the fuzz harness) and the RuleTester (the rule
 * tables).
 */
import { Linter } from 'eslint';
import { TSESLint } from '@typescript-eslint/utils';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { describe, expect, it } from 'vitest';
import './rule-tester'; // hooks the RuleTester into vitest

const expectedMajor = process.env.SOCKET_CLOSE_EXPECT_ESLINT ?? '10';

describe(`the tests run on ESLint ${expectedMajor}`, () => {
  it('import of eslint', () => {
    expect(Linter.version.split('.')[0]).toBe(expectedMajor);
  });

  it("typescript-eslint's Linter", () => {
    expect(TSESLint.Linter.version.split('.')[0]).toBe(expectedMajor);
    expect(new TSESLint.Linter().version.split('.')[0]).toBe(expectedMajor);
  });

  // The RuleTester keeps its Linter to itself; what it hands the rule tells the majors apart: ESLint 10 removed
  // the deprecated context methods (getCwd(), getFilename(), getSourceCode(), ...) that ESLint 9 still has.
  const seen: boolean[] = [];
  const probe: TSESLint.RuleModule<'seen'> = {
    meta: { type: 'problem', messages: { seen: 'seen' }, schema: [] },
    defaultOptions: [],
    create(context) {
      seen.push(typeof (context as { getCwd?: unknown }).getCwd === 'function');
      return {};
    },
  };
  new RuleTester().run('eslint-version probe', probe, { valid: ['const x = 1;'], invalid: [] });
  // Tests of a file run in order: this one runs after the RuleTester's case above.
  it("the RuleTester's Linter", () => {
    expect(seen).toEqual([expectedMajor === '9']);
  });
});
