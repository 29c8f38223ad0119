import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The tests' own SDK clients would warn about Node 20 on every file (see docs/decisions.md).
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      // Unit tests first (CPU-bound, vitest's default workers), then the end-to-end files.
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], benchmark: { include: [] }, sequence: { groupOrder: 0 } } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // `vitest bench` only: the benchmarks spawn the built CLI against the sandbox, as e2e tests do.
          benchmark: { include: ['test/bench/**/*.bench.ts'] },
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // End-to-end files mostly wait (on the spawned CLI, its sandbox, PostgreSQL), so they run
          // three at a time even on two cores; vitest's default is one fewer than the cores.
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
