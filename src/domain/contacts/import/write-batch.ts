// Writes one batch of normalised rows inside the import's transaction:
//   1. rows matching the suppression list are counted and forgotten (SRC-8, OPT-3);
//   2. the others are matched to known contacts by blind index (email, then phone, then
//      name + birth date within the same commune), earlier rows of this file included;
//   3. a match fills the contact's empty fields (conflicts counted, never overwritten) and gains
//      provenance; no match creates a contact with its provenance (SRC-6);
//   4. consents from the row go to the ledger, for the contact only if it holds the row's address
//      for that channel (SRC-3); rejected rows go, sealed, to the quarantine, and so do the lines
//      of rows kept without a field whose value was invalid (counted as imported or merged).
import { randomUUID } from 'node:crypto';
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/open-db.ts';
import { consentEntries, importRejections, type SourceType } from '../../../db/schema/index.ts';
import { seal } from '../../../crypto/aead.ts';
import type { OrgKeys } from '../../../crypto/org-keys.ts';
import { DEFAULT_PURPOSE } from '../../consent/consent.ts';
import { suppressedAmong } from '../../objections/suppression.ts';
import { sameCommune } from '../../territory/communes.ts';
import type { Actor, Clock } from '../../validation.ts';
import type { ContactAttributes } from '../contacts.ts';
import {
  indexIdentity,
  openIdentity,
  sealIdentity,
  type ContactIdentity,
  type IdentityIndexes,
} from '../identity.ts';
import { mergeSuppliers, suppliersOfNew, type Suppliers } from '../suppliers.ts';
import { legacyForms } from '../phone-numbers.ts';
import { consentFitsContact } from './consent-address.ts';
import { fillEmpty } from './merge.ts';
import {
  quarantinePlaintext,
  rowSuppressionHashes,
  type QuarantineKind,
} from './quarantine-row.ts';
import type { NormalisedRow, RowOutcome } from './normalise-row.ts';

export type BatchRow = {
  line: number;
  outcome: Exclude<RowOutcome, { kind: 'blank' }> | { kind: 'unreadable'; reason: string };
};

export type BatchContext = {
  tx: Db;
  keys: OrgKeys;
  orgId: string;
  sourceId: string;
  /** The source's type: which identifiers it makes reachable (suppliers.ts). */
  sourceType: SourceType;
  importId: string;
  actor: Actor;
  clock: Clock;
};

export type BatchCounts = {
  imported: number;
  merged: number;
  rejected: number;
  suppressed: number;
  conflicts: number;
  /** Consents of rows whose address lost the merge: not recorded (SRC-3). */
  consentsNotRecorded: number;
  consents: { email: number; sms: number; phone: number; post: number };
};

/** A contact as the batch sees it: known (from the database) or created by this batch. */
type ContactRef = {
  id: string;
  isNew: boolean;
  identity: ContactIdentity;
  attributes: ContactAttributes;
  dirty: boolean;
  /** Whether it already has provenance from this import. */
  hasProvenance: boolean;
  indexes: IdentityIndexes;
  /** Which source supplied each identifier (SRC-3, NOT-1). */
  suppliers: Suppliers;
};

const hex = (b: Buffer | null | undefined) => (b ? b.toString('hex') : undefined);

function indexKeys(ix: IdentityIndexes): { email?: string; phone?: string; nameBirth?: string } {
  return {
    email: hex(ix.emailIndex),
    phone: hex(ix.phoneIndex),
    nameBirth: hex(ix.nameBirthIndex),
  };
}

