import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import {
  calleeName,
  climbValue,
  isRequireCall,
  keyName,
  propertyName,
  stringValue,
  thisClass,
  thisMemberName,
  unwrap,
} from '../engine/ast';
import {
  EVENT_TARGET_METHOD,
  LISTENER_METHODS,
  ONCE_LISTENER_METHODS,
  ONE_TIME_EVENTS,
  TERMINAL_EVENTS,
  TIMER_NAMES,
} from '../kinds/vocabulary';
import type { ResourceKind } from '../kinds/kind';

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
  // `finished(socket, cb)`, `pipeline(a, socket, cb)` of node:stream: the callback runs once, when the stream (every
  // stream of the pipeline) has ended, closed or failed — a close listener of it.
  if (name && STREAM_END_HELPERS.has(name) && call.arguments[call.arguments.length - 1] === value && call.arguments.length >= 2 && importedFromStream(callee, name)) {
    const streams = name === 'finished' ? call.arguments.slice(0, 1) : call.arguments.slice(0, -1);
    const emitter = streams.find((a) => { const u = unwrap(a); return u.type !== AST_NODE_TYPES.CallExpression && u.type !== AST_NODE_TYPES.NewExpression; }) ?? streams[0];
    return { via: 'listener', once: true, event: 'close', emitter, call };
  }
  // `tasks.push((cb) => …)` into a local array made by a literal (`const tasks = []`): stored as in `[(cb) => …]`, no
  // registration (the array goes to whatever runs it, as an array literal does).
  if (callee.type === AST_NODE_TYPES.MemberExpression && (name === 'push' || name === 'unshift') && isLocalArrayLiteral(unwrap(callee.object))) return undefined;
  return forwardedListener(call, value) ?? { via: 'callback', once: true, call };
}

/** A name declared, in a block or function body around it, by `const`/`let` with an array literal (`const tasks = []`). */
function isLocalArrayLiteral(n: TSESTree.Node): boolean {
  if (n.type !== AST_NODE_TYPES.Identifier) return false;
  for (let p: TSESTree.Node | undefined = n.parent; p; p = p.parent) {
    if (p.type !== AST_NODE_TYPES.BlockStatement) continue;
    for (const st of p.body) {
      if (st.type !== AST_NODE_TYPES.VariableDeclaration || st.kind === 'var') continue;
      for (const d of st.declarations) {
        if (d.id.type === AST_NODE_TYPES.Identifier && d.id.name === n.name) return !!d.init && unwrap(d.init).type === AST_NODE_TYPES.ArrayExpression;
      }
    }
  }
  return false;
}

/** node:stream's functions that call back once a stream is done (the callback form). */
const STREAM_END_HELPERS = new Set(['finished', 'pipeline']);
const STREAM_MODULES = new Set(['stream', 'node:stream']);

/**
 * Is `callee` node:stream's own `name`: a named import of it (`import { finished } from 'node:stream'`, or
 * destructured from `require('stream')`), or a member of the module's namespace or default import (`stream.finished`)?
 */
function importedFromStream(callee: TSESTree.Node, name: string): boolean {
  const local = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.Identifier ? callee.object.name : undefined;
  if (local === undefined) return false;
  let program: TSESTree.Node = callee;
  while (program.parent) program = program.parent;
  if (program.type !== AST_NODE_TYPES.Program) return false;
  const named = callee.type === AST_NODE_TYPES.Identifier;
  for (const st of program.body) {
    if (st.type === AST_NODE_TYPES.ImportDeclaration && STREAM_MODULES.has(String(st.source.value))) {
      for (const spec of st.specifiers) {
        if (spec.local.name !== local) continue;
        if (named) return spec.type === AST_NODE_TYPES.ImportSpecifier && keyName(spec.imported) === name;
        return spec.type !== AST_NODE_TYPES.ImportSpecifier;
      }
    } else if (st.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const d of st.declarations) {
        const init = d.init ? unwrap(d.init) : undefined;
        const required = isRequireCall(init) && STREAM_MODULES.has(String(stringValue(init.arguments[0])));
        if (!required) continue;
        if (!named && d.id.type === AST_NODE_TYPES.Identifier && d.id.name === local) return true;
        if (named && d.id.type === AST_NODE_TYPES.ObjectPattern) {
          for (const prop of d.id.properties) {
            if (prop.type === AST_NODE_TYPES.Property && prop.value.type === AST_NODE_TYPES.Identifier && prop.value.name === local) return keyName(prop.key) === name;
          }
        }
      }
    }
  }
  return false;
}

/**
 * `this.onConnect(() => …)` where the class's `onConnect(cb) { this.client?.on('connect', cb); }` only registers its
 * parameter as a listener of an emitter of the object's own: the function is that listener.
 */
