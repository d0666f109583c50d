import { type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isStrict } from './strict';
import { AST_NODE_TYPES } from './node-types';
import { contains, isFinalizer, isFunction, isVisitStep, type TraversalStep } from './ast';

type CodePath = TSESLint.CodePath;
type Segment = TSESLint.CodePathSegment;

/**
 * One function's (or the program's, or a class field initializer's) control-flow graph, as ESLint's code-path
 * analysis builds it, plus the AST nodes evaluated in each segment in evaluation order (post-order: a call is
 * recorded after its callee and arguments; a nested function is recorded where its closure is created).
 */
export interface FunctionFlow {
  readonly node: TSESTree.Node;
  readonly codePath: CodePath;
  readonly parent: FunctionFlow | undefined;
  /**
   * Nodes evaluated in each segment, by segment id, in order (undefined: none); every segment seen, reachable or not
   * ({@link SegmentEvents.segments}), and the node being entered when each started ({@link SegmentEvents.startNode}).
   */
  readonly events: SegmentEvents;
  /** Segments of the parent in which this function's closure is created. */
  readonly createdIn: readonly Segment[];
  /** The recorder of the flow, whose {@link FlowRecorder.decide} prunes the branches the types rule out. */
  readonly recorder: FlowRecorder;
}

/**
 * What the types say of a test, for pruning: for a test expression, the value it always has (`kind === 'b'` where
 * `kind` can only be `'b'` there); for a `switch`, `true` when one of its cases always matches. Undefined: not
 * decided.
 */
export type TestDecider = (test: TSESTree.Node) => boolean | undefined;

/** TypeScript nodes that are evaluated at run time (all other `TS*` nodes are types). */
const RUNTIME_TS_NODES = new Set<string>([
  AST_NODE_TYPES.TSAsExpression,
  AST_NODE_TYPES.TSNonNullExpression,
  AST_NODE_TYPES.TSSatisfiesExpression,
  AST_NODE_TYPES.TSTypeAssertion,
  AST_NODE_TYPES.TSInstantiationExpression,
  AST_NODE_TYPES.TSParameterProperty,
  AST_NODE_TYPES.TSEnumDeclaration,
  AST_NODE_TYPES.TSEnumMember,
  AST_NODE_TYPES.TSModuleDeclaration,
  AST_NODE_TYPES.TSModuleBlock,
  AST_NODE_TYPES.TSExportAssignment,
  AST_NODE_TYPES.TSImportEqualsDeclaration,
  AST_NODE_TYPES.TSExternalModuleReference,
]);

/** A type annotation or declaration: never evaluated, so never recorded. */
function isTypeOnlyNode(node: TSESTree.Node): boolean {
  return node.type.startsWith('TS') && !RUNTIME_TS_NODES.has(node.type);
}

interface Frame {
  flow: FunctionFlow;
  current: Segment[];
}

/**
 * The nodes evaluated in each segment of one flow. A recorded node is evaluated in every segment current at that
 * moment, so the nodes of a segment are the run of the flow's own recorded nodes (those of nested functions are
 * their flows') from the segment's start to its end: one list per flow and two numbers per segment, the segment's
 * list made only when an analysis asks for it (most flows of a file are never looked at).
 */
export class SegmentEvents {
  /** The flow's recorded nodes, in recording order (a node recorded twice appears twice). */
  private readonly own: TSESTree.Node[] = [];
  /**
   * Per segment id (every segment seen, in the order they started): the segment, the node being entered when it
   * started, the index of its first node in `own`, the index after its last one (-1 while it is current), and its
   * list once made.
   */
  private readonly runs = new Map<string, SegmentRun>();
  /** Under SOCKET_CLOSE_STRICT: the lists as the recorder used to keep them, to check each answer against. */
  readonly checked = isStrict() ? new Map<string, TSESTree.Node[]>() : undefined;

  start(segment: Segment, node: TSESTree.Node): void {
    this.runs.set(segment.id, { segment, node, from: this.own.length, to: -1, list: null });
  }

  end(id: string): void {
    const run = this.runs.get(id);
    if (run && run.to < 0) run.to = this.own.length;
  }

  add(node: TSESTree.Node): void {
    this.own.push(node);
  }

  /** Every segment of the flow, reachable or not, in the order they started. */
  *segments(): IterableIterator<Segment> {
    for (const run of this.runs.values()) yield run.segment;
  }

  /** The node being entered when the segment started. */
  startNode(id: string): TSESTree.Node | undefined {
    return this.runs.get(id)?.node;
  }

  /** The nodes evaluated in the segment, in order; undefined when it has none. */
  get(id: string): TSESTree.Node[] | undefined {
    const run = this.runs.get(id);
    if (!run) return this.checkedList(id, undefined);
    if (run.list !== null) return run.list;
    // A segment still current when its code path ended runs to the flow's end.
    const end = run.to < 0 ? this.own.length : run.to;
    const list = end > run.from ? this.own.slice(run.from, end) : undefined;
    run.list = this.checkedList(id, list);
    return list;
  }

  private checkedList(id: string, list: TSESTree.Node[] | undefined): TSESTree.Node[] | undefined {
    if (this.checked) {
      const old = this.checked.get(id);
      if ((old?.length ?? 0) !== (list?.length ?? 0) || old?.some((n, i) => n !== list?.[i])) {
        throw new Error(`socket-close: the events of segment ${id} as a run of the flow's nodes differ from the recorded list`);
      }
    }
    return list;
  }
}

interface SegmentRun {
  readonly segment: Segment;
  readonly node: TSESTree.Node;
  readonly from: number;
  to: number;
  /** The segment's nodes once asked for (undefined: none); null until then. */
  list: TSESTree.Node[] | undefined | null;
}

/**
 * Records code paths from ESLint's code path events: replayed from the file's cached traversal where ESLint has
 * one ({@link FlowRecorder.replay}), else through the rule listener protocol. ESLint 9 removed
 * `codePath.currentSegments`, so the current segments are tracked here from the segment start/end events.
 */
