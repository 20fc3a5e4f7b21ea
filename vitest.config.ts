import { defineConfig } from 'vitest/config';

/**
 * Projects:
 * - unit: everything that runs with no services and no network (PGlite, in-process queue).
 * - services: the same database and queue suites against real PostgreSQL and Redis
 *   (RECADO_TEST_SERVICES=1 makes the test helpers pick them), plus `*.int.test.ts`.
 * - contracts: provider adapters against ../shared/contracts and ../shared/fixtures.
 * - e2e: Playwright driving the system Chromium against the real server.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'src/**/*.test.ts',
            'scripts/**/*.test.ts',
            'bench/**/*.test.ts',
            'web/src/**/*.test.ts',
          ],
          exclude: ['**/*.int.test.ts', '**/*.contract.test.ts', '**/node_modules/**'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'services',
          include: ['src/**/*.test.ts'],
          // main.test.ts is about embedded mode itself (CLI on PGlite); nothing to repeat there.
          exclude: ['**/*.contract.test.ts', 'src/main.test.ts', '**/node_modules/**'],
          globalSetup: ['test/helpers/global-setup.ts'],
          env: { RECADO_TEST_SERVICES: '1' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'contracts',
          include: ['src/**/*.contract.test.ts'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.e2e.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
