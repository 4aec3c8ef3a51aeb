// CAL-1 in the send engine, per recipient and in their own time zone: a claimed row whose
// recipient is inside an election silence (zone from the commune code, or else the postal code)
// is not sent. It goes back to `queued`, due when polls close in the recipient's zone, without
// using up an attempt; the rest of the group goes on.
// Held rows stay `queued`, so the campaign is not closed `done` while they wait.
import { sql } from 'drizzle-orm';
import type { Db } from '../db/open-db.ts';
import {
  silenceEnds,
  silenceOpenSomewhere,
  silencesFor,
  type SilenceCalendar,
} from '../domain/outreach/silence.ts';

type Row = { id: number; contact_id: string | null };

/** Holds the rows of `group` inside a silence at `at`; returns the rows that may go out. */
export async function holdSilenced<R extends Row>(
  tx: Db,
  calendar: SilenceCalendar,
  group: R[],
  at: Date,
): Promise<R[]> {
  if (group.length === 0 || !silenceOpenSomewhere(calendar, at)) return group;
  const communes = (await tx.execute(sql`
    select c.id, c.commune_code, c.postal_code from contacts c
    where c.id = any(${sql.param(group.flatMap((g) => (g.contact_id ? [g.contact_id] : [])))}::uuid[])`)) as unknown as {
    rows: { id: string; commune_code: string | null; postal_code: string | null }[];
  };
  const placeOf = new Map(communes.rows.map((r) => [r.id, r]));
  const until = new Map<number, Date>();
  for (const row of group) {
    const place = placeOf.get(row.contact_id ?? '');
    const silences = silencesFor(calendar, {
      at,
      communeCode: place?.commune_code,
      postalCode: place?.postal_code,
    });
    if (silences.length) until.set(row.id, silenceEnds(silences));
  }
  if (until.size === 0) return group;
  const held = [...until];
  await tx.execute(sql`
    update outbox o set state = 'queued', lease_until = null, attempts = greatest(o.attempts - 1, 0),
      next_attempt_at = h.until, last_error = 'held: election silence (CAL-1)',
      updated_at = ${at.toISOString()}::timestamptz
    from unnest(${sql.param(held.map(([id]) => id))}::bigint[],
                ${sql.param(held.map(([, d]) => d.toISOString()))}::timestamptz[]) as h(id, until)
    where o.id = h.id and o.state = 'sending'`);
  return group.filter((g) => !until.has(g.id));
}
