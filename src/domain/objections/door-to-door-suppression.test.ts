// SRC-8 / OPT-1 / OPT-3: a person known only by name and postal address (a door-to-door round)
// who objects is erased; the suppression list must still hold something that stands for them, or
// the next import of the same row brings them back. The hash of name + street address + postal code
// is that something, checked at import like the others.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { tempDir, writeCsv } from '../../../test/files.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { countContacts } from '../contacts/contacts.ts';
import { openIdentity } from '../contacts/identity.ts';
import { importContacts } from '../contacts/import/import-contacts.ts';
import { recordObjection } from './objections.ts';
import { suppressionHashes } from './suppression.ts';

let s: TestServices;
const files = tempDir();
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const run = (sourceId: string, file: string) =>
  importContacts(s.db, { keys: s.keys, sourceId, file, actor: 'test', clock: s.clock });

const HEADERS = ['Nom', 'Prénom', 'Adresse', 'Code postal'];

describe('objectors known by name and address stay suppressed (SRC-8)', () => {
  it('SRC-8: a door-to-door contact who objects is erased, and re-importing the row is suppressed', async () => {
    const org = await makeOrg(s);
    const round = await makeSource(s, org.id, { type: 'door_to_door', label: 'Porte-à-porte' });
    const rows = [
      HEADERS,
      ['Moreau', 'Lucie', '5 rue des Écoles', '69003'],
      ['Moreau', 'Paul', '5 rue des Écoles', '69003'],
    ];
    const first = await run(round.id, writeCsv(files.file('porte-1.csv'), rows));
    expect(first).toMatchObject({ imported: 2 });
    // Nothing but the contact id names this person (no email, phone or birth date).
    const all = (await s.db.execute(
      sql`select id, identity from contacts where org_id = ${org.id}`,
    )) as unknown as { rows: { id: string; identity: Uint8Array }[] };
    const keys = await s.keys.forOrg(s.db, org.id);
    const lucie = all.rows.find(
      (r) => openIdentity(keys, org.id, r.id, Buffer.from(r.identity)).firstNames === 'Lucie',
    )!;

    const result = await recordObjection(s.db, {
      keys: s.keys,
      orgId: org.id,
      input: { contactId: lucie.id, method: 'canvasser' },
      actor: 'test',
      clock: s.clock,
    });
    expect(result).toMatchObject({ contacts: 1, erased: 1, alreadyRecorded: false });
    expect(await countContacts(s.db, { orgId: org.id })).toEqual({ total: 1 });

    // The same file again: Lucie is suppressed; Paul (same address, another person) is not.
    const again = await run(round.id, writeCsv(files.file('porte-2.csv'), rows));
    expect(again).toMatchObject({ read: 2, imported: 1, suppressed: 1 });
    // Written differently (case, accents, spacing): still the same person.
    const rewritten = await run(
      round.id,
      writeCsv(files.file('porte-3.csv'), [
        HEADERS,
        ['MOREAU', 'lucie', '5  Rue des Ecoles', '69003'],
      ]),
    );
    expect(rewritten).toMatchObject({ imported: 0, suppressed: 1 });
    // With no postal code at all: taken for the same person.
    const noPostal = await run(
      round.id,
      writeCsv(files.file('porte-5.csv'), [HEADERS, ['Moreau', 'Lucie', '5 rue des Écoles', '']]),
    );
    expect(noPostal).toMatchObject({ imported: 0, suppressed: 1 });
    // The same name and street in another town is someone else.
    const elsewhere = await run(
      round.id,
      writeCsv(files.file('porte-4.csv'), [
        HEADERS,
        ['Moreau', 'Lucie', '5 rue des Écoles', '38000'],
      ]),
    );
    expect(elsewhere).toMatchObject({ imported: 1, suppressed: 0 });
    expect(await countContacts(s.db, { orgId: org.id })).toEqual({ total: 3 });
  });

  it('SRC-8: the hash of name and address needs a family name and a street address', () => {
    const keys = { suppression: Buffer.alloc(32, 7) } as never;
    expect(suppressionHashes(keys, { birthName: 'Moreau' }, {})).toHaveLength(0);
    expect(
      suppressionHashes(keys, { streetAddress: '5 rue des Écoles' } as never, {}),
    ).toHaveLength(0);
    expect(
      suppressionHashes(keys, { birthName: 'Moreau', streetAddress: '5 rue des Écoles' }, {}),
    ).toHaveLength(1);
  });
});
