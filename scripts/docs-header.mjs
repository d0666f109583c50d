// Pure generators for the auto-generated parts of the documentation. Shared by scripts/sync-docs.mjs
// (which writes them) and tests/docs.test.ts (which checks that the committed docs match them).
// No file system access here: every function takes the plugin object and returns strings.

export const PLUGIN_PREFIX = 'socket-close';

export const MARKERS = {
  header: ['<!-- begin auto-generated rule header -->', '<!-- end auto-generated rule header -->'],
  options: ['<!-- begin auto-generated rule options list -->', '<!-- end auto-generated rule options list -->'],
  rulesList: ['<!-- begin auto-generated rules list -->', '<!-- end auto-generated rules list -->'],
};

/** Names of the configs a rule is enabled in (`recommended`, …), from the plugin's real configs. */
export function configsEnablingRule(plugin, ruleName) {
  const id = `${PLUGIN_PREFIX}/${ruleName}`;
  const names = [];
  for (const [configName, config] of Object.entries(plugin.configs ?? {})) {
    const list = Array.isArray(config) ? config : [config];
    const enabled = list.some((c) => {
      const setting = c?.rules?.[id];
      const severity = Array.isArray(setting) ? setting[0] : setting;
      return severity !== undefined && severity !== 'off' && severity !== 0;
    });
    if (enabled) names.push(configName);
  }
  return names;
}

function severityIn(plugin, configName, ruleName) {
  const config = plugin.configs[configName];
  const list = Array.isArray(config) ? config : [config];
  for (const c of list) {
    const setting = c?.rules?.[`${PLUGIN_PREFIX}/${ruleName}`];
    if (setting !== undefined) return String(Array.isArray(setting) ? setting[0] : setting);
  }
  return 'off';
}

function hasSuggestions(rule) {
  return rule.meta?.hasSuggestions === true;
}

function isFixable(rule) {
  return rule.meta?.fixable === 'code' || rule.meta?.fixable === 'whitespace';
}

function requiresTypes(rule) {
  return rule.meta?.docs?.requiresTypeChecking === true;
}

/** The header block (title, description, badges), without the markers. */
export function generateHeader(plugin, ruleName) {
  const rule = plugin.rules[ruleName];
  const meta = rule.meta ?? {};
  const lines = [`# ${PLUGIN_PREFIX}/${ruleName}`, '', `> ${meta.docs?.description ?? ''}`, ''];
  const configs = configsEnablingRule(plugin, ruleName);
  if (configs.length > 0) {
    const list = configs
      .map((c) => `\`configs.${c}\` (as \`${severityIn(plugin, c, ruleName)}\`)`)
      .join(', ');
    lines.push(`- ✅ Enabled in ${list}.`);
  } else {
    lines.push('- Not enabled in any shared config.');
  }
  lines.push(
    requiresTypes(rule)
      ? '- 💭 Requires type information (`parserOptions.projectService` or `parserOptions.project`).'
      : '- Does not require type information.',
  );
  lines.push(hasSuggestions(rule) ? '- 💡 Provides editor suggestions.' : '- No suggestions.');
  lines.push(isFixable(rule) ? '- 🔧 Automatically fixable with `--fix`.' : '- Not automatically fixable.');
  if (meta.deprecated) lines.push('- ❌ Deprecated.');
  return lines.join('\n');
}

function schemaList(rule) {
  const schema = rule.meta?.schema;
  if (schema === undefined || schema === false) return [];
  return Array.isArray(schema) ? schema : [schema];
}

function defaultOptionsOf(rule) {
  return rule.meta?.defaultOptions ?? rule.defaultOptions ?? [];
}

