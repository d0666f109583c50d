// What the vitest configs share. `npm test` (vitest.config.mts) runs the fast suites; the suites below take
// ten seconds or more each and run in `npm run test:slow` (vitest.slow.config.mts); CI (.ci/run) runs both.
import { availableParallelism } from 'node:os';
import type { ViteUserConfig } from 'vitest/config';

export const SLOW_TESTS = [
  'tests/fuzz/fuzz.test.ts', // the differential fuzzing sample: 600 programs
  'tests/fuzz/generator.test.ts', // type-checks a sample of generated programs
  'tests/docs-examples.test.ts', // lints every example of the rule pages
];

export const NOT_UNIT_TESTS = ['tests/integration/**', 'node_modules/**', 'bench/**'];

export const baseTest = {
  env: { SOCKET_CLOSE_STRICT: '1' },
  // vitest's default is one worker less than the CPUs (one worker on a 2-core machine); its main process is
  // idle while the files run, so use every core.
  maxWorkers: availableParallelism(),
  // The test files of a worker share one module graph: importing typescript-eslint and ESLint anew for each of
  // the 60-odd files cost half of the fast suite's time. What the files share is stateless or per program, with
  // one exception kept in mind: typescript-eslint makes one project service per process, with the options of the
  // first file that asks, so every typed suite uses plain `projectService: true` (a JavaScript file gets a
  // tsconfig of its own, tests/fixtures-js, instead of `allowDefaultProject`).
  isolate: false,
  testTimeout: 60_000,
  hookTimeout: 60_000,
} satisfies ViteUserConfig['test'];
