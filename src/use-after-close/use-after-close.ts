import { type TSESTree } from '@typescript-eslint/utils';
import { isStrict } from '../engine/strict';
import { AST_NODE_TYPES } from '../engine/node-types';
import {
  alwaysExits,
  calleeMember,
  calleeName,
  contains,
  enclosingFunction,
  isFunction,
  isProcessExit,
  line,
  methodCallStatement,
  processExitsAfter,
  propertyName,
  someStatementBefore,
  stringValue,
  unwrap,
  type FunctionNode,
} from '../engine/ast';
import { releasedState } from '../kinds/kind';
import {
  ONE_TIME_EVENTS,
  UNREGISTER_METHODS,
} from '../kinds/vocabulary';
import { inLoopWithin, isLoop, replay, solveForward, type ForwardProblem, type ForwardResult, type FunctionFlow } from '../engine/flow';
import type { FileModel } from '../model/file-model';
import { isNodeStream } from '../model/streams';
import { describeRole, isCallArgument, type CallbackRole } from '../model/callbacks';
import type { Guards } from '../model/guards';
import { operationText, releaseName, type ValueIndex, type ValueOp } from '../model/values';
import { DeferredUses } from './deferred';
import { Counters } from './counters';

/** The event a Node stream emits at most once when it fails (then it destroys itself). */
const STREAM_ERROR_EVENT = 'error';
import { isSynchronousIteration, runRole } from './roles';
import { SettledUses } from './settled';
import { failureHandled } from './handled-failures';

export interface UseAfterCloseOptions {
  reportDoubleRelease: boolean;
  checkUnrelatedListeners: boolean;
  endIsRelease: boolean;
}

export type UseAfterCloseMessageId = 'useAfterRelease' | 'deferredUse' | 'doubleRelease';

export interface UseAfterCloseFinding {
  messageId: UseAfterCloseMessageId;
  node: TSESTree.Node;
  data: Record<string, string>;
}



interface Released {
  readonly op: ValueOp;
}
type State = ReadonlyMap<string, Released>;

const EMPTY: State = new Map();









/** The state with which the flow leaves, joined over all its exits (its end, a `return`, a `throw`). */
function leavingState(result: ForwardResult<State>, problem: ForwardProblem<State>): State {
  let out: State = EMPTY;
  for (const byMode of result.outByMode.values()) for (const state of byMode.values()) out = problem.join(out, state) ?? out;
  return out;
}

/** The keys released in both states (with the release of the first). */
function intersect(a: State, b: State): State {
  let out: Map<string, Released> | undefined;
  for (const k of a.keys()) {
    if (b.has(k)) continue;
    out ??= new Map(a);
    out.delete(k);
  }
  return out ?? a;
}

export function analyseUseAfterClose(m: FileModel, options: UseAfterCloseOptions): UseAfterCloseFinding[] {
  return new UseAfterCloseAnalysis(m, options).run();
}

class UseAfterCloseAnalysis {
  private readonly index: ValueIndex;
  private readonly guards: Guards;
  private readonly findings: UseAfterCloseFinding[] = [];
  private readonly reported = new Set<TSESTree.Node>();
  private readonly reportedBugs = new Set<string>();
  /** State before each nested function's creation, per function node. */
  private readonly entryStates = new Map<TSESTree.Node, State>();

  constructor(
    private readonly m: FileModel,
    private readonly options: UseAfterCloseOptions,
  ) {
    ({ index: this.index, guards: this.guards } = m.values({ endIsRelease: options.endIsRelease }));
  }

  run(): UseAfterCloseFinding[] {
    if (this.index.ops.size === 0) return [];
    for (const flow of this.m.recorder.flows) this.analyseFlow(flow);
    new SettledUses(this.m, this.index, this.guards, this.reported, this.findings).run();
    new DeferredUses(this.m, this.index, this.guards, this.options, this.reported, this.findings).run();
    return this.findings;
  }

