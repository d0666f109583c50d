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
 * and every `switch` has its own discriminant, so no two tests in the program text are correlated. Likewise no
 * `break`/`continue` inside the `try` or `catch` block of a try statement with a `finally` targets a loop/switch
 * outside that statement: ESLint's code-path analysis sends only `return` and `throw` through the `finally`, so on
 * such a jump the rules do not see what the finally block does (see README.md, "shapes deliberately avoided").
 * Two more shapes ESLint's code-path graph does not model, and which the rules therefore do not handle (by design):
 *  (A) a jump OUT of a `finally` block — a `return` (or `return x`) or `throw` anywhere in it, or a `break`/`continue` whose
 *      target is outside it (ESLint's `no-unsafe-finally` forbids these; its code paths drop the jump target of
 *      the copy of the finally block that leaves for a pending return/throw);
 *  (B) a `try` statement anywhere inside a `finally` block (while a return or throw is in flight, the mode of the
 *      outer finally leaks into the nested try/catch).
 * `finallyDepth` and the same `floors` mechanism keep both out.
 */
import * as fc from 'fast-check';
import type { Clause, FuzzProgram, LoopKind, Stmt } from './ast';

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
  /**
   * For each enclosing `try` block or `catch` block of a try statement that has a `finally`: the number of jump
   * targets outside it. A `break`/`continue` may only target the loops/switches above the innermost such floor,
   * because ESLint's code-path analysis does not route a jump out of a `try`/`catch` through its `finally` (only
   * `return` and `throw` go through it), so the rules cannot see the finally's effects on that path (by design).
   */
  const floors: number[] = [];
  /** Number of `finally` blocks being resolved around the current statement (shapes (A) and (B) above). */
  let finallyDepth = 0;
  const floor = (): number => floors[floors.length - 1] ?? 0;

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
        if (s.k === 'returnSock' && finallyDepth > 0) return undefined; // (A)
        const v = pick(s.r);
        if (v === undefined) return undefined;
        if (s.k === 'returnSock') returnsSocket = true;
        return { k: s.k, v };
      }
      case 'await':
        return raw.async ? { k: 'await' } : undefined;
      case 'return':
        return finallyDepth > 0 ? undefined : { k: 'return' }; // (A)
      case 'throw':
        return finallyDepth > 0 ? undefined : { k: 'throw' }; // (A): a throw out of a finally cancels a pending return
      case 'break': {
        const reachable = targets.slice(floor());
        if (reachable.length === 0) return undefined;
        const t = reachable[reachable.length - 1 - (s.t % reachable.length)]!;
        const innermost = t === targets[targets.length - 1];
        return { k: 'break', target: t.node.id, label: innermost ? null : labelOf(t) };
      }
      case 'continue': {
        const innermostLoop = targets.filter((t) => t.node.k === 'loop').at(-1);
        const loops = targets.slice(floor()).filter((t) => t.node.k === 'loop');
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
        if (finallyDepth > 0) return undefined; // (B): no try statement inside a finally block
        const guarded = s.finalizer !== null;
        if (guarded) floors.push(targets.length);
        const body = block(s.body);
        let handler = s.handler === null ? null : block(s.handler);
        if (guarded) floors.pop();
        let finalizer: Stmt[] | null = null;
        if (s.finalizer !== null) {
          // (A): a break/continue in the finally block may only target loops/switches inside it
          floors.push(targets.length);
          finallyDepth++;
          finalizer = block(s.finalizer);
          finallyDepth--;
          floors.pop();
        }
        if (handler === null && finalizer === null) handler = [];
        return { k: 'try', body, handler, finalizer };
      }
    }
  };

  const body = block(raw.body);
  return { method: raw.method, async: raw.async, returnsSocket, conds, discriminants, body };
}
