/**
 * Every disagreement the fuzzer found, as a minimal program (shrunk by fast-check, then reduced by hand) with the
 * oracle's answer pinned. Each case checks (1) that the oracle still gives the pinned answer and (2) that the
 * rules agree with it. The seed that found each case is noted.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index';
import type { FuzzProgram } from './lib/ast';
import { brk, cont, create, destroy, end, fn, iff, loop, ret, returnSock, switchStmt, thr, tryStmt, use } from './lib/build';
import { check, describe as describeVerdict, diagKey, TypedLinter } from './lib/harness';
import { cancellableHandOffs, finallyShapes, type FinallyShape } from './lib/shapes';

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
  // Found after the engine fixes of 752bf29..4051764 (campaigns at 341f3ba); they fail until the engine is fixed.
  {
    name: 'a conditional `return` inside try/finally leaks the socket that is released later in the try block',
    found: 'seed 424242, path 490; seeds 1001-1003 and 2001+ (most frequent kind; reduced by hand)',
    // try { if (c0) { return; } s1.end(); } finally { }
    program: fn([create('s1', 0), tryStmt([iff('c0', [ret]), end('s1')], null, [])], { conds: 1 }),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a conditional `return` inside try/finally leaks the socket that is released after the try statement',
    found: 'seed 424242, path 490',
    // try { if (c0) { return; } } finally { } s1.destroy();
    program: fn([create('s1', 0), tryStmt([iff('c0', [ret])], null, []), destroy('s1')], { conds: 1 }),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a release in the unreachable catch of a try/catch/finally does not cover the `return` in the try block',
    found: 'seed 424242, paths 553, 570 and 591 (reduced by hand)',
    // try { if (c0) { } return; } catch { s1.end(); } finally { }
    program: fn([create('s1', 0), tryStmt([iff('c0', []), ret], [end('s1')], [])], { conds: 1 }),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a `return` through an inner finally does not enter the outer catch: no use after release there',
    found: 'seed 424242, path 421 (reduced by hand)',
    // try { try { s1.destroy(); return; } finally { } } catch { s1.write('x'); }
    program: fn([create('s1', 0), tryStmt([tryStmt([destroy('s1'), ret], null, [])], [use('s1', 1)], null)]),
    expected: [],
  },
  {
    name: 'the same: a `return s1` through an inner finally does not make a creation in the outer catch a leak',
    found: 'seed 1001, path 180 (as shrunk)',
    // try { for (...) { try { return s1; } finally { } } } catch { if (c0) { try { } finally { const s2 = ...; } } }
    program: fn(
      [
        create('s1', 0),
        tryStmt(
          [loop(0, 'for', [tryStmt([returnSock('s1')], null, [])])],
          [iff('c0', [tryStmt([], null, [create('s2', 1)])])],
          null,
        ),
      ],
      { method: true, returnsSocket: true, conds: 1 },
    ),
    // s1 leaks when the loop runs zero times (the function then ends without returning it)
    expected: [`${LEAK}@9:16`],
  },
  {
    name: 'a creation followed by `return` inside try/finally leaks even if unreachable code after it releases',
    found: 'seed 1001, path 105 (reduced by hand)',
    // try { const s1 = net.connect(...); return; s1.destroy(); } finally { }
    program: fn([tryStmt([create('s1', 0), ret, destroy('s1')], null, [])]),
    expected: [`${LEAK}@5:16`],
  },
  {
    name: 'a `break` of a switch inside a finally does not leave the finally: the pending throw still exits',
    found: 'seed 2003, path 843 (reduced by hand; with a loop instead of the switch the rules agree)',
    // try { throw new Error('x'); } finally { switch (k0) { default: { break; } } } s1.end();
    program: fn(
      [create('s1', 0), tryStmt([thr], null, [switchStmt(0, 'k0', [{ test: null, body: [brk(0)] }])]), end('s1')],
      { discriminants: 1 },
    ),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a creation after a loop inside a finally block is analysed (it leaks)',
    found: 'seed 2005, paths 326 and 1034 (reduced by hand; with a catch clause the rules agree)',
    // try { } finally { while (more()) { } const s1 = net.connect(...); }
    program: fn([tryStmt([], null, [loop(0, 'while', []), create('s1', 0)])]),
    expected: [`${LEAK}@8:16`],
  },
  {
    name: 'the same, with the loop in a try/catch inside the finally and a conditional release after it',
    found: 'seed 2007, path 2630 (as shrunk)',
    // try { } finally { try { while (more()) { } } catch { } if (c0) { s1.destroy(); } }
    program: fn([create('s1', 0), tryStmt([], null, [tryStmt([loop(0, 'while', [])], [], null), iff('c0', [destroy('s1')])])], {
      conds: 1,
    }),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a release in a switch inside a finally, in dead code after a throw in a dead catch, is not seen later',
    found: 'seed 3003 (fc.sample stream, program 1 of 10,000 without return; reduced by a greedy delta run)',
    // try { } catch { throw new Error('x'); try { } finally { switch (k0) { default: { s1.end(); } case 0: { } } } }
    // finally { s1.write('x'); }
    program: fn(
      [
        create('s1', 0),
        tryStmt(
          [],
          [thr, tryStmt([], null, [switchStmt(0, 'k0', [{ test: null, body: [end('s1')] }, { test: 0, body: [] }])])],
          [use('s1', 1)],
        ),
      ],
      { discriminants: 1 },
    ),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'nested try/finally: a release in the inner finally on the return path is seen through the outer finally',
    found: 'seed 4002, path 2287; seed 4003, path 1394 (with this.s = s1 instead of end())',
    // try { try { return; } finally { s1.end(); } } finally { }
    program: fn([create('s1', 0), tryStmt([tryStmt([ret], null, [end('s1')])], null, [])]),
    expected: [],
  },
  {
    name: 'a throw in flight does not enter the catch of a try statement nested in the finally block',
    found: 'seed 2008, path 440 (reduced by hand); fixed when entering a catch started to require an explicit throw edge',
    // try { throw new Error('x'); } finally { try { } catch { s1.end(); } s1.write('x'); }
    program: fn([create('s1', 0), tryStmt([thr], null, [tryStmt([], [end('s1')], null), use('s1', 1)])]),
    // the throw leaves the function with s1 open; the catch is dead code, so the write is not after a release
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a throw passes a finally block that releases, then a catch outside: the release runs first',
    found: 'seed 20261201, path 5327 (100,000-program campaign of 2026-12-01)',
    // try { try { if (c0) { throw new Error('x'); } } finally { s1.destroy(); } } catch { }
    program: fn([create('s1', 0), tryStmt([tryStmt([iff('c0', [thr])], null, [destroy('s1')])], [], null)], { conds: 1 }),
    expected: [],
  },
  {
    name: 'a finally block that a `break` runs may throw (its call) into the enclosing catch: a socket made there leaks',
    found: 'seed 20262615, path 1035 (as shrunk)',
    // for (...) { try { try { break; } finally { s1.destroy(); } } catch { const s2 = net.connect(...); } }
    program: fn([create('s1', 0), loop(0, 'for', [tryStmt([tryStmt([brk(0)], null, [destroy('s1')])], [create('s2', 1)], null)])]),
    expected: [`${LEAK}@4:14`, `${LEAK}@13:18`],
  },
];

/**
 * Disagreements found while the engine was taught to route try/finally completions itself (2026-12-01, seeds 777
 * and 778 against intermediate builds), as shrunk by fast-check: a finally block whose first statement is a loop
 * (ESLint starts the copies of such a block with an event-less segment), code in a finally block that ESLint sees
 * as unreachable (entered only by a break), jumps inside it, and code after them.
 */
