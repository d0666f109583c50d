import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { calleeName, contains, enclosingFunction, isFunction, line, methodCallOn, thisClass, thisMemberName, isFinalizer, unwrap, walkAst, type FunctionNode } from '../engine/ast';
import { Mode, modeAfterSegment, solveForward, type ForwardProblem, type ForwardResult, type FunctionFlow } from '../engine/flow';
import { isCloseOrErrorEvent, releasedBeforeEvent } from '../kinds/kind';
import type { Variable } from '../model/bindings';
import type { FileModel } from '../model/file-model';
import type { Registration, Resource } from '../model/resource';

/** Open (with the last jump passed, for the message) or closed (`null`). */
interface Open {
  readonly witness: TSESTree.Node | undefined;
}
type LeakState = Open | null;

export type LeakMessageId = 'leak' | 'timeoutNotReleased' | 'idleTimeoutUnhandled' | 'fieldNeverReleased' | 'fieldOverwritten';

export interface LeakFinding {
  messageId: LeakMessageId;
  node: TSESTree.Node;
  data: Record<string, string>;
  /** For `leak`: the resource, for suggestions. */
  resource?: Resource;
}

export interface LeakOptions {
  checkModuleScope: boolean;
  endIsRelease: boolean;
}

const OPEN: Open = { witness: undefined };
const JUMPS = new Set<string>([
  AST_NODE_TYPES.ReturnStatement,
  AST_NODE_TYPES.ThrowStatement,
  AST_NODE_TYPES.BreakStatement,
  AST_NODE_TYPES.ContinueStatement,
]);

function problemFor(r: Resource, entry: LeakState): ForwardProblem<LeakState> {
  return {
    entry,
    transfer(state, node) {
      const ops = r.ops.get(node);
      let s = state;
      if (ops) {
        for (const op of ops) {
          if (op.t === 'create') s = OPEN;
          else if (op.t === 'kill' || op.t === 'overwrite') s = null;
        }
      }
      if (s && JUMPS.has(node.type)) s = { witness: node };
      return s;
    },
    join(existing, incoming) {
      if (existing === undefined) return incoming;
      if (existing === null && incoming !== null) return incoming;
      return undefined;
    },
    edge(state, branch) {
      // `if (!s) throw …`, `if (s) hand off; else …`: on that edge there is no socket to release.
      return state && provesNoSocket(branch.test, branch.value, r) ? null : state;
    },
  };
}

/** When `test` evaluates to `value`, is every alias of the resource nullish (or not a socket at all)? */
function provesNoSocket(test: TSESTree.Node, value: boolean, r: Resource): boolean {
  const t = unwrap(test);
  const isAlias = (n: TSESTree.Node): boolean => {
    const u = unwrap(n);
    return u.type === AST_NODE_TYPES.Identifier && [...r.aliases].some((v) => v.references.some((ref) => ref.identifier === u));
  };
  const nullish = (n: TSESTree.Node): boolean => {
    const u = unwrap(n);
    return (u.type === AST_NODE_TYPES.Literal && u.value === null) || (u.type === AST_NODE_TYPES.Identifier && u.name === 'undefined');
  };
  if (isAlias(t)) return !value;
  if (t.type === AST_NODE_TYPES.UnaryExpression && t.operator === '!') return provesNoSocket(t.argument, !value, r);
  if (t.type === AST_NODE_TYPES.BinaryExpression) {
    if (t.operator === 'instanceof') return !value && isAlias(t.left);
    const eq = t.operator === '===' || t.operator === '==';
    const ne = t.operator === '!==' || t.operator === '!=';
    if ((eq || ne) && ((isAlias(t.left) && nullish(t.right)) || (isAlias(t.right) && nullish(t.left)))) {
      return eq ? value : !value;
    }
    return false;
  }
  if (t.type === AST_NODE_TYPES.LogicalExpression) {
    if (t.operator === '&&' && value) return provesNoSocket(t.left, true, r) || provesNoSocket(t.right, true, r);
    if (t.operator === '||' && !value) return provesNoSocket(t.left, false, r) || provesNoSocket(t.right, false, r);
  }
  return false;
}

