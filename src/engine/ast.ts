import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from './node-types';

export type FunctionNode =
  | TSESTree.FunctionDeclaration
  | TSESTree.FunctionExpression
  | TSESTree.ArrowFunctionExpression;

export function isFunction(node: TSESTree.Node | null | undefined): node is FunctionNode {
  return (
    !!node &&
    (node.type === AST_NODE_TYPES.FunctionDeclaration ||
      node.type === AST_NODE_TYPES.FunctionExpression ||
      node.type === AST_NODE_TYPES.ArrowFunctionExpression)
  );
}

/** Expression wrappers that pass a value through unchanged. */
export function isTransparent(node: TSESTree.Node): boolean {
  switch (node.type) {
    case AST_NODE_TYPES.TSAsExpression:
    case AST_NODE_TYPES.TSNonNullExpression:
    case AST_NODE_TYPES.TSSatisfiesExpression:
    case AST_NODE_TYPES.TSTypeAssertion:
    case AST_NODE_TYPES.ChainExpression:
      return true;
    default:
      return false;
  }
}

/** Removes transparent wrappers. */
export function unwrap(node: TSESTree.Node): TSESTree.Node {
  let n = node;
  while (isTransparent(n)) n = (n as { expression: TSESTree.Node }).expression;
  return n;
}

/** `null` or `undefined` (the name), parentheses and type assertions aside. */
export function isNullishLiteral(node: TSESTree.Node): boolean {
  const u = unwrap(node);
  return (u.type === AST_NODE_TYPES.Literal && u.value === null) || (u.type === AST_NODE_TYPES.Identifier && u.name === 'undefined');
}

/**
 * Does a statement of the module export `name` by name: `export { name }` (also `export { name as other }`, and — read
 * conservatively — one with a `from`), or `export default name`?
 */
export function exportsName(program: TSESTree.Program, name: string): boolean {
  const named = (e: TSESTree.Node): boolean => e.type === AST_NODE_TYPES.Identifier && e.name === name;
  return program.body.some(
    (st) =>
      (st.type === AST_NODE_TYPES.ExportNamedDeclaration && st.specifiers.some((sp) => named(sp.local))) ||
      (st.type === AST_NODE_TYPES.ExportDefaultDeclaration && named(st.declaration)),
  );
}

/**
 * How `value` is called as a function itself, when it is: the tag of a tagged template (``sql`select 1` ``), the
 * callee of a call (`sql(rows)`); undefined otherwise.
 */
export function calledAs(value: TSESTree.Node): 'tag' | 'call' | undefined {
  const p = value.parent;
  if (p?.type === AST_NODE_TYPES.TaggedTemplateExpression && p.tag === value) return 'tag';
  if (p?.type === AST_NODE_TYPES.CallExpression && p.callee === value) return 'call';
  return undefined;
}

/** Climbs from `node` through wrappers and value-preserving parents; returns the outermost value node. */
export function climbValue(node: TSESTree.Node): TSESTree.Node {
  let n = node;
  for (;;) {
    const p = n.parent;
    if (!p) return n;
    if (isTransparent(p)) {
      n = p;
      continue;
    }
    if (p.type === AST_NODE_TYPES.ConditionalExpression && p.test !== n) {
      n = p;
      continue;
    }
    if (p.type === AST_NODE_TYPES.LogicalExpression && (p.right === n || p.operator !== '&&')) {
      n = p;
      continue;
    }
    if (p.type === AST_NODE_TYPES.SequenceExpression && p.expressions[p.expressions.length - 1] === n) {
      n = p;
      continue;
    }
    return n;
  }
}

/** Static name of a member's property: `a.b` → `b`, `a['b']` → `b`. */
export function propertyName(member: TSESTree.MemberExpression): string | undefined {
  if (!member.computed && member.property.type === AST_NODE_TYPES.Identifier) return member.property.name;
  if (member.computed && member.property.type === AST_NODE_TYPES.Literal && typeof member.property.value === 'string') {
    return member.property.value;
  }
  return undefined;
}

/**
 * Is one of `names` called in the chain of calls made on `from` (`createServer().listen(port)`, `server.on('error',
 * f).listen(port)`: `listen`)?
 */
export function chainCalls(from: TSESTree.Node, names: ReadonlySet<string>): boolean {
  for (let mc = methodCallOn(climbValue(from)); mc; mc = methodCallOn(climbValue(mc.call))) if (names.has(mc.name)) return true;
  return false;
}

/** Name of a called function: `f()` → `f`, `a.b.c()` → `c`. */
export function calleeName(call: TSESTree.CallExpression | TSESTree.NewExpression): string | undefined {
  const callee = unwrap(call.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return callee.name;
  if (callee.type === AST_NODE_TYPES.MemberExpression) return propertyName(callee);
  return undefined;
}

/** Dotted text of a callee made of identifiers and static members, e.g. `console.log`, `this.sock.end`. */
export function dottedName(node: TSESTree.Node): string | undefined {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.Identifier) return n.name;
  if (n.type === AST_NODE_TYPES.ThisExpression) return 'this';
  if (n.type === AST_NODE_TYPES.MemberExpression) {
    const obj = dottedName(n.object);
    const prop = propertyName(n);
    if (obj === undefined || prop === undefined) return undefined;
    return `${obj}.${prop}`;
  }
  return undefined;
}

