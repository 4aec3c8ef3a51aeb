// Public unsubscribe pages, in the recipient's language (French for FR and MA organisations).
// GET shows a confirmation button and changes nothing (link scanners follow GET links);
// POST, from that button or from a mail client's one-click (RFC 8058), records the objection
// first, then answers 200.
import { Hono } from 'hono';
import { html } from 'hono/html';
import { unsubscribe, unsubscribeTarget } from '../../domain/objections/unsubscribe.ts';
import type { Organisation } from '../../domain/organisations/organisations.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { permit } from '../permit.ts';

const french = (org: Organisation) => org.jurisdiction !== 'EU';

const page = (lang: string, title: string, body: ReturnType<typeof html>) =>
  html`<!doctype html>
    <html lang="${lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>${title}</title>
        <style>
          body {
            font:
              1.05rem/1.5 system-ui,
              sans-serif;
            max-width: 36rem;
            margin: 3rem auto;
            padding: 0 1rem;
            color: #1a1a1a;
          }
          button {
            font: inherit;
            padding: 0.6rem 1.2rem;
            background: #1f3a93;
            color: #fff;
            border: 0;
            border-radius: 4px;
            cursor: pointer;
          }
          button:focus-visible {
            outline: 3px solid #f5a623;
            outline-offset: 2px;
          }
        </style>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`;

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
