import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import * as ts from 'typescript';
import { AST_NODE_TYPES } from '../engine/node-types';
import {
  alwaysExits,
  contains,
  dottedName,
  enclosingFunction,
  isFunction,
  propertyName,
  statementList,
  unwrap,
  walkAst,
  type FunctionNode,
  isNullishLiteral,
  thisClass,
  thisMemberName,
} from '../engine/ast';
import {
  ALIVE_FLAG,
  DEAD_FLAG,
} from '../kinds/vocabulary';

import { isTerminalListener } from './callbacks';
import { isLoop } from '../engine/flow';
import type { FileModel } from './file-model';
import type { ValueIndex, ValueOp } from './values';
import type { Resource } from './resource';
import type { ResourceKind } from '../kinds/kind';
import { neverReassigned, type Variable, type VariableLookup } from './bindings';
import { addToList } from '../util/lists';
/** Syntactic guards: a liveness test between the release and the use. */
export class Guards {
  private readonly deadFlags = new Set<string>();
  private readonly aliveFlags = new Set<string>();
  /** State properties set to a constant next to a release (`this.state = CLOSED`): property → those constants. */
  private readonly deadStates = new Map<string, Set<string>>();
  /** The numeric values of those constants (`State.Closing` of a numeric enum), for ordered tests (`this.state >= State.Closing`). */
  private readonly deadStateNumbers = new Map<string, Set<number>>();

  constructor(
    private readonly m: FileModel,
    private readonly index: ValueIndex,
  ) {
    // A boolean flag set next to a release (or in a close listener) is a liveness flag.
    let deadValueSets: Array<{ node: TSESTree.Node; name: string; value: boolean; fn: FunctionNode | undefined }> | undefined;
    for (const node of m.recorder.nodes) {
      if (node.type !== AST_NODE_TYPES.AssignmentExpression || node.operator !== '=') continue;
      const right = unwrap(node.right);
      const flag = right.type === AST_NODE_TYPES.Literal && typeof right.value === 'boolean' ? right.value : undefined;
      const constant = flag === undefined ? stateConstant(right) : undefined;
      // `setOnline(val) { this.isOnline = val; … }`: each call with a boolean (`this.setOnline(false)` in a close
      // listener) sets the flag to it there.
      const setName = flag === undefined && constant === undefined && right.type === AST_NODE_TYPES.Identifier ? flagName(node.left) : undefined;
      const calls = setName !== undefined && right.type === AST_NODE_TYPES.Identifier ? this.setterCalls(node, right) : [];
      for (const { call, value } of calls) {
        const caller = enclosingFunction(call);
        this.noteFlag(setName as string, value, caller);
        (deadValueSets ??= []).push({ node: call, name: setName as string, value, fn: caller });
      }
      if (calls.length > 0) continue;
      // `this.closingError = err`, `this.closedBy = new Error('closed')`: the error that ended it, kept next to the
      // release, is a truthy mark — a flag set to true; decided only when a test reads that name ({@link errorMark}).
      if (flag === undefined && constant === undefined) {
        const name = isMarkCandidate(right) ? flagName(node.left) : undefined;
        if (name !== undefined && !ALIVE_FLAG.test(name)) addToList(this.markCandidates, name, node);
        continue;
      }
      const name = flagName(node.left);
      if (!name) continue;
      const fn = enclosingFunction(node);
      if (flag !== undefined) this.noteFlag(name, flag, fn);
      else if (constant !== undefined && ((fn ? this.functionReleases(fn) : false) || isTerminalListener(fn))) {
        // `this.state = CLOSED` next to the release: `this.state === CLOSED` tests for it.
        let set = this.deadStates.get(name);
        if (!set) this.deadStates.set(name, (set = new Set()));
        set.add(constant);
        const value = this.numberOf(right);
        let numbers = this.deadStateNumbers.get(name);
        if (!numbers) this.deadStateNumbers.set(name, (numbers = new Set()));
        // NaN: a constant whose number is unknown, which no ordered test can place.
        numbers.add(value ?? Number.NaN);
      }
      if (flag !== undefined) (deadValueSets ??= []).push({ node, name, value: flag, fn });
    }
    if (deadValueSets) this.findTrackers(deadValueSets);
  }

  /** A boolean flag given `value` in `fn`: a liveness flag when `fn` releases or is a close listener. */
  private noteFlag(name: string, value: boolean, fn: FunctionNode | undefined): void {
    if (!(fn ? this.functionReleases(fn) : false) && !isTerminalListener(fn)) return;
    // Not a flag whose name says the opposite: `this.connected = true` in a method that also releases (a reconnect, or
    // a listener it registers) still means connected.
    if (value) {
      if (!ALIVE_FLAG.test(name)) this.deadFlags.add(name);
    } else if (!DEAD_FLAG.test(name)) {
      this.aliveFlags.add(name);
    }
  }

  /**
   * `this.isOnline = val` as the first statement of a method (or local function) whose parameter `val` is: the calls
   * of that function with a boolean literal in that place (`this.setOnline(false)`), with the literal. Empty for any
   * other assignment.
   */
  private setterCalls(assign: TSESTree.AssignmentExpression, value: TSESTree.Identifier): Array<{ call: TSESTree.CallExpression; value: boolean }> {
    const fn = enclosingFunction(assign);
    const statement = assign.parent;
    const body = fn?.body;
    if (!fn || body?.type !== AST_NODE_TYPES.BlockStatement || body.body[0] !== statement) return [];
    const index = fn.params.findIndex((p) => p.type === AST_NODE_TYPES.Identifier && p.name === value.name);
    if (index < 0) return [];
    const method = fn.parent?.type === AST_NODE_TYPES.MethodDefinition ? fn.parent : undefined;
    const key = method && !method.computed && method.key.type === AST_NODE_TYPES.Identifier ? method.key.name : undefined;
    const name = method ? key : fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.id?.name : undefined;
    if (name === undefined) return [];
    const out: Array<{ call: TSESTree.CallExpression; value: boolean }> = [];
    for (const call of this.m.syntax.callsNamed([name])) {
      const callee = unwrap(call.callee);
      const target = callee.type === AST_NODE_TYPES.Identifier ? this.m.functionValue(callee) : this.m.thisMethodValue(callee);
      const arg = call.arguments[index];
      const literal = arg ? unwrap(arg) : undefined;
      if (target === fn && literal?.type === AST_NODE_TYPES.Literal && typeof literal.value === 'boolean') out.push({ call, value: literal.value });
    }
    return out;
  }

