// REP-1: a voter's report of a message, beside the message's compliance record. One send to a
// small audience: a supporter who had consented, one whose objection letter (dated before the send)
// was recorded after it — the side door a DPO must see — and one erased since. The reasons are a
// closed list; the voter's words are sealed and reach the DPO only; reports are throttled per
// client address and per message; the dashboard counts them by channel and by reason.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection } from '../../../test/factories.ts';
import { queuedMail } from '../../../test/service-mail.ts';
import { sendToAudience } from '../../../test/sent-message.ts';
import { makeAudience, type Audience } from '../../../test/sending.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { recordConsent } from '../consent/consent.ts';
import { blindIndex, normaliseEmail } from '../../crypto/blind-index.ts';
import { eraseContacts } from '../objections/erase-prospects.ts';
import { unsubscribeToken, verifyUnsubscribeToken } from '../objections/unsubscribe-token.ts';
import { complianceRecord } from './compliance-record.ts';
import { dashboardFor } from '../organisations/dashboard.ts';
import { DomainError } from '../errors.ts';
import {
  listReports,
  recordReport,
  REPORTS_PER_CLIENT_PER_HOUR,
  REPORTS_PER_MESSAGE,
} from './reports.ts';

let now = new Date('2026-11-24T10:00:00Z');
const clock = () => now;
const SENT_AT = now;
const WORDING = 'J’accepte de recevoir des messages politiques de la liste par email';

let s: TestServices;
let audience: Audience;
let campaignId: string;
/** Each person's message reference, in the audience's order. */
let refs: string[];

type Rows<T> = { rows: T[] };

beforeAll(async () => {
  s = await openTestServices({ clock });
  audience = await makeAudience(s, 3, 'rep');
  await makeElection(s, audience.orgId, { round1: '2027-03-14', round2: '2027-03-21' });
  // p0 consented to email (a sign-up form): the record shows that entry.
  await recordConsent(s.db, {
    orgId: audience.orgId,
    contactId: audience.people[0]!.id,
    entry: {
      channel: 'email',
      action: 'granted',
      wording: WORDING,
      method: 'web_form',
      place: 'https://liste.example/inscription',
      evidence: 'form-2026-0042',
      occurredAt: '2026-10-01T09:00:00Z',
    },
    actor: 'test',
    clock,
  });
  ({ campaignId, refs } = await sendToAudience(s, audience, {
    input: { subject: 'Réunion publique' },
  }));
  now = new Date(now.getTime() + 3600_000);
  // p1's objection letter, dated the day before the send, recorded an hour after it.
  await recordConsent(s.db, {
    orgId: audience.orgId,
    contactId: audience.people[1]!.id,
    entry: {
      channel: 'email',
      action: 'withdrawn',
      method: 'letter',
      occurredAt: '2026-11-23T08:00:00Z',
    },
    actor: 'test',
    clock,
  });
  // p2 erased since (their source deleted, say).
  await s.db.transaction((tx) =>
    eraseContacts(tx, { orgId: audience.orgId, ids: [audience.people[2]!.id], now }),
  );
});
afterAll(() => s.dispose());

const report = (ref: string, input: unknown, client = '192.0.2.1') =>
  recordReport(s.db, { keys: s.keys, clock, ref, input, client });

const list = () => listReports(s.db, { keys: s.keys, orgId: audience.orgId, actor: 'test', clock });

