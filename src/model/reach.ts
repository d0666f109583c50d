/**
 * Which files of a program can hold a resource at all, decided once per program from declarations and imports,
 * without asking the type checker for any type.
 *
 * A value in a file can have a resource type only if that type is reachable from the file: through what the file
 * imports (import declarations, `require()`, `import()` types, JSDoc imports), through a global name it mentions
 * (`process.stdin` is a `tty.ReadStream`, a `net.Socket`), or because the file declares a bound type itself
 * (a user kind). "Reachable" is decided over declarations: a declaration reaches when it declares a bound type or
 * mentions (in a member, a parameter, a base type…) a name that reaches; a module reaches when one of its
 * declarations does. Declaration files are read declaration by declaration (so that `fs` or `util`, which import
 * `net` for a few functions, reach only through those functions' names); the program's own source files are read
 * whole: such a file reaches when anything it imports reaches, when its text mentions a global name that reaches,
 * or when it declares a user kind's name.
 *
 * Every answer errs on the side of "reaches": an unknown name, a namespace mentioned as a whole, a file that
 * cannot be read. A file that does not reach needs no pre-screen: the engine skips it (under SOCKET_CLOSE_STRICT it
 * runs the pre-screen anyway and fails when the screen finds a resource in it).
 */
import * as ts from 'typescript';
import type { KindBinding } from '../kinds/registry';
import { sourceFileMatches } from '../kinds/registry';
// Module constants: `ts.x` reads go through the typescript module's export getters (hot in the walks below).
const {
  SyntaxKind,
  NodeFlags,
  forEachChild,
  isCallExpression,
  isClassDeclaration,
  isEnumDeclaration,
  isExportAssignment,
  isExportDeclaration,
  isExternalModule,
  isExternalModuleReference,
  isFunctionDeclaration,
  isIdentifier,
  isImportDeclaration,
  isImportEqualsDeclaration,
  isImportTypeNode,
  isInterfaceDeclaration,
  isIntersectionTypeNode,
  isLiteralTypeNode,
  isModuleBlock,
  isModuleDeclaration,
  isNamedExports,
  isNamespaceExport,
  isNamespaceImport,
  isObjectBindingPattern,
  isOmittedExpression,
  isPropertyAccessExpression,
  isQualifiedName,
  isSourceFile,
  isStringLiteral,
  isStringLiteralLike,
  isTypeAliasDeclaration,
  isTypeQueryNode,
  isVariableDeclaration,
  isVariableStatement,
} = ts;

/** One declaration of a declaration file (a statement, or a member statement of a namespace). */
interface Unit {
  /** The SourceFile or ambient `declare module 'x'` whose scope the names live in; undefined: the global scope. */
  readonly scope: ts.Node | undefined;
  /** The module scope the declaration is written in (its imports and local names are visible): `scope`, or for a `declare global` block inside a module, that module. */
  readonly lexical: ts.Node | undefined;
  /** The namespace path the declaration sits in (`NodeJS.`), '' at the scope's top. */
  readonly ns: string;
  /** Names declared, qualified by `ns`. */
  readonly declared: readonly string[];
  /** The syntax whose mentions are read when first needed (see {@link mentionsOfUnit}). */
  readonly walk?: ts.Node;
  /** Names mentioned, when not read from `walk`. */
  readonly refs?: readonly string[];
  /** Module specifiers (`export * from 'x'`), when not read from `walk`. */
  readonly modules?: readonly ts.StringLiteralLike[];
  /** `export { a as b } from 'm'`: the export it forwards (the unit reaches when that export does). */
  readonly reexports?: readonly ImportBinding[];
  /** `var global: typeof globalThis`, `var window: Window & typeof globalThis`: a name of the global object. */
  readonly globalObject?: boolean;
}

/** Is this type `typeof globalThis` (or an intersection with it)? */
function isGlobalObjectType(t: ts.TypeNode | undefined): boolean {
  if (!t) return false;
  if (isTypeQueryNode(t)) return isIdentifier(t.exprName) && t.exprName.text === 'globalThis';
  if (isIntersectionTypeNode(t)) return t.types.some(isGlobalObjectType);
  return false;
}

/** An import binding of a scope: local name → module specifier and the name imported (`*`: the whole module). */
interface ImportBinding {
  readonly module: ts.StringLiteralLike;
  readonly name: string;
}

interface FileUnits {
  readonly units: readonly Unit[];
  /** Import bindings per scope node. */
  readonly imports: ReadonlyMap<ts.Node, ReadonlyMap<string, ImportBinding>>;
}

/** Per declaration file: its units (the same SourceFile object is shared by the programs of one language service). */
const unitsCache = new WeakMap<ts.SourceFile, FileUnits>();

