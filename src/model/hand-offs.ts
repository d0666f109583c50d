import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import {
  climbValue,
  contains,
  dottedName,
  enclosingFunction,
  isFunction,
  methodCallOn,
  propertyName,
  stringValue,
  unwrap,
  type FunctionNode,
} from '../engine/ast';
import { CONTAINER_ADD, LISTENER_METHODS, ONCE_LISTENER_METHODS, PIPE_METHOD, PIPELINE_CALLEES } from '../kinds/vocabulary';
import { releasedBeforeEvent, type ResourceKind } from '../kinds/kind';
import { callbackRole } from './callbacks';
import { allSettlingCall } from './calls';

/** Calls that wait for an emitter's event: `once(emitter, event)` resolves when it is emitted. */
const EVENT_WAITERS = new Set(['once', 'events.once', 'EventEmitter.once']);
import { isExecutor, neverReassigned, type Variable, type VariableLookup } from './bindings';
import type { FileModel } from './file-model';
import { handOver } from './delegations';
import { kill, type Resource } from './resource';

/** The methods of test-double libraries that replace a method of the object they are given (sinon, jest, vitest). */
const TEST_DOUBLES = new Set(['stub', 'spyOn', 'spy', 'replace', 'mock']);

/**
 * A resource passed as an argument: piped into, handed to `pipeline`, resolved or passed to a callback (handed to
 * the caller on success), released or kept by a local function, added to a local collection, or handed off.
 */
export class HandOffs {
  constructor(private readonly m: FileModel) {}

  /**
   * Is `fn` a method read from a value of the resource's own kind (`shared.get`, `promisify(shared.get)`, or a `const`
   * holding one of those) and not a function of the file?
   */
  private sameKindMethod(r: Resource, fn: TSESTree.Node, depth = 0): boolean {
    const target = promisified(fn);
    if (target.type === AST_NODE_TYPES.Identifier && depth === 0) {
      const v = this.m.varOf.get(target);
      const def = v?.defs[0];
      const init = v && v.defs.length === 1 && def?.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.id === def.name && neverReassigned(v) ? def.node.init : undefined;
      return !!init && this.sameKindMethod(r, unwrap(init), depth + 1);
    }
    if (target.type !== AST_NODE_TYPES.MemberExpression || this.m.methodOf(target) || this.m.thisMethodValue(target)) return false;
    return this.m.kindOfNode(unwrap(target.object)) === r.kind;
  }

