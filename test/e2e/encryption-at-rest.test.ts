// Acceptance: a dump of the database, or a grep of the embedded data directory, finds no
// email, phone, name, birth date or street of a stored contact.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { addContact } from '../../src/domain/contacts/contacts.ts';
import { makeOrg, makeSource } from '../factories.ts';
import { plainDump } from '../plain-dump.ts';
import { openTestServices, testDbKind, type TestServices } from '../test-db.ts';

const people = [
  {
    birthName: 'Quennehen',
    usageName: 'Bavouzet-Quennehen',
    firstNames: 'Zéphyrine',
    birthDate: '1979-11-03',
    email: 'zephyrine.quennehen@courriel-exemple.fr',
    phone: '+33698765431',
    streetAddress: '17 impasse des Glycines',
  },
  {
    birthName: 'Ouazzani',
    firstNames: 'Anouar',
    birthDate: '1991-02-17',
    email: 'anouar.ouazzani@boite-exemple.ma',
    phone: '+212661234567',
    streetAddress: '8 rue Ibn Battouta',
  },
];

// Every identifier, as it was given and as it is normalised.
const secrets = people.flatMap((p) => [
  ...Object.values(p),
  p.email.toLowerCase(),
  p.phone.slice(1),
  p.firstNames
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase(),
  p.birthName.toLowerCase(),
]);

function findSecrets(haystack: Buffer | string): string[] {
  const text = Buffer.isBuffer(haystack) ? haystack : Buffer.from(haystack, 'utf8');
  return secrets.filter((secret) => text.includes(Buffer.from(secret, 'utf8')));
}

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

let s: TestServices;
let dataDir: string | undefined;
afterAll(async () => {
  await s?.dispose().catch(() => {});
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe(`identifiers at rest on ${testDbKind}`, () => {
  it('leaves no identifier of a stored contact in a dump of the database or in its files', async () => {
    dataDir =
      testDbKind === 'pglite'
        ? fs.mkdtempSync(path.join(os.tmpdir(), 'isoloir-at-rest-'))
        : undefined;
    s = await openTestServices({ dataDir });
    const org = await makeOrg(s, { legalName: 'Comité Témoin Lisible' });
    const source = await makeSource(s, org.id);
    for (const identity of people) {
      await addContact(s.db, {
        keys: s.keys,
        orgId: org.id,
        sourceId: source.id,
        identity,
        attributes: { communeCode: '35238', postalCode: '35000' },
        actor: 'test',
      });
    }

    // A real pg_dump of either database: it holds the organisation and the clear targeting
    // attributes (so the search is real), and no identifier of either person.
    const dump = await plainDump(s.db, s.config.databaseUrl);
    expect(dump).toContain('Comité Témoin Lisible');
    expect(dump).toContain('35238');
    expect(findSecrets(dump)).toEqual([]);

    if (testDbKind === 'pglite') {
      await s.close(); // flush everything to the data directory
      const files = filesUnder(dataDir!);
      expect(files.length).toBeGreaterThan(100);
      const all = Buffer.concat(files.map((f) => fs.readFileSync(f)));
      expect(all.includes(Buffer.from('Comité Témoin Lisible'))).toBe(true);
      expect(findSecrets(all)).toEqual([]);
    }
  });
});
