import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
const DefinitionType = TSESLint.Scope.DefinitionType;
import { AST_NODE_TYPES } from '../engine/node-types';
import { EMITTER_CHAIN_METHODS } from '../kinds/vocabulary';
import {
  climbValue,
  contains,
  dottedName,
  enclosingFunction,
  endsInProcessExit,
  isFunction,
  isProcessExit,
  isRequireCall,
  methodCallOn,
  propertyName,
  thisMemberName,
  throwEndsProcess,
  unwrap,
  wholeCopyOf,
  type FunctionNode,
  keyName,
} from '../engine/ast';
import { givenToExitingRunner } from './runners';
import type { Variable } from './bindings';
import type { ResourceKind } from '../kinds/kind';
import { Screens } from './screens';

/** Calls that read a collection they are given without keeping it (`Promise.all(socks)`). */
const COLLECTION_READERS: ReadonlySet<string> = new Set(['Promise.all', 'Promise.allSettled', 'Promise.race', 'Promise.any', 'Array.from', 'console.log', 'console.error', 'console.warn', 'console.info', 'console.debug']);

export const NON_OWNING_CALLEES = new Set([
  'console.log',
  'console.error',
  'console.warn',
  'console.info',
  'console.debug',
  'console.trace',
  'console.dir',
  'assert',
  'assert.ok',
  'assert.equal',
  'assert.strictEqual',
  'assert.notEqual',
  'assert.notStrictEqual',
  'assert.deepEqual',
  'assert.deepStrictEqual',
  'assert.ifError',
  'util.inspect',
  'util.format',
  'inspect',
  'format',
  'JSON.stringify',
  'String',
  'Boolean',
  'Number',
  'Array.isArray',
  'Object.keys',
  'Object.entries',
  'Object.values',
  'expect',
  'once',
  'events.once',
  'EventEmitter.once',
  'on',
  'events.on',
  'finished',
  'stream.finished',
  'clearTimeout',
  'clearInterval',
  'isIP',
  'net.isIP',
]);


/**
 * Layer 5 of the file model: what a function does with a parameter, and what the references of a variable do
 * with the resource it holds: release it, hand it on, or only borrow it.
 */
export class Effects extends Screens {
  /**
   * A callee of {@link NON_OWNING_CALLEES} (`console.log`, `once` imported from `events`). A plain name counts only
   * when it is a global or an import: a function value of the file that happens to be called so (`const once =
   * onceOf(cb)`, a wrapped callback) is whatever it was made from.
   */
  isNonOwningCallee(callee: TSESTree.Node): boolean {
    const name = dottedName(callee);
    if (!name || !NON_OWNING_CALLEES.has(name)) return false;
    const c = unwrap(callee);
    if (c.type !== AST_NODE_TYPES.Identifier) return true;
    const def = this.varOf.get(c)?.defs[0];
    if (!def || def.type === DefinitionType.ImportBinding) return true;
    // CommonJS's import: `const { once } = require('node:events')`.
    return def.type === DefinitionType.Variable && def.node.id.type === AST_NODE_TYPES.ObjectPattern && !!def.node.init && isRequireCall(unwrap(def.node.init));
  }

