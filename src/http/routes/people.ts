// Staff see people (issue 15, item 5): search by email, phone or name and birth date (in the body,
// never in a URL), a contact's page, a correction of one field, an erasure. Owner and DPO only,
// with a second factor (permissions.ts).
import { Hono } from 'hono';
import { contactRecord } from '../../domain/contacts/contact-record.ts';
import { eraseContact } from '../../domain/contacts/erase-contact.ts';
import { rectifyContact } from '../../domain/contacts/rectify.ts';
import { searchContacts } from '../../domain/contacts/search.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { org, permit } from '../permit.ts';

export function peopleRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .post('/orgs/:orgId/contacts/search', permit(s, 'contact.search', org.fromParam), async (c) =>
      c.json(
        await searchContacts(s.db, {
          keys: s.keys,
          orgId: c.var.orgId,
          input: await jsonBody(c),
          actor: c.var.actor,
          clock: s.clock,
        }),
      ),
    )
    .get('/contacts/:contactId', permit(s, 'contact.search', org.ofContact), async (c) =>
      c.json(
        await contactRecord(s.db, {
          keys: s.keys,
          orgId: c.var.orgId,
          contactId: c.req.param('contactId'),
          actor: c.var.actor,
        }),
      ),
    )
    .patch('/contacts/:contactId', permit(s, 'contact.rectify', org.ofContact), async (c) =>
      c.json(
        await rectifyContact(s.db, {
          keys: s.keys,
          orgId: c.var.orgId,
          contactId: c.req.param('contactId'),
          input: await jsonBody(c),
          actor: c.var.actor,
          clock: s.clock,
        }),
      ),
    )
    .post('/contacts/:contactId/erase', permit(s, 'contact.erase', org.ofContact), async (c) =>
      c.json(
        await eraseContact(s.db, {
          keys: s.keys,
          orgId: c.var.orgId,
          contactId: c.req.param('contactId'),
          // The body is optional: {"requestId"} when the erasure answers a rights request.
          input: c.req.header('content-type') ? await jsonBody(c) : undefined,
          actor: c.var.actor,
          clock: s.clock,
        }),
      ),
    );
}
