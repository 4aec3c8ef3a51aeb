// Each recipient's own provenance, for their notice (NOT-1): the source that first brought them,
// when it was obtained, and the last round of its election (retention, RET-2).
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import type { SourceTypeName } from '../../policy/packs.ts';
import type { RecipientProvenance } from './notice.ts';

export async function recipientProvenance(
  db: Db,
  contactIds: string[],
): Promise<Map<string, RecipientProvenance>> {
  if (contactIds.length === 0) return new Map();
  const result = (await db.execute(sql`
    select distinct on (p.contact_id) p.contact_id, s.label, s.type, s.obtained_on::text as obtained_on,
      (select max(r.vote_date)::text from election_rounds r where r.election_id = s.election_id) as last_round
    from contact_provenance p join data_sources s on s.id = p.source_id
    where p.contact_id = any(${sql.param(contactIds)}::uuid[])
    order by p.contact_id, p.id`)) as unknown as {
    rows: {
      contact_id: string;
      label: string;
      type: string;
      obtained_on: string;
      last_round: string | null;
    }[];
  };
  return new Map(
    result.rows.map((r) => [
      r.contact_id,
      {
        sourceLabel: r.label,
        sourceType: r.type as SourceTypeName,
        obtainedOn: r.obtained_on,
        ...(r.last_round ? { lastRound: r.last_round } : {}),
      },
    ]),
  );
}
