// Changing one's password (POST /api/session/password); the account's other sessions end. A first
// password handed over by an owner is meant to be changed here at once.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { TextField } from '../../components/Field.tsx';
import { useAction } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';

/** With `onDone`: the forced change after signing in with a handed-over password. */
export function PasswordPage({ onDone }: { onDone?: () => void } = {}) {
  const { t } = useI18n();
  const p = t.password;
  const [done, setDone] = useState(false);
  const action = useAction();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(false);
    const form = e.currentTarget;
    const f = new FormData(form);
    if (f.get('newPassword') !== f.get('again'))
      return action.setError(new Error(t.setup.mismatch));
    const ok = await action.run(() =>
      api('POST', '/api/session/password', {
        currentPassword: f.get('currentPassword'),
        newPassword: f.get('newPassword'),
      }),
    );
    if (ok) {
      setDone(true);
      form.reset();
      onDone?.();
    }
  };
  return (
    <>
      <h1>{p.title}</h1>
      <p>{p.intro}</p>
      <form onSubmit={submit}>
        <TextField
          label={p.current}
          name="currentPassword"
          type="password"
          required
          autoComplete="current-password"
        />
        <TextField
          label={p.next}
          name="newPassword"
          type="password"
          required
          minLength={12}
          autoComplete="new-password"
        />
        <TextField
          label={t.setup.passwordAgain}
          name="again"
          type="password"
          required
          minLength={12}
          autoComplete="new-password"
        />
        <ErrorNotice error={action.error} />
        {done && (
          <p className="notice ok" role="status">
            {p.done}
          </p>
        )}
        <button type="submit" disabled={action.busy}>
          {p.submit}
        </button>
      </form>
    </>
  );
}
