// Shows a refusal the way the rules want it seen: what was refused, the rule id, and a
// one-sentence fix in the user's language. Announced to screen readers (role="alert"). The
// server's reasons are said in the user's language from their stable key (i18n/errors.ts); a key
// the catalogue does not know shows the server's English text, marked lang="en".
import { ApiError } from '../api/client.ts';
import { localisedError } from '../i18n/errors.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { ruleFix } from '../i18n/rules.ts';

export function ErrorNotice({ error }: { error: unknown }) {
  const { t, lang } = useI18n();
  if (!error) return null;
  const e = error instanceof ApiError ? error : undefined;
  const violations = e?.violations.length ? e.violations : [];
  return (
    <div className="notice error" role="alert">
      {violations.length === 0 && (
        <p>
          <strong>{t.error} :</strong>{' '}
          {e ? (
            <Localised error={e} />
          ) : (
            <span>{error instanceof Error ? error.message : String(error)}</span>
          )}
        </p>
      )}
      {violations.length > 0 && (
        <ul className="violations">
          {violations.map((v, i) => (
            <li key={i}>
              <span className="visually-hidden">{t.rule} </span>
              <span className="rule-id">{v.rule}</span> <Localised error={v} />
              {ruleFix(v.rule, lang) && (
                <p className="fix">
                  <strong>{t.fix} :</strong> {ruleFix(v.rule, lang)}
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** A server message in the user's language, or in English (marked so) when its key is unknown. */
export function Localised({
  error,
}: {
  error: { key?: string | undefined; params?: Record<string, string | number>; message: string };
}) {
  const { lang } = useI18n();
  const shown = localisedError(error, lang);
  return <span lang={shown.lang}>{shown.text}</span>;
}
