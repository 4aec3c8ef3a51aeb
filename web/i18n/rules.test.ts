// Every rule the server can name has a one-sentence fix in both languages, so no refusal reaches
// a user without one.
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/policy/rules.ts';
import { ruleFix } from './rules.ts';

describe('rule fixes', () => {
  it('gives every rule id of the rulebook a one-sentence fix in French and in English', () => {
    for (const rule of Object.keys(RULES))
      for (const lang of ['fr', 'en'] as const) {
        const fix = ruleFix(rule, lang);
        expect(fix, `${rule} (${lang})`).toBeTruthy();
        expect(fix!.split(/[.!?](\s|$)/).filter((p) => p.trim()).length, `${rule} (${lang})`).toBe(
          1,
        );
      }
  });
});
