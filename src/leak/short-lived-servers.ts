import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { calleeName, contains, dottedName, isGlobalConsole, enclosingFunction, hasOwnNode, isFunction, line, ownReturns, methodCallOn, propertyName, statementList, unwrap, walkAst } from '../engine/ast';
import { Mode, modeAfterSegment, replay, solveForward, type ForwardProblem } from '../engine/flow';
import type { FileModel } from '../model/file-model';
import { isExecutor } from '../model/bindings';
import { provesNoResource } from '../model/guards';
import { mentionsResource, type Resource } from '../model/resource';
import type { Detail } from './leak';

const THROW: ReadonlySet<string> = new Set([AST_NODE_TYPES.ThrowStatement]);

/** Promise-returning timers: they reject only when aborted. */
const TIMER_CALLS = new Set(['setTimeout', 'setImmediate', 'wait', 'sleep', 'delay']);

/** null — closed or handed off; `idle` — created, not yet listening; `live` — listening. */
type ServerState = null | 'idle' | 'live';
const RANK = { idle: 1, live: 2 } as const;

/**
 * A server with a request handler serves for the life of the process — unless the function that creates it also
 * closes it (in its own code or in a handler): then it is a short-lived server (a login callback, a test server),
 * and an exit by rejection or throw while it listens, before anything closes or hands it off, leaks it. The
 * handler's own close does not cover those exits: once the function has failed, no request comes.
 */
export function shortLivedServerDetails(m: FileModel, r: Resource): Detail[] {
  const handlers = new Set<TSESTree.Node>([r.report]);
  const handlerFns: TSESTree.Node[] = [];
  for (const reg of r.registrations) {
    const handles =
      (reg.via === 'listener' && reg.event !== undefined && r.kind.serverHandlerEvents?.has(reg.event)) ||
      (reg.via === 'callback' && reg.event !== undefined && !!r.kind.handlerMethods?.has(reg.event)) ||
      reg.call === r.report;
    if (!handles) continue;
    handlers.add(reg.call);
    if (reg.fn) handlerFns.push(reg.fn);
  }
  // Closed by the function itself, or by its request handler (after one request). A close in a signal handler,
  // an 'error' listener or a timer is a long-lived server's shutdown, not a short life.
  const closesItself = [...r.ops].some(
    ([node, ops]) =>
      ops.some((o) => o.t === 'kill' && o.why === 'release') && (enclosingFunction(node) === r.ownerNode || handlerFns.some((fn) => contains(fn, node))),
  );
  if (!closesItself) return [];
  // The calls that make it listen (the kind's reopening methods: `listen()`).
  const listens: TSESTree.Node[] = [];
  const sites: TSESTree.Node[] = [r.report, ...[...r.aliases].flatMap((v) => v.references.map((ref) => ref.identifier))];
  for (const site of sites) {
    const mc = methodCallOn(site);
    if (mc && r.kind.reopens.has(mc.name)) listens.push(mc.call);
  }
  const problem: ForwardProblem<ServerState> = {
    entry: null,
    transfer(state, node) {
      let s = state;
      for (const op of r.ops.get(node) ?? []) {
        if (op.t === 'open') continue;
        if (op.t === 'create') s = r.kind.reopens.size > 0 ? 'idle' : 'live';
        else if (op.t === 'kill' && op.why === 'delegate' && handlers.has(node)) continue;
        else s = null;
      }
      // Listening here, or in a function created here (`new Promise((resolve) => server.listen(port, resolve))`).
      if (s === 'idle' && listens.some((call) => call === node || (isFunction(node) && contains(node, call)))) s = 'live';
      return s;
    },
    join(existing, incoming) {
      const a = existing === undefined ? -1 : existing === null ? 0 : RANK[existing];
      const b = incoming === null ? 0 : RANK[incoming];
      return b > a ? incoming : undefined;
    },
    edge(state, branch) {
      return state !== null && provesNoResource(branch.test, branch.value, r) ? null : state;
    },
  };
  const flow = r.flow;
  const result = solveForward(flow, problem);
  const out: Detail[] = [];
  replay(flow, problem, result, (state, node) => {
    if (state !== 'live' || node.type !== AST_NODE_TYPES.AwaitExpression) return;
    if (handledByTry(node, r.ownerNode) || mentionsResource(r, node.argument) || !mayReject(m, node.argument)) return;
    // `const ch = await makeChannel()`: when the creation itself rejects, there is nothing to release.
    if ([...r.ops].some(([at, ops]) => contains(node.argument, at) && ops.some((o) => o.t === 'create'))) return;
    const call = unwrap(node.argument);
    const what = call.type === AST_NODE_TYPES.CallExpression ? `${calleeName(call) ?? 'the call'}()` : 'the awaited promise';
    out.push({ rank: 2, text: `when ${what} at line ${line(node)} rejects` });
  });
  out.push(...settledByHandler(m, r, handlerFns));
  // Explicit throws that leave the function while it listens.
  const thrown = new Set(flow.codePath.thrownSegments.map((s) => s.id));
  for (const seg of flow.codePath.finalSegments) {
    if (!thrown.has(seg.id)) continue;
    for (const [mode, state] of result.outByMode.get(seg.id) ?? []) {
      if (state !== 'live' || modeAfterSegment(flow, seg, mode) !== Mode.Throwing) continue;
      const events = flow.events.get(seg.id) ?? [];
      const last = events[events.length - 1];
      out.push({ rank: 3, text: last?.type === AST_NODE_TYPES.ThrowStatement ? `on the path that throws at line ${line(last)}` : 'on the path that throws' });
    }
  }
  return out;
}

