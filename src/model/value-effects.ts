import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import {
  calledAs,
  calleeMember,
  calleeName,
  climbValue,
  dottedName,
  enclosingFunction,
  functionBelow,
  keyName,
  methodCallOn,
  propertyName,
  stringValue,
  thisClass,
  thisMemberName,
  thisOwner,
  unwrap,
} from '../engine/ast';
import { DEFERRING_CALLS, EVENT_TARGET_METHOD, EVENT_TARGET_ONCE_OPTION, LISTENER_METHODS, LISTENER_PROPERTY_PREFIX, ONCE_LISTENER_METHODS, PIPE_METHOD } from '../kinds/vocabulary';
import { EMITTER_METHODS } from '../kinds/kind';
import { meaningOfCall } from './calls';
import type { FileModel, ModelOptions } from './file-model';
import { HandOffs, servingListener } from './hand-offs';
import { addOp, kill, type Resource } from './resource';
import { isExecutor, type Variable } from './bindings';


/** A cast to `any` (`x as any`, `<any>x`). */
function isAnyCast(n: TSESTree.Node): boolean {
  return (n.type === AST_NODE_TYPES.TSAsExpression || n.type === AST_NODE_TYPES.TSTypeAssertion) && n.typeAnnotation.type === AST_NODE_TYPES.TSAnyKeyword;
}

/**
 * `(client as any).connection.stream.destroy()`: a release-named method (of any kind's releases) called at the end of
 * a chain of two or more members read from the resource seen through a cast to `any` — its internals, destroyed
 * behind its typings (a test simulating a crash). The call, or undefined. Read as a release: the code reaches inside
 * the resource to end it, and what it ends is invisible to the types. (A typed chain, `client.connection.end()`, is
 * not: the types say what that member is.)
 */
function untypedInternalRelease(node: TSESTree.Node, value: TSESTree.Node, member: TSESTree.MemberExpression, releases: ReadonlySet<string>): TSESTree.CallExpression | undefined {
  let cast = false;
  for (let n: TSESTree.Node | undefined = node; n && !cast; n = n === value ? undefined : n.parent) cast = isAnyCast(n);
  if (!cast) return undefined;
  let m: TSESTree.MemberExpression = member;
  let members = 1;
  for (;;) {
    const up = climbValue(m);
    const p = up.parent;
    if (p?.type !== AST_NODE_TYPES.MemberExpression || p.object !== up) break;
    m = p;
    members++;
  }
  const call = climbValue(m).parent;
  if (members < 2 || call?.type !== AST_NODE_TYPES.CallExpression || unwrap(call.callee) !== m) return undefined;
  const name = propertyName(m);
  return name !== undefined && releases.has(name) ? call : undefined;
}

/** What happens to a resource where an expression evaluates to it: a method call, an alias, a hand-off. */
export class ValueEffects {
  private readonly handOffs: HandOffs;

  constructor(
    private readonly m: FileModel,
    private readonly options: ModelOptions,
  ) {
    this.handOffs = new HandOffs(m);
  }

