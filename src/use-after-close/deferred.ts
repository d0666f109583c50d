import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import {
  enclosingMethod,
  keyName,
  calleeName,
  contains,
  dottedName,
  enclosingFunction,
  isFunction,
  line,
  thisMemberName,
  unwrap,
  type FunctionNode,
} from '../engine/ast';
import {
  CLEANUP_METHOD,
  TERMINAL_EVENTS,
} from '../kinds/vocabulary';

import { callbackRole, describeRole, isTerminalListener, type CallbackRole } from '../model/callbacks';
import type { FileModel } from '../model/file-model';
import { flagName, type Guards } from '../model/guards';
import type { ValueIndex, ValueOp } from '../model/values';
import type { UseAfterCloseFinding, UseAfterCloseOptions } from './use-after-close';
/**
 * Deferred uses: a timer or listener that uses a resource which something else may release while it is pending.
 * Reported where the callback uses it, naming the release (or the peer closing it).
 */
export class DeferredUses {
  constructor(
    private readonly m: FileModel,
    private readonly index: ValueIndex,
    private readonly guards: Guards,
    private readonly options: UseAfterCloseOptions,
    private readonly reported: Set<TSESTree.Node>,
    private readonly findings: UseAfterCloseFinding[],
  ) {}

  run(): void {
    this.deferredTimers();
    this.deferredFieldCallbacks();
  }

  /** Calls `visit` for every not yet reported use made directly inside a callback whose role `accept`s. */
  private forEachCallbackUse(
    accept: (role: CallbackRole) => boolean,
    visit: (fn: FunctionNode, role: CallbackRole, key: string, use: ValueOp) => void,
  ): void {
    for (const flow of this.m.recorder.flows) {
      const fn = flow.node;
      if (!isFunction(fn)) continue;
      const role = callbackRole(fn);
      if (!role || !accept(role)) continue;
      for (const [key, uses] of this.index.usesByKey) {
        for (const use of uses) {
          if (!this.reported.has(use.node) && enclosingFunction(use.node) === fn) visit(fn, role, key, use);
        }
      }
    }
  }

  private reportDeferred(use: ValueOp, callback: string, release: string): void {
    this.reported.add(use.node);
    this.findings.push({
      messageId: 'deferredUse',
      node: use.node,
      data: { kind: use.kind.name, operation: `${use.method}()`, callback, release },
    });
  }

  // (a) timers that use a socket which can be released while they are pending.
  private deferredTimers(): void {
    this.forEachCallbackUse(
      (role) => role.via === 'timer',
      (fn, role, key, use) => {
        const releases = (this.index.releasesByKey.get(key) ?? []).filter((r) => !contains(fn, r.node));
        const peer = use.kind.peerCanClose;
        if (releases.length === 0 && !peer) return;
        if (this.guards.guarded(use, undefined, fn)) return;
        if (this.timerCleared(role, releases, peer)) return;
        // When every explicit release clears the timer, what is left is the peer closing the socket.
        const first = peer && releases.length > 0 && this.timerCleared(role, releases, false) ? undefined : releases[0];
        this.reportDeferred(
          use,
          describeRole(role),
          first ? `${first.method}() at line ${line(first.node)}` : 'the peer closing it',
        );
      },
    );
  }

  private timerCleared(role: CallbackRole, releases: ValueOp[], peer: boolean): boolean {
    const handle = role.handle;
    if (!handle) return false;
    const handleName = flagName(handle);
    const handleVar = unwrap(handle).type === AST_NODE_TYPES.Identifier ? this.m.varOf.get(unwrap(handle) as TSESTree.Identifier) : undefined;
    for (const node of this.m.recorder.flowOfNode.keys()) {
      if (node.type !== AST_NODE_TYPES.CallExpression) continue;
      const name = dottedName(node.callee);
      if (name !== 'clearInterval' && name !== 'clearTimeout' && name !== 'timers.clearInterval' && name !== 'timers.clearTimeout') continue;
      const arg = node.arguments[0];
      if (!arg) continue;
      const a = unwrap(arg);
      const same = handleVar
        ? a.type === AST_NODE_TYPES.Identifier && this.m.varOf.get(a) === handleVar
        : flagName(a) === handleName && thisMemberName(a) !== undefined;
      if (!same) continue;
      // Any release ends in 'close': a clear there covers every release, the peer's included. A clear in the
      // releasing method covers only that release, which is enough when the peer cannot close the socket.
      if (this.inCleanupContext(node, peer ? [] : releases, 0, peer)) return true;
    }
    return false;
  }

  /** Is this node in code that runs when the socket is released or closes? */
  private inCleanupContext(node: TSESTree.Node, releases: ValueOp[], depth: number, listenersOnly = false): boolean {
    let fn = enclosingFunction(node);
    while (fn) {
      if (releases.some((r) => contains(fn as TSESTree.Node, r.node))) return true;
      if (isTerminalListener(fn)) return true;
      const methodName = fn.parent?.type === AST_NODE_TYPES.MethodDefinition ? keyName(fn.parent.key) : undefined;
      if (!listenersOnly && methodName && CLEANUP_METHOD.test(methodName)) return true;
      if (!listenersOnly && fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id && CLEANUP_METHOD.test(fn.id.name)) return true;
      if (depth < 2) {
        // A function called from a cleanup context.
        const name = methodName ?? (fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.id?.name : undefined);
        if (name) {
          for (const call of this.m.recorder.flowOfNode.keys()) {
            if (call.type !== AST_NODE_TYPES.CallExpression || calleeName(call) !== name) continue;
            if (this.inCleanupContext(call, releases, depth + 1, listenersOnly)) return true;
          }
        }
      }
      fn = enclosingFunction(fn);
    }
    return false;
  }

  // (c) callbacks that use a class field which another method releases; (option) unrelated listeners.
  private deferredFieldCallbacks(): void {
    this.forEachCallbackUse(
      (role) => role.via !== 'timer' && !(role.via === 'listener' && role.event !== undefined && TERMINAL_EVENTS.has(role.event)),
      (fn, role, key, use) => {
        if (this.guards.guarded(use, undefined, fn)) return;
        const emitterKey = role.emitter ? this.index.keyOf(role.emitter)?.key : undefined;
        if (key.startsWith('this@')) {
          const method = enclosingMethod(fn);
          const otherMethod = (this.index.releasesByKey.get(key) ?? []).filter(
            (r) => !contains(fn, r.node) && enclosingMethod(r.node) !== method,
          );
          // After destroy()/close()/terminate() the socket emits nothing but 'close': a listener on the socket
          // itself cannot run after such a release (only after a graceful end()).
          if (emitterKey === key && otherMethod.length > 0 && otherMethod.every((r) => r.destroys ?? false)) return;
          const first = otherMethod[0];
          if (first) {
            this.reportDeferred(use, describeRole(role), `${first.method}() at line ${line(first.node)}`);
            return;
          }
        }
        if (this.options.checkUnrelatedListeners && role.via === 'listener' && !role.once && emitterKey !== key && use.kind.peerCanClose) {
          this.reportDeferred(use, describeRole(role), 'the peer closing it');
        }
      },
    );
  }
}
