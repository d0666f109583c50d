import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { bindCallOn, calleeMember, calleeName, chainCalls, climbValue, contains, isLogCall, isNullishLiteral, enclosingFunction, functionBelow, isFunction, keyName, line, mayThrowImplicitly, methodCallOn, methodCallStatement, propertyName, stringValue, thisClass, thisMemberName, thisOf, returnEndsProcess, someStatementBefore, statementList, unwrap, walkAst, type FunctionNode } from '../engine/ast';
import { inLoopWithin, Mode, reaches, solveForward, type ForwardProblem, type ForwardResult, type FunctionFlow, replay } from '../engine/flow';
import { releasedBeforeEvent, suggestedRelease, type ResourceKind } from '../kinds/kind';
import { inNodeTypes, inTypeScriptLibrary } from '../kinds/registry';
import type { FileModel } from '../model/file-model';
import { isFieldMember, returnedCreatingCall, type Registration, type Resource } from '../model/resource';
import { meaningOfCall } from '../model/calls';
import { callbackRole, firesOnce, isTestCase } from '../model/callbacks';
import { DEFERRING_CALLS, EMITTER_EVENTS, EVENT_TARGET_METHOD, LISTENER_METHODS, PIPE_METHOD, PROMISE_CONTINUATIONS, REMOVE_LISTENER_METHODS } from '../kinds/vocabulary';
import { constantFieldTest, constantFlag, fieldFlagsAround, flagsAround, flagsKeptOnCreation, flagsSetOnCreation, initialTruthiness, provesNoResource, provesSet, stableTest, stableTestsAround, testedVariable, type TypePredicateOf } from '../model/guards';
import { handleOf } from '../model/hand-offs';
import { LeakCallbacks } from './callbacks';
import { FieldChecks, quietCall } from './fields';
import { returnedPromiseDetails } from './returned-promises';
import { droppedEntryFindings, fieldCollectionFindings } from './field-collections';
import { raceFindings } from './races';
import { shortLivedServerDetails } from './short-lived-servers';
import { releasesUndoneByReconnect } from './reconnects';
import { tunnelDetails } from './tunnels';
import { staleCloseClears } from './stale-clears';
import { isNodeStream } from '../model/streams';
import { releasedSomewhere } from '../model/resources';
import { classSummaries } from '../model/class-summaries';
import { callsMethodIn, isExecutor, neverReassigned, type Variable, type VariableLookup } from '../model/bindings';
import { addToList } from '../util/lists';
import { recover } from '../engine/strict';
import * as ts from 'typescript';

const DefinitionType = TSESLint.Scope.DefinitionType;

/**
 * Open (with the last jump passed, for the message), idle (created, holding nothing until it is first used: {@link
 * IDLE}) or closed (`null`).
 */
interface Open {
  readonly witness: TSESTree.Node | undefined;
  /** The awaited operation whose rejection this state follows (only in the caught-rejection solve). */
  readonly rejected?: TSESTree.Node;
  /** Created idle and not used yet ({@link ResourceKind.createdIdle}): nothing to release on this path. */
  readonly idle?: true;
}
type LeakState = Open | null;

const IDLE: Open = { witness: undefined, idle: true };

/** Does this state hold something to release (open, not idle)? */
export function isOpen(s: LeakState | undefined): s is Open {
  return !!s && !s.idle;
}

/** Join order: closed < idle < open. */
function openRank(s: LeakState): number {
  return s === null ? 0 : s.idle ? 1 : 2;
}

export type LeakMessageId =
  | 'leak'
  | 'staleClear'
  | 'reconnectsAfterRelease'
  | 'timeoutNotReleased'
  | 'idleTimeoutUnhandled'
  | 'idleTimeoutOptionUnhandled'
  | 'fieldNeverReleased'
  | 'variableNeverReleased'
  | 'fieldOverwritten';

export interface LeakFinding {
  messageId: LeakMessageId;
  node: TSESTree.Node;
  data: Record<string, string>;
  /** For `leak`: the resource, for suggestions. */
  resource?: Resource;
}

export interface LeakOptions {
  checkModuleScope: boolean;
  endIsRelease: boolean;
}

const OPEN: Open = { witness: undefined };
/** `events.once/on`, `stream.pipeline/finished`: promises that reject when the stream they wait on errors. */
const STREAM_WAITERS = new Set(['once', 'on', 'pipeline', 'finished']);
const JUMPS = new Set<string>([
  AST_NODE_TYPES.ReturnStatement,
  AST_NODE_TYPES.ThrowStatement,
  AST_NODE_TYPES.BreakStatement,
  AST_NODE_TYPES.ContinueStatement,
]);

/** What the leak problem asks of types: type predicates, and tests that can never be false. */
interface LeakHooks {
  readonly predicateOf: TypePredicateOf;
  /** A test whose value is an object for sure (`const ok = await ch.checkQueue(q); if (ok) …`): never false. */
  neverFalsy(test: TSESTree.Node): boolean;
  /** Can this try block throw without a `throw` statement (a call, an await)? */
  mayThrow(block: TSESTree.BlockStatement): boolean;
  /** Does the process end at this node (`process.exit()`, a function of the file that ends in it)? */
  exitsProcess(node: TSESTree.Node): boolean;
  /**
   * Does `test` being `value` say that a constant flag has the truthiness under which the creation did not run
   * (`if (!reserved) conn.release()` when the connection was checked out only when `reserved` was falsy)?
   */
  contradictsCreation(test: TSESTree.Node, value: boolean): boolean;
}

/**
 * The test of a branch edge with its value, and what that says of its operands. By the truth tables: `a && b` true
 * means both true, `a || b` false both false. And an `&&` or `||` whose right operand is a plain one is the test of an
 * edge only when it leaves from that right operand (a left operand that decides the whole leaves by its own edge), so
 * the left one let it be evaluated (`a && b` false there: `a` true, `b` false; `a || b` true: `a` false, `b` true).
 */
function operandValues(test: TSESTree.Node, value: boolean): Array<[TSESTree.Node, boolean]> {
  const out: Array<[TSESTree.Node, boolean]> = [];
  const known = (n: TSESTree.Node, v: boolean, depth: number): void => {
    out.push([n, v]);
    const t = unwrap(n);
    if (t.type !== AST_NODE_TYPES.LogicalExpression || depth > 8) return;
    if ((t.operator === '&&' && v) || (t.operator === '||' && !v)) {
      known(t.left, v, depth + 1);
      known(t.right, v, depth + 1);
    }
  };
  known(test, value, 0);
  const t = unwrap(test);
  const right = t.type === AST_NODE_TYPES.LogicalExpression ? unwrap(t.right) : undefined;
  if (t.type === AST_NODE_TYPES.LogicalExpression && t.operator !== '??' && right && right.type !== AST_NODE_TYPES.LogicalExpression && right.type !== AST_NODE_TYPES.ConditionalExpression) {
    if ((t.operator === '&&') !== value) {
      known(t.left, t.operator === '&&', 1);
      out.push([t.right, value]);
    }
  }
  return out;
}

/** `src.pipe(node)`: the destination of a stream's `pipe()`. */
function isPipeDestination(node: TSESTree.Node): boolean {
  const value = climbValue(node);
  const call = value.parent;
  return call?.type === AST_NODE_TYPES.CallExpression && call.arguments[0] === value && calleeName(call) === PIPE_METHOD && !!calleeMember(call);
}

