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
import { canJumpOut, cancellableHandOffs, finallyShapes } from './lib/shapes';

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

  it('produces every try/finally shape: break/continue through a finally, jumps out of a finally, try nested in a finally', () => {
    const shapes = (stmts: Stmt[]): string[] => finallyShapes(stmts).map((h) => `${h.shape}:${h.stmt.k}`);
    // the detectors flag hand-made instances ...
    expect(shapes([loop(0, 'for', [tryStmt([brk(0)], null, [])])])).toEqual(['through:break']);
    expect(shapes([loop(0, 'for', [tryStmt([], [cont(0)], [])])])).toEqual(['through:continue']);
    expect(shapes([loop(0, 'for', [tryStmt([loop(1, 'while', [brk(0, 'L0')])], null, [])], 'L0')])).toEqual(['through:break']);
    expect(shapes([tryStmt([], null, [ret])])).toEqual(['out:return']);
    expect(shapes([tryStmt([], null, [iff('c0', [returnSock('s1')])])])).toEqual(['out:returnSock']);
    expect(shapes([tryStmt([ret], null, [thr])])).toEqual(['out:throw']);
    expect(shapes([loop(0, 'for', [tryStmt([ret], null, [cont(0)])])])).toEqual(['out:continue']);
    expect(shapes([tryStmt([ret], null, [tryStmt([], [], null)])])).toEqual(['nested:try']);
    // ... but not jumps to loops/switches inside the block they are in, nor a try without finally
    expect(
      shapes([
        loop(0, 'for', [tryStmt([brk(0)], [cont(0)], null)]),
        tryStmt([loop(1, 'for', [brk(1)])], null, [loop(2, 'for', [brk(2), cont(2)]), switchStmt(3, 'k0', [{ test: null, body: [brk(3)] }])]),
      ]),
    ).toEqual([]);
    // the sample has every shape, with every kind of jump
    const seen = new Set(sample.flatMap((p) => shapes(p.body)));
    for (const k of [
      'through:break', 'through:continue', 'out:return', 'out:returnSock', 'out:throw', 'out:break', 'out:continue',
      'nested:try',
    ]) {
      expect(seen, k).toContain(k);
    }
    // a try nested in a finally nested in a finally (any depth)
    const deep = sample.some((p) =>
      [...walk(p.body)].some(
        (s) => s.k === 'try' && s.finalizer !== null && [...walk(s.finalizer)].some((t) => t.k === 'try' && t.finalizer !== null && t.finalizer.length > 0),
      ),
    );
    expect(deep).toBe(true);
  });

  it('the one restriction: no `return x` hand-off that a finally block can cancel', () => {
    expect(canJumpOut([loop(0, 'for', [brk(0)])])).toBe(false);
    expect(canJumpOut([iff('c0', [thr])])).toBe(true);
    expect(cancellableHandOffs([loop(0, 'for', [tryStmt([returnSock('s1')], null, [brk(0)])])])).toHaveLength(1);
    expect(cancellableHandOffs([tryStmt([returnSock('s1')], null, [destroy('s1')])])).toEqual([]);
    for (const p of sample) expect(cancellableHandOffs(p.body), printProgram(p).code).toEqual([]);
    // resolve drops the hand-off (only it) from a raw tree that asks for it
    const raw = resolve({
      method: true,
      async: false,
      body: [
        { k: 'create' },
        {
          k: 'loop',
          kind: 'for',
          body: [{ k: 'try', body: [{ k: 'returnSock', r: 0 }, { k: 'return' }], handler: null, finalizer: [{ k: 'break', t: 0 }] }],
        },
      ],
    });
    expect(raw.body).toEqual([create('s1', 0), { ...loop(0, 'for', [tryStmt([ret], null, [brk(0)])]), iv: 'i0' }]);
    // while a `return x` through a finally that completes normally is kept
    const sampleReturns = sample.filter((p) =>
      [...walk(p.body)].some((s) => s.k === 'try' && s.finalizer !== null && [...walk(s.body)].some((t) => t.k === 'returnSock')),
    );
    expect(sampleReturns.length).toBeGreaterThan(0);
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
