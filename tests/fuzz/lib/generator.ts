/**
 * fast-check arbitraries for random functions over one or two sockets.
 *
 * Generation happens in two steps so that shrinking stays effective:
 *  1. a *raw* tree of statement shapes in which socket references and jump targets are plain numbers;
 *  2. `resolve` turns it into a well-formed `FuzzProgram`: references are bound to an in-scope socket variable
 *     (`n % count`), jumps to an enclosing loop/switch (labels are added when the target is not the innermost
 *     one), statements that cannot be bound are dropped, at most two creation sites are kept, hand-offs are kept
 *     only in class methods and `await` only in async functions.
 *
 * Shapes the rules are deliberately path-insensitive to are avoided: every `if` tests its own fresh parameter
 * and every `switch` has its own discriminant, so no two tests in the program text are correlated.
 * try/finally is generated in full: `break`/`continue` through a `finally`, `return`/`throw`/`break`/`continue`
 * out of a `finally` block, and `try` statements nested in `finally` blocks, at any depth. One restriction is left:
 * a `return x` hand-off is dropped from the try and catch blocks of a try statement whose finally block can jump
 * out (and so cancel the return), because the rules treat `return x` as a hand-off where it is evaluated (see
 * docs/fuzzing.md).
 */
import * as fc from 'fast-check';
import type { Clause, FuzzProgram, LoopKind, Stmt } from './ast';
import { canJumpOut } from './shapes';

export type RawStmt =
  | { k: 'create' }
  | { k: 'use' | 'end' | 'destroy' | 'alias' | 'returnSock' | 'store'; r: number }
  | { k: 'break' | 'continue'; t: number }
  | { k: 'return' | 'throw' | 'await' }
  | { k: 'if'; then: RawStmt[]; else: RawStmt[] | null }
  | { k: 'switch'; clauses: RawClause[] }
  | { k: 'loop'; kind: LoopKind; body: RawStmt[] }
  | { k: 'try'; body: RawStmt[]; handler: RawStmt[] | null; finalizer: RawStmt[] | null };

export interface RawClause {
  isDefault: boolean;
  body: RawStmt[];
  /** Append `break;` (to this switch) at the end of the clause; without it the clause falls through. */
  brk: boolean;
}

export interface RawProgram {
  method: boolean;
  async: boolean;
  body: RawStmt[];
}

export interface GeneratorOptions {
  /** Maximum nesting depth of compound statements (default 3). */
  maxDepth?: number;
  /** Maximum statements per block (default 4). */
  maxBlock?: number;
}

