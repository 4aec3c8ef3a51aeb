// The rule ids of ../shared/docs/rules.md. Code, errors and tests name rules by these ids.
export const RULES = {
  'SRC-1':
    'Administrative files and other organisations\u2019 internal files are never used for political outreach.',
  'SRC-2': 'Electoral lists carry no email, birthplace or nationality.',
  'SRC-3':
    'A bought or rented file needs the provider\u2019s attestation of consent to political messages.',
  'SRC-4': 'Data collected directly records where, when and with which notice.',
  'SRC-5': 'A referral allows one message naming the sponsor, nothing more without consent.',
  'SRC-6': 'Every contact carries its provenance.',
  'SRC-7': 'An elected official\u2019s institutional files stay apart from campaign files.',
  'SRC-8': 'A person who objected is never brought back by a later import.',
  'SEG-1': 'Targeting by age, socio-professional category and place of residence is allowed.',
  'SEG-2':
    'Targeting that reveals or proxies ethnic origin, or on special-category data, is forbidden.',
  'SEG-3': 'Political-opinion data stays with the organisation.',
  'CH-EMAIL': 'Email needs consent or an existing relationship; one recipient per message.',
  'CH-SMS': 'SMS needs consent and a STOP device.',
  'CH-PHONE': 'Calls give the notice and record objections at once.',
  'CH-AUTO': 'No automated calling machines or fax.',
  'CH-HOURS': 'SMS and calls only Monday to Saturday, 08:00 to 22:00.',
  'CH-CONSENT':
    'Consent is an append-only ledger per channel and purpose, naming political messages.',
  'CH-POST': 'Postal mail to lawful addresses, with the notice.',
  'CAL-1': 'No electronic propaganda from the eve of a vote until polls close (FR).',
  'CAL-2': 'Retention and silence come from the election\u2019s dates.',
  'NOT-1': 'Every communication carries the full notice.',
  'NOT-2': 'A provider sending on the organisation\u2019s behalf still names the controller.',
  'OPT-1': 'Anyone can object at any time through any channel.',
  'OPT-2': 'No message is sent after an objection is recorded.',
  'OPT-3': 'The suppression list holds only keyed hashes, serves only to suppress.',
  'RIGHTS-1': 'Rights requests are answered within one month.',
  'RIGHTS-2': 'A voter can learn from a message who holds their data and why.',
  'REP-1': 'A voter can report a message as non-compliant.',
  'SEC-1': 'Access is least privilege; no bulk export without approval.',
  'SEC-2': 'Strong authentication, encryption at rest, tamper-evident audit log.',
  'SEC-3': 'Files of personal data never leave as attachments.',
  'SEC-4': 'Breaches are recorded and notified within 72 hours.',
  'RET-1': 'Election files are deleted once the election is over.',
  'RET-2': 'Every dataset has a stated retention period.',
  'ACC-1': 'A record of processing activities is kept.',
  'ACC-2': 'A Moroccan organisation notifies the CNDP before processing.',
  'ACC-3': 'The organisation can hand a regulator a full compliance report.',
} as const;

export type RuleId = keyof typeof RULES;

/**
 * What a pure check returns: a rule that the input breaks, in one plain sentence (English), with
 * the stable key of that sentence and the values it names, so the web app can say it in the
 * user's language (web/i18n/errors.ts). Params never carry personal data.
 */
export type Violation = {
  rule: RuleId;
  message: string;
  key?: string;
  params?: Record<string, string | number>;
};
