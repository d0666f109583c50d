import { AST_TOKEN_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../engine/node-types';
import { calledAs, contains, isFunction, methodCallOn, propertyName } from '../engine/ast';
import * as ts from 'typescript';
import type { ResourceKind } from '../kinds/kind';
import type { FileModel } from '../model/file-model';
import type { Resource } from '../model/resource';
import { LISTENER_METHODS, PIPE_METHOD } from '../kinds/vocabulary';

export interface Suggestion {
  messageId: 'suggestFinally' | 'suggestAwaitUsing';
  data: Record<string, string>;
  fix: (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix;
}

const DECLARATIONS = new Set<string>([
  AST_NODE_TYPES.FunctionDeclaration,
  AST_NODE_TYPES.ClassDeclaration,
  AST_NODE_TYPES.TSTypeAliasDeclaration,
  AST_NODE_TYPES.TSInterfaceDeclaration,
  AST_NODE_TYPES.TSEnumDeclaration,
  AST_NODE_TYPES.TSModuleDeclaration,
]);

/**
 * Safe quick fixes for a leak. Offered only when the socket is used synchronously and directly by its owner: it
 * is declared with `const` straight in the function body, every reference to it is a method call on it or a
 * property read in that body (no closure, no argument, no return, no pipe), and it is never handed off, stored,
 * delegated to a callback or put in a collection — so releasing it when the block ends cuts short nobody's use.
 */
export function leakSuggestions(r: Resource, sourceCode: TSESLint.SourceCode, model: FileModel | undefined): Suggestion[] {
  const decl = declarationOf(r);
  if (!decl || !model) return [];
  const { declarator, statement, block, name, fn, id } = decl;
  if (r.registrations.length > 0 || r.containers.size > 0 || r.successHandoff || r.field || r.outerStore || r.discarded) {
    return [];
  }
  for (const ops of r.ops.values()) {
    for (const op of ops) {
      if (op.t === 'kill' && op.why !== 'release') return [];
      if (op.t === 'overwrite') return [];
    }
  }
  if (r.aliases.size !== 1) return [];
  const variable = [...r.aliases][0];
  if (!variable) return [];
  // The declared type must be the socket's for the finally block (a `NodeJS.WritableStream` has no destroy()).
  const typedAsSocket = !declarator.id.typeAnnotation || model.kindOfVariable(variable) === r.kind;
  const releaseCalls: TSESTree.CallExpression[] = [];
  for (const ref of variable.references) {
    if (ref.init) continue;
    const id = ref.identifier as TSESTree.Identifier;
    if (!contains(fn.body, id)) return [];
    // A closure may run after the block ends.
    let n: TSESTree.Node | undefined = id.parent;
    while (n && n !== fn) {
      if (isFunction(n)) return [];
      n = n.parent;
    }
    const call = methodCallOn(id);
    if (call) {
      if (call.name === PIPE_METHOD || LISTENER_METHODS.has(call.name)) return [];
      if (r.kind.releases.has(call.name)) releaseCalls.push(call.call);
      continue;
    }
    if (id.parent?.type === AST_NODE_TYPES.MemberExpression && id.parent.object === id) continue;
    // ``sql`select 1` ``: a query made with a callable resource, by its owner.
    if (r.kind.callable && calledAs(id)) continue;
    if (synchronousArgument(id, model)) continue;
    return [];
  }
  const out: Suggestion[] = [];
  const index = block.indexOf(statement);
  const text = sourceCode.text;
  const plan = finallyPlan(block.slice(index + 1), releaseCalls, r.kind, fn.async === true, model, id);
  const rest = plan?.body ?? [];
  // Some finally releases need an awaited event first (terminate() on a connecting WebSocket emits an error).
  const finallyOk = plan !== undefined && typedAsSocket && rest.length > 0 && (r.kind.finallyNeedsEvent === undefined || awaitsEvent(rest, name, r.kind.finallyNeedsEvent)) && !rest.some((s) => DECLARATIONS.has(s.type)) && !declaresNamesUsedOutside(rest, sourceCode);
  if (finallyOk) {
    const first = rest[0];
    const last = rest[rest.length - 1];
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lineStart = text.lastIndexOf('\n', statement.range[0] - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, statement.range[0]))?.[0] ?? '';
    const unit = indent.includes('\t') ? '\t' : '  ';
    // Keep a trailing comment on the declaration's line where it is.
    let from = statement.range[1];
    for (const c of sourceCode.getCommentsAfter(statement)) {
      if (c.loc.start.line === statement.loc.end.line) from = c.range[1];
    }
    const release = plan.moved ? statementText(plan.moved, sourceCode) : `${plan.await ? 'await ' : ''}${name}.${r.kind.finallyRelease}();`;
    const end = plan.end.range[1];
    let replacement: string;
    if (first.loc.start.line === statement.loc.end.line) {
      const body = plan.moved
        ? `${text.slice(from, plan.moved.range[0]).trim()} ${text.slice(plan.moved.range[1], end).trim()}`.trim()
        : text.slice(from, last.range[1]).trim();
      replacement = ` try { ${body} } finally { ${release} }`;
    } else {
      const templateLines = multiLineTemplateLines(sourceCode, first.range[0], end);
      const startLine = sourceCode.getLocFromIndex(from).line;
      const firstBodyLine = startLine + 1;
      const movedLines = plan.moved ? [plan.moved.loc.start.line, plan.moved.loc.end.line] : [0, -1];
      const inner = text
        .slice(from, end)
        .replace(/^[ \t]*\r?\n/, '')
        .split(/\r?\n/)
        .map((l, i) => ({ l, n: firstBodyLine + i }))
        .filter(({ n }) => n < movedLines[0] || n > movedLines[1])
        .map(({ l, n }) => (l.trim() === '' || templateLines.has(n) ? l : `${unit}${l}`))
        .join(eol)
        .replace(/(\r?\n[ \t]*)+$/, '');
      replacement = `${eol}${indent}try {${eol}${inner}${eol}${indent}} finally {${eol}${indent}${unit}${release}${eol}${indent}}`;
    }
    out.push({
      messageId: 'suggestFinally',
      data: { name, release: plan.moved ? `${plan.movedMethod}()` : `${r.kind.finallyRelease}()` },
      fix: (fixer) => fixer.replaceTextRange([from, end], replacement),
    });
  }
  if (r.kind.disposable && fn.async && statement.kind === 'const' && statement.declarations.length === 1) {
    const constToken = sourceCode.getFirstToken(statement);
    if (constToken?.value === 'const') {
      out.push({
        messageId: 'suggestAwaitUsing',
        data: { name },
        fix: (fixer) => fixer.replaceText(constToken, 'await using'),
      });
    }
  }
  return out;
}

interface FinallyPlan {
  /** The statements that go into the try block. */
  body: TSESTree.Statement[];
  /** The last statement the fix replaces. */
  end: TSESTree.Statement;
  /** The function's own release statement, moved into the finally block instead of adding a second release. */
  moved?: TSESTree.Statement;
  movedMethod?: string;
  /** Await the added release (an async function, and the release returns a promise). */
  await: boolean;
}

/**
 * What the finally fix does with the statements after the declaration. When they already release the resource
 * once, as a statement of its own followed only by `return`s (`const r = await c.query(q); c.release(); return
 * r;`) and calling the kind's finally release, that statement moves into the finally block; adding a second release there would run both on success,
 * which throws for some kinds (a pg PoolClient, an amqplib Channel). Other releases in the statements: the fix is
 * offered only when a second release is harmless.
 */
function finallyPlan(
  rest: TSESTree.Statement[],
  releaseCalls: TSESTree.CallExpression[],
  kind: ResourceKind,
  isAsync: boolean,
  model: FileModel,
  id: TSESTree.Identifier,
): FinallyPlan | undefined {
  const end = rest[rest.length - 1];
  if (!end) return undefined;
  const awaitRelease = isAsync && releaseReturnsPromise(model, id, kind.finallyRelease);
  if (releaseCalls.length === 0) return { body: rest, end, await: awaitRelease };
  const [only] = releaseCalls;
  if (releaseCalls.length === 1 && only) {
    const stmt = rest.find((s) => s.type === AST_NODE_TYPES.ExpressionStatement && unwrapAwait(s.expression) === only);
    const method = only.callee.type === AST_NODE_TYPES.MemberExpression ? propertyName(only.callee) : undefined;
    // Only the kind's own finally release works in any state (ioredis `quit()` does not, `disconnect()` does).
    if (stmt && method === kind.finallyRelease) {
      const after = rest.slice(rest.indexOf(stmt) + 1);
      const body = rest.filter((s) => s !== stmt);
      const ownLines = (other: TSESTree.Node): boolean => other.loc.end.line < stmt.loc.start.line || other.loc.start.line > stmt.loc.end.line;
      if (body.length > 0 && after.every((s) => s.type === AST_NODE_TYPES.ReturnStatement) && body.every(ownLines)) {
        return { body, end, moved: stmt, movedMethod: method, await: awaitRelease };
      }
    }
  }
  return kind.doubleReleaseThrows ? undefined : { body: rest, end, await: awaitRelease };
}

function unwrapAwait(e: TSESTree.Expression): TSESTree.Node {
  const inner = e.type === AST_NODE_TYPES.AwaitExpression ? e.argument : e;
  return inner.type === AST_NODE_TYPES.ChainExpression ? inner.expression : inner;
}

/** The statement's text, ending with a semicolon. */
function statementText(stmt: TSESTree.Statement, sourceCode: TSESLint.SourceCode): string {
  const t = sourceCode.getText(stmt).trim();
  return t.endsWith(';') ? t : `${t};`;
}

/** Does `method` of the variable's declared type return a promise (`pg.Client#end()`, `MongoClient#close()`)? */
function releaseReturnsPromise(model: FileModel, id: TSESTree.Identifier, method: string): boolean {
  const tsNode = model.services.esTreeNodeToTSNodeMap.get(id);
  if (!tsNode) return false;
  const type = model.checker.getNonNullableType(model.checker.getTypeAtLocation(tsNode));
  const prop = type.getProperty(method);
  if (!prop) return false;
  // The overloads a call without arguments can pick (`end(): Promise<void>` beside `end(callback): void`).
  const callable = model.checker
    .getTypeOfSymbol(prop)
    .getCallSignatures()
    .filter((sig) => sig.getParameters().every((p) => {
      const d = p.valueDeclaration;
      return d !== undefined && ts.isParameter(d) && (d.questionToken !== undefined || d.initializer !== undefined || d.dotDotDotToken !== undefined);
    }));
  return callable.length > 0 && callable.every((sig) => sig.getReturnType().getProperty('then') !== undefined);
}

/** `await once(ws, 'open')` among the statements: the finally release then never meets a connecting socket. */
function awaitsEvent(rest: TSESTree.Node[], name: string, awaited: string): boolean {
  return rest.some((stmt) => {
    if (stmt.type !== AST_NODE_TYPES.ExpressionStatement || stmt.expression.type !== AST_NODE_TYPES.AwaitExpression) return false;
    const call = stmt.expression.argument;
    if (call.type !== AST_NODE_TYPES.CallExpression || call.callee.type !== AST_NODE_TYPES.Identifier || call.callee.name !== 'once') return false;
    const [target, event] = call.arguments;
    return target?.type === AST_NODE_TYPES.Identifier && target.name === name && event?.type === AST_NODE_TYPES.Literal && event.value === awaited;
  });
}

/**
 * An argument position that does not keep the socket beyond the call: a local function that releases its
 * parameter, or `await once(s, 'connect')`-style waiting on it, not returned.
 */
function synchronousArgument(id: TSESTree.Identifier, model: FileModel): boolean {
  const call = id.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || !call.arguments.includes(id)) return false;
  for (let n: TSESTree.Node | undefined = call.parent; n && !isFunction(n); n = n.parent) {
    if (n.type === AST_NODE_TYPES.ReturnStatement) return false;
  }
  const fn = model.functionValue(call.callee);
  if (fn) return model.parameterEffect(fn, call.arguments.indexOf(id)) === 'release';
  const callee = call.callee.type === AST_NODE_TYPES.MemberExpression ? call.callee.property : call.callee;
  const name = callee.type === AST_NODE_TYPES.Identifier ? callee.name : '';
  return (name === 'once' && call.parent?.type === AST_NODE_TYPES.AwaitExpression) || /^(log|error|warn|info|debug)$/.test(name);
}

