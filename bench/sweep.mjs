#!/usr/bin/env node
// Crash sweep (issue 5 item 5): every rule of the BUILT plugin (dist/), once with its default options and once
// with every boolean option flipped, over
//   - every .js/.ts file of the root's node_modules/typescript/lib/ (the TypeScript compiler itself: ~15 MB of
//     JavaScript in a handful of very large files), and
//   - the benchmark corpus bench/.cache/corpus/ when it exists (built by `node bench/run.mjs`).
// Each file is linted type-aware (allowJs, checkJs off, @types/node) with ESLint's Linter and a ts.Program handed
// to @typescript-eslint/parser through `parserOptions.programs`; SOCKET_CLOSE_STRICT=1 makes the engine throw its
// internal errors instead of swallowing them, so every rule crash surfaces as an exception and is counted.
// The TypeScript lib files get one program each (that file alone, no import resolution: the lib files are
// self-contained bundles), so nothing type-checks the whole lib; the corpus gets one program for all its files
// (its generated tsconfig.json), as the project service would build.
//
//   node bench/sweep.mjs [--no-corpus] [--no-typescript] [--files <regex>] [--json <out.json>] [--plugin <dir>]
//
// --plugin <dir> lints with the build in <dir> (its index.js) instead of dist/.
// Prints per-source counts (files, lines, lint passes, reports, crashes, parse errors, time); exit code 1 on
// any crash, 2 on a usage or setup error. Needs `npm run build` first (it lints dist/).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { flippedOptions } from './configs.mjs';

process.env.SOCKET_CLOSE_STRICT = '1';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT_DIR = path.dirname(BENCH_DIR);
const CORPUS_DIR = path.join(BENCH_DIR, '.cache', 'corpus');
const rootRequire = createRequire(path.join(ROOT_DIR, 'package.json'));
const ts = rootRequire('typescript');
const { Linter } = rootRequire('eslint');
const tsParser = rootRequire('@typescript-eslint/parser');

function parseArgs(argv) {
  const opts = { corpus: true, typescript: true, files: null, json: null, plugin: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--no-corpus') opts.corpus = false;
    else if (a === '--no-typescript') opts.typescript = false;
    else if (a === '--files') opts.files = new RegExp(argv[++i] ?? '');
    else if (a === '--json') opts.json = argv[++i];
    else if (a === '--plugin') opts.plugin = path.resolve(argv[++i] ?? '');
    else if (a === '--help' || a === '-h') {
      console.log('usage: node bench/sweep.mjs [--no-corpus] [--no-typescript] [--files <regex>] [--json <out.json>] [--plugin <dir>]');
      process.exit(0);
    } else {
      console.error(`sweep: unknown argument ${a} (try --help)`);
      process.exit(2);
    }
  }
  return opts;
}

function loadPlugin(dir) {
  const entry = path.join(dir ?? path.join(ROOT_DIR, 'dist'), 'index.js');
  if (!fs.existsSync(entry)) {
    console.error(`sweep: ${entry} is missing${dir ? '' : ': run `npm run build` in the project root first'}`);
    process.exit(2);
  }
  const mod = rootRequire(entry);
  return mod.default ?? mod;
}

/** The two rule settings of the sweep: defaults, and every boolean option flipped. */
export function ruleSettings(plugin) {
  const names = Object.keys(plugin.rules);
  const defaults = Object.fromEntries(names.map((n) => [`socket-close/${n}`, 'error']));
  const flipped = Object.fromEntries(
    names.map((n) => {
      const o = flippedOptions(plugin.rules[n]);
      return [`socket-close/${n}`, Object.keys(o).length > 0 ? ['error', o] : 'error'];
    }),
  );
  return [
    { name: 'defaults', rules: defaults },
    { name: 'flipped', rules: flipped },
  ];
}

const sourceTypeOf = (file) => (/\.(?:mjs|mts|ts)$/.test(file) ? 'module' : 'commonjs');

