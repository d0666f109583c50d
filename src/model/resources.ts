import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import * as ts from 'typescript';
import { AST_NODE_TYPES } from '../engine/node-types';
import {
  awaitOf,
  exportsName,
  calleeMember,
  calleeName,
  chainCalls,
  climbValue,
  dottedName,
  enclosingFunction,
  functionBelow,
  isBindMember,
  isFunction,
  contains,
  keyName,
  methodCallOn,
  ownReturns,
  propertyName,
  stringValue,
  thisClass,
  thisMemberName,
  thisOf,
  thisOwner,
  topLevelFunctionName,
  unwrap,
  walkAst,
  type FunctionNode,
} from '../engine/ast';
import { recover } from '../engine/strict';
import { inLoopWithin, type FunctionFlow } from '../engine/flow';
import { releasedBeforeEvent, type CallbackCreation, type ResourceKind } from '../kinds/kind';
import { inNodeTypes, inTypeScriptLibrary } from '../kinds/registry';
import { EVENT_TARGET_METHOD, LISTENER_METHODS, ONCE_LISTENER_METHODS, ONE_TIME_EVENTS, SYNCHRONOUS_ITERATION } from '../kinds/vocabulary';
import { meaningOfCall } from './calls';
import { calleeDeclarationFile, madeByLibrary } from './creation';
import { callbackRole, isCallArgument, isTestCase } from './callbacks';
import { isExecutor, neverReassigned, soleInitialiser, type Variable, type VariableLookup } from './bindings';
import { Collections, fieldCollectionsHolding } from './collections';
import { Delegations } from './delegations';
import { parameterServes, servingHandlers } from './hand-offs';
import type { FileModel, ModelOptions } from './file-model';
import { addOp, createdForNextContinuation, isFieldMember, kill, returnedCreatingCall, type Registration, type Resource } from './resource';
import { ValueEffects } from './value-effects';
const DefinitionType = TSESLint.Scope.DefinitionType;

/**
 * Builds the resources of a file: creation sites, then every alias's references, each handed to the value
 * effects (what happens to the resource there), the collections that hold it and the callbacks that take it over.
 */
export class ResourceBuilder {
  private nextId = 0;
  private readonly values: ValueEffects;
  private readonly collections: Collections;
  private readonly delegations: Delegations;

  constructor(
    private readonly m: FileModel,
    private readonly options: ModelOptions,
  ) {
    this.values = new ValueEffects(m, options);
    this.collections = new Collections(m);
    this.delegations = new Delegations(m);
  }

