// `npm test`: the fast suites, one dot per test (failures are printed in full).
import { defineConfig } from 'vitest/config';
import { baseTest, NOT_UNIT_TESTS, SLOW_TESTS } from './vitest.shared.mjs';

export default defineConfig({
  test: {
    ...baseTest,
    include: ['tests/**/*.test.ts'],
    exclude: [...NOT_UNIT_TESTS, ...SLOW_TESTS],
    reporters: ['dot'],
  },
});
