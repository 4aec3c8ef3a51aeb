// Property: every accepted random filter tree compiles and runs; every tree that contains a
// forbidden field anywhere (under "not" too) is refused with SEG-2 and never runs.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { addContact } from '../contacts/contacts.ts';
import { DomainError } from '../errors.ts';
import { countSegment } from './count.ts';
import { PCS_CODES } from '../../policy/vocabularies/pcs-2020.ts';

let s: TestServices;
let orgId: string;
beforeAll(async () => {
  s = await openTestServices();
  orgId = (await makeOrg(s)).id;
  const source = await makeSource(s, orgId);
  for (const [i, commune] of ['69123', '13055', '2A004'].entries()) {
    await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: source.id,
      identity: { birthName: `P${i}`, email: `p${i}@exemple.fr` },
      attributes: { communeCode: commune, birthYear: 1950 + i * 20, sex: i % 2 ? 'M' : 'F' },
      actor: 'test',
    });
  }
});
afterAll(() => s.dispose());

const allowed = fc.oneof(
  fc.record({
    field: fc.constant('age'),
    op: fc.constantFrom('eq', 'gte', 'lte'),
    value: fc.integer({ min: 0, max: 130 }),
  }),
  fc.record({
    field: fc.constant('birthYear'),
    op: fc.constant('between'),
    value: fc.tuple(fc.integer({ min: 1900, max: 1999 }), fc.integer({ min: 2000, max: 2100 })),
  }),
  fc.record({
    field: fc.constant('sex'),
    op: fc.constant('in'),
    value: fc.subarray(['F', 'M'], { minLength: 1 }),
  }),
  fc.record({
    field: fc.constant('commune'),
    op: fc.constant('eq'),
    value: fc.constantFrom('69123', '13055', '75056'),
  }),
  fc.record({
    field: fc.constant('department'),
    op: fc.constant('in'),
    value: fc.subarray(['69', '13', '2A', '974'], { minLength: 1 }),
  }),
  fc.record({
    field: fc.constant('region'),
    op: fc.constant('eq'),
    value: fc.constantFrom('84', '93', '94'),
  }),
  fc.record({
    field: fc.constant('pollingStation'),
    op: fc.constantFrom('eq', 'gte'),
    // SEG-2: a closed format, four digits.
    value: fc.integer({ min: 1, max: 9999 }).map((n) => String(n).padStart(4, '0')),
  }),
  fc.record({
    field: fc.constant('csp'),
    op: fc.constant('eq'),
    // SEG-2: a closed vocabulary, INSEE PCS 2020 codes.
    value: fc.constantFrom(...PCS_CODES),
  }),
  fc.record({
    field: fc.constant('sourceType'),
    op: fc.constant('eq'),
    value: fc.constantFrom('member_file', 'electoral_list'),
  }),
  fc.record({
    field: fc.constantFrom('consent.email', 'consent.sms', 'consent.phone', 'consent.post'),
    op: fc.constant('eq'),
    value: fc.boolean(),
  }),
);
const forbidden = fc.record({
  field: fc.constantFrom(
    'surname',
    'lastName',
    'firstName',
    'birthplace',
    'countryOfBirth',
    'nationality',
    'religion',
    'health',
    'sexualOrientation',
    'unionMembership',
  ),
  op: fc.constantFrom('eq', 'in'),
  value: fc.string(),
});

type Node = unknown;
const tree = (leaf: fc.Arbitrary<Node>) =>
  fc.letrec<{ node: Node }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      fc.record({ and: fc.array(tie('node'), { maxLength: 3 }) }),
      fc.record({ or: fc.array(tie('node'), { maxLength: 3 }) }),
      fc.record({ not: tie('node') }),
    ),
  })).node;

/** Puts `bad` somewhere inside `node`: at the root, under not, or in a list. */
function plant(node: Node, bad: Node, path: number[]): Node {
  const [step, ...rest] = path;
  if (step === undefined || typeof node !== 'object' || node === null) return { and: [node, bad] };
  const n = node as Record<string, Node>;
  if ('not' in n) return { not: plant(n.not, bad, rest) };
  for (const k of ['and', 'or'] as const) {
    if (k in n) {
      const list = [...(n[k] as Node[])];
      if (list.length === 0) return { [k]: [bad] };
      const i = step % list.length;
      list[i] = plant(list[i], bad, rest);
      return { [k]: list };
    }
  }
  return step % 2 ? { not: { or: [node, bad] } } : { and: [node, { not: bad }] };
}

describe('random filter trees (property)', () => {
  it('every accepted tree compiles and runs, with counts no larger than the population', async () => {
    await fc.assert(
      fc.asyncProperty(tree(allowed), async (where) => {
        const r = await countSegment(s.db, { orgId, where });
        expect(r.total).toBeGreaterThanOrEqual(0);
        expect(r.total).toBeLessThanOrEqual(3);
        for (const n of Object.values(r.reachable)) expect(n).toBeLessThanOrEqual(r.total);
      }),
      { numRuns: 150 },
    );
  });

  it('every tree holding a forbidden field, at any depth, is refused with SEG-2', async () => {
    await fc.assert(
      fc.asyncProperty(
        tree(allowed),
        forbidden,
        fc.array(fc.nat(), { maxLength: 6 }),
        async (where, bad, path) => {
          const error = await countSegment(s.db, { orgId, where: plant(where, bad, path) }).catch(
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(DomainError);
          expect(error).toMatchObject({ code: 'refused', rule: 'SEG-2' });
        },
      ),
      { numRuns: 150 },
    );
  });
});
