// OPT-1: a volunteer records "stop contacting me" for a contact on their own list, from the list
// itself; it applies at once (same path as every objection, OPT-3 erasure included). Any contact
// not on their list, another volunteer's list, another organisation's: not found, nothing written.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { callerOf, makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { createAssignment } from '../domain/assignments/assignments.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { saveSegment } from '../domain/segments/segments.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  app = createApp(s);
});
afterAll(() => s.dispose());

const call = (...args: Parameters<ReturnType<typeof callerOf>>) => callerOf(app)(...args);

type Rows<T> = { rows: T[] };
const stored = async () => {
  const r = (await s.db.execute(sql`
    select (select count(*)::int from consent_entries) as ledger,
      (select count(*)::int from audit_events where action = 'objection.record') as objections,
      (select count(*)::int from suppressions) as suppressions,
      (select count(*)::int from contacts) as contacts`)) as unknown as Rows<
    Record<string, number>
  >;
  return r.rows[0]!;
};

/** An organisation with contacts of one source type, and a list of them given to a volunteer. */
async function listOf(task: 'phoning' | 'door_to_door', sourceType: string) {
  const org = await makeOrg(s);
  const source = await makeSource(s, org.id, { type: sourceType, label: 'Source' });
  const ids: string[] = [];
  for (let i = 0; i < 3; i++)
    ids.push(
      (
        await addContact(s.db, {
          keys: s.keys,
          orgId: org.id,
          sourceId: source.id,
          identity: {
            birthName: `Nom${i}`,
            phone: `+3361234500${i}`,
            streetAddress: `${i} rue du Moulin`,
          },
          attributes: { communeCode: '69123', postalCode: '69001' },
          actor: 'test',
        })
      ).id,
    );
  const segment = await saveSegment(s.db, {
    orgId: org.id,
    input: { name: 'Tous', where: { and: [] } },
    actor: 'test',
  });
  const volunteer = await makeStaff(s, org.id, 'volunteer');
  const assignment = await createAssignment(s.db, {
    orgId: org.id,
    input: { volunteerId: volunteer.userId, task, segmentId: segment.id, label: 'Liste', limit: 2 },
    actor: 'test',
    clock: s.clock,
  });
  const onList = (await s.db.execute(
    sql`select contact_id from assignment_contacts where assignment_id = ${assignment.id} order by contact_id`,
  )) as unknown as Rows<{ contact_id: string }>;
  const listed = onList.rows.map((r) => r.contact_id);
  expect(listed).toHaveLength(2);
  return {
    orgId: org.id,
    volunteer,
    assignmentId: assignment.id,
    listed,
    notListed: ids.find((id) => !listed.includes(id))!,
  };
}

const visible = async (who: Staff, assignmentId: string) =>
  (
    (await call(who, 'GET', `/api/assignments/${assignmentId}/contacts`)).body as {
      items: { contactId: string }[];
    }
  ).items.map((i) => i.contactId);

describe('volunteers record objections (OPT-1)', () => {
  it('OPT-1: a volunteer records an objection for a contact on their list, and it applies at once', async () => {
    const l = await listOf('phoning', 'member_file');
    expect(await visible(l.volunteer, l.assignmentId)).toEqual(l.listed);
    const res = await call(l.volunteer, 'POST', `/api/assignments/${l.assignmentId}/objections`, {
      contactId: l.listed[0],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ contacts: 1, erased: 0, alreadyRecorded: false });
    // Out of the list at once; withdrawn on every channel, recorded as heard on the phone.
    expect(await visible(l.volunteer, l.assignmentId)).toEqual([l.listed[1]]);
    const ledger = (await s.db.execute(sql`
      select channel, action, method from consent_entries where contact_id = ${l.listed[0]}
      order by channel`)) as unknown as Rows<Record<string, string>>;
    expect(ledger.rows).toEqual(
      ['email', 'phone', 'post', 'sms'].map((channel) => ({
        channel,
        action: 'withdrawn',
        method: 'phone_call',
      })),
    );
    const events = (await s.db.execute(sql`
      select actor from audit_events where org_id = ${l.orgId} and action = 'objection.record'`)) as unknown as Rows<{
      actor: string;
    }>;
    expect(events.rows).toEqual([{ actor: expect.stringMatching(`^user:${l.volunteer.userId}`) }]);
  });

  it('OPT-3: a prospect who objects at the door is erased from the list and the file', async () => {
    const l = await listOf('door_to_door', 'referral');
    const res = await call(l.volunteer, 'POST', `/api/assignments/${l.assignmentId}/objections`, {
      contactId: l.listed[1],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ contacts: 1, erased: 1 });
    expect(await visible(l.volunteer, l.assignmentId)).toEqual([l.listed[0]]);
    const left = (await s.db.execute(
      sql`select count(*)::int as n from contacts where id = ${l.listed[1]}`,
    )) as unknown as Rows<{ n: number }>;
    expect(Number(left.rows[0]!.n)).toBe(0);
    // The same click again (a double tap): the contact is no longer on the list.
    const again = await call(l.volunteer, 'POST', `/api/assignments/${l.assignmentId}/objections`, {
      contactId: l.listed[1],
    });
    expect(again.status).toBe(404);
  });

  it('OPT-1: refuses a contact not on their list, another volunteer’s list or another organisation’s contact, writing nothing', async () => {
    const l = await listOf('phoning', 'member_file');
    const other = await listOf('phoning', 'member_file');
    const colleague = await makeStaff(s, l.orgId, 'volunteer');
    const manager = await makeStaff(s, l.orgId, 'manager');
    const before = await stored();
    const tries: [Staff, string, string, number][] = [
      [l.volunteer, l.assignmentId, l.notListed, 404], // same organisation, not on the list
      [l.volunteer, l.assignmentId, other.listed[0]!, 404], // another organisation's contact
      [l.volunteer, other.assignmentId, other.listed[0]!, 404], // another organisation's list
      [colleague, l.assignmentId, l.listed[0]!, 404], // a colleague's list
      [manager, l.assignmentId, l.listed[0]!, 403], // staff use the organisation's objection form
    ];
    for (const [who, assignmentId, contactId, status] of tries) {
      const res = await call(who, 'POST', `/api/assignments/${assignmentId}/objections`, {
        contactId,
      });
      expect(res.status, `${assignmentId} ${contactId}`).toBe(status);
      expect(JSON.stringify(res.body)).not.toMatch(/Nom\d|rue du Moulin|\+336/);
    }
    expect(
      (await call(l.volunteer, 'POST', `/api/orgs/${l.orgId}/objections`, { email: 'a@b.fr' }))
        .status,
    ).toBe(403);
    expect(await stored()).toEqual(before);
  });
});
