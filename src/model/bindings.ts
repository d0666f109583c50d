import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import * as ts from 'typescript';
import {
  boundFunction,
  calledAs,
  climbValue,
  contains,
  enclosingFunction,
  isFunction,
  keyName,
  methodCallOn,
  propertyName,
  recordThisAliases,
  thisClass,
  thisOf,
  thisOwner,
  unwrap,
  type FunctionNode,
} from '../engine/ast';
const DefinitionType = TSESLint.Scope.DefinitionType;
import type { FlowRecorder } from '../engine/flow';
import { isStrict } from '../engine/strict';

export type Variable = TSESLint.Scope.Variable;
export type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/** Is the variable never assigned after its declaration (a `const`, or a `let`, `var` or parameter left alone)? */
export function neverReassigned(v: Variable): boolean {
  return v.references.every((r) => !r.isWrite() || r.init);
}

/** Does `fn` call a method of `v` that `test` accepts (`client.end()` in a callback of it)? */
export function callsMethodIn(v: Variable, fn: TSESTree.Node, test: (name: string) => boolean): boolean {
  return v.references.some((ref) => {
    const mc = contains(fn, ref.identifier) ? methodCallOn(ref.identifier) : undefined;
    return !!mc && test(mc.name);
  });
}

/**
 * The value a variable is initialised with (unwrapped), when it is declared once, by its own name (not destructured),
 * and never assigned again; else undefined.
 */
export function soleInitialiser(v: Variable | undefined): TSESTree.Node | undefined {
  const def = v?.defs[0];
  if (!v || v.defs.length !== 1 || def?.type !== DefinitionType.Variable || def.node.id !== def.name || !def.node.init || !neverReassigned(v)) return undefined;
  return unwrap(def.node.init);
}

/**
 * `let close: () => void;` … `close = () => { … };`: a variable declared without a value and given a function by one
 * assignment statement in the block that declares it (not in a branch, a loop or another function).
 */
function assignedOnce(v: Variable, declaration: TSESTree.Node): FunctionNode | undefined {
  if (v.references.some((r) => r.init && r.isWrite())) return undefined;
  const assign = soleAssignmentStatement(v, declaration) ?? soleAssignmentStatement(v, declaration, true);
  const value = assign && (boundFunction(unwrap(assign.right)) ?? unwrap(assign.right));
  return value && isFunction(value) ? value : undefined;
}

/**
 * The one assignment `v = …` made to a variable besides its declaration's own value, when it is a statement of the
 * block that holds `declaration` (not in a branch, a loop or another function; with `inTry`, of the `try` block of a
 * `try` statement of that block instead); undefined otherwise.
 */
export function soleAssignmentStatement(v: Variable, declaration: TSESTree.Node, inTry = false): TSESTree.AssignmentExpression | undefined {
  const writes = v.references.filter((r) => r.isWrite() && !r.init);
  const id = writes.length === 1 ? writes[0]?.identifier : undefined;
  const assign = id?.parent;
  if (assign?.type !== AST_NODE_TYPES.AssignmentExpression || assign.operator !== '=' || assign.left !== id) return undefined;
  const block = assign.parent.type === AST_NODE_TYPES.ExpressionStatement ? assign.parent.parent : undefined;
  if (!inTry) return block === declaration.parent ? assign : undefined;
  // `inTry`: in the `try` block of a `try` statement of that block instead (`let release; try { c = await
  // pool.connect(); release = () => c.release(); } catch { … }`), where a throw before it leaves the variable unset.
  const attempt = block?.parent;
  return attempt?.type === AST_NODE_TYPES.TryStatement && attempt.block === block && attempt.parent === declaration.parent ? assign : undefined;
}

/** Is this an import binding of `import type { … }` or `import { type … }` (a type, no value)? */
export function isTypeOnlyImport(def: Variable['defs'][number]): boolean {
  if (def.type !== DefinitionType.ImportBinding) return false;
  return (def.node as { importKind?: string }).importKind === 'type' || (def.parent as { importKind?: string } | null)?.importKind === 'type';
}

export interface Services {
  program: ts.Program;
  esTreeNodeToTSNodeMap: { get(node: TSESTree.Node): ts.Node };
}

/**
 * Layer 1 of the file model: names. Which variable each identifier denotes, which function a name or a
 * `this.m` callee runs, `self = this` aliases and Promise executors. Asks the type checker nothing.
 */