export function rawProgramArbitrary(opts: GeneratorOptions = {}): fc.Arbitrary<RawProgram> {
  const maxDepth = opts.maxDepth ?? 3;
  const maxBlock = opts.maxBlock ?? 4;
  const ref = fc.nat(3);
  const target = fc.nat(2);
  const leaf: fc.Arbitrary<RawStmt> = fc.oneof(
    { weight: 3, arbitrary: fc.constant<RawStmt>({ k: 'create' }) },
    { weight: 5, arbitrary: ref.map((r): RawStmt => ({ k: 'use', r })) },
    { weight: 3, arbitrary: ref.map((r): RawStmt => ({ k: 'end', r })) },
    { weight: 3, arbitrary: ref.map((r): RawStmt => ({ k: 'destroy', r })) },
    { weight: 1, arbitrary: ref.map((r): RawStmt => ({ k: 'alias', r })) },
    { weight: 1, arbitrary: ref.map((r): RawStmt => ({ k: 'returnSock', r })) },
    { weight: 1, arbitrary: ref.map((r): RawStmt => ({ k: 'store', r })) },
    { weight: 2, arbitrary: target.map((t): RawStmt => ({ k: 'break', t })) },
    { weight: 1, arbitrary: target.map((t): RawStmt => ({ k: 'continue', t })) },
    { weight: 2, arbitrary: fc.constantFrom<RawStmt>({ k: 'return' }, { k: 'throw' }, { k: 'await' }) },
  );
  const tree = fc.letrec<{ stmt: RawStmt; block: RawStmt[] }>((tie) => {
    const block = tie('block');
    return {
      stmt: fc.oneof(
        { maxDepth, depthSize: 'small', withCrossShrink: true },
        { weight: 10, arbitrary: leaf },
        {
          weight: 3,
          arbitrary: fc.record({ k: fc.constant('if' as const), then: block, else: fc.option(block, { nil: null }) }),
        },
        {
          weight: 1,
          arbitrary: fc.record({
            k: fc.constant('switch' as const),
            clauses: fc.array(fc.record({ isDefault: fc.boolean(), body: block, brk: fc.boolean() }), {
              minLength: 1,
              maxLength: 3,
            }),
          }),
        },
        {
          weight: 2,
          arbitrary: fc.record({
            k: fc.constant('loop' as const),
            kind: fc.constantFrom<LoopKind>('for', 'while', 'forof'),
            body: block,
          }),
        },
        {
          weight: 2,
          arbitrary: fc.record({
            k: fc.constant('try' as const),
            body: block,
            handler: fc.option(block, { nil: null }),
            finalizer: fc.option(block, { nil: null }),
          }),
        },
      ),
      block: fc.array(tie('stmt'), { maxLength: maxBlock }),
    };
  });
  return fc.record({ method: fc.boolean(), async: fc.boolean(), body: tree.block });
}

/** Programs always start with one creation so that most of them exercise the rules. */
export function programArbitrary(opts: GeneratorOptions = {}): fc.Arbitrary<FuzzProgram> {
  return rawProgramArbitrary(opts).map((raw) => resolve({ ...raw, body: [{ k: 'create' }, ...raw.body] }));
}

interface JumpTarget {
  node: Extract<Stmt, { k: 'loop' } | { k: 'switch' }>;
}

