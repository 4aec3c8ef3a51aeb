// Finding a person (issue 15, item 5): by email, phone, or family name + first names + birth date.
// The value goes in the request body, never in the URL; the server searches the blind indexes
// and audits the search without the value. Results are cards (phone-sized screens).
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { ContactHit } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { TextField } from '../../components/Field.tsx';
import { Link } from '../../components/Link.tsx';
import { useAction } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

type By = 'email' | 'phone' | 'name';

export function PeopleSearchPage() {
  const { t } = useI18n();
  const p = t.people;
  const { org } = useOrg();
  const [by, setBy] = useState<By>('email');
  const [items, setItems] = useState<ContactHit[]>();
  const action = useAction();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const value = (name: string) => String(f.get(name) ?? '').trim();
    const body =
      by === 'name'
        ? {
            familyName: value('familyName'),
            firstNames: value('firstNames'),
            birthDate: value('birthDate'),
          }
        : { [by]: value(by) };
    const result = await action.run(() =>
      api<{ items: ContactHit[] }>('POST', `/api/orgs/${org.id}/contacts/search`, body),
    );
    setItems(result?.items);
  };
  const ways: [By, string][] = [
    ['email', p.byEmail],
    ['phone', p.byPhone],
    ['name', p.byName],
  ];
  return (
    <>
      <h1>{p.title}</h1>
      <p>{p.intro}</p>
      <form onSubmit={submit}>
        <fieldset>
          <legend>{p.by}</legend>
          {ways.map(([way, label]) => (
            <label className="radio" key={way}>
              <input
                type="radio"
                name="by"
                checked={by === way}
                onChange={() => {
                  setBy(way);
                  setItems(undefined);
                }}
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        {by === 'email' && (
          <TextField label={p.email} name="email" type="email" required autoComplete="off" />
        )}
        {by === 'phone' && (
          <TextField label={p.phone} name="phone" type="tel" required autoComplete="off" />
        )}
        {by === 'name' && (
          <>
            <TextField label={p.familyName} name="familyName" required autoComplete="off" />
            <TextField label={p.firstNames} name="firstNames" required autoComplete="off" />
            <TextField label={p.birthDate} name="birthDate" type="date" required />
          </>
        )}
        <ErrorNotice error={action.error} />
        <button type="submit" disabled={action.busy}>
          {p.search}
        </button>
      </form>
      {items && (
        <section aria-labelledby="people-results">
          <h2 id="people-results">{p.results}</h2>
          <p role="status">{items.length ? p.found(items.length) : p.none}</p>
          <ul className="cards people">
            {items.map((i) => {
              const name = [i.firstNames, i.name].filter(Boolean).join(' ') || p.unnamed;
              return (
                <li className="card" key={i.contactId}>
                  <Link href={`/people/${i.contactId}`}>{p.open(name)}</Link>
                  <dl>
                    {i.email && (
                      <>
                        <dt>{p.email}</dt>
                        <dd>{i.email}</dd>
                      </>
                    )}
                    {i.phone && (
                      <>
                        <dt>{p.phone}</dt>
                        <dd>{i.phone}</dd>
                      </>
                    )}
                    <dt>{p.sources}</dt>
                    <dd>{i.sourceTypes.map((s) => t.sourceTypes[s]?.[0] ?? s).join(', ')}</dd>
                  </dl>
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </>
  );
}
