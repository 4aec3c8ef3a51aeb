// Refused attempts are audited (issue 12, item 7), through the CLI: each rule refusal writes one
// `policy.refuse` event (actor `cli`, the rules, the object, the command), without any personal
// value; `isoloir audit list --refused` and `--rule` return exactly those.
import fs from 'node:fs';
import { and, eq, gt } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import { makeElection, makeOrg, makeSource } from '../../test/factories.ts';
import { tempDir } from '../../test/files.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { auditEvents } from '../db/schema/index.ts';
import { chainAuditEvents } from '../domain/audit/chain-events.ts';
import { verifyAuditLog } from '../domain/audit/verify-audit.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { saveSegment } from '../domain/segments/segments.ts';

// Canaries: personal values put in refused inputs, which must never reach the audit log.
const CANARY_EMAIL = 'canari.h6@exemple-perso.fr';
const CANARY_NAME = 'Zéphyrine Canarienne';

let s: TestServices;
let now = new Date('2027-03-01T10:00:00Z');
let orgId: string;
let maOrgId: string;
let segmentId: string;
let maSegmentId: string;
const files = tempDir();
const cli = cliRunner(() => s);

const org = (overrides: Record<string, unknown> = {}) =>
  makeOrg(s, { noticePurposes: 'vous informer', noticeRecipients: 'l’équipe', ...overrides });

beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
  orgId = (await org()).id;
  maOrgId = (await org({ jurisdiction: 'MA' })).id;
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
  fs.writeFileSync(files.file('body.md'), `Bonjour, écrivez à ${CANARY_EMAIL}`);
  fs.writeFileSync(
    files.file(`${CANARY_NAME}.txt`),
    `BEGIN:VCARD\nVERSION:3.0\nFN:${CANARY_NAME}\nEMAIL:${CANARY_EMAIL}\nEND:VCARD\n`,
  );
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

// By id, the order of appending: an event is chained (given its seq) after it committed.
const lastId = async () =>
  (await s.db.select({ id: auditEvents.id }).from(auditEvents)).reduce(
    (m, r) => Math.max(m, r.id),
    0,
  );

/** Runs the command, expects a refusal (exit 3, a line starting with the rule), returns events. */
async function refusalsOf(rule: string, ...argv: string[]) {
  const before = await lastId();
  const r = await cli(...argv);
  expect(r.code, r.stderr).toBe(3);
  expect(r.stderr).toMatch(new RegExp(`^${rule}: `, 'm'));
  return s.db
    .select()
    .from(auditEvents)
    .where(and(gt(auditEvents.id, before), eq(auditEvents.action, 'policy.refuse')));
}

const sourceCreate = (org: string, type: string) => [
  'source',
  'create',
  '--org',
  org,
  '--type',
  type,
  '--label',
  `${CANARY_NAME} ${CANARY_EMAIL}`,
];

async function campaignCreate(org: string, segment: string, ...extra: string[]) {
  const r = await cli(
    'campaign',
    'create',
    '--org',
    org,
    '--segment',
    segment,
    '--subject',
    `Réunion avec ${CANARY_NAME}`,
    '--body-file',
    files.file('body.md'),
    '--from',
    'contact@exemple-2027.fr',
    ...extra,
    '--json',
  );
  expect(r.code, r.stderr).toBe(0);
  return r.json().id as string;
}

