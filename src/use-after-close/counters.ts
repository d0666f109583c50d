/**
 * Monotonic counters: a variable that only grows (`n++`, `n += 1`) splits the runs of a repeating callback. A use
 * under `n < limit` and a release under `n >= limit` (or `i === 0` and `i === 1`) cannot meet across runs: once a
 * run has taken the release branch, the counter never comes back below.
 */
import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { contains, unwrap, type FunctionNode } from '../engine/ast';
import { neverReassigned, type Variable, type VariableLookup } from '../model/bindings';

/** One bound on the counter: `counter <op> bound`, the bound a number or a name that is never reassigned. */
interface Bound {
  readonly counter: Variable;
  /** A number, or the variable of a constant name. */
  readonly bound: number | Variable;
  readonly op: '<' | '<=' | '>' | '>=' | '===';
}

const FLIP: Record<string, Bound['op'] | undefined> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=', '===': '===', '==': '===' };
const NEGATE: Record<string, Bound['op'] | undefined> = { '<': '>=', '<=': '>', '>': '<=', '>=': '<' };

/** Is the variable written only by its declaration and by steps that make it grow (`n++`, `++n`, `n += 2`, `n = n + 1`)? */
function onlyGrows(v: Variable): boolean {
  if (v.defs.length !== 1 || v.defs[0].type !== TSESLint.Scope.DefinitionType.Variable) return false;
  for (const ref of v.references) {
    if (!ref.isWrite() || ref.init) continue;
    const p = ref.identifier.parent;
    if (p?.type === AST_NODE_TYPES.UpdateExpression && p.operator === '++') continue;
    if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === ref.identifier) {
      const step = (n: TSESTree.Node): boolean => n.type === AST_NODE_TYPES.Literal && typeof n.value === 'number' && n.value >= 0;
      if (p.operator === '+=' && step(unwrap(p.right))) continue;
      const right = unwrap(p.right);
      if (
        p.operator === '=' &&
        right.type === AST_NODE_TYPES.BinaryExpression &&
        right.operator === '+' &&
        ((unwrap(right.left).type === AST_NODE_TYPES.Identifier && (unwrap(right.left) as TSESTree.Identifier).name === v.name && step(unwrap(right.right))) ||
          (unwrap(right.right).type === AST_NODE_TYPES.Identifier && (unwrap(right.right) as TSESTree.Identifier).name === v.name && step(unwrap(right.left))))
      ) {
        continue;
      }
    }
    return false;
  }
  return true;
}

export class Counters {
  constructor(private readonly varOf: VariableLookup) {}

  /**
   * Can no run of the repeating callback `fn` reach `use` after an earlier run reached `release`? True when a counter
   * declared outside `fn` that only grows bounds the two from each other: every value it may have at `use` is below
   * every value it may have at `release`.
   */
  apart(fn: FunctionNode, release: TSESTree.Node, use: TSESTree.Node): boolean {
    const atUse = this.boundsOn(fn, use);
    const atRelease = this.boundsOn(fn, release);
    for (const u of atUse) {
      if (atRelease.some((r) => r.counter === u.counter && below(atUse.filter((b) => b.counter === u.counter), atRelease.filter((b) => b.counter === u.counter)))) return true;
    }
    return false;
  }

  /** The bounds on growing counters of the tests `node` lies under in `fn` (the branch it is in). */
  private boundsOn(fn: FunctionNode, node: TSESTree.Node): Bound[] {
    const out: Bound[] = [];
    let child: TSESTree.Node = node;
    for (let p = node.parent; p && p !== fn; child = p, p = p.parent) {
      if (p.type !== AST_NODE_TYPES.IfStatement && p.type !== AST_NODE_TYPES.ConditionalExpression) continue;
      if (child === p.test) continue;
      const b = this.boundOf(p.test, child === p.consequent, fn);
      if (b) out.push(b);
    }
    return out;
  }