export class Bindings {
  private readonly functionOfVariable = new Map<Variable, FunctionNode | null>();

  constructor(
    readonly sourceCode: TSESLint.SourceCode,
    readonly services: Services,
    readonly recorder: FlowRecorder,
  ) {
    recordThisAliases(sourceCode);
  }

  /**
   * The variable each identifier (declaration or resolved reference) denotes. A file that the pre-screen skips
   * asks this of a few names only: those are resolved through their own scope ({@link VariableResolver}); the map of
   * every identifier of the file is built once a file asks more.
   */
  get varOf(): VariableLookup {
    this.resolver ??= new VariableResolver(this.sourceCode);
    return this.resolver;
  }

  private resolver: VariableResolver | undefined;

  /**
   * The file is to be analysed (the pre-screen found a candidate): its analyses ask the variable of most of its
   * identifiers, so the map of every identifier is built now instead of after a run of scope-by-scope lookups.
   */
  resolveWholeFile(): void {
    this.resolver ??= new VariableResolver(this.sourceCode);
    this.resolver.useWholeMap();
  }

  variableOf(node: TSESTree.Node): Variable | undefined {
    const n = unwrap(node);
    return n.type === AST_NODE_TYPES.Identifier ? this.varOf.get(n) : undefined;
  }

  /** Is the variable declared inside `owner` (its own scope or a nested one)? */
  isLocalTo(v: Variable, owner: TSESTree.Node): boolean {
    const def = v.defs[0];
    if (!def) return false;
    return contains(owner, def.name) && owner !== def.name;
  }

  /**
   * Is the variable declared inside `owner`, or is `owner` a function called where it is written (an IIFE, `(async ()
   * => { … })()`) and every reference of the variable inside it, but a declaration that gives it nothing (`let ws:
   * WebSocket | null = null;` in the enclosing function)? Such a variable is the immediately invoked function's own.
   */
  isOwnedBy(v: Variable, owner: TSESTree.Node): boolean {
    if (this.isLocalTo(v, owner)) return true;
    if (!isFunction(owner) || calledAs(climbValue(owner)) !== 'call') return false;
    return v.defs.length === 1 && v.defs[0]?.type === DefinitionType.Variable && v.references.every((ref) => contains(owner, ref.identifier) || (ref.init && (!ref.writeExpr || this.isNullOrUndefined(unwrap(ref.writeExpr)))));
  }

  /** `null`, or the global `undefined` (not a binding of that name). A regular expression's value may be null too. */
  protected isNullOrUndefined(node: TSESTree.Node): boolean {
    if (node.type === AST_NODE_TYPES.Literal) return node.value === null && !('regex' in node && node.regex);
    return node.type === AST_NODE_TYPES.Identifier && node.name === 'undefined' && !this.varOf.get(node)?.defs.length;
  }

  /** The function a variable names (function declaration, or const initialised with a function). */
  functionOf(v: Variable | undefined): FunctionNode | undefined {
    if (!v) return undefined;
    const cached = this.functionOfVariable.get(v);
    if (cached !== undefined) return cached ?? undefined;
    let fn: FunctionNode | undefined;
    const def = v.defs[0];
    if (def?.type === DefinitionType.FunctionName && isFunction(def.node)) fn = def.node;
    else if (def?.type === DefinitionType.Variable && v.defs.length === 1) {
      const decl = def.node;
      const parent = decl.parent as TSESTree.VariableDeclaration | undefined;
      const init = decl.init ? (boundFunction(unwrap(decl.init)) ?? decl.init) : undefined;
      if (init && isFunction(init) && (parent?.kind === 'const' || neverReassigned(v))) {
        fn = init;
      } else if (!decl.init && decl.id === def.name && parent) {
        fn = assignedOnce(v, parent);
      }
    }
    this.functionOfVariable.set(v, fn ?? null);
    return fn;
  }

  private functionNamesCache: ReadonlySet<string> | undefined;

  /**
   * The names of the file's variables that name a function ({@link functionOf}): an identifier with another name
   * names none, so a pass over every identifier of the file resolves only these.
   */
  get functionNames(): ReadonlySet<string> {
    if (!this.functionNamesCache) {
      const names = new Set<string>();
      for (const scope of this.sourceCode.scopeManager?.scopes ?? []) {
        for (const v of scope.variables) if (!names.has(v.name) && mayNameFunction(v) && this.functionOf(v)) names.add(v.name);
      }
      this.functionNamesCache = names;
    }
    return this.functionNamesCache;
  }

