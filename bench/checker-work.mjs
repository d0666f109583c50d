// Checker work the plugin causes on a cold type checker, counted instead of timed: the types and instantiations
// that TypeScript's checker creates while the plugin lints each file, right after a parse-only lint of it (the
// order of the heavy section's first pass). The counts are the same from run to run, so a change in what the
// plugin asks shows even when the first-pass times of a shared machine drift by ±10%.
// A bench-only rule, placed before the plugin's rules, reads the counters when the rules are created; they are
// read again when the lint returns. Used by run.mjs (heavy section) through `lint-once.mjs checker-work`.
import { buildConfig, rootRequire } from './configs.mjs';
import { BENCH_DIR } from './corpus.mjs';
import fs from 'node:fs';

const { ESLint } = rootRequire('eslint');

export async function checkerWork(targets, nameOf) {
  const state = {};
  const counter = {
    rules: {
      count: {
        meta: { type: 'problem', schema: [] },
        create(context) {
          const program = context.sourceCode.parserServices?.program;
          if (program) {
            state.checker = program.getTypeChecker();
            state.before = counts(state.checker);
          }
          return {};
        },
      },
    },
  };
  const withPlugin = buildConfig('plugin');
  // The plugin's rules are the last entry: the counting rule goes right before them (its `create` runs first).
  const config = [...withPlugin.slice(0, -1), { name: 'bench/checker-work', plugins: { 'bench-checker': counter }, rules: { 'bench-checker/count': 'error' } }, withPlugin.at(-1)];
  const none = new ESLint({ cwd: BENCH_DIR, overrideConfigFile: true, overrideConfig: buildConfig('a'), cache: false });
  const plugin = new ESLint({ cwd: BENCH_DIR, overrideConfigFile: true, overrideConfig: config, cache: false });
  const total = { types: 0, instantiations: 0 };
  const perFile = [];
  for (const file of targets) {
    const text = fs.readFileSync(file, 'utf8');
    await none.lintText(text, { filePath: file });
    state.before = undefined;
    await plugin.lintText(text, { filePath: file });
    if (!state.before) continue;
    const after = counts(state.checker);
    const d = { file: nameOf(file), types: after.types - state.before.types, instantiations: after.instantiations - state.before.instantiations };
    total.types += d.types;
    total.instantiations += d.instantiations;
    perFile.push(d);
  }
  perFile.sort((a, b) => b.types - a.types);
  return { mode: 'checker-work', files: targets.length, ...total, topFilesByTypes: perFile.slice(0, 10) };
}

function counts(checker) {
  return { types: checker.getTypeCount(), instantiations: checker.getInstantiationCount() };
}
