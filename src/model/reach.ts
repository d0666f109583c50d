/**
 * Which files of a program can hold a resource at all, decided from declarations and imports without asking the
 * type checker for any type.
 *
 * A value in a file can have a resource type only if that type is reachable from the file: through what the file
 * imports (import declarations, `require()`, `import()` types, JSDoc imports), through a global name it mentions
 * (`process.stdin` is a `tty.ReadStream`, a `net.Socket`), or because the file declares a bound type itself
 * (a user kind). Reaching is decided over declarations: a declaration reaches when it declares a bound type or
 * mentions (in a member, a parameter, a base type…) a name that reaches. Declaration files are read declaration by
 * declaration (so that `fs` or `util`, which import `net` for a few functions, reach only through those
 * functions); a program source file is read whole: it reaches when what it imports reaches (the names it imports,
 * or the members it reads of a module bound to one name: `http.STATUS_CODES` does not reach, `http.request`
 * does), when one of its identifiers (JSDoc included) names a global that reaches (of a global variable typed with
 * an interface, `process`, only the members it reads when it reads nothing else: `process.env` does not reach,
 * `process.stdin` does; not a name its own top-level class declares; of the global object read only through plain
 * members, `globalThis.setImmediate`, those globals), or when it declares a user kind's name. A JSON file names
 * nothing. A name imported from a module none of whose declarations (nor the modules they re-export with `*`)
 * declares it is `any` (Node's typings lag behind Node: `require('http').websocketMask`): it reaches nothing.
 *
 * Every doubt answers "reaches": a namespace or module used as a whole, a module with `export =`, a file the program
 * does not know. Known gaps, in declaration files only: a declaration that reaches a global only through the global
 * object (`typeof globalThis.process`) is not followed. A file that does not reach needs no pre-screen: the engine
 * skips it (under SOCKET_CLOSE_STRICT it screens it anyway and fails when the screen finds a resource type).
 */
import * as ts from 'typescript';
import type { KindBinding } from '../kinds/registry';
import { sourceFileMatches } from '../kinds/registry';
import { type Unit, type ImportBinding, type SourceUnit, unitsOf, mentionsOfUnit, sourceFacts, declaresBound, wordsOf, escapeName, nsPrefixes, isScriptFile, moduleSpecifiersOf, globalMembersUsed, dotted } from './reach-files';
import { addToList } from '../util/lists';
// Module constants: `ts.x` reads go through the typescript module's export getters (hot in the walks below).
const {
  isClassDeclaration,
  isIdentifier,
  isInterfaceDeclaration,
  isModuleDeclaration,
  isSourceFile,
  isStringLiteral,
  isTypeReferenceNode,
  isVariableStatement,
  ScriptKind,
} = ts;

/** The global names a program source file mentions: a node of its own, searched after the file's imports. */
interface Mentions {
  readonly mentionsIn: ts.SourceFile;
}

type ReachNode = Unit | SourceUnit | Mentions;

/**
 * Does this file belong to the layer kept across programs: a declaration file (a library's, or the project's own
 * when everything it imports is declarations too — its answers must not depend on the project's source files)?
 */
function isDeclarationLayerFile(sf: ts.SourceFile, program: ts.Program, checker: ts.TypeChecker): boolean {
  if (!sf.isDeclarationFile) return false;
  if (program.isSourceFileDefaultLibrary(sf) || program.isSourceFileFromExternalLibrary(sf) || sf.fileName.replace(/\\/g, '/').includes('/node_modules/')) return true;
  return moduleSpecifiersOf(sf).every((literal) =>
    (checker.getSymbolAtLocation(literal)?.declarations ?? []).every((d) => !isSourceFile(d) || d.isDeclarationFile),
  );
}


/**
 * The declarations and files of one layer, over those of a base layer (the declaration files under the project's
 * source files): which names each scope declares, and what a declaration or file mentions — the nodes its
 * reaching depends on (a name stands for its declarations, by the longest declared prefix; an import for the
 * imported module's declarations of that name, else the whole module).
 */
