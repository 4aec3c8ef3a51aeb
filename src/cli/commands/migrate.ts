import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { failAbandonedImports } from '../../domain/contacts/import/abandoned-imports.ts';

export function migrateCommand(program: Command, ctx: CliContext) {
  program
    .command('migrate')
    .description('apply pending database migrations (the server also does this at start)')
    .option('--json', 'print one JSON object')
    .action(async (opts: { json?: boolean }) => {
      const s = await ctx.services(); // opening the services migrates
      // Imports a dead process left `running` are marked failed (abandoned-imports.ts).
      await failAbandonedImports(s.db, { kind: s.database.kind, clock: s.clock });
      ctx.print(
        !!opts.json,
        { migrated: true, database: s.database.kind },
        `database (${s.database.kind}) is up to date`,
      );
    });
}
