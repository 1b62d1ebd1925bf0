import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // records the host before the suite and fails the run if anything changed (test/global-setup.ts)
    globalSetup: ['test/global-setup.ts'],
    // every test file gets its own HOME and XDG_* dirs: no test reads the user's real progress
    setupFiles: ['test/helpers/hermetic-env.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // real-sandbox tests spawn namespaces; two cores
    maxWorkers: 2,
  },
});
