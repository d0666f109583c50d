// In-process cost measurement: every file is linted with several configurations in ONE process, so all
// of them use the same typescript-eslint project service and the same TypeScript program (the project
// service is a process-wide singleton of typescript-eslint). Differences between configurations are
// then differences of rule work on the same file, not of process start-up, program creation or machine
// load between processes.
//
// Pass 0 ("first pass", cold type checker) lints file by file in the order of the configurations given
// (e.g. none, recommendedTypeChecked, plugin, no-floating-promises): the first configuration of the first
// file builds the program; every later lint of a file finds the types that earlier configurations asked
// for already checked. Passes 1..reps ("warm") repeat every file × configuration with the order rotated
// per file and per pass; the checker caches are full by then, so warm times are the rules' own work
// (AST walks, analyses, cached type look-ups).
//
// Every lint re-parses the text (`lintText`): the plugin keeps per-file state keyed by the parsed AST, so
// re-using one parsed SourceCode would let the second lint find the first one's results. "none" (no
// rules) is the parse, so (config − none) is the rule time of the configuration.
import { performance } from 'node:perf_hooks';
import fs from 'node:fs';
import { PLUGIN_PREFIX, ruleClock } from './configs.mjs';
import { median } from './lib.mjs';

export const INPROCESS_CONFIGS = { none: 'a', plugin: 'plugin', nfp: 'c', rtc: 'd' };

/**
 * @param {string[]} configs configuration names of configs.mjs, first = the order of pass 0
 * @param {string[]} files absolute paths
 * @param {{ reps: number, nameOf: (f: string) => string, makeEslint: (config: string) => any }} opts
 *   makeEslint must build instances WITHOUT `stats`: ESLint's per-listener timers cost more than the
 *   plugin's own work (the plugin listens to many node types), about 3× its marginal CPU time here.
 */
export async function costInProcess(configs, files, { reps, nameOf, makeEslint }) {
  const eslints = Object.fromEntries(configs.map((c) => [c, makeEslint(c)]));
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  // samples[config][file] = [{ wallMs, cpuMs, fatal }] — index = pass
  const samples = Object.fromEntries(configs.map((c) => [c, files.map(() => [])]));
  // pass 0 only: a second parse-only lint of the file right before each later configuration's lint (the
  // baseline of that configuration's first-pass cost: same program, same stage of the run; see summariseInProcess).
  const baseline = Object.fromEntries(configs.map((c) => [c, files.map(() => undefined)]));
  const passMs = [];
  // A young-generation GC before every timed lint (when the process runs with --expose-gc): each lint starts with
  // an empty nursery instead of paying for the garbage of the lint before it. A full GC would take ~0.2 s here.
  const gc = typeof globalThis.gc === 'function' ? () => globalThis.gc({ type: 'minor', execution: 'sync' }) : () => {};
  const once = async (c, i, into) => {
    gc();
    const r0 = ruleClock.ms;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const [result] = await eslints[c].lintText(texts[i], { filePath: files[i] });
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    const fatal = result.messages.filter((m) => m.fatal).length;
    const sample = { wallMs, cpuMs: (cpu.user + cpu.system) / 1000, ruleMs: ruleClock.ms - r0, fatal };
    if (into) into[i] = sample;
    else samples[c][i].push(sample);
  };
  for (let pass = 0; pass <= reps; pass++) {
    const t0 = performance.now();
    for (let i = 0; i < files.length; i++) {
      const k = pass === 0 ? 0 : (i + pass) % configs.length;
      let order = configs.map((_, j) => configs[(j + k) % configs.length]);
      if (pass > 0 && (i + pass) % 2) order = order.reverse();
      for (const c of order) {
        if (pass === 0 && c !== configs[0]) await once(configs[0], i, baseline[c]);
        await once(c, i);
      }
    }
    passMs.push(performance.now() - t0);
  }
  return {
    mode: 'cost-inprocess',
    configs,
    reps,
    files: files.map(nameOf),
    passWallMs: passMs,
    samples,
    baseline,
    gcBeforeLint: typeof globalThis.gc === 'function',
  };
}

const sum = (xs) => xs.reduce((a, b) => a + b, 0);
const spread = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), samples: xs });

