/**
 * Class-method summaries for the value view: a `this.m()` call counts as the operations that `m` (and the methods
 * it calls) makes on the fields of the class, so that the flow analysis sees `this.sock.end(); this.flush();`.
 */
import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { calleeName, contains, enclosingFunction, hasOwnNode, isFunction, methodCallOn, unwrap, type FunctionNode } from '../engine/ast';
import type { ResourceKind } from '../kinds/kind';
import { meaningOfCall } from './calls';
import { isExecutor } from './bindings';
import { classSummaries, type ClassSummaries, type MethodCall } from './class-summaries';
import type { FileModel } from './file-model';
import type { Guards } from './guards';
import type { ValueIndex, ValueOp } from './values';

const DefinitionType = TSESLint.Scope.DefinitionType;

/**
 * `this.m()` calls as operations on the fields that `m` uses or releases (with the methods it calls in turn):
 * a use of a field that `m` makes unguarded, and a release of it (marked when `m` makes it behind a liveness test:
 * a second call releases nothing), unless `m` (or a method it calls) also assigns or reopens the field. The use comes first: `m` may release after using, never the other way round without a
 * report inside `m` itself. Called once by `ValueIndex.build`, with the guards over the direct operations.
 */
export function addMethodSummaries(m: FileModel, index: ValueIndex, guards: Guards): void {
  addLocalFunctionUses(m, index, guards);
  const classes = classSummaries(m);
  if (classes.references.length === 0 && !m.recorder.flows.some((f) => isFunction(f.node) && classes.callsIn(f.node).length > 0)) return;
  const summaries = new Map<FunctionNode, ValueOp[]>();
  const own = new Map<FunctionNode, ValueOp[]>();
  const add = (fn: FunctionNode, ops: readonly ValueOp[]): void => {
    const list = own.get(fn) ?? [];
    list.push(...ops);
    own.set(fn, list);
  };
  for (const [node, ops] of index.ops) {
    const fn = enclosingFunction(node);
    if (!fn) continue;
    add(fn, ops.filter((op) => op.key.startsWith('this@')));
    // `return new Promise((resolve) => { const s = net.connect(port, () => { this.s = s; resolve(); }); })`: a field
    // assigned in a callback inside the executor of a promise the method makes may be assigned once it settles.
    const stores = ops.filter((op) => op.key.startsWith('this@') && (op.t === 'assign' || op.t === 'reopen'));
    const maker = stores.length > 0 ? promiseMaker(node) : undefined;
    if (maker && maker !== fn) add(maker, stores);
  }
  for (const flow of m.recorder.flows) {
    const fn = flow.node;
    if (!isFunction(fn)) continue;
    for (const c of classes.callsIn(fn)) {
      let summary = summaries.get(c.method);
      if (!summary) {
        summary = summarise(index, c.method, classes, guards, own);
        summaries.set(c.method, summary);
      }
      const via = calleeName(c.call) ?? 'method';
      for (const op of summary) {
        // `this.reply(334, …)` of `reply(code) { …; if (code >= 500) this.socket.destroy(); }`: the constant argument
        // makes the test around the release false — no release at this call.
        if (op.t === 'release' && releaseRuledOut(op.anchor ?? op.node, c.method, c.call)) continue;
        const at: ValueOp = { t: op.t, key: op.key, kind: op.kind, method: op.method, node: c.call, destroys: op.destroys, via };
        if (op.selfGuarded) at.selfGuarded = true;
        let list = index.ops.get(c.call);
        if (!list) {
          list = [];
          index.ops.set(c.call, list);
        }
        list.push(at);
        if (op.t === 'release') {
          const l = index.summaryReleasesByKey.get(op.key) ?? [];
          l.push(at);
          index.summaryReleasesByKey.set(op.key, l);
        }
      }
    }
  }
}

/**
 * A call of a local function (`function flush() { while (queue.length) socket.write(queue.shift()); }`) counts as the
 * uses that the function's own code makes of a variable declared outside it, so that `socket.on('error', () =>
 * flush())` — a listener that runs once its error has destroyed the socket — is a use after the release, as the
 * write itself in the listener would be. Only a use that the function makes unguarded (no liveness test around it
 * there), of a variable it neither assigns nor reopens; not its releases (a helper that may release on one branch
 * would make every use after a call of it a report), not `this` fields (the class summaries above).
 */
