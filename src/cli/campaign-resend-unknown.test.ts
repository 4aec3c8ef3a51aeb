// isoloir campaign resend-unknown, and what the campaign commands say about a campaign done with
// unknown outcomes (done_with_unknown): the --json contract, the warning that a second copy is
// possible, the refusal's exit code, and `send --wait` stopping there with the way out. The
// done_with_unknown campaigns are set up with SQL (test/done-with-unknown.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import {
  makeAudience,
  makeFinishedCampaign,
  outboxOf,
  type Audience,
} from '../../test/done-with-unknown.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';

let s: TestServices;
let a: Audience;
const cli = cliRunner(() => s);

beforeAll(async () => {
  s = await openTestServices();
  a = await makeAudience(s, 3, 'cli-unknown');
}, 60_000);
afterAll(() => s.dispose());

describe('isoloir campaign resend-unknown', () => {
  it('prints {"id","requeued","state"} with --json, and the rows are queued again', async () => {
    const [p0, p1] = a.people;
    const id = await makeFinishedCampaign(s, a, { [p0!.id]: 'unknown', [p1!.id]: 'unknown' });
    const r = await cli('campaign', 'resend-unknown', id, '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toEqual({ id, requeued: 2, state: 'sending' });
    expect((await outboxOf(s, id)).get(p0!.id)!.state).toBe('queued');
  });

  it('says who gets a second chance and warns that a second copy is possible', async () => {
    const [p0] = a.people;
    const id = await makeFinishedCampaign(s, a, { [p0!.id]: 'unknown' });
    const r = await cli('campaign', 'resend-unknown', id);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      `campaign ${id}: 1 message with an unknown outcome queued again (sending); ` +
        'a recipient whose first message did reach the server will get a second copy; ' +
        'objections are checked again at send time\n',
    );
  });

  it('refuses a campaign that is not done_with_unknown: exit 5, its state named, nothing queued', async () => {
    const [p0] = a.people;
    const id = await makeFinishedCampaign(s, a, { [p0!.id]: 'unknown' }, { state: 'done' });
    const r = await cli('campaign', 'resend-unknown', id, '--json');
    expect(r.code).toBe(5);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `error: campaign ${id} is done: only a campaign done with unknown messages (done_with_unknown) can resend them\n`,
    );
    expect((await outboxOf(s, id)).get(p0!.id)!.state).toBe('unknown');
    const missing = await cli('campaign', 'resend-unknown', '00000000-0000-4000-8000-000000000000');
    expect(missing.code).toBe(4);
  });

  it('status names the state, and says on stderr how many are unknown and how to resend them', async () => {
    const [, p1, p2] = a.people;
    const id = await makeFinishedCampaign(s, a, { [p1!.id]: 'unknown', [p2!.id]: 'unknown' });
    const r = await cli('campaign', 'status', id);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${id}  done_with_unknown  .*unknown 2`));
    expect(r.stderr).toBe(
      `campaign ${id} is done with 2 messages whose outcome is unknown (they may or may not have reached the server); ` +
        `to send them again, accepting that a second copy is possible: isoloir campaign resend-unknown ${id}\n`,
    );
    const json = await cli('campaign', 'status', id, '--json');
    expect(json.json()).toMatchObject({ state: 'done_with_unknown', counts: { unknown: 2 } });
  });

  it('send --wait stops on done_with_unknown, exit 0, and says how many are unknown and how to resend them', async () => {
    const [p0] = a.people;
    // Every row already has its outcome, one unknown: the engine's first pass closes the campaign.
    const id = await makeFinishedCampaign(s, a, { [p0!.id]: 'unknown' }, { state: 'sending' });
    const r = await cli('campaign', 'send', id, '--wait', '--json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.json()).toMatchObject({
      id,
      state: 'done_with_unknown',
      counts: { sent: 2, unknown: 1, queued: 0, sending: 0 },
    });
    expect(r.stderr).toBe(
      `campaign ${id} is done with 1 message whose outcome is unknown (it may or may not have reached the server); ` +
        `to send it again, accepting that a second copy is possible: isoloir campaign resend-unknown ${id}\n`,
    );
  });
});