/** Deterministically turns a raw shape tree into a well-formed program (see the file comment). */
export function resolve(raw: RawProgram): FuzzProgram {
  let sites = 0;
  let creations = 0;
  let aliases = 0;
  let conds = 0;
  let discriminants = 0;
  let jumpIds = 0;
  let labels = 0;
  let loopVars = 0;
  let returnsSocket = false;
  const scopes: string[][] = [];
  const targets: JumpTarget[] = [];
  const visible = (): string[] => scopes.flat();
  const pick = (r: number): string | undefined => {
    const vars = visible();
    return vars.length === 0 ? undefined : vars[r % vars.length];
  };
  const labelOf = (t: JumpTarget): string => {
    if (t.node.label === null) t.node.label = `L${labels++}`;
    return t.node.label;
  };

  const block = (stmts: RawStmt[]): Stmt[] => {
    scopes.push([]);
    const out: Stmt[] = [];
    for (const s of stmts) {
      const r = stmt(s);
      if (r) out.push(r);
    }
    scopes.pop();
    return out;
  };

  const stmt = (s: RawStmt): Stmt | undefined => {
    switch (s.k) {
      case 'create': {
        if (creations >= 2) return undefined;
        creations++;
        const site = sites++;
        const v = `s${creations}`;
        scopes[scopes.length - 1]!.push(v);
        return { k: 'create', v, site };
      }
      case 'use': {
        const v = pick(s.r);
        return v === undefined ? undefined : { k: 'use', v, site: sites++ };
      }
      case 'end':
      case 'destroy': {
        const v = pick(s.r);
        return v === undefined ? undefined : { k: s.k, v };
      }
      case 'alias': {
        const of = pick(s.r);
        if (of === undefined) return undefined;
        const v = `a${++aliases}`;
        scopes[scopes.length - 1]!.push(v);
        return { k: 'alias', v, of };
      }
      case 'returnSock':
      case 'store': {
        if (!raw.method) return undefined;
        const v = pick(s.r);
        if (v === undefined) return undefined;
        if (s.k === 'returnSock') returnsSocket = true;
        return { k: s.k, v };
      }
      case 'await':
        return raw.async ? { k: 'await' } : undefined;
      case 'return':
        return { k: 'return' };
      case 'throw':
        return { k: 'throw' };
      case 'break': {
        const reachable = targets;
        if (reachable.length === 0) return undefined;
        const t = reachable[reachable.length - 1 - (s.t % reachable.length)]!;
        const innermost = t === targets[targets.length - 1];
        return { k: 'break', target: t.node.id, label: innermost ? null : labelOf(t) };
      }
      case 'continue': {
        const innermostLoop = targets.filter((t) => t.node.k === 'loop').at(-1);
        const loops = targets.filter((t) => t.node.k === 'loop');
        if (loops.length === 0) return undefined;
        const t = loops[loops.length - 1 - (s.t % loops.length)]!;
        const innermost = t === innermostLoop;
        return { k: 'continue', target: t.node.id, label: innermost ? null : labelOf(t) };
      }
      case 'if':
        return { k: 'if', c: `c${conds++}`, then: block(s.then), else: s.else === null ? null : block(s.else) };
      case 'loop': {
        const node: Extract<Stmt, { k: 'loop' }> = {
          k: 'loop',
          id: jumpIds++,
          kind: s.kind,
          label: null,
          iv: `i${loopVars++}`,
          body: [],
        };
        targets.push({ node });
        node.body = block(s.body);
        targets.pop();
        return node;
      }
      case 'switch': {
        const node: Extract<Stmt, { k: 'switch' }> = {
          k: 'switch',
          id: jumpIds++,
          d: `k${discriminants++}`,
          label: null,
          clauses: [],
        };
        targets.push({ node });
        let hasDefault = false;
        let nextCase = 0;
        node.clauses = s.clauses.map((c): Clause => {
          const isDefault = c.isDefault && !hasDefault;
          if (isDefault) hasDefault = true;
          const body = block(c.brk ? [...c.body, { k: 'break', t: 0 }] : c.body);
          return { test: isDefault ? null : nextCase++, body };
        });
        targets.pop();
        return node;
      }
      case 'try': {
        let body = block(s.body);
        let handler = s.handler === null ? null : block(s.handler);
        const finalizer = s.finalizer === null ? null : block(s.finalizer);
        if (finalizer !== null && canJumpOut(finalizer)) {
          // A finally block that can jump out would cancel a `return x` of the try or catch block (see above).
          body = withoutHandOffReturns(body);
          if (handler !== null) handler = withoutHandOffReturns(handler);
        }
        if (handler === null && finalizer === null) handler = [];
        return { k: 'try', body, handler, finalizer };
      }
    }
  };

  const body = block(raw.body);
  return { method: raw.method, async: raw.async, returnsSocket, conds, discriminants, body };
}

/** The statements with every `return x` hand-off removed (at any depth). */
function withoutHandOffReturns(stmts: Stmt[]): Stmt[] {
  return stmts.flatMap((s): Stmt[] => {
    switch (s.k) {
      case 'returnSock':
        return [];
      case 'if':
        return [{ ...s, then: withoutHandOffReturns(s.then), else: s.else === null ? null : withoutHandOffReturns(s.else) }];
      case 'loop':
        return [{ ...s, body: withoutHandOffReturns(s.body) }];
      case 'switch':
        return [{ ...s, clauses: s.clauses.map((c) => ({ ...c, body: withoutHandOffReturns(c.body) })) }];
      case 'try':
        return [
          {
            ...s,
            body: withoutHandOffReturns(s.body),
            handler: s.handler === null ? null : withoutHandOffReturns(s.handler),
            finalizer: s.finalizer === null ? null : withoutHandOffReturns(s.finalizer),
          },
        ];
      default:
        return [s];
    }
  });
}
