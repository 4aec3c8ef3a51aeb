// RIGHTS-2: a message's own page, `/m/:ref`, linked from every notice ("Why you got this message,
// your rights"). Public, no account, no JavaScript, in the organisation's languages (French and
// English; Arabic first for a Moroccan organisation), with links to the page in the others. It says
// who sent the message (controller and DPO), on which channel and when, which source supplied the
// address it went to and when it was obtained (public words, never the staff label), the purpose,
// until when the data is kept, the legal basis, the rights and where to exercise them
// (`/r/<orgId>?ref=`), the regulator and its complaint address; and it has two buttons: stop every
// message (OPT-1: the same objection as the unsubscribe link; its POST is never throttled) and
// report this message (`/m/:ref/report`, REP-1). It shows nothing that names the recipient: the
// reference alone reveals nothing about them. `GET /api/public/messages/:ref` answers the same as
// JSON. An unknown reference: a 404 page for `/m/`, 404 JSON for the API.
import { Hono } from 'hono';
import { html } from 'hono/html';
import {
  messageFacts,
  stopFromMessage,
  factsDate,
  publicMessageJson,
} from '../../domain/rights/message-facts.ts';
import type { MessageFacts } from '../../domain/rights/message-facts.ts';
import type { Channel } from '../../policy/packs.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { permit } from '../permit.ts';
import { noStore, page, voterLanguage, type VoterLang } from '../public-page.ts';
import { languageLinks } from './language-links.ts';
import { REGULATOR_NAMES } from './rights-words.ts';

type Words = {
  title: string;
  heading: (org: string) => string;
  intro: string;
  languages: string;
  controller: string;
  dpo: string;
  sent: string;
  sentOn: (channel: string, date: string) => string;
  notSent: (channel: string) => string;
  channels: Record<Channel, string>;
  source: string;
  sourceUnknown: string;
  purpose: string;
  notStated: string;
  kept: string;
  keptUntil: (date: string) => string;
  basis: string;
  rights: string;
  rightsText: string;
  rightsLink: string;
  regulator: (name: string) => string;
  stopHeading: string;
  stopText: (org: string) => string;
  stopButton: string;
  doneHeading: string;
  done: (org: string) => string;
  alreadyHeading: string;
  already: (org: string) => string;
  goneHeading: string;
  gone: (org: string) => string;
  report: string;
  reportText: string;
  reference: string;
};

