/**
 * Type → kind. A type is a resource when its symbol (or a base class's, or every non-nullish member of a union)
 * is bound to a kind: built-in kinds by fully qualified name and declaring package, user kinds by a type
 * specifier from the settings. One registry per TypeScript program and settings; results are cached by type.
 */
import * as ts from 'typescript';
import { openingMethods, type CallbackCreation, type ResourceKind } from './kind';
import { BUILT_IN_BINDINGS } from './built-in';
import { isStrict } from '../engine/strict';
import { EVENT_TARGET_METHOD, LISTENER_METHODS, TIMER_NAMES } from './vocabulary';
// The enums as module constants: `ts.X` reads go through the typescript module's export getters.
const { ObjectFlags, SymbolFlags, TypeFlags } = ts;

/** Where a type may be declared. */
export type TypeSource = 'node' | 'ws' | 'file' | 'lib' | { readonly package: string; readonly file?: string } | 'any';

/** A rule that binds the symbols it matches to a kind. */
export interface KindBinding {
  readonly kind: ResourceKind;
  /** Names the symbol may have: its fully qualified name (`"net".Socket`) or its plain name (`Conn`). */
  readonly names: ReadonlySet<string>;
  /** Match names against the fully qualified name (built-ins) or the plain name (user kinds). */
  readonly qualified: boolean;
  readonly source: TypeSource;
  /** Kinds this one may be reported as when a union mixes it with them (`tls.TLSSocket | net.Socket`). */
  readonly base?: ResourceKind;
  /**
   * A member the symbol must declare itself: for a name that a library's typings gave to something else in another
   * version (the promise API's `Connection` of `@types/amqplib` up to 0.10.5 is the connection `connect()` resolves
   * to; later ones call that `ChannelModel` and keep `Connection` for a holder of server properties).
   */
  readonly member?: string;
}

const PLAIN_IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** Is a declaration file part of `pkg` (its own typings or its `@types` package)? */
export function inPackage(file: string, pkg: string): boolean {
  const types = pkg.startsWith('@') ? `@types/${pkg.slice(1).replace('/', '__')}` : `@types/${pkg}`;
  return file.includes(`/node_modules/${pkg}/`) || file.includes(`/node_modules/${types}/`);
}

/** Is a file one of Node's own typings (`@types/node`)? */
export function inNodeTypes(fileName: string): boolean {
  return fileName.replace(/\\/g, '/').includes('/@types/node/');
}

/**
 * The name a user writes for a symbol: its own name, or for `export default class RedisClient` (whose symbol is
 * named `default`) the name of its declaration.
 */
function plainName(symbol: ts.Symbol): string {
  const name = symbol.getName();
  if (name !== 'default') return name;
  for (const d of symbol.declarations ?? []) {
    const declared = (d as ts.NamedDeclaration).name;
    if (declared && ts.isIdentifier(declared)) return declared.text;
  }
  return name;
}

/** Is this file one where types of `source` are declared? */
export function sourceFileMatches(sf: ts.SourceFile, source: TypeSource, program: ts.Program | undefined): boolean {
  if (source === 'any') return true;
  const f = sf.fileName.replace(/\\/g, '/');
  switch (source) {
    case 'node':
      return inNodeTypes(f) || f.includes('/typescript/lib/');
    case 'ws':
      return f.includes('/@types/ws/') || f.includes('/node_modules/ws/');
    case 'lib':
      return f.includes('/typescript/lib/');
    case 'file':
      if (program?.isSourceFileDefaultLibrary(sf) || program?.isSourceFileFromExternalLibrary(sf)) return false;
      return !f.includes('/node_modules/');
    default:
      // `file`: one declaration file of the package (amqplib's callback API declares a `Connection` of its own).
      return inPackage(f, source.package) && (source.file === undefined || f.endsWith(`/${source.file}`));
  }
}

/** Does a class or interface declare this member itself (in any of its declarations)? */
function declaresMember(symbol: ts.Symbol, member: string): boolean {
  return symbol.members?.has(member as ts.__String) ?? false;
}

function fromSource(symbol: ts.Symbol, source: TypeSource, program: ts.Program | undefined): boolean {
  if (source === 'any') return true;
  return (symbol.declarations ?? []).some((d) => sourceFileMatches(d.getSourceFile(), source, program));
}

