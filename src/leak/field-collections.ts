import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { climbValue, contains, enclosingFunction, isFunction, line, methodCallOn, propertyName, stringValue, thisClass, thisMemberName, unwrap, walkAst, wholeMethod, type FunctionNode } from '../engine/ast';
import { releasedBeforeEvent } from '../kinds/kind';
import type { ClassNode } from '../model/bindings';
import { isTerminalListener } from '../model/callbacks';
import type { FileModel } from '../model/file-model';
import { classSummaries } from '../model/class-summaries';
import { fieldCollectionAdds, fieldCollectionsHolding } from '../model/collections';
import type { Resource } from '../model/resource';
import type { LeakFinding } from './leak';

const ITERATE_METHODS = new Set(['forEach', 'map', 'flatMap', 'some', 'every']);

/**
 * A socket kept in a collection held by a field (`this.sockets.add(s)`), and a method that empties that
 * collection (`this.sockets.clear()`, `this.sockets.length = 0`, `this.sockets.splice(0)`, `this.sockets = []`)
 * without releasing its elements first: the sockets in it are dropped, open. Reported once at each emptying place
 * (where the fix goes).
 */
export function fieldCollectionFindings(m: FileModel, r: Resource, release: string, reported: Set<TSESTree.Node>): LeakFinding[] {
  const out: LeakFinding[] = [];
  const holding = fieldCollectionsHolding(r);
  for (const { cls, field } of holding) {
    for (const site of emptyingSites(m, cls, field)) {
      if (reported.has(site) || inTerminalListener(m, site)) continue;
      const method = outerMethod(site);
      // Released through this collection or another one of the class that holds the same sockets.
      if (!method || holding.some((h) => h.cls === cls && releasesElements(m, method, cls, h.field, r.kind.releases, 0))) continue;
      reported.add(site);
      out.push({
        messageId: 'leak',
        node: site,
        data: { kind: r.kind.name, detail: `when this.${field} is emptied here with the ${r.kind.noun}s in it (release each one first)`, release },
      });
    }
  }
  return out;
}

/** Places in the class's methods (not the constructor) that empty `this.<field>`. */
function emptyingSites(m: FileModel, cls: ClassNode, field: string): TSESTree.Node[] {
  const out: TSESTree.Node[] = [];
  for (const member of m.syntax.membersByName.get(field) ?? []) {
    if (!contains(cls.body, member) || thisMemberName(member) !== field || thisClass(member) !== cls) continue;
    const method = outerMethod(member);
    if (!method || (method.parent?.type === AST_NODE_TYPES.MethodDefinition && method.parent.kind === 'constructor')) continue;
    const value = climbValue(member);
    const p = value.parent;
    const mc = methodCallOn(value);
    if (mc?.name === 'clear' && mc.call.arguments.length === 0) {
      out.push(mc.call);
    } else if (mc?.name === 'splice' && isZero(mc.call.arguments[0]) && mc.call.arguments.length === 1 && climbValue(mc.call).parent?.type === AST_NODE_TYPES.ExpressionStatement) {
      out.push(mc.call);
    } else if (p?.type === AST_NODE_TYPES.MemberExpression && p.object === value && propertyName(p) === 'length') {
      const assign = p.parent;
      if (assign?.type === AST_NODE_TYPES.AssignmentExpression && assign.left === p && isZero(assign.right)) out.push(assign);
    } else if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === value && p.operator === '=' && isEmptyCollection(p.right)) {
      out.push(p);
    }
  }
  return out;
}

/**
 * Does the method release the elements of `this.<field>`: iterate over it (`for … of`, `.values()`,
 * `Object.values()`, `forEach`, a counted `for` loop over `this.<field>[i]`) with a body that releases the element,
 * or call a method of the class that does?
 */
