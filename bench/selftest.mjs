// Self-test of the harness plumbing (no corpus lint): node --test bench/selftest.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CACHE_DIR } from './corpus.mjs';
import { PLUGIN_PATH, flippedOptions, rootRequire } from './configs.mjs';
import { generateBigFile, generateManySockets, generateSource, writeScalingFiles } from './generate.mjs';
import { summariseInProcess } from './inprocess.mjs';
import { analyse } from './profile.mjs';
import { compareReports, median, withKeys } from './lib.mjs';
import { sumStats, sweepFiles } from './lint-once.mjs';

const { ESLint } = rootRequire('eslint');
const ts = rootRequire('typescript');

test('the sweep catches a rule crash per file and keeps the other files', async () => {
  const dir = path.join(CACHE_DIR, 'selftest');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const ok = path.join(dir, 'ok.js');
  const bad = path.join(dir, 'bad.js');
  fs.writeFileSync(ok, 'connect();\n');
  fs.writeFileSync(bad, 'explode();\n');
  const plugin = {
    rules: {
      boom: {
        meta: { type: 'problem', schema: [], messages: { hit: 'hit' } },
        create: (context) => ({
          'CallExpression[callee.name="explode"]'() {
            throw new Error('deliberate');
          },
          'CallExpression[callee.name="connect"]'(node) {
            context.report({ node, messageId: 'hit' });
          },
        }),
      },
    },
  };
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: [{ plugins: { selftest: plugin }, rules: { 'selftest/boom': 'error' } }] });
  const { reports, crashes } = await sweepFiles(eslint, [bad, ok], 'selftest/');
  assert.equal(crashes.length, 1);
  assert.equal(crashes[0].rule, 'selftest/boom');
  assert.match(crashes[0].message, /deliberate/);
  assert.equal(reports.length, 1);
  assert.equal(reports[0].line, 1);
  assert.equal(reports[0].rule, 'selftest/boom');
});

test('stats sums add up per rule and per parse', () => {
  const pass = (rules, parse) => ({ stats: { times: { passes: [{ parse: { total: parse }, rules: Object.fromEntries(Object.entries(rules).map(([k, v]) => [k, { total: v }])), total: parse + 1 }] } } });
  const s = sumStats([pass({ x: 1, y: 2 }, 3), pass({ x: 4 }, 5)]);
  assert.deepEqual(s.rules, { x: 5, y: 2 });
  assert.equal(s.parse, 8);
  assert.equal(s.total, 10);
});

test('report keys are unique and comparison finds missing and extra reports', () => {
  const r = (line, message = 'm') => ({ file: 'a.js', line, column: 1, rule: 'socket-close/no-leak', messageId: 'leak', message });
  const keyed = withKeys([r(2), r(1), r(1, 'n')]);
  assert.deepEqual(keyed.map((x) => x.key), ['a.js:1:1 socket-close/no-leak leak', 'a.js:1:1 socket-close/no-leak leak #2', 'a.js:2:1 socket-close/no-leak leak']);
  assert.equal(compareReports(keyed, withKeys([r(1), r(1, 'n'), r(2)])).identical, true);
  const diff = compareReports(keyed, withKeys([r(1), r(1, 'n'), r(3)]));
  assert.equal(diff.identical, false);
  assert.equal(diff.missing.length, 1);
  assert.equal(diff.extra.length, 1);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
});

test('generated scaling files have the announced number of statements and type-check', () => {
  const written = writeScalingFiles([100, 1000]);
  const dir = path.dirname(written[0].file);
  const parsed = ts.getParsedCommandLineOfConfigFile(path.join(dir, 'tsconfig.json'), {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)) });
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  const diagnostics = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  assert.deepEqual(diagnostics, []);
  for (const size of [100, 1000]) {
    const { text, statements } = generateSource(size);
    const sf = ts.createSourceFile('g.ts', text, ts.ScriptTarget.ES2022, true);
    let n = 0;
    const visit = (node) => {
      if (node.kind >= ts.SyntaxKind.FirstStatement && node.kind <= ts.SyntaxKind.LastStatement && node.kind !== ts.SyntaxKind.Block) n++;
      ts.forEachChild(node, visit);
    };
    ts.forEachChild(sf.statements.find(ts.isFunctionDeclaration).body, visit);
    assert.equal(n, statements);
    assert.ok(statements >= size && statements < size * 1.1, `${statements} statements for size ${size}`);
  }
});

test('flipped options invert boolean defaults from the rule schema', () => {
  const rule = { meta: { schema: [{ type: 'object', properties: { a: { type: 'boolean' }, b: { type: 'boolean' }, n: { type: 'number' } } }], defaultOptions: [{ a: false, b: true }] } };
  assert.deepEqual(flippedOptions(rule), { a: true, b: false });
});

