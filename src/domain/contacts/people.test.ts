// Issue 15, item 5: staff find a person through the blind indexes only (audited, never the
// value), read their record, correct one field (re-sealed, re-indexed, ledgered by field name)
// and erase them whatever their sources, without any side door for an objector (SRC-8, OPT-3).
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import {
  fakeChannel,
  makeAudience,
  makeDispatcher,
  makeSendingCampaign,
} from '../../../test/sending.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { blindIndex, normaliseEmail } from '../../crypto/blind-index.ts';
import { recordObjection } from '../objections/objections.ts';
import { suppressedAmong } from '../objections/suppression.ts';
import { contactRecord } from './contact-record.ts';
import { addContact } from './contacts.ts';
import { eraseContact } from './erase-contact.ts';
import { rectifyContact } from './rectify.ts';
import { searchContacts } from './search.ts';

let s: TestServices;
let orgId: string;
let memberId: string;
let otherId: string;

type Rows<T> = { rows: T[] };
const rows = async <T>(query: ReturnType<typeof sql>) =>
  ((await s.db.execute(query)) as unknown as Rows<T>).rows;

const search = (input: unknown) =>
  searchContacts(s.db, { keys: s.keys, orgId, input, actor: 'user:dpo', clock: s.clock });
const rectify = (contactId: string, input: unknown) =>
  rectifyContact(s.db, {
    keys: s.keys,
    orgId,
    contactId,
    input,
    actor: 'user:dpo',
    clock: s.clock,
  });

beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  orgId = (await makeOrg(s)).id;
  const members = await makeSource(s, orgId, { type: 'member_file', label: 'Adhérents 2026' });
  memberId = (
    await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: members.id,
      identity: {
        birthName: 'Bernard',
        firstNames: 'Alice',
        birthDate: '1990-05-01',
        email: 'alice@exemple.fr',
        phone: '+33612345678',
      },
      attributes: { postalCode: '69001' },
      actor: 'test',
    })
  ).id;
  otherId = (
    await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: members.id,
      identity: { birthName: 'Roux', email: 'bruno@exemple.fr' },
      actor: 'test',
    })
  ).id;
});
afterAll(() => s.dispose());

describe('people search and record', () => {
  it('finds a person by email, by phone as people write it, or by name and birth date, through the indexes only, audited without the value (SEC-2)', async () => {
    // A contact that cannot be opened: a search that decrypted everyone would fail on it.
    const broken = await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: (await makeSource(s, orgId, { type: 'supporter_signup', label: 'Site' })).id,
      identity: { birthName: 'Illisible' },
      actor: 'test',
    });
    await s.db.execute(
      sql`update contacts set identity = ${randomBytes(64)} where id = ${broken.id}`,
    );
    for (const input of [
      { email: 'ALICE@exemple.fr' },
      { phone: '06 12 34 56 78' },
      { familyName: 'BERNARD', firstNames: 'alice', birthDate: '1990-05-01' },
    ]) {
      const { items } = await search(input);
      expect(items).toEqual([
        {
          contactId: memberId,
          firstNames: 'Alice',
          name: 'Bernard',
          email: 'alice@exemple.fr',
          phone: '+33612345678',
          sourceTypes: ['member_file'],
        },
      ]);
    }
    expect((await search({ email: 'nobody@exemple.fr' })).items).toEqual([]);
    await expect(search({ familyName: 'Bernard' })).rejects.toMatchObject({ code: 'invalid' });
    const events = await rows<{ summary: unknown }>(
      sql`select summary from audit_events where action = 'contact.search' and org_id = ${orgId} order by id`,
    );
    expect(events.map((e) => e.summary)).toEqual([
      { by: 'email', found: 1 },
      { by: 'phone', found: 1 },
      { by: 'name', found: 1 },
      { by: 'email', found: 0 },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/alice|bernard|1234|1990/i);
    await s.db.execute(sql`delete from contacts where id = ${broken.id}`);
  });

  it('shows the record: identity, provenance with its source, consent per channel, messages, assignments, requests', async () => {
    const requestId = randomUUID();
    await s.db.execute(sql`
      insert into rights_requests (id, org_id, kind, channel, identifier_index, identifier, status,
        received_at, due_at, contact_ids)
      values (${requestId}, ${orgId}, 'rectification', 'email', ${randomBytes(32)},
        ${randomBytes(32)}, 'open', now(), '2026-12-24T10:00:00Z', ${`{${memberId}}`}::uuid[])`);
    const record = await contactRecord(s.db, {
      keys: s.keys,
      orgId,
      contactId: memberId,
      actor: 'user:dpo',
    });
    expect(record.identity.email).toBe('alice@exemple.fr');
    expect(record.attributes).toMatchObject({ postalCode: '69001', birthYear: 1990 });
    expect(record.provenance).toEqual([
      expect.objectContaining({ type: 'member_file', label: 'Adhérents 2026' }),
    ]);
    expect(record.provenance[0]!.obtainedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(record.requests).toEqual([
      { id: requestId, kind: 'rectification', status: 'open', dueAt: '2026-12-24T10:00:00.000Z' },
    ]);
    expect(record.messages).toEqual([]);
    expect(record.assignments).toEqual([]);
  });
});