function declaredNames(stmt: ts.Statement): string[] {
  if (isVariableStatement(stmt)) {
    const out: string[] = [];
    const add = (name: ts.BindingName): void => {
      if (isIdentifier(name)) out.push(name.text);
      else for (const el of name.elements) if (!isOmittedExpression(el)) add(el.name);
    };
    for (const d of stmt.declarationList.declarations) add(d.name);
    return out;
  }
  if (
    isFunctionDeclaration(stmt) ||
    isClassDeclaration(stmt) ||
    isInterfaceDeclaration(stmt) ||
    isTypeAliasDeclaration(stmt) ||
    isEnumDeclaration(stmt)
  ) {
    const out = stmt.name ? [stmt.name.text] : [];
    if (stmt.modifiers?.some((m) => m.kind === SyntaxKind.DefaultKeyword)) out.push('default');
    return out;
  }
  return [];
}

/** The dotted text of an entity name or property access made of identifiers only (`a.b.c`), else undefined. */
function dotted(n: ts.Node): string | undefined {
  if (isIdentifier(n)) return n.text;
  if (isQualifiedName(n)) {
    const left = dotted(n.left);
    return left === undefined ? undefined : `${left}.${n.right.text}`;
  }
  if (isPropertyAccessExpression(n) && isIdentifier(n.name)) {
    const left = dotted(n.expression);
    return left === undefined ? undefined : `${left}.${n.name.text}`;
  }
  return undefined;
}

/** Names and module specifiers a declaration mentions (not the names it declares for members and parameters). */
function collectRefs(root: ts.Node, refs: string[], modules: ts.StringLiteralLike[]): void {
  const visit = (n: ts.Node): void => {
    if (isIdentifier(n)) {
      const p = n.parent as ts.Node & { name?: ts.Node };
      // The declared name of a member, parameter or type parameter names nothing outside.
      if (p && p.name === n && !isPropertyAccessExpression(p)) return;
      refs.push(n.text);
      return;
    }
    if (isQualifiedName(n) || isPropertyAccessExpression(n)) {
      const text = dotted(n);
      if (text !== undefined) {
        refs.push(text);
        return;
      }
    }
    if (isImportTypeNode(n) && isLiteralTypeNode(n.argument) && isStringLiteralLike(n.argument.literal)) {
      modules.push(n.argument.literal);
      if (n.typeArguments) for (const t of n.typeArguments) visit(t);
      return;
    }
    if (isExternalModuleReference(n) && isStringLiteralLike(n.expression)) {
      modules.push(n.expression);
      return;
    }
    forEachChild(n, visit);
  };
  visit(root);
}

