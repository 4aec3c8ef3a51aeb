// RIGHTS-2: a message's own page (`/m/:ref`) and its JSON, on messages the send engine really
// sent: the notice links the page; the page and the JSON name the source that supplied the address
// (recorded on the message when sent: outbox.source_id), also once the contact's address came from
// another source or the contact was erased; the page shows nothing of the recipient; its "stop all
// messages" button is the unsubscribe link's objection (OPT-1) and is never throttled; an unknown
// reference is a 404 page (JSON under /api); the page speaks the organisation's languages.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeOrg, makeSource } from '../../test/factories.ts';
import { sendToAudience, storedMessage } from '../../test/sent-message.ts';
import {
  fakeChannel,
  makeAudience,
  makeDispatcher,
  makeSendingCampaign,
} from '../../test/sending.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { unsubscribeToken } from '../domain/objections/unsubscribe-token.ts';
import { eraseContacts } from '../domain/objections/erase-prospects.ts';
import type { OutgoingEmail } from '../domain/outreach/compose.ts';
import { createApp } from './app.ts';
import { PER_ADDRESS } from './public-limiter.ts';

type Rows<T> = { rows: T[] };
let s: TestServices;
const now = new Date('2026-11-24T10:00:00Z');
const mails = new Map<string, OutgoingEmail>();
let orgId: string;
let sourceId: string;
let segmentId: string;
/** The recipients, each with the reference of the message the engine sent them. */
let people: { id: string; email: string; ref: string }[];
const NAME = 'Zéphyrine';
let app: ReturnType<typeof createApp>;

const rows = async <T>(query: ReturnType<typeof sql>) =>
  ((await s.db.execute(query)) as unknown as Rows<T>).rows;

beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
  const audience = await makeAudience(s, 3, 'message-page');
  orgId = audience.orgId;
  segmentId = audience.segmentId;
  sourceId = (
    await rows<{ sourceId: string }>(
      sql`select email_source_id as "sourceId" from contacts where id = ${audience.people[0]!.id}`,
    )
  )[0]!.sourceId;
  // A recipient with a name, to look for it on the page.
  const named = await addContact(s.db, {
    keys: s.keys,
    orgId,
    sourceId,
    identity: {
      firstNames: NAME,
      birthName: 'Quelconque',
      email: 'zephyrine@message-page.example',
    },
    actor: 'test',
  });
  const channel = fakeChannel((m) => {
    mails.set(m.to, m);
    return { ok: true };
  });
  const recipients = [
    ...audience.people,
    { id: named.id, email: 'zephyrine@message-page.example' },
  ];
  const { refs } = await sendToAudience(s, { ...audience, people: recipients }, { channel });
  people = recipients.map((p, i) => ({ ...p, ref: refs[i]! }));
  app = createApp(s);
});
afterAll(() => s.dispose());

const form = (body = '') => ({
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body,
});
const facts = async (ref: string) =>
  (await app.request(`/api/public/messages/${ref}`)).json() as Promise<Record<string, unknown>>;

/** A message of a recipient from a purchased file in an organisation of `jurisdiction`. */
async function purchasedMessage(jurisdiction: 'FR' | 'MA') {
  const org = await makeOrg(s, {
    jurisdiction,
    noticePurposes: 'informer',
    ...(jurisdiction === 'MA' && { cndpReceipt: 'CNDP-2026-0001' }),
  });
  const source = await makeSource(s, org.id, {
    type: 'purchased_file',
    attestation,
    obtainedOn: '2026-10-01',
  });
  const { id } = await addContact(s.db, {
    keys: s.keys,
    orgId: org.id,
    sourceId: source.id,
    identity: { birthName: 'Martin', email: `martin.${randomBytes(3).toString('hex')}@exemple.fr` },
    actor: 'test',
  });
  const ref = await storedMessage(s, { orgId: org.id, contactId: id, sourceId: source.id });
  return { orgId: org.id, ref };
}

