// NOT-1 / NOT-2: the notice every message carries, from the organisation and from this
// recipient's own provenance on the channel used: who sends it (the controller, even when a
// provider delivers it), which source supplied the address or number used and when, in public
// words (notice-words.ts), the legal basis (GDPR art. 13(1)(c)), what for, who receives it, until
// when it is kept (that source's rule, RET-2), how to exercise rights, complain and object, and
// the message's own page (`/m/:ref`, RIGHTS-2), where the person can read all this and act.
// French for FR and MA, English otherwise; written per channel so SMS, calls and letters reuse it.
import type { Organisation } from '../organisations/organisations.ts';
import { packFor, type Channel, type SourceTypeName } from '../../policy/packs.ts';
import type { NoticeFacts } from '../../policy/notices.ts';
import { retentionEnd } from '../../policy/retention.ts';
import {
  formatDate,
  identifierWords,
  legalBasisOf,
  legalBasisWords,
  noticeLanguage,
  sourceInPublicWords,
} from './notice-words.ts';

export type RecipientProvenance = {
  /** The channel whose address or number the source supplied. */
  channel: Channel;
  /** The source's id: recorded on the message when it is sent (outbox.source_id, RIGHTS-2). */
  sourceId?: string;
  sourceType: SourceTypeName;
  obtainedOn: string;
  publicDescription?: string | null;
  /** Whether the channel rests on consent recorded for it (the legal basis). */
  consented: boolean;
  /** The source's election's last round (RET-2). */
  lastRound?: string;
  /** The day the first message was actually sent to the contact (RET-2), if one was. */
  firstMessage?: string;
};

/** What the organisation contributes to every notice (its completeness is checked at planning). */
export function organisationNoticeFacts(org: Organisation): NoticeFacts {
  const pack = packFor(org.jurisdiction);
  return {
    controller: org.legalName,
    controllerContact: `${org.contactEmail}, ${org.postalAddress}`,
    source: 'each recipient’s own source',
    legalBasis: 'from each recipient’s source and consent (GDPR art. 13(1)(c))',
    purposes: org.noticePurposes,
    recipients: org.noticeRecipients,
    retention: 'from each source’s retention rule (RET-2)',
    rightsContact: org.dpoEmail,
    regulator: pack.regulator.name,
    objection: 'the unsubscribe link',
  };
}

/**
 * NOT-1: a message whose notice cannot name the source of the address it goes to is not sent;
 * recorded as failed with this reason (no personal data).
 */
export const NO_NOTICE_SOURCE = {
  ok: false,
  temporary: false,
  error: 'NOT-1: no known source supplied this address, so the notice cannot name it; not sent',
} as const;

const french = (org: Organisation) => noticeLanguage(org.jurisdiction) === 'fr';

/**
 * The notice's facts for one recipient (NOT-1 elements, checkNotice): without a known source for
 * the address, `source` and `legalBasis` are missing, and the send engine sends nothing.
 */
export function recipientNoticeFacts(
  org: Organisation,
  p: RecipientProvenance | undefined,
  today: string,
): NoticeFacts {
  if (!p) return { ...organisationNoticeFacts(org), source: null, legalBasis: null };
  const lang = noticeLanguage(org.jurisdiction);
  return {
    ...organisationNoticeFacts(org),
    source: sourceInPublicWords(lang, {
      type: p.sourceType,
      obtainedOn: p.obtainedOn,
      publicDescription: p.publicDescription,
    }),
    legalBasis: legalBasisWords(lang, org.jurisdiction, legalBasisOf(p.sourceType, p.consented)),
    retention: retentionText(org, p, today),
  };
}

/**
 * Until when the data from this source is kept: the election's last round plus the pack's grace,
 * or the pack's months after the FIRST message actually sent (this one, when none was yet).
 */
function retentionText(org: Organisation, p: RecipientProvenance, today: string): string {
  const lang = noticeLanguage(org.jurisdiction);
  const end = retentionEnd(packFor(org.jurisdiction), {
    sourceType: p.sourceType,
    lastRound: p.lastRound,
    firstMessage: p.firstMessage ?? today,
  });
  if (end.until === 'end_of_relationship')
    return french(org) ? 'jusqu’à la fin de notre relation' : 'until our relationship ends';
  if (end.until === 'unknown')
    return french(org) ? 'pour la durée de la campagne' : 'for the campaign';
  return french(org)
    ? `jusqu’au ${formatDate(lang, end.until)}`
    : `until ${formatDate(lang, end.until)}`;
}

export function noticeText(
  org: Organisation,
  p: RecipientProvenance,
  options: {
    unsubscribeUrl: string;
    privacyUrl: string;
    /**
     * The message's own page (`/m/:ref`, RIGHTS-2): why it came, and the rights, there. Every
     * email gives it (compose.ts requires it); without it the line is left out.
     */
    messageUrl?: string;
    messageRef: string;
    today: string;
  },
): string {
  const pack = packFor(org.jurisdiction);
  const lang = noticeLanguage(org.jurisdiction);
  const facts = recipientNoticeFacts(org, p, options.today);
  const dpo = org.dpoName ? `${org.dpoName} (${org.dpoEmail})` : org.dpoEmail;
  const from = identifierWords(lang, p.channel);
  if (french(org))
    return [
      `Ce message vous est envoyé par ${org.legalName} (${org.contactEmail}, ${org.postalAddress}), responsable du traitement.`,
      `${from} provient de : ${facts.source}.`,
      `Base légale : ${facts.legalBasis}.`,
      `Finalité : ${org.noticePurposes}. Destinataires : ${org.noticeRecipients}.`,
      `Vos données sont conservées ${facts.retention}.`,
      `Pour exercer vos droits (accès, rectification, effacement, opposition), écrivez à ${dpo}. Vous pouvez saisir la ${pack.regulator.name} (${pack.regulator.url}).`,
      ...(options.messageUrl ? [`Pourquoi ce message, vos droits : ${options.messageUrl}`] : []),
      `Notice d’information complète : ${options.privacyUrl}`,
      `Pour ne plus recevoir de messages : ${options.unsubscribeUrl}`,
      `Référence du message : ${options.messageRef}`,
    ].join('\n');
  return [
    `This message is sent by ${org.legalName} (${org.contactEmail}, ${org.postalAddress}), the data controller.`,
    `${from} comes from: ${facts.source}.`,
    `Legal basis: ${facts.legalBasis}.`,
    `Purpose: ${org.noticePurposes}. Recipients: ${org.noticeRecipients}.`,
    `Your data is kept ${facts.retention}.`,
    `To exercise your rights (access, rectification, erasure, objection), write to ${dpo}. You may complain to ${pack.regulator.name} (${pack.regulator.url}).`,
    ...(options.messageUrl ? [`Why you got this message, your rights: ${options.messageUrl}`] : []),
    `Full privacy notice: ${options.privacyUrl}`,
    `To stop receiving messages: ${options.unsubscribeUrl}`,
    `Message reference: ${options.messageRef}`,
  ].join('\n');
}
