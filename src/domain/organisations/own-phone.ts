// The organisation's own phone number (its office, its "permanence"): public by nature, like its
// contact email. Written however staff type it, stored in E.164 so that the SEC-3 body scan can
// tell the organisation's own number from other people's.
import type { Jurisdiction } from '../../policy/jurisdictions.ts';
import { normalisePhone } from '../contacts/phone-numbers.ts';
import { DomainError } from '../errors.ts';

/** E.164 form of the organisation's number, or a DomainError naming the field. */
export function ownPhone(value: string, jurisdiction: Jurisdiction): string {
  // Read as contacts' numbers are (every French region: an office in Mayotte is +262...); a
  // national number of an EU organisation is read as French, as it always was.
  const number = normalisePhone(value, jurisdiction === 'EU' ? 'FR' : jurisdiction);
  if (!number)
    throw DomainError.keyed(
      'invalid',
      'organisation.contact_phone_invalid',
      'contactPhone: is not a valid phone number (e.g. 01 23 45 67 89 or +33123456789)',
    );
  return number;
}
