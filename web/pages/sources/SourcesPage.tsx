// Sources: the type picker explains each lawful type and lists the forbidden ones, which the
// server refuses with their rule (SRC-1, SRC-7); a purchased file needs its attestation (SRC-3).
// Elections are declared here too, since an electoral list belongs to one.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { Election, Source } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { SelectField, TextArea, TextField } from '../../components/Field.tsx';
import { Link } from '../../components/Link.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

type SourceTypes = {
  lawful: string[];
  forbidden: { type: string; rule: string; message: string }[];
};

/** Sources collected directly from the people (SRC-4): where, and with which notice. */
const DIRECT = new Set(['supporter_signup', 'door_to_door', 'referral', 'member_file']);

const today = () => new Date().toISOString().slice(0, 10);

export function SourcesPage() {
  const { t } = useI18n();
  const s = t.sources;
  const { org, can } = useOrg();
  const sources = useLoad(
    () => api<{ items: Source[] }>('GET', `/api/orgs/${org.id}/sources`),
    [org.id],
  );
  const elections = useLoad(
    () => api<{ items: Election[] }>('GET', `/api/orgs/${org.id}/elections`),
    [org.id],
  );
  const types = useLoad(() => api<SourceTypes>('GET', '/api/source-types'), []);
  const [type, setType] = useState('electoral_list');
  const [created, setCreated] = useState<string>();
  const create = useAction();
  const addElection = useAction();

  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setCreated(undefined);
    const form = e.currentTarget;
    const f = new FormData(form);
    const v = (k: string) => String(f.get(k) ?? '').trim();
    const body: Record<string, unknown> = { type, label: v('label'), obtainedOn: v('obtainedOn') };
    if (v('electionId')) body.electionId = v('electionId');
    if (v('publicDescription')) body.publicDescription = v('publicDescription');
    if (DIRECT.has(type) && (v('where') || v('notice')))
      body.collection = {
        ...(v('where') ? { where: v('where') } : {}),
        ...(v('notice') ? { notice: v('notice') } : {}),
      };
    if (type === 'purchased_file')
      body.attestation = {
        provider: v('provider'),
        date: v('attestationDate'),
        consentWording: v('consentWording'),
        proofReference: v('proofReference'),
      };
    const source = await create.run(() => api<Source>('POST', `/api/orgs/${org.id}/sources`, body));
    if (source) {
      setCreated(source.label);
      sources.reload();
      form.reset();
    }
  };

  const submitElection = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    const v = (k: string) => String(f.get(k) ?? '').trim();
    const body: Record<string, unknown> = {
      name: v('name'),
      round1: v('round1'),
      territory: v('territory')
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
    };
    if (v('round2')) body.round2 = v('round2');
    if (await addElection.run(() => api('POST', `/api/orgs/${org.id}/elections`, body))) {
      elections.reload();
      form.reset();
    }
  };

  const electionOptions: [string, string][] = [
    ['', s.noElection],
    ...(elections.data?.items ?? []).map((e): [string, string] => [e.id, e.name]),
  ];
  const allTypes = [
    ...(types.data?.lawful ?? []).map((type) => ({ type, forbidden: undefined })),
    ...(types.data?.forbidden ?? []).map((f) => ({ type: f.type, forbidden: f })),
  ];

  return (
    <>
      <h1>{s.title}</h1>
      <p>{s.intro}</p>
      <ErrorNotice error={sources.error ?? types.error} />
      <h2>{s.list}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{s.label}</th>
            <th scope="col">{s.type}</th>
            <th scope="col">{s.obtainedOn}</th>
            <th scope="col">
              <span className="visually-hidden">{s.import}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(sources.data?.items ?? []).map((src) => (
            <tr key={src.id}>
              <td>{src.label}</td>
              <td>{t.sourceTypes[src.type]?.[0] ?? src.type}</td>
              <td>{src.obtainedOn}</td>
              <td>
                {can('import.run') && (
                  <Link
                    href={`/sources/${src.id}/import`}
                    aria-label={`${s.import} : ${src.label}`}
                  >
                    {s.import}
                  </Link>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <section>
        <h2>{s.elections}</h2>
        <ul>
          {(elections.data?.items ?? []).map((e) => (
            <li key={e.id}>
              {e.name} — {e.rounds.map((r) => r.date).join(', ')}
            </li>
          ))}
        </ul>
        {can('org.manage') && <h3 id="add-election">{s.addElection}</h3>}
        {can('org.manage') && (
          <form onSubmit={submitElection} className="inline-form" aria-labelledby="add-election">
            <TextField label={s.electionName} name="name" required />
            <TextField label={s.round1} name="round1" type="date" required />
            <TextField label={s.round2} name="round2" type="date" />
            <TextField label={s.territory} name="territory" />
            <ErrorNotice error={addElection.error} />
            <button type="submit" disabled={addElection.busy}>
              {s.addElectionSubmit}
            </button>
          </form>
        )}
      </section>

      {can('source.manage') && (
        <section>
          <h2>{s.add}</h2>
          <form onSubmit={submit}>
            <fieldset>
              <legend>{s.type}</legend>
              <div className="type-picker">
                {allTypes.map(({ type: name, forbidden }) => (
                  <label key={name} className={forbidden ? 'type forbidden' : 'type'}>
                    <input
                      type="radio"
                      name="type"
                      value={name}
                      checked={type === name}
                      onChange={() => setType(name)}
                    />
                    <span className="type-name">
                      {t.sourceTypes[name]?.[0] ?? name}
                      {forbidden && (
                        <span className="badge danger">
                          {s.forbidden} · {forbidden.rule}
                        </span>
                      )}
                    </span>
                    <span className="hint">{t.sourceTypes[name]?.[1]}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            <TextField label={s.label} name="label" required hint={s.labelHint} />
            <TextField
              label={s.publicDescription}
              name="publicDescription"
              maxLength={300}
              hint={s.publicDescriptionHint}
            />
            <TextField
              label={s.obtainedOn}
              name="obtainedOn"
              type="date"
              required
              defaultValue={today()}
            />
            <SelectField label={s.election} name="electionId" options={electionOptions} />
            {DIRECT.has(type) && (
              <fieldset>
                <legend>{s.collection}</legend>
                <TextField label={s.where} name="where" />
                <TextArea label={s.notice} name="notice" rows={3} />
              </fieldset>
            )}
            {type === 'purchased_file' && (
              <fieldset>
                <legend>{s.attestation}</legend>
                <TextField label={s.provider} name="provider" required />
                <TextField label={s.attestationDate} name="attestationDate" type="date" required />
                <TextArea label={s.consentWording} name="consentWording" required rows={3} />
                <TextField label={s.proofReference} name="proofReference" required />
              </fieldset>
            )}
            <ErrorNotice error={create.error} />
            {created && (
              <p className="notice ok" role="status">
                {s.created} {created}
              </p>
            )}
            <button type="submit" disabled={create.busy}>
              {s.submit}
            </button>
          </form>
        </section>
      )}
    </>
  );
}
