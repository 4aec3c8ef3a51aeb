// The voter's side and the DPO's workspace in a real browser (Debian's Chromium via
// playwright-core) against the real server. The DPO, signed in with a second factor, sees the
// queue of rights requests with their clocks (overdue in red and said in words, due this week
// highlighted, days left; RIGHTS-1), answers one and extends another from the page, reads a report
// beside its compliance record (REP-1) and finds the reports counted on the dashboard. The voter's
// pages (the message's page, the report form, the rights form, the code page and the access
// answer; RIGHTS-2, RIGHTS-1, REP-1) are shown on a phone-sized screen (375×740), in French for a
// French organisation and in Arabic, right to left, for a Moroccan one. Every screen is checked by
// axe (WCAG 2.1 AA) and saved as a screenshot. The data are made in-process (services,
// factories, the send engine on a fake channel), not through slow screens.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { confirmTotpEnrolment, startTotpEnrolment } from '../../src/domain/access/enrolment.ts';
import { createSession } from '../../src/domain/access/sessions.ts';
import { totpCode } from '../../src/domain/access/totp.ts';
import { addContact } from '../../src/domain/contacts/contacts.ts';
import { confirmRightsRequest } from '../../src/domain/rights/confirm-request.ts';
import { recordReport } from '../../src/domain/rights/reports.ts';
import { createRightsRequest } from '../../src/domain/rights/requests.ts';
import { saveSegment } from '../../src/domain/segments/segments.ts';
import { buildWebApp, launchBrowser, screenshotter, serveApp } from '../browser.ts';
import { makeOrg, makeSource } from '../factories.ts';
import { sendToAudience } from '../sent-message.ts';
import { latestCode, queuedMail } from '../service-mail.ts';
import { makeStaff, type Staff } from '../staff.ts';
import { openTestServices, testDbKind, type TestServices } from '../test-db.ts';

let s: TestServices;
let server: Awaited<ReturnType<typeof serveApp>>;
let browser: Browser;
let webDist: string;
const shot = screenshotter(`voter-side-${testDbKind}`);
/** Every URL either browser asked for: none may carry personal data. */
const urls: string[] = [];

type Sent = { orgId: string; people: { id: string; email: string; ref: string }[] };
let fr: Sent;
let ma: Sent;
let dpo: Staff & { totpSecret: string };

const DAY = 86_400_000;

/**
 * An organisation ready to send, `n` supporters with an email (p0@<tag>.example...), and one
 * campaign sent to them by the send engine on a fake channel: each person's message reference.
 */
async function organisationWithMessages(
  tag: string,
  overrides: Record<string, unknown>,
  n: number,
): Promise<Sent> {
  const orgId = (
    await makeOrg(s, {
      noticePurposes: 'informer les électeurs du programme',
      noticeRecipients: 'l’équipe de campagne',
      ...overrides,
    })
  ).id;
  const source = await makeSource(s, orgId, {
    type: 'supporter_signup',
    label: 'Inscrits du site',
    collection: { where: 'formulaire du site', notice: 'notice du formulaire' },
  });
  const ids: { id: string; email: string }[] = [];
  for (let i = 0; i < n; i++) {
    const email = `p${i}@${tag}.example`;
    const { id } = await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: source.id,
      identity: { birthName: `Nom${i}`, firstNames: `Prénom${i}`, email },
      actor: 'test',
    });
    ids.push({ id, email });
  }
  const segmentId = (
    await saveSegment(s.db, { orgId, input: { name: 'Tous', where: { and: [] } }, actor: 'test' })
  ).id;
  const { refs } = await sendToAudience(
    s,
    { orgId, segmentId, people: ids },
    { input: { subject: 'Réunion publique' }, recipients: n },
  );
  return { orgId, people: ids.map((p, i) => ({ ...p, ref: refs[i]! })) };
}

/** A confirmed rights request received `daysAgo` days ago (the code confirmed at once). */
async function confirmedRequest(
  orgId: string,
  email: string,
  kind: string,
  daysAgo: number,
  details?: string,
): Promise<string> {
  const at = new Date(Date.now() - daysAgo * DAY);
  const clock = () => at;
  const { id } = await createRightsRequest(s.db, {
    keys: s.keys,
    clock,
    orgId,
    input: { kind, email, ...(details && { details }) },
    client: 'test',
  });
  const code = await latestCode(s, orgId, email);
  const confirmed = await confirmRightsRequest(s.db, { keys: s.keys, clock, requestId: id, code });
  expect(confirmed.status).toBe('open');
  return id;
}