  private problem(entry: State): ForwardProblem<State> {
    const ops = this.index.ops;
    return {
      entry,
      transfer: (state, node) => {
        // `process.exit()`: nothing runs after it; the path ends there.
        if (state.size > 0 && this.m.exitsProcess(node)) return EMPTY;
        const list = ops.get(node);
        if (!list) return state;
        let s = state;
        for (const op of list) {
          if (op.t === 'release') {
            if (!s.has(op.key)) s = withKey(s, op.key, { op });
          } else if (op.t === 'reopen' || op.t === 'assign') {
            if (s.has(op.key)) s = withoutKey(s, op.key);
          }
        }
        return s;
      },
      join: (existing, incoming) => {
        if (existing === undefined) return incoming;
        let changed = false;
        let merged: Map<string, Released> | undefined;
        for (const [k, v] of incoming) {
          if (!existing.has(k)) {
            merged ??= new Map(existing);
            merged.set(k, v);
            changed = true;
          }
        }
        return changed ? merged : undefined;
      },
    };
  }

  private entryOf(flow: FunctionFlow): State {
    const fnNode = flow.node;
    let state: State = this.entryStates.get(fnNode) ?? EMPTY;
    // Methods and plain functions do not see `this` fields of an outer state.
    if (fnNode.type === AST_NODE_TYPES.FunctionExpression || fnNode.type === AST_NODE_TYPES.FunctionDeclaration) {
      state = new Map([...state].filter(([k]) => !k.startsWith('this@')));
    }
    // A listener that runs many times sees the releases of its previous runs.
    if (isFunction(fnNode)) {
      const role = this.roleOf(fnNode);
      // A listener whose body itself tears its own emitter down (a statement of the body, not a branch) runs once:
      // the emitter emits nothing after that.
      const emitter = role?.emitter ? this.index.keyOf(role.emitter)?.key : undefined;
      const endsOwnEmitter =
        emitter !== undefined &&
        (this.index.releasesByKey.get(emitter) ?? []).some((op) => (op.destroys ?? false) && enclosingFunction(op.node) === fnNode && isBodyStatement(op.node, fnNode));
      // An `'error'` of a socket that its error destroys comes at most once.
      const errorKind = role?.emitter && role.event !== undefined ? this.m.kindOfNode(role.emitter) : undefined;
      // So does the `'error'` of a Node stream (a Readable, Writable or Duplex emits one error at most, then
      // destroys itself): a query stream's `'error'` listener that releases the client it runs on runs once.
      const errorOnce =
        (!!errorKind?.errorEvent?.destroys && errorKind.errorEvent.name === role?.event) ||
        (role?.event === STREAM_ERROR_EVENT && !!role.emitter && !errorKind && isNodeStream(this.m, role.emitter, true));
      // So does the callback of an array iteration (`lines.forEach((line) => …)`): each element is a run, as each
      // iteration of a loop is.
      const iterates = !!role && isSynchronousIteration(role, (n) => this.index.keyOf(n) !== undefined);
      if (role && (!role.once || iterates) && !endsOwnEmitter && !errorOnce && role.via !== 'timer' && !(role.event !== undefined && ONE_TIME_EVENTS.has(role.event))) {
        const selfReleases = new Map(state);
        for (const [key, ops] of [...this.index.releasesByKey, ...this.index.summaryReleasesByKey]) {
          // A parameter or local of the listener is a new value on every run.
          if (this.index.isLocalKey(key, fnNode)) continue;
          for (const op of ops) {
            if (!contains(fnNode, op.node) || enclosingFunction(op.node) !== fnNode) continue;
            if (selfReleases.has(key)) continue;
            // After destroy() on the very emitter, its listeners do not run again.
            const emitterKey = role.emitter ? this.index.keyOf(role.emitter) : undefined;
            const ownEmitter = emitterKey?.key === key || (!!role.emitter && this.index.fieldKeyStoredFrom(role.emitter) === key);
            if (ownEmitter && (op.destroys ?? false)) continue;
            // `client.release(); process.exit(1);`: a run that releases ends the process, so none follows it.
            if (isBodyStatement(op.node, fnNode) && exitsAfter(op.node, fnNode)) continue;
            selfReleases.set(key, { op });
          }
        }
        state = selfReleases;
      }
      // The listener of the resource's own final close event (a WebSocket's `'close'`, a pg Client's `'end'`) runs
      // once it is closed: what it does with that resource it does after the release (a pg Client cannot connect
      // again; a `net.Socket` can, and that `connect()` reopens it). So does the listener of an error event that
      // destroys it (a `net.Socket`'s `'error'` comes from `destroy(err)`: a write there goes nowhere).
      const own = role?.via === 'listener' && role.emitter && role.event !== undefined ? this.index.keyOf(role.emitter) : undefined;
      const error = own?.kind.errorEvent;
      // So does a socket's own 'end' listener (the peer ended, and so has the socket unless made half-open).
      const peerEnd = own?.kind.peerEnd;
      const ended = !!peerEnd && role?.event === peerEnd.event && !this.mentions(peerEnd.halfOpenOption);
      if (own && role?.event !== undefined && (role.event === own.kind.closeEvent || ended || (error?.destroys && role.event === error.name)) && !state.has(own.key)) {
        state = withKey(state, own.key, { op: { t: 'release', key: own.key, kind: own.kind, method: role.event, node: role.call, event: role.event } });
      }
    }
    return state;
  }