  /** A function value: a function expression, or an identifier naming a local function. */
  functionValue(node: TSESTree.Node | undefined): FunctionNode | undefined {
    if (!node) return undefined;
    const n = unwrap(node);
    if (isFunction(n)) return n;
    if (n.type === AST_NODE_TYPES.Identifier) return this.functionOf(this.varOf.get(n));
    // `fn.bind(this)`: the same function, run with another `this` (more arguments would shift its parameters).
    const bound = boundFunction(n);
    return bound ? this.functionValue(bound) : undefined;
  }

  /**
   * `this.m` (`this.#m`) naming a method of the class that `this` is in, on the same side (instance or static),
   * declared once in the class body with a body (or as a field initialised with a function): that function. Not a
   * getter or setter; a subclass that overrides the method is not considered.
   */
  thisMethodValue(node: TSESTree.Node | undefined): FunctionNode | undefined {
    return this.thisMemberFunction(node, 'method');
  }

  /** `this.x` naming a getter of the class that `this` is in, on the same side, declared once: its function. */
  thisGetterValue(node: TSESTree.Node | undefined): FunctionNode | undefined {
    return this.thisMemberFunction(node, 'get');
  }

  private thisMemberFunction(node: TSESTree.Node | undefined, kind: 'method' | 'get'): FunctionNode | undefined {
    if (!node) return undefined;
    const n = unwrap(node);
    if (n.type !== AST_NODE_TYPES.MemberExpression || n.computed || !thisOf(n.object)) return undefined;
    const owner = thisOwner(n.object);
    const cls = owner?.node;
    if (!owner || !cls || (cls.type !== AST_NODE_TYPES.ClassDeclaration && cls.type !== AST_NODE_TYPES.ClassExpression)) return undefined;
    const name = n.property.type === AST_NODE_TYPES.PrivateIdentifier ? `#${n.property.name}` : propertyName(n);
    if (name === undefined) return undefined;
    let found: FunctionNode | undefined;
    for (const el of cls.body.body) {
      if ((el.type !== AST_NODE_TYPES.MethodDefinition && el.type !== AST_NODE_TYPES.PropertyDefinition) || el.computed || el.static !== owner.isStatic) continue;
      const key = el.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${el.key.name}` : keyName(el.key);
      if (key !== name) continue;
      if (kind === 'get') {
        if (el.type !== AST_NODE_TYPES.MethodDefinition) return undefined;
        if (el.kind === 'set') continue;
        if (el.kind !== 'get' || found || el.value.type !== AST_NODE_TYPES.FunctionExpression) return undefined;
        found = el.value;
        continue;
      }
      if (el.type === AST_NODE_TYPES.MethodDefinition) {
        if (el.kind !== 'method') return undefined;
        if (el.value.type !== AST_NODE_TYPES.FunctionExpression) continue; // an overload signature
        if (found) return undefined;
        found = el.value;
      } else {
        const value = el.value ? unwrap(el.value) : undefined;
        if (!value || !isFunction(value) || found) return undefined;
        found = value;
      }
    }
    return found;
  }

  /** The class whose instance `node` denotes: `this`, or a `const self = this` alias. */
  thisLikeClass(node: TSESTree.Node): ClassNode | undefined {
    const self = thisOf(node);
    return self ? thisClass(self) : undefined;
  }

  /** The method a call of `this.m` / `self.m` runs. */
  methodOf(callee: TSESTree.Node): FunctionNode | undefined {
    const c = unwrap(callee);
    if (c.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const cls = this.thisLikeClass(c.object);
    const name = propertyName(c);
    if (name === undefined) return undefined;
    if (!cls) return this.namedMemberFunction(c.object, name);
    for (const el of cls.body.body) {
      if (el.type === AST_NODE_TYPES.MethodDefinition && !el.computed && el.key.type === AST_NODE_TYPES.Identifier && el.key.name === name) {
        return isFunction(el.value) ? el.value : undefined;
      }
    }
    return undefined;
  }

  /**
   * `helpers.showAll` where `const helpers = { showAll }` (or `{ showAll: function … }`, `{ showAll() { … } }`) is
   * an object literal of the file, and `Repo.count` of a class of the file with a static method `count`: that function.
   */
  private namedMemberFunction(object: TSESTree.Node, name: string): FunctionNode | undefined {
    const o = unwrap(object);
    if (o.type === AST_NODE_TYPES.ThisExpression) return this.siblingMethod(o, name);
    if (this.isCommonJsExports(o)) return this.exportedFunctions().get(name) ?? undefined;
    const v = o.type === AST_NODE_TYPES.Identifier ? this.varOf.get(o) : undefined;
    const def = v?.defs.length === 1 ? v.defs[0] : undefined;
    if (!def) return undefined;
    if (def.type === DefinitionType.ClassName && (def.node.type === AST_NODE_TYPES.ClassDeclaration || def.node.type === AST_NODE_TYPES.ClassExpression)) {
      const found = def.node.body.body.filter((el) => el.type === AST_NODE_TYPES.MethodDefinition && el.static && el.kind === 'method' && !el.computed && keyName(el.key) === name);
      const only = found.length === 1 ? found[0] : undefined;
      return only?.type === AST_NODE_TYPES.MethodDefinition && only.value.type === AST_NODE_TYPES.FunctionExpression ? only.value : undefined;
    }
    const decl = def.type === DefinitionType.Variable ? def.node : undefined;
    const init = decl?.id === def.name && decl.parent.kind === 'const' && decl.init ? unwrap(decl.init) : undefined;
    return init?.type === AST_NODE_TYPES.ObjectExpression ? this.literalMethod(init, name) : undefined;
  }

  /** CommonJS's `exports` or `module.exports` (names the file does not declare). */
  protected isCommonJsExports(node: TSESTree.Node): boolean {
    const o = unwrap(node);
    if (o.type === AST_NODE_TYPES.Identifier) return o.name === 'exports' && !this.varOf.get(o)?.defs.length;
    if (o.type !== AST_NODE_TYPES.MemberExpression || o.computed || propertyName(o) !== 'exports') return false;
    const module = unwrap(o.object);
    return module.type === AST_NODE_TYPES.Identifier && module.name === 'module' && !this.varOf.get(module)?.defs.length;
  }

  private exportedFunctionsCache: Map<string, FunctionNode | null> | undefined;

  /**
   * The functions the module exports by top-level statements `exports.f = …` / `module.exports.f = …` (a function
   * written there, or a function of the file by name), by name; null for a name exported more than once or as
   * something else. `exports.f()` and `module.exports.f()` run them (a CommonJS module calling its own exports).
   */
  private exportedFunctions(): Map<string, FunctionNode | null> {
    if (this.exportedFunctionsCache) return this.exportedFunctionsCache;
    const out = new Map<string, FunctionNode | null>();
    for (const st of this.sourceCode.ast.body) {
      const assign = st.type === AST_NODE_TYPES.ExpressionStatement ? unwrap(st.expression) : undefined;
      if (assign?.type !== AST_NODE_TYPES.AssignmentExpression || assign.operator !== '=') continue;
      const left = unwrap(assign.left);
      if (left.type !== AST_NODE_TYPES.MemberExpression || !this.isCommonJsExports(left.object)) continue;
      const name = propertyName(left);
      if (name === undefined) continue;
      const fn = this.functionValue(assign.right);
      out.set(name, out.has(name) || !fn ? null : fn);
    }
    this.exportedFunctionsCache = out;
    return out;
  }

  /** The function an object literal holds under `name`, when it is written once and the literal spreads nothing in. */
  private literalMethod(literal: TSESTree.ObjectExpression, name: string): FunctionNode | undefined {
    let fn: FunctionNode | undefined;
    for (const prop of literal.properties) {
      if (prop.type === AST_NODE_TYPES.SpreadElement) return undefined;
      if (prop.computed || keyName(prop.key) !== name) continue;
      if (fn || prop.kind !== 'init') return undefined;
      fn = this.functionValue(prop.value);
      if (!fn) return undefined;
    }
    return fn;
  }

  /**
   * `this.query` in a method of an object literal (`const driver = { async connect() { … this.query(h) … }, async
   * query(h) { … } }`, a `const` the file never assigns again): the literal's own method of that name, when it is
   * written once and the literal spreads nothing in.
   */
  private siblingMethod(self: TSESTree.ThisExpression, name: string): FunctionNode | undefined {
    let fn: TSESTree.Node | undefined = self.parent;
    while (fn && !(isFunction(fn) && fn.type !== AST_NODE_TYPES.ArrowFunctionExpression)) fn = fn.parent;
    const prop = fn?.parent;
    const literal = prop?.type === AST_NODE_TYPES.Property && prop.value === fn ? prop.parent : undefined;
    const holder = literal?.type === AST_NODE_TYPES.ObjectExpression ? literal.parent : undefined;
    if (literal?.type !== AST_NODE_TYPES.ObjectExpression || holder?.type !== AST_NODE_TYPES.VariableDeclarator || holder.parent.kind !== 'const') return undefined;
    return this.literalMethod(literal, name);
  }

  /**
   * For the `resolve`/`reject` of a promise made here: a parameter of a `new Promise` executor (the executor), or a
   * variable destructured from `Promise.withResolvers()` (`const { promise, resolve, reject } = …`: the function that
   * declares it, whose code then runs as an executor's would — it makes the promise and arranges how it settles).
   * `settles`: both settle functions of that promise; `promise`: the variable holding the promise of
   * `Promise.withResolvers()` (that of an executor is its `new Promise` expression's value).
   */
  executorOf(v: Variable): { executor: FunctionNode; role: 'resolve' | 'reject'; settles: Variable[]; promise?: Variable } | undefined {
    const def = v.defs[0];
    if (def?.type === DefinitionType.Variable && v.defs.length === 1) return this.resolversOf(v, def.node);
    if (def?.type !== DefinitionType.Parameter) return undefined;
    const fn = def.node as TSESTree.Node;
    if (!isFunction(fn)) return undefined;
    if (isExecutor(fn)) {
      const index = fn.params.findIndex((param) => param === def.name);
      if (index !== 0 && index !== 1) return undefined;
      const settles: Variable[] = [];
      for (const param of fn.params.slice(0, 2)) {
        const p = param.type === AST_NODE_TYPES.Identifier ? this.varOf.get(param) : undefined;
        if (p) settles.push(p);
      }
      return { executor: fn, role: index === 0 ? 'resolve' : 'reject', settles };
    }
    return undefined;
  }

  /** {@link executorOf} for a `const { resolve, reject } = Promise.withResolvers()` variable. */
  private resolversOf(v: Variable, declarator: TSESTree.VariableDeclarator): { executor: FunctionNode; role: 'resolve' | 'reject'; settles: Variable[]; promise?: Variable } | undefined {
    const init = declarator.init ? unwrap(declarator.init) : undefined;
    if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern || declarator.parent.kind !== 'const' || !isWithResolvers(init)) return undefined;
    const executor = enclosingFunction(declarator);
    if (!executor) return undefined;
    let role: 'resolve' | 'reject' | undefined;
    let promise: Variable | undefined;
    const settles: Variable[] = [];
    for (const prop of declarator.id.properties) {
      if (prop.type !== AST_NODE_TYPES.Property || prop.computed || prop.key.type !== AST_NODE_TYPES.Identifier || prop.value.type !== AST_NODE_TYPES.Identifier) continue;
      const key = prop.key.name;
      const bound = this.varOf.get(prop.value);
      if (key === 'promise') promise = bound;
      if ((key !== 'resolve' && key !== 'reject') || !bound) continue;
      settles.push(bound);
      if (bound === v) role = key;
    }
    return role ? { executor, role, settles, promise } : undefined;
  }

  isParameter(v: Variable): boolean {
    return v.defs[0]?.type === DefinitionType.Parameter;
  }
}

/**
 * Can {@link Bindings.functionOf} find a function for this variable (a cheap superset, so that a pass over every
 * variable caches no answer for the others): a function declaration, or a variable declared once without
 * initialiser or initialised with a function or a call (`f.bind(this)`).
 */
function mayNameFunction(v: Variable): boolean {
  const def = v.defs[0];
  if (def?.type === DefinitionType.FunctionName) return true;
  if (def?.type !== DefinitionType.Variable || v.defs.length !== 1) return false;
  const init = def.node.init ? unwrap(def.node.init) : undefined;
  return !init || isFunction(init) || init.type === AST_NODE_TYPES.CallExpression;
}

/** `Promise.withResolvers()` (ES2024): a promise with its settle functions, made without an executor. */
function isWithResolvers(node: TSESTree.Node | undefined): boolean {
  if (node?.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrap(node.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === 'withResolvers' && unwrap(callee.object).type === AST_NODE_TYPES.Identifier && (unwrap(callee.object) as TSESTree.Identifier).name === 'Promise';
}

/** Is `fn` the executor of `new Promise(fn)` (it runs when the promise is made, before the expression's value)? */
export function isExecutor(fn: TSESTree.Node): fn is FunctionNode {
  const p = fn.parent;
  return (
    isFunction(fn) &&
    p?.type === AST_NODE_TYPES.NewExpression &&
    p.arguments[0] === fn &&
    p.callee.type === AST_NODE_TYPES.Identifier &&
    p.callee.name === 'Promise'
  );
}

type Name = TSESTree.Identifier | TSESTree.JSXIdentifier;

/** Which variable an identifier denotes: `get` only (see {@link Bindings.varOf}). */
export interface VariableLookup {
  get(id: Name): Variable | undefined;
}

/** Lookups answered scope by scope before the whole file's map is built. */
const LAZY_LOOKUPS = 200;

/**
 * Resolves identifiers to variables as a map of every identifier of the file would — a declaration's identifier to
 * the innermost variable declaring it, a reference's to the variable it resolves to — but reads, for the first
 * lookups, only the scopes around the identifier: the references of its own scope, and the declarations of that
 * scope and the ones above it. After {@link LAZY_LOOKUPS} lookups, or for an identifier not found that way, the
 * whole map is built (one pass over every scope). Under SOCKET_CLOSE_STRICT each scoped answer is checked against
 * the whole map.
 */
class VariableResolver implements VariableLookup {
  private full: Map<Name, Variable> | undefined;
  private lookups = 0;
  /** The references of the scopes indexed so far, by identifier. */
  private readonly refs = new Map<Name, TSESLint.Scope.Reference>();
  private readonly refsIndexed = new Set<TSESLint.Scope.Scope>();
  /** Under SOCKET_CLOSE_STRICT: the whole map, built once, that every scoped answer is checked against. */
  private checkMap: Map<Name, Variable> | undefined;

  constructor(private readonly sourceCode: TSESLint.SourceCode) {}

  get(id: Name): Variable | undefined {
    // The tests of one call ask the same identifier several times in a row (its receiver's binding, its class, its type).
    if (id === this.lastId) return this.lastVar;
    const v = this.lookup(id);
    this.lastId = id;
    this.lastVar = v;
    return v;
  }

  private lastId: Name | undefined;
  private lastVar: Variable | undefined;

  private lookup(id: Name): Variable | undefined {
    if (this.full) return this.full.get(id);
    if (++this.lookups > LAZY_LOOKUPS || !this.sourceCode.scopeManager) return this.whole().get(id);
    const scoped = this.scoped(id);
    if (scoped === null) return this.whole().get(id);
    if (isStrict() && scoped !== (this.checkMap ??= wholeMap(this.sourceCode)).get(id)) {
      throw new Error(`socket-close: the variable of '${id.name}' by its scope differs from the whole file's`);
    }
    return scoped;
  }

