import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import {
  alwaysExits,
  calleeName,
  climbValue,
  contains,
  dottedName,
  enclosingFunction,
  isFunction,
  line,
  methodCallOn,
  propertyName,
  stringValue,
  thisClass,
  thisMemberName,
  unwrap,
  type FunctionNode,
} from '../engine/ast';
import { releasedState, type ResourceKind } from '../kinds/kind';
import {
  ALIVE_FLAG,
  CLEANUP_METHOD,
  DEAD_FLAG,
  EVENT_TARGET_METHOD,
  LISTENER_METHODS,
  ONCE_LISTENER_METHODS,
  ONE_TIME_EVENTS,
  PIPE_METHOD,
  TERMINAL_EVENTS,
} from '../kinds/vocabulary';
import type { Variable } from '../model/bindings';
import { meaningOfCall } from '../model/calls';
import { solveForward, type ForwardProblem, type ForwardResult, type FunctionFlow } from '../engine/flow';
import type { FileModel } from '../model/file-model';

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

type OpKind = 'release' | 'use' | 'reopen' | 'assign';

interface UacOp {
  t: OpKind;
  key: string;
  kind: ResourceKind;
  method: string;
  /** The call (or assignment) node. */
  node: TSESTree.Node;
  /** `end(data)`: a release that also writes. */
  alsoUse?: boolean;
  /** A release that tears the resource down at once. */
  destroys?: boolean;
  /** The receiver expression (`s` in `s.write()`), for guards. */
  receiver?: TSESTree.Node;
}

interface Released {
  readonly op: UacOp;
}
type State = ReadonlyMap<string, Released>;

const EMPTY: State = new Map();

const TIMER_NAMES = new Set(['setTimeout', 'setInterval']);

/** Collects the operations of every tracked socket value of the file (variables and `this` fields). */
class OpIndex {
  readonly ops = new Map<TSESTree.Node, UacOp[]>();
  readonly releasesByKey = new Map<string, UacOp[]>();
  readonly usesByKey = new Map<string, UacOp[]>();
  readonly keyKind = new Map<string, ResourceKind>();
  readonly nulledKeys = new Set<string>();
  private readonly varKeys = new Map<Variable, string>();
  private readonly parent = new Map<Variable, Variable>();
  private nextVar = 0;

  constructor(
    private readonly m: FileModel,
    private readonly options: UseAfterCloseOptions,
  ) {}

  private find(v: Variable): Variable {
    let x = v;
    while (this.parent.has(x) && this.parent.get(x) !== x) x = this.parent.get(x) as Variable;
    return x;
  }

  keyOfVariable(v: Variable): string {
    const root = this.find(v);
    let k = this.varKeys.get(root);
    if (!k) {
      k = `v${this.nextVar++}:${root.name}`;
      this.varKeys.set(root, k);
    }
    return k;
  }

  /** Is this key a variable declared inside `fn` (a parameter or local of it)? */
  isLocalKey(key: string, fn: TSESTree.Node): boolean {
    for (const [v, k] of this.varKeys) {
      if (k !== key) continue;
      const def = v.defs[0];
      return !!def && contains(fn, def.name);
    }
    return false;
  }

  /** Key of an expression that denotes a tracked socket: a variable, or `this.x` in a class. */
  keyOf(node: TSESTree.Node): { key: string; kind: ResourceKind } | undefined {
    const n = unwrap(node);
    if (n.type === AST_NODE_TYPES.Identifier) {
      const v = this.m.varOf.get(n);
      if (!v) return undefined;
      if (!this.m.plausibleSocketVariable(v)) return undefined;
      const kind = this.m.kindOfVariable(v);
      if (!kind) return undefined;
      return { key: this.keyOfVariable(v), kind };
    }
    const name = thisMemberName(n);
    if (name !== undefined) {
      const cls = thisClass(n);
      if (!cls || !this.m.plausibleSocketField(n as TSESTree.MemberExpression)) return undefined;
      const kind = this.m.kindOfNode(n);
      if (!kind) return undefined;
      return { key: `this@${cls.range[0]}.${name}`, kind };
    }
    return undefined;
  }

