// OPT-3: the suppression list keeps keyed hashes and nothing else, under a key of its own, so it
// cannot be joined back to contacts to rebuild a file of people who objected.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { addContact } from '../contacts/contacts.ts';
import { suppressedAmong, suppressIdentity, suppressionHashes } from './suppression.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices();
});
afterAll(() => s.dispose());

describe('suppression list (OPT-3)', () => {
  it('holds only hashes, which match no blind index of the contacts table', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const identity = { birthName: 'Opposant', email: 'opposant@exemple.fr', phone: '+33677777777' };
    await addContact(s.db, {
      keys: s.keys,
      orgId: org.id,
      sourceId: source.id,
      identity,
      actor: 'test',
    });
    const keys = await s.keys.forOrg(s.db, org.id);
    await suppressIdentity(s.db, { keys, orgId: org.id, identity });

    const columns = (await s.db.execute(
      sql`select column_name from information_schema.columns where table_name = 'suppressions' order by 1`,
    )) as unknown as { rows: { column_name: string }[] };
    expect(columns.rows.map((r) => r.column_name)).toEqual(['created_at', 'hash', 'org_id']);

    const joined = (await s.db.execute(sql`
      select count(*)::int as n from suppressions sp join contacts c
        on sp.hash in (c.email_bidx, c.phone_bidx, c.name_birth_bidx)`)) as unknown as {
      rows: { n: number }[];
    };
    expect(Number(joined.rows[0]!.n)).toBe(0);

    const hashes = suppressionHashes(keys, identity);
    expect((await suppressedAmong(s.db, { orgId: org.id, hashes })).size).toBe(2);
  });
});
