// The published package as a user gets it: dist/ loaded through CJS require and ESM import, and the file
// list of `npm pack`. `npm test` builds dist/ before vitest runs; when dist/ is missing (a bare
// `npx vitest run`), beforeAll builds it once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { ESLint, type Linter } from 'eslint';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const root = path.join(__dirname, '..');
const distEntry = path.join(root, 'dist', 'index.js');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  main: string;
  types: string;
  exports: Record<string, Record<string, string> | string>;
};
const srcRuleNames = fs
  .readdirSync(path.join(root, 'src', 'rules'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
  .map((f) => f.slice(0, -3))
  .sort();

interface Plugin {
  meta: { name: string; version: string };
  rules: Record<string, { meta: unknown; create: unknown }>;
  configs: Record<
    string,
    {
      name?: string;
      files?: string[];
      plugins?: Record<string, unknown>;
      languageOptions?: { parser?: unknown; parserOptions?: unknown };
      rules?: Record<string, unknown>;
    }
  >;
}

function run(command: string, args: string[], timeout = 120_000) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', timeout, shell: process.platform === 'win32' });
  if (result.error) throw result.error;
  return result;
}

/** Loads the package in a fresh Node process as ESM; prints a JSON summary of what it got. */
function importInChildProcess(specifier: string) {
  const script = `
    const mod = await import(${JSON.stringify(specifier)});
    const p = mod.default;
    const rec = p.configs.recommended;
    console.log(JSON.stringify({
      meta: p.meta,
      rules: Object.keys(p.rules).sort(),
      ruleShapes: Object.values(p.rules).every((r) => typeof r.create === 'function' && typeof r.meta === 'object'),
      recommendedRules: rec.rules,
      registersItself: Object.values(p.configs).every((c) => c.plugins['socket-close'] === p),
      configNames: Object.keys(p.configs),
    }));`;
  const result = run(process.execPath, ['--input-type=module', '-e', script], 30_000);
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return JSON.parse(result.stdout) as {
    meta: { name: string; version: string };
    rules: string[];
    ruleShapes: boolean;
    recommendedRules: Record<string, unknown>;
    registersItself: boolean;
    configNames: string[];
  };
}

let cjs: Plugin;

beforeAll(() => {
  if (!fs.existsSync(distEntry)) {
    const build = run('npm', ['run', 'build'], 180_000);
    expect(build.status, build.stdout + build.stderr).toBe(0);
  }
  cjs = createRequire(__filename)(distEntry) as Plugin;
});

describe('dist as a CommonJS module', () => {
  it('exports the plugin object itself (no { default } wrapper)', () => {
    expect(Object.keys(cjs).sort()).toEqual(['configs', 'meta', 'rules']);
  });

  it('meta.name and meta.version come from package.json', () => {
    expect(cjs.meta.name).toBe(pkg.name);
    expect(cjs.meta.version).toBe(pkg.version);
  });

  it('has exactly one rule per src/rules/*.ts, each a rule module', () => {
    expect(Object.keys(cjs.rules).sort()).toEqual(srcRuleNames);
    for (const rule of Object.values(cjs.rules)) {
      expect(typeof rule.create).toBe('function');
      expect(typeof rule.meta).toBe('object');
    }
  });

  it('has exactly the configs recommended, recommendedRules and disableTypeChecked, each registering the plugin', () => {
    expect(Object.keys(cjs.configs)).toEqual(['recommended', 'recommendedRules', 'disableTypeChecked']);
    for (const [configName, config] of Object.entries(cjs.configs)) {
      expect(Object.keys(config.plugins ?? {}), configName).toEqual(['socket-close']);
      expect(config.plugins?.['socket-close'], configName).toBe(cjs);
    }
  });

  it('configs.recommended is complete for TypeScript files: files, the parser with projectService, every rule as error', () => {
    const recommended = cjs.configs.recommended!;
    expect(recommended.name).toBe('socket-close/recommended');
    expect(recommended.files).toEqual(['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts']);
    // The very parser module a user would import (no interop copy), with the project service on.
    expect(recommended.languageOptions?.parser).toBe(createRequire(distEntry)('@typescript-eslint/parser'));
    expect(recommended.languageOptions?.parserOptions).toEqual({ projectService: true });
    expect(recommended.rules).toEqual(Object.fromEntries(srcRuleNames.map((n) => [`socket-close/${n}`, 'error'])));
  });

  it('configs.recommendedRules has the rules only: no files, no languageOptions', () => {
    const rulesOnly = cjs.configs.recommendedRules!;
    expect(Object.keys(rulesOnly).sort()).toEqual(['name', 'plugins', 'rules']);
    expect(rulesOnly.rules).toEqual(Object.fromEntries(srcRuleNames.map((n) => [`socket-close/${n}`, 'error'])));
  });

  it('configs.disableTypeChecked turns every rule off and sets nothing else', () => {
    const off = cjs.configs.disableTypeChecked!;
    expect(Object.keys(off).sort()).toEqual(['name', 'plugins', 'rules']);
    expect(off.rules).toEqual(Object.fromEntries(srcRuleNames.map((n) => [`socket-close/${n}`, 'off'])));
  });

  it('require() by package name resolves to dist/index.js', () => {
    // Self-reference through the "exports" map, as a user's eslint.config.cjs would load it.
    expect(createRequire(path.join(root, 'index.js')).resolve(pkg.name)).toBe(distEntry);
  });
});

describe('dist as an ES module', () => {
  it('import() of the file gives the same plugin as default export', () => {
    const esm = importInChildProcess(pathToFileURL(distEntry).href);
    expect(esm.meta).toEqual(cjs.meta);
    expect(esm.rules).toEqual(srcRuleNames);
    expect(esm.ruleShapes).toBe(true);
    expect(esm.registersItself).toBe(true);
    expect(esm.recommendedRules).toEqual(cjs.configs.recommended!.rules);
    expect(esm.configNames).toEqual(Object.keys(cjs.configs));
  });

  it('import of the package name (as in eslint.config.mjs) gives the plugin as default export', () => {
    const esm = importInChildProcess(pkg.name);
    expect(esm.meta).toEqual({ ...cjs.meta });
    expect(esm.rules).toEqual(srcRuleNames);
    expect(esm.registersItself).toBe(true);
  });
});

// The configs as a user's eslint.config would use them, on the typed fixture project (tests/fixtures).
describe('the configs in use', () => {
  const fixtures = path.join(__dirname, 'fixtures');
  const leakyTs = "import * as net from 'node:net';\nexport function f(p: number): void {\n  const s = net.connect(p, '127.0.0.1');\n  if (p > 1) return;\n  s.end();\n}\n";
  const plainJs = 'export const answer = 42;\n';

  async function lint(config: Linter.Config[], file: string, code: string) {
    const eslint = new ESLint({ cwd: fixtures, overrideConfigFile: true, overrideConfig: defineConfig(config) });
    const [result] = await eslint.lintText(code, { filePath: path.join(fixtures, file) });
    return result!.messages.map((m) => `${m.line}:${m.column} ${m.ruleId ?? 'parser'} ${m.messageId ?? m.message}`);
  }

  it('[configs.recommended] alone reports on a TypeScript file and leaves a JavaScript file alone', async () => {
    const config = [cjs.configs.recommended as Linter.Config];
    expect(await lint(config, 'file.ts', leakyTs)).toEqual(['3:13 socket-close/no-leak leak']);
    expect(await lint(config, 'plain.js', plainJs)).toEqual([]);
  }, 60_000);

  describe("typescript-eslint's set-up with recommendedRules", () => {
    // As typescript-eslint documents it: its shared configs (which match .ts files and set the parser everywhere),
    // projectService for all files, and the plugin's rules without a `files` restriction.
    const base = (): Linter.Config[] => [
      ...(tseslint.configs.recommended as Linter.Config[]),
      { languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: fixtures } } },
      cjs.configs.recommendedRules as Linter.Config,
    ];
    const jsWithoutTypes = (extra: Linter.Config[]): Linter.Config =>
      ({ files: ['**/*.js'], extends: [tseslint.configs.disableTypeChecked, ...extra] }) as Linter.Config;

    it('reports on the TypeScript file', async () => {
      expect(await lint(base(), 'file.ts', leakyTs)).toEqual(['3:13 socket-close/no-leak leak']);
    }, 60_000);

    it("with typescript-eslint's disableTypeChecked alone, a .js file still gets noTypeInfo", async () => {
      const messages = await lint([...base(), jsWithoutTypes([])], 'plain.js', plainJs);
      expect(messages.length).toBeGreaterThan(0);
      expect(messages.every((m) => / socket-close\/[a-z-]+ noTypeInfo$/.test(m)), messages.join('\n')).toBe(true);
    }, 60_000);

    it('with configs.disableTypeChecked next to it, the .js file gets nothing', async () => {
      expect(await lint([...base(), jsWithoutTypes([cjs.configs.disableTypeChecked as Linter.Config])], 'plain.js', plainJs)).toEqual([]);
    }, 60_000);
  });
});

