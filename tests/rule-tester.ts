import * as path from 'node:path';
import * as vitest from 'vitest';
import { RuleTester } from '@typescript-eslint/rule-tester';
import { Linter } from 'eslint';
import * as tsParser from '@typescript-eslint/parser';
import plugin from '../src/index';
import { screenStats } from '../src/engine/engine';
import { refreshStrict } from '../src/engine/strict';

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
 * Interpolations are inserted as written (a shape's variable part).
 */
export function ts(strings: TemplateStringsArray, ...values: string[]): string {
  const lines = strings.raw.map((raw, i) => raw + (values[i] ?? '')).join('').split('\n');
  if (lines.length > 0 && lines[0].trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n') + '\n';
}

export interface LintOptions {
  /** Folder of the tsconfig and of `file.ts` (default: tests/fixtures). */
  dir?: string;
  /** Parse with type information (default true). */
  types?: boolean;
  /** Rules of the plugin to turn on, each `'error'` or `['error', options]` (default: both rules). */
  rules?: Record<string, 'error' | ['error', Record<string, unknown>]>;
  settings?: Record<string, unknown>;
  /** File name in `dir` (default `file.ts`; the tsconfig there must include it). */
  file?: string;
}

/** Lints `code` as `file.ts` (or `opts.file`) with the plugin, as a user's flat config would: the messages. */
export function lintWithPlugin(code: string, opts: LintOptions = {}): Linter.LintMessage[] {
  const dir = opts.dir ?? fixturesDir;
  const rules = opts.rules ?? { 'no-leak': 'error', 'no-use-after-close': 'error' };
  return new Linter({ cwd: dir }).verify(
    code,
    [
      {
        files: ['**/*.ts', '**/*.js'],
        languageOptions: {
          parser: tsParser,
          parserOptions: opts.types === false ? {} : { projectService: true, tsconfigRootDir: dir },
        },
        plugins: { 'socket-close': plugin as unknown as NonNullable<Linter.Config['plugins']>[string] },
        settings: opts.settings ?? {},
        rules: Object.fromEntries(Object.entries(rules).map(([name, entry]) => [`socket-close/${name}`, entry])),
      },
    ],
    path.join(dir, opts.file ?? 'file.ts'),
  );
}

/** Each message of {@link lintWithPlugin} (both rules, or only the one named) as `[line, message]`. */
export function lineMessages(code: string, only?: 'no-leak' | 'no-use-after-close'): Array<[number, string]> {
  return lintWithPlugin(code, only ? { rules: { [only]: 'error' } } : {}).map((m) => [m.line, m.message]);
}

/** Lints CommonJS JavaScript as `script.js` of a fixtures project (it must include `*.js`), with both rules. */
export function lintJsWithPlugin(code: string, dir: string): Linter.LintMessage[] {
  return new Linter({ cwd: dir }).verify(
    code,
    [
      {
        files: ['**/*.js'],
        languageOptions: { parser: tsParser, sourceType: 'commonjs', parserOptions: { projectService: true, tsconfigRootDir: dir } },
        plugins: { 'socket-close': plugin as unknown as NonNullable<Linter.Config['plugins']>[string] },
        rules: { 'socket-close/no-leak': 'error', 'socket-close/no-use-after-close': 'error' },
      },
    ],
    path.join(dir, 'script.js'),
  );
}

/**
 * Turns SOCKET_CLOSE_STRICT off for the calling test file (under it a skipped file is analysed anyway, so the skip
 * itself never runs) and back on after it.
 */
export function withoutStrictMode(): void {
  let strict: string | undefined;
  vitest.beforeAll(() => {
    strict = process.env.SOCKET_CLOSE_STRICT;
    delete process.env.SOCKET_CLOSE_STRICT;
    refreshStrict();
  });
  vitest.afterAll(() => {
    if (strict !== undefined) process.env.SOCKET_CLOSE_STRICT = strict;
    refreshStrict();
  });
}

export interface ScreenOutcome {
  /** The pre-screen skipped the file. */
  skipped: boolean;
  /** It skipped it because no resource type reaches the file (the reach index). */
  unreachable: boolean;
  messages: Array<[string | null, string | undefined, number]>;
}

/** Runs one lint and reads the engine's decision for the file from `screenStats` (exactly one decision per lint). */
export function screenedLint(lint: () => Linter.LintMessage[]): ScreenOutcome {
  const before = { ...screenStats };
  const messages = lint();
  const skipped = screenStats.skipped - before.skipped;
  const analysed = screenStats.analysed - before.analysed;
  vitest.expect(skipped + analysed).toBe(1);
  return {
    skipped: skipped === 1,
    unreachable: screenStats.unreachable - before.unreachable === 1,
    messages: messages.map((m) => [m.ruleId, m.messageId, m.line]),
  };
}

/** An expected no-use-after-close `useAfterRelease` report (the rule tester's error object). */
export const afterRelease = (line: number, operation: string, kind: string, state: string, release: string) => ({
  messageId: 'useAfterRelease' as const,
  line,
  data: { operation, kind, state, release },
});
