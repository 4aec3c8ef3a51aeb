// What an import reports. For every import: read = imported + merged + rejected + suppressed.
export type ImportSummary = {
  importId: string;
  status: 'running' | 'done' | 'failed';
  read: number;
  imported: number;
  merged: number;
  rejected: number;
  suppressed: number;
  /** Values that differed from what a merged contact already had, left unchanged. */
  conflicts: number;
  /** Consents whose row's email, phone or address lost the merge to the contact's own (SRC-3). */
  consentsNotRecorded: number;
  /** Values not stored: by rule (email, birthplace, nationality) or by unmapped column name. */
  dropped: Record<string, number>;
  unmappedColumns: string[];
  /** The rule under which each dropped column was dropped: {"Religion": "SEG-2"} (or SRC-2). */
  droppedRules: Record<string, string>;
  /** Cells not stored because their value is outside the field's closed vocabulary (SEG-2). */
  rejectedCells: Record<string, number>;
  /** Fields not stored because their value is invalid (the row is kept without it): {"phone": 2}. */
  invalidFields: Record<string, number>;
  /** Rows whose every cell was empty: not data, not counted in `read`. */
  blankRows: number;
  /** Rows stored without an INSEE commune code because the commune given could not be resolved. */
  communesUnresolved: number;
  consents: { email: number; sms: number; phone: number; post: number; refused: number };
  format: { kind: 'csv' | 'xlsx'; encoding?: string; delimiter?: string; sheet?: string };
  error?: string;
};

export function emptySummary(importId: string): ImportSummary {
  return {
    importId,
    status: 'running',
    read: 0,
    imported: 0,
    merged: 0,
    rejected: 0,
    suppressed: 0,
    conflicts: 0,
    consentsNotRecorded: 0,
    dropped: {},
    unmappedColumns: [],
    droppedRules: {},
    rejectedCells: {},
    invalidFields: {},
    blankRows: 0,
    communesUnresolved: 0,
    consents: { email: 0, sms: 0, phone: 0, post: 0, refused: 0 },
    format: { kind: 'csv' },
  };
}