  /**
   * Is this local a collection of the function's own: made there (`[]`, `new Map()`, `new Set()`…, or an array
   * literal) and never handed anywhere else — not passed to a call (`byHost.set(host, list)`), assigned, returned,
   * put into a literal or aliased? A local name for a collection read out of another one (`const list =
   * byHost.get(host)`, `this.sockets.get(h) ?? new Set()`) or stored into one holds what it holds for that owner.
   * Its own members (`list.push(s)`, `list.length`), iteration and tests do not hand it on.
   */
  isOwnCollection(v: Variable): boolean {
    const def = v.defs[0];
    if (v.defs.length !== 1 || def?.type !== DefinitionType.Variable || def.node.id !== def.name || !def.node.init) return false;
    const fresh = (value: TSESTree.Node): boolean => {
      const e = unwrap(value);
      return (
        e.type === AST_NODE_TYPES.ArrayExpression ||
        (e.type === AST_NODE_TYPES.NewExpression && e.callee.type === AST_NODE_TYPES.Identifier && /^(Array|Map|Set|WeakMap|WeakSet)$/.test(e.callee.name))
      );
    };
    if (!fresh(def.node.init)) return false;
    for (const ref of v.references) {
      if (ref.init) continue;
      if (ref.isWrite()) {
        // `socks = []`: emptied (a new collection of its own), not given another owner's; `socks = socks.filter((s) =>
        // s !== gone)`: its own elements, fewer of them, in a new array of its own.
        const assign = ref.identifier.parent;
        if (assign?.type === AST_NODE_TYPES.AssignmentExpression && assign.operator === '=' && assign.left === ref.identifier && (fresh(assign.right) || narrowsItself(assign.right, v))) continue;
        return false;
      }
      let value = climbValue(ref.identifier);
      // `[...list].forEach(…)`: a whole copy goes where the collection would.
      for (let copy = wholeCopyOf(value); copy; copy = wholeCopyOf(value)) value = copy;
      const p = value.parent;
      if (!p) continue;
      if (p.type === AST_NODE_TYPES.MemberExpression && p.object === value) continue;
      // `Promise.all(list)`, `console.log(list)`: looked at, not kept.
      if (p.type === AST_NODE_TYPES.CallExpression && p.arguments.includes(value as TSESTree.CallExpressionArgument) && COLLECTION_READERS.has(dottedName(p.callee) ?? '')) continue;
      if (
        ((p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) && p.arguments.includes(value as TSESTree.CallExpressionArgument)) ||
        (p.type === AST_NODE_TYPES.AssignmentExpression && p.right === value) ||
        (p.type === AST_NODE_TYPES.VariableDeclarator && p.init === value) ||
        p.type === AST_NODE_TYPES.ReturnStatement ||
        p.type === AST_NODE_TYPES.ArrowFunctionExpression ||
        p.type === AST_NODE_TYPES.Property ||
        p.type === AST_NODE_TYPES.ArrayExpression ||
        p.type === AST_NODE_TYPES.SpreadElement ||
        p.type === AST_NODE_TYPES.YieldExpression
      ) {
        return false;
      }
    }
    return true;
  }

  private readonly exitingFunctions = new Map<FunctionNode, boolean>();

  /**
   * Does the process end at this node: `process.exit()` / `process.abort()`, or a call of a function of the file
   * whose body ends in `process.exit()` and returns nowhere before (`function die(msg: string): never { …;
   * process.exit(1); }`)?
   */
  exitsProcess(node: TSESTree.Node): boolean {
    if (node.type !== AST_NODE_TYPES.CallExpression) return false;
    if (isProcessExit(node)) return true;
    const callee = unwrap(node.callee);
    if (callee.type !== AST_NODE_TYPES.Identifier) return false;
    const fn = this.functionValue(callee);
    if (!fn) return false;
    let exits = this.exitingFunctions.get(fn);
    if (exits === undefined) {
      exits = fn.body?.type === AST_NODE_TYPES.BlockStatement && endsInProcessExit(fn);
      this.exitingFunctions.set(fn, exits);
    }
    return exits;
  }

  /**
   * Does a throw (or rejection) out of `fn` end the process ({@link throwEndsProcess}: a script's entry function, or a
   * function given to a runner of the project that exits when it rejects, {@link givenToExitingRunner})?
   */
  throwEndsProcess(fn: TSESTree.Node): boolean {
    return throwEndsProcess(fn, (id) => this.varOf.get(id), this.sourceCode.text, (f) => givenToExitingRunner(this.checker, this.services, f));
  }

  /**
   * What a function does with its parameter `index`: releases it, hands it on, or only borrows it.
   * Used for "passing it to a local function that releases its parameter".
   */
  parameterEffect(fn: FunctionNode, index: number, depth = 0): 'release' | 'escape' | 'borrow' {
    const v = this.parameterVariable(fn, index);
    return v ? this.variableEffect(v, fn, depth) : 'escape';
  }

