#!/usr/bin/env node
// CPU profile of the plugin's WARM cost: the corpus (or heavy project) is linted once with
// recommendedTypeChecked and once with the plugin (type checker caches filled), then the profiler records
// only further plugin-only passes — what `cost-inprocess`'s warm extra measures. Analysed like profile.mjs.
//   node bench/warm-profile.mjs [--target heavy] [--reps N] [--files a,b (corpus/heavy names)] [--first-pass] [--after a]
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { CACHE_DIR, RESULTS_DIR, corpusName, corpusTargets } from './corpus.mjs';
import { heavyName, heavyTargets } from './heavy.mjs';
import { makeEslint } from './lint-once.mjs';
import { analyse, tables } from './profile.mjs';

const args = process.argv.slice(2);
const heavy = args.includes('--target') && args[args.indexOf('--target') + 1] === 'heavy';
const reps = args.includes('--reps') ? Number(args[args.indexOf('--reps') + 1]) : 2;
const only = args.includes('--files') ? new Set(args[args.indexOf('--files') + 1].split(',')) : undefined;
const files = (heavy ? heavyTargets() : corpusTargets()).filter((f) => !only || only.has(heavy ? heavyName(f) : corpusName(f)));
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const firstPass = args.includes('--first-pass');
// --after a: the first lint is parse only (no rules), as the heavy section measures; default recommendedTypeChecked.
const rtc = makeEslint(args.includes('--after') ? args[args.indexOf('--after') + 1] : 'd', false);
const plugin = makeEslint('plugin', false);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 500 });
let profile;
if (firstPass) {
  // --first-pass: only the plugin's lint of each file right after recommendedTypeChecked linted it (cold checker
  // otherwise): the type questions the plugin asks that recommendedTypeChecked did not.
  const parts = [];
  for (let i = 0; i < files.length; i++) {
    await rtc.lintText(texts[i], { filePath: files[i] });
    await session.post('Profiler.start');
    await plugin.lintText(texts[i], { filePath: files[i] });
    parts.push((await session.post('Profiler.stop')).profile);
  }
  profile = mergeProfiles(parts);
} else {
  for (let i = 0; i < files.length; i++) {
    await rtc.lintText(texts[i], { filePath: files[i] });
    await plugin.lintText(texts[i], { filePath: files[i] });
  }
  await session.post('Profiler.start');
  for (let r = 0; r < reps; r++) for (let i = 0; i < files.length; i++) await plugin.lintText(texts[i], { filePath: files[i] });
  ({ profile } = await session.post('Profiler.stop'));
}
const dir = path.join(CACHE_DIR, 'profile');
fs.mkdirSync(dir, { recursive: true });
const name = `${firstPass ? 'first' : 'warm'}-${heavy ? 'heavy' : 'corpus'}`;
const file = path.join(dir, `${name}.cpuprofile`);
fs.writeFileSync(file, JSON.stringify(profile));
const md = tables(name, firstPass ? 'plugin lint right after recommendedTypeChecked, first pass' : 'warm plugin-only passes', analyse(file));
fs.writeFileSync(path.join(RESULTS_DIR, `profile-tables-${name}.md`), md);
process.stdout.write(md);

/** One profile of several (node ids renumbered; the samples and their time deltas one after the other). */
function mergeProfiles(parts) {
  const out = { nodes: [], samples: [], timeDeltas: [], startTime: parts[0]?.startTime ?? 0, endTime: 0 };
  let offset = 0;
  for (const p of parts) {
    let max = 0;
    for (const n of p.nodes) {
      max = Math.max(max, n.id);
      out.nodes.push({ ...n, id: n.id + offset, children: (n.children ?? []).map((c) => c + offset) });
    }
    p.samples.forEach((s, i) => {
      out.samples.push(s + offset);
      out.timeDeltas.push(i === 0 ? 0 : p.timeDeltas[i]);
    });
    offset += max + 1;
  }
  return out;
}