const TEXT: Record<VoterLang, Words> = {
  fr: {
    title: 'Pourquoi ce message',
    heading: (org) => `Pourquoi vous avez reçu ce message de ${org}`,
    intro:
      'Cette page décrit le message qui vous a été envoyé avec ce lien. Elle ne contient aucune donnée vous concernant.',
    languages: 'Langues',
    controller: 'Expéditeur (responsable du traitement)',
    dpo: 'Délégué à la protection des données',
    sent: 'Envoi',
    sentOn: (channel, date) => `${channel}, le ${date}`,
    notSent: (channel) => `${channel}, pas encore envoyé`,
    channels: { email: 'Par email', sms: 'Par SMS', phone: 'Par téléphone', post: 'Par courrier' },
    source: 'Comment nous avons obtenu vos coordonnées',
    sourceUnknown: 'La source de ces coordonnées n’est plus connue.',
    purpose: 'Finalité',
    notStated: 'non précisée',
    kept: 'Durée de conservation',
    keptUntil: (date) => `Vos données sont conservées jusqu’au ${date}.`,
    basis: 'Base légale',
    rights: 'Vos droits',
    rightsText:
      'Vous pouvez demander l’accès à vos données, leur rectification, leur effacement ou la limitation de leur traitement, et vous opposer à tout moment à recevoir nos messages. Un code envoyé à l’adresse ou au numéro que nous détenons prouve que c’est bien vous.',
    rightsLink: 'Exercer vos droits',
    regulator: (name) => `Vous pouvez aussi adresser une plainte à ${name} :`,
    stopHeading: 'Ne plus recevoir de messages',
    stopText: (org) =>
      `Un clic suffit : ${org} ne vous enverra plus aucun message, par aucun canal (email, SMS, téléphone, courrier).`,
    stopButton: 'Ne plus recevoir aucun message',
    doneHeading: 'C’est fait',
    done: (org) => `${org} ne vous enverra plus de messages. Votre opposition est enregistrée.`,
    alreadyHeading: 'Opposition déjà enregistrée',
    already: (org) =>
      `Votre opposition est déjà enregistrée : ${org} ne vous enverra plus de messages, par aucun canal.`,
    goneHeading: 'Nous ne détenons plus vos données',
    gone: (org) =>
      `${org} a supprimé les coordonnées auxquelles ce message a été envoyé : il ne peut plus vous écrire à partir d’elles.`,
    report: 'Signaler ce message',
    reportText:
      'Ce message ne vous semble pas conforme ? Le délégué à la protection des données lit chaque signalement.',
    reference: 'Référence du message :',
  },
  en: {
    title: 'Why this message',
    heading: (org) => `Why you got this message from ${org}`,
    intro:
      'This page describes the message that was sent to you with this link. It holds no data about you.',
    languages: 'Languages',
    controller: 'Sender (data controller)',
    dpo: 'Data-protection officer',
    sent: 'Sent',
    sentOn: (channel, date) => `${channel}, on ${date}`,
    notSent: (channel) => `${channel}, not sent yet`,
    channels: { email: 'By email', sms: 'By text message', phone: 'By phone', post: 'By post' },
    source: 'How we obtained your details',
    sourceUnknown: 'The source of these details is no longer known.',
    purpose: 'Purpose',
    notStated: 'not stated',
    kept: 'How long it is kept',
    keptUntil: (date) => `Your data is kept until ${date}.`,
    basis: 'Legal basis',
    rights: 'Your rights',
    rightsText:
      'You may ask for access to your data, its rectification, erasure or restriction, and object at any time to receiving our messages. A code sent to the address or number we hold proves that it is you.',
    rightsLink: 'Exercise your rights',
    regulator: (name) => `You may also complain to ${name}:`,
    stopHeading: 'Stop receiving messages',
    stopText: (org) =>
      `One click is enough: ${org} will send you no more messages, on any channel (email, text, phone, post).`,
    stopButton: 'Stop all messages',
    doneHeading: 'Done',
    done: (org) => `${org} will send you no more messages. Your objection is recorded.`,
    alreadyHeading: 'Objection already recorded',
    already: (org) =>
      `Your objection is already recorded: ${org} will send you no more messages, on any channel.`,
    goneHeading: 'We no longer hold your data',
    gone: (org) =>
      `${org} has deleted the details this message was sent to: it can no longer write to you through them.`,
    report: 'Report this message',
    reportText:
      'Does this message seem wrong to you? The data-protection officer reads every report.',
    reference: 'Message reference:',
  },
  ar: {
    title: 'لماذا وصلتكم هذه الرسالة',
    heading: (org) => `لماذا وصلتكم هذه الرسالة من ${org}`,
    intro: 'تصف هذه الصفحة الرسالة التي أُرسلت إليكم مع هذا الرابط. لا تتضمن أي معطيات تخصكم.',
    languages: 'اللغات',
    controller: 'المرسل (المسؤول عن المعالجة)',
    dpo: 'مندوب حماية المعطيات',
    sent: 'الإرسال',
    sentOn: (channel, date) => `${channel}، بتاريخ ${date}`,
    notSent: (channel) => `${channel}، لم تُرسل بعد`,
    channels: {
      email: 'عبر البريد الإلكتروني',
      sms: 'عبر رسالة نصية',
      phone: 'عبر الهاتف',
      post: 'عبر البريد',
    },
    source: 'كيف حصلنا على معطياتكم',
    sourceUnknown: 'لم يعد مصدر هذه المعطيات معروفًا.',
    purpose: 'الغاية',
    notStated: 'غير محددة',
    kept: 'مدة الاحتفاظ',
    keptUntil: (date) => `نحتفظ بمعطياتكم إلى غاية ${date}.`,
    basis: 'الأساس القانوني',
    rights: 'حقوقكم',
    rightsText:
      'يمكنكم طلب الولوج إلى معطياتكم أو تصحيحها أو محوها أو تقييد معالجتها، والتعرض في أي وقت على تلقي رسائلنا. رمز يُرسل إلى العنوان أو الرقم الذي نحتفظ به يثبت أنكم أصحاب الطلب.',
    rightsLink: 'ممارسة حقوقكم',
    regulator: (name) => `يمكنكم أيضًا تقديم شكاية إلى ${name}:`,
    stopHeading: 'التوقف عن تلقي الرسائل',
    stopText: (org) =>
      `نقرة واحدة تكفي: لن يرسل إليكم ${org} أي رسالة بعد الآن، عبر أي قناة (البريد الإلكتروني، الرسائل النصية، الهاتف، البريد).`,
    stopButton: 'إيقاف جميع الرسائل',
    doneHeading: 'تم ذلك',
    done: (org) => `لن يرسل إليكم ${org} أي رسائل بعد الآن. تم تسجيل تعرضكم.`,
    alreadyHeading: 'التعرض مسجل من قبل',
    already: (org) => `تعرضكم مسجل من قبل: لن يرسل إليكم ${org} أي رسائل، عبر أي قناة.`,
    goneHeading: 'لم نعد نحتفظ بمعطياتكم',
    gone: (org) =>
      `حذف ${org} المعطيات التي أُرسلت إليها هذه الرسالة: لم يعد بإمكانه مراسلتكم من خلالها.`,
    report: 'الإبلاغ عن هذه الرسالة',
    reportText: 'هل تبدو لكم هذه الرسالة مخالفة؟ يطلع مندوب حماية المعطيات على كل بلاغ.',
    reference: 'مرجع الرسالة:',
  },
};