export async function writeBatch(ctx: BatchContext, rows: BatchRow[]): Promise<BatchCounts> {
  const counts: BatchCounts = {
    imported: 0,
    merged: 0,
    rejected: 0,
    suppressed: 0,
    conflicts: 0,
    consentsNotRecorded: 0,
    consents: { email: 0, sms: 0, phone: 0, post: 0 },
  };

  // 1. Suppression: an objector's row is neither imported nor quarantined. What the row names
  // without storing it (an invalid email) is checked too (rowSuppressionHashes).
  const hashesByRow = rows.map((r) =>
    r.outcome.kind === 'unreadable' ? [] : rowSuppressionHashes(ctx.keys, r.outcome.row),
  );
  const suppressed = await suppressedAmong(ctx.tx, {
    orgId: ctx.orgId,
    hashes: hashesByRow.flat(),
  });
  const live: {
    line: number;
    row: NormalisedRow;
    indexes: IdentityIndexes;
    /** The row's phone as versions before issue 13 read it, and its blind index (legacyForms). */
    legacy: { phone: string; index: Buffer }[];
  }[] = [];
  const rejections: {
    line: number;
    reason: string;
    row?: NormalisedRow;
    kind: QuarantineKind;
  }[] = [];
  rows.forEach((r, i) => {
    if (hashesByRow[i]!.some((h) => suppressed.has(h.toString('hex')))) {
      counts.suppressed++;
    } else if (r.outcome.kind === 'unreadable') {
      rejections.push({ line: r.line, reason: r.outcome.reason, kind: 'rejected' });
    } else if (r.outcome.kind === 'rejected') {
      rejections.push({
        line: r.line,
        reason: r.outcome.reason,
        row: r.outcome.row,
        kind: 'rejected',
      });
    } else {
      // Kept without its invalid fields: imported or merged below, and its line quarantined so
      // that staff can fix the file.
      if (r.outcome.fieldsNotStored)
        rejections.push({
          line: r.line,
          reason: r.outcome.fieldsNotStored,
          row: r.outcome.row,
          kind: 'kept',
        });
      live.push({
        line: r.line,
        row: r.outcome.row,
        indexes: indexIdentity(ctx.keys, r.outcome.row.identity),
        legacy: legacyForms(r.outcome.row.identity.phone ?? '').map((phone) => ({
          phone,
          index: indexIdentity(ctx.keys, { phone }).phoneIndex!,
        })),
      });
    }
  });

  // 2. Known contacts matching any identifier of the batch, in one query.
  const byIndex = new Map<string, ContactRef>();
  const communeOf = new Map<ContactRef, string | undefined>();
  const register = (ref: ContactRef, ix: IdentityIndexes) => {
    const k = indexKeys(ix);
    if (k.email) byIndex.set(`e${k.email}`, ref);
    if (k.phone) byIndex.set(`p${k.phone}`, ref);
    if (k.nameBirth) byIndex.set(`n${k.nameBirth}`, ref);
    communeOf.set(ref, ref.attributes.communeCode);
  };
  const known = await findKnown(ctx, [
    ...live.map((l) => l.indexes),
    ...live.flatMap((l) =>
      l.legacy.map((x) => ({ emailIndex: null, phoneIndex: x.index, nameBirthIndex: null })),
    ),
  ]);
  for (const k of known) {
    const identity = openIdentity(ctx.keys, ctx.orgId, k.id, k.identity);
    const attributes: ContactAttributes = {};
    if (k.birth_year !== null) attributes.birthYear = k.birth_year;
    if (k.sex !== null) attributes.sex = k.sex as 'F' | 'M';
    if (k.commune_code !== null) attributes.communeCode = k.commune_code;
    if (k.postal_code !== null) attributes.postalCode = k.postal_code;
    if (k.polling_station !== null) attributes.pollingStation = k.polling_station;
    if (k.csp !== null) attributes.csp = k.csp;
    const ref: ContactRef = {
      id: k.id,
      isNew: false,
      identity,
      attributes,
      dirty: false,
      hasProvenance: k.has_provenance,
      indexes: indexIdentity(ctx.keys, identity),
      suppliers: knownSuppliers(k),
    };
    register(ref, ref.indexes);
  }

  // 3. Match or create, row by row, so that later rows of the batch see earlier ones.
  const touched = new Set<ContactRef>();
  const supplier = { id: ctx.sourceId, type: ctx.sourceType };
  const consentRows: (typeof consentEntries.$inferInsert)[] = [];
  for (const { line, row, indexes, legacy } of live) {
    const k = indexKeys(indexes);
    const byName = k.nameBirth ? byIndex.get(`n${k.nameBirth}`) : undefined;
    const communeCompatible = (ref: ContactRef) => {
      const theirs = communeOf.get(ref);
      return (
        !theirs || !row.attributes.communeCode || sameCommune(theirs, row.attributes.communeCode)
      );
    };
    const match =
      (k.email && byIndex.get(`e${k.email}`)) ||
      (k.phone && byIndex.get(`p${k.phone}`)) ||
      legacy.map((x) => byIndex.get(`p${hex(x.index)}`)).find(Boolean) ||
      (byName && communeCompatible(byName) ? byName : undefined);
    let ref: ContactRef;
    if (match) {
      ref = match;
      const before = { ...ref.identity };
      // The contact's number stored as versions before issue 13 read it (+33596…): the same
      // number, now stored as read today (+596596…), not a conflict.
      if (row.identity.phone && legacy.some((x) => x.phone === ref.identity.phone))
        ref.identity.phone = row.identity.phone;
      counts.conflicts +=
        fillEmpty(ref.identity, row.identity) + fillEmpty(ref.attributes, row.attributes);
      ref.dirty = !ref.isNew;
      ref.indexes = indexIdentity(ctx.keys, ref.identity);
      ref.suppliers = mergeSuppliers(before, row.identity, ref.suppliers, supplier);
      counts.merged++;
    } else {
      ref = {
        id: randomUUID(),
        isNew: true,
        identity: { ...row.identity },
        attributes: { ...row.attributes },
        dirty: false,
        hasProvenance: false,
        indexes,
        suppliers: suppliersOfNew(row.identity, supplier),
      };
      counts.imported++;
    }
    register(ref, ref.indexes);
    touched.add(ref);
    for (const consent of row.consents) {
      // SRC-3: the consent is the row's address's; it lost the merge, so it is not recorded.
      if (!consentFitsContact(consent.channel, row.identity, ref.identity)) {
        counts.consentsNotRecorded++;
        continue;
      }
      counts.consents[consent.channel]++;
      consentRows.push({
        orgId: ctx.orgId,
        contactId: ref.id,
        channel: consent.channel,
        purpose: DEFAULT_PURPOSE,
        action: 'granted',
        wording: consent.wording,
        method: 'file',
        place: `import ${ctx.importId}`,
        // CH-CONSENT keeps evidence: the row's proof, the attestation's, or the row itself.
        evidence: consent.evidence ?? `line ${line} of import ${ctx.importId}`,
        sourceId: ctx.sourceId,
        occurredAt: new Date(`${consent.date}T00:00:00Z`),
        recordedBy: ctx.actor,
      });
    }
  }

  // 4. Write: new contacts, updated contacts, provenance, consents, quarantine.
  const created = [...touched].filter((r) => r.isNew);
  await insertContacts(ctx, created);
  await updateContacts(
    ctx,
    [...touched].filter((r) => r.dirty),
  );
  const needProvenance = [...touched].filter((r) => !r.hasProvenance);
  if (needProvenance.length > 0) {
    await ctx.tx.execute(sql`
      insert into contact_provenance (org_id, contact_id, source_id, import_id, recorded_by)
      select ${ctx.orgId}, id, ${ctx.sourceId}, ${ctx.importId}, ${ctx.actor}
      from unnest(${sql.param(needProvenance.map((r) => r.id))}::uuid[]) as id`);
    for (const ref of needProvenance) ref.hasProvenance = true;
  }
  if (consentRows.length > 0) await ctx.tx.insert(consentEntries).values(consentRows);
  if (rejections.length > 0) {
    counts.rejected += rejections.filter((r) => r.kind === 'rejected').length;
    await ctx.tx
      .insert(importRejections)
      .values(
        rejections.map((r) => ({
          importId: ctx.importId,
          line: r.line,
          reason: r.reason,
          // Sealed with the row's suppression hashes, so that an objector's row is withheld (OPT-3).
          row: seal(
            ctx.keys.encryption,
            quarantinePlaintext(ctx.keys, r.row, r.kind),
            `isoloir:rejection:${ctx.importId}:${r.line}`,
          ),
        })),
      )
      .onConflictDoNothing();
  }
  return counts;
}

