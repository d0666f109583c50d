/**
 * Issue 6 item 4: the published package in a fresh project. `npm pack`s the project, installs the tarball with
 * ESLint 9 + TypeScript 5.9 and again with ESLint 10 + TypeScript 6.0 (from the npm registry only), and lints a
 * leaking file through an `eslint.config.mjs` and through an `eslint.config.cjs`.
 * Run `npm run build` first (npm run test:integration does): the tarball ships dist/.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  LEAKY_SOURCE,
  LEAK_COLUMN,
  LEAK_LINE,
  TSCONFIG,
  flatConfigCjs,
  flatConfigMjs,
  makeTempDir,
  projectRoot,
  writeFiles,
} from './leaky-project';
import { npmCommand, run, type LintResult } from './consumer';

let packDir: string;
let tarball: string;
let packedFiles: string[];
const ruleNames = ['no-leak', 'no-use-after-close'];

beforeAll(() => {
  const pkg = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { main: string };
  expect(fs.existsSync(path.join(projectRoot, pkg.main)), `${pkg.main} is missing: run npm run build`).toBe(true);
  packDir = makeTempDir('socket-close-pack-');
  const r = run(npmCommand, ['pack', '--json', '--pack-destination', packDir], projectRoot);
  expect(r.status, r.stderr).toBe(0);
  const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(packDir, info.filename);
  packedFiles = info.files.map((f) => f.path);
  expect(fs.existsSync(tarball)).toBe(true);
});

afterAll(() => {
  if (packDir) fs.rmSync(packDir, { recursive: true, force: true });
});

describe('the npm tarball', () => {
  it('contains the built entry point, its types, the docs, README and LICENSE, and no sources or tests', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['package.json', 'dist/index.js', 'dist/index.d.ts', 'README.md', 'LICENSE']));
    expect(packedFiles.filter((f) => /^(src|tests|bench|scripts|node_modules)\//.test(f))).toEqual([]);
  });

  it('ships docs/rules/<rule>.md for every rule', () => {
    for (const name of ruleNames) expect(packedFiles).toContain(`docs/rules/${name}.md`);
  });
});

const matrix = [
  { eslint: '9', typescript: '5.9' },
  { eslint: '10', typescript: '6.0' },
];

describe.each(matrix)('installed from the tarball with eslint@$eslint and typescript@$typescript', (versions) => {
  let dir: string;

  beforeAll(() => {
    dir = makeTempDir(`socket-close-consumer-eslint${versions.eslint}-`);
    writeFiles(dir, {
      'package.json': JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2),
    });
    const r = run(
      npmCommand,
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        '--loglevel=error',
        '--save-dev',
        tarball,
        `eslint@${versions.eslint}`,
        '@typescript-eslint/parser@8',
        `typescript@${versions.typescript}`,
        '@types/node@20',
      ],
      dir,
    );
    expect(r.status, `npm install failed:\n${r.stderr}`).toBe(0);
    // Two flat-config projects sharing the consumer's node_modules: one ESM, one CommonJS.
    for (const sub of ['mjs', 'cjs']) {
      writeFiles(path.join(dir, sub), {
        'tsconfig.json': JSON.stringify(TSCONFIG, null, 2),
        'src/a.ts': LEAKY_SOURCE,
      });
    }
    writeFiles(dir, {
      'mjs/eslint.config.mjs': flatConfigMjs('eslint-plugin-socket-close', '@typescript-eslint/parser'),
      'cjs/eslint.config.cjs': flatConfigCjs('eslint-plugin-socket-close', '@typescript-eslint/parser'),
    });
  });

  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('installed the requested majors', () => {
    const version = (name: string): string =>
      (JSON.parse(fs.readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
    expect(version('eslint').split('.')[0]).toBe(versions.eslint);
    expect(version('typescript')).toMatch(new RegExp(`^${versions.typescript.replace('.', '\\.')}\\.`));
    expect(version('eslint-plugin-socket-close')).toBe(
      (JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version,
    );
  });

  it("every rule's meta.docs.url points to its docs/rules/<rule>.md, which is in the package", () => {
    const plugin = require(require.resolve('eslint-plugin-socket-close', { paths: [dir] })) as {
      rules: Record<string, { meta: { docs?: { url?: string } } }>;
    };
    expect(Object.keys(plugin.rules).sort()).toEqual([...ruleNames].sort());
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.docs?.url).toMatch(new RegExp(`/docs/rules/${name}\\.md$`));
      expect(fs.existsSync(path.join(dir, 'node_modules', 'eslint-plugin-socket-close', 'docs', 'rules', `${name}.md`))).toBe(true);
    }
  });

  for (const flavour of ['mjs', 'cjs'] as const) {
    it(`reports the leak through eslint.config.${flavour}`, () => {
      const cwd = path.join(dir, flavour);
      const r = run(path.join(dir, 'node_modules', '.bin', 'eslint'), ['-f', 'json', 'src'], cwd, 120_000);
      expect(r.stderr).toBe('');
      const results = JSON.parse(r.stdout) as LintResult[];
      expect(results.map((x) => x.filePath)).toEqual([path.join(cwd, 'src', 'a.ts')]);
      const messages = results[0].messages.map(({ ruleId, messageId, severity, line, column }) => ({
        ruleId,
        messageId,
        severity,
        line,
        column,
      }));
      expect(messages, r.stdout).toEqual([
        { ruleId: 'socket-close/no-leak', messageId: 'leak', severity: 2, line: LEAK_LINE, column: LEAK_COLUMN },
      ]);
      expect(r.status).toBe(1);
    });
  }
});