  build(): void {
    // Aliases: `const c = s` puts c in s's class.
    for (const [id, v] of this.m.varOf) {
      if (id.type !== AST_NODE_TYPES.Identifier) continue;
      const p = id.parent;
      if (p?.type === AST_NODE_TYPES.VariableDeclarator && p.id === id && p.init) {
        const init = unwrap(p.init);
        if (init.type === AST_NODE_TYPES.Identifier) {
          const src = this.m.varOf.get(init);
          const neverReassigned = p.parent.kind === 'const' || v.references.every((r) => !r.isWrite() || r.init);
          if (src && src !== v && this.m.kindOfVariable(src) && neverReassigned) {
            this.parent.set(this.find(v), this.find(src));
          }
        }
      }
    }
    const seen = new Set<TSESTree.Node>();
    const visitExpr = (n: TSESTree.Node): void => {
      if (seen.has(n)) return;
      seen.add(n);
      const k = this.keyOf(n);
      if (!k) return;
      this.keyKind.set(k.key, k.kind);
      this.classify(n, k.key, k.kind);
    };
    for (const node of this.m.recorder.flowOfNode.keys()) {
      if (node.type === AST_NODE_TYPES.Identifier) {
        const p = node.parent;
        if (p?.type === AST_NODE_TYPES.MemberExpression && p.property === node && !p.computed) continue;
        visitExpr(node);
      } else if (node.type === AST_NODE_TYPES.MemberExpression && thisMemberName(node) !== undefined) {
        visitExpr(node);
      }
    }
  }

  private add(op: UacOp): void {
    let list = this.ops.get(op.node);
    if (!list) {
      list = [];
      this.ops.set(op.node, list);
    }
    list.push(op);
    const index = op.t === 'release' ? this.releasesByKey : op.t === 'use' ? this.usesByKey : undefined;
    if (index) {
      const l = index.get(op.key) ?? [];
      l.push(op);
      index.set(op.key, l);
    }
  }

  private classify(expr: TSESTree.Node, key: string, kind: ResourceKind): void {
    // Assignment to the key: a new value.
    const p0 = expr.parent;
    if (p0?.type === AST_NODE_TYPES.VariableDeclarator && p0.id === expr) {
      // A (re-)declaration binds a fresh value, e.g. once per loop iteration — unless it only names an alias.
      const init = p0.init ? unwrap(p0.init) : undefined;
      if (init && this.keyOf(init)?.key === key) return;
      this.add({ t: 'assign', key, kind, method: '=', node: p0 });
      return;
    }
    if (p0?.type === AST_NODE_TYPES.AssignmentExpression && p0.left === expr) {
      this.add({ t: 'assign', key, kind, method: '=', node: p0 });
      const right = unwrap(p0.right);
      if ((right.type === AST_NODE_TYPES.Literal && right.value === null) || (right.type === AST_NODE_TYPES.Identifier && right.name === 'undefined')) {
        this.nulledKeys.add(key);
      }
      return;
    }
    const value = climbValue(expr);
    const mc = methodCallOn(value);
    if (mc) {
      const { call, name } = mc;
      const meaning = meaningOfCall(kind, call, name, this.options.endIsRelease);
      if (meaning.t === 'release') {
        this.add({ t: 'release', key, kind, method: name, node: call, alsoUse: meaning.alsoUse, destroys: meaning.destroys, receiver: expr });
      } else if (meaning.t === 'use') {
        this.add({ t: 'use', key, kind, method: name, node: call, receiver: expr });
      } else if (meaning.t === 'reopen') {
        this.add({ t: 'reopen', key, kind, method: name, node: call });
      }
      return;
    }
    const p = value.parent;
    if (!p) return;
    if (p.type === AST_NODE_TYPES.CallExpression && p.arguments.includes(value as TSESTree.CallExpressionArgument)) {
      const idx = p.arguments.indexOf(value as TSESTree.CallExpressionArgument);
      const callee = unwrap(p.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === PIPE_METHOD && idx === 0 && kind.isStream) {
        this.add({ t: 'use', key, kind, method: PIPE_METHOD, node: p, receiver: expr });
        return;
      }
      const fn = this.m.functionValue(p.callee);
      if (fn && this.m.parameterEffect(fn, idx) === 'release') {
        this.add({ t: 'release', key, kind, method: `${calleeName(p) ?? 'call'}`, node: p, receiver: expr });
      }
    }
  }
}

/** Syntactic guards: a liveness test between the release and the use. */
class Guards {
  private readonly deadFlags = new Set<string>();
  private readonly aliveFlags = new Set<string>();

