// Self-test of the harness plumbing (no corpus lint): node --test bench/selftest.mjs
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CACHE_DIR } from './corpus.mjs';
import { flippedOptions, rootRequire } from './configs.mjs';
import { generateSource, writeScalingFiles } from './generate.mjs';
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
