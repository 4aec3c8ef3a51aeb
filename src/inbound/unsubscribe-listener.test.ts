// OPT-1: a reply to the mailto: unsubscribe address, sent by a real SMTP client (nodemailer) to the
// real listener, records the objection; an unknown, forged or foreign address is refused at RCPT;
// a replay writes nothing new; an oversized message is refused.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import nodemailer, { type Transporter } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeOrg, makeSource } from '../../test/factories.ts';
import { openTestServices, type TestServices } from '../../test/test-db.ts';
import { addContact } from '../domain/contacts/contacts.ts';
import { unsubscribeToken } from '../domain/objections/unsubscribe-token.ts';
import { createCampaign } from '../domain/outreach/campaigns.ts';
import { saveSegment } from '../domain/segments/segments.ts';
import {
  MAX_MESSAGE_BYTES,
  startUnsubscribeListener,
  type UnsubscribeListener,
} from './unsubscribe-listener.ts';

const DOMAIN = 'exemple-2027.fr';
let s: TestServices;
let listener: UnsubscribeListener;
let orgId: string;
let transport: Transporter;

beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
  orgId = (await makeOrg(s)).id;
  listener = await startUnsubscribeListener(s, { port: 0, host: '127.0.0.1', mailDomain: DOMAIN });
  // As a receiving MTA is reached: no authentication.
  transport = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false });
});
afterAll(async () => {
  transport.close();
  await listener.close();
  await s.dispose();
});

type Rows<T> = { rows: T[] };
const stored = async () => {
  const r = (await s.db.execute(sql`
    select (select count(*)::int from consent_entries where org_id = ${orgId}) as ledger,
      (select count(*)::int from audit_events where org_id = ${orgId}) as audit,
      (select count(*)::int from suppressions where org_id = ${orgId}) as suppressions,
      (select count(*)::int from contacts where org_id = ${orgId}) as contacts`)) as unknown as Rows<
    Record<string, number>
  >;
  return r.rows[0]!;
};

/** A recipient of one sent message, and the mailto: unsubscribe address of that message. */
async function recipient(kind: 'member' | 'prospect') {
  const source =
    kind === 'member'
      ? await makeSource(s, orgId, { type: 'member_file' })
      : await makeSource(s, orgId, { type: 'purchased_file', attestation });
  const { id } = await addContact(s.db, {
    keys: s.keys,
    orgId,
    sourceId: source.id,
    identity: { birthName: 'Martin', email: `m.${randomBytes(3).toString('hex')}@exemple.fr` },
    actor: 'test',
  });
  const segment = await saveSegment(s.db, {
    orgId,
    input: { name: `Tous ${id}`, where: { and: [] } },
    actor: 'test',
  });
  const campaign = await createCampaign(s.db, {
    orgId,
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
    values (${campaign.id}, ${orgId}, ${id}, 'email', ${ref}, 'sent', now())`);
  const token = unsubscribeToken(s.keys.unsubscribeKey(), ref);
  return { contactId: id, token, address: `unsubscribe+${token}@${DOMAIN}` };
}

const reply = (to: string, text = 'unsubscribe') =>
  transport.sendMail({ from: 'someone@exemple.fr', to, subject: 'unsubscribe', text });

describe('replies to the unsubscribe address (OPT-1)', () => {
  it('OPT-1: records the objection of a reply to a valid unsubscribe address (email_reply)', async () => {
    const member = await recipient('member');
    const info = await reply(member.address);
    expect(info.accepted).toEqual([member.address]);
    const ledger = (await s.db.execute(sql`
      select distinct action, method from consent_entries where contact_id = ${member.contactId}`)) as unknown as Rows<
      Record<string, string>
    >;
    expect(ledger.rows).toEqual([{ action: 'withdrawn', method: 'email_reply' }]);
    // A prospect's reply erases them (OPT-3), like every other way of objecting.
    const prospect = await recipient('prospect');
    await reply(prospect.address);
    const left = (await s.db.execute(
      sql`select count(*)::int as n from contacts where id = ${prospect.contactId}`,
    )) as unknown as Rows<{ n: number }>;
    expect(Number(left.rows[0]!.n)).toBe(0);
  });

  it('OPT-1: refuses an unknown, forged or foreign address at RCPT (5xx), writing nothing', async () => {
    const r = await recipient('member');
    const before = await stored();
    const forged = r.token.slice(0, -4) + (r.token.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const to of [
      `unsubscribe+${forged}@${DOMAIN}`,
      `unsubscribe+0123456789abcdef0123456789abcdef.AAAAAAAAAAAAAAAAAAAAAA@${DOMAIN}`,
      `unsubscribe+${r.token.slice(0, 20)}@${DOMAIN}`,
      `contact@${DOMAIN}`,
      `unsubscribe+${r.token}@relay.example`,
    ]) {
      const error = (await reply(to).catch((e: unknown) => e)) as {
        code?: string;
        responseCode?: number;
        rejected?: string[];
      };
      expect(error.code, to).toBe('EENVELOPE');
      expect(error.responseCode, to).toBeGreaterThanOrEqual(500);
      expect(error.responseCode, to).toBeLessThan(600);
    }
    expect(await stored()).toEqual(before);
  });

  it('OPT-1: a replayed reply writes nothing new, and an oversized one is refused', async () => {
    const r = await recipient('member');
    await reply(r.address);
    const after = await stored();
    for (let i = 0; i < 3; i++) expect((await reply(r.address)).accepted).toEqual([r.address]);
    expect(await stored()).toEqual(after);

    const big = await recipient('member');
    const before = await stored();
    const error = (await reply(big.address, 'x'.repeat(MAX_MESSAGE_BYTES + 1024)).catch(
      (e: unknown) => e,
    )) as { responseCode?: number };
    expect(error.responseCode).toBe(552);
    expect(await stored()).toEqual(before);
  });
});
