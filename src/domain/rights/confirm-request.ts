// RIGHTS-1: confirming a request's one-time code. A wrong code says how many attempts remain and
// the fifth locks the request; an expired or used code does nothing. Once confirmed, the request
// is matched to the contacts holding its email or phone (blind index) and, by kind:
// - access: answered at once with the access answer (access-answer.ts), audited;
// - erasure, objection: applied at once when every matched contact is a prospect (OPT-3: erased,
//   only the suppression hashes stay); when a member or supporter is among them, the prospects
//   are still erased at once and only the member part goes to the DPO's queue, since membership
//   is another purpose (an objection still stops every message at once, OPT-1/OPT-2, through the
//   same path as any objection). The request keeps only the ids of contacts that still exist:
//   never an erased contact's id next to an objection (OPT-3);
// - rectification, restriction: to the DPO's queue with what the person asked for;
// - nothing held: answered, "we hold nothing".
// The person gets a reply naming the regulator; the DPO an alert for what lands in the queue.
import { eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { contacts, rightsRequests, type RightsRequestStatus } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { findContactIds } from '../contacts/contacts.ts';
import { openIdentity } from '../contacts/identity.ts';
import { DomainError } from '../errors.ts';
import { recordObjection } from '../objections/objections.ts';
import { eraseContacts, prospectsAmong } from '../objections/erase-prospects.ts';
import { suppressIdentity } from '../objections/suppression.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { formatDate, noticeLanguage } from '../outreach/notice-words.ts';
import { isoDate, type Clock } from '../validation.ts';
import { accessAnswer, type AccessAnswer } from './access-answer.ts';
import { codeMatches, MAX_CODE_FAILURES } from './codes.ts';
import { notifyDpo, queueNotification } from './notifications.ts';
import { replyMail, type ReplyCase } from './request-mail.ts';
import { openRequestField, requestIdOf, requestNotFound } from './requests.ts';

export type ConfirmResult = { status: RightsRequestStatus; dueAt: string; data?: AccessAnswer };

const locked = () =>
  DomainError.keyed(
    'conflict',
    'rights.request_locked',
    'this request is locked after five wrong codes: make a new request (RIGHTS-1)',
  );
const expired = () =>
  DomainError.keyed(
    'conflict',
    'rights.code_expired',
    'this code has expired (30 minutes): make a new request (RIGHTS-1)',
  );

export async function confirmRightsRequest(
  db: Db,
  options: { keys: KeyRing; clock: Clock; requestId: string; code: unknown },
): Promise<ConfirmResult> {
  const id = requestIdOf(options.requestId);
  const code = z
    .string()
    .trim()
    .regex(/^\d{6}$/)
    .safeParse(options.code);
  if (!code.success)
    throw DomainError.keyed('invalid', 'rights.code_format', 'code: must be the six digits sent');
  const now = options.clock();
  // Failures are committed before they are reported: the count survives the error.
  const result = await db.transaction(
    async (tx): Promise<ConfirmResult | { error: DomainError }> => {
      const [row] = await tx
        .select()
        .from(rightsRequests)
        .where(eq(rightsRequests.id, id))
        .for('update');
      if (!row) return { error: requestNotFound(id) };
      const keys = await options.keys.forOrg(tx, row.orgId);
      if (row.status === 'locked') return { error: locked() };
      if (row.status === 'expired') return { error: expired() };
      if (row.status !== 'awaiting_code' || !row.codeHash)
        return {
          error: DomainError.keyed(
            'conflict',
            'rights.code_used',
            'this request was already confirmed: a code works once (RIGHTS-1)',
          ),
        };
      if (!row.codeExpiresAt || row.codeExpiresAt <= now) {
        await tx
          .update(rightsRequests)
          .set({ status: 'expired', codeHash: null })
          .where(eq(rightsRequests.id, id));
        return { error: expired() };
      }
      if (!codeMatches(keys, id, code.data, row.codeHash)) {
        const failures = row.codeFailures + 1;
        if (failures >= MAX_CODE_FAILURES) {
          await tx
            .update(rightsRequests)
            .set({ status: 'locked', codeHash: null, codeFailures: failures })
            .where(eq(rightsRequests.id, id));
          return { error: locked() };
        }
        await tx
          .update(rightsRequests)
          .set({ codeFailures: failures })
          .where(eq(rightsRequests.id, id));
        const remaining = MAX_CODE_FAILURES - failures;
        return {
          error: DomainError.keyed(
            'invalid',
            'rights.code_wrong',
            `wrong code: ${remaining} attempt(s) left (RIGHTS-1)`,
            { remaining },
          ),
        };
      }

      const org = await getOrganisation(tx, { orgId: row.orgId });
      const identifier = openRequestField(keys, row, 'identifier', row.identifier)!;
      const by = row.channel === 'email' ? { email: identifier } : { phone: identifier };
      const ids = await findContactIds(tx, { keys: options.keys, orgId: org.id, ...by });
      const actor = `rights-request:${id}`;
      let status: RightsRequestStatus = 'answered';
      let outcome: string;
      let data: AccessAnswer | undefined;
      let keptIds: string[] = ids;
      if (row.kind === 'access') {
        data = await accessAnswer(tx, { keys: options.keys, orgId: org.id, contactIds: ids, now });
        outcome = 'access_given';
        await recordAudit(
          tx,
          {
            actor,
            action: 'rights.access',
            orgId: org.id,
            entityType: 'rights_request',
            entityId: id,
            summary: { contacts: data.contacts.length, channel: row.channel },
          },
          options.clock,
        );
      } else if (ids.length === 0) {
        outcome = 'nothing_held';
      } else if (row.kind === 'erasure' || row.kind === 'objection') {
        const prospects = await prospectsAmong(tx, ids);
        const allProspects = prospects.length === ids.length;
        if (allProspects || row.kind === 'objection')
          // An objection takes effect at once for everyone (OPT-1/OPT-2): prospects erased,
          // members and supporters withdrawn on every channel.
          await recordObjection(tx, {
            keys: options.keys,
            orgId: org.id,
            input: { ...by, method: 'web_form' },
            actor,
            clock: options.clock,
          });
        else await eraseProspects(tx, { keys: options.keys, orgId: org.id, ids: prospects, now });
        // Erased people leave no trace here either: only the contacts still held are kept.
        keptIds = await stillHeld(tx, ids);
        if (allProspects) {
          outcome = row.kind === 'erasure' ? 'erased' : 'objected';
        } else {
          status = 'open';
          outcome = 'queued';
        }
      } else {
        status = 'open';
        outcome = 'queued';
      }
      // A member's objection stopped every message at once: the reply says so, the DPO answers
      // about the rest (the membership) by the due date.
      const reply: ReplyCase =
        status === 'open'
          ? { case: row.kind === 'objection' ? 'objection_queued' : 'queued', dueAt: row.dueAt }
          : { case: outcome as 'access_given' | 'erased' | 'objected' | 'nothing_held' };
      await queueNotification(tx, {
        keys: options.keys,
        orgId: org.id,
        kind: 'rights_reply',
        channel: row.channel === 'email' ? 'email' : 'sms',
        mail: { to: identifier, ...replyMail(org, row, reply, now) },
        now,
      });
      await tx
        .update(rightsRequests)
        .set({
          status,
          outcome,
          codeHash: null,
          confirmedAt: now,
          contactIds: keptIds,
          ...(status === 'answered' ? { answeredAt: now, answeredBy: actor } : {}),
          ...(keptIds.length === 0 && ids.length > 0 ? { identifier: Buffer.alloc(0) } : {}),
        })
        .where(eq(rightsRequests.id, id));
      await recordAudit(
        tx,
        {
          actor,
          action: 'rights.request',
          orgId: org.id,
          entityType: 'rights_request',
          entityId: id,
          summary: {
            op: 'confirm',
            kind: row.kind,
            outcome,
            contacts: ids.length,
            erased: ids.length - keptIds.length,
          },
        },
        options.clock,
      );
      if (status === 'open') {
        const lang = noticeLanguage(org.jurisdiction);
        const due = formatDate(lang, isoDate(row.dueAt));
        await notifyDpo(tx, {
          keys: options.keys,
          orgId: org.id,
          now,
          ...(lang === 'fr'
            ? {
                subject: `Nouvelle demande d’exercice de droits (${row.kind}), à traiter avant le ${due}`,
                text: `Une demande (${row.kind}) a été confirmée le ${formatDate(lang, isoDate(now))}. Réponse due le ${due} (RGPD, art. 12). Elle vous attend dans l’espace « Demandes » d’Isoloir (${id}).`,
              }
            : {
                subject: `New rights request (${row.kind}), due by ${due}`,
                text: `A request (${row.kind}) was confirmed on ${formatDate(lang, isoDate(now))}. Its answer is due by ${due} (GDPR art. 12). It waits in Isoloir's Requests page (${id}).`,
              }),
        });
      }
      return { status, dueAt: row.dueAt.toISOString(), ...(data ? { data } : {}) };
    },
  );
  if ('error' in result) throw result.error;
  return result;
}

/**
 * OPT-3: the prospects among a person's contacts are erased at once, as an objection erases them
 * (objections.ts): each one's identifiers join the suppression list, then the contacts go.
 */
async function eraseProspects(
  tx: Db,
  options: { keys: KeyRing; orgId: string; ids: readonly string[]; now: Date },
): Promise<void> {
  if (options.ids.length === 0) return;
  const keys = await options.keys.forOrg(tx, options.orgId);
  const rows = await tx
    .select({
      id: contacts.id,
      identity: contacts.identity,
      postalCode: contacts.postalCode,
    })
    .from(contacts)
    .where(inArray(contacts.id, [...options.ids]))
    .orderBy(contacts.id)
    .for('update');
  for (const row of rows)
    await suppressIdentity(tx, {
      keys,
      orgId: options.orgId,
      identity: openIdentity(keys, options.orgId, row.id, row.identity),
      place: { postalCode: row.postalCode },
    });
  await eraseContacts(tx, { orgId: options.orgId, ids: options.ids, now: options.now });
}

/** Of these contacts, those that still exist (in the given order). */
async function stillHeld(tx: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await tx
    .select({ id: contacts.id })
    .from(contacts)
    .where(inArray(contacts.id, [...ids]));
  const held = new Set(rows.map((r) => r.id));
  return ids.filter((id) => held.has(id));
}
