// RIGHTS-2: the facts of one message, from its reference alone: the legal basis as it stood when
// the message was sent (a consent withdrawn since does not rewrite it), the source that supplies
// the address when the message records none (not sent yet), the retention counted as the notice
// counts it, the words of each language, and `message.not_found` for an unknown or malformed ref.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { storedMessage } from '../../../test/sent-message.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { recordConsent } from '../consent/consent.ts';
import { addContact } from '../contacts/contacts.ts';
import { messageFacts } from './message-facts.ts';

let s: TestServices;
let now = new Date('2026-11-24T10:00:00Z');
beforeAll(async () => {
  s = await openTestServices({ clock: () => now });
});
afterAll(() => s.dispose());

/** A door-to-door contact with email consent, and an outbox row of theirs (no source recorded). */
async function message(state: 'queued' | 'sent') {
  const org = await makeOrg(s, { noticePurposes: 'informer' });
  const source = await makeSource(s, org.id, {
    type: 'door_to_door',
    label: 'Porte-à-porte rue Martin',
    obtainedOn: '2026-10-05',
    publicDescription: 'quartier de la gare',
  });
  const { id } = await addContact(s.db, {
    keys: s.keys,
    orgId: org.id,
    sourceId: source.id,
    identity: { birthName: 'Martin', email: `martin.${randomBytes(3).toString('hex')}@exemple.fr` },
    actor: 'test',
  });
  await recordConsent(s.db, {
    orgId: org.id,
    contactId: id,
    entry: {
      channel: 'email',
      action: 'granted',
      wording: 'J’accepte de recevoir des messages politiques par email',
      method: 'canvasser',
      place: 'porte-à-porte',
      evidence: 'fiche 7',
      occurredAt: '2026-10-05T10:00:00Z',
    },
    actor: 'test',
    clock: s.clock,
  });
  const ref = await storedMessage(s, { orgId: org.id, contactId: id, state });
  return { orgId: org.id, contactId: id, ref };
}

describe('message facts (RIGHTS-2)', () => {
  it('RIGHTS-2: the legal basis is the one of the day it was sent, a consent withdrawn since does not rewrite it', async () => {
    const m = await message('sent');
    await recordConsent(s.db, {
      orgId: m.orgId,
      contactId: m.contactId,
      entry: { channel: 'email', action: 'withdrawn', method: 'letter' },
      actor: 'test',
      clock: s.clock,
    });
    const facts = await messageFacts(s.db, { ref: m.ref, lang: 'en' });
    expect(facts).toMatchObject({
      orgId: m.orgId,
      contactId: m.contactId,
      channel: 'email',
      sentAt: '2026-11-20T09:00:00.000Z',
      legalBasis: 'your consent (GDPR art. 6(1)(a) and 9(2)(a))',
      // Two months after the first message, as its notice said (RET-2).
      retainedUntil: '2027-01-20',
      recipientObjected: false,
      noLongerHeld: false,
    });
    expect(facts.retention).toBeUndefined();
    expect(facts.source).toEqual({
      type: 'door_to_door',
      description:
        'a meeting during our door-to-door canvassing, obtained on 5 October 2026 (quartier de la gare)',
      obtainedOn: '2026-10-05',
    });
    const ar = await messageFacts(s.db, { ref: m.ref, lang: 'ar' });
    expect(ar.source!.description).toBe(
      'لقاء خلال جولاتنا من باب إلى باب، تم الحصول عليه في 5 أكتوبر 2026 (quartier de la gare)',
    );
    expect(JSON.stringify([facts, ar])).not.toContain('rue Martin');
  });

  it('RIGHTS-2: a message not sent yet names the source that supplies the address today, and counts retention from today', async () => {
    const m = await message('queued');
    now = new Date('2026-12-31T10:00:00Z');
    try {
      const facts = await messageFacts(s.db, { ref: m.ref, now });
      expect(facts).toMatchObject({
        sentAt: null,
        source: { type: 'door_to_door' },
        legalBasis: 'votre consentement (RGPD, art. 6(1)(a) et 9(2)(a))',
        retainedUntil: '2027-02-28',
      });
    } finally {
      now = new Date('2026-11-24T10:00:00Z');
    }
  });

  it('RIGHTS-2: an unknown or malformed reference is message.not_found', async () => {
    for (const ref of [randomBytes(16).toString('hex'), 'x', `${'A'.repeat(32)}`])
      await expect(messageFacts(s.db, { ref })).rejects.toMatchObject({
        code: 'not_found',
        key: 'message.not_found',
      });
  });
});