/**
 * Ratios of an in-process run. Names of configurations: none / plugin / nfp / rtc (INPROCESS_CONFIGS).
 *   extra         = Σ_f (plugin − none) / Σ_f rtc      (rtc = parse + recommendedTypeChecked rules)
 *   aloneVsNfp    = Σ_f (plugin − none) / Σ_f (nfp − none)
 *   pluginOfParse = Σ_f (plugin − none) / Σ_f none
 * Two measures of each lint: `cpu` (process CPU time around lintText; not inflated by other processes,
 * but counts GC threads) and `wall`. No ESLint `stats` (see costInProcess).
 * `value` = the ratio of the sums of per-file medians over the warm passes (robust to one slow sample);
 * `perPass` = the ratio of each warm pass on its own (median / min / max: the spread); `valueOfMinima` = the
 * ratio computed from each file's minimum per configuration over the warm passes.
 * `firstPass`: the same sums on pass 0 — the plugin's cost when the type checker is cold except for what the
 * configurations before it in pass 0 asked for (with order none → rtc → plugin → nfp, the plugin's marginal
 * cost on top of recommendedTypeChecked, like process-level (e) − (d)). Two baselines for "none":
 * `pluginMinusNoneMs` subtracts the file's warm median (pass 0's own "none" of the first file includes building
 * the program), `pluginMinusAdjacentMs` the parse-only lint of the same file right before the plugin's (in the
 * same pass: pass 0 lints a file with no rules once more before each later configuration). Without that second
 * parse-only lint the configuration's lint was the second lint of the file, which costs more than a warm one, and
 * the warm baseline showed an "extra" of 8–16% of the parse on the heavy project with a parse-only lint in the
 * plugin's place (`run.mjs --aa`); with it both baselines give about 0 there (±5 points per run).
 */