function escapeCell(text) {
  return String(text).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function formatType(schema) {
  if (schema === undefined || schema === null) return 'unknown';
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (Array.isArray(alternatives)) return alternatives.map(formatType).join(' | ');
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : schema.type;
  if (type === 'array') return `${formatType(schema.items)}[]`;
  return type ?? 'unknown';
}

function formatDefault(value) {
  if (value === undefined) return '';
  return `\`${JSON.stringify(value)}\``;
}

/**
 * Every documented option as a flat list: for an object schema each property is one option
 * (`path` is its name), any other positional schema is one option named by its position.
 */
export function listOptions(rule) {
  const defaults = defaultOptionsOf(rule);
  const options = [];
  schemaList(rule).forEach((schema, index) => {
    if (schema?.type === 'object' && schema.properties) {
      for (const [name, prop] of Object.entries(schema.properties)) {
        const fromDefaults = defaults[index]?.[name];
        options.push({
          path: name,
          type: formatType(prop),
          default: fromDefaults !== undefined ? fromDefaults : prop?.default,
          description: prop?.description,
        });
      }
    } else {
      options.push({
        path: `option ${index + 1}`,
        type: formatType(schema),
        default: defaults[index] !== undefined ? defaults[index] : schema?.default,
        description: schema?.description,
      });
    }
  });
  return options;
}

/** Option paths that have no non-empty `description` in the schema. */
export function missingDescriptions(rule) {
  return listOptions(rule)
    .filter((o) => typeof o.description !== 'string' || o.description.trim() === '')
    .map((o) => o.path);
}

/** The options block, without the markers. */
export function generateOptionsList(plugin, ruleName) {
  const options = listOptions(plugin.rules[ruleName]);
  if (options.length === 0) return 'This rule has no options.';
  const lines = ['| Name | Type | Default | Description |', '| --- | --- | --- | --- |'];
  for (const o of options) {
    lines.push(
      `| \`${escapeCell(o.path)}\` | ${escapeCell(o.type)} | ${escapeCell(formatDefault(o.default))} | ${escapeCell(o.description ?? '')} |`,
    );
  }
  return lines.join('\n');
}

/** The README rules table, without the markers. `docsBase` is the link prefix of the rule docs. */
export function generateRulesList(plugin, docsBase = 'docs/rules/') {
  const lines = [
    '✅ in `configs.recommended` · 💭 requires type information · 💡 has suggestions · 🔧 fixable',
    '',
    '| Rule | Description | ✅ | 💭 | 💡 | 🔧 |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const name of Object.keys(plugin.rules).sort()) {
    const rule = plugin.rules[name];
    const cells = [
      `[\`${PLUGIN_PREFIX}/${name}\`](${docsBase}${name}.md)`,
      escapeCell(rule.meta?.docs?.description ?? ''),
      configsEnablingRule(plugin, name).includes('recommended') ? '✅' : '',
      requiresTypes(rule) ? '💭' : '',
      hasSuggestions(rule) ? '💡' : '',
      isFixable(rule) ? '🔧' : '',
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

/** The text between a pair of markers, or undefined when the markers are missing or out of order. */
export function extractBlock(text, [begin, end]) {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start === -1 || stop === -1 || stop < start) return undefined;
  return text.slice(start + begin.length, stop).replace(/^\r?\n/, '').replace(/\r?\n$/, '');
}

/** Replaces the text between a pair of markers; returns undefined when the markers are missing. */
export function replaceBlock(text, [begin, end], content) {
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start === -1 || stop === -1 || stop < start) return undefined;
  return `${text.slice(0, start + begin.length)}\n${content}\n${text.slice(stop)}`;
}

/** A new rule doc: generated header and options, and a placeholder for the hand-written part. */
export function generateNewDoc(plugin, ruleName) {
  return [
    MARKERS.header[0],
    generateHeader(plugin, ruleName),
    MARKERS.header[1],
    '',
    '## Rule details',
    '',
    'TODO: what the rule reports and why, with examples of incorrect and correct code.',
    '',
    '## Options',
    '',
    MARKERS.options[0],
    generateOptionsList(plugin, ruleName),
    MARKERS.options[1],
    '',
  ].join('\n');
}
