import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { climbValue, contains, dottedName, enclosingFunction, isFunction, keyName, propertyName, thisClass, thisMemberName, thisOf, unwrap, type FunctionNode } from '../engine/ast';
import { type ResourceKind } from '../kinds/kind';
import { CLEANUP_METHOD, LISTENER_PROPERTY_PREFIX, TERMINAL_EVENTS } from '../kinds/vocabulary';
import type { CallbackRole } from '../model/callbacks';
import type { ClassSummaries } from '../model/class-summaries';
import { neverReassigned, type Variable } from '../model/bindings';
import type { FileModel } from '../model/file-model';
import { flagName } from '../model/guards';
import type { ValueOp } from '../model/values';
import { runRole } from './roles';

/** Where a timer's stored handle is cleared, and whether that stops it whenever its socket is released or closes. */
export class TimerClears {
  constructor(
    private readonly m: FileModel,
    private readonly classes: ClassSummaries,
  ) {}

  /** The `clearInterval(h)` / `clearTimeout(h)` calls of the timer's stored handle. */
  clearsOf(role: CallbackRole): TSESTree.CallExpression[] {
    const handle = role.handle;
    // `{ ws, timer: setInterval(…) }`: a handle kept only in a property of an object literal.
    if (!handle) return role.via === 'timer' ? this.clearsOfStoredKeys(new Set(storedKeysOfValue(role.call))) : [];
    const handleName = flagName(handle);
    // A handle in a field is the field of this class (another class's field of the same name is another timer).
    const handleClass = thisMemberName(handle) !== undefined ? thisClass(handle) : undefined;
    const h = unwrap(handle);
    const handleVar = h.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(h) : undefined;
    // `server.on('connection', (sock) => { timer = setInterval(() => sock.write(x)); sock.on('close', () =>
    // clearInterval(timer)); })` with `timer` declared outside the handler (or not at all): one name for the timers of
    // every connection, so a clear stops the latest one, not necessarily this socket's.
    const armedIn = enclosingFunction(role.call);
    if (h.type === AST_NODE_TYPES.Identifier && armedIn && perConnection(armedIn) && !(handleVar?.defs[0] && contains(armedIn, handleVar.defs[0].name))) return [];
    const handlePath = thisPath(h);
    const out: TSESTree.CallExpression[] = [];
    for (const node of this.m.syntax.callsNamed(['clearInterval', 'clearTimeout'])) {
      if (!isTimerClear(node.callee)) continue;
      const arg = node.arguments[0];
      if (!arg) continue;
      const a = unwrap(arg);
      const same = handleVar
        ? a.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(a) === handleVar
        : h.type === AST_NODE_TYPES.Identifier
          ? // An undeclared name (`timer = setInterval(…)` in sloppy JavaScript: an implicit global): the same name, undeclared too.
            a.type === AST_NODE_TYPES.Identifier && a.name === h.name && !this.m.varOf.get(a)
          : (flagName(a) === handleName && thisMemberName(a) !== undefined && thisClass(a) === handleClass) ||
          // `this.timers['ping']`, `this.timers.ping`: the same keys under a field of this class.
          (handlePath !== undefined && thisPath(a) === handlePath && thisClass(a) === thisClass(handle));
      if (same) out.push(node);
    }
    // `this.websocket.onclose = () => this.close(pingInterval)` with `close(interval) { clearInterval(interval); }`: the
    // handle handed to a function of the file that clears its parameter is cleared where that call is made.
    if (handleVar) out.push(...this.clearsThroughParameter(handleVar));
    // `timeouts[i] = setTimeout(…)`: a handle kept in a collection under a computed key, cleared by a pass over it.
    if (h.type === AST_NODE_TYPES.MemberExpression && h.computed && h.property.type !== AST_NODE_TYPES.Literal) out.push(...this.collectionClears(unwrap(h.object)));
    // A handle kept in a property of an object that is not `this` (`state.ping = setInterval(…)`, `session.timer = t`,
    // `{ ws, timer: t }`): a per-connection record that a registry or a closure holds. Its clear reads the property
    // through whatever reference to the record the clearing code has (`clearInterval(sessions.get(id)?.timer)`).
    const keys = handleVar ? this.storedKeysOfVariable(handleVar) : new Set<string>();
    // `ws.heartbeat` and `ws['heartbeat']` alike (a computed key that is no string literal names no property).
    if (h.type === AST_NODE_TYPES.MemberExpression && thisMemberName(h) === undefined && handlePath === undefined && handleName !== undefined) keys.add(handleName);
    for (const c of this.clearsOfStoredKeys(keys)) if (!out.includes(c)) out.push(c);
    return out;
  }