  build(): Resource[] {
    const out: Resource[] = [];
    const recorder = this.m.recorder;
    for (const node of recorder.nodes) {
      if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) continue;
      const flow = recorder.flowOf(node);
      if (!flow) continue;
      const r =
        this.tryCreate(node, flow) ??
        (node.type === AST_NODE_TYPES.CallExpression
          ? (this.tryCreateFromCallback(node) ??
            this.tryCreateFromThen(node, flow) ??
            this.tryCreateFromListener(node) ??
            this.tryCreateFromDestructuring(node, flow) ??
            this.tryCreateSharedOpen(node, flow))
          : undefined);
      if (r) out.push(r);
    }
    // Class field initialisers `sock = net.connect()` are their own code path's root node.
    for (const flow of this.m.recorder.flows) {
      const n = flow.node;
      if (
        (n.type === AST_NODE_TYPES.CallExpression || n.type === AST_NODE_TYPES.NewExpression) &&
        n.parent?.type === AST_NODE_TYPES.PropertyDefinition
      ) {
        const r = this.tryCreate(n, flow);
        if (r) out.push(r);
      }
    }
    const mocked = mockedModules(this.m.sourceCode.ast);
    if (mocked.size > 0) {
      // (Whatever else it would be: a mocked server with a handler serves nothing either.)
      for (const r of out) if (this.madeByMockedModule(r, mocked)) r.exempt = 'mocked';
    }
    for (const r of out) {
      this.pipedSourceEnds(r);
      this.delegations.add(r);
    }
    for (const r of out) if (r.exempt === undefined && this.usedByServingHandler(r, out)) r.exempt = 'server-handler';
    this.markBorrowedWrappers(out);
    this.wrapperReleases(out);
    this.abortReleases(out);
    this.handOffsOfCreated(out);
    for (const r of out) this.handOffByReturnedPromise(r);
    return out;
  }

  /**
   * In a test file that mocks a module (`jest.mock('tls')`, `vi.mock('node:https', …)`): is the resource made by a
   * function that module declares (`tls.connect()`), or is its type one that module declares (a wrapper of the
   * project returning a `tls.TLSSocket`)? The test runner replaces the module for the whole test file: what its stubs
   * return holds no socket.
   */
  private madeByMockedModule(r: Resource, mocked: ReadonlySet<string>): boolean {
    const node = r.report;
    if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) return false;
    try {
      const tsNode = this.m.services.esTreeNodeToTSNodeMap.get(node) as ts.CallExpression | ts.NewExpression | undefined;
      if (!tsNode) return false;
      const callee = this.m.checker.getResolvedSignature(tsNode)?.getDeclaration();
      if (callee && mocked.has(declaringModule(callee) ?? '')) return true;
      // (What an awaited wrapper resolves to: `await connect(url)` of an `async` function returning `tls.connect(…)`.)
      const type = this.m.checker.getTypeAtLocation(tsNode);
      const awaited = this.m.checker.getAwaitedType(type) ?? type;
      return [type, awaited].some((t) => (t.getSymbol()?.declarations ?? []).some((d) => mocked.has(declaringModule(d) ?? '')));
    } catch (error) {
      return recover(error, false);
    }
  }

  /**
   * `return conn.createChannel()` (un-awaited) in the creator's owning function, or `(conn) => conn.createChannel()`
   * as the owner: the promise returned resolves to what the creating method makes, which refers back to the creator
   * and closes with it (the kind's `releasesCreated`), as `return await conn.createChannel()` does
   * ({@link handOffsOfCreated}). The creator is handed off there; the leak analysis keeps the path on which that
   * promise rejects (see {@link returnedCreatingCall}).
   */
  private handOffByReturnedPromise(r: Resource): void {
    if (!r.kind.releasesCreated || r.kind.createdHidesCreator || r.exempt !== undefined) return;
    for (const v of r.aliases) {
      for (const ref of v.references) {
        const mc = methodCallOn(ref.identifier);
        if (!mc) continue;
        if (returnedCreatingCall(r, mc.call, mc.name)) kill(r, mc.call, 'escape');
        // `.then((conn) => conn.createChannel()).then((ch) => ch.consume(q, onMessage))`: the channel serves, and its
        // connection with it (as when both are in one callback), unless the connection is released somewhere.
        else if (this.servesInNextContinuation(createdForNextContinuation(r, mc.call, mc.name)) && !releasedSomewhere(r)) r.exempt ??= 'server-handler';
      }
    }
  }

  /** Is the next continuation's parameter given a handler ({@link parameterServes})? */
  private servesInNextContinuation(param: TSESTree.Identifier | undefined): boolean {
    const kind = param ? this.m.kindOfNode(param) : undefined;
    return !!param && !!kind && parameterServes(this.m, param, kind);
  }

  /**
   * `const t = tls.connect({ socket })` over a socket of this function: releasing the wrapper releases the socket it
   * wraps (`t.destroy()` destroys `socket`), so each release of the wrapper is one of that socket too.
   */
  private wrapperReleases(resources: Resource[]): void {
    for (const w of resources) {
      const place = w.kind.wrapsStream;
      if (!place) continue;
      for (const u of wrappedValues(this.m, w.report, place)) {
        const v = u.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(u) : undefined;
        if (!v) continue;
        for (const r of resources) {
          if (r === w || !r.aliases.has(v) || !contains(r.ownerNode, w.report)) continue;
          for (const [node, ops] of w.ops) if (ops.some((o) => o.t === 'kill' && o.why === 'release')) kill(r, node, 'release');
        }
      }
    }
  }

  /**
   * `server.listen({ port, signal: ac.signal })`, `dgram.createSocket({ type: 'udp4', signal })`: a signal given where
   * the kind takes one ({@link ResourceKind.abortSignal}) closes the resource when its controller aborts, so each
   * `ac.abort()` is a release of it.
   */
  /**
   * `gzip.pipe(req)` and later `gzip.end()`: a stream piped into the resource (without `{ end: false }`) ends it when
   * it ends itself — pipe() calls the destination's `end()` on the source's `'end'` — so ending that source (a
   * variable, or a field of the class, `this.gzip.end()`) is the resource's own graceful release. Only where `end()`
   * is a release of its kind (not with `endIsRelease: false`).
   */
  private pipedSourceEnds(r: Resource): void {
    // `end()` must release this kind, also under the options (`endIsRelease: false` makes a graceful `end()` none).
    const graceful = r.kind.gracefulRelease;
    if (!r.kind.releases.has('end') || (graceful !== undefined && graceful !== 'end') || (graceful === 'end' && !this.options.endIsRelease)) return;
    const field = r.field;
    const sites: TSESTree.Node[] = [...r.aliases].flatMap((v) => v.references.map((ref) => ref.identifier));
    if (field) sites.push(...this.m.fieldMembers(field));
    const within = (n: TSESTree.Node): boolean => contains(r.ownerNode, n) || (!!field && contains(field.cls.body, n));
    for (const site of sites) {
      const value = climbValue(site);
      const call = value.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== value || !within(call)) continue;
      const member = calleeMember(call);
      if (!member || propertyName(member) !== 'pipe') continue;
      const options = call.arguments[1];
      if (options && !(options.type === AST_NODE_TYPES.ObjectExpression && options.properties.every((p) => p.type === AST_NODE_TYPES.Property && keyName(p.key) !== 'end'))) continue;
      const source = unwrap(member.object);
      const ends: TSESTree.CallExpression[] = [];
      const sourceField = thisMemberName(source);
      const sourceClass = sourceField !== undefined ? thisClass(source) : undefined;
      if (sourceField !== undefined && sourceClass) {
        for (const n of this.m.syntax.membersByName.get(sourceField) ?? []) {
          const mc = thisMemberName(n) === sourceField && thisClass(n) === sourceClass ? methodCallOn(n) : undefined;
          if (mc?.name === 'end' && within(mc.call)) ends.push(mc.call);
        }
      } else if (source.type === AST_NODE_TYPES.Identifier) {
        for (const ref of this.m.varOf.get(source)?.references ?? []) {
          const mc = methodCallOn(ref.identifier);
          if (mc?.name === 'end' && within(mc.call)) ends.push(mc.call);
        }
      }
      for (const end of ends) kill(r, end, 'release');
    }
  }

  private abortReleases(resources: Resource[]): void {
    for (const r of resources) {
      const fact = r.kind.abortSignal;
      if (!fact) continue;
      const calls: Array<TSESTree.CallExpression | TSESTree.NewExpression> = fact.creation ? [r.report] : [];
      for (const v of r.aliases) {
        for (const ref of v.references) {
          const mc = methodCallOn(ref.identifier);
          if (mc && fact.methods.has(mc.name)) calls.push(mc.call);
        }
      }
      for (const call of calls) {
        for (const ref of this.signalController(call)?.references ?? []) {
          const mc = methodCallOn(ref.identifier);
          if (mc?.name === 'abort') kill(r, mc.call, 'release');
        }
      }
    }
  }

  /** The controller whose signal an options argument of the call gives: `{ signal: ac.signal }`, `{ signal }` (`const signal = ac.signal`). */
  private signalController(call: TSESTree.CallExpression | TSESTree.NewExpression): Variable | undefined {
    for (const arg of call.arguments) {
      const options = unwrap(arg);
      if (options.type !== AST_NODE_TYPES.ObjectExpression) continue;
      for (const p of options.properties) {
        if (p.type !== AST_NODE_TYPES.Property || p.computed || keyName(p.key) !== 'signal') continue;
        let value = unwrap(p.value);
        const sv = value.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(value) : undefined;
        const def = sv?.defs[0];
        if (sv && def?.type === DefinitionType.Variable && def.node.init && neverReassigned(sv)) value = unwrap(def.node.init);
        if (value.type !== AST_NODE_TYPES.MemberExpression || propertyName(value) !== 'signal') continue;
        const controller = unwrap(value.object);
        if (controller.type === AST_NODE_TYPES.Identifier) return this.m.varOf.get(controller);
      }
    }
    return undefined;
  }

  /**
   * A resource made by a method of another one whose release also releases it (the creator kind's
   * `releasesCreated`: an amqplib channel, a MongoDB session) belongs to its creator and refers back to it
   * (`channel.connection`, `session.client`): handing it off in the creator's function (returning, resolving or
   * storing it) hands off the creator too, on that path, and a channel that serves (a consumer) makes its
   * connection serve as well.
   */
  private handOffsOfCreated(resources: Resource[]): void {
    for (const made of resources) {
      if (!made.madeBy) continue;
      const { method, variable } = made.madeBy;
      for (const creator of resources) {
        if (creator === made || !creator.aliases.has(variable) || !contains(creator.ownerNode, made.report) || !creator.kind.releasesCreated?.has(method)) continue;
        // A channel that consumes serves for the life of the process, and so does its connection — unless the
        // function releases that connection somewhere itself (in a `close()` it returns): it is then checked, and
        // a failure before the consumer is set up leaves it open.
        if (made.exempt === 'server-handler' && !releasedSomewhere(creator)) creator.exempt ??= 'server-handler';
        if (creator.ownerNode !== made.ownerNode || creator.kind.createdHidesCreator) continue;
        for (const [node, ops] of made.ops) {
          for (const op of ops) {
            if (op.t !== 'kill') continue;
            if (op.why === 'escape') kill(creator, node, 'escape', op.success);
            // `names.forEach((n) => createServer(n, channel).listen())`: the function handed to the call hands the
            // channel off, so the call takes over the connection with it (not a callback that closes the channel).
            else if (op.why === 'delegate' && handsOffInside(made, node)) kill(creator, node, 'delegate');
          }
        }
      }
    }
  }

  /**
   * A wrapper built on a socket the function does not own (`tls.connect({ socket })` over a parameter or a field)
   * is released when the owner of that socket releases it: the wrapper is the owner's to release, as the
   * underlying socket is. A wrapper over a socket created here (an alias of a resource of this file whose owner
   * contains the wrapper) stays the function's own.
   */
  private markBorrowedWrappers(resources: Resource[]): void {
    const owners = new Map<Variable, Resource[]>();
    for (const r of resources) {
      for (const v of r.aliases) {
        let list = owners.get(v);
        if (!list) owners.set(v, (list = []));
        list.push(r);
      }
    }
    // Not the wrapper itself: `socket = tls.connect({ socket })` reads the variable's value before the wrapper is
    // stored in it.
    const ownedHere = (u: TSESTree.Node, r: Resource): boolean => {
      const v = u.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(u) : undefined;
      return !!v && (owners.get(v) ?? []).some((other) => other !== r && contains(other.ownerNode, r.report));
    };
    for (const r of resources) {
      if (r.exempt !== undefined) continue;
      for (const carried of this.carriedValues(r.report)) {
        const u = unwrap(carried);
        if (u.type === AST_NODE_TYPES.CallExpression || u.type === AST_NODE_TYPES.NewExpression || u.type === AST_NODE_TYPES.AwaitExpression) continue;
        if (u.type !== AST_NODE_TYPES.Identifier && u.type !== AST_NODE_TYPES.MemberExpression) continue;
        if (!this.m.kindOfNode(u)?.isStream || ownedHere(u, r)) continue;
        r.exempt = 'borrowed-wrapper';
        break;
      }
      // The stream a wrapping kind is given in its wrapping place, of no resource kind: a plain `stream.Duplex`
      // (http's 'upgrade' and 'connect' events hand one over) or `any` (JavaScript, untyped owners).
      const place = r.kind.wrapsStream;
      if (r.exempt !== undefined || !place) continue;
      const wrapped = wrappedValues(this.m, r.report, place);
      if (place.methodOption) for (const call of this.methodCallsOn(r, place.methodOption.methods)) wrapped.push(...wrappedValues(this.m, call, { option: place.methodOption.option }));
      for (const u of wrapped) {
        if (u.type !== AST_NODE_TYPES.Identifier && u.type !== AST_NODE_TYPES.MemberExpression) continue;
        if (ownedHere(u, r) || !(this.isGivenStream(u) || this.m.kindOfNode(u)?.isStream)) continue;
        r.exempt = 'borrowed-wrapper';
        break;
      }
    }
  }

  /**
   * The calls of these methods on the resource: on one of its variables, also at the end of a chain of methods that
   * return their receiver (`client.on('ready', f).connect(config)`).
   */
  private methodCallsOn(r: Resource, methods: ReadonlySet<string>): TSESTree.CallExpression[] {
    const out: TSESTree.CallExpression[] = [];
    for (const call of this.m.syntax.callsNamed(methods)) {
      const callee = unwrap(call.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression) continue;
      let receiver = unwrap(callee.object);
      for (let depth = 0; receiver.type === AST_NODE_TYPES.CallExpression && depth < 8; depth++) {
        const inner = unwrap(receiver.callee);
        const name = inner.type === AST_NODE_TYPES.MemberExpression ? propertyName(inner) : undefined;
        if (inner.type !== AST_NODE_TYPES.MemberExpression || name === undefined || !(r.kind.returnsSelf.has(name) || LISTENER_METHODS.has(name))) break;
        receiver = unwrap(inner.object);
      }
      const v = receiver.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(receiver) : undefined;
      if (receiver === r.report || (v && r.aliases.has(v))) out.push(call);
    }
    return out;
  }

  /** Is this value (not made here) an open stream of no resource kind, or `any`? */
  private isGivenStream(u: TSESTree.Node): boolean {
    if (this.m.kindOfNode(u)) return false;
    const declared = this.m.declaredType(u);
    if (!declared) return false;
    const t = this.m.checker.getNonNullableType(declared);
    if (t.flags & ts.TypeFlags.Any) return true;
    return !!t.getProperty('pipe') && !!t.getProperty('destroy');
  }

  /**
   * The values a creation call is given: its arguments, and the property values of its options objects — an object
   * literal, `Object.assign({}, options, { socket })`, or a local initialised with either.
   */
  private carriedValues(node: TSESTree.CallExpression | TSESTree.NewExpression): TSESTree.Node[] {
    const out: TSESTree.Node[] = [];
    const fromOptions = (expr: TSESTree.Node, depth: number): boolean => {
      const e = unwrap(expr);
      if (e.type === AST_NODE_TYPES.ObjectExpression) {
        for (const prop of e.properties) if (prop.type === AST_NODE_TYPES.Property && !prop.computed) out.push(prop.value);
        return true;
      }
      if (depth > 2) return false;
      if (e.type === AST_NODE_TYPES.CallExpression && dottedName(e.callee) === 'Object.assign') {
        for (const a of e.arguments) if (a.type !== AST_NODE_TYPES.SpreadElement) fromOptions(a, depth + 1);
        return true;
      }
      // `const opts = { socket }; tls.connect(opts)`
      if (e.type === AST_NODE_TYPES.Identifier) {
        const def = this.m.varOf.get(e)?.defs[0]?.node;
        if (def?.type === AST_NODE_TYPES.VariableDeclarator && def.init) fromOptions(def.init, depth + 1);
      }
      return false;
    };
    for (const arg of node.arguments) {
      if (fromOptions(arg, 0)) continue;
      out.push(unwrap(arg));
    }
    return out;
  }

  private tryCreate(node: TSESTree.CallExpression | TSESTree.NewExpression, flow: FunctionFlow): Resource | undefined {
    let kind: ResourceKind | undefined;
    let value: TSESTree.Node = node;
    // `await new Redis()`, `await mysql.createPool(…)`: awaiting what is no promise gives the socket itself.
    let awaitsSocket = false;
    // (`await connect(url).catch(handler)` too: the await gives what the call resolves to, or the handler's value.)
    const awaited = awaitOf(node);
    if (awaited) {
      // The creation test first: it asks for the call's own type only when the callee's declared signatures may
      // return a resource (the type of an awaited generic call costs the checker an instantiation).
      const direct = this.m.creationKind(node);
      if (direct) {
        // A creation's own value is a resource (its kind is the call's type's).
        kind = direct;
        awaitsSocket = true;
        value = awaited;
      } else {
        // `await connectAsync()` owns what the promise resolves to.
        kind = this.m.awaitedCreationKind(node, awaited);
        if (kind) value = awaited;
        else return undefined;
        // The call's own value is a resource, but no new one (`await client.connect()` resolves to the client).
        if (this.m.kindOfNode(node)) return undefined;
        // `await reject(socket)` whose body returns `socket.end()`: it resolves to a socket that exists already.
        if (node.type === AST_NODE_TYPES.CallExpression && (!this.m.isFactoryCall(node) || this.m.callsMemoized(node))) return undefined;
      }
    } else {
      kind = this.m.creationKind(node);
    }
    if (!kind) return undefined;
    const ownerNode = flow.node;
    const r = this.newResource(kind, node, flow, ownerNode);
    addOp(r, node, { t: 'create', idle: (value === node || awaitsSocket) && createsIdle(this.m, node, kind) });
    // `http.get()`: created and released by its creator at once (only what can still keep it open is checked).
    if (node.type === AST_NODE_TYPES.CallExpression && this.m.releasedByCreator(node, kind)) addOp(r, node, { t: 'kill', why: 'release' });
    // `net.connect({ host, port, timeout: 1000 })` arms the idle timeout as `setTimeout(1000)` does.
    const option = kind.idleTimeout?.option;
    if (option !== undefined && node.type === AST_NODE_TYPES.CallExpression) {
      const armed = node.arguments.flatMap((given) => {
        const arg = this.optionsObject(given, option);
        return !arg
          ? []
          : arg.properties.filter(
              (p): p is TSESTree.Property =>
                p.type === AST_NODE_TYPES.Property && !p.computed && p.kind === 'init' && keyName(p.key) === option && !(p.value.type === AST_NODE_TYPES.Literal && p.value.value === 0),
            );
      });
      // Asked only when there is such an option: a wrapper's option of the same name may mean something else.
      if (armed.length > 0 && this.declaredByNode(node)) r.idleTimeouts.push(...armed);
    }
    // net/http/https/http2/tls createServer(handler), and `new net.Server(handler)` where the kind's creation callback
    // handles connections (not `new WebSocketServer(options, onListening)`): it serves for the life of the process.
    const handles = node.type === AST_NODE_TYPES.CallExpression || (!!kind.creationCallbackEvent && !!kind.serverHandlerEvents?.has(kind.creationCallbackEvent));
    if (kind.serverHandlerEvents && handles && node.arguments.some((a, i) => this.m.isHandlerArgument(node, a, i))) r.exempt = 'server-handler';
    // `await startServer(port)` of a function (of any file) that returns a server it gave a handler: serving already.
    if (kind.serverHandlerEvents && r.exempt === undefined && node.type === AST_NODE_TYPES.CallExpression && this.m.returnsServingServer(node, kind.serverHandlerEvents)) r.exempt = 'server-handler';
    // `app.listen(port)` (Express, Koa): the app that made it is its handler.
    const maker = node.type === AST_NODE_TYPES.CallExpression ? calleeMember(node) : undefined;
    const makerMethod = maker ? propertyName(maker) : undefined;
    if (makerMethod !== undefined && kind.servingCreators?.has(makerMethod)) r.exempt = 'server-handler';
    if (this.isModuleScope(ownerNode)) r.exempt ??= 'module';
    // A field's initialiser: the creation itself, or the creation through methods that return it (`private socket =
    // createSocket('udp4').unref()`, `net.connect(port).setNoDelay(true)`).
    // The default value of a constructor's parameter property (`constructor(private socket = dgram.createSocket('udp4'))`):
    // stored in `this.socket` when the caller gives none.
    const stored = this.selfChainEnd(node, kind);
    const defaulted = stored.parent;
    if (defaulted?.type === AST_NODE_TYPES.AssignmentPattern && defaulted.right === stored && defaulted.parent?.type === AST_NODE_TYPES.TSParameterProperty && defaulted.left.type === AST_NODE_TYPES.Identifier) {
      const cls = thisClass(defaulted.parent);
      if (cls) r.field = { name: defaulted.left.name, cls, assign: defaulted.parent };
      addOp(r, node, { t: 'kill', why: 'escape' });
    } else if (ownerNode.parent?.type === AST_NODE_TYPES.PropertyDefinition && stored === ownerNode) {
      const cls = thisClass(ownerNode);
      const prop = ownerNode.parent;
      // A computed key (`[NET] = new Socket()` with `const NET = Symbol()`) names no field: its reads (`this[NET]`)
      // are dynamic accesses, as for `this[key] = …` (the socket escapes into the object).
      const name =
        prop.key.type === AST_NODE_TYPES.PrivateIdentifier
          ? `#${prop.key.name}`
          : prop.key.type === AST_NODE_TYPES.Identifier && !prop.computed
            ? prop.key.name
            : undefined;
      if (cls && name && !prop.static) r.field = { name, cls, assign: prop };
      addOp(r, node, { t: 'kill', why: 'escape' });
    } else {
      // The creation call's own callbacks (`net.connect(port, () => ...)`).
      if (node.type === AST_NODE_TYPES.CallExpression) {
        for (const arg of node.arguments) {
          const fn = this.m.functionValue(arg);
          if (!fn) continue;
          // A one-time event's callback (`connect`) runs once; a `message` or `connection` listener many times.
          const event = kind.creationCallbackEvent;
          const once = event === undefined || ONE_TIME_EVENTS.has(event);
          r.registrations.push({ event, fnNode: arg, fn, once, via: once ? 'callback' : 'listener', call: node });
        }
      }
      this.values.handleValue(r, value, true);
    }
    this.followAliases(r);
    if (r.field) this.handleFieldReferences(r);
    this.handleCreatorReleases(r);
    this.settlesOfSurvivingClient(r);
    const attached = r.kind.serverHandlerEvents ? this.attachedTo(r) : [];
    this.relayedRegistrations(r, attached);
    // `await pool.connect();` as a statement of the module: nothing holds what it made, so it does not live with the
    // process for a purpose — nothing can ever use or release it (a pool slot pinned for good).
    if (r.exempt === 'module' && r.discarded && r.registrations.length === 0) r.exempt = undefined;
    if (this.callsUndeclaredMethod(r)) r.exempt = 'mistyped';
    // (A handler registered on a server that never listens serves nothing: that wins over 'server-handler'.)
    if ((r.exempt === undefined || r.exempt === 'server-handler') && neverOpened(this.m, r, node)) r.exempt = 'never-opened';
    if (this.settlesOnlyOnClose(r)) r.exempt ??= 'settles-on-close';
    if (isFunction(r.ownerNode) && expectedToThrow(r.ownerNode)) r.exempt ??= 'expected-to-throw';
    if (openingExpectedToReject(r)) r.exempt ??= 'expected-to-throw';
    if (this.isBoundReceiver(r) || attached.some(({ host, kind }) => this.servesForLife(host, kind)) || this.reconnectsOnClose(r) || this.usedByModuleListener(r) || this.usedByEndlessInterval(r)) {
      r.exempt ??= 'server-handler';
    }
    // `server.http().listen(3000)` (jayson): a server that a package's own method makes (not one of Node's creators)
    // comes with the handler the package gave it; listened here, it serves for the life of the process.
    if (kind.serverHandlerEvents && r.exempt === undefined && node.type === AST_NODE_TYPES.CallExpression && this.listenedHere(r, node) && this.madeByPackage(node)) {
      r.exempt = 'server-handler';
    }
    // `client.on('notification', fn); await client.query(`LISTEN ${ch}`); this.listeners.set(ch, client)`: a serving
    // resource put into a collection held by a field of its class serves for as long as that owner keeps it, not for
    // the life of the process; the paths before the store are checked as any resource's (a failed LISTEN leaves a
    // connection nothing can reach).
    if (r.exempt === 'server-handler' && fieldCollectionsHolding(r).length > 0) r.exempt = undefined;
    if (r.field && this.isModuleSingleton(r.field.cls)) r.fieldForLife = true;
    return r;
  }

  /**
   * `await client.connect()` of a shared client that the function releases itself ({@link CreationSites.sharedOpenKind}):
   * the function's resource from that call on. The client's references in the function's own code are its uses and
   * releases (other functions' references are theirs: the name is followed only in this one).
   */
  private tryCreateSharedOpen(node: TSESTree.CallExpression, flow: FunctionFlow): Resource | undefined {
    const owner = flow.node;
    const kind = isFunction(owner) ? this.m.sharedOpenKind(node) : undefined;
    const member = node.callee;
    const receiver = member.type === AST_NODE_TYPES.MemberExpression ? unwrap(member.object) : undefined;
    const v = receiver?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(receiver) : undefined;
    if (!kind || !v) return undefined;
    const r = this.newResource(kind, node, flow, owner);
    addOp(r, node, { t: 'create' });
    for (const ref of v.references) {
      const id = ref.identifier;
      if (ref.isWrite() || id === receiver || !contains(owner, id) || enclosingFunction(id) !== owner) continue;
      this.values.handleValue(r, id, false);
    }
    // `const c = await client.connect()`: the value it resolves to is the same client.
    const value = climbValue(node);
    const outer = value.parent?.type === AST_NODE_TYPES.AwaitExpression ? value.parent : value;
    if (climbValue(outer).parent?.type !== AST_NODE_TYPES.ExpressionStatement) this.values.handleValue(r, outer, false);
    this.followAliases(r);
    // The analyses read its operations in the function through the client's name (their reads stay in the function).
    r.aliases.add(v);
    return r;
  }

  /**
   * The value a creation's own value flows to through calls, made directly on it, of methods that return it
   * (`createSocket('udp4').unref()`, `net.connect(port).setNoDelay(true)`: declared to return `this`, or the kind's
   * `returnsSelf`); the creation's own value when no such call is made on it.
   */
  private selfChainEnd(node: TSESTree.Node, kind: ResourceKind): TSESTree.Node {
    let value = climbValue(node);
    for (;;) {
      const member = value.parent;
      const call = member?.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== value || call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== member) return value;
      const name = propertyName(member);
      if (name === undefined || !(kind.returnsSelf.has(name) || this.m.returnsSameSocket(call, kind))) return value;
      value = climbValue(call);
    }
  }

  /**
   * A connection whose own close listener makes the next one: the function that creates it is called again from
   * there (`ws.onclose = () => setTimeout(() => this.connect(), 1000)` in `connect()`, `socket.on('close', () =>
   * open(url))` in `function open(url)`). It is meant to stay open for the life of the process, as a server with a
   * handler is; what closes it is its peer, and then it is replaced.
   */
  private reconnectsOnClose(r: Resource): boolean {
    const owner = r.ownerNode;
    if (!isFunction(owner)) return false;
    // An owner that is a timer's callback (`setTimeout(() => { ws = new WebSocket(url); … }, delay)`) runs again when
    // the function that arms that timer is called.
    const armer = callbackRole(owner)?.via === 'timer' ? enclosingFunction(owner) : undefined;
    const runsOwner = (call: TSESTree.CallExpression): boolean => this.callsFunction(call, owner) || (!!armer && this.callsFunction(call, armer));
    const reconnects = (given: Registration): boolean => {
      // `this.socket.on('close', this.onClose.bind(this))`: the method it binds.
      const reg = given.fn ? given : { ...given, fn: this.boundMethod(given.fnNode) };
      if (reg.via !== 'listener' || reg.event === undefined || !r.kind.closedEvents.has(reg.event) || !reg.fn) return false;
      // The listener, and (a few steps deep) the local functions and methods of the class it calls or hands on
      // (`this.scheduleReconnect()` arming a timer or a listener with `this.reconnect`, which calls the owner).
      // Only for a socket in a local: one kept in a field has the field's own checks (a `close()` that clears the
      // field before it releases it drops the socket, reconnect or not), and only a direct call of the owner exempts
      // it. Reopening the same socket (`this.client.connect(port)`, a reopen method of its kind on the field or a
      // local alias) exempts it from any of those steps: the object stays where it is, open again.
      const seen = new Set<TSESTree.Node>([reg.fn]);
      let frontier: TSESTree.Node[] = [reg.fn];
      for (let depth = 0; depth < 4 && frontier.length > 0; depth++) {
        const next: TSESTree.Node[] = [];
        let found = false;
        for (const fn of frontier) {
          walkAst(fn, this.m.sourceCode.visitorKeys, (n) => {
            // A socket in a field reached only through methods (`'close'` → `this.onClose()` → `this.reconnect()` →
            // timer → `this.connect()`): no exemption, but the path its releases must stop (reconnectsAfterRelease).
            const deep = !!r.field && depth > 0;
            if (n.type === AST_NODE_TYPES.CallExpression) {
              if (this.reopensSame(r, n) || (!deep && runsOwner(n))) found = true;
              else if (deep && runsOwner(n)) deepPath ??= { listener: reg, functions: new Set(seen) };
            } else if (n.type === AST_NODE_TYPES.Identifier || n.type === AST_NODE_TYPES.MemberExpression) {
              const called = this.namedFunction(n);
              // `setTimeout(connect, 2000)`, `setTimeout(this.connect.bind(this), ms)`: the owner handed on by name, to run again.
              if (called === owner && handedAsCallback(n)) {
                if (!deep) found = true;
                else deepPath ??= { listener: reg, functions: new Set(seen) };
              } else if (called && called !== owner && !seen.has(called)) {
                seen.add(called);
                next.push(called);
              }
            }
            return found;
          });
          if (found) {
            r.reconnect = { listener: reg, functions: seen };
            return true;
          }
        }
        frontier = next;
      }
      return false;
    };
    let deepPath: Resource['reconnect'];
    // The listeners it is given here first; those that a function of the file registers on it only when none reconnects.
    if (r.registrations.some(reconnects) || this.calleeCloseListeners(r).some(reconnects)) return true;
    if (deepPath) r.reconnect = deepPath;
    return false;
  }

  /** `this.onClose.bind(this)`: the method of the class it binds, for a field socket's listener given so. */
  private boundMethod(node: TSESTree.Node): FunctionNode | undefined {
    const call = unwrap(node);
    const callee = call.type === AST_NODE_TYPES.CallExpression ? unwrap(call.callee) : undefined;
    if (!callee || !isBindMember(callee)) return undefined;
    const method = this.m.thisMethodValue(unwrap(callee.object));
    return method && isFunction(method) ? method : undefined;
  }

  /**
   * The close-event listeners that a function of the file registers on the parameter it is given the resource as
   * (`setUpAutoReconnect(url, ws)` with `ws.on('close', () => …)` in its body). Only for a socket in a local.
   */
  private calleeCloseListeners(r: Resource): Registration[] {
    if (r.field) return [];
    const out: Registration[] = [];
    for (const v of r.aliases) {
      for (const ref of v.references) {
        const value = climbValue(ref.identifier);
        const call = value.parent;
        if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee === value) continue;
        const index = call.arguments.indexOf(value as TSESTree.CallExpressionArgument);
        const fn = index >= 0 ? this.m.functionValue(call.callee) : undefined;
        const param = fn?.params[index];
        const pv = param?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(param) : undefined;
        for (const pref of pv?.references ?? []) {
          const mc = methodCallOn(pref.identifier);
          const event = mc && LISTENER_METHODS.has(mc.name) ? stringValue(mc.call.arguments[0]) : undefined;
          const arg = mc?.call.arguments[1];
          const listener = arg ? this.m.functionValue(arg) : undefined;
          if (!mc || event === undefined || !r.kind.closedEvents.has(event) || !arg || !listener) continue;
          out.push({ event, fnNode: arg, fn: listener, once: ONCE_LISTENER_METHODS.has(mc.name), via: 'listener', call: mc.call });
        }
      }
    }
    return out;
  }

  /**
   * The function a name refers to: a local function, a method of the class on `this`, or a field of the class holding
   * one (`reconnectCallback = this.reconnect.bind(this)`).
   */
  private namedFunction(n: TSESTree.Node): FunctionNode | undefined {
    if (n.type === AST_NODE_TYPES.Identifier) return this.m.functionValue(n);
    const method = this.m.thisMethodValue(n);
    if (method) return method;
    // `module.exports.retry()`: a function the module exports, called through its exports.
    if (n.type === AST_NODE_TYPES.MemberExpression && !thisOf(n.object)) {
      const exported = this.m.methodOf(n);
      if (exported) return exported;
    }
    const name = thisMemberName(n);
    const cls = name !== undefined ? thisClass(n) : undefined;
    if (!cls || name === undefined) return undefined;
    const held = (v: TSESTree.Node): FunctionNode | undefined => {
      const value = unwrap(v);
      const bound = value.type === AST_NODE_TYPES.CallExpression && isBindMember(value.callee) ? value.callee.object : undefined;
      return bound ? this.m.thisMethodValue(bound) : this.m.functionValue(value);
    };
    for (const el of cls.body.body) {
      if (el.type !== AST_NODE_TYPES.PropertyDefinition || el.static || el.computed || keyName(el.key) !== name || !el.value) continue;
      return held(el.value);
    }
    // `this.reconnectCallback = this.reconnect.bind(this)` in a method (the constructor): the one store of the field.
    const stores = (this.m.syntax.membersByName.get(name) ?? []).filter(
      (x) => x.parent?.type === AST_NODE_TYPES.AssignmentExpression && x.parent.left === x && thisClass(x) === cls,
    );
    const only = stores.length === 1 ? stores[0]?.parent : undefined;
    return only?.type === AST_NODE_TYPES.AssignmentExpression && only.operator === '=' ? held(only.right) : undefined;
  }

  /**
   * A socket that a repeating listener of a module-level emitter uses (`packet.on('send', (msg) => client.send(msg,
   * …))`, `packet` declared at the top of the module), or of the process's IPC messages (`process.on('message', …)`):
   * that listener holds it for the life of the process, and uses it on every event, so it is meant to stay open.
   */
  private usedByModuleListener(r: Resource): boolean {
    const owner = r.ownerNode;
    if (!isFunction(owner)) return false;
    for (const v of r.aliases) {
      for (const ref of v.references) {
        for (let f = enclosingFunction(ref.identifier); f && f !== owner; f = enclosingFunction(f)) {
          const role = callbackRole(f);
          if (role?.via !== 'listener' || role.once || !role.emitter) continue;
          const emitter = unwrap(role.emitter);
          const ev = emitter.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(emitter) : undefined;
          const def = ev?.defs[0];
          const moduleEmitter = !!ev && !r.aliases.has(ev) && def?.type === DefinitionType.Variable && def.parent?.parent?.type === AST_NODE_TYPES.Program;
          // `process.on('message', (m) => client.publish(…))`: the process's own IPC messages, for its whole life.
          const processEmitter = emitter.type === AST_NODE_TYPES.Identifier && emitter.name === 'process' && !ev && role.event === 'message';
          if ((moduleEmitter || processEmitter) && !r.releasesInside(f)) return true;
        }
      }
    }
    return false;
  }

  /**
   * Made in a Promise executor that a timer or an incoming message resolves (`setTimeout(() => resolve(heard), ms)`, a
   * `'message'` listener calling `resolve(reply)`): the socket serves a query that completes, not the process (a
   * server's start resolves from its `bind()` callback or `'listening'`).
   */
  private settlesWithResult(r: Resource, events: ReadonlySet<string>): boolean {
    const executor = r.ownerNode;
    if (!isExecutor(executor)) return false;
    const resolve = executor.params[0];
    const rv = resolve?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(resolve) : undefined;
    for (const ref of rv?.references ?? []) {
      if (ref.init) continue;
      const value = climbValue(ref.identifier);
      const call = value.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression) continue;
      // `resolve(x)` called in a timer or a message listener; `setTimeout(resolve, ms)`: given as the timer's callback.
      const caller = call.callee === value ? enclosingFunction(call) : undefined;
      const role = caller ? (caller !== executor ? callbackRole(caller) : undefined) : call.arguments.includes(value as TSESTree.CallExpressionArgument) ? callbackRole(value) : undefined;
      if (role?.via === 'timer' || (role?.via === 'listener' && role.event !== undefined && events.has(role.event))) return true;
    }
    return false;
  }

  /**
   * `new Promise((resolve, reject) => { const s = net.connect(port); …; s.on('end', () => resolve(data)); s.on('error',
   * reject); })`: made in a Promise executor that settles only in the resource's own listeners of events after which
   * it is closed (its closed events — a socket's `'end'`, as it ends its side on the peer's — and an error event that
   * destroys it), so whoever awaits the promise finds it closed; while the peer keeps it open, nothing settles. The
   * same for a function that tells its caller through the callbacks it is given ({@link settlingParameters}), one
   * of them called in a closed event's listener.
   */
  private settlesOnlyOnClose(r: Resource): boolean {
    const owner = r.ownerNode;
    if (!isFunction(owner) || r.field || r.outerStore || r.registrations.length === 0) return false;
    const closing = r.registrations.filter((g) => g.via === 'listener' && releasedBeforeEvent(r.kind, g.event));
    const listeners = closing.map((g) => unwrap(g.fnNode));
    if (listeners.length === 0) return false;
    // A callback (not an executor's settle) called only on an error tells the caller of failures alone: a socket that
    // connects is left to nobody, not settled once the peer closes it (`function probe(port, cb) { …; s.once('error',
    // () => cb()); }`). One of its calls must be in a listener of a closed event other than the error event.
    // Made in a callback given (directly, or through callbacks given in it) inside an executor (`new Promise((resolve,
    // reject) => dns.lookup(host, (err, addr) => { if (err) return reject(err); const s = net.connect(43, addr); … }))`):
    // that executor's settles, those made before the socket exists in the code of the callbacks on the way aside.
    // Or inside a test case's function whose `done` tells the runner the test is over (`it('…', (done) => {
    // app.listen(() => { const s = net.connect(port); s.on('end', () => done()); }); })`), a callback as above.
    const outer = isExecutor(owner) ? undefined : (this.executorAround(owner) ?? this.testCaseAround(owner));
    const executor = isExecutor(owner) || (!!outer && isExecutor(outer.executor));
    const errorEvent = r.kind.errorEvent?.name;
    const onClosed = new Set(closing.filter((g) => g.event !== errorEvent).map((g) => unwrap(g.fnNode)));
    let settles = 0;
    let closedSettles = 0;
    for (const param of this.settlingParameters(outer?.executor ?? owner)) {
      const v = param.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(param) : undefined;
      for (const ref of v?.references ?? []) {
        if (ref.init) continue;
        const id = ref.identifier;
        const call = id.parent;
        const around = call?.type === AST_NODE_TYPES.CallExpression && call.callee === id ? (enclosingFunction(call) as TSESTree.Node | undefined) : undefined;
        const inListener = !!around && listeners.includes(around);
        if (outer && !listeners.includes(id) && !inListener && id.range[1] <= r.report.range[0] && outer.path.includes(enclosingFunction(id) as FunctionNode)) continue;
        if (!listeners.includes(id) && !inListener) return false;
        settles++;
        if (onClosed.has(id) || (around && onClosed.has(around))) closedSettles++;
      }
    }
    return settles > 0 && (executor || closedSettles > 0);
  }

  /**
   * The Promise executor `fn` runs in when `fn` is a callback given to a call in it (or in a callback given there, and
   * so on), with the functions on the way (`fn` first, the executor last).
   */
  private executorAround(fn: FunctionNode): { executor: FunctionNode; path: FunctionNode[] } | undefined {
    const path: FunctionNode[] = [];
    for (let f: FunctionNode | undefined = fn; f && path.length < 4; f = enclosingFunction(f)) {
      path.push(f);
      const p = f.parent;
      if (isExecutor(f)) return f === fn ? undefined : { executor: f, path };
      if (p?.type !== AST_NODE_TYPES.CallExpression || !p.arguments.includes(f)) return undefined;
    }
    return undefined;
  }

  /**
   * The test case's function (`it('…', (done) => { … })`) `fn` runs in when `fn` is a callback given to a call in it
   * (or in a callback given there, and so on), with the functions on the way (`fn` first, the test's function last).
   */
  private testCaseAround(fn: FunctionNode): { executor: FunctionNode; path: FunctionNode[] } | undefined {
    const path: FunctionNode[] = [];
    for (let f: FunctionNode | undefined = fn; f && path.length < 4; f = enclosingFunction(f)) {
      path.push(f);
      const p = f.parent;
      if (p?.type !== AST_NODE_TYPES.CallExpression || !p.arguments.includes(f as TSESTree.CallExpressionArgument)) return undefined;
      if (isTestCase(p)) return f === fn ? undefined : { executor: f, path };
    }
    return undefined;
  }

  /**
   * The parameters through which a function tells its caller that it is done: a Promise executor's `resolve` and
   * `reject`; of another function that returns nothing (no `return` with a value in its own code), every parameter
   * it calls — a callback (`function whois(host, q, done) { …; s.on('close', () => done(data)); }`). None for a function
   * that returns a value, which tells its caller without them.
   */
  private settlingParameters(fn: FunctionNode): TSESTree.Parameter[] {
    const node: TSESTree.Node = fn;
    if (isExecutor(node)) return node.params.slice(0, 2);
    if (fn.body.type !== AST_NODE_TYPES.BlockStatement || fn.async || fn.generator) return [];
    let returnsValue = false;
    walkAst(fn.body, this.m.sourceCode.visitorKeys, (n) => {
      if (n.type === AST_NODE_TYPES.ReturnStatement && n.argument && enclosingFunction(n) === fn) returnsValue = true;
      return returnsValue;
    });
    if (returnsValue) return [];
    // (Called, or given by name as a listener: `s.on('close', done)`.)
    const calledOrListening = (id: TSESTree.Node): boolean => {
      const call = id.parent;
      return call?.type === AST_NODE_TYPES.CallExpression && (call.callee === id || (call.arguments[1] === id && LISTENER_METHODS.has(calleeName(call) ?? '')));
    };
    return fn.params.filter((param) => {
      const v = param.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(param) : undefined;
      return !!v && v.references.some((ref) => calledOrListening(ref.identifier));
    });
  }

  /** `x.connect(…)` (a reopen method of the resource's kind) on a local alias of it, or on the field that holds it. */
  private reopensSame(r: Resource, call: TSESTree.CallExpression): boolean {
    const callee = unwrap(call.callee);
    const name = callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
    if (callee.type !== AST_NODE_TYPES.MemberExpression || name === undefined || !r.kind.reopens.has(name)) return false;
    const object = unwrap(callee.object);
    if (object.type === AST_NODE_TYPES.Identifier) {
      const v = this.m.varOf.get(object);
      return !!v && r.aliases.has(v);
    }
    return isFieldMember(r.field, object);
  }

  /**
   * Is this a call of `fn`: by the name it is declared with, or as a method of the class (also one held by a class
   * property, `connect = () => { … }`), on `this` (or an alias)?
   */
  private callsFunction(call: TSESTree.CallExpression, fn: FunctionNode): boolean {
    const callee = unwrap(call.callee);
    if (callee.type === AST_NODE_TYPES.Identifier) {
      const def = this.m.varOf.get(callee)?.defs[0];
      // (A parameter's definition node is its function too: `resolve()` in an executor does not call the executor.)
      return !!def && ((def.type === DefinitionType.FunctionName && def.node === fn) || (def.node.type === AST_NODE_TYPES.VariableDeclarator && def.node.init === fn));
    }
    // `module.exports.connect()`, `exports.connect()`: a CommonJS module's own export.
    if (callee.type === AST_NODE_TYPES.MemberExpression && !thisOf(callee.object) && this.m.methodOf(callee) === fn) return true;
    const method = fn.parent;
    if (callee.type !== AST_NODE_TYPES.MemberExpression || (method?.type !== AST_NODE_TYPES.MethodDefinition && method?.type !== AST_NODE_TYPES.PropertyDefinition) || method.value !== fn || method.computed) return false;
    const name = keyName(method.key);
    return name !== undefined && propertyName(callee) === name && !!thisOf(callee.object) && thisClass(callee) === method.parent.parent;
  }

  /**
   * A receiver ({@link ResourceKind.receiver}): bound, with a repeating listener for incoming messages, and not
   * closed by the function that makes it (one that closes it, in its own code or a callback, is a client waiting for
   * replies: it is checked in full).
   */
  private isBoundReceiver(r: Resource): boolean {
    const receiver = r.kind.receiver;
    if (!receiver || !r.registrations.some((reg) => reg.via === 'listener' && !reg.once && reg.event !== undefined && receiver.events.has(reg.event))) return false;
    const sites: TSESTree.Node[] = [r.report, ...[...r.aliases].flatMap((v) => v.references.map((ref) => ref.identifier))];
    // A close in its own 'error' listener is cleanup on failure (Node's own UDP server example), unless the function
    // also sends a query (in its own code or a callback such as the 'listening' one; not a reply from a 'message'
    // listener, as a server makes): a scan or query socket waiting for replies.
    const errorEvent = r.kind.errorEvent?.name;
    const inErrorListener = (node: TSESTree.Node): boolean =>
      errorEvent !== undefined && r.registrations.some((reg) => reg.via === 'listener' && reg.event === errorEvent && !!reg.fn && contains(reg.fn, node));
    const sends = (): boolean =>
      sites.some((site) => {
        const mc = methodCallOn(site);
        return (
          !!mc &&
          receiver.queryMethods.has(mc.name) &&
          contains(r.ownerNode, mc.call) &&
          !r.registrations.some((reg) => reg.via === 'listener' && reg.event !== undefined && receiver.events.has(reg.event) && !!reg.fn && contains(reg.fn, mc.call))
        );
      });
    for (const [node, ops] of r.ops) {
      if (contains(r.ownerNode, node) && ops.some((o) => o.t === 'kill' && o.why === 'release') && (!inErrorListener(node) || sends())) return false;
    }
    if (this.settlesWithResult(r, receiver.events)) return false;
    // A socket held in a field is bound through the field, in any method of the class.
    if (r.field) sites.push(...this.m.fieldMembers(r.field));
    return sites.some((site) => {
      const mc = methodCallOn(site);
      return !!mc && receiver.bindMethods.has(mc.name);
    });
  }

  /**
   * Does the function call a release or use method (of some kind) on the resource that its declared type does not
   * have (`client.write()` on a value a wrong JSDoc types as a `dgram.Socket`)? Then the type, and the kind read from it, are wrong: it is not
   * checked (no-leak). TypeScript code that compiles never does this.
   */
  private callsUndeclaredMethod(r: Resource): boolean {
    try {
      // `http.createServer(handler).withShutdown()`: a method added at run time, called on the creation itself, takes
      // it where the types do not go.
      const chained = methodCallOn(r.report);
      if (chained && !chained.member.computed && this.typeLacks(r.report, chained.name)) return true;
      for (const v of r.aliases) {
        for (const ref of v.references) {
          const mc = methodCallOn(ref.identifier);
          // An operation of another kind (`write()`, `end()` on a "dgram.Socket"): the code treats it as something else.
          // Or a release-like method added at run time (`server.shutdown()` after http-shutdown's `withShutdown()`,
          // server-destroy's `server.destroy()`): what it does is not in the types.
          if (!mc || !contains(r.ownerNode, mc.call) || (!this.m.registry.anyOperation.has(mc.name) && !RUNTIME_RELEASE.test(mc.name))) continue;
          // `const connection: Connection = await amqp.connect(url)` under typings that renamed the model: what was made
          // has the method; the annotation is what is stale.
          if (this.typeLacks(ref.identifier, mc.name) && !(this.annotated(v) && this.createdHas(r, mc.name))) return true;
        }
      }
      return false;
    } catch (error) {
      return recover(error, false);
    }
  }

  /** Is the variable declared with a type annotation? */
  private annotated(v: Variable): boolean {
    const name = v.defs[0]?.name;
    return !!name && name.type === AST_NODE_TYPES.Identifier && !!name.typeAnnotation;
  }

  /** Does the value the creation gives (awaited, for an awaited creation) have a member of this name? */
  private createdHas(r: Resource, name: string): boolean {
    const value = climbValue(r.report);
    return this.typeHas(value.parent?.type === AST_NODE_TYPES.AwaitExpression ? value.parent : value, name) === true;
  }

  /** Is the node's type a known one (not `any`, `unknown` or `never`) without a member of this name? */
  private typeLacks(node: TSESTree.Node, name: string): boolean {
    return this.typeHas(node, name) === false;
  }

  /** Does the node's type have a member of this name; undefined when the type is `any`, `unknown` or `never`. */
  private typeHas(node: TSESTree.Node, name: string): boolean | undefined {
    // A variable's reference: its declared type, not the flow-narrowed type at the reference (asking that of a
    // reference deep in a very long function walks its control flow back to the declaration and reaches TypeScript's
    // depth limit, after which the function's references are errors — and every socket in it goes unseen).
    let type: ts.Type | undefined;
    if (node.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(node)) type = this.m.declaredType(node);
    else {
      const tsNode = this.m.services.esTreeNodeToTSNodeMap.get(node);
      type = tsNode ? this.m.checker.getNonNullableType(this.m.checker.getTypeAtLocation(tsNode)) : undefined;
    }
    return type ? this.m.typeHasMember(type, name) : undefined;
  }

  /**
   * The objects a server is given to as an attached server (`new WebSocketServer({ server })`, an option of the
   * other kind's {@link ResourceKind.attachedOptions}), with their kind. Such a server carries the other one's
   * connections ({@link servesForLife}), and the other one's listeners of the events it relays are its own
   * ({@link relayedRegistrations}).
   */
  private attachedTo(r: Resource): Array<{ host: TSESTree.CallExpression | TSESTree.NewExpression; kind: ResourceKind }> {
    const out: Array<{ host: TSESTree.CallExpression | TSESTree.NewExpression; kind: ResourceKind }> = [];
    for (const v of r.aliases) {
      for (const ref of v.references) {
        const id = ref.identifier;
        const prop = id.parent;
        if (prop?.type !== AST_NODE_TYPES.Property || prop.value !== id || prop.computed) continue;
        const key = keyName(prop.key);
        const options = prop.parent;
        const host = options?.parent;
        if (key === undefined || options?.type !== AST_NODE_TYPES.ObjectExpression || (host?.type !== AST_NODE_TYPES.NewExpression && host?.type !== AST_NODE_TYPES.CallExpression) || !host.arguments.includes(options)) continue;
        // `new ws.Server({ server })` where the typings do not declare that static (it is `any`): the kind it names.
        const kind = this.m.constructedKind(host);
        if (kind?.attachedOptions?.has(key)) out.push({ host, kind });
      }
    }
    return out;
  }

  /**
   * Listeners registered on an object the resource is attached to, for the events it relays from the resource
   * ({@link ResourceKind.relaysEvents}: `wss.once('error', onError)` listens to the HTTP server's own `'error'`).
   */
  private relayedRegistrations(r: Resource, attached: ReadonlyArray<{ host: TSESTree.Node; kind: ResourceKind }>): void {
    for (const { host, kind } of attached) {
      const relayed = kind.relaysEvents;
      if (!relayed) continue;
      const { value, names } = this.valueAndNames(host);
      for (const receiver of [value, ...names]) {
        const mc = methodCallOn(receiver);
        const event = mc && LISTENER_METHODS.has(mc.name) ? stringValue(mc.call.arguments[0]) : undefined;
        const fnNode = mc?.call.arguments[1];
        if (!mc || event === undefined || !relayed.has(event) || !fnNode || fnNode.type === AST_NODE_TYPES.SpreadElement) continue;
        r.registrations.push({ event, fnNode, fn: this.m.functionValue(fnNode), once: ONCE_LISTENER_METHODS.has(mc.name), via: 'listener', call: mc.call });
      }
    }
  }

  /**
   * The attaching server (`new WebSocketServer({ server })`) gets a handler of its connections (an event of its
   * kind's {@link ResourceKind.serverHandlerEvents}) and is neither kept nor handed anywhere: nothing is ever meant
   * to close it, nor the server it carries. One that is stored or returned is closed by its owner, who must close
   * the carried server too (its `close()` leaves that open).
   */
  private servesForLife(host: TSESTree.Node, kind: ResourceKind): boolean {
    const events = kind.serverHandlerEvents;
    if (!events) return false;
    const handles = (receiver: TSESTree.Node): boolean => {
      const mc = methodCallOn(receiver);
      return !!mc && LISTENER_METHODS.has(mc.name) && events.has(stringValue(mc.call.arguments[0]) ?? '');
    };
    const { value, names } = this.valueAndNames(host);
    if (handles(value)) return true;
    // Every read a method call on it (not stored, returned or passed on), one of them registering the handler.
    return names.every((name) => !!methodCallOn(name)) && names.some(handles);
  }

  /** A call's value (through casts), and the reads of the variable it initialises, if it does. */
  private valueAndNames(call: TSESTree.Node): { value: TSESTree.Node; names: TSESTree.Node[] } {
    const value = climbValue(call);
    const decl = value.parent;
    const v = decl?.type === AST_NODE_TYPES.VariableDeclarator && decl.init === value && decl.id.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(decl.id) : undefined;
    return { value, names: (v?.references ?? []).filter((ref) => !ref.init).map((ref) => ref.identifier) };
  }

  /** Is `listen()` called on the creation's value (`make().listen(port)`) or on a local alias of it? */
  private listenedHere(r: Resource, node: TSESTree.CallExpression): boolean {
    if (methodCallOn(climbValue(node))?.name === 'listen') return true;
    return [...r.aliases].some((v) => v.references.some((ref) => !ref.isWrite() && methodCallOn(ref.identifier)?.name === 'listen'));
  }

  /** Is the called function declared by a package's typings (a declaration file that is neither Node's nor TypeScript's)? */
  private madeByPackage(call: TSESTree.CallExpression): boolean {
    const sf = this.declaringFile(call);
    return !!sf && sf.isDeclarationFile && !inNodeTypes(sf.fileName) && !inTypeScriptLibrary(sf.fileName);
  }

  /** {@link calleeDeclarationFile}; undefined after an internal error. */
  private declaringFile(call: TSESTree.CallExpression): ts.SourceFile | undefined {
    try {
      return calleeDeclarationFile(this.m, call);
    } catch (error) {
      return recover(error, undefined);
    }
  }

  /**
   * Is the called function Node's own (`net.connect`, `http.request`: declared in `@types/node`)? A wrapper's option
   * of the same name may mean something else (a connect timeout it implements).
   */
  private declaredByNode(call: TSESTree.CallExpression): boolean {
    const sf = this.declaringFile(call);
    return !!sf && inNodeTypes(sf.fileName);
  }

  /**
   * A client that reconnects by itself until released (the kind's `reconnects`: mqtt, ioredis, node-redis,
   * MongoClient), created inside a Promise executor: settling the promise — from a timer, an 'error'
   * listener — ends the operation, and nothing that runs later is bound to release the client. Such settles count
   * like those of a socket handed to the caller: each must be preceded or followed by a release on its path.
   */
  private settlesOfSurvivingClient(r: Resource): void {
    const fn = r.ownerNode;
    if (r.kind.reconnects !== true || !isFunction(fn)) return;
    // Stored on `this` or outside first (`this.client = mqtt.connect(url)`): the object (or that variable's owner)
    // holds it, and settling is the setup's end, not a drop.
    if (r.field || r.outerStore) return;
    for (const param of fn.params.slice(0, 2)) {
      const v = param.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(param) : undefined;
      if (v && this.m.executorOf(v)) r.settleFns.add(v);
    }
    // `const { promise, resolve, reject } = Promise.withResolvers()` among the statements of its body: the same.
    if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return;
    for (const st of fn.body.body) {
      if (st.type !== AST_NODE_TYPES.VariableDeclaration || st.kind !== 'const') continue;
      for (const d of st.declarations) {
        if (d.id.type !== AST_NODE_TYPES.ObjectPattern) continue;
        for (const prop of d.id.properties) {
          const v = prop.type === AST_NODE_TYPES.Property && prop.value.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(prop.value) : undefined;
          if (v && this.m.executorOf(v)?.executor === fn) r.settleFns.add(v);
        }
      }
    }
  }

  /**
   * `pool.connect((err, client, done) => …)`: a method that hands a new resource to its error-first callback (a
   * kind's `callbackCreates`). The callback owns the resource from its start — its resource parameter — except on
   * the branches where the error parameter is set; calling the release parameter (`done()`) releases it, and
   * passing that function on hands the release to whoever receives it.
   */
  private tryCreateFromCallback(node: TSESTree.CallExpression): Resource | undefined {
    const found = this.callbackCreation(node);
    if (!found) return undefined;
    const { spec, fn, param, kind } = found;
    const flow = this.m.recorder.flowByNode.get(fn);
    const variable = this.m.variableOf(param);
    if (!flow || !variable) return undefined;
    const errorParam = fn.params[spec.error];
    const r = this.newResource(kind, node, flow, fn, {
      start: param,
      errorParam: errorParam?.type === AST_NODE_TYPES.Identifier ? this.m.variableOf(errorParam) : undefined,
    });
    addOp(r, param, { t: 'create' });
    r.aliases.add(variable);
    const releaseParam = spec.release === undefined ? undefined : fn.params[spec.release];
    const releaseFn = releaseParam?.type === AST_NODE_TYPES.Identifier ? this.m.variableOf(releaseParam) : undefined;
    for (const ref of releaseFn?.references ?? []) {
      const id = ref.identifier as TSESTree.Identifier;
      const call = id.parent;
      if (call?.type === AST_NODE_TYPES.CallExpression && call.callee === id) kill(r, call, 'release');
      else kill(r, id, 'escape');
    }
    this.followAliases(r);
    this.handleCreatorReleases(r);
    // Asked for once, at the start of the program (`amqp.connect(url, (err, conn) => …)` at the top of a module, or a
    // channel asked for in that callback): the program's own, as a socket made at the top of a module is.
    if (this.runsOncePerProcess(node)) r.exempt ??= 'module';
    if (this.usedByEndlessInterval(r)) r.exempt ??= 'server-handler';
    return r;
  }

  /**
   * `class DBClient { … }` made only by `const dbClient = new DBClient()` at the top of the module, and not exported
   * (no other file can make another): its one instance lives as long as the process, as a socket made at the top of a
   * module does, and so do the sockets in its fields.
   */
  private isModuleSingleton(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
    if (this.isStaticSingleton(cls) || isContainerSingleton(cls, this.m.varOf) || this.constructedOnlyAtModuleTops(cls)) return true;
    if (cls.type !== AST_NODE_TYPES.ClassDeclaration || !cls.id) return false;
    // The variable the module declares (the class's own scope declares an inner one, read only inside its body).
    const v = this.m.sourceCode.scopeManager?.acquire(cls)?.upper?.set.get(cls.id.name);
    // Given to a container as a singleton in this file (exported or not).
    if (v?.references.some((ref) => !ref.init && boundAsSingleton(ref.identifier, this.m.varOf))) return true;
    if (cls.parent?.type !== AST_NODE_TYPES.Program) return false;
    // (A type reference, `let store: RedisStore | LocalStore`, makes nothing.)
    const refs = v?.references.filter((ref) => !ref.init && ref.isValueReference) ?? [];
    return (
      refs.length > 0 &&
      refs.every((ref) => {
        const made = ref.identifier.parent;
        return made?.type === AST_NODE_TYPES.NewExpression && made.callee === ref.identifier && runsOnceAtStart(made, this.m.varOf);
      })
    );
  }

  /**
   * `private constructor() { … } static getInstance() { if (!Db.instance) Db.instance = new Db(); return Db.instance; }`:
   * a class whose constructor is private (only its own body can construct it) and whose every construction is kept
   * in a static field of the class by a static member: it has one instance, which lives as long as the process.
   */
  private isStaticSingleton(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
    let known = this.staticSingletons.get(cls);
    if (known === undefined) {
      known = this.computeStaticSingleton(cls);
      this.staticSingletons.set(cls, known);
    }
    return known;
  }

  private readonly staticSingletons = new Map<TSESTree.Node, boolean>();

  private computeStaticSingleton(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
    const ctor = cls.body.body.find((el) => el.type === AST_NODE_TYPES.MethodDefinition && el.kind === 'constructor');
    const hidden = ctor?.type === AST_NODE_TYPES.MethodDefinition && ctor.accessibility === 'private';
    // A class that constructs itself names itself (or `this`) after a `new` in its body's text: no walk without one.
    const self = cls.id?.name;
    const text = this.m.sourceCode.getText(cls.body);
    if (!/\bnew\s+this\b/.test(text) && !(self !== undefined && new RegExp(`\\bnew\\s+${self.replace(/\$/g, '\\$')}(?![\\w$])`).test(text))) return false;
    // A public constructor: only when nothing outside the class constructs it (`static register(url) { if
    // (this._instance) throw …; this._instance = new CacheService(url); }`, and no `new CacheService()` elsewhere).
    if (ctor?.type === AST_NODE_TYPES.MethodDefinition && ctor.accessibility === 'protected') return false;
    const name = cls.id?.name;
    const isClassName = (n: TSESTree.Node): boolean => n.type === AST_NODE_TYPES.Identifier && n.name === name;
    let made = 0;
    let kept = true;
    walkAst(cls.body, this.m.sourceCode.visitorKeys, (n) => {
      if (n.type !== AST_NODE_TYPES.NewExpression) return false;
      const callee = unwrap(n.callee);
      if (!isClassName(callee) && callee.type !== AST_NODE_TYPES.ThisExpression) return false;
      made++;
      // The class member the construction is in: static, and storing it in a static field (`Db.instance = new Db()`,
      // `this.instance ??= new this()` in a static method).
      let member: TSESTree.Node | undefined = n;
      while (member && member.parent !== cls.body) member = member.parent;
      const isStatic = (member?.type === AST_NODE_TYPES.MethodDefinition || member?.type === AST_NODE_TYPES.PropertyDefinition) && member.static;
      const store = climbValue(n).parent;
      const target = store?.type === AST_NODE_TYPES.AssignmentExpression ? unwrap(store.left) : undefined;
      const inStaticField = target?.type === AST_NODE_TYPES.MemberExpression && (isClassName(unwrap(target.object)) || unwrap(target.object).type === AST_NODE_TYPES.ThisExpression);
      const asStaticProperty = member?.type === AST_NODE_TYPES.PropertyDefinition && member.static && member.value === climbValue(n);
      if (!isStatic || !(inStaticField || asStaticProperty)) kept = false;
      return !kept;
    });
    return kept && made > 0 && (hidden || this.constructedOnlyInside(cls));
  }

  /**
   * Does no code outside the class's own body construct it, extend it or hand it on as a value? Only reads of its
   * static members (`CacheService.instance()`) and type references name it elsewhere: in the module, and for an
   * exported class in every file of the program (answered once per program and class).
   */
  private constructedOnlyInside(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
    if (cls.type !== AST_NODE_TYPES.ClassDeclaration || !cls.id) return false;
    const v = this.m.sourceCode.scopeManager?.acquire(cls)?.upper?.set.get(cls.id.name);
    if (!v) return false;
    const outside = v.references.filter((ref) => !ref.init && ref.isValueReference && !contains(cls, ref.identifier));
    if (outside.some((ref) => { const p = ref.identifier.parent; return p?.type !== AST_NODE_TYPES.MemberExpression || p.object !== ref.identifier; })) return false;
    if (!isExported(cls)) return true;
    try {
      const tsClass = this.m.services.esTreeNodeToTSNodeMap.get(cls) as ts.ClassDeclaration | undefined;
      const symbol = tsClass?.name ? this.m.checker.getSymbolAtLocation(tsClass.name) : undefined;
      if (!symbol || !tsClass) return false;
      const program = this.m.services.program;
      let answers = programSelfConstructed.get(program);
      if (!answers) programSelfConstructed.set(program, (answers = new Map<ts.Symbol, boolean>()));
      let answer = answers.get(symbol);
      if (answer === undefined) {
        answer = onlyStaticReadsOutside(program, this.m.checker, symbol, tsClass);
        answers.set(symbol, answer);
      }
      return answer;
    } catch (error) {
      return recover(error, false);
    }
  }

  /**
   * An exported class that the program constructs only at the top of its modules (`export const broker = new
   * MessageBroker(url)` in another file), and names as a value nowhere else (not extended, not handed to a container):
   * each instance lives as long as the process. Asked of a class holding a resource in a field; answered once per
   * program and class.
   */
  private constructedOnlyAtModuleTops(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
    if (cls.type !== AST_NODE_TYPES.ClassDeclaration || !cls.id || !isExported(cls)) return false;
    try {
      const tsClass = this.m.services.esTreeNodeToTSNodeMap.get(cls) as ts.ClassDeclaration | undefined;
      const symbol = tsClass?.name ? this.m.checker.getSymbolAtLocation(tsClass.name) : undefined;
      if (!symbol) return false;
      const program = this.m.services.program;
      let answers = programSingletons.get(program);
      if (!answers) programSingletons.set(program, (answers = new Map<ts.Symbol, boolean>()));
      let answer = answers.get(symbol);
      if (answer === undefined) {
        answer = onlyTopLevelConstructions(program, this.m.checker, symbol, cls.id.name);
        answers.set(symbol, answer);
      }
      return answer;
    } catch (error) {
      return recover(error, false);
    }
  }

  /**
   * The object literal an options argument is: written in place, or a local declared once with one and never assigned
   * again (`const opts = { timeout: 10000 }; tls.connect(port, host, opts)`), whose property `option` no other code
   * sets or deletes (`opts.secureOptions = …` may be added). Undefined for anything else.
   */
  private optionsObject(arg: TSESTree.Node, option: string): TSESTree.ObjectExpression | undefined {
    if (arg.type === AST_NODE_TYPES.ObjectExpression) return arg;
    if (arg.type !== AST_NODE_TYPES.Identifier) return undefined;
    const v = this.m.varOf.get(arg);
    const init = soleInitialiser(v);
    if (!v || init?.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
    for (const ref of v.references) {
      if (ref.init) continue;
      if (ref.isWrite()) return undefined;
      const member = ref.identifier.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== ref.identifier) continue;
      const name = propertyName(member);
      const written = (member.parent?.type === AST_NODE_TYPES.AssignmentExpression && member.parent.left === member) || (member.parent?.type === AST_NODE_TYPES.UnaryExpression && member.parent.operator === 'delete');
      if (written && (name === undefined || name === option)) return undefined;
    }
    return init;
  }

  /**
   * Module scope, or module scope in all but name: the program, its wrapper function, a page-load listener, or the
   * callback of a synchronous iteration made there (`devices.forEach((id) => { const c = mqtt.connect(url); … })` at
   * the top of a module runs at load, once per element, as the body of a `for` loop there would).
   */
  private isModuleScope(owner: TSESTree.Node, depth = 0): boolean {
    if (owner.type === AST_NODE_TYPES.Program || isLoadCode(owner, this.m.varOf) || this.isPageLoadHandler(owner)) return true;
    // A Promise executor runs once, where the promise is made (`export const ready = new Promise((resolve) => { … })`).
    if (isExecutor(owner) && depth <= 2) {
      const around = enclosingFunction(owner.parent);
      return around ? this.isModuleScope(around, depth + 1) : true;
    }
    const call = isFunction(owner) ? owner.parent : undefined;
    if (depth > 2 || call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== owner) return false;
    const callee = unwrap(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || !SYNCHRONOUS_ITERATION.has(propertyName(callee) ?? '')) return false;
    const around = enclosingFunction(call);
    return around ? this.isModuleScope(around, depth + 1) : true;
  }

  /**
   * `window.addEventListener('DOMContentLoaded', onLoad)` (or `'load'`, also on `document`; `window.onload = onLoad`): a
   * function that runs once, when the page loads, given in place or by a name read nowhere else, or called only from
   * such a function — the page's module scope in all but name.
   */
  private isPageLoadHandler(fn: TSESTree.Node, depth = 0): boolean {
    if (!isFunction(fn) || depth > 2) return false;
    const registered = (value: TSESTree.Node): boolean => {
      const outer = climbValue(value);
      const p = outer.parent;
      if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.right === outer && p.operator === '=') {
        const left = unwrap(p.left);
        return left.type === AST_NODE_TYPES.MemberExpression && propertyName(left) === 'onload' && this.isPageGlobal(left.object);
      }
      if (p?.type !== AST_NODE_TYPES.CallExpression || p.arguments[1] !== outer) return false;
      const callee = unwrap(p.callee);
      const event = stringValue(p.arguments[0]);
      return (
        callee.type === AST_NODE_TYPES.MemberExpression &&
        propertyName(callee) === EVENT_TARGET_METHOD &&
        (event === 'load' || event === 'DOMContentLoaded') &&
        this.isPageGlobal(callee.object)
      );
    };
    if (fn.type !== AST_NODE_TYPES.FunctionDeclaration) return registered(fn);
    const v = fn.id ? this.m.varOf.get(fn.id) : undefined;
    const reads = v?.references.filter((ref) => !ref.init) ?? [];
    // Registered by name, or called (as a statement of its own) only from such a listener: `document.addEventListener(
    // 'DOMContentLoaded', function () { onLoad(); })`.
    const calledFromLoad = (id: TSESTree.Node): boolean => {
      const call = id.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== id || call.parent?.type !== AST_NODE_TYPES.ExpressionStatement) return false;
      const caller = enclosingFunction(call);
      return !!caller && caller !== fn && this.isPageLoadHandler(caller, depth + 1);
    };
    return reads.length > 0 && reads.every((ref) => registered(ref.identifier) || calledFromLoad(ref.identifier));
  }

  /** `window` or `document`, the globals (not a variable of the file). */
  private isPageGlobal(node: TSESTree.Node): boolean {
    const n = unwrap(node);
    return n.type === AST_NODE_TYPES.Identifier && (n.name === 'window' || n.name === 'document') && !this.m.varOf.get(n)?.defs.length;
  }

  /**
   * Is `call` evaluated once in the life of the process: at the top of a module (or in its wrapper function), or in
   * the callback of a callback creation that is itself evaluated there?
   */
  private runsOncePerProcess(call: TSESTree.CallExpression): boolean {
    const fn = enclosingFunction(call);
    if (!fn || isModuleWrapper(fn)) return true;
    const outer = fn.parent;
    if (outer?.type !== AST_NODE_TYPES.CallExpression || outer.arguments[outer.arguments.length - 1] !== fn) return false;
    return !!this.callbackCreation(outer) && this.runsOncePerProcess(outer);
  }

  /**
   * A socket that a `setInterval` callback uses when nothing can clear that interval (its handle is dropped, or kept in
   * a variable no `clearInterval()` is given): the timer holds it for the life of the process and uses it on every tick
   * (a producer publishing on a schedule), so it is meant to stay open. Not when that callback may release it.
   */
  private usedByEndlessInterval(r: Resource): boolean {
    const owner = r.ownerNode;
    if (!isFunction(owner)) return false;
    for (const v of r.aliases) {
      for (const ref of v.references) {
        for (let f = enclosingFunction(ref.identifier); f && f !== owner; f = enclosingFunction(f)) {
          const call = f.parent;
          if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== f || calleeName(call) !== 'setInterval') continue;
          if (!r.releasesInside(f) && this.neverCleared(call)) return true;
        }
      }
    }
    return false;
  }

  /**
   * `producer.sendToQueue(…)` inside the handler of `consumer.consume(q, (msg) => …)`, both made by the same function,
   * `producer` released nowhere: a resource that only a serving handler of another one uses (a channel that sends a
   * consumer's replies, a pool a server's request handler queries) serves as long as that one does.
   */
  private usedByServingHandler(r: Resource, all: readonly Resource[]): boolean {
    const owner = r.ownerNode;
    if (!isFunction(owner) || releasedSomewhere(r)) return false;
    const servers = all.filter((o) => o !== r && o.exempt === 'server-handler' && o.ownerNode === owner);
    if (servers.length === 0) return false;
    let used = false;
    for (const v of r.aliases) {
      for (const ref of v.references) {
        if (ref.init || ref.isWrite() || !contains(owner, ref.identifier)) continue;
        // Set up where it is made (`await producer.assertQueue(q)`), used in the handler.
        if (this.servingHandlerAround(ref.identifier, owner, servers)) used = true;
        else if (!methodCallOn(ref.identifier)) return false;
      }
    }
    return used;
  }

  /** The serving handler of one of `servers` (a function given where it serves) that `node` is in, below `owner`. */
  private servingHandlerAround(node: TSESTree.Node, owner: TSESTree.Node, servers: readonly Resource[]): TSESTree.Node | undefined {
    for (let f = enclosingFunction(node); f && f !== owner; f = enclosingFunction(f)) {
      const call = climbValue(f).parent;
      const member = call?.type === AST_NODE_TYPES.CallExpression ? calleeMember(call) : undefined;
      const v = member ? this.m.variableOf(member.object) : undefined;
      const name = member ? propertyName(member) : undefined;
      if (call?.type !== AST_NODE_TYPES.CallExpression || !v || name === undefined) continue;
      for (const o of servers) {
        if (o.aliases.has(v) && servingHandlers(this.m, { call, name }, o.kind).some((h) => this.m.functionValue(h) === f)) return f;
      }
    }
    return undefined;
  }

  /** Is this timer's handle dropped (also after `.unref()`), or kept only in a variable that no `clear…()` call reads? */
  private neverCleared(timer: TSESTree.CallExpression): boolean {
    let value: TSESTree.Node = climbValue(timer);
    const member = value.parent;
    if (member?.type === AST_NODE_TYPES.MemberExpression && member.object === value && propertyName(member) === 'unref' && member.parent?.type === AST_NODE_TYPES.CallExpression) {
      value = climbValue(member.parent);
    }
    const p = value.parent;
    if (p?.type === AST_NODE_TYPES.ExpressionStatement) return true;
    if (p?.type !== AST_NODE_TYPES.VariableDeclarator || p.init !== value || p.id.type !== AST_NODE_TYPES.Identifier) return false;
    const v = this.m.variableOf(p.id);
    return !!v && v.references.every((ref) => {
      const call = ref.identifier.parent;
      return !(call?.type === AST_NODE_TYPES.CallExpression && call.arguments.includes(ref.identifier as TSESTree.CallExpressionArgument) && /^clear(Interval|Timeout)$/.test(calleeName(call) ?? ''));
    });
  }

  /** The callback creation of {@link tryCreateFromCallback}: a kind's `callbackCreates` method or `callbackFactories` function. */
  private callbackCreation(node: TSESTree.CallExpression): { kind: ResourceKind; spec: CallbackCreation; fn: FunctionNode; param: TSESTree.Identifier } | undefined {
    const callee = unwrap(node.callee);
    const method = callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
    if (callee.type === AST_NODE_TYPES.MemberExpression && method !== undefined && this.m.callbackCreatingMethods.has(method)) {
      const spec = this.m.kindOfNode(callee.object)?.callbackCreates?.get(method);
      const last = node.arguments[node.arguments.length - 1];
      const fn = last ? this.m.functionValue(last) : undefined;
      const param = spec && fn && unwrap(last) === fn ? fn.params[spec.resource] : undefined;
      const kind = param?.type === AST_NODE_TYPES.Identifier ? (this.m.kindOfNode(param) ?? (fn && this.contextualKind(fn, param, spec?.resource))) : undefined;
      if (spec && fn && kind && param?.type === AST_NODE_TYPES.Identifier) return { kind, spec, fn, param };
    }
    return this.m.factoryCallbackCreation(node);
  }

  /**
   * `pool.getConnection((err: any, conn: any) => …)`: a parameter annotated `any` has the kind of what the creating
   * method hands that parameter (the callback's contextual signature), as an unannotated one would.
   */
  private contextualKind(fn: FunctionNode, param: TSESTree.Identifier, index: number | undefined): ResourceKind | undefined {
    if (index === undefined || param.typeAnnotation?.typeAnnotation.type !== AST_NODE_TYPES.TSAnyKeyword) return undefined;
    try {
      const checker = this.m.checker;
      const tsFn = this.m.services.esTreeNodeToTSNodeMap.get(fn) as ts.Expression | undefined;
      const contextual = tsFn ? checker.getContextualType(tsFn) : undefined;
      const signature = contextual ? checker.getNonNullableType(contextual).getCallSignatures()[0] : undefined;
      const symbol = signature?.parameters[index];
      return symbol ? this.m.registry.kindOf(checker.getNonNullableType(checker.getTypeOfSymbol(symbol))) : undefined;
    } catch (error) {
      return recover(error, undefined);
    }
  }

  /**
   * `pool.connect().then((client) => …)`: the function given to `.then()` owns what the creating call resolves to,
   * from its first parameter on (reported at the creating call).
   */
  private tryCreateFromThen(node: TSESTree.CallExpression, at: FunctionFlow): Resource | undefined {
    const found = this.m.thenCreation(node);
    if (found && !found.param) {
      // `pool.connect().then(() => …)`: the function given to `.then()` takes nothing, so what the call resolves to is
      // dropped there (reported at the creating call).
      const dropped = this.newResource(found.kind, found.source, at, at.node);
      dropped.droppedByThen = true;
      addOp(dropped, node, { t: 'create' });
      if (this.isModuleScope(at.node)) dropped.exempt ??= 'module';
      return dropped;
    }
    const flow = found && this.m.recorder.flowByNode.get(found.fn);
    const variable = found?.param && this.m.variableOf(found.param);
    if (!found?.param || !flow || !variable) return undefined;
    const r = this.newResource(found.kind, found.source, flow, found.fn, { start: found.param });
    addOp(r, found.param, { t: 'create' });
    r.aliases.add(variable);
    this.followAliases(r);
    // `MongoClient.connect(url).then((client) => …)` at the top of a module: the program's own, as the awaited form
    // (`const client = await MongoClient.connect(url)`) is — but a rejection in the continuation that a `.catch()`
    // of the chain takes goes on with it open (the awaited form's ends the process).
    if (this.runsOncePerProcess(found.source)) r.keptForProcess = true;
    // `constructor() { connect(url).then((conn) => { this.conn = conn; }) }` of a class with one instance: as the
    // awaited store in one of its methods, the field lives as long as the process.
    if (r.field && this.isModuleSingleton(r.field.cls)) r.fieldForLife = true;
    return r;
  }

  /**
   * `const { client, db } = await connect(url)` of a helper that makes the client and returns it in an object literal
   * ({@link CreationSites.destructuredCreation}): the caller owns it from the destructured name on; reported at the
   * call.
   */
  private tryCreateFromDestructuring(node: TSESTree.CallExpression, flow: FunctionFlow): Resource | undefined {
    const found = this.m.destructuredCreation(node);
    if (found && !found.id) {
      // A property the pattern leaves out: the resource is dropped where the call gives it.
      const dropped = this.newResource(found.kind, node, flow, flow.node);
      dropped.droppedProperty = String(found.property);
      addOp(dropped, node, { t: 'create' });
      if (this.isModuleScope(flow.node)) dropped.exempt ??= 'module';
      // A server the helper made with a handler serves wherever it goes, dropped with the property too.
      const serves = found.kind.serverHandlerEvents;
      if (serves && dropped.exempt === undefined && this.m.returnsServingServer(node, serves, found.property)) dropped.exempt = 'server-handler';
      return dropped;
    }
    const variable = found?.id && this.m.variableOf(found.id);
    if (!found?.id || !variable) return undefined;
    const r = this.newResource(found.kind, node, flow, flow.node, { start: found.id });
    addOp(r, found.id, { t: 'create' });
    r.aliases.add(variable);
    // The other names of the pattern come with it from the helper (`{ client, collection }`): work on them is work
    // on its connection.
    for (const id of found.others) {
      const other = this.m.variableOf(id);
      if (other) r.handles.add(other);
    }
    this.followAliases(r);
    if (this.isModuleScope(flow.node)) r.exempt ??= 'module';
    // A server the helper made with a handler (`const { server } = await startServer()`) serves, as one it returns does.
    const events = found.kind.serverHandlerEvents;
    if (events && r.exempt === undefined && this.m.returnsServingServer(node, events, found.property)) r.exempt = 'server-handler';
    return r;
  }

  /**
   * `req.once('connect', (res, socket) => …)`: the listener owns the socket it is handed (a kind's
   * `listenerCreates`), from its parameter on; reported at the registering call.
   */
  private tryCreateFromListener(node: TSESTree.CallExpression): Resource | undefined {
    const found = this.m.listenerCreation(node);
    const flow = found && this.m.recorder.flowByNode.get(found.fn);
    const variable = found && this.m.variableOf(found.param);
    if (!found || !flow || !variable) return undefined;
    const r = this.newResource(found.kind, node, flow, found.fn, { start: found.param });
    addOp(r, found.param, { t: 'create' });
    r.aliases.add(variable);
    const event = stringValue(node.arguments[0]);
    const spec = event !== undefined ? found.emitterKind.listenerCreates?.get(event) : undefined;
    // (A server's `close()` leaves its connections open.)
    if (!spec?.sharedWithOtherListeners) this.emitterTeardowns(r, found.fn, found.emitter, found.emitterKind);
    // `res.destroy()` on the response handed with it: that response's socket is the resource.
    const destroyedWith = spec?.destroyedWith;
    const withParam = destroyedWith ? found.fn.params[destroyedWith.param] : undefined;
    const withVar = withParam?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(withParam) : undefined;
    for (const ref of withVar?.references ?? []) {
      const mc = methodCallOn(ref.identifier);
      if (mc && destroyedWith?.methods.has(mc.name) && contains(found.fn, mc.call)) kill(r, mc.call, 'release');
    }
    this.followAliases(r);
    return r;
  }

  /**
   * While its `'connect'` or `'upgrade'` listener runs, the request's socket is the tunnel's: `req.destroy()` or
   * `req.abort()` there (or a call of a local function that does it to the request, `const destroy = () =>
   * client?.abort()`) destroys that socket too.
   */
  private emitterTeardowns(r: Resource, fn: FunctionNode, emitter: TSESTree.Node, emitterKind: ResourceKind): void {
    const v = emitter.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(emitter) : undefined;
    if (!v) return;
    const helpers = new Set<FunctionNode>();
    for (const ref of v.references) {
      const mc = methodCallOn(climbValue(ref.identifier));
      if (!mc || !emitterKind.destroys.has(mc.name)) continue;
      if (contains(fn, mc.call)) {
        kill(r, mc.call, 'release');
        continue;
      }
      const helper = enclosingFunction(mc.call);
      if (helper && helper !== r.ownerNode && !contains(helper, fn)) helpers.add(helper);
    }
    for (const helper of helpers) {
      for (const call of this.m.syntax.callSites.get(helper) ?? []) if (contains(fn, call)) kill(r, call, 'release');
    }
  }

  /** `receiver.method(…)` with a variable as the receiver: which method, on which variable. */
  private madeByOf(report: TSESTree.CallExpression | TSESTree.NewExpression): Resource['madeBy'] {
    const callee = report.type === AST_NODE_TYPES.CallExpression ? unwrap(report.callee) : undefined;
    if (callee?.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const method = propertyName(callee);
    const receiver = unwrap(callee.object);
    const variable = receiver.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(receiver) : undefined;
    return method !== undefined && receiver.type === AST_NODE_TYPES.Identifier && variable ? { method, receiver, variable } : undefined;
  }

  private newResource(
    kind: ResourceKind,
    report: TSESTree.CallExpression | TSESTree.NewExpression,
    flow: FunctionFlow,
    ownerNode: TSESTree.Node,
    extra: Pick<Resource, 'start' | 'errorParam'> = {},
  ): Resource {
    return {
      id: this.nextId++,
      kind,
      report,
      madeBy: this.madeByOf(report),
      ...extra,
      flow,
      ownerNode,
      aliases: new Set(),
      containers: new Set(),
      handles: new Set(),
      holders: new Map(),
      ops: new Map(),
      registrations: [],
      idleTimeouts: [],
      settleFns: new Set(),
      successHandoff: false,
      discarded: false,
      exempt: undefined,
      disposed: false,
      field: undefined,
      outerStore: undefined,
      releasesInside: () => false,
    };
  }

  /** Every alias's references, until no new alias or container appears. */
  private followAliases(r: Resource): void {
    const seen = new Set<Variable>();
    const seenListeners = new Set<TSESTree.Node>();
    let changed = true;
    while (changed) {
      changed = false;
      for (const v of [...r.aliases, ...r.containers]) {
        if (seen.has(v)) continue;
        seen.add(v);
        changed = true;
        const isContainer = r.containers.has(v);
        for (const ref of v.references) {
          if (ref.init) continue;
          const id = ref.identifier as TSESTree.Identifier;
          if (ref.isWrite()) {
            const assign = id.parent;
            if (!isContainer && assign?.type === AST_NODE_TYPES.AssignmentExpression && assign.left === id) {
              // `socket = s` copies the socket; only a different value overwrites it.
              const right = unwrap(assign.right);
              const copiesAlias = right.type === AST_NODE_TYPES.Identifier && [...r.aliases].some((a) => a.references.some((ref) => ref.identifier === right));
              // Another name that keeps it all along (`const client = new Redis(url); … next = client;` on one branch,
              // `next = new Redis(other)` on the other) still holds it: the overwrite drops nothing.
              const keptElsewhere = [...r.aliases].some((a) => a !== v && a.defs.length === 1 && neverReassigned(a) && contains(a.scope.block, assign));
              if (!contains(assign.right, r.report) && !copiesAlias && !keptElsewhere) addOp(r, assign, { t: 'overwrite' });
            } else if (isContainer && assign?.type === AST_NODE_TYPES.AssignmentExpression && assign.left === id && !this.mentions(assign.right, v)) {
              // `socks = []`: the collection is dropped with the sockets in it.
              addOp(r, assign, { t: 'overwrite', emptied: v.name });
            }
            continue;
          }
          if (isContainer) this.collections.handleContainerRef(r, id);
          else this.values.handleValue(r, id, false);
        }
      }
      if (!changed && this.followListenerThis(r, seenListeners)) changed = true;
    }
    this.handleCaptures(r);
  }

  /**
   * `socket.connect(port, host, function () { this.destroy(); })`, `s.on('timeout', function () { this.end(); })`: an
   * emitter calls its listeners with `this` set to itself (and the callback of `connect()` or `listen()` is a listener of
   * its `'connect'` or `'listening'`), so `this` in such a function (not an arrow function) is the resource. True when
   * a listener not seen before was followed.
   */
  private followListenerThis(r: Resource, seen: Set<TSESTree.Node>): boolean {
    let followed = false;
    for (const reg of [...r.registrations]) {
      const fn = reg.fn;
      // `sock.addEventListener('open', (e) => resolve(e.target))`: the event's target is the emitter itself.
      if (fn && !seen.has(reg.call) && reg.via === 'listener' && reg.call.type === AST_NODE_TYPES.CallExpression && calleeName(reg.call) === EVENT_TARGET_METHOD && unwrap(reg.fnNode) === fn) {
        seen.add(reg.call);
        followed = true;
        const event = fn.params[0];
        for (const ref of (event?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(event)?.references : undefined) ?? []) {
          const member = ref.identifier.parent;
          if (member?.type === AST_NODE_TYPES.MemberExpression && member.object === ref.identifier && !member.computed && EVENT_TARGETS.has(propertyName(member) ?? '')) this.values.handleValue(r, member, false);
        }
      }
      // Given as it is (not `f.bind(other)`), as a listener, the callback of the creation or of a reopen (`connect`).
      if (!fn || fn.type === AST_NODE_TYPES.ArrowFunctionExpression || seen.has(fn) || unwrap(reg.fnNode) !== fn) continue;
      if (reg.via !== 'listener' && reg.call !== r.report && !(reg.via === 'callback' && reg.event !== undefined && r.kind.reopens.has(reg.event))) continue;
      seen.add(fn);
      followed = true;
      // Most listeners never say `this`: a look at the text first.
      const at = this.m.sourceCode.text.indexOf('this', fn.range[0]);
      if (at < 0 || at >= fn.range[1]) continue;
      walkAst(fn.body ?? fn, this.m.sourceCode.visitorKeys, (n) => {
        if (n.type === AST_NODE_TYPES.ThisExpression && thisOwner(n)?.node === fn) this.values.handleValue(r, n, false);
      });
    }
    return followed;
  }

  /**
   * Closures that use the resource and outlive the owner with it: a function of the owner that refers to it and is
   * returned, stored outside, or given to a constructor — alone or in an object or array literal, directly or
   * through a local (`return { get: (k) => redis.get(k) }`, `new Ratelimit({ redis: { eval: (…) => redis.eval(…) } })`).
   * Whoever holds the closure holds the resource. (A closure given to a plain call — a listener, a timer, a route
   * handler, a retry helper — is not this: those run as callbacks, checked as such.)
   */
  private handleCaptures(r: Resource): void {
    const owner = r.ownerNode;
    if (!isFunction(owner)) return;
    const seen = new Set<TSESTree.Node>();
    for (const v of r.aliases) {
      for (const ref of v.references) {
        const fn = functionBelow(owner, ref.identifier);
        if (!fn || seen.has(fn)) continue;
        seen.add(fn);
        const at = this.escapeOf(fn, owner, 0, r);
        if (at) kill(r, at, 'escape');
        // `function attach() { return { get: (k) => client.get(k) } }` … `return attach()`: what it returns leaves.
        // `function listener() { … client … } return listener;`: the function itself, by its name, leaves too.
        if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) {
          for (const use of this.m.varOf.get(fn.id)?.references ?? []) {
            const p = use.identifier.parent;
            const escape = p?.type === AST_NODE_TYPES.CallExpression ? this.escapeOf(use.identifier, owner, p.callee === use.identifier ? 1 : 0, r) : this.escapeOf(use.identifier, owner, 0, r);
            if (escape) kill(r, escape, 'escape');
          }
        }
      }
    }
  }

  /** Where a value of the owner (a closure, or a literal holding one) leaves it, if it does. */
  private escapeOf(value: TSESTree.Node, owner: FunctionNode, depth: number, r: Resource): TSESTree.Node | undefined {
    let v = climbValue(value);
    // A local function called here that returns a closure over the resource (or a literal holding one): the call's
    // value holds it.
    const called = v.parent;
    if (called?.type === AST_NODE_TYPES.CallExpression && called.callee === v && depth < 3) {
      const fn = this.m.functionValue(v);
      return fn && this.returnsCapture(fn, r) ? this.escapeOf(called, owner, depth + 1, r) : undefined;
    }
    for (;;) {
      const p = v.parent;
      if (p?.type === AST_NODE_TYPES.Property && p.value === v && p.parent.type === AST_NODE_TYPES.ObjectExpression) v = climbValue(p.parent);
      else if (p?.type === AST_NODE_TYPES.ArrayExpression) v = climbValue(p);
      // `Object.assign(listener, { listen })` gives back its first argument, with the others' members on it.
      else if (p?.type === AST_NODE_TYPES.CallExpression && p.callee !== v && p.arguments.includes(v as TSESTree.CallExpressionArgument) && dottedName(p.callee) === 'Object.assign') v = climbValue(p);
      else break;
    }
    const p = v.parent;
    if (!p) return undefined;
    if (p.type === AST_NODE_TYPES.ReturnStatement) return enclosingFunction(p) === owner ? v : undefined;
    if (p.type === AST_NODE_TYPES.ArrowFunctionExpression) return p === owner && p.body === v ? v : undefined;
    if (p.type === AST_NODE_TYPES.NewExpression && p.arguments.includes(v as TSESTree.CallExpressionArgument)) {
      return p.callee.type === AST_NODE_TYPES.Identifier && p.callee.name === 'Promise' ? undefined : v;
    }
    if (p.type === AST_NODE_TYPES.AssignmentExpression && p.right === v) {
      const left = unwrap(p.left);
      if (left.type === AST_NODE_TYPES.MemberExpression) {
        // Stored on the resource itself (`ws.onopen = () => ws.send(…)`, a listener property): held by what it
        // refers to, it outlives nothing.
        const object = unwrap(left.object);
        const holder = object.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(object) : undefined;
        return holder && r.aliases.has(holder) ? undefined : p;
      }
      const target = left.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(left) : undefined;
      return target && !this.m.isLocalTo(target, owner) ? p : undefined;
    }
    if (p.type === AST_NODE_TYPES.VariableDeclarator && p.init === v && p.id.type === AST_NODE_TYPES.Identifier && depth < 2) {
      const local = this.m.varOf.get(p.id);
      for (const ref of local?.references ?? []) {
        if (ref.init || ref.isWrite()) continue;
        const at = this.escapeOf(ref.identifier, owner, depth + 1, r);
        if (at) return at;
      }
    }
    return undefined;
  }

  /** Does `fn` return a function that refers to the resource, or an object or array literal holding one? */
  private returnsCapture(fn: FunctionNode, r: Resource): boolean {
    const refers = (n: TSESTree.Node): boolean => [...r.aliases].some((a) => a.references.some((ref) => contains(n, ref.identifier)));
    const captures = (e: TSESTree.Node): boolean => {
      const u = unwrap(e);
      if (isFunction(u)) return refers(u);
      if (u.type === AST_NODE_TYPES.ObjectExpression) return u.properties.some((p) => p.type === AST_NODE_TYPES.Property && captures(p.value));
      if (u.type === AST_NODE_TYPES.ArrayExpression) return u.elements.some((el) => !!el && el.type !== AST_NODE_TYPES.SpreadElement && captures(el));
      return false;
    };
    if (!fn.body) return false;
    if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return captures(fn.body);
    // Its own `return`s (not those of functions nested in it).
    const keys = this.m.sourceCode.visitorKeys;
    const visit = (n: TSESTree.Node): boolean => {
      if (n.type === AST_NODE_TYPES.ReturnStatement) return !!n.argument && captures(n.argument);
      if (isFunction(n)) return false;
      for (const key of keys[n.type] ?? []) {
        const child = (n as unknown as Record<string, unknown>)[key];
        for (const c of Array.isArray(child) ? child : [child]) {
          if (c && typeof (c as TSESTree.Node).type === 'string' && visit(c as TSESTree.Node)) return true;
        }
      }
      return false;
    };
    return fn.body.body.some(visit);
  }

  /**
   * A resource made by a method of another one whose release also releases it (the creator kind's
   * `releasesCreated`: `const ch = await conn.createChannel()`, then `await conn.close()`): a release of the creator,
   * called on the same variable in the owning function, releases it too.
   */
  private handleCreatorReleases(r: Resource): void {
    if (!r.madeBy) return;
    const { method, receiver, variable } = r.madeBy;
    const creator = this.m.kindOfNode(receiver);
    if (!creator?.releasesCreated?.has(method)) return;
    // Handed to a callback (`conn.createChannel((err, ch) => …)`): a release of the creator in the function that asks
    // for it (a timer there closing the connection) is its release too; the callback's own code does not run it, so the
    // callback gives it back to the creator from its start.
    const asker = r.start ? enclosingFunction(r.report) : undefined;
    for (const ref of variable.references) {
      const mc = methodCallOn(ref.identifier);
      if (!mc || !creator.releases.has(mc.name)) continue;
      if (meaningOfCall(creator, mc.call, mc.name, this.options.endIsRelease).t !== 'release') continue;
      if (contains(r.ownerNode, mc.call)) kill(r, mc.call, 'release');
      else if (asker && r.start && contains(asker, mc.call)) kill(r, r.start, 'escape');
    }
  }

  /**
   * A socket stored in `this.<field>` is also reached through the field: listeners registered on it and
   * releases through it (in callbacks, other methods) count for the socket.
   */
  private handleFieldReferences(r: Resource): void {
    const field = r.field;
    if (!field) return;
    for (const n of this.m.fieldMembers(field)) {
      // `this.ws.onclose = () => …` registers a listener on the field's socket, as `this.ws.on('close', …)` does.
      if (n.parent?.type === AST_NODE_TYPES.MemberExpression && n.parent.object === n) this.values.handleListenerProperty(r, n.parent);
      const mc = methodCallOn(n);
      if (!mc) {
        // `const saved = this.client; this.client = null; saved.destroy();`: released through a local that holds it;
        // `const wss = this.wss; wss.on('connection', …)`: a handler registered through one.
        const value = climbValue(n);
        const decl = value.parent;
        const local = decl?.type === AST_NODE_TYPES.VariableDeclarator && decl.init === value && decl.id.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(decl.id) : undefined;
        if (!local || !neverReassigned(local)) continue;
        for (const ref of local.references) {
          const call = ref.init ? undefined : methodCallOn(ref.identifier);
          // (A local that is an alias of the resource already has its calls followed as the resource's.)
          if (call && (r.kind.releases.has(call.name) || !r.aliases.has(local))) this.fieldMethodCall(r, call);
        }
        continue;
      }
      this.fieldMethodCall(r, mc);
    }
  }

  /** A call of a method on the field's resource (through `this.x`, or a local holding it) in any method of the class. */
  private fieldMethodCall(r: Resource, mc: { call: TSESTree.CallExpression; name: string }): void {
    if (r.kind.releases.has(mc.name)) {
      if (meaningOfCall(r.kind, mc.call, mc.name, this.options.endIsRelease).t === 'release') kill(r, mc.call, 'release');
    } else if (LISTENER_METHODS.has(mc.name) || mc.name === r.kind.idleTimeout?.method || r.kind.handlerMethods?.has(mc.name)) {
      // (`this.channel.consume(q, onMessage)` in another method: the field's consumer serves from then on.)
      this.values.handleMethodCall(r, mc.call, mc.name, false);
    }
  }

  /** Does `node` name the variable `v`? */
  private mentions(node: TSESTree.Node, v: Variable): boolean {
    return v.references.some((ref) => contains(node, ref.identifier));
  }
}

