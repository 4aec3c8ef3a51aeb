// RIGHTS-1: the voter's rights pages, through their forms as a browser without JavaScript sends
// them: the request form, the code page (the same whether or not the address is on file), the
// outcome (access: the data and its JSON download), the lock after five wrong codes, the errors
// that name their field, Arabic for a Moroccan organisation, the link from the privacy notice.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeOrg, makeSource } from '../../test/factories.ts';
import { latestCode } from '../../test/service-mail.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { sourceTypeWords } from '../domain/outreach/notice-words.ts';
import { createApp } from './app.ts';

let s: TestServices;
let app: ReturnType<typeof createApp>;
let orgId: string;
let maOrgId: string;
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  app = createApp(s);
  const org = await makeOrg(s, { jurisdiction: 'FR', legalName: 'Association Exemple' });
  orgId = org.id;
  maOrgId = (await makeOrg(s, { jurisdiction: 'MA', legalName: 'Association Atlas' })).id;
});
afterAll(() => s.dispose());

/** A prospect of the organisation, from a purchased file: their email. */
async function prospect() {
  const source = await makeSource(s, orgId, { type: 'purchased_file', attestation });
  const email = `martin.${randomBytes(4).toString('hex')}@exemple.fr`;
  await addContact(s.db, {
    keys: s.keys,
    orgId,
    sourceId: source.id,
    identity: { birthName: 'Martin', firstNames: 'Claire', email },
    actor: 'test',
  });
  return email;
}

const post = (path: string, fields: Record<string, string>) =>
  app.request(path, { method: 'POST', body: new URLSearchParams(fields) });

/** Asks for a code through the form; the code page's path. */
async function ask(fields: Record<string, string>, org = orgId) {
  const res = await post(`/r/${org}`, fields);
  expect(res.status).toBe(303);
  const location = res.headers.get('location')!;
  expect(location).toMatch(/^\/r\/requests\/[0-9a-f-]{36}$/);
  return location;
}

