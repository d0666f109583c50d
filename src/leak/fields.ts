import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import * as ts from 'typescript';
import { isLibraryFile } from '../kinds/registry';
import { AST_NODE_TYPES } from '../engine/node-types';
import { recover } from '../engine/strict';
import { alwaysExits, bindCallOn, calleeMember, hasOwnNode, isGlobalConsole, isLogCall, isNullishLiteral, someStatementBefore, isFunction, mayThrowImplicitly, calleeName, climbValue, contains, dottedName, enclosingFunction, isBindMember, keyName, methodCallOn, propertyName, statementList, SUSPENSIONS, stringValue, thisClass, thisMemberName, thisOf, unwrap, walkAst, wholeMethod, type FunctionNode } from '../engine/ast';
import { addToList } from '../util/lists';
import { isLoop } from '../engine/flow';
import { isCloseOrErrorEvent, releasedBeforeEvent } from '../kinds/kind';
import { CLEANUP_METHOD, EVENT_TARGET_METHOD, LISTENER_METHODS, LISTENER_PROPERTY_PREFIX, REMOVE_LISTENER_METHODS } from '../kinds/vocabulary';
import { callsMethodIn, isExecutor, soleInitialiser, type ClassNode, type Variable } from '../model/bindings';
import { callbackRole, firesOnce, isBetweenTestsHook, isTestCase } from '../model/callbacks';
import { classSummaries } from '../model/class-summaries';
import type { FileModel } from '../model/file-model';
import { isFieldMember, type Resource } from '../model/resource';
import { provesNoResource } from '../model/guards';
import { createsIdle, isLoadCode, wrappedValues } from '../model/resources';
import { escapeName, wordsOf } from '../model/reach-files';

import type { LeakFinding } from './leak';

const DefinitionType = TSESLint.Scope.DefinitionType;
/** What leaves a statement list or waits there: the statements after it may not run, or not at once. */
const EXITS = new Set<string>([
  AST_NODE_TYPES.ReturnStatement,
  AST_NODE_TYPES.ThrowStatement,
  AST_NODE_TYPES.BreakStatement,
  AST_NODE_TYPES.ContinueStatement,
  AST_NODE_TYPES.AwaitExpression,
  AST_NODE_TYPES.YieldExpression,
]);

/**
 * {@link FieldChecks.reArmsItself}'s answers by function node (a node of one parsed file; the answer reads only that
 * file): every resource stored in a field of the function asks again.
 */
const reArming = new WeakMap<FunctionNode, readonly TSESTree.Node[]>();

/**
 * Does the function `value`, given to a call, run repeatedly: a `setInterval` callback, an `on`/`addListener`
 * listener of an event that comes more than once, the handler given to a server's creation, a callback run once per
 * element (`forEach`)? Undefined when `value` is no argument of a call; false for any other call's.
 */
function repeatingCallback(m: FileModel, value: TSESTree.Node): boolean | undefined {
  const p = value.parent;
  if (p?.type !== AST_NODE_TYPES.CallExpression || !p.arguments.includes(value as TSESTree.CallExpressionArgument)) return undefined;
  const name = calleeName(p);
  // The handler given to a server's creation (`http.createServer(async (req, res) => …)`): a listener of its
  // request or connection event, as `server.on('request', …)` is.
  // `ssl.forEach((o) => this.listenOn(o))`: once per element.
  if (name !== undefined && EACH_ELEMENT_METHODS.has(name) && p.arguments[0] === value) return true;
  if (name !== 'on' && name !== 'addListener') return name === 'setInterval' || !!m.creationKind(p)?.serverHandlerEvents;
  // A `'connect'` (`'secureConnect'`, `'ready'`…) listener of a socket that does not reconnect by itself runs once
  // per connection it is asked for.
  return !firesOnce(m, stringValue(p.arguments[0]), calleeMember(p)?.object);
}

/** NestJS's lifecycle hooks that run once per provider, after its constructor. */
const ONCE_INIT_HOOKS = new Set(['onModuleInit', 'onApplicationBootstrap']);

/** Resources stored in fields: a field nothing releases, and a reconnect that overwrites an open resource. */
export class FieldChecks {
  constructor(
    private readonly m: FileModel,
    private readonly r: Resource,
    private readonly findings: LeakFinding[],
    private readonly release: string,
  ) {}

  /**
   * Reconnect logic: storing a new socket into a field or outer variable that may still hold an open one.
   * Reported when another place also stores a socket there (or the storing function runs repeatedly, or is
   * called from a listener of the old socket that runs while it is open), and the storing function neither
   * releases the old value nor tests it before overwriting it. Reading the old socket (removing its listeners,
   * logging it) is not handling it.
   */
  checkOverwrite(): void {
    const r = this.r;
    const assign =
      r.field?.assign.type === AST_NODE_TYPES.AssignmentExpression
        ? r.field.assign
        : r.outerStore?.assign;
    if (!assign || assign.type !== AST_NODE_TYPES.AssignmentExpression) return;
    // `this.sock ??= connect()` stores only when there is none.
    if (assign.operator !== '=') return;
    const innermost = enclosingFunction(assign);
    if (!innermost) return;
    // The whole method counts (a `.then` callback inside it runs after the method's own code).
    const fn = wholeMethod(innermost);
    const method = fn.parent;
    // The constructor runs once, when the field holds nothing yet (a listener it registers runs later, and again).
    // A caller on the way from a repeating callback that reads the field before it calls on handles the old value.
    const targetName = r.field?.name;
    // So does one that first calls a method of the class releasing the field (`this.closeSocket(); this.create()`).
    // In a loop (`loop`), every other part of its body runs between two calls: `while (!sent) { await this.connect();
    // … this.disconnect(); }`.
    const readsBefore = (call: TSESTree.CallExpression, loop?: TSESTree.Node): boolean => {
      const f = enclosingFunction(call);
      // `this.srv && this.srv.close(); setTimeout(() => this.init(), 5000)`: a timer's callback that makes the call
      // runs after what its armer did before arming it — here, a release of the field (another function than the one
      // that stores: one that re-arms itself is the repeat being asked about).
      const role = f ? callbackRole(f) : undefined;
      const armer = role?.via === 'timer' ? enclosingFunction(role.call) : undefined;
      if (!loop && role && armer && armer !== innermost && targetName !== undefined) {
        const arming = role.call;
        const released = (this.m.syntax.membersByName.get(targetName) ?? []).some(
          (n) => n.range[1] <= arming.range[0] && enclosingFunction(n) === armer && thisMemberName(n) === targetName && this.fieldUseReleases(n),
        );
        if (released) return true;
      }
      const cls = r.field?.cls;
      const between = (n: TSESTree.Node): boolean => (loop ? contains(loop, n) && !contains(call, n) : n.range[1] <= call.range[0]);
      // A variable of an enclosing function (`let ws; function init() { ws = new WebSocket(url) }`), read before the
      // call (`if (ws.readyState === WebSocket.CLOSED) init();`), the same way.
      const outer = r.outerStore?.variable;
      if (f && !r.field && outer) return outer.references.some((ref) => !ref.isWrite() && between(ref.identifier) && enclosingFunction(ref.identifier) === f);
      if (!f || targetName === undefined || !cls) return false;
      if ((this.m.syntax.membersByName.get(targetName) ?? []).some((n) => between(n) && enclosingFunction(n) === f && thisMemberName(n) === targetName && this.handlingRead(n, f, targetName, cls))) return true;
      return this.m.syntax.callsWithin(f).some((n) => {
        const name = between(n) && enclosingFunction(n) === f ? thisMemberName(n.callee) : undefined;
        return name !== undefined && name !== targetName && this.methodReleasesField(cls, name, targetName);
      });
    };
    // `client.on('ready', () => { this.conn = client; })`: a listener of the socket it stores stores that same socket
    // each time it runs; only the function that makes it, running again, stores a new one.
    const restoresItself = innermost !== fn && this.storesOwnEmitter(innermost, assign);
    const repeats = this.runsRepeatedly(restoresItself ? fn : innermost, 0, readsBefore, assign);
    if (method?.type === AST_NODE_TYPES.MethodDefinition && method.kind === 'constructor' && !repeats) return;
    // A private method that only the constructor calls runs once, when the field holds nothing yet; so does a
    // framework's one-time initialisation hook (NestJS `onModuleInit()`), which the file never calls itself.
    if (method?.type === AST_NODE_TYPES.MethodDefinition && (this.onlyFromConstructor(method) || this.isInitHook(method)) && !repeats) return;
    const sameTarget = (n: TSESTree.Node): boolean => {
      if (r.field) return isFieldMember(r.field, n);
      const u = unwrap(n);
      return u.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(u) === r.outerStore?.variable;
    };
    // Does the function release (or hand off, or test) the old value before storing the new one?
    let handled = false;
    let otherStore = false;
    // The places that name the target: the field's member expressions in the class, or the variable's names.
    const targets: TSESTree.Node[] = r.field
      ? (this.m.syntax.membersByName.get(r.field.name) ?? []).filter((n) => contains(r.field?.cls ?? n, n))
      : [...(r.outerStore?.variable.identifiers ?? []), ...(r.outerStore?.variable.references.map((ref) => ref.identifier) ?? [])];
    // A place before the store: earlier in the storing function, or in the method outside the callback that stores
    // (not in another callback of the method: a 'close' listener runs when it runs, not before each store).
    const before = (n: TSESTree.Node): boolean => {
      if (contains(innermost, n)) return n.range[0] < assign.range[0];
      const around = enclosingFunction(n);
      return !!around && contains(around, innermost);
    };
    for (const n of targets) {
      if (n !== assign.left && sameTarget(n)) {
        const p = n.parent;
        const isStore = p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === n;
        const isDeclInit = p?.type === AST_NODE_TYPES.VariableDeclarator && p.id === n && !!p.init;
        if (isStore || isDeclInit) {
          const value = isStore ? p.right : (p as TSESTree.VariableDeclarator).init;
          if (value && !contains(fn, n) && this.storesSocket(value) && !this.alternatives(fn, n) && !this.wrapsHeld(value, sameTarget)) otherStore = true;
        } else if (contains(fn, n) && before(n) && (this.fieldUseReleases(n) || guardsStore(n, assign, fn, (test, value) => this.stateGuardHolds(test, value)))) {
          handled = true;
        }
      }
    }
    const field = r.field;
    // `if (!this.db) { this.client = await MongoClient.connect(url); this.db = this.client.db('app'); }`: a test of a
    // field that holds something taken from the stored socket, filled only here, right after the store.
    if (field && !handled) {
      for (const shadow of this.shadowFields(fn, assign, field)) {
        const reads = (this.m.syntax.membersByName.get(shadow) ?? []).filter((n) => thisClass(n) === field.cls && contains(fn, n) && before(n));
        if (reads.some((n) => guardsStore(n, assign, fn, () => true))) handled = true;
      }
    }
    if (field) {
      // `this.dispose()` before the assignment: a method of the class that releases the field.
      handled ||= this.m.syntax.callsWithin(fn).some(
        (n) =>
          (contains(innermost, n) ? n.range[1] < assign.range[0] : true) &&
          thisMemberName(n.callee) !== undefined &&
          this.methodReleasesField(field.cls, thisMemberName(n.callee) as string, field.name),
      );
      if (this.initialiserStoresSocket(field)) otherStore = true;
    }
    const outer = r.outerStore?.variable;
    if (!field && outer) {
      // `await close(); pool = new Pool()`: a function of the file, called before the store, that releases the variable.
      handled ||= this.m.syntax.callsWithin(fn).some((n) => {
        if (!(contains(innermost, n) ? n.range[1] < assign.range[0] : before(n))) return false;
        const callee = this.m.functionValue(n.callee);
        return !!callee && callee !== fn && outer.references.some((ref) => contains(callee, ref.identifier) && this.fieldUseReleases(ref.identifier));
      });
    }
    // `it('…', () => { server = http.createServer(h) })` with `afterEach(() => server?.close())`: the hook releases it
    // between the test cases that store it.
    if (!field && outer && !handled) handled = this.releasedBetweenTests(assign, outer);
    // `if (this.online) return; this.sub = new Redis(url); this.online = true;` with every reset of the flag after a
    // release of the field: the store runs only once the socket there is released.
    if (field && !handled) handled = this.flagGuardsStore(innermost, assign, field);
    if (field && !handled) handled = this.calledOnlyWhenEmpty(fn, assign, field, (call) => readsBefore(call) || this.constructorCallFindsEmpty(call, field));
    if (handled) return;
    // `sock = net.connect(port, host); sock.end(data);`: the function releases what it stored before it goes on, so
    // every later store replaces a released socket.
    if (this.releasesOwnStore(assign, innermost, sameTarget)) return;
    // Called from both the error and the close listener of a socket whose error closes it: one failure stores twice,
    // and the second store drops the socket the first one made.
    // (The whole method before the store: for a store in a callback of it — `void this.wait().then(() => { this.ws =
    // new WebSocket(url) })` — the method's own assignments before that callback count too: `this.connectLock = true`.)
    const twice = !assignsAnything(this.m, fn, assign) && this.calledOnErrorAndClose(fn);
    if (!twice && (this.onlyAfterClose(fn) || this.storedAfterOwnClose(enclosingFunction(assign), sameTarget, 0))) return;
    if (!twice && !otherStore && !repeats && !this.calledWhileOpen(fn)) return;
    this.findings.push({
      messageId: 'fieldOverwritten',
      node: assign,
      data: {
        kind: r.kind.name,
        field: r.field ? `this.${r.field.name}` : (r.outerStore?.variable.name ?? ''),
        release: this.release,
      },
    });
  }

  /**
   * Is `listener` a listener registered on the resource itself (an alias of it), and the store's value that same
   * resource (an alias), not a new creation?
   */
  private storesOwnEmitter(listener: FunctionNode, assign: TSESTree.AssignmentExpression): boolean {
    const role = callbackRole(listener);
    const alias = (n: TSESTree.Node | undefined): boolean => {
      const u = n ? unwrap(n) : undefined;
      const v = u?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(u) : undefined;
      return !!v && this.r.aliases.has(v);
    };
    return role?.via === 'listener' && alias(role.emitter) && alias(assign.right);
  }

  /**
   * Is the store a statement followed, in its own block, by a statement that releases the same target, with nothing
   * between that can leave the block (`return`, `throw`, `break`, `continue`) or wait (`await`, `yield`)? Then the
   * socket stored there is released before the storing function goes on, whichever way it goes.
   */
  private releasesOwnStore(assign: TSESTree.AssignmentExpression, fn: TSESTree.Node, sameTarget: (n: TSESTree.Node) => boolean): boolean {
    const statement = assign.parent;
    const list = statement?.type === AST_NODE_TYPES.ExpressionStatement ? statementList(statement.parent) : undefined;
    if (!list || !statement) return false;
    const visitorKeys = this.m.sourceCode.visitorKeys;
    for (let i = list.indexOf(statement) + 1; i < list.length; i++) {
      const st = list[i];
      if (!st) break;
      let releases = false;
      let leaves = false;
      walkAst(st, visitorKeys, (n) => {
        if (EXITS.has(n.type) && enclosingFunction(n) === fn) leaves = true;
        else if (st.type === AST_NODE_TYPES.ExpressionStatement && sameTarget(n) && enclosingFunction(n) === fn && this.fieldUseReleases(n)) releases = true;
        return false;
      });
      if (releases) return true;
      if (leaves) return false;
    }
    return false;
  }

