import type { ESLintUtils, TSESLint } from '@typescript-eslint/utils';

export const REPO_URL = 'https://github.com/eslint-plugin-socket-close/eslint-plugin-socket-close';

export interface SocketCloseDocs {
  /** Whether the rule is part of `configs.recommended`. */
  recommended?: boolean;
  /** Whether the rule needs type information (always true for this plugin). */
  requiresTypeChecking?: boolean;
}

type RuleOptions = readonly object[];

/**
 * A rule module with its documentation URL and its options merged over `meta.defaultOptions`, as typescript-eslint's
 * `RuleCreator` makes one — without its deep clone of the defaults at every `create()` (a `structuredClone`, which
 * costs tens of microseconds per file and rule in a lint's heap: issue 13). Each option of these rules is a flat
 * object of scalars, so a shallow merge per position gives the same options, and the defaults are never handed out
 * to be mutated.
 */
export function createRule<Options extends RuleOptions, MessageIds extends string>(
  rule: Readonly<ESLintUtils.RuleWithMetaAndName<Options, MessageIds, SocketCloseDocs>>,
): TSESLint.RuleModule<MessageIds, Options, SocketCloseDocs> & { name: string } {
  const { name, meta, create } = rule;
  const defaults: RuleOptions = meta.defaultOptions ?? rule.defaultOptions ?? [];
  return {
    name,
    meta: { ...meta, docs: { ...meta.docs, url: `${REPO_URL}/blob/main/docs/rules/${name}.md` } },
    defaultOptions: rule.defaultOptions,
    create(context) {
      return create(context, withDefaults(defaults, context.options) as unknown as Options);
    },
  };
}

/** The options given, each merged over its default (shallowly: the options are flat objects). */
export function withDefaults(defaults: RuleOptions, given: readonly unknown[]): RuleOptions {
  const length = Math.max(defaults.length, given.length);
  const out: object[] = [];
  for (let i = 0; i < length; i++) {
    const d = defaults[i];
    const g = given[i];
    out.push(isObject(g) ? (isObject(d) ? { ...d, ...g } : g) : { ...d });
  }
  return out;
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
