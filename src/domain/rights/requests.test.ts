// RIGHTS-1: rights requests proven by a one-time code. One organisation: two supporters (p0 got a
// campaign message and had consented to email; p1), and a prospect from the electoral list. Asking
// for a code answers the same for an address on file and one that is not; codes are throttled,
// expire, work once and lock after five wrong tries; access is answered at once with the person's
// data; a prospect's erasure applies at once (OPT-3), a member's goes to the DPO's queue (the
// prospect contacts of the same person erased at once all the same); the DPO extends once (61 days
// at most, within the month) and answers, the person being told each time, with the regulator.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../../test/factories.ts';
import { tempDir, writeCsv } from '../../../test/files.ts';
import { latestCode, queuedMail } from '../../../test/service-mail.ts';
import { sendToAudience } from '../../../test/sent-message.ts';
import { makeAudience, type Audience } from '../../../test/sending.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { blindIndex } from '../../crypto/blind-index.ts';
import { recordConsent } from '../consent/consent.ts';
import { addContact, findContactIds } from '../contacts/contacts.ts';
import { importContacts } from '../contacts/import/import-contacts.ts';
import { DomainError } from '../errors.ts';
import { formatDate } from '../outreach/notice-words.ts';
import { answerRightsRequest } from './answer-request.ts';
import { confirmRightsRequest } from './confirm-request.ts';
import {
  createRightsRequest,
  getRightsRequest,
  listRightsRequests,
  oneMonthAfter,
} from './requests.ts';

let now = new Date('2026-11-24T10:00:00Z');
const clock = () => now;
/** A fresh hour: the per-address budget of the previous tests no longer counts. */
const later = () => (now = new Date(now.getTime() + 2 * 3600_000));
const WORDING = 'J’accepte de recevoir des messages politiques de la liste par email';
const PROSPECT = 'prospect@rr.example';

let s: TestServices;
let audience: Audience;
let orgId: string;
let electoralSourceId: string;
const files = tempDir();
type Rows<T> = { rows: T[] };

const ask = (input: Record<string, unknown>, client = 'client-a', more: object = {}) =>
  createRightsRequest(s.db, { keys: s.keys, clock, orgId, input, client, ...more });
/** Phone numbers are accepted only where codes can go by SMS (issue 16). */
const sms = { smsAvailable: true };
const confirm = (requestId: string, code: string) =>
  confirmRightsRequest(s.db, { keys: s.keys, clock, requestId, code });
const other = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

/** The notifications rows written after the one numbered `after`. */
async function notificationsAfter(after: number) {
  const r = (await s.db.execute(sql`
    select id::int as id, kind, channel, state, payload is null as empty, last_error
    from notifications where org_id = ${orgId} and id > ${after} order by id`)) as unknown as Rows<{
    id: number;
    kind: string;
    channel: string;
    state: string;
    empty: boolean;
    last_error: string | null;
  }>;
  return r.rows;
}
const lastNotification = async () =>
  (
    (await s.db.execute(
      sql`select coalesce(max(id), 0)::int as n from notifications`,
    )) as unknown as Rows<{ n: number }>
  ).rows[0]!.n;

async function requestRow(id: string) {
  const r = (await s.db.execute(sql`
    select status, outcome, code_hash, length(identifier) as identifier_bytes, details,
      contact_ids, due_at, received_at from rights_requests where id = ${id}`)) as unknown as Rows<{
    status: string;
    outcome: string | null;
    code_hash: unknown;
    identifier_bytes: number;
    details: Uint8Array | null;
    contact_ids: string[] | null;
  }>;
  return r.rows[0]!;
}

