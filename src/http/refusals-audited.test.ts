// Refused attempts are audited (issue 12, item 7), through the API (so the web app): each rule
// refusal writes one `policy.refuse` event with the actor, the rules, the object and the attempted
// act, and no personal value; the DPO filters them with refused=true and rule=<id>.
import { eq, gt, and } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../test/factories.ts';
import { callerOf, makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { auditEvents } from '../db/schema/index.ts';
import { chainAuditEvents } from '../domain/audit/chain-events.ts';
import { verifyAuditLog } from '../domain/audit/verify-audit.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { saveSegment } from '../domain/segments/segments.ts';
import { createApp } from './app.ts';

// Canaries: personal values put in refused inputs, which must never reach the audit log.
const CANARY_EMAIL = 'canari.h6@exemple-perso.fr';
const CANARY_NAME = 'Zéphyrine Canarienne';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let now = new Date('2027-03-01T10:00:00Z');
let orgId: string;
let maOrgId: string;
let manager: Staff;
let maManager: Staff;
let dpo: Staff;
let segmentId: string;
let maSegmentId: string;

const org = (overrides: Record<string, unknown> = {}) =>
  makeOrg(s, { noticePurposes: 'vous informer', noticeRecipients: 'l’équipe', ...overrides });

beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
  app = createApp(s);
  orgId = (await org()).id;
  maOrgId = (await org({ jurisdiction: 'MA' })).id;
  manager = await makeStaff(s, orgId, 'manager');
  maManager = await makeStaff(s, maOrgId, 'manager');
  dpo = await makeStaff(s, orgId, 'dpo');
  const source = await makeSource(s, orgId, { type: 'member_file' });
  await addContact(s.db, {
    keys: s.keys,
    orgId,
    sourceId: source.id,
    identity: { birthName: 'Martin', email: 'membre@exemple.fr' },
    actor: 'test',
  });
  const all = { name: 'Tous', where: { and: [] } };
  segmentId = (await saveSegment(s.db, { orgId, input: all, actor: 'test' })).id;
  maSegmentId = (await saveSegment(s.db, { orgId: maOrgId, input: all, actor: 'test' })).id;
});
afterAll(() => s.dispose());

const call = (...args: Parameters<ReturnType<typeof callerOf>>) => callerOf(app)(...args);

// By id, the order of appending: an event is chained (given its seq) after it committed.
const lastId = async () =>
  (await s.db.select({ id: auditEvents.id }).from(auditEvents)).reduce(
    (m, r) => Math.max(m, r.id),
    0,
  );

/** The refusal events written while `act` ran. */
async function refusalsOf(act: () => Promise<unknown>) {
  const before = await lastId();
  await act();
  return s.db
    .select()
    .from(auditEvents)
    .where(and(gt(auditEvents.id, before), eq(auditEvents.action, 'policy.refuse')));
}

const actorOf = (staff: Staff) => expect.stringMatching(new RegExp(`^user:${staff.userId}(/|$)`));

const campaign = (extra: Record<string, unknown> = {}) => ({
  segmentId,
  fromName: 'Liste Exemple',
  fromEmail: 'contact@exemple-2027.fr',
  subject: `Réunion avec ${CANARY_NAME}`,
  body: `Écrivez à ${CANARY_EMAIL}`,
  ...extra,
});