function problemFor(r: Resource, entry: LeakState, hooks: LeakHooks, failedOpenError?: Variable): ForwardProblem<LeakState> {
  /** Does `test` having `value` show that the resource holds nothing (or that this path is not the creation's)? */
  const ruledOut = (test: TSESTree.Node, value: boolean): boolean => {
    // `if (!s) throw …`, `if (s) hand off; else …`: on that edge there is no socket to release.
    // The false edge of a test that is always an object is never taken.
    if (!value && hooks.neverFalsy(test)) return true;
    // …and the true edge of its negation (`if (!db) return;`).
    const t = unwrap(test);
    if (value && t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!' && hooks.neverFalsy(t.argument)) return true;
    return provesNoResource(test, value, r, hooks.predicateOf) || hooks.contradictsCreation(test, value);
  };
  return {
    entry,
    transfer(state, node) {
      const ops = r.ops.get(node);
      let s = state;
      if (ops) {
        for (const op of ops) {
          // An idle creation holds nothing until it is first used (`open`).
          if (op.t === 'create') s = op.idle ? IDLE : OPEN;
          else if (op.t === 'open') s = s?.idle ? OPEN : s;
          else if (op.t === 'kill' || op.t === 'overwrite') s = null;
        }
      }
      if (isOpen(s) && JUMPS.has(node.type)) s = { witness: node };
      // `process.exit(1)`: nothing runs after it, nothing is left open.
      if (s && hooks.exitsProcess(node)) s = null;
      return s;
    },
    join(existing, incoming) {
      if (existing === undefined) return incoming;
      return openRank(incoming) > openRank(existing) ? incoming : undefined;
    },
    edge(state, branch) {
      if (!state) return state;
      // `if (flag && holder)`: the edge that leaves the whole test comes from its last operand, so each operand's
      // value is known there too (`&&` false: the left ones true, the last false).
      for (const [test, value] of operandValues(branch.test, branch.value)) {
        if (ruledOut(test, value)) return null;
      }
      // In the callback of a first use that failed, the resource still holds nothing (see failedOpenError()).
      if (isOpen(state) && failedOpenError && provesSet(branch.test, branch.value, failedOpenError)) return IDLE;
      return state;
    },
    // A resource made in a catch block: that block runs when anything in its try block throws (a call, an await).
    entersCatch: (clause) => contains(clause, r.report) && hooks.mayThrow(clause.parent.block),
  };
}


/** Is this read of a name only a test of it (`if (t)`, `t && …`, `!t`)? */
function testedOnly(id: TSESTree.Node): boolean {
  const value = climbValue(id);
  const p = value.parent;
  if (p?.type === AST_NODE_TYPES.IfStatement || p?.type === AST_NODE_TYPES.ConditionalExpression) return p.test === value;
  if (p?.type === AST_NODE_TYPES.LogicalExpression) return p.left === value;
  return p?.type === AST_NODE_TYPES.UnaryExpression && p.operator === '!';
}

/** Events after which an emitter is done: a listener of one that releases a resource ties it to that emitter. */
const TEARDOWN_EVENTS = new Set(['close', 'end', 'finish', 'aborted', 'disconnect']);

/**
 * Does the function return the resource itself to its caller (`const sub = new Redis(url); await sub.subscribe(ch);
 * sub.on('message', …); return sub;`)? The caller owns it from there; the paths before that return are the
 * function's to check.
 */
function returnedToCaller(r: Resource): boolean {
  if (!isFunction(r.ownerNode)) return false;
  for (const [node, ops] of r.ops) {
    if (!ops.some((o) => o.t === 'kill' && o.why === 'escape')) continue;
    const value = climbValue(node);
    const holder = value.parent;
    if (holder?.type === AST_NODE_TYPES.ReturnStatement && enclosingFunction(holder) === r.ownerNode) return true;
    if (r.ownerNode.type === AST_NODE_TYPES.ArrowFunctionExpression && r.ownerNode.body === value) return true;
  }
  return false;
}

/**
 * Does a function that the owning function returns (alone or as a property of a returned object literal) release
 * the resource? Its caller is then to close it: the resource does not serve for the life of the process.
 */
function releasedInReturnedCloser(r: Resource): boolean {
  for (const [node, ops] of r.ops) {
    if (!ops.some((o) => o.t === 'kill' && o.why === 'release')) continue;
    for (let f = enclosingFunction(node); f && f !== r.ownerNode; f = enclosingFunction(f)) {
      // `return () => sub.quit()`, `return { close: async () => { await sub.quit(); } }`
      let value: TSESTree.Node = climbValue(f);
      if (value.parent?.type === AST_NODE_TYPES.Property && value.parent.value === value && value.parent.parent?.type === AST_NODE_TYPES.ObjectExpression) value = climbValue(value.parent.parent);
      if (value.parent?.type === AST_NODE_TYPES.ReturnStatement && enclosingFunction(value.parent) === r.ownerNode) return true;
      if (r.ownerNode.type === AST_NODE_TYPES.ArrowFunctionExpression && r.ownerNode.body === value) return true;
    }
  }
  return false;
}

/** The event an `AbortSignal` fires, once. */
const ABORT_EVENT = 'abort';

/** Is the value typed `AbortSignal` (the DOM's or Node's global one)? */
function isAbortSignal(m: FileModel, node: TSESTree.Node): boolean {
  const tsNode = m.services.esTreeNodeToTSNodeMap.get(node);
  const type = tsNode ? m.checker.getNonNullableType(m.checker.getTypeAtLocation(tsNode)) : undefined;
  const symbol = type?.getSymbol();
  return symbol?.getName() === 'AbortSignal' && !!symbol.declarations?.some((d) => inTypeScriptLibrary(d.getSourceFile().fileName) || inNodeTypes(d.getSourceFile().fileName));
}

/**
 * Does a listener of another emitter's end, registered in the function, release the resource (`req.once('close', ()
 * => sub.quit())`)? When that emitter is a connection or a request, the resource serves it, not the process: it is
 * checked like any other resource, although it has a handler. Not `process` or another component (a shutdown).
 */
function releasedWithAnotherEmitter(m: FileModel, r: Resource): boolean {
  for (const [node, ops] of r.ops) {
    if (!ops.some((o) => o.t === 'kill' && o.why === 'release')) continue;
    for (let f = enclosingFunction(node); f && f !== r.ownerNode; f = enclosingFunction(f)) {
      // (A function given by name: `request.signal.addEventListener('abort', cleanup)`, its one value site.)
      const sites = m.syntax.namesOf(f);
      const role = callbackRole(f) ?? (sites.length === 1 ? callbackRole(sites[0]) : undefined);
      if (role?.via !== 'listener' || !role.emitter) continue;
      const emitter = unwrap(role.emitter);
      // `req.signal.addEventListener('abort', () => sub.quit())`: a request's AbortSignal fires when its client goes
      // away (fetch-style handlers: Next.js, Hono, undici).
      if (role.event === ABORT_EVENT && isAbortSignal(m, emitter)) {
        if (contains(r.ownerNode, f)) return true;
        break;
      }
      const v = emitter.type === AST_NODE_TYPES.Identifier ? m.varOf.get(emitter) : undefined;
      if (!v || r.aliases.has(v) || v.name === 'process' || role.event === undefined || !TEARDOWN_EVENTS.has(role.event)) break;
      // A connection or a request (a socket of a resource kind, a Node stream: `IncomingMessage`, the response
      // `ServerResponse`), not a component's lifecycle (`node.on('close', …)` of a plugin framework is its shutdown).
      if (contains(r.ownerNode, f) && (!!m.kindOfNode(emitter) || isNodeStream(m, emitter, true))) return true;
      break;
    }
  }
  return false;
}

/**
 * Is `owner` (or a function around it) a listener that runs on every event (`wss.on('connection', …)`, not `once`),
 * or a `setInterval` callback?
 */
/** Is `owner` (or a function around it) a test case's function (`it('…', (done) => { … })`, `test(…)`)? */
function inTestCase(owner: TSESTree.Node): boolean {
  for (let f: TSESTree.Node | undefined = isFunction(owner) ? owner : undefined; f; f = enclosingFunction(f)) {
    const role = callbackRole(f);
    if (role?.via === 'callback' && isTestCase(role.call)) return true;
  }
  return false;
}

function createdPerEvent(model: FileModel, owner: TSESTree.Node, followCalls: boolean, depth = 0): boolean {
  for (let f: TSESTree.Node | undefined = isFunction(owner) ? owner : undefined; f; f = enclosingFunction(f)) {
    const role = callbackRole(f);
    // A `'ready'` (`'connect'`…) listener of a resource that does not reconnect by itself runs once, as a `once()` one.
    if (role?.via === 'listener' && !role.once && !firesOnce(model, role.event, role.emitter)) return true;
    if (role?.via === 'timer' && role.timer === 'setInterval') return true;
    // A function of the file called from such a listener (`control.on('data', (c) => { if (…) handleEpsv(control);
    // })`, a few calls deep): it runs for each event too. (Not followed for a server kept in a field: a field stored
    // again and again is the overwrite check's, which reports the one before it.)
    if (followCalls && depth < 3 && isFunction(f)) {
      for (const call of model.syntax.callSites.get(f) ?? []) {
        const caller = enclosingFunction(call);
        if (caller && !contains(f, call) && createdPerEvent(model, caller, true, depth + 1)) return true;
      }
    }
  }
  return false;
}


export interface Detail {
  rank: number;
  text: string;
  /** The path is taken only when an awaited operation rejects. */
  rejection?: boolean;
}

function exitDetail(witness: TSESTree.Node | undefined, thrown: boolean): Detail {
  if (witness) {
    const l = line(witness);
    switch (witness.type) {
      case AST_NODE_TYPES.ReturnStatement:
        return { rank: 3, text: `on the path that returns at line ${l}` };
      case AST_NODE_TYPES.ThrowStatement:
        return { rank: 3, text: `on the path that throws at line ${l}` };
      case AST_NODE_TYPES.BreakStatement:
        return { rank: 3, text: `on the path that breaks out at line ${l}` };
      case AST_NODE_TYPES.ContinueStatement:
        return { rank: 3, text: `on the path that continues at line ${l}` };
      default:
        break;
    }
  }
  // Falling off the end leaks with nothing failing: named before a rejection (which needs a failure), after an
  // explicit exit.
  return thrown ? { rank: 1, text: 'on the path that throws' } : { rank: 2.5, text: 'on the path that reaches the end of the function' };
}

/** Runs the leak analysis for every resource of the file. */
export function analyseLeaks(model: FileModel, options: LeakOptions): LeakFinding[] {
  const findings: LeakFinding[] = [];
  const resources = model.resources({ endIsRelease: options.endIsRelease });
  const owned = new Set(resources.flatMap((r) => [...r.aliases]));
  // Resources made by a method of a variable (`conn.createChannel()`), by that variable: their operations are
  // their creator's work too.
  const madeBy = new Map<Variable, Resource[]>();
  const byOwner = new Map<TSESTree.Node, Resource[]>();
  for (const r of resources) {
    if (r.madeBy) addToList(madeBy, r.madeBy.variable, r);
    addToList(byOwner, r.ownerNode, r);
  }
  const emptied = new Set<TSESTree.Node>();
  const staleClears = new Set<TSESTree.Node>();
  for (const r of resources) {
    if (r.exempt === 'borrowed-wrapper' || r.exempt === 'mistyped' || r.exempt === 'never-opened' || r.exempt === 'settles-on-close' || r.exempt === 'expected-to-throw' || r.exempt === 'mocked') continue;
    // A close listener that clears the field after a restart stored a new socket there (whatever else holds).
    if (r.field) findings.push(...staleCloseClears(model, r, staleClears));
    // A server or subscriber with a handler serves for the life of the process — unless it is made anew for each
    // event of a listener that runs again and again (a subscriber per incoming client), or its function returns
    // what releases it (`return () => sub.quit()`): then it must be released.
    // Nor one made in a test case that nothing releases: it serves that test, and outlives it.
    const leftByTest = r.exempt === 'server-handler' && inTestCase(r.ownerNode) && !releasedSomewhere(r);
    // Nor a subscriber or consumer its function returns to the caller (not kept in a field as well): the caller owns
    // it from there. (A server returned with its handler already serves: `await startApi(port)`.)
    const returned = !r.field && !r.kind.errorEvent?.failedListen && returnedToCaller(r);
    if (r.exempt === 'server-handler' && !leftByTest && !createdPerEvent(model, r.ownerNode, !r.field) && !releasedWithAnotherEmitter(model, r) && !releasedInReturnedCloser(r) && !returned) {
      if (r.flow.node.type !== AST_NODE_TYPES.Program) reportShortLivedServer(model, r, findings, suggestedRelease(r.kind, options.endIsRelease));
      if (!findings.some((f) => f.resource === r)) {
        const made = [...r.aliases].flatMap((v) => madeBy.get(v) ?? []).filter((o) => o.ownerNode === r.ownerNode);
        const swallowed = swallowedSetupFailure(model, r, made) ?? remadeOnError(model, r);
        if (swallowed) findings.push({ messageId: 'leak', node: r.report, data: { kind: r.kind.name, detail: swallowed, release: suggestedRelease(r.kind, options.endIsRelease) }, resource: r });
      }
      // Serving for the life of the process is serving once: a field stored again and again (a reconnect timer that
      // binds a new receiver each time) leaves the one before it open.
      // Nor once its class stops another of its serving fields and never this one.
      if (r.field) {
        const checks = new FieldChecks(model, r, findings, suggestedRelease(r.kind, options.endIsRelease));
        checks.checkOverwrite();
        checks.checkServingField(resources);
      }
      // Nor does it serve on once its function clears the field it is kept in (`catch { this.client = null; throw e; }`
      // after a failed `LISTEN`): nothing can reach it to stop it.
      if (r.field && !findings.some((f) => f.resource === r)) {
        const release = suggestedRelease(r.kind, options.endIsRelease);
        const dropped = new ResourceLeakCheck(model, r, findings, release, owned, madeBy).droppedFieldDetail();
        if (dropped) findings.push({ messageId: 'leak', node: r.report, data: { kind: r.kind.name, detail: dropped.text, release }, resource: r });
      }
      // A connection that reopens itself from its close listener: a release that does not stop that reconnect.
      findings.push(...releasesUndoneByReconnect(model, r));
      // Serving from a field's collection until its own listener takes it out, open.
      findings.push(...droppedEntryFindings(model, r, suggestedRelease(r.kind, options.endIsRelease)));
      continue;
    }
    if (r.exempt === 'module' && !options.checkModuleScope) continue;
    if (r.disposed) continue;
    findings.push(...fieldCollectionFindings(model, r, suggestedRelease(r.kind, options.endIsRelease), emptied));
    const siblings = (byOwner.get(r.ownerNode) ?? []).filter((o) => o !== r);
    new ResourceLeakCheck(model, r, findings, suggestedRelease(r.kind, options.endIsRelease), owned, madeBy, siblings, !r.fieldForLife || options.checkModuleScope, !r.keptForProcess || options.checkModuleScope).run();
    if (!findings.some((f) => f.resource === r)) findings.push(...droppedEntryFindings(model, r, suggestedRelease(r.kind, options.endIsRelease)));
    // A socket in a field whose close listener reaches, through methods of the class, the one that stores a new one:
    // a release that does not stop that path comes back as a new connection.
    if (r.field && r.reconnect && !findings.some((f) => f.resource === r)) findings.push(...releasesUndoneByReconnect(model, r).map((f) => ({ ...f, resource: r })));
  }
  findings.push(...raceFindings(model, options));
  return findings;
}

/**
 * A server kept in a local of its function (a bound dgram socket with a `'message'` handler) whose own `'error'`
 * listener, for a kind whose error leaves it open, runs the function again (`setTimeout(() => listen(port), 2000)`)
 * without releasing it: each error leaves the old one open beside the new one. The detail for the message, or
 * undefined.
 */
function remadeOnError(model: FileModel, r: Resource): string | undefined {
  const error = r.kind.errorEvent;
  const owner = r.ownerNode;
  if (!error?.leavesOpen || r.field || !isFunction(owner)) return undefined;
  for (const reg of r.registrations) {
    if (reg.via !== 'listener' || reg.event !== error.name || !reg.fn || r.releasesInside(reg.fn)) continue;
    let again: TSESTree.Identifier | undefined;
    walkAst(reg.fn, model.sourceCode.visitorKeys, (n) => {
      if (again) return true;
      if (n.type !== AST_NODE_TYPES.Identifier) return;
      const p = n.parent;
      const called = p?.type === AST_NODE_TYPES.CallExpression && p.callee === n;
      const handed = p?.type === AST_NODE_TYPES.CallExpression && p.arguments[0] === n && calleeName(p) === 'setTimeout';
      if ((called || handed) && model.functionValue(n) === owner) again = n;
    });
    if (again) return `when its '${error.name}' listener at line ${line(reg.call)} runs ${again.name}() again without releasing it (the error leaves it open)`;
  }
  return undefined;
}

/**
 * A subscriber or consumer whose handler is set up inside a `try`, after an awaited operation on it, whose `catch`
 * takes the rejection and neither releases it, hands it anywhere, throws nor ends the process (`try { await
 * sub.subscribe(ch); sub.on('message', onEvent); } catch (e) { console.error(e); }`): when that operation rejects, the
 * function goes on without the handler, and nothing holds the open client any more. The detail for the message, or
 * undefined. (An operation whose rejection closes the resource, the kind's `rejectionCloses`, leaves nothing open.)
 */
function swallowedSetupFailure(model: FileModel, r: Resource, made: readonly Resource[] = []): string | undefined {
  const owner = r.ownerNode;
  if (r.field || r.outerStore || !isFunction(owner) || releasedSomewhere(r)) return undefined;
  const serving: TSESTree.Node[] = [];
  const awaited: Array<{ call: TSESTree.CallExpression; name: string }> = [];
  // Its own set-up, and that of what it made in the same function (a connection's consuming channel: `const ch =
  // await conn.createChannel(); await ch.assertQueue(q); ch.consume(q, onMessage)` — a failure of either leaves
  // the connection open).
  for (const x of [r, ...made]) {
    for (const reg of x.registrations) {
      if (reg.via === 'listener' && !reg.once && reg.event !== undefined && x.kind.serverHandlerEvents?.has(reg.event)) serving.push(reg.call);
    }
    for (const v of x.aliases) {
      for (const ref of v.references) {
        const mc = methodCallOn(ref.identifier);
        if (!mc || enclosingFunction(mc.call) !== owner) continue;
        if (x.kind.handlerMethods?.has(mc.name)) serving.push(mc.call);
        else if (climbValue(mc.call).parent?.type === AST_NODE_TYPES.AwaitExpression && !x.kind.rejectionCloses?.has(mc.name)) awaited.push(mc);
      }
    }
  }
  const first = serving.filter((n) => enclosingFunction(n) === owner).sort((a, b) => a.range[0] - b.range[0])[0];
  if (!first) return undefined;
  for (let t: TSESTree.Node | undefined = first.parent; t && t !== owner; t = t.parent) {
    if (t.type !== AST_NODE_TYPES.TryStatement || !contains(t.block, first) || !t.handler) continue;
    const handler = t.handler;
    const rejecting = awaited.filter((a) => contains(t.block, a.call) && a.call.range[0] < first.range[0] && a.call.range[0] > r.report.range[0]).sort((a, b) => a.call.range[0] - b.call.range[0])[0];
    if (!rejecting) return undefined;
    // The catch lets the client go only when it neither mentions it, throws, nor ends the process (nor has a finally).
    if (t.finalizer || [r, ...made].some((x) => [...x.aliases].some((v) => v.references.some((ref) => contains(handler, ref.identifier))))) return undefined;
    let leaves = false;
    walkAst(handler.body, model.sourceCode.visitorKeys, (n) => {
      if (isFunction(n)) return 'skip';
      if (n.type === AST_NODE_TYPES.ThrowStatement || (n.type === AST_NODE_TYPES.CallExpression && model.exitsProcess(n))) leaves = true;
      return leaves;
    });
    if (leaves) return undefined;
    return `when ${rejecting.name}() at line ${line(rejecting.call)} rejects (the catch block at line ${line(handler)} goes on without it)`;
  }
  return undefined;
}

/** A server with a handler that its function also closes: exits by rejection or throw while it listens. */
function reportShortLivedServer(model: FileModel, r: Resource, findings: LeakFinding[], release: string): void {
  // Its exits are rejections and throws: out of a script's entry function they end the process, server and all.
  if (model.throwEndsProcess(r.ownerNode)) return;
  const details = shortLivedServerDetails(model, r);
  if (details.length === 0) return;
  details.sort((a, b) => b.rank - a.rank);
  findings.push({ messageId: 'leak', node: r.report, data: { kind: r.kind.name, detail: details[0].text, release }, resource: r });
}

/** An awaited operation on the resource that can reject: the operation's name and its call. */
interface RejectingAwait {
  readonly name: string;
  /** How the message names the rejection, when not as `<name>() at line <n> rejects`. */
  readonly describe?: string;
  readonly call: TSESTree.Node;
  /** Where the resource must still be open for the rejection to leak it (default: the call): the argument that gives it. */
  readonly openAt?: TSESTree.Node;
  /** Its failure leaves the resource as it was before it ({@link ResourceKind.failureLeavesAsBefore}): one it opens stays idle. */
  readonly asBefore?: boolean;
}

/** `send() at line 5 rejects`, or the rejection's own description. */
function rejectionText(awaited: RejectingAwait): string {
  return awaited.describe ?? `${awaited.name}() at line ${line(awaited.call)} rejects`;
}

/**
 * The innermost `try` statement that takes a rejection at `node`, below `owner` (its function: not across functions):
 * one whose try block holds it, or whose catch block holds it and that has a finally block.
 */
function enclosingTry(node: TSESTree.Node, owner: TSESTree.Node): TSESTree.TryStatement | undefined {
  let child: TSESTree.Node = node;
  for (let p = node.parent; p && p !== owner; child = p, p = p.parent) {
    // Its try block (the rejection goes to the catch, else the finally), or its catch block when it has a finally.
    if (p.type === AST_NODE_TYPES.TryStatement && (p.block === child || (p.handler === child && p.finalizer))) return p;
  }
  return undefined;
}

/** Is `node` inside the catch block of a `try` statement below `owner` (its function)? */
function inCatchBlock(node: TSESTree.Node, owner: TSESTree.Node): boolean {
  let child: TSESTree.Node = node;
  for (let p = node.parent; p && p !== owner; child = p, p = p.parent) {
    if (isFunction(p)) return false;
    if (p.type === AST_NODE_TYPES.TryStatement && p.handler === child) return true;
  }
  return false;
}

/**
 * `let errored = false; try { … } catch (e) { errored = true; client.release(true); throw e; } finally { if (!errored)
 * client.release(); }`: a `let` declared in the resource's function that starts as a boolean literal (or nothing), and
 * is given the other truthiness (by a literal) only in a statement right before or after a release of the resource
 * in the same statement list, keeps its first value while the resource is open — unless the creation is in a loop
 * below the flag's declaration (a later round makes another one with the flag set). Each such variable with that
 * first truthiness.
 */
function flagsSetOnRelease(r: Resource, varOf: VariableLookup): Map<Variable, boolean> {
  // The flag assignments next to a release: assignment node → the variable and the truthiness it is given.
  const nextToRelease = new Map<TSESTree.Node, { v: Variable; truthy: boolean }>();
  for (const [node, ops] of r.ops) {
    if (!ops.some((op) => op.t === 'kill' && op.why === 'release')) continue;
    let e = climbValue(node);
    if (e.parent?.type === AST_NODE_TYPES.AwaitExpression) e = climbValue(e.parent);
    const statement = e.parent;
    const list = statement?.type === AST_NODE_TYPES.ExpressionStatement ? statementList(statement.parent) : undefined;
    if (!list || !statement) continue;
    const at = list.indexOf(statement);
    for (const neighbour of [list[at - 1], list[at + 1]]) {
      if (neighbour?.type !== AST_NODE_TYPES.ExpressionStatement) continue;
      const assign = unwrap(neighbour.expression);
      if (assign.type !== AST_NODE_TYPES.AssignmentExpression || assign.operator !== '=' || assign.left.type !== AST_NODE_TYPES.Identifier) continue;
      const value = unwrap(assign.right);
      const v = varOf.get(assign.left);
      if (v && value.type === AST_NODE_TYPES.Literal && typeof value.value === 'boolean') nextToRelease.set(assign, { v, truthy: value.value });
    }
  }
  const out = new Map<Variable, boolean>();
  for (const { v, truthy } of nextToRelease.values()) {
    const def = v.defs[0];
    if (out.has(v) || v.defs.length !== 1 || def?.type !== TSESLint.Scope.DefinitionType.Variable || def.parent?.kind !== 'let' || initialTruthiness(def.node) !== !truthy) continue;
    const fn = enclosingFunction(r.report);
    if (enclosingFunction(def.node) !== fn) continue;
    // (A loop between the creation and the flag's block, or its function when that block does not hold the creation.)
    const scope = def.parent.parent;
    if (inLoopWithin(r.report, scope && contains(scope, r.report) ? scope : (fn ?? r.report))) continue;
    const writes = v.references.filter((ref) => !ref.init && ref.isWrite());
    if (writes.every((ref) => {
      const set = ref.identifier.parent && nextToRelease.get(ref.identifier.parent);
      return !!set && set.v === v && set.truthy === truthy;
    })) out.set(v, !truthy);
  }
  return out;
}

export class ResourceLeakCheck {
  private readonly solved = new Map<FunctionFlow, ForwardResult<LeakState>>();
  private readonly predicateOf: LeakHooks = {
    predicateOf: (call) => this.m.typePredicateOf(call),
    neverFalsy: (test) => this.m.alwaysObject(test),
    mayThrow: (block) => mayThrowImplicitly(block, this.m.sourceCode.visitorKeys),
    exitsProcess: (node) => this.m.exitsProcess(node),
    contradictsCreation: (test, value) => {
      this.creationFlags ??= new Map([
        ...flagsSetOnRelease(this.r, this.m.varOf),
        ...flagsKeptOnCreation(this.r.report, this.m.varOf, this.m.sourceCode.visitorKeys),
        ...flagsAround(this.r.report, this.m.varOf),
        ...flagsSetOnCreation(this.r.report, this.m.varOf),
      ]);
      const flag = constantFlag(test, value, this.m.varOf) ?? testedVariable(test, value, this.m.varOf);
      if (flag) return this.creationFlags.get(flag.v) === !flag.truthy;
      // `if (pool instanceof pg.Pool) client = await pool.connect(); … finally { if (pool instanceof pg.Pool)
      // client.release(); }`: the same test of a name that cannot change, spelled again.
      const tested = stableTest(test, value, this.m.varOf);
      if (tested) {
        this.creationTests ??= stableTestsAround(this.r.report, this.m.varOf);
        return this.creationTests.get(tested.key) === !tested.truthy;
      }
      // `this.usePool`, a field that cannot change, deciding the creation (`this.usePool ? undefined : await connect()`).
      const members = this.m.syntax.membersByName;
      const field = constantFieldTest(test, value, members);
      if (!field) return false;
      this.creationFieldFlags ??= fieldFlagsAround(this.r.report, members);
      return this.creationFieldFlags.get(field.name) === !field.truthy;
    },
  };
  /**
   * The flags whose truthiness the resource's being open decides: those that decide whether its creation runs (see
   * {@link flagsAround}, {@link flagsKeptOnCreation}), and those changed only next to its release ({@link flagsSetOnRelease}).
   */
  private creationFlags: Map<Variable, boolean> | undefined;
  /** The fields that cannot change whose truthiness decides whether its creation runs ({@link fieldFlagsAround}). */
  private creationFieldFlags: Map<string, boolean> | undefined;
  /** The stable tests that decide whether its creation runs ({@link stableTestsAround}). */
  private creationTests: Map<string, boolean> | undefined;
  private readonly callbacks: LeakCallbacks;
  private readonly fields: FieldChecks;

  constructor(
    private readonly m: FileModel,
    private readonly r: Resource,
    private readonly findings: LeakFinding[],
    /** The releases to suggest in messages. */
    private readonly release: string,
    /** Variables that hold resources created in this file. */
    private readonly owned: ReadonlySet<Variable> = new Set(),
    /** The resources made by a method of each variable (`conn.createChannel()`). */
    private readonly madeBy: ReadonlyMap<Variable, readonly Resource[]> = new Map(),
    /** The other resources made in the same function. */
    private readonly siblings: readonly Resource[] = [],
    /** Check that the field it is kept in is released (not for a singleton's field, see {@link Resource.fieldForLife}). */
    private readonly checkFieldRelease = true,
    /** Check the paths that end with it open (not for one kept for the process, see {@link Resource.keptForProcess}). */
    private readonly checkOpenEnds = true,
  ) {
    this.callbacks = new LeakCallbacks(m, r, this);
    this.fields = new FieldChecks(m, r, findings, release);
  }

  run(): void {
    const r = this.r;
    const details: Detail[] = [];
    const hasKill = [...r.ops.values()].some((ops) => ops.some((o) => o.t === 'kill'));

    if (r.field) {
      if (this.checkFieldRelease) this.fields.checkField();
    } else if (r.outerStore) this.fields.checkOuterVariable();
    this.fields.checkOverwrite();

    // 1. Paths of the owning function.
    if (!(r.field && r.flow.node === r.report)) {
      const owner = this.solve(r.flow, null);
      // A creation in unreachable code (after a return) creates nothing.
      if (!reaches(r.flow, owner, r.start ?? r.report)) return;
      this.collectPathDetails(r.flow, owner, details, true);
      const awaits = this.rejectingAwaits();
      this.rejectionDetails(awaits, details);
      this.caughtRejectionDetails(awaits, details);
      this.droppedFieldDetails(details);
      const cleared = this.fields.clearedWithoutRelease();
      if (cleared && r.field) details.push({ rank: 4, text: `before 'this.${r.field.name}' is cleared at line ${line(cleared)}` });
      // (Not where the variable is reported as never released at all: one report for the one socket.)
      const neverReleased = this.findings.some((f) => f.messageId === 'variableNeverReleased' && f.node === r.outerStore?.assign);
      const clearedVariable = r.outerStore && !neverReleased ? this.fields.clearedVariableWithoutRelease() : undefined;
      if (clearedVariable && r.outerStore) details.push({ rank: 4, text: `before '${r.outerStore.variable.name}' is cleared at line ${line(clearedVariable)}` });
      details.push(...returnedPromiseDetails(this.m, r, (n) => !!this.stateAt(n)));
      details.push(...tunnelDetails(this.m, r, this.owned));
    }

    // 2. Terminal events that do not release by themselves.
    const timeoutEvent = r.kind.idleTimeout?.event;
    const timeoutRegs = r.registrations.filter((reg) => reg.via === 'listener' && reg.event !== undefined && reg.event === timeoutEvent && !this.onAnotherValue(reg));
    const timeoutArmed = timeoutRegs.length === 0 || !this.idleTimeoutNeverArmed();
    for (const reg of timeoutRegs) {
      if (timeoutArmed && !this.callbacks.registrationReleases(reg) && !this.callbacks.endsReleasingPeer(reg) && this.callbacks.knownFunction(reg) && !this.callbacks.settlesIntoCleanup(reg) && !this.ownerPolicy(reg)) {
        this.findings.push({
          messageId: 'timeoutNotReleased',
          node: reg.fnNode,
          data: { kind: r.kind.name, release: r.kind.idleTimeout?.release ?? this.release },
        });
      }
    }
    // A socket handed to someone else (returned, resolved, stored) may get its 'timeout' listener there — not the store
    // in its own field: the class's code is all in this file, and a listener registered through the field is one of
    // its registrations.
    // Nor a stream piped into it (`client.pipe(upstream)`): the source ends it at most, and adds no listener.
    const handedOff = (): boolean =>
      [...r.ops].some(([node, ops]) => ops.some((o) => o.t === 'kill' && o.why === 'escape') && !isPipeDestination(node) && (!this.ownFieldStore(node) || this.handedOnFromField()));
    if (timeoutRegs.length === 0 && r.idleTimeouts.length > 0 && !handedOff() && !this.hasDeadline()) {
      for (const node of r.idleTimeouts) {
        if (node.type === AST_NODE_TYPES.Property) {
          this.findings.push({ messageId: 'idleTimeoutOptionUnhandled', node, data: { kind: r.kind.name, option: r.kind.idleTimeout?.option ?? 'timeout' } });
        } else {
          this.findings.push({ messageId: 'idleTimeoutUnhandled', node, data: { kind: r.kind.name, release: this.release } });
        }
      }
    }

    // 3. Settling without the socket.
    if (r.successHandoff || r.settleFns.size > 0) this.callbacks.checkSettles(details);

    // 4. One-shot callbacks that release on one path and drop the socket on another.
    this.callbacks.checkOneShotCallbacks(details);

    // 5. A timer that gives up on the operation without releasing it.
    this.callbacks.checkGivingUpTimers(details);

    // Kept for the process: only a rejection that the chain takes leaves it open by mistake.
    if (!this.checkOpenEnds) details.splice(0, details.length, ...details.filter((d) => d.rejection));
    // Nothing releases it, and some path leaves it open (a path that ends the process, `process.exit()`, leaves
    // nothing open: a script whose every path exits has nothing to report; one that exits unless an awaited
    // operation rejects leaks only then, and the message says when).
    if (!hasKill && !r.field && details.some((d) => !d.rejection)) {
      details.push({
        rank: 5,
        text:
          r.containers.size > 0
            ? `on any path (it is kept in the local collection '${[...r.containers][0]?.name ?? ''}', which is never released)`
            : r.droppedProperty !== undefined
              ? `on any path (the destructuring leaves out '${r.droppedProperty}', which holds it)`
              : r.droppedByThen
                ? 'on any path (the function given to then() takes no parameter, so what the call resolves to is dropped)'
                : 'on any path (nothing releases it or hands it off)',
      });
    }
    if (details.length > 0) {
      details.sort((a, b) => b.rank - a.rank);
      const best = details[0];
      this.findings.push({
        messageId: 'leak',
        node: r.report,
        data: { kind: r.kind.name, detail: best.text, release: this.release },
        resource: r,
      });
    }
  }

  /**
   * A 'timeout' listener on a socket held in a field, that reports to the object's owner (an emit, a callback)
   * in a class with its own release method: when to close is the owner's policy.
   */
  private ownerPolicy(reg: Registration): boolean {
    return !!reg.fn && this.fields.ownerHasRelease() && this.fields.reportsToOwner(reg.fn);
  }

  /**
   * The flow of a one-shot callback, where a test of a flag that another function sets (`if (settled) return;`, or
   * the release under `if (!settled) { … }`) proves, when true, that the operation was settled there: whoever set it
   * took care of the resource.
   */
  solveGuarded(flow: FunctionFlow, entry: LeakState, settledFlag: (test: TSESTree.Node) => boolean): ForwardResult<LeakState> {
    const base = problemFor(this.r, entry, this.predicateOf, this.failedOpenError(flow));
    const settledOn = (branch: { test: TSESTree.Node; value: boolean }): boolean => {
      // `!settled` taken false is `settled` taken true.
      let test = unwrap(branch.test);
      let value = branch.value;
      while (test.type === AST_NODE_TYPES.UnaryExpression && test.operator === '!') {
        test = unwrap(test.argument);
        value = !value;
      }
      return value && settledFlag(test);
    };
    return solveForward(flow, {
      ...base,
      edge: (state, branch) => (settledOn(branch) ? null : (base.edge ? base.edge(state, branch) : state)),
    });
  }

  solve(flow: FunctionFlow, entry: LeakState): ForwardResult<LeakState> {
    let result = this.solved.get(flow);
    if (!result) {
      result = solveForward(flow, problemFor(this.r, entry, this.predicateOf, this.failedOpenError(flow)));
      this.solved.set(flow, result);
    }
    return result;
  }

  /**
   * A deadline: a `setTimeout` armed where the socket is made (the owner's own code, or a Promise executor of it)
   * whose callback releases it, and whose handle is cleared (if at all) only by functions that release it too, or by
   * an error listener of a kind whose error destroys it. An idle timeout then adds nothing: whether or not the
   * socket goes idle, it is released by that timer or before it is cleared.
   */
  private hasDeadline(): boolean {
    const r = this.r;
    const destroysOnError = !!r.kind.errorEvent && !r.kind.errorEvent.leavesOpen;
    return this.m.syntax.callsNamed(['setTimeout']).some((call) => {
      const fn = call.arguments[0] ? this.m.functionValue(call.arguments[0]) : undefined;
      if (!fn || !contains(r.ownerNode, call) || !r.releasesInside(fn)) return false;
      for (let f = enclosingFunction(call); f !== r.ownerNode; f = enclosingFunction(f)) if (!f || !isExecutor(f)) return false;
      const handle = callbackRole(fn)?.handle;
      if (!handle) return climbValue(call).parent?.type === AST_NODE_TYPES.ExpressionStatement;
      // `const t = setTimeout(…)`, or `let t; … t = setTimeout(…)` (given nothing else), or the one property of a local
      // object that holds it (`const context = {}; … context.timer = setTimeout(…)`): the places that name the handle.
      const sites = this.timerHandleSites(handle);
      if (!sites) return false;
      return sites.every((site) => {
        if (site === handle) return true;
        // `if (timer) clearTimeout(timer)`: a test of the handle.
        if (testedOnly(site)) return true;
        const clear = site.parent;
        if (clear?.type !== AST_NODE_TYPES.CallExpression || clear.arguments[0] !== site || calleeName(clear) !== 'clearTimeout') return false;
        const clearer = enclosingFunction(clear);
        if (!clearer || clearer === r.ownerNode) return false;
        if (r.releasesInside(clearer) || this.endsExchange(clearer)) return true;
        return destroysOnError && r.registrations.some((e) => e.via === 'listener' && e.fn === clearer && e.event === r.kind.errorEvent?.name);
      });
    });
  }

  /**
   * The nodes that name a timer's handle, the handle's own store first among them: the references of the variable
   * (`const t = setTimeout(…)`, or a `let` given only that), or the reads of the one property of a local `const` object
   * literal that holds it (`context.timer`), when nothing else writes it and the object is used only for that property.
   * Undefined for any other store.
   */
  private timerHandleSites(handle: TSESTree.Node): TSESTree.Node[] | undefined {
    const holder = handle.parent;
    if (handle.type === AST_NODE_TYPES.Identifier) {
      const stored = holder?.type === AST_NODE_TYPES.VariableDeclarator || (holder?.type === AST_NODE_TYPES.AssignmentExpression && holder.left === handle);
      const timer = stored ? this.m.varOf.get(handle) : undefined;
      // (`timer = null` after a clearTimeout(): a reset that names no other timer.)
      const reset = (ref: TSESLint.Scope.Reference): boolean => {
        const p = ref.identifier.parent;
        return p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === ref.identifier && p.operator === '=' && isNullishLiteral(p.right);
      };
      if (!timer || timer.references.some((ref) => !ref.init && ref.isWrite() && ref.identifier !== handle && !reset(ref))) return undefined;
      return timer.references.filter((ref) => !ref.init && !reset(ref)).map((ref) => ref.identifier);
    }
    const prop = handle.type === AST_NODE_TYPES.MemberExpression && !handle.computed ? propertyName(handle) : undefined;
    const object = handle.type === AST_NODE_TYPES.MemberExpression ? unwrap(handle.object) : undefined;
    const v = object?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(object) : undefined;
    const def = v?.defs[0];
    if (prop === undefined || !v || v.defs.length !== 1 || def?.type !== DefinitionType.Variable || def.parent?.kind !== 'const' || def.node.init?.type !== AST_NODE_TYPES.ObjectExpression) return undefined;
    const sites: TSESTree.Node[] = [];
    for (const ref of v.references) {
      if (ref.init) continue;
      const member = ref.identifier.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== ref.identifier || member.computed || propertyName(member) !== prop) return undefined;
      const store = member.parent;
      if (member !== handle && store?.type === AST_NODE_TYPES.AssignmentExpression && store.left === member) return undefined;
      sites.push(member);
    }
    return sites;
  }

  /**
   * Is `fn` a listener of the end of what an event that comes only after the release hands over — the `'end'` (or
   * `'close'`) of the response an `http.ClientRequest`'s `'response'` listener gets ({@link
   * ResourceKind.eventsAfterRelease})? The exchange is over there: the request holds nothing any more.
   */
  private endsExchange(fn: FunctionNode): boolean {
    const role = callbackRole(fn);
    const emitter = role?.via === 'listener' && (role.event === 'end' || role.event === 'close') && role.emitter ? unwrap(role.emitter) : undefined;
    const v = emitter?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(emitter) : undefined;
    const after = this.r.kind.eventsAfterRelease;
    if (!v || !after) return false;
    return this.r.registrations.some((reg) => reg.event !== undefined && after.has(reg.event) && reg.fn?.params[0]?.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(reg.fn.params[0]) === v);
  }

  /** Through its field, does the object hand the resource on (`register(this.client)`, `return this.client`)? */
  private handedOnFromField(): boolean {
    const field = this.r.field;
    return !!field && this.m.fieldMembers(field).some(handsOn);
  }

  /** Is `node` (an op's node) the store of the resource into its own field (`this.sock = s`)? */
  private ownFieldStore(node: TSESTree.Node): boolean {
    const field = this.r.field;
    const store = node.type === AST_NODE_TYPES.AssignmentExpression ? node : climbValue(node).parent;
    return !!field && store?.type === AST_NODE_TYPES.AssignmentExpression && isFieldMember(field, unwrap(store.left));
  }

  /**
   * `this.conns[id] = conn`, `this.conns.set(id, conn)`: a store into an element of a field of the class, when no
   * read of that field hands the collection or one of its elements on (`this.conns[id]?.end()`, `delete
   * this.conns[id]`, `this.conns.get(id)?.destroy()` keep them in the class).
   */
  private keptElementStore(node: TSESTree.Node): boolean {
    const value = climbValue(node.type === AST_NODE_TYPES.AssignmentExpression ? node.right : node);
    const p = value.parent;
    let holder: TSESTree.Node | undefined;
    if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.right === value && p.operator === '=') {
      const left = unwrap(p.left);
      if (left.type === AST_NODE_TYPES.MemberExpression && left.computed) holder = unwrap(left.object);
    } else if (p?.type === AST_NODE_TYPES.CallExpression && p.arguments[1] === value) {
      const member = calleeMember(p);
      if (member && propertyName(member) === 'set') holder = unwrap(member.object);
    }
    const name = holder ? thisMemberName(holder) : undefined;
    const cls = holder && name !== undefined ? thisClass(holder) : undefined;
    if (!cls || name === undefined) return false;
    return !this.m.fieldMembers({ name, cls }).some((n) => {
      const read = n.parent;
      if (read?.type !== AST_NODE_TYPES.MemberExpression || read.object !== n) return handsOn(n);
      if (read.computed) return handsOn(read);
      const method = propertyName(read);
      const call = read.parent?.type === AST_NODE_TYPES.CallExpression && read.parent.callee === read ? read.parent : undefined;
      if (!call) return true;
      if (method === 'get') return handsOn(call);
      return method !== 'set' && method !== 'delete' && method !== 'has';
    });
  }

  /**
   * Can nothing arm the resource's idle timeout, so that its 'timeout' listeners never run? It is made here by a call
   * (not handed in by a callback) whose arguments cannot carry the kind's timeout option (object literals without it
   * and without a spread, literals, functions, or values whose declared type has no such property), nothing calls its
   * setTimeout() method (no member call of that name anywhere in the file), it is not handed on — kept in a local, or
   * in a field of its class (or an element of one) that the class does not hand on (the class's code is all in this
   * file) —, and every call
   * it is given to runs a library's function (`once(sock, 'connect')`, `a.pipe(sock)`), not code of the project that
   * could arm it. An internal error answers no.
   */
  private idleTimeoutNeverArmed(): boolean {
    const r = this.r;
    const idle = r.kind.idleTimeout;
    if (!idle?.option || idle.armedByDefault || r.start || r.outerStore || r.idleTimeouts.length > 0) return false;
    if (r.field && this.handedOnFromField()) return false;
    try {
      if ((this.m.syntax.callsByName.get(idle.method) ?? []).some((c) => unwrap(c.callee).type === AST_NODE_TYPES.MemberExpression)) return false;
      // A call of a library's function given it: no code of the project runs with it.
      const givenToLibrary = (node: TSESTree.Node): boolean => {
        const value = climbValue(node);
        const call = value.parent;
        if ((call?.type !== AST_NODE_TYPES.CallExpression && call?.type !== AST_NODE_TYPES.NewExpression) || !call.arguments.includes(value as TSESTree.CallExpressionArgument)) return false;
        const tsCall = this.m.services.esTreeNodeToTSNodeMap.get(call) as ts.CallLikeExpression | undefined;
        const file = tsCall ? this.m.checker.getResolvedSignature(tsCall)?.getDeclaration()?.getSourceFile().fileName.replace(/\\/g, '/') : undefined;
        return !!file && (file.includes('/node_modules/') || inTypeScriptLibrary(file));
      };
      // Handed on (returned, stored, resolved, given to the project's code) or kept in a collection: others may arm it.
      // (Not after `sock.removeAllListeners()` in the same code: the 'timeout' listeners are gone by then.)
      const listenersGone = (node: TSESTree.Node): boolean =>
        someStatementBefore(node, enclosingFunction(node), (st) => {
          const mc = methodCallStatement(st);
          const target = mc ? unwrap(mc.member.object) : undefined;
          const v = target?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(target) : undefined;
          return !!mc && propertyName(mc.member) === 'removeAllListeners' && !!v && r.aliases.has(v) && (mc.call.arguments.length === 0 || stringValue(mc.call.arguments[0]) === idle.event);
        });
      for (const [node, ops] of r.ops) if (ops.some((o) => o.t === 'kill' && (o.why === 'escape' || o.why === 'container')) && !givenToLibrary(node) && !this.ownFieldStore(node) && !this.keptElementStore(node) && !listenersGone(node)) return false;
      const option = idle.option;
      const mayCarry = (arg: TSESTree.Node): boolean => {
        const a = unwrap(arg);
        if (a.type === AST_NODE_TYPES.Literal || a.type === AST_NODE_TYPES.TemplateLiteral || isFunction(a)) return false;
        if (a.type === AST_NODE_TYPES.ObjectExpression) {
          return a.properties.some((p) => p.type !== AST_NODE_TYPES.Property || p.computed || keyName(p.key) === option);
        }
        const type = this.m.declaredType(a);
        if (!type || type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return true;
        return (type.isUnion() ? type.types : [type]).some((t) => !!t.getProperty(option));
      };
      if (r.report.arguments.some(mayCarry)) return false;
      for (const v of r.aliases) {
        for (const ref of v.references) {
          const value = climbValue(ref.identifier);
          const call = value.parent;
          const argument = (call?.type === AST_NODE_TYPES.CallExpression || call?.type === AST_NODE_TYPES.NewExpression) && call.arguments.includes(value as TSESTree.CallExpressionArgument);
          if (argument && !givenToLibrary(ref.identifier) && !listenersGone(ref.identifier)) return false;
        }
      }
      return true;
    } catch (error) {
      return recover(error, false);
    }
  }

  /**
   * A throw out of the owning function ends the process (see {@link throwEndsProcess}): nothing is left open after
   * it, whatever was open when it happened.
   */
  private get throwEndsProcess(): boolean {
    this.throwEnds ??= this.m.throwEndsProcess(this.r.ownerNode);
    return this.throwEnds;
  }

  private throwEnds: boolean | undefined;

  /** The process ends when the owning function returns (see {@link returnEndsProcess}): its ends leave nothing open. */
  private get returnEndsProcess(): boolean {
    this.returnEnds ??= returnEndsProcess(this.r.ownerNode, (id) => this.m.varOf.get(id));
    return this.returnEnds;
  }

  private returnEnds: boolean | undefined;

  /**
   * Exits by rejection: an awaited operation on the resource (`await client.query(q)`) can reject, and the function
   * then leaves by a throw from that point. It leaks there unless it was already released or handed off, or a
   * `try` around the await (a `catch` or `finally`) takes the exception. Operations that (re)connect the resource
   * itself are not counted: when they fail there is nothing open to release.
   */
  private rejectionDetails(awaits: readonly RejectingAwait[], details: Detail[]): void {
    if (this.throwEndsProcess) return;
    for (const awaited of awaits) {
      if (enclosingTry(awaited.call, this.r.ownerNode)) continue;
      if (!this.stateAt(awaited.openAt ?? awaited.call) && (awaited.asBefore || !this.opensIdleAt(awaited.call))) continue;
      details.push({ rank: 2, text: `when ${rejectionText(awaited)}`, rejection: true });
    }
  }

  /**
   * `const query = client.query.bind(client)` (a `const`, bound to the resource itself): the awaited calls of `query`
   * in the owning function, each an operation `query` on the resource.
   */
  private boundOperations(id: TSESTree.Identifier): Array<{ call: TSESTree.CallExpression; name: string }> {
    const member = id.parent;
    const name = member?.type === AST_NODE_TYPES.MemberExpression && member.object === id ? propertyName(member) : undefined;
    const bind = name !== undefined ? bindCallOn(member) : undefined;
    const arg = bind?.arguments[0] ? unwrap(bind.arguments[0]) : undefined;
    const argVar = arg?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(arg) : undefined;
    const decl = bind ? climbValue(bind).parent : undefined;
    if (!bind || name === undefined || !argVar || !this.r.aliases.has(argVar) || decl?.type !== AST_NODE_TYPES.VariableDeclarator || decl.parent.kind !== 'const' || decl.id.type !== AST_NODE_TYPES.Identifier) return [];
    const out: Array<{ call: TSESTree.CallExpression; name: string }> = [];
    for (const ref of this.m.varOf.get(decl.id)?.references ?? []) {
      const call = ref.identifier.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== ref.identifier) continue;
      if (climbValue(call).parent?.type === AST_NODE_TYPES.AwaitExpression && enclosingFunction(call) === this.r.ownerNode) out.push({ call, name });
    }
    return out;
  }

  /**
   * The awaited operations in the resource's owning function that can reject while it is open: on the resource
   * (`await client.query(q)`, and its creating methods: `await conn.createChannel()`), a chain that starts with a
   * call on it and ends awaited (`await client.db('app').collection('jobs').countDocuments()` goes through the
   * resource's connection), and the same on a resource that one of its creating methods made there (`await
   * ch.assertQueue(q)` on the connection's channel). Not an operation whose failure closes the resource itself
   * ({@link ResourceKind.rejectionCloses}).
   */
  private rejectingAwaits(): RejectingAwait[] {
    const r = this.r;
    const out: RejectingAwait[] = [];
    // Of another resource (not made by this one): any of its operations but a release, `connect()` included.
    const siblingRejects = (kind: ResourceKind, call: TSESTree.CallExpression, method: string): boolean =>
      !kind.releases.has(method) && !LISTENER_METHODS.has(method) && (canReject(kind, call, method) || kind.returnsSelf.has(method));
    const collect = (kind: ResourceKind, aliases: Iterable<Variable>, own: boolean, sibling = false): void => {
      const rejectable = (call: TSESTree.CallExpression, method: string): boolean => (sibling ? siblingRejects(kind, call, method) : canReject(kind, call, method));
      for (const v of aliases) {
        for (const ref of v.references) {
          const id = ref.identifier as TSESTree.Identifier;
          if (ref.init || ref.isWrite() || !contains(r.ownerNode, id)) continue;
          const mc = methodCallOn(id);
          if (!mc) {
            // ``await sql`select 1` ``: a query of a resource that is itself a function (postgres.js) rejects as a method would.
            const query = own && kind.callable ? awaitedQuery(id) : undefined;
            if (query && enclosingFunction(query) === r.ownerNode) out.push({ call: query, name: 'query', describe: `the query at line ${line(query)} rejects` });
            // `const query = client.query.bind(client); await query('BEGIN')`: the bound method's calls are its own.
            if (own) for (const bound of this.boundOperations(id)) if (rejectable(bound.call, bound.name) && !kind.rejectionCloses?.has(bound.name)) out.push(bound);
            // `await client.ft.dropIndex(name)`: a command of a namespace the client exposes, on its connection.
            const ns = namespaceCall(id);
            const awaitedNs = ns && own ? awaitedOp(ns) : undefined;
            if (ns && awaitedNs && startsOperation(kind, ns.namespace) && enclosingFunction(awaitedNs.call) === r.ownerNode) out.push(awaitedNs);
            continue;
          }
          // `await Promise.all([client.query(a), client.query(b)])`: rejects when either operation does.
          const all = awaitedInAll(mc.call);
          if (all) {
            const rejects = rejectable(mc.call, mc.name) && !(own && kind.rejectionCloses?.has(mc.name)) && !this.m.returnsNoPromise(mc.call);
            if (rejects && enclosingFunction(all) === r.ownerNode) out.push({ call: all, name: mc.name, openAt: mc.call });
            continue;
          }
          const awaited = awaitedOp(mc);
          if (!awaited) {
            // `return conn.createChannel()`: the promise handed off rejects, with the connection open, when the
            // creating method fails (the caller awaits it).
            if (own && returnedCreatingCall(r, mc.call, mc.name) && !this.m.isSurelyNoPromise(mc.call)) out.push(mc);
            // `conn.query(q).then((rows) => { conn.release(); … })`: released only when the operation succeeds.
            else if (own && enclosingFunction(mc.call) === r.ownerNode && rejectable(mc.call, mc.name) && !kind.rejectionCloses?.has(mc.name) && this.releasedOnlyOnFulfilment(mc.call)) out.push(mc);
            continue;
          }
          // Awaiting what is surely no promise (`await client.db('app').collection('jobs')`) cannot reject.
          const rejects =
            (awaited === mc
              ? rejectable(mc.call, mc.name) && !(own && kind.rejectionCloses?.has(mc.name)) && !this.m.returnsNoPromise(mc.call)
              : startsOperation(kind, mc.name)) && !this.m.isSurelyNoPromise(awaited.call);
          // `return await conn.createChannel()`: the channel handed off there takes the connection with it only once
          // it is made; the rejection leaves the connection open as it was at the call.
          const handsCreated = own && awaited === mc && !!kind.releasesCreated?.has(mc.name);
          // `await pool.query(q)` on a pg Pool: a failed query ends the client it checked out, so the pool is left as it
          // was before the call (a new pool stays idle).
          const asBefore = own && awaited === mc && !!kind.failureLeavesAsBefore?.has(mc.name);
          if (rejects && enclosingFunction(awaited.call) === r.ownerNode) out.push(handsCreated || asBefore ? { ...awaited, openAt: mc.call, asBefore } : awaited);
        }
      }
    };
    collect(r.kind, r.aliases, true);
    out.push(...this.rejectingHelperCalls());
    out.push(...this.handleRejections());
    out.push(...this.promisifiedOperations());
    out.push(...this.timerRejections());
    // `await ctx.client.query(q)` on a local object that holds it.
    for (const [holder, name] of r.holders) {
      for (const ref of holder.references) {
        const id = ref.identifier as TSESTree.Identifier;
        const member = id.parent;
        if (ref.init || ref.isWrite() || member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== id || member.computed) continue;
        const mc = propertyName(member) === name ? methodCallOn(member) : undefined;
        const awaited = mc && (climbValue(mc.call).parent?.type === AST_NODE_TYPES.AwaitExpression ? mc : undefined);
        if (awaited && canReject(r.kind, awaited.call, awaited.name) && enclosingFunction(awaited.call) === r.ownerNode) out.push(awaited);
      }
    }
    // `const coll = client.db('app').collection('kv'); await coll.createIndex(…)`: work on the client's connection.
    for (const v of r.handles) {
      for (const ref of v.references) {
        const id = ref.identifier as TSESTree.Identifier;
        if (ref.init || ref.isWrite() || !contains(r.ownerNode, id)) continue;
        const mc = methodCallOn(id);
        if (!mc || LISTENER_METHODS.has(mc.name)) continue;
        const awaited = awaitedOp(mc);
        // `await db.collection('items')`: awaiting a handle that is no promise cannot reject.
        if (awaited && enclosingFunction(awaited.call) === r.ownerNode && !this.m.isSurelyNoPromise(awaited.call)) out.push(awaited);
      }
    }
    for (const v of r.aliases) {
      for (const made of this.madeBy.get(v) ?? []) {
        if (made !== r && made.madeBy && r.kind.creates.has(made.madeBy.method) && made.ownerNode === r.ownerNode) collect(made.kind, made.aliases, false);
      }
    }
    // `const src = await MongoClient.connect(a); const dst = new Client(b); await dst.connect();`: the work of another
    // resource the function made — its awaited creation, its operations (not its release) — fails as network
    // work does, and leaves this one open if it is held there. Not one made by this resource or making it (counted
    // above), nor one made in a callback.
    for (const o of this.siblings) {
      if (o.flow !== r.flow || this.related(r, o)) continue;
      // A variable that holds either (`let client = new Client(a); … client = new Client(b)`): its operations are
      // this one's too, counted above as its own.
      collect(o.kind, [...o.aliases].filter((v) => !r.aliases.has(v)), false, true);
      // `await subscribeChannel(subscriber, ch)`: a helper of the file awaiting an operation on the other resource.
      if (![...o.aliases].some((v) => r.aliases.has(v))) out.push(...this.rejectingHelperCalls(o), ...this.handleRejections(o));
      out.push(...this.siblingErrorWaits(o));
      const creation = climbValue(o.report).parent;
      if (creation?.type === AST_NODE_TYPES.AwaitExpression && o.report.type === AST_NODE_TYPES.CallExpression && enclosingFunction(creation) === r.ownerNode) {
        out.push({ call: o.report, name: calleeName(o.report) ?? 'the creation' });
      }
    }
    // In source order: the message names the first await that can leave it open.
    return out.sort((a, b) => a.call.range[0] - b.call.range[0]);
  }

  /**
   * Is the promise of this call continued by a `.then(onFulfilled)` whose function releases the resource, before any
   * link that handles a rejection (`.catch(h)`, `.then(ok, failed)`, `.finally(h)`), and does no later link release it
   * on a rejection? When the operation rejects, the chain skips that function: nothing releases the resource. Not a
   * chain dropped with no rejection handler at all: that rejection is unhandled, and ends the process.
   */
  private releasedOnlyOnFulfilment(call: TSESTree.CallExpression): boolean {
    const releases = (arg: TSESTree.Node | undefined): boolean => {
      const fn = arg && arg.type !== AST_NODE_TYPES.SpreadElement ? this.m.functionValue(arg) : undefined;
      return !!fn && this.r.releasesInside(fn);
    };
    let link: TSESTree.Node = climbValue(call);
    let released = false;
    let handled = false;
    for (let i = 0; i < 16; i++) {
      const member = link.parent;
      const next = member?.parent;
      if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== link || next?.type !== AST_NODE_TYPES.CallExpression || next.callee !== member) break;
      const name = propertyName(member);
      const [first, second] = next.arguments;
      if (!released) {
        // Only plain fulfilment links before the one that releases.
        if (name !== 'then' || second) return false;
        released = releases(first);
      } else if ((name === 'then' && releases(second)) || ((name === 'catch' || name === 'finally') && releases(first))) {
        return false;
      } else if (name === 'catch' || (name === 'then' && second)) {
        handled = true;
      }
      link = climbValue(next);
    }
    // A chain dropped without a rejection handler: its rejection is unhandled, and Node ends the process.
    const p = link.parent;
    const dropped = p?.type === AST_NODE_TYPES.ExpressionStatement || (p?.type === AST_NODE_TYPES.UnaryExpression && p.operator === 'void');
    return released && (handled || !dropped);
  }

  /**
   * `await new Promise((resolve, reject) => { server.once('error', reject); server.listen(0, resolve); })` in the owning
   * function, `server` another resource it made: the promise rejects when that resource fails, as an operation of it
   * does (the exemption of a failed `listen()`, which closed the server, is the server's own, not this one's).
   */
  private siblingErrorWaits(o: Resource): RejectingAwait[] {
    const out: RejectingAwait[] = [];
    const errorEvent = o.kind.errorEvent?.name ?? 'error';
    for (const v of o.aliases) {
      if (this.r.aliases.has(v)) continue;
      for (const ref of v.references) {
        const mc = methodCallOn(ref.identifier);
        if (!mc || !LISTENER_METHODS.has(mc.name) || stringValue(mc.call.arguments[0]) !== errorEvent) continue;
        const listener = mc.call.arguments[1] ? unwrap(mc.call.arguments[1]) : undefined;
        const executor = enclosingFunction(mc.call);
        const promise = executor?.parent;
        const reject = executor?.params[1];
        if (listener?.type !== AST_NODE_TYPES.Identifier || reject?.type !== AST_NODE_TYPES.Identifier || listener.name !== reject.name || this.m.varOf.get(listener)?.defs[0]?.name !== reject) continue;
        if (!executor || promise?.type !== AST_NODE_TYPES.NewExpression || !isExecutor(executor) || climbValue(promise).parent?.type !== AST_NODE_TYPES.AwaitExpression || enclosingFunction(promise) !== this.r.ownerNode) continue;
        // Open once the executor has run (what it hands on synchronously, `conn.connect({ sock })`, is gone by then).
        out.push({ call: promise, openAt: climbValue(promise).parent, name: 'Promise', describe: `the promise at line ${line(promise)} rejects (on the ${o.kind.name}'s '${errorEvent}')` });
      }
    }
    return out;
  }

  /** Is one of the two made by a method of the other (`conn.createChannel()`, `pool.getConnection()`)? */
  private related(r: Resource, o: Resource): boolean {
    return (!!o.madeBy && r.aliases.has(o.madeBy.variable)) || (!!r.madeBy && o.aliases.has(r.madeBy.variable));
  }

  /**
   * `const mq = new Queue(pool); … await mq.drop(); await pool.end()`, `const db = drizzle(con); await migrate(db)`:
   * the resource given to a call or `new` that only borrows it (no hand-off there: the function releases it itself
   * afterwards), whose value is kept in a local constant — a handle working on the resource. An awaited method call
   * on the handle, or an awaited call given it, in the owning function, rejects with the resource as it is there.
   */
  private handleRejections(r: Resource = this.r): RejectingAwait[] {
    const out: RejectingAwait[] = [];
    for (const v of r.aliases) {
      for (const ref of v.references) {
        const arg = climbValue(ref.identifier);
        const call = arg.parent;
        if (ref.init || (call?.type !== AST_NODE_TYPES.CallExpression && call?.type !== AST_NODE_TYPES.NewExpression) || !call.arguments.includes(arg as TSESTree.CallExpressionArgument)) continue;
        if (enclosingFunction(call) !== this.r.ownerNode || (r.ops.get(arg) ?? []).some((o) => o.t === 'kill')) continue;
        const handle = handleOf(call, this.m.varOf);
        for (const use of handle?.references ?? []) {
          const id = use.identifier;
          if (use.init || id.range[0] <= call.range[1] || enclosingFunction(id) !== this.r.ownerNode) continue;
          const mc = methodCallOn(id);
          const given = climbValue(id).parent;
          const awaited: TSESTree.CallExpression | undefined = mc
            ? mc.call
            : given?.type === AST_NODE_TYPES.CallExpression && given.arguments.includes(climbValue(id) as TSESTree.CallExpressionArgument)
              ? given
              : undefined;
          // (Not this resource's own creation: when that rejects, there is nothing to release.)
          if (!awaited || contains(awaited, this.r.report) || climbValue(awaited).parent?.type !== AST_NODE_TYPES.AwaitExpression || this.m.isSurelyNoPromise(awaited)) continue;
          out.push({ call: awaited, name: mc?.name ?? calleeName(awaited) ?? 'the call' });
        }
      }
    }
    return out;
  }

  /**
   * `await insertEvent(client, name)`: an awaited call of a function of the file (or a method of the class) that is
   * given the resource and awaits (or returns) an operation on it that can reject — its rejection is that
   * operation's. Not when the function releases or hands off what it is given (then the call does).
   */
  private rejectingHelperCalls(r: Resource = this.r): RejectingAwait[] {
    // (For another resource of the function, only its same-file helpers: the rest asks how this one is released.)
    const own = r === this.r;
    const out: RejectingAwait[] = [];
    const handles = new Set(r.handles);
    for (const v of [...r.aliases, ...r.handles]) {
      for (const ref of v.references) {
        const id = ref.identifier as TSESTree.Identifier;
        if (ref.init || ref.isWrite() || !contains(r.ownerNode, id)) continue;
        // A handle of the resource given instead (`await runHook(client.db('app'))`, or one held in a local) works
        // through its connection: its failure is the resource's as well.
        const viaHandle = handles.has(v) || !!this.handleTaken(id, r.kind);
        let value = climbValue(this.handleTaken(id, r.kind) ?? id);
        // `await read({ connection, table })`: given in an options literal, as the argument itself.
        const prop = value.parent;
        if (prop?.type === AST_NODE_TYPES.Property && prop.value === value && prop.parent.type === AST_NODE_TYPES.ObjectExpression) value = climbValue(prop.parent);
        const call = value.parent;
        if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee === value) continue;
        const index = call.arguments.indexOf(value as TSESTree.CallExpressionArgument);
        if (index < 0 || climbValue(call).parent?.type !== AST_NODE_TYPES.AwaitExpression || enclosingFunction(call) !== r.ownerNode) continue;
        const fn = this.m.functionValue(call.callee) ?? this.m.methodOf(call.callee);
        if (fn) {
          if (viaHandle || r.ops.get(call)?.some((o) => o.t === 'kill')) continue;
          const param = fn.params[index];
          const pv = param?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(param) : undefined;
          if (pv && awaitsOperationOn(r.kind, pv, fn, this.m)) out.push({ call, name: calleeName(call) ?? 'the call' });
          else if (own && pv && this.givesUpByTimer(fn, pv)) {
            out.push({ call, name: calleeName(call) ?? 'the call', openAt: value, describe: `${calleeName(call) ?? 'the call'}() at line ${line(call)} gives up on it by a timer` });
          }
          continue;
        }
        if (!own) continue;
        // `await repo.insert(client, row); client.release();`: a function of another module that the function
        // releases the resource after only borrows it, and its rejection skips that release.
        // `await once(sock, 'connect')`, `await pipeline(src, sock)`: they reject when the stream errors, and an error
        // destroys a stream socket.
        const name = calleeName(call);
        if (name !== undefined && STREAM_WAITERS.has(name) && r.kind.errorEvent?.destroys) continue;
        // `await once(server, 'listening')` (or another module's event-wait helper given the server and that event,
        // `await promise(server, 'listening')`, `await pEvent(server, 'listening')`): rejects only on the server's
        // 'error' before it listens, a failed `listen()` that closed its handle, so the release after it is not
        // skipped with anything open.
        if (r.kind.errorEvent?.failedListen && stringValue(call.arguments[index + 1]) === 'listening') continue;
        // `await once(udp, 'listening')`: rejects on the resource's own 'error', which leaves it open (a failed
        // `bind()` does not close a dgram socket), whatever the function does with it afterwards.
        if (rejectsOnOwnError(r.kind, call, index) || this.releasedLaterInOwner(call)) out.push({ call, name: name ?? 'the call', openAt: value });
      }
    }
    // `const handle = { client, database }; await this.query(handle, sql)` where `query(handle, sql)` awaits or returns
    // `handle.client.query(sql)`: the helper's operation on the resource, through the object it was put in.
    for (const [c, prop] of r.holders) {
      const props = new Set([prop]);
      for (const ref of c.references) {
        const id = ref.identifier as TSESTree.Identifier;
        if (ref.init || ref.isWrite() || !contains(r.ownerNode, id)) continue;
        const call = id.parent;
        if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee === id || enclosingFunction(call) !== r.ownerNode) continue;
        if (climbValue(call).parent?.type !== AST_NODE_TYPES.AwaitExpression || r.ops.get(call)?.some((o) => o.t === 'kill')) continue;
        const fn = this.m.functionValue(call.callee) ?? this.m.methodOf(call.callee);
        const param = fn?.params[call.arguments.indexOf(id)];
        const pv = param?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(param) : undefined;
        if (fn && pv && awaitsOperationThrough(r.kind, pv, props, fn)) out.push({ call, name: calleeName(call) ?? 'the call' });
      }
    }
    return out;
  }

  /** `client.db('app')` (and calls chained on it: `.collection('jobs')`): the outermost such call, for a reference of the resource. */
  private handleTaken(id: TSESTree.Identifier, kind: ResourceKind = this.r.kind): TSESTree.CallExpression | undefined {
    const handles = kind.handles;
    if (!handles) return undefined;
    let mc = methodCallOn(id);
    if (!mc || !handles.has(mc.name)) return undefined;
    let call = mc.call;
    for (let next = methodCallOn(call); next && !LISTENER_METHODS.has(next.name); next = methodCallOn(call)) {
      mc = next;
      call = mc.call;
    }
    return call;
  }

  /**
   * `await new Promise((resolve, reject) => client.send(msg, port, host, (err) => (err ? reject(err) : resolve())))`:
   * an operation on the resource made in an awaited Promise executor, whose callback rejects the promise (and
   * releases nothing): the await rejects when the operation fails. Not for a kind whose error destroys it.
   */
  private promisifiedOperations(): RejectingAwait[] {
    const r = this.r;
    const out: RejectingAwait[] = [];
    // A socket whose error destroys it (a failed `write(data, cb)` errors the stream) is released by the failure.
    const failureDestroys = !!r.kind.errorEvent?.destroys;
    const callbackFailureDestroys = failureDestroys && !r.kind.errorEvent?.callbackErrorsLeaveOpen;
    for (const v of r.aliases) {
      for (const ref of v.references) {
        if (ref.init || ref.isWrite()) continue;
        const mc = methodCallOn(ref.identifier);
        const executor = mc ? enclosingFunction(mc.call) : undefined;
        if (!mc || !executor || !isExecutor(executor)) continue;
        const promise = executor.parent;
        if (!this.awaitedInOwner(promise)) continue;
        const reject = executor.params[1];
        const rv = reject?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(reject) : undefined;
        if (!rv) continue;
        if (canReject(r.kind, mc.call, mc.name)) {
          if (callbackFailureDestroys) continue;
          const callback = callbackReading(mc.call, rv, this.m);
          if (callback && !r.releasesInside(callback)) out.push({ call: promise, name: mc.name, openAt: promise });
          continue;
        }
        // `client.once('error', reject)`: a listener of the resource that rejects the promise (an error that leaves
        // the client open: MQTT.js, ioredis keep reconnecting).
        const event = LISTENER_METHODS.has(mc.name) ? stringValue(mc.call.arguments[0]) : undefined;
        const listener = mc.call.arguments[1];
        if (event === undefined || !listener || listener.type === AST_NODE_TYPES.SpreadElement) continue;
        // A server's error while it is not listening yet is a failed `listen()`, which closed its handle: nothing is
        // left open (`server.once('error', reject); server.listen(port, resolve)`).
        if (r.kind.errorEvent?.failedListen && event === r.kind.errorEvent.name) continue;
        // A listener of an event that comes only once it is released (its destroying error, its close) rejects with
        // nothing open, one of an event it never emits never runs; a 'timeout' listener is checked on its own (it must
        // release the socket).
        if (this.releasedAtEntryEvent(event) || (failureDestroys && event === r.kind.errorEvent?.name) || event === r.kind.idleTimeout?.event) continue;
        const fn = this.m.functionValue(listener);
        const rejects = fn ? rv.references.some((x) => contains(fn, x.identifier)) && !r.releasesInside(fn) : unwrap(listener).type === AST_NODE_TYPES.Identifier && this.m.varOf.get(unwrap(listener) as TSESTree.Identifier) === rv;
        if (rejects) out.push({ call: promise, name: mc.name, openAt: promise, describe: `its '${event}' listener at line ${line(mc.call)} rejects the promise awaited at line ${line(promise)}` });
      }
    }
    return out;
  }

  /**
   * `await new Promise((resolve, reject) => { ws.once('open', resolve); setTimeout(() => reject(new Error('timeout')),
   * 5000); })`: a `setTimeout` armed in an awaited executor that uses the resource, whose callback (or `reject` itself)
   * rejects the promise without releasing the resource: the await rejects with it still open (connecting).
   */
  private timerRejections(): RejectingAwait[] {
    const r = this.r;
    const executors = new Set<FunctionNode>();
    for (const v of r.aliases) {
      for (const ref of v.references) {
        const fn = ref.init ? undefined : enclosingFunction(ref.identifier);
        if (fn && isExecutor(fn) && this.awaitedInOwner(fn.parent)) executors.add(fn);
      }
    }
    const out: RejectingAwait[] = [];
    for (const executor of executors) {
      const promise = executor.parent;
      // `await Promise.race([connected, new Promise((_, reject) => setTimeout(() => reject(…), ms))])`: a timer of a
      // sibling promise rejects the race too.
      const race = awaitedInAll(promise, false);
      const siblings = race ? (race.arguments[0] as TSESTree.ArrayExpression).elements.map((e) => (e && e.type !== AST_NODE_TYPES.SpreadElement ? unwrap(e) : undefined)) : [promise];
      for (const sibling of siblings) {
        const own = sibling?.type === AST_NODE_TYPES.NewExpression && sibling.arguments[0] ? this.m.functionValue(sibling.arguments[0]) : undefined;
        const timer = own && isExecutor(own) ? this.rejectingTimer(own, (fn) => r.releasesInside(fn)) : undefined;
        if (!timer || this.handshakeGivesUpFirst(timer)) continue;
        const awaited = race ?? promise;
        out.push({ call: promise, name: 'setTimeout', openAt: promise, describe: `the timer at line ${line(timer)} rejects the promise awaited at line ${line(awaited)}` });
        break;
      }
    }
    out.push(...this.storedSettleRejections());
    return out;
  }

  /**
   * `const connected = new Promise((resolve, reject) => { resolveConnected = resolve; rejectConnected = reject; });
   * setTimeout(() => rejectConnected?.(new Error('timeout')), ms); ws.onmessage = () => resolveConnected?.(); … await
   * connected;`: a promise named by a `const` and awaited in the owning function, whose settle functions are kept
   * in variables (or used as they are) and called by the resource's own listeners (it waits on the resource), and a
   * `setTimeout` armed in the owning function or the executor whose callback rejects it without releasing the
   * resource: the await rejects with the resource still open.
   */
  private storedSettleRejections(): RejectingAwait[] {
    const r = this.r;
    const out: RejectingAwait[] = [];
    // No timer in the file, or no listener: nothing to look for.
    if (r.registrations.length === 0 || !this.m.syntax.callsByName.has('setTimeout')) return out;
    /** The executor whose resolve or reject `v` is (a parameter), or holds (`rejectConnected = reject`). */
    type Settle = { executor: FunctionNode; role: 'resolve' | 'reject'; promise?: Variable };
    const executorOf = (v: Variable): Settle | undefined => {
      const fromParam = (p: Variable | undefined): Settle | undefined => (p ? this.m.executorOf(p) : undefined);
      const direct = fromParam(v);
      if (direct) return direct;
      const stores = v.references.filter((ref) => ref.isWrite() && !ref.init);
      if (stores.length !== 1) return undefined;
      const assign = stores[0].identifier.parent;
      const right = assign?.type === AST_NODE_TYPES.AssignmentExpression && assign.operator === '=' ? unwrap(assign.right) : undefined;
      const found = right?.type === AST_NODE_TYPES.Identifier ? fromParam(this.m.varOf.get(right)) : undefined;
      return found && enclosingFunction(assign) === found.executor ? found : undefined;
    };
    const calledVariable = (call: TSESTree.CallExpression): Variable | undefined => {
      const callee = unwrap(call.callee);
      return callee.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(callee) : undefined;
    };
    // Each executor with the variable of its promise: a `const` initialised with the `new Promise`, or the
    // `promise` of `Promise.withResolvers()` (whose "executor" is the function declaring it).
    const executors = new Map<FunctionNode, Variable | undefined>();
    for (const reg of r.registrations) {
      if (!reg.fn) continue;
      for (const call of this.m.syntax.callsWithin(reg.fn)) {
        const v = calledVariable(call);
        const found = v ? executorOf(v) : undefined;
        if (found) executors.set(found.executor, found.promise);
      }
    }
    for (const [executor, resolversPromise] of executors) {
      let pv = resolversPromise;
      if (isExecutor(executor)) {
        const promise = executor.parent as TSESTree.NewExpression;
        if (enclosingFunction(promise) !== r.ownerNode) continue;
        const decl = climbValue(promise).parent;
        pv = decl?.type === AST_NODE_TYPES.VariableDeclarator && decl.init === climbValue(promise) && decl.parent.kind === 'const' && decl.id.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(decl.id) : undefined;
      } else if (executor !== r.ownerNode) continue;
      const awaited = pv?.references.find((ref) => !ref.init && climbValue(ref.identifier).parent?.type === AST_NODE_TYPES.AwaitExpression && enclosingFunction(ref.identifier) === r.ownerNode)?.identifier;
      if (!awaited) continue;
      for (const call of this.m.syntax.callsWithin(r.ownerNode)) {
        if (calleeName(call) !== 'setTimeout') continue;
        const at = enclosingFunction(call);
        if (at !== r.ownerNode && at !== executor) continue;
        const arg = call.arguments[0];
        const cb = arg ? this.m.functionValue(arg) : undefined;
        const rejectsHere = (c: TSESTree.CallExpression | TSESTree.Node | undefined): boolean => {
          const v = c?.type === AST_NODE_TYPES.CallExpression ? calledVariable(c) : c?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(c) : undefined;
          const found = v ? executorOf(v) : undefined;
          return found?.role === 'reject' && found.executor === executor;
        };
        const rejects = cb ? !r.releasesInside(cb) && this.m.syntax.callsWithin(cb).some((c) => rejectsHere(c)) : rejectsHere(arg ? unwrap(arg) : undefined);
        if (!rejects) continue;
        out.push({ call: awaited, name: 'setTimeout', openAt: awaited, describe: `the timer at line ${line(call)} rejects the promise awaited at line ${line(awaited)}` });
        break;
      }
    }
    return out;
  }

  /**
   * `function waitForConnection(ws, ms) { return new Promise((resolve, reject) => { setTimeout(() => reject(new
   * Error('timeout')), ms); ws.once('open', resolve); … }); }`: a function of the file that returns a promise whose
   * executor waits on the resource it is given (`param`) and whose `setTimeout` rejects it without releasing that
   * resource: awaited, it rejects with the resource still connecting.
   */
  private givesUpByTimer(fn: FunctionNode, param: Variable): boolean {
    const body = fn.body;
    const returned =
      body.type === AST_NODE_TYPES.BlockStatement
        ? body.body.find((st): st is TSESTree.ReturnStatement => st.type === AST_NODE_TYPES.ReturnStatement)?.argument
        : body;
    const promise = returned ? unwrap(returned) : undefined;
    const executor = promise?.type === AST_NODE_TYPES.NewExpression && promise.arguments[0] ? this.m.functionValue(promise.arguments[0]) : undefined;
    if (!executor || !isExecutor(executor) || !param.references.some((ref) => contains(executor, ref.identifier))) return false;
    const releasesParam = (f: FunctionNode): boolean => callsMethodIn(param, f, (name) => this.r.kind.releases.has(name) || this.r.kind.destroys.has(name));
    return !!this.rejectingTimer(executor, releasesParam);
  }

  /**
   * The `setTimeout` armed in `executor` that rejects its promise: `setTimeout(reject, ms)`, or a timer callback that
   * calls `reject` and in which `releases` finds no release.
   */
  private rejectingTimer(executor: FunctionNode, releases: (fn: FunctionNode) => boolean): TSESTree.CallExpression | undefined {
    const reject = executor.params[1];
    const rv = reject?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(reject) : undefined;
    for (const ref of rv?.references ?? []) {
      const id = ref.identifier;
      const call = id.parent;
      let timer: TSESTree.CallExpression | undefined;
      if (call?.type === AST_NODE_TYPES.CallExpression && call.arguments[0] === id && calleeName(call) === 'setTimeout') {
        timer = call;
      } else if (call?.type === AST_NODE_TYPES.CallExpression && call.callee === id) {
        const fn = enclosingFunction(call);
        const role = fn && fn !== executor ? callbackRole(fn) : undefined;
        if (role?.via === 'timer' && role.timer === 'setTimeout' && !releases(fn as FunctionNode)) timer = role.call;
      }
      if (timer && enclosingFunction(timer) === executor) return timer;
    }
    return undefined;
  }

  /**
   * Does the library give up on the handshake, releasing the resource itself (the kind's
   * {@link ResourceKind.handshakeDeadline}), no later than this timer fires? Where the owner opens it with an options
   * literal whose deadline option is the timer's own delay (the same constant, or the same variable never assigned
   * again), a number no larger, or absent while the delay is at least the library's default.
   */
  handshakeGivesUpFirst(timer: TSESTree.CallExpression): boolean {
    const deadline = this.r.kind.handshakeDeadline;
    const delay = timer.arguments[1] ? unwrap(timer.arguments[1]) : undefined;
    if (!deadline || !delay) return false;
    const delayMs = numberLiteral(delay);
    for (const mc of this.callsOf(deadline.methods)) {
      if (!contains(this.r.ownerNode, mc.call)) continue;
      const options = mc.call.arguments[0] ? this.literalOptions(unwrap(mc.call.arguments[0])) : undefined;
      if (!options || options.properties.some((p) => p.type !== AST_NODE_TYPES.Property || p.computed)) continue;
      const prop = options.properties.find((p) => p.type === AST_NODE_TYPES.Property && keyName(p.key) === deadline.option) as TSESTree.Property | undefined;
      if (!prop) {
        if (delayMs !== undefined && delayMs >= deadline.defaultMs) return true;
        continue;
      }
      const value = unwrap(prop.value);
      const ms = numberLiteral(value);
      if (ms !== undefined && delayMs !== undefined && ms > 0 && ms <= delayMs) return true;
      if (value.type === AST_NODE_TYPES.Identifier && delay.type === AST_NODE_TYPES.Identifier) {
        const same = this.m.varOf.get(value);
        if (same && same === this.m.varOf.get(delay) && neverReassigned(same)) return true;
      }
    }
    return false;
  }

  /**
   * Does the owner call one of `methods` on the resource, and give every such call options that never get `option`
   * (see {@link optionsWithout})?
   */
  private optionNeverGiven(methods: ReadonlySet<string>, option: string): boolean {
    const calls = this.callsOf(methods);
    return calls.length > 0 && calls.every((mc) => !!mc.call.arguments[0] && this.optionsWithout(unwrap(mc.call.arguments[0]), option));
  }

  /** The calls of one of `methods` on the resource, through any of its aliases (`conn.connect(opts)`). */
  private callsOf(methods: ReadonlySet<string>): Array<NonNullable<ReturnType<typeof methodCallOn>>> {
    const out: Array<NonNullable<ReturnType<typeof methodCallOn>>> = [];
    for (const v of this.r.aliases) {
      for (const ref of v.references) {
        const mc = methodCallOn(ref.identifier);
        if (mc && methods.has(mc.name)) out.push(mc);
      }
    }
    return out;
  }

  /**
   * Options that never get `option`: an object literal of plain properties without it, directly or through a `const`
   * initialised with one whose other uses only read or set other properties (`connOpts.sock = s; delete connOpts.host`).
   */
  private optionsWithout(arg: TSESTree.Node, option: string): boolean {
    const plain = (o: TSESTree.ObjectExpression): boolean => o.properties.every((p) => p.type === AST_NODE_TYPES.Property && !p.computed && keyName(p.key) !== option);
    if (arg.type === AST_NODE_TYPES.ObjectExpression) return plain(arg);
    if (arg.type !== AST_NODE_TYPES.Identifier) return false;
    const v = this.m.varOf.get(arg);
    const def = v?.defs[0]?.node;
    if (!v || v.defs.length !== 1 || def?.type !== AST_NODE_TYPES.VariableDeclarator || def.parent.kind !== 'const') return false;
    const init = def.init ? unwrap(def.init) : undefined;
    if (init?.type !== AST_NODE_TYPES.ObjectExpression || !plain(init)) return false;
    return v.references.every((ref) => {
      const id = ref.identifier;
      const p = id.parent;
      if (ref.init || id === arg) return true;
      // `opts.x` read, set, or deleted: not the option, and not by a computed name.
      return p?.type === AST_NODE_TYPES.MemberExpression && p.object === id && !p.computed && propertyName(p) !== option;
    });
  }

  /** An object literal given as options, directly or through a `const` initialised with one. */
  private literalOptions(arg: TSESTree.Node): TSESTree.ObjectExpression | undefined {
    if (arg.type === AST_NODE_TYPES.ObjectExpression) return arg;
    if (arg.type !== AST_NODE_TYPES.Identifier) return undefined;
    const v = this.m.varOf.get(arg);
    const def = v?.defs[0]?.node;
    if (!v || v.defs.length !== 1 || def?.type !== AST_NODE_TYPES.VariableDeclarator || def.parent.kind !== 'const') return undefined;
    const init = def.init ? unwrap(def.init) : undefined;
    // Its properties may be set after the declaration (`opts.readyTimeout = 5000`): only a literal read as it is.
    const readAsIs = v.references.every((r) => r.init || r.identifier.parent?.type !== AST_NODE_TYPES.MemberExpression);
    return init?.type === AST_NODE_TYPES.ObjectExpression && readAsIs ? init : undefined;
  }

  /** Is `node` awaited in the owning function itself (`await new Promise(…)`, not in a callback of it)? */
  awaitedInOwner(node: TSESTree.Node): boolean {
    if (enclosingFunction(node) !== this.r.ownerNode) return false;
    // Also an element of an awaited `Promise.race([…])` or `Promise.all([…])`: its rejection rejects the await.
    return climbValue(node).parent?.type === AST_NODE_TYPES.AwaitExpression || awaitedInAll(node, false) !== undefined;
  }

  /** Does the owning function itself release the resource after `node` (later in its own code)? */
  /**
   * Is the listener registered on an auto-typed `let` (`let conn;`, typed by its assignments) where TypeScript types
   * it as another value (`conn = utp.connect(…); conn.on('timeout', …)` in the branch that does not make this socket)?
   */
  private onAnotherValue(reg: Registration): boolean {
    const member = reg.call.type === AST_NODE_TYPES.CallExpression ? calleeMember(reg.call) : undefined;
    const receiver = member ? unwrap(member.object) : undefined;
    const def = receiver?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(receiver)?.defs[0] : undefined;
    if (!receiver || def?.type !== DefinitionType.Variable || def.node.init || def.node.id.type !== AST_NODE_TYPES.Identifier || def.node.id.typeAnnotation) return false;
    return this.m.kindOfFlowType(receiver) !== this.r.kind;
  }

  releasedLaterInOwner(node: TSESTree.Node): boolean {
    for (const [at, ops] of this.r.ops) {
      if (at.range[0] > node.range[1] && enclosingFunction(at) === this.r.ownerNode && ops.some((o) => o.t === 'kill' && o.why === 'release')) return true;
    }
    return false;
  }

  /**
   * Exits by a rejection that a `try` takes: an awaited operation on the resource inside a `try` block rejects into
   * its `catch` (or `finally`) block, and from there no path releases or hands off the resource before the function
   * ends (a `catch` that logs and goes on, a rethrow, a `finally` that does not release it). The flow is solved once
   * more with those awaits throwing, routed like `throw` statements.
   */
  private caughtRejectionDetails(rejecting: readonly RejectingAwait[], details: Detail[]): void {
    // The await expression that rejects → the operation and the `try` statement that takes it.
    const awaits = new Map<TSESTree.Node, { awaited: RejectingAwait; attempt: TSESTree.TryStatement | undefined }>();
    const inCatchBlocks: Array<[TSESTree.Node, RejectingAwait]> = [];
    for (const awaited of rejecting) {
      const node = climbValue(awaited.call).parent;
      const attempt = enclosingTry(awaited.call, this.r.ownerNode);
      // `catch (e) { await conn.rollback(); conn.release(); }` without a finally: entered only by a rejection of
      // its try block, whose own rejection leaves the function (or goes to an outer try).
      if (!attempt && node?.type === AST_NODE_TYPES.AwaitExpression && inCatchBlock(awaited.call, this.r.ownerNode)) inCatchBlocks.push([awaited.openAt ?? node, awaited]);
      // A call given the resource (`await insert(client)`) hands it over as it runs: the rejection leaves it open as
      // it was where it is passed (the state before that argument), so the throw is routed from there.
      if (node?.type === AST_NODE_TYPES.AwaitExpression && attempt) awaits.set(awaited.openAt ?? node, { awaited, attempt });
    }
    if (awaits.size === 0) return;
    for (const [node, awaited] of inCatchBlocks) if (!awaits.has(node)) awaits.set(node, { awaited, attempt: undefined });
    const base = problemFor(this.r, null, this.predicateOf);
    // Where a path that took a rejection gives the last variable holding it another value (`target = undefined` in the
    // catch block): the resource is dropped there, open.
    const droppedAt = new Map<TSESTree.Node, TSESTree.Node>();
    const problem: ForwardProblem<LeakState> = {
      ...base,
      transfer: (state, node, segment) => {
        const next = base.transfer(state, node, segment);
        const from = state?.rejected;
        // Overwritten, or made anew (a retry loop's next iteration: `while (true) { try { conn = await connect(); …;
        // break; } catch { await sleep(ms); } }`) while the one the rejection left open is still held.
        if (from && isOpen(state) && !droppedAt.has(from) && this.r.ops.get(node)?.some((o) => o.t === 'overwrite' || o.t === 'create')) droppedAt.set(from, node);
        return isOpen(next) && from && next !== state ? { ...next, rejected: from } : next;
      },
      throwsAt: (state, node, before) => {
        const caught = awaits.get(node);
        const open = caught?.awaited.openAt === node ? before : state;
        return caught && isOpen(open) ? { ...open, rejected: node } : undefined;
      },
    };
    const result = solveForward(this.r.flow, problem);
    const leaked = new Set<TSESTree.Node>();
    for (const perMode of result.outByMode.values()) {
      for (const [mode, state] of perMode) {
        const from = state?.rejected;
        // (A path that leaves by a return after the catch ends the process too when every return of the function does.)
        if (from && !(mode === Mode.Throwing ? this.throwEndsProcess : this.returnEndsProcess)) leaked.add(from);
      }
    }
    for (const node of droppedAt.keys()) leaked.add(node);
    for (const node of leaked) {
      const caught = awaits.get(node);
      if (!caught) continue;
      const { awaited, attempt } = caught;
      const dropped = droppedAt.get(node);
      if (dropped && attempt) {
        const remade = this.r.ops.get(dropped)?.some((o) => o.t === 'create');
        details.push({ rank: 0.5, text: `when ${rejectionText(awaited)} (${remade ? `another is made at line ${line(dropped)}` : `it is overwritten at line ${line(dropped)}`})`, rejection: true });
        continue;
      }
      if (!attempt) {
        details.push({ rank: 2, text: `when ${rejectionText(awaited)}`, rejection: true });
        continue;
      }
      const inCatch = !!attempt.handler && contains(attempt.handler, awaited.call);
      const block = attempt.handler && !inCatch ? `the catch block at line ${line(attempt.handler)}` : `the finally block at line ${line(attempt.finalizer ?? attempt)}`;
      // Last in preference: a path that leaks without any failure says more.
      details.push({ rank: 0.5, text: `when ${rejectionText(awaited)} (${block} does not release it)`, rejection: true });
    }
  }

  /** The first of {@link droppedFieldDetails}' details: the field the resource is kept in cleared while it holds it. */
  droppedFieldDetail(): Detail | undefined {
    const details: Detail[] = [];
    this.droppedFieldDetails(details);
    return details[0];
  }

  /**
   * A resource that its owning function stores in `this.<field>` and then, on some path, clears that field itself
   * (`this.channel = undefined` in a `catch`, `= null`) with nothing released since: the object
   * no longer holds it, and nothing else does. The field's value read otherwise than as the receiver of a method
   * call (copied, passed on) makes the check give up; a call of a method of the object, or of anything given the
   * object, on the way may release it and ends the path.
   */
  private droppedFieldDetails(details: Detail[]): void {
    const r = this.r;
    const field = r.field;
    const store = field?.assign;
    if (!field || store?.type !== AST_NODE_TYPES.AssignmentExpression || store.operator !== '=') return;
    const recorder = this.m.recorder;
    if (recorder.flowOf(store) !== r.flow) return;
    // The creation's own one-shot callbacks (`tls.connect(opts, () => { … this.sckt = undefined })`) run with the
    // field holding the socket, unless it was released before they run (then they do not run: a released socket
    // emits no 'connect').
    const callbacks = new Set<FunctionFlow>();
    if (store.right === r.report || climbValue(r.report) === store.right) {
      for (const reg of r.registrations) {
        const flow = reg.fn && reg.call === r.report && reg.once && reg.via === 'callback' ? recorder.flowByNode.get(reg.fn) : undefined;
        if (flow) callbacks.add(flow);
      }
    }
    const drops = new Set<TSESTree.Node>();
    for (const n of this.m.syntax.membersByName.get(field.name) ?? []) {
      if (n === store.left || thisMemberName(n) !== field.name || thisClass(n) !== field.cls) continue;
      const flow = recorder.flowOf(n);
      if (flow !== r.flow && !(flow && callbacks.has(flow))) continue;
      const p = n.parent;
      if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === n) {
        // Cleared: `= undefined`, `= null`. Another resource stored there is the reconnect check's (fieldOverwritten).
        if (p.operator === '=' && this.m.isNullish(unwrap(p.right))) drops.add(p);
        continue;
      }
      // `this.f.close()`, `this.f?.close()`, a test of it: the releases among them are ops already. In a callback,
      // a property read (`this.sckt?.authorized`) too.
      if (methodCallOn(n) || isTest(n) || (flow !== r.flow && p?.type === AST_NODE_TYPES.MemberExpression && p.object === n && !isAssigned(p))) continue;
      return;
    }
    if (drops.size === 0) return;
    const base = problemFor(r, null, this.predicateOf);
    const isField = (n: TSESTree.Node): boolean => n.type === AST_NODE_TYPES.MemberExpression && thisMemberName(n) === field.name && thisClass(n) === field.cls;
    const problem: ForwardProblem<LeakState> = {
      ...base,
      transfer: (state, node) => (node === store ? OPEN : state && this.mayEndHold(node) ? null : state),
      // `this.f?.close()`, `if (this.f)`: where the field tests falsy, it holds nothing.
      edge: (state, branch) => (!branch.value && isField(branch.test) ? null : base.edge ? base.edge(state, branch) : state),
    };
    const held = new Set<TSESTree.Node>();
    const collect = (before: LeakState, node: TSESTree.Node): void => {
      if (before) held.add(node);
    };
    replay(r.flow, problem, solveForward(r.flow, problem), collect);
    for (const flow of callbacks) {
      const inCallback: ForwardProblem<LeakState> = { ...problem, entry: OPEN };
      replay(flow, inCallback, solveForward(flow, inCallback), collect);
    }
    for (const drop of drops) {
      if (held.has(drop) || this.droppedInCatch(drop, store, held)) details.push({ rank: 4, text: `before 'this.${field.name}' is cleared at line ${line(drop)}` });
    }
  }

  /** Does `node` release or hand off the resource (an op), or call something that may release what the object holds? */
  private mayEndHold(node: TSESTree.Node): boolean {
    return !!this.r.ops.get(node)?.some((o) => o.t === 'kill' || o.t === 'overwrite') || mayReleaseThroughObject(node);
  }

  /**
   * The engine routes only explicit `throw`s into a `catch`; a call or `await` in the `try` block can throw too.
   * Is `drop` a statement of a `catch` block (before it, nothing that could release the resource) whose `try`
   * block stores the resource and then, with the field still holding it, makes a call that can throw?
   */
  private droppedInCatch(drop: TSESTree.Node, store: TSESTree.Node, held: ReadonlySet<TSESTree.Node>): boolean {
    const statement = drop.parent;
    const handler = statement?.parent?.parent;
    if (statement?.type !== AST_NODE_TYPES.ExpressionStatement || handler?.type !== AST_NODE_TYPES.CatchClause) return false;
    const attempt = handler.parent;
    // The store in the `try` block, or before the `try` in the same function (the field holds it when the block runs).
    if (attempt?.type !== AST_NODE_TYPES.TryStatement) return false;
    if (!contains(attempt.block, store) && !(store.range[1] <= attempt.range[0] && enclosingFunction(store) === enclosingFunction(attempt))) return false;
    // Calls in callbacks defined there do not throw into this `try`.
    const owner = enclosingFunction(store);
    let throws = false;
    walkAst(attempt.block, this.m.sourceCode.visitorKeys, (n) => {
      const call = (n.type === AST_NODE_TYPES.AwaitExpression && !this.rejectsOnlyReleased(n.argument)) || (n.type === AST_NODE_TYPES.CallExpression && !this.registersListener(n) && !isLogCall(n, this.m.varOf) && !this.startsAsyncFunction(n) && !quietCall(n, this.m));
      if (call && n.range[0] > store.range[1] && held.has(n) && enclosingFunction(n) === owner) throws = true;
      return throws;
    });
    if (!throws) return false;
    for (const earlier of handler.body.body) {
      if (earlier === statement) return true;
      let releases = false;
      walkAst(earlier, this.m.sourceCode.visitorKeys, (n) => {
        releases = this.mayEndHold(n) || (n.type === AST_NODE_TYPES.Identifier && this.holdsResource(n));
        return releases;
      });
      if (releases) return false;
    }
    return false;
  }

  /**
   * `this.connect()`, `connect()` not awaited, where that names an async function or method of the file: the call
   * returns a promise, and whatever its body throws rejects that promise instead of throwing here (its arguments are
   * calls of their own, tested apart).
   */
  private startsAsyncFunction(call: TSESTree.CallExpression): boolean {
    if (call.optional || climbValue(call).parent?.type === AST_NODE_TYPES.AwaitExpression) return false;
    const callee = unwrap(call.callee);
    const plain = callee.type === AST_NODE_TYPES.Identifier || (callee.type === AST_NODE_TYPES.MemberExpression && (callee.object.type === AST_NODE_TYPES.ThisExpression || callee.object.type === AST_NODE_TYPES.Identifier));
    if (!plain) return false;
    return classSummaries(this.m).functionCalled(callee)?.async === true;
  }

  /**
   * `new Promise((resolve, reject) => { s.once('error', reject); s.on('connect', () => { s.off('error', reject);
   * resolve(); }); })`: a promise that only the resource's own destroying error (or close) rejects — its executor
   * adds and removes listeners of the resource only, and `reject` is handed only to those. When it rejects, the
   * resource is already released.
   */
  private rejectsOnlyReleased(promise: TSESTree.Node): boolean {
    const p = unwrap(promise);
    const arg = p.type === AST_NODE_TYPES.NewExpression && p.arguments.length === 1 ? p.arguments[0] : undefined;
    const executor = arg ? this.m.functionValue(arg) : undefined;
    if (!arg || !executor || !isExecutor(executor) || unwrap(arg) !== executor) return false;
    const reject = executor.params[1];
    const rv = reject?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(reject) : undefined;
    if (!rv) return false;
    const error = this.r.kind.errorEvent;
    // A server's 'error' before it listens is its failed `listen()`: it holds nothing (its executor may call that
    // `listen()`; a rejection after the listen succeeded changes nothing, the promise is settled by then).
    let failedListen = false;
    for (const ref of rv.references) {
      if (ref.init) continue;
      const call = ref.identifier.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments[1] !== ref.identifier || !this.registersListener(call)) return false;
      if (!this.denotesResource(unwrap((call.callee as TSESTree.MemberExpression).object))) return false;
      const name = propertyName(call.callee as TSESTree.MemberExpression);
      const event = stringValue(call.arguments[0]);
      if (name !== undefined && REMOVE_LISTENER_METHODS.has(name)) continue;
      if (error?.failedListen && event === error.name) {
        failedListen = true;
        continue;
      }
      if (event === undefined || !(releasedBeforeEvent(this.r.kind, event) || (error?.destroys && event === error.name))) return false;
    }
    let other = false;
    let listens = false;
    walkAst(executor.body, this.m.sourceCode.visitorKeys, (n) => {
      if (n.type !== AST_NODE_TYPES.CallExpression || enclosingFunction(n) !== executor || this.registersListener(n)) return other;
      const member = calleeMember(n);
      const name = member ? propertyName(member) : undefined;
      if (failedListen && member && name !== undefined && this.r.kind.idleUntil?.has(name) && this.denotesResource(unwrap(member.object))) listens = true;
      else other = true;
      return other;
    });
    return !other && (!failedListen || listens);
  }

  /**
   * Does this expression denote the resource: an alias, its field (`this.socket`), or a `const` initialised with its
   * creation (`const socket = (this.socket = net.connect(…))`)?
   */
  private denotesResource(node: TSESTree.Node): boolean {
    if (isFieldMember(this.r.field, node)) return true;
    const v = node.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(node) : undefined;
    if (!v) return false;
    if (this.r.aliases.has(v)) return true;
    const def = v.defs[0];
    return v.defs.length === 1 && def?.type === DefinitionType.Variable && def.node.init !== null && def.node.init !== undefined && def.node.parent?.kind === 'const' && contains(def.node.init, this.r.report);
  }

  /**
   * `s.on('error', fn)`, `s.removeListener(…)`, `s.removeAllListeners()` on a resource: an emitter adds or removes listeners without
   * throwing (whatever the listener does runs later).
   */
  private registersListener(call: TSESTree.CallExpression): boolean {
    const callee = unwrap(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
    const name = propertyName(callee);
    if (name === undefined || !(LISTENER_METHODS.has(name) || REMOVE_LISTENER_METHODS.has(name) || name === EVENT_TARGET_METHOD || name === 'removeAllListeners' || name === 'setMaxListeners')) return false;
    // On the resource itself, read back through its field or an alias, whatever the field's declared type (`public
    // webSocket;` is `any`): it is the socket just stored.
    return !!this.m.kindOfNode(callee.object) || this.isResourceRead(callee.object);
  }

  /** `this.f` of the resource's own field (in its class), or a variable that is one of its aliases. */
  private isResourceRead(node: TSESTree.Node): boolean {
    const n = unwrap(node);
    if (isFieldMember(this.r.field, n)) return true;
    const v = n.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(n) : undefined;
    return !!v && this.r.aliases.has(v);
  }

  /** Does this value contain the resource (its creation, or one of its variables)? */
  private holdsResource(value: TSESTree.Node): boolean {
    if (contains(value, this.r.report)) return true;
    return [...this.r.aliases].some((a) => a.references.some((ref) => contains(value, ref.identifier)));
  }

  /** Exits, loop re-entries and overwrites reached with the socket open. */
  private collectPathDetails(flow: FunctionFlow, result: ForwardResult<LeakState>, details: Detail[], isOwner: boolean): void {
    const r = this.r;
    const problem = problemFor(r, null, this.predicateOf);
    replay(flow, problem, result, (state, node) => {
      const ops = r.ops.get(node);
      if (!ops || !isOpen(state)) return;
      for (const op of ops) {
        if (op.t === 'create' && isOwner && r.containers.size === 0) {
          details.push({
            rank: 4,
            text:
              state.witness?.type === AST_NODE_TYPES.ContinueStatement
                ? `on the path that continues at line ${line(state.witness)}, before the loop creates the next one`
                : 'before the loop creates the next one',
          });
        } else if (op.t === 'overwrite') {
          // Reached before the creation in the source: the socket comes round from an earlier iteration.
          const loop = node.range[0] < r.report.range[0] ? ' (it was created in an earlier iteration)' : '';
          // Below "never released" (rank 5): when nothing releases the collection at all, that says it.
          if (op.emptied !== undefined) details.push({ rank: 4.5, text: `before the collection '${op.emptied}' that holds it is emptied at line ${line(node)}${loop}` });
          else details.push({ rank: 4, text: `before it is overwritten at line ${line(node)}${loop}` });
        }
      }
    });
    this.exitDetails(result, details);
  }

  /** Exits reached with the socket open: a return or the end of the function, an explicit throw. */
  private exitDetails(result: ForwardResult<LeakState>, details: Detail[]): void {
    // outByMode holds the exits only, keyed by how the function leaves there.
    for (const perMode of result.outByMode.values()) {
      for (const [mode, out] of perMode) {
        if (isOpen(out) && !(mode === Mode.Throwing ? this.throwEndsProcess : this.returnEndsProcess)) details.push(exitDetail(out.witness, mode === Mode.Throwing));
      }
    }
  }




  /**
   * Listener contexts in which the socket is already gone, and local helpers called only from such contexts
   * (`const fail = (e) => reject(e); client.on('error', (e) => fail(e))`).
   */
  private releasedAtEntry(fn: TSESTree.Node, depth = 0): boolean {
    if (this.r.registrations.some((reg) => reg.fn === fn && this.runsAfterRelease(reg))) return true;
    if (depth > 2 || !isFunction(fn)) return false;
    if (this.continuesRelease(fn)) return true;
    const p = fn.parent;
    // Named by a declaration, a `const`, or a variable it is assigned to (`let onError; … onError = (e) => reject(e);
    // s.once('error', onError)`): every read of the name must register it.
    const id =
      fn.type === AST_NODE_TYPES.FunctionDeclaration
        ? fn.id
        : p?.type === AST_NODE_TYPES.VariableDeclarator && p.init === fn
          ? p.id
          : p?.type === AST_NODE_TYPES.AssignmentExpression && p.operator === '=' && p.right === fn
            ? p.left
            : undefined;
    const v = id?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(id) : undefined;
    // `socket.off('error', onError)` unregisters it: no run there.
    const unregisters = (ident: TSESTree.Node): boolean => {
      const call = ident.parent;
      return call?.type === AST_NODE_TYPES.CallExpression && call.callee !== ident && REMOVE_LISTENER_METHODS.has(calleeName(call) ?? '');
    };
    const refs = v?.references.filter((ref) => !ref.init && !ref.isWrite() && !unregisters(ref.identifier)) ?? [];
    return (
      refs.length > 0 &&
      refs.every((ref) => {
        const ident = ref.identifier as TSESTree.Identifier;
        const call = ident.parent;
        if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== ident) {
          return this.r.registrations.some((reg) => reg.fnNode === ident && reg.via === 'listener' && this.releasedAtEntryEvent(reg.event));
        }
        for (let f = enclosingFunction(call); f && f !== this.r.ownerNode; f = enclosingFunction(f)) {
          if (f === fn) return false;
          if (this.releasedAtEntry(f, depth + 1)) return true;
        }
        return false;
      })
    );
  }

  /**
   * `client.endAsync(true).then(() => reject(error), () => reject(error))`: a callback of a promise continuation
   * called on a release of the resource (either outcome: the release has run, and ended in its own way).
   */
  private continuesRelease(fn: TSESTree.Node): boolean {
    const call = fn.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return false;
    const callee = unwrap(call.callee);
    const name = callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
    if (callee.type !== AST_NODE_TYPES.MemberExpression || name === undefined || !PROMISE_CONTINUATIONS.has(name)) return false;
    const released = unwrap(callee.object);
    return !!this.r.ops.get(released)?.some((o) => o.t === 'kill' && o.why === 'release');
  }

  entryFor(flow: FunctionFlow): LeakState {
    let f: FunctionFlow | undefined = flow;
    while (f && f !== this.r.flow) {
      if (this.releasedAtEntry(f.node)) return null;
      f = f.parent;
    }
    // A Promise executor runs when `new Promise(…)` is evaluated: a resource idle there on every path is idle in it.
    // So is a callback made where it is idle on every path when nothing outside that callback opens it (`connect()`
    // called only in the callback that makes the tunnel it runs over): whenever the callback runs, it is still idle.
    if (flow !== this.r.flow && isExecutor(flow.node) && this.idleBefore(flow.node)) return IDLE;
    if (flow !== this.r.flow && this.opensOnlyIn(flow.node) && this.heldNowhereBefore(flow.node)) return IDLE;
    if (flow !== this.r.flow && this.madeOnceReleased(flow.node)) return null;
    if (flow !== this.r.flow && this.caughtWhileIdle(flow.node)) return IDLE;
    if (flow !== this.r.flow && this.handedOnBeforeMade(flow)) return null;
    return OPEN;
  }

  /**
   * Is the function of `flow` (or one it is nested in, below the owner) made after a statement of the function that
   * makes it hands the resource on for good (`sockets.set(id, socket)` into a collection of another scope, `keep(socket)`:
   * not a hand-off on success), in that function's own code and on every path to it? Whenever it runs, the resource is
   * someone else's (`net.connect(opts, () => { sockets.set(id, socket); hello().catch(reject); })`).
   */
  private handedOnBeforeMade(flow: FunctionFlow): boolean {
    let known = this.handedOnBefore.get(flow);
    if (known === undefined) {
      known = this.computeHandedOnBeforeMade(flow);
      this.handedOnBefore.set(flow, known);
    }
    return known;
  }

  private readonly handedOnBefore = new Map<FunctionFlow, boolean>();

  private computeHandedOnBeforeMade(flow: FunctionFlow): boolean {
    // Only a resource handed on for good somewhere (most are not).
    if (![...this.r.ops.values()].some((ops) => ops.some((o) => o.t === 'kill' && o.why === 'escape' && !o.success))) return false;
    for (let f: FunctionFlow | undefined = flow; f?.parent && f !== this.r.flow; f = f.parent) {
      const maker = f.parent.node;
      const handsOn = (st: TSESTree.Node): boolean => {
        if (st.type !== AST_NODE_TYPES.ExpressionStatement) return false;
        for (const [node, ops] of this.r.ops) {
          if (contains(st, node) && enclosingFunction(node) === maker && ops.some((o) => o.t === 'kill' && o.why === 'escape' && !o.success)) return true;
        }
        return false;
      };
      if (someStatementBefore(f.node, maker, handsOn)) return true;
    }
    return false;
  }

  /**
   * Is `fn` made in the `catch` block of a `try` whose block makes the resource and then throws only while it is idle
   * (a server before `listen()`, {@link ResourceKind.idleUntil}): after the statement that opens it, the block has
   * nothing that can throw, and the catch block does not open it again (`try { server = net.createServer();
   * server.listen(port, cb); } catch (e) { setImmediate(() => callback(e)); }`: listen() throws before it binds)?
   * Then the resource holds nothing whenever `fn` runs.
   */
  private caughtWhileIdle(fn: TSESTree.Node): boolean {
    const r = this.r;
    const idle = r.kind.idleUntil;
    if (!idle) return false;
    let clause: TSESTree.CatchClause | undefined;
    for (let p = fn.parent; p && p !== r.flow.node; p = p.parent) if (p.type === AST_NODE_TYPES.CatchClause) clause = p;
    const block = clause?.parent.block;
    if (!clause || !block || !contains(block, r.report) || enclosingFunction(block) !== enclosingFunction(r.report)) return false;
    const opensIn = (root: TSESTree.Node): boolean => {
      if (contains(root, r.report) && chainCalls(r.report, idle)) return true;
      for (const v of r.aliases) for (const ref of v.references) if (contains(root, ref.identifier) && chainCalls(ref.identifier, idle)) return true;
      return false;
    };
    if (opensIn(clause)) return false;
    const statements = block.body;
    const made = statements.findIndex((st) => contains(st, r.report));
    const opened = statements.findIndex((st, i) => i >= made && st.type === AST_NODE_TYPES.ExpressionStatement && opensIn(st));
    if (made < 0 || opened < 0) return false;
    const keys = this.m.sourceCode.visitorKeys;
    const throws = (st: TSESTree.Node): boolean => {
      let found = mayThrowImplicitly(st, keys);
      if (!found) walkAst(st, keys, (n) => (found = n.type === AST_NODE_TYPES.ThrowStatement));
      return found;
    };
    return !statements.slice(opened + 1).some(throws);
  }

  /**
   * Is the function `fn` made after a statement of the function around it that releases the resource, on the way to it
   * (a statement of an enclosing block, before the one holding `fn`) — a fallback's listener registered in the error
   * listener that disconnected it (`cluster.disconnect(); const client = new Redis(); client.on('ready', () =>
   * resolve(client))`) — and does it not open the resource again itself (no first use, no reopening method)? Then it
   * runs without it.
   */
  private madeOnceReleased(fn: TSESTree.Node): boolean {
    const r = this.r;
    const around = isFunction(fn) ? enclosingFunction(fn) : undefined;
    if (!around || fn.range[0] < r.report.range[1]) return false;
    for (const [node, ops] of r.ops) if (contains(fn, node) && ops.some((o) => o.t === 'open' || o.t === 'create')) return false;
    for (const v of r.aliases) if (callsMethodIn(v, fn, (name) => r.kind.reopens.has(name))) return false;
    const releases = (st: TSESTree.Node): boolean => {
      if (st.type !== AST_NODE_TYPES.ExpressionStatement) return false;
      let e = unwrap(st.expression);
      if (e.type === AST_NODE_TYPES.AwaitExpression || (e.type === AST_NODE_TYPES.UnaryExpression && e.operator === 'void')) e = unwrap(e.argument);
      return [e, e.parent].some((n) => !!n && !!r.ops.get(n)?.some((o) => o.t === 'kill' && o.why === 'release'));
    };
    let child: TSESTree.Node = fn;
    for (let p = fn.parent; p && p !== around; child = p, p = p.parent) {
      if (p.type !== AST_NODE_TYPES.BlockStatement) continue;
      for (const st of p.body) {
        if (st === child) break;
        if (releases(st)) return true;
      }
    }
    return false;
  }

  /**
   * Is the resource idle, released or handed off on every path that reaches `node`, which comes after its creation (not
   * the creation's own callback, where "not held" only means "not made yet")?
   */
  private heldNowhereBefore(node: TSESTree.Node): boolean {
    if (node.range[0] < this.r.report.range[1]) return false;
    const states = this.statesAt(node);
    return states.length > 0 && !states.some(isOpen);
  }

  /**
   * Does every first use of an idle-created resource ({@link ResourceKind.createdIdle}) that can follow the making of
   * `fn` lie inside `fn`? One on another branch of the function that makes `fn` (`if (jump) jump.forwardOut(…, (err,
   * stream) => { …; client.connect(cfg); }); else client.connect(cfg);`) cannot run once `fn` is made.
   */
  private opensOnlyIn(fn: TSESTree.Node): boolean {
    const flow = this.m.recorder.flowOf(fn);
    let opens = false;
    for (const [node, ops] of this.r.ops) {
      for (const op of ops) {
        if (op.t !== 'open') continue;
        const at = op.at ?? node;
        if (contains(fn, at)) {
          opens = true;
          continue;
        }
        // Where the use is evaluated in `fn`'s own flow (itself, or the function holding it made there).
        let top: TSESTree.Node | undefined = at;
        while (top && this.m.recorder.flowOf(top) !== flow) top = enclosingFunction(top);
        if (!flow || !top || this.reachesIn(flow, fn, top)) return false;
      }
    }
    return opens;
  }

  /** Does some path of `flow` evaluate `from` and then `to`? */
  private reachesIn(flow: FunctionFlow, from: TSESTree.Node, to: TSESTree.Node): boolean {
    const problem = reachability(from);
    let found = false;
    replay(flow, problem, solveForward(flow, problem), (before, n) => {
      if (n === to && before) found = true;
    });
    return found;
  }

  /**
   * Does `node` run only in a callback that the owner hands, written in place, to a timer (`setTimeout(() => …)`),
   * an event registration (`x.on(ev, () => …)`) or a promise's `.then()`/`.catch()`/`.finally()` — or is it such a
   * registration of a function by name (`setTimeout(reject, ms)`) —, while the owner never leaves the resource held
   * where such a callback can run? JavaScript runs a callback only when the owner's code is suspended — at an `await`
   * or `yield` of its own, other than the awaited creation itself — or has ended: if the resource is held at none of
   * those points, the callback finds it not created yet, or already released or handed off.
   */
  runsOnlyWhileNotHeld(node: TSESTree.Node): boolean {
    const registration = (fn: TSESTree.Node): boolean => {
      const role = callbackRole(fn);
      if (!role || role.via !== 'callback') return !!role; // a timer's or a listener
      const name = calleeName(role.call);
      return name !== undefined && (DEFERRING_CALLS.has(name) || PROMISE_CONTINUATIONS.has(name));
    };
    const inner = enclosingFunction(node);
    const top = inner && inner !== this.r.ownerNode ? functionBelow(this.r.ownerNode, inner) : undefined;
    if (top ? !registration(top) : !(node.parent && registration(node))) return false;
    this.heldWhenSuspended ??= this.computeHeldWhenSuspended();
    return !this.heldWhenSuspended;
  }

  private heldWhenSuspended: boolean | undefined;

  private computeHeldWhenSuspended(): boolean {
    const owner = this.r.ownerNode;
    const created = this.r.report;
    let held = false;
    walkAst(owner, this.m.sourceCode.visitorKeys, (n) => {
      if (held) return true;
      const suspends =
        (n.type === AST_NODE_TYPES.AwaitExpression && !contains(n.argument, created)) ||
        n.type === AST_NODE_TYPES.YieldExpression ||
        (n.type === AST_NODE_TYPES.ForOfStatement && n.await);
      if (suspends && enclosingFunction(n) === owner && this.stateAt(n)) held = true;
      return false;
    });
    if (held) return true;
    // Handed over, in the owner, to a function that takes it (a listener that releases or hands it off): it lives
    // on after the owner ends, and the state there no longer shows it.
    for (const [n, ops] of this.r.ops) if (contains(owner, n) && ops.some((o) => o.t === 'kill' && o.why === 'delegate')) return true;
    const result = this.solve(this.r.flow, null);
    for (const byMode of result.outByMode.values()) for (const s of byMode.values()) if (isOpen(s)) return true;
    return false;
  }

  /**
   * Is `node` inside a function defined on a path of the owner that never meets the creation: one that leaves before
   * it, and that no path from it reaches (`if (proxy) { viaProxy((err) => done(err)); return; }` before the socket
   * is made)? Such a function cannot see the resource.
   */
  apartFromCreation(node: TSESTree.Node): boolean {
    const enclosing = enclosingFunction(node);
    const def = enclosing && functionBelow(this.r.ownerNode, enclosing);
    if (!def) return false;
    const created = this.r.start ?? this.r.report;
    const fromDef = reachability(def);
    if (!reaches(this.r.flow, solveForward(this.r.flow, fromDef), def)) return false;
    return !this.reachesInOwner(def, created) && !this.reachesInOwner(created, def);
  }

  /**
   * Is the resource already handed off (or released) on every path that reaches the definition of `fn` (a function
   * of the owner, or nested in one) after the creation?
   */
  handedOffBefore(fn: TSESTree.Node): boolean {
    const def = functionBelow(this.r.ownerNode, fn);
    if (!def || this.m.recorder.flowOf(def) !== this.r.flow) return false;
    return this.reachesInOwner(this.r.start ?? this.r.report, def) && !this.stateAt(def);
  }

  private readonly failedOpenErrors = new Map<FunctionFlow, Variable | null>();

  /**
   * `pool.getConnection((err, conn) => …)` as the first use of a pool created idle: when `flow` is the callback of an
   * operation on the resource whose failure leaves it as it was ({@link ResourceKind.rejectionCloses}), made while it
   * is idle on every path, or whose failure closes it ({@link ResourceKind.failureCloses}), its error parameter (by
   * the kind's callback spec, else the first parameter). Where that is set, the operation failed and the resource
   * holds nothing.
   */
  failedOpenError(flow: FunctionFlow): Variable | undefined {
    let known = this.failedOpenErrors.get(flow);
    if (known === undefined) {
      this.failedOpenErrors.set(flow, null); // re-entrancy guard
      known = this.computeFailedOpenError(flow.node) ?? null;
      this.failedOpenErrors.set(flow, known);
    }
    return known ?? undefined;
  }

  private computeFailedOpenError(fn: TSESTree.Node): Variable | undefined {
    const call = fn.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.CallExpressionArgument) || !isFunction(fn)) return undefined;
    const callee = unwrap(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const name = propertyName(callee);
    const object = unwrap(callee.object);
    const receiver = object.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(object) : undefined;
    if (name === undefined || !receiver || !this.r.aliases.has(receiver)) return undefined;
    // A failure that closes it ({@link ResourceKind.failureCloses}), or one that leaves it as it was, idle.
    const closes = this.r.kind.failureCloses?.has(name) ?? false;
    if (!closes && !(this.r.kind.rejectionCloses?.has(name) && this.idleBefore(call))) return undefined;
    const param = fn.params[this.r.kind.callbackCreates?.get(name)?.error ?? 0];
    return param?.type === AST_NODE_TYPES.Identifier ? this.m.variableOf(param) : undefined;
  }

  /** Does some path of the owner's flow evaluate `from` and then `to`? */
  private reachesInOwner(from: TSESTree.Node, to: TSESTree.Node): boolean {
    return this.reachesIn(this.r.flow, from, to);
  }

  /** State just before `node` in its flow: open (something to release on some path there), or `null`. */
  stateAt(node: TSESTree.Node): LeakState {
    return this.statesAt(node).find((s) => isOpen(s)) ?? null;
  }

  /** The states just before `node` in its flow (one per reached piece that evaluates it). */
  private statesAt(node: TSESTree.Node): LeakState[] {
    const flow = this.m.recorder.flowOf(node);
    if (!flow) return [];
    const entry = flow === this.r.flow ? null : this.entryFor(flow);
    const result = this.solve(flow, entry);
    const problem = problemFor(this.r, entry, this.predicateOf, this.failedOpenError(flow));
    const found: LeakState[] = [];
    replay(flow, problem, result, (state, n) => {
      if (n === node) found.push(state);
    });
    return found;
  }

  /**
   * Is `call` the first use of a resource created idle, on some path ({@link ResourceKind.createdIdle})? When it
   * fails, the resource may hold something from it (a pool's first query connected, then the query failed).
   */
  private opensIdleAt(call: TSESTree.Node): boolean {
    return !!this.r.ops.get(call)?.some((o) => o.t === 'open') && this.statesAt(call).some((s) => !!s?.idle);
  }

  /** Is the resource created idle and not used yet on every path that reaches `node`? */
  idleBefore(node: TSESTree.Node): boolean {
    const states = this.statesAt(node);
    return states.length > 0 && states.every((s) => !!s?.idle);
  }



  /** Does a listener for `event` run with nothing left to release (a close event, a destroying error, a failed listen)? */
  releasedAtEntryEvent(event: string | undefined): boolean {
    const error = this.r.kind.errorEvent;
    return releasedBeforeEvent(this.r.kind, event) || (error?.failedListen === true && error.name === event) || this.neverEmitted(event);
  }

  /**
   * Is `event` one the resource never emits ({@link ResourceKind.emitsOnly}), and one no `emit()` of the file names?
   * A listener of it never runs: nothing it does (or fails to do) holds the resource.
   */
  private neverEmitted(event: string | undefined): boolean {
    if (event === undefined || EMITTER_EVENTS.has(event)) return false;
    const emits = this.r.kind.emitsOnly;
    const armed = this.r.kind.eventsArmedByOption?.get(event);
    if ((!emits || emits.has(event)) && !(armed && this.optionNeverGiven(armed.methods, armed.option))) return false;
    // An `emit()` of a name the file computes may be any event.
    return !(this.m.syntax.callsByName.get('emit') ?? []).some((call) => {
      const name = call.arguments.length > 0 ? stringValue(call.arguments[0]) : event;
      return name === undefined || name === event;
    });
  }

  /**
   * Does this registered function run only once the resource is released: a listener of such an event, or the
   * creation's own callback when the event it listens to is one (`http.get(url, (res) => …)`: the response).
   */
  runsAfterRelease(reg: Registration): boolean {
    const listens = reg.via === 'listener' || (reg.via === 'callback' && reg.call === this.r.report && reg.event === this.r.kind.creationCallbackEvent);
    return listens && this.releasedAtEntryEvent(reg.event);
  }

  isTimeoutEvent(event: string | undefined): boolean {
    return event !== undefined && event === this.r.kind.idleTimeout?.event;
  }
}