describe('rectification (RIGHTS-1)', () => {
  it('re-seals and re-indexes one field in one go, ledgered and audited by field name only', async () => {
    await rectify(memberId, { field: 'email', value: ' Alice.B@Exemple.fr ' });
    await rectify(memberId, { field: 'birthName', value: 'Bernard-Roux' });
    await rectify(memberId, { field: 'phone', value: '07 81 22 33 44' });
    expect((await search({ email: 'alice@exemple.fr' })).items).toEqual([]);
    expect((await search({ email: 'alice.b@exemple.fr' })).items).toHaveLength(1);
    expect((await search({ phone: '+33781223344' })).items).toHaveLength(1);
    expect(
      (
        await search({ familyName: 'Bernard-Roux', firstNames: 'Alice', birthDate: '1990-05-01' })
      ).items.map((i) => i.contactId),
    ).toEqual([memberId]);
    expect(
      (await search({ familyName: 'Bernard', firstNames: 'Alice', birthDate: '1990-05-01' })).items,
    ).toEqual([]);
    const record = await contactRecord(s.db, {
      keys: s.keys,
      orgId,
      contactId: memberId,
      actor: 'user:dpo',
    });
    expect(record.identity).toMatchObject({ email: 'alice.b@exemple.fr', phone: '+33781223344' });
    expect(record.rectifications.map((r) => [r.field, r.rectifiedBy])).toEqual([
      ['email', 'user:dpo'],
      ['birthName', 'user:dpo'],
      ['phone', 'user:dpo'],
    ]);
    const events = await rows<{ summary: unknown }>(
      sql`select summary from audit_events where action = 'contact.rectify' and org_id = ${orgId} order by id`,
    );
    expect(events.map((e) => e.summary)).toEqual([
      { field: 'email' },
      { field: 'birthName' },
      { field: 'phone' },
    ]);
    await expect(
      rectify(memberId, { field: 'email', value: 'not an email' }),
    ).rejects.toMatchObject({ code: 'invalid' });
    await expect(
      rectify(memberId, { field: 'birthDate', value: '1990-13-01' }),
    ).rejects.toMatchObject({ code: 'invalid' });
  });

  it('SRC-3: a changed email or phone keeps its source only in answer to the person’s confirmed rectification request of this contact; typed by staff without one, it has no source', async () => {
    const members = await makeSource(s, orgId, { type: 'member_file', label: 'Adhérents 2027' });
    const add = async (email: string, phone: string) =>
      (
        await addContact(s.db, {
          keys: s.keys,
          orgId,
          sourceId: members.id,
          identity: { birthName: 'Source', email, phone },
          actor: 'test',
        })
      ).id;
    const kept = await add('kept@exemple.fr', '+33611000001');
    const lost = await add('lost@exemple.fr', '+33611000002');
    const request = async (kind: string, status: string, contactId: string) => {
      const id = randomUUID();
      await s.db.execute(sql`
        insert into rights_requests (id, org_id, kind, channel, identifier_index, identifier, status,
          received_at, due_at, contact_ids)
        values (${id}, ${orgId}, ${kind}, 'email', ${randomBytes(32)}, ${randomBytes(32)},
          ${status}, now(), now() + interval '1 month', ${`{${contactId}}`}::uuid[])`);
      return id;
    };
    const sources = async (id: string) =>
      (
        await rows<{ email_source_id: string | null; phone_source_id: string | null }>(
          sql`select email_source_id, phone_source_id from contacts where id = ${id}`,
        )
      )[0]!;
    const rectification = await request('rectification', 'open', kept);
    const extended = await request('rectification', 'extended', kept);
    await expect(
      rectify(kept, { field: 'email', value: 'kept.new@exemple.fr', requestId: rectification }),
    ).resolves.toMatchObject({ sourceKept: true });
    await expect(
      rectify(kept, { field: 'phone', value: '06 11 00 00 09', requestId: extended }),
    ).resolves.toMatchObject({ sourceKept: true });
    expect(await sources(kept)).toEqual({
      email_source_id: members.id,
      phone_source_id: members.id,
    });
    // Staff typing an address with no request: the new address has no source (not reachable).
    await expect(
      rectify(lost, { field: 'email', value: 'typed@exemple.fr' }),
    ).resolves.toMatchObject({ sourceKept: false });
    expect(await sources(lost)).toEqual({ email_source_id: null, phone_source_id: members.id });
    // Another field keeps everything.
    await expect(rectify(lost, { field: 'birthName', value: 'Sourcé' })).resolves.toMatchObject({
      sourceKept: true,
    });
    // A request that is not this contact's confirmed rectification is refused, nothing changed.
    for (const requestId of [
      await request('access', 'answered', lost),
      await request('rectification', 'awaiting_code', lost),
      await request('rectification', 'locked', lost),
      // Answered: the DPO's reply is out; an old request lets no new address keep a source.
      await request('rectification', 'answered', lost),
      await request('rectification', 'open', kept),
    ])
      await expect(
        rectify(lost, { field: 'phone', value: '06 11 00 00 08', requestId }),
      ).rejects.toMatchObject({ code: 'invalid', key: 'contact.request_not_rectification' });
    await expect(
      rectify(lost, { field: 'phone', value: '06 11 00 00 08', requestId: randomUUID() }),
    ).rejects.toMatchObject({ code: 'not_found', key: 'contact.request_not_found' });
    expect(await sources(lost)).toEqual({ email_source_id: null, phone_source_id: members.id });
    const record = await contactRecord(s.db, {
      keys: s.keys,
      orgId,
      contactId: lost,
      actor: 'test',
    });
    expect(record.identity.phone).toBe('+33611000002');
  });

  it('SRC-8: an objector does not come back through a correction of an email or a phone', async () => {
    for (const given of [{ email: 'objector@exemple.fr' }, { phone: '06 99 88 77 66' }])
      await recordObjection(s.db, {
        keys: s.keys,
        orgId,
        input: { ...given, method: 'letter' },
        actor: 'test',
        clock: s.clock,
      });
    for (const input of [
      { field: 'email', value: 'Objector@exemple.fr' },
      { field: 'phone', value: '+33 6 99 88 77 66' },
    ])
      await expect(rectify(otherId, input)).rejects.toMatchObject({
        code: 'refused',
        rule: 'SRC-8',
      });
    const record = await contactRecord(s.db, {
      keys: s.keys,
      orgId,
      contactId: otherId,
      actor: 'test',
    });
    expect(record.identity).toEqual({ birthName: 'Roux', email: 'bruno@exemple.fr' });
    expect(record.rectifications).toEqual([]);
  });

  it('refuses an email another contact of the organisation already holds (conflict)', async () => {
    await expect(
      rectify(otherId, { field: 'email', value: 'alice.b@exemple.fr' }),
    ).rejects.toMatchObject({ code: 'conflict', key: 'contact.identifier_taken' });
  });
});