  handleValue(r: Resource, node: TSESTree.Node, isCreation: boolean): void {
    const value = climbValue(node);
    // Where a store or a return takes the resource: at the store, or, when the resource is only one alternative of
    // the stored value (`reg.pool = reg.pool || pool`, `return cached ?? conn`), where that alternative is evaluated —
    // on the paths that take it.
    const takenAt = (at: TSESTree.Node): TSESTree.Node => (hasAlternatives(node, value) ? node : at);
    const mc = methodCallOn(value);
    if (mc) {
      this.handleMethodCall(r, mc.call, mc.name, isCreation);
      return;
    }
    const p = value.parent;
    if (!p) return;
    switch (p.type) {
      case AST_NODE_TYPES.VariableDeclarator: {
        if (p.init !== value) return;
        if (p.id.type !== AST_NODE_TYPES.Identifier) return;
        const v = this.m.varOf.get(p.id);
        if (!v) return;
        r.aliases.add(v);
        const decl = p.parent;
        if (decl.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration) kill(r, p, 'escape');
        if (decl.kind === 'using' || decl.kind === 'await using') {
          r.disposed = true;
          kill(r, p, 'using');
        }
        return;
      }
      // `function init(agent = new Agent()) { … }`: the parameter holds the default it is given.
      case AST_NODE_TYPES.AssignmentPattern: {
        if (p.right !== value || p.left.type !== AST_NODE_TYPES.Identifier) return;
        const v = this.m.varOf.get(p.left);
        if (v && this.m.isLocalTo(v, r.ownerNode)) r.aliases.add(v);
        return;
      }
      case AST_NODE_TYPES.AssignmentExpression: {
        if (p.right !== value) return;
        const left = unwrap(p.left);
        if (left.type === AST_NODE_TYPES.Identifier) {
          const v = this.m.varOf.get(left);
          // `client = net.connect(…)` to a name declared nowhere (sloppy-mode JavaScript): a global keeps it.
          if (!v) {
            kill(r, takenAt(p), 'escape', true);
            return;
          }
          if (this.m.isOwnedBy(v, r.ownerNode)) {
            r.aliases.add(v);
          } else {
            r.outerStore ??= { variable: v, assign: p };
            kill(r, takenAt(p), 'escape', true);
          }
          // `this.socket = s = dgram.createSocket()`, `a = b = net.connect()`: the assignment's own value is the
          // resource too, and goes on to its own target.
          if (p.operator === '=') this.handleValue(r, p, false);
          return;
        }
        if (left.type === AST_NODE_TYPES.MemberExpression) {
          const name = thisMemberName(left);
          const cls = name !== undefined ? thisClass(left) : undefined;
          if (this.m.isSetter(left)) {
            // `this.socket = s` through a setter is a call: the setter takes it over.
            kill(r, p, 'escape');
            return;
          }
          if (name !== undefined && cls) {
            if (!r.field) {
              r.field = { name, cls, assign: p };
              // `static get() { if (!this.pool) this.pool = new Pool(); … }`: a field of the class itself, not of an
              // instance — one for the process, as a module's variable is (its overwrites are still checked).
              if (thisOwner(left.object)?.isStatic) r.fieldForLife = true;
            }
            // Stored on success (in a callback): other ways of settling must release it. Stored at once: the
            // object owns it from the start, and resolving without it is fine.
            if (enclosingFunction(p) !== r.ownerNode) this.handOffs.markSuccess(r);
            kill(r, takenAt(p), 'escape', true);
          } else {
            kill(r, takenAt(p), 'escape');
          }
        }
        return;
      }
      case AST_NODE_TYPES.ReturnStatement: {
        // What a listener or timer callback returns goes nowhere (`client.on('connect', () => client.publish(t, m))`).
        const fn = enclosingFunction(p);
        if (fn && fn !== r.ownerNode && returnIgnored(fn)) return;
        kill(r, takenAt(value), 'escape');
        return;
      }
      case AST_NODE_TYPES.YieldExpression:
      case AST_NODE_TYPES.ExportDefaultDeclaration:
      case AST_NODE_TYPES.ExportSpecifier:
      case AST_NODE_TYPES.ThrowStatement:
        kill(r, value, 'escape');
        return;
      case AST_NODE_TYPES.ArrowFunctionExpression:
        if (p.body === value && !(p !== r.ownerNode && returnIgnored(p))) kill(r, value, 'escape');
        return;
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.NewExpression:
      case AST_NODE_TYPES.ArrayExpression:
      case AST_NODE_TYPES.SpreadElement:
      case AST_NODE_TYPES.Property:
        this.passOn(r, p, value);
        return;
      // ``sql`select 1` ``: an operation on a resource that is itself a function (its first use when created idle).
      case AST_NODE_TYPES.TaggedTemplateExpression:
        if (r.kind.callable && r.kind.createdIdle && calledAs(value) === 'tag') this.opened(r, p);
        return;
      case AST_NODE_TYPES.ExpressionStatement:
        if (isCreation) r.discarded = true;
        return;
      case AST_NODE_TYPES.ForOfStatement:
        // `for await (const chunk of socket)`: the stream's async iterator destroys the stream when the loop is
        // left, however (its end, a break, a return, a throw).
        if (p.await && p.right === value && r.kind.isStream) kill(r, value, 'release');
        return;
      case AST_NODE_TYPES.MemberExpression: {
        const internal = p.object === value ? untypedInternalRelease(node, value, p, this.m.anyRelease) : undefined;
        if (internal) {
          kill(r, internal, 'release');
          return;
        }
        // `socket.on('end', socket.end)`: its own release, unbound, as its own listener — the emitter calls it with
        // the socket as `this` (given to another emitter, it would release that one).
        const ownRelease = p.object === value ? this.ownReleaseListener(r, value, p) : undefined;
        if (ownRelease) {
          kill(r, ownRelease, 'delegate');
          return;
        }
        this.handleListenerProperty(r, p);
        return;
      }
      default:
        return;
    }
  }

