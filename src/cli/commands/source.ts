import type { Command } from 'commander';
import { deleteSource } from '../../domain/sources/delete-source.ts';
import {
  createSource,
  getSource,
  listSources,
  type DataSource,
} from '../../domain/sources/sources.ts';
import type { CliContext } from '../context.ts';
import { readJsonFile } from '../read-json-file.ts';

const describe = (src: DataSource) =>
  `${src.id}  ${src.type}  ${src.label}  obtained ${src.obtainedOn}` +
  (src.electionId ? `  election ${src.electionId}` : '');

export function sourceCommand(program: Command, ctx: CliContext) {
  const source = program.command('source').description('data sources (where contacts come from)');

  source
    .command('create')
    .description('declare a data source; forbidden types are refused with their rule')
    .requiredOption('--org <id>', 'organisation id')
    .requiredOption(
      '--type <type>',
      'electoral_list, signin_list, member_file, supporter_signup, purchased_file, referral, door_to_door',
    )
    .requiredOption('--label <text>', 'a name for the source')
    .option('--election <id>', 'the election it serves (required for electoral and sign-in lists)')
    .option('--obtained <date>', 'date obtained, YYYY-MM-DD (default: today)')
    .option(
      '--attestation <file.json>',
      'purchased file: JSON with provider, date, consentWording, proofReference',
    )
    .option(
      '--public-description <text>',
      'how notices describe this source to the people it names (public; the label is internal)',
    )
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const created = await createSource(s.db, {
        orgId: o.org,
        actor: 'cli',
        clock: s.clock,
        input: {
          type: o.type,
          label: o.label,
          electionId: o.election,
          obtainedOn: o.obtained,
          attestation: o.attestation ? readJsonFile(o.attestation, 'attestation') : undefined,
          publicDescription: o.publicDescription,
        },
      });
      ctx.print(!!o.json, created, `created source ${created.id}`);
    });

  source
    .command('list')
    .description("list an organisation's sources")
    .requiredOption('--org <id>', 'organisation id')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const items = await listSources(s.db, { orgId: o.org });
      ctx.print(!!o.json, { items }, items.length ? items.map(describe) : 'no source yet');
    });

  source
    .command('show')
    .description('show one source')
    .argument('<id>', 'source id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o) => {
      const s = await ctx.services();
      const found = await getSource(s.db, { sourceId: id });
      ctx.print(!!o.json, found, describe(found));
    });

  source
    .command('delete')
    .description(
      'delete a source with its imports, quarantine, and the contacts that came only from it',
    )
    .argument('<id>', 'source id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o) => {
      const s = await ctx.services();
      const result = await deleteSource(s.db, { sourceId: id, actor: 'cli', keys: s.keys });
      ctx.print(
        !!o.json,
        result,
        `deleted source ${result.sourceId}: ${result.contactsDeleted} contacts deleted, ${result.provenanceRemoved} provenance rows removed, ${result.identifiersErased} kept contacts lost identifiers it supplied`,
      );
    });
}
