import { AST_NODE_TYPES, TSESLint, type TSESTree } from '@typescript-eslint/utils';
const DefinitionType = TSESLint.Scope.DefinitionType;
import * as ts from 'typescript';
import {
  calleeMember,
  climbValue,
  contains,
  dottedName,
  enclosingFunction,
  isFunction,
  methodCallOn,
  propertyName,
  stringValue,
  thisClass,
  thisMemberName,
  unwrap,
  walkAst,
  type FunctionNode,
} from './ast';
import { ALL_KINDS, Catalogue, LISTENER_METHODS, ONCE_LISTENER_METHODS, SERVER_HANDLER_EVENTS, type ResourceKind } from './catalogue';
import type { FlowRecorder, FunctionFlow } from './flow';

export type Variable = TSESLint.Scope.Variable;
type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

/** Is the function (or function-valued variable) declared with a return type, or in a declaration file? */
function hasDeclaredReturnType(symbol: ts.Symbol): boolean {
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

/** The function a callee denotes: `(0, mod.fn)(…)` (compiled ES modules) calls `mod.fn`. */
function calleeTarget(callee: TSESTree.Node): TSESTree.Node {
  let c = unwrap(callee);
  while (c.type === AST_NODE_TYPES.SequenceExpression && c.expressions.length > 0) {
    c = unwrap(c.expressions[c.expressions.length - 1]);
  }
  return c;
}


/** Method names that may create a socket (user factories included); see FileModel.plausibleCallee. */
const FACTORY_NAME =
  /^(create|connect|dial|spawn|accept|acquire|upgrade|establish|listen)|socket|server|connection|conn$|client|session|channel|tunnel|websocket|^ws|tls|tcp|udp/i;

/** Names of variables, parameters and properties that may hold a socket (screen for untyped bindings). */
const SOCKETISH_NAME = /sock|conn|client|server|srv|session|channel|tunnel|peer|stream|^ws$|ws[A-Z_]|websocket|tls|tcp|udp|dgram|link|wire|pipe/i;

/** Events whose listeners receive a socket. */
const SOCKET_EVENTS = new Set(['connection', 'secureConnection', 'upgrade', 'connect', 'session', 'stream']);

/** Every release method name of every kind (for parameters and collection elements of unknown kind). */
export const ANY_RELEASE: ReadonlySet<string> = new Set(ALL_KINDS.flatMap((k) => [...k.releases]));

const NON_OWNING_CALLEES = new Set([
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

const PIPELINE_CALLEES = new Set(['pipeline', 'stream.pipeline', 'promises.pipeline', 'stream.promises.pipeline']);
const CONTAINER_ADD = new Set(['push', 'unshift', 'add', 'set', 'splice']);
const CONTAINER_ITERATE = new Set(['forEach', 'map', 'flatMap', 'filter', 'some', 'every', 'reduce']);
const CONTAINER_TAKE = new Set(['pop', 'shift', 'at', 'get', 'find', 'findLast']);

export type KillWhy = 'release' | 'escape' | 'delegate' | 'using' | 'container';

export type Op =
  | { t: 'create' }
  | { t: 'kill'; why: KillWhy; success?: boolean }
  | { t: 'overwrite' }
  | { t: 'settle'; name: string };

export interface Registration {
  /** Event name for listeners; method name for operation callbacks; timer name for timers. */
  readonly event: string | undefined;
  readonly fnNode: TSESTree.Node;
  readonly fn: FunctionNode | undefined;
  readonly once: boolean;
  readonly via: 'listener' | 'callback' | 'timer' | 'other';
  readonly call: TSESTree.Node;
}

export interface Resource {
  readonly id: number;
  readonly kind: ResourceKind;
  /** The creation call/new: where `leak` is reported. */
  readonly report: TSESTree.CallExpression | TSESTree.NewExpression;
  /** Flow that evaluates the creation. */
  readonly flow: FunctionFlow;
  /** The function (or program/class field) that owns the resource. */
  readonly ownerNode: TSESTree.Node;
  readonly aliases: Set<Variable>;
  readonly containers: Set<Variable>;
  readonly ops: Map<TSESTree.Node, Op[]>;
  readonly registrations: Registration[];
  readonly idleTimeouts: TSESTree.CallExpression[];
  /** Settle functions (resolve/reject of an executor, a callback parameter) when the socket is handed to the caller by one of them. */
  readonly settleFns: Set<Variable>;
  successHandoff: boolean;
  discarded: boolean;
  exempt: 'server-handler' | 'module' | undefined;
  disposed: boolean;
  field: { name: string; cls: ClassNode; assign: TSESTree.Node } | undefined;
  /** Does this function (or a local function it calls) release or hand off the resource on some path? */
  releasesInside: (fn: FunctionNode) => boolean;
  outerStore: { variable: Variable; assign: TSESTree.AssignmentExpression } | undefined;
}

export interface ModelOptions {
  endIsRelease: boolean;
}

/**
 * The facts one file gives about its sockets: creation sites, aliases, releases, hand-offs and callbacks.
 * Built once per file (shared by the rules) after ESLint has recorded the code paths.
 */
export class FileModel {
  readonly catalogue: Catalogue;
  readonly checker: ts.TypeChecker;
  readonly varOf = new Map<TSESTree.Identifier | TSESTree.JSXIdentifier, Variable>();
  private readonly typeKindCache = new Map<TSESTree.Node, ResourceKind | null>();
  private readonly resourcesByOptions = new Map<string, Resource[]>();
  private readonly functionOfVariable = new Map<Variable, FunctionNode | null>();

  constructor(
    readonly sourceCode: TSESLint.SourceCode,
    readonly services: {
      program: ts.Program;
      esTreeNodeToTSNodeMap: { get(node: TSESTree.Node): ts.Node };
    },
    readonly recorder: FlowRecorder,
    catalogue: Catalogue,
  ) {
    this.checker = services.program.getTypeChecker();
    this.catalogue = catalogue;
    for (const scope of sourceCode.scopeManager?.scopes ?? []) {
      for (const v of scope.variables) for (const id of v.identifiers) this.varOf.set(id, v);
      for (const ref of scope.references) if (ref.resolved) this.varOf.set(ref.identifier, ref.resolved);
    }
  }

  // ---------------------------------------------------------------- types

  /** Kind of the value of an expression node, by its type. */
  kindOfNode(node: TSESTree.Node): ResourceKind | undefined {
    const cached = this.typeKindCache.get(node);
    if (cached !== undefined) return cached ?? undefined;
    let result: ResourceKind | undefined;
    try {
      // Never ask for the flow-narrowed type of a reference: each such query walks the function's control flow
      // back to the declaration, which makes long functions quadratic. Declared types are enough here.
      const n = unwrap(node);
      if (n.type === AST_NODE_TYPES.Identifier) {
        const v = this.varOf.get(n);
        const decl = v?.identifiers[0];
        if (v && decl && decl !== n) {
          result = this.kindOfNode(decl);
          this.typeKindCache.set(node, result ?? null);
          return result;
        }
        if (!v) {
          const tsNode = this.services.esTreeNodeToTSNodeMap.get(n);
          const symbol = tsNode ? this.checker.getSymbolAtLocation(tsNode) : undefined;
          if (symbol) result = this.catalogue.kindOf(this.checker.getTypeOfSymbol(symbol));
          this.typeKindCache.set(node, result ?? null);
          return result;
        }
      } else if (n.type === AST_NODE_TYPES.MemberExpression && !n.computed) {
        const tsNode = this.services.esTreeNodeToTSNodeMap.get(n.property);
        const symbol = tsNode ? this.checker.getSymbolAtLocation(tsNode) : undefined;
        if (symbol && symbol.flags & (ts.SymbolFlags.Property | ts.SymbolFlags.Accessor)) {
          result = this.catalogue.kindOf(this.checker.getTypeOfSymbol(symbol));
          this.typeKindCache.set(node, result ?? null);
          return result;
        }
      }
      const tsNode = this.services.esTreeNodeToTSNodeMap.get(node);
      if (tsNode) result = this.catalogue.kindOf(this.checker.getTypeAtLocation(tsNode));
    } catch {
      result = undefined;
    }
    this.typeKindCache.set(node, result ?? null);
    return result;
  }

  /**
   * Does the method called here return the socket it is called on (`setNoDelay()`, `on()`, `listen()`)? Read
   * from the method's declared signature, not from the call's type (which would narrow the receiver).
   */
  returnsSameSocket(call: TSESTree.CallExpression, kind: ResourceKind): boolean {
    const member = calleeMember(call);
    const name = member ? propertyName(member) : undefined;
    if (!member || name === undefined) return false;
    try {
      const receiver = this.declaredType(member.object);
      if (!receiver) return false;
      let perType = this.returnsSelfCache.get(receiver);
      if (!perType) {
        perType = new Map();
        this.returnsSelfCache.set(receiver, perType);
      }
      let answer = perType.get(name);
      if (answer === undefined) {
        answer = false;
        const symbol = receiver.getProperty(name);
        if (symbol) {
          for (const sig of this.checker.getTypeOfSymbol(symbol).getCallSignatures()) {
            const ret = sig.getReturnType();
            if ((ret as { isThisType?: boolean }).isThisType || this.catalogue.kindOf(ret) === kind) answer = true;
          }
        }
        perType.set(name, answer);
      }
      return answer;
    } catch {
      return false;
    }
  }

  private readonly returnsSelfCache = new Map<ts.Type, Map<string, boolean>>();
  private readonly thisTypes = new Map<TSESTree.Node, ts.Type>();
  private readonly declaredTypes = new Map<TSESTree.Node, ts.Type | null>();

  /** Is this member a property with a `set` accessor? */
  isSetter(member: TSESTree.MemberExpression): boolean {
    const name = thisMemberName(member);
    const cls = name !== undefined ? thisClass(member) : undefined;
    if (cls) {
      for (const el of cls.body.body) {
        if (el.type === AST_NODE_TYPES.MethodDefinition && el.kind === 'set' && !el.computed && el.key.type === AST_NODE_TYPES.Identifier && el.key.name === name) {
          return true;
        }
      }
    }
    try {
      const tsNode = this.services.esTreeNodeToTSNodeMap.get(member.property);
      const symbol = tsNode ? this.checker.getSymbolAtLocation(tsNode) : undefined;
      return !!symbol && (symbol.flags & ts.SymbolFlags.SetAccessor) !== 0;
    } catch {
      return false;
    }
  }

  /** The declared (not flow-narrowed) type of an expression: a variable's declared type, a property's type. */
  declaredType(node: TSESTree.Node): ts.Type | undefined {
    const n = unwrap(node);
    let target: TSESTree.Node = n;
    if (n.type === AST_NODE_TYPES.Identifier) {
      const decl = this.varOf.get(n)?.identifiers[0];
      if (decl) target = decl;
    } else if (n.type === AST_NODE_TYPES.ThisExpression) {
      // One `this` type per class.
      const cls = thisClass(n);
      if (cls) {
        const cached = this.thisTypes.get(cls);
        if (cached) return cached;
        const tsNode = this.services.esTreeNodeToTSNodeMap.get(n);
        const type = tsNode ? this.checker.getTypeAtLocation(tsNode) : undefined;
        if (type) this.thisTypes.set(cls, type);
        return type;
      }
    } else if (n.type === AST_NODE_TYPES.MemberExpression && !n.computed) {
      const tsProp = this.services.esTreeNodeToTSNodeMap.get(n.property);
      const symbol = tsProp ? this.checker.getSymbolAtLocation(tsProp) : undefined;
      if (symbol) return this.checker.getNonNullableType(this.checker.getTypeOfSymbol(symbol));
    }
    const cached = this.declaredTypes.get(target);
    if (cached !== undefined) return cached ?? undefined;
    const tsNode = this.services.esTreeNodeToTSNodeMap.get(target);
    const type = tsNode ? this.checker.getNonNullableType(this.checker.getTypeAtLocation(tsNode)) : undefined;
    this.declaredTypes.set(target, type ?? null);
    return type;
  }

  kindOfVariable(v: Variable): ResourceKind | undefined {
    const id = v.identifiers[0];
    return id ? this.kindOfNode(id) : undefined;
  }

  /** Is this call/new/await a creation site, and of which kind? */
  creationKind(node: TSESTree.Node): ResourceKind | undefined {
    if (node.type === AST_NODE_TYPES.CallExpression) {
      if (node.callee.type === AST_NODE_TYPES.Super) return undefined;
      const member = calleeMember(node);
      // Cheap screens first (callee shape and name, then its declared signatures), the call's type last.
      if (!this.plausibleCallee(node)) return undefined;
      if (!this.mayReturnSocket(node, false)) return undefined;
      // A method of a socket that returns `this` (setTimeout, on, listen, ...) is not a creation.
      if (member && this.kindOfNode(member.object)) return undefined;
      const kind = this.kindOfNode(node);
      if (!kind) return undefined;
      // `pipeline(src, socket, cb)`, `wrap(socket)` returning the same kind: it passes a socket through.
      if (node.arguments.some((a) => a.type !== AST_NODE_TYPES.SpreadElement && this.kindOfNode(a) === kind)) return undefined;
      if (!this.isFactoryCall(node)) return undefined;
      return kind;
    }
    if (node.type === AST_NODE_TYPES.NewExpression) {
      if (!this.mayReturnSocket(node, false)) return undefined;
      return this.kindOfNode(node);
    }
    return undefined;
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
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
    const name = propertyName(callee);
    if (name === undefined) return false;
    if (FACTORY_NAME.test(name)) return true;
    const object = unwrap(callee.object);
    if (object.type === AST_NODE_TYPES.ThisExpression) return true;
    if (object.type === AST_NODE_TYPES.Identifier) return this.isCheapBinding(object);
    return false;
  }

  /** A name whose declared type costs nothing to compute: an import, a `require()`, or an annotated binding. */
  isCheapBinding(id: TSESTree.Identifier): boolean {
    const v = this.varOf.get(id);
    const def = v?.defs[0];
    if (!def) return false;
    if (def.type === DefinitionType.ImportBinding) return true;
    const name = def.name as TSESTree.Identifier;
    if (name.typeAnnotation) return true;
    if (def.type === DefinitionType.Variable) {
      const init = (def.node).init;
      if (init?.type === AST_NODE_TYPES.CallExpression && init.callee.type === AST_NODE_TYPES.Identifier && init.callee.name === 'require') return true;
      if (init && unwrap(init).type === AST_NODE_TYPES.NewExpression) return true;
    }
    return false;
  }

  /**
   * Could this variable hold a socket? Screened without inferring types from initialisers: an annotated or
   * imported binding, a parameter of a callback handed to a listener/factory-like call, or a variable initialised
   * from a plausible creation, a `new`, an `await`, another socket variable or a property read.
   */
  plausibleSocketVariable(v: Variable, depth = 0): boolean {
    const def = v.defs[0];
    if (!def) return false;
    const name = def.name as TSESTree.Identifier;
    if (name.typeAnnotation || def.type === DefinitionType.ImportBinding) return true;
    if (def.type === DefinitionType.Parameter) {
      const fn = def.node as TSESTree.Node;
      if (fn.type === AST_NODE_TYPES.FunctionDeclaration) return true; // JSDoc-typed or `any`: cheap
      const call = fn.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression && call?.type !== AST_NODE_TYPES.NewExpression) return true; // methods, named functions: annotated or JSDoc-typed
      // An untyped callback parameter needs contextual typing (resolving the call): only socket-like ones.
      if (SOCKETISH_NAME.test(name.name)) return true;
      const calleeName = call.callee.type === AST_NODE_TYPES.Identifier ? call.callee.name : call.callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(call.callee) : undefined;
      if (calleeName === undefined) return false;
      if (LISTENER_METHODS.has(calleeName)) {
        const event = call.arguments[0];
        return event?.type === AST_NODE_TYPES.Literal && typeof event.value === 'string' && SOCKET_EVENTS.has(event.value);
      }
      return /^(createServer|createSecureServer|connect|createConnection)$/.test(calleeName);
    }
    if (def.type !== DefinitionType.Variable) return false;
    const decl = def.node;
    if (decl.id !== name) return false; // destructuring
    if (!decl.init) return true;
    return this.plausibleSocketValue(decl.init, v, depth);
  }

  /** Could this expression evaluate to a socket? A screen that asks the type checker nothing. */
  plausibleSocketValue(value: TSESTree.Node, self: Variable | undefined, depth: number): boolean {
    const init = unwrap(value);
    switch (init.type) {
      case AST_NODE_TYPES.NewExpression:
        return true;
      case AST_NODE_TYPES.MemberExpression: {
        if (unwrap(init.object).type === AST_NODE_TYPES.ThisExpression) return this.plausibleSocketField(init);
        const name = propertyName(init);
        return name !== undefined && SOCKETISH_NAME.test(name);
      }
      case AST_NODE_TYPES.CallExpression:
        return this.plausibleCallee(init) && this.mayReturnSocket(init, false);
      case AST_NODE_TYPES.AwaitExpression: {
        const arg = unwrap(init.argument);
        if (arg.type === AST_NODE_TYPES.CallExpression) return this.plausibleCallee(arg) && this.mayReturnSocket(arg, true);
        return depth < 4 && this.plausibleSocketValue(arg, self, depth + 1);
      }
      case AST_NODE_TYPES.Identifier: {
        const src = this.varOf.get(init);
        return depth < 4 && !!src && src !== self && this.plausibleSocketVariable(src, depth + 1);
      }
      case AST_NODE_TYPES.ConditionalExpression:
        return depth < 4 && (this.plausibleSocketValue(init.consequent, self, depth + 1) || this.plausibleSocketValue(init.alternate, self, depth + 1));
      case AST_NODE_TYPES.LogicalExpression:
        return depth < 4 && (this.plausibleSocketValue(init.left, self, depth + 1) || this.plausibleSocketValue(init.right, self, depth + 1));
      default:
        return false;
    }
  }

  private readonly plausibleFields = new Map<TSESTree.Node, Map<string, boolean>>();

  /**
   * Could `this.<name>` hold a socket? Screened without types: the class declares the field with a type
   * annotation (or as a constructor parameter property), or assigns it something that could be a socket.
   */
  plausibleSocketField(member: TSESTree.MemberExpression): boolean {
    const name = thisMemberName(member);
    const cls = name !== undefined ? thisClass(member) : undefined;
    if (!cls || name === undefined) return false;
    let fields = this.plausibleFields.get(cls);
    if (!fields) {
      this.plausibleFields.set(cls, new Map()); // re-entrancy guard (a field assigned from another field)
      fields = this.collectPlausibleFields(cls);
      this.plausibleFields.set(cls, fields);
    }
    return fields.get(name) ?? false;
  }

  private collectPlausibleFields(cls: ClassNode): Map<string, boolean> {
    const fields = new Map<string, boolean>();
    const mark = (name: string, plausible: boolean): void => {
      if (plausible) fields.set(name, true);
    };
    const plausibleValue = (value: TSESTree.Node | null | undefined): boolean => {
      if (!value) return false;
      const v = unwrap(value);
      // `this.a = this.b` would recurse into the field screen; a member read counts if its name is socket-like.
      if (v.type === AST_NODE_TYPES.MemberExpression) {
        const name = propertyName(v);
        return name !== undefined && SOCKETISH_NAME.test(name);
      }
      return this.plausibleSocketValue(v, undefined, 0);
    };
    walkAst(cls.body, this.sourceCode.visitorKeys, (n) => {
      if (n.type === AST_NODE_TYPES.PropertyDefinition && !n.computed && n.key.type !== AST_NODE_TYPES.Literal) {
        const keyName = n.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${n.key.name}` : (n.key).name;
        mark(keyName, !!n.typeAnnotation || plausibleValue(n.value));
      } else if (n.type === AST_NODE_TYPES.AssignmentExpression) {
        const name = thisMemberName(n.left);
        if (name !== undefined) mark(name, plausibleValue(n.right));
      } else if (n.type === AST_NODE_TYPES.TSParameterProperty) {
        const param = n.parameter.type === AST_NODE_TYPES.AssignmentPattern ? n.parameter.left : n.parameter;
        if (param.type === AST_NODE_TYPES.Identifier) mark(param.name, true);
      }
    });
    return fields;
  }

  private readonly symbolReturnsSocket = new Map<ts.Symbol, { direct: boolean; awaited: boolean }>();

  private declaredHere(symbol: ts.Symbol): boolean {
    const here = this.services.esTreeNodeToTSNodeMap.get(this.sourceCode.ast)?.getSourceFile();
    return !!here && (symbol.declarations ?? []).some((d) => d.getSourceFile() === here);
  }

  /**
   * Could this call return a socket (or, `awaited`, a promise of one)? Decided from the callee's declared
   * signatures, found by name resolution and declared types only, so that the type checker does not have to
   * resolve every call of the file. Cached per callee symbol.
   */
  mayReturnSocket(call: TSESTree.CallExpression | TSESTree.NewExpression, awaited: boolean): boolean {
    try {
      const callee = calleeTarget(call.callee);
      let symbol: ts.Symbol | undefined;
      if (callee.type === AST_NODE_TYPES.Identifier) {
        if (callee.name === 'require') return false;
        // A callback parameter (`cb(err)`, `resolve(x)`) would need contextual typing: only annotated ones count.
        const def = this.varOf.get(callee)?.defs[0];
        if (def?.type === DefinitionType.Parameter && !(def.name as TSESTree.Identifier).typeAnnotation) return false;
        symbol = this.checker.getSymbolAtLocation(this.services.esTreeNodeToTSNodeMap.get(callee));
        if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
        // Inferring the return type of an unannotated function checks its body: only for factory-like names.
        // Functions of this file are inferred anyway when the file is checked; other files' only when annotated.
        if (symbol && !hasDeclaredReturnType(symbol) && !FACTORY_NAME.test(callee.name) && !this.declaredHere(symbol)) return false;
      } else if (callee.type === AST_NODE_TYPES.MemberExpression) {
        const name = propertyName(callee);
        if (name === undefined) return true;
        const objectType = this.declaredType(callee.object);
        if (!objectType || objectType.flags & ts.TypeFlags.Any) return false;
        symbol = objectType.getProperty(name) ?? this.checker.getApparentType(objectType).getProperty(name);
      } else {
        return true;
      }
      if (!symbol) return false;
      let cached = this.symbolReturnsSocket.get(symbol);
      if (!cached) {
        cached = { direct: false, awaited: false };
        const type = this.checker.getTypeOfSymbol(symbol);
        const signatures = call.type === AST_NODE_TYPES.NewExpression ? type.getConstructSignatures() : type.getCallSignatures();
        for (const sig of signatures) {
          const ret = sig.getReturnType();
          if (this.catalogue.kindOf(ret)) cached.direct = true;
          const inner = this.checker.getAwaitedType(ret);
          if (inner && this.catalogue.kindOf(inner)) cached.awaited = true;
        }
        this.symbolReturnsSocket.set(symbol, cached);
      }
      return awaited ? cached.awaited : cached.direct;
    } catch {
      return true;
    }
  }

  /** Excludes built-in collection accessors (`map.get(k)`) and user accessors that return an existing socket. */
  private isFactoryCall(node: TSESTree.CallExpression): boolean {
    try {
      const tsNode = this.services.esTreeNodeToTSNodeMap.get(node) as ts.CallExpression;
      const signature = this.checker.getResolvedSignature(tsNode);
      const decl = signature?.getDeclaration();
      if (!decl) return true;
      const file = decl.getSourceFile().fileName.replace(/\\/g, '/');
      if (file.includes('/typescript/lib/')) return false;
      // A method declared to return `this` (`on()`, `listen()`, `setTimeout()`) returns its receiver.
      if (decl.type?.kind === ts.SyntaxKind.ThisType) return false;
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
      if (!body) return true;
      if (!ts.isBlock(body)) return !isAccessorExpression(body, decl);
      let sawFactory = false;
      let sawAccessor = false;
      const visit = (n: ts.Node): void => {
        if (ts.isFunctionLike(n)) return;
        if (ts.isReturnStatement(n) && n.expression) {
          if (isAccessorExpression(n.expression, decl)) sawAccessor = true;
          else sawFactory = true;
        }
        ts.forEachChild(n, visit);
      };
      ts.forEachChild(body, visit);
      return sawFactory || !sawAccessor;
    } catch {
      return true;
    }
  }

  // ---------------------------------------------------------------- variables

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
      if (decl.init && isFunction(decl.init) && (parent?.kind === 'const' || v.references.every((r) => !r.isWrite() || r.init))) {
        fn = decl.init;
      }
    }
    this.functionOfVariable.set(v, fn ?? null);
    return fn;
  }

  /** A function value: a function expression, or an identifier naming a local function. */
  functionValue(node: TSESTree.Node | undefined): FunctionNode | undefined {
    if (!node) return undefined;
    const n = unwrap(node);
    if (isFunction(n)) return n;
    if (n.type === AST_NODE_TYPES.Identifier) return this.functionOf(this.varOf.get(n));
    return undefined;
  }

  /** The class whose instance `node` denotes: `this`, or a `const self = this` alias. */
  thisLikeClass(node: TSESTree.Node): ClassNode | undefined {
    const n = unwrap(node);
    if (n.type === AST_NODE_TYPES.ThisExpression) return thisClass(n);
    if (n.type !== AST_NODE_TYPES.Identifier) return undefined;
    const v = this.varOf.get(n);
    const def = v?.defs[0];
    if (v?.defs.length !== 1 || def?.type !== DefinitionType.Variable) return undefined;
    const init = (def.node).init;
    return init?.type === AST_NODE_TYPES.ThisExpression ? thisClass(init) : undefined;
  }

  /** `this.x` or `self.x` (with `const self = this`) → `x`. */
  thisLikeMemberName(node: TSESTree.Node): string | undefined {
    const n = unwrap(node);
    if (n.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const direct = thisMemberName(n);
    if (direct !== undefined) return direct;
    return this.thisLikeClass(n.object) ? propertyName(n) : undefined;
  }

  /** The method a call of `this.m` / `self.m` runs. */
  methodOf(callee: TSESTree.Node): FunctionNode | undefined {
    const c = unwrap(callee);
    if (c.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const cls = this.thisLikeClass(c.object);
    const name = propertyName(c);
    if (!cls || name === undefined) return undefined;
    for (const el of cls.body.body) {
      if (el.type === AST_NODE_TYPES.MethodDefinition && !el.computed && el.key.type === AST_NODE_TYPES.Identifier && el.key.name === name) {
        return isFunction(el.value) ? el.value : undefined;
      }
    }
    return undefined;
  }

  /** For `resolve`/`reject` parameters of a `new Promise` executor: the executor. */
  executorOf(v: Variable): { executor: FunctionNode; role: 'resolve' | 'reject' } | undefined {
    const def = v.defs[0];
    if (def?.type !== DefinitionType.Parameter) return undefined;
    const fn = def.node as TSESTree.Node;
    if (!isFunction(fn)) return undefined;
    const p = fn.parent;
    if (
      p?.type === AST_NODE_TYPES.NewExpression &&
      p.arguments[0] === fn &&
      p.callee.type === AST_NODE_TYPES.Identifier &&
      p.callee.name === 'Promise'
    ) {
      const index = fn.params.findIndex((param) => param === def.name);
      if (index === 0) return { executor: fn, role: 'resolve' };
      if (index === 1) return { executor: fn, role: 'reject' };
    }
    return undefined;
  }

  isParameter(v: Variable): boolean {
    return v.defs[0]?.type === DefinitionType.Parameter;
  }

  /**
   * What a function does with its parameter `index`: releases it, hands it on, or only borrows it.
   * Used for "passing it to a local function that releases its parameter".
   */
  parameterEffect(fn: FunctionNode, index: number, depth = 0): 'release' | 'escape' | 'borrow' {
    const param = fn.params[index];
    if (!param) return 'escape';
    const id = param.type === AST_NODE_TYPES.AssignmentPattern ? param.left : param;
    if (id.type !== AST_NODE_TYPES.Identifier) return 'escape';
    const v = this.varOf.get(id);
    if (!v) return 'escape';
    return this.variableEffect(v, fn, depth);
  }

  /** Effect of all references of a variable holding a socket of unknown provenance (parameters, loop variables). */
  variableEffect(v: Variable, scopeNode: TSESTree.Node, depth = 0): 'release' | 'escape' | 'borrow' {
    let result: 'release' | 'escape' | 'borrow' = 'borrow';
    for (const ref of v.references) {
      if (ref.init || ref.isWrite()) continue;
      const id = ref.identifier as TSESTree.Identifier;
      const value = climbValue(id);
      const mc = methodCallOn(value);
      if (mc) {
        if (ANY_RELEASE.has(mc.name)) return 'release';
        continue;
      }
      const p = value.parent;
      if (!p) continue;
      if (
        (p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) &&
        p.arguments.includes(value as TSESTree.CallExpressionArgument)
      ) {
        const idx = p.arguments.indexOf(value as TSESTree.CallExpressionArgument);
        const callee = p.type === AST_NODE_TYPES.CallExpression ? this.functionValue(p.callee) : undefined;
        if (callee && depth < 4 && callee !== scopeNode) {
          const inner = this.parameterEffect(callee, idx, depth + 1);
          if (inner === 'release') return 'release';
          if (inner === 'escape') result = 'escape';
          continue;
        }
        const name = dottedName(p.callee);
        if (name && NON_OWNING_CALLEES.has(name)) continue;
        result = 'escape';
        continue;
      }
      if (
        p.type === AST_NODE_TYPES.ReturnStatement ||
        p.type === AST_NODE_TYPES.YieldExpression ||
        (p.type === AST_NODE_TYPES.AssignmentExpression && p.right === value) ||
        p.type === AST_NODE_TYPES.Property ||
        p.type === AST_NODE_TYPES.ArrayExpression ||
        (p.type === AST_NODE_TYPES.ArrowFunctionExpression && p.body === value)
      ) {
        result = 'escape';
      }
    }
    return result;
  }

  // ---------------------------------------------------------------- resources

  /** All resources created in this file (computed once per option set). */
  resources(options: ModelOptions): Resource[] {
    const key = JSON.stringify(options);
    let list = this.resourcesByOptions.get(key);
    if (!list) {
      list = new ResourceBuilder(this, options).build();
      this.resourcesByOptions.set(key, list);
    }
    return list;
  }
}

function isAccessorExpression(expr: ts.Expression, decl: ts.SignatureDeclaration): boolean {
  let e: ts.Expression = expr;
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) return true;
  if (ts.isIdentifier(e)) {
    // A parameter, or a variable declared outside the function: an existing socket.
    const params = decl.parameters.map((p) => (ts.isIdentifier(p.name) ? p.name.text : ''));
    if (params.includes(e.text)) return true;
    let declaredInside = false;
    const visit = (n: ts.Node): void => {
      if (declaredInside) return;
      if (ts.isVariableDeclaration(n) && ts.isIdentifier(n.name) && n.name.text === e.text) declaredInside = true;
      ts.forEachChild(n, visit);
    };
    const body = (decl as ts.FunctionLikeDeclarationBase).body;
    if (body) visit(body);
    return !declaredInside;
  }
  return false;
}

/** Builds the resources of a file: creation sites, aliases and the effect of every reference. */
class ResourceBuilder {
  private nextId = 0;

  constructor(
    private readonly m: FileModel,
    private readonly options: ModelOptions,
  ) {}

  build(): Resource[] {
    const out: Resource[] = [];
    for (const [node, flow] of this.m.recorder.flowOfNode) {
      if (node.type !== AST_NODE_TYPES.CallExpression && node.type !== AST_NODE_TYPES.NewExpression) continue;
      const r = this.tryCreate(node, flow);
      if (r) out.push(r);
    }
    // Class field initialisers `sock = net.connect()` are their own code path's root node.
    for (const flow of this.m.recorder.flows) {
      const n = flow.node;
      if (
        (n.type === AST_NODE_TYPES.CallExpression || n.type === AST_NODE_TYPES.NewExpression) &&
        n.parent?.type === AST_NODE_TYPES.PropertyDefinition
      ) {
        const r = this.tryCreate(n, flow);
        if (r) out.push(r);
      }
    }
    for (const r of out) this.addDelegations(r);
    return out;
  }

  private tryCreate(node: TSESTree.CallExpression | TSESTree.NewExpression, flow: FunctionFlow): Resource | undefined {
    let kind: ResourceKind | undefined;
    let value: TSESTree.Node = node;
    const outer = climbValue(node);
    if (outer.parent?.type === AST_NODE_TYPES.AwaitExpression) {
      // `await connectAsync()` owns what the promise resolves to.
      if (node.type === AST_NODE_TYPES.CallExpression && !this.m.mayReturnSocket(node, true)) return undefined;
      kind = this.m.kindOfNode(outer.parent);
      if (kind) value = outer.parent;
      else return undefined;
      if (this.m.kindOfNode(node)) return undefined; // awaiting a socket itself is odd; skip
    } else {
      kind = this.m.creationKind(node);
    }
    if (!kind) return undefined;
    const ownerNode = flow.node;
    const r: Resource = {
      id: this.nextId++,
      kind,
      report: node,
      flow,
      ownerNode,
      aliases: new Set(),
      containers: new Set(),
      ops: new Map(),
      registrations: [],
      idleTimeouts: [],
      settleFns: new Set(),
      successHandoff: false,
      discarded: false,
      exempt: undefined,
      disposed: false,
      field: undefined,
      outerStore: undefined,
      releasesInside: () => false,
    };
    this.addOp(r, node, { t: 'create' });
    if (kind.isServer && kind !== undefined && node.type === AST_NODE_TYPES.CallExpression) {
      // net/http/https/http2/tls createServer(handler): it serves for the life of the process.
      if (node.arguments.some((a) => this.isCallable(a))) r.exempt = 'server-handler';
    }
    if (ownerNode.type === AST_NODE_TYPES.Program) r.exempt ??= 'module';
    if (ownerNode.parent?.type === AST_NODE_TYPES.PropertyDefinition && ownerNode === node) {
      const cls = thisClass(ownerNode);
      const prop = ownerNode.parent;
      const name =
        prop.key.type === AST_NODE_TYPES.PrivateIdentifier
          ? `#${prop.key.name}`
          : prop.key.type === AST_NODE_TYPES.Identifier
            ? prop.key.name
            : undefined;
      if (cls && name && !prop.static) r.field = { name, cls, assign: prop };
      this.addOp(r, node, { t: 'kill', why: 'escape' });
    } else {
      // The creation call's own callbacks (`net.connect(port, () => ...)`).
      if (node.type === AST_NODE_TYPES.CallExpression) {
        for (const arg of node.arguments) {
          const fn = this.m.functionValue(arg);
          if (fn) r.registrations.push({ event: 'connect', fnNode: arg, fn, once: true, via: 'callback', call: node });
        }
      }
      this.handleValue(r, value, true);
    }
    // Every alias's references.
    const seen = new Set<Variable>();
    let changed = true;
    while (changed) {
      changed = false;
      for (const v of [...r.aliases, ...r.containers]) {
        if (seen.has(v)) continue;
        seen.add(v);
        changed = true;
        const isContainer = r.containers.has(v);
        for (const ref of v.references) {
          if (ref.init) continue;
          const id = ref.identifier as TSESTree.Identifier;
          if (ref.isWrite()) {
            const assign = id.parent;
            if (!isContainer && assign?.type === AST_NODE_TYPES.AssignmentExpression && assign.left === id) {
              // `socket = s` copies the socket; only a different value overwrites it.
              const right = unwrap(assign.right);
              const copiesAlias = right.type === AST_NODE_TYPES.Identifier && [...r.aliases].some((a) => a.references.some((ref) => ref.identifier === right));
              if (!contains(assign.right, r.report) && !copiesAlias) this.addOp(r, assign, { t: 'overwrite' });
            }
            continue;
          }
          if (isContainer) this.handleContainerRef(r, id);
          else this.handleValue(r, id, false);
        }
      }
    }
    if (r.field) this.handleFieldReferences(r);
    return r;
  }

  /**
   * A socket stored in `this.<field>` is also reached through the field: listeners registered on it and
   * releases through it (in callbacks, other methods) count for the socket.
   */
  private handleFieldReferences(r: Resource): void {
    const field = r.field;
    if (!field) return;
    walkAst(field.cls.body, this.m.sourceCode.visitorKeys, (n) => {
      if (n.type === AST_NODE_TYPES.MemberExpression && this.m.thisLikeMemberName(n) === field.name && this.m.thisLikeClass(n.object) === field.cls) {
        const mc = methodCallOn(n);
        if (mc) {
          if (r.kind.releases.has(mc.name) && !(mc.name === 'end' && !this.options.endIsRelease)) this.kill(r, mc.call, 'release');
          else if (LISTENER_METHODS.has(mc.name) || mc.name === 'setTimeout') this.handleMethodCall(r, mc.call, mc.name, false);
        }
      }
    });
  }

  private isCallable(node: TSESTree.Node): boolean {
    if (this.m.functionValue(node)) return true;
    if (node.type === AST_NODE_TYPES.ObjectExpression || node.type === AST_NODE_TYPES.Literal) return false;
    try {
      const tsNode = this.m.services.esTreeNodeToTSNodeMap.get(node);
      const type = this.m.checker.getTypeAtLocation(tsNode);
      return type.getCallSignatures().length > 0;
    } catch {
      return false;
    }
  }

  addOp(r: Resource, node: TSESTree.Node, op: Op): void {
    let list = r.ops.get(node);
    if (!list) {
      list = [];
      r.ops.set(node, list);
    }
    list.push(op);
  }

  private kill(r: Resource, node: TSESTree.Node, why: KillWhy, success = false): void {
    this.addOp(r, node, { t: 'kill', why, success });
  }

  /** `node` evaluates to the resource; record what happens to the value there. */
  private handleValue(r: Resource, node: TSESTree.Node, isCreation: boolean): void {
    const value = climbValue(node);
    const mc = methodCallOn(value);
    if (mc) {
      this.handleMethodCall(r, mc.call, mc.name, isCreation);
      return;
    }
    const p = value.parent;
    if (!p) return;
    switch (p.type) {
      case AST_NODE_TYPES.VariableDeclarator: {
        if (p.init !== value) return;
        if (p.id.type !== AST_NODE_TYPES.Identifier) return;
        const v = this.m.varOf.get(p.id);
        if (!v) return;
        r.aliases.add(v);
        const decl = p.parent;
        if (decl.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration) this.kill(r, p, 'escape');
        if (decl.kind === 'using' || decl.kind === 'await using') {
          r.disposed = true;
          this.kill(r, p, 'using');
        }
        return;
      }
      case AST_NODE_TYPES.AssignmentExpression: {
        if (p.right !== value) return;
        const left = unwrap(p.left);
        if (left.type === AST_NODE_TYPES.Identifier) {
          const v = this.m.varOf.get(left);
          if (!v) return;
          if (this.m.isLocalTo(v, r.ownerNode)) {
            r.aliases.add(v);
          } else {
            r.outerStore ??= { variable: v, assign: p };
            this.kill(r, p, 'escape', true);
          }
          return;
        }
        if (left.type === AST_NODE_TYPES.MemberExpression) {
          const name = thisMemberName(left);
          const cls = name !== undefined ? thisClass(p) : undefined;
          if (this.m.isSetter(left)) {
            // `this.socket = s` through a setter is a call: the setter takes it over.
            this.kill(r, p, 'escape');
            return;
          }
          if (name !== undefined && cls) {
            r.field ??= { name, cls, assign: p };
            // Stored on success (in a callback): other ways of settling must release it. Stored at once: the
            // object owns it from the start, and resolving without it is fine.
            if (enclosingFunction(p) !== r.ownerNode) this.markSuccess(r);
            this.kill(r, p, 'escape', true);
          } else {
            this.kill(r, p, 'escape');
          }
        }
        return;
      }
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.YieldExpression:
      case AST_NODE_TYPES.ExportDefaultDeclaration:
      case AST_NODE_TYPES.ExportSpecifier:
      case AST_NODE_TYPES.ThrowStatement:
        this.kill(r, value, 'escape');
        return;
      case AST_NODE_TYPES.ArrowFunctionExpression:
        if (p.body === value) this.kill(r, value, 'escape');
        return;
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.NewExpression:
        if (p.arguments.includes(value as TSESTree.CallExpressionArgument)) {
          this.handleArgument(r, p, p.arguments.indexOf(value as TSESTree.CallExpressionArgument), value);
        }
        return;
      case AST_NODE_TYPES.ArrayExpression:
      case AST_NODE_TYPES.SpreadElement:
      case AST_NODE_TYPES.Property:
        if (p.type === AST_NODE_TYPES.Property && p.value !== value) return;
        this.handleLiteralElement(r, value);
        return;
      case AST_NODE_TYPES.ExpressionStatement:
        if (isCreation) r.discarded = true;
        return;
      case AST_NODE_TYPES.MemberExpression: {
        // `s.onclose = fn` registers a listener.
        const name = propertyName(p);
        const gp = p.parent;
        if (
          name?.startsWith('on') &&
          gp?.type === AST_NODE_TYPES.AssignmentExpression &&
          gp.left === p &&
          this.m.functionValue(gp.right)
        ) {
          r.registrations.push({
            event: name.slice(2),
            fnNode: gp.right,
            fn: this.m.functionValue(gp.right),
            once: false,
            via: 'listener',
            call: gp,
          });
        }
        return;
      }
      default:
        return;
    }
  }

  /** `value` is an element of an array/object literal. */
  private handleLiteralElement(r: Resource, value: TSESTree.Node): void {
    let lit: TSESTree.Node = value;
    while (
      lit.parent &&
      (lit.parent.type === AST_NODE_TYPES.ArrayExpression ||
        lit.parent.type === AST_NODE_TYPES.SpreadElement ||
        lit.parent.type === AST_NODE_TYPES.Property ||
        lit.parent.type === AST_NODE_TYPES.ObjectExpression)
    ) {
      lit = lit.parent;
    }
    const outer = climbValue(lit);
    const q = outer.parent;
    if (q?.type === AST_NODE_TYPES.VariableDeclarator && q.init === outer && q.id.type === AST_NODE_TYPES.Identifier) {
      const v = this.m.varOf.get(q.id);
      if (v && outer.type === AST_NODE_TYPES.ArrayExpression) {
        r.containers.add(v);
        return;
      }
    }
    if (
      q &&
      (q.type === AST_NODE_TYPES.CallExpression || q.type === AST_NODE_TYPES.NewExpression) &&
      q.arguments.includes(outer as TSESTree.CallExpressionArgument)
    ) {
      this.handleArgument(r, q, q.arguments.indexOf(outer as TSESTree.CallExpressionArgument), outer);
      return;
    }
    this.kill(r, outer, 'escape');
  }

  private handleMethodCall(r: Resource, call: TSESTree.CallExpression, name: string, isCreation: boolean): void {
    const kind = r.kind;
    const args = call.arguments;
    if (kind.releases.has(name)) {
      if (!(name === kind.gracefulRelease && name === 'end' && !this.options.endIsRelease)) {
        this.kill(r, call, 'release');
        // `s?.destroy()`: the short-circuit path has no socket to release.
        const chain = call.parent?.type === AST_NODE_TYPES.ChainExpression ? call.parent : undefined;
        if (chain) this.kill(r, chain, 'release');
      }
      return;
    }
    if (LISTENER_METHODS.has(name)) {
      const event = stringValue(args[0]);
      const fnNode = args[1];
      if (fnNode) {
        r.registrations.push({
          event,
          fnNode,
          fn: this.m.functionValue(fnNode),
          once: ONCE_LISTENER_METHODS.has(name),
          via: 'listener',
          call,
        });
      }
      if (kind.isServer && event !== undefined && SERVER_HANDLER_EVENTS.has(event)) r.exempt ??= 'server-handler';
      this.handleValue(r, call, isCreation);
      return;
    }
    if (name === 'setTimeout' && kind.isStream) {
      const fnNode = args[1];
      if (fnNode) {
        r.registrations.push({ event: 'timeout', fnNode, fn: this.m.functionValue(fnNode), once: true, via: 'listener', call });
      } else {
        const ms = args[0];
        const zero = ms?.type === AST_NODE_TYPES.Literal && ms.value === 0;
        if (!zero) r.idleTimeouts.push(call);
      }
      this.handleValue(r, call, isCreation);
      return;
    }
    if (name === 'pipe') return;
    for (const arg of args) {
      const fn = this.m.functionValue(arg);
      if (fn) r.registrations.push({ event: name, fnNode: arg, fn, once: true, via: 'callback', call });
    }
    // Methods returning the socket itself keep the chain going (`connect().setNoDelay().on(...)`).
    if (this.m.returnsSameSocket(call, kind)) this.handleValue(r, call, isCreation);
  }

  /** The socket (or a literal holding it) is argument `index` of `call`. */
  private handleArgument(
    r: Resource,
    call: TSESTree.CallExpression | TSESTree.NewExpression,
    index: number,
    value: TSESTree.Node,
  ): void {
    const node = value;
    if (call.type === AST_NODE_TYPES.NewExpression) {
      this.kill(r, node, 'escape');
      return;
    }
    const callee = unwrap(call.callee);
    const name = dottedName(callee);
    const member = callee.type === AST_NODE_TYPES.MemberExpression ? callee : undefined;
    const method = member ? propertyName(member) : undefined;
    if (method === 'pipe' && index === 0) {
      this.kill(r, node, 'escape');
      return;
    }
    if (name && PIPELINE_CALLEES.has(name)) {
      this.kill(r, node, 'escape');
      return;
    }
    // resolve(socket) / callback(null, socket): handed to the caller on success.
    if (callee.type === AST_NODE_TYPES.Identifier) {
      const v = this.m.varOf.get(callee);
      if (v) {
        const ex = this.m.executorOf(v);
        if (ex?.role === 'resolve') {
          this.markSuccess(r, ex.executor);
          this.kill(r, node, 'escape', true);
          return;
        }
        if (this.m.isParameter(v) && !this.m.functionOf(v) && index > 0 && contains(this.paramOwner(v) ?? call, r.report)) {
          r.successHandoff = true;
          r.settleFns.add(v);
          this.kill(r, node, 'escape', true);
          return;
        }
        const fn = this.m.functionOf(v);
        if (fn) {
          const effect = this.m.parameterEffect(fn, index);
          if (effect === 'release') this.kill(r, node, 'release');
          else if (effect === 'escape') this.kill(r, node, 'escape');
          return;
        }
      }
    }
    if (name && NON_OWNING_CALLEES.has(name)) return;
    if (method && /^(is|has)[A-Z]/.test(method)) return;
    if (callee.type === AST_NODE_TYPES.Identifier && /^(is|has)[A-Z]/.test(callee.name)) return;
    if (member && method && CONTAINER_ADD.has(method)) {
      const obj = unwrap(member.object);
      const v = obj.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(obj) : undefined;
      if (v && this.m.isLocalTo(v, r.ownerNode) && !this.m.isParameter(v)) {
        r.containers.add(v);
        return;
      }
    }
    this.kill(r, node, 'escape');
  }

  /** The socket is handed to the caller on success; every other way the operation settles must release it. */
  private markSuccess(r: Resource, executor?: FunctionNode): void {
    r.successHandoff = true;
    let fn: TSESTree.Node | undefined = executor ?? (isFunction(r.ownerNode) ? r.ownerNode : undefined);
    // The nearest enclosing Promise executor.
    while (fn && !executor) {
      if (isFunction(fn) && fn.parent?.type === AST_NODE_TYPES.NewExpression && fn.parent.arguments[0] === fn) {
        const callee = fn.parent.callee;
        if (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'Promise') break;
      }
      fn = fn.parent;
    }
    if (!fn || !isFunction(fn)) return;
    for (const param of fn.params.slice(0, 2)) {
      if (param.type !== AST_NODE_TYPES.Identifier) continue;
      const v = this.m.varOf.get(param);
      if (v) r.settleFns.add(v);
    }
  }

  private paramOwner(v: Variable): TSESTree.Node | undefined {
    const def = v.defs[0];
    return def ? (def.node) : undefined;
  }

  /** A reference to a local collection that holds the socket. */
  private handleContainerRef(r: Resource, id: TSESTree.Identifier): void {
    const value = climbValue(id);
    const p = value.parent;
    if (!p) return;
    if (p.type === AST_NODE_TYPES.ForOfStatement && p.right === value) {
      // for (const s of sockets) / for (const [key, s] of map)
      if (this.loopReleases(p, this.isMapLike(id) ? 1 : undefined)) this.kill(r, p, 'container');
      return;
    }
    const mc = methodCallOn(value);
    if (mc && (mc.name === 'values' || mc.name === 'entries')) {
      // for (const s of map.values()) / for (const [key, s] of map.entries())
      const loop = climbValue(mc.call).parent;
      if (loop?.type === AST_NODE_TYPES.ForOfStatement && loop.right === climbValue(mc.call)) {
        if (this.loopReleases(loop, mc.name === 'entries' ? 1 : undefined)) this.kill(r, loop, 'container');
      }
      return;
    }
    if (mc) {
      if (CONTAINER_ITERATE.has(mc.name)) {
        const fn = this.m.functionValue(mc.call.arguments[0]);
        if (fn && this.m.parameterEffect(fn, mc.name === 'reduce' ? 1 : 0) !== 'borrow') this.kill(r, mc.call, 'container');
        return;
      }
      if (CONTAINER_TAKE.has(mc.name)) {
        const taken = methodCallOn(climbValue(mc.call));
        if (taken && ANY_RELEASE.has(taken.name)) this.kill(r, taken.call, 'container');
        return;
      }
      return;
    }
    if (p.type === AST_NODE_TYPES.MemberExpression && p.object === value && p.computed) {
      // socks[i].end()
      const taken = methodCallOn(climbValue(p));
      if (taken && ANY_RELEASE.has(taken.name)) this.kill(r, taken.call, 'container');
      return;
    }
    if (
      p.type === AST_NODE_TYPES.ReturnStatement ||
      p.type === AST_NODE_TYPES.YieldExpression ||
      (p.type === AST_NODE_TYPES.ArrowFunctionExpression && p.body === value) ||
      ((p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) &&
        p.arguments.includes(value as TSESTree.CallExpressionArgument)) ||
      (p.type === AST_NODE_TYPES.AssignmentExpression && p.right === value) ||
      p.type === AST_NODE_TYPES.Property ||
      p.type === AST_NODE_TYPES.ArrayExpression ||
      p.type === AST_NODE_TYPES.SpreadElement
    ) {
      if (p.type === AST_NODE_TYPES.CallExpression) {
        const name = dottedName(p.callee);
        if (name && NON_OWNING_CALLEES.has(name)) return;
      }
      this.kill(r, value, 'escape');
    }
  }

  /** Does the loop variable (or element `index` of a destructured one) get released in the body? */
  private loopReleases(loop: TSESTree.ForOfStatement, index: number | undefined): boolean {
    const left = loop.left;
    let target: TSESTree.Node | undefined | null = left.type === AST_NODE_TYPES.VariableDeclaration ? left.declarations[0]?.id : left;
    if (target?.type === AST_NODE_TYPES.ArrayPattern) target = target.elements[index ?? 0];
    else if (index !== undefined) return false;
    if (target?.type !== AST_NODE_TYPES.Identifier) return false;
    const v = this.m.varOf.get(target);
    return !!v && this.m.variableEffect(v, loop) !== 'borrow';
  }

  /** Is this collection a Map (entries are [key, value] pairs)? */
  private isMapLike(id: TSESTree.Identifier): boolean {
    try {
      const v = this.m.varOf.get(id);
      const decl = v?.identifiers[0];
      if (!decl) return false;
      const type = this.m.checker.getTypeAtLocation(this.m.services.esTreeNodeToTSNodeMap.get(decl));
      const name = type.getSymbol()?.getName();
      return name === 'Map' || name === 'ReadonlyMap';
    } catch {
      return false;
    }
  }

  // ---------------------------------------------------------------- callbacks

  /**
   * A function that releases or hands off the socket on some path takes it over where the function value is
   * handed somewhere (a listener, a timer, a promise callback) or called. Records those points as kills.
   */
  private addDelegations(r: Resource): void {
    const directKills: TSESTree.Node[] = [];
    for (const [node, ops] of r.ops) if (ops.some((o) => o.t === 'kill')) directKills.push(node);
    const memo = new Map<FunctionNode, boolean>();
    const releasesInside = (fn: FunctionNode, depth: number): boolean => {
      const known = memo.get(fn);
      if (known !== undefined) return known;
      memo.set(fn, false);
      let result = directKills.some((n) => contains(fn, n) && n !== fn);
      if (!result && depth < 6) {
        // Calls of local functions inside fn.
        for (const callee of this.localCallees(fn)) {
          if (callee !== fn && releasesInside(callee, depth + 1)) {
            result = true;
            break;
          }
        }
      }
      memo.set(fn, result);
      return result;
    };
    r.releasesInside = (fn) => releasesInside(fn, 0);
    const excluded = new Set<TSESTree.Node>();
    for (const reg of r.registrations) {
      if (reg.via === 'listener' && (reg.event === 'close' || reg.event === 'error')) excluded.add(reg.fnNode);
    }
    // Function values in the owner's subtree.
    const visit = (node: TSESTree.Node): void => {
      const fn = this.m.functionValue(node);
      if (fn && node.type !== AST_NODE_TYPES.FunctionDeclaration) {
        const value = climbValue(node);
        const p = value.parent;
        let position: 'pass' | 'call' | undefined;
        if (p) {
          if ((p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) && p.arguments.includes(value as TSESTree.CallExpressionArgument)) position = 'pass';
          else if (p.type === AST_NODE_TYPES.CallExpression && p.callee === value) position = 'call';
          else if (p.type === AST_NODE_TYPES.AssignmentExpression && p.right === value && unwrap(p.left).type === AST_NODE_TYPES.MemberExpression) position = 'pass';
          else if (p.type === AST_NODE_TYPES.ReturnStatement || p.type === AST_NODE_TYPES.Property || p.type === AST_NODE_TYPES.ArrayExpression) position = 'pass';
          else if (p.type === AST_NODE_TYPES.ArrowFunctionExpression && p.body === value) position = 'pass';
        }
        if (position && !excluded.has(node) && releasesInside(fn, 0)) {
          if (position === 'call') this.kill(r, p as TSESTree.Node, 'release');
          // Handed to a call (a listener, a timer, the creation's own callback): taken over when the call runs.
          else if (p && (p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression)) this.kill(r, p, 'delegate');
          else if (p?.type === AST_NODE_TYPES.AssignmentExpression) this.kill(r, p, 'delegate');
          else this.kill(r, node, 'delegate');
        }
      }
      if (node.type === AST_NODE_TYPES.CallExpression) {
        // A call of a local function, or of a `this`/`self` method, that releases the socket.
        const callee =
          unwrap(node.callee).type === AST_NODE_TYPES.Identifier ? this.m.functionValue(node.callee) : this.m.methodOf(node.callee);
        if (callee && !contains(callee, node) && releasesInside(callee, 0)) this.kill(r, node, 'release');
      }
    };
    walkAst(r.ownerNode, this.m.sourceCode.visitorKeys, visit);
  }

  private readonly calleesCache = new Map<FunctionNode, FunctionNode[]>();

  private localCallees(fn: FunctionNode): FunctionNode[] {
    let list = this.calleesCache.get(fn);
    if (list) return list;
    list = [];
    const found = list;
    walkAst(fn, this.m.sourceCode.visitorKeys, (n) => {
      if (n.type === AST_NODE_TYPES.CallExpression) {
        const callee = this.m.functionValue(n.callee) ?? this.m.methodOf(n.callee);
        if (callee) found.push(callee);
      }
    });
    this.calleesCache.set(fn, list);
    return list;
  }
}
