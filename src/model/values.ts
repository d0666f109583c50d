import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import {
  calledAs,
  calleeName,
  climbValue,
  contains,
  enclosingFunction,
  isFunction,
  keyName,
  methodCallOn,
  processMemberOf,
  propertyName,
  thisClass,
  thisMemberName,
  unwrap,
  type FunctionNode,
  thisOf,
  isNullishLiteral,
} from '../engine/ast';
import { isStrict, recover } from '../engine/strict';
import { type ResourceKind } from '../kinds/kind';
import {
  PIPE_METHOD,
} from '../kinds/vocabulary';
import { neverReassigned, type Variable } from './bindings';
import { meaningOfCall } from './calls';
import { addMethodSummaries } from './method-summaries';
import { Guards } from './guards';

import type { FileModel, ModelOptions } from './file-model';

const DefinitionType = TSESLint.Scope.DefinitionType;

/**
 * The value view of the ownership model: every tracked resource VALUE of the file (a variable and its aliases, a
 * `this` field), keyed, with its operations in source order: releases, uses, reopens and new assignments. Unlike
 * resources (which start at a creation site), a value may come from anywhere: a parameter, a field, a callback.
 */
export type OpKind = 'release' | 'use' | 'reopen' | 'assign';

export interface ValueOp {
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
  /**
   * For an operation made by a method of the class, summarised at a `this.m()` call (`node`): the method called
   * there (`m`). `method` is then the operation inside it (`write`, `end`).
   */
  via?: string;
  /**
   * A release summarised at a `this.m()` call that `m` makes behind its own liveness test (`if (this.closed) return;
   * this.closed = true; this.sock.close();`): calling `m` again releases nothing, so it is no release after release.
   */
  selfGuarded?: boolean;
  /**
   * For a release in a method's summary: the node in that method's own code it is reached from (the release itself,
   * or the call of the method that makes it), for the tests around it there.
   */
  anchor?: TSESTree.Node;
  /** Not a call: the resource's own close event, whose listener runs after it (`event` names it). */
  event?: string;
}

/**
 * A method name as called in messages: `write()`. A call of a callable resource itself ({@link ResourceKind.callable})
 * is named by its own text, already written as called (``sql`…` ``, `sql(…)`).
 */
export function callText(method: string): string {
  return method.endsWith('`') || method.endsWith(')') ? method : `${method}()`;
}

/** How an operation is named in messages: `write()`, or `write() (through flush())` for a method's. */
export function operationText(op: ValueOp, method = op.method): string {
  return op.via === undefined ? callText(method) : `${callText(method)} (through ${op.via}())`;
}

/** How a release is named in messages: `end()`, or the method that releases (`close()`). */
export function releaseName(op: ValueOp): string {
  return op.event !== undefined ? `its '${op.event}' event` : operationText(op);
}


export class ValueIndex {
  readonly ops = new Map<TSESTree.Node, ValueOp[]>();
  readonly releasesByKey = new Map<string, ValueOp[]>();
  readonly usesByKey = new Map<string, ValueOp[]>();
  readonly keyKind = new Map<string, ResourceKind>();
  readonly nulledKeys = new Set<string>();
  /** Releases summarised at `this.m()` calls (not in {@link releasesByKey}, which holds the releases themselves). */
  readonly summaryReleasesByKey = new Map<string, ValueOp[]>();
  private readonly varKeys = new Map<Variable, string>();
  private readonly parent = new Map<Variable, Variable>();
  private nextVar = 0;

