import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { expectDbRefusal } from '../../../test/db-error.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { addContact } from '../contacts/contacts.ts';
import { consentHistory, consentStatus, recordConsent } from './consent.ts';

let s: TestServices;
let orgId: string;
let contactId: string;
let t = Date.parse('2026-11-24T09:00:00Z');

beforeAll(async () => {
  // Each call of the clock moves one second on, so entries have distinct times.
  s = await openTestServices({ clock: () => new Date((t += 1000)) });
  const org = await makeOrg(s);
  orgId = org.id;
  const source = await makeSource(s, orgId, { type: 'supporter_signup' });
  contactId = (
    await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: source.id,
      identity: {
        email: 'soutien@exemple.fr',
        phone: '+33612345678',
        streetAddress: '1 rue de la Paix',
      },
      actor: 'test',
    })
  ).id;
});
afterAll(() => s.dispose());

const record = (entry: object, who = contactId) =>
  recordConsent(s.db, { orgId, contactId: who, entry, actor: 'test', clock: s.clock });

const politicalEmail = {
  channel: 'email',
  action: 'granted',
  wording: "J'accepte de recevoir par email les messages politiques de l'association",
  method: 'web_form',
  place: 'https://exemple-2027.fr/soutenir',
  evidence: 'form-submission-8812',
};

describe('consent ledger (CH-CONSENT)', () => {
  it('grants email consent with its wording, place and evidence, and a withdrawal takes effect at once', async () => {
    await record(politicalEmail);
    expect((await consentStatus(s.db, { contactId, channel: 'email' })).granted).toBe(true);
    await record({ channel: 'email', action: 'withdrawn', method: 'unsubscribe_link' });
    expect((await consentStatus(s.db, { contactId, channel: 'email' })).granted).toBe(false);
    const history = await consentHistory(s.db, { contactId });
    expect(history.map((e) => e.action)).toEqual(['granted', 'withdrawn']);
    expect(history[0]).toMatchObject({
      wording: politicalEmail.wording,
      place: politicalEmail.place,
      evidence: politicalEmail.evidence,
    });
  });

  it('keeps channels and purposes apart', async () => {
    await record({ ...politicalEmail, channel: 'sms', wording: 'Oui aux SMS politiques' });
    expect((await consentStatus(s.db, { contactId, channel: 'sms' })).granted).toBe(true);
    expect((await consentStatus(s.db, { contactId, channel: 'phone' })).granted).toBe(false);
    expect(
      (await consentStatus(s.db, { contactId, channel: 'sms', purpose: 'fundraising' })).granted,
    ).toBe(false);
  });

  it('refuses an email or SMS consent that does not name political messages', async () => {
    await expect(
      record({ ...politicalEmail, wording: 'Recevoir notre newsletter' }),
    ).rejects.toMatchObject({
      code: 'refused',
      rule: 'CH-CONSENT',
    });
  });

  it('refuses a consent without the wording shown', async () => {
    const { wording: _w, ...noWording } = politicalEmail;
    await expect(record(noWording)).rejects.toMatchObject({ rule: 'CH-CONSENT' });
  });

  it('refuses a grant that does not say where it was given or keep its evidence', async () => {
    const { place: _p, ...noPlace } = politicalEmail;
    await expect(record(noPlace)).rejects.toMatchObject({ rule: 'CH-CONSENT' });
    const { evidence: _e, ...noEvidence } = politicalEmail;
    await expect(record(noEvidence)).rejects.toThrow(/evidence/);
  });

  it('lets the latest event decide: a grant dated before a withdrawal does not undo it', async () => {
    await record({
      channel: 'post',
      action: 'withdrawn',
      method: 'letter',
      occurredAt: '2026-11-20T10:00:00Z',
    });
    await record({
      ...politicalEmail,
      channel: 'post',
      wording: 'Courrier politique',
      occurredAt: '2026-11-10T10:00:00Z',
    });
    expect((await consentStatus(s.db, { contactId, channel: 'post' })).granted).toBe(false);
  });

  it("refuses to cite another organisation's source as the consent's origin", async () => {
    const other = await makeOrg(s);
    const theirs = await makeSource(s, other.id);
    await expect(record({ ...politicalEmail, sourceId: theirs.id })).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('refuses an unknown channel, naming the field', async () => {
    await expect(record({ ...politicalEmail, channel: 'fax' })).rejects.toThrow(
      /channel: must be one of/,
    );
  });

  it('cannot be edited: the database refuses updates (append-only)', async () => {
    await expectDbRefusal(
      s.db.execute(sql`update consent_entries set action = 'granted'`),
      /CH-CONSENT.*append-only/,
    );
  });

  it('cannot be truncated', async () => {
    await expectDbRefusal(
      s.db.execute(sql`truncate consent_entries`),
      /CH-CONSENT.*cannot be truncated/,
    );
  });

  it('cannot be deleted except inside a declared purge', async () => {
    await expectDbRefusal(
      s.db.execute(sql`delete from consent_entries`),
      /CH-CONSENT.*append-only/,
    );
    const before = (await consentHistory(s.db, { contactId })).length;
    expect(before).toBeGreaterThan(0);
    await s.db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('isoloir.purge', 'on', true)`);
      await tx.execute(sql`delete from consent_entries where contact_id = ${contactId}`);
    });
    expect(await consentHistory(s.db, { contactId })).toEqual([]);
  });
});
