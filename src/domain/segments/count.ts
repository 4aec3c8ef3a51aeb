// countSegment: how many contacts match a filter, and how many of them each channel may lawfully
// reach now. One query over contacts, scoped to the organisation (so political-opinion data,
// SEG-3, never crosses organisations):
//   email, sms  -> an address/number, and consent naming political messages, or an existing
//                  relationship (member or supporter who gave it) not withdrawn (CH-EMAIL, CH-SMS);
//   phone, post -> a number/address from a lawful source, not withdrawn (CH-PHONE, CH-POST).
// An objection (OPT-1) withdraws every channel in the consent ledger, so it excludes everywhere.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { packFor } from '../../policy/packs.ts';
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
  // Reachability reads the state the database keeps on each contact (latest consent per channel,
  // relationship), so a count is one pass over the segment's rows.
  const result = (await db.execute(sql`
    select
      count(*)::int as total,
      (count(*) filter (where c.email_bidx is not null
        and (c.consent_email = 'granted' or (c.consent_email is null and c.relationship))))::int as email,
      (count(*) filter (where c.phone_bidx is not null
        and (c.consent_sms = 'granted' or (c.consent_sms is null and c.relationship))))::int as sms,
      (count(*) filter (where c.phone_bidx is not null and c.consent_phone is distinct from 'withdrawn'))::int as phone,
      (count(*) filter (where c.has_address and c.consent_post is distinct from 'withdrawn'))::int as post
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
