// Second-factor enrolment: a QR code of the otpauth:// URI (drawn here, never sent elsewhere),
// the key in text for those who cannot scan, a first code to confirm, then the ten recovery codes,
// shown once.
import QRCode from 'qrcode';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { TextField } from '../../components/Field.tsx';
import { useAction } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { LanguagePicker } from './LanguagePicker.tsx';

export function EnrolPage({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const [secret, setSecret] = useState<string>();
  const [qr, setQr] = useState<string>();
  const [codes, setCodes] = useState<string[]>();
  const { busy, error, run } = useAction();

  // Once: a second start would replace the secret the QR code shows (React runs effects twice in
  // development's strict mode).
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void run(async () => {
      const started = await api<{ secret: string; uri: string }>('POST', '/api/session/totp');
      setSecret(started.secret);
      setQr(await QRCode.toDataURL(started.uri, { margin: 2, width: 220 }));
    });
  }, [run]);

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const code = String(new FormData(e.currentTarget).get('code') ?? '').trim();
    const done = await run(() =>
      api<{ recoveryCodes: string[] }>('POST', '/api/session/totp/confirm', { code }),
    );
    if (done) setCodes(done.recoveryCodes);
  };

  if (codes)
    return (
      <main className="narrow" id="main">
        <h1>{t.enrol.recoveryTitle}</h1>
        <p>{t.enrol.recoveryIntro}</p>
        <ul className="codes" aria-label={t.enrol.recoveryTitle}>
          {codes.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ul>
        <button type="button" onClick={onDone}>
          {t.enrol.saved}
        </button>
      </main>
    );

  return (
    <main className="narrow" id="main">
      <LanguagePicker />
      <h1>{t.enrol.title}</h1>
      <p>{t.enrol.intro}</p>
      {qr && <img className="qr" src={qr} alt={t.enrol.qr} width={220} height={220} />}
      {secret && (
        <p>
          {t.enrol.secret} :{' '}
          <code className="secret" data-testid="totp-secret">
            {secret}
          </code>
        </p>
      )}
      <form onSubmit={submit}>
        <TextField
          label={t.enrol.code}
          name="code"
          required
          inputMode="numeric"
          autoComplete="one-time-code"
        />
        <ErrorNotice error={error} />
        <button type="submit" disabled={busy || !secret}>
          {t.enrol.submit}
        </button>
      </form>
    </main>
  );
}