const routingCases: Case[] = [
  {
    name: 'a finally block that starts with a loop, after a catch that releases on one switch clause: still a leak',
    found: 'seed 778, path 162 (as shrunk)',
    program: fn([create('s1', 0), tryStmt([], [switchStmt(0, 'k0', [{ test: 0, body: [destroy('s1')] }, { test: 1, body: [] }])], [loop(0, 'forof', [])])], {
      discriminants: 1,
    }),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'code after a return in a finally block entered only by a break is unreachable',
    found: 'seed 778, path 207 (as shrunk)',
    program: fn(
      [
        create('s1', 0),
        iff('c0', [], [switchStmt(0, 'k0', [{ test: 0, body: [end('s1')] }, { test: 1, body: [tryStmt([brk(0)], null, [ret, use('s1', 1)])] }])]),
      ],
      { conds: 1, discriminants: 1 },
    ),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a try/catch and an if in a finally block entered only by a break: the write after end() is seen',
    found: 'seed 778, path 284 (as shrunk)',
    program: fn([create('s1', 0), loop(0, 'for', [tryStmt([brk(0)], null, [tryStmt([end('s1')], [], null), iff('c0', [], [use('s1', 1)])])])], {
      conds: 1,
    }),
    expected: [`${LEAK}@4:14`, `${UAR}@15:9`],
  },
  {
    name: 'a creation after a try whose finally block starts with a loop is analysed',
    found: 'seed 778, path 427 (as shrunk)',
    program: fn([create('s1', 0), iff('c0', [tryStmt([use('s1', 1)], null, [loop(0, 'while', [])]), create('s2', 2)])], { conds: 1 }),
    expected: [`${LEAK}@4:14`, `${LEAK}@12:16`],
  },
  {
    name: 'a release in a finally nested in a dead catch does not count after a finally that starts with a loop',
    found: 'seed 778, path 681 (as shrunk)',
    program: fn([create('s1', 0), tryStmt([], [], [loop(0, 'while', [])]), tryStmt([], [iff('c0', [tryStmt([], null, [end('s1')])])], null)], {
      conds: 1,
    }),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a creation in a finally block after a for-of loop there is analysed',
    found: 'seed 778, path 792; seed 777, path 28 (as shrunk)',
    program: fn([create('s1', 0), iff('c0', [], [tryStmt([], [], [loop(0, 'forof', []), create('s2', 1)])])], { conds: 1 }),
    expected: [`${LEAK}@4:14`, `${LEAK}@12:18`],
  },
  {
    name: 'the normal end of a finally block that starts with a loop reaches the end of the function',
    found: 'seed 778, path 803 (as shrunk)',
    program: fn([create('s1', 0), iff('c0', [tryStmt([], [], [loop(0, 'forof', [])])], [iff('c1', [destroy('s1')], [destroy('s1')])])], { conds: 2 }),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a return after a try whose finally block starts with a loop leaves the socket open',
    found: 'seed 778, path 884 (as shrunk)',
    program: fn([create('s1', 0), tryStmt([], [], [loop(0, 'while', [])]), ret, end('s1')]),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a write in a loop that starts a finally block, after destroy()',
    found: 'seed 778, path 886 (as shrunk)',
    program: fn([create('s1', 0), destroy('s1'), tryStmt([], [], [loop(0, 'forof', [use('s1', 1)])])]),
    expected: [`${UAR}@10:7`],
  },
  {
    name: 'a write after a try/finally whose finally block is a loop, after end() in the try block',
    found: 'seed 778, path 914 (as shrunk)',
    program: fn([create('s1', 0), tryStmt([end('s1')], null, [loop(0, 'while', [])]), use('s1', 1)]),
    expected: [`${UAR}@11:3`],
  },
  {
    name: 'a release on one branch after a loop that starts a finally block',
    found: 'seed 777, path 77 (as shrunk)',
    program: fn([create('s1', 0), tryStmt([], [], [loop(0, 'while', []), iff('c0', [], [destroy('s1')])])], { conds: 1 }),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a creation on a nested branch after a try/catch/finally whose finally block is a loop',
    found: 'seed 777, path 90 (as shrunk)',
    program: fn([create('s1', 0), tryStmt([], [], [loop(0, 'while', [])]), iff('c0', [], [iff('c1', [create('s2', 1)])])], { conds: 2 }),
    expected: [`${LEAK}@4:14`, `${LEAK}@14:18`],
  },
  {
    name: 'a return in a finally block: the code after the try statement is unreachable',
    found: 'seed 777, path 105 (as shrunk)',
    program: fn([create('s1', 0), tryStmt([loop(0, 'for', [ret])], null, [ret]), create('s2', 1)]),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a write after end() at the end of a finally block that starts with a loop',
    found: 'seed 777, path 109 (as shrunk)',
    program: fn([create('s1', 0), tryStmt([], [], [loop(0, 'while', []), end('s1')]), use('s1', 1)]),
    expected: [`${UAR}@12:3`],
  },
  {
    name: 'a loop in a catch block is not an entry of the catch: a throw enters it only at its start',
    found: 'seed 20261211, path 1490; seed 20261213, path 983 (as shrunk)',
    program: fn([create('s1', 0), tryStmt([thr], [end('s1'), loop(0, 'while', [])], null)]),
    expected: [],
  },
  {
    name: 'code after a break in a try block with an empty finally is unreachable',
    found: 'seed 20261211, path 1795 (as shrunk)',
    program: fn([create('s1', 0), loop(0, 'for', [loop(1, 'for', [tryStmt([brk(1), create('s2', 1)], null, [])])])]),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'code after a try/finally whose try block always breaks is unreachable',
    found: 'seed 20261211, path 2383; seed 20261213, path 357 (as shrunk)',
    program: fn([create('s1', 0), loop(0, 'for', [iff('c0', [tryStmt([brk(0)], null, []), create('s2', 1)])])], { conds: 1 }),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a break of a switch inside a finally block entered only by a break lands after that switch',
    found: 'seed 20261213, path 538 (as shrunk)',
    program: fn(
      [
        create('s1', 0),
        switchStmt(0, 'k0', [{ test: 0, body: [tryStmt([brk(0)], null, [switchStmt(1, 'k1', [{ test: null, body: [end('s1'), brk(1)] }])])] }]),
        use('s1', 1),
      ],
      { discriminants: 2 },
    ),
    expected: [`${LEAK}@4:14`, `${UAR}@19:3`],
  },
  {
    name: 'a throw in a finally block entered only by a continue leaves the function with the socket open',
    found: 'seed 20261221, path 640 (reduced by hand; ESLint records no thrown segment for it)',
    program: fn([create('s1', 0), loop(0, 'while', [tryStmt([cont(0)], null, [thr])]), destroy('s1')]),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a throw in a finally block entered only by a break (with a dead catch) leaves the socket open',
    found: 'seed 20261221, path 4428 (reduced by hand)',
    program: fn([create('s1', 0), loop(0, 'for', [tryStmt([brk(0)], [use('s1', 1)], [thr])]), end('s1')]),
    expected: [`${LEAK}@4:14`],
  },
];