/** A compiler host that serves the lint targets and caches every other source file (lib .d.ts, @types/node). */
function cachingHost(options) {
  const base = ts.createCompilerHost(options, true);
  const cache = new Map();
  return {
    ...base,
    getSourceFile(f, lang, onError, shouldCreate) {
      if (f.includes(`${path.sep}node_modules${path.sep}`) || f.endsWith('.d.ts')) {
        if (!cache.has(f)) cache.set(f, base.getSourceFile(f, lang, onError, shouldCreate));
        return cache.get(f);
      }
      return base.getSourceFile(f, lang, onError, shouldCreate);
    },
  };
}

/** Rule id from the error ESLint throws when a rule fails (`Rule: "x"` in the message). */
function crashRule(err) {
  const m = /Rule: "([^"]+)"/.exec(String(err?.message ?? ''));
  return m ? m[1] : null;
}

/**
 * A rule that counts the files it visits: a pass that does not visit its file (ignored by the config, e.g. a path
 * outside the Linter's cwd) is an error of the sweep itself, not a silent zero.
 */
let visits = 0;
const probe = { rules: { visited: { meta: { type: 'problem', schema: [] }, create: () => ({ Program: () => void visits++ }) } } };

/**
 * Lints `file` (a root of `program`) with each rule setting. Returns reports, crashes and parse errors.
 * `display` is the name printed for the file.
 */
export function lintFile(linter, plugin, settings, program, file, display) {
  const code = program.getSourceFile(file)?.text;
  if (code === undefined) throw new Error(`sweep: ${file} is not in its program`);
  const out = { passes: 0, reports: 0, crashes: [], fatals: [] };
  for (const setting of settings) {
    out.passes++;
    const before = visits;
    try {
      const messages = linter.verify(
        code,
        [
          {
            files: ['**/*.js', '**/*.cjs', '**/*.mjs', '**/*.ts', '**/*.mts', '**/*.cts'],
            languageOptions: { parser: tsParser, sourceType: sourceTypeOf(file), parserOptions: { programs: [program] } },
            linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off' },
            plugins: { 'socket-close': plugin, 'sweep-probe': probe },
            rules: { ...setting.rules, 'sweep-probe/visited': 'error' },
          },
        ],
        file,
      );
      for (const m of messages) {
        if (m.fatal) out.fatals.push(`${display}:${m.line}:${m.column} [${setting.name}] ${m.message}`);
        else if (m.ruleId?.startsWith('socket-close/')) out.reports++;
      }
      if (visits === before && !messages.some((m) => m.fatal)) {
        throw new Error(`sweep: ${display} was not linted (no configuration applied to ${file})`);
      }
    } catch (err) {
      if (String(err?.message).startsWith('sweep: ')) throw err;
      const message = String(err?.message ?? err);
      out.crashes.push({
        file: display,
        setting: setting.name,
        rule: crashRule(err),
        message: message.split('\n')[0],
        stack: String(err?.stack ?? '').split('\n').slice(0, 8).join('\n'),
      });
    }
  }
  return out;
}

function emptyTotals(source) {
  return { source, files: 0, lines: 0, passes: 0, reports: 0, crashes: [], fatals: [], ms: 0 };
}

function add(totals, r, lines) {
  totals.files++;
  totals.lines += lines;
  totals.passes += r.passes;
  totals.reports += r.reports;
  totals.crashes.push(...r.crashes);
  totals.fatals.push(...r.fatals);
}

const countLines = (text) => text.split('\n').length;