  /**
   * Flags that track something else than the socket's life (a heartbeat's `alive = false; ws.ping()`: set when a ping
   * goes out, cleared by the pong): a flag given its dead value in a function that then uses a socket and releases
   * none after it. Whoever believed the socket dead would not use it next; such a flag guards nothing, whatever its
   * name or where else it is set.
   */
  private findTrackers(sets: ReadonlyArray<{ node: TSESTree.Node; name: string; value: boolean; fn: FunctionNode | undefined }>): void {
    for (const { node, name, value, fn } of sets) {
      if (!fn || this.trackers.has(name)) continue;
      if (value !== this.deadValueOf(name)) continue;
      const after = (op: ValueOp): boolean => op.node.range[0] >= node.range[1] && enclosingFunction(op.node) === fn;
      let used = false;
      for (const ops of this.index.usesByKey.values()) if (ops.some(after)) used = true;
      if (!used) continue;
      let released = false;
      for (const ops of this.index.releasesByKey.values()) if (ops.some(after)) released = true;
      if (!released && this.testsFlagBefore(fn, name, node)) this.trackers.add(name);
    }
  }

  /**
   * Does `fn`'s own code test the flag (an `if` or `?:` whose test reads it) before `at`? The heartbeat tests what
   * the last pong left, then clears it for the next ping; a function that only clears a flag and then writes to some
   * other socket (`this.connected = false; this.peer.write('gone')`) says nothing about what the flag tracks.
   */
  private testsFlagBefore(fn: FunctionNode, name: string, at: TSESTree.Node): boolean {
    let found = false;
    walkAst(fn.body ?? fn, this.m.sourceCode.visitorKeys, (n) => {
      if (found || n.range[0] >= at.range[0]) return found;
      const test = n.type === AST_NODE_TYPES.IfStatement || n.type === AST_NODE_TYPES.ConditionalExpression ? n.test : undefined;
      if (test && enclosingFunction(test) === fn) {
        walkAst(test, this.m.sourceCode.visitorKeys, (t) => {
          if ((t.type === AST_NODE_TYPES.Identifier || t.type === AST_NODE_TYPES.MemberExpression) && flagName(t) === name) found = true;
          return found;
        });
      }
      return found;
    });
    return found;
  }

  /**
   * The value a liveness flag has once the socket is released: `true` for a dead flag (learned, or named like
   * `closed`), `false` for an alive one (`connected`); undefined for a name that is no liveness flag.
   */
  private deadValueOf(name: string): boolean | undefined {
    if (this.deadFlags.has(name) || DEAD_FLAG.test(name) || this.errorMark(name)) return true;
    if (this.aliveFlags.has(name) || ALIVE_FLAG.test(name)) return false;
    return undefined;
  }

  /** Assignments of a value that may be an error, by the name they assign ({@link errorMark}). */
  private readonly markCandidates = new Map<string, TSESTree.AssignmentExpression[]>();

  /**
   * `this.closingError = err` (an `Error`) in a function that releases a socket: the error that ended it, kept next to
   * the release — a truthy mark, a dead flag. Decided when a test first reads the name.
   */
  private errorMark(name: string): boolean {
    const candidates = this.markCandidates.get(name);
    if (!candidates) return false;
    this.markCandidates.delete(name);
    for (const assign of candidates) {
      const fn = enclosingFunction(assign);
      if (fn && this.functionReleases(fn) && this.alwaysError(unwrap(assign.right))) {
        this.deadFlags.add(name);
        return true;
      }
    }
    return false;
  }

  /** Is this value an `Error` on every path (an object with `name`, `message` and `stack`: not nullable, not `any`)? */
  private alwaysError(node: TSESTree.Node): boolean {
    const tsNode = this.m.services.esTreeNodeToTSNodeMap.get(node);
    if (!tsNode) return false;
    const type = this.m.checker.getTypeAtLocation(tsNode);
    return (type.isUnion() ? type.types : [type]).every(
      (t) => (t.flags & ts.TypeFlags.Object) !== 0 && !!t.getProperty('message') && !!t.getProperty('name') && !!t.getProperty('stack'),
    );
  }

  /** Flags that are not liveness flags ({@link findTrackers}). */
  private readonly trackers = new Set<string>();

