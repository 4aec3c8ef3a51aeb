// The suite runs on embedded PGlite always, and again on PostgreSQL when DATABASE_URL is set.
// Each test file gets its own database (see test/test-db.ts), so files run in parallel safely.
import { defineConfig } from 'vitest/config';

const postgres = process.env.DATABASE_URL;

export default defineConfig({
  test: {
    // Vitest's default on this 2-core machine is one worker (cores - 1); much of the suite waits
    // on PostgreSQL, spawned servers and files, so two workers keep both cores busy.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'pglite',
          env: { ISOLOIR_TEST_DB: 'pglite' },
          // These test PostgreSQL itself (its connections): PostgreSQL only.
          exclude: ['**/node_modules/**', '**/*.postgres.test.ts'],
        },
      },
      ...(postgres
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                env: { ISOLOIR_TEST_DB: 'postgres' },
                // These test the embedded database itself (its lock, its files): PGlite only.
                exclude: ['**/node_modules/**', '**/*.embedded.test.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
