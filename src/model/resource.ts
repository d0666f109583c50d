import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import {
  climbValue,
  contains,
  enclosingFunction,
  thisClass,
  thisMemberName,
  type FunctionNode,
} from '../engine/ast';
import type { ResourceKind } from '../kinds/kind';
import { PROMISE_CONTINUATIONS } from '../kinds/vocabulary';
import type { FunctionFlow } from '../engine/flow';
import type { ClassNode, Variable } from './bindings';


export type KillWhy = 'release' | 'escape' | 'delegate' | 'using' | 'container';

export type Op =
  /** `idle`: it holds nothing until it is first used ({@link ResourceKind.createdIdle}). */
  | { t: 'create'; idle?: boolean }
  /**
   * First used here (or maybe): an idle resource holds something from now on. `at`: the use itself, inside a function
   * created here (the op sits where that function is created: it may run at once).
   */
  | { t: 'open'; at?: TSESTree.Node }
  | { t: 'kill'; why: KillWhy; success?: boolean }
  /** The variable is given another value; `emptied`: the local collection of that name is emptied. */
  | { t: 'overwrite'; emptied?: string };

export interface Registration {
  /** Event name for listeners; method name for operation callbacks; timer name for timers. */
  readonly event: string | undefined;
  readonly fnNode: TSESTree.Node;
  readonly fn: FunctionNode | undefined;
  readonly once: boolean;
  readonly via: 'listener' | 'callback' | 'timer' | 'other';
  readonly call: TSESTree.Node;
}

export interface Resource {
  readonly id: number;
  readonly kind: ResourceKind;
  /** The creation call/new: where `leak` is reported. */
  readonly report: TSESTree.CallExpression | TSESTree.NewExpression;
  /**
   * Where the resource comes into being in `flow`, when that is not `report`: the resource parameter of the callback
   * that a callback creation (`pool.connect((err, client, done) => …)`) hands it to.
   */
  readonly start?: TSESTree.Node;
  /** The error parameter of that callback: when it is set, no resource was handed over. */
  readonly errorParam?: Variable;
  /** Flow that evaluates the creation. */
  readonly flow: FunctionFlow;
  /** The function (or program/class field) that owns the resource. */
  readonly ownerNode: TSESTree.Node;
  readonly aliases: Set<Variable>;
  readonly containers: Set<Variable>;
  /** Locals holding a handle of the resource ({@link ResourceKind.handles}: `const db = client.db('app')`). */
  readonly handles: Set<Variable>;
  /** Locals of object literals that hold the resource, with the property that holds it (`const ctx = { client }`). */
  readonly holders: Map<Variable, string>;
  readonly ops: Map<TSESTree.Node, Op[]>;
  readonly registrations: Registration[];
  /** What arms an idle timeout without a listener: `setTimeout(ms)` calls, the creation's `timeout` option property. */
  readonly idleTimeouts: Array<TSESTree.CallExpression | TSESTree.Property>;
  /** Settle functions (resolve/reject of an executor, a callback parameter) when the socket is handed to the caller by one of them. */
  readonly settleFns: Set<Variable>;
  successHandoff: boolean;
  discarded: boolean;
  /**
   * Not checked: a server with a handler (serves for the life of the process), a module-scope resource, a wrapper
   * over a socket the function does not own (released with it by that socket's owner).
   */
  exempt: 'server-handler' | 'module' | 'borrowed-wrapper' | 'mistyped' | 'never-opened' | 'settles-on-close' | 'expected-to-throw' | 'mocked' | undefined;
  /**
   * Kept in a field of a class with one instance for the life of the process (a singleton), or in a static field of a
   * class: the field need not be released (unless `checkModuleScope`), but the paths before the store are checked as
   * any others.
   */
  fieldForLife?: boolean;
  /**
   * Made once, for the life of the process, by a continuation at the top of a module (`connect(url).then((c) => …)`):
   * a path that ends with it open is fine; an exit by a rejection that the chain takes is still a leak (unless
   * `checkModuleScope`, which checks every path).
   */
  keptForProcess?: boolean;
  disposed: boolean;
  field: { name: string; cls: ClassNode; assign: TSESTree.Node } | undefined;
  /** Does this function (or a local function it calls) release or hand off the resource on some path? */
  releasesInside: (fn: FunctionNode) => boolean;
  outerStore: { variable: Variable; assign: TSESTree.AssignmentExpression } | undefined;
  /** Made by a helper that returns it in this property of an object, which the caller's destructuring leaves out. */
  droppedProperty?: string;
  /** Made by a call whose promise is continued by a `.then()` function that takes no parameter: dropped there. */
  droppedByThen?: boolean;
  /**
   * A listener of its close event that opens it again (or makes the next one), and the functions that reconnect goes
   * through (the listener, the local functions and methods it calls or hands on): set when that exempts it.
   */
  reconnect?: { listener: Registration; functions: ReadonlySet<TSESTree.Node> };
  /** The creating call is a method called on a variable (`conn.createChannel()`, `pool.connect()`): which, on which. */
  readonly madeBy: { readonly method: string; readonly receiver: TSESTree.Identifier; readonly variable: Variable } | undefined;
}