  /** Does the file's text say `word` (comments too)? Answered once per word. */
  private mentions(word: string): boolean {
    let known = this.mentioned.get(word);
    if (known === undefined) {
      known = this.m.sourceCode.text.includes(word);
      this.mentioned.set(word, known);
    }
    return known;
  }

  private readonly mentioned = new Map<string, boolean>();

  /** Growing counters that split the runs of a repeating callback ({@link Counters.apart}). */
  private get counters(): Counters {
    this.countersMemo ??= new Counters(this.m.varOf);
    return this.countersMemo;
  }

  private countersMemo: Counters | undefined;

  /**
   * How a function is used as a callback: passed directly, or by name (`s.on('data', onData)`). A function handed
   * to several calls runs many times.
   */
  /**
   * Does the listener `fn` remove itself from its emitter (`removeAllListeners()`, `removeAllListeners(event)`,
   * `off(event, fn)`, `removeListener(event, fn)`) in a statement before `release`, in a block of its own that holds
   * the release?
   */
  private unregistersBefore(fn: FunctionNode, release: TSESTree.Node): boolean {
    const role = this.roleOf(fn);
    const emitterKey = role?.via === 'listener' && role.emitter ? this.index.keyOf(role.emitter)?.key : undefined;
    if (!role || emitterKey === undefined) return false;
    return someStatementBefore(release, fn, (st) => {
      const mc = methodCallStatement(st);
      if (!mc || this.index.keyOf(mc.member.object)?.key !== emitterKey) return false;
      const name = propertyName(mc.member);
      const [event, listener] = mc.call.arguments;
      if (name === 'removeAllListeners' && (!event || stringValue(event) === role.event)) return true;
      return (name === 'off' || name === 'removeListener') && !!event && stringValue(event) === role.event && !!listener && this.m.functionValue(listener) === fn;
    });
  }

