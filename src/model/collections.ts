import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import {
  calleeName,
  climbValue,
  contains,
  methodCallOn,
  ownReturns,
  propertyName,
  isZeroLiteral,
  stringValue,
  thisClass,
  thisMemberName,
  unwrap,
  wholeCopyOf,
  type FunctionNode,
} from '../engine/ast';
import { recover } from '../engine/strict';
import { LISTENER_METHODS } from '../kinds/vocabulary';
import { releasedBeforeEvent } from '../kinds/kind';
import type { ClassNode, Variable } from './bindings';
import { allSettlingCall } from './calls';
import type { FileModel } from './file-model';
import { addOp, kill, type Resource } from './resource';

const CONTAINER_ITERATE = new Set(['forEach', 'map', 'flatMap', 'filter', 'some', 'every', 'reduce']);
const CONTAINER_TAKE = new Set(['pop', 'shift', 'at', 'get', 'find', 'findLast']);
const ADD_METHODS = new Set(['push', 'unshift', 'add', 'set']);

/** A call that adds the resource to a collection held by a field: `this.<field>.add(s)`, `.push(s)`, `.set(key, s)`. */
export interface FieldCollectionAdd {
  cls: ClassNode;
  field: string;
  method: string;
  call: TSESTree.CallExpression;
  /** The resource's value among the call's arguments. */
  value: TSESTree.Node;
}

/** Every call that adds the resource (or an alias of it) to a collection held by a field of its class. */
export function fieldCollectionAdds(r: Resource): FieldCollectionAdd[] {
  const out: FieldCollectionAdd[] = [];
  const sites: TSESTree.Node[] = [r.report, ...[...r.aliases].flatMap((v) => v.references.map((ref) => ref.identifier))];
  for (const site of sites) {
    const value = climbValue(site);
    const call = value.parent;
    if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(value as TSESTree.CallExpressionArgument)) continue;
    const callee = unwrap(call.callee);
    const method = callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(callee) : undefined;
    if (callee.type !== AST_NODE_TYPES.MemberExpression || method === undefined || !ADD_METHODS.has(method)) continue;
    const field = thisMemberName(callee.object);
    const cls = field !== undefined ? thisClass(callee.object) : undefined;
    if (field !== undefined && cls) out.push({ cls, field, method, call, value });
  }
  return out;
}

/** The field collections the resource is added to: `this.<field>.add(s)`. */
export function fieldCollectionsHolding(r: Resource): Array<{ cls: ClassNode; field: string }> {
  const out: Array<{ cls: ClassNode; field: string }> = [];
  for (const { cls, field } of fieldCollectionAdds(r)) if (!out.some((o) => o.cls === cls && o.field === field)) out.push({ cls, field });
  return out;
}

/** Local collections that hold resources: released by iterating over them, or by taking an element out. */
export class Collections {
  constructor(private readonly m: FileModel) {}

