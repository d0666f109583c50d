/**
 * The AST of generated programs. This is the fuzzer's own representation: the oracle interprets it and the
 * printer turns it into TypeScript source. It is unrelated to ESTree and to the engine under test.
 *
 * Every socket-valued variable is a `const` (a socket `sN` or an alias `aN`); names are unique in a program.
 * `site` numbers identify creation calls and `write` calls, so that the printer can map them to positions.
 */

export type Stmt =
  | { k: 'create'; v: string; site: number }
  | { k: 'use'; v: string; site: number }
  | { k: 'end'; v: string }
  | { k: 'destroy'; v: string }
  | { k: 'alias'; v: string; of: string }
  | { k: 'if'; c: string; then: Stmt[]; else: Stmt[] | null }
  | { k: 'switch'; id: number; d: string; label: string | null; clauses: Clause[] }
  | { k: 'loop'; id: number; kind: LoopKind; label: string | null; iv: string; body: Stmt[] }
  | { k: 'break'; target: number; label: string | null }
  | { k: 'continue'; target: number; label: string | null }
  | { k: 'try'; body: Stmt[]; handler: Stmt[] | null; finalizer: Stmt[] | null }
  | { k: 'return' }
  | { k: 'returnSock'; v: string }
  | { k: 'store'; v: string }
  | { k: 'throw' }
  | { k: 'await' };

export type LoopKind = 'for' | 'while' | 'forof';

/** A switch clause: `case <test>: { body }` or `default: { body }` (test === null). */
export interface Clause {
  test: number | null;
  body: Stmt[];
}

export interface FuzzProgram {
  /** Emitted as a method `m` of class `C` (needed for the `this.s = x` and `return x` hand-offs). */
  method: boolean;
  async: boolean;
  /** Whether some `return x` hands a socket to the caller (decides the declared return type). */
  returnsSocket: boolean;
  /** Boolean condition parameters c0..c(n-1), each tested exactly once in the program text. */
  conds: number;
  /** Number parameters k0..k(n-1), each the discriminant of exactly one switch. */
  discriminants: number;
  body: Stmt[];
}

/** Source position in ESLint's convention: 1-based line, 1-based column. */
export interface Position {
  line: number;
  column: number;
}