function forwardedListener(call: TSESTree.CallExpression, value: TSESTree.Node): CallbackRole | undefined {
  const callee = unwrap(call.callee);
  const name = callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.ThisExpression ? propertyName(callee) : undefined;
  const cls = name === undefined ? undefined : thisClass(callee);
  if (!cls || name === undefined) return undefined;
  const index = call.arguments.indexOf(value as TSESTree.CallExpressionArgument);
  for (const member of cls.body.body) {
    if (member.type !== AST_NODE_TYPES.MethodDefinition || member.kind !== 'method' || member.static || keyName(member.key) !== name) continue;
    const param = member.value.params[index];
    const body = member.value.body?.body;
    const only = body?.length === 1 && body[0]?.type === AST_NODE_TYPES.ExpressionStatement ? unwrap(body[0].expression) : undefined;
    if (param?.type !== AST_NODE_TYPES.Identifier || only?.type !== AST_NODE_TYPES.CallExpression) return undefined;
    const registrar = unwrap(only.callee);
    const method = registrar.type === AST_NODE_TYPES.MemberExpression ? propertyName(registrar) : undefined;
    const listener = only.arguments[1];
    if (registrar.type !== AST_NODE_TYPES.MemberExpression || method === undefined || !LISTENER_METHODS.has(method)) return undefined;
    if (listener?.type !== AST_NODE_TYPES.Identifier || listener.name !== param.name || thisMemberName(unwrap(registrar.object)) === undefined) return undefined;
    return { via: 'listener', once: ONCE_LISTENER_METHODS.has(method), event: stringValue(only.arguments[0]), emitter: chainRoot(registrar.object), call };
  }
  return undefined;
}

/**
 * Does a listener of `event` on `emitter` run at most once, even registered with `on()`: an event fired once per
 * connection (`'connect'`, `'ready'`…) on a resource that does not reconnect by itself, which runs it once per
 * connection it is asked for?
 */
export function firesOnce(m: { kindOfValue(node: TSESTree.Node): ResourceKind | undefined }, event: string | undefined, emitter: TSESTree.Node | undefined): boolean {
  const kind = event !== undefined && ONE_TIME_EVENTS.has(event) && emitter ? m.kindOfValue(emitter) : undefined;
  // `this.on('ready', this.onReady.bind(this))` of an emitter that is no resource (an ioBroker adapter, an app): its
  // start-up, once; so are an untyped server's `'listening'` (once per `listen()`), a host's start-up and end (`api.on('didFinishLaunching', …)`, `'shutdown'`), a process's
  // or child's `'exit'` and an AbortSignal's `'abort'`.
  if (!kind && event !== undefined && LIFECYCLE_ONCE.has(event) && emitter) return true;
  return !!kind && !kind.reconnects;
}

/** Events that an emitter that is no resource fires once: its start-up (or listening), its host's start-up and end, an exit, an abort. */
const LIFECYCLE_ONCE = new Set(['ready', 'didFinishLaunching', 'shutdown', 'exit', 'abort', 'listening']);

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

/** The functions of test runners (mocha, jest, vitest, node:test, tape, ava) that run one test case. */
const TEST_CASES = new Set(['it', 'test', 'specify']);

/** The hooks of test runners that run between the test cases of their block: before and after each one. */
const BETWEEN_TESTS_HOOKS = new Set(['beforeEach', 'afterEach']);

/** Every hook of test runners (a hook is no test case, even when named on the test function: `test.before(fn)`). */
const TEST_HOOKS = new Set([...BETWEEN_TESTS_HOOKS, 'before', 'after', 'beforeAll', 'afterAll']);

/** `it('name', fn)`, `test.only('name', fn)`, `t.test('name', fn)`: a call that runs its function as one test case. */
export function isTestCase(call: TSESTree.Node): boolean {
  if (!testRunnerCall(call, TEST_CASES)) return false;
  // `test.afterEach(fn)`, `test.before(fn)`: node:test's and ava's hooks, named on the test function.
  const callee = unwrap((call as TSESTree.CallExpression).callee);
  const name = callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
  return name === undefined || !TEST_HOOKS.has(name);
}

/** `afterEach(fn)`, `test.beforeEach(fn)`, `t.afterEach(fn)`: a hook whose function runs between test cases. */
export function isBetweenTestsHook(call: TSESTree.Node): boolean {
  return testRunnerCall(call, BETWEEN_TESTS_HOOKS);
}

function testRunnerCall(call: TSESTree.Node, names: ReadonlySet<string>): boolean {
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return names.has(callee.name);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
  const object = unwrap(callee.object);
  const name = propertyName(callee);
  // `it.only(…)`, `test.skip(…)`, or tape's and node:test's `t.test(…)`, `test.afterEach(…)`.
  return (object.type === AST_NODE_TYPES.Identifier && names.has(object.name)) || (name !== undefined && names.has(name));
}