  /** A reference to a local collection that holds the socket. */
  handleContainerRef(r: Resource, id: TSESTree.Identifier): void {
    let value = climbValue(id);
    // `socks.slice().forEach(…)`, `[...socks]`, `Array.from(socks)`: a copy with the same elements, iterated, taken
    // from or handed on like the collection itself (emptying the copy empties nothing).
    let copied = false;
    for (let copy = wholeCopyOf(value); copy; copy = wholeCopyOf(value)) {
      value = copy;
      copied = true;
    }
    const p = value.parent;
    if (!p) return;
    if (p.type === AST_NODE_TYPES.ForOfStatement && p.right === value) {
      // for (const s of sockets) / for (const [key, s] of map)
      const index = this.isMapLike(id) ? 1 : undefined;
      if (this.loopReleases(p, index) || this.loopServes(p, index, r)) kill(r, p, 'container');
      return;
    }
    const mc = methodCallOn(value);
    if (mc && (mc.name === 'values' || mc.name === 'entries')) {
      // for (const s of map.values()) / for (const [key, s] of map.entries())
      const loop = climbValue(mc.call).parent;
      if (loop?.type === AST_NODE_TYPES.ForOfStatement && loop.right === climbValue(mc.call)) {
        if (this.loopReleases(loop, mc.name === 'entries' ? 1 : undefined)) kill(r, loop, 'container');
      }
      return;
    }
    if (mc) {
      // (Emptying a copy empties nothing.)
      if (!copied && (mc.name === 'clear' || (mc.name === 'splice' && this.removesAll(mc.call, id)))) {
        this.emptied(r, id, mc.call);
        return;
      }
      if (CONTAINER_ITERATE.has(mc.name)) {
        const fn = this.m.functionValue(mc.call.arguments[0]);
        // `await Promise.all(socks.map((s) => once(s, 'close')))`: every element's close is awaited.
        const waited = mc.name === 'map' && fn ? this.awaitedCloses(r, mc.call, fn) : undefined;
        if (waited) {
          kill(r, waited, 'container');
          return;
        }
        if (fn && this.m.parameterEffect(fn, mc.name === 'reduce' ? 1 : 0) !== 'borrow') kill(r, mc.call, 'container');
        return;
      }
      if (CONTAINER_TAKE.has(mc.name)) {
        const taken = methodCallOn(climbValue(mc.call));
        if (taken && this.m.anyRelease.has(taken.name)) kill(r, taken.call, 'container');
        return;
      }
      return;
    }
    // `socks.length = 0`
    if (!copied && p.type === AST_NODE_TYPES.MemberExpression && p.object === value && !p.computed && propertyName(p) === 'length') {
      const assign = p.parent;
      if (assign?.type === AST_NODE_TYPES.AssignmentExpression && assign.left === p && isZeroLiteral(assign.right)) addOp(r, assign, { t: 'overwrite', emptied: id.name });
      return;
    }
    if (p.type === AST_NODE_TYPES.MemberExpression && p.object === value && p.computed) {
      // socks[i].end()
      const taken = methodCallOn(climbValue(p));
      if (taken && this.m.anyRelease.has(taken.name)) kill(r, taken.call, 'container');
      return;
    }
    if (
      p.type === AST_NODE_TYPES.ReturnStatement ||
      p.type === AST_NODE_TYPES.YieldExpression ||
      (p.type === AST_NODE_TYPES.ArrowFunctionExpression && p.body === value) ||
      ((p.type === AST_NODE_TYPES.CallExpression || p.type === AST_NODE_TYPES.NewExpression) &&
        p.arguments.includes(value as TSESTree.CallExpressionArgument)) ||
      (p.type === AST_NODE_TYPES.AssignmentExpression && p.right === value) ||
      p.type === AST_NODE_TYPES.Property ||
      p.type === AST_NODE_TYPES.ArrayExpression ||
      p.type === AST_NODE_TYPES.SpreadElement
    ) {
      if (p.type === AST_NODE_TYPES.CallExpression) {
        if (this.m.isNonOwningCallee(p.callee)) return;
      }
      kill(r, value, 'escape');
    }
  }

  /**
   * `await Promise.all(socks.map((s) => once(s, 'close')))` (also spread into the array given to `Promise.all` or
   * `Promise.allSettled`): `fn` gives, for its element, the wait for an event after which the element is released
   * (`once(s, 'close')` of `node:events`), and the function goes on past that await only once every element is. The
   * await, or undefined.
   */
  private awaitedCloses(r: Resource, map: TSESTree.CallExpression, fn: FunctionNode): TSESTree.Node | undefined {
    const param = fn.params[0];
    const returned = ownReturns(fn, this.m.sourceCode.visitorKeys);
    if (param?.type !== AST_NODE_TYPES.Identifier || returned.length !== 1) return undefined;
    const wait = unwrap(returned[0]);
    if (wait.type !== AST_NODE_TYPES.CallExpression || !this.m.isNonOwningCallee(wait.callee) || calleeName(wait) !== 'once') return undefined;
    const target = wait.arguments[0] && unwrap(wait.arguments[0]);
    if (target?.type !== AST_NODE_TYPES.Identifier || this.m.varOf.get(target) !== this.m.varOf.get(param) || !releasedBeforeEvent(r.kind, stringValue(wait.arguments[1]))) return undefined;
    const value = climbValue(map);
    const all = allSettlingCall(value.parent?.type === AST_NODE_TYPES.SpreadElement ? value.parent.parent : value);
    const awaited = all && climbValue(all).parent;
    return awaited?.type === AST_NODE_TYPES.AwaitExpression ? awaited : undefined;
  }

  /**
   * `socks.clear()`, `socks.splice(0)`: the collection is emptied. Dropped when the removed elements are thrown
   * away; `const taken = socks.splice(0)` moves them to another local collection; any other use hands them on.
   */
  private emptied(r: Resource, id: TSESTree.Identifier, call: TSESTree.CallExpression): void {
    const outer = climbValue(call);
    const q = outer.parent;
    if (q?.type === AST_NODE_TYPES.ExpressionStatement || call.callee.type === AST_NODE_TYPES.MemberExpression && propertyName(call.callee) === 'clear') {
      addOp(r, call, { t: 'overwrite', emptied: id.name });
      return;
    }
    if (q?.type === AST_NODE_TYPES.VariableDeclarator && q.init === outer && q.id.type === AST_NODE_TYPES.Identifier) {
      const v = this.m.varOf.get(q.id);
      if (v) {
        r.containers.add(v);
        return;
      }
    }
    kill(r, outer, 'escape');
  }