  /** The socket (or a literal holding it) is argument `index` of `call`. */
  handle(
    r: Resource,
    call: TSESTree.CallExpression | TSESTree.NewExpression,
    index: number,
    value: TSESTree.Node,
  ): void {
    const node = value;
    if (call.type === AST_NODE_TYPES.NewExpression) {
      // `resolve(new Connection(socket))`: a wrapper handed to the caller on success, the socket with it.
      const outer = climbValue(call);
      const settle = outer.parent;
      if (settle?.type === AST_NODE_TYPES.CallExpression && settle.arguments[0] === outer && settle.callee.type === AST_NODE_TYPES.Identifier) {
        const v = this.m.varOf.get(settle.callee);
        if (v && this.resolvedOnSuccess(r, v, node)) return;
      }
      // `const jobs = new JobRepository(client.db()); …; await client.close()`: the function that makes the object
      // releases the resource itself afterwards — the object only borrows it.
      if (this.releasedLaterByOwner(r, call)) return;
      kill(r, node, 'escape');
      return;
    }
    const callee = unwrap(call.callee);
    const name = dottedName(callee);
    const member = callee.type === AST_NODE_TYPES.MemberExpression ? callee : undefined;
    const method = member ? propertyName(member) : undefined;
    if (method === PIPE_METHOD && index === 0) {
      kill(r, node, 'escape');
      return;
    }
    // `redis.select.bind(redis)`: one of its own methods bound to it — a way to call it, not a new owner (also
    // promisified first: `promisify(redis.get).bind(redis)`).
    if (method === 'bind' && index === 0 && member) {
      const target = promisified(unwrap(member.object));
      const receiver = target.type === AST_NODE_TYPES.MemberExpression ? unwrap(target.object) : undefined;
      const self = unwrap(node);
      const v = self.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(self) : undefined;
      if (v && r.aliases.has(v) && receiver?.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(receiver) === v) {
        // `process.once('SIGINT', con.close.bind(con))`: a release bound to it, a function that releases it.
        const bound = target.type === AST_NODE_TYPES.MemberExpression ? propertyName(target) : undefined;
        if (bound === undefined || !r.kind.releases.has(bound)) return;
        // `const end = con.end.bind(con); return { query, end }`: a constant holding the bound release, which goes
        // wherever the constant is read.
        const holder = climbValue(call).parent;
        if (holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.init === climbValue(call) && holder.id.type === AST_NODE_TYPES.Identifier && holder.parent.kind === 'const') {
          for (const ref of this.m.varOf.get(holder.id)?.references ?? []) if (!ref.init && ref.isRead()) handOver(r, ref.identifier);
        } else handOver(r, call);
        return;
      }
    }
    // `redisGet.call(client, key)` with `const redisGet = shared.get` (or `promisify(shared.get)`): a method of another
    // resource of its kind, run on this one — an operation on it, not a new owner.
    if ((method === 'call' || method === 'apply') && index === 0 && member && this.sameKindMethod(r, unwrap(member.object))) return;
    if (name && PIPELINE_CALLEES.has(name)) {
      kill(r, node, 'escape');
      return;
    }
    // resolve(socket) / callback(null, socket): handed to the caller on success.
    if (callee.type === AST_NODE_TYPES.Identifier) {
      const v = this.m.varOf.get(callee);
      if (v) {
        if (this.resolvedOnSuccess(r, v, node)) return;
        if (this.m.isParameter(v) && !this.m.functionOf(v) && index > 0 && contains(this.paramOwner(v) ?? call, r.report)) {
          r.successHandoff = true;
          r.settleFns.add(v);
          kill(r, node, 'escape', true);
          return;
        }
        const fn = this.m.functionOf(v);
        if (fn) {
          this.passTo(r, fn, index, node);
          return;
        }
      }
    }
    // `this.insertLines(client)`: a method of the same class, looked into like a local function.
    // (Also `helpers.insert(client)`, `Repo.insert(client)`: a function of an object literal or a static method of the file.)
    const own = this.m.thisMethodValue(callee) ?? (member ? this.m.methodOf(member) : undefined);
    if (own) {
      this.passTo(r, own, index, node);
      return;
    }
    if (name && this.m.isNonOwningCallee(callee)) {
      if (index === 0 && EVENT_WAITERS.has(name)) this.awaitsRelease(r, call);
      return;
    }
    // `sinon.stub(client, 'xAdd')`, `sandbox.stub(…)`, `jest.spyOn(client, 'quit')`, `vi.spyOn(…)`: a test double
    // replaces one of its methods; the test still owns it.
    if (method && index === 0 && TEST_DOUBLES.has(method) && call.arguments.length >= 2) return;
    if (method && /^(is|has)[A-Z]/.test(method)) return;
    if (callee.type === AST_NODE_TYPES.Identifier && /^(is|has)[A-Z]/.test(callee.name)) return;
    if (member && method && CONTAINER_ADD.has(method)) {
      const obj = unwrap(member.object);
      const v = obj.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(obj) : undefined;
      if (v && this.m.isLocalTo(v, r.ownerNode) && !this.m.isParameter(v) && this.m.isOwnCollection(v)) {
        r.containers.add(v);
        return;
      }
    }
    if (this.borrowedByOwner(r, call, node)) return;
    kill(r, node, 'escape');
  }