describe('reports and their compliance record (REP-1)', () => {
  it('a report appears in the list with channel email and the record a DPO judges by: source, consent entries, segment filter, campaign, who planned and sent it, the notice (REP-1)', async () => {
    const { id } = await report(refs[0]!, {
      reason: 'no_consent',
      comment: 'Je ne me suis jamais inscrit, Jeanne Exemple',
    });
    const item = (await list()).items.find((i) => i.id === id)!;
    expect(item).toMatchObject({ ref: refs[0], channel: 'email', reason: 'no_consent' });
    expect(item.comment).toBe('Je ne me suis jamais inscrit, Jeanne Exemple');
    const r = item.record!;
    expect(r.message).toEqual({
      ref: refs[0],
      channel: 'email',
      state: 'sent',
      sentAt: SENT_AT.toISOString(),
    });
    expect(r.source).toMatchObject({ type: 'supporter_signup', attestation: null });
    expect(r.consent).toEqual([
      expect.objectContaining({
        action: 'granted',
        wording: WORDING,
        method: 'web_form',
        occurredAt: '2026-10-01T09:00:00.000Z',
      }),
    ]);
    expect(r.segmentFilter).toEqual({ and: [] });
    expect(r.campaign).toMatchObject({
      id: campaignId,
      subject: 'Réunion publique',
      createdBy: 'test',
      plannedBy: 'test',
      sentBy: 'test',
      plannedAt: SENT_AT.toISOString(),
      sentAt: SENT_AT.toISOString(),
    });
    // The notice as it went out: its source in public words, its legal basis, its reference.
    expect(r.noticeRegenerated).toBe(true);
    expect(r.notice).toContain('votre inscription comme sympathisant');
    expect(r.notice).toContain(`Référence du message : ${refs[0]}`);
    // Its two links are placeholders: each would let whoever reads the record stop every message.
    expect(r.notice).toContain('<message page>');
    expect(r.notice).not.toContain(`/m/${refs[0]}`);
    expect(r.silence.map((w) => [w.voteDate, w.from, w.sentDuring])).toEqual([
      ['2027-03-14', '2027-03-12T23:00:00.000Z', false],
      ['2027-03-21', '2027-03-19T23:00:00.000Z', false],
    ]);
    expect(r).toMatchObject({ objectedBefore: false, contactHeld: true });
  });

  it('a message sent after the person had objected shows objectedBefore: true, the side door a DPO must see (REP-1, OPT-1)', async () => {
    const { id } = await report(refs[1]!, { reason: 'had_objected' });
    const r = (await list()).items.find((i) => i.id === id)!.record!;
    expect(r.objectedBefore).toBe(true);
    expect(r.consent).toEqual([
      expect.objectContaining({ action: 'withdrawn', occurredAt: '2026-11-23T08:00:00.000Z' }),
    ]);
  });

  it('an objection on the suppression list before the send counts as objectedBefore, with no ledger entry on that contact (REP-1, OPT-1)', async () => {
    // Two people sent to; afterwards, their email addresses are found on the suppression list:
    // p0's listed the day before the send (say, an objection by phone through another record),
    // p1's listed after it.
    const two = await makeAudience(s, 2, 'rep-supp');
    const { refs: twoRefs } = await sendToAudience(s, two);
    const keys = await s.keys.forOrg(s.db, two.orgId);
    const sentRows = (await s.db.execute(sql`
      select sent_at from outbox where message_ref = ${twoRefs[0]!}`)) as unknown as Rows<{
      sent_at: string;
    }>;
    const refOf = (i: number) => twoRefs[i]!;
    const sentAt = new Date(sentRows.rows[0]!.sent_at).getTime();
    for (const [i, at] of [
      [0, sentAt - 86_400_000],
      [1, sentAt + 60_000],
    ] as const) {
      const hash = blindIndex(keys.suppression, 'email', normaliseEmail(two.people[i]!.email));
      await s.db.execute(sql`
        insert into suppressions (org_id, hash, created_at)
        values (${two.orgId}, ${hash}, ${new Date(at).toISOString()}::timestamptz)`);
    }
    const record = (i: number) =>
      complianceRecord(s.db, { keys: s.keys, orgId: two.orgId, ref: refOf(i) });
    expect(await record(0)).toMatchObject({ objectedBefore: true, consent: [], contactHeld: true });
    expect(await record(1)).toMatchObject({ objectedBefore: false, contactHeld: true });
  });

  it('the regenerated notice holds no working unsubscribe link: the link is a credential (REP-1, SEC-2)', async () => {
    const r = (await list()).items.find((i) => i.ref === refs[0])!.record!;
    const notice = r.notice!;
    expect(notice).toContain('<unsubscribe link>');
    const key = s.keys.unsubscribeKey();
    expect(notice).not.toContain(unsubscribeToken(key, refs[0]!));
    for (const piece of notice.split(/[\s/?=&<>()"']+/))
      expect(verifyUnsubscribeToken(key, piece)).toBeUndefined();
  });

  it('a report on a message whose contact was erased still works, and the record says the contact is no longer held (REP-1, OPT-3)', async () => {
    const { id } = await report(refs[2]!, { reason: 'other' });
    const item = (await list()).items.find((i) => i.id === id)!;
    expect(item.record).toMatchObject({
      message: { ref: refs[2], state: 'sent' },
      campaign: { id: campaignId },
      // The source the notice named, recorded with the message (outbox.source_id).
      source: { type: 'supporter_signup' },
      contactHeld: false,
      objectedBefore: null,
      consent: [],
    });
  });

  it('the reasons are a closed list: any other is refused, naming the field (REP-1)', async () => {
    const error = await report(refs[0]!, { reason: 'spam' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'invalid',
      key: 'validation.not_allowed',
      params: { field: 'reason' },
    });
    const long = await report(refs[0]!, { reason: 'other', comment: 'x'.repeat(2001) }).catch(
      (e: unknown) => e,
    );
    expect(long).toMatchObject({ code: 'invalid', params: { field: 'comment' } });
  });

  it('an unknown or malformed reference is not found (REP-1)', async () => {
    for (const ref of ['0'.repeat(32), 'not-a-ref'])
      await expect(report(ref, { reason: 'other' })).rejects.toMatchObject({
        code: 'not_found',
        key: 'message.not_found',
      });
  });

  it('the voter’s words and identifiers stay out of the audit summary and the DPO’s alert, which say what and when (REP-1)', async () => {
    const events = (await s.db.execute(sql`
      select action, actor, summary::text as summary from audit_events
      where org_id = ${audience.orgId} and action in ('report.record', 'report.read')`)) as unknown as Rows<{
      action: string;
      actor: string;
      summary: string;
    }>;
    expect(events.rows.filter((e) => e.action === 'report.record').length).toBeGreaterThan(0);
    expect(events.rows.filter((e) => e.action === 'report.read').length).toBeGreaterThan(0);
    const alerts = (await queuedMail(s, audience.orgId)).filter((m) => m.kind === 'dpo_alert');
    expect(alerts.length).toBeGreaterThan(0);
    expect(alerts[0]!.to).toBe('dpo@exemple-2027.fr');
    expect(alerts[0]!.text).toContain('no_consent');
    // In the organisation's language: French for a French organisation.
    expect(alerts[0]!.subject).toBe('Isoloir : un message a été signalé (pas de consentement)');
    expect(alerts[0]!.text).toContain('Un destinataire a signalé un message (REP-1).');
    for (const text of [...events.rows.map((e) => e.summary), ...alerts.map((m) => m.text)]) {
      expect(text).not.toContain('Jeanne');
      for (const p of audience.people) expect(text).not.toContain(p.email);
    }
    // The words are sealed at rest.
    const stored = (await s.db.execute(sql`
      select encode(comment, 'escape') as c from message_reports where comment is not null`)) as unknown as Rows<{
      c: string;
    }>;
    expect(stored.rows.length).toBeGreaterThan(0);
    for (const row of stored.rows) expect(row.c).not.toContain('Jeanne');
  });

  it('the dashboard counts reports by channel and by reason (REP-1)', async () => {
    const { reports } = await dashboardFor(s.db, { orgId: audience.orgId });
    expect(reports).toEqual({
      total: 3,
      byChannel: { email: 3 },
      byReason: { no_consent: 1, had_objected: 1, other: 1 },
    });
  });
});

describe('throttling (REP-1, SEC-2)', () => {
  it('reports are throttled per client address and organisation and per message, the limits counted in the database', async () => {
    const many = await makeAudience(s, 5, 'rep-many');
    const { refs: manyRefs } = await sendToAudience(s, many);
    expect(REPORTS_PER_CLIENT_PER_HOUR / REPORTS_PER_MESSAGE).toBe(4);
    // One address: five reports on each of four messages, then no more this hour.
    for (const ref of manyRefs.slice(0, 4))
      for (let i = 0; i < REPORTS_PER_MESSAGE; i++)
        await report(ref, { reason: 'other' }, '198.51.100.7');
    await expect(report(manyRefs[4]!, { reason: 'other' }, '198.51.100.7')).rejects.toMatchObject({
      code: 'throttled',
      key: 'report.throttled',
    });
    // Another address may still report the fifth message, not a message reported five times.
    await expect(report(manyRefs[4]!, { reason: 'other' }, '203.0.113.9')).resolves.toHaveProperty(
      'id',
    );
    await expect(report(manyRefs[0]!, { reason: 'other' }, '203.0.113.9')).rejects.toMatchObject({
      code: 'throttled',
    });
    // The budget is per organisation: the same address may still report another one's message.
    await expect(report(refs[0]!, { reason: 'other' }, '198.51.100.7')).resolves.toHaveProperty(
      'id',
    );
    // An hour later the first address may report again.
    now = new Date(now.getTime() + 3601_000);
    await expect(report(manyRefs[4]!, { reason: 'other' }, '198.51.100.7')).resolves.toHaveProperty(
      'id',
    );
    const stored = (await s.db.execute(sql`
      select count(*)::int as n from message_reports where org_id = ${many.orgId}`)) as unknown as Rows<{
      n: number;
    }>;
    expect(Number(stored.rows[0]!.n)).toBe(22);
  });
});

describe('the DPO’s alert (REP-1)', () => {
  it('is written in the organisation’s language: French for FR and MA, English for EU, with no personal data', async () => {
    const one = await makeAudience(s, 1, 'rep-lang');
    const {
      refs: [oneRef],
    } = await sendToAudience(s, one);
    const texts: Record<string, { subject: string; text: string }> = {};
    for (const jurisdiction of ['EU', 'MA'] as const) {
      await s.db.execute(
        sql`update organisations set jurisdiction = ${jurisdiction} where id = ${one.orgId}`,
      );
      await report(oneRef!, { reason: 'during_silence', comment: 'Jeanne' }, jurisdiction);
      const alerts = (await queuedMail(s, one.orgId)).filter((m) => m.kind === 'dpo_alert');
      texts[jurisdiction] = alerts.at(-1)!;
    }
    expect(texts.EU!.subject).toBe('Isoloir: a message was reported (during the silence period)');
    expect(texts.EU!.text).toContain('A recipient reported a message (REP-1).');
    expect(texts.EU!.text).toContain('Reason: during the silence period (during_silence).');
    expect(texts.MA!.subject).toBe(
      'Isoloir : un message a été signalé (pendant la période de silence)',
    );
    expect(texts.MA!.text).toContain('Motif : pendant la période de silence (during_silence).');
    for (const m of Object.values(texts)) {
      expect(m.text).not.toContain('Jeanne');
      expect(m.text).not.toContain(one.people[0]!.email);
    }
  });
});
