/**
 * Releases that a reconnect undoes: a socket kept in a field whose own close listener opens it again (or makes the
 * next one) is exempt from the leak check as a connection that lives with the process — but a method of the class
 * that releases it (`close() { this.socket.destroy(); }`) then only triggers that listener, and the connection
 * comes back. Unless the release also stops the reconnect: it removes the listeners, or sets something (a flag,
 * the field itself) that the reconnect path reads.
 */
import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { calleeMember, contains, enclosingFunction, enclosingMethod, isFunction, isNullishLiteral, line, propertyName, thisClass, thisMemberName, unwrap, walkAst, type FunctionNode } from '../engine/ast';
import { REMOVE_LISTENER_METHODS } from '../kinds/vocabulary';
import { classSummaries } from '../model/class-summaries';
import type { FileModel } from '../model/file-model';
import type { Variable } from '../model/bindings';
import type { Resource } from '../model/resource';
import type { LeakFinding } from './leak';

/** `removeAllListeners()` besides the removal of one listener. */
const REMOVE_ALL_LISTENERS = 'removeAllListeners';

export function releasesUndoneByReconnect(m: FileModel, r: Resource): LeakFinding[] {
  const rc = r.reconnect;
  const field = r.field;
  if (!rc || !field || !rc.listener.fn) return [];
  // The reconnect path: the listener, what it calls, and the function that makes the socket.
  const path = [...rc.functions, r.ownerNode];
  const onPath = (n: TSESTree.Node): boolean => path.some((fn) => contains(fn, n));
  // (Not the field read through right after the owner stores the next socket in it, `this.ws = new WebSocket(url);
  // this.ws.onclose = …`: that reads the new socket, whatever a release left there.)
  const store = field.assign;
  const afterStore = (n: TSESTree.Node): boolean => {
    const object = n.parent?.type === AST_NODE_TYPES.MemberExpression && n.parent.object === n;
    return object && thisMemberName(n) === field.name && enclosingFunction(n) === r.ownerNode && enclosingFunction(store) === r.ownerNode && n.range[0] > store.range[1];
  };
  const read = readNames(m, path, afterStore);
  const summaries = classSummaries(m);
  // `listen() { if (this.wss === null) { this.wss = new WebSocketServer(…); … } }` where the reconnect path never
  // empties the field: after a release the field still holds the closed socket, and the retry makes nothing.
  const onlyWhenEmpty = makesOnlyWhenEmpty(store, r.ownerNode, field.name) && !path.some((fn) => emptiesField(m, fn, field.name));
  for (const [node, ops] of r.ops) {
    if (!ops.some((op) => op.t === 'kill' && op.why === 'release') || onPath(node)) continue;
    const method = methodOf(node, field.cls);
    if (!method || onPath(method)) continue;
    // Released in the method's own code (not in a timer or listener it arms: a ping watchdog that terminates the
    // socket so that it reconnects), by a method the class itself never calls nor hands on: the owner's way to close.
    if (!ownCode(m, node, method) || summaries.referencesTo(method).length > 0) continue;
    // Not a method outside code can call: `private`, `protected` (the class hierarchy's: a base class may call it from
    // its own watchdog), `#name`; nor an `override`, which the base class may call.
    const def = method.parent;
    if ((def?.type === AST_NODE_TYPES.MethodDefinition || def?.type === AST_NODE_TYPES.PropertyDefinition) && (def.accessibility === 'private' || def.accessibility === 'protected' || def.override || def.key.type === AST_NODE_TYPES.PrivateIdentifier)) continue;
    if ((m.syntax.callSites.get(method) ?? []).some((call) => contains(field.cls, call))) continue;
    // The method and the methods of the class it calls (`close() { this.stop(); this.socket.destroy(); }`).
    const bodies: TSESTree.Node[] = [method, ...summaries.reachable(method, 2).map((x) => x.method)];
    if (bodies.some((body) => stopsReconnect(m, body, field.name, read))) continue;
    if (onlyWhenEmpty && !bodies.some((body) => emptiesField(m, body, field.name))) continue;
    const callee = node.type === AST_NODE_TYPES.CallExpression ? calleeMember(node) : undefined;
    const name = callee ? propertyName(callee) : undefined;
    // A stream emits 'end' only once it is read to its end: never after destroy(), so a reconnect in an 'end'
    // listener does not follow a hard release (one in a 'close' listener does).
    if (r.kind.isStream && rc.listener.event === 'end' && name !== undefined && r.kind.destroys.has(name)) continue;
    const operation = name !== undefined ? `${name}()` : 'this release';
    return [
      {
        messageId: 'reconnectsAfterRelease',
        node,
        data: { operation, kind: r.kind.name, event: rc.listener.event ?? 'close', line: String(line(rc.listener.call)) },
      },
    ];
  }
  return [];
}

/**
 * Does `node` run as part of `method`'s own code: in its body, or in a local function of it that it calls in its
 * own code (`const attempt = () => { … this.socket.destroy(); }; attempt();`), not only in a callback it hands to a
 * timer or a listener?
 */
function ownCode(m: FileModel, node: TSESTree.Node, method: FunctionNode): boolean {
  for (let f = enclosingFunction(node); f && f !== method; f = enclosingFunction(f)) {
    const calls = m.syntax.callSites.get(f) ?? [];
    if (!calls.some((call) => enclosingFunction(call) === method)) return false;
  }
  return true;
}

