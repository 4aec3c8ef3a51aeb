// isoloir user create|list|disable and token create|list|revoke: the operator's side of staff
// access, and the contract scripts rely on (--json fields, exit codes).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import { makeOrg } from '../../test/factories.ts';
import { tempDir } from '../../test/files.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { verifyApiToken } from '../domain/access/api-tokens.ts';
import { eq } from 'drizzle-orm';
import { users } from '../db/schema/index.ts';
import { signIn } from '../domain/access/sign-in.ts';

let s: TestServices;
let orgId: string;
const files = tempDir();
const cli = cliRunner(() => s);
beforeAll(async () => {
  s = await openTestServices();
  orgId = (await makeOrg(s)).id;
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

describe('isoloir user and token', () => {
  it('makes the first administrator once, with a first password shown once and stored hashed', async () => {
    const made = await cli(
      'user',
      'create',
      '--admin',
      '--email',
      'Root@Staff.example',
      '--name',
      'Root',
      '--json',
    );
    expect(made.code, made.stderr).toBe(0);
    const { user, initialPassword } = made.json();
    expect(user).toMatchObject({ email: 'root@staff.example', isAdmin: true, secondFactor: false });
    expect(initialPassword).toMatch(/^\S{20,}$/);
    const session = await signIn(s.db, {
      input: { email: 'root@staff.example', password: initialPassword },
      clock: s.clock,
      keys: s.keys,
    });
    expect(session.secondFactor).toBe('enrolment_required'); // administrators need the factor
    const again = await cli(
      'user',
      'create',
      '--admin',
      '--email',
      'x@staff.example',
      '--name',
      'X',
    );
    expect(again.code).toBe(5);
    expect(again.stderr).toMatch(/administrator already exists/);
  });

  it('adds staff with a role, reads the password from a file, lists and disables them', async () => {
    const passwordFile = files.file('pw.txt');
    fs.writeFileSync(passwordFile, 'a long enough password\n', { mode: 0o600 });
    const made = await cli(
      'user',
      'create',
      '--email',
      'vol@staff.example',
      '--name',
      'Vol',
      '--org',
      orgId,
      '--role',
      'volunteer',
      '--password-file',
      passwordFile,
      '--json',
    );
    expect(made.code, made.stderr).toBe(0);
    expect(made.json().initialPassword).toBeUndefined();
    expect(made.json().user.memberships).toEqual([{ orgId, role: 'volunteer' }]);
    const listed = await cli('user', 'list', '--org', orgId, '--json');
    expect(listed.json().items.map((u: { email: string }) => u.email)).toEqual([
      'vol@staff.example',
    ]);
    const disabled = await cli('user', 'disable', 'vol@staff.example', '--json');
    expect(disabled.code).toBe(0);
    expect(disabled.json().disabled).toBe(true);
    await expect(
      signIn(s.db, {
        input: { email: 'vol@staff.example', password: 'a long enough password' },
        clock: s.clock,
        keys: s.keys,
      }),
    ).rejects.toThrow(/email or password is wrong/);
  });

  it('refuses a bad role, a short password and a missing organisation with clear errors', async () => {
    const role = await cli(
      'user',
      'create',
      '--email',
      'a@staff.example',
      '--name',
      'A',
      '--org',
      orgId,
      '--role',
      'king',
    );
    expect(role.code).toBe(2);
    expect(role.stderr).toMatch(/role: must be one of owner, dpo, manager, volunteer, viewer/);
    const short = files.file('short.txt');
    fs.writeFileSync(short, 'short');
    const pw = await cli(
      'user',
      'create',
      '--email',
      'b@staff.example',
      '--name',
      'B',
      '--org',
      orgId,
      '--role',
      'viewer',
      '--password-file',
      short,
    );
    expect(pw.stderr).toMatch(/password: must be at least 12 characters/);
    const noOrg = await cli('user', 'create', '--email', 'c@staff.example', '--name', 'C');
    expect(noOrg.code).toBe(2);
    expect(noOrg.stderr).toMatch(/needs an organisation and a role/);
  });

  it('makes tokens no wider than the role, lists them without secrets, and revokes them', async () => {
    await cli(
      'user',
      'create',
      '--email',
      'view@staff.example',
      '--name',
      'View',
      '--org',
      orgId,
      '--role',
      'viewer',
    );
    const wide = await cli(
      'token',
      'create',
      '--user',
      'view@staff.example',
      '--org',
      orgId,
      '--scope',
      'segment.preview_identifiers',
    );
    expect(wide.code).toBe(3);
    expect(wide.stderr).toMatch(/SEC-1: scopes: segment.preview_identifiers is beyond/);
    const made = await cli(
      'token',
      'create',
      '--user',
      'view@staff.example',
      '--org',
      orgId,
      '--scope',
      'contact.count,segment.count',
      '--label',
      'dashboard',
      '--expires-days',
      '30',
      '--json',
    );
    expect(made.code, made.stderr).toBe(0);
    const token = made.json();
    expect(token).toMatchObject({
      label: 'dashboard',
      orgId,
      scopes: ['contact.count', 'segment.count'],
      revoked: false,
    });
    expect(token.token).toMatch(/^iso_/);
    expect(await verifyApiToken(s.db, token.token)).toMatchObject({ id: token.id });
    const listed = await cli('token', 'list', '--user', 'view@staff.example', '--json');
    expect(JSON.stringify(listed.json())).not.toContain(token.token);
    const revoked = await cli('token', 'revoke', token.id, '--json');
    expect(revoked.json().revoked).toBe(true);
    expect(await verifyApiToken(s.db, token.token)).toBeUndefined();
    expect((await cli('token', 'revoke', token.id)).code).toBe(5);
  });

  it('clears a lost second factor so that the person enrols again at next sign-in', async () => {
    const passwordFile = files.file('pw2.txt');
    fs.writeFileSync(passwordFile, 'another long password');
    await cli(
      'user',
      'create',
      '--email',
      'lost@staff.example',
      '--name',
      'Lost',
      '--org',
      orgId,
      '--role',
      'manager',
      '--password-file',
      passwordFile,
    );
    const userId = (await cli('user', 'list', '--org', orgId, '--json'))
      .json()
      .items.find((u: { email: string }) => u.email === 'lost@staff.example').id;
    await s.db.update(users).set({ totpConfirmedAt: new Date() }).where(eq(users.id, userId));
    const reset = await cli('user', 'reset-second-factor', 'lost@staff.example', '--json');
    expect(reset.code, reset.stderr).toBe(0);
    expect(reset.json().secondFactor).toBe(false);
    const again = await signIn(s.db, {
      input: { email: 'lost@staff.example', password: 'another long password' },
      clock: s.clock,
      keys: s.keys,
    });
    expect(again.secondFactor).toBe('enrolment_required');
  });

  it('records staff and token changes in the audit log', async () => {
    const log = await cli('audit', 'list', '--json');
    const actions = log.json().items.map((e: { action: string }) => e.action);
    for (const action of ['user.create', 'user.disable', 'token.create', 'token.revoke'])
      expect(actions).toContain(action);
    expect(JSON.stringify(log.json())).not.toMatch(/@staff\.example/); // no personal values
  });
});
