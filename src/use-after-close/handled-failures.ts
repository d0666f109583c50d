import type { TSESTree } from '@typescript-eslint/utils';
import { isFunction, isTransparent, propertyName } from '../engine/ast';
import { AST_NODE_TYPES } from '../engine/node-types';
import type { FileModel } from '../model/file-model';

/** The outermost node around `node` that only wraps it (`x!`, `x as T`, `a?.b()`). */
function outerWrapper(node: TSESTree.Node): TSESTree.Node {
  let n = node;
  while (n.parent && isTransparent(n.parent)) n = n.parent;
  return n;
}

/**
 * Does the code handle a failure of this call: a rejection caught by a handler chained on it (`pool.end().catch(() =>
 * {})`, `.then(ok, failed)`), or, in the block of a `try` with a `catch` clause (in the same function), an awaited
 * rejection (`await pool.end()`) or a throw of a call that returns no promise (`socket.close()` of a dgram socket)?
 * A second release that fails there is cleanup the code expected to fail: a repeated shutdown handler, an error
 * listener that releases what may already be released.
 */
export function failureHandled(m: FileModel, call: TSESTree.Node): boolean {
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  let n = outerWrapper(call);
  const p = n.parent;
  if (p?.type === AST_NODE_TYPES.MemberExpression && p.object === n && p.parent?.type === AST_NODE_TYPES.CallExpression && p.parent.callee === p) {
    const name = propertyName(p);
    const args = p.parent.arguments.length;
    if ((name === 'catch' && args >= 1) || (name === 'then' && args >= 2)) return true;
  }
  const awaited = p?.type === AST_NODE_TYPES.AwaitExpression;
  if (awaited) n = outerWrapper(p);
  for (let c: TSESTree.Node = n, a = n.parent; a && !isFunction(a); c = a, a = a.parent) {
    if (a.type === AST_NODE_TYPES.TryStatement && a.block === c && a.handler) return awaited || !m.isThenable(call);
  }
  return false;
}