  /**
   * `if (!this.subscriber) { await this.reinit(); … }`: the method that stores (`fn`, storing before any `await` of
   * its own) is called in the file only, and only by name, inside the consequent of an `if` whose test proves the
   * field empty, ahead of any `await` there — so it stores only where nothing was open, and a concurrent caller
   * already sees what it stored.
   */
  private calledOnlyWhenEmpty(
    fn: FunctionNode,
    assign: TSESTree.AssignmentExpression,
    field: NonNullable<Resource['field']>,
    emptiedBefore: (call: TSESTree.CallExpression) => boolean,
  ): boolean {
    if (enclosingFunction(assign) !== fn || classSummaries(this.m).referencesTo(fn).length > 0) return false;
    const awaitsBefore = (within: TSESTree.Node, until: TSESTree.Node, owner: FunctionNode): boolean => {
      let found = false;
      walkAst(within, this.m.sourceCode.visitorKeys, (n) => {
        if (n.range[0] >= until.range[0]) return false;
        if (n !== within && isFunction(n)) return 'skip';
        found = (n.type === AST_NODE_TYPES.AwaitExpression || n.type === AST_NODE_TYPES.YieldExpression) && enclosingFunction(n) === owner && !contains(n, until);
        return found;
      });
      return found;
    };
    if (fn.body?.type !== AST_NODE_TYPES.BlockStatement || awaitsBefore(fn.body, assign, fn)) return false;
    const calls = this.m.syntax.callSites.get(fn) ?? [];
    // Every mention of the method is one of those calls (it is not handed on as a value).
    const method = fn.parent;
    const key = method?.type === AST_NODE_TYPES.MethodDefinition ? keyName(method.key) : undefined;
    if (!method || key === undefined) return false;
    const name = method.type === AST_NODE_TYPES.MethodDefinition && method.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${key}` : key;
    const members = (this.m.syntax.membersByName.get(name) ?? []).filter((n) => classSummaries(this.m).methodOf(n) === fn);
    if (calls.length === 0 || members.length !== calls.length) return false;
    const holder = (x: TSESTree.Node): boolean => isFieldMember(field, unwrap(x));
    return calls.every((call) => {
      const caller = enclosingFunction(call);
      if (!caller) return false;
      // A private method whose caller released the field right before (`this.closeSocket(); this.initSocket();`), or
      // is the constructor before any store there: it finds nothing open either.
      if (method.type === AST_NODE_TYPES.MethodDefinition && isPrivateMethod(method) && call.type === AST_NODE_TYPES.CallExpression && emptiedBefore(call)) return true;
      for (let child: TSESTree.Node = call, p: TSESTree.Node | undefined = call.parent; p && p !== caller; child = p, p = p.parent) {
        if (p.type !== AST_NODE_TYPES.IfStatement || p.consequent !== child) continue;
        return provesNoResource(p.test, true, this.r, undefined, holder) && !awaitsBefore(p.consequent, call, caller);
      }
      return false;
    });
  }

  /**
   * Is this call in the constructor (or a private method only the constructor calls) with no store into the field
   * before it there, nor a class property initialiser that stores a socket in it? The field still holds nothing.
   */
  private constructorCallFindsEmpty(call: TSESTree.CallExpression, field: NonNullable<Resource['field']>): boolean {
    const caller = enclosingFunction(call);
    const method = caller?.parent;
    if (method?.type !== AST_NODE_TYPES.MethodDefinition || method.parent.parent !== field.cls) return false;
    if (method.kind !== 'constructor' && !this.onlyFromConstructor(method)) return false;
    if (this.initialiserStoresSocket(field)) return false;
    return !(this.m.syntax.membersByName.get(field.name) ?? []).some(
      (n) => isFieldMember(field, n) && isAssignedMember(n) && contains(field.cls, n) && n.range[1] <= call.range[0] && enclosingFunction(n) === caller && !onOtherBranch(n, call),
    );
  }

  /** Does a class property initialiser store a socket in the field (`private sock = net.connect(port)`)? */
  private initialiserStoresSocket(field: NonNullable<Resource['field']>): boolean {
    return field.cls.body.body.some((n) => {
      if (n.type !== AST_NODE_TYPES.PropertyDefinition || n.static || n.computed || !n.value) return false;
      const key = n.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${n.key.name}` : n.key.type === AST_NODE_TYPES.Identifier ? n.key.name : undefined;
      return key === field.name && this.storesSocket(n.value);
    });
  }

  /**
   * A test of the old socket's state property (`if (ws && ws.readyState === WebSocket.OPEN) return;`) guards the store
   * only when, as it is on the way to the store, it proves that the old one holds nothing (a still-connecting socket
   * passes `!== OPEN`). Any other test of the target is taken as handling it.
   */
  private stateGuardHolds(test: TSESTree.Node, value: boolean): boolean {
    const state = this.r.kind.guards.state;
    if (!state?.live) return true;
    const { field, outerStore } = this.r;
    const holder = (n: TSESTree.Node): boolean => {
      const u = unwrap(n);
      if (field) return isFieldMember(field, u);
      return u.type === AST_NODE_TYPES.Identifier && !!outerStore && this.m.varOf.get(u) === outerStore.variable;
    };
    let mentions = false;
    walkAst(test, this.m.sourceCode.visitorKeys, (n) => {
      mentions = n.type === AST_NODE_TYPES.MemberExpression && propertyName(n) === state.property && holder(n.object);
      return mentions;
    });
    return !mentions || provesNoResource(test, value, this.r, undefined, holder);
  }

  /**
   * The fields of the class (other than the stored one) whose every assignment in the class is one statement of `fn`'s
   * own block, after the store and before anything that can leave it, given a value read from the stored field
   * (`this.db = this.client.db('app')`): they hold something exactly when the field holds what was stored.
   */
  private shadowFields(fn: FunctionNode, assign: TSESTree.AssignmentExpression, field: NonNullable<Resource['field']>): string[] {
    const statement = assign.parent;
    const block = statement?.parent;
    if (statement?.type !== AST_NODE_TYPES.ExpressionStatement || block?.type !== AST_NODE_TYPES.BlockStatement || enclosingFunction(assign) !== fn) return [];
    const out: string[] = [];
    const rest = block.body.slice(block.body.indexOf(statement) + 1);
    for (const st of rest) {
      const store = st.type === AST_NODE_TYPES.ExpressionStatement && st.expression.type === AST_NODE_TYPES.AssignmentExpression && st.expression.operator === '=' ? st.expression : undefined;
      const name = store ? thisMemberName(store.left) : undefined;
      if (!store || name === undefined || name === field.name || thisClass(store.left) !== field.cls) break;
      const fromField = (this.m.syntax.membersByName.get(field.name) ?? []).some((n) => contains(store.right, n) && isFieldMember(field, n));
      const assigned = (this.m.syntax.membersByName.get(name) ?? []).filter((n) => thisClass(n) === field.cls && isAssignedMember(n));
      if (fromField && assigned.length === 1 && assigned[0] === store.left) out.push(name);
      if (mayThrowImplicitly(store.right, this.m.sourceCode.visitorKeys) && !fromField) break;
    }
    return out;
  }

  /**
   * `if (legacy) this.connectType1(); else this.connectType2();`: the method that stores (`fn`) and the one of the
   * other store (at `other`) are only called in the two branches of the same `if` (or conditional expression), or in
   * two cases of one `switch` that do not fall through, so each call stores once, not twice.
   */
  private alternatives(fn: FunctionNode, other: TSESTree.Node): boolean {
    const around = enclosingFunction(other);
    const g = around && wholeMethod(around);
    if (!g || g === fn) return false;
    const callsF = this.m.syntax.callSites.get(fn) ?? [];
    const callsG = this.m.syntax.callSites.get(g) ?? [];
    if (callsF.length === 0 || callsG.length === 0) return false;
    const exclusive = (a: TSESTree.Node, b: TSESTree.Node): boolean => {
      for (let p = a.parent; p; p = p.parent) {
        if (isFunction(p)) return false;
        // `switch (mode) { case 'a': this.openA(); break; case 'b': this.openB(); break; }`: two cases, the first
        // of them (in the source) leaving the switch, are alternatives.
        if (p.type === AST_NODE_TYPES.SwitchStatement && contains(p, b)) {
          const ca = p.cases.findIndex((c) => contains(c, a));
          const cb = p.cases.findIndex((c) => contains(c, b));
          const first = p.cases[Math.min(ca, cb)];
          return ca >= 0 && cb >= 0 && ca !== cb && !contains(p.discriminant, a) && !!first && leavesSwitch(first.consequent);
        }
        if (p.type !== AST_NODE_TYPES.IfStatement && p.type !== AST_NODE_TYPES.ConditionalExpression) continue;
        if (!contains(p, b)) continue;
        const [yes, no] = [p.consequent, p.alternate];
        return !!no && ((contains(yes, a) && contains(no, b)) || (contains(no, a) && contains(yes, b)));
      }
      return false;
    };
    return callsF.every((a) => callsG.every((b) => exclusive(a, b)));
  }

  /** Is `event` the idle-timeout event of the resource's kind, which nothing arms for it ({@link Resource.idleTimeouts})? */
  private neverTimesOut(event: string | undefined): boolean {
    const idle = this.r.kind.idleTimeout;
    return !!idle && event === idle.event && !idle.armedByDefault && this.r.idleTimeouts.length === 0;
  }

  /**
   * Does `f` (the function that stores, or one around it) run only once the socket held where it stores is closed: a
   * listener of that socket's close or destroying error (`socket.addEventListener('close', () => { socket = new
   * WebSocket(url) })`), a timer armed there, or a local function that only such places call or arm
   * (`socket.addEventListener('error', () => setTimeout(retry, 100))` in `retry` itself)? Each store then replaces a
   * closed socket.
   */
  private storedAfterOwnClose(f: FunctionNode | undefined, sameTarget: (n: TSESTree.Node) => boolean, depth: number): boolean {
    if (!f || depth > 3) return false;
    const role = callbackRole(f);
    if (role?.via === 'listener') return !!role.emitter && sameTarget(role.emitter) && releasedBeforeEvent(this.r.kind, role.event);
    if (role?.via === 'timer') return this.storedAfterOwnClose(enclosingFunction(role.call), sameTarget, depth + 1);
    // `this.ws.onclose = () => { … }`: an event handler property of that socket.
    const assigned = f.parent;
    if (assigned?.type === AST_NODE_TYPES.AssignmentExpression && assigned.operator === '=' && assigned.right === f && assigned.left.type === AST_NODE_TYPES.MemberExpression) {
      const prop = propertyName(assigned.left);
      if (prop?.startsWith(LISTENER_PROPERTY_PREFIX)) return sameTarget(assigned.left.object) && releasedBeforeEvent(this.r.kind, prop.slice(LISTENER_PROPERTY_PREFIX.length));
    }
    if (role) return false;
    // A method of the class: every `this.<name>` calls it from such a place, or is bound and given as a listener of
    // the closed event to the same target (`this.ws.on('close', this.onClose.bind(this))`).
    // (A private one: a public method may also be called by the class's users, at any time.)
    const def = f.parent?.type === AST_NODE_TYPES.MethodDefinition && f.parent.kind === 'method' && !f.parent.static ? f.parent : undefined;
    const method = def && (def.accessibility === 'private' || def.key.type === AST_NODE_TYPES.PrivateIdentifier) ? def : undefined;
    const methodName = method && !method.computed ? (method.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${method.key.name}` : keyName(method.key)) : undefined;
    if (method && methodName !== undefined) {
      const cls = method.parent.parent;
      const sites = (this.m.syntax.membersByName.get(methodName) ?? []).filter((n) => thisMemberName(n) === methodName && thisClass(n) === cls);
      return (
        sites.length > 0 &&
        sites.every((n) => {
          const bound = bindCallOn(n);
          const value = bound ? climbValue(bound) : undefined;
          const reg = value?.parent;
          if (value && reg?.type === AST_NODE_TYPES.CallExpression && reg.arguments[1] === value) {
            const mc = calleeMember(reg);
            return !!mc && LISTENER_METHODS.has(propertyName(mc) ?? '') && sameTarget(unwrap(mc.object)) && releasedBeforeEvent(this.r.kind, stringValue(reg.arguments[0]));
          }
          const call = climbValue(n).parent;
          if (call?.type !== AST_NODE_TYPES.CallExpression || unwrap(call.callee) !== n) return false;
          const caller = enclosingFunction(call);
          return caller !== f && this.storedAfterOwnClose(caller, sameTarget, depth + 1);
        })
      );
    }
    // A local function: every place that names it calls it, or hands it to a timer, from such a place.
    const named = this.m.syntax.namesOf(f);
    if (named.length === 0) return false;
    return named.every((n) => {
      const call = n.parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression) return false;
      const timer = call.callee !== n && calleeName(call) === 'setTimeout' && call.arguments[0] === n;
      if (call.callee !== n && !timer) return false;
      const caller = enclosingFunction(call);
      return caller !== f && this.storedAfterOwnClose(caller, sameTarget, depth + 1);
    });
  }

  /**
   * Is the storing function called in this file, and only from listeners that run once a socket of this kind has
   * closed (`s.on('close', () => this.reconnect())`, or a timer set there), or the resource that made it, whose
   * close closes what it made ({@link ResourceKind.releasesCreated}), or from its `'timeout'` listener when nothing arms
   * its idle timeout ({@link neverTimesOut}), or from a server's error listener (a failed `listen()`: the server
   * holds nothing)? Then the old socket is already gone.
   */
  private onlyAfterClose(fn: FunctionNode, depth = 0): boolean {
    const calls = (this.m.syntax.callSites.get(fn) ?? []).filter((call) => depth === 0 || !contains(fn, call));
    const creator = this.r.report.type === AST_NODE_TYPES.CallExpression ? calleeMember(this.r.report) : undefined;
    const made = creator ? propertyName(creator) : undefined;
    const failedListen = this.r.kind.errorEvent?.failedListen ? this.r.kind.errorEvent.name : undefined;
    return (
      calls.length > 0 &&
      calls.every((call) => {
        let outermost: FunctionNode | undefined;
        for (let f = enclosingFunction(call); f && f !== fn; f = enclosingFunction(f)) {
          outermost = f;
          const role = callbackRole(f);
          if (role?.via !== 'listener' || !role.emitter) continue;
          // A field declared `any` (`private _wss: any`) that holds this socket: its listeners are the socket's.
          const emitterKind = this.m.kindOfValue(role.emitter) ?? (isFieldMember(this.r.field, role.emitter) ? this.r.kind : undefined);
          // A `'timeout'` listener of this socket when nothing arms its idle timeout (no `setTimeout(ms)`, no `timeout`
          // option): it never runs.
          if (emitterKind === this.r.kind && this.neverTimesOut(role.event)) return true;
          // `server.on('error', () => { port++; this.start(); })`: the server that failed to listen holds nothing.
          if (emitterKind === this.r.kind && failedListen !== undefined && role.event === failedListen) return true;
          if (!emitterKind || !releasedBeforeEvent(emitterKind, role.event)) continue;
          // The old socket's own close, or the close of what made it (an amqplib connection closes its channels).
          if (emitterKind === this.r.kind || (made !== undefined && !!emitterKind.releasesCreated?.has(made))) return true;
        }
        // Called by a method or function of the file that is itself called only from such places (the error listener
        // → `this.scheduleReconnect()` → `setTimeout(() => this.connect(), ms)`; its own retry inside it aside).
        return !!outermost && depth < 2 && this.onlyAfterClose(outermost, depth + 1);
      })
    );
  }

  /**
   * Is the storing function called from a listener of the error event and from one of the close event of the same
   * socket, whose error destroys it — so that both run, one after the other, for one failure
   * (`ws.on('error', () => this.connect()); ws.on('close', () => this.connect())`)? Not when either listener, or
   * the storing function before the store, assigns something (a `reconnecting` flag, the field) or tests the
   * field: that may be the guard against the second call.
   */
  private calledOnErrorAndClose(fn: FunctionNode): boolean {
    const seen = new Map<string, Set<string>>();
    const summaries = classSummaries(this.m);
    for (const call of this.m.syntax.callSites.get(fn) ?? []) {
      for (let f = enclosingFunction(call); f && f !== fn; f = enclosingFunction(f)) {
        const roles = listenerRegistrations(f, summaries);
        if (roles.length === 0) continue;
        if (assignsAnything(this.m, f)) return false;
        for (const { emitter: at, event } of roles) {
          const kind = this.m.kindOfValue(at) ?? (isFieldMember(this.r.field, at) ? this.r.kind : undefined);
          if (!kind?.errorEvent?.destroys || (event !== kind.errorEvent.name && event !== kind.closeEvent)) continue;
          const emitter = unwrap(at);
          const key = emitterKey(emitter);
          if (key === undefined) continue;
          // `onError = () => { this.disconnect(); this.connect(); }` where `disconnect()` first removes the close
          // listener from that socket: after this error no close listener runs, so the failure stores once.
          if (event === kind.errorEvent.name && kind.closeEvent !== undefined && this.removesListenerBefore(f, call, key, kind.closeEvent)) continue;
          let events = seen.get(key);
          if (!events) seen.set(key, (events = new Set()));
          events.add(event === kind.closeEvent ? 'close' : 'error');
        }
        break;
      }
    }
    return [...seen.values()].some((events) => events.size === 2);
  }

  /**
   * Does `f`, before `call`, remove its listeners of `event` from the emitter named `key` (`this.ws` → `ws`):
   * `removeListener`/`off`/`removeEventListener` of that event, or `removeAllListeners()` (of it, or of every event),
   * in its own code or in the own code of a method of the class that it calls there (`this.disconnect()`, or one that
   * method calls: `this.removeListeners()`)?
   */
  private removesListenerBefore(f: FunctionNode, call: TSESTree.Node, key: string, event: string, depth = 0): boolean {
    return this.m.syntax.callsWithin(f).some((n) => {
      if (enclosingFunction(n) !== f || (depth === 0 && n.range[1] > call.range[0])) return false;
      const name = calleeName(n);
      const receiver = calleeMember(n)?.object;
      if (receiver && emitterKey(unwrap(receiver)) === key) {
        const first = n.arguments[0];
        if (name !== undefined && REMOVE_LISTENER_METHODS.has(name) && first && stringValue(first) === event) return true;
        if (name === 'removeAllListeners' && (!first || stringValue(first) === event)) return true;
      }
      const method = depth < 2 ? this.m.thisMethodValue(n.callee) : undefined;
      return !!method && method !== f && this.removesListenerBefore(method, call, key, event, depth + 1);
    });
  }

  /**
   * Is the storing function called from a listener of the old socket that runs while it is open (a 'timeout'
   * listener: `s.on('timeout', () => this.connect())`) and releases nothing itself?
   */
  private calledWhileOpen(fn: FunctionNode): boolean {
    const r = this.r;
    const calls = this.m.syntax.callSites.get(fn) ?? [];
    return r.registrations.some((reg) => {
      const body = reg.fn;
      if (!body || reg.via !== 'listener' || releasedBeforeEvent(r.kind, reg.event) || isCloseOrErrorEvent(r.kind, reg.event)) return false;
      if (!calls.some((call) => contains(body, call))) return false;
      for (const [node, ops] of r.ops) {
        if (contains(body, node) && ops.some((o) => o.t === 'kill' && o.why === 'release') && !calls.includes(node as TSESTree.CallExpression)) return false;
      }
      return true;
    });
  }

  /**
   * The class that holds the socket in a field exposes its own release: a public method named like a teardown
   * (`close()`, `destroy()`, …) that releases the field. Its owner decides when the socket goes.
   */
  ownerHasRelease(): boolean {
    const field = this.r.field;
    if (!field) return false;
    return field.cls.body.body.some(
      (el) =>
        el.type === AST_NODE_TYPES.MethodDefinition &&
        el.kind === 'method' &&
        !el.static &&
        el.accessibility !== 'private' &&
        el.key.type === AST_NODE_TYPES.Identifier &&
        CLEANUP_METHOD.test(el.key.name) &&
        this.methodReleasesField(field.cls, el.key.name, field.name),
    );
  }

  /**
   * Does this listener report to the owner of the object: emit an event on it (`this.emit('timeout')`), call one
   * of its methods or callbacks (`this.onIdle()`, `this.opts.onTimeout()`), or call a callback it was given (a
   * parameter of an enclosing function)? Logging is not reporting.
   */
  reportsToOwner(fn: FunctionNode, depth = 0): boolean {
    const field = this.r.field;
    let found = false;
    walkAst(fn.body, this.m.sourceCode.visitorKeys, (n) => {
      if (n.type !== AST_NODE_TYPES.CallExpression) return false;
      const callee = unwrap(n.callee);
      if (callee.type === AST_NODE_TYPES.Identifier) {
        const v = this.m.varOf.get(callee);
        found = !!v && this.m.isParameter(v) && !contains(fn, v.identifiers[0] ?? fn);
        // A local helper that reports (`const done = (e) => { if (this.callback) this.callback(e); }`).
        const helper = !found && depth < 2 ? this.m.functionValue(callee) : undefined;
        if (helper && helper !== fn) found = this.reportsToOwner(helper, depth + 1);
      } else if (callee.type === AST_NODE_TYPES.MemberExpression) {
        let root: TSESTree.Node = unwrap(callee.object);
        let first: TSESTree.Node = callee;
        while (root.type === AST_NODE_TYPES.MemberExpression) {
          first = root;
          root = unwrap(root.object);
        }
        // `this.sock.write()` is a use of the socket, not a report.
        const viaField = first !== callee && !!field && thisMemberName(first) === field.name;
        found = !!thisOf(root) && !viaField && thisClass(root) === field?.cls;
        // `const self = this; … self.callback(err)` in a function of the constructor.
        if (!found && root.type === AST_NODE_TYPES.Identifier && !viaField) {
          const def = this.m.varOf.get(root)?.defs[0]?.node;
          found = def?.type === AST_NODE_TYPES.VariableDeclarator && def.init?.type === AST_NODE_TYPES.ThisExpression;
        }
      }
      return found;
    });
    return found;
  }

  private methodReleasesField(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression, method: string, field: string): boolean {
    return cls.body.body.some(
      (el) => el.type === AST_NODE_TYPES.MethodDefinition && el.key.type === AST_NODE_TYPES.Identifier && el.key.name === method && this.releasesFieldIn(el.value, field),
    );
  }

  /**
   * `this.sock = tls.connect({ socket: this.sock })`, `const plain = this.sock; this.sock = new tls.TLSSocket(plain)`:
   * a wrapper (a kind's {@link ResourceKind.wrapsStream} place) over the socket the target itself holds. STARTTLS
   * upgrades the connection the field already has; storing the wrapper back replaces no open socket of its own.
   */
  private wrapsHeld(value: TSESTree.Node, sameTarget: (n: TSESTree.Node) => boolean): boolean {
    const v = unwrap(value);
    if (v.type !== AST_NODE_TYPES.CallExpression && v.type !== AST_NODE_TYPES.NewExpression) return false;
    const place = this.m.creationKind(v)?.wrapsStream;
    if (!place) return false;
    return wrappedValues(this.m, v, place).some((u) => {
      if (sameTarget(u)) return true;
      // A local read from the target once and never assigned again.
      const init = u.type === AST_NODE_TYPES.Identifier ? soleInitialiser(this.m.varOf.get(u)) : undefined;
      return !!init && sameTarget(init);
    });
  }

  /**
   * A store made in a test case's function (`it('…', async () => { server = createServer(h) })`) to a variable that a
   * `beforeEach` or `afterEach` hook releases (`afterEach(() => server?.close())`), the hook registered in the test
   * case's block or a block around it: the test runner runs the hook between every two test cases, so no test case's
   * store replaces a value another one left open.
   */
  private releasedBetweenTests(store: TSESTree.Node, v: Variable): boolean {
    let testCall: TSESTree.Node | undefined;
    for (let f = enclosingFunction(store); f && !testCall; f = enclosingFunction(f)) {
      const role = callbackRole(f);
      if (role?.via === 'callback' && isTestCase(role.call)) testCall = role.call;
    }
    if (!testCall) return false;
    const caseCall = testCall;
    return v.references.some((ref) => {
      if (contains(caseCall, ref.identifier) || !this.fieldUseReleases(ref.identifier)) return false;
      for (let f = enclosingFunction(ref.identifier); f; f = enclosingFunction(f)) {
        const role = callbackRole(f);
        if (role?.via !== 'callback' || !isBetweenTestsHook(role.call)) continue;
        // The hook's block (a `describe` callback, or the module) holds the test case.
        const block = enclosingFunction(role.call);
        return !block || contains(block, caseCall);
      }
      return false;
    });
  }

  private storesSocket(value: TSESTree.Node): boolean {
    const v = unwrap(value);
    if (v.type !== AST_NODE_TYPES.CallExpression && v.type !== AST_NODE_TYPES.NewExpression) return false;
    const kind = this.m.creationKind(v);
    // `socket = new net.Socket()` as a placeholder holds nothing ({@link ResourceKind.createdIdle}) — unless the
    // function that stores it puts it to use right after (`this.sock = new net.Socket(); this.sock.connect(port)`).
    return !!kind && (!createsIdle(this.m, v, kind) || this.usedAfterStore(climbValue(v), kind));
  }

  /** `this.x = <value>; …; this.x.m()`: a method of the field, not a listener registration nor a release, called after the store in its function. */
  private usedAfterStore(value: TSESTree.Node, kind: Resource['kind']): boolean {
    const assign = value.parent;
    const name = assign?.type === AST_NODE_TYPES.AssignmentExpression && assign.right === value ? thisMemberName(assign.left) : undefined;
    const fn = assign ? enclosingFunction(assign) : undefined;
    if (name === undefined || !assign || !fn) return false;
    const cls = thisClass(assign);
    return (this.m.syntax.membersByName.get(name) ?? []).some((member) => {
      if (member.range[0] <= assign.range[1] || enclosingFunction(member) !== fn || thisMemberName(member) !== name || thisClass(member) !== cls) return false;
      const mc = methodCallOn(member);
      return !!mc && !LISTENER_METHODS.has(mc.name) && !kind.releases.has(mc.name);
    });
  }

  /** Is this a private method (`private m()`, `#m()`) whose every reference is a `this.m()` call in the constructor? */
  /**
   * Is the store behind a flag: a statement of the storing function before it exits when the flag holds its blocking
   * value (`if (this.online) return;`, `if (!retry) return;`, or one of the operands of `||`), the flag being a field
   * of the class (`this.online`) or a variable of an enclosing function (`let retry = true`) given only `true` and
   * `false`; the function sets it to that blocking value, and every other place that sets it (to the other value)
   * comes after a release of the field in its own function, or before one there with no `await` or `yield` in that
   * function (nothing runs in between: `retry = true; this.disposeClient();`), or runs in a listener of the field's
   * socket for an event that comes only once it is closed? The field then holds no open socket whenever the flag lets
   * the store run.
   */
  private flagGuardsStore(fn: FunctionNode, assign: TSESTree.AssignmentExpression, field: NonNullable<Resource['field']>): boolean {
    const body = fn.body?.type === AST_NODE_TYPES.BlockStatement ? fn.body.body : [];
    type Flag = { field: string; blocking: boolean } | { variable: Variable; blocking: boolean };
    const flags: Flag[] = [];
    for (const st of body) {
      if (st.range[0] >= assign.range[0]) break;
      if (st.type !== AST_NODE_TYPES.IfStatement || st.alternate || !alwaysExits(st.consequent)) continue;
      const operands: TSESTree.Node[] = [];
      const collect = (t: TSESTree.Node): void => {
        const u = unwrap(t);
        if (u.type === AST_NODE_TYPES.LogicalExpression && u.operator === '||') {
          collect(u.left);
          collect(u.right);
        } else operands.push(u);
      };
      collect(st.test);
      for (const o of operands) {
        const negated = o.type === AST_NODE_TYPES.UnaryExpression && o.operator === '!';
        const operand = negated ? unwrap(o.argument) : o;
        const name = thisMemberName(operand);
        if (name !== undefined && name !== field.name && thisClass(operand) === field.cls) flags.push({ field: name, blocking: !negated });
        const v = operand.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(operand) : undefined;
        if (v && v.defs.length === 1 && v.defs[0].type === DefinitionType.Variable && !contains(fn, v.defs[0].name)) flags.push({ variable: v, blocking: !negated });
      }
    }
    const boolValue = (n: TSESTree.Node): boolean | undefined => (n.type === AST_NODE_TYPES.Literal && typeof n.value === 'boolean' ? n.value : undefined);
    return flags.some((flag) => {
      // Where the flag is set: `this.flag = …` in the class, or `flag = …`.
      let sets: TSESTree.AssignmentExpression[];
      if ('field' in flag) {
        sets = (this.m.syntax.membersByName.get(flag.field) ?? []).flatMap((n) => {
          const p = n.parent;
          return thisMemberName(n) === flag.field && thisClass(n) === field.cls && p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === n ? [p] : [];
        });
      } else {
        sets = [];
        for (const ref of flag.variable.references) {
          if (!ref.isWrite() || ref.init) continue;
          const p = ref.identifier.parent;
          if (p?.type !== AST_NODE_TYPES.AssignmentExpression || p.left !== ref.identifier || p.operator !== '=' || boolValue(unwrap(p.right)) === undefined) return false;
          sets.push(p);
        }
      }
      const blocks = (p: TSESTree.AssignmentExpression): boolean => p.operator === '=' && boolValue(unwrap(p.right)) === flag.blocking;
      if (!sets.some((p) => enclosingFunction(p) === fn && blocks(p))) return false;
      return sets.every((p) => {
        if (blocks(p)) return true;
        const g = enclosingFunction(p);
        if (!g) return false;
        // Around a release of the field in the same function (`this.sub.disconnect(); … this.online = false`; or
        // `retry = true; this.disposeClient();` where nothing can run between the two).
        const synchronous = !hasOwnNode(g, g, SUSPENSIONS, this.m.sourceCode.visitorKeys);
        const counts = (n: TSESTree.Node): boolean => contains(g, n) && (n.range[0] < p.range[0] || (synchronous && enclosingFunction(n) === g));
        const releasedAround =
          (this.m.syntax.membersByName.get(field.name) ?? []).some((m) => counts(m) && thisMemberName(m) === field.name && thisClass(m) === field.cls && this.fieldUseReleases(m)) ||
          this.m.syntax.callsWithin(g).some((c) => {
            const name = counts(c) && enclosingFunction(c) === g ? thisMemberName(c.callee) : undefined;
            return name !== undefined && name !== field.name && this.methodReleasesField(field.cls, name, field.name);
          });
        if (releasedAround) return true;
        // In a listener of the field's socket for an event that comes once it is closed (`this.sock.on('close', …)`).
        const role = callbackRole(g);
        return role?.via === 'listener' && !!role.emitter && thisMemberName(unwrap(role.emitter)) === field.name && releasedBeforeEvent(this.r.kind, role.event);
      });
    });
  }

  /**
   * A NestJS lifecycle hook that the framework calls once, right after it constructs the provider
   * (`onModuleInit()`, `onApplicationBootstrap()`), and that the file does not call itself.
   */
  private isInitHook(method: TSESTree.MethodDefinition): boolean {
    const name = method.key.type === AST_NODE_TYPES.Identifier && !method.computed ? method.key.name : undefined;
    if (name === undefined || method.static || method.kind !== 'method' || !ONCE_INIT_HOOKS.has(name)) return false;
    const cls = method.parent.parent;
    return !(this.m.syntax.membersByName.get(name) ?? []).some((n) => contains(cls, n) && n.parent?.type === AST_NODE_TYPES.CallExpression && n.parent.callee === n);
  }

  private onlyFromConstructor(method: TSESTree.MethodDefinition, depth = 0): boolean {
    if (depth > 4) return false;
    const name = method.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${method.key.name}` : method.key.type === AST_NODE_TYPES.Identifier ? method.key.name : undefined;
    if (name === undefined || method.static || (method.key.type !== AST_NODE_TYPES.PrivateIdentifier && method.accessibility !== 'private')) return false;
    const cls = method.parent.parent;
    const refs = (this.m.syntax.membersByName.get(name) ?? []).filter((n) => contains(cls, n) && thisMemberName(n) === name);
    return (
      refs.length > 0 &&
      refs.every((n) => {
        const call = n.parent;
        if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== n) return false;
        const owner = enclosingFunction(call)?.parent;
        if (owner?.type !== AST_NODE_TYPES.MethodDefinition || owner.parent.parent !== cls) return false;
        // Or from a private method that only the constructor calls, in turn (`constructor → createSocket() → init()`).
        return owner.kind === 'constructor' || (owner !== method && this.onlyFromConstructor(owner, depth + 1));
      })
    );
  }

  /**
   * Does this read of the field, in a caller of the storing function before its call, handle what the field holds?
   * Not a test of its presence alone (`if (this.ws)`), clearing one of its event handler properties (`this.ws.onmessage
   * = null`), removing its listeners, nor anything in an `if` (with no `else`) that releases it only when its test —
   * which reads the field — holds where a live socket may fail it (`if (this.ws.readyState === WebSocket.OPEN)
   * this.ws.close()`: a socket still connecting goes on to be overwritten), its test included.
   */
  private handlingRead(n: TSESTree.Node, f: FunctionNode, name: string, cls: ClassNode): boolean {
    if (isPresenceTest(n)) return false;
    const p = n.parent;
    // A store into it (the storing function's own, met on a way back to it) reads nothing.
    if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === n) return false;
    if (p?.type === AST_NODE_TYPES.MemberExpression && p.object === n) {
      const prop = propertyName(p);
      if (p.parent?.type === AST_NODE_TYPES.AssignmentExpression && p.parent.left === p && prop?.startsWith(LISTENER_PROPERTY_PREFIX) && isNullishLiteral(p.parent.right)) return false;
      const call = p.parent?.type === AST_NODE_TYPES.CallExpression && p.parent.callee === p ? p.parent : undefined;
      if (call && prop !== undefined && (REMOVE_LISTENER_METHODS.has(prop) || prop === 'removeAllListeners')) return false;
    }
    for (let a: TSESTree.Node | undefined = n.parent; a && a !== f; a = a.parent) {
      if (a.type === AST_NODE_TYPES.IfStatement && !a.alternate) return !this.releasesOnlyWhenTestHolds(a, a.test, { name, cls });
    }
    return true;
  }

  /**
   * `if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.close();`: does the `if` release the field in its
   * consequent, behind `test` (its own test, or what that test stands for), which reads the field and whose false side
   * does not prove it holds nothing — so a live socket (one still connecting) can go past it unreleased?
   */
  private releasesOnlyWhenTestHolds(st: TSESTree.IfStatement, test: TSESTree.Node | undefined, field: { name: string; cls: ClassNode }): boolean {
    if (!test) return false;
    const members = this.m.syntax.membersByName.get(field.name) ?? [];
    const holder = (x: TSESTree.Node): boolean => {
      const u = unwrap(x);
      return thisMemberName(u) === field.name && thisClass(u) === field.cls;
    };
    if (!members.some((u) => contains(st.consequent, u) && holder(u) && this.fieldUseReleases(u))) return false;
    return members.some((u) => contains(test, u) && holder(u)) && !provesNoResource(test, false, this.r, undefined, holder);
  }

  /**
   * A setInterval callback or an `on` listener runs many times, and so does a function that re-arms itself — unless
   * every place that re-arms it is on a path apart from `site` (the store, or the call on the way to it): the other
   * branch of an `if`, the `catch` of the `try` it is in (`try { ws = open(); } catch { scheduleRetry(); }`,
   * `if (up) connect(); else retryLater();`): a run that re-arms it stores nothing.
   */
  private runsRepeatedly(
    fn: FunctionNode,
    depth = 0,
    handledAt?: (call: TSESTree.CallExpression, loop?: TSESTree.Node) => boolean,
    site?: TSESTree.Node,
    origin: FunctionNode = fn,
    tailSafe = true,
  ): boolean {
    const arming = this.reArmSites(fn);
    const names: Names = { functionOf: (callee) => classSummaries(this.m).functionCalled(callee), varOf: this.m.varOf };
    if (arming.length > 0 && (!site || arming.some((a) => !apart(a, site, names, tailSafe)))) return true;
    const repeatedCallback = (value: TSESTree.Node): boolean | undefined => {
      const p = value.parent;
      if (p?.type !== AST_NODE_TYPES.CallExpression || !p.arguments.includes(value as TSESTree.CallExpressionArgument)) return undefined;
      // A timer's callback runs once per arming: as often as the function that arms it, when a repeating callback
      // calls that one (`scheduleReconnect()` called from a channel's 'error' listener, arming `setTimeout(() =>
      // this.connect(), ms)`). A timer the storing function arms for itself, directly or through helpers, is a
      // re-arm (see reArmSites), decided apart from the store.
      if (calleeName(p) === 'setTimeout' && p.arguments[0] === value) {
        const armer = enclosingFunction(p);
        return !!armer && this.calledFromRepeating(armer, depth + 1, new Set([origin]));
      }
      return repeatingCallback(this.m, value);
    };
    const direct = repeatedCallback(fn);
    if (direct !== undefined) return direct;
    // A method registered by reference (`this.ws.on('message', this.onMessage.bind(this))`).
    if (fn.parent?.type === AST_NODE_TYPES.MethodDefinition && classSummaries(this.m).referencesTo(fn).some((ref) => repeatedCallback(ref.value) === true)) return true;
    // A function of the file that such a callback calls (`ws.on('message', () => open(host))`), or a method it calls
    // in turn (`this.onMessage(d)` → `this.connect(url)`).
    if (depth > 2) return false;
    return (this.m.syntax.callSites.get(fn) ?? []).some((call) => {
      // A caller that handles the old value before the call (`const old = this.pool; … old.end(); await this.createPool()`).
      if (handledAt?.(call)) return false;
      const f = enclosingFunction(call);
      // A listener that destroys its own emitter before the call (`this.req?.destroy(); this.setup();` in the request
      // socket's 'data' listener): no event follows, so that path runs once.
      if (f && this.afterOwnEmitterDestroyed(call, f)) return false;
      // Each run of a function that declares the variable stored into makes a new variable: running it again
      // overwrites nothing (`function start(cfg) { let ws; const connect = () => { ws = new WebSocket(…) }; … }`).
      const outer = this.r.outerStore?.variable;
      // Back in the storing function, through others (`connect()` → `waitForHello()` → `destroy()` → `connect()`): it
      // runs itself again — unless that call is on a path apart from the store (as a re-arm would be).
      if (f === origin && fn !== origin) {
        const store = this.r.field?.assign ?? this.r.outerStore?.assign;
        return !store || !contains(origin, store) || !apart(call, store, names, tailSafe);
      }
      if (!f || f === fn || (outer && outer.defs.some((d) => contains(f, d.name)))) return false;
      // Called in a loop, on the same object (`this.listenOn(o)`) or as a function of the file (`listenOn(o)`).
      const callee = unwrap(call.callee);
      const sameTarget = callee.type === AST_NODE_TYPES.Identifier || thisMemberName(callee) !== undefined;
      const loopBody = sameTarget ? repeatingLoopBody(call, f, this.m.sourceCode.visitorKeys) : undefined;
      // What `fn` does after the store (or the call on the way to it) can throw into a caller's `catch` too.
      return (!!loopBody && !handledAt?.(call, loopBody)) || this.runsRepeatedly(f, depth + 1, handledAt, call, origin, tailSafe && !!site && tailThrowsNothing(fn, site, names));
    });
  }

  /**
   * Is `f` a callback that runs repeatedly ({@link repeatingCallback}), or called (up to two functions or methods away)
   * by one — not through the functions in `seen` (the storing function: a cycle through it is a re-arm)?
   */
  private calledFromRepeating(f: FunctionNode, depth: number, seen: Set<FunctionNode>): boolean {
    const direct = repeatingCallback(this.m, f);
    if (direct !== undefined) return direct;
    if (f.parent?.type === AST_NODE_TYPES.MethodDefinition && classSummaries(this.m).referencesTo(f).some((ref) => repeatingCallback(this.m, ref.value) === true)) return true;
    if (depth > 2) return false;
    seen.add(f);
    return (this.m.syntax.callSites.get(f) ?? []).some((call) => {
      const g = enclosingFunction(call);
      return !!g && !seen.has(g) && this.calledFromRepeating(g, depth + 1, seen);
    });
  }

  /**
   * Is `call` preceded, in a statement of the listener `f` on its way (not in a branch apart), by a release that
   * destroys the emitter `f` listens to (`s.destroy()`, `this.sock?.destroy()`)?
   */
  private afterOwnEmitterDestroyed(call: TSESTree.Node, f: FunctionNode): boolean {
    const role = callbackRole(f);
    if (role?.via !== 'listener' || !role.emitter) return false;
    const emitter = unwrap(role.emitter);
    const kind = this.m.kindOfNode(emitter);
    if (!kind) return false;
    const text = (n: TSESTree.Node): string => this.m.sourceCode.getText(unwrap(n)).replace(/\?\./g, '.');
    const emitterText = text(emitter);
    return someStatementBefore(call, f, (st) => {
      const e = st.type === AST_NODE_TYPES.ExpressionStatement ? unwrap(st.expression) : undefined;
      const member = e?.type === AST_NODE_TYPES.CallExpression ? calleeMember(e) : undefined;
      const name = member ? propertyName(member) : undefined;
      return !!member && name !== undefined && kind.destroys.has(name) && text(member.object) === emitterText;
    });
  }

  /**
   * `start() { this.next = setTimeout(this.start.bind(this), 1000); … }`, `setTimeout(() => this.start(), 1000)`,
   * `function tick() { setTimeout(tick, 1000); … }`, `const attempt = () => { setTimeout(attempt, d); … }`: the function
   * arms a timer (in its own body) that runs it again.
   */
  private reArmSites(fn: FunctionNode): readonly TSESTree.Node[] {
    let known = reArming.get(fn);
    if (known === undefined) {
      // No `setTimeout()` in the file: nothing re-arms (decided without walking the function for its helpers).
      known = this.m.syntax.callsByName.has('setTimeout') ? this.computeReArmSites(fn) : [];
      reArming.set(fn, known);
    }
    return known;
  }

  /** The places in `fn`'s own code that re-arm it: its `setTimeout()` calls that run it, and its calls of helpers that do. */
  private computeReArmSites(fn: FunctionNode): TSESTree.Node[] {
    const owner = fn.parent;
    let name: string | undefined;
    let onThis = false;
    if ((owner?.type === AST_NODE_TYPES.MethodDefinition || owner?.type === AST_NODE_TYPES.PropertyDefinition) && !owner.computed && owner.key.type === AST_NODE_TYPES.Identifier) {
      name = owner.key.name;
      onThis = true;
    } else if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) {
      name = fn.id.name;
    } else if (owner?.type === AST_NODE_TYPES.VariableDeclarator && owner.init === fn && owner.id.type === AST_NODE_TYPES.Identifier) {
      // `const attempt = () => { …; setTimeout(attempt, delay); }`
      name = owner.id.name;
    }
    if (name === undefined || !fn.body) return [];
    const isSelf = (node: TSESTree.Node): boolean => {
      let n = unwrap(node);
      // `this.start.bind(this, true)`
      if (n.type === AST_NODE_TYPES.CallExpression && isBindMember(n.callee)) n = unwrap(n.callee.object);
      if (onThis) return n.type === AST_NODE_TYPES.MemberExpression && !!thisOf(n.object) && propertyName(n) === name;
      return n.type === AST_NODE_TYPES.Identifier && n.name === name;
    };
    // The function itself, and the local functions and methods it calls in its own code (`scheduleReconnect()`,
    // `this.retryLater()`): a timer that one of them arms runs it again too.
    const armers = new Map<TSESTree.Node, TSESTree.Node[]>([[fn, []]]);
    for (const n of this.m.syntax.callsWithin(fn.body)) {
      if (enclosingFunction(n) !== fn) continue;
      const helper = this.m.functionValue(n.callee) ?? this.m.thisMethodValue(n.callee);
      if (helper?.body && helper !== fn) addToList(armers, helper, n);
    }
    // The fields the function stores in its own code (`this.ws = …`): a test of one may prove it empty. Read when a
    // timer callback first calls the function under an `if`.
    const keys = this.m.sourceCode.visitorKeys;
    const body = fn.body;
    let stored: Set<string> | undefined;
    const storedFields = (): Set<string> => {
      if (stored) return stored;
      const found = new Set<string>();
      walkAst(body, keys, (n) => {
        if (n.type === AST_NODE_TYPES.AssignmentExpression && enclosingFunction(n) === fn) {
          const field = thisMemberName(n.left);
          if (field !== undefined) found.add(field);
        }
        return false;
      });
      return (stored = found);
    };
    // The file's `setTimeout()` calls (indexed), those made by the function itself or by such a helper.
    const sites: TSESTree.Node[] = [];
    for (const n of this.m.syntax.callsByName.get('setTimeout') ?? []) {
      const armer = enclosingFunction(n);
      const calls = armer ? armers.get(armer) : undefined;
      if (calls && runsAgain(n)) sites.push(...(armer === fn ? [n] : calls));
    }
    return sites;
    function runsAgain(n: TSESTree.CallExpression): boolean {
      const arg = n.arguments[0];
      if (!arg || arg.type === AST_NODE_TYPES.SpreadElement) return false;
      const cb = unwrap(arg);
      // `() => this.start()`: a callback whose body calls the function.
      if (cb.type === AST_NODE_TYPES.ArrowFunctionExpression || cb.type === AST_NODE_TYPES.FunctionExpression) {
        return callsSelf(cb.body.type === AST_NODE_TYPES.BlockStatement ? cb.body.body : [cb.body], 0);
      }
      return isSelf(cb);
    }
    /** A statement that calls the function (also under an `if` whose test reads none of the fields it stores). */
    function callsSelf(statements: ReadonlyArray<TSESTree.Node>, depth: number): boolean {
      return statements.some((st) => {
        if (st.type === AST_NODE_TYPES.BlockStatement) return depth < 3 && callsSelf(st.body, depth + 1);
        // `if (this.running) void this.setup()`: a life-cycle flag does not prove the field empty; `if (!this.ws)` does.
        if (st.type === AST_NODE_TYPES.IfStatement) return depth < 3 && !readsStoredField(st.test) && callsSelf([st.consequent], depth + 1);
        const e = unwrap(st.type === AST_NODE_TYPES.ExpressionStatement ? st.expression : st);
        const call = e.type === AST_NODE_TYPES.AwaitExpression || e.type === AST_NODE_TYPES.UnaryExpression ? unwrap(e.argument) : e;
        return call.type === AST_NODE_TYPES.CallExpression && isSelf(call.callee);
      });
    }
    function readsStoredField(test: TSESTree.Node): boolean {
      const fields = storedFields();
      let reads = false;
      walkAst(test, keys, (n) => {
        const field = thisMemberName(n);
        reads = field !== undefined && fields.has(field);
        return reads;
      });
      return reads;
    }
  }

  /**
   * `cleanup() { this.socket.removeAllListeners(); this.socket = undefined; }`: a method of the class (not the one that
   * stores the socket) that clears the field, in its own body, without releasing what it holds first: before the
   * clear its own code only calls methods of the socket that release nothing (no release, no test, no hand-off, no
   * method of the class that releases the field), and it runs while the socket may be open — not only from
   * listeners of events that come once it has closed, and not registered by reference (a listener or timer of
   * unknown timing). The clear drops the socket open. Returns the clearing assignment.
   */
  clearedWithoutRelease(): TSESTree.AssignmentExpression | TSESTree.UnaryExpression | undefined {
    const r = this.r;
    const field = r.field;
    if (!field) return undefined;
    const storer = enclosingFunction(field.assign);
    const summaries = classSummaries(this.m);
    // Whether another owner keeps the socket too: the same for every clearing place, asked at the first that gets there.
    let handed: boolean | undefined;
    for (const n of this.m.syntax.membersByName.get(field.name) ?? []) {
      if (thisMemberName(n) !== field.name || thisClass(n) !== field.cls) continue;
      const p = clearingAssignment(n);
      if (!p) continue;
      const fn = enclosingFunction(p);
      const method = fn?.parent;
      if (!fn || fn === storer || method?.type !== AST_NODE_TYPES.MethodDefinition || method.kind !== 'method' || method.parent.parent !== field.cls) continue;
      if (p.parent?.type !== AST_NODE_TYPES.ExpressionStatement || enclosingFunction(p.parent) !== fn) continue;
      if (summaries.referencesTo(fn).length > 0 || this.onlyAfterClose(fn) || (handed ??= this.handedElsewhere(field))) continue;
      // Called in the file only where the field holds nothing open: from the constructor, after a close, or after its
      // caller released or cleared the field (`this.ws.close(); this.ws = null; this.hardReset()`).
      const calls = this.m.syntax.callSites.get(fn) ?? [];
      // Or called to make what this store puts there (`this.server = this.createServer()`, whose first statement is
      // `this.server = null`): the clear runs before the socket is stored.
      // (Evaluated there, not in a listener given there: `this.sock = dgram.createSocket('udp4').on('close', () =>
      // this.reset())` runs reset() once the socket is stored.)
      const own = field.assign.type === AST_NODE_TYPES.AssignmentExpression ? field.assign.right : undefined;
      const madeBy = (call: TSESTree.CallExpression): boolean => !!own && contains(own, call) && enclosingFunction(call) === enclosingFunction(field.assign);
      if (calls.length > 0 && calls.every((call) => this.fieldEmptyAt(call, field.name) || madeBy(call) || literalSkips(call, fn, p, this.m.varOf))) continue;
      // Before the clear, in the method's own code: only statements calling a non-releasing method of the socket.
      let handled = false;
      const fromTimer = calls.some((call) => {
        for (let f = enclosingFunction(call); f; f = enclosingFunction(f)) if (callbackRole(f)?.via === 'timer') return true;
        return false;
      });
      // `if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.close();`: a release behind a test whose false
      // side does not prove the field empty (a socket still connecting holds its connection) handles only that side.
      const partial = this.partiallyGuardedReleases(fn, field, p);
      for (const use of this.m.syntax.membersByName.get(field.name) ?? []) {
        if (use === n || !contains(fn, use) || use.range[0] > p.range[0] || thisMemberName(use) !== field.name) continue;
        if (partial.some((g) => contains(g, use))) continue;
        // `if (this.socket) { … this.socket = null; }` in a method a timer calls (a heartbeat giving up): a test that
        // a socket is there says nothing of its state. (Called from elsewhere — a state machine's exit action — it
        // is taken as handling it: the timing is unknown.)
        if (fromTimer && isPresenceTest(use)) continue;
        const mc = methodCallOn(use);
        const statement = mc ? climbValue(mc.call).parent : undefined;
        if (!mc || this.fieldUseReleases(use) || statement?.type !== AST_NODE_TYPES.ExpressionStatement || enclosingFunction(mc.call) !== fn) handled = true;
      }
      // `const { socket } = this` first: a copy of the field, as `const socket = this.socket` is.
      if (!handled) handled = this.destructuresFieldBefore(fn, field.name, field.cls, p);
      // `await this.pool.end(); this.conn = null`: the release of what made it closes it too (mysql2's `end()`).
      if (!handled) handled = this.creatorReleasedBefore(fn, field.cls, p);
      // A method of the class called first that releases the field (`this.disconnect(); this.socket = null`).
      if (!handled) {
        handled = summaries.callsIn(fn).some((c) => c.call.range[0] < p.range[0] && c.method !== fn && this.releasesFieldIn(c.method, field.name));
      }
      if (!handled) return p;
    }
    return undefined;
  }

  /**
   * `pool = null` (or `= undefined`) for a variable of the module or of an enclosing function that the resource is
   * stored in, as a statement of another function's own code (not one nested in the storing function: a callback of
   * it), with nothing before it there that handles what the
   * variable holds: no read of the variable (a release, a test, a copy), no call of a function of the file that
   * releases it, and no release of what such a function returns (`getPool().end()`). A function called in the file only
   * after such handling (in its caller's own code) clears nothing open. Returns the clearing assignment.
   */
  clearedVariableWithoutRelease(): TSESTree.AssignmentExpression | undefined {
    const store = this.r.outerStore;
    if (!store || this.r.field) return undefined;
    const v = store.variable;
    const storer = enclosingFunction(store.assign);
    // `sock = net.connect(port); sock.end(line);`: released before the storing function goes on, so a later clear
    // drops nothing open.
    const sameVariable = (n: TSESTree.Node): boolean => {
      const u = unwrap(n);
      return u.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(u) === v;
    };
    if (storer && store.assign.type === AST_NODE_TYPES.AssignmentExpression && this.releasesOwnStore(store.assign, storer, sameVariable)) return undefined;
    const releases = this.r.kind.releases;
    const releasesIn = (f: FunctionNode): boolean => callsMethodIn(v, f, (name) => releases.has(name));
    // A listener of the resource for an event that comes once it is closed (or a function called from one): nothing
    // open is left. A named one (`function onClose() { … }`, `socket.addEventListener('close', onClose)`) is one when
    // every mention of its name but the ones taking it back registers it so.
    const closeListener = (x: TSESTree.Node): boolean => {
      const role = callbackRole(x);
      if (role?.via !== 'listener' || !role.emitter || !releasedBeforeEvent(this.r.kind, role.event)) return false;
      const e = unwrap(role.emitter);
      return e.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(e) === v;
    };
    const afterClose = (f: FunctionNode): boolean => {
      if (closeListener(f)) return true;
      const parent = f.parent;
      const id = f.type === AST_NODE_TYPES.FunctionDeclaration ? f.id : parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === f ? parent.id : undefined;
      const named = id?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(id) : undefined;
      const mentions = named?.references.filter((x) => {
        const call = x.identifier.parent;
        return !x.init && !(call?.type === AST_NODE_TYPES.CallExpression && call.callee !== x.identifier && REMOVE_LISTENER_METHODS.has(calleeName(call) ?? ''));
      });
      return !!mentions && mentions.length > 0 && mentions.every((x) => closeListener(x.identifier));
    };
    /** Something before `at` in `fn`'s own code handles what the variable holds. */
    const handledBefore = (fn: TSESTree.Node, at: TSESTree.Node, except?: TSESTree.Node): boolean => {
      if (v.references.some((x) => x.identifier !== except && x.identifier.range[0] < at.range[0] && enclosingFunction(x.identifier) === fn)) return true;
      return this.m.syntax.callsWithin(fn).some((c) => {
        if (c.range[0] >= at.range[0] || enclosingFunction(c) !== fn) return false;
        const f = this.m.functionValue(c.callee);
        if (!f) return false;
        if (releasesIn(f)) return true;
        const mc = methodCallOn(c);
        return !!mc && releases.has(mc.name) && v.references.some((x) => contains(f, x.identifier));
      });
    };
    for (const ref of v.references) {
      if (!ref.isWrite() || ref.init) continue;
      const p = ref.identifier.parent;
      if (p?.type !== AST_NODE_TYPES.AssignmentExpression || p.left !== ref.identifier || p.operator !== '=' || !this.m.isNullish(unwrap(p.right))) continue;
      const fn = enclosingFunction(p);
      // Not in the storing function, around it, or in a callback of it (its close listener, its `.catch()`: they run
      // once what the variable held is gone).
      if (!fn || fn === storer || contains(fn, store.assign) || (storer && contains(storer, fn)) || p.parent?.type !== AST_NODE_TYPES.ExpressionStatement) continue;
      if (handledBefore(fn, p, ref.identifier) || afterClose(fn)) continue;
      // Called only after handling, or from the resource's close listeners.
      const calls = this.m.syntax.callSites.get(fn) ?? [];
      if (calls.length > 0 && calls.every((call) => { const caller = enclosingFunction(call); return !!caller && (afterClose(caller) || handledBefore(caller, call)); })) continue;
      return p;
    }
    return undefined;
  }

  /**
   * The `if` statements of `fn`'s own body before `before` (no `else`) whose consequent releases the field and whose
   * test, false, does not prove that the field holds nothing open ({@link provesNoResource}: `if (this.ws)` does, `if
   * (this.ws && this.ws.readyState === WebSocket.OPEN)` does not, a connecting socket being left). A test that calls
   * a method of the class returning one expression (`isConnected() { return this.ws?.readyState === OPEN; }`) is
   * read through that expression; any other call, or a test that does not read the field (a flag of the class), is
   * taken as the code knowing what it holds and keeps the statement as handling.
   */
  private partiallyGuardedReleases(fn: FunctionNode, field: { name: string; cls: ClassNode }, before: TSESTree.Node): TSESTree.IfStatement[] {
    if (fn.body?.type !== AST_NODE_TYPES.BlockStatement) return [];
    const out: TSESTree.IfStatement[] = [];
    for (const st of fn.body.body) {
      if (st.range[0] > before.range[0]) break;
      // (A clear inside the same consequent runs only where the release ran: `if (s && s._handle) { s.close(); s = null }`.)
      if (st.type !== AST_NODE_TYPES.IfStatement || st.alternate || contains(st.consequent, before)) continue;
      // Only a test of the socket itself (its presence, its state): a flag of the class may track what the code knows.
      if (this.releasesOnlyWhenTestHolds(st, this.inlinedTest(st.test, field.cls), field)) out.push(st);
    }
    return out;
  }

  /** The test itself, or for `this.m()` the one expression a method of the class returns; undefined for another call. */
  private inlinedTest(test: TSESTree.Node, cls: ClassNode): TSESTree.Node | undefined {
    // (`mayThrowImplicitly`: does the expression make a call, a `new` or an `await` — something this cannot read.)
    const t = unwrap(test);
    const call = t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!' ? unwrap(t.argument) : t;
    if (call.type !== AST_NODE_TYPES.CallExpression) return mayThrowImplicitly(t, this.m.sourceCode.visitorKeys) ? undefined : t;
    if (call.arguments.length > 0 || call.callee.type !== AST_NODE_TYPES.MemberExpression || thisClass(call.callee) !== cls) return undefined;
    const method = classSummaries(this.m).methodOf(call.callee);
    const body = method?.body;
    const only = body?.type === AST_NODE_TYPES.BlockStatement && body.body.length === 1 ? body.body[0] : undefined;
    const returned = only?.type === AST_NODE_TYPES.ReturnStatement ? only.argument : body && body.type !== AST_NODE_TYPES.BlockStatement ? body : undefined;
    if (!returned || mayThrowImplicitly(returned, this.m.sourceCode.visitorKeys) || t !== call) return undefined;
    return returned;
  }

  /**
   * Does `fn`, before `before`, release the field holding the resource that made this one by a method whose
   * resources its release also releases ({@link creatorFields})?
   */
  private creatorReleasedBefore(fn: FunctionNode, cls: ClassNode, before: TSESTree.Node): boolean {
    for (const name of this.creatorFields(cls)) {
      for (const n of this.m.syntax.membersByName.get(name) ?? []) {
        if (!contains(fn, n) || n.range[0] > before.range[0] || thisMemberName(n) !== name || thisClass(n) !== cls) continue;
        const mc = methodCallOn(n);
        const kind = mc ? this.m.kindOfNode(n) : undefined;
        if (mc && kind?.releases.has(mc.name)) return true;
      }
    }
    return false;
  }

  /** Does `fn`, before `before`, destructure the field `name` out of its object (`const { socket } = this`, `({ socket: s } = this)`)? */
  private destructuresFieldBefore(fn: FunctionNode, name: string, cls: ClassNode, before: TSESTree.Node): boolean {
    let found = false;
    walkAst(fn, this.m.sourceCode.visitorKeys, (n) => {
      if (n.range[0] > before.range[0]) return;
      let pattern: TSESTree.Node | undefined;
      let source: TSESTree.Node | undefined;
      if (n.type === AST_NODE_TYPES.VariableDeclarator && n.init) [pattern, source] = [n.id, n.init];
      else if (n.type === AST_NODE_TYPES.AssignmentExpression && n.operator === '=') [pattern, source] = [n.left, n.right];
      if (pattern?.type !== AST_NODE_TYPES.ObjectPattern || !source || this.m.thisLikeClass(unwrap(source)) !== cls) return;
      const prop = pattern.properties.find((pr): pr is TSESTree.Property => pr.type === AST_NODE_TYPES.Property && !pr.computed && keyName(pr.key) === name);
      found = !!prop && !this.copyOnlyPartlyReleased(prop.value, fn, before);
      return found;
    });
    return found;
  }

  /**
   * `const { ws } = this; if (ws && ws.readyState === ws.OPEN) { ws.close(); } else { log('closed'); }`: a copy of the
   * field (a plain name) whose every use before `before` is in an `if` that releases it only on the side of a test — of
   * the copy — whose other side does not prove it gone (a socket still connecting goes on), that other side not using
   * it. Such a copy handles only the open socket.
   */
  private copyOnlyPartlyReleased(target: TSESTree.Node, fn: FunctionNode, before: TSESTree.Node): boolean {
    const copy = target.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(target) : undefined;
    if (!copy) return false;
    const isCopy = (x: TSESTree.Node): boolean => {
      const u = unwrap(x);
      return u.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(u) === copy;
    };
    const uses = copy.references.filter((ref) => !ref.init && ref.identifier.range[0] < before.range[0]);
    if (uses.length === 0) return false;
    return uses.every((ref) => {
      let child: TSESTree.Node = ref.identifier;
      for (let a: TSESTree.Node | undefined = ref.identifier.parent; a && a !== fn; child = a, a = a.parent) {
        if (a.type !== AST_NODE_TYPES.IfStatement) continue;
        if (child === a.alternate) return false;
        const releases = copy.references.some((r2) => contains(a.consequent, r2.identifier) && this.anyReleaseOn(r2.identifier));
        const otherUses = !!a.alternate && copy.references.some((r2) => contains(a.alternate as TSESTree.Node, r2.identifier));
        return releases && !otherUses && !provesNoResource(a.test, false, this.r, undefined, isCopy);
      }
      return false;
    });
  }

  /** Is `id` the receiver of a release of the resource's kind (`ws.close()`)? */
  private anyReleaseOn(id: TSESTree.Node): boolean {
    const mc = methodCallOn(climbValue(id));
    return !!mc && this.r.kind.releases.has(mc.name);
  }

  /**
   * Is the socket given to another owner too: an op of the resource that hands it on besides the field's own store,
   * or a `this.<field>` of the class handed on (an argument, returned, stored on another object, put in a literal)?
   * Then clearing the
   * field drops only one reference (`poolCache.set(key, this.pool)` keeps it).
   */
  private handedElsewhere(field: { name: string; cls: ClassNode; assign: TSESTree.Node }): boolean {
    for (const [node, ops] of this.r.ops) {
      if (node === field.assign || contains(field.assign, node)) continue;
      // (A listener registered on it, `delegate`, keeps it with its owner.)
      if (ops.some((op) => op.t === 'kill' && (op.why === 'escape' || op.why === 'container'))) return true;
    }
    return (this.m.syntax.membersByName.get(field.name) ?? []).some((n) => {
      if (thisMemberName(n) !== field.name || thisClass(n) !== field.cls) return false;
      const value = climbValue(n);
      const p = value.parent;
      switch (p?.type) {
        case AST_NODE_TYPES.CallExpression:
        case AST_NODE_TYPES.NewExpression:
          return p.arguments.includes(value as TSESTree.CallExpressionArgument);
        case AST_NODE_TYPES.ReturnStatement:
        case AST_NODE_TYPES.ArrayExpression:
        case AST_NODE_TYPES.Property:
          return true;
        // Stored on another object (a local alias, `const old = this.ws`, is the class's own).
        case AST_NODE_TYPES.AssignmentExpression:
          return p.right === value && unwrap(p.left).type === AST_NODE_TYPES.MemberExpression;
        default:
          return false;
      }
    });
  }

  /**
   * Does `this.<field>` hold nothing open where `call` runs: in the constructor, in a listener of an event that comes
   * once the socket has closed (also one stored as `ws.onclose = …`), or after a release or a clear of the field
   * earlier in the calling function?
   */
  private fieldEmptyAt(call: TSESTree.CallExpression, field: string): boolean {
    const caller = enclosingFunction(call);
    if (!caller) return false;
    if (caller.parent?.type === AST_NODE_TYPES.MethodDefinition && caller.parent.kind === 'constructor') return true;
    for (let f: FunctionNode | undefined = caller; f; f = enclosingFunction(f)) {
      const role = callbackRole(f);
      const emitterKind = role?.via === 'listener' && role.emitter ? this.m.kindOfValue(role.emitter) : undefined;
      if (emitterKind && releasedBeforeEvent(emitterKind, role?.event)) return true;
      // `this.ws.onclose = (event) => { … }`
      const p = f.parent;
      if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.right === f && p.left.type === AST_NODE_TYPES.MemberExpression) {
        const prop = propertyName(p.left);
        const kind = prop?.startsWith('on') ? this.m.kindOfValue(p.left.object) : undefined;
        if (kind && prop && releasedBeforeEvent(kind, prop.slice(2))) return true;
      }
    }
    if (this.afterFailedOpen(call) || this.afterFailedOpenInPlace(call)) return true;
    return (this.m.syntax.membersByName.get(field) ?? []).some((n) => {
      if (n.range[0] > call.range[0] || enclosingFunction(n) !== caller || thisMemberName(n) !== field) return false;
      return this.fieldUseReleases(n) || clearingAssignment(n) !== undefined;
    });
  }

  /**
   * `try { await this.connect(); } catch { this.onDisconnect(); }` where `connect()` is the method that stores the
   * socket and returns `new Promise(executor)` whose `reject` runs only in the socket's own error or close listener
   * (`this.ws.onerror = () => reject(err)`, `this.ws.on('error', …)`) or in a `catch` around the store (the
   * constructor threw: nothing was stored): the call runs after the socket failed to open, so the field holds nothing
   * open then.
   */
  private afterFailedOpen(call: TSESTree.CallExpression): boolean {
    const field = this.r.field;
    const storerFn = field ? enclosingFunction(field.assign) : undefined;
    if (!field || !storerFn) return false;
    const storer = wholeMethod(storerFn);
    if (storer.parent?.type !== AST_NODE_TYPES.MethodDefinition) return false;
    let clause: TSESTree.Node | undefined = call.parent;
    while (clause && clause.type !== AST_NODE_TYPES.CatchClause && !isFunction(clause)) clause = clause.parent;
    if (clause?.type !== AST_NODE_TYPES.CatchClause || clause.parent.type !== AST_NODE_TYPES.TryStatement) return false;
    const attempt = clause.parent.block;
    const awaitsStorer = this.m.syntax.callsWithin(attempt).some((c) => climbValue(c).parent?.type === AST_NODE_TYPES.AwaitExpression && this.m.methodOf(c.callee) === storer);
    if (!awaitsStorer) return false;
    // The storer's promise: `return new Promise(executor)`, the executor making the store.
    const executor = storerFn.parent?.type === AST_NODE_TYPES.NewExpression && isExecutor(storerFn) && enclosingFunction(storerFn) === storer ? storerFn : undefined;
    const reject = executor?.params[1];
    const rv = reject?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(reject) : undefined;
    if (!executor || !rv || climbValue(executor.parent).parent?.type !== AST_NODE_TYPES.ReturnStatement) return false;
    const fieldListener = (fn: TSESTree.Node | undefined): boolean => {
      const p = fn?.parent;
      // `this.ws.onerror = () => …`, `this.ws.onclose = …`
      if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.right === fn && p.left.type === AST_NODE_TYPES.MemberExpression && isFieldMember(field, unwrap(p.left.object))) {
        const prop = propertyName(p.left);
        return !!prop?.startsWith(LISTENER_PROPERTY_PREFIX) && releasedBeforeEvent(this.r.kind, prop.slice(LISTENER_PROPERTY_PREFIX.length));
      }
      // `this.ws.on('error', () => …)`
      const mc = p?.type === AST_NODE_TYPES.CallExpression ? calleeMember(p) : undefined;
      return !!mc && p?.type === AST_NODE_TYPES.CallExpression && LISTENER_METHODS.has(propertyName(mc) ?? '') && isFieldMember(field, unwrap(mc.object)) && releasedBeforeEvent(this.r.kind, stringValue(p.arguments[0]));
    };
    return rv.references.every((ref) => {
      if (ref.init) return true;
      const use = ref.identifier.parent;
      if (use?.type !== AST_NODE_TYPES.CallExpression || use.callee !== ref.identifier) return false;
      const fn = enclosingFunction(use);
      if (fn !== executor) return fieldListener(fn) && enclosingFunction(fn as TSESTree.Node) === executor;
      // In the executor itself: only in a catch whose try makes the store (the construction threw).
      let c: TSESTree.Node | undefined = use.parent;
      while (c && c !== executor && c.type !== AST_NODE_TYPES.CatchClause) c = c.parent;
      return c?.type === AST_NODE_TYPES.CatchClause && c.parent.type === AST_NODE_TYPES.TryStatement && contains(c.parent.block, field.assign);
    });
  }

  /**
   * `try { this.client = new MongoClient(url); await this.client.connect(); this.connected = true; } catch { this.reset(); }`:
   * the call is in the catch of a try whose block stores the resource and then only awaits an opening that closes it
   * when it fails ({@link ResourceKind.rejectionCloses}) or assigns literals: whatever threw, the field holds nothing
   * open (the old value before the store, or the failed one after it).
   */
  private afterFailedOpenInPlace(call: TSESTree.CallExpression): boolean {
    const field = this.r.field;
    const closes = this.r.kind.rejectionCloses;
    if (!field) return false;
    let clause: TSESTree.Node | undefined = call.parent;
    while (clause && clause.type !== AST_NODE_TYPES.CatchClause && !isFunction(clause)) clause = clause.parent;
    if (clause?.type !== AST_NODE_TYPES.CatchClause || clause.parent.type !== AST_NODE_TYPES.TryStatement) return false;
    const body = clause.parent.block.body;
    const at = body.findIndex((st) => st.type === AST_NODE_TYPES.ExpressionStatement && unwrap(st.expression) === field.assign);
    if (at < 0) return false;
    return body.slice(at + 1).every((st) => {
      if (st.type !== AST_NODE_TYPES.ExpressionStatement) return false;
      const e = unwrap(st.expression);
      if (e.type === AST_NODE_TYPES.AssignmentExpression) {
        const left = unwrap(e.left);
        return unwrap(e.right).type === AST_NODE_TYPES.Literal && (left.type === AST_NODE_TYPES.Identifier || thisMemberName(left) !== undefined);
      }
      // `ws.on('close', …)`: a listener registration throws nothing.
      const registration = e.type === AST_NODE_TYPES.CallExpression ? calleeMember(e) : undefined;
      if (registration && LISTENER_METHODS.has(propertyName(registration) ?? '')) return true;
      const awaited = e.type === AST_NODE_TYPES.AwaitExpression ? unwrap(e.argument) : undefined;
      const mc = awaited?.type === AST_NODE_TYPES.CallExpression ? calleeMember(awaited) : undefined;
      return !!mc && !!closes && isFieldMember(field, unwrap(mc.object)) && closes.has(propertyName(mc) ?? '');
    });
  }

  /** Does this method's own code release `this.<field>`? */
  private releasesFieldIn(method: TSESTree.Node, field: string): boolean {
    let found = false;
    walkAst(method, this.m.sourceCode.visitorKeys, (n) => {
      found = n.type === AST_NODE_TYPES.MemberExpression && thisMemberName(n) === field && this.fieldUseReleases(n);
      return found;
    });
    return found;
  }

  /**
   * `const createClient = () => { let socket; const init = () => { socket = new WebSocket(url); … }; …; return {
   * on, send } }`: a socket stored in a variable of an enclosing function lives as long as the closures that use it —
   * often the object that function returns. Nothing can release it when no reference of the variable does: every
   * read (and there is one) is a statement calling one of its methods that neither releases it nor gives it away (a
   * listener, `send()`).
   * A module-scope variable is not checked here (the module owns it).
   */
  checkOuterVariable(): void {
    const r = this.r;
    const store = r.outerStore;
    if (!store || r.field) return;
    const v = store.variable;
    const def = v.defs[0];
    const declaring = def ? enclosingFunction(def.name) : undefined;
    // A variable of the module, or of its load code (a function wrapping a script, run once at load): the module's.
    if (!declaring || isLoadCode(declaring, this.m.varOf)) return;
    // Never read: a store nobody uses keeps no handle on it (the socket's own callbacks decide its end).
    if (v.references.every((ref) => ref.isWrite())) return;
    for (const ref of v.references) {
      if (ref.isWrite()) continue;
      const mc = methodCallOn(ref.identifier);
      if (!mc || r.kind.releases.has(mc.name) || r.kind.destroys.has(mc.name)) return;
      const statement = climbValue(mc.call).parent;
      const expr = statement?.type === AST_NODE_TYPES.AwaitExpression ? statement.parent : statement;
      if (expr?.type !== AST_NODE_TYPES.ExpressionStatement) return;
    }
    this.findings.push({
      messageId: 'variableNeverReleased',
      node: store.assign,
      data: { kind: r.kind.name, variable: v.name, release: this.release },
    });
  }

  /**
   * `try { …; this.active = ws; … } finally { this.active = undefined; cleanup(); }`: the function that stores its own
   * variable's socket in the field, in a try block, clears the field and releases the socket itself in its finally
   * block: the field only lends the socket to the class's other methods while the function runs.
   */
  private lentByStoringFunction(field: { name: string; assign: TSESTree.Node }): boolean {
    const assign = field.assign;
    if (assign.type !== AST_NODE_TYPES.AssignmentExpression) return false;
    const value = unwrap(assign.right);
    const v = value.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(value) : undefined;
    const fn = enclosingFunction(assign);
    if (!v || !this.r.aliases.has(v) || !fn) return false;
    let block: TSESTree.Node = assign;
    while (block.parent && block.parent !== fn && !(block.parent.type === AST_NODE_TYPES.TryStatement && block.parent.block === block)) block = block.parent;
    const finalizer = block.parent?.type === AST_NODE_TYPES.TryStatement ? block.parent.finalizer : undefined;
    if (!finalizer) return false;
    const after = (n: TSESTree.Node): boolean => contains(finalizer, n);
    const clears = (this.m.syntax.membersByName.get(field.name) ?? []).some(
      (n) => after(n) && enclosingFunction(n) === fn && thisOf(unwrap((n).object)) !== undefined && clearingAssignment(n) !== undefined,
    );
    if (!clears) return false;
    for (const [node, ops] of this.r.ops) if (after(node) && contains(fn, node) && ops.some((op) => op.t === 'kill' && op.why === 'release')) return true;
    return false;
  }

  /**
   * A class that stores the socket in a field must release that field somewhere — or another field of the same
   * class that the socket is stored in as well (`this._sub = sub` at once, `this.sub = sub` once it is ready).
   */
  checkField(): void {
    const field = this.r.field;
    if (field && !this.fieldReleased(field)) this.findings.push(this.fieldNeverReleased(field));
  }

  /**
   * A server or subscriber with a handler kept in a field serves for the life of the process — unless the class
   * stops another of its serving fields somewhere (`close() { this.server.close(); }`) and nothing releases this one
   * (`this.secureServer`, made beside it): the class has a way to shut down, and it leaves this one listening.
   */
  checkServingField(resources: readonly Resource[]): void {
    const field = this.r.field;
    if (!field || this.findings.some((f) => f.resource === this.r)) return;
    const stopsAnother = resources.some(
      (o) => o.exempt === 'server-handler' && o.field?.cls === field.cls && o.field.name !== field.name && this.releasesField(o.field.name, o.field.assign),
    );
    if (stopsAnother && !this.fieldReleased(field)) this.findings.push({ ...this.fieldNeverReleased(field), resource: this.r });
  }

  private fieldNeverReleased(field: NonNullable<Resource['field']>): LeakFinding {
    return { messageId: 'fieldNeverReleased', node: field.assign, data: { kind: this.r.kind.name, field: field.name, release: this.release } };
  }

  /** Does the file release (or hand off) a `.x` property of this name, other than at the store `assign` itself? */
  private releasesField(fieldName: string, assign: TSESTree.Node): boolean {
    const { membersByName, thisDestructurings } = this.m.syntax;
    return (
      thisDestructurings.some((d) => d.id.type === AST_NODE_TYPES.ObjectPattern && this.destructuredFieldReleases(d.id, fieldName)) ||
      (membersByName.get(fieldName) ?? []).some(
        (n) => n !== assign && !(assign.type === AST_NODE_TYPES.AssignmentExpression && assign.left === n) && this.fieldUseReleases(n),
      )
    );
  }

  /** See {@link checkField}: is the field released, or reached by an owner that may release it? */
  private fieldReleased(field: NonNullable<Resource['field']>): boolean {
    const name = field.name;
    // `return this.c || (this.c = new Redis())`, `return (this.c ??= new Redis())`: a lazy getter hands out what it stores.
    const handedOut = climbAlternatives(field.assign).parent?.type === AST_NODE_TYPES.ReturnStatement;
    return (
      handedOut ||
      this.releasesField(name, field.assign) ||
      this.otherFieldStores(field.cls, name).some(([other, assign]) => this.releasesField(other, assign)) ||
      // `this.channel = await this.conn.createChannel()`: closing `this.conn` closes the channels it made.
      this.creatorFields(field.cls).some((other) => this.releasesField(other, field.assign)) ||
      // `this.promisePool = this.pool.promise()`: a wrapper of the same resource, released through its own field.
      this.wrapperFields(field.cls, name).some(([other, assign]) => this.releasesField(other, assign)) ||
      // `class TcpTransport implements Transport { readonly stream: Socket }`: a member of a supertype is how the
      // object's owner reaches the socket (`transport.stream.destroy()`, often in another file).
      this.declaredBySupertype(field.cls, name) ||
      // `req.upstreamSocket` read in the file that works with the class: a public field its owner releases there.
      this.readInAnotherFile(field.cls, name) ||
      // `new Proxifier({ tunnel: this })` of another module: the object goes to an owner that reaches its public fields.
      (publicField(field.cls, name) && this.thisHandedOut(field.cls)) ||
      // `class Active extends ConnectorMode` where the base is untyped: its methods may release the field.
      this.untypedBase(field.cls) ||
      this.lentByStoringFunction(field) ||
      this.handedOffBeforeStore(field.assign)
    );
  }

  /**
   * `protocol.connect(socket); this.transport = socket;`: a statement before the store, in the same function and on
   * every path to it, hands the socket to a call that takes it over (an escape of the resource, not a borrowing
   * call): the field keeps a reference to a socket another owner releases.
   */
  private handedOffBeforeStore(store: TSESTree.Node): boolean {
    const fn = enclosingFunction(store);
    for (const [node, ops] of this.r.ops) {
      if (!ops.some((o) => o.t === 'kill' && o.why === 'escape') || enclosingFunction(node) !== fn || node.range[1] > store.range[0]) continue;
      const call = climbValue(node).parent;
      if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(climbValue(node) as TSESTree.CallExpressionArgument)) continue;
      const evaluated = call.parent?.type === AST_NODE_TYPES.AwaitExpression ? call.parent : call;
      const statement = evaluated.parent;
      if (statement?.type !== AST_NODE_TYPES.ExpressionStatement || statement.expression !== evaluated) continue;
      if (someStatementBefore(store, fn, (st) => st === statement)) return true;
    }
    return false;
  }

  /**
   * Does the class hand `this` to code of another module: as an argument, or a property of an object literal given as
   * one (`new Proxifier({ tunnel: this })`, `registry.add(this)`) — not to a function or method of the file, a logging
   * or assertion helper, an event registration or `emit()`?
   */
  private thisHandedOut(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
    let found = false;
    walkAst(cls.body, this.m.sourceCode.visitorKeys, (n) => {
      if (found) return true;
      if (n.type === AST_NODE_TYPES.FunctionExpression && n.parent?.type !== AST_NODE_TYPES.MethodDefinition) return 'skip';
      if (n.type === AST_NODE_TYPES.FunctionDeclaration || n.type === AST_NODE_TYPES.ClassDeclaration || n.type === AST_NODE_TYPES.ClassExpression) return 'skip';
      if (n.type !== AST_NODE_TYPES.ThisExpression) return;
      let value: TSESTree.Node = n;
      if (value.parent?.type === AST_NODE_TYPES.Property && value.parent.value === value && value.parent.parent.type === AST_NODE_TYPES.ObjectExpression) value = value.parent.parent;
      const call = value.parent;
      if ((call?.type !== AST_NODE_TYPES.CallExpression && call?.type !== AST_NODE_TYPES.NewExpression) || !call.arguments.includes(value)) return;
      const callee = unwrap(call.callee);
      const name = call.type === AST_NODE_TYPES.CallExpression ? calleeName(call) : callee.type === AST_NODE_TYPES.Identifier ? callee.name : undefined;
      if (name !== undefined && (NOT_OWNERS.test(name) || LISTENER_METHODS.has(name))) return;
      // `this.tick.bind(this)`, `fn.call(this, x)`, `Object.assign(this, opts)`: `this` stays where it is.
      if (callee.type === AST_NODE_TYPES.MemberExpression && (FUNCTION_METHODS.has(propertyName(callee) ?? '') || dottedName(callee.object) === 'Object' || dottedName(callee.object) === 'Reflect')) return;
      if (call.type === AST_NODE_TYPES.CallExpression && (classSummaries(this.m).functionCalled(callee) || this.m.isNonOwningCallee(callee))) return;
      if (callee.type === AST_NODE_TYPES.MemberExpression && isGlobalConsole(callee.object, this.m.varOf)) return;
      found = true;
      return true;
    });
    return found;
  }

  /** Does the class extend a base the checker cannot see (an untyped import, a name declared nowhere)? */
  private untypedBase(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): boolean {
    if (!cls.superClass) return false;
    try {
      const type = this.m.checker.getTypeAtLocation(this.m.services.esTreeNodeToTSNodeMap.get(cls.superClass));
      return (type.flags & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) !== 0;
    } catch (error) {
      return recover(error, false);
    }
  }

  /**
   * Is the field public (not `#name`, not declared `private` or `protected`) and does another source file of the
   * program name both the class and the field? That file works with the class's objects and reaches the field.
   */
  private readInAnotherFile(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression, name: string): boolean {
    if (!cls.id || !publicField(cls, name)) return false;
    const own = this.m.services.esTreeNodeToTSNodeMap.get(this.m.sourceCode.ast)?.getSourceFile();
    const className = cls.id.name;
    const bases = this.superclassFiles(cls);
    const escaped = escapeName(name);
    const releasedAsProperty = new RegExp(`\\.\\s*${escaped}\\s*(?:\\?\\.|\\.)\\s*(?:${[...this.r.kind.releases].join('|')})\\s*\\(`);
    // The field read as a property (`req.upstreamSocket`), not only a word (`const pool = Helper.pool()`). In a file
    // without a subclass of it, `this.client` is a field of that file's own class (`class Session { client =
    // new LineClient(); … this.client.connect() }`), not this one.
    const readAsProperty = new RegExp(`\\.\\s*${escaped}(?![\\w$]|\\s*\\()`);
    const readNotOnThis = new RegExp(`(?<!\\bthis\\s*)\\.\\s*${escaped}(?![\\w$]|\\s*\\()`);
    const extendsIt = new RegExp(`\\bextends\\s+(?:[\\w$]+\\s*\\.\\s*)?${escapeName(className)}\\b`);
    for (const sf of this.m.services.program.getSourceFiles()) {
      if (sf === own || isLibraryFile(sf)) continue;
      const words = wordsOf(sf);
      // A base class in another file may release its subclasses' fields as its own (`this.socket.close()` in a
      // JavaScript base class that never declares `socket`).
      if (bases.has(sf)) {
        if (words.includes(name) && releasedAsProperty.test(sf.text)) return true;
        continue;
      }
      if (!words.includes(name) || !words.includes(className)) continue;
      // A copy of the class in another file (a monorepo's packages) is no code that works with this one's objects.
      if (sf.statements.some((st) => ts.isClassDeclaration(st) && st.name?.text === className)) continue;
      if ((extendsIt.test(sf.text) ? readAsProperty : readNotOnThis).test(sf.text)) return true;
    }
    return false;
  }

  /** The source files (of the project, not declarations) that declare the class's superclasses, up the chain. */
  private superclassFiles(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression): Set<ts.SourceFile> {
    const out = new Set<ts.SourceFile>();
    try {
      const checker = this.m.checker;
      let heritage: ts.Expression | undefined = cls.superClass ? (this.m.services.esTreeNodeToTSNodeMap.get(cls.superClass) as ts.Expression) : undefined;
      for (let depth = 0; heritage && depth < 5; depth++) {
        let symbol = checker.getSymbolAtLocation(heritage);
        if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
        const decl = symbol?.declarations?.find((d) => ts.isClassDeclaration(d) || ts.isClassExpression(d));
        const sf = decl?.getSourceFile();
        if (!decl || !sf || isLibraryFile(sf)) break;
        out.add(sf);
        heritage = decl.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
      }
    } catch (error) {
      recover(error, undefined);
    }
    return out;
  }

  /** Does an interface the class implements, or a class it extends, declare a member `name` (not `#name`)? */
  private declaredBySupertype(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression, name: string): boolean {
    if (name.startsWith('#') || ((cls.implements ?? []).length === 0 && !cls.superClass)) return false;
    try {
      const tsClass = this.m.services.esTreeNodeToTSNodeMap.get(cls) as ts.ClassLikeDeclaration | undefined;
      if (!tsClass) return false;
      const checker = this.m.checker;
      const supertypes: ts.Type[] = [];
      for (const clause of tsClass.heritageClauses ?? []) for (const t of clause.types) supertypes.push(checker.getTypeAtLocation(t));
      return supertypes.some((t) => !!t.getProperty(name) || !!checker.getApparentType(t).getProperty(name));
    } catch (error) {
      return recover(error, false);
    }
  }

  /**
   * The fields of `cls` that hold the resource that made this one by a method whose resources its release also
   * releases ({@link ResourceKind.releasesCreated}: amqplib `createChannel()`): `this.conn.createChannel()`, or
   * `conn.createChannel()` on a local that the class also stores (`this.conn = conn`).
   */
  private creatorFields(cls: TSESTree.Node): string[] {
    const call = this.r.report;
    if (call.type !== AST_NODE_TYPES.CallExpression) return [];
    const callee = calleeMember(call);
    const method = callee ? propertyName(callee) : undefined;
    if (!callee || method === undefined) return [];
    const receiver = unwrap(callee.object);
    if (!this.m.kindOfNode(receiver)?.releasesCreated?.has(method)) return [];
    const own = thisMemberName(receiver);
    if (own !== undefined) return thisClass(receiver) === cls ? [own] : [];
    const v = receiver.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(receiver) : undefined;
    return v ? fieldStoresOf(v, cls).map(([other]) => other) : [];
  }

  /** The fields of `cls` given a wrapper of the field's resource ({@link ResourceKind.wrapsSelf}: `this.pool.promise()`). */
  private wrapperFields(cls: TSESTree.Node, name: string): Array<[string, TSESTree.AssignmentExpression]> {
    const wraps = this.r.kind.wrapsSelf;
    if (!wraps) return [];
    const out: Array<[string, TSESTree.AssignmentExpression]> = [];
    for (const n of this.m.syntax.membersByName.get(name) ?? []) {
      if (thisMemberName(n) !== name || thisClass(n) !== cls) continue;
      const mc = methodCallOn(n);
      if (!mc || !wraps.has(mc.name)) continue;
      const value = climbValue(mc.call);
      const p = value.parent;
      const other = p?.type === AST_NODE_TYPES.AssignmentExpression && p.right === value ? thisMemberName(p.left) : undefined;
      if (p?.type === AST_NODE_TYPES.AssignmentExpression && other !== undefined && other !== name) out.push([other, p]);
    }
    return out;
  }

  /** The other fields of `cls` that an alias of the socket is stored in (`this.sub = sub`), with their assignments. */
  private otherFieldStores(cls: TSESTree.Node, name: string): Array<[string, TSESTree.AssignmentExpression]> {
    return [...this.r.aliases].flatMap((v) => fieldStoresOf(v, cls)).filter(([other]) => other !== name);
  }

  /** `const { sock } = this; sock.end()`: a release through a destructured field. */
  private destructuredFieldReleases(pattern: TSESTree.ObjectPattern, name: string): boolean {
    for (const prop of pattern.properties) {
      if (prop.type !== AST_NODE_TYPES.Property || prop.computed) continue;
      const key = prop.key.type === AST_NODE_TYPES.Identifier ? prop.key.name : undefined;
      const value = prop.value.type === AST_NODE_TYPES.AssignmentPattern ? prop.value.left : prop.value;
      if (key !== name || value.type !== AST_NODE_TYPES.Identifier) continue;
      const v = this.m.varOf.get(value);
      if (v && this.m.variableEffect(v, pattern) !== 'borrow') return true;
    }
    return false;
  }

  private isReleaseName(name: string): boolean {
    return this.m.anyRelease.has(name) || this.r.kind.releases.has(name);
  }

  /**
   * Is this `this.x` the socket a wrapping creation takes (`tls.connect({ socket: this.x })`, `new tls.TLSSocket(this.x)`)
   * whose result goes back into the same field, directly or through a local (`const secure = tls.connect(…); …;
   * this.x = secure`)? The field then holds the same connection, upgraded: no hand-off of it.
   */
  private wrappedBackIntoField(member: TSESTree.Node): boolean {
    const name = thisMemberName(member);
    const cls = name === undefined ? undefined : thisClass(member);
    if (name === undefined || !cls) return false;
    let n = climbValue(member);
    let wrap: TSESTree.CallExpression | TSESTree.NewExpression | undefined;
    for (let i = 0; i < 3 && n.parent && !wrap; i++) {
      const p = n.parent;
      if ((p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) && p.arguments.includes(n as TSESTree.CallExpressionArgument)) wrap = p;
      else n = p;
    }
    if (!wrap) return false;
    // Stored back (asked first: the creation's kind is a type question).
    const back = (left: TSESTree.Node): boolean => thisMemberName(left) === name && thisClass(left) === cls;
    const value = climbValue(wrap);
    const holder = value.parent;
    let storedBack = false;
    if (holder?.type === AST_NODE_TYPES.AssignmentExpression && holder.right === value) storedBack = back(holder.left);
    else if (holder?.type === AST_NODE_TYPES.VariableDeclarator && holder.init === value && holder.id.type === AST_NODE_TYPES.Identifier) {
      const local = this.m.varOf.get(holder.id);
      storedBack = !!local && local.references.some((ref) => {
        const read = climbValue(ref.identifier);
        const a = read.parent;
        return !ref.init && a?.type === AST_NODE_TYPES.AssignmentExpression && a.right === read && back(a.left);
      });
    }
    if (!storedBack) return false;
    const place = this.m.creationKind(wrap)?.wrapsStream;
    return !!place && wrappedValues(this.m, wrap, place).some((u) => unwrap(u) === unwrap(member));
  }

  /** Is this read of the field a release or a hand-off of the socket it holds? */
  private fieldUseReleases(member: TSESTree.Node): boolean {
    let mc = methodCallOn(member);
    // `this.socket.once('close', done).end()`: through calls that return the socket itself (an emitter's listener
    // registrations, the kind's own, or a method declared to return `this`).
    const returnsSelf = (call: { name: string; call: TSESTree.CallExpression }): boolean =>
      LISTENER_METHODS.has(call.name) || this.r.kind.returnsSelf.has(call.name) || this.m.returnsSameSocket(call.call, this.r.kind);
    for (let depth = 0; mc && depth < 4 && !this.isReleaseName(mc.name) && returnsSelf(mc); depth++) {
      mc = methodCallOn(mc.call);
    }
    if (mc) return this.isReleaseName(mc.name);
    const v = climbAlternatives(member);
    const p = v.parent;
    if (!p) return false;
    if (p.type === AST_NODE_TYPES.VariableDeclarator && p.init === v && p.id.type === AST_NODE_TYPES.Identifier) {
      const variable: Variable | undefined = this.m.varOf.get(p.id);
      return !!variable && this.m.variableEffect(variable, p) !== 'borrow';
    }
    if (p.type === AST_NODE_TYPES.ReturnStatement) return true;
    // `this.socket = tls.connect({ socket: this.socket })`: upgraded in place, the field still holds the connection.
    if (this.wrappedBackIntoField(member)) return false;
    if ((p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) && p.arguments.includes(v as TSESTree.CallExpressionArgument)) {
      // A function of the file, or a method of the class (`this.addEventListeners(this.ws)`): looked into.
      const callee = p.type === AST_NODE_TYPES.CallExpression ? (this.m.functionValue(p.callee) ?? this.m.thisMethodValue(p.callee)) : undefined;
      if (callee) return this.m.parameterEffect(callee, p.arguments.indexOf(v as TSESTree.CallExpressionArgument)) !== 'borrow';
      return true;
    }
    if (p.type === AST_NODE_TYPES.AssignmentExpression && p.right === v) return true;
    if (p.type === AST_NODE_TYPES.Property || p.type === AST_NODE_TYPES.ArrayExpression) return true;
    return false;
  }
}