function readDeclarationFile(sf: ts.SourceFile): FileUnits {
  const units: Unit[] = [];
  const imports = new Map<ts.Node, Map<string, ImportBinding>>();
  const importsOf = (scope: ts.Node): Map<string, ImportBinding> => {
    let m = imports.get(scope);
    if (!m) {
      m = new Map();
      imports.set(scope, m);
    }
    return m;
  };
  const isModuleFile = isExternalModule(sf);
  const visitStatements = (statements: readonly ts.Statement[], scope: ts.Node | undefined, ns: string, lexical = scope): void => {
    for (const stmt of statements) {
      if (isModuleDeclaration(stmt)) {
        if (stmt.flags & NodeFlags.GlobalAugmentation) {
          if (stmt.body && isModuleBlock(stmt.body)) visitStatements(stmt.body.statements, undefined, '', lexical);
          continue;
        }
        if (isStringLiteral(stmt.name)) {
          // `declare module 'x' { … }`: its own scope (an ambient module, or an augmentation of 'x').
          if (stmt.body && isModuleBlock(stmt.body)) visitStatements(stmt.body.statements, stmt, '');
          continue;
        }
        // A namespace: its members are declared as `ns.Name.member`.
        let body: ts.ModuleBody | undefined = stmt.body;
        let path = `${ns}${stmt.name.text}.`;
        while (body && isModuleDeclaration(body)) {
          path += `${body.name.text}.`;
          body = body.body;
        }
        if (body && isModuleBlock(body)) visitStatements(body.statements, scope, path, lexical);
        continue;
      }
      if (isImportDeclaration(stmt) && isStringLiteralLike(stmt.moduleSpecifier)) {
        const clause = stmt.importClause;
        const binds = lexical ? importsOf(lexical) : undefined;
        if (clause && binds) {
          if (clause.name) binds.set(clause.name.text, { module: stmt.moduleSpecifier, name: 'default' });
          const nb = clause.namedBindings;
          if (nb && isNamespaceImport(nb)) binds.set(nb.name.text, { module: stmt.moduleSpecifier, name: '*' });
          else if (nb) for (const el of nb.elements) binds.set(el.name.text, { module: stmt.moduleSpecifier, name: (el.propertyName ?? el.name).text });
        }
        continue;
      }
      if (isImportEqualsDeclaration(stmt)) {
        const exported = stmt.modifiers?.some((m) => m.kind === SyntaxKind.ExportKeyword) ?? false;
        if (isExternalModuleReference(stmt.moduleReference) && isStringLiteralLike(stmt.moduleReference.expression)) {
          if (lexical) importsOf(lexical).set(stmt.name.text, { module: stmt.moduleReference.expression, name: '*' });
          if (!exported && lexical) continue;
        }
        units.push({ scope, lexical, ns, declared: [`${ns}${stmt.name.text}`], walk: stmt.moduleReference });
        continue;
      }
      if (isExportDeclaration(stmt)) {
        const from = stmt.moduleSpecifier && isStringLiteralLike(stmt.moduleSpecifier) ? stmt.moduleSpecifier : undefined;
        const clause = stmt.exportClause;
        if (clause && isNamedExports(clause)) {
          // One unit per name: `export { a, b } from 'm'` forwards each export on its own.
          for (const el of clause.elements) {
            const source = (el.propertyName ?? el.name).text;
            if (from) units.push({ scope, lexical, ns, declared: [el.name.text], reexports: [{ module: from, name: source }] });
            else units.push({ scope, lexical, ns, declared: [el.name.text], refs: [source] });
          }
          continue;
        }
        // `export * from 'm'` declares '*': lookups of a name not declared here follow it.
        const declared = clause && isNamespaceExport(clause) ? [clause.name.text] : from ? ['*'] : [];
        units.push({ scope, lexical, ns, declared, modules: from ? [from] : [] });
        continue;
      }
      if (isExportAssignment(stmt)) {
        units.push({ scope, lexical, ns, declared: [stmt.isExportEquals ? 'export=' : 'default'], walk: stmt.expression });
        continue;
      }
      const declared = declaredNames(stmt).map((n) => `${ns}${n}`);
      const globalObject = isVariableStatement(stmt) && stmt.declarationList.declarations.some((d) => isGlobalObjectType(d.type));
      units.push(globalObject ? { scope, lexical, ns, declared, walk: stmt, globalObject } : { scope, lexical, ns, declared, walk: stmt });
    }
  };
  visitStatements(sf.statements, isModuleFile ? sf : undefined, '');
  return { units, imports };
}

const unitMentions = new WeakMap<Unit, { refs: readonly string[]; modules: readonly ts.StringLiteralLike[] }>();

/** The names and module specifiers a unit mentions, read from its syntax on first use. */
function mentionsOfUnit(u: Unit): { refs: readonly string[]; modules: readonly ts.StringLiteralLike[] } {
  if (!u.walk) return { refs: u.refs ?? [], modules: u.modules ?? [] };
  let m = unitMentions.get(u);
  if (!m) {
    const refs: string[] = [];
    const modules: ts.StringLiteralLike[] = [];
    collectRefs(u.walk, refs, modules);
    m = { refs, modules };
    unitMentions.set(u, m);
  }
  return m;
}

function unitsOf(sf: ts.SourceFile): FileUnits {
  let u = unitsCache.get(sf);
  if (!u) {
    u = readDeclarationFile(sf);
    unitsCache.set(sf, u);
  }
  return u;
}


/** A program source file (not a declaration file), read whole. */
interface SourceUnit {
  readonly file: ts.SourceFile;
  /** Module specifiers of its imports, with the names imported where the import names them (`*`: all). */
  readonly imports: ReadonlyArray<{ readonly module: ts.StringLiteralLike; readonly names: readonly string[] }>;
  /** Names it declares in the global scope (a script's top-level declarations, `declare global` members). */
  readonly globals: readonly string[];
  readonly origin: boolean;
}

/** The names an import or `require()` of a source file takes from the module, when it says (else `*`). */
function importedNames(literal: ts.StringLiteralLike): string[] {
  const p = literal.parent;
  if (isImportDeclaration(p)) {
    const clause = p.importClause;
    if (!clause) return [];
    if (clause.isTypeOnly) return ['*'];
    const names: string[] = [];
    if (clause.name) names.push('default');
    const nb = clause.namedBindings;
    if (nb && isNamespaceImport(nb)) return ['*'];
    if (nb) for (const el of nb.elements) names.push((el.propertyName ?? el.name).text);
    return names;
  }
  // `const { a, b } = require('m')`
  if (isCallExpression(p) && isVariableDeclaration(p.parent) && p.parent.initializer === p && isObjectBindingPattern(p.parent.name)) {
    const names: string[] = [];
    for (const el of p.parent.name.elements) {
      if (el.dotDotDotToken) return ['*'];
      const key = el.propertyName ?? el.name;
      if (!isIdentifier(key)) return ['*'];
      names.push(key.text);
    }
    return names;
  }
  return ['*'];
}