  /**
   * Does `fn` release its parameter at `index` in its own code in a `catch` that rethrows (`catch (e) { s.destroy();
   * throw e; }`): released when a call of `fn` fails, though not a release of the call ({@link variableEffect})?
   */
  releasesParameterWhenThrowing(fn: FunctionNode, index: number): boolean {
    const v = this.parameterVariable(fn, index);
    return !!v && v.references.some((ref) => {
      const mc = methodCallOn(climbValue(ref.identifier));
      return !!mc && this.anyRelease.has(mc.name) && enclosingFunction(mc.call) === fn && inRethrowingCatch(ref.identifier, fn);
    });
  }

  /** The variable of `fn`'s parameter at `index` (a plain name, with or without a default value). */
  private parameterVariable(fn: FunctionNode, index: number): Variable | undefined {
    const param = fn.params[index];
    const id = param?.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
    return id?.type === AST_NODE_TYPES.Identifier ? this.varOf.get(id) : undefined;
  }

  /**
   * Does `fn` release its parameter at `index` only with methods that destroy a resource of this kind (`s.close()` on
   * a dgram socket, `s.destroy()`), calling them on the parameter in its own code? Then a call of `fn` tears the
   * resource down as those calls would.
   */
  parameterDestroys(fn: FunctionNode, index: number, kind: ResourceKind): boolean {
    const v = this.parameterVariable(fn, index);
    if (!v) return false;
    let destroys = false;
    for (const ref of v.references) {
      const mc = methodCallOn(climbValue(ref.identifier));
      if (!mc || !kind.releases.has(mc.name) || enclosingFunction(mc.call) !== fn) continue;
      if (!kind.destroys.has(mc.name)) return false;
      destroys = true;
    }
    return destroys;
  }

  /**
   * Is every release that `fn` makes of its parameter at `index` (itself, or through a function of the file it hands
   * the parameter to) behind an idempotence guard: an earlier top-level `if (…) return;` of the function whose test
   * reads a name or a `this` field that the function then assigns before the release (`if (socket !== this.sock)
   * return; this.sock = null; … socket.close()`, `if (this.closed) return; this.closed = true; …`)? A second call
   * then returns before releasing anything.
   */
  parameterReleaseGuarded(fn: FunctionNode, index: number, depth = 0): boolean {
    const v = this.parameterVariable(fn, index);
    if (!v || depth > 3) return false;
    let releases = 0;
    for (const ref of v.references) {
      if (ref.init || ref.isWrite()) continue;
      const value = climbValue(ref.identifier);
      const mc = methodCallOn(value);
      let releasing = false;
      let guardedInside = false;
      if (mc) releasing = this.anyRelease.has(mc.name);
      else {
        const call = value.parent;
        const idx = call?.type === AST_NODE_TYPES.CallExpression ? call.arguments.indexOf(value as TSESTree.CallExpressionArgument) : -1;
        const callee = call?.type === AST_NODE_TYPES.CallExpression && idx >= 0 ? (this.functionValue(call.callee) ?? this.thisMethodValue(call.callee)) : undefined;
        if (callee && callee !== fn && this.parameterEffect(callee, idx, depth + 1) === 'release') {
          releasing = true;
          guardedInside = this.parameterReleaseGuarded(callee, idx, depth + 1);
        }
      }
      if (!releasing) continue;
      releases++;
      if (!guardedInside && !(enclosingFunction(ref.identifier) === fn && guardedBeforeIn(fn, ref.identifier))) return false;
    }
    return releases > 0;
  }

  /**
   * `socket.unref().destroy()`: is `call` (a method call on `value`) followed by a release-named call on its result,
   * and declared to return the socket itself (`unref(): this`)? Asked of the kind the value's type has.
   */
  private selfReturningBeforeRelease(value: TSESTree.Node, call: TSESTree.CallExpression): boolean {
    const next = methodCallOn(climbValue(call));
    if (!next || !this.anyRelease.has(next.name)) return false;
    const kind = this.kindOfNode(value);
    const callee = unwrap(call.callee);
    const name = callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
    return !!kind && ((name !== undefined && kind.returnsSelf.has(name)) || this.returnsSameSocket(call, kind));
  }

