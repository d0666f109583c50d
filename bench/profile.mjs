#!/usr/bin/env node
// CPU profile of the plugin: where its time goes, by plugin function, and which plugin function asks the
// TypeScript checker for how much.
//
//   node bench/profile.mjs                 profile both lints below, then analyse
//   node bench/profile.mjs --analyse-only  analyse the profiles already in bench/.cache/profile/
//   node bench/profile.mjs --only corpus|heavy|many   (many: the 5,000-line many-socket scaling input)
//
// Lints (each in its own `node --cpu-prof` process, lint-once.mjs `cost` mode, no ESLint stats):
//   corpus: the bench corpus with typescript-eslint recommendedTypeChecked + socket-close (config e)
//   heavy:  the heavy-generics project (heavy.mjs) with socket-close only (config plugin)
// Needs the prepared corpus / heavy project (node bench/run.mjs --only cost-inprocess,heavy, or any run).
//
// Analysis of a .cpuprofile: every sample's stack is walked from the leaf to the root.
//   - self: the leaf frame is a plugin function (a frame whose script is under the plugin's dist/);
//   - total: the plugin function is anywhere on the stack (counted once per sample, also when recursive);
//   - TypeScript time asked by F: the nearest plugin frame above the leaf is F, and some frame between the
//     leaf and F is in typescript.js (the checker, mostly) — i.e. F called into TypeScript and the sample
//     is inside that call; also split by the TypeScript entry function F called (getTypeAtLocation, ...).
// Writes bench/results/profile.json and bench/results/profile-tables.md (top 15 of each table).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { BENCH_DIR, CACHE_DIR, RESULTS_DIR, ROOT_DIR } from './corpus.mjs';
import { PLUGIN_PATH } from './configs.mjs';

const PROFILE_DIR = path.join(CACHE_DIR, 'profile');
const LINT_ONCE = path.join(BENCH_DIR, 'lint-once.mjs');
const TOP = Number(process.env.PROFILE_TOP || 15);
const args = process.argv.slice(2);
const onlyIdx = args.indexOf('--only');
const ONLY = onlyIdx >= 0 ? args[onlyIdx + 1] : null;

const RUNS = [
  { name: 'corpus', what: 'bench corpus, recommendedTypeChecked + socket-close (config e)', argv: ['cost', 'e'] },
  { name: 'heavy', what: 'heavy-generics project, socket-close only', argv: ['cost', 'plugin', '--target', 'heavy'] },
  // Not run by default: the 5,000-line many-socket scaling input (node bench/profile.mjs --only many).
  { name: 'many', what: 'sockets-200-file-5000-lines scaling input, socket-close only, cold + 1 warm lint', argv: ['relint', 'plugin', path.join(CACHE_DIR, 'scaling', 'sockets-200-file-5000-lines.ts'), '--reps', '1'], optional: true },
].filter((r) => (ONLY ? r.name === ONLY : !r.optional));

function profileRun(run) {
  fs.mkdirSync(PROFILE_DIR, { recursive: true });
  const file = path.join(PROFILE_DIR, `${run.name}.cpuprofile`);
  fs.rmSync(file, { force: true });
  const argv = ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR, '--cpu-prof-name', `${run.name}.cpuprofile`, '--cpu-prof-interval', '500', LINT_ONCE, ...run.argv, '--out', path.join(PROFILE_DIR, `${run.name}.lint.json`)];
  process.stderr.write(`[profile] ${run.name}: node ${argv.join(' ')}\n`);
  const r = spawnSync(process.execPath, argv, { cwd: BENCH_DIR, stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.status !== 0) throw new Error(`profile run ${run.name} exited ${r.status}`);
  return file;
}

const PLUGIN_DIST = path.dirname(PLUGIN_PATH);
// The plugin's scripts: under the dist/ directory that configs.mjs loads (the root's dist/ when profile.mjs
// runs on its own; BENCH_PLUGIN_PATH's directory otherwise). Not other packages' dist/ directories.
const isPlugin = (url) => url.includes(`${PLUGIN_DIST}${path.sep}`) && !url.includes(`${path.sep}node_modules${path.sep}`);
const isTypeScript = (url) => /\/typescript\/lib\/typescript\.js$/.test(url);

