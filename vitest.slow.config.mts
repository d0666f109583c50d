// `npm run test:slow`: the suites that take ten seconds or more (see SLOW_TESTS). Their timeout is generous:
// the fuzzing sample is one synchronous test, so a timeout can only fail it after it has run anyway.
import { defineConfig } from 'vitest/config';
import { baseTest, SLOW_TESTS } from './vitest.shared.mjs';

export default defineConfig({
  test: {
    ...baseTest,
    include: SLOW_TESTS,
    testTimeout: 300_000,
    reporters: ['dot'],
  },
});
