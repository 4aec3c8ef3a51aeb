// Property: whatever a CSV file looks like, an import either fails cleanly (a DomainError, no
// contact added) or finishes with read = imported + merged + rejected + suppressed.
import fs from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeElection, makeOrg, makeSource } from '../../../../test/factories.ts';
import { ELECTORAL_HEADERS, tempDir } from '../../../../test/files.ts';
import { openTestServices, type TestServices } from '../../../../test/test-db.ts';
import { DomainError } from '../../errors.ts';
import { countContacts } from '../contacts.ts';
import { importContacts } from './import-contacts.ts';

let s: TestServices;
let orgId: string;
let electionId: string;
const files = tempDir();
beforeAll(async () => {
  s = await openTestServices();
  orgId = (await makeOrg(s)).id;
  electionId = (await makeElection(s, orgId)).id;
});
afterAll(async () => {
  await s.dispose();
  files.remove();
});

const cell = fc.oneof(
  fc.constantFrom('DUPONT', 'Hélène', '02/06/1984', '69003', 'Lyon', '69383', '0312', 'F', 'M', ''),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
);
const row = fc.array(cell, { minLength: 0, maxLength: ELECTORAL_HEADERS.length + 3 });

type Mutation =
  | { kind: 'quote'; at: number }
  | { kind: 'delimiter'; at: number; to: string }
  | { kind: 'long'; at: number; length: number }
  | { kind: 'empty-lines'; at: number; count: number }
  | { kind: 'bytes'; at: number; bytes: number[] };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('quote' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('delimiter' as const),
    at: fc.nat(),
    to: fc.constantFrom(',', '\t', '|', ';;'),
  }),
  fc.record({
    kind: fc.constant('long' as const),
    at: fc.nat(),
    length: fc.integer({ min: 1_000, max: 300_000 }),
  }),
  fc.record({
    kind: fc.constant('empty-lines' as const),
    at: fc.nat(),
    count: fc.integer({ min: 1, max: 5 }),
  }),
  fc.record({
    kind: fc.constant('bytes' as const),
    at: fc.nat(),
    bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 16 }),
  }),
);

function build(rows: string[][], mutations: Mutation[]): Buffer {
  let text = [ELECTORAL_HEADERS, ...rows].map((r) => r.join(';')).join('\n');
  const bytes: { at: number; bytes: number[] }[] = [];
  for (const m of mutations) {
    const at = text.length === 0 ? 0 : m.at % text.length;
    if (m.kind === 'quote') text = `${text.slice(0, at)}"${text.slice(at)}`;
    if (m.kind === 'delimiter') text = text.slice(0, at) + text.slice(at).replace(';', m.to);
    if (m.kind === 'long') text = `${text.slice(0, at)}${'x'.repeat(m.length)}${text.slice(at)}`;
    if (m.kind === 'empty-lines')
      text = `${text.slice(0, at)}${'\n'.repeat(m.count)}${text.slice(at)}`;
    if (m.kind === 'bytes') bytes.push(m);
  }
  let buffer = Buffer.from(text, 'utf8');
  for (const b of bytes) {
    const at = buffer.length === 0 ? 0 : b.at % buffer.length;
    buffer = Buffer.concat([buffer.subarray(0, at), Buffer.from(b.bytes), buffer.subarray(at)]);
  }
  return buffer;
}

describe('import of mutated CSV files (property)', () => {
  it('never crashes or hangs, and the row accounting always balances', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, { maxLength: 30 }),
        fc.array(mutation, { maxLength: 6 }),
        async (rows, mutations) => {
          const source = await makeSource(s, orgId, {
            type: 'electoral_list',
            electionId,
            label: `fuzz ${n}`,
          });
          const file = files.file(`fuzz-${n++}.csv`);
          fs.writeFileSync(file, build(rows, mutations));
          const before = (await countContacts(s.db, { orgId })).total;
          try {
            const r = await importContacts(s.db, {
              keys: s.keys,
              sourceId: source.id,
              file,
              actor: 'fuzz',
              clock: s.clock,
            });
            expect(r.read).toBe(r.imported + r.merged + r.rejected + r.suppressed);
            expect((await countContacts(s.db, { orgId })).total).toBe(before + r.imported);
          } catch (error) {
            // A clean failure: a message for a person, and nothing stored.
            expect(error).toBeInstanceOf(DomainError);
            expect((await countContacts(s.db, { orgId })).total).toBe(before);
          }
        },
      ),
      { numRuns: 150, interruptAfterTimeLimit: 100_000 },
    );
  }, 180_000);
});