/**
 * Does the call give a literal that keeps `node` from running in `fn`: `node` lies under a test of a parameter of `fn`
 * (`if (!connected) this.sock = null`, `connected ? … : …`) that the call's boolean literal for it decides the other way
 * (`this.setConnected(true)`)?
 */
function literalSkips(call: TSESTree.CallExpression, fn: FunctionNode, node: TSESTree.Node, varOf: FileModel['varOf']): boolean {
  let child: TSESTree.Node = node;
  for (let p = node.parent; p && p !== fn; child = p, p = p.parent) {
    if ((p.type !== AST_NODE_TYPES.IfStatement && p.type !== AST_NODE_TYPES.ConditionalExpression) || child === p.test) continue;
    const needed = child === p.consequent;
    let test = unwrap(p.test);
    let value = needed;
    while (test.type === AST_NODE_TYPES.UnaryExpression && test.operator === '!') {
      test = unwrap(test.argument);
      value = !value;
    }
    if (test.type !== AST_NODE_TYPES.Identifier) continue;
    const name = test.name;
    const index = fn.params.findIndex((param) => param.type === AST_NODE_TYPES.Identifier && param.name === name);
    const param = index >= 0 ? fn.params[index] : undefined;
    // A parameter the function assigns no other value.
    const v = param?.type === AST_NODE_TYPES.Identifier ? varOf.get(param) : undefined;
    if (!v || varOf.get(test) !== v || v.references.some((ref) => ref.isWrite() && !ref.init)) continue;
    const arg = call.arguments[index];
    const literal = arg ? unwrap(arg) : undefined;
    if (literal?.type === AST_NODE_TYPES.Literal && typeof literal.value === 'boolean' && literal.value !== value) return true;
  }
  return false;
}

