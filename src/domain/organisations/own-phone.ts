// The organisation's own phone number (its office, its "permanence"): public by nature, like its
// contact email. Written however staff type it, stored in E.164 so that the SEC-3 body scan can
// tell the organisation's own number from other people's.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { Jurisdiction } from '../../policy/jurisdictions.ts';
import { DomainError } from '../errors.ts';

const DEFAULT_COUNTRY: Record<Jurisdiction, CountryCode> = { FR: 'FR', MA: 'MA', EU: 'FR' };

/** E.164 form of the organisation's number, or a DomainError naming the field. */
export function ownPhone(value: string, jurisdiction: Jurisdiction): string {
  const parsed = parsePhoneNumberFromString(value.trim(), DEFAULT_COUNTRY[jurisdiction]);
  if (!parsed?.isValid())
    throw new DomainError(
      'invalid',
      'contactPhone: is not a valid phone number (e.g. 01 23 45 67 89 or +33123456789)',
    );
  return parsed.number;
}
