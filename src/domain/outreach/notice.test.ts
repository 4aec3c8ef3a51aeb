// The notice's own words (NOT-1, RET-2, GDPR art. 13(1)(c)): dates in the notice's language,
// retention from the source's election or from the first message, the legal basis per source,
// and the complete set of facts checked for each recipient.
import { describe, expect, it } from 'vitest';
import type { Organisation } from '../organisations/organisations.ts';
import { checkNotice } from '../../policy/notices.ts';
import { packFor } from '../../policy/packs.ts';
import { noticeText, recipientNoticeFacts, type RecipientProvenance } from './notice.ts';
import { formatDate } from './notice-words.ts';

const org = (jurisdiction: 'FR' | 'EU' | 'MA'): Organisation =>
  ({
    id: '00000000-0000-4000-8000-000000000000',
    legalName: 'Association Exemple',
    postalAddress: '12 place de la République, 69001 Lyon',
    contactEmail: 'contact@exemple.fr',
    dpoEmail: 'dpo@exemple.fr',
    dpoName: null,
    jurisdiction,
    cndpReceipt: null,
    noticePurposes: 'campaign news',
    noticeRecipients: 'the campaign team',
  }) as unknown as Organisation;

const options = {
  unsubscribeUrl: 'https://x/u/t',
  privacyUrl: 'https://x/privacy/o',
  messageUrl: 'https://x/m/r',
  messageRef: 'r',
  today: '2027-02-20',
};

const electoral: RecipientProvenance = {
  channel: 'post',
  sourceType: 'electoral_list',
  obtainedOn: '2026-01-10',
  consented: false,
  lastRound: '2027-03-21',
};

describe('notice words', () => {
  it('RET-2: dates are written in the notice’s language (French for FR and MA, English otherwise)', () => {
    expect(formatDate('fr', '2027-04-20')).toBe('20 avril 2027');
    expect(formatDate('en', '2027-04-20')).toBe('20 April 2027');
    const fr = noticeText(org('FR'), electoral, options);
    expect(fr).toContain(
      'Votre adresse postale provient de : liste électorale de la commune, obtenue le 10 janvier 2026.',
    );
    // The election's last round plus the pack's grace (30 days), not today + 2 months.
    expect(fr).toContain('Vos données sont conservées jusqu’au 20 avril 2027.');
    const en = noticeText(org('EU'), electoral, options);
    expect(en).toContain(
      'Your postal address comes from: the municipality’s electoral roll, obtained on 10 January 2026.',
    );
    expect(en).toContain('Your data is kept until 20 April 2027.');
  });

  it('RIGHTS-2: every notice links the message’s own page', () => {
    expect(noticeText(org('FR'), electoral, options)).toContain(
      'Pourquoi ce message, vos droits : https://x/m/r\nNotice d’information complète',
    );
    expect(noticeText(org('EU'), electoral, options)).toContain(
      'Why you got this message, your rights: https://x/m/r\nFull privacy notice',
    );
  });

  it('RET-2: a source kept two months after the first message counts from the first message sent, not from today', () => {
    const referral: RecipientProvenance = {
      channel: 'email',
      sourceType: 'referral',
      obtainedOn: '2026-10-01',
      consented: true,
      firstMessage: '2026-12-31',
    };
    expect(noticeText(org('EU'), referral, options)).toContain(
      'Your data is kept until 28 February 2027.',
    );
    // No message sent yet: this one is the first.
    const { firstMessage: _, ...unsent } = referral;
    expect(noticeText(org('EU'), unsent, options)).toContain(
      'Your data is kept until 20 April 2027.',
    );
  });

  it('GDPR art. 13(1)(c): the notice states the legal basis, decided by the source and the consent recorded', () => {
    expect(noticeText(org('FR'), electoral, options)).toContain(
      'Base légale : notre intérêt légitime à nous adresser aux électeurs (RGPD, art. 6(1)(f)).',
    );
    const member: RecipientProvenance = {
      channel: 'email',
      sourceType: 'member_file',
      obtainedOn: '2026-09-01',
      consented: false,
    };
    expect(noticeText(org('EU'), member, options)).toMatch(
      /Legal basis: the legitimate activities of a political body .* \(GDPR art\. 9\(2\)\(d\)\)/,
    );
    expect(noticeText(org('EU'), { ...member, consented: true }, options)).toContain(
      'Legal basis: your consent (GDPR art. 6(1)(a) and 9(2)(a)).',
    );
    expect(noticeText(org('MA'), { ...member, consented: true }, options)).toContain(
      'Base légale : votre consentement (loi n° 09-08, art. 4).',
    );
  });

  it('NOT-1: a recipient without a known source has an incomplete notice: its source and legal basis are missing', () => {
    const pack = packFor('FR');
    expect(checkNotice(pack, recipientNoticeFacts(org('FR'), electoral, '2027-02-20'))).toEqual([]);
    expect(
      checkNotice(pack, recipientNoticeFacts(org('FR'), undefined, '2027-02-20')).map(
        (v) => v.message,
      ),
    ).toEqual([
      'the notice does not say how the data was obtained (its source)',
      'the notice does not say the legal basis of the processing (GDPR art. 13(1)(c))',
    ]);
  });
});
