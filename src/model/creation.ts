import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import * as ts from 'typescript';
import {
  calleeMember,
  climbValue,
  contains,
  enclosingFunction,
  isRequireCall,
  keyName,
  methodCallOn,
  ownReturns,
  propertyName,
  unwrap,
  type FunctionNode,
  thisOf,
  thisClass,
  thisMemberName,
  walkAst,
  isNullishLiteral,
  stringValue,
} from '../engine/ast';
import { recover, isStrict } from '../engine/strict';
const DefinitionType = TSESLint.Scope.DefinitionType;
import { openingMethods, type CallbackCreation, type ResourceKind } from '../kinds/kind';
import { inTypeScriptLibrary, isLibraryFile } from '../kinds/registry';
import { DEFERRING_CALLS, isFactoryName, LISTENER_METHODS, MEMOIZER_NAME } from '../kinds/vocabulary';
import { TypeQueries, filesOf, isPrimitiveExpression, parameterTakesFunction, skipOuter } from './types';
import { isTypeOnlyImport, neverReassigned, soleInitialiser, type Variable } from './bindings';
import { addToList } from '../util/lists';
// The enums as module constants: `ts.X` reads go through the typescript module's export getters.
const { SyntaxKind, SymbolFlags, TypeFlags } = ts;

const declaredReturnType = new WeakMap<ts.Symbol, boolean>();
/** Operators whose value is one of their operands (`a || b`, `a && b`, `a ?? b`). */
const LOGICAL_OPERATORS = new Set<ts.SyntaxKind>([SyntaxKind.BarBarToken, SyntaxKind.AmpersandAmpersandToken, SyntaxKind.QuestionQuestionToken]);
/** Is the function (or function-valued variable) declared with a return type, or in a declaration file? */
function hasDeclaredReturnType(symbol: ts.Symbol): boolean {
  let answer = declaredReturnType.get(symbol);
  if (answer === undefined) {
    answer = computeHasDeclaredReturnType(symbol);
    declaredReturnType.set(symbol, answer);
  }
  return answer;
}

/** Is every declaration of the symbol in a JavaScript file of the project (not a library's)? */
function inProjectJavaScript(symbol: ts.Symbol): boolean {
  const decls = symbol.declarations ?? [];
  return decls.length > 0 && decls.every((d) => {
    const file = d.getSourceFile();
    return (file.flags & ts.NodeFlags.JavaScriptFile) !== 0 && !isLibraryFile(file);
  });
}

function computeHasDeclaredReturnType(symbol: ts.Symbol): boolean {
  for (const decl of symbol.declarations ?? []) {
    if (decl.getSourceFile().isDeclarationFile) return true;
    if (ts.isFunctionLike(decl) && decl.type) return true;
    if (ts.isVariableDeclaration(decl)) {
      if (decl.type) return true;
      const init = decl.initializer;
      if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && init.type) return true;
    }
    if (ts.isClassDeclaration(decl) || ts.isClassExpression(decl)) return true;
  }
  return false;
}

/** A union (beside `undefined` and `null`: an optional method) or intersection of several types. */
function functionsCombined(type: ts.Type): boolean {
  if (type.isIntersection()) return true;
  if (!type.isUnion()) return false;
  let members = 0;
  for (const t of type.types) if (!(t.flags & (TypeFlags.Undefined | TypeFlags.Null)) && ++members > 1) return true;
  return false;
}

/** The function a callee denotes: `(0, mod.fn)(…)` (compiled ES modules) calls `mod.fn`. */
function calleeTarget(callee: TSESTree.Node): TSESTree.Node {
  let c = unwrap(callee);
  while (c.type === AST_NODE_TYPES.SequenceExpression && c.expressions.length > 0) {
    c = unwrap(c.expressions[c.expressions.length - 1]);
  }
  return c;
}

/**
 * Layer 3 of the file model: creation sites. Which calls and `new` expressions create a resource, decided by
 * cheap screens first (callee shape and name, the callee's declared signatures) and the call's type last.
 */
/** The file that declares the function or constructor a call runs (its resolved signature's declaration), if any. */
export function calleeDeclarationFile(m: Pick<TypeQueries, 'services' | 'checker'>, node: TSESTree.CallExpression | TSESTree.NewExpression): ts.SourceFile | undefined {
  const tsNode = m.services.esTreeNodeToTSNodeMap.get(node) as ts.CallExpression | ts.NewExpression | undefined;
  return tsNode && m.checker.getResolvedSignature(tsNode)?.getDeclaration()?.getSourceFile();
}

/** Is the constructor or function called a library's (declared in a declaration file)? */
export function madeByLibrary(m: Pick<TypeQueries, 'services' | 'checker'>, node: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  try {
    // A class without a declared constructor resolves to no declaration: then its class decides.
    const sf = calleeDeclarationFile(m, node) ?? m.checker.getTypeAtLocation(m.services.esTreeNodeToTSNodeMap.get(node)).getSymbol()?.declarations?.[0]?.getSourceFile();
    return !!sf && sf.isDeclarationFile;
  } catch (error) {
    return recover(error, false);
  }
}

export class CreationSites extends TypeQueries {
  private factoryQuery: FactoryQuery | undefined;
  /** {@link creationKind}'s answers: the pre-screen asks it of calls that the resource builder asks again. */
  private readonly creationKinds = new Map<TSESTree.Node, ResourceKind | null>();
  /**
   * While the pre-screen runs: its answers, node and kind in turn, kept in the map only once it found a candidate
   * (a file it skips needs none of them, and a map keyed by a node costs the node an identity hash).
   */
  private screenAnswers: Array<TSESTree.Node | ResourceKind | null> | undefined;

  /**
   * `await client.connect()` in a function, where `client` is a client created idle ({@link openingMethods}: node-redis
   * `createClient()`, `new MongoClient(url)`, a pg `Client`) that the module declares once or imports, and the same
   * function releases it in its own code after this call, outside a `catch` (`await client.disconnect()` at the end of
   * a request handler). The function opens the shared client for this call and means to close it again: the call owns
   * the connection it opens, as if it had made the client, and a path that leaves it open (an operation that rejects
   * before the release) leaves it connected for the next call, whose `connect()` fails or opens a second one. A
   * function that only connects (start-up code), or releases only in a `catch` (a connection kept on success), or
   * connects only when the client holds nothing (`if (!client.isOpen) await client.connect()`: it shares whatever it
   * finds), owns nothing. The kind of the client, or undefined.
   */
  sharedOpenKind(call: TSESTree.CallExpression): ResourceKind | undefined {
    const member = call.callee;
    if (member.type !== AST_NODE_TYPES.MemberExpression || member.computed || member.property.type !== AST_NODE_TYPES.Identifier) return undefined;
    if (!this.registry.openingMethods.has(member.property.name)) return undefined;
    const receiver = unwrap(member.object);
    const v = receiver.type === AST_NODE_TYPES.Identifier ? this.varOf.get(receiver) : undefined;
    const fn = enclosingFunction(call);
    if (!v || !fn || !sharedBinding(v)) return undefined;
    // Syntax first: a call of a name some kind releases with, on the same name, later in the function's own code.
    const releases = this.registry.anyRelease;
    const releasesLater = (test: (name: string) => boolean): boolean =>
      v.references.some((ref) => {
        const id = ref.identifier;
        if (id.range[0] < call.range[1] || !contains(fn, id) || enclosingFunction(id) !== fn || inCatchOf(id, fn)) return false;
        const mc = methodCallOn(id);
        return !!mc && test(mc.name);
      });
    if (!releasesLater((name) => releases.has(name))) return undefined;
    const kind = this.kindOfNode(receiver);
    if (!kind || !openingMethods(kind).has(member.property.name) || connectsOnlyWhenIdle(call, fn, v, kind)) return undefined;
    return releasesLater((name) => kind.releases.has(name)) ? kind : undefined;
  }

  /** Is this call/new/await a creation site, and of which kind? */
  creationKind(node: TSESTree.Node): ResourceKind | undefined {
    const known = this.screenAnswers ? undefined : this.creationKinds.get(node);
    if (known !== undefined) return known ?? undefined;
    const kind = this.computeCreationKind(node);
    if (this.screenAnswers) this.screenAnswers.push(node, kind ?? null);
    else this.creationKinds.set(node, kind ?? null);
    return kind;
  }

  /** Runs the pre-screen `screen` (see {@link creationKind}'s answers), keeping its answers when it passes. */
  protected screening(screen: () => boolean): boolean {
    const answers: Array<TSESTree.Node | ResourceKind | null> = [];
    this.screenAnswers = answers;
    let passed: boolean;
    try {
      passed = screen();
    } finally {
      this.screenAnswers = undefined;
    }
    if (passed) for (let i = 0; i < answers.length; i += 2) this.creationKinds.set(answers[i] as TSESTree.Node, answers[i + 1] as ResourceKind | null);
    return passed;
  }

  private computeCreationKind(node: TSESTree.Node): ResourceKind | undefined {
    if (node.type === AST_NODE_TYPES.CallExpression) {
      if (node.callee.type === AST_NODE_TYPES.Super) return undefined;
      // Cheap screens first (callee shape and name, then its declared signatures), the call's type last.
      if (!this.plausibleCallee(node)) return undefined;
      // `seen.get(key)` on `const seen = new Map(…)`: a method of TypeScript's own library is no factory (see
      // isFactoryCall), decided without inferring the receiver's type arguments.
      if (this.callsLibraryMethodOfConstructed(node)) {
        if (isStrict() && this.mayReturnSocket(node, false) && !this.isResourceMethod(node) && this.kindOfNode(node) && this.isFactoryCall(node)) {
          throw new Error(`socket-close: ${this.sourceCode.getText(node.callee)} is a method of TypeScript's library, yet a factory call`);
        }
        return undefined;
      }
      if (!this.mayReturnSocket(node, false)) return this.choiceCalleeKind(node);
      if (this.isResourceMethod(node)) return undefined;
      const kind = this.kindOfNode(node);
      if (!kind) return undefined;
      // `pipeline(src, socket, cb)`, `wrap(socket)` returning the same kind: it passes a socket through.
      if (this.passesThrough(node, kind)) return undefined;
      // `conn.createChannel((err, ch) => …)` (amqplib's callback API returns the channel it hands to the callback):
      // the callback receives it, the call's own value is the same object, not a second one.
      if (this.handsToCallback(node, kind)) return undefined;
      // A creator that returns it already released (`http.get()` ends its request) still creates it: its 'timeout'
      // listeners are checked (the resource builder releases it at its creation).
      if (!this.isFactoryCall(node)) return undefined;
      if (this.callsMemoized(node)) return undefined;
      return kind;
    }
    if (node.type === AST_NODE_TYPES.NewExpression) {
      if (!this.mayReturnSocket(node, false)) {
        const untyped = this.requiredDefaultKind(node) ?? this.untypedStaticKind(node);
        return untyped && !this.hasInertOption(node, untyped) ? untyped : undefined;
      }
      const kind = this.kindOfNode(node);
      return kind && !this.hasInertOption(node, kind) ? kind : undefined;
    }
    return undefined;
  }

  /** The call's callee is a variable declared once (by name) and never assigned again: its initialiser, unwrapped. */
  private calleeInitialiser(node: TSESTree.CallExpression): TSESTree.Node | undefined {
    const callee = calleeTarget(node.callee);
    return callee.type === AST_NODE_TYPES.Identifier ? soleInitialiser(this.varOf.get(callee)) : undefined;
  }

  /**
   * `const getClient = once(async () => { … return client; })`, `const getPool = memoize(makePool)`: a call of a
   * variable declared once and never assigned again, made by a memoizing wrapper, returns the first call's value
   * every time — one resource for the life of the function, made by the function it wraps (which is checked where it
   * is written), not a new one per call. A wrapper memoizes by its name ({@link MEMOIZER_NAME}), or, for a function
   * of this file, by its shape: it returns a function that returns a variable of the wrapper's own (`let result;
   * return () => { if (!done) { result = fn(); done = true; } return result; }`), which only a run of that function
   * assigns.
   */
  callsMemoized(node: TSESTree.CallExpression): boolean {
    const init = this.calleeInitialiser(node);
    if (!init) return this.importsMemoized(node);
    if (init.type !== AST_NODE_TYPES.CallExpression || init.arguments.length === 0) return false;
    const wrapper = calleeTarget(init.callee);
    const name = wrapper.type === AST_NODE_TYPES.Identifier ? wrapper.name : wrapper.type === AST_NODE_TYPES.MemberExpression ? propertyName(wrapper) : undefined;
    if (name !== undefined && MEMOIZER_NAME.test(name)) return true;
    const fn = this.functionValue(wrapper);
    return !!fn && this.returnsMemoizingFunction(fn);
  }

