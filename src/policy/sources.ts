// Which data sources may be declared at all (SRC-1, SRC-3, SRC-7, ACC-2). Pure: no database.
import type { Jurisdiction } from './jurisdictions.ts';
import type { SourceTypeName } from './packs.ts';
import { PACKS } from './jurisdictions.ts';
import type { Violation } from './rules.ts';

/** The source types an organisation may declare (SRC-1); the database refuses any other. */
export const LAWFUL_SOURCE_TYPES = [
  'electoral_list',
  'signin_list',
  'member_file',
  'supporter_signup',
  'purchased_file',
  'referral',
  'door_to_door',
] as const satisfies readonly SourceTypeName[];
export type SourceType = (typeof LAWFUL_SOURCE_TYPES)[number];

/** Source types that exist in the world but may never feed political outreach, and why. */
export const FORBIDDEN_SOURCE_TYPES: Record<string, Violation> = {
  administrative_file: {
    rule: 'SRC-1',
    key: 'source.forbidden_administrative',
    message:
      'administrative files (civil status, tax, social aid, school or any public-service file) may never be used for political outreach',
  },
  hr_file: {
    rule: 'SRC-1',
    key: 'source.forbidden_hr',
    message: "an organisation's HR or payroll file may never be used for political outreach",
  },
  other_organisation_file: {
    rule: 'SRC-1',
    key: 'source.forbidden_other_organisation',
    message:
      "another organisation's customer or member file may never be used for political outreach",
  },
  mandate_file: {
    rule: 'SRC-7',
    key: 'source.forbidden_mandate',
    message:
      "an elected official's institutional files stay apart from campaign files: they may not be used for campaigning",
  },
};

// A kind of message, then (within a few words) "politique(s)"; or "political" then a kind of
// message; or the Arabic "political messages/communication". "Politique de confidentialité" or
// "apolitical" do not name political messages.
const FRENCH =
  /\b(messages?|communications?|informations?|courriels?|e-?mails?|mails?|sms|textos?|appels?|lettres?|newsletters?|actualit[ée]s?|propagande|prospection)\b(?:\s+[^\s.;]+){0,4}?\s+politiques?\b/iu;
const ENGLISH =
  /\bpolitical\s+(?:[^\s.;]+\s+){0,3}?(messages?|communications?|e-?mails?|texts?|sms|calls?|information|updates?|newsletters?|mail|campaigning)\b/iu;
const ARABIC = /(رسائل|رسالة|تواصل|اتصالات|معلومات)\s+(?:\S+\s+){0,2}?سياسي(?:ة)?/u;
// "Je ne souhaite pas...", "I do not agree...", "لا أوافق": a refusal is not a consent.
const NEGATION =
  /\b(ne|n['’])\b[^.]*\b(pas|jamais|plus)\b|\b(do not|don't|does not|never|no longer|refuse|refus)\b|(^|\s)لا\s/iu;

/** Consent wording must say that the messages are political (SRC-3, CH-CONSENT). */
export function namesPoliticalMessages(wording: string): boolean {
  if (NEGATION.test(wording)) return false;
  return FRENCH.test(wording) || ENGLISH.test(wording) || ARABIC.test(wording);
}

export type SourceDeclaration = {
  type: string;
  jurisdiction: Jurisdiction;
  cndpReceipt: string | null;
  attestation?: { consentWording?: string } | null;
};

export function checkSourceDeclaration(source: SourceDeclaration): Violation[] {
  const violations: Violation[] = [];
  // Own keys only: "constructor" or "__proto__" are not source types.
  const forbidden = Object.hasOwn(FORBIDDEN_SOURCE_TYPES, source.type)
    ? FORBIDDEN_SOURCE_TYPES[source.type]
    : undefined;
  if (forbidden) violations.push(forbidden);
  if (PACKS[source.jurisdiction].requiresPriorNotification && !source.cndpReceipt) {
    violations.push({
      rule: 'ACC-2',
      key: 'source.cndp_receipt_required',
      message:
        'a Moroccan organisation must notify the CNDP before processing personal data: record the notification receipt first',
    });
  }
  if (source.type === 'purchased_file') {
    if (!source.attestation) {
      violations.push({
        rule: 'SRC-3',
        key: 'source.attestation_required',
        message:
          "a bought or rented file needs the provider's attestation that each person agreed to receive political messages",
      });
    } else if (!namesPoliticalMessages(source.attestation.consentWording ?? '')) {
      violations.push({
        rule: 'SRC-3',
        key: 'source.attestation_not_political',
        message:
          'the attested consent wording must say that the messages are political; consent to other messages does not cover them',
      });
    }
  }
  return violations;
}
