// The suite runs on embedded PGlite always, and again on PostgreSQL when DATABASE_URL is set.
// Each test file gets its own database (see test/test-db.ts), so files run in parallel safely.
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Files that take minutes (spawned processes, kills, a browser, fuzzing) start first within their
// project: Vitest's default order on a fresh clone is by file size, which starts the small
// dispatch-kill files last, and the run then ends on one worker alone for minutes.
const SLOW_FIRST = [
  'test/e2e/dispatch-kill.',
  'test/e2e/import-interrupted.',
  'src/http/setup.test.ts',
  'src/cli/wrong-master-key.',
  'test/browser/',
  'src/domain/contacts/import/hostile-files-fuzz.',
  'test/e2e/server.embedded.',
  'test/e2e/xlsx-bomb.',
  'test/e2e/dispatch-outage.',
  'src/http/unsubscribe.test.ts',
  'test/e2e/import-kill.',
  'test/e2e/voter-side.',
];

class SlowFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const projects = [...new Set(sorted.map((f) => f.project.name))];
    const rank = (f: TestSpecification) => {
      const i = SLOW_FIRST.findIndex((p) => f.moduleId.includes(p));
      return i < 0 ? SLOW_FIRST.length : i;
    };
    return sorted
      .map((f, i) => ({ f, i }))
      .sort(
        (a, b) =>
          projects.indexOf(a.f.project.name) - projects.indexOf(b.f.project.name) ||
          rank(a.f) - rank(b.f) ||
          a.i - b.i,
      )
      .map(({ f }) => f);
  }
}

const postgres = process.env.DATABASE_URL;

export default defineConfig({
  test: {
    // Vitest's default on this 2-core machine is one worker (cores - 1); much of the suite waits
    // on PostgreSQL, spawned servers and files, so two workers keep both cores busy.
    maxWorkers: 2,
    sequence: { sequencer: SlowFirst },
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
                // Browser tests drive the screens once, on the embedded database: every route the
                // screens call runs on PostgreSQL in the HTTP tests, and three browser files on
                // both databases would cost CI minutes it does not have.
                exclude: ['**/node_modules/**', '**/*.embedded.test.ts', 'test/browser/**'],
              },
            },
          ]
        : []),
    ],
  },
});
