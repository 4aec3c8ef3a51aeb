// CAL-1 through the CLI, as a new user would: an FR organisation with an election tomorrow, an
// email campaign created without --election, is refused at `campaign plan` with a line starting
// CAL-1; after the vote the same campaign plans.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import { tempDir, writeCsv } from '../../test/files.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';

let s: TestServices;
let now = new Date('2027-03-13T10:00:00Z'); // Saturday 13 March 2027, 11:00 in Paris
const files = tempDir();
const cli = cliRunner(() => s);

beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const ok = async (...argv: string[]) => {
  const r = await cli(...argv, '--json');
  expect(r.code, r.stderr).toBe(0);
  return r.json();
};

describe('isoloir campaign plan (CAL-1)', () => {
  it('CAL-1: refuses to plan an email campaign created without --election on the eve of the organisation’s vote', async () => {
    const org = await ok(
      'org',
      'create',
      '--name',
      'Association Exemple pour 2027',
      '--jurisdiction',
      'FR',
      '--address',
      '12 place de la République, 69001 Lyon',
      '--email',
      'contact@exemple-2027.fr',
      '--dpo-email',
      'dpo@exemple-2027.fr',
      '--notice-purposes',
      'vous informer de nos actions',
      '--notice-recipients',
      'l’équipe de campagne',
    );
    await ok(
      'election',
      'create',
      '--org',
      org.id,
      '--name',
      'Municipales',
      '--round1',
      '2027-03-14',
    );
    const source = await ok(
      'source',
      'create',
      '--org',
      org.id,
      '--type',
      'supporter_signup',
      '--label',
      'Formulaire du site',
    );
    const csv = writeCsv(files.file('sympathisants.csv'), [
      ['Nom', 'Prénom', 'Email'],
      ['Martin', 'Léa', 'lea.martin@exemple.fr'],
      ['Bernard', 'Hugo', 'hugo.bernard@exemple.fr'],
    ]);
    expect((await ok('import', csv, '--source', source.id)).imported).toBe(2);
    const segment = await ok(
      'segment',
      'save',
      '--org',
      org.id,
      '--name',
      'Tous',
      '--where',
      '{"and":[]}',
    );
    fs.writeFileSync(files.file('body.md'), 'Bonjour {{firstName}}, votez demain !');
    const campaign = await ok(
      'campaign',
      'create',
      '--org',
      org.id,
      '--segment',
      segment.id,
      '--subject',
      'Demain',
      '--body-file',
      files.file('body.md'),
      '--from',
      'contact@exemple-2027.fr',
    );

    const refused = await cli('campaign', 'plan', campaign.id);
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/^CAL-1: election "Municipales"/);
    expect(refused.stderr).not.toMatch(/exemple\.fr|Martin|Léa/); // no personal data
    const status = await ok('campaign', 'status', campaign.id);
    expect(status.state).toBe('draft');

    now = new Date('2027-03-14T19:00:00Z'); // 20:00 in Paris: polls closed
    const planned = await ok('campaign', 'plan', campaign.id);
    expect(planned).toMatchObject({ state: 'planned', recipients: 2, violations: [] });
  });
});