export class FlowRecorder {
  readonly flows: FunctionFlow[] = [];
  readonly flowByNode = new Map<TSESTree.Node, FunctionFlow>();
  /**
   * Every recorded node, in recording order (each once). The flow a node is evaluated in is found from its ancestors
   * ({@link flowOf}): a map keyed by every node of the file would cost an identity hash per node.
   */
  readonly nodes: TSESTree.Node[] = [];
  /** The finally blocks of the file (of every recorded `try`), for {@link FlowGraph}'s test of where they are. */
  readonly finalizers: TSESTree.BlockStatement[] = [];
  /**
   * A node that starts a code path is evaluated in the enclosing one (where its closure is made). Kept apart: a class
   * field's initialiser that is a function starts two code paths at one node.
   */
  private readonly parentFlowOfRoot = new Map<TSESTree.Node, FunctionFlow>();
  /** Under SOCKET_CLOSE_STRICT: the flow of every recorded node, to check {@link flowOf} against. */
  private readonly checkedFlows = isStrict() ? new Map<TSESTree.Node, FunctionFlow>() : undefined;
  private readonly stack: Frame[] = [];
  /**
   * Set by the file model: which tests the types decide. {@link solveForward} does not follow a branch its test can
   * never take (the `else` after an exhaustive `if`/`else if` chain, the way out of an exhaustive `switch`).
   */
  decide: TestDecider | undefined;

  /** Every code path started has ended: the whole file is recorded. */
  get complete(): boolean {
    return this.flows.length > 0 && this.stack.length === 0;
  }

  /**
   * The flow a recorded node is evaluated in: the enclosing one for a node that starts a code path, else that of its
   * nearest ancestor that starts one (a function, the program, a class field initialiser). Undefined for a node the
   * recorder skips (a type annotation) and for the program.
   */
  flowOf(node: TSESTree.Node): FunctionFlow | undefined {
    let flow = this.parentFlowOfRoot.get(node);
    if (!flow && !isTypeOnlyNode(node)) {
      for (let a = node.parent; a; a = a.parent) {
        flow = this.flowByNode.get(a);
        if (flow) break;
      }
    }
    if (this.checkedFlows && flow !== this.checkedFlows.get(node)) {
      throw new Error(`socket-close: the flow of a ${node.type} by its ancestors differs from the one it was recorded in`);
    }
    return flow;
  }

  private startSegment(segment: Segment, node: TSESTree.Node): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    top.current.push(segment);
    top.flow.events.start(segment, node);
  }

  private endSegment(segment: Segment): void {
    const top = this.stack[this.stack.length - 1];
    if (!top) return;
    const i = top.current.indexOf(segment);
    if (i >= 0) {
      top.current.splice(i, 1);
      top.flow.events.end(segment.id);
    }
  }

  private startCodePath(codePath: CodePath, node: TSESTree.Node): void {
    const parentFrame = this.stack[this.stack.length - 1];
    const flow: FunctionFlow = {
      node,
      codePath,
      parent: parentFrame?.flow,
      events: new SegmentEvents(),
      createdIn: parentFrame ? [...parentFrame.current] : [],
      recorder: this,
    };
    if (parentFrame) {
      // A function that is a class field's initialiser starts two code paths: it is recorded where the class is (the
      // enclosing code path), then in the field initialiser's, which it belongs to, keeping its first place.
      this.record(parentFrame, node, this.flowByNode.has(node));
      this.parentFlowOfRoot.set(node, parentFrame.flow);
    }
    this.flows.push(flow);
    this.flowByNode.set(node, flow);
    this.stack.push({ flow, current: [] });
  }

  private leaveNode(node: TSESTree.Node): void {
    const top = this.stack[this.stack.length - 1];
    if (!top || node === top.flow.node) return;
    // Type annotations are never evaluated; keep the event lists to what runs.
    if (isTypeOnlyNode(node)) return;
    this.record(top, node);
  }

  listeners(): TSESLint.RuleListener {
    const start = (segment: Segment, node: TSESTree.Node): void => this.startSegment(segment, node);
    const end = (segment: Segment): void => this.endSegment(segment);
    return {
      onCodePathStart: (codePath: CodePath, node: TSESTree.Node) => this.startCodePath(codePath, node),
      onCodePathEnd: () => {
        this.stack.pop();
      },
      onCodePathSegmentStart: start,
      onUnreachableCodePathSegmentStart: start,
      onCodePathSegmentEnd: end,
      onUnreachableCodePathSegmentEnd: end,
      '*:exit': (node: TSESTree.Node) => this.leaveNode(node),
    } as unknown as TSESLint.RuleListener;
  }

  /**
   * Records the code paths by replaying ESLint's cached traversal of the file (the same events, in the order the
   * listeners would receive them), so that no listener of the plugin runs on every node. Only for steps that
   * carry the code path events ({@link replayable}).
   */
  replay(steps: readonly TraversalStep[]): void {
    for (const step of steps) {
      if (isVisitStep(step)) {
        if (step.phase === 2) this.leaveNode(step.target as TSESTree.Node);
        continue;
      }
      const args = step.args ?? [];
      switch (step.target) {
        case 'onCodePathStart':
          this.startCodePath(args[0] as CodePath, args[1] as TSESTree.Node);
          break;
        case 'onCodePathEnd':
          this.stack.pop();
          break;
        case 'onCodePathSegmentStart':
        case 'onUnreachableCodePathSegmentStart':
          this.startSegment(args[0] as Segment, args[1] as TSESTree.Node);
          break;
        case 'onCodePathSegmentEnd':
        case 'onUnreachableCodePathSegmentEnd':
          this.endSegment(args[0] as Segment);
          break;
        default:
      }
    }
  }

  /** Do these steps carry ESLint's code path events (the program's code path starts first)? */
  static replayable(steps: readonly TraversalStep[] | undefined): steps is readonly TraversalStep[] {
    const first = steps?.[0];
    return !!first && !isVisitStep(first) && first.target === 'onCodePathStart' && Array.isArray(first.args);
  }

  private record(frame: Frame, node: TSESTree.Node, again = false): void {
    if (!again) {
      this.nodes.push(node);
      if (node.type === AST_NODE_TYPES.TryStatement && node.finalizer) this.finalizers.push(node.finalizer);
      if (this.checkedFlows?.has(node)) throw new Error(`socket-close: a ${node.type} was recorded twice`);
    }
    this.checkedFlows?.set(node, frame.flow);
    frame.flow.events.add(node);
    const checked = frame.flow.events.checked;
    if (checked) {
      for (const seg of frame.current) {
        let list = checked.get(seg.id);
        if (!list) checked.set(seg.id, (list = []));
        list.push(node);
      }
    }
  }
}