  private roleOf(fn: FunctionNode): CallbackRole | undefined {
    const direct = runRole(fn);
    if (direct) return direct;
    let id: TSESTree.Identifier | undefined;
    if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) id = fn.id;
    else if (fn.parent?.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.id.type === AST_NODE_TYPES.Identifier) id = fn.parent.id;
    const v = id ? this.m.varOf.get(id) : undefined;
    if (!v) return undefined;
    const roles: CallbackRole[] = [];
    for (const ref of v.references) {
      const role = runRole(ref.identifier);
      // `sub.unsubscribe('ch', listener)`, `s.off('data', onData)`: taken back, not registered again.
      if (role && !UNREGISTER_METHODS.has(calleeName(role.call) ?? '')) roles.push(role);
    }
    const first = roles.find((r) => r.via === 'listener') ?? roles[0];
    if (!first) return undefined;
    return roles.length > 1 ? { ...first, once: false } : first;
  }

  /** The flows that contain a release (undefined: a release outside every recorded flow), computed once. */
  private releasingFlows: Set<FunctionFlow | undefined> | undefined;

  /**
   * Can a state in this flow be non-empty? Only from its entry state or from a release inside it (the transfer
   * adds keys only at releases). A flow without either has the empty state everywhere: it checks nothing and
   * hands nested functions the empty entry they default to, so it is not solved.
   */
  private mayRelease(flow: FunctionFlow, entry: State): boolean {
    if (entry.size > 0) return true;
    if (!this.releasingFlows) {
      this.releasingFlows = new Set();
      for (const [node, ops] of this.index.ops) {
        if (ops.some((op) => op.t === 'release')) this.releasingFlows.add(this.m.recorder.flowOf(node));
      }
    }
    return this.releasingFlows.has(flow) || this.releasingFlows.has(undefined);
  }

  private analyseFlow(flow: FunctionFlow): void {
    const entry = this.entryOf(flow);
    const releases = this.mayRelease(flow, entry);
    // Strict mode solves every flow and checks that a flow skipped above has only empty states.
    if (!releases && !isStrict()) return;
    const problem = this.problem(entry);
    const result = solveForward(flow, problem);
    let leaving: State | undefined;
    replay(flow, problem, result, (before, node, after) => {
      if (!releases && (before.size > 0 || after.size > 0)) {
        throw new Error('socket-close: a flow without entry state or release has a released value');
      }
      if ((isFunction(node) || this.m.recorder.flowByNode.get(node)?.parent === flow) && !isCallArgument(node) && !this.calledOnlyIn(node, flow)) {
        this.setEntry(node, before);
      }
      // `add(a, q)` of a function declared in this flow and only called here: it runs with the state of its calls.
      if (node.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.Identifier) {
        const decl = this.m.varOf.get(node.callee)?.defs[0]?.node;
        if (decl?.type === AST_NODE_TYPES.FunctionDeclaration && this.calledOnlyIn(decl, flow)) this.setEntry(decl, before);
      }
      const ops = this.index.ops.get(node);
      if (ops) for (const op of ops) this.check(op, before, flow);
      // A callback handed to a call runs after the call: `s.connect(cb)` reopens first, `s.end(cb)` releases first.
      if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) {
        for (const arg of node.arguments) {
          const fn = unwrap(arg);
          if (!isFunction(fn)) continue;
          // A listener or timer runs once the function's synchronous code is over: a value released before it is
          // registered but given a new one on every way on (`this.close(); s.on('data', f); this.s = s;`) is open
          // when it runs.
          if (after.size > 0 && this.runsAfterReturn(fn, flow)) {
            leaving ??= leavingState(result, problem);
            this.setEntry(fn, intersect(after, leaving));
          } else if (ops && after !== before && this.calledBackBeforeReleases(node, node.arguments.indexOf(arg), ops)) {
            this.setEntry(fn, before);
          } else {
            this.setEntry(fn, after);
          }
        }
      }
    });
  }

  /**
   * `this.authorize(socket, () => socket.send(…))` where the function of the file called releases its socket
   * parameter in one branch and calls the callback parameter only in the other (or before it releases): the callback
   * runs while the socket is still open. True when every release op at this call is a parameter of that function
   * whose every release there is exclusive with, or comes after, every call of the callback's parameter, which the
   * function only calls.
   */
  private calledBackBeforeReleases(call: TSESTree.CallExpression | TSESTree.NewExpression, index: number, ops: readonly ValueOp[]): boolean {
    const callee = call.type === AST_NODE_TYPES.CallExpression ? (this.m.functionValue(call.callee) ?? this.m.thisMethodValue(call.callee)) : undefined;
    const param = callee?.params[index];
    const cbVar = param?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(param) : undefined;
    if (!callee || !cbVar) return false;
    const cbCalls: TSESTree.Node[] = [];
    for (const ref of cbVar.references) {
      if (ref.init) continue;
      const c = ref.identifier.parent;
      if (c?.type !== AST_NODE_TYPES.CallExpression || c.callee !== ref.identifier || enclosingFunction(c) !== callee) return false;
      cbCalls.push(c);
    }
    const releases = ops.filter((op) => op.t === 'release');
    if (cbCalls.length === 0 || releases.length === 0) return false;
    return releases.every((op) => {
      const i = op.receiver ? call.arguments.indexOf(op.receiver as TSESTree.CallExpressionArgument) : -1;
      const released = i >= 0 ? callee.params[i] : undefined;
      const key = released?.type === AST_NODE_TYPES.Identifier ? this.index.keyOf(released)?.key : undefined;
      const inside = key ? (this.index.releasesByKey.get(key) ?? []).filter((r) => contains(callee, r.node)) : [];
      if (inside.length === 0 || inside.some((r) => enclosingFunction(r.node) !== callee)) return false;
      // (In a loop, a later pass may call back after an earlier pass released.)
      return inside.every((r) => cbCalls.every((c) => !inLoopWithin(c, callee) && (exclusiveBranches(c, r.node) || c.range[1] <= r.node.range[0])));
    });
  }

  /**
   * Does this callback of a call in `flow` run only after the function that registers it has returned: a listener
   * (not a synchronous iteration's callback) or a timer, registered in a function that neither awaits nor yields
   * (its listeners could run at a suspension) nor emits an event itself?
   */
  private runsAfterReturn(fn: FunctionNode, flow: FunctionFlow): boolean {
    const role = runRole(fn);
    if (!role || (role.via !== 'listener' && role.via !== 'timer')) return false;
    if (role.via === 'listener' && isSynchronousIteration(role, (n) => this.index.keyOf(n) !== undefined)) return false;
    const owner = flow.node;
    if (!isFunction(owner) || owner.async || owner.generator) return false;
    let emits = this.emitting.get(owner);
    if (emits === undefined) {
      emits = this.m.syntax.callsWithin(owner).some((call) => {
        const member = enclosingFunction(call) === owner ? calleeMember(call) : undefined;
        return !!member && propertyName(member) === 'emit';
      });
      this.emitting.set(owner, emits);
    }
    return !emits;
  }

  /**
   * Is `fn` a function declaration of `flow` (not exported) whose every reference is a direct call in `flow` itself
   * (`function add(q) { client.hSet(…) }`, called only as `add(q)` in the script's own code)? It then runs only at
   * those calls, with their state — not with the state where its declaration stands (a hoisted declaration at the
   * end of a script would see every release of the script).
   */
  private calledOnlyIn(fn: TSESTree.Node, flow: FunctionFlow): boolean {
    if (fn.type !== AST_NODE_TYPES.FunctionDeclaration || !fn.id || fn.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration || fn.parent?.type === AST_NODE_TYPES.ExportDefaultDeclaration) return false;
    let known = this.calledOnly.get(fn);
    if (known === undefined) {
      const v = this.m.varOf.get(fn.id);
      known =
        !!v &&
        v.defs.length === 1 &&
        this.m.recorder.flowByNode.get(fn)?.parent === flow &&
        v.references.every((ref) => {
          const call = ref.identifier.parent;
          return call?.type === AST_NODE_TYPES.CallExpression && call.callee === ref.identifier && this.m.recorder.flowOf(call) === flow;
        });
      this.calledOnly.set(fn, known);
    }
    return known;
  }

  private readonly calledOnly = new Map<TSESTree.Node, boolean>();

  /** Functions whose own code emits an event ({@link runsAfterReturn}). */
  private readonly emitting = new Map<TSESTree.Node, boolean>();

  private setEntry(fn: TSESTree.Node, state: State): void {
    const prev = this.entryStates.get(fn);
    this.entryStates.set(fn, prev ? union(prev, state) : state);
  }

  private check(op: ValueOp, state: State, flow: FunctionFlow): void {
    const prior = state.get(op.key);
    if (!prior) return;
    const prev = prior.op;
    if (op.t === 'release') {
      // A method that releases behind its own liveness test (`if (this.closed) return; …`) does nothing the second time.
      if (op.selfGuarded) return;
      // Releasing what its own close event closed (`ws.on('close', () => ws.terminate())`, a pooled client released
      // in its `'end'` listener) is cleanup, not a second release.
      if (prev.event !== undefined) return;
      // A second release whose failure the code handles (`await pool.end().catch(() => {})`) is expected to fail.
      if (op.kind.doubleReleaseThrows && !failureHandled(this.m, op.node)) {
        this.report(op, prev, flow, operationText(op));
        return;
      }
      if (op.alsoUse) {
        this.report(op, prev, flow, `${op.method}(data)`);
        return;
      }
      if (this.options.reportDoubleRelease && !this.reported.has(op.node)) {
        const softThenHard = !(prev.destroys ?? false) && (op.destroys ?? false);
        if (!softThenHard && !this.guards.guarded(op, prev.node, flow.node)) {
          this.reported.add(op.node);
          this.findings.push({
            messageId: 'doubleRelease',
            node: op.node,
            data: { kind: op.kind.name, operation: operationText(op), release: releaseText(prev, op) },
          });
        }
      }
      return;
    }
    if (op.t !== 'use') return;
    // `s.end(request); s.setEncoding('utf8')`: the half-closed socket still reads the reply.
    if (prev.method === op.kind.gracefulRelease && !(prev.destroys ?? false) && op.kind.readUses?.has(op.method)) return;
    this.report(op, prev, flow, operationText(op));
  }

  private report(op: ValueOp, prev: ValueOp, useFlow: FunctionFlow, operation: string): void {
    if (this.reported.has(op.node)) return;
    // A use in a function nested in the callback that made the release (`conn.catch(() => ws.send(…))` inside a
    // 'message' listener that closes ws on another branch) is judged as a use of that callback, at the nested
    // function: one bug, one report.
    let flow = useFlow;
    let at: TSESTree.Node = op.node;
    // Released by the very event whose listener this is (its close event, the error that destroys it): the use runs
    // in that listener, whatever function registered it.
    const atEntry = prev.event !== undefined && isFunction(useFlow.node) && !contains(useFlow.node, prev.node) && !!this.roleOf(useFlow.node);
    if (!atEntry && !contains(flow.node, prev.node)) {
      for (let f = flow.parent; f; f = f.parent) {
        if (!contains(f.node, prev.node)) continue;
        if (isFunction(f.node) && this.roleOf(f.node)) {
          at = flow.node;
          flow = f;
        }
        break;
      }
    }
    // A release from an earlier run of this listener reaches the use only through the entry state.
    const inThisRun = contains(flow.node, prev.node) && this.precedes(prev.node, at, flow);
    const previousRun = contains(flow.node, prev.node) && !inThisRun;
    // `ws.close(); process.exit(0);` in a 'message' listener: nothing runs again after that release.
    if (previousRun && processExitsAfter(prev.node)) return;
    // `socket.removeAllListeners(); socket.end('bye')` in a 'data' listener: it does not run again after that release.
    if (previousRun && isFunction(flow.node) && this.unregistersBefore(flow.node, prev.node)) return;
    // `n++; if (n < limit) ws.send(m); else ws.close();`: a counter that only grows keeps later runs off the use.
    if (previousRun && isFunction(flow.node) && this.counters.apart(flow.node, prev.node, at)) return;
    if (this.guards.guarded(op, inThisRun || !previousRun ? prev.node : undefined, useFlow.node)) return;
    this.reported.add(op.node);
    const role = isFunction(flow.node) ? this.roleOf(flow.node) : undefined;
    // One report per bug inside a callback: the first use that the same release reaches there, in the same run or
    // from an earlier run (two bugs: `end(data)` then `write()` in one 'data' listener writes after the end in that
    // run, and a later run's `end(data)` writes after it too). A plain function reports every use a release
    // reaches, as the path oracle of tests/fuzz does.
    if (role) {
      const bug = `${flow.node.range[0]}:${op.key}:${prev.node.range[0]}:${previousRun ? 'earlier' : 'same'}`;
      if (this.reportedBugs.has(bug)) return;
      this.reportedBugs.add(bug);
    }
    this.findings.push({
      messageId: previousRun ? 'deferredUse' : 'useAfterRelease',
      node: op.node,
      data: {
        kind: op.kind.name,
        operation,
        release: releaseText(prev, op),
        state: stateWord(prev),
        callback: describeRole(role),
      },
    });
  }

  /** Is `release` evaluated before `use` within one run of the flow (not only in a previous run)? */
  /** Each flow solved from an empty entry state (one run on its own), for {@link precedes}. */
  private readonly singleRun = new Map<FunctionFlow, ForwardResult<State>>();

  private precedes(release: TSESTree.Node, use: TSESTree.Node, flow: FunctionFlow): boolean {
    // A release from a previous run of a listener reaches the use only through the entry state.
    const problem = this.problem(EMPTY);
    let result = this.singleRun.get(flow);
    if (!result) {
      result = solveForward(flow, problem);
      this.singleRun.set(flow, result);
    }
    let found = false;
    replay(flow, problem, result, (state, node) => {
      if (node === use) for (const v of state.values()) if (v.op.node === release) found = true;
    });
    return found;
  }






}