  /**
   * `import getRedis from './getRedis'` where that module has `const getRedis = callOnce(connect)` (or `export default
   * callOnce(connect)`): the imported function is made by a wrapper that memoizes by its name ({@link MEMOIZER_NAME}).
   */
  private importsMemoized(node: TSESTree.CallExpression): boolean {
    const callee = calleeTarget(node.callee);
    if (callee.type !== AST_NODE_TYPES.Identifier || this.varOf.get(callee)?.defs[0]?.type !== DefinitionType.ImportBinding) return false;
    try {
      const tsCallee = this.services.esTreeNodeToTSNodeMap.get(callee);
      let symbol = tsCallee ? this.checker.getSymbolAtLocation(tsCallee) : undefined;
      if (symbol && symbol.flags & SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
      const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
      let made: ts.Expression | undefined;
      if (decl && ts.isVariableDeclaration(decl) && decl.initializer && decl.parent.flags & ts.NodeFlags.Const) made = decl.initializer;
      else if (decl && ts.isExportAssignment(decl)) made = decl.expression;
      const call = made && skipOuter(made);
      if (!call || !ts.isCallExpression(call) || call.arguments.length === 0) return false;
      const wrapper = skipOuter(call.expression);
      const name = ts.isIdentifier(wrapper) ? wrapper.text : ts.isPropertyAccessExpression(wrapper) ? wrapper.name.text : undefined;
      return name !== undefined && MEMOIZER_NAME.test(name);
    } catch (error) {
      return recover(error, false);
    }
  }

  /**
   * Does `wrapper` return one function, every value of which is a variable declared in `wrapper` (not in that
   * function) and assigned only in that function (`result`, `result ??= fn()`, `result || (result = fn())`)?
   */
  private returnsMemoizingFunction(wrapper: FunctionNode): boolean {
    const keys = this.sourceCode.visitorKeys;
    const made = ownReturns(wrapper, keys).map((e) => this.functionValue(unwrap(e)));
    const inner = made[0];
    if (!inner || made.some((f) => f !== inner) || inner === wrapper) return false;
    const values = ownReturns(inner, keys);
    return values.length > 0 && values.every((e) => {
      let u = unwrap(e);
      if (u.type === AST_NODE_TYPES.AssignmentExpression && (u.operator === '??=' || u.operator === '||=')) u = unwrap(u.left);
      else if (u.type === AST_NODE_TYPES.LogicalExpression && u.operator !== '&&') u = unwrap(u.left);
      if (u.type !== AST_NODE_TYPES.Identifier) return false;
      const v = this.varOf.get(u);
      const def = v?.defs[0];
      if (!v || v.defs.length !== 1 || def?.type !== DefinitionType.Variable || enclosingFunction(def.node) !== wrapper) return false;
      return v.references.every((r) => !r.isWrite() || r.init || enclosingFunction(r.identifier) === inner);
    });
  }

  /**
   * `const connectFn = secure ? tls.connect : net.connect; connectFn(opts)` in JavaScript: a union of overloaded
   * functions is not callable for TypeScript (the call is an error, typed `any`), yet either branch opens a socket.
   * The kind of such a call: its callee is a variable declared once and never assigned again, initialised by a
   * choice (`c ? a : b`, `a || b`, `a ?? b`) between functions every call signature of which returns a resource, and
   * the call itself is typed `any`. The branches' kinds must agree, or one of their return types must take every
   * other (`net.Socket` for `tls.TLSSocket | net.Socket`, as TypeScript's union would reduce it): its kind.
   */
  private choiceCalleeKind(node: TSESTree.CallExpression): ResourceKind | undefined {
    const branches = choiceBranches(this.calleeInitialiser(node));
    if (!branches) return undefined;
    try {
      const returned: Array<{ kind: ResourceKind; type: ts.Type }> = [];
      for (const branch of branches) {
        const b = unwrap(branch);
        if (b.type !== AST_NODE_TYPES.MemberExpression && b.type !== AST_NODE_TYPES.Identifier) return undefined;
        const tsBranch = this.services.esTreeNodeToTSNodeMap.get(b);
        const signatures = tsBranch ? this.checker.getTypeAtLocation(tsBranch).getCallSignatures() : [];
        if (signatures.length === 0) return undefined;
        for (const sig of signatures) {
          const type = sig.getReturnType();
          const kind = this.registry.kindOf(type);
          if (!kind) return undefined;
          returned.push({ kind, type });
        }
      }
      const tsCall = this.services.esTreeNodeToTSNodeMap.get(node);
      if (!tsCall || !(this.checker.getTypeAtLocation(tsCall).flags & TypeFlags.Any)) return undefined;
      const first = returned[0]?.kind;
      let kind: ResourceKind | undefined = returned.every((r) => r.kind === first) ? first : undefined;
      if (!kind && typeof this.checker.isTypeAssignableTo === 'function') {
        kind = returned.find((target) => returned.every((r) => this.checker.isTypeAssignableTo(r.type, target.type)))?.kind;
      }
      if (!kind) return undefined;
      if (this.passesThrough(node, kind)) return undefined;
      return this.handsToCallback(node, kind) ? undefined : kind;
    } catch (error) {
      return recover(error, undefined);
    }
  }

  /**
   * `const Redis = require('ioredis'); new Redis(url)` in JavaScript: typings written as an ES module (`export default
   * class Redis`) for a package whose CommonJS export is that class itself (`module.exports = Redis`) type the required
   * value as the module's namespace, which TypeScript cannot construct. The kind of the default export's instances,
   * when the constructed name is a `require()` of a module whose default export is a class.
   */
  private requiredDefaultKind(node: TSESTree.NewExpression): ResourceKind | undefined {
    const callee = unwrap(node.callee);
    const def = callee.type === AST_NODE_TYPES.Identifier ? this.varOf.get(callee)?.defs[0] : undefined;
    if (def?.type !== DefinitionType.Variable || def.node.id !== def.name || !def.node.init) return undefined;
    const init = unwrap(def.node.init);
    if (!isRequireCall(init)) return undefined;
    try {
      const tsCallee = this.services.esTreeNodeToTSNodeMap.get(callee);
      const module = this.checker.getTypeAtLocation(tsCallee).getSymbol();
      if (!module || !(module.flags & SymbolFlags.ValueModule)) return undefined;
      const exported = this.checker.getExportsOfModule(module).find((x) => x.getName() === 'default');
      const target = exported && exported.flags & SymbolFlags.Alias ? this.checker.getAliasedSymbol(exported) : exported;
      if (!target || !(target.flags & SymbolFlags.Class)) return undefined;
      return this.registry.kindOf(this.checker.getDeclaredTypeOfSymbol(target));
    } catch (error) {
      return recover(error, undefined);
    }
  }

  /**
   * `import WebSocket from 'ws'; new WebSocket.Server({ port })` in an ES module: ws's ES-module typings declare no
   * `Server` static on the class (it is a class of its own there), so the expression is `any`, yet the class object
   * carries it at run time. The kind a binding names as that static of the class ({@link KindRegistry.kindOfStaticMember}).
   */
  private untypedStaticKind(node: TSESTree.NewExpression): ResourceKind | undefined {
    const callee = unwrap(node.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier) return undefined;
    if (!this.registry.staticMemberNames.has(callee.property.name)) return undefined;
    try {
      const tsNew = this.services.esTreeNodeToTSNodeMap.get(node);
      const tsObject = this.services.esTreeNodeToTSNodeMap.get(callee.object);
      if (!tsNew || !tsObject || !(this.checker.getTypeAtLocation(tsNew).flags & TypeFlags.Any)) return undefined;
      const cls = this.checker.getTypeAtLocation(tsObject).getSymbol();
      return cls && cls.flags & SymbolFlags.Class ? this.registry.kindOfStaticMember(cls, callee.property.name) : undefined;
    } catch (error) {
      return recover(error, undefined);
    }
  }

  /**
   * The kind of what a call or `new` gives, by its type — or, for `new WebSocket.Server(…)` where the typings declare
   * no such static (its type is `any`), by the kind that static names ({@link untypedStaticKind}).
   */
  constructedKind(node: TSESTree.CallExpression | TSESTree.NewExpression): ResourceKind | undefined {
    return this.kindOfNode(node) ?? (node.type === AST_NODE_TYPES.NewExpression ? this.untypedStaticKind(node) : undefined);
  }

  /**
   * Is an argument of the call of this very kind (`pipeline(src, socket, cb)`, `wrap(socket)`, `await
   * connectClient(client, options)`)? Then the call passes that socket through: what it gives back is not a new one.
   */
  private passesThrough(node: TSESTree.CallExpression | TSESTree.NewExpression, kind: ResourceKind): boolean {
    return node.arguments.some((a) => a.type !== AST_NODE_TYPES.SpreadElement && this.kindOfNode(a) === kind);
  }

  /** A function argument (inline or a local function) one of whose parameters is declared of `kind`. */
  private handsToCallback(node: TSESTree.CallExpression, kind: ResourceKind): boolean {
    for (const arg of node.arguments) {
      const fn = arg.type === AST_NODE_TYPES.SpreadElement ? undefined : this.functionValue(arg);
      if (fn?.params.some((p) => p.type === AST_NODE_TYPES.Identifier && this.kindOfNode(p) === kind)) return true;
    }
    return false;
  }

  /**
   * `new WebSocketServer({ noServer: true })`: an option of {@link ResourceKind.inertOptions} set to literal true, or
   * `new WebSocketServer({ server })`: an option of {@link ResourceKind.attachedOptions} given a value; or `new
   * WebSocket(null)` for a kind {@link ResourceKind.inertWithoutAddress}.
   */
  private hasInertOption(node: TSESTree.NewExpression, kind: ResourceKind): boolean {
    const inert = kind.inertOptions;
    const attached = kind.attachedOptions;
    const first = node.arguments[0];
    if (kind.inertWithoutAddress && first?.type === AST_NODE_TYPES.Literal && first.value === null) return true;
    if ((!inert && !attached) || node.arguments.length === 0) return false;
    let options = unwrap(node.arguments[0]);
    if (options.type === AST_NODE_TYPES.Identifier) {
      const def = this.varOf.get(options)?.defs[0]?.node;
      if (def?.type === AST_NODE_TYPES.VariableDeclarator && def.init) options = unwrap(def.init);
    }
    if (options.type !== AST_NODE_TYPES.ObjectExpression) return false;
    return options.properties.some((p) => {
      if (p.type !== AST_NODE_TYPES.Property || p.computed) return false;
      const key = keyName(p.key) ?? '';
      const value = unwrap(p.value);
      if (inert?.has(key)) return value.type === AST_NODE_TYPES.Literal && value.value === true;
      if (attached?.has(key)) return !(value.type === AST_NODE_TYPES.Literal && (value.value === null || value.value === false)) && !this.isNullOrUndefined(value);
      return false;
    });
  }

  /**
   * `await call()` (`awaitNode` the await): the kind the awaited call may create — the cheap callee screen and the
   * callee's declared signatures first (as for direct calls), not a method of a resource (`await client.connect()`
   * resolves to the client itself), and the kind of what the await gives. The resource builder checks more.
   */
  awaitedCreationKind(node: TSESTree.CallExpression | TSESTree.NewExpression, awaitNode: TSESTree.Node): ResourceKind | undefined {
    if (node.type === AST_NODE_TYPES.CallExpression && !(this.plausibleCallee(node) && this.mayReturnSocket(node, true))) return this.promisedCreationKind(node);
    if (this.isResourceMethod(node)) return undefined;
    // `await (usePool ? pool.getConnection() : createConnection(opts))`: one branch of the awaited value resolves to
    // what its own type says (the whole's union names one kind for both).
    const branch = node.type === AST_NODE_TYPES.CallExpression && awaitNode.type === AST_NODE_TYPES.AwaitExpression && unwrap(awaitNode.argument) !== node ? this.resolvedKind(node) : undefined;
    const kind = this.assertedKind(awaitNode) ?? branch ?? this.kindOfNode(awaitNode);
    // `await connectClient(client, options)` resolving to the client it was given: it passes a socket through, as
    // `wrap(socket)` does (see computeCreationKind).
    if (kind && this.passesThrough(node, kind)) return undefined;
    return kind;
  }

  /**
   * `(await this.db.connect()) as pg.PoolClient`: the kind of the type the program asserts the awaited value to be,
   * when that is a resource type (the receiver's declared union, `pg.Client | pg.Pool`, gives its `connect()` a union
   * of results). Undefined when there is no assertion or it asserts no resource type (`as any`).
   */
  private assertedKind(value: TSESTree.Node): ResourceKind | undefined {
    let n: TSESTree.Node = value;
    while (n.parent?.type === AST_NODE_TYPES.TSNonNullExpression) n = n.parent;
    const p = n.parent;
    if ((p?.type !== AST_NODE_TYPES.TSAsExpression && p?.type !== AST_NODE_TYPES.TSTypeAssertion) || p.expression !== n) return undefined;
    return this.kindOfNode(p);
  }

  /**
   * `await connectSsh(cfg)` of a function of this file typed to resolve to nothing in particular (`Promise<any>` in
   * JavaScript, `Promise<unknown>` in TypeScript) that returns `new Promise(executor)`, whose executor resolves only
   * with a socket it creates itself (`const conn = new Client(); conn.on('ready', () => resolve(conn))`): the kind
   * of that socket, as if the function were declared to return a promise of it. Undefined otherwise.
   */
  private promisedCreationKind(call: TSESTree.CallExpression): ResourceKind | undefined {
    const callee = unwrap(call.callee);
    const fn = callee.type === AST_NODE_TYPES.Identifier ? this.functionValue(callee) : undefined;
    if (!fn || this.promisedDepth > 0) return undefined;
    let found = this.promisedKinds.get(fn);
    if (found === undefined) {
      found = this.computePromisedKind(fn) ?? null;
      this.promisedKinds.set(fn, found);
    }
    // Only where the awaited value has no kind of its own (a declared `Promise<Socket>` is decided by its type).
    return found && !this.kindOfNode(climbValue(call).parent ?? call) ? found : undefined;
  }

  /** {@link promisedCreationKind} by function (null: none). */
  private readonly promisedKinds = new Map<FunctionNode, ResourceKind | null>();

  private computePromisedKind(fn: FunctionNode): ResourceKind | undefined {
    const returned = ownReturns(fn, this.sourceCode.visitorKeys);
    if (returned.length === 0) return undefined;
    let found: ResourceKind | undefined;
    this.promisedDepth++;
    try {
      for (const value of returned) {
        const kind = this.executorResolvesCreated(unwrap(value));
        if (!kind || (found && found !== kind)) return undefined;
        found = kind;
      }
    } finally {
      this.promisedDepth--;
    }
    return found;
  }

  private promisedDepth = 0;

  /** `new Promise((resolve, reject) => { const c = new Client(); …; resolve(c) })`: the kind of what every `resolve` gets, created there. */
  private executorResolvesCreated(value: TSESTree.Node): ResourceKind | undefined {
    if (value.type !== AST_NODE_TYPES.NewExpression || value.callee.type !== AST_NODE_TYPES.Identifier || value.callee.name !== 'Promise') return undefined;
    const executor = value.arguments[0] ? this.functionValue(value.arguments[0]) : undefined;
    const resolve = executor?.params[0];
    const rv = resolve?.type === AST_NODE_TYPES.Identifier ? this.varOf.get(resolve) : undefined;
    if (!executor || !rv) return undefined;
    let found: ResourceKind | undefined;
    for (const ref of rv.references) {
      if (ref.init) continue;
      const id = ref.identifier;
      const p = id.parent;
      if (p?.type !== AST_NODE_TYPES.CallExpression || p.callee !== id) return undefined;
      const arg = p.arguments[0] ? unwrap(p.arguments[0]) : undefined;
      const v = arg?.type === AST_NODE_TYPES.Identifier ? this.varOf.get(arg) : undefined;
      const def = v?.defs[0];
      if (!v || v.defs.length !== 1 || def?.type !== DefinitionType.Variable || !def.node.init || !contains(executor, def.node) || !neverReassigned(v)) return undefined;
      const init = unwrap(def.node.init);
      if (init.type !== AST_NODE_TYPES.NewExpression && init.type !== AST_NODE_TYPES.CallExpression) return undefined;
      const kind = this.creationKind(init);
      if (!kind || (found && found !== kind)) return undefined;
      // `ws.close(); resolve(ws);`: what it resolves with is released already (a probe that only reports success).
      if (releasedJustBefore(p, v, kind)) return undefined;
      found = kind;
    }
    return found;
  }

  /**
   * `create().then((conn) => …)`: a promise of a new resource, taken by the first function of a `.then()` called on
   * the creating call itself. The same tests as for `await create()` (the callee may resolve to a resource, is no
   * method of one, is no accessor), and the kind of the function's first parameter. Undefined otherwise.
   */
  thenCreation(call: TSESTree.CallExpression): { kind: ResourceKind; source: TSESTree.CallExpression; fn: FunctionNode; param: TSESTree.Identifier | undefined } | undefined {
    const callee = unwrap(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || propertyName(callee) !== 'then') return undefined;
    let source = this.promiseSource(unwrap(callee.object));
    // `getConnection().catch(log).then((conn) => …)`: a `.catch()` first passes the resource on when it is made.
    for (let i = 0; i < 4 && source.type === AST_NODE_TYPES.CallExpression; i++) {
      const link = unwrap(source.callee);
      if (link.type !== AST_NODE_TYPES.MemberExpression || propertyName(link) !== 'catch' || source.arguments.length !== 1) break;
      source = this.promiseSource(unwrap(link.object));
    }
    const arg = call.arguments[0];
    const fn = arg ? this.functionValue(arg) : undefined;
    const param = fn?.params[0];
    // `pool.connect().then(() => …)`: a function that takes nothing (and reads no `arguments`) drops what it is given.
    const takesNothing = !!fn && fn.params.length === 0 && (fn.type === AST_NODE_TYPES.ArrowFunctionExpression || !/\barguments\b/.test(this.sourceCode.getText(fn)));
    if (source.type !== AST_NODE_TYPES.CallExpression || !fn || unwrap(arg) !== fn || (param?.type !== AST_NODE_TYPES.Identifier && !takesNothing)) return undefined;
    if (!this.plausibleCallee(source) || !this.mayReturnSocket(source, true) || this.isResourceMethod(source) || !this.isFactoryCall(source)) return undefined;
    const kind = param?.type === AST_NODE_TYPES.Identifier ? this.kindOfNode(param) : this.resolvedKind(source);
    return kind ? { kind, source, fn, param: param?.type === AST_NODE_TYPES.Identifier ? param : undefined } : undefined;
  }

  /** The kind of what the call's promise resolves to (its type, awaited). */
  private resolvedKind(call: TSESTree.CallExpression): ResourceKind | undefined {
    try {
      const tsNode = this.services.esTreeNodeToTSNodeMap.get(call);
      const type = this.checker.getAwaitedType(this.checker.getTypeAtLocation(tsNode));
      return type ? this.registry.kindOf(type) : undefined;
    } catch (error) {
      return recover(error, undefined);
    }
  }

  /**
   * `const { client, db } = await connect(url)` (or `const [collection, client] = …`): a function of the project (not
   * a library's) whose every return gives an object literal holding, under the destructured name (an array literal
   * holding, at the destructured position), a resource it made itself — a `new`, a call, an awaited one, or a local
   * variable initialised with one (not a parameter, a field or a module variable: those are lent). The caller owns
   * that resource from the destructured name on (the first such name of the pattern); `others`: the pattern's other
   * names.
   */
  destructuredCreation(call: TSESTree.CallExpression): { kind: ResourceKind; id: TSESTree.Identifier | undefined; property: string | number; others: TSESTree.Identifier[] } | undefined {
    const outer = climbValue(call);
    const value = outer.parent?.type === AST_NODE_TYPES.AwaitExpression ? climbValue(outer.parent) : outer;
    const holder = value.parent;
    if (holder?.type !== AST_NODE_TYPES.VariableDeclarator || holder.init !== value) return undefined;
    // By property name (`{ client, db }`) or by position (`[collection, client]`).
    const names: Array<[string | number, TSESTree.Identifier]> = [];
    // Every plain name of the pattern (also under a computed key): the ones that come with the resource.
    const all: TSESTree.Identifier[] = [];
    if (holder.id.type === AST_NODE_TYPES.ObjectPattern) {
      for (const p of holder.id.properties) {
        if (p.type !== AST_NODE_TYPES.Property || p.value.type !== AST_NODE_TYPES.Identifier) continue;
        all.push(p.value);
        const name = p.computed ? undefined : keyName(p.key);
        if (name !== undefined) names.push([name, p.value]);
      }
    } else if (holder.id.type === AST_NODE_TYPES.ArrayPattern) {
      holder.id.elements.forEach((e, i) => {
        if (e?.type === AST_NODE_TYPES.Identifier) {
          all.push(e);
          names.push([i, e]);
        }
      });
    }
    if (names.length === 0) return undefined;
    try {
      const tsCall = this.services.esTreeNodeToTSNodeMap.get(call) as ts.CallExpression | undefined;
      const decl = tsCall ? this.checker.getResolvedSignature(tsCall)?.getDeclaration() : undefined;
      if (!decl || !ts.isFunctionLike(decl)) return undefined;
      const body = (decl as ts.FunctionLikeDeclarationBase).body;
      const file = decl.getSourceFile();
      if (!body || isLibraryFile(file)) return undefined;
      for (const [name, id] of names) {
        const kind = this.kindOfNode(id);
        if (kind && returnsMadeProperty(decl as ts.FunctionLikeDeclarationBase, name, this.factoryQueryOf())) {
          return { kind, id, property: name, others: all.filter((other) => other !== id) };
        }
      }
      // `const { sftp } = await connect(cfg)` where `connect()` returns `{ conn, sftp }` with the client it made in
      // `conn`: a pattern without that property (and without a rest element) drops it at the call.
      const pattern = holder.id;
      if (pattern.type !== AST_NODE_TYPES.ObjectPattern || pattern.properties.some((p) => p.type === AST_NODE_TYPES.RestElement || p.computed)) return undefined;
      const taken = new Set(names.map(([name]) => name));
      // The keys of the object the helper returns (read off its first return), then those it makes a socket for, and
      // only then the type of that property.
      for (const name of returnedObjectKeys(decl as ts.FunctionLikeDeclarationBase)) {
        if (taken.has(name) || !returnsMadeProperty(decl as ts.FunctionLikeDeclarationBase, name, this.factoryQueryOf())) continue;
        const tsValue = this.services.esTreeNodeToTSNodeMap.get(value);
        const prop = tsValue ? this.checker.getTypeAtLocation(tsValue).getProperty(name) : undefined;
        const kind = prop && tsValue ? this.registry.kindOf(this.checker.getTypeOfSymbolAtLocation(prop, tsValue)) : undefined;
        if (kind) return { kind, id: undefined, property: name, others: all };
      }
      return undefined;
    } catch (error) {
      return recover(error, undefined);
    }
  }

  /**
   * `req.once('connect', (res, socket) => …)`: a listener, given inline, of an event whose listener receives a new
   * resource (the emitter's kind's `listenerCreates`): the listener owns it from its parameter on. The resource's
   * kind is the one the spec names (the parameter's declared type may be a plain `stream.Duplex`).
   */
  listenerCreation(call: TSESTree.CallExpression): { kind: ResourceKind; fn: FunctionNode; param: TSESTree.Identifier; emitter: TSESTree.Node; emitterKind: ResourceKind } | undefined {
    const callee = unwrap(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const method = propertyName(callee);
    const event = call.arguments[0];
    if (method === undefined || !LISTENER_METHODS.has(method) || event?.type !== AST_NODE_TYPES.Literal || typeof event.value !== 'string') return undefined;
    if (!this.registry.listenerCreatingEvents.has(event.value)) return undefined;
    const arg = call.arguments[1];
    const fn = arg ? this.functionValue(arg) : undefined;
    // Written in place, or a function of the file registered by name only here (`req.once('connect', onConnect)`).
    if (!fn || (unwrap(arg) !== fn && !this.namedOnlyHere(arg))) return undefined;
    const emitterKind = this.kindOfNode(callee.object);
    const spec = emitterKind?.listenerCreates?.get(event.value);
    if (spec?.sharedWithOtherListeners && !this.soleListenerOfOwnEmitter(unwrap(callee.object), event.value)) return undefined;
    const param = spec ? fn.params[spec.resource] : undefined;
    const kind = spec ? this.registry.kindNamed(spec.kind) : undefined;
    return kind && emitterKind && param?.type === AST_NODE_TYPES.Identifier ? { kind, fn, param, emitter: unwrap(callee.object), emitterKind } : undefined;
  }

  /**
   * Is this registration the one listener of `event` on an emitter the file makes and keeps to itself: a variable or a
   * field of `this` given only calls' and `new`s' values, every other mention of it the receiver of a method call (no
   * argument, property, return or export that would let other code add a listener of its own: `new
   * WebSocketServer({ server })`)?
   */
  private soleListenerOfOwnEmitter(emitter: TSESTree.Node, event: string): boolean {
    let mentions: TSESTree.Node[] = [];
    if (emitter.type === AST_NODE_TYPES.Identifier) {
      const v = this.varOf.get(emitter);
      const def = v?.defs[0];
      // (Not `export const server = …`: other modules may add listeners.)
      if (!v || v.defs.length !== 1 || def?.type !== DefinitionType.Variable || def.node.parent?.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration) return false;
      const init = def.node.init ? unwrap(def.node.init) : undefined;
      if (init && init.type !== AST_NODE_TYPES.CallExpression && init.type !== AST_NODE_TYPES.NewExpression) return false;
      mentions = v.references.filter((ref) => !ref.init).map((ref) => ref.identifier);
    } else {
      const name = thisMemberName(emitter);
      const cls = name === undefined ? undefined : thisClass(emitter);
      if (!cls || name === undefined) return false;
      walkAst(cls.body, this.sourceCode.visitorKeys, (n) => {
        if (n.type === AST_NODE_TYPES.MemberExpression && thisMemberName(n) === name && thisClass(n) === cls) mentions.push(n);
      });
    }
    let listeners = 0;
    for (const mention of mentions) {
      const value = climbValue(mention);
      const p = value.parent;
      if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === value) {
        const right = unwrap(p.right);
        if (p.operator !== '=' || (right.type !== AST_NODE_TYPES.CallExpression && right.type !== AST_NODE_TYPES.NewExpression && !isNullishLiteral(right))) return false;
        continue;
      }
      const call = p?.type === AST_NODE_TYPES.MemberExpression && p.object === value ? climbValue(p).parent : undefined;
      if (call?.type !== AST_NODE_TYPES.CallExpression || unwrap(call.callee) !== p) return false;
      const method = propertyName(p as TSESTree.MemberExpression);
      if (method !== undefined && LISTENER_METHODS.has(method) && stringValue(call.arguments[0]) === event) listeners++;
    }
    return listeners === 1;
  }

  /**
   * `amqp.connect(url, (err, conn) => …)`: a library function that hands a new resource to its error-first callback,
   * given in place (a kind's `callbackFactories`, matched by the name called and the kind of the callback's resource
   * parameter). Not a method of a resource (those are its kind's `callbackCreates`), nor a function of the user's
   * code (a helper that passes on what it is given does not make it new).
   */
  factoryCallbackCreation(call: TSESTree.CallExpression): { kind: ResourceKind; spec: CallbackCreation; fn: FunctionNode; param: TSESTree.Identifier } | undefined {
    const callee = unwrap(call.callee);
    const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
    const candidates = name === undefined ? undefined : this.registry.callbackFactories.get(name);
    const last = call.arguments[call.arguments.length - 1];
    if (!candidates || !last) return undefined;
    const fn = this.functionValue(last);
    if (!fn || unwrap(last) !== fn) return undefined;
    for (const { kind, spec } of candidates) {
      const param = fn.params[spec.resource];
      if (param?.type !== AST_NODE_TYPES.Identifier) continue;
      const paramKind = this.kindOfNode(param);
      if (paramKind !== kind && !(paramKind === undefined && this.promisesKindToUntyped(call, param, kind))) continue;
      if (callee.type === AST_NODE_TYPES.MemberExpression && this.kindOfNode(callee.object)) return undefined;
      return madeByLibrary(this, call) ? { kind, spec, fn, param } : undefined;
    }
    return undefined;
  }

  /**
   * `MongoClient.connect(url, (err, client) => …)` against typings that dropped the callback form (mongodb 5 and
   * later declare only `connect(url, options?): Promise<MongoClient>`): the callback's parameter has no type of its
   * own (`any`: written without a type, its contextual type is no function's), and the call resolves to the
   * promise form, a promise of the kind. The library of the code still hands the callback what the promise would
   * resolve to.
   */
  private promisesKindToUntyped(call: TSESTree.CallExpression, param: TSESTree.Identifier, kind: ResourceKind): boolean {
    if (param.typeAnnotation) return false;
    try {
      const tsParam = this.services.esTreeNodeToTSNodeMap.get(param);
      const tsCall = this.services.esTreeNodeToTSNodeMap.get(call);
      if (!tsParam || !tsCall || !(this.checker.getTypeAtLocation(tsParam).flags & TypeFlags.Any)) return false;
      const promised = this.checker.getAwaitedType(this.checker.getTypeAtLocation(tsCall));
      return !!promised && this.registry.kindOf(promised) === kind;
    } catch (error) {
      return recover(error, false);
    }
  }

  /** A name of a function that this one reference is the only read of (its declaration aside). */
  private namedOnlyHere(arg: TSESTree.Node): boolean {
    const id = unwrap(arg);
    const v = id.type === AST_NODE_TYPES.Identifier ? this.varOf.get(id) : undefined;
    const reads = v?.references.filter((r) => !r.init && !r.isWrite()) ?? [];
    return reads.length === 1 && reads[0].identifier === id;
  }

  /**
   * `const ok = conn.createChannel(); ok.then((ch) => …)`: the call a variable holds (a `const`, or one never assigned
   * again) when the promise is read only there; the node itself otherwise.
   */
  private promiseSource(node: TSESTree.Node): TSESTree.Node {
    if (node.type !== AST_NODE_TYPES.Identifier) return node;
    const v = this.varOf.get(node);
    const def = v?.defs[0];
    if (v?.defs.length !== 1 || def?.type !== DefinitionType.Variable || def.node.id !== def.name || !def.node.init) return node;
    if (!neverReassigned(v)) return node;
    const init = unwrap(def.node.init);
    const reads = v.references.filter((ref) => !ref.init);
    return init.type === AST_NODE_TYPES.CallExpression && reads.length === 1 && reads[0].identifier === node ? init : node;
  }

  /** Does the called function return the resource already released (`http.get()`)? */
  releasedByCreator(call: TSESTree.CallExpression, kind: ResourceKind): boolean {
    const released = kind.releasedByCreator;
    if (!released) return false;
    const creatorName = (callee: TSESTree.Node): string | undefined =>
      callee.type === AST_NODE_TYPES.Identifier ? this.exportedName(callee) : callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
    const callee = calleeTarget(call.callee);
    const name = creatorName(callee);
    if (name !== undefined && released.has(name)) return true;
    // `const get = secure ? httpsGet : httpGet; get(url, cb)`: a choice of such creators, each releasing what it returns.
    return !!choiceBranches(this.calleeInitialiser(call))?.every((b) => {
      const branchName = creatorName(unwrap(b));
      return branchName !== undefined && released.has(branchName);
    });
  }

  /**
   * The name a module exports the function `id` names under: `get` for `import { get as httpGet } from 'node:http'`
   * and `const { get: httpGet } = require('node:http')`; else its own name.
   */
  private exportedName(id: TSESTree.Identifier): string | undefined {
    const def = this.varOf.get(id)?.defs[0];
    if (def?.type === DefinitionType.ImportBinding && def.node.type === AST_NODE_TYPES.ImportSpecifier) return keyName(def.node.imported);
    if (def?.type !== DefinitionType.Variable) return id.name;
    const prop = def.name.parent;
    const init = def.node.init;
    if (prop?.type === AST_NODE_TYPES.Property && prop.value === def.name && !prop.computed && prop.parent.type === AST_NODE_TYPES.ObjectPattern && init && isRequireCall(unwrap(init))) return keyName(prop.key);
    return id.name;
  }

  /**
   * Is this a call of a method of a resource that does not create a new one? Such a method returns (or resolves
   * to) the resource itself or something else (`setTimeout()`, `on()`, `listen()`, `await client.connect()`),
   * unless the kind declares that it creates a new resource (`duplicate()`).
   */
  isResourceMethod(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
    const member = call.type === AST_NODE_TYPES.CallExpression ? calleeMember(call) : undefined;
    if (!member) return false;
    const receiverKind = this.kindOfNode(member.object);
    const method = propertyName(member);
    return !!receiverKind && !(method !== undefined && receiverKind.creates.has(method));
  }

  /**
   * A screen that needs no type information: a call can create a socket if its callee is a plain name (resolved
   * cheaply by symbol), a method of `this` or of a module binding, or a method whose name looks like a factory.
   * Anything else (`list.push(x)`, `JSON.parse(s)`, `fn().then(...)`) would need the receiver's inferred type,
   * which is what makes type-aware lint rules slow; such calls are not creation sites.
   */
  plausibleCallee(call: TSESTree.CallExpression): boolean {
    const callee = calleeTarget(call.callee);
    if (callee.type === AST_NODE_TYPES.Identifier) return true;
    // `(() => { const c = net.connect(port); c.setNoDelay(true); return c; })()`: a function called where it is written.
    // (Told apart from a module wrapper, `(function (root) { … })(this)`, by its last statement: a return of a value.)
    if (callee.type === AST_NODE_TYPES.ArrowFunctionExpression || callee.type === AST_NODE_TYPES.FunctionExpression) {
      return callee.body.type !== AST_NODE_TYPES.BlockStatement || endsInReturnedValue(callee.body);
    }
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
    const name = propertyName(callee);
    if (name === undefined) return false;
    if (isFactoryName(name) || this.creatingMethods.has(name)) return true;
    const object = unwrap(callee.object);
    if (thisOf(object)) return true;
    // `exports.open()`, `module.exports.open()`: a function of this module.
    if (this.isCommonJsExports(object)) return true;
    if (object.type === AST_NODE_TYPES.Identifier) return this.isCheapBinding(object);
    // `this.db.beginTransaction()` with `db` declared with a type in the class (`constructor(private db: TxPool)`):
    // the field's declared type is read from its annotation, once per class and name.
    if (object.type === AST_NODE_TYPES.MemberExpression && thisOf(unwrap(object.object)) && this.fieldAnnotation(object)) return true;
    return this.isCheapChoice(object);
  }

  /** `secure ? https : http` (or `a || b`, `a ?? b`): a choice between names whose declared types cost nothing. */
  private isCheapChoice(node: TSESTree.Node): boolean {
    const n = unwrap(node);
    const cheap = (branch: TSESTree.Node): boolean => {
      const b = unwrap(branch);
      return b.type === AST_NODE_TYPES.Identifier && this.isCheapBinding(b);
    };
    if (n.type === AST_NODE_TYPES.ConditionalExpression) return cheap(n.consequent) && cheap(n.alternate);
    if (n.type === AST_NODE_TYPES.LogicalExpression && n.operator !== '&&') return cheap(n.left) && cheap(n.right);
    return false;
  }

  /** A name whose declared type costs nothing to compute: an import, a class, a `require()`, or an annotated binding. */
  isCheapBinding(id: TSESTree.Identifier): boolean {
    const v = this.varOf.get(id);
    const def = v?.defs[0];
    if (!def) return false;
    // An import, or a class of this file (`Conn.open()`: a static factory).
    if (def.type === DefinitionType.ImportBinding || def.type === DefinitionType.ClassName) return true;
    const name = def.name as TSESTree.Identifier;
    if (name.typeAnnotation) return true;
    if (def.type === DefinitionType.Variable) {
      const init = (def.node).init;
      if (isRequireCall(init)) return true;
      if (init && unwrap(init).type === AST_NODE_TYPES.NewExpression) return true;
      // `const lib = secure ? https : http`, or a `let` never given anything else (not a variable that may be given
      // something else later).
      if (init && (def.parent.kind === 'const' || (!!v && neverReassigned(v))) && this.isCheapChoice(init)) return true;
    }
    return false;
  }

  /**
   * Does a signature of the callee's declared type (call or construct signatures) return a resource (`awaited`:
   * a promise of one)? Cached per program and settings in the registry, each flavour computed only when asked:
   * the awaited type is what type-aware rules otherwise never need.
   */
  private calleeReturns(symbol: ts.Symbol, construct: boolean, awaited: boolean): boolean {
    const cache = construct ? this.registry.constructReturns : this.registry.callReturns;
    let entry = cache.get(symbol);
    if (!entry) {
      entry = {};
      cache.set(symbol, entry);
    }
    const known = awaited ? entry.awaited : entry.direct;
    if (known !== undefined) return known;
    // `new C()` of a class declaration: its instance type is the class's declared type (the kind of `C<A>` is
    // `C`'s), without resolving the class's static side and construct signatures.
    // Not a transient symbol: `import * as WebSocket from 'ws'` (esModuleInterop) makes one for the module object,
    // flagged as the class but without its construct signatures (`new WebSocket()` is not constructable there).
    if (construct && !awaited && symbol.flags & SymbolFlags.Class && !(symbol.flags & (SymbolFlags.Variable | SymbolFlags.Property | SymbolFlags.Accessor | SymbolFlags.Transient))) {
      const answer = !!this.registry.kindOf(this.checker.getDeclaredTypeOfSymbol(symbol));
      if (isStrict() && this.calleeReturnsBySignatures(symbol, construct, awaited) !== answer) {
        throw new Error(`socket-close: the declared type of class ${symbol.getName()} and its construct signatures disagree`);
      }
      entry.direct = answer;
      return answer;
    }
    const answer = this.calleeReturnsBySignatures(symbol, construct, awaited);
    if (awaited) entry.awaited = answer;
    else entry.direct = answer;
    return answer;
  }

  private calleeReturnsBySignatures(symbol: ts.Symbol, construct: boolean, awaited: boolean): boolean {
    const declared = construct ? undefined : this.returnsByDeclarations(symbol, awaited);
    if (declared !== undefined && !isStrict()) return declared;
    const full = this.returnsBySignatureTypes(symbol, construct, awaited);
    if (declared !== undefined && declared !== full) {
      throw new Error(`socket-close: the declarations of ${symbol.getName()} say it returns a resource: ${String(declared)}, its signatures: ${String(full)}`);
    }
    return full;
  }

  /**
   * A function or method whose every declaration is a function-like declaration: its call signatures are those
   * declarations (the overloads when it has any, else the one with a body), so their declared return types decide
   * without building the symbol's type. Undefined: a declaration of another shape, or a return type that does not
   * decide.
   */
  private returnsByDeclarations(symbol: ts.Symbol, awaited: boolean): boolean | undefined {
    // Not a transient symbol (a member of an instantiated generic type, of a union or intersection, a mapped one):
    // its signatures are not its declarations' as written.
    const decls = symbol.flags & SymbolFlags.Transient ? [] : (symbol.declarations ?? []);
    if (decls.length === 0 || decls.some((d) => d.parent !== decls[0].parent)) return undefined;
    const signatures: ts.SignatureDeclaration[] = [];
    for (const d of decls) {
      if (!(ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d) || ts.isMethodSignature(d))) return undefined;
      signatures.push(d);
    }
    const overloads = signatures.filter((d) => !(d as ts.FunctionLikeDeclarationBase).body);
    let answer = false;
    for (const d of overloads.length > 0 ? overloads : signatures) {
      if (d.typeParameters?.length) return undefined;
      const kind = d.type ? this.typeNodeKind(d.type, awaited) : undefined;
      if (kind === undefined) return undefined;
      if (kind) answer = true;
    }
    return answer;
  }

