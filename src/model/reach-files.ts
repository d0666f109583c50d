/**
 * What the reach index (reach.ts) reads of each file, once per SourceFile object (a language service's programs
 * share the unchanged ones): a declaration file's declarations (units) with the names they declare and mention,
 * and a program source file's imports, global declarations and identifiers.
 */
import * as ts from 'typescript';
import type { KindBinding } from '../kinds/registry';
// Module constants: `ts.x` reads go through the typescript module's export getters (hot in the walks below).
const {
  SyntaxKind,
  NodeFlags,
  forEachChild,
  getLeadingCommentRanges,
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
  isStringLiteral,
  isStringLiteralLike,
  isTypeAliasDeclaration,
  isTypeQueryNode,
  isVariableDeclaration,
  isVariableStatement,
} = ts;

/** One declaration of a declaration file (a statement, or a member statement of a namespace). */
export interface Unit {
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
export interface ImportBinding {
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
export function dotted(n: ts.Node): string | undefined {
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
export function mentionsOfUnit(u: Unit): { refs: readonly string[]; modules: readonly ts.StringLiteralLike[] } {
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

export function unitsOf(sf: ts.SourceFile): FileUnits {
  let u = unitsCache.get(sf);
  if (!u) {
    u = readDeclarationFile(sf);
    unitsCache.set(sf, u);
  }
  return u;
}


/** A program source file (not a declaration file), read whole. */
export interface SourceUnit {
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
    // `import m from 'm'`: its `default`, or (a module without one, through esModuleInterop) the members used.
    if (clause.name) names.push('default', ...membersUsed(literal.getSourceFile(), clause.name.text).map((n) => (n === '*' ? n : `.${n}`)));
    const nb = clause.namedBindings;
    if (nb && isNamespaceImport(nb)) return [...names, ...membersUsed(literal.getSourceFile(), nb.name.text)];
    if (nb) for (const el of nb.elements) names.push((el.propertyName ?? el.name).text);
    return names;
  }
  // `import x = require('m')`
  if (isExternalModuleReference(p) && isImportEqualsDeclaration(p.parent)) return membersUsed(literal.getSourceFile(), p.parent.name.text);
  // `require('m')`, or compiled ES modules' `__importDefault(require('m'))`, `tslib.__importStar(require('m'))`.
  let call: ts.Node = p;
  const outer = p.parent;
  if (isCallExpression(outer) && outer.arguments[0] === p && /^__import(?:Default|Star)$/.test(calleeName(outer.expression) ?? '')) call = outer;
  if (isCallExpression(call) && isVariableDeclaration(call.parent) && call.parent.initializer === call) {
    const name = call.parent.name;
    // `const m = require('m')`
    if (isIdentifier(name)) return membersUsed(literal.getSourceFile(), name.text);
    // `const { a, b } = require('m')`
    if (isObjectBindingPattern(name)) {
      const names: string[] = [];
      for (const el of name.elements) {
        if (el.dotDotDotToken) return ['*'];
        const key = el.propertyName ?? el.name;
        if (!isIdentifier(key)) return ['*'];
        names.push(key.text);
      }
      return names;
    }
  }
  return ['*'];
}

function calleeName(e: ts.Expression): string | undefined {
  if (isIdentifier(e)) return e.text;
  if (isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
}

/**
 * The members a file reads of a module bound to one name (`import * as fs`, `const fs = require('fs')`): every
 * `fs.member` of its text; `*` (the whole module) when the name appears otherwise (passed on, destructured,
 * re-bound), besides its own declaration.
 */
function membersUsed(sf: ts.SourceFile, local: string): string[] {
  const names = new Set<string>();
  const text = sf.text;
  // `m.member`, and through a compiled default import `m.default.member`.
  // Not inside a module specifier (`'node:http'`, `'./http'`).
  const use = new RegExp(`(?<![\\w$.'"/@])(?<!node:)${escapeName(local)}(?![\\w$])(?:\\s*\\.\\s*default(?![\\w$]))?(\\s*\\.\\s*([A-Za-z_$][\\w$]*))?`, 'g');
  for (const m of text.matchAll(use)) {
    if (m[2] !== undefined) {
      names.add(m[2]);
      continue;
    }
    if (m[0].includes('default')) return ['*'];
    const before = text.slice(Math.max(0, m.index - 40), m.index);
    const after = text.slice(m.index + local.length, m.index + local.length + 20);
    // Its declaration: `const fs = require(…)`, `import * as fs from`, `import fs = require(…)`, `import fs from`.
    if (/^\s*=(?![=>])/.test(after) && /(?:\b(?:const|let|var|import)\s+)$/.test(before)) continue;
    if (/\*\s*as\s+$/.test(before)) continue;
    if (/\bimport\s+$/.test(before) && /^\s*(?:from\b|,)/.test(after)) continue; // `import m from`, `import m, {…} from`
    return ['*'];
  }
  return [...names];
}

/**
 * The members a file reads of a global variable (`process.env`, `process?.nextTick(…)`), as {@link membersUsed}
 * reads those of a module binding, but without declarations to skip: `*` when the name appears otherwise, except
 * in a comment that is not JSDoc, as the operand of a `typeof` expression (whose value is a string) and as the
 * declared name of a member (`process(job) {…}`, `{ process: 1 }`).
 */
export function globalMembersUsed(sf: ts.SourceFile, name: string): string[] {
  const names = new Set<string>();
  const use = new RegExp(`(?<![\\w$.'"/@#])${escapeName(name)}(?![\\w$])(\\s*\\??\\.\\s*([A-Za-z_$][\\w$]*))?`, 'g');
  for (const m of sf.text.matchAll(use)) {
    if (m[2] !== undefined) names.add(m[2]);
    else if (!isInertMention(sf, m.index)) return ['*'];
  }
  return [...names];
}

const MEMBER_DECLARATIONS: ReadonlySet<ts.SyntaxKind> = new Set([
  SyntaxKind.MethodDeclaration,
  SyntaxKind.MethodSignature,
  SyntaxKind.PropertyDeclaration,
  SyntaxKind.PropertySignature,
  SyntaxKind.PropertyAssignment,
  SyntaxKind.GetAccessor,
  SyntaxKind.SetAccessor,
]);

/** Is the name at `pos` in a comment other than JSDoc, the operand of a `typeof` expression or a member's declared name? */
function isInertMention(sf: ts.SourceFile, pos: number): boolean {
  let n: ts.Node = sf;
  for (;;) {
    const child = n.getChildren(sf).find((c) => c.pos <= pos && pos < c.end);
    if (!child) return false;
    if (pos < child.getStart(sf)) {
      // In the trivia before `child`: a comment (the name is no whitespace).
      const comment = getLeadingCommentRanges(sf.text, child.pos)?.find((r) => r.pos <= pos && pos < r.end);
      return !!comment && !sf.text.startsWith('/**', comment.pos);
    }
    if (isIdentifier(child) && child.getStart(sf) === pos) {
      const p = child.parent;
      return p.kind === SyntaxKind.TypeOfExpression || (MEMBER_DECLARATIONS.has(p.kind) && (p as ts.NamedDeclaration).name === child);
    }
    n = child;
  }
}

/** The module specifiers of a file (TypeScript collects them while building the program). */
export function moduleSpecifiersOf(sf: ts.SourceFile): readonly ts.StringLiteralLike[] {
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
    if (!isModuleDeclaration(stmt)) continue;
    // `declare global { … }`, or a namespace of a script: every name in it is global (as a whole).
    if (stmt.flags & NodeFlags.GlobalAugmentation) {
      if (stmt.body && isModuleBlock(stmt.body)) for (const s of stmt.body.statements) out.push(...declaredNames(s), ...(isModuleDeclaration(s) && isIdentifier(s.name) ? [s.name.text] : []));
    } else if (isScript && isIdentifier(stmt.name)) {
      out.push(stmt.name.text);
    }
  }
  return out;
}

/** A script (no import or export, not CommonJS): its top-level declarations are global. TypeScript binds no module symbol for it. */
export function isScriptFile(sf: ts.SourceFile): boolean {
  return !(sf as unknown as { symbol?: ts.Symbol }).symbol;
}

type SourceFacts = Pick<SourceUnit, 'file' | 'imports' | 'globals'>;
const sourceFactsCache = new WeakMap<ts.SourceFile, SourceFacts>();

/** What a program source file imports and declares globally (per SourceFile: unchanged files keep theirs). */
export function sourceFacts(sf: ts.SourceFile): SourceFacts {
  let facts = sourceFactsCache.get(sf);
  if (!facts) {
    facts = {
      file: sf,
      imports: moduleSpecifiersOf(sf).map((module) => ({ module, names: importedNames(module) })),
      globals: globalsOfSource(sf, isScriptFile(sf)),
    };
    sourceFactsCache.set(sf, facts);
  }
  return facts;
}

/** Does a declared name of a declaration-file unit match a binding (so that the unit declares a bound type)? */
export function declaresBound(u: Unit, declared: string, b: KindBinding): boolean {
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

const wordsCache = new WeakMap<ts.SourceFile, readonly string[]>();

/**
 * The distinct identifiers of a file: TypeScript's parser keeps them (JSDoc included); else read from the text
 * (comments and strings included: more, never fewer).
 */
export function wordsOf(sf: ts.SourceFile): readonly string[] {
  let words = wordsCache.get(sf);
  if (!words) {
    const parsed = (sf as unknown as { identifiers?: ReadonlyMap<string, string> }).identifiers;
    words = parsed instanceof Map ? [...parsed.keys()] : [...new Set(sf.text.match(/[A-Za-z_$][\w$]*/g) ?? [])];
    wordsCache.set(sf, words);
  }
  return words;
}

/** An identifier as a regular expression source (`$` is its only special character). */
export function escapeName(name: string): string {
  return name.replace(/\$/g, '\\$');
}

/** `A.B.` → [`A.B.`, `A.`]. */
const prefixCache = new Map<string, readonly string[]>([['', []]]);
export function nsPrefixes(ns: string): readonly string[] {
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
