import type { Command } from 'commander';
import {
  createElection,
  listElections,
  type Election,
} from '../../domain/organisations/elections.ts';
import type { CliContext } from '../context.ts';

const describe = (e: Election) =>
  `${e.id}  ${e.name}  ${e.rounds.map((r) => `round ${r.round}: ${r.date}`).join(', ')}` +
  (e.territory.length ? `  territory: ${e.territory.join(' ')}` : '');

export function electionCommand(program: Command, ctx: CliContext) {
  const election = program.command('election').description('elections and their rounds');

  election
    .command('create')
    .description('create an election')
    .requiredOption('--org <id>', 'organisation id')
    .requiredOption('--name <text>', 'name of the election')
    .requiredOption('--round1 <date>', 'first round, YYYY-MM-DD')
    .option('--round2 <date>', 'second round, YYYY-MM-DD')
    .option('--territory <code...>', 'INSEE commune or department codes (repeatable)')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const created = await createElection(s.db, {
        orgId: o.org,
        actor: 'cli',
        input: { name: o.name, round1: o.round1, round2: o.round2, territory: o.territory ?? [] },
      });
      ctx.print(!!o.json, created, `created election ${created.id}`);
    });

  election
    .command('list')
    .description("list an organisation's elections")
    .requiredOption('--org <id>', 'organisation id')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const items = await listElections(s.db, { orgId: o.org });
      ctx.print(!!o.json, { items }, items.length ? items.map(describe) : 'no election yet');
    });
}