  /** Effect of all references of a variable holding a socket of unknown provenance (parameters, loop variables). */
  variableEffect(v: Variable, scopeNode: TSESTree.Node, depth = 0): 'release' | 'escape' | 'borrow' {
    let result: 'release' | 'escape' | 'borrow' = 'borrow';
    for (const ref of v.references) {
      if (ref.init || ref.isWrite()) continue;
      const id = ref.identifier as TSESTree.Identifier;
      // `(pool) => (table) => ({ read: (id) => pool.query(…) })`: captured by a function that `fn` returns, it goes to
      // the caller with that function.
      if (isFunction(scopeNode) && enclosingFunction(id) !== scopeNode && returnedClosure(id, scopeNode)) {
        result = 'escape';
        continue;
      }
      const value = climbValue(id);
      let mc = methodCallOn(value);
      // `s.off('message', f).close()`: an emitter's listener methods give the emitter back.
      while (mc && !this.anyRelease.has(mc.name) && (EMITTER_CHAIN_METHODS.has(mc.name) || this.selfReturningBeforeRelease(value, mc.call))) mc = methodCallOn(climbValue(mc.call));
      if (mc) {
        if (!this.anyRelease.has(mc.name)) continue;
        // A release inside a function that `fn` only creates (a handler it returns or registers) runs when that
        // function is called, not at the call of `fn`: the resource is handed to the closure.
        if (isFunction(scopeNode) && enclosingFunction(id) !== scopeNode) {
          result = 'escape';
          continue;
        }
        // `try { … } catch (e) { conn.end(); throw e; }`: released only on the way out by a throw — the caller gets it
        // back on every path that returns.
        if (isFunction(scopeNode) && inRethrowingCatch(id, scopeNode)) continue;
        return 'release';
      }
      const p = value.parent;
      if (!p) continue;
      if (
        (p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) &&
        p.arguments.includes(value as TSESTree.CallExpressionArgument)
      ) {
        const idx = p.arguments.indexOf(value as TSESTree.CallExpressionArgument);
        const callee = p.type === AST_NODE_TYPES.CallExpression ? (this.functionValue(p.callee) ?? this.thisMethodValue(p.callee)) : undefined;
        if (callee && depth < 4 && callee !== scopeNode) {
          const inner = this.parameterEffect(callee, idx, depth + 1);
          // As for a release: one made by a call inside a function that `fn` only creates runs later.
          if (inner === 'release' && isFunction(scopeNode) && enclosingFunction(id) !== scopeNode) {
            result = 'escape';
            continue;
          }
          if (inner === 'release') return 'release';
          if (inner === 'escape') result = 'escape';
          continue;
        }
        if (this.isNonOwningCallee(p.callee)) continue;
        result = 'escape';
        continue;
      }
      // `coll.findOne(filter, { session })`: an option under which a kind is only lent to the call it is given to.
      if (p.type === AST_NODE_TYPES.Property && p.value === value && !p.computed && this.registry.anyLentOption.has(keyName(p.key) ?? '') && isCallArgument(p.parent)) continue;
      if (
        p.type === AST_NODE_TYPES.ReturnStatement ||
        p.type === AST_NODE_TYPES.YieldExpression ||
        (p.type === AST_NODE_TYPES.AssignmentExpression && p.right === value) ||
        p.type === AST_NODE_TYPES.Property ||
        p.type === AST_NODE_TYPES.ArrayExpression ||
        // `{ ...extras }`: what the parameter holds is copied into a new object.
        p.type === AST_NODE_TYPES.SpreadElement ||
        (p.type === AST_NODE_TYPES.ArrowFunctionExpression && p.body === value)
      ) {
        result = 'escape';
      }
    }
    return result;
  }

}

/** Is this object literal itself an argument of a call or `new` (not stored first)? */
function isCallArgument(literal: TSESTree.Node): boolean {
  const value = climbValue(literal);
  const p = value.parent;
  return (p?.type === AST_NODE_TYPES.CallExpression || p?.type === AST_NODE_TYPES.NewExpression) && p.arguments.includes(value as TSESTree.CallExpressionArgument);
}

/**
 * Is `node` in the `catch` of a `try` of `fn`'s own code whose block ends by throwing (`catch (e) { conn.end(); throw e;
 * }`): does it run only on a path that leaves `fn` by a throw?
 */
