// OPT-1 / OPT-3: no file of objectors is kept. A prospect who objects is erased (identifiers,
// provenance, ledger rows), only the suppression hashes stay; their messages remain as references
// with no contact. A member who objects stays a member, withdrawn everywhere, and never appears
// in an export or a volunteer's list. Recording the same objection again writes nothing.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeOrg, makeSource } from '../../../test/factories.ts';
import { makeStaff } from '../../../test/staff.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { createAssignment, readAssignedContacts } from '../assignments/assignments.ts';
import { addContact, countContacts } from '../contacts/contacts.ts';
import { decideExport, downloadExport, requestExport } from '../exports/exports.ts';
import { createCampaign } from '../outreach/campaigns.ts';
import { saveSegment } from '../segments/segments.ts';
import { recordObjection } from './objections.ts';
import { suppressedAmong, suppressionHashes } from './suppression.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(() => s.dispose());

type Rows<T> = { rows: T[] };
const count = async (query: ReturnType<typeof sql>) =>
  Number(((await s.db.execute(query)) as unknown as Rows<{ n: number }>).rows[0]!.n);

async function orgWithEveryone() {
  const org = await makeOrg(s);
  const segment = await saveSegment(s.db, {
    orgId: org.id,
    input: { name: 'Tous', where: { and: [] } },
    actor: 'test',
  });
  return { orgId: org.id, segmentId: segment.id };
}

async function outboxRow(orgId: string, segmentId: string, contactId: string, state: string) {
  const campaign = await createCampaign(s.db, {
    orgId,
    input: {
      segmentId,
      fromName: 'Exemple',
      fromEmail: 'contact@exemple-2027.fr',
      subject: 'Réunion',
      body: 'Bonjour',
    },
    actor: 'test',
    clock: s.clock,
  });
  const ref = randomBytes(16).toString('hex');
  await s.db.execute(sql`
    insert into outbox (campaign_id, org_id, contact_id, channel, message_ref, state, updated_at)
    values (${campaign.id}, ${orgId}, ${contactId}, 'email', ${ref}, ${state}, now())`);
  return ref;
}

async function exported(orgId: string, segmentId: string) {
  const manager = await makeStaff(s, orgId, 'manager');
  const dpo = await makeStaff(s, orgId, 'dpo');
  const request = await requestExport(s.db, {
    orgId,
    userId: manager.userId,
    input: { segmentId, format: 'csv', reason: 'Courrier' },
    actor: 'test',
    clock: s.clock,
  });
  await decideExport(s.db, {
    exportId: request.id,
    userId: dpo.userId,
    approve: true,
    input: {},
    actor: 'test',
    clock: s.clock,
  });
  const file = await downloadExport(s.db, {
    keys: s.keys,
    exportId: request.id,
    userId: manager.userId,
    actor: 'test',
    clock: s.clock,
  });
  return { rows: file.rows, text: file.body.toString('utf8') };
}

