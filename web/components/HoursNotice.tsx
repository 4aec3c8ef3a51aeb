// CH-HOURS on a volunteer's phoning list: the zones whose people are outside the call window now
// (too early, too late, Sunday), and when calls are allowed again there, in that zone's own time.
import { useI18n } from '../i18n/i18n.tsx';
import { formatInZone } from './zoned-time.ts';

/** One zone outside the window (GET /api/assignments/:id/contacts, `outsideHours`). */
export type OutsideHours = {
  rule: 'CH-HOURS';
  timeZone: string;
  until: string;
  window: { days: number[]; from: string; until: string };
};

export function HoursNotice({ outside, testId }: { outside: OutsideHours[]; testId: string }) {
  const { t, lang } = useI18n();
  const first = outside[0];
  if (!first) return null;
  const at = (iso: string, timeZone: string) => formatInZone(lang, iso, timeZone);
  return (
    <div className="notice warn" role="status" data-testid={testId}>
      <p>
        <span className="rule-id">CH-HOURS</span>{' '}
        {t.hours.listOutside(first.window.from, first.window.until)}
      </p>
      <ul>
        {outside.map((h) => (
          <li key={h.timeZone}>{t.hours.line(at(h.until, h.timeZone), h.timeZone)}</li>
        ))}
      </ul>
    </div>
  );
}
