import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import {
  alwaysExitsProcess,
  alwaysThrows,
  handlesUncaught,
  bindCallOn,
  calleeName,
  climbValue,
  contains,
  methodCallOn,
  stringValue,
  unwrap,
  enclosingFunction,
  type FunctionNode,
} from '../engine/ast';
import { isCloseOrErrorEvent } from '../kinds/kind';
import { REMOVE_LISTENER_METHODS } from '../kinds/vocabulary';
import type { FileModel } from './file-model';
import { kill, type Resource } from './resource';

/** Callbacks and local functions that take a resource over: they release it or hand it off on some path. */
export class Delegations {
  constructor(private readonly m: FileModel) {}

  /**
   * A function that releases or hands off the socket on some path takes it over where the function value is
   * handed somewhere (a listener, a timer, a promise callback) or called. Records those points as kills.
   * Work per resource is proportional to its kills and to the places of the functions that release it.
   */
  add(r: Resource): void {
    const releasing = this.releasingFunctions(r);
    this.releasingEmits(r, releasing);
    r.releasesInside = (fn) => releasing.has(fn);
    const excluded = new Set<TSESTree.Node>();
    for (const reg of r.registrations) {
      if (reg.via === 'listener' && isCloseOrErrorEvent(r.kind, reg.event)) excluded.add(reg.fnNode);
    }
    const { valueSites, callSites } = this.m.syntax;
    for (const fn of releasing) {
      for (const node of valueSites.get(fn) ?? []) {
        if (!contains(r.ownerNode, node) || excluded.has(node) || unregisters(node)) continue;
        handOver(r, node, (target) => {
          const v = this.m.variableOf(target);
          return !!v && !this.m.isLocalTo(v, r.ownerNode) && v.defs.length > 0;
        });
      }
      // A call of a local function, or of a `this`/`self` method, that releases the socket.
      for (const call of callSites.get(fn) ?? []) {
        if (contains(r.ownerNode, call) && !contains(fn, call)) kill(r, call, 'release');
      }
    }
  }

  /**
   * `socket.emit('fail')` runs the socket's own 'fail' listeners before it returns: where one of them releases it, the
   * emit releases it (and the functions around the emit release it on that path).
   */
  private releasingEmits(r: Resource, releasing: Set<FunctionNode>): void {
    const events = new Set<string>();
    for (const reg of r.registrations) {
      if (reg.via === 'listener' && reg.event !== undefined && reg.fn && releasing.has(reg.fn)) events.add(reg.event);
    }
    if (events.size === 0) return;
    const sites: TSESTree.Node[] = [...r.aliases].flatMap((v) => v.references.map((ref) => ref.identifier));
    // A socket held in a field is reached through the field too (`this.sock.emit('error', e)`), in the whole class.
    const field = r.field;
    if (field) sites.push(...this.m.fieldMembers(field));
    for (const site of sites) {
      const mc = methodCallOn(site);
      const event = mc?.name === 'emit' ? stringValue(mc.call.arguments[0]) : undefined;
      if (!mc || event === undefined || !events.has(event) || !(contains(r.ownerNode, mc.call) || (field && contains(field.cls.body, mc.call)))) continue;
      kill(r, mc.call, 'release');
      for (let fn = enclosingFunction(mc.call); fn && (contains(r.ownerNode, fn) || (field && contains(field.cls.body, fn))); fn = enclosingFunction(fn)) releasing.add(fn);
    }
  }