function addLocalFunctionUses(m: FileModel, index: ValueIndex, guards: Guards): void {
  const usesByFunction = new Map<FunctionNode, ValueOp[]>();
  const touched = new Map<FunctionNode, Set<string>>();
  /** The unguarded uses a local function makes of its own parameters, by parameter key (see {@link addParameterUses}). */
  const parameterUses = new Map<string, ValueOp>();
  const touchedParameters = new Set<string>();
  for (const [node, ops] of index.ops) {
    let fn: FunctionNode | undefined;
    for (const op of ops) {
      if (op.key.startsWith('this@') || op.via !== undefined) continue;
      fn ??= enclosingFunction(node);
      if (!fn || !m.syntax.callSites.has(fn)) continue;
      if (index.isLocalKey(op.key, fn)) {
        if (op.t === 'assign' || op.t === 'reopen' || op.t === 'release') touchedParameters.add(op.key);
        else if (op.t === 'use' && !parameterUses.has(op.key) && !guards.guarded(op, undefined, fn)) parameterUses.set(op.key, op);
        continue;
      }
      if (op.t === 'assign' || op.t === 'reopen') {
        let keys = touched.get(fn);
        if (!keys) touched.set(fn, (keys = new Set()));
        keys.add(op.key);
      } else if (op.t === 'use' && !guards.guarded(op, undefined, fn)) {
        const list = usesByFunction.get(fn) ?? [];
        if (!list.some((o) => o.key === op.key)) list.push(op);
        usesByFunction.set(fn, list);
      }
    }
  }
  const kept = new Map<FunctionNode, ValueOp[]>();
  for (const [fn, uses] of usesByFunction) {
    const keys = touched.get(fn);
    const list = keys ? uses.filter((op) => !keys.has(op.key)) : uses;
    if (list.length > 0) kept.set(fn, list);
  }
  // Through local functions calling one another (`emptyBuffer()` → `write(evt)` → `socket.write(…)`), up to three
  // calls deep: a call made, unguarded, in the own code of a local function adds the callee's uses to its own.
  for (let round = 0; round < 3; round++) {
    let changed = false;
    for (const [callee, uses] of [...kept]) {
      for (const call of m.syntax.callSites.get(callee) ?? []) {
        const caller = enclosingFunction(call);
        if (!caller || caller === callee || contains(callee, call) || !m.syntax.callSites.has(caller)) continue;
        const keys = touched.get(caller);
        const list = kept.get(caller) ?? [];
        for (const op of uses) {
          if (list.some((o) => o.key === op.key) || keys?.has(op.key) || index.isLocalKey(op.key, caller)) continue;
          if (guards.guarded({ ...op, node: call, receiver: undefined }, undefined, caller)) continue;
          list.push(op);
          changed = true;
        }
        if (list.length > 0) kept.set(caller, list);
      }
    }
    if (!changed) break;
  }
  for (const [fn, uses] of kept) {
    for (const call of m.syntax.callSites.get(fn) ?? []) {
      if (contains(fn, call)) continue;
      const via = calleeName(call) ?? 'function';
      let list = index.ops.get(call);
      if (!list) index.ops.set(call, (list = []));
      for (const op of uses) list.push({ t: 'use', key: op.key, kind: op.kind, method: op.method, node: call, via });
    }
  }
  addParameterUses(m, index, parameterUses, touchedParameters);
}

/**
 * `function sendData(socket) { socket.write(message); }` called as `sendData(client)`: a call of a local function
 * counts as the uses that the function makes, unguarded, of a parameter it neither assigns, reopens nor releases,
 * made of the argument given there (`setInterval(() => sendData(client), 1000)` writes to `client` after the peer
 * closed it, as `client.write(message)` there would: such a use is one the deferred uses look at too).
 */
function addParameterUses(m: FileModel, index: ValueIndex, uses: ReadonlyMap<string, ValueOp>, touched: ReadonlySet<string>): void {
  addUntypedParameterUses(m, index);
  for (const [key, op] of uses) {
    if (touched.has(key)) continue;
    const def = index.variableOfKey(key)?.defs[0];
    if (def?.type !== DefinitionType.Parameter || !isFunction(def.node)) continue;
    const fn = def.node;
    const at = fn.params.indexOf(def.name);
    if (at < 0 || fn.params.slice(0, at).some((p) => p.type === AST_NODE_TYPES.RestElement)) continue;
    for (const call of m.syntax.callSites.get(fn) ?? []) {
      if (contains(fn, call) || call.type !== AST_NODE_TYPES.CallExpression) continue;
      const args = call.arguments;
      if (args.slice(0, at).some((a) => a.type === AST_NODE_TYPES.SpreadElement)) continue;
      const arg = args[at];
      const given = arg && arg.type !== AST_NODE_TYPES.SpreadElement ? index.keyOf(arg) : undefined;
      if (!given || given.kind !== op.kind) continue;
      index.addSummaryUse({ t: 'use', key: given.key, kind: given.kind, method: op.method, node: call, via: calleeName(call) ?? 'function', receiver: arg });
    }
  }
}