  constructor(
    private readonly m: FileModel,
    private readonly index: OpIndex,
  ) {
    // A boolean flag set next to a release (or in a close listener) is a liveness flag.
    for (const node of m.recorder.flowOfNode.keys()) {
      if (node.type !== AST_NODE_TYPES.AssignmentExpression || node.operator !== '=') continue;
      const right = unwrap(node.right);
      if (right.type !== AST_NODE_TYPES.Literal || typeof right.value !== 'boolean') continue;
      const name = flagName(node.left);
      if (!name) continue;
      const fn = enclosingFunction(node);
      const nearRelease = fn ? this.functionReleases(fn) : false;
      if (nearRelease || isTerminalListener(fn)) {
        if (right.value) this.deadFlags.add(name);
        else this.aliveFlags.add(name);
      }
    }
  }

  private functionReleases(fn: FunctionNode): boolean {
    for (const ops of this.index.releasesByKey.values()) for (const op of ops) if (contains(fn, op.node)) return true;
    return false;
  }

  /** Does `test` being truthy imply the socket `key` is alive (`alive=true`) or dead (`alive=false`)? */
  private implies(test: TSESTree.Node, key: string, alive: boolean): boolean {
    const t = unwrap(test);
    if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') return this.implies(t.argument, key, !alive);
    if (t.type === AST_NODE_TYPES.LogicalExpression) {
      if (t.operator === '&&') return alive ? this.implies(t.left, key, true) || this.implies(t.right, key, true) : false;
      if (t.operator === '||') return alive ? false : this.implies(t.left, key, false) || this.implies(t.right, key, false);
      return false;
    }
    if (t.type === AST_NODE_TYPES.BinaryExpression) {
      const eq = t.operator === '===' || t.operator === '==';
      const ne = t.operator === '!==' || t.operator === '!=';
      if (!eq && !ne) return false;
      const sides: Array<[TSESTree.Node, TSESTree.Node]> = [
        [t.left, t.right],
        [t.right, t.left],
      ];
      for (const [a, b] of sides) {
        const member = unwrap(a);
        if (member.type !== AST_NODE_TYPES.MemberExpression) continue;
        const prop = propertyName(member);
        const owner = this.index.keyOf(member.object);
        if (!owner || owner.key !== key) continue;
        const guards = owner.kind.guards;
        if (guards.state && prop === guards.state.property) {
          const constant = constantValue(b);
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
        const k = this.index.keyOf(a);
        const lit = unwrap(b);
        const nullish = (lit.type === AST_NODE_TYPES.Literal && lit.value === null) || (lit.type === AST_NODE_TYPES.Identifier && lit.name === 'undefined');
        if (k && k.key === key && nullish && this.index.nulledKeys.has(key)) return ne ? alive : !alive;
      }
      return false;
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
    if (flag) {
      if (this.deadFlags.has(flag) || DEAD_FLAG.test(flag)) return !alive;
      if (this.aliveFlags.has(flag) || ALIVE_FLAG.test(flag)) return alive;
    }
    return false;
  }

  /** Is the use protected by a liveness test that comes after the release? */
  guarded(use: UacOp, release: TSESTree.Node | undefined, boundary: TSESTree.Node): boolean {
    let child: TSESTree.Node = use.node;
    let p = child.parent;
    const key = use.key;
    const after = (region: TSESTree.Node): boolean =>
      !release || !contains(region, release) || release.range[0] < region.range[0];
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
}

function flagName(node: TSESTree.Node): string | undefined {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier) return n.name;
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    if (n.property.type === AST_NODE_TYPES.PrivateIdentifier) return n.property.name;
    return propertyName(n);
  }
  return undefined;
}

/** A literal's value, or the name of a constant (`WebSocket.OPEN` → `OPEN`), for state comparisons. */
function constantValue(node: TSESTree.Node): string | number | undefined {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Literal && (typeof n.value === 'string' || typeof n.value === 'number')) return n.value;
  if (n.type === AST_NODE_TYPES.MemberExpression) return propertyName(n);
  return undefined;
}

/** Role of a function in an emitter/timer call: `x.on('close', fn)`, `setInterval(fn)`, … */
interface CallbackRole {
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

function callbackRole(fn: TSESTree.Node): CallbackRole | undefined {
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
      emitter: callee.object,
      call,
    };
  }
  if (callee.type === AST_NODE_TYPES.MemberExpression && name === EVENT_TARGET_METHOD) {
    return { via: 'listener', once: false, event: stringValue(call.arguments[0]), emitter: callee.object, call };
  }
  return { via: 'callback', once: true, call };
}