  /** The calls that hand the handle `v` holds to a function of the file which clears that parameter. */
  private clearsThroughParameter(v: Variable): TSESTree.CallExpression[] {
    const out: TSESTree.CallExpression[] = [];
    for (const ref of v.references) {
      const call = ref.isRead() ? ref.identifier.parent : undefined;
      if (call?.type !== AST_NODE_TYPES.CallExpression) continue;
      const index = call.arguments.indexOf(ref.identifier as TSESTree.CallExpressionArgument);
      if (index < 0) continue;
      const callee = unwrap(call.callee);
      const fn = callee.type === AST_NODE_TYPES.Identifier ? this.m.functionValue(callee) : this.m.methodOf(callee);
      const param = fn?.params[index];
      const pv = param?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(param) : undefined;
      if (!fn || !pv || !neverReassigned(pv)) continue;
      const clears = pv.references.some((r) => {
        const clear = r.identifier.parent;
        return clear?.type === AST_NODE_TYPES.CallExpression && clear.arguments[0] === r.identifier && isTimerClear(clear.callee);
      });
      if (clears) out.push(call);
    }
    return out;
  }

  /** The property names under which a variable holding a timer handle is stored in objects other than `this`. */
  private storedKeysOfVariable(v: Variable): Set<string> {
    const keys = new Set<string>();
    for (const ref of v.references) {
      if (!ref.isRead()) continue;
      for (const key of storedKeysOfValue(ref.identifier)) keys.add(key);
    }
    return keys;
  }

  /** `clearTimeout(x.key)` for a key of `keys`, `x` any object but `this` (see {@link clearsOf}). */
  private clearsOfStoredKeys(keys: ReadonlySet<string>): TSESTree.CallExpression[] {
    if (keys.size === 0) return [];
    const out: TSESTree.CallExpression[] = [];
    for (const node of this.m.syntax.callsNamed(['clearInterval', 'clearTimeout'])) {
      if (!isTimerClear(node.callee) || !node.arguments[0]) continue;
      const a = unwrap(node.arguments[0]);
      if (a.type !== AST_NODE_TYPES.MemberExpression || thisMemberName(a) !== undefined) continue;
      const name = propertyName(a);
      if (name !== undefined && keys.has(name)) out.push(node);
    }
    return out;
  }