interface Detail {
  rank: number;
  text: string;
}

function exitDetail(witness: TSESTree.Node | undefined, thrown: boolean): Detail {
  if (witness) {
    const l = line(witness);
    switch (witness.type) {
      case AST_NODE_TYPES.ReturnStatement:
        return { rank: 3, text: `on the path that returns at line ${l}` };
      case AST_NODE_TYPES.ThrowStatement:
        return { rank: 3, text: `on the path that throws at line ${l}` };
      case AST_NODE_TYPES.BreakStatement:
        return { rank: 3, text: `on the path that breaks out at line ${l}` };
      case AST_NODE_TYPES.ContinueStatement:
        return { rank: 3, text: `on the path that continues at line ${l}` };
      default:
        break;
    }
  }
  return { rank: 1, text: thrown ? 'on the path that throws' : 'on the path that reaches the end of the function' };
}

/** Runs the leak analysis for every resource of the file. */
export function analyseLeaks(model: FileModel, options: LeakOptions): LeakFinding[] {
  const findings: LeakFinding[] = [];
  const resources = model.resources({ endIsRelease: options.endIsRelease });
  for (const r of resources) {
    if (r.exempt === 'server-handler') continue;
    if (r.exempt === 'module' && !options.checkModuleScope) continue;
    if (r.disposed) continue;
    new ResourceLeakCheck(model, r, findings).run();
  }
  return findings;
}

class ResourceLeakCheck {
  private readonly solved = new Map<FunctionFlow, ForwardResult<LeakState>>();

  constructor(
    private readonly m: FileModel,
    private readonly r: Resource,
    private readonly findings: LeakFinding[],
  ) {}

  private get release(): string {
    return this.r.kind.suggestedRelease;
  }

  run(): void {
    const r = this.r;
    const details: Detail[] = [];
    const hasKill = [...r.ops.values()].some((ops) => ops.some((o) => o.t === 'kill'));

    if (r.field) this.checkField();
    this.checkOverwrite();

    // 1. Paths of the owning function.
    if (!(r.field && r.flow.node === r.report)) {
      const owner = this.solve(r.flow, null);
      // A creation in unreachable code (after a return) creates nothing.
      let reached = false;
      for (const [id, events] of r.flow.events) if (owner.inState.has(id) && events.includes(r.report)) reached = true;
      if (!reached) return;
      this.collectPathDetails(r.flow, owner, details, true);
    }

    // 2. Terminal events that do not release by themselves.
    const timeoutEvent = r.kind.idleTimeout?.event;
    const timeoutRegs = r.registrations.filter((reg) => reg.via === 'listener' && reg.event !== undefined && reg.event === timeoutEvent);
    for (const reg of timeoutRegs) {
      if (!this.registrationReleases(reg) && this.knownFunction(reg) && !this.settlesIntoCleanup(reg)) {
        this.findings.push({
          messageId: 'timeoutNotReleased',
          node: reg.fnNode,
          data: { kind: r.kind.name, release: this.release },
        });
      }
    }
    // A socket handed to someone else (returned, resolved, stored) may get its 'timeout' listener there.
    const handedOff = [...r.ops.values()].some((ops) => ops.some((o) => o.t === 'kill' && o.why === 'escape'));
    if (timeoutRegs.length === 0 && !handedOff) {
      for (const call of r.idleTimeouts) {
        this.findings.push({ messageId: 'idleTimeoutUnhandled', node: call, data: { kind: r.kind.name, release: this.release } });
      }
    }

    // 3. Settling without the socket.
    if (r.successHandoff) this.checkSettles(details);

    // 4. One-shot callbacks that release on one path and drop the socket on another.
    this.checkOneShotCallbacks(details);

    if (!hasKill && !r.field) {
      details.push({
        rank: 5,
        text:
          r.containers.size > 0
            ? `on any path (it is kept in the local collection '${[...r.containers][0]?.name ?? ''}', which is never released)`
            : 'on any path (nothing releases it or hands it off)',
      });
    }
    if (details.length > 0) {
      details.sort((a, b) => b.rank - a.rank);
      const best = details[0];
      this.findings.push({
        messageId: 'leak',
        node: r.report,
        data: { kind: r.kind.name, detail: best.text, release: this.release },
        resource: r,
      });
    }
  }

