/** Small constructors for writing fuzzer programs by hand (oracle self-tests, regression cases). */
import type { Clause, FuzzProgram, LoopKind, Stmt } from './ast';

export const create = (v: string, site: number): Stmt => ({ k: 'create', v, site });
export const use = (v: string, site: number): Stmt => ({ k: 'use', v, site });
export const end = (v: string): Stmt => ({ k: 'end', v });
export const destroy = (v: string): Stmt => ({ k: 'destroy', v });
export const alias = (v: string, of: string): Stmt => ({ k: 'alias', v, of });
export const iff = (c: string, then: Stmt[], els: Stmt[] | null = null): Stmt => ({ k: 'if', c, then, else: els });
export const loop = (id: number, kind: LoopKind, body: Stmt[], label: string | null = null): Stmt => ({
  k: 'loop',
  id,
  kind,
  label,
  iv: `i${id}`,
  body,
});
export const brk = (target: number, label: string | null = null): Stmt => ({ k: 'break', target, label });
export const cont = (target: number, label: string | null = null): Stmt => ({ k: 'continue', target, label });
export const tryStmt = (body: Stmt[], handler: Stmt[] | null, finalizer: Stmt[] | null): Stmt => ({
  k: 'try',
  body,
  handler,
  finalizer,
});
export const switchStmt = (id: number, d: string, clauses: Clause[]): Stmt => ({
  k: 'switch',
  id,
  d,
  label: null,
  clauses,
});
export const ret: Stmt = { k: 'return' };
export const thr: Stmt = { k: 'throw' };
export const awaitStmt: Stmt = { k: 'await' };
export const returnSock = (v: string): Stmt => ({ k: 'returnSock', v });
export const store = (v: string): Stmt => ({ k: 'store', v });

export function fn(body: Stmt[], opts: Partial<Omit<FuzzProgram, 'body'>> = {}): FuzzProgram {
  return { method: false, async: false, returnsSocket: false, conds: 0, discriminants: 0, ...opts, body };
}