describe('objections keep no file of objectors (OPT-3)', () => {
  it('OPT-3: erases a purchased-file contact who objects, keeping only the suppression hashes', async () => {
    const { orgId, segmentId } = await orgWithEveryone();
    const bought = await makeSource(s, orgId, { type: 'purchased_file', attestation });
    const identity = {
      birthName: 'Opposant',
      firstNames: 'Paul',
      birthDate: '1970-05-04',
      email: 'paul.opposant@exemple.fr',
      phone: '+33677777777',
    };
    const { id } = await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: bought.id,
      identity,
      actor: 'test',
    });
    const other = await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: bought.id,
      identity: { birthName: 'Reste', email: 'reste@exemple.fr' },
      actor: 'test',
    });
    const sentRef = await outboxRow(orgId, segmentId, id, 'sent');
    const queuedRef = await outboxRow(orgId, segmentId, id, 'queued');

    const result = await recordObjection(s.db, {
      keys: s.keys,
      orgId,
      input: { email: 'Paul.Opposant@exemple.fr', method: 'letter' },
      actor: 'test',
      clock: s.clock,
    });
    expect(result).toMatchObject({ contacts: 1, erased: 1, alreadyRecorded: false });

    expect(await countContacts(s.db, { orgId })).toEqual({ total: 1 });
    expect(await count(sql`select count(*)::int as n from contacts where id = ${id}`)).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from contact_provenance where contact_id = ${id}`),
    ).toBe(0);
    expect(
      await count(sql`select count(*)::int as n from consent_entries where contact_id = ${id}`),
    ).toBe(0);
    // The other contact of the same file is untouched.
    expect(await count(sql`select count(*)::int as n from contacts where id = ${other.id}`)).toBe(
      1,
    );
    // Only the keyed hashes stay: email, phone, name + birth date.
    const keys = await s.keys.forOrg(s.db, orgId);
    const hashes = suppressionHashes(keys, identity);
    expect(hashes).toHaveLength(3);
    expect((await suppressedAmong(s.db, { orgId, hashes })).size).toBe(3);
    // The messages stay as references, with no contact; the queued one will never leave.
    const messages = (await s.db.execute(sql`
      select message_ref, contact_id, state from outbox where message_ref in (${sentRef}, ${queuedRef})
      order by state`)) as unknown as Rows<{
      message_ref: string;
      contact_id: null;
      state: string;
    }>;
    expect(messages.rows).toEqual([
      { message_ref: sentRef, contact_id: null, state: 'sent' },
      { message_ref: queuedRef, contact_id: null, state: 'suppressed' },
    ]);
    // The audit event says how many were erased, and nothing personal, not even the erased id.
    const events = (await s.db.execute(sql`
      select entity_id, summary from audit_events where org_id = ${orgId} and action = 'objection.record'`)) as unknown as Rows<{
      entity_id: string | null;
      summary: Record<string, unknown>;
    }>;
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0]!.entity_id).toBeNull();
    expect(events.rows[0]!.summary).toMatchObject({ erased: 1, contacts: 1, method: 'letter' });
    expect(JSON.stringify(events.rows)).not.toMatch(/opposant|7777|1970|Paul/i);
    expect(JSON.stringify(events.rows)).not.toContain(id);
  });

  it('OPT-3: erases a prospect known from several prospect sources, and keeps anyone with a member source', async () => {
    const { orgId } = await orgWithEveryone();
    const bought = await makeSource(s, orgId, { type: 'purchased_file', attestation });
    const referral = await makeSource(s, orgId, { type: 'referral', label: 'Parrainages' });
    const members = await makeSource(s, orgId, { type: 'member_file' });
    const prospect = await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: bought.id,
      identity: { birthName: 'Double', email: 'double@exemple.fr' },
      actor: 'test',
    });
    await s.db.execute(sql`
      insert into contact_provenance (org_id, contact_id, source_id, recorded_by)
      values (${orgId}, ${prospect.id}, ${referral.id}, 'test')`);
    const member = await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: bought.id,
      identity: { birthName: 'Adherent', email: 'adherent@exemple.fr' },
      actor: 'test',
    });
    await s.db.execute(sql`
      insert into contact_provenance (org_id, contact_id, source_id, recorded_by)
      values (${orgId}, ${member.id}, ${members.id}, 'test')`);
    for (const email of ['double@exemple.fr', 'adherent@exemple.fr'])
      await recordObjection(s.db, {
        keys: s.keys,
        orgId,
        input: { email, method: 'email_reply' },
        actor: 'test',
        clock: s.clock,
      });
    const left = (await s.db.execute(
      sql`select id from contacts where org_id = ${orgId}`,
    )) as unknown as Rows<{ id: string }>;
    expect(left.rows.map((r) => r.id)).toEqual([member.id]);
  });

  it('OPT-1: keeps a member who objects, withdrawn on every channel, out of every export and volunteer list', async () => {
    const { orgId, segmentId } = await orgWithEveryone();
    const members = await makeSource(s, orgId, { type: 'member_file' });
    const ids: string[] = [];
    for (const [i, name] of ['Garde', 'Autre'].entries())
      ids.push(
        (
          await addContact(s.db, {
            keys: s.keys,
            orgId,
            sourceId: members.id,
            identity: {
              birthName: name,
              email: `${name.toLowerCase()}@exemple.fr`,
              phone: `+3361111111${i}`,
              streetAddress: `${i} rue Haute`,
            },
            actor: 'test',
          })
        ).id,
      );
    const volunteer = await makeStaff(s, orgId, 'volunteer');
    const assignment = await createAssignment(s.db, {
      orgId,
      input: {
        volunteerId: volunteer.userId,
        task: 'door_to_door',
        segmentId,
        label: 'L',
        limit: 10,
      },
      actor: 'test',
      clock: s.clock,
    });
    const result = await recordObjection(s.db, {
      keys: s.keys,
      orgId,
      input: { contactId: ids[0], method: 'staff' },
      actor: 'test',
      clock: s.clock,
    });
    expect(result).toMatchObject({ contacts: 1, erased: 0 });
    expect(await countContacts(s.db, { orgId })).toEqual({ total: 2 });
    const state = (await s.db.execute(sql`
      select consent_email, consent_sms, consent_phone, consent_post, relationship from contacts
      where id = ${ids[0]}`)) as unknown as Rows<Record<string, unknown>>;
    expect(state.rows[0]).toEqual({
      consent_email: 'withdrawn',
      consent_sms: 'withdrawn',
      consent_phone: 'withdrawn',
      consent_post: 'withdrawn',
      relationship: true,
    });
    const list = await readAssignedContacts(s.db, {
      keys: s.keys,
      assignmentId: assignment.id,
      userId: volunteer.userId,
      actor: 'test',
      clock: s.clock,
    });
    expect(list.items.map((i) => i.contactId)).toEqual([ids[1]]);
    const file = await exported(orgId, segmentId);
    expect(file.rows).toBe(1);
    expect(file.text).not.toMatch(/garde@exemple\.fr|Garde/);
    expect(file.text).toMatch(/autre@exemple\.fr/);
  });

  it('OPT-1: exports never include objectors, even an objection recorded by identifier only', async () => {
    const { orgId, segmentId } = await orgWithEveryone();
    // The letter arrives before the person is on file; they are added later (a form, by hand).
    await recordObjection(s.db, {
      keys: s.keys,
      orgId,
      input: { email: 'tardif@exemple.fr', method: 'letter' },
      actor: 'test',
      clock: s.clock,
    });
    const members = await makeSource(s, orgId, { type: 'member_file' });
    for (const email of ['tardif@exemple.fr', 'present@exemple.fr'])
      await addContact(s.db, {
        keys: s.keys,
        orgId,
        sourceId: members.id,
        identity: { birthName: 'Nom', email },
        actor: 'test',
      });
    const file = await exported(orgId, segmentId);
    expect(file.rows).toBe(1);
    expect(file.text).not.toContain('tardif@exemple.fr');
    expect(file.text).toContain('present@exemple.fr');
  });

  it('OPT-1: recording the same objection again writes nothing new', async () => {
    const { orgId } = await orgWithEveryone();
    const members = await makeSource(s, orgId, { type: 'member_file' });
    const { id } = await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: members.id,
      identity: { birthName: 'Deux', email: 'deux@exemple.fr' },
      actor: 'test',
    });
    const stored = async () =>
      [
        await count(sql`select count(*)::int as n from consent_entries where contact_id = ${id}`),
        await count(sql`select count(*)::int as n from audit_events where org_id = ${orgId}`),
        await count(sql`select count(*)::int as n from suppressions where org_id = ${orgId}`),
      ].join(',');
    const record = () =>
      recordObjection(s.db, {
        keys: s.keys,
        orgId,
        input: { contactId: id, method: 'staff' },
        actor: 'test',
        clock: s.clock,
      });
    expect((await record()).alreadyRecorded).toBe(false);
    const after = await stored();
    for (let i = 0; i < 5; i++) expect((await record()).alreadyRecorded).toBe(true);
    expect(await stored()).toBe(after);
  });
});