class ReachNames {
  readonly sourceUnits = new Map<ts.SourceFile, SourceUnit>();
  protected readonly own = new Set<ReachNode>();
  protected readonly origins = new Set<ReachNode>();
  /** Units by scope node (undefined: global), then by declared name. */
  private readonly byScope = new Map<ts.Node | undefined, Map<string, ReachNode[]>>();
  /** Units by scope node, then by namespace (`NodeJS`): the units declaring its members. */
  private readonly nsMembers = new Map<ts.Node | undefined, Map<string, ReachNode[]>>();
  private readonly importsByScope = new Map<ts.Node, ReadonlyMap<string, ImportBinding>>();
  /** The global names declared as the global object (`global`, `window`). */
  private readonly globalObjectNames = new Set<string>(['globalThis']);
  private readonly mentions = new Map<SourceUnit, Mentions>();
  /** The last segment of every name a binding matches (a quick test before {@link declaresBound}). */
  private readonly boundNames: ReadonlySet<string>;
  /** Module scopes not indexed yet, with the bindings their file matches. */
  private readonly pending = new Map<ts.Node, { units: Unit[]; matching: readonly KindBinding[] }>();

  constructor(
    files: readonly ts.SourceFile[],
    program: ts.Program,
    private checker: ts.TypeChecker,
    bindings: readonly KindBinding[],
    protected readonly base: ReachNames | undefined,
  ) {
    this.boundNames = new Set(bindings.flatMap((b) => [...b.names].map((n) => n.slice(n.lastIndexOf('.') + 1))));
    const namePatterns = new Map<string, RegExp>();
    for (const sf of files) {
      const matching = bindings.filter((b) => sourceFileMatches(sf, b.source, program));
      if (sf.isDeclarationFile) {
        const fu = unitsOf(sf);
        for (const [scope, binds] of fu.imports) this.importsByScope.set(scope, binds);
        for (const u of fu.units) {
          // Module scopes are indexed when first looked into (most never are); the global scope now, and over a
          // library the project's `declare module 'x'` blocks (augmentations() reads them).
          if (u.scope === undefined || (base && isModuleDeclaration(u.scope))) {
            this.addUnit(u, matching);
            continue;
          }
          let pending = this.pending.get(u.scope);
          if (!pending) {
            pending = { units: [], matching };
            this.pending.set(u.scope, pending);
          }
          pending.units.push(u);
        }
        continue;
      }
      // A program source file declaring a user kind's type (by name: the file is read whole).
      let origin = false;
      for (const b of matching) {
        for (const name of b.names) {
          let re = namePatterns.get(name);
          if (!re) {
            re = new RegExp(`(?<![\\w$])${escapeName(name.slice(name.lastIndexOf('.') + 1))}(?![\\w$])`);
            namePatterns.set(name, re);
          }
          if (re.test(sf.text)) origin = true;
        }
      }
      const s: SourceUnit = { ...sourceFacts(sf), origin };
      this.sourceUnits.set(sf, s);
      this.own.add(s);
      // A JSON file (`require('./package.json')`) names nothing: its values are data.
      if ((sf as { scriptKind?: ts.ScriptKind }).scriptKind !== ScriptKind.JSON && !/\.json$/i.test(sf.fileName)) {
        const mentions: Mentions = { mentionsIn: sf };
        this.mentions.set(s, mentions);
        this.own.add(mentions);
      }
      if (origin) this.origins.add(s);
      for (const g of s.globals) this.declare(undefined, g, s);
    }
  }

  /** Indexes a module scope whose units wait (see the constructor). */
  private indexScope(scope: ts.Node | undefined): void {
    if (scope === undefined) return;
    const pending = this.pending.get(scope);
    if (!pending) return;
    this.pending.delete(scope);
    for (const u of pending.units) this.addUnit(u, pending.matching);
  }