export type { TSESLint };

/**
 * Does this value go somewhere else: given to a call, assigned, returned, or put in an object, an array or a
 * declaration?
 */
function handsOn(n: TSESTree.Node): boolean {
  const v = climbValue(n);
  const p = v.parent;
  if (!p) return false;
  if (p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) return p.arguments.includes(v as TSESTree.CallExpressionArgument);
  if (p.type === AST_NODE_TYPES.AssignmentExpression) return p.right === v;
  return p.type === AST_NODE_TYPES.ReturnStatement || p.type === AST_NODE_TYPES.Property || p.type === AST_NODE_TYPES.ArrayExpression || p.type === AST_NODE_TYPES.VariableDeclarator;
}

/** A flow problem whose state is "`target` was evaluated on the way here". */
function reachability(target: TSESTree.Node): ForwardProblem<boolean> {
  return {
    entry: false,
    transfer: (seen, n) => seen || n === target,
    join: (existing, incoming) => (existing === undefined || (incoming && !existing) ? incoming : undefined),
  };
}

/** The call itself when it is awaited, else the awaited end of the chain it starts ({@link awaitedChainEnd}). */
/** ``await sql`select 1` ``, `await sql(query)`: the awaited tagged template or call whose tag or callee is `id` itself. */
function awaitedQuery(id: TSESTree.Identifier): TSESTree.TaggedTemplateExpression | TSESTree.CallExpression | undefined {
  const tag = climbValue(id);
  const query = tag.parent;
  if (!((query?.type === AST_NODE_TYPES.TaggedTemplateExpression && query.tag === tag) || (query?.type === AST_NODE_TYPES.CallExpression && query.callee === tag))) return undefined;
  return climbValue(query).parent?.type === AST_NODE_TYPES.AwaitExpression ? query : undefined;
}

