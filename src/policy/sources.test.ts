import { describe, expect, it } from 'vitest';
import { checkSourceDeclaration, namesPoliticalMessages } from './sources.ts';

describe('source policy (pure checks)', () => {
  it('returns violations instead of throwing', () => {
    expect(
      checkSourceDeclaration({ type: 'hr_file', jurisdiction: 'EU', cndpReceipt: null }),
    ).toEqual([
      { rule: 'SRC-1', key: 'source.forbidden_hr', message: expect.stringContaining('HR') },
    ]);
    expect(
      checkSourceDeclaration({ type: 'member_file', jurisdiction: 'FR', cndpReceipt: null }),
    ).toEqual([]);
  });

  it.each([
    'recevoir des messages politiques',
    "J'accepte de recevoir par email les messages politiques de l'association",
    'Oui aux SMS politiques',
    "J'accepte de recevoir des communications à caractère politique",
    'I agree to receive political messages by email',
    'to receive political campaign updates',
    'أوافق على تلقي رسائل سياسية',
  ])('recognises political consent wording: %s', (wording) => {
    expect(namesPoliticalMessages(wording)).toBe(true);
  });

  it.each([
    'recevoir nos offres commerciales',
    'Offres commerciales, voir notre politique de confidentialité',
    'Je ne souhaite pas recevoir de messages politiques',
    'I do not want political messages',
    'an apolitical newsletter',
    'Politique de cookies',
  ])('does not mistake this for consent to political messages: %s', (wording) => {
    expect(namesPoliticalMessages(wording)).toBe(false);
  });

  it('does not take object prototype names for forbidden types', () => {
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(checkSourceDeclaration({ type, jurisdiction: 'FR', cndpReceipt: null })).toEqual([]);
    }
  });
});
