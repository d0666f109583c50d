/**
 * Set-up problems that would otherwise make the rules silent: a file that imports a socket module whose types do
 * not resolve (no `@types/node`, or TypeScript 6's default `"types": []`; `ws` without `@types/ws`) has every
 * socket typed `any`.
 */
import { type TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from './node-types';
import * as ts from 'typescript';
import { TYPED_MODULES } from '../kinds/built-in';
import type { Services } from '../model/bindings';
// The enums as module constants: `ts.X` reads go through the typescript module's export getters.
const { SymbolFlags } = ts;

export interface MissingTypes {
  readonly module: string;
  readonly fix: string;
}

/** Module specifiers of the file's imports and top-level-ish `require()` calls, with their AST nodes. */
function importedModules(ast: TSESTree.Program, withRequire: boolean): TSESTree.StringLiteral[] {
  const out: TSESTree.StringLiteral[] = [];
  const visit = (node: TSESTree.Node, depth: number): void => {
    if (depth > 6) return;
    switch (node.type) {
      case AST_NODE_TYPES.ImportDeclaration:
        out.push(node.source);
        return;
      case AST_NODE_TYPES.TSImportEqualsDeclaration:
        if (node.moduleReference.type === AST_NODE_TYPES.TSExternalModuleReference && node.moduleReference.expression.type === AST_NODE_TYPES.Literal) {
          out.push(node.moduleReference.expression);
        }
        return;
      case AST_NODE_TYPES.CallExpression: {
        const [arg] = node.arguments;
        if (withRequire && node.callee.type === AST_NODE_TYPES.Identifier && node.callee.name === 'require' && arg?.type === AST_NODE_TYPES.Literal && typeof arg.value === 'string') {
          out.push(arg);
        }
        return;
      }
      case AST_NODE_TYPES.VariableDeclaration:
        for (const d of node.declarations) if (d.init) visit(d.init, depth + 1);
        return;
      case AST_NODE_TYPES.MemberExpression:
        visit(node.object, depth + 1);
        return;
      case AST_NODE_TYPES.ExpressionStatement:
        visit(node.expression, depth + 1);
        return;
      case AST_NODE_TYPES.ExportNamedDeclaration:
        if (node.source) out.push(node.source);
        else if (node.declaration) visit(node.declaration, depth + 1);
        return;
      default:
        return;
    }
  };
  for (const statement of ast.body) visit(statement, 0);
  return out;
}

/** The first socket module the file imports whose types do not resolve, with what to do about it. */
export function missingTypes(ast: TSESTree.Program, services: Services): MissingTypes | undefined {
  const checker = services.program.getTypeChecker();
  // A plain `require()` in a TypeScript file is `any` whatever is installed (only JavaScript files get its types):
  // installing types would not help, so only imports count there.
  const file = services.esTreeNodeToTSNodeMap.get(ast)?.getSourceFile().fileName ?? '';
  const javaScript = /\.[cm]?jsx?$/i.test(file);
  for (const literal of importedModules(ast, javaScript)) {
    const known = TYPED_MODULES.get(literal.value);
    if (!known) continue;
    const tsNode = services.esTreeNodeToTSNodeMap.get(literal);
    if (!tsNode) continue;
    const symbol = checker.getSymbolAtLocation(tsNode);
    if (symbol && symbol.flags & (SymbolFlags.ValueModule | SymbolFlags.NamespaceModule)) continue;
    const install = `install ${known.install} (npm i -D ${known.install})`;
    const fix = known.typesEntry
      ? `To fix it, ${install} and add "${known.typesEntry}" to compilerOptions.types in your tsconfig.json (TypeScript 6 defaults "types" to []).`
      : `To fix it, ${install}.`;
    return { module: literal.value, fix };
  }
  return undefined;
}
