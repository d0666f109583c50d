#!/usr/bin/env node
// Lints the demo project in examples/ with the BUILT plugin (dist/, loaded through the package's own
// "exports" map, exactly as a user's eslint.config.mjs would) and prints the diagnostics.
// `npm run demo` builds first. Works from any directory. Exits 0: this is a demonstration, the
// diagnostics are the point. Exits 1 only when the demo itself cannot run.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

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

// The one-line set-up of the README: `export default [socketClose.configs.recommended]`.
const eslint = new ESLint({ cwd: examplesDir, overrideConfigFile: true, overrideConfig: [plugin.configs.recommended] });

const results = await eslint.lintFiles(['**/*.ts']);
const formatter = await eslint.loadFormatter('stylish');
const output = await formatter.format(results);

console.log(`Linting the example project in ${examplesDir} with ${plugin.meta.name}@${plugin.meta.version} (configs.recommended)`);
console.log(output.trim() === '' ? '\nNo problems reported.\n' : output);

// The summary, in words: what each rule found, grouped by kind of problem, and how that compares with the
// bugs the example's authors marked by hand with `// BUG (<rule>): why` comments.
const RULE_WORDS = {
  [`${PREFIX}/no-leak`]: 'a socket, server or WebSocket left open',
  [`${PREFIX}/no-use-after-close`]: 'a socket used after it was closed',
};
const MESSAGE_WORDS = {
  leak: 'not closed on some path',
  fieldOverwritten: 'replaced while the previous one may still be open',
  fieldNeverReleased: 'kept in a field that nothing closes',
  timeoutNotReleased: "a 'timeout' handler that does not close it",
  idleTimeoutUnhandled: 'an idle timeout that nobody handles',
  idleTimeoutOptionUnhandled: "a 'timeout' option that nobody handles",
  useAfterRelease: 'used after being closed',
  deferredUse: 'used in a timer or listener that can run after it closed',
  doubleRelease: 'closed twice',
  noTypeInfo: 'file linted without type information',
  missingTypes: "Node's or ws's type definitions are not installed",
};
// A marked bug counts as found when a report of its rule is within this many lines of the comment.
const NEAR = 6;

const markers = [];
const bugMarker = new RegExp(`//\\s*BUG \\((${PREFIX}/[a-z-]+)\\)`);
for (const result of results) {
  const source = result.source ?? fs.readFileSync(result.filePath, 'utf8');
  source.split('\n').forEach((text, index) => {
    const match = bugMarker.exec(text);
    if (match) markers.push({ file: result.filePath, line: index + 1, ruleId: match[1] });
  });
}

const reports = [];
let fatal = 0;
let other = 0;
for (const result of results) {
  for (const message of result.messages) {
    if (message.fatal || message.ruleId === null) fatal += 1;
    else if (ruleIds.includes(message.ruleId)) reports.push({ file: result.filePath, ...message });
    else other += 1;
  }
}

const near = (a, b) => a.file === b.file && a.ruleId === b.ruleId && Math.abs(a.line - b.line) <= NEAR;
const plural = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`;

console.log(`Summary: ${plural(reports.length, 'problem')} reported in ${plural(results.length, 'file')}.`);
for (const id of ruleIds) {
  const mine = reports.filter((r) => r.ruleId === id);
  console.log(`  ${mine.length} × ${RULE_WORDS[id] ?? id} (${id})`);
  const byMessage = new Map();
  for (const r of mine) byMessage.set(r.messageId, (byMessage.get(r.messageId) ?? 0) + 1);
  for (const [messageId, n] of [...byMessage].sort((a, b) => b[1] - a[1])) {
    console.log(`      ${n} ${MESSAGE_WORDS[messageId] ?? messageId}`);
  }
}
if (other > 0) console.log(`  ${plural(other, 'problem')} from other rules`);
if (fatal > 0) console.log(`  ${plural(fatal, 'file')} could not be parsed`);

const found = markers.filter((m) => reports.some((r) => near(r, m)));
const unmarked = reports.filter((r) => !markers.some((m) => near(r, m)));
console.log(
  `The example's authors marked ${plural(markers.length, 'bug')} with "// BUG" comments; ` +
    `${found.length} of them ${found.length === 1 ? 'was' : 'were'} reported.`,
);
for (const m of markers.filter((x) => !found.includes(x))) {
  console.log(`  not reported: ${path.relative(examplesDir, m.file)}:${m.line} (${m.ruleId})`);
}
if (unmarked.length > 0) {
  console.log(`${plural(unmarked.length, 'report')} ${unmarked.length === 1 ? 'is' : 'are'} not near a "// BUG" comment (a bug nobody marked, or a false alarm):`);
  for (const r of unmarked) console.log(`  ${path.relative(examplesDir, r.file)}:${r.line} (${r.ruleId})`);
}
process.exit(0);
