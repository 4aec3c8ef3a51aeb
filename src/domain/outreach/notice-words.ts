// The public words of a notice (NOT-1, RET-2, GDPR art. 13(1)(c) / 14(2)(f)): how a source is
// described to the person it names (its type and the date it was obtained, plus the
// organisation's optional public description; never the staff label, which is internal and may
// name people), dates written in the notice's language, and the legal basis of the processing.
// Shared by every channel's notice and by the privacy page. See docs/outreach.md, "The notice".
import type { Jurisdiction } from '../../policy/jurisdictions.ts';
import type { Channel, SourceTypeName } from '../../policy/packs.ts';

export type NoticeLanguage = 'fr' | 'en';

/** French for FR and MA organisations, English otherwise. */
export const noticeLanguage = (jurisdiction: Jurisdiction): NoticeLanguage =>
  jurisdiction === 'EU' ? 'en' : 'fr';

/** "20 avril 2027", "20 April 2027": a calendar date (YYYY-MM-DD) in the notice's language. */
export function formatDate(lang: NoticeLanguage, isoDay: string): string {
  return DATE_FORMATS[lang].format(new Date(`${isoDay}T00:00:00Z`));
}

// Built once: a formatter costs far more to build than to use, and every message's notice writes
// two dates (the send engine composes hundreds a second).
const dateFormat = (locale: string) =>
  new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
const DATE_FORMATS: Record<NoticeLanguage, Intl.DateTimeFormat> = {
  fr: dateFormat('fr-FR'),
  en: dateFormat('en-GB'),
};

/** Each source type in public words; `f` is the French grammatical gender (for "obtenue"). */
const SOURCE_WORDS: Record<NoticeLanguage, Record<SourceTypeName, { words: string; f?: true }>> = {
  fr: {
    electoral_list: { words: 'liste électorale de la commune', f: true },
    signin_list: { words: 'liste d’émargement du bureau de vote', f: true },
    member_file: { words: 'fichier de nos adhérents' },
    supporter_signup: { words: 'votre inscription comme sympathisant', f: true },
    purchased_file: { words: 'fichier de prospection loué auprès d’un prestataire' },
    referral: { words: 'recommandation d’une personne qui vous connaît', f: true },
    door_to_door: { words: 'rencontre lors de notre porte-à-porte', f: true },
  },
  en: {
    electoral_list: { words: 'the municipality’s electoral roll' },
    signin_list: { words: 'the polling station’s sign-in list' },
    member_file: { words: 'our membership file' },
    supporter_signup: { words: 'your sign-up as a supporter' },
    purchased_file: { words: 'a prospecting file rented from a provider' },
    referral: { words: 'a referral by someone who knows you' },
    door_to_door: { words: 'a meeting during our door-to-door canvassing' },
  },
};

/** The source type alone, in public words (privacy page). */
export const sourceTypeWords = (lang: NoticeLanguage, type: SourceTypeName) =>
  SOURCE_WORDS[lang][type].words;

/** "liste électorale de la commune, obtenue le 10 janvier 2026 (description)". */
export function sourceInPublicWords(
  lang: NoticeLanguage,
  source: { type: SourceTypeName; obtainedOn: string; publicDescription?: string | null },
): string {
  const { words, f } = SOURCE_WORDS[lang][source.type];
  const date = formatDate(lang, source.obtainedOn);
  const obtained = lang === 'fr' ? `${f ? 'obtenue' : 'obtenu'} le ${date}` : `obtained on ${date}`;
  const description = source.publicDescription?.trim();
  return `${words}, ${obtained}${description ? ` (${description})` : ''}`;
}

/** What the notice calls the identifier a channel uses. */
export function identifierWords(lang: NoticeLanguage, channel: Channel): string {
  const words = {
    fr: {
      email: 'Votre adresse',
      sms: 'Votre numéro',
      phone: 'Votre numéro',
      post: 'Votre adresse postale',
    },
    en: {
      email: 'Your address',
      sms: 'Your number',
      phone: 'Your number',
      post: 'Your postal address',
    },
  } as const;
  return words[lang][channel];
}

/**
 * The legal basis (GDPR art. 13(1)(c); Moroccan law 09-08 art. 4 for MA), decided per recipient:
 * - recorded consent for this channel: consent (art. 6(1)(a), explicit for political opinions
 *   art. 9(2)(a)). A purchased file is only ever used this way (SRC-3).
 * - member or supporter (a relationship): the legitimate activities of a political body towards
 *   its members and people in regular contact with it (art. 9(2)(d)), with legitimate interest
 *   (art. 6(1)(f));
 * - electoral or sign-in list, referral, door to door: legitimate interest in addressing voters
 *   (art. 6(1)(f)); these reach only channels that need no consent (phone, post).
 */
export type LegalBasis = 'consent' | 'political_body' | 'legitimate_interest';

export function legalBasisOf(sourceType: SourceTypeName, consented: boolean): LegalBasis {
  if (consented || sourceType === 'purchased_file') return 'consent';
  if (sourceType === 'member_file' || sourceType === 'supporter_signup') return 'political_body';
  return 'legitimate_interest';
}

const BASIS_WORDS: Record<'gdpr' | 'ma', Record<NoticeLanguage, Record<LegalBasis, string>>> = {
  gdpr: {
    fr: {
      consent: 'votre consentement (RGPD, art. 6(1)(a) et 9(2)(a))',
      political_body:
        'les activités légitimes d’un organisme politique envers ses membres et les personnes en contact régulier avec lui (RGPD, art. 9(2)(d)) et notre intérêt légitime (art. 6(1)(f))',
      legitimate_interest:
        'notre intérêt légitime à nous adresser aux électeurs (RGPD, art. 6(1)(f))',
    },
    en: {
      consent: 'your consent (GDPR art. 6(1)(a) and 9(2)(a))',
      political_body:
        'the legitimate activities of a political body towards its members and people in regular contact with it (GDPR art. 9(2)(d)) and our legitimate interest (art. 6(1)(f))',
      legitimate_interest: 'our legitimate interest in addressing voters (GDPR art. 6(1)(f))',
    },
  },
  ma: {
    fr: {
      consent: 'votre consentement (loi n° 09-08, art. 4)',
      political_body:
        'notre intérêt légitime envers nos membres et sympathisants (loi n° 09-08, art. 4 e)',
      legitimate_interest:
        'notre intérêt légitime à nous adresser aux électeurs (loi n° 09-08, art. 4 e)',
    },
    en: {
      consent: 'your consent (law 09-08, art. 4)',
      political_body:
        'our legitimate interest towards our members and supporters (law 09-08, art. 4(e))',
      legitimate_interest: 'our legitimate interest in addressing voters (law 09-08, art. 4(e))',
    },
  },
};

export function legalBasisWords(
  lang: NoticeLanguage,
  jurisdiction: Jurisdiction,
  basis: LegalBasis,
): string {
  return BASIS_WORDS[jurisdiction === 'MA' ? 'ma' : 'gdpr'][lang][basis];
}
