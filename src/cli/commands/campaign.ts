import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { createDispatcher } from '../../dispatch/create-dispatcher.ts';
import { DomainError } from '../../domain/errors.ts';
import { getOrganisation } from '../../domain/organisations/organisations.ts';
import {
  campaignStatus,
  createCampaign,
  moveCampaign,
  resendUnknown,
  type CampaignStatus,
} from '../../domain/outreach/campaigns.ts';
import { planCampaign, type Plan } from '../../domain/outreach/plan-campaign.ts';
import type { CliContext } from '../context.ts';
import { UsageError } from '../errors.ts';

const collect = (value: string, previous: string[] = []) => [...previous, value];

function readFile(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${what} ${file}: ${(error as Error).message}`);
  }
}

const describeStatus = (st: CampaignStatus) =>
  `${st.id}  ${st.state}  ` +
  Object.entries(st.counts)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');

/** What a campaign done with unknown messages tells the operator (stderr). */
const unknownAdvice = (st: CampaignStatus) => {
  const n = st.counts.unknown;
  return (
    `campaign ${st.id} is done with ${n} message${n === 1 ? '' : 's'} whose outcome is unknown ` +
    `(${n === 1 ? 'it' : 'they'} may or may not have reached the server); to send ${n === 1 ? 'it' : 'them'} again, ` +
    `accepting that a second copy is possible: isoloir campaign resend-unknown ${st.id}`
  );
};

const describePlan = (p: Plan) => [
  `campaign ${p.campaignId}: ${p.state}, ${p.recipients} recipients`,
  `  excluded: no address ${p.exclusions.no_address}, no consent ${p.exclusions.no_consent}, objected ${p.exclusions.objected}, no known source ${p.exclusions.no_source}`,
  ...p.violations.map((v) => `  ${v.rule}: ${v.message}`),
];

export function campaignCommand(program: Command, ctx: CliContext) {
  const campaign = program.command('campaign').description('email campaigns');

  campaign
    .command('create')
    .description('create a draft email campaign to a saved segment')
    .requiredOption('--org <id>', 'organisation')
    .requiredOption('--segment <id>', 'saved segment')
    .requiredOption('--subject <text>', 'subject; merge fields {{firstName}}, {{lastName}}')
    .requiredOption('--body-file <file>', 'body: Markdown, or HTML when the file ends in .html')
    .requiredOption('--from <email>', 'sender address')
    .option('--from-name <name>', "sender name (default: the organisation's legal name)")
    .option('--election <id>', 'the election it is tied to (CAL-1 silence)')
    .option(
      '--attach <file>',
      'an attachment, repeatable (scanned for personal data, SEC-3)',
      collect,
    )
    .option('--schedule <time>', 'send no earlier than this ISO time')
    .option('--rate <n>', 'at most n messages per minute for this sender')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const body = readFile(o.bodyFile, 'body file').toString('utf8');
      const attachments = ((o.attach as string[] | undefined) ?? []).map((file) => ({
        fileName: path.basename(file),
        content: readFile(file, 'attachment'),
      }));
      if (o.rate !== undefined && !/^\d+$/.test(o.rate))
        throw new UsageError('--rate: must be a whole number');
      const s = await ctx.services();
      const org = await getOrganisation(s.db, { orgId: o.org });
      const created = await createCampaign(s.db, {
        orgId: org.id,
        input: {
          segmentId: o.segment,
          subject: o.subject,
          body,
          bodyFormat: /\.html?$/i.test(o.bodyFile) ? 'html' : 'markdown',
          fromEmail: o.from,
          fromName: o.fromName ?? org.legalName,
          ...(o.election ? { electionId: o.election } : {}),
          ...(o.schedule ? { scheduledAt: o.schedule } : {}),
          ...(o.rate !== undefined ? { ratePerMinute: Number(o.rate) } : {}),
        },
        attachments,
        actor: 'cli',
        clock: s.clock,
      });
      ctx.print(!!o.json, created, `created campaign ${created.id} (draft)`);
    });

  campaign
    .command('plan')
    .description('run every rule and list the recipients; exit 3 when a rule blocks it')
    .argument('<id>', 'campaign id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o) => {
      const s = await ctx.services();
      const plan = await planCampaign(s.db, { campaignId: id, actor: 'cli', clock: s.clock });
      ctx.print(!!o.json, plan, describePlan(plan));
      // The plan is printed either way; the first blocking rule also goes to stderr, exit 3.
      if (plan.violations.length) throw DomainError.refused(plan.violations);
    });

  campaign
    .command('send')
    .description('start sending a planned campaign; --wait sends it from this process until done')
    .argument('<id>', 'campaign id')
    .option('--wait', 'run the send engine here until the campaign is done, paused or cancelled')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o) => {
      const s = await ctx.services();
      const current = await campaignStatus(s.db, { campaignId: id });
      // With --wait, a campaign already sending (after a crash, say) is picked up where it was.
      if (!(o.wait && current.state === 'sending'))
        await moveCampaign(s.db, { campaignId: id, move: 'send', actor: 'cli', clock: s.clock });
      if (o.wait) {
        const dispatcher = createDispatcher(s);
        try {
          for (;;) {
            if (ctx.signal.aborted) break;
            const handled = await dispatcher.runOnce();
            const st = await campaignStatus(s.db, { campaignId: id });
            if (st.state !== 'sending') break;
            if (handled === 0) await new Promise((r) => setTimeout(r, 200));
          }
        } finally {
          await dispatcher.close();
        }
      }
      const status = await campaignStatus(s.db, { campaignId: id });
      ctx.print(!!o.json, status, describeStatus(status));
      // Done, but some messages may or may not have reached the server: say so, and what to do.
      if (status.state === 'done_with_unknown') ctx.stderr(`${unknownAdvice(status)}\n`);
    });

  for (const move of ['pause', 'resume', 'cancel'] as const)
    campaign
      .command(move)
      .description(`${move} a campaign`)
      .argument('<id>', 'campaign id')
      .option('--json', 'print one JSON object')
      .action(async (id: string, o) => {
        const s = await ctx.services();
        await moveCampaign(s.db, { campaignId: id, move, actor: 'cli', clock: s.clock });
        const status = await campaignStatus(s.db, { campaignId: id });
        ctx.print(!!o.json, status, describeStatus(status));
      });

  campaign
    .command('resend-unknown')
    .description(
      'queue again the messages of a done_with_unknown campaign whose outcome is unknown (a second copy is possible)',
    )
    .argument('<id>', 'campaign id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o) => {
      const s = await ctx.services();
      const r = await resendUnknown(s.db, { campaignId: id, actor: 'cli', clock: s.clock });
      ctx.print(
        !!o.json,
        r,
        `campaign ${r.id}: ${r.requeued} message${r.requeued === 1 ? '' : 's'} with an unknown outcome queued again (${r.state}); ` +
          'a recipient whose first message did reach the server will get a second copy; objections are checked again at send time',
      );
    });

  campaign
    .command('status')
    .description('state and counts of messages by state')
    .argument('<id>', 'campaign id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o) => {
      const s = await ctx.services();
      const status = await campaignStatus(s.db, { campaignId: id });
      ctx.print(!!o.json, status, describeStatus(status));
      if (status.state === 'done_with_unknown') ctx.stderr(`${unknownAdvice(status)}\n`);
    });
}
