/**
 * Every disagreement the fuzzer found, as a minimal program (shrunk by fast-check, then reduced by hand) with the
 * oracle's answer pinned. Each case checks (1) that the oracle still gives the pinned answer and (2) that the
 * rules agree with it. The seed that found each case is noted.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index';
import type { FuzzProgram } from './lib/ast';
import { create, destroy, end, fn, iff, loop, ret, switchStmt, thr, tryStmt, use } from './lib/build';
import { check, describe as describeVerdict, diagKey, TypedLinter } from './lib/harness';

const linter = new TypedLinter(plugin, path.join(__dirname, '..', 'fixtures'));

interface Case {
  name: string;
  found: string;
  program: FuzzProgram;
  /** The oracle's diagnostics, as `rule:messageId@line:column`. */
  expected: string[];
}

const LEAK = 'socket-close/no-leak:leak';
const UAR = 'socket-close/no-use-after-close:useAfterRelease';

const cases: Case[] = [
  {
    name: 'code after `return` is unreachable: a creation there is not a leak',
    found: 'seed 99, path 26; seed 424242, path 11',
    program: fn([create('s1', 0), destroy('s1'), ret, iff('c0', [], [create('s2', 1)])], { conds: 1 }),
    expected: [],
  },
  {
    name: 'code after `return` inside `finally` is unreachable',
    found: 'seed 99, path 42',
    program: fn([create('s1', 0), tryStmt([], null, [destroy('s1'), ret, create('s2', 1)])]),
    expected: [],
  },
  {
    name: 'a write reached again through a loop back edge after destroy() is useAfterRelease (not deferredUse)',
    found: 'seed 424242, path 8; seed 99, paths 27 and 49',
    program: fn([create('s1', 0), loop(0, 'for', [use('s1', 1), destroy('s1')])]),
    // line 4: const s1 (leaks when the loop runs zero times); line 6: the write
    expected: [`${LEAK}@4:14`, `${UAR}@6:5`],
  },
  {
    name: 'a socket created afresh in each loop iteration is not the one destroyed in the previous iteration',
    found: 'seeds 13 and 18 (triage runs without try statements)',
    program: fn([loop(0, 'for', [create('s1', 0), use('s1', 1), destroy('s1')])]),
    expected: [],
  },
  {
    name: 'the same, with the creation nested under a switch and an if inside the loop',
    found: 'seed 18 (triage run without try statements)',
    program: fn(
      [loop(0, 'for', [switchStmt(1, 'k0', [{ test: 0, body: [iff('c0', [create('s1', 0), use('s1', 1), end('s1')])] }])])],
      { conds: 1, discriminants: 1 },
    ),
    expected: [],
  },
  {
    name: 'the catch block of a try block that cannot throw is unreachable: no leak inside it',
    found: 'seed 99, paths 9 and 50',
    program: fn([create('s1', 0), tryStmt([], [create('s2', 1)], null), destroy('s1')]),
    expected: [],
  },
  {
    name: 'the catch block of a try block that cannot throw is unreachable: no use after release inside it',
    found: 'seed 99, paths 6 and 45',
    program: fn([create('s1', 0), tryStmt([], [destroy('s1'), use('s1', 1)], null), destroy('s1')]),
    expected: [],
  },
  {
    name: 'a release in an unreachable catch does not make a later write a use after release',
    found: 'seed 424242, path 10; seed 99, path 28',
    program: fn([create('s1', 0), tryStmt([], [destroy('s1')], [use('s1', 1)]), destroy('s1')]),
    expected: [],
  },
  {
    name: 'calls do not throw (implicit exceptions are not modelled): try/finally around a call',
    found: 'seed 6 (triage run), seed 4 (triage run)',
    program: fn([create('s1', 0), loop(0, 'for', [tryStmt([use('s1', 1)], null, [])]), destroy('s1')]),
    expected: [],
  },
  {
    name: 'a catch + finally without a throw does not create an exit that skips the release after it',
    found: 'seed 99, path 39',
    program: fn([create('s1', 0), tryStmt([], [destroy('s1')], []), destroy('s1')]),
    expected: [],
  },
  {
    name: 'control: an explicit throw inside try/finally does leak',
    found: 'hand-written counterpart of the cases above',
    program: fn([create('s1', 0), tryStmt([iff('c0', [thr])], null, []), destroy('s1')], { conds: 1 }),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'control: an explicit throw caught by a catch that releases does not leak',
    found: 'hand-written counterpart of the cases above',
    program: fn([create('s1', 0), tryStmt([iff('c0', [thr]), destroy('s1')], [destroy('s1')], null)], { conds: 1 }),
    expected: [],
  },
];

describe('fuzz regressions', () => {
  it.each(cases)('$name ($found)', ({ program, expected }) => {
    const v = check(linter, program);
    expect(v.expected.map(diagKey), v.code).toEqual(expected);
    expect(v.agree, describeVerdict(v)).toBe(true);
  });
});
