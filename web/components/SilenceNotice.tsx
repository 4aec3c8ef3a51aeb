// CAL-1 on screen: which election's silence applies, and from when until when, each in its own
// time zone (the overseas are not on Paris time). Used by the composer's warning and by a
// volunteer's list emptied during a silence.
import type { Silence } from '../api/types.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { formatInZone } from './zoned-time.ts';

export function SilenceNotice({
  title,
  silences,
  testId,
}: {
  title: string;
  silences: Silence[];
  testId: string;
}) {
  const { t, lang } = useI18n();
  if (silences.length === 0) return null;
  const at = (iso: string, timeZone: string) => formatInZone(lang, iso, timeZone);
  return (
    <div className="notice warn" role="alert" data-testid={testId}>
      <p>
        <span className="rule-id">CAL-1</span> {title}
      </p>
      <ul>
        {silences.map((s) => (
          <li key={`${s.electionId}|${s.voteDate}|${s.timeZone}`}>
            {t.silence.line(s.name, at(s.from, s.timeZone), at(s.until, s.timeZone), s.timeZone)}
          </li>
        ))}
      </ul>
    </div>
  );
}
