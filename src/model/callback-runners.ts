/**
 * Calls that run a function they are given before they return, read off the called declaration in any file of the
 * program (TypeScript's tree): a function whose own body calls that parameter before it waits for anything
 * (`trace(name, fn) { return fn(name); }`, a method of another class), also through a function written in place and
 * handed to such a call (`#trace(name, fn) { return this.tracer.startActiveSpan(name, async (span) => await fn()); }`),
 * or a library's function (no body) declared to return what the function returns (`startActiveSpan<F extends (span:
 * Span) => unknown>(name: string, fn: F): ReturnType<F>`, OpenTelemetry's tracer).
 */
import * as ts from 'typescript';
import { recover } from '../engine/strict';

/** How many calls deep a parameter is followed into functions written in place and handed to runners. */
const MAX_DEPTH = 2;

/** {@link runsArgumentNow}'s answers read off a declaration's body, by declaration and parameter position. */
const bodyAnswers = new WeakMap<ts.Node, Map<number, boolean>>();

/** Does this call run its argument at `index` (a function) before it returns? */
export function runsArgumentNow(checker: ts.TypeChecker, call: ts.CallExpression | ts.NewExpression, index: number, depth = 0): boolean {
  try {
    const decl = checker.getResolvedSignature(call)?.getDeclaration();
    // Untyped (its package's typings not installed): a tracer's `startActiveSpan(name, [options, [context,]] fn)` by name.
    if (!decl && ts.isCallExpression(call) && ts.isPropertyAccessExpression(call.expression) && RUNNER_METHODS.has(call.expression.name.text)) {
      return index === call.arguments.length - 1 && index > 0;
    }
    if (!decl || !ts.isFunctionLike(decl) || index < 0) return false;
    const param = decl.parameters[index];
    if (!param || param.dotDotDotToken) return false;
    const body = (decl as ts.FunctionLikeDeclarationBase).body;
    // A declaration without a body (a library's typings): by its signature alone.
    if (!body) return returnsResultOf(decl, param);
    if (!ts.isIdentifier(param.name)) return false;
    // The body's answer depends on the declaration alone: once per declaration and position (per program).
    let byIndex = bodyAnswers.get(decl);
    if (!byIndex) bodyAnswers.set(decl, (byIndex = new Map<number, boolean>()));
    let answer = byIndex.get(index);
    if (answer === undefined) {
      answer = mentionsCall(body, param.name.text) && callsParameter(checker, body, decl, param.name.text, depth);
      byIndex.set(index, answer);
    }
    return answer;
  } catch (error) {
    return recover(error, false);
  }
}

/**
 * Methods that run the function they are given last before they return, known by name for when their package's
 * typings are missing (the call is then untyped): OpenTelemetry's `tracer.startActiveSpan(name, …, fn)`.
 */
const RUNNER_METHODS: ReadonlySet<string> = new Set(['startActiveSpan']);

/**
 * Is the declared result what the function parameter returns: `fn: F` and `ReturnType<F>`, or `fn: (…) => R` (also
 * `R | Promise<R>`, `Promise<R>`, `PromiseLike<R>`) and `R` or `Promise<R>` (`AsyncLocalStorage#run(store, callback):
 * R`), `F`, `R` type parameters of the declaration? Its value comes from running the function.
 */
function returnsResultOf(decl: ts.SignatureDeclaration, param: ts.ParameterDeclaration): boolean {
  const result = decl.type;
  const given = param.type;
  if (!result || !given) return false;
  const isTypeParameter = (name: string): boolean => !!decl.typeParameters?.some((p) => p.name.text === name);
  const named = (t: ts.TypeNode | undefined): string | undefined => (t && ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && !t.typeArguments ? t.typeName.text : undefined);
  // `R`, or a promise of it.
  const resultName = (t: ts.TypeNode): string | undefined => {
    if (ts.isTypeReferenceNode(t) && ts.isIdentifier(t.typeName) && (t.typeName.text === 'Promise' || t.typeName.text === 'PromiseLike') && t.typeArguments?.length === 1) return named(t.typeArguments[0]);
    return named(t);
  };
  if (ts.isTypeReferenceNode(result) && ts.isIdentifier(result.typeName) && result.typeName.text === 'ReturnType') {
    const of = named(result.typeArguments?.[0]);
    return of !== undefined && named(given) === of && isTypeParameter(of);
  }
  const r = resultName(result);
  if (r === undefined || !isTypeParameter(r) || !ts.isFunctionTypeNode(given)) return false;
  const returned = given.type;
  const members = ts.isUnionTypeNode(returned) ? returned.types : [returned];
  return members.length > 0 && members.every((m) => resultName(m) === r);
}

/**
 * Does `owner`'s body call the parameter `name` in its own code (`fn()`, `return fn()`, `return await fn(x)`), before
 * it waits for anything (`await this.acquire(); return fn();` — a semaphore's turn — runs it later), or in a function
 * written in place as an argument of a call that runs it now?
 */
function callsParameter(checker: ts.TypeChecker, body: ts.Node, owner: ts.Node, name: string, depth: number): boolean {
  let found = false;
  // The end of the first wait of the owner's own code met so far (in source order): a call after it runs later.
  let waitedBy = Infinity;
  const visit = (n: ts.Node, within: ts.Node): void => {
    if (found) return;
    if ((ts.isAwaitExpression(n) || ts.isYieldExpression(n)) && n.end < waitedBy) waitedBy = n.end;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === name) {
      if (within === owner && n.getStart() >= waitedBy) return;
      if (within === owner) {
        found = true;
        return;
      }
    }
    if ((ts.isArrowFunction(n) || ts.isFunctionExpression(n)) && n !== owner) {
      // A function written in place runs the parameter's call now only when the call it is given to runs it now.
      const call = n.parent;
      if (depth < MAX_DEPTH && within === owner && (ts.isCallExpression(call) || ts.isNewExpression(call)) && call.arguments?.includes(n)) {
        const index = call.arguments.indexOf(n);
        if (mentionsCall(n, name) && runsArgumentNow(checker, call, index, depth + 1)) {
          // Inside it, the parameter is called as the function's own code.
          if (callsParameter(checker, n.body, n, name, depth + 1)) found = true;
        }
      }
      return;
    }
    if (ts.isFunctionDeclaration(n) || ts.isMethodDeclaration(n) || ts.isClassLike(n)) return;
    ts.forEachChild(n, (c) => visit(c, within));
  };
  visit(body, owner);
  return found;
}

/** Is there a call of `name` anywhere under `node` (text first: the cheap test)? */
function mentionsCall(node: ts.Node, name: string): boolean {
  return node.getText().includes(`${name}(`);
}