/** The stop section: the button, or what is already true (done, recorded, nothing held). */
function stopSection(f: MessageFacts, t: Words, lang: VoterLang, ref: string, fresh: boolean) {
  const name = f.organisation.name;
  if (f.recipientObjected)
    return html`<section aria-labelledby="stop" role="status">
      <h2 id="stop">${fresh ? t.doneHeading : t.alreadyHeading}</h2>
      <p>${fresh ? t.done(name) : t.already(name)}</p>
    </section>`;
  if (f.noLongerHeld)
    return html`<section aria-labelledby="stop">
      <h2 id="stop">${t.goneHeading}</h2>
      <p>${t.gone(name)}</p>
    </section>`;
  return html`<section aria-labelledby="stop">
    <h2 id="stop">${t.stopHeading}</h2>
    <p>${t.stopText(name)}</p>
    <form method="post" action="/m/${ref}/stop">
      <input type="hidden" name="lang" value="${lang}" />
      <button type="submit">${t.stopButton}</button>
    </form>
  </section>`;
}

function messagePage(f: MessageFacts, lang: VoterLang, ref: string, fresh: boolean) {
  const t = TEXT[lang];
  const channel = t.channels[f.channel] ?? f.channel;
  const regulatorName = REGULATOR_NAMES[f.jurisdiction][lang];
  const kept = f.retainedUntil ? t.keptUntil(factsDate(lang, f.retainedUntil)) : f.retention;
  return page(
    lang,
    t.title,
    html`${languageLinks(TEXT[lang].languages, lang, f.jurisdiction, (l) => `/m/${ref}?lang=${l}`)}
      <h1>${t.heading(f.organisation.name)}</h1>
      <p>${t.intro}</p>
      ${stopSection(f, t, lang, ref, fresh)}
      <dl>
        <dt>${t.controller}</dt>
        <dd>${f.organisation.name} (${f.organisation.contact})</dd>
        <dt>${t.dpo}</dt>
        <dd>${f.organisation.dpo}</dd>
        <dt>${t.sent}</dt>
        <dd>
          ${f.sentAt ? t.sentOn(channel, factsDate(lang, f.sentAt.slice(0, 10))) : t.notSent(channel)}
        </dd>
        <dt>${t.source}</dt>
        <dd>${f.source ? f.source.description : t.sourceUnknown}</dd>
        <dt>${t.purpose}</dt>
        <dd>${f.purpose ?? t.notStated}</dd>
        <dt>${t.kept}</dt>
        <dd>${kept}</dd>
        <dt>${t.basis}</dt>
        <dd>${f.legalBasis ?? t.notStated}</dd>
      </dl>
      <h2>${t.rights}</h2>
      <p>${t.rightsText}</p>
      <p><a href="/r/${f.orgId}?ref=${ref}&amp;lang=${lang}">${t.rightsLink}</a></p>
      <p>${t.regulator(regulatorName)} <a href="${f.regulator.url}">${f.regulator.url}</a></p>
      <h2>${t.report}</h2>
      <p>${t.reportText}</p>
      <p><a href="/m/${ref}/report?lang=${lang}">${t.report}</a></p>
      <p class="code">${t.reference} <code>${ref}</code></p>`,
  );
}

const LANGS = /^(fr|en|ar)$/;

export function messagePageRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .get('/m/:ref', permit(s, 'public'), async (c) => {
      const ref = c.req.param('ref');
      // Unknown or malformed: `message.not_found`, a 404 page in the voter's language (errors.ts).
      const facts = await messageFacts(s.db, {
        ref,
        keys: s.keys,
        now: s.clock(),
        lang: (jurisdiction) => voterLanguage(c, jurisdiction),
      });
      const lang = voterLanguage(c, facts.jurisdiction);
      noStore(c);
      return c.html(messagePage(facts, lang, ref, c.req.query('stopped') === '1'));
    })
    .post('/m/:ref/stop', permit(s, 'public'), async (c) => {
      const ref = c.req.param('ref');
      const body = await c.req.text().catch(() => '');
      const asked = new URLSearchParams(body.slice(0, 1000)).get('lang') ?? '';
      // OPT-1: the same objection as the unsubscribe link; a replay writes nothing.
      await stopFromMessage(s.db, { keys: s.keys, ref, clock: s.clock });
      noStore(c);
      // To the page, which then says it is done: a reload does not post again.
      return c.redirect(`/m/${ref}?stopped=1${LANGS.test(asked) ? `&lang=${asked}` : ''}`, 303);
    });
}

export function messageApiRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>().get(
    '/public/messages/:ref',
    permit(s, 'public'),
    async (c) => {
      const facts = await messageFacts(s.db, {
        ref: c.req.param('ref'),
        now: s.clock(),
        lang: (jurisdiction) => voterLanguage(c, jurisdiction),
      });
      c.header('Cache-Control', 'no-store');
      return c.json(publicMessageJson(facts));
    },
  );
}
