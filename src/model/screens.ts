import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { isStrict, recover } from '../engine/strict';
import {
  awaitOf,
  calleeName,
  forEachNode,
  propertyName,
  thisClass,
  thisMemberName,
  thisOf,
  unwrap,
  walkAst,
} from '../engine/ast';
const DefinitionType = TSESLint.Scope.DefinitionType;
import { LISTENER_METHODS, RESOURCE_NAME, SOCKET_ARGUMENT_EVENTS, SOCKET_CALLBACK_FACTORIES } from '../kinds/vocabulary';
import { isTypeOnlyImport, type ClassNode, type Variable } from './bindings';
import type * as ts from 'typescript';
import type { ResourceKind } from '../kinds/kind';
import { CreationSites } from './creation';
import { isPrimitiveExpression } from './types';
import { addToList } from '../util/lists';

/** A node that may declare or assign a field of the class it is in: a property definition, a parameter property, `this.x = …`. */
function isFieldSite(n: TSESTree.Node): boolean {
  if (n.type === AST_NODE_TYPES.PropertyDefinition || n.type === AST_NODE_TYPES.TSParameterProperty) return true;
  return n.type === AST_NODE_TYPES.AssignmentExpression && thisMemberName(n.left) !== undefined;
}

/**
 * Is the variable read as a value somewhere (not only declared, assigned, or named in a type)? The value index keys
 * a variable's value for the ops its references carry: a use or a release reads it, so a variable never read can
 * be neither used nor released, whatever its kind (and the screen need not ask the type checker for that kind).
 */
function readAsValue(v: Variable): boolean {
  for (const r of v.references) if (r.isValueReference && r.isRead()) return true;
  return false;
}

interface FileScan {
  calls: Array<TSESTree.CallExpression | TSESTree.NewExpression>;
  /** Some member reads a property of a kind's liveness guards (see {@link Screens.valuesMatter}). */
  readsGuard: boolean;
  fields: TSESTree.MemberExpression[];
  subclasses: ClassNode[];
  /** Every class's field sites ({@link Screens.fieldSitesOf}), in traversal order. */
  fieldSites: Map<TSESTree.Node, TSESTree.Node[]>;
  /** A call passed the screen's call test (its scan tests calls only until the first one passes). */
  candidate: boolean;
}

/**
 * The field a field site ({@link isFieldSite}) declares or assigns, as {@link Screens.plausibleFieldOf} names it
 * (`#x` for a private name); undefined for a computed or literal key, or a destructured parameter property.
 */
