// SEC-3 on the message body through the other doors: the HTTP plan answers 422 naming SEC-3 and
// the send stays refused; `isoloir campaign plan` prints a line starting "SEC-3" and exits 3. The
// values found never appear in the answer.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { tempDir } from '../../test/files.ts';
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
const files = tempDir();
const cli = cliRunner(() => s);

beforeAll(async () => {
  s = await openTestServices();
  app = createApp(s);
  orgId = (await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' })).id;
  const source = await makeSource(s, orgId, { type: 'member_file' });
  await addContact(s.db, {
    keys: s.keys,
    orgId,
    sourceId: source.id,
    identity: { birthName: 'Martin', email: 'alice@exemple.fr' },
    actor: 'test',
  });
  manager = await makeStaff(s, orgId, 'manager');
  segmentId = (
    await saveSegment(s.db, { orgId, input: { name: 'Tous', where: { and: [] } }, actor: 'test' })
  ).id;
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const call = (...args: Parameters<ReturnType<typeof callerOf>>) => callerOf(app)(...args);

describe('the message scan through HTTP and the CLI (SEC-3)', () => {
  it('SEC-3: the HTTP plan of a campaign whose body hides an address in an entity-encoded mailto link answers 422, and send stays refused', async () => {
    const created = await call(manager, 'POST', `/api/orgs/${orgId}/campaigns`, {
      segmentId,
      fromName: 'Liste Exemple',
      fromEmail: 'contact@exemple-2027.fr',
      subject: 'Réunion {{firstName}}',
      body: '<p>Des questions ? <a href="mailto:&#106;ean.dupont&#64;exemple.fr">Écrivez à Jean</a></p>',
      bodyFormat: 'html',
    });
    expect(created.status).toBe(201);
    const plan = await call(manager, 'POST', `/api/campaigns/${created.body.id}/plan`);
    expect(plan.status).toBe(422);
    expect(plan.body.violations).toEqual([
      {
        rule: 'SEC-3',
        key: 'campaign.body_personal_data',
        params: { found: expect.stringMatching(/^1 email address/) },
        message: expect.stringMatching(/^the body holds personal data \(1 email address/),
      },
    ]);
    expect(plan.raw.toString()).not.toMatch(/dupont/i);
    expect((await call(manager, 'POST', `/api/campaigns/${created.body.id}/send`)).status).toBe(
      409,
    );
  });

  it('SEC-3: isoloir campaign plan refuses a body that lists names and addresses with a line starting SEC-3', async () => {
    const body = files.file('lettre.md');
    fs.writeFileSync(
      body,
      'Bonjour {{firstName}},\n\nVoici les voisins à visiter :\n\n' +
        'Martin Alice, 12 rue des Lilas, 69001 Lyon\n' +
        'Durand Bruno, 3 avenue Foch, 69006 Lyon\n' +
        'Petit Chloé, 8 chemin des Vignes, 69005 Lyon\n',
    );
    const created = await cli(
      'campaign',
      'create',
      '--org',
      orgId,
      '--segment',
      segmentId,
      '--subject',
      'Porte-à-porte',
      '--body-file',
      body,
      '--from',
      'contact@exemple-2027.fr',
      '--json',
    );
    expect(created.code, created.stderr).toBe(0);
    const res = await cli('campaign', 'plan', created.json().id, '--json');
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(
      /^SEC-3: the body holds personal data \(3 name\(s\) with a postal address\)/m,
    );
    expect(res.json()).toMatchObject({ state: 'draft', recipients: 0 });
    expect(res.stdout + res.stderr).not.toMatch(/Lilas|Foch|Vignes/);
    const send = await cli('campaign', 'send', created.json().id);
    expect(send.code).not.toBe(0);
  });
});