function releasesElements(m: FileModel, fn: FunctionNode, cls: ClassNode, field: string, releases: ReadonlySet<string>, depth: number): boolean {
  let found = false;
  // this.f.values(), Object.values(this.f), [...this.f], Array.from(this.f), and those nested: a copy of the
  // elements (`Array.from(this.f.values())`, `[...this.f.values()]`), also kept in a `const` first.
  const isField = (n: TSESTree.Node | null | undefined, depth = 0): boolean => {
    if (!n || depth > 2) return false;
    const u = unwrap(n);
    if (thisMemberName(u) === field) return true;
    if (u.type === AST_NODE_TYPES.CallExpression) {
      const callee = unwrap(u.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression && thisMemberName(callee.object) === field) return true;
      return u.arguments.some((a) => isField(a, depth + 1));
    }
    if (u.type === AST_NODE_TYPES.ArrayExpression) return u.elements.some((e) => e?.type === AST_NODE_TYPES.SpreadElement && isField(e.argument, depth + 1));
    // `const sessions = [...this.sessions.values()]; this.sessions.clear(); for (const s of sessions) s.close();`: a
    // `const` of the method holding such a copy.
    if (u.type === AST_NODE_TYPES.Identifier) {
      const def = m.varOf.get(u)?.defs[0];
      const decl = def?.node;
      return decl?.type === AST_NODE_TYPES.VariableDeclarator && decl.id === def?.name && decl.parent.kind === 'const' && !!decl.init && enclosingFunction(decl) === fn && isField(decl.init, depth + 1);
    }
    return false;
  };
  walkAst(fn, m.sourceCode.visitorKeys, (n) => {
    if (n.type === AST_NODE_TYPES.ForOfStatement && isField(n.right)) {
      const left = n.left.type === AST_NODE_TYPES.VariableDeclaration ? n.left.declarations[0]?.id : n.left;
      const target = left?.type === AST_NODE_TYPES.ArrayPattern ? left.elements[left.elements.length - 1] : left;
      const v = target?.type === AST_NODE_TYPES.Identifier ? m.varOf.get(target) : undefined;
      found = !!v && m.variableEffect(v, n) !== 'borrow';
    } else if (n.type === AST_NODE_TYPES.MemberExpression && n.computed && thisMemberName(n.object) === field) {
      // `for (let i = this.f.length - 1; i >= 0; i--) this.f[i].end()`, or `const c = this.f[i]; c.end()` in it.
      const loop = enclosingLoop(n, fn);
      if (loop) {
        const value = climbValue(n);
        const mc = methodCallOn(value);
        const decl = value.parent;
        const v = decl?.type === AST_NODE_TYPES.VariableDeclarator && decl.init === value && decl.id.type === AST_NODE_TYPES.Identifier ? m.varOf.get(decl.id) : undefined;
        found = (!!mc && releases.has(mc.name)) || (!!v && m.variableEffect(v, loop) !== 'borrow');
      }
    } else if (n.type === AST_NODE_TYPES.CallExpression) {
      const callee = unwrap(n.callee);
      if (callee.type === AST_NODE_TYPES.MemberExpression && ITERATE_METHODS.has(propertyName(callee) ?? '') && isField(callee.object)) {
        const cb = m.functionValue(n.arguments[0]);
        found = !!cb && m.parameterEffect(cb, 0) !== 'borrow';
      } else if (depth < 2 && thisMemberName(callee) !== undefined && thisClass(callee) === cls) {
        const method = m.methodOf(callee);
        found = !!method && method !== fn && releasesElements(m, method, cls, field, releases, depth + 1);
      }
    }
    return found;
  });
  return found;
}

/** The `for (…; …; …)` loop around `node` inside `fn`, if any. */
function enclosingLoop(node: TSESTree.Node, fn: FunctionNode): TSESTree.ForStatement | undefined {
  for (let p = node.parent; p && p !== fn; p = p.parent) {
    if (isFunction(p)) return undefined;
    if (p.type === AST_NODE_TYPES.ForStatement) return p;
  }
  return undefined;
}

function outerMethod(node: TSESTree.Node): FunctionNode | undefined {
  const fn = enclosingFunction(node);
  return fn ? wholeMethod(fn) : undefined;
}

function isZero(node: TSESTree.Node | undefined): boolean {
  const u = node && unwrap(node);
  return u?.type === AST_NODE_TYPES.Literal && u.value === 0;
}

/** `[]`, `{}`, `new Map()`, `new Set()` with no arguments. */
function isEmptyCollection(node: TSESTree.Node): boolean {
  const u = unwrap(node);
  if (u.type === AST_NODE_TYPES.ArrayExpression) return u.elements.length === 0;
  if (u.type === AST_NODE_TYPES.ObjectExpression) return u.properties.length === 0;
  return u.type === AST_NODE_TYPES.NewExpression && u.arguments.length === 0 && u.callee.type === AST_NODE_TYPES.Identifier && /^(Map|Set)$/.test(u.callee.name);
}

/**
 * Inside a listener of an event that means the emitter is going away ('close', 'end', …): cleanup after the fact.
 * Also in a method of the class that runs only as such a listener: handed to one (`on('close', this.onClose.bind(this))`)
 * or called from one (`on('close', () => this.onClose())`), and nowhere else.
 */
function inTerminalListener(m: FileModel, node: TSESTree.Node, depth = 0): boolean {
  for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
    if (isTerminalListener(fn)) return true;
    if (depth < 3 && onlyTerminalListener(m, fn, depth)) return true;
  }
  return false;
}

