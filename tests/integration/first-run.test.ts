/**
 * The first five minutes of a new user, from the packed tarball, following README.md to the letter: the README's
 * install command and its config blocks (the fenced blocks after `<!-- test: <name> -->`) are read from the
 * README itself, so a README that stops working fails here.
 *
 * Three consumer projects are installed (npm registry or warm cache):
 *  - ESLint 10 with exactly the README's install command (so `@types/node` is whatever is `latest`), plus
 *    typescript-eslint and `ws` (without `@types/ws`);
 *  - ESLint 9 with the same command, `@types/node@20` and typescript-eslint;
 *  - ESLint 10 without `@types/node`.
 * In each, small projects (one folder, own tsconfig.json and eslint.config.mjs) are linted with `eslint -f json .`.
 * Every file's complete list of messages is asserted: a true report, or the one message that says what is
 * missing — never silence.
 *
 * `missingTypes` (Node's or `ws`'s types do not resolve, src/engine/setup.ts): ONE message per file,
 * from `socket-close/no-leak`, at 1:1, naming the package to install and, for Node's modules, telling to add
 * "node" to `compilerOptions.types`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEAKY_SOURCE, LEAK_COLUMN, LEAK_LINE, USE_AFTER_CLOSE_SOURCE, USE_COLUMN, USE_LINE, makeTempDir, projectRoot, writeFiles } from './leaky-project';
import { eslintJson, installedVersion, npmInstall, packTarball, run, type LintResult } from './consumer';

const README = fs.readFileSync(path.join(projectRoot, 'README.md'), 'utf8');

/** The content of the fenced block that follows `<!-- test: name -->` in README.md. */
function readmeBlock(name: string): string {
  const marker = `<!-- test: ${name} -->`;
  const at = README.indexOf(marker);
  expect(at, `README.md has no ${marker}`).toBeGreaterThanOrEqual(0);
  const match = /^```[\w-]*\n([\s\S]*?)^```$/m.exec(README.slice(at + marker.length));
  expect(match, `no fenced block after ${marker}`).not.toBeNull();
  return match![1]!;
}

/** The packages of the README's `npm i -D …` line. */
function readmeInstallPackages(): string[] {
  const line = readmeBlock('install').trim();
  expect(line).toMatch(/^npm i -D /);
  return line.replace(/^npm i -D /, '').split(/\s+/);
}

const JS_SOURCE = [
  "const net = require('node:net');",
  '',
  '/** @param {number} port */',
  'function probe(port) {',
  "  const s = net.connect(port, '127.0.0.1');",
  '  if (port > 1024) return;',
  '  s.end();',
  '}',
  '',
  "/** @param {number} port @returns {import('node:net').Socket} */",
  'function dial(port) {',
  "  return net.connect(port, '127.0.0.1');",
  '}',
  '',
  'function greet() {',
  '  const s = dial(7);',
  "  s.write('hello');",
  '}',
  '',
  'module.exports = { probe, dial, greet };',
  '',
].join('\n');

const WS_SOURCE = [
  "import WebSocket from 'ws';",
  '',
  'export function ping(url: string): void {',
  '  const ws = new WebSocket(url);',
  "  ws.on('open', () => ws.send('ping'));",
  '}',
  '',
].join('\n');

/** `tsc --init` of the installed TypeScript, then optionally the README's fix (`"types": ["node"]`). */
function tscInit(consumer: string, dir: string, fixTypes: boolean): void {
  fs.mkdirSync(dir, { recursive: true });
  const r = run(path.join(consumer, 'node_modules', '.bin', 'tsc'), ['--init'], dir, 60_000);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  const file = path.join(dir, 'tsconfig.json');
  const text = fs.readFileSync(file, 'utf8');
  // What the README warns about: TypeScript 6's `tsc --init` hides Node's types.
  expect(text).toMatch(/^\s*"types": \[\],/m);
  if (fixTypes) fs.writeFileSync(file, text.replace(/^(\s*)"types": \[\],/m, `$1${readmeBlock('types-fix').trim()},`));
}

