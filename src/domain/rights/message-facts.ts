// RIGHTS-2: what a message's page (`/m/:ref`) and its JSON say about one message, from its
// reference alone: who sent it (controller and DPO), on which channel and when, which source
// supplied the address or number it went to (the one its notice named, recorded on the outbox row
// when it was sent, so it stays true after the contact's address came from elsewhere or the
// contact was erased; the contact's current source for a message not sent yet), in public words
// (never the staff label), the purpose, the legal basis, until when the data is kept, and the
// regulator. Nothing that names the recipient: the reference alone reveals nothing about them.
// French, English or Arabic (the page's language); the notice itself stays French or English.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { PACKS, type Jurisdiction } from '../../policy/jurisdictions.ts';
import { packFor, type Channel, type SourceTypeName } from '../../policy/packs.ts';
import { retentionEnd } from '../../policy/retention.ts';
import { DEFAULT_PURPOSE } from '../consent/consent.ts';
import { DomainError } from '../errors.ts';
import { recordObjection } from '../objections/objections.ts';
import { hasObjected } from '../objections/unsubscribe.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import type { Clock } from '../validation.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import {
  formatDate,
  legalBasisOf,
  legalBasisWords,
  sourceInPublicWords,
  type LegalBasis,
} from '../outreach/notice-words.ts';

/** The languages of the voter's side: French, English, and Arabic for Moroccan organisations. */
export type FactsLang = 'fr' | 'en' | 'ar';

export type MessageFacts = {
  orgId: string;
  outboxId: number;
  campaignId: string;
  /** Null once the recipient was erased (OPT-3) or deleted with a source. */
  contactId: string | null;
  jurisdiction: Jurisdiction;
  organisation: { name: string; contact: string; dpo: string };
  channel: Channel;
  sentAt: string | null;
  source: { type: SourceTypeName; description: string; obtainedOn: string } | null;
  purpose: string | null;
  legalBasis: string | null;
  retainedUntil: string | null;
  /** When `retainedUntil` is null: the sentence saying how long (or that nothing is held). */
  retention?: string;
  regulator: { name: string; url: string };
  /** The recipient has objected (OPT-1): the page offers no second stop. */
  recipientObjected: boolean;
  /** The recipient's data is no longer held (erased, or deleted with its source). */
  noLongerHeld: boolean;
};

const REF = /^[0-9a-f]{32}$/;

const notFound = () =>
  DomainError.keyed('not_found', 'message.not_found', 'no message has this reference');

/** Each source type in public words, in Arabic (the pages of Moroccan organisations). */
export const AR_SOURCE: Record<SourceTypeName, string> = {
  electoral_list: 'اللائحة الانتخابية للجماعة',
  signin_list: 'لائحة توقيعات الناخبين بمكتب التصويت',
  member_file: 'ملف منخرطينا',
  supporter_signup: 'تسجيلكم كمتعاطفين معنا',
  purchased_file: 'ملف استقطاب مكترى من مزوّد خدمات',
  referral: 'توصية من شخص يعرفكم',
  door_to_door: 'لقاء خلال جولاتنا من باب إلى باب',
};

const AR_BASIS: Record<'gdpr' | 'ma', Record<LegalBasis, string>> = {
  ma: {
    consent: 'موافقتكم (القانون رقم 09-08، المادة 4)',
    political_body:
      'مصلحتنا المشروعة تجاه منخرطينا والمتعاطفين معنا (القانون رقم 09-08، المادة 4 هـ)',
    legitimate_interest: 'مصلحتنا المشروعة في مخاطبة الناخبين (القانون رقم 09-08، المادة 4 هـ)',
  },
  gdpr: {
    consent: 'موافقتكم (اللائحة العامة لحماية البيانات، المادة 6(1)(أ) و9(2)(أ))',
    political_body:
      'الأنشطة المشروعة لهيئة سياسية تجاه أعضائها والأشخاص الذين هم على اتصال منتظم بها (اللائحة العامة لحماية البيانات، المادة 9(2)(د)) ومصلحتنا المشروعة (المادة 6(1)(و))',
    legitimate_interest:
      'مصلحتنا المشروعة في مخاطبة الناخبين (اللائحة العامة لحماية البيانات، المادة 6(1)(و))',
  },
};

