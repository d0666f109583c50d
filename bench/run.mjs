#!/usr/bin/env node
// Benchmark orchestrator (issue 4). Every measurement runs in its own process (lint-once.mjs or the
// ESLint CLI); this script prepares the inputs, alternates the configurations, and writes
// bench/results/*.json and bench/results/summary.md.
//
//   node bench/run.mjs            full run (~15-20 min on 2 cores)
//   node bench/run.mjs --quick    smoke test: one repetition, small sizes (~3 min)
//   node bench/run.mjs --only accuracy,cost,scaling,editor,scaleout,cost-inprocess,heavy   run some sections
//   node bench/run.mjs --only scaling,cost-inprocess,heavy      the sections that bench/compare.mjs compares
//   node bench/run.mjs --summary-only [--only ...]             rewrite summary.md from results/*.json
//   node bench/run.mjs --only cost-inprocess --inprocess-reps 6   more warm passes (the plugin's code is still getting faster in the third)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH_DIR, CACHE_DIR, CORPUS_DIR, RESULTS_DIR, ROOT_DIR, corpusName, prepareCorpus } from './corpus.mjs';
import { CONFIG_DESCRIPTIONS, PLUGIN_PREFIX, rootRequire } from './configs.mjs';
import { writeScalingFiles } from './generate.mjs';
import { heavyName, prepareHeavy } from './heavy.mjs';
import { INPROCESS_CONFIGS, summariseInProcess } from './inprocess.mjs';
import { compareReports, median, withKeys } from './lib.mjs';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
// --aa: the in-process sections (cost-inprocess, heavy) with a parse-only configuration in the plugin's place, written to
// *-aa.json: what the estimators give when there is nothing to measure (their bias and noise).
const AA = args.includes('--aa');
const aaSuffix = AA ? '-aa' : '';
const aaFlag = AA ? ['--aa'] : [];
const onlyIdx = args.indexOf('--only');
const ONLY = onlyIdx >= 0 ? new Set(args[onlyIdx + 1].split(',')) : null;
const want = (section) => !ONLY || ONLY.has(section);

const P = QUICK
  ? { costReps: 1, scalingSizes: [100, 1000], relintReps: 2, scaleoutReps: 1, inprocessReps: 1, heavyReps: 1 }
  : { costReps: 5, scalingSizes: [100, 1000, 10000], relintReps: 5, scaleoutReps: 3, inprocessReps: 3, heavyReps: 1 };
// --inprocess-reps N: the number of warm passes of cost-inprocess (default 3; 1 with --quick).
const repsIdx = args.indexOf('--inprocess-reps');
if (repsIdx >= 0) P.inprocessReps = Number(args[repsIdx + 1]);

const RAW_DIR = path.join(CACHE_DIR, 'raw');
const LINT_ONCE = path.join(BENCH_DIR, 'lint-once.mjs');
const ESLINT_BIN = path.join(path.dirname(rootRequire.resolve('eslint/package.json')), 'bin', 'eslint.js');
const TRIAGE_FILE = path.join(BENCH_DIR, 'triage.json');
// BENCH_PLUGIN_DIST: measure another build of the plugin (bench/compare.mjs --both builds the "before" one).
const ROOT_DIST = process.env.BENCH_PLUGIN_DIST ? path.resolve(process.env.BENCH_PLUGIN_DIST) : path.join(ROOT_DIR, 'dist');
const SNAPSHOT_DIR = path.join(CACHE_DIR, 'plugin');

/**
 * Copies dist/ and package.json to bench/.cache/plugin/ and points every child process at the copy
 * (BENCH_PLUGIN_PATH), so that a rebuild of dist/ during the run cannot mix two plugin versions.
 */
function snapshotPlugin() {
  if (!fs.existsSync(path.join(ROOT_DIST, 'index.js'))) throw new Error(`${ROOT_DIST}/index.js is missing: run \`npm run build\` in the project root first`);
  fs.rmSync(SNAPSHOT_DIR, { recursive: true, force: true });
  fs.mkdirSync(SNAPSHOT_DIR, { recursive: true });
  fs.cpSync(ROOT_DIST, path.join(SNAPSHOT_DIR, 'dist'), { recursive: true });
  fs.copyFileSync(path.join(ROOT_DIR, 'package.json'), path.join(SNAPSHOT_DIR, 'package.json'));
  process.env.BENCH_PLUGIN_PATH = path.join(SNAPSHOT_DIR, 'dist', 'index.js');
  return fs.statSync(path.join(ROOT_DIST, 'index.js')).mtime.toISOString();
}