/** The module specifiers of a source file (TypeScript collects them while building the program). */
function moduleSpecifiersOf(sf: ts.SourceFile): readonly ts.StringLiteralLike[] {
  const collected = (sf as unknown as { imports?: unknown }).imports;
  if (Array.isArray(collected)) return collected as readonly ts.StringLiteralLike[];
  const out: ts.StringLiteralLike[] = [];
  const visit = (n: ts.Node): void => {
    if ((isImportDeclaration(n) || isExportDeclaration(n)) && n.moduleSpecifier && isStringLiteralLike(n.moduleSpecifier)) out.push(n.moduleSpecifier);
    else if (isExternalModuleReference(n) && isStringLiteralLike(n.expression)) out.push(n.expression);
    else if (isCallExpression(n) && n.arguments.length === 1 && isStringLiteralLike(n.arguments[0]) && (n.expression.kind === SyntaxKind.ImportKeyword || (isIdentifier(n.expression) && n.expression.text === 'require'))) out.push(n.arguments[0]);
    else if (isImportTypeNode(n) && isLiteralTypeNode(n.argument) && isStringLiteralLike(n.argument.literal)) out.push(n.argument.literal);
    forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

function globalsOfSource(sf: ts.SourceFile, isScript: boolean): string[] {
  const out: string[] = [];
  for (const stmt of sf.statements) {
    if (isScript) out.push(...declaredNames(stmt));
    if (isModuleDeclaration(stmt)) {
      if (stmt.flags & NodeFlags.GlobalAugmentation || isScript) {
        // `declare global { … }`, or a namespace of a script: every name in it is global (as a whole).
        if (stmt.flags & NodeFlags.GlobalAugmentation) {
          if (stmt.body && isModuleBlock(stmt.body)) for (const s of stmt.body.statements) out.push(...declaredNames(s), ...(isModuleDeclaration(s) && isIdentifier(s.name) ? [s.name.text] : []));
        } else if (isIdentifier(stmt.name)) {
          out.push(stmt.name.text);
        }
      }
    }
  }
  return out;
}

type SourceFacts = Pick<SourceUnit, 'file' | 'imports' | 'globals'>;
const sourceFactsCache = new WeakMap<ts.SourceFile, SourceFacts>();

/** What a program source file imports and declares globally (per SourceFile: unchanged files keep theirs). */
function sourceFacts(sf: ts.SourceFile): SourceFacts {
  let facts = sourceFactsCache.get(sf);
  if (!facts) {
    const isScript = !(sf as unknown as { symbol?: ts.Symbol }).symbol;
    facts = {
      file: sf,
      imports: moduleSpecifiersOf(sf).map((module) => ({ module, names: importedNames(module) })),
      globals: globalsOfSource(sf, isScript),
    };
    sourceFactsCache.set(sf, facts);
  }
  return facts;
}

/** Does a declared name of a declaration-file unit match a binding (so that the unit declares a bound type)? */
function declaresBound(u: Unit, declared: string, b: KindBinding): boolean {
  const last = declared.slice(declared.lastIndexOf('.') + 1);
  for (const name of b.names) {
    if (!b.qualified) {
      if (name === last) return true;
      continue;
    }
    // `"net".Socket`: `Socket` declared in the ambient module "net".
    const quoted = /^"([^"]+)"\.(.+)$/.exec(name);
    if (!quoted) {
      if (name === declared) return true;
      continue;
    }
    const scope = u.scope;
    if (quoted[2] === declared && scope && isModuleDeclaration(scope) && isStringLiteral(scope.name) && scope.name.text === quoted[1]) return true;
  }
  return false;
}

/** The global names a program source file mentions: a node of its own, searched after the file's imports. */
interface Mentions {
  readonly mentionsIn: ts.SourceFile;
}

type ReachNode = Unit | SourceUnit | Mentions;

/** Is this file a library's (default lib, `@types`, a package's typings) rather than the project's own? */
function isLibraryFile(sf: ts.SourceFile, program: ts.Program): boolean {
  return sf.isDeclarationFile && (program.isSourceFileDefaultLibrary(sf) || program.isSourceFileFromExternalLibrary(sf) || sf.fileName.replace(/\\/g, '/').includes('/node_modules/'));
}

