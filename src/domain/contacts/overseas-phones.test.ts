// One numbering plan for every French region: a member's overseas mobile is a number, not an
// error (issue 13). Unit tests of phone-numbers.ts, the one module every path reads numbers with.
import { describe, expect, it } from 'vitest';
import { countPhones } from '../outreach/personal-data-detector.ts';
import { ownPhone } from '../organisations/own-phone.ts';
import {
  FRENCH_NUMBERING_REGIONS,
  lookupPhone,
  normalisePhone,
  phoneParser,
} from './phone-numbers.ts';

// Written nationally, as members write them, and the E.164 each one is.
const OVERSEAS_MOBILES = [
  ['Mayotte', '0639 40 12 34', '+262639401234'],
  ['Guadeloupe', '0690 12 34 56', '+590690123456'],
  ['Guyane', '0694 20 12 34', '+594694201234'],
  ['Martinique', '0696 20 12 34', '+596696201234'],
  ['Martinique', '0697 00 12 34', '+596697001234'],
  ['La Réunion', '0692 12 34 56', '+262692123456'],
  ['La Réunion', '0693 12 34 56', '+262693123456'],
] as const;

describe('French numbers, every region (FR organisations)', () => {
  it.each(OVERSEAS_MOBILES)('reads a %s mobile written nationally (%s) as %s', (_, given, e164) => {
    expect(normalisePhone(given, 'FR')).toBe(e164);
  });

  it('keeps an ordinary metropolitan 06 or 07 mobile a +33 number, however it is written', () => {
    for (const given of ['0612345678', '06 12 34 56 78', '06.12.34.56.78', '+33 6 12 34 56 78'])
      expect(normalisePhone(given, 'FR')).toBe('+33612345678');
    expect(normalisePhone('07 81 23 45 67', 'FR')).toBe('+33781234567');
    expect(normalisePhone('04 78 00 00 00', 'FR')).toBe('+33478000000');
    expect(normalisePhone('+33 (0)6 12 34 56 78', 'FR')).toBe('+33612345678');
  });

  it('reads overseas landlines by their prefix, even those metropolitan patterns also accept', () => {
    expect(normalisePhone('0269 60 12 34', 'FR')).toBe('+262269601234'); // Mayotte
    expect(normalisePhone('0262 12 34 56', 'FR')).toBe('+262262123456'); // La Réunion
    expect(normalisePhone('0596 60 12 34', 'FR')).toBe('+596596601234'); // Martinique
    expect(normalisePhone('0590 27 12 34', 'FR')).toBe('+590590271234'); // Guadeloupe
    expect(normalisePhone('0594 29 12 34', 'FR')).toBe('+594594291234'); // Guyane
  });

  it('reads international numbers, with + or 00, for every jurisdiction', () => {
    for (const jurisdiction of ['FR', 'MA', 'EU']) {
      expect(normalisePhone('+262 639 40 12 34', jurisdiction)).toBe('+262639401234');
      expect(normalisePhone('00262639401234', jurisdiction)).toBe('+262639401234');
      expect(normalisePhone('+687 25 12 34', jurisdiction)).toBe('+687251234'); // Nouméa
      expect(normalisePhone('+689 87 12 34 56', jurisdiction)).toBe('+68987123456'); // Papeete
      expect(normalisePhone('+508 41 12 34', jurisdiction)).toBe('+508411234'); // Saint-Pierre
    }
  });

  it('reads a Polynesian number written locally, and refuses a short number two regions share', () => {
    expect(normalisePhone('87 12 34 56', 'FR')).toBe('+68987123456');
    // Valid in Saint-Pierre and in Nouvelle-Calédonie alike: not guessed.
    expect(normalisePhone('41 12 34', 'FR')).toBeNull();
  });

  it('lists every French numbering region, metropolitan first', () => {
    expect(FRENCH_NUMBERING_REGIONS).toEqual([
      'FR',
      'GP',
      'MQ',
      'GF',
      'RE',
      'YT',
      'PM',
      'BL',
      'MF',
      'NC',
      'PF',
      'WF',
    ]);
  });

  it('refuses what is not a number', () => {
    for (const given of ['12', '06 12', 'pas de téléphone', '+33 6 39 40 12 34', ''])
      expect(normalisePhone(given, 'FR')).toBeNull();
  });
});

describe('other jurisdictions', () => {
  it('keeps reading a Moroccan organisation’s national numbers as Moroccan', () => {
    expect(normalisePhone('0661234567', 'MA')).toBe('+212661234567');
    expect(normalisePhone('0612345678', 'MA')).toBe('+212612345678');
    expect(normalisePhone('0269 60 12 34', 'MA')).toBeNull();
  });

  it('reads only international numbers for an EU organisation', () => {
    expect(normalisePhone('0612345678', 'EU')).toBeNull();
    expect(normalisePhone('+32 470 12 34 56', 'EU')).toBe('+32470123456');
  });
});

describe('every path reads numbers alike', () => {
  it('the import’s parser: undefined for an empty cell, null for a value that is not a number', () => {
    const parse = phoneParser('FR');
    expect(parse(undefined)).toBeUndefined();
    expect(parse('  ')).toBeUndefined();
    expect(parse('0639 40 12 34')).toBe('+262639401234');
    expect(parse('0639401234')).toBe('+262639401234');
    expect(parse('12')).toBeNull();
  });

  it('an objection by phone is read as the import reads it, and an E.164 number is taken as written', () => {
    expect(lookupPhone('0639 40 12 34', 'FR')).toBe('+262639401234');
    expect(lookupPhone('06 12 34 56 78', 'FR')).toBe('+33612345678');
    // Not a valid number, but written in E.164: an objection is never turned away for it (OPT-1).
    expect(lookupPhone('+33 6 39 40 12 34', 'FR')).toBe('+33639401234');
    expect(lookupPhone('12', 'FR')).toBeNull();
  });

  it('the organisation’s own number: an office in Mayotte is +262, and the body scan knows it as its own', () => {
    const own = ownPhone('0269 60 12 34', 'FR');
    expect(own).toBe('+262269601234');
    expect(countPhones(['Permanence : 0269 60 12 34'], { phones: [own] })).toBe(0);
    expect(countPhones(['Appelez Mme Ali au 0639 40 12 34'], { phones: [own] })).toBe(1);
    expect(ownPhone('0639 40 12 34', 'FR')).toBe('+262639401234');
  });
});
