// Segment builder: conditions on the fields the organisation's policy pack allows (the server's
// list, SEG-1), with live counts of how many each channel may lawfully reach. A filter pasted as
// JSON goes to the same count, so a forbidden field there is refused with SEG-2 and its fix.
import { useEffect, useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { Count, Segment, SegmentField } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { TextArea, TextField } from '../../components/Field.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

type Condition = { field: string; op: string; value: string; value2: string };

const NUMERIC = new Set(['age', 'birthYear']);
const BOOLEAN = (field: string) => field.startsWith('consent.');

function scalar(field: string, text: string): string | number | boolean {
  // The select shows "yes" until changed: an empty value means true, as displayed.
  if (BOOLEAN(field)) return text !== 'false';
  if (NUMERIC.has(field) && text.trim() !== '' && !Number.isNaN(Number(text))) return Number(text);
  return text.trim();
}

/** The builder's rows -> the API's filter tree ({"and": [predicates]}). */
export function toFilter(conditions: Condition[]) {
  return {
    and: conditions.map((c) => ({
      field: c.field,
      op: c.op,
      value:
        c.op === 'between'
          ? [scalar(c.field, c.value), scalar(c.field, c.value2)]
          : c.op === 'in'
            ? c.value.split(',').map((v) => scalar(c.field, v))
            : scalar(c.field, c.value),
    })),
  };
}

export function SegmentsPage() {
  const { t } = useI18n();
  const g = t.segments;
  const { org, can } = useOrg();
  const fields = useLoad(
    () => api<{ items: SegmentField[] }>('GET', `/api/orgs/${org.id}/segment-fields`),
    [org.id],
  );
  const saved = useLoad(
    () => api<{ items: Segment[] }>('GET', `/api/orgs/${org.id}/segments`),
    [org.id],
  );
  const [conditions, setConditions] = useState<Condition[]>([]);
  const [pasted, setPasted] = useState<unknown>();
  const [count, setCount] = useState<Count>();
  const [countError, setCountError] = useState<unknown>();
  const save = useAction();
  const byName = new Map((fields.data?.items ?? []).map((f) => [f.field, f]));
  const filter = pasted ?? toFilter(conditions);
  const filterKey = JSON.stringify(filter);

  // Live counts, a moment after the last change.
  useEffect(() => {
    const timer = setTimeout(() => {
      api<Count>('POST', `/api/orgs/${org.id}/segments/count`, {
        where: JSON.parse(filterKey),
      }).then(
        (c) => {
          setCount(c);
          setCountError(undefined);
        },
        (e: unknown) => {
          setCount(undefined);
          setCountError(e);
        },
      );
    }, 250);
    return () => clearTimeout(timer);
  }, [filterKey, org.id]);

  const update = (i: number, change: Partial<Condition>) => {
    setPasted(undefined);
    setConditions((cs) => cs.map((c, j) => (j === i ? { ...c, ...change } : c)));
  };
  const add = () => {
    const first = fields.data?.items[0];
    if (!first) return;
    setPasted(undefined);
    setConditions((cs) => [
      ...cs,
      { field: first.field, op: first.ops[0]!, value: '', value2: '' },
    ]);
  };

  const applyPaste = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = String(new FormData(e.currentTarget).get('json') ?? '');
    try {
      setPasted(JSON.parse(text));
    } catch {
      setCount(undefined);
      setCountError(new Error(g.invalidJson));
    }
  };

  const submitSave = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const name = String(new FormData(form).get('name') ?? '').trim();
    if (
      await save.run(() => api('POST', `/api/orgs/${org.id}/segments`, { name, where: filter }))
    ) {
      saved.reload();
      form.reset();
    }
  };

  return (
    <>
      <h1>{g.title}</h1>
      <p>{g.intro}</p>
      <ErrorNotice error={fields.error} />
      <div className="columns">
        <section aria-labelledby="conditions-title">
          <h2 id="conditions-title">{g.conditions}</h2>
          {conditions.map((c, i) => {
            const spec = byName.get(c.field);
            return (
              <fieldset key={i} className="condition">
                <legend className="visually-hidden">
                  {g.field} {i + 1}
                </legend>
                <label>
                  <span className="visually-hidden">{g.field}</span>
                  <select
                    value={c.field}
                    aria-label={`${g.field} ${i + 1}`}
                    onChange={(e) => {
                      const next = byName.get(e.target.value)!;
                      update(i, { field: next.field, op: next.ops[0]!, value: '', value2: '' });
                    }}
                  >
                    {(fields.data?.items ?? []).map((f) => (
                      <option key={f.field} value={f.field}>
                        {g.fields[f.field] ?? f.field}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  <span className="visually-hidden">{g.op}</span>
                  <select
                    value={c.op}
                    aria-label={`${g.op} ${i + 1}`}
                    onChange={(e) => update(i, { op: e.target.value })}
                  >
                    {(spec?.ops ?? []).map((op) => (
                      <option key={op} value={op}>
                        {g.ops[op] ?? op}
                      </option>
                    ))}
                  </select>
                </label>
                {BOOLEAN(c.field) ? (
                  <select
                    value={c.value || 'true'}
                    aria-label={`${g.value} ${i + 1}`}
                    onChange={(e) => update(i, { value: e.target.value })}
                  >
                    <option value="true">{t.yes}</option>
                    <option value="false">{t.no}</option>
                  </select>
                ) : spec?.values && c.op === 'eq' ? (
                  // SEG-2: csp is a choice among INSEE PCS 2020 codes, with their French labels.
                  <select
                    value={c.value}
                    aria-label={`${g.value} ${i + 1}`}
                    onChange={(e) => update(i, { value: e.target.value })}
                  >
                    <option value="" disabled>
                      {spec.describe}
                    </option>
                    {spec.values.map((v) => (
                      <option key={v.code} value={v.code}>
                        {v.level === 'category' ? '\u00a0\u00a0' : ''}
                        {v.code} — {v.label}
                      </option>
                    ))}
                  </select>
                ) : (
                  <input
                    value={c.value}
                    aria-label={`${g.value} ${i + 1}`}
                    title={spec?.describe}
                    placeholder={spec?.describe}
                    // SEG-2: a strict format (pollingStation: four digits), checked by the server too.
                    pattern={spec?.format}
                    inputMode={spec?.format ? 'numeric' : undefined}
                    onChange={(e) => update(i, { value: e.target.value })}
                  />
                )}
                {c.op === 'between' && (
                  <>
                    <span>{g.to}</span>
                    <input
                      value={c.value2}
                      aria-label={`${g.value} ${i + 1} (2)`}
                      onChange={(e) => update(i, { value2: e.target.value })}
                    />
                  </>
                )}
                <button
                  type="button"
                  className="secondary"
                  onClick={() => setConditions((cs) => cs.filter((_, j) => j !== i))}
                >
                  {g.remove}
                </button>
              </fieldset>
            );
          })}
          <button type="button" className="secondary" onClick={add}>
            + {g.add}
          </button>

          <form onSubmit={applyPaste} className="paste">
            <TextArea label={g.paste} name="json" hint={g.pasteHint} rows={4} spellCheck={false} />
            <button type="submit" className="secondary">
              {g.applyPaste}
            </button>{' '}
            {pasted !== undefined && (
              <button type="button" className="secondary" onClick={() => setPasted(undefined)}>
                {g.clearPaste}
              </button>
            )}
          </form>
        </section>

        <section aria-labelledby="counts-title" aria-live="polite" className="counts">
          <h2 id="counts-title">{g.counts}</h2>
          {pasted !== undefined && <p className="hint">{g.usingPaste}</p>}
          <ErrorNotice error={countError} />
          {count && (
            <dl className="figures" data-testid="segment-counts">
              <div>
                <dt>{g.total}</dt>
                <dd data-testid="count-total">{count.total}</dd>
              </div>
              {Object.entries(count.reachable).map(([channel, n]) => (
                <div key={channel}>
                  <dt>{t.channels[channel]}</dt>
                  <dd data-testid={`count-${channel}`}>{n}</dd>
                </div>
              ))}
            </dl>
          )}
          {can('segment.manage') && (
            <form onSubmit={submitSave}>
              <TextField label={g.name} name="name" required />
              <ErrorNotice error={save.error} />
              <button type="submit" disabled={save.busy || !!countError}>
                {g.save}
              </button>
            </form>
          )}
        </section>
      </div>
      <h2>{g.saved}</h2>
      <ul>
        {(saved.data?.items ?? []).map((s) => (
          <li key={s.id}>{s.name}</li>
        ))}
      </ul>
    </>
  );
}
