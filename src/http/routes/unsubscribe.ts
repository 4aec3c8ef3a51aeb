// Public unsubscribe pages, in the recipient's language (French for FR and MA organisations).
// GET shows a confirmation button and changes nothing (link scanners follow GET links);
// POST, from that button or from a mail client's one-click (RFC 8058), records the objection
// first, then answers 200.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { page } from '../public-page.ts';
import { unsubscribe, unsubscribeTarget } from '../../domain/objections/unsubscribe.ts';
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
  },
  en: {
    askTitle: 'Unsubscribe',
    askHeading: 'Stop receiving messages',
    ask: (org: string) => `Confirm to stop receiving messages from ${org}, on every channel.`,
    button: 'Confirm unsubscribe',
    doneTitle: 'Unsubscribed',
    doneHeading: 'Done',
    done: (org: string) => `${org} will send you no more messages. Your objection is recorded.`,
  },
};

const languageOf = (org: Organisation) => (french(org) ? 'fr' : 'en');

export function unsubscribeRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .get('/u/:token', permit(s, 'public'), async (c) => {
      const org = await unsubscribeTarget(s.db, { keys: s.keys, token: c.req.param('token') });
      const lang = languageOf(org);
      const t = TEXT[lang];
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
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
      const org = await unsubscribe(s.db, {
        keys: s.keys,
        token: c.req.param('token'),
        clock: s.clock,
      });
      const lang = languageOf(org);
      const t = TEXT[lang];
      c.header('Cache-Control', 'no-store');
      return c.html(
        page(
          lang,
          t.doneTitle,
          html`<h1>${t.doneHeading}</h1>
            <p>${t.done(org.legalName)}</p>`,
        ),
      );
    });
}
