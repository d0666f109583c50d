/** What a method call on a resource means, for both rules: one reading of the kind's release rules. */
import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { climbValue, dottedName, isFunction, unwrap } from '../engine/ast';
import { callMeaning, type ArgumentView, type CallMeaning, type ResourceKind } from '../kinds/kind';
import { ALL_SETTLING, LISTENER_METHODS } from '../kinds/vocabulary';

function isUndefined(n: TSESTree.Node): boolean {
  return n.type === AST_NODE_TYPES.Identifier && n.name === 'undefined';
}

/** A view of a call's arguments for the kind's argument rules. */
export function argumentsOf(call: TSESTree.CallExpression): ArgumentView {
  const arg = (i: number): TSESTree.Node | undefined => {
    const a = call.arguments[i];
    return a && a.type !== AST_NODE_TYPES.SpreadElement ? unwrap(a) : undefined;
  };
  return {
    count: call.arguments.length,
    isData(i) {
      const a = arg(i);
      return !!a && !isFunction(a) && !isUndefined(a);
    },
    isTruthy(i) {
      const a = arg(i);
      if (!a || isUndefined(a) || isFunction(a)) return false;
      return !(a.type === AST_NODE_TYPES.Literal && (a.value === false || a.value === 0 || a.value === null || a.value === ''));
    },
  };
}

/** The meaning of `call` (a call of `method` on a resource of `kind`). */
export function meaningOfCall(kind: ResourceKind, call: TSESTree.CallExpression, method: string, endIsRelease: boolean): CallMeaning {
  return callMeaning(kind, method, argumentsOf(call), endIsRelease, LISTENER_METHODS.has(method));
}

/**
 * `Promise.all(arg)` / `Promise.allSettled(arg)` (see {@link ALL_SETTLING}) taking `arg` as its first argument: that
 * call, whose promise settles only once every promise `arg` holds has; else undefined.
 */
export function allSettlingCall(arg: TSESTree.Node): TSESTree.CallExpression | undefined {
  const value = climbValue(arg);
  const call = value.parent;
  return call?.type === AST_NODE_TYPES.CallExpression && call.arguments[0] === value && ALL_SETTLING.has(dottedName(call.callee) ?? '') ? call : undefined;
}
