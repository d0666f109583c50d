// The rules' own `createRule` (src/util/create-rule.ts): options merged over `meta.defaultOptions` the way
// typescript-eslint's RuleCreator merges them for flat options, without cloning the defaults deeply per file.
import { describe, expect, it } from 'vitest';
import { createRule, withDefaults } from '../src/util/create-rule';

describe('withDefaults', () => {
  it('gives a copy of the defaults when no option is given', () => {
    const defaults = [{ checkModuleScope: false }];
    const merged = withDefaults(defaults, []);
    expect(merged).toEqual([{ checkModuleScope: false }]);
    expect(merged[0]).not.toBe(defaults[0]);
  });

  it('merges a given option over its default, key by key, leaving the defaults as they were', () => {
    const defaults = [{ reportDoubleRelease: false, checkUnrelatedListeners: false }];
    expect(withDefaults(defaults, [{ checkUnrelatedListeners: true }])).toEqual([{ reportDoubleRelease: false, checkUnrelatedListeners: true }]);
    expect(defaults).toEqual([{ reportDoubleRelease: false, checkUnrelatedListeners: false }]);
  });

  it('keeps an option without a default as given', () => {
    expect(withDefaults([], [{ endIsRelease: false }])).toEqual([{ endIsRelease: false }]);
  });
});

describe('createRule', () => {
  const rule = createRule<[{ flag?: boolean; other?: boolean }], 'm'>({
    name: 'probe',
    meta: {
      type: 'problem',
      docs: { description: 'probe' },
      messages: { m: 'm' },
      schema: [{ type: 'object', properties: { flag: { type: 'boolean' }, other: { type: 'boolean' } }, additionalProperties: false }],
      defaultOptions: [{ flag: false, other: true }],
    },
    defaultOptions: [{ flag: false, other: true }],
    create(_context, [options]) {
      seen.push(options);
      return {};
    },
  });
  const seen: unknown[] = [];

  it('links the rule to its documentation page', () => {
    expect(rule.meta.docs?.url).toMatch(/\/docs\/rules\/probe\.md$/);
    expect(rule.name).toBe('probe');
  });

  it('hands create() the merged options', () => {
    const context = { options: [{ flag: true }] } as unknown as Parameters<typeof rule.create>[0];
    rule.create(context);
    expect(seen.at(-1)).toEqual({ flag: true, other: true });
  });
});
