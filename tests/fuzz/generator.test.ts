/**
 * The generator produces programs that type-check and covers every construct it promises.
 */
import * as path from 'node:path';
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import plugin from '../../src/index';
import type { FuzzProgram, Stmt } from './lib/ast';
import { brk, cont, create, destroy, iff, loop, ret, returnSock, switchStmt, thr, tryStmt } from './lib/build';
import { programArbitrary, resolve } from './lib/generator';
import { TypedLinter } from './lib/harness';
import { runOracle } from './lib/oracle';
import { printProgram } from './lib/printer';
import { jumpsOutOfGuardedTryCatch, unmodelledFinallyShapes } from './lib/shapes';

const fixturesDir = path.join(__dirname, '..', 'fixtures');

function* walk(stmts: Stmt[]): Generator<Stmt> {
  for (const s of stmts) {
    yield s;
    if (s.k === 'if') {
      yield* walk(s.then);
      if (s.else) yield* walk(s.else);
    } else if (s.k === 'loop') {
      yield* walk(s.body);
    } else if (s.k === 'switch') {
      for (const c of s.clauses) yield* walk(c.body);
    } else if (s.k === 'try') {
      yield* walk(s.body);
      if (s.handler) yield* walk(s.handler);
      if (s.finalizer) yield* walk(s.finalizer);
    }
  }
}

