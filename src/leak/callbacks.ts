import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import * as ts from 'typescript';
import { AST_NODE_TYPES } from '../engine/node-types';
import { recover } from '../engine/strict';
import { classSummaries } from '../model/class-summaries';
import { skipOuter } from '../model/types';
import { calleeMember, calleeName, climbValue, contains, enclosingFunction, handlesUncaught, hasOwnNode, isFunction, line, methodCallOn, propertyName, someStatementBefore, statementList, thisMemberName, isFinalizer, unwrap, walkAst, type FunctionNode } from '../engine/ast';
import { Mode, modeAfterSegment, type FunctionFlow } from '../engine/flow';
import { isCloseOrErrorEvent } from '../kinds/kind';
import { isExecutor, type Variable } from '../model/bindings';
import type { FileModel } from '../model/file-model';
import { mentionsResource, type Registration, type Resource } from '../model/resource';
import { callbackRole } from '../model/callbacks';

/** Open (with the last jump passed, for the message) or closed (`null`). */
import { isOpen, type Detail, type ResourceLeakCheck } from './leak';
import { delegateSettlesWithIt, settlesLeftOpen } from './settles';
/** Per file: does an exception thrown out of a callback end the process ({@link LeakCallbacks.uncaughtEndsProcess})? */
const uncaughtEnds = new WeakMap<object, boolean>();
const DefinitionType = TSESLint.Scope.DefinitionType;
import { DEFERRING_CALLS, REMOVE_LISTENER_METHODS } from '../kinds/vocabulary';

/** The statements that leave a function. */
const EXITS: ReadonlySet<string> = new Set([AST_NODE_TYPES.ReturnStatement, AST_NODE_TYPES.ThrowStatement]);

/**
 * A parameter that is a completion callback by its name (`cb`, `callback`, `done`, `next`, `onDone`, `resolve` …; a
 * called `error`, `fail` or `success` too: the failure and success arms of an operation).
 */
const CALLBACK_NAME = /^(cb|callback|done|next|finish|fn|resolve|reject|respond|reply|error|fail|failure|success|complete)$|^on[A-Z]|(Callback|Cb|Done|Handler)$/;

/** Events after which a peer stream is gone: its listeners for them run once it has ended or failed. */
const PEER_CLOSED_EVENTS = new Set(['close', 'end', 'error']);

/** Events that come when a connection (or a server's handle) is made: a timer racing them gives up on the attempt. */
const ESTABLISHING_EVENTS = new Set(['connect', 'secureConnect', 'ready', 'open', 'listening', 'lookup', 'upgrade']);

/** Events of another emitter whose listener tears the socket down with it (the peer's end). */
const PEER_TEARDOWN_EVENTS = new Set(['close', 'end', 'error', 'finish', 'aborted', 'disconnect', 'timeout']);
/** The events another emitter emits once, last: a listener of one runs once. */
const PEER_LAST_EVENTS: ReadonlySet<string> = new Set(['close', 'end', 'finish', 'exit']);

/**
 * The callbacks of one resource, for the leak check: timeouts that do not release it, settle functions called
 * without it, and one-shot callbacks that release it on one path and drop it on another.
 */
export class LeakCallbacks {
  constructor(
    private readonly m: FileModel,
    private readonly r: Resource,
    private readonly core: ResourceLeakCheck,
  ) {}

  /**
   * A 'timeout' listener that rejects (or resolves) a promise whose awaiting owner releases the socket in a
   * `catch` or `finally` block hands the timeout over to that cleanup; so does one whose settle a promise
   * continuation that releases the socket takes: `.finally(() => s.destroy())` after either settle, the first
   * function of `.then(…)` after a resolve, `.catch(…)` or the second function of `.then(…)` after a reject.
   */
  settlesIntoCleanup(reg: Registration): boolean {
    const fn = reg.fn;
    const n = unwrap(reg.fnNode);
    const roles = new Set<'resolve' | 'reject'>();
    if (n.type === AST_NODE_TYPES.Identifier) {
      const ex = this.m.varOf.get(n) && this.m.executorOf(this.m.varOf.get(n) as Variable);
      if (ex) roles.add(ex.role);
    }
    if (fn) for (const role of this.settleRoles(fn)) roles.add(role);
    if (roles.size === 0) return false;
    const covered = new Set<'resolve' | 'reject'>();
    for (const [node, ops] of this.r.ops) {
      if (!ops.some((o) => o.t === 'kill' && o.why === 'release')) continue;
      for (let child: TSESTree.Node = node, p: TSESTree.Node | undefined = node.parent; p && p !== this.r.ownerNode; child = p, p = p.parent) {
        if (p.type === AST_NODE_TYPES.CatchClause || isFinalizer(p)) return true;
        if (isFunction(child)) for (const role of continuationRoles(child)) covered.add(role);
      }
    }
    return [...roles].every((role) => covered.has(role));
  }

  /** Which settle functions `fn` calls: `resolve`/`reject` by name, or a Promise executor's parameters by position. */
  private settleRoles(fn: FunctionNode): Set<'resolve' | 'reject'> {
    const roles = new Set<'resolve' | 'reject'>();
    walkAst(fn, this.m.sourceCode.visitorKeys, (c) => {
      if (c.type !== AST_NODE_TYPES.CallExpression || c.callee.type !== AST_NODE_TYPES.Identifier) return false;
      const v = this.m.varOf.get(c.callee);
      const ex = v && this.m.executorOf(v);
      if (ex) roles.add(ex.role);
      else if (/^reject$/i.test(c.callee.name)) roles.add('reject');
      else if (/^resolve$/i.test(c.callee.name)) roles.add('resolve');
      return false;
    });
    return roles;
  }

  knownFunction(reg: Registration): boolean {
    if (reg.fn) return true;
    const n = unwrap(reg.fnNode);
    if (n.type !== AST_NODE_TYPES.Identifier) return false;
    const v = this.m.varOf.get(n);
    return !!v && (this.r.settleFns.has(v) || !!this.m.executorOf(v));
  }