type KnownRow = {
  id: string;
  identity: Buffer | Uint8Array;
  birth_year: number | null;
  sex: string | null;
  commune_code: string | null;
  postal_code: string | null;
  polling_station: string | null;
  csp: string | null;
  has_provenance: boolean;
  email_source_id: string | null;
  email_source_type: SourceType | null;
  phone_source_id: string | null;
  phone_source_type: SourceType | null;
  address_source_id: string | null;
  address_source_type: SourceType | null;
};

function knownSuppliers(k: KnownRow): Suppliers {
  const out: Suppliers = {};
  if (k.email_source_id && k.email_source_type)
    out.email = { id: k.email_source_id, type: k.email_source_type };
  if (k.phone_source_id && k.phone_source_type)
    out.phone = { id: k.phone_source_id, type: k.phone_source_type };
  if (k.address_source_id && k.address_source_type)
    out.address = { id: k.address_source_id, type: k.address_source_type };
  return out;
}

const b64 = (b: Buffer | null) => (b ? b.toString('base64') : null);

/**
 * Known contacts matching any blind index of the batch. Each index is looked up with
 * `= any(array)` in its own branch, so that PostgreSQL uses the (org_id, index) indexes instead
 * of scanning the table; the arrays travel as one base64 text[] parameter each.
 */