export function addOp(r: Resource, node: TSESTree.Node, op: Op): void {
  let list = r.ops.get(node);
  if (!list) {
    list = [];
    r.ops.set(node, list);
  }
  list.push(op);
}

export function kill(r: Resource, node: TSESTree.Node, why: KillWhy, success = false): void {
  addOp(r, node, { t: 'kill', why, success });
}

/** Does `node` contain a reference of one of the resource's aliases? */
export function mentionsResource(r: Resource, node: TSESTree.Node): boolean {
  for (const v of r.aliases) if (v.references.some((ref) => contains(node, ref.identifier))) return true;
  return false;
}

/** `this.<name>` of the field that holds a resource, in that field's class (through casts and `!` too). */
export function isFieldMember(field: Resource['field'], node: TSESTree.Node): boolean {
  return !!field && thisMemberName(node) === field.name && thisClass(node) === field.cls;
}

/**
 * Is `call` (a call of method `name` on one of the resource's aliases) a creating method whose made resource its
 * creator's release also releases ({@link ResourceKind.releasesCreated}), returned un-awaited by the owning function
 * (`return conn.createChannel()`, or the body of an owning arrow function `(conn) => conn.createChannel()`)?
 */
export function returnedCreatingCall(r: Resource, call: TSESTree.CallExpression, name: string): boolean {
  return returnsCreated(r, call, name) && !feedsNextContinuation(r.ownerNode);
}

/** Is `call`, a call of one of the creator kind's `releasesCreated` methods on `r`, what `r`'s owning function returns? */
function returnsCreated(r: Resource, call: TSESTree.CallExpression, name: string): boolean {
  if (!r.kind.releasesCreated?.has(name) || r.kind.createdHidesCreator) return false;
  const value = climbValue(call);
  const p = value.parent;
  return p?.type === AST_NODE_TYPES.ReturnStatement ? enclosingFunction(p) === r.ownerNode : p?.type === AST_NODE_TYPES.ArrowFunctionExpression && p === r.ownerNode && p.body === value;
}

/**
 * `.then((conn) => conn.createChannel()).then((ch) => …)`: what a continuation owning `r` returns made by `r` (`call`,
 * one of its `releasesCreated` methods) goes to the next continuation's callback: that callback's parameter.
 */
export function createdForNextContinuation(r: Resource, call: TSESTree.CallExpression, name: string): TSESTree.Identifier | undefined {
  if (!returnsCreated(r, call, name) || !feedsNextContinuation(r.ownerNode)) return undefined;
  const next = climbValue(r.ownerNode.parent as TSESTree.Node).parent as TSESTree.MemberExpression;
  const nextCall = next.parent;
  if (nextCall?.type !== AST_NODE_TYPES.CallExpression || nextCall.callee !== next || next.property.type !== AST_NODE_TYPES.Identifier || next.property.name !== 'then') return undefined;
  const fn = nextCall.arguments[0];
  const param = fn && (fn.type === AST_NODE_TYPES.FunctionExpression || fn.type === AST_NODE_TYPES.ArrowFunctionExpression) ? fn.params[0] : undefined;
  return param?.type === AST_NODE_TYPES.Identifier ? param : undefined;
}

/**
 * Is `fn` the callback of a promise continuation whose own promise is continued again (`.then((conn) => …)
 * .then((ch) => …)`)? What `fn` returns then goes to the next callback, not to whoever holds the chain.
 */
function feedsNextContinuation(fn: TSESTree.Node): boolean {
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return false;
  const callee = call.callee.type === AST_NODE_TYPES.MemberExpression ? call.callee : undefined;
  if (!callee || callee.property.type !== AST_NODE_TYPES.Identifier || !PROMISE_CONTINUATIONS.has(callee.property.name)) return false;
  const next = climbValue(call).parent;
  return next?.type === AST_NODE_TYPES.MemberExpression && next.object === climbValue(call);
}