/** node_modules/typescript/lib/*.js: one program per file (that file alone). */
function sweepTypeScript(linter, plugin, settings, filter) {
  const libDir = path.dirname(rootRequire.resolve('typescript/package.json')) + '/lib';
  const files = fs
    .readdirSync(libDir)
    .filter((f) => /\.(?:[cm]?js|ts)$/.test(f) && !/\.d\.[cm]?ts$/.test(f))
    .map((f) => path.join(libDir, f))
    .filter((f) => !filter || filter.test(f))
    .sort();
  // ESLint's Linter ignores node_modules: lint each file under a virtual path outside it, served from the real one.
  const virtualDir = path.join(BENCH_DIR, '.cache', 'sweep', 'typescript-lib');
  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    allowJs: true,
    checkJs: false,
    noEmit: true,
    noResolve: true,
    skipLibCheck: true,
    lib: ['lib.es2023.d.ts'],
    types: ['node'],
    typeRoots: [path.join(ROOT_DIR, 'node_modules', '@types')],
  };
  const host = cachingHost(options);
  const totals = emptyTotals(`typescript@${rootRequire('typescript/package.json').version} lib/*.js`);
  const t0 = performance.now();
  for (const real of files) {
    const virtual = path.join(virtualDir, path.basename(real));
    const text = fs.readFileSync(real, 'utf8');
    const fileHost = {
      ...host,
      fileExists: (f) => f === virtual || host.fileExists(f),
      readFile: (f) => (f === virtual ? text : host.readFile(f)),
      getSourceFile: (f, lang, onError, create) =>
        f === virtual ? ts.createSourceFile(f, text, lang, true) : host.getSourceFile(f, lang, onError, create),
    };
    // No oldProgram: the host already shares the lib/@types source files, and each lib file is big enough that
    // keeping the previous program alive would only add memory.
    const program = ts.createProgram({ rootNames: [virtual], options, host: fileHost });
    const f0 = performance.now();
    const r = lintFile(linter, plugin, settings, program, virtual, `typescript/lib/${path.basename(real)}`);
    add(totals, r, countLines(text));
    console.error(
      `  typescript/lib/${path.basename(real)}: ${countLines(text)} lines, ${r.reports} reports, ${r.crashes.length} crashes, ` +
        `${((performance.now() - f0) / 1000).toFixed(1)} s`,
    );
  }
  totals.ms = performance.now() - t0;
  return totals;
}

/** bench/.cache/corpus: one program for the whole corpus, from its generated tsconfig.json. */
function sweepCorpus(linter, plugin, settings, filter) {
  const configPath = path.join(CORPUS_DIR, 'tsconfig.json');
  const totals = emptyTotals('bench corpus (bench/.cache/corpus)');
  const config = ts.readConfigFile(configPath, (f) => ts.sys.readFile(f));
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, CORPUS_DIR);
  const files = parsed.fileNames.filter((f) => !filter || filter.test(f));
  const t0 = performance.now();
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options, host: cachingHost(parsed.options) });
  for (const file of files) {
    const r = lintFile(linter, plugin, settings, program, file, path.relative(CORPUS_DIR, file));
    add(totals, r, countLines(program.getSourceFile(file).text));
  }
  totals.ms = performance.now() - t0;
  return totals;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const plugin = loadPlugin(opts.plugin);
  const settings = ruleSettings(plugin);
  const linter = new Linter({ cwd: BENCH_DIR });
  console.log(
    `sweep: rules ${Object.keys(plugin.rules).join(', ')}; settings: defaults, flipped ` +
      `(${Object.entries(settings[1].rules).map(([id, v]) => `${id} ${JSON.stringify(Array.isArray(v) ? v[1] : {})}`).join('; ')})`,
  );
  const results = [];
  if (opts.typescript) results.push(sweepTypeScript(linter, plugin, settings, opts.files));
  if (opts.corpus) {
    if (fs.existsSync(path.join(CORPUS_DIR, 'tsconfig.json'))) results.push(sweepCorpus(linter, plugin, settings, opts.files));
    else console.log(`sweep: ${path.relative(ROOT_DIR, CORPUS_DIR)} does not exist (run node bench/run.mjs to build it); skipped`);
  }
  let crashes = 0;
  for (const r of results) {
    crashes += r.crashes.length;
    console.log(
      `${r.source}: ${r.files} files, ${r.lines} lines, ${r.passes} lint passes, ${r.reports} reports, ` +
        `${r.crashes.length} crashes, ${r.fatals.length} parse errors, ${(r.ms / 1000).toFixed(1)} s`,
    );
    for (const c of r.crashes) console.log(`  CRASH ${c.file} [${c.setting}] ${c.rule ?? '?'}: ${c.message}\n${c.stack}`);
    for (const f of r.fatals) console.log(`  parse error ${f}`);
  }
  console.log(`sweep: ${crashes} crashes in total (target 0)`);
  if (opts.json) fs.writeFileSync(opts.json, `${JSON.stringify({ results, crashes }, null, 1)}\n`);
  process.exitCode = crashes > 0 ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) main();
