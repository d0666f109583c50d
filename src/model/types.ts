import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import * as ts from 'typescript';
import {
  calleeMember,
  propertyName,
  thisClass,
  thisOwner,
  thisMemberName,
  unwrap,
  thisOf,
  recordStringTypes,
} from '../engine/ast';
import { recover, isStrict } from '../engine/strict';
import type { ResourceKind } from '../kinds/kind';
import type { KindRegistry } from '../kinds/registry';
import { Bindings, isTypeOnlyImport, type Services, type Variable } from './bindings';
import type { FlowRecorder } from '../engine/flow';
// The enums as module constants: `ts.X` reads go through the typescript module's export getters.
const { SymbolFlags, SyntaxKind, TypeFlags, TypePredicateKind } = ts;

const DefinitionType = TSESLint.Scope.DefinitionType;
/** A branch that is `null` or `undefined`: it adds no member to the union that a kind would count. */
const NULLISH = Symbol('nullish');

/** The source files of a symbol's declarations (a symbol belongs to one program: cached by symbol). */
const declarationFiles = new WeakMap<ts.Symbol, readonly ts.SourceFile[]>();

/**
 * Does parameter `index` of the signature `call` resolves to take a function (its type, `undefined` aside, or a member
 * of its union has a call signature)? Where an untyped (`any`) argument stands, that tells a handler from a value.
 */
export function parameterTakesFunction(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression, index: number): boolean {
  const param = checker.getResolvedSignature(call)?.getParameters()[index];
  const type = param && checker.getNonNullableType(checker.getTypeOfSymbol(param));
  return !!type && (type.isUnion() ? type.types : [type]).some((t) => t.getCallSignatures().length > 0);
}

export function filesOf(symbol: ts.Symbol): readonly ts.SourceFile[] {
  let files = declarationFiles.get(symbol);
  if (!files) {
    files = (symbol.declarations ?? []).map((d) => d.getSourceFile());
    declarationFiles.set(symbol, files);
  }
  return files;
}

/**
 * The class whose `this` a `this.x` member reads, and on which side: static (a static member or block) or
 * instance. Undefined outside a class member (a plain function's `this`), or for a non-`this` member.
 */
function thisSide(member: TSESTree.MemberExpression): { cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression; isStatic: boolean } | undefined {
  if (!thisOf(member.object)) return undefined;
  const cls = thisClass(member);
  if (!cls) return undefined;
  let el: TSESTree.Node | undefined = member;
  while (el && el.parent !== cls.body) el = el.parent;
  if (!el) return undefined;
  return { cls, isStatic: el.type === AST_NODE_TYPES.StaticBlock || ('static' in el && el.static === true) };
}

/** A member key as a field name: `x` for an identifier, `#x` for a private name; undefined for anything else. */
function memberKeyName(key: TSESTree.Node): string | undefined {
  if (key.type === AST_NODE_TYPES.Identifier) return key.name;
  if (key.type === AST_NODE_TYPES.PrivateIdentifier) return `#${key.name}`;
  return undefined;
}

/**
 * No JSDoc tag on any of these nodes that could give a type: in a JavaScript file a tag may; in TypeScript none does
 * (TypeScript reads types from JSDoc only in JavaScript), so there the tags are not looked up.
 */
function withoutJSDocTags(...nodes: ts.Node[]): boolean {
  return nodes.every((node) => (node.flags & ts.NodeFlags.JavaScriptFile) === 0 || ts.getJSDocTags(node).every(typesNothing));
}

/**
 * Tags that give no type to a parameter or to a variable declared without initialiser: a `@param` without `{type}`,
 * `@returns` and `@throws` (the function's result), descriptions and markers (`@deprecated`, `@see`, `@private`,
 * `@example` and other unknown tags), and declarations of other types (`@typedef`, `@callback`, `@template`,
 * `@this`). Anything else — `@type`, `@satisfies`, `@overload`, `@enum`, a typed `@param` — may type it.
 */
function typesNothing(tag: ts.JSDocTag): boolean {
  switch (tag.kind) {
    case ts.SyntaxKind.JSDocParameterTag:
      return !(tag as ts.JSDocParameterTag).typeExpression;
    case ts.SyntaxKind.JSDocTag:
    case ts.SyntaxKind.JSDocReturnTag:
    case ts.SyntaxKind.JSDocThrowsTag:
    case ts.SyntaxKind.JSDocDeprecatedTag:
    case ts.SyntaxKind.JSDocSeeTag:
    case ts.SyntaxKind.JSDocAuthorTag:
    case ts.SyntaxKind.JSDocPrivateTag:
    case ts.SyntaxKind.JSDocPublicTag:
    case ts.SyntaxKind.JSDocProtectedTag:
    case ts.SyntaxKind.JSDocReadonlyTag:
    case ts.SyntaxKind.JSDocOverrideTag:
    case ts.SyntaxKind.JSDocTypedefTag:
    case ts.SyntaxKind.JSDocCallbackTag:
    case ts.SyntaxKind.JSDocTemplateTag:
    case ts.SyntaxKind.JSDocThisTag:
      return true;
    default:
      return false;
  }
}

/** Declared return types of generators and iterators (no promise: awaiting one gives it back). */
const ITERATOR_TYPES = /^(Async)?(Generator|Iterable|IterableIterator|Iterator)$/;

/** Types that are no promise for sure: primitives, their literals, `void`, `undefined`, `null`, `never`. */
const PLAIN_VALUE =
  TypeFlags.BooleanLike | TypeFlags.NumberLike | TypeFlags.StringLike | TypeFlags.BigIntLike | TypeFlags.Void | TypeFlags.Undefined | TypeFlags.Null | TypeFlags.Never;

/**
 * Layer 2 of the file model: types. The kind of an expression, read from declared types (never from the
 * flow-narrowed type of a reference), and the declared signatures of methods.
 */
export class TypeQueries extends Bindings {
  readonly checker: ts.TypeChecker;
  /** Every release method name of every kind (for parameters and collection elements of unknown kind). */
  readonly anyRelease: ReadonlySet<string>;
  /** Every method name that some kind declares as creating a new resource (`duplicate()`). */
  readonly creatingMethods: ReadonlySet<string>;
  /** Every method name that some kind declares in `callbackCreates` (`pool.connect(cb)`): a screen before types. */
  readonly callbackCreatingMethods: ReadonlySet<string>;
  private readonly typeKindCache = new Map<TSESTree.Node, ResourceKind | null>();

  constructor(sourceCode: TSESLint.SourceCode, services: Services, recorder: FlowRecorder, readonly registry: KindRegistry) {
    super(sourceCode, services, recorder);
    this.checker = services.program.getTypeChecker();
    this.anyRelease = registry.anyRelease;
    this.creatingMethods = registry.creatingMethods;
    this.callbackCreatingMethods = registry.callbackCreatingMethods;
    recordStringTypes(sourceCode.ast, (node) => this.stringLiteralType(node));
  }

  /** The value of the one string literal type of a name or property read (a string enum member's too), else undefined. */
  private stringLiteralType(node: TSESTree.Node): string | undefined {
    try {
      const t = this.checker.getTypeAtLocation(this.services.esTreeNodeToTSNodeMap.get(node));
      return t.isStringLiteral() ? t.value : undefined;
    } catch (error) {
      return recover(error, undefined);
    }
  }

  /** Kind of the value of an expression node, by its type. */
  kindOfNode(node: TSESTree.Node): ResourceKind | undefined {
    const cached = this.typeKindCache.get(node);
    if (cached !== undefined) return cached ?? undefined;
    const cheap = this.cheapKind(node);
    if (cheap !== undefined) {
      // Tests and the fuzzer (SOCKET_CLOSE_STRICT) check every cheap answer against the type checker's.
      if (isStrict()) {
        const full = this.kindOfNodeByType(node) ?? null;
        // A node typed `any` where its declaration has a type: TypeScript gave up on a circular inference there
        // (a JavaScript getter returning a field assigned through its own setter); the declaration's is kept.
        if (full !== cheap && !(full === null && this.isAnyAt(node))) {
          throw new Error(`socket-close: cheap kind ${cheap?.name ?? 'none'} ≠ type kind ${full?.name ?? 'none'} at ${this.sourceCode.getText(node)}`);
        }
      }
      this.typeKindCache.set(node, cheap);
      return cheap ?? undefined;
    }
    const result = this.kindOfNodeByType(node);
    const member = unwrap(node);
    if (member.type === AST_NODE_TYPES.MemberExpression) {
      const key = this.thisFieldKey(member);
      if (key) this.fieldKindCache.set(key, this.viaPropertySymbol.has(member) ? (result ?? null) : undefined);
    }
    return result;
  }

