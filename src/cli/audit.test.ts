import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import { tempDir } from '../../test/files.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import fs from 'node:fs';

let s: TestServices;
const files = tempDir();
const cli = cliRunner(() => s);
beforeAll(async () => {
  s = await openTestServices();
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

describe('isoloir audit', () => {
  it('records acts in the log, lists them, checkpoints, and verifies', async () => {
    const org = (
      await cli(
        'org',
        'create',
        '--name',
        'P',
        '--jurisdiction',
        'FR',
        '--address',
        'A',
        '--email',
        'a@b.fr',
        '--dpo-email',
        'd@b.fr',
        '--json',
      )
    ).json();
    const source = await cli(
      'source',
      'create',
      '--org',
      org.id,
      '--type',
      'member_file',
      '--label',
      'M',
      '--json',
    );
    expect(source.code, source.stderr).toBe(0);
    const list = (await cli('audit', 'list', '--org', org.id, '--json')).json().items;
    expect(list.map((e: { action: string }) => e.action)).toEqual([
      'source.create',
      'organisation.create',
    ]);
    expect(list[0]).toMatchObject({
      actor: 'cli',
      entityId: source.json().id,
      summary: { type: 'member_file' },
    });

    const checkpoint = await cli('audit', 'checkpoint');
    expect(checkpoint.code, checkpoint.stderr).toBe(0);
    const file = files.file('checkpoint.json');
    fs.writeFileSync(file, checkpoint.stdout);
    expect((await cli('audit', 'verify', '--checkpoint', file, '--json')).json()).toMatchObject({
      ok: true,
      events: 3,
    });
  });

  it('fails verification with SEC-2 naming the first bad event', async () => {
    await s.db.execute(sql`update audit_events set actor = 'someone else' where seq = 2`);
    const res = await cli('audit', 'verify');
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(
      /^SEC-2: the audit log was tampered with: event 2: its content does not match its hash/,
    );
  });
});
