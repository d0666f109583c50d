/**
 * One pass over the file's nodes (those the code path recorder recorded, or those of a pass over the traversal) that indexes what analyses look up by
 * name or by function: calls by callee name, member expressions by property name, where each local function's
 * value appears, and where it is called. Built once per file, so that per-resource checks look at the handful of
 * relevant nodes instead of the whole file.
 */
import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { calleeName, isFunction, unwrap, type FunctionNode } from '../engine/ast';
import type { Bindings } from './bindings';
import { addToList } from '../util/lists';
import { isStrict } from '../engine/strict';

export class SyntaxIndex {
  /** Calls by callee name (`f()` and `x.f()` → `f`). */
  readonly callsByName = new Map<string, TSESTree.CallExpression[]>();
  /** Non-computed member expressions by property name (`#x` for private names). */
  readonly membersByName = new Map<string, TSESTree.MemberExpression[]>();
  /** For each local function: the expressions that evaluate to it (the function expression, names of it). */
  readonly valueSites = new Map<FunctionNode, TSESTree.Node[]>();
  /** For each local function or `this` method: the calls that run it. */
  readonly callSites = new Map<FunctionNode, TSESTree.CallExpression[]>();
  /** `const { a, b } = this` declarators. */
  readonly thisDestructurings: TSESTree.VariableDeclarator[] = [];

  /**
   * `nodes`: the file's calls, member expressions, identifiers, declarators and function expressions, in
   * traversal order.
   */
  constructor(m: Bindings, nodes: readonly TSESTree.Node[]) {
    // Only an identifier whose name some variable of the file that names a function has can name one.
    const functionNames = m.functionNames;
    const strict = isStrict();
    for (const node of nodes) {
      switch (node.type) {
        case AST_NODE_TYPES.CallExpression: {
          const name = calleeName(node);
          if (name !== undefined) addToList(this.callsByName, name, node);
          const c = unwrap(node.callee);
          const callee = c.type === AST_NODE_TYPES.Identifier ? (functionNames.has(c.name) ? m.functionValue(c) : undefined) : m.methodOf(c);
          if (callee) addToList(this.callSites, callee, node);
          break;
        }
        case AST_NODE_TYPES.MemberExpression:
          if (node.property.type === AST_NODE_TYPES.PrivateIdentifier) addToList(this.membersByName, `#${node.property.name}`, node);
          else if (!node.computed && node.property.type === AST_NODE_TYPES.Identifier) addToList(this.membersByName, node.property.name, node);
          break;
        case AST_NODE_TYPES.Identifier: {
          const fn = functionNames.has(node.name) ? m.functionValue(node) : undefined;
          if (strict && !fn && m.functionValue(node)) throw new Error(`socket-close: '${node.name}' names a function but is not among the function names`);
          if (fn) addToList(this.valueSites, fn, node);
          break;
        }
        case AST_NODE_TYPES.VariableDeclarator:
          if (node.id.type === AST_NODE_TYPES.ObjectPattern && node.init?.type === AST_NODE_TYPES.ThisExpression) this.thisDestructurings.push(node);
          break;
        default:
          if (isFunction(node) && node.type !== AST_NODE_TYPES.FunctionDeclaration) addToList(this.valueSites, node, node);
      }
    }
    // Source order, as the analyses report the first of several places.
    // Keys in the order of their first place too: the index reads the same in whatever order its nodes come (the
    // traversal's, or the code path recorder's evaluation order).
    const bySource = (a: TSESTree.Node, b: TSESTree.Node): number => a.range[0] - b.range[0] || b.range[1] - a.range[1];
    for (const map of [this.callsByName, this.membersByName, this.valueSites, this.callSites] as Array<Map<unknown, TSESTree.Node[]>>) {
      for (const list of map.values()) list.sort(bySource);
      const entries = [...map].sort((a, b) => bySource(a[1][0], b[1][0]));
      map.clear();
      for (const [k, list] of entries) map.set(k, list);
    }
    this.thisDestructurings.sort(bySource);
  }

  /** Calls of any of `names`, in source order. */
  callsNamed(names: Iterable<string>): TSESTree.CallExpression[] {
    const out: TSESTree.CallExpression[] = [];
    for (const name of names) out.push(...(this.callsByName.get(name) ?? []));
    return out.sort((a, b) => a.range[0] - b.range[0]);
  }
}
