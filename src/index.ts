import type { TSESLint } from '@typescript-eslint/utils';
import noLeak from './rules/no-leak';
import noUseAfterClose from './rules/no-use-after-close';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { name, version } = require('../package.json') as { name: string; version: string };

const rules = {
  'no-leak': noLeak,
  'no-use-after-close': noUseAfterClose,
} satisfies Record<string, TSESLint.RuleModule<string, readonly unknown[]>>;

interface SocketClosePlugin {
  meta: { name: string; version: string; namespace: string };
  rules: typeof rules;
  configs: { recommended: TSESLint.FlatConfig.Config };
}

const plugin: SocketClosePlugin = {
  meta: { name, version, namespace: 'socket-close' },
  rules,
  configs: { recommended: {} },
};

plugin.configs.recommended = {
  name: 'socket-close/recommended',
  plugins: { 'socket-close': plugin as unknown as TSESLint.FlatConfig.Plugin },
  rules: Object.fromEntries(
    Object.keys(rules).map((ruleName) => [`socket-close/${ruleName}`, 'error' as const]),
  ),
};

export = plugin;
