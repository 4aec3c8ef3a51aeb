// Refused attempts through the API (and so the web app) are audited here, in the app's one error
// handler (app.ts): who (the caller's actor), the organisation the route's permit() resolved, the
// most specific id in the route's path (a source, an import, a segment, a campaign...) and the
// attempted act as the route's method and pattern, never its path values or body.
import type { Context } from 'hono';
import { matchedRoutes } from 'hono/route';
import { domainErrorFromDatabase } from '../db/errors.ts';
import { auditRefusal, UUID, type Attempt } from '../domain/audit/record-refusal.ts';
import type { Services } from '../services.ts';

/** Route parameters naming an entity, most specific last. */
const ENTITY_OF_PARAM: Record<string, string> = {
  orgId: 'organisation',
  electionId: 'election',
  sourceId: 'source',
  importId: 'import',
  segmentId: 'segment',
  campaignId: 'campaign',
  exportId: 'export',
  assignmentId: 'assignment',
  userId: 'user',
  contactId: 'contact',
};

function attemptOf(c: Context): Attempt {
  // The route itself is the handler registered with permit() (which carries `requirement`).
  const route = matchedRoutes(c).find((r) => 'requirement' in r.handler) ?? matchedRoutes(c).at(-1);
  const params = c.req.param() as Record<string, string>;
  let entityType = 'request';
  let entityId: string | null = null;
  for (const [param, type] of Object.entries(ENTITY_OF_PARAM)) {
    const value = params[param];
    if (value !== undefined && UUID.test(value)) {
      entityType = type;
      entityId = value;
    }
  }
  const vars = c.var as { actor?: string; orgId?: string };
  return {
    actor: vars.actor ?? 'anonymous',
    attempted: `${c.req.method} ${route?.path ?? '(no route)'}`,
    orgId: vars.orgId ?? (entityType === 'organisation' ? entityId : null),
    entityType,
    entityId,
  };
}

/** Writes the `policy.refuse` event of a rule refusal; other errors write nothing. */
export async function auditRefusedRequest(s: Services, c: Context, error: unknown): Promise<void> {
  const refusal = domainErrorFromDatabase(error) ?? error;
  await auditRefusal(s.db, refusal, attemptOf(c), s.clock);
}