  /**
   * `const result = await func(client); await client.query('COMMIT'); … catch { client.release(); }`: the function
   * that makes the call goes on operating on the resource after it, and releases it afterwards on some path — the
   * call only borrowed it (a transaction helper running its caller's callback). A call that takes the resource over
   * on success (`try { await startSession(c) } catch { c.release(); throw … }`) leaves no operation after it.
   */
  private borrowedByOwner(r: Resource, call: TSESTree.CallExpression, node: TSESTree.Node): boolean {
    const arg = unwrap(node);
    // (Also given in an options literal: `await read({ connection, table })`.)
    const held =
      arg.type === AST_NODE_TYPES.ObjectExpression
        ? arg.properties.map((p) => (p.type === AST_NODE_TYPES.Property ? unwrap(p.value) : undefined)).find((e) => e?.type === AST_NODE_TYPES.Identifier && r.aliases.has(this.m.varOf.get(e) as Variable))
        : arg;
    const v = held?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(held) : undefined;
    const fn = enclosingFunction(call);
    if (!v || !r.aliases.has(v) || !fn || fn !== r.ownerNode) return false;
    let used = false;
    let released = false;
    for (const ref of v.references) {
      const id = ref.identifier;
      if (ref.init || id.range[0] <= call.range[1] || enclosingFunction(id) !== fn) continue;
      if (ref.isWrite()) return false;
      const mc = methodCallOn(climbValue(id));
      if (!mc) continue;
      if (r.kind.releases.has(mc.name)) released = true;
      else if (!LISTENER_METHODS.has(mc.name) && !inCatchOf(id, call)) used = true;
    }
    // `const db = drizzle(con); await migrate(db); await con.end()`: what the call returns, kept and used afterwards,
    // works on the resource (a handle of it).
    if (released && !used) used = !!handleOf(call, this.m.varOf)?.references.some((ref) => !ref.init && ref.identifier.range[0] > call.range[1]);
    return used && released;
  }

  /**
   * Does the function that owns the resource release it itself after this call, in its own code (not in a callback,
   * nor in a `catch` block: a cleanup when the object failed, which takes it over otherwise)?
   */
  private releasedLaterByOwner(r: Resource, call: TSESTree.Node): boolean {
    const fn = enclosingFunction(call);
    if (!fn || fn !== r.ownerNode) return false;
    for (const v of r.aliases) {
      for (const ref of v.references) {
        const id = ref.identifier;
        if (ref.init || id.range[0] <= call.range[1] || enclosingFunction(id) !== fn || inAnyCatch(id)) continue;
        const mc = methodCallOn(climbValue(id));
        if (mc && r.kind.releases.has(mc.name)) return true;
      }
    }
    return false;
  }

  /**
   * `await once(s, 'close')`, or `const closed = once(s, 'close'); …; await closed`: the function goes on past that
   * await only once the socket is released (the event is one after which it is: its close event, or an error event
   * that destroys it), so each such await releases it.
   */
  private awaitsRelease(r: Resource, call: TSESTree.CallExpression | TSESTree.NewExpression): void {
    const event = call.arguments[1];
    if (event?.type !== AST_NODE_TYPES.Literal || typeof event.value !== 'string' || !releasedBeforeEvent(r.kind, event.value)) return;
    this.releasedAtAwaits(r, call);
  }

