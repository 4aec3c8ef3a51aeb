// The DPO's queue of rights requests (RIGHTS-1): each confirmed request with its clock (overdue in
// red, due this week highlighted, days left; said in words, not by colour alone), a filter by
// status, and a request's panel (/requests/:requestId, ids only in the path) to answer it or to
// extend its deadline once. A letter or a phone call is answered from the people search.
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { RightsRequest, RightsRequestDetail } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { SelectField, TextArea, TextField } from '../../components/Field.tsx';
import { Link } from '../../components/Link.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';
import { navigate } from '../../router.ts';
import { formatDay, requestClock } from './clock.ts';
import { Pair } from './Pair.tsx';

const STATUSES = ['open', 'extended', 'answered', 'awaiting_code', 'locked', 'expired'] as const;

export function RequestsPage({ requestId }: { requestId?: string }) {
  const { t } = useI18n();
  const r = t.requests;
  const { org, can } = useOrg();
  const [status, setStatus] = useState('');
  const list = useLoad(
    () =>
      api<{ items: RightsRequest[] }>(
        'GET',
        `/api/orgs/${org.id}/requests${status ? `?status=${encodeURIComponent(status)}` : ''}`,
      ),
    [org.id, status],
  );
  const items = list.data?.items ?? [];
  return (
    <>
      <h1>{r.title}</h1>
      <p>{r.intro}</p>
      {can('contact.search') && (
        <p>
          <Link href="/people">{r.people}</Link>
        </p>
      )}
      <div className="filters">
        <SelectField
          label={r.filter}
          name="status"
          value={status}
          onChange={(e) => setStatus(e.target.value)}
          options={[
            ['', r.current],
            ...STATUSES.map((s): [string, string] => [s, r.statuses[s] ?? s]),
          ]}
        />
      </div>
      <ErrorNotice error={list.error} />
      {requestId && (
        <RequestPanel
          key={requestId}
          requestId={requestId}
          onChanged={list.reload}
          canAnswer={can('request.answer')}
        />
      )}
      {list.data && items.length === 0 && <p>{r.none}</p>}
      <ul className="cards" aria-label={r.title} style={{ listStyle: 'none', padding: 0 }}>
        {items.map((item) => (
          <RequestCard key={item.id} item={item} current={item.id === requestId} />
        ))}
      </ul>
    </>
  );
}

function RequestCard({ item, current }: { item: RightsRequest; current: boolean }) {
  const { t, lang } = useI18n();
  const r = t.requests;
  const kind = r.kinds[item.kind] ?? item.kind;
  return (
    <li
      className="card request"
      data-testid="request"
      aria-current={current ? 'true' : undefined}
      style={{ flex: '1 1 17rem', maxWidth: '24rem' }}
    >
      <h2 style={{ margin: '0 0 0.4rem' }}>{kind}</h2>
      <Clock item={item} />
      <dl style={{ margin: '0.5rem 0' }}>
        <Pair term={r.status} value={r.statuses[item.status] ?? item.status} />
        <Pair term={r.channel} value={r.channels[item.channel] ?? item.channel} />
        <Pair term={r.received} value={formatDay(lang, item.receivedAt)} />
        <Pair term={r.due} value={formatDay(lang, item.dueAt)} />
        {item.outcome && <Pair term={r.outcome} value={r.outcomes[item.outcome] ?? item.outcome} />}
      </dl>
      <Link
        href={`/requests/${item.id}`}
        aria-label={`${r.open}, ${r.panel(kind, formatDay(lang, item.receivedAt))}`}
      >
        {r.open}
      </Link>
    </li>
  );
}

/** The clock in words, coloured as well: red when overdue, highlighted within the week. */
function Clock({ item }: { item: Pick<RightsRequest, 'status' | 'dueAt' | 'answeredAt'> }) {
  const { t, lang } = useI18n();
  const r = t.requests;
  const clock = requestClock(item, new Date());
  switch (clock.kind) {
    case 'overdue':
      return (
        <p className="badge danger" data-testid="clock" style={{ margin: 0 }}>
          <span aria-hidden="true">⚠ </span>
          {r.overdue(clock.days)}
        </p>
      );
    case 'today':
    case 'soon':
      return (
        <p
          className="badge"
          data-testid="clock"
          style={{ margin: 0, background: 'var(--warn-bg)', color: '#6b4000' }}
        >
          {clock.kind === 'today' ? r.dueToday : r.dueSoon(clock.days)}
        </p>
      );
    case 'later':
      return (
        <p data-testid="clock" style={{ margin: 0 }}>
          {r.daysLeft(clock.days)}
        </p>
      );
    case 'closed':
      return (
        <p data-testid="clock" style={{ margin: 0 }}>
          {item.answeredAt ? r.answeredOn(formatDay(lang, item.answeredAt)) : r.statuses.answered}
        </p>
      );
    default:
      return null;
  }
}