function awaitedOp<T extends { call: TSESTree.CallExpression; name: string }>(op: T): T | { call: TSESTree.CallExpression; name: string } | undefined {
  return climbValue(op.call).parent?.type === AST_NODE_TYPES.AwaitExpression ? op : awaitedChainEnd(op.call);
}

/**
 * `await Promise.all([call, …])` (or `Promise.race`, `Promise.any`; not `allSettled`, which never rejects): the
 * awaited `Promise.…()` call whose array literal holds `call` as an element.
 */
function awaitedInAll(call: TSESTree.Node, any = true): TSESTree.CallExpression | undefined {
  const element = climbValue(call);
  const array = element.parent;
  if (array?.type !== AST_NODE_TYPES.ArrayExpression || !array.elements.includes(element as TSESTree.Expression)) return undefined;
  const all = array.parent;
  if (all?.type !== AST_NODE_TYPES.CallExpression || all.arguments[0] !== array) return undefined;
  const callee = unwrap(all.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || unwrap(callee.object).type !== AST_NODE_TYPES.Identifier || (unwrap(callee.object) as TSESTree.Identifier).name !== 'Promise') return undefined;
  const method = propertyName(callee);
  if (method !== 'all' && method !== 'race' && !(any && method === 'any')) return undefined;
  return climbValue(all).parent?.type === AST_NODE_TYPES.AwaitExpression ? all : undefined;
}