  /** A number literal, or a constant whose type is a number literal (a numeric enum member): its value. */
  private numberOf(node: TSESTree.Node): number | undefined {
    const n = unwrap(node);
    if (n.type === AST_NODE_TYPES.Literal) return typeof n.value === 'number' ? n.value : undefined;
    if (n.type !== AST_NODE_TYPES.Identifier && n.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const tsNode = this.m.services.esTreeNodeToTSNodeMap.get(n);
    if (!tsNode) return undefined;
    const type = this.m.checker.getTypeAtLocation(tsNode);
    return type.isNumberLiteral() ? type.value : undefined;
  }

  /**
   * `this.state >= State.Closing` where the release sets `this.state` to constants whose numbers all pass the test
   * (true: truthy means released) or all fail it (false: truthy means not in a released state); undefined otherwise.
   */
  private orderedDeadTest(t: TSESTree.BinaryExpression): boolean | undefined {
    if (!(t.operator in FLIPPED)) return undefined;
    const sides: Array<[TSESTree.Node, TSESTree.Node, string]> = [
      [t.left, t.right, t.operator],
      [t.right, t.left, FLIPPED[t.operator]],
    ];
    for (const [a, b, op] of sides) {
      const flag = unwrap(a).type === AST_NODE_TYPES.MemberExpression ? flagName(a) : undefined;
      const dead = flag !== undefined ? this.deadStateNumbers.get(flag) : undefined;
      if (!dead || dead.size === 0) continue;
      const c = this.numberOf(b);
      if (c === undefined) return undefined;
      const passes = [...dead].map((v) => compareNumbers(v, op, c));
      if (passes.every(Boolean)) return true;
      if (passes.every((p) => !p) && [...dead].every((v) => !Number.isNaN(v))) return false;
      return undefined;
    }
    return undefined;
  }

  private functionReleases(fn: FunctionNode): boolean {
    let known = this.releasingFunctions.get(fn);
    if (known === undefined) {
      known = [...this.index.releasesByKey.values()].some((ops) => ops.some((op) => contains(fn, op.node)));
      this.releasingFunctions.set(fn, known);
    }
    return known;
  }

  private readonly releasingFunctions = new Map<FunctionNode, boolean>();

  /** Does `test` being truthy imply the socket `key` is alive (`alive=true`) or dead (`alive=false`)? */
  private implies(test: TSESTree.Node, key: string, alive: boolean, depth = 0): boolean {
    const t = unwrap(test);
    if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') return this.implies(t.argument, key, !alive, depth);
    // `this.isConnected()` whose body is `return this.socket?.readyState === WebSocket.OPEN;`: the test it returns.
    if (t.type === AST_NODE_TYPES.CallExpression && t.arguments.length === 0 && depth < 2) {
      const returned = onlyReturned(this.m.thisMethodValue(t.callee));
      return !!returned && this.implies(returned, key, alive, depth + 1);
    }
    // `this.isOK` with `get isOK() { return this.socket && this.socket.writable; }`: a getter's test, the same way.
    if (t.type === AST_NODE_TYPES.MemberExpression && depth < 2) {
      const returned = onlyReturned(this.m.thisGetterValue(t));
      if (returned) return this.implies(returned, key, alive, depth + 1);
    }
    // `implies(t, alive)`: a release makes `t` false (`alive`) or true (`!alive`) wherever it is tested after it.
    if (t.type === AST_NODE_TYPES.LogicalExpression) {
      // `a && b` is false when one of them is, true when both are; `a || b` the other way round (`if (status !== OPEN
      // && status !== AUTH) return;`: a release makes both tests true).
      if (t.operator === '&&') {
        return alive ? this.implies(t.left, key, true, depth) || this.implies(t.right, key, true, depth) : this.implies(t.left, key, false, depth) && this.implies(t.right, key, false, depth);
      }
      if (t.operator === '||') {
        return alive ? this.implies(t.left, key, true, depth) && this.implies(t.right, key, true, depth) : this.implies(t.left, key, false, depth) || this.implies(t.right, key, false, depth);
      }
      return false;
    }
    if (t.type === AST_NODE_TYPES.BinaryExpression) {
      const eq = t.operator === '===' || t.operator === '==';
      const ne = t.operator === '!==' || t.operator === '!=';
      // `this.ready === true`, `closed !== false`: the flag itself (`=== false`, `!== true`: its negation).
      const bool = eq || ne ? booleanSide(t) : undefined;
      if (bool) return this.implies(bool.other, key, bool.value === eq ? alive : !alive, depth);
      if (!eq && !ne) {
        const dead = this.orderedDeadTest(t);
        return dead === undefined ? false : dead ? !alive : alive;
      }
      return this.equalityImplies(t.left, t.right, eq, key, alive);
    }
    if (t.type === AST_NODE_TYPES.MemberExpression) {
      const prop = propertyName(t);
      const owner = this.index.keyOf(t.object);
      if (owner && owner.key === key && prop) {
        if (owner.kind.guards.aliveProperties.has(prop)) return alive;
        if (owner.kind.guards.deadProperties.has(prop)) return !alive;
      }
    }
    const k = this.index.keyOf(t);
    if (k && k.key === key && this.index.nulledKeys.has(key)) return alive;
    // `other.destroyed` says nothing about this socket.
    if (t.type === AST_NODE_TYPES.MemberExpression && this.index.keyOf(t.object)) return false;
    const flag = flagName(t);
    const deadValue = flag && !this.trackers.has(flag) ? this.deadValueOf(flag) : undefined;
    if (deadValue !== undefined) return deadValue ? !alive : alive;
    return false;
  }

  /**
   * Does `left === right` (`eq`) or `left !== right` being truthy imply that the socket `key` is alive (`alive`) or
   * dead: the kind's state property against its states, its dead or alive properties against a boolean, a state
   * the releases set (or one they do not), a value nulled on release against `null`/`undefined`.
   */
  private equalityImplies(left: TSESTree.Node, right: TSESTree.Node, eq: boolean, key: string, alive: boolean): boolean {
    const ne = !eq;
    const sides: Array<[TSESTree.Node, TSESTree.Node]> = [
      [left, right],
      [right, left],
    ];
    for (const [a, b] of sides) {
      const member = unwrap(a);
      if (member.type !== AST_NODE_TYPES.MemberExpression) continue;
      const prop = propertyName(member);
      const owner = this.index.keyOf(member.object);
      if (!owner || owner.key !== key) continue;
      const guards = owner.kind.guards;
      if (guards.state && prop === guards.state.property) {
        const constant = constantValue(b, guards.state);
        if (constant !== undefined && guards.state.open.has(constant)) return eq ? alive : !alive;
        if (constant !== undefined && guards.state.closed.has(constant)) return eq ? !alive : alive;
      }
      if (prop && (guards.deadProperties.has(prop) || guards.aliveProperties.has(prop))) {
        const lit = unwrap(b);
        if (lit.type === AST_NODE_TYPES.Literal && typeof lit.value === 'boolean') {
          const truthy = eq ? lit.value : !lit.value;
          const impliesAlive = guards.aliveProperties.has(prop) ? truthy : !truthy;
          return impliesAlive === alive;
        }
      }
      // `s === null` / `s !== undefined` style nullness
    }
    for (const [a, b] of sides) {
      // `this.state === CLOSED` where the release sets `this.state = CLOSED`; a variable the same way (`let state`
      // of a connection listener, which its 'data' listener moves on), not a constant's own name.
      const stateHolder = unwrap(a);
      const flag =
        stateHolder.type === AST_NODE_TYPES.MemberExpression || (stateHolder.type === AST_NODE_TYPES.Identifier && stateConstant(stateHolder) === undefined)
          ? flagName(a)
          : undefined;
      const constant = stateConstant(unwrap(b));
      const dead = flag !== undefined ? this.deadStates.get(flag) : undefined;
      if (constant === undefined || !dead) continue;
      if (dead.has(constant)) return eq ? !alive : alive;
      // `this.state === CONNECTED`, a constant no release sets, spelled as those are (all names, or all literals): a
      // release makes it false.
      if ([...dead].every((d) => isLiteralConstant(d) === isLiteralConstant(constant))) return eq ? alive : !alive;
    }
    for (const [a, b] of sides) {
      const k = this.index.keyOf(a);
      if (k && k.key === key && isNullishLiteral(b) && this.index.nulledKeys.has(key)) return ne ? alive : !alive;
    }
    return false;
  }

  /** Does `test` being `value` imply that the socket `key` is released (a dead test: `ws.readyState !== OPEN`, `!alive`)? */
  impliesDead(test: TSESTree.Node, key: string, value: boolean): boolean {
    return this.implies(test, key, !value);
  }

  /** Is the use protected by a liveness test that comes after the release? */
  guarded(use: ValueOp, release: TSESTree.Node | undefined, boundary: TSESTree.Node): boolean {
    let child: TSESTree.Node = use.node;
    let p = child.parent;
    const key = use.key;
    // `this.sock?.send(…)` on a value that its release sets to null: the optional call is the null check.
    if (this.index.nulledKeys.has(key) && optionalOnReceiver(use)) return true;
    // The test is evaluated after the release: the release comes before the guarded region, or inside it but after
    // the use with no loop or function of the region around both — the use can follow it only in a later run, which
    // tests again (`if (state === 'greeting') { greet(s); state = 'done'; s.end(); }` in a 'data' listener).
    const after = (region: TSESTree.Node): boolean =>
      !release || !contains(region, release) || release.range[0] < region.range[0] || this.onlyInLaterRun(region, release, use.node);
    while (p && child !== boundary) {
      switch (p.type) {
        case AST_NODE_TYPES.IfStatement:
        case AST_NODE_TYPES.ConditionalExpression:
          if (p.consequent === child && this.implies(p.test, key, true) && after(p.consequent)) return true;
          if (p.alternate === child && this.implies(p.test, key, false) && after(p.alternate)) return true;
          break;
        case AST_NODE_TYPES.LogicalExpression:
          if (p.right === child && p.operator === '&&' && this.implies(p.left, key, true)) return true;
          if (p.right === child && p.operator === '||' && this.implies(p.left, key, false)) return true;
          break;
        case AST_NODE_TYPES.WhileStatement:
          if (p.body === child && this.implies(p.test, key, true)) return true;
          break;
        case AST_NODE_TYPES.BlockStatement:
        case AST_NODE_TYPES.Program:
        case AST_NODE_TYPES.SwitchCase: {
          // `switch (state) { case 'greeting': … }`: the case is entered only when the discriminant equals its test.
          if (p.type === AST_NODE_TYPES.SwitchCase && this.caseImpliesAlive(p, key) && after(p)) return true;
          const body = (p.type === AST_NODE_TYPES.SwitchCase ? p.consequent : p.body) as TSESTree.Node[];
          const i = body.indexOf(child);
          for (let j = 0; j < i; j++) {
            const s = body[j];
            if (s.type !== AST_NODE_TYPES.IfStatement) continue;
            if (release && release.range[0] > s.range[1] && release.range[1] < use.node.range[0]) continue;
            if (alwaysExits(s.consequent) && !s.alternate && this.implies(s.test, key, false)) return true;
          }
          break;
        }
        default:
          break;
      }
      child = p;
      p = p.parent;
    }
    // Optional call on a field that is nulled on release.
    return false;
  }

  /**
   * Is a use in this case of a `switch` guarded: the case has a test, and the cases that fall into it are empty
   * (`case A: case B:`) — any other case before it ends in a `break`, `return`, `throw` or `continue` — so it is
   * entered only when the discriminant equals one of those tests, each of which implies the socket is alive.
   */
  private caseImpliesAlive(c: TSESTree.SwitchCase, key: string): boolean {
    const sw = c.parent;
    if (!c.test || sw?.type !== AST_NODE_TYPES.SwitchStatement) return false;
    const tests: TSESTree.Node[] = [c.test];
    for (let j = sw.cases.indexOf(c) - 1; j >= 0; j--) {
      const prev = sw.cases[j];
      if (prev.consequent.length > 0) {
        if (!alwaysExits(prev.consequent[prev.consequent.length - 1])) return false;
        break;
      }
      if (!prev.test) return false;
      tests.push(prev.test);
    }
    return tests.every((t) => this.equalityImplies(sw.discriminant, t, true, key, true));
  }

  /**
   * A release inside a guarded region, after the use: can the use follow it only in a later run of the region's
   * function (which evaluates the guard again)? Yes when the use runs in the region's own function and no loop or
   * function inside the region holds both.
   */
  private onlyInLaterRun(region: TSESTree.Node, release: TSESTree.Node, use: TSESTree.Node): boolean {
    if (release.range[0] < use.range[1] || enclosingFunction(use) !== enclosingFunction(region)) return false;
    for (let a: TSESTree.Node | undefined = release.parent; a && a !== region; a = a.parent) {
      if ((isLoop(a) || isFunction(a)) && contains(a, use)) return false;
    }
    return true;
  }
}

/**
 * A constant a state property is set to: a string or number literal, or a constant's name (`CLOSED`, `State.Closed`:
 * capitalised), as text.
 */
function stateConstant(n: TSESTree.Node): string | undefined {
  if (n.type === AST_NODE_TYPES.Literal && (typeof n.value === 'string' || typeof n.value === 'number')) return JSON.stringify(n.value);
  const name = n.type === AST_NODE_TYPES.Identifier ? n.name : n.type === AST_NODE_TYPES.MemberExpression ? propertyName(n) : undefined;
  if (name === undefined || !/^[A-Z]/.test(name)) return undefined;
  const owner = n.type === AST_NODE_TYPES.MemberExpression ? flagName(n.object) : undefined;
  return owner !== undefined ? `${owner}.${name}` : name;
}

/** Is this {@link stateConstant} a literal's value (not a constant's name)? */
function isLiteralConstant(c: string): boolean {
  return !/^[A-Za-z_$]/.test(c);
}

export function flagName(node: TSESTree.Node): string | undefined {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier) return n.name;
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    if (n.property.type === AST_NODE_TYPES.PrivateIdentifier) return n.property.name;
    return propertyName(n);
  }
  return undefined;
}

