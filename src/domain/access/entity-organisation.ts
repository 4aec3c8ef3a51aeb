// Which organisation an entity belongs to: what a route needs to know before it authorises a
// request on that entity (permit.ts). Undefined when the entity does not exist.
import { eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/open-db.ts';
import {
  assignments,
  campaigns,
  contacts,
  dataSources,
  elections,
  exportRequests,
  imports,
  rightsRequests,
  segments,
} from '../../db/schema/index.ts';

const TABLES = {
  source: [dataSources, dataSources.id, dataSources.orgId],
  election: [elections, elections.id, elections.orgId],
  import: [imports, imports.id, imports.orgId],
  segment: [segments, segments.id, segments.orgId],
  export: [exportRequests, exportRequests.id, exportRequests.orgId],
  assignment: [assignments, assignments.id, assignments.orgId],
  campaign: [campaigns, campaigns.id, campaigns.orgId],
  contact: [contacts, contacts.id, contacts.orgId],
  rights_request: [rightsRequests, rightsRequests.id, rightsRequests.orgId],
} satisfies Record<string, [PgTable, PgColumn, PgColumn]>;

export type EntityKind = keyof typeof TABLES;

/** The organisation of a source, election, import, segment, export, assignment, campaign, contact or rights request. */
export async function organisationOf(
  db: Db,
  kind: EntityKind,
  id: string,
): Promise<string | undefined> {
  const [table, idColumn, orgIdColumn] = TABLES[kind];
  const [row] = await db.select({ orgId: orgIdColumn }).from(table).where(eq(idColumn, id));
  return (row as { orgId: string } | undefined)?.orgId;
}
