import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import {
  calleeName,
  climbValue,
  propertyName,
  stringValue,
  unwrap,
} from '../engine/ast';
import {
  EVENT_TARGET_METHOD,
  LISTENER_METHODS,
  ONCE_LISTENER_METHODS,
  ONE_TIME_EVENTS,
  TERMINAL_EVENTS,
} from '../kinds/vocabulary';
import type { ResourceKind } from '../kinds/kind';

export const TIMER_NAMES = new Set(['setTimeout', 'setInterval']);

/** Role of a function in an emitter/timer call: `x.on('close', fn)`, `setInterval(fn)`, … */
export interface CallbackRole {
  via: 'listener' | 'timer' | 'callback';
  once: boolean;
  event?: string;
  /** The emitter expression for listeners. */
  emitter?: TSESTree.Node;
  /** For timers: the expression that stores the handle (`const t = setInterval(...)`). */
  handle?: TSESTree.Node;
  timer?: string;
  call: TSESTree.CallExpression;
}

/**
 * The emitter a chain of listener registrations starts from: `s.on('error', a).on('data', b)` registers `b` on `s`
 * (`on()` and its kin return the emitter).
 */
function chainRoot(node: TSESTree.Node): TSESTree.Node {
  let n = node;
  for (let i = 0; i < 32; i++) {
    const u = unwrap(n);
    if (u.type !== AST_NODE_TYPES.CallExpression) return n;
    const callee = unwrap(u.callee);
    const name = callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
    if (callee.type !== AST_NODE_TYPES.MemberExpression || name === undefined || !LISTENER_METHODS.has(name)) return n;
    n = callee.object;
  }
  return n;
}

export function callbackRole(fn: TSESTree.Node): CallbackRole | undefined {
  const value = climbValue(fn);
  const call = value.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(value as TSESTree.CallExpressionArgument)) return undefined;
  const callee = unwrap(call.callee);
  const name = calleeName(call);
  if (name && TIMER_NAMES.has(name) && call.arguments[0] === value) {
    const holder = climbValue(call).parent;
    let handle: TSESTree.Node | undefined;
    if (holder?.type === AST_NODE_TYPES.VariableDeclarator) handle = holder.id;
    else if (holder?.type === AST_NODE_TYPES.AssignmentExpression) handle = holder.left;
    return { via: 'timer', once: name === 'setTimeout', timer: name, handle, call };
  }
  if (callee.type === AST_NODE_TYPES.MemberExpression && name && LISTENER_METHODS.has(name)) {
    return {
      via: 'listener',
      once: ONCE_LISTENER_METHODS.has(name),
      event: stringValue(call.arguments[0]),
      emitter: chainRoot(callee.object),
      call,
    };
  }
  if (callee.type === AST_NODE_TYPES.MemberExpression && name === EVENT_TARGET_METHOD) {
    return { via: 'listener', once: false, event: stringValue(call.arguments[0]), emitter: callee.object, call };
  }
  return { via: 'callback', once: true, call };
}

/**
 * Does a listener of `event` on `emitter` run at most once, even registered with `on()`: an event fired once per
 * connection (`'connect'`, `'ready'`…) on a resource that does not reconnect by itself, which runs it once per
 * connection it is asked for?
 */
export function firesOnce(m: { kindOfValue(node: TSESTree.Node): ResourceKind | undefined }, event: string | undefined, emitter: TSESTree.Node | undefined): boolean {
  const kind = event !== undefined && ONE_TIME_EVENTS.has(event) && emitter ? m.kindOfValue(emitter) : undefined;
  // `this.on('ready', this.onReady.bind(this))` of an emitter that is no resource (an ioBroker adapter, an app): its
  // start-up, once.
  if (!kind && event === LIFECYCLE_READY && emitter) return true;
  return !!kind && !kind.reconnects;
}

/** The start-up event of an emitter that is no resource: emitted once, when it is ready. */
const LIFECYCLE_READY = 'ready';

export function isTerminalListener(fn: TSESTree.Node | undefined): boolean {
  if (!fn) return false;
  const role = callbackRole(fn);
  return role?.via === 'listener' && role.event !== undefined && TERMINAL_EVENTS.has(role.event);
}

export function isCallArgument(node: TSESTree.Node): boolean {
  const value = climbValue(node);
  const p = value.parent;
  return (
    !!p &&
    (p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) &&
    p.arguments.includes(value as TSESTree.CallExpressionArgument)
  );
}

export function describeRole(role: CallbackRole | undefined): string {
  if (!role) return 'a callback';
  if (role.via === 'timer') return withArticle(`${role.timer ?? 'timer'} callback`);
  if (role.via === 'listener') return withArticle(`'${role.event ?? 'event'}' listener`);
  return 'a callback';
}

/** `a 'data' listener`, `an 'update' listener`: the indefinite article by the first letter. */
export function withArticle(text: string): string {
  return /^['"`]?[aeiou]/i.test(text) ? `an ${text}` : `a ${text}`;
}