type StateGuard = NonNullable<ResourceKind['guards']['state']>;

/**
 * A literal's value, or the name of a constant (`WebSocket.OPEN` → `OPEN`), for state comparisons. Given the kind's
 * state, a constant's name that the kind does not know is read in upper snake case when that one it knows: a
 * project's own enum of the same states (`WsReadyStates.Open`, `ReadyState.Closing`) names them so.
 */
export function constantValue(node: TSESTree.Node, state?: StateGuard): string | number | undefined {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Literal && (typeof n.value === 'string' || typeof n.value === 'number')) return n.value;
  if (n.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const name = propertyName(n);
  if (name === undefined || !state || knowsState(state, name)) return name;
  const upper = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  return upper !== name && knowsState(state, upper) ? upper : name;
}

function knowsState(state: StateGuard, c: string): boolean {
  return state.open.has(c) || state.closed.has(c) || !!state.gone?.has(c) || !!state.live?.some((g) => g.has(c)) || !!state.numbers?.has(c);
}

/**
 * When `test` evaluates to `value`, is the variable `v` (an error-first callback's error parameter) set: `err`, `!err`
 * when false, `err != null`, `err !== undefined` (error-first callbacks pass `null` or `undefined` for no error)?
 */
export function provesSet(test: TSESTree.Node, value: boolean, v: Variable): boolean {
  const t = unwrap(test);
  const isV = (n: TSESTree.Node): boolean => {
    const u = unwrap(n);
    return u.type === AST_NODE_TYPES.Identifier && v.references.some((ref) => ref.identifier === u);
  };
  if (isV(t)) return value;
  if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') return provesSet(t.argument, !value, v);
  if (t.type === AST_NODE_TYPES.BinaryExpression && ['!=', '!==', '==', '==='].includes(t.operator)) {
    const other = isV(t.left) ? t.right : isV(t.right) ? t.left : undefined;
    return !!other && isNullishLiteral(other) && (t.operator.startsWith('!') ? value : !value);
  }
  return false;
}

/** When `test` evaluates to `value`, is every alias of the resource nullish (or not a resource at all)? */
/** What a type-predicate function says of its argument `index` when it returns true: nullish, or present. */
export type TypePredicateOf = (call: TSESTree.CallExpression) => { index: number; nullish: boolean } | undefined;

