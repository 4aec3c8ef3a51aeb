// RIGHTS-1: the DPO answers a request in the queue, or extends its due date once, by up to two
// months (61 days), with a reason the person is told. An extension is for an open request, and
// only within its first month: the person must be told of it before the month runs out (GDPR
// art. 12(3)), so past the original due date the request can only be answered. Either way a reply is queued to the person's
// email or phone in the same transaction, naming the regulator and its complaint address.
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { rightsRequests, type RightsRequestStatus } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { parseInput, plainText, type Actor, type Clock } from '../validation.ts';
import { queueNotification } from './notifications.ts';
import { replyMail } from './request-mail.ts';
import { openRequestField, requestIdOf, requestNotFound } from './requests.ts';

/** Two months at most (GDPR art. 12(3)): 61 days. */
export const MAX_EXTENSION_DAYS = 61;

const answerSchema = z
  .object({
    note: plainText(5000),
    extendDays: z
      .number()
      .int('must be a whole number of days')
      .min(1, 'must be at least 1')
      .max(MAX_EXTENSION_DAYS, `must be at most ${MAX_EXTENSION_DAYS} (two months)`)
      .optional(),
  })
  .strict();

export async function answerRightsRequest(
  db: Db,
  options: {
    keys: KeyRing;
    clock: Clock;
    requestId: string;
    note: unknown;
    extendDays?: unknown;
    actor: Actor;
  },
): Promise<{ id: string; status: RightsRequestStatus; dueAt: string }> {
  const id = requestIdOf(options.requestId);
  const input = parseInput(answerSchema, {
    note: options.note,
    ...(options.extendDays !== undefined ? { extendDays: options.extendDays } : {}),
  });
  const now = options.clock();
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(rightsRequests)
      .where(eq(rightsRequests.id, id))
      .for('update');
    if (!row) throw requestNotFound(id);
    if (row.status !== 'open' && row.status !== 'extended')
      throw DomainError.keyed(
        'conflict',
        'rights.not_open',
        `this request is ${row.status}: only an open or extended request can be answered`,
        { status: row.status },
      );
    const extend = input.extendDays;
    if (extend !== undefined && row.extendedAt !== null)
      throw DomainError.keyed(
        'conflict',
        'rights.already_extended',
        'this request was already extended once: answer it (RIGHTS-1)',
      );
    if (extend !== undefined && row.status !== 'open')
      throw DomainError.keyed(
        'conflict',
        'rights.not_open',
        `this request is ${row.status}: only an open request can be extended`,
        { status: row.status },
      );
    if (extend !== undefined && now.getTime() > row.dueAt.getTime())
      throw DomainError.keyed(
        'conflict',
        'rights.extension_too_late',
        'the month to answer this request has passed: it can no longer be extended, answer it (RIGHTS-1, GDPR art. 12(3))',
        undefined,
        'RIGHTS-1',
      );
    const org = await getOrganisation(tx, { orgId: row.orgId });
    const keys = await options.keys.forOrg(tx, row.orgId);
    const to = openRequestField(keys, row, 'identifier', row.identifier);
    const status: RightsRequestStatus = extend !== undefined ? 'extended' : 'answered';
    const dueAt =
      extend !== undefined ? new Date(row.dueAt.getTime() + extend * 86_400_000) : row.dueAt;
    await tx
      .update(rightsRequests)
      .set(
        extend !== undefined
          ? { status, dueAt, extendedAt: now, extensionReason: input.note }
          : {
              status,
              answeredAt: now,
              answeredBy: options.actor,
              answerNote: input.note,
              outcome: 'replied',
            },
      )
      .where(eq(rightsRequests.id, id));
    if (to)
      await queueNotification(tx, {
        keys: options.keys,
        orgId: row.orgId,
        kind: 'rights_reply',
        channel: row.channel === 'email' ? 'email' : 'sms',
        mail: {
          to,
          ...replyMail(
            org,
            row,
            extend !== undefined
              ? { case: 'extended', dueAt, reason: input.note }
              : { case: 'answered', note: input.note },
            now,
          ),
        },
        now,
      });
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: extend !== undefined ? 'rights.extend' : 'rights.answer',
        orgId: row.orgId,
        entityType: 'rights_request',
        entityId: id,
        summary: { kind: row.kind, ...(extend !== undefined ? { days: extend } : {}) },
      },
      options.clock,
    );
    return { id, status, dueAt: dueAt.toISOString() };
  });
}
