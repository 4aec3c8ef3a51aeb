// OPT-1: the unsubscribe link. A replay (a reload, a mail client's retry, a scanner) answers as
// before and writes nothing, also once the recipient was erased (OPT-3); the form redirects after
// its POST; a broken link gets a page, not JSON. The throttle (429 + page) never drops an
// objection: a link that verifies is never throttled when it is posted; forged links are, per
// client address; the pages keep a generous per-address limit.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeOrg, makeSource } from '../../test/factories.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { unsubscribe } from '../domain/objections/unsubscribe.ts';
import { deleteSource } from '../domain/sources/delete-source.ts';
import { unsubscribeToken } from '../domain/objections/unsubscribe-token.ts';
import { createCampaign } from '../domain/outreach/campaigns.ts';
import { saveSegment } from '../domain/segments/segments.ts';
import { createApp } from './app.ts';
import { PER_ADDRESS, PER_ADDRESS_FORGED, PER_TOKEN } from './public-limiter.ts';

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

/** Many recipients of one campaign (one organisation), each with the link of their message. */
async function recipients(count: number) {
  const org = await makeOrg(s, { jurisdiction: 'FR', legalName: 'Association Exemple' });
  const source = await makeSource(s, org.id, { type: 'member_file' });
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
  const tokens: string[] = [];
  for (let i = 0; i < count; i++) {
    const { id } = await addContact(s.db, {
      keys: s.keys,
      orgId: org.id,
      sourceId: source.id,
      identity: { birthName: `Martin${i}`, email: `martin.${i}@exemple.fr` },
      actor: 'test',
    });
    const ref = randomBytes(16).toString('hex');
    await s.db.execute(sql`
      insert into outbox (campaign_id, org_id, contact_id, channel, message_ref, state, updated_at)
      values (${campaign.id}, ${org.id}, ${id}, 'email', ${ref}, 'sent', now())`);
    tokens.push(unsubscribeToken(s.keys.unsubscribeKey(), ref));
  }
  return { orgId: org.id, tokens };
}

