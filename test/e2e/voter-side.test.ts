// Issue 15's acceptance, end to end on a real SMTP server (both databases, in process): a
// campaign goes out through the SMTP channel the settings make; the received message's reference
// opens its page and its facts (RIGHTS-2); a report on it reaches the DPO's list with its
// compliance record (REP-1); an access request for the recipient's address sends a code to that
// address through the service mail sender, and the code opens the person's data (RIGHTS-1); the
// request is listed due one month after receipt. An unknown address gets the same answer as a
// known one, five wrong codes lock a request, an unknown reference answers a 404 page.
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../src/dispatch/create-dispatcher.ts';
import { sendServiceMail } from '../../src/dispatch/notification-sender.ts';
import { recordConsent } from '../../src/domain/consent/consent.ts';
import { addContact } from '../../src/domain/contacts/contacts.ts';
import { campaignStatus } from '../../src/domain/outreach/campaigns.ts';
import { saveSegment } from '../../src/domain/segments/segments.ts';
import { createApp } from '../../src/http/app.ts';
import type { Services } from '../../src/services.ts';
import { cliRunner } from '../cli-runner.ts';
import { attestation, makeOrg, makeSource } from '../factories.ts';
import { makeSendingCampaign } from '../sending.ts';
import { startSmtpSink, type Received } from '../smtp-sink.ts';
import { openTestServices, type TestServices } from '../test-db.ts';

// A Tuesday morning, inside the sending window; the clock stays there (codes do not expire).
const NOW = new Date('2026-11-24T10:00:00.000Z');
const VOTER = 'alice.martin@exemple.fr';
const STRANGER = 'personne@ailleurs.example';

let base: TestServices;
/** The services as the settings make them: SMTP to the sink (no DKIM: email.test.ts covers it). */
let s: Services;
let sink: Awaited<ReturnType<typeof startSmtpSink>>;
let app: ReturnType<typeof createApp>;
const cli = cliRunner(() => s);
let orgId: string;
let ref: string;
let accessRequest: { id: string };

const json = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

const mailTo = (to: string) => sink.received.filter((m: Received) => m.to.includes(to));

/** The one-time code mails that reached `to` at the SMTP server (service mail names its kind). */
const codeMailsTo = (to: string) =>
  mailTo(to).filter((m) => /^X-Isoloir-Kind: rights_code\r?$/im.test(m.raw.toString('utf8')));

/** The six-digit code of the latest code mail that reached `to`. */
async function codeReceivedBy(to: string): Promise<string> {
  const text = (await simpleParser(codeMailsTo(to).at(-1)!.raw)).text ?? '';
  return /\b(\d{6})\b/.exec(text)![1]!;
}

beforeAll(async () => {
  base = await openTestServices({ clock: () => NOW });
  sink = await startSmtpSink();
  s = {
    ...base,
    email: { ...base.email, smtpUrl: sink.url, publicUrl: 'https://isoloir.exemple-2027.fr' },
  };
  app = createApp(s);
  orgId = (
    await makeOrg(s, {
      noticePurposes: 'vous informer de notre campagne municipale',
      noticeRecipients: 'l’équipe de campagne',
    })
  ).id;
  // A prospect from a purchased file (a dated retention, RET-2), who consented to email.
  const source = await makeSource(s, orgId, {
    type: 'purchased_file',
    label: 'Fichier loué octobre',
    obtainedOn: '2026-10-01',
    attestation,
  });
  const { id: contactId } = await addContact(s.db, {
    keys: s.keys,
    orgId,
    sourceId: source.id,
    identity: { birthName: 'Martin', firstNames: 'Alice', email: VOTER },
    actor: 'test',
  });
  await recordConsent(s.db, {
    orgId,
    contactId,
    entry: {
      channel: 'email',
      action: 'granted',
      wording: attestation.consentWording,
      method: 'web_form',
      place: 'https://fichiers.example/inscription',
      evidence: 'FE-2026-0042',
    },
    actor: 'test',
    clock: s.clock,
  });
  const segmentId = (
    await saveSegment(s.db, { orgId, input: { name: 'Tous', where: { and: [] } }, actor: 'test' })
  ).id;
  // Planned (its plan has no violations, or this throws) and moved to sending.
  const campaignId = await makeSendingCampaign(
    s,
    { orgId, segmentId },
    {
      fromName: 'Liste Exemple 2027',
      subject: 'Réunion publique',
      body: 'Venez nous rencontrer jeudi.',
    },
  );
  // The dispatcher the server runs, on the SMTP channel the settings make.
  const dispatcher = createDispatcher(s);
  try {
    for (let i = 0; i < 10; i++) {
      await dispatcher.runOnce();
      if ((await campaignStatus(s.db, { campaignId })).state === 'done') break;
    }
  } finally {
    await dispatcher.close();
  }
  const [message] = mailTo(VOTER);
  ref = (await simpleParser(message!.raw)).headers.get('x-isoloir-ref') as string;
});
afterAll(async () => {
  await sink.close();
  await base.dispose();
});