/**
 * A forward may-analysis over one flow's segments: a worklist to a fixed point (loops converge because facts only
 * grow), never an enumeration of paths. `State` must be immutable-by-convention; `join` returns `undefined` when
 * nothing changed.
 */
export interface ForwardProblem<State> {
  /** State at the flow's entry. */
  entry: State;
  /** Applies the effect of one node. */
  transfer(state: State, node: TSESTree.Node, segment: Segment): State;
  /** Joins `incoming` into `existing`; returns the joined state, or undefined when `existing` already covers it. */
  join(existing: State | undefined, incoming: State): State | undefined;
  /** Refines the state along a branch edge (e.g. `if (!s) throw` proves there is no socket on that edge). */
  edge?(state: State, branch: Branch): State;
  /**
   * Can evaluating `node` also end by throwing (an awaited call that rejects)? The state it throws with (given the
   * state after the node, and the state before it), routed like a `throw` there: into the `catch` or `finally`
   * around it, or out of the function. Undefined: it does not throw. Without this hook only `throw` statements throw.
   */
  throwsAt?(state: State, node: TSESTree.Node, before: State): State | undefined;
  /**
   * Does control enter this catch block by ESLint's own edges too (from the try block, as if anything in it could
   * throw)? For an analysis of something made inside the catch block: without it, a catch block that only an
   * implicit throw reaches would never run. Undefined: only routed throws enter catch blocks.
   */
  entersCatch?(clause: TSESTree.CatchClause): boolean;
}

/** The condition an edge is taken under: `test` evaluated to `value`. */
export interface Branch {
  readonly test: TSESTree.Node;
  readonly value: boolean;
}

/**
 * The branch an edge takes, when its source segment ends by evaluating the test of an `if`, a conditional
 * expression or a loop (the edge into the consequent or loop body is the true branch, any other the false one), or
 * the object of an optional member access (the edge that goes on to the property is the true branch).
 */
export function branchOf(flow: FunctionFlow, from: Segment, to: Segment): Branch | undefined {
  const last = lastEvent(flow, from);
  if (!last) return undefined;
  const start = flow.events.startNode(to.id);
  const into = (n: TSESTree.Node | null | undefined): boolean => !!start && !!n && (start === n || contains(n, start));
  const value = valueOnEdge(last, into, 0);
  return value === undefined ? undefined : { test: last, value };
}

/**
 * The value that `node`, evaluated last before a fork, has on the edge that goes where `into` says: the test of an
 * `if`, a conditional expression or a loop (true into the consequent or body), the object of an optional member
 * access (true: not nullish, on to the property), an operand of `||` / `&&` (the left one short-circuits or goes on
 * to the right one; the right one has the value of the whole, which decides in turn), or the operand of `!`.
 */
function valueOnEdge(node: TSESTree.Node, into: (n: TSESTree.Node | null | undefined) => boolean, depth: number): boolean | undefined {
  const p = node.parent;
  if (!p || depth > 16) return undefined;
  switch (p.type) {
    case AST_NODE_TYPES.IfStatement:
    case AST_NODE_TYPES.ConditionalExpression:
      return p.test === node ? into(p.consequent) : undefined;
    case AST_NODE_TYPES.WhileStatement:
    case AST_NODE_TYPES.ForStatement:
      return p.test === node ? into(p.body) : undefined;
    case AST_NODE_TYPES.MemberExpression:
      // `s?.m()`: the edge that goes on to `.m` is taken when `s` is not nullish, the other short-circuits.
      return p.optional && p.object === node ? into(p.property) : undefined;
    case AST_NODE_TYPES.LogicalExpression: {
      if (p.operator === '??') return undefined;
      if (p.left === node) {
        // On to the right operand: `a || b` with `a` false, `a && b` with `a` true; else it short-circuits.
        const right = into(p.right);
        return p.operator === '||' ? !right : right;
      }
      return valueOnEdge(p, into, depth + 1);
    }
    case AST_NODE_TYPES.UnaryExpression: {
      if (p.operator !== '!') return undefined;
      const whole = valueOnEdge(p, into, depth + 1);
      return whole === undefined ? undefined : !whole;
    }
    default:
      return undefined;
  }
}

/**
 * Is this the edge by which a `switch` without `default` is left when its last case does not match either, and does
 * one of its cases always match (see {@link TestDecider})?
 */
function switchFallsOut(flow: FunctionFlow, from: Segment, to: Segment, decide: TestDecider): boolean {
  const last = lastEvent(flow, from);
  const clause = last?.parent;
  if (clause?.type !== AST_NODE_TYPES.SwitchCase || clause.test !== last || clause.consequent.length === 0) return false;
  const sw = clause.parent;
  if (sw.cases[sw.cases.length - 1] !== clause || sw.cases.some((c) => c.test === null)) return false;
  const start = flow.events.startNode(to.id);
  if (!start || clause.consequent.some((s) => s === start || contains(s, start))) return false;
  return decide(sw) === true;
}

