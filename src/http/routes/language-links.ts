// The links to a voter's page in the organisation's other languages, written once for every
// voter page that has them (the message's page, the report form, the rights pages) so that they
// read and behave alike: one link a language, named in its own language and marked as such.
import { html } from 'hono/html';
import { organisationLanguages, type VoterLang } from '../public-page.ts';
import { LANGUAGE_NAMES } from './rights-words.ts';

/** `label` names the list (in `lang`); `href` is the page's address in a language. */
export function languageLinks(
  label: string,
  lang: VoterLang,
  jurisdiction: 'FR' | 'MA' | 'EU',
  href: (l: VoterLang) => string,
) {
  const others = organisationLanguages(jurisdiction).filter((l) => l !== lang);
  return html`<nav aria-label="${label}">
    <ul>
      ${others.map(
        (l) =>
          html`<li>
            <a href="${href(l)}" lang="${l}" hreflang="${l}">${LANGUAGE_NAMES[l]}</a>
          </li>`,
      )}
    </ul>
  </nav>`;
}