function addTo<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const wordsCache = new WeakMap<ts.SourceFile, readonly string[]>();

/**
 * The distinct identifiers of a file: TypeScript's parser keeps them (JSDoc included); else read from the text
 * (comments and strings included: more, never fewer).
 */
function wordsOf(sf: ts.SourceFile): readonly string[] {
  let words = wordsCache.get(sf);
  if (!words) {
    const parsed = (sf as unknown as { identifiers?: ReadonlyMap<string, string> }).identifiers;
    words = parsed instanceof Map ? [...parsed.keys()] : [...new Set(sf.text.match(/[A-Za-z_$][\w$]*/g) ?? [])];
    wordsCache.set(sf, words);
  }
  return words;
}

/**
 * The declarations and files of one layer, over those of a base layer: the library declaration files (the same
 * SourceFile objects in every program of a language service, so their answers are kept) under the project's own
 * files. A node (a declaration of a declaration file, or a whole program source file) reaches when a path of
 * mentions leads from it to a node that declares a bound type; asked on demand, by a depth-first search whose
 * answers are kept: `true` for the nodes on the path found, `false` for every node of a search that found none
 * (all it could reach was searched). A library node's mentions are looked up in the library only, so its answer
 * holds in every program with the same library files.
 */
class ReachLayer {
  readonly sourceUnits = new Map<ts.SourceFile, SourceUnit>();
  private readonly own = new Set<ReachNode>();
  private readonly origins = new Set<ReachNode>();
  /** Units by scope node (undefined: global), then by declared name. */
  private readonly byScope = new Map<ts.Node | undefined, Map<string, ReachNode[]>>();
  /** Units by scope node, then by namespace (`NodeJS`): the units declaring its members. */
  private readonly nsMembers = new Map<ts.Node | undefined, Map<string, ReachNode[]>>();
  private readonly importsByScope = new Map<ts.Node, ReadonlyMap<string, ImportBinding>>();
  /** The global names declared as the global object (`global`, `window`). */
  private readonly globalObjectNames = new Set<string>(['globalThis']);
  private readonly answers = new Map<ReachNode, boolean>();
  private readonly deps = new Map<ReachNode, ReachNode[]>();
  private readonly mentions = new Map<SourceUnit, Mentions>();

  constructor(
    files: readonly ts.SourceFile[],
    private readonly program: ts.Program,
    private checker: ts.TypeChecker,
    bindings: readonly KindBinding[],
    private readonly base: ReachLayer | undefined,
  ) {
    const namePatterns = new Map<string, RegExp>();
    for (const sf of files) {
      const matching = bindings.filter((b) => sourceFileMatches(sf, b.source, program));
      if (sf.isDeclarationFile) {
        const fu = unitsOf(sf);
        for (const [scope, binds] of fu.imports) this.importsByScope.set(scope, binds);
        for (const u of fu.units) this.addUnit(u, matching);
        continue;
      }
      // A program source file declaring a user kind's type (by name: the file is read whole).
      let origin = false;
      for (const b of matching) {
        for (const name of b.names) {
          let re = namePatterns.get(name);
          if (!re) {
            re = new RegExp(`(?<![\\w$])${escape(name.slice(name.lastIndexOf('.') + 1))}(?![\\w$])`);
            namePatterns.set(name, re);
          }
          if (re.test(sf.text)) origin = true;
        }
      }
      const s: SourceUnit = { ...sourceFacts(sf), origin };
      this.sourceUnits.set(sf, s);
      this.own.add(s);
      const mentions: Mentions = { mentionsIn: sf };
      this.mentions.set(s, mentions);
      this.own.add(mentions);
      if (origin) this.origins.add(s);
      for (const g of s.globals) this.declare(undefined, g, s);
    }
  }

  /** A later program of the same library files: the same answers, its checker for module names. */
  useChecker(checker: ts.TypeChecker): void {
    this.checker = checker;
  }

  private addUnit(u: Unit, matching: readonly KindBinding[]): void {
    this.own.add(u);
    for (const d of u.declared) this.declare(u.scope, d, u);
    if (matching.some((b) => u.declared.some((d) => declaresBound(u, d, b)))) this.origins.add(u);
    if (u.globalObject && !u.scope) for (const d of u.declared) this.globalObjectNames.add(d);
  }

