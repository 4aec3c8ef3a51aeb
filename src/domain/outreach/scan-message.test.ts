// SEC-3 on the message itself: a subject or body holding other people's emails, phone numbers or
// a pasted list of names with addresses blocks the campaign at planning, whatever door the data
// comes through (HTML entities, mailto links, percent-encoding, tags splitting an address).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { addContact } from '../contacts/contacts.ts';
import { saveSegment } from '../segments/segments.ts';
import { createCampaign } from './campaigns.ts';
import { planCampaign } from './plan-campaign.ts';

let s: TestServices;
let orgId: string;
let segmentId: string;

beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  orgId = (await makeOrg(s, { noticePurposes: 'informer', noticeRecipients: 'l’équipe' })).id;
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

async function plan(
  input: { subject?: string; body: string; bodyFormat?: 'markdown' | 'html' },
  attachments?: { fileName: string; content: Buffer }[],
) {
  const campaign = await createCampaign(s.db, {
    orgId,
    input: {
      segmentId,
      fromName: 'Liste Exemple 2027',
      fromEmail: 'campagne@exemple-2027.fr',
      subject: 'Réunion publique',
      ...input,
    },
    attachments,
    actor: 'test',
    clock: s.clock,
  });
  return planCampaign(s.db, { campaignId: campaign.id, actor: 'test', clock: s.clock });
}

/** The plan is blocked by SEC-3 naming `what`, in the body or subject, and shows no value. */
function expectBlocked(
  result: Awaited<ReturnType<typeof plan>>,
  where: 'body' | 'subject',
  what: RegExp,
  values: string[] = [],
) {
  expect(result.state).toBe('draft');
  expect(result.recipients).toBe(0);
  expect(result.violations).toEqual([
    {
      rule: 'SEC-3',
      key: `campaign.${where}_personal_data`,
      params: { found: expect.any(String) },
      message: expect.stringMatching(new RegExp(`^the ${where} holds personal data`)),
    },
  ]);
  expect(result.violations[0]!.message).toMatch(what);
  for (const v of values) expect(JSON.stringify(result)).not.toContain(v);
}

