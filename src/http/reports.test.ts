// REP-1 over HTTP and the CLI: the report page `/m/:ref/report` (a no-JS form in the
// organisation's languages, Arabic first for a Moroccan organisation), its POST (303 to the
// thank-you page; a reason outside the list: the form again, 400, naming the field; throttled: a
// 429 page; an unknown reference: a 404 page, not JSON), the public JSON API, the DPO's list
// (`report.read`) and `isoloir report list`, whose human lines name no one.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliRunner } from '../../test/cli-runner.ts';
import { makeOrg } from '../../test/factories.ts';
import { sendToAudience, storedMessage } from '../../test/sent-message.ts';
import { makeAudience, type Audience } from '../../test/sending.ts';
import { bearer, makeStaff, type Staff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { REPORTS_PER_MESSAGE } from '../domain/rights/reports.ts';
import { createApp } from './app.ts';

const now = new Date('2026-11-24T10:00:00Z');
let s: TestServices;
let app: ReturnType<typeof createApp>;
let audience: Audience;
let refs: string[];
let dpo: Staff;
let volunteer: Staff;
/** A message of a Moroccan organisation (its page speaks Arabic first). */
let moroccanRef: string;

type Rows<T> = { rows: T[] };

beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
  app = createApp(s);
  audience = await makeAudience(s, 3, 'rep-http');
  ({ refs } = await sendToAudience(s, audience));
  dpo = await makeStaff(s, audience.orgId, 'dpo');
  volunteer = await makeStaff(s, audience.orgId, 'volunteer');

  const ma = await makeOrg(s, { jurisdiction: 'MA', legalName: 'Association Exemple Rabat' });
  moroccanRef = await storedMessage(s, { orgId: ma.id, contactId: null });
});
afterAll(() => s.dispose());

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

