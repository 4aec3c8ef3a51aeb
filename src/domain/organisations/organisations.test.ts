import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, orgInput } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import {
  createOrganisation,
  getOrganisation,
  listOrganisations,
  updateOrganisation,
} from './organisations.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices();
});
afterAll(() => s.dispose());

describe('organisations (data controllers)', () => {
  it('creates a controller with its identity, DPO contact and jurisdiction, and a data key', async () => {
    const org = await makeOrg(s, {
      dpoName: 'Camille Dupré',
      contactEmail: ' Contact@Exemple-2027.FR ',
    });
    expect(org).toMatchObject({
      jurisdiction: 'FR',
      dpoName: 'Camille Dupré',
      contactEmail: 'contact@exemple-2027.fr',
    });
    expect(await getOrganisation(s.db, { orgId: org.id })).toEqual(org);
    expect((await s.keys.forOrg(s.db, org.id)).encryption).toHaveLength(32);
    expect((await listOrganisations(s.db)).map((o) => o.id)).toContain(org.id);
  });

  it('refuses a bad email, an unknown jurisdiction and a missing address, naming each field', async () => {
    const error = createOrganisation(s.db, {
      keys: s.keys,
      actor: 'test',
      input: orgInput({ dpoEmail: 'not-an-email', jurisdiction: 'US', postalAddress: '  ' }),
    });
    await expect(error).rejects.toMatchObject({ code: 'invalid' });
    await expect(error).rejects.toThrow(/dpoEmail: is not a valid email address/);
    await expect(error).rejects.toThrow(/jurisdiction: must be FR, MA or EU/);
    await expect(error).rejects.toThrow(/postalAddress: is required/);
  });

  it('keeps a CNDP receipt for Moroccan organisations only', async () => {
    const ma = await makeOrg(s, { jurisdiction: 'MA', cndpReceipt: 'D-PO-2026-001' });
    expect(ma.cndpReceipt).toBe('D-PO-2026-001');
    await expect(makeOrg(s, { cndpReceipt: 'D-PO-2026-002' })).rejects.toThrow(/only a Moroccan/);
  });

  it('records a CNDP receipt later, and never changes the jurisdiction', async () => {
    const ma = await makeOrg(s, { jurisdiction: 'MA' });
    const updated = await updateOrganisation(s.db, {
      orgId: ma.id,
      input: { cndpReceipt: 'D-PO-2026-003' },
      actor: 'test',
    });
    expect(updated.cndpReceipt).toBe('D-PO-2026-003');
    await expect(
      updateOrganisation(s.db, { orgId: ma.id, input: { jurisdiction: 'FR' }, actor: 'test' }),
    ).rejects.toThrow(/jurisdiction cannot change/);
  });

  it('answers not found for an unknown or malformed id', async () => {
    await expect(getOrganisation(s.db, { orgId: crypto.randomUUID() })).rejects.toMatchObject({
      code: 'not_found',
    });
    await expect(getOrganisation(s.db, { orgId: '42' })).rejects.toMatchObject({ code: 'invalid' });
  });
});
