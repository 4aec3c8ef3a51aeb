// The DPO reads the audit log of their organisation, filtered by actor, action, entity and time,
// and refused attempts alone (refused=true) or by rule (rule=SEG-2).
import { Hono } from 'hono';
import { listAuditEvents } from '../../domain/audit/list-audit.ts';
import { recordAudit } from '../../domain/audit/record-audit.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { org, permit } from '../permit.ts';

const FILTERS = [
  'actor',
  'action',
  'entityId',
  'refused',
  'rule',
  'since',
  'until',
  'limit',
] as const;

export function auditRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>().get(
    '/orgs/:orgId/audit',
    permit(s, 'audit.read', org.fromParam),
    async (c) => {
      const query = c.req.query();
      const unknown = Object.keys(query).filter((k) => !(FILTERS as readonly string[]).includes(k));
      if (unknown.length)
        throw DomainError.keyed(
          'invalid',
          'audit.unknown_filter',
          `unknown filter ${unknown.join(', ')}: use ${FILTERS.join(', ')}`,
          { filters: unknown.join(', '), known: FILTERS.join(', ') },
        );
      if (query.limit !== undefined && !/^\d+$/.test(query.limit))
        throw DomainError.keyed(
          'invalid',
          'audit.limit_not_integer',
          'limit: must be a whole number',
        );
      if (query.refused !== undefined && !['true', 'false'].includes(query.refused))
        throw DomainError.keyed(
          'invalid',
          'audit.refused_not_boolean',
          'refused: must be true or false',
        );
      // Reading the access log is itself on the record, in the same transaction as the read.
      const items = await s.db.transaction(async (tx) => {
        const rows = await listAuditEvents(tx, {
          ...query,
          orgId: c.var.orgId,
          ...(query.limit !== undefined ? { limit: Number(query.limit) } : {}),
          ...(query.refused !== undefined ? { refused: query.refused === 'true' } : {}),
        });
        await recordAudit(tx, {
          actor: c.var.actor,
          action: 'audit.read',
          orgId: c.var.orgId,
          entityType: 'audit',
          summary: { filters: Object.keys(query).sort(), rows: rows.length },
        });
        return rows;
      });
      return c.json({ items });
    },
  );
}