/**
 * A short-lived server made in a Promise executor whose request handler settles that promise (`resolve(code)`,
 * `reject(err)`) on a path that does not close it: once settled, the caller goes on and nothing will close the server,
 * which keeps listening (and keeps the process alive). A close in the statement lists around the settle, before or
 * after it, in the handler's own code or in a callback armed there (`setTimeout(() => server.close(), 3000)`), counts.
 */
function settledByHandler(m: FileModel, r: Resource, handlerFns: readonly TSESTree.Node[]): Detail[] {
  const owner = r.ownerNode;
  if (!isExecutor(owner)) return [];
  const settlers = owner.params.slice(0, 2).flatMap((p) => (p.type === AST_NODE_TYPES.Identifier ? [m.varOf.get(p)] : [])).filter((v) => !!v);
  if (settlers.length === 0) return [];
  const releases = [...r.ops].filter(([, ops]) => ops.some((o) => o.t === 'kill' && o.why === 'release')).map(([n]) => n);
  const out: Detail[] = [];
  for (const fn of handlerFns) {
    if (!isFunction(fn)) continue;
    walkAst(fn.body, m.sourceCode.visitorKeys, (n) => {
      if (isFunction(n)) return 'skip';
      if (n.type !== AST_NODE_TYPES.CallExpression || n.callee.type !== AST_NODE_TYPES.Identifier) return false;
      const v = m.varOf.get(n.callee);
      if (!v || !settlers.includes(v) || n.arguments.some((a) => mentionsResource(r, a))) return false;
      let closed = false;
      let child: TSESTree.Node = n;
      for (let p: TSESTree.Node | undefined = n.parent; p && p !== fn && !closed; p = p.parent) {
        const list = statementList(p);
        const inside = child;
        closed = !!list?.some((st) => st !== inside && releases.some((x) => contains(st, x)));
        child = p;
      }
      if (!closed) out.push({ rank: 3, text: `when its request handler settles the promise at line ${line(n)} (${n.callee.name}()) without closing it (it keeps listening)` });
      return false;
    });
  }
  return out;
}

/** Is there a `try` with a `catch` or `finally` around `node`, inside the owning function? */
function handledByTry(node: TSESTree.Node, owner: TSESTree.Node): boolean {
  let child: TSESTree.Node = node;
  for (let p = node.parent; p && p !== owner; child = p, p = p.parent) {
    if (p.type === AST_NODE_TYPES.TryStatement && p.block === child) return true;
  }
  return false;
}

/**
 * Can this awaited value reject? Not a `new Promise` whose executor takes no `reject` (or never reads it), nor a promise-returning
 * timer; a variable is judged by its initialiser.
 */
function mayReject(m: FileModel, arg: TSESTree.Node): boolean {
  let u = unwrap(arg);
  if (u.type === AST_NODE_TYPES.Identifier) {
    const def = m.varOf.get(u)?.defs[0]?.node;
    if (def?.type === AST_NODE_TYPES.VariableDeclarator && def.init) u = unwrap(def.init);
  }
  if (u.type === AST_NODE_TYPES.NewExpression && u.callee.type === AST_NODE_TYPES.Identifier && u.callee.name === 'Promise') {
    return !neverRejects(m, u);
  }
  if (u.type === AST_NODE_TYPES.CallExpression) {
    const name = calleeName(u);
    if (name && TIMER_CALLS.has(name)) return false;
    // `work().catch(() => undefined)`: a rejection handler that cannot throw takes every failure.
    const callee = unwrap(u.callee);
    if (callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === 'catch' && cannotThrow(m, u.arguments[0])) return false;
    // A function of the file whose body is one `try` whose `catch` does not throw, after guard returns that cannot
    // throw (`if (process.env.CI) return false;`): it takes every failure.
    const fn = m.functionValue(u.callee);
    if (fn?.async && fn.body.type === AST_NODE_TYPES.BlockStatement) {
      const body = fn.body.body;
      const at = body.findIndex((st) => st.type === AST_NODE_TYPES.TryStatement);
      const attempt = body[at];
      const throws = (block: TSESTree.Node): boolean => hasOwnNode(block, fn, THROW, m.sourceCode.visitorKeys);
      if (
        attempt?.type === AST_NODE_TYPES.TryStatement &&
        attempt.handler &&
        !throws(attempt.handler.body) &&
        !(attempt.finalizer && throws(attempt.finalizer)) &&
        body.every((st, i) => i === at || safeReturn(st, i < at))
      ) {
        return false;
      }
    }
    // A function or method of the file, not async, that returns only `Promise.resolve(…)` or promises whose executor
    // never rejects (`return new Promise((resolve) => this.socket.once('drain', resolve))`).
    const local = fn ?? m.methodOf(u.callee);
    if (local && !local.async && !local.generator) {
      const returned = ownReturns(local, m.sourceCode.visitorKeys);
      if (returned.length > 0 && returned.every((value) => neverRejects(m, value))) return false;
    }
    // `await client.handshake()` of a method returning `void`: awaiting what is surely no promise cannot reject.
    if (m.isSurelyNoPromise(u)) return false;
  }
  return true;
}