  /**
   * `await new Promise((resolve) => s.once('close', resolve))`, or `const closed = new Promise((resolve) =>
   * s.once('close', () => resolve())); …; await closed`: a promise that a listener of the socket's own release event
   * resolves, registered by its executor, is awaited as `once(s, 'close')` is. `call` registers the listener (a call, or
   * an `onclose = …` assignment) `listener` for `event` on the resource (`on`, `once`, `addEventListener`).
   */
  awaitsPromisedEvent(r: Resource, call: TSESTree.CallExpression | TSESTree.AssignmentExpression, event: string | undefined, listener: TSESTree.Node): void {
    if (event === undefined || !releasedBeforeEvent(r.kind, event)) return;
    // `req.on('close', reqClose)` where `reqClose` only ever holds the `resolve` of a promise (`reqPromise = new
    // Promise((resolve) => { reqClose = resolve; })`, also set up by a test hook): awaiting that promise waits for it.
    const stored = unwrap(listener);
    const storedVar = stored.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(stored) : undefined;
    const promises = storedVar ? this.storedResolverPromises(storedVar) : undefined;
    if (promises) {
      for (const promise of promises) this.releasedAtAwaits(r, promise, new Set(promises));
      return;
    }
    // A statement of the executor's own body (or its expression body).
    const statement = climbValue(call);
    const holder = statement.parent?.type === AST_NODE_TYPES.ExpressionStatement ? statement.parent.parent : statement.parent;
    const executor = holder?.type === AST_NODE_TYPES.BlockStatement ? holder.parent : holder;
    if (!executor || !isExecutor(executor) || (holder !== executor && executor.body !== holder)) return;
    const param = executor.params[0];
    const resolve = param?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(param) : undefined;
    if (!resolve) return;
    const callsResolve = (n: TSESTree.Node): boolean => {
      const e = unwrap(n.type === AST_NODE_TYPES.ExpressionStatement ? n.expression : n);
      return e.type === AST_NODE_TYPES.CallExpression && e.callee.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(e.callee) === resolve;
    };
    const l = unwrap(listener);
    const resolves =
      (l.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(l) === resolve) ||
      ((l.type === AST_NODE_TYPES.ArrowFunctionExpression || l.type === AST_NODE_TYPES.FunctionExpression) &&
        (l.body.type === AST_NODE_TYPES.BlockStatement ? l.body.body.some(callsResolve) : callsResolve(l.body)));
    if (resolves) this.releasedAtAwaits(r, executor.parent as TSESTree.NewExpression);
  }

  /**
   * The promises whose `resolve` the variable `v` holds: every assignment of it is `v = resolve` as a statement of a
   * Promise executor's own body, `resolve` that executor's first parameter (and it has no initialiser); undefined when
   * anything else is assigned to it.
   */
  private storedResolverPromises(v: Variable): TSESTree.NewExpression[] | undefined {
    const out: TSESTree.NewExpression[] = [];
    for (const ref of v.references) {
      if (!ref.isWrite()) continue;
      const assign = ref.identifier.parent;
      if (ref.init || assign?.type !== AST_NODE_TYPES.AssignmentExpression || assign.operator !== '=' || assign.left !== ref.identifier) return undefined;
      const statement = assign.parent;
      const executor = statement?.type === AST_NODE_TYPES.ExpressionStatement ? statement.parent?.parent : undefined;
      if (!executor || !isExecutor(executor) || executor.body !== statement?.parent) return undefined;
      const param = executor.params[0];
      const value = unwrap(assign.right);
      if (param?.type !== AST_NODE_TYPES.Identifier || value.type !== AST_NODE_TYPES.Identifier || this.m.varOf.get(value) !== this.m.varOf.get(param)) return undefined;
      out.push(executor.parent as TSESTree.NewExpression);
    }
    return out.length > 0 ? out : undefined;
  }

