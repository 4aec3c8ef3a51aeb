// The shell of the public pages (unsubscribe, privacy notice): served by the server itself, in
// the recipient's language, readable without JavaScript, high-contrast, with a visible focus.
// Every error a voter can reach is such a page too (never JSON), in the voter's language, with
// the stable code of the message in small print (what a voter can quote to the organisation).
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const page = (lang: string, title: string, body: ReturnType<typeof html>) =>
  html`<!doctype html>
    <html lang="${lang}" dir="${lang === 'ar' ? 'rtl' : 'ltr'}">
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
          a {
            color: #1f3a93;
          }
          dt {
            font-weight: 600;
            margin-top: 0.8rem;
          }
          dd {
            margin: 0;
          }
          .code {
            color: #4d4d4d;
            font-size: 0.85rem;
          }
          a:focus-visible,
          button:focus-visible {
            outline: 3px solid #b35900;
            outline-offset: 2px;
          }
        </style>
      </head>
      <body>
        <main>${body}</main>
      </body>
    </html>`;

export type PublicLang = 'fr' | 'en';

/** The language a browser asks for (Accept-Language), when it is one of ours: its highest `q`. */
export function acceptedLanguage(header: string | undefined): PublicLang | undefined {
  let best: { lang: PublicLang; q: number } | undefined;
  for (const part of (header ?? '').slice(0, 500).split(',')) {
    const [tag = '', ...rest] = part.trim().toLowerCase().split(';');
    const lang = /^(fr|en)(-|$)/.exec(tag)?.[1] as PublicLang | undefined;
    const q = Number(/^\s*q=([\d.]+)/.exec(rest.join(';'))?.[1] ?? 1);
    if (lang && q > 0 && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang;
}

/**
 * The languages of a public error page: the voter's (Accept-Language), else the organisation's
 * when the link names one (FR and MA: French, EU: English), else both, French first.
 */
export function voterLanguages(c: Context, orgLang?: PublicLang): PublicLang[] {
  const asked = acceptedLanguage(c.req.header('accept-language'));
  if (asked) return [asked];
  return orgLang ? [orgLang] : ['fr', 'en'];
}

type PublicText = { title: string; heading: string; text: string };

/** The voter-facing errors, by stable key (the web catalogue, web/i18n/errors.ts, has them too). */
export const PUBLIC_ERRORS: Record<string, Record<PublicLang, PublicText>> = {
  'unsubscribe.link_invalid': {
    fr: {
      title: 'Lien non valable',
      heading: 'Ce lien de désabonnement n’est pas valable',
      text: 'Il est peut-être incomplet : copiez le lien entier depuis le message.',
    },
    en: {
      title: 'Invalid link',
      heading: 'This unsubscribe link is not valid',
      text: 'It may be incomplete: copy the whole link from the message.',
    },
  },
  'public.not_found': {
    fr: {
      title: 'Page introuvable',
      heading: 'Cette page n’existe pas',
      text: 'Si ce lien vient d’un message, il est peut-être incomplet : copiez le lien entier depuis le message.',
    },
    en: {
      title: 'Page not found',
      heading: 'This page does not exist',
      text: 'If the link comes from a message, it may be incomplete: copy the whole link from the message.',
    },
  },
  'privacy.org_not_found': {
    fr: {
      title: 'Notice introuvable',
      heading: 'Cette notice d’information n’existe pas',
      text: 'Aucune organisation ne correspond à ce lien : copiez le lien entier depuis le message.',
    },
    en: {
      title: 'Notice not found',
      heading: 'This privacy notice does not exist',
      text: 'No organisation matches this link: copy the whole link from the message.',
    },
  },
  'public.throttled': {
    fr: {
      title: 'Trop de demandes',
      heading: 'Trop de demandes',
      text: 'Merci de réessayer dans quelques minutes.',
    },
    en: {
      title: 'Too many requests',
      heading: 'Too many requests',
      text: 'Please try again in a few minutes.',
    },
  },
  'public.throttled_link': {
    fr: {
      title: 'Trop de demandes',
      heading: 'Trop de demandes',
      text: 'Cette page a été trop demandée ; vous pouvez toujours vous désabonner.',
    },
    en: {
      title: 'Too many requests',
      heading: 'Too many requests',
      text: 'This page was requested too often; you can still unsubscribe.',
    },
  },
  'public.request_invalid': {
    fr: {
      title: 'Demande non valable',
      heading: 'Cette demande n’a pas pu être traitée',
      text: 'Revenez au lien donné dans le message et réessayez.',
    },
    en: {
      title: 'Invalid request',
      heading: 'This request could not be handled',
      text: 'Go back to the link given in the message and try again.',
    },
  },
  'public.unavailable': {
    fr: {
      title: 'Service indisponible',
      heading: 'Le service est momentanément indisponible',
      text: 'Merci de réessayer plus tard. Votre demande n’a pas été perdue si elle a été confirmée.',
    },
    en: {
      title: 'Service unavailable',
      heading: 'The service is unavailable for now',
      text: 'Please try again later. A request that was confirmed is not lost.',
    },
  },
};

const CODE_LABEL: Record<PublicLang, string> = { fr: 'code :', en: 'code:' };

/**
 * The headers of every voter page (one message's facts, a form, an error): never cached, and no
 * referrer, so that the address of a page (a message's reference, a request's id) goes nowhere.
 */
export const noStore = (c: Context) => {
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
};

/**
 * A voter-facing error page: in each of `langs`, the key's heading and text, then `extra` (a
 * line, or the unsubscribe form); the stable code in small print. `Cache-Control: no-store`.
 */
export function publicErrorPage(
  c: Context,
  status: ContentfulStatusCode,
  key: string,
  langs: PublicLang[],
  extra?: (lang: PublicLang) => ReturnType<typeof html> | string,
) {
  const words = PUBLIC_ERRORS[key] ?? PUBLIC_ERRORS['public.request_invalid']!;
  noStore(c);
  return c.html(
    page(
      langs[0]!,
      langs.map((l) => words[l].title).join(' — '),
      html`${langs.map(
          (l) =>
            html`<div lang="${l}">
              <h1>${words[l].heading}</h1>
              <p>${words[l].text}</p>
              ${extra ? extra(l) : ''}
            </div>`,
        )}
        <p class="code">${CODE_LABEL[langs[0]!]} <code>${key}</code></p>`,
    ),
    status,
  );
}

/** Whether a path is one of the public pages, whose errors are pages, never JSON. */
export const isPublicPath = (path: string) =>
  ['/u', '/privacy', '/m', '/r'].some((p) => path === p || path.startsWith(`${p}/`));

/**
 * The voter's side (issue 15) speaks the organisation's languages: French and English, and for a
 * Moroccan organisation Arabic first. The first is the default.
 */
export type VoterLang = 'fr' | 'en' | 'ar';
export function organisationLanguages(jurisdiction: 'FR' | 'MA' | 'EU'): VoterLang[] {
  if (jurisdiction === 'MA') return ['ar', 'fr', 'en'];
  if (jurisdiction === 'EU') return ['en', 'fr'];
  return ['fr', 'en'];
}

/**
 * The language of a voter's page: `?lang=` when it is one of the organisation's (the page's own
 * language links), else the browser's (Accept-Language) when it is, else the organisation's first.
 */
export function voterLanguage(c: Context, jurisdiction: 'FR' | 'MA' | 'EU'): VoterLang {
  const allowed = organisationLanguages(jurisdiction);
  const asked = c.req.query('lang');
  if (asked && (allowed as string[]).includes(asked)) return asked as VoterLang;
  const header = (c.req.header('accept-language') ?? '').slice(0, 500).toLowerCase();
  let best: { lang: VoterLang; q: number } | undefined;
  for (const part of header.split(',')) {
    const [tag = '', ...rest] = part.trim().split(';');
    const lang = /^(fr|en|ar)(-|$)/.exec(tag)?.[1] as VoterLang | undefined;
    const q = Number(/^\s*q=([\d.]+)/.exec(rest.join(';'))?.[1] ?? 1);
    if (lang && allowed.includes(lang) && q > 0 && (!best || q > best.q)) best = { lang, q };
  }
  return best?.lang ?? allowed[0]!;
}
