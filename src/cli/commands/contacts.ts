import type { Command } from 'commander';
import { countContacts } from '../../domain/contacts/contacts.ts';
import type { CliContext } from '../context.ts';

export function contactsCommand(program: Command, ctx: CliContext) {
  const contacts = program.command('contacts').description('contacts (aggregates only)');

  contacts
    .command('count')
    .description("count an organisation's contacts")
    .requiredOption('--org <id>', 'organisation id')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const result = await countContacts(s.db, { orgId: o.org });
      ctx.print(!!o.json, result, `${result.total} contacts`);
    });
}