/** What a callee's declared signatures return: a resource (`direct`), a promise of one (`awaited`); computed lazily. */
export interface CalleeReturns {
  direct?: boolean;
  awaited?: boolean;
}

export class KindRegistry {
  private readonly cache = new Map<ts.Type, ResourceKind | null>();
  /**
   * Per-program caches of the creation screen, shared by every file of the program (a callee declared in one file
   * is called from many): callee symbol → what its call signatures return, and the same for construct signatures.
   */
  readonly callReturns = new Map<ts.Symbol, CalleeReturns>();
  /**
   * Per imported function (or function member of an imported module or namespace): the kind every one of its declared
   * call signatures returns, null for none, undefined when they differ, are generic or are not annotated.
   */
  readonly callKinds = new Map<ts.Symbol, ResourceKind | null | undefined>();
  readonly constructReturns = new Map<ts.Symbol, CalleeReturns>();
  /**
   * The same answers for `x.m(…)` by the declared type of `x` and the name `m` (call and construct apart, as above):
   * the property look-up and the callee test are the same for every call of one method on one type, in every file.
   */
  readonly memberReturns = new WeakMap<ts.Type, { call: Map<string, CalleeReturns>; construct: Map<string, CalleeReturns> }>();
  /**
   * Global names (no declaration in the file: `Error`, `setTimeout`) → the symbol they resolve to, when every
   * declaration of it is in a declaration file (a library's or `@types` global, the same from every file).
   */
  readonly globalSymbols = new Map<string, ts.Symbol>();
  /**
   * Function declarations → whether a call of one gives its caller a new resource (the model's factory test: it reads
   * the declaration's body and what it returns, the same from every file and call site).
   */
  readonly factoryDeclarations = new WeakMap<ts.Declaration, boolean>();
  /** Function declarations → do they return a server they gave a handler (see CreationSites.returnsServingServer)? */
  readonly servingDeclarations = new WeakMap<ts.Declaration, boolean>();
  private readonly bySymbol = new Map<ts.Symbol, ResourceKind | null>();
  /** User bindings first: a declared kind overrides a built-in one for the same type. */
  readonly bindings: readonly KindBinding[];
  /** Every kind this registry can return. */
  readonly kinds: readonly ResourceKind[];

  constructor(
    private readonly checker: ts.TypeChecker,
    userBindings: readonly KindBinding[] = [],
    private readonly program?: ts.Program,
  ) {
    this.bindings = [...userBindings, ...BUILT_IN_BINDINGS];
    this.kinds = [...new Set(this.bindings.map((b) => b.kind))];
    this.staticMemberNames = new Set(this.bindings.flatMap((b) => [...b.names].filter((n) => /^[\w$]+\.[\w$]+$/.test(n)).map((n) => n.slice(n.indexOf('.') + 1))));
    this.qualifiedLastNames = new Set(this.bindings.filter((b) => b.qualified).flatMap((b) => [...b.names].map((n) => n.slice(n.lastIndexOf('.') + 1))));
    this.anyRelease = new Set(this.kinds.flatMap((k) => [...k.releases]));
    this.anyLentOption = new Set(this.kinds.flatMap((k) => [...(k.lentAs ?? [])]));
    this.anyOperation = new Set(this.kinds.flatMap((k) => [...k.releases, ...k.uses]));
    this.creatingMethods = new Set(this.kinds.flatMap((k) => [...k.creates]));
    this.callbackCreatingMethods = new Set(this.kinds.flatMap((k) => [...(k.callbackCreates?.keys() ?? [])]));
    this.openingMethods = new Set(this.kinds.flatMap((k) => [...openingMethods(k)]));
    this.guardPropertyNames = new Set(
      this.kinds.flatMap((k) => [...k.guards.deadProperties, ...k.guards.aliveProperties, ...(k.guards.heldWhile ?? []), ...(k.guards.state ? [k.guards.state.property] : [])]),
    );
    this.releasingCallNames = new Set([...this.anyRelease, ...this.callbackCreatingMethods, ...LISTENER_METHODS, EVENT_TARGET_METHOD, ...TIMER_NAMES]);
    this.listenerCreatingEvents = new Set(this.kinds.flatMap((k) => [...(k.listenerCreates?.keys() ?? [])]));
    const factories = new Map<string, Array<{ kind: ResourceKind; spec: CallbackCreation }>>();
    for (const kind of this.kinds) {
      for (const [name, spec] of kind.callbackFactories ?? []) {
        let list = factories.get(name);
        if (!list) factories.set(name, (list = []));
        list.push({ kind, spec });
      }
    }
    this.callbackFactories = factories;
  }