function stateWord(prev: ValueOp): string {
  return releasedState(prev.kind, prev.method, prev.destroys ?? false);
}

function withKey(s: State, key: string, v: Released): State {
  const m = new Map(s);
  m.set(key, v);
  return m;
}

function withoutKey(s: State, key: string): State {
  const m = new Map(s);
  m.delete(key);
  return m;
}

function union(a: State, b: State): State {
  if (a.size === 0) return b;
  const m = new Map(a);
  for (const [k, v] of b) if (!m.has(k)) m.set(k, v);
  return m;
}


/** The innermost loop that contains both nodes, within one function. */
function sharedLoop(a: TSESTree.Node, b: TSESTree.Node): TSESTree.Node | undefined {
  for (let n: TSESTree.Node | undefined = a.parent; n && !isFunction(n); n = n.parent) {
    if (isLoop(n) && contains(n, b)) return n;
  }
  return undefined;
}

/**
 * Can the release reach the operation only around the loop? When it comes later in the body, or sits in a block
 * that always leaves (`continue`, `break`, `return`) and does not contain the operation.
 */
function onlyAroundLoop(release: TSESTree.Node, use: TSESTree.Node, loop: TSESTree.Node): boolean {
  if (release === use || release.range[0] > use.range[0]) return true;
  for (let n: TSESTree.Node | undefined = release.parent; n && n !== loop; n = n.parent) {
    if (contains(n, use)) return false;
    if (n.type === AST_NODE_TYPES.BlockStatement && alwaysExits(n)) return true;
  }
  return false;
}