  private declare(scope: ts.Node | undefined, name: string, node: ReachNode): void {
    let names = this.byScope.get(scope);
    if (!names) {
      names = new Map();
      this.byScope.set(scope, names);
    }
    addTo(names, name, node);
    let members = this.nsMembers.get(scope);
    for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) {
      if (!members) {
        members = new Map();
        this.nsMembers.set(scope, members);
      }
      addTo(members, name.slice(0, i), node);
    }
  }

  /** Project units that add to a name the library declares (`declare global { namespace NodeJS { … } }`). */
  augmentations(): ReachNode[] {
    const base = this.base;
    if (!base) return [];
    const out: ReachNode[] = [];
    for (const [scope, names] of this.byScope) {
      const targets = scope === undefined ? [undefined] : isModuleDeclaration(scope) ? this.augmentedScopes(scope) : [];
      if (targets.length === 0) continue;
      for (const [name, nodes] of names) if (targets.some((t) => base.tableHas(t, name))) out.push(...nodes);
    }
    return out;
  }

  private augmentedScopes(scope: ts.ModuleDeclaration): Array<ts.Node | undefined> {
    const symbol = this.checker.getSymbolAtLocation(scope.name);
    return (symbol?.declarations ?? []).filter((d) => d !== scope);
  }

  private tableHas(scope: ts.Node | undefined, name: string): boolean {
    return (this.byScope.get(scope)?.has(name) ?? false) || (this.base?.tableHas(scope, name) ?? false);
  }

  /** Can a value in this file have a resource type? True for a file this layer does not know. */
  fileReaches(sf: ts.SourceFile): boolean {
    const s = this.sourceUnits.get(sf);
    return s ? this.reaches(s) : true;
  }

  private layerOf(node: ReachNode): ReachLayer {
    return this.own.has(node) || !this.base ? this : this.base.layerOf(node);
  }

  private answer(node: ReachNode): boolean | undefined {
    return this.layerOf(node).answers.get(node);
  }

  private remember(node: ReachNode, value: boolean): void {
    this.layerOf(node).answers.set(node, value);
  }

  private isOrigin(node: ReachNode): boolean {
    return this.layerOf(node).origins.has(node);
  }

  /** Depth-first search from `start` for an origin; an explicit stack (chains of declarations can be long). */
  reaches(start: ReachNode): boolean {
    const known = this.answer(start);
    if (known !== undefined) return known;
    if (this.isOrigin(start)) {
      this.remember(start, true);
      return true;
    }
    const visited = new Set<ReachNode>([start]);
    const stack: Array<{ node: ReachNode; deps: readonly ReachNode[]; i: number }> = [{ node: start, deps: this.depsOf(start), i: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (top.i >= top.deps.length) {
        stack.pop();
        continue;
      }
      const d = top.deps[top.i++];
      if (visited.has(d)) continue;
      const a = this.answer(d);
      if (a === false) continue;
      if (a === true || this.isOrigin(d)) {
        this.remember(d, true);
        for (const f of stack) this.remember(f.node, true);
        return true;
      }
      visited.add(d);
      stack.push({ node: d, deps: this.depsOf(d), i: 0 });
    }
    for (const v of visited) this.remember(v, false);
    return false;
  }

  private depsOf(node: ReachNode): readonly ReachNode[] {
    const layer = this.layerOf(node);
    let deps = layer.deps.get(node);
    if (!deps) {
      deps = 'file' in node ? layer.sourceDeps(node) : 'mentionsIn' in node ? layer.mentionedGlobals(node.mentionsIn) : layer.unitDeps(node);
      layer.deps.set(node, deps);
    }
    return deps;
  }

  private unitDeps(u: Unit): ReachNode[] {
    const out: ReachNode[] = [];
    const { refs, modules } = mentionsOfUnit(u);
    for (const m of modules) out.push(...this.moduleNodes(this.checker.getSymbolAtLocation(m)));
    for (const r of u.reexports ?? []) out.push(...this.exportNodes(this.checker.getSymbolAtLocation(r.module), r.name));
    for (const r of refs) out.push(...this.refNodes(u, r));
    return out;
  }

  private sourceDeps(s: SourceUnit): ReachNode[] {
    const out: ReachNode[] = [];
    for (const imp of s.imports) {
      const symbol = this.checker.getSymbolAtLocation(imp.module);
      for (const n of imp.names) out.push(...this.exportNodes(symbol, n));
    }
    const mentions = this.mentions.get(s);
    if (mentions) out.push(mentions);
    return out;
  }

  private scopeTable(scope: ts.Node): Map<string, ReachNode[]> | undefined {
    return this.byScope.get(scope) ?? this.base?.scopeTable(scope);
  }

  private globalNodes(name: string, out: ReachNode[]): boolean {
    const own = this.byScope.get(undefined)?.get(name);
    if (own) out.push(...own);
    const inBase = this.base?.globalNodes(name, out) ?? false;
    return !!own || inBase;
  }

  private namespaceNodes(scope: ts.Node | undefined, name: string, out: ReachNode[]): boolean {
    const own = this.nsMembers.get(scope)?.get(name);
    if (own) out.push(...own);
    const inBase = this.base?.namespaceNodes(scope, name, out) ?? false;
    return !!own || inBase;
  }

  /** Every node of a module: its declarations' units, or the program source file. */
  private moduleNodes(symbol: ts.Symbol | undefined): ReachNode[] {
    const out: ReachNode[] = [];
    for (const d of symbol?.declarations ?? []) {
      const s = isSourceFile(d) ? this.sourceUnits.get(d) : undefined;
      if (s) out.push(s);
      else for (const nodes of this.scopeTable(d)?.values() ?? []) out.push(...nodes);
    }
    return out;
  }

  /** The nodes an import of `name` from the module depends on: its declarations of that name, else the whole module. */
  private exportNodes(symbol: ts.Symbol | undefined, name: string, seen = new Set<ts.Symbol>()): ReachNode[] {
    if (!symbol) return []; // unresolved: its values are `any`
    if (name === '*') return this.moduleNodes(symbol);
    seen.add(symbol);
    const out: ReachNode[] = [];
    let found = false;
    let exportEquals = false;
    for (const d of symbol.declarations ?? []) {
      const s = isSourceFile(d) ? this.sourceUnits.get(d) : undefined;
      if (s) return [s]; // a program source file is read whole
      const table = this.scopeTable(d);
      if (!table) continue;
      if (table.has('export=')) exportEquals = true;
      const named = table.get(name);
      if (named) {
        found = true;
        out.push(...named);
      }
      for (const star of table.get('*') ?? []) {
        for (const m of (star as Unit).modules ?? []) {
          const target = this.checker.getSymbolAtLocation(m);
          if (!target || seen.has(target)) continue;
          const before = out.length;
          out.push(...this.exportNodes(target, name, seen));
          if (out.length > before) found = true;
        }
      }
    }
    // `export = X` (the exports are X's members) or a name declared nowhere: the whole module.
    return found && !exportEquals ? out : this.moduleNodes(symbol);
  }

  /**
   * The nodes a name mentioned in a unit stands for: the longest declared prefix decides (`NodeJS.Process` before
   * `NodeJS`), looked up in the unit's namespaces, its module scope (declarations, then import bindings) and the
   * global scope; a namespace mentioned as a whole stands for all its members.
   */
  private refNodes(u: Unit, ref: string): ReachNode[] {
    const parts = ref.split('.');
    const out: ReachNode[] = [];
    const prefixes = nsPrefixes(u.ns);
    const local = u.lexical ? this.scopeTable(u.lexical) : undefined;
    for (let n = parts.length; n > 0; n--) {
      const name = n === parts.length ? ref : parts.slice(0, n).join('.');
      const whole = n === parts.length;
      let declared = false;
      // The unit's own scope first (inside `namespace NodeJS`, `ReadStream` may be `NodeJS.ReadStream`)…
      for (let i = 0; i <= prefixes.length; i++) {
        const candidate = i < prefixes.length ? prefixes[i] + name : name;
        const found = local?.get(candidate);
        if (found) {
          out.push(...found);
          declared = true;
        }
        if (whole && u.lexical && this.namespaceNodes(u.lexical, candidate, out)) declared = true;
      }
      if (declared) return out;
      // …then its imports (which shadow globals of the same name)…
      if (n === 1) {
        const bind = u.lexical ? this.importsOf(u.lexical)?.get(name) : undefined;
        if (bind) {
          const symbol = this.checker.getSymbolAtLocation(bind.module);
          return this.exportNodes(symbol, bind.name === '*' && parts.length > 1 ? parts[1] : bind.name);
        }
      }
      // …then the global scope.
      for (let i = 0; i <= prefixes.length; i++) {
        const candidate = i < prefixes.length ? prefixes[i] + name : name;
        if (this.globalNodes(candidate, out)) declared = true;
        if (whole && this.namespaceNodes(undefined, candidate, out)) declared = true;
      }
      if (declared) return out;
    }
    return out;
  }

  private importsOf(scope: ts.Node): ReadonlyMap<string, ImportBinding> | undefined {
    return this.importsByScope.get(scope) ?? this.base?.importsOf(scope);
  }

  private isGlobalObject(name: string): boolean {
    return this.globalObjectNames.has(name) || (this.base?.isGlobalObject(name) ?? false);
  }

  /**
   * The global declarations a file's text mentions (comments included: JSDoc types): `process`, a member of a
   * namespace (`NodeJS.Process`; the namespace's members when it stands alone), and for the global object
   * (`globalThis.x`, `global`, a script's top-level `this`) every global declaration.
   */
  private mentionedGlobals(sf: ts.SourceFile): ReachNode[] {
    const out: ReachNode[] = [];
    let everything = !(sf as unknown as { symbol?: ts.Symbol }).symbol && /(?<![\w$.])this(?![\w$])/.test(sf.text);
    for (const word of wordsOf(sf)) {
      if (everything) break;
      if (this.isGlobalObject(word)) {
        everything = true;
        break;
      }
      this.globalNodes(word, out);
      // A namespace (`NodeJS`, or a class merged with one): the members named after it, or all when it stands alone.
      if (this.namespaceNodes(undefined, word, [])) this.namespaceMentions(sf, word, out);
    }
    if (everything) this.allGlobalNodes(out);
    return out;
  }

  /** `NodeJS.Process`, `NodeJS.ReadStream`…: the members of a global namespace the file names (all, for a bare `NodeJS`). */
  private namespaceMentions(sf: ts.SourceFile, ns: string, out: ReachNode[]): void {
    const chain = new RegExp(`(?<![\\w$.])${escape(ns)}(?![\\w$])((?:\\s*\\.\\s*[A-Za-z_$][\\w$]*)*)`, 'g');
    for (const m of sf.text.matchAll(chain)) {
      const members = m[1].replace(/\s+/g, '').split('.').slice(1);
      let name = ns;
      let i = 0;
      for (;;) {
        if (i >= members.length) {
          this.namespaceNodes(undefined, name, out);
          break;
        }
        name = `${name}.${members[i++]}`;
        this.globalNodes(name, out);
        if (!this.namespaceNodes(undefined, name, [])) break;
      }
    }
  }

  private allGlobalNodes(out: ReachNode[]): void {
    for (const nodes of this.byScope.get(undefined)?.values() ?? []) out.push(...nodes);
    this.base?.allGlobalNodes(out);
  }
}

