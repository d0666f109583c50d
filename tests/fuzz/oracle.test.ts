/**
 * Self-tests of the oracle on hand-written programs whose answers are known.
 */
import { describe, expect, it } from 'vitest';
import type { FuzzProgram, Stmt } from './lib/ast';
import { runOracle } from './lib/oracle';

let site = 100;
const create = (v: string, s: number): Stmt => ({ k: 'create', v, site: s });
const use = (v: string, s = site++): Stmt => ({ k: 'use', v, site: s });
const end = (v: string): Stmt => ({ k: 'end', v });
const destroy = (v: string): Stmt => ({ k: 'destroy', v });
const alias = (v: string, of: string): Stmt => ({ k: 'alias', v, of });
const iff = (then: Stmt[], els: Stmt[] | null = null): Stmt => ({ k: 'if', c: 'c', then, else: els });
const loop = (id: number, body: Stmt[]): Stmt => ({ k: 'loop', id, kind: 'while', label: null, iv: 'i', body });
const brk = (target: number): Stmt => ({ k: 'break', target, label: null });
const cont = (target: number): Stmt => ({ k: 'continue', target, label: null });
const tryS = (body: Stmt[], handler: Stmt[] | null, finalizer: Stmt[] | null): Stmt => ({
  k: 'try',
  body,
  handler,
  finalizer,
});
const sw = (id: number, clauses: { test: number | null; body: Stmt[] }[]): Stmt => ({
  k: 'switch',
  id,
  d: 'k0',
  label: null,
  clauses,
});
const RET: Stmt = { k: 'return' };
const THROW: Stmt = { k: 'throw' };
const retSock = (v: string): Stmt => ({ k: 'returnSock', v });
const store = (v: string): Stmt => ({ k: 'store', v });

const prog = (body: Stmt[]): FuzzProgram => ({
  method: true,
  async: false,
  returnsSocket: true,
  conds: 0,
  discriminants: 0,
  body,
});
const verdict = (body: Stmt[]): { leaks: number[]; uar: number[] } => {
  const r = runOracle(prog(body));
  return { leaks: [...r.leaks].sort(), uar: [...r.useAfterRelease].sort() };
};

