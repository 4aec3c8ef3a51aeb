// Composes one recipient's email: merge fields, the notice built from their own provenance, the
// message reference, an unsubscribe link with a signed token, RFC 8058 one-click headers
// (List-Unsubscribe with https, and mailto when replies are processed; List-Unsubscribe-Post), and
// exactly one address in To.
// The HTML part comes from Markdown (marked) or is given, and is sanitised (sanitise-body.ts); the
// plain-text part is generated from it.
import { convert } from 'html-to-text';
import type { ContactIdentity } from '../contacts/identity.ts';
import type { Organisation } from '../organisations/organisations.ts';
import type { Campaign } from './campaigns.ts';
import { merge, mergeValues } from './merge-fields.ts';
import { noticeText, type RecipientProvenance } from './notice.ts';
import { bodyHtml } from './sanitise-body.ts';

export type OutgoingEmail = {
  from: { name: string; address: string };
  to: string;
  subject: string;
  html: string;
  text: string;
  headers: Record<string, string>;
  messageId: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
};

const escapeHtml = (v: string) => v.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/**
 * The body rendered once per campaign version, merge fields left in place: Markdown to HTML, and
 * HTML to plain text. Values are merged after rendering, so a name cannot turn into markup.
 */
const rendered = new Map<string, { html: string; text: string }>();
function renderedBody(campaign: Campaign) {
  const key = `${campaign.id}:${campaign.updatedAt.getTime()}`;
  let body = rendered.get(key);
  if (!body) {
    // Sanitised (sanitise-body.ts), as the preview shows it; merge values are escaped after this.
    const html = bodyHtml(campaign);
    // Headings keep their case: upper-casing would also turn {{firstName}} into {{FIRSTNAME}}.
    const selectors = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({
      selector,
      options: { uppercase: false },
    }));
    body = { html, text: convert(html, { wordwrap: 78, selectors }) };
    if (rendered.size >= 100) rendered.delete(rendered.keys().next().value!);
    rendered.set(key, body);
  }
  return body;
}

/** Turns the given URLs, where they appear in an escaped line, into links. */
function linkify(line: string, urls: string[]): string {
  return urls.reduce((out, url) => {
    const u = escapeHtml(url);
    return out.replace(u, `<a href="${u}">${u}</a>`);
  }, line);
}

export function composeEmail(options: {
  org: Organisation;
  campaign: Campaign;
  identity: ContactIdentity;
  provenance: RecipientProvenance;
  messageRef: string;
  unsubscribeUrl: string;
  /** The organisation's privacy notice page (NOT-1), linked from every message. */
  privacyUrl: string;
  /** The message's own page (`/m/:ref`, RIGHTS-2), linked from every notice. */
  messageUrl: string;
  /** Offered only when replies to it are processed (the inbound listener, OPT-1). */
  unsubscribeMailto?: string;
  domain: string;
  today: string;
  attachments?: OutgoingEmail['attachments'];
}): OutgoingEmail {
  const { org, campaign, identity } = options;
  if (!identity.email) throw new Error('composeEmail needs a recipient with an email address');
  const values = mergeValues(identity);
  const template = renderedBody(campaign);
  const bodyHtml = merge(template.html, values, escapeHtml);
  const bodyText = merge(template.text, values);
  const notice = noticeText(org, options.provenance, {
    unsubscribeUrl: options.unsubscribeUrl,
    privacyUrl: options.privacyUrl,
    messageUrl: options.messageUrl,
    messageRef: options.messageRef,
    today: options.today,
  });
  const html =
    `${bodyHtml}\n<hr>\n<p style="font-size:12px;color:#444">` +
    notice
      .split('\n')
      .map((line) =>
        linkify(escapeHtml(line), [options.unsubscribeUrl, options.privacyUrl, options.messageUrl]),
      )
      .join('<br>\n') +
    '</p>';
  const text = `${bodyText}\n\n--\n${notice}\n`;
  return {
    from: { name: campaign.fromName, address: campaign.fromEmail },
    to: identity.email,
    subject: merge(campaign.subject, values),
    html,
    text,
    headers: {
      'List-Unsubscribe': [options.unsubscribeUrl, options.unsubscribeMailto]
        .filter(Boolean)
        .map((u) => `<${u}>`)
        .join(', '),
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Isoloir-Ref': options.messageRef,
    },
    messageId: `<${options.messageRef}@${options.domain}>`,
    attachments: options.attachments ?? [],
  };
}
