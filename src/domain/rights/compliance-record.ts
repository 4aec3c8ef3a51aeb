// REP-1: a message's compliance record, what a DPO needs to judge a report about it: the message
// (reference, channel, state, when sent), its campaign (who created, planned and sent it, and when:
// the audit log's campaign.plan and campaign.send events), the segment's filter as planned, the
// source the notice named and how it was declared (a purchased file's attestation, a sign-up's
// collection), the consent ledger's entries for that channel, the silence windows of the
// organisation's elections (CAL-1), the notice as it read (regenerated from the message's facts:
// notices are not stored; its unsubscribe link left out, a credential), and whether the person had
// objected before the message went out (the ledger: a withdrawal on that channel dated before the
// send; or the suppression list: one of the person's hashes listed before the send, an objection
// given through another record or channel, OPT-1; unknowable once the contact is erased). No
// identifier of the person: the DPO finds them through the contact search if needed.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import {
  auditEvents,
  campaigns,
  consentEntries,
  contacts,
  dataSources,
  electionRounds,
  outbox,
  suppressions,
  type Attestation,
  type Collection,
} from '../../db/schema/index.ts';
import { silenceWindow } from '../../policy/calendar.ts';
import { type Channel, type SourceTypeName } from '../../policy/packs.ts';
import { OVERSEAS_TIME_ZONES, timeZoneOf } from '../../policy/time-zones.ts';
import { identifierSource } from '../contacts/reachability.ts';
import { DEFAULT_PURPOSE } from '../consent/consent.ts';
import { DomainError } from '../errors.ts';
import { openIdentity } from '../contacts/identity.ts';
import { suppressionHashes } from '../objections/suppression.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { noticeText, type RecipientProvenance } from '../outreach/notice.ts';
import { silenceCalendar } from '../outreach/silence.ts';

export type ComplianceRecord = {
  message: { ref: string; channel: string; state: string; sentAt: string | null };
  campaign: {
    id: string;
    subject: string;
    state: string;
    createdBy: string;
    createdAt: string;
    plannedBy: string | null;
    plannedAt: string | null;
    sentBy: string | null;
    sentAt: string | null;
  } | null;
  /** The segment's filter as planned (campaigns.filter): what was checked is what was sent. */
  segmentFilter: unknown;
  /** The source the notice named (outbox.source_id, else the contact's for that channel). */
  source: {
    id: string;
    type: string;
    label: string;
    obtainedOn: string;
    /** SRC-3: a purchased file's attestation of consent. */
    attestation: Attestation | null;
    /** SRC-4: for data collected directly (sign-ups, door to door), where and with which notice. */
    collection: Collection | null;
    publicDescription: string | null;
  } | null;
  /** That channel's consent ledger entries of the contact, oldest first (none once erased). */
  consent: {
    action: string;
    purpose: string;
    wording: string | null;
    method: string;
    occurredAt: string;
    recordedAt: string;
    recordedBy: string;
  }[];
  /** The silence windows (CAL-1) of the organisation's elections, in the recipient's time zone. */
  silence: {
    electionId: string;
    electionName: string;
    voteDate: string;
    timeZone: string;
    from: string;
    to: string;
    /** The message was sent inside this window. */
    sentDuring: boolean;
  }[];
  /**
   * The notice as it read for this message, its unsubscribe link replaced by
   * `<unsubscribe link>`; null when no source is known (none could be written).
   */
  notice: string | null;
  /** Always true: notices are not stored, this one is written again from the message's facts. */
  noticeRegenerated: true;
  /**
   * The person had objected when the message left: the channel's latest ledger entry dated before
   * the send is a withdrawal, or one of the person's suppression hashes (their current identity
   * and postal code) was listed before the send (OPT-1); null when unknowable (the contact
   * erased, or the message not sent).
   */
  objectedBefore: boolean | null;
  /** The contact is still held (false once erased, e.g. after an objection, OPT-3). */
  contactHeld: boolean;
  /** The recipient objected and was erased (outbox.recipient_objected). */
  recipientObjected: boolean;
};

type Rows<T> = { rows: T[] };
const iso = (d: Date | string | null | undefined) => (d == null ? null : new Date(d).toISOString());

// National elections: these zones vote on the Saturday before the metropolitan Sunday (as
// outreach/silence.ts computes it).
const SATURDAY_VOTE_ZONES = new Set(
  ['971', '972', '973', '975', '977', '978', '987'].map((code) => OVERSEAS_TIME_ZONES[code]),
);

