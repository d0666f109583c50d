/**
 * A close listener that clears the field its socket was stored in (`ws.once('close', () => { this.ws = null; })`)
 * clears whatever the field holds when that event comes. When a method of the class releases the socket and then
 * stores a new one in the same field before the old one's close event can come (`reload() { this.close();
 * this.open(); }`, with nothing awaited between), the listener drops the new socket, open: the class no longer
 * reaches it (and often opens yet another one).
 */
import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { contains, enclosingFunction, isFunction, keyName, line, methodCallOn, thisClass, statementList, thisMemberName, unwrap, walkAst, wholeMethod, type FunctionNode } from '../engine/ast';
import { releasedBeforeEvent } from '../kinds/kind';
import { REMOVE_LISTENER_METHODS } from '../kinds/vocabulary';
import { classSummaries } from '../model/class-summaries';
import type { FileModel } from '../model/file-model';
import { isFieldMember, type Resource } from '../model/resource';
import type { LeakFinding } from './leak';

const REMOVE_ALL = 'removeAllListeners';

export function staleCloseClears(m: FileModel, r: Resource, reported: Set<TSESTree.Node>): LeakFinding[] {
  const field = r.field;
  if (!field || field.assign.type !== AST_NODE_TYPES.AssignmentExpression) return [];
  const storer = enclosingFunction(field.assign);
  if (!storer) return [];
  const isField = (n: TSESTree.Node): boolean => isFieldMember(field, n);
  // The restarting method does not depend on the listener: found once, when a listener first needs it.
  let restart: { name: string; node: TSESTree.Node } | null | undefined;
  for (const reg of r.registrations) {
    const fn = reg.fn;
    // A listener of an event that comes once the socket is closed, registered where the socket is stored.
    if (reg.via !== 'listener' || !fn || !releasedBeforeEvent(r.kind, reg.event) || enclosingFunction(reg.call) !== storer) continue;
    const clear = clearIn(m, fn, isField);
    if (!clear || reported.has(clear)) continue;
    restart ??= restartingMethod(m, r, storer, isField) ?? releasedBeforeOwnStore(m, r, storer, isField) ?? null;
    if (!restart) return [];
    reported.add(clear);
    return [
      {
        messageId: 'staleClear',
        node: clear,
        data: { event: reg.event ?? 'close', kind: r.kind.name, field: field.name, method: restart.name, line: String(line(restart.node)) },
      },
    ];
  }
  return [];
}

/**
 * The `this.<field> = null` (or `undefined`) in the listener's own code, when nothing there compares the field with
 * anything (`if (this.ws === ws)`, `if (this.ws !== ws) return;`: a check that it still holds this socket).
 */
function clearIn(m: FileModel, fn: FunctionNode, isField: (n: TSESTree.Node) => boolean): TSESTree.AssignmentExpression | undefined {
  let clear: TSESTree.AssignmentExpression | undefined;
  let compared = false;
  walkAst(fn, m.sourceCode.visitorKeys, (n) => {
    if (n.type === AST_NODE_TYPES.BinaryExpression && (isField(unwrap(n.left)) || isField(unwrap(n.right)))) compared = true;
    if (!clear && n.type === AST_NODE_TYPES.AssignmentExpression && n.operator === '=' && isField(n.left) && enclosingFunction(n) === fn && m.isNullish(unwrap(n.right))) clear = n;
    return compared;
  });
  return compared ? undefined : clear;
}

/**
 * A method of the class (not the storing one) whose own code first releases the field (`this.ws.close()`, or a
 * method of the class that does: `this.close()`) and then, with nothing awaited between, runs the storing function
 * (`this.open()`, directly or through methods of the class) — with the field emptied in between when the storing
 * function tests it first — and removes no listener of the socket on the way.
 */
