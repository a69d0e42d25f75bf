import { defineConfig } from 'vitest/config';

// The reference suite: tests that read the public benchmark files in ../shared/data
// (or $BNNRELAX_DATA). Run by .ci/run; not part of `npm test`.
export default defineConfig({
  test: {
    include: ['test/reference/**/*.test.ts'],
    passWithNoTests: true,
    testTimeout: 300_000,
  },
});
