// SEC-3: the shared detectors, on their own: what counts as a phone number, an email address, and
// a list of names with postal addresses, and what a leaflet may print without being blocked.
import { describe, expect, it } from 'vitest';
import {
  countEmails,
  countListedNames,
  countNamesWithAddresses,
  countPhones,
  describePersonalData,
} from './personal-data-detector.ts';

const own = {
  addresses: ['contact@exemple-2027.fr'],
  postalAddress: '12 place de la République, 69001 Lyon',
};

describe('personal-data detectors (SEC-3)', () => {
  it('SEC-3: finds French and Moroccan phone numbers in every usual format, each number once', () => {
    expect(countPhones(['+33 6 12 34 56 78, 06.12.34.56.78 et 0612345678'])).toBe(1);
    expect(countPhones(['0033 6 23 45 67 89', '+33 (0)6 34 56 78 90', '04 78 12 34 56'])).toBe(3);
    expect(countPhones(['+212 6 61 23 45 67', '+212 522-123456'])).toBe(2);
    // Separated only by spaces (table cells, a pasted row): libphonenumber's finder alone sees none.
    expect(countPhones(['06 12 34 56 78   04 78 12 34 56 0623456789'])).toBe(3);
    expect(countPhones(['tel:+33612345678', '06\u00a012\u00a034\u00a056\u00a078'])).toBe(1);
  });

  // The 200,000-character bodies are timed by `npm run bench:detector` (bench/detector.ts); the
  // bounded work of the phone detector is tested by parse count (personal-data-linear.test.ts).

  it('SEC-3: lets service numbers, identifiers, dates and amounts through as no phone number', () => {
    expect(
      countPhones([
        'Numéro vert 0 800 12 34 56, 08 92 12 34 56. SIREN 123 456 789. Le 15/03/2026 de 9 h à 19 h.',
        'Budget de 12 000 000 €, 1 234 567 habitants, bureau n° 0612.',
      ]),
    ).toBe(0);
  });

  it("SEC-3: counts email addresses other than the organisation's own, however they are written", () => {
    expect(countEmails(['contact@exemple-2027.fr, CONTACT@exemple-2027.fr'], own)).toBe(0);
    expect(
      countEmails(['jean@exemple.fr', 'JEAN@exemple.fr', 'marie (at) exemple (dot) fr'], own),
    ).toBe(2);
    expect(countEmails(['jean\u200b@exemple.fr', 'paul＠exemple.fr'], own)).toBe(2);
  });

  it('SEC-3: counts names with postal addresses, as a list or as address blocks, not venues or the organisation', () => {
    expect(
      countNamesWithAddresses(
        ['Martin;Alice;12 rue des Lilas;69001 Lyon\nDURAND Bruno, 3 bis av. Foch, 75016 Paris'],
        own,
      ),
    ).toBe(2);
    expect(
      countNamesWithAddresses(
        ['Mme Claire Petit\n8 chemin des Vignes\n13100 Aix\n\nM. Karim Alaoui\n45 bd Zerktouni'],
        own,
      ),
    ).toBe(2);
    expect(
      countNamesWithAddresses(
        [
          'Salle Jean Moulin, 3 rue Victor Hugo, 69002 Lyon\nGymnase Mermoz, 10 avenue Jean Mermoz, 69008 Lyon',
          'Association Exemple pour 2027\n12 place de la République, 69001 Lyon',
          'jeudi à 19 h, 2 rue de la Mairie, 69001 Lyon',
        ],
        own,
      ),
    ).toBe(0);
    // One name with one address is not a list.
    expect(describePersonalData(['Chez Alice Martin\n12 rue des Lilas'], own)).toEqual([]);
  });

  it('SEC-3: counts a pasted list of names with birth dates, phones or emails, however the lines are written', () => {
    const list =
      'MARTIN Alice 12/03/1980\nDURAND Bruno 05/11/1975\nPETIT Claire 23/07/1990\nALAOUI Karim 01/01/1968';
    expect(countListedNames([list], own)).toBe(4);
    expect(describePersonalData([list], own)).toEqual([
      '4 name(s) listed with a date or contact details',
    ]);
    expect(
      countListedNames(
        [
          '1. Alice Martin, née le 12 mars 1980\n2. Bruno Durand, né le 5 novembre 1975',
          'Martin;Alice;1980-03-12\nDurand;Bruno;1975-11-05',
          '| Alice Martin | 12.03.1980 |\n| Bruno Durand | 05.11.1975 |',
          'Alice Martin - March 12, 1980\nBruno Durand - 5 November 1975',
        ],
        own,
      ),
    ).toBe(2);
    // A name followed by a phone or another person's email counts as an entry too.
    expect(
      countListedNames(
        ['Alice Martin 12/03/1980\nBruno Durand : 06 12 34 56 78\nClaire Petit claire@exemple.fr'],
        own,
      ),
    ).toBe(3);
  });

  it('SEC-3: a signature with a date, a dated agenda and the team with its own addresses are not lists', () => {
    const leaflet = [
      'Lyon, le 12 mars 2026',
      'Réunion publique 12/03/2027',
      'Conseil Municipal 19/03/2027',
      'Fête Nationale 14/07/2027',
      'Samedi 20 mars 2027 : porte-à-porte',
      'Premier Tour 11/04/2027',
      'Alice Martin, 12 mars 2026',
      'Alice Martin contact@exemple-2027.fr',
      'Association Exemple pour 2027, 12 place de la République, 69001 Lyon',
      'Numéro Vert 0 800 12 34 56',
    ].join('\n');
    expect(countListedNames([leaflet], own)).toBe(1); // the signature, once
    expect(describePersonalData([leaflet], own)).toEqual([]);
  });
});
