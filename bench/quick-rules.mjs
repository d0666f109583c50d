#!/usr/bin/env node
// Quickest measure of the plugin's WARM rule time, for iterating on its cost (not a figure of record): every file
// is linted once with recommendedTypeChecked and once with the plugin (type checker caches filled), then `--reps`
// plugin passes with ESLint's `stats`; prints Σ per-file medians of the plugin rules' time (create + listeners, as
// ESLint times them; no parse, no GC of other threads), split by whether the pre-screen analysed the file.
//   node bench/quick-rules.mjs [--target heavy] [--reps 5]
import fs from 'node:fs';
import path from 'node:path';
import { PLUGIN_PATH, rootRequire } from './configs.mjs';
import { corpusName, corpusTargets } from './corpus.mjs';
import { heavyName, heavyTargets } from './heavy.mjs';
import { makeEslint, sumStats } from './lint-once.mjs';
import { median } from './lib.mjs';

const args = process.argv.slice(2);
const heavy = args.includes('--target') && args[args.indexOf('--target') + 1] === 'heavy';
const reps = args.includes('--reps') ? Number(args[args.indexOf('--reps') + 1]) : 5;
const files = heavy ? heavyTargets() : corpusTargets();
const nameOf = heavy ? heavyName : corpusName;
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const { screenStats } = rootRequire(path.join(path.dirname(PLUGIN_PATH), 'engine', 'engine.js'));
const plugin = makeEslint('plugin', true);
const warmup = makeEslint(heavy ? 'plugin' : 'd', false);
const analysed = new Set();
for (let i = 0; i < files.length; i++) {
  await warmup.lintText(texts[i], { filePath: files[i] });
  const before = screenStats.analysed;
  await plugin.lintText(texts[i], { filePath: files[i] });
  if (screenStats.analysed > before) analysed.add(i);
}
const times = files.map(() => []);
for (let r = 0; r < reps; r++) {
  for (let i = 0; i < files.length; i++) {
    const results = await plugin.lintText(texts[i], { filePath: files[i] });
    times[i].push(Object.values(sumStats(results).rules).reduce((a, b) => a + b, 0));
  }
}
const med = times.map(median);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const analysedMs = sum(med.filter((_, i) => analysed.has(i)));
const skippedMs = sum(med.filter((_, i) => !analysed.has(i)));
console.log(`${heavy ? 'heavy' : 'corpus'}: ${files.length} files (${analysed.size} analysed), ${reps} warm passes`);
console.log(`Σ median(plugin rule time) = ${(analysedMs + skippedMs).toFixed(0)} ms: analysed files ${analysedMs.toFixed(0)} ms, screened-out files ${skippedMs.toFixed(0)} ms`);
const top = med.map((m, i) => [m, i]).sort((a, b) => b[0] - a[0]).slice(0, 8);
console.log(`top: ${top.map(([m, i]) => `${nameOf(files[i])}${analysed.has(i) ? '*' : ''} ${m.toFixed(1)}`).join(', ')}`);
