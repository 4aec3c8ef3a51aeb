// The team and their roles (SEC-1). Owners add people (a one-time initial password is shown once),
// change roles and remove members; the server keeps an owner and refuses changes to one's own role.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { StaffUser } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

const ROLES = ['owner', 'dpo', 'manager', 'volunteer', 'viewer'];

export function UsersPage() {
  const { t } = useI18n();
  const u = t.users;
  const { org, can, session } = useOrg();
  const list = useLoad(
    () => api<{ items: StaffUser[] }>('GET', `/api/orgs/${org.id}/users`),
    [org.id],
  );
  const [initial, setInitial] = useState<string>();
  const [chosen, setChosen] = useState<Record<string, string>>({});
  const action = useAction();
  const manage = can('user.manage');
  const roleIn = (user: StaffUser) => user.memberships.find((m) => m.orgId === org.id)?.role ?? '';

  const add = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setInitial(undefined);
    const form = e.currentTarget;
    const f = new FormData(form);
    const created = await action.run(() =>
      api<{ initialPassword?: string }>('POST', `/api/orgs/${org.id}/users`, {
        email: String(f.get('email') ?? '').trim(),
        displayName: String(f.get('displayName') ?? '').trim(),
        role: f.get('role'),
      }),
    );
    if (created) {
      setInitial(created.initialPassword);
      form.reset();
      list.reload();
    }
  };
  const setRole = async (userId: string, role: string) => {
    if (await action.run(() => api('PATCH', `/api/orgs/${org.id}/users/${userId}`, { role })))
      list.reload();
  };
  const remove = async (userId: string) => {
    if (await action.run(() => api('DELETE', `/api/orgs/${org.id}/users/${userId}`))) list.reload();
  };

  return (
    <>
      <h1>{u.title}</h1>
      <p>{u.intro}</p>
      <ErrorNotice error={list.error ?? action.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">{u.name}</th>
            <th scope="col">{u.email}</th>
            <th scope="col">{u.role}</th>
            <th scope="col">{u.secondFactor}</th>
            {manage && (
              <th scope="col">
                <span className="visually-hidden">{u.remove}</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((user) => (
            <tr key={user.id}>
              <td>{user.displayName}</td>
              <td>{user.email}</td>
              <td>
                {manage && user.id !== session.user.id ? (
                  // Chosen, then applied with the button: moving through the list changes nothing.
                  <span className="role-change">
                    <select
                      aria-label={`${u.role} : ${user.displayName}`}
                      value={chosen[user.id] ?? roleIn(user)}
                      onChange={(e) => setChosen({ ...chosen, [user.id]: e.target.value })}
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {u.roles[r]}
                        </option>
                      ))}
                    </select>{' '}
                    <button
                      type="button"
                      className="secondary"
                      disabled={!chosen[user.id] || chosen[user.id] === roleIn(user)}
                      onClick={() => setRole(user.id, chosen[user.id]!)}
                    >
                      {u.changeRole}
                    </button>
                  </span>
                ) : (
                  (u.roles[roleIn(user)] ?? roleIn(user))
                )}
              </td>
              <td>{user.secondFactor ? t.yes : t.no}</td>
              {manage && (
                <td>
                  {user.id !== session.user.id && (
                    <button
                      type="button"
                      className="secondary"
                      onClick={() => confirm(u.confirmRemove(user.displayName)) && remove(user.id)}
                    >
                      {u.remove}
                    </button>
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {manage && (
        <section>
          <h2>{u.add}</h2>
          <form onSubmit={add}>
            <TextField label={u.name} name="displayName" required />
            <TextField label={u.email} name="email" type="email" required autoComplete="off" />
            <SelectField
              label={u.role}
              name="role"
              defaultValue="manager"
              options={ROLES.map((r): [string, string] => [r, u.roles[r]!])}
            />
            <button type="submit" disabled={action.busy}>
              {u.submit}
            </button>
          </form>
          {initial && (
            <p className="notice ok" role="status">
              {u.initialPassword} <code>{initial}</code>
            </p>
          )}
        </section>
      )}
    </>
  );
}