describe('fuzz generator', () => {
  const sample: FuzzProgram[] = fc.sample(programArbitrary(), { seed: 20240601, numRuns: 300 });

  it('generates programs that type-check', () => {
    const linter = new TypedLinter(plugin, fixturesDir);
    for (const p of sample) {
      const { code } = printProgram(p);
      const errors = linter.typeErrors(code);
      expect(errors, code).toEqual([]);
    }
  });

  it('a deliberately broken program is rejected by the same type check', () => {
    const linter = new TypedLinter(plugin, fixturesDir);
    const { code } = printProgram(sample[0]!);
    expect(linter.typeErrors(code.replace("net.connect(1, '127.0.0.1')", 'net.connect(true)')).length).toBeGreaterThan(0);
  });

  it('covers every construct', () => {
    const seen = new Set<string>();
    for (const p of sample) {
      if (p.method) seen.add('method');
      if (p.async) seen.add('async');
      for (const s of walk(p.body)) {
        seen.add(s.k);
        if (s.k === 'loop') seen.add(`loop:${s.kind}`);
        if ((s.k === 'break' || s.k === 'continue') && s.label !== null) seen.add(`labelled-${s.k}`);
        if (s.k === 'switch' && s.clauses.some((c) => c.body.at(-1)?.k !== 'break')) seen.add('fall-through');
        if (s.k === 'try' && s.handler && s.finalizer) seen.add('try-catch-finally');
      }
    }
    for (const k of [
      'method', 'async', 'create', 'use', 'end', 'destroy', 'alias', 'if', 'switch', 'fall-through', 'loop:for',
      'loop:while', 'loop:forof', 'break', 'continue', 'labelled-break', 'labelled-continue', 'try',
      'try-catch-finally', 'return', 'returnSock', 'store', 'throw', 'await',
    ]) {
      expect(seen, k).toContain(k);
    }
  });

  it('never tests a condition twice and keeps at most two creation sites', () => {
    for (const p of sample) {
      const conds = [...walk(p.body)].flatMap((s) => (s.k === 'if' ? [s.c] : s.k === 'switch' ? [s.d] : []));
      expect(new Set(conds).size).toBe(conds.length);
      expect([...walk(p.body)].filter((s) => s.k === 'create').length).toBeLessThanOrEqual(2);
    }
  });

  it('no break/continue in a try or catch block jumps out through its finally (shape avoided by design)', () => {
    const escaping = jumpsOutOfGuardedTryCatch;
    // the checker flags the shape (break out of try/finally, continue out of catch+finally) ...
    const bad = [
      loop(0, 'for', [tryStmt([brk(0)], null, [])]),
      loop(0, 'for', [tryStmt([], [cont(0)], [])]),
      loop(0, 'for', [tryStmt([loop(1, 'while', [brk(0, 'L0')])], null, [])], 'L0'),
    ];
    for (const b of bad) expect(escaping([b], null)).toHaveLength(1);
    // ... but not a jump out of a finally block, nor out of a try without finally, nor to a loop inside the try
    expect(escaping([loop(0, 'for', [tryStmt([brk(0)], [cont(0)], null), tryStmt([], [], [brk(0)])])], null)).toEqual([]);
    expect(escaping([tryStmt([loop(0, 'for', [brk(0)])], null, [])], null)).toEqual([]);
    for (const p of sample) expect(escaping(p.body, null), printProgram(p).code).toEqual([]);
    // and the generator still produces jumps inside guarded blocks (to loops/switches inside them)
    const inner = sample.filter((p) =>
      [...walk(p.body)].some(
        (s) => s.k === 'try' && s.finalizer !== null && [...walk([...s.body, ...(s.handler ?? [])])].some((j) => j.k === 'break' || j.k === 'continue'),
      ),
    );
    expect(inner.length).toBeGreaterThan(0);
  });

  it('no jump out of a finally block (A) and no try statement inside a finally block (B) (shapes avoided by design)', () => {
    const shapes = (stmts: Stmt[]): string[] => unmodelledFinallyShapes(stmts).map((h) => `${h.shape}:${h.stmt.k}`);
    // the checker flags hand-made instances of (A) ...
    expect(shapes([tryStmt([], null, [ret])])).toEqual(['A:return']);
    expect(shapes([tryStmt([], null, [iff('c0', [returnSock('s1')])])])).toEqual(['A:returnSock']);
    expect(shapes([loop(0, 'for', [tryStmt([ret], null, [cont(0)])])])).toEqual(['A:continue']);
    expect(shapes([loop(0, 'for', [tryStmt([], [], [brk(0)])])])).toEqual(['A:break']);
    expect(shapes([loop(0, 'for', [tryStmt([], null, [loop(1, 'while', [brk(0, 'L0')])])], 'L0')])).toEqual(['A:break']);
    // ... and of (B), at any depth inside the finally block
    expect(shapes([tryStmt([ret], null, [tryStmt([], [], null)])])).toEqual(['B:try']);
    expect(shapes([tryStmt([], null, [loop(0, 'while', [iff('c0', [tryStmt([destroy('s1')], null, [])])])])])).toEqual(['B:try']);
    // a throw out of a finally block is (A) too: it cancels a pending return (no-unsafe-finally forbids it)
    expect(shapes([tryStmt([ret], null, [thr])])).toEqual(['A:throw']);
    // ... but not jumps to loops/switches inside the finally, nor jumps/tries in try or catch blocks
    expect(
      shapes([
        tryStmt([tryStmt([ret], [ret], [])], [tryStmt([], [], [])], [
          loop(0, 'for', [brk(0), cont(0)]),
          switchStmt(1, 'k0', [{ test: null, body: [brk(1)] }]),
        ]),
      ]),
    ).toEqual([]);
    // the generator's output never has either shape
    for (const p of sample) expect(shapes(p.body), printProgram(p).code).toEqual([]);
    // resolve drops them from a raw tree that asks for them
    const raw = resolve({
      method: true,
      async: false,
      body: [
        { k: 'create' },
        {
          k: 'loop',
          kind: 'for',
          body: [
            {
              k: 'try',
              body: [{ k: 'return' }],
              handler: null,
              finalizer: [
                { k: 'return' },
                { k: 'returnSock', r: 0 },
                { k: 'break', t: 0 },
                { k: 'continue', t: 0 },
                { k: 'try', body: [{ k: 'end', r: 0 }], handler: [], finalizer: null },
                { k: 'destroy', r: 0 },
              ],
            },
          ],
        },
      ],
    });
    expect(raw.body).toEqual([
      create('s1', 0),
      { ...loop(0, 'for', [tryStmt([ret], null, [destroy('s1')])]), iv: 'i0' },
    ]);
    expect(raw.returnsSocket).toBe(false);
    // and finally blocks with statements and jumps inside them are still generated
    const finallyStmts = sample.flatMap((p) =>
      [...walk(p.body)].flatMap((s) => (s.k === 'try' && s.finalizer ? [...walk(s.finalizer)] : [])),
    );
    for (const k of ['create', 'use', 'end', 'destroy', 'break', 'loop', 'switch']) {
      expect(finallyStmts.map((s) => s.k), k).toContain(k);
    }
  });

  it('the oracle finds both kinds of bugs and clean programs in the sample', () => {
    const results = sample.map(runOracle);
    expect(results.filter((r) => r.leaks.size > 0).length).toBeGreaterThan(30);
    expect(results.filter((r) => r.useAfterRelease.size > 0).length).toBeGreaterThan(30);
    expect(results.filter((r) => r.leaks.size + r.useAfterRelease.size === 0).length).toBeGreaterThan(30);
  });

  it('resolve binds references to sockets in scope and drops what cannot be bound', () => {
    const p = resolve({
      method: false,
      async: false,
      body: [
        { k: 'use', r: 0 },
        { k: 'if', then: [{ k: 'create' }], else: null },
        { k: 'use', r: 1 },
        { k: 'store', r: 0 },
        { k: 'await' },
        { k: 'break', t: 0 },
      ],
    });
    expect(p.body).toEqual([{ k: 'if', c: 'c0', then: [{ k: 'create', v: 's1', site: 0 }], else: null }]);
  });
});
