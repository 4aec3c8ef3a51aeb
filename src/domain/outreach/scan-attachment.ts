// SEC-3: files of personal data never leave as attachments (the UMP sent 3,594 members' details
// in an Excel attachment). Each attachment's text is searched for email addresses (other than the
// organisation's own), phone numbers, contact cards, and spreadsheet columns named like personal
// data; any of them blocks the campaign. The violation says what was found and how much, never
// the values.
import { findPhoneNumbersInText } from 'libphonenumber-js/max';
import type { Violation } from '../../policy/rules.ts';
import { attachmentText } from './attachment-text.ts';

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;
// A cell that starts like the name of a personal-data column: "Nom de famille", "E-mail address".
const PERSONAL_HEADER =
  /^(nom|pr[ée]noms?|name|first ?names?|last ?name|surname|e-?mail|courriel|t[ée]l[ée]phone|phone|mobile|portable|adresse|address|date de naissance|date of birth|birth ?date|dob)\b/i;

/** The header cells of a delimited text file (CSV, TSV): a first line of three cells or more. */
const textCells = (text: string) => {
  const cells = (text.split(/\r?\n/, 1)[0] ?? '').split(/[,;\t|]/);
  return cells.length >= 3 ? cells : [];
};

export async function scanAttachment(
  attachment: { fileName: string; content: Buffer },
  options: { ownAddresses: string[] },
): Promise<Violation[]> {
  const found = await attachmentText(attachment.content);
  const name = JSON.stringify(attachment.fileName);
  if (found.kind === 'image') return [];
  if (found.kind === 'unreadable')
    return [
      {
        rule: 'SEC-3',
        message: `attachment ${name} is ${found.why}, so it cannot be checked for personal data: send a PDF, a text or an image instead`,
      },
    ];
  const own = new Set(options.ownAddresses.map((a) => a.toLowerCase()));
  const emails = (found.text.match(EMAIL) ?? []).filter((e) => !own.has(e.toLowerCase()));
  const phones = [
    ...findPhoneNumbersInText(found.text, { defaultCountry: 'FR' }),
    ...findPhoneNumbersInText(found.text, { defaultCountry: 'MA' }),
  ];
  const what: string[] = [];
  if (/BEGIN:VCARD/i.test(found.text)) what.push('contact cards (vCard)');
  if (emails.length)
    what.push(`${new Set(emails.map((e) => e.toLowerCase())).size} email address(es)`);
  if (phones.length)
    what.push(`${new Set(phones.map((p) => p.number.number)).size} phone number(s)`);
  const cells = found.cells ?? (found.kind === 'text' ? textCells(found.text) : []);
  const headers = cells.filter((c) => PERSONAL_HEADER.test(c.trim()));
  if (headers.length)
    what.push(`columns of personal data (${[...new Set(headers)].slice(0, 5).join(', ')})`);
  if (!what.length) return [];
  return [
    {
      rule: 'SEC-3',
      message: `attachment ${name} holds personal data (${what.join(', ')}): files of personal data never leave as attachments; remove it`,
    },
  ];
}