  /**
   * The clears of every timer in a collection (a local or a field of this class): `Object.values(timeouts)
   * .forEach((t) => clearTimeout(t))`, `.forEach(clearTimeout)`, `for (const t of timers.values()) clearTimeout(t)`,
   * `for (const k in timeouts) clearTimeout(timeouts[k])`.
   */
  private collectionClears(container: TSESTree.Node): TSESTree.CallExpression[] {
    const containerVar = container.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(container) : undefined;
    const field = containerVar ? undefined : thisMemberName(container);
    if (!containerVar && field === undefined) return [];
    const cls = field !== undefined ? thisClass(container) : undefined;
    const same = (node: TSESTree.Node): boolean => {
      const n = unwrap(node);
      return containerVar ? n.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(n) === containerVar : thisMemberName(n) === field && thisClass(n) === cls;
    };
    // The collection itself, its values (`Object.values(c)`, `Array.from(c)`, `c.values()`).
    const reads = (node: TSESTree.Node): boolean => {
      const n = unwrap(node);
      if (same(n)) return true;
      if (n.type !== AST_NODE_TYPES.CallExpression) return false;
      const name = dottedName(n.callee);
      if ((name === 'Object.values' || name === 'Array.from') && n.arguments[0]) return reads(n.arguments[0]);
      const callee = unwrap(n.callee);
      return callee.type === AST_NODE_TYPES.MemberExpression && propertyName(callee) === 'values' && same(callee.object);
    };
    const out: TSESTree.CallExpression[] = [];
    for (const pass of this.m.syntax.callsNamed(['forEach', 'map'])) {
      const callee = unwrap(pass.callee);
      const fnArg = pass.arguments[0];
      if (callee.type !== AST_NODE_TYPES.MemberExpression || !fnArg || !reads(callee.object)) continue;
      if (isTimerClear(fnArg)) {
        out.push(pass);
        continue;
      }
      const fn = this.m.functionValue(fnArg);
      const param = fn?.params[0];
      const pv = param?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(param) : undefined;
      for (const ref of pv?.references ?? []) {
        const call = climbValue(ref.identifier).parent;
        if (call?.type === AST_NODE_TYPES.CallExpression && isTimerClear(call.callee) && call.arguments[0] && unwrap(call.arguments[0]) === ref.identifier) out.push(call);
      }
    }
    for (const clear of this.m.syntax.callsNamed(['clearInterval', 'clearTimeout'])) {
      const arg = clear.arguments[0];
      if (!arg || !isTimerClear(clear.callee)) continue;
      const a = unwrap(arg);
      for (let p: TSESTree.Node | undefined = clear.parent; p && !isFunction(p); p = p.parent) {
        if ((p.type !== AST_NODE_TYPES.ForOfStatement && p.type !== AST_NODE_TYPES.ForInStatement) || !reads(p.right)) continue;
        const left = p.left.type === AST_NODE_TYPES.VariableDeclaration ? p.left.declarations[0]?.id : p.left;
        const lv = left?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(left) : undefined;
        const element = p.type === AST_NODE_TYPES.ForOfStatement ? a.type === AST_NODE_TYPES.Identifier && !!lv && this.m.varOf.get(a) === lv : a.type === AST_NODE_TYPES.MemberExpression && a.computed && same(a.object);
        if (element) out.push(clear);
        break;
      }
    }
    return out;
  }

  /**
   * Is the timer cleared whenever the socket is released? Without `peer`: a clear in the releasing function, in a
   * cleanup-named method, or in a close/end/error listener. With `peer` (the kind of a socket the peer can
   * close): the clear must also run when the peer closes it, in a listener of an event that every close emits
   * (`'close'`, or `'end'` for a stream socket without half-open), directly or through the methods it calls. An
   * `'error'` listener alone is not enough: a clean close emits no error.
   */
  timerCleared(role: CallbackRole, releases: ValueOp[], peer: ResourceKind | undefined): boolean {
    const clears = this.clearsOf(role);
    if (clears.length === 0) return false;
    if (!peer) return clears.some((c) => this.inCleanupContext(c, releases, 0));
    const events = new Set<string>();
    for (const c of clears) this.runningEvents(c, 0, events, new Set());
    return events.has(peer.closeEvent) || [...peer.closedEvents].some((e) => events.has(e));
  }

  /** Where the name of a function declaration, or of a variable initialised with the function, is read. */
  private nameReads(fn: FunctionNode): TSESTree.Node[] {
    const p = fn.parent;
    const id = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.id : p?.type === AST_NODE_TYPES.VariableDeclarator && p.init === fn ? p.id : undefined;
    const v = id?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(id) : undefined;
    return (v?.references ?? []).filter((ref) => !ref.init && !ref.isWrite()).map((ref) => ref.identifier);
  }