export function summariseInProcess(raw) {
  const C = INPROCESS_CONFIGS;
  const has = (k) => raw.configs.includes(C[k]);
  const S = raw.samples;
  const idx = raw.files.map((_, i) => i);
  const passes = Array.from({ length: raw.reps }, (_, p) => p + 1);
  // The value of a lint under one measure.
  const measures = {
    cpu: (k, s) => s.cpuMs,
    wall: (k, s) => s.wallMs,
  };
  const ratiosFor = (get) => {
    // cost(k, p, i): the cost of configuration k on file i in pass p, minus none where the ratio says so.
    const cost = {
      none: (p, i) => get('none', S[C.none][i][p]),
      pluginRules: (p, i) => get('plugin', S[C.plugin][i][p]) - get('none', S[C.none][i][p]),
      nfpRules: has('nfp') ? (p, i) => get('nfp', S[C.nfp][i][p]) - get('none', S[C.none][i][p]) : null,
      rtc: has('rtc') ? (p, i) => get('rtc', S[C.rtc][i][p]) : null,
    };
    const out = ratiosFromCosts(cost);
    // Per-file minimum over the warm passes of each configuration (noise from other load only adds time,
    // so the minimum is the least disturbed sample), then the same ratios.
    const minOf = (k, i) => Math.min(...passes.map((p) => get(k, S[C[k]][i][p])));
    const sumMin = (fn) => sum(idx.map(fn));
    const pluginMin = sumMin((i) => minOf('plugin', i) - minOf('none', i));
    out.minMs = { none: sumMin((i) => minOf('none', i)), pluginRules: pluginMin };
    if (has('nfp')) out.minMs.nfpRules = sumMin((i) => minOf('nfp', i) - minOf('none', i));
    if (has('rtc')) out.minMs.rtc = sumMin((i) => minOf('rtc', i));
    if (has('rtc')) out.extra.valueOfMinima = pluginMin / out.minMs.rtc;
    if (has('nfp')) out.aloneVsNfp.valueOfMinima = pluginMin / out.minMs.nfpRules;
    out.pluginOfParse.valueOfMinima = pluginMin / out.minMs.none;
    return out;
  };
  const ratiosFromCosts = (cost) => {
    const med = (fn) => sum(idx.map((i) => median(passes.map((p) => fn(p, i)))));
    const pass = (fn, p) => sum(idx.map((i) => fn(p, i)));
    const one = (num, den) => ({
      value: med(num) / med(den),
      perPass: spread(passes.map((p) => pass(num, p) / pass(den, p))),
    });
    const out = { warmMs: {} };
    for (const [k, fn] of Object.entries(cost)) if (fn) out.warmMs[k] = med(fn);
    if (cost.rtc) out.extra = one(cost.pluginRules, cost.rtc);
    if (cost.nfpRules) out.aloneVsNfp = one(cost.pluginRules, cost.nfpRules);
    out.pluginOfParse = one(cost.pluginRules, cost.none);
    return out;
  };
  const firstPass = (get) => {
    const warmNone = idx.map((i) => median(passes.map((p) => get('none', S[C.none][i][p]))));
    const f = {
      parseMs: sum(idx.map((i) => get('none', S[C.none][i][0]))),
      pluginMinusNoneMs: sum(idx.map((i) => get('plugin', S[C.plugin][i][0]) - warmNone[i])),
    };
    f.pluginOfParse = f.pluginMinusNoneMs / f.parseMs;
    if (has('rtc')) {
      f.rtcMs = sum(idx.map((i) => get('rtc', S[C.rtc][i][0])));
      f.extra = f.pluginMinusNoneMs / f.rtcMs;
    }
    const adjacent = raw.baseline?.[C.plugin];
    if (adjacent?.every((b) => b)) {
      f.adjacentNoneMs = sum(idx.map((i) => get('none', adjacent[i])));
      f.pluginMinusAdjacentMs = sum(idx.map((i) => get('plugin', S[C.plugin][i][0]) - get('none', adjacent[i])));
      f.pluginOfParseAdjacent = f.pluginMinusAdjacentMs / f.parseMs;
      if (has('rtc')) f.extraAdjacent = f.pluginMinusAdjacentMs / f.rtcMs;
    }
    if (has('nfp')) f.nfpMinusNoneMs = sum(idx.map((i) => get('nfp', S[C.nfp][i][0]) - warmNone[i]));
    return f;
  };
  const result = {};
  for (const [m, get] of Object.entries(measures)) result[m] = { ...ratiosFor(get), firstPass: firstPass(get) };
  // `rules`: the timed rules' own time (see configs.mjs ruleClock) over the CPU time of the lints it is compared with.
  if (S[C.plugin].every((f) => f.every((x) => typeof x.ruleMs === 'number'))) {
    const rule = (k) => (p, i) => S[C[k]][i][p].ruleMs;
    const cpuOf = (k) => (p, i) => S[C[k]][i][p].cpuMs;
    const pass = (fn, p) => sum(idx.map((i) => fn(p, i)));
    const r = ratiosFromCosts({
      pluginRules: rule('plugin'),
      none: cpuOf('none'),
      nfpRules: has('nfp') ? rule('nfp') : null,
      rtc: has('rtc') ? cpuOf('rtc') : null,
    });
    r.firstPass = { pluginRulesMs: pass(rule('plugin'), 0), parseMs: pass(cpuOf('none'), 0) };
    r.firstPass.pluginOfParse = r.firstPass.pluginRulesMs / r.firstPass.parseMs;
    if (has('rtc')) {
      r.firstPass.rtcMs = pass(cpuOf('rtc'), 0);
      r.firstPass.extra = r.firstPass.pluginRulesMs / r.firstPass.rtcMs;
    }
    if (has('nfp')) r.firstPass.nfpRulesMs = pass(rule('nfp'), 0);
    result.rules = r;
  }
  const perFile = raw.files.map((file, i) => {
    const warmNone = median(passes.map((p) => S[C.none][i][p].cpuMs));
    return {
      file,
      firstPassCpuMs: S[C.plugin][i][0].cpuMs - (raw.baseline?.[C.plugin]?.[i]?.cpuMs ?? warmNone),
      warmCpuMs: median(passes.map((p) => S[C.plugin][i][p].cpuMs - S[C.none][i][p].cpuMs)),
      warmParseCpuMs: warmNone,
    };
  });
  const top = (key) => [...perFile].sort((a, b) => b[key] - a[key]).slice(0, 10).map((r) => ({ file: r.file, ms: r[key] }));
  return {
    order: `pass 0: ${raw.configs.join(' → ')} per file; warm passes: order rotated per file and pass`,
    configs: Object.fromEntries(Object.entries(C).filter(([k]) => has(k))),
    files: raw.files.length,
    warmPasses: raw.reps,
    passWallMs: raw.passWallMs,
    ...result,
    fatalParseErrors: sum(raw.configs.map((c) => sum(S[c].map((f) => f[0].fatal)))),
    // Plugin rule time per file = CPU time of the plugin lint − CPU time of the no-rules lint (warm median).
    topFilesByPluginCpuMs: { firstPass: top('firstPassCpuMs'), warm: top('warmCpuMs') },
    perFile,
  };
}
