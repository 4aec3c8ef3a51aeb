// Public unsubscribe pages, in the recipient's language (French for FR and MA organisations).
// GET shows a confirmation button and changes nothing (link scanners follow GET links), or says the
// objection is recorded. POST records the objection first: from the page's form it then redirects
// (303) to the GET page, so a reload does not post again; a mail client's one-click (RFC 8058,
// body `List-Unsubscribe=One-Click`) gets a plain 200 page. A replay writes nothing and answers
// alike. A link that does not verify gets a page (404), never JSON; it names the unsubscribe
// address only when replies to it are processed (OPT-1: never advise a way nobody reads).
import { Hono, type Context } from 'hono';
import { html } from 'hono/html';
import { noStore, page, publicErrorPage, voterLanguages } from '../public-page.ts';
import {
  organisationOfBrokenLink,
  unsubscribe,
  unsubscribeTarget,
} from '../../domain/objections/unsubscribe.ts';
import { DomainError } from '../../domain/errors.ts';
import { mailDomainOf } from '../../dispatch/create-dispatcher.ts';
import type { Organisation } from '../../domain/organisations/organisations.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { permit } from '../permit.ts';

const french = (org: Organisation) => org.jurisdiction !== 'EU';

/** The pages' words, in the recipient's language. */
const TEXT = {
  fr: {
    askTitle: 'Se désabonner',
    askHeading: 'Ne plus recevoir de messages',
    ask: (org: string) => `Confirmez pour ne plus recevoir de messages de ${org}, par aucun canal.`,
    button: 'Confirmer le désabonnement',
    doneTitle: 'Désabonnement enregistré',
    doneHeading: 'C’est fait',
    done: (org: string) =>
      `${org} ne vous enverra plus de messages. Votre opposition est enregistrée.`,
    alreadyHeading: 'Opposition déjà enregistrée',
    already: (org: string) =>
      `Votre opposition est déjà enregistrée : ${org} ne vous enverra plus de messages, par aucun canal.`,
    goneHeading: 'Nous ne détenons plus vos données',
    gone: (org: string) =>
      `${org} a supprimé les coordonnées auxquelles ce message a été envoyé : il ne peut plus vous écrire à partir d’elles.`,
    orWrite: (address: string) =>
      `Vous pouvez aussi écrire à l’adresse de désabonnement donnée avec le message (${address}).`,
  },
  en: {
    askTitle: 'Unsubscribe',
    askHeading: 'Stop receiving messages',
    ask: (org: string) => `Confirm to stop receiving messages from ${org}, on every channel.`,
    button: 'Confirm unsubscribe',
    doneTitle: 'Unsubscribed',
    doneHeading: 'Done',
    done: (org: string) => `${org} will send you no more messages. Your objection is recorded.`,
    alreadyHeading: 'Objection already recorded',
    already: (org: string) =>
      `Your objection is already recorded: ${org} will send you no more messages, on any channel.`,
    goneHeading: 'We no longer hold your data',
    gone: (org: string) =>
      `${org} has deleted the details this message was sent to: it can no longer write to you through them.`,
    orWrite: (address: string) =>
      `You may also write to the unsubscribe address given with the message (${address}).`,
  },
};

type Lang = keyof typeof TEXT;
const languageOf = (org: Organisation): Lang => (french(org) ? 'fr' : 'en');

/**
 * The unsubscribe address (its token elided) to name on a broken link's page, only when replies to
 * it are processed (the inbound listener is configured): never advise a way nobody reads.
 */
const replyAddress = (s: Services) =>
  s.email.unsubscribeByReply ? `unsubscribe+…@${mailDomainOf(s.email)}` : undefined;

/**
 * The answer to a link that does not verify: in the voter's language (Accept-Language), else its
 * organisation's if known, else both; with the stable code `unsubscribe.link_invalid`.
 */
async function invalidLink(s: Services, c: Context, token: string) {
  const org = await organisationOfBrokenLink(s.db, token);
  const address = replyAddress(s);
  return publicErrorPage(
    c,
    404,
    'unsubscribe.link_invalid',
    voterLanguages(c, org ? languageOf(org) : undefined),
    (l) => (address ? html`<p>${TEXT[l].orWrite(address)}</p>` : ''),
  );
}

const isNotFound = (error: unknown) => error instanceof DomainError && error.code === 'not_found';

/** RFC 8058: a mail client's one-click POST carries exactly this form field. */
async function isOneClick(c: Context) {
  const body = await c.req.text().catch(() => '');
  return new URLSearchParams(body.slice(0, 1000)).get('List-Unsubscribe') === 'One-Click';
}

export function unsubscribeRoutes(s: Services) {
  return (
    new Hono<{ Variables: AuthVariables }>()
      .get('/u/:token', permit(s, 'public'), async (c) => {
        const token = c.req.param('token');
        let target;
        try {
          target = await unsubscribeTarget(s.db, { keys: s.keys, token });
        } catch (error) {
          if (isNotFound(error)) return invalidLink(s, c, token);
          throw error;
        }
        const { org, alreadyRecorded } = target;
        const lang = languageOf(org);
        const t = TEXT[lang];
        noStore(c);
        if (target.noLongerHeld)
          return c.html(
            page(
              lang,
              t.goneHeading,
              html`<h1>${t.goneHeading}</h1>
                <p>${t.gone(org.legalName)}</p>`,
            ),
          );
        if (alreadyRecorded) {
          // Just confirmed through the form (see the POST below), or a later visit.
          const fresh = c.req.query('done') === '1';
          return c.html(
            page(
              lang,
              t.doneTitle,
              html`<h1>${fresh ? t.doneHeading : t.alreadyHeading}</h1>
                <p>${fresh ? t.done(org.legalName) : t.already(org.legalName)}</p>`,
            ),
          );
        }
        return c.html(
          page(
            lang,
            t.askTitle,
            html`<h1>${t.askHeading}</h1>
              <p>${t.ask(org.legalName)}</p>
              <form method="post"><button type="submit">${t.button}</button></form>`,
          ),
        );
      })
      .post('/u/:token', permit(s, 'public'), async (c) => {
        const token = c.req.param('token');
        const oneClick = await isOneClick(c);
        let answer;
        try {
          answer = await unsubscribe(s.db, { keys: s.keys, token, clock: s.clock });
        } catch (error) {
          if (isNotFound(error)) return invalidLink(s, c, token);
          throw error;
        }
        noStore(c);
        // From the page's form: to the GET page, so that a reload does not post again.
        if (!oneClick)
          return c.redirect(
            answer.alreadyRecorded || answer.noLongerHeld ? token : `${token}?done=1`,
            303,
          );
        const lang = languageOf(answer.org);
        const t = TEXT[lang];
        if (answer.noLongerHeld)
          return c.html(
            page(
              lang,
              t.goneHeading,
              html`<h1>${t.goneHeading}</h1>
                <p>${t.gone(answer.org.legalName)}</p>`,
            ),
          );
        return c.html(
          page(
            lang,
            t.doneTitle,
            html`<h1>${t.doneHeading}</h1>
              <p>${t.done(answer.org.legalName)}</p>`,
          ),
        );
      })
      // Anything else under /u/ (a link cut at a slash, another method): a page, never JSON.
      .all('/u', permit(s, 'public'), (c) =>
        publicErrorPage(c, 404, 'public.not_found', voterLanguages(c)),
      )
      .all('/u/*', permit(s, 'public'), (c) =>
        publicErrorPage(c, 404, 'public.not_found', voterLanguages(c)),
      )
  );
}
