import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';

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
  done = false;

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
        if (this.stack.length === 0) this.done = true;
      },
      onCodePathSegmentStart: start,
      onUnreachableCodePathSegmentStart: start,
      onCodePathSegmentEnd: end,
      onUnreachableCodePathSegmentEnd: end,
      '*:exit': (node: TSESTree.Node) => {
        const top = this.stack[this.stack.length - 1];
        if (!top || node === top.flow.node) return;
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
}

export interface ForwardResult<State> {
  /** State at the start of each reached segment. */
  readonly inState: Map<string, State>;
  /** State at the end of each reached segment. */
  readonly outState: Map<string, State>;
}

const JUMP_TYPES = new Set<string>([
  AST_NODE_TYPES.ThrowStatement,
  AST_NODE_TYPES.ReturnStatement,
  AST_NODE_TYPES.BreakStatement,
  AST_NODE_TYPES.ContinueStatement,
]);

/**
 * ESLint's code paths let a `try` block reach its `catch` (and a `finally` leave by the thrown path) from its first
 * expression and from its normal end, as if any expression could throw. The analysis models explicit `throw`
 * statements only: an implicit exception edge is dropped, so `try { s.write() } catch { s.destroy() }` does not
 * make the code after it see a destroyed socket, and a call inside `try/finally` does not leak through a throw.
 */
export function isImplicitExceptionEdge(flow: FunctionFlow, from: Segment, to: Segment): boolean {
  const key = `${from.id}>${to.id}`;
  const cached = flow.implicitEdges.get(key);
  if (cached !== undefined) return cached;
  const result = computeImplicit(flow, from, to);
  flow.implicitEdges.set(key, result);
  return result;
}

/** The innermost catch clause or finally block that contains `node` (within its function). */
function handlerRegion(node: TSESTree.Node): TSESTree.Node | undefined {
  let child: TSESTree.Node = node;
  let n = node.parent;
  while (n) {
    if (n.type === AST_NODE_TYPES.FunctionDeclaration || n.type === AST_NODE_TYPES.FunctionExpression || n.type === AST_NODE_TYPES.ArrowFunctionExpression) {
      return undefined;
    }
    if (n.type === AST_NODE_TYPES.CatchClause) return n;
    if (n.type === AST_NODE_TYPES.TryStatement && n.finalizer === child) return child;
    child = n;
    n = n.parent;
  }
  return undefined;
}

function inside(outer: TSESTree.Node, inner: TSESTree.Node): boolean {
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

function computeImplicit(flow: FunctionFlow, from: Segment, to: Segment): boolean {
  const start = flow.startNode.get(to.id);
  if (!start) return false;
  const region = start.type === AST_NODE_TYPES.CatchClause ? start : handlerRegion(start) ?? (isFinalizer(start) ? start : undefined);
  if (!region) return false;
  const events = flow.events.get(from.id);
  const last = events && events.length > 0 ? events[events.length - 1] : undefined;
  const position = last ?? flow.startNode.get(from.id);
  if (position && inside(region, position)) return false; // an edge within the handler
  // A pred with no events is the head forked at the try block's first throwable expression.
  if (!last) return true;
  if (region.type === AST_NODE_TYPES.CatchClause) {
    if (last.type === AST_NODE_TYPES.ThrowStatement) return false;
    // The thrown path of a nested try/finally ends with the end of that finally block.
    if (isFinalizer(last)) return false;
    return true;
  }
  const tryStatement = region.parent as TSESTree.TryStatement;
  if (JUMP_TYPES.has(last.type)) return false;
  const isNormalEnd = (seg: Segment): boolean => {
    const evs = flow.events.get(seg.id);
    const l = evs && evs.length > 0 ? evs[evs.length - 1] : undefined;
    return !!l && (l === tryStatement.block || l === tryStatement.handler || l === tryStatement.handler?.body);
  };
  if (isNormalEnd(from)) {
    // ESLint runs the finally block in parallel copies: one for the normal end, and a "leaving" copy for
    // returns and throws, which it also links from the normal end. That link is not a real path.
    return to.prevSegments.some((p) => !isNormalEnd(p));
  }
  if (isFinalizer(last)) return false;
  return true;
}

function isFinalizer(node: TSESTree.Node): boolean {
  return node.parent?.type === AST_NODE_TYPES.TryStatement && node.parent.finalizer === node;
}

export function solveForward<State>(flow: FunctionFlow, problem: ForwardProblem<State>): ForwardResult<State> {
  const inState = new Map<string, State>();
  const outState = new Map<string, State>();
  const initial = flow.codePath.initialSegment;
  inState.set(initial.id, problem.entry);
  const work: Segment[] = [initial];
  let head = 0;
  const queued = new Set<string>([initial.id]);
  let guard = 0;
  const limit = 200_000 + flow.segments.size * 64;
  while (head < work.length) {
    if (++guard > limit) break; // defensive: facts are finite, this never triggers on a monotone problem
    const segment = work[head++];
    queued.delete(segment.id);
    let state = inState.get(segment.id) as State;
    for (const node of flow.events.get(segment.id) ?? []) state = problem.transfer(state, node, segment);
    outState.set(segment.id, state);
    for (const next of segment.nextSegments) {
      if (isImplicitExceptionEdge(flow, segment, next)) continue;
      const joined = problem.join(inState.get(next.id), state);
      if (joined === undefined) continue;
      inState.set(next.id, joined);
      if (!queued.has(next.id)) {
        queued.add(next.id);
        work.push(next);
      }
    }
  }
  return { inState, outState };
}

/** Replays one segment from its in-state, calling `visit` with the state before each node. */
export function replaySegment<State>(
  flow: FunctionFlow,
  problem: ForwardProblem<State>,
  result: ForwardResult<State>,
  segment: Segment,
  visit: (state: State, node: TSESTree.Node) => void,
): void {
  let state = result.inState.get(segment.id);
  if (state === undefined) return;
  for (const node of flow.events.get(segment.id) ?? []) {
    visit(state, node);
    state = problem.transfer(state, node, segment);
  }
}