export interface ForwardResult<State> {
  /** State at the start of each reached segment (joined over the pieces of it that are reached, and modes). */
  readonly inState: Map<string, State>;
  /** State at the end of each reached segment (joined over modes). */
  readonly outState: Map<string, State>;
  /**
   * The exits of the flow: for each segment the function leaves at (a final segment, or, for an exit ESLint does
   * not record, see {@link FlowGraph.exitSegments}), the state with which it leaves, by how it leaves
   * ({@link Mode}): at its end (`Normal`), by a `return` (`Returning`) or by a `throw` (`Throwing`). Nothing else.
   */
  readonly outByMode: Map<string, Map<Mode, State>>;
  /** State at the start of each reached piece (see {@link FlowGraph}), joined over modes. */
  readonly pieceIn: Map<number, State>;
}

/**
 * How a function leaves at one of its final segments: at its end, by a `return`, or by an explicit `throw`.
 * (Inside the solver, control also carries the pending completions of the finally blocks it is in: see
 * {@link Completion}.)
 */
export const Mode = { Normal: 0, Returning: 1, Throwing: 2 } as const;
export type Mode = (typeof Mode)[keyof typeof Mode];

function lastEvent(flow: FunctionFlow, seg: Segment): TSESTree.Node | undefined {
  const events = flow.events.get(seg.id);
  return events && events.length > 0 ? events[events.length - 1] : undefined;
}

/** How a function leaves at the end of `seg` when it is left in `mode` (a `return` or `throw` decides). */
export function modeAfterSegment(flow: FunctionFlow, seg: Segment, mode: Mode): Mode {
  const last = lastEvent(flow, seg);
  if (last?.type === AST_NODE_TYPES.ReturnStatement) return Mode.Returning;
  if (last?.type === AST_NODE_TYPES.ThrowStatement) return Mode.Throwing;
  return mode;
}

/** Is `node` inside a loop of `fn`'s own code (between `node` and `fn`)? */
export function inLoopWithin(node: TSESTree.Node, fn: TSESTree.Node): boolean {
  for (let p = node.parent; p && p !== fn; p = p.parent) if (isLoop(p)) return true;
  return false;
}

export function isLoop(n: TSESTree.Node): boolean {
  return (
    n.type === AST_NODE_TYPES.ForStatement ||
    n.type === AST_NODE_TYPES.ForInStatement ||
    n.type === AST_NODE_TYPES.ForOfStatement ||
    n.type === AST_NODE_TYPES.WhileStatement ||
    n.type === AST_NODE_TYPES.DoWhileStatement
  );
}

type JumpStatement = TSESTree.BreakStatement | TSESTree.ContinueStatement;

const JUMPS = new Set<string>([
  AST_NODE_TYPES.ReturnStatement,
  AST_NODE_TYPES.ThrowStatement,
  AST_NODE_TYPES.BreakStatement,
  AST_NODE_TYPES.ContinueStatement,
]);

/**
 * The completion of a statement, in the sense of the language: normal, or abrupt (`return`, `throw`, `break` or
 * `continue` to a target). A finally block runs with the completion that brought control into it pending; when the
 * block completes normally the pending completion resumes, when it completes abruptly its own jump replaces it.
 */
type Completion =
  | { readonly k: 'normal' | 'return' | 'throw' }
  | { readonly k: 'break' | 'continue'; readonly jump: JumpStatement; readonly target: TSESTree.Node };

/** A finally block being executed, with the completion pending while it runs. */
interface Pending {
  readonly fin: TSESTree.Node;
  readonly c: Completion;
}

/**
 * A run of consecutive events of one segment. ESLint's segments are cut further where a finally block starts and
 * after it ends, and where a jump lands (the statement a `break` leaves, the point a `continue` resumes), so that
 * control can enter and leave a finally block with a pending completion, which ESLint's code paths do not model
 * for `break`/`continue` (they go straight to their target) nor for jumps out of a finally block.
 */
interface Piece {
  readonly id: number;
  readonly seg: Segment;
  readonly events: readonly TSESTree.Node[];
  /**
   * The finally blocks around the piece's first event (outermost first): control coming into the piece from outside
   * one of them enters it.
   */
  readonly enters: readonly TSESTree.Node[];
  /** The next piece of the same segment. */
  next: Piece | undefined;
}

/** No finally blocks around a node (shared: lists of pieces are read-only). */
const NO_NODES: readonly TSESTree.Node[] = [];

/**
 * The pieces of one flow, and where jumps land. Control moves between pieces along ESLint's edges (between
 * segments) and fall-through (within a segment) when it moves normally; `return`, `throw`, `break` and `continue`,
 * and the end of a finally block with an abrupt completion pending, are routed by the syntax instead
 * ({@link FlowGraph.route}): through every finally block between the jump and its target, innermost first, and
 * out of any finally block the jump leaves (whose pending completion it discards).
 */
class FlowGraph {
  private nextId = 0;
  readonly pieces: Piece[] = [];
  private readonly bySeg = new Map<string, Piece[]>();
  private readonly final: Set<string>;
  private readonly nodeIds = new Map<TSESTree.Node, number>();
  private readonly entryCache = new Map<TSESTree.Node, Piece[]>();
  private readonly jumpSegs = new Map<TSESTree.Node, Segment[]>();
  private readonly landings = new Set<TSESTree.Node>();
  /** Is a finally block inside the flow's node (else no node of the flow is in one: {@link finalizersAround}). */
  private readonly hasFinalizers: boolean;

