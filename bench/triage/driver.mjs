#!/usr/bin/env node
// The hand-triage driver (bench/triage/README.md): lints the sources of one repository snapshot with the built plugin.
//
//   node bench/triage/driver.mjs setup                                  install the shared client typings once
//   node bench/triage/driver.mjs lint <bare-git-dir> <name> [--dist d] [--out dir] [--keep-tests]
//   node bench/triage/driver.mjs relint <name> [--dist d] [--out dir]   lint <root>/projects/<name>/src again
//
// <root> is $TRIAGE_DIR (default /tmp/tri). `lint` extracts HEAD of the bare repository into <root>/projects/<name>/src
// (when `git archive` fails on a blob the snapshot lacks, only the source files that are there), writes a tsconfig
// (`types: ["node"]`, allowJs, every source file outside tests, vendored and built code), links the shared client
// typings (<root>/clients/node_modules), lints with no-leak and no-use-after-close, prints a JSON summary line and
// each report with its source line, and writes <out>/<name>.json and .txt (default out: <root>/out).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { CLIENT_DEPS } from '../client-deps.mjs';

const ROOT_DIR = path.resolve(import.meta.dirname, '..', '..');
const TRIAGE_DIR = path.resolve(process.env.TRIAGE_DIR ?? '/tmp/tri');
const args = process.argv.slice(2);
const option = (k, d) => {
  const i = args.indexOf(k);
  if (i < 0) return d;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const flag = (k) => {
  const i = args.indexOf(k);
  if (i >= 0) args.splice(i, 1);
  return i >= 0;
};
const command = args.shift();
const dist = path.resolve(option('--dist', path.join(ROOT_DIR, 'dist')));
const out = path.resolve(option('--out', path.join(TRIAGE_DIR, 'out')));
const keepTests = flag('--keep-tests');
const clients = path.join(TRIAGE_DIR, 'clients');

if (command === 'setup') {
  fs.mkdirSync(clients, { recursive: true });
  // Also the clients some application code uses besides the ones the kinds name (their imports then resolve;
  // isomorphic-ws re-exports ws's types, which an unresolved import would leave `any`; postgres.js bundles its own).
  const deps = { ...CLIENT_DEPS, 'socket.io': '4', 'socket.io-client': '4', kafkajs: '2', nats: '2', 'isomorphic-ws': '5', postgres: '3' };
  fs.writeFileSync(path.join(clients, 'package.json'), JSON.stringify({ name: 'triage-clients', private: true, dependencies: deps }, null, 2));
  fs.writeFileSync(path.join(clients, '.npmrc'), 'ignore-scripts=true\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund'], { cwd: clients, stdio: 'inherit' });
  process.exit(0);
}
if (command !== 'lint' && command !== 'relint') {
  console.error('usage: driver.mjs setup | lint <bare-git-dir> <name> | relint <name>  [--dist d] [--out dir] [--keep-tests]');
  process.exit(2);
}
if (!fs.existsSync(path.join(clients, 'node_modules'))) {
  console.error(`${clients}/node_modules is missing: run \`node bench/triage/driver.mjs setup\` first`);
  process.exit(2);
}
const name = command === 'relint' ? args[0] : args[1];
if (!name) throw new Error('a name is required');
const dir = path.join(TRIAGE_DIR, 'projects', name);
const src = path.join(dir, 'src');
const SKIP_DIR = /^(node_modules|dist|build|out|coverage|vendor|\.git|\.next|bower_components|lib-cov|public|static)$/;
const TEST_DIR = /^(test|tests|__tests__|__test__|spec|specs|e2e|__mocks__|fixtures|test-utils|testing|system-test|benchmark|benchmarks)$/;
const SOURCE = /\.(ts|tsx|mts|cts|js|mjs|cjs|jsx)$/; // (not macOS's `._*` resource forks)

if (command === 'lint') {
  const git = args[0];
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(src, { recursive: true });
  try {
    const tar = execFileSync('git', ['--git-dir', git, 'archive', '--format=tar', 'HEAD'], { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
    execFileSync('tar', ['-x', '-C', src], { input: tar, maxBuffer: 1 << 30 });
  } catch {
    // A snapshot may lack its largest blobs: take the source files (and package.json files) that it has.
    const tree = execFileSync('git', ['--git-dir', git, 'ls-tree', '-r', 'HEAD'], { maxBuffer: 1 << 30 }).toString();
    for (const line of tree.split('\n')) {
      const m = /^\d+ blob ([0-9a-f]+)\t(.+)$/.exec(line);
      if (!m || !(SOURCE.test(m[2]) || path.basename(m[2]) === 'package.json') || m[2].split('/').some((p) => p === 'node_modules')) continue;
      try {
        const blob = execFileSync('git', ['--git-dir', git, 'cat-file', 'blob', m[1]], { maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'ignore'] });
        fs.mkdirSync(path.join(src, path.dirname(m[2])), { recursive: true });
        fs.writeFileSync(path.join(src, m[2]), blob);
      } catch {
        // Missing from the snapshot.
      }
    }
  }
}

const files = [];
(function walk(d, rel) {
  for (const e of fs.readdirSync(d, { withFileTypes: true })) {
    if (e.isSymbolicLink()) continue;
    const p = path.join(d, e.name);
    if (e.isDirectory()) {
      if (SKIP_DIR.test(e.name) || (!keepTests && TEST_DIR.test(e.name))) continue;
      walk(p, rel + e.name + '/');
    } else if (SOURCE.test(e.name) && !e.name.startsWith('._') && !/\.d\.[mc]?ts$/.test(e.name) && !/\.min\.js$/.test(e.name) && (keepTests || !/\.(test|spec)\.[a-z]+$/.test(e.name))) {
      if (fs.statSync(p).size <= 300_000) files.push(rel + e.name);
    }
  }
})(src, '');
files.sort();
const linted = files.slice(0, 2500);
let packageType;
try {
  packageType = JSON.parse(fs.readFileSync(path.join(src, 'package.json'), 'utf8')).type;
} catch {
  packageType = undefined;
}
// TypeScript sources and ESM packages resolve as a bundler would; CommonJS JavaScript as `require` does.
const esm = packageType === 'module' || linted.some((f) => /\.(ts|tsx|mts|cts)$/.test(f));
const compilerOptions = {
  target: 'ES2022', lib: ['ES2023', 'DOM'], types: ['node'], strict: true, esModuleInterop: true, allowSyntheticDefaultImports: true,
  resolveJsonModule: true, experimentalDecorators: true, skipLibCheck: true, noEmit: true, allowJs: true, checkJs: false, jsx: 'preserve',
  ...(esm ? { module: 'preserve', moduleResolution: 'bundler', allowImportingTsExtensions: true } : { module: 'commonjs', moduleResolution: 'node10', ignoreDeprecations: '6.0' }),
};
const aliases = pathAliases();
if (aliases) compilerOptions.paths = aliases;
fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: linted.map((f) => 'src/' + f) }, null, 1));
const nodeModules = path.join(dir, 'node_modules');
if (!fs.existsSync(nodeModules)) fs.symlinkSync(path.join(clients, 'node_modules'), nodeModules);

