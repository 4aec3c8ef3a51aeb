// SEC-3 and the organisation's own number: a campaign may print the organisation's public phone
// (its office, its "permanence") however it is written, while any other number still blocks it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { addContact } from '../contacts/contacts.ts';
import { DomainError } from '../errors.ts';
import { updateOrganisation } from '../organisations/organisations.ts';
import { saveSegment } from '../segments/segments.ts';
import { createCampaign } from './campaigns.ts';
import { planCampaign } from './plan-campaign.ts';

let s: TestServices;
let orgId: string;
let segmentId: string;

beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  orgId = (
    await makeOrg(s, {
      noticePurposes: 'informer',
      noticeRecipients: 'l’équipe',
      contactPhone: '01 23 45 67 89',
    })
  ).id;
  const source = await makeSource(s, orgId, { type: 'member_file' });
  await addContact(s.db, {
    keys: s.keys,
    orgId,
    sourceId: source.id,
    identity: { birthName: 'Martin', firstNames: 'Alice', email: 'alice@exemple.fr' },
    actor: 'test',
  });
  segmentId = (
    await saveSegment(s.db, { orgId, input: { name: 'Tous', where: { and: [] } }, actor: 'test' })
  ).id;
});
afterAll(() => s.dispose());

const plan = async (body: string) => {
  const campaign = await createCampaign(s.db, {
    orgId,
    input: {
      segmentId,
      fromName: 'Liste Exemple 2027',
      fromEmail: 'campagne@exemple-2027.fr',
      subject: 'Réunion publique',
      body,
    },
    actor: 'test',
    clock: s.clock,
  });
  return planCampaign(s.db, { campaignId: campaign.id, actor: 'test', clock: s.clock });
};

describe("SEC-3 and the organisation's own phone number", () => {
  it('SEC-3: lets the organisation’s own number through, written in any usual form', async () => {
    for (const written of ['01 23 45 67 89', '01.23.45.67.89', '+33 1 23 45 67 89']) {
      const result = await plan(`Une question ? Appelez notre permanence au ${written}.`);
      expect(result.violations).toEqual([]);
      expect(result.state).toBe('planned');
    }
  });

  it('SEC-3: still blocks anyone else’s number next to the organisation’s own', async () => {
    const result = await plan('Permanence : 01 23 45 67 89. Contact de Paul : 06 12 34 56 78.');
    expect(result.state).toBe('draft');
    expect(result.violations.map((v) => v.rule)).toContain('SEC-3');
    expect(JSON.stringify(result.violations)).not.toContain('06 12 34 56 78');
  });

  it('stores the number in E.164 and refuses one that is not a number, naming the field', async () => {
    const updated = await updateOrganisation(s.db, {
      orgId,
      input: { contactPhone: '01 98 76 54 32' },
      actor: 'test',
    });
    expect(updated.contactPhone).toBe('+33198765432');
    const refused = await updateOrganisation(s.db, {
      orgId,
      input: { contactPhone: 'appelez-nous' },
      actor: 'test',
    }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).message).toMatch(/^contactPhone: /);
    await updateOrganisation(s.db, {
      orgId,
      input: { contactPhone: '01 23 45 67 89' },
      actor: 'test',
    });
  });
});