function isTerminalListener(fn: TSESTree.Node | undefined): boolean {
  if (!fn) return false;
  const role = callbackRole(fn);
  return role?.via === 'listener' && role.event !== undefined && TERMINAL_EVENTS.has(role.event);
}

export function analyseUseAfterClose(m: FileModel, options: UseAfterCloseOptions): UseAfterCloseFinding[] {
  return new UseAfterCloseAnalysis(m, options).run();
}

class UseAfterCloseAnalysis {
  private readonly index: OpIndex;
  private readonly guards: Guards;
  private readonly findings: UseAfterCloseFinding[] = [];
  private readonly reported = new Set<TSESTree.Node>();
  /** State before each nested function's creation, per function node. */
  private readonly entryStates = new Map<TSESTree.Node, State>();

  constructor(
    private readonly m: FileModel,
    private readonly options: UseAfterCloseOptions,
  ) {
    this.index = new OpIndex(m, options);
    this.index.build();
    this.guards = new Guards(m, this.index);
  }

  run(): UseAfterCloseFinding[] {
    if (this.index.ops.size === 0) return [];
    for (const flow of this.m.recorder.flows) this.analyseFlow(flow);
    this.deferredTimers();
    this.deferredFieldCallbacks();
    return this.findings;
  }

  private problem(entry: State): ForwardProblem<State> {
    const ops = this.index.ops;
    return {
      entry,
      transfer: (state, node) => {
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
      if (role && !role.once && role.via !== 'timer' && !(role.event !== undefined && ONE_TIME_EVENTS.has(role.event))) {
        const selfReleases = new Map(state);
        for (const [key, ops] of this.index.releasesByKey) {
          // A parameter or local of the listener is a new value on every run.
          if (this.index.isLocalKey(key, fnNode)) continue;
          for (const op of ops) {
            if (!contains(fnNode, op.node) || enclosingFunction(op.node) !== fnNode) continue;
            if (selfReleases.has(key)) continue;
            // After destroy() on the very emitter, its listeners do not run again.
            const emitterKey = role.emitter ? this.index.keyOf(role.emitter) : undefined;
            if (emitterKey?.key === key && (op.destroys ?? false)) continue;
            selfReleases.set(key, { op });
          }
        }
        state = selfReleases;
      }
    }
    return state;
  }

  /**
   * How a function is used as a callback: passed directly, or by name (`s.on('data', onData)`). A function handed
   * to several calls runs many times.
   */
  private roleOf(fn: FunctionNode): CallbackRole | undefined {
    const direct = callbackRole(fn);
    if (direct) return direct;
    let id: TSESTree.Identifier | undefined;
    if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) id = fn.id;
    else if (fn.parent?.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.id.type === AST_NODE_TYPES.Identifier) id = fn.parent.id;
    const v = id ? this.m.varOf.get(id) : undefined;
    if (!v) return undefined;
    const roles: CallbackRole[] = [];
    for (const ref of v.references) {
      const role = callbackRole(ref.identifier);
      if (role) roles.push(role);
    }
    const first = roles.find((r) => r.via === 'listener') ?? roles[0];
    if (!first) return undefined;
    return roles.length > 1 ? { ...first, once: false } : first;
  }

  private analyseFlow(flow: FunctionFlow): void {
    const entry = this.entryOf(flow);
    const problem = this.problem(entry);
    const result = solveForward(flow, problem);
    for (const segment of flow.segments.values()) {
      let state = result.inState.get(segment.id);
      if (state === undefined) continue;
      for (const node of flow.events.get(segment.id) ?? []) {
        if ((isFunction(node) || this.m.recorder.flowByNode.get(node)?.parent === flow) && !isCallArgument(node)) {
          this.setEntry(node, state);
        }
        const ops = this.index.ops.get(node);
        if (ops) for (const op of ops) this.check(op, state, flow);
        state = problem.transfer(state, node, segment);
        // A callback handed to a call runs after the call: `s.connect(cb)` reopens first, `s.end(cb)` releases first.
        if (node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression) {
          for (const arg of node.arguments) {
            const fn = unwrap(arg);
            if (isFunction(fn)) this.setEntry(fn, state);
          }
        }
      }
    }
  }