function summarise(index: ValueIndex, method: FunctionNode, classes: ClassSummaries, guards: Guards, own: ReadonlyMap<FunctionNode, ValueOp[]>): ValueOp[] {
  const regions: Array<{ fn: FunctionNode; chain: readonly MethodCall[] }> = [{ fn: method, chain: [] }, ...classes.reachable(method).map((r) => ({ fn: r.method, chain: r.chain }))];
  const touched = new Set<string>();
  const uses = new Map<string, ValueOp>();
  const releases = new Map<string, ValueOp>();
  for (const { fn, chain } of regions) {
    for (const op of own.get(fn) ?? []) {
      {
        if (op.t === 'assign' || op.t === 'reopen') touched.add(op.key);
        else if (op.t === 'release' && !releases.has(op.key)) {
          // (Where in the summarised method's own code the release is reached from: for one of a method it calls, that call.)
          const anchor = chain[0]?.call ?? op.node;
          releases.set(op.key, { ...op, anchor, ...(guardedIn(op, fn, chain, method, guards) ? { selfGuarded: true } : {}) });
        }
        else if (op.t === 'use' && !uses.has(op.key) && !guardedIn(op, fn, chain, method, guards)) uses.set(op.key, op);
      }
    }
  }
  const out: ValueOp[] = [];
  for (const [key, op] of uses) if (!touched.has(key)) out.push(op);
  for (const [key, op] of releases) if (!touched.has(key) && !index.nulledKeys.has(key)) out.push(op);
  // A method that may assign or reopen the field leaves it usable (on some path: the may-analysis forgets).
  for (const key of touched) {
    const kind = index.keyKind.get(key);
    if (kind) out.push({ t: 'assign', key, kind, method: '=', node: method });
  }
  return out;
}

/**
 * Is the release at `at` (in `method`'s own code) behind a test of one of `method`'s parameters against a literal
 * (`if (code >= 500)`, `if (kind === 'fatal')`, or the `else` of one) that the literal argument `call` gives that
 * parameter makes false?
 */
function releaseRuledOut(at: TSESTree.Node, method: FunctionNode, call: TSESTree.CallExpression): boolean {
  if (enclosingFunction(at) !== method) return false;
  for (let child: TSESTree.Node = at, p = at.parent; p && p !== method; child = p, p = p.parent) {
    if ((p.type !== AST_NODE_TYPES.IfStatement && p.type !== AST_NODE_TYPES.ConditionalExpression) || child === p.test) continue;
    const holds = literalTest(p.test, method, call);
    if (holds !== undefined && holds !== (child === p.consequent)) return true;
  }
  return false;
}

/** The value of `test` (a parameter of `method` compared with a literal, negated or not) for the literal argument `call` gives. */
function literalTest(test: TSESTree.Node, method: FunctionNode, call: TSESTree.CallExpression): boolean | undefined {
  const t = unwrap(test);
  if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') {
    const inner = literalTest(t.argument, method, call);
    return inner === undefined ? undefined : !inner;
  }
  if (t.type !== AST_NODE_TYPES.BinaryExpression) return undefined;
  // A number or string literal: written there, or the argument the call gives a parameter named there.
  const literal = (n: TSESTree.Node | undefined): number | string | undefined => {
    const u = n && unwrap(n);
    return u?.type === AST_NODE_TYPES.Literal && (typeof u.value === 'number' || typeof u.value === 'string') ? u.value : undefined;
  };
  const argument = (n: TSESTree.Node): number | string | undefined => {
    const u = unwrap(n);
    const index = u.type === AST_NODE_TYPES.Identifier ? method.params.findIndex((p) => p.type === AST_NODE_TYPES.Identifier && p.name === u.name) : -1;
    return index >= 0 ? literal(call.arguments[index]) : undefined;
  };
  const fromLeft = argument(t.left);
  const fromRight = argument(t.right);
  const a = fromLeft ?? literal(t.left);
  const b = fromRight ?? literal(t.right);
  if (a === undefined || b === undefined || (fromLeft === undefined && fromRight === undefined)) return undefined;
  switch (t.operator) {
    case '===':
    case '==':
      return a === b;
    case '!==':
    case '!=':
      return a !== b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    default:
      return undefined;
  }
}

/** The function that makes the `new Promise(executor)` this node is in (inside the executor, at any depth). */
function promiseMaker(node: TSESTree.Node): FunctionNode | undefined {
  for (let a = node.parent; a; a = a.parent) {
    if (isExecutor(a)) return enclosingFunction(a.parent);
  }
  return undefined;
}

