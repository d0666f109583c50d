import type { TSESLint, TSESTree } from '@typescript-eslint/utils';

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
    const start = (segment: Segment): void => {
      const top = this.stack[this.stack.length - 1];
      if (!top) return;
      top.current.push(segment);
      top.flow.segments.set(segment.id, segment);
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

export function solveForward<State>(flow: FunctionFlow, problem: ForwardProblem<State>): ForwardResult<State> {
  const inState = new Map<string, State>();
  const outState = new Map<string, State>();
  const initial = flow.codePath.initialSegment;
  inState.set(initial.id, problem.entry);
  const work: Segment[] = [initial];
  const queued = new Set<string>([initial.id]);
  let guard = 0;
  const limit = 200_000 + flow.segments.size * 64;
  while (work.length > 0) {
    if (++guard > limit) break; // defensive: facts are finite, this never triggers on a monotone problem
    const segment = work.shift() as Segment;
    queued.delete(segment.id);
    let state = inState.get(segment.id) as State;
    for (const node of flow.events.get(segment.id) ?? []) state = problem.transfer(state, node, segment);
    outState.set(segment.id, state);
    for (const next of segment.nextSegments) {
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