  /**
   * An idle resource ({@link ResourceKind.createdIdle}) may hold something from `at` on. Where that happens in the
   * owner's flow: at `at`, or, inside a function created there, where that function is created (it may run at
   * once) — except a listener registered on the resource itself, which runs only once it is in use, and the callback
   * of its opening operation ({@link ResourceKind.rejectionCloses}), which runs after that operation.
   */
  private opened(r: Resource, at: TSESTree.Node): void {
    let node = at;
    // (A module's resource: its owner is the program, which encloses code outside every function.)
    const around = enclosingFunction(at) ?? (r.ownerNode.type === AST_NODE_TYPES.Program ? r.ownerNode : undefined);
    if (around !== r.ownerNode) {
      const below = functionBelow(r.ownerNode, at);
      if (!below) return;
      // Inside such a listener or callback at any depth (`new Promise((resolve) => client.on('ready', () =>
      // resolve(client)))`), the use runs after one that opened it.
      for (let fn = enclosingFunction(at); fn && fn !== r.ownerNode; fn = enclosingFunction(fn)) {
        if (this.runsOnceInUse(r, fn)) return;
      }
      node = below;
    }
    addOp(r, node, node === at ? { t: 'open' } : { t: 'open', at });
  }

  /** Is `fn` a listener registered on the resource itself, or the callback of its opening operation? */
  private runsOnceInUse(r: Resource, fn: TSESTree.Node): boolean {
    const reg = fn.parent;
    if (reg?.type !== AST_NODE_TYPES.CallExpression || !reg.arguments.some((a) => a === fn)) return false;
    const mc = calleeMember(reg);
    const name = mc ? propertyName(mc) : undefined;
    const target = mc ? unwrap(mc.object) : undefined;
    const targetVar = target?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(target) : undefined;
    const onIt = target === r.report || (!!targetVar && r.aliases.has(targetVar));
    if (name === undefined || !onIt) return false;
    // The callback of its opening operation (`client.connect((err) => …)`) runs after that operation, which opens it.
    return LISTENER_METHODS.has(name) || !!r.kind.rejectionCloses?.has(name);
  }

  /** `value` is an argument of the call `p`, or an element of the literal `p`: a hand-off to the callee, or the literal's. */
  private passOn(r: Resource, p: TSESTree.Node, value: TSESTree.Node): void {
    // `Object.assign(new pg.Pool(opts), { db: 'stats' })`: it returns its first argument, the resource itself.
    if (p.type === AST_NODE_TYPES.CallExpression && p.arguments[0] === value && dottedName(unwrap(p.callee)) === 'Object.assign') {
      this.handleValue(r, p, false);
      return;
    }
    if (r.kind.createdIdle) this.opened(r, p);
    if (p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) {
      const index = p.arguments.indexOf(value as TSESTree.CallExpressionArgument);
      if (index >= 0) this.handOffs.handle(r, p, index, value);
      return;
    }
    if (p.type === AST_NODE_TYPES.Property && p.value !== value) return;
    this.handleLiteralElement(r, value);
  }

