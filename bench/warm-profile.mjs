#!/usr/bin/env node
// CPU profile of the plugin's WARM cost: the corpus (or heavy project) is linted once with
// recommendedTypeChecked and once with the plugin (type checker caches filled), then the profiler records
// only further plugin-only passes — what `cost-inprocess`'s warm extra measures. Analysed like profile.mjs.
//   node bench/warm-profile.mjs [--target heavy] [--reps N] [--files a,b (corpus/heavy names)]
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
const rtc = makeEslint('d', false);
const plugin = makeEslint('plugin', false);
for (let i = 0; i < files.length; i++) {
  await rtc.lintText(texts[i], { filePath: files[i] });
  await plugin.lintText(texts[i], { filePath: files[i] });
}
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 500 });
await session.post('Profiler.start');
for (let r = 0; r < reps; r++) for (let i = 0; i < files.length; i++) await plugin.lintText(texts[i], { filePath: files[i] });
const { profile } = await session.post('Profiler.stop');
const dir = path.join(CACHE_DIR, 'profile');
fs.mkdirSync(dir, { recursive: true });
const name = heavy ? 'warm-heavy' : 'warm-corpus';
const file = path.join(dir, `${name}.cpuprofile`);
fs.writeFileSync(file, JSON.stringify(profile));
const md = tables(name, 'warm plugin-only passes', analyse(file));
fs.writeFileSync(path.join(RESULTS_DIR, `profile-tables-${name}.md`), md);
process.stdout.write(md);
