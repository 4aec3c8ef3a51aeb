// NOT-1 / NOT-2: the notice every message carries, from the organisation and from this
// recipient's own provenance: who sends it (the controller, even when a provider delivers it),
// where the address comes from and since when, what for, who receives it, until when it is kept,
// how to exercise rights and complain, and how to object. French for FR and MA, English otherwise.
import type { Organisation } from '../organisations/organisations.ts';
import { packFor, type SourceTypeName } from '../../policy/packs.ts';
import type { NoticeFacts } from '../../policy/notices.ts';
import { retentionEnd } from '../../policy/retention.ts';

export type RecipientProvenance = {
  sourceLabel: string;
  sourceType: SourceTypeName;
  obtainedOn: string;
  lastRound?: string;
};

/** What the organisation contributes to every notice (its completeness is checked at planning). */
export function organisationNoticeFacts(org: Organisation): NoticeFacts {
  const pack = packFor(org.jurisdiction);
  return {
    controller: org.legalName,
    controllerContact: `${org.contactEmail}, ${org.postalAddress}`,
    source: 'each recipient’s own source',
    purposes: org.noticePurposes,
    recipients: org.noticeRecipients,
    retention: 'from each source’s retention rule (RET-2)',
    rightsContact: org.dpoEmail,
    regulator: pack.regulator.name,
    objection: 'the unsubscribe link',
  };
}

const french = (org: Organisation) => org.jurisdiction !== 'EU';

function retentionText(org: Organisation, p: RecipientProvenance, firstMessage: string): string {
  const end = retentionEnd(packFor(org.jurisdiction), {
    sourceType: p.sourceType,
    lastRound: p.lastRound,
    firstMessage,
  });
  if (end.until === 'end_of_relationship')
    return french(org) ? 'jusqu’à la fin de notre relation' : 'until our relationship ends';
  if (end.until === 'unknown')
    return french(org) ? 'pour la durée de la campagne' : 'for the campaign';
  return french(org) ? `jusqu’au ${end.until}` : `until ${end.until}`;
}

export function noticeText(
  org: Organisation,
  p: RecipientProvenance,
  options: { unsubscribeUrl: string; privacyUrl: string; messageRef: string; today: string },
): string {
  const pack = packFor(org.jurisdiction);
  const keep = retentionText(org, p, options.today);
  const dpo = org.dpoName ? `${org.dpoName} (${org.dpoEmail})` : org.dpoEmail;
  if (french(org))
    return [
      `Ce message vous est envoyé par ${org.legalName} (${org.contactEmail}, ${org.postalAddress}), responsable du traitement.`,
      `Votre adresse provient de : ${p.sourceLabel}, obtenue le ${p.obtainedOn}.`,
      `Finalité : ${org.noticePurposes}. Destinataires : ${org.noticeRecipients}.`,
      `Vos données sont conservées ${keep}.`,
      `Pour exercer vos droits (accès, rectification, effacement, opposition), écrivez à ${dpo}. Vous pouvez saisir la ${pack.regulator.name} (${pack.regulator.url}).`,
      `Notice d’information complète : ${options.privacyUrl}`,
      `Pour ne plus recevoir de messages : ${options.unsubscribeUrl}`,
      `Référence du message : ${options.messageRef}`,
    ].join('\n');
  return [
    `This message is sent by ${org.legalName} (${org.contactEmail}, ${org.postalAddress}), the data controller.`,
    `Your address comes from: ${p.sourceLabel}, obtained on ${p.obtainedOn}.`,
    `Purpose: ${org.noticePurposes}. Recipients: ${org.noticeRecipients}.`,
    `Your data is kept ${keep}.`,
    `To exercise your rights (access, rectification, erasure, objection), write to ${dpo}. You may complain to ${pack.regulator.name} (${pack.regulator.url}).`,
    `Full privacy notice: ${options.privacyUrl}`,
    `To stop receiving messages: ${options.unsubscribeUrl}`,
    `Message reference: ${options.messageRef}`,
  ].join('\n');
}