  /** `value` is an element of an array/object literal. */
  private handleLiteralElement(r: Resource, value: TSESTree.Node): void {
    // `request(url, { dispatcher })`, `new WebSocketServer({ server })`: an option the call only uses.
    const option = value.parent?.type === AST_NODE_TYPES.Property && !value.parent.computed ? keyName(value.parent.key) : undefined;
    if (option !== undefined && value.parent?.parent?.type === AST_NODE_TYPES.ObjectExpression) {
      if (r.kind.lentAs?.has(option)) return;
      const literal = climbValue(value.parent.parent);
      const call = literal.parent;
      if (
        (call?.type === AST_NODE_TYPES.NewExpression || call?.type === AST_NODE_TYPES.CallExpression) &&
        call.arguments.includes(literal as TSESTree.CallExpressionArgument) &&
        // (Also where the option makes the call no creation: `new WebSocketServer({ server })` owns no socket.)
        (this.m.creationKind(call) ?? this.m.constructedKind(call))?.borrowsOptions?.has(option)
      ) {
        return;
      }
    }
    let lit: TSESTree.Node = value;
    while (
      lit.parent &&
      (lit.parent.type === AST_NODE_TYPES.ArrayExpression ||
        lit.parent.type === AST_NODE_TYPES.SpreadElement ||
        lit.parent.type === AST_NODE_TYPES.Property ||
        lit.parent.type === AST_NODE_TYPES.ObjectExpression)
    ) {
      lit = lit.parent;
    }
    const outer = climbValue(lit);
    const q = outer.parent;
    if (q?.type === AST_NODE_TYPES.VariableDeclarator && q.init === outer && q.id.type === AST_NODE_TYPES.Identifier) {
      const v = this.m.varOf.get(q.id);
      if (v && outer.type === AST_NODE_TYPES.ArrayExpression) {
        r.containers.add(v);
        return;
      }
      // `const config = { client, index }`: a local that holds it under a name; it goes where that local goes.
      const prop = value.parent;
      const name = prop?.type === AST_NODE_TYPES.Property && prop.parent === outer && !prop.computed ? keyName(prop.key) : undefined;
      if (v && name !== undefined && this.m.isLocalTo(v, r.ownerNode)) {
        this.followHolder(r, v, name);
        return;
      }
    }
    if (
      q &&
      (q.type === AST_NODE_TYPES.CallExpression || q.type === AST_NODE_TYPES.NewExpression) &&
      q.arguments.includes(outer as TSESTree.CallExpressionArgument)
    ) {
      this.handOffs.handle(r, q, q.arguments.indexOf(outer as TSESTree.CallExpressionArgument), outer);
      return;
    }
    // `databases = { redis: new Redis() }`: a class field's initialiser is its own code path, whose root (the literal)
    // no segment records; the socket escapes into the field where it is made.
    if (q?.type === AST_NODE_TYPES.PropertyDefinition && q.value === outer && r.flow.node === outer) {
      kill(r, r.report, 'escape');
      return;
    }
    kill(r, outer, 'escape');
  }

  /**
   * The references of a local object that holds the resource as `holder[name]`: `holder.name` is the resource
   * (`config.client.quit()` releases it), other properties are other values, and the holder itself taken anywhere
   * else (returned, stored, passed to a function that is not a known non-owner) takes the resource with it.
   */
  private followHolder(r: Resource, holder: Variable, name: string): void {
    r.holders.set(holder, name);
    for (const ref of holder.references) {
      if (ref.init || ref.isWrite()) continue;
      const id = ref.identifier as TSESTree.Identifier;
      const p = id.parent;
      if (p?.type === AST_NODE_TYPES.MemberExpression && p.object === id) {
        if (!p.computed && propertyName(p) === name) this.handleValue(r, p, false);
        continue;
      }
      const value = climbValue(id);
      const call = value.parent;
      if (call?.type === AST_NODE_TYPES.CallExpression && call.arguments.includes(value as TSESTree.CallExpressionArgument)) {
        if (this.m.isNonOwningCallee(call.callee)) continue;
        if (this.borrowsHolder(r, call, call.arguments.indexOf(value as TSESTree.CallExpressionArgument), name)) continue;
      }
      kill(r, id, 'escape');
    }
  }

