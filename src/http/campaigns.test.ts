// The campaign API: create with attachments (base64), plan (422 with every violation when a rule
// blocks), send and status; staff record an objection by email.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { callerOf, makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { saveSegment } from '../domain/segments/segments.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let orgId: string;
let manager: Staff;
let segmentId: string;

beforeAll(async () => {
  s = await openTestServices();
  app = createApp(s);
  orgId = (await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' })).id;
  const source = await makeSource(s, orgId, { type: 'member_file' });
  for (const email of ['a@exemple.fr', 'b@exemple.fr'])
    await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: source.id,
      identity: { birthName: 'X', email },
      actor: 'test',
    });
  manager = await makeStaff(s, orgId, 'manager');
  segmentId = (
    await call(manager, 'POST', `/api/orgs/${orgId}/segments`, { name: 'Tous', where: { and: [] } })
  ).body.id;
});
afterAll(() => s.dispose());

const call = (...args: Parameters<ReturnType<typeof callerOf>>) => callerOf(app)(...args);

const campaign = (attachments: unknown[] = []) => ({
  segmentId,
  fromName: 'Liste Exemple',
  fromEmail: 'contact@exemple-2027.fr',
  subject: 'Réunion {{firstName}}',
  body: 'Bonjour',
  attachments,
});

describe('campaign API', () => {
  it('answers a blocked plan with 422 and every violation (a vCard attachment: SEC-3)', async () => {
    const vcard = Buffer.from('BEGIN:VCARD\nVERSION:3.0\nFN:Alice Martin\nEND:VCARD\n').toString(
      'base64',
    );
    const created = await call(
      manager,
      'POST',
      `/api/orgs/${orgId}/campaigns`,
      campaign([{ fileName: 'flyer.txt', contentBase64: vcard }]),
    );
    expect(created.status).toBe(201);
    const plan = await call(manager, 'POST', `/api/campaigns/${created.body.id}/plan`);
    expect(plan.status).toBe(422);
    expect(plan.body.violations).toEqual([
      expect.objectContaining({ rule: 'SEC-3', message: expect.stringMatching(/contact cards/) }),
    ]);
    expect((await call(manager, 'POST', `/api/campaigns/${created.body.id}/send`)).status).toBe(
      409,
    );
  });

  it('plans, sends (log channel) and reports counts by state; an objection by email applies to the next one', async () => {
    const created = await call(manager, 'POST', `/api/orgs/${orgId}/campaigns`, campaign());
    const plan = await call(manager, 'POST', `/api/campaigns/${created.body.id}/plan`);
    expect(plan.body).toMatchObject({ state: 'planned', recipients: 2 });
    expect((await call(manager, 'POST', `/api/campaigns/${created.body.id}/send`)).body.state).toBe(
      'sending',
    );
    const status = await call(manager, 'GET', `/api/campaigns/${created.body.id}/status`);
    expect(status.body).toMatchObject({ state: 'sending', counts: { queued: 2 } });
    const objection = await call(manager, 'POST', `/api/orgs/${orgId}/objections`, {
      email: 'b@exemple.fr',
      method: 'phone_call',
    });
    expect(objection.status).toBe(201);
    const next = await call(manager, 'POST', `/api/orgs/${orgId}/campaigns`, campaign());
    expect(
      (await call(manager, 'POST', `/api/campaigns/${next.body.id}/plan`)).body.recipients,
    ).toBe(1);
  });

  it('refuses an automated-call or fax campaign at creation (CH-AUTO)', async () => {
    const fax = await call(manager, 'POST', `/api/orgs/${orgId}/campaigns`, {
      ...campaign(),
      channel: 'fax',
    });
    expect(fax.status).toBe(422);
    expect(fax.body.error.rule).toBe('CH-AUTO');
  });

  it('blocks the plan of a Moroccan organisation until its CNDP receipt is recorded (ACC-2)', async () => {
    const ma = (
      await makeOrg(s, {
        jurisdiction: 'MA',
        noticePurposes: 'informer',
        noticeRecipients: 'l’équipe',
      })
    ).id;
    const maManager = await makeStaff(s, ma, 'manager');
    const seg = await saveSegment(s.db, {
      orgId: ma,
      input: { name: 'Tous', where: { and: [] } },
      actor: 'test',
    });
    const created = await call(maManager, 'POST', `/api/orgs/${ma}/campaigns`, {
      ...campaign(),
      segmentId: seg.id,
    });
    const plan = await call(maManager, 'POST', `/api/campaigns/${created.body.id}/plan`);
    expect(plan.status).toBe(422);
    expect(plan.body.violations.map((v: { rule: string }) => v.rule)).toContain('ACC-2');
  });

  it('refuses an attachment that is not base64 and a file name with a path', async () => {
    const bad = await call(
      manager,
      'POST',
      `/api/orgs/${orgId}/campaigns`,
      campaign([{ fileName: '../x', contentBase64: 'aGk=' }]),
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/plain file name/);
    const notB64 = await call(
      manager,
      'POST',
      `/api/orgs/${orgId}/campaigns`,
      campaign([{ fileName: 'x.txt', contentBase64: '%%%' }]),
    );
    expect(notB64.status).toBe(400);
  });
});