/** The values in a creation's wrapping place: `new`'s argument `constructorArgument` (not an options object), the `option` property. */
export function wrappedValues(m: FileModel, node: TSESTree.CallExpression | TSESTree.NewExpression, place: NonNullable<ResourceKind['wrapsStream']>): TSESTree.Node[] {
  const out: TSESTree.Node[] = [];
  node.arguments.forEach((arg, i) => {
    if (arg.type === AST_NODE_TYPES.SpreadElement) return;
    let a = unwrap(arg);
    const isAssign = (n: TSESTree.Node): n is TSESTree.CallExpression => n.type === AST_NODE_TYPES.CallExpression && dottedName(n.callee) === 'Object.assign';
    // `const opts = { socket }; tls.connect(opts)` (or `const opts = Object.assign({ socket }, extra)`)
    if (a.type === AST_NODE_TYPES.Identifier) {
      const v = m.varOf.get(a);
      const def = v?.defs[0]?.node;
      const init = def?.type === AST_NODE_TYPES.VariableDeclarator && def.init ? unwrap(def.init) : undefined;
      if (v && neverReassigned(v) && init && (init.type === AST_NODE_TYPES.ObjectExpression || isAssign(init))) {
        a = init;
        // `const opts = {}; opts.socket = this.sock; tls.connect(opts)`: the option set on the object afterwards.
        if (place.option !== undefined) out.push(...optionWrites(v, place.option));
      }
    }
    // `Object.assign({}, defaults, { socket })`: the object literals it merges.
    const objects = a.type === AST_NODE_TYPES.ObjectExpression ? [a] : isAssign(a) ? a.arguments.map((x) => unwrap(x)).filter((x) => x.type === AST_NODE_TYPES.ObjectExpression) : [];
    if (objects.length > 0) {
      for (const o of objects) {
        for (const p of (o).properties) {
          if (p.type === AST_NODE_TYPES.Property && !p.computed && place.option !== undefined && keyName(p.key) === place.option) out.push(unwrap(p.value));
        }
      }
    } else if (node.type === AST_NODE_TYPES.NewExpression && i === place.constructorArgument) {
      out.push(a);
    }
  });
  return out;
}

