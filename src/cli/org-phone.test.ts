// The organisation's own phone number through the CLI: `org create --phone` and `org update
// --phone` store it in E.164 (the SEC-3 body scan lets it through), and a wrong one is refused
// with a line naming the field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices();
});
afterAll(() => s.dispose());
const cli = cliRunner(() => s);

describe('isoloir org --phone', () => {
  it('SEC-3: org create and update take the organisation’s own number and store it in E.164', async () => {
    const created = await cli(
      'org',
      'create',
      '--name',
      'Liste Exemple',
      '--jurisdiction',
      'FR',
      '--address',
      '1 place de la Mairie, 69001 Lyon',
      '--email',
      'contact@exemple.fr',
      '--dpo-email',
      'dpo@exemple.fr',
      '--phone',
      '04 78 00 00 00',
      '--json',
    );
    expect(created.code).toBe(0);
    expect(created.json()).toMatchObject({ contactPhone: '+33478000000' });
    const id = created.json().id as string;
    const updated = await cli('org', 'update', id, '--phone', '+33 4 72 00 00 00', '--json');
    expect(updated.json()).toMatchObject({ contactPhone: '+33472000000' });
    const refused = await cli('org', 'update', id, '--phone', 'nous appeler');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/contactPhone: is not a valid phone number/);
  });
});