/**
 * Are the re-arm `arm` and `site` (in one function) on separate paths: the two branches of an `if` or conditional, a
 * `catch` and the last statement of its `try` block (nothing after `site` in the block can throw into the `catch`
 * once it ran), or a `catch` that leaves the function and a statement after its `try`?
 */
function apart(arm: TSESTree.Node, site: TSESTree.Node, names: Names, tailSafe = true): boolean {
  let child: TSESTree.Node = arm;
  for (let p = arm.parent; p; child = p, p = p.parent) {
    if (!contains(p, site)) continue;
    // `try { socket = new WebSocket(url); } catch { this.scheduleReconnect(); return; } this.socket = socket;`: a catch
    // that leaves the function never reaches a store after its `try`.
    if (child.type === AST_NODE_TYPES.TryStatement && child.handler && contains(child.handler, arm) && child.range[1] <= site.range[0] && leavesFunction(child.handler.body)) return true;
    if (p.type === AST_NODE_TYPES.IfStatement || p.type === AST_NODE_TYPES.ConditionalExpression) {
      return !!p.alternate && ((contains(p.consequent, arm) && contains(p.alternate, site)) || (contains(p.alternate, arm) && contains(p.consequent, site)));
    }
    if (p.type === AST_NODE_TYPES.TryStatement) {
      if (!p.handler || !contains(p.handler, arm)) return false;
      const body = p.block.body;
      const i = body.findIndex((st) => contains(st, site));
      return tailSafe && i >= 0 && body.slice(i + 1).every((st) => throwsNothingOnceStored(st, names, 0));
    }
    if (isFunction(p)) return false;
  }
  return false;
}