describe('the voter’s rights pages (RIGHTS-1)', () => {
  it('an access request runs through the forms: code page, then the data and its JSON download', async () => {
    const email = await prospect();
    const form = await app.request(`/r/${orgId}`);
    expect(form.status).toBe(200);
    expect(form.headers.get('cache-control')).toBe('no-store');
    const formPage = await form.text();
    expect(formPage).not.toContain('<script');
    for (const kind of ['access', 'rectification', 'erasure', 'restriction', 'objection'])
      expect(formPage).toContain(`<label for="kind-${kind}"`);
    expect(formPage).toContain('un mois');

    const codePath = await ask({ kind: 'access', email });
    expect(codePath).not.toContain(email.split('@')[0]);
    const codePage = await app.request(codePath);
    expect(codePage.status).toBe(200);
    expect(await codePage.text()).not.toContain(email);

    const code = await latestCode(s, orgId, email);
    const done = await post(codePath, { code });
    expect(done.status).toBe(200);
    expect(done.headers.get('cache-control')).toBe('no-store');
    const answer = await done.text();
    expect(answer).toContain(email);
    expect(answer).toContain('D’où viennent ces données');
    const href = /download="access-[\d-]+\.json" href="data:application\/json;base64,([^"]+)"/.exec(
      answer,
    )?.[1];
    expect(href).toBeDefined();
    const data = JSON.parse(Buffer.from(href!, 'base64').toString('utf8'));
    expect(data.contacts).toHaveLength(1);
    expect(data.contacts[0].identity.email).toBe(email);
    expect(data.contacts[0].sources[0].type).toBe('purchased_file');
    expect(answer).toContain(sourceTypeWords('fr', 'purchased_file'));
  });

  it('an unknown address gets the same code page as a known one (RIGHTS-1)', async () => {
    const known = await ask({ kind: 'access', email: await prospect() });
    const unknown = await ask({ kind: 'access', email: 'personne@ailleurs.fr' });
    const page = async (path: string) =>
      (await (await app.request(path)).text()).replaceAll(path.split('/').at(-1)!, '<id>');
    expect(await page(unknown)).toBe(await page(known));
  });

  it('a wrong code shows the attempts left, and the fifth locks the request (RIGHTS-1)', async () => {
    const email = await prospect();
    const path = await ask({ kind: 'access', email });
    const code = await latestCode(s, orgId, email);
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await post(path, { code: wrong });
    expect(first.status).toBe(400);
    expect(await first.text()).toContain('Il vous reste 4 essais');
    for (let i = 0; i < 3; i++) await post(path, { code: wrong });
    const fifth = await post(path, { code: wrong });
    expect(fifth.status).toBe(409);
    expect(await fifth.text()).toContain('Cette demande est verrouillée');
    const right = await (await post(path, { code })).text();
    expect(right).toContain('Cette demande est verrouillée');
    expect(right).not.toContain(email);
  });

  it('past three code requests an hour for one address, a 429 page (RIGHTS-1)', async () => {
    const fields = { kind: 'access', email: 'quelqu.un@ailleurs.fr' };
    for (let i = 0; i < 3; i++) await ask(fields);
    const res = await post(`/r/${orgId}`, fields);
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await res.text()).toContain('Trop de codes ont été demandés');
  });

  it('asks for an email only while codes cannot go by SMS, and says a phone-only person can write to the DPO (issue 16)', async () => {
    const form = await (await app.request(`/r/${orgId}`)).text();
    expect(form).not.toContain('name="phone"');
    expect(form).toContain('Si nous n’avons que votre numéro de téléphone');
    expect(form).toContain('href="mailto:dpo@exemple-2027.fr"');
    const ar = await (await app.request(`/r/${maOrgId}`)).text();
    expect(ar).not.toContain('name="phone"');
    expect(ar).toContain('إذا لم يكن لدينا سوى رقم هاتفكم');
    const en = await (await app.request(`/r/${orgId}?lang=en`)).text();
    expect(en).toContain('If we only hold your phone number');
    // A number sent anyway gets the form again, saying why, never a page claiming a code went out.
    const res = await post(`/r/${orgId}`, { kind: 'access', phone: '06 12 34 56 78' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('les codes par SMS ne sont pas encore disponibles');
  });

  it('a member’s objection says messages have stopped and the DPO answers about the rest (OPT-1)', async () => {
    const source = await makeSource(s, orgId, { type: 'member_file', label: 'Adhérents' });
    const email = `membre.${randomBytes(4).toString('hex')}@exemple.fr`;
    await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: source.id,
      identity: { birthName: 'Petit', email },
      actor: 'test',
    });
    const path = await ask({ kind: 'objection', email });
    const done = await (await post(path, { code: await latestCode(s, orgId, email) })).text();
    expect(done).toContain('Votre opposition a pris effet immédiatement');
  });

  it('a request with a bad kind gets the form again, naming the field (400)', async () => {
    const res = await post(`/r/${orgId}`, { kind: 'deletion', email: 'claire@exemple.fr' });
    expect(res.status).toBe(400);
    const body = await res.text();
    expect(body).toContain('Votre demande : choisissez l’une des cinq demandes.');
    expect(body).toMatch(/<fieldset aria-invalid="true" aria-describedby="form-error">/);
  });

  it('a Moroccan organisation’s form is in Arabic, right to left, with links to French and English', async () => {
    const body = await (await app.request(`/r/${maOrgId}`)).text();
    expect(body).toMatch(/<html lang="ar" dir="rtl">/);
    expect(body).toContain('ممارسة حقوقكم');
    expect(body).toContain(`href="/r/${maOrgId}?lang=fr"`);
    expect(body).toContain(`href="/r/${maOrgId}?lang=en"`);
  });

  it('the privacy notice links the rights form and says requests are answered within a month', async () => {
    const body = await (await app.request(`/privacy/${orgId}`)).text();
    expect(body).toContain(`href="/r/${orgId}"`);
    expect(body).toContain('dans un délai d’un mois');
  });

  it('an unknown organisation or request is a 404 page, never JSON', async () => {
    for (const path of [`/r/${maOrgId.replace(/^.{8}/, '00000000')}`, `/r/requests/${orgId}`]) {
      const res = await app.request(path);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    }
  });
});