/** Sockets created in a catch block: the block runs when a call in its try block throws (see the oracle). */
const catchCases: Case[] = [
  {
    name: 'a socket created in the catch block of a try block that makes a call leaks there',
    found: 'written with the change (the rules and the oracle both enter such a catch block)',
    program: fn([create('s1', 0), tryStmt([destroy('s1')], [create('s2', 1)], null)]),
    expected: [`${LEAK}@8:16`],
  },
  {
    name: 'a call the try block never reaches (after a return) does not make its catch block run',
    found: 'seed 777, path 2187 (as shrunk)',
    program: fn([create('s1', 0), tryStmt([ret, use('s1', 1)], [create('s2', 2)], null)]),
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'code after a finally block that always returns, in such a catch block, stays unreachable',
    found: 'seed 777, path 3634 (as shrunk; ESLint links a piece of the dead switch to the end of the try block)',
    program: fn(
      [create('s1', 0), tryStmt([destroy('s1')], [tryStmt([], null, [ret]), switchStmt(0, 'k0', [{ test: 0, body: [] }]), create('s2', 1)], null)],
      { discriminants: 1 },
    ),
    expected: [],
  },
];

describe('fuzz regressions: sockets created in catch blocks', () => {
  it.each(catchCases)('$name ($found)', ({ program, expected }) => {
    const v = check(linter, program);
    expect(v.expected.map(diagKey), v.code).toEqual(expected);
    expect(v.agree, describeVerdict(v)).toBe(true);
  });
});

