// The service mail of a rights request (RIGHTS-1): the one-time code, the acknowledgement of a
// request in the DPO's queue (a member's objection: every message stopped at once, the rest to
// come by the due date), the reply when it is done, and the notice of an extension with its
// reason. In the organisation's notice language (French for FR and MA, English for EU). Every
// reply names the regulator and its complaint address. The code stands alone as six digits.
import type { RightsRequestKind } from '../../db/schema/index.ts';
import { PACKS } from '../../policy/jurisdictions.ts';
import type { Jurisdiction } from '../../policy/jurisdictions.ts';
import { formatDate, noticeLanguage, type NoticeLanguage } from '../outreach/notice-words.ts';
import { isoDate } from '../validation.ts';

type Org = { legalName: string; jurisdiction: Jurisdiction };

const KIND_WORDS: Record<NoticeLanguage, Record<RightsRequestKind, string>> = {
  fr: {
    access: 'd’accès à vos données',
    rectification: 'de rectification',
    erasure: 'd’effacement',
    restriction: 'de limitation du traitement',
    objection: 'd’opposition',
  },
  en: {
    access: 'for access to your data',
    rectification: 'for rectification',
    erasure: 'for erasure',
    restriction: 'for restriction of processing',
    objection: 'objecting to the processing',
  },
};

const day = (lang: NoticeLanguage, d: Date) => formatDate(lang, isoDate(d));

function complaint(lang: NoticeLanguage, jurisdiction: Jurisdiction): string {
  const { name, url } = PACKS[jurisdiction].regulator;
  return lang === 'fr'
    ? `Si vous estimez que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la ${name} : ${url}`
    : `If you believe your rights are not respected, you may complain to ${name}: ${url}`;
}

export function codeMail(org: Org, code: string) {
  const lang = noticeLanguage(org.jurisdiction);
  return lang === 'fr'
    ? {
        subject: `${org.legalName} : votre code de confirmation`,
        text: [
          `Votre code de confirmation : ${code}`,
          '',
          `Saisissez-le sur la page de votre demande auprès de ${org.legalName}. Il est valable 30 minutes et une seule fois.`,
          'Si vous n’avez rien demandé, ignorez ce message : rien ne sera fait.',
        ].join('\n'),
      }
    : {
        subject: `${org.legalName}: your confirmation code`,
        text: [
          `Your confirmation code: ${code}`,
          '',
          `Enter it on the page of your request to ${org.legalName}. It is valid for 30 minutes, once.`,
          'If you did not ask for anything, ignore this message: nothing will be done.',
        ].join('\n'),
      };
}

export type ReplyCase =
  | { case: 'queued'; dueAt: Date }
  /** A member's objection: every message stopped at once, the DPO answers about the rest. */
  | { case: 'objection_queued'; dueAt: Date }
  | { case: 'access_given' | 'erased' | 'objected' | 'nothing_held' }
  | { case: 'extended'; dueAt: Date; reason: string }
  | { case: 'answered'; note: string };

export function replyMail(
  org: Org,
  request: { kind: RightsRequestKind; receivedAt: Date },
  reply: ReplyCase,
  now: Date,
) {
  const lang = noticeLanguage(org.jurisdiction);
  const kind = KIND_WORDS[lang][request.kind];
  const received = day(lang, request.receivedAt);
  const fr = lang === 'fr';
  const subject = fr
    ? `${org.legalName} : votre demande ${kind}`
    : `${org.legalName}: your request ${kind}`;
  let body: string[];
  switch (reply.case) {
    case 'queued':
      body = fr
        ? [
            `Nous avons bien reçu votre demande ${kind} du ${received}.`,
            `Notre délégué à la protection des données y répondra au plus tard le ${day(lang, reply.dueAt)}.`,
          ]
        : [
            `We have received your request ${kind} of ${received}.`,
            `Our data-protection officer will answer it by ${day(lang, reply.dueAt)} at the latest.`,
          ];
      break;
    case 'objection_queued':
      body = fr
        ? [
            `Nous avons bien reçu votre demande ${kind} du ${received}.`,
            `Elle a pris effet immédiatement : depuis le ${day(lang, now)}, vous ne recevez plus aucun message de notre part, par aucun canal.`,
            `Notre délégué à la protection des données vous répondra sur le reste (vos données liées à votre adhésion ou à votre soutien) au plus tard le ${day(lang, reply.dueAt)}.`,
          ]
        : [
            `We have received your request ${kind} of ${received}.`,
            `It took effect at once: since ${day(lang, now)} you receive no more messages from us, on any channel.`,
            `Our data-protection officer will answer you about the rest (your data linked to your membership or support) by ${day(lang, reply.dueAt)} at the latest.`,
          ];
      break;
    case 'access_given':
      body = fr
        ? [
            `Votre demande ${kind} du ${received} a reçu sa réponse le ${day(lang, now)}, sur la page de la demande.`,
          ]
        : [
            `Your request ${kind} of ${received} was answered on ${day(lang, now)}, on the request's page.`,
          ];
      break;
    case 'erased':
    case 'objected':
      body = fr
        ? [
            `Suite à votre demande ${kind} du ${received}, vos données ont été effacées le ${day(lang, now)}.`,
            'Seule une empreinte à sens unique de votre adresse est gardée, pour ne plus jamais vous contacter.',
          ]
        : [
            `Following your request ${kind} of ${received}, your data was erased on ${day(lang, now)}.`,
            'Only a one-way fingerprint of your address is kept, so that you are never contacted again.',
          ];
      break;
    case 'nothing_held':
      body = fr
        ? [
            `Suite à votre demande ${kind} du ${received} : nous ne détenons aucune donnée liée à cette adresse.`,
          ]
        : [
            `Following your request ${kind} of ${received}: we hold no data linked to this address.`,
          ];
      break;
    case 'extended':
      body = fr
        ? [
            `Nous avons besoin de plus de temps pour répondre à votre demande ${kind} du ${received}.`,
            `Raison : ${reply.reason}`,
            `Nous y répondrons au plus tard le ${day(lang, reply.dueAt)}.`,
          ]
        : [
            `We need more time to answer your request ${kind} of ${received}.`,
            `Reason: ${reply.reason}`,
            `We will answer it by ${day(lang, reply.dueAt)} at the latest.`,
          ];
      break;
    case 'answered':
      body = fr
        ? [`Réponse à votre demande ${kind} du ${received} :`, '', reply.note]
        : [`Our answer to your request ${kind} of ${received}:`, '', reply.note];
      break;
  }
  return { subject, text: [...body, '', complaint(lang, org.jurisdiction)].join('\n') };
}