  /**
   * `await this.query(handle, sql)` with `query(handle, sql) { return handle.client.query(sql); }`: a function of the
   * file (or a method of the class or object literal) that only reads properties of the holder it is given, and calls
   * no release on the resource's: it borrows the resource, which stays with the caller.
   */
  private borrowsHolder(r: Resource, call: TSESTree.CallExpression, index: number, name: string): boolean {
    const callee = unwrap(call.callee);
    const fn =
      (callee.type === AST_NODE_TYPES.Identifier ? this.m.functionOf(this.m.varOf.get(callee)) : undefined) ??
      this.m.thisMethodValue(callee) ??
      (callee.type === AST_NODE_TYPES.MemberExpression ? this.m.methodOf(callee) : undefined);
    const param = fn?.params[index];
    const pv = param?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(param) : undefined;
    if (!fn || !pv || pv.references.length === 0) return false;
    return pv.references.every((ref) => {
      const member = ref.identifier.parent;
      if (ref.isWrite() || member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== ref.identifier || member.computed) return false;
      if (propertyName(member) !== name) return member.parent?.type !== AST_NODE_TYPES.AssignmentExpression || member.parent.left !== member;
      // The resource itself: only as the receiver of a method other than a release (`handle.client.query(sql)`).
      const mc = methodCallOn(member);
      return !!mc && !r.kind.releases.has(mc.name) && !LISTENER_METHODS.has(mc.name);
    });
  }

  /** `s.onclose = fn` (`member` the `s.onclose`, on the resource or its field): registers a listener. */
  /** The registration `x.on(event, x.<release>)` that `member` (`x.<release>`, read from `value`) is the listener of. */
  private ownReleaseListener(r: Resource, value: TSESTree.Node, member: TSESTree.MemberExpression): TSESTree.CallExpression | undefined {
    const name = propertyName(member);
    const listener = climbValue(member);
    const reg = listener.parent;
    if (name === undefined || !r.kind.releases.has(name) || reg?.type !== AST_NODE_TYPES.CallExpression || reg.arguments[1] !== listener) return undefined;
    const on = calleeMember(reg);
    if (!on || !LISTENER_METHODS.has(propertyName(on) ?? '')) return undefined;
    const target = unwrap(on.object);
    const self = unwrap(value);
    const same = (n: TSESTree.Node): Variable | undefined => (n.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(n) : undefined);
    const v = same(self);
    return v && same(target) === v ? reg : undefined;
  }

  handleListenerProperty(r: Resource, member: TSESTree.MemberExpression): void {
    const name = propertyName(member);
    const gp = member.parent;
    const fn = gp?.type === AST_NODE_TYPES.AssignmentExpression && gp.left === member ? this.m.functionValue(gp.right) : undefined;
    if (!name?.startsWith(LISTENER_PROPERTY_PREFIX) || !fn || gp?.type !== AST_NODE_TYPES.AssignmentExpression) return;
    const event = name.slice(LISTENER_PROPERTY_PREFIX.length);
    r.registrations.push({ event, fnNode: gp.right, fn, once: false, via: 'listener', call: gp });
    this.handOffs.awaitsPromisedEvent(r, gp, event, gp.right);
  }