/** What stands for the unsubscribe link in a regenerated notice (the link is a credential). */
export const UNSUBSCRIBE_PLACEHOLDER = '<unsubscribe link>';
/** The message's page (`/m/<ref>`) in the regenerated notice, for the same reason. */
export const MESSAGE_PAGE_PLACEHOLDER = '<message page>';

const NOT_FOUND = () =>
  DomainError.keyed('not_found', 'message.not_found', 'no message has this reference', {}, 'REP-1');

/**
 * The record of one message of `orgId`, by its outbox id or its reference. `publicUrl` writes the
 * notice's links as the send engine did (its links are the message's own).
 */
export async function complianceRecord(
  db: Db,
  options: {
    keys: KeyRing;
    orgId: string;
    outboxId?: number;
    ref?: string;
    publicUrl?: string;
  },
): Promise<ComplianceRecord> {
  const where =
    options.outboxId !== undefined
      ? eq(outbox.id, options.outboxId)
      : options.ref !== undefined
        ? eq(outbox.messageRef, options.ref)
        : undefined;
  if (!where) throw NOT_FOUND();
  const [m] = await db
    .select()
    .from(outbox)
    .where(and(where, eq(outbox.orgId, options.orgId)));
  if (!m) throw NOT_FOUND();
  const channel = m.channel as Channel;
  const org = await getOrganisation(db, { orgId: options.orgId });

  const [campaign] = await db.select().from(campaigns).where(eq(campaigns.id, m.campaignId));
  const events = campaign
    ? await db
        .select({
          action: auditEvents.action,
          actor: auditEvents.actor,
          at: auditEvents.at,
          summary: auditEvents.summary,
        })
        .from(auditEvents)
        .where(
          and(
            eq(auditEvents.entityId, campaign.id),
            inArray(auditEvents.action, ['campaign.plan', 'campaign.send']),
          ),
        )
        .orderBy(asc(auditEvents.id))
    : [];
  // The first send; the last plan without violations before it (a blocked plan planned nothing).
  const send = events.find((e) => e.action === 'campaign.send');
  const plan = events
    .filter(
      (e) =>
        e.action === 'campaign.plan' &&
        !((e.summary.rules as unknown[] | undefined)?.length ?? 0) &&
        (!send || e.at <= send.at),
    )
    .at(-1);

  const [contact] = m.contactId
    ? await db
        .select({
          id: contacts.id,
          identity: contacts.identity,
          communeCode: contacts.communeCode,
          postalCode: contacts.postalCode,
          firstMessageAt: contacts.firstMessageAt,
          emailSourceId: contacts.emailSourceId,
          phoneSourceId: contacts.phoneSourceId,
          addressSourceId: contacts.addressSourceId,
        })
        .from(contacts)
        .where(eq(contacts.id, m.contactId))
    : [];
  const contactSource = contact
    ? {
        email: contact.emailSourceId,
        phone: contact.phoneSourceId,
        address: contact.addressSourceId,
      }[identifierSource(channel)]
    : null;
  const sourceId = m.sourceId ?? contactSource ?? null;
  const [source] = sourceId
    ? await db.select().from(dataSources).where(eq(dataSources.id, sourceId))
    : [];

  const ledger = contact
    ? await db
        .select()
        .from(consentEntries)
        .where(and(eq(consentEntries.contactId, contact.id), eq(consentEntries.channel, channel)))
        .orderBy(asc(consentEntries.occurredAt), asc(consentEntries.id))
    : [];
  const sentAt = m.sentAt;
  // The state of the channel when the message left: its latest entry dated before the send.
  const before = sentAt
    ? ledger.filter(
        (e) => e.purpose === DEFAULT_PURPOSE && e.occurredAt.getTime() <= sentAt.getTime(),
      )
    : [];
  const withdrawnBefore = before.at(-1)?.action === 'withdrawn';
  // OPT-1: an objection recorded on the suppression list before the send (by phone, through
  // another record of the person, on another channel) counts too, whatever this ledger says.
  let suppressedBefore = false;
  if (contact && sentAt && !withdrawnBefore) {
    const orgKeys = await options.keys.forOrg(db, options.orgId);
    const identity = openIdentity(orgKeys, options.orgId, contact.id, contact.identity);
    const hashes = suppressionHashes(orgKeys, identity, { postalCode: contact.postalCode });
    if (hashes.length) {
      const listed = (await db.execute(sql`
        select 1 from ${suppressions}
        where org_id = ${options.orgId} and created_at <= ${sentAt.toISOString()}::timestamptz
          and hash = any(array(select decode(v, 'base64') from unnest(${sql.param(hashes.map((h) => h.toString('base64')))}::text[]) v))
        limit 1`)) as unknown as Rows<unknown>;
      suppressedBefore = listed.rows.length > 0;
    }
  }
  const objectedBefore = contact && sentAt ? withdrawnBefore || suppressedBefore : null;
  const consentedAtSend = before.at(-1)?.action === 'granted';

  // Silence windows, in the recipient's zone when still known, else the organisation's.
  const calendar = await silenceCalendar(db, { orgId: options.orgId });
  const zone = timeZoneOf(calendar.pack, contact?.communeCode, contact?.postalCode);
  const silence: ComplianceRecord['silence'] = [];
  for (const e of calendar.elections)
    for (const voteDate of e.voteDates) {
      const w = silenceWindow(calendar.pack, {
        voteDate,
        timeZone: zone,
        saturdayVote:
          calendar.pack.code === 'FR' && e.territory.length === 0 && SATURDAY_VOTE_ZONES.has(zone),
      });
      if (!w) continue;
      silence.push({
        electionId: e.id,
        electionName: e.name,
        voteDate,
        timeZone: zone,
        from: w.from.toISOString(),
        to: w.until.toISOString(),
        sentDuring:
          !!sentAt && w.from.getTime() <= sentAt.getTime() && sentAt.getTime() < w.until.getTime(),
      });
    }

  let notice: string | null = null;
  if (source) {
    const [round] = source.electionId
      ? (
          (await db.execute(sql`
          select max(vote_date)::text as last from ${electionRounds}
          where election_id = ${source.electionId}`)) as unknown as Rows<{ last: string | null }>
        ).rows
      : [];
    const day = (sentAt ?? new Date()).toISOString().slice(0, 10);
    const firstMessage = contact?.firstMessageAt?.toISOString().slice(0, 10);
    const provenance: RecipientProvenance = {
      channel,
      sourceType: source.type as SourceTypeName,
      obtainedOn: source.obtainedOn,
      publicDescription: source.publicDescription,
      consented: consentedAtSend,
      ...(round?.last ? { lastRound: round.last } : {}),
      firstMessage: firstMessage && firstMessage < day ? firstMessage : day,
    };
    const base = options.publicUrl ?? '<public URL>';
    notice = noticeText(org, provenance, {
      // The link as sent is a credential (it withdraws the recipient): never in a record that is
      // listed, exported and read by staff.
      unsubscribeUrl: UNSUBSCRIBE_PLACEHOLDER,
      privacyUrl: `${base}/privacy/${org.id}`,
      // The message's page can stop every message: a credential too, never in a record.
      messageUrl: MESSAGE_PAGE_PLACEHOLDER,
      messageRef: m.messageRef,
      today: day,
    });
  }

  return {
    message: { ref: m.messageRef, channel: m.channel, state: m.state, sentAt: iso(sentAt) },
    campaign: campaign
      ? {
          id: campaign.id,
          subject: campaign.subject,
          state: campaign.state,
          createdBy: campaign.createdBy,
          createdAt: campaign.createdAt.toISOString(),
          plannedBy: plan?.actor ?? null,
          plannedAt: iso(plan?.at),
          sentBy: send?.actor ?? null,
          sentAt: iso(send?.at),
        }
      : null,
    segmentFilter: campaign?.filter ?? null,
    source: source
      ? {
          id: source.id,
          type: source.type,
          label: source.label,
          obtainedOn: source.obtainedOn,
          attestation: source.attestation ?? null,
          collection: source.collection ?? null,
          publicDescription: source.publicDescription ?? null,
        }
      : null,
    consent: ledger.map((e) => ({
      action: e.action,
      purpose: e.purpose,
      wording: e.wording,
      method: e.method,
      occurredAt: e.occurredAt.toISOString(),
      recordedAt: e.recordedAt.toISOString(),
      recordedBy: e.recordedBy,
    })),
    silence,
    notice,
    noticeRegenerated: true,
    objectedBefore,
    contactHeld: !!contact,
    recipientObjected: m.recipientObjected,
  };
}
