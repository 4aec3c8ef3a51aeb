// Which source supplied each identifier of a contact (SRC-3, NOT-1). Every writer of identifiers
// (addContact, the import's batches) goes through here:
//   - an identifier a contact did not have is supplied by the source that brings it;
//   - the same identifier arriving again from a source that gives more permission becomes that
//     source's: a relationship (member, supporter) over any other, any lawful source over a
//     purchased file. (It did supply it too, and the notice then names the stronger one.)
//   - a different value never replaces the contact's (the merge counts a conflict), nor its source.
import { normaliseName } from '../../crypto/blind-index.ts';
import type { SourceType } from '../../db/schema/index.ts';
import { POLICY_PACKS } from '../../policy/packs.ts';
import type { ContactIdentity } from './identity.ts';

export type Supplier = { id: string; type: SourceType };
export type Suppliers = { email?: Supplier; phone?: Supplier; address?: Supplier };

const FIELD = { email: 'email', phone: 'phone', address: 'streetAddress' } as const;
export const SUPPLIED = ['email', 'phone', 'address'] as const;

const rank = (type: SourceType | undefined) =>
  type === undefined
    ? -1
    : (POLICY_PACKS.FR.relationshipSources as readonly string[]).includes(type)
      ? 2
      : type === 'purchased_file'
        ? 0
        : 1;

const same = (a: string, b: string) => normaliseName(a) === normaliseName(b);

/** The suppliers of a new contact: the source, for each identifier it has. */
export function suppliersOfNew(identity: ContactIdentity, source: Supplier): Suppliers {
  const out: Suppliers = {};
  for (const k of SUPPLIED) if (identity[FIELD[k]]) out[k] = source;
  return out;
}

/**
 * Updates `suppliers` for a row merged into a contact. Call with the contact's identity as it
 * was BEFORE the merge filled its empty fields.
 */
export function mergeSuppliers(
  before: ContactIdentity,
  row: ContactIdentity,
  suppliers: Suppliers,
  source: Supplier,
): Suppliers {
  const out = { ...suppliers };
  for (const k of SUPPLIED) {
    const theirs = before[FIELD[k]];
    const incoming = row[FIELD[k]];
    if (!incoming) continue;
    if (!theirs) out[k] = source;
    else if (same(theirs, incoming) && rank(source.type) > rank(out[k]?.type)) out[k] = source;
  }
  return out;
}

/** The contact columns for a set of suppliers (Drizzle field names). */
export function supplierColumns(s: Suppliers) {
  return {
    emailSourceId: s.email?.id ?? null,
    emailSourceType: s.email?.type ?? null,
    phoneSourceId: s.phone?.id ?? null,
    phoneSourceType: s.phone?.type ?? null,
    addressSourceId: s.address?.id ?? null,
    addressSourceType: s.address?.type ?? null,
  };
}
