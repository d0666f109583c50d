import { TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { dottedName, isFunction, line, unwrap } from '../engine/ast';
import { recover } from '../engine/strict';
import { suggestedRelease, type ResourceKind } from '../kinds/kind';
import type { FileModel } from '../model/file-model';
import type { LeakFinding, LeakOptions } from './leak';

const DefinitionType = TSESLint.Scope.DefinitionType;

/** Types that cancel an operation: a call given one can be told to give up when it loses. */
const CANCELLATION_TYPES = /^(AbortSignal|AbortController|CancellationToken)$/;

/**
 * `Promise.race([connect(port), timeout])`: when another promise settles first, the race is over, and the socket
 * that `connect()` resolves later reaches nobody. Reported at the call that creates the losing socket, unless the
 * call is given a way to be cancelled (an `AbortSignal`) or its promise is kept to be cleaned up later (then it is
 * a variable, not a call, in the race). A method of a resource that makes no other one (`this.client.connect()`,
 * resolving to that client) creates nothing.
 */
export function raceFindings(m: FileModel, options: LeakOptions): LeakFinding[] {
  const out: LeakFinding[] = [];
  for (const race of m.syntax.callsNamed(['race'])) {
    if (dottedName(race.callee) !== 'Promise.race') continue;
    const arg = race.arguments[0] && unwrap(race.arguments[0]);
    if (arg?.type !== AST_NODE_TYPES.ArrayExpression || arg.elements.length < 2) continue;
    if (!options.checkModuleScope && !inFunction(race)) continue;
    for (const el of arg.elements) {
      const value = el && el.type !== AST_NODE_TYPES.SpreadElement ? unwrap(el) : undefined;
      // `withTimeout(promise)` racing its parameter: the calls given to the helper there are in the race.
      for (const call of value ? racedCalls(m, value) : []) {
        // `client.connect()` of a client kept elsewhere resolves to that same client (a method of a resource that does
        // not create another): losing the race hands nobody anything new.
        if (!m.mayReturnSocket(call, true) || m.isResourceMethod(call)) continue;
        const kind = resolvedKind(m, call);
        if (!kind || call.arguments.some((a) => cancels(m, a))) continue;
        const helper = call === value ? '' : ` in ${calleeText(m, call.parent)}`;
        out.push({
          messageId: 'leak',
          node: call,
          data: {
            kind: kind.name,
            detail: `when another promise of the Promise.race() at line ${line(race)}${helper} settles first (the ${kind.noun} it resolves later reaches nobody)`,
            release: suggestedRelease(kind, options.endIsRelease),
          },
        });
      }
    }
  }
  return out;
}

/**
 * The calls whose promises an element of a race stands for: the element itself when it is a call; for a parameter of
 * a function of the file that reads it nowhere else (`const withTimeout = (p) => Promise.race([p, timeout])`), the
 * calls given in its place where the function is called (`withTimeout(mysql.createConnection(…))`).
 */
function racedCalls(m: FileModel, value: TSESTree.Node): TSESTree.CallExpression[] {
  if (value.type === AST_NODE_TYPES.CallExpression) return [value];
  if (value.type !== AST_NODE_TYPES.Identifier) return [];
  const v = m.varOf.get(value);
  const def = v?.defs.length === 1 ? v.defs[0] : undefined;
  if (def?.type !== DefinitionType.Parameter || !isFunction(def.node) || v?.references.length !== 1) return [];
  const index = def.node.params.indexOf(def.name);
  if (index < 0) return [];
  const out: TSESTree.CallExpression[] = [];
  for (const site of m.syntax.callSites.get(def.node) ?? []) {
    const given = site.arguments[index];
    const call = given && given.type !== AST_NODE_TYPES.SpreadElement ? unwrap(given) : undefined;
    if (call?.type === AST_NODE_TYPES.CallExpression) out.push(call);
  }
  return out;
}

/** `withTimeout` of `withTimeout(…)`, `this.guard` of `this.guard(…)`. */
function calleeText(m: FileModel, call: TSESTree.Node | undefined): string {
  return call?.type === AST_NODE_TYPES.CallExpression ? `${m.sourceCode.getText(call.callee)}()` : 'a helper';
}

function inFunction(node: TSESTree.Node): boolean {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === AST_NODE_TYPES.FunctionDeclaration || p.type === AST_NODE_TYPES.FunctionExpression || p.type === AST_NODE_TYPES.ArrowFunctionExpression) return true;
  }
  return false;
}

/** The kind of what the promise returned by `call` resolves to. */
function resolvedKind(m: FileModel, call: TSESTree.CallExpression): ResourceKind | undefined {
  try {
    const type = m.checker.getTypeAtLocation(m.services.esTreeNodeToTSNodeMap.get(call));
    const inner = m.checker.getAwaitedType(type);
    return inner && inner !== type ? m.registry.kindOf(inner) : undefined;
  } catch (error) {
    return recover(error, undefined);
  }
}

/** Is this argument a cancellation handle (an `AbortSignal`, an options object holding one)? */
function cancels(m: FileModel, arg: TSESTree.Node): boolean {
  try {
    const tsNode = m.services.esTreeNodeToTSNodeMap.get(arg);
    const type = m.checker.getTypeAtLocation(tsNode);
    const named = (t: typeof type): boolean => CANCELLATION_TYPES.test(t.getSymbol()?.getName() ?? '');
    if (named(type)) return true;
    if (arg.type === AST_NODE_TYPES.ObjectExpression) {
      return arg.properties.some((p) => p.type === AST_NODE_TYPES.Property && cancels(m, p.value));
    }
    return type.getProperties().some((p) => {
      const decl = p.valueDeclaration;
      return !!decl && CANCELLATION_TYPES.test(m.checker.getTypeOfSymbolAtLocation(p, decl).getSymbol()?.getName() ?? '');
    });
  } catch (error) {
    return recover(error, false);
  }
}
