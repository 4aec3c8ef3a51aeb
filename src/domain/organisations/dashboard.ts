// The dashboard's figures, aggregates only (no identifier leaves): contacts by source, how many
// each channel may lawfully reach now (the same rules as segment counts), objections recorded by
// method, and campaigns by state.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { countSegment, type SegmentCount } from '../segments/count.ts';
import { reportCounts, type ReportCounts } from '../rights/reports.ts';

export type Dashboard = {
  contacts: number;
  reachable: SegmentCount['reachable'];
  bySource: { sourceId: string; label: string; type: string; contacts: number }[];
  objections: { total: number; byMethod: Record<string, number> };
  campaigns: Record<string, number>;
  /** REP-1: voters' reports of messages, by channel and by reason. */
  reports: ReportCounts;
};

type Rows<T> = { rows: T[] };

export async function dashboardFor(
  db: Db,
  options: { orgId: string; at?: Date },
): Promise<Dashboard> {
  const everyone = await countSegment(db, {
    orgId: options.orgId,
    where: { and: [] },
    at: options.at,
  });
  const bySource = (await db.execute(sql`
    select s.id as source_id, s.label, s.type, count(distinct p.contact_id)::int as contacts
    from data_sources s left join contact_provenance p on p.source_id = s.id
    where s.org_id = ${options.orgId}
    group by s.id, s.label, s.type, s.created_at
    order by s.created_at, s.id`)) as unknown as Rows<{
    source_id: string;
    label: string;
    type: string;
    contacts: number;
  }>;
  // Objections are counted from the audit log: the suppression list holds hashes that cannot be
  // counted as people (OPT-3), and one person may have several.
  const objections = (await db.execute(sql`
    select coalesce(summary->>'method', 'unsubscribe') as method, count(*)::int as n
    from audit_events where org_id = ${options.orgId} and action = 'objection.record'
    group by 1`)) as unknown as Rows<{ method: string; n: number }>;
  const campaigns = (await db.execute(sql`
    select state, count(*)::int as n from campaigns where org_id = ${options.orgId} group by state`)) as unknown as Rows<{
    state: string;
    n: number;
  }>;
  const byMethod = Object.fromEntries(objections.rows.map((r) => [r.method, Number(r.n)]));
  return {
    contacts: everyone.total,
    reachable: everyone.reachable,
    bySource: bySource.rows.map((r) => ({
      sourceId: r.source_id,
      label: r.label,
      type: r.type,
      contacts: Number(r.contacts),
    })),
    objections: {
      total: Object.values(byMethod).reduce((a, b) => a + b, 0),
      byMethod,
    },
    campaigns: Object.fromEntries(campaigns.rows.map((r) => [r.state, Number(r.n)])),
    reports: await reportCounts(db, { orgId: options.orgId }),
  };
}