const rootRequire = createRequire(path.join(ROOT_DIR, 'package.json'));
const { ESLint } = rootRequire('eslint');
const parser = rootRequire('@typescript-eslint/parser');
const loaded = rootRequire(path.join(dist, 'index.js'));
const plugin = loaded.default ?? loaded;
const eslint = new ESLint({
  cwd: dir,
  overrideConfigFile: true,
  overrideConfig: [
    { files: ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts', '**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx'] },
    {
      languageOptions: { parser, sourceType: esm ? 'module' : 'commonjs', parserOptions: { project: path.join(dir, 'tsconfig.json'), tsconfigRootDir: dir, ecmaFeatures: { jsx: true } } },
      // The projects' own eslint-disable comments must not hide reports.
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off', reportUnusedInlineConfigs: 'off' },
      plugins: { 'socket-close': plugin },
      rules: { 'socket-close/no-leak': 'error', 'socket-close/no-use-after-close': 'error' },
    },
  ],
  errorOnUnmatchedPattern: false,
});
const started = Date.now();
const results = await eslint.lintFiles(linted.map((f) => 'src/' + f));
const reports = [];
let fatal = 0;
for (const r of results) {
  const lines = (r.source ?? fs.readFileSync(r.filePath, 'utf8')).split('\n');
  for (const m of r.messages) {
    if (m.fatal) fatal++;
    else if (m.ruleId) reports.push({ file: path.relative(src, r.filePath), line: m.line, column: m.column, rule: m.ruleId, messageId: m.messageId, message: m.message, code: (lines[m.line - 1] ?? '').trim().slice(0, 160) });
  }
}
const summary = { name, files: linted.length, skippedOverLimit: files.length - linted.length, esm, fatal, seconds: (Date.now() - started) / 1000, reports: reports.length };
fs.mkdirSync(out, { recursive: true });
fs.writeFileSync(path.join(out, `${name}.json`), JSON.stringify({ summary, reports }, null, 1));
fs.writeFileSync(path.join(out, `${name}.txt`), reports.map((r) => `${r.file}:${r.line}:${r.column} ${r.rule} ${r.messageId}: ${r.message}\n    ${r.code}`).join('\n') + '\n');
console.log(JSON.stringify(summary));
for (const r of reports) console.log(`${r.file}:${r.line}:${r.column} ${r.rule} [${r.messageId}] ${r.message}\n    ${r.code}`);

/**
 * The project's import aliases, rebased onto the extracted sources: `compilerOptions.paths` of its root tsconfig.json
 * or jsconfig.json (with its `baseUrl`, which alone also maps every bare import), SvelteKit's `$lib` and Nuxt's `~`/`@` roots. Without them an import such as
 * `@/lib/db` resolves to nothing and what it gives is `any`.
 */
function pathAliases() {
  const out = {};
  const ts = createRequire(path.join(ROOT_DIR, 'package.json'))('typescript');
  for (const file of ['tsconfig.json', 'jsconfig.json']) {
    const full = path.join(src, file);
    if (!fs.existsSync(full)) continue;
    const { config } = ts.parseConfigFileTextToJson(full, fs.readFileSync(full, 'utf8'));
    const options = config?.compilerOptions ?? {};
    const base = path.posix.join('src', options.baseUrl ?? '.');
    for (const [pattern, targets] of Object.entries(options.paths ?? {})) {
      if (Array.isArray(targets)) out[pattern] = targets.map((t) => './' + path.posix.join(base, t));
    }
    // `baseUrl` alone resolves bare imports from it (`import … from 'src/common/db'`); packages still resolve after.
    if (options.baseUrl !== undefined) out['*'] ??= ['./' + path.posix.join(base, '*')];
    break;
  }
  const has = (re) => fs.readdirSync(src).some((f) => re.test(f));
  if (has(/^svelte\.config\./)) {
    out['$lib'] ??= ['./src/src/lib'];
    out['$lib/*'] ??= ['./src/src/lib/*'];
  }
  if (has(/^nuxt\.config\./)) for (const alias of ['~/*', '@/*', '~~/*', '@@/*']) out[alias] ??= ['./src/*'];
  return Object.keys(out).length > 0 ? out : undefined;
}
