import type { TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import { alwaysExits, alwaysExitsProcess, calleeMember, calleeName, climbValue, contains, enclosingFunction, enclosingMethod, exportsName, hasOwnNode, isFunction, isNullishLiteral, SUSPENSIONS, keyName, line, processExitsAfter, propertyName, someStatementBefore, statementList, stringValue, thisMemberName, unwrap, walkAst, type FunctionNode } from '../engine/ast';
import { addToList } from '../util/lists';
import { AST_NODE_TYPES } from '../engine/node-types';
import { isLoop, replay, solveForward, type ForwardProblem, type FunctionFlow } from '../engine/flow';
import { CONTAINER_ADD, EVENT_TARGET_METHOD, LISTENER_METHODS, TERMINAL_EVENTS } from '../kinds/vocabulary';
import { releasedBeforeEvent, type ResourceKind } from '../kinds/kind';
import { callbackRole, describeRole, type CallbackRole } from '../model/callbacks';
import { classSummaries, reachableThrough, type ClassSummaries, type MethodCall, type ReachedMethod } from '../model/class-summaries';
import type { FileModel } from '../model/file-model';
import { isExecutor, type VariableLookup } from '../model/bindings';
import { runsArgumentNow } from '../model/callback-runners';
import { provesSet, type Guards } from '../model/guards';
import { callText, type ValueIndex, type ValueOp } from '../model/values';
import { isPromiseContinuation, isSynchronousIteration, runRole } from './roles';
import { failureHandled } from './handled-failures';
import { TimerClears } from './timer-clears';
import type { UseAfterCloseFinding, UseAfterCloseOptions } from './use-after-close';

type VisitorKeys = Readonly<Record<string, readonly string[] | undefined>>;

/** A function that runs as a callback: inline (`setInterval(() => …)`) or a method handed on (`this.m.bind(this)`). */
interface CallbackSite {
  /** The function that runs. */
  readonly fn: FunctionNode;
  readonly role: CallbackRole;
  /** The callback value at its registration: the function itself, or the method reference. */
  readonly value: TSESTree.Node;
}

/** A use that a callback makes: in its own body, or in a method it calls through `this.m()` (the chain). */
interface ReachedUse {
  readonly use: ValueOp;
  /** The method the use is made in (the callback itself for a direct use). */
  readonly fn: FunctionNode;
  readonly chain: readonly MethodCall[];
}

/**
 * `setTimeout(this.retry, ms)`: a method handed on unbound (no `.bind(this)`, no arrow property, never re-assigned
 * as `this.retry = this.retry.bind(this)`) runs with `this` set to the timer, or to the emitter of a listener
 * registered on something other than the object itself. Its `this.client` is then not the instance's field: the
 * run fails on reading it rather than using the socket, so it makes no use of the object's sockets.
 */
const BINDS_ALL = /\b(?:bindAll|auto-?bind\w*)\s*\(|\[\w+\]\s*=\s*this\[/i;

function runsDetached(m: FileModel, value: TSESTree.Node, method: FunctionNode, role: CallbackRole): boolean {
  const ref = unwrap(value);
  if (ref.type !== AST_NODE_TYPES.MemberExpression || method.parent?.type !== AST_NODE_TYPES.MethodDefinition) return false;
  if (role.via === 'callback') return false;
  // A listener of the object itself runs with `this` set to it.
  if (role.via === 'listener' && (!role.emitter || m.thisLikeClass(unwrap(role.emitter)))) return false;
  if (method.parent.decorators.length > 0) return false; // `@bound retry() {…}`
  const cls = method.parent.parent.parent;
  const name = thisMemberName(ref);
  if (name === undefined) return false;
  // `bindAll(this, …)`, `autoBind(this)`: every method bound at once.
  if (BINDS_ALL.test(m.sourceCode.text.slice(cls.range[0], cls.range[1]))) return false;
  return !m.syntax.thisMembers(cls, name).some((member) => {
    let outer: TSESTree.Node = member;
    while (outer.parent?.type === AST_NODE_TYPES.ChainExpression || outer.parent?.type === AST_NODE_TYPES.TSNonNullExpression) outer = outer.parent;
    return outer.parent?.type === AST_NODE_TYPES.AssignmentExpression && outer.parent.left === outer;
  });
}

/** Methods that stop an object running callbacks: a queue's or worker's `close()`, a consumer's `stop()`… */
const REGISTRAR_CLOSES: ReadonlySet<string> = new Set(['close', 'stop', 'disconnect', 'shutdown', 'quit', 'destroy', 'terminate', 'end']);

/**
 * Deferred uses: a timer or listener that uses a resource which something else may release while it is pending.
 * Reported where the callback uses it (for a use inside a method the callback calls, at that call), naming the
 * release (or the peer closing it); one report per callback and resource.
 */
export class DeferredUses {
  private readonly classes: ClassSummaries;
  private readonly clears: TimerClears;
  private readonly usesByFunction = new Map<FunctionNode, ValueOp[]>();
  /** Callbacks and resources already reported (one report per bug). */
  private readonly reportedSites = new Set<string>();

  constructor(
    private readonly m: FileModel,
    private readonly index: ValueIndex,
    private readonly guards: Guards,
    private readonly options: UseAfterCloseOptions,
    private readonly reported: Set<TSESTree.Node>,
    private readonly findings: UseAfterCloseFinding[],
  ) {
    this.classes = classSummaries(m);
    this.clears = new TimerClears(m, this.classes);
    // A second release of a kind whose second release throws (dgram `close()`, pg `release()`) is a use too.
    // Not one behind its own idempotence guard (a helper that returns early once it has released), nor one whose
    // failure the code handles (`pool.end().catch(() => {})` in a shutdown handler that may run twice).
    const throwingReleases = [...index.releasesByKey.values()].map((ops) => ops.filter((op) => op.kind.doubleReleaseThrows && !op.selfGuarded && !failureHandled(m, op.node)));
    for (const uses of [...index.usesByKey.values(), ...throwingReleases]) {
      for (const use of uses) {
        // `try { socket.send(…) } catch {}` in a timer that may fire after `close()`: a kind whose uses throw once it
        // is released, and the code takes that throw.
        if (use.t === 'use' && use.kind.usesThrow && failureHandled(m, use.node)) continue;
        const fn = enclosingFunction(use.node);
        if (!fn) continue;
        const list = this.usesByFunction.get(fn) ?? [];
        list.push(use);
        this.usesByFunction.set(fn, list);
      }
    }
    for (const list of this.usesByFunction.values()) list.sort((a, b) => a.node.range[0] - b.node.range[0]);
  }

  run(): void {
    this.deferredTimers();
    this.deferredFieldCallbacks();
    this.crossCallbacks();
    this.operationCallbacks();
  }

  /**
   * (e) The completion callback of an operation on the resource (`client.query(sql, (err, res) => client.query(…))`,
   * `sock.write(data, () => sock.write(more))`), which the same run then releases in a later statement with nothing
   * awaited in between (`client.release();`): I/O completes after the run, so the callback runs after the release.
   */
  private operationCallbacks(): void {
    this.forEachCallbackUse(
      (role) => role.via === 'callback',
      (site, key, r) => {
        const member = calleeMember(site.role.call);
        const name = member ? propertyName(member) : undefined;
        if (!member || name === undefined || LISTENER_METHODS.has(name) || !r.use.kind.uses.has(name) || r.use.kind.releases.has(name)) return false;
        if (this.index.keyOf(member.object)?.key !== key || this.index.isLocalKey(key, site.fn)) return false;
        const release = this.releasedLaterInRun(site.role.call, key);
        if (!release) return false;
        this.reportDeferred(r, `the callback of ${name}() at line ${line(site.role.call)}`, `${release.method}() at line ${line(release.node)}`);
        return true;
      },
    );
  }

  /**
   * A release of `key` in an expression statement after the one holding `call`, or after a statement around it, in
   * the same function (not out of a loop), with no statement in between (nor the release's) that awaits or yields.
   */
  private releasedLaterInRun(call: TSESTree.Node, key: string): ValueOp | undefined {
    const fn = enclosingFunction(call);
    if (!fn) return undefined;
    const releases = (this.index.releasesByKey.get(key) ?? []).filter((op) => enclosingFunction(op.node) === fn);
    // The statements after the one holding the call, then (`if (won) { client.query(…, cb); } client.release();`)
    // those after each statement around it, up to the function's body; not out of a loop, whose next turn comes first.
    let statement: TSESTree.Node = call;
    for (let depth = 0; depth < 8; depth++) {
      while (statement.parent && statement.parent.type !== AST_NODE_TYPES.BlockStatement && statement.parent.type !== AST_NODE_TYPES.Program && statement !== fn) {
        if (isLoop(statement.parent)) return undefined;
        statement = statement.parent;
      }
      const block = statement.parent;
      if (!block || statement === fn || (block.type !== AST_NODE_TYPES.BlockStatement && block.type !== AST_NODE_TYPES.Program)) return undefined;
      const list = block.body;
      for (let i = list.indexOf(statement as TSESTree.Statement) + 1; i > 0 && i < list.length; i++) {
        const st = list[i];
        if (hasOwnNode(st, fn, SUSPENSIONS, this.m.sourceCode.visitorKeys)) return undefined;
        const expression = st.type === AST_NODE_TYPES.ExpressionStatement ? unwrap(st.expression) : undefined;
        const op = expression && releases.find((o) => o.node === expression || (expression.type === AST_NODE_TYPES.ChainExpression && o.node === unwrap(expression.expression)));
        if (op) return op;
      }
      if (block === fn.body || block.type === AST_NODE_TYPES.Program) return undefined;
      statement = block;
    }
    return undefined;
  }

  /** Every function that runs as a callback: inline functions with a role, and methods handed on by reference. */
  private sitesMemo: CallbackSite[] | undefined;
  private readonly reachedMemo = new Map<FunctionNode, Map<string, ReachedUse[]>>();

  private iterationMemo: Map<FunctionNode, FunctionNode[]> | undefined;

  /**
   * The callbacks that run as part of the function they are written in, by that function: those of array
   * iteration methods (`items.forEach(fn)`) and promise continuations (`p.then(fn)`).
   */
  private iterationCallbacks(): Map<FunctionNode, FunctionNode[]> {
    if (this.iterationMemo) return this.iterationMemo;
    const out = new Map<FunctionNode, FunctionNode[]>();
    const isResource = (n: TSESTree.Node): boolean => this.index.keyOf(n) !== undefined;
    for (const site of this.sites()) {
      if (site.value !== site.fn || !(isSynchronousIteration(site.role, isResource) || isPromiseContinuation(site.role, isResource))) continue;
      const outer = enclosingFunction(site.fn);
      if (!outer) continue;
      const list = out.get(outer) ?? [];
      list.push(site.fn);
      out.set(outer, list);
    }
    this.iterationMemo = out;
    return out;
  }

  private sites(): CallbackSite[] {
    this.sitesMemo ??= this.findSites();
    return this.sitesMemo;
  }

  private findSites(): CallbackSite[] {
    const out: CallbackSite[] = [];
    for (const flow of this.m.recorder.flows) {
      const fn = flow.node;
      if (!isFunction(fn)) continue;
      const role = runRole(fn);
      if (role) out.push({ fn, role, value: fn });
      else {
        // `const onTimeout = () => …; setTimeout(onTimeout, ms)`: a local function handed on by name, once.
        const named = this.handedOnOnce(fn);
        const namedRole = named && runRole(named);
        if (named && namedRole) out.push({ fn, role: namedRole, value: named });
      }
    }
    for (const ref of this.classes.references) {
      const role = runRole(ref.value);
      if (role && role.via !== 'callback' && !runsDetached(this.m, ref.value, ref.method, role)) out.push({ fn: ref.method, role, value: ref.value });
    }
    return out;
  }

  /**
   * The only reference of a `const` function that is read, when that reference is an argument of a call; or, for
   * a function that is otherwise only called directly, its first reference handed to a timer.
   */
  private handedOnOnce(fn: FunctionNode): TSESTree.Identifier | undefined {
    let name: TSESTree.Identifier | undefined;
    // `function close() { … }` declared inside a function and handed on by name (`setTimeout(close, ms)`).
    if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id && enclosingFunction(fn)) name = fn.id;
    else {
      const p = fn.parent;
      if (p?.type !== AST_NODE_TYPES.VariableDeclarator || p.init !== fn || p.id.type !== AST_NODE_TYPES.Identifier) return undefined;
      if (p.parent.type !== AST_NODE_TYPES.VariableDeclaration || p.parent.kind !== 'const') return undefined;
      name = p.id;
    }
    const reads = this.m.varOf.get(name)?.references.filter((ref) => !ref.init) ?? [];
    const isArgument = (id: TSESTree.Node): boolean => id.parent?.type === AST_NODE_TYPES.CallExpression && id.parent.arguments.includes(id as TSESTree.CallExpressionArgument);
    if (reads.length === 1) {
      const id = reads[0].identifier as TSESTree.Identifier;
      return isArgument(id) ? id : undefined;
    }
    // A queue drain or polling loop: called directly, and handed to a timer (by itself, to run again, or by its
    // caller). Its runs from the timer are deferred whatever the direct calls do.
    let timed: TSESTree.Identifier | undefined;
    for (const ref of reads) {
      const id = ref.identifier as TSESTree.Identifier;
      if (isArgument(id) && runRole(id)?.via === 'timer') timed ??= id;
      else if (!(id.parent?.type === AST_NODE_TYPES.CallExpression && id.parent.callee === id)) return undefined;
    }
    return timed;
  }

  private namedCalls: Map<FunctionNode, MethodCall[]> | undefined;

  /**
   * The functions of the file that `fn` runs through calls by name (`tick()`, `void flush()`, `await send()`),
   * directly or through other such functions (breadth first, each once, at most four calls deep), with the chain of
   * calls from `fn`. Calls made in functions nested in a function do not count for it.
   */
  private namedCallsReachable(fn: FunctionNode): ReachedMethod[] {
    if (!this.namedCalls) {
      const byCaller = new Map<FunctionNode, MethodCall[]>();
      for (const [callee, calls] of this.m.syntax.callSites) {
        for (const call of calls) {
          if (unwrap(call.callee).type !== AST_NODE_TYPES.Identifier) continue;
          const caller = enclosingFunction(call);
          if (caller && caller !== callee) addToList(byCaller, caller, { call, method: callee });
        }
      }
      for (const calls of byCaller.values()) calls.sort((a, b) => a.call.range[0] - b.call.range[0]);
      this.namedCalls = byCaller;
    }
    const byCaller = this.namedCalls;
    return reachableThrough(fn, (f) => byCaller.get(f) ?? []);
  }

  /** The uses a callback makes, in its body and in the methods it calls, by key; each key's in source order. */
  private reachedUses(fn: FunctionNode): Map<string, ReachedUse[]> {
    let memo = this.reachedMemo.get(fn);
    if (!memo) {
      memo = this.findReachedUses(fn);
      this.reachedMemo.set(fn, memo);
    }
    return memo;
  }

  private findReachedUses(fn: FunctionNode): Map<string, ReachedUse[]> {
    const byKey = new Map<string, ReachedUse[]>();
    const add = (use: ValueOp, in_: FunctionNode, chain: readonly MethodCall[]): void => {
      const list = byKey.get(use.key) ?? [];
      list.push({ use, fn: in_, chain });
      byKey.set(use.key, list);
    };
    for (const use of this.usesByFunction.get(fn) ?? []) add(use, fn, []);
    // Callbacks of array iteration methods run inside the function, like a loop in its body; promise
    // continuations (`p.then(fn)`) continue it, like code after an `await`.
    const inline = (outer: FunctionNode): void => {
      for (const inner of this.iterationCallbacks().get(outer) ?? []) {
        for (const use of this.usesByFunction.get(inner) ?? []) add(use, inner, []);
        inline(inner);
      }
    };
    inline(fn);
    for (const { method, chain } of this.classes.reachable(fn)) {
      for (const use of this.usesByFunction.get(method) ?? []) if (use.key.startsWith('this@')) add(use, method, chain);
    }
    // Functions of the file it calls by name (`setInterval(() => void tick(), ms)`): their uses of a socket they do
    // not declare themselves (a module variable, a variable of an enclosing function), through up to four calls.
    for (const { method, chain } of this.namedCallsReachable(fn)) {
      for (const use of this.usesByFunction.get(method) ?? []) {
        if (!use.key.startsWith('this@') && !this.index.isLocalKey(use.key, method)) add(use, method, chain);
      }
    }
    const at = (r: ReachedUse): number => (r.chain[0]?.call ?? r.use.node).range[0];
    for (const list of byKey.values()) list.sort((a, b) => at(a) - at(b));
    return byKey;
  }

  /**
   * Calls `visit` for the uses inside callbacks whose role `accept`s, per callback and key in source order, until
   * `visit` reports one (one report per bug).
   */
  private forEachCallbackUse(
    accept: (role: CallbackRole) => boolean,
    visit: (site: CallbackSite, key: string, use: ReachedUse) => boolean,
  ): void {
    for (const site of this.sites()) {
      if (!accept(site.role)) continue;
      for (const [key, uses] of this.reachedUses(site.fn)) {
        const siteKey = `${site.value.range[0]}:${key}`;
        if (this.reportedSites.has(siteKey)) continue;
        for (const r of uses) {
          if (this.reported.has(this.reportNode(r))) continue;
          if (this.guardedUse(r, site.fn)) continue;
          if (this.freshBefore(r, key)) continue;
          if (visit(site, key, r)) {
            this.reportedSites.add(siteKey);
            break;
          }
        }
      }
    }
  }

  /**
   * Does the function that makes the use (the callback, or a method it calls) give the field a new resource first,
   * or reopen it (`this.client.connect(port)`), in a statement that every path to the use runs (`this.udp =
   * dgram.createSocket('udp4'); this.udp.send(…)`)?
   * Nothing else runs in between, so no release made elsewhere can come between them.
   */
  private freshBefore(r: ReachedUse, key: string): boolean {
    // The callback of a method that reopens the socket (`this.sock.connect(port, host, () => this.sock.write(m))`):
    // it runs once the socket is open again.
    for (let fn = enclosingFunction(r.use.node); fn; fn = fn === r.fn ? undefined : enclosingFunction(fn)) {
      const call = fn.parent;
      const method = call?.type === AST_NODE_TYPES.CallExpression && call.arguments.includes(fn as TSESTree.CallExpressionArgument) ? calleeMember(call) : undefined;
      const name = method ? (propertyName(method) ?? '') : '';
      const reopens = r.use.kind.reopens.has(name);
      // The completion callback of an operation on the same resource (`this.ch.deleteQueue(q, {}, (err) => { … else
      // this.ch.close(); })`), where its error parameter is falsy: the operation succeeded, so the resource was open
      // when it completed (on a released one it throws, or reports an error).
      const succeeded = !reopens && r.use.kind.uses.has(name) && succeededAt(fn, r.use.node, this.m.varOf);
      if (method && (reopens || succeeded) && this.index.keyOf(method.object)?.key === key) return true;
    }
    // A method of the class that also stores a new socket in the field or reopens it (`connect() {
    // this.client.setEncoding('utf8'); this.client.connect(…) }`), as the method summaries take it: not a use of the
    // released socket.
    if (key.startsWith('this@') && r.chain.length > 0 && this.touches(r.fn, key)) return true;
    // A statement before the use that reopens it or stores a new one (a field, or a variable the callback reads:
    // `setTimeout(() => { s.connect(port); s.write(hello); })`).
    const use = r.use.node;
    for (let child: TSESTree.Node = use, block = use.parent; block && block !== r.fn; child = block, block = block.parent) {
      if (block.type !== AST_NODE_TYPES.BlockStatement && block.type !== AST_NODE_TYPES.Program) continue;
      for (const stmt of block.body) {
        if (stmt === child) break;
        if (stmt.type !== AST_NODE_TYPES.ExpressionStatement) continue;
        // `this.client.connect(…)`: a method that reopens the socket in the field (a `net.Socket` connects again).
        const reopen = stmt.expression.type === AST_NODE_TYPES.CallExpression ? calleeMember(stmt.expression) : undefined;
        if (reopen && r.use.kind.reopens.has(propertyName(reopen) ?? '') && this.index.keyOf(reopen.object)?.key === key) return true;
        const assign = stmt.expression;
        if (assign.type !== AST_NODE_TYPES.AssignmentExpression || assign.operator !== '=' || this.index.keyOf(assign.left)?.key !== key) continue;
        const right = unwrap(assign.right);
        const value = right.type === AST_NODE_TYPES.AwaitExpression ? unwrap(right.argument) : right;
        if ((value.type === AST_NODE_TYPES.CallExpression || value.type === AST_NODE_TYPES.NewExpression) && this.m.creationKind(value)) return true;
        // `connection = await amqp.connect(url)`: what the awaited promise resolves to is new.
        if (right.type === AST_NODE_TYPES.AwaitExpression && value.type === AST_NODE_TYPES.CallExpression && this.m.awaitedCreationKind(value, right)) return true;
        // What the callback is handed is new too (`createChannel((err, ch) => { this.ch = ch; … })`).
        const def = value.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(value)?.defs[0] : undefined;
        if (def && (r.fn.params as TSESTree.Node[]).includes(def.name)) return true;
      }
    }
    return false;
  }

  private readonly touchMemo = new Map<string, boolean>();

  /** `this.sock = null` (or `undefined`): an assignment that gives the field no socket. */
  private assignsNothing(node: TSESTree.Node): boolean {
    const value = node.type === AST_NODE_TYPES.AssignmentExpression ? node.right : node.type === AST_NODE_TYPES.VariableDeclarator ? node.init : undefined;
    return !value || isNullishLiteral(value);
  }

  /** Does `fn` itself give `key` a new value (not `null`) or reopen it? */
  private touches(fn: FunctionNode, key: string): boolean {
    const memoKey = `${fn.range[0]}:${key}`;
    let known = this.touchMemo.get(memoKey);
    if (known === undefined) {
      known = false;
      for (const [node, ops] of this.index.ops) {
        if (contains(fn, node) && enclosingFunction(node) === fn && ops.some((op) => op.key === key && (op.t === 'reopen' || (op.t === 'assign' && !this.assignsNothing(op.node))))) {
          known = true;
          break;
        }
      }
      this.touchMemo.set(memoKey, known);
    }
    return known;
  }

  /**
   * Is this release made in a listener of an event after which `emitterKey`'s socket emits nothing more (its
   * `'close'`, its `'end'`: `this.remote.on('end', () => this.client.destroy())`)? A listener of that same socket
   * (`this.remote.on('data', …)`) cannot run after it.
   */
  private inEndListenerOf(rel: ValueOp, emitterKey: string): boolean {
    const endListener = (role: ReturnType<typeof runRole>): boolean => {
      if (role?.via !== 'listener' || !role.emitter) return false;
      const kind = this.m.kindOfNode(role.emitter);
      return !!kind && releasedBeforeEvent(kind, role.event) && this.index.keyOf(role.emitter)?.key === emitterKey;
    };
    for (let fn = enclosingFunction(rel.node); fn; fn = enclosingFunction(fn)) {
      const role = runRole(fn);
      if (role?.via === 'listener' && role.emitter) return endListener(role);
      // A method registered by reference (`this.tcp.on('close', this.onClose.bind(this))`) and never called
      // directly runs only as those listeners.
      const refs = role ? [] : this.classes.referencesTo(fn);
      if (refs.length > 0 && !this.classes.calledDirectly(fn)) return refs.every((ref) => endListener(runRole(ref.value)));
    }
    return false;
  }

  /**
   * Is the emitter of the listener torn down (`destroy()`, dgram `close()`…) by an earlier statement of a block that
   * holds this release, in the same function (`this.incoming.close(); this.outgoing.close();`)? A torn-down socket
   * emits nothing more: its listener does not run after this release.
   */
  private emitterTornDownBefore(rel: ValueOp, emitterKey: string): boolean {
    const fn = enclosingFunction(rel.node);
    const teardowns = this.teardownsIn(emitterKey, fn).filter((o) => o.node.range[1] < rel.node.range[0]);
    if (teardowns.length === 0) return false;
    return someStatementBefore(
      rel.node,
      fn,
      (st) =>
        (st.type === AST_NODE_TYPES.ExpressionStatement && teardowns.some((o) => contains(st, o.node))) ||
        // `if (this.incoming) this.incoming.close();`: without that socket there is no listener of it either.
        (st.type === AST_NODE_TYPES.IfStatement && !st.alternate && this.index.keyOf(st.test)?.key === emitterKey && teardowns.some((o) => contains(st.consequent, o.node))),
    );
  }

  /** The releases of the emitter that tear it down (`destroy()`, dgram `close()`…) in the code of `fn` itself. */
  private teardownsIn(emitterKey: string, fn: FunctionNode | undefined): ValueOp[] {
    return (this.index.releasesByKey.get(emitterKey) ?? []).filter((o) => (o.destroys ?? false) && enclosingFunction(o.node) === fn);
  }

  /**
   * Is the emitter of the listener torn down by a later statement of the block that holds this release, with only
   * expression statements that do not wait between (`this.pub.disconnect(); this.sub.disconnect();`)? No event is
   * dispatched between two statements of one synchronous run, and none after the teardown: a (synchronous) run of
   * the listener cannot come after this release.
   */
  private emitterTornDownRightAfter(rel: ValueOp, emitterKey: string): boolean {
    const fn = enclosingFunction(rel.node);
    if (!fn) return false;
    const teardowns = this.teardownsIn(emitterKey, fn).filter((o) => o.node.range[0] > rel.node.range[1]);
    if (teardowns.length === 0) return false;
    const statement = climbValue(rel.node).parent;
    const list = statement?.type === AST_NODE_TYPES.ExpressionStatement ? statementList(statement.parent) : undefined;
    if (!statement || !list) return false;
    for (let i = list.indexOf(statement) + 1; i < list.length; i++) {
      const next = list[i];
      if (next.type !== AST_NODE_TYPES.ExpressionStatement || hasOwnNode(next, fn, SUSPENSIONS, this.m.sourceCode.visitorKeys)) return false;
      if (teardowns.some((o) => climbValue(o.node).parent === next)) return true;
    }
    return false;
  }

  /**
   * Is the callback a server's handler of incoming connections or requests (the handler given to its creating call,
   * `this.server = net.createServer((socket) => …)`, or a `'connection'`/`'request'` listener on it), and this release
   * made once that server was closed — in the callback of its `close(cb)`, or after a `close()` call earlier in the
   * same block? A closed server accepts nothing more: its handler does not run after that.
   */
  private afterServerClose(rel: ValueOp, serverKey: string | undefined): boolean {
    if (serverKey === undefined) return false;
    const closes = (call: TSESTree.Node | undefined): boolean => {
      if (call?.type !== AST_NODE_TYPES.CallExpression) return false;
      const member = calleeMember(call);
      return !!member && propertyName(member) === 'close' && this.serverKeyOf(member.object) === serverKey;
    };
    // `server.close(() => this.ssh.end())`
    let child: TSESTree.Node = rel.node;
    for (let p = rel.node.parent; p; child = p, p = p.parent) {
      if (isFunction(child) && p.type === AST_NODE_TYPES.CallExpression && p.arguments.includes(child as TSESTree.CallExpressionArgument) && closes(p)) return true;
    }
    // `server.close(); this.ssh.end();`, or awaited through a promise whose executor closes it (`await new Promise((r)
    // => this.server.close(() => r())); await this.pool.end();`).
    const collections = this.serverCollections(serverKey);
    const closing = (st: TSESTree.Node): boolean => {
      if (collections.length > 0 && this.closesEveryElement(st, collections)) return true;
      // `if (this.server) { … }`: without a server there is no handler either.
      if (st.type === AST_NODE_TYPES.IfStatement && !st.alternate && this.serverKeyOf(st.test) === serverKey) {
        return st.consequent.type === AST_NODE_TYPES.BlockStatement ? st.consequent.body.some(closing) : closing(st.consequent);
      }
      if (st.type !== AST_NODE_TYPES.ExpressionStatement) return false;
      const e = unwrap(st.expression.type === AST_NODE_TYPES.ChainExpression ? st.expression.expression : st.expression);
      if (closes(e)) return true;
      const promise = e.type === AST_NODE_TYPES.AwaitExpression ? unwrap(e.argument) : undefined;
      const fn = promise?.type === AST_NODE_TYPES.NewExpression ? promise.arguments[0] : undefined;
      return !!fn && isExecutor(fn) && this.m.syntax.callsWithin(fn).some((call) => enclosingFunction(call) === fn && closes(call));
    };
    return someStatementBefore(rel.node, undefined, closing);
  }

  /**
   * The fields of collections a server held by a local is added to (`const server = net.createServer(h);
   * this.tunnelServers.push(server)`): closing every element of one closes that server.
   */
  private serverCollections(serverKey: string): string[] {
    const v = this.index.variableOfKey(serverKey);
    const out: string[] = [];
    for (const ref of v?.references ?? []) {
      const value = climbValue(ref.identifier);
      const call = value.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(value as TSESTree.CallExpressionArgument)) continue;
      const member = calleeMember(call);
      const field = member && CONTAINER_ADD.has(propertyName(member) ?? '') ? thisMemberName(member.object) : undefined;
      if (field !== undefined && !out.includes(field)) out.push(field);
    }
    return out;
  }

  /**
   * Does the statement close every element of one of these field collections: `for (const s of this.f) s.close();`
   * (also over `this.f.values()`), or `this.f.forEach((s) => s.close());`?
   */
  private closesEveryElement(st: TSESTree.Node, fields: readonly string[]): boolean {
    const ofField = (n: TSESTree.Node): boolean => {
      const u = unwrap(n);
      const mc = u.type === AST_NODE_TYPES.CallExpression ? calleeMember(u) : undefined;
      const base = mc && propertyName(mc) === 'values' && u.type === AST_NODE_TYPES.CallExpression && u.arguments.length === 0 ? mc.object : u;
      const name = thisMemberName(unwrap(base));
      return name !== undefined && fields.includes(name);
    };
    /** A `close()` of the element named `v` among the calls of `body` outside nested functions. */
    const closesElement = (body: TSESTree.Node, v: TSESTree.Node | undefined): boolean => {
      const variable = v?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(v) : undefined;
      if (!variable) return false;
      const owner = enclosingFunction(body);
      return this.m.syntax.callsWithin(body).some((call) => {
        const member = calleeMember(call);
        const target = member ? unwrap(member.object) : undefined;
        return (
          !!member && propertyName(member) === 'close' && target?.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(target) === variable && (enclosingFunction(call) === owner || (isFunction(body) && enclosingFunction(call) === body))
        );
      });
    };
    if (st.type === AST_NODE_TYPES.ForOfStatement && ofField(st.right)) {
      const left = st.left.type === AST_NODE_TYPES.VariableDeclaration ? st.left.declarations[0]?.id : st.left;
      return closesElement(st.body, left);
    }
    if (st.type !== AST_NODE_TYPES.ExpressionStatement) return false;
    const call = unwrap(st.expression);
    const member = call.type === AST_NODE_TYPES.CallExpression ? calleeMember(call) : undefined;
    if (call.type !== AST_NODE_TYPES.CallExpression || !member || propertyName(member) !== 'forEach' || !ofField(member.object)) return false;
    const fn = this.m.functionValue(call.arguments[0]);
    return !!fn && closesElement(fn, fn.params[0]);
  }

  /**
   * Is the object that runs the callback — the one it was given to (`this.queue.process(2, job => …)`) or the emitter
   * it listens on — closed, awaited, by an earlier statement of a block that holds this release (`await
   * this.queue.close(); await this.pool.end();`, or every element of the collection it is in: `for (const name in
   * this.queues) await this.queues[name].close();`)? A worker closed that way has finished its jobs and runs no more.
   * For a callback that is not async, a close not awaited does too (`this.heartbeat.stop(); this.client.end();`).
   */
  private registrarClosedBefore(rel: ValueOp, role: CallbackRole, asyncCallback: boolean): boolean {
    const registrar = role.via === 'listener' ? role.emitter : role.via === 'callback' ? calleeMember(role.call)?.object : undefined;
    if (!registrar) return false;
    const fn = enclosingFunction(rel.node);
    // The closes the releasing function makes itself (asked once per function), awaited or not. A close that is not
    // awaited stops the runs to come, not one in progress: it covers only a callback that runs to its end at once
    // (not async), which cannot be in progress while the releasing function runs.
    let found = this.registrarCloses.get(fn);
    if (!found) {
      found = (fn ? this.m.syntax.callsWithin(fn) : []).filter((call) => {
        const name = calleeName(call);
        return name !== undefined && REGISTRAR_CLOSES.has(name) && enclosingFunction(call) === fn;
      });
      this.registrarCloses.set(fn, found);
    }
    const closes = asyncCallback ? found.filter((call) => climbValue(call).parent?.type === AST_NODE_TYPES.AwaitExpression) : found;
    if (closes.length === 0) return false;
    const text = (n: TSESTree.Node): string => this.plainText(n);
    const target = text(registrar);
    const u = unwrap(registrar);
    const base = u.type === AST_NODE_TYPES.MemberExpression ? text(u.object) : undefined;
    /** `x` closed stands for the registrar: the same expression, or an element of its collection in a loop over all of it. */
    const covers = (x: TSESTree.Node): boolean => {
      if (text(x) === target) return true;
      if (base === undefined) return false;
      const e = unwrap(x);
      for (let p = e.parent; p; p = p.parent) {
        if (p.type !== AST_NODE_TYPES.ForInStatement && p.type !== AST_NODE_TYPES.ForOfStatement) continue;
        const decl = p.left.type === AST_NODE_TYPES.VariableDeclaration ? p.left.declarations[0]?.id : p.left;
        const loopName = decl?.type === AST_NODE_TYPES.Identifier ? decl.name : undefined;
        const right = text(p.right);
        if (loopName === undefined) return false;
        if (p.type === AST_NODE_TYPES.ForInStatement) return right === base && text(e) === `${base}[${loopName}]`;
        return right === `Object.values(${base})` && text(e) === loopName;
      }
      return false;
    };
    // Awaited by the releasing function itself (not in a callback of it, `queues.forEach(async (q) => …)`).
    const covering = closes.filter((call) => {
      const member = calleeMember(call);
      return !!member && covers(member.object);
    });
    return covering.length > 0 && someStatementBefore(rel.node, fn, (st) => covering.some((call) => contains(st, call)));
  }

  private readonly registrarCloses = new Map<TSESTree.Node | undefined, TSESTree.CallExpression[]>();

  /**
   * The key of the server whose handler the callback is: the server it listens on for a server-handler event, or the
   * variable or field the creating call that it was given to is stored in (`this.server = net.createServer(cb)`).
   */
  private handledServerKey(role: CallbackRole): string | undefined {
    if (role.via === 'listener' && role.emitter && role.event !== undefined) {
      return this.m.kindOfNode(role.emitter)?.serverHandlerEvents?.has(role.event) ? this.index.keyOf(role.emitter)?.key : undefined;
    }
    if (role.via !== 'callback') return undefined;
    if (!this.m.kindOfNode(role.call)?.serverHandlerEvents) return this.appServerKey(role.call);
    const holder = holderOf(role.call);
    return holder ? this.index.keyOf(holder)?.key : undefined;
  }

  /**
   * `app.get('/x', handler)` on an application whose server is made by its own `listen()` (`this.server =
   * this.app.listen(port)`, a kind's `servingCreators` method): the handler runs on that server's requests, so it is
   * that server's handler — the key of the variable or field holding the server (of a kind with handler events).
   */
  private appServerKey(call: TSESTree.Node): string | undefined {
    const member = call.type === AST_NODE_TYPES.CallExpression ? calleeMember(call) : undefined;
    const app = member ? unwrap(member.object) : undefined;
    if (!app || (app.type !== AST_NODE_TYPES.Identifier && app.type !== AST_NODE_TYPES.MemberExpression)) return undefined;
    const text = (n: TSESTree.Node): string => this.plainText(n);
    const appText = text(app);
    for (const listen of this.m.syntax.callsNamed(['listen'])) {
      const target = calleeMember(listen);
      if (!target || text(target.object) !== appText) continue;
      const holder = holderOf(listen);
      if (!holder) continue;
      const k = this.index.keyOf(holder);
      // Held where its type says nothing (`private server: any`, an untyped `express()` app's server): named by the
      // holder itself (a name, or `this.server`).
      if (k ? k.kind.serverHandlerEvents && k.kind.servingCreators?.has('listen') : isPlainHolder(holder)) return this.serverKeyOf(holder);
    }
    return undefined;
  }

  /** The key of a server's holder: its value key, or for a holder without a resource type, `text:` and its text. */
  private serverKeyOf(holder: TSESTree.Node): string | undefined {
    const k = this.index.keyOf(holder);
    if (k) return k.key;
    return isPlainHolder(unwrap(holder)) ? `text:${this.plainText(holder)}` : undefined;
  }

  /** An expression's source text without optional-chaining and non-null marks (`this.server?.close` → `this.server.close`). */
  private plainText(n: TSESTree.Node): string {
    return this.m.sourceCode.getText(unwrap(n)).replace(/[?!]/g, '');
  }

  /**
   * Does the function that makes this release remove the emitter's listeners (all, or those of `event`) before it
   * (`this.sock.removeAllListeners(); this.sock.end()`)? Its listeners cannot run after that release.
   */
  private listenersRemovedBefore(release: ValueOp, key: string, event: string | undefined): boolean {
    const fn = enclosingFunction(release.node);
    if (!fn) return false;
    let found = false;
    walkAst(fn.body ?? fn, this.m.sourceCode.visitorKeys, (n) => {
      if (n.type !== AST_NODE_TYPES.CallExpression || n.range[0] >= release.node.range[0] || enclosingFunction(n) !== fn) return false;
      const member = calleeMember(n);
      if (!member || propertyName(member) !== 'removeAllListeners' || this.index.keyOf(member.object)?.key !== key) return false;
      const arg = n.arguments[0];
      found = !arg || (arg.type === AST_NODE_TYPES.Literal && arg.value === event);
      return found;
    });
    return found;
  }

  /**
   * Is the callback given to a function of this file, or a method of the class, that calls it in its own body
   * (`this.timed(async () => this.redis.get(k))` with `timed(fn) { … await fn() … }`)? It runs during that call,
   * as part of the code around it, not later.
   */
  private runsNow(site: CallbackSite): boolean {
    const call = site.role.call;
    if (site.role.via !== 'callback') return false;
    const index = call.arguments.indexOf(site.value as TSESTree.CallExpressionArgument);
    const callee = this.m.functionValue(call.callee) ?? this.m.thisMethodValue(call.callee);
    const param = callee?.params[index];
    if (callee) {
      const v = param?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(param) : undefined;
      if (!v) return false;
      const calls = v.references.filter((ref) => ref.identifier.parent?.type === AST_NODE_TYPES.CallExpression && ref.identifier.parent.callee === ref.identifier);
      if (calls.some((ref) => enclosingFunction(ref.identifier) === callee)) return true;
      // A function of the file calls it only inside a function it writes in place: read that off its declaration.
      if (calls.length === 0) return false;
    }
    // A function of another class or file that calls it, or a library's declared to return what it returns
    // (`ReturnType<F>`), read off the called declaration.
    const tsCall = this.m.services.esTreeNodeToTSNodeMap.get(call) as ts.CallExpression | undefined;
    return !!tsCall && index >= 0 && runsArgumentNow(this.m.checker, tsCall, index);
  }

  /**
   * For a callback given to a method of the resource that `methods` names (dgram `bind(port, cb)` of the kind's
   * `callbackEvents`, amqplib `ch.consume(q, fn)` of its `handlerMethods`): the key of that receiver.
   */
  private receiverKeyOf(role: CallbackRole, methods: { has(name: string): boolean } | undefined): string | undefined {
    if (role.via !== 'callback' || !methods) return undefined;
    const member = calleeMember(role.call);
    const name = member ? propertyName(member) : undefined;
    return member && name !== undefined && methods.has(name) ? this.index.keyOf(member.object)?.key : undefined;
  }

  /**
   * `this.conn = net.connect(port, host, onConnect)`: the callback of the creating call listens to the created socket's
   * connection event ({@link ResourceKind.creationCallbackEvent}); the key of where the socket is stored.
   */
  private createdKeyOf(role: CallbackRole, kind: ResourceKind): string | undefined {
    if (role.via !== 'callback' || kind.creationCallbackEvent === undefined || this.m.kindOfNode(role.call) !== kind) return undefined;
    const holder = climbValue(role.call).parent;
    const target = holder?.type === AST_NODE_TYPES.AssignmentExpression && holder.operator === '=' ? holder.left : holder?.type === AST_NODE_TYPES.VariableDeclarator ? holder.id : undefined;
    return target ? this.index.keyOf(target)?.key : undefined;
  }

  /** Is the use guarded in its method, and at every call on the way from the callback? */
  private guardedUse(r: ReachedUse, callback: FunctionNode): boolean {
    if (this.guards.guarded(r.use, undefined, r.fn)) return true;
    // `if (!s.pending) list.forEach((v) => s.write(v))`: a synchronous iteration's callback runs inside the guard.
    const isResource = (n: TSESTree.Node): boolean => this.index.keyOf(n) !== undefined;
    for (let fn: FunctionNode | undefined = r.fn, depth = 0; fn && fn !== callback && depth < 3; depth++) {
      const role = callbackRole(fn);
      if (!role || !isSynchronousIteration(role, isResource)) break;
      const outer = enclosingFunction(role.call);
      if (!outer) break;
      if (this.guards.guarded({ ...r.use, node: role.call, receiver: undefined }, undefined, outer)) return true;
      fn = outer;
    }
    let from = callback;
    for (const c of r.chain) {
      if (this.guards.guarded({ ...r.use, node: c.call, receiver: undefined }, undefined, from)) return true;
      from = c.method;
    }
    return false;
  }

  private reportNode(r: ReachedUse): TSESTree.Node {
    return r.chain[0]?.call ?? r.use.node;
  }

  private reportDeferred(r: ReachedUse, callback: string, release: string): void {
    const node = this.reportNode(r);
    this.reported.add(node);
    this.reported.add(r.use.node);
    // The methods of the chain, then the function the use was summarised through (`sendData(client)`), if any.
    const steps = [...r.chain.map((c) => `${calleeName(c.call) ?? 'method'}()`), ...(r.use.via !== undefined ? [`${r.use.via}()`] : [])];
    const through = steps.length > 0 ? ` (through ${steps.join(' → ')})` : '';
    this.findings.push({
      messageId: 'deferredUse',
      node,
      data: { kind: r.use.kind.name, operation: `${callText(r.use.method)}${through}`, callback, release },
    });
  }

  /** Releases of `key` outside the callback and outside the method the use is made in. */
  private releasesOutside(key: string, site: CallbackSite, r: ReachedUse): ValueOp[] {
    // A release right before `process.exit()` precedes no later run of anything.
    return (this.index.releasesByKey.get(key) ?? []).filter((rel) => !contains(site.fn, rel.node) && !contains(r.fn, rel.node) && !processExitsAfter(rel.node, this.callsOf));
  }

  /**
   * Every call that runs `fn`, when the file holds them all: a function declaration (or a `const` function) of the
   * file that is not exported, or a method of a class the module does not export (or a private one), named only as
   * the callee of calls — `this.cleanup()`, `main.end()` on an instance of the class. Undefined when `fn` may run
   * some other way (passed as a value, exported, called from another module).
   */
  private readonly callsOf = (fn: FunctionNode): readonly TSESTree.Node[] | undefined => {
    let known = this.callsOfCache.get(fn);
    if (known === undefined) {
      known = this.computeCallsOf(fn) ?? null;
      this.callsOfCache.set(fn, known);
    }
    return known ?? undefined;
  };

  private readonly callsOfCache = new Map<FunctionNode, readonly TSESTree.Node[] | null>();

  private computeCallsOf(fn: FunctionNode): readonly TSESTree.Node[] | undefined {
    const method = fn.parent?.type === AST_NODE_TYPES.MethodDefinition && fn.parent.value === fn ? fn.parent : undefined;
    if (method) {
      const cls = method.parent.parent;
      const name = method.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${method.key.name}` : keyName(method.key);
      if (method.kind !== 'method' || method.computed || name === undefined) return undefined;
      const hidden = method.accessibility === 'private' || method.key.type === AST_NODE_TYPES.PrivateIdentifier;
      if (!hidden && (cls.type !== AST_NODE_TYPES.ClassDeclaration || !this.instancesStayHere(cls))) return undefined;
      const tsMethod: ts.Node | undefined = this.m.services.esTreeNodeToTSNodeMap.get(method);
      const calls: TSESTree.Node[] = [];
      for (const member of this.m.syntax.membersByName.get(name) ?? []) {
        const tsProperty = this.m.services.esTreeNodeToTSNodeMap.get(member.property);
        const target = tsProperty ? this.m.checker.getSymbolAtLocation(tsProperty) : undefined;
        if (!tsMethod || !(target?.declarations ?? []).some((d) => d === tsMethod)) continue;
        const call = member.parent;
        if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== member) return undefined;
        calls.push(call);
      }
      return calls;
    }
    const id = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.id : fn.parent?.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.init === fn && fn.parent.parent.kind === 'const' ? fn.parent.id : undefined;
    const holder = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.parent : fn.parent?.parent?.parent;
    if (id?.type !== AST_NODE_TYPES.Identifier || holder?.type === AST_NODE_TYPES.ExportNamedDeclaration || holder?.type === AST_NODE_TYPES.ExportDefaultDeclaration || exportsName(this.m.sourceCode.ast, id.name)) return undefined;
    const v = this.m.varOf.get(id);
    if (!v) return undefined;
    const calls: TSESTree.Node[] = [];
    for (const ref of v.references) {
      if (ref.init) continue;
      const call = ref.identifier.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== ref.identifier) return undefined;
      calls.push(call);
    }
    return calls;
  }

  /**
   * Does every instance of this class stay in the module: a class declared at the top level, not exported, named only
   * as `new C(…)` initialising `const` variables that are not exported and are only ever receivers of members
   * (`const main = new Main(url); … main.end();`)? No code elsewhere can then call its methods.
   */
  private instancesStayHere(cls: TSESTree.ClassDeclaration): boolean {
    if (cls.parent?.type !== AST_NODE_TYPES.Program || !cls.id || exportsName(this.m.sourceCode.ast, cls.id.name)) return false;
    // The module's variable of the class (not the one its own scope declares for its body).
    const v = this.m.sourceCode.scopeManager?.getDeclaredVariables(cls).find((d) => d.scope.block !== cls);
    if (!v || v.references.length === 0) return false;
    return v.references.every((ref) => {
      const made = ref.identifier.parent;
      if (made?.type !== AST_NODE_TYPES.NewExpression || made.callee !== ref.identifier) return false;
      const decl = climbValue(made).parent;
      if (decl?.type !== AST_NODE_TYPES.VariableDeclarator || decl.id.type !== AST_NODE_TYPES.Identifier || decl.parent.kind !== 'const') return false;
      if (decl.parent.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration || exportsName(this.m.sourceCode.ast, decl.id.name)) return false;
      const instance = this.m.varOf.get(decl.id);
      return !!instance && instance.references.every((r) => r.init || (r.identifier.parent?.type === AST_NODE_TYPES.MemberExpression && r.identifier.parent.object === r.identifier));
    });
  }

  private errorsHandled: boolean | undefined;

  /**
   * Does a listener of the socket's own close event always end the process (`ws.on('close', () => { log(code);
   * process.exit(1); })`)? Then nothing runs once the peer has closed it.
   */
  private closeEndsProcess(key: string, kind: ResourceKind): boolean {
    const known = this.closeExits.get(key);
    if (known !== undefined) return known;
    const keys = this.m.sourceCode.visitorKeys;
    const exits = this.m.syntax.callsNamed([...LISTENER_METHODS, EVENT_TARGET_METHOD]).some((call) => {
      const event = stringValue(call.arguments[0]);
      const callee = calleeMember(call);
      const fn = call.arguments[1] ? this.m.functionValue(call.arguments[1]) : undefined;
      return !!callee && !!fn && event !== undefined && kind.closedEvents.has(event) && this.index.keyOf(callee.object)?.key === key && alwaysExitsProcess(fn, keys);
    });
    this.closeExits.set(key, exits);
    return exits;
  }

  /** {@link closeEndsProcess} by key. */
  private readonly closeExits = new Map<string, boolean>();

  /**
   * Can the program still run after the peer closed a resource of this kind? Not when the peer closes it only with an
   * error ({@link ResourceKind.peerClosesWithError}) that nothing in the file listens for — no `'error'` listener on a
   * resource of such a kind, no `process.on('uncaughtException')`: the unhandled error ends the process first.
   */
  private peerCloseSurvived(kind: ResourceKind): boolean {
    if (!kind.peerClosesWithError) return true;
    this.errorsHandled ??= this.m.syntax.callsNamed(LISTENER_METHODS).some((call) => {
      const event = stringValue(call.arguments[0]);
      const callee = calleeMember(call);
      if (!callee || event === undefined) return false;
      const receiver = unwrap(callee.object);
      if (event === 'uncaughtException') return receiver.type === AST_NODE_TYPES.Identifier && receiver.name === 'process';
      const k = this.m.kindOfNode(receiver);
      return !!k?.peerClosesWithError && event === k.errorEvent?.name;
    });
    return this.errorsHandled;
  }

  // (a) timers that use a socket which can be released while they are pending.
  private deferredTimers(): void {
    this.forEachCallbackUse(
      (role) => role.via === 'timer',
      (site, key, r) => {
        // A socket the callback takes during its run (`wss.clients.forEach((ws) => ws.ping())`) is current then.
        if (this.index.isLocalKey(key, site.fn)) return false;
        // A field given another value right after its release: the timer reads that value later.
        const releases = this.releasesOutside(key, site, r).filter(
          (rel) =>
            !inProcessExitListener(rel.node) &&
            (!key.startsWith('this@') || !this.fieldClearedAfter(rel, key)) &&
            !releasedByLaterTimer(site.role, rel.node, this.m.sourceCode.visitorKeys) &&
            this.onOnePathWith(site.role, rel.node),
        );
        const kind = r.use.kind;
        // A second release counts against an explicit first one only (closing a connection the peer closed is
        // usually harmless to the program: the library reports it, and the release is what the timer is for).
        const peer = kind.peerCanClose && r.use.t !== 'release' && this.peerCloseSurvived(kind) && !this.closeEndsProcess(key, kind);
        if (releases.length === 0 && !peer) return false;
        if (this.clears.timerCleared(site.role, releases, peer ? kind : undefined)) return false;
        // When every explicit release clears the timer, what is left is the peer closing the socket.
        const first = peer && releases.length > 0 && this.clears.timerCleared(site.role, releases, undefined) ? undefined : releases[0];
        this.reportDeferred(r, describeRole(site.role), first ? `${first.method}() at line ${line(first.node)}` : 'the peer closing it');
        return true;
      },
    );
  }

  /**
   * Can this release and the arming of the timer both happen in one run? Not when the release is in the function
   * that arms the timer but on a path that leaves before arming it and after no arming (`if (bad) { s.close();
   * throw err; } setTimeout(…)`). Anything can throw into a catch block here.
   */
  private onOnePathWith(role: CallbackRole, release: TSESTree.Node): boolean {
    if (role.via !== 'timer') return true;
    const flow = this.m.recorder.flowOf(release);
    if (!flow || flow !== this.m.recorder.flowOf(role.call)) return true;
    return this.follows(role.call, release, flow) || this.follows(release, role.call, flow);
  }

  /** Is `second` evaluated after `first` on some path of their flow? */
  private follows(first: TSESTree.Node, second: TSESTree.Node, flow: FunctionFlow): boolean {
    let after = this.evaluatedAfter.get(first);
    if (!after) {
      const problem: ForwardProblem<boolean> = {
        entry: false,
        transfer: (seen, node) => seen || node === first,
        join: (existing, incoming) => (existing === undefined || (incoming && !existing) ? incoming : undefined),
        entersCatch: () => true,
      };
      const nodes = new Set<TSESTree.Node>();
      replay(flow, problem, solveForward(flow, problem), (seen, node) => {
        if (seen) nodes.add(node);
      });
      after = nodes;
      this.evaluatedAfter.set(first, after);
    }
    return after.has(second);
  }

  /** {@link follows}: the nodes evaluated after a node on some path, per node asked about. */
  private readonly evaluatedAfter = new Map<TSESTree.Node, ReadonlySet<TSESTree.Node>>();

  /**
   * Is the field of `key` given a new value (`this.sock = socket`) by a statement of `fn` that comes before the one
   * holding `node`, in a block around it?
   */
  private fieldStoredBefore(node: TSESTree.Node, fn: FunctionNode, key: string): boolean {
    return someStatementBefore(node, fn, (st) => {
      const e = st.type === AST_NODE_TYPES.ExpressionStatement ? unwrap(st.expression) : undefined;
      return e?.type === AST_NODE_TYPES.AssignmentExpression && e.operator === '=' && !this.m.isNullish(unwrap(e.right)) && this.index.keyOf(e.left)?.key === key;
    });
  }

  /** Is a method of the kind that opens the resource again (`connect()`) called on the value of `key` in the file? */
  private reopened(key: string, kind: ResourceKind): boolean {
    if (kind.reopens.size === 0) return false;
    for (const call of this.m.syntax.callsNamed([...kind.reopens])) {
      const callee = unwrap(call.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression && this.index.keyOf(callee.object)?.key === key) return true;
    }
    return false;
  }

  /**
   * Can `node` run only once `fn` has run: it is in `fn`, in a function written inside code that only runs after
   * `fn`, or in a private method (or `#method`) every use of which is a call in such code (up to four calls deep)?
   */
  private onlyAfter(fn: FunctionNode, node: TSESTree.Node, depth: number): boolean {
    for (let f = enclosingFunction(node); f; f = enclosingFunction(f)) {
      if (f === fn) return true;
      const holder = f.parent;
      const member = holder?.type === AST_NODE_TYPES.MethodDefinition || holder?.type === AST_NODE_TYPES.PropertyDefinition ? holder : undefined;
      if (!member) {
        // A function given a name (a declaration, a variable's value) may be called from anywhere; one written in place
        // (a callback) runs only after the code around it.
        if (f.type === AST_NODE_TYPES.FunctionDeclaration || holder?.type === AST_NODE_TYPES.VariableDeclarator) return false;
        continue;
      }
      if (depth >= 4 || member.static || member.computed || (member.key.type !== AST_NODE_TYPES.PrivateIdentifier && member.accessibility !== 'private')) return false;
      const name = member.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${member.key.name}` : keyName(member.key);
      const cls = member.parent.parent;
      if (name === undefined) return false;
      const uses = this.m.syntax.thisMembers(cls, name);
      if (uses.length === 0) return false;
      for (const use of uses) {
        const call = climbValue(use).parent;
        if (call?.type !== AST_NODE_TYPES.CallExpression || climbValue(call.callee) !== climbValue(use) || !this.onlyAfter(fn, call, depth + 1)) return false;
      }
      return true;
    }
    return false;
  }

  /**
   * `this.sock.end(); this.sock = null;`: the field is given another value right after the release, in the same
   * function — a callback that reads the field later gets that value (or a socket made since), never the released one.
   */
  private readonly clearedAfter = new Map<TSESTree.Node, boolean>();

  private fieldClearedAfter(rel: ValueOp, key: string): boolean {
    const memo = this.clearedAfter.get(rel.node);
    if (memo !== undefined) return memo;
    const answer = this.computeFieldClearedAfter(rel, key);
    this.clearedAfter.set(rel.node, answer);
    return answer;
  }

  private computeFieldClearedAfter(rel: ValueOp, key: string): boolean {
    const fn = enclosingFunction(rel.node);
    if (!fn) return false;
    if (this.storesField(fn, key, rel.node.range[1], false)) return true;
    // `this.sock.close(); await this.start();` where `start()` (or a method it calls) stores a new socket in the field.
    const later = this.classes.callsIn(fn).filter((c) => c.call.range[0] > rel.node.range[1]);
    return later.some((c) => this.storesField(c.method, key, -1, true) || this.classes.reachable(c.method, 2).some((reached) => this.storesField(reached.method, key, -1, true)));
  }

  /**
   * Does `fn` assign the field of `key` after offset `from`, in its own code (and, with `executors`, in the executors
   * of the promises it makes, which run at once)?
   */
  private storesField(fn: FunctionNode, key: string, from: number, executors: boolean): boolean {
    let found = false;
    walkAst(fn.body ?? fn, this.m.sourceCode.visitorKeys, (n) => {
      if (found) return true;
      if (n !== fn && isFunction(n) && !(executors && isExecutor(n))) return 'skip';
      if (n.type === AST_NODE_TYPES.AssignmentExpression && n.operator === '=' && n.range[0] > from && this.index.keyOf(n.left)?.key === key) found = true;
      return found;
    });
    return found;
  }

  // (c) callbacks that use a class field which another method releases; (option) unrelated listeners.
  private deferredFieldCallbacks(): void {
    const isResource = (n: TSESTree.Node): boolean => this.index.keyOf(n) !== undefined;
    this.forEachCallbackUse(
      (role) =>
        role.via !== 'timer' &&
        !(role.via === 'listener' && role.event !== undefined && TERMINAL_EVENTS.has(role.event)) &&
        !isPromiseContinuation(role, isResource) &&
        !isSynchronousIteration(role, isResource),
      (site, key, r) => {
        const role = site.role;
        if (this.runsNow(site)) return false;
        let emitterKey = role.emitter ? this.index.keyOf(role.emitter)?.key : (this.receiverKeyOf(role, r.use.kind.callbackEvents) ?? this.createdKeyOf(role, r.use.kind));
        // `this.sock = s; s.on('data', () => this.sock.write(…))`: a listener of the socket the field holds.
        if (emitterKey !== key && role.emitter && this.index.fieldKeyStoredFrom(role.emitter) === key) emitterKey = key;
        if (key.startsWith('this@')) {
          // `this.sock = socket; this.flush();` in the callback: the field holds the value stored there, not one released
          // before the callback ran.
          if (this.fieldStoredBefore(this.reportNode(r), site.fn, key)) return false;
          const registeredIn = enclosingMethod(site.value);
          const siteEmitter = role.emitter ? this.index.keyOf(role.emitter)?.key : undefined;
          const serverKey = this.handledServerKey(role);
          const otherMethod = this.releasesOutside(key, site, r).filter(
            (rel) =>
              enclosingMethod(rel.node) !== registeredIn &&
              !inProcessExitListener(rel.node) &&
              !(emitterKey === key && this.listenersRemovedBefore(rel, key, role.event)) &&
              !this.fieldClearedAfter(rel, key) &&
              !(siteEmitter !== undefined && this.inEndListenerOf(rel, siteEmitter)) &&
              !this.afterServerClose(rel, serverKey) &&
              !this.registrarClosedBefore(rel, role, site.fn.async) &&
              !(siteEmitter !== undefined && siteEmitter !== key && (this.emitterTornDownBefore(rel, siteEmitter) || (!site.fn.async && this.emitterTornDownRightAfter(rel, siteEmitter)))),
          );
          // The socket's connection event fires once (nothing here reconnects it): a release that only code the
          // listener itself starts can reach (its callbacks, the private methods it calls) comes after its one run.
          const kindOfUse = r.use.kind;
          if (emitterKey === key && role.event !== undefined && role.event === kindOfUse.creationCallbackEvent && !this.reopened(key, kindOfUse)) {
            for (let i = otherMethod.length - 1; i >= 0; i--) if (this.onlyAfter(site.fn, otherMethod[i].node, 0)) otherMethod.splice(i, 1);
          }
          // After destroy()/close()/terminate() the socket emits nothing but 'close': a listener on the socket
          // itself cannot run after such a release (only after a graceful end()).
          // `end(); destroy();` in one function tears it down too.
          const destroyedAfter = (rel: ValueOp): boolean =>
            (this.index.releasesByKey.get(key) ?? []).some((o) => (o.destroys ?? false) && o.node.range[0] > rel.node.range[0] && enclosingFunction(o.node) === enclosingFunction(rel.node));
          if (emitterKey === key && otherMethod.length > 0 && otherMethod.every((rel) => (rel.destroys ?? false) || destroyedAfter(rel))) return false;
          // Nor, after any release, one of the events it then no longer emits (a socket's 'drain').
          if (emitterKey === key && role.event !== undefined && r.use.kind.quietAfterRelease?.has(role.event)) return false;
          // A handler of incoming work given to the resource itself (amqplib `this.channel.consume(q, onMessage)`)
          // gets nothing once the resource is released.
          if (otherMethod.length > 0 && this.receiverKeyOf(role, r.use.kind.handlerMethods) === key) return false;
          // The connection event of a kind whose releases cancel a pending connection (ws 'open') never follows one;
          // nor does an event of a reconnecting kind's (re)opening (ioredis 'ready'), which a release stops.
          const kind = r.use.kind;
          if (emitterKey === key && role.event !== undefined && ((kind.releaseCancelsConnection && role.event === kind.creationCallbackEvent) || kind.openEvents?.has(role.event))) return false;
          const first = otherMethod[0];
          if (first) {
            this.reportDeferred(r, describeRole(role), `${first.method}() at line ${line(first.node)}`);
            return true;
          }
        }
        if (
          this.options.checkUnrelatedListeners &&
          role.via === 'listener' &&
          !role.once &&
          emitterKey !== key &&
          r.use.kind.peerCanClose &&
          r.use.t !== 'release' &&
          this.peerCloseSurvived(r.use.kind) &&
          // A socket the listener receives or creates is new on every run, and open when the run starts.
          !this.index.isLocalKey(key, site.fn)
        ) {
          this.reportDeferred(r, describeRole(role), 'the peer closing it');
          return true;
        }
        return false;
      },
    );
  }

  // (d) a listener of another emitter that uses a socket which a timer releases: the timer can fire first.
  private crossCallbacks(): void {
    const timerReleases = new Map<string, Array<{ release: ValueOp; timer: FunctionNode; role: CallbackRole }>>();
    for (const [key, releases] of this.index.releasesByKey) {
      for (const release of releases) {
        for (let fn = enclosingFunction(release.node); fn; fn = enclosingFunction(fn)) {
          const role = runRole(fn);
          if (role?.via !== 'timer') continue;
          const list = timerReleases.get(key) ?? [];
          list.push({ release, timer: fn, role });
          timerReleases.set(key, list);
          break;
        }
      }
    }
    if (timerReleases.size === 0) return;
    this.forEachCallbackUse(
      (role) => role.via === 'listener' && !(role.event !== undefined && TERMINAL_EVENTS.has(role.event)),
      (site, key, r) => {
        const candidates = timerReleases.get(key);
        if (!candidates || r.chain.length > 0) return false;
        // A listener of the socket itself stops with it (the flow and field checks cover its graceful end).
        const emitterKey = site.role.emitter ? this.index.keyOf(site.role.emitter)?.key : undefined;
        if (emitterKey === key) return false;
        for (const { release, timer, role } of candidates) {
          if (contains(timer, site.fn) || contains(site.fn, timer)) continue;
          // The timer also destroys the emitter of the listener (a connect timeout for both): no event follows.
          const siteEmitter = emitterKey;
          if (siteEmitter && (this.index.releasesByKey.get(siteEmitter) ?? []).some((o) => (o.destroys ?? false) && contains(timer, o.node))) continue;
          // The listener cancels the timer before the use: it cannot fire afterwards.
          if (this.clears.clearsOf(role).some((c) => contains(site.fn, c) && c.range[0] < r.use.node.range[0])) continue;
          this.reportDeferred(r, describeRole(site.role), `${release.method}() at line ${line(release.node)}`);
          return true;
        }
        return false;
      },
    );
  }
}

/**
 * Is `node` in a listener of the process's `'exit'` event (`process.on('exit', () => s.end())`)? Those listeners run
 * synchronously as the process ends: no timer, I/O or event callback runs after them.
 */
function inProcessExitListener(node: TSESTree.Node): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    const role = runRole(fn);
    if (role?.via !== 'listener' || role.event !== 'exit' || !role.emitter) continue;
    const emitter = unwrap(role.emitter);
    if (emitter.type === AST_NODE_TYPES.Identifier && emitter.name === 'process') return true;
  }
  return false;
}

/**
 * `setTimeout(() => c.publish(…), 300); setTimeout(() => c.end(), 450);`: a release made directly in a `setTimeout`
 * callback armed in the same statement list as the use's `setTimeout`, both with constant delays, that falls due
 * later. Node runs timers in the order they fall due, timers due at the same time in the order they were armed; two
 * timers armed in one synchronous run count from the same time. So the release runs after the use when it is armed
 * after the use's timer with a delay no shorter, or before it, with nothing awaited in between, with a longer one.
 */
function releasedByLaterTimer(use: CallbackRole, release: TSESTree.Node, visitorKeys: VisitorKeys): boolean {
  if (use.via !== 'timer' || use.timer !== 'setTimeout') return false;
  const fn = enclosingFunction(release);
  const role = fn ? callbackRole(fn) : undefined;
  if (role?.via !== 'timer' || role.timer !== 'setTimeout') return false;
  const useDelay = constantDelay(use.call);
  const releaseDelay = constantDelay(role.call);
  if (useDelay === undefined || releaseDelay === undefined || releaseDelay < useDelay) return false;
  const useStatement = statementOf(use.call);
  const releaseStatement = statementOf(role.call);
  if (!useStatement || !releaseStatement || useStatement.parent !== releaseStatement.parent) return false;
  const list = statementList(useStatement.parent);
  if (!list) return false;
  const u = list.indexOf(useStatement);
  const r = list.indexOf(releaseStatement);
  if (u < r) return true;
  return releaseDelay > useDelay && list.slice(r, u).every((s) => !suspends(s, visitorKeys));
}

/** Can running this statement suspend the function (an `await` or `yield` of its own, not of a nested function)? */
function suspends(statement: TSESTree.Node, visitorKeys: VisitorKeys): boolean {
  const own = enclosingFunction(statement);
  let found = false;
  walkAst(statement, visitorKeys, (n) => {
    const suspending = n.type === AST_NODE_TYPES.AwaitExpression || n.type === AST_NODE_TYPES.YieldExpression || (n.type === AST_NODE_TYPES.ForOfStatement && n.await);
    if (suspending && enclosingFunction(n) === own) found = true;
    return found;
  });
  return found;
}

/** A timer's delay when it is a constant: a number literal, or a sum or product of them (absent: 0). */
function constantDelay(call: TSESTree.CallExpression): number | undefined {
  const arg = call.arguments[1];
  if (!arg) return 0;
  const value = (node: TSESTree.Node, depth: number): number | undefined => {
    const n = unwrap(node);
    if (n.type === AST_NODE_TYPES.Literal) return typeof n.value === 'number' ? n.value : undefined;
    if (n.type !== AST_NODE_TYPES.BinaryExpression || depth > 4 || (n.operator !== '*' && n.operator !== '+')) return undefined;
    const a = value(n.left, depth + 1);
    const b = value(n.right, depth + 1);
    return a === undefined || b === undefined ? undefined : n.operator === '*' ? a * b : a + b;
  };
  return value(arg, 0);
}

/** The statement a call is: `call;` or `const t = call;`. */
function statementOf(call: TSESTree.CallExpression): TSESTree.Statement | undefined {
  const p = call.parent;
  if (p?.type === AST_NODE_TYPES.ExpressionStatement) return p;
  if (p?.type === AST_NODE_TYPES.VariableDeclarator && p.init === call && p.parent.declarations.length === 1) return p.parent;
  return undefined;
}

/**
 * Is `node` reached in the callback `fn` only where its first parameter (the error) is unset: in the `else` of
 * `if (err)` or `if (err != null)`, the `then` of `if (!err)` or `if (err === undefined)`, or after such an `if (err) …`
 * that always exits, in the callback's own body?
 */
function succeededAt(fn: FunctionNode, node: TSESTree.Node, varOf: VariableLookup): boolean {
  const param = fn.params[0];
  const err = param?.type === AST_NODE_TYPES.Identifier ? varOf.get(param) : undefined;
  if (!err) return false;
  // When `test` evaluates to `value`, is the error unset (falsy, or `null`/`undefined` when compared with one)? The
  // tests `provesSet` reads are both ways: set on one side, unset on the other.
  const unsetWhen = (test: TSESTree.Node, value: boolean): boolean => provesSet(test, !value, err);
  for (let child: TSESTree.Node = node, p = node.parent; p && child !== fn; child = p, p = p.parent) {
    if (enclosingFunction(child) !== fn && child !== fn.body) continue;
    if (p.type === AST_NODE_TYPES.IfStatement && ((p.alternate === child && unsetWhen(p.test, false)) || (p.consequent === child && unsetWhen(p.test, true)))) return true;
    if (p.type === AST_NODE_TYPES.BlockStatement && p.parent === fn) {
      for (const stmt of p.body) {
        if (stmt === child) break;
        if (stmt.type === AST_NODE_TYPES.IfStatement && !stmt.alternate && unsetWhen(stmt.test, false) && alwaysExits(stmt.consequent)) return true;
      }
    }
  }
  return false;
}

/** A name or `this.<name>`: a holder that names one place. */
function isPlainHolder(n: TSESTree.Node): boolean {
  return n.type === AST_NODE_TYPES.Identifier || (n.type === AST_NODE_TYPES.MemberExpression && !n.computed && n.object.type === AST_NODE_TYPES.ThisExpression);
}

/** What a call's value is stored in (`x = call()`, `const x = call()`, through `as` and `!`), if anything. */
function holderOf(call: TSESTree.Node): TSESTree.Node | undefined {
  let value = call;
  while (value.parent && (value.parent.type === AST_NODE_TYPES.TSAsExpression || value.parent.type === AST_NODE_TYPES.TSNonNullExpression)) value = value.parent;
  const p = value.parent;
  if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.right === value) return p.left;
  if (p?.type === AST_NODE_TYPES.VariableDeclarator && p.init === value) return p.id;
  return undefined;
}
