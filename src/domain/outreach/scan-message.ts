// SEC-3: a message body or subject that holds personal data is blocked, as an attachment is: other
// people's email addresses (anything but the organisation's contact and DPO addresses and the
// campaign's sender), phone numbers, or a pasted list of names with postal addresses (the
// organisation's own postal address aside). Scanned: the subject; the body as typed; the text a
// recipient sees in the HTML sent (entities decoded, an address split by tags joined again); and
// every attribute of the rendered HTML (href="mailto:...", percent-encoded or not). Merge fields
// ({{firstName}}) are the recipient's own data, filled per message: they are not counted.
import { convert } from 'html-to-text';
import sanitizeHtml from 'sanitize-html';
import type { Violation } from '../../policy/rules.ts';
import { describePersonalData, type OwnData } from './personal-data-detector.ts';
import { bodyHtml, unsanitisedHtml } from './sanitise-body.ts';

const withoutMergeFields = (text: string) => text.replace(/\{\{[^}]*\}\}/g, ' ');

const decodeUri = (value: string) => {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
};

/** Every attribute value of the HTML as given (entities decoded by the parser), and URI-decoded. */
function attributeValues(html: string): string[] {
  const values: string[] = [];
  sanitizeHtml(html, {
    allowedTags: [],
    allowedAttributes: {},
    onOpenTag: (_name, attribs) => {
      for (const v of Object.values(attribs)) values.push(v, decodeUri(v));
    },
  });
  return values;
}

/** The text a recipient sees: no wrapping, table cells on one line per row. */
const visibleText = (html: string) =>
  convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'table', format: 'dataTable' },
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  });

export function scanMessage(
  campaign: { subject: string; body: string; bodyFormat: string; fromEmail: string },
  org: {
    contactEmail: string;
    dpoEmail: string;
    postalAddress: string;
    contactPhone?: string | null;
  },
): Violation[] {
  const own: OwnData = {
    addresses: [org.contactEmail, org.dpoEmail, campaign.fromEmail],
    postalAddress: org.postalAddress,
    phones: org.contactPhone ? [org.contactPhone] : [],
  };
  const violations: Violation[] = [];
  const subject = withoutMergeFields(campaign.subject);
  const inSubject = describePersonalData([subject], own);
  if (inSubject.length)
    violations.push({
      rule: 'SEC-3',
      key: 'campaign.subject_personal_data',
      params: { found: inSubject.join(', ') },
      message: `the subject holds personal data (${inSubject.join(', ')}): other people's details never leave in a message; remove them`,
    });
  const seen = visibleText(withoutMergeFields(bodyHtml(campaign)));
  const attributes = attributeValues(withoutMergeFields(unsanitisedHtml(campaign)));
  const typed = withoutMergeFields(campaign.body);
  // Lines as typed too: Markdown joins the lines of a pasted list into one paragraph.
  const inBody = describePersonalData([typed, seen, ...attributes], own, { lines: [typed, seen] });
  if (inBody.length)
    violations.push({
      rule: 'SEC-3',
      key: 'campaign.body_personal_data',
      params: { found: inBody.join(', ') },
      message: `the body holds personal data (${inBody.join(', ')}): other people's details never leave in a message; remove them`,
    });
  return violations;
}