describe('the voter’s side, end to end (issue 15)', () => {
  it('the received message’s reference opens its page and its facts: organisation, source type, purpose, retention date (RIGHTS-2)', async () => {
    expect(ref).toMatch(/^[0-9a-f]{32}$/);
    const page = await app.request(`/m/${ref}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('Association Exemple pour 2027');
    const facts = await app.request(`/api/public/messages/${ref}`);
    expect(facts.status).toBe(200);
    expect(await facts.json()).toMatchObject({
      organisation: { name: 'Association Exemple pour 2027' },
      channel: 'email',
      source: { type: 'purchased_file', obtainedOn: '2026-10-01' },
      purpose: expect.stringContaining('vous informer de notre campagne municipale'),
      // Two months after the first message (RET-2), a date, not a sentence.
      retainedUntil: '2027-01-24',
    });
  });

  it('a report on the message appears in `isoloir report list` with channel email and its compliance record (REP-1)', async () => {
    const answer = await app.request(
      `/api/public/messages/${ref}/reports`,
      json({ reason: 'no_consent' }),
    );
    expect(answer.status).toBe(201);
    const { id } = (await answer.json()) as { id: string };
    const listed = await cli('report', 'list', '--org', orgId, '--json');
    expect(listed.code).toBe(0);
    const item = listed.json().items.find((r: { id: string }) => r.id === id);
    expect(item).toMatchObject({
      ref,
      channel: 'email',
      reason: 'no_consent',
      record: {
        message: { ref, channel: 'email', state: 'sent' },
        source: { type: 'purchased_file', obtainedOn: '2026-10-01' },
        consent: [expect.objectContaining({ action: 'granted' })],
        objectedBefore: false,
        contactHeld: true,
      },
    });
  });

  it('an access request sends a code to the recipient’s address, and the code returns the person’s data with its source (RIGHTS-1)', async () => {
    const answer = await app.request(
      `/api/public/orgs/${orgId}/requests`,
      json({ kind: 'access', email: VOTER, ref }),
    );
    expect(answer.status).toBe(202);
    accessRequest = (await answer.json()) as { id: string };
    expect(codeMailsTo(VOTER)).toHaveLength(0); // queued, not yet sent
    expect(await sendServiceMail(s)).toMatchObject({ failed: 0 });
    expect(codeMailsTo(VOTER)).toHaveLength(1);
    const code = await codeReceivedBy(VOTER);
    const confirmed = await app.request(
      `/api/public/requests/${accessRequest.id}/confirm`,
      json({ code }),
    );
    expect(confirmed.status).toBe(200);
    const body = (await confirmed.json()) as Record<string, any>;
    expect(body.status).toBe('answered');
    expect(body.data.contacts).toHaveLength(1);
    expect(body.data.contacts[0]).toMatchObject({
      identity: expect.objectContaining({ email: VOTER, birthName: 'Martin' }),
      sources: [expect.objectContaining({ type: 'purchased_file', obtainedOn: '2026-10-01' })],
      messages: [expect.objectContaining({ ref, channel: 'email' })],
    });
  });

  it('the request is in `isoloir request list` with dueAt one month after receivedAt (RIGHTS-1)', async () => {
    const listed = await cli('request', 'list', '--org', orgId, '--json');
    expect(listed.code).toBe(0);
    const item = listed.json().items.find((r: { id: string }) => r.id === accessRequest.id);
    expect(item).toMatchObject({ kind: 'access', status: 'answered', channel: 'email' });
    expect(new Date(item.receivedAt).toISOString()).toBe(NOW.toISOString());
    expect(new Date(item.dueAt).toISOString()).toBe('2026-12-24T10:00:00.000Z');
  });

  it('an unknown address gets the same answer as a known one, and no mail (RIGHTS-1)', async () => {
    const ask = async (email: string) => {
      const r = await app.request(
        `/api/public/orgs/${orgId}/requests`,
        json({ kind: 'erasure', email }),
      );
      return {
        status: r.status,
        cacheControl: r.headers.get('cache-control'),
        body: (await r.json()) as Record<string, string>,
      };
    };
    const codesBefore = codeMailsTo(VOTER).length;
    const known = await ask(VOTER);
    const unknown = await ask(STRANGER);
    expect(unknown.status).toBe(202);
    expect({ ...unknown, body: Object.keys(unknown.body) }).toEqual({
      ...known,
      body: Object.keys(known.body),
    });
    expect(unknown.body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(unknown.body.id!.length).toBe(known.body.id!.length);
    await sendServiceMail(s);
    expect(mailTo(STRANGER)).toHaveLength(0);
    expect(codeMailsTo(VOTER)).toHaveLength(codesBefore + 1);
  });

  it('five wrong codes lock the request: the right code is refused after them (RIGHTS-1)', async () => {
    const answer = await app.request(
      `/api/public/orgs/${orgId}/requests`,
      json({ kind: 'access', email: VOTER }),
    );
    const { id } = (await answer.json()) as { id: string };
    await sendServiceMail(s);
    const code = await codeReceivedBy(VOTER);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const confirm = async (c: string) => {
      const r = await app.request(`/api/public/requests/${id}/confirm`, json({ code: c }));
      return { status: r.status, key: ((await r.json()) as any).error?.key as string };
    };
    for (let i = 0; i < 4; i++)
      expect(await confirm(wrong)).toEqual({ status: 400, key: 'rights.code_wrong' });
    expect((await confirm(wrong)).status).toBeGreaterThanOrEqual(400);
    expect(await confirm(code)).toEqual({ status: 409, key: 'rights.request_locked' });
    const listed = await cli('request', 'list', '--org', orgId, '--status', 'locked', '--json');
    expect(listed.json().items.map((r: { id: string }) => r.id)).toContain(id);
  });

  it('a reference that does not exist answers 404 with a page, not JSON (RIGHTS-2)', async () => {
    const missing = await app.request('/m/0123456789abcdef0123456789abcdef');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/html/);
    const text = await missing.text();
    expect(text).toMatch(/^<!doctype html>/i);
    expect(() => JSON.parse(text)).toThrow();
  });
});
