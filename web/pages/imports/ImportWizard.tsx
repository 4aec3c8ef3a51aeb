// Import wizard: upload, see what the file is and what each column becomes (and which are
// dropped, why, under which rule) before anything is stored; then the import with its progress,
// and the summary with rejected rows and their reasons.
import { useState, type FormEvent } from 'react';
import { api, upload } from '../../api/client.ts';
import type { ImportPreview, ImportSummary, Rejection, Source } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { SelectField } from '../../components/Field.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ruleFix } from '../../i18n/rules.ts';
import { useOrg } from '../../org-context.ts';

const DELIMITERS: Record<string, string> = { ';': '« ; »', ',': '« , »', '\t': 'tab' };

export function ImportWizard({ sourceId }: { sourceId: string }) {
  const { t, lang } = useI18n();
  const w = t.importWizard;
  const { can } = useOrg();
  const source = useLoad(() => api<Source>('GET', `/api/sources/${sourceId}`), [sourceId]);
  const [file, setFile] = useState<File>();
  const [encoding, setEncoding] = useState('');
  const [preview, setPreview] = useState<ImportPreview>();
  const [progress, setProgress] = useState<number>();
  const [summary, setSummary] = useState<ImportSummary>();
  const [rejections, setRejections] = useState<Rejection[]>();
  /** Column -> field overrides the user chose (sent as `map` HEADER=FIELD, like `--map`). */
  const [mapping, setMapping] = useState<Record<string, string>>({});
  const action = useAction();

  const form = (map = mapping) => {
    const body = new FormData();
    body.append('file', file!, file!.name);
    if (encoding) body.append('encoding', encoding);
    for (const [header, field] of Object.entries(map)) body.append('map', `${header}=${field}`);
    return body;
  };

  const runPreview = async (map: Record<string, string>) => {
    const p = await action.run(() =>
      upload<ImportPreview>(`/api/sources/${sourceId}/imports/preview`, form(map)),
    );
    if (p) setPreview(p);
  };

  const analyse = async (e: FormEvent) => {
    e.preventDefault();
    setPreview(undefined);
    setSummary(undefined);
    setMapping({});
    await runPreview({});
  };

  // A changed column is previewed again: the server says what it becomes, or refuses it (a
  // birthplace or nationality column can never be mapped to a stored field: SRC-2, SEG-2).
  const remap = async (header: string, field: string) => {
    const next = { ...mapping };
    if (field) next[header] = field;
    else delete next[header];
    setMapping(next);
    await runPreview(next);
  };

  const start = async () => {
    setProgress(0);
    const done = await action.run(() =>
      upload<ImportSummary>(`/api/sources/${sourceId}/imports`, form(), (sent, total) =>
        setProgress(total ? sent / total : 0),
      ),
    );
    setProgress(undefined);
    if (!done) return;
    setSummary(done);
    // Kept rows whose invalid fields were dropped are in the quarantine too (issue 13).
    const kept = Object.keys(done.invalidFields ?? {}).length > 0;
    if ((done.rejected > 0 || kept) && can('import.read_rejected')) {
      const r = await action.run(() =>
        api<{ items: Rejection[] }>('GET', `/api/imports/${done.importId}/rejected`),
      );
      setRejections(r?.items);
    }
  };

  const restart = () => {
    setFile(undefined);
    setPreview(undefined);
    setSummary(undefined);
    setRejections(undefined);
    setMapping({});
  };

  const dropped = preview?.columns.filter((c) => c.dropped) ?? [];
  return (
    <>
      <h1>
        {w.title} « {source.data?.label ?? '…'} »
      </h1>
      <ol className="steps" aria-label={w.steps}>
        <li aria-current={!preview && !summary ? 'step' : undefined}>{w.step1}</li>
        <li aria-current={preview && !summary ? 'step' : undefined}>{w.step2}</li>
        <li aria-current={summary ? 'step' : undefined}>{w.step3}</li>
      </ol>
      <ErrorNotice error={source.error ?? action.error} />

      {!summary && (
        <form onSubmit={analyse} className="inline-form">
          <div className="field">
            <label htmlFor="import-file">{w.file}</label>
            <input
              id="import-file"
              type="file"
              accept=".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              required
              onChange={(e) => {
                setFile(e.target.files?.[0]);
                setPreview(undefined);
              }}
            />
          </div>
          <SelectField
            label={w.encoding}
            value={encoding}
            onChange={(e) => setEncoding(e.target.value)}
            options={[
              ['', w.auto],
              ['utf-8', 'UTF-8'],
              ['windows-1252', 'Windows-1252'],
              ['latin1', 'ISO-8859-1'],
            ]}
          />
          <button type="submit" disabled={!file || action.busy}>
            {w.analyse}
          </button>
        </form>
      )}

      {preview && !summary && (
        <section aria-labelledby="columns-title">
          <h2 id="columns-title">{w.step2}</h2>
          <p data-testid="detected-format">
            {w.format} :{' '}
            <strong>
              {preview.format.kind.toUpperCase()}
              {preview.format.encoding && `, ${preview.format.encoding}`}
              {preview.format.delimiter &&
                `, ${w.delimiter} ${DELIMITERS[preview.format.delimiter] ?? preview.format.delimiter}`}
            </strong>{' '}
            — {w.rows(preview.rows)}
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">{w.header}</th>
                <th scope="col">{w.field}</th>
                <th scope="col">{w.mapTo}</th>
              </tr>
            </thead>
            <tbody>
              {preview.columns.map((c, i) => (
                <tr key={i} className={c.dropped ? 'dropped' : undefined}>
                  <td>{c.header}</td>
                  <td>
                    {c.dropped ? (
                      <span className="badge danger">
                        ✕ {c.dropped.rule ?? ''} {c.field ? (w.fields[c.field] ?? c.field) : ''}
                      </span>
                    ) : (
                      <span className="badge ok">✓ {w.fields[c.field!] ?? c.field}</span>
                    )}
                  </td>
                  <td>
                    <select
                      aria-label={`${w.mapTo} : ${c.header}`}
                      value={mapping[c.header] ?? ''}
                      onChange={(e) => remap(c.header, e.target.value)}
                      disabled={action.busy}
                    >
                      <option value="">{w.automatic}</option>
                      {/* SEG-2: a column naming a forbidden criterion can only be ignored. */}
                      {c.dropped?.reason !== 'forbidden_criterion' &&
                        preview.fields.map((f) => (
                          <option key={f} value={f}>
                            {w.fields[f] ?? f}
                          </option>
                        ))}
                      <option value="ignore">{w.ignore}</option>
                    </select>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {dropped.length > 0 && (
            <section
              className="notice warn"
              aria-labelledby="dropped-title"
              data-testid="dropped-columns"
            >
              <h3 id="dropped-title">{w.droppedTitle}</h3>
              <ul>
                {dropped.map((c) => (
                  <li key={c.header}>
                    <strong>{c.header}</strong>
                    {c.dropped!.rule && <span className="rule-id">{c.dropped!.rule}</span>} :{' '}
                    {w.reasons[c.dropped!.reason]}
                    {c.dropped!.rule && ruleFix(c.dropped!.rule, lang) && (
                      <span className="fix"> {ruleFix(c.dropped!.rule, lang)}</span>
                    )}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <button type="button" onClick={start} disabled={action.busy}>
            {w.start}
          </button>
          {progress !== undefined && (
            <div className="progress-block">
              <label htmlFor="upload-progress">{progress < 1 ? w.uploading : w.importing}</label>
              <progress id="upload-progress" max={1} value={progress < 1 ? progress : undefined} />
            </div>
          )}
        </section>
      )}

      {summary && (
        <section aria-labelledby="summary-title" data-testid="import-summary">
          <h2 id="summary-title">{w.summary}</h2>
          <dl className="figures">
            {(['read', 'imported', 'merged', 'rejected', 'suppressed'] as const).map((k) => (
              <div key={k}>
                <dt>{w[k]}</dt>
                <dd>{summary[k]}</dd>
              </div>
            ))}
          </dl>
          {Object.keys(summary.dropped).length > 0 && (
            <>
              <h3>{w.dropped}</h3>
              <ul>
                {Object.entries(summary.dropped).map(([k, n]) => (
                  <li key={k}>
                    {k} : {n}
                  </li>
                ))}
              </ul>
            </>
          )}
          {Object.keys(summary.droppedRules ?? {}).length > 0 && (
            <>
              <h3>{w.droppedRules}</h3>
              <ul data-testid="dropped-rules">
                {Object.entries(summary.droppedRules ?? {}).map(([column, rule]) => (
                  <li key={column}>
                    {column} : <span className="rule-id">{rule}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
          {Object.keys(summary.rejectedCells ?? {}).length > 0 && (
            <>
              <h3>{w.rejectedCells}</h3>
              <ul data-testid="rejected-cells">
                {Object.entries(summary.rejectedCells ?? {}).map(([field, n]) => (
                  <li key={field}>
                    {w.fields[field] ?? field} : {n}
                  </li>
                ))}
              </ul>
            </>
          )}
          {Object.keys(summary.invalidFields ?? {}).length > 0 && (
            <>
              <h3>{w.invalidFields}</h3>
              <ul data-testid="invalid-fields">
                {Object.entries(summary.invalidFields ?? {}).map(([field, n]) => (
                  <li key={field}>
                    {w.fields[field] ?? field} : {n}
                  </li>
                ))}
              </ul>
            </>
          )}
          {rejections && rejections.length > 0 && (
            <>
              <h3>{w.rejectedRows}</h3>
              <table>
                <thead>
                  <tr>
                    <th scope="col">{w.line}</th>
                    <th scope="col">{w.outcome}</th>
                    <th scope="col">{w.reason}</th>
                  </tr>
                </thead>
                <tbody>
                  {rejections.map((r) => (
                    <tr key={r.line}>
                      <td className="num">{r.line}</td>
                      <td>{r.kind === 'kept' ? w.keptRow : w.rejectedRow}</td>
                      <td lang="en">{r.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <button type="button" onClick={restart}>
            {w.again}
          </button>
        </section>
      )}
    </>
  );
}