  private solve(flow: FunctionFlow, entry: LeakState): ForwardResult<LeakState> {
    let result = this.solved.get(flow);
    if (!result) {
      result = solveForward(flow, problemFor(this.r, entry));
      this.solved.set(flow, result);
    }
    return result;
  }

  /** Exits, loop re-entries and overwrites reached with the socket open. */
  private collectPathDetails(flow: FunctionFlow, result: ForwardResult<LeakState>, details: Detail[], isOwner: boolean): void {
    const r = this.r;
    const problem = problemFor(r, null);
    for (const segment of flow.segments.values()) {
      let state = result.inState.get(segment.id);
      if (state === undefined) continue;
      for (const node of flow.events.get(segment.id) ?? []) {
        const ops = r.ops.get(node);
        if (ops && state) {
          for (const op of ops) {
            if (op.t === 'create' && isOwner && r.containers.size === 0) {
              details.push({
                rank: 4,
                text: state.witness?.type === AST_NODE_TYPES.ContinueStatement
                  ? `on the path that continues at line ${line(state.witness)}, before the loop creates the next one`
                  : 'before the loop creates the next one',
              });
            } else if (op.t === 'overwrite') {
              details.push({ rank: 4, text: `before it is overwritten at line ${line(node)}` });
            }
          }
        }
        state = problem.transfer(state, node, segment);
      }
    }
    this.exitDetails(flow, result, details);
  }

  /** Exits reached with the socket open: a return (or the end) in normal/returning mode, an explicit throw. */
  private exitDetails(flow: FunctionFlow, result: ForwardResult<LeakState>, details: Detail[]): void {
    const thrown = new Set(flow.codePath.thrownSegments.map((s) => s.id));
    const returned = new Set(flow.codePath.returnedSegments.map((s) => s.id));
    for (const seg of flow.codePath.finalSegments) {
      for (const [mode, out] of result.outByMode.get(seg.id) ?? []) {
        if (!out) continue;
        const after = modeAfterSegment(flow, seg, mode);
        // A finally block's leaving copy ends in both a returned and a thrown segment: the mode tells which.
        if (after === Mode.Throwing ? !thrown.has(seg.id) : !returned.has(seg.id)) continue;
        details.push(exitDetail(out.witness, after === Mode.Throwing));
      }
    }
  }

  /**
   * A 'timeout' listener that rejects (or resolves) a promise whose awaiting owner releases the socket in a
   * `catch` or `finally` block hands the timeout over to that cleanup.
   */
  private settlesIntoCleanup(reg: Registration): boolean {
    const fn = reg.fn;
    const n = unwrap(reg.fnNode);
    const callsSettle =
      (n.type === AST_NODE_TYPES.Identifier && !!this.m.varOf.get(n) && !!this.m.executorOf(this.m.varOf.get(n) as Variable)) ||
      (!!fn &&
        [...this.m.recorder.flowOfNode.keys()].some(
          (c) =>
            c.type === AST_NODE_TYPES.CallExpression &&
            contains(fn, c) &&
            c.callee.type === AST_NODE_TYPES.Identifier &&
            (/^(reject|resolve)$/i.test(c.callee.name) ||
              (!!this.m.varOf.get(c.callee) && !!this.m.executorOf(this.m.varOf.get(c.callee) as Variable))),
        ));
    if (!callsSettle) return false;
    for (const [node, ops] of this.r.ops) {
      if (!ops.some((o) => o.t === 'kill' && o.why === 'release')) continue;
      for (let p: TSESTree.Node | undefined = node.parent; p && p !== this.r.ownerNode; p = p.parent) {
        if (p.type === AST_NODE_TYPES.CatchClause) return true;
        if (isFinalizer(p)) return true;
      }
    }
    return false;
  }

