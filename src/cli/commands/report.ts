// REP-1: the DPO reads voters' reports of messages, each with its message's compliance record.
// The human lines say what and when (reference, channel, reason), never who; the voter's words and
// the record are in the JSON (--json), which only the DPO's tooling should read.
import type { Command } from 'commander';
import { listReports } from '../../domain/rights/reports.ts';
import type { CliContext } from '../context.ts';

export function reportCommand(program: Command, ctx: CliContext) {
  const report = program
    .command('report')
    .description("voters' reports of messages, with each message's compliance record (REP-1)");

  report
    .command('list')
    .description(
      'list the reports, newest first; --json adds the voter’s words and the compliance record',
    )
    .requiredOption('--org <id>', 'organisation')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const result = await listReports(s.db, {
        keys: s.keys,
        orgId: o.org,
        actor: 'cli',
        clock: s.clock,
        publicUrl: s.email.publicUrl,
      });
      ctx.print(
        !!o.json,
        result,
        result.items.length === 0
          ? 'no reports'
          : result.items.map((r) => {
              const record = r.record;
              const facts = record
                ? [
                    record.source ? `source ${record.source.type}` : 'source unknown',
                    record.objectedBefore === true
                      ? 'OBJECTED BEFORE THE SEND'
                      : record.objectedBefore === null
                        ? 'objection before the send unknown'
                        : 'no objection before the send',
                    record.contactHeld ? 'contact held' : 'contact no longer held',
                  ].join(', ')
                : 'message no longer held';
              return `${r.receivedAt}  ${r.id}  ${r.channel}  ${r.reason}  message ${r.ref}  (${facts})`;
            }),
      );
    });
}
