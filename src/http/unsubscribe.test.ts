// OPT-1: the unsubscribe link. A replay (a reload, a mail client's retry, a scanner) answers as
// before and writes nothing, also once the recipient was erased (OPT-3); the form redirects after
// its POST; a broken link gets a page, not JSON; the public pages are throttled (429 + page).
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeOrg, makeSource } from '../../test/factories.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { unsubscribe } from '../domain/objections/unsubscribe.ts';
import { unsubscribeToken } from '../domain/objections/unsubscribe-token.ts';
import { createCampaign } from '../domain/outreach/campaigns.ts';
import { saveSegment } from '../domain/segments/segments.ts';
import { createApp } from './app.ts';
import { PER_ADDRESS, PER_TOKEN } from './public-limiter.ts';

let s: TestServices;
let now = new Date('2026-11-24T10:00:00Z');
beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
});
afterAll(() => s.dispose());

/** A fresh app each time: the throttle's memory is per app (per server process). */
const newApp = () => createApp(s);
const later = () => (now = new Date(now.getTime() + 3600_000));

type Rows<T> = { rows: T[] };
const stored = async (orgId: string) => {
  const r = (await s.db.execute(sql`
    select (select count(*)::int from consent_entries where org_id = ${orgId}) as ledger,
      (select count(*)::int from audit_events where org_id = ${orgId}) as audit,
      (select count(*)::int from suppressions where org_id = ${orgId}) as suppressions,
      (select count(*)::int from contacts where org_id = ${orgId}) as contacts`)) as unknown as Rows<
    Record<string, number>
  >;
  return r.rows[0]!;
};

/** One recipient (a member, or a prospect from a purchased file) and the link of their message. */
async function recipient(kind: 'member' | 'prospect', jurisdiction = 'FR') {
  const org = await makeOrg(s, { jurisdiction, legalName: 'Association Exemple' });
  const source =
    kind === 'member'
      ? await makeSource(s, org.id, { type: 'member_file' })
      : await makeSource(s, org.id, { type: 'purchased_file', attestation });
  const { id } = await addContact(s.db, {
    keys: s.keys,
    orgId: org.id,
    sourceId: source.id,
    identity: { birthName: 'Martin', email: `martin.${randomBytes(3).toString('hex')}@exemple.fr` },
    actor: 'test',
  });
  const segment = await saveSegment(s.db, {
    orgId: org.id,
    input: { name: 'Tous', where: { and: [] } },
    actor: 'test',
  });
  const campaign = await createCampaign(s.db, {
    orgId: org.id,
    input: {
      segmentId: segment.id,
      fromName: 'Exemple',
      fromEmail: 'contact@exemple-2027.fr',
      subject: 'Réunion',
      body: 'Bonjour',
    },
    actor: 'test',
    clock: s.clock,
  });
  const ref = randomBytes(16).toString('hex');
  await s.db.execute(sql`
    insert into outbox (campaign_id, org_id, contact_id, channel, message_ref, state, updated_at)
    values (${campaign.id}, ${org.id}, ${id}, 'email', ${ref}, 'sent', now())`);
  const token = unsubscribeToken(s.keys.unsubscribeKey(), ref);
  return { orgId: org.id, contactId: id, token, path: `/u/${token}` };
}

const oneClick = {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'List-Unsubscribe=One-Click',
};
const formPost = {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: '',
};