/**
 * Does this creation make a resource that holds nothing until it is first used ({@link ResourceKind.createdIdle})?
 * Only the library's own constructor or factory (a subclass may connect in its constructor), without an option
 * that hands it something open.
 */
export function createsIdle(m: FileModel, node: TSESTree.CallExpression | TSESTree.NewExpression, kind: ResourceKind, depth = 0): boolean {
  const idle = kind.createdIdle;
  if (!idle) return false;
  // `createDb(url)`: a function of the file that returns one it made idle and only listened to.
  const factory = node.type === AST_NODE_TYPES.CallExpression && depth < 2 ? m.functionValue(node.callee) : undefined;
  if (factory) return returnsIdle(m, factory, kind, depth);
  if (idle.newOnly && node.type !== AST_NODE_TYPES.NewExpression) return false;
  const held = idle.heldOptions;
  if (held && node.arguments.some((a) => a.type !== AST_NODE_TYPES.ObjectExpression || a.properties.some((p) => p.type !== AST_NODE_TYPES.Property || p.computed || held.has(keyName(p.key) ?? '')))) {
    return false;
  }
  const lazy = idle.idleWithOptions;
  if (lazy && !node.arguments.some((a) => a.type === AST_NODE_TYPES.ObjectExpression && a.properties.some((p) => p.type === AST_NODE_TYPES.Property && !p.computed && lazy.has(keyName(p.key) ?? '') && p.value.type === AST_NODE_TYPES.Literal && p.value.value === true))) {
    return false;
  }
  return madeByLibrary(m, node);
}