describe('package.json entry points', () => {
  it('main, types and every exports target exist after the build', () => {
    const targets = [pkg.main, pkg.types];
    for (const value of Object.values(pkg.exports)) {
      targets.push(...(typeof value === 'string' ? [value] : Object.values(value)));
    }
    const missing = targets.filter((t) => !fs.existsSync(path.join(root, t)));
    expect(missing).toEqual([]);
  });
});

describe('npm pack', () => {
  let files: string[];

  beforeAll(() => {
    const result = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], 120_000);
    expect(result.status, result.stderr).toBe(0);
    const [report] = JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>;
    files = report!.files.map((f) => f.path).sort();
  });

  it('ships the built plugin with its type declarations', () => {
    expect(files).toContain('dist/index.js');
    expect(files).toContain('dist/index.d.ts');
    for (const name of srcRuleNames) expect(files).toContain(`dist/rules/${name}.js`);
  });

  it('ships package.json, README.md and the rule docs', () => {
    expect(files).toContain('package.json');
    expect(files).toContain('README.md');
    for (const name of srcRuleNames) expect(files).toContain(`docs/rules/${name}.md`);
  });

  it('ships no sources, tests, benchmarks, examples, scripts or drafts', () => {
    const unwanted = files.filter(
      (f) =>
        /^(src|tests|bench|examples|scripts|\.ci)\//.test(f) ||
        f === 'docs/README-draft.md' ||
        /\.(test|spec)\.[cm]?[jt]s$/.test(f) ||
        /(^|\/)tsconfig[^/]*\.json$/.test(f),
    );
    expect(unwanted).toEqual([]);
  });
});