beforeAll(async () => {
  s = await openTestServices({ clock });
  audience = await makeAudience(s, 2, 'rr');
  orgId = audience.orgId;
  await recordConsent(s.db, {
    orgId,
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
  await sendToAudience(s, audience, { input: { subject: 'Réunion publique' } });
  const election = await makeElection(s, orgId, { round1: '2027-03-14', round2: '2027-03-21' });
  electoralSourceId = (
    await makeSource(s, orgId, {
      type: 'electoral_list',
      label: 'LE interne 2026',
      electionId: election.id,
    })
  ).id;
  await addContact(s.db, {
    keys: s.keys,
    orgId,
    sourceId: electoralSourceId,
    identity: { birthName: 'Durand', firstNames: 'Anne', email: PROSPECT },
    actor: 'test',
  });
  await addContact(s.db, {
    keys: s.keys,
    orgId,
    sourceId: electoralSourceId,
    identity: { birthName: 'Martin', phone: '+33612345678' },
    actor: 'test',
  });
}, 120_000);
afterAll(async () => {
  await s?.dispose();
  files.remove();
});

describe('asking for a code (RIGHTS-1)', () => {
  it('gives an unknown address the same answer as a known one, and sends it nothing', async () => {
    let mark = await lastNotification();
    const known = await ask({ kind: 'access', email: audience.people[0]!.email });
    // The same work (RIGHTS-1): one notifications row each, only the known address's queued.
    expect(await notificationsAfter(mark)).toEqual([
      expect.objectContaining({ kind: 'rights_code', state: 'queued', empty: false }),
    ]);
    mark = await lastNotification();
    const unknown = await ask({ kind: 'access', email: 'nobody@rr.example' });
    expect(await notificationsAfter(mark)).toEqual([
      expect.objectContaining({
        kind: 'rights_code',
        channel: 'email',
        state: 'failed',
        empty: true,
        last_error: 'not on file: nothing sent (RIGHTS-1: same answer)',
      }),
    ]);
    expect(Object.keys(unknown)).toEqual(Object.keys(known));
    // The same work: a request and a hashed code each.
    for (const id of [known.id, unknown.id]) {
      const row = await requestRow(id);
      expect(row.status).toBe('awaiting_code');
      expect(row.code_hash).toBeTruthy();
    }
    const mail = await queuedMail(s, orgId);
    expect(mail.filter((m) => m.to === 'nobody@rr.example')).toEqual([]);
    const code = mail.filter((m) => m.kind === 'rights_code' && m.to === audience.people[0]!.email);
    expect(code).toHaveLength(1);
    expect(code[0]!.channel).toBe('email');
    expect(code[0]!.text).toMatch(/\b\d{6}\b/);
  });

  it('refuses a phone number while no SMS channel exists, the same for a number on file or not (RIGHTS-1)', async () => {
    const mark = await lastNotification();
    const [held, notHeld] = await Promise.all(
      ['06 12 34 56 78', '06 99 99 99 99'].map((phone) => refusal(ask({ kind: 'access', phone }))),
    );
    expect([held!.code, held!.key]).toEqual(['invalid', 'rights.phone_unavailable']);
    expect([notHeld!.code, notHeld!.key, notHeld!.message]).toEqual([
      held!.code,
      held!.key,
      held!.message,
    ]);
    expect(await notificationsAfter(mark)).toEqual([]);
  });

  it('once codes can go by SMS, sends a phone request’s code to the number on file only', async () => {
    const mark = await lastNotification();
    await ask({ kind: 'access', phone: '06 12 34 56 78' }, 'client-a', sms);
    await ask({ kind: 'access', phone: '06 99 99 99 99' }, 'client-a', sms);
    const rows = await notificationsAfter(mark);
    expect(rows.map((r) => [r.channel, r.state, r.empty])).toEqual([
      ['sms', 'queued', false],
      ['sms', 'failed', true],
    ]);
    const queued = (await queuedMail(s, orgId)).filter((m) => m.channel === 'sms');
    expect(queued.map((m) => [m.kind, m.to])).toEqual([['rights_code', '+33612345678']]);
  });

  it('throttles the fourth code request for one address within an hour, known or not', async () => {
    later();
    for (const email of [audience.people[1]!.email, 'nobody-else@rr.example']) {
      for (let i = 0; i < 3; i++) await ask({ kind: 'access', email }, `client-${i}`);
      const error = await refusal(ask({ kind: 'access', email }, 'client-9'));
      expect([error.code, error.key]).toEqual(['throttled', 'rights.throttled']);
    }
    later();
    await ask({ kind: 'access', email: 'nobody-else@rr.example' });
  });

  it('throttles one client address past 60 code requests an hour to one organisation, whatever the address', async () => {
    later();
    // Behind a reverse proxy every voter shares one address: the budget is generous.
    for (let i = 0; i < 60; i++) await ask({ kind: 'access', email: `n${i}@rr.example` }, 'busy');
    const error = await refusal(ask({ kind: 'access', email: 'n99@rr.example' }, 'busy'));
    expect(error.key).toBe('rights.throttled');
    // Counted per organisation: the same client may still ask another one.
    const elsewhere = await makeOrg(s, { legalName: 'Autre liste' });
    await createRightsRequest(s.db, {
      keys: s.keys,
      clock,
      orgId: elsewhere.id,
      input: { kind: 'access', email: 'n99@rr.example' },
      client: 'busy',
    });
  });

  it('refuses a rectification without details, a bad phone and a ref of no message', async () => {
    later();
    const keys = await Promise.all([
      refusal(ask({ kind: 'rectification', email: PROSPECT })),
      refusal(ask({ kind: 'access', phone: '12' }, 'client-a', sms)),
      refusal(ask({ kind: 'access', email: PROSPECT, ref: 'a'.repeat(32) })),
    ]);
    expect(keys.map((e) => e.key)).toEqual([
      'rights.details_required',
      'rights.invalid_phone',
      'rights.ref_unknown',
    ]);
  });
});

describe('confirming the code (RIGHTS-1)', () => {
  it('answers access at once with the data, its sources, consent and messages; the code works once', async () => {
    later();
    const p0 = audience.people[0]!;
    const { id } = await ask({ kind: 'access', email: p0.email });
    const code = await latestCode(s, orgId, p0.email);
    const result = await confirm(id, code);
    expect(result.status).toBe('answered');
    expect(result.dueAt).toBe(oneMonthAfter(now).toISOString());
    const [person] = result.data!.contacts;
    expect(result.data!.contacts).toHaveLength(1);
    expect(person!.identity).toMatchObject({ birthName: 'N0', email: p0.email });
    expect(person!.sources).toEqual([
      expect.objectContaining({
        type: 'supporter_signup',
        description: expect.stringMatching(/^votre inscription comme sympathisant, obtenue le /),
      }),
    ]);
    expect(JSON.stringify(result.data)).not.toContain('Adhérents 2026'); // the staff's label
    expect(person!.consent).toEqual([
      expect.objectContaining({ channel: 'email', action: 'granted', wording: WORDING }),
    ]);
    expect(person!.messages).toEqual([
      expect.objectContaining({ channel: 'email', campaign: 'Réunion publique', state: 'sent' }),
    ]);
    expect(person!.messages[0]!.ref).toMatch(/^[0-9a-f]{32}$/);
    expect(person!.retainedUntil).toBeNull();
    expect(person!.retention).toMatch(/relation/);
    const again = await refusal(confirm(id, code));
    expect(again.key).toBe('rights.code_used');
    const audit = (await s.db.execute(
      sql`select action, summary from audit_events where entity_id = ${id} order by id`,
    )) as unknown as Rows<{ action: string; summary: Record<string, unknown> }>;
    expect(audit.rows.map((r) => r.action)).toEqual(['rights.access', 'rights.request']);
    expect(JSON.stringify(audit.rows)).not.toContain('@');
  });

  it('locks the request after five wrong codes, and the right code then fails', async () => {
    later();
    const email = audience.people[0]!.email;
    const { id } = await ask({ kind: 'access', email });
    const code = await latestCode(s, orgId, email);
    for (const remaining of [4, 3, 2, 1]) {
      const error = await refusal(confirm(id, other(code)));
      expect([error.key, error.params]).toEqual(['rights.code_wrong', { remaining }]);
    }
    expect((await refusal(confirm(id, other(code)))).key).toBe('rights.request_locked');
    const after = await refusal(confirm(id, code));
    expect([after.code, after.key]).toEqual(['conflict', 'rights.request_locked']);
    expect((await requestRow(id)).status).toBe('locked');
  });

  it('refuses an expired code (30 minutes)', async () => {
    later();
    const email = audience.people[0]!.email;
    const { id } = await ask({ kind: 'access', email });
    const code = await latestCode(s, orgId, email);
    now = new Date(now.getTime() + 31 * 60_000);
    expect((await refusal(confirm(id, code))).key).toBe('rights.code_expired');
    expect((await requestRow(id)).status).toBe('expired');
  });

  it('erases a prospect at once, keeping only the suppression hashes: a new import of the address is suppressed (OPT-3)', async () => {
    later();
    const { id } = await ask({ kind: 'erasure', email: PROSPECT });
    const result = await confirm(id, await latestCode(s, orgId, PROSPECT));
    expect(result.status).toBe('answered');
    expect(await findContactIds(s.db, { keys: s.keys, orgId, email: PROSPECT })).toEqual([]);
    const row = await requestRow(id);
    expect([row.outcome, row.identifier_bytes, row.contact_ids]).toEqual(['erased', 0, []]);
    const reply = (await queuedMail(s, orgId)).filter(
      (m) => m.kind === 'rights_reply' && m.to === PROSPECT,
    );
    expect(reply.at(-1)!.text).toContain('https://www.cnil.fr/fr/plaintes');
    // The side door: the same address in the next file does not come back (SRC-8).
    const summary = await importContacts(s.db, {
      keys: s.keys,
      sourceId: (await makeSource(s, orgId, { type: 'member_file', label: 'Adhérents' })).id,
      file: writeCsv(files.file('members.csv'), [
        ['Nom', 'Prénom', 'Email'],
        ['Durand', 'Anne', PROSPECT],
      ]),
      fileName: 'members.csv',
      mapping: [],
      actor: 'test',
      clock,
    });
    expect(summary.suppressed).toBe(1);
    expect(await findContactIds(s.db, { keys: s.keys, orgId, email: PROSPECT })).toEqual([]);
  });
});

describe('a person who is both a prospect and a member (OPT-3)', () => {
  /** One address held twice: by a prospect (electoral list) and by a member (member file). */
  async function heldTwice(email: string) {
    const member = await makeSource(s, orgId, { type: 'member_file', label: 'Adhérents' });
    const add = (sourceId: string) =>
      addContact(s.db, {
        keys: s.keys,
        orgId,
        sourceId,
        identity: { birthName: 'Double', firstNames: 'Jo', email },
        actor: 'test',
      });
    return { prospect: (await add(electoralSourceId)).id, member: (await add(member.id)).id };
  }

  it('erasure: the prospect contact is erased at once, only the member part goes to the DPO', async () => {
    later();
    const email = 'double.e@rr.example';
    const { member } = await heldTwice(email);
    const { id } = await ask({ kind: 'erasure', email });
    const result = await confirm(id, await latestCode(s, orgId, email));
    expect(result.status).toBe('open');
    expect(await findContactIds(s.db, { keys: s.keys, orgId, email })).toEqual([member]);
    const row = await requestRow(id);
    expect([row.status, row.outcome, row.contact_ids]).toEqual(['open', 'queued', [member]]);
    // The prospect's identifiers joined the suppression list (OPT-3): only keyed hashes stay.
    const keys = await s.keys.forOrg(s.db, orgId);
    const hash = blindIndex(keys.suppression, 'email', email);
    const listed = (await s.db.execute(sql`
      select count(*)::int as n from suppressions
      where org_id = ${orgId} and hash = ${hash}`)) as unknown as Rows<{ n: number }>;
    expect(listed.rows[0]!.n).toBe(1);
  });

  it('objection: messages stop at once for all, the prospect is erased, the request keeps only the member (OPT-1, OPT-3)', async () => {
    later();
    const email = 'double.o@rr.example';
    const { member } = await heldTwice(email);
    const { id } = await ask({ kind: 'objection', email });
    const result = await confirm(id, await latestCode(s, orgId, email));
    expect(result.status).toBe('open');
    expect(await findContactIds(s.db, { keys: s.keys, orgId, email })).toEqual([member]);
    const row = await requestRow(id);
    expect([row.outcome, row.contact_ids]).toEqual(['queued', [member]]);
    const withdrawn = (await s.db.execute(sql`
      select count(*)::int as n from consent_entries
      where contact_id = ${member} and action = 'withdrawn'`)) as unknown as Rows<{ n: number }>;
    expect(withdrawn.rows[0]!.n).toBeGreaterThan(0);
    // The reply says the messages have stopped, and when the DPO answers about the rest.
    const reply = (await queuedMail(s, orgId))
      .filter((m) => m.kind === 'rights_reply' && m.to === email)
      .at(-1)!;
    expect(reply.text).toContain('vous ne recevez plus aucun message de notre part');
    expect(reply.text).toContain(`au plus tard le ${formatDate('fr', result.dueAt.slice(0, 10))}`);
  });
});

describe("the DPO's queue (RIGHTS-1)", () => {
  let memberRequest: string;

  it("sends a member's erasure to the queue, alerts the DPO, and lists nothing personal", async () => {
    later();
    const p1 = audience.people[1]!;
    memberRequest = (await ask({ kind: 'erasure', email: p1.email })).id;
    const result = await confirm(memberRequest, await latestCode(s, orgId, p1.email));
    expect(result.status).toBe('open');
    expect(await findContactIds(s.db, { keys: s.keys, orgId, email: p1.email })).toEqual([p1.id]);
    const alert = (await queuedMail(s, orgId)).filter((m) => m.kind === 'dpo_alert').at(-1)!;
    expect(alert.to).toBe('dpo@exemple-2027.fr');
    expect(alert.text).not.toContain('@');
    const list = await listRightsRequests(s.db, { orgId });
    const item = list.items.find((i) => i.id === memberRequest)!;
    expect(item).toMatchObject({ kind: 'erasure', status: 'open', channel: 'email' });
    expect(JSON.stringify(list)).not.toMatch(/@|N1|Durand/);
    expect(list.items.map((i) => i.status)).not.toContain('awaiting_code');
    expect(list.items.map((i) => i.dueAt)).toEqual(list.items.map((i) => i.dueAt).sort());
  });

  it('keeps a rectification sealed and shows it to the DPO, the reading audited', async () => {
    later();
    const p0 = audience.people[0]!;
    const details = 'Mon prénom s’écrit Anaïs';
    const { id } = await ask({ kind: 'rectification', email: p0.email, details });
    expect((await confirm(id, await latestCode(s, orgId, p0.email))).status).toBe('open');
    expect(Buffer.from((await requestRow(id)).details!).toString('latin1')).not.toContain('Ana');
    const shown = await getRightsRequest(s.db, {
      keys: s.keys,
      requestId: id,
      actor: 'dpo',
      clock,
    });
    expect(shown).toMatchObject({ details, status: 'open', contactIds: [p0.id] });
    const read = (await s.db.execute(sql`
      select count(*)::int as n from audit_events
      where entity_id = ${id} and actor = 'dpo' and action = 'rights.request'`)) as unknown as Rows<{
      n: number;
    }>;
    expect(read.rows[0]!.n).toBe(1);
  });

  it('extends a request once, by 61 days at most, telling the person why', async () => {
    const answer = (note: string, extendDays?: number) =>
      answerRightsRequest(s.db, {
        keys: s.keys,
        clock,
        requestId: memberRequest,
        note,
        ...(extendDays !== undefined ? { extendDays } : {}),
        actor: 'dpo',
      });
    const before = new Date(
      (await listRightsRequests(s.db, { orgId })).items.find((i) => i.id === memberRequest)!.dueAt,
    );
    expect((await refusal(answer('Archives', 62))).code).toBe('invalid');
    const extended = await answer('Nous devons consulter les archives papier.', 61);
    expect(extended.status).toBe('extended');
    expect(new Date(extended.dueAt).getTime() - before.getTime()).toBe(61 * 86_400_000);
    const told = (await queuedMail(s, orgId)).filter(
      (m) => m.kind === 'rights_reply' && m.to === audience.people[1]!.email,
    );
    expect(told.at(-1)!.text).toContain('Nous devons consulter les archives papier.');
    expect((await refusal(answer('Encore', 10))).key).toBe('rights.already_extended');
  });

  it("answers with the note and the regulator's complaint address", async () => {
    const result = await answerRightsRequest(s.db, {
      keys: s.keys,
      clock,
      requestId: memberRequest,
      note: 'Votre adhésion est close et vos données effacées.',
      actor: 'dpo',
    });
    expect(result.status).toBe('answered');
    const reply = (await queuedMail(s, orgId))
      .filter((m) => m.kind === 'rights_reply' && m.to === audience.people[1]!.email)
      .at(-1)!;
    expect(reply.text).toContain('Votre adhésion est close et vos données effacées.');
    expect(reply.text).toContain('CNIL : https://www.cnil.fr/fr/plaintes');
    const again = await refusal(
      answerRightsRequest(s.db, {
        keys: s.keys,
        clock,
        requestId: memberRequest,
        note: 'x',
        actor: 'dpo',
      }),
    );
    expect(again.key).toBe('rights.not_open');
  });
});

describe('extending within the month (RIGHTS-1, GDPR art. 12(3))', () => {
  it('refuses an extension once the original due date has passed, and of a request not open', async () => {
    later();
    const p0 = audience.people[0]!;
    const { id } = await ask({
      kind: 'restriction',
      email: p0.email,
      details: 'Le temps de vérifier',
    });
    const { dueAt } = await confirm(id, await latestCode(s, orgId, p0.email));
    const answer = (extendDays?: number) =>
      answerRightsRequest(s.db, {
        keys: s.keys,
        clock,
        requestId: id,
        note: 'Réponse',
        ...(extendDays !== undefined ? { extendDays } : {}),
        actor: 'dpo',
      });
    now = new Date(new Date(dueAt).getTime() + 60_000);
    const late = await refusal(answer(30));
    expect([late.code, late.key, late.rule]).toEqual([
      'conflict',
      'rights.extension_too_late',
      'RIGHTS-1',
    ]);
    expect((await answer()).status).toBe('answered');
    const closed = await refusal(answer(10));
    expect([closed.code, closed.key]).toEqual(['conflict', 'rights.not_open']);
  });
});

describe('the due date (RIGHTS-1)', () => {
  it('is one calendar month after receipt, the month’s last day when it has no such day', () => {
    const due = (iso: string) => oneMonthAfter(new Date(iso)).toISOString();
    expect(due('2026-11-24T10:00:00.000Z')).toBe('2026-12-24T10:00:00.000Z');
    expect(due('2027-01-31T10:00:00.000Z')).toBe('2027-02-28T10:00:00.000Z');
    expect(due('2028-01-31T10:00:00.000Z')).toBe('2028-02-29T10:00:00.000Z');
    expect(due('2026-03-31T23:30:00.000Z')).toBe('2026-04-30T23:30:00.000Z');
    expect(due('2026-12-15T08:00:00.000Z')).toBe('2027-01-15T08:00:00.000Z');
  });
});
