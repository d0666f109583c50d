import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { alwaysExits, calleeName, contains, enclosingFunction, isFunction, line, unwrap, walkAst, type FunctionNode } from '../engine/ast';
import { classSummaries } from '../model/class-summaries';
import type { FileModel } from '../model/file-model';
import type { Guards } from '../model/guards';
import { callText, type ValueIndex, type ValueOp } from '../model/values';
import type { UseAfterCloseFinding } from './use-after-close';

interface Candidate {
  readonly stmt: TSESTree.IfStatement;
  readonly branch: TSESTree.Node;
  /** The value of the test on which the branch runs. */
  readonly value: boolean;
  readonly settle: TSESTree.CallExpression;
}

/**
 * Uses after a dead test that settles without leaving: `if (ws.readyState !== WebSocket.OPEN) reject(err);
 * ws.send(x);`. A promise executor (or a function that reports through a callback parameter) keeps running after
 * it settles, so the use runs on the path that found the socket closed. Reported at the use, naming the settling
 * call.
 */
export class SettledUses {
  constructor(
    private readonly m: FileModel,
    private readonly index: ValueIndex,
    private readonly guards: Guards,
    private readonly reported: Set<TSESTree.Node>,
    private readonly findings: UseAfterCloseFinding[],
  ) {}

  run(): void {
    // Each use not reported yet with the function it is in: only those functions can have a candidate that matters.
    const pending: Array<{ use: ValueOp; fn: FunctionNode }> = [];
    for (const uses of this.index.usesByKey.values()) {
      for (const use of uses) {
        const fn = this.reported.has(use.node) ? undefined : enclosingFunction(use.node);
        if (fn) pending.push({ use, fn });
      }
    }
    if (pending.length === 0) return;
    const candidates = this.candidates(new Set(pending.map((p) => p.fn)));
    if (candidates.size === 0) return;
    for (const { use, fn } of pending) {
      // A node used under two keys is reported once.
      if (this.reported.has(use.node)) continue;
      const list = candidates.get(fn);
      if (!list) continue;
      const settle = this.settledBefore(use, fn, list);
      if (!settle) continue;
      this.reported.add(use.node);
      this.findings.push({
        messageId: 'useAfterRelease',
        node: use.node,
        data: {
          kind: use.kind.name,
          operation: callText(use.method),
          state: 'closed',
          release: `${calleeName(settle) ?? 'the callback'}() at line ${line(settle)} does not return`,
        },
      });
    }
  }

  /** Per function of `functions`, the `if` branches that settle (call a parameter) and fall through, whatever they test. */
  private candidates(functions: ReadonlySet<FunctionNode>): Map<FunctionNode, Candidate[]> {
    const out = new Map<FunctionNode, Candidate[]>();
    for (const node of this.m.recorder.nodes) {
      if (node.type !== AST_NODE_TYPES.IfStatement) continue;
      const p = node.parent;
      if (p?.type !== AST_NODE_TYPES.BlockStatement && p?.type !== AST_NODE_TYPES.SwitchCase) continue;
      const fn = enclosingFunction(node);
      if (!fn || !functions.has(fn)) continue;
      const branches: Array<[TSESTree.Statement | null, boolean]> = [
        [node.consequent, true],
        [node.alternate, false],
      ];
      for (const [branch, value] of branches) {
        if (!branch || alwaysExits(branch)) continue;
        const settle = this.settleCall(branch, fn);
        if (!settle) continue;
        const list = out.get(fn) ?? [];
        list.push({ stmt: node, branch, value, settle });
        out.set(fn, list);
      }
    }
    return out;
  }

  /** The settling call of an earlier `if (<socket is dead>) settle(…);` (a sibling of an enclosing statement) that falls through to the use. */
  private settledBefore(use: ValueOp, fn: FunctionNode, candidates: readonly Candidate[]): TSESTree.CallExpression | undefined {
    for (const c of candidates) {
      const block = c.stmt.parent;
      if (c.stmt.range[1] > use.node.range[0] || !contains(block, use.node)) continue;
      if (!this.guards.impliesDead(c.stmt.test, use.key, c.value)) continue;
      if (this.touches(c.branch, use.key, fn)) continue;
      if (!this.guards.guarded(use, undefined, fn)) return c.settle;
    }
    return undefined;
  }

  /**
   * Does the branch release, reopen or reassign the socket (then the flow analysis has the facts), itself or in a
   * method it calls (`if (!this.connected) { this.reconnect(); cb(err); }`)?
   */
  private touches(branch: TSESTree.Node, key: string, fn: FunctionNode): boolean {
    const classes = classSummaries(this.m);
    const regions: TSESTree.Node[] = [branch];
    for (const c of classes.callsIn(fn)) {
      if (!contains(branch, c.call)) continue;
      regions.push(c.method);
      for (const r of classes.reachable(c.method)) regions.push(r.method);
    }
    for (const [node, ops] of this.index.ops) {
      if (regions.some((r) => contains(r, node)) && ops.some((op) => op.key === key)) return true;
    }
    return false;
  }

  /**
   * A call in the branch (not in a nested function) of a parameter of an enclosing function: the executor's
   * `resolve`/`reject`, or a callback the caller passed (`cb(err)`): it hands control back, and the code after it
   * still runs.
   */
  private settleCall(branch: TSESTree.Node, fn: FunctionNode): TSESTree.CallExpression | undefined {
    let found: TSESTree.CallExpression | undefined;
    walkAst(branch, this.m.sourceCode.visitorKeys, (n) => {
      if (found) return true;
      if (n.type !== AST_NODE_TYPES.CallExpression || enclosingFunction(n) !== fn) return false;
      const callee = unwrap(n.callee);
      if (callee.type !== AST_NODE_TYPES.Identifier) return false;
      const v = this.m.varOf.get(callee);
      const def = v?.defs[0];
      if (v && this.m.isParameter(v) && def && isFunction(def.node) && contains(def.node, fn)) found = n;
      return false;
    });
    return found;
  }
}