  /**
   * A two-way tunnel's 'timeout' listener that ends the other end (`conn.on('timeout', () => hangup(client))`), when
   * a teardown listener of that other end ('end', 'close', 'error') releases this socket: the timeout releases it
   * through the peer.
   */
  endsReleasingPeer(reg: Registration): boolean {
    const fn = reg.fn;
    if (!fn) return false;
    const peers = new Set(this.peerReleasers(PEER_CLOSED_EVENTS, () => true).flatMap((p) => (p.peer ? [p.peer] : [])));
    for (const v of peers) {
      for (const ref of v.references) {
        const id = ref.identifier;
        if (ref.isWrite() || !contains(fn, id)) continue;
        const value = climbValue(id);
        const mc = methodCallOn(value);
        if (mc && this.m.anyRelease.has(mc.name)) return true;
        const call = value.parent;
        if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee === value) continue;
        const callee = this.m.functionValue(call.callee);
        const index = call.arguments.indexOf(value as TSESTree.CallExpressionArgument);
        // A helper that releases the peer, or takes it over (`await this.hangup(conn)` ending it in a promise).
        if (callee && index >= 0 && this.m.parameterEffect(callee, index) !== 'borrow') return true;
      }
    }
    return false;
  }

  /**
   * The listeners of another emitter (a local: the peer of a tunnel, the client a request serves; or a field of the
   * class, `this.session` / `self.session`: the object's own peer) for one of `events` in which the socket has a kill
   * of a kind `why` accepts (`client.on('close', () => hangup(up))`). `peer` is the local's variable (none for a field).
   */
  private peerReleasers(events: ReadonlySet<string>, why: (w: string) => boolean): Array<{ listener: FunctionNode; peer?: Variable; name: string }> {
    const out: Array<{ listener: FunctionNode; peer?: Variable; name: string }> = [];
    for (const [node, ops] of this.r.ops) {
      if (!ops.some((o) => o.t === 'kill' && why(o.why))) continue;
      const f = enclosingFunction(node);
      const role = f && f !== this.r.ownerNode ? callbackRole(f) : undefined;
      if (!f || role?.via !== 'listener' || !role.emitter || role.event === undefined || !events.has(role.event)) continue;
      const emitter = unwrap(role.emitter);
      const v = emitter.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(emitter) : undefined;
      if (v && !this.r.aliases.has(v)) out.push({ listener: f, peer: v, name: v.name });
      const field = emitter.type === AST_NODE_TYPES.MemberExpression ? thisMemberName(emitter) : undefined;
      if (field !== undefined && field !== this.r.field?.name) out.push({ listener: f, name: `this.${field}` });
    }
    return out;
  }

  registrationReleases(reg: Registration): boolean {
    if (!reg.fn) return false;
    return this.r.releasesInside(reg.fn) || this.releasesThroughOuterStore(reg.fn) || this.releasesThroughInheritedMethod(reg.fn);
  }

  /**
   * `this.socket.setTimeout(ms, () => this.close())` in a class whose `close()` is inherited, declared by a base class
   * (of any file) whose body releases the same field (`this.socket.destroy()`, `this.socket?.end()`): a call of it in
   * `fn` (its own code) releases the field's socket.
   */
  private releasesThroughInheritedMethod(fn: FunctionNode): boolean {
    const field = this.r.field;
    if (!field?.cls.superClass) return false;
    const summaries = classSummaries(this.m);
    let found = false;
    walkAst(fn, this.m.sourceCode.visitorKeys, (n) => {
      if (n.type !== AST_NODE_TYPES.CallExpression || enclosingFunction(n) !== fn) return false;
      const callee = unwrap(n.callee);
      const name = callee.type === AST_NODE_TYPES.MemberExpression ? thisMemberName(callee) : undefined;
      if (name === undefined || summaries.member(field.cls, name)) return false;
      found = this.inheritedReleases(callee as TSESTree.MemberExpression, field.name);
      return found;
    });
    return found;
  }

  /** Does the method that `this.m` (not declared in its class) names have a body releasing `this.<field>`? */
  private inheritedReleases(member: TSESTree.MemberExpression, field: string): boolean {
    try {
      const tsMember = this.m.services.esTreeNodeToTSNodeMap.get(member) as ts.PropertyAccessExpression | undefined;
      const symbol = tsMember && ts.isPropertyAccessExpression(tsMember) ? this.m.checker.getSymbolAtLocation(tsMember.name) : undefined;
      const releases = this.r.kind.releases;
      for (const decl of symbol?.declarations ?? []) {
        if (!ts.isMethodDeclaration(decl) || !decl.body) continue;
        let releasing = false;
        const visit = (n: ts.Node): void => {
          if (releasing || (ts.isFunctionLike(n) && !ts.isArrowFunction(n))) return;
          if (ts.isCallExpression(n)) {
            const callee = skipOuter(n.expression);
            if (ts.isPropertyAccessExpression(callee) && releases.has(callee.name.text)) {
              const object = skipOuter(callee.expression);
              if (ts.isPropertyAccessExpression(object) && object.name.text === field && skipOuter(object.expression).kind === ts.SyntaxKind.ThisKeyword) releasing = true;
            }
          }
          ts.forEachChild(n, visit);
        };
        ts.forEachChild(decl.body, visit);
        if (releasing) return true;
      }
      return false;
    } catch (error) {
      return recover(error, false);
    }
  }

  /**
   * `request = req; req.setTimeout(ms, () => request?.destroy())`: the variable of the enclosing function that the
   * socket was stored in is released in `fn`, or in a local function `fn` calls (`const abort = () =>
   * request?.destroy()`).
   */
  private releasesThroughOuterStore(fn: FunctionNode): boolean {
    const outer = this.r.outerStore?.variable;
    if (!outer) return false;
    const releasing = new Set<FunctionNode>();
    for (const ref of outer.references) {
      const mc = methodCallOn(ref.identifier);
      const at = mc && this.r.kind.releases.has(mc.name) ? enclosingFunction(mc.call) : undefined;
      if (at) releasing.add(at);
    }
    for (const f of releasing) {
      if (contains(fn, f) || f === fn) return true;
      if ((this.m.syntax.callSites.get(f) ?? []).some((call) => contains(fn, call))) return true;
    }
    return false;
  }

  /**
   * Is `fn` the rejection handler (`.then(_, fn)`, `.catch(fn)`) of the promise of an operation on the resource whose
   * failure closes it (`c.connect().catch(reject)`)?
   */
  private rejectsAfterClosingFailure(call: TSESTree.CallExpression, fn: TSESTree.Node): boolean {
    const name = calleeName(call);
    const onReject = (name === 'then' && call.arguments[1] === fn) || (name === 'catch' && call.arguments[0] === fn);
    if (!onReject || call.callee.type !== AST_NODE_TYPES.MemberExpression) return false;
    const operation = unwrap(call.callee.object);
    if (operation.type !== AST_NODE_TYPES.CallExpression) return false;
    const member = calleeMember(operation);
    const receiver = member ? unwrap(member.object) : undefined;
    const v = receiver?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(receiver) : undefined;
    return !!member && !!v && this.r.aliases.has(v) && !!this.r.kind.rejectionCloses?.has(propertyName(member) ?? '');
  }

  /**
   * The `reject` of a promise that a function of the module returns (`function connectWs(url) { return new
   * Promise((resolve, reject) => …) }`) whose rejection ends the process ({@link throwEndsProcess}: every caller awaits
   * it where a rejection goes on out of a script's entry function, or into a `catch` that ends in `process.exit()`):
   * what is left open when it rejects goes with the process. So does the `reject` of a promise the entry function
   * awaits in place, outside any `try` that catches.
   */
  private rejectionEndsProcess(v: Variable): boolean {
    const def = v.defs[0];
    const executor = def?.type === DefinitionType.Parameter ? (def.node as TSESTree.Node) : undefined;
    if (!executor || !isExecutor(executor) || executor.params[1] !== def?.name) return false;
    const value = climbValue(executor.parent);
    const holder = value.parent;
    // `const ws = await new Promise(…)` written in the entry function itself, where nothing catches the rejection.
    if (holder?.type === AST_NODE_TYPES.AwaitExpression) {
      const awaiting = enclosingFunction(holder);
      return !!awaiting && !caughtIn(holder, awaiting) && this.m.throwEndsProcess(awaiting);
    }
    const fn = holder?.type === AST_NODE_TYPES.ReturnStatement ? enclosingFunction(holder) : holder?.type === AST_NODE_TYPES.ArrowFunctionExpression && holder.body === value ? holder : undefined;
    return !!fn && this.m.throwEndsProcess(fn);
  }

  checkSettles(details: Detail[]): void {
    const r = this.r;
    // Settle calls made with the socket open, by flow: reported when a path carries one to the end of its function.
    const direct = new Map<FunctionFlow, Array<{ call: TSESTree.CallExpression; name: string }>>();
    const caughtRejections = new Set<TSESTree.Node>();
    for (const v of r.settleFns) {
      if (this.rejectionEndsProcess(v)) continue;
      for (const ref of v.references) {
        const id = ref.identifier as TSESTree.Identifier;
        if (!contains(r.ownerNode, id)) continue;
        const p = id.parent;
        if (p?.type === AST_NODE_TYPES.CallExpression && p.callee === id) {
          if (p.arguments.some((a) => this.carriesResource(a))) continue;
          // Settling inside a 'timeout' listener is reported there (timeoutNotReleased).
          if (this.inTimeoutListener(p)) continue;
          if (this.core.apartFromCreation(p) || this.core.runsOnlyWhileNotHeld(p)) continue;
          const flow = this.m.recorder.flowOf(p);
          // In a callback registered once the object owns it (stored in a field before): the object's own release
          // (its `close()`) is what releases it, as for the one-shot callbacks below.
          if (r.field && flow && flow !== r.flow && this.core.handedOffBefore(flow.node)) continue;
          // In a callback, with a timer still armed that releases it: the timer closes it (see coveredByArmedTimer).
          if (flow && flow !== r.flow && this.coveredByArmedTimer()) continue;
          if (this.settledAfterListening(p)) continue;
          // In a catch block that an awaited operation on the socket rejects into: open where that await is.
          const rejecting = this.rejectingInto(p);
          for (const a of rejecting) caughtRejections.add(a);
          if (flow && (this.core.stateAt(p) || rejecting.some((a) => this.core.stateAt(a)) || this.promisedIn(flow))) {
            let list = direct.get(flow);
            if (!list) direct.set(flow, (list = []));
            list.push({ call: p, name: id.name });
          }
          continue;
        }
        // Settle function passed as a callback: setTimeout(reject, ms), signal.addEventListener('abort', reject).
        if (
          p &&
          (p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) &&
          p.arguments.includes(id) &&
          // `socket.removeListener('error', reject)` unregisters it: nothing settles there.
          !(p.type === AST_NODE_TYPES.CallExpression && REMOVE_LISTENER_METHODS.has(calleeName(p) ?? ''))
        ) {
          if (this.core.runsOnlyWhileNotHeld(id)) continue;
          // `c.connect().then(() => resolve(c), reject)`: it settles when an operation whose failure closes the
          // resource rejects ({@link ResourceKind.rejectionCloses}): nothing is open then.
          if (p.type === AST_NODE_TYPES.CallExpression && this.rejectsAfterClosingFailure(p, id)) continue;
          const reg = r.registrations.find((x) => x.fnNode === id);
          if (reg && reg.via === 'listener' && (this.core.isTimeoutEvent(reg.event) || this.core.releasedAtEntryEvent(reg.event))) continue;
          const flow = this.m.recorder.flowOf(p);
          if (!flow) continue;
          // Handed on in a function of its own: reported, unless that function runs with the resource released
          // (a listener of the error that destroys it: `ws.on('error', () => retry().then(resolve, reject))`).
          if (this.core.stateAt(p) || (flow !== r.flow && this.core.entryFor(flow) !== null)) {
            details.push({ rank: 6, text: `when the operation settles through '${id.name}' (line ${line(p)}) without it` });
          }
        }
      }
    }
    // `try { await client.connect(); } catch (err) { return cb(err); }`: an operation on the resource whose failure
    // leaves it as it was ({@link ResourceKind.rejectionCloses}) rejects with the resource as it was before it.
    const rejections = new Set<TSESTree.Node>();
    const rejectionsBefore = new Set<TSESTree.Node>();
    for (const a of caughtRejections) {
      const operand = a.type === AST_NODE_TYPES.AwaitExpression ? unwrap(a.argument) : undefined;
      const callee = operand?.type === AST_NODE_TYPES.CallExpression ? unwrap(operand.callee) : undefined;
      const receiver = callee?.type === AST_NODE_TYPES.MemberExpression ? unwrap(callee.object) : undefined;
      const v = receiver?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(receiver) : undefined;
      const name = callee?.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
      if (operand && v && r.aliases.has(v) && name !== undefined && r.kind.rejectionCloses?.has(name)) rejectionsBefore.add(operand);
      else rejections.add(a);
    }
    for (const [flow, calls] of direct) {
      const left = settlesLeftOpen(
        r,
        flow,
        flow !== r.flow && !!this.core.entryFor(flow),
        new Set(calls.map((c) => c.call)),
        (n) => this.m.functionValue(n),
        this.core.failedOpenError(flow),
        rejections,
        rejectionsBefore,
      );
      for (const { call, name } of calls) {
        if (left.has(call)) details.push({ rank: 6, text: `when the operation settles at line ${line(call)} (${name}()) without it` });
      }
    }
  }

  /**
   * `try { await probe(client); resolve(client); } catch (err) { reject(err); }` in a callback: for a settle call in
   * a catch block, the awaits of its try block (in the same function) whose operand uses the socket — an operation
   * on it, or a call given it. Their rejection enters the catch block with the socket as it was there.
   */
  private rejectingInto(call: TSESTree.Node): TSESTree.AwaitExpression[] {
    let clause: TSESTree.CatchClause | undefined;
    for (let n = call.parent; n && !isFunction(n); n = n.parent) {
      if (n.type === AST_NODE_TYPES.CatchClause) {
        clause = n;
        break;
      }
    }
    if (!clause) return [];
    const fn = enclosingFunction(call);
    const out: TSESTree.AwaitExpression[] = [];
    walkAst(clause.parent.block, this.m.sourceCode.visitorKeys, (n) => {
      if (n.type === AST_NODE_TYPES.AwaitExpression && enclosingFunction(n) === fn && mentionsResource(this.r, n.argument)) out.push(n);
    });
    return out;
  }

  private inTimeoutListener(node: TSESTree.Node): boolean {
    return this.r.registrations.some(
      (reg) => reg.via === 'listener' && this.core.isTimeoutEvent(reg.event) && !!reg.fn && !this.registrationReleases(reg) && contains(reg.fn, node),
    );
  }

  /** Does this argument expression carry the resource (an alias, or a literal holding one)? */
  private carriesResource(arg: TSESTree.Node): boolean {
    let found = false;
    const visit = (n: TSESTree.Node): void => {
      if (found) return;
      const u = unwrap(n);
      if (u.type === AST_NODE_TYPES.Identifier) {
        const v = this.m.varOf.get(u);
        if (v && (this.r.aliases.has(v) || this.r.containers.has(v))) found = true;
        return;
      }
      if (u === this.r.report) {
        found = true;
        return;
      }
      if (thisMemberName(u) !== undefined && this.r.field && thisMemberName(u) === this.r.field.name) {
        found = true;
        return;
      }
      if (u.type === AST_NODE_TYPES.ObjectExpression) {
        for (const prop of u.properties) visit(prop.type === AST_NODE_TYPES.Property ? prop.value : prop.argument);
      } else if (u.type === AST_NODE_TYPES.ArrayExpression) {
        for (const el of u.elements) if (el) visit(el.type === AST_NODE_TYPES.SpreadElement ? el.argument : el);
      }
    };
    visit(arg);
    return found;
  }

  checkOneShotCallbacks(details: Detail[]): void {
    const r = this.r;
    const callbacks = this.oneShotCallbacks();
    // A listener of another emitter's last event that releases it (`stream.on('close', (code) => { if (code) return
    // reject(…); conn.end(); resolve(); })` on the channel an ssh2 `exec()` gave): it runs once, so a path of it that
    // leaves the resource open leaves it for good.
    for (const { listener, name } of this.peerReleasers(PEER_LAST_EVENTS, (why) => why === 'release')) {
      const role = callbackRole(listener);
      if (!callbacks.some((c) => c.fn === listener)) callbacks.push({ fn: listener, label: `'${role?.event ?? 'close'}' listener of '${name}'` });
    }
    if (callbacks.length === 0) return;
    // The owner hands it off itself (`return c` after `c.connect((err) => { if (err) c.end(); … })`): a callback's
    // release on some of its paths is cleanup on failure, not ownership.
    const ownerHandsOff = [...r.ops].some(([node, ops]) => ops.some((op) => op.t === 'kill' && op.why === 'escape') && enclosingFunction(node) === r.ownerNode);
    if (ownerHandsOff) return;
    const releasers = new Set<TSESTree.Node>(this.releasingRegistrations().map((reg) => reg.fn as FunctionNode));
    for (const t of this.timerCallbacks()) if (r.releasesInside(t)) releasers.add(t);
    // A listener of another emitter that releases it (or hands it to a helper that does): the peer's teardown
    // (`client.on('close', () => up.destroy())`, `client.on('close', () => hangup(up))`).
    for (const { listener } of this.peerReleasers(PEER_TEARDOWN_EVENTS, () => true)) releasers.add(listener);
    const oneShotTimers = new Set<TSESTree.Node>(this.timerCallbacks(true));
    for (const { fn, label } of callbacks) {
      if (!r.releasesInside(fn)) continue;
      // Registered once the object owns it (stored in a field before, or from another method): its owner releases it.
      if (r.field && (!contains(r.ownerNode, fn) || this.core.handedOffBefore(fn))) continue;
      const covering = [...releasers].filter((other) => other !== fn && !contains(fn, other) && !contains(other, fn) && !this.disarms(fn, other) && !this.alwaysBefore(other, fn));
      // Covered only by one-shot timers that `fn` clears on some of its paths (`if (err) return onError(err)` with
      // `onError = (e) => { clearTimeout(to); reject(e); }`): the paths that clear them are its own to check.
      const cleared = covering.length > 0 && covering.every((t) => oneShotTimers.has(t) && this.clearsTimerIn(fn, t, fn));
      if (covering.length > 0 && !cleared) continue;
      if (this.settlesAwaitedPromise(fn)) continue;
      const flow = this.m.recorder.flowByNode.get(fn);
      if (!flow) continue;
      const result = this.core.solveGuarded(flow, this.core.entryFor(flow), (test) => this.isSettledFlag(test, fn));
      // A library that catches what its operations' callbacks throw ends the connection itself (ssh2); anywhere else a
      // throw out of a callback that the event loop runs is an uncaught exception (a rejection of an async one an
      // unhandled rejection, which Node raises as one), and the process ends — unless the module handles those.
      const thrown = new Set(r.kind.errorEvent?.thrownFromCallbacks || this.uncaughtEndsProcess() ? [] : flow.codePath.thrownSegments.map((s) => s.id));
      const returned = new Set(flow.codePath.returnedSegments.map((s) => s.id));
      for (const seg of flow.codePath.finalSegments) {
        const out = [...(result.outByMode.get(seg.id) ?? [])].find(([mode, st]) => {
          if (!isOpen(st)) return false;
          const after = modeAfterSegment(flow, seg, mode);
          return after === Mode.Throwing ? thrown.has(seg.id) : returned.has(seg.id);
        })?.[1];
        if (!out) continue;
        const w = out.witness;
        if (cleared && !(w && this.exitClears(w, fn, covering))) continue;
        const how =
          w?.type === AST_NODE_TYPES.ReturnStatement
            ? `returns at line ${line(w)}`
            : w?.type === AST_NODE_TYPES.ThrowStatement || thrown.has(seg.id)
              ? `throws${w ? ` at line ${line(w)}` : ''}`
              : 'ends';
        details.push({ rank: 5, text: `when the ${label} at line ${line(fn)} ${how} without releasing it` });
        break;
      }
    }
  }

  /**
   * Does the listener `other` always run before the listener `fn`, which a close without an error runs alone: the
   * `'error'` listener and the `'close'` listener of one emitter whose error destroys it (a `net.Socket` emits
   * `'close'` after its `'error'`)? A path of `fn` that releases nothing is then left by a close that comes alone.
   */
  private alwaysBefore(other: TSESTree.Node, fn: TSESTree.Node): boolean {
    const before = callbackRole(other);
    const after = callbackRole(fn);
    if (before?.via !== 'listener' || after?.via !== 'listener' || after.event !== 'close' || !before.emitter || !after.emitter) return false;
    const kind = this.m.kindOfNode(before.emitter);
    if (!kind?.errorEvent?.destroys || before.event !== kind.errorEvent.name) return false;
    const text = (n: TSESTree.Node): string => this.m.sourceCode.getText(unwrap(n));
    return text(before.emitter) === text(after.emitter);
  }

  /**
   * Does `node` hold a `clearTimeout` of the handle of timer `timerFn` (`const t = setTimeout(…)`, `t = setTimeout(…)`),
   * in code of `fn` itself or of a local function that code calls (one call deep)?
   */
  private clearsTimerIn(node: TSESTree.Node, timerFn: TSESTree.Node, fn: TSESTree.Node, depth = 0): boolean {
    const timer = this.timerHandle(timerFn)?.timer;
    if (!timer) return false;
    let found = false;
    walkAst(node, this.m.sourceCode.visitorKeys, (n) => {
      if (n.type !== AST_NODE_TYPES.CallExpression) return false;
      if (calleeName(n) === 'clearTimeout') {
        const arg = n.arguments[0] && unwrap(n.arguments[0]);
        found = arg?.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(arg) === timer && enclosingFunction(n) === fn;
      } else if (depth === 0 && unwrap(n.callee).type === AST_NODE_TYPES.Identifier) {
        const helper = this.m.functionValue(n.callee);
        found = !!helper && helper !== fn && enclosingFunction(n) === fn && this.clearsTimerIn(helper.body, timerFn, helper, 1);
      }
      return found;
    });
    return found;
  }

  /** Does the exit `w` of `fn` (its `return` or `throw`) clear one of these timers, in itself or a statement before it? */
  private exitClears(w: TSESTree.Node, fn: FunctionNode, timers: readonly TSESTree.Node[]): boolean {
    const clears = (st: TSESTree.Node): boolean => timers.some((t) => this.clearsTimerIn(st, t, fn));
    return clears(w) || someStatementBefore(w, fn, clears);
  }

  /**
   * Is the socket handed, in `flow`, to a callback that only settles the operation with it (`s.once('listening', () =>
   * resolve(s))`)? A settle of `flow` itself after that hands it to nobody ({@link settlesLeftOpen} decides the paths).
   */
  private promisedIn(flow: FunctionFlow): boolean {
    const r = this.r;
    for (const [node, ops] of r.ops) {
      if (!ops.some((o) => o.t === 'kill' && o.why === 'delegate') || this.m.recorder.flowOf(node) !== flow) continue;
      if (delegateSettlesWithIt(r, node, (n) => this.m.functionValue(n))) return true;
    }
    return false;
  }

  /** Does an exception thrown out of a callback end the process: the module installs no `'uncaughtException'` or `'unhandledRejection'` handler? */
  private uncaughtEndsProcess(): boolean {
    const key = this.m.sourceCode;
    let ends = uncaughtEnds.get(key);
    if (ends === undefined) {
      ends = !handlesUncaught(key.text);
      uncaughtEnds.set(key, ends);
    }
    return ends;
  }

  /**
   * Timers against one-shot callbacks that settle the operation, when the owner leaves the resource to its callbacks
   * (no release or hand-off in its own code, no field or outer store); clients that reconnect are checked by their
   * settles ({@link checkSettles}):
   * - a `setTimeout` that gives up — `const t = setTimeout(() => cb(new Error('timeout')), ms); s.once('data', (d) =>
   *   { clearTimeout(t); s.end(); cb(null, d); })`: its callback completes the operation (calls what a releasing
   *   callback also completes it with: a Promise executor's `resolve`/`reject`, a callback parameter, or a local
   *   function calling one) without releasing or handing off the resource. When it fires first the socket stays open
   *   until the peer acts — for ever if the peer hangs. Not when every callback that releases it listens for the
   *   connection itself (`'connect'`, `'open'`, `'ready'` …): that timer gives up on a connection attempt, which the
   *   system's own connect timeout ends; nor when a callback that does not complete the operation releases it (a
   *   `'timeout'` listener closes a hung socket);
   * - a one-shot listener that disarms the timer that is the only release — `const t = setTimeout(() => { ws.close();
   *   reject(…); }, ms); ws.once('message', (m) => { clearTimeout(t); resolve(m); })`: after it runs, nothing releases
   *   the resource.
   */
  checkGivingUpTimers(details: Detail[]): void {
    const r = this.r;
    if (r.kind.reconnects === true || r.field || r.outerStore) return;
    const ownKill = [...r.ops].some(([node, ops]) => ops.some((op) => op.t === 'kill' && op.why !== 'delegate') && enclosingFunction(node) === r.ownerNode);
    if (ownKill) return;
    const killsInside = (fn: FunctionNode): boolean => [...r.ops].some(([node, ops]) => contains(fn, node) && ops.some((op) => op.t === 'kill'));
    const listenerReleasers = this.releasingRegistrations();
    const timers = this.timerCallbacks(true).filter((t) => this.timerNames.get(t) === 'setTimeout' && !!t.parent && this.armedByOwner(t.parent));
    const releasingTimers = timers.filter((t) => r.releasesInside(t));
    // A listener that disarms every releasing timer and neither releases nor hands off the resource.
    if (listenerReleasers.length === 0 && releasingTimers.length > 0) {
      for (const reg of r.registrations) {
        if (reg.via !== 'listener' || !reg.fn || isCloseOrErrorEvent(r.kind, reg.event) || this.core.isTimeoutEvent(reg.event)) continue;
        if (this.core.releasedAtEntryEvent(reg.event) || killsInside(reg.fn)) continue;
        const fn = reg.fn;
        if (!releasingTimers.every((t) => this.disarms(fn, t))) continue;
        details.push({ rank: 5, text: `when the '${reg.event ?? 'event'}' listener at line ${line(reg.call)} cancels the timer at line ${line(releasingTimers[0].parent)} and leaves it open` });
        return;
      }
      return;
    }
    const releasers: FunctionNode[] = [...listenerReleasers.map((reg) => reg.fn as FunctionNode), ...releasingTimers];
    if (releasers.length === 0) return;
    if (this.checkSettlingOnError(details, killsInside)) return;
    if (listenerReleasers.every((reg) => reg.via === 'listener' && this.isEstablishingEvent(reg.event)) && releasingTimers.length === 0) return;
    const releaserCompletions = releasers.map((fn) => this.completionsIn(fn));
    if (releaserCompletions.some((c) => c.size === 0)) return;
    for (const t of timers) {
      const call = t.parent as TSESTree.CallExpression;
      if (releasers.includes(t) || killsInside(t)) continue;
      const completes = this.completionsIn(t);
      const shared = [...completes.entries()].find(([token]) => releaserCompletions.some((c) => c.has(token)));
      if (!shared || !this.core.stateAt(call)) continue;
      details.push({ rank: 5, text: `when the timer at line ${line(call)} gives up (${shared[1].name}() at line ${line(shared[1].call)}) without releasing it` });
      return;
    }
  }

  /**
   * A resource that an error leaves open ({@link ResourceKind.errorEvent} `leavesOpen`: a dgram socket), released by
   * one of its callbacks: its `'error'` listener, or the callback of an operation on it (`send(msg, port, host, (err)
   * => err && reject(err))`), that settles the operation (`reject()`, a callback parameter) without releasing it. After
   * a failed `bind()` no `'listening'` comes, after a failed query no `'message'`: nothing releases it any more. Not
   * when an `'error'` listener releases it.
   */
  private checkSettlingOnError(details: Detail[], killsInside: (fn: FunctionNode) => boolean): boolean {
    const r = this.r;
    const error = r.kind.errorEvent;
    if (!error?.leavesOpen) return false;
    const errorListeners = r.registrations.filter((reg) => reg.via === 'listener' && reg.event === error.name && !!reg.fn);
    if (errorListeners.some((reg) => killsInside(reg.fn as FunctionNode))) return false;
    // `socket.once('error', reject)`: the settle function itself is the error listener.
    for (const reg of r.registrations) {
      const id = reg.via === 'listener' && reg.event === error.name && !reg.fn ? unwrap(reg.fnNode) : undefined;
      const v = id?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(id) : undefined;
      if (!v || !this.m.executorOf(v) || !this.armedByOwner(reg.call)) continue;
      details.push({ rank: 5, text: `when its '${error.name}' listener at line ${line(reg.call)} settles the operation (${(id as TSESTree.Identifier).name}()) without releasing it` });
      return true;
    }
    for (const reg of r.registrations) {
      const fn = reg.fn;
      const onError = errorListeners.includes(reg);
      if (!fn || (!onError && reg.via !== 'callback') || killsInside(fn) || !this.armedByOwner(reg.call)) continue;
      const [first] = this.completionsIn(fn).values();
      if (!first) continue;
      const what = onError ? `its '${error.name}' listener at line ${line(reg.call)}` : `the ${reg.event ?? 'operation'}() callback at line ${line(reg.call)}`;
      details.push({ rank: 5, text: `when ${what} settles the operation (${first.name}() at line ${line(first.call)}) without releasing it` });
      return true;
    }
    return false;
  }

  /** The registered functions that release the resource on some path (not its close or error listeners: cleanup). */
  private releasingRegistrations(): Registration[] {
    return this.r.registrations.filter((reg) => !!reg.fn && !(reg.via === 'listener' && isCloseOrErrorEvent(this.r.kind, reg.event)) && this.r.releasesInside(reg.fn));
  }

  /**
   * Is `call` made by the owner's own code, or by functions written in it that run right there: a Promise executor,
   * a function called where it is written (`void (async () => { … })()`)?
   */
  private armedByOwner(call: TSESTree.Node): boolean {
    for (let fn = enclosingFunction(call), depth = 0; fn && depth < 4; fn = enclosingFunction(fn), depth++) {
      if (fn === this.r.ownerNode) return true;
      const p = fn.parent;
      const invoked = p?.type === AST_NODE_TYPES.CallExpression && unwrap(p.callee) === fn;
      if (!isExecutor(fn) && !invoked) return false;
    }
    return false;
  }

  /** An event that comes once the connection is made (`'connect'`, `'open'`, `'ready'` …, the creation callback's). */
  private isEstablishingEvent(event: string | undefined): boolean {
    return event !== undefined && (ESTABLISHING_EVENTS.has(event) || event === this.r.kind.creationCallbackEvent);
  }

  /**
   * The completions `fn` calls: for each, a token (the executor for its `resolve`/`reject`, else the variable) and
   * the first call. A completion is a Promise executor's settle function, a parameter of a function enclosing the
   * owner (or the owner) called as a callback, or a local function of those that calls one.
   */
  private completionsIn(fn: FunctionNode): Map<unknown, { name: string; call: TSESTree.CallExpression }> {
    const out = new Map<unknown, { name: string; call: TSESTree.CallExpression }>();
    walkAst(fn, this.m.sourceCode.visitorKeys, (n) => {
      if (n.type !== AST_NODE_TYPES.CallExpression) return;
      const callee = unwrap(n.callee);
      const v = callee.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(callee) : undefined;
      const token = v ? this.completionToken(v, 0) : undefined;
      if (token !== undefined && callee.type === AST_NODE_TYPES.Identifier && !out.has(token)) out.set(token, { name: callee.name, call: n });
    });
    return out;
  }

  private completionToken(v: Variable, depth: number): unknown {
    const executor = this.m.executorOf(v);
    if (executor) return executor.executor;
    const def = v.defs[0];
    if (!def || v.defs.length !== 1) return undefined;
    const owner = this.r.ownerNode;
    if (def.type === DefinitionType.Parameter) {
      const fn = def.node as TSESTree.Node;
      return (fn === owner || contains(fn, owner)) && CALLBACK_NAME.test(v.name) ? v : undefined;
    }
    // `const done = (err) => { clearTimeout(t); cb(err); }`: a local function completing through one.
    const local = this.m.functionOf(v);
    if (!local || depth > 0 || !(local === owner || contains(owner, local) || contains(local, owner) || contains(enclosingFunction(owner) ?? owner, local))) return undefined;
    let token: unknown;
    walkAst(local, this.m.sourceCode.visitorKeys, (n) => {
      if (n.type !== AST_NODE_TYPES.CallExpression) return;
      const callee = unwrap(n.callee);
      const inner = callee.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(callee) : undefined;
      token = inner && inner !== v ? this.completionToken(inner, depth + 1) : undefined;
      return token !== undefined;
    });
    return token;
  }

  /**
   * Does `fn` clear the timer whose callback `timerFn` is (`const t = setTimeout(() => s.close(), ms)`) before it can
   * leave: a `clearTimeout(t)` statement of its body ahead of every statement that returns or throws? Then that
   * timer's release no longer covers the paths of `fn`.
   */
  private disarms(fn: FunctionNode, timerFn: TSESTree.Node): boolean {
    const { handle, timer } = this.timerHandle(timerFn) ?? {};
    if (!timer || handle?.parent.type !== AST_NODE_TYPES.VariableDeclarator || fn.body.type !== AST_NODE_TYPES.BlockStatement) return false;
    for (const st of fn.body.body) {
      const e = st.type === AST_NODE_TYPES.ExpressionStatement ? unwrap(st.expression) : undefined;
      if (e?.type === AST_NODE_TYPES.CallExpression && e.callee.type === AST_NODE_TYPES.Identifier && /^clear(Timeout|Interval)$/.test(e.callee.name)) {
        const arg = e.arguments[0] && unwrap(e.arguments[0]);
        if (arg?.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(arg) === timer) return true;
      }
      if (hasOwnNode(st, fn, EXITS, this.m.sourceCode.visitorKeys)) return false;
    }
    return false;
  }

  /**
   * `new Promise((resolve, reject) => { setTimeout(() => reject(new Error('timeout')), ms); const server =
   * http.createServer(h); server.on('listening', () => resolve(server)); server.on('error', reject);
   * server.listen(port); })`: a server that the executor listens on a port (no host name to look up, so the bind is
   * synchronous) emits `'listening'` — or `'error'`, a failed `listen()` that holds nothing — on the next tick, before
   * any timer armed in the same run fires; resolved on `'listening'` (or in the `listen()` callback), the promise has
   * settled by the time the timer's settle runs, which settles nothing. Is `settle` in such a timer's callback?
   */
  private settledAfterListening(settle: TSESTree.Node): boolean {
    const r = this.r;
    if (!r.kind.errorEvent?.failedListen) return false;
    const timerFn = enclosingFunction(settle);
    const timer = timerFn?.parent;
    if (!timerFn || timer?.type !== AST_NODE_TYPES.CallExpression || timer.arguments[0] !== timerFn || calleeName(timer) !== 'setTimeout') return false;
    const executor = enclosingFunction(timer);
    const resolve = executor && isExecutor(executor) ? executor.params[0] : undefined;
    const resolveVar = resolve?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(resolve) : undefined;
    if (!executor || !resolveVar) return false;
    // Listened in the executor's own code, on a port: no string (a host to look up, a pipe's path), no options.
    const listens = [...r.aliases].some((v) =>
      v.references.some((ref) => {
        const mc = methodCallOn(ref.identifier);
        if (mc?.name !== 'listen' || enclosingFunction(mc.call) !== executor || mc.call.arguments.length === 0) return false;
        return mc.call.arguments.every((a) => isFunction(a) || this.isNumberArgument(a));
      }),
    );
    if (!listens) return false;
    const resolvesIn = (fn: FunctionNode | undefined): boolean => !!fn && resolveVar.references.some((ref) => contains(fn, ref.identifier));
    return r.registrations.some((reg) => ((reg.via === 'listener' && reg.event === 'listening') || (reg.via === 'callback' && reg.event === 'listen')) && resolvesIn(reg.fn));
  }

  /** Is this argument typed a number? */
  private isNumberArgument(arg: TSESTree.Node): boolean {
    try {
      const tsNode = this.m.services.esTreeNodeToTSNodeMap.get(arg);
      return !!tsNode && !!(this.m.checker.getTypeAtLocation(tsNode).flags & ts.TypeFlags.NumberLike);
    } catch (error) {
      return recover(error, false);
    }
  }

  /**
   * Is a settle without the resource in one of its callbacks covered by a timer that releases it: a `const t =
   * setTimeout(() => { s.destroy(); … }, ms)` armed by the owner's own code as a statement of its body (every path
   * arms it before any callback runs), whose callback releases it as a statement of its body, and whose handle is
   * cleared only where the resource is released or handed on right there (a statement of the same block: `clearTimeout(t);
   * resolve(socket);`), in the resource's close or error listener, or in the timer itself? Then wherever a callback
   * settles without it, the timer is still armed and closes it when it fires. A `clearTimeout(t); reject(err);`
   * path disarms it and leaves the socket open.
   */
  private coveredByArmedTimer(): boolean {
    if (this.armedTimerCovers === undefined) this.armedTimerCovers = this.timerCallbacks(true).some((t) => this.armedReleasingTimer(t));
    return this.armedTimerCovers;
  }

  private armedTimerCovers: boolean | undefined;

  private armedReleasingTimer(t: FunctionNode): boolean {
    const r = this.r;
    const call = t.parent;
    if (this.timerNames.get(t) !== 'setTimeout' || call?.type !== AST_NODE_TYPES.CallExpression || !this.armedByOwner(call)) return false;
    const { handle, timer } = this.timerHandle(t) ?? {};
    const declarator = handle?.parent;
    const declaration = declarator?.parent;
    const armer = enclosingFunction(call);
    if (!timer || declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== call) return false;
    if (declaration?.type !== AST_NODE_TYPES.VariableDeclaration || armer?.body?.type !== AST_NODE_TYPES.BlockStatement || declaration.parent !== armer.body) return false;
    if (t.body.type !== AST_NODE_TYPES.BlockStatement) return false;
    // The timer's callback releases it before anything can leave it.
    let releases = false;
    for (const st of t.body.body) {
      if (st.type === AST_NODE_TYPES.ExpressionStatement && this.killIn(st, 'release')) {
        releases = true;
        break;
      }
      if (hasOwnNode(st, t, EXITS, this.m.sourceCode.visitorKeys)) break;
    }
    if (!releases) return false;
    const closers = new Set(r.registrations.filter((reg) => reg.via === 'listener' && isCloseOrErrorEvent(r.kind, reg.event) && reg.fn).map((reg) => reg.fn));
    for (const ref of timer.references) {
      const id = ref.identifier;
      const clear = id.parent;
      if (id === handle) continue;
      if (clear?.type !== AST_NODE_TYPES.CallExpression || !clear.arguments.includes(id as TSESTree.Identifier) || calleeName(clear) !== 'clearTimeout') return false;
      if (contains(t, clear)) continue;
      const fn = enclosingFunction(clear);
      if (fn && closers.has(fn)) continue;
      if (!this.nextToRelease(clear)) return false;
    }
    return true;
  }

  /** The name a timer's handle is kept in (`const t = setTimeout(fn, ms)`, `t = setInterval(fn, ms)`) and its variable. */
  private timerHandle(timerFn: TSESTree.Node): { handle: TSESTree.Identifier; timer: Variable } | undefined {
    const role = callbackRole(timerFn);
    const handle = role?.via === 'timer' ? role.handle : undefined;
    const timer = handle?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(handle) : undefined;
    return handle?.type === AST_NODE_TYPES.Identifier && timer ? { handle, timer } : undefined;
  }

  /** Does `st` hold a release (`why`) or any kill (a release or hand-off) of the resource? */
  private killIn(st: TSESTree.Node, why?: string): boolean {
    return [...this.r.ops].some(([n, ops]) => contains(st, n) && ops.some((o) => o.t === 'kill' && (!why || o.why === why)));
  }

  /** Is the call a statement of a block one of whose statements (an expression or a `return`) releases or hands on the resource? */
  private nextToRelease(call: TSESTree.CallExpression): boolean {
    let statement: TSESTree.Node | undefined = call.parent;
    if (statement?.type !== AST_NODE_TYPES.ExpressionStatement) return false;
    // `if (timer) clearInterval(timer);`, `if (timer) { clearInterval(timer); }`: the `if` is the statement.
    const block = statement.parent?.type === AST_NODE_TYPES.BlockStatement && statement.parent.body.length === 1 ? statement.parent : undefined;
    const test = (block ?? statement).parent;
    if (test?.type === AST_NODE_TYPES.IfStatement && test.consequent === (block ?? statement) && !test.alternate) statement = test;
    const list = statementList(statement.parent);
    return !!list?.some((st) => (st.type === AST_NODE_TYPES.ExpressionStatement || st.type === AST_NODE_TYPES.ReturnStatement) && this.killIn(st));
  }

  /**
   * Does `fn` run inside a Promise executor whose promise the owner awaits, and the owner release the socket after
   * that await (`await new Promise((res, rej) => s.send(m, (err) => { if (err) { s.close(); rej(err); } else res(); }));
   * s.close();`)? A path of `fn` that settles the promise without releasing hands the socket back to that code.
   */
  private settlesAwaitedPromise(fn: FunctionNode): boolean {
    for (let f: TSESTree.Node | undefined = enclosingFunction(fn) ?? undefined; f && f !== this.r.ownerNode; f = enclosingFunction(f)) {
      if (!isExecutor(f)) continue;
      return this.core.awaitedInOwner(f.parent) && this.core.releasedLaterInOwner(f.parent);
    }
    return false;
  }

  /**
   * `settled` in `if (settled) return;`: a `let` declared outside the callback with `false`, set to `true` by another
   * function (the one that settles the operation, on success or failure).
   */
  private isSettledFlag(test: TSESTree.Node, fn: FunctionNode): boolean {
    const t = unwrap(test);
    if (t.type !== AST_NODE_TYPES.Identifier) return false;
    const v = this.m.varOf.get(t);
    const def = v?.defs[0];
    if (!v || v.defs.length !== 1 || def?.type !== DefinitionType.Variable || def.parent?.type !== AST_NODE_TYPES.VariableDeclaration || def.parent.kind !== 'let') return false;
    if (contains(fn, def.name)) return false;
    const init = def.node.init;
    if (init?.type !== AST_NODE_TYPES.Literal || init.value !== false) return false;
    return v.references.some((ref) => {
      const assign = ref.identifier.parent;
      return (
        ref.isWrite() &&
        !ref.init &&
        !contains(fn, ref.identifier) &&
        assign?.type === AST_NODE_TYPES.AssignmentExpression &&
        assign.operator === '=' &&
        assign.right.type === AST_NODE_TYPES.Literal &&
        assign.right.value === true
      );
    });
  }

  /**
   * Is `call` inside a `setInterval` callback of the owner that goes on while the resource is open (see
   * {@link clearedOnlyWithRelease})? It runs again for sure, and registers another callback. (Not a listener: the
   * next event may never come.)
   */
  private registeredRepeatedly(call: TSESTree.Node): boolean {
    this.timerCallbacks();
    for (let fn = enclosingFunction(call); fn && fn !== this.r.ownerNode; fn = enclosingFunction(fn)) {
      if (this.timerNames.get(fn) === 'setInterval' && this.clearedOnlyWithRelease(fn)) return true;
    }
    return false;
  }

  /**
   * Is the timer whose callback `t` is cleared (if at all) only next to a release of the resource: each
   * `clearInterval(handle)` / `clearTimeout(handle)` a statement of a block that also releases or hands it on?
   * Then it goes on running while the resource is open.
   */
  private clearedOnlyWithRelease(t: FunctionNode): boolean {
    const role = callbackRole(t);
    if (role?.via !== 'timer' || !role.handle) return true;
    // `const timer = setInterval(…)`, or `timer = setInterval(…)` into a `let`.
    const { handle, timer } = this.timerHandle(t) ?? {};
    if (!timer || (handle?.parent.type !== AST_NODE_TYPES.VariableDeclarator && handle?.parent.type !== AST_NODE_TYPES.AssignmentExpression)) return false;
    for (const ref of timer.references) {
      const id = ref.identifier;
      if (id === handle) continue;
      const clear = id.parent;
      if (clear?.type !== AST_NODE_TYPES.CallExpression || !/^clear(Interval|Timeout)$/.test(calleeName(clear) ?? '')) continue;
      if (!this.nextToRelease(clear)) return false;
    }
    return true;
  }

  private oneShotCallbacks(): Array<{ fn: FunctionNode; label: string }> {
    const out: Array<{ fn: FunctionNode; label: string }> = [];
    for (const reg of this.r.registrations) {
      // An `on` listener of an event that comes once per opening, of a client that does not reconnect by itself
      // (ssh2's `'ready'`), runs once too.
      const opensOnce = reg.via === 'listener' && reg.event !== undefined && !!this.r.kind.openEvents?.has(reg.event) && this.r.kind.reconnects !== true;
      if (!reg.fn || !(reg.once || opensOnce) || !(isFunction(unwrap(reg.fnNode)) || this.namedOnlyHere(reg.fnNode))) continue;
      if (this.core.runsAfterRelease(reg)) continue;
      if (reg.via === 'listener' && this.core.isTimeoutEvent(reg.event)) continue;
      // Registered anew by an interval (`setInterval(() => s.write(m, (err) => …))`): a later run registers another,
      // which may release it.
      if (this.registeredRepeatedly(reg.call)) continue;
      const label = reg.via === 'listener' ? `'${reg.event ?? 'event'}' listener` : `${reg.event ?? 'operation'}() callback`;
      out.push({ fn: reg.fn, label });
    }
    for (const fn of this.timerCallbacks(true)) out.push({ fn, label: `${this.timerNames.get(fn) ?? 'timer'} callback` });
    // `return new Promise(async (resolve, reject) => { try { await conn.run(cmd); resolve(); } catch (e) { conn.end();
    // reject(e); } })`: an executor runs once, right away; the owner returns its promise and keeps nothing, so a path of
    // the executor that ends with the resource open (settled without it) leaves it for good.
    for (const [node, ops] of this.r.ops) {
      if (node.type !== AST_NODE_TYPES.NewExpression || !ops.some((o) => o.t === 'kill' && o.why === 'delegate')) continue;
      const executor = node.arguments[0] ? unwrap(node.arguments[0]) : undefined;
      if (!executor || !isFunction(executor) || !isExecutor(executor) || enclosingFunction(node) !== this.r.ownerNode) continue;
      // One that registers listeners on it waits for its events (`s.on('close', resolve)`): those end its paths.
      if (this.r.registrations.some((reg) => reg.via === 'listener' && contains(executor, reg.call))) continue;
      const holder = climbValue(node).parent;
      if (holder?.type !== AST_NODE_TYPES.ReturnStatement && !(holder?.type === AST_NODE_TYPES.ArrowFunctionExpression && holder.body === climbValue(node))) continue;
      if (!out.some((c) => c.fn === executor)) out.push({ fn: executor, label: 'Promise executor' });
    }
    return out;
  }

  /**
   * `const onSent = (err) => { … }; socket.send(msg, port, host, onSent)`: a function given by a name that holds only it
   * (never assigned again) and is read nowhere else — registered here once, as if written in place.
   */
  private namedOnlyHere(fnNode: TSESTree.Node): boolean {
    const id = unwrap(fnNode);
    const v = id.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(id) : undefined;
    if (!v || v.defs.length !== 1) return false;
    const reads = v.references.filter((ref) => !ref.init);
    return reads.length === 1 && reads[0].identifier === id && !reads[0].isWrite();
  }

  private timers: { all: FunctionNode[]; once: FunctionNode[] } | undefined;

  /** Function expressions passed to timers inside the owner (`once`: all but setInterval's). */
  /** The call that defers each timer callback (`setTimeout`, `nextTick`, …), for messages. */
  private readonly timerNames = new Map<FunctionNode, string>();

  private timerCallbacks(onceOnly = false): FunctionNode[] {
    if (!this.timers) {
      const timers = { all: [] as FunctionNode[], once: [] as FunctionNode[] };
      for (const node of this.m.syntax.callsNamed(DEFERRING_CALLS)) {
        if (!contains(this.r.ownerNode, node)) continue;
        const callee = unwrap(node.callee);
        const name = calleeName(node) ?? '';
        if (callee.type === AST_NODE_TYPES.MemberExpression && this.m.kindOfNode(callee.object)) continue;
        const fn = node.arguments[0] && unwrap(node.arguments[0]);
        if (fn && isFunction(fn)) {
          this.timerNames.set(fn, name);
          timers.all.push(fn);
          if (name !== 'setInterval') timers.once.push(fn);
        }
      }
      this.timers = timers;
    }
    return onceOnly ? this.timers.once : this.timers.all;
  }

}

/**
 * The settles after which a function given to a promise continuation runs: `.finally(f)` both, `.then(f)` a resolve,
 * `.then(_, f)` and `.catch(f)` a reject; none for a function given to anything else.
 */
function continuationRoles(fn: TSESTree.Node): Array<'resolve' | 'reject'> {
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression) return [];
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return [];
  const index = call.arguments.indexOf(fn as TSESTree.CallExpressionArgument);
  switch (callee.property.name) {
    case 'finally':
      return index === 0 ? ['resolve', 'reject'] : [];
    case 'then':
      return index === 0 ? ['resolve'] : index === 1 ? ['reject'] : [];
    case 'catch':
      return index === 0 ? ['reject'] : [];
    default:
      return [];
  }
}

/** Is `node` in the block of a `try` with a `catch`, inside `fn`? */
function caughtIn(node: TSESTree.Node, fn: TSESTree.Node): boolean {
  for (let n: TSESTree.Node = node; n.parent && n !== fn; n = n.parent) {
    if (n.parent.type === AST_NODE_TYPES.TryStatement && n.parent.block === n && n.parent.handler) return true;
  }
  return false;
}