/** A DPO whose second factor is enrolled (two minutes ago, so that the code of now is new). */
async function dpoWithSecondFactor(orgId: string): Promise<Staff & { totpSecret: string }> {
  const staff = await makeStaff(s, orgId, 'dpo', { email: 'dora@staff.example' });
  const then = new Date(Date.now() - 120_000);
  const session = await createSession(s.db, {
    userId: staff.userId,
    secondFactorDone: false,
    clock: () => then,
  });
  const { secret } = await startTotpEnrolment(s.db, {
    keys: s.keys,
    userId: staff.userId,
    sessionId: session.id,
  });
  await confirmTotpEnrolment(s.db, {
    keys: s.keys,
    userId: staff.userId,
    sessionId: session.id,
    input: { code: await totpCode(secret, then) },
    clock: () => then,
  });
  return { ...staff, totpSecret: secret };
}

async function newPage(
  context: { locale: string; width: number; height: number },
  extra: Record<string, unknown> = {},
): Promise<{ page: Page; context: BrowserContext }> {
  const ctx = await browser.newContext({
    locale: context.locale,
    viewport: { width: context.width, height: context.height },
    ...extra,
  });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  page.on('request', (r) => urls.push(r.url()));
  return { page, context: ctx };
}

const PHONE = { width: 375, height: 740 };

/** The page fits the phone's width: nothing to scroll sideways. */
async function fitsThePhone(page: Page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(width).toBeLessThanOrEqual(PHONE.width);
}

beforeAll(async () => {
  s = await openTestServices();
  [webDist, fr, ma] = await Promise.all([
    buildWebApp(),
    organisationWithMessages('fr', {}, 4),
    organisationWithMessages('ma', { jurisdiction: 'MA', cndpReceipt: 'D-123/2026' }, 1),
  ]);
  dpo = await dpoWithSecondFactor(fr.orgId);
  server = await serveApp(s, webDist);
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await s?.dispose();
});