function log(msg) {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

function writeJson(name, data) {
  fs.writeFileSync(path.join(RESULTS_DIR, name), `${JSON.stringify(data, null, 2)}\n`);
}

/** Runs a command in its own process, returns wall time and output; throws on unexpected exit. */
function timed(cmd, argv, { env, okCodes = [0] } = {}) {
  const t0 = performance.now();
  const r = spawnSync(cmd, argv, { cwd: BENCH_DIR, env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });
  const wallMs = performance.now() - t0;
  if (r.error) throw r.error;
  if (!okCodes.includes(r.status)) {
    throw new Error(`${path.basename(argv[0] ?? cmd)} ${argv.slice(1).join(' ').slice(0, 200)} exited ${r.status}:\n${r.stderr.slice(-3000)}`);
  }
  return { wallMs, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** node lint-once.mjs <argv...> --out <raw file>; returns the parsed output plus process wall time. */
function lintOnce(tag, argv, nodeFlags = []) {
  fs.mkdirSync(RAW_DIR, { recursive: true });
  const out = path.join(RAW_DIR, `${tag}.json`);
  const { wallMs } = timed(process.execPath, [...nodeFlags, LINT_ONCE, ...argv, '--out', out]);
  return { ...JSON.parse(fs.readFileSync(out, 'utf8')), processWallMs: wallMs };
}

const round = (x, d = 1) => (x === null || x === undefined || Number.isNaN(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const pct = (x) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${round(x * 100, 1)}%`);

// ---------------------------------------------------------------------------------------------------
// Preparation

function environment() {
  const pkg = (name) => JSON.parse(fs.readFileSync(rootRequire.resolve(`${name}/package.json`), 'utf8')).version;
  return {
    date: new Date().toISOString(),
    quick: QUICK,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGB: round(os.totalmem() / 2 ** 30, 1),
    eslint: pkg('eslint'),
    typescript: pkg('typescript'),
    typescriptEslint: pkg('typescript-eslint'),
    plugin: JSON.parse(fs.readFileSync(path.join(ROOT_DIR, 'package.json'), 'utf8')).version,
    pluginBuiltAt: snapshotPlugin(),
    gitCommit: process.env.BENCH_PLUGIN_REV || spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT_DIR, encoding: 'utf8' }).stdout.trim() || null,
    pluginDist: ROOT_DIST,
  };
}

function prepare() {
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  fs.rmSync(RAW_DIR, { recursive: true, force: true });
  const { selection, targets } = prepareCorpus();
  const lines = (f) => fs.readFileSync(f, 'utf8').split('\n').length;
  const corpus = {
    packages: selection.map((s) => ({
      name: s.pkg,
      version: s.version,
      sourceRoot: s.root,
      files: s.files.length,
      lines: s.files.reduce((n, f) => n + lines(path.join(CORPUS_DIR, s.pkg, f)), 0),
      skipped: s.skipped,
    })),
  };
  corpus.files = targets.length;
  corpus.lines = corpus.packages.reduce((n, p) => n + p.lines, 0);
  writeJson('corpus.json', corpus);
  log(`corpus: ${corpus.files} files, ${corpus.lines} lines in ${corpus.packages.length} packages`);
  return { corpus, targets };
}

// ---------------------------------------------------------------------------------------------------
// Accuracy and crash sweep

function readTriage() {
  if (!fs.existsSync(TRIAGE_FILE)) return {};
  const data = JSON.parse(fs.readFileSync(TRIAGE_FILE, 'utf8'));
  return data.verdicts ?? {};
}

function accuracy() {
  log('accuracy + crash sweep: recommended options, file by file');
  const rec = lintOnce('sweep-plugin', ['sweep', 'plugin']);
  log('crash sweep: every boolean option flipped, file by file');
  const all = lintOnce('sweep-all-options', ['sweep', 'plugin-all-options']);

  const reports = withKeys(rec.reports);
  writeJson('reports.json', { config: 'socket-close recommended', count: reports.length, reports });

  const verdicts = readTriage();
  const keys = new Set(reports.map((r) => r.key));
  let real = 0;
  let falseAlarm = 0;
  const untriaged = [];
  const invalid = [];
  const byRule = {};
  for (const r of reports) {
    const v = verdicts[r.key];
    const slot = (byRule[r.rule] ??= { reports: 0, real: 0, falseAlarm: 0, untriaged: 0 });
    slot.reports++;
    if (!v) {
      untriaged.push(r.key);
      slot.untriaged++;
    } else if (v.verdict === 'real') {
      real++;
      slot.real++;
    } else if (v.verdict === 'false-alarm') {
      falseAlarm++;
      slot.falseAlarm++;
    } else invalid.push({ key: r.key, verdict: v.verdict });
  }
  const stale = Object.keys(verdicts).filter((k) => !keys.has(k));
  const triaged = real + falseAlarm;
  const falseAlarmReasons = {};
  for (const r of reports) {
    const v = verdicts[r.key];
    if (v?.verdict === 'false-alarm') (falseAlarmReasons[v.reason ?? '(no reason)'] ??= []).push(r.key);
  }
  const acc = {
    reports: reports.length,
    triaged,
    real,
    falseAlarm,
    precision: triaged ? real / triaged : null,
    precisionIfUntriagedWereFalse: reports.length ? real / reports.length : null,
    byRule,
    untriaged,
    staleTriageEntries: stale,
    invalidVerdicts: invalid,
    falseAlarmReasons,
  };
  writeJson('accuracy.json', acc);

  const crashes = {
    sweeps: [
      { config: 'plugin', description: CONFIG_DESCRIPTIONS.plugin, files: rec.files, crashes: rec.crashes, fatalParseErrors: rec.fatals },
      { config: 'plugin-all-options', description: CONFIG_DESCRIPTIONS['plugin-all-options'], files: all.files, crashes: all.crashes, fatalParseErrors: all.fatals },
    ],
  };
  crashes.total = rec.crashes.length + all.crashes.length;
  crashes.allOptionsReports = all.reports.length;
  writeJson('crashes.json', crashes);
  log(`accuracy: ${reports.length} reports, ${triaged} triaged, ${untriaged.length} untriaged; crashes: ${crashes.total}`);
  return { acc, crashes, allOptionsReports: all.reports.length };
}

// ---------------------------------------------------------------------------------------------------
// Cost

const COST_CONFIGS = ['a', 'b', 'c', 'd', 'e'];

function cost() {
  log(`cost: warm-up run, then ${P.costReps} rounds of ${COST_CONFIGS.join('/')} alternated`);
  lintOnce('cost-warmup', ['cost', 'a']);
  const samples = Object.fromEntries(COST_CONFIGS.map((c) => [c, []]));
  const cpu = Object.fromEntries(COST_CONFIGS.map((c) => [c, []]));
  for (let rep = 0; rep < P.costReps; rep++) {
    // Rotate the order each round so no configuration always runs first or after the same one.
    const order = COST_CONFIGS.map((_, i) => COST_CONFIGS[(i + rep) % COST_CONFIGS.length]);
    if (rep % 2 === 1) order.reverse();
    for (const c of order) {
      const r = lintOnce(`cost-${c}-${rep}`, ['cost', c]);
      samples[c].push(r.processWallMs);
      cpu[c].push(r.cpuMs);
    }
    log(`cost round ${rep + 1}: ${COST_CONFIGS.map((c) => `${c}=${round(samples[c].at(-1) / 1000, 2)}s`).join(' ')}`);
  }
  const med = Object.fromEntries(COST_CONFIGS.map((c) => [c, median(samples[c])]));
  const medCpu = Object.fromEntries(COST_CONFIGS.map((c) => [c, median(cpu[c])]));
  const marginal = (x, base) => med[x] - med[base];
  const ratios = {
    'b/a': med.b / med.a,
    'c/a': med.c / med.a,
    'b-a (ms)': marginal('b', 'a'),
    'c-a (ms)': marginal('c', 'a'),
    '(b-a)/(c-a)': marginal('b', 'a') / marginal('c', 'a'),
    'e/d': med.e / med.d,
    'e vs d marginal': med.e / med.d - 1,
    'cpu (b-a)/(c-a)': (medCpu.b - medCpu.a) / (medCpu.c - medCpu.a),
    'cpu e vs d marginal': medCpu.e / medCpu.d - 1,
  };
  log('cost: one stats run per configuration (per-rule times)');
  const perRule = {};
  for (const c of COST_CONFIGS) {
    const r = lintOnce(`stats-${c}`, ['stats', c]);
    perRule[c] = {
      parseMs: r.stats.parse,
      totalMs: r.stats.total,
      rulesMs: Object.fromEntries(Object.entries(r.stats.rules).sort((x, y) => y[1] - x[1])),
      pluginRulesMs: Object.entries(r.stats.rules).filter(([id]) => id.startsWith(PLUGIN_PREFIX)).reduce((s, [, t]) => s + t, 0),
    };
  }
  const result = {
    configurations: Object.fromEntries(COST_CONFIGS.map((c) => [c, CONFIG_DESCRIPTIONS[c]])),
    repetitions: P.costReps,
    wallMs: samples,
    cpuMs: cpu,
    medianWallMs: med,
    medianCpuMs: medCpu,
    ratios,
    targets: {
      'e vs d marginal <= 3%': ratios['e vs d marginal'] <= 0.03,
      '(b-a) <= half of (c-a)': ratios['(b-a)/(c-a)'] <= 0.5,
    },
    perRule,
  };
  writeJson('cost.json', result);
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Scaling and editor latency

function relintSummary(r) {
  const warmRule = median(r.warm.map((x) => x.ruleMs));
  return {
    coldRuleMs: r.cold.ruleMs,
    warmRuleMs: warmRule,
    warmRuleSamplesMs: r.warm.map((x) => x.ruleMs),
    warmLintWallMs: median(r.warm.map((x) => x.wallMs)),
    editedRuleMs: r.edited.length ? median(r.edited.map((x) => x.ruleMs)) : null,
    editedLintWallMs: r.edited.length ? median(r.edited.map((x) => x.wallMs)) : null,
    reports: r.cold.reports,
    fatal: r.cold.fatal,
  };
}

function scaling() {
  const files = writeScalingFiles(P.scalingSizes);
  const rows = [];
  for (const f of files) {
    log(`scaling: ${f.name} (${f.lines} lines)`);
    // The many-socket inputs take seconds per lint: one warm stats lint, three warm CPU pairs.
    const reps = f.extra ? ['--reps', '1', '--cpu', String(Math.min(3, P.relintReps))] : ['--reps', String(P.relintReps), '--cpu'];
    const r = lintOnce(`scaling-${f.name}`, ['relint', 'plugin', f.file, ...reps]);
    const s = relintSummary(r);
    rows.push({
      name: f.name,
      size: f.size,
      statements: f.statements,
      lines: f.lines,
      sockets: f.sockets ?? null,
      ...s,
      warmRuleCpuMs: median(r.warmCpu.map((x) => x.ruleCpuMs)),
      warmRuleCpuSamplesMs: r.warmCpu.map((x) => x.ruleCpuMs),
      coldUsPerStatement: f.statements ? (s.coldRuleMs * 1000) / f.statements : null,
      warmUsPerStatement: f.statements ? (s.warmRuleMs * 1000) / f.statements : null,
    });
  }
  const sized = rows.filter((r) => r.size !== null);
  const first = sized[0];
  const last = sized.at(-1);
  const result = {
    note: 'rule time = sum of the socket-close rules in ESLint stats; warm = same ESLint instance, unchanged text (median). warmRuleCpuMs = CPU time of a warm lint with the plugin minus one with no rules, both without ESLint stats (whose per-listener timers inflate the plugin), median. Rows with size null are the many-socket inputs.',
    rows,
    growth: last.warmUsPerStatement / first.warmUsPerStatement,
    sameReportsAtEverySize: sized.every((r) => r.reports === first.reports),
  };
  writeJson('scaling.json', result);
  return result;
}

// ---------------------------------------------------------------------------------------------------
// In-process cost (one process, one program, every configuration on every file) and the heavy project

function costInprocess() {
  const order = ['none', 'rtc', 'plugin', 'nfp'].map((k) => INPROCESS_CONFIGS[k]);
  log(`cost-inprocess: ${order.join(' → ')} per file, then ${P.inprocessReps} warm passes (one process)`);
  const raw = lintOnce(`cost-inprocess${aaSuffix}`, ['cost-inprocess', order.join(','), '--reps', String(P.inprocessReps), ...aaFlag], ['--expose-gc']);
  const result = { ...summariseInProcess(raw), aa: AA, processWallMs: raw.processWallMs, processCpuMs: raw.cpuMs };
  writeJson(`cost-inprocess${aaSuffix}.json`, result);
  log(`cost-inprocess${aaSuffix}: extra (CPU) ${pct(result.cpu.extra.value)} (per pass ${result.cpu.extra.perPass.samples.map(pct).join(', ')}), alone vs no-floating-promises ${round(result.cpu.aloneVsNfp.value, 2)}`);
  if (result.rules) {
    log(`cost-inprocess${aaSuffix}: rules timed: extra ${pct(result.rules.extra.value)} (per pass ${result.rules.extra.perPass.samples.map(pct).join(', ')}), alone vs no-floating-promises ${round(result.rules.aloneVsNfp.value, 2)} (per pass ${result.rules.aloneVsNfp.perPass.samples.map((x) => round(x, 2)).join(', ')})`);
  }
  return result;
}

function heavy() {
  const h = prepareHeavy();
  log(`heavy: ${h.pkg}@${h.version} sources, ${h.files.length} files, ${h.lines} lines: no rules → plugin per file, then ${P.heavyReps} warm passes`);
  const order = ['none', 'plugin'].map((k) => INPROCESS_CONFIGS[k]);
  const raw = lintOnce(`heavy-inprocess${aaSuffix}`, ['cost-inprocess', order.join(','), '--target', 'heavy', '--reps', String(P.heavyReps), ...aaFlag], ['--expose-gc']);
  const sum = summariseInProcess(raw);
  // Counted, not timed: the checker's new types and instantiations during the plugin's first-pass lints.
  const work = AA ? {} : lintOnce('heavy-checker-work', ['checker-work', 'plugin', '--target', 'heavy']);
  const result = {
    project: { package: h.pkg, version: h.version, files: h.files.length, lines: h.lines, sources: `${heavyName(h.files[0]).split('/')[0]}/src/**/*.ts` },
    aa: AA,
    note: 'First pass: each file linted with no rules (type-aware parse; the first file builds the program), then once more with no rules (the baseline), then with the plugin (which pays for the type checking it asks for: nobody else asked before); a young-generation GC before every lint. parse = Σ first no-rules lint. plugin (the figure of record, *Adjacent) = Σ (plugin lint − the no-rules lint right before it); plugin (vs warm) = Σ (plugin lint − that file\'s warm no-rules lint); before 2026-12-02\'s fourth session, without the second no-rules lint, that figure was biased upwards (an A/A gave 8–16%; run.mjs --aa checks both). Warm: the same after the type checker has seen everything.',
    firstPass: {
      parseCpuMs: sum.cpu.firstPass.parseMs,
      pluginCpuMsAdjacent: sum.cpu.firstPass.pluginMinusAdjacentMs,
      pluginOfParseCpuAdjacent: sum.cpu.firstPass.pluginOfParseAdjacent,
      pluginCpuMs: sum.cpu.firstPass.pluginMinusNoneMs,
      pluginOfParseCpu: sum.cpu.firstPass.pluginOfParse,
      parseWallMs: sum.wall.firstPass.parseMs,
      pluginWallMsAdjacent: sum.wall.firstPass.pluginMinusAdjacentMs,
      pluginOfParseWallAdjacent: sum.wall.firstPass.pluginOfParseAdjacent,
      pluginWallMs: sum.wall.firstPass.pluginMinusNoneMs,
      pluginOfParseWall: sum.wall.firstPass.pluginOfParse,
    },
    warm: { cpu: sum.cpu.pluginOfParse, cpuMs: sum.cpu.warmMs, wall: sum.wall.pluginOfParse, wallMs: sum.wall.warmMs },
    // The plugin's rules timed (bench/configs.mjs ruleClock): its own time on the first pass, over the parse.
    ...(sum.rules ? { rulesTimed: { firstPassMs: sum.rules.firstPass.pluginRulesMs, firstPassOfParse: sum.rules.firstPass.pluginOfParse, warmOfParse: sum.rules.pluginOfParse.value } } : {}),
    checkerWork: { note: 'types and instantiations the type checker creates during the plugin\'s first-pass lints (each right after a parse-only lint of the file; a separate process); the same in every run', types: work.types, instantiations: work.instantiations, topFilesByTypes: work.topFilesByTypes },
    topFilesByPluginCpuMs: sum.topFilesByPluginCpuMs,
    perFile: sum.perFile,
    fatalParseErrors: sum.fatalParseErrors,
    passWallMs: sum.passWallMs,
    processWallMs: raw.processWallMs,
    processCpuMs: raw.cpuMs,
  };
  writeJson(`heavy${aaSuffix}.json`, result);
  log(`heavy${aaSuffix}: plugin ${round(result.firstPass.pluginCpuMsAdjacent)} ms CPU on first pass = ${pct(result.firstPass.pluginOfParseCpuAdjacent)} of parse (vs the warm baseline: ${pct(result.firstPass.pluginOfParseCpu)})`);
  if (result.rulesTimed) log(`heavy${aaSuffix}: rules timed: ${round(result.rulesTimed.firstPassMs)} ms on first pass = ${pct(result.rulesTimed.firstPassOfParse)} of parse`);
  return result;
}

function editor(targets) {
  // The corpus file closest to 1,000 lines: real code, with its whole project behind it.
  const withLines = targets.map((f) => ({ f, lines: fs.readFileSync(f, 'utf8').split('\n').length }));
  withLines.sort((x, y) => Math.abs(x.lines - 1000) - Math.abs(y.lines - 1000));
  const { f, lines } = withLines[0];
  log(`editor latency: ${corpusName(f)} (${lines} lines)`);
  const r = lintOnce('editor', ['relint', 'plugin', f, '--reps', String(P.relintReps), '--edit']);
  const result = { file: corpusName(f), lines, ...relintSummary(r), rulePer1000LinesMs: (median(r.warm.map((x) => x.ruleMs)) * 1000) / lines };
  result.editedRulePer1000LinesMs = result.editedRuleMs === null ? null : (result.editedRuleMs * 1000) / lines;
  writeJson('editor.json', result);
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Scale-out: the ESLint CLI with --concurrency and --cache

function cliRun(tag, targets, extra, { probe = true } = {}) {
  fs.mkdirSync(RAW_DIR, { recursive: true });
  const out = path.join(RAW_DIR, `cli-${tag}.json`);
  const probeLog = path.join(RAW_DIR, `cli-${tag}.visited`);
  fs.rmSync(probeLog, { force: true });
  const argv = [ESLINT_BIN, '--config', path.join(BENCH_DIR, 'eslint.config.mjs'), '--format', 'json', '--output-file', out, '--no-warn-ignored', ...extra, ...targets];
  const r = timed(process.execPath, argv, { env: { BENCH_CONFIG: 'plugin', BENCH_PROBE_LOG: probe ? probeLog : '' }, okCodes: [0, 1] });
  const results = JSON.parse(fs.readFileSync(out, 'utf8'));
  const reports = [];
  for (const res of results) for (const m of res.messages) if (m.ruleId?.startsWith(PLUGIN_PREFIX)) reports.push({ file: corpusName(res.filePath), line: m.line, column: m.column, rule: m.ruleId, messageId: m.messageId ?? null, message: m.message });
  const visited = fs.existsSync(probeLog) ? fs.readFileSync(probeLog, 'utf8').split('\n').filter(Boolean) : [];
  return { wallMs: r.wallMs, reports: withKeys(reports), files: results.length, linted: visited.length, lintedFiles: visited.map(corpusName) };
}

function scaleout(targets, baseline) {
  const modes = [
    ['off', ['--concurrency', 'off']],
    ['auto', ['--concurrency', 'auto']],
    ['2', ['--concurrency', '2']],
  ];
  const times = Object.fromEntries(modes.map(([m]) => [m, []]));
  const identical = {};
  const linted = {};
  for (let rep = 0; rep < P.scaleoutReps; rep++) {
    const order = rep % 2 ? [...modes].reverse() : modes;
    for (const [m, extra] of order) {
      log(`scale-out: --concurrency ${m} (round ${rep + 1})`);
      const r = cliRun(`concurrency-${m}-${rep}`, targets, extra);
      times[m].push(r.wallMs);
      linted[m] = r.linted;
      const cmp = compareReports(baseline, r.reports);
      identical[m] = (identical[m] ?? true) && cmp.identical;
      if (!cmp.identical) identical[`${m}-diff`] = cmp;
    }
  }
  // --cache: cold run, unchanged re-run, and a re-run after editing one file.
  const cacheLocation = path.join(CACHE_DIR, 'eslintcache');
  fs.rmSync(cacheLocation, { force: true });
  const cacheArgs = ['--cache', '--cache-location', cacheLocation];
  log('scale-out: --cache cold');
  const cold = cliRun('cache-cold', targets, [...cacheArgs, '--concurrency', 'off']);
  log('scale-out: --cache unchanged');
  const unchanged = cliRun('cache-unchanged', targets, [...cacheArgs, '--concurrency', 'off']);
  const edited = targets.find((t) => corpusName(t).startsWith('ws/lib/')) ?? targets[0];
  const original = fs.readFileSync(edited, 'utf8');
  let oneEdited;
  try {
    fs.writeFileSync(edited, `${original}${original.endsWith('\n') ? '' : '\n'}// edited by bench/run.mjs\n`);
    log(`scale-out: --cache after editing ${corpusName(edited)}`);
    oneEdited = cliRun('cache-one-edited', targets, [...cacheArgs, '--concurrency', 'off']);
  } finally {
    fs.writeFileSync(edited, original);
  }
  fs.rmSync(cacheLocation, { force: true });
  log('scale-out: --cache --concurrency 2, cold and unchanged');
  const cacheCold2 = cliRun('cache-cold-concurrency-2', targets, [...cacheArgs, '--concurrency', '2']);
  const cacheWarm2 = cliRun('cache-unchanged-concurrency-2', targets, [...cacheArgs, '--concurrency', '2']);
  fs.rmSync(cacheLocation, { force: true });

  const med = Object.fromEntries(Object.entries(times).map(([m, t]) => [m, median(t)]));
  const cache = {
    cold: { wallMs: cold.wallMs, linted: cold.linted, identical: compareReports(baseline, cold.reports).identical },
    unchanged: { wallMs: unchanged.wallMs, linted: unchanged.linted, identical: compareReports(baseline, unchanged.reports).identical },
    oneFileEdited: {
      file: corpusName(edited),
      wallMs: oneEdited.wallMs,
      linted: oneEdited.linted,
      lintedFiles: oneEdited.lintedFiles,
      onlyChangedRelinted: oneEdited.linted === 1 && oneEdited.lintedFiles[0] === corpusName(edited),
      identical: compareReports(baseline, oneEdited.reports).identical,
    },
    concurrency2Cold: { wallMs: cacheCold2.wallMs, linted: cacheCold2.linted, identical: compareReports(baseline, cacheCold2.reports).identical },
    concurrency2Unchanged: { wallMs: cacheWarm2.wallMs, linted: cacheWarm2.linted, identical: compareReports(baseline, cacheWarm2.reports).identical },
  };
  const result = {
    note: `--concurrency auto uses half the available cores (${os.availableParallelism()} here) and needs > 50 files per thread, so on 2 cores it lints in one thread; --concurrency 2 forces two worker threads.`,
    files: targets.length,
    repetitions: P.scaleoutReps,
    wallMs: times,
    medianWallMs: med,
    speedUp: { auto: med.off / med.auto, '2': med.off / med['2'], cacheUnchanged: cold.wallMs / unchanged.wallMs, cacheOneEdited: cold.wallMs / oneEdited.wallMs },
    filesLinted: linted,
    identicalToSingleThreaded: identical,
    cache,
  };
  writeJson('scaleout.json', result);
  return result;
}

// ---------------------------------------------------------------------------------------------------
// Summary

function table(header, rows) {
  return [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

function summary(env, corpus, s, fromEarlier = []) {
  const L = [];
  L.push(`# Benchmark summary${QUICK ? ' (QUICK smoke run: not for publication)' : ''}`, '');
  if (fromEarlier.length) L.push(`Sections read from earlier runs' results/*.json (not measured in the run below; see their files): ${fromEarlier.join(', ')}.`, '');
  L.push(`${env.date.slice(0, 10)} · Node ${env.node} · ${env.cpu} × ${env.cores} cores · ${env.memoryGB} GB · ESLint ${env.eslint} · TypeScript ${env.typescript} · typescript-eslint ${env.typescriptEslint} · plugin ${env.plugin} at ${env.gitCommit} (dist built ${env.pluginBuiltAt})`, '');
  L.push(`Reproduce: \`npm run bench\` (= \`npm --prefix bench ci && node bench/run.mjs\`).`, '');
  L.push('## Corpus', '');
  L.push(table(['package', 'version', 'source root', 'files', 'lines'], corpus.packages.map((p) => [p.name, p.version, p.sourceRoot, p.files, p.lines])));
  L.push('', `Total: ${corpus.files} files, ${corpus.lines} lines.`, '');
  if (s.accuracy) {
    const { acc, crashes, allOptionsReports } = s.accuracy;
    L.push('## Accuracy', '');
    L.push(`Reports (recommended options): **${acc.reports}**; triaged ${acc.triaged}: ${acc.real} real, ${acc.falseAlarm} false alarms; untriaged ${acc.untriaged.length}.`);
    L.push(`Precision (real / triaged): **${acc.precision === null ? 'n/a' : pct(acc.precision).replace('+', '')}** (target ≥ 90%).${acc.untriaged.length ? ` Counting untriaged reports as false alarms: ${pct(acc.precisionIfUntriagedWereFalse).replace('+', '')}.` : ''}`, '');
    L.push(table(['rule', 'reports', 'real', 'false alarm', 'untriaged'], Object.entries(acc.byRule).map(([r, v]) => [r, v.reports, v.real, v.falseAlarm, v.untriaged])));
    if (acc.staleTriageEntries.length) L.push('', `Stale triage entries (no such report any more): ${acc.staleTriageEntries.length} — see accuracy.json.`);
    if (Object.keys(acc.falseAlarmReasons).length) {
      L.push('', 'False-alarm patterns:', '');
      for (const [reason, keys] of Object.entries(acc.falseAlarmReasons)) L.push(`- ${reason} (${keys.length})`);
    }
    L.push('', `Crash sweep: **${crashes.total} crashes** (target 0) over ${crashes.sweeps.map((x) => `${x.files} files × ${x.config}`).join(' and ')}. With every boolean option flipped the rules report ${allOptionsReports ?? 'n/a'} times.`);
    for (const sw of crashes.sweeps) for (const c of sw.crashes) L.push(`- ${sw.config}: ${c.file}: ${c.rule ?? '?'}: ${c.message}`);
    const fatal = crashes.sweeps[0].fatalParseErrors;
    if (fatal.length) L.push('', `Parse errors (file not analysed): ${fatal.map((f) => `${f.file}:${f.line} ${f.message}`).join('; ')}`);
    L.push('');
  }
  if (s.cost) {
    const c = s.cost;
    L.push('## Cost (whole process, median of ' + c.repetitions + ' alternated runs)', '');
    L.push(table(['config', 'what', 'median wall', 'median CPU', 'socket-close rules (stats)'], COST_CONFIGS.map((k) => [k, c.configurations[k], `${round(c.medianWallMs[k] / 1000, 2)} s`, `${round(c.medianCpuMs[k] / 1000, 2)} s`, c.perRule[k].pluginRulesMs ? `${round(c.perRule[k].pluginRulesMs)} ms` : '—'])));
    L.push('');
    L.push(`- (b) − (a) = ${round(c.ratios['b-a (ms)'])} ms; (c) − (a) = ${round(c.ratios['c-a (ms)'])} ms; ratio **${round(c.ratios['(b-a)/(c-a)'], 2)}** (target ≤ 0.5; CPU-time ratio ${round(c.ratios['cpu (b-a)/(c-a)'], 2)}).`);
    L.push(`- (e) vs (d): **${pct(c.ratios['e vs d marginal'])}** (target ≤ 3%; CPU time ${pct(c.ratios['cpu e vs d marginal'])}).`);
    L.push(`- b/a = ${round(c.ratios['b/a'], 3)}, c/a = ${round(c.ratios['c/a'], 3)}, e/d = ${round(c.ratios['e/d'], 3)}.`);
    const top = Object.entries(c.perRule.e.rulesMs).slice(0, 6);
    L.push(`- Slowest rules in (e) (stats, ms): ${top.map(([r, t]) => `${r} ${round(t)}`).join(', ')}. The first type-aware rule to run pays for lazy type checking, so per-rule times overstate it; the marginal cost is the difference between configurations.`);
    L.push('');
  }
  if (s.scaling) {
    const sized = s.scaling.rows.filter((r) => r.size !== null);
    L.push('## Scaling (one generated function)', '');
    L.push(table(['statements', 'lines', 'cold rule ms', 'warm rule ms', 'warm rule CPU ms (no stats)', 'µs / statement (warm)', 'reports'], sized.map((r) => [r.statements, r.lines, round(r.coldRuleMs, 2), round(r.warmRuleMs, 2), round(r.warmRuleCpuMs, 2), round(r.warmUsPerStatement, 2), r.reports])));
    L.push('', `Per-statement growth from smallest to largest: ×${round(s.scaling.growth, 2)} (flat ≈ 1).${s.scaling.sameReportsAtEverySize ? '' : ' WARNING: the number of reports differs between sizes.'}`, '');
    const extra = s.scaling.rows.filter((r) => r.size === null);
    if (extra.length) {
      L.push('Many sockets:', '');
      L.push(table(['input', 'lines', 'sockets', 'cold rule ms', 'warm rule ms', 'warm rule CPU ms (no stats)', 'reports'], extra.map((r) => [r.name, r.lines, r.sockets, round(r.coldRuleMs, 2), round(r.warmRuleMs, 2), round(r.warmRuleCpuMs, 2), r.reports])));
      L.push('');
    }
  }
  if (s.inprocess) {
    const c = s.inprocess;
    const f = (x) => `${pct(x.value)} (per pass ${pct(x.perPass.min)} … ${pct(x.perPass.max)})`;
    const r = (x) => `${round(x.value, 2)} (per pass ${round(x.perPass.min, 2)} … ${round(x.perPass.max, 2)})`;
    L.push('## Cost in one process (same program, every configuration on every file)', '');
    L.push(`${c.files} files; ${c.order}; ${c.warmPasses} warm passes. CPU time (wall time in cost-inprocess.json).`, '');
    L.push(table(['measure', 'CPU', 'wall'], [
      ['warm: extra = Σ(plugin − none) / Σ(recommendedTypeChecked lint)', f(c.cpu.extra), f(c.wall.extra)],
      ['warm: alone vs no-floating-promises = Σ(plugin − none) / Σ(nfp − none)', r(c.cpu.aloneVsNfp), r(c.wall.aloneVsNfp)],
      ['warm, from per-file minima: extra / alone vs nfp', `${pct(c.cpu.extra.valueOfMinima)} / ${round(c.cpu.aloneVsNfp.valueOfMinima, 2)}`, `${pct(c.wall.extra.valueOfMinima)} / ${round(c.wall.aloneVsNfp.valueOfMinima, 2)}`],
      ['warm: Σ plugin − none (ms)', round(c.cpu.warmMs.pluginRules), round(c.wall.warmMs.pluginRules)],
      ['first pass (after recommendedTypeChecked on the same file): extra', pct(c.cpu.firstPass.extra), pct(c.wall.firstPass.extra)],
      ['first pass: Σ plugin − none (ms)', round(c.cpu.firstPass.pluginMinusNoneMs), round(c.wall.firstPass.pluginMinusNoneMs)],
      ...(c.cpu.firstPass.extraAdjacent !== undefined ? [['first pass: extra against the parse-only lint right before the plugin\'s', pct(c.cpu.firstPass.extraAdjacent), pct(c.wall.firstPass.extraAdjacent)]] : []),
    ]));
    if (c.rules) {
      L.push('', 'Rules timed (each rule\'s `create` and listeners, main thread; `bench/configs.mjs` ruleClock) — without the parse-only lint\'s noise, and without ESLint\'s own per-rule work:', '');
      L.push(table(['measure', 'value'], [
        ['warm: extra = Σ plugin rule time / Σ(recommendedTypeChecked lint CPU)', f(c.rules.extra)],
        ['warm: alone vs no-floating-promises = Σ plugin rule time / Σ no-floating-promises rule time', r(c.rules.aloneVsNfp)],
        ['warm: Σ plugin rule time / Σ nfp rule time (ms)', `${round(c.rules.warmMs.pluginRules)} / ${round(c.rules.warmMs.nfpRules)}`],
        ['first pass: extra (plugin rule time / rTC lint CPU)', pct(c.rules.firstPass.extra)],
      ]));
    }
    L.push('', 'Top files by plugin CPU time (warm, ms): ' + c.topFilesByPluginCpuMs.warm.map((x) => `${x.file} ${round(x.ms)}`).join(', ') + '.', '');
  }
  if (s.heavy) {
    const h = s.heavy;
    L.push(`## Heavy-generics TypeScript project (${h.project.package}@${h.project.version} sources: ${h.project.files} files, ${h.project.lines} lines)`, '');
    const adjacent = h.firstPass.pluginOfParseCpuAdjacent !== undefined ? `plugin ${round(h.firstPass.pluginCpuMsAdjacent)} ms CPU = **${pct(h.firstPass.pluginOfParseCpuAdjacent)} of parse** against the parse-only lint right before it (wall ${pct(h.firstPass.pluginOfParseWallAdjacent)}); against the file's warm parse (biased upwards) ` : '';
    L.push(`First pass (cold checker): type-aware parse ${round(h.firstPass.parseCpuMs)} ms CPU, ${adjacent}plugin ${round(h.firstPass.pluginCpuMs)} ms CPU = ${adjacent ? '' : '**'}${pct(h.firstPass.pluginOfParseCpu)} of parse${adjacent ? '' : '**'} (wall ${pct(h.firstPass.pluginOfParseWall)}). Warm: ${pct(h.warm.cpu.value)} of parse (CPU).${h.checkerWork ? ` Checker work the plugin causes on the first pass (counted, the same in every run): ${h.checkerWork.types} types, ${h.checkerWork.instantiations} instantiations.` : ''}`, '');
    if (h.rulesTimed) L.push(`Rules timed (the plugin's \`create\` and listeners, main thread): ${round(h.rulesTimed.firstPassMs)} ms on the first pass = **${pct(h.rulesTimed.firstPassOfParse)} of parse**.`, '');
    L.push(table(['file (first pass)', 'plugin CPU ms'], h.topFilesByPluginCpuMs.firstPass.map((x) => [x.file, round(x.ms)])));
    L.push('');
  }
  if (s.editor) {
    const e = s.editor;
    L.push('## Editor latency', '');
    L.push(`${e.file} (${e.lines} lines), warm program: socket-close rule time **${round(e.warmRuleMs, 2)} ms** unchanged (${round(e.rulePer1000LinesMs, 2)} ms per 1,000 lines; target ≤ 20 ms), ${e.editedRuleMs === null ? 'n/a' : `${round(e.editedRuleMs, 2)} ms`} after an edit; whole lintText ${round(e.warmLintWallMs)} ms / ${round(e.editedLintWallMs)} ms. Cold (first lint, includes type checking): ${round(e.coldRuleMs)} ms.`, '');
  }
  if (s.scaleout) {
    const o = s.scaleout;
    L.push('## Scale-out (ESLint CLI, socket-close recommended)', '');
    L.push(table(['mode', 'median wall', 'speed-up', 'files linted', 'reports identical to single-threaded'], ['off', 'auto', '2'].map((m) => [`--concurrency ${m}`, `${round(o.medianWallMs[m] / 1000, 2)} s`, `×${round(o.medianWallMs.off / o.medianWallMs[m], 2)}`, o.filesLinted[m], o.identicalToSingleThreaded[m] ? 'yes' : 'NO'])));
    const c = o.cache;
    L.push('');
    L.push(`- \`--cache\`: cold ${round(c.cold.wallMs / 1000, 2)} s (${c.cold.linted} files linted); unchanged re-run ${round(c.unchanged.wallMs / 1000, 2)} s (${c.unchanged.linted} linted); after editing ${c.oneFileEdited.file}: ${round(c.oneFileEdited.wallMs / 1000, 2)} s, ${c.oneFileEdited.linted} file(s) re-linted (${c.oneFileEdited.onlyChangedRelinted ? 'only the changed file' : 'NOT only the changed file'}). Reports identical: ${[c.cold, c.unchanged, c.oneFileEdited, c.concurrency2Cold, c.concurrency2Unchanged].every((x) => x.identical) ? 'yes' : 'NO'}.`);
    L.push(`- \`--cache --concurrency 2\`: cold ${round(c.concurrency2Cold.wallMs / 1000, 2)} s, unchanged ${round(c.concurrency2Unchanged.wallMs / 1000, 2)} s.`);
    L.push(`- ${o.note}`, '');
  }
  fs.writeFileSync(path.join(RESULTS_DIR, 'summary.md'), `${L.join('\n')}\n`);
}

// ---------------------------------------------------------------------------------------------------

const SECTION_FILES = { accuracy: 'accuracy.json', cost: 'cost.json', scaling: 'scaling.json', editor: 'editor.json', scaleout: 'scaleout.json', inprocess: 'cost-inprocess.json', heavy: 'heavy.json' };
const SECTION_NAMES = { inprocess: 'cost-inprocess' };

/** Results of a section from an earlier run (results/*.json), in the shape summary() takes; null if absent. */
function loadSection(key) {
  const read = (f) => (fs.existsSync(path.join(RESULTS_DIR, f)) ? JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, f), 'utf8')) : null);
  if (key !== 'accuracy') return read(SECTION_FILES[key]);
  const acc = read('accuracy.json');
  const crashes = read('crashes.json');
  return acc && crashes ? { acc, crashes, allOptionsReports: crashes.allOptionsReports ?? null } : null;
}

/**
 * Sections not measured in this invocation are read from results/*.json, so summary.md always shows every
 * section; `fromEarlier` names them. --summary-only: no measurement at all.
 */
function completeSections(sections) {
  const fromEarlier = [];
  for (const key of Object.keys(SECTION_FILES)) {
    if (sections[key]) continue;
    const loaded = loadSection(key);
    if (loaded) {
      sections[key] = loaded;
      fromEarlier.push(SECTION_NAMES[key] ?? key);
    }
  }
  return fromEarlier;
}

function summaryOnly() {
  const read = (f) => JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, f), 'utf8'));
  const sections = {};
  const fromEarlier = completeSections(sections);
  summary(read('environment.json'), read('corpus.json'), sections, fromEarlier);
  log(`summary rewritten from ${fromEarlier.join(', ')}`);
}

