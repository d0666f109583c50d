import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import {
  climbValue,
  contains,
  unwrap,
  walkAst,
  type FunctionNode,
} from '../engine/ast';
import { isCloseOrErrorEvent } from '../kinds/kind';
import type { FileModel } from './file-model';
import { kill, type Resource } from './resource';

/** Callbacks and local functions that take a resource over: they release it or hand it off on some path. */
export class Delegations {
  constructor(private readonly m: FileModel) {}

  /**
   * A function that releases or hands off the socket on some path takes it over where the function value is
   * handed somewhere (a listener, a timer, a promise callback) or called. Records those points as kills.
   */
  add(r: Resource): void {
    const directKills: TSESTree.Node[] = [];
    for (const [node, ops] of r.ops) if (ops.some((o) => o.t === 'kill')) directKills.push(node);
    const memo = new Map<FunctionNode, boolean>();
    const releasesInside = (fn: FunctionNode, depth: number): boolean => {
      const known = memo.get(fn);
      if (known !== undefined) return known;
      memo.set(fn, false);
      let result = directKills.some((n) => contains(fn, n) && n !== fn);
      if (!result && depth < 6) {
        // Calls of local functions inside fn.
        for (const callee of this.localCallees(fn)) {
          if (callee !== fn && releasesInside(callee, depth + 1)) {
            result = true;
            break;
          }
        }
      }
      memo.set(fn, result);
      return result;
    };
    r.releasesInside = (fn) => releasesInside(fn, 0);
    const excluded = new Set<TSESTree.Node>();
    for (const reg of r.registrations) {
      if (reg.via === 'listener' && isCloseOrErrorEvent(r.kind, reg.event)) excluded.add(reg.fnNode);
    }
    // Function values in the owner's subtree.
    const visit = (node: TSESTree.Node): void => {
      const fn = this.m.functionValue(node);
      if (fn && node.type !== AST_NODE_TYPES.FunctionDeclaration) {
        const value = climbValue(node);
        const p = value.parent;
        let position: 'pass' | 'call' | undefined;
        if (p) {
          if ((p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) && p.arguments.includes(value as TSESTree.CallExpressionArgument)) position = 'pass';
          else if (p.type === AST_NODE_TYPES.CallExpression && p.callee === value) position = 'call';
          else if (p.type === AST_NODE_TYPES.AssignmentExpression && p.right === value && unwrap(p.left).type === AST_NODE_TYPES.MemberExpression) position = 'pass';
          else if (p.type === AST_NODE_TYPES.ReturnStatement || p.type === AST_NODE_TYPES.Property || p.type === AST_NODE_TYPES.ArrayExpression) position = 'pass';
          else if (p.type === AST_NODE_TYPES.ArrowFunctionExpression && p.body === value) position = 'pass';
        }
        if (position && !excluded.has(node) && releasesInside(fn, 0)) {
          if (position === 'call') kill(r, p as TSESTree.Node, 'release');
          // Handed to a call (a listener, a timer, the creation's own callback): taken over when the call runs.
          else if (p && (p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression)) kill(r, p, 'delegate');
          else if (p?.type === AST_NODE_TYPES.AssignmentExpression) kill(r, p, 'delegate');
          else kill(r, node, 'delegate');
        }
      }
      if (node.type === AST_NODE_TYPES.CallExpression) {
        // A call of a local function, or of a `this`/`self` method, that releases the socket.
        const callee =
          unwrap(node.callee).type === AST_NODE_TYPES.Identifier ? this.m.functionValue(node.callee) : this.m.methodOf(node.callee);
        if (callee && !contains(callee, node) && releasesInside(callee, 0)) kill(r, node, 'release');
      }
    };
    walkAst(r.ownerNode, this.m.sourceCode.visitorKeys, visit);
  }

  private readonly calleesCache = new Map<FunctionNode, FunctionNode[]>();

  private localCallees(fn: FunctionNode): FunctionNode[] {
    let list = this.calleesCache.get(fn);
    if (list) return list;
    list = [];
    const found = list;
    walkAst(fn, this.m.sourceCode.visitorKeys, (n) => {
      if (n.type === AST_NODE_TYPES.CallExpression) {
        const callee = this.m.functionValue(n.callee) ?? this.m.methodOf(n.callee);
        if (callee) found.push(callee);
      }
    });
    this.calleesCache.set(fn, list);
    return list;
  }
}
