// RIGHTS-1: the DPO's queue of rights requests from the command line. `request answer` queues the
// reply to the person and sends the service mail that is due before it exits.
import type { Command } from 'commander';
import { sendServiceMail } from '../../dispatch/notification-sender.ts';
import { answerRightsRequest } from '../../domain/rights/answer-request.ts';
import { getRightsRequest, listRightsRequests } from '../../domain/rights/requests.ts';
import type { CliContext } from '../context.ts';

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : '-');

export function requestCommand(program: Command, ctx: CliContext) {
  const request = program
    .command('request')
    .description(
      'rights requests: access, rectification, erasure, restriction, objection (RIGHTS-1)',
    );

  request
    .command('list')
    .description('the requests by due date (confirmed ones unless --status says otherwise)')
    .requiredOption('--org <id>', 'organisation')
    .option('--status <status>', 'awaiting_code, locked, expired, open, extended or answered')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const result = await listRightsRequests(s.db, { orgId: o.org, status: o.status });
      ctx.print(
        !!o.json,
        result,
        result.items.length
          ? result.items.map(
              (r) =>
                `${r.id}  ${r.kind}  ${r.status}${r.extended ? ' (extended)' : ''}  received ${day(r.receivedAt)}  due ${day(r.dueAt)}  by ${r.channel}`,
            )
          : 'no requests',
      );
    });

  request
    .command('show')
    .description('one request, with what the person asked for (the reading is audited)')
    .argument('<id>', 'request id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o) => {
      const s = await ctx.services();
      const r = await getRightsRequest(s.db, {
        keys: s.keys,
        requestId: id,
        actor: 'cli',
        clock: s.clock,
      });
      ctx.print(!!o.json, r, [
        `${r.id}  ${r.kind}  ${r.status}${r.extended ? ' (extended)' : ''}`,
        `received ${r.receivedAt}, due ${r.dueAt}, by ${r.channel}`,
        `outcome: ${r.outcome ?? '-'}${r.answeredAt ? `, answered ${r.answeredAt}` : ''}`,
        `contacts matched: ${r.contactIds.length ? r.contactIds.join(', ') : 'none'}`,
        ...(r.messageRef ? [`from message ${r.messageRef}`] : []),
        ...(r.details ? ['asked for:', ...r.details.split('\n').map((l) => `  ${l}`)] : []),
        ...(r.extensionReason ? [`extension reason: ${r.extensionReason}`] : []),
        ...(r.answerNote ? [`answer: ${r.answerNote}`] : []),
      ]);
    });

  request
    .command('answer')
    .description(
      'answer a request (the note is sent to the person with the regulator), or extend it once with --extend-days',
    )
    .argument('<id>', 'request id')
    .requiredOption(
      '--note <text>',
      'the answer, or the reason for the extension, sent to the person',
    )
    .option('--extend-days <n>', 'push the due date by 1 to 61 days, once; the note is the reason')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o) => {
      const s = await ctx.services();
      const result = await answerRightsRequest(s.db, {
        keys: s.keys,
        clock: s.clock,
        requestId: id,
        note: o.note,
        ...(o.extendDays !== undefined ? { extendDays: Number(o.extendDays) } : {}),
        actor: 'cli',
      });
      // The reply leaves now, not at the server's next pass (RIGHTS-1).
      const mail = await sendServiceMail(s);
      ctx.print(
        !!o.json,
        { ...result, mail },
        `${result.status === 'extended' ? 'extended' : 'answered'}: due ${day(result.dueAt)}; service mail sent ${mail.sent}, waiting ${mail.waiting + mail.retrying}`,
      );
    });
}