  /** The events whose listeners run `node`: directly, or through the functions and methods they call. */
  private runningEvents(node: TSESTree.Node, depth: number, out: Set<string>, seen: Set<TSESTree.Node>): void {
    for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
      if (seen.has(fn)) return;
      seen.add(fn);
      const role = runRole(fn);
      if (role?.via === 'listener' && role.event !== undefined) out.add(role.event);
      const property = propertyListenerEvent(fn);
      if (property !== undefined) out.add(property);
      for (const ref of this.classes.referencesTo(fn)) {
        const r = runRole(ref.value);
        if (r?.via === 'listener' && r.event !== undefined) out.add(r.event);
        // Kept in a field first (`this.onClose = this.onSocketClose.bind(this); sock.on('close', this.onClose)`).
        for (const read of this.fieldReadsHolding(ref.value)) {
          const held = runRole(read);
          if (held?.via === 'listener' && held.event !== undefined) out.add(held.event);
        }
      }
      // A function registered by name (`const onClose = () => stopTimer(); socket.on('close', onClose)`).
      for (const ref of this.nameReads(fn)) {
        const r = runRole(ref);
        if (r?.via === 'listener' && r.event !== undefined) out.add(r.event);
      }
      if (depth >= 3) continue;
      for (const call of this.callsOf(fn)) this.runningEvents(call, depth + 1, out, seen);
    }
  }

  /**
   * The reads of the field of `this` that holds `value` as its only content: `value` is the initialiser of a
   * class field (`onClose = this.onSocketClose.bind(this)`) or the right side of the class's one store to it
   * (`this.onClose = …` in the constructor). Any other store makes it none.
   */
  private fieldReadsHolding(value: TSESTree.Node): TSESTree.MemberExpression[] {
    const outer = climbValue(value);
    const p = outer.parent;
    let name: string | undefined;
    let cls: TSESTree.Node | undefined;
    let declared = false;
    if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.right === outer && p.operator === '=' && thisMemberName(p.left) !== undefined) {
      name = thisMemberName(p.left);
      cls = thisClass(p.left);
    } else if (p?.type === AST_NODE_TYPES.PropertyDefinition && p.value === outer && !p.static && !p.computed) {
      name = keyName(p.key);
      cls = p.parent.parent;
      declared = true;
    }
    if (name === undefined || !cls) return [];
    const reads: TSESTree.MemberExpression[] = [];
    let stores = declared ? 1 : 0;
    for (const member of this.m.syntax.thisMembers(cls, name)) {
      const q = climbValue(member).parent;
      const written = (q?.type === AST_NODE_TYPES.AssignmentExpression && climbValue(q.left) === climbValue(member)) || (q?.type === AST_NODE_TYPES.UpdateExpression);
      if (written) stores++;
      else reads.push(member);
    }
    return stores === 1 ? reads : [];
  }

  /** The calls that run a named function (a declaration or a `const` initialised with one) or a method of the file (by name). */
  private callsOf(fn: FunctionNode): TSESTree.CallExpression[] {
    const methodName = fn.parent?.type === AST_NODE_TYPES.MethodDefinition || fn.parent?.type === AST_NODE_TYPES.PropertyDefinition ? keyName(fn.parent.key) : undefined;
    const declared = fn.parent?.type === AST_NODE_TYPES.VariableDeclarator && fn.parent.init === fn && fn.parent.id.type === AST_NODE_TYPES.Identifier ? fn.parent.id.name : undefined;
    const name = methodName ?? (fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.id?.name : declared);
    return name ? (this.m.syntax.callsByName.get(name) ?? []) : [];
  }

  /** Is this node in code that runs when the socket is released or closes? */
  private inCleanupContext(node: TSESTree.Node, releases: ValueOp[], depth: number): boolean {
    for (let fn = enclosingFunction(node); fn; fn = enclosingFunction(fn)) {
      const f: TSESTree.Node = fn;
      if (releases.some((r) => contains(f, r.node))) return true;
      const role = runRole(fn);
      if (role?.via === 'listener' && role.event !== undefined && TERMINAL_EVENTS.has(role.event)) return true;
      const methodName = fn.parent?.type === AST_NODE_TYPES.MethodDefinition ? keyName(fn.parent.key) : undefined;
      if (methodName && CLEANUP_METHOD.test(methodName)) return true;
      if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id && CLEANUP_METHOD.test(fn.id.name)) return true;
      if (depth < 2) {
        // A function called from a cleanup context.
        for (const call of this.callsOf(fn)) if (this.inCleanupContext(call, releases, depth + 1)) return true;
      }
    }
    return false;
  }
}