const AR_DATE = new Intl.DateTimeFormat('ar-MA', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

/** A calendar date (YYYY-MM-DD) in the page's language. */
export function factsDate(lang: FactsLang, isoDay: string): string {
  return lang === 'ar' ? AR_DATE.format(new Date(`${isoDay}T00:00:00Z`)) : formatDate(lang, isoDay);
}

function sourceWords(
  lang: FactsLang,
  source: { type: SourceTypeName; obtainedOn: string; publicDescription?: string | null },
): string {
  if (lang !== 'ar') return sourceInPublicWords(lang, source);
  const description = source.publicDescription?.trim();
  return `${AR_SOURCE[source.type]}، تم الحصول عليه في ${factsDate('ar', source.obtainedOn)}${
    description ? ` (${description})` : ''
  }`;
}

const basisWords = (lang: FactsLang, jurisdiction: Jurisdiction, basis: LegalBasis) =>
  lang === 'ar'
    ? AR_BASIS[jurisdiction === 'MA' ? 'ma' : 'gdpr'][basis]
    : legalBasisWords(lang, jurisdiction, basis);

const RETENTION: Record<FactsLang, { relationship: string; campaign: string; gone: string }> = {
  fr: {
    relationship:
      'Vos données sont conservées jusqu’à la fin de notre relation (adhésion ou soutien).',
    campaign: 'Vos données sont conservées pour la durée de la campagne.',
    gone: 'Nous ne détenons plus vos données : elles ont été effacées.',
  },
  en: {
    relationship: 'Your data is kept until our relationship (membership or support) ends.',
    campaign: 'Your data is kept for the campaign.',
    gone: 'We no longer hold your data: it was erased.',
  },
  ar: {
    relationship: 'نحتفظ ببياناتكم إلى حين انتهاء علاقتنا (الانخراط أو الدعم).',
    campaign: 'نحتفظ ببياناتكم طوال مدة الحملة.',
    gone: 'لم نعد نحتفظ ببياناتكم: لقد تم محوها.',
  },
};

type Row = {
  id: number | string;
  org_id: string;
  campaign_id: string;
  contact_id: string | null;
  channel: string;
  sent_at: Date | string | null;
  recipient_objected: boolean;
  type: string | null;
  obtained_on: string | null;
  public_description: string | null;
  last_round: string | null;
  first_message: string | null;
  consent_action: string | null;
  all_withdrawn: boolean | null;
};

/**
 * The facts of the message `ref` (32 lowercase hex characters), in `lang` (or the language the
 * function picks from the organisation's jurisdiction; default its first: Arabic for MA, French
 * for FR, English for EU). With `keys`, whether the recipient objected also reads the suppression
 * list (as the unsubscribe link does); without, their consent state alone. Unknown or malformed
 * reference: `not_found` `message.not_found`.
 */
export async function messageFacts(
  db: Db,
  options: {
    ref: string;
    lang?: FactsLang | ((jurisdiction: Jurisdiction) => FactsLang);
    keys?: KeyRing;
    now?: Date;
  },
): Promise<MessageFacts> {
  if (!REF.test(options.ref)) throw notFound();
  const now = (options.now ?? new Date()).toISOString();
  // The source: the one the notice named (outbox.source_id), else (not sent yet, or sent before
  // it was recorded) the one that supplies the contact's identifier for the channel today.
  const result = (await db.execute(sql`
    select o.id, o.org_id, o.campaign_id, o.contact_id, o.channel, o.sent_at, o.recipient_objected,
      s.type, s.obtained_on::text as obtained_on, s.public_description,
      (select max(r.vote_date)::text from election_rounds r where r.election_id = s.election_id) as last_round,
      to_char(c.first_message_at at time zone 'UTC', 'YYYY-MM-DD') as first_message,
      (select e.action from consent_entries e
        where e.contact_id = o.contact_id and e.channel = o.channel and e.purpose = ${DEFAULT_PURPOSE}
          and e.occurred_at <= coalesce(o.sent_at, ${now}::timestamptz)
        order by e.occurred_at desc, e.id desc limit 1) as consent_action,
      (c.consent_email = 'withdrawn' and c.consent_sms = 'withdrawn' and c.consent_phone = 'withdrawn'
        and c.consent_post = 'withdrawn') as all_withdrawn
    from outbox o
    left join contacts c on c.id = o.contact_id
    left join data_sources s on s.id = coalesce(o.source_id, case o.channel
      when 'email' then c.email_source_id when 'sms' then c.phone_source_id
      when 'phone' then c.phone_source_id else c.address_source_id end)
    where o.message_ref = ${options.ref}`)) as unknown as { rows: Row[] };
  const row = result.rows[0];
  if (!row) throw notFound();
  const org = await getOrganisation(db, { orgId: row.org_id });
  const jurisdiction = org.jurisdiction as Jurisdiction;
  const lang =
    typeof options.lang === 'function'
      ? options.lang(jurisdiction)
      : (options.lang ?? (jurisdiction === 'MA' ? 'ar' : jurisdiction === 'EU' ? 'en' : 'fr'));
  const sentAt = row.sent_at === null ? null : new Date(row.sent_at).toISOString();
  const held = row.contact_id !== null;
  const sourceType = row.type as SourceTypeName | null;

  const source =
    sourceType && row.obtained_on
      ? {
          type: sourceType,
          description: sourceWords(lang, {
            type: sourceType,
            obtainedOn: row.obtained_on,
            publicDescription: row.public_description,
          }),
          obtainedOn: row.obtained_on,
        }
      : null;
  const legalBasis = sourceType
    ? basisWords(lang, jurisdiction, legalBasisOf(sourceType, row.consent_action === 'granted'))
    : null;

  let retainedUntil: string | null = null;
  let retention: string | undefined;
  if (!held) retention = RETENTION[lang].gone;
  else if (sourceType) {
    // As the notice counted it: the election's last round, or the first message actually sent.
    const end = retentionEnd(packFor(jurisdiction), {
      sourceType,
      ...(row.last_round ? { lastRound: row.last_round } : {}),
      firstMessage: row.first_message ?? (sentAt ?? now).slice(0, 10),
    });
    if (end.until === 'end_of_relationship') retention = RETENTION[lang].relationship;
    else if (end.until === 'unknown') retention = RETENTION[lang].campaign;
    else retainedUntil = end.until;
  } else retention = RETENTION[lang].campaign;

  const recipientObjected = held
    ? options.keys
      ? await hasObjected(db, options.keys, org.id, row.contact_id!)
      : Boolean(row.all_withdrawn)
    : row.recipient_objected;

  return {
    orgId: org.id,
    outboxId: Number(row.id),
    campaignId: row.campaign_id,
    contactId: row.contact_id,
    jurisdiction,
    organisation: {
      name: org.legalName,
      contact: `${org.contactEmail}, ${org.postalAddress}`,
      dpo: org.dpoName ? `${org.dpoName} (${org.dpoEmail})` : org.dpoEmail,
    },
    channel: row.channel as Channel,
    sentAt,
    source,
    purpose: org.noticePurposes,
    legalBasis,
    retainedUntil,
    ...(retention !== undefined ? { retention } : {}),
    regulator: { ...PACKS[jurisdiction].regulator },
    recipientObjected,
    noLongerHeld: !held,
  };
}

/** The public JSON (`GET /api/public/messages/:ref`): exactly these keys. */
export function publicMessageJson(f: MessageFacts) {
  return {
    organisation: f.organisation,
    channel: f.channel,
    sentAt: f.sentAt,
    source: f.source,
    purpose: f.purpose,
    legalBasis: f.legalBasis,
    retainedUntil: f.retainedUntil,
    ...(f.retainedUntil === null ? { retention: f.retention ?? null } : {}),
    regulator: f.regulator,
  };
}

/**
 * OPT-1, from the message's page: the same objection as the message's unsubscribe link (every
 * channel withdrawn, the identifiers suppressed; a prospect erased, OPT-3), actor
 * `recipient:<ref>`, method `unsubscribe_link`. A replay, or a recipient no longer held, writes
 * nothing. Unknown or malformed reference: `not_found` `message.not_found`.
 */
export async function stopFromMessage(
  db: Db,
  options: { keys: KeyRing; ref: string; clock: Clock },
): Promise<{ alreadyRecorded: boolean; noLongerHeld: boolean }> {
  if (!REF.test(options.ref)) throw notFound();
  const result = (await db.execute(sql`
    select org_id, contact_id, recipient_objected from outbox
    where message_ref = ${options.ref}`)) as unknown as {
    rows: { org_id: string; contact_id: string | null; recipient_objected: boolean }[];
  };
  const row = result.rows[0];
  if (!row) throw notFound();
  if (!row.contact_id)
    return { alreadyRecorded: row.recipient_objected, noLongerHeld: !row.recipient_objected };
  try {
    const objection = await recordObjection(db, {
      keys: options.keys,
      orgId: row.org_id,
      input: { contactId: row.contact_id, method: 'unsubscribe_link' },
      actor: `recipient:${options.ref}`,
      clock: options.clock,
    });
    return { alreadyRecorded: objection.alreadyRecorded, noLongerHeld: false };
  } catch (error) {
    // Erased by a replay that committed in the meantime: the same answer as any replay.
    if (error instanceof DomainError && error.code === 'not_found')
      return { alreadyRecorded: true, noLongerHeld: false };
    throw error;
  }
}