/** The callee member of a call `x.m(...)`, through `x?.m()` wrappers. */
export function calleeMember(call: TSESTree.CallExpression): TSESTree.MemberExpression | undefined {
  const callee = unwrap(call.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression ? callee : undefined;
}

/** If `node` is the object of a method call `node.m(...)`, returns the call and the method name. */
export function methodCallOn(
  node: TSESTree.Node,
): { call: TSESTree.CallExpression; member: TSESTree.MemberExpression; name: string } | undefined {
  let n = node;
  while (n.parent && isTransparent(n.parent) && n.parent.type !== AST_NODE_TYPES.ChainExpression) n = n.parent;
  const member = n.parent;
  if (!member || member.type !== AST_NODE_TYPES.MemberExpression || member.object !== n) return undefined;
  const name = propertyName(member);
  if (name === undefined) return undefined;
  let m: TSESTree.Node = member;
  while (m.parent && isTransparent(m.parent)) m = m.parent;
  const call = m.parent;
  if (!call || call.type !== AST_NODE_TYPES.CallExpression || call.callee !== m) return undefined;
  return { call, member, name };
}

/**
 * The string an expression always is: a string literal, a template without expressions, a `const` of the file
 * initialised with one ({@link constantString}), or — where the file has type information — a name or a property read
 * whose type is one string literal type (`import { CONNECT_EVENT } from './events'`, `Events.Connect` of a string
 * enum or an `as const` object).
 */
export function stringValue(node: TSESTree.Node | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === AST_NODE_TYPES.Literal && typeof node.value === 'string') return node.value;
  if (node.type === AST_NODE_TYPES.TemplateLiteral && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? undefined;
  if (node.type === AST_NODE_TYPES.Identifier) return constantString(node) ?? typedString(node);
  if (node.type === AST_NODE_TYPES.MemberExpression && !node.computed && !node.optional) return typedString(node);
  return undefined;
}

/** Per parsed file (its Program node): the single string literal type of an expression, asked of the type checker. */
const stringTypes = new WeakMap<TSESTree.Program, (node: TSESTree.Node) => string | undefined>();
const typedStrings = new WeakMap<TSESTree.Node, string | null>();

/** Lets {@link stringValue} ask the file's type checker for the literal type of a name or property read. */
export function recordStringTypes(program: TSESTree.Program, literalOf: (node: TSESTree.Node) => string | undefined): void {
  stringTypes.set(program, literalOf);
}

function typedString(node: TSESTree.Identifier | TSESTree.MemberExpression): string | undefined {
  const known = typedStrings.get(node);
  if (known !== undefined) return known ?? undefined;
  let root: TSESTree.Node = node;
  while (root.parent) root = root.parent;
  const literalOf = root.type === AST_NODE_TYPES.Program ? stringTypes.get(root) : undefined;
  const found = literalOf?.(node) ?? null;
  typedStrings.set(node, found);
  return found ?? undefined;
}

const constantStrings = new WeakMap<TSESTree.Identifier, string | null>();

/**
 * `const CONNECT_EVENT = 'connect'; … redis.on(CONNECT_EVENT, fn)`: the string a `const` of the file (in a block or
 * function around the name, or at the top of the module, exported or not) is initialised with, when no parameter or
 * nearer declaration of that name hides it. A name bound anywhere else (an import, a `let`) gives nothing.
 */
function constantString(id: TSESTree.Identifier): string | undefined {
  const known = constantStrings.get(id);
  if (known !== undefined) return known ?? undefined;
  let found: string | null = null;
  search: for (let p: TSESTree.Node | undefined = id.parent; p; p = p.parent) {
    if (isFunction(p) && p.params.some((param) => declaresName(param, id.name))) break;
    const list = statementList(p);
    if (!list) continue;
    for (const st of list) {
      const decl = st.type === AST_NODE_TYPES.ExportNamedDeclaration ? st.declaration : st;
      if (decl?.type !== AST_NODE_TYPES.VariableDeclaration) continue;
      for (const d of decl.declarations) {
        if (d.id.type !== AST_NODE_TYPES.Identifier || d.id.name !== id.name) continue;
        const init = decl.kind === 'const' && d.init ? unwrap(d.init) : undefined;
        found = init && (init.type === AST_NODE_TYPES.Literal || init.type === AST_NODE_TYPES.TemplateLiteral) ? (stringValue(init) ?? null) : null;
        break search;
      }
    }
  }
  constantStrings.set(id, found);
  return found ?? undefined;
}

/** Does this parameter (`x`, `x = d`, `{ x }`, `...x`) declare `name`? */
function declaresName(param: TSESTree.Node, name: string): boolean {
  switch (param.type) {
    case AST_NODE_TYPES.Identifier:
      return param.name === name;
    case AST_NODE_TYPES.AssignmentPattern:
      return declaresName(param.left, name);
    case AST_NODE_TYPES.RestElement:
      return declaresName(param.argument, name);
    case AST_NODE_TYPES.TSParameterProperty:
      return declaresName(param.parameter, name);
    case AST_NODE_TYPES.ArrayPattern:
      return param.elements.some((e) => !!e && declaresName(e, name));
    case AST_NODE_TYPES.ObjectPattern:
      return param.properties.some((p) => declaresName(p.type === AST_NODE_TYPES.Property ? p.value : p, name));
    default:
      return false;
  }
}

/** Is this block the `finally` block of its try statement? */
export function isFinalizer(node: TSESTree.Node): boolean {
  return node.parent?.type === AST_NODE_TYPES.TryStatement && node.parent.finalizer === node;
}

export function contains(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

/** Nearest enclosing function node (not the node itself). */
export function enclosingFunction(node: TSESTree.Node): FunctionNode | undefined {
  let n = node.parent;
  while (n) {
    if (isFunction(n)) return n;
    n = n.parent;
  }
  return undefined;
}

/** The function directly inside `owner` that is `node` or contains it, if any. */
export function functionBelow(owner: TSESTree.Node, node: TSESTree.Node): FunctionNode | undefined {
  for (let f = isFunction(node) ? node : enclosingFunction(node); f && f !== owner; f = enclosingFunction(f)) {
    if (enclosingFunction(f) === owner) return f;
  }
  return undefined;
}

/** Nearest enclosing class (body member's class). */
export function enclosingClass(node: TSESTree.Node): TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined {
  let n = node.parent;
  while (n) {
    if (n.type === AST_NODE_TYPES.ClassDeclaration || n.type === AST_NODE_TYPES.ClassExpression) return n;
    n = n.parent;
  }
  return undefined;
}

/** `.bind` (a plain name, not computed). */
export function isBindMember(node: TSESTree.Node | undefined): node is TSESTree.MemberExpression {
  return node?.type === AST_NODE_TYPES.MemberExpression && !node.computed && node.property.type === AST_NODE_TYPES.Identifier && node.property.name === 'bind';
}

/** The call `value.bind(…)` made on `value` (through casts), or undefined. */
export function bindCallOn(value: TSESTree.Node): TSESTree.CallExpression | undefined {
  let v = value;
  while (v.parent && isTransparent(v.parent)) v = v.parent;
  const member = v.parent;
  if (!isBindMember(member) || member.object !== v) return undefined;
  const call = member.parent;
  return call?.type === AST_NODE_TYPES.CallExpression && call.callee === member ? call : undefined;
}

/** `f.bind(x)` (one argument): `f`, the function bound; undefined for anything else. */
export function boundFunction(node: TSESTree.Node): TSESTree.Node | undefined {
  if (node.type !== AST_NODE_TYPES.CallExpression || node.arguments.length !== 1 || node.arguments[0].type === AST_NODE_TYPES.SpreadElement) return undefined;
  const callee = unwrap(node.callee);
  return isBindMember(callee) ? unwrap(callee.object) : undefined;
}

/** `function () { … }.bind(this)`: a function expression bound to the `this` where it is written. */
function isBoundToThis(fn: TSESTree.FunctionExpression): boolean {
  const call = bindCallOn(fn);
  return !!call && unwrap(call.arguments[0] ?? call.callee).type === AST_NODE_TYPES.ThisExpression;
}

/** Identifiers that read a `const self = this` alias, with the `this` expression each stands for (per file, see {@link recordThisAliases}). */
const thisAliases = new WeakMap<TSESTree.Node, TSESTree.ThisExpression>();
/** The names of every alias recorded so far (in any file): a cheap test before the lookup by node. */
const thisAliasNames = new Set<string>();
const aliasesRecorded = new WeakSet<TSESTree.Node>();

/**
 * Records the file's aliases of `this`: a variable declared once with `this` as its initialiser (`const self =
 * this`, `var _this = this` in compiled code) and never assigned again. Each read of it then stands for that
 * `this` in {@link thisOf}, {@link thisMemberName}, {@link thisClass} and {@link thisOwner}: `self.sock` is the
 * field `sock` of the class whose `this` was aliased, also inside a nested `function` whose own `this` differs.
 */
export function recordThisAliases(sourceCode: TSESLint.SourceCode): void {
  const program = sourceCode.ast;
  if (aliasesRecorded.has(program)) return;
  aliasesRecorded.add(program);
  if (!/=\s*this(?![\w$])/.test(sourceCode.text)) return;
  for (const scope of sourceCode.scopeManager?.scopes ?? []) {
    for (const v of scope.variables) {
      if (v.defs.length !== 1) continue;
      const def = v.defs[0];
      if (def.type !== TSESLint.Scope.DefinitionType.Variable || def.node.id !== def.name || !def.node.init) continue;
      const init = unwrap(def.node.init);
      if (init.type !== AST_NODE_TYPES.ThisExpression) continue;
      if (v.references.some((r) => r.isWrite() && !r.init)) continue;
      thisAliasNames.add(v.name);
      for (const r of v.references) if (!r.init) thisAliases.set(r.identifier, init);
    }
  }
}

/** `this`, or a read of a `const self = this` alias: the `this` expression it stands for. */
export function thisOf(node: TSESTree.Node): TSESTree.ThisExpression | undefined {
  const n = unwrap(node);
  if (n.type === AST_NODE_TYPES.ThisExpression) return n;
  return n.type === AST_NODE_TYPES.Identifier && thisAliasNames.has(n.name) ? thisAliases.get(n) : undefined;
}

/** The aliased `this` a node reads: of an alias read, or of a member of one (`self.x`); undefined for anything else, `this` included. */
function aliasedThis(node: TSESTree.Node): TSESTree.ThisExpression | undefined {
  const n = node.type === AST_NODE_TYPES.MemberExpression ? unwrap(node.object) : node;
  return n.type === AST_NODE_TYPES.Identifier && thisAliasNames.has(n.name) ? thisAliases.get(n) : undefined;
}

/** `this` as seen from `node`: the class whose `this` it is (arrows and functions bound to it see through), or undefined. */
export function thisClass(node: TSESTree.Node): TSESTree.ClassDeclaration | TSESTree.ClassExpression | undefined {
  let n: TSESTree.Node | undefined = aliasedThis(node)?.parent ?? node.parent;
  while (n) {
    if (n.type === AST_NODE_TYPES.FunctionDeclaration) return undefined;
    if (n.type === AST_NODE_TYPES.FunctionExpression) {
      const p = n.parent;
      if (p && (p.type === AST_NODE_TYPES.MethodDefinition || p.type === AST_NODE_TYPES.TSAbstractMethodDefinition)) {
        return enclosingClass(p);
      }
      // `function () { this.conn = conn; }.bind(this)`: the function runs with the `this` it is bound where.
      if (!isBoundToThis(n)) return undefined;
    }
    if (n.type === AST_NODE_TYPES.PropertyDefinition || n.type === AST_NODE_TYPES.StaticBlock) return enclosingClass(n);
    if (n.type === AST_NODE_TYPES.ClassBody) return n.parent;
    n = n.parent;
  }
  return undefined;
}

/**
 * What decides the type of `this` at `node` (arrow functions see through): a class, on its static side or not
 * (method, field initialiser, static block), a plain function, or the program; undefined where a class body's
 * computed key or decorator would need the outer one (not worth caching).
 */
export function thisOwner(node: TSESTree.Node): { node: TSESTree.Node; isStatic: boolean } | undefined {
  const start = aliasedThis(node) ?? node;
  let child = start;
  for (let n = start.parent; n; child = n, n = n.parent) {
    switch (n.type) {
      case AST_NODE_TYPES.FunctionDeclaration:
      case AST_NODE_TYPES.Program:
        return { node: n, isStatic: false };
      case AST_NODE_TYPES.FunctionExpression: {
        const p = n.parent;
        if (p?.type === AST_NODE_TYPES.MethodDefinition || p?.type === AST_NODE_TYPES.TSAbstractMethodDefinition) {
          const cls = enclosingClass(p);
          return cls && p.value === n ? { node: cls, isStatic: p.static } : undefined;
        }
        return { node: n, isStatic: false };
      }
      case AST_NODE_TYPES.PropertyDefinition: {
        const cls = enclosingClass(n);
        return cls && child === n.value ? { node: cls, isStatic: n.static } : undefined;
      }
      case AST_NODE_TYPES.StaticBlock: {
        const cls = enclosingClass(n);
        return cls ? { node: cls, isStatic: true } : undefined;
      }
      case AST_NODE_TYPES.ClassBody:
        return undefined;
      default:
    }
  }
  return undefined;
}

/** `this.x` (or `this['x']`) → `x`. */
export function thisMemberName(node: TSESTree.Node): string | undefined {
  const n = unwrap(node);
  if (n.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  if (!thisOf(n.object)) return undefined;
  if (n.property.type === AST_NODE_TYPES.PrivateIdentifier) return `#${n.property.name}`;
  return propertyName(n);
}

/** Statement ends abruptly (return/throw/break/continue, or a block whose last statement does). */
export function alwaysExits(stmt: TSESTree.Node | null | undefined): boolean {
  if (!stmt) return false;
  switch (stmt.type) {
    case AST_NODE_TYPES.ReturnStatement:
    case AST_NODE_TYPES.ThrowStatement:
    case AST_NODE_TYPES.BreakStatement:
    case AST_NODE_TYPES.ContinueStatement:
      return true;
    case AST_NODE_TYPES.BlockStatement:
      return stmt.body.length > 0 && alwaysExits(stmt.body[stmt.body.length - 1]);
    case AST_NODE_TYPES.IfStatement:
      return alwaysExits(stmt.consequent) && alwaysExits(stmt.alternate);
    default:
      return false;
  }
}

export function line(node: TSESTree.Node): number {
  return node.loc.start.line;
}

/** One step of ESLint's cached traversal (`SourceCode#traverse()`): a node entered or left, or a code path event. */
export interface TraversalStep {
  /** 1: a node visit; 2: a method call (a code path event). Older steps only carry `type`. */
  kind?: number;
  type?: string;
  /** Of a visit: 1 entering, 2 leaving. */
  phase?: number;
  /** The node visited, or the name of the event. */
  target: unknown;
  args?: readonly unknown[];
}

/** ESLint's cached traversal of the file, where this ESLint has one (9 and 10 do). */
export function traversalSteps(sourceCode: TSESLint.SourceCode): readonly TraversalStep[] | undefined {
  const traverse = (sourceCode as unknown as { traverse?: () => readonly TraversalStep[] }).traverse;
  return typeof traverse === 'function' ? traverse.call(sourceCode) : undefined;
}

/** Is this step a node visit (not a code path event)? */
export function isVisitStep(step: TraversalStep): boolean {
  return step.kind === 1 || (step.kind === undefined && step.type === 'visit');
}

/**
 * Visits every node of the file once (until `visit` returns true), parents before children and siblings in source order. ESLint (9 and 10)
 * computes the whole traversal of a file before it creates the rules and caches it on the SourceCode
 * (`traverse()`), so reading those steps costs an array scan instead of a second walk of the AST; where that
 * method is missing, the AST is walked.
 */
export function forEachNode(sourceCode: TSESLint.SourceCode, visit: (node: TSESTree.Node) => boolean | void): void {
  const steps = traversalSteps(sourceCode);
  if (steps) {
    for (const step of steps) {
      // Node visits on entering (phase 1); code path events and leaving are skipped. `visit` returning true stops.
      if (step.phase === 1 && isVisitStep(step) && visit(step.target as TSESTree.Node) === true) return;
    }
    return;
  }
  walkAst(sourceCode.ast, sourceCode.visitorKeys, (n) => visit(n) === true, true);
}

/** `require(…)`: CommonJS's module load (the callee a plain `require`). */
export function isRequireCall(node: TSESTree.Node | null | undefined): node is TSESTree.CallExpression {
  return node?.type === AST_NODE_TYPES.CallExpression && node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === 'require';
}

/** A statement that is a method call (`x.m(…);`, parenthesised or not): the call and its member; else undefined. */
export function methodCallStatement(statement: TSESTree.Node): { call: TSESTree.CallExpression; member: TSESTree.MemberExpression } | undefined {
  const call = statement.type === AST_NODE_TYPES.ExpressionStatement ? unwrap(statement.expression) : undefined;
  const member = call?.type === AST_NODE_TYPES.CallExpression ? calleeMember(call) : undefined;
  return call?.type === AST_NODE_TYPES.CallExpression && member ? { call, member } : undefined;
}

/** The values `fn` itself returns: its expression body, or the arguments of its own `return` statements. */
export function ownReturns(fn: FunctionNode, visitorKeys: Readonly<Record<string, readonly string[] | undefined>>): TSESTree.Node[] {
  if (!fn.body) return [];
  if (fn.body.type !== AST_NODE_TYPES.BlockStatement) return [fn.body];
  const returned: TSESTree.Node[] = [];
  walkAst(fn.body, visitorKeys, (n) => {
    if (n.type === AST_NODE_TYPES.ReturnStatement && n.argument && enclosingFunction(n) === fn) returned.push(n.argument);
  });
  return returned;
}

/** The nodes at which a function lets other code run before it goes on: `await`, `yield`. */
export const SUSPENSIONS: ReadonlySet<string> = new Set<string>([AST_NODE_TYPES.AwaitExpression, AST_NODE_TYPES.YieldExpression]);

/**
 * Does `root` hold a node of one of these types in the code of `fn` itself, not in a function nested in it (a
 * `throw` of `fn`, a `return` of `fn`)?
 */
export function hasOwnNode(
  root: TSESTree.Node,
  fn: TSESTree.Node,
  types: ReadonlySet<string>,
  visitorKeys: Readonly<Record<string, readonly string[] | undefined>>,
): boolean {
  let found = false;
  walkAst(root, visitorKeys, (n) => {
    if (types.has(n.type) && enclosingFunction(n) === fn) found = true;
    return found;
  });
  return found;
}

/**
 * Visits `root` and every node below it (pre-order, children pushed on a stack, so no recursion depth limit; the
 * last sibling first unless `inOrder`). `visit` returning `true` stops the whole walk; returning `'skip'` leaves out
 * the nodes below the one visited.
 */
export function walkAst(
  root: TSESTree.Node,
  visitorKeys: Readonly<Record<string, readonly string[] | undefined>>,
  visit: (node: TSESTree.Node) => boolean | void | 'skip',
  inOrder = false,
): void {
  const stack: TSESTree.Node[] = [root];
  while (stack.length > 0) {
    const n = stack.pop() as TSESTree.Node;
    const answer = visit(n);
    if (answer === true) return;
    if (answer === 'skip') continue;
    const first = stack.length;
    for (const key of visitorKeys[n.type] ?? []) {
      const child = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof (c as TSESTree.Node).type === 'string') stack.push(c as TSESTree.Node);
      } else if (child && typeof (child as TSESTree.Node).type === 'string') {
        stack.push(child as TSESTree.Node);
      }
    }
    if (inOrder) {
      for (let i = first, j = stack.length - 1; i < j; i++, j--) {
        const t = stack[i];
        stack[i] = stack[j];
        stack[j] = t;
      }
    }
  }
}

/** The name of a class member's key (`foo`, `#foo`), if it is a plain name. */
export function keyName(key: TSESTree.Node): string | undefined {
  if (key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.PrivateIdentifier) return key.name;
  return undefined;
}

/**
 * The function of the class member that `f` runs in: `f` itself when it is a method (or a function a class property
 * holds), else the innermost enclosing function that is one — or the outermost function around `f` when none is.
 */
export function wholeMethod(f: FunctionNode): FunctionNode {
  let fn = f;
  for (let g: FunctionNode | undefined = f; g; g = enclosingFunction(g)) {
    fn = g;
    if (g.parent?.type === AST_NODE_TYPES.MethodDefinition || g.parent?.type === AST_NODE_TYPES.PropertyDefinition) break;
  }
  return fn;
}

/** The method or property definition that contains `node`. */
export function enclosingMethod(node: TSESTree.Node): TSESTree.Node | undefined {
  let n: TSESTree.Node | undefined = node.parent;
  while (n) {
    if (n.type === AST_NODE_TYPES.MethodDefinition || n.type === AST_NODE_TYPES.PropertyDefinition) return n;
    n = n.parent;
  }
  return undefined;
}

/** The global `console` (no binding of the file declares a `console`), through parentheses and casts. */
export function isGlobalConsole(node: TSESTree.Node, varOf: { get(id: TSESTree.Identifier): { defs: readonly unknown[] } | undefined }): boolean {
  const n = unwrap(node);
  return n.type === AST_NODE_TYPES.Identifier && n.name === 'console' && !varOf.get(n)?.defs.length;
}

/** What a logger goes by (`logger`, `log`, `this._logger`), and the methods that write to one. */
const LOGGER_NAME = /^_?(?:logger|log)$/i;
const LOG_METHODS: ReadonlySet<string> = new Set(['log', 'info', 'debug', 'warn', 'warning', 'error', 'trace', 'verbose', 'fatal', 'silly', 'notice']);

/**
 * `console.log(…)` (a method of the global `console`), `logger.info(…)`, `this.log.warn(…)` (a writing method of a name
 * or field called `logger` or `log`): a call that writes a log line and throws nothing of its own (its arguments
 * aside).
 */
export function isLogCall(call: TSESTree.CallExpression, varOf: { get(id: TSESTree.Identifier): { defs: readonly unknown[] } | undefined }): boolean {
  const callee = unwrap(call.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed) return false;
  if (isGlobalConsole(callee.object, varOf)) return true;
  const method = propertyName(callee);
  const receiver = unwrap(callee.object);
  const name = receiver.type === AST_NODE_TYPES.Identifier ? receiver.name : thisMemberName(receiver);
  return method !== undefined && LOG_METHODS.has(method) && name !== undefined && LOGGER_NAME.test(name.replace(/^#/, ''));
}

/**
 * `process.exit(…)`, `process.abort()`: the process ends there (a variable named `process` aside); also `exit(…)` /
 * `abort()` where the module takes that function from the process (`import { exit } from 'node:process'`, `const {
 * exit } = process` at its top level).
 */
export function isProcessExit(node: TSESTree.Node): boolean {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrap(node.callee);
  if (callee.type === AST_NODE_TYPES.Identifier) return PROCESS_ENDERS.has(callee.name) && processEndersOf(callee).has(callee.name);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed) return false;
  const object = unwrap(callee.object);
  return object.type === AST_NODE_TYPES.Identifier && object.name === 'process' && callee.property.type === AST_NODE_TYPES.Identifier && (callee.property.name === 'exit' || callee.property.name === 'abort');
}

/** The functions of the process that end it. */
const PROCESS_ENDERS: ReadonlySet<string> = new Set(['exit', 'abort']);
const processEnders = new WeakMap<TSESTree.Node, ReadonlySet<string>>();

/**
 * The names the module of `node` binds at its top level to the process's own {@link PROCESS_ENDERS}, unrenamed:
 * imported from `process` / `node:process`, or destructured from the global `process`.
 */
function processEndersOf(node: TSESTree.Node): ReadonlySet<string> {
  let program: TSESTree.Node = node;
  while (program.parent) program = program.parent;
  let names = processEnders.get(program);
  if (names) return names;
  const found = new Set<string>();
  const add = (binding: TSESTree.Node): void => {
    if (binding.type === AST_NODE_TYPES.Identifier && PROCESS_ENDERS.has(binding.name) && processMemberOf(binding) === binding.name) found.add(binding.name);
  };
  for (const st of program.type === AST_NODE_TYPES.Program ? program.body : []) {
    if (st.type === AST_NODE_TYPES.ImportDeclaration) for (const spec of st.specifiers) add(spec.local);
    if (st.type !== AST_NODE_TYPES.VariableDeclaration) continue;
    for (const d of st.declarations) {
      if (d.id.type === AST_NODE_TYPES.ObjectPattern) for (const p of d.id.properties) if (p.type === AST_NODE_TYPES.Property) add(p.value);
    }
  }
  names = found;
  processEnders.set(program, names);
  return names;
}

/**
 * The member of the process a binding is given: `exit` for `import { exit } from 'node:process'` (also
 * `'process'`; not a type-only import) and for `const { exit } = process`, `stdout` for `const out =
 * process.stdout`. `isProcess` tells the global `process` (default: any identifier of that name).
 */
export function processMemberOf(
  binding: TSESTree.Identifier,
  isProcess: (n: TSESTree.Node) => boolean = (n) => n.type === AST_NODE_TYPES.Identifier && n.name === 'process',
): string | undefined {
  const p = binding.parent;
  if (p?.type === AST_NODE_TYPES.ImportSpecifier && p.local === binding) {
    const decl = p.parent;
    if (decl?.type !== AST_NODE_TYPES.ImportDeclaration || (decl.source.value !== 'process' && decl.source.value !== 'node:process')) return undefined;
    return decl.importKind !== 'type' && p.importKind !== 'type' && p.imported.type === AST_NODE_TYPES.Identifier ? p.imported.name : undefined;
  }
  if (p?.type === AST_NODE_TYPES.Property && p.value === binding && !p.computed && p.parent?.type === AST_NODE_TYPES.ObjectPattern) {
    const d = p.parent.parent;
    return d?.type === AST_NODE_TYPES.VariableDeclarator && d.id === p.parent && d.init && isProcess(unwrap(d.init)) ? keyName(p.key) : undefined;
  }
  if (p?.type === AST_NODE_TYPES.VariableDeclarator && p.id === binding && p.init) {
    const init = unwrap(p.init);
    return init.type === AST_NODE_TYPES.MemberExpression && isProcess(unwrap(init.object)) ? propertyName(init) : undefined;
  }
  return undefined;
}

/** The statements of a block, a `switch` case or the program, in order; undefined for any other node. */
export function statementList(node: TSESTree.Node | undefined): readonly TSESTree.Node[] | undefined {
  if (node?.type === AST_NODE_TYPES.BlockStatement || node?.type === AST_NODE_TYPES.Program) return node.body;
  if (node?.type === AST_NODE_TYPES.SwitchCase) return node.consequent;
  return undefined;
}

/**
 * Does a statement that comes before the one holding `node`, in a statement list around it (below `boundary`, when
 * given), pass `test`? Every enclosing block is looked at, innermost first.
 */
export function someStatementBefore(node: TSESTree.Node, boundary: TSESTree.Node | undefined, test: (statement: TSESTree.Node) => boolean): boolean {
  let child: TSESTree.Node = node;
  for (let p = node.parent; p && p !== boundary; child = p, p = p.parent) {
    const list = statementList(p);
    if (!list) continue;
    const index = list.indexOf(child);
    for (let i = 0; i < index; i++) if (test(list[i])) return true;
  }
  return false;
}

/**
 * Does the process end right after the statement that evaluates `node` (`s.close(); process.exit(1);`): a later
 * statement is `process.exit()`, with only expression statements between? Nothing scheduled (a timer, a listener)
 * runs after that statement then. When the block holding the statement ends first, control goes on after the
 * statement that holds the block — an `if`, a plain block, a `try` without `finally` (from its block or its
 * `catch`) — and the statements there count the same way (`if (c) { await c.end(); c = undefined; }
 * log('bye'); process.exit(0);`). A loop's body or a `switch` case ends the search; so does a function's end, unless
 * `callsOf` gives every call of that function (a function no other code can run), each of which the process ends
 * right after.
 */
export function processExitsAfter(node: TSESTree.Node, callsOf?: (fn: FunctionNode) => readonly TSESTree.Node[] | undefined, depth = 0): boolean {
  let statement: TSESTree.Node = node;
  for (let p = node.parent; p; statement = p, p = p.parent) {
    // The end of a function's code: with `callsOf`, on after every call of it (`cleanup()` whose every call is
    // followed by `process.exit()`: `try { await this.cleanup(); } catch { process.exit(1); } process.exit(0);`).
    if (isFunction(p)) {
      if (!callsOf || depth >= 3) return false;
      const calls = callsOf(p);
      return !!calls && calls.length > 0 && calls.every((call) => processExitsAfter(call, callsOf, depth + 1));
    }
    const list = statementList(p);
    if (!list) {
      if (p.type === AST_NODE_TYPES.IfStatement) {
        // From a branch, on after the `if`; from its test, a branch runs next.
        if (statement === p.test) return false;
        continue;
      }
      if (p.type === AST_NODE_TYPES.TryStatement) {
        if (p.finalizer) return false;
        continue;
      }
      if (p.type === AST_NODE_TYPES.CatchClause || p.type === AST_NODE_TYPES.LabeledStatement || p.type === AST_NODE_TYPES.ExpressionStatement || p.type === AST_NODE_TYPES.VariableDeclaration) continue;
      // Any other statement (a loop, a `switch`, a `return` …) ends the search; an expression goes up to its statement.
      if (p.type.endsWith('Statement') || p.type === AST_NODE_TYPES.StaticBlock) return false;
      continue;
    }
    for (let i = list.indexOf(statement) + 1; i > 0 && i < list.length; i++) {
      const next = list[i];
      if (next.type !== AST_NODE_TYPES.ExpressionStatement) return false;
      if (isProcessExit(unwrap(next.expression))) return true;
    }
    // The list ends: on after the statement that holds a plain block (a `switch` case or the module's end: no).
    if (p.type !== AST_NODE_TYPES.BlockStatement) return false;
  }
  return false;
}

/** The variable a name denotes, with its references (the model's `varOf`). */
type VariableOf = (
  id: TSESTree.Identifier,
) => { references: ReadonlyArray<{ identifier: TSESTree.Node; init?: boolean | null; isWrite?: () => boolean }>; defs?: ReadonlyArray<{ node: TSESTree.Node }> } | undefined;

/** Does the module install an `'unhandledRejection'` or `'uncaughtException'` handler (by its text)? */
export function handlesUncaught(moduleText: string): boolean {
  return /unhandledRejection|uncaughtException/.test(moduleText);
}

/**
 * Does a throw (or, for an async function, a rejection) out of `fn` end the process? `fn` is only started at the top
 * level of the module (also under an `if`: `if (require.main === module) main();`), by a statement whose value
 * nobody takes (`main();`, `void main();`, `(async () => { … })();`)
 * or whose `.catch()` handler calls `process.exit()`, and the module installs no `'unhandledRejection'` or
 * `'uncaughtException'` handler: the throw is an uncaught exception (a rejection an unhandled one, which Node 15 and
 * later raise as one), and the process exits. So does a top-level function declaration that only such functions
 * call, awaiting it outside any `try` (`const pool = await connectDb()` in `main()`), or that any function awaits in
 * the try block of a `catch` whose last statement is `process.exit()`; and a function written in place as the argument
 * of a call that `runner` accepts (a script runner of the project that exits when it rejects).
 */
export function throwEndsProcess(fn: TSESTree.Node, variableOf: VariableOf, moduleText: string, runner?: (fn: FunctionNode) => boolean, depth = 0): boolean {
  if (!isFunction(fn) || handlesUncaught(moduleText)) return false;
  // `await connectDb()` in such a function (or in one that only such functions call), outside any `try`: the
  // rejection goes on out of it.
  const awaitedByEntry = (callee: TSESTree.Node): boolean => {
    const call = callee.parent;
    if (depth >= 3 || call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== callee || climbValue(call).parent?.type !== AST_NODE_TYPES.AwaitExpression) return false;
    const caller = enclosingFunction(call);
    if (!caller || caller === fn) return false;
    let child: TSESTree.Node = call;
    for (let p: TSESTree.Node | undefined = call.parent; p && p !== caller; child = p, p = p.parent) {
      if (p.type !== AST_NODE_TYPES.TryStatement) continue;
      // In the try block of a `try { … } finally { … }` without `catch` whose finally block returns nowhere: the
      // rejection goes on out once the finally block ran.
      if (child === p.block && !p.handler && p.finalizer && !returnsIn(p.finalizer)) continue;
      // In the try block of a `catch` that ends the process (`catch (e) { console.error(e); process.exit(1); }`; a
      // finally does not run after `process.exit()`): the rejection ends there.
      return child === p.block && !!p.handler && blockEndsInProcessExit(p.handler.body, variableOf);
    }
    return throwEndsProcess(caller, variableOf, moduleText, runner, depth + 1);
  };
  const startedAtTop = (callee: TSESTree.Node): boolean => {
    const call = callee.parent;
    return call?.type === AST_NODE_TYPES.CallExpression && call.callee === callee && rejectionEndsProcess(call, isFunction(fn) && fn.async, variableOf);
  };
  // (An async function declared inside another one and only started with its promise dropped, `run();`: its
  // rejection is unhandled wherever the call is.)
  const id = topLevelFunctionName(fn) ?? (fn.async ? localFunctionName(fn) : undefined);
  // `runMain(async () => { … })`: run by a function that ends the process when it rejects (`runner`, see
  // givenToExitingRunner).
  if (!id) return startedAtTop(fn) || !!runner?.(fn);
  const reads = variableOf(id)?.references.filter((ref) => !ref.init) ?? [];
  return reads.length > 0 && reads.every((ref) => startedAtTop(ref.identifier) || awaitedByEntry(ref.identifier));
}

/**
 * The name a function declared inside another function gives it: a declaration (`function run() {}`) or a `const`
 * (`const run = async () => {}`). No other code can call it.
 */
function localFunctionName(fn: FunctionNode): TSESTree.Identifier | undefined {
  return enclosingFunction(fn) ? declaredFunctionName(fn) : undefined;
}

/** The name a function declaration (`function f() {}`) or a `const` initialised with the function gives it. */
function declaredFunctionName(fn: FunctionNode): TSESTree.Identifier | undefined {
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration) return fn.id ?? undefined;
  const declarator = fn.parent;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== fn || declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  return declarator.parent.kind === 'const' ? declarator.id : undefined;
}

/**
 * The name of a function the module declares at its top level and does not export: `function main() {}` or
 * `const main = async () => {}`. Undefined for any other function.
 */
export function topLevelFunctionName(fn: FunctionNode): TSESTree.Identifier | undefined {
  const id = declaredFunctionName(fn);
  // The statement that declares it: the function declaration, or the `const` declaration of its declarator.
  const statement = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn : id?.parent?.parent;
  return id && statement?.parent?.type === AST_NODE_TYPES.Program ? id : undefined;
}

/**
 * Does a rejection of this call end the process? Its promise chain (`.then(…)`, `.catch(…)`, `.finally(…)`) is
 * followed: a rejection handler it reaches ends in `process.exit()` (a handler that throws again passes the rejection
 * on; any other keeps the process going), or it reaches the end of a chain that is a statement of its own at the module's top level (also under an
 * `if`: `if (require.main === module) main();`; `void main();`; `await main();` in an ES module), whose value nobody
 * takes — an unhandled rejection (for the top-level await, a failed evaluation of the module, as also for a declaration
 * initialised by one: `const db = await connect();`).
 */
function rejectionEndsProcess(call: TSESTree.Node, asyncCallee = false, variableOf?: VariableOf): boolean {
  let link = climbValue(call);
  let handled = false;
  for (;;) {
    const member = link.parent;
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== link || member.computed) break;
    const chained = member.parent;
    if (chained?.type !== AST_NODE_TYPES.CallExpression || chained.callee !== member) return false;
    const name = propertyName(member);
    const [first, second] = chained.arguments;
    // A handler that throws again (`.catch((err) => { log(err); throw err; })`) passes the rejection on down the chain.
    const rejectionHandler = name === 'catch' ? first : name === 'then' ? second : undefined;
    if (rejectionHandler && handlerRethrows(rejectionHandler)) {
      link = climbValue(chained);
      continue;
    }
    if (handled) {
      // Past a handler that took the rejection (`main().catch(log).finally(() => process.exit())`): the chain goes on
      // fulfilled, and a later handler of that ends the process all the same.
      if ((name === 'then' || name === 'finally') && handlerExits(first, variableOf)) return true;
    } else {
      if (rejectionHandler && handlerExits(rejectionHandler, variableOf)) return true;
      if (name === 'finally' && handlerExits(first, variableOf)) return true;
      if (rejectionHandler) handled = true;
    }
    if (name !== 'then' && name !== 'finally' && name !== 'catch') return false;
    link = climbValue(chained);
  }
  // Taken by a handler that neither ends the process nor passes it on: the process goes on.
  if (handled) return false;
  let statement: TSESTree.Node | undefined = link.parent;
  let awaited = false;
  if (statement?.type === AST_NODE_TYPES.UnaryExpression && statement.operator === 'void') statement = statement.parent;
  // `await main();` at the top level of an ES module: its rejection fails the module's evaluation, and the process.
  else if (statement?.type === AST_NODE_TYPES.AwaitExpression) {
    const value = climbValue(statement);
    statement = value.parent;
    awaited = true;
    // `const coll = await init();` at the top level: the same failed evaluation when it rejects (exported or not).
    if (statement?.type === AST_NODE_TYPES.VariableDeclarator && statement.init === value) statement = statement.parent;
    if (statement?.type === AST_NODE_TYPES.VariableDeclaration && statement.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration) {
      return statement.parent.parent?.type === AST_NODE_TYPES.Program;
    }
  }
  if (statement?.type !== AST_NODE_TYPES.ExpressionStatement && !(awaited && statement?.type === AST_NODE_TYPES.VariableDeclaration)) return false;
  // An async function's promise dropped in a statement of its own: no code can take its rejection, wherever it is.
  if (asyncCallee && !awaited) return true;
  // `try { main(); } catch (e) { … }` around an async function's call that is not awaited: the `try` sees only the
  // promise, never its rejection (unhandled all the same).
  const passTry = asyncCallee && !awaited;
  let at: TSESTree.Node | undefined = statement.parent;
  while (
    at?.type === AST_NODE_TYPES.BlockStatement ||
    at?.type === AST_NODE_TYPES.IfStatement ||
    (passTry && (at?.type === AST_NODE_TYPES.TryStatement || at?.type === AST_NODE_TYPES.CatchClause))
  ) {
    at = at.parent;
  }
  return at?.type === AST_NODE_TYPES.Program;
}

