// The organisation's privacy notice page (NOT-1), linked from every message: who the controller
// is, what the data is for and who receives it, where it comes from and how long each source's
// data is kept (RET-2), on which legal basis (GDPR art. 13(1)(c)), how to exercise rights,
// complain and object. Public, in the recipients'
// language (French for FR and MA organisations), no personal data: sources appear by type only,
// since the labels staff give them are internal and may name people or groups.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { getOrganisation, type Organisation } from '../../domain/organisations/organisations.ts';
import { listSources } from '../../domain/sources/sources.ts';
import { legalBasisOf, legalBasisWords } from '../../domain/outreach/notice-words.ts';
import { DomainError } from '../../domain/errors.ts';
import { packFor, type SourceTypeName } from '../../policy/packs.ts';
import { PACKS } from '../../policy/jurisdictions.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { permit } from '../permit.ts';
import { page, publicErrorPage, voterLanguages } from '../public-page.ts';

const french = (org: Organisation) => org.jurisdiction !== 'EU';

const TEXT = {
  fr: {
    title: 'Notice d’information',
    heading: (org: string) => `Comment ${org} utilise vos données`,
    controller: 'Responsable du traitement',
    dpo: 'Délégué à la protection des données',
    purposes: 'Finalités',
    recipients: 'Destinataires',
    sources: 'D’où viennent les données, et combien de temps elles sont gardées',
    legalBasis: 'Base légale (RGPD, art. 13(1)(c))',
    legalBasisConsent: (consent: string) =>
      `Un canal pour lequel vous avez consenti à recevoir nos messages repose sur ${consent}. Sinon, selon la source :`,
    rights: 'Vos droits',
    rightsText: (dpo: string, regulator: string) =>
      `Vous pouvez demander l’accès à vos données, leur rectification, leur effacement ou la limitation de leur traitement, et vous opposer à tout moment à recevoir nos messages, en écrivant à ${dpo}. Vous pouvez aussi saisir la ${regulator}.`,
    object:
      'Chaque message contient un lien de désabonnement : un clic suffit, pour tous les canaux.',
    rightsForm:
      'Faire une demande en ligne (accès, rectification, effacement, limitation, opposition)',
    rightsMonth:
      'Votre identité est vérifiée par un code envoyé à l’adresse ou au numéro que nous détenons, jamais par des questions. Nous répondons à chaque demande dans un délai d’un mois.',
    notStated: 'non précisé',
    keep: {
      after_last_round: (days: number) =>
        `jusqu’à ${days} jours après le dernier tour de l’élection`,
      after_single_message: (months: number) => `${months} mois après le premier message`,
      end_of_relationship: 'jusqu’à la fin de notre relation',
    },
    types: {
      electoral_list: 'liste électorale',
      signin_list: 'liste d’émargement',
      purchased_file: 'fichier acquis auprès d’un prestataire',
      referral: 'parrainage',
      door_to_door: 'porte-à-porte',
      member_file: 'fichier des adhérents',
      supporter_signup: 'inscriptions de sympathisants',
    } as Record<string, string>,
  },
  en: {
    title: 'Privacy notice',
    heading: (org: string) => `How ${org} uses your data`,
    controller: 'Data controller',
    dpo: 'Data-protection officer',
    purposes: 'Purposes',
    recipients: 'Recipients',
    sources: 'Where the data comes from, and how long it is kept',
    legalBasis: 'Legal basis (GDPR art. 13(1)(c))',
    legalBasisConsent: (consent: string) =>
      `A channel on which you consented to our messages rests on ${consent}. Otherwise, by source:`,
    rights: 'Your rights',
    rightsText: (dpo: string, regulator: string) =>
      `You may ask for access to your data, its rectification, erasure or restriction, and object at any time to receiving our messages, by writing to ${dpo}. You may also complain to ${regulator}.`,
    object: 'Every message has an unsubscribe link: one click stops every channel.',
    rightsForm: 'Make a request online (access, rectification, erasure, restriction, objection)',
    rightsMonth:
      'Your identity is checked by a code sent to the address or number we hold, never by questions. We answer every request within one month.',
    notStated: 'not stated',
    keep: {
      after_last_round: (days: number) => `until ${days} days after the election's last round`,
      after_single_message: (months: number) => `${months} months after the first message`,
      end_of_relationship: 'until our relationship ends',
    },
    types: {
      electoral_list: 'electoral list',
      signin_list: 'polling-station sign-in list',
      purchased_file: 'file obtained from a provider',
      referral: 'referral',
      door_to_door: 'door to door',
      member_file: 'member file',
      supporter_signup: 'supporter sign-ups',
    } as Record<string, string>,
  },
};

