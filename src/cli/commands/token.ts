import type { Command } from 'commander';
import {
  createApiToken,
  listApiTokens,
  revokeApiToken,
  type ApiTokenInfo,
} from '../../domain/access/api-tokens.ts';
import { findUserIdByEmail, getUser } from '../../domain/access/users.ts';
import { ADMIN_PERMISSIONS, isRole, ROLE_PERMISSIONS } from '../../domain/access/permissions.ts';
import type { CliContext } from '../context.ts';
import { UsageError } from '../errors.ts';

const collect = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean),
];

const line = (t: ApiTokenInfo) =>
  `${t.id}  ${t.label}  user ${t.userId}  ${t.orgId ? `org ${t.orgId}` : 'all orgs'}  ${t.scopes.join(',')}` +
  `${t.expiresAt ? `  expires ${t.expiresAt}` : ''}${t.revoked ? '  revoked' : ''}`;

export function tokenCommand(program: Command, ctx: CliContext) {
  const token = program.command('token').description('API tokens for programs (SEC-1)');

  token
    .command('create')
    .description(
      "create an API token acting for a staff member, with scopes within that person's role (shown once; stored as a hash)",
    )
    .requiredOption('--user <email>', 'the staff member the token acts for')
    .option('--org <id>', 'the organisation it acts in (default: each of theirs)')
    .option('--scope <permission>', 'a permission, repeatable or comma-separated', collect)
    .option('--all-scopes', "every permission the person's role holds now")
    .option('--label <text>', 'what the token is for', 'cli')
    .option('--expires-days <n>', 'expiry in days (1-366)')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const userId = await findUserIdByEmail(s.db, o.user);
      let scopes: string[] = o.scope ?? [];
      if (o.allScopes) {
        const user = await getUser(s.db, { userId });
        const roles = user.memberships.filter((m) => !o.org || m.orgId === o.org);
        scopes = [
          ...new Set([
            ...scopes,
            ...roles.flatMap((m) => (isRole(m.role) ? ROLE_PERMISSIONS[m.role] : [])),
            ...(user.isAdmin ? ADMIN_PERMISSIONS : []),
          ]),
        ];
      }
      if (scopes.length === 0) throw new UsageError('name at least one --scope, or --all-scopes');
      if (o.expiresDays !== undefined && !/^\d+$/.test(o.expiresDays))
        throw new UsageError('--expires-days: must be a whole number');
      const created = await createApiToken(s.db, {
        userId,
        input: {
          label: o.label,
          scopes,
          ...(o.org ? { orgId: o.org } : {}),
          ...(o.expiresDays !== undefined ? { expiresInDays: Number(o.expiresDays) } : {}),
        },
        actor: 'cli',
        clock: s.clock,
      });
      ctx.print(!!o.json, created, [`created token ${line(created)} (shown once):`, created.token]);
    });

  token
    .command('list')
    .description('list tokens (never their secret)')
    .option('--user <email>', "only this staff member's tokens")
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const userId = o.user ? await findUserIdByEmail(s.db, o.user) : undefined;
      const items = await listApiTokens(s.db, userId ? { userId } : {});
      ctx.print(!!o.json, { items }, items.length ? items.map(line) : 'no token');
    });

  token
    .command('revoke')
    .description('revoke a token at once')
    .argument('<id>', 'token id')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o) => {
      const s = await ctx.services();
      const revoked = await revokeApiToken(s.db, { tokenId: id, actor: 'cli', clock: s.clock });
      ctx.print(!!o.json, revoked, `revoked ${line(revoked)}`);
    });
}
