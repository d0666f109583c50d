#!/usr/bin/env node
// Before/after table of the scaling, in-process cost and heavy-project measurements.
//
//   node bench/compare.mjs --run          re-measure now (node bench/run.mjs --only scaling,cost-inprocess,heavy),
//                                         then compare bench/results/before/ with bench/results/
//   node bench/compare.mjs                compare only (no new measurement)
//   node bench/compare.mjs --save-before  copy the current results to bench/results/before/ (baseline)
//   node bench/compare.mjs --both [rev]   build the plugin at git revision rev (default a586c4d, the code
//                                         before the src/ restructuring) into bench/.cache/before-build/,
//                                         measure it and the current dist/ one after the other in this
//                                         session (results/before-same-session/ and results/), compare those
//                                         (twice the time of --run, but both under the same machine load)
//   --before <dir> --after <dir>          other directories of results
//   --quick                               pass --quick to run.mjs (smoke test only)
// BENCH_RESULTS_DIR=<dir> moves results/ (and results/before-same-session/) elsewhere.
// Writes bench/results/compare.md too. Lower is better everywhere; "after/before" < 1 = faster.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, CACHE_DIR, RESULTS_DIR, ROOT_DIR } from './corpus.mjs';

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

// --quick is passed on to run.mjs (smoke test of the whole chain; not for real figures).
const SECTIONS = ['--only', 'scaling,cost-inprocess,heavy', ...(args.includes('--quick') ? ['--quick'] : [])];
function measure(env = {}) {
  const r = spawnSync(process.execPath, [path.join(BENCH_DIR, 'run.mjs'), ...SECTIONS], { stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Builds the plugin of git revision `rev` (its src/ and tsconfig files) with the root's TypeScript. */
function buildRevision(rev) {
  const dir = path.join(CACHE_DIR, 'before-build');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const archive = spawnSync('git', ['archive', '--format=tar', rev, 'src', 'package.json', 'tsconfig.json', 'tsconfig.build.json'], { cwd: ROOT_DIR, maxBuffer: 256 * 2 ** 20 });
  if (archive.status !== 0) throw new Error(`git archive ${rev} failed: ${archive.stderr}`);
  const tar = spawnSync('tar', ['-x', '-C', dir], { input: archive.stdout });
  if (tar.status !== 0) throw new Error(`tar failed: ${tar.stderr}`);
  fs.symlinkSync(path.join(ROOT_DIR, 'node_modules'), path.join(dir, 'node_modules'));
  const tsc = path.join(ROOT_DIR, 'node_modules', 'typescript', 'bin', 'tsc');
  const b = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: dir, stdio: 'inherit' });
  if (b.status !== 0) throw new Error(`build of ${rev} failed`);
  return path.join(dir, 'dist');
}

let before = BEFORE;
const bothIdx = args.indexOf('--both');
if (bothIdx >= 0) {
  const next = args[bothIdx + 1];
  const rev = next && !next.startsWith('--') ? next : 'a586c4d';
  const dist = buildRevision(rev);
  before = path.join(RESULTS_DIR, 'before-same-session');
  fs.mkdirSync(before, { recursive: true });
  console.error(`[compare] measuring ${rev} (${dist}) into ${before}`);
  measure({ BENCH_PLUGIN_DIST: dist, BENCH_RESULTS_DIR: before, BENCH_PLUGIN_REV: rev });
  console.error('[compare] measuring the current dist/');
  measure();
} else if (args.includes('--run')) {
  measure();
}

const read = (dir, f) => (fs.existsSync(path.join(dir, f)) ? JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) : null);
const B = Object.fromEntries(FILES.map((f) => [f, read(before, f)]));
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
  row('cost-inprocess', 'warm extra, CPU, from per-file minima', b?.cpu.extra.valueOfMinima, a?.cpu.extra.valueOfMinima, pc);
  row('cost-inprocess', 'warm alone vs nfp, CPU, from per-file minima', b?.cpu.aloneVsNfp.valueOfMinima, a?.cpu.aloneVsNfp.valueOfMinima, (x) => r(x, 2));
  row('cost-inprocess', 'warm Σ(plugin − none) CPU ms', b?.cpu.warmMs.pluginRules, a?.cpu.warmMs.pluginRules);
  row('cost-inprocess', 'first pass extra (plugin after rTC), CPU', b?.cpu.firstPass.extra, a?.cpu.firstPass.extra, pc);
  row('cost-inprocess', 'first pass Σ(plugin − none) CPU ms', b?.cpu.firstPass.pluginMinusNoneMs, a?.cpu.firstPass.pluginMinusNoneMs);
}
if (B['heavy.json'] || A['heavy.json']) {
  const b = B['heavy.json'];
  const a = A['heavy.json'];
  row('heavy', 'first pass: plugin CPU ms (against the adjacent parse-only lint)', b?.firstPass.pluginCpuMsAdjacent, a?.firstPass.pluginCpuMsAdjacent);
  row('heavy', 'first pass: plugin / type-aware parse, CPU (adjacent baseline)', b?.firstPass.pluginOfParseCpuAdjacent, a?.firstPass.pluginOfParseCpuAdjacent, pc);
  row('heavy', 'first pass: plugin CPU ms', b?.firstPass.pluginCpuMs, a?.firstPass.pluginCpuMs);
  row('heavy', 'first pass: plugin / type-aware parse, CPU', b?.firstPass.pluginOfParseCpu, a?.firstPass.pluginOfParseCpu, pc);
  row('heavy', 'first pass: plugin / type-aware parse, wall', b?.firstPass.pluginOfParseWall, a?.firstPass.pluginOfParseWall, pc);
  row('heavy', 'first pass: checker types created (counted)', b?.checkerWork?.types ?? null, a?.checkerWork?.types ?? null);
  row('heavy', 'first pass: checker instantiations (counted)', b?.checkerWork?.instantiations ?? null, a?.checkerWork?.instantiations ?? null);
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
  `before: ${path.relative(process.cwd(), before)} at ${env(B['environment.json'])}; after: ${path.relative(process.cwd(), AFTER)} at ${env(A['environment.json'])}`,
  '',
  '| section | measure | before | after | after/before |',
  '|---|---|---|---|---|',
  ...rows.map((x) => `| ${x.join(' | ')} |`),
  '',
  'Heavy rows per file: the ten files with the most plugin CPU time before; first pass = cold type checker.',
].join('\n');
fs.writeFileSync(path.join(AFTER, 'compare.md'), `${out}\n`);
console.log(out);
