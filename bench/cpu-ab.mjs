#!/usr/bin/env node --expose-gc
// CPU A/B of two builds in one process: every file is linted with no rules, build A and build B, in an order
// rotated per file and pass (a minor GC before each lint); prints Σ per-file median of (build − none) for each
// build and their ratio. Unlike quick-ab.mjs (ESLint stats), it counts what listeners cost ESLint to dispatch.
//   node --expose-gc bench/cpu-ab.mjs --a <dist> [--b <dist, default ./dist>] [--target heavy] [--reps 5] [--files a,b]
// (--files: only these corpus or heavy-project file names, e.g. the costliest files)
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, corpusTargets, corpusName } from './corpus.mjs';
import { buildConfig, rootRequire } from './configs.mjs';
import { heavyName, heavyTargets } from './heavy.mjs';
import { median } from './lib.mjs';
const args = process.argv.slice(2);
const opt = (n, d) => (args.includes(n) ? args[args.indexOf(n) + 1] : d);
const reps = Number(opt('--reps', 5));
const heavy = opt('--target') === 'heavy';
const only = opt('--files') ? new Set(opt('--files').split(',')) : undefined;
const files = (heavy ? heavyTargets() : corpusTargets()).filter((f) => !only || only.has(heavy ? heavyName(f) : corpusName(f)));
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const { ESLint } = rootRequire('eslint');
const gc = () => globalThis.gc({ type: 'minor', execution: 'sync' });
const mk = (extra) => new ESLint({ cwd: BENCH_DIR, overrideConfigFile: true, overrideConfig: [...buildConfig('a'), ...extra], cache: false });
const dists = [opt('--a'), opt('--b', path.join(import.meta.dirname, '..', 'dist'))].map((d) => path.resolve(d));
const cfgs = { none: mk([]), A: mk([rootRequire(path.join(dists[0], 'index.js')).configs.recommendedRules]), B: mk([rootRequire(path.join(dists[1], 'index.js')).configs.recommendedRules]) };
const warm = new ESLint({ cwd: BENCH_DIR, overrideConfigFile: true, overrideConfig: buildConfig(heavy ? 'a' : 'd'), cache: false });
for (let i = 0; i < files.length; i++) { await warm.lintText(texts[i], { filePath: files[i] }); for (const e of Object.values(cfgs)) await e.lintText(texts[i], { filePath: files[i] }); }
const names = Object.keys(cfgs);
const t = Object.fromEntries(names.map((k) => [k, files.map(() => [])]));
for (let r = 0; r < reps; r++) for (let i = 0; i < files.length; i++) {
  const order = names.map((_, j) => names[(j + r + i) % names.length]);
  for (const k of order) { gc(); const c0 = process.cpuUsage(); await cfgs[k].lintText(texts[i], { filePath: files[i] }); const c = process.cpuUsage(c0); t[k][i].push((c.user + c.system) / 1000); }
}
const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const d = (k) => sum(files.map((_, i) => median(t[k][i].map((x, p) => x - t.none[i][p]))));
const dmin = (k) => sum(files.map((_, i) => Math.min(...t[k][i]) - Math.min(...t.none[i])));
console.log(`of minima: A−none ${dmin('A').toFixed(0)} ms; B−none ${dmin('B').toFixed(0)} ms; B/A ${(dmin('B') / dmin('A')).toFixed(3)}`);
console.log(`${files.length} files, ${reps} passes; none Σ median ${sum(t.none.map(median)).toFixed(0)} ms; A−none ${d('A').toFixed(0)} ms; B−none ${d('B').toFixed(0)} ms; B/A ${(d('B') / d('A')).toFixed(3)}`);
