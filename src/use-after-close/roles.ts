import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { calleeMember, propertyName, unwrap } from '../engine/ast';
import { EVENT_TARGET_METHOD, EVENT_TARGET_ONCE_OPTION, PROMISE_CONTINUATIONS, SYNCHRONOUS_ITERATION } from '../kinds/vocabulary';
import { callbackRole, type CallbackRole } from '../model/callbacks';

/**
 * How a function (or a method reference) runs as a callback, as no-use-after-close needs it: {@link callbackRole},
 * and a DOM-style listener registered with `{ once: true }` runs at most once.
 */
export function runRole(node: TSESTree.Node): CallbackRole | undefined {
  const role = callbackRole(node);
  if (role?.via === 'listener' && !role.once && calleeMember(role.call) && propertyName(calleeMember(role.call) as TSESTree.MemberExpression) === EVENT_TARGET_METHOD) {
    if (hasTrueOption(role.call.arguments[2], EVENT_TARGET_ONCE_OPTION)) return { ...role, once: true };
  }
  return role;
}

/** `{ once: true }` (or `{ ...rest, once: true }`): an object literal whose `name` property is literally `true`. */
function hasTrueOption(arg: TSESTree.Node | undefined, name: string): boolean {
  if (!arg) return false;
  const obj = unwrap(arg);
  if (obj.type !== AST_NODE_TYPES.ObjectExpression) return false;
  for (const p of obj.properties) {
    if (p.type !== AST_NODE_TYPES.Property || p.computed) continue;
    const key = p.key.type === AST_NODE_TYPES.Identifier ? p.key.name : p.key.type === AST_NODE_TYPES.Literal ? String(p.key.value) : undefined;
    const value = unwrap(p.value);
    if (key === name && value.type === AST_NODE_TYPES.Literal && value.value === true) return true;
  }
  return false;
}

/**
 * Is this callback a promise continuation (`p.then(fn)`, `.catch(fn)`, `.finally(fn)`)? It continues the
 * operation that chained it, once that settles: like code after an `await`, not a listener that runs at an
 * arbitrary later time. `isResource` tells whether the receiver is itself a tracked resource (whose own `then`
 * would not be a promise's).
 */
export function isPromiseContinuation(role: CallbackRole, isResource: (receiver: TSESTree.Node) => boolean): boolean {
  return isCallbackOf(role, PROMISE_CONTINUATIONS, isResource);
}

/**
 * Is this callback run by an array iteration method (`items.forEach(fn)`, `keys.map(async (k) => …)`)? It runs
 * during the call, as part of the code around it (an async one starts there and continues like code after an
 * `await`): a loop written as a callback, not a listener that can run at an arbitrary later time.
 */
export function isSynchronousIteration(role: CallbackRole, isResource: (receiver: TSESTree.Node) => boolean): boolean {
  return isCallbackOf(role, SYNCHRONOUS_ITERATION, isResource) || isArrayFromMapper(role);
}

/** `Array.from(items, (x, i) => …)` (also a typed array's `from`): its map function runs during the call. */
function isArrayFromMapper(role: CallbackRole): boolean {
  if (role.via !== 'callback') return false;
  const member = calleeMember(role.call);
  const object = member ? unwrap(member.object) : undefined;
  return !!member && propertyName(member) === 'from' && object?.type === AST_NODE_TYPES.Identifier && ARRAY_CLASS.test(object.name) && role.call.arguments.length >= 2;
}

/** `Array` and the typed arrays' classes. */
const ARRAY_CLASS = /^(Array|(Big)?(Int|Uint|Float)(8|16|32|64)(Clamped)?Array)$/;

/** A callback given to a method named in `methods`, called on a receiver that is not a tracked resource. */
function isCallbackOf(role: CallbackRole, methods: ReadonlySet<string>, isResource: (receiver: TSESTree.Node) => boolean): boolean {
  if (role.via !== 'callback') return false;
  const member = calleeMember(role.call);
  const name = member ? propertyName(member) : undefined;
  return !!member && name !== undefined && methods.has(name) && !isResource(member.object);
}