  /** The answer from the scopes around `id`; null when they do not decide. */
  private scoped(id: Name): Variable | undefined | null {
    const scope = this.sourceCode.getScope(id);
    if (!this.refsIndexed.has(scope)) {
      this.refsIndexed.add(scope);
      for (const ref of scope.references) this.refs.set(ref.identifier, ref);
    }
    const ref = this.refs.get(id);
    if (ref?.resolved) return ref.resolved;
    // A declaration: the innermost of the scopes from its own one up that declares it (by its name, then the node).
    for (let s: TSESLint.Scope.Scope | null = scope; s; s = s.upper) {
      const v = s.set.get(id.name);
      if (v?.identifiers.includes(id as TSESTree.Identifier)) return v;
    }
    // An unresolved reference (a global the scope analysis does not know) denotes nothing.
    return ref ? undefined : null;
  }

  /** From now on every answer comes from the whole file's map. */
  useWholeMap(): void {
    this.whole();
  }

  private whole(): Map<Name, Variable> {
    this.full ??= wholeMap(this.sourceCode);
    return this.full;
  }
}

/** Every identifier of the file (declarations, then resolved references, scope by scope) to its variable. */
function wholeMap(sourceCode: TSESLint.SourceCode): Map<Name, Variable> {
  const map = new Map<Name, Variable>();
  for (const scope of sourceCode.scopeManager?.scopes ?? []) {
    for (const v of scope.variables) for (const id of v.identifiers) map.set(id, v);
    for (const ref of scope.references) if (ref.resolved) map.set(ref.identifier, ref.resolved);
  }
  return map;
}
