import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attestation, makeElection, makeOrg, makeSource } from '../../../test/factories.ts';
import { expectDbRefusal } from '../../../test/db-error.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { DomainError } from '../errors.ts';
import { updateOrganisation } from '../organisations/organisations.ts';
import { listSources } from './sources.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices({ clock: () => new Date('2026-11-24T10:00:00Z') });
});
afterAll(() => s.dispose());

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('declaring data sources', () => {
  it.each([
    ['administrative_file', 'SRC-1'],
    ['hr_file', 'SRC-1'],
    ['other_organisation_file', 'SRC-1'],
    ['mandate_file', 'SRC-7'],
  ])('refuses a %s with %s and stores nothing', async (type, rule) => {
    const org = await makeOrg(s);
    const error = await refusal(makeSource(s, org.id, { type, label: 'Fichier' }));
    expect(error.code).toBe('refused');
    expect(error.rule).toBe(rule);
    expect(error.message.length).toBeGreaterThan(30);
    expect(await listSources(s.db, { orgId: org.id })).toEqual([]);
  });

  it('refuses a purchased file without the provider attestation (SRC-3)', async () => {
    const org = await makeOrg(s);
    const error = await refusal(makeSource(s, org.id, { type: 'purchased_file' }));
    expect(error.rule).toBe('SRC-3');
  });

  it('refuses a purchased file whose attested consent does not name political messages (SRC-3)', async () => {
    const org = await makeOrg(s);
    const error = await refusal(
      makeSource(s, org.id, {
        type: 'purchased_file',
        attestation: { ...attestation, consentWording: 'Offres commerciales de nos partenaires' },
      }),
    );
    expect(error.rule).toBe('SRC-3');
    expect(error.message).toMatch(/political/);
  });

  it('refuses an attestation missing its proof reference, naming the field', async () => {
    const org = await makeOrg(s);
    const { proofReference: _omitted, ...incomplete } = attestation;
    const error = await refusal(
      makeSource(s, org.id, { type: 'purchased_file', attestation: incomplete }),
    );
    expect(error.code).toBe('invalid');
    expect(error.message).toMatch(/attestation\.proofReference/);
  });

  it('stores a purchased file with its attestation', async () => {
    const org = await makeOrg(s);
    const source = await makeSource(s, org.id, { type: 'purchased_file', attestation });
    expect(source.attestation).toEqual(attestation);
    expect(source.obtainedOn).toBe('2026-11-24');
  });

  it('refuses any source of a Moroccan organisation until its CNDP receipt is recorded (ACC-2)', async () => {
    const org = await makeOrg(s, { jurisdiction: 'MA', legalName: 'Parti Exemple Maroc' });
    const error = await refusal(makeSource(s, org.id, { type: 'member_file' }));
    expect(error.rule).toBe('ACC-2');

    await updateOrganisation(s.db, {
      orgId: org.id,
      input: { cndpReceipt: 'D-PO-2026-117' },
      actor: 'test',
    });
    const source = await makeSource(s, org.id, { type: 'member_file' });
    expect(source.orgId).toBe(org.id);
  });

  it('reports every broken rule when several apply', async () => {
    const org = await makeOrg(s, { jurisdiction: 'MA' });
    const error = await refusal(makeSource(s, org.id, { type: 'purchased_file' }));
    expect(error.violations.map((v) => v.rule).sort()).toEqual(['ACC-2', 'SRC-3']);
  });

  it('requires an electoral list to name the election it serves (RET-2)', async () => {
    const org = await makeOrg(s);
    const error = await refusal(makeSource(s, org.id, { type: 'electoral_list' }));
    expect(error.rule).toBe('RET-2');
    const election = await makeElection(s, org.id);
    const source = await makeSource(s, org.id, {
      type: 'electoral_list',
      electionId: election.id,
      obtainedOn: '2026-01-05',
    });
    expect(source.electionId).toBe(election.id);
  });

  it("refuses to tie a source to another organisation's election", async () => {
    const mine = await makeOrg(s);
    const theirs = await makeOrg(s);
    const election = await makeElection(s, theirs.id);
    const error = await refusal(
      makeSource(s, mine.id, { type: 'electoral_list', electionId: election.id }),
    );
    expect(error.code).toBe('not_found');
  });

  it('refuses an unknown type by listing the lawful ones, and a future date', async () => {
    const org = await makeOrg(s);
    const unknown = await refusal(makeSource(s, org.id, { type: 'facebook_scrape' }));
    expect(unknown.code).toBe('invalid');
    expect(unknown.message).toMatch(/electoral_list/);
    const future = await refusal(makeSource(s, org.id, { obtainedOn: '2027-01-01' }));
    expect(future.message).toMatch(/obtainedOn/);
  });

  it('keeps forbidden types out even if the domain check were bypassed (database constraint)', async () => {
    const org = await makeOrg(s);
    const { dataSources } = await import('../../db/schema/index.ts');
    await expectDbRefusal(
      s.db.insert(dataSources).values({
        id: crypto.randomUUID(),
        orgId: org.id,
        // The type system forbids it too; the cast is the bypass under test.
        type: 'administrative_file' as 'member_file',
        label: 'x',
        obtainedOn: '2026-01-01',
        createdBy: 'test',
      }),
      /data_sources_lawful_type/,
    );
  });
});