function shortUrl(url) {
  const u = url.replace(/^file:\/\//, '');
  const i = u.lastIndexOf('/dist/');
  if (i >= 0 && isPlugin(url)) return u.slice(i + 1);
  return path.relative(ROOT_DIR, u);
}

function frameKey(cf) {
  return `${cf.functionName || '(anonymous)'} ${shortUrl(cf.url)}:${cf.lineNumber + 1}`;
}

/** Analyses one .cpuprofile; returns the tables (ms). */
export function analyse(file) {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // Sample i lasts until sample i + 1.
  const dur = prof.samples.map((_, i) => (prof.timeDeltas[i + 1] ?? 0) / 1000);
  const self = new Map();
  const total = new Map();
  const tsAsked = new Map();
  const tsEntry = new Map();
  const tsCaller = new Map();
  const other = new Map();
  let totalMs = 0;
  let pluginMs = 0;
  let pluginTsMs = 0;
  let tsMs = 0;
  const stackCache = new Map();
  const stackOf = (id) => {
    let s = stackCache.get(id);
    if (s) return s;
    s = [];
    for (let x = id; x !== undefined; x = parent.get(x)) s.push(byId.get(x));
    stackCache.set(id, s);
    return s;
  };
  const add = (m, k, v) => m.set(k, (m.get(k) ?? 0) + v);
  for (let i = 0; i < prof.samples.length; i++) {
    const d = dur[i];
    totalMs += d;
    const stack = stackOf(prof.samples[i]);
    const leaf = stack[0];
    if (isTypeScript(leaf.callFrame.url)) tsMs += d;
    const seen = new Set();
    let nearest = -1;
    for (let j = 0; j < stack.length; j++) {
      const cf = stack[j].callFrame;
      if (!isPlugin(cf.url)) continue;
      if (nearest < 0) nearest = j;
      const k = frameKey(cf);
      if (!seen.has(k)) {
        seen.add(k);
        add(total, k, d);
      }
    }
    if (nearest < 0) continue;
    pluginMs += d;
    const P = frameKey(stack[nearest].callFrame);
    if (nearest === 0) {
      add(self, P, d);
      continue;
    }
    // Frames between the leaf and P: did P call into TypeScript?
    let entry = null;
    for (let j = nearest - 1; j >= 0; j--) {
      if (isTypeScript(stack[j].callFrame.url)) {
        entry = stack[j].callFrame.functionName || '(anonymous)';
        break;
      }
    }
    if (entry) {
      pluginTsMs += d;
      add(tsAsked, P, d);
      add(tsEntry, `${P} → ${entry}`, d);
      // Who called the asking function: the next plugin frame above it with another name.
      let caller = '(rule listener)';
      for (let j = nearest + 1; j < stack.length; j++) {
        if (isPlugin(stack[j].callFrame.url) && frameKey(stack[j].callFrame) !== P) {
          caller = frameKey(stack[j].callFrame);
          break;
        }
      }
      add(tsCaller, `${caller} → ${P}`, d);
    } else {
      // Builtins (Map.get, Array.prototype.*, ...) or other libraries called by P.
      add(other, `${P} → ${stack[nearest - 1].callFrame.functionName || '(anonymous)'} ${shortUrl(stack[nearest - 1].callFrame.url) || '(native)'}`, d);
    }
  }
  const top = (m, n = TOP) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, ms]) => ({ fn: k, ms }));
  return {
    profile: path.relative(BENCH_DIR, file),
    totalMs,
    typescriptLeafMs: tsMs,
    pluginMs,
    pluginOwnMs: [...self.values()].reduce((a, b) => a + b, 0),
    pluginAskedTypeScriptMs: pluginTsMs,
    bySelf: top(self),
    byTotal: top(total),
    typeScriptTimeByAskingPluginFunction: top(tsAsked),
    typeScriptTimeByCall: top(tsEntry),
    typeScriptTimeByCallerOfAskingFunction: top(tsCaller),
    otherCallsFromPlugin: top(other, 10),
  };
}

const r1 = (x) => Math.round(x * 10) / 10;
const pct = (a, b) => `${r1((100 * a) / b)}%`;

export function tables(name, what, a) {
  const L = [];
  L.push(`### ${name}: ${what}`, '');
  L.push(`Profile time ${r1(a.totalMs)} ms; samples with a plugin frame on the stack ${r1(a.pluginMs)} ms (${pct(a.pluginMs, a.totalMs)}): plugin's own code ${r1(a.pluginOwnMs)} ms, TypeScript called by the plugin ${r1(a.pluginAskedTypeScriptMs)} ms, other callees ${r1(a.pluginMs - a.pluginOwnMs - a.pluginAskedTypeScriptMs)} ms.`, '');
  const t = (title, rows, total) => {
    L.push(`| ${title} | ms | % of plugin |`, '|---|---|---|', ...rows.map((r) => `| \`${r.fn}\` | ${r1(r.ms)} | ${pct(r.ms, total)} |`), '');
  };
  t('plugin function (self)', a.bySelf, a.pluginMs);
  t('plugin function (total, incl. callees)', a.byTotal, a.pluginMs);
  t('TypeScript time, by the plugin function that asks', a.typeScriptTimeByAskingPluginFunction, a.pluginMs);
  t('TypeScript time, by plugin function → TypeScript entry point', a.typeScriptTimeByCall, a.pluginMs);
  t('TypeScript time, by caller → asking plugin function', a.typeScriptTimeByCallerOfAskingFunction, a.pluginMs);
  t('other callees of the plugin (builtins, libraries)', a.otherCallsFromPlugin, a.pluginMs);
  return L.join('\n');
}

function main() {
  const results = {};
  const md = ['# Profile tables (generated by bench/profile.mjs)', ''];
  for (const run of RUNS) {
    const file = args.includes('--analyse-only') ? path.join(PROFILE_DIR, `${run.name}.cpuprofile`) : profileRun(run);
    const a = analyse(file);
    results[run.name] = { what: run.what, ...a };
    md.push(tables(run.name, run.what, a));
  }
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const suffix = ONLY ? `-${ONLY}` : '';
  fs.writeFileSync(path.join(RESULTS_DIR, `profile${suffix}.json`), `${JSON.stringify(results, null, 2)}\n`);
  fs.writeFileSync(path.join(RESULTS_DIR, `profile-tables${suffix}.md`), `${md.join('\n')}\n`);
  process.stdout.write(`${md.join('\n')}\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