describe('oracle: leaks', () => {
  it('no release at all leaks; release on every path does not', () => {
    expect(verdict([create('s1', 0), use('s1')]).leaks).toEqual([0]);
    expect(verdict([create('s1', 0), use('s1'), end('s1')]).leaks).toEqual([]);
    expect(verdict([create('s1', 0), iff([end('s1')], [destroy('s1')])]).leaks).toEqual([]);
  });

  it('release on one branch only, or an early return before the release, leaks', () => {
    expect(verdict([create('s1', 0), iff([end('s1')])]).leaks).toEqual([0]);
    expect(verdict([create('s1', 0), iff([RET]), end('s1')]).leaks).toEqual([0]);
    expect(verdict([create('s1', 0), iff([end('s1'), RET]), end('s1')]).leaks).toEqual([]);
  });

  it('a throw exit leaks unless a catch or finally on the way releases', () => {
    expect(verdict([create('s1', 0), iff([THROW]), end('s1')]).leaks).toEqual([0]);
    expect(verdict([create('s1', 0), tryS([iff([THROW])], null, [end('s1')])]).leaks).toEqual([]);
    expect(verdict([create('s1', 0), tryS([iff([THROW]), end('s1')], [destroy('s1')], null)]).leaks).toEqual([]);
    // catch rethrows without releasing
    expect(verdict([create('s1', 0), tryS([iff([THROW]), end('s1')], [THROW], null)]).leaks).toEqual([0]);
    // catch swallows, then release after the try
    expect(verdict([create('s1', 0), tryS([THROW], [], null), end('s1')]).leaks).toEqual([]);
  });

  it('aliases share the socket', () => {
    expect(verdict([create('s1', 0), alias('a1', 's1'), end('a1')]).leaks).toEqual([]);
  });

  it('hand-offs: this.s = x and return x', () => {
    expect(verdict([create('s1', 0), store('s1')]).leaks).toEqual([]);
    expect(verdict([create('s1', 0), retSock('s1')]).leaks).toEqual([]);
    expect(verdict([create('s1', 0), iff([retSock('s1')])]).leaks).toEqual([0]);
    // a finally that throws cancels the return: the socket is not handed off
    expect(verdict([create('s1', 0), tryS([retSock('s1')], null, [iff([THROW])])]).leaks).toEqual([0]);
    // a finally that returns nothing replaces the returned socket
    expect(verdict([create('s1', 0), tryS([retSock('s1')], null, [iff([RET])])]).leaks).toEqual([0]);
    // a finally that completes normally keeps the pending return
    expect(verdict([create('s1', 0), tryS([retSock('s1')], null, [use('s1')])]).leaks).toEqual([]);
  });

  it('a jump or throw that stays inside the finally block keeps the pending return (found by seed 1002)', () => {
    // try { return s1; } finally { switch (k0) { case 0: { break; } } }: the break ends the switch, not the finally
    expect(verdict([create('s1', 0), tryS([retSock('s1')], null, [sw(0, [{ test: 0, body: [brk(0)] }])])]).leaks).toEqual([]);
    // a loop inside the finally, left by break or continue
    expect(verdict([create('s1', 0), tryS([retSock('s1')], null, [loop(0, [iff([brk(0)], [cont(0)])])])]).leaks).toEqual([]);
    // a throw caught inside the finally block
    expect(verdict([create('s1', 0), tryS([retSock('s1')], null, [tryS([THROW], [], null)])]).leaks).toEqual([]);
    // a nested finally on the normal path of the outer one, left by a break to a loop of the outer finally
    const nested = tryS([retSock('s1')], null, [loop(0, [tryS([], null, [brk(0)])])]);
    expect(verdict([create('s1', 0), nested]).leaks).toEqual([]);
    // but a break that leaves the finally block discards the return: s1 is released after the loop instead
    expect(verdict([create('s1', 0), loop(0, [tryS([retSock('s1')], null, [brk(0)])]), end('s1')]).leaks).toEqual([]);
    expect(verdict([create('s1', 0), loop(0, [tryS([retSock('s1')], null, [brk(0)])])]).leaks).toEqual([0]);
  });

  it('a creation re-executed in a loop while the previous socket is open leaks', () => {
    expect(verdict([loop(0, [create('s1', 0), iff([end('s1')])])]).leaks).toEqual([0]);
    expect(verdict([loop(0, [create('s1', 0), end('s1')])]).leaks).toEqual([]);
    // break before the release
    expect(verdict([loop(0, [create('s1', 0), iff([brk(0)]), end('s1')])]).leaks).toEqual([0]);
    // continue before the release, but a finally releases
    expect(verdict([loop(0, [create('s1', 0), tryS([iff([cont(0)])], null, [end('s1')])])]).leaks).toEqual([]);
  });

  it('break out of a finally cancels a pending throw and the release after it may be skipped', () => {
    const body = [loop(0, [create('s1', 0), tryS([THROW], null, [iff([brk(0)])]), end('s1')])];
    // paths: throw → finally breaks → s1 open at loop exit (leak); or finally completes → throw exits (leak)
    expect(verdict(body).leaks).toEqual([0]);
    const ok = [create('s1', 0), loop(0, [tryS([THROW], null, [brk(0)])]), end('s1')];
    expect(verdict(ok).leaks).toEqual([]);
  });

  it('switch fall-through', () => {
    // case 0 releases and falls into case 1 which releases again; no default → no-match path leaks
    expect(verdict([create('s1', 0), sw(0, [{ test: 0, body: [end('s1')] }, { test: 1, body: [end('s1')] }])]).leaks).toEqual([0]);
    // with a default that releases, every path releases (case 0 falls through into default)
    expect(
      verdict([create('s1', 0), sw(0, [{ test: 0, body: [] }, { test: null, body: [end('s1')] }])]).leaks,
    ).toEqual([]);
    // case 0 breaks before the default's release
    expect(
      verdict([create('s1', 0), sw(0, [{ test: 0, body: [brk(0)] }, { test: null, body: [end('s1')] }])]).leaks,
    ).toEqual([0]);
  });
});

describe('oracle: use after release', () => {
  it('write after end or destroy is reported at the write; releases are not uses', () => {
    expect(verdict([create('s1', 0), end('s1'), use('s1', 7)]).uar).toEqual([7]);
    expect(verdict([create('s1', 0), destroy('s1'), use('s1', 7)]).uar).toEqual([7]);
    expect(verdict([create('s1', 0), end('s1'), end('s1'), destroy('s1')]).uar).toEqual([]);
    expect(verdict([create('s1', 0), use('s1', 7), end('s1')]).uar).toEqual([]);
  });

  it('release on some path only, through aliases, and across loop iterations', () => {
    expect(verdict([create('s1', 0), iff([end('s1')]), use('s1', 7), end('s1')]).uar).toEqual([7]);
    expect(verdict([create('s1', 0), alias('a1', 's1'), end('a1'), use('s1', 7)]).uar).toEqual([7]);
    // second iteration writes to the socket released at the end of the first one
    expect(verdict([create('s1', 0), loop(0, [use('s1', 7), iff([end('s1')])]), end('s1')]).uar).toEqual([7]);
    // a fresh socket each iteration: no use after release
    expect(verdict([loop(0, [create('s1', 0), use('s1', 7), end('s1')])]).uar).toEqual([]);
  });

  it('unreachable code reports nothing', () => {
    expect(verdict([create('s1', 0), end('s1'), RET, use('s1', 7)])).toEqual({ leaks: [], uar: [] });
  });
});
