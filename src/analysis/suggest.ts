import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isFunction } from './ast';
import type { Resource } from './model';

export interface Suggestion {
  messageId: 'suggestFinally' | 'suggestAwaitUsing';
  data: Record<string, string>;
  fix: (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix;
}

/**
 * Safe quick fixes for a leak. Offered only when the socket is used synchronously by its owner: it is declared
 * with `const` in a block, never handed off, stored, delegated to a callback or put in a collection — so releasing
 * it when the block ends cannot cut short somebody else's use of it.
 */
export function leakSuggestions(r: Resource, sourceCode: TSESLint.SourceCode): Suggestion[] {
  const decl = declarationOf(r);
  if (!decl) return [];
  const { declarator, statement, block, name } = decl;
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
  const out: Suggestion[] = [];
  const index = block.indexOf(statement);
  const rest = block.slice(index + 1);
  if (rest.length > 0 && !rest.some((s) => s.type === AST_NODE_TYPES.FunctionDeclaration)) {
    const first = rest[0] as TSESTree.Node;
    const last = rest[rest.length - 1] as TSESTree.Node;
    const text = sourceCode.text;
    const lineStart = text.lastIndexOf('\n', statement.range[0] - 1) + 1;
    const indent = /^[ \t]*/.exec(text.slice(lineStart, statement.range[0]))?.[0] ?? '';
    const sameLine = first.loc.start.line === statement.loc.end.line;
    const body = text.slice(statement.range[1], last.range[1]).replace(/^[ \t]*\n?/, '');
    const method = r.kind.finallyRelease;
    let replacement: string;
    if (sameLine) {
      replacement = ` try { ${body.trim()} } finally { ${name}.${method}(); }`;
    } else {
      const inner = body
        .split('\n')
        .map((l) => (l.trim() === '' ? '' : `  ${l}`))
        .join('\n');
      replacement = `\n${indent}try {\n${inner}\n${indent}} finally {\n${indent}  ${name}.${method}();\n${indent}}`;
    }
    out.push({
      messageId: 'suggestFinally',
      data: { name, release: `${method}()` },
      fix: (fixer) => fixer.replaceTextRange([statement.range[1], last.range[1]], replacement),
    });
  }
  const fn = enclosingFunctionOf(statement);
  if (
    r.kind.disposable &&
    fn?.async &&
    statement.kind === 'const' &&
    statement.declarations.length === 1 &&
    declarator.init !== null
  ) {
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

function declarationOf(r: Resource):
  | {
      declarator: TSESTree.VariableDeclarator;
      statement: TSESTree.VariableDeclaration;
      block: TSESTree.Node[];
      name: string;
    }
  | undefined {
  let value: TSESTree.Node = r.report;
  while (value.parent && (value.parent.type === AST_NODE_TYPES.TSAsExpression || value.parent.type === AST_NODE_TYPES.TSNonNullExpression)) {
    value = value.parent;
  }
  const declarator = value.parent;
  if (declarator?.type !== AST_NODE_TYPES.VariableDeclarator || declarator.init !== value) return undefined;
  if (declarator.id.type !== AST_NODE_TYPES.Identifier) return undefined;
  const statement = declarator.parent;
  if (statement.kind !== 'const' || statement.declarations.length !== 1) return undefined;
  const container = statement.parent;
  if (container?.type !== AST_NODE_TYPES.BlockStatement) return undefined;
  if (!isFunction(container.parent)) return undefined;
  return { declarator, statement, block: container.body, name: declarator.id.name };
}

function enclosingFunctionOf(node: TSESTree.Node): TSESTree.FunctionLike | undefined {
  let n = node.parent;
  while (n) {
    if (isFunction(n)) return n;
    n = n.parent;
  }
  return undefined;
}
