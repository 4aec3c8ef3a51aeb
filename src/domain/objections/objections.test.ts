// OPT-1: an objection is the person's, not a row's: objecting through one contact (an
// unsubscribe link) withdraws every contact of the organisation with the same email.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { addContact } from '../contacts/contacts.ts';
import { recordObjection } from './objections.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices();
});
afterAll(() => s.dispose());

describe('recording an objection', () => {
  it('withdraws every contact of the organisation that shares the objecting email', async () => {
    const orgId = (await makeOrg(s)).id;
    const members = await makeSource(s, orgId, { type: 'member_file' });
    const signups = await makeSource(s, orgId, { type: 'supporter_signup', label: 'Site' });
    const a = await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: members.id,
      identity: { birthName: 'Martin', email: 'alice@exemple.fr' },
      actor: 'test',
    });
    const b = await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: signups.id,
      identity: { usageName: 'Dupont', email: 'alice@exemple.fr' },
      actor: 'test',
    });
    const result = await recordObjection(s.db, {
      keys: s.keys,
      orgId,
      input: { contactId: a.id, method: 'unsubscribe_link' },
      actor: 'test',
      clock: s.clock,
    });
    const ids = [a.id, b.id];
    const rows = (await s.db.execute(
      sql`select id, consent_email, consent_sms, consent_phone, consent_post from contacts where id = any(${sql.param(ids)}::uuid[])`,
    )) as unknown as { rows: Record<string, string>[] };
    expect(a.id).not.toBe(b.id); // two rows for one person (added apart, not merged)
    expect(result.contacts).toBe(2);
    for (const row of rows.rows)
      expect([row.consent_email, row.consent_sms, row.consent_phone, row.consent_post]).toEqual([
        'withdrawn',
        'withdrawn',
        'withdrawn',
        'withdrawn',
      ]);
  });
});