function onlyTerminalListener(m: FileModel, fn: FunctionNode, depth: number): boolean {
  const member = fn.parent;
  if (member?.type !== AST_NODE_TYPES.MethodDefinition && member?.type !== AST_NODE_TYPES.PropertyDefinition) return false;
  const refs = classSummaries(m).referencesTo(fn);
  const calls = m.syntax.callSites.get(fn) ?? [];
  if (refs.length + calls.length === 0) return false;
  return refs.every((ref) => isTerminalListener(ref.value)) && calls.every((call) => inTerminalListener(m, call, depth + 1));
}

/**
 * A resource kept in a collection held by a field (`this.sockets.set(key, socket)`, `this.sockets.add(socket)`) whose
 * own listener of an event after which it is still open (a dgram socket's or a reconnecting client's `'error'`, a
 * `'message'`) takes its entry out (`this.sockets.delete(key)`, `this.sockets.delete(socket)`) and neither releases it
 * nor hands it on: from there the class reaches it no more (its stop() iterates the collection), and it stays open.
 */
export function droppedEntryFindings(m: FileModel, r: Resource, release: string): LeakFinding[] {
  const stores = entryStores(r);
  if (stores.length === 0) return [];
  for (const reg of r.registrations) {
    const fn = reg.fn;
    if (reg.via !== 'listener' || !fn || reg.event === undefined || releasedBeforeEvent(r.kind, reg.event) || r.releasesInside(fn) || handsOnInside(m, r, fn)) continue;
    for (const store of stores) {
      const removal = removalIn(m, r, fn, store);
      if (!removal) continue;
      return [
        {
          messageId: 'leak',
          node: r.report,
          data: { kind: r.kind.name, detail: `when its '${reg.event}' listener takes it out of this.${store.field} at line ${line(removal)}`, release },
          resource: r,
        },
      ];
    }
  }
  return [];
}

interface EntryStore {
  cls: ClassNode;
  field: string;
  /** The key of a `set(key, value)`; undefined for `add(value)` (a set: the value is its own key). */
  key: TSESTree.Node | undefined;
}

/** `this.<field>.set(key, r)` and `this.<field>.add(r)` with the resource (or an alias of it). */
function entryStores(r: Resource): EntryStore[] {
  const out: EntryStore[] = [];
  for (const { cls, field, method, call, value } of fieldCollectionAdds(r)) {
    if (method === 'set' && call.arguments.length === 2 && call.arguments[1] === value) out.push({ cls, field, key: call.arguments[0] });
    else if (method === 'add' && call.arguments.length === 1) out.push({ cls, field, key: undefined });
  }
  return out;
}

/** The `this.<field>.delete(…)` call in `fn` that takes the store's entry out (its key, or the resource for a set). */
function removalIn(m: FileModel, r: Resource, fn: FunctionNode, store: EntryStore): TSESTree.CallExpression | undefined {
  let found: TSESTree.CallExpression | undefined;
  walkAst(fn, m.sourceCode.visitorKeys, (n) => {
    if (n.type !== AST_NODE_TYPES.CallExpression || n.arguments.length !== 1) return false;
    const callee = unwrap(n.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression || propertyName(callee) !== 'delete') return false;
    if (thisMemberName(callee.object) !== store.field || thisClass(callee.object) !== store.cls) return false;
    if (sameKey(m, r, n.arguments[0], store.key)) found = n;
    return !!found;
  });
  return found;
}

/** Is `arg` the store's key: the same variable, the same string, the same field; for a set, the resource itself? */
function sameKey(m: FileModel, r: Resource, arg: TSESTree.Node, key: TSESTree.Node | undefined): boolean {
  const a = unwrap(arg);
  if (!key) {
    const v = a.type === AST_NODE_TYPES.Identifier ? m.varOf.get(a) : undefined;
    return !!v && r.aliases.has(v);
  }
  const k = unwrap(key);
  if (a.type === AST_NODE_TYPES.Identifier && k.type === AST_NODE_TYPES.Identifier) {
    const v = m.varOf.get(a);
    return !!v && v === m.varOf.get(k);
  }
  const text = stringValue(a);
  if (text !== undefined) return text === stringValue(k);
  const field = thisMemberName(a);
  return field !== undefined && field === thisMemberName(k) && thisClass(a) === thisClass(k);
}

/** Does `fn` give the resource to anything (an argument, a store, a return) — which may release it? */
function handsOnInside(m: FileModel, r: Resource, fn: FunctionNode): boolean {
  for (const v of r.aliases) {
    for (const ref of v.references) {
      if (!contains(fn, ref.identifier)) continue;
      const value = climbValue(ref.identifier);
      const p = value.parent;
      if (p?.type === AST_NODE_TYPES.MemberExpression && p.object === value) continue;
      if (p?.type === AST_NODE_TYPES.CallExpression && p.callee !== value && p.callee.type === AST_NODE_TYPES.MemberExpression && propertyName(p.callee) === 'delete') continue;
      return true;
    }
  }
  return false;
}
