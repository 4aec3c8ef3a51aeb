import { describe, expect, it } from 'vitest';
import { checkElectionSilence, checkOrganisationWindow, checkSendWindow } from './calendar.ts';
import { checkChannel, isRelationship } from './channels.ts';
import { checkNotice } from './notices.ts';
import { packFor, POLICY_PACKS } from './packs.ts';
import { retentionEnd } from './retention.ts';
import { isStopMessage } from './stop.ts';
import { checkTargetingField } from './targeting.ts';

const fr = packFor('FR');
const ma = packFor('MA');

describe('targeting fields (SEG-1, SEG-2)', () => {
  it.each(fr.targetingFields)('allows %s', (field) => {
    expect(checkTargetingField(fr, field)).toEqual([]);
  });

  it.each([
    'surname',
    'lastName',
    'birthName',
    'usageName',
    'firstName',
    'firstNames',
    'prenom',
    'nom',
    'nameConsonance',
    'birthplace',
    'placeOfBirth',
    'communeDeNaissance',
    'countryOfBirth',
    'paysDeNaissance',
    'nationality',
    'nationalité',
    'ethnicOrigin',
    'religion',
    'health',
    'santé',
    'sexualOrientation',
    'unionMembership',
    'syndicat',
  ])('refuses %s with SEG-2 naming the field', (field) => {
    const [violation] = checkTargetingField(fr, field);
    expect(violation?.rule).toBe('SEG-2');
    expect(violation?.message).toContain(`"${field}"`);
  });
});

describe('channels', () => {
  it.each(['automated_call', 'robocall', 'fax', 'autodialer'])(
    'refuses %s with CH-AUTO',
    (channel) => {
      expect(checkChannel(fr, channel)[0]?.rule).toBe('CH-AUTO');
    },
  );
  it('knows the four channels and which sources are a relationship', () => {
    for (const c of ['email', 'sms', 'phone', 'post']) expect(checkChannel(fr, c)).toEqual([]);
    expect(isRelationship(fr, 'member_file')).toBe(true);
    expect(isRelationship(fr, 'purchased_file')).toBe(false);
    expect(fr.channels.email).toEqual({ requirement: 'consent_or_relationship', rule: 'CH-EMAIL' });
  });
});

describe('calendar (CAL-1, CH-HOURS)', () => {
  const vote = '2027-04-11'; // a Sunday
  it('keeps silence in France from 00:00 on the eve until 20:00 on the day', () => {
    const at = (iso: string) => checkElectionSilence(fr, { at: new Date(iso), voteDates: [vote] });
    expect(at('2027-04-09T21:59:00Z')).toEqual([]); // Friday 23:59 Paris
    expect(at('2027-04-09T22:00:00Z')[0]?.rule).toBe('CAL-1'); // Saturday 00:00 Paris
    expect(at('2027-04-11T17:59:00Z')[0]?.rule).toBe('CAL-1'); // Sunday 19:59 Paris
    expect(at('2027-04-11T18:00:00Z')).toEqual([]); // Sunday 20:00 Paris
    expect(
      checkElectionSilence(ma, { at: new Date('2027-04-10T10:00:00Z'), voteDates: [vote] }),
    ).toEqual([]);
  });

  it('sends SMS and calls only Monday to Saturday, 08:00 to 22:00 in the recipient zone', () => {
    const at = (iso: string, timeZone?: string) =>
      checkSendWindow(fr, { at: new Date(iso), timeZone });
    expect(at('2026-11-24T07:00:00Z')).toEqual([]); // Tuesday 08:00 Paris
    expect(at('2026-11-24T06:59:00Z')[0]?.rule).toBe('CH-HOURS');
    expect(at('2026-11-24T21:00:00Z')[0]?.rule).toBe('CH-HOURS'); // 22:00 Paris
    expect(at('2026-11-29T12:00:00Z')[0]?.rule).toBe('CH-HOURS'); // Sunday
    expect(at('2026-11-24T07:00:00Z', 'America/Martinique')[0]?.rule).toBe('CH-HOURS'); // 03:00 there
  });

  it('lets an organisation narrow the window, not widen it', () => {
    expect(
      checkOrganisationWindow(fr, { days: [1, 2, 3, 4, 5], from: '09:00', until: '20:00' }),
    ).toEqual([]);
    expect(
      checkOrganisationWindow(fr, { days: [0, 1], from: '09:00', until: '20:00' })[0]?.rule,
    ).toBe('CH-HOURS');
    expect(checkOrganisationWindow(fr, { days: [1], from: '07:00', until: '20:00' })[0]?.rule).toBe(
      'CH-HOURS',
    );
  });
});

describe('notices, retention, STOP, regulators', () => {
  it('lists every missing notice element under NOT-1', () => {
    const violations = checkNotice(fr, {
      controller: 'Parti',
      controllerContact: 'c@p.fr',
      source: 'liste électorale',
    });
    expect(violations.map((v) => v.rule)).toEqual(Array(7).fill('NOT-1'));
    expect(violations.map((v) => v.message)).toContain('the notice does not say how to object');
    // GDPR art. 13(1)(c): the legal basis is one of the elements.
    expect(violations.map((v) => v.message)).toContain(
      'the notice does not say the legal basis of the processing (GDPR art. 13(1)(c))',
    );
  });

  it('computes retention from the election and the reference periods (RET-2)', () => {
    expect(retentionEnd(fr, { sourceType: 'electoral_list', lastRound: '2026-03-22' })).toEqual({
      until: '2026-04-21',
    });
    expect(retentionEnd(fr, { sourceType: 'purchased_file', firstMessage: '2026-01-31' })).toEqual({
      until: '2026-03-31',
    });
    expect(retentionEnd(fr, { sourceType: 'referral', firstMessage: '2026-12-31' })).toEqual({
      until: '2027-02-28',
    });
    expect(retentionEnd(fr, { sourceType: 'member_file' })).toEqual({
      until: 'end_of_relationship',
    });
  });

  it('recognises STOP in French and English, and in Arabic for MA', () => {
    expect(isStopMessage(fr, ' stop ')).toBe(true);
    expect(isStopMessage(fr, 'Stop prospection')).toBe(true);
    expect(isStopMessage(fr, 'arrêt')).toBe(true);
    expect(isStopMessage(fr, 'Ne pas arrêter, merci')).toBe(false);
    expect(isStopMessage(ma, 'توقف')).toBe(true);
    expect(isStopMessage(fr, 'توقف')).toBe(false);
  });

  it('names each regulator', () => {
    expect(POLICY_PACKS.FR.regulator.name).toBe('CNIL');
    expect(POLICY_PACKS.MA.regulator.name).toBe('CNDP');
  });
});
