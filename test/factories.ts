// Small builders for the records most tests need. Values are synthetic.
import { createElection } from '../src/domain/organisations/elections.ts';
import { createOrganisation } from '../src/domain/organisations/organisations.ts';
import { createSource } from '../src/domain/sources/sources.ts';
import type { Services } from '../src/services.ts';

export function orgInput(overrides: Record<string, unknown> = {}) {
  return {
    legalName: 'Association Exemple pour 2027',
    postalAddress: '12 place de la République, 69001 Lyon',
    contactEmail: 'contact@exemple-2027.fr',
    dpoEmail: 'dpo@exemple-2027.fr',
    jurisdiction: 'FR',
    ...overrides,
  };
}

export async function makeOrg(s: Services, overrides: Record<string, unknown> = {}) {
  return createOrganisation(s.db, { keys: s.keys, input: orgInput(overrides), actor: 'test' });
}

export async function makeElection(
  s: Services,
  orgId: string,
  overrides: Record<string, unknown> = {},
) {
  return createElection(s.db, {
    orgId,
    actor: 'test',
    input: {
      name: 'Municipales',
      round1: '2026-03-15',
      round2: '2026-03-22',
      territory: ['69123'],
      ...overrides,
    },
  });
}

export async function makeSource(s: Services, orgId: string, input: Record<string, unknown> = {}) {
  return createSource(s.db, {
    orgId,
    actor: 'test',
    clock: s.clock,
    input: { type: 'member_file', label: 'Adhérents 2026', ...input },
  });
}

export const attestation = {
  provider: 'Fichiers Exemple SARL',
  date: '2026-01-10',
  consentWording: "J'accepte de recevoir des messages politiques par email et SMS",
  proofReference: 'FE-2026-0042',
};