  private returnsBySignatureTypes(symbol: ts.Symbol, construct: boolean, awaited: boolean): boolean {
    const type = this.checker.getTypeOfSymbol(symbol);
    const signatures = construct ? type.getConstructSignatures() : type.getCallSignatures();
    // A property of a union or intersection (`(Redis | Cluster).duplicate`) is declared in several types: its
    // signatures combine theirs (the return type `Redis | Cluster`), so no one declaration's return type decides;
    // nor does it for a name typed with a union of functions (`const f = c ? JSON.stringify : net.connect`).
    const decls = symbol.declarations ?? [];
    const combined = functionsCombined(type) || decls.some((d) => d.parent !== decls[0].parent);
    let answer = false;
    for (const sig of signatures) {
      // A declared return type decides without resolving it where its syntax and the symbols it names do.
      const cheap = combined ? undefined : this.declaredReturnKind(sig, construct, awaited);
      let kind: ResourceKind | null | undefined = cheap;
      if (cheap === undefined || isStrict()) {
        const ret = sig.getReturnType();
        const t = awaited ? this.checker.getAwaitedType(ret) : ret;
        kind = (t && this.registry.kindOf(t)) ?? null;
        if (cheap !== undefined && cheap !== kind) {
          throw new Error(`socket-close: cheap return kind ${cheap?.name ?? 'none'} ≠ ${kind?.name ?? 'none'} of ${symbol.getName()}`);
        }
      }
      if (kind) {
        answer = true;
        break;
      }
    }
    return answer;
  }

