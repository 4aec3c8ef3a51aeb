// SEC-3: the phone detector's work is bounded by what the text holds, not by how it is written or
// how long it is: each distinct span is parsed at most twice (as French, then as Moroccan), and the
// organisation's own number is compared by its digits, never by parsing each span again. Counted
// through the number library (wrapped here), not timed: speed is measured by `npm run
// bench:detector` (bench/detector.ts), never asserted in a test.
import { afterEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ parses: 0 }));
const counted =
  <F extends (...args: never[]) => unknown>(f: F) =>
  (...args: Parameters<F>) => {
    calls.parses++;
    return f(...args);
  };

vi.mock('libphonenumber-js/max', async (importOriginal) => {
  const actual = await importOriginal<typeof import('libphonenumber-js/max')>();
  return {
    ...actual,
    findPhoneNumbersInText: counted(actual.findPhoneNumbersInText),
    parsePhoneNumberFromString: counted(actual.parsePhoneNumberFromString),
  };
});
vi.mock('../contacts/phone-numbers.ts', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../contacts/phone-numbers.ts')>();
  return { ...actual, normalisePhone: counted(actual.normalisePhone) };
});

const { countPhones } = await import('./personal-data-detector.ts');

const parsesOf = (texts: string[], phones?: string[]) => {
  calls.parses = 0;
  const found = countPhones(texts, { phones });
  return { found, parses: calls.parses };
};

/** `n` distinct mobile numbers, written nationally. */
const distinctNumbers = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const d = String(100_000 + i);
    return `06 ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4, 6)} 78`;
  }).join(', ');

afterEach(() => {
  calls.parses = 0;
});

describe('the phone detector does bounded work (SEC-3)', () => {
  it('SEC-3: a body of 200,000 characters repeating one number is parsed once per distinct span, not once per occurrence', () => {
    // Two distinct spans: "0 0 0 0 0 0 0 0 0 0" (no number, so read as French, then Moroccan)
    // and "06 12 34 56 78" (French), however many times each repeats.
    const { found, parses } = parsesOf(['0 '.repeat(100_000), '06 12 34 56 78 '.repeat(13_000)]);
    expect(found).toBe(1);
    expect(parses).toBeLessThanOrEqual(2 * 2);
  });

  it('SEC-3: distinct numbers cost at most two parses each (French, then Moroccan)', () => {
    const { found, parses } = parsesOf([distinctNumbers(500)]);
    expect(found).toBe(500);
    expect(parses).toBeLessThanOrEqual(2 * 500);
  });

  it('SEC-3: the organisation’s own number costs one parse in all, however many numbers the text holds', () => {
    const text = [distinctNumbers(500)];
    const without = parsesOf(text);
    const withOwn = parsesOf(text, ['+262269601234']);
    expect(withOwn.found).toBe(500);
    expect(withOwn.parses - without.parses).toBeLessThanOrEqual(1);
  });

  it('SEC-3: the own number is still recognised however it is written (an office in Mayotte), and any other still counts', () => {
    const own = ['+262269601234'];
    for (const written of [
      '0269 60 12 34',
      '+262 269 60 12 34',
      '00262269601234',
      '+262 (0)269 60 12 34',
    ])
      expect(parsesOf([`Permanence : ${written}`], own).found, written).toBe(0);
    expect(parsesOf(['Permanence : 0269 60 12 34, Marie 06 12 34 56 78'], own).found).toBe(1);
  });
});