describe('refused attempts are audited (API)', () => {
  it('SRC-1: a forbidden source type refused through the API is audited with the actor, the rule and the organisation', async () => {
    const events = await refusalsOf(async () => {
      const r = await call(manager, 'POST', `/api/orgs/${orgId}/sources`, {
        type: 'administrative_file',
        label: `Fichier de ${CANARY_NAME} ${CANARY_EMAIL}`,
      });
      expect(r.status).toBe(422);
      expect(r.body.error.rule).toBe('SRC-1');
    });
    expect(events).toEqual([
      expect.objectContaining({
        actor: actorOf(manager),
        orgId,
        entityType: 'organisation',
        entityId: orgId,
        summary: { rules: ['SRC-1'], attempted: 'POST /api/orgs/:orgId/sources' },
      }),
    ]);
  });

  it('SRC-7: an elected official’s institutional file refused through the API is audited', async () => {
    const events = await refusalsOf(async () => {
      const r = await call(manager, 'POST', `/api/orgs/${orgId}/sources`, {
        type: 'mandate_file',
        label: CANARY_NAME,
      });
      expect(r.status).toBe(422);
    });
    expect(events.map((e) => e.summary)).toEqual([
      { rules: ['SRC-7'], attempted: 'POST /api/orgs/:orgId/sources' },
    ]);
  });

  it('SRC-3: a purchased file without attestation refused through the API is audited', async () => {
    const events = await refusalsOf(async () => {
      const r = await call(manager, 'POST', `/api/orgs/${orgId}/sources`, {
        type: 'purchased_file',
        label: CANARY_NAME,
      });
      expect(r.status).toBe(422);
    });
    expect(events).toEqual([
      expect.objectContaining({ actor: actorOf(manager), orgId, summary: expect.anything() }),
    ]);
    expect(events[0]!.summary).toEqual({
      rules: ['SRC-3'],
      attempted: 'POST /api/orgs/:orgId/sources',
    });
  });

  it('ACC-2: a source and a plan of a Moroccan organisation without CNDP receipt are audited as refusals', async () => {
    const source = await refusalsOf(async () => {
      const r = await call(maManager, 'POST', `/api/orgs/${maOrgId}/sources`, {
        type: 'member_file',
        label: CANARY_NAME,
      });
      expect(r.status).toBe(422);
      expect(r.body.error.rule).toBe('ACC-2');
    });
    expect(source).toEqual([
      expect.objectContaining({ actor: actorOf(maManager), orgId: maOrgId }),
    ]);
    expect(source[0]!.summary).toMatchObject({ rules: ['ACC-2'] });

    const created = await call(
      maManager,
      'POST',
      `/api/orgs/${maOrgId}/campaigns`,
      campaign({ segmentId: maSegmentId }),
    );
    expect(created.status).toBe(201);
    const plan = await refusalsOf(async () => {
      const r = await call(maManager, 'POST', `/api/campaigns/${created.body.id}/plan`);
      expect(r.status).toBe(422);
    });
    expect(plan).toEqual([
      expect.objectContaining({
        actor: actorOf(maManager),
        orgId: maOrgId,
        entityType: 'campaign',
        entityId: created.body.id,
      }),
    ]);
    expect(plan[0]!.summary).toMatchObject({
      rules: expect.arrayContaining(['ACC-2']),
      attempted: 'campaign.plan',
    });
  });

  it('SEG-2: a refused segment filter is audited with the actor and the rule, without its values', async () => {
    const where = { field: 'religion', op: 'eq', value: `${CANARY_NAME} ${CANARY_EMAIL}` };
    const count = await refusalsOf(async () => {
      const r = await call(manager, 'POST', `/api/orgs/${orgId}/segments/count`, { where });
      expect(r.status).toBe(422);
      expect(r.body.error.rule).toBe('SEG-2');
    });
    expect(count).toEqual([
      expect.objectContaining({
        actor: actorOf(manager),
        orgId,
        entityType: 'organisation',
        entityId: orgId,
        summary: { rules: ['SEG-2'], attempted: 'POST /api/orgs/:orgId/segments/count' },
      }),
    ]);
    const saved = await refusalsOf(async () => {
      const r = await call(manager, 'POST', `/api/orgs/${orgId}/segments`, {
        name: CANARY_NAME,
        where,
      });
      expect(r.status).toBe(422);
    });
    expect(saved.map((e) => e.summary)).toEqual([
      { rules: ['SEG-2'], attempted: 'POST /api/orgs/:orgId/segments' },
    ]);
  });

  it('SEG-2: an import mapping a forbidden column through the API is audited with the source, not its cells', async () => {
    const source = await makeSource(s, orgId, { type: 'member_file' });
    const body = new FormData();
    body.append(
      'file',
      new Blob([`Nom;Email;Nationalité\n${CANARY_NAME};${CANARY_EMAIL};française\n`]),
      `${CANARY_NAME}.csv`,
    );
    body.append('map', 'Nationalité=csp');
    const events = await refusalsOf(async () => {
      const r = await app.request(`/api/sources/${source.id}/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${manager.token}` },
        body,
      });
      expect(r.status).toBe(422);
    });
    expect(events).toEqual([
      expect.objectContaining({
        actor: actorOf(manager),
        orgId,
        entityType: 'source',
        entityId: source.id,
        summary: { rules: ['SEG-2'], attempted: 'POST /api/sources/:sourceId/imports' },
      }),
    ]);
  });

  it('CH-AUTO: an automated-call campaign refused at creation through the API is audited', async () => {
    const events = await refusalsOf(async () => {
      const r = await call(
        manager,
        'POST',
        `/api/orgs/${orgId}/campaigns`,
        campaign({ channel: 'fax' }),
      );
      expect(r.status).toBe(422);
      expect(r.body.error.rule).toBe('CH-AUTO');
    });
    expect(events).toEqual([
      expect.objectContaining({
        actor: actorOf(manager),
        orgId,
        summary: { rules: ['CH-AUTO'], attempted: 'POST /api/orgs/:orgId/campaigns' },
      }),
    ]);
  });

  it('CAL-1: a plan blocked by the election silence is audited as a refusal, once', async () => {
    const election = await makeElection(s, orgId, {
      round1: '2027-03-14',
      round2: '2027-03-21',
      territory: [],
    });
    const created = await call(
      manager,
      'POST',
      `/api/orgs/${orgId}/campaigns`,
      campaign({ electionId: election.id }),
    );
    expect(created.status).toBe(201);
    now = new Date('2027-03-13T12:00:00Z'); // the eve of the first round
    try {
      const events = await refusalsOf(async () => {
        const r = await call(manager, 'POST', `/api/campaigns/${created.body.id}/plan`);
        expect(r.status).toBe(422);
        expect(r.body.violations.map((v: { rule: string }) => v.rule)).toContain('CAL-1');
      });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actor: actorOf(manager),
        orgId,
        entityType: 'campaign',
        entityId: created.body.id,
        summary: { rules: expect.arrayContaining(['CAL-1']), attempted: 'campaign.plan' },
      });
    } finally {
      now = new Date('2027-03-01T10:00:00Z');
    }
  });

  it('SEC-3: a plan blocked by an attachment of personal data is audited as a refusal', async () => {
    const vcard = Buffer.from(
      `BEGIN:VCARD\nVERSION:3.0\nFN:${CANARY_NAME}\nEMAIL:${CANARY_EMAIL}\nEND:VCARD\n`,
    ).toString('base64');
    const created = await call(
      manager,
      'POST',
      `/api/orgs/${orgId}/campaigns`,
      campaign({ attachments: [{ fileName: `${CANARY_NAME}.txt`, contentBase64: vcard }] }),
    );
    expect(created.status).toBe(201);
    const events = await refusalsOf(async () => {
      const r = await call(manager, 'POST', `/api/campaigns/${created.body.id}/plan`);
      expect(r.status).toBe(422);
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      entityType: 'campaign',
      entityId: created.body.id,
      summary: { rules: expect.arrayContaining(['SEC-3']), attempted: 'campaign.plan' },
    });
  });

  it('a call refused by authorisation is not a rule refusal: it writes no event', async () => {
    const volunteer = await makeStaff(s, orgId, 'volunteer');
    const events = await refusalsOf(async () => {
      const r = await call(volunteer, 'POST', `/api/orgs/${orgId}/sources`, {
        type: 'administrative_file',
        label: 'x',
      });
      expect(r.status).toBe(403);
    });
    expect(events).toEqual([]);
  });

  it('the audit API filters refusals: refused=true returns exactly the refusals, rule=SEG-2 those under SEG-2', async () => {
    await chainAuditEvents(s.db); // so that the events read here have their seq
    const inDb = await s.db
      .select({ seq: auditEvents.seq, orgId: auditEvents.orgId, summary: auditEvents.summary })
      .from(auditEvents)
      .where(eq(auditEvents.action, 'policy.refuse'));
    const mine = inDb.filter((e) => e.orgId === orgId);
    const refused = await call(dpo, 'GET', `/api/orgs/${orgId}/audit?refused=true&limit=1000`);
    expect(refused.status).toBe(200);
    expect(refused.body.items.map((e: { seq: number }) => e.seq).sort()).toEqual(
      mine.map((e) => e.seq).sort(),
    );
    expect(new Set(refused.body.items.map((e: { action: string }) => e.action))).toEqual(
      new Set(['policy.refuse']),
    );
    const seg2 = await call(dpo, 'GET', `/api/orgs/${orgId}/audit?rule=SEG-2&limit=1000`);
    expect(seg2.status).toBe(200);
    expect(seg2.body.items.map((e: { seq: number }) => e.seq).sort()).toEqual(
      mine
        .filter((e) => (e.summary.rules as string[]).includes('SEG-2'))
        .map((e) => e.seq)
        .sort(),
    );
    expect(seg2.body.items).toHaveLength(3);
    const others = await call(dpo, 'GET', `/api/orgs/${orgId}/audit?refused=false&limit=1000`);
    expect(others.body.items.some((e: { action: string }) => e.action === 'policy.refuse')).toBe(
      false,
    );
    const byAction = await call(dpo, 'GET', `/api/orgs/${orgId}/audit?action=policy.refuse`);
    expect(byAction.body.items).toHaveLength(mine.length);
    expect((await call(dpo, 'GET', `/api/orgs/${orgId}/audit?rule=NOPE-1`)).status).toBe(400);
    expect((await call(dpo, 'GET', `/api/orgs/${orgId}/audit?refused=yes`)).status).toBe(400);
  });

  it('no refused attempt leaves a personal value in the audit log, and the chain still verifies', async () => {
    const rows = await s.db.select().from(auditEvents);
    expect(rows.filter((e) => e.action === 'policy.refuse').length).toBeGreaterThanOrEqual(9);
    const text = JSON.stringify(rows);
    for (const canary of [CANARY_EMAIL, CANARY_NAME, 'Canarienne', 'canari.h6'])
      expect(text).not.toContain(canary);
    expect((await verifyAuditLog(s.db, { key: s.auditKey })).ok).toBe(true);
  });
});