  /**
   * Is argument `index` of `call` a function to call back (`createServer(handler)`, `channel.consume(queue,
   * handler)`)? A function value (also `fn.bind(this)`), or a value typed callable; an untyped value (a handler its
   * caller hands in, `createServer(aedes.handle)` of an untyped library) only where the called signature's parameter
   * takes a function (`new Redis(host)` with an `any` host is given no handler).
   */
  isHandlerArgument(call: TSESTree.CallExpression | TSESTree.NewExpression, node: TSESTree.Node, index: number): boolean {
    if (this.functionValue(node)) return true;
    const u = unwrap(node);
    if (u.type === AST_NODE_TYPES.CallExpression && unwrap(u.callee).type === AST_NODE_TYPES.MemberExpression && propertyName(unwrap(u.callee) as TSESTree.MemberExpression) === 'bind') return true;
    if (u.type === AST_NODE_TYPES.ObjectExpression || u.type === AST_NODE_TYPES.Literal || u.type === AST_NODE_TYPES.TemplateLiteral || u.type === AST_NODE_TYPES.SpreadElement) return false;
    try {
      const tsNode = this.services.esTreeNodeToTSNodeMap.get(u);
      if (!tsNode) return false;
      const type = this.checker.getTypeAtLocation(tsNode);
      if (type.getCallSignatures().length > 0) return true;
      if (!(type.flags & TypeFlags.Any)) return false;
      return parameterTakesFunction(this.checker, this.services.esTreeNodeToTSNodeMap.get(call) as ts.CallExpression | ts.NewExpression, index);
    } catch (error) {
      return recover(error, false);
    }
  }

  private isAnyAt(node: TSESTree.Node): boolean {
    const tsNode = this.services.esTreeNodeToTSNodeMap.get(node);
    return !!tsNode && (this.checker.getTypeAtLocation(tsNode).flags & TypeFlags.Any) !== 0;
  }

  /** Declared types of `this.x` by class, static side and name (see {@link declaredType}). */
  private readonly fieldTypes = new Map<string, ts.Type>();
  /** `this.x` kinds by class, static side and name, when read from the property's symbol (the same in every method). */
  private readonly fieldKindCache = new Map<string, ResourceKind | null | undefined>();
  /** Member nodes whose kind came from their property symbol's type (not from the node's own type). */
  private readonly viaPropertySymbol = new WeakSet<TSESTree.Node>();
  private readonly classIds = new Map<TSESTree.Node, number>();

  /** `<class>:<static>:<name>` for a non-computed `this.name` (not `#name`) inside a class member, else undefined. */
  private thisFieldKey(member: TSESTree.MemberExpression): string | undefined {
    if (member.computed || member.property.type !== AST_NODE_TYPES.Identifier) return undefined;
    const side = thisSide(member);
    if (!side) return undefined;
    const { cls, isStatic } = side;
    let id = this.classIds.get(cls);
    if (id === undefined) {
      id = this.classIds.size;
      this.classIds.set(cls, id);
    }
    return `${id}:${String(isStatic)}:${member.property.name}`;
  }

  /**
   * The kind of a node when something cheaper than its type decides, or undefined (ask the checker):
   * - a declaration whose annotation is a keyword, literal, function or object-literal type: no kind (no such
   *   type has a symbol that a kind binds);
   * - a declaration annotated with a class or interface name: the kind of that class or interface (the kind of
   *   `Foo<A>` is decided by `Foo`'s symbol and base types, which its type arguments do not change), without
   *   instantiating the annotation's type arguments;
   * - `this.x` seen before in the same class member kind (instance or static): its property's kind.
   */
  private cheapKind(node: TSESTree.Node): ResourceKind | null | undefined {
    try {
      const n = unwrap(node);
      if (n.type === AST_NODE_TYPES.MemberExpression) {
        const key = this.thisFieldKey(n);
        const known = key ? this.fieldKindCache.get(key) : undefined;
        if (known !== undefined) return known;
        const annotation = this.fieldAnnotation(n);
        const kind = annotation ? this.typeNodeKind(annotation, false) : undefined;
        if (key && kind !== undefined) this.fieldKindCache.set(key, kind);
        return kind;
      }
      if (n.type === AST_NODE_TYPES.CallExpression) return this.cheapCallKind(n);
      if (n.type !== AST_NODE_TYPES.Identifier) return undefined;
      const v = this.varOf.get(n);
      if (!v || v.identifiers[0] !== n) return undefined;
      const def = v.defs[0];
      if (def?.type === DefinitionType.ImportBinding && def.name === n) {
        // A type-only import's binding has the type itself at its location (the checker's rule): asked in full.
        return isTypeOnlyImport(def) ? undefined : this.importedKind(n);
      }
      const annotation = n.typeAnnotation?.typeAnnotation;
      if (!annotation) {
        if (def?.type === DefinitionType.Parameter && this.isUntypedParameter(n, def.node)) return null;
        if (def?.type === DefinitionType.Variable && def.node.id === n && !def.node.init && this.isAutoTyped(def.node)) return null;
        const jsDoc = def?.type === DefinitionType.Parameter || (def?.type === DefinitionType.Variable && !def.node.init) ? this.jsDocDeclaredKind(n) : undefined;
        if (jsDoc !== undefined) return jsDoc;
        const loop = def?.type === DefinitionType.Variable && def.node.id === n ? def.parent?.parent : undefined;
        if (loop?.type === AST_NODE_TYPES.ForOfStatement && loop.left === def?.parent) return this.forOfElementKind(loop);
        if (def?.type !== DefinitionType.Variable || def.node.id !== n || !def.node.init) return undefined;
        return this.initialiserKind(def.node.init, 0);
      }
      return this.typeNodeKind(this.services.esTreeNodeToTSNodeMap.get(annotation) as ts.TypeNode, false);
    } catch (error) {
      return recover(error, undefined);
    }
  }

  /** Does the type (or its apparent type) have a member of this name; undefined for `any`, `unknown` or `never`. */
  typeHasMember(type: ts.Type, name: string): boolean | undefined {
    if (type.flags & (TypeFlags.Any | TypeFlags.Unknown | TypeFlags.Never)) return undefined;
    return !!type.getProperty(name) || !!this.checker.getApparentType(type).getProperty(name);
  }