  private knownFunction(reg: Registration): boolean {
    if (reg.fn) return true;
    const n = unwrap(reg.fnNode);
    if (n.type !== AST_NODE_TYPES.Identifier) return false;
    const v = this.m.varOf.get(n);
    return !!v && this.m.isParameter(v) && (this.r.settleFns.has(v) || !!this.m.executorOf(v));
  }

  private registrationReleases(reg: Registration): boolean {
    return reg.fn ? this.r.releasesInside(reg.fn) : false;
  }

  /** Listener contexts in which the socket is already gone. */
  private releasedAtEntry(fn: TSESTree.Node): boolean {
    return this.r.registrations.some((reg) => reg.fn === fn && reg.via === 'listener' && this.releasedAtEntryEvent(reg.event));
  }

  private entryFor(flow: FunctionFlow): LeakState {
    let f: FunctionFlow | undefined = flow;
    while (f && f !== this.r.flow) {
      if (this.releasedAtEntry(f.node)) return null;
      f = f.parent;
    }
    return OPEN;
  }

  /** State just before `node` in its flow. */
  private stateAt(node: TSESTree.Node): LeakState {
    const flow = this.m.recorder.flowOfNode.get(node);
    if (!flow) return null;
    const entry = flow === this.r.flow ? null : this.entryFor(flow);
    const result = this.solve(flow, entry);
    const problem = problemFor(this.r, entry);
    let found: LeakState = null;
    for (const segment of flow.segments.values()) {
      let state = result.inState.get(segment.id);
      if (state === undefined) continue;
      for (const n of flow.events.get(segment.id) ?? []) {
        if (n === node && state) found = state;
        state = problem.transfer(state, n, segment);
      }
    }
    return found;
  }

  private checkSettles(details: Detail[]): void {
    const r = this.r;
    for (const v of r.settleFns) {
      for (const ref of v.references) {
        const id = ref.identifier as TSESTree.Identifier;
        if (!contains(r.ownerNode, id)) continue;
        const p = id.parent;
        if (p?.type === AST_NODE_TYPES.CallExpression && p.callee === id) {
          if (p.arguments.some((a) => this.carriesResource(a))) continue;
          // Settling inside a 'timeout' listener is reported there (timeoutNotReleased).
          if (this.inTimeoutListener(p)) continue;
          if (this.stateAt(p)) {
            details.push({ rank: 6, text: `when the operation settles at line ${line(p)} (${id.name}()) without it` });
          }
          continue;
        }
        // Settle function passed as a callback: setTimeout(reject, ms), signal.addEventListener('abort', reject).
        if (
          p &&
          (p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) &&
          p.arguments.includes(id)
        ) {
          const reg = r.registrations.find((x) => x.fnNode === id);
          if (reg && reg.via === 'listener' && (this.isTimeoutEvent(reg.event) || this.releasedAtEntryEvent(reg.event))) continue;
          const flow = this.m.recorder.flowOfNode.get(p);
          if (!flow) continue;
          if (this.stateAt(p) || flow !== r.flow) {
            details.push({ rank: 6, text: `when the operation settles through '${id.name}' (line ${line(p)}) without it` });
          }
        }
      }
    }
  }

  private inTimeoutListener(node: TSESTree.Node): boolean {
    return this.r.registrations.some(
      (reg) => reg.via === 'listener' && this.isTimeoutEvent(reg.event) && !!reg.fn && !this.registrationReleases(reg) && contains(reg.fn, node),
    );
  }

  private releasedAtEntryEvent(event: string | undefined): boolean {
    return releasedBeforeEvent(this.r.kind, event);
  }

  private isTimeoutEvent(event: string | undefined): boolean {
    return event !== undefined && event === this.r.kind.idleTimeout?.event;
  }