/**
 * Once `site` (the store, or the call on the way to it) has run in `fn`, can `fn` still throw or reject? Not when each
 * statement after the one holding it throws nothing once stored, or only waits for the stored server to listen (`await
 * new Promise((resolve, reject) => { this.server.once('error', reject); this.server.listen(port, resolve); })`): its
 * rejection is that server's failed `listen()`, which leaves nothing open.
 */
function tailThrowsNothing(fn: FunctionNode, site: TSESTree.Node, names: Names): boolean {
  if (fn.body?.type !== AST_NODE_TYPES.BlockStatement) return true;
  const body = fn.body.body;
  const i = body.findIndex((st) => contains(st, site));
  return i >= 0 && body.slice(i + 1).every((st) => throwsNothingOnceStored(st, names, 0) || awaitsOwnListen(st, names) || awaitsFieldOperation(st));
}

/**
 * `await this.client.connect();`, `await once(this.ws, 'open');`: waiting for an operation of a field (the stored
 * resource's own opening, whose failure is its own).
 */
function awaitsFieldOperation(st: TSESTree.Statement): boolean {
  const e = st.type === AST_NODE_TYPES.ExpressionStatement ? unwrap(st.expression) : st.type === AST_NODE_TYPES.VariableDeclaration && st.declarations.length === 1 ? st.declarations[0].init && unwrap(st.declarations[0].init) : undefined;
  const call = e?.type === AST_NODE_TYPES.AwaitExpression ? unwrap(e.argument) : undefined;
  if (call?.type !== AST_NODE_TYPES.CallExpression) return false;
  const member = calleeMember(call);
  if (member) return thisMemberName(member.object) !== undefined;
  const first = call.arguments[0];
  return calleeName(call) === 'once' && !!first && thisMemberName(first) !== undefined;
}

