/**
 * Detectors for the try/finally shapes of generated programs. `generator.test.ts` uses them to check that the
 * generator produces every shape (none is avoided any more, see docs/fuzzing.md) and that the one restriction
 * left — no `return x` hand-off that a finally block can cancel — holds; `regressions.test.ts` uses them to label
 * its cases.
 */
import type { Stmt } from './ast';

/**
 * - `through`: a `break`/`continue` in the `try` or `catch` block of a try statement with a `finally`, whose target
 *   is outside that statement (the finally block runs on the way);
 * - `out`: a jump out of a `finally` block — a `return`/`return x`/`throw` in it, or a `break`/`continue` whose
 *   target is not inside it (it discards the completion pending there);
 * - `nested`: a `try` statement inside a `finally` block.
 */
export type FinallyShape = 'through' | 'out' | 'nested';

export interface ShapeHit {
  shape: FinallyShape;
  stmt: Stmt;
}

interface Ctx {
  /** Ids of the loops/switches entered since the innermost try/catch block guarded by a finally (null: none). */
  guarded: number[] | null;
  /** Ids of the loops/switches entered since the innermost finally block (null: not in a finally block). */
  fin: number[] | null;
}

/** Every occurrence of the shapes above in a statement list. */
export function finallyShapes(stmts: Stmt[], ctx: Ctx = { guarded: null, fin: null }): ShapeHit[] {
  const enter = (id: number): Ctx => ({
    guarded: ctx.guarded === null ? null : [...ctx.guarded, id],
    fin: ctx.fin === null ? null : [...ctx.fin, id],
  });
  return stmts.flatMap((s): ShapeHit[] => {
    switch (s.k) {
      case 'return':
      case 'returnSock':
      case 'throw':
        return ctx.fin !== null ? [{ shape: 'out', stmt: s }] : [];
      case 'break':
      case 'continue': {
        const hits: ShapeHit[] = [];
        if (ctx.guarded !== null && !ctx.guarded.includes(s.target)) hits.push({ shape: 'through', stmt: s });
        if (ctx.fin !== null && !ctx.fin.includes(s.target)) hits.push({ shape: 'out', stmt: s });
        return hits;
      }
      case 'if':
        return [...finallyShapes(s.then, ctx), ...finallyShapes(s.else ?? [], ctx)];
      case 'loop':
        return finallyShapes(s.body, enter(s.id));
      case 'switch':
        return s.clauses.flatMap((c) => finallyShapes(c.body, enter(s.id)));
      case 'try': {
        const inner: Ctx = s.finalizer === null ? ctx : { guarded: [], fin: ctx.fin };
        return [
          ...(ctx.fin !== null ? [{ shape: 'nested' as const, stmt: s }] : []),
          ...finallyShapes(s.body, inner),
          ...finallyShapes(s.handler ?? [], inner),
          ...finallyShapes(s.finalizer ?? [], { guarded: ctx.guarded, fin: [] }),
        ];
      }
      default:
        return [];
    }
  });
}

/**
 * Can this finally block complete abruptly, i.e. jump out of itself (conservatively: any `return` or `throw` in
 * it, caught or not, and any `break`/`continue` whose target is not inside it)?
 */
export function canJumpOut(finalizer: Stmt[]): boolean {
  const walk = (stmts: Stmt[], inside: number[]): boolean =>
    stmts.some((s) => {
      switch (s.k) {
        case 'return':
        case 'returnSock':
        case 'throw':
          return true;
        case 'break':
        case 'continue':
          return !inside.includes(s.target);
        case 'if':
          return walk(s.then, inside) || walk(s.else ?? [], inside);
        case 'loop':
          return walk(s.body, [...inside, s.id]);
        case 'switch':
          return s.clauses.some((c) => walk(c.body, [...inside, s.id]));
        case 'try':
          return walk(s.body, inside) || walk(s.handler ?? [], inside) || walk(s.finalizer ?? [], inside);
        default:
          return false;
      }
    });
  return walk(finalizer, []);
}

/**
 * `return x` hand-offs in the try or catch block of a try statement whose finally block can jump out (and so
 * cancel the return): the one shape the generator still avoids (see docs/fuzzing.md).
 */
export function cancellableHandOffs(stmts: Stmt[]): Stmt[] {
  const all = (list: Stmt[]): Stmt[] =>
    list.flatMap((s): Stmt[] => {
      switch (s.k) {
        case 'returnSock':
          return [s];
        case 'if':
          return [...all(s.then), ...all(s.else ?? [])];
        case 'loop':
          return all(s.body);
        case 'switch':
          return s.clauses.flatMap((c) => all(c.body));
        case 'try':
          return [...all(s.body), ...all(s.handler ?? []), ...all(s.finalizer ?? [])];
        default:
          return [];
      }
    });
  return stmts.flatMap((s): Stmt[] => {
    switch (s.k) {
      case 'if':
        return [...cancellableHandOffs(s.then), ...cancellableHandOffs(s.else ?? [])];
      case 'loop':
        return cancellableHandOffs(s.body);
      case 'switch':
        return s.clauses.flatMap((c) => cancellableHandOffs(c.body));
      case 'try': {
        const guardedHits = s.finalizer !== null && canJumpOut(s.finalizer) ? [...all(s.body), ...all(s.handler ?? [])] : [];
        return [
          ...new Set([
            ...guardedHits,
            ...cancellableHandOffs(s.body),
            ...cancellableHandOffs(s.handler ?? []),
            ...cancellableHandOffs(s.finalizer ?? []),
          ]),
        ];
      }
      default:
        return [];
    }
  });
}
