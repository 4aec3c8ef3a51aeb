// Every error a voter can reach on the public pages (an unsubscribe link cut short or forged, a
// throttled request, a path under /u/ that is no page, a privacy notice that does not exist) is
// an HTML page in the voter's language, with the stable code of the message in small print, the
// public pages' security headers and no script: never raw JSON. The API's refusals carry the same
// kind of stable key, with the values it names, for the web app to translate.
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../test/factories.ts';
import { bearer, makeStaff } from '../../test/staff.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { unsubscribeToken } from '../domain/objections/unsubscribe-token.ts';
import { createCampaign } from '../domain/outreach/campaigns.ts';
import { saveSegment } from '../domain/segments/segments.ts';
import { createApp } from './app.ts';
import { PER_ADDRESS_FORGED, PER_TOKEN } from './public-limiter.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(() => s.dispose());

const oneClick = {
  method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: 'List-Unsubscribe=One-Click',
};
const english = { 'accept-language': 'en-GB,en;q=0.9,fr;q=0.3' };
const french = { 'accept-language': 'fr-FR,fr;q=0.9,en;q=0.8' };

/** One member who was sent a message, and the path of its unsubscribe link. */
async function recipient(jurisdiction: string) {
  const org = await makeOrg(s, { jurisdiction, legalName: 'Association Exemple' });
  const source = await makeSource(s, org.id, { type: 'member_file' });
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
  return { orgId: org.id, path: `/u/${unsubscribeToken(s.keys.unsubscribeKey(), ref)}` };
}

/** A public page: HTML in one language, the code shown, the security headers, no script. */
async function publicPage(res: Response, status: number, lang: 'fr' | 'en', code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^text\/html/);
  expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
  expect(res.headers.get('x-frame-options')).toBe('DENY');
  const text = await res.text();
  expect(text).not.toMatch(/"error"\s*:/);
  expect(text).not.toMatch(/<script/i);
  expect(text).toMatch(new RegExp(`<html lang="${lang}" dir="ltr">`));
  expect(text).toMatch(new RegExp(`code ?: <code>${code.replace('.', '\\.')}</code>`));
  return text;
}

describe('public pages speak the voter’s language', () => {
  it('a truncated unsubscribe link answers a page in French with its code, in English when the browser asks', async () => {
    const app = createApp(s);
    const fr = await recipient('FR');
    const en = await recipient('EU');
    for (const init of [{}, oneClick]) {
      // The organisation's language when the link still names it.
      let text = await publicPage(
        await app.request(fr.path.slice(0, -5), init),
        404,
        'fr',
        'unsubscribe.link_invalid',
      );
      expect(text).toMatch(/Ce lien de désabonnement n’est pas valable/);
      expect(text).not.toMatch(/not valid/);
      // The browser's language first.
      text = await publicPage(
        await app.request(fr.path.slice(0, -5), {
          ...init,
          headers: { ...(init as { headers?: object }).headers, ...english },
        }),
        404,
        'en',
        'unsubscribe.link_invalid',
      );
      expect(text).toMatch(/This unsubscribe link is not valid/);
      expect(text).not.toMatch(/pas valable/);
      text = await publicPage(
        await app.request(en.path.slice(0, 12), { ...init, headers: { ...french } }),
        404,
        'fr',
        'unsubscribe.link_invalid',
      );
      expect(text).toMatch(/pas valable/);
      expect(text).not.toMatch(/not valid/);
    }
    // A forged link names no organisation: the browser's language, else both.
    const forged = `/u/${randomBytes(16).toString('hex')}.${'A'.repeat(22)}`;
    const text = await publicPage(
      await app.request(forged, { headers: english }),
      404,
      'en',
      'unsubscribe.link_invalid',
    );
    expect(text).not.toMatch(/pas valable/);
    expect(
      await publicPage(await app.request(forged), 404, 'fr', 'unsubscribe.link_invalid'),
    ).toMatch(/pas valable.*not valid/s);
  });

  it('a path under /u/ that is no unsubscribe page is a page with its code, never JSON', async () => {
    const app = createApp(s);
    const r = await recipient('FR');
    for (const [path, init] of [
      ['/u/', {}],
      ['/u', {}],
      [`${r.path}/`, {}],
      [`${r.path}/confirm`, oneClick],
      ['/u/a/b/c', {}],
      [r.path, { method: 'PUT' }],
      [r.path, { method: 'DELETE' }],
    ] as const) {
      const text = await publicPage(
        await app.request(path, { ...init, headers: { ...english } }),
        404,
        'en',
        'public.not_found',
      );
      expect(text, path).toMatch(/This page does not exist/);
      await publicPage(
        await app.request(path, { ...init, headers: { ...french } }),
        404,
        'fr',
        'public.not_found',
      );
    }
  });

  it('a privacy notice that does not exist is a page in the voter’s language', async () => {
    const app = createApp(s);
    for (const path of ['/privacy/not-an-id', `/privacy/${randomUUID()}`, '/privacy/']) {
      expect(
        await publicPage(
          await app.request(path, { headers: english }),
          404,
          'en',
          'privacy.org_not_found',
        ),
        path,
      ).toMatch(/This privacy notice does not exist/);
      expect(
        await publicPage(
          await app.request(path, { headers: french }),
          404,
          'fr',
          'privacy.org_not_found',
        ),
        path,
      ).toMatch(/Cette notice d’information n’existe pas/);
    }
  });

  it('a throttled voter gets a 429 page in their language, with its code and Retry-After', async () => {
    const app = createApp(s);
    const forger = { incoming: { socket: { remoteAddress: '203.0.113.77' } } };
    const forged = () => `/u/${randomBytes(16).toString('hex')}.${'B'.repeat(22)}`;
    for (let i = 0; i < PER_ADDRESS_FORGED; i++)
      expect((await app.request(forged(), undefined, forger)).status).toBe(404);
    const limited = await app.request(forged(), { headers: english }, forger);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const text = await publicPage(limited, 429, 'en', 'public.throttled');
    expect(text).toMatch(/Too many requests/);
    expect(text).not.toMatch(/Trop de demandes/);
    // One link's page viewed too often: still its form, in the voter's language.
    const r = await recipient('FR');
    const viewer = { incoming: { socket: { remoteAddress: '192.0.2.177' } } };
    for (let i = 0; i < PER_TOKEN; i++)
      expect((await app.request(r.path, undefined, viewer)).status).toBe(200);
    const views = await publicPage(
      await app.request(r.path, { headers: french }, viewer),
      429,
      'fr',
      'public.throttled_link',
    );
    expect(views).toMatch(
      /<form method="post">\s*<button type="submit">Confirmer le désabonnement<\/button>/,
    );
    expect(views).not.toMatch(/Too many requests|Confirm unsubscribe/);
  });
});