describe('the voter’s side and the DPO’s workspace, in Chromium', () => {
  it('shows the DPO each request’s clock (RIGHTS-1), answers and extends from the page, and lays out a report’s compliance record (REP-1)', async () => {
    const [p0, p1, p2, p3] = fr.people;
    const overdue = await confirmedRequest(fr.orgId, p1!.email, 'rectification', 40, 'Mon nom');
    const soon = await confirmedRequest(fr.orgId, p2!.email, 'restriction', 26, 'Pas de SMS');
    const later = await confirmedRequest(fr.orgId, p3!.email, 'rectification', 0, 'Mon prénom');
    await recordReport(s.db, {
      keys: s.keys,
      clock: s.clock,
      ref: p0!.ref,
      input: { reason: 'no_consent', comment: 'Je ne vous ai jamais donné mon adresse.' },
      client: 'test',
    });

    // Signing in: password, then the second factor (SEC-2).
    const { page, context } = await newPage({ locale: 'fr-FR', width: 1280, height: 900 });
    await page.goto(server.url);
    await page.getByLabel('Email').fill(dpo.email);
    await page.getByLabel('Mot de passe').fill(dpo.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByLabel('Code', { exact: true }).fill(await totpCode(dpo.totpSecret, new Date()));
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('heading', { level: 1, name: 'Tableau de bord' }).waitFor();

    // The dashboard counts reports by channel and by reason.
    const reports = page.getByRole('region', { name: /Signalements de messages/ });
    await expect
      .poll(() => reports.getByRole('heading', { level: 2 }).textContent())
      .toBe('Signalements de messages : 1');
    const byChannel = reports.getByRole('table').first();
    expect(await byChannel.getByRole('row', { name: /Email/ }).textContent()).toMatch(/1$/);
    expect(
      await reports.getByRole('row', { name: /Je n’ai jamais consenti/ }).textContent(),
    ).toMatch(/1$/);
    await shot(page, 'dashboard-reports');

    // The queue, by due date: overdue (in red, and said), due this week, days left.
    await page.getByRole('link', { name: 'Demandes (droits)' }).click();
    await page.getByRole('heading', { level: 1, name: 'Demandes d’exercice des droits' }).waitFor();
    const cards = page.getByTestId('request');
    await expect.poll(() => cards.count()).toBe(3);
    const clocks = await page.getByTestId('clock').allTextContents();
    expect(clocks[0]).toMatch(/^⚠ En retard de (9|10|11) jours$/);
    expect(clocks[1]).toMatch(/^Cette semaine : \d jours? restants?$/);
    expect(clocks[2]).toMatch(/^(28|29|30|31) jours restants$/);
    expect(await cards.nth(0).getByTestId('clock').getAttribute('class')).toMatch(/danger/);
    expect(await cards.nth(0).getByRole('link').getAttribute('href')).toBe(`/requests/${overdue}`);
    expect(await cards.nth(0).textContent()).toMatch(/Rectification.*à traiter.*par email/);
    expect(
      await page.getByRole('link', { name: /Retrouver la personne/ }).getAttribute('href'),
    ).toBe('/people');
    await shot(page, 'requests-queue');

    // The filter by status.
    await page.getByLabel('Afficher').selectOption('answered');
    await page.getByText('Aucune demande.').waitFor();
    await page.getByLabel('Afficher').selectOption('');
    await expect.poll(() => cards.count()).toBe(3);

    // Answering the request due in a month: the reply goes to the person, the request closes.
    await cards
      .nth(2)
      .getByRole('link', { name: /^Ouvrir/ })
      .click();
    expect(new URL(page.url()).pathname).toBe(`/requests/${later}`);
    const panel = page.getByTestId('request-panel');
    await panel.getByText('Mon prénom').waitFor();
    await shot(page, 'request-panel');
    await panel.getByLabel('Réponse à la personne').fill('Votre prénom est corrigé.');
    await panel.getByRole('button', { name: 'Envoyer la réponse et clore' }).click();
    await panel.getByRole('status').filter({ hasText: 'la demande est close' }).waitFor();
    await expect.poll(() => panel.getByTestId('clock').textContent()).toMatch(/^Répondue le /);
    const replies = (await queuedMail(s, fr.orgId)).filter(
      (m) => m.kind === 'rights_reply' && m.to === p3!.email,
    );
    expect(replies.map((m) => m.text).join('\n')).toMatch(/Votre prénom est corrigé\./);

    // Extending the one due this week, once, with a reason told to the person.
    await page.getByRole('button', { name: 'Fermer' }).click();
    await cards
      .nth(1)
      .getByRole('link', { name: /^Ouvrir/ })
      .click();
    expect(new URL(page.url()).pathname).toBe(`/requests/${soon}`);
    await panel.getByText('Pas de SMS').waitFor();
    await panel.getByLabel('Jours supplémentaires (61 au plus)').fill('30');
    await panel.getByLabel('Motif (communiqué à la personne)').fill('Vérification en cours.');
    await panel.getByRole('button', { name: 'Prolonger' }).click();
    await panel.getByRole('status').filter({ hasText: 'Délai prolongé jusqu’au' }).waitFor();
    await panel.getByText('Déjà prolongée une fois').waitFor();
    await expect.poll(() => panel.getByTestId('clock').textContent()).toMatch(/jours restants$/);
    expect(
      (await queuedMail(s, fr.orgId))
        .filter((m) => m.kind === 'rights_reply' && m.to === p2!.email)
        .map((m) => m.text)
        .join('\n'),
    ).toMatch(/Vérification en cours\./);
    await shot(page, 'request-extended');

    // The report, beside its message's compliance record.
    await page.getByRole('link', { name: 'Signalements', exact: true }).click();
    const report = page.getByTestId('report');
    await report.waitFor();
    const text = (await report.textContent())!;
    expect(text).toMatch(/Je n’ai jamais consenti \(Email\)/);
    expect(text).toMatch(/Je ne vous ai jamais donné mon adresse\./);
    expect(text).toMatch(/Sympathisants inscrits/);
    expect(text).toMatch(/formulaire du site/);
    expect(text).toMatch(/Réunion publique/);
    expect(text).toMatch(/Filtre du segment/);
    expect(text).toMatch(/responsable du traitement/);
    expect(await report.getByTestId('objected-before').textContent()).toBe('non');
    await shot(page, 'report-record');

    // The DPO's screens on a phone: cards, nothing to scroll sideways.
    await page.setViewportSize(PHONE);
    await page.getByRole('link', { name: 'Demandes (droits)' }).click();
    await expect.poll(() => cards.count()).toBe(3);
    await shot(page, 'requests-phone');
    await context.close();
  }, 120_000);

  it('shows a French organisation’s voter pages on a phone, axe-clean: the message’s page, a report, an access request answered at once (RIGHTS-2, REP-1, RIGHTS-1)', async () => {
    const p0 = fr.people[0]!;
    const { page, context } = await newPage({ locale: 'fr-FR', ...PHONE });
    await page.goto(`${server.url}/m/${p0.ref}`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    await page.getByRole('heading', { level: 1 }).waitFor();
    await fitsThePhone(page);
    await shot(page, 'message-page-fr');

    // The report form, and its thank-you page.
    await page.locator(`a[href^="/m/${p0.ref}/report"]`).first().click();
    await page.getByRole('heading', { level: 1, name: 'Signaler ce message' }).waitFor();
    await fitsThePhone(page);
    await shot(page, 'report-form-fr');
    await page.getByLabel('Le message ne donne aucun moyen de les arrêter').check();
    await page.getByLabel('Vos mots (facultatif)').fill('Aucun lien pour me désinscrire.');
    await page.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await page.getByRole('heading', { level: 1, name: /Merci/ }).waitFor();
    await shot(page, 'report-done-fr');

    // The rights form from the message's page, the code page, the access answer.
    await page.goto(`${server.url}/m/${p0.ref}`);
    await page.locator(`a[href^="/r/${fr.orgId}"]`).first().click();
    expect(new URL(page.url()).searchParams.get('ref')).toBe(p0.ref);
    await page.locator('input[name="kind"][value="access"]').check();
    await page.locator('input[name="email"]').fill(p0.email);
    await fitsThePhone(page);
    await shot(page, 'rights-form-fr');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/r\/requests\/[0-9a-f-]{36}/);
    await page.locator('input[name="code"]').waitFor();
    await fitsThePhone(page);
    await shot(page, 'code-page-fr');
    await page.locator('input[name="code"]').fill(await latestCode(s, fr.orgId, p0.email));
    await page.locator('button[type="submit"]').click();
    await page.locator('a[download]').waitFor();
    expect(await page.textContent('body')).toMatch(/Prénom0/);
    await fitsThePhone(page);
    await shot(page, 'access-answer-fr');
    await context.close();
  }, 60_000);

  it('shows a Moroccan organisation’s voter pages in Arabic, right to left, on a phone, axe-clean', async () => {
    const p0 = ma.people[0]!;
    const { page, context } = await newPage({ locale: 'ar-MA', ...PHONE });
    for (const [path, name] of [
      [`/m/${p0.ref}`, 'message-page-ar'],
      [`/m/${p0.ref}/report`, 'report-form-ar'],
    ] as const) {
      await page.goto(`${server.url}${path}`);
      expect(await page.locator('html').getAttribute('lang')).toBe('ar');
      expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
      await page.getByRole('heading', { level: 1 }).waitFor();
      await fitsThePhone(page);
      await shot(page, name);
    }
    await page.goto(`${server.url}/r/${ma.orgId}?ref=${p0.ref}`);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await page.locator('input[name="kind"][value="access"]').check();
    await page.locator('input[name="email"]').fill(p0.email);
    await fitsThePhone(page);
    await shot(page, 'rights-form-ar');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/\/r\/requests\/[0-9a-f-]{36}/);
    expect(await page.locator('html').getAttribute('dir')).toBe('rtl');
    await page.locator('input[name="code"]').waitFor();
    await shot(page, 'code-page-ar');
    await context.close();

    // No URL either browser asked for carried an address or a name.
    expect(urls.length).toBeGreaterThan(10);
    for (const url of urls) expect(url).not.toMatch(/@|\.example|Nom\d|Pr%C3%A9nom/i);
  }, 60_000);
});
