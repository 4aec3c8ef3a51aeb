import { describe, expect, it } from 'vitest';
import { checkSourceDeclaration, namesPoliticalMessages } from './sources.ts';

describe('source policy (pure checks)', () => {
  it('returns violations instead of throwing', () => {
    expect(
      checkSourceDeclaration({ type: 'hr_file', jurisdiction: 'EU', cndpReceipt: null }),
    ).toEqual([{ rule: 'SRC-1', message: expect.stringContaining('HR') }]);
    expect(
      checkSourceDeclaration({ type: 'member_file', jurisdiction: 'FR', cndpReceipt: null }),
    ).toEqual([]);
  });

  it('recognises political consent wording in French, English and Arabic', () => {
    expect(namesPoliticalMessages('recevoir des messages politiques')).toBe(true);
    expect(namesPoliticalMessages('to receive political messages')).toBe(true);
    expect(namesPoliticalMessages('تلقي رسائل سياسية')).toBe(true);
    expect(namesPoliticalMessages('recevoir nos offres commerciales')).toBe(false);
  });
});