  /** Does this argument expression carry the resource (an alias, or a literal holding one)? */
  private carriesResource(arg: TSESTree.Node): boolean {
    let found = false;
    const visit = (n: TSESTree.Node): void => {
      if (found) return;
      const u = unwrap(n);
      if (u.type === AST_NODE_TYPES.Identifier) {
        const v = this.m.varOf.get(u);
        if (v && (this.r.aliases.has(v) || this.r.containers.has(v))) found = true;
        return;
      }
      if (u === this.r.report) {
        found = true;
        return;
      }
      if (thisMemberName(u) !== undefined && this.r.field && thisMemberName(u) === this.r.field.name) {
        found = true;
        return;
      }
      if (u.type === AST_NODE_TYPES.ObjectExpression) {
        for (const prop of u.properties) visit(prop.type === AST_NODE_TYPES.Property ? prop.value : prop.argument);
      } else if (u.type === AST_NODE_TYPES.ArrayExpression) {
        for (const el of u.elements) if (el) visit(el.type === AST_NODE_TYPES.SpreadElement ? el.argument : el);
      }
    };
    visit(arg);
    return found;
  }

  private checkOneShotCallbacks(details: Detail[]): void {
    const r = this.r;
    const callbacks = this.oneShotCallbacks();
    if (callbacks.length === 0) return;
    const releasers = new Set<TSESTree.Node>();
    for (const reg of r.registrations) {
      if (!reg.fn) continue;
      if (reg.via === 'listener' && isCloseOrErrorEvent(r.kind, reg.event)) continue;
      if (r.releasesInside(reg.fn)) releasers.add(reg.fn);
    }
    for (const t of this.timerCallbacks()) if (r.releasesInside(t)) releasers.add(t);
    for (const { fn, label } of callbacks) {
      if (!r.releasesInside(fn)) continue;
      if ([...releasers].some((other) => other !== fn && !contains(fn, other) && !contains(other, fn))) continue;
      const flow = this.m.recorder.flowByNode.get(fn);
      if (!flow) continue;
      const result = this.solve(flow, this.entryFor(flow));
      const thrown = new Set(flow.codePath.thrownSegments.map((s) => s.id));
      const returned = new Set(flow.codePath.returnedSegments.map((s) => s.id));
      for (const seg of flow.codePath.finalSegments) {
        const out = [...(result.outByMode.get(seg.id) ?? [])].find(([mode, st]) => {
          if (!st) return false;
          const after = modeAfterSegment(flow, seg, mode);
          return after === Mode.Throwing ? thrown.has(seg.id) : returned.has(seg.id);
        })?.[1];
        if (!out) continue;
        const w = out.witness;
        const how =
          w?.type === AST_NODE_TYPES.ReturnStatement
            ? `returns at line ${line(w)}`
            : w?.type === AST_NODE_TYPES.ThrowStatement || thrown.has(seg.id)
              ? `throws${w ? ` at line ${line(w)}` : ''}`
              : 'ends';
        details.push({ rank: 5, text: `when the ${label} at line ${line(fn)} ${how} without releasing it` });
        break;
      }
    }
  }

  private oneShotCallbacks(): Array<{ fn: FunctionNode; label: string }> {
    const out: Array<{ fn: FunctionNode; label: string }> = [];
    for (const reg of this.r.registrations) {
      if (!reg.fn || !reg.once || !isFunction(unwrap(reg.fnNode))) continue;
      if (reg.via === 'listener' && this.releasedAtEntryEvent(reg.event)) continue;
      if (reg.via === 'listener' && this.isTimeoutEvent(reg.event)) continue;
      const label = reg.via === 'listener' ? `'${reg.event ?? 'event'}' listener` : `${reg.event ?? 'operation'}() callback`;
      out.push({ fn: reg.fn, label });
    }
    for (const fn of this.timerCallbacks(true)) out.push({ fn, label: 'timer callback' });
    return out;
  }

  private timers: { all: FunctionNode[]; once: FunctionNode[] } | undefined;

