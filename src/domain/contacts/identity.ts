// A contact's identifiers: everything that names or reaches a person. They are only ever stored
// sealed as one blob per contact (one cipher operation per row), bound to the contact's id.
import { z } from 'zod';
import { open, seal } from '../../crypto/aead.ts';
import { blindIndex, normaliseEmail, normaliseName } from '../../crypto/blind-index.ts';
import type { OrgKeys } from '../../crypto/org-keys.ts';
import { plainText } from '../validation.ts';

const name = plainText(200);

/** An email address, lower-cased. */
export const emailField = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email('is not a valid email address'));

/** A phone number in E.164 form; the import normalises numbers to it (+33612345678). */
export const phoneField = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an international number in E.164 form, e.g. +33612345678');

export const identitySchema = z
  .object({
    birthName: name.optional(),
    usageName: name.optional(),
    firstNames: name.optional(),
    birthDate: z.iso.date('must be a date written YYYY-MM-DD').optional(),
    email: emailField.optional(),
    phone: phoneField.optional(),
    streetAddress: plainText(500).optional(),
  })
  .strict()
  .refine((i) => i.birthName || i.usageName || i.email || i.phone, {
    message: 'a contact needs at least a name, an email or a phone number',
  });

export type ContactIdentity = z.output<typeof identitySchema>;

const aad = (orgId: string, contactId: string) => `isoloir:contact:${orgId}:${contactId}`;

export function sealIdentity(
  keys: OrgKeys,
  orgId: string,
  contactId: string,
  identity: ContactIdentity,
): Buffer {
  return seal(
    keys.encryption,
    Buffer.from(JSON.stringify(identity), 'utf8'),
    aad(orgId, contactId),
  );
}

export function openIdentity(
  keys: OrgKeys,
  orgId: string,
  contactId: string,
  blob: Buffer,
): ContactIdentity {
  return JSON.parse(
    open(keys.encryption, blob, aad(orgId, contactId)).toString('utf8'),
  ) as ContactIdentity;
}

export type IdentityIndexes = {
  emailIndex: Buffer | null;
  phoneIndex: Buffer | null;
  nameBirthIndex: Buffer | null;
};

/** The family name that identifies a person: the birth name, else the usage name. */
const familyName = (i: ContactIdentity) => i.birthName ?? i.usageName;

export function nameBirthKey(
  i: Pick<ContactIdentity, 'birthName' | 'usageName' | 'firstNames' | 'birthDate'>,
) {
  const family = familyName(i);
  if (!family || !i.firstNames || !i.birthDate) return undefined;
  return `${normaliseName(family)}|${normaliseName(i.firstNames)}|${i.birthDate}`;
}

export function indexIdentity(keys: OrgKeys, identity: ContactIdentity): IdentityIndexes {
  const nameKey = nameBirthKey(identity);
  return {
    emailIndex: identity.email
      ? blindIndex(keys.index, 'email', normaliseEmail(identity.email))
      : null,
    phoneIndex: identity.phone ? blindIndex(keys.index, 'phone', identity.phone) : null,
    nameBirthIndex: nameKey ? blindIndex(keys.index, 'name_birth', nameKey) : null,
  };
}
