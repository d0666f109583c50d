import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { alwaysExits, calleeName, contains, enclosingFunction, isFunction, line, unwrap, walkAst, type FunctionNode } from '../engine/ast';
import { classSummaries } from '../model/class-summaries';
import type { FileModel } from '../model/file-model';
import type { Guards } from '../model/guards';
import type { ValueIndex, ValueOp } from '../model/values';
import type { UseAfterCloseFinding } from './use-after-close';

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
    for (const uses of this.index.usesByKey.values()) {
      for (const use of uses) {
        if (this.reported.has(use.node)) continue;
        const settle = this.settledBefore(use);
        if (!settle) continue;
        this.reported.add(use.node);
        this.findings.push({
          messageId: 'useAfterRelease',
          node: use.node,
          data: {
            kind: use.kind.name,
            operation: `${use.method}()`,
            state: 'closed',
            release: `${calleeName(settle) ?? 'the callback'}() at line ${line(settle)} does not return`,
          },
        });
      }
    }
  }

  /** The settling call of an earlier `if (<socket is dead>) settle(…);` that falls through to the use. */
  private settledBefore(use: ValueOp): TSESTree.CallExpression | undefined {
    const fn = enclosingFunction(use.node);
    if (!fn) return undefined;
    let child: TSESTree.Node = use.node;
    for (let p = child.parent; p && p !== fn; child = p, p = p.parent) {
      if (p.type !== AST_NODE_TYPES.BlockStatement && p.type !== AST_NODE_TYPES.SwitchCase) continue;
      const body = (p.type === AST_NODE_TYPES.SwitchCase ? p.consequent : p.body) as TSESTree.Node[];
      const i = body.indexOf(child);
      for (let j = 0; j < i; j++) {
        const s = body[j];
        if (s.type !== AST_NODE_TYPES.IfStatement) continue;
        const branches: Array<[TSESTree.Node | null, boolean]> = [
          [s.consequent, true],
          [s.alternate, false],
        ];
        for (const [branch, value] of branches) {
          if (!branch || alwaysExits(branch)) continue;
          if (!this.guards.impliesDead(s.test, use.key, value)) continue;
          if (this.touches(branch, use.key, fn)) continue;
          const settle = this.settleCall(branch, fn);
          if (settle && !this.guards.guarded(use, undefined, fn)) return settle;
        }
      }
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