  /**
   * The functions that release or hand off the resource on some path: those that contain one of its kills, and
   * (up to six calls deep) those that call such a function or hand it on by name.
   */
  private releasingFunctions(r: Resource): Set<FunctionNode> {
    const out = new Set<FunctionNode>();
    let frontier: FunctionNode[] = [];
    const addEnclosing = (from: TSESTree.Node, except?: FunctionNode): void => {
      for (let fn = enclosingFunction(from); fn; fn = enclosingFunction(fn)) {
        // The owner (and what encloses it): calling it again makes another socket, it releases none of this one's
        // (`catch { this.retry(); }` with `retry()` arming a timer that runs the owner again).
        if (fn === r.ownerNode) break;
        if (fn === except || out.has(fn)) continue;
        out.add(fn);
        frontier.push(fn);
      }
    };
    for (const [node, ops] of r.ops) if (ops.some((o) => o.t === 'kill')) addEnclosing(node);
    // A callback or listener of it that ends the process on every run (`net.connect(path, () => { log('in use');
    // process.exit(1); })`) ends its life there as a release would.
    // So does one that always throws, in a module that handles no uncaught exception: the throw ends the process.
    const keys = this.m.sourceCode.visitorKeys;
    for (const reg of r.registrations) {
      const ends = (fn: FunctionNode): boolean =>
        alwaysExitsProcess(fn, keys) || ((reg.via === 'listener' || reg.via === 'callback') && alwaysThrows(fn, keys) && !handlesUncaught(this.m.sourceCode.text));
      if (reg.fn && reg.fn !== r.ownerNode && !out.has(reg.fn) && ends(reg.fn)) {
        out.add(reg.fn);
        frontier.push(reg.fn);
        // Registered inside another callback of it (`net.connect(opts, () => { s.on('end', () => process.exit()) })`):
        // that one ends its life on some path too, as it would by registering a listener that releases it.
        addEnclosing(reg.fn);
      }
    }
    const { callSites, valueSites } = this.m.syntax;
    for (let depth = 0; depth < 6 && frontier.length > 0; depth++) {
      const current = frontier;
      frontier = [];
      for (const fn of current) {
        for (const call of callSites.get(fn) ?? []) addEnclosing(call, fn);
        // Handed on by name from another function (`setTimeout(close, 30)` in a listener): that one takes it over.
        // (Not by a removal of it as a listener, `socket.off('open', onOpen)`: nothing runs it there.)
        for (const site of valueSites.get(fn) ?? []) if (site !== fn && !unregisters(site)) addEnclosing(site, fn);
      }
    }
    return out;
  }
}

/** `socket.off('open', onOpen)`, `removeListener(…)`: `node` is the listener a call unregisters (it runs nothing). */
function unregisters(node: TSESTree.Node): boolean {
  const value = climbValue(node);
  const call = value.parent;
  return call?.type === AST_NODE_TYPES.CallExpression && call.arguments[1] === value && REMOVE_LISTENER_METHODS.has(calleeName(call) ?? '');
}

/** `node` evaluates to a function that releases the resource: where the function goes, it takes it over. */
export function handOver(r: Resource, node: TSESTree.Node, outerVariable?: (target: TSESTree.Node) => boolean): void {
  let value = climbValue(node);
  // `function () { … }.bind(this)`: the bound function goes where the `bind()` call's value goes.
  const bound = bindCallOn(value);
  if (bound) value = climbValue(bound);
  const p = value.parent;
  if (!p) return;
  if ((p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) && p.arguments.includes(value as TSESTree.CallExpressionArgument)) {
    // Handed to a call (a listener, a timer, the creation's own callback): taken over when the call runs.
    kill(r, p, 'delegate');
    // Handed on before the socket is made (`bus.once('ready', finish)` with a hoisted `function finish() {
    // client.end() }`): it runs after the function has made it, so it takes it over from its creation on.
    if (p.range[1] <= r.report.range[0] && enclosingFunction(p) === r.ownerNode) kill(r, r.start ?? r.report, 'delegate');
  } else if (p.type === AST_NODE_TYPES.CallExpression && p.callee === value) {
    kill(r, p, 'release');
  } else if (p.type === AST_NODE_TYPES.AssignmentExpression && p.right === value && unwrap(p.left).type === AST_NODE_TYPES.MemberExpression) {
    kill(r, p, 'delegate');
    // Stored before the socket is made (`this.close = () => socket?.end(); socket = net.connect(…)`): the object
    // holds a function that releases whatever the variable holds, so it owns the socket from its creation on.
    if (p.range[1] <= r.report.range[0] && enclosingFunction(p) === r.ownerNode) kill(r, r.start ?? r.report, 'delegate');
  } else if (p.type === AST_NODE_TYPES.AssignmentExpression && p.right === value && outerVariable?.(p.left)) {
    // Stored in a variable declared outside the owner (`getNextRows = () => cursor.read(n, onRows)`): whoever calls
    // it later runs the release, as with a field.
    kill(r, p, 'delegate');
  } else if (
    p.type === AST_NODE_TYPES.ReturnStatement ||
    p.type === AST_NODE_TYPES.Property ||
    p.type === AST_NODE_TYPES.ArrayExpression ||
    (p.type === AST_NODE_TYPES.ArrowFunctionExpression && p.body === value)
  ) {
    kill(r, node, 'delegate');
    // In an options object given before the socket is made (`aedes({ preConnect() { setImmediate(finish) } })`).
    if (p.type !== AST_NODE_TYPES.ReturnStatement && node.range[1] <= r.report.range[0] && enclosingFunction(node) === r.ownerNode) kill(r, r.start ?? r.report, 'delegate');
  }
}