async function findKnown(
  ctx: BatchContext,
  indexes: IdentityIndexes[],
): Promise<(KnownRow & { identity: Buffer })[]> {
  const branches: SQL[] = [];
  for (const [column, values] of [
    ['email_bidx', indexes.map((i) => b64(i.emailIndex))],
    ['phone_bidx', indexes.map((i) => b64(i.phoneIndex))],
    ['name_birth_bidx', indexes.map((i) => b64(i.nameBirthIndex))],
  ] as const) {
    const present = values.filter((v): v is string => v !== null);
    if (present.length === 0) continue;
    branches.push(sql`
      select c.id, c.identity, c.birth_year, c.sex, c.commune_code, c.postal_code, c.polling_station, c.csp,
        c.email_source_id, c.email_source_type, c.phone_source_id, c.phone_source_type,
        c.address_source_id, c.address_source_type,
        exists (select 1 from contact_provenance cp where cp.contact_id = c.id and cp.import_id = ${ctx.importId}) as has_provenance
      from contacts c
      where c.org_id = ${ctx.orgId}
        and c.${sql.raw(column)} = any(array(select decode(v, 'base64') from unnest(${sql.param(present)}::text[]) v))`);
  }
  if (branches.length === 0) return [];
  const result = (await ctx.tx.execute(sql.join(branches, sql` union `))) as unknown as {
    rows: KnownRow[];
  };
  return result.rows.map((r) => ({ ...r, identity: Buffer.from(r.identity) }));
}

