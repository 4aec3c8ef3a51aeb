import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { TextField } from '../../components/Field.tsx';
import { useAction } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { LanguagePicker } from './LanguagePicker.tsx';

export function SecondFactorPage({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [recovery, setRecovery] = useState(false);
  const { busy, error, run } = useAction();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const value = String(new FormData(e.currentTarget).get('code') ?? '').trim();
    const done = await run(() =>
      api(
        'POST',
        '/api/session/second-factor',
        recovery ? { recoveryCode: value } : { code: value },
      ),
    );
    if (done) onDone();
  };
  return (
    <main className="narrow" id="main">
      <LanguagePicker />
      <h1>{t.secondFactor.title}</h1>
      <p>{t.secondFactor.intro}</p>
      <form onSubmit={submit}>
        {recovery ? (
          <TextField
            key="r"
            label={t.secondFactor.recoveryCode}
            name="code"
            required
            autoComplete="off"
          />
        ) : (
          <TextField
            key="c"
            label={t.secondFactor.code}
            name="code"
            required
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]{6,7}"
          />
        )}
        <ErrorNotice error={error} />
        <button type="submit" disabled={busy}>
          {t.secondFactor.submit}
        </button>{' '}
        <button type="button" className="link" onClick={() => setRecovery(!recovery)}>
          {recovery ? t.secondFactor.useApp : t.secondFactor.useRecovery}
        </button>
      </form>
    </main>
  );
}