  /**
   * The kind of a call of an imported function, or of a function member of an imported module or namespace
   * (`net.connect(port, host)`, `createServer(handler)`), from the callee's declared signatures when they all return
   * the same kind (or none) without type parameters: no overload is resolved, so the arguments' types (flow-narrowed
   * references, which deep inside a very long function reach TypeScript's depth limit) are never asked. Undefined:
   * ask the checker.
   */
  private cheapCallKind(call: TSESTree.CallExpression): ResourceKind | null | undefined {
    const callee = unwrap(call.callee);
    let symbol: ts.Symbol | undefined;
    const imported = (id: TSESTree.Identifier): boolean => this.varOf.get(id)?.defs[0]?.type === DefinitionType.ImportBinding;
    if (callee.type === AST_NODE_TYPES.Identifier) {
      if (!imported(callee)) return undefined;
      symbol = this.nameSymbol(callee);
    } else if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed && callee.property.type === AST_NODE_TYPES.Identifier) {
      const object = unwrap(callee.object);
      if (object.type !== AST_NODE_TYPES.Identifier || !imported(object)) return undefined;
      const module = this.nameSymbol(object);
      // A namespace or module object (`import * as net`, a default import of a CommonJS module); not a class or an
      // instance, whose method's `this` type may decide its return.
      if (!module || !(module.flags & (SymbolFlags.ValueModule | SymbolFlags.NamespaceModule))) return undefined;
      symbol = this.checker.getTypeOfSymbol(module).getProperty(callee.property.name);
    }
    if (!symbol || !(symbol.flags & SymbolFlags.Function)) return undefined;
    const cache = this.registry.callKinds;
    if (cache.has(symbol)) return cache.get(symbol);
    let found: ResourceKind | null | undefined;
    for (const sig of this.checker.getTypeOfSymbol(symbol).getCallSignatures()) {
      const decl = sig.getDeclaration() as ts.SignatureDeclaration | undefined;
      if (sig.typeParameters?.length || !decl?.type) {
        found = undefined;
        break;
      }
      const kind = this.registry.kindOf(this.checker.getReturnTypeOfSignature(sig)) ?? null;
      if (found !== undefined && found !== kind) {
        found = undefined;
        break;
      }
      found = kind;
    }
    cache.set(symbol, found);
    return found;
  }

  /**
   * In JavaScript, a parameter or variable declared by its name alone (no destructuring, not rest) whose JSDoc gives
   * its type (`@param {net.Socket} sock`, `@type {Redis}`): that type node is its declared type (TypeScript's
   * effective annotation; an optional parameter only adds `undefined`), decided by {@link typeNodeKind} when its
   * syntax and symbols decide. Undefined: ask the checker.
   */
  private jsDocDeclaredKind(id: TSESTree.Identifier): ResourceKind | null | undefined {
    const tsId = this.services.esTreeNodeToTSNodeMap.get(id);
    const decl = tsId?.parent;
    if (!decl || !(decl.flags & ts.NodeFlags.JavaScriptFile)) return undefined;
    if (!(ts.isParameter(decl) || ts.isVariableDeclaration(decl)) || decl.name !== tsId) return undefined;
    if (ts.isParameter(decl)) {
      // A callback written inline (`on('data', (chunk) => …)`) is typed by its context; JSDoc there is rare, and
      // looking for it costs more than the rare answer saves.
      const fn = decl.parent;
      if (decl.dotDotDotToken || ((ts.isArrowFunction(fn) || ts.isFunctionExpression(fn)) && fn.parent && (ts.isCallExpression(fn.parent) || ts.isNewExpression(fn.parent)))) return undefined;
    }
    const typeNode = ts.getJSDocType(decl);
    return typeNode ? this.typeNodeKind(typeNode, false) : undefined;
  }

  /**
   * The kind of an unannotated variable's initialiser when its syntax decides it: `new C(…)` of a class declaration
   * (or of a constructor variable whose construct signatures return one interface: `new Map()`) has the kind of
   * `C` whatever its type arguments; `c ? a : b` has the branches' kind when every branch decides: null and
   * `undefined` do not count, primitives, object literals and functions have no kind; all branches without a kind
   * make it kindless, all of one kind make it that kind (a union only loses members to subtype reduction), any
   * other mix is left to the checker. Undefined: ask the checker.
   */
  private initialiserKind(init: TSESTree.Node, depth: number): ResourceKind | null | undefined {
    if (init.type === AST_NODE_TYPES.NewExpression) {
      const created = this.newlyCreatedClass(init);
      return created ? (this.registry.kindOf(this.checker.getDeclaredTypeOfSymbol(created)) ?? null) : undefined;
    }
    // `const s = net.connect(port, host)`: the imported function's declared signatures.
    if (init.type === AST_NODE_TYPES.CallExpression) return this.cheapCallKind(init);
    if (init.type !== AST_NODE_TYPES.ConditionalExpression || depth > 4) return undefined;
    let found: ResourceKind | null = null;
    let kindless = false;
    for (const branch of [init.consequent, init.alternate]) {
      const k = this.branchKind(branch, depth);
      if (k === undefined) return undefined;
      if (k === NULLISH) continue;
      if (k === null) kindless = true;
      else if (found && found !== k) return undefined;
      else found = k;
    }
    if (found && kindless) return undefined;
    return found;
  }

  private branchKind(branch: TSESTree.Node, depth: number): ResourceKind | null | undefined | typeof NULLISH {
    switch (branch.type) {
      case AST_NODE_TYPES.Literal:
        return this.isNullOrUndefined(branch) ? NULLISH : null;
      case AST_NODE_TYPES.Identifier:
        return this.isNullOrUndefined(branch) ? NULLISH : undefined;
      case AST_NODE_TYPES.ObjectExpression:
      case AST_NODE_TYPES.ArrowFunctionExpression:
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.TemplateLiteral:
        return null;
      case AST_NODE_TYPES.NewExpression:
      case AST_NODE_TYPES.ConditionalExpression:
        return this.initialiserKind(branch, depth + 1);
      default: {
        const tsNode = this.services.esTreeNodeToTSNodeMap.get(branch) as ts.Expression | undefined;
        return tsNode && isPrimitiveExpression(tsNode, false) ? null : undefined;
      }
    }
  }

  /**
   * The type annotation of the declaration that `this.<name>` reads, when the class body declares it itself: one
   * property (or constructor parameter property) of that name on the same side (instance or static), annotated,
   * and no method or accessor of that name. Its type is the property's declared type, found without checking the
   * member expression (which would narrow it through the method's control flow). Undefined otherwise.
   */
  fieldAnnotation(member: TSESTree.MemberExpression): ts.TypeNode | undefined {
    if (member.computed) return undefined;
    const name = memberKeyName(member.property);
    const side = name === undefined ? undefined : thisSide(member);
    if (!side) return undefined;
    const annotation = this.classFieldAnnotations(side.cls).get(`${side.isStatic ? 's' : 'i'}:${name}`);
    return annotation ? (this.services.esTreeNodeToTSNodeMap.get(annotation) as ts.TypeNode | undefined) : undefined;
  }

  private readonly fieldAnnotations = new Map<TSESTree.Node, Map<string, TSESTree.TypeNode | null>>();

  /**
   * `<side>:<name>` → the annotation of the class body's one declaration of that field, or null (declared twice,
   * without annotation, or also a method or accessor). Names the class does not declare are absent. One pass per
   * class.
   */
  private classFieldAnnotations(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): Map<string, TSESTree.TypeNode | null> {
    let out = this.fieldAnnotations.get(cls);
    if (out) return out;
    const fields = new Map<string, TSESTree.TypeNode | null>();
    const declare = (key: string, annotation: TSESTree.TypeNode | undefined): void => {
      fields.set(key, fields.has(key) ? null : (annotation ?? null));
    };
    for (const m of cls.body.body) {
      switch (m.type) {
        case AST_NODE_TYPES.PropertyDefinition:
        case AST_NODE_TYPES.TSAbstractPropertyDefinition: {
          const name = m.computed ? undefined : memberKeyName(m.key);
          if (name !== undefined) declare(`${m.static ? 's' : 'i'}:${name}`, m.typeAnnotation?.typeAnnotation);
          break;
        }
        case AST_NODE_TYPES.MethodDefinition:
        case AST_NODE_TYPES.TSAbstractMethodDefinition:
          if (m.kind === 'constructor') {
            for (const p of m.value.params) {
              if (p.type !== AST_NODE_TYPES.TSParameterProperty) continue;
              const id = p.parameter.type === AST_NODE_TYPES.AssignmentPattern ? p.parameter.left : p.parameter;
              if (id.type === AST_NODE_TYPES.Identifier) declare(`i:${id.name}`, id.typeAnnotation?.typeAnnotation);
            }
          } else {
            const name = m.computed ? undefined : memberKeyName(m.key);
            if (name !== undefined) fields.set(`${m.static ? 's' : 'i'}:${name}`, null);
          }
          break;
        case AST_NODE_TYPES.AccessorProperty:
        case AST_NODE_TYPES.TSAbstractAccessorProperty: {
          const name = m.computed ? undefined : memberKeyName(m.key);
          if (name !== undefined) {
            fields.set(`s:${name}`, null);
            fields.set(`i:${name}`, null);
          }
          break;
        }
        default:
      }
    }
    out = fields;
    this.fieldAnnotations.set(cls, out);
    return out;
  }

  /**
   * The kind of the type a declared type node denotes (an annotation here, a declared return type anywhere in the
   * program), when its syntax and the symbols it names decide it, without resolving the type (a library's type
   * can be a deep instantiation of conditional types):
   * - a keyword, literal or function type: no kind (no such type has a symbol that a kind binds);
   * - a class or interface name: the kind of that class or interface (the kind of `Foo<A>` is decided by `Foo`'s
   *   symbol and base types, which its type arguments do not change), without instantiating type arguments;
   * - a non-generic type alias: the kind of the type it names;
   * - a union: the registry's union rule member by member (nullish members skipped; one member without a kind
   *   makes the union kindless; members of different kinds are left to the checker);
   * - a type literal or array type: the registry's rule for anonymous object types (no kind unless a binding names
   *   `__type` or `Array`); an intersection: the one kind among its members (all decided), none if none has one.
   * `awaited`: the kind of what awaiting a value of that type gives — decided only for `Promise<T>` (the global
   * one) and for classes and interfaces that are not thenable. Undefined: ask the checker.
   */
  typeNodeKind(node: ts.TypeNode, awaited: boolean, depth = 0): ResourceKind | null | undefined {
    if (depth > 4) return undefined;
    switch (node.kind) {
      case SyntaxKind.StringKeyword:
      case SyntaxKind.NumberKeyword:
      case SyntaxKind.BooleanKeyword:
      case SyntaxKind.BigIntKeyword:
      case SyntaxKind.SymbolKeyword:
      case SyntaxKind.AnyKeyword:
      case SyntaxKind.UnknownKeyword:
      case SyntaxKind.NeverKeyword:
      case SyntaxKind.VoidKeyword:
      case SyntaxKind.UndefinedKeyword:
      case SyntaxKind.ObjectKeyword:
      case SyntaxKind.NullKeyword:
      case SyntaxKind.LiteralType:
      case SyntaxKind.FunctionType:
        return null;
      case SyntaxKind.ParenthesizedType:
        return this.typeNodeKind((node as ts.ParenthesizedTypeNode).type, awaited, depth + 1);
      // JSDoc's own syntax (JavaScript): `*` and `?` are `any`; `function(…)` a function type; `?T`, `!T` and `T=`
      // are T with or without `null` / `undefined` (which no kind counts).
      case SyntaxKind.JSDocAllType:
      case SyntaxKind.JSDocUnknownType:
      case SyntaxKind.JSDocFunctionType:
        return null;
      case SyntaxKind.JSDocNullableType:
      case SyntaxKind.JSDocNonNullableType:
      case SyntaxKind.JSDocOptionalType:
        return this.typeNodeKind((node as ts.JSDocNullableType | ts.JSDocNonNullableType | ts.JSDocOptionalType).type, awaited, depth + 1);
      // `{ a: string }`, `Socket[]`: an anonymous object type, an `Array` — no kind unless a binding names them (the
      // registry's rule for mapped object types). A type literal may be thenable: awaited, left to the checker.
      case SyntaxKind.TypeLiteral:
      case SyntaxKind.ArrayType:
        return awaited ? undefined : this.registry.kindOfMappedObject();
      case SyntaxKind.IntersectionType: {
        // The registry gives an intersection the kind of a member that has one: decided when every member is and at
        // most one kind is among them.
        if (awaited) return undefined;
        let found: ResourceKind | null = null;
        for (const member of (node as ts.IntersectionTypeNode).types) {
          const k = this.typeNodeKind(member, false, depth + 1);
          if (k === undefined || (k && found && found !== k)) return undefined;
          if (k) found = k;
        }
        return found;
      }
      case SyntaxKind.UnionType: {
        let found: ResourceKind | undefined;
        let kindless = false;
        for (const member of (node as ts.UnionTypeNode).types) {
          // Nullish members do not count (and `never` is dropped from a union).
          if (member.kind === SyntaxKind.UndefinedKeyword || member.kind === SyntaxKind.VoidKeyword || member.kind === SyntaxKind.NeverKeyword || member.kind === SyntaxKind.NullKeyword) continue;
          if (member.kind === SyntaxKind.LiteralType && (member as ts.LiteralTypeNode).literal.kind === SyntaxKind.NullKeyword) continue;
          const k = this.typeNodeKind(member, awaited, depth + 1);
          if (k === undefined) return undefined;
          if (k === null) kindless = true;
          else if (found && found !== k) return undefined;
          else found = k;
        }
        return kindless ? null : (found ?? null);
      }
      case SyntaxKind.TypeReference: {
        const ref = node as ts.TypeReferenceNode;
        const symbol = this.symbolAt(ref.typeName);
        if (!symbol) return undefined;
        if (symbol.flags & SymbolFlags.TypeAlias) {
          if (awaited || symbol.flags & (SymbolFlags.Class | SymbolFlags.Interface) || ref.typeArguments) return undefined;
          const decl = symbol.declarations?.[0];
          if (!decl || !ts.isTypeAliasDeclaration(decl) || decl.typeParameters) return undefined;
          // `type Opts = Omit<Base, 'x'>`, `type Opts = { … }`: an object type of its own (no kind but its alias's
          // name could bind), decided without building it (an `Omit` of a big interface resolves all its members).
          const objectKind = this.isObjectTypeSyntax(decl.type) ? this.registry.kindOfObjectAlias(symbol) : undefined;
          if (objectKind !== undefined && !isStrict()) return objectKind;
          const kind = this.registry.kindOf(this.checker.getDeclaredTypeOfSymbol(symbol)) ?? null;
          if (objectKind !== undefined && objectKind !== kind) throw new Error(`socket-close: the object type alias ${symbol.getName()} has a kind by its type: ${kind?.name ?? 'none'}`);
          return kind;
        }
        if (!(symbol.flags & (SymbolFlags.Class | SymbolFlags.Interface))) return undefined;
        const declared = this.checker.getDeclaredTypeOfSymbol(symbol);
        if (awaited) {
          if (this.isGlobalPromise(symbol) && ref.typeArguments?.length === 1) return this.typeNodeKind(ref.typeArguments[0], true, depth + 1);
          // Anything thenable is awaited to something else: left to the checker.
          if (declared.getProperty('then')) return undefined;
        }
        return this.registry.kindOf(declared) ?? null;
      }
      default:
        return undefined;
    }
  }

  /**
   * Is this type node an object type of its own: a type literal, a mapped type, or a reference to one of TypeScript's
   * mapped-type aliases (`Omit<T, K>`, `Pick`, `Partial`, `Required`, `Readonly`, `Record`)? Its type is an anonymous
   * object (or, mapped over an array, an array).
   */
  private isObjectTypeSyntax(node: ts.TypeNode): boolean {
    if (node.kind === SyntaxKind.TypeLiteral || node.kind === SyntaxKind.MappedType) return true;
    if (!ts.isTypeReferenceNode(node)) return false;
    const target = this.symbolAt(node.typeName);
    return !!target && this.registry.isMappedLibraryAlias(target);
  }

  /**
   * `for (const x of list)`: the kind of `x` read from the annotation of `list` (a variable or `this` field declared
   * `T[]`, `Set<T>`, `AsyncGenerator<T>` …, nullish members dropped), so that the element type is not computed.
   * Narrowing at the loop can only keep some members of a declared union. Undefined: ask the checker.
   */
  private forOfElementKind(loop: TSESTree.ForOfStatement): ResourceKind | null | undefined {
    let iterated: TSESTree.Node = loop.right;
    while (iterated.type === AST_NODE_TYPES.TSNonNullExpression) iterated = iterated.expression;
    let annotation: ts.TypeNode | undefined;
    if (iterated.type === AST_NODE_TYPES.Identifier) {
      const def = this.varOf.get(iterated)?.defs[0];
      const declared = def && (def.type === DefinitionType.Variable || def.type === DefinitionType.Parameter) && def.name.type === AST_NODE_TYPES.Identifier ? def.name.typeAnnotation?.typeAnnotation : undefined;
      annotation = declared ? (this.services.esTreeNodeToTSNodeMap.get(declared) as ts.TypeNode | undefined) : undefined;
    } else if (iterated.type === AST_NODE_TYPES.MemberExpression && thisOf(iterated.object)) {
      annotation = this.fieldAnnotation(iterated);
    }
    return annotation ? this.elementKind(annotation, loop.await, 0) : undefined;
  }

  /** The kind of what iterating a value declared with this type gives ({@link forOfElementKind}). */
  private elementKind(node: ts.TypeNode, awaitLoop: boolean, depth: number): ResourceKind | null | undefined {
    if (depth > 4) return undefined;
    if (ts.isParenthesizedTypeNode(node)) return this.elementKind(node.type, awaitLoop, depth + 1);
    if (ts.isUnionTypeNode(node)) {
      let kindless = false;
      for (const member of node.types) {
        if (member.kind === SyntaxKind.UndefinedKeyword || (ts.isLiteralTypeNode(member) && member.literal.kind === SyntaxKind.NullKeyword)) continue;
        const k = this.elementKind(member, awaitLoop, depth + 1);
        if (k !== null) return undefined;
        kindless = true;
      }
      return kindless ? null : undefined;
    }
    if (ts.isTypeOperatorNode(node) && node.operator === SyntaxKind.ReadonlyKeyword) return this.elementKind(node.type, awaitLoop, depth + 1);
    let element: ts.TypeNode | undefined;
    if (ts.isArrayTypeNode(node)) element = node.elementType;
    else if (ts.isTypeReferenceNode(node) && node.typeArguments?.length) {
      const symbol = this.symbolAt(node.typeName);
      if (symbol && (awaitLoop ? ASYNC_ITERABLES : SYNC_ITERABLES).has(symbol.getName()) && this.declaredInDefaultLibrary(symbol)) element = node.typeArguments[0];
    }
    if (!element) return undefined;
    // A `for await` loop awaits what a synchronous iterable gives; an asynchronous one's values are given as they are:
    // decided only where both readings agree.
    const direct = this.typeNodeKind(element, false, depth + 1);
    if (!awaitLoop || direct === undefined) return direct;
    return this.typeNodeKind(element, true, depth + 1) === direct ? direct : undefined;
  }

  /** Symbols of plain names (callees, `new` targets), per variable (or per global name): every reference resolves alike. */
  private readonly nameSymbols = new Map<unknown, ts.Symbol | null>();

  nameSymbol(callee: TSESTree.Identifier): ts.Symbol | undefined {
    const v = this.varOf.get(callee);
    const key = v ?? `global:${callee.name}`;
    const cached = this.nameSymbols.get(key);
    if (cached !== undefined) return cached ?? undefined;
    // A variable declared in this file: the symbol of its declaration (TypeScript binds it; no name resolution).
    // A global: resolved once per program (name resolution walks every enclosing scope of the call).
    const declared = v?.defs[0]?.name;
    const at = declared?.type === AST_NODE_TYPES.Identifier ? declared : callee;
    const isGlobal = at === callee && !v?.defs.length;
    const global = isGlobal ? this.registry.globalSymbols.get(callee.name) : undefined;
    const symbol = global ?? this.symbolAt(this.services.esTreeNodeToTSNodeMap.get(at));
    if ((at !== callee || global) && isStrict() && this.symbolAt(this.services.esTreeNodeToTSNodeMap.get(callee)) !== symbol) {
      throw new Error(`socket-close: symbol of '${callee.name}' at its declaration (or as a global) differs from the one at its reference`);
    }
    if (isGlobal && !global && symbol) {
      const files = filesOf(symbol);
      if (files.length > 0 && files.every((f) => f.isDeclarationFile)) this.registry.globalSymbols.set(callee.name, symbol);
    }
    this.nameSymbols.set(key, symbol ?? null);
    return symbol;
  }

  /** The symbol a name denotes, through import aliases. */
  symbolAt(tsNode: ts.Node | undefined): ts.Symbol | undefined {
    const symbol = tsNode ? this.checker.getSymbolAtLocation(tsNode) : undefined;
    return symbol && symbol.flags & SymbolFlags.Alias ? this.checker.getAliasedSymbol(symbol) : symbol;
  }

  /** Is this the global `Promise` interface (declared only in the default library files)? */
  private isGlobalPromise(symbol: ts.Symbol): boolean {
    return symbol.getName() === 'Promise' && this.declaredInDefaultLibrary(symbol);
  }

  /** Is every declaration of this symbol (at least one) in TypeScript's default library files? */
  private declaredInDefaultLibrary(symbol: ts.Symbol | undefined): boolean {
    const decls = symbol?.declarations ?? [];
    return decls.length > 0 && decls.every((d) => this.services.program.isSourceFileDefaultLibrary(d.getSourceFile()));
  }

  /**
   * An imported binding whose value's type is decided by what it imports, without computing that type: a type
   * (interface, type alias) has no value; a class's value is the class itself, never an instance; a function's,
   * namespace's or enum's value has that symbol's own type. Imported variables and properties need their type.
   */
  private importedKind(id: TSESTree.Identifier): ResourceKind | null | undefined {
    const symbol = this.symbolAt(this.services.esTreeNodeToTSNodeMap.get(id));
    if (!symbol) return undefined;
    const flags = symbol.flags;
    if (flags & (SymbolFlags.Property | SymbolFlags.Accessor | SymbolFlags.Alias | SymbolFlags.Method)) return undefined;
    if (flags & SymbolFlags.Variable) return this.importedVariableKind(symbol);
    if (!(flags & SymbolFlags.Value)) return null;
    if (flags & SymbolFlags.Class) return null;
    if (flags & (SymbolFlags.Function | SymbolFlags.ValueModule | SymbolFlags.Enum)) return this.registry.kindOfSymbol(symbol) ?? null;
    return undefined;
  }

  /** `Object.freeze` of the global `Object` (declared only in TypeScript's library). */
  private isObjectFreeze(callee: ts.Expression): boolean {
    if (!ts.isPropertyAccessExpression(callee) || callee.name.text !== 'freeze' || !ts.isIdentifier(callee.expression) || callee.expression.text !== 'Object') return false;
    return this.declaredInDefaultLibrary(this.symbolAt(callee.expression));
  }

  /**
   * An imported variable declared once: its annotation decides ({@link typeNodeKind}); without one, an object
   * literal, function or primitive literal initialiser (also under `as const` or `satisfies`, or frozen:
   * `Object.freeze({ … })`) has a type no kind binds; `x as T` has T's. Anything else: ask.
   */
  private importedVariableKind(symbol: ts.Symbol): ResourceKind | null | undefined {
    const decls = symbol.declarations ?? [];
    if (decls.length !== 1 || symbol.flags & ~(SymbolFlags.Variable | SymbolFlags.Transient | SymbolFlags.ExportValue)) return undefined;
    const decl = decls[0];
    if (!ts.isVariableDeclaration(decl) || !ts.isIdentifier(decl.name)) return undefined;
    if (decl.type) return this.typeNodeKind(decl.type, false);
    let init = decl.initializer;
    // `{ … } as const`, `(…)`, `… satisfies T`: the expression's own type; `x as T`: T.
    while (init && (ts.isParenthesizedExpression(init) || ts.isSatisfiesExpression(init) || ts.isAsExpression(init))) {
      if (ts.isAsExpression(init) && !ts.isConstTypeReference(init.type)) return this.typeNodeKind(init.type, false);
      init = init.expression;
    }
    if (!init) return undefined;
    // `Object.freeze({ … })`: a `Readonly` of the object literal's type.
    if (ts.isCallExpression(init) && init.arguments.length === 1 && this.isObjectFreeze(init.expression)) {
      const arg = init.arguments[0];
      return ts.isObjectLiteralExpression(arg) || (ts.isAsExpression(arg) && ts.isConstTypeReference(arg.type) && ts.isObjectLiteralExpression(arg.expression)) ? this.registry.kindOfMappedObject() : undefined;
    }
    switch (init.kind) {
      case SyntaxKind.ObjectLiteralExpression:
      case SyntaxKind.FunctionExpression:
      case SyntaxKind.ArrowFunction:
      case SyntaxKind.StringLiteral:
      case SyntaxKind.NumericLiteral:
      case SyntaxKind.NoSubstitutionTemplateLiteral:
      case SyntaxKind.TemplateExpression:
      case SyntaxKind.TrueKeyword:
      case SyntaxKind.FalseKeyword:
        return null;
      default:
        return undefined;
    }
  }

  /**
   * A parameter nothing can type: a plain name (no default, no destructuring, not rest) of a function declaration
   * or class method (not an accessor: a setter's parameter takes its getter's type) without any JSDoc tag on the
   * function or the parameter. Such a function is never contextually typed, so the parameter is `any`.
   */
  private isUntypedParameter(id: TSESTree.Identifier, fn: TSESTree.Node): boolean {
    if (id.parent !== fn) return false;
    if (fn.type === AST_NODE_TYPES.FunctionExpression) {
      const method = fn.parent;
      if (method?.type !== AST_NODE_TYPES.MethodDefinition || (method.kind !== 'method' && method.kind !== 'constructor')) return false;
    } else if (fn.type !== AST_NODE_TYPES.FunctionDeclaration) {
      return false;
    }
    const map = this.services.esTreeNodeToTSNodeMap;
    const tsFn = map.get(fn.type === AST_NODE_TYPES.FunctionExpression ? fn.parent : fn);
    const tsId = map.get(id);
    const tsParam = tsId && ts.isParameter(tsId) ? tsId : tsId?.parent;
    if (!tsFn || !tsParam || !ts.isParameter(tsParam)) return false;
    return withoutJSDocTags(tsFn, tsParam);
  }

  /**
   * `let x;` / `var x;` without annotation, initialiser or JSDoc (not a `for … of/in` variable, not `declare`): its
   * declared type is `any` (evolving by assignments, which TypeScript only narrows at references).
   */
  protected isAutoTyped(decl: TSESTree.VariableDeclarator): boolean {
    const list = decl.parent;
    if (list?.type !== AST_NODE_TYPES.VariableDeclaration || list.declare || list.kind === 'const') return false;
    const holder = list.parent;
    if (holder?.type === AST_NODE_TYPES.ForOfStatement || holder?.type === AST_NODE_TYPES.ForInStatement) return false;
    const tsList = this.services.esTreeNodeToTSNodeMap.get(list);
    const tsStatement = tsList && ts.isVariableDeclarationList(tsList) ? tsList.parent : tsList;
    const tsDecl = this.services.esTreeNodeToTSNodeMap.get(decl);
    if (!tsStatement || !tsDecl || tsDecl.getSourceFile().isDeclarationFile) return false;
    return withoutJSDocTags(tsStatement, tsDecl);
  }

  /**
   * `new C(…)` (not cast) where `C` names a class declaration, or an annotated constructor variable whose every
   * construct signature is declared to return the same class or interface (`new Map()`: `MapConstructor`'s
   * `new <K, V>(…): Map<K, V>`): that class or interface symbol, whose declared type is the instance's (its kind is
   * the instance's whatever the type arguments; without type parameters it is the very type of the expression).
   * Undefined for anything else (an unannotated variable holding a constructor, a class expression).
   */
  newlyCreatedClass(init: TSESTree.Expression | null | undefined): ts.Symbol | undefined {
    if (init?.type !== AST_NODE_TYPES.NewExpression) return undefined;
    const callee = init.callee;
    let symbol: ts.Symbol | undefined;
    if (callee.type === AST_NODE_TYPES.Identifier) symbol = this.nameSymbol(callee);
    else if (callee.type === AST_NODE_TYPES.MemberExpression && !callee.computed) symbol = this.symbolAt(this.services.esTreeNodeToTSNodeMap.get(callee.property));
    if (!symbol) return undefined;
    if (symbol.flags & (SymbolFlags.Variable | SymbolFlags.Property | SymbolFlags.Accessor)) return this.constructedInterface(symbol);
    // A transient class symbol (a namespace import of an `export =` class under esModuleInterop) is not constructable.
    return symbol.flags & SymbolFlags.Class && !(symbol.flags & SymbolFlags.Transient) ? symbol : undefined;
  }

  private readonly constructed = new Map<ts.Symbol, ts.Symbol | null>();

  /** The class or interface every construct signature of an annotated constructor variable is declared to return. */
  private constructedInterface(variable: ts.Symbol): ts.Symbol | undefined {
    const cached = this.constructed.get(variable);
    if (cached !== undefined) return cached ?? undefined;
    let out: ts.Symbol | undefined;
    // The value's declarations: a library constructor (`Map`, `Set`) is also an interface of the same name, whose
    // declarations give the type meaning only.
    const decls = (variable.declarations ?? []).filter((d) => !ts.isInterfaceDeclaration(d));
    if (decls.length > 0 && decls.every((d) => (ts.isVariableDeclaration(d) || ts.isPropertySignature(d) || ts.isPropertyDeclaration(d)) && d.type)) {
      for (const sig of this.checker.getTypeOfSymbol(variable).getConstructSignatures()) {
        const t = sig.getDeclaration()?.type;
        const s = t && ts.isTypeReferenceNode(t) ? this.symbolAt(t.typeName) : undefined;
        if (!s || !(s.flags & (SymbolFlags.Class | SymbolFlags.Interface)) || s.flags & SymbolFlags.TypeAlias || (out && out !== s)) {
          out = undefined;
          break;
        }
        out = s;
      }
    }
    this.constructed.set(variable, out ?? null);
    return out;
  }

  /**
   * The kind of the type TypeScript narrows a reference to at that place (an auto-typed `let` takes the type of the
   * assignment that reaches it). Costly in a long function: only for the rare question that needs it.
   */
  kindOfFlowType(node: TSESTree.Node): ResourceKind | undefined {
    try {
      const tsNode = this.services.esTreeNodeToTSNodeMap.get(node);
      return tsNode ? this.registry.kindOf(this.checker.getTypeAtLocation(tsNode)) : undefined;
    } catch (error) {
      return recover(error, undefined);
    }
  }

  private kindOfNodeByType(node: TSESTree.Node): ResourceKind | undefined {
    let result: ResourceKind | undefined;
    try {
      // Never ask for the flow-narrowed type of a reference: each such query walks the function's control flow
      // back to the declaration, which makes long functions quadratic. Declared types are enough here.
      const n = unwrap(node);
      if (n.type === AST_NODE_TYPES.Identifier) {
        const v = this.varOf.get(n);
        const decl = v?.identifiers[0];
        // A class name as a value is the class itself (`Conn.open()`'s receiver), never one of its instances.
        if (v?.defs[0]?.type === DefinitionType.ClassName) {
          this.typeKindCache.set(node, null);
          return undefined;
        }
        if (v && decl && decl !== n) {
          result = this.kindOfNode(decl);
          this.typeKindCache.set(node, result ?? null);
          return result;
        }
        if (!v) {
          const tsNode = this.services.esTreeNodeToTSNodeMap.get(n);
          const symbol = tsNode ? this.checker.getSymbolAtLocation(tsNode) : undefined;
          if (symbol) result = this.registry.kindOf(this.checker.getTypeOfSymbol(symbol));
          this.typeKindCache.set(node, result ?? null);
          return result;
        }
      } else if (n.type === AST_NODE_TYPES.MemberExpression && !n.computed) {
        const tsNode = this.services.esTreeNodeToTSNodeMap.get(n.property);
        const symbol = tsNode ? this.checker.getSymbolAtLocation(tsNode) : undefined;
        if (symbol && symbol.flags & (SymbolFlags.Property | SymbolFlags.Accessor)) {
          result = this.registry.kindOf(this.checker.getTypeOfSymbol(symbol));
          this.viaPropertySymbol.add(n);
          this.typeKindCache.set(node, result ?? null);
          return result;
        }
      }
      const tsNode = this.services.esTreeNodeToTSNodeMap.get(node);
      if (tsNode) result = this.registry.kindOf(this.checker.getTypeAtLocation(tsNode));
    } catch (error) {
      result = recover(error, undefined);
    }
    this.typeKindCache.set(node, result ?? null);
    return result;
  }

  /**
   * Does the method called here return the socket it is called on (`setNoDelay()`, `on()`, `listen()`)? Read
   * from the method's declared signature, not from the call's type (which would narrow the receiver).
   */
  /**
   * Is this `x.m(…)` a call of a method whose every signature is declared to return `this` (`setNoDelay()`,
   * `setEncoding()`): its value is its receiver. Read from the declarations of the receiver's declared type.
   */
  returnsReceiver(call: TSESTree.CallExpression): boolean {
    return this.everyMethodDeclaration(call, (d) => (ts.isMethodSignature(d) || ts.isMethodDeclaration(d)) && d.type?.kind === SyntaxKind.ThisType);
  }

  /**
   * For `x.m(…)`: does the property `m` of the receiver's declared type have declarations, and do they all pass
   * `test`? False when the callee is no member call or the type cannot tell.
   */
  private everyMethodDeclaration(call: TSESTree.CallExpression, test: (d: ts.Declaration) => boolean): boolean {
    const member = calleeMember(call);
    const name = member ? propertyName(member) : undefined;
    if (!member || name === undefined) return false;
    try {
      const decls = this.declaredType(member.object)?.getProperty(name)?.declarations ?? [];
      return decls.length > 0 && decls.every(test);
    } catch (error) {
      return recover(error, false);
    }
  }

  /**
   * Is this `x.m(…)` a call of a method that the receiver's declared type adds itself, outside any library's typings
   * (`type PooledClient = pg.Client & { release(): Promise<void> }`): the user's own wrapper of the resource.
   */
  declaredOutsideLibraries(call: TSESTree.CallExpression): boolean {
    return this.everyMethodDeclaration(call, (d) => !/[\\/]node_modules[\\/]/.test(d.getSourceFile().fileName));
  }

  private readonly alwaysObjectCache = new Map<unknown, boolean>();

  /**
   * Is this test a local `const` whose declared type is an object type for sure (no `null`, `undefined`, `any`,
   * primitive or type parameter in it): `const ok = await ch.checkQueue(q)`? Then it is never falsy.
   */
  alwaysObject(test: TSESTree.Node): boolean {
    const t = unwrap(test);
    if (t.type !== AST_NODE_TYPES.Identifier) return false;
    const v = this.varOf.get(t);
    const def = v?.defs[0];
    if (!v || def?.type !== DefinitionType.Variable || def.parent?.type !== AST_NODE_TYPES.VariableDeclaration || def.parent.kind !== 'const') return false;
    const cached = this.alwaysObjectCache.get(v);
    if (cached !== undefined) return cached;
    // Without strictNullChecks a type never says that `null` or `undefined` is excluded.
    const options = this.services.program.getCompilerOptions();
    if (!(options.strictNullChecks ?? options.strict ?? false)) return false;
    let result: boolean;
    try {
      // The declared type as it is (`declaredType()` drops `null` and `undefined`).
      const decl = v.identifiers[0];
      const tsDecl = decl ? this.services.esTreeNodeToTSNodeMap.get(decl) : undefined;
      const type = tsDecl ? this.checker.getTypeAtLocation(tsDecl) : undefined;
      const members = type ? (type.isUnion() ? type.types : [type]) : [];
      // Not `{}` or `Object`, which a primitive (`0`, `''`) also satisfies: an object type with members of its own.
      result = members.length > 0 && members.every((m) => (m.flags & TypeFlags.Object) !== 0 && m.getProperties().length > 0 && !/^(Object|\{\})$/.test(this.checker.typeToString(m)));
    } catch (error) {
      result = recover(error, false);
    }
    this.alwaysObjectCache.set(v, result);
    return result;
  }

  /** Is the value of this expression a promise (a thenable)? By its type at the node. */
  isThenable(node: TSESTree.Node): boolean {
    try {
      const tsNode = this.services.esTreeNodeToTSNodeMap.get(node);
      const type = tsNode ? this.checker.getTypeAtLocation(tsNode) : undefined;
      return !!type && !!this.checker.getApparentType(type).getProperty('then');
    } catch (error) {
      return recover(error, false);
    }
  }

  /**
   * Is the value of this expression surely no promise: its type is known (not `any` or `unknown`) and no member of it
   * has a `then` (`await client.db('app')` awaits a plain handle: it cannot reject, and gives the handle back)?
   */
  isSurelyNoPromise(node: TSESTree.Node): boolean {
    try {
      const tsNode = this.services.esTreeNodeToTSNodeMap.get(node);
      const type = tsNode ? this.checker.getTypeAtLocation(tsNode) : undefined;
      if (!type) return false;
      return (type.isUnion() ? type.types : [type]).every(
        (t) => !(t.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown | ts.TypeFlags.TypeParameter)) && !this.checker.getApparentType(t).getProperty('then'),
      );
    } catch (error) {
      return recover(error, false);
    }
  }

  /**
   * Is this `x.m(…)` a call of a method every declaration of which is declared to return a primitive or nothing
   * (amqplib `sendToQueue()` returns a boolean), or a generator or iterator: awaiting it cannot reject. Read from the
   * receiver's declared type.
   */
  returnsNoPromise(call: TSESTree.CallExpression): boolean {
    return this.everyMethodDeclaration(call, (d) => {
      if (!(ts.isMethodSignature(d) || ts.isMethodDeclaration(d))) return false;
      // A generator method returns its generator object: awaiting that gives it back (`await r.scanAll('*')`).
      if (ts.isMethodDeclaration(d) && d.asteriskToken) return true;
      if (!d.type) return false;
      if (ts.isTypeReferenceNode(d.type) && ts.isIdentifier(d.type.typeName) && ITERATOR_TYPES.test(d.type.typeName.text)) return true;
      const type = this.checker.getTypeFromTypeNode(d.type);
      const members = type.isUnion() ? type.types : [type];
      return members.every((t) => (t.flags & PLAIN_VALUE) !== 0);
    });
  }

  /** Does the method the call names return the resource itself (declared `this`, or the same kind)? */
  returnsSameSocket(call: TSESTree.CallExpression, kind: ResourceKind): boolean {
    return this.askMethodSignatures(call, this.returnsSelfCache, (signatures) =>
      signatures.some((sig) => {
        const ret = sig.getReturnType();
        return (ret as { isThisType?: boolean }).isThisType === true || this.registry.kindOf(ret) === kind;
      }),
    );
  }

  /**
   * Does the method the call names resolve to the resource itself by its declared signatures (`start():
   * Promise<this>` of a subclass of the resource's class, in any file)?
   */
  resolvesSameSocket(call: TSESTree.CallExpression, kind: ResourceKind): boolean {
    return this.askMethodSignatures(
      call,
      this.resolvesSelfCache,
      (signatures) =>
        signatures.length > 0 &&
        signatures.every((sig) => {
          const ret = sig.getReturnType();
          const inner = this.checker.getAwaitedType(ret);
          if (!inner || inner === ret) return false;
          if ((inner as { isThisType?: boolean }).isThisType === true || this.registry.kindOf(inner) === kind) return true;
          // In JavaScript, or without a declared return type, a promise the method makes resolving it with `this`.
          return resolvesOwnObject(sig.getDeclaration());
        }),
    );
  }

  /**
   * A question about the call signatures of the method a call names, on its receiver's declared type, answered once per
   * type and method name in `cache`.
   */
  private askMethodSignatures(call: TSESTree.CallExpression, cache: Map<ts.Type, Map<string, boolean>>, decide: (signatures: readonly ts.Signature[]) => boolean): boolean {
    const member = calleeMember(call);
    const name = member ? propertyName(member) : undefined;
    if (!member || name === undefined) return false;
    try {
      const receiver = this.declaredType(member.object);
      if (!receiver) return false;
      let perType = cache.get(receiver);
      if (!perType) {
        perType = new Map();
        cache.set(receiver, perType);
      }
      let answer = perType.get(name);
      if (answer === undefined) {
        const symbol = receiver.getProperty(name);
        answer = decide(symbol ? this.checker.getTypeOfSymbol(symbol).getCallSignatures() : []);
        perType.set(name, answer);
      }
      return answer;
    } catch (error) {
      return recover(error, false);
    }
  }

  private readonly resolvesSelfCache = new Map<ts.Type, Map<string, boolean>>();
  private readonly returnsSelfCache = new Map<ts.Type, Map<string, boolean>>();
  private readonly thisTypes = new Map<TSESTree.Node, ts.Type>();
  private readonly staticThisTypes = new Map<TSESTree.Node, ts.Type>();
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
      return !!symbol && (symbol.flags & SymbolFlags.SetAccessor) !== 0;
    } catch (error) {
      return recover(error, false);
    }
  }

  /** The declared (not flow-narrowed) type of an expression: a variable's declared type, a property's type. */
  declaredType(node: TSESTree.Node): ts.Type | undefined {
    const n = unwrap(node);
    let target: TSESTree.Node = n;
    if (n.type === AST_NODE_TYPES.Identifier) {
      const v = this.varOf.get(n);
      const decl = v?.identifiers[0];
      if (decl) target = decl;
      // A class name as a value is the class itself (`Conn.open()`): the type at its declaration is the instance's.
      if (decl && v?.defs[0]?.type === DefinitionType.ClassName) return this.staticSide(decl);
    } else if (n.type === AST_NODE_TYPES.ThisExpression) {
      // One `this` type per class side (instance or static) or plain function: the declared one, not narrowed.
      const owner = thisOwner(n);
      if (owner) {
        const types = owner.isStatic ? this.staticThisTypes : this.thisTypes;
        const cached = types.get(owner.node);
        if (cached && !isStrict()) return cached;
        const tsNode = this.services.esTreeNodeToTSNodeMap.get(n);
        const type = tsNode ? this.checker.getTypeAtLocation(tsNode) : undefined;
        if (cached) {
          if (type !== cached) throw new Error(`socket-close: the type of \`this\` differs within one ${owner.isStatic ? 'static side' : 'class or function'}`);
          return cached;
        }
        if (type) types.set(owner.node, type);
        return type;
      }
    } else if (n.type === AST_NODE_TYPES.MemberExpression && !n.computed) {
      // `this.x`: the same property, so the same declared type, in every member of the class side.
      const key = this.thisFieldKey(n);
      const known = key ? this.fieldTypes.get(key) : undefined;
      if (known && !isStrict()) return known;
      const annotation = this.fieldAnnotation(n);
      if (annotation && !isStrict()) return this.checker.getNonNullableType(this.checker.getTypeFromTypeNode(annotation));
      const tsProp = this.services.esTreeNodeToTSNodeMap.get(n.property);
      const symbol = tsProp ? this.checker.getSymbolAtLocation(tsProp) : undefined;
      if (symbol) {
        const type = this.checker.getNonNullableType(this.checker.getTypeOfSymbol(symbol));
        if (annotation && type !== this.checker.getNonNullableType(this.checker.getTypeFromTypeNode(annotation))) {
          throw new Error(`socket-close: the annotation of ${this.sourceCode.getText(n)} in its class body is not its declared type`);
        }
        if (known && known !== type) throw new Error(`socket-close: the declared type of ${this.sourceCode.getText(n)} differs within its class`);
        if (key) this.fieldTypes.set(key, type);
        return type;
      }
    }
    const cached = this.declaredTypes.get(target);
    if (cached !== undefined) return cached ?? undefined;
    const cheap = this.cheapDeclaredType(target);
    if (cheap) {
      if (isStrict()) {
        const tsTarget = this.services.esTreeNodeToTSNodeMap.get(target);
        const full = tsTarget ? this.checker.getNonNullableType(this.checker.getTypeAtLocation(tsTarget)) : undefined;
        if (full !== cheap) throw new Error(`socket-close: cheap declared type ≠ checker's type at ${this.sourceCode.getText(target)}`);
      }
      this.declaredTypes.set(target, cheap);
      return cheap;
    }
    const tsNode = this.services.esTreeNodeToTSNodeMap.get(target);
    const type = tsNode ? this.checker.getNonNullableType(this.checker.getTypeAtLocation(tsNode)) : undefined;
    this.declaredTypes.set(target, type ?? null);
    return type;
  }

  /**
   * The declared type of a variable without asking the checker to infer it: `const x = new C(…)` with `C` a
   * non-generic class declaration is a `C` (the instance type; no inference of the arguments needed).
   */
  private cheapDeclaredType(target: TSESTree.Node): ts.Type | undefined {
    if (target.type !== AST_NODE_TYPES.Identifier || target.typeAnnotation) return undefined;
    const decl = target.parent;
    if (decl?.type !== AST_NODE_TYPES.VariableDeclarator || decl.id !== target) return undefined;
    const symbol = this.newlyCreatedClass(decl.init);
    if (!symbol) return undefined;
    const type = this.checker.getDeclaredTypeOfSymbol(symbol) as ts.InterfaceType;
    return type.typeParameters?.length ? undefined : type;
  }

  /**
   * The type predicate of the function called here, if it has one on a parameter: which argument it tests, and
   * whether "true" means that argument is null or undefined (`val is null | undefined`) or present (`val is T`).
   */
  typePredicateOf(call: TSESTree.CallExpression): { index: number; nullish: boolean } | undefined {
    try {
      const tsNode = this.services.esTreeNodeToTSNodeMap.get(call) as ts.CallExpression | undefined;
      const signature = tsNode ? this.checker.getResolvedSignature(tsNode) : undefined;
      const predicate = signature ? this.checker.getTypePredicateOfSignature(signature) : undefined;
      if (predicate?.kind !== TypePredicateKind.Identifier || !predicate.type) return undefined;
      const empty = TypeFlags.Null | TypeFlags.Undefined | TypeFlags.Void;
      const t = predicate.type;
      const nullish = t.isUnion() ? t.types.every((m) => (m.flags & empty) !== 0) : (t.flags & empty) !== 0;
      return { index: predicate.parameterIndex, nullish };
    } catch (error) {
      return recover(error, undefined);
    }
  }

  private staticSide(decl: TSESTree.Identifier): ts.Type | undefined {
    const cached = this.declaredTypes.get(decl);
    if (cached !== undefined) return cached ?? undefined;
    const tsNode = this.services.esTreeNodeToTSNodeMap.get(decl);
    const symbol = tsNode ? this.checker.getSymbolAtLocation(tsNode) : undefined;
    const type = symbol ? this.checker.getTypeOfSymbol(symbol) : undefined;
    this.declaredTypes.set(decl, type ?? null);
    return type;
  }

  kindOfVariable(v: Variable): ResourceKind | undefined {
    const id = v.identifiers[0];
    return id ? this.kindOfNode(id) : undefined;
  }

}