describe('API refusals carry a stable key and its params', () => {
  it('validation, request and rule refusals name their key; the English message stays', async () => {
    const app = createApp(s);
    const org = await makeOrg(s, { jurisdiction: 'FR' });
    const owner = await makeStaff(s, org.id, 'owner');
    const post = (body: string, type = 'application/json') =>
      app.request(`/api/orgs/${org.id}/sources`, {
        method: 'POST',
        headers: { ...bearer(owner), 'content-type': type },
        body,
      });
    const error = async (res: Response, status: number) => {
      expect(res.status).toBe(status);
      return ((await res.json()) as { error: Record<string, unknown> }).error;
    };
    expect(await error(await post('{}', 'text/plain'), 400)).toMatchObject({
      code: 'invalid',
      key: 'request.not_json_type',
      params: {},
      message: 'send the body as JSON with Content-Type: application/json',
    });
    expect(await error(await post('{'), 400)).toMatchObject({ key: 'request.invalid_json' });
    expect(
      await error(await post(JSON.stringify({ type: 'member_file', label: 'x'.repeat(301) })), 400),
    ).toMatchObject({ key: 'validation.too_long', params: { field: 'label', max: 300 } });
    expect(
      await error(
        await post(
          JSON.stringify({ type: 'member_file', label: 'Adhérents', obtainedOn: '2030-01-01' }),
        ),
        400,
      ),
    ).toMatchObject({
      key: 'source.obtained_in_future',
      message: 'obtainedOn: cannot be in the future',
    });
    expect(
      await error(await post(JSON.stringify({ type: 'fichier', label: 'Adhérents' })), 400),
    ).toMatchObject({ key: 'source.type_unknown', params: { type: 'fichier' } });
    // A rule's refusal: the key of its first violation, and each violation's own.
    const refused = await error(
      await post(JSON.stringify({ type: 'purchased_file', label: 'Location' })),
      422,
    );
    expect(refused).toMatchObject({
      code: 'refused',
      rule: 'SRC-3',
      key: 'source.attestation_required',
    });
    const none = await app.request(`/api/orgs/${org.id}/sources`);
    expect(await error(none, 401)).toMatchObject({ key: 'auth.sign_in_required' });
    const missing = await app.request(`/api/campaigns/${randomUUID()}`, { headers: bearer(owner) });
    expect((await error(missing, 404)).key).toMatch(/^[a-z]+\.[a-z_]+$/);
  });

  it('each violation of a refusal carries its key and params', async () => {
    const org = await makeOrg(s, { jurisdiction: 'MA' });
    const owner = await makeStaff(s, org.id, 'owner');
    const res = await createApp(s).request(`/api/orgs/${org.id}/sources`, {
      method: 'POST',
      headers: { ...bearer(owner), 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'purchased_file', label: 'Location' }),
    });
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as {
      error: { key: string; violations: { rule: string; key: string }[] };
    };
    expect(error.violations.map((v) => [v.rule, v.key])).toEqual([
      ['ACC-2', 'source.cndp_receipt_required'],
      ['SRC-3', 'source.attestation_required'],
    ]);
    expect(error.key).toBe('source.cndp_receipt_required');
  });
});