/** `typeof x.release` (`x` the resource, `release` one of its kind's releases) compared with `'function'`. */
function typeofReleaseMethod(operand: TSESTree.Node, other: TSESTree.Node, r: Resource, isAlias: (n: TSESTree.Node) => boolean): boolean {
  const t = unwrap(operand);
  const o = unwrap(other);
  if (t.type !== AST_NODE_TYPES.UnaryExpression || t.operator !== 'typeof' || o.type !== AST_NODE_TYPES.Literal || o.value !== 'function') return false;
  const member = unwrap(t.argument);
  const name = member.type === AST_NODE_TYPES.MemberExpression ? propertyName(member) : undefined;
  return member.type === AST_NODE_TYPES.MemberExpression && name !== undefined && r.kind.releases.has(name) && isAlias(member.object);
}

export function provesNoResource(
  test: TSESTree.Node,
  value: boolean,
  r: Resource,
  predicateOf?: TypePredicateOf,
  holder?: (n: TSESTree.Node) => boolean,
): boolean {
  const t = unwrap(test);
  // `holder`: what names the value tested, instead of the resource's aliases (a field or variable that stores it).
  const isAlias =
    holder ??
    ((n: TSESTree.Node): boolean => {
      const u = unwrap(n);
      return u.type === AST_NODE_TYPES.Identifier && [...r.aliases].some((v) => v.references.some((ref) => ref.identifier === u));
    });
  if (isAlias(t)) return !value;
  // The error parameter of an error-first callback that creates the resource: set means nothing was handed over.
  if (r.errorParam && provesSet(t, value, r.errorParam)) return true;
  // `if (client.isOpen) await client.quit()`: a property of the kind that tells it holds nothing any more.
  const guards = r.kind.guards;
  if (t.type === AST_NODE_TYPES.MemberExpression && isAlias(t.object)) {
    const name = t.property.type === AST_NODE_TYPES.Identifier && !t.computed ? t.property.name : undefined;
    if (name !== undefined && guards.deadProperties.has(name)) return value;
    if (name !== undefined && guards.heldWhile?.has(name)) return !value;
    // `if (client?.release) client.release()`: a release method of its kind is always there (a function, truthy), so
    // the false branch never runs with it — the test asks whether there is a resource, as `if (client)` does.
    if (name !== undefined && r.kind.releases.has(name)) return !value;
    return false;
  }
  if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') return provesNoResource(t.argument, !value, r, predicateOf, holder);
  // `isNullOrUndefined(s)` (`s is null | undefined`), `isDefined(s)` (`s is T`): read from the signature.
  if (t.type === AST_NODE_TYPES.CallExpression && predicateOf && t.arguments.some(isAlias)) {
    const p = predicateOf(t);
    const arg = p ? t.arguments[p.index] : undefined;
    if (p && arg && isAlias(arg)) return p.nullish ? value : !value;
    return false;
  }
  // `ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING` false: no state that holds anything.
  const live = guards.state?.live;
  if (live && (t.type === AST_NODE_TYPES.BinaryExpression || t.type === AST_NODE_TYPES.LogicalExpression || t.type === AST_NODE_TYPES.CallExpression) && ruledOutStates(t, value, r, isAlias).size === live.length) return true;
  if (t.type === AST_NODE_TYPES.BinaryExpression) {
    if (t.operator === 'instanceof') return !value && isAlias(t.left);
    // `'release' in client`: a method of its kind is always there, so the false branch never runs with it.
    if (t.operator === 'in') {
      const left = unwrap(t.left);
      const member = left.type === AST_NODE_TYPES.Literal && typeof left.value === 'string' ? left.value : undefined;
      return !value && member !== undefined && isAlias(t.right) && (r.kind.releases.has(member) || r.kind.uses.has(member));
    }
    const eq = t.operator === '===' || t.operator === '==';
    const ne = t.operator === '!==' || t.operator === '!=';
    if ((eq || ne) && ((isAlias(t.left) && isNullishLiteral(t.right)) || (isAlias(t.right) && isNullishLiteral(t.left)))) {
      return eq ? value : !value;
    }
    // `typeof client?.release === 'function'`: true of a release method of its kind wherever the resource is.
    if ((eq || ne) && (typeofReleaseMethod(t.left, t.right, r, isAlias) || typeofReleaseMethod(t.right, t.left, r, isAlias))) return eq ? !value : value;
    // `redis.status === 'end'` / `!== 'end'`: a state that means closed.
    const state = guards.state;
    if ((eq || ne) && state) {
      const closedTest = (member: TSESTree.Node, other: TSESTree.Node): boolean => {
        const m = unwrap(member);
        const c = constantValue(other, state);
        return m.type === AST_NODE_TYPES.MemberExpression && isAlias(m.object) && propertyName(m) === state.property && c !== undefined && (state.gone ?? state.closed).has(c);
      };
      if (closedTest(t.left, t.right) || closedTest(t.right, t.left)) return eq ? value : !value;
    }
    return false;
  }
  if (t.type === AST_NODE_TYPES.LogicalExpression) {
    if (t.operator === '&&' && value) return provesNoResource(t.left, true, r, predicateOf, holder) || provesNoResource(t.right, true, r, predicateOf, holder);
    if (t.operator === '||' && !value) return provesNoResource(t.left, false, r, predicateOf, holder) || provesNoResource(t.right, false, r, predicateOf, holder);
    // `if (err || !client) return`: either operand true proves it (and `!(a && b)` likewise, either one false).
    if (t.operator === '||' && value) return provesNoResource(t.left, true, r, predicateOf, holder) && provesNoResource(t.right, true, r, predicateOf, holder);
    if (t.operator === '&&' && !value) return provesNoResource(t.left, false, r, predicateOf, holder) && provesNoResource(t.right, false, r, predicateOf, holder);
  }
  return false;
}

/**
 * `flag` or `!flag` where `flag` is a variable that keeps its initial value (`const`, or a `let` never assigned
 * again): that variable, and whether it is truthy when `test` is `value`.
 */
export function constantFlag(test: TSESTree.Node, value: boolean, varOf: VariableLookup, depth = 0): { v: Variable; truthy: boolean } | undefined {
  const t = unwrap(test);
  if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') return constantFlag(t.argument, !value, varOf, depth);
  if (t.type !== AST_NODE_TYPES.Identifier) return undefined;
  const v = varOf.get(t);
  const def = v?.defs[0];
  if (!v || v.defs.length !== 1 || !neverReassigned(v)) return undefined;
  // A parameter that is never assigned keeps the value it was called with.
  if (def?.type === TSESLint.Scope.DefinitionType.Parameter) {
    return isFunction(def.node) && def.node.params.some((p) => unwrapParam(p) === def.name) ? { v, truthy: value } : undefined;
  }
  if (def?.type !== TSESLint.Scope.DefinitionType.Variable || !def.node.init) return undefined;
  // `const own = !external`: the flag it is made of, when that one is constant too (the same test, spelled later).
  const init = unwrap(def.node.init);
  if (depth < 3 && def.node.id === def.name && (init.type === AST_NODE_TYPES.Identifier || (init.type === AST_NODE_TYPES.UnaryExpression && init.operator === '!'))) {
    const base = constantFlag(init, value, varOf, depth + 1);
    if (base) return base;
  }
  return { v, truthy: value };
}