  /** A signature's return kind when its declaration decides it (a declared return type, or only primitives returned); undefined: resolve it. */
  private declaredReturnKind(sig: ts.Signature, construct: boolean, awaited: boolean): ResourceKind | null | undefined {
    const decl = sig.getDeclaration() as ts.SignatureDeclaration | undefined;
    const declared = decl?.type;
    return declared ? this.typeNodeKind(declared, awaited) : !construct && decl && this.returnsOnlyKindless(decl, awaited) ? null : undefined;
  }

  /**
   * Does an unannotated function's inferred return type (or, `awaited`, what its promise resolves to) have no kind, by
   * the syntax of what it returns? Inferring it would check the returned expressions (`return !!this.client` resolves
   * the client's whole declared type). Every value it returns (a concise arrow body, or each `return` of the body) is
   * a primitive (`n + 1`, a literal, `void x`), `null`, or — not awaited — an object or array literal or a function,
   * whose anonymous types (`__object`, `Array`, `__function`, or a named function expression's name) no binding
   * names. An async function called without `await` returns a `Promise`, which has no kind unless a binding names it.
   * A generator or a constructor: not decided.
   */
  private returnsOnlyKindless(decl: ts.SignatureDeclaration, awaited: boolean): boolean {
    if (!ts.isFunctionLike(decl) || ts.isConstructorDeclaration(decl) || (decl as ts.FunctionLikeDeclarationBase).asteriskToken) return false;
    const body = (decl as ts.FunctionLikeDeclarationBase).body;
    if (!body) return false;
    if (!awaited && ts.getCombinedModifierFlags(decl) & ts.ModifierFlags.Async) return !this.registry.bindsName('Promise');
    const kindless = (e: ts.Expression): boolean => {
      while (ts.isParenthesizedExpression(e)) e = e.expression;
      if (isPrimitiveExpression(e) || e.kind === SyntaxKind.NullKeyword) return true;
      // `a || b`, `a && b`, `a ?? b`, `c ? a : b`: the value is one of the operands (narrowed), so its type's members
      // are among theirs — kindless when both are.
      if (ts.isConditionalExpression(e)) return kindless(e.whenTrue) && kindless(e.whenFalse);
      if (ts.isBinaryExpression(e) && LOGICAL_OPERATORS.has(e.operatorToken.kind)) return kindless(e.left) && kindless(e.right);
      if (awaited) return false;
      if (ts.isObjectLiteralExpression(e)) return !this.registry.bindsName('__object');
      if (ts.isArrayLiteralExpression(e)) return !this.registry.bindsName('Array');
      // A named function expression's symbol has its name.
      if (ts.isArrowFunction(e) || ts.isFunctionExpression(e)) return !this.registry.bindsName(ts.isFunctionExpression(e) && e.name ? e.name.text : '__function');
      return false;
    };
    if (!ts.isBlock(body)) return kindless(body);
    let ok = true;
    forEachReturned(body, (returned) => {
      if (!kindless(returned)) ok = false;
      return !ok;
    });
    return ok;
  }

  /**
   * `x.m()` where `x` is an unannotated variable initialised by `new C(…)` ({@link newlyCreatedClass}): does `m`
   * return a resource, decided on `C`'s declared type without inferring `x`'s type arguments (which checks the
   * constructor's arguments)? Only when every signature's declared return type decides without them: a return
   * type naming a type parameter is undecided here; `this` is the receiver, of `C`'s kind. Undefined: undecided.
   */
  private constructedReceiverReturns(object: TSESTree.Node, name: string, construct: boolean, awaited: boolean): boolean | undefined {
    const cls = this.constructedReceiverClass(object);
    if (!cls) return undefined;
    const declared = this.checker.getDeclaredTypeOfSymbol(cls);
    const prop = declared.getProperty(name);
    if (!prop) return undefined;
    const type = this.checker.getTypeOfSymbol(prop);
    const signatures = construct ? type.getConstructSignatures() : type.getCallSignatures();
    if (signatures.length === 0) return undefined;
    let answer = false;
    for (const sig of signatures) {
      const returned = sig.getDeclaration()?.type;
      const kind = returned?.kind === SyntaxKind.ThisType ? (awaited ? undefined : (this.registry.kindOf(declared) ?? null)) : this.declaredReturnKind(sig, construct, awaited);
      if (kind === undefined) return undefined;
      if (kind) answer = true;
    }
    return answer;
  }

