// CH-EMAIL / SEC-3: a planned campaign that is planned again and is now blocked goes back to
// draft with nothing queued: the rows an earlier plan queued must not stay for a send to pick up.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { addContact } from '../contacts/contacts.ts';
import { saveSegment } from '../segments/segments.ts';
import { createCampaign } from './campaigns.ts';
import { planCampaign } from './plan-campaign.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(() => s.dispose());

const queued = async (campaignId: string) =>
  (
    (await s.db.execute(
      sql`select count(*)::int as n from outbox where campaign_id = ${campaignId} and state = 'queued'`,
    )) as unknown as { rows: { n: number }[] }
  ).rows[0]!.n;

describe('re-planning a planned campaign (SEC-3, CH-EMAIL)', () => {
  it('SEC-3: a re-plan that is now blocked sends the campaign back to draft and leaves no queued row', async () => {
    const orgId = (await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' }))
      .id;
    const source = await makeSource(s, orgId, { type: 'member_file' });
    for (const [name, email] of [
      ['Martin', 'alice@exemple.fr'],
      ['Durand', 'bruno@exemple.fr'],
    ])
      await addContact(s.db, {
        keys: s.keys,
        orgId,
        sourceId: source.id,
        identity: { birthName: name!, email: email! },
        actor: 'test',
      });
    const segmentId = (
      await saveSegment(s.db, { orgId, input: { name: 'Tous', where: { and: [] } }, actor: 'test' })
    ).id;
    const campaign = await createCampaign(s.db, {
      orgId,
      input: {
        segmentId,
        fromName: 'Liste Exemple 2027',
        fromEmail: 'campagne@exemple-2027.fr',
        subject: 'Réunion publique',
        body: 'Bonjour, rendez-vous jeudi.',
      },
      actor: 'test',
      clock: s.clock,
    });
    const plan = () =>
      planCampaign(s.db, { campaignId: campaign.id, actor: 'test', clock: s.clock });
    expect(await plan()).toMatchObject({ state: 'planned', recipients: 2 });
    expect(await queued(campaign.id)).toBe(2);
    // The body now holds other people's addresses (however it changed): the re-plan is blocked.
    await s.db.execute(
      sql`update campaigns set body = 'Nos bénévoles : jean@exemple.fr, marie@exemple.fr' where id = ${campaign.id}`,
    );
    const blocked = await plan();
    expect(blocked).toMatchObject({ state: 'draft', recipients: 0 });
    expect(blocked.violations.map((v) => v.rule)).toEqual(['SEC-3']);
    expect(await queued(campaign.id)).toBe(0);
  });
});