/** Lines (1-based) that continue a multi-line template literal: their leading spaces are data. */
function multiLineTemplateLines(sourceCode: TSESLint.SourceCode, from: number, to: number): Set<number> {
  const lines = new Set<number>();
  const tokens = sourceCode.ast.tokens;
  // Binary search for the first token that ends at or after `from`.
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((tokens[mid]).range[1] < from) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.range[0] > to) break;
    if (token.type !== AST_TOKEN_TYPES.Template || token.loc.start.line === token.loc.end.line) continue;
    for (let l = token.loc.start.line + 1; l <= token.loc.end.line; l++) lines.add(l);
  }
  return lines;
}

/** Do the statements declare variables that code outside them uses (e.g. a closure declared earlier)? */
function declaresNamesUsedOutside(rest: TSESTree.Node[], sourceCode: TSESLint.SourceCode): boolean {
  const start = (rest[0]).range[0];
  const end = (rest[rest.length - 1]).range[1];
  for (const stmt of rest) {
    if (stmt.type !== AST_NODE_TYPES.VariableDeclaration) continue;
    for (const v of sourceCode.getDeclaredVariables(stmt)) {
      for (const ref of v.references) {
        const r = ref.identifier.range;
        if (r[0] < start || r[1] > end) return true;
      }
    }
  }
  return false;
}

function declarationOf(r: Resource):
  | {
      declarator: TSESTree.VariableDeclarator;
      statement: TSESTree.VariableDeclaration;
      block: TSESTree.Statement[];
      name: string;
      id: TSESTree.Identifier;
      fn: TSESTree.FunctionLike & { body: TSESTree.BlockStatement };
    }
  | undefined {
  let value: TSESTree.Node = r.report;
  while (
    value.parent &&
    (value.parent.type === AST_NODE_TYPES.TSAsExpression ||
      value.parent.type === AST_NODE_TYPES.TSNonNullExpression ||
      value.parent.type === AST_NODE_TYPES.AwaitExpression)
  ) {
    value = value.parent;
  }
  const declarator = value.parent;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== value) return undefined;
  if (declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  const statement = declarator.parent;
  if (statement.kind !== 'const' || statement.declarations.length !== 1) return undefined;
  const container = statement.parent;
  if (container?.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  const fn = container.parent;
  if (!isFunction(fn) || fn.body !== container) return undefined;
  return { declarator, statement, block: container.body, name: declarator.id.name, id: declarator.id, fn: fn as TSESTree.FunctionLike & { body: TSESTree.BlockStatement } };
}
