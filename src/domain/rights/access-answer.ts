// RIGHTS-1 (GDPR art. 15): the answer to an access request, given at once once the code is
// confirmed, as one JSON document (the page shows it, the person downloads it): every field held
// about each matched contact, every source with the day it was obtained (in the words the notices
// use, never the staff's label), the consent ledger's entries, the messages sent with their
// campaign's subject, and until when the data is kept (RET-2).
import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { campaigns, consentEntries, contacts, outbox } from '../../db/schema/index.ts';
import { packFor, type SourceTypeName } from '../../policy/packs.ts';
import { retentionEnd } from '../../policy/retention.ts';
import { openIdentity, type ContactIdentity } from '../contacts/identity.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { noticeLanguage, sourceInPublicWords } from '../outreach/notice-words.ts';
import { isoDate } from '../validation.ts';

export type AccessAnswer = {
  organisation: { name: string; contact: string; dpo: string };
  generatedAt: string;
  contacts: {
    contactId: string;
    identity: ContactIdentity;
    attributes: Record<string, string | number>;
    sources: { type: string; description: string; obtainedOn: string; recordedAt: string }[];
    consent: {
      channel: string;
      purpose: string;
      action: string;
      wording: string | null;
      method: string;
      occurredAt: string;
    }[];
    messages: {
      ref: string;
      channel: string;
      campaign: string;
      state: string;
      sentAt: string | null;
    }[];
    retainedUntil: string | null;
    retention?: string;
  }[];
};

const ATTRIBUTES = [
  'birthYear',
  'sex',
  'communeCode',
  'postalCode',
  'pollingStation',
  'csp',
] as const;

export async function accessAnswer(
  db: Db,
  options: { keys: KeyRing; orgId: string; contactIds: readonly string[]; now: Date },
): Promise<AccessAnswer> {
  const org = await getOrganisation(db, { orgId: options.orgId });
  const lang = noticeLanguage(org.jurisdiction);
  const pack = packFor(org.jurisdiction);
  const keys = await options.keys.forOrg(db, org.id);
  const ids = [...options.contactIds];
  const rows = ids.length
    ? await db.select().from(contacts).where(inArray(contacts.id, ids)).orderBy(asc(contacts.id))
    : [];
  const mine = rows.filter((r) => r.orgId === org.id);
  const out: AccessAnswer['contacts'] = [];
  for (const row of mine) {
    const sources = (await db.execute(sql`
      select s.type, s.obtained_on::text as obtained_on, s.public_description, p.recorded_at,
        (select max(r.vote_date)::text from election_rounds r where r.election_id = s.election_id) as last_round
      from contact_provenance p join data_sources s on s.id = p.source_id
      where p.contact_id = ${row.id} order by p.id`)) as unknown as {
      rows: {
        type: SourceTypeName;
        obtained_on: string;
        public_description: string | null;
        recorded_at: Date | string;
        last_round: string | null;
      }[];
    };
    const consent = await db
      .select()
      .from(consentEntries)
      .where(eq(consentEntries.contactId, row.id))
      .orderBy(asc(consentEntries.id));
    const messages = await db
      .select({
        ref: outbox.messageRef,
        channel: outbox.channel,
        campaign: campaigns.subject,
        state: outbox.state,
        sentAt: outbox.sentAt,
      })
      .from(outbox)
      .innerJoin(campaigns, eq(campaigns.id, outbox.campaignId))
      .where(eq(outbox.contactId, row.id))
      .orderBy(asc(outbox.id));
    const attributes: Record<string, string | number> = {};
    for (const a of ATTRIBUTES) if (row[a] !== null) attributes[a] = row[a];
    out.push({
      contactId: row.id,
      identity: openIdentity(keys, org.id, row.id, row.identity),
      attributes,
      sources: sources.rows.map((s) => ({
        type: s.type,
        description: sourceInPublicWords(lang, {
          type: s.type,
          obtainedOn: s.obtained_on,
          publicDescription: s.public_description,
        }),
        obtainedOn: s.obtained_on,
        recordedAt: new Date(s.recorded_at).toISOString(),
      })),
      consent: consent.map((e) => ({
        channel: e.channel,
        purpose: e.purpose,
        action: e.action,
        wording: e.wording,
        method: e.method,
        occurredAt: e.occurredAt.toISOString(),
      })),
      messages: messages.map((m) => ({ ...m, sentAt: m.sentAt?.toISOString() ?? null })),
      ...retention(
        lang,
        pack,
        sources.rows.map((s) => ({ sourceType: s.type, lastRound: s.last_round })),
        row.firstMessageAt,
      ),
    });
  }
  return {
    organisation: {
      name: org.legalName,
      contact: `${org.contactEmail}, ${org.postalAddress}`,
      dpo: org.dpoName ? `${org.dpoName} (${org.dpoEmail})` : org.dpoEmail,
    },
    generatedAt: options.now.toISOString(),
    contacts: out,
  };
}

/**
 * Until when this contact's data is kept: the latest end among its sources (RET-2); while the
 * relationship lasts for a member or supporter; for the campaign when an end is not known yet.
 */
function retention(
  lang: 'fr' | 'en',
  pack: ReturnType<typeof packFor>,
  sources: { sourceType: SourceTypeName; lastRound: string | null }[],
  firstMessageAt: Date | null,
): { retainedUntil: string | null; retention?: string } {
  const ends = sources.map((s) =>
    retentionEnd(pack, {
      sourceType: s.sourceType,
      ...(s.lastRound ? { lastRound: s.lastRound } : {}),
      ...(firstMessageAt ? { firstMessage: isoDate(firstMessageAt) } : {}),
    }),
  );
  if (ends.some((e) => e.until === 'end_of_relationship'))
    return {
      retainedUntil: null,
      retention:
        lang === 'fr'
          ? 'tant que dure notre relation (adhésion ou soutien), puis effacées'
          : 'while our relationship lasts (membership or support), then erased',
    };
  const dates = ends.flatMap((e) => (e.until !== 'unknown' ? [e.until] : []));
  if (dates.length === ends.length && dates.length > 0)
    return { retainedUntil: dates.sort().at(-1)! };
  return {
    retainedUntil: null,
    retention:
      lang === 'fr'
        ? 'pour la durée de la campagne, dans les délais de conservation de chaque source'
        : 'for the campaign, within each source’s retention period',
  };
}