  /**
   * `x.m(…)` where `x` is an unannotated variable initialised by `new C(…)` ({@link newlyCreatedClass}) and every
   * declaration of `m` on `C`'s declared type is in TypeScript's own library (`new Map()`'s `get`, `new Set()`'s
   * `has`): the signature the call resolves to is one of those declarations, whatever `x`'s type arguments are.
   */
  private callsLibraryMethodOfConstructed(call: TSESTree.CallExpression): boolean {
    const callee = calleeTarget(call.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
    const name = propertyName(callee);
    const cls = name === undefined ? undefined : this.constructedReceiverClass(unwrap(callee.object));
    const decls = cls && name !== undefined ? (this.checker.getDeclaredTypeOfSymbol(cls).getProperty(name)?.declarations ?? []) : [];
    return decls.length > 0 && decls.every((d) => inTypeScriptLibrary(d.getSourceFile().fileName));
  }

  /** The class `C` of a receiver that is an unannotated variable, declared once, initialised by `new C(…)`. */
  private constructedReceiverClass(object: TSESTree.Node): ts.Symbol | undefined {
    if (object.type !== AST_NODE_TYPES.Identifier) return undefined;
    const v = this.varOf.get(object);
    const def = v?.defs[0];
    if (v?.defs.length !== 1 || def?.type !== DefinitionType.Variable || def.node.id.type !== AST_NODE_TYPES.Identifier || def.node.id.typeAnnotation) return undefined;
    // Asked twice of every call of a method of the variable (the library-method test, then the return test).
    const known = this.receiverClasses.get(v);
    if (known !== undefined) return known ?? undefined;
    const cls = this.newlyCreatedClass(def.node.init);
    this.receiverClasses.set(v, cls ?? null);
    return cls;
  }

  private readonly receiverClasses = new Map<Variable, ts.Symbol | null>();

  private hereFile: ts.SourceFile | undefined | null = null;

  private declaredHere(symbol: ts.Symbol): boolean {
    if (this.hereFile === null) this.hereFile = this.services.esTreeNodeToTSNodeMap.get(this.sourceCode.ast)?.getSourceFile();
    const here = this.hereFile;
    return !!here && filesOf(symbol).includes(here);
  }

  /**
   * Could this call return a socket (or, `awaited`, a promise of one)? Decided from the callee's declared
   * signatures, found by name resolution and declared types only, so that the type checker does not have to
   * resolve every call of the file. Cached per callee symbol.
   */
  mayReturnSocket(call: TSESTree.CallExpression | TSESTree.NewExpression, awaited: boolean): boolean {
    try {
      const callee = calleeTarget(call.callee);
      if (callee.type === AST_NODE_TYPES.Identifier) {
        if (callee.name === 'require') return false;
        // Every call of one name (a variable, or a global) in the file has the same answer: computed once.
        const v = this.varOf.get(callee);
        const construct = call.type === AST_NODE_TYPES.NewExpression;
        const memo = this.nameCallReturns[(construct ? 2 : 0) + (awaited ? 1 : 0)];
        const key = v ?? callee.name;
        const known = memo.get(key);
        if (known !== undefined && !isStrict()) return known;
        const answer = this.nameCallReturnsSocket(callee, v, construct, awaited);
        if (known !== undefined && known !== answer) throw new Error(`socket-close: calls of '${callee.name}' differ in whether they may return a resource`);
        memo.set(key, answer);
        return answer;
      } else if (callee.type === AST_NODE_TYPES.MemberExpression) {
        const name = propertyName(callee);
        if (name === undefined) return true;
        const construct = call.type === AST_NODE_TYPES.NewExpression;
        const cheap = this.constructedReceiverReturns(callee.object, name, construct, awaited);
        if (cheap !== undefined && !isStrict()) return cheap;
        const objectType = this.declaredType(callee.object);
        if (!objectType || objectType.flags & TypeFlags.Any) return false;
        let byType = this.registry.memberReturns.get(objectType);
        if (!byType) this.registry.memberReturns.set(objectType, (byType = { call: new Map(), construct: new Map() }));
        const byName = construct ? byType.construct : byType.call;
        let entry = byName.get(name);
        if (!entry) byName.set(name, (entry = {}));
        const known = awaited ? entry.awaited : entry.direct;
        if (known !== undefined && !isStrict()) return known;
        const symbol = objectType.getProperty(name) ?? this.checker.getApparentType(objectType).getProperty(name);
        const answer = !!symbol && this.calleeReturns(symbol, construct, awaited);
        if (cheap !== undefined && answer !== cheap) {
          throw new Error(`socket-close: ${this.sourceCode.getText(callee)} returns a resource by its constructed class: ${String(cheap)}, by its type: ${String(answer)}`);
        }
        if (known !== undefined && known !== answer) {
          throw new Error(`socket-close: ${this.sourceCode.getText(callee)} returns a resource by the cache of its receiver's type: ${String(known)}, by its property: ${String(answer)}`);
        }
        if (awaited) entry.awaited = answer;
        else entry.direct = answer;
        return answer;
      }
      return true;
    } catch (error) {
      return recover(error, true);
    }
  }

  /**
   * {@link mayReturnSocket}'s answers for a callee that is a name, by the variable it names (or the global's name), for a
   * call, an awaited call, a `new`, an awaited `new`.
   */
  private readonly nameCallReturns: ReadonlyArray<Map<Variable | string, boolean>> = [new Map(), new Map(), new Map(), new Map()];

  /** {@link mayReturnSocket} of a callee that is a name (`v` the variable it names, undefined for a global). */
  private nameCallReturnsSocket(callee: TSESTree.Identifier, v: Variable | undefined, construct: boolean, awaited: boolean): boolean {
    // A callback parameter (`cb(err)`, `resolve(x)`) would need contextual typing: only annotated ones count.
    const def = v?.defs[0];
    if (def?.type === DefinitionType.Parameter && !(def.name as TSESTree.Identifier).typeAnnotation) return false;
    const symbol = this.nameSymbol(callee);
    if (!symbol) return false;
    // Inferring the return type of an unannotated function checks its body: only for factory-like names.
    // Functions of this file are inferred anyway when the file is checked; other files' only when annotated, or
    // written in JavaScript (where nothing is annotated: `const open = require('./rabbit'); await open()`).
    if (!hasDeclaredReturnType(symbol) && !isFactoryName(callee.name) && !this.declaredHere(symbol) && !inProjectJavaScript(symbol)) return false;
    return this.calleeReturns(symbol, construct, awaited);
  }

  private factoryQueryOf(): FactoryQuery {
    return (this.factoryQuery ??= { checker: this.checker, kindOf: (t) => this.registry.kindOf(t) });
  }

  /** Excludes built-in collection accessors (`map.get(k)`) and user accessors that return an existing socket. */
  isFactoryCall(node: TSESTree.CallExpression): boolean {
    try {
      const tsNode = this.services.esTreeNodeToTSNodeMap.get(node) as ts.CallExpression;
      const decl = this.checker.getResolvedSignature(tsNode)?.getDeclaration();
      if (!decl) return true;
      const cache = this.registry.factoryDeclarations;
      let factory = cache.get(decl);
      if (factory === undefined) {
        factory = isFactoryDeclaration(decl, this.factoryQueryOf(), 0);
        cache.set(decl, factory);
      }
      return factory;
    } catch (error) {
      return recover(error, true);
    }
  }

  /**
   * Does the function this call runs (its resolved declaration, in any file of the program) return a server it gave
   * a handler: every value it returns (`null` aside) is made there by a call or `new` given a function
   * (`http.createServer((req, res) => …)`, `net.createServer(this.onConnection.bind(this))`), directly or through a
   * `const` of the function, or a `const` of it on which the function registers a listener of one of `events`
   * (`server.on('request', handler)`)? Such a server serves for the life of the process where it is made, and so
   * where it is returned to. Asked only for kinds with server handler events.
   */
  returnsServingServer(node: TSESTree.CallExpression, events: ReadonlySet<string>, property?: string | number): boolean {
    try {
      const tsNode = this.services.esTreeNodeToTSNodeMap.get(node) as ts.CallExpression;
      const decl = this.checker.getResolvedSignature(tsNode)?.getDeclaration();
      if (!decl || !ts.isFunctionLike(decl)) return false;
      // `const { server } = await helper()`: the server the helper returns in that property of an object (or element).
      if (property !== undefined) return isServingFactory(decl, events, this.checker, property);
      const cache = this.registry.servingDeclarations;
      let serving = cache.get(decl);
      if (serving === undefined) {
        serving = isServingFactory(decl, events, this.checker);
        cache.set(decl, serving);
      }
      return serving;
    } catch (error) {
      return recover(error, false);
    }
  }

  // ---------------------------------------------------------------- variables
}

/**
 * A binding that names one object for the life of the module: an import, or a variable of the module's own scope
 * (destructured or not) that is never assigned again.
 */
function sharedBinding(v: Variable): boolean {
  const def = v.defs[0];
  if (v.defs.length !== 1 || !def) return false;
  if (def.type === DefinitionType.ImportBinding) return !isTypeOnlyImport(def);
  return def.type === DefinitionType.Variable && v.scope.block.type === AST_NODE_TYPES.Program && neverReassigned(v);
}

/**
 * `if (!client.isOpen) await client.connect()`, `client.isOpen || (await client.connect())`: a `connect()` only when a
 * liveness property of the kind says the client holds nothing. The function shares the client: it uses an open one as
 * it finds it, and one it leaves open is what the next call finds.
 */
function connectsOnlyWhenIdle(call: TSESTree.Node, fn: TSESTree.Node, v: Variable, kind: ResourceKind): boolean {
  const g = kind.guards;
  const names = new Set([...g.aliveProperties, ...g.deadProperties, ...(g.heldWhile ?? [])]);
  const testsClient = (test: TSESTree.Node): boolean => {
    let found = false;
    const visit = (n: TSESTree.Node): void => {
      const u = unwrap(n);
      if (u.type === AST_NODE_TYPES.MemberExpression) {
        const o = unwrap(u.object);
        const name = propertyName(u);
        if (o.type === AST_NODE_TYPES.Identifier && name !== undefined && names.has(name) && v.references.some((r) => r.identifier === o)) found = true;
      } else if (u.type === AST_NODE_TYPES.UnaryExpression) visit(u.argument);
      else if (u.type === AST_NODE_TYPES.LogicalExpression || u.type === AST_NODE_TYPES.BinaryExpression) {
        visit(u.left);
        visit(u.right);
      }
    };
    visit(test);
    return found;
  };
  for (let child: TSESTree.Node = call, p = call.parent; p && p !== fn; child = p, p = p.parent) {
    if ((p.type === AST_NODE_TYPES.IfStatement || p.type === AST_NODE_TYPES.ConditionalExpression) && p.test !== child && testsClient(p.test)) return true;
    if (p.type === AST_NODE_TYPES.LogicalExpression && p.right === child && testsClient(p.left)) return true;
  }
  return false;
}

/** Is `node` inside a `catch` clause of a `try` of `fn` (in `fn`'s own code)? */
function inCatchOf(node: TSESTree.Node, fn: TSESTree.Node): boolean {
  for (let n = node.parent; n && n !== fn; n = n.parent) if (n.type === AST_NODE_TYPES.CatchClause) return true;
  return false;
}

/** A statement before the one of `call`, in the same block, that releases the variable (`ws.close(); resolve(ws)`). */
function releasedJustBefore(call: TSESTree.Node, v: Variable, kind: ResourceKind): boolean {
  const statement = call.parent;
  const block = statement?.parent;
  if (statement?.type !== AST_NODE_TYPES.ExpressionStatement || block?.type !== AST_NODE_TYPES.BlockStatement) return false;
  for (const st of block.body.slice(0, block.body.indexOf(statement))) {
    if (st.type !== AST_NODE_TYPES.ExpressionStatement) continue;
    let e = unwrap(st.expression);
    if (e.type === AST_NODE_TYPES.AwaitExpression) e = unwrap(e.argument);
    const member = e.type === AST_NODE_TYPES.CallExpression ? unwrap(e.callee) : undefined;
    if (member?.type !== AST_NODE_TYPES.MemberExpression) continue;
    const receiver = unwrap(member.object);
    const name = propertyName(member);
    if (receiver.type === AST_NODE_TYPES.Identifier && v.references.some((r) => r.identifier === receiver) && name !== undefined && kind.releases.has(name)) return true;
  }
  return false;
}

/**
 * Does every return of `fn` (at least one; an arrow's expression body is one) give an object literal whose property
 * `name` (an array literal whose element at index `name`) holds a value made there: a `new`, a call (awaited or not),
 * or a local variable of `fn` initialised with one and never given another value? See
 * {@link CreationSites.destructuredCreation}.
 */
function returnsMadeProperty(fn: ts.FunctionLikeDeclarationBase, name: string | number, q: FactoryQuery): boolean {
  const checker = q.checker;
  const returned = returnedValues(fn);
  if (!returned) return false;
  // A `new`, or a call of a library's function (`MongoClient.connect(url)`; a helper of the project may hand out a
  // shared one).
  const made = (e: ts.Expression): boolean => {
    const x = skipOuter(e);
    if (ts.isAwaitExpression(x)) return made(x.expression);
    if (ts.isNewExpression(x)) return true;
    if (!ts.isCallExpression(x)) return false;
    const file = checker.getResolvedSignature(x)?.getDeclaration()?.getSourceFile();
    return !!file && isLibraryFile(file);
  };
  const madeHere = (e: ts.Expression, shorthand?: ts.ShorthandPropertyAssignment): boolean => {
    const x = skipOuter(e);
    if (made(x)) return true;
    if (!ts.isIdentifier(x)) return false;
    const symbol = shorthand ? checker.getShorthandAssignmentValueSymbol(shorthand) : checker.getSymbolAtLocation(x);
    const decls = symbol?.declarations ?? [];
    const d = decls[0];
    if (decls.length !== 1 || !d || !ts.isVariableDeclaration(d) || !d.initializer || !ts.isIdentifier(d.name) || !made(d.initializer)) return false;
    // Made attached or inert (`new WebSocketServer({ server })`): it owns no socket.
    if (isInertCreation(d.initializer, q)) return false;
    // A local of `fn` itself (not of an enclosing function, nor of the module).
    if (!declaredIn(d, fn)) return false;
    // Declared `const`, or never assigned again; and not released by a function it hands to another call (a
    // teardown it registers: `t.after(() => client.close())`), which owns it then; nor given to a constructor (`return
    // { socket, transport: new NetTransport(socket) }`: the wrapper owns it, the caller gets a reference).
    return (d.parent.flags & ts.NodeFlags.Const) !== 0 && !!fn.body && !releasedByCallback(fn.body, d.name.text, q) && !givenToConstructor(fn.body, d, checker);
  };
  // `{ channel, disconnect: async () => { await channel.close(); … } }`: a function that comes with it may release it
  // (the caller hands that on): not the caller's alone.
  const isFunctionValue = (p: ts.ObjectLiteralElementLike): boolean => {
    if (ts.isMethodDeclaration(p) || ts.isAccessor(p)) return true;
    if (ts.isSpreadAssignment(p)) return true;
    const value = ts.isPropertyAssignment(p) ? skipOuter(p.initializer) : undefined;
    if (value && (ts.isFunctionExpression(value) || ts.isArrowFunction(value))) return true;
    // `close: client.close.bind(client)`
    if (value && ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'bind') return true;
    const symbol = ts.isShorthandPropertyAssignment(p) ? checker.getShorthandAssignmentValueSymbol(p) : value && ts.isIdentifier(value) ? checker.getSymbolAtLocation(value) : undefined;
    return (symbol?.declarations ?? []).some((d) => ts.isFunctionLike(d) || (ts.isVariableDeclaration(d) && !!d.initializer && (ts.isFunctionExpression(skipOuter(d.initializer)) || ts.isArrowFunction(skipOuter(d.initializer)))));
  };
  // `[client, () => client.close()]`: likewise for an element.
  const isFunctionElement = (e: ts.Expression): boolean => {
    if (ts.isSpreadElement(e)) return true;
    const value = skipOuter(e);
    if (ts.isFunctionExpression(value) || ts.isArrowFunction(value)) return true;
    if (ts.isCallExpression(value) && ts.isPropertyAccessExpression(value.expression) && value.expression.name.text === 'bind') return true;
    const symbol = ts.isIdentifier(value) ? checker.getSymbolAtLocation(value) : undefined;
    return (symbol?.declarations ?? []).some((d) => ts.isFunctionLike(d) || (ts.isVariableDeclaration(d) && !!d.initializer && (ts.isFunctionExpression(skipOuter(d.initializer)) || ts.isArrowFunction(skipOuter(d.initializer)))));
  };
  if (returned.length === 0) return false;
  return returned.every((r) => {
    const x = awaitedValue(r);
    if (typeof name === 'number' ? !ts.isArrayLiteralExpression(x) || x.elements.some(isFunctionElement) : !ts.isObjectLiteralExpression(x) || x.properties.some(isFunctionValue)) return false;
    const part = destructuredPart(x, name);
    return !!part && madeHere(part.value, part.shorthand);
  });
}

/**
 * What the `return`s of `fn`'s own code give (an arrow's expression body is one); undefined when one of them gives
 * nothing (`return;`) or `fn` has no body.
 */
function returnedValues(fn: ts.FunctionLikeDeclarationBase): ts.Expression[] | undefined {
  const body = fn.body;
  if (!body) return undefined;
  if (!ts.isBlock(body)) return [body];
  const returned: ts.Expression[] = [];
  let other = false;
  const visit = (n: ts.Node): void => {
    if (other || ts.isFunctionLike(n) || ts.isClassLike(n)) return;
    if (ts.isReturnStatement(n)) {
      if (n.expression) returned.push(n.expression);
      else other = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return other ? undefined : returned;
}

/**
 * The keys of the object literal that the first `return` of `fn`'s own code gives (awaited or not); none for anything
 * else (a helper that also returns nothing makes no property of {@link returnsMadeProperty}).
 */
function returnedObjectKeys(fn: ts.FunctionLikeDeclarationBase): readonly string[] {
  let keys = objectKeysReturned.get(fn);
  if (!keys) {
    keys = [];
    const first = returnedValues(fn)?.[0];
    let e = first && skipOuter(first);
    if (e && ts.isAwaitExpression(e)) e = skipOuter(e.expression);
    for (const p of e && ts.isObjectLiteralExpression(e) ? e.properties : []) {
      if (ts.isShorthandPropertyAssignment(p)) keys.push(p.name.text);
      else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) keys.push(p.name.text);
    }
    objectKeysReturned.set(fn, keys);
  }
  return keys;
}

/** {@link returnedObjectKeys} per declaration (program-wide: a declaration's text fixes it). */
const objectKeysReturned = new WeakMap<ts.Node, string[]>();

/** A returned expression without parentheses, assertions and one `await`. */
function awaitedValue(e: ts.Expression): ts.Expression {
  const x = skipOuter(e);
  return ts.isAwaitExpression(x) ? skipOuter(x.expression) : x;
}

/**
 * What a caller destructures from a returned literal: property `name` of an object literal (its value; for a
 * shorthand `{ server }`, the name with its assignment) or element `name` of an array literal.
 */
function destructuredPart(x: ts.Expression, name: string | number): { value: ts.Expression; shorthand?: ts.ShorthandPropertyAssignment } | undefined {
  if (typeof name === 'number') {
    const element = ts.isArrayLiteralExpression(x) ? x.elements[name] : undefined;
    return element ? { value: element } : undefined;
  }
  if (!ts.isObjectLiteralExpression(x)) return undefined;
  for (const p of x.properties) {
    if (ts.isShorthandPropertyAssignment(p) && p.name.text === name) return { value: p.name, shorthand: p };
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return { value: p.initializer };
  }
  return undefined;
}

/** The alternatives of a choice (`secure ? a : b`, `a || b`, `a ?? b`); undefined for anything else. */
function choiceBranches(init: TSESTree.Node | undefined): TSESTree.Node[] | undefined {
  if (init?.type === AST_NODE_TYPES.ConditionalExpression) return [init.consequent, init.alternate];
  return init?.type === AST_NODE_TYPES.LogicalExpression && init.operator !== '&&' ? [init.left, init.right] : undefined;
}

/** See {@link CreationSites.returnsServingServer}. */
function isServingFactory(decl: ts.SignatureDeclaration, events: ReadonlySet<string>, checker: ts.TypeChecker, property?: string | number, depth = 0): boolean {
  const body = (decl as ts.FunctionLikeDeclarationBase).body;
  if (!body || inTypeScriptLibrary(decl.getSourceFile().fileName)) return false;
  const isHandler = (arg: ts.Expression): boolean => {
    const a = skipOuter(arg);
    if (ts.isFunctionExpression(a) || ts.isArrowFunction(a)) return true;
    // `this.onRequest.bind(this)`
    if (ts.isCallExpression(a) && ts.isPropertyAccessExpression(a.expression) && a.expression.name.text === 'bind') return true;
    // `http.createServer(app)` (an Express app), a named handler: a value typed callable.
    return (ts.isIdentifier(a) || ts.isPropertyAccessExpression(a)) && checker.getTypeAtLocation(a).getCallSignatures().length > 0;
  };
  // An untyped value (`http.createServer(app.handler)`, `app.callback()` of an uninstalled framework) where the called
  // signature's parameter takes a function, as the creation test's handler argument (isHandlerArgument).
  const untypedHandler = (call: ts.CallExpression | ts.NewExpression, arg: ts.Expression, index: number): boolean => {
    const a = skipOuter(arg);
    if (ts.isObjectLiteralExpression(a) || ts.isLiteralExpression(a) || ts.isTemplateExpression(a) || ts.isSpreadElement(a)) return false;
    return !!(checker.getTypeAtLocation(a).flags & ts.TypeFlags.Any) && parameterTakesFunction(checker, call, index);
  };
  // (`new Promise(executor)` is made with a function too: the executor is no handler.)
  const madeWithHandler = (e: ts.Expression): boolean =>
    (ts.isCallExpression(e) || (ts.isNewExpression(e) && !(ts.isIdentifier(e.expression) && e.expression.text === 'Promise'))) &&
    !!e.arguments?.some((arg, i) => isHandler(arg) || untypedHandler(e, arg, i));
  // `server.listen(port)`: a method declared to return `this` gives its receiver. The receiver at the chain's start,
  // or true when a value on the way was made with a handler.
  const chainStart = (start: ts.Expression): ts.Expression | true => {
    let e = start;
    if (madeWithHandler(e)) return true;
    for (let i = 0; i < 8 && ts.isCallExpression(e) && ts.isPropertyAccessExpression(e.expression); i++) {
      if (checker.getResolvedSignature(e)?.getDeclaration()?.type?.kind !== SyntaxKind.ThisType) break;
      e = skipOuter(e.expression.expression);
      if (madeWithHandler(e)) return true;
    }
    return e;
  };
  const serving = (returned: ts.Expression): boolean => {
    const value = skipOuter(ts.isAwaitExpression(skipOuter(returned)) ? (skipOuter(returned) as ts.AwaitExpression).expression : returned);
    // `return makeFallback(port)`: another function that returns a serving server.
    if (ts.isCallExpression(value) && depth < 3) {
      const inner = checker.getResolvedSignature(value)?.getDeclaration();
      if (inner && ts.isFunctionLike(inner) && inner !== decl && isServingFactory(inner, events, checker, undefined, depth + 1)) return true;
    }
    const e = chainStart(value);
    if (e === true) return true;
    if (!ts.isIdentifier(e)) return false;
    // `const server = http.createServer(handler)`, or `const server = http.createServer()` and `server.on('request', h)`.
    let found = false;
    const visit = (n: ts.Node): void => {
      if (found) return;
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === e.text && n.initializer && ts.isVariableDeclarationList(n.parent) && n.parent.flags & ts.NodeFlags.Const) {
        const init = skipOuter(n.initializer);
        // `const server = http.createServer(handler).listen(port)`: made with its handler down the chain.
        if (chainStart(init) === true) found = true;
        else if (ts.isCallExpression(init) || ts.isNewExpression(init)) found = registersHandler(body, e.text, events, isHandler);
        return;
      }
      if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
    };
    ts.forEachChild(body, visit);
    return found;
  };
  // The value of the property (`{ port, server }`) or element (`[server, port]`) that the caller takes.
  const servingTaken = (returned: ts.Expression): boolean => {
    const value = property === undefined ? returned : destructuredPart(awaitedValue(returned), property)?.value;
    return !!value && serving(value);
  };
  if (!ts.isBlock(body)) return servingTaken(body);
  let sawServing = false;
  let sawOther = false;
  forEachReturned(body, (returned) => {
    if (isNullishExpression(returned)) return;
    if (servingTaken(returned)) sawServing = true;
    else sawOther = true;
  });
  return sawServing && !sawOther;
}

/** Does `body` (not its nested functions) call `<name>.on(<event>, <handler>)` (or `once`, `addListener`) for one of `events`? */
function registersHandler(body: ts.Node, name: string, events: ReadonlySet<string>, isHandler: (arg: ts.Expression) => boolean): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      ts.isIdentifier(n.expression.expression) &&
      n.expression.expression.text === name &&
      LISTENER_METHODS.has(n.expression.name.text) &&
      n.arguments.length >= 2 &&
      ts.isStringLiteralLike(n.arguments[0]) &&
      events.has(n.arguments[0].text) &&
      isHandler(n.arguments[1])
    ) {
      found = true;
      return;
    }
    if (!ts.isFunctionLike(n)) ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** How many functions deep the factory test follows returned values (accessors of accessors, promises, locals). */
