// Writes test input files (CSV in a chosen encoding, XLSX) into a private temp directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

export function tempDir(prefix = 'isoloir-files-'): {
  dir: string;
  file(name: string): string;
  remove(): void;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  return {
    dir,
    file: (name) => path.join(dir, name),
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Rows of cells -> delimited text (quoting cells that need it) -> bytes in `encoding`. */
export function writeCsv(
  file: string,
  rows: string[][],
  options: { delimiter?: string; encoding?: string; bom?: boolean; eol?: string } = {},
): string {
  const d = options.delimiter ?? ';';
  const quote = (cell: string) =>
    /["\r\n]/.test(cell) || cell.includes(d) ? `"${cell.replace(/"/g, '""')}"` : cell;
  const text =
    rows.map((r) => r.map(quote).join(d)).join(options.eol ?? '\r\n') + (options.eol ?? '\r\n');
  const bytes = iconv.encode(text, options.encoding ?? 'utf-8', { addBOM: options.bom ?? false });
  fs.writeFileSync(file, bytes);
  return file;
}

export async function writeXlsx(
  file: string,
  sheets: Record<string, (string | number | Date)[][]>,
): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = workbook.addWorksheet(name);
    for (const row of rows) sheet.addRow(row);
  }
  await workbook.xlsx.writeFile(file);
  return file;
}

/** The official electoral-list extract's columns, as a commune hands them over. */
export const ELECTORAL_HEADERS = [
  'NomdeNaissance',
  'NomDusage',
  'Prenoms',
  'Sexe',
  'DateDeNaissance',
  'CommuneDeNaissance',
  'PaysDeNaissance',
  'Nationalite',
  'NumeroVoie',
  'LibelleVoie',
  'CodePostal',
  'Commune',
  'CodeCommune',
  'BureauDeVote',
  'Email',
];

/** One voter's row under ELECTORAL_HEADERS, as a commune's extract gives it (email included). */
export const ELECTORAL_ROW = [
  'MARTIN',
  '',
  'Zoé',
  'F',
  '12/12/1999',
  'Nantes',
  'FRANCE',
  'Française',
  '1',
  'rue Basse',
  '44000',
  'Nantes',
  '44109',
  '0101',
  'zoe@exemple.fr',
];
