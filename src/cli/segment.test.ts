import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';

let s: TestServices;
let orgId: string;
const cli = cliRunner(() => s);
beforeAll(async () => {
  s = await openTestServices();
  orgId = (await makeOrg(s)).id;
  const members = await makeSource(s, orgId);
  for (const [i, year] of [1950, 1990].entries()) {
    await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: members.id,
      identity: { birthName: `M${i}`, email: `m${i}@exemple.fr` },
      attributes: { birthYear: year, communeCode: '69123' },
      actor: 'test',
    });
  }
});
afterAll(() => s.dispose());

describe('isoloir segment', () => {
  it('counts with --json as {"total", "reachable": {email, sms, phone, post}}, ages at --at', async () => {
    const res = await cli(
      'segment',
      'count',
      '--org',
      orgId,
      '--where',
      '{"field":"age","op":"gte","value":60}',
      '--at',
      '2026-11-24',
      '--json',
    );
    expect(res.code, res.stderr).toBe(0);
    expect(res.json()).toEqual({ total: 1, reachable: { email: 1, sms: 0, phone: 0, post: 0 } });
    const earlier = await cli(
      'segment',
      'count',
      '--org',
      orgId,
      '--where',
      '{"field":"age","op":"gte","value":60}',
      '--at',
      '2000-01-01',
      '--json',
    );
    expect(earlier.json().total).toBe(0);
  });

  it('refuses a forbidden filter with a non-zero exit and "SEG-2: ..." on stderr', async () => {
    const res = await cli(
      'segment',
      'count',
      '--org',
      orgId,
      '--where',
      '{"not":{"field":"surname","op":"eq","value":"Martin"}}',
    );
    expect(res.code).toBe(3);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/^SEG-2: cannot filter on "surname"/);
    const save = await cli(
      'segment',
      'save',
      '--org',
      orgId,
      '--name',
      'x',
      '--where',
      '{"field":"birthplace","op":"eq","value":"Alger"}',
    );
    expect(save.code).toBe(3);
    expect(save.stderr).toMatch(/^SEG-2: /);
  });

  it('saves a segment printing its id, then counts, lists, previews and deletes it', async () => {
    const saved = await cli(
      'segment',
      'save',
      '--org',
      orgId,
      '--name',
      'Lyon',
      '--where',
      '{"field":"commune","op":"eq","value":"69123"}',
      '--json',
    );
    expect(saved.code, saved.stderr).toBe(0);
    const { id } = saved.json();
    expect(id).toEqual(expect.any(String));
    expect((await cli('segment', 'count', '--segment', id, '--json')).json().total).toBe(2);
    expect((await cli('segment', 'list', '--org', orgId, '--json')).json().items).toHaveLength(1);
    const preview = (await cli('segment', 'preview', '--segment', id, '--json')).json().items;
    expect(preview).toHaveLength(2);
    expect(preview[0].identity).toBeUndefined();
    const withIds = (
      await cli('segment', 'preview', '--segment', id, '--identifiers', '--limit', '1', '--json')
    ).json().items;
    expect(withIds[0].identity.email).toMatch(/@exemple\.fr$/);
    expect((await cli('segment', 'delete', id)).code).toBe(0);
  });

  it('explains bad input: invalid JSON, bad date, missing filter', async () => {
    expect((await cli('segment', 'count', '--org', orgId, '--where', '{age')).stderr).toMatch(
      /--where is not valid JSON/,
    );
    expect(
      (await cli('segment', 'count', '--org', orgId, '--where', '{"and":[]}', '--at', '24/11/2026'))
        .stderr,
    ).toMatch(/--at must be a date/);
    expect((await cli('segment', 'count', '--org', orgId)).code).toBe(2);
  });
});