  /**
   * The awaits of `promise` (in place, of the `const` it initialises, or of a variable every assignment of which is
   * such a promise) release the resource: its release event came.
   */
  private releasedAtAwaits(r: Resource, promise: TSESTree.CallExpression | TSESTree.NewExpression, paired?: ReadonlySet<TSESTree.Node>): void {
    const outer = climbValue(promise);
    const p = outer.parent;
    // `await Promise.all([once(ws, 'close'), server.close()])`: all of them are awaited (not `race()` or `any()`).
    const all = p?.type === AST_NODE_TYPES.ArrayExpression ? allSettlingCall(p) : undefined;
    if (all) {
      this.releasedAtAwaits(r, all);
      return;
    }
    if (p?.type === AST_NODE_TYPES.AwaitExpression) {
      kill(r, p, 'release');
      return;
    }
    let holder: Variable | undefined;
    if (p?.type === AST_NODE_TYPES.VariableDeclarator && p.init === outer && p.id.type === AST_NODE_TYPES.Identifier && p.parent.kind === 'const') holder = this.m.varOf.get(p.id);
    // `reqPromise = new Promise(…)` in a hook: a variable only ever given promises of this pairing (see
    // storedResolverPromises), each of them resolved by the same stored listener.
    if (paired && p?.type === AST_NODE_TYPES.AssignmentExpression && p.operator === '=' && p.right === outer && p.left.type === AST_NODE_TYPES.Identifier) {
      const v = this.m.varOf.get(p.left);
      const given = (ref: NonNullable<typeof v>['references'][number]): boolean => {
        const a = ref.identifier.parent;
        return !ref.init && a?.type === AST_NODE_TYPES.AssignmentExpression && a.operator === '=' && paired.has(unwrap(a.right));
      };
      const initialised = v?.defs.some((d) => d.node.type === AST_NODE_TYPES.VariableDeclarator && !!d.node.init);
      if (v && !initialised && v.references.every((ref) => !ref.isWrite() || given(ref))) holder = v;
    }
    if (!holder) return;
    for (const ref of holder.references) {
      let waited = climbValue(ref.identifier);
      // `await Promise.all([closed, other])`: awaited with the others.
      const all = waited.parent?.type === AST_NODE_TYPES.ArrayExpression ? allSettlingCall(waited.parent) : undefined;
      if (all) waited = climbValue(all);
      if (waited.parent?.type === AST_NODE_TYPES.AwaitExpression) kill(r, waited.parent, 'release');
    }
  }

  /** `v` is a promise executor's `resolve`: what `node` gives it goes to the caller on success. */
  private resolvedOnSuccess(r: Resource, v: Variable, node: TSESTree.Node): boolean {
    const ex = this.m.executorOf(v);
    if (ex?.role !== 'resolve') return false;
    this.markSuccess(r, ex.executor, ex.settles);
    kill(r, node, 'escape', true);
    return true;
  }

  /** Passed as argument `index` of a function of this file: what it does with that parameter. */
  private passTo(r: Resource, fn: FunctionNode, index: number, node: TSESTree.Node): void {
    // `createSession({ conn, stream })` whose body returns or stores `extras.conn`: the object's member goes on.
    if (this.keyEscapes(r, fn, index, node)) {
      kill(r, node, 'escape');
      return;
    }
    const effect = this.m.parameterEffect(fn, index);
    if (effect === 'release') kill(r, node, 'release');
    else if (effect === 'escape') kill(r, node, 'escape');
    // Its promise settles only once the socket is released: it holds the socket until then.
    else if (this.settlesOnRelease(r, fn, index)) kill(r, node, 'delegate');
    // `createQueues(channel)` whose body runs `channel.consume(q, onMessage)`: it serves from now on, as it would
    // with the same call in the owner.
    const param = fn.params[index];
    if (param?.type === AST_NODE_TYPES.Identifier && parameterServes(this.m, param, r.kind)) r.exempt ??= 'server-handler';
  }