  handleMethodCall(r: Resource, call: TSESTree.CallExpression, name: string, isCreation: boolean): void {
    const kind = r.kind;
    const args = call.arguments;
    const createdIdle = kind.createdIdle;
    // EventEmitter's own methods (`setMaxListeners(0)`, `removeAllListeners()`) configure the object: they open nothing.
    if (createdIdle && !LISTENER_METHODS.has(name) && !EMITTER_METHODS.has(name) && !kind.releases.has(name) && !createdIdle.keptIdleBy?.has(name) && (!createdIdle.openedOnlyBy || createdIdle.openedOnlyBy.has(name))) this.opened(r, call);
    // `c.release()` on a `pg.Client & { release(): … }`: a release method the program's own type adds to the resource.
    if (!kind.releases.has(name) && this.m.anyRelease.has(name) && this.m.declaredOutsideLibraries(call)) {
      kill(r, call, 'release');
      return;
    }
    if (kind.releases.has(name)) {
      if (meaningOfCall(kind, call, name, this.options.endIsRelease).t === 'release') {
        kill(r, call, 'release');
        // `s?.destroy()`: the short-circuit path has no socket to release.
        const chain = call.parent?.type === AST_NODE_TYPES.ChainExpression ? call.parent : undefined;
        if (chain) kill(r, chain, 'release');
      }
      return;
    }
    // `ch.consume(queue, onMessage)`: it serves from now on.
    if (kind.handlerMethods?.has(name) && args.some((a, i) => this.m.isHandlerArgument(call, a, i))) r.exempt ??= 'server-handler';
    if (LISTENER_METHODS.has(name)) {
      const event = stringValue(args[0]);
      const fnNode = args[1];
      if (fnNode) {
        r.registrations.push({
          event,
          fnNode,
          fn: this.m.functionValue(fnNode),
          once: ONCE_LISTENER_METHODS.has(name),
          via: 'listener',
          call,
        });
        this.handOffs.awaitsPromisedEvent(r, call, event, fnNode);
      }
      // A handler for every message or connection serves; one for the first only (`once('message', …)`, a reply
      // awaited) does not.
      if (event !== undefined && kind.serverHandlerEvents?.has(event) && !ONCE_LISTENER_METHODS.has(name)) r.exempt ??= 'server-handler';
      // `s.on('connect', function () { this.end(); })`: `this` in a function listener is the emitter — also one passed
      // by name (`const onFail = function () { this.destroy(); }`, `function kill() { this.destroy(); }`).
      const inline = fnNode && unwrap(fnNode);
      const listener = inline?.type === AST_NODE_TYPES.Identifier ? this.m.functionValue(inline) : inline;
      if ((listener?.type === AST_NODE_TYPES.FunctionExpression || listener?.type === AST_NODE_TYPES.FunctionDeclaration) && listener.body) {
        for (const self of thisReferences(listener)) this.handleValue(r, self, false);
      }
      this.handleValue(r, call, isCreation);
      return;
    }
    // `ws.addEventListener('error', fn)` (the DOM-style API of `ws`): a listener as `on()` registers, run once with
    // `{ once: true }`; it returns nothing.
    if (name === EVENT_TARGET_METHOD) {
      const event = stringValue(args[0]);
      const fnNode = args[1];
      if (fnNode) {
        const options = args[2] ? unwrap(args[2]) : undefined;
        const once =
          options?.type === AST_NODE_TYPES.ObjectExpression &&
          options.properties.some((p) => p.type === AST_NODE_TYPES.Property && !p.computed && keyName(p.key) === EVENT_TARGET_ONCE_OPTION && p.value.type === AST_NODE_TYPES.Literal && p.value.value === true);
        r.registrations.push({ event, fnNode, fn: this.m.functionValue(fnNode), once, via: 'listener', call });
        this.handOffs.awaitsPromisedEvent(r, call, event, fnNode);
        if (event !== undefined && kind.serverHandlerEvents?.has(event) && !once) r.exempt ??= 'server-handler';
      } else if (event !== undefined && kind.serverHandlerEvents?.has(event)) {
        r.exempt ??= 'server-handler';
      }
      return;
    }
    const idle = kind.idleTimeout;
    if (idle && name === idle.method) {
      const fnNode = args[idle.listenerArgument];
      if (fnNode) {
        r.registrations.push({ event: idle.event, fnNode, fn: this.m.functionValue(fnNode), once: true, via: 'listener', call });
      } else {
        const ms = args[0];
        const zero = ms?.type === AST_NODE_TYPES.Literal && ms.value === 0;
        if (!zero) r.idleTimeouts.push(call);
      }
      this.handleValue(r, call, isCreation);
      return;
    }
    if (name === PIPE_METHOD) return;
    for (const arg of args) {
      const fn = this.m.functionValue(arg);
      if (fn) r.registrations.push({ event: name, fnNode: arg, fn, once: true, via: 'callback', call });
    }
    // A method the kind declares as resolving to the resource itself (`await client.connect()`).
    const outer = climbValue(call);
    // Also a method of the program's own subclass declared as resolving to it (`start(): Promise<this>`).
    let selfResolving: boolean | undefined = kind.returnsSelf.has(name) ? true : undefined;
    const resolvesSelf = (): boolean => (selfResolving ??= !kind.creates.has(name) && this.m.resolvesSameSocket(call, kind));
    if (outer.parent?.type === AST_NODE_TYPES.AwaitExpression && resolvesSelf()) {
      this.handleValue(r, outer.parent, isCreation);
      return;
    }
    // `client.connect().then((c) => …)`: the callback is given the resource itself.
    const chained = methodCallOn(outer);
    const then = chained?.name === 'then' && resolvesSelf() ? chained : undefined;
    const onFulfilled = then?.name === 'then' ? this.m.functionValue(then.call.arguments[0]) : undefined;
    const given = onFulfilled?.params[0];
    const alias = given?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(given) : undefined;
    if (alias) r.aliases.add(alias);
    // `return client.connect()`: the promise resolves to the resource, so returning (or yielding) it hands the resource over, and so
    // does storing it (`cached = client.connect()`, `global._mongo = client.connect().catch(…)`: a `.catch()` or
    // `.finally()` on the way resolves to the same).
    let promised: TSESTree.Node = outer;
    for (let mc = methodCallOn(promised); mc && (mc.name === 'catch' || mc.name === 'finally'); mc = methodCallOn(promised)) promised = climbValue(mc.call);
    const holder = promised.parent;
    if (
      (holder?.type === AST_NODE_TYPES.ReturnStatement ||
        // `server = yield srv.start()` in an async generator: its consumer gets the resource.
        holder?.type === AST_NODE_TYPES.YieldExpression ||
        (holder?.type === AST_NODE_TYPES.ArrowFunctionExpression && holder.body === promised) ||
        (holder?.type === AST_NODE_TYPES.AssignmentExpression && holder.operator === '=' && holder.right === promised)) &&
      resolvesSelf()
    ) {
      this.handleValue(r, promised, isCreation);
      return;
    }
    if (kind.handles?.has(name)) {
      this.handleHandle(r, call, 0);
      return;
    }
    // `return agent.compose(retry)`: the proxy is the resource.
    if (kind.wrapsSelf?.has(name)) {
      // `await createPool(cfg).promise()`: awaiting the wrapper, which is no promise, gives the wrapper itself.
      const wrapper = climbValue(call);
      const awaited = wrapper.parent?.type === AST_NODE_TYPES.AwaitExpression && this.m.isSurelyNoPromise(wrapper) ? wrapper.parent : undefined;
      this.handleValue(r, awaited ?? call, isCreation);
      return;
    }
    // `const ch = await conn.createChannel()` on a connection annotated with a type that lacks the method (amqplib's
    // old typings' `Connection`): the call makes nothing the builder sees, yet what it resolves to refers back to the
    // connection and closes with it. It is a handle of the connection: returned or stored, it takes the connection
    // along (as a channel the builder sees does: ResourceBuilder.handOffsOfCreated), and its awaited calls are
    // operations of the connection.
    if (kind.releasesCreated?.has(name) && this.receiverLacks(call, name)) {
      this.handleHandle(r, outer.parent?.type === AST_NODE_TYPES.AwaitExpression ? outer.parent : call, 0);
      return;
    }
    // Methods returning the socket itself keep the chain going (`connect().setNoDelay().on(...)`); a method the kind
    // declares as creating (`duplicate()`) returns another one, of the same type.
    if (!kind.creates.has(name) && this.m.returnsSameSocket(call, kind)) this.handleValue(r, call, isCreation);
  }