/**
 * The last call of a chain of method calls that starts with `call` (`call.a(…).b(…)`), when the chain has more
 * than one call, none of them a promise method, and that last call is awaited; undefined otherwise.
 */
function awaitedChainEnd(call: TSESTree.CallExpression): { call: TSESTree.CallExpression; name: string } | undefined {
  let end: { call: TSESTree.CallExpression; name: string } | undefined;
  let current: TSESTree.Node = call;
  for (let i = 0; i < 16; i++) {
    const next = methodCallOn(current);
    if (!next) break;
    // A promise method on the way (`.catch(…)`, `.then(ok, fail)`, `.finally(…)`) decides the rejection itself.
    if (PROMISE_CONTINUATIONS.has(next.name)) return undefined;
    end = next;
    current = next.call;
  }
  return end && climbValue(end.call).parent?.type === AST_NODE_TYPES.AwaitExpression ? end : undefined;
}

/** Is `n` only tested here (`if (this.f)`, `!this.f`, `this.f === undefined`)? */
/** Is this member the target of an assignment (`this.f.x = 1`, `this.f.x++`)? */
function isAssigned(member: TSESTree.Node): boolean {
  const p = member.parent;
  return (p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === member) || p?.type === AST_NODE_TYPES.UpdateExpression;
}