/**
 * Does the process end once `fn` returns (its promise fulfils)? A script's helper that leaves its client open:
 * `fn` is a function of the module, not exported, called in place or by name only where the process exits when the
 * call completes — `seed().then(() => process.exit(0))` (or `.finally(…)`), `await seed(); process.exit(0);` —
 * or awaited (returned) as the last statement of a function that is itself such (`async function main() { await
 * seed(); } main().then(() => process.exit())`). A throw out of it is another matter ({@link throwEndsProcess}).
 */
export function returnEndsProcess(fn: TSESTree.Node, variableOf: VariableOf, depth = 0): boolean {
  if (!isFunction(fn) || depth > 3) return false;
  // The process exits when this call completes.
  const exitsAfter = (call: TSESTree.Node): boolean => {
    const outer = climbValue(call);
    // `seed().then(() => process.exit(0))`, `.finally(…)`: the first handler ends the process.
    const member = outer.parent;
    if (member?.type === AST_NODE_TYPES.MemberExpression && member.object === outer && !member.computed) {
      const name = propertyName(member);
      const chained = member.parent;
      const handler = chained?.type === AST_NODE_TYPES.CallExpression && chained.callee === member ? chained.arguments[0] : undefined;
      return (name === 'then' || name === 'finally') && handlerExits(handler, variableOf);
    }
    const awaited = outer.parent?.type === AST_NODE_TYPES.AwaitExpression ? outer.parent : outer;
    if (processExitsAfter(awaited)) return true;
    // The last statement of a function that is itself such: `await seed();` or `return seed();`.
    const statement = awaited.parent;
    const body = statement?.parent;
    const caller = body?.parent;
    if (!(statement?.type === AST_NODE_TYPES.ExpressionStatement || statement?.type === AST_NODE_TYPES.ReturnStatement) || body?.type !== AST_NODE_TYPES.BlockStatement || !isFunction(caller)) return false;
    return body.body[body.body.length - 1] === statement && returnEndsProcess(caller, variableOf, depth + 1);
  };
  // `(async () => { … })().then(() => process.exit())`
  if (fn.parent?.type === AST_NODE_TYPES.CallExpression && fn.parent.callee === fn) return exitsAfter(fn.parent);
  const id = topLevelFunctionName(fn);
  if (!id) return false;
  const reads = variableOf(id)?.references.filter((ref) => !ref.init) ?? [];
  return (
    reads.length > 0 &&
    reads.every((ref) => {
      const call = ref.identifier.parent;
      return call?.type === AST_NODE_TYPES.CallExpression && call.callee === ref.identifier && exitsAfter(call);
    })
  );
}