function escape(name: string): string {
  return name.replace(/\$/g, '\\$');
}

/** The library layers made so far, per first library file: the files, the bindings key and options, the layer. */
const libraryLayers = new WeakMap<ts.SourceFile, Array<{ files: readonly ts.SourceFile[]; key: string; options: ts.CompilerOptions; layer: ReachLayer }>>();

function sameFiles(a: readonly ts.SourceFile[], b: readonly ts.SourceFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}

/**
 * The reach of one program under one set of kind bindings. Its library declaration files (default lib, `@types`,
 * packages) are one layer, kept across the programs of a language service (they share those SourceFile objects);
 * the project's own files another, per program. When a project file adds to a library declaration a member that
 * reaches (`declare global { interface Console { sock: net.Socket } }`), the library's answers would not hold:
 * the program is then read as one layer.
 */
export class ProgramReach {
  private readonly layer: ReachLayer;

  constructor(program: ts.Program, checker: ts.TypeChecker, bindings: readonly KindBinding[], bindingsKey: string) {
    const library: ts.SourceFile[] = [];
    const own: ts.SourceFile[] = [];
    for (const sf of program.getSourceFiles()) (isLibraryFile(sf, program) ? library : own).push(sf);
    const options = program.getCompilerOptions();
    let base: ReachLayer | undefined;
    if (library.length > 0) {
      const entries = libraryLayers.get(library[0]) ?? [];
      base = entries.find((e) => e.key === bindingsKey && e.options === options && sameFiles(e.files, library))?.layer;
      if (base) {
        base.useChecker(checker);
      } else {
        base = new ReachLayer(library, program, checker, bindings, undefined);
        entries.push({ files: library, key: bindingsKey, options, layer: base });
        if (entries.length > 4) entries.shift();
        libraryLayers.set(library[0], entries);
      }
    }
    let layer = new ReachLayer(own, program, checker, bindings, base);
    if (layer.augmentations().some((n) => layer.reaches(n))) layer = new ReachLayer(program.getSourceFiles(), program, checker, bindings, undefined);
    this.layer = layer;
  }

  /** Can a value in this file have a resource type? True for a file this program does not know. */
  fileReaches(sf: ts.SourceFile): boolean {
    return this.layer.fileReaches(sf);
  }
}

/** `A.B.` → [`A.B.`, `A.`]. */
const prefixCache = new Map<string, readonly string[]>([['', []]]);
function nsPrefixes(ns: string): readonly string[] {
  let out = prefixCache.get(ns);
  if (!out) {
    const list: string[] = [];
    let p = ns;
    while (p) {
      list.push(p);
      const i = p.lastIndexOf('.', p.length - 2);
      p = i < 0 ? '' : p.slice(0, i + 1);
    }
    out = list;
    prefixCache.set(ns, out);
  }
  return out;
}