  /** Does the declared type of the call's receiver (not `any`) lack the method it calls? */
  private receiverLacks(call: TSESTree.CallExpression, name: string): boolean {
    const member = calleeMember(call);
    const type = member ? this.m.declaredType(member.object) : undefined;
    return !!type && this.m.typeHasMember(type, name) === false;
  }

  /**
   * Where a handle of the resource goes (`client.db('app')`, and what further calls on it give, as
   * `client.db('app').collection('jobs')`): stored, returned or handed on, it takes the resource with it; held in a
   * local, that local's references are followed the same way (and its awaited calls are operations of the resource).
   * A call whose value is awaited gives data, not a handle.
   */
  private handleHandle(r: Resource, handle: TSESTree.Node, depth: number): void {
    const start = climbValue(handle);
    let value = start;
    for (let mc = methodCallOn(value); mc; mc = methodCallOn(value)) {
      // `coll.watch().on('change', fn)`: a handler on the handle that serves for the life of the process.
      if (servingListener(this.m, mc, r.kind.handleServerEvents)) r.exempt ??= 'server-handler';
      value = climbValue(mc.call);
    }
    let p = value.parent;
    // `const db = await client.db('app')`: awaiting a handle that is no promise gives the handle itself.
    if (p?.type === AST_NODE_TYPES.AwaitExpression && this.m.isSurelyNoPromise(value)) {
      value = climbValue(p);
      p = value.parent;
    }
    if (!p || p.type === AST_NODE_TYPES.AwaitExpression || p.type === AST_NODE_TYPES.ExpressionStatement) return;
    // `return client.db('app').collection('users').findOne({})`: a promise of data, not a handle.
    if (value !== start && this.m.isThenable(value)) return;
    let local: TSESTree.Identifier | undefined;
    if (p.type === AST_NODE_TYPES.VariableDeclarator && p.init === value && p.id.type === AST_NODE_TYPES.Identifier) local = p.id;
    else if (p.type === AST_NODE_TYPES.AssignmentExpression && p.right === value && p.left.type === AST_NODE_TYPES.Identifier) {
      const v = this.m.varOf.get(p.left);
      if (!v || !this.m.isLocalTo(v, r.ownerNode)) {
        kill(r, p, 'escape');
        return;
      }
      local = p.left;
    }
    if (local) {
      const v = this.m.varOf.get(local);
      if (!v || r.handles.has(v) || depth > 2) return;
      r.handles.add(v);
      for (const ref of v.references) if (!ref.init && !ref.isWrite()) this.handleHandle(r, ref.identifier, depth + 1);
      return;
    }
    switch (p.type) {
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.YieldExpression:
      case AST_NODE_TYPES.AssignmentExpression:
        if (p.type !== AST_NODE_TYPES.AssignmentExpression || p.right === value) kill(r, value, 'escape');
        return;
      case AST_NODE_TYPES.ArrowFunctionExpression:
        if (p.body === value) kill(r, value, 'escape');
        return;
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.NewExpression:
      case AST_NODE_TYPES.ArrayExpression:
      case AST_NODE_TYPES.Property:
        this.passOn(r, p, value);
        return;
      default:
        return;
    }
  }




}