  constructor(readonly flow: FunctionFlow) {
    this.final = new Set(flow.codePath.finalSegments.map((s) => s.id));
    this.hasFinalizers = flow.recorder.finalizers.some((f) => contains(flow.node, f));
    for (const seg of flow.events.segments()) {
      const last = lastEvent(flow, seg);
      if (last && (last.type === AST_NODE_TYPES.BreakStatement || last.type === AST_NODE_TYPES.ContinueStatement)) {
        let list = this.jumpSegs.get(last);
        if (!list) this.jumpSegs.set(last, (list = []));
        list.push(seg);
      }
      // Every jump, also those in code ESLint sees as unreachable (where it does not end their segment).
      for (const e of flow.events.get(seg.id) ?? []) {
        if (e.type === AST_NODE_TYPES.BreakStatement || e.type === AST_NODE_TYPES.ContinueStatement) this.addLandings(e);
      }
    }
    for (const seg of flow.events.segments()) this.piecesOf(seg);
  }

  /** Statements where a break lands (their own event), and the parts of a loop a continue resumes at. */
  private addLandings(jump: JumpStatement): void {
    const target = jumpTarget(jump);
    if (!target) return;
    this.landings.add(target);
    const loop = loopOf(target);
    if (loop) for (const part of continuePoints(loop)) this.landings.add(part);
  }

  id(node: TSESTree.Node): number {
    let n = this.nodeIds.get(node);
    if (n === undefined) this.nodeIds.set(node, (n = this.nodeIds.size));
    return n;
  }

