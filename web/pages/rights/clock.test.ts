// The DPO's queue shows each request's clock (RIGHTS-1: answered within one month): overdue,
// due this week, or days left; answered and unconfirmed requests have no clock.
import { describe, expect, it } from 'vitest';
import { requestClock } from './clock.ts';

const now = new Date(2026, 4, 10, 12, 0); // 10 May 2026, noon, local time
const at = (day: number, hour = 12) => new Date(2026, 4, day, hour, 0).toISOString();

describe('a rights request’s clock (RIGHTS-1)', () => {
  it('is overdue once its due date has passed, by whole days', () => {
    expect(requestClock({ status: 'open', dueAt: at(7) }, now)).toEqual({
      kind: 'overdue',
      days: 3,
    });
    expect(requestClock({ status: 'extended', dueAt: at(10, 9) }, now)).toEqual({
      kind: 'overdue',
      days: 1,
    });
  });

  it('is due today, then due this week up to seven days, then counts days left', () => {
    expect(requestClock({ status: 'open', dueAt: at(10, 18) }, now)).toEqual({
      kind: 'today',
      days: 0,
    });
    expect(requestClock({ status: 'open', dueAt: at(17) }, now)).toEqual({ kind: 'soon', days: 7 });
    expect(requestClock({ status: 'open', dueAt: at(18) }, now)).toEqual({
      kind: 'later',
      days: 8,
    });
  });

  it('stops for answered requests and never starts for unconfirmed ones', () => {
    expect(requestClock({ status: 'answered', dueAt: at(1) }, now)).toEqual({ kind: 'closed' });
    for (const status of ['awaiting_code', 'locked', 'expired'] as const)
      expect(requestClock({ status, dueAt: at(1) }, now)).toEqual({ kind: 'none' });
  });
});