  /** Every function name that some kind declares in `callbackFactories` (`amqp.connect(url, cb)`), with its kinds. */
  readonly callbackFactories: ReadonlyMap<string, ReadonlyArray<{ readonly kind: ResourceKind; readonly spec: CallbackCreation }>>;

  /** Every event name that some kind declares in `listenerCreates` (`req.on('connect', …)`): a screen before types. */
  readonly listenerCreatingEvents: ReadonlySet<string>;

  /** The kind of this name among the registry's (a user kind before a built-in one of the same name). */
  kindNamed(name: string): ResourceKind | undefined {
    return this.kinds.find((k) => k.name === name);
  }

  /** The last segment of every qualified binding name (`Socket` of `"net".Socket`). */
  private readonly qualifiedLastNames: ReadonlySet<string>;
  /** Every release method name of every kind (for parameters and collection elements of unknown kind). */
  readonly anyRelease: ReadonlySet<string>;
  /** Every option name under which some kind is only lent to a call (`{ session }`, `{ dispatcher }`). */
  readonly anyLentOption: ReadonlySet<string>;
  /** Every release or use method name of every kind. */
  readonly anyOperation: ReadonlySet<string>;
  /** Every method name that some kind declares as creating a new resource (`duplicate()`). */
  readonly creatingMethods: ReadonlySet<string>;
  /** Every method name that some kind declares in `callbackCreates` (`pool.connect(cb)`): a screen before types. */
  readonly callbackCreatingMethods: ReadonlySet<string>;
  /** Every method name that opens some kind created idle ({@link openingMethods}: `connect()`): a screen before types. */
  readonly openingMethods: ReadonlySet<string>;
  /**
   * The names of the calls without which no-use-after-close has nothing to report in a file: every kind's release
   * methods (called on the value, or on a parameter of a function of the file it is handed to), the listener
   * registrations (a listener of a resource's close or error event runs after it is released), the kinds'
   * `callbackCreates` methods (pg's `done` releases what `pool.connect(cb)` hands over), and the timers (a timer's
   * use of a socket can come after the peer closed it, with no release in the file).
   */
  readonly releasingCallNames: ReadonlySet<string>;
  /**
   * Every property a kind's liveness guards read (`destroyed`, `writable`, `readyState`…): a test of one can prove a
   * value released (`if (s.destroyed) { … } s.write(x)`) with no release in the file.
   */
  readonly guardPropertyNames: ReadonlySet<string>;

  /** The kind of a type, or undefined. Unions count when every non-nullish member is the same kind. */
  kindOf(type: ts.Type): ResourceKind | undefined {
    const cached = this.cache.get(type);
    if (cached !== undefined) return cached ?? undefined;
    const result = this.compute(type, 0) ?? null;
    this.cache.set(type, result);
    return result ?? undefined;
  }

  /** The kind bound to a symbol by name and declaring file (no base types): the kind of a value whose type is this symbol's anonymous type (a function, a namespace, an enum). */
  kindOfSymbol(symbol: ts.Symbol): ResourceKind | undefined {
    const cached = this.bySymbol.get(symbol);
    if (cached !== undefined) return cached ?? undefined;
    let result: ResourceKind | undefined;
    let fqn: string | undefined;
    // A qualified name ends with the symbol's own name: when that is a plain identifier that ends no qualified
    // binding name, no qualified binding can match, and the (costly) qualified name is not built.
    const own = symbol.getName();
    const qualifiedPossible = !PLAIN_IDENTIFIER.test(own) || this.qualifiedLastNames.has(own);
    for (const b of this.bindings) {
      if (b.qualified && !qualifiedPossible) continue;
      const name = b.qualified ? (fqn ??= this.checker.getFullyQualifiedName(symbol)) : plainName(symbol);
      if (b.names.has(name) && fromSource(symbol, b.source, this.program) && (b.member === undefined || declaresMember(symbol, b.member))) {
        result = b.kind;
        break;
      }
    }
    this.bySymbol.set(symbol, result ?? null);
    return result;
  }