describe('refused attempts are audited (CLI)', () => {
  it('SRC-1: a forbidden source type refused through the CLI is audited with the actor, the rule and the organisation', async () => {
    const events = await refusalsOf('SRC-1', ...sourceCreate(orgId, 'hr_file'));
    expect(events).toEqual([
      expect.objectContaining({
        actor: 'cli',
        orgId,
        entityType: 'organisation',
        entityId: orgId,
        summary: { rules: ['SRC-1'], attempted: 'source.create' },
      }),
    ]);
  });

  it('SRC-7: an elected official’s institutional file refused through the CLI is audited', async () => {
    const events = await refusalsOf('SRC-7', ...sourceCreate(orgId, 'mandate_file'));
    expect(events.map((e) => [e.orgId, e.summary])).toEqual([
      [orgId, { rules: ['SRC-7'], attempted: 'source.create' }],
    ]);
  });

  it('SRC-3: a purchased file without attestation refused through the CLI is audited', async () => {
    const events = await refusalsOf('SRC-3', ...sourceCreate(orgId, 'purchased_file'));
    expect(events.map((e) => [e.actor, e.orgId, e.summary])).toEqual([
      ['cli', orgId, { rules: ['SRC-3'], attempted: 'source.create' }],
    ]);
  });

  it('ACC-2: a source and a plan of a Moroccan organisation without CNDP receipt are audited as refusals, once each', async () => {
    const source = await refusalsOf('ACC-2', ...sourceCreate(maOrgId, 'member_file'));
    expect(source.map((e) => [e.orgId, e.summary])).toEqual([
      [maOrgId, { rules: ['ACC-2'], attempted: 'source.create' }],
    ]);
    const id = await campaignCreate(maOrgId, maSegmentId);
    const plan = await refusalsOf('ACC-2', 'campaign', 'plan', id);
    expect(plan).toHaveLength(1);
    expect(plan[0]).toMatchObject({
      actor: 'cli',
      orgId: maOrgId,
      entityType: 'campaign',
      entityId: id,
      summary: { rules: expect.arrayContaining(['ACC-2']), attempted: 'campaign.plan' },
    });
  });

  it('SEG-2: a refused segment filter is audited with the actor and the rule, without its values', async () => {
    const where = JSON.stringify({ field: 'religion', op: 'eq', value: CANARY_NAME });
    const count = await refusalsOf('SEG-2', 'segment', 'count', '--org', orgId, '--where', where);
    expect(count).toEqual([
      expect.objectContaining({
        actor: 'cli',
        orgId,
        entityType: 'organisation',
        entityId: orgId,
        summary: { rules: ['SEG-2'], attempted: 'segment.count' },
      }),
    ]);
    const saved = await refusalsOf(
      'SEG-2',
      'segment',
      'save',
      '--org',
      orgId,
      '--name',
      CANARY_NAME,
      '--where',
      JSON.stringify({ field: 'nationalite', op: 'eq', value: CANARY_EMAIL }),
    );
    expect(saved.map((e) => e.summary)).toEqual([{ rules: ['SEG-2'], attempted: 'segment.save' }]);
  });

  it('SEG-2: an import mapping a forbidden column is audited with the source, not the file’s name or cells', async () => {
    const source = await makeSource(s, orgId, { type: 'member_file' });
    const file = files.file(`${CANARY_NAME}.csv`);
    fs.writeFileSync(file, `Nom;Email;Nationalité\n${CANARY_NAME};${CANARY_EMAIL};française\n`);
    const events = await refusalsOf(
      'SEG-2',
      'import',
      file,
      '--source',
      source.id,
      '--map',
      'Nationalité=csp',
    );
    expect(events).toEqual([
      expect.objectContaining({
        actor: 'cli',
        orgId,
        entityType: 'source',
        entityId: source.id,
        summary: { rules: ['SEG-2'], attempted: 'import' },
      }),
    ]);
  });

  it('CAL-1: a plan blocked by the election silence is audited as a refusal, once', async () => {
    const election = await makeElection(s, orgId, {
      round1: '2027-03-14',
      round2: '2027-03-21',
      territory: [],
    });
    const id = await campaignCreate(orgId, segmentId, '--election', election.id);
    now = new Date('2027-03-13T12:00:00Z'); // the eve of the first round
    try {
      const events = await refusalsOf('CAL-1', 'campaign', 'plan', id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        actor: 'cli',
        orgId,
        entityType: 'campaign',
        entityId: id,
        summary: { rules: expect.arrayContaining(['CAL-1']), attempted: 'campaign.plan' },
      });
    } finally {
      now = new Date('2027-03-01T10:00:00Z');
    }
  });

  it('SEC-3: a plan blocked by an attachment of personal data is audited as a refusal, once', async () => {
    const id = await campaignCreate(orgId, segmentId, '--attach', files.file(`${CANARY_NAME}.txt`));
    const events = await refusalsOf('SEC-3', 'campaign', 'plan', id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      entityType: 'campaign',
      entityId: id,
      summary: { rules: expect.arrayContaining(['SEC-3']), attempted: 'campaign.plan' },
    });
  });

  it('audit list --refused returns exactly the refusals, --rule those under one rule', async () => {
    await chainAuditEvents(s.db); // so that the events read here have their seq
    const inDb = await s.db
      .select({ seq: auditEvents.seq, summary: auditEvents.summary })
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'policy.refuse'), eq(auditEvents.orgId, orgId)));
    const seqs = (items: { seq: number | null }[]) => items.map((e) => e.seq).sort();
    const refused = await cli('audit', 'list', '--org', orgId, '--refused', '--json');
    expect(refused.code, refused.stderr).toBe(0);
    expect(seqs(refused.json().items)).toEqual(seqs(inDb));
    const seg2 = await cli('audit', 'list', '--org', orgId, '--rule', 'SEG-2', '--json');
    expect(seqs(seg2.json().items)).toEqual(
      seqs(inDb.filter((e) => (e.summary.rules as string[]).includes('SEG-2'))),
    );
    expect(seg2.json().items).toHaveLength(3);
    const human = await cli('audit', 'list', '--org', orgId, '--rule', 'SRC-7');
    expect(human.stdout).toMatch(/policy\.refuse .*"rules":\["SRC-7"\]/);
    const bad = await cli('audit', 'list', '--rule', 'NOPE-1');
    expect(bad.code).toBe(2);
  });

  it('no refused attempt leaves a personal value in the audit log, and the chain still verifies', async () => {
    const rows = await s.db.select().from(auditEvents);
    expect(rows.filter((e) => e.action === 'policy.refuse').length).toBeGreaterThanOrEqual(9);
    const text = JSON.stringify(rows);
    for (const canary of [CANARY_EMAIL, CANARY_NAME, 'Canarienne', 'canari.h6'])
      expect(text).not.toContain(canary);
    expect((await verifyAuditLog(s.db, { key: s.auditKey })).ok).toBe(true);
    const verify = await cli('audit', 'verify');
    expect(verify.code, verify.stderr).toBe(0);
  });
});
