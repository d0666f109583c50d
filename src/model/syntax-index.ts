/**
 * One pass over the file's nodes (those the code path recorder recorded, or those of a pass over the traversal) that indexes what analyses look up by
 * name or by function: calls by callee name, member expressions by property name, where each local function's
 * value appears, and where it is called. Built once per file, so that per-resource checks look at the handful of
 * relevant nodes instead of the whole file.
 */
import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { calleeName, isFunction, thisClass, thisMemberName, unwrap, walkAst, type FunctionNode } from '../engine/ast';
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
  /** Every call of the file, in source order (an outer call before the calls inside it): see {@link callsWithin}. */
  readonly calls: TSESTree.CallExpression[] = [];

  /**
   * `nodes`: the file's calls, member expressions, identifiers, declarators and function expressions, in
   * traversal order.
   */
  constructor(
    m: Bindings,
    nodes: readonly TSESTree.Node[],
    /** The parser's visitor keys: under SOCKET_CLOSE_STRICT, {@link callsWithin} is checked against a walk of the node. */
    private readonly visitorKeys?: Readonly<Record<string, readonly string[] | undefined>>,
  ) {
    // Only an identifier whose name some variable of the file that names a function has can name one.
    const functionNames = m.functionNames;
    const strict = isStrict();
    for (const node of nodes) {
      switch (node.type) {
        case AST_NODE_TYPES.CallExpression: {
          this.calls.push(node);
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
    this.calls.sort(bySource);
  }

  /**
   * The names that read `fn` as a value (`setTimeout(close, 30)`, `signal.addEventListener('abort', cleanup)`), its own
   * declaration aside (`function close() {}`, `const close = () => …`), in source order.
   */
  namesOf(fn: FunctionNode): TSESTree.Identifier[] {
    const out: TSESTree.Identifier[] = [];
    for (const n of this.valueSites.get(fn) ?? []) {
      if (n === fn || n.type !== AST_NODE_TYPES.Identifier) continue;
      if ((n.parent?.type === AST_NODE_TYPES.VariableDeclarator && n.parent.id === n) || (fn.type === AST_NODE_TYPES.FunctionDeclaration && n === fn.id)) continue;
      out.push(n);
    }
    return out;
  }

  /**
   * The calls inside `node` (itself included when it is one), in source order: a binary search of the file's calls
   * instead of a walk of the node's subtree.
   */
  callsWithin(node: TSESTree.Node): readonly TSESTree.CallExpression[] {
    const [start, end] = node.range;
    const calls = this.calls;
    let lo = 0;
    let hi = calls.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (calls[mid].range[0] < start) lo = mid + 1;
      else hi = mid;
    }
    const out: TSESTree.CallExpression[] = [];
    for (let i = lo; i < calls.length && calls[i].range[0] < end; i++) {
      // A call that starts where the node does may hold it (`a.b` in `a.b(c)`).
      if (calls[i].range[1] <= end) out.push(calls[i]);
    }
    if (this.visitorKeys && isStrict()) {
      const walked: TSESTree.CallExpression[] = [];
      walkAst(node, this.visitorKeys, (n) => {
        if (n.type === AST_NODE_TYPES.CallExpression) walked.push(n);
      }, true);
      if (walked.length !== out.length || walked.some((n, i) => n !== out[i])) throw new Error('socket-close: the indexed calls inside a node differ from a walk of it');
    }
    return out;
  }

  /** `this.<name>` (`'#name'` for `this.#name`), read or written, in the code of class `cls`. */
  thisMembers(cls: TSESTree.Node, name: string): TSESTree.MemberExpression[] {
    return (this.membersByName.get(name) ?? []).filter((m) => thisMemberName(m) === name && thisClass(m) === cls);
  }

  /** Calls of any of `names`, in source order. */
  callsNamed(names: Iterable<string>): TSESTree.CallExpression[] {
    const out: TSESTree.CallExpression[] = [];
    for (const name of names) out.push(...(this.callsByName.get(name) ?? []));
    return out.sort((a, b) => a.range[0] - b.range[0]);
  }
}
