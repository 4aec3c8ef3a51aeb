// countSegment: how many contacts match a filter, and how many of them each channel may lawfully
// reach now. One query, scoped to the organisation (so political-opinion data, SEG-3, never
// crosses organisations):
//   email, sms  -> an address/number, and consent naming political messages, or an existing
//                  relationship (member or supporter who gave it) not withdrawn (CH-EMAIL, CH-SMS);
//   phone, post -> a number/address from a lawful source, not withdrawn (CH-PHONE, CH-POST).
// An objection (OPT-1) withdraws every channel in the consent ledger, so it excludes everywhere.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { packFor } from '../../policy/packs.ts';
import { DEFAULT_PURPOSE } from '../consent/consent.ts';
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
  const relationship = sql.join(
    pack.relationshipSources.map((t) => sql`${t}`),
    sql`, `,
  );

  const result = (await db.execute(sql`
    with seg as (
      select c.id, c.email_bidx is not null as has_email, c.phone_bidx is not null as has_phone, c.has_address
      from contacts c
      where c.org_id = ${org.id} and ${condition}
    ),
    latest as (
      select distinct on (e.contact_id, e.channel) e.contact_id, e.channel, e.action
      from consent_entries e join seg on seg.id = e.contact_id
      where e.purpose = ${DEFAULT_PURPOSE}
      order by e.contact_id, e.channel, e.occurred_at desc, e.id desc
    ),
    k as (
      select contact_id,
        max(action) filter (where channel = 'email') as email,
        max(action) filter (where channel = 'sms') as sms,
        max(action) filter (where channel = 'phone') as phone,
        max(action) filter (where channel = 'post') as post
      from latest group by contact_id
    ),
    rel as (
      -- Only the segment's own provenance, through the contact_id index: small segments stay fast.
      select distinct p.contact_id from seg
      join contact_provenance p on p.contact_id = seg.id
      join data_sources s on s.id = p.source_id
      where s.type in (${relationship})
    )
    select
      count(*)::int as total,
      (count(*) filter (where seg.has_email and (k.email = 'granted' or (k.email is null and rel.contact_id is not null))))::int as email,
      (count(*) filter (where seg.has_phone and (k.sms = 'granted' or (k.sms is null and rel.contact_id is not null))))::int as sms,
      (count(*) filter (where seg.has_phone and k.phone is distinct from 'withdrawn'))::int as phone,
      (count(*) filter (where seg.has_address and k.post is distinct from 'withdrawn'))::int as post
    from seg
    left join k on k.contact_id = seg.id
    left join rel on rel.contact_id = seg.id`)) as unknown as {
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
