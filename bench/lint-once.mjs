#!/usr/bin/env node
// One lint job in its own process. The orchestrator (run.mjs) times whole processes of this script.
//
//   node bench/lint-once.mjs cost   <config>            lint the corpus once (no stats)
//   node bench/lint-once.mjs stats  <config>            lint the corpus once with ESLint's `stats`
//   node bench/lint-once.mjs sweep  <config>            lint the corpus file by file, catching rule crashes
//   node bench/lint-once.mjs relint <config> <file> [--reps N] [--edit] [--cpu [N]]
//                                                        lint one file cold, then N times warm (same
//                                                        ESLint instance), optionally after an edit
//   node bench/lint-once.mjs checker-work plugin [--target heavy]
//                                                        types and instantiations the checker creates
//                                                        while the plugin lints each file cold (checker-work.mjs)
//   node bench/lint-once.mjs cost-inprocess <c1,c2,...> [--reps N] [--aa]
//                                                        every file linted with every configuration
//                                                        in one process, on one program (inprocess.mjs);
//                                                        --aa: 'plugin' lints with no rules (A/A check)
// Common flags: --out <file.json> (default: stdout), --files <a,b,...> (corpus subset, corpus names),
// --target heavy (lint the heavy-generics project of heavy.mjs instead of the corpus).
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { BENCH_DIR, corpusName, corpusTargets } from './corpus.mjs';
import { buildConfig, PLUGIN_PREFIX, rootRequire } from './configs.mjs';
import { heavyName, heavyTargets } from './heavy.mjs';
import { costInProcess } from './inprocess.mjs';
import { checkerWork } from './checker-work.mjs';

const { ESLint } = rootRequire('eslint');

function parseArgs(argv) {
  const positional = [];
  const flags = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const key = a.slice(2);
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        flags[key] = next;
        i++;
      } else flags[key] = true;
    } else positional.push(a);
  }
  return { positional, flags };
}

export function makeEslint(config, stats, timeRules = false) {
  return new ESLint({ cwd: BENCH_DIR, overrideConfigFile: true, overrideConfig: buildConfig(config, { timeRules }), stats, cache: false });
}

/** A report of a message: the fields the accuracy triage works on. */
export function toReport(filePath, m) {
  return {
    file: corpusName(filePath),
    line: m.line,
    column: m.column,
    rule: m.ruleId,
    messageId: m.messageId ?? null,
    severity: m.severity,
    message: m.message,
  };
}

/** Sums the per-rule and parse times of ESLint `stats` over results (milliseconds). */
export function sumStats(results) {
  const rules = {};
  let parse = 0;
  let total = 0;
  for (const r of results) {
    for (const pass of r.stats?.times?.passes ?? []) {
      parse += pass.parse?.total ?? 0;
      total += pass.total ?? 0;
      for (const [id, t] of Object.entries(pass.rules ?? {})) rules[id] = (rules[id] ?? 0) + t.total;
    }
  }
  return { rules, parse, total };
}

function pluginRuleTime(rules) {
  return Object.entries(rules)
    .filter(([id]) => id.startsWith(PLUGIN_PREFIX))
    .reduce((s, [, t]) => s + t, 0);
}

function selectedTargets(flags) {
  const heavy = flags.target === 'heavy';
  const all = heavy ? heavyTargets() : corpusTargets();
  if (!flags.files) return all;
  const wanted = new Set(String(flags.files).split(','));
  return all.filter((f) => wanted.has(heavy ? heavyName(f) : corpusName(f)));
}

function countMessages(results) {
  let errors = 0;
  let fatal = 0;
  for (const r of results) {
    errors += r.messages.length;
    fatal += r.messages.filter((m) => m.fatal).length;
  }
  return { errors, fatal };
}

async function cost(config, flags, stats) {
  const targets = selectedTargets(flags);
  const eslint = makeEslint(config, stats);
  const t0 = performance.now();
  const results = await eslint.lintFiles(targets);
  const lintMs = performance.now() - t0;
  const out = { mode: stats ? 'stats' : 'cost', config, files: results.length, lintMs, ...countMessages(results) };
  if (stats) out.stats = sumStats(results);
  return out;
}

/** Extracts the rule id ESLint appends to errors thrown by a rule (`Rule: "x"`). */
function crashRule(err) {
  const m = /Rule: "([^"]+)"/.exec(String(err?.message ?? ''));
  return m ? m[1] : null;
}

/**
 * Lints files one by one with one ESLint instance; a rule that throws loses its file only.
 * Returns the plugin's reports, the crashes (file, rule, message, stack) and fatal parse errors.
 */
export async function sweepFiles(eslint, files, rulePrefix = PLUGIN_PREFIX) {
  const reports = [];
  const crashes = [];
  const fatals = [];
  for (const file of files) {
    try {
      const [result] = await eslint.lintFiles([file]);
      for (const m of result?.messages ?? []) {
        if (m.fatal) fatals.push(toReport(file, m));
        else if (m.ruleId?.startsWith(rulePrefix)) reports.push(toReport(file, m));
      }
    } catch (err) {
      const message = String(err?.message ?? err);
      crashes.push({
        file: corpusName(file),
        rule: crashRule(err),
        message: message.split('\n')[0],
        detail: message.split('\n').slice(1).join('\n'),
        stack: String(err?.stack ?? '').split('\n').slice(0, 12).join('\n'),
      });
    }
  }
  return { reports, crashes, fatals };
}

