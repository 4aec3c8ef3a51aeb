// Writes an export file: a watermark row naming the export, its requester, its approver and the
// time; a header; then one row per contact, each carrying the export's id (a leaked extract
// still says where it came from). Every cell goes through neutraliseCell.
import { stringify } from 'csv-stringify/sync';
import ExcelJS from 'exceljs';
import { neutraliseCell } from './neutralise.ts';

export type ExportTable = {
  watermark: string;
  header: string[];
  rows: (string | null)[][];
};

const cells = (row: (string | null)[]) => row.map((v) => neutraliseCell(v ?? ''));

export function writeCsv(table: ExportTable): Buffer {
  const lines = [cells([table.watermark]), cells(table.header), ...table.rows.map(cells)];
  // A byte-order mark so that spreadsheets read UTF-8 accents correctly.
  return Buffer.concat([
    Buffer.from('\uFEFF'),
    Buffer.from(stringify(lines, { quoted_string: true })),
  ]);
}

export async function writeXlsx(table: ExportTable): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Isoloir';
  workbook.description = table.watermark;
  const sheet = workbook.addWorksheet('export', {
    headerFooter: { oddHeader: table.watermark, oddFooter: table.watermark },
  });
  // Values are written as strings (never formulas), and neutralised as well: a copy-paste into
  // another sheet or a CSV re-save keeps them harmless.
  sheet.addRow(cells([table.watermark]));
  sheet.addRow(cells(table.header)).font = { bold: true };
  for (const row of table.rows) sheet.addRow(cells(row));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
