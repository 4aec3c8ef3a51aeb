// How much of an imported file the reader may hold or inflate: hostile or careless files (a zip
// bomb, a 2 GB cell) are refused with the limit named, and the process keeps answering.
// Settings (config.ts, docs/limits.md): ISOLOIR_IMPORT_MAX_CELL_BYTES,
// ISOLOIR_IMPORT_MAX_ZIP_ENTRY_BYTES, ISOLOIR_IMPORT_MAX_XLSX_TEXT_BYTES.
export type ImportLimits = {
  /** One cell (CSV or XLSX): a longer cell rejects its own row, the rest of the file is read. */
  maxCellBytes: number;
  /** What any one zip entry of an XLSX file may inflate to. */
  maxZipEntryBytes: number;
  /** Total text an XLSX's shared strings (and inline cells held at once) may take in memory. */
  maxXlsxTextBytes: number;
};

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxCellBytes: 1024 * 1024,
  maxZipEntryBytes: 150 * 1024 * 1024,
  maxXlsxTextBytes: 64 * 1024 * 1024,
};