/** The function of the member of `cls` (a method or a class property holding a function) that `node` is in, not its constructor. */
function methodOf(node: TSESTree.Node, cls: TSESTree.Node): FunctionNode | undefined {
  const def = enclosingMethod(node);
  if (def?.type !== AST_NODE_TYPES.MethodDefinition && def?.type !== AST_NODE_TYPES.PropertyDefinition) return undefined;
  if (def.parent.parent !== cls || (def.type === AST_NODE_TYPES.MethodDefinition && def.kind !== 'method')) return undefined;
  return def.value && isFunction(def.value) ? def.value : undefined;
}

/**
 * `this.a.b` as `a.b`: the path of a member of `this` through plain names (`this._state.readyState`), at least two
 * long; undefined for anything else.
 */
function nestedThisPath(n: TSESTree.Node): string | undefined {
  const names: string[] = [];
  let e = unwrap(n);
  while (e.type === AST_NODE_TYPES.MemberExpression && !e.computed && e.property.type === AST_NODE_TYPES.Identifier) {
    names.unshift(e.property.name);
    e = unwrap(e.object);
  }
  return e.type === AST_NODE_TYPES.ThisExpression && names.length > 1 ? names.join('.') : undefined;
}

/**
 * What the reconnect path reads: `this.<name>` members, nested ones by their path (`_state.readyState`), and the
 * variables it names (flags it may test).
 */
function readNames(m: FileModel, path: readonly TSESTree.Node[], skip: (n: TSESTree.Node) => boolean): { members: Set<string>; paths: Set<string>; variables: Set<Variable> } {
  const members = new Set<string>();
  const paths = new Set<string>();
  const variables = new Set<Variable>();
  for (const fn of path) {
    walkAst(fn, m.sourceCode.visitorKeys, (n) => {
      // Stores are no reads (`this.sock = s` in the function that makes the next socket).
      const p = n.parent;
      if ((p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === n && p.operator === '=') || (p?.type === AST_NODE_TYPES.VariableDeclarator && p.id === n)) return;
      if (skip(n)) return;
      const nested = nestedThisPath(n);
      if (nested !== undefined) paths.add(nested);
      const name = thisMemberName(n);
      if (name !== undefined) members.add(name);
      else if (n.type === AST_NODE_TYPES.Identifier) {
        const v = m.varOf.get(n);
        if (v) variables.add(v);
      }
    });
  }
  return { members, paths, variables };
}

/**
 * Does `body` stop the reconnect: remove listeners from the field's socket, or assign a member (also a nested one:
 * `this.state.closing = true`) or variable the reconnect path reads (`this.closing = true`, `this.socket = null`,
 * `stopped = true`)?
 */
function stopsReconnect(m: FileModel, body: TSESTree.Node, fieldName: string, read: { members: Set<string>; paths: Set<string>; variables: Set<Variable> }): boolean {
  let found = false;
  walkAst(body, m.sourceCode.visitorKeys, (n) => {
    if (found) return true;
    if (n.type === AST_NODE_TYPES.AssignmentExpression || n.type === AST_NODE_TYPES.UpdateExpression) {
      const target = unwrap(n.type === AST_NODE_TYPES.AssignmentExpression ? n.left : n.argument);
      const name = thisMemberName(target);
      if (name !== undefined && thisClass(target) && read.members.has(name)) found = true;
      // `this._state.readyState = CLOSING` where the reconnect path tests `this._state.readyState`.
      const nested = nestedThisPath(target);
      if (nested !== undefined && read.paths.has(nested)) found = true;
      const v = target.type === AST_NODE_TYPES.Identifier ? m.varOf.get(target) : undefined;
      if (v && read.variables.has(v)) found = true;
    }
    // `this.socket.removeAllListeners()`, `socket.off('close', onClose)` on a local copy of it.
    const callee = n.type === AST_NODE_TYPES.CallExpression ? calleeMember(n) : undefined;
    const name = callee ? propertyName(callee) : undefined;
    if (callee && name !== undefined && (name === REMOVE_ALL_LISTENERS || REMOVE_LISTENER_METHODS.has(name))) {
      const receiver = unwrap(callee.object);
      if (thisMemberName(receiver) === fieldName || receiver.type === AST_NODE_TYPES.Identifier) found = true;
    }
    return found;
  });
  return found;
}

/** Is the store in the branch of an `if` (inside `owner`) taken only when the field is empty (`this.f === null`, `!this.f`)? */
function makesOnlyWhenEmpty(store: TSESTree.Node, owner: TSESTree.Node, fieldName: string): boolean {
  let child: TSESTree.Node = store;
  for (let p = store.parent; p && p !== owner; child = p, p = p.parent) {
    if (p.type === AST_NODE_TYPES.IfStatement && p.consequent === child && testsEmpty(p.test, fieldName)) return true;
  }
  return false;
}

function testsEmpty(test: TSESTree.Node, fieldName: string): boolean {
  const t = unwrap(test);
  if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') return thisMemberName(t.argument) === fieldName;
  if (t.type !== AST_NODE_TYPES.BinaryExpression || !['===', '=='].includes(t.operator)) return false;
  return (thisMemberName(t.left) === fieldName && isNullishLiteral(t.right)) || (thisMemberName(t.right) === fieldName && isNullishLiteral(t.left));
}

/** Does `body` give the field an empty value (`this.f = null`, `= undefined`, `delete this.f`)? */
function emptiesField(m: FileModel, body: TSESTree.Node, fieldName: string): boolean {
  let found = false;
  walkAst(body, m.sourceCode.visitorKeys, (n) => {
    if (found) return true;
    if (n.type === AST_NODE_TYPES.AssignmentExpression && thisMemberName(n.left) === fieldName && isNullishLiteral(n.right)) found = true;
    if (n.type === AST_NODE_TYPES.UnaryExpression && n.operator === 'delete' && thisMemberName(n.argument) === fieldName) found = true;
    return found;
  });
  return found;
}