/** A promise handler (`.then(…)`, `.catch(…)`, `.finally(…)`'s argument) that is a function ending the process. */
function handlerExits(handler: TSESTree.Node | undefined, variableOf?: VariableOf): boolean {
  if (!handler) return false;
  // `.catch(die)`: a function of the module that ends the process, by its name.
  if (handler.type === AST_NODE_TYPES.Identifier) {
    const named = variableOf && namedFunction(handler, variableOf);
    return !!named && endsInProcessExit(named);
  }
  if (!isFunction(handler) || !handler.body) return false;
  if (handler.body.type !== AST_NODE_TYPES.BlockStatement) return isProcessExit(unwrap(handler.body)) || callsProcessEnder(handler.body, variableOf);
  return blockEndsInProcessExit(handler.body, variableOf);
}

/**
 * The function a name denotes when it is given one once and never assigned again: a function declaration, or a
 * variable initialised with a function expression or an arrow.
 */
function namedFunction(id: TSESTree.Identifier, variableOf: VariableOf): FunctionNode | undefined {
  const v = variableOf(id);
  const def = v?.defs?.length === 1 ? v.defs[0].node : undefined;
  if (!def || v?.references.some((ref) => !ref.init && ref.isWrite?.())) return undefined;
  if (def.type === AST_NODE_TYPES.FunctionDeclaration) return def;
  const init = def.type === AST_NODE_TYPES.VariableDeclarator && def.init ? unwrap(def.init) : undefined;
  return init && (init.type === AST_NODE_TYPES.FunctionExpression || init.type === AST_NODE_TYPES.ArrowFunctionExpression) ? init : undefined;
}

