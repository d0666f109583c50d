import type { TSESLint } from '@typescript-eslint/utils';
// `import = require` keeps the parser module object itself (no interop copy), so a user who also imports
// @typescript-eslint/parser, directly or through typescript-eslint, gets the very same parser object.
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the module object, not an interop copy
import parser = require('@typescript-eslint/parser');
import noLeak from './rules/no-leak';
import noUseAfterClose from './rules/no-use-after-close';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { name, version } = require('../package.json') as { name: string; version: string };

const rules = {
  'no-leak': noLeak,
  'no-use-after-close': noUseAfterClose,
} satisfies Record<string, TSESLint.RuleModule<string, readonly unknown[]>>;

/** The files that TypeScript type-checks without extra settings: what `configs.recommended` applies to. */
const TYPESCRIPT_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

type ConfigName = 'recommended' | 'recommendedRules' | 'disableTypeChecked';

interface SocketClosePlugin {
  meta: { name: string; version: string; namespace: string };
  rules: typeof rules;
  /**
   * - `recommended`: the complete set-up for TypeScript files (`files`, `@typescript-eslint/parser` with
   *   `projectService`, every rule as `error`). One line in `eslint.config.*`.
   * - `recommendedRules`: the plugin and its rules only, no `files` and no parser: for configs that already set
   *   up typed linting (typescript-eslint's shared configs).
   * - `disableTypeChecked`: every rule of the plugin `off`; for files linted without type information, next
   *   to typescript-eslint's `disableTypeChecked`.
   */
  configs: Record<ConfigName, TSESLint.FlatConfig.Config>;
}

const plugin: SocketClosePlugin = {
  meta: { name, version, namespace: 'socket-close' },
  rules,
  configs: {} as Record<ConfigName, TSESLint.FlatConfig.Config>,
};

const self = { 'socket-close': plugin as unknown as TSESLint.FlatConfig.Plugin };
const ruleIds = Object.keys(rules).map((ruleName) => `socket-close/${ruleName}`);

const errorRules = Object.fromEntries(ruleIds.map((id) => [id, 'error' as const]));

plugin.configs.recommended = {
  name: 'socket-close/recommended',
  files: TYPESCRIPT_FILES,
  plugins: self,
  languageOptions: {
    parser: parser as unknown as TSESLint.FlatConfig.Parser,
    parserOptions: { projectService: true },
  },
  rules: { ...errorRules },
};

plugin.configs.recommendedRules = {
  name: 'socket-close/recommended-rules',
  plugins: self,
  rules: { ...errorRules },
};

plugin.configs.disableTypeChecked = {
  name: 'socket-close/disable-type-checked',
  plugins: self,
  rules: Object.fromEntries(ruleIds.map((id) => [id, 'off' as const])),
};

export = plugin;
