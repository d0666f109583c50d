import fs from 'node:fs';
import path from 'node:path';
import { PLUGIN_PATH, rootRequire, ruleClock } from './configs.mjs';
import { corpusName, corpusTargets } from './corpus.mjs';
import { heavyName, heavyTargets } from './heavy.mjs';
import { makeEslint } from './lint-once.mjs';
const args = process.argv.slice(2);
const heavy = args.includes('--heavy');
const reps = Number(args[args.indexOf('--reps') + 1] || 8);
const files = heavy ? heavyTargets() : corpusTargets();
const nameOf = heavy ? heavyName : corpusName;
const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
const { screenStats } = rootRequire(path.join(path.dirname(PLUGIN_PATH), 'engine', 'engine.js'));
const gc = globalThis.gc ? () => globalThis.gc({ type: 'minor', execution: 'sync' }) : () => {};
const plugin = makeEslint('plugin', false, true);
const warm = makeEslint('d', false);
const cat = [];
for (let i = 0; i < files.length; i++) {
  await warm.lintText(texts[i], { filePath: files[i] });
  const a = screenStats.analysed, u = screenStats.unreachable;
  await plugin.lintText(texts[i], { filePath: files[i] });
  cat.push(screenStats.analysed > a ? 'A' : screenStats.unreachable > u ? 'U' : 'S');
}
const t = files.map(() => []);
for (let r = 0; r < reps; r++) for (let i = 0; i < files.length; i++) { gc(); const r0 = ruleClock.ms; await plugin.lintText(texts[i], { filePath: files[i] }); t[i].push(ruleClock.ms - r0); }
const med = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };
const rows = files.map((f, i) => ({ f: nameOf(f), c: cat[i], med: med(t[i]), min: Math.min(...t[i]), lines: texts[i].split('\n').length }));
const by = {}; for (const r of rows) { by[r.c] ??= { n: 0, med: 0, min: 0, lines: 0 }; by[r.c].n++; by[r.c].med += r.med; by[r.c].min += r.min; by[r.c].lines += r.lines; }
console.log(JSON.stringify(by));
console.log('total med', rows.reduce((a, r) => a + r.med, 0).toFixed(1), 'min', rows.reduce((a, r) => a + r.min, 0).toFixed(1));
for (const r of rows.sort((a, b) => b.med - a.med).slice(0, Number(args[args.indexOf('--top') + 1] || 40))) console.log(r.c, r.med.toFixed(2), r.min.toFixed(2), r.lines, r.f);
