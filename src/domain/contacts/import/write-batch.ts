// Writes one batch of normalised rows inside the import's transaction:
//   1. rows matching the suppression list are counted and forgotten (SRC-8, OPT-3);
//   2. the others are matched to known contacts by blind index (email, then phone, then
//      name + birth date within the same commune), earlier rows of this file included;
//   3. a match fills the contact's empty fields (conflicts counted, never overwritten) and gains
//      provenance; no match creates a contact with its provenance (SRC-6);
//   4. consents from the row go to the ledger; rejected rows go, sealed, to the quarantine.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../../../db/open-db.ts';
import {
  consentEntries,
  contactProvenance,
  contacts,
  importRejections,
} from '../../../db/schema/index.ts';
import { seal } from '../../../crypto/aead.ts';
import type { OrgKeys } from '../../../crypto/org-keys.ts';
import { DEFAULT_PURPOSE } from '../../consent/consent.ts';
import { suppressedAmong, suppressionHashes } from '../../objections/suppression.ts';
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
import { fillEmpty } from './merge.ts';
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
  consents: { email: number; sms: number };
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
    consents: { email: 0, sms: 0 },
  };

  // 1. Suppression: an objector's row is neither imported nor quarantined.
  const hashesByRow = rows.map((r) =>
    r.outcome.kind === 'unreadable' ? [] : suppressionHashes(ctx.keys, r.outcome.row.identity),
  );
  const suppressed = await suppressedAmong(ctx.tx, {
    orgId: ctx.orgId,
    hashes: hashesByRow.flat(),
  });
  const live: { line: number; row: NormalisedRow; indexes: IdentityIndexes }[] = [];
  const rejections: { line: number; reason: string; storable: Record<string, string> }[] = [];
  rows.forEach((r, i) => {
    if (hashesByRow[i]!.some((h) => suppressed.has(h.toString('hex')))) {
      counts.suppressed++;
    } else if (r.outcome.kind === 'unreadable') {
      rejections.push({ line: r.line, reason: r.outcome.reason, storable: {} });
    } else if (r.outcome.kind === 'rejected') {
      rejections.push({ line: r.line, reason: r.outcome.reason, storable: r.outcome.row.storable });
    } else {
      live.push({
        line: r.line,
        row: r.outcome.row,
        indexes: indexIdentity(ctx.keys, r.outcome.row.identity),
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
  const clauses: SQL[] = [];
  const emails = live.flatMap((l) => (l.indexes.emailIndex ? [l.indexes.emailIndex] : []));
  const phones = live.flatMap((l) => (l.indexes.phoneIndex ? [l.indexes.phoneIndex] : []));
  const names = live.flatMap((l) => (l.indexes.nameBirthIndex ? [l.indexes.nameBirthIndex] : []));
  if (emails.length) clauses.push(inArray(contacts.emailIndex, emails));
  if (phones.length) clauses.push(inArray(contacts.phoneIndex, phones));
  if (names.length) clauses.push(inArray(contacts.nameBirthIndex, names));
  if (clauses.length > 0) {
    const known = await ctx.tx
      .select({
        id: contacts.id,
        identity: contacts.identity,
        birthYear: contacts.birthYear,
        sex: contacts.sex,
        communeCode: contacts.communeCode,
        postalCode: contacts.postalCode,
        pollingStation: contacts.pollingStation,
        csp: contacts.csp,
        // Qualified by hand: inside the subquery, a bare "id" would be contact_provenance's.
        hasProvenance: sql<boolean>`exists (select 1 from contact_provenance cp where cp.contact_id = "contacts"."id" and cp.import_id = ${ctx.importId})`,
      })
      .from(contacts)
      .where(and(eq(contacts.orgId, ctx.orgId), or(...clauses)));
    for (const k of known) {
      const identity = openIdentity(ctx.keys, ctx.orgId, k.id, k.identity);
      const attributes: ContactAttributes = {};
      for (const key of [
        'birthYear',
        'sex',
        'communeCode',
        'postalCode',
        'pollingStation',
        'csp',
      ] as const) {
        if (k[key] !== null) (attributes as Record<string, unknown>)[key] = k[key];
      }
      register(
        {
          id: k.id,
          isNew: false,
          identity,
          attributes,
          dirty: false,
          hasProvenance: k.hasProvenance,
        },
        indexIdentity(ctx.keys, identity),
      );
    }
  }

  // 3. Match or create, row by row, so that later rows of the batch see earlier ones.
  const touched = new Set<ContactRef>();
  const consentRows: (typeof consentEntries.$inferInsert)[] = [];
  for (const { row, indexes } of live) {
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
      (byName && communeCompatible(byName) ? byName : undefined);
    let ref: ContactRef;
    if (match) {
      ref = match;
      counts.conflicts +=
        fillEmpty(ref.identity, row.identity) + fillEmpty(ref.attributes, row.attributes);
      ref.dirty = !ref.isNew;
      counts.merged++;
    } else {
      ref = {
        id: randomUUID(),
        isNew: true,
        identity: { ...row.identity },
        attributes: { ...row.attributes },
        dirty: false,
        hasProvenance: false,
      };
      counts.imported++;
    }
    register(ref, indexIdentity(ctx.keys, ref.identity));
    touched.add(ref);
    for (const consent of row.consents) {
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
        evidence: consent.evidence ?? null,
        sourceId: ctx.sourceId,
        occurredAt: new Date(`${consent.date}T00:00:00Z`),
        recordedBy: ctx.actor,
      });
    }
  }

  // 4. Write: new contacts, updated contacts, provenance, consents, quarantine.
  const columns = (ref: ContactRef) => ({
    identity: sealIdentity(ctx.keys, ctx.orgId, ref.id, ref.identity),
    ...indexIdentity(ctx.keys, ref.identity),
    birthYear: ref.attributes.birthYear ?? null,
    sex: ref.attributes.sex ?? null,
    communeCode: ref.attributes.communeCode ?? null,
    postalCode: ref.attributes.postalCode ?? null,
    pollingStation: ref.attributes.pollingStation ?? null,
    csp: ref.attributes.csp ?? null,
  });
  const created = [...touched].filter((r) => r.isNew);
  if (created.length > 0) {
    await ctx.tx
      .insert(contacts)
      .values(created.map((ref) => ({ id: ref.id, orgId: ctx.orgId, ...columns(ref) })));
  }
  for (const ref of touched) {
    if (ref.dirty) {
      await ctx.tx
        .update(contacts)
        .set({ ...columns(ref), updatedAt: ctx.clock() })
        .where(eq(contacts.id, ref.id));
    }
  }
  const needProvenance = [...touched].filter((r) => !r.hasProvenance);
  if (needProvenance.length > 0) {
    await ctx.tx.insert(contactProvenance).values(
      needProvenance.map((ref) => ({
        orgId: ctx.orgId,
        contactId: ref.id,
        sourceId: ctx.sourceId,
        importId: ctx.importId,
        recordedBy: ctx.actor,
      })),
    );
    for (const ref of needProvenance) ref.hasProvenance = true;
  }
  if (consentRows.length > 0) await ctx.tx.insert(consentEntries).values(consentRows);
  if (rejections.length > 0) {
    counts.rejected += rejections.length;
    await ctx.tx
      .insert(importRejections)
      .values(
        rejections.map((r) => ({
          importId: ctx.importId,
          line: r.line,
          reason: r.reason,
          row: seal(
            ctx.keys.encryption,
            Buffer.from(JSON.stringify(r.storable)),
            `isoloir:rejection:${ctx.importId}:${r.line}`,
          ),
        })),
      )
      .onConflictDoNothing();
  }
  return counts;
}