test('corpus selection keeps shipped code and skips tests, bundles, declarations and minified files', async () => {
  const { selectCorpus } = await import('./corpus.mjs');
  let selection;
  try {
    selection = selectCorpus();
  } catch (err) {
    assert.fail(`bench dependencies not installed (npm --prefix bench ci): ${err.message}`);
  }
  const files = selection.flatMap((s) => s.files.map((f) => `${s.pkg}/${f}`));
  assert.ok(files.length > 100, `${files.length} files`);
  for (const f of files) {
    assert.doesNotMatch(f, /(^|\/)(tests?|examples?|node_modules)\//);
    assert.doesNotMatch(f, /\.min\.js$|\.d\.[cm]?ts$/);
  }
  assert.ok(files.includes('ws/lib/websocket.js'));
  assert.ok(!files.some((f) => f.startsWith('mqtt/dist/')), 'browser bundles are not the shipped Node code');
  assert.ok(selection.find((s) => s.pkg === 'ssh2').skipped.some((s) => s.file.endsWith('poly1305.js')));
});

test('many-socket inputs have the announced sockets and size', () => {
  const a = generateManySockets(100);
  assert.equal(a.text.match(/net\.connect\(/g).length, 100);
  assert.equal(a.sockets, 100);
  const b = generateBigFile(5000, 200);
  assert.equal(b.text.match(/net\.connect\(/g).length, 200);
  assert.equal(b.sockets, 200);
  assert.ok(Math.abs(b.lines - 5000) < 150, `${b.lines} lines`);
  assert.equal(b.text.match(/^export class /gm).length, 1);
  // The type check of these files is part of the scaling-files test above (writeScalingFiles writes them).
});

test('in-process ratios: sums of per-file medians and per-pass spread', () => {
  // Two files, two warm passes. cpu: none 10, plugin 12/13, nfp 14, rtc 30 per file and pass.
  const sample = (cpuMs) => ({ cpuMs, wallMs: cpuMs * 2, fatal: 0 });
  const per = (first, warm) => [[sample(first), sample(warm[0]), sample(warm[1])], [sample(first), sample(warm[0]), sample(warm[1])]];
  const raw = {
    configs: ['a', 'd', 'plugin', 'c'],
    reps: 2,
    files: ['x.js', 'y.js'],
    passWallMs: [1, 1, 1],
    samples: { a: per(50, [10, 10]), d: per(60, [30, 30]), plugin: per(20, [12, 13]), c: per(15, [14, 14]) },
  };
  const s = summariseInProcess(raw);
  assert.equal(s.cpu.warmMs.pluginRules, 2 * 2.5); // median of 2 and 3, two files
  assert.equal(s.cpu.extra.value, 5 / 60);
  assert.equal(s.cpu.aloneVsNfp.value, 5 / 8);
  assert.deepEqual(s.cpu.extra.perPass.samples, [4 / 60, 6 / 60]);
  assert.equal(s.cpu.firstPass.pluginMinusNoneMs, 2 * (20 - 10)); // first-pass plugin − warm none
  assert.equal(s.cpu.firstPass.extra, 20 / 120);
  assert.equal(s.wall.extra.value, 10 / 120);
  assert.equal(s.topFilesByPluginCpuMs.warm[0].ms, 2.5);
});

test('profile analysis attributes TypeScript time to the nearest plugin caller', () => {
  const dir = path.join(CACHE_DIR, 'selftest');
  fs.mkdirSync(dir, { recursive: true });
  const cf = (functionName, url) => ({ functionName, url, lineNumber: 0, columnNumber: 0, scriptId: '0' });
  const prof = {
    nodes: [
      { id: 1, callFrame: cf('(root)', ''), children: [2] },
      { id: 2, callFrame: cf('checkNode', 'file:///x/node_modules/@typescript-eslint/eslint-plugin/dist/rules/no-floating-promises.js'), children: [3] },
      { id: 3, callFrame: cf('classify', `file://${path.join(path.dirname(PLUGIN_PATH), 'analysis', 'model.js')}`), children: [4, 6] },
      { id: 4, callFrame: cf('getTypeAtLocation', 'file:///x/node_modules/typescript/lib/typescript.js'), children: [5] },
      { id: 5, callFrame: cf('checkExpression', 'file:///x/node_modules/typescript/lib/typescript.js'), children: [] },
      { id: 6, callFrame: cf('get', ''), children: [] },
    ],
    samples: [3, 5, 4, 6, 2],
    timeDeltas: [0, 1000, 2000, 3000, 4000],
  };
  const file = path.join(dir, 'synthetic.cpuprofile');
  fs.writeFileSync(file, JSON.stringify(prof));
  const a = analyse(file);
  const ms = (rows, prefix) => rows.find((r) => r.fn.startsWith(prefix))?.ms;
  assert.equal(a.pluginMs, 10); // not typescript-eslint's dist/rules/ frame (sample 4)
  assert.equal(a.pluginOwnMs, 1);
  assert.equal(a.pluginAskedTypeScriptMs, 5);
  assert.equal(ms(a.bySelf, 'classify'), 1);
  assert.equal(ms(a.byTotal, 'classify'), 10);
  assert.equal(ms(a.typeScriptTimeByAskingPluginFunction, 'classify'), 5);
  assert.equal(ms(a.typeScriptTimeByCall, 'classify'), 5);
  assert.match(a.typeScriptTimeByCall[0].fn, /→ getTypeAtLocation$/);
  assert.equal(ms(a.otherCallsFromPlugin, 'classify'), 4);
});