  /**
   * `node` an object literal holding the resource under a key: does `fn` put that member of its parameter `index`
   * somewhere that outlives the call (`return { conn: extras.conn }`, `this.conn = extras.conn`, `[extras.conn]`)?
   */
  private keyEscapes(r: Resource, fn: FunctionNode, index: number, node: TSESTree.Node): boolean {
    const literal = unwrap(node);
    if (literal.type !== AST_NODE_TYPES.ObjectExpression) return false;
    const keys = new Set<string>();
    for (const prop of literal.properties) {
      if (prop.type !== AST_NODE_TYPES.Property || prop.computed) continue;
      const value = unwrap(prop.value);
      const v = value.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(value) : undefined;
      const key = prop.key.type === AST_NODE_TYPES.Identifier ? prop.key.name : prop.key.type === AST_NODE_TYPES.Literal ? String(prop.key.value) : undefined;
      if (v && r.aliases.has(v) && key !== undefined) keys.add(key);
    }
    const param = fn.params[index];
    const pv = keys.size > 0 && param?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(param) : undefined;
    return (pv?.references ?? []).some((ref) => {
      const member = ref.identifier.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== ref.identifier) return false;
      const name = propertyName(member);
      if (name === undefined || !keys.has(name)) return false;
      const value = climbValue(member);
      const p = value.parent;
      return (
        p?.type === AST_NODE_TYPES.ReturnStatement ||
        (p?.type === AST_NODE_TYPES.Property && p.value === value) ||
        p?.type === AST_NODE_TYPES.ArrayExpression ||
        (p?.type === AST_NODE_TYPES.AssignmentExpression && p.right === value) ||
        (p?.type === AST_NODE_TYPES.ArrowFunctionExpression && p.body === value)
      );
    });
  }

  /**
   * `function repl(s) { …; return new Promise((resolve, reject) => { s.on('error', reject); s.on('end', () =>
   * resolve()); }); }`: a function of the file that returns a promise settled only by listeners of its parameter
   * for events after which the socket is released (its close events, an error event that destroys it).
   */
  private settlesOnRelease(r: Resource, fn: FunctionNode, index: number): boolean {
    const param = fn.params[index];
    const pv = param?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(param) : undefined;
    if (!pv || fn.body.type !== AST_NODE_TYPES.BlockStatement) return false;
    const last = fn.body.body[fn.body.body.length - 1];
    const made = last?.type === AST_NODE_TYPES.ReturnStatement && last.argument ? unwrap(last.argument) : undefined;
    if (made?.type !== AST_NODE_TYPES.NewExpression || made.callee.type !== AST_NODE_TYPES.Identifier || made.callee.name !== 'Promise') return false;
    const executor = made.arguments[0] ? unwrap(made.arguments[0]) : undefined;
    if (!executor || !isFunction(executor)) return false;
    /** For a listener of the parameter: whether its event comes once the socket is released; else undefined. */
    const listensOnParam = (n: TSESTree.Node): boolean | undefined => {
      const role = callbackRole(n);
      return role?.via === 'listener' && role.emitter && this.m.variableOf(role.emitter) === pv ? releasedBeforeEvent(r.kind, role.event) : undefined;
    };
    /** Is `at` (a settle function's reference) given as, or called in, a listener of the parameter for such an event? */
    const onRelease = (at: TSESTree.Node): boolean => {
      const given = listensOnParam(at);
      if (given !== undefined) return given;
      const fn = enclosingFunction(at);
      return !!fn && fn !== executor && (listensOnParam(fn) ?? false);
    };
    let settles = 0;
    for (const p of executor.params) {
      const v = p.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(p) : undefined;
      for (const ref of v?.references ?? []) {
        if (!onRelease(ref.identifier)) return false;
        settles++;
      }
    }
    return settles > 0;
  }

  /** The socket is handed to the caller on success; every other way the operation settles must release it. */
  markSuccess(r: Resource, executor?: FunctionNode, settles?: readonly Variable[]): void {
    r.successHandoff = true;
    if (settles) {
      for (const v of settles) r.settleFns.add(v);
      return;
    }
    let fn: TSESTree.Node | undefined = executor ?? (isFunction(r.ownerNode) ? r.ownerNode : undefined);
    // The nearest enclosing Promise executor.
    while (fn && !executor) {
      if (isFunction(fn) && fn.parent?.type === AST_NODE_TYPES.NewExpression && fn.parent.arguments[0] === fn) {
        const callee = fn.parent.callee;
        if (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'Promise') break;
      }
      fn = fn.parent;
    }
    if (!fn || !isFunction(fn)) return;
    for (const param of fn.params.slice(0, 2)) {
      if (param.type !== AST_NODE_TYPES.Identifier) continue;
      const v = this.m.varOf.get(param);
      if (v) r.settleFns.add(v);
    }
  }

  private paramOwner(v: Variable): TSESTree.Node | undefined {
    const def = v.defs[0];
    return def ? (def.node) : undefined;
  }
}

