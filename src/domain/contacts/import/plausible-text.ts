// Whether the start of a file, once decoded, reads as the text a contact list holds. A file in
// an encoding that was not recognised decodes without error as Windows-1252 (every byte is a
// character there), and would be stored garbled: Shift-JIS, EBCDIC, UTF-16 without its byte
// order mark, or binary data that slipped past the control-character test. Such a file is
// refused, saying what it looks like.
//
// Windows-1252 (and Latin-1) text is judged by its characters beyond ASCII. In French, English,
// transliterated Arabic or Western European data they are accented letters inside words and a
// little typography (€ œ « » ’ – …): alone, or two together at most (« + É, ö + ß), and a few
// symbols alone (D´ALMEIDA with the acute accent for an apostrophe, 12 ½, 3 × 2, ±, µ). Text of
// another encoding gives symbols that no such list holds (‚ ƒ † ‡ ˆ ‰ ‹ › ˜, C1 controls), those
// symbols next to other non-ASCII characters (¤ ¦ ¨ ¬ ¯ ´ ¸ ¶ ¼ ½ ¾ ×), and long runs of non-ASCII characters (a Japanese word is a run of lead and
// trail bytes, an EBCDIC word is all high bytes). The text is refused when at least
// SUSPICIOUS_MIN such characters make at least SUSPICIOUS_SHARE of its non-ASCII characters.

export type Implausible = 'shift_jis' | 'ebcdic' | 'utf-16le' | 'utf-16be' | 'unknown';

export const SUSPICIOUS_MIN = 4;
export const SUSPICIOUS_SHARE = 0.25;

/** Single-byte Western encodings, where any byte decodes: only plausibility tells. */
const WESTERN =
  /^(windows-?1252|cp1252|latin-?1|l1|iso-?8859-?1|iso-?8859-?15|iso88591|iso885915)$/;

/** Non-ASCII characters that Western European contact data does not hold. */
const IMPLAUSIBLE = new Set(
  [
    '\u201A', // ‚ single low quote (a Shift-JIS lead byte 0x82, hiragana)
    '\u0192', // ƒ (0x83, katakana)
    '\u2020', // †
    '\u2021', // ‡
    '\u02C6', // ˆ
    '\u2030', // ‰
    '\u2039', // ‹
    '\u203A', // ›
    '\u02DC', // ˜
    '\u00A2', // ¢
    '\u00A5', // ¥
    '\u00F7', // ÷
    '\uFFFD',
  ].map((c) => c.codePointAt(0)!),
);

/**
 * Symbols that Windows-1252 contact data does hold, alone: the acute accent typed as an
 * apostrophe (D´ALMEIDA, O´NEILL), ½ × ± µ ² ³ ¼ ¾ in addresses and notes. Suspicious only
 * next to another non-ASCII character: Shift-JIS gives runs of them (lead and trail bytes).
 */
const SUSPICIOUS_IN_RUNS = new Set(
  [
    '\u00A4', // ¤
    '\u00A6', // ¦
    '\u00A8', // ¨
    '\u00AC', // ¬
    '\u00AF', // ¯
    '\u00B1', // ±
    '\u00B2', // ²
    '\u00B3', // ³
    '\u00B4', // ´
    '\u00B5', // µ
    '\u00B6', // ¶
    '\u00B8', // ¸
    '\u00B9', // ¹
    '\u00BC', // ¼
    '\u00BD', // ½
    '\u00BE', // ¾
    '\u00D7', // ×
  ].map((c) => c.codePointAt(0)!),
);

const isSpaceLike = (code: number) => code === 0xa0 || code === 0x202f || code === 0x2007;
const isHigh = (code: number) => code >= 0x80 && !isSpaceLike(code);

