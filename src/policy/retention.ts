// RET-1 / RET-2: until when data from a source is kept, from the pack's reference periods.
import type { Pack, SourceTypeName } from './packs.ts';

export type RetentionEnd =
  { until: string } | { until: 'end_of_relationship' } | { until: 'unknown'; why: string };

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
/** Calendar months; a day the target month lacks becomes its last day (Dec 31 + 2 -> Feb 28). */
const addMonths = (date: string, months: number) => {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const lastDay = new Date(Date.UTC(y, m - 1 + months + 1, 0)).getUTCDate();
  return new Date(Date.UTC(y, m - 1 + months, Math.min(d, lastDay))).toISOString().slice(0, 10);
};

export function retentionEnd(
  pack: Pack,
  options: { sourceType: SourceTypeName; lastRound?: string; firstMessage?: string },
): RetentionEnd {
  const rule = pack.retention[options.sourceType];
  if (rule.kind === 'end_of_relationship') return { until: 'end_of_relationship' };
  if (rule.kind === 'after_last_round') {
    return options.lastRound
      ? { until: addDays(options.lastRound, rule.graceDays) }
      : { until: 'unknown', why: 'the source names no election' };
  }
  return options.firstMessage
    ? { until: addMonths(options.firstMessage, rule.months) }
    : { until: 'unknown', why: 'no message has been sent yet' };
}
