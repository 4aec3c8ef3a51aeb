import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { getElection, listElections } from './elections.ts';

let s: TestServices;
beforeAll(async () => {
  s = await openTestServices();
});
afterAll(() => s.dispose());

describe('elections (CAL-2: dates come from the election)', () => {
  it('stores rounds and territory, and reads them back', async () => {
    const org = await makeOrg(s);
    const election = await makeElection(s, org.id, {
      territory: ['69123', '2a004', '971', '69123'],
    });
    expect(election.rounds).toEqual([
      { round: 1, date: '2026-03-15' },
      { round: 2, date: '2026-03-22' },
    ]);
    expect(election.territory).toEqual(['69123', '2A004', '971']);
    expect(await getElection(s.db, { electionId: election.id })).toEqual(election);
    expect(await listElections(s.db, { orgId: org.id })).toEqual([election]);
  });

  it('accepts a single-round election', async () => {
    const org = await makeOrg(s);
    const election = await makeElection(s, org.id, { round2: undefined, territory: [] });
    expect(election.rounds).toEqual([{ round: 1, date: '2026-03-15' }]);
  });

  it('refuses a second round before the first, and malformed dates', async () => {
    const org = await makeOrg(s);
    await expect(makeElection(s, org.id, { round2: '2026-03-01' })).rejects.toThrow(
      /second round must come after/,
    );
    await expect(makeElection(s, org.id, { round1: '15/03/2026' })).rejects.toThrow(
      /round1: must be a date written YYYY-MM-DD/,
    );
  });

  it('refuses a French territory that is not an INSEE commune or department code', async () => {
    const org = await makeOrg(s);
    await expect(makeElection(s, org.id, { territory: ['Lyon'] })).rejects.toThrow(
      /Lyon is not an INSEE/,
    );
  });

  it("hides another organisation's election", async () => {
    const mine = await makeOrg(s);
    const theirs = await makeOrg(s);
    const election = await makeElection(s, theirs.id);
    await expect(
      getElection(s.db, { electionId: election.id, orgId: mine.id }),
    ).rejects.toMatchObject({ code: 'not_found' });
  });
});