/** The identifier a parameter declares (`x`, `x = d`, `x: T`), or the node itself. */
function unwrapParam(p: TSESTree.Node): TSESTree.Node {
  return p.type === AST_NODE_TYPES.AssignmentPattern ? p.left : p.type === AST_NODE_TYPES.TSParameterProperty ? unwrapParam(p.parameter) : p;
}

/**
 * The constant flags ({@link constantFlag}) whose truthiness decides, inside its own function, whether `node` runs
 * (`if (!reserved) conn = await pool.getConnection()`, `reserved ? given : await pool.connect()`, `fresh &&
 * open()`, `given ?? await pool.connect()`): each flag with the truthiness `node` needs.
 */
export function flagsAround(node: TSESTree.Node, varOf: VariableLookup): Map<Variable, boolean> {
  return decidingFlags(node, (test, value) => {
    const flag = constantFlag(test, value, varOf);
    return flag && { key: flag.v, truthy: flag.truthy };
  });
}

/**
 * The tests around `node`, inside its own function, that decide whether it runs — an `if`'s or a conditional's test,
 * the left side of a logical expression (`given ?? await pool.getConnection()`: the right runs only when the left is
 * nullish, so falsy) — read by `flagOf` as a flag: each flag's key with the truthiness `node` needs (the innermost
 * test of a key wins).
 */
function decidingFlags<K>(node: TSESTree.Node, flagOf: (test: TSESTree.Node, value: boolean) => { key: K; truthy: boolean } | undefined): Map<K, boolean> {
  const out = new Map<K, boolean>();
  for (let child = node, p = node.parent; p && !isFunction(p); child = p, p = p.parent) {
    let flag: { key: K; truthy: boolean } | undefined;
    if ((p.type === AST_NODE_TYPES.IfStatement || p.type === AST_NODE_TYPES.ConditionalExpression) && child !== p.test) flag = flagOf(p.test, child === p.consequent);
    else if (p.type === AST_NODE_TYPES.LogicalExpression && child === p.right) flag = flagOf(p.left, p.operator === '&&');
    if (flag && !out.has(flag.key)) out.set(flag.key, flag.truthy);
  }
  return out;
}

/**
 * A test that gives the same answer every time it runs in its function: `typeof spec === 'string'`, `pool instanceof
 * pg.Pool`, `mode === 'own'` (either side, `!==` and `!=` too, negated or not) of a name that is never assigned after
 * its declaration (a parameter, a `const`), against a literal or, for `instanceof`, a dotted name. Its key (the same
 * for the same test spelled again) and the truthiness `value` gives it; undefined for any other test.
 */
export function stableTest(test: TSESTree.Node, value: boolean, varOf: VariableLookup): { key: string; truthy: boolean } | undefined {
  const t = unwrap(test);
  if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') return stableTest(t.argument, !value, varOf);
  if (t.type !== AST_NODE_TYPES.BinaryExpression) return undefined;
  const stableName = (n: TSESTree.Node): string | undefined => {
    const u = unwrap(n);
    const v = u.type === AST_NODE_TYPES.Identifier ? varOf.get(u) : undefined;
    const def = v?.defs[0]?.name;
    return v && v.defs.length === 1 && def && neverReassigned(v) ? `${v.name}@${def.range[0]}` : undefined;
  };
  if (t.operator === 'instanceof') {
    const name = stableName(t.left);
    const cls = dottedName(unwrap(t.right));
    return name !== undefined && cls !== undefined ? { key: `${name} instanceof ${cls}`, truthy: value } : undefined;
  }
  const negated = t.operator === '!==' || t.operator === '!=';
  if (!negated && t.operator !== '===' && t.operator !== '==') return undefined;
  for (const [side, other] of [
    [t.left, t.right],
    [t.right, t.left],
  ] as const) {
    const lit = unwrap(other);
    if (lit.type !== AST_NODE_TYPES.Literal || lit.value instanceof RegExp || typeof lit.value === 'bigint') continue;
    const u = unwrap(side);
    const name = u.type === AST_NODE_TYPES.UnaryExpression && u.operator === 'typeof' ? stableName(u.argument) : stableName(u);
    if (name === undefined) continue;
    // (`typeof` gives a string: `==` and `===` with a literal agree on it.)
    const strict = t.operator.length === 3 || u.type === AST_NODE_TYPES.UnaryExpression ? '=' : '';
    const key = `${u.type === AST_NODE_TYPES.UnaryExpression ? 'typeof ' : ''}${name} ==${strict} ${JSON.stringify(lit.value)}`;
    return { key, truthy: negated ? !value : value };
  }
  return undefined;
}

/** The stable tests ({@link stableTest}) that decide, inside its own function, whether `node` runs: each with the truthiness `node` needs. */
export function stableTestsAround(node: TSESTree.Node, varOf: VariableLookup): Map<string, boolean> {
  return decidingFlags(node, (test, value) => stableTest(test, value, varOf));
}

/**
 * `this.usePool` tested where the field cannot change: declared `readonly` (or a `readonly` parameter property), or
 * written only in its class's constructor's own code (`constructor(opts) { this.usePool = !!opts.pool; }`). The field's
 * name, and the truthiness the test takes it to have; undefined for any other test.
 */
export function constantFieldTest(test: TSESTree.Node, value: boolean, membersByName: ReadonlyMap<string, readonly TSESTree.Node[]>): { name: string; truthy: boolean } | undefined {
  const t = unwrap(test);
  if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') return constantFieldTest(t.argument, !value, membersByName);
  const name = thisMemberName(t);
  const cls = name !== undefined ? thisClass(t) : undefined;
  if (name === undefined || !cls || t.type !== AST_NODE_TYPES.MemberExpression || unwrap(t.object).type !== AST_NODE_TYPES.ThisExpression) return undefined;
  for (const el of cls.body.body) {
    if (el.type === AST_NODE_TYPES.PropertyDefinition && !el.computed && el.key.type === AST_NODE_TYPES.Identifier && el.key.name === name && el.readonly && !el.static) return { name, truthy: value };
    if (el.type === AST_NODE_TYPES.MethodDefinition && el.kind === 'constructor') {
      for (const param of el.value.params) {
        if (param.type === AST_NODE_TYPES.TSParameterProperty && param.readonly && param.parameter.type === AST_NODE_TYPES.Identifier && param.parameter.name === name) return { name, truthy: value };
      }
    }
  }
  const ctor = cls.body.body.find((el): el is TSESTree.MethodDefinition => el.type === AST_NODE_TYPES.MethodDefinition && el.kind === 'constructor');
  let writes = 0;
  for (const n of membersByName.get(name) ?? []) {
    if (thisMemberName(n) !== name || thisClass(n) !== cls) continue;
    const p = n.parent;
    const written = (p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === n) || p?.type === AST_NODE_TYPES.UpdateExpression || (p?.type === AST_NODE_TYPES.UnaryExpression && p.operator === 'delete');
    if (!written) continue;
    if (!ctor || enclosingFunction(n) !== ctor.value) return undefined;
    writes++;
  }
  return writes > 0 ? { name, truthy: value } : undefined;
}