describe('fuzz regressions found while routing try/finally completions', () => {
  it.each(routingCases)('$name ($found)', ({ program, expected }) => {
    const v = check(linter, program);
    expect(v.expected.map(diagKey), v.code).toEqual(expected);
    expect(v.agree, describeVerdict(v)).toBe(true);
  });
});

describe('fuzz regressions', () => {
  it.each(cases)('$name ($found)', ({ program, expected }) => {
    const v = check(linter, program);
    expect(v.expected.map(diagKey), v.code).toEqual(expected);
    expect(v.agree, describeVerdict(v)).toBe(true);
  });
});

interface ShapeCase extends Case {
  /** The try/finally shape the program has (checked with lib/shapes.ts). */
  shape: FinallyShape;
}

/**
 * try/finally shapes ESLint's code-path graph does not model, which the engine routes itself (src/engine/flow.ts):
 * a `break`/`continue` through a `finally` ('through'), a jump out of a `finally` block ('out'), a `try` nested in a
 * `finally` block ('nested'). These were pinned here as known limitations (false alarms and missed reports) until
 * the engine modelled them; each now agrees with the oracle.
 */
const finallyCases: ShapeCase[] = [
  {
    name: '`break` out of try/finally: the finally that releases is not seen (false leak)',
    found: 'seed 424242 before the generator restriction (18 of 1,000 programs had this shape)',
    // for (...) { const s1 = net.connect(...); try { if (c0) { break; } } finally { s1.destroy(); } }
    program: fn([loop(0, 'for', [create('s1', 0), tryStmt([iff('c0', [brk(0)])], null, [destroy('s1')])])], { conds: 1 }),
    shape: 'through',
    expected: [],
  },
  {
    name: '`continue` out of try/finally: the finally that releases is not seen (false leak)',
    found: 'hand-written counterpart',
    program: fn([loop(0, 'for', [create('s1', 0), tryStmt([iff('c0', [cont(0)])], null, [destroy('s1')])])], { conds: 1 }),
    shape: 'through',
    expected: [],
  },
  {
    name: '`break` out of try/finally: a write after the loop is not seen as a use after the release in finally',
    found: 'hand-written counterpart',
    // const s1 = ...; for (...) { try { break; } finally { s1.destroy(); } } s1.write('x');
    program: fn([create('s1', 0), loop(0, 'for', [tryStmt([brk(0)], null, [destroy('s1')])]), use('s1', 1)]),
    shape: 'through',
    expected: [`${LEAK}@4:14`, `${UAR}@12:3`],
  },
  {
    name: 'a `continue` in a finally cancels the pending `return`: the loop goes on and the write after it follows end()',
    found: 'seed 1001, path 686 (reduced by hand)',
    // const s1 = ...; for (...) { try { return; } finally { s1.end(); continue; } } s1.write('x');
    program: fn([create('s1', 0), loop(0, 'for', [tryStmt([ret], null, [end('s1'), cont(0)])]), use('s1', 1)]),
    // line 4: the loop may run zero times; line 13: the write after the loop
    shape: 'out',
    expected: [`${LEAK}@4:14`, `${UAR}@13:3`],
  },
  {
    name: 'code after a `continue` in a finally block is unreachable: its release does not count',
    found: 'seed 2007, path 237 (reduced by hand)',
    // for (...) { try { return; } finally { const s1 = net.connect(...); continue; s1.destroy(); } }
    program: fn([loop(0, 'for', [tryStmt([ret], null, [create('s1', 0), cont(0), destroy('s1')])])]),
    shape: 'out',
    expected: [`${LEAK}@8:18`],
  },
  {
    name: 'a try/catch/finally nested in a finally on the return path: a release on one branch only leaks',
    found: 'seed 2007, path 319 (as shrunk; without the catch clause the rules agree)',
    // try { return; } finally { try { } catch { } finally { if (c0) { } else { s1.end(); } } }
    program: fn([create('s1', 0), tryStmt([ret], null, [tryStmt([], [], [iff('c0', [], [end('s1')])])])], { conds: 1 }),
    shape: 'nested',
    expected: [`${LEAK}@4:14`],
  },
  {
    name: 'a try/finally nested in a finally on the return path: the code after it is analysed',
    found: 'seed 4004, paths 1351 and 1354 (reduced by hand)',
    // try { return; } finally { try { s1.destroy(); } finally { } s1.write('x'); }
    program: fn([create('s1', 0), tryStmt([ret], null, [tryStmt([destroy('s1')], null, []), use('s1', 1)])]),
    shape: 'nested',
    expected: [`${UAR}@12:5`],
  },
];

