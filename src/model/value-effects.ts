import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import {
  climbValue,
  contains,
  dottedName,
  enclosingFunction,
  isFunction,
  methodCallOn,
  propertyName,
  stringValue,
  thisClass,
  thisMemberName,
  unwrap,
  type FunctionNode,
} from '../engine/ast';
import { LISTENER_METHODS, LISTENER_PROPERTY_PREFIX, ONCE_LISTENER_METHODS, PIPE_METHOD, PIPELINE_CALLEES } from '../kinds/vocabulary';
import { meaningOfCall } from './calls';
import type { Variable } from './bindings';
import { NON_OWNING_CALLEES } from './effects';
import type { FileModel, ModelOptions } from './file-model';
import { kill, type Resource } from './resource';

const CONTAINER_ADD = new Set(['push', 'unshift', 'add', 'set', 'splice']);

/** What happens to a resource where an expression evaluates to it: a method call, an alias, a hand-off. */
export class ValueEffects {
  constructor(
    private readonly m: FileModel,
    private readonly options: ModelOptions,
  ) {}

  handleValue(r: Resource, node: TSESTree.Node, isCreation: boolean): void {
    const value = climbValue(node);
    const mc = methodCallOn(value);
    if (mc) {
      this.handleMethodCall(r, mc.call, mc.name, isCreation);
      return;
    }
    const p = value.parent;
    if (!p) return;
    switch (p.type) {
      case AST_NODE_TYPES.VariableDeclarator: {
        if (p.init !== value) return;
        if (p.id.type !== AST_NODE_TYPES.Identifier) return;
        const v = this.m.varOf.get(p.id);
        if (!v) return;
        r.aliases.add(v);
        const decl = p.parent;
        if (decl.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration) kill(r, p, 'escape');
        if (decl.kind === 'using' || decl.kind === 'await using') {
          r.disposed = true;
          kill(r, p, 'using');
        }
        return;
      }
      case AST_NODE_TYPES.AssignmentExpression: {
        if (p.right !== value) return;
        const left = unwrap(p.left);
        if (left.type === AST_NODE_TYPES.Identifier) {
          const v = this.m.varOf.get(left);
          if (!v) return;
          if (this.m.isLocalTo(v, r.ownerNode)) {
            r.aliases.add(v);
          } else {
            r.outerStore ??= { variable: v, assign: p };
            kill(r, p, 'escape', true);
          }
          return;
        }
        if (left.type === AST_NODE_TYPES.MemberExpression) {
          const name = thisMemberName(left);
          const cls = name !== undefined ? thisClass(p) : undefined;
          if (this.m.isSetter(left)) {
            // `this.socket = s` through a setter is a call: the setter takes it over.
            kill(r, p, 'escape');
            return;
          }
          if (name !== undefined && cls) {
            r.field ??= { name, cls, assign: p };
            // Stored on success (in a callback): other ways of settling must release it. Stored at once: the
            // object owns it from the start, and resolving without it is fine.
            if (enclosingFunction(p) !== r.ownerNode) this.markSuccess(r);
            kill(r, p, 'escape', true);
          } else {
            kill(r, p, 'escape');
          }
        }
        return;
      }
      case AST_NODE_TYPES.ReturnStatement:
      case AST_NODE_TYPES.YieldExpression:
      case AST_NODE_TYPES.ExportDefaultDeclaration:
      case AST_NODE_TYPES.ExportSpecifier:
      case AST_NODE_TYPES.ThrowStatement:
        kill(r, value, 'escape');
        return;
      case AST_NODE_TYPES.ArrowFunctionExpression:
        if (p.body === value) kill(r, value, 'escape');
        return;
      case AST_NODE_TYPES.CallExpression:
      case AST_NODE_TYPES.NewExpression:
        if (p.arguments.includes(value as TSESTree.CallExpressionArgument)) {
          this.handleArgument(r, p, p.arguments.indexOf(value as TSESTree.CallExpressionArgument), value);
        }
        return;
      case AST_NODE_TYPES.ArrayExpression:
      case AST_NODE_TYPES.SpreadElement:
      case AST_NODE_TYPES.Property:
        if (p.type === AST_NODE_TYPES.Property && p.value !== value) return;
        this.handleLiteralElement(r, value);
        return;
      case AST_NODE_TYPES.ExpressionStatement:
        if (isCreation) r.discarded = true;
        return;
      case AST_NODE_TYPES.MemberExpression: {
        // `s.onclose = fn` registers a listener.
        const name = propertyName(p);
        const gp = p.parent;
        if (
          name?.startsWith(LISTENER_PROPERTY_PREFIX) &&
          gp?.type === AST_NODE_TYPES.AssignmentExpression &&
          gp.left === p &&
          this.m.functionValue(gp.right)
        ) {
          r.registrations.push({
            event: name.slice(LISTENER_PROPERTY_PREFIX.length),
            fnNode: gp.right,
            fn: this.m.functionValue(gp.right),
            once: false,
            via: 'listener',
            call: gp,
          });
        }
        return;
      }
      default:
        return;
    }
  }

