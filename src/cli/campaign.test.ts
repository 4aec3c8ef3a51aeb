// isoloir campaign and objection: the contract scripts rely on (--json fields, exit codes).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { tempDir } from '../../test/files.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { saveSegment } from '../domain/segments/segments.ts';

let s: TestServices;
let orgId: string;
let segmentId: string;
const files = tempDir();
const cli = cliRunner(() => s);

beforeAll(async () => {
  s = await openTestServices();
  orgId = (await makeOrg(s)).id;
  const source = await makeSource(s, orgId, { type: 'supporter_signup' });
  for (const email of ['a@exemple.fr', 'b@exemple.fr'])
    await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: source.id,
      identity: { birthName: 'X', email },
      actor: 'test',
    });
  segmentId = (
    await saveSegment(s.db, { orgId, input: { name: 'Tous', where: { and: [] } }, actor: 'test' })
  ).id;
  fs.writeFileSync(files.file('body.md'), '# Bonjour {{firstName}}\n\nRéunion jeudi.');
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const create = async (...extra: string[]) => {
  const r = await cli(
    'campaign',
    'create',
    '--org',
    orgId,
    '--segment',
    segmentId,
    '--subject',
    'Réunion',
    '--body-file',
    files.file('body.md'),
    '--from',
    'contact@exemple-2027.fr',
    ...extra,
    '--json',
  );
  expect(r.code, r.stderr).toBe(0);
  return r.json().id as string;
};

describe('isoloir campaign', () => {
  it('refuses to plan while the notice is incomplete (NOT-1), then plans, sends on the log channel and reports counts', async () => {
    const id = await create();
    const blocked = await cli('campaign', 'plan', id, '--json');
    expect(blocked.code).toBe(3);
    expect(blocked.stderr).toMatch(/^NOT-1: the notice does not say what it is used for/);
    expect(blocked.json().violations.map((v: { rule: string }) => v.rule)).toEqual([
      'NOT-1',
      'NOT-1',
    ]);

    const org = await cli(
      'org',
      'update',
      orgId,
      '--notice-purposes',
      'vous informer',
      '--notice-recipients',
      'l’équipe',
    );
    expect(org.code, org.stderr).toBe(0);
    const plan = await cli('campaign', 'plan', id, '--json');
    expect(plan.code, plan.stderr).toBe(0);
    expect(plan.json()).toMatchObject({
      state: 'planned',
      recipients: 2,
      exclusions: { no_address: 0, no_consent: 0, objected: 0 },
      violations: [],
    });

    const sent = await cli('campaign', 'send', id, '--wait', '--json');
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.json()).toMatchObject({
      state: 'done',
      counts: { sent: 2, queued: 0, unknown: 0 },
    });
    const status = await cli('campaign', 'status', id, '--json');
    expect(status.json().counts.sent).toBe(2);
    expect((await cli('campaign', 'pause', id)).code).toBe(5); // done: nothing to pause
  });

  it('refuses a sender name or subject that would inject a header', async () => {
    const r = await cli(
      'campaign',
      'create',
      '--org',
      orgId,
      '--segment',
      segmentId,
      '--subject',
      'Hi\r\nBcc: x@evil.example',
      '--body-file',
      files.file('body.md'),
      '--from',
      'contact@exemple-2027.fr',
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/subject: must be one line without control characters/);
  });

  it('records an objection by email: the next plan leaves that person out', async () => {
    const r = await cli(
      'objection',
      'record',
      '--org',
      orgId,
      '--email',
      'A@exemple.fr',
      '--method',
      'letter',
      '--json',
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({ contacts: 1 });
    const id = await create();
    const plan = await cli('campaign', 'plan', id, '--json');
    expect(plan.json()).toMatchObject({ recipients: 1, exclusions: { objected: 1 } });
    const bad = await cli('objection', 'record', '--org', orgId, '--json');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/exactly one of contactId, email or phone/);
  });
});
