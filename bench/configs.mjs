// Flat configs of the benchmark, by name. All tooling (eslint, typescript-eslint, typescript) is the
// project root's; the plugin is the BUILT one at ../dist/index.js (run `npm run build` first).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { BENCH_DIR, ROOT_DIR } from './corpus.mjs';

export const rootRequire = createRequire(path.join(ROOT_DIR, 'package.json'));

/** The built plugin; run.mjs points BENCH_PLUGIN_PATH at a snapshot of dist/ so a rebuild during a run cannot mix versions. */
export const PLUGIN_PATH = process.env.BENCH_PLUGIN_PATH || path.join(ROOT_DIR, 'dist', 'index.js');
export const PLUGIN_PREFIX = 'socket-close/';

export function loadPlugin() {
  if (!fs.existsSync(PLUGIN_PATH)) throw new Error(`${PLUGIN_PATH} is missing: run \`npm run build\` in the project root first`);
  return rootRequire(PLUGIN_PATH);
}

/** Cost configurations (issue 4 item 3) and the other configurations used by the harness. */
export const CONFIG_DESCRIPTIONS = {
  a: 'type-aware parse only (projectService, no rules)',
  b: '(a) + socket-close recommended',
  c: '(a) + @typescript-eslint/no-floating-promises',
  d: 'typescript-eslint recommendedTypeChecked',
  e: '(d) + socket-close recommended',
  plugin: 'socket-close recommended (same rules as b)',
  'plugin-all-options': 'socket-close rules with every boolean option flipped from its default',
};

/**
 * Every boolean option of a rule set to the opposite of its default (read from the rule's meta, so it
 * follows whatever options the built rules declare).
 */
export function flippedOptions(rule) {
  const schema = Array.isArray(rule.meta?.schema) ? rule.meta.schema[0] : undefined;
  const props = schema?.properties ?? {};
  const defaults = (rule.meta?.defaultOptions ?? rule.defaultOptions ?? [])[0] ?? {};
  const out = {};
  for (const [key, def] of Object.entries(props)) {
    if (def.type === 'boolean') out[key] = !(defaults[key] ?? def.default ?? false);
  }
  return out;
}

/** Rule ids and options of the plugin with every boolean option flipped. */
export function allOptionsRules(plugin) {
  return Object.fromEntries(
    Object.entries(plugin.rules).map(([name, rule]) => {
      const opts = flippedOptions(rule);
      return [`${PLUGIN_PREFIX}${name}`, Object.keys(opts).length ? ['error', opts] : 'error'];
    }),
  );
}

/**
 * A rule that records every file it visits (one line per file) in `logFile`. Used to check that a
 * `--cache` run re-lints only the changed files, also under worker threads.
 */
function probePlugin(logFile) {
  return {
    meta: { name: 'bench-probe' },
    rules: {
      visited: {
        meta: { type: 'problem', schema: [] },
        create(context) {
          return {
            Program() {
              fs.appendFileSync(logFile, `${context.filename}\n`);
            },
          };
        },
      },
    },
  };
}

/**
 * Time spent inside timed rules (`buildConfig(name, { timeRules: true })`): each rule's `create` and every listener it
 * returns, on the main thread (`performance.now()`; one pair of reads per call). cost-inprocess reads it around each
 * lint: the rules' own time, without the parse and the rest of the lint that the difference with a parse-only lint
 * carries as noise. What it leaves out: ESLint's own work per configured rule (its context, options, listener
 * dispatch) and garbage collection that runs outside the rule's calls.
 */
export const ruleClock = { ms: 0 };

function timedRule(rule) {
  const time = (fn, self, args) => {
    const t0 = performance.now();
    try {
      return fn.apply(self, args);
    } finally {
      ruleClock.ms += performance.now() - t0;
    }
  };
  return {
    ...rule,
    create(context) {
      const listeners = time(rule.create, rule, [context]);
      const out = {};
      for (const [selector, fn] of Object.entries(listeners ?? {})) {
        out[selector] = typeof fn === 'function' ? function (...args) { return time(fn, this, args); } : fn;
      }
      return out;
    },
  };
}

/** The plugin object with every rule timed (see {@link ruleClock}). */
export function timedPlugin(plugin) {
  return { ...plugin, rules: Object.fromEntries(Object.entries(plugin.rules).map(([name, rule]) => [name, timedRule(rule)])) };
}

/** A config object (the plugin's `recommendedRules`) with the rules of each of its plugins timed. */
export function withTimedPlugins(config) {
  return { ...config, plugins: Object.fromEntries(Object.entries(config.plugins).map(([k, p]) => [k, timedPlugin(p)])) };
}

/**
 * Builds the flat config array of configuration `name`.
 * @param {string} name one of CONFIG_DESCRIPTIONS' keys
 * @param {{ probeLog?: string, timeRules?: boolean }} [opts] timeRules: the plugin's rules (or no-floating-promises) timed into {@link ruleClock}
 */
export function buildConfig(name, opts = {}) {
  if (!(name in CONFIG_DESCRIPTIONS)) throw new Error(`unknown configuration ${name}; known: ${Object.keys(CONFIG_DESCRIPTIONS).join(', ')}`);
  const tseslint = rootRequire('typescript-eslint');
  const parser = rootRequire('@typescript-eslint/parser');
  const parse = [
    {
      name: 'bench/files',
      files: ['**/*.js', '**/*.cjs', '**/*.mjs', '**/*.ts', '**/*.mts', '**/*.cts'],
    },
    {
      name: 'bench/type-aware-parse',
      languageOptions: {
        parser,
        sourceType: 'commonjs',
        parserOptions: { projectService: true, tsconfigRootDir: BENCH_DIR },
      },
      // The corpus' own eslint-disable comments must not hide reports, and must not add any.
      linterOptions: { noInlineConfig: true, reportUnusedDisableDirectives: 'off', reportUnusedInlineConfigs: 'off' },
    },
    // ESM: .mjs/.mts files and the generated TypeScript files of the scaling test.
    { name: 'bench/esm', files: ['**/*.mjs', '**/*.mts', '**/*.ts'], languageOptions: { sourceType: 'module' } },
  ];
  // The rules-only config: `recommended` is the complete config for TypeScript files, and the corpus is JavaScript.
  const withPlugin = () => {
    const rules = loadPlugin().configs.recommendedRules;
    return [opts.timeRules ? withTimedPlugins(rules) : rules];
  };
  let config;
  switch (name) {
    case 'a':
      config = parse;
      break;
    case 'b':
    case 'plugin':
      config = [...parse, ...withPlugin()];
      break;
    case 'c':
      config = [
        ...parse,
        { name: 'bench/no-floating-promises', plugins: { '@typescript-eslint': opts.timeRules ? timedPlugin(tseslint.plugin) : tseslint.plugin }, rules: { '@typescript-eslint/no-floating-promises': 'error' } },
      ];
      break;
    case 'd':
      config = [...tseslint.configs.recommendedTypeChecked, ...parse];
      break;
    case 'e':
      config = [...tseslint.configs.recommendedTypeChecked, ...parse, ...withPlugin()];
      break;
    case 'plugin-all-options': {
      const plugin = loadPlugin();
      config = [...parse, { name: 'bench/all-options', plugins: { 'socket-close': plugin }, rules: allOptionsRules(plugin) }];
      break;
    }
  }
  if (opts.probeLog) {
    config = [...config, { name: 'bench/probe', plugins: { 'bench-probe': probePlugin(opts.probeLog) }, rules: { 'bench-probe/visited': 'error' } }];
  }
  return config;
}