/**
 * The constant fields ({@link constantFieldTest}) whose truthiness decides, inside its own function, whether `node` runs
 * (`this.usePool ? undefined : await createConnection(opts)`, `if (!this.usePool) conn = await createConnection(opts)`):
 * each field's name with the truthiness `node` needs.
 */
export function fieldFlagsAround(node: TSESTree.Node, membersByName: ReadonlyMap<string, readonly TSESTree.Node[]>): Map<string, boolean> {
  return decidingFlags(node, (test, value) => {
    const flag = constantFieldTest(test, value, membersByName);
    return flag && { key: flag.name, truthy: flag.truthy };
  });
}

/**
 * `let borrowed = false; if (typeof arg !== 'string') { client = arg; borrowed = true; } else client = await
 * pool.connect();`: a `let` that starts as a boolean literal or with nothing (`null`, `undefined`, no initialiser:
 * `let lease = null; if (name) lease = await leaseFor(name); else client = await pool.connect();`) and is assigned
 * only in the other branch of an `if` whose one branch makes the resource (not in a loop, where an earlier round may
 * have taken the other branch) keeps its first value on every path that makes it; so does one assigned only in the
 * `catch` of a `try` whose block ends with the creation (`let failed = null; try { conn = await connect(url); } catch
 * (e) { failed = e; }`). Each such variable with the truthiness of that value.
 */
export function flagsKeptOnCreation(node: TSESTree.Node, varOf: VariableLookup, visitorKeys: Readonly<Record<string, readonly string[] | undefined>>): Map<Variable, boolean> {
  const out = new Map<Variable, boolean>();
  for (let child = node, p = node.parent; p && !isFunction(p); child = p, p = p.parent) {
    if (isLoop(p)) return new Map();
    // `try { this.conn = await connect(url); } catch (e) { failed = e; }`: the `catch` runs only when the creation,
    // the last thing its block does, fails — never with the resource made.
    const caught = p.type === AST_NODE_TYPES.TryStatement && child === p.block && p.handler && createsLast(p.block, node) ? p.handler.body : undefined;
    if (p.type !== AST_NODE_TYPES.IfStatement && !caught) continue;
    if (p.type === AST_NODE_TYPES.IfStatement && child === p.test) continue;
    const other = caught ?? (p.type === AST_NODE_TYPES.IfStatement ? (child === p.consequent ? p.alternate : p.consequent) : undefined);
    if (!other) continue;
    const stmt = p;
    walkAst(other, visitorKeys, (n) => {
      if (n.type !== AST_NODE_TYPES.AssignmentExpression || n.operator !== '=' || n.left.type !== AST_NODE_TYPES.Identifier) return;
      const v = varOf.get(n.left);
      const def = v?.defs[0];
      if (!v || out.has(v) || v.defs.length !== 1 || def?.type !== TSESLint.Scope.DefinitionType.Variable || def.parent?.kind !== 'let') return;
      const first = initialTruthiness(def.node);
      if (first === undefined || def.node.range[1] > stmt.range[0]) return;
      if (v.references.every((ref) => ref.init || !ref.isWrite() || contains(other, ref.identifier))) out.set(v, first);
    });
  }
  return out;
}

/**
 * Is `node` what the last statement of `block` ends with: `x = await make()`, `this.x = make()`, `const x = await
 * make()` (nothing of the block runs after the creation that could throw)?
 */
function createsLast(block: TSESTree.BlockStatement, node: TSESTree.Node): boolean {
  const last = block.body[block.body.length - 1];
  let value: TSESTree.Node | undefined;
  if (last?.type === AST_NODE_TYPES.ExpressionStatement) {
    const e = unwrap(last.expression);
    value = e.type === AST_NODE_TYPES.AssignmentExpression && e.operator === '=' ? e.right : e;
  } else if (last?.type === AST_NODE_TYPES.VariableDeclaration && last.declarations.length === 1) value = last.declarations[0].init ?? undefined;
  let u = value ? unwrap(value) : undefined;
  if (u?.type === AST_NODE_TYPES.AwaitExpression) u = unwrap(u.argument);
  return u === node;
}

/**
 * `let ok = false; for (…) { try { await client.connect(); ok = true; break; } catch { await sleep(ms); } } if (!ok)
 * throw …`: a `let` that starts falsy and is set only once, to `true` or a function (`release = () =>
 * client.release()`), by the statement right after the one that makes the resource (in the same block): where it is
 * still falsy, no creation got through. The variable, truthy on every path that made the resource.
 */
export function flagsSetOnCreation(node: TSESTree.Node, varOf: VariableLookup): Map<Variable, boolean> {
  const out = new Map<Variable, boolean>();
  let statement: TSESTree.Node = node;
  let list: readonly TSESTree.Node[] | undefined;
  for (let p = node.parent; p && !isFunction(p); statement = p, p = p.parent) {
    list = statementList(p);
    if (list) break;
  }
  const next = list?.[list.indexOf(statement) + 1];
  const set = next?.type === AST_NODE_TYPES.ExpressionStatement ? unwrap(next.expression) : undefined;
  if (set?.type !== AST_NODE_TYPES.AssignmentExpression || set.operator !== '=' || set.left.type !== AST_NODE_TYPES.Identifier) return out;
  const value = unwrap(set.right);
  const v = varOf.get(set.left);
  const def = v?.defs[0];
  // `true`, or a function (`release = () => client.release()`): truthy either way.
  const truthy = (value.type === AST_NODE_TYPES.Literal && value.value === true) || isFunction(value);
  if (!v || !truthy || v.defs.length !== 1 || def?.type !== TSESLint.Scope.DefinitionType.Variable || def.parent?.kind !== 'let') return out;
  if (initialTruthiness(def.node) !== false) return out;
  if (v.references.every((ref) => ref.init || !ref.isWrite() || ref.identifier === set.left)) out.set(v, true);
  return out;
}

/**
 * The truthiness of the value a `let` starts with, when its initialiser decides it: a boolean literal, or nothing yet
 * (`null`, `undefined`, no initialiser: `let leased: Lease | null = null`).
 */
