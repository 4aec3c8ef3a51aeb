// SEG-2: one list of forbidden criteria for segment fields and import headers, in French,
// English and Arabic; and the headers a real file uses for lawful fields are not caught by it.
import { describe, expect, it } from 'vitest';
import { ELECTORAL_HEADERS } from '../../test/files.ts';
import { planColumns } from '../domain/contacts/import/columns.ts';
import { forbiddenCriterion } from './forbidden-criteria.ts';
import { packFor } from './packs.ts';
import { checkImportHeader, checkTargetingField } from './targeting.ts';

describe('forbidden criteria (SEG-2)', () => {
  it.each([
    ['Religion', 'religion'],
    ['CONFESSION', 'religion'],
    ['Origine', 'ethnic_origin'],
    ['Né(e) à', 'birthplace'],
    ['Née à', 'birthplace'],
    ['Lieu de naissance', 'birthplace'],
    ['Pays', 'country'],
    ['Ethnie', 'ethnic_origin'],
    ['Syndicat', 'union'],
    ['Santé', 'health'],
    ['Place of birth', 'birthplace'],
    ['Union membership', 'union'],
    ['الدين', 'religion'],
    ['الديانة', 'religion'],
    ['الجنسية', 'nationality'],
    ['الأصل', 'ethnic_origin'],
    ['مكان الازدياد', 'birthplace'],
    ['مكان الولادة', 'birthplace'],
    ['البلد', 'country'],
    ['العرق', 'ethnic_origin'],
    ['النقابة', 'union'],
    ['الصحة', 'health'],
    ['الـدِّيـن', 'religion'],
    // SRC-2 / SEG-2: birthplaces under short or loose names, laundered into commune columns before.
    ['LIEU_NAISS', 'birthplace'],
    ['Lieu naiss.', 'birthplace'],
    ['Commune naiss', 'birthplace'],
    ['CP naissance', 'birthplace'],
    ['Code INSEE naissance', 'birthplace'],
    ['Dép. naissance', 'birthplace'],
    ['Ville natale', 'birthplace'],
    ['Town of birth', 'birthplace'],
    ['Hometown', 'birthplace'],
    ['Born in', 'birthplace'],
    ['Born in (city)', 'birthplace'],
    ['Birth city name', 'birthplace'],
    ['Natif de', 'birthplace'],
    ['Nom de la commune de naissance', 'birthplace'],
    ['Date et lieu de naissance', 'birthplace'],
  ])('SEG-2: the header "%s" names a forbidden criterion (%s)', (header, id) => {
    expect(forbiddenCriterion(header, 'header')?.id).toBe(id);
    expect(checkImportHeader(header)).toEqual([expect.objectContaining({ rule: 'SEG-2' })]);
  });

  it('SEG-2: the same list refuses segment fields, in Arabic too', () => {
    const pack = packFor('FR');
    for (const field of ['religion', 'الدين', 'nationalité', 'lastName', 'countryOfBirth'])
      expect(checkTargetingField(pack, field), field).toEqual([
        expect.objectContaining({ rule: 'SEG-2' }),
      ]);
    for (const field of pack.targetingFields) expect(checkTargetingField(pack, field)).toEqual([]);
  });

  it('keeps the lawful columns of real files (names are identity, not targeting)', () => {
    const lawful = [
      ...ELECTORAL_HEADERS.filter((h) => !/naissance|nationalit/i.test(h)),
      'Nom',
      'Prénom',
      'Date de naissance',
      'Année de naissance',
      'Nom de naissance',
      'NOM_NAISS',
      'Date naiss.',
      'Jour de naissance',
      'Mois de naissance',
      'Birthday',
      'Date of birth',
      'Birth year',
      'Birth name',
      'Connaissance du candidat',
      'Code postal',
      'Téléphone',
      'Consentement email',
      'الاسم',
      'اسم العائلة',
      'تاريخ الازدياد',
      'تاريخ الولادة',
      'المدينة',
      'البلدية',
      'الجنس',
      'الهاتف',
      'العنوان',
      'الرمز البريدي',
    ];
    for (const header of lawful) {
      expect(forbiddenCriterion(header, 'header'), header).toBeUndefined();
      // One plan per header: the list repeats headers ("Code postal", "CodePostal") that one
      // file may not (a duplicated header is refused, issue 13).
      expect(planColumns([header]).droppedRules, header).toEqual({});
    }
    // "Date de naissance", "Année de naissance", "Nom de naissance" keep their fields.
    expect(
      planColumns(['Date de naissance', 'Année de naissance', 'Nom de naissance', 'DOB']).fields,
    ).toEqual(['birthDate', 'birthYear', 'birthName', 'birthDate']);
  });
});
