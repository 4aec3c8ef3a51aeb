// First run: the organisation (data controller) and its owner, in one form; the server allows it
// only while no account exists, and only from its own machine. Then the second factor is enrolled.
import { useState, type FormEvent } from 'react';
import { api, setCsrfToken } from '../../api/client.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { SelectField, TextArea, TextField } from '../../components/Field.tsx';
import { useAction } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { LanguagePicker } from '../session/LanguagePicker.tsx';

export function SetupPage({ onDone }: { onDone: () => void }) {
  const { t } = useI18n();
  const s = t.setup;
  const [jurisdiction, setJurisdiction] = useState('FR');
  const { busy, error, run, setError } = useAction();

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const v = (k: string) => String(f.get(k) ?? '').trim();
    if (f.get('password') !== f.get('passwordAgain')) return setError(new Error(s.mismatch));
    const organisation: Record<string, string> = {
      legalName: v('legalName'),
      postalAddress: v('postalAddress'),
      contactEmail: v('contactEmail'),
      dpoEmail: v('dpoEmail'),
      jurisdiction,
      noticePurposes: v('noticePurposes'),
      noticeRecipients: v('noticeRecipients'),
    };
    if (v('dpoName')) organisation.dpoName = v('dpoName');
    if (jurisdiction === 'MA' && v('cndpReceipt')) organisation.cndpReceipt = v('cndpReceipt');
    const done = await run(() =>
      api<{ csrfToken: string }>('POST', '/api/setup', {
        organisation,
        owner: {
          displayName: v('displayName'),
          email: v('email'),
          password: String(f.get('password')),
        },
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
      <h1>{s.title}</h1>
      <p>{s.intro}</p>
      <form onSubmit={submit}>
        <fieldset>
          <legend>{s.organisation}</legend>
          <TextField label={s.legalName} name="legalName" required autoComplete="organization" />
          <TextArea label={s.postalAddress} name="postalAddress" required rows={2} />
          <TextField label={s.contactEmail} name="contactEmail" type="email" required />
          <TextField label={s.dpoEmail} name="dpoEmail" type="email" required />
          <TextField label={s.dpoName} name="dpoName" />
          <SelectField
            label={s.jurisdiction}
            name="jurisdiction"
            value={jurisdiction}
            onChange={(e) => setJurisdiction(e.target.value)}
            options={Object.entries(s.jurisdictions)}
          />
          {jurisdiction === 'MA' && <TextField label={s.cndpReceipt} name="cndpReceipt" />}
          <TextArea
            label={s.noticePurposes}
            name="noticePurposes"
            hint={s.noticePurposesHint}
            required
            rows={2}
          />
          <TextArea
            label={s.noticeRecipients}
            name="noticeRecipients"
            hint={s.noticeRecipientsHint}
            required
            rows={2}
          />
        </fieldset>
        <fieldset>
          <legend>{s.owner}</legend>
          <TextField label={s.displayName} name="displayName" required autoComplete="name" />
          <TextField label={s.email} name="email" type="email" required autoComplete="username" />
          <TextField
            label={s.password}
            name="password"
            type="password"
            required
            minLength={12}
            autoComplete="new-password"
          />
          <TextField
            label={s.passwordAgain}
            name="passwordAgain"
            type="password"
            required
            minLength={12}
            autoComplete="new-password"
          />
        </fieldset>
        <ErrorNotice error={error} />
        <button type="submit" disabled={busy}>
          {s.submit}
        </button>
      </form>
    </main>
  );
}
