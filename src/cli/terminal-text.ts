// Text that reaches a terminal. Cells, column headers, labels and reasons come from files and
// people; a header such as "\x1b[2J" or "\r" would otherwise clear or rewrite what the operator
// reads. Every control character is shown as an escape instead: C0 (ESC, CR, BEL...), DEL, C1
// (U+0080-U+009F, which some terminals obey as 8-bit CSI/OSC), the Unicode line separators, and
// the bidirectional overrides and isolates (U+202A-U+202E, U+2066-U+2069) that reorder what is
// shown ("Trojan Source"). Tabs stay; a newline stays only where the caller says it separates lines.
// JSON output keeps its exact value: it is already a JSON string, and only the characters that
// JSON.stringify leaves raw (C1, separators, bidi controls) are written as \u escapes there.

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_KEEP_NEWLINES =
  // eslint-disable-next-line no-control-regex -- the same set, newlines allowed
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// What JSON.stringify does not escape but a terminal may obey (never outside a JSON string).
const UNSAFE_IN_JSON = /[\u0080-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = {
  '\n': '\\n',
  '\r': '\\r',
  '\b': '\\b',
  '\f': '\\f',
  '\v': '\\v',
};

function escapeOne(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code < 0x100
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** One line for a terminal: every control character (newlines too) shown as an escape. */
export function terminalLine(text: string): string {
  return text.replace(UNSAFE, escapeOne);
}

/** Several lines for a terminal (help, commander's messages): newlines kept, the rest escaped. */
export function terminalText(text: string): string {
  return text.replace(UNSAFE_KEEP_NEWLINES, escapeOne);
}

/** JSON text safe on a terminal, parsing to exactly the same value. */
export function terminalJson(value: unknown): string {
  return String(JSON.stringify(value)).replace(
    UNSAFE_IN_JSON,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
