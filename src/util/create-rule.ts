import { ESLintUtils } from '@typescript-eslint/utils';

export const REPO_URL = 'https://github.com/eslint-plugin-socket-close/eslint-plugin-socket-close';

export interface SocketCloseDocs {
  /** Whether the rule is part of `configs.recommended`. */
  recommended?: boolean;
  /** Whether the rule needs type information (always true for this plugin). */
  requiresTypeChecking?: boolean;
}

export const createRule = ESLintUtils.RuleCreator<SocketCloseDocs>(
  (name) => `${REPO_URL}/blob/main/docs/rules/${name}.md`,
);
