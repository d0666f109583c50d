import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { contains, isFinalizer, isFunction } from './ast';

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
  /** Nodes evaluated in each segment, keyed by segment id, in order. */
  readonly events: Map<string, TSESTree.Node[]>;
  /** All segments seen, reachable or not, keyed by id. */
  readonly segments: Map<string, Segment>;
  /** Segments of the parent in which this function's closure is created. */
  readonly createdIn: readonly Segment[];
  /** The node being entered when each segment started. */
  readonly startNode: Map<string, TSESTree.Node>;
  /** Cache of {@link isImplicitExceptionEdge}. */
  readonly implicitEdges: Map<string, boolean>;
}

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

interface Frame {
  flow: FunctionFlow;
  current: Segment[];
}

/**
 * Records code paths through the rule listener protocol. ESLint 9 removed `codePath.currentSegments`, so the
 * current segments are tracked here from the segment start/end events.
 */
export class FlowRecorder {
  readonly flows: FunctionFlow[] = [];
  readonly flowByNode = new Map<TSESTree.Node, FunctionFlow>();
  /** For every recorded node, the flow it was evaluated in. */
  readonly flowOfNode = new Map<TSESTree.Node, FunctionFlow>();
  private readonly stack: Frame[] = [];

  listeners(): TSESLint.RuleListener {
    const start = (segment: Segment, node: TSESTree.Node): void => {
      const top = this.stack[this.stack.length - 1];
      if (!top) return;
      top.current.push(segment);
      top.flow.segments.set(segment.id, segment);
      top.flow.startNode.set(segment.id, node);
    };
    const end = (segment: Segment): void => {
      const top = this.stack[this.stack.length - 1];
      if (!top) return;
      const i = top.current.indexOf(segment);
      if (i >= 0) top.current.splice(i, 1);
    };
    return {
      onCodePathStart: (codePath: CodePath, node: TSESTree.Node) => {
        const parentFrame = this.stack[this.stack.length - 1];
        const flow: FunctionFlow = {
          node,
          codePath,
          parent: parentFrame?.flow,
          events: new Map(),
          segments: new Map(),
          createdIn: parentFrame ? [...parentFrame.current] : [],
          startNode: new Map(),
          implicitEdges: new Map(),
        };
        if (parentFrame) this.record(parentFrame, node);
        this.flows.push(flow);
        this.flowByNode.set(node, flow);
        this.stack.push({ flow, current: [] });
      },
      onCodePathEnd: () => {
        this.stack.pop();
      },
      onCodePathSegmentStart: start,
      onUnreachableCodePathSegmentStart: start,
      onCodePathSegmentEnd: end,
      onUnreachableCodePathSegmentEnd: end,
      '*:exit': (node: TSESTree.Node) => {
        const top = this.stack[this.stack.length - 1];
        if (!top || node === top.flow.node) return;
        // Type annotations are never evaluated; keep the event lists to what runs.
        if (node.type.startsWith('TS') && !RUNTIME_TS_NODES.has(node.type)) return;
        this.record(top, node);
      },
    } as unknown as TSESLint.RuleListener;
  }