/**
 * The property names under which this value is stored in an object other than `this`: `x.key = value`,
 * `{ key: value }`, `{ key }`.
 */
function storedKeysOfValue(value: TSESTree.Node): string[] {
  const outer = climbValue(value);
  const p = outer.parent;
  if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.right === outer && p.operator === '=') {
    const left = unwrap(p.left);
    if (left.type !== AST_NODE_TYPES.MemberExpression || left.computed || thisMemberName(left) !== undefined) return [];
    const name = propertyName(left);
    return name !== undefined ? [name] : [];
  }
  if (p?.type === AST_NODE_TYPES.Property && p.value === outer && !p.computed && p.parent.type === AST_NODE_TYPES.ObjectExpression) {
    const name = keyName(p.key);
    return name !== undefined ? [name] : [];
  }
  return [];
}

/** Events of a server whose listener runs once per connection or request, many of them open at once. */
const PER_CONNECTION_EVENTS = new Set(['connection', 'secureConnection', 'request', 'upgrade', 'stream', 'session']);

/** Is `fn` a server's handler of its connections or requests (`server.on('connection', fn)`, `net.createServer(fn)`)? */
function perConnection(fn: FunctionNode): boolean {
  const role = runRole(fn);
  if (role?.via === 'listener') return role.event !== undefined && PER_CONNECTION_EVENTS.has(role.event);
  const call = climbValue(fn).parent;
  return call?.type === AST_NODE_TYPES.CallExpression && /^create(Secure)?Server$/.test(dottedName(call.callee)?.split('.').pop() ?? '');
}

/** `clearTimeout`, `clearInterval` (also as `timers.…`): the callee of a timer's clear. */
function isTimerClear(callee: TSESTree.Node): boolean {
  const name = dottedName(callee);
  return name === 'clearTimeout' || name === 'clearInterval' || name === 'timers.clearTimeout' || name === 'timers.clearInterval';
}

/** `ws.onclose = fn`: the event a function assigned to an `on<event>` property listens to. */
function propertyListenerEvent(fn: FunctionNode): string | undefined {
  const value = climbValue(fn);
  const p = value.parent;
  if (p?.type !== AST_NODE_TYPES.AssignmentExpression || p.right !== value || p.operator !== '=') return undefined;
  const left = unwrap(p.left);
  if (left.type !== AST_NODE_TYPES.MemberExpression) return undefined;
  const name = propertyName(left);
  return name !== undefined && name.length > LISTENER_PROPERTY_PREFIX.length && name.startsWith(LISTENER_PROPERTY_PREFIX) ? name.slice(LISTENER_PROPERTY_PREFIX.length) : undefined;
}

/**
 * `this.timers['ping']` → `timers.ping`: a chain of members with static keys (names, string literals) under a
 * field of `this`, two deep at least; undefined otherwise.
 */
function thisPath(node: TSESTree.Node): string | undefined {
  const keys: string[] = [];
  let n = unwrap(node);
  while (n.type === AST_NODE_TYPES.MemberExpression && keys.length < 4) {
    const key = n.computed ? (n.property.type === AST_NODE_TYPES.Literal && typeof n.property.value === 'string' ? n.property.value : undefined) : propertyName(n);
    if (key === undefined) return undefined;
    keys.unshift(key);
    n = unwrap(n.object);
  }
  return !!thisOf(n) && keys.length >= 2 ? keys.join('.') : undefined;
}
