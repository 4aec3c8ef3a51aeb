import type { Command } from 'commander';
import { createApiToken } from '../../domain/access/api-tokens.ts';
import type { CliContext } from '../context.ts';

export function tokenCommand(program: Command, ctx: CliContext) {
  const token = program.command('token').description('API tokens');

  token
    .command('create')
    .description('create an API token with full access (shown once; stored as a hash)')
    .option('--label <text>', 'what the token is for', 'cli')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const created = await createApiToken(s.db, { label: o.label });
      ctx.print(!!o.json, created, [`created token ${created.id} (shown once):`, created.token]);
    });
}