describe('the message’s page (RIGHTS-2)', () => {
  it('RIGHTS-2: the notice of every sent email links the message’s own page', () => {
    for (const p of people) {
      const mail = mails.get(p.email)!;
      const url = `https://x.example/m/${p.ref}`;
      expect(mail.text).toContain(`Pourquoi ce message, vos droits : ${url}`);
      expect(mail.html).toContain(`<a href="${url}">${url}</a>`);
    }
  });

  it('RIGHTS-2: the JSON has exactly the documented keys, with a retention sentence when there is no date', async () => {
    const supporter = await facts(people[0]!.ref);
    expect(Object.keys(supporter).sort()).toEqual(
      [
        'organisation',
        'channel',
        'sentAt',
        'source',
        'purpose',
        'legalBasis',
        'retainedUntil',
        'retention',
        'regulator',
      ].sort(),
    );
    expect(Object.keys(supporter.organisation as object).sort()).toEqual([
      'contact',
      'dpo',
      'name',
    ]);
    expect(Object.keys(supporter.source as object).sort()).toEqual([
      'description',
      'obtainedOn',
      'type',
    ]);
    expect(supporter).toMatchObject({
      organisation: { name: 'Association Exemple pour 2027', dpo: 'dpo@exemple-2027.fr' },
      channel: 'email',
      sentAt: now.toISOString(),
      source: { type: 'supporter_signup' },
      purpose: 'informer',
      retainedUntil: null,
      retention: expect.stringMatching(/fin de notre relation/),
      regulator: { name: 'CNIL', url: 'https://www.cnil.fr/fr/plaintes' },
    });
    // Public words, never the staff label.
    expect(JSON.stringify(supporter)).not.toContain('Adhérents 2026');
    // A source kept a set time: a date, and no sentence.
    const dated = await facts((await purchasedMessage('FR')).ref);
    expect(Object.keys(dated)).not.toContain('retention');
    expect(dated).toMatchObject({
      retainedUntil: '2027-01-20',
      source: { type: 'purchased_file' },
    });
  });

  it('RIGHTS-2: names the source that supplied the email address (outbox.source_id), even after the contact’s address source changed or the contact was erased', async () => {
    const [changed, erased] = [people[1]!, people[2]!];
    const recorded = await rows<{ source_id: string }>(
      sql`select source_id from outbox where message_ref in (${changed.ref}, ${erased.ref})`,
    );
    expect(recorded.map((r) => r.source_id)).toEqual([sourceId, sourceId]);
    // The address now comes from another source (a member file received later).
    const other = await makeSource(s, orgId, { type: 'member_file', obtainedOn: '2026-11-01' });
    await s.db.execute(sql`
      update contacts set email_source_id = ${other.id}, email_source_type = 'member_file'
      where id = ${changed.id}`);
    expect(await facts(changed.ref)).toMatchObject({
      source: { type: 'supporter_signup', obtainedOn: expect.any(String) },
    });
    await s.db.transaction((tx) => eraseContacts(tx, { orgId, ids: [erased.id], now }));
    const gone = await facts(erased.ref);
    expect(gone).toMatchObject({
      source: { type: 'supporter_signup' },
      retainedUntil: null,
      retention: expect.stringMatching(/ne détenons plus vos données/),
    });
    const html = await (await app.request(`/m/${erased.ref}`)).text();
    expect(html).toContain('Nous ne détenons plus vos données');
    expect(html).not.toContain('action="/m/');
  });

  it('RIGHTS-2: the page says who, how, why and until when, links the rights and the report, and shows no personal data of the recipient', async () => {
    const named = people[3]!;
    const res = await app.request(`/m/${named.ref}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toContain('<html lang="fr" dir="ltr">');
    for (const words of [
      'Association Exemple pour 2027',
      'dpo@exemple-2027.fr',
      'Par email, le 24 novembre 2026',
      'votre inscription comme sympathisant',
      'informer',
      'jusqu’à la fin de notre relation',
      'Base légale',
      `href="/r/${orgId}?ref=${named.ref}&amp;lang=fr"`,
      `href="/m/${named.ref}/report?lang=fr"`,
      'https://www.cnil.fr/fr/plaintes',
      `action="/m/${named.ref}/stop"`,
      'Ne plus recevoir aucun message',
    ])
      expect(html).toContain(words);
    for (const held of [named.email, NAME, 'Quelconque', named.id, 'Adhérents 2026'])
      expect(html).not.toContain(held);
  });

  it('OPT-1: “stop all messages” on the page is the unsubscribe link’s objection: the person is suppressed and a queued message of theirs is not sent', async () => {
    const p = people[0]!;
    // A second campaign, planned before the objection: its message to p waits in the queue.
    const second = await makeSendingCampaign(s, { orgId, segmentId }, { subject: 'Encore' });
    const posted = await app.request(`/m/${p.ref}/stop`, form('lang=fr'));
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toBe(`/m/${p.ref}?stopped=1&lang=fr`);
    expect(await (await app.request(`/m/${p.ref}?stopped=1&lang=fr`)).text()).toContain(
      'C’est fait',
    );
    const later = await (await app.request(`/m/${p.ref}`)).text();
    expect(later).toContain('Opposition déjà enregistrée');
    expect(later).not.toContain(`action="/m/${p.ref}/stop"`);
    // Every channel withdrawn by the recipient through their link's method; suppressed (as /u/).
    const ledger = await rows<{ channel: string; method: string; recorded_by: string }>(sql`
      select channel, method, recorded_by from consent_entries
      where contact_id = ${p.id} and action = 'withdrawn' order by channel`);
    expect(ledger).toEqual(
      ['email', 'phone', 'post', 'sms'].map((channel) => ({
        channel,
        method: 'unsubscribe_link',
        recorded_by: `recipient:${p.ref}`,
      })),
    );
    const token = unsubscribeToken(s.keys.unsubscribeKey(), p.ref);
    expect(await (await app.request(`/u/${token}`)).text()).toContain(
      'Opposition déjà enregistrée',
    );
    // A replay writes nothing.
    await app.request(`/m/${p.ref}/stop`, form());
    const [count] = await rows<{ n: number }>(
      sql`select count(*)::int as n from consent_entries where contact_id = ${p.id}`,
    );
    expect(count!.n).toBe(ledger.length);
    // The queued message is not sent.
    const channel = fakeChannel();
    await makeDispatcher(s, channel).runOnce();
    expect(channel.handed).not.toContain(p.email);
    const [queued] = await rows<{ state: string }>(
      sql`select state from outbox where campaign_id = ${second} and contact_id = ${p.id}`,
    );
    expect(queued!.state).toBe('suppressed');
  });

  it('OPT-1: the stop button is never throttled, even past the per-address budget of the pages', async () => {
    const { ref } = await purchasedMessage('FR');
    const fresh = createApp(s);
    for (let i = 0; i < PER_ADDRESS; i++) await fresh.request('/m/not-a-reference');
    expect((await fresh.request(`/m/${ref}`)).status).toBe(429);
    const posted = await fresh.request(`/m/${ref}/stop`, form());
    expect(posted.status).toBe(303);
    // A prospect who objects is erased (OPT-3): their message remembers the objection.
    const [row] = await rows<{ contact_id: string | null; recipient_objected: boolean }>(
      sql`select contact_id, recipient_objected from outbox where message_ref = ${ref}`,
    );
    expect(row).toEqual({ contact_id: null, recipient_objected: true });
  });

  it('RIGHTS-2: an unknown or malformed reference answers a 404 page under /m/ and 404 JSON under /api', async () => {
    const unknown = randomBytes(16).toString('hex');
    for (const [path, init] of [
      [`/m/${unknown}`, undefined],
      ['/m/NOT-HEX', undefined],
      [`/m/${unknown.toUpperCase()}`, undefined],
      [`/m/${unknown}/stop`, form()],
    ] as const) {
      const res = await app.request(path, init);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(await res.text()).toContain('Cette page n’existe pas');
    }
    const api = await app.request(`/api/public/messages/${unknown}`);
    expect(api.status).toBe(404);
    expect(await api.json()).toMatchObject({
      error: { code: 'not_found', key: 'message.not_found' },
    });
  });

  it('RIGHTS-2: a Moroccan organisation’s page is in Arabic (dir=rtl) and links its French and English pages; a French one’s is in French', async () => {
    const { ref } = await purchasedMessage('MA');
    const ar = await (await app.request(`/m/${ref}`)).text();
    expect(ar).toContain('<html lang="ar" dir="rtl">');
    expect(ar).toContain('لماذا وصلتكم هذه الرسالة');
    expect(ar).toContain('ملف استقطاب مكترى من مزوّد خدمات');
    expect(ar).toContain('القانون رقم 09-08');
    expect(ar).toContain(`href="/m/${ref}?lang=fr"`);
    expect(ar).toContain(`href="/m/${ref}?lang=en"`);
    const fr = await (await app.request(`/m/${ref}?lang=fr`)).text();
    expect(fr).toContain('<html lang="fr" dir="ltr">');
    expect(fr).toContain('fichier de prospection loué');
    expect(
      await (await app.request(`/m/${ref}`, { headers: { 'accept-language': 'en' } })).text(),
    ).toContain('Why you got this message');
    const french = await (await app.request(`/m/${people[3]!.ref}`)).text();
    expect(french).toContain('Pourquoi vous avez reçu ce message');
    expect(french).not.toContain('?lang=ar');
  });
});
