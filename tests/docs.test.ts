import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index';
import {
  MARKERS,
  configsEnablingRule,
  extractBlock,
  generateHeader,
  generateOptionsList,
  generateRulesList,
  listOptions,
  missingDescriptions,
  replaceBlock,
  type DocsPlugin,
} from '../scripts/docs-header.mjs';

const root = path.join(__dirname, '..');
const docsDir = path.join(root, 'docs', 'rules');
const docsPlugin = plugin as unknown as DocsPlugin;
const ruleNames = Object.keys(plugin.rules).sort();
const FIX = 'run `npm run build && npm run docs`';

function readDoc(name: string): string {
  return fs.readFileSync(path.join(docsDir, `${name}.md`), 'utf8');
}

describe('rule documentation', () => {
  it('the plugin has rules to document', () => {
    expect(ruleNames.length).toBeGreaterThan(0);
  });

  it('every rule has docs/rules/<name>.md', () => {
    const missing = ruleNames.filter((name) => !fs.existsSync(path.join(docsDir, `${name}.md`)));
    expect(missing, `rules without a doc file (${FIX})`).toEqual([]);
  });

  it('every docs/rules/*.md belongs to a rule', () => {
    const orphans = fs
      .readdirSync(docsDir)
      .filter((f) => f.endsWith('.md'))
      .map((f) => f.slice(0, -3))
      .filter((name) => !ruleNames.includes(name));
    expect(orphans, 'doc files without a rule').toEqual([]);
  });

  describe.each(ruleNames)('%s', (name) => {
    const rule = docsPlugin.rules[name]!;

    it('meta.docs.url points at docs/rules/<name>.md', () => {
      expect(rule.meta?.docs?.url).toMatch(new RegExp(`(^|/)docs/rules/${name}\\.md$`));
    });

    it('has a non-empty description', () => {
      expect(rule.meta?.docs?.description?.trim()).toBeTruthy();
    });

    it('every schema property has a description', () => {
      expect(missingDescriptions(rule), 'options without a description').toEqual([]);
    });

    it('meta.docs.recommended agrees with configs.recommended', () => {
      const inRecommended = configsEnablingRule(docsPlugin, name).includes('recommended');
      expect(rule.meta?.docs?.recommended === true).toBe(inRecommended);
    });

    it('the header block is up to date', () => {
      const block = extractBlock(readDoc(name), MARKERS.header);
      expect(block, `docs/rules/${name}.md has no header markers`).toBeDefined();
      expect(block, `header of docs/rules/${name}.md is stale (${FIX})`).toBe(generateHeader(docsPlugin, name));
    });

    it('the options block is up to date', () => {
      const block = extractBlock(readDoc(name), MARKERS.options);
      expect(block, `docs/rules/${name}.md has no options markers`).toBeDefined();
      expect(block, `options of docs/rules/${name}.md are stale (${FIX})`).toBe(generateOptionsList(docsPlugin, name));
    });

    it('the options block names every schema property', () => {
      const block = extractBlock(readDoc(name), MARKERS.options) ?? '';
      for (const option of listOptions(rule)) expect(block).toContain(`\`${option.path}\``);
    });

    it('has the hand-written "Rule details" section', () => {
      expect(readDoc(name)).toMatch(/^## Rule details$/m);
    });

    it('opens with an incorrect/correct pair and the options table, before the details', () => {
      const text = readDoc(name);
      const details = text.search(/^## Rule details$/m);
      const top = text.slice(0, details);
      expect(top).toMatch(/<!-- incorrect\b/);
      expect(top).toMatch(/<!-- correct\b/);
      expect(top).toContain(MARKERS.options[0]);
      // The quick answer fits on a screen or two: header, pair, options and the disable comment.
      expect(top.split('\n').length).toBeLessThanOrEqual(80);
    });

    it('shows how to disable one report with a reason', () => {
      expect(readDoc(name)).toContain(`// eslint-disable-next-line socket-close/${name} -- `);
    });
  });

  it('the README rules table is up to date', () => {
    const readmes = ['README.md'].filter((f) => fs.existsSync(path.join(root, f)));
    expect(readmes.length, 'README.md does not exist').toBeGreaterThan(0);
    const expected = generateRulesList(docsPlugin, 'docs/rules/');
    for (const readme of readmes) {
      const block = extractBlock(fs.readFileSync(path.join(root, readme), 'utf8'), MARKERS.rulesList);
      expect(block, `${readme} has no rules list markers`).toBeDefined();
      expect(block, `rules table of ${readme} is stale (${FIX})`).toBe(expected);
    }
  });
});

// The checks above are only as good as the generator; these make sure it notices what it must notice.
describe('docs generator', () => {
  const fake = (schema: unknown, extra: Record<string, unknown> = {}): DocsPlugin => ({
    rules: {
      r: {
        meta: { docs: { description: 'A rule | with a pipe', requiresTypeChecking: true }, schema, ...extra },
        defaultOptions: [{ mode: 'fast' }],
      },
    },
    configs: { recommended: { rules: { 'socket-close/r': 'error' } } },
  });

  it('finds schema properties without a description', () => {
    const plugin = fake([
      {
        type: 'object',
        properties: {
          documented: { type: 'boolean', description: 'Yes.' },
          undocumented: { type: 'boolean' },
          blank: { type: 'string', description: '  ' },
        },
      },
    ]);
    expect(missingDescriptions(plugin.rules.r!)).toEqual(['undocumented', 'blank']);
  });

  it('renders type, default and description of each option, escaping pipes', () => {
    const plugin = fake([
      {
        type: 'object',
        properties: {
          mode: { enum: ['fast', 'slow'], description: 'Speed.' },
          limit: { type: 'integer', default: 3, description: 'At most | this many.' },
        },
      },
    ]);
    const table = generateOptionsList(plugin, 'r');
    expect(table).toContain('| `mode` | "fast" \\| "slow" | `"fast"` | Speed. |');
    expect(table).toContain('| `limit` | integer | `3` | At most \\| this many. |');
  });

  it('says when a rule has no options', () => {
    expect(generateOptionsList(fake([]), 'r')).toBe('This rule has no options.');
  });

  it('the header reflects configs, type information and suggestions', () => {
    const on = generateHeader(fake([], { hasSuggestions: true }), 'r');
    expect(on).toContain('# socket-close/r');
    expect(on).toContain('> A rule | with a pipe');
    expect(on).toContain('`configs.recommended` (as `error`)');
    expect(on).toContain('Requires type information');
    expect(on).toContain('Provides editor suggestions');
    const off = generateHeader({ ...fake([]), configs: {} }, 'r');
    expect(off).toContain('Not enabled in any shared config');
    expect(off).toContain('No suggestions');
  });

  it('a changed description makes the committed header stale', () => {
    const name = ruleNames[0]!;
    const original = docsPlugin.rules[name]!;
    const changed: DocsPlugin = {
      ...docsPlugin,
      rules: { ...docsPlugin.rules, [name]: { ...original, meta: { ...original.meta, docs: { ...original.meta?.docs, description: 'Something else' } } } },
    };
    expect(extractBlock(readDoc(name), MARKERS.header)).not.toBe(generateHeader(changed, name));
  });

  it('replaceBlock and extractBlock round-trip and refuse missing markers', () => {
    const text = `intro\n${MARKERS.header[0]}\nold\n${MARKERS.header[1]}\noutro\n`;
    const next = replaceBlock(text, MARKERS.header, 'new\ncontent');
    expect(next).toBe(`intro\n${MARKERS.header[0]}\nnew\ncontent\n${MARKERS.header[1]}\noutro\n`);
    expect(extractBlock(next!, MARKERS.header)).toBe('new\ncontent');
    expect(replaceBlock('no markers', MARKERS.header, 'x')).toBeUndefined();
    expect(extractBlock('no markers', MARKERS.header)).toBeUndefined();
  });
});
