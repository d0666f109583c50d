import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/integration/**', 'node_modules/**', 'bench/**'],
    env: { SOCKET_CLOSE_STRICT: '1' },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