/** TypeScript's library iterables whose first type argument is what a `for…of` loop gives (`for await` apart). */
/** The expression under parentheses, `as` and `!`. */
export function skipOuter(n: ts.Expression): ts.Expression {
  let v = n;
  while (ts.isParenthesizedExpression(v) || ts.isAsExpression(v) || ts.isNonNullExpression(v)) v = v.expression;
  return v;
}

/** The function-like node `n` is in, up to `stop` (undefined when `n` is in no function below `stop`). */
function functionBetween(n: ts.Node, stop: ts.Node): ts.SignatureDeclaration | undefined {
  for (let p = n.parent; p && p !== stop; p = p.parent) if (ts.isFunctionLike(p)) return p;
  return undefined;
}

/**
 * `listen(port) { return new Promise((resolve, reject) => { … resolve(this) … }); }` (a class method, typically in
 * JavaScript, whose promise TypeScript types `Promise<any>`): every value the method returns is a `new Promise(…)`
 * whose executor's `resolve` is only ever called, with `this` of the method — written in the executor or in arrow
 * functions in it, where `this` is still the method's.
 */
function resolvesOwnObject(decl: ts.Declaration | undefined): boolean {
  if (!decl || !ts.isMethodDeclaration(decl) || !decl.body) return false;
  const method = decl;
  const body = decl.body;
  const returned: ts.Expression[] = [];
  let bare = false;
  const collect = (n: ts.Node): void => {
    if (ts.isFunctionLike(n)) return;
    if (ts.isReturnStatement(n)) {
      if (n.expression) returned.push(n.expression);
      else bare = true;
    }
    ts.forEachChild(n, collect);
  };
  ts.forEachChild(body, collect);
  if (bare || returned.length === 0) return false;
  return returned.every((r) => {
    const e = skipOuter(r);
    if (!ts.isNewExpression(e) || !ts.isIdentifier(e.expression) || e.expression.text !== 'Promise') return false;
    const executor = e.arguments?.[0] && skipOuter(e.arguments[0]);
    if (!executor || !(ts.isArrowFunction(executor) || ts.isFunctionExpression(executor))) return false;
    const resolve = executor.parameters[0]?.name;
    if (!resolve || !ts.isIdentifier(resolve)) return false;
    let calls = 0;
    let ok = true;
    const visit = (n: ts.Node): void => {
      if (!ok) return;
      if (ts.isIdentifier(n) && n !== resolve && n.text === resolve.text && !(ts.isPropertyAccessExpression(n.parent) && n.parent.name === n)) {
        const call = n.parent;
        const arg = ts.isCallExpression(call) && call.expression === n && call.arguments.length === 1 ? skipOuter(call.arguments[0]) : undefined;
        // `this` of the method: no function but arrows between it and the method.
        let own = !!arg && arg.kind === ts.SyntaxKind.ThisKeyword;
        for (let f = arg && functionBetween(arg, method); own && f; f = functionBetween(f, method)) own = ts.isArrowFunction(f) || f === executor;
        if (own) calls++;
        else ok = false;
        return;
      }
      ts.forEachChild(n, visit);
    };
    ts.forEachChild(executor.body, visit);
    return ok && calls > 0;
  });
}

