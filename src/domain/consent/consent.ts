// CH-CONSENT: the consent ledger. Entries are only ever appended (the database refuses updates);
// the current state of a channel and purpose is its latest entry, so a withdrawal takes effect
// the moment it is recorded.
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { CHANNELS, CONSENT_METHODS, consentEntries, contacts } from '../../db/schema/index.ts';
import { namesPoliticalMessages } from '../../policy/sources.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { DomainError } from '../errors.ts';
import { getSource } from '../sources/sources.ts';
import { parseInput, plainText, type Actor, type Clock } from '../validation.ts';

export type ConsentEntry = typeof consentEntries.$inferSelect;

export const DEFAULT_PURPOSE = 'political_communication';

const entrySchema = z.object({
  channel: z.enum(CHANNELS, { message: `must be one of ${CHANNELS.join(', ')}` }),
  purpose: z
    .string()
    .regex(/^[a-z][a-z_]{2,59}$/, 'must be a purpose name in lower_snake_case')
    .default(DEFAULT_PURPOSE),
  action: z.enum(['granted', 'withdrawn']),
  wording: plainText(5000).optional(),
  method: z.enum(CONSENT_METHODS, { message: `must be one of ${CONSENT_METHODS.join(', ')}` }),
  place: plainText(500).optional(),
  evidence: plainText(500).optional(),
  sourceId: z.uuid().optional(),
  occurredAt: z.coerce.date().optional(),
});

export async function recordConsent(
  db: Db,
  options: { orgId: string; contactId: string; entry: unknown; actor: Actor; clock: Clock },
): Promise<ConsentEntry> {
  const entry = parseInput(entrySchema, options.entry);
  if (entry.action === 'granted') {
    if (!entry.wording) {
      throw DomainError.refused([
        {
          rule: 'CH-CONSENT',
          key: 'consent.wording_required',
          message: 'a consent must keep the exact wording the person agreed to',
        },
      ]);
    }
    if (!entry.place || !entry.evidence) {
      throw DomainError.refused([
        {
          rule: 'CH-CONSENT',
          key: 'consent.place_evidence_required',
          message:
            'a consent must say where it was given (place: form, canvasser, file) and keep its evidence (evidence: a reference to the proof)',
        },
      ]);
    }
    if (
      (entry.channel === 'email' || entry.channel === 'sms') &&
      !namesPoliticalMessages(entry.wording)
    ) {
      throw DomainError.refused([
        {
          rule: 'CH-CONSENT',
          key: 'consent.not_political',
          params: { channel: entry.channel },
          message: `consent to ${entry.channel} must name political messages; consent to other messages does not cover them`,
        },
      ]);
    }
  }
  const now = options.clock();
  if (entry.occurredAt && entry.occurredAt.getTime() > now.getTime() + 60_000) {
    throw DomainError.keyed('invalid', 'consent.in_future', 'occurredAt: cannot be in the future');
  }
  const [contact] = await db
    .select({
      id: contacts.id,
      email: contacts.emailIndex,
      phone: contacts.phoneIndex,
      hasAddress: contacts.hasAddress,
    })
    .from(contacts)
    .where(and(eq(contacts.id, options.contactId), eq(contacts.orgId, options.orgId)));
  if (!contact)
    throw DomainError.keyed(
      'not_found',
      'contact.not_found',
      `contact ${options.contactId} does not exist in this organisation`,
      { id: options.contactId },
    );
  // SRC-3: a consent is given for an address or number; with none on the contact, it would
  // attach to whichever one a later import brings.
  const holds = {
    email: contact.email,
    sms: contact.phone,
    phone: contact.phone,
    post: contact.hasAddress,
  };
  if (entry.action === 'granted' && !holds[entry.channel])
    throw DomainError.refused([
      {
        rule: 'SRC-3',
        key: 'consent.no_address_for_channel',
        params: { channel: entry.channel },
        message: `a consent to ${entry.channel} is for the contact's ${entry.channel === 'email' ? 'email address' : entry.channel === 'post' ? 'postal address' : 'phone number'}, and this contact has none: add it first`,
      },
    ]);
  if (entry.sourceId) await getSource(db, { sourceId: entry.sourceId, orgId: options.orgId });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(consentEntries)
      .values({
        orgId: options.orgId,
        contactId: contact.id,
        channel: entry.channel,
        purpose: entry.purpose,
        action: entry.action,
        wording: entry.wording ?? null,
        method: entry.method,
        place: entry.place ?? null,
        evidence: entry.evidence ?? null,
        sourceId: entry.sourceId ?? null,
        occurredAt: entry.occurredAt ?? now,
        recordedAt: now,
        recordedBy: options.actor,
      })
      .returning();
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: 'consent.record',
        orgId: options.orgId,
        entityType: 'contact',
        entityId: contact.id,
        summary: { channel: entry.channel, action: entry.action, method: entry.method },
      },
      options.clock,
    );
    return row!;
  });
}

/**
 * Whether consent stands now for one channel and purpose: the latest entry decides, by when it
 * happened (a grant recorded late but dated before a withdrawal does not undo the withdrawal).
 */
export async function consentStatus(
  db: Db,
  options: { contactId: string; channel: (typeof CHANNELS)[number]; purpose?: string },
): Promise<{ granted: boolean; entry: ConsentEntry | undefined }> {
  const [latest] = await db
    .select()
    .from(consentEntries)
    .where(
      and(
        eq(consentEntries.contactId, options.contactId),
        eq(consentEntries.channel, options.channel),
        eq(consentEntries.purpose, options.purpose ?? DEFAULT_PURPOSE),
      ),
    )
    .orderBy(desc(consentEntries.occurredAt), desc(consentEntries.id))
    .limit(1);
  return { granted: latest?.action === 'granted', entry: latest };
}

export async function consentHistory(
  db: Db,
  options: { contactId: string },
): Promise<ConsentEntry[]> {
  return db
    .select()
    .from(consentEntries)
    .where(eq(consentEntries.contactId, options.contactId))
    .orderBy(consentEntries.id);
}