  private setEntry(fn: TSESTree.Node, state: State): void {
    const prev = this.entryStates.get(fn);
    this.entryStates.set(fn, prev ? union(prev, state) : state);
  }

  private check(op: UacOp, state: State, flow: FunctionFlow): void {
    const prior = state.get(op.key);
    if (!prior) return;
    const prev = prior.op;
    if (op.t === 'release') {
      if (op.kind.doubleReleaseThrows) {
        this.report(op, prev, flow, `${op.method}()`);
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
            data: { kind: op.kind.name, operation: `${op.method}()`, release: `${prev.method}() at line ${line(prev.node)}` },
          });
        }
      }
      return;
    }
    if (op.t === 'use') this.report(op, prev, flow, `${op.method}()`);
  }

  private report(op: UacOp, prev: UacOp, flow: FunctionFlow, operation: string): void {
    if (this.reported.has(op.node)) return;
    // A release from an earlier run of this listener reaches the use only through the entry state.
    const inThisRun = contains(flow.node, prev.node) && this.precedes(prev.node, op.node, flow);
    const previousRun = contains(flow.node, prev.node) && !inThisRun;
    if (this.guards.guarded(op, inThisRun || !previousRun ? prev.node : undefined, flow.node)) return;
    this.reported.add(op.node);
    const role = isFunction(flow.node) ? callbackRole(flow.node) : undefined;
    this.findings.push({
      messageId: previousRun ? 'deferredUse' : 'useAfterRelease',
      node: op.node,
      data: {
        kind: op.kind.name,
        operation,
        release: `${prev.method}() at line ${line(prev.node)}`,
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
    for (const segment of flow.segments.values()) {
      let state = result.inState.get(segment.id);
      if (state === undefined) continue;
      for (const node of flow.events.get(segment.id) ?? []) {
        if (node === use) {
          for (const v of state.values()) if (v.op.node === release) return true;
        }
        state = problem.transfer(state, node, segment);
      }
    }
    return false;
  }

  /** Calls `visit` for every not yet reported use made directly inside a callback whose role `accept`s. */
  private forEachCallbackUse(
    accept: (role: CallbackRole) => boolean,
    visit: (fn: FunctionNode, role: CallbackRole, key: string, use: UacOp) => void,
  ): void {
    for (const flow of this.m.recorder.flows) {
      const fn = flow.node;
      if (!isFunction(fn)) continue;
      const role = callbackRole(fn);
      if (!role || !accept(role)) continue;
      for (const [key, uses] of this.index.usesByKey) {
        for (const use of uses) {
          if (!this.reported.has(use.node) && enclosingFunction(use.node) === fn) visit(fn, role, key, use);
        }
      }
    }
  }

  private reportDeferred(use: UacOp, callback: string, release: string): void {
    this.reported.add(use.node);
    this.findings.push({
      messageId: 'deferredUse',
      node: use.node,
      data: { kind: use.kind.name, operation: `${use.method}()`, callback, release },
    });
  }

  // (a) timers that use a socket which can be released while they are pending.
  private deferredTimers(): void {
    this.forEachCallbackUse(
      (role) => role.via === 'timer',
      (fn, role, key, use) => {
        const releases = (this.index.releasesByKey.get(key) ?? []).filter((r) => !contains(fn, r.node));
        const peer = use.kind.peerCanClose;
        if (releases.length === 0 && !peer) return;
        if (this.guards.guarded(use, undefined, fn)) return;
        if (this.timerCleared(role, releases, peer)) return;
        // When every explicit release clears the timer, what is left is the peer closing the socket.
        const first = peer && releases.length > 0 && this.timerCleared(role, releases, false) ? undefined : releases[0];
        this.reportDeferred(
          use,
          `${role.timer ?? 'timer'} callback`,
          first ? `${first.method}() at line ${line(first.node)}` : 'the peer closing it',
        );
      },
    );
  }

  private timerCleared(role: CallbackRole, releases: UacOp[], peer: boolean): boolean {
    const handle = role.handle;
    if (!handle) return false;
    const handleName = flagName(handle);
    const handleVar = unwrap(handle).type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(unwrap(handle) as TSESTree.Identifier) : undefined;
    for (const node of this.m.recorder.flowOfNode.keys()) {
      if (node.type !== AST_NODE_TYPES.CallExpression) continue;
      const name = dottedName(node.callee);
      if (name !== 'clearInterval' && name !== 'clearTimeout' && name !== 'timers.clearInterval' && name !== 'timers.clearTimeout') continue;
      const arg = node.arguments[0];
      if (!arg) continue;
      const a = unwrap(arg);
      const same = handleVar
        ? a.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(a) === handleVar
        : flagName(a) === handleName && thisMemberName(a) !== undefined;
      if (!same) continue;
      // Any release ends in 'close': a clear there covers every release, the peer's included. A clear in the
      // releasing method covers only that release, which is enough when the peer cannot close the socket.
      if (this.inCleanupContext(node, peer ? [] : releases, 0, peer)) return true;
    }
    return false;
  }

  /** Is this node in code that runs when the socket is released or closes? */
  private inCleanupContext(node: TSESTree.Node, releases: UacOp[], depth: number, listenersOnly = false): boolean {
    let fn = enclosingFunction(node);
    while (fn) {
      if (releases.some((r) => contains(fn as TSESTree.Node, r.node))) return true;
      if (isTerminalListener(fn)) return true;
      const methodName = fn.parent?.type === AST_NODE_TYPES.MethodDefinition ? keyName(fn.parent.key) : undefined;
      if (!listenersOnly && methodName && CLEANUP_METHOD.test(methodName)) return true;
      if (!listenersOnly && fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id && CLEANUP_METHOD.test(fn.id.name)) return true;
      if (depth < 2) {
        // A function called from a cleanup context.
        const name = methodName ?? (fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.id?.name : undefined);
        if (name) {
          for (const call of this.m.recorder.flowOfNode.keys()) {
            if (call.type !== AST_NODE_TYPES.CallExpression || calleeName(call) !== name) continue;
            if (this.inCleanupContext(call, releases, depth + 1, listenersOnly)) return true;
          }
        }
      }
      fn = enclosingFunction(fn);
    }
    return false;
  }

  // (c) callbacks that use a class field which another method releases; (option) unrelated listeners.
  private deferredFieldCallbacks(): void {
    this.forEachCallbackUse(
      (role) => role.via !== 'timer' && !(role.via === 'listener' && role.event !== undefined && TERMINAL_EVENTS.has(role.event)),
      (fn, role, key, use) => {
        if (this.guards.guarded(use, undefined, fn)) return;
        const emitterKey = role.emitter ? this.index.keyOf(role.emitter)?.key : undefined;
        if (key.startsWith('this@')) {
          const method = enclosingMethod(fn);
          const otherMethod = (this.index.releasesByKey.get(key) ?? []).filter(
            (r) => !contains(fn, r.node) && enclosingMethod(r.node) !== method,
          );
          // After destroy()/close()/terminate() the socket emits nothing but 'close': a listener on the socket
          // itself cannot run after such a release (only after a graceful end()).
          if (emitterKey === key && otherMethod.length > 0 && otherMethod.every((r) => r.destroys ?? false)) return;
          const first = otherMethod[0];
          if (first) {
            this.reportDeferred(use, describeRole(role), `${first.method}() at line ${line(first.node)}`);
            return;
          }
        }
        if (this.options.checkUnrelatedListeners && role.via === 'listener' && !role.once && emitterKey !== key && use.kind.peerCanClose) {
          this.reportDeferred(use, describeRole(role), 'the peer closing it');
        }
      },
    );
  }
}

function isCallArgument(node: TSESTree.Node): boolean {
  const value = climbValue(node);
  const p = value.parent;
  return (
    !!p &&
    (p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) &&
    p.arguments.includes(value as TSESTree.CallExpressionArgument)
  );
}

function describeRole(role: CallbackRole | undefined): string {
  if (!role) return 'callback';
  if (role.via === 'timer') return `${role.timer ?? 'timer'} callback`;
  if (role.via === 'listener') return `'${role.event ?? 'event'}' listener`;
  return 'callback';
}

function keyName(key: TSESTree.Node): string | undefined {
  if (key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.PrivateIdentifier) return key.name;
  return undefined;
}

function enclosingMethod(node: TSESTree.Node): TSESTree.Node | undefined {
  let n: TSESTree.Node | undefined = node.parent;
  while (n) {
    if (n.type === AST_NODE_TYPES.MethodDefinition || n.type === AST_NODE_TYPES.PropertyDefinition) return n;
    n = n.parent;
  }
  return undefined;
}

function stateWord(prev: UacOp): string {
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