function isTest(n: TSESTree.Node): boolean {
  const p = n.parent;
  if (!p) return false;
  if (p.type === AST_NODE_TYPES.UnaryExpression && p.operator === '!') return true;
  if ((p.type === AST_NODE_TYPES.IfStatement || p.type === AST_NODE_TYPES.ConditionalExpression || p.type === AST_NODE_TYPES.WhileStatement) && p.test === n) return true;
  if (p.type === AST_NODE_TYPES.BinaryExpression && ['===', '!==', '==', '!='].includes(p.operator)) return true;
  if (p.type !== AST_NODE_TYPES.LogicalExpression) return false;
  // The right operand is tested too when the whole expression is (`if (this.a && this.b)`), not when it is a value.
  if (p.right === n) return isTest(p);
  return p.left === n && p.parent?.type !== AST_NODE_TYPES.VariableDeclarator;
}

/** A call of a method of `this`, or a call that is given `this`: it may release what the object holds. */
function mayReleaseThroughObject(node: TSESTree.Node): boolean {
  if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) return false;
  const callee = unwrap(node.callee);
  if (callee.type === AST_NODE_TYPES.MemberExpression && thisOf(callee.object)) return true;
  return node.arguments.some((a) => !!thisOf(a));
}

/**
 * Can this awaited call on a resource of `kind` reject while the resource stays open? An operation the kind lists
 * as a use, and a creating method (`await conn.createChannel()`, `await pool.connect()`: the creator stays open when
 * it fails); not a method returning the resource or reopening it.
 */