/** `Promise.resolve(…)`, or `new Promise(executor)` whose executor takes no `reject`, or takes one and never reads it. */
function neverRejects(m: FileModel, value: TSESTree.Node): boolean {
  const u = unwrap(value);
  if (u.type === AST_NODE_TYPES.CallExpression) return dottedName(u.callee) === 'Promise.resolve';
  if (u.type !== AST_NODE_TYPES.NewExpression || u.callee.type !== AST_NODE_TYPES.Identifier || u.callee.name !== 'Promise') return false;
  const executor = u.arguments[0];
  if (!executor || !isFunction(executor)) return false;
  const reject = executor.params[1];
  if (!reject) return true;
  return reject.type === AST_NODE_TYPES.Identifier && (m.varOf.get(reject)?.references.length ?? 1) === 0;
}

/**
 * A statement that cannot throw: `return <value>` of a literal or a name, or (before the `try`, `guard`)
 * `if (<test>) return <value>;` whose test reads only names, literals and `process.env`.
 */
function safeReturn(st: TSESTree.Statement, guard: boolean): boolean {
  const plain = (n: TSESTree.Node | null | undefined): boolean => {
    if (!n) return true;
    const u = unwrap(n);
    if (u.type === AST_NODE_TYPES.Literal || u.type === AST_NODE_TYPES.Identifier) return true;
    if (u.type === AST_NODE_TYPES.MemberExpression) return dottedName(u.object) === 'process.env';
    if (u.type === AST_NODE_TYPES.UnaryExpression) return u.operator === '!' && plain(u.argument);
    if (u.type === AST_NODE_TYPES.LogicalExpression) return plain(u.left) && plain(u.right);
    if (u.type === AST_NODE_TYPES.BinaryExpression) return ['===', '!=='].includes(u.operator) && plain(u.left) && plain(u.right);
    return false;
  };
  const isReturn = (n: TSESTree.Statement | null | undefined): boolean => {
    const r = n?.type === AST_NODE_TYPES.BlockStatement && n.body.length === 1 ? n.body[0] : n;
    return r?.type === AST_NODE_TYPES.ReturnStatement && plain(r.argument);
  };
  if (isReturn(st)) return true;
  return guard && st.type === AST_NODE_TYPES.IfStatement && !st.alternate && plain(st.test) && isReturn(st.consequent);
}

/**
 * A function that surely returns without throwing: its body calls nothing but `console` methods, creates nothing,
 * awaits nothing, throws nothing and reads no property but a `console` method (`() => undefined`, `() => {}`,
 * `(e) => console.error(e)`, `() => null`).
 */
function cannotThrow(m: FileModel, handler: TSESTree.Node | undefined): boolean {
  const fn = handler && unwrap(handler);
  if (!fn || !isFunction(fn)) return false;
  let unsafe = false;
  walkAst(fn.body, m.sourceCode.visitorKeys, (n) => {
    if (n.type === AST_NODE_TYPES.MemberExpression) {
      unsafe = !isGlobalConsole(n.object, m.varOf);
    } else if (n.type === AST_NODE_TYPES.CallExpression) {
      unsafe = unwrap(n.callee).type !== AST_NODE_TYPES.MemberExpression;
    } else {
      unsafe = UNSAFE.has(n.type) || isFunction(n);
    }
    return unsafe;
  });
  return !unsafe;
}

const UNSAFE: ReadonlySet<string> = new Set([
  AST_NODE_TYPES.ThrowStatement,
  AST_NODE_TYPES.NewExpression,
  AST_NODE_TYPES.AwaitExpression,
  AST_NODE_TYPES.YieldExpression,
  AST_NODE_TYPES.TaggedTemplateExpression,
  AST_NODE_TYPES.AssignmentExpression,
  AST_NODE_TYPES.UpdateExpression,
  AST_NODE_TYPES.SpreadElement,
  AST_NODE_TYPES.BinaryExpression,
]);