/**
 * `die(err)`, `await shutdownGracefully()`: a call, awaited or not, of a function of the module ({@link namedFunction})
 * whose body ends in `process.exit()` ({@link endsInProcessExit}).
 */
function callsProcessEnder(expression: TSESTree.Node, variableOf: VariableOf | undefined): boolean {
  let e = unwrap(expression);
  if (e.type === AST_NODE_TYPES.AwaitExpression) e = unwrap(e.argument);
  if (!variableOf || e.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrap(e.callee);
  const fn = callee.type === AST_NODE_TYPES.Identifier ? namedFunction(callee, variableOf) : undefined;
  return !!fn && endsInProcessExit(fn);
}

/**
 * Does this rejection handler always throw: a function whose block ends in a `throw` statement, with no `return`
 * in its own code (a nested function's aside)? The promise it gives then rejects as well.
 */
function handlerRethrows(handler: TSESTree.Node): boolean {
  if (!isFunction(handler) || handler.body?.type !== AST_NODE_TYPES.BlockStatement) return false;
  const body = handler.body;
  if (body.body[body.body.length - 1]?.type !== AST_NODE_TYPES.ThrowStatement) return false;
  return !returnsIn(body);
}

/** Does `root` hold a `return` statement of its own code (a nested function's aside)? */
function returnsIn(root: TSESTree.Node): boolean {
  let returns = false;
  const visit = (n: TSESTree.Node): void => {
    if (returns || (n !== root && isFunction(n))) return;
    if (n.type === AST_NODE_TYPES.ReturnStatement) {
      returns = true;
      return;
    }
    for (const [key, value] of Object.entries(n)) {
      if (key === 'parent') continue;
      for (const child of Array.isArray(value) ? value : [value]) {
        if (child && typeof (child as { type?: unknown }).type === 'string') visit(child as TSESTree.Node);
      }
    }
  };
  visit(root);
  return returns;
}

/**
 * Does the function end the process: its expression body is `process.exit(…)`, or its block's last statement is,
 * with no `return` or `throw` among the block's statements before it?
 */
export function endsInProcessExit(fn: FunctionNode): boolean {
  const body = fn.body;
  if (!body) return false;
  if (body.type !== AST_NODE_TYPES.BlockStatement) return isProcessExit(unwrap(body));
  return blockEndsInProcessExit(body);
}

const RETURN_STATEMENTS = new Set<string>([AST_NODE_TYPES.ReturnStatement]);

/**
 * Does every run of the function end the process: its body's last statement is `process.exit()` (or an expression
 * body is one), with no `return` of its own anywhere before (a nested `if (x) return;` included)?
 */
export function alwaysExitsProcess(fn: FunctionNode, visitorKeys: Readonly<Record<string, readonly string[] | undefined>>): boolean {
  const body = fn.body;
  if (!body) return false;
  if (body.type !== AST_NODE_TYPES.BlockStatement) return isProcessExit(unwrap(body));
  const last = body.body[body.body.length - 1];
  return last?.type === AST_NODE_TYPES.ExpressionStatement && isProcessExit(unwrap(last.expression)) && !hasOwnNode(body, fn, RETURN_STATEMENTS, visitorKeys);
}

/**
 * Does every run of this (not async) function end in a `throw`: its body's last statement is a `throw`, and it has
 * no `return` of its own? Run by the event loop (a listener, an operation's callback), the throw is uncaught.
 */
export function alwaysThrows(fn: FunctionNode, visitorKeys: Readonly<Record<string, readonly string[] | undefined>>): boolean {
  const body = fn.body;
  if (fn.async || fn.generator || body?.type !== AST_NODE_TYPES.BlockStatement) return false;
  return body.body[body.body.length - 1]?.type === AST_NODE_TYPES.ThrowStatement && !hasOwnNode(body, fn, RETURN_STATEMENTS, visitorKeys);
}

/** Is the block's last statement `process.exit(…)`, with no `return` or `throw` among its statements before it? */
function blockEndsInProcessExit(body: TSESTree.BlockStatement, variableOf?: VariableOf): boolean {
  const last = body.body[body.body.length - 1];
  return (
    last?.type === AST_NODE_TYPES.ExpressionStatement &&
    (isProcessExit(unwrap(last.expression)) || callsProcessEnder(last.expression, variableOf)) &&
    !body.body.some((st) => st.type === AST_NODE_TYPES.ReturnStatement || st.type === AST_NODE_TYPES.ThrowStatement)
  );
}

const implicitThrows = new WeakMap<TSESTree.Node, boolean>();

/**
 * Can this try block throw without a `throw` statement: does it make a call, a `new`, an `await` or a `yield`
 * (outside the functions it defines)? Memoised per block.
 */
export function mayThrowImplicitly(block: TSESTree.Node, visitorKeys: Readonly<Record<string, readonly string[] | undefined>>): boolean {
  let known = implicitThrows.get(block);
  if (known === undefined) {
    known = false;
    walkAst(block, visitorKeys, (n) => {
      if (n !== block && isFunction(n)) return 'skip';
      if (
        n.type === AST_NODE_TYPES.CallExpression ||
        n.type === AST_NODE_TYPES.NewExpression ||
        n.type === AST_NODE_TYPES.AwaitExpression ||
        n.type === AST_NODE_TYPES.YieldExpression ||
        n.type === AST_NODE_TYPES.TaggedTemplateExpression
      ) {
        known = true;
        return true;
      }
      return false;
    });
    implicitThrows.set(block, known);
  }
  return known;
}

/** Array methods whose value has the collection's elements in another order. */
const REORDERINGS: ReadonlySet<string> = new Set(['reverse', 'toReversed', 'sort', 'toSorted']);

/**
 * The whole copy made of a collection value: `socks.slice()` / `socks.slice(0)`, `[...socks]`, `Array.from(socks)`,
 * or the same elements in another order (`socks.reverse()`, `toReversed()`, `sort(…)`, `toSorted(…)`: jump hosts
 * closed innermost first). Undefined for anything else (a part of it, a mapped copy).
 */
export function wholeCopyOf(value: TSESTree.Node): TSESTree.Node | undefined {
  const mc = methodCallOn(value);
  if (mc) {
    const args = mc.call.arguments;
    if (REORDERINGS.has(mc.name)) return climbValue(mc.call);
    return mc.name === 'slice' && (args.length === 0 || (args.length === 1 && isZeroLiteral(args[0]))) ? climbValue(mc.call) : undefined;
  }
  const p = value.parent;
  if (p?.type === AST_NODE_TYPES.SpreadElement && p.parent.type === AST_NODE_TYPES.ArrayExpression && p.parent.elements.length === 1) return climbValue(p.parent);
  if (p?.type === AST_NODE_TYPES.CallExpression && p.arguments.length === 1 && p.arguments[0] === value && dottedName(p.callee) === 'Array.from') return climbValue(p);
  return undefined;
}

/** The number literal `0`. */
export function isZeroLiteral(node: TSESTree.Node): boolean {
  const u = unwrap(node);
  return u.type === AST_NODE_TYPES.Literal && u.value === 0;
}

/**
 * The `await` that takes a call's promise: `await call`, or `await call.catch(handler)` (the handler's value stands in
 * for the rejection: what the await gives is the call's value or the handler's). Undefined when nothing awaits it.
 */
export function awaitOf(call: TSESTree.Node): TSESTree.AwaitExpression | undefined {
  const outer = climbValue(call);
  const p = outer.parent;
  if (p?.type === AST_NODE_TYPES.AwaitExpression) return p;
  if (p?.type !== AST_NODE_TYPES.MemberExpression || p.object !== outer || p.computed || propertyName(p) !== 'catch') return undefined;
  const chained = p.parent;
  if (chained?.type !== AST_NODE_TYPES.CallExpression || chained.callee !== p || chained.arguments.length !== 1) return undefined;
  const awaited = climbValue(chained).parent;
  return awaited?.type === AST_NODE_TYPES.AwaitExpression ? awaited : undefined;
}