/**
 * Does every value `fn` returns hold a resource of this kind made idle ({@link createsIdle}) in `fn` itself: the
 * creation, or a `const`/`let` initialised with it, never assigned again, that `fn` reads otherwise only to register
 * listeners on it (`const sql = postgres(url); log('created'); return sql;`)?
 */
function returnsIdle(m: FileModel, fn: FunctionNode, kind: ResourceKind, depth: number): boolean {
  const returned = ownReturns(fn, m.sourceCode.visitorKeys);
  if (returned.length === 0) return false;
  return returned.every((ret) => {
    const u = unwrap(ret.type === AST_NODE_TYPES.AwaitExpression ? ret.argument : ret);
    if (u.type === AST_NODE_TYPES.CallExpression || u.type === AST_NODE_TYPES.NewExpression) return createsIdle(m, u, kind, depth + 1);
    const v = u.type === AST_NODE_TYPES.Identifier ? m.varOf.get(u) : undefined;
    const def = v?.defs[0];
    if (!v || v.defs.length !== 1 || def?.node.type !== AST_NODE_TYPES.VariableDeclarator || def.node.id !== def.name || !neverReassigned(v)) return false;
    const init = def.node.init ? unwrap(def.node.init) : undefined;
    if ((init?.type !== AST_NODE_TYPES.CallExpression && init?.type !== AST_NODE_TYPES.NewExpression) || enclosingFunction(init) !== fn || !createsIdle(m, init, kind, depth + 1)) return false;
    return v.references.every((ref) => {
      if (ref.init || ref.identifier === u) return true;
      const mc = methodCallOn(ref.identifier);
      return !!mc && enclosingFunction(mc.call) === fn && LISTENER_METHODS.has(mc.name) && climbValue(mc.call).parent?.type === AST_NODE_TYPES.ExpressionStatement;
    });
  });
}