describe('the unsubscribe link (OPT-1)', () => {
  it('OPT-1: 100 replays of the unsubscribe link write nothing new', async () => {
    for (const kind of ['member', 'prospect'] as const) {
      const r = await recipient(kind);
      const first = await unsubscribe(s.db, { keys: s.keys, token: r.token, clock: s.clock });
      expect(first.alreadyRecorded).toBe(false);
      const after = await stored(r.orgId);
      expect(after.contacts).toBe(kind === 'member' ? 1 : 0);
      const replays = await Promise.all(
        Array.from({ length: 100 }, () =>
          unsubscribe(s.db, { keys: s.keys, token: r.token, clock: s.clock }),
        ),
      );
      expect(replays.every((a) => a.alreadyRecorded && a.org.id === r.orgId)).toBe(true);
      expect(await stored(r.orgId)).toEqual(after);
    }
  });

  it('OPT-1: a replayed one-click POST answers as before and writes nothing, also after the recipient was erased', async () => {
    for (const kind of ['member', 'prospect'] as const) {
      const r = await recipient(kind);
      const app = newApp();
      const first = await app.request(r.path, oneClick);
      expect(first.status).toBe(200);
      const firstPage = await first.text();
      expect(firstPage).toMatch(/C’est fait/);
      const after = await stored(r.orgId);
      for (let i = 0; i < 5; i++) {
        const again = await app.request(r.path, oneClick);
        expect(again.status).toBe(200);
        expect(await again.text()).toBe(firstPage);
      }
      expect(await stored(r.orgId)).toEqual(after);
    }
  });

  it('OPT-1: the form redirects (303) to its page, which then says the objection is recorded', async () => {
    const r = await recipient('prospect');
    const app = newApp();
    const ask = await app.request(r.path);
    expect(ask.status).toBe(200);
    expect(await ask.text()).toMatch(/<form method="post">.*Confirmer le désabonnement/s);
    const posted = await app.request(r.path, formPost);
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(`${r.token}?done=1`);
    const done = await app.request(`${r.path}?done=1`);
    expect(done.status).toBe(200);
    const donePage = await done.text();
    expect(donePage).toMatch(/<h1>C’est fait<\/h1>/);
    expect(donePage).not.toMatch(/<form/);
    // A reload of that page, or a later visit, posts nothing and says it is already recorded.
    const after = await stored(r.orgId);
    const visit = await app.request(r.path);
    expect(await visit.text()).toMatch(/Opposition déjà enregistrée.*déjà enregistrée/s);
    const repost = await app.request(r.path, formPost);
    expect(repost.status).toBe(303);
    expect(repost.headers.get('location')).toBe(r.token);
    expect(await stored(r.orgId)).toEqual(after);
  });

  it('OPT-1: answers an invalid or truncated link with a page, in the organisation’s language when it can be known', async () => {
    const app = newApp();
    const fr = await recipient('member', 'FR');
    const en = await recipient('member', 'EU');
    const before = [await stored(fr.orgId), await stored(en.orgId)];
    for (const [path, lang, words] of [
      [fr.path.slice(0, -5), 'fr', /Ce lien de désabonnement n’est pas valable/],
      [en.path.slice(0, -5), 'en', /This unsubscribe link is not valid/],
      [
        '/u/0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAA',
        'fr',
        /pas valable.*not valid/s,
      ],
      ['/u/n', 'fr', /pas valable.*not valid/s],
    ] as const) {
      for (const init of [undefined, oneClick]) {
        const res = await app.request(path, init);
        expect(res.status).toBe(404);
        expect(res.headers.get('content-type')).toMatch(/^text\/html/);
        const text = await res.text();
        expect(text).toMatch(new RegExp(`<html lang="${lang}">`));
        expect(text).toMatch(words);
        // Known organisation: its language only.
        if (path.startsWith(fr.path.slice(0, 20))) expect(text).not.toMatch(/not valid/);
      }
    }
    expect([await stored(fr.orgId), await stored(en.orgId)]).toEqual(before);
  });

  it('OPT-1: throttles the public pages per token and per client address, with 429, Retry-After and a page', async () => {
    const r = await recipient('member');
    let app = newApp();
    for (let i = 0; i < PER_TOKEN; i++) expect((await app.request(r.path)).status).toBe(200);
    const limited = await app.request(r.path, oneClick);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await limited.text()).toMatch(/Trop de demandes.*Too many requests/s);
    expect((await stored(r.orgId)).ledger).toBe(0); // the throttled POST recorded nothing
    // Another link from the same address still works; the window passes.
    const other = await recipient('member');
    expect((await app.request(other.path)).status).toBe(200);
    later();
    expect((await app.request(r.path)).status).toBe(200);

    // Per address: every public page counts, whatever the token.
    app = newApp();
    for (let i = 0; i < PER_ADDRESS; i++)
      expect((await app.request(`/u/guess${i}`)).status).toBe(404);
    const privacy = await app.request(`/privacy/${r.orgId}`);
    expect(privacy.status).toBe(429);
    expect(privacy.headers.get('retry-after')).toBeTruthy();
    const elsewhere = { incoming: { socket: { remoteAddress: '192.0.2.7' } } };
    expect((await app.request(`/privacy/${r.orgId}`, undefined, elsewhere)).status).toBe(200);
  });
});
