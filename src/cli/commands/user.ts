import fs from 'node:fs';
import type { Command } from 'commander';
import {
  createUser,
  disableUser,
  findUserIdByEmail,
  listUsers,
  resetSecondFactor,
  type StaffUser,
} from '../../domain/access/users.ts';
import { ROLES } from '../../domain/access/permissions.ts';
import type { CliContext } from '../context.ts';
import { UsageError } from '../errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function readPassword(path: string): string {
  try {
    return fs.readFileSync(path, 'utf8').replace(/\r?\n$/, '');
  } catch (error) {
    throw new UsageError(`cannot read password file ${path}: ${(error as Error).message}`);
  }
}

const line = (u: StaffUser) =>
  `${u.id}  ${u.email}  ${u.isAdmin ? 'admin ' : ''}${u.memberships.map((m) => `${m.role}@${m.orgId}`).join(' ')}` +
  `${u.secondFactor ? '  2fa' : ''}${u.disabled ? '  disabled' : ''}`;

export function userCommand(program: Command, ctx: CliContext) {
  const user = program.command('user').description('staff accounts and their roles (SEC-1)');

  user
    .command('create')
    .description(
      'create a staff account: the first administrator (--admin, one time) or a member of an organisation (--org, --role)',
    )
    .requiredOption('--email <email>', 'sign-in address')
    .requiredOption('--name <name>', 'display name')
    .option('--admin', 'the first administrator of this installation (one time only)')
    .option('--org <id>', 'organisation the account belongs to')
    .option('--role <role>', `role in that organisation: ${ROLES.join(', ')}`)
    .option('--password-file <file>', 'read the password from a file (otherwise one is generated)')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const created = await createUser(s.db, {
        input: {
          email: o.email,
          displayName: o.name,
          ...(o.admin ? { admin: true } : {}),
          ...(o.org !== undefined ? { orgId: o.org } : {}),
          ...(o.role !== undefined ? { role: o.role } : {}),
          ...(o.passwordFile ? { password: readPassword(o.passwordFile) } : {}),
        },
        actor: 'cli',
        clock: s.clock,
      });
      ctx.print(!!o.json, created, [
        `created ${line(created.user)}`,
        ...(created.initialPassword
          ? [
              'first password (shown once; change it after signing in):',
              `  ${created.initialPassword}`,
            ]
          : []),
      ]);
    });

  user
    .command('list')
    .description('list staff accounts')
    .option('--org <id>', 'only the staff of this organisation')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const items = await listUsers(s.db, o.org ? { orgId: o.org } : {});
      ctx.print(!!o.json, { items }, items.length ? items.map(line) : 'no staff account');
    });

  user
    .command('disable')
    .description('disable an account at once: its sessions end and its tokens stop working')
    .argument('<user>', 'email or id')
    .option('--json', 'print one JSON object')
    .action(async (who: string, o) => {
      const s = await ctx.services();
      const userId = UUID.test(who) ? who : await findUserIdByEmail(s.db, who);
      const disabled = await disableUser(s.db, { userId, actor: 'cli', clock: s.clock });
      ctx.print(!!o.json, disabled, `disabled ${line(disabled)}`);
    });

  user
    .command('reset-second-factor')
    .description(
      'for someone who lost their authenticator and recovery codes: they enrol anew at next sign-in; their sessions and tokens end',
    )
    .argument('<user>', 'email or id')
    .option('--json', 'print one JSON object')
    .action(async (who: string, o) => {
      const s = await ctx.services();
      const userId = UUID.test(who) ? who : await findUserIdByEmail(s.db, who);
      const reset = await resetSecondFactor(s.db, { userId, actor: 'cli', clock: s.clock });
      ctx.print(!!o.json, reset, `second factor cleared for ${line(reset)}`);
    });
}