/** `await new Promise((resolve, reject) => { this.f.once('error', reject); this.f.listen(…); })`: `reject` is only an error listener of a field. */
function awaitsOwnListen(st: TSESTree.Statement, names: Names): boolean {
  const e = st.type === AST_NODE_TYPES.ExpressionStatement ? unwrap(st.expression) : undefined;
  const p = e?.type === AST_NODE_TYPES.AwaitExpression ? unwrap(e.argument) : undefined;
  if (p?.type !== AST_NODE_TYPES.NewExpression || p.callee.type !== AST_NODE_TYPES.Identifier || p.callee.name !== 'Promise') return false;
  const executor = p.arguments[0];
  if (!executor || !isFunction(executor)) return false;
  const reject = executor.params[1];
  if (!reject) return true;
  if (reject.type !== AST_NODE_TYPES.Identifier) return false;
  return (names.varOf.get(reject)?.references ?? []).every((ref) => {
    const call = ref.identifier.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression) return false;
    // `this.server.listen(port, host, (err) => { if (err) reject(err); else resolve(); })`: called only by a callback
    // of one of the field's own operations.
    if (call.callee === ref.identifier) return inFieldCallback(call);
    if (call.arguments[1] !== ref.identifier) return false;
    const member = calleeMember(call);
    return !!member && LISTENER_METHODS.has(propertyName(member) ?? '') && stringValue(call.arguments[0]) === 'error' && thisMemberName(member.object) !== undefined;
  });
}