/** Counts, over Windows-1252 text: characters beyond ASCII, and those that are suspicious. */
export function latinScore(text: string): { nonAscii: number; suspicious: number } {
  let nonAscii = 0;
  let suspicious = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80 || isSpaceLike(code)) {
      run = 0;
      continue;
    }
    nonAscii++;
    run++;
    if ((code >= 0x80 && code <= 0x9f) || IMPLAUSIBLE.has(code)) suspicious++;
    else if (run >= 3) suspicious++;
    else if (
      SUSPICIOUS_IN_RUNS.has(code) &&
      (run >= 2 || (i + 1 < text.length && isHigh(text.charCodeAt(i + 1))))
    )
      suspicious++;
  }
  return { nonAscii, suspicious };
}

/** Whether bytes look like EBCDIC: letters and digits in the high half, space as 0x40. */
export function looksLikeEbcdic(sample: Uint8Array): boolean {
  let high = 0;
  let at = 0;
  let space = 0;
  let lineFeed = 0;
  for (const b of sample) {
    if (b >= 0x80) high++;
    else if (b === 0x40) at++;
    else if (b === 0x20) space++;
    else if (b === 0x0a) lineFeed++;
  }
  const n = sample.length;
  return high > n * 0.4 && at > n * 0.03 && space < n * 0.01 && lineFeed < n * 0.005;
}

/** UTF-16 without a byte order mark: every other byte is NUL (ASCII text). */
export function utf16WithoutBom(sample: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const n = Math.min(sample.length, 4096) & ~1;
  if (n < 4) return undefined;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i++) {
    if (sample[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  const zeros = even + odd;
  if (zeros < n * 0.25) return undefined;
  if (odd >= zeros * 0.9) return 'utf-16le';
  if (even >= zeros * 0.9) return 'utf-16be';
  return undefined;
}

/** Whether bytes decode as Shift-JIS into mostly Japanese characters. */
function looksLikeShiftJis(sample: Uint8Array): boolean {
  for (let cut = 0; cut < 2; cut++) {
    let text: string;
    try {
      text = new TextDecoder('shift_jis', { fatal: true }).decode(
        sample.subarray(0, sample.length - cut),
      );
    } catch {
      continue;
    }
    let other = 0;
    let japanese = 0;
    for (const ch of text) {
      const code = ch.codePointAt(0)!;
      if (code < 0x80) continue;
      if (
        /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}\u3000-\u303F\uFF00-\uFFEF]/u.test(ch)
      )
        japanese++;
      else other++;
    }
    return japanese > 0 && japanese >= 4 * other;
  }
  return false;
}

/** Characters no text file holds many of: controls, private use, unassigned code points. */
// eslint-disable-next-line no-control-regex -- control characters are what it counts
const GARBAGE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\p{Co}\p{Cn}\p{Cs}]/gu;

/**
 * What the decoded sample looks like when it is not plausible text, or undefined when it is.
 * `sample` is the bytes, `text` their decoding in `encoding`.
 */
export function implausibleText(
  sample: Uint8Array,
  text: string,
  encoding: string,
): Implausible | undefined {
  if (WESTERN.test(encoding)) {
    const { nonAscii, suspicious } = latinScore(text);
    if (suspicious < SUSPICIOUS_MIN || suspicious < nonAscii * SUSPICIOUS_SHARE) return undefined;
    return describe(sample);
  }
  // Other encodings decode fatally, so bytes are valid; the text may still be nonsense (ASCII read
  // as UTF-16 is a page of ideographs with no line break and no delimiter).
  const garbage = (text.match(GARBAGE) ?? []).length;
  const noStructure = text.length >= 256 && !/[\r\n]/.test(text) && !/[,;\t]/.test(text);
  if (garbage > Math.max(8, text.length * 0.02) || noStructure) return describe(sample);
  return undefined;
}

function describe(sample: Uint8Array): Implausible {
  const utf16 = utf16WithoutBom(sample);
  if (utf16) return utf16;
  if (looksLikeEbcdic(sample)) return 'ebcdic';
  if (looksLikeShiftJis(sample)) return 'shift_jis';
  return 'unknown';
}