  /** `test` taken as `value`: a bound on a growing counter of an enclosing scope, if it is one. */
  private boundOf(test: TSESTree.Node, value: boolean, fn: FunctionNode): Bound | undefined {
    const t = unwrap(test);
    if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') return this.boundOf(t.argument, !value, fn);
    if (t.type !== AST_NODE_TYPES.BinaryExpression) return undefined;
    const sides: Array<[TSESTree.Node, TSESTree.Node, string | undefined]> = [
      [t.left, t.right, t.operator],
      [t.right, t.left, FLIP[t.operator]],
    ];
    for (const [a, b, op0] of sides) {
      const counter = this.counterOf(a, fn);
      const bound = counter ? this.constantOf(b) : undefined;
      if (!counter || bound === undefined || op0 === undefined) continue;
      const op = value ? (op0 === '==' ? '===' : op0) : NEGATE[op0];
      if (op === undefined || !(op in NEGATE || op === '===')) return undefined;
      return { counter, bound, op: op as Bound['op'] };
    }
    return undefined;
  }

  private counterOf(node: TSESTree.Node, fn: FunctionNode): Variable | undefined {
    const n = unwrap(node);
    const v = n.type === AST_NODE_TYPES.Identifier ? this.varOf.get(n) : undefined;
    // Declared outside the callback (a local starts again on every run), and only growing.
    if (!v || v.defs.length !== 1 || contains(fn, v.defs[0].name)) return undefined;
    return onlyGrows(v) ? v : undefined;
  }

  private constantOf(node: TSESTree.Node): number | Variable | undefined {
    const n = unwrap(node);
    if (n.type === AST_NODE_TYPES.Literal && typeof n.value === 'number') return n.value;
    const v = n.type === AST_NODE_TYPES.Identifier ? this.varOf.get(n) : undefined;
    // A name declared once and never reassigned (a parameter, a `const`, a `let` given nothing else).
    return v && v.defs.length === 1 && neverReassigned(v) ? v : undefined;
  }
}

/**
 * Is every counter value that satisfies all of `low` below every value that satisfies all of `high`? Numeric bounds
 * are compared as intervals; a name is compared only with itself (`n < limit` against `n >= limit`).
 */
function below(low: readonly Bound[], high: readonly Bound[]): boolean {
  // Numbers: the greatest value `low` allows against the least `high` allows.
  const maxLow = limit(low.filter((b) => typeof b.bound === 'number'), 'upper');
  const minHigh = limit(high.filter((b) => typeof b.bound === 'number'), 'lower');
  if (maxLow && minHigh && (maxLow.value < minHigh.value || (maxLow.value === minHigh.value && (maxLow.open || minHigh.open)))) return true;
  // Names: `n < k` (or `n <= k`) against `n >= k` (or `n > k`), the same `k`.
  for (const l of low) {
    if (typeof l.bound === 'number' || (l.op !== '<' && l.op !== '<=')) continue;
    for (const h of high) {
      if (h.bound !== l.bound || (h.op !== '>' && h.op !== '>=')) continue;
      if (l.op === '<' || h.op === '>') return true;
    }
  }
  return false;
}

/**
 * The tightest bound the numeric bounds put on the counter from one side (`upper`: the least value it stays at or
 * below; `lower`: the greatest it stays at or above); `open`: that value itself is excluded.
 */
function limit(bounds: readonly Bound[], side: 'upper' | 'lower'): { value: number; open: boolean } | undefined {
  const strict = side === 'upper' ? '<' : '>';
  const loose = side === 'upper' ? '<=' : '>=';
  const tighter = (a: number, b: number): boolean => (side === 'upper' ? a < b : a > b);
  let out: { value: number; open: boolean } | undefined;
  for (const b of bounds) {
    const value = b.bound as number;
    const next = b.op === strict ? { value, open: true } : b.op === loose || b.op === '===' ? { value, open: false } : undefined;
    if (next && (!out || tighter(next.value, out.value) || (next.value === out.value && next.open))) out = next;
  }
  return out;
}
