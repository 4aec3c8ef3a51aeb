// CH-HOURS for people reached one by one (a volunteer's phoning list): calls go out only inside
// the send window (pack's, Monday to Saturday 08:00-22:00) in the recipient's own time zone, so a
// number is shown only while its owner may be called. The others are left out, and the list says
// which zones are outside the window and until when (never who).
import { checkSendWindow, nextWindowOpening } from '../../policy/calendar.ts';
import type { Pack } from '../../policy/packs.ts';
import { timeZoneOf } from '../../policy/time-zones.ts';

/** A zone whose people are outside the window, as the API and the volunteer's screen show it. */
export type HoursNotice = {
  rule: 'CH-HOURS';
  timeZone: string;
  /** When the window opens again there (ISO 8601). */
  until: string;
  window: { days: number[]; from: string; until: string };
};

/** The rows of people inside the send window at `at`, and the zones that took the others out. */
export function withinSendWindow<
  R extends { commune_code: string | null; postal_code?: string | null },
>(pack: Pack, options: { rows: R[]; at: Date }): { rows: R[]; outsideHours: HoursNotice[] } {
  const outside = new Map<string, HoursNotice | null>();
  const closedIn = (timeZone: string) => {
    if (!outside.has(timeZone))
      outside.set(
        timeZone,
        checkSendWindow(pack, { at: options.at, timeZone }).length === 0
          ? null
          : {
              rule: 'CH-HOURS',
              timeZone,
              until: nextWindowOpening(pack, { at: options.at, timeZone }).toISOString(),
              window: { ...pack.sendWindow, days: [...pack.sendWindow.days] },
            },
      );
    return outside.get(timeZone) ?? null;
  };
  const held = new Set<HoursNotice>();
  const rows = options.rows.filter((r) => {
    const notice = closedIn(timeZoneOf(pack, r.commune_code, r.postal_code));
    if (notice) held.add(notice);
    return notice === null;
  });
  return {
    rows,
    outsideHours: [...held].sort((a, b) => a.timeZone.localeCompare(b.timeZone)),
  };
}