  piecesOf(seg: Segment): Piece[] {
    let list = this.bySeg.get(seg.id);
    if (list) return list;
    list = [];
    this.bySeg.set(seg.id, list);
    const events = this.flow.events.get(seg.id) ?? [];
    let from = 0;
    // An event-less segment (e.g. the start of a copy of a finally block whose first statement is a loop) enters
    // the finally blocks around where it starts.
    const start = this.flow.events.startNode(seg.id);
    let enters: readonly TSESTree.Node[] = events.length === 0 && start ? this.finalizersAround(start) : NO_NODES;
    const cut = (to: number, nextEnters: readonly TSESTree.Node[]): void => {
      // A segment in one piece shares the segment's (read-only) list.
      const piece: Piece = { id: this.nextId++, seg, events: from === 0 && to === events.length ? events : events.slice(from, to), enters, next: undefined };
      const prev = list[list.length - 1];
      if (prev) prev.next = piece;
      list.push(piece);
      this.pieces.push(piece);
      from = to;
      enters = nextEnters;
    };
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const prev = i > 0 ? events[i - 1] : undefined;
      const around = this.finalizersAround(e);
      if (i === 0) {
        enters = around;
        continue;
      }
      const entered = around.some((f) => !contains(f, prev!));
      if (entered || this.landsAt(e, prev!) || isFinalizer(prev!) || JUMPS.has(prev!.type)) cut(i, around);
    }
    cut(events.length, NO_NODES);
    return list;
  }

  /** Does a break or continue land at `e` (a landing that is `e`, or holds `e` but not the event `prev` before it)? */
  private landsAt(e: TSESTree.Node, prev: TSESTree.Node): boolean {
    for (const l of this.landings) if (l === e || (contains(l, e) && !contains(l, prev))) return true;
    return false;
  }

  /** Finally blocks (of this flow) that contain `node` or are `node`, outermost first. */
  private finalizersAround(node: TSESTree.Node): readonly TSESTree.Node[] {
    if (!this.hasFinalizers) return NO_NODES;
    const out: TSESTree.Node[] = [];
    for (let n: TSESTree.Node | undefined = node; n && n !== this.flow.node; n = n.parent) {
      if (isFunction(n)) break;
      if (isFinalizer(n)) out.unshift(n);
    }
    return out;
  }

  first(seg: Segment): Piece {
    return this.piecesOf(seg)[0];
  }

  isFinal(seg: Segment): boolean {
    return this.final.has(seg.id);
  }

  /** Where control is at the end of a piece, for the handler-region checks of ordinary edges. */
  position(p: Piece): TSESTree.Node | undefined {
    return p.events[p.events.length - 1] ?? this.segmentPosition(p.seg);
  }

  /**
   * Where control is at the end of a segment: its last event, or where it started, or (for the event-less segments
   * ESLint makes to merge parallel paths, e.g. of a jump out of a finally block) where its predecessors are.
   */
  segmentPosition(seg: Segment, depth = 0): TSESTree.Node | undefined {
    const own = lastEvent(this.flow, seg) ?? this.flow.events.startNode(seg.id);
    if (own || depth > 8) return own;
    for (const ps of allPrev(seg)) {
      const pos = this.segmentPosition(ps, depth + 1);
      if (pos) return pos;
    }
    return undefined;
  }

  /**
   * The pieces that start where control first enters `region`, a catch clause or a finally block (all copies ESLint
   * made of it). ESLint starts a segment at a catch clause, and at a finally block when it copies it; otherwise a
   * finally block starts within a segment, or at the start of one entered from the normal end of its try or catch
   * block (e.g. when the block starts with a loop).
   */
  entries(region: TSESTree.Node): Piece[] {
    let list = this.entryCache.get(region);
    if (list) return list;
    list = [];
    const tryStatement = region.parent as TSESTree.TryStatement;
    const normalEnds = new Set<TSESTree.Node | null | undefined>([tryStatement.block, tryStatement.handler, tryStatement.handler?.body]);
    for (const seg of this.flow.events.segments()) {
      const pieces = this.piecesOf(seg);
      const start = this.flow.events.startNode(seg.id);
      pieces.forEach((p, i) => {
        if (i === 0 && start === region && (region.type === AST_NODE_TYPES.CatchClause || p.events[0] !== region || isEmptyBlock(region))) {
          list.push(p);
          return;
        }
        const e = p.events[0];
        if (region.type === AST_NODE_TYPES.CatchClause || !e || !contains(region, e)) return;
        const entered =
          i > 0
            ? !contains(region, pieces[i - 1].events[pieces[i - 1].events.length - 1])
            : start !== region && allPrev(seg).some((ps) => normalEnds.has(lastEvent(this.flow, ps)));
        if (entered) list.push(p);
      });
    }
    this.entryCache.set(region, list);
    return list;
  }

  /** Is this piece the start of the copy of a finally block that ESLint runs for returns and throws? */
  isLeavingEntry(p: Piece, fin: TSESTree.Node): boolean {
    if (this.flow.events.startNode(p.seg.id) !== fin || this.first(p.seg) !== p) return false;
    const tryStatement = fin.parent as TSESTree.TryStatement;
    const isNormalEnd = (seg: Segment): boolean => {
      const l = lastEvent(this.flow, seg);
      return !!l && (l === tryStatement.block || l === tryStatement.handler || l === tryStatement.handler?.body);
    };
    return p.seg.prevSegments.some((s) => !isNormalEnd(s));
  }

  /** The entries of a finally block for a completion: returns and throws take ESLint's leaving copy. */
  finallyEntries(fin: TSESTree.Node, c: Completion): Piece[] {
    const all = this.entries(fin);
    if (c.k === 'return' || c.k === 'throw') {
      const leaving = all.filter((p) => this.isLeavingEntry(p, fin));
      if (leaving.length > 0) return leaving;
    }
    return all;
  }

  /** Where a break or continue lands once no finally block remains on its way. */
  destinations(c: Extract<Completion, { k: 'break' | 'continue' }>): Piece[] {
    const out = new Set<Piece>();
    // ESLint's own edge from the jump, when it recorded one (a jump in code it sees as reachable).
    for (const seg of this.jumpSegs.get(c.jump) ?? []) for (const next of seg.nextSegments) out.add(this.first(next));
    if (out.size > 0) return [...out];
    // Code ESLint sees as unreachable (a finally block entered only by jumps): land by the syntax.
    const loop = loopOf(c.target);
    if (c.k === 'continue' && loop) {
      for (const part of continuePoints(loop)) for (const p of this.entries(part)) out.add(p);
      if (loop.type !== AST_NODE_TYPES.ForInStatement && loop.type !== AST_NODE_TYPES.ForOfStatement) return [...out];
    }
    for (const p of this.pieces) if (p.events[0] === c.target) out.add(p);
    return [...out];
  }

  /**
   * The final segments a return or throw (`how`) leaves the function at, from the end of `seg`: the segment itself
   * or the event-less segments ESLint merges parallel paths into. ESLint records no exit for a jump in code it sees
   * as unreachable (a finally block entered only by a break/continue); such an exit is attributed to a final
   * segment of the same kind when there is one (for readers that look up final segments), else to `seg` itself.
   */
  exitSegments(seg: Segment, how: Mode): Segment[] {
    const kind = new Set(
      (how === Mode.Throwing ? this.flow.codePath.thrownSegments : this.flow.codePath.returnedSegments)
        .filter((s) => modeAfterSegment(this.flow, s, how) === how)
        .map((s) => s.id),
    );
    const out: Segment[] = [];
    const seen = new Set<string>();
    const visit = (s: Segment): void => {
      if (seen.has(s.id)) return;
      seen.add(s.id);
      if (this.isFinal(s)) {
        if (kind.has(s.id)) out.push(s);
        return;
      }
      for (const next of s.nextSegments) if ((this.flow.events.get(next.id)?.length ?? 0) === 0) visit(next);
    };
    visit(seg);
    if (out.length > 0 || how === Mode.Normal) return out;
    const stand = [...this.flow.codePath.finalSegments].find((s) => kind.has(s.id));
    return [stand ?? seg];
  }

  /**
   * Routes a completion from `from` (a jump, or the try statement whose finally block just ended with the
   * completion pending) outwards: into the catch block that takes a throw, into the next finally block on the way
   * (with the completion pending), out of the finally blocks it leaves (discarding their pending completions), to
   * the target of a break/continue, or out of the function.
   */
  route(c: Completion, frames: readonly Pending[], from: TSESTree.Node): { to: Piece[]; frames: readonly Pending[] } | { exit: Mode } {
    let fr = frames;
    let child: TSESTree.Node = from;
    for (let n = from.parent; n && n !== this.flow.node && !isFunction(n); child = n, n = n.parent) {
      if (n.type === AST_NODE_TYPES.TryStatement) {
        if (child === n.block && c.k === 'throw' && n.handler) return { to: this.entries(n.handler), frames: fr };
        if ((child === n.block || child === n.handler) && n.finalizer) {
          return { to: this.finallyEntries(n.finalizer, c), frames: [...fr, { fin: n.finalizer, c }] };
        }
        if (child === n.finalizer) {
          const i = fr.map((f) => f.fin).lastIndexOf(n.finalizer);
          if (i >= 0) fr = fr.slice(0, i);
        }
      }
      if ((c.k === 'break' || c.k === 'continue') && n === c.target) return { to: this.destinations(c), frames: fr };
    }
    return { exit: c.k === 'throw' ? Mode.Throwing : c.k === 'return' ? Mode.Returning : Mode.Normal };
  }
}

/** The statement a break or continue targets (for a labelled jump, its labelled statement). */
function jumpTarget(jump: JumpStatement): TSESTree.Node | undefined {
  const label = jump.label?.name;
  for (let n: TSESTree.Node | undefined = jump.parent; n && !isFunction(n); n = n.parent) {
    if (label) {
      if (n.type === AST_NODE_TYPES.LabeledStatement && n.label.name === label) return n;
    } else if (jump.type === AST_NODE_TYPES.BreakStatement ? n.type === AST_NODE_TYPES.SwitchStatement || isLoop(n) : isLoop(n)) {
      return n;
    }
  }
  return undefined;
}

/** The loop a (labelled) continue target stands for. */
function loopOf(target: TSESTree.Node): TSESTree.Node | undefined {
  let n: TSESTree.Node = target;
  while (n.type === AST_NODE_TYPES.LabeledStatement) n = n.body;
  return isLoop(n) ? n : undefined;
}