  /** `value` is an element of an array/object literal. */
  private handleLiteralElement(r: Resource, value: TSESTree.Node): void {
    let lit: TSESTree.Node = value;
    while (
      lit.parent &&
      (lit.parent.type === AST_NODE_TYPES.ArrayExpression ||
        lit.parent.type === AST_NODE_TYPES.SpreadElement ||
        lit.parent.type === AST_NODE_TYPES.Property ||
        lit.parent.type === AST_NODE_TYPES.ObjectExpression)
    ) {
      lit = lit.parent;
    }
    const outer = climbValue(lit);
    const q = outer.parent;
    if (q?.type === AST_NODE_TYPES.VariableDeclarator && q.init === outer && q.id.type === AST_NODE_TYPES.Identifier) {
      const v = this.m.varOf.get(q.id);
      if (v && outer.type === AST_NODE_TYPES.ArrayExpression) {
        r.containers.add(v);
        return;
      }
    }
    if (
      q &&
      (q.type === AST_NODE_TYPES.CallExpression || q.type === AST_NODE_TYPES.NewExpression) &&
      q.arguments.includes(outer as TSESTree.CallExpressionArgument)
    ) {
      this.handleArgument(r, q, q.arguments.indexOf(outer as TSESTree.CallExpressionArgument), outer);
      return;
    }
    kill(r, outer, 'escape');
  }

  handleMethodCall(r: Resource, call: TSESTree.CallExpression, name: string, isCreation: boolean): void {
    const kind = r.kind;
    const args = call.arguments;
    if (kind.releases.has(name)) {
      if (meaningOfCall(kind, call, name, this.options.endIsRelease).t === 'release') {
        kill(r, call, 'release');
        // `s?.destroy()`: the short-circuit path has no socket to release.
        const chain = call.parent?.type === AST_NODE_TYPES.ChainExpression ? call.parent : undefined;
        if (chain) kill(r, chain, 'release');
      }
      return;
    }
    if (LISTENER_METHODS.has(name)) {
      const event = stringValue(args[0]);
      const fnNode = args[1];
      if (fnNode) {
        r.registrations.push({
          event,
          fnNode,
          fn: this.m.functionValue(fnNode),
          once: ONCE_LISTENER_METHODS.has(name),
          via: 'listener',
          call,
        });
      }
      if (event !== undefined && kind.serverHandlerEvents?.has(event)) r.exempt ??= 'server-handler';
      this.handleValue(r, call, isCreation);
      return;
    }
    const idle = kind.idleTimeout;
    if (idle && name === idle.method) {
      const fnNode = args[idle.listenerArgument];
      if (fnNode) {
        r.registrations.push({ event: idle.event, fnNode, fn: this.m.functionValue(fnNode), once: true, via: 'listener', call });
      } else {
        const ms = args[0];
        const zero = ms?.type === AST_NODE_TYPES.Literal && ms.value === 0;
        if (!zero) r.idleTimeouts.push(call);
      }
      this.handleValue(r, call, isCreation);
      return;
    }
    if (name === PIPE_METHOD) return;
    for (const arg of args) {
      const fn = this.m.functionValue(arg);
      if (fn) r.registrations.push({ event: name, fnNode: arg, fn, once: true, via: 'callback', call });
    }
    // Methods returning the socket itself keep the chain going (`connect().setNoDelay().on(...)`).
    if (this.m.returnsSameSocket(call, kind)) this.handleValue(r, call, isCreation);
  }

