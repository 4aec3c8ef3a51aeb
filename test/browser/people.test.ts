// Issue 15, item 5, in Chromium on a phone-sized screen (375 px): a DPO signs in with a second
// factor, finds a member by email, opens the contact's record (its source and date), has a
// correction to an objector's address refused (SRC-8), corrects the email in answer to the
// person's rectification request (the address keeps its source, SRC-3; without a request the page
// says it would have none), and erases the person in answer to their erasure request. Every screen is axe-clean; no URL carries the address or the name; nothing is wider
// than the screen.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../../src/domain/access/totp.ts';
import { addContact, findContactIds } from '../../src/domain/contacts/contacts.ts';
import { recordObjection } from '../../src/domain/objections/objections.ts';
import { buildWebApp, launchBrowser, screenshotter, serveApp } from '../browser.ts';
import { makeOrg, makeSource } from '../factories.ts';
import { makeStaff, type Staff } from '../staff.ts';
import { openTestServices, testDbKind, type TestServices } from '../test-db.ts';

let s: TestServices;
let server: Awaited<ReturnType<typeof serveApp>>;
let browser: Browser;
let page: Page;
let webDist: string;
let orgId: string;
let dpo: Staff;
let aliceId: string;
let membersId: string;
const rectificationId = randomUUID();
const erasureId = randomUUID();
const urls: string[] = [];
const shot = screenshotter(`people-${testDbKind}`);

beforeAll(async () => {
  s = await openTestServices();
  orgId = (await makeOrg(s)).id;
  const members = await makeSource(s, orgId, { type: 'member_file', label: 'Adhérents 2026' });
  membersId = members.id;
  aliceId = (
    await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: members.id,
      identity: { birthName: 'Bernard', firstNames: 'Alice', email: 'alice@exemple.fr' },
      attributes: { postalCode: '69001' },
      actor: 'test',
    })
  ).id;
  // Alice's confirmed requests, waiting in the DPO's queue.
  for (const [id, kind] of [
    [rectificationId, 'rectification'],
    [erasureId, 'erasure'],
  ])
    await s.db.execute(sql`
      insert into rights_requests (id, org_id, kind, channel, identifier_index, identifier, status,
        received_at, due_at, contact_ids)
      values (${id}, ${orgId}, ${kind}, 'email', ${randomBytes(32)}, ${randomBytes(32)}, 'open',
        now(), now() + interval '1 month', ${`{${aliceId}}`}::uuid[])`);
  await recordObjection(s.db, {
    keys: s.keys,
    orgId,
    input: { email: 'objector@exemple.fr', method: 'letter' },
    actor: 'test',
    clock: s.clock,
  });
  dpo = await makeStaff(s, orgId, 'dpo');
  webDist = await buildWebApp();
  server = await serveApp(s, webDist);
  browser = await launchBrowser();
  page = await browser.newPage({ locale: 'fr-FR', viewport: { width: 375, height: 740 } });
  page.setDefaultTimeout(15_000);
  page.on('request', (r) => urls.push(r.url()));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await s?.dispose();
});

/** Nothing is wider than the phone's screen (no sideways scrolling). */
const fitsTheScreen = () =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('staff see people, on a phone', () => {
  it('finds, shows, corrects (never to an objector, SRC-8) and erases a person, axe-clean at 375 px', async () => {
    await page.goto(server.url);
    await page.getByLabel('Email').fill(dpo.email);
    await page.getByLabel('Mot de passe').fill(dpo.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    const secret = (await page.getByTestId('totp-secret').textContent())!;
    await page.getByLabel('Code à 6 chiffres').fill(await totpCode(secret, new Date()));
    await page.getByRole('button', { name: 'Activer' }).click();
    await page.getByRole('button', { name: 'Je les ai mis en lieu sûr' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();

    await page.getByRole('link', { name: 'Personnes', exact: true }).click();
    await page.getByRole('textbox', { name: 'Email' }).fill('Alice@exemple.fr');
    await page.getByRole('button', { name: 'Rechercher' }).click();
    await page.getByRole('status').filter({ hasText: '1 personne trouvée' }).waitFor();
    expect(await fitsTheScreen()).toBe(true);
    await shot(page, 'people-search');

    await page.getByRole('link', { name: 'Ouvrir la fiche : Alice Bernard' }).click();
    await page.getByRole('heading', { level: 1, name: 'Alice Bernard' }).waitFor();
    const provenance = page.getByRole('region', { name: 'Provenance' });
    expect(await provenance.textContent()).toMatch(/Adhérents 2026.*Fichier des adhérents/);
    expect(await fitsTheScreen()).toBe(true);
    await shot(page, 'contact-record');

    // SRC-8: a correction does not bring an objector back.
    await page.getByLabel('Champ', { exact: true }).selectOption('email');
    // SRC-3: without the person's request, the page says the new address would have no source.
    const rectifyForm = page.getByRole('region', { name: 'Rectifier un champ' });
    expect(await rectifyForm.textContent()).toMatch(/pas de source.*SRC-3/);
    await page.getByLabel('Nouvelle valeur').fill('objector@exemple.fr');
    await page.getByRole('button', { name: 'Rectifier', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/SRC-8/);
    await shot(page, 'rectify-refused');
    await rectifyForm.getByLabel('En réponse à la demande').selectOption(rectificationId);
    expect(await rectifyForm.textContent()).not.toMatch(/SRC-3/);
    await page.getByLabel('Nouvelle valeur').fill('alice.bernard@exemple.fr');
    await page.getByRole('button', { name: 'Rectifier', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Champ rectifié : Email.' }).waitFor();
    await page
      .getByRole('region', { name: 'Identité' })
      .getByText('alice.bernard@exemple.fr')
      .waitFor();
    expect(await page.getByRole('region', { name: 'Rectifications' }).textContent()).toMatch(
      /Email/,
    );
    await shot(page, 'contact-rectified');
    // In answer to her request: the new address keeps the source that supplied the old one.
    const sources = (await s.db.execute(
      sql`select email_source_id from contacts where id = ${aliceId}`,
    )) as unknown as { rows: { email_source_id: string | null }[] };
    expect(sources.rows).toEqual([{ email_source_id: membersId }]);

    await page
      .getByRole('region', { name: 'Effacer la personne' })
      .getByLabel('En réponse à la demande')
      .selectOption(erasureId);

    await page.getByRole('button', { name: 'Effacer cette personne' }).click();
    await page.getByRole('button', { name: 'Confirmer l’effacement définitif' }).click();
    await page.getByRole('status').filter({ hasText: 'La personne est effacée' }).waitFor();
    await shot(page, 'contact-erased');
    expect(
      await findContactIds(s.db, { keys: s.keys, orgId, email: 'alice.bernard@exemple.fr' }),
    ).toEqual([]);

    const erasure = (await s.db.execute(
      sql`select summary from audit_events where action = 'contact.erase' and org_id = ${orgId}`,
    )) as unknown as { rows: { summary: unknown }[] };
    expect(erasure.rows).toEqual([{ summary: { erased: 1, requestId: erasureId } }]);

    // Ids only in URLs: never the address or the name searched for.
    expect(urls.filter((u) => /alice|bernard|%40|@/i.test(u))).toEqual([]);
  });
});
