import type { Command } from 'commander';
import { recordObjection } from '../../domain/objections/objections.ts';
import type { CliContext } from '../context.ts';

export function objectionCommand(program: Command, ctx: CliContext) {
  const objection = program
    .command('objection')
    .description('objections received by letter, reply or phone (OPT-1)');

  objection
    .command('record')
    .description(
      'record an objection: the person is suppressed (hashes only), every channel withdrawn, across all campaigns',
    )
    .requiredOption('--org <id>', 'organisation')
    .option('--email <email>', 'the email address that objects')
    .option(
      '--phone <number>',
      'the phone number that objects, read as imports read numbers (0612345678, 0639401234, +262639401234)',
    )
    .option('--contact <id>', 'a contact id')
    .option(
      '--method <method>',
      'how it arrived: letter, email_reply, phone_call, staff...',
      'staff',
    )
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const result = await recordObjection(s.db, {
        keys: s.keys,
        orgId: o.org,
        input: {
          method: o.method,
          ...(o.email !== undefined ? { email: o.email } : {}),
          ...(o.phone !== undefined ? { phone: o.phone } : {}),
          ...(o.contact !== undefined ? { contactId: o.contact } : {}),
        },
        actor: 'cli',
        clock: s.clock,
      });
      ctx.print(
        !!o.json,
        result,
        result.alreadyRecorded
          ? 'objection already recorded: nothing changed'
          : `objection recorded: ${result.contacts - result.erased} contact(s) withdrawn on ${result.channels.join(', ')}, ${result.erased} prospect(s) erased (OPT-3); identifiers suppressed`,
      );
    });
}
