import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { contains, type FunctionNode } from '../engine/ast';
import { Mode, modeAfterSegment, solveForward, type ForwardProblem, type FunctionFlow } from '../engine/flow';
import { provesNoResource, provesSet } from '../model/guards';
import type { Variable } from '../model/bindings';
import type { Resource } from '../model/resource';

/**
 * After a settle: `null` — no socket open; `idle` — created, holding nothing yet ({@link Op} `open`); `open` — open,
 * not settled yet; a node — open since that settle call. Ordered null < idle < open < settled, so that a settle
 * that some path carries to an exit wins the join.
 */
type SettleState = null | 'idle' | 'open' | 'promised' | TSESTree.Node;

/** Open since a settle call (the node of that call). */
function settledAt(s: SettleState): s is TSESTree.Node {
  return s !== null && s !== 'idle' && s !== 'open' && s !== 'promised';
}

function rank(s: SettleState | undefined): number {
  if (s === undefined) return -1;
  if (s === null) return 0;
  if (s === 'idle') return 0.5;
  if (s === 'promised') return 0.75;
  return s === 'open' ? 1 : 2;
}

/**
 * Settle calls (`reject(err)`, `callback(err)`) made while the socket is open, that some path carries to the end of
 * the function they are in with the socket still open. A release after the settle on the same path
 * (`reject(err); sock.destroy();`) covers it: the order after the settle does not matter. `failedOpenError`: the
 * error parameter of `flow`'s function when that function is the callback of the resource's first use, an operation
 * whose failure leaves it as it was ({@link ResourceKind.rejectionCloses}): where it is set, the resource is idle.
 * `rejects`: awaits in `flow` that reject into a catch block of it (see the caller), routed there as throws;
 * `rejectsBefore`: operations on the resource there whose failure leaves it as it was before them
 * ({@link ResourceKind.rejectionCloses}), routed with the state before them.
 */
export function settlesLeftOpen(
  r: Resource,
  flow: FunctionFlow,
  entryOpen: boolean,
  settles: ReadonlySet<TSESTree.Node>,
  functionOf: (node: TSESTree.Node) => FunctionNode | undefined,
  failedOpenError?: Variable,
  rejects: ReadonlySet<TSESTree.Node> = new Set(),
  rejectsBefore: ReadonlySet<TSESTree.Node> = new Set(),
): Set<TSESTree.Node> {
  const releases = [...r.ops].filter(([, ops]) => ops.some((o) => o.t === 'kill' && o.why === 'release')).map(([n]) => n);
  /** A callback handed over here releases the socket (a hand-off to the caller is void once the operation settled). */
  const delegateReleases = (node: TSESTree.Node): boolean => {
    const args =
      node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression
        ? node.arguments
        : node.type === AST_NODE_TYPES.AssignmentExpression
          ? [node.right]
          : [];
    return args.some((a) => {
      const fn = functionOf(a);
      return !!fn && releases.some((n) => contains(fn, n));
    });
  };
  const problem: ForwardProblem<SettleState> = {
    entry: entryOpen ? 'open' : null,
    transfer(state, node) {
      let s = state;
      for (const op of r.ops.get(node) ?? []) {
        if (op.t === 'create') s = op.idle ? 'idle' : 'open';
        else if (op.t === 'open') s = s === 'idle' ? 'open' : s;
        else if (op.t === 'overwrite') s = null;
        // Once settled, resolving the socket to the caller no longer reaches anyone.
        else if (settledAt(s) && op.why === 'escape' && op.success) continue;
        else if (settledAt(s) && op.why === 'delegate' && !delegateReleases(node)) continue;
        // Handed to a callback that only settles the operation with it: promised until that runs, and a settle
        // before that (`return reject(err)`) leaves it to nobody.
        else if (s === 'open' && op.why === 'delegate' && !delegateReleases(node) && delegateSettlesWithIt(r, node, functionOf)) s = 'promised';
        else s = null;
      }
      if (s !== null && s !== 'idle' && settles.has(node)) s = node;
      return s;
    },
    join(existing, incoming) {
      return rank(incoming) > rank(existing) ? incoming : undefined;
    },
    // An awaited operation on the resource that rejects goes to the catch block around it, the resource as it was.
    throwsAt(state, node, before) {
      const thrown = rejectsBefore.has(node) ? before : rejects.has(node) ? state : null;
      return thrown !== null && thrown !== 'idle' ? thrown : undefined;
    },
    edge(state, branch) {
      if (state !== null && provesNoResource(branch.test, branch.value, r)) return null;
      // The callback of a first use that failed (see the caller): the resource holds nothing yet.
      if (state === 'open' && failedOpenError && provesSet(branch.test, branch.value, failedOpenError)) return 'idle';
      return state;
    },
  };
  const result = solveForward(flow, problem);
  const out = new Set<TSESTree.Node>();
  const thrown = new Set(flow.codePath.thrownSegments.map((s) => s.id));
  const returned = new Set(flow.codePath.returnedSegments.map((s) => s.id));
  for (const seg of flow.codePath.finalSegments) {
    for (const [mode, state] of result.outByMode.get(seg.id) ?? []) {
      if (!settledAt(state)) continue;
      const after = modeAfterSegment(flow, seg, mode);
      if (after === Mode.Throwing ? !thrown.has(seg.id) : !returned.has(seg.id)) continue;
      out.add(state);
    }
  }
  return out;
}

/**
 * Does a callback given in this call settle the operation with the resource (`s.once('listening', () => resolve(s))`:
 * a successful hand-off inside it)?
 */
export function delegateSettlesWithIt(r: Resource, node: TSESTree.Node, functionOf: (node: TSESTree.Node) => FunctionNode | undefined): boolean {
  const args = node.type === AST_NODE_TYPES.CallExpression || node.type === AST_NODE_TYPES.NewExpression ? node.arguments : [];
  return args.some((a) => {
    const fn = functionOf(a);
    return !!fn && [...r.ops].some(([n, ops]) => contains(fn, n) && ops.some((o) => o.t === 'kill' && o.why === 'escape' && o.success));
  });
}