/**
 * Does the function of this parameter give it a handler, as the owner's own call would make it serve (see
 * `ValueEffects.handleMethodCall`): a function for one of the kind's `handlerMethods` (`channel.consume(q,
 * onMessage)`), or a listener of one of its `serverHandlerEvents` (`sub.on('message', fn)`)?
 */
export function parameterServes(m: FileModel, param: TSESTree.Identifier, kind: ResourceKind): boolean {
  if (!kind.handlerMethods && !kind.serverHandlerEvents) return false;
  return (m.varOf.get(param)?.references ?? []).some((ref) => {
    const mc = methodCallOn(ref.identifier);
    return !!mc && servingHandlers(m, mc, kind).length > 0;
  });
}

/**
 * The handlers this method call gives a resource of `kind` that make it serve: the function for one of its
 * `handlerMethods` (`channel.consume(q, onMessage)`), or a listener (`on`, not `once`) of one of its
 * `serverHandlerEvents` (`sub.on('message', fn)`).
 */
export function servingHandlers(m: FileModel, mc: { call: TSESTree.CallExpression; name: string }, kind: ResourceKind): TSESTree.Node[] {
  if (kind.handlerMethods?.has(mc.name)) return mc.call.arguments.filter((a, i) => m.isHandlerArgument(mc.call, a, i));
  const listener = servingListener(m, mc, kind.serverHandlerEvents);
  return listener ? [listener] : [];
}

/** The function this call registers as a listener (`on`, not `once`) of one of `events`, when it does. */
export function servingListener(m: FileModel, mc: { call: TSESTree.CallExpression; name: string }, events: ReadonlySet<string> | undefined): TSESTree.Node | undefined {
  if (!events || !LISTENER_METHODS.has(mc.name) || ONCE_LISTENER_METHODS.has(mc.name)) return undefined;
  const [event, listener] = mc.call.arguments;
  const name = stringValue(event);
  return name !== undefined && events.has(name) && listener && m.functionValue(listener) ? listener : undefined;
}

/** `promisify(c.get)` (`util.promisify` too): the method it wraps; any other node as it is. */
function promisified(node: TSESTree.Node): TSESTree.Node {
  if (node.type !== AST_NODE_TYPES.CallExpression || node.arguments.length !== 1) return node;
  const callee = unwrap(node.callee);
  const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
  const arg = node.arguments[0];
  return name === 'promisify' && arg.type !== AST_NODE_TYPES.SpreadElement && unwrap(arg).type === AST_NODE_TYPES.MemberExpression ? unwrap(arg) : node;
}

/** Is `node` in the `catch` of a `try` whose block holds `call` (it runs only when something there threw)? */
/** Is the node in a `catch` block of its own function? */
function inAnyCatch(node: TSESTree.Node): boolean {
  for (let p = node.parent; p && !isFunction(p); p = p.parent) if (p.type === AST_NODE_TYPES.CatchClause) return true;
  return false;
}

function inCatchOf(node: TSESTree.Node, call: TSESTree.Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === AST_NODE_TYPES.CatchClause && p.parent.type === AST_NODE_TYPES.TryStatement && contains(p.parent.block, call)) return true;
    if (isFunction(p)) return false;
  }
  return false;
}

/**
 * The local constant that keeps what a call or `new` evaluates to (`const mq = new Queue(pool)`, `const db = await
 * wrap(con)`): a handle of the resources it was given; undefined when the value goes anywhere else.
 */
export function handleOf(call: TSESTree.Node, varOf: VariableLookup): Variable | undefined {
  let value = climbValue(call);
  if (value.parent?.type === AST_NODE_TYPES.AwaitExpression) value = climbValue(value.parent);
  const decl = value.parent;
  if (decl?.type !== AST_NODE_TYPES.VariableDeclarator || decl.init !== value || decl.id.type !== AST_NODE_TYPES.Identifier || decl.parent.kind !== 'const') return undefined;
  return varOf.get(decl.id);
}
