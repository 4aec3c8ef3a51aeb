// The reachability state on each contact is kept by database triggers; it must follow the
// ledger and the provenance whatever writes them, and agree with the policy packs.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { contacts, LAWFUL_SOURCE_TYPES } from '../../db/schema/index.ts';
import { POLICY_PACKS } from '../../policy/packs.ts';
import { recordConsent } from '../consent/consent.ts';
import { addContact } from '../contacts/contacts.ts';
import { deleteSource } from '../sources/delete-source.ts';

let s: TestServices;
let t = Date.parse('2026-11-24T09:00:00Z');
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date((t += 1000)) });
});
afterAll(() => s.dispose());

const state = async (id: string) =>
  (await s.db.select().from(contacts).where(eq(contacts.id, id)))[0]!;

describe('reachability state on contacts', () => {
  it('follows the latest consent entry per channel', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id, { type: 'door_to_door' });
    const { id } = await addContact(s.db, {
      keys: s.keys,
      orgId: org.id,
      sourceId: source.id,
      identity: { birthName: 'X', email: 'x@exemple.fr', phone: '+33612345679' },
      actor: 'test',
    });
    const record = (entry: object) =>
      recordConsent(s.db, { orgId: org.id, contactId: id, entry, actor: 'test', clock: s.clock });
    expect((await state(id)).consentEmail).toBeNull();
    await record({
      channel: 'email',
      action: 'granted',
      wording: 'messages politiques par email',
      method: 'canvasser',
      place: 'porte-à-porte',
      evidence: 'fiche 12',
    });
    expect((await state(id)).consentEmail).toBe('granted');
    await record({ channel: 'sms', action: 'withdrawn', method: 'sms_stop' });
    expect(await state(id)).toMatchObject({
      consentEmail: 'granted',
      consentSms: 'withdrawn',
      consentPost: null,
    });
    // A grant dated before the withdrawal does not undo it.
    await record({
      channel: 'sms',
      action: 'granted',
      wording: 'SMS politiques',
      method: 'web_form',
      place: 'site',
      evidence: 'f-1',
      occurredAt: '2026-01-01T00:00:00Z',
    });
    expect((await state(id)).consentSms).toBe('withdrawn');
  });

  it('knows a relationship from a member or supporter source, and forgets it with that source', async () => {
    const org = await makeOrg(s);
    const bought = await makeSource(s, org.id, { type: 'door_to_door' });
    const members = await makeSource(s, org.id, { type: 'member_file' });
    const { id } = await addContact(s.db, {
      keys: s.keys,
      orgId: org.id,
      sourceId: bought.id,
      identity: { birthName: 'Y', email: 'y@exemple.fr' },
      actor: 'test',
    });
    expect((await state(id)).relationship).toBe(false);
    await s.db.execute(
      sql`insert into contact_provenance (org_id, contact_id, source_id, recorded_by) values (${org.id}, ${id}, ${members.id}, 'test')`,
    );
    expect((await state(id)).relationship).toBe(true);
    await deleteSource(s.db, { sourceId: members.id, actor: 'test', keys: s.keys });
    expect((await state(id)).relationship).toBe(false);
  });

  it("uses exactly the packs' relationship sources", async () => {
    const fns = (
      (await s.db.execute(
        sql`select prosrc from pg_proc where proname in ('contacts_gain_relationship', 'contacts_lose_relationship')`,
      )) as unknown as { rows: { prosrc: string }[] }
    ).rows;
    expect(fns).toHaveLength(2);
    for (const fn of fns)
      for (const pack of Object.values(POLICY_PACKS)) {
        for (const type of LAWFUL_SOURCE_TYPES) {
          expect(fn!.prosrc.includes(`'${type}'`), `${pack.code} ${type}`).toBe(
            (pack.relationshipSources as readonly string[]).includes(type),
          );
        }
      }
  });
});
