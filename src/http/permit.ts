// Every route declares, next to its path, the permission it needs and where its organisation
// comes from: permit('segment.count', org.fromParam). A test walks the app's routes and fails on
// any route without such a declaration, then tries each one with every role (SEC-1).
import type { Context, MiddlewareHandler } from 'hono';
import { authorise, notFound, requireSignedIn } from '../domain/access/authorise.ts';
import { organisationOf, type EntityKind } from '../domain/access/entity-organisation.ts';
import type { AnyPermission } from '../domain/access/permissions.ts';
import { DomainError } from '../domain/errors.ts';
import type { Db } from '../db/open-db.ts';
import type { Services } from '../services.ts';
import { unauthenticated, type AuthVariables } from './auth.ts';

/**
 * - a permission: signed in, with that permission in the route's organisation (or as admin);
 * - 'signed_in': any signed-in person; the handler shows only what is theirs;
 * - 'session': a browser session (not a token), even with the second factor still due;
 * - 'public': anyone (sign-in itself).
 */
export type Requirement = AnyPermission | 'signed_in' | 'session' | 'public';

/** Finds the organisation a request touches; undefined when the entity does not exist. */
export type OrgOf = (db: Db, c: Context) => Promise<string | undefined>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function byId(kind: EntityKind, param: string): OrgOf {
  return async (db, c) => {
    const value = c.req.param(param) ?? '';
    if (!UUID.test(value))
      throw DomainError.keyed('invalid', 'request.param_not_uuid', `${param}: must be a UUID`, {
        param,
      });
    return organisationOf(db, kind, value);
  };
}

export const org = {
  fromParam: (async (_db, c) => {
    const value = c.req.param('orgId') ?? '';
    if (!UUID.test(value))
      throw DomainError.keyed('invalid', 'request.param_not_uuid', 'orgId: must be a UUID', {
        param: 'orgId',
      });
    return value;
  }) as OrgOf,
  ofSource: byId('source', 'sourceId'),
  ofElection: byId('election', 'electionId'),
  ofImport: byId('import', 'importId'),
  ofSegment: byId('segment', 'segmentId'),
  ofExport: byId('export', 'exportId'),
  ofAssignment: byId('assignment', 'assignmentId'),
  ofCampaign: byId('campaign', 'campaignId'),
  ofContact: byId('contact', 'contactId'),
  ofRightsRequest: byId('rights_request', 'requestId'),
};

export type PermitMiddleware = MiddlewareHandler<{ Variables: AuthVariables }> & {
  requirement: Requirement;
};

export function permit(s: Services, requirement: Requirement, orgOf?: OrgOf): PermitMiddleware {
  const middleware: MiddlewareHandler<{ Variables: AuthVariables }> = async (c, next) => {
    if (requirement !== 'public') {
      const p = c.var.principal;
      if (!p) throw unauthenticated(c, 'sign in, or send Authorization: Bearer <token>');
      if (requirement === 'signed_in') requireSignedIn(p);
      else if (requirement === 'session') {
        // Signing in, enrolling a factor, changing a password: for a person, never a program.
        if (p.via !== 'session')
          throw DomainError.keyed(
            'forbidden',
            'auth.session_only',
            'this route is for a signed-in session, not a token',
          );
      } else {
        const orgId = orgOf ? await orgOf(s.db, c) : undefined;
        if (orgOf && !orgId) {
          requireSignedIn(p);
          throw notFound();
        }
        const { role } = await authorise(s.db, p, requirement, orgId);
        if (orgId) c.set('orgId', orgId);
        c.set('role', role);
      }
    }
    await next();
  };
  return Object.assign(middleware, { requirement });
}