type Short = string;
/** Messages per file (relative path), each as `line:col ruleId messageId`; every linted file appears. */
function summarize(cwd: string, results: LintResult[]): Record<string, Short[]> {
  const out: Record<string, Short[]> = {};
  for (const r of results) {
    out[path.relative(cwd, r.filePath)] = r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId ?? 'fatal'} ${m.messageId ?? m.message}`);
  }
  return out;
}

const LEAK = `${LEAK_LINE}:${LEAK_COLUMN} socket-close/no-leak leak`;
const USE = `${USE_LINE}:${USE_COLUMN} socket-close/no-use-after-close useAfterRelease`;
const MISSING = '1:1 socket-close/no-leak missingTypes';

/** Lints `sub` of `consumer`; returns the summary, the raw results and a label for failure messages. */
function lint(consumer: string, sub: string) {
  const cwd = path.join(consumer, sub);
  const { stderr, results } = eslintJson(consumer, cwd);
  expect(stderr).toBe('');
  const typesNode = fs.existsSync(path.join(consumer, 'node_modules', '@types', 'node'))
    ? `@types/node ${installedVersion(consumer, '@types/node')}`
    : 'no @types/node';
  return { summary: summarize(cwd, results), results, label: `${sub} with ${typesNode}` };
}

function expectMissingTypes(results: LintResult[], pkg: '@types/node' | '@types/ws'): void {
  for (const r of results) {
    for (const m of r.messages.filter((x) => x.messageId === 'missingTypes')) {
      expect(m.message, r.filePath).toContain(pkg);
      if (pkg === '@types/node') expect(m.message, r.filePath).toContain('compilerOptions.types');
    }
  }
}

let packDir: string;
let tarball: string;
const consumers: string[] = [];

beforeAll(() => {
  ({ packDir, tarball } = packTarball());
});

afterAll(() => {
  for (const dir of [packDir, ...consumers]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new consumer folder with the README's install, adjusted by `edit`. */
function install(prefix: string, edit: (packages: string[]) => string[]): string {
  const dir = makeTempDir(prefix);
  consumers.push(dir);
  writeFiles(dir, { 'package.json': JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2) });
  const packages = edit(readmeInstallPackages().map((p) => (p === 'eslint-plugin-socket-close' ? tarball : p)));
  npmInstall(dir, packages);
  return dir;
}

describe('the README blocks this test runs', () => {
  it('exist, and the install command names the plugin, ESLint, TypeScript 6 and @types/node', () => {
    expect(readmeInstallPackages()).toEqual(
      expect.arrayContaining(['eslint-plugin-socket-close', 'eslint', 'typescript@~6.0', '@types/node']),
    );
    for (const name of ['types-fix', 'complete-config', 'typescript-eslint', 'javascript-tsconfig', 'javascript-config']) {
      expect(readmeBlock(name).trim().length, name).toBeGreaterThan(0);
    }
  });
});

const withTypes = [
  { eslint: '10', label: "the README's install (latest @types/node)", extra: ['typescript-eslint', 'ws'], typesNode: undefined },
  { eslint: '9', label: 'ESLint 9 and @types/node@20', extra: ['typescript-eslint'], typesNode: '@types/node@20' },
];

describe.each(withTypes)('ESLint $eslint: $label', ({ eslint, extra, typesNode }) => {
  let consumer: string;

  beforeAll(() => {
    consumer = install(`socket-close-first-run-eslint${eslint}-`, (packages) => [
      ...packages.map((p) => (p === 'eslint' ? `eslint@${eslint}` : p === '@types/node' && typesNode ? typesNode : p)),
      ...extra,
    ]);

    // 1. configs.recommended as one line, tsconfig from `tsc --init` with the README's "types" fix.
    tscInit(consumer, path.join(consumer, 'complete'), true);
    writeFiles(path.join(consumer, 'complete'), {
      'eslint.config.mjs': readmeBlock('complete-config'),
      'src/leak.ts': LEAKY_SOURCE,
      'src/use.ts': USE_AFTER_CLOSE_SOURCE,
    });

    // 2. The same, with the tsconfig exactly as `tsc --init` wrote it ("types": []).
    tscInit(consumer, path.join(consumer, 'types-empty'), false);
    writeFiles(path.join(consumer, 'types-empty'), {
      'eslint.config.mjs': readmeBlock('complete-config'),
      'src/leak.ts': LEAKY_SOURCE,
      'src/use.ts': USE_AFTER_CLOSE_SOURCE,
    });

    // 3. typescript-eslint's typed set-up with the README's block, and the same with tseslint.config().
    for (const [sub, config] of [
      ['typescript-eslint', readmeBlock('typescript-eslint')],
      [
        'tseslint-config',
        readmeBlock('typescript-eslint')
          .replace("import { defineConfig } from 'eslint/config';\n", '')
          .replace('defineConfig(', 'tseslint.config('),
      ],
    ] as const) {
      tscInit(consumer, path.join(consumer, sub), true);
      writeFiles(path.join(consumer, sub), {
        'eslint.config.mjs': config,
        'src/leak.ts': LEAKY_SOURCE,
        'src/plain.js': 'export const answer = 42;\n',
        'scripts/build.mjs': "console.log('build');\n",
      });
    }

    // 4. A JavaScript project.
    writeFiles(path.join(consumer, 'javascript'), {
      'tsconfig.json': readmeBlock('javascript-tsconfig'),
      'eslint.config.mjs': readmeBlock('javascript-config'),
      'src/client.js': JS_SOURCE,
    });

    // 5. `ws` without `@types/ws` (only where ws is installed).
    if (extra.includes('ws')) {
      tscInit(consumer, path.join(consumer, 'ws-untyped'), true);
      writeFiles(path.join(consumer, 'ws-untyped'), { 'eslint.config.mjs': readmeBlock('complete-config'), 'src/feed.ts': WS_SOURCE });
    }
  });

  it('installed ESLint ' + eslint + ', TypeScript 6.0 and the plugin from the tarball', () => {
    expect(installedVersion(consumer, 'eslint').split('.')[0]).toBe(eslint);
    expect(installedVersion(consumer, 'typescript')).toMatch(/^6\.0\./);
    expect(fs.existsSync(path.join(consumer, 'node_modules', '@types', 'node'))).toBe(true);
  });

  it('configs.recommended in one line reports the leak and the use after close, and nothing else', () => {
    const { summary, label } = lint(consumer, 'complete');
    expect(summary, label).toEqual({
      'eslint.config.mjs': [],
      'src/leak.ts': [LEAK],
      'src/use.ts': [USE],
    });
  });

  it('with "types": [] from tsc --init, each file gets one missingTypes message naming @types/node', () => {
    const { summary, results, label } = lint(consumer, 'types-empty');
    expect(summary, label).toEqual({
      'eslint.config.mjs': [],
      'src/leak.ts': [MISSING],
      'src/use.ts': [MISSING],
    });
    expectMissingTypes(results, '@types/node');
  });

  for (const sub of ['typescript-eslint', 'tseslint-config']) {
    it(`typescript-eslint's set-up (${sub === 'typescript-eslint' ? 'defineConfig' : 'tseslint.config'}): the leak in .ts, nothing on .js/.mjs files`, () => {
      const { summary, label } = lint(consumer, sub);
      expect(summary, label).toEqual({
        'eslint.config.mjs': [],
        'scripts/build.mjs': [],
        'src/leak.ts': [LEAK],
        'src/plain.js': [],
      });
    });
  }

  it('a JavaScript project (allowJs, JSDoc) reports both leaks, through require() and a JSDoc-typed factory', () => {
    const { summary, label } = lint(consumer, 'javascript');
    expect(summary, label).toEqual({
      'eslint.config.mjs': [],
      'src/client.js': ['5:13 socket-close/no-leak leak', '16:13 socket-close/no-leak leak'],
    });
  });

  if (extra.includes('ws')) {
    it('ws without @types/ws: one missingTypes message naming @types/ws', () => {
      const { summary, results } = lint(consumer, 'ws-untyped');
      expect(summary).toEqual({ 'eslint.config.mjs': [], 'src/feed.ts': [MISSING] });
      expectMissingTypes(results, '@types/ws');
    });
  }
});