function canReject(kind: ResourceKind, call: TSESTree.CallExpression, method: string): boolean {
  if (kind.rejectionKeepsOpen?.has(method)) return true;
  if (kind.returnsSelf.has(method) || kind.reopens.has(method)) return false;
  if (kind.creates.has(method)) return true;
  return meaningOfCall(kind, call, method, true).t === 'use';
}

/**
 * Does `fn` await, or return, an operation on its parameter `param` that can reject (`await c.query(q)`), or a
 * promise made around one whose callback rejects it (`return new Promise((resolve, reject) => c.query(sql, (err) =>
 * (err ? reject(err) : resolve())))`; not for a kind whose error destroys it)?
 */
function awaitsOperationOn(kind: ResourceKind, param: Variable, fn: TSESTree.Node, m: FileModel): boolean {
  return param.references.some((ref) => {
    const mc = methodCallOn(ref.identifier);
    // A failure given to the operation's callback destroys a socket (a failed `write(data, cb)`), not an ssh2 client.
    const callbackFailureDestroys = !!kind.errorEvent?.destroys && !kind.errorEvent.callbackErrorsLeaveOpen;
    if (mc && !callbackFailureDestroys && promisifiedIn(mc, fn, m, (cb) => callsMethodIn(param, cb, (name) => kind.releases.has(name))) && canReject(kind, mc.call, mc.name)) return true;
    const value = climbValue(ref.identifier);
    const waiter = value.parent?.type === AST_NODE_TYPES.CallExpression && rejectsOnOwnError(kind, value.parent, value.parent.arguments.indexOf(value as TSESTree.CallExpressionArgument)) ? value.parent : undefined;
    const call = waiter ?? (mc && canReject(kind, mc.call, mc.name) ? mc.call : undefined);
    if (call && failurePassesOut(call, fn)) return true;
    // `await client.db('app').collection('m').updateMany(…)`: an operation through a handle of the parameter.
    return !!mc && !!kind.handles?.has(mc.name) && handleOperationPassesOut(mc.call, fn, m, 0);
  });
}

