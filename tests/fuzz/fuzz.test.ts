/**
 * Differential fuzzing inside `npm run test:slow` (and `npm run test:eslint9`): a fixed-seed sample of generated
 * programs, each linted with both rules (with type information) and compared with the oracle. Long campaigns: `npm run fuzz -- --runs N [--seed S]`.
 *
 * Environment overrides (for local exploration): FUZZ_RUNS, FUZZ_SEED.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TSESLint } from '@typescript-eslint/utils';
import plugin from '../../src/index';
import { runCampaign } from './lib/campaign';
import { check, TypedLinter } from './lib/harness';
import type { FuzzProgram } from './lib/ast';

const fixturesDir = path.join(__dirname, '..', 'fixtures');
// 600 programs take about 12 s of CPU (about 20 ms each). Long campaigns belong to `npm run fuzz`.
const RUNS = Number(process.env.FUZZ_RUNS ?? 600);
const SEED = Number(process.env.FUZZ_SEED ?? 424242);

describe('harness self-test (with stand-in rules, independent of the engine)', () => {
  // A stand-in `no-leak` that reports every creation call and a stand-in `no-use-after-close` that reports
  // every write: on a program whose every creation leaks and every write follows a release they must agree.
  const reportAll = (messageId: string, method: string): TSESLint.RuleModule<string> => ({
    meta: { type: 'problem', messages: { [messageId]: 'x' }, schema: [] },
    defaultOptions: [],
    create: (context) => ({
      CallExpression(node) {
        if (node.callee.type === 'MemberExpression' && node.callee.property.type === 'Identifier') {
          if (node.callee.property.name === method) context.report({ node, messageId });
        }
      },
    }),
  });
  const standIn = {
    rules: { 'no-leak': reportAll('leak', 'connect'), 'no-use-after-close': reportAll('useAfterRelease', 'write') },
  };
  const program = (body: FuzzProgram['body']): FuzzProgram => ({
    method: false,
    async: true,
    returnsSocket: false,
    conds: 1,
    discriminants: 0,
    body,
  });
  const linter = new TypedLinter(standIn, fixturesDir);

  it('agrees when positions and messageIds match the oracle', () => {
    const v = check(
      linter,
      program([
        { k: 'create', v: 's1', site: 0 },
        { k: 'if', c: 'c0', then: [{ k: 'end', v: 's1' }, { k: 'await' }], else: null },
        { k: 'create', v: 's2', site: 1 },
        { k: 'destroy', v: 's2' },
        { k: 'use', v: 's2', site: 2 },
      ]),
    );
    expect(v.fatal).toEqual([]);
    expect(v.expected.map((d) => `${d.messageId}@${d.line}:${d.column}`)).toEqual([
      'leak@4:14',
      'useAfterRelease@11:3',
    ]);
    // s2 is destroyed, so the oracle expects no leak at line 9 where the stand-in reports one
    expect(v.actual.map((d) => `${d.messageId}@${d.line}:${d.column}`)).toEqual([
      'leak@4:14',
      'leak@9:14',
      'useAfterRelease@11:3',
    ]);
    expect(v.agree).toBe(false);
  });

  it('agrees exactly when the stand-in happens to be right', () => {
    const v = check(
      linter,
      program([
        { k: 'create', v: 's1', site: 0 },
        { k: 'if', c: 'c0', then: [{ k: 'end', v: 's1' }], else: null },
        { k: 'use', v: 's1', site: 1 },
        { k: 'create', v: 's2', site: 2 },
      ]),
    );
    expect(v.agree).toBe(true);
  });
});

describe('differential fuzzing: rules vs oracle', () => {
  it(`${RUNS} generated programs (seed ${SEED}) agree with the oracle`, () => {
    // Only the first disagreement is shrunk (shrinking replays many programs); `npm run fuzz` shrinks more.
    const result = runCampaign({ plugin, fixturesDir, runs: RUNS, seed: SEED, shrink: 1 });
    const reports = result.findings.map((f) => f.report).join('\n\n');
    if (result.disagreements > 0) {
      console.log(`${result.disagreements}/${result.programs} disagreements (seed ${SEED})\n\n${reports}`);
    }
    expect(result.programs).toBe(RUNS);
    expect(result.disagreements, reports).toBe(0);
  });
});
