import { randomBytes, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { expectDbRefusal } from '../../../test/db-error.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { contacts } from '../../db/schema/index.ts';
import { KeyRing } from '../organisations/key-ring.ts';
import { addContact, countContacts, findContactIds, getContact } from './contacts.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices();
});
afterAll(() => s.dispose());

const person = {
  birthName: 'Lefèvre',
  usageName: 'Martin-Lefèvre',
  firstNames: 'Hélène Marie',
  birthDate: '1984-06-02',
  email: 'Helene.Lefevre@Exemple.fr',
  phone: '+33612345678',
  streetAddress: '4 allée des Tilleuls',
};

const addPerson = (orgId: string, sourceId: string) =>
  addContact(s.db, { keys: s.keys, orgId, sourceId, identity: person, actor: 'test' });

describe('contacts', () => {
  it('stores identifiers sealed and reads them back with their provenance (SRC-6)', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const { id } = await addContact(s.db, {
      keys: s.keys,
      orgId: org.id,
      sourceId: source.id,
      identity: person,
      attributes: {
        sex: 'F',
        communeCode: '69123',
        postalCode: '69003',
        pollingStation: '0312',
        csp: '3',
      },
      actor: 'test',
    });
    const contact = await getContact(s.db, { keys: s.keys, orgId: org.id, contactId: id });
    expect(contact.identity).toEqual({ ...person, email: 'helene.lefevre@exemple.fr' });
    expect(contact.birthYear).toBe(1984);
    expect(contact.communeCode).toBe('69123');
    expect(contact.provenance).toEqual([
      expect.objectContaining({
        sourceId: source.id,
        sourceType: 'member_file',
        recordedBy: 'test',
      }),
    ]);
    const [row] = await s.db.select().from(contacts).where(eq(contacts.id, id));
    expect(row!.identity.includes(Buffer.from('Lefèvre'))).toBe(false);
    expect(row!.identity.includes(Buffer.from('exemple.fr'))).toBe(false);
  });

  it('finds a contact by blind index whatever the case, accents or spacing', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const { id } = await addPerson(org.id, source.id);
    const find = (q: object) => findContactIds(s.db, { keys: s.keys, orgId: org.id, ...q });
    expect(await find({ email: '  HELENE.lefevre@exemple.FR ' })).toEqual([id]);
    expect(await find({ phone: '+33612345678' })).toEqual([id]);
    expect(
      await find({
        person: { birthName: 'LEFEVRE', firstNames: 'hélène-marie', birthDate: '1984-06-02' },
      }),
    ).toEqual([id]);
    expect(await find({ email: 'someone.else@exemple.fr' })).toEqual([]);
  });

  it("does not find or read another organisation's contact", async () => {
    const mine = await makeOrg(s);
    const theirs = await makeOrg(s);
    const source = await makeSource(s, theirs.id);
    const { id } = await addPerson(theirs.id, source.id);
    expect(
      await findContactIds(s.db, { keys: s.keys, orgId: mine.id, email: person.email }),
    ).toEqual([]);
    await expect(
      getContact(s.db, { keys: s.keys, orgId: mine.id, contactId: id }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });

  it('gives two organisations different blind indexes for the same email', async () => {
    const a = await makeOrg(s);
    const b = await makeOrg(s);
    const ids = [];
    for (const org of [a, b]) {
      const source = await makeSource(s, org.id);
      ids.push((await addPerson(org.id, source.id)).id);
    }
    const rows = await Promise.all(
      ids.map((id) => s.db.select().from(contacts).where(eq(contacts.id, id))),
    );
    expect(rows[0]![0]!.emailIndex!.equals(rows[1]![0]!.emailIndex!)).toBe(false);
  });

  it('refuses a contact from a source of another organisation', async () => {
    const mine = await makeOrg(s);
    const theirs = await makeOrg(s);
    const source = await makeSource(s, theirs.id);
    await expect(
      addContact(s.db, {
        keys: s.keys,
        orgId: mine.id,
        sourceId: source.id,
        identity: person,
        actor: 'test',
      }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(await countContacts(s.db, { orgId: mine.id })).toEqual({ total: 0 });
  });

  it('refuses a contact with no name, email or phone, and a malformed phone, naming the field', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const add = (identity: object) =>
      addContact(s.db, {
        keys: s.keys,
        orgId: org.id,
        sourceId: source.id,
        identity,
        actor: 'test',
      });
    await expect(add({ streetAddress: '1 rue X' })).rejects.toThrow(
      /at least a name, an email or a phone/,
    );
    await expect(add({ birthName: 'Durand', phone: '06 12 34 56 78' })).rejects.toThrow(
      /phone: must be an international number/,
    );
    await expect(add({ birthName: 'Durand', nationality: 'FR' })).rejects.toThrow(/nationality/);
  });

  it('never stores a contact without provenance, even through raw inserts (SRC-6)', async () => {
    const org = await makeOrg(s);
    await expectDbRefusal(
      s.db.transaction(async (tx) => {
        await tx
          .insert(contacts)
          .values({ id: randomUUID(), orgId: org.id, identity: randomBytes(40) });
      }),
      /SRC-6/,
    );
    expect(await countContacts(s.db, { orgId: org.id })).toEqual({ total: 0 });
  });

  it('cannot read identifiers with a different master key', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id);
    const { id } = await addPerson(org.id, source.id);
    const strangerKeys = new KeyRing(randomBytes(32));
    await expect(
      getContact(s.db, { keys: strangerKeys, orgId: org.id, contactId: id }),
    ).rejects.toThrow(/master key is not the one/);
  });
});
