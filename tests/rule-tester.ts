import * as path from 'node:path';
import * as vitest from 'vitest';
import { RuleTester } from '@typescript-eslint/rule-tester';

RuleTester.afterAll = vitest.afterAll;
RuleTester.it = vitest.it;
RuleTester.itOnly = vitest.it.only;
RuleTester.describe = vitest.describe;

export const fixturesDir = path.join(__dirname, 'fixtures');

/** A RuleTester whose cases are parsed with full type information from tests/fixtures/tsconfig.json. */
export function createRuleTester(): RuleTester {
  return new RuleTester({
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: fixturesDir,
      },
    },
  });
}

/**
 * Dedent tag for test snippets: strips the first empty line and the common indentation and keeps backslashes as
 * written, so that line 1 is the first non-empty line and the `line`/`column` of an expected error can be read off.
 */
export function ts(strings: TemplateStringsArray): string {
  const lines = strings.raw.join('').split('\n');
  if (lines.length > 0 && lines[0].trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n') + '\n';
}