/** Is a use inside a method guarded there, or at one of the calls that lead to it from `top`? */
function guardedIn(op: ValueOp, fn: FunctionNode, chain: readonly MethodCall[], top: FunctionNode, guards: Guards): boolean {
  if (guards.guarded(op, undefined, fn)) return true;
  let from = top;
  for (const c of chain) {
    if (guards.guarded({ ...op, node: c.call, receiver: undefined }, undefined, from)) return true;
    from = c.method;
  }
  return false;
}

const TESTS = new Set<string>([AST_NODE_TYPES.IfStatement, AST_NODE_TYPES.ConditionalExpression, AST_NODE_TYPES.LogicalExpression, AST_NODE_TYPES.WhileStatement, AST_NODE_TYPES.DoWhileStatement, AST_NODE_TYPES.ForStatement, AST_NODE_TYPES.SwitchStatement]);

/**
 * {@link addParameterUses} for a parameter without a type of its own (JavaScript: `function sendData(socket) {
 * socket.write(message); }`), which the value index does not key: its method calls are read for the kind of the
 * keyed argument given at each call. Only where the function never reassigns the parameter nor calls a release or a
 * reopen on it, and never tests it (nothing of it in a condition of the function: a liveness test, a null check).
 */
function addUntypedParameterUses(m: FileModel, index: ValueIndex): void {
  const keys = m.sourceCode.visitorKeys;
  for (const [fn, calls] of m.syntax.callSites) {
    if (!isFunction(fn)) continue;
    fn.params.forEach((param, at) => {
      if (param.type !== AST_NODE_TYPES.Identifier || param.typeAnnotation || fn.params.slice(0, at).some((p) => p.type === AST_NODE_TYPES.RestElement)) return;
      const pv = m.varOf.get(param);
      if (!pv || index.keyOf(param)) return;
      let given: Array<{ call: TSESTree.CallExpression; arg: TSESTree.Node; key: string; kind: ResourceKind }> | undefined;
      for (const call of calls) {
        if (call.type !== AST_NODE_TYPES.CallExpression || contains(fn, call) || call.arguments.slice(0, at).some((a) => a.type === AST_NODE_TYPES.SpreadElement)) continue;
        const arg = call.arguments[at];
        const k = arg && arg.type !== AST_NODE_TYPES.SpreadElement ? index.keyOf(arg) : undefined;
        if (k) (given ??= []).push({ call, arg, ...k });
      }
      if (!given) return;
      // The parameter's method calls, made in the function's own code; any other write or test of it ends the summary.
      const methods: Array<{ call: TSESTree.CallExpression; name: string }> = [];
      for (const ref of pv.references) {
        if (ref.init) continue;
        if (ref.isWrite() || enclosingFunction(ref.identifier) !== fn) return;
        for (let a: TSESTree.Node | undefined = ref.identifier.parent; a && a !== fn; a = a.parent) if (TESTS.has(a.type) && testMentions(a, ref.identifier)) return;
        const mc = methodCallOn(ref.identifier);
        if (mc) methods.push(mc);
      }
      if (methods.length === 0 || hasOwnNode(fn, fn, TRY_STATEMENTS, keys)) return;
      for (const g of given) {
        let use: string | undefined;
        for (const mc of methods) {
          const meaning = meaningOfCall(g.kind, mc.call, mc.name, index.endIsRelease).t;
          if (meaning === 'release' || meaning === 'reopen') {
            use = undefined;
            break;
          }
          if (meaning === 'use') use ??= mc.name;
        }
        if (use !== undefined) index.addSummaryUse({ t: 'use', key: g.key, kind: g.kind, method: use, node: g.call, via: calleeName(g.call) ?? 'function', receiver: g.arg });
      }
    });
  }
}

/** A function with a `try` may catch what a use throws itself: not summarised. */
const TRY_STATEMENTS = new Set<string>([AST_NODE_TYPES.TryStatement]);

/** Does the test part of `node` (an `if`'s test, a loop's condition, one side of `&&`) hold `id`? */
function testMentions(node: TSESTree.Node, id: TSESTree.Node): boolean {
  switch (node.type) {
    case AST_NODE_TYPES.IfStatement:
    case AST_NODE_TYPES.ConditionalExpression:
    case AST_NODE_TYPES.WhileStatement:
    case AST_NODE_TYPES.DoWhileStatement:
      return contains(node.test, id);
    case AST_NODE_TYPES.ForStatement:
      return !!node.test && contains(node.test, id);
    case AST_NODE_TYPES.SwitchStatement:
      return contains(node.discriminant, id);
    case AST_NODE_TYPES.LogicalExpression:
      return contains(node.left, id);
    default:
      return false;
  }
}