function restartingMethod(m: FileModel, r: Resource, storer: FunctionNode, isField: (n: TSESTree.Node) => boolean): { name: string; node: TSESTree.Node } | undefined {
  const field = r.field;
  if (!field) return undefined;
  const summaries = classSummaries(m);
  const storingMethod = wholeMethod(storer);
  // Only methods that run the storing one, directly or through one more method (read off the class summaries, before
  // any walk of a body).
  const candidates = field.cls.body.body.filter(
    (el): el is TSESTree.MethodDefinition =>
      el.type === AST_NODE_TYPES.MethodDefinition && el.kind === 'method' && isFunction(el.value) && el.value !== storingMethod && summaries.reachable(el.value as FunctionNode, 2).some((x) => x.method === storingMethod),
  );
  if (candidates.length === 0) return undefined;
  // A storing method that waits before it stores lets the old socket's close event come first.
  if (waitsBefore(m, storer, field.assign)) return undefined;
  const testsFieldFirst = readsFieldBefore(m, storer, field.assign, isField, field.name);
  for (const el of candidates) {
    const method = el.value as FunctionNode;
    const key = el.computed ? undefined : keyName(el.key);
    if (key === undefined) continue;
    const name = el.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${key}` : key;
    // The steps of the method's own code, in order: releases, clears, stores (through calls), waits, listener removals.
    // `releases`: the places in the method's own code that release the field (directly or through a call); a store
    // reached from one of them on a path that does not leave first restarts the socket.
    const releases: TSESTree.Node[] = [];
    let cleared = false;
    let found: TSESTree.Node | undefined;
    let stop = false;
    const awaitsStoringMethod = (x: TSESTree.AwaitExpression): boolean => {
      const call = unwrap(x.argument);
      const callee = call.type === AST_NODE_TYPES.CallExpression ? unwrap(call.callee) : undefined;
      return callee?.type === AST_NODE_TYPES.MemberExpression && thisClass(callee) === field.cls && summaries.methodOf(callee) === storingMethod;
    };
    const visit = (n: TSESTree.Node, via: FunctionNode, depth: number): void => {
      walkAst(via, m.sourceCode.visitorKeys, (x) => {
        if (stop || found) return true;
        if (enclosingFunction(x) !== via) return false;
        const released = releases.length > 0;
        // A wait lets the old socket's close event come first — unless what is awaited is the storing method itself
        // (`await this.tryConnect()`: it stores before its own first wait).
        if (x.type === AST_NODE_TYPES.AwaitExpression && released && !awaitsStoringMethod(x)) {
          stop = true;
          return true;
        }
        const mc = fieldCall(x, isField);
        if (mc && removesListeners(mc.name)) {
          stop = true;
          return true;
        }
        if (mc && r.kind.releases.has(mc.name)) releases.push(depth === 0 ? x : n);
        if (x.type === AST_NODE_TYPES.AssignmentExpression && isField(x.left) && m.isNullish(unwrap(x.right)) && releases.length > 0) cleared = true;
        if (x.type === AST_NODE_TYPES.CallExpression && depth < 2) {
          const callee = unwrap(x.callee);
          const target = callee.type === AST_NODE_TYPES.MemberExpression && thisClass(callee) === field.cls && thisMemberName(callee) !== undefined ? summaries.methodOf(callee) : undefined;
          if (target && target === storingMethod) {
            // (A store before the release — another branch, `if (!wasEnabled) { this.open(); return; }` — restarts nothing.)
            const at = depth === 0 ? x : n;
            if ((cleared || !testsFieldFirst) && releases.some((rel) => precedes(m, rel, at, method))) found = at;
            return !!found;
          }
          if (target && target !== method) visit(depth === 0 ? x : n, target, depth + 1);
        }
        return false;
      }, true);
    };
    visit(method, method, 0);
    if (found) return { name, node: found };
  }
  return undefined;
}

/**
 * `listen() { if (this.socket) this.socket.close(); this.socket = createSocket('udp4'); this.socket.on('close', () => {
 * this.socket = null; }); }`: the storing method itself releases the field's socket in its own code and stores the new
 * one with nothing awaited between and no listener of the old one removed: the old socket's close event comes after
 * the store. The storing method, and the release.
 */
function releasedBeforeOwnStore(m: FileModel, r: Resource, storer: FunctionNode, isField: (n: TSESTree.Node) => boolean): { name: string; node: TSESTree.Node } | undefined {
  const field = r.field;
  const method = wholeMethod(storer);
  const def = method.parent;
  if (!field || def?.type !== AST_NODE_TYPES.MethodDefinition || def.computed) return undefined;
  const key = keyName(def.key);
  if (key === undefined) return undefined;
  let released: TSESTree.Node | undefined;
  let stop = false;
  walkAst(storer, m.sourceCode.visitorKeys, (x) => {
    if (stop || x === field.assign) return true;
    if (enclosingFunction(x) !== storer || x.range[0] >= field.assign.range[0]) return false;
    if (x.type === AST_NODE_TYPES.AwaitExpression && released) {
      stop = true;
      return true;
    }
    const mc = fieldCall(x, isField);
    if (mc && removesListeners(mc.name)) {
      stop = true;
      return true;
    }
    if (mc && r.kind.releases.has(mc.name)) released ??= mc.call;
    return false;
  }, true);
  return !stop && released ? { name: def.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${key}` : key, node: released } : undefined;
}

