// The published package as a user gets it: dist/ loaded through CJS require and ESM import, and the file
// list of `npm pack`. `npm test` builds dist/ before vitest runs; when dist/ is missing (a bare
// `npx vitest run`), beforeAll builds it once.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

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
  configs: Record<string, { name?: string; plugins?: Record<string, unknown>; rules?: Record<string, unknown> }>;
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
      registersItself: rec.plugins['socket-close'] === p,
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

  it('configs.recommended registers the plugin as socket-close and turns every rule on as error', () => {
    const recommended = cjs.configs.recommended!;
    expect(recommended.plugins?.['socket-close']).toBe(cjs);
    expect(Object.keys(recommended.plugins ?? {})).toEqual(['socket-close']);
    expect(recommended.rules).toEqual(Object.fromEntries(srcRuleNames.map((n) => [`socket-close/${n}`, 'error'])));
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
  });

  it('import of the package name (as in eslint.config.mjs) gives the plugin as default export', () => {
    const esm = importInChildProcess(pkg.name);
    expect(esm.meta).toEqual({ ...cjs.meta });
    expect(esm.rules).toEqual(srcRuleNames);
    expect(esm.registersItself).toBe(true);
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
