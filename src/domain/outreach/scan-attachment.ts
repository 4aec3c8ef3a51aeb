// SEC-3: files of personal data never leave as attachments (the UMP sent 3,594 members' details
// in an Excel attachment). Each attachment's text is searched for email addresses (other than the
// organisation's own), phone numbers, contact cards, lists of names with postal addresses and
// spreadsheet columns named like personal data (detectors in personal-data-detector.ts, shared
// with the scan of the subject and body); any of them blocks the campaign. The file name is
// scanned too, since it leaves in the message. The violation says what was found and how much, never
// the values.
import type { Violation } from '../../policy/rules.ts';
import { attachmentText } from './attachment-text.ts';
import { describePersonalData, personalColumns, type OwnData } from './personal-data-detector.ts';

/** The header cells of a delimited text file (CSV, TSV): a first line of three cells or more. */
const textCells = (text: string) => {
  const cells = (text.split(/\r?\n/, 1)[0] ?? '').split(/[,;\t|]/);
  return cells.length >= 3 ? cells : [];
};

export async function scanAttachment(
  attachment: { fileName: string; content: Buffer },
  options: { ownAddresses: string[]; postalAddress?: string; ownPhones?: string[] },
): Promise<Violation[]> {
  const own: OwnData = {
    addresses: options.ownAddresses,
    postalAddress: options.postalAddress,
    phones: options.ownPhones,
  };
  // The file name leaves too, in the message's headers: scanned, and then never repeated.
  const inName = describePersonalData([attachment.fileName], own);
  if (inName.length)
    return [
      {
        rule: 'SEC-3',
        key: 'attachment.name_personal_data',
        params: { found: inName.join(', ') },
        message: `an attachment's file name holds personal data (${inName.join(', ')}): rename or remove it`,
      },
    ];
  const found = await attachmentText(attachment.content);
  const name = JSON.stringify(attachment.fileName);
  if (found.kind === 'image') return [];
  if (found.kind === 'unreadable')
    return [
      {
        rule: 'SEC-3',
        key: found.key ?? 'attachment.unreadable',
        ...(found.params ? { params: found.params } : {}),
        message: `attachment ${name} is ${found.why}, so it cannot be checked for personal data: send a PDF, a text or an image instead`,
      },
    ];
  const what = describePersonalData([found.text], own);
  const cells = found.cells ?? (found.kind === 'text' ? textCells(found.text) : []);
  const headers = personalColumns(cells);
  if (headers.length) what.push(`columns of personal data (${headers.slice(0, 5).join(', ')})`);
  if (!what.length) return [];
  return [
    {
      rule: 'SEC-3',
      key: 'attachment.personal_data',
      params: { found: what.join(', ') },
      message: `attachment ${name} holds personal data (${what.join(', ')}): files of personal data never leave as attachments; remove it`,
    },
  ];
}
