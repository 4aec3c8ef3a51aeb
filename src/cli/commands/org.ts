import type { Command } from 'commander';
import {
  createOrganisation,
  getOrganisation,
  listOrganisations,
  updateOrganisation,
  type Organisation,
} from '../../domain/organisations/organisations.ts';
import type { CliContext } from '../context.ts';

const describe = (o: Organisation) =>
  `${o.id}  ${o.legalName}  [${o.jurisdiction}]${o.jurisdiction === 'MA' ? `  CNDP receipt: ${o.cndpReceipt ?? 'none'}` : ''}`;

export function orgCommand(program: Command, ctx: CliContext) {
  const org = program.command('org').description('organisations (data controllers)');

  org
    .command('create')
    .description('create an organisation')
    .requiredOption('--name <text>', 'legal name of the controller')
    .requiredOption('--jurisdiction <code>', 'FR, MA or EU')
    .requiredOption('--address <text>', 'postal address')
    .requiredOption('--email <email>', 'contact email')
    .option('--phone <number>', 'its own phone number (public; the body scan lets it through)')
    .requiredOption('--dpo-email <email>', "data-protection officer's email")
    .option('--dpo-name <text>', "data-protection officer's name")
    .option('--cndp-receipt <text>', 'CNDP notification receipt number (MA)')
    .option(
      '--notice-purposes <text>',
      'what the data is used for, as every notice says it (NOT-1)',
    )
    .option('--notice-recipients <text>', 'who receives the data, as every notice says it (NOT-1)')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const created = await createOrganisation(s.db, {
        keys: s.keys,
        actor: 'cli',
        input: {
          legalName: o.name,
          jurisdiction: String(o.jurisdiction).toUpperCase(),
          postalAddress: o.address,
          contactEmail: o.email,
          contactPhone: o.phone,
          dpoEmail: o.dpoEmail,
          dpoName: o.dpoName,
          cndpReceipt: o.cndpReceipt,
          noticePurposes: o.noticePurposes,
          noticeRecipients: o.noticeRecipients,
        },
      });
      ctx.print(!!o.json, created, `created organisation ${created.id}`);
    });

  org
    .command('update')
    .description("update an organisation's details (e.g. record the CNDP receipt)")
    .argument('<id>', 'organisation id')
    .option('--name <text>', 'legal name')
    .option('--address <text>', 'postal address')
    .option('--email <email>', 'contact email')
    .option('--phone <number>', 'its own phone number (public; the body scan lets it through)')
    .option('--dpo-email <email>', "data-protection officer's email")
    .option('--dpo-name <text>', "data-protection officer's name")
    .option('--cndp-receipt <text>', 'CNDP notification receipt number (MA)')
    .option(
      '--notice-purposes <text>',
      'what the data is used for, as every notice says it (NOT-1)',
    )
    .option('--notice-recipients <text>', 'who receives the data, as every notice says it (NOT-1)')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o) => {
      const s = await ctx.services();
      const input = Object.fromEntries(
        Object.entries({
          legalName: o.name,
          postalAddress: o.address,
          contactEmail: o.email,
          contactPhone: o.phone,
          dpoEmail: o.dpoEmail,
          dpoName: o.dpoName,
          cndpReceipt: o.cndpReceipt,
          noticePurposes: o.noticePurposes,
          noticeRecipients: o.noticeRecipients,
        }).filter(([, v]) => v !== undefined),
      );
      const updated = await updateOrganisation(s.db, { orgId: id, input, actor: 'cli' });
      ctx.print(!!o.json, updated, `updated organisation ${updated.id}`);
    });

  org
    .command('list')
    .description('list organisations')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const items = await listOrganisations(s.db);
      ctx.print(!!o.json, { items }, items.length ? items.map(describe) : 'no organisation yet');
    });

  org
    .command('show')
    .description('show one organisation')
    .argument('<id>', 'organisation id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o) => {
      const s = await ctx.services();
      const found = await getOrganisation(s.db, { orgId: id });
      ctx.print(!!o.json, found, [
        describe(found),
        `  address: ${found.postalAddress}`,
        `  contact: ${found.contactEmail}${found.contactPhone ? `, ${found.contactPhone}` : ''}`,
        `  DPO: ${found.dpoName ? `${found.dpoName} ` : ''}<${found.dpoEmail}>`,
      ]);
    });
}