/**
 * A resource of a kind that holds nothing until one of its opening methods is called ({@link ResourceKind.idleUntil}:
 * a server before `listen()`) that is never given one, nor handed anywhere: made by the library, or by a function of
 * the file that does not call one either (`const server = makeServer(cert); server.emit('connection', socket)`).
 */
function neverOpened(m: FileModel, r: Resource, node: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  const idle = r.kind.idleUntil;
  if (!idle || r.field || r.outerStore) return false;
  for (const ops of r.ops.values()) if (ops.some((o) => o.t === 'kill' && o.why !== 'release')) return false;
  // `createServer().listen(port)`, `server.on('error', f).listen(port)`: the creation's own chain, and each alias's.
  if (chainCalls(node, idle)) return false;
  for (const v of r.aliases) for (const ref of v.references) if (chainCalls(ref.identifier, idle)) return false;
  const factory = m.functionValue(node.callee) ?? m.methodOf(node.callee);
  if (!factory) return madeByLibrary(m, node);
  let opens = false;
  walkAst(factory, m.sourceCode.visitorKeys, (n) => {
    opens = n.type === AST_NODE_TYPES.CallExpression && idle.has(calleeName(n) ?? '');
    return opens;
  });
  return !opens;
}

/** Does the resource have a release anywhere (in its function, or a function nested in it)? */
export function releasedSomewhere(r: Resource): boolean {
  for (const ops of r.ops.values()) if (ops.some((o) => o.t === 'kill' && o.why === 'release')) return true;
  return false;
}