/** How many of the organisation's contacts have withdrawn their email consent. */
const withdrawn = async (orgId: string) => {
  const r = (await s.db.execute(sql`
    select count(*)::int as n from contacts
    where org_id = ${orgId} and consent_email = 'withdrawn'`)) as unknown as Rows<{ n: number }>;
  return r.rows[0]!.n;
};

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

  it('OPT-1: once the recipient’s source was deleted, the link says the data is no longer held and claims no objection', async () => {
    const r = await recipient('prospect');
    const [{ source_id }] = (
      (await s.db.execute(
        sql`select source_id from contact_provenance where contact_id = ${r.contactId}`,
      )) as unknown as Rows<{ source_id: string }>
    ).rows as [{ source_id: string }];
    await deleteSource(s.db, { sourceId: source_id, actor: 'test', keys: s.keys });
    const app = newApp();
    const before = await stored(r.orgId);
    const page = await (await app.request(r.path)).text();
    expect(page).toMatch(/Nous ne détenons plus vos données/);
    expect(page).not.toMatch(/déjà enregistrée|<form/);
    const posted = await app.request(r.path, oneClick);
    expect(posted.status).toBe(200);
    expect(await posted.text()).toMatch(/Nous ne détenons plus vos données/);
    expect(await stored(r.orgId)).toEqual(before);
    // An erased objector's old message still answers "already recorded".
    const objector = await recipient('prospect');
    await app.request(objector.path, oneClick);
    expect(await (await app.request(objector.path)).text()).toMatch(/Opposition déjà enregistrée/);
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
        expect(text).toMatch(new RegExp(`<html lang="${lang}" dir="ltr">`));
        expect(text).toMatch(words);
        // Known organisation: its language only.
        if (path.startsWith(fr.path.slice(0, 20))) expect(text).not.toMatch(/not valid/);
      }
    }
    expect([await stored(fr.orgId), await stored(en.orgId)]).toEqual(before);
  });

  it('OPT-1: 500 one-click unsubscribes for distinct links from one address (a mail provider) are all recorded', async () => {
    const { orgId, tokens } = await recipients(500);
    const app = newApp();
    const provider = { incoming: { socket: { remoteAddress: '198.51.100.25' } } };
    const statuses = new Map<number, number>();
    for (const token of tokens) {
      const res = await app.request(`/u/${token}`, oneClick, provider);
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 200: 500 });
    expect(await withdrawn(orgId)).toBe(500);
  }, 120_000);

  it('OPT-2: whoever holds a forwarded link cannot block its recipient: after 1000 visits the one-click still records the objection', async () => {
    const r = await recipient('member');
    const app = newApp();
    const holder = { incoming: { socket: { remoteAddress: '192.0.2.80' } } };
    // The link's page is throttled per link (PER_TOKEN views), never its objection.
    const statuses = new Map<number, number>();
    for (let i = 0; i < 1000; i++) {
      const status = (await app.request(r.path, undefined, holder)).status;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 200: PER_TOKEN, 429: 1000 - PER_TOKEN });
    // The recipient, elsewhere, is throttled on the page too, but that page still lets them object.
    const recipientSide = { incoming: { socket: { remoteAddress: '192.0.2.81' } } };
    const limited = await app.request(r.path, undefined, recipientSide);
    expect(limited.status).toBe(429);
    expect(await limited.text()).toMatch(/<form method="post">.*Confirm unsubscribe/s);
    const res = await app.request(r.path, oneClick, holder);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/C’est fait/);
    expect((await stored(r.orgId)).ledger).toBeGreaterThan(0);
  });

  it('OPT-1: forged unsubscribe links from one address get 429 after the limit, with Retry-After and a page; that address’s genuine links still work', async () => {
    const r = await recipient('member');
    const app = newApp();
    const forger = { incoming: { socket: { remoteAddress: '203.0.113.9' } } };
    const forged = (i: number) =>
      `/u/${randomBytes(16).toString('hex')}.${randomBytes(16).toString('base64url').slice(0, 22)}${i % 2 ? '' : 'x'}`;
    for (let i = 0; i < PER_ADDRESS_FORGED; i++)
      expect((await app.request(forged(i), i % 3 ? oneClick : undefined, forger)).status).toBe(404);
    for (const init of [undefined, oneClick]) {
      const limited = await app.request(forged(1), init, forger);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(await limited.text()).toMatch(/Trop de demandes.*Too many requests/s);
    }
    // A percent-encoded forgery is no way around the budget.
    expect((await app.request(`/u/%30${forged(1).slice(4)}`, oneClick, forger)).status).toBe(429);
    // The genuine link, from the same address: its page and its POST still answer.
    expect((await app.request(r.path, undefined, forger)).status).toBe(200);
    expect((await app.request(r.path, oneClick, forger)).status).toBe(200);
    expect((await stored(r.orgId)).ledger).toBeGreaterThan(0);
    // Another address is not concerned; the window passes.
    const elsewhere = { incoming: { socket: { remoteAddress: '192.0.2.7' } } };
    expect((await app.request(forged(1), undefined, elsewhere)).status).toBe(404);
    later();
    expect((await app.request(forged(1), undefined, forger)).status).toBe(404);
  });

  it('OPT-1: the pages (GET, privacy notice) keep a generous per-address limit, which never blocks a one-click objection', async () => {
    const r = await recipient('member');
    const app = newApp();
    // Privacy pages and link pages share the address's budget (one link alone has its own, smaller).
    for (let i = 0; i < PER_ADDRESS; i++)
      expect((await app.request(i < PER_TOKEN ? r.path : `/privacy/${r.orgId}`)).status).toBe(200);
    for (const path of [r.path, `/privacy/${r.orgId}`]) {
      const limited = await app.request(path);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBeTruthy();
      expect(await limited.text()).toMatch(/Trop de demandes.*Too many requests/s);
    }
    expect((await app.request(r.path, oneClick)).status).toBe(200);
    expect((await stored(r.orgId)).ledger).toBeGreaterThan(0);
    const elsewhere = { incoming: { socket: { remoteAddress: '192.0.2.7' } } };
    expect((await app.request(`/privacy/${r.orgId}`, undefined, elsewhere)).status).toBe(200);
    later();
    expect((await app.request(`/privacy/${r.orgId}`)).status).toBe(200);
  }, 120_000);
});
