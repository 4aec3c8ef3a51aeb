import type { FormEvent } from 'react';
import { api, setCsrfToken } from '../../api/client.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { TextField } from '../../components/Field.tsx';
import { useAction } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { LanguagePicker } from './LanguagePicker.tsx';

export function SignInPage({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const done = await run(() =>
      api<{ csrfToken: string }>('POST', '/api/session', {
        email: f.get('email'),
        password: f.get('password'),
      }),
    );
    if (done) {
      setCsrfToken(done.csrfToken);
      onDone();
    }
  };
  return (
    <main className="narrow" id="main">
      <LanguagePicker />
      <h1>{t.signIn.title}</h1>
      <form onSubmit={submit}>
        <TextField
          label={t.signIn.email}
          name="email"
          type="email"
          required
          autoComplete="username"
        />
        <TextField
          label={t.signIn.password}
          name="password"
          type="password"
          required
          autoComplete="current-password"
        />
        <ErrorNotice error={error} />
        <button type="submit" disabled={busy}>
          {t.signIn.submit}
        </button>
      </form>
    </main>
  );
}
