#!/usr/bin/env node
// A/B of the plugin's WARM rule time for two builds in one process (for iterating on cost; not a figure of record):
// every file is linted once with recommendedTypeChecked and once with each build, then `--reps` passes in which
// the two builds lint each file in alternating order (ESLint `stats`: the plugin rules' create + listener time).
// Prints Σ per-file medians for each build and their ratio. Each build has its own ESLint instance; typescript-eslint's
// project service (and so the program and its checker) is shared, so both see the same warm checker state.
// --timed: the rules timed as cost-inprocess times them (configs.mjs ruleClock: create + listeners, main thread)
// instead of ESLint's stats, whose timer around every listener call adds its own cost.
// --top N: also list the N files whose median moved most. --files a,b: only these files (corpus or heavy names).
//   node bench/quick-ab.mjs --a <dist dir> [--b <dist dir, default ./dist>] [--target heavy] [--reps 5] [--timed] [--top N] [--files a,b]
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, corpusName, corpusTargets } from './corpus.mjs';
import { buildConfig, rootRequire, ruleClock, withTimedPlugins } from './configs.mjs';
import { heavyName, heavyTargets } from './heavy.mjs';
import { makeEslint, sumStats } from './lint-once.mjs';
import { median } from './lib.mjs';

const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(name) ? args[args.indexOf(name) + 1] : dflt);
const heavy = opt('--target') === 'heavy';
const reps = Number(opt('--reps', 5));
const timed = args.includes('--timed');
const dists = [path.resolve(opt('--a')), path.resolve(opt('--b', path.join(import.meta.dirname, '..', 'dist')))];
const only = opt('--files') ? new Set(opt('--files').split(',')) : undefined;
const files = (heavy ? heavyTargets() : corpusTargets()).filter((f) => !only || only.has(heavy ? heavyName(f) : corpusName(f)));
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const { ESLint } = rootRequire('eslint');
const eslints = dists.map((dist) => {
  const plugin = rootRequire(path.join(dist, 'index.js'));
  const rules = plugin.configs.recommendedRules;
  const config = timed ? withTimedPlugins(rules) : rules;
  return new ESLint({ cwd: BENCH_DIR, overrideConfigFile: true, overrideConfig: [...buildConfig('a'), config], stats: !timed, cache: false });
});
const warmup = makeEslint(heavy ? 'a' : 'd', false);
for (let i = 0; i < files.length; i++) {
  await warmup.lintText(texts[i], { filePath: files[i] });
  for (const e of eslints) await e.lintText(texts[i], { filePath: files[i] });
}
const times = eslints.map(() => files.map(() => []));
for (let r = 0; r < reps; r++) {
  for (let i = 0; i < files.length; i++) {
    const order = (r + i) % 2 ? [0, 1] : [1, 0];
    for (const k of order) {
      const r0 = ruleClock.ms;
      const results = await eslints[k].lintText(texts[i], { filePath: files[i] });
      times[k][i].push(timed ? ruleClock.ms - r0 : Object.values(sumStats(results).rules).reduce((a, b) => a + b, 0));
    }
  }
}
const sums = times.map((t) => t.map(median).reduce((a, b) => a + b, 0));
console.log(`${heavy ? 'heavy' : 'corpus'}: ${files.length} files, ${reps} alternated warm passes; Σ median(plugin rule time${timed ? ', timed' : ', ESLint stats'})`);
console.log(`A ${path.relative(process.cwd(), dists[0])}: ${sums[0].toFixed(1)} ms; B ${path.relative(process.cwd(), dists[1])}: ${sums[1].toFixed(1)} ms; B/A ${(sums[1] / sums[0]).toFixed(3)}`);
// --top N: the files whose median moved most (B − A), to find where a change costs.
const top = Number(opt('--top', 0));
if (top > 0) {
  const name = heavy ? heavyName : corpusName;
  const moved = files.map((f, i) => ({ file: name(f), a: median(times[0][i]), b: median(times[1][i]) })).sort((x, y) => Math.abs(y.b - y.a) - Math.abs(x.b - x.a));
  for (const m of moved.slice(0, top)) console.log(`  ${m.file}: ${m.a.toFixed(1)} → ${m.b.toFixed(1)} ms`);
}
