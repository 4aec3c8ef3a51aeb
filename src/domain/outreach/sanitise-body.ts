// CH-EMAIL / SEC-3: the HTML part of a campaign's body is sanitised (sanitize-html) before it is
// sent or previewed, whether it was given as HTML or produced from Markdown (marked passes raw HTML
// through). Kept: harmless formatting (paragraphs, headings, lists, emphasis, quotes, code, simple
// tables, rules, line breaks) and links to http, https and mailto addresses only. Dropped: scripts,
// styles (a style can load a remote resource), forms and their fields, frames, objects, embeds,
// SVG and MathML, base, meta and link, every event handler and every other attribute, and every
// image: a remote image is a tracking pixel, which needs consent; an inline image (data: URL, or
// cid: with no inline part to point to) is dropped too, so pictures go as attachments.
// Merge fields ({{firstName}}) pass through as text, and are filled, escaped, after sanitising.
import { marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** The only link targets kept: absolute web and mail addresses (a merge field cannot add one). */
const LINK = /^\s*(?:https?:\/\/|mailto:)/i;

export const ALLOWED_TAGS = [
  ...['p', 'br', 'hr', 'div', 'span', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
  ...['ul', 'ol', 'li', 'blockquote', 'pre', 'code', 'a'],
  ...['strong', 'b', 'em', 'i', 'u', 's', 'del', 'ins', 'sub', 'sup', 'small', 'mark'],
  ...['table', 'caption', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td'],
];

export const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  a: ['href', 'title'],
  ol: ['start'],
  td: ['colspan', 'rowspan'],
  th: ['colspan', 'rowspan', 'scope'],
};

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: ALLOWED_ATTRIBUTES,
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  allowVulnerableTags: false,
  disallowedTagsMode: 'discard',
  // Dropped with their content: what they hold is code, styling or hidden text, never the message.
  nonTextTags: [
    ...['script', 'style', 'textarea', 'option', 'noscript', 'title', 'template', 'xmp'],
    ...['iframe', 'noembed', 'noframes', 'object', 'embed', 'svg', 'math', 'head', 'select'],
  ],
  transformTags: {
    // Relative links mean nothing in an email, and "{{firstName}}" as a whole href could become
    // "javascript:..." once merged: a link keeps its href only if it starts with a kept scheme.
    a: (tagName, attribs) => {
      const { href, ...rest } = attribs;
      return { tagName, attribs: href !== undefined && LINK.test(href) ? { href, ...rest } : rest };
    },
  },
};

/** The HTML with only the allowlisted tags and attributes left. */
export const sanitiseHtml = (html: string): string => sanitizeHtml(html, OPTIONS);

type Body = { body: string; bodyFormat: string };

/** The body's HTML before sanitising: Markdown rendered by marked, or the HTML given. */
export const unsanitisedHtml = (campaign: Body): string =>
  campaign.bodyFormat === 'markdown'
    ? (marked.parse(campaign.body, { async: false }) as string)
    : campaign.body;

/** The body's HTML as sent and previewed, merge fields left in place. */
export const bodyHtml = (campaign: Body): string => sanitiseHtml(unsanitisedHtml(campaign));
