/**
 * Class-method summaries: which function each `this.m` names (a method, or a property holding a function), which
 * methods a function calls through `this.m()` (directly in its own body), and where a method is handed on as a
 * value (`this.m`, `this.m.bind(this)`: a listener or timer callback). Built once per file from the member
 * expressions of the syntax index; analyses attach their own per-function facts (the fields a method uses or
 * releases) and follow the calls with {@link ClassSummaries.reachable}.
 */
import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { enclosingFunction, isFunction, keyName, propertyName, unwrap, type FunctionNode } from '../engine/ast';
import type { ClassNode } from './bindings';
import type { FileModel } from './file-model';

/** A `this.m()` call and the method it runs. */
export interface MethodCall {
  readonly call: TSESTree.CallExpression;
  readonly method: FunctionNode;
}

/** A method used as a value: `this.m` or `this.m.bind(…)` (the `value` node), e.g. handed to `on()` or `setInterval()`. */
export interface MethodReference {
  readonly value: TSESTree.Node;
  readonly method: FunctionNode;
}

/** A method reached from a function through a chain of `this.m()` calls (the first call is in that function). */
export interface ReachedMethod {
  readonly method: FunctionNode;
  readonly chain: readonly MethodCall[];
}

const BIND = 'bind';

export class ClassSummaries {
  private readonly members = new Map<ClassNode, Map<string, FunctionNode>>();
  private readonly callsByFunction = new Map<FunctionNode, MethodCall[]>();
  /** Method references in source order. */
  readonly references: MethodReference[] = [];
  private readonly referencesByMethod = new Map<FunctionNode, MethodReference[]>();

  constructor(private readonly m: FileModel) {
    for (const list of m.syntax.membersByName.values()) {
      for (const member of list) this.visitMember(member);
    }
    for (const calls of this.callsByFunction.values()) calls.sort((a, b) => a.call.range[0] - b.call.range[0]);
    this.references.sort((a, b) => a.value.range[0] - b.value.range[0]);
  }

  /** The function that the instance member `name` of `cls` runs: a method, or a property initialised with a function. */
  member(cls: ClassNode, name: string): FunctionNode | undefined {
    let map = this.members.get(cls);
    if (!map) {
      map = new Map();
      for (const el of cls.body.body) {
        if (el.type !== AST_NODE_TYPES.MethodDefinition && el.type !== AST_NODE_TYPES.PropertyDefinition) continue;
        if (el.static || el.computed) continue;
        const key = keyName(el.key);
        if (key === undefined) continue;
        const name = el.key.type === AST_NODE_TYPES.PrivateIdentifier ? `#${key}` : key;
        if (el.type === AST_NODE_TYPES.MethodDefinition && el.kind === 'method' && isFunction(el.value)) map.set(name, el.value);
        else if (el.type === AST_NODE_TYPES.PropertyDefinition && el.value && isFunction(unwrap(el.value))) map.set(name, unwrap(el.value) as FunctionNode);
      }
      this.members.set(cls, map);
    }
    return map.get(name);
  }

  /** The method that `this.m` / `self.m` (a member expression) names, if the class declares it. */
  methodOf(member: TSESTree.Node): FunctionNode | undefined {
    const n = unwrap(member);
    if (n.type !== AST_NODE_TYPES.MemberExpression) return undefined;
    const cls = this.m.thisLikeClass(n.object);
    if (!cls) return undefined;
    const name = n.property.type === AST_NODE_TYPES.PrivateIdentifier ? `#${n.property.name}` : propertyName(n);
    return name === undefined ? undefined : this.member(cls, name);
  }

  /** The function of the file a callee names: a local function (`watch`), or a method of the class (`this.setup`). */
  functionCalled(callee: TSESTree.Node): FunctionNode | undefined {
    const c = unwrap(callee);
    if (c.type === AST_NODE_TYPES.Identifier) return this.m.functionValue(c);
    return c.type === AST_NODE_TYPES.MemberExpression ? this.methodOf(c) : undefined;
  }

