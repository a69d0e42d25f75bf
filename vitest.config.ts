import { defineConfig } from 'vitest/config';

// The default suite: everything that runs on a user's machine, without ../shared/data.
export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    exclude: ['test/reference/**', 'node_modules/**', 'dist/**'],
    testTimeout: 60_000,
  },
});
