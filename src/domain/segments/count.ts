// countSegment: how many contacts match a filter, and how many of them each channel may lawfully
// reach now. One query over contacts, scoped to the organisation (so political-opinion data,
// SEG-3, never crosses organisations); who a channel reaches is ../contacts/reachability.ts.
// An objection (OPT-1) withdraws every channel in the consent ledger, so it excludes everywhere.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { packFor } from '../../policy/packs.ts';
import { reachable } from '../contacts/reachability.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { compileFilter } from './compile.ts';
import { parseFilter } from './filter.ts';

export type SegmentCount = {
  total: number;
  reachable: { email: number; sms: number; phone: number; post: number };
};

export type CountOptions = {
  orgId: string;
  where: unknown;
  /** Reference date for ages (default: today). */
  at?: Date;
};

export async function countSegment(db: Db, options: CountOptions): Promise<SegmentCount> {
  const org = await getOrganisation(db, options);
  const pack = packFor(org.jurisdiction);
  const filter = parseFilter(pack, options.where);
  const condition = compileFilter(filter, {
    referenceYear: (options.at ?? new Date()).getUTCFullYear(),
  });
  // Reachability reads the state kept on each contact (latest consent per channel, the source of
  // each identifier), so a count is one pass over the segment's rows.
  const result = (await db.execute(sql`
    select
      count(*)::int as total,
      (count(*) filter (where ${reachable('email')}))::int as email,
      (count(*) filter (where ${reachable('sms')}))::int as sms,
      (count(*) filter (where ${reachable('phone')}))::int as phone,
      (count(*) filter (where ${reachable('post')}))::int as post
    from contacts c
    where c.org_id = ${org.id} and ${condition}`)) as unknown as {
    rows: { total: number; email: number; sms: number; phone: number; post: number }[];
  };
  const row = result.rows[0]!;
  return {
    total: Number(row.total),
    reachable: {
      email: Number(row.email),
      sms: Number(row.sms),
      phone: Number(row.phone),
      post: Number(row.post),
    },
  };
}