async function main() {
  if (args.includes('--summary-only')) return summaryOnly();
  const t0 = performance.now();
  const env = environment();
  const { corpus, targets } = prepare();
  writeJson('environment.json', env);
  const sections = {};
  if (want('accuracy')) sections.accuracy = accuracy();
  if (want('cost')) sections.cost = cost();
  if (want('scaling')) sections.scaling = scaling();
  if (want('cost-inprocess')) sections.inprocess = costInprocess();
  if (want('heavy')) sections.heavy = heavy();
  if (want('editor')) sections.editor = editor(targets);
  if (want('scaleout')) {
    const baseline = sections.accuracy ? withKeys(JSON.parse(fs.readFileSync(path.join(RESULTS_DIR, 'reports.json'), 'utf8')).reports) : null;
    const off = baseline ?? (log('scale-out: single-threaded baseline'), cliRun('baseline', targets, ['--concurrency', 'off']).reports);
    sections.scaleout = scaleout(targets, off);
  }
  const fromEarlier = completeSections(sections);
  summary(env, corpus, sections, fromEarlier);
  log(`done in ${round((performance.now() - t0) / 60000, 1)} min: ${path.relative(ROOT_DIR, RESULTS_DIR)}/summary.md`);
}

main().catch((err) => {
  console.error(err?.stack ?? err);
  process.exit(1);
});

