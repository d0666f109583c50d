#!/usr/bin/env node
// Lints the demo project in examples/ with the BUILT plugin (dist/, loaded through the package's own
// "exports" map, exactly as a user's eslint.config.mjs would) and prints the diagnostics.
// `npm run demo` builds first. Works from any directory. Exits 0: this is a demonstration, the
// diagnostics are the point. Exits 1 only when the demo itself cannot run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import tsParser from '@typescript-eslint/parser';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const examplesDir = path.join(root, 'examples');
const PREFIX = 'socket-close';

if (!fs.existsSync(path.join(root, 'dist', 'index.js'))) {
  console.error('demo: dist/index.js not found; run `npm run demo` (it builds first) or `npm run build`.');
  process.exit(1);
}

// Self-reference by package name resolves through package.json "exports" to dist/index.js.
const { default: plugin } = await import('eslint-plugin-socket-close');
const ruleIds = Object.keys(plugin.rules).map((name) => `${PREFIX}/${name}`);

const eslint = new ESLint({
  cwd: examplesDir,
  overrideConfigFile: true,
  overrideConfig: [
    {
      ...plugin.configs.recommended,
      files: ['**/*.ts'],
      languageOptions: {
        parser: tsParser,
        parserOptions: { projectService: true, tsconfigRootDir: examplesDir },
      },
    },
  ],
});

const results = await eslint.lintFiles(['**/*.ts']);
const formatter = await eslint.loadFormatter('stylish');
const output = await formatter.format(results);

console.log(`Linting ${examplesDir} with ${plugin.meta.name}@${plugin.meta.version} (configs.recommended)`);
console.log(output.trim() === '' ? '\nNo problems reported.\n' : output);

// What the demo project's authors marked as bugs, per rule, to compare with what was reported.
const marked = new Map(ruleIds.map((id) => [id, 0]));
const bugMarker = new RegExp(`//\\s*BUG \\((${PREFIX}/[a-z-]+)\\)`, 'g');
for (const result of results) {
  const source = result.source ?? fs.readFileSync(result.filePath, 'utf8');
  for (const match of source.matchAll(bugMarker)) marked.set(match[1], (marked.get(match[1]) ?? 0) + 1);
}

const reported = new Map(ruleIds.map((id) => [id, new Map()]));
let fatal = 0;
let other = 0;
for (const result of results) {
  for (const message of result.messages) {
    if (message.fatal || message.ruleId === null) {
      fatal += 1;
    } else if (reported.has(message.ruleId)) {
      const byMessage = reported.get(message.ruleId);
      const key = message.messageId ?? '(no messageId)';
      byMessage.set(key, (byMessage.get(key) ?? 0) + 1);
    } else {
      other += 1;
    }
  }
}

console.log(`Summary (${results.length} files):`);
for (const id of ruleIds) {
  const byMessage = reported.get(id);
  const total = [...byMessage.values()].reduce((a, b) => a + b, 0);
  const detail = [...byMessage].map(([messageId, n]) => `${messageId} ${n}`).join(', ');
  console.log(`  ${id}: ${total} reported${detail ? ` (${detail})` : ''}; ${marked.get(id)} marked "// BUG (${id})" in the sources`);
}
if (other > 0) console.log(`  other rules: ${other} reported`);
if (fatal > 0) console.log(`  parse errors: ${fatal} (files that could not be linted)`);
process.exit(0);