  private record(frame: Frame, node: TSESTree.Node): void {
    this.flowOfNode.set(node, frame.flow);
    for (const segment of frame.current) {
      let list = frame.flow.events.get(segment.id);
      if (!list) {
        list = [];
        frame.flow.events.set(segment.id, list);
      }
      list.push(node);
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
  const p = last?.parent;
  if (!last || !p) return undefined;
  let taken: TSESTree.Node | null | undefined;
  switch (p.type) {
    case AST_NODE_TYPES.IfStatement:
    case AST_NODE_TYPES.ConditionalExpression:
      if (p.test !== last) return undefined;
      taken = p.consequent;
      break;
    case AST_NODE_TYPES.WhileStatement:
    case AST_NODE_TYPES.ForStatement:
      if (p.test !== last) return undefined;
      taken = p.body;
      break;
    case AST_NODE_TYPES.MemberExpression:
      // `s?.m()`: the edge that goes on to `.m` is taken when `s` is not nullish, the other short-circuits.
      if (!p.optional || p.object !== last) return undefined;
      taken = p.property;
      break;
    default:
      return undefined;
  }
  const start = flow.startNode.get(to.id);
  return { test: last, value: !!start && !!taken && (start === taken || contains(taken, start)) };
}

export interface ForwardResult<State> {
  /** State at the start of each reached segment (joined over modes). */
  readonly inState: Map<string, State>;
  /** State at the end of each reached segment (joined over modes). */
  readonly outState: Map<string, State>;
  /** State at the end of each reached segment, per mode of leaving it. */
  readonly outByMode: Map<string, Map<Mode, State>>;
}


/**
 * How control is moving: normally, or leaving through `finally` blocks because of a `return` or an explicit
 * `throw`. ESLint's code paths run a `finally` block in parallel copies (one for the normal end, one "leaving"
 * copy for returns and throws) and let a `try` block reach its `catch` from its first expression and from its
 * normal end, as if any expression could throw. The analysis models explicit `throw` statements only, so it
 * follows the graph in the product of segments and modes:
 * - a `catch` block is entered only by an explicit throw in flight;
 * - a finally block's normal copy only in the normal mode, its leaving copy only by a return or throw in flight;
 * - `break`/`continue` (which ESLint does not route through `finally`) and entering a `catch` resume normal flow.
 */
export const Mode = { Normal: 0, Returning: 1, Throwing: 2 } as const;
export type Mode = (typeof Mode)[keyof typeof Mode];

function lastEvent(flow: FunctionFlow, seg: Segment): TSESTree.Node | undefined {
  const events = flow.events.get(seg.id);
  return events && events.length > 0 ? events[events.length - 1] : undefined;
}

const JUMPS = new Set<string>([
  AST_NODE_TYPES.ReturnStatement,
  AST_NODE_TYPES.ThrowStatement,
  AST_NODE_TYPES.BreakStatement,
  AST_NODE_TYPES.ContinueStatement,
]);

export function modeAfterSegment(flow: FunctionFlow, seg: Segment, mode: Mode): Mode {
  const last = lastEvent(flow, seg);
  if (!last) return mode;
  switch (last.type) {
    case AST_NODE_TYPES.ReturnStatement:
      return Mode.Returning;
    case AST_NODE_TYPES.ThrowStatement:
      return Mode.Throwing;
    case AST_NODE_TYPES.BreakStatement:
    case AST_NODE_TYPES.ContinueStatement:
      // Leaving the finally block cancels the return or throw in flight; a jump within it does not.
      return jumpStaysInFinally(last) ? mode : Mode.Normal;
    default:
      return mode;
  }
}

/** Is the target of this break/continue inside the same finally block as the jump? */
function jumpStaysInFinally(jump: TSESTree.BreakStatement | TSESTree.ContinueStatement): boolean {
  const label = jump.label?.name;
  let finalizer: TSESTree.Node | undefined;
  let child: TSESTree.Node = jump;
  for (let n: TSESTree.Node | undefined = jump.parent; n; child = n, n = n.parent) {
    if (n.type === AST_NODE_TYPES.TryStatement && n.finalizer === child) finalizer = child;
    const isTarget = label
      ? n.type === AST_NODE_TYPES.LabeledStatement && n.label.name === label
      : jump.type === AST_NODE_TYPES.BreakStatement
        ? n.type === AST_NODE_TYPES.SwitchStatement || isLoop(n)
        : isLoop(n);
    if (isTarget) return finalizer === undefined;
    if (finalizer) return false;
    if (isFunction(n)) break;
  }
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

/** The innermost catch clause or finally block that contains `node` (within its function). */
function handlerRegion(node: TSESTree.Node): TSESTree.Node | undefined {
  if (node.type === AST_NODE_TYPES.CatchClause || isFinalizer(node)) return node;
  let child: TSESTree.Node = node;
  let n = node.parent;
  while (n) {
    if (isFunction(n)) return undefined;
    if (n.type === AST_NODE_TYPES.CatchClause) return n;
    if (n.type === AST_NODE_TYPES.TryStatement && n.finalizer === child) return child;
    child = n;
    n = n.parent;
  }
  return undefined;
}



/**
 * Does a throw in flight leave `from` along its edges: is the segment's last event the `throw` itself or the end of
 * a finally block it passed? Any other edge into a handler is a fork at a "first throwable" expression: an
 * implicit exception, which the analysis does not model (in a finally block's leaving copy it would let the throw
 * skip the rest of the finally block).
 */
function explicitThrowEdge(flow: FunctionFlow, from: Segment): boolean {
  const last = lastEvent(flow, from);
  return !!last && (last.type === AST_NODE_TYPES.ThrowStatement || isFinalizer(last));
}

/** Where control goes along an edge in a mode: the mode after it, or undefined if the edge is not taken. */
export function edgeMode(flow: FunctionFlow, from: Segment, to: Segment, mode: Mode): Mode | undefined {
  const start = flow.startNode.get(to.id);
  const region = start ? handlerRegion(start) : undefined;
  if (!region) return mode;
  const position = lastEvent(flow, from) ?? flow.startNode.get(from.id);
  if (position && contains(region, position)) return mode; // an edge within the handler itself
  // Entering a catch block, however deep inside it the target is, takes an explicit throw in flight.
  for (let r: TSESTree.Node | undefined = region; r; r = r.parent ? handlerRegion(r.parent) : undefined) {
    if (position && contains(r, position)) break;
    if (r.type === AST_NODE_TYPES.CatchClause && r !== region) return mode === Mode.Throwing && start === r && explicitThrowEdge(flow, from) ? Mode.Normal : undefined;
  }
  if (region.type === AST_NODE_TYPES.CatchClause) return mode === Mode.Throwing && explicitThrowEdge(flow, from) ? Mode.Normal : undefined;
  // Only the segments that start the finally block are its copies; when nothing leaves through it, the block
  // simply continues the segment of the try block's end.
  if (start !== region) return mode;
  const leaving = isLeavingCopy(flow, to, region.parent as TSESTree.TryStatement);
  if (mode === Mode.Normal) return leaving ? undefined : mode;
  if (!leaving) return undefined;
  // A return or throw reaches the leaving copy from the jump itself or from the end of a nested finally block;
  // any other predecessor is a fork at a "first throwable" expression (an implicit exception).
  const last = lastEvent(flow, from);
  if (!last) return undefined;
  if (JUMPS.has(last.type) || isFinalizer(last)) return mode;
  return undefined;
}

/** Is this finally-entry segment the copy that runs for returns and throws? */
function isLeavingCopy(flow: FunctionFlow, to: Segment, tryStatement: TSESTree.TryStatement): boolean {
  const key = `leaving:${to.id}`;
  const cached = flow.implicitEdges.get(key);
  if (cached !== undefined) return cached;
  const isNormalEnd = (seg: Segment): boolean => {
    const l = lastEvent(flow, seg);
    return !!l && (l === tryStatement.block || l === tryStatement.handler || l === tryStatement.handler?.body);
  };
  const result = to.prevSegments.some((p) => !isNormalEnd(p));
  flow.implicitEdges.set(key, result);
  return result;
}

export function solveForward<State>(flow: FunctionFlow, problem: ForwardProblem<State>): ForwardResult<State> {
  const inState = new Map<string, State>();
  const outState = new Map<string, State>();
  const modeIn = new Map<string, State>();
  const outByMode = new Map<string, Map<Mode, State>>();
  const initial = flow.codePath.initialSegment;
  const key = (id: string, mode: Mode): string => `${id}|${mode}`;
  modeIn.set(key(initial.id, Mode.Normal), problem.entry);
  inState.set(initial.id, problem.entry);
  const work: Array<[Segment, Mode]> = [[initial, Mode.Normal]];
  let head = 0;
  const queued = new Set<string>([key(initial.id, Mode.Normal)]);
  let guard = 0;
  const limit = 400_000 + flow.segments.size * 192;
  while (head < work.length) {
    if (++guard > limit) break; // defensive: facts are finite, this never triggers on a monotone problem
    const [segment, mode] = work[head++];
    const k = key(segment.id, mode);
    queued.delete(k);
    let state = modeIn.get(k) as State;
    for (const node of flow.events.get(segment.id) ?? []) state = problem.transfer(state, node, segment);
    let perMode = outByMode.get(segment.id);
    if (!perMode) {
      perMode = new Map();
      outByMode.set(segment.id, perMode);
    }
    perMode.set(mode, state);
    const joinedOut = problem.join(outState.get(segment.id), state);
    if (joinedOut !== undefined) outState.set(segment.id, joinedOut);
    const after = modeAfterSegment(flow, segment, mode);
    for (const next of segment.nextSegments) {
      const nextMode = edgeMode(flow, segment, next, after);
      if (nextMode === undefined) continue;
      const nk = key(next.id, nextMode);
      let edgeState = state;
      if (problem.edge) {
        const branch = branchOf(flow, segment, next);
        if (branch) edgeState = problem.edge(state, branch);
      }
      const joined = problem.join(modeIn.get(nk), edgeState);
      if (joined === undefined) continue;
      modeIn.set(nk, joined);
      const joinedIn = problem.join(inState.get(next.id), edgeState);
      if (joinedIn !== undefined) inState.set(next.id, joinedIn);
      if (!queued.has(nk)) {
        queued.add(nk);
        work.push([next, nextMode]);
      }
    }
  }
  return { inState, outState, outByMode };
}

/**
 * Replays every reached segment of a solved flow from its in-state, calling `visit` with the state before and
 * after each node: how analyses read the solution at a node.
 */
export function replay<State>(
  flow: FunctionFlow,
  problem: ForwardProblem<State>,
  result: ForwardResult<State>,
  visit: (before: State, node: TSESTree.Node, after: State) => void,
): void {
  for (const segment of flow.segments.values()) {
    let state = result.inState.get(segment.id);
    if (state === undefined) continue;
    for (const node of flow.events.get(segment.id) ?? []) {
      const after = problem.transfer(state, node, segment);
      visit(state, node, after);
      state = after;
    }
  }
}