const SYNC_ITERABLES = new Set(['Array', 'ReadonlyArray', 'Set', 'ReadonlySet', 'Iterable', 'IterableIterator', 'Generator']);
const ASYNC_ITERABLES = new Set(['Array', 'ReadonlyArray', 'Set', 'ReadonlySet', 'Iterable', 'IterableIterator', 'Generator', 'AsyncIterable', 'AsyncIterableIterator', 'AsyncGenerator']);

/** Binary operators whose result is a number, string or boolean whatever the operands (not `&&`, `=`, `,` …). */
const PRIMITIVE_OPERATORS = new Set<ts.SyntaxKind>([
  SyntaxKind.PlusToken, SyntaxKind.MinusToken, SyntaxKind.AsteriskToken, SyntaxKind.SlashToken, SyntaxKind.PercentToken,
  SyntaxKind.AsteriskAsteriskToken, SyntaxKind.LessThanToken, SyntaxKind.GreaterThanToken, SyntaxKind.LessThanEqualsToken,
  SyntaxKind.GreaterThanEqualsToken, SyntaxKind.EqualsEqualsToken, SyntaxKind.ExclamationEqualsToken,
  SyntaxKind.EqualsEqualsEqualsToken, SyntaxKind.ExclamationEqualsEqualsToken, SyntaxKind.InKeyword,
  SyntaxKind.InstanceOfKeyword, SyntaxKind.AmpersandToken, SyntaxKind.BarToken, SyntaxKind.CaretToken,
  SyntaxKind.LessThanLessThanToken, SyntaxKind.GreaterThanGreaterThanToken, SyntaxKind.GreaterThanGreaterThanGreaterThanToken,
]);