/**
 * Is `fn` a callback whose return value nobody reads: a Promise executor, a listener (`x.on(event, fn)`, `once`,
 * `addListener`…) or a timer's (`setTimeout(fn)`, `process.nextTick(fn)`)?
 */
function returnIgnored(fn: TSESTree.Node): boolean {
  // The Promise constructor ignores what its executor returns (`new Promise((r) => server.listen(0, r))`).
  if (isExecutor(fn)) return true;
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return false;
  const name = calleeName(call);
  if (name === undefined) return false;
  if (DEFERRING_CALLS.has(name)) return true;
  return !!calleeMember(call) && LISTENER_METHODS.has(name) && call.arguments[1] === fn;
}

/** Is `node` one alternative of `value` (an operand of `||` / `??` or a branch of a conditional on the way up)? */
function hasAlternatives(node: TSESTree.Node, value: TSESTree.Node): boolean {
  for (let n = node; n !== value && n.parent; n = n.parent) {
    const p = n.parent;
    if (p.type === AST_NODE_TYPES.ConditionalExpression || (p.type === AST_NODE_TYPES.LogicalExpression && p.operator !== '&&')) return true;
  }
  return false;
}

/** The `this` expressions of a function's own body (not of the non-arrow functions and classes inside it). */
function thisReferences(fn: TSESTree.FunctionExpression | TSESTree.FunctionDeclaration): TSESTree.ThisExpression[] {
  const out: TSESTree.ThisExpression[] = [];
  const visit = (n: TSESTree.Node): void => {
    if (n.type === AST_NODE_TYPES.ThisExpression) {
      out.push(n);
      return;
    }
    if (n !== fn && (n.type === AST_NODE_TYPES.FunctionExpression || n.type === AST_NODE_TYPES.FunctionDeclaration || n.type === AST_NODE_TYPES.ClassBody)) return;
    for (const value of Object.values(n)) {
      if (value === n.parent) continue;
      if (Array.isArray(value)) for (const v of value) if (v && typeof v === 'object' && typeof (v as TSESTree.Node).type === 'string') visit(v as TSESTree.Node);
      if (value && typeof value === 'object' && !Array.isArray(value) && typeof (value as TSESTree.Node).type === 'string' && value !== n.parent) visit(value as TSESTree.Node);
    }
  };
  visit(fn.body);
  return out;
}