  /**
   * `new WebSocket.Server(…)` where the typings read give the class no such static (ws's ES-module typings declare the
   * server as a class of its own; the class object at run time still carries it): the kind a binding names as
   * `<class>.<member>` of the class's package (`WebSocket.Server`). Undefined for anything else.
   */
  kindOfStaticMember(cls: ts.Symbol, member: string): ResourceKind | undefined {
    if (!this.staticMemberNames.has(member)) return undefined;
    const name = `${plainName(cls)}.${member}`;
    return this.bindings.find((b) => b.names.has(name) && fromSource(cls, b.source, this.program))?.kind;
  }

  /** The members of the bindings' names of two plain segments (`WebSocket.Server`: {@link kindOfStaticMember}). */
  readonly staticMemberNames: ReadonlySet<string>;

  private baseOf(kind: ResourceKind): ResourceKind | undefined {
    return this.bindings.find((b) => b.kind === kind)?.base;
  }

  private compute(type: ts.Type, depth: number): ResourceKind | undefined {
    if (depth > 12) return undefined;
    if (type.flags & (TypeFlags.Any | TypeFlags.Unknown | TypeFlags.Never)) return undefined;
    if (type.isUnion()) {
      let found: ResourceKind | undefined;
      for (const member of type.types) {
        if (member.flags & (TypeFlags.Null | TypeFlags.Undefined | TypeFlags.Void)) continue;
        const k = this.compute(member, depth + 1);
        if (!k) return undefined;
        if (found && found !== k) {
          // A subclass kind mixed with its base kind is reported as the base.
          if (this.baseOf(found) === k) {
            found = k;
            continue;
          }
          if (this.baseOf(k) === found) continue;
          return undefined;
        }
        found = k;
      }
      return found;
    }
    if (type.isIntersection()) {
      for (const member of type.types) {
        const k = this.compute(member, depth + 1);
        if (k) return k;
      }
      return undefined;
    }
    const symbol = type.getSymbol() ?? type.aliasSymbol;
    if (!symbol) return undefined;
    // `typeof Conn`, the class itself (its static side, `Conn.open()`'s receiver; also a namespace import of an
    // `export =` class), is not a `Conn` — but the anonymous copy of an instance that a JavaScript module's
    // `module.exports = new Client()` gives `require('./db')` is (the instance's members: no construct signature, no
    // `prototype`).
    if (symbol.flags & SymbolFlags.Class && type.flags & TypeFlags.Object && (type as ts.ObjectType).objectFlags & ObjectFlags.Anonymous && (type.getConstructSignatures().length > 0 || type.getProperty('prototype'))) {
      return undefined;
    }
    if (this.isTerminalStream(symbol)) return undefined;
    const direct = this.kindOfSymbol(symbol);
    if (direct) return direct;
    if (type.aliasSymbol && type.aliasSymbol !== symbol) {
      const viaAlias = this.kindOfSymbol(type.aliasSymbol);
      if (viaAlias) return viaAlias;
    }
    // Walk base types of classes and interfaces: by the symbols their heritage clauses name where that decides
    // (no base type is built: a generic base or an `Omit<…>` would be instantiated), by the checker's otherwise.
    const target = (type as ts.TypeReference).target ?? type;
    if (target.isClassOrInterface()) {
      const byHeritage = this.heritageKind(target.symbol, depth);
      if (byHeritage !== undefined && !isStrict()) return byHeritage ?? undefined;
      let found: ResourceKind | undefined;
      for (const base of this.checker.getBaseTypes(target)) {
        const k = this.compute(base, depth + 1);
        if (k) {
          found = k;
          break;
        }
      }
      if (byHeritage !== undefined && byHeritage !== (found ?? null)) {
        throw new Error(`socket-close: the heritage clauses of ${target.symbol.getName()} give the kind ${byHeritage?.name ?? 'none'}, its base types ${found?.name ?? 'none'}`);
      }
      return found;
    }
    return undefined;
  }

  /** Per class or interface symbol: {@link heritageKind}'s decided answers. */
  private readonly heritageKinds = new Map<ts.Symbol, ResourceKind | null>();

