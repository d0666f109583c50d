// Corpus selection: the shipped JavaScript of the pinned packages, copied out of node_modules
// (ESLint ignores node_modules, and so does the TypeScript project service) into
// bench/.cache/corpus/<pkg>/ together with a generated tsconfig.json.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
export const ROOT_DIR = path.dirname(BENCH_DIR);
export const CACHE_DIR = path.join(BENCH_DIR, '.cache');
export const CORPUS_DIR = path.join(CACHE_DIR, 'corpus');
/** Where run.mjs writes its results; BENCH_RESULTS_DIR overrides (bench/compare.mjs --both uses it). */
export const RESULTS_DIR = process.env.BENCH_RESULTS_DIR ? path.resolve(process.env.BENCH_RESULTS_DIR) : path.join(BENCH_DIR, 'results');

/** The corpus packages, in the order they are reported. Versions come from bench/package.json. */
export const CORPUS_PACKAGES = ['ws', 'mqtt', 'ioredis', 'pg', 'basic-ftp', 'socks', 'nodemailer', 'ssh2'];

const SOURCE_EXT = /\.(?:[cm]?js|[cm]?ts)$/;
const DECLARATION = /\.d\.[cm]?ts$/;
const EXCLUDED_DIR = /^(?:tests?|__tests__|spec|examples?|bench(?:mark)?s?|fixtures?|node_modules|coverage|\..*)$/i;
const EXCLUDED_FILE = /(?:\.min\.[cm]?js$|\.(?:test|spec)\.[cm]?[jt]s$|^\.eslintrc)/i;

const benchRequire = createRequire(path.join(BENCH_DIR, 'package.json'));

/** Directory of a package as installed in bench/node_modules. */
export function packageDir(pkg) {
  return path.dirname(benchRequire.resolve(`${pkg}/package.json`));
}

/**
 * The "shipped source root" of a package: the directory that holds its main entry point
 * (`main`, else `index.js`). Everything outside it (browser bundles, duplicated ESM builds,
 * install scripts, examples, tests) is not what a Node user runs.
 */
function sourceRoot(dir, manifest) {
  const main = manifest.main ?? 'index.js';
  let entry = path.resolve(dir, main);
  for (const candidate of [entry, `${entry}.js`, path.join(entry, 'index.js')]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) {
      entry = candidate;
      break;
    }
  }
  return path.dirname(entry);
}

/** Minified or generated code: very long lines on average, or one huge line. */
function looksMinified(text) {
  const lines = text.split('\n');
  const longest = Math.max(...lines.map((l) => l.length));
  return longest > 5000 || text.length / lines.length > 250;
}

function walk(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!EXCLUDED_DIR.test(entry.name)) walk(full, out);
    } else if (entry.isFile()) {
      out.push(full);
    }
  }
  return out;
}

/**
 * Selects the corpus files of every package.
 * @returns {{ pkg: string, version: string, dir: string, root: string, files: string[], skipped: {file: string, why: string}[] }[]}
 */
export function selectCorpus() {
  return CORPUS_PACKAGES.map((pkg) => {
    const dir = packageDir(pkg);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    const root = sourceRoot(dir, manifest);
    const files = [];
    const skipped = [];
    for (const file of walk(root, [])) {
      const rel = path.relative(dir, file);
      if (!SOURCE_EXT.test(file) || DECLARATION.test(file)) continue;
      if (EXCLUDED_FILE.test(path.basename(file))) {
        skipped.push({ file: rel, why: 'test/minified/config file name' });
        continue;
      }
      if (looksMinified(fs.readFileSync(file, 'utf8'))) {
        skipped.push({ file: rel, why: 'minified or generated (long lines)' });
        continue;
      }
      files.push(rel);
    }
    files.sort();
    return { pkg, version: manifest.version, dir, root: path.relative(dir, root) || '.', files, skipped };
  });
}

function copyFile(from, to) {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(from, to);
}

/**
 * Copies the selected files (plus the package.json files that decide CommonJS vs ESM, and the
 * package's own .d.ts files so that imports between its modules get its published types) into
 * bench/.cache/corpus/<pkg>/, and writes bench/.cache/corpus/tsconfig.json listing the lint targets.
 * Returns the selection plus the absolute paths of the lint targets.
 */
export function prepareCorpus() {
  const selection = selectCorpus();
  fs.rmSync(CORPUS_DIR, { recursive: true, force: true });
  const targets = [];
  for (const entry of selection) {
    const dest = path.join(CORPUS_DIR, entry.pkg);
    for (const file of walk(entry.dir, [])) {
      const rel = path.relative(entry.dir, file);
      if (path.basename(file) === 'package.json' || (DECLARATION.test(file) && rel.startsWith(entry.root === '.' ? '' : entry.root))) {
        copyFile(file, path.join(dest, rel));
      }
    }
    for (const rel of entry.files) {
      copyFile(path.join(entry.dir, rel), path.join(dest, rel));
      targets.push(path.join(dest, rel));
    }
  }
  const tsconfig = {
    // Generated by bench/corpus.mjs; the project service finds it as the nearest tsconfig.json.
    compilerOptions: {
      target: 'ES2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      lib: ['ES2023'],
      types: ['node'],
      allowJs: true,
      checkJs: false,
      noEmit: true,
      strict: false,
      skipLibCheck: true,
      maxNodeModuleJsDepth: 0,
    },
    files: targets.map((t) => path.relative(CORPUS_DIR, t).split(path.sep).join('/')),
  };
  fs.writeFileSync(path.join(CORPUS_DIR, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
  return { selection, targets };
}

/** Absolute paths of the prepared lint targets (requires prepareCorpus() to have run). */
export function corpusTargets() {
  const tsconfigPath = path.join(CORPUS_DIR, 'tsconfig.json');
  if (!fs.existsSync(tsconfigPath)) throw new Error('corpus not prepared: run node bench/run.mjs (or bench/prepare.mjs) first');
  const { files } = JSON.parse(fs.readFileSync(tsconfigPath, 'utf8'));
  return files.map((f) => path.join(CORPUS_DIR, f));
}

/** Corpus-relative, POSIX-style name of a file (e.g. `ws/lib/websocket.js`). */
export function corpusName(file) {
  const rel = path.relative(CORPUS_DIR, file).split(path.sep).join('/');
  return rel.startsWith('..') ? path.relative(BENCH_DIR, file).split(path.sep).join('/') : rel;
}
