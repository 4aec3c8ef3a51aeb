// Formula injection (CSV/XLSX): a spreadsheet runs a cell that starts with = + - @, and some
// also act on a leading tab or carriage return. Such a cell is prefixed with an apostrophe, which
// spreadsheets read as "this is text" (OWASP's advice). Phone numbers (+33...) are shown as '+33...
const FORMULA_START = /^[=+\-@\t\r]/;

export const neutraliseCell = (value: string): string =>
  FORMULA_START.test(value) ? `'${value}` : value;
