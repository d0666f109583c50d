#!/usr/bin/env node --expose-gc
// Quick, low-noise measure of the plugin's WARM rule time for iterating on its cost (not the bench's
// figures of record: those are cost-inprocess and heavy in run.mjs). One process: every file is linted once
// with recommendedTypeChecked and once with the plugin (type checker caches filled), then `--reps` passes.
// Default: (no rules, plugin) per file, a minor GC before each lint, CPU time; prints Σ per-file medians of
// (plugin − none). `--stats`: plugin passes only, the plugin rules' time as ESLint's `stats` report it (create +
// listeners; no parse, no GC of other threads). Both split by whether the pre-screen analysed the file, with the
// top files. To compare two builds, use quick-ab.mjs (both in one process).
//   node --expose-gc bench/quick-warm.mjs [--target heavy] [--reps 5] [--stats] [--top N (files listed, default 8)]
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
const byStats = args.includes('--stats');
const files = heavy ? heavyTargets() : corpusTargets();
const nameOf = heavy ? heavyName : corpusName;
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const { screenStats } = rootRequire(path.join(path.dirname(PLUGIN_PATH), 'engine', 'engine.js'));
// A minor GC (young generation only): a full one of a heap holding the TypeScript program takes ~0.2 s.
const gc = globalThis.gc ? () => globalThis.gc({ type: 'minor', execution: 'sync' }) : () => {};
const none = makeEslint('a', false);
const plugin = makeEslint('plugin', byStats);
const warmup = makeEslint(heavy ? 'plugin' : 'd', false);
const analysed = new Set();
const unreachable = new Set();
for (let i = 0; i < files.length; i++) {
  await warmup.lintText(texts[i], { filePath: files[i] });
  const before = screenStats.analysed;
  const beforeUnreachable = screenStats.unreachable;
  await plugin.lintText(texts[i], { filePath: files[i] });
  if (screenStats.analysed > before) analysed.add(i);
  if (screenStats.unreachable > beforeUnreachable) unreachable.add(i);
}
const cpu = async (eslint, i) => {
  gc();
  const c0 = process.cpuUsage();
  await eslint.lintText(texts[i], { filePath: files[i] });
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
};
const ruleTime = async (i) => {
  const results = await plugin.lintText(texts[i], { filePath: files[i] });
  return Object.values(sumStats(results).rules).reduce((a, b) => a + b, 0);
};
const extra = files.map(() => []);
const base = files.map(() => []);
for (let r = 0; r < reps; r++) {
  for (let i = 0; i < files.length; i++) {
    if (byStats) {
      extra[i].push(await ruleTime(i));
      continue;
    }
    const order = (r + i) % 2 ? [none, plugin] : [plugin, none];
    const t = {};
    for (const e of order) t[e === none ? 'none' : 'plugin'] = await cpu(e, i);
    extra[i].push(t.plugin - t.none);
    base[i].push(t.none);
  }
}
const med = extra.map(median);
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const analysedMs = sum(med.filter((_, i) => analysed.has(i)));
const skippedMs = sum(med.filter((_, i) => !analysed.has(i)));
const unreachableMs = sum(med.filter((_, i) => unreachable.has(i)));
const what = byStats ? 'plugin rule time (stats)' : 'plugin − none';
console.log(`${heavy ? 'heavy' : 'corpus'}: ${files.length} files (${analysed.size} analysed), ${reps} warm passes`);
console.log(`Σ median(${what}) = ${(analysedMs + skippedMs).toFixed(0)} ms: analysed files ${analysedMs.toFixed(0)} ms, screened-out files ${skippedMs.toFixed(0)} ms (of which ${unreachable.size} files no resource type reaches ${unreachableMs.toFixed(0)} ms)${byStats ? '' : `; Σ median(none) = ${sum(base.map(median)).toFixed(0)} ms`}`);
const topN = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 8;
const top = med.map((m, i) => [m, i]).sort((a, b) => b[0] - a[0]).slice(0, topN);
console.log(`top: ${top.map(([m, i]) => `${nameOf(files[i])}${analysed.has(i) ? '*' : ''} ${m.toFixed(1)}`).join(', ')}`);