describe('erasure by staff (RIGHTS-1, OPT-3)', () => {
  it('erases a supporter with their identifiers suppressed, and their queued message is never sent', async () => {
    const audience = await makeAudience(s, 2, 'erase');
    const campaignId = await makeSendingCampaign(s, audience, {}, { recipients: 2 });
    const [gone, stays] = audience.people;
    const result = await eraseContact(s.db, {
      keys: s.keys,
      orgId: audience.orgId,
      contactId: gone!.id,
      actor: 'user:dpo',
      clock: s.clock,
    });
    expect(result.erased).toBe(1);
    // Their queued message is suppressed at once and stays as a reference with no contact (OPT-3).
    expect(
      await rows(
        sql`select state, contact_id from outbox where campaign_id = ${campaignId} and contact_id is null`,
      ),
    ).toEqual([{ state: 'suppressed', contact_id: null }]);
    const channel = fakeChannel();
    const dispatcher = makeDispatcher(s, channel);
    while ((await dispatcher.runOnce()) > 0);
    await dispatcher.close();
    expect(channel.handed).toEqual([stays!.email]);
    expect(await rows(sql`select id from contacts where id = ${gone!.id}`)).toEqual([]);
    const keys = await s.keys.forOrg(s.db, audience.orgId);
    const hash = blindIndex(keys.suppression, 'email', normaliseEmail(gone!.email));
    expect((await suppressedAmong(s.db, { orgId: audience.orgId, hashes: [hash] })).size).toBe(1);
    const events = await rows<{ entity_id: string; summary: unknown }>(
      sql`select entity_id, summary from audit_events where action = 'contact.erase' and org_id = ${audience.orgId}`,
    );
    expect(events).toEqual([{ entity_id: gone!.id, summary: { erased: 1 } }]);
  });

  it("answers only the person's own open erasure request, and no request keeps the erased id (OPT-3)", async () => {
    const audience = await makeAudience(s, 2, 'erase-request');
    const [person, other] = audience.people;
    const request = async (kind: string, status: string, contactIds: string[]) => {
      const id = randomUUID();
      await s.db.execute(sql`
        insert into rights_requests (id, org_id, kind, channel, identifier_index, identifier, status,
          received_at, due_at, contact_ids)
        values (${id}, ${audience.orgId}, ${kind}, 'email', ${randomBytes(32)}, ${randomBytes(32)},
          ${status}, now(), now() + interval '1 month', ${`{${contactIds.join(',')}}`}::uuid[])`);
      return id;
    };
    const erase = (contactId: string, requestId: string) =>
      eraseContact(s.db, {
        keys: s.keys,
        orgId: audience.orgId,
        contactId,
        input: { requestId },
        actor: 'user:dpo',
        clock: s.clock,
      });
    // Another person's request, an access request, an answered one: refused, nobody erased.
    for (const requestId of [
      await request('erasure', 'open', [other!.id]),
      await request('access', 'answered', [person!.id]),
      await request('erasure', 'answered', [person!.id]),
    ])
      await expect(erase(person!.id, requestId)).rejects.toMatchObject({
        code: 'invalid',
        key: 'contact.request_not_erasure',
      });
    const own = await request('objection', 'open', [person!.id, other!.id]);
    await expect(erase(person!.id, own)).resolves.toMatchObject({ erased: 1 });
    // Every request that named the erased contact forgets it; the other person stays named.
    const named = await rows<{ id: string; contact_ids: string[] }>(
      sql`select id, contact_ids from rights_requests where org_id = ${audience.orgId}`,
    );
    for (const r of named) expect(r.contact_ids).not.toContain(person!.id);
    expect(named.find((r) => r.id === own)?.contact_ids).toEqual([other!.id]);
  });
});