  /** `splice(0)`, `splice(0, socks.length)`: removes every element. */
  private removesAll(call: TSESTree.CallExpression, id: TSESTree.Identifier): boolean {
    const [start, count] = call.arguments;
    if (!start || !isZeroLiteral(start)) return false;
    if (call.arguments.length === 1) return true;
    const c = count ? unwrap(count) : undefined;
    return (
      call.arguments.length === 2 &&
      c?.type === AST_NODE_TYPES.MemberExpression &&
      propertyName(c) === 'length' &&
      unwrap(c.object).type === AST_NODE_TYPES.Identifier &&
      (unwrap(c.object) as TSESTree.Identifier).name === id.name
    );
  }

  /**
   * Does `fn` release every element of the collection `coll` (`for (const s of socks) s.end()`, `socks.forEach((s) =>
   * s.destroy())`, a loop over `socks.values()` or over a whole copy)? For a collection the resource escapes into
   * (one of an enclosing function's), asked by the checks that look for the function that releases it.
   */
  releasesElementsIn(coll: Variable, fn: TSESTree.Node): boolean {
    for (const ref of coll.references) {
      if (ref.init || ref.isWrite() || !contains(fn, ref.identifier)) continue;
      let value = climbValue(ref.identifier);
      for (let copy = wholeCopyOf(value); copy; copy = wholeCopyOf(value)) value = copy;
      const p = value.parent;
      if (p?.type === AST_NODE_TYPES.ForOfStatement && p.right === value && this.loopReleases(p, this.isMapLike(ref.identifier as TSESTree.Identifier) ? 1 : undefined)) return true;
      const mc = methodCallOn(value);
      if (!mc) continue;
      const loop = climbValue(mc.call).parent;
      if ((mc.name === 'values' || mc.name === 'entries') && loop?.type === AST_NODE_TYPES.ForOfStatement && loop.right === climbValue(mc.call)) {
        if (this.loopReleases(loop, mc.name === 'entries' ? 1 : undefined)) return true;
      } else if (CONTAINER_ITERATE.has(mc.name)) {
        const each = this.m.functionValue(mc.call.arguments[0]);
        if (each && this.m.parameterEffect(each, mc.name === 'reduce' ? 1 : 0) !== 'borrow') return true;
      }
    }
    return false;
  }

  /** Does the loop variable (or element `index` of a destructured one) get released in the body? */
  private loopReleases(loop: TSESTree.ForOfStatement, index: number | undefined): boolean {
    const v = this.loopVariable(loop, index);
    return !!v && this.m.variableEffect(v, loop) !== 'borrow';
  }

  /** The variable a `for…of` loop gives each element (`index`: the element's place in a `[key, value]` pattern). */
  private loopVariable(loop: TSESTree.ForOfStatement, index: number | undefined): Variable | undefined {
    const left = loop.left;
    let target: TSESTree.Node | undefined | null = left.type === AST_NODE_TYPES.VariableDeclaration ? left.declarations[0]?.id : left;
    if (target?.type === AST_NODE_TYPES.ArrayPattern) target = target.elements[index ?? 0];
    else if (index !== undefined) return undefined;
    return target?.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(target) : undefined;
  }

  /**
   * `for (const client of clients) { client.query('LISTEN ch'); client.on('notification', onChange); }`: every element
   * is given a handler of one of the kind's `serverHandlerEvents`, so each serves for the life of the process, as one
   * given it directly does.
   */
  private loopServes(loop: TSESTree.ForOfStatement, index: number | undefined, r: Resource): boolean {
    const events = r.kind.serverHandlerEvents;
    const v = events ? this.loopVariable(loop, index) : undefined;
    return !!events && !!v && v.references.some((ref) => {
      const mc = methodCallOn(ref.identifier);
      const event = mc && LISTENER_METHODS.has(mc.name) ? stringValue(mc.call.arguments[0]) : undefined;
      return event !== undefined && events.has(event) && contains(loop.body, mc!.call);
    });
  }

  /** Is this collection a Map (entries are [key, value] pairs)? */
  private isMapLike(id: TSESTree.Identifier): boolean {
    try {
      const v = this.m.varOf.get(id);
      const decl = v?.identifiers[0];
      if (!decl) return false;
      const type = this.m.checker.getTypeAtLocation(this.m.services.esTreeNodeToTSNodeMap.get(decl));
      const name = type.getSymbol()?.getName();
      return name === 'Map' || name === 'ReadonlyMap';
    } catch (error) {
      return recover(error, false);
    }
  }
}

