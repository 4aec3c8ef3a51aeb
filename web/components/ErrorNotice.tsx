// Shows a refusal the way the rules want it seen: what was refused, the rule id, and a
// one-sentence fix in the user's language. Announced to screen readers (role="alert").
import { ApiError } from '../api/client.ts';
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
          <span lang={e ? 'en' : undefined}>
            {error instanceof Error ? error.message : String(error)}
          </span>
        </p>
      )}
      {violations.length > 0 && (
        <ul className="violations">
          {violations.map((v, i) => (
            <li key={i}>
              <span className="visually-hidden">{t.rule} </span>
              <span className="rule-id">{v.rule}</span> {/* The server's reasons are in English. */}
              <span lang="en">{v.message}</span>
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