/** The part of a loop where a `continue` resumes: the update, the test, the next element, or the body. */
function continuePoints(loop: TSESTree.Node): TSESTree.Node[] {
  switch (loop.type) {
    case AST_NODE_TYPES.ForStatement:
      return [loop.update ?? loop.test ?? loop.body];
    case AST_NODE_TYPES.WhileStatement:
    case AST_NODE_TYPES.DoWhileStatement:
      return [loop.test];
    case AST_NODE_TYPES.ForInStatement:
    case AST_NODE_TYPES.ForOfStatement:
      return [loop.left];
    default:
      return [];
  }
}

function isEmptyBlock(node: TSESTree.Node): boolean {
  return node.type === AST_NODE_TYPES.BlockStatement && node.body.length === 0;
}

/** All predecessors of a segment, reachable or not (ESLint keeps them; its typings do not list them). */
function allPrev(seg: Segment): readonly Segment[] {
  return (seg as Segment & { allPrevSegments?: Segment[] }).allPrevSegments ?? seg.prevSegments;
}

/** All successors of a segment, reachable or not. */
function allNext(seg: Segment): readonly Segment[] {
  return (seg as Segment & { allNextSegments?: Segment[] }).allNextSegments ?? seg.nextSegments;
}

const graphs = new WeakMap<FunctionFlow, FlowGraph>();
function graphOf(flow: FunctionFlow): FlowGraph {
  let g = graphs.get(flow);
  if (!g) graphs.set(flow, (g = new FlowGraph(flow)));
  return g;
}

/** The innermost catch clauses and finally blocks containing `node`, within its function (innermost first). */
function handlerRegions(node: TSESTree.Node, fnNode: TSESTree.Node): TSESTree.Node[] {
  const out: TSESTree.Node[] = [];
  for (let n: TSESTree.Node | undefined = node; n && n !== fnNode && !isFunction(n); n = n.parent) {
    if (n.type === AST_NODE_TYPES.CatchClause || isFinalizer(n)) out.push(n);
  }
  return out;
}

/**
 * A forward may-analysis over one flow: a worklist to a fixed point (loops converge because facts only grow),
 * never an enumeration of paths. Control is followed in the product of pieces and *modes*: the stack of finally
 * blocks being executed, each with its pending completion. The analysis models explicit `throw` statements only:
 * - a `catch` block is entered only by a throw routed to it; ESLint's edges into it (from the "first throwable"
 *   expression and the end of the try block) are dropped (kept where `problem.entersCatch` says so), and so are
 *   its edges into the copy of a finally block it keeps for returns and throws;
 * - `return`, `throw`, `break` and `continue` are routed by the syntax ({@link FlowGraph.route}) through every
 *   finally block on their way, which then runs with the jump pending and resumes it at its end; a jump out of a
 *   finally block discards the completion pending there;
 * - everything else follows ESLint's edges, refined by `problem.edge` on branches.
 */