describe('the message scan (SEC-3)', () => {
  it("SEC-3: blocks a campaign whose body lists other people's email addresses", async () => {
    const result = await plan({
      body: 'Nos bénévoles :\n\n- jean.dupont@exemple.fr\n- marie@exemple.fr\n- JEAN.DUPONT@exemple.fr\n',
    });
    expectBlocked(result, 'body', /\b2 email address\(es\)/, ['dupont', 'marie@']);
  });

  it('SEC-3: blocks a campaign whose body holds phone numbers, in French and Moroccan formats', async () => {
    const result = await plan({
      body:
        'Appelez Jean au +33 6 12 34 56 78, Marie au 06.23.45.67.89, Paul au 0634567890 ' +
        'et Karim au +212 6 61 23 45 67.',
    });
    expectBlocked(result, 'body', /\b4 phone number\(s\)/, ['12 34', '6789', '661']);
  });

  it('SEC-3: blocks a campaign whose body is a pasted list of names and addresses', async () => {
    const csv = await plan({
      body: 'Martin;Alice;12 rue des Lilas;69001 Lyon\nDurand;Bruno;3 bis avenue Foch;75016 Paris\n',
    });
    expectBlocked(csv, 'body', /\b2 name\(s\) with a postal address/, ['Lilas', 'Foch']);
    const blocks = await plan({
      body: '<p>Mme Claire Petit<br>8 chemin des Vignes<br>13100 Aix-en-Provence</p><p>M. Karim Alaoui<br>45 boulevard Zerktouni<br>20000 Casablanca</p>',
      bodyFormat: 'html',
    });
    expectBlocked(blocks, 'body', /\b2 name\(s\) with a postal address/, ['Vignes', 'Alaoui']);
    const table = await plan({
      body: '| Nom | Adresse |\n|---|---|\n| Alice Martin | 12 rue des Lilas, 69001 Lyon |\n| Bruno Durand | 3 avenue Foch, 75016 Paris |\n',
    });
    expectBlocked(table, 'body', /\b2 name\(s\) with a postal address/);
  });

  it('SEC-3: blocks a campaign whose body is a pasted list of names with birth dates', async () => {
    const typed = await plan({
      body: 'MARTIN Alice 12/03/1980\nDURAND Bruno 05/11/1975\nPETIT Claire 23/07/1990\nALAOUI Karim 01/01/1968\n',
    });
    expectBlocked(typed, 'body', /\b4 name\(s\) listed with a date/, ['MARTIN', '1980']);
    const html = await plan({
      body: '<ul><li>Alice Martin, née le 12 mars 1980</li><li>Bruno Durand, né le 5 novembre 1975</li></ul>',
      bodyFormat: 'html',
    });
    expectBlocked(html, 'body', /\b2 name\(s\) listed with a date/, ['Durand', '1975']);
    // A signed and dated message with a dated agenda is not a list.
    const letter = await plan({
      body: 'Bonjour {{firstName}},\n\nRéunion publique 12/03/2027\nConseil Municipal 19/03/2027\n\nAlice Martin, 12 mars 2026\n',
    });
    expect(letter.violations).toEqual([]);
    expect(letter.state).toBe('planned');
  });

  it('SEC-3: blocks a campaign whose subject holds an email address or a phone number', async () => {
    const email = await plan({ subject: 'Écrivez à jean.dupont@exemple.fr', body: 'Bonjour' });
    expectBlocked(email, 'subject', /1 email address/, ['dupont']);
    const phone = await plan({ subject: 'Rappelez le 06 12 34 56 78', body: 'Bonjour' });
    expectBlocked(phone, 'subject', /1 phone number/, ['12 34']);
  });

  it("SEC-3: lets the organisation's own addresses, its postal address, service numbers, merge fields and venues through", async () => {
    const result = await plan({
      subject: 'Réunion publique, {{firstName}} {{lastName}}',
      body:
        'Bonjour {{firstName}} {{lastName}},\n\n' +
        'Rendez-vous jeudi 3 décembre à 19 h, salle des fêtes, 2 rue de la Mairie, 69001 Lyon, ' +
        'et samedi au gymnase, 10 avenue Jean Jaurès, 69007 Lyon.\n\n' +
        'Écrivez-nous : [contact@exemple-2027.fr](mailto:contact@exemple-2027.fr), ' +
        '<dpo@exemple-2027.fr> ou campagne@exemple-2027.fr ; numéro vert 0 800 12 34 56.\n\n' +
        'Association Exemple pour 2027, 12 place de la République, 69001 Lyon\n',
    });
    expect(result.violations).toEqual([]);
    expect(result.state).toBe('planned');
  });

  it('SEC-3: finds an address behind the side doors: HTML entities, a mailto link, percent-encoding, tags splitting it, an obfuscated form', async () => {
    const doors: [string, 'html' | 'markdown'][] = [
      ['<p>Écrivez à jean&#64;exemple.fr</p>', 'html'],
      ['<p>Écrivez à jean&commat;exemple&period;fr</p>', 'html'],
      ['<p><a href="mailto:jean@exemple.fr">écrivez-lui</a></p>', 'html'],
      ['<p><a href="mailto:jean%40exemple.fr">écrivez-lui</a></p>', 'html'],
      ['<p><a href="mailto:&#106;ean&#64;exemple.fr">écrivez-lui</a></p>', 'html'],
      ['<p>jean<span>@</span><b>exemple</b>.fr</p>', 'html'],
      ['<p title="jean@exemple.fr">Bonjour</p>', 'html'],
      ['Écrivez-lui : [ici](mailto:jean@exemple.fr)', 'markdown'],
      ['Écrivez à jean<b>&#x40;</b>exemple.fr', 'markdown'],
      ['Écrivez à jean [at] exemple [dot] fr', 'markdown'],
      ['<!-- jean@exemple.fr -->Bonjour', 'html'],
      ['Écrivez à jean\u200b@exemple.fr', 'markdown'],
    ];
    for (const [body, bodyFormat] of doors)
      expectBlocked(await plan({ body, bodyFormat }), 'body', /1 email address/, ['jean']);
    const phone = await plan({
      body: '<a href="tel:+33612345678">Appelez Jean</a>',
      bodyFormat: 'html',
    });
    expectBlocked(phone, 'body', /1 phone number/, ['612345678']);
  });

  it('SEC-3: blocks an attachment whose file name holds a phone number or an email, and never echoes the name', async () => {
    for (const fileName of ['Dupont Jean 06 12 34 56 78.png', 'jean.dupont@exemple.fr.txt']) {
      const result = await plan({ body: 'Bonjour' }, [
        { fileName, content: Buffer.from('Réunion publique jeudi.') },
      ]);
      expect(result.state).toBe('draft');
      expect(result.violations).toEqual([
        {
          rule: 'SEC-3',
          key: 'attachment.name_personal_data',
          params: { found: expect.any(String) },
          message: expect.stringMatching(/file name holds personal data/),
        },
      ]);
      expect(JSON.stringify(result)).not.toMatch(/dupont|12 34/i);
    }
  });
});