export function initialTruthiness(declarator: TSESTree.VariableDeclarator): boolean | undefined {
  if (declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  if (!declarator.init) return false;
  const init = unwrap(declarator.init);
  if (init.type === AST_NODE_TYPES.Literal && (typeof init.value === 'boolean' || init.value === null)) return init.value === true;
  return init.type === AST_NODE_TYPES.Identifier && init.name === 'undefined' ? false : undefined;
}

/** `flag` or `!flag`: the variable tested, and whether it is truthy when the test is `value` (its constancy unchecked). */
export function testedVariable(test: TSESTree.Node, value: boolean, varOf: VariableLookup): { v: Variable; truthy: boolean } | undefined {
  const t = unwrap(test);
  if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') return testedVariable(t.argument, !value, varOf);
  const v = t.type === AST_NODE_TYPES.Identifier ? varOf.get(t) : undefined;
  return v ? { v, truthy: value } : undefined;
}

/** `x === true`, `false != x`: the side that is not a boolean literal, and the literal's value. */
function booleanSide(t: TSESTree.BinaryExpression): { other: TSESTree.Node; value: boolean } | undefined {
  for (const [lit, other] of [
    [t.right, t.left],
    [t.left, t.right],
  ] as const) {
    const u = unwrap(lit);
    if (u.type === AST_NODE_TYPES.Literal && typeof u.value === 'boolean') return { other, value: u.value };
  }
  return undefined;
}

/** A value that may be an error ({@link Guards.alwaysError} decides by its type): a name, a member, a `new`, a call. */
function isMarkCandidate(n: TSESTree.Node): boolean {
  if (n.type === AST_NODE_TYPES.Identifier) return n.name !== 'undefined';
  // `this.error = this.makeIOError(err)`: an error made by a call (its type says so: {@link Guards.alwaysError}).
  return n.type === AST_NODE_TYPES.MemberExpression || n.type === AST_NODE_TYPES.NewExpression || n.type === AST_NODE_TYPES.CallExpression;
}

/** Each ordering operator with its sides swapped (`a < b` is `b > a`). */
const FLIPPED: Readonly<Record<string, string>> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** `a <op> b` for an ordering operator of {@link FLIPPED} (`>=` for any other). */
function compareNumbers(a: number, op: string, b: number): boolean {
  return op === '<' ? a < b : op === '<=' ? a <= b : op === '>' ? a > b : a >= b;
}

/**
 * The live states of the resource's kind (indexes into its `guards.state.live`) that cannot hold when `test` is
 * `value`: tests of the state property against known constants (`===`, `!==`, ordered by the states' numbers),
 * through `!`, `&&` and `||`. Anything else rules out nothing.
 */
function ruledOutStates(test: TSESTree.Node, value: boolean, r: Resource, isAlias: (n: TSESTree.Node) => boolean): Set<number> {
  const state = r.kind.guards.state;
  const live = state?.live;
  const out = new Set<number>();
  if (!state || !live) return out;
  const t = unwrap(test);
  if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') return ruledOutStates(t.argument, !value, r, isAlias);
  if (t.type === AST_NODE_TYPES.LogicalExpression && t.operator !== '??') {
    const left = ruledOutStates(t.left, value, r, isAlias);
    const right = ruledOutStates(t.right, value, r, isAlias);
    // Both operands have that value (`a || b` false, `a && b` true): what either rules out; else what both do.
    const both = (t.operator === '||') !== value;
    for (const i of left) if (both || right.has(i)) out.add(i);
    if (both) for (const i of right) out.add(i);
    return out;
  }
  const known = (c: string | number): boolean => state.closed.has(c) || live.some((g) => g.has(c)) || state.numbers?.has(String(c)) === true;
  // `[WebSocket.CLOSED, WebSocket.CLOSING].includes(ws.readyState)`: the state is one of the listed ones (or none).
  if (t.type === AST_NODE_TYPES.CallExpression && t.arguments.length === 1) {
    const callee = unwrap(t.callee);
    const list = callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === 'includes' ? unwrap(callee.object) : undefined;
    const m = unwrap(t.arguments[0]);
    if (list?.type !== AST_NODE_TYPES.ArrayExpression || m.type !== AST_NODE_TYPES.MemberExpression || !isAlias(m.object) || propertyName(m) !== state.property) return out;
    const listed: Array<string | number> = [];
    for (const e of list.elements) {
      const c = e && e.type !== AST_NODE_TYPES.SpreadElement ? constantValue(e, state) : undefined;
      if (c === undefined || !known(c)) return out;
      listed.push(c);
    }
    // A live state is ruled out when it is not listed (the test true) or when it is (false).
    live.forEach((g, i) => {
      if (listed.some((c) => g.has(c)) !== value) out.add(i);
    });
    return out;
  }
  if (t.type !== AST_NODE_TYPES.BinaryExpression) return out;
  const numberOf = (c: string | number): number | undefined => (typeof c === 'number' ? c : state.numbers?.get(c));
  for (const [a, b, op] of [
    [t.left, t.right, t.operator],
    [t.right, t.left, FLIPPED[t.operator] ?? t.operator],
  ] as const) {
    const m = unwrap(a);
    if (m.type !== AST_NODE_TYPES.MemberExpression || !isAlias(m.object) || propertyName(m) !== state.property) continue;
    const c = constantValue(b, state);
    if (c === undefined || !known(c)) return out;
    const eq = op === '===' || op === '==';
    if (eq || op === '!==' || op === '!=') {
      // The state is `c` (or is not): the live states that are not `c` (or are) cannot hold.
      const isC = eq === value;
      live.forEach((g, i) => {
        if (g.has(c) !== isC) out.add(i);
      });
      return out;
    }
    const bound = numberOf(c);
    if (bound === undefined || !(op in FLIPPED)) return out;
    live.forEach((g, i) => {
      const n = [...g].map(numberOf).find((x) => x !== undefined);
      if (n === undefined) return;
      if (compareNumbers(n, op, bound) !== value) out.add(i);
    });
    return out;
  }
  return out;
}

/** Is the use called through `?.` on its receiver (`s?.write()`, `this.sock?.send()`)? */
function optionalOnReceiver(use: ValueOp): boolean {
  const call = use.node;
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrap(call.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression && callee.optional && !!use.receiver && unwrap(callee.object) === unwrap(use.receiver);
}

/** The expression a method only returns: its body is `return <expr>;` (or an arrow's expression body). */
function onlyReturned(fn: FunctionNode | undefined): TSESTree.Node | undefined {
  const body = fn?.body;
  if (!body) return undefined;
  if (body.type !== AST_NODE_TYPES.BlockStatement) return body;
  const [only] = body.body;
  return body.body.length === 1 && only.type === AST_NODE_TYPES.ReturnStatement && only.argument ? only.argument : undefined;
}
