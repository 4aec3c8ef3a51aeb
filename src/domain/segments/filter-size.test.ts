// A filter too large to check (too many conditions, or nested too deep) is refused with one error
// that names the limit, before any of its nodes is checked, and nothing of it is stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { DomainError } from '../errors.ts';
import { countSegment } from './count.ts';
import { listSegments, saveSegment } from './segments.ts';

let s: TestServices;
let orgId: string;

beforeAll(async () => {
  s = await openTestServices();
  orgId = (await makeOrg(s)).id;
});
afterAll(() => s.dispose());

const condition = { field: 'age', op: 'gte', value: 18 };
/** Each node invalid too: a walk of every node would report each of them. */
const badCondition = { field: 'shoeSize', op: 'eq', value: 42 };

function nested(levels: number, leaf: unknown = condition): unknown {
  let node: unknown = leaf;
  for (let i = 0; i < levels; i++) node = { and: [badCondition, node] };
  return node;
}

async function refusal(where: unknown): Promise<DomainError> {
  const error = await countSegment(s.db, { orgId, where }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(DomainError);
  return error as DomainError;
}

describe('a filter that is too large is refused with one error', () => {
  it('refuses 10,000 conditions with one error naming the limit of 500', async () => {
    const error = await refusal({ or: Array.from({ length: 10_000 }, () => badCondition) });
    expect(error.code).toBe('invalid');
    expect(error.key).toBe('segment.filter_too_many_nodes');
    expect(error.params).toEqual({ limit: 500 });
    expect(error.message).toMatch(/more than 500/);
    expect(error.message).not.toContain(';');
    expect(error.message.length).toBeLessThan(200);
    expect(error.violations).toEqual([]);
  });

  it('refuses a filter nested deeper than 20 levels with one error naming the limit', async () => {
    for (const where of [nested(30), nested(10_000)]) {
      const error = await refusal(where);
      expect(error.key).toBe('segment.filter_too_deep');
      expect(error.params).toEqual({ limit: 20 });
      expect(error.message).not.toContain(';');
      expect(error.message).not.toContain('shoeSize');
    }
  });

  it('refuses a too large filter before any of its nodes is checked (no SEG-2 refusal)', async () => {
    const where = {
      and: [{ field: 'religion', op: 'eq', value: 'x' }, ...Array(600).fill(condition)],
    };
    const error = await refusal(where);
    expect(error.key).toBe('segment.filter_too_many_nodes');
    expect(error.rule).toBeUndefined();
  });

  it('saves nothing of a too large filter', async () => {
    const where = { or: Array.from({ length: 10_000 }, () => condition) };
    await expect(
      saveSegment(s.db, { orgId, input: { name: 'huge', where }, actor: 'test' }),
    ).rejects.toMatchObject({ key: 'segment.filter_too_many_nodes' });
    expect(await listSegments(s.db, { orgId })).toEqual([]);
  });

  it('still checks every node of a filter within the limits, naming each problem', async () => {
    const error = await refusal({ and: [badCondition, { not: badCondition }] });
    expect(error.key).not.toMatch(/^segment\.filter_too_/);
    expect(error.message.match(/unknown field/g)).toHaveLength(2);
  });
});
