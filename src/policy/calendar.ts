// CAL-1 (election silence) and CH-HOURS (send window), on local time in a time zone.
import type { Pack } from './packs.ts';
import type { Violation } from './rules.ts';

// One formatter per zone, built once: silences and call windows are computed per recipient, and
// building a formatter costs far more than using it.
const formats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      weekday: 'short',
    });
    formats.set(timeZone, format);
  }
  return format;
}

/** Local calendar date (YYYY-MM-DD), weekday (0 = Sunday) and time (HH:MM) of an instant. */
export function localParts(
  at: Date,
  timeZone: string,
): { date: string; weekday: number; time: string } {
  const parts = Object.fromEntries(
    partsFormat(timeZone)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday!);
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    time: `${parts.hour}:${parts.minute}`,
  };
}

const dayBefore = (date: string) =>
  new Date(Date.parse(`${date}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

/** CAL-1: sending at `at` falls in the silence of one of these vote dates (FR), in `timeZone`
 * (the recipient's: see time-zones.ts; the pack's when not given). */
export function checkElectionSilence(
  pack: Pack,
  options: { at: Date; voteDates: string[]; timeZone?: string },
): Violation[] {
  const silence = pack.electionSilence;
  if (!silence) return [];
  const timeZone = options.timeZone ?? pack.timeZone;
  const local = localParts(options.at, timeZone);
  for (const vote of options.voteDates) {
    const onEve = local.date === dayBefore(vote);
    const onDayBeforeClose = local.date === vote && local.time < silence.pollsClose;
    if (onEve || onDayBeforeClose) {
      return [
        {
          rule: 'CAL-1',
          key: 'calendar.silence',
          params: {
            fromDate: dayBefore(vote),
            pollsClose: silence.pollsClose,
            voteDate: vote,
            timeZone,
          },
          message: `no electronic propaganda or serial calls from 00:00 on ${dayBefore(vote)} until polls close (${silence.pollsClose}) on ${vote}, ${timeZone} time`,
        },
      ];
    }
  }
  return [];
}

/** The instant a local wall-clock time (YYYY-MM-DD, HH:MM) happens in a time zone. */
export function zonedInstant(date: string, time: string, timeZone: string): Date {
  const wall = Date.parse(`${date}T${time}:00Z`);
  const offsetAt = (instant: number) => {
    const l = localParts(new Date(instant), timeZone);
    return Date.parse(`${l.date}T${l.time}:00Z`) - Math.floor(instant / 60_000) * 60_000;
  };
  let instant = wall - offsetAt(wall);
  instant = wall - offsetAt(instant); // once more, in case an offset change lies in between
  return new Date(instant);
}

/**
 * CAL-1: the silence of one vote date in a time zone, as instants [from, until); null outside FR.
 * `saturdayVote`: this zone votes on the Saturday before (the Americas and Polynesia, national
 * elections), so the silence starts 00:00 on the Friday; it still ends when polls close on the
 * vote date, in case this vote is held on the Sunday there.
 */
export function silenceWindow(
  pack: Pack,
  options: { voteDate: string; timeZone?: string; saturdayVote?: boolean },
): { from: Date; until: Date } | null {
  const silence = pack.electionSilence;
  if (!silence) return null;
  const timeZone = options.timeZone ?? pack.timeZone;
  const eve = dayBefore(options.voteDate);
  return {
    from: zonedInstant(options.saturdayVote ? dayBefore(eve) : eve, '00:00', timeZone),
    until: zonedInstant(options.voteDate, silence.pollsClose, timeZone),
  };
}

/** CH-HOURS: an SMS or call at `at` in the recipient's zone is inside the allowed window. */
export function checkSendWindow(
  pack: Pack,
  options: { at: Date; timeZone?: string; window?: Pack['sendWindow'] },
): Violation[] {
  const window = options.window ?? pack.sendWindow;
  const local = localParts(options.at, options.timeZone ?? pack.timeZone);
  if (
    !window.days.includes(local.weekday) ||
    local.time < window.from ||
    local.time >= window.until
  ) {
    return [
      {
        rule: 'CH-HOURS',
        key: 'calendar.outside_hours',
        params: { days: window.days.join(','), from: window.from, until: window.until },
        message: `SMS and calls go out only ${describeDays(window.days)}, ${window.from} to ${window.until} in the recipient's time zone`,
      },
    ];
  }
  return [];
}

/** CH-HOURS: when the window next opens in a zone after `at` (for an instant outside it). */
export function nextWindowOpening(
  pack: Pack,
  options: { at: Date; timeZone?: string; window?: Pack['sendWindow'] },
): Date {
  const window = options.window ?? pack.sendWindow;
  const timeZone = options.timeZone ?? pack.timeZone;
  const local = localParts(options.at, timeZone);
  for (let d = 0; d <= 7; d++) {
    const date = new Date(Date.parse(`${local.date}T12:00:00Z`) + d * 86_400_000);
    if (!window.days.includes(date.getUTCDay())) continue;
    if (d === 0 && local.time >= window.from) continue;
    return zonedInstant(date.toISOString().slice(0, 10), window.from, timeZone);
  }
  throw new Error('CH-HOURS: a send window with no day never opens');
}

/** CH-HOURS: an organisation may narrow the pack's window, never widen it. */
export function checkOrganisationWindow(pack: Pack, window: Pack['sendWindow']): Violation[] {
  const base = pack.sendWindow;
  const wider =
    window.days.some((d) => !base.days.includes(d)) ||
    window.from < base.from ||
    window.until > base.until;
  return wider
    ? [
        {
          rule: 'CH-HOURS',
          key: 'calendar.window_widened',
          params: { days: base.days.join(','), from: base.from, until: base.until },
          message: `the send window may be narrowed, not widened beyond ${describeDays(base.days)}, ${base.from} to ${base.until}`,
        },
      ]
    : [];
}

function describeDays(days: readonly number[]): string {
  const names = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  return days.map((d) => names[d]).join(', ');
}