/**
 * Is this expression's value always a primitive (`!!x`, `a === b`, `'text'`, `n + 1`, `typeof x`), or with
 * `orUndefined` also `void f()`? Casts are not looked through: `1 as unknown as Socket` is typed as it says.
 */
export function isPrimitiveExpression(e: ts.Expression, orUndefined = true): boolean {
  switch (e.kind) {
    case SyntaxKind.VoidExpression:
      return orUndefined;
    case SyntaxKind.StringLiteral:
    case SyntaxKind.NumericLiteral:
    case SyntaxKind.BigIntLiteral:
    case SyntaxKind.NoSubstitutionTemplateLiteral:
    case SyntaxKind.TemplateExpression:
    case SyntaxKind.TrueKeyword:
    case SyntaxKind.FalseKeyword:
    case SyntaxKind.PrefixUnaryExpression:
    case SyntaxKind.PostfixUnaryExpression:
    case SyntaxKind.TypeOfExpression:
      return true;
    case SyntaxKind.ParenthesizedExpression:
      return isPrimitiveExpression((e as ts.ParenthesizedExpression).expression, orUndefined);
    case SyntaxKind.BinaryExpression:
      return PRIMITIVE_OPERATORS.has((e as ts.BinaryExpression).operatorToken.kind);
    default:
      return false;
  }
}
