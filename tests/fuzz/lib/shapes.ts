/**
 * Detectors for the shapes the generator avoids by design because ESLint's code-path graph (which the rules
 * follow) does not model them. Used by `generator.test.ts` (the generator never produces them) and by
 * `regressions.test.ts` (each "known limitation" case really is one of them).
 */
import type { Stmt } from './ast';

export type UnmodelledShape = 'A' | 'B';

/**
 * The older shape: a `break`/`continue` in the `try` or `catch` block of a try statement with a `finally` whose
 * target is outside that block (ESLint routes only `return`/`throw` through the finally). Returns those jumps;
 * `inside` is null outside such blocks, else the ids of the loops/switches entered since the innermost one.
 */
export function jumpsOutOfGuardedTryCatch(stmts: Stmt[], inside: number[] | null = null): Stmt[] {
  return stmts.flatMap((s): Stmt[] => {
    const within = (id: number): number[] | null => (inside === null ? null : [...inside, id]);
    switch (s.k) {
      case 'break':
      case 'continue':
        return inside !== null && !inside.includes(s.target) ? [s] : [];
      case 'if':
        return [...jumpsOutOfGuardedTryCatch(s.then, inside), ...jumpsOutOfGuardedTryCatch(s.else ?? [], inside)];
      case 'loop':
        return jumpsOutOfGuardedTryCatch(s.body, within(s.id));
      case 'switch':
        return s.clauses.flatMap((c) => jumpsOutOfGuardedTryCatch(c.body, within(s.id)));
      case 'try': {
        const guarded = s.finalizer === null ? inside : [];
        return [
          ...jumpsOutOfGuardedTryCatch(s.body, guarded),
          ...jumpsOutOfGuardedTryCatch(s.handler ?? [], guarded),
          ...jumpsOutOfGuardedTryCatch(s.finalizer ?? [], inside),
        ];
      }
      default:
        return [];
    }
  });
}

export interface ShapeHit {
  shape: UnmodelledShape;
  stmt: Stmt;
}

/**
 * (A) a jump out of a `finally` block: a `return`/`return x`/`throw` anywhere in it (no try inside a finally can catch it, see (B)), or a `break`/`continue` whose target
 *     loop/switch is not inside that finally block;
 * (B) a `try` statement anywhere inside a `finally` block.
 * `inside` is null outside any finally block, else the ids of the loops/switches entered since the innermost one.
 */
export function unmodelledFinallyShapes(stmts: Stmt[], inside: number[] | null = null): ShapeHit[] {
  return stmts.flatMap((s): ShapeHit[] => {
    const within = (id: number): number[] | null => (inside === null ? null : [...inside, id]);
    switch (s.k) {
      case 'return':
      case 'returnSock':
      case 'throw':
        return inside !== null ? [{ shape: 'A', stmt: s }] : [];
      case 'break':
      case 'continue':
        return inside !== null && !inside.includes(s.target) ? [{ shape: 'A', stmt: s }] : [];
      case 'if':
        return [...unmodelledFinallyShapes(s.then, inside), ...unmodelledFinallyShapes(s.else ?? [], inside)];
      case 'loop':
        return unmodelledFinallyShapes(s.body, within(s.id));
      case 'switch':
        return s.clauses.flatMap((c) => unmodelledFinallyShapes(c.body, within(s.id)));
      case 'try':
        return [
          ...(inside !== null ? [{ shape: 'B' as const, stmt: s }] : []),
          ...unmodelledFinallyShapes(s.body, inside),
          ...unmodelledFinallyShapes(s.handler ?? [], inside),
          ...unmodelledFinallyShapes(s.finalizer ?? [], []),
        ];
      default:
        return [];
    }
  });
}