describe('ESLint 10 without @types/node', () => {
  let consumer: string;

  beforeAll(() => {
    consumer = install('socket-close-first-run-no-types-', (packages) => packages.filter((p) => p !== '@types/node'));
    // As the README says ("types": ["node"]), and with no `types` at all.
    tscInit(consumer, path.join(consumer, 'types-node'), true);
    writeFiles(path.join(consumer, 'types-node'), {
      'eslint.config.mjs': readmeBlock('complete-config'),
      'src/leak.ts': LEAKY_SOURCE,
    });
    tscInit(consumer, path.join(consumer, 'no-types-field'), false);
    const file = path.join(consumer, 'no-types-field', 'tsconfig.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^\s*"types": \[\],\n/m, ''));
    writeFiles(path.join(consumer, 'no-types-field'), {
      'eslint.config.mjs': readmeBlock('complete-config'),
      'src/leak.ts': LEAKY_SOURCE,
    });
  });

  it('has no @types/node installed', () => {
    expect(fs.existsSync(path.join(consumer, 'node_modules', '@types', 'node'))).toBe(false);
  });

  for (const sub of ['types-node', 'no-types-field']) {
    it(`${sub}: one missingTypes message naming @types/node`, () => {
      const { summary, results } = lint(consumer, sub);
      expect(summary).toEqual({ 'eslint.config.mjs': [], 'src/leak.ts': [MISSING] });
      expectMissingTypes(results, '@types/node');
    });
  }
});
