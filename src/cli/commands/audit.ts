import type { Command } from 'commander';
import { createCheckpoint, type Checkpoint } from '../../domain/audit/checkpoint.ts';
import { listAuditEvents } from '../../domain/audit/list-audit.ts';
import { verifyAuditLog } from '../../domain/audit/verify-audit.ts';
import { DomainError } from '../../domain/errors.ts';
import type { CliContext } from '../context.ts';
import { readJsonFile } from '../read-json-file.ts';

export function auditCommand(program: Command, ctx: CliContext) {
  const audit = program.command('audit').description('the tamper-evident audit log (SEC-2)');

  audit
    .command('verify')
    .description('check the hash chain and the signed checkpoints; names the first bad event')
    .option(
      '--checkpoint <file.json>',
      'also check a checkpoint exported earlier (from `audit checkpoint`)',
    )
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const exported = o.checkpoint
        ? (readJsonFile(o.checkpoint, 'checkpoint') as Checkpoint)
        : undefined;
      const result = await verifyAuditLog(s.db, { key: s.auditKey, exported });
      if (!result.ok) {
        if (o.json) ctx.stdout(`${JSON.stringify(result)}\n`);
        throw DomainError.refused([
          {
            rule: 'SEC-2',
            key: 'audit.tampered',
            params: { seq: result.firstBad.seq },
            message: `the audit log was tampered with: event ${result.firstBad.seq}: ${result.firstBad.reason}`,
          },
        ]);
      }
      ctx.print(
        !!o.json,
        result,
        `audit log intact: ${result.events} events, ${result.checkpoints} checkpoints verified`,
      );
    });

  audit
    .command('checkpoint')
    .description('sign the head of the log and print the checkpoint (keep it somewhere else)')
    .option('--json', 'print one JSON object (the default output is JSON too)')
    .action(async () => {
      const s = await ctx.services();
      const checkpoint = await createCheckpoint(s.db, {
        key: s.auditKey,
        actor: 'cli',
        clock: s.clock,
      });
      ctx.print(true, checkpoint, '');
    });

  audit
    .command('list')
    .description('list events, newest first')
    .option('--org <id>', 'organisation')
    .option('--actor <actor>', "actor, e.g. cli or user:<id> (includes that user's tokens)")
    .option('--action <action>', 'action, e.g. source.create')
    .option('--entity <id>', 'entity id')
    .option('--refused', 'only refused attempts (policy.refuse events)')
    .option('--rule <id>', 'only refusals under this rule, e.g. SEG-2')
    .option('--since <time>', 'from (YYYY-MM-DD or ISO time)')
    .option('--until <time>', 'until (YYYY-MM-DD or ISO time)')
    .option('--limit <n>', 'at most this many (1-1000)', '100')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const items = await listAuditEvents(s.db, {
        orgId: o.org,
        actor: o.actor,
        action: o.action,
        entityId: o.entity,
        refused: o.refused,
        rule: o.rule,
        since: o.since,
        until: o.until,
        limit: Number(o.limit),
      });
      ctx.print(
        !!o.json,
        { items },
        items.length
          ? items.map(
              (e) =>
                `${e.seq ?? 'pending'}  ${e.at}  ${e.actor}  ${e.action}  ${e.entityType}${e.entityId ? ` ${e.entityId}` : ''}  ${JSON.stringify(e.summary)}`,
            )
          : 'no event',
      );
    });
}
