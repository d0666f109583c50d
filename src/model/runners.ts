/**
 * Script runners: `runMain(async () => { … })`, where `runMain` (a function of the project, in this file or another)
 * runs the function it is given and ends the process when its promise rejects. Read from the runner's declaration
 * (TypeScript's syntax tree, so that a runner of another file is read the same way).
 */
import * as ts from 'typescript';
import { AST_NODE_TYPES } from '../engine/node-types';
import type { TSESTree } from '@typescript-eslint/utils';
import { recover } from '../engine/strict';
import { isFunction } from '../engine/ast';
import { isLibraryFile } from '../kinds/registry';
import type { Services } from './bindings';

const { SyntaxKind, SymbolFlags } = ts;

/**
 * Is `fn`, an async function written in place as an argument of a call (`runMain(async () => { … })`), given to a
 * function of the project that ends the process when the promise it runs rejects? The runner is a function
 * declaration (or a `const` initialised with a function) of a source file of the project, never a library's; the
 * parameter that receives `fn` is only ever called, and each call's promise is either continued by a `.catch(h)` (or
 * `.then(_, h)`) whose handler `h` ends with `process.exit(…)`, or dropped in a statement of its own (an unhandled
 * rejection, which ends the process). A throw out of `fn` then ends the process, as one out of a script's `main()`
 * does.
 */
export function givenToExitingRunner(checker: ts.TypeChecker, services: Services, fn: TSESTree.Node): boolean {
  if (!isFunction(fn) || !fn.async) return false;
  const call = fn.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee === fn) return false;
  const index = call.arguments.indexOf(fn as TSESTree.CallExpressionArgument);
  if (index < 0) return false;
  try {
    const runner = runnerDeclaration(checker, services, call);
    const param = runner?.parameters[index];
    const body = runner?.body;
    const paramName = param && !param.dotDotDotToken && ts.isIdentifier(param.name) ? param.name : undefined;
    if (!body || !paramName) return false;
    const paramSymbol = checker.getSymbolAtLocation(paramName);
    if (!paramSymbol) return false;
    let calls = 0;
    let other = false;
    const visit = (n: ts.Node): void => {
      if (other) return;
      if (ts.isIdentifier(n) && n !== paramName && n.text === paramName.text && checker.getSymbolAtLocation(n) === paramSymbol) {
        const parent = n.parent;
        if (ts.isCallExpression(parent) && parent.expression === n && rejectionEndsProcess(parent)) calls++;
        else other = true;
        return;
      }
      ts.forEachChild(n, visit);
    };
    visit(body);
    return calls > 0 && !other;
  } catch (error) {
    return recover(error, false);
  }
}

/** The function declaration (or `const f = (…) => …`) of a project source file that the call's callee names. */
function runnerDeclaration(checker: ts.TypeChecker, services: Services, call: TSESTree.CallExpression): ts.FunctionDeclaration | ts.ArrowFunction | ts.FunctionExpression | undefined {
  const tsCallee = services.esTreeNodeToTSNodeMap.get(call.callee) as ts.Expression | undefined;
  if (!tsCallee) return undefined;
  const name = ts.isPropertyAccessExpression(tsCallee) ? tsCallee.name : tsCallee;
  let symbol = checker.getSymbolAtLocation(name);
  if (symbol && symbol.flags & SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  const decl = symbol?.valueDeclaration;
  if (!decl || isLibraryFile(decl.getSourceFile())) return undefined;
  if (ts.isFunctionDeclaration(decl)) return decl;
  if (ts.isVariableDeclaration(decl) && decl.initializer && ts.isIdentifier(decl.name) && decl.parent.flags & ts.NodeFlags.Const) {
    const init = skipParentheses(decl.initializer);
    if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) return init;
    return undefined;
  }
  if (ts.isVariableDeclaration(decl) || (ts.isBindingElement(decl) && !(decl.parent.parent.flags & ts.NodeFlags.Const))) return undefined;
  // `const { runMain } = require('./utils')` with `exports.runMain = (main) => { … }` there (an export assigned, or a
  // constant destructured): the function its type was made from.
  const made = checker.getTypeAtLocation(name).getSymbol()?.valueDeclaration;
  if (made && !isLibraryFile(made.getSourceFile()) && (ts.isArrowFunction(made) || ts.isFunctionExpression(made) || ts.isFunctionDeclaration(made))) return made;
  return undefined;
}

function skipParentheses(e: ts.Expression): ts.Expression {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  return e;
}

/**
 * Does a rejection of this call's promise end the process? Its chain (`.then(f)`, `.finally(f)`) is followed to a
 * rejection handler that ends with `process.exit(…)`, or to its end in a statement of its own (`main();`, `void
 * main();`): unhandled. Any other handler, or a value someone takes, keeps the process going.
 */
function rejectionEndsProcess(call: ts.CallExpression): boolean {
  let link: ts.Expression = call;
  for (;;) {
    const access = link.parent;
    if (!ts.isPropertyAccessExpression(access) || access.expression !== link) break;
    const chained = access.parent;
    if (!ts.isCallExpression(chained) || chained.expression !== access) return false;
    const method = access.name.text;
    const handler = method === 'catch' ? chained.arguments[0] : method === 'then' ? chained.arguments[1] : undefined;
    if (handler) return endsWithProcessExit(handler);
    if (method !== 'then' && method !== 'finally') return false;
    link = chained;
  }
  let holder = link.parent;
  if (ts.isVoidExpression(holder)) holder = holder.parent;
  return ts.isExpressionStatement(holder);
}

/** A function whose last statement (or expression body) is `process.exit(…)`. */
function endsWithProcessExit(handler: ts.Expression): boolean {
  const fn = skipParentheses(handler);
  if (!ts.isArrowFunction(fn) && !ts.isFunctionExpression(fn)) return false;
  const body = fn.body;
  let last: ts.Node | undefined = body;
  if (ts.isBlock(body)) {
    const st = body.statements[body.statements.length - 1];
    last = st && ts.isExpressionStatement(st) ? st.expression : undefined;
  }
  if (!last || !ts.isCallExpression(last)) return false;
  const callee = last.expression;
  return (
    ts.isPropertyAccessExpression(callee) &&
    callee.expression.kind === SyntaxKind.Identifier &&
    (callee.expression as ts.Identifier).text === 'process' &&
    (callee.name.text === 'exit' || callee.name.text === 'abort')
  );
}