describe('the report page (REP-1)', () => {
  it('is a form with a labelled radio per reason in plain words, optional words, the DPO and the regulator, no script, not cached', async () => {
    const res = await app.request(`/m/${refs[0]}/report`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain('<html lang="fr" dir="ltr">');
    expect(page).not.toContain('<script');
    for (const reason of [
      'no_consent',
      'had_objected',
      'no_way_to_stop',
      'during_silence',
      'other_peoples_data',
      'other',
    ])
      expect(page).toMatch(
        new RegExp(`id="reason-${reason}"[^>]*>\\s*<label for="reason-${reason}">`),
      );
    expect(page).toContain('J’avais déjà demandé à ne plus en recevoir');
    expect(page).toMatch(/<label for="comment">/);
    expect(page).toContain('maxlength="2000"');
    expect(page).toContain('délégué à la protection des données');
    expect(page).toContain('CNIL');
    expect(page).toContain('href="https://www.cnil.fr/fr/plaintes"');
  });

  it('speaks Arabic, right to left, for a Moroccan organisation, with links to French and English', async () => {
    const page = await (await app.request(`/m/${moroccanRef}/report`)).text();
    expect(page).toContain('<html lang="ar" dir="rtl">');
    expect(page).toContain('الإبلاغ عن هذه الرسالة');
    expect(page).toContain('سبق أن طلبت التوقف عن تلقيها');
    expect(page).toContain('CNDP');
    expect(page).toContain('href="?lang=fr"');
    expect(page).toContain('href="?lang=en"');
    const french = await (await app.request(`/m/${moroccanRef}/report?lang=fr`)).text();
    expect(french).toContain('<html lang="fr" dir="ltr">');
  });

  it('a report posted from the form is recorded and redirects (303) to the thank-you page', async () => {
    const res = await app.request(
      `/m/${refs[0]}/report`,
      form({ reason: 'no_way_to_stop', comment: 'Aucun lien pour arrêter.' }),
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`/m/${refs[0]}/report?done=1`);
    const done = await app.request(res.headers.get('location')!);
    expect(done.status).toBe(200);
    expect(await done.text()).toContain('Merci, votre signalement est enregistré');
  });

  it('a reason outside the list gives the form again, 400, naming the field; nothing is recorded', async () => {
    const before = await count();
    const res = await app.request(
      `/m/${refs[1]}/report`,
      form({ reason: 'spam', comment: 'Mes mots' }),
    );
    expect(res.status).toBe(400);
    const page = await res.text();
    expect(page).toContain('Raison : choisissez l’une des raisons de la liste.');
    expect(page).toContain('<form method="post">');
    expect(page).toContain('Mes mots</textarea>');
    const none = await app.request(`/m/${refs[1]}/report`, form({}));
    expect(none.status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('an unknown reference answers 404 with a page, not JSON', async () => {
    for (const path of [`/m/${'0'.repeat(32)}/report`, '/m/not-a-ref/report']) {
      const get = await app.request(path);
      expect(get.status).toBe(404);
      expect(get.headers.get('content-type')).toContain('text/html');
      const post = await app.request(path, form({ reason: 'other' }));
      expect(post.status).toBe(404);
      expect(post.headers.get('content-type')).toContain('text/html');
    }
  });

  it('past the per-message budget the voter gets a 429 page in their language', async () => {
    for (let i = 0; i < REPORTS_PER_MESSAGE; i++)
      await app.request(`/m/${moroccanRef}/report`, form({ reason: 'other' }));
    const res = await app.request(`/m/${moroccanRef}/report`, form({ reason: 'other' }));
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(await res.text()).toContain('بلاغات كثيرة');
  });
});

async function count() {
  const r = (await s.db.execute(
    sql`select count(*)::int as n from message_reports`,
  )) as unknown as Rows<{ n: number }>;
  return Number(r.rows[0]!.n);
}

describe('the reports API (REP-1)', () => {
  it('POST /api/public/messages/:ref/reports answers 201 {id}; an unknown ref 404 JSON; a bad reason 400 with its key', async () => {
    const ok = await app.request(
      `/api/public/messages/${refs[1]}/reports`,
      json({ reason: 'had_objected' }),
    );
    expect(ok.status).toBe(201);
    expect(Object.keys(await ok.json())).toEqual(['id']);
    const unknown = await app.request(
      `/api/public/messages/${'0'.repeat(32)}/reports`,
      json({ reason: 'other' }),
    );
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { key: 'message.not_found' } });
    const bad = await app.request(
      `/api/public/messages/${refs[1]}/reports`,
      json({ reason: 'spam' }),
    );
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: { code: 'invalid', key: 'validation.not_allowed', params: { field: 'reason' } },
    });
  });

  it('the DPO reads the reports with their records (report.read); a volunteer may not', async () => {
    const res = await app.request(`/api/orgs/${audience.orgId}/reports`, { headers: bearer(dpo) });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Record<string, any>[] };
    expect(items.map((i) => i.reason).sort()).toEqual(['had_objected', 'no_way_to_stop']);
    const posted = items.find((i) => i.reason === 'no_way_to_stop')!;
    expect(posted.comment).toBe('Aucun lien pour arrêter.');
    expect(posted.record.source.type).toBe('supporter_signup');
    // Regenerated with the server's public address, as the send engine wrote it.
    expect(posted.record.notice).toContain(`${s.email.publicUrl}/privacy/${audience.orgId}`);
    // The unsubscribe link and the message's page (its stop button) are credentials: the staff
    // API never hands them out (SEC-2).
    expect(posted.record.notice).not.toContain(`/u/${posted.ref}`);
    expect(posted.record.notice).not.toContain(`/m/${posted.ref}`);
    expect(posted.record.notice).toContain('<unsubscribe link>');
    expect(posted.record.notice).toContain('<message page>');
    const refused = await app.request(`/api/orgs/${audience.orgId}/reports`, {
      headers: bearer(volunteer),
    });
    expect(refused.status).toBe(403);
  });
});

describe('isoloir report list (REP-1)', () => {
  const cli = cliRunner(() => s);

  it('--json gives {items: [{id, ref, channel, reason, receivedAt, record}]}; the human lines name no one', async () => {
    const res = await cli('report', 'list', '--org', audience.orgId, '--json');
    expect(res.code, res.stderr).toBe(0);
    const { items } = res.json() as { items: Record<string, any>[] };
    expect(items).toHaveLength(2);
    for (const item of items) {
      expect(item).toMatchObject({
        channel: 'email',
        ref: expect.stringMatching(/^[0-9a-f]{32}$/),
      });
      expect(item.record).toMatchObject({
        message: { channel: 'email', state: 'sent' },
        source: { type: 'supporter_signup' },
        campaign: { plannedBy: 'test', sentBy: 'test' },
        contactHeld: true,
      });
      expect(typeof item.record.notice).toBe('string');
      // No unsubscribe credential in the export (SEC-2).
      expect(item.record.notice).not.toContain(`/u/${item.ref}`);
    }
    const human = await cli('report', 'list', '--org', audience.orgId);
    expect(human.code, human.stderr).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(human.stdout).toContain('no_way_to_stop');
    expect(human.stdout).not.toContain('Aucun lien');
    for (const p of audience.people) expect(human.stdout).not.toContain(p.email);
  });
});