  constructor(
    private readonly m: FileModel,
    private readonly options: ModelOptions,
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
      this.variableByKey.set(k, root);
    }
    return k;
  }

  /** The key of the field (`this.x`) that a local is stored in (`this.x = s`), if it is. */
  fieldKeyStoredFrom(node: TSESTree.Node): string | undefined {
    const e = unwrap(node);
    const v = e.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(e) : undefined;
    for (const ref of v?.references ?? []) {
      const id = ref.identifier;
      const assign = id.parent;
      if (assign?.type === AST_NODE_TYPES.AssignmentExpression && assign.right === id && assign.operator === '=') {
        const key = this.keyOf(assign.left)?.key;
        if (key?.startsWith('this@')) return key;
      }
      // `private setup() { const client = mqtt.connect(url); client.on(…); return client; }` with
      // `this.client = this.setup(url)`: the method's only callers store what it returns in that field.
      if (assign?.type === AST_NODE_TYPES.ReturnStatement && assign.argument === id) {
        const key = this.storedReturnKey(enclosingFunction(assign));
        if (key) return key;
      }
    }
    return undefined;
  }

  /** The field every call of this method stores its result in (`this.client = this.setup(url)`, awaited or not). */
  private storedReturnKey(method: FunctionNode | undefined): string | undefined {
    const cls = method ? thisClass(method) : undefined;
    if (!method || !cls) return undefined;
    let found: string | undefined;
    for (const call of this.m.syntax.callSites.get(method) ?? []) {
      let value: TSESTree.Node = call;
      if (value.parent?.type === AST_NODE_TYPES.AwaitExpression) value = value.parent;
      const assign = value.parent;
      const key = assign?.type === AST_NODE_TYPES.AssignmentExpression && assign.right === value && assign.operator === '=' ? this.keyOf(assign.left)?.key : undefined;
      if (!key?.startsWith('this@') || (found !== undefined && found !== key)) return undefined;
      found = key;
    }
    return found;
  }

  /** Is this key a variable declared inside `fn` (a parameter or local of it)? */
  isLocalKey(key: string, fn: TSESTree.Node): boolean {
    const def = this.variableByKey.get(key)?.defs[0];
    return !!def && contains(fn, def.name);
  }

  /** {@link varKeys} the other way round: each key is made for one variable. */
  private readonly variableByKey = new Map<string, Variable>();

  /** Whether `end()` counts as a release in this view. */
  get endIsRelease(): boolean {
    return this.options.endIsRelease;
  }

  /** The variable a key was made for (undefined for a field's or `this`'s key). */
  variableOfKey(key: string): Variable | undefined {
    return this.variableByKey.get(key);
  }

  /** Key of an expression that denotes a tracked socket: a variable, or `this.x` (`self.x` with `const self = this`) in a class. */
  keyOf(node: TSESTree.Node): { key: string; kind: ResourceKind } | undefined {
    const n = unwrap(node);
    if (n.type === AST_NODE_TYPES.Identifier) {
      const v = this.m.varOf.get(n);
      if (!v) return undefined;
      if (!this.aliasesDone) return this.keyOfVariableValue(v);
      let known = this.variableKeys.get(v);
      if (known === undefined) {
        known = this.keyOfVariableValue(v) ?? null;
        this.variableKeys.set(v, known);
      }
      return known ?? undefined;
    }
    if (n.type === AST_NODE_TYPES.ThisExpression || n.type === AST_NODE_TYPES.Super) return this.selfKey(n);
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

  /**
   * The aliases are joined ({@link build}'s first pass): a variable's key no longer changes, so it is computed once
   * per variable ({@link variableKeys}) instead of once per reference.
   */
  private aliasesDone = false;
  private readonly variableKeys = new Map<Variable, { key: string; kind: ResourceKind } | null>();

  /** {@link keyOf} of a reference to `v`. */
  private keyOfVariableValue(v: Variable): { key: string; kind: ResourceKind } | undefined {
    // The process's own standard streams (as `process.stdout`, a member no analysis keys): no peer closes them.
    if (this.isProcessStdio(v)) return undefined;
    if (!this.m.plausibleSocketVariable(v)) {
      // An alias through a method returning its receiver (`const same = s.setNoDelay(true)`): the receiver's.
      const root = this.find(v);
      const kind = root !== v ? this.m.kindOfVariable(root) : undefined;
      return kind ? { key: this.keyOfVariable(v), kind } : undefined;
    }
    const kind = this.m.kindOfVariable(v);
    if (!kind) return undefined;
    return { key: this.keyOfVariable(v), kind };
  }

  /**
   * A name for one of the process's standard streams: `import { stdout } from 'node:process'`, `const { stdout } =
   * process`, `const out = process.stdout` (the global `process`), declared once.
   */
  private isProcessStdio(v: Variable): boolean {
    const def = v.defs[0];
    if (!def || v.defs.length !== 1 || def.name.type !== AST_NODE_TYPES.Identifier) return false;
    if (def.type !== DefinitionType.ImportBinding && (def.type !== DefinitionType.Variable || !neverReassigned(v))) return false;
    const isProcess = (n: TSESTree.Node): boolean => n.type === AST_NODE_TYPES.Identifier && n.name === 'process' && !this.m.varOf.get(n)?.defs.length;
    return STDIO.has(processMemberOf(def.name, isProcess) ?? '');
  }

  private readonly selfKinds = new Map<TSESTree.Node, ResourceKind | null>();

  /**
   * `this` in a class that extends a resource class (`class Conn extends net.Socket`): the instance is the
   * socket. Screened by the `extends` clause, then asked once per class.
   */
  private selfKey(n: TSESTree.ThisExpression | TSESTree.Super): { key: string; kind: ResourceKind } | undefined {
    const cls = thisClass(n);
    if (!cls?.superClass) return undefined;
    let kind = this.selfKinds.get(cls);
    if (kind === undefined) {
      kind = null;
      try {
        // The class's instance type (the type of `this` itself is a type parameter bounded by it).
        const tsNode = this.m.services.esTreeNodeToTSNodeMap.get(cls);
        if (tsNode) kind = this.m.registry.kindOf(this.m.checker.getTypeAtLocation(tsNode)) ?? null;
      } catch (error) {
        kind = recover(error, null);
      }
      this.selfKinds.set(cls, kind);
    }
    return kind ? { key: `this@${cls.range[0]}`, kind } : undefined;
  }

  private declaresMember(self: TSESTree.Node, name: string): boolean {
    const cls = thisClass(self);
    return !!cls && cls.body.body.some((el) => (el.type === AST_NODE_TYPES.MethodDefinition || el.type === AST_NODE_TYPES.PropertyDefinition) && !el.computed && keyName(el.key) === name);
  }

  build(): void {
    // Aliases: `const c = s` puts c in s's class.
    for (const scope of this.m.sourceCode.scopeManager?.scopes ?? []) for (const v of scope.variables) for (const id of v.identifiers) {
      const p = id.parent;
      if (p?.type === AST_NODE_TYPES.VariableDeclarator && p.id === id && p.init) {
        const value = unwrap(p.init);
        const init = this.receiverChainRoot(value);
        if (init?.type === AST_NODE_TYPES.Identifier) {
          const src = this.m.varOf.get(init);
          const stable = p.parent.kind === 'const' || neverReassigned(v);
          const kind = src && src !== v ? this.m.kindOfVariable(src) : undefined;
          // Through a method returning its receiver, the alias has the receiver's kind too (its declared type).
          if (kind && stable && (init === value || this.m.kindOfVariable(v) === kind)) {
            this.parent.set(this.find(v), this.find(src as Variable));
          }
        }
      }
    }
    this.aliasesDone = true;
    // The recorder holds each node once.
    const visitExpr = (n: TSESTree.Node): void => {
      const k = this.keyOf(n);
      if (!k) return;
      this.keyKind.set(k.key, k.kind);
      this.classify(n, k.key, k.kind);
    };
    for (const node of this.m.recorder.nodes) {
      if (node.type === AST_NODE_TYPES.Identifier) {
        const p = node.parent;
        if (p?.type === AST_NODE_TYPES.MemberExpression && p.property === node && !p.computed) continue;
        visitExpr(node);
      } else if (node.type === AST_NODE_TYPES.MemberExpression && thisMemberName(node) !== undefined) {
        visitExpr(node);
      } else if ((node.type === AST_NODE_TYPES.ThisExpression || node.type === AST_NODE_TYPES.Super) && node.parent?.type === AST_NODE_TYPES.MemberExpression) {
        visitExpr(node);
      }
    }
    addMethodSummaries(this.m, this, new Guards(this.m, this));
    this.addLocalAssigns();
    this.addReleaseCallbacks();
    // The pre-screen keys no variable or field of a file without a call of a releasing name (see
    // callsReleasingName): such a file must have no release.
    if (isStrict() && (this.releasesByKey.size > 0 || this.summaryReleasesByKey.size > 0) && !this.m.callsReleasingName(this.m.syntax.calls)) {
      throw new Error('socket-close: a value is released in a file without a call of a releasing name');
    }
  }

  /**
   * `pool.connect((err, client, done) => …)`: the function a kind's callback creation hands along with the resource
   * ({@link CallbackCreation.release}, pg's `done`) releases it, at each call of it (`done()`, `done(err)`).
   */
  private addReleaseCallbacks(): void {
    for (const call of this.m.syntax.callsNamed(this.m.callbackCreatingMethods)) {
      const callee = unwrap(call.callee);
      const method = callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
      if (callee.type !== AST_NODE_TYPES.MemberExpression || method === undefined) continue;
      const spec = this.m.kindOfNode(callee.object)?.callbackCreates?.get(method);
      const last = call.arguments[call.arguments.length - 1];
      const fn = spec?.release !== undefined && last ? this.m.functionValue(last) : undefined;
      if (!spec || spec.release === undefined || !fn) continue;
      const resource = fn.params[spec.resource];
      const releaser = fn.params[spec.release];
      const k = resource?.type === AST_NODE_TYPES.Identifier ? this.keyOf(resource) : undefined;
      const v = releaser?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(releaser) : undefined;
      if (!k || !v) continue;
      for (const ref of v.references) {
        const id = ref.identifier;
        const p = id.parent;
        if (p?.type === AST_NODE_TYPES.CallExpression && p.callee === id) this.add({ t: 'release', key: k.key, kind: k.kind, method: v.name, node: p });
      }
    }
  }

  /**
   * A call of a local function whose body starts over a variable of an enclosing function (`const configure =
   * (next) => { channel = next; … }`): at the call, that variable holds a new value, as if the assignment were
   * written there. Only an assignment that is a statement of the function's own body (not inside a branch, a loop
   * or a nested function), so that every call makes it; and only to a variable declared outside the function.
   */
  private addLocalAssigns(): void {
    const byFunction = new Map<TSESTree.Node, ValueOp[]>();
    for (const [node, ops] of this.ops) {
      const stmt = node.type === AST_NODE_TYPES.AssignmentExpression ? node.parent : undefined;
      const body = stmt?.type === AST_NODE_TYPES.ExpressionStatement ? stmt.parent : undefined;
      const fn = body?.type === AST_NODE_TYPES.BlockStatement ? body.parent : undefined;
      if (!fn || !isFunction(fn) || fn.body !== body) continue;
      for (const op of ops) {
        if (op.t !== 'assign' || op.key.startsWith('this@') || this.isLocalKey(op.key, fn)) continue;
        const list = byFunction.get(fn) ?? [];
        list.push(op);
        byFunction.set(fn, list);
      }
    }
    for (const [fn, assigns] of byFunction) {
      for (const call of this.m.syntax.callSites.get(fn as FunctionNode) ?? []) {
        if (contains(fn, call)) continue;
        for (const op of assigns) this.add({ t: 'assign', key: op.key, kind: op.kind, method: '=', node: call });
      }
    }
  }

  /**
   * The receiver a value is: the expression itself, or for `s.setNoDelay(true).setKeepAlive(true)` (methods
   * declared to return `this`) the variable at the start of the chain, when it has a kind. Undefined otherwise.
   */
  private receiverChainRoot(n: TSESTree.Node): TSESTree.Node | undefined {
    const calls: TSESTree.CallExpression[] = [];
    let root = n;
    while (root.type === AST_NODE_TYPES.CallExpression && calls.length < 8) {
      const callee = unwrap(root.callee);
      if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
      calls.push(root);
      root = unwrap(callee.object);
    }
    if (calls.length === 0) return n;
    // Syntax and the receiver's kind first: the declarations are read only for a chain on a tracked variable.
    const v = root.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(root) : undefined;
    if (!v || !this.m.kindOfVariable(v)) return undefined;
    return calls.every((c) => this.m.returnsReceiver(c)) ? root : undefined;
  }

  /** A use summarised at a call (a local function's use of its parameter, made of the argument): an op and a use. */
  addSummaryUse(op: ValueOp): void {
    this.add(op);
  }

  private add(op: ValueOp): void {
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
      if (isNullishLiteral(p0.right)) this.nulledKeys.add(key);
      return;
    }
    const value = climbValue(expr);
    const mc = methodCallOn(value);
    if (mc) {
      const { call, name } = mc;
      // `this.m()` in a class that extends a socket: a method the class declares itself is its own code, not one
      // of the kind's operations (unless the kind names it).
      if (thisOf(expr) && !kind.releases.has(name) && !kind.uses.has(name) && !kind.reopens.has(name) && this.declaresMember(expr, name)) return;
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
    // ``sql`select 1` ``, `sql(rows)`: an operation on a resource that is itself a function.
    const called = kind.callable ? calledAs(value) : undefined;
    if (called) {
      const text = this.m.sourceCode.getText(value);
      this.add({ t: 'use', key, kind, method: called === 'tag' ? `${text}\`…\`` : `${text}(…)`, node: p, receiver: expr });
      return;
    }
    if (p.type === AST_NODE_TYPES.CallExpression && p.arguments.includes(value as TSESTree.CallExpressionArgument)) {
      const idx = p.arguments.indexOf(value as TSESTree.CallExpressionArgument);
      const callee = unwrap(p.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === PIPE_METHOD && idx === 0 && kind.isStream) {
        this.add({ t: 'use', key, kind, method: PIPE_METHOD, node: p, receiver: expr });
        return;
      }
      const fn = this.m.functionValue(p.callee) ?? this.m.thisMethodValue(p.callee);
      if (fn && this.m.parameterEffect(fn, idx) === 'release') {
        const op: ValueOp = { t: 'release', key, kind, method: `${calleeName(p) ?? 'call'}`, node: p, receiver: expr, destroys: this.m.parameterDestroys(fn, idx, kind) };
        // A helper that returns early once it has released (`if (s !== this.sock) return; this.sock = null; …`).
        if (this.m.parameterReleaseGuarded(fn, idx)) op.selfGuarded = true;
        this.add(op);
      }
    }
  }
}

/** The process's standard streams. */
const STDIO: ReadonlySet<string> = new Set(['stdin', 'stdout', 'stderr']);