const MAX_FACTORY_DEPTH = 8;

/** What the factory test asks: the checker, and the kind of a type. */
interface FactoryQuery {
  readonly checker: ts.TypeChecker;
  kindOf(type: ts.Type): ResourceKind | undefined;
}

/**
 * `client.m(…)` on a resource, where `m` is no creating method of its kind (`cluster.nodeClient(node)` returns a
 * client the cluster keeps): what it returns is the resource's own, not the caller's.
 */
function isResourceMethodCall(callee: ts.PropertyAccessExpression, q: FactoryQuery): boolean {
  const kind = q.kindOf(q.checker.getTypeAtLocation(callee.expression));
  const name = callee.name.text;
  return !!kind && !kind.creates.has(name) && !kind.callbackCreates?.has(name);
}

/**
 * Does a function declared like this give its caller a new resource, rather than one that exists already? Not a
 * function of the TypeScript library (`map.get(k)`), one declared to return `this` (`on()`, `listen()`), a generic
 * pass-through (`pipe<T>(destination: T): T`), a declaration without body whose return type may be missing
 * (`getClient(id): Client | undefined`: a look-up in a registry), nor a function whose every `return` gives an
 * existing value ({@link isAccessorExpression}: a property, a parameter, an outer variable, what another such
 * function returns, a new one it stored first).
 */
function isFactoryDeclaration(decl: ts.Declaration, q: FactoryQuery, depth: number): boolean {
  const file = decl.getSourceFile().fileName.replace(/\\/g, '/');
  if (inTypeScriptLibrary(file)) return false;
  if (!ts.isFunctionLike(decl)) return true;
  // A method declared to return `this` (`on()`, `listen()`, `setTimeout()`) returns its receiver.
  if (decl.type?.kind === SyntaxKind.ThisType) return false;
  // `pipe<T>(destination: T): T` and other pass-through generics return what they were given.
  const returnType = decl.type;
  if (
    returnType &&
    ts.isTypeReferenceNode(returnType) &&
    ts.isIdentifier(returnType.typeName) &&
    decl.typeParameters?.some((tp) => tp.name.text === (returnType.typeName as ts.Identifier).text)
  ) {
    return false;
  }
  const body = (decl as ts.FunctionLikeDeclarationBase).body;
  if (!body) return !(returnType && (mayBeMissing(returnType) || isProjectGetter(decl, file, returnType, q)));
  if (!ts.isBlock(body)) return !isAccessorExpression(body, decl, q, depth) && !neverResolves(body);
  let sawFactory = false;
  let sawAccessor = false;
  forEachReturned(body, (returned) => {
    // `return null` when there is nothing to give (`if (!this.client) return null; return this.client;`), or a call
    // that gives nothing (`catch (err) { return done(err); }` with `done` returning `void`).
    if (isNullishExpression(returned) || givesNothing(returned, q)) return;
    // `if (!name) return getPool('default');`: a call of the function itself gives what its other returns give.
    if (callsItself(returned, decl, q)) return;
    // `return new Promise((resolve, reject) => { … })` whose executor never names `resolve`: it gives nothing.
    if (neverResolves(returned)) {
      sawAccessor = true;
      return;
    }
    // `const wss = new WebSocketServer({ server }); …; return wss;`: made attached (or inert), it owns no socket.
    if (isInertCreation(returned, q)) sawAccessor = true;
    else if (isAccessorExpression(returned, decl, q, depth)) sawAccessor = true;
    else sawFactory = true;
  });
  return sawFactory || !sawAccessor;
}

