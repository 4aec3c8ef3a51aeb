// Deleting a source deletes what came only from it: contacts with no other provenance (with
// their consent entries), its provenance rows, its imports and their quarantined rows.
// Contacts also known from another source stay, minus this source's provenance and minus the
// identifiers this source supplied them (erase-supplied.ts).
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { contactProvenance, dataSources } from '../../db/schema/index.ts';
import type { Actor } from '../validation.ts';
import { getSource } from './sources.ts';
import { recordAudit } from '../audit/record-audit.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { eraseSuppliedBy } from './erase-supplied.ts';

export async function deleteSource(
  db: Db,
  options: { sourceId: string; orgId?: string; actor: Actor; keys: KeyRing },
): Promise<{
  sourceId: string;
  contactsDeleted: number;
  provenanceRemoved: number;
  /** Kept contacts that lost an email, phone or address this source had supplied. */
  identifiersErased: number;
}> {
  const source = await getSource(db, options);
  return db.transaction(async (tx) => {
    // A declared purge: the consent ledger lets these rows go with their contacts.
    await tx.execute(sql`select set_config('isoloir.purge', 'on', true)`);
    const deleted = (await tx.execute(sql`
      delete from contacts c
      where c.org_id = ${source.orgId}
        and exists (select 1 from contact_provenance p where p.contact_id = c.id and p.source_id = ${source.id})
        and not exists (select 1 from contact_provenance p where p.contact_id = c.id and p.source_id <> ${source.id})
      returning c.id`)) as unknown as { rows: unknown[] };
    const identifiersErased = await eraseSuppliedBy(tx, {
      keys: options.keys,
      orgId: source.orgId,
      sourceId: source.id,
    });
    const removed = await tx
      .delete(contactProvenance)
      .where(
        and(eq(contactProvenance.sourceId, source.id), eq(contactProvenance.orgId, source.orgId)),
      )
      .returning({ id: contactProvenance.id });
    // Imports and their quarantine go by cascade.
    await tx.delete(dataSources).where(eq(dataSources.id, source.id));
    await recordAudit(tx, {
      actor: options.actor,
      action: 'source.delete',
      orgId: source.orgId,
      entityType: 'source',
      entityId: source.id,
      summary: {
        contactsDeleted: deleted.rows.length,
        provenanceRemoved: removed.length,
        identifiersErased,
      },
    });
    return {
      sourceId: source.id,
      contactsDeleted: deleted.rows.length,
      provenanceRemoved: removed.length,
      identifiersErased,
    };
  });
}