export function solveForward<State>(flow: FunctionFlow, problem: ForwardProblem<State>): ForwardResult<State> {
  const g = graphOf(flow);
  const inState = new Map<string, State>();
  const outState = new Map<string, State>();
  const outByMode = new Map<string, Map<Mode, State>>();
  const pieceIn = new Map<number, State>();
  const modes = new Map<string, readonly Pending[]>();
  const modeIn = new Map<string, State>();
  const keyOfFrames = (frames: readonly Pending[]): string =>
    frames.map((f) => `${g.id(f.fin)}${f.c.k[0]}${'jump' in f.c ? g.id(f.c.jump) : ''}`).join('/');
  const work: Array<[Piece, string]> = [];
  const queued = new Set<string>();
  const push = (piece: Piece, frames: readonly Pending[], state: State): void => {
    if (frames.length > 64) return; // defensive: a frame is pushed only when entering a finally block from outside
    const mk = keyOfFrames(frames);
    modes.set(mk, frames);
    const k = `${piece.id}|${mk}`;
    const joined = problem.join(modeIn.get(k), state);
    if (joined === undefined) return;
    modeIn.set(k, joined);
    const pj = problem.join(pieceIn.get(piece.id), state);
    if (pj !== undefined) pieceIn.set(piece.id, pj);
    const sj = problem.join(inState.get(piece.seg.id), state);
    if (sj !== undefined) inState.set(piece.seg.id, sj);
    if (!queued.has(k)) {
      queued.add(k);
      work.push([piece, mk]);
    }
  };
  const exit = (seg: Segment, how: Mode, state: State): void => {
    for (const s of g.exitSegments(seg, how)) {
      let perMode = outByMode.get(s.id);
      if (!perMode) outByMode.set(s.id, (perMode = new Map<Mode, State>()));
      const joined = problem.join(perMode.get(how), state);
      if (joined !== undefined) perMode.set(how, joined);
    }
  };
  /** Ordinary (non-jump) control from the end of `p` into `q`: checks for handler regions, frames for finally blocks. */
  const ordinary = (p: Piece, q: Piece, frames: readonly Pending[], state: State): void => {
    const target = q.events[0] ?? flow.events.startNode(q.seg.id);
    const source = g.position(p);
    if (target) {
      for (const region of handlerRegions(target, flow.node)) {
        if (source && contains(region, source)) break;
        if (region.type === AST_NODE_TYPES.CatchClause) {
          // Only a routed throw enters a catch block, unless the problem follows ESLint's edges into this one (at
          // its start: ESLint also links pieces of unreachable code deeper inside it).
          if (problem.entersCatch?.(region) && g.entries(region).includes(q)) continue;
          return;
        }
        if (!q.enters.includes(region) || g.isLeavingEntry(q, region)) return;
      }
    }
    const entered = source ? q.enters.filter((f) => !contains(f, source)) : q.enters;
    push(q, entered.length > 0 ? [...frames, ...entered.map((fin): Pending => ({ fin, c: { k: 'normal' } }))] : frames, state);
  };
  const routed = (p: Piece, c: Completion, frames: readonly Pending[], from: TSESTree.Node, state: State): void => {
    const r = g.route(c, frames, from);
    if ('exit' in r) {
      exit(p.seg, r.exit, state);
      return;
    }
    for (const q of r.to) push(q, r.frames, state);
  };

  const finallyThrows = new Map<TSESTree.Node, boolean>();
  /** Does the finally block make a call, a `new` or an `await` (of its own code, as recorded)? */
  const finallyMayThrow = (fin: TSESTree.Node): boolean => {
    let known = finallyThrows.get(fin);
    if (known === undefined) {
      known = g.pieces.some((p) => p.events.some((e) => (e.type === AST_NODE_TYPES.CallExpression || e.type === AST_NODE_TYPES.NewExpression || e.type === AST_NODE_TYPES.AwaitExpression) && contains(fin, e)));
      finallyThrows.set(fin, known);
    }
    return known;
  };
  push(g.first(flow.codePath.initialSegment), [], problem.entry);
  let head = 0;
  let guard = 0;
  const limit = 400_000 + g.pieces.length * 192;
  while (head < work.length) {
    if (++guard > limit) break; // defensive: facts are finite, this never triggers on a monotone problem
    const [piece, mk] = work[head++];
    const k = `${piece.id}|${mk}`;
    queued.delete(k);
    const frames = modes.get(mk)!;
    let state = modeIn.get(k) as State;
    for (const node of piece.events) {
      const before = state;
      state = problem.transfer(state, node, piece.seg);
      const thrown = problem.throwsAt?.(state, node, before);
      if (thrown !== undefined) routed(piece, { k: 'throw' }, frames, node, thrown);
    }
    const last = piece.events[piece.events.length - 1];
    const isLastPiece = piece.next === undefined;
    if (isLastPiece) {
      const joinedOut = problem.join(outState.get(piece.seg.id), state);
      if (joinedOut !== undefined) outState.set(piece.seg.id, joinedOut);
    }
    if (last && (last.type === AST_NODE_TYPES.ReturnStatement || last.type === AST_NODE_TYPES.ThrowStatement)) {
      routed(piece, { k: last.type === AST_NODE_TYPES.ReturnStatement ? 'return' : 'throw' }, frames, last, state);
      continue;
    }
    if (last && (last.type === AST_NODE_TYPES.BreakStatement || last.type === AST_NODE_TYPES.ContinueStatement)) {
      const target = jumpTarget(last);
      if (target) routed(piece, { k: last.type === AST_NODE_TYPES.BreakStatement ? 'break' : 'continue', jump: last, target }, frames, last, state);
      continue;
    }
    if (last && isFinalizer(last)) {
      // The end of a finally block: resume the completion pending there.
      const i = frames.map((f) => f.fin).lastIndexOf(last);
      if (i >= 0) {
        const c = frames[i].c;
        const rest = frames.slice(0, i);
        if (c.k !== 'normal') {
          routed(piece, c, rest, last.parent as TSESTree.TryStatement, state);
          // A finally block that a jump runs (`break`, `continue`, `return`) may itself throw (a call in it): into an
          // enclosing catch block the problem enters (see `ordinary`), as ESLint's edges do for some of these jumps
          // and not for others.
          if (c.k !== 'throw' && problem.entersCatch && finallyMayThrow(last)) {
            const r = g.route({ k: 'throw' }, rest, last.parent as TSESTree.TryStatement);
            if (!('exit' in r)) {
              for (const q of r.to) {
                const at = q.events[0] ?? flow.events.startNode(q.seg.id);
                const clause = at ? handlerRegions(at, flow.node).find((region) => region.type === AST_NODE_TYPES.CatchClause) : undefined;
                if (clause?.type === AST_NODE_TYPES.CatchClause && problem.entersCatch(clause)) push(q, r.frames, state);
              }
            }
          }
        } else if (piece.next) {
          ordinary(piece, piece.next, rest, state);
        }
        continue;
      }
    }
    if (piece.next) {
      ordinary(piece, piece.next, frames, state);
      continue;
    }
    if (g.isFinal(piece.seg)) exit(piece.seg, Mode.Normal, state);
    // In code ESLint sees as unreachable (a finally block entered only by jumps) its edges are kept as allNextSegments.
    const decide = flow.recorder.decide;
    for (const nextSeg of piece.seg.reachable ? piece.seg.nextSegments : allNext(piece.seg)) {
      let edgeState = state;
      const branch = problem.edge || decide ? branchOf(flow, piece.seg, nextSeg) : undefined;
      if (decide) {
        // A branch the types rule out is never taken.
        if (branch ? decide(branch.test) === !branch.value : switchFallsOut(flow, piece.seg, nextSeg, decide)) continue;
      }
      if (branch && problem.edge) edgeState = problem.edge(state, branch);
      ordinary(piece, g.first(nextSeg), frames, edgeState);
    }
  }
  return { inState, outState, outByMode, pieceIn };
}

/** Is `node` evaluated on some path of the solved flow (in a reached piece)? */
export function reaches<State>(flow: FunctionFlow, result: ForwardResult<State>, node: TSESTree.Node): boolean {
  return graphOf(flow).pieces.some((p) => result.pieceIn.has(p.id) && p.events.includes(node));
}

/**
 * Replays every reached piece of a solved flow from its in-state, calling `visit` with the state before and
 * after each node: how analyses read the solution at a node.
 */
export function replay<State>(
  flow: FunctionFlow,
  problem: ForwardProblem<State>,
  result: ForwardResult<State>,
  visit: (before: State, node: TSESTree.Node, after: State) => void,
): void {
  for (const piece of graphOf(flow).pieces) {
    let state = result.pieceIn.get(piece.id);
    if (state === undefined) continue;
    for (const node of piece.events) {
      const after = problem.transfer(state, node, piece.seg);
      visit(state, node, after);
      state = after;
    }
  }
}
