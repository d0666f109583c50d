#!/usr/bin/env node
// Before/after table of the scaling, in-process cost and heavy-project measurements.
//
//   node bench/compare.mjs --run          re-measure now (node bench/run.mjs --only scaling,cost-inprocess,heavy),
//                                         then compare bench/results/before/ with bench/results/
//   node bench/compare.mjs                compare only (no new measurement)
//   node bench/compare.mjs --save-before  copy the current results to bench/results/before/ (baseline)
//   --before <dir> --after <dir>          other directories of results
// Writes bench/results/compare.md too. Lower is better everywhere; "after/before" < 1 = faster.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, RESULTS_DIR } from './corpus.mjs';

const FILES = ['scaling.json', 'cost-inprocess.json', 'heavy.json', 'environment.json'];
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? path.resolve(args[i + 1]) : dflt;
};
const BEFORE = opt('--before', path.join(RESULTS_DIR, 'before'));
const AFTER = opt('--after', RESULTS_DIR);

if (args.includes('--save-before')) {
  fs.mkdirSync(BEFORE, { recursive: true });
  for (const f of FILES) if (fs.existsSync(path.join(AFTER, f))) fs.copyFileSync(path.join(AFTER, f), path.join(BEFORE, f));
  console.log(`saved ${FILES.join(', ')} to ${path.relative(process.cwd(), BEFORE)}`);
  process.exit(0);
}

if (args.includes('--run')) {
  const r = spawnSync(process.execPath, [path.join(BENCH_DIR, 'run.mjs'), '--only', 'scaling,cost-inprocess,heavy'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const read = (dir, f) => (fs.existsSync(path.join(dir, f)) ? JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) : null);
const B = Object.fromEntries(FILES.map((f) => [f, read(BEFORE, f)]));
const A = Object.fromEntries(FILES.map((f) => [f, read(AFTER, f)]));

const r = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : String(Math.round(x * 10 ** d) / 10 ** d));
const pc = (x) => (x === null || x === undefined || Number.isNaN(x) ? 'n/a' : `${Math.round(x * 1000) / 10}%`);
const ratio = (b, a) => (typeof b === 'number' && typeof a === 'number' && b !== 0 ? `×${r(a / b, 2)}` : 'n/a');
const rows = [];
const row = (section, what, b, a, fmt = r) => rows.push([section, what, fmt(b), fmt(a), ratio(b, a)]);

if (B['scaling.json'] || A['scaling.json']) {
  const names = [...new Set([...(B['scaling.json']?.rows ?? []), ...(A['scaling.json']?.rows ?? [])].map((x) => x.name ?? `fn-${x.size}`))];
  const find = (res, n) => res?.rows.find((x) => (x.name ?? `fn-${x.size}`) === n);
  for (const n of names) {
    const b = find(B['scaling.json'], n);
    const a = find(A['scaling.json'], n);
    row('scaling', `${n}: warm rule CPU ms (no stats)`, b?.warmRuleCpuMs, a?.warmRuleCpuMs);
    row('scaling', `${n}: warm rule ms (stats)`, b?.warmRuleMs, a?.warmRuleMs);
    row('scaling', `${n}: cold rule ms (stats)`, b?.coldRuleMs, a?.coldRuleMs);
    row('scaling', `${n}: reports`, b?.reports, a?.reports, (x) => (x === undefined ? 'n/a' : String(x)));
  }
}
if (B['cost-inprocess.json'] || A['cost-inprocess.json']) {
  const b = B['cost-inprocess.json'];
  const a = A['cost-inprocess.json'];
  row('cost-inprocess', 'warm extra = Σ(plugin − none)/Σ(rTC lint), CPU', b?.cpu.extra.value, a?.cpu.extra.value, pc);
  row('cost-inprocess', 'warm extra, wall', b?.wall.extra.value, a?.wall.extra.value, pc);
  row('cost-inprocess', 'warm alone vs no-floating-promises, CPU', b?.cpu.aloneVsNfp.value, a?.cpu.aloneVsNfp.value, (x) => r(x, 2));
  row('cost-inprocess', 'warm alone vs no-floating-promises, wall', b?.wall.aloneVsNfp.value, a?.wall.aloneVsNfp.value, (x) => r(x, 2));
  row('cost-inprocess', 'warm Σ(plugin − none) CPU ms', b?.cpu.warmMs.pluginRules, a?.cpu.warmMs.pluginRules);
  row('cost-inprocess', 'first pass extra (plugin after rTC), CPU', b?.cpu.firstPass.extra, a?.cpu.firstPass.extra, pc);
  row('cost-inprocess', 'first pass Σ(plugin − none) CPU ms', b?.cpu.firstPass.pluginMinusNoneMs, a?.cpu.firstPass.pluginMinusNoneMs);
}
if (B['heavy.json'] || A['heavy.json']) {
  const b = B['heavy.json'];
  const a = A['heavy.json'];
  row('heavy', 'first pass: plugin CPU ms', b?.firstPass.pluginCpuMs, a?.firstPass.pluginCpuMs);
  row('heavy', 'first pass: plugin / type-aware parse, CPU', b?.firstPass.pluginOfParseCpu, a?.firstPass.pluginOfParseCpu, pc);
  row('heavy', 'first pass: plugin / type-aware parse, wall', b?.firstPass.pluginOfParseWall, a?.firstPass.pluginOfParseWall, pc);
  row('heavy', 'warm: plugin CPU ms', b?.warm.cpuMs.pluginRules, a?.warm.cpuMs.pluginRules);
  row('heavy', 'warm: plugin / parse, CPU', b?.warm.cpu.value, a?.warm.cpu.value, pc);
  // The before top-10 files, after.
  const afterFirst = new Map((a?.perFile ?? a?.topFilesByPluginCpuMs.firstPass.map((x) => ({ file: x.file, firstPassCpuMs: x.ms })) ?? []).map((x) => [x.file, x.firstPassCpuMs]));
  for (const x of b?.topFilesByPluginCpuMs.firstPass ?? []) row('heavy', `first pass: ${x.file} plugin CPU ms`, x.ms, afterFirst.get(x.file) ?? null);
}

const env = (e) => (e ? `${e.gitCommit ?? '?'} (${e.date?.slice(0, 16)})` : 'n/a');
const out = [
  `# Before / after`,
  '',
  `before: ${path.relative(process.cwd(), BEFORE)} at ${env(B['environment.json'])}; after: ${path.relative(process.cwd(), AFTER)} at ${env(A['environment.json'])}`,
  '',
  '| section | measure | before | after | after/before |',
  '|---|---|---|---|---|',
  ...rows.map((x) => `| ${x.join(' | ')} |`),
  '',
  'Heavy rows per file: the ten files with the most plugin CPU time before; first pass = cold type checker.',
].join('\n');
fs.writeFileSync(path.join(AFTER, 'compare.md'), `${out}\n`);
console.log(out);