function fieldSiteName(n: TSESTree.Node): string | undefined {
  if (n.type === AST_NODE_TYPES.PropertyDefinition) {
    if (n.computed || n.key.type === AST_NODE_TYPES.Literal) return undefined;
    return n.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${n.key.name}` : n.key.name;
  }
  if (n.type === AST_NODE_TYPES.AssignmentExpression) return thisMemberName(n.left);
  if (n.type === AST_NODE_TYPES.TSParameterProperty) {
    const param = n.parameter.type === AST_NODE_TYPES.AssignmentPattern ? n.parameter.left : n.parameter;
    return param.type === AST_NODE_TYPES.Identifier ? param.name : undefined;
  }
  return undefined;
}

/** The field sites of a class found by walking its body (see {@link Screens.fieldSitesOf}). */
function walkedFieldSites(cls: ClassNode, visitorKeys: Readonly<Record<string, readonly string[] | undefined>>): TSESTree.Node[] {
  const found: TSESTree.Node[] = [];
  walkAst(cls.body, visitorKeys, (n) => {
    if (isFieldSite(n)) found.push(n);
  }, true);
  return found;
}

/** Adds a field site to the lists of every class whose body holds it (nested classes included). */
function addFieldSite(byClass: Map<TSESTree.Node, TSESTree.Node[]>, site: TSESTree.Node): void {
  for (let a: TSESTree.Node | undefined = site.parent; a; a = a.parent) {
    if (a.type === AST_NODE_TYPES.ClassBody && a.parent) addToList(byClass, a.parent, site);
  }
}

/** Adds a node to the scan's lists ({@link Screens.scan}); true when it is a call that `callTest` accepts. */
function scanNode(
  out: FileScan,
  n: TSESTree.Node,
  callTest: ((call: TSESTree.CallExpression | TSESTree.NewExpression) => boolean) | undefined,
  guardNames: ReadonlySet<string>,
): boolean {
  switch (n.type) {
    case AST_NODE_TYPES.CallExpression:
    case AST_NODE_TYPES.NewExpression:
      out.calls.push(n);
      return !!callTest?.(n);
    case AST_NODE_TYPES.ClassDeclaration:
    case AST_NODE_TYPES.ClassExpression:
      if (n.superClass) out.subclasses.push(n);
      return false;
    case AST_NODE_TYPES.PropertyDefinition:
    case AST_NODE_TYPES.TSParameterProperty:
    case AST_NODE_TYPES.AssignmentExpression:
      if (isFieldSite(n)) addFieldSite(out.fieldSites, n);
      return false;
    case AST_NODE_TYPES.MemberExpression: {
      if (thisMemberName(n) !== undefined) out.fields.push(n);
      if (!out.readsGuard) {
        const name = propertyName(n);
        if (name !== undefined && guardNames.has(name)) out.readsGuard = true;
      }
      return false;
    }
    default:
      return false;
  }
}

/**
 * Layer 4 of the file model: screens that decide, without asking the type checker, whether a variable, value or
 * field could hold a resource at all.
 */
export class Screens extends CreationSites {
  private readonly assignedKinds = new Map<Variable, ResourceKind | null>();

  /**
   * The kind of a variable: its declared type's, or, for a variable declared without type, initialiser or JSDoc
   * (`let s;`, whose declared type is `any`), the kind of what is assigned to it when that decides: every
   * assignment is a plain `s = value`, `null` and `undefined` aside every value passes the syntax screen and has
   * one and the same kind. Anything else assigned to it (a string, another kind, a destructuring, `s++`) leaves it
   * kindless.
   */
  override kindOfVariable(v: Variable): ResourceKind | undefined {
    const declared = super.kindOfVariable(v);
    // Syntax first: most variables have an initialiser or a type.
    const def = v.defs[0];
    if (declared || v.defs.length !== 1 || def?.type !== DefinitionType.Variable || def.node.init || def.node.id !== def.name) return declared;
    const cached = this.assignedKinds.get(v);
    if (cached !== undefined) return cached ?? undefined;
    this.assignedKinds.set(v, null); // re-entrancy guard (`s = t; t = s`)
    const id = def.node.id;
    const kind = id.type === AST_NODE_TYPES.Identifier && !id.typeAnnotation && this.isAutoTyped(def.node) ? this.assignedKind(v) : undefined;
    this.assignedKinds.set(v, kind ?? null);
    return kind;
  }

  /**
   * The kind of a value: its node's ({@link kindOfNode}), or for a variable declared without type, initialiser or
   * JSDoc (`let client;` in JavaScript, `any` until assigned), the kind of what is assigned to it
   * ({@link kindOfVariable}).
   */
  kindOfValue(node: TSESTree.Node): ResourceKind | undefined {
    const kind = this.kindOfNode(node);
    if (kind) return kind;
    const n = unwrap(node);
    const v = n.type === AST_NODE_TYPES.Identifier ? this.varOf.get(n) : undefined;
    return v ? this.kindOfVariable(v) : undefined;
  }

  private assignedKind(v: Variable): ResourceKind | undefined {
    let found: ResourceKind | undefined;
    for (const ref of v.references) {
      if (!ref.isWrite()) continue;
      const assignment = ref.identifier.parent;
      if (assignment?.type !== AST_NODE_TYPES.AssignmentExpression || assignment.left !== ref.identifier || assignment.operator !== '=') return undefined;
      const value = unwrap(assignment.right);
      if (this.isNullish(value)) continue;
      if (!this.plausibleSocketValue(value, v, 0)) return undefined;
      const kind = this.kindOfNode(value);
      if (!kind || (found && found !== kind)) return undefined;
      found = kind;
    }
    return found;
  }

  /** `null`, `undefined` (the global) or `void …`. */
  isNullish(node: TSESTree.Node): boolean {
    return this.isNullOrUndefined(node) || (node.type === AST_NODE_TYPES.UnaryExpression && node.operator === 'void');
  }

  /**
   * Could this variable hold a socket? Screened without inferring types from initialisers: an annotated or
   * imported binding, a parameter of a callback handed to a listener/factory-like call, or a variable initialised
   * from a plausible creation, a `new`, an `await`, another socket variable or a property read.
   */
  plausibleSocketVariable(v: Variable, depth = 0): boolean {
    if (depth > 0) return this.screenVariable(v, depth);
    let plausible = this.plausibleVariables.get(v);
    if (plausible === undefined) {
      plausible = this.screenVariable(v, 0);
      this.plausibleVariables.set(v, plausible);
    }
    return plausible;
  }

  /** {@link plausibleSocketVariable}, answered once per variable (the value index asks it of every reference). */
  private readonly plausibleVariables = new Map<Variable, boolean>();

  private screenVariable(v: Variable, depth: number): boolean {
    const def = v.defs[0];
    if (!def) return false;
    const name = def.name as TSESTree.Identifier;
    // A type-only import has no value: no analysis keys it (its references are types).
    if (def.type === DefinitionType.ImportBinding) return !isTypeOnlyImport(def);
    if (name.typeAnnotation) return true;
    if (def.type === DefinitionType.Parameter) {
      const fn = def.node as TSESTree.Node;
      if (fn.type === AST_NODE_TYPES.FunctionDeclaration) return true; // JSDoc-typed or `any`: cheap
      const call = fn.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression && call?.type !== AST_NODE_TYPES.NewExpression) return true; // methods, named functions: annotated or JSDoc-typed
      // An untyped callback parameter needs contextual typing (resolving the call): only socket-like ones.
      if (RESOURCE_NAME.test(name.name)) return true;
      const calleeName = call.callee.type === AST_NODE_TYPES.Identifier ? call.callee.name : call.callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(call.callee) : undefined;
      if (calleeName === undefined) return false;
      if (LISTENER_METHODS.has(calleeName)) {
        const event = call.arguments[0];
        return event?.type === AST_NODE_TYPES.Literal && typeof event.value === 'string' && SOCKET_ARGUMENT_EVENTS.has(event.value);
      }
      return SOCKET_CALLBACK_FACTORIES.test(calleeName) || this.callbackCreatingMethods.has(calleeName) || this.registry.callbackFactories.has(calleeName);
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
        if (thisOf(init.object)) return this.plausibleSocketField(init);
        const name = propertyName(init);
        return name !== undefined && RESOURCE_NAME.test(name);
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
      // A union with a primitive member (`n ? 1 : s`, `s || 'none'`) is no resource, whatever the other member is.
      case AST_NODE_TYPES.ConditionalExpression:
        if (this.isPrimitiveValue(init.consequent) || this.isPrimitiveValue(init.alternate)) return false;
        return depth < 4 && (this.plausibleSocketValue(init.consequent, self, depth + 1) || this.plausibleSocketValue(init.alternate, self, depth + 1));
      case AST_NODE_TYPES.LogicalExpression:
        if (this.isPrimitiveValue(init.left) || this.isPrimitiveValue(init.right)) return false;
        return depth < 4 && (this.plausibleSocketValue(init.left, self, depth + 1) || this.plausibleSocketValue(init.right, self, depth + 1));
      default:
        return false;
    }
  }

  /** Is this value always a non-nullish primitive? Its type then has no symbol a kind could bind. */
  private isPrimitiveValue(node: TSESTree.Node): boolean {
    const tsNode = this.services.esTreeNodeToTSNodeMap.get(node) as ts.Expression | undefined;
    return !!tsNode && isPrimitiveExpression(tsNode, false);
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
    return this.plausibleFieldOf(cls, name);
  }

  /** {@link plausibleSocketField} by class and field name (`self.x` with `const self = this`). */
  plausibleFieldOf(cls: ClassNode, name: string): boolean {
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
        return name !== undefined && RESOURCE_NAME.test(name);
      }
      return this.plausibleSocketValue(v, undefined, 0);
    };
    for (const n of this.fieldSitesOf(cls)) {
      const name = fieldSiteName(n);
      if (name === undefined) continue;
      if (n.type === AST_NODE_TYPES.PropertyDefinition) mark(name, !!n.typeAnnotation || plausibleValue(n.value));
      else if (n.type === AST_NODE_TYPES.AssignmentExpression) mark(name, plausibleValue(n.right));
      else mark(name, true);
    }
    return fields;
  }

  private scanned: FileScan | undefined;

  /**
   * One scan of the file's nodes (in source order, as the analyses ask: the type checker's answers can depend on
   * the order of the questions — the first question about a node deep inside a very long function reaches
   * TypeScript's control-flow depth limit, after which that function's references are errors) for what the
   * screens look at: calls and `new`s, `this.x` members and classes with a superclass. The screen's tests all read
   * this one scan.
   */
  private scan(callTest: (call: TSESTree.CallExpression | TSESTree.NewExpression) => boolean): FileScan {
    const out: FileScan = { calls: [], readsGuard: false, fields: [], subclasses: [], fieldSites: new Map(), candidate: false };
    const guards = this.registry.guardPropertyNames;
    // After the first candidate the scan goes on without testing calls: the analyses ask those tests themselves, and
    // the rest of the lists (the field sites) spare them another pass over the file.
    forEachNode(this.sourceCode, (n) => {
      if (scanNode(out, n, out.candidate ? undefined : callTest, guards)) out.candidate = true;
    });
    this.scanned = out;
    return out;
  }

  /**
   * The nodes the syntax index reads, in traversal order: calls, members, identifiers, declarators, function
   * expressions. A pass over ESLint's cached traversal, for a syntax index asked for before the code paths are
   * recorded (the index reads the recorder's nodes otherwise).
   */
  indexedNodes(): readonly TSESTree.Node[] {
    const out: TSESTree.Node[] = [];
    forEachNode(this.sourceCode, (n) => {
      switch (n.type) {
        case AST_NODE_TYPES.CallExpression:
        case AST_NODE_TYPES.MemberExpression:
        case AST_NODE_TYPES.Identifier:
        case AST_NODE_TYPES.VariableDeclarator:
        case AST_NODE_TYPES.FunctionExpression:
        case AST_NODE_TYPES.ArrowFunctionExpression:
          out.push(n);
          return;
        default:
      }
    });
    return out;
  }

  /**
   * The nodes inside a class body (nested classes included) that may declare or assign a field: property
   * definitions, `this.x = …` assignments and parameter properties, in traversal order. The screen's scan collects
   * every class's when it runs to the end; asked before that (while the scan runs, or after it stopped at its first
   * candidate), one pass over the file collects every class's.
   */
  private fieldSitesOf(cls: ClassNode): readonly TSESTree.Node[] {
    if (this.scanned) {
      const scanned = this.scanned.fieldSites.get(cls) ?? [];
      if (isStrict()) {
        const walked = walkedFieldSites(cls, this.sourceCode.visitorKeys);
        if (walked.length !== scanned.length || walked.some((n, i) => n !== scanned[i])) {
          throw new Error(`socket-close: the scan's field sites of the class at line ${cls.loc.start.line} differ from its body's`);
        }
      }
      return scanned;
    }
    if (!this.fieldSitesByClass) {
      const byClass = new Map<TSESTree.Node, TSESTree.Node[]>();
      forEachNode(this.sourceCode, (n) => {
        if (isFieldSite(n)) addFieldSite(byClass, n);
      });
      this.fieldSitesByClass = byClass;
    }
    return this.fieldSitesByClass.get(cls) ?? [];
  }

  private fieldSitesByClass: Map<TSESTree.Node, TSESTree.Node[]> | undefined;

  /**
   * The per-file pre-screen: could either analysis find anything in this file? It runs the analyses' own tests,
   * cheapest first, and answers `false` only when none passes, so that a file without a candidate needs no code
   * path recording and no analysis:
   * - no-leak's resources start only at a creation site: a call or `new` (or an awaited one) that the resource
   *   builder's creation test accepts, a `callbackCreates` method called on a resource, or the opening of a shared
   *   client by a function that releases it ({@link sharedOpenKind});
   * - a class that extends a resource class is tracked through its `this`;
   * - no-use-after-close's values are only variables and `this` fields that its value index keys: a plausible
   *   variable (or field) whose declared type is a resource kind (parameters and fields included) — asked only in a
   *   file where that analysis can report at all ({@link valuesMatter}).
   * Every test is the same method the analyses call (and caches its answer for them), so the screen is a superset
   * of what they look at. An internal error counts as a candidate.
   *
   * Keep it in step with the analyses: a new place where no-leak starts a resource (besides
   * `ResourceBuilder.tryCreate`) or where the value index keys a value (besides `ValueIndex.keyOf`) must be
   * tested here too. Under SOCKET_CLOSE_STRICT (every test, the fuzzer) a skipped file is analysed anyway and
   * a finding in it throws, so a test of the new shape on a file that has nothing else fails until it is added.
   */
  hasCandidate(): boolean {
    return this.screening(() => this.screen());
  }

  private screen(): boolean {
    try {
      // Each call is tested as the scan meets it (the order of the type questions is the file's), up to the first
      // candidate.
      const callTest = (call: TSESTree.CallExpression | TSESTree.NewExpression): boolean =>
        this.isCreationCandidate(call) ||
        this.isCallbackCreation(call) ||
        (call.type === AST_NODE_TYPES.CallExpression &&
          (!!this.thenCreation(call) || !!this.listenerCreation(call) || !!this.destructuredCreation(call) || !!this.sharedOpenKind(call)));
      const done = this.scanned;
      if (done && (done.candidate || done.calls.some(callTest))) return true;
      const scanned = done ?? this.scan(callTest);
      if (scanned.candidate) return true;
      const { fields, subclasses } = scanned;
      if (this.valuesMatter(scanned)) {
        for (const scope of this.sourceCode.scopeManager?.scopes ?? []) {
          for (const v of scope.variables) {
            if (v.defs.length > 0 && readAsValue(v) && this.plausibleSocketVariable(v) && this.kindOfVariable(v)) return true;
          }
        }
        // A field is plausible only by one of its class's field sites: a `this.x` of a name no class of the file
        // declares or assigns (`this.emit()`, a method) is not, whatever its class (asked without finding it).
        const siteNames = new Set<string>();
        for (const sites of scanned.fieldSites.values()) {
          for (const site of sites) {
            const name = fieldSiteName(site);
            if (name !== undefined) siteNames.add(name);
          }
        }
        for (const member of fields) {
          const name = thisMemberName(member);
          if (name === undefined || !siteNames.has(name)) {
            if (isStrict() && this.plausibleSocketField(member)) throw new Error(`socket-close: this.${name ?? '?'} is a plausible field without a field site of its name`);
            continue;
          }
          if (this.plausibleSocketField(member) && this.kindOfNode(member)) return true;
        }
      }
      // A class that is a socket (`class Conn extends net.Socket`): its `this` is tracked (the value index's test).
      for (const cls of subclasses) {
        const tsNode = this.services.esTreeNodeToTSNodeMap.get(cls);
        if (tsNode && this.registry.kindOf(this.checker.getTypeAtLocation(tsNode))) return true;
      }
      return false;
    } catch (error) {
      return recover(error, true);
    }
  }

  /**
   * Can no-use-after-close report anything in the scanned file? Only where a value can be released, used by a timer
   * (after the peer closed it), tested by a liveness guard, or used after a call that settles without leaving: a call
   * of one of the registry's `releasingCallNames` (releases, listener registrations, callback creations, timers), a
   * read of one of its `guardPropertyNames`, or a call of a parameter. Without any of them, the value index need not
   * key any variable or field, and the screen need not ask their kinds. (Under SOCKET_CLOSE_STRICT the value index
   * checks that a file without such a call has no release, and a skipped file is analysed anyway.) A new way for
   * no-use-after-close to report without one of these must be added here.
   */
  private valuesMatter(scanned: FileScan): boolean {
    if (scanned.readsGuard || this.callsReleasingName(scanned.calls)) return true;
    // `if (!open) reject(err); ws.send(x)`: a call of a parameter (an executor's `reject`, a callback) that does not
    // leave settles, and what follows runs on the path that found the socket closed (whatever the test names).
    for (const call of scanned.calls) {
      const callee = call.type === AST_NODE_TYPES.CallExpression ? unwrap(call.callee) : undefined;
      const v = callee?.type === AST_NODE_TYPES.Identifier ? this.varOf.get(callee) : undefined;
      if (v && this.isParameter(v)) return true;
    }
    return false;
  }

  /** Does one of these calls have one of the registry's `releasingCallNames` (see {@link valuesMatter})? */
  callsReleasingName(calls: ReadonlyArray<TSESTree.CallExpression | TSESTree.NewExpression>): boolean {
    const names = this.registry.releasingCallNames;
    for (const call of calls) {
      if (call.type !== AST_NODE_TYPES.CallExpression) continue;
      const name = calleeName(call);
      if (name !== undefined && names.has(name)) return true;
    }
    return false;
  }

  /**
   * `pool.connect((err, client) => …)`: a kind's `callbackCreates` method on a resource, or `amqp.connect(url, (err,
   * conn) => …)`: a kind's `callbackFactories` function (the builder's tests).
   */
  private isCallbackCreation(call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
    if (call.type !== AST_NODE_TYPES.CallExpression) return false;
    const callee = unwrap(call.callee);
    const name = callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : callee.type === AST_NODE_TYPES.Identifier ? callee.name : undefined;
    if (name === undefined) return false;
    if (callee.type === AST_NODE_TYPES.MemberExpression && this.callbackCreatingMethods.has(name) && this.kindOfNode(callee.object)?.callbackCreates?.has(name)) return true;
    return this.registry.callbackFactories.has(name) && !!this.factoryCallbackCreation(call);
  }

  /** The resource builder's creation test (awaited or direct), as a yes/no. */
  private isCreationCandidate(node: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
    const awaited = awaitOf(node);
    if (awaited) return !!this.awaitedCreationKind(node, awaited);
    return !!this.creationKind(node);
  }
}