  /**
   * The kind a class or interface has through its bases, as {@link compute}'s walk of the checker's base types finds
   * it (in the same order: a class's `extends` first, then each interface declaration's), read from the symbols the
   * heritage clauses name. Each base is a class or interface (its own kind, else its bases'), a library constructor
   * variable whose every construct signature is declared to return one interface or class (`extends Error`), or one
   * of TypeScript's mapped-type aliases (`extends Omit<Options, 'x'>`: a mapped object type, which has no kind nor
   * bases). Null: no kind; undefined: the clauses do not decide by name (a base given by a call or another alias,
   * JavaScript with its JSDoc `@augments`, deeper than {@link compute} looks).
   */
  private heritageKind(symbol: ts.Symbol | undefined, depth: number): ResourceKind | null | undefined {
    if (!symbol) return undefined;
    const cached = this.heritageKinds.get(symbol);
    if (cached !== undefined) return cached;
    if (depth > 12) return undefined;
    const decls = symbol.declarations ?? [];
    const classDecls = decls.filter((d) => ts.isClassDeclaration(d) || ts.isClassExpression(d));
    const interfaceDecls = decls.filter(ts.isInterfaceDeclaration);
    if (classDecls.length + interfaceDecls.length === 0 || classDecls.length > 1) return undefined;
    if (decls.some((d) => /\.[cm]?jsx?$/.test(d.getSourceFile().fileName))) return undefined;
    const bases: Array<ts.Symbol | null> = [];
    for (const d of [...classDecls, ...interfaceDecls]) {
      for (const clause of d.heritageClauses ?? []) {
        if (clause.token !== ts.SyntaxKind.ExtendsKeyword) continue;
        for (const t of clause.types) {
          const base = this.heritageBase(t, ts.isInterfaceDeclaration(d));
          if (base === undefined) return undefined;
          bases.push(base);
        }
      }
    }
    let result: ResourceKind | null = null;
    for (const base of bases) {
      if (!base) continue;
      const k = this.isTerminalStream(base) ? null : (this.kindOfSymbol(base) ?? this.heritageKind(base, depth + 1));
      if (k === undefined) return undefined;
      if (k) {
        result = k;
        break;
      }
    }
    this.heritageKinds.set(symbol, result);
    return result;
  }

  private readonly terminalStreams = new Map<ts.Symbol, boolean>();

  /**
   * Node's `tty.ReadStream` and `tty.WriteStream` (and so `NodeJS.ReadStream`/`WriteStream`, the types of
   * `process.stdin`, `process.stdout` and `process.stderr`): sockets over a terminal that the process owns, which no
   * peer closes and nobody is meant to release — not a resource, whatever holds them (a parameter defaulting to
   * `process.stdout`, a field).
   */
  private isTerminalStream(symbol: ts.Symbol): boolean {
    const name = symbol.getName();
    if (name !== 'ReadStream' && name !== 'WriteStream') return false;
    let known = this.terminalStreams.get(symbol);
    if (known === undefined) {
      const fqn = this.checker.getFullyQualifiedName(symbol);
      known = (fqn === `"tty".${name}` || fqn === `"node:tty".${name}`) && fromSource(symbol, 'node', this.program);
      this.terminalStreams.set(symbol, known);
    }
    return known;
  }

  /** The class or interface symbol a heritage clause entry names ({@link heritageKind}); null: a mapped type; undefined: undecided. */
  private heritageBase(t: ts.ExpressionWithTypeArguments, ofInterface: boolean): ts.Symbol | null | undefined {
    if (!isEntityNameExpression(t.expression)) return undefined;
    let base = this.checker.getSymbolAtLocation(t.expression);
    if (base && base.flags & SymbolFlags.Alias) base = this.checker.getAliasedSymbol(base);
    if (!base) return undefined;
    if (base.flags & SymbolFlags.TypeAlias) {
      return ofInterface && this.isMappedLibraryAlias(base) && !this.mappedNamesBound ? null : undefined;
    }
    if (base.flags & SymbolFlags.Variable && !(base.flags & SymbolFlags.Class)) return ofInterface ? undefined : this.constructedBy(base);
    if (base.flags & SymbolFlags.Transient && !(base.flags & SymbolFlags.Interface)) return undefined;
    return base.flags & (ofInterface ? SymbolFlags.Class | SymbolFlags.Interface : SymbolFlags.Class) ? base : undefined;
  }