export function privacyRoutes(s: Services) {
  return (
    new Hono<{ Variables: AuthVariables }>()
      .get('/privacy/:orgId', permit(s, 'public'), async (c) => {
        const orgId = c.req.param('orgId');
        if (!/^[0-9a-f-]{36}$/i.test(orgId))
          throw DomainError.keyed('not_found', 'privacy.org_not_found', 'no such organisation');
        // An unknown organisation is a page in the voter's language (http/errors.ts), never JSON.
        const org = await getOrganisation(s.db, { orgId }).catch((error: unknown) => {
          if (error instanceof DomainError && error.code === 'not_found')
            throw DomainError.keyed('not_found', 'privacy.org_not_found', 'no such organisation');
          throw error;
        });
        const lang = french(org) ? 'fr' : 'en';
        const t = TEXT[lang];
        const pack = packFor(org.jurisdiction);
        const regulator = PACKS[org.jurisdiction].regulator;
        const sources = await listSources(s.db, { orgId });
        const keep = (type: SourceTypeName) => {
          const rule = pack.retention[type];
          if (rule.kind === 'after_last_round') return t.keep.after_last_round(rule.graceDays);
          if (rule.kind === 'after_single_message') return t.keep.after_single_message(rule.months);
          return t.keep.end_of_relationship;
        };
        const types = [...new Set(sources.map((src) => src.type))] as SourceTypeName[];
        const dpo = org.dpoName ? `${org.dpoName} (${org.dpoEmail})` : org.dpoEmail;
        c.header('Cache-Control', 'no-cache');
        return c.html(
          page(
            lang,
            t.title,
            html`<h1>${t.heading(org.legalName)}</h1>
              <dl>
                <dt>${t.controller}</dt>
                <dd>${org.legalName}, ${org.postalAddress}, ${org.contactEmail}</dd>
                <dt>${t.dpo}</dt>
                <dd>${dpo}</dd>
                <dt>${t.purposes}</dt>
                <dd>${org.noticePurposes ?? t.notStated}</dd>
                <dt>${t.recipients}</dt>
                <dd>${org.noticeRecipients ?? t.notStated}</dd>
              </dl>
              <h2>${t.sources}</h2>
              <ul>
                ${types.map(
                  (type) =>
                    html`<li>${t.types[type] ?? type}: ${keep(type as SourceTypeName)}</li>`,
                )}
              </ul>
              <h2>${t.legalBasis}</h2>
              <p>${t.legalBasisConsent(legalBasisWords(lang, org.jurisdiction, 'consent'))}</p>
              <ul>
                ${types.map(
                  (type) =>
                    html`<li>
                      ${t.types[type] ?? type}:
                      ${legalBasisWords(lang, org.jurisdiction, legalBasisOf(type, false))}
                    </li>`,
                )}
              </ul>
              <h2>${t.rights}</h2>
              <p>
                ${t.rightsText(dpo, regulator.name)} <a href="${regulator.url}">${regulator.url}</a>
              </p>
              <p><a href="/r/${org.id}">${t.rightsForm}</a></p>
              <p>${t.rightsMonth}</p>
              <p>${t.object}</p>`,
          ),
        );
      })
      // A link cut short, or another method: a page in the voter's language, never JSON.
      .all('/privacy', permit(s, 'public'), (c) =>
        publicErrorPage(c, 404, 'privacy.org_not_found', voterLanguages(c)),
      )
      .all('/privacy/*', permit(s, 'public'), (c) =>
        publicErrorPage(c, 404, 'privacy.org_not_found', voterLanguages(c)),
      )
  );
}
