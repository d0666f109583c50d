import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { contains, isFunction, line, unwrap } from '../engine/ast';
import { recover } from '../engine/strict';
import type { FileModel } from '../model/file-model';
import type { Resource } from '../model/resource';
import type { Detail } from './leak';

/**
 * `try { return handshake(s); } catch { s.destroy(); throw … }`: a promise returned without `await` settles after
 * the `try` has been left, so its rejection never reaches the `catch` that releases the socket. The socket leaks
 * when that promise rejects. Only reported where the `catch` releases the socket (the author expects the failure
 * to be this function's to clean up), the returned call carries the socket, and its value is a promise; a local
 * callee that releases its parameter itself cleans up its own failure.
 */
export function returnedPromiseDetails(m: FileModel, r: Resource, isOpenAt: (node: TSESTree.Node) => boolean /* before `node` */): Detail[] {
  const out: Detail[] = [];
  const tries = new Set<TSESTree.TryStatement>();
  for (const [node, ops] of r.ops) {
    if (!ops.some((o) => o.t === 'kill' && o.why === 'release')) continue;
    for (let p: TSESTree.Node | undefined = node.parent; p && p !== r.ownerNode && !isFunction(p); p = p.parent) {
      if (p.type === AST_NODE_TYPES.CatchClause && p.parent.type === AST_NODE_TYPES.TryStatement) tries.add(p.parent);
    }
  }
  for (const t of tries) {
    for (const ret of returnsIn(t.block)) {
      const call = ret.argument ? unwrap(ret.argument) : undefined;
      if (call?.type !== AST_NODE_TYPES.CallExpression && call?.type !== AST_NODE_TYPES.NewExpression) continue;
      const name = carriedBy(m, r, call);
      if (name === undefined || !isThenable(m, call) || !isOpenAt(firstEvaluated(call))) continue;
      out.push({
        rank: 2,
        text: `when ${name === 'the promise' ? name : `${name}()`} at line ${line(call)} rejects (the promise is returned without await, so the catch block at line ${line(t.handler as TSESTree.CatchClause)} does not run)`,
      });
    }
  }
  return out;
}

/** The callee evaluated first in a call chain (`handshake(s).then(f)` → `handshake`): the state before the call. */
function firstEvaluated(call: TSESTree.CallExpression | TSESTree.NewExpression): TSESTree.Node {
  let n: TSESTree.Node = call;
  for (;;) {
    const u = unwrap(n);
    if (u.type !== AST_NODE_TYPES.CallExpression && u.type !== AST_NODE_TYPES.NewExpression) return u;
    const callee = unwrap(u.callee);
    n = callee.type === AST_NODE_TYPES.MemberExpression ? callee.object : callee;
  }
}

/** The return statements of a block, outside nested functions. */
function returnsIn(block: TSESTree.Node): TSESTree.ReturnStatement[] {
  const out: TSESTree.ReturnStatement[] = [];
  const visit = (n: TSESTree.Node): void => {
    if (isFunction(n)) return;
    if (n.type === AST_NODE_TYPES.ReturnStatement) {
      out.push(n);
      return;
    }
    for (const [key, child] of Object.entries(n)) {
      if (key === 'parent') continue;
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof (c as TSESTree.Node).type === 'string') visit(c as TSESTree.Node);
      } else if (child && typeof (child as TSESTree.Node).type === 'string') {
        visit(child as TSESTree.Node);
      }
    }
  };
  visit(block);
  return out;
}

/**
 * The name of the call when it carries the socket: the socket is an argument (to a callee that does not release
 * its parameter itself), or the call is a method of the socket.
 */
function carriedBy(m: FileModel, r: Resource, call: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  const isAlias = (n: TSESTree.Node): boolean => {
    const u = unwrap(n);
    if (u.type !== AST_NODE_TYPES.Identifier) return false;
    const v = m.varOf.get(u);
    return !!v && r.aliases.has(v);
  };
  const callee = unwrap(call.callee);
  // `new Promise((resolve, reject) => { … s … })`: a promise built around the socket.
  if (call.type === AST_NODE_TYPES.NewExpression) {
    const executor = call.arguments[0];
    const mentions = !!executor && isFunction(executor) && [...r.aliases].some((v) => v.references.some((ref) => contains(executor, ref.identifier)));
    return callee.type === AST_NODE_TYPES.Identifier && callee.name === 'Promise' && mentions ? 'the promise' : undefined;
  }
  // `handshake(s).then(…)`: a chain on a call that carries it.
  if (callee.type === AST_NODE_TYPES.MemberExpression && unwrap(callee.object).type === AST_NODE_TYPES.CallExpression) {
    const inner = carriedBy(m, r, unwrap(callee.object) as TSESTree.CallExpression);
    if (inner !== undefined) return inner;
  }
  const name =
    callee.type === AST_NODE_TYPES.Identifier
      ? callee.name
      : callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier
        ? callee.property.name
        : undefined;
  if (name === undefined) return undefined;
  if (callee.type === AST_NODE_TYPES.MemberExpression && isAlias(callee.object)) return name;
  const index = call.arguments.findIndex((a) => isAlias(a));
  if (index < 0) return undefined;
  const fn = m.functionValue(call.callee);
  // Released by the helper when it fails (in its own code, or in a catch that rethrows).
  if (fn && (m.parameterEffect(fn, index) === 'release' || m.releasesParameterWhenThrowing(fn, index))) return undefined;
  return name;
}

function isThenable(m: FileModel, call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  try {
    const type = m.checker.getTypeAtLocation(m.services.esTreeNodeToTSNodeMap.get(call));
    return type.getProperty('then') !== undefined;
  } catch (error) {
    return recover(error, false);
  }
}
