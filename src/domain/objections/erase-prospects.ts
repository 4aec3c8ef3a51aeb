// OPT-3: no file of objectors is kept. A prospect (someone the organisation only knows from an
// electoral or sign-in list, a purchased file, a referral or a door-to-door round) who objects is
// erased: their identifiers, provenance and consent-ledger rows go, and only the keyed hashes of
// the suppression list stay (the caller has written them). Someone with an existing relationship
// (a member, a supporter) stays, withdrawn on every channel. Messages already queued for an erased
// contact are marked suppressed, and every outbox row stays as a message reference with no
// contact (migration 0012), so campaign figures do not change.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import type { SourceType } from '../../db/schema/index.ts';

/** Sources of people who never gave the organisation their details themselves. */
export const PROSPECT_SOURCE_TYPES = [
  'electoral_list',
  'signin_list',
  'purchased_file',
  'referral',
  'door_to_door',
] as const satisfies readonly SourceType[];

const PROSPECT_LIST = sql.raw(PROSPECT_SOURCE_TYPES.map((t) => `'${t}'`).join(', '));

/** Of these contacts, the ids of those whose every source is a prospect source. */
export async function prospectsAmong(db: Db, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const result = (await db.execute(sql`
    select c.id from contacts c
    where c.id = any(${sql.param([...ids])}::uuid[])
      and not exists (
        select 1 from contact_provenance p join data_sources s on s.id = p.source_id
        where p.contact_id = c.id and s.type not in (${PROSPECT_LIST}))
    order by c.id`)) as unknown as { rows: { id: string }[] };
  return result.rows.map((r) => r.id);
}

/**
 * Erases these contacts, inside the caller's transaction: their queued messages become
 * suppressed, then the contacts go with their provenance, ledger rows (a declared purge, which the
 * ledger's trigger allows only in this transaction) and list assignments. Returns how many.
 */
export async function eraseContacts(
  tx: Db,
  options: { orgId: string; ids: readonly string[]; now: Date },
): Promise<number> {
  if (options.ids.length === 0) return 0;
  const ids = sql.param([...options.ids]);
  await tx.execute(sql`
    update outbox set state = 'suppressed', last_error = 'objected (OPT-1)', lease_until = null,
      updated_at = ${options.now.toISOString()}::timestamptz
    where org_id = ${options.orgId} and contact_id = any(${ids}::uuid[]) and state = 'queued'`);
  // Every message of theirs remembers that the recipient objected, once its contact link is gone.
  await tx.execute(sql`
    update outbox set recipient_objected = true
    where org_id = ${options.orgId} and contact_id = any(${ids}::uuid[])`);
  // A rights request keeps no id of an erased contact (OPT-3: no trace next to an objection).
  await tx.execute(sql`
    update rights_requests set contact_ids = (
        select coalesce(array_agg(c), '{}'::uuid[]) from unnest(contact_ids) as c
        where c <> all(${ids}::uuid[]))
    where org_id = ${options.orgId} and contact_ids && ${ids}::uuid[]`);
  await tx.execute(sql`select set_config('isoloir.purge', 'on', true)`);
  const deleted = (await tx.execute(sql`
    delete from contacts where org_id = ${options.orgId} and id = any(${ids}::uuid[])
    returning id`)) as unknown as { rows: unknown[] };
  // The purge covers these rows only: later statements of the transaction are append-only again.
  await tx.execute(sql`select set_config('isoloir.purge', '', true)`);
  return deleted.rows.length;
}