/** Assertions that the function they are given throws or rejects (`assert.throws(fn)`, tape's `t.throws(fn)`). */
const THROW_ASSERTIONS = new Set(['throws', 'rejects', 'throwsAsync']);
/** Matchers of `expect(fn)` that it throws (jest, vitest; chai's `expect(fn).to.throw()`). */
const THROW_MATCHERS = new Set(['toThrow', 'toThrowError', 'toThrowErrorMatchingSnapshot', 'toThrowErrorMatchingInlineSnapshot', 'rejects', 'throw', 'throws', 'Throw']);

/**
 * Is `fn` the function a test asserts to throw or reject (`assert.throws(() => net.connect(65536))`, `t.throws(fn)`,
 * `assert.rejects(async () => …)`, `expect(() => …).toThrow()`; not `expect(fn).not.toThrow()`)? What it makes is expected to fail on the way (a bad
 * port, a bad option): the test fails when it does not.
 */
function expectedToThrow(fn: TSESTree.Node): boolean {
  const value = climbValue(fn);
  const call = value.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[0] !== value) return false;
  const name = calleeName(call);
  if (name !== undefined && THROW_ASSERTIONS.has(name) && call.callee.type === AST_NODE_TYPES.MemberExpression) return true;
  if (name !== 'expect') return false;
  for (let link: TSESTree.Node = call; link.parent?.type === AST_NODE_TYPES.MemberExpression && link.parent.object === link; ) {
    const member: TSESTree.MemberExpression = link.parent;
    const matcher = propertyName(member) ?? '';
    // `expect(fn).not.toThrow()`: asserted not to throw.
    if (matcher === 'not') return false;
    if (THROW_MATCHERS.has(matcher)) return true;
    link = member.parent?.type === AST_NODE_TYPES.CallExpression && member.parent.callee === member ? member.parent : member;
  }
  return false;
}

/**
 * `const client = new Client(opts); await expect(client.connect()).rejects.toThrow(…)` (also `await
 * assert.rejects(client.connect())`): a resource created holding nothing ({@link ResourceKind.createdIdle}) whose
 * only operation in its function is the opening, whose promise a test asserts to reject. A failed opening leaves
 * nothing open (unless the kind keeps retrying, {@link ResourceKind.rejectionKeepsOpen}); the test fails when it
 * does not fail.
 */
function openingExpectedToReject(r: Resource): boolean {
  if (!r.kind.createdIdle || r.report.type !== AST_NODE_TYPES.NewExpression) return false;
  let opening: TSESTree.CallExpression | undefined;
  for (const v of r.aliases) {
    for (const ref of v.references) {
      if (ref.init || ref.isWrite()) continue;
      const mc = methodCallOn(ref.identifier);
      if (mc && (LISTENER_METHODS.has(mc.name) || r.kind.releases.has(mc.name))) continue;
      if (!mc || opening || r.kind.rejectionKeepsOpen?.has(mc.name)) return false;
      opening = mc.call;
    }
  }
  return !!opening && expectedToThrow(opening);
}

/** The properties of a DOM-style event that are the object the listener was added to. */
const EVENT_TARGETS = new Set(['target', 'currentTarget']);

/** {@link ResourceBuilder.constructedOnlyAtModuleTops}'s answers, per program and class symbol. */
const programSingletons = new WeakMap<ts.Program, Map<ts.Symbol, boolean>>();

/**
 * `export class C`, `export default class C`, a class the module exports by name (`export { C }`), or, in CommonJS,
 * assigns to its exports at its top level (`module.exports = C`, `module.exports = { C }`, `exports.C = C`).
 */
function isExported(cls: TSESTree.ClassDeclaration): boolean {
  const p = cls.parent;
  if (p?.type === AST_NODE_TYPES.ExportNamedDeclaration || p?.type === AST_NODE_TYPES.ExportDefaultDeclaration) return true;
  if (p?.type !== AST_NODE_TYPES.Program || !cls.id) return false;
  const name = cls.id.name;
  if (exportsName(p, name)) return true;
  const named = (e: TSESTree.Node): boolean => e.type === AST_NODE_TYPES.Identifier && e.name === name;
  return p.body.some((st) => {
    const assign = st.type === AST_NODE_TYPES.ExpressionStatement ? st.expression : undefined;
    if (assign?.type !== AST_NODE_TYPES.AssignmentExpression || !isExportsTarget(assign.left)) return false;
    const value = unwrap(assign.right);
    return named(value) || (value.type === AST_NODE_TYPES.ObjectExpression && value.properties.some((pr) => pr.type === AST_NODE_TYPES.Property && named(pr.value)));
  });
}

/** `module.exports`, `exports`, or a member of either (`exports.C`, `module.exports.C`). */
function isExportsTarget(e: TSESTree.Node): boolean {
  if (e.type === AST_NODE_TYPES.Identifier) return e.name === 'exports';
  if (e.type !== AST_NODE_TYPES.MemberExpression || e.computed) return false;
  const object = unwrap(e.object);
  if (object.type === AST_NODE_TYPES.Identifier && object.name === 'module' && propertyName(e) === 'exports') return true;
  return isExportsTarget(object);
}

/**
 * Does the program (its own files, not libraries) construct the class only in statements at the top of a module, at
 * least once, and name it as a value nowhere else (imports, exports and types aside)? Or does one of its files give
 * the class to a container as a singleton ({@link tsBoundAsSingleton}): then the container makes its one instance,
 * whatever else names it.
 */
/**
 * A mention of a class's name that is no use of its value: an import or export of it, a `require()` bound to it
 * (`const C = require('./c')`), a CommonJS export (`module.exports = C`, `{ C }`, `exports.C = C`), a type reference,
 * an `implements` clause, a qualified name's part or a property's name.
 */
function namesOnly(p: ts.Node, n: ts.Identifier): boolean {
  if (ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isExportSpecifier(p) || ts.isNamespaceImport(p) || ts.isImportEqualsDeclaration(p)) return true;
  if (ts.isVariableDeclaration(p) && p.name === n && p.initializer && isRequireCall(p.initializer)) return true;
  if (isCommonJsExport(p, n)) return true;
  if (ts.isTypeReferenceNode(p) || ts.isTypeQueryNode(p) || (ts.isExpressionWithTypeArguments(p) && ts.isHeritageClause(p.parent) && p.parent.token === ts.SyntaxKind.ImplementsKeyword)) return true;
  return ts.isQualifiedName(p) || (ts.isPropertyAccessExpression(p) && p.name === n);
}

/** The symbol an import alias stands for; any other symbol as it is. */
function resolveAlias(checker: ts.TypeChecker, s: ts.Symbol | undefined): ts.Symbol | undefined {
  return s && s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s;
}

/** Every occurrence of `name` as a whole word (not inside a longer name) in a text. */
function wordPattern(name: string): RegExp {
  return new RegExp(`(?<![\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`, 'g');
}

/** {@link ResourceBuilder.constructedOnlyInside}'s answers for exported classes, per program and class symbol. */
const programSelfConstructed = new WeakMap<ts.Program, Map<ts.Symbol, boolean>>();

/**
 * Does every mention of the class `symbol` declares, outside its own declaration, only read a static member of it
 * (`CacheService.instance()`) or name it as a type, an import or an export, in every file of the program?
 */
function onlyStaticReadsOutside(program: ts.Program, checker: ts.TypeChecker, symbol: ts.Symbol, declaration: ts.ClassDeclaration): boolean {
  const name = declaration.name?.text;
  if (name === undefined) return false;
  const word = wordPattern(name);
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || program.isSourceFileFromExternalLibrary(sf) || !sf.text.includes(name)) continue;
    for (const m of sf.text.matchAll(word)) {
      if (sf === declaration.getSourceFile() && m.index >= declaration.getStart(sf) && m.index < declaration.end) continue;
      const found = identifierAt(sf, m.index);
      if (!found) continue;
      const n = found.id;
      const p = n.parent;
      if (namesOnly(p, n) || resolveAlias(checker, checker.getSymbolAtLocation(n)) !== symbol) continue;
      // `CacheService.instance()`, `CacheService.register(url)`: a read of a static member.
      if (ts.isPropertyAccessExpression(p) && p.expression === n) continue;
      return false;
    }
  }
  return true;
}

function onlyTopLevelConstructions(program: ts.Program, checker: ts.TypeChecker, symbol: ts.Symbol, name: string): boolean {
  let made = 0;
  let other = false;
  // Each occurrence of the name (or of a local name an import gives the class: `import Store from './redis-store'`)
  // in the text, looked up by position (no walk of whole files): an identifier there, and whether a function (or a
  // class field's initialiser, a static block) encloses it.
  for (const local of [name, ...importedLocalNames(program, checker, symbol, name)]) {
    const word = wordPattern(local);
    for (const sf of program.getSourceFiles()) {
      if (sf.isDeclarationFile || program.isSourceFileFromExternalLibrary(sf) || !sf.text.includes(local)) continue;
      for (const m of sf.text.matchAll(word)) {
        const found = identifierAt(sf, m.index);
        if (!found) continue; // in a comment, a string, a template's text
        const { id: n, inFunction } = found;
        const p = n.parent;
        if (ts.isClassDeclaration(p) && p.name === n) continue;
        if (namesOnly(p, n) || resolveAlias(checker, checker.getSymbolAtLocation(n)) !== symbol) continue;
        if (ts.isNewExpression(p) && p.expression === n && (!inFunction || tsRunsOnceAtStart(p, checker))) made++;
        // Given to a container as a singleton (in any file): the container makes its one instance.
        else if (tsBoundAsSingleton(n, checker, sf)) return true;
        else other = true;
      }
    }
  }
  return made > 0 && !other;
}

/**
 * The local names other than `name` under which files of the program import the class `symbol` declares: a default
 * import or a renamed one (`import Store from './redis-store'`, `import { RedisStore as Store }`), from a module
 * specifier that names the class's file (its base name, or its folder for an `index` file).
 */
function importedLocalNames(program: ts.Program, checker: ts.TypeChecker, symbol: ts.Symbol, name: string): string[] {
  const file = symbol.declarations?.[0]?.getSourceFile().fileName;
  if (!file) return [];
  const parts = file.split('/');
  const base = (parts[parts.length - 1] ?? '').replace(/(\.d)?\.[cm]?[jt]sx?$/, '');
  const folder = parts[parts.length - 2] ?? '';
  const names = new Set<string>();
  for (const sf of program.getSourceFiles()) {
    if (sf.isDeclarationFile || program.isSourceFileFromExternalLibrary(sf)) continue;
    for (const st of sf.statements) {
      if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !st.importClause || st.importClause.isTypeOnly) continue;
      const spec = st.moduleSpecifier.text.replace(/\.[cm]?[jt]sx?$/, '');
      const last = spec.slice(spec.lastIndexOf('/') + 1);
      if (last !== base && !(base === 'index' && last === folder)) continue;
      const locals: ts.Identifier[] = [];
      if (st.importClause.name) locals.push(st.importClause.name);
      const named = st.importClause.namedBindings;
      if (named && ts.isNamedImports(named)) for (const el of named.elements) if (!el.isTypeOnly) locals.push(el.name);
      for (const id of locals) {
        if (id.text !== name && !names.has(id.text) && resolveAlias(checker, checker.getSymbolAtLocation(id)) === symbol) names.add(id.text);
      }
    }
  }
  return [...names];
}

/** The name of the function a call calls: `f(…)`, `x.f(…)`. */
function tsCalleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  return ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
}

/** The outermost of the parentheses, type assertions and non-null assertions around `node`. */
function tsClimbValue(node: ts.Node): ts.Node {
  let n = node;
  while (ts.isParenthesizedExpression(n.parent) || ts.isAsExpression(n.parent) || ts.isNonNullExpression(n.parent) || ts.isSatisfiesExpression(n.parent)) n = n.parent;
  return n;
}

/**
 * {@link boundAsSingleton} on TypeScript's tree (a file other than the one linted): the class named here is given to
 * a container as a singleton (inversify's `bind(T).to(C).inSingletonScope()` or `bind(C).toSelf().inSingletonScope()`,
 * tsyringe's `registerSingleton(token, C)`), directly or through a property of a constant object literal of its file
 * (`const providers = { redis: C }; registerSingleton(token, providers.redis)`).
 */
function tsBoundAsSingleton(n: ts.Node, checker: ts.TypeChecker, sf: ts.SourceFile, viaObject = true): boolean {
  const value = tsClimbValue(n);
  const holder = value.parent;
  const property = ts.isPropertyAssignment(holder) ? (holder.initializer === value ? holder : undefined) : ts.isShorthandPropertyAssignment(holder) ? holder : undefined;
  if (viaObject && property && ts.isObjectLiteralExpression(property.parent)) {
    const decl = property.parent.parent;
    const name = property.name;
    const key = ts.isIdentifier(name) || ts.isStringLiteral(name) ? name.text : undefined;
    if (key === undefined || !ts.isVariableDeclaration(decl) || decl.initializer !== property.parent || !ts.isIdentifier(decl.name)) return false;
    if (!ts.isVariableDeclarationList(decl.parent) || (decl.parent.flags & ts.NodeFlags.Const) === 0) return false;
    const objectSymbol = checker.getSymbolAtLocation(decl.name);
    if (!objectSymbol) return false;
    const word = wordPattern(decl.name.text);
    for (const m of sf.text.matchAll(word)) {
      const found = identifierAt(sf, m.index);
      const access = found?.id.parent;
      if (!found || found.id === decl.name || !access || !ts.isPropertyAccessExpression(access) || access.expression !== found.id || access.name.text !== key) continue;
      if (checker.getSymbolAtLocation(found.id) === objectSymbol && tsBoundAsSingleton(access, checker, sf, false)) return true;
    }
    return false;
  }
  const call = holder;
  if (!ts.isCallExpression(call) || !call.arguments.some((a) => a === value)) return false;
  const name = tsCalleeName(call);
  if (name === 'registerSingleton') return true;
  let link: ts.Node = call;
  if (name === 'bind') {
    const member = tsClimbValue(call).parent;
    const next = ts.isPropertyAccessExpression(member) && member.name.text === 'toSelf' ? member.parent : undefined;
    if (!next || !ts.isCallExpression(next)) return false;
    link = next;
  } else if (name !== 'to') {
    return false;
  }
  const member = tsClimbValue(link).parent;
  return ts.isPropertyAccessExpression(member) && member.name.text === 'inSingletonScope' && ts.isCallExpression(member.parent);
}

/** `require('…')`. */
function isRequireCall(e: ts.Expression): boolean {
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'require' && e.arguments.length === 1;
}

/** `module.exports`, `exports`, or a member of either (`exports.C`, `module.exports.C`). */
function isCommonJsExportTarget(e: ts.Expression): boolean {
  if (ts.isIdentifier(e)) return e.text === 'exports';
  if (!ts.isPropertyAccessExpression(e)) return false;
  if (ts.isIdentifier(e.expression) && e.expression.text === 'module' && e.name.text === 'exports') return true;
  return isCommonJsExportTarget(e.expression);
}

/** Is `n` (the parent `p`'s child) exported the CommonJS way: `module.exports = C`, `exports.C = C`, `module.exports = { C }`? */
function isCommonJsExport(p: ts.Node, n: ts.Node): boolean {
  let value: ts.Node = n;
  let holder: ts.Node = p;
  if (ts.isShorthandPropertyAssignment(holder) || (ts.isPropertyAssignment(holder) && holder.initializer === value)) {
    value = holder.parent;
    holder = value.parent;
  }
  return ts.isBinaryExpression(holder) && holder.operatorToken.kind === ts.SyntaxKind.EqualsToken && holder.right === value && isCommonJsExportTarget(holder.left);
}

/** Loop statements: code in one runs once per iteration. */
const TS_LOOPS = new Set([ts.SyntaxKind.ForStatement, ts.SyntaxKind.ForInStatement, ts.SyntaxKind.ForOfStatement, ts.SyntaxKind.WhileStatement, ts.SyntaxKind.DoStatement]);

/**
 * {@link runsOnceAtStart} on TypeScript's tree (a file other than the one linted): `node` is in the own body of a
 * function the module declares at its top level and does not export, outside any loop, and the module's only use of
 * that function's name is a call that is a statement of its top level (`main();`, `main().catch(…);`, `void main();`,
 * `await main();`) — or of a function expression called where it is written, in such a statement.
 */