/** Is `expr` (awaited or not) a call whose resolved declaration is `decl` itself (a recursive call)? */
function callsItself(expr: ts.Expression, decl: ts.Declaration, q: FactoryQuery): boolean {
  const x = awaitedValue(expr);
  return ts.isCallExpression(x) && q.checker.getResolvedSignature(x)?.getDeclaration() === decl;
}

/**
 * `new Promise((resolve, reject) => { … })` whose executor never names its first parameter: the promise never
 * resolves (it may reject), so whatever the function is declared to resolve to, a caller's `await` gets nothing.
 */
function neverResolves(expr: ts.Expression): boolean {
  const e = skipOuter(expr);
  if (!ts.isNewExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== 'Promise') return false;
  const executor = e.arguments?.[0] && skipOuter(e.arguments[0]);
  if (!executor || (!ts.isArrowFunction(executor) && !ts.isFunctionExpression(executor))) return false;
  const first = executor.parameters[0];
  if (!first) return true;
  if (!ts.isIdentifier(first.name)) return false;
  const name = first.name.text;
  let named = false;
  const visit = (n: ts.Node): void => {
    if (named) return;
    if (ts.isIdentifier(n) && n !== first.name && n.text === name) named = true;
    else ts.forEachChild(n, visit);
  };
  visit(executor.body);
  return !named;
}

/**
 * A `new` expression (or a `const` of the function initialised with one) whose options make it own nothing: an
 * option of {@link ResourceKind.inertOptions} set to literal `true`, or one of {@link ResourceKind.attachedOptions}
 * given a value that is not literal `null`/`false`, or a kind's `null` address (as the creation test's `hasInertOption`,
 * on TypeScript's nodes).
 */
function isInertCreation(expr: ts.Expression, q: FactoryQuery): boolean {
  let e = skipOuter(expr);
  if (ts.isIdentifier(e)) {
    const decl = q.checker.getSymbolAtLocation(e)?.valueDeclaration;
    if (!decl || !ts.isVariableDeclaration(decl) || !decl.initializer || !(decl.parent.flags & ts.NodeFlags.Const)) return false;
    e = skipOuter(decl.initializer);
  }
  if (!ts.isNewExpression(e)) return false;
  const options = e.arguments?.[0] && skipOuter(e.arguments[0]);
  const withoutAddress = options?.kind === SyntaxKind.NullKeyword;
  if (!options || (!ts.isObjectLiteralExpression(options) && !withoutAddress)) return false;
  const kind = q.kindOf(q.checker.getTypeAtLocation(e));
  // `new WebSocket(null)`: see ResourceKind.inertWithoutAddress.
  if (withoutAddress) return !!kind?.inertWithoutAddress;
  if (!ts.isObjectLiteralExpression(options) || (!kind?.inertOptions && !kind?.attachedOptions)) return false;
  return options.properties.some((p) => {
    const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : undefined;
    if (key === undefined) return false;
    const value = ts.isPropertyAssignment(p) ? skipOuter(p.initializer) : ts.isShorthandPropertyAssignment(p) ? p.name : undefined;
    if (!value) return false;
    if (kind.inertOptions?.has(key)) return value.kind === SyntaxKind.TrueKeyword;
    if (kind.attachedOptions?.has(key)) return value.kind !== SyntaxKind.NullKeyword && value.kind !== SyntaxKind.FalseKeyword && !(ts.isIdentifier(value) && value.text === 'undefined');
    return false;
  });
}

/**
 * `interface Deps { getClient(alias: string): Client }`: a method of the project's own code (not a library's typings)
 * declared without body, named like a getter — or a method taking nothing named by what it gives, not by a verb that
 * makes it (`mongoClient(): MongoClient`) — that gives a socket synchronously: a look-up of one that exists (a
 * session registry, a test case's shared client), as a getter is. Not a promise of one (`getConnection():
 * Promise<PoolConnection>` checks out).
 */
function isProjectGetter(decl: ts.SignatureDeclaration, file: string, returnType: ts.TypeNode, q: FactoryQuery): boolean {
  if (file.includes('/node_modules/')) return false;
  // A method, or a property typed as a function (`mongoClient: () => MongoClient`).
  const property = ts.isFunctionTypeNode(decl) && (ts.isPropertySignature(decl.parent) || ts.isPropertyDeclaration(decl.parent)) ? decl.parent : undefined;
  const named = property?.name ?? decl.name;
  if (!named || !ts.isIdentifier(named)) return false;
  const name = named.text;
  const getter = /^get[A-Z_$]/.test(name);
  const promised = promisedType(returnType);
  if (promised) {
    // `getRedisClient: () => Promise<RedisClientType>` handed in: an accessor of a client made once, on first use —
    // unless what it gives is checked out of a pool, a kind given back by `release()` (`getConnection():
    // Promise<PoolConnection>`).
    if (!getter) return false;
    const kind = q.kindOf(q.checker.getTypeFromTypeNode(promised));
    return !!kind && !kind.releases.has('release');
  }
  // `getClient(): Client`, or a member named by what it gives, taking nothing (`mongoClient(): MongoClient` of a test
  // case's interface): an accessor of one the object holds.
  const member = !!property || ts.isMethodSignature(decl) || ts.isMethodDeclaration(decl);
  return getter || (member && decl.parameters.length === 0 && !MAKER_VERB.test(name));
}

/** Names that say a function makes something: a creation verb first (`createClient`, `connect`, `newSession`). */
const MAKER_VERB = /^(?:create|connect|open|new|make|build|dial|spawn|accept|acquire|establish|init|start|fork|duplicate|clone|launch|setup|bind|listen|attach|login|register)(?![a-z])/;

/** A call whose type is `void`, `undefined`, `null` or `never`: it gives its caller nothing to hold. */
function givesNothing(expr: ts.Expression, q: FactoryQuery): boolean {
  const e = skipOuter(expr);
  if (!ts.isCallExpression(e)) return false;
  return !!(q.checker.getTypeAtLocation(e).flags & (TypeFlags.Void | TypeFlags.Undefined | TypeFlags.Null | TypeFlags.Never));
}

/** `null`, `undefined`, `void 0` (through parentheses and casts). */
function isNullishExpression(expr: ts.Expression): boolean {
  const e = skipOuter(expr);
  return e.kind === SyntaxKind.NullKeyword || (ts.isIdentifier(e) && e.text === 'undefined') || ts.isVoidExpression(e);
}

/** A return type that is a union with `undefined` or `null`, or a promise of one (`Promise<Client | null>`). */
function mayBeMissing(type: ts.TypeNode): boolean {
  const promised = promisedType(type);
  if (promised) return mayBeMissing(promised);
  const t = withoutParentheses(type);
  return ts.isUnionTypeNode(t) && t.types.some((m) => m.kind === SyntaxKind.UndefinedKeyword || (ts.isLiteralTypeNode(m) && m.literal.kind === SyntaxKind.NullKeyword));
}

function withoutParentheses(type: ts.TypeNode): ts.TypeNode {
  let t = type;
  while (ts.isParenthesizedTypeNode(t)) t = t.type;
  return t;
}

/** `Promise<T>` or `PromiseLike<T>` as written (through parentheses): `T`; undefined for any other type. */
function promisedType(type: ts.TypeNode): ts.TypeNode | undefined {
  const t = withoutParentheses(type);
  return ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && /^(Promise|PromiseLike)$/.test(t.typeName.text) && t.typeArguments?.length === 1 ? t.typeArguments[0] : undefined;
}

/**
 * Calls `f` with the expression of every `return` of a function body (not of functions nested in it), until `f`
 * returns true.
 */
/** Is the variable `decl` an argument of a `new` expression in `body` (a wrapper made around it)? */
function givenToConstructor(body: ts.Node, decl: ts.VariableDeclaration, checker: ts.TypeChecker): boolean {
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isNewExpression(n)) {
      for (const a of n.arguments ?? []) {
        const x = skipOuter(a);
        if (ts.isIdentifier(x) && ts.isIdentifier(decl.name) && x.text === decl.name.text && checker.getSymbolAtLocation(x)?.valueDeclaration === decl) found = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/** Is `d` a local of `fn` itself (not of a function nested in it, nor of the module)? */
function declaredIn(d: ts.Node, fn: ts.Node): boolean {
  let owner: ts.Node | undefined = d.parent;
  while (owner && !ts.isFunctionLike(owner) && !ts.isSourceFile(owner)) owner = owner.parent;
  return owner === fn;
}

function forEachReturned(body: ts.Block, f: (returned: ts.Expression) => boolean | void): void {
  let stopped = false;
  const visit = (n: ts.Node): void => {
    if (stopped || ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n) && n.expression && f(n.expression) === true) stopped = true;
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
}

function isAssignment(kind: ts.SyntaxKind): boolean {
  return (
    kind === SyntaxKind.EqualsToken ||
    kind === SyntaxKind.QuestionQuestionEqualsToken ||
    kind === SyntaxKind.BarBarEqualsToken ||
    kind === SyntaxKind.AmpersandAmpersandEqualsToken
  );
}

function isAccessorExpression(expr: ts.Expression, decl: ts.SignatureDeclaration, q: FactoryQuery, depth: number): boolean {
  const checker = q.checker;
  let e: ts.Expression = expr;
  // `return await this.getClient()`, `const c = await this.getClient(); return c`: what the awaited accessor gives.
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return true;
  // `return this.ready ? this.client : null`, `pools.get(k) ?? pools.set(k, new Pool()).get(k)`: an accessor on every
  // branch that gives something.
  const branches = ts.isConditionalExpression(e)
    ? [e.whenTrue, e.whenFalse]
    : ts.isBinaryExpression(e) && (e.operatorToken.kind === SyntaxKind.QuestionQuestionToken || e.operatorToken.kind === SyntaxKind.BarBarToken)
      ? [e.left, e.right]
      : undefined;
  if (branches) {
    const giving = branches.filter((b) => !isNullishExpression(b));
    return giving.length > 0 && giving.every((b) => isAccessorExpression(b, decl, q, depth));
  }
  // `this.conn ??= connect()`, `cache.c ||= open()`, `(this.c = this.c ?? connect())`: the stored value is returned,
  // whoever created it; the caller does not own it.
  if (ts.isBinaryExpression(e) && isAssignment(e.operatorToken.kind)) return isAccessorExpression(e.left, decl, q, depth);
  if (ts.isCallExpression(e)) {
    const called = checker.getResolvedSignature(e)?.getDeclaration();
    // `return singleton('redis', () => new Redis())`: an untyped helper given the factory (a cache, a memo) returns
    // what it keeps, not necessarily a new one.
    if (!called && e.arguments.some((a) => ts.isArrowFunction(skipOuter(a)) || ts.isFunctionExpression(skipOuter(a)))) return true;
    // `return app.get('pool')` (`get(name: string): any`): a look-up declared to give anything; only the function's
    // own annotation says it is a resource, and it says nothing of who made it.
    if (called?.type && (called.type.kind === SyntaxKind.AnyKeyword || called.type.kind === SyntaxKind.UnknownKeyword)) return true;
    // `return app.get('pool')` on an untyped value (a library without types): what it gives is not known to be new.
    if (!called && checker.getTypeAtLocation(e).flags & ts.TypeFlags.Any) return true;
    // `return socket.end('bye')`: a method declared to return `this`, called on an existing value, returns that value.
    if (called?.type?.kind === SyntaxKind.ThisType) {
      if (!ts.isPropertyAccessExpression(e.expression)) return false;
      // `return req.end()`: a release that returns the resource hands back one that is already released.
      if (q.kindOf(q.checker.getTypeAtLocation(e.expression.expression))?.releases.has(e.expression.name.text)) return true;
      return isAccessorExpression(e.expression.expression, decl, q, depth);
    }
    // `return this.store.getWs(key)`: what another accessor (or look-up) returns.
    // `return this.cluster.nodeClient(node)`: a resource's own method gives what that resource keeps (or itself), new
    // to the caller only when the resource is (`return createClient().connect()`).
    if (ts.isPropertyAccessExpression(e.expression) && isResourceMethodCall(e.expression, q)) return isAccessorExpression(e.expression.expression, decl, q, depth);
    return !!called && depth < MAX_FACTORY_DEPTH && !isFactoryDeclaration(called, q, depth + 1);
  }
  // `return new Promise((resolve) => { … resolve(c) })`: what every resolve() gives.
  if (ts.isNewExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === 'Promise' && depth < MAX_FACTORY_DEPTH) {
    const executor = e.arguments?.[0] && skipOuter(e.arguments[0]);
    const resolve = executor && (ts.isArrowFunction(executor) || ts.isFunctionExpression(executor)) ? executor.parameters[0]?.name : undefined;
    if (!executor || !resolve || !ts.isIdentifier(resolve)) return false;
    const given: ts.Expression[] = [];
    // `new Promise((res) => conn.run(res))`: `resolve` handed to another call, which gives it what it has (as a
    // callback's parameter would be).
    let handedOn = false;
    const visit = (n: ts.Node): void => {
      if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === resolve.text && n.arguments[0]) given.push(n.arguments[0]);
      if (
        ts.isCallExpression(n) &&
        !(ts.isPropertyAccessExpression(n.expression) && LISTENER_METHODS.has(n.expression.name.text)) &&
        n.arguments.some((a) => ts.isIdentifier(skipOuter(a)) && (skipOuter(a) as ts.Identifier).text === resolve.text)
      ) {
        handedOn = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(executor);
    if (handedOn) return true;
    return given.length > 0 && given.every((g) => isAccessorExpression(g, decl, q, depth + 1));
  }
  if (ts.isIdentifier(e)) {
    // A parameter, or a variable declared outside the function: an existing socket.
    const params = decl.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
    if (params.includes(e.text)) return true;
    const body = (decl as ts.FunctionLikeDeclarationBase).body;
    const inside = body ? declarationsIn(body) : new Map<string, ts.VariableDeclaration[]>();
    const own = inside.get(e.text);
    if (!body || !own) return true;
    // A new one that the function also stored where it outlives the call (`this.sockets.set(key, ws); return ws`,
    // `ctx.client = client; return client`, `cache = { key, pool }`): whoever keeps it there owns it; the caller gets
    // a reference. Or a `const` declared once that only holds an existing one (`const existing = clients.get(url)`).
    if (storedOutside(body, e.text, inside, checker)) return true;
    // `body.pipe(req); return req;`, `req.end(); return req;`: released (or handed to its source) before it is returned.
    if (releasedAtTopLevel(body, e.text, q)) return true;
    // `api.on('shutdown', () => socket.close()); return socket;`: the function arranged its release on another emitter.
    if (releasedByCallback(body, e.text, q)) return true;
    const [d] = own;
    // `for (const socket of this.sockets) if (…) return socket;`: an element of a collection that exists already (not
    // of an array written there, whose elements may be new).
    const loop = own.length === 1 && ts.isVariableDeclarationList(d.parent) ? d.parent.parent : undefined;
    if (loop && (ts.isForOfStatement(loop) || ts.isForInStatement(loop)) && loop.initializer === d.parent && !ts.isArrayLiteralExpression(skipOuter(loop.expression))) return true;
    const init = depth < MAX_FACTORY_DEPTH && own.length === 1 && ts.isVariableDeclarationList(d.parent) && d.parent.flags & ts.NodeFlags.Const ? d.initializer : undefined;
    if (init) return isAccessorExpression(init, decl, q, depth + 1);
    // `let c: Client; if (x) c = await this.a(); else c = await this.b(); return c;`: every value it is given.
    if (depth >= MAX_FACTORY_DEPTH || own.length !== 1) return false;
    const given: ts.Expression[] = d.initializer ? [d.initializer] : [];
    const visit = (n: ts.Node): void => {
      if (ts.isBinaryExpression(n) && n.operatorToken.kind === SyntaxKind.EqualsToken && ts.isIdentifier(n.left) && n.left.text === e.text) given.push(n.right);
      ts.forEachChild(n, visit);
    };
    visit(body);
    return given.length > 0 && given.every((g) => isAccessorExpression(g, decl, q, depth + 1));
  }
  return false;
}

/**
 * Does a statement of the function body itself (not a branch of it, unless an `if` releases it in both branches)
 * release the local `name`, or pipe a stream into it (the source ends it; also inside a chain,
 * `source.pipe(target).pipe(source)`)?
 */
function releasedAtTopLevel(body: ts.Node, name: string, q: FactoryQuery): boolean {
  if (!ts.isBlock(body)) return false;
  /** A statement of the list releases it, none before it returning. */
  const inList = (statements: readonly ts.Statement[]): boolean => {
    for (const st of statements) {
      if (releases(st)) return true;
      if (ts.isReturnStatement(st)) return false;
    }
    return false;
  };
  // `if (stream) stream.pipe(req); else req.end(body);`: both branches release it.
  const inBranch = (st: ts.Statement): boolean => (ts.isBlock(st) ? inList(st.statements) : releases(st));
  const releases = (st: ts.Statement): boolean => {
    if (ts.isIfStatement(st)) return !!st.elseStatement && inBranch(st.thenStatement) && inBranch(st.elseStatement);
    if (!ts.isExpressionStatement(st)) return false;
    const e = skipOuter(st.expression);
    if (!ts.isCallExpression(e) || !ts.isPropertyAccessExpression(e.expression)) return false;
    const method = e.expression.name.text;
    // `source.pipe(target).pipe(source)`: any link of a pipe chain.
    for (let link: ts.Expression = e; ts.isCallExpression(link) && ts.isPropertyAccessExpression(link.expression) && link.expression.name.text === 'pipe'; link = skipOuter(link.expression.expression)) {
      const target = link.arguments[0] && skipOuter(link.arguments[0]);
      if (target && ts.isIdentifier(target) && target.text === name) return true;
    }
    let receiver = skipOuter(e.expression.expression);
    // `req.on('error', onError).end()`: a listener registration gives back the emitter it was called on.
    while (ts.isCallExpression(receiver) && ts.isPropertyAccessExpression(receiver.expression) && LISTENER_REGISTRATION.test(receiver.expression.name.text)) {
      receiver = skipOuter(receiver.expression.expression);
    }
    return ts.isIdentifier(receiver) && receiver.text === name && !!q.kindOf(q.checker.getTypeAtLocation(receiver))?.releases.has(method);
  };
  return body.statements.some(releases);
}

/**
 * Is the local `name` released inside a function the body hands to another call, to run later: a listener of another
 * emitter (a lifecycle hook: `api.on('shutdown', () => socket.close())`), a teardown it registers (`t.after(() =>
 * client.close())`, `cleanups.push(() => server.close())`)? Then that call owns its release: what the caller gets is
 * a reference. Not a function handed to the socket itself or to a call on it (`s.on('error', () => s.destroy())`,
 * `client.connect().catch(() => client.close())`: cleanup on its own failure, the caller still owns it), nor a
 * promise's executor (it runs at once), a rejection handler (`.catch()`, `.then(ok, failed)`: only on failure) or a
 * timer or deferral (a deadline, not an owner).
 */
function releasedByCallback(body: ts.Node, name: string, q: FactoryQuery): boolean {
  if (!ts.isBlock(body)) return false;
  let found = false;
  const inCallback = (fn: ts.Node): boolean => {
    let releases = false;
    const visit = (n: ts.Node): void => {
      if (releases) return;
      if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
        const receiver = skipOuter(n.expression.expression);
        if (ts.isIdentifier(receiver) && receiver.text === name && q.kindOf(q.checker.getTypeAtLocation(receiver))?.releases.has(n.expression.name.text)) releases = true;
      }
      ts.forEachChild(n, visit);
    };
    visit(fn);
    return releases;
  };
  /** The name a chain of calls and members starts from (`client.connect().catch` → `client`). */
  const rootOf = (e: ts.Expression): ts.Expression => {
    let x = skipOuter(e);
    while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x) || ts.isCallExpression(x)) x = skipOuter(x.expression);
    return x;
  };
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isFunctionLike(n) && n !== body.parent) return;
    if ((ts.isCallExpression(n) || ts.isNewExpression(n)) && n.arguments) {
      const callee = skipOuter(n.expression);
      const root = rootOf(callee);
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : undefined;
      const calleeName = ts.isIdentifier(callee) ? callee.text : undefined;
      const skipped =
        (ts.isIdentifier(root) && root.text === name) ||
        (ts.isNewExpression(n) && calleeName === 'Promise') ||
        method === 'catch' ||
        DEFERRING_CALLS.has(calleeName ?? method ?? '');
      if (!skipped) {
        n.arguments.forEach((a, i) => {
          const arg = skipOuter(a);
          if (method === 'then' && i > 0) return;
          if ((ts.isArrowFunction(arg) || ts.isFunctionExpression(arg)) && inCallback(arg)) found = true;
        });
      }
    }
    ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