/** Column arrays for unnest: one array per column, one element per contact. */
function contactArrays(ctx: BatchContext, refs: ContactRef[]) {
  return {
    ids: sql.param(refs.map((r) => r.id)),
    identity: sql.param(
      refs.map((r) => sealIdentity(ctx.keys, ctx.orgId, r.id, r.identity).toString('base64')),
    ),
    email: sql.param(refs.map((r) => b64(r.indexes.emailIndex))),
    phone: sql.param(refs.map((r) => b64(r.indexes.phoneIndex))),
    nameBirth: sql.param(refs.map((r) => b64(r.indexes.nameBirthIndex))),
    birthYear: sql.param(refs.map((r) => r.attributes.birthYear ?? null)),
    sex: sql.param(refs.map((r) => r.attributes.sex ?? null)),
    commune: sql.param(refs.map((r) => r.attributes.communeCode ?? null)),
    postal: sql.param(refs.map((r) => r.attributes.postalCode ?? null)),
    station: sql.param(refs.map((r) => r.attributes.pollingStation ?? null)),
    csp: sql.param(refs.map((r) => r.attributes.csp ?? null)),
    address: sql.param(refs.map((r) => Boolean(r.identity.streetAddress))),
    emailSource: sql.param(refs.map((r) => r.suppliers.email?.id ?? null)),
    emailType: sql.param(refs.map((r) => r.suppliers.email?.type ?? null)),
    phoneSource: sql.param(refs.map((r) => r.suppliers.phone?.id ?? null)),
    phoneType: sql.param(refs.map((r) => r.suppliers.phone?.type ?? null)),
    addressSource: sql.param(refs.map((r) => r.suppliers.address?.id ?? null)),
    addressType: sql.param(refs.map((r) => r.suppliers.address?.type ?? null)),
  };
}

const UNNEST_COLUMNS = sql.raw(
  't(id, identity, email, phone, name_birth, birth_year, sex, commune, postal, station, csp, has_address, email_source, email_type, phone_source, phone_type, address_source, address_type)',
);

function unnestContacts(a: ReturnType<typeof contactArrays>): SQL {
  return sql`unnest(${a.ids}::uuid[], ${a.identity}::text[], ${a.email}::text[], ${a.phone}::text[],
    ${a.nameBirth}::text[], ${a.birthYear}::int[], ${a.sex}::text[], ${a.commune}::text[],
    ${a.postal}::text[], ${a.station}::text[], ${a.csp}::text[], ${a.address}::boolean[],
    ${a.emailSource}::uuid[], ${a.emailType}::text[], ${a.phoneSource}::uuid[], ${a.phoneType}::text[],
    ${a.addressSource}::uuid[], ${a.addressType}::text[]) as ${UNNEST_COLUMNS}`;
}

/** One statement for the whole batch, whatever its size. */
async function insertContacts(ctx: BatchContext, refs: ContactRef[]): Promise<void> {
  if (refs.length === 0) return;
  await ctx.tx.execute(sql`
    insert into contacts (id, org_id, identity, email_bidx, phone_bidx, name_birth_bidx,
      birth_year, sex, commune_code, postal_code, polling_station, csp, has_address,
      email_source_id, email_source_type, phone_source_id, phone_source_type, address_source_id, address_source_type)
    select t.id, ${ctx.orgId}, decode(t.identity, 'base64'), decode(t.email, 'base64'),
      decode(t.phone, 'base64'), decode(t.name_birth, 'base64'), t.birth_year, t.sex, t.commune,
      t.postal, t.station, t.csp, t.has_address, t.email_source, t.email_type, t.phone_source,
      t.phone_type, t.address_source, t.address_type
    from ${unnestContacts(contactArrays(ctx, refs))}`);
}

async function updateContacts(ctx: BatchContext, refs: ContactRef[]): Promise<void> {
  if (refs.length === 0) return;
  await ctx.tx.execute(sql`
    update contacts c set identity = decode(t.identity, 'base64'), email_bidx = decode(t.email, 'base64'),
      phone_bidx = decode(t.phone, 'base64'), name_birth_bidx = decode(t.name_birth, 'base64'),
      birth_year = t.birth_year, sex = t.sex, commune_code = t.commune, postal_code = t.postal,
      polling_station = t.station, csp = t.csp, has_address = t.has_address,
      email_source_id = t.email_source, email_source_type = t.email_type, phone_source_id = t.phone_source,
      phone_source_type = t.phone_type, address_source_id = t.address_source, address_source_type = t.address_type, updated_at = ${ctx.clock().toISOString()}::timestamptz
    from ${unnestContacts(contactArrays(ctx, refs))}
    where c.id = t.id and c.org_id = ${ctx.orgId}`);
}