/** A method call on the field (`this.ws.close()`): the call and the method's name. */
function fieldCall(x: TSESTree.Node, isField: (n: TSESTree.Node) => boolean): ReturnType<typeof methodCallOn> {
  return x.type === AST_NODE_TYPES.MemberExpression && isField(x) ? methodCallOn(x) : undefined;
}

/** `off()`, `removeListener()`, `removeEventListener()`, `removeAllListeners()`. */
function removesListeners(method: string): boolean {
  return REMOVE_LISTENER_METHODS.has(method) || method === REMOVE_ALL;
}

/** Does the storing function read the field before it stores (`if (this.ws) return;`)? */
function readsFieldBefore(m: FileModel, storer: FunctionNode, store: TSESTree.Node, isField: (n: TSESTree.Node) => boolean, name: string): boolean {
  return (m.syntax.membersByName.get(name) ?? []).some((n) => n.range[1] <= store.range[0] && contains(storer, n) && isField(n));
}

/**
 * Does `a` run before `b` on a path of `fn`'s own code: `b` in a statement after the one holding `a`, in a statement
 * list around both, with no `return` or `throw` after `a` in that statement (`if (off) { this.close(); return; }`
 * leaves before a later `this.open()`)?
 */
function precedes(m: FileModel, a: TSESTree.Node, b: TSESTree.Node, fn: FunctionNode): boolean {
  for (let n: TSESTree.Node | undefined = b; n && n !== fn; n = n.parent) {
    const list = statementList(n.parent);
    const j = list ? list.indexOf(n) : -1;
    if (!list || j < 0) continue;
    const i = list.findIndex((st, k) => k <= j && contains(st, a));
    if (i < 0) continue;
    if (i === j) return a.range[1] <= b.range[0] && !leavesBetween(m, list[i], a, b, fn);
    return !leavesBetween(m, list[i], a, undefined, fn);
  }
  return false;
}

/** A `return` or `throw` of `fn`'s own code in `statement`, after `a` (and before `b`, when given)? */
function leavesBetween(m: FileModel, statement: TSESTree.Node, a: TSESTree.Node, b: TSESTree.Node | undefined, fn: FunctionNode): boolean {
  let leaves = false;
  walkAst(statement, m.sourceCode.visitorKeys, (n) => {
    leaves =
      (n.type === AST_NODE_TYPES.ReturnStatement || n.type === AST_NODE_TYPES.ThrowStatement) &&
      n.range[0] >= a.range[1] &&
      (!b || n.range[1] <= b.range[0]) &&
      enclosingFunction(n) === fn;
    return leaves;
  });
  return leaves;
}

/** Is there an `await` in the storing function's own code before the store? */
function waitsBefore(m: FileModel, storer: FunctionNode, store: TSESTree.Node): boolean {
  if (!storer.async) return false;
  let waits = false;
  // In source order: past the store, nothing more can come before it.
  walkAst(storer, m.sourceCode.visitorKeys, (n) => {
    if (n.range[0] >= store.range[0]) return n !== storer && !contains(n, store);
    waits = n.type === AST_NODE_TYPES.AwaitExpression && n.range[1] <= store.range[0] && enclosingFunction(n) === storer;
    return waits;
  }, true);
  return waits;
}
