// OPT-2: objections recorded while a campaign dispatches. Not one message reaches an address
// after its objection committed: a send locks its recipients' rows, so the objection waits for
// it, and every later send sees the objection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { startSmtpSink } from '../../test/smtp-sink.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { recordObjection } from '../domain/objections/objections.ts';
import { campaignStatus, createCampaign, moveCampaign } from '../domain/outreach/campaigns.ts';
import { planCampaign } from '../domain/outreach/plan-campaign.ts';
import { saveSegment } from '../domain/segments/segments.ts';
import { smtpChannel } from './channels/smtp.ts';
import { Dispatcher } from './dispatcher.ts';

let s: TestServices;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
const received = new Map<string, number>(); // address -> when the sink had the whole message
const PEOPLE = 240;

beforeAll(async () => {
  s = await openTestServices();
  sink = await startSmtpSink();
  const push = sink.received.push.bind(sink.received);
  sink.received.push = (...items) => {
    for (const m of items) for (const to of m.to) received.set(to, performance.now());
    return push(...items);
  };
}, 60_000);
afterAll(async () => {
  await sink.close();
  await s.dispose();
});

describe('objections during a send (OPT-2)', () => {
  it('sends nothing to an address after its objection committed', async () => {
    const orgId = (
      await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe de campagne' })
    ).id;
    const source = await makeSource(s, orgId, { type: 'supporter_signup' });
    const emails: string[] = [];
    for (let i = 0; i < PEOPLE; i++) {
      const email = `p${i}@race.example`;
      emails.push(email);
      await addContact(s.db, {
        keys: s.keys,
        orgId,
        sourceId: source.id,
        identity: { birthName: `N${i}`, email },
        actor: 'test',
      });
    }
    const segment = await saveSegment(s.db, {
      orgId,
      input: { name: 'Tous', where: { and: [] } },
      actor: 'test',
    });
    const campaign = await createCampaign(s.db, {
      orgId,
      input: {
        segmentId: segment.id,
        fromName: 'Liste',
        fromEmail: 'contact@race.example',
        subject: 'Bonjour',
        body: 'Bonjour',
      },
      actor: 'test',
      clock: s.clock,
    });
    expect(
      (await planCampaign(s.db, { campaignId: campaign.id, actor: 'test', clock: s.clock }))
        .recipients,
    ).toBe(PEOPLE);
    await moveCampaign(s.db, {
      campaignId: campaign.id,
      move: 'send',
      actor: 'test',
      clock: s.clock,
    });
    const dispatcher = new Dispatcher({
      db: s.db,
      keys: s.keys,
      clock: s.clock,
      channel: smtpChannel({ url: sink.url }),
      publicUrl: 'https://isoloir.example',
      mailDomain: 'race.example',
      batchSize: 60,
      groupSize: 6,
    });
    dispatcher.start(20);
    // Objections for every third person, in shuffled order, while the send runs.
    const objectors = emails.filter((_, i) => i % 3 === 0).sort(() => Math.random() - 0.5);
    const committed = new Map<string, number>();
    await Promise.all(
      [0, 1, 2].map(async (lane) => {
        for (const email of objectors.filter((_, i) => i % 3 === lane)) {
          await recordObjection(s.db, {
            keys: s.keys,
            orgId,
            input: { email, method: 'email_reply' },
            actor: 'test',
            clock: s.clock,
          });
          committed.set(email, performance.now());
          await new Promise((r) => setTimeout(r, Math.random() * 15));
        }
      }),
    );
    for (
      let i = 0;
      i < 200 && (await campaignStatus(s.db, { campaignId: campaign.id })).state !== 'done';
      i++
    )
      await new Promise((r) => setTimeout(r, 50));
    await dispatcher.close();

    const late = objectors.filter((e) => received.has(e) && received.get(e)! > committed.get(e)!);
    expect(late).toEqual([]);
    const status = await campaignStatus(s.db, { campaignId: campaign.id });
    expect(status.state).toBe('done');
    // Everyone is accounted for: sent before their objection, or suppressed.
    expect(status.counts.sent + status.counts.suppressed).toBe(PEOPLE);
    expect(status.counts.sent).toBe(sink.received.length);
    const sentToObjectors = objectors.filter((e) => received.has(e)).length;
    expect(status.counts.suppressed).toBe(objectors.length - sentToObjectors);
  }, 120_000);
});