  /** The `this.m()` calls made directly in `fn` (not in functions nested in it), in source order. */
  callsIn(fn: FunctionNode): readonly MethodCall[] {
    return this.callsByFunction.get(fn) ?? [];
  }

  /** Where `method` is used as a value (handed to a listener or a timer, stored), in source order. */
  referencesTo(method: FunctionNode): readonly MethodReference[] {
    return this.referencesByMethod.get(method) ?? [];
  }

  private calledMethods: Set<FunctionNode> | undefined;

  /** Is the method called as `this.m()` (or `self.m()`) anywhere in the file? */
  calledDirectly(method: FunctionNode): boolean {
    if (!this.calledMethods) {
      this.calledMethods = new Set();
      for (const list of this.callsByFunction.values()) for (const c of list) this.calledMethods.add(c.method);
    }
    return this.calledMethods.has(method);
  }

  /**
   * Every method that `fn` runs through `this.m()` calls, directly or through other methods (breadth first, each
   * once, at most `maxDepth` calls deep), with the chain of calls that leads there from `fn`.
   */
  reachable(fn: FunctionNode, maxDepth = 4): ReachedMethod[] {
    return reachableThrough(fn, (f) => this.callsIn(f), maxDepth);
  }

  private visitMember(member: TSESTree.MemberExpression): void {
    const method = this.methodOf(member);
    if (!method) return;
    let outer: TSESTree.Node = member;
    while (outer.parent && outer.parent.type === AST_NODE_TYPES.ChainExpression) outer = outer.parent;
    const p = outer.parent;
    if (p?.type === AST_NODE_TYPES.CallExpression && p.callee === outer) {
      const fn = enclosingFunction(p);
      if (!fn) return;
      const list = this.callsByFunction.get(fn) ?? [];
      list.push({ call: p, method });
      this.callsByFunction.set(fn, list);
      return;
    }
    let value: TSESTree.Node = outer;
    // `this.m.bind(this)`: the bound function is the value.
    if (p?.type === AST_NODE_TYPES.MemberExpression && p.object === outer && propertyName(p) === BIND && p.parent?.type === AST_NODE_TYPES.CallExpression && p.parent.callee === p) {
      value = p.parent;
    } else if (p?.type === AST_NODE_TYPES.MemberExpression && p.object === outer) {
      return; // `this.m.call(…)`, `this.m.name`: not handed on
    }
    if (p?.type === AST_NODE_TYPES.AssignmentExpression && p.left === outer) return; // `this.m = …`
    const ref = { value, method };
    this.references.push(ref);
    const list = this.referencesByMethod.get(method) ?? [];
    list.push(ref);
    this.referencesByMethod.set(method, list);
  }
}

/**
 * Every function that `fn` runs through the calls `callsIn` gives for each function, directly or through other such
 * functions (breadth first, each once, at most `maxDepth` calls deep), with the chain of calls that leads there.
 */
export function reachableThrough(fn: FunctionNode, callsIn: (f: FunctionNode) => readonly MethodCall[], maxDepth = 4): ReachedMethod[] {
  const out: ReachedMethod[] = [];
  const seen = new Set<FunctionNode>([fn]);
  let frontier: ReachedMethod[] = [{ method: fn, chain: [] }];
  for (let depth = 0; depth < maxDepth && frontier.length > 0; depth++) {
    const next: ReachedMethod[] = [];
    for (const { method, chain } of frontier) {
      for (const c of callsIn(method)) {
        if (seen.has(c.method)) continue;
        seen.add(c.method);
        const reached = { method: c.method, chain: [...chain, c] };
        out.push(reached);
        next.push(reached);
      }
    }
    frontier = next;
  }
  return out;
}

const cache = new WeakMap<FileModel, ClassSummaries>();

/** The file's class summaries (built on first use). */
export function classSummaries(m: FileModel): ClassSummaries {
  let s = cache.get(m);
  if (!s) {
    s = new ClassSummaries(m);
    cache.set(m, s);
  }
  return s;
}
