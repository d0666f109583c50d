#!/usr/bin/env node
// Regenerates the auto-generated blocks of docs/rules/<name>.md and of the README rules table from the
// BUILT plugin (dist/). Run `npm run build` first (or `npm run docs` after a build).
//
//   node scripts/sync-docs.mjs          write the blocks (creates missing rule docs with a skeleton)
//   node scripts/sync-docs.mjs --check  change nothing; exit 1 when a file is out of date
//
// Exits 1 when a doc has no rule, a rule option has no description, or a marker pair is missing.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import {
  MARKERS,
  generateHeader,
  generateNewDoc,
  generateOptionsList,
  generateRulesList,
  missingDescriptions,
  replaceBlock,
} from './docs-header.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const require = createRequire(import.meta.url);

const distEntry = path.join(root, 'dist', 'index.js');
if (!fs.existsSync(distEntry)) {
  console.error('sync-docs: dist/index.js not found; run `npm run build` first.');
  process.exit(1);
}
const plugin = require(distEntry);

const problems = [];
const changed = [];

function update(file, text) {
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (before === text) return;
  changed.push(path.relative(root, file));
  if (!check) fs.writeFileSync(file, text);
}

function withBlock(file, text, markers, content) {
  const next = replaceBlock(text, markers, content);
  if (next === undefined) {
    problems.push(`${path.relative(root, file)}: missing markers ${markers[0]} … ${markers[1]}`);
    return text;
  }
  return next;
}

const docsDir = path.join(root, 'docs', 'rules');
fs.mkdirSync(docsDir, { recursive: true });
const ruleNames = Object.keys(plugin.rules).sort();

for (const name of ruleNames) {
  const missing = missingDescriptions(plugin.rules[name]);
  if (missing.length > 0) problems.push(`rule ${name}: option(s) without a description: ${missing.join(', ')}`);

  const file = path.join(docsDir, `${name}.md`);
  if (!fs.existsSync(file)) {
    update(file, generateNewDoc(plugin, name));
    continue;
  }
  let text = fs.readFileSync(file, 'utf8');
  text = withBlock(file, text, MARKERS.header, generateHeader(plugin, name));
  text = withBlock(file, text, MARKERS.options, generateOptionsList(plugin, name));
  update(file, text);
}

for (const entry of fs.readdirSync(docsDir)) {
  if (entry.endsWith('.md') && !ruleNames.includes(entry.slice(0, -3))) {
    problems.push(`docs/rules/${entry}: no rule named ${entry.slice(0, -3)}`);
  }
}

for (const readme of ['README.md']) {
  const file = path.join(root, readme);
  if (!fs.existsSync(file)) continue;
  // Links are relative to the repository root: the draft is merged into README.md as it is.
  const text = fs.readFileSync(file, 'utf8');
  update(file, withBlock(file, text, MARKERS.rulesList, generateRulesList(plugin, 'docs/rules/')));
}

for (const file of changed) console.log(`${check ? 'out of date' : 'updated'}: ${file}`);
for (const problem of problems) console.error(`sync-docs: ${problem}`);
if (problems.length > 0 || (check && changed.length > 0)) process.exit(1);
if (changed.length === 0) console.log('sync-docs: all generated blocks are up to date.');