/** Is `n` in a function written as an argument of a method call on a field (`this.server.listen(port, () => …)`)? */
function inFieldCallback(n: TSESTree.Node): boolean {
  const fn = enclosingFunction(n);
  const call = fn?.parent;
  if (!fn || call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(fn as TSESTree.CallExpressionArgument)) return false;
  const member = calleeMember(call);
  return !!member && thisMemberName(member.object) !== undefined;
}

/** A literal (not a template with expressions) or a name. */
function plainValue(n: TSESTree.Node): boolean {
  const u = unwrap(n);
  return u.type === AST_NODE_TYPES.Literal || u.type === AST_NODE_TYPES.Identifier;
}

/** How the path tests resolve names: the function a callee runs, the variable a name denotes. */
interface Names {
  functionOf: (callee: TSESTree.Node) => FunctionNode | undefined;
  varOf: FileModel['varOf'];
}

/** Constructors that take any argument without throwing (`new Date()`). */
const INERT_CONSTRUCTORS: ReadonlySet<string> = new Set(['Date', 'Map', 'Set', 'WeakMap', 'WeakSet']);

/**
 * An expression that calls nothing and throws nothing: a name, literal or `this`; a member of one (`STATES.ACTIVE`,
 * `this.config.port`); a template literal, object or array literal, comparison, arithmetic, logical or conditional
 * expression of such; `new Date()`.
 */
function inertExpression(n: TSESTree.Node, depth = 0): boolean {
  if (depth > 6) return false;
  const u = unwrap(n);
  const inert = (x: TSESTree.Node | null): boolean => !!x && inertExpression(x, depth + 1);
  switch (u.type) {
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.ThisExpression:
      return true;
    case AST_NODE_TYPES.MemberExpression:
      return !u.computed && inert(u.object);
    case AST_NODE_TYPES.TemplateLiteral:
      return u.expressions.every(inert);
    case AST_NODE_TYPES.ObjectExpression:
      return u.properties.every((p) => p.type === AST_NODE_TYPES.Property && !p.computed && p.kind === 'init' && inert(p.value));
    case AST_NODE_TYPES.ArrayExpression:
      return u.elements.every((e) => e !== null && e.type !== AST_NODE_TYPES.SpreadElement && inert(e));
    case AST_NODE_TYPES.BinaryExpression:
      return u.operator !== 'in' && u.operator !== 'instanceof' && inert(u.left) && inert(u.right);
    case AST_NODE_TYPES.LogicalExpression:
      return inert(u.left) && inert(u.right);
    case AST_NODE_TYPES.UnaryExpression:
      return u.operator !== 'delete' && inert(u.argument);
    case AST_NODE_TYPES.ConditionalExpression:
      return inert(u.test) && inert(u.consequent) && inert(u.alternate);
    case AST_NODE_TYPES.NewExpression:
      return u.callee.type === AST_NODE_TYPES.Identifier && INERT_CONSTRUCTORS.has(u.callee.name) && u.arguments.every(inert);
    default:
      return false;
  }
}

/**
 * `console.log(`connected to ${exchange}`)`, `logger.info('listening', { port: this.port })`: a call of a method of the
 * global `console`, or a writing method of a logger (a name or field called `logger` or `log`), with arguments that
 * call nothing ({@link inertExpression}): it writes and throws nothing.
 */
function isPlainLog(e: TSESTree.Node, varOf: Names['varOf']): boolean {
  return e.type === AST_NODE_TYPES.CallExpression && isLogCall(e, varOf) && e.arguments.every((a) => inertExpression(a));
}

/** Does a `case`'s list of statements end by leaving the `switch` (`break`, `return`, `throw`), never falling through? */
function leavesSwitch(statements: readonly TSESTree.Statement[]): boolean {
  const last = statements[statements.length - 1];
  if (!last) return false;
  if ((last.type === AST_NODE_TYPES.BreakStatement && !last.label) || leavesFunction(last)) return true;
  return last.type === AST_NODE_TYPES.BlockStatement && leavesSwitch(last.body);
}

/** Are `a` and `b` in different branches of one `if` (or `? :`): never both run on one path? */
function onOtherBranch(a: TSESTree.Node, b: TSESTree.Node): boolean {
  for (let p = a.parent; p; p = p.parent) {
    if (!contains(p, b)) continue;
    if (p.type === AST_NODE_TYPES.IfStatement || p.type === AST_NODE_TYPES.ConditionalExpression) {
      const alternate = p.alternate;
      return !!alternate && ((contains(p.consequent, a) && contains(alternate, b)) || (contains(alternate, a) && contains(p.consequent, b)));
    }
    if (isFunction(p)) return false;
  }
  return false;
}

/** A method only its class can call: TypeScript `private`, or a `#name`. */
function isPrivateMethod(method: TSESTree.MethodDefinition): boolean {
  return !method.static && (method.key.type === AST_NODE_TYPES.PrivateIdentifier || method.accessibility === 'private');
}

/** `this.x = …`, `this.x ??= …`, `delete this.x`, `this.x++`: a member written, not read. */
function isAssignedMember(n: TSESTree.Node): boolean {
  const p = n.parent;
  if (p?.type === AST_NODE_TYPES.AssignmentExpression) return p.left === n;
  if (p?.type === AST_NODE_TYPES.UpdateExpression) return true;
  return p?.type === AST_NODE_TYPES.UnaryExpression && p.operator === 'delete';
}

/** Does every path through this statement end in a `return` or a `throw` (not a `break` or `continue`)? */
function leavesFunction(st: TSESTree.Node | null | undefined): boolean {
  if (!st) return false;
  if (st.type === AST_NODE_TYPES.ReturnStatement || st.type === AST_NODE_TYPES.ThrowStatement) return true;
  if (st.type === AST_NODE_TYPES.BlockStatement) return leavesFunction(st.body[st.body.length - 1]);
  return st.type === AST_NODE_TYPES.IfStatement && leavesFunction(st.consequent) && leavesFunction(st.alternate);
}