function inRethrowingCatch(node: TSESTree.Node, fn: TSESTree.Node): boolean {
  for (let p = node.parent; p && p !== fn; p = p.parent) {
    if (p.type === AST_NODE_TYPES.CatchClause) {
      const last = p.body.body[p.body.body.length - 1];
      return last?.type === AST_NODE_TYPES.ThrowStatement;
    }
    if (isFunction(p)) return false;
  }
  return false;
}

/**
 * Is `node` inside a function that `fn` returns: the function itself, or a method of an object literal returned, at
 * any depth of functions that each return the next (`(pool) => (table) => ({ read() { pool.query(…) } })`)?
 */
function returnedClosure(node: TSESTree.Node, fn: TSESTree.Node): boolean {
  let g: TSESTree.Node | undefined = enclosingFunction(node);
  for (let depth = 0; g && g !== fn && depth < 8; depth++) {
    // The value that holds `g`: itself, or an object literal it is a property value of.
    let v: TSESTree.Node = climbValue(g);
    while (v.parent?.type === AST_NODE_TYPES.Property && v.parent.value === v && v.parent.parent?.type === AST_NODE_TYPES.ObjectExpression) {
      v = climbValue(v.parent.parent);
    }
    const p = v.parent;
    let owner: TSESTree.Node | undefined;
    if (p?.type === AST_NODE_TYPES.ReturnStatement) owner = enclosingFunction(p);
    else if (p?.type === AST_NODE_TYPES.ArrowFunctionExpression && p.body === v) owner = p;
    if (!owner) return false;
    if (owner === fn) return true;
    g = owner;
  }
  return false;
}

/**
 * Is `node` (in `fn`'s own code) after an idempotence guard of `fn`: a top-level `if (test) return;` before the
 * statement that holds it, then an assignment (a statement of its own, between the guard and `node`) to a name or a
 * `this` field that the test reads?
 */
function guardedBeforeIn(fn: FunctionNode, node: TSESTree.Node): boolean {
  const body = fn.body;
  if (body?.type !== AST_NODE_TYPES.BlockStatement) return false;
  const at = body.body.findIndex((st) => contains(st, node));
  const tested = new Set<string>();
  const nameOf = (n: TSESTree.Node): string | undefined => {
    const u = unwrap(n);
    if (u.type === AST_NODE_TYPES.Identifier) return u.name;
    const field = u.type === AST_NODE_TYPES.MemberExpression ? thisMemberName(u) : undefined;
    return field === undefined ? undefined : `this.${field}`;
  };
  for (let i = 0; i < at; i++) {
    const st = body.body[i];
    if (st.type === AST_NODE_TYPES.IfStatement && !st.alternate) {
      const c = st.consequent;
      const returns = c.type === AST_NODE_TYPES.ReturnStatement || (c.type === AST_NODE_TYPES.BlockStatement && c.body[c.body.length - 1]?.type === AST_NODE_TYPES.ReturnStatement);
      if (!returns) continue;
      const visit = (n: TSESTree.Node): void => {
        const name = nameOf(n);
        if (name !== undefined) tested.add(name);
        if (n.type === AST_NODE_TYPES.BinaryExpression || n.type === AST_NODE_TYPES.LogicalExpression) {
          visit(n.left);
          visit(n.right);
        } else if (n.type === AST_NODE_TYPES.UnaryExpression) visit(n.argument);
      };
      visit(st.test);
      continue;
    }
    if (tested.size === 0 || st.type !== AST_NODE_TYPES.ExpressionStatement || st.expression.type !== AST_NODE_TYPES.AssignmentExpression) continue;
    const assigned = nameOf(st.expression.left);
    if (assigned !== undefined && tested.has(assigned)) return true;
  }
  return false;
}

/** `list.filter(…)` / `list.slice(…)` on the variable itself: a copy of the collection with some of its elements. */
function narrowsItself(value: TSESTree.Node, v: Variable): boolean {
  const call = unwrap(value);
  if (call.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || !NARROWING_COPIES.has(propertyName(callee) ?? '')) return false;
  const obj = unwrap(callee.object);
  return obj.type === AST_NODE_TYPES.Identifier && v.references.some((ref) => ref.identifier === obj);
}

const NARROWING_COPIES = new Set(['filter', 'slice']);