function tsRunsOnceAtStart(node: ts.Node, checker: ts.TypeChecker): boolean {
  let fn: ts.Node | undefined;
  for (let p: ts.Node | undefined = node.parent; p && !ts.isSourceFile(p); p = p.parent) {
    if (TS_LOOPS.has(p.kind) && !fn) return false;
    if (ts.isClassLike(p) || ts.isClassStaticBlockDeclaration(p) || ts.isPropertyDeclaration(p)) return false;
    if (ts.isFunctionLike(p)) {
      if (fn) return false; // nested: it may run many times
      fn = p;
    }
  }
  if (!fn) return false;
  // `(function init() { … })();`, `(async () => { … })()`: called once where it is written.
  if (ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) {
    let value: ts.Node = fn;
    while (ts.isParenthesizedExpression(value.parent)) value = value.parent;
    if (ts.isCallExpression(value.parent) && value.parent.expression === value) return tsTopLevelStatement(value.parent);
  }
  let name: ts.Identifier | undefined;
  let statement: ts.Node | undefined;
  if (ts.isFunctionDeclaration(fn)) {
    name = fn.name;
    statement = fn;
  } else if ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && ts.isVariableDeclaration(fn.parent) && fn.parent.initializer === fn && ts.isIdentifier(fn.parent.name)) {
    const list = fn.parent.parent;
    if (!ts.isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) === 0) return false;
    name = fn.parent.name;
    statement = list.parent;
  }
  if (!name || !statement || !ts.isSourceFile(statement.parent)) return false;
  if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword)) return false;
  const sf = statement.parent;
  const symbol = checker.getSymbolAtLocation(name);
  if (!symbol) return false;
  let calls = 0;
  const word = wordPattern(name.text);
  for (const m of sf.text.matchAll(word)) {
    const found = identifierAt(sf, m.index);
    if (!found || found.id === name || checker.getSymbolAtLocation(found.id) !== symbol) continue;
    const call = found.id.parent;
    if (found.inFunction || !ts.isCallExpression(call) || call.expression !== found.id || !tsTopLevelStatement(call)) return false;
    calls++;
  }
  return calls === 1;
}

/** Is this call, with its promise chain (`.then`, `.catch`, `.finally`), `void` or `await`, a statement of the module's top level? */
function tsTopLevelStatement(call: ts.CallExpression): boolean {
  let e: ts.Node = call;
  for (;;) {
    const p = e.parent;
    if (ts.isParenthesizedExpression(p) || ts.isAwaitExpression(p) || ts.isVoidExpression(p)) e = p;
    else if (ts.isPropertyAccessExpression(p) && p.expression === e && ['then', 'catch', 'finally'].includes(p.name.text) && ts.isCallExpression(p.parent) && p.parent.expression === p) e = p.parent;
    else break;
  }
  const statement = e.parent;
  if (!ts.isExpressionStatement(statement)) return false;
  // `if (require.main === module) main();`
  const holder = ts.isBlock(statement.parent) && ts.isIfStatement(statement.parent.parent) ? statement.parent.parent : statement.parent;
  return ts.isSourceFile(holder) || (ts.isIfStatement(holder) && ts.isSourceFile(holder.parent));
}

/**
 * Does `node` run once, when the program starts: at the top of its module, or in the own body (outside loops) of a
 * function the module declares at its top level, does not export, and calls once, in a statement of its top level —
 * `async function main() { const svc = new Service(); … } main().catch(…);`, a script's or a server's entry function.
 */
function runsOnceAtStart(node: TSESTree.Node, varOf: VariableLookup): boolean {
  const fn = enclosingFunction(node);
  if (!fn) return true;
  return !inLoopWithin(node, fn) && calledOnceAtStart(fn, varOf);
}

/**
 * Is `fn` a function the module declares at its top level, does not export, and calls once, in a statement of its
 * top level (`main();`, `main().catch(…);`, `void main();`, `if (require.main === module) main();`)?
 */
function calledOnceAtStart(fn: FunctionNode, varOf: VariableLookup): boolean {
  if (enclosingFunction(fn)) return false;
  // `(async function main() { … })();`, `(() => { … })()`: called once where it is written.
  const value = climbValue(fn);
  if (value.parent?.type === AST_NODE_TYPES.CallExpression && value.parent.callee === value) return topLevelCallStatement(value.parent);
  const name = topLevelFunctionName(fn);
  const v = name ? varOf.get(name) : undefined;
  const reads = v?.references.filter((ref) => !ref.init) ?? [];
  if (reads.length !== 1) return false;
  const callee = reads[0].identifier;
  const call = callee.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== callee || enclosingFunction(call)) return false;
  return topLevelCallStatement(call);
}

/**
 * Is `call` (outside every function) a statement of the module's top level of its own, possibly awaited, voided or
 * chained with `then`/`catch`/`finally` (`main();`, `main().catch(…);`, `void main();`), or such a statement in an
 * `if` of the top level (`if (require.main === module) main();`), or the initialiser of a declaration of the top level
 * (`export const ipc = connectToServer();`)?
 */
function topLevelCallStatement(call: TSESTree.CallExpression): boolean {
  let e: TSESTree.Node = call;
  for (;;) {
    const p: TSESTree.Node | undefined = e.parent;
    if (p?.type === AST_NODE_TYPES.AwaitExpression || (p?.type === AST_NODE_TYPES.UnaryExpression && p.operator === 'void')) e = p;
    else if (p?.type === AST_NODE_TYPES.MemberExpression && p.object === e && ['then', 'catch', 'finally'].includes(propertyName(p) ?? '') && p.parent?.type === AST_NODE_TYPES.CallExpression && p.parent.callee === p) e = p.parent;
    else break;
  }
  const statement = e.parent;
  // `export const client = connect();`: the initialiser of a declaration of the top level.
  if (statement?.type === AST_NODE_TYPES.VariableDeclarator && statement.init === e) {
    const declaration = statement.parent;
    return declaration.parent.type === AST_NODE_TYPES.Program || (declaration.parent.type === AST_NODE_TYPES.ExportNamedDeclaration && declaration.parent.parent?.type === AST_NODE_TYPES.Program);
  }
  if (statement?.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  const holder = statement.parent?.type === AST_NODE_TYPES.BlockStatement && statement.parent.parent?.type === AST_NODE_TYPES.IfStatement ? statement.parent.parent : statement.parent;
  return holder?.type === AST_NODE_TYPES.Program || (holder?.type === AST_NODE_TYPES.IfStatement && holder.parent?.type === AST_NODE_TYPES.Program);
}

/** The identifier that starts at `pos` in `sf`, found by descending to it, and whether a function encloses it. */
function identifierAt(sf: ts.SourceFile, pos: number): { id: ts.Identifier; inFunction: boolean } | undefined {
  let node: ts.Node = sf;
  let inFunction = false;
  for (let depth = 0; depth < 1000; depth++) {
    let next: ts.Node | undefined;
    ts.forEachChild(node, (c) => {
      if (!next && c.pos <= pos && pos < c.end) next = c;
    });
    if (!next) return undefined;
    const child: ts.Node = next;
    if (ts.isIdentifier(child)) return child.getStart(sf) === pos ? { id: child, inFunction } : undefined;
    if (ts.isFunctionLike(child) || ts.isClassStaticBlockDeclaration(child) || ts.isPropertyDeclaration(child)) inFunction = true;
    node = child;
  }
  return undefined;
}

/**
 * `@Injectable() class CacheService` (NestJS, `@nestjs/common`): a provider the container makes once, in the default
 * scope (not `@Injectable({ scope: Scope.REQUEST })` or `TRANSIENT`): one instance, which lives as long as the app.
 * So do tsyringe's `@singleton()` and TypeDI's `@Service()` classes ({@link SINGLETON_DECORATORS}).
 */
function isContainerSingleton(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression, varOf: VariableLookup): boolean {
  return (cls.decorators ?? []).some((d) => {
    const e = unwrap(d.expression);
    if (e.type !== AST_NODE_TYPES.CallExpression || e.callee.type !== AST_NODE_TYPES.Identifier) return false;
    const def = varOf.get(e.callee)?.defs[0];
    const from = def?.type === DefinitionType.ImportBinding && def.parent.type === AST_NODE_TYPES.ImportDeclaration ? def.parent.source.value : undefined;
    const imported = def?.type === DefinitionType.ImportBinding && def.node.type === AST_NODE_TYPES.ImportSpecifier && def.node.imported.type === AST_NODE_TYPES.Identifier ? def.node.imported.name : undefined;
    if (from !== undefined && imported !== undefined && SINGLETON_DECORATORS.get(from)?.has(imported)) {
      // `@Service({ transient: true })`, `@Service({ scope: … })`: not one instance.
      const options = e.arguments.map((a) => unwrap(a)).find((a) => a.type === AST_NODE_TYPES.ObjectExpression);
      return !options || (options.type === AST_NODE_TYPES.ObjectExpression && !options.properties.some((p) => p.type !== AST_NODE_TYPES.Property || p.computed || keyName(p.key) === 'transient' || keyName(p.key) === 'scope'));
    }
    if (from !== '@nestjs/common' || imported !== 'Injectable') return false;
    const options = e.arguments[0] ? unwrap(e.arguments[0]) : undefined;
    if (!options) return true;
    if (options.type !== AST_NODE_TYPES.ObjectExpression) return false;
    return !options.properties.some((p) => p.type !== AST_NODE_TYPES.Property || p.computed || keyName(p.key) === 'scope');
  });
}

/**
 * Decorators that make a class a container's singleton: tsyringe's `@singleton()`, TypeDI's `@Service()` (one instance
 * unless `transient: true`), by the package each is imported from.
 */
const SINGLETON_DECORATORS: ReadonlyMap<string, ReadonlySet<string>> = new Map([
  ['tsyringe', new Set(['singleton'])],
  ['typedi', new Set(['Service'])],
]);

/**
 * A class name given to a container as a singleton: inversify's `container.bind(T).to(C).inSingletonScope()` or
 * `container.bind(C).toSelf().inSingletonScope()`, tsyringe's `container.registerSingleton(token, C)`.
 */
function boundAsSingleton(id: TSESTree.Node, varOf: VariableLookup, viaObject = true): boolean {
  const value = climbValue(id);
  // `const providers = { redis: C }; container.registerSingleton(token, providers.redis)`: the class reaches the
  // registration through a property of a constant object literal.
  const prop = value.parent;
  if (viaObject && prop?.type === AST_NODE_TYPES.Property && prop.value === value && !prop.computed && prop.parent?.type === AST_NODE_TYPES.ObjectExpression) {
    const decl = prop.parent.parent;
    const key = keyName(prop.key);
    if (key === undefined || decl?.type !== AST_NODE_TYPES.VariableDeclarator || decl.init !== prop.parent || decl.id.type !== AST_NODE_TYPES.Identifier || decl.parent?.type !== AST_NODE_TYPES.VariableDeclaration || decl.parent.kind !== 'const') return false;
    return (varOf.get(decl.id)?.references ?? []).some((ref) => {
      const member = ref.identifier.parent;
      return member?.type === AST_NODE_TYPES.MemberExpression && member.object === ref.identifier && propertyName(member) === key && boundAsSingleton(member, varOf, false);
    });
  }
  const call = value.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(value as TSESTree.CallExpressionArgument)) return false;
  const name = calleeName(call);
  if (name === 'registerSingleton') return true;
  // `.to(C)` / `.bind(C).toSelf()`, then `.inSingletonScope()` on the result.
  let link: TSESTree.Node = call;
  if (name === 'bind') {
    const member = climbValue(call).parent;
    const next = member?.type === AST_NODE_TYPES.MemberExpression && propertyName(member) === 'toSelf' ? member.parent : undefined;
    if (next?.type !== AST_NODE_TYPES.CallExpression) return false;
    link = next;
  } else if (name !== 'to') {
    return false;
  }
  const member = climbValue(link).parent;
  return member?.type === AST_NODE_TYPES.MemberExpression && propertyName(member) === 'inSingletonScope' && member.parent?.type === AST_NODE_TYPES.CallExpression;
}

/** A function value given as an argument of a call, as itself or bound (`setTimeout(f, ms)`, `setTimeout(this.f.bind(this), ms)`). */
function handedAsCallback(n: TSESTree.Node): boolean {
  const value = climbValue(n);
  const member = value.parent;
  const bound = member?.type === AST_NODE_TYPES.MemberExpression && member.object === value && propertyName(member) === 'bind' && member.parent?.type === AST_NODE_TYPES.CallExpression && member.parent.callee === member;
  return isCallArgument(bound ? member.parent : n);
}

/**
 * `(function (window) { … })(window)` as a statement of the program: a script's whole body wrapped in a function run
 * once at load — module scope in all but name. Not an async one (`(async () => { … })()`, a script's main function,
 * which is expected to finish).
 */
function isModuleWrapper(node: TSESTree.Node): boolean {
  if ((node.type !== AST_NODE_TYPES.FunctionExpression && node.type !== AST_NODE_TYPES.ArrowFunctionExpression) || node.async || node.generator) return false;
  let call: TSESTree.Node | undefined = node.parent;
  // `(function () { … }).call(this)`
  if (call?.type === AST_NODE_TYPES.MemberExpression && call.object === node && ['call', 'apply'].includes(propertyName(call) ?? '')) call = call.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || (call.callee !== node && call.callee !== node.parent)) return false;
  let statement: TSESTree.Node | undefined = call.parent;
  if (statement?.type === AST_NODE_TYPES.UnaryExpression) statement = statement.parent;
  return statement?.type === AST_NODE_TYPES.ExpressionStatement && statement.parent.type === AST_NODE_TYPES.Program;
}

/**
 * Code that runs once, when the module loads, in a function: a function wrapping a script and run at load
 * ({@link isModuleWrapper}), or one the module declares, does not export and calls once in a statement of its top level
 * (not `async`, not a generator).
 */
export function isLoadCode(fn: TSESTree.Node, varOf: VariableLookup): boolean {
  return isModuleWrapper(fn) || isLoadFunction(fn, varOf);
}

/**
 * `function start() { … } start();`: a function (not `async`, not a generator) that the module declares at its top
 * level, does not export and calls once, in a statement of its top level — the module's load code under a name, as a
 * function wrapping a script and run once at load is ({@link isModuleWrapper}). An `async` one is a script's main
 * function, checked.
 */
function isLoadFunction(owner: TSESTree.Node, varOf: VariableLookup): boolean {
  if (!isFunction(owner) || owner.async || owner.generator) return false;
  let known = loadFunctions.get(owner);
  if (known === undefined) {
    known = calledOnceAtStart(owner, varOf);
    loadFunctions.set(owner, known);
  }
  return known;
}

/** {@link isLoadFunction} per function node (the answer depends on its file alone). */
const loadFunctions = new WeakMap<TSESTree.Node, boolean>();

/** Names of release-like methods that libraries add to sockets and servers at run time (see callsUndeclaredMethod). */
const RUNTIME_RELEASE = /^(?:shutdown|stop|kill|dispose|destroy|close|terminate)(?:[A-Z]\w*)?$/;

/**
 * Does a function handed over at `at` (a `delegate` kill of `r`: the call it is given to, the store or return of it)
 * hand `r` off there: an escape kill of `r` inside `at`, in a function nested in r's owner?
 */
function handsOffInside(r: Resource, at: TSESTree.Node): boolean {
  for (const [node, ops] of r.ops) {
    if (node !== at && contains(at, node) && enclosingFunction(node) !== r.ownerNode && ops.some((o) => o.t === 'kill' && o.why === 'escape')) return true;
  }
  return false;
}

/** The values a plain `v.<option> = value` stores into the object a variable holds. */
function optionWrites(v: Variable, option: string): TSESTree.Node[] {
  const out: TSESTree.Node[] = [];
  for (const ref of v.references) {
    const member = ref.identifier.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== ref.identifier || propertyName(member) !== option) continue;
    const assign = member.parent;
    if (assign?.type === AST_NODE_TYPES.AssignmentExpression && assign.left === member && assign.operator === '=') out.push(unwrap(assign.right));
  }
  return out;
}

/** The test runners' module mocks: `jest.mock('m')`, `vi.mock('m', factory)`, `jest.unstable_mockModule('m', …)`. */
const MOCKING_CALLS = new Set(['jest.mock', 'vi.mock', 'jest.unstable_mockModule', 'vi.doMock', 'jest.doMock']);

/** The modules a test file mocks by a statement of its top level (`node:` aside: `node:tls` is `tls`). */
function mockedModules(program: TSESTree.Program): Set<string> {
  const out = new Set<string>();
  for (const st of program.body) {
    const call = st.type === AST_NODE_TYPES.ExpressionStatement ? unwrap(st.expression) : undefined;
    if (call?.type !== AST_NODE_TYPES.CallExpression || !MOCKING_CALLS.has(dottedName(unwrap(call.callee)) ?? '')) continue;
    const name = stringValue(call.arguments[0]);
    if (name !== undefined) out.add(name.replace(/^node:/, ''));
  }
  return out;
}

/**
 * The module a declaration belongs to: the name of the ambient module around it (`declare module 'tls' { … }`, `node:`
 * aside), or the package whose files declare it (`node_modules/ioredis/built/Redis.d.ts`: `ioredis`).
 */
function declaringModule(decl: ts.Node): string | undefined {
  for (let n: ts.Node | undefined = decl; n; n = n.parent) {
    if (ts.isModuleDeclaration(n) && ts.isStringLiteral(n.name)) return n.name.text.replace(/^node:/, '');
  }
  const path = decl.getSourceFile().fileName;
  const at = path.lastIndexOf('/node_modules/');
  if (at < 0) return undefined;
  const parts = path.slice(at + '/node_modules/'.length).split('/');
  const pkg = parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  return pkg?.startsWith('@types/') ? pkg.slice('@types/'.length) : pkg;
}
