import { AST_NODE_TYPES as NODE_TYPES } from '@typescript-eslint/utils';

/**
 * The ESTree node type names, as a plain module constant. `@typescript-eslint/utils` re-exports them through
 * property getters, and compiled CommonJS reads `utils.AST_NODE_TYPES.X` on every comparison: on the plugin's hot
 * paths (one test per node of every file) those getter calls cost more than the comparisons themselves.
 */
export const AST_NODE_TYPES = NODE_TYPES;