  /** Is this one of TypeScript's own mapped-type aliases (`Omit`, `Pick`, `Partial`, `Required`, `Readonly`, `Record`)? */
  isMappedLibraryAlias(symbol: ts.Symbol): boolean {
    const decls = symbol.declarations ?? [];
    return !!(symbol.flags & SymbolFlags.TypeAlias) && MAPPED_ALIASES.has(symbol.getName()) && decls.length > 0 && decls.every((d) => inTypeScriptLibrary(d.getSourceFile().fileName));
  }

  /**
   * The kind of a type alias declared as an object type of its own (`type Opts = Omit<Base, 'x'>`, `type Opts = { … }`):
   * its type is an anonymous or mapped object type (an array when mapped over one), whose kind can only come from a
   * binding of one of the names it is known by — the alias's own (undecided then), the object type's `__type`, the
   * mapped-type aliases, the array types. Null: none; undefined: a binding may match, ask the checker.
   */
  kindOfObjectAlias(alias: ts.Symbol): null | undefined {
    return this.kindOfSymbol(alias) ? undefined : this.kindOfMappedObject();
  }

  /**
   * Can a binding match a symbol of this name (a plain binding naming it, or a qualified one ending with it)? The
   * anonymous types' symbols have fixed names (`__object` for an object literal, `__function` for a function
   * expression), as have TypeScript's library types (`Promise`, `Array`): where no binding can match them, their
   * values have no kind.
   */
  bindsName(name: string): boolean {
    let known = this.boundNames.get(name);
    if (known === undefined) {
      known = this.qualifiedLastNames.has(name) || this.bindings.some((b) => !b.qualified && b.names.has(name));
      this.boundNames.set(name, known);
    }
    return known;
  }

  private readonly boundNames = new Map<string, boolean>();

  /** The kind of a mapped object type (`Readonly<{ … }>`) without an alias of the user's: see {@link kindOfObjectAlias}. */
  kindOfMappedObject(): null | undefined {
    return this.mappedNamesBound ? undefined : null;
  }

  /** A constructor variable (`Error`): the interface or class its every construct signature is declared to return. */
  private constructedBy(variable: ts.Symbol): ts.Symbol | undefined {
    let out: ts.Symbol | undefined;
    for (const sig of this.checker.getTypeOfSymbol(variable).getConstructSignatures()) {
      const returned = sig.getDeclaration()?.type;
      if (!returned || !ts.isTypeReferenceNode(returned) || !ts.isIdentifier(returned.typeName)) return undefined;
      let s = this.checker.getSymbolAtLocation(returned.typeName);
      if (s && s.flags & SymbolFlags.Alias) s = this.checker.getAliasedSymbol(s);
      if (!s || !(s.flags & (SymbolFlags.Class | SymbolFlags.Interface)) || s.flags & SymbolFlags.TypeAlias || (out && out !== s)) return undefined;
      out = s;
    }
    return out;
  }

  /** Can a binding match a name that a mapped-type base is known by (the alias, its `Pick`, the mapped type's `__type`, an array)? */
  private get mappedNamesBound(): boolean {
    this.mappedNamesBoundMemo ??= [...MAPPED_ALIASES, '__type', 'Array', 'ReadonlyArray'].some((n) => this.bindsName(n));
    return this.mappedNamesBoundMemo;
  }

  private mappedNamesBoundMemo: boolean | undefined;
}

/** TypeScript's library aliases of mapped types (`Omit` is a `Pick`): an interface extending one gets a mapped object type. */
const MAPPED_ALIASES = new Set(['Pick', 'Omit', 'Partial', 'Required', 'Readonly', 'Record']);

/**
 * Is this file a library's, not the project's code: a declaration file (of a package, of TypeScript's library, or the
 * project's own `.d.ts`), or any file under `node_modules`?
 */
export function isLibraryFile(sf: ts.SourceFile): boolean {
  return sf.isDeclarationFile || sf.fileName.replace(/\\/g, '/').includes('/node_modules/');
}

/** Is this file one of TypeScript's own library files (`lib.es2015.collection.d.ts`)? */
export function inTypeScriptLibrary(fileName: string): boolean {
  return fileName.replace(/\\/g, '/').includes('/typescript/lib/');
}

/** `Base`, `ns.Base`: a name or a chain of property names. */
function isEntityNameExpression(e: ts.Expression): boolean {
  return ts.isIdentifier(e) || (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.name) && isEntityNameExpression(e.expression));
}