/** `end() at line 5`, and `in an earlier iteration` when the release reaches the operation around a loop. */
function releaseText(prev: ValueOp, op: ValueOp): string {
  const text = `${releaseName(prev)} at line ${line(prev.node)}`;
  const loop = sharedLoop(op.node, prev.node);
  return loop && onlyAroundLoop(prev.node, op.node, loop) ? `${text}, in an earlier iteration` : text;
}

/** Is `node` (a call) a statement of `fn`'s own body (`s.destroy();`, `await s.close();`), not inside a branch? */
/** Does a statement of `fn`'s body after `node` end the process (`process.exit(1)`)? */
function exitsAfter(node: TSESTree.Node, fn: FunctionNode): boolean {
  if (fn.body?.type !== AST_NODE_TYPES.BlockStatement) return false;
  return fn.body.body.some((st) => st.range[0] >= node.range[1] && st.type === AST_NODE_TYPES.ExpressionStatement && isProcessExit(unwrap(st.expression)));
}

function isBodyStatement(node: TSESTree.Node, fn: FunctionNode): boolean {
  if (fn.body?.type !== AST_NODE_TYPES.BlockStatement) return false;
  let n: TSESTree.Node = node;
  while (n.parent && (n.parent.type === AST_NODE_TYPES.AwaitExpression || n.parent.type === AST_NODE_TYPES.ChainExpression || n.parent.type === AST_NODE_TYPES.UnaryExpression)) n = n.parent;
  const st = n.parent;
  return st?.type === AST_NODE_TYPES.ExpressionStatement && st.parent === fn.body;
}

/** Are `a` and `b` in the two branches of one `if` or conditional expression (so never both run in one pass)? */
function exclusiveBranches(a: TSESTree.Node, b: TSESTree.Node): boolean {
  for (let p: TSESTree.Node | undefined = a.parent, child: TSESTree.Node = a; p && !isFunction(p); child = p, p = p.parent) {
    if ((p.type === AST_NODE_TYPES.IfStatement || p.type === AST_NODE_TYPES.ConditionalExpression) && p.alternate) {
      if (child === p.consequent && contains(p.alternate, b)) return true;
      if (child === p.alternate && contains(p.consequent, b)) return true;
    }
  }
  return false;
}