describe('try/finally shapes the code-path graph does not model: the rules agree with the oracle', () => {
  it.each(finallyCases)('[$shape] $name', ({ program, shape, expected }) => {
    expect(finallyShapes(program.body).map((h) => h.shape)).toContain(shape);
    const v = check(linter, program);
    expect(v.expected.map(diagKey), v.code).toEqual(expected);
    expect(v.agree, describeVerdict(v)).toBe(true);
  });
});

interface Limitation extends Case {
  /** What the rules report today (differs from `expected`). */
  current: string[];
}

/**
 * Known limitation — NOT agreement: a `return x` that hands a socket to the caller, cancelled by a finally block
 * that jumps out (`break`, `continue`, `return`, `throw`; ESLint's `no-unsafe-finally` forbids these jumps). The
 * rules count the hand-off where `return x` is evaluated, so they miss the leak. The generator does not produce
 * this shape (lib/shapes.ts `cancellableHandOffs`); see docs/fuzzing.md.
 */
const limitations: Limitation[] = [
  {
    name: 'a `break` out of a finally cancels the pending `return s1`: s1 is not handed off and leaks',
    found: 'seed 2007, path 1744 (reduced by hand; there a break of a switch)',
    // for (...) { try { const s1 = net.connect(...); return s1; } finally { break; } }
    program: fn([loop(0, 'for', [tryStmt([create('s1', 0), returnSock('s1')], null, [brk(0)])])], {
      method: true,
      returnsSocket: true,
    }),
        expected: [`${LEAK}@11:20`],
    current: [],
  },
  {
    name: 'a `return` in a finally replaces the pending `return s1`: s1 is not handed off and leaks',
    found: 'seed 1002, path 177 (reduced by hand)',
    // try { return s1; } finally { return; }
    program: fn([create('s1', 0), tryStmt([returnSock('s1')], null, [ret])], { method: true, returnsSocket: true }),
        expected: [`${LEAK}@9:16`],
    current: [],
  },
];

describe('known limitation: a cancelled `return x` hand-off (rules differ from the oracle)', () => {
  it.each(limitations)('$name', ({ program, expected, current }) => {
    expect(cancellableHandOffs(program.body).length).toBeGreaterThan(0);
    const v = check(linter, program);
    expect(v.expected.map(diagKey), v.code).toEqual(expected);
    expect(v.actual.map(diagKey), describeVerdict(v)).toEqual(current);
    expect(v.fatal).toEqual([]);
    expect(v.agree).toBe(false);
  });
});
