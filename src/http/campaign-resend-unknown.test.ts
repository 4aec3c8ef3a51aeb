// POST /api/campaigns/:id/resend-unknown: the same permission as the other campaign moves
// (campaign.send): a volunteer or a viewer is refused and nothing changes; a manager may, and gets
// {id, requeued, state}; a campaign in another state is a 409 with its key and state. The
// done_with_unknown campaigns are set up with SQL (test/done-with-unknown.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  makeAudience,
  makeFinishedCampaign,
  outboxOf,
  type Audience,
} from '../../test/done-with-unknown.ts';
import { callerOf, makeStaff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { campaignStatus } from '../domain/outreach/campaigns.ts';
import { createApp } from './app.ts';

let s: TestServices;
let a: Audience;
let call: ReturnType<typeof callerOf>;

beforeAll(async () => {
  s = await openTestServices();
  call = callerOf(createApp(s));
  a = await makeAudience(s, 2, 'api-unknown');
}, 60_000);
afterAll(() => s.dispose());

describe('POST /api/campaigns/:id/resend-unknown', () => {
  it('refuses a volunteer and a viewer, changing nothing; a manager may', async () => {
    const [p0] = a.people;
    const id = await makeFinishedCampaign(s, a, { [p0!.id]: 'unknown' });
    for (const role of ['volunteer', 'viewer'] as const) {
      const staff = await makeStaff(s, a.orgId, role);
      const r = await call(staff, 'POST', `/api/campaigns/${id}/resend-unknown`);
      expect(r.status, role).toBe(403);
      expect((await campaignStatus(s.db, { campaignId: id })).state).toBe('done_with_unknown');
      expect((await outboxOf(s, id)).get(p0!.id)!.state).toBe('unknown');
    }
    const manager = await makeStaff(s, a.orgId, 'manager');
    const r = await call(manager, 'POST', `/api/campaigns/${id}/resend-unknown`);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ id, requeued: 1, state: 'sending' });
    expect((await outboxOf(s, id)).get(p0!.id)!.state).toBe('queued');
  });

  it('answers 409 with the key and the state for a campaign that is not done_with_unknown', async () => {
    const [, p1] = a.people;
    const id = await makeFinishedCampaign(s, a, { [p1!.id]: 'unknown' }, { state: 'paused' });
    const manager = await makeStaff(s, a.orgId, 'manager');
    const r = await call(manager, 'POST', `/api/campaigns/${id}/resend-unknown`);
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({
      key: 'campaign.resend_unknown_not_allowed',
      params: { id, state: 'paused' },
    });
    expect((await outboxOf(s, id)).get(p1!.id)!.state).toBe('unknown');
  });
});
