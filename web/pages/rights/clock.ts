// A rights request's clock as the DPO's queue shows it (RIGHTS-1: one month, extensible once):
// overdue, due today, due this week (7 days or fewer), or days left, in whole calendar days of the
// browser's own time zone. Answered requests and those whose code was never confirmed have none.
import type { RightsRequest } from '../../api/types.ts';

export type RequestClock =
  { kind: 'overdue' | 'today' | 'soon' | 'later'; days: number } | { kind: 'closed' | 'none' };

/** Requests due within this many days are highlighted. */
export const DUE_SOON_DAYS = 7;

const DAY_MS = 86_400_000;

/** Whole calendar days from `from`'s day to `to`'s day, in local time. */
function calendarDays(from: Date, to: Date): number {
  const day = (d: Date) => Date.UTC(d.getFullYear(), d.getMonth(), d.getDate());
  return Math.round((day(to) - day(from)) / DAY_MS);
}

export function requestClock(
  request: Pick<RightsRequest, 'status' | 'dueAt'>,
  now: Date,
): RequestClock {
  if (request.status === 'answered') return { kind: 'closed' };
  if (request.status !== 'open' && request.status !== 'extended') return { kind: 'none' };
  const due = new Date(request.dueAt);
  const days = calendarDays(now, due);
  if (due.getTime() < now.getTime()) return { kind: 'overdue', days: Math.max(1, -days) };
  if (days === 0) return { kind: 'today', days: 0 };
  if (days <= DUE_SOON_DAYS) return { kind: 'soon', days };
  return { kind: 'later', days };
}

/** A day as words in the screen's language ("12 mai 2026", "12 May 2026"). */
export function formatDay(lang: string, iso: string): string {
  return new Date(iso).toLocaleDateString(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  });
}

/** A moment as words in the screen's language, to the minute. */
export function formatMoment(lang: string, iso: string): string {
  return new Date(iso).toLocaleString(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'long',
    timeStyle: 'short',
  });
}
