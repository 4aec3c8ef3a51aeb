// SEG-2 in filters: csp and pollingStation take only their closed vocabularies (INSEE PCS 2020
// codes, four-digit polling-station numbers); anything else is refused under SEG-2 wherever the
// filter comes from, and values stored before the vocabularies existed are cleared (migration
// 0015) so they cannot stay filterable.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../test/factories.ts';
import { openTestServices, type TestServices } from '../../../test/test-db.ts';
import { packFor } from '../../policy/packs.ts';
import { PCS_CODES } from '../../policy/vocabularies/pcs-2020.ts';
import { addContact } from '../contacts/contacts.ts';
import { DomainError } from '../errors.ts';
import { countSegment } from './count.ts';
import { segmentFields } from './filter.ts';
import { countSavedSegment, previewSegment, saveSegment } from './segments.ts';
import { segments } from '../../db/schema/index.ts';

let s: TestServices;
let orgId: string;
beforeAll(async () => {
  s = await openTestServices();
  orgId = (await makeOrg(s)).id;
  const source = await makeSource(s, orgId);
  for (const [i, csp] of ['37', '3', '52'].entries()) {
    await addContact(s.db, {
      keys: s.keys,
      orgId,
      sourceId: source.id,
      identity: { birthName: `P${i}`, email: `p${i}@exemple.fr` },
      attributes: { csp, pollingStation: `000${i + 1}` },
      actor: 'test',
    });
  }
});
afterAll(() => s.dispose());

const refusal = (where: unknown) =>
  countSegment(s.db, { orgId, where }).then(
    () => undefined,
    (e: unknown) => e,
  );

describe('closed vocabularies in filters (SEG-2)', () => {
  it.each([
    { field: 'csp', op: 'eq', value: 'musulman' },
    { field: 'csp', op: 'in', value: ['3', 'catholique'] },
    { field: 'csp', op: 'eq', value: '44' },
    { field: 'csp', op: 'eq', value: '7' },
    { field: 'csp', op: 'eq', value: ' 3' },
    { not: { field: 'csp', op: 'eq', value: 'juif' } },
    { field: 'pollingStation', op: 'eq', value: 'Mosquée' },
    { field: 'pollingStation', op: 'gte', value: '1' },
    { field: 'pollingStation', op: 'between', value: ['0001', 'zzzz'] },
  ])(
    'SEG-2: a filter value outside the vocabulary is refused, without echoing it: %j',
    async (where) => {
      const error = await refusal(where);
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'refused', rule: 'SEG-2' });
      expect((error as Error).message).not.toMatch(/musulman|catholique|juif|Mosquée|zzzz/);
    },
  );

  it('SEG-2: saving or previewing a segment with such a value is refused too', async () => {
    const where = { field: 'csp', op: 'eq', value: 'musulman' };
    await expect(
      saveSegment(s.db, { orgId, input: { name: 'x', where }, actor: 'test' }),
    ).rejects.toMatchObject({ rule: 'SEG-2' });
    await expect(
      previewSegment(s.db, { orgId, where, keys: s.keys, withIdentifiers: false, actor: 'test' }),
    ).rejects.toMatchObject({ rule: 'SEG-2' });
  });

  it('SEG-2: a segment saved before the vocabularies, filtering on free text, is refused when used', async () => {
    const id = randomUUID();
    await s.db.insert(segments).values({
      id,
      orgId,
      name: 'old',
      filter: { field: 'csp', op: 'eq', value: 'musulman' },
      createdBy: 'test',
    });
    await expect(countSavedSegment(s.db, { segmentId: id })).rejects.toMatchObject({
      rule: 'SEG-2',
    });
  });

  it('accepts PCS codes; a group includes its categories', async () => {
    const total = async (where: unknown) => (await countSegment(s.db, { orgId, where })).total;
    expect(await total({ field: 'csp', op: 'eq', value: '3' })).toBe(2);
    expect(await total({ field: 'csp', op: 'eq', value: '37' })).toBe(1);
    expect(await total({ field: 'csp', op: 'in', value: ['5', '6'] })).toBe(1);
    expect(await total({ field: 'pollingStation', op: 'between', value: ['0002', '0003'] })).toBe(
      2,
    );
  });

  it('SEG-2: the segment builder is offered the PCS codes with their French labels, never 44', () => {
    const fields = segmentFields(packFor('FR'));
    const csp = fields.find((f) => f.field === 'csp') as { values: { code: string }[] };
    expect(csp.values).toContainEqual({
      code: '37',
      label: "Cadres des services administratifs et commerciaux d'entreprise",
      level: 'category',
    });
    expect(csp.values.map((v) => v.code)).toEqual([...PCS_CODES]);
    expect(csp.values.map((v) => v.code)).not.toContain('44');
    expect(csp.values).toHaveLength(6 + 28);
    expect(fields.find((f) => f.field === 'pollingStation')).toMatchObject({
      format: '^[0-9]{4}$',
    });
  });
});

describe('values stored before the vocabularies (SEG-2, migration 0015)', () => {
  it('SEG-2: migration 0015 clears stored csp and polling-station values outside the vocabularies', async () => {
    const t = await openTestServices();
    try {
      const org = await makeOrg(t);
      const source = await makeSource(t, org.id);
      const ids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const c = await addContact(t.db, {
          keys: t.keys,
          orgId: org.id,
          sourceId: source.id,
          identity: { birthName: `Q${i}`, email: `q${i}@exemple.fr` },
          actor: 'test',
        });
        ids.push(c.id);
      }
      // The database as it was before 0015: any text in both columns.
      await t.db.execute(sql`alter table contacts drop constraint contacts_csp_pcs_2020`);
      await t.db.execute(sql`alter table contacts drop constraint contacts_polling_station_code`);
      const before: [string, string][] = [
        ['musulman', '312'],
        ['37', 'Mosquée'],
        ['44', '0007'],
        [' 3 ', '0000'],
        ['Cadre', ' 12 '],
      ];
      for (const [i, [csp, station]] of before.entries())
        await t.db.execute(
          sql`update contacts set csp = ${csp}, polling_station = ${station} where id = ${ids[i]!}`,
        );
      const migration = fs.readFileSync(
        new URL(
          '../../db/migrations/0015_close_csp_and_polling_station_vocabularies.sql',
          import.meta.url,
        ),
        'utf8',
      );
      for (const statement of migration.split('--> statement-breakpoint'))
        await t.db.execute(sql.raw(statement));
      const after = (await t.db.execute(
        sql`select id, csp, polling_station from contacts where org_id = ${org.id}`,
      )) as unknown as {
        rows: { id: string; csp: string | null; polling_station: string | null }[];
      };
      const byId = new Map(after.rows.map((r) => [r.id, [r.csp, r.polling_station]]));
      expect(ids.map((id) => byId.get(id))).toEqual([
        [null, '0312'],
        ['37', null],
        [null, '0007'],
        ['3', null],
        [null, '0012'],
      ]);
      const count = await countSegment(t.db, {
        orgId: org.id,
        where: { field: 'csp', op: 'in', value: ['3', '37'] },
      });
      expect(count.total).toBe(2);
      await expect(
        t.db.execute(sql`update contacts set csp = 'musulman' where id = ${ids[0]!}`),
      ).rejects.toThrow();
    } finally {
      await t.dispose();
    }
  });
});