  /** A later program of the same library files: the same answers, its checker for module names. */
  useChecker(checker: ts.TypeChecker): void {
    this.checker = checker;
  }

  private addUnit(u: Unit, matching: readonly KindBinding[]): void {
    this.own.add(u);
    for (const d of u.declared) this.declare(u.scope, d, u);
    if (u.declared.some((d) => this.boundNames.has(d.slice(d.lastIndexOf('.') + 1))) && matching.some((b) => u.declared.some((d) => declaresBound(u, d, b)))) this.origins.add(u);
    if (u.globalObject && !u.scope) for (const d of u.declared) this.globalObjectNames.add(d);
  }

  private declare(scope: ts.Node | undefined, name: string, node: ReachNode): void {
    let names = this.byScope.get(scope);
    if (!names) {
      names = new Map();
      this.byScope.set(scope, names);
    }
    addToList(names, name, node);
    let members = this.nsMembers.get(scope);
    for (let i = name.indexOf('.'); i >= 0; i = name.indexOf('.', i + 1)) {
      if (!members) {
        members = new Map();
        this.nsMembers.set(scope, members);
      }
      addToList(members, name.slice(0, i), node);
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
    this.indexScope(scope);
    return (this.byScope.get(scope)?.has(name) ?? false) || (this.base?.tableHas(scope, name) ?? false);
  }

  protected unitDeps(u: Unit): ReachNode[] {
    const out: ReachNode[] = [];
    const { refs, modules } = mentionsOfUnit(u);
    for (const m of modules) out.push(...this.moduleNodes(this.checker.getSymbolAtLocation(m)));
    for (const r of u.reexports ?? []) out.push(...this.exportNodes(this.checker.getSymbolAtLocation(r.module), r.name));
    for (const r of refs) out.push(...this.refNodes(u, r));
    return out;
  }

  protected sourceDeps(s: SourceUnit): ReachNode[] {
    const out: ReachNode[] = [];
    for (const imp of s.imports) {
      const symbol = this.checker.getSymbolAtLocation(imp.module);
      // A default import of a module without a `default` export (esModuleInterop): the members the file reads.
      const noDefault = imp.names.includes('default') && !this.declaresExport(symbol, 'default');
      for (const n of imp.names) {
        if (n === 'default' ? noDefault : n.startsWith('.') && !noDefault) continue;
        out.push(...this.exportNodes(symbol, n.startsWith('.') ? n.slice(1) : n));
      }
    }
    const mentions = this.mentions.get(s);
    if (mentions) out.push(mentions);
    return out;
  }

  private scopeTable(scope: ts.Node): Map<string, ReachNode[]> | undefined {
    this.indexScope(scope);
    return this.byScope.get(scope) ?? this.base?.scopeTable(scope);
  }

  protected globalNodes(name: string, out: ReachNode[]): boolean {
    const own = this.byScope.get(undefined)?.get(name);
    if (own) out.push(...own);
    const inBase = this.base?.globalNodes(name, out) ?? false;
    return !!own || inBase;
  }

  private namespaceNodes(scope: ts.Node | undefined, name: string, out: ReachNode[]): boolean {
    this.indexScope(scope);
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

  /** Does the module (or one it re-exports with `*`) declare an export of this name? A program source file: perhaps. */
  private declaresExport(symbol: ts.Symbol | undefined, name: string, seen = new Set<ts.Symbol>()): boolean {
    if (!symbol || seen.has(symbol)) return false;
    seen.add(symbol);
    for (const d of symbol.declarations ?? []) {
      if (isSourceFile(d) && this.sourceUnits.has(d)) return true;
      const table = this.scopeTable(d);
      if (table?.has(name) || table?.has('export=')) return true;
      for (const star of table?.get('*') ?? []) {
        for (const m of (star as Unit).modules ?? []) if (this.declaresExport(this.checker.getSymbolAtLocation(m), name, seen)) return true;
      }
    }
    return false;
  }

  /** The nodes an import of `name` from the module depends on: its declarations of that name (the whole module when it has `export =`). */
  private exportNodes(symbol: ts.Symbol | undefined, name: string, seen = new Set<ts.Symbol>()): ReachNode[] {
    if (!symbol) return []; // unresolved: its values are `any`
    if (name === '*') return this.moduleNodes(symbol);
    seen.add(symbol);
    const out: ReachNode[] = [];
    let exportEquals = false;
    let unread = false;
    for (const d of symbol.declarations ?? []) {
      const s = isSourceFile(d) ? this.sourceUnits.get(d) : undefined;
      if (s) {
        // A program source file is read whole (an augmentation of it, below, adds its declarations of the name).
        out.push(s);
        continue;
      }
      const table = this.scopeTable(d);
      if (!table) {
        unread = true;
        continue;
      }
      if (table.has('export=')) exportEquals = true;
      const named = table.get(name);
      if (named) out.push(...named);
      for (const star of table.get('*') ?? []) {
        for (const m of (star as Unit).modules ?? []) {
          const target = this.checker.getSymbolAtLocation(m);
          if (!target || seen.has(target)) continue;
          out.push(...this.exportNodes(target, name, seen));
        }
      }
    }
    // `export = X` (the exports are X's members), or a declaration not read: the whole module. A name that none of
    // the module's declarations (augmentations included) nor the modules it re-exports with `*` declares is no
    // export of it: the import is `any` (an error in TypeScript), which no kind binds.
    if (exportEquals || unread) return this.moduleNodes(symbol);
    return out;
  }

  /**
   * The nodes a name mentioned in a unit stands for: the longest declared prefix decides (`NodeJS.Process` before
   * `NodeJS`), looked up in the unit's namespaces, its module scope (declarations, then import bindings) and the
   * global scope; a namespace mentioned as a whole stands for all its members.
   */
  protected refNodes(u: Unit, ref: string): ReachNode[] {
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
        // Not the unit itself: `import connect from './connect'; export { connect }` names the import (the scope's table
        // holds the export under the same name).
        for (const node of local?.get(candidate) ?? []) {
          if (node === u) continue;
          out.push(node);
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
          const whole = bind.name === '*' || (bind.name === 'default' && !this.declaresExport(symbol, 'default'));
          return this.exportNodes(symbol, whole && parts.length > 1 ? parts[1] : whole ? '*' : bind.name);
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
   * namespace (`NodeJS.Process`; the namespace's members when it stands alone), for the global object read only
   * through plain members (`globalThis.x`, `global.Promise`) the whole declarations of those globals, and for any
   * other use of it (`global`, `globalThis[k]`, a script's top-level `this`) every global declaration. In a module, the name of a
   * class it declares at its top level (`class MessageEvent`) does not mention the global of that name.
   */
  protected mentionedGlobals(sf: ts.SourceFile): ReachNode[] {
    const out: ReachNode[] = [];
    const script = isScriptFile(sf);
    let everything = script && /(?<![\w$.])this(?![\w$])/.test(sf.text);
    const classes = new Set<string>();
    if (!script) for (const stmt of sf.statements) if (isClassDeclaration(stmt) && stmt.name) classes.add(stmt.name.text);
    for (const word of wordsOf(sf)) {
      if (everything) break;
      if (this.isGlobalObject(word)) {
        // Read only through plain members (`globalThis.setImmediate`, `global.Promise`): those globals, whole.
        const members = globalMembersUsed(sf, word);
        if (members.includes('*') || members.some((m) => this.isGlobalObject(m))) {
          everything = true;
          break;
        }
        for (const m of members) this.globalNodes(m, out);
        continue;
      }
      // A class the module declares at its top level is what the name means everywhere in the file (value and type).
      if (classes.has(word)) continue;
      this.globalMentionNodes(sf, word, out);
      // A namespace (`NodeJS`, or a class merged with one): the members named after it, or all when it stands alone.
      if (this.namespaceNodes(undefined, word, [])) this.namespaceMentions(sf, word, out);
    }
    if (everything) this.allGlobalNodes(out);
    return out;
  }

  /** The nodes a global name the file mentions stands for (its declarations); true when it is declared. */
  protected globalMentionNodes(_sf: ts.SourceFile, word: string, out: ReachNode[]): boolean {
    return this.globalNodes(word, out);
  }

  /** `NodeJS.Process`, `NodeJS.ReadStream`…: the members of a global namespace the file names (all, for a bare `NodeJS`). */
  private namespaceMentions(sf: ts.SourceFile, ns: string, out: ReachNode[]): void {
    const chain = new RegExp(`(?<![\\w$.])${escapeName(ns)}(?![\\w$])((?:\\s*\\.\\s*[A-Za-z_$][\\w$]*)*)`, 'g');
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

/**
 * A node (a declaration of a declaration file, or a whole program source file) reaches when a path of mentions
 * leads from it to a node that declares a bound type. Asked on demand by a depth-first search whose answers are
 * kept: `true` for the nodes on the path found, `false` for every node of a search that found none (it searched
 * all they can reach). A library node's mentions are looked up in the library only, so its answer holds in every
 * program with the same library files.
 */
class ReachLayer extends ReachNames {
  private readonly answers = new Map<ReachNode, boolean>();
  private readonly deps = new Map<ReachNode, ReachNode[]>();
  /** Units made for one member (or the base types) of an interface declaration: see {@link memberNodes}. */
  private readonly memberUnits = new Map<ts.Node, Unit>();

  /**
   * A global variable of the library that reaches (`process`: `process.stdin` is a socket) stands, in a file that
   * reads it only through plain members (`process.env`, `process.nextTick(…)`), for those members' declarations
   * only. Any other use of the name (passed on, destructured, `process[k]`, `typeof process`, a comment) keeps the
   * whole declaration. The library layer answers on its own declarations, so asking it here cannot come back to
   * the project file being read.
   */
  protected override globalMentionNodes(sf: ts.SourceFile, word: string, out: ReachNode[]): boolean {
    const whole: ReachNode[] = [];
    const declared = this.globalNodes(word, whole);
    const base = this.base as ReachLayer | undefined;
    const refined = base && whole.length > 0 && whole.every((n) => !this.own.has(n) && base.own.has(n)) && whole.some((n) => base.reaches(n)) ? base.memberNodes(sf, word, whole as Unit[]) : undefined;
    out.push(...(refined ?? whole));
    return declared;
  }

  /**
   * The declarations of the members `sf` reads of a global variable declared (in every declaration) with the name
   * of an interface, without type arguments: for each member, its declarations in that interface, or where the
   * interface does not declare it, its base types. Undefined: the file uses the variable otherwise, or its type is
   * not such an interface.
   */
  private memberNodes(sf: ts.SourceFile, word: string, decls: readonly Unit[]): ReachNode[] | undefined {
    const interfaces: Array<{ unit: Unit; decl: ts.InterfaceDeclaration }> = [];
    for (const u of decls) {
      const stmt = u.walk;
      if (!stmt || !isVariableStatement(stmt)) return undefined;
      const v = stmt.declarationList.declarations.find((d) => isIdentifier(d.name) && `${u.ns}${d.name.text}` === word);
      const type = v?.type;
      if (!type || !isTypeReferenceNode(type) || type.typeArguments) return undefined;
      const name = dotted(type.typeName);
      if (name === undefined) return undefined;
      const targets = this.refNodes(u, name);
      if (targets.length === 0) return undefined;
      for (const t of targets) {
        if (!('declared' in t) || !t.walk || !isInterfaceDeclaration(t.walk) || !this.own.has(t)) return undefined;
        interfaces.push({ unit: t, decl: t.walk });
      }
    }
    const members = globalMembersUsed(sf, word);
    if (members.includes('*')) return undefined;
    const out: ReachNode[] = [];
    for (const m of members) {
      let found = false;
      for (const { unit, decl } of interfaces) {
        for (const member of decl.members) {
          if (member.name && (isIdentifier(member.name) || isStringLiteral(member.name)) && member.name.text === m) {
            out.push(this.memberUnit(unit, member));
            found = true;
          }
        }
      }
      if (found) continue;
      for (const { unit, decl } of interfaces) for (const h of decl.heritageClauses ?? []) out.push(this.memberUnit(unit, h));
    }
    return out;
  }

  /** A unit for part of an interface declaration (a member, a heritage clause), read in the interface's scope. */
  private memberUnit(of: Unit, part: ts.Node): Unit {
    let u = this.memberUnits.get(part);
    if (!u) {
      u = { scope: of.scope, lexical: of.lexical, ns: of.ns, declared: [], walk: part };
      this.memberUnits.set(part, u);
      this.own.add(u);
    }
    return u;
  }

  /** Can a value in this file have a resource type? True for a file this layer does not know. */
  fileReaches(sf: ts.SourceFile): boolean {
    const s = this.sourceUnits.get(sf);
    return s ? this.reaches(s) : true;
  }

  private layerOf(node: ReachNode): ReachLayer {
    return this.own.has(node) || !this.base ? this : (this.base as ReachLayer).layerOf(node);
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
}


/** How many layers were read (the library's once per language service and settings; the project's once per program). */
export const reachStats = { libraryLayers: 0, projectLayers: 0 };

/** The library layers made so far, per first library file: the files, the bindings key and options, the layer. */
const libraryLayers = new WeakMap<ts.SourceFile, Array<{ files: readonly ts.SourceFile[]; key: string; options: ts.CompilerOptions; layer: ReachLayer }>>();

function sameFiles(a: readonly ts.SourceFile[], b: readonly ts.SourceFile[]): boolean {
  return a.length === b.length && a.every((f, i) => f === b[i]);
}

/**
 * The reach of one program under one set of kind bindings. Its declaration files (default lib, `@types`, packages,
 * and the project's own when they import only declarations) are one layer, kept across the programs of a language
 * service while those SourceFile objects stay the same; the project's source files another, per program. When a
 * project file adds to a declaration of the first layer a member that reaches (`declare global { interface
 * Console { sock: net.Socket } }` in a source file), that layer's answers would not hold: the program is then
 * read as one layer. (A project declaration file that names a global declared only by a project source script
 * does not see it.)
 */
export class ProgramReach {
  private readonly layer: ReachLayer;

  constructor(program: ts.Program, checker: ts.TypeChecker, bindings: readonly KindBinding[], bindingsKey: string) {
    const library: ts.SourceFile[] = [];
    const own: ts.SourceFile[] = [];
    for (const sf of program.getSourceFiles()) (isDeclarationLayerFile(sf, program, checker) ? library : own).push(sf);
    const options = program.getCompilerOptions();
    let base: ReachLayer | undefined;
    if (library.length > 0) {
      const entries = libraryLayers.get(library[0]) ?? [];
      base = entries.find((e) => e.key === bindingsKey && e.options === options && sameFiles(e.files, library))?.layer;
      if (base) {
        base.useChecker(checker);
      } else {
        base = new ReachLayer(library, program, checker, bindings, undefined);
        reachStats.libraryLayers++;
        entries.push({ files: library, key: bindingsKey, options, layer: base });
        if (entries.length > 4) entries.shift();
        libraryLayers.set(library[0], entries);
      }
    }
    let layer = new ReachLayer(own, program, checker, bindings, base);
    reachStats.projectLayers++;
    if (layer.augmentations().some((n) => layer.reaches(n))) layer = new ReachLayer(program.getSourceFiles(), program, checker, bindings, undefined);
    this.layer = layer;
  }

  /** Can a value in this file have a resource type? True for a file this program does not know. */
  fileReaches(sf: ts.SourceFile): boolean {
    return this.layer.fileReaches(sf);
  }
}
