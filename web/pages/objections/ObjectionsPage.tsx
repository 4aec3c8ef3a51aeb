// Recording an objection received by letter, reply or call (OPT-1): the person stops receiving
// anything at once, on every channel; only a keyed fingerprint is kept (OPT-3).
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { SelectField, TextField } from '../../components/Field.tsx';
import { useAction } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

export function ObjectionsPage() {
  const { t } = useI18n();
  const o = t.objections;
  const { org } = useOrg();
  const [by, setBy] = useState<'email' | 'phone'>('email');
  const [done, setDone] = useState<number>();
  const action = useAction();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(undefined);
    const form = e.currentTarget;
    const f = new FormData(form);
    const result = await action.run(() =>
      api<{ contacts: number }>('POST', `/api/orgs/${org.id}/objections`, {
        [by]: String(f.get('value') ?? '').trim(),
        method: f.get('method'),
      }),
    );
    if (result) {
      setDone(result.contacts);
      form.reset();
    }
  };
  return (
    <>
      <h1>{o.title}</h1>
      <p>{o.intro}</p>
      <form onSubmit={submit}>
        <fieldset>
          <legend>{o.by}</legend>
          <label className="radio">
            <input
              type="radio"
              name="by"
              checked={by === 'email'}
              onChange={() => setBy('email')}
            />{' '}
            {o.email}
          </label>
          <label className="radio">
            <input
              type="radio"
              name="by"
              checked={by === 'phone'}
              onChange={() => setBy('phone')}
            />{' '}
            {o.phone}
          </label>
        </fieldset>
        <TextField
          label={o.value}
          name="value"
          type={by === 'email' ? 'email' : 'tel'}
          required
          autoComplete="off"
        />
        <SelectField label={o.method} name="method" options={Object.entries(o.methods)} />
        <ErrorNotice error={action.error} />
        {done !== undefined && (
          <p className="notice ok" role="status">
            {o.done(done)}
          </p>
        )}
        <button type="submit" disabled={action.busy}>
          {o.submit}
        </button>
      </form>
    </>
  );
}
