// What every benchmark starts from: an organisation with an election and a source of a type.
import { createElection } from '../src/domain/organisations/elections.ts';
import { createOrganisation } from '../src/domain/organisations/organisations.ts';
import { createSource } from '../src/domain/sources/sources.ts';
import type { Services } from '../src/services.ts';

export async function benchOrganisation(s: Services) {
  const org = await createOrganisation(s.db, {
    keys: s.keys,
    actor: 'bench',
    input: {
      legalName: 'Bench',
      postalAddress: '1 rue A',
      contactEmail: 'a@b.fr',
      dpoEmail: 'd@b.fr',
      jurisdiction: 'FR',
    },
  });
  const election = await createElection(s.db, {
    orgId: org.id,
    actor: 'bench',
    input: { name: 'Bench', round1: '2026-03-15' },
  });
  const source = (type: string, extra: object = {}) =>
    createSource(s.db, {
      orgId: org.id,
      actor: 'bench',
      clock: s.clock,
      input: { type, label: type, ...extra },
    });
  return { org, election, source };
}