async function sweep(config, flags) {
  const targets = selectedTargets(flags);
  const eslint = makeEslint(config, false);
  const t0 = performance.now();
  const swept = await sweepFiles(eslint, targets);
  return { mode: 'sweep', config, files: targets.length, lintMs: performance.now() - t0, ...swept };
}

async function relint(config, file, flags) {
  const reps = Number(flags.reps ?? 5);
  const abs = path.resolve(file);
  const text = fs.readFileSync(abs, 'utf8');
  const eslint = makeEslint(config, true);
  const once = async (source) => {
    const t0 = performance.now();
    const results = await eslint.lintText(source, { filePath: abs });
    const wallMs = performance.now() - t0;
    const s = sumStats(results);
    return { wallMs, ruleMs: pluginRuleTime(s.rules), parseMs: s.parse, reports: results[0].messages.filter((m) => m.ruleId?.startsWith(PLUGIN_PREFIX)).length, fatal: results[0].messages.filter((m) => m.fatal).map((m) => m.message) };
  };
  const cold = await once(text);
  const warm = [];
  for (let i = 0; i < reps; i++) warm.push(await once(text));
  // --cpu: the same warm lint without ESLint stats (whose per-listener timers inflate the plugin's time),
  // with config and the no-rules config "a" alternated; rule CPU time = CPU(config) − CPU(a).
  const warmCpu = [];
  if (flags.cpu) {
    const plain = makeEslint(config, false);
    const none = makeEslint('a', false);
    const cpuOf = async (e) => {
      const c0 = process.cpuUsage();
      await e.lintText(text, { filePath: abs });
      const c = process.cpuUsage(c0);
      return (c.user + c.system) / 1000;
    };
    await cpuOf(plain);
    await cpuOf(none);
    for (let i = 0; i < Number(flags.cpu === true ? reps : flags.cpu); i++) {
      let p;
      let n;
      if (i % 2) {
        n = await cpuOf(none);
        p = await cpuOf(plain);
      } else {
        p = await cpuOf(plain);
        n = await cpuOf(none);
      }
      warmCpu.push({ configCpuMs: p, noneCpuMs: n, ruleCpuMs: p - n });
    }
  }
  const edited = [];
  if (flags.edit) {
    // An edit that changes the program (a new statement at the end) so TypeScript builds a new
    // program and type checker, as in an editor after a keystroke.
    for (let i = 0; i < reps; i++) edited.push(await once(`${text}\nvoid ${i + 1};\n`));
  }
  return { mode: 'relint', config, file: corpusName(abs), lines: text.split('\n').length, cold, warm, warmCpu, edited };
}

async function main() {
  const { positional, flags } = parseArgs(process.argv.slice(2));
  const [mode, config, file] = positional;
  let out;
  switch (mode) {
    case 'cost':
      out = await cost(config, flags, false);
      break;
    case 'stats':
      out = await cost(config, flags, true);
      break;
    case 'sweep':
      out = await sweep(config, flags);
      break;
    case 'cost-inprocess': {
      const targets = selectedTargets(flags);
      const nameOf = flags.target === 'heavy' ? heavyName : corpusName;
      // --aa: an A/A check of the estimators: the configuration named 'plugin' lints with no rules (parse only).
      const configOf = (c) => (flags.aa && c === 'plugin' ? 'a' : c);
      out = await costInProcess(String(config).split(','), targets, { reps: Number(flags.reps ?? 3), nameOf, makeEslint: (c) => makeEslint(configOf(c), false, true) });
      out.target = flags.target === 'heavy' ? 'heavy' : 'corpus';
      out.aa = !!flags.aa;
      break;
    }
    case 'checker-work': {
      const targets = selectedTargets(flags);
      out = await checkerWork(targets, flags.target === 'heavy' ? heavyName : corpusName);
      out.target = flags.target === 'heavy' ? 'heavy' : 'corpus';
      break;
    }
    case 'relint':
      if (!file) throw new Error('relint needs a file');
      out = await relint(config, file, flags);
      break;
    default:
      throw new Error(`usage: lint-once.mjs cost|stats|sweep|relint|cost-inprocess|checker-work <config> [file] [--out f] [--files a,b] [--reps n] [--edit] [--target heavy]`);
  }
  out.memoryMB = Math.round(process.memoryUsage().rss / 2 ** 20);
  const cpu = process.cpuUsage();
  out.cpuMs = (cpu.user + cpu.system) / 1000;
  const json = `${JSON.stringify(out, null, 1)}\n`;
  if (flags.out) fs.writeFileSync(flags.out, json);
  else process.stdout.write(json);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err?.stack ?? err);
    process.exit(2);
  });
}
