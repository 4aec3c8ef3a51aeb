// SRC-3 / CH-EMAIL / CH-SMS / CH-PHONE / CH-POST: a consent in a file is given for the address or
// number on its row. It goes to the contact the row merged into only if, after the merge, that
// contact holds the very same identifier: a row whose email (phone, street address) lost the merge
// (the contact keeps a different one, a conflict) must not lend its consent to the contact's own.
import { normaliseEmail, normaliseName } from '../../../crypto/blind-index.ts';
import type { Channel } from '../../../policy/packs.ts';
import type { ContactIdentity } from '../identity.ts';

const sameAddress = (a: string, b: string) =>
  normaliseName(a.replace(/[,;]/g, ' ')) === normaliseName(b.replace(/[,;]/g, ' '));

/** Whether `contact` (as merged) holds the identifier the row's consent on `channel` was given for. */
export function consentFitsContact(
  channel: Channel,
  row: ContactIdentity,
  contact: ContactIdentity,
): boolean {
  switch (channel) {
    case 'email':
      return Boolean(
        row.email && contact.email && normaliseEmail(row.email) === normaliseEmail(contact.email),
      );
    case 'sms':
    case 'phone':
      return Boolean(row.phone && contact.phone && row.phone === contact.phone);
    case 'post':
      return Boolean(
        row.streetAddress &&
        contact.streetAddress &&
        sameAddress(row.streetAddress, contact.streetAddress),
      );
  }
}