/**
 * Does an operation on this handle of a resource (a call of one of its kind's `handles`), or on what further calls on
 * it give, or on a local of `fn` holding one of those, pass its failure out of `fn` (awaited or returned, outside a
 * `try` that catches it)? Awaiting a handle that is no promise (`await db.collection('m')`) is no operation.
 */
function handleOperationPassesOut(handle: TSESTree.Node, fn: TSESTree.Node, m: FileModel, depth: number): boolean {
  let value = climbValue(handle);
  let end: TSESTree.CallExpression | undefined;
  for (let mc = methodCallOn(value); mc; mc = methodCallOn(value)) {
    if (LISTENER_METHODS.has(mc.name) || PROMISE_CONTINUATIONS.has(mc.name)) return false;
    end = mc.call;
    value = climbValue(mc.call);
  }
  if (end && failurePassesOut(end, fn) && !m.isSurelyNoPromise(end)) return true;
  const p = value.parent;
  if (depth >= 2 || p?.type !== AST_NODE_TYPES.VariableDeclarator || p.init !== value || p.id.type !== AST_NODE_TYPES.Identifier) return false;
  const local = m.varOf.get(p.id);
  return !!local && local.references.some((ref) => !ref.init && !ref.isWrite() && handleOperationPassesOut(ref.identifier, fn, m, depth + 1));
}

/**
 * Is `call` in `fn`'s own code, awaited or returned by it, and outside every `try` whose `catch` may take its failure
 * (`try { await c.query(q) } catch { log(e) }`)?
 */
function failurePassesOut(call: TSESTree.Node, fn: TSESTree.Node): boolean {
  return enclosingFunction(call) === fn && !enclosingTry(call, fn)?.handler && awaitedOrReturnedBy(call, fn);
}

/** {@link awaitsOperationOn} for the resource held in a property of the parameter (`handle.client.query(sql)`). */
function awaitsOperationThrough(kind: ResourceKind, param: Variable, props: ReadonlySet<string>, fn: TSESTree.Node): boolean {
  return param.references.some((ref) => {
    const member = ref.identifier.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== ref.identifier || !props.has(propertyName(member) ?? '')) return false;
    const mc = methodCallOn(member);
    return !!mc && canReject(kind, mc.call, mc.name) && failurePassesOut(mc.call, fn);
  });
}

/** Does `fn` await this value, or return it (also as an arrow's expression body)? */
function awaitedOrReturnedBy(value: TSESTree.Node, fn: TSESTree.Node): boolean {
  const p = climbValue(value).parent;
  return p?.type === AST_NODE_TYPES.AwaitExpression || p?.type === AST_NODE_TYPES.ReturnStatement || (p === fn && (fn as TSESTree.ArrowFunctionExpression).expression);
}

/** The function given to `call` (inline or a local function) that reads the variable `v` (an executor's `reject`). */
function callbackReading(call: TSESTree.CallExpression, v: Variable, m: FileModel): FunctionNode | undefined {
  for (const a of call.arguments) {
    const cb = a.type === AST_NODE_TYPES.SpreadElement ? undefined : m.functionValue(a);
    if (cb && v.references.some((x) => contains(cb, x.identifier))) return cb;
  }
  return undefined;
}

/**
 * Is this call made in a Promise executor of `fn` whose promise `fn` returns or awaits, with a callback argument
 * that calls the executor's `reject`?
 */
function promisifiedIn(mc: { call: TSESTree.CallExpression }, fn: TSESTree.Node, m: FileModel, releasesIn: (cb: FunctionNode) => boolean): boolean {
  const executor = enclosingFunction(mc.call);
  if (!executor || !isExecutor(executor) || enclosingFunction(executor) !== fn) return false;
  if (!awaitedOrReturnedBy(executor.parent, fn)) return false;
  const reject = executor.params[1];
  const rv = reject?.type === AST_NODE_TYPES.Identifier ? m.varOf.get(reject) : undefined;
  const callback = rv ? callbackReading(mc.call, rv, m) : undefined;
  return !!callback && !releasesIn(callback);
}

/**
 * `once(udp, 'listening')` (`events.once`, given the resource first, waiting for an event other than its error): it
 * rejects when the resource emits its error event — for a kind whose error does not destroy it, with it open (not a
 * server waiting for 'listening': its error then is a failed `listen()`, which closed it).
 */
function rejectsOnOwnError(kind: ResourceKind, call: TSESTree.CallExpression, index: number): boolean {
  const error = kind.errorEvent;
  if (!error || error.destroys || index !== 0 || calleeName(call) !== 'once') return false;
  const event = stringValue(call.arguments[1]);
  // A server's error before 'listening' is a failed `listen()`, which closed its handle.
  if (error.failedListen && event === 'listening') return false;
  return event !== undefined && event !== error.name;
}

/** `id.namespace.method(…)`: a call of a method of a property of `id` (node-redis `client.ft.search()`). */
function namespaceCall(id: TSESTree.Node): { call: TSESTree.CallExpression; name: string; namespace: string } | undefined {
  const member = id.parent;
  if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== id || member.computed) return undefined;
  const namespace = propertyName(member);
  const mc = methodCallOn(member);
  return namespace !== undefined && mc ? { call: mc.call, name: mc.name, namespace } : undefined;
}

/**
 * Can a call chain that starts with `resource.<method>(…)` reject while the resource stays open? Any method
 * but the kind's own life-cycle (releases, (re)connects, methods returning the resource or creating another)
 * and listener registration: a chain through what it gives (a database, a pipeline) is work on its connection.
 */
function startsOperation(kind: ResourceKind, method: string): boolean {
  if (kind.releases.has(method) || kind.reopens.has(method) || kind.returnsSelf.has(method) || kind.creates.has(method)) return false;
  return !LISTENER_METHODS.has(method);
}

/** A number literal's value. */
function numberLiteral(node: TSESTree.Node): number | undefined {
  return node.type === AST_NODE_TYPES.Literal && typeof node.value === 'number' ? node.value : undefined;
}