  /** Function expressions passed to timers inside the owner (`once`: all but setInterval's). */
  private timerCallbacks(onceOnly = false): FunctionNode[] {
    if (!this.timers) {
      const timers = { all: [] as FunctionNode[], once: [] as FunctionNode[] };
      for (const node of this.m.recorder.flowOfNode.keys()) {
        if (node.type !== AST_NODE_TYPES.CallExpression || !contains(this.r.ownerNode, node)) continue;
        const callee = unwrap(node.callee);
        const name = calleeName(node) ?? '';
        if (!/^(setTimeout|setImmediate|nextTick|queueMicrotask|setInterval)$/.test(name)) continue;
        if (callee.type === AST_NODE_TYPES.MemberExpression && this.m.kindOfNode(callee.object)) continue;
        const fn = node.arguments[0] && unwrap(node.arguments[0]);
        if (fn && isFunction(fn)) {
          timers.all.push(fn);
          if (name !== 'setInterval') timers.once.push(fn);
        }
      }
      this.timers = timers;
    }
    return onceOnly ? this.timers.once : this.timers.all;
  }

  /**
   * Reconnect logic: storing a new socket into a field or outer variable that may still hold an open one.
   * Reported when another place also stores a socket there (or the storing function runs repeatedly), and the
   * storing function neither releases nor even looks at the old value before overwriting it.
   */
  private checkOverwrite(): void {
    const r = this.r;
    const assign =
      r.field?.assign.type === AST_NODE_TYPES.AssignmentExpression
        ? r.field.assign
        : r.outerStore?.assign;
    if (!assign || assign.type !== AST_NODE_TYPES.AssignmentExpression) return;
    let fn = enclosingFunction(assign);
    if (!fn) return;
    // The whole method counts (a `.then` callback inside it runs after the method's own code).
    const innermost = fn;
    for (let f: FunctionNode | undefined = fn; f; f = enclosingFunction(f)) {
      fn = f;
      if (f.parent?.type === AST_NODE_TYPES.MethodDefinition || f.parent?.type === AST_NODE_TYPES.PropertyDefinition) break;
    }
    const method = fn.parent;
    if (method?.type === AST_NODE_TYPES.MethodDefinition && method.kind === 'constructor') return;
    const sameTarget = (n: TSESTree.Node): boolean => {
      if (r.field) return thisMemberName(n) === r.field.name && thisClass(n) === r.field.cls;
      const u = unwrap(n);
      return u.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(u) === r.outerStore?.variable;
    };
    // Does the function look at the old value before storing the new one?
    let looksFirst = false;
    let otherStore = false;
    const scopeRoot = r.field ? r.field.cls : (this.m.sourceCode.ast as TSESTree.Node);
    walkAst(scopeRoot, this.m.sourceCode.visitorKeys, (n) => {
      if (n !== assign.left && (n.type === AST_NODE_TYPES.MemberExpression || n.type === AST_NODE_TYPES.Identifier) && sameTarget(n)) {
        const p = n.parent;
        const isStore = p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === n;
        const isDeclInit = p?.type === AST_NODE_TYPES.VariableDeclarator && p.id === n && !!p.init;
        if (isStore || isDeclInit) {
          const value = isStore ? p.right : (p as TSESTree.VariableDeclarator).init;
          if (value && !contains(fn, n) && this.storesSocket(value)) otherStore = true;
        } else if (contains(fn, n) && n.range[0] < assign.range[0]) {
          looksFirst = true;
        }
      }
      // `this.dispose()` before the assignment: a method of the class that releases the field.
      if (
        r.field &&
        n.type === AST_NODE_TYPES.CallExpression &&
        contains(fn, n) &&
        n.range[1] < assign.range[0] &&
        thisMemberName(n.callee) !== undefined &&
        this.methodReleasesField(r.field.cls, thisMemberName(n.callee) as string, r.field.name)
      ) {
        looksFirst = true;
      }
      if (n.type === AST_NODE_TYPES.PropertyDefinition && r.field && !n.static && n.value) {
        const key = n.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${n.key.name}` : n.key.type === AST_NODE_TYPES.Identifier ? n.key.name : undefined;
        if (key === r.field.name && this.storesSocket(n.value)) otherStore = true;
      }
    });
    if (looksFirst) return;
    if (!otherStore && !this.runsRepeatedly(innermost)) return;
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

  private methodReleasesField(cls: TSESTree.ClassDeclaration | TSESTree.ClassExpression, method: string, field: string): boolean {
    for (const el of cls.body.body) {
      if (el.type !== AST_NODE_TYPES.MethodDefinition || el.key.type !== AST_NODE_TYPES.Identifier || el.key.name !== method) continue;
      let found = false;
      walkAst(el.value, this.m.sourceCode.visitorKeys, (n) => {
        found = n.type === AST_NODE_TYPES.MemberExpression && thisMemberName(n) === field && this.fieldUseReleases(n);
        return found;
      });
      if (found) return true;
    }
    return false;
  }

  private storesSocket(value: TSESTree.Node): boolean {
    const v = unwrap(value);
    if (v.type !== AST_NODE_TYPES.CallExpression && v.type !== AST_NODE_TYPES.NewExpression) return false;
    return !!this.m.creationKind(v);
  }

  /** A setInterval callback or an `on` listener runs many times. */
  private runsRepeatedly(fn: FunctionNode): boolean {
    const p = fn.parent;
    if (p?.type !== AST_NODE_TYPES.CallExpression || !p.arguments.includes(fn as TSESTree.CallExpressionArgument)) return false;
    const name = calleeName(p);
    return name === 'setInterval' || name === 'on' || name === 'addListener';
  }

  /** A class that stores the socket in a field must release that field somewhere. */
  private checkField(): void {
    const r = this.r;
    const field = r.field;
    if (!field) return;
    const name = field.name;
    let released = false;
    walkAst(this.m.sourceCode.ast, this.m.sourceCode.visitorKeys, (n) => {
      if (
        n.type === AST_NODE_TYPES.VariableDeclarator &&
        n.id.type === AST_NODE_TYPES.ObjectPattern &&
        n.init?.type === AST_NODE_TYPES.ThisExpression &&
        this.destructuredFieldReleases(n.id, name)
      ) {
        released = true;
        return true;
      }
      if (n.type === AST_NODE_TYPES.MemberExpression) {
        const prop = n.property.type === AST_NODE_TYPES.PrivateIdentifier ? `#${n.property.name}` : !n.computed && n.property.type === AST_NODE_TYPES.Identifier ? n.property.name : undefined;
        if (prop === name && n !== field.assign && !(field.assign.type === AST_NODE_TYPES.AssignmentExpression && field.assign.left === n)) {
          if (this.fieldUseReleases(n)) {
            released = true;
            return true;
          }
        }
      }
      return false;
    });
    if (!released) {
      this.findings.push({
        messageId: 'fieldNeverReleased',
        node: field.assign,
        data: { kind: r.kind.name, field: name, release: this.release },
      });
    }
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

  /** Is this read of the field a release or a hand-off of the socket it holds? */
  private fieldUseReleases(member: TSESTree.MemberExpression): boolean {
    const mc = methodCallOn(member);
    if (mc) return this.m.anyRelease.has(mc.name) || this.r.kind.releases.has(mc.name);
    let v: TSESTree.Node = member;
    while (v.parent && (v.parent.type === AST_NODE_TYPES.TSNonNullExpression || v.parent.type === AST_NODE_TYPES.TSAsExpression || v.parent.type === AST_NODE_TYPES.ChainExpression)) v = v.parent;
    const p = v.parent;
    if (!p) return false;
    if (p.type === AST_NODE_TYPES.VariableDeclarator && p.init === v && p.id.type === AST_NODE_TYPES.Identifier) {
      const variable: Variable | undefined = this.m.varOf.get(p.id);
      return !!variable && this.m.variableEffect(variable, p) !== 'borrow';
    }
    if (p.type === AST_NODE_TYPES.ReturnStatement) return true;
    if ((p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) && p.arguments.includes(v)) {
      const callee = p.type === AST_NODE_TYPES.CallExpression ? this.m.functionValue(p.callee) : undefined;
      if (callee) return this.m.parameterEffect(callee, p.arguments.indexOf(v)) !== 'borrow';
      return true;
    }
    if (p.type === AST_NODE_TYPES.AssignmentExpression && p.right === v) return true;
    if (p.type === AST_NODE_TYPES.Property || p.type === AST_NODE_TYPES.ArrayExpression) return true;
    return false;
  }
}

export type { TSESLint };