function RequestPanel(props: { requestId: string; canAnswer: boolean; onChanged: () => void }) {
  const { t, lang } = useI18n();
  const r = t.requests;
  const detail = useLoad(
    () => api<RightsRequestDetail>('GET', `/api/requests/${props.requestId}`),
    [props.requestId],
  );
  const action = useAction();
  const [done, setDone] = useState<string>();
  const send = async (e: FormEvent<HTMLFormElement>, extend: boolean) => {
    e.preventDefault();
    setDone(undefined);
    const form = e.currentTarget;
    const f = new FormData(form);
    const body = extend
      ? { note: String(f.get('note') ?? '').trim(), extendDays: Number(f.get('extendDays')) }
      : { note: String(f.get('note') ?? '').trim() };
    const result = await action.run(() =>
      api<{ id: string; status: string; dueAt: string }>(
        'POST',
        `/api/requests/${props.requestId}/answer`,
        body,
      ),
    );
    if (result) {
      form.reset();
      setDone(extend ? r.extended(formatDay(lang, result.dueAt)) : r.answered);
      detail.reload();
      props.onChanged();
    }
  };
  const d = detail.data;
  const kind = d ? (r.kinds[d.kind] ?? d.kind) : '';
  const pending = d && (d.status === 'open' || d.status === 'extended');
  return (
    <section
      aria-labelledby={d ? 'request-panel' : undefined}
      className="card"
      data-testid="request-panel"
      style={{ margin: '1rem 0', maxWidth: '48rem', background: 'var(--paper)' }}
    >
      <ErrorNotice error={detail.error} />
      {d && (
        <>
          <h2 id="request-panel" style={{ marginTop: 0 }}>
            {r.panel(kind, formatDay(lang, d.receivedAt))}
          </h2>
          <Clock item={d} />
          <dl>
            <Pair term={r.status} value={r.statuses[d.status] ?? d.status} />
            <Pair term={r.channel} value={r.channels[d.channel] ?? d.channel} />
            <Pair term={r.due} value={formatDay(lang, d.dueAt)} />
            {d.outcome && <Pair term={r.outcome} value={r.outcomes[d.outcome] ?? d.outcome} />}
            {d.extensionReason && <Pair term={r.extensionReason} value={d.extensionReason} />}
            {d.answerNote && <Pair term={r.answerNote} value={d.answerNote} />}
          </dl>
          {d.details && (
            <>
              <h3>{r.details}</h3>
              <p className="message-text">{d.details}</p>
            </>
          )}
          {d.messageRef && (
            <p>
              {r.fromMessage} <a href={`/m/${d.messageRef}`}>{d.messageRef}</a>
            </p>
          )}
          <h3>{r.contacts}</h3>
          {d.contactIds && d.contactIds.length > 0 ? (
            <ul>
              {d.contactIds.map((id, i) => (
                <li key={id}>
                  <Link href={`/people/${id}`}>{r.contact(i + 1)}</Link>
                </li>
              ))}
            </ul>
          ) : (
            <p>{r.noContact}</p>
          )}
          {done && (
            <p className="notice ok" role="status">
              {done}
            </p>
          )}
          <ErrorNotice error={action.error} />
          {props.canAnswer && pending && (
            <div className="columns">
              <form onSubmit={(e) => send(e, false)} aria-labelledby="answer-title">
                <h3 id="answer-title">{r.answerTitle}</h3>
                <TextArea label={r.note} hint={r.noteHint} name="note" rows={5} required />
                <button type="submit" disabled={action.busy}>
                  {r.answer}
                </button>
              </form>
              {d.extended || d.status === 'extended' ? (
                <p>{r.alreadyExtended}</p>
              ) : (
                <form onSubmit={(e) => send(e, true)} aria-labelledby="extend-title">
                  <h3 id="extend-title">{r.extendTitle}</h3>
                  <p className="hint">{r.extendHint}</p>
                  <TextField
                    label={r.days}
                    name="extendDays"
                    type="number"
                    min={1}
                    max={61}
                    required
                  />
                  <TextArea label={r.reason} name="note" rows={3} required />
                  <button type="submit" className="secondary" disabled={action.busy}>
                    {r.extend}
                  </button>
                </form>
              )}
            </div>
          )}
          <p>
            <button type="button" className="link" onClick={() => navigate('/requests')}>
              {r.close}
            </button>
          </p>
        </>
      )}
    </section>
  );
}