  /** The socket (or a literal holding it) is argument `index` of `call`. */
  private handleArgument(
    r: Resource,
    call: TSESTree.CallExpression | TSESTree.NewExpression,
    index: number,
    value: TSESTree.Node,
  ): void {
    const node = value;
    if (call.type === AST_NODE_TYPES.NewExpression) {
      kill(r, node, 'escape');
      return;
    }
    const callee = unwrap(call.callee);
    const name = dottedName(callee);
    const member = callee.type === AST_NODE_TYPES.MemberExpression ? callee : undefined;
    const method = member ? propertyName(member) : undefined;
    if (method === PIPE_METHOD && index === 0) {
      kill(r, node, 'escape');
      return;
    }
    if (name && PIPELINE_CALLEES.has(name)) {
      kill(r, node, 'escape');
      return;
    }
    // resolve(socket) / callback(null, socket): handed to the caller on success.
    if (callee.type === AST_NODE_TYPES.Identifier) {
      const v = this.m.varOf.get(callee);
      if (v) {
        const ex = this.m.executorOf(v);
        if (ex?.role === 'resolve') {
          this.markSuccess(r, ex.executor);
          kill(r, node, 'escape', true);
          return;
        }
        if (this.m.isParameter(v) && !this.m.functionOf(v) && index > 0 && contains(this.paramOwner(v) ?? call, r.report)) {
          r.successHandoff = true;
          r.settleFns.add(v);
          kill(r, node, 'escape', true);
          return;
        }
        const fn = this.m.functionOf(v);
        if (fn) {
          const effect = this.m.parameterEffect(fn, index);
          if (effect === 'release') kill(r, node, 'release');
          else if (effect === 'escape') kill(r, node, 'escape');
          return;
        }
      }
    }
    if (name && NON_OWNING_CALLEES.has(name)) return;
    if (method && /^(is|has)[A-Z]/.test(method)) return;
    if (callee.type === AST_NODE_TYPES.Identifier && /^(is|has)[A-Z]/.test(callee.name)) return;
    if (member && method && CONTAINER_ADD.has(method)) {
      const obj = unwrap(member.object);
      const v = obj.type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(obj) : undefined;
      if (v && this.m.isLocalTo(v, r.ownerNode) && !this.m.isParameter(v)) {
        r.containers.add(v);
        return;
      }
    }
    kill(r, node, 'escape');
  }

  /** The socket is handed to the caller on success; every other way the operation settles must release it. */
  private markSuccess(r: Resource, executor?: FunctionNode): void {
    r.successHandoff = true;
    let fn: TSESTree.Node | undefined = executor ?? (isFunction(r.ownerNode) ? r.ownerNode : undefined);
    // The nearest enclosing Promise executor.
    while (fn && !executor) {
      if (isFunction(fn) && fn.parent?.type === AST_NODE_TYPES.NewExpression && fn.parent.arguments[0] === fn) {
        const callee = fn.parent.callee;
        if (callee.type === AST_NODE_TYPES.Identifier && callee.name === 'Promise') break;
      }
      fn = fn.parent;
    }
    if (!fn || !isFunction(fn)) return;
    for (const param of fn.params.slice(0, 2)) {
      if (param.type !== AST_NODE_TYPES.Identifier) continue;
      const v = this.m.varOf.get(param);
      if (v) r.settleFns.add(v);
    }
  }

  private paramOwner(v: Variable): TSESTree.Node | undefined {
    const def = v.defs[0];
    return def ? (def.node) : undefined;
  }

}
