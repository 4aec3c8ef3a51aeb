// The text inside an attachment, found by its content, not its name: a spreadsheet renamed
// "programme.pdf" is still read as a spreadsheet. Formats: PDF (unpdf), XLSX (exceljs),
// ODS and DOCX/ODT (their XML, through jszip), and text (CSV, vCard, plain). Images hold no text
// we can read; anything else cannot be checked and is reported as such.
// An archive is first inflated part by part through the capped zip reader of the import
// (xlsx/zip.ts), counting the real inflated bytes: one that inflates past
// ATTACHMENT_MAX_INFLATED_BYTES (a zip bomb) cannot be checked, so it is refused (SEC-3), before
// jszip or exceljs hold any of it in memory.
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { extractText, getDocumentProxy } from 'unpdf';
import { formatBytes } from '../contacts/import/xlsx/refusals.ts';
import { ZipArchive } from '../contacts/import/xlsx/zip.ts';
import { DomainError } from '../errors.ts';

export type AttachmentText =
  | { kind: 'text' | 'pdf' | 'spreadsheet' | 'document'; text: string; cells?: string[] }
  | { kind: 'image' }
  | { kind: 'unreadable'; why: string; key?: string; params?: Record<string, string> };

/** What an archive attachment may inflate to, all its parts together (real bytes, not headers). */
export const ATTACHMENT_MAX_INFLATED_BYTES = 64 * 1024 * 1024;

const startsWith = (b: Buffer, s: string) => b.subarray(0, s.length).toString('latin1') === s;

function isImage(b: Buffer): boolean {
  return (
    startsWith(b, '\x89PNG') ||
    startsWith(b, '\xFF\xD8\xFF') ||
    startsWith(b, 'GIF8') ||
    (startsWith(b, 'RIFF') && b.subarray(8, 12).toString('latin1') === 'WEBP')
  );
}

function looksLikeText(b: Buffer): boolean {
  const sample = b.subarray(0, 4096);
  let odd = 0;
  for (const byte of sample) if (byte < 9 || (byte > 13 && byte < 32)) odd++;
  return odd <= sample.length * 0.01;
}

const xmlText = (xml: string) =>
  xml
    .replace(/<(text:p|text:h|w:p|table:table-cell|row|c)\b[^>]*>/g, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');

/** An archive's parts inflated (and dropped) one chunk at a time against the limit. */
async function inflationRefusal(
  content: Buffer,
  limit: number,
): Promise<Extract<AttachmentText, { kind: 'unreadable' }> | undefined> {
  const tooLarge = {
    kind: 'unreadable' as const,
    why: `an archive that inflates past ${formatBytes(limit)} (a zip bomb, or too large to check)`,
    key: 'attachment.inflates_too_large',
    params: { limit: formatBytes(limit) },
  };
  let archive: ZipArchive;
  try {
    archive = await ZipArchive.open(content, { keep: /^/ });
  } catch {
    return { kind: 'unreadable', why: 'a damaged archive' };
  }
  try {
    const parts = archive.parts();
    if (parts.reduce((sum, p) => sum + p.declaredSize, 0) > limit) return tooLarge;
    let inflated = 0;
    for (const part of parts)
      for await (const chunk of archive.read(part.name, { maxBytes: limit - inflated }))
        inflated += chunk.length;
    return undefined;
  } catch (error) {
    if (error instanceof DomainError && error.key === 'import.xlsx_entry_too_large')
      return tooLarge;
    return { kind: 'unreadable', why: 'a damaged archive' };
  } finally {
    archive.close();
  }
}

export async function attachmentText(
  content: Buffer,
  options: { maxInflatedBytes?: number } = {},
): Promise<AttachmentText> {
  if (startsWith(content, '%PDF')) {
    // Files embedded in a PDF are not read: such a PDF cannot be checked.
    if (content.includes('/EmbeddedFile'))
      return { kind: 'unreadable', why: 'a PDF carrying embedded files' };
    try {
      const pdf = await getDocumentProxy(new Uint8Array(content));
      const { text } = await extractText(pdf, { mergePages: true });
      return { kind: 'pdf', text };
    } catch {
      return { kind: 'unreadable', why: 'a PDF that cannot be read' };
    }
  }
  if (startsWith(content, 'PK\x03\x04')) {
    const refused = await inflationRefusal(
      content,
      options.maxInflatedBytes ?? ATTACHMENT_MAX_INFLATED_BYTES,
    );
    if (refused) return refused;
    let zip: JSZip;
    try {
      zip = await JSZip.loadAsync(content);
    } catch {
      return { kind: 'unreadable', why: 'a damaged archive' };
    }
    if (zip.file('xl/workbook.xml')) {
      const workbook = new ExcelJS.Workbook();
      try {
        await workbook.xlsx.load(content as unknown as ArrayBuffer);
      } catch {
        return { kind: 'unreadable', why: 'a spreadsheet that cannot be read' };
      }
      const cells: string[] = [];
      workbook.eachSheet((sheet) =>
        sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.text ?? '')))),
      );
      return { kind: 'spreadsheet', text: cells.join('\n'), cells };
    }
    const mimetype = await zip.file('mimetype')?.async('string');
    const contentXml = await zip.file('content.xml')?.async('string');
    if (mimetype?.startsWith('application/vnd.oasis.opendocument.spreadsheet') && contentXml) {
      const cells = [
        ...contentXml.matchAll(/<table:table-cell\b[^>]*>([\s\S]*?)<\/table:table-cell>/g),
      ]
        .map((m) => xmlText(m[1]!).trim())
        .filter(Boolean);
      return { kind: 'spreadsheet', text: xmlText(contentXml), cells };
    }
    if (mimetype?.startsWith('application/vnd.oasis.opendocument') && contentXml)
      return { kind: 'document', text: xmlText(contentXml) };
    const word = await zip.file('word/document.xml')?.async('string');
    if (word) return { kind: 'document', text: xmlText(word) };
    return { kind: 'unreadable', why: 'an archive of a kind that cannot be checked' };
  }
  if (isImage(content)) return { kind: 'image' };
  if (looksLikeText(content)) {
    const utf8 = content.toString('utf8');
    return { kind: 'text', text: utf8.includes('\uFFFD') ? content.toString('latin1') : utf8 };
  }
  return { kind: 'unreadable', why: 'a binary file of a kind that cannot be checked' };
}
