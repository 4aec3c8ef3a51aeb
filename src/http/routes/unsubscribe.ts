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

export function unsubscribeRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .get('/u/:token', permit(s, 'public'), async (c) => {
      const org = await unsubscribeTarget(s.db, { keys: s.keys, token: c.req.param('token') });
      c.header('Cache-Control', 'no-store');
      c.header('Referrer-Policy', 'no-referrer');
      return french(org)
        ? c.html(
            page(
              'fr',
              'Se désabonner',
              html`<h1>Ne plus recevoir de messages</h1>
                <p>
                  Confirmez pour ne plus recevoir de messages de ${org.legalName}, par aucun canal.
                </p>
                <form method="post">
                  <button type="submit">Confirmer le désabonnement</button>
                </form>`,
            ),
          )
        : c.html(
            page(
              'en',
              'Unsubscribe',
              html`<h1>Stop receiving messages</h1>
                <p>Confirm to stop receiving messages from ${org.legalName}, on every channel.</p>
                <form method="post"><button type="submit">Confirm unsubscribe</button></form>`,
            ),
          );
    })
    .post('/u/:token', permit(s, 'public'), async (c) => {
      const org = await unsubscribe(s.db, {
        keys: s.keys,
        token: c.req.param('token'),
        clock: s.clock,
      });
      c.header('Cache-Control', 'no-store');
      return french(org)
        ? c.html(
            page(
              'fr',
              'Désabonnement enregistré',
              html`<h1>C’est fait</h1>
                <p>
                  ${org.legalName} ne vous enverra plus de messages. Votre opposition est
                  enregistrée.
                </p>`,
            ),
          )
        : c.html(
            page(
              'en',
              'Unsubscribed',
              html`<h1>Done</h1>
                <p>
                  ${org.legalName} will send you no more messages. Your objection is recorded.
                </p>`,
            ),
          );
    });
}