/**
 * A statement that cannot throw once the socket is stored: `ws.on('close', () => …);`, a listener added (written in
 * place, or named) to a name, a field or `this` — an emitter's registration throws only for a listener that is not a
 * function; also `addEventListener()`, and an event handler property given one, `this.ws.onopen = () => …` —,
 * `const onData = (d) => …;`, a declaration of functions, a field or name given a value that calls nothing (`this.state =
 * STATES.ACTIVE`, `this.since = new Date()`), a log of such values ({@link isPlainLog}), `watch();` / `void watch();`, a call not
 * awaited of an `async` function of the file with plain arguments (names, literals): whatever it does, the call
 * returns a promise — a rejection, not a throw; or a call without arguments of a function of the file or method of
 * the class (`this.setupEventHandlers()`) whose body is such statements, `return;` and `if`s without calls in their
 * tests (`if (!this.ws) return;`), followed up to two calls deep.
 */
function throwsNothingOnceStored(st: TSESTree.Statement, names: Names, depth: number): boolean {
  const { functionOf } = names;
  if (st.type === AST_NODE_TYPES.VariableDeclaration) return st.declarations.every((d) => !!d.init && isFunction(unwrap(d.init)));
  // `return true;`, `return ok;`: a literal or a name.
  if (st.type === AST_NODE_TYPES.ReturnStatement) return !st.argument || plainValue(st.argument);
  if (st.type === AST_NODE_TYPES.BlockStatement) return st.body.every((s2) => throwsNothingOnceStored(s2, names, depth));
  // `this.attempts = 0;`, `connected = true;`, `this.retries++`: a literal or a name given to a name or a field.
  if (st.type === AST_NODE_TYPES.ExpressionStatement) {
    const e = unwrap(st.expression);
    const target = e.type === AST_NODE_TYPES.AssignmentExpression && e.operator === '=' && inertExpression(e.right) ? unwrap(e.left) : e.type === AST_NODE_TYPES.UpdateExpression ? unwrap(e.argument) : undefined;
    if (target && (target.type === AST_NODE_TYPES.Identifier || (thisMemberName(target) !== undefined && unwrap((target as TSESTree.MemberExpression).object).type === AST_NODE_TYPES.ThisExpression))) return true;
  }
  if (st.type === AST_NODE_TYPES.IfStatement) {
    return !testCalls(st.test) && throwsNothingOnceStored(st.consequent, names, depth) && (!st.alternate || throwsNothingOnceStored(st.alternate, names, depth));
  }
  let expression = st.type === AST_NODE_TYPES.ExpressionStatement ? st.expression : undefined;
  if (expression?.type === AST_NODE_TYPES.UnaryExpression && expression.operator === 'void') expression = expression.argument;
  if (expression && isPlainLog(expression, names.varOf)) return true;
  if (expression?.type === AST_NODE_TYPES.CallExpression && !expression.optional) {
    const callee = functionOf(expression.callee);
    if (callee?.async && expression.callee.type === AST_NODE_TYPES.Identifier && expression.arguments.every((a) => a.type === AST_NODE_TYPES.Identifier || a.type === AST_NODE_TYPES.Literal)) return true;
    if (callee && !callee.async && !callee.generator && depth < 2 && expression.arguments.length === 0 && callee.body?.type === AST_NODE_TYPES.BlockStatement) {
      if (callee.body.body.every((s2) => throwsNothingOnceStored(s2, names, depth + 1))) return true;
    }
  }
  const call = st.type === AST_NODE_TYPES.ExpressionStatement ? st.expression : undefined;
  const named = (n: TSESTree.Node): boolean => n.type === AST_NODE_TYPES.Identifier || n.type === AST_NODE_TYPES.ThisExpression || thisMemberName(n) !== undefined;
  const listenerValue = (n: TSESTree.Node): boolean => n.type === AST_NODE_TYPES.ArrowFunctionExpression || n.type === AST_NODE_TYPES.FunctionExpression || n.type === AST_NODE_TYPES.Identifier;
  // `this.ws.onopen = () => …`: an event handler property of a name, a field or `this`, given a function.
  if (call?.type === AST_NODE_TYPES.AssignmentExpression && call.operator === '=' && call.left.type === AST_NODE_TYPES.MemberExpression) {
    const property = propertyName(call.left);
    return property !== undefined && property.startsWith(LISTENER_PROPERTY_PREFIX) && named(unwrap(call.left.object)) && listenerValue(unwrap(call.right));
  }
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.arguments.length !== 2) return false;
  const name = calleeName(call);
  const receiver = calleeMember(call)?.object;
  const [event, listener] = call.arguments;
  return (
    name !== undefined &&
    (LISTENER_METHODS.has(name) || name === EVENT_TARGET_METHOD) &&
    !!receiver &&
    named(receiver) &&
    stringValue(event) !== undefined &&
    listenerValue(listener)
  );
}

/**
 * `this.setupEventHandlers()`: a call without arguments, not awaited, of a function of the file or a method of the
 * class whose body throws nothing once the socket is stored ({@link throwsNothingOnceStored}), nor does it throw.
 */
export function quietCall(call: TSESTree.CallExpression, m: FileModel): boolean {
  if (call.arguments.length > 0 || call.optional) return false;
  const summaries = classSummaries(m);
  const callee = summaries.functionCalled(call.callee);
  if (!callee || callee.async || callee.generator || callee.body?.type !== AST_NODE_TYPES.BlockStatement) return false;
  const names: Names = { functionOf: (c) => summaries.functionCalled(c), varOf: m.varOf };
  return callee.body.body.every((st) => throwsNothingOnceStored(st, names, 1));
}

/**
 * Does this read of the old value decide whether the store happens: the test of an `if` (or a conditional) that
 * contains the store or returns early before it, or the left side of `old || (x = connect())`? The read may be the
 * left operand of an `&&` of the test (`if (!this.server && key && cert)`) when the store runs only on the test's true
 * side.
 */
function guardsStore(
  read: TSESTree.Node,
  assign: TSESTree.AssignmentExpression,
  fn: FunctionNode,
  holds: (test: TSESTree.Node, value: boolean) => boolean,
): boolean {
  if (contains(assign.right, read)) return true; // `this.sock = this.sock ?? connect()`
  // The read is the left operand of an `&&` inside the test: only the test's being true fixes it.
  let conjunct = false;
  // The read is an operand of an `||` inside the test: only the test's being false fixes it.
  let disjunct = false;
  for (let child: TSESTree.Node = read, p = read.parent; p && p !== fn; child = p, p = p.parent) {
    if ((p.type === AST_NODE_TYPES.IfStatement || p.type === AST_NODE_TYPES.ConditionalExpression) && p.test === child) {
      // The value the test has on the way to the store: inside a branch, or past an `if` whose other branch exits.
      if (contains(p.consequent, assign)) return !disjunct && holds(p.test, true);
      if (p.alternate && contains(p.alternate, assign)) return !conjunct && holds(p.test, false);
      if (contains(p, assign)) return true;
      if (p.type === AST_NODE_TYPES.IfStatement && p.range[1] <= assign.range[0]) {
        if (alwaysExits(p.consequent)) return !conjunct && holds(p.test, false);
        if (alwaysExits(p.alternate)) return !disjunct && holds(p.test, true);
      }
      return false;
    }
    if (p.type === AST_NODE_TYPES.LogicalExpression && p.left === child && contains(p.right, assign)) return holds(p.left, p.operator !== '||');
    if (p.type === AST_NODE_TYPES.LogicalExpression && p.operator === '||' && !conjunct) {
      // `if (limited || this.sock || !url) return;`: an operand of a disjunction — the test being false fixes it (the
      // test's own value is what `holds` is asked below).
      disjunct = true;
      continue;
    }
    if (p.type === AST_NODE_TYPES.LogicalExpression && p.left === child) {
      if (p.operator !== '&&') return false;
      conjunct = true;
    } else if (conjunct && (p.type !== AST_NODE_TYPES.LogicalExpression || p.operator !== '&&')) {
      return false; // `!(a && b)`, `(a && b) === c`, `c || (a && b)`: the test's value no longer fixes the read's
    }
  }
  return false;
}

/**
 * The outermost expression whose value may be this one's: through `!`-assertions, `as`, optional chains, either side
 * of `||` / `??` / `&&`, either branch of a conditional, and the last expression of a sequence.
 */
function climbAlternatives(node: TSESTree.Node): TSESTree.Node {
  let v = node;
  for (;;) {
    const p = v.parent;
    if (!p) return v;
    if (p.type === AST_NODE_TYPES.TSNonNullExpression || p.type === AST_NODE_TYPES.TSAsExpression || p.type === AST_NODE_TYPES.ChainExpression) v = p;
    // (Not from the left of `&&`: `this.ws && this.ws.readyState === 1` gives the field on only when it holds nothing.)
    else if (p.type === AST_NODE_TYPES.LogicalExpression && !(p.operator === '&&' && p.left === v)) v = p;
    else if (p.type === AST_NODE_TYPES.ConditionalExpression && p.test !== v) v = p;
    else if (p.type === AST_NODE_TYPES.SequenceExpression && p.expressions[p.expressions.length - 1] === v) v = p;
    else return v;
  }
}

/** The fields of `cls` that the variable's value is stored in (`this.sub = sub`), with their assignments. */
function fieldStoresOf(v: Variable, cls: TSESTree.Node): Array<[string, TSESTree.AssignmentExpression]> {
  const out: Array<[string, TSESTree.AssignmentExpression]> = [];
  for (const ref of v.references) {
    if (ref.init || ref.isWrite()) continue;
    const value = climbValue(ref.identifier);
    const p = value.parent;
    if (p?.type !== AST_NODE_TYPES.AssignmentExpression || p.right !== value) continue;
    const other = thisMemberName(p.left);
    if (other !== undefined && thisClass(p) === cls) out.push([other, p]);
  }
  return out;
}

/** Is `member` the target of a plain `= null` / `= undefined` assignment (`this.sock = null`)? That assignment. */
function clearingAssignment(member: TSESTree.Node): TSESTree.AssignmentExpression | TSESTree.UnaryExpression | undefined {
  const p = member.parent;
  // `delete this.ws`: the property is gone, as `this.ws = undefined` leaves it.
  if (p?.type === AST_NODE_TYPES.UnaryExpression && p.operator === 'delete' && p.argument === member) return p;
  return p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === member && p.operator === '=' && isNullishLiteral(p.right) ? p : undefined;
}

/**
 * Is `node` only tested for presence: the whole test of an `if`, a `?:` or a loop, its negation, or compared with
 * `null`/`undefined` there (`if (this.socket)`, `if (!this.socket) return;`, `if (this.socket != null)`)?
 */
function isPresenceTest(node: TSESTree.Node): boolean {
  let v: TSESTree.Node = node;
  let p = v.parent;
  if (p?.type === AST_NODE_TYPES.UnaryExpression && p.operator === '!') {
    v = p;
    p = v.parent;
  } else if (p?.type === AST_NODE_TYPES.BinaryExpression && ['==', '!=', '===', '!=='].includes(p.operator)) {
    if (!isNullishLiteral(p.left === v ? p.right : p.left)) return false;
    v = p;
    p = v.parent;
  }
  return (
    (p?.type === AST_NODE_TYPES.IfStatement || p?.type === AST_NODE_TYPES.ConditionalExpression || p?.type === AST_NODE_TYPES.WhileStatement) && p.test === v
  );
}

/**
 * Does `fn` (its own code and the functions in it) assign or update anything — a flag, a field, a variable —, or with
 * `store`, anything before that assignment (itself aside)?
 */
/** The name an emitter is known by in a class or function: `ws` for `this.ws` and for a variable `ws`. */
function emitterKey(emitter: TSESTree.Node): string | undefined {
  return thisMemberName(emitter) ?? (emitter.type === AST_NODE_TYPES.Identifier ? emitter.name : undefined);
}

function assignsAnything(m: FileModel, fn: TSESTree.Node, store?: TSESTree.Node): boolean {
  let found = false;
  walkAst(fn, m.sourceCode.visitorKeys, (n) => {
    found = (n.type === AST_NODE_TYPES.AssignmentExpression || n.type === AST_NODE_TYPES.UpdateExpression) && (!store || (n !== store && n.range[0] < store.range[0]));
    return found;
  });
  return found;
}


/**
 * The listener registrations of a function: given in place or by name to `on()`/`addEventListener()`, or set as an
 * event property (`ws.onclose = () => …`, `this.ws.onclose = this.onClose` for a method or a class property holding
 * a function).
 */
function listenerRegistrations(f: FunctionNode, summaries: ReturnType<typeof classSummaries>): Array<{ emitter: TSESTree.Node; event: string }> {
  const out: Array<{ emitter: TSESTree.Node; event: string }> = [];
  const add = (value: TSESTree.Node): void => {
    const role = callbackRole(value);
    if (role?.via === 'listener' && role.emitter && role.event !== undefined) {
      out.push({ emitter: role.emitter, event: role.event });
      return;
    }
    const v = climbValue(value);
    const p = v.parent;
    if (p?.type !== AST_NODE_TYPES.AssignmentExpression || p.right !== v || p.operator !== '=') return;
    const left = unwrap(p.left);
    const name = left.type === AST_NODE_TYPES.MemberExpression ? propertyName(left) : undefined;
    if (left.type === AST_NODE_TYPES.MemberExpression && name !== undefined && name.startsWith(LISTENER_PROPERTY_PREFIX) && name.length > LISTENER_PROPERTY_PREFIX.length) {
      out.push({ emitter: left.object, event: name.slice(LISTENER_PROPERTY_PREFIX.length) });
    }
  };
  add(f);
  for (const ref of summaries.referencesTo(f)) add(ref.value);
  return out;
}

/** Array methods that call their callback once per element, each one (`some`, `find` stop early). */
const EACH_ELEMENT_METHODS: ReadonlySet<string> = new Set(['forEach', 'map', 'flatMap']);

const LOOP_EXITS: ReadonlySet<string> = new Set([AST_NODE_TYPES.BreakStatement, AST_NODE_TYPES.ReturnStatement, AST_NODE_TYPES.ThrowStatement]);

/**
 * The body of the loop of `fn` that holds `call`, when nothing leaves it early (no `break`, `return` or `throw` of its own: a
 * loop that tries one host after another until one works runs the call again only after a failure): each iteration
 * makes the call again.
 */
function repeatingLoopBody(call: TSESTree.Node, fn: FunctionNode, visitorKeys: Readonly<Record<string, readonly string[] | undefined>>): TSESTree.Node | undefined {
  for (let child: TSESTree.Node = call, p = call.parent; p && p !== fn; child = p, p = p.parent) {
    if (isLoop(p) && child === (p as TSESTree.WhileStatement).body) return hasOwnNode(child, fn, LOOP_EXITS, visitorKeys) ? undefined : child;
  }
  return undefined;
}

/**
 * Does a test make a call, or read more than plain names and members (`!this.ws`, `a && b.c`, `x === 'open'`)? Only
 * such tests are known not to throw (a member of `null` aside, which the stored field is not).
 */
function testCalls(test: TSESTree.Node): boolean {
  const t = unwrap(test);
  switch (t.type) {
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.Literal:
    case AST_NODE_TYPES.ThisExpression:
      return false;
    case AST_NODE_TYPES.MemberExpression:
      return t.computed || testCalls(t.object);
    case AST_NODE_TYPES.UnaryExpression:
      return t.operator !== '!' || testCalls(t.argument);
    case AST_NODE_TYPES.LogicalExpression:
    case AST_NODE_TYPES.BinaryExpression:
      return (t.type === AST_NODE_TYPES.BinaryExpression && t.operator !== '===' && t.operator !== '!==' && t.operator !== '==' && t.operator !== '!=') || testCalls(t.left) || testCalls(t.right);
    default:
      return true;
  }
}

/** A function's own methods, which call or bind it with `this`. */
const FUNCTION_METHODS = new Set(['bind', 'call', 'apply']);

/** Calls that do not take an object over: logging, assertions, emitting it, serialising it. */
const NOT_OWNERS = /^(emit|log|debug|info|warn|error|trace|assert|inspect|format|stringify|equal|strictEqual|deepEqual|ok|expect)$/;

/** Is the field public: not `#name`, not declared (or a parameter property) `private` or `protected`? */
function publicField(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression, name: string): boolean {
  if (name.startsWith('#')) return false;
  for (const el of cls.body.body) {
    if (el.type === AST_NODE_TYPES.PropertyDefinition && !el.computed && el.key.type !== AST_NODE_TYPES.PrivateIdentifier && keyName(el.key) === name && el.accessibility && el.accessibility !== 'public') return false;
    if (el.type === AST_NODE_TYPES.MethodDefinition && el.kind === 'constructor') {
      for (const p of el.value.params) {
        if (p.type !== AST_NODE_TYPES.TSParameterProperty) continue;
        const id = p.parameter.type === AST_NODE_TYPES.AssignmentPattern ? p.parameter.left : p.parameter;
        if (id.type === AST_NODE_TYPES.Identifier && id.name === name && p.accessibility && p.accessibility !== 'public') return false;
      }
    }
  }
  return true;
}
