#!/usr/bin/env node
// Long differential fuzzing campaigns:
//   npm run fuzz -- --runs N [--seed S] [--shrink K] [--max-depth D] [--no-build] [--plugin <dir>]
// (--no-build uses dist/ as it is instead of rebuilding it when src/ is newer; --plugin <dir> runs the rules of
// another build, e.g. a snapshot of dist/ copied under the project so that a rebuild during a long campaign cannot
// change the rules under test; it implies --no-build.)
//
// Generates N random programs (tests/fuzz/lib/generator.ts), lints each with the built rules (dist/, rebuilt
// when older than src/) with full type information, compares with the oracle (tests/fuzz/lib/oracle.ts) and
// prints the figures: programs, disagreements, crashes, time — plus the seed, replay path and shrunk program
// of the first K disagreements. Exit code 1 when any disagreement was found.
//
// The TypeScript sources of the fuzzer are transpiled with the installed `typescript` into
// node_modules/.cache/socket-close-fuzz, so nothing beyond `npm ci` is needed.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

function parseArgs(argv) {
  const opts = { runs: 10_000, seed: Date.now() % 2 ** 31, shrink: 5, maxDepth: undefined, build: true, plugin: null };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v < 0) throw new Error(`${arg} expects a non-negative integer`);
      return v;
    };
    if (arg === '--runs') opts.runs = value();
    else if (arg === '--seed') opts.seed = value();
    else if (arg === '--shrink') opts.shrink = value();
    else if (arg === '--max-depth') opts.maxDepth = value();
    else if (arg === '--no-build') opts.build = false;
    else if (arg === '--plugin') {
      const dir = argv[++i];
      if (!dir) throw new Error('--plugin expects a directory holding index.js');
      opts.plugin = path.resolve(dir);
      opts.build = false;
    }
    else if (arg === '--help' || arg === '-h') {
      console.log('usage: npm run fuzz -- [--runs N] [--seed S] [--shrink K] [--max-depth D] [--no-build] [--plugin <dir>]');
      process.exit(0);
    } else throw new Error(`unknown argument ${arg} (try --help)`);
  }
  return opts;
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function ensureBuilt() {
  const entry = path.join(root, 'dist', 'index.js');
  if (fs.existsSync(entry) && fs.statSync(entry).mtimeMs >= newestMtime(path.join(root, 'src'))) return;
  console.error('fuzz: building dist/ (tsc -p tsconfig.build.json) ...');
  const tsc = require.resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('fuzz: build failed');
}

function transpileFuzzer() {
  const ts = require('typescript');
  const srcDir = path.join(root, 'tests', 'fuzz', 'lib');
  const outDir = path.join(root, 'node_modules', '.cache', 'socket-close-fuzz');
  fs.mkdirSync(outDir, { recursive: true });
  for (const name of fs.readdirSync(srcDir).filter((f) => f.endsWith('.ts'))) {
    const source = fs.readFileSync(path.join(srcDir, name), 'utf8');
    const out = ts.transpileModule(source, {
      fileName: name,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        verbatimModuleSyntax: false,
      },
    });
    fs.writeFileSync(path.join(outDir, name.replace(/\.ts$/, '.js')), out.outputText);
  }
  return outDir;
}

const opts = parseArgs(process.argv.slice(2));
const pluginDir = opts.plugin ?? path.join(root, 'dist');
if (opts.build) ensureBuilt();
else if (!fs.existsSync(path.join(pluginDir, 'index.js'))) {
  throw new Error(`fuzz: ${path.join(pluginDir, 'index.js')} is missing${opts.plugin ? '' : '; run npm run build'}`);
}
const libDir = transpileFuzzer();
const { runCampaign } = require(path.join(libDir, 'campaign.js'));
const { describe: describeVerdict } = require(path.join(libDir, 'harness.js'));
const plugin = require(path.join(pluginDir, 'index.js'));

const built = fs.statSync(path.join(pluginDir, 'index.js')).mtime.toISOString();
console.log(`fuzz: ${opts.runs} programs, seed ${opts.seed}, rules from ${path.relative(root, pluginDir) || '.'} built ${built}`);
const result = runCampaign({
  plugin,
  fixturesDir: path.join(root, 'tests', 'fixtures'),
  runs: opts.runs,
  seed: opts.seed,
  shrink: opts.shrink,
  generator: opts.maxDepth === undefined ? undefined : { maxDepth: opts.maxDepth },
  progressEvery: 1000,
  onProgress: (done, bad) => console.error(`  ${done} programs, ${bad} disagreements`),
  // Long campaigns print each disagreement as it is found (unshrunk), so that fixing can start before the end.
  onDisagreement: (at, verdict) => console.error(`\n[found at path "${at}", unshrunk]\n${describeVerdict(verdict, opts.seed)}\n`),
});
for (const f of result.findings) console.log(`\n${f.report}`);
const seconds = (result.ms / 1000).toFixed(1);
console.log(
  `\nfuzz: programs ${result.programs}, disagreements ${result.disagreements}, crashes/parse errors ${result.fatal}, ` +
    `time ${seconds} s (${(result.ms / Math.max(1, result.programs)).toFixed(1)} ms/program), seed ${opts.seed}`,
);
process.exitCode = result.disagreements > 0 ? 1 : 0;