/** The variables declared in a function body (nested functions included), by name. */
function declarationsIn(body: ts.Node): Map<string, ts.VariableDeclaration[]> {
  const out = new Map<string, ts.VariableDeclaration[]>();
  const visit = (n: ts.Node): void => {
    if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name)) {
      addToList(out, n.name.text, n);
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return out;
}

/** Methods that keep what they are given: a collection's (`set`, `push`, `add`) and a store's (`setWs`, `registerClient`). */
const STORING_METHOD = /^(set|add|push|unshift|register|store|put|track|save|insert|attach|enqueue|remember|cache)([A-Z_]|$)/;

/**
 * Is the variable `name` stored somewhere that is not a variable of the function (itself, or in a literal that
 * holds it): assigned to a property or an outer variable (`this.ws = ws`, `ctx.client = client`, `cache = { key,
 * pool }`), or given to a storing method of a collection or store reached through one or through a parameter or
 * outer variable (`this.sockets.set(key, ws)`, `registry.push(ws)`, `this.wsStore.setWs(key, ws)`)? Or given as
 * `this` to a function that stores its `this` so (`ws.on('open', register.bind(ws))`, `ws.on('open', function () {
 * registry[key] = this; })`).
 */
function storedOutside(body: ts.Node, name: string, inside: ReadonlyMap<string, unknown>, checker: ts.TypeChecker): boolean {
  const isName = (n: ts.Node): boolean => ts.isIdentifier(n) && n.text === name;
  if (storesValue(body, isName, inside)) return true;
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression)) {
      const method = n.expression.name.text;
      // `f.bind(ws, …)`: `f` runs with `this` = the socket.
      if (method === 'bind' && n.arguments.length > 0 && isName(skipOuter(n.arguments[0]))) {
        const fn = functionDeclarationOf(n.expression.expression, checker);
        if (fn && storesThis(fn)) found = true;
      }
      // `ws.on('open', function () { … this … })`: a listener function expression runs with `this` = the emitter.
      if (LISTENER_REGISTRATION.test(method) && isName(skipOuter(n.expression.expression))) {
        for (const a of n.arguments) if (ts.isFunctionExpression(skipOuter(a)) && storesThis(skipOuter(a) as ts.FunctionExpression)) found = true;
      }
    }
    // `pool.registerHttp2Session(client)`, `registry.add(client)`: handed to another object's method named for keeping it.
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      KEEPING_METHOD.test(n.expression.name.text) &&
      !isName(skipOuter(n.expression.expression)) &&
      n.arguments.some((a) => isName(skipOuter(a)))
    ) {
      found = true;
    }
    // `this.cached.resolve(ws)`: settles a deferred the object keeps, so whoever awaits `this.cached.promise` gets it.
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'resolve' && n.arguments.length === 1 && isName(skipOuter(n.arguments[0]))) {
      const holder = skipOuter(n.expression.expression);
      if (ts.isPropertyAccessExpression(holder) && skipOuter(holder.expression).kind === SyntaxKind.ThisKeyword) found = true;
    }
    // `this.bind(channel, redis)`: a function of the program that stores the parameter it is given there.
    if (ts.isCallExpression(n)) {
      const index = n.arguments.findIndex((a) => isName(skipOuter(a)));
      const fn = index >= 0 ? functionDeclarationOf(n.expression, checker) : undefined;
      const param = fn?.parameters[index]?.name;
      if (fn?.body && param && ts.isIdentifier(param)) {
        const paramName = param.text;
        if (storesValue(fn.body, (x) => ts.isIdentifier(x) && x.text === paramName, declarationsIn(fn.body))) found = true;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

const LISTENER_REGISTRATION = /^(on|once|addListener|prependListener|prependOnceListener)$/;

/** Methods named for keeping what they are given (`register…`, `add…`, `track…`): a registry or pool. */
const KEEPING_METHOD = /^(register|track|add|put|push|store|keep|attach|adopt|enqueue)(?![a-z])/;

/** The function (with a body) that an expression names: a function declaration or a variable initialised with one. */
function functionDeclarationOf(expr: ts.Expression, checker: ts.TypeChecker): ts.FunctionLikeDeclaration | undefined {
  const e = skipOuter(expr);
  if (ts.isFunctionExpression(e)) return e;
  const symbol = checker.getSymbolAtLocation(e);
  for (const d of symbol?.declarations ?? []) {
    if ((ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d)) && d.body) return d;
    if (ts.isVariableDeclaration(d) && d.initializer && ts.isFunctionExpression(skipOuter(d.initializer))) return skipOuter(d.initializer) as ts.FunctionExpression;
  }
  return undefined;
}

/** Does a (non-arrow) function store its own `this` where it outlives the call? */
function storesThis(fn: ts.FunctionLikeDeclaration): boolean {
  const body = fn.body;
  if (!body) return false;
  return storesValue(body, (n) => n.kind === SyntaxKind.ThisKeyword, declarationsIn(body), true);
}

/**
 * Is a value (`isValue`) assigned to a property or an outer variable, alone or in a literal that holds it, or given
 * to a storing method of a receiver outside the function? `ownThisOnly`: do not look into nested non-arrow functions
 * (their `this` is another).
 */
function storesValue(body: ts.Node, isValue: (n: ts.Node) => boolean, inside: ReadonlyMap<string, unknown>, ownThisOnly = false): boolean {
  // The value itself, or a literal that holds it (`{ key, pool }`, `[pool]`), also through a `const` of the function
  // initialised with one (`const data = { ws, url }; this.connections.set(url, data)`).
  const holds = (n: ts.Node, depth = 0): boolean => {
    let v = n;
    while (ts.isParenthesizedExpression(v) || ts.isAsExpression(v)) v = v.expression;
    if (isValue(v)) return true;
    if (ts.isObjectLiteralExpression(v)) {
      return v.properties.some((p) => (ts.isShorthandPropertyAssignment(p) && isValue(p.name)) || (ts.isPropertyAssignment(p) && holds(p.initializer, depth)));
    }
    if (ts.isArrayLiteralExpression(v)) return v.elements.some((e) => holds(e, depth));
    const decls = depth === 0 && ts.isIdentifier(v) ? inside.get(v.text) : undefined;
    const [d] = Array.isArray(decls) && decls.length === 1 ? (decls as ts.VariableDeclaration[]) : [];
    return !!d?.initializer && (d.parent.flags & ts.NodeFlags.Const) !== 0 && (ts.isObjectLiteralExpression(skipOuter(d.initializer)) || ts.isArrayLiteralExpression(skipOuter(d.initializer))) && holds(d.initializer, depth + 1);
  };
  const outsideReceiver = (n: ts.Expression): boolean => {
    let r = n;
    while (ts.isParenthesizedExpression(r) || ts.isNonNullExpression(r)) r = r.expression;
    if (ts.isIdentifier(r)) return !inside.has(r.text);
    return ts.isPropertyAccessExpression(r) || ts.isElementAccessExpression(r) || r.kind === SyntaxKind.ThisKeyword;
  };
  let found = false;
  const visit = (n: ts.Node): void => {
    if (found) return;
    if (ownThisOnly && n !== body && (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n) || ts.isMethodDeclaration(n) || ts.isClassLike(n))) return;
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === SyntaxKind.EqualsToken && holds(n.right) && outsideReceiver(n.left)) {
      found = true;
      return;
    }
    if (
      ts.isCallExpression(n) &&
      ts.isPropertyAccessExpression(n.expression) &&
      STORING_METHOD.test(n.expression.name.text) &&
      n.arguments.some((a) => holds(a)) &&
      outsideReceiver(n.expression.expression)
    ) {
      found = true;
      return;
    }
    ts.forEachChild(n, visit);
  };
  visit(body);
  return found;
}

/** Does the block end in a `return` of a value, or in an `if` both of whose branches do (`if (blob) return a; else return b;`)? */
function endsInReturnedValue(st: TSESTree.Node | null | undefined): boolean {
  if (!st) return false;
  if (st.type === AST_NODE_TYPES.ReturnStatement) return !!st.argument;
  if (st.type === AST_NODE_TYPES.BlockStatement) return endsInReturnedValue(st.body[st.body.length - 1]);
  return st.type === AST_NODE_TYPES.IfStatement && endsInReturnedValue(st.consequent) && endsInReturnedValue(st.alternate);
}
