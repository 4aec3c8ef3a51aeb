// Elections: rounds and territory. Silence (CAL-1) and retention (RET-1) derive from these dates.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { electionRounds, elections } from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { DomainError } from '../errors.ts';
import { communeByCode, departmentExists } from '../territory/communes.ts';
import { parseInput, plainText, type Actor, type Clock } from '../validation.ts';
import { getOrganisation } from './organisations.ts';

export type Election = typeof elections.$inferSelect & {
  rounds: { round: number; date: string }[];
};

const isoDay = z.iso.date('must be a date written YYYY-MM-DD');
// INSEE commune (5 characters, Corsica 2A/2B) or department (2 digits, 2A/2B, overseas 97x and
// collectivities 975, 977, 978, 986-988).
const FRENCH_TERRITORY = /^(?:\d{5}|2[AB]\d{3}|\d{2}|2[AB]|97[1-8]|98[6-8])$/;
const OTHER_TERRITORY = /^[A-Z0-9][A-Z0-9-]{0,19}$/;

const createSchema = z.object({
  name: plainText(300),
  round1: isoDay,
  round2: isoDay.optional(),
  territory: z.array(z.string().trim()).default([]),
});

export async function createElection(
  db: Db,
  options: { orgId: string; input: unknown; actor: Actor; clock?: Clock },
): Promise<Election> {
  const org = await getOrganisation(db, options);
  const input = parseInput(createSchema, options.input);
  if (input.round2 && input.round2 <= input.round1) {
    throw DomainError.keyed(
      'invalid',
      'election.round2_before_round1',
      'round2: the second round must come after the first',
    );
  }
  const pattern = org.jurisdiction === 'FR' ? FRENCH_TERRITORY : OTHER_TERRITORY;
  const bad = input.territory.filter((code) => !pattern.test(code.toUpperCase()));
  if (bad.length > 0) {
    throw DomainError.keyed(
      'invalid',
      'election.territory_malformed',
      org.jurisdiction === 'FR'
        ? `territory: ${bad.join(', ')} is not an INSEE commune code (5 characters) or department code`
        : `territory: ${bad.join(', ')} is not a territory code (letters, digits, hyphens)`,
      { codes: bad.join(', ') },
    );
  }
  // CAL-1: an FR code must name a real commune or department (a postal code typed for Lyon,
  // 69001, is Affoux's INSEE code; 75001 is nobody's). A delegated commune's code becomes the
  // current commune's, the code contacts carry.
  const territory = [
    ...new Set(
      input.territory.map((raw) => {
        const code = raw.toUpperCase();
        if (org.jurisdiction !== 'FR' || code.length < 5) return code;
        return communeByCode(code)?.code ?? code;
      }),
    ),
  ];
  const unknown =
    org.jurisdiction === 'FR'
      ? territory.filter((code) =>
          code.length < 5 ? !departmentExists(code) : communeByCode(code) === undefined,
        )
      : [];
  if (unknown.length > 0) {
    throw DomainError.keyed(
      'invalid',
      'election.territory_unknown',
      `territory: ${unknown.join(', ')} is not an existing INSEE commune or department code (CAL-1: a postal code is not a commune code; Lyon is 69123, its arrondissements 69381 to 69389)`,
      { codes: unknown.join(', ') },
      'CAL-1',
    );
  }
  return db.transaction(async (tx) => {
    const [election] = await tx
      .insert(elections)
      .values({
        id: randomUUID(),
        orgId: org.id,
        name: input.name,
        territory,
        createdBy: options.actor,
      })
      .returning();
    const rounds = [{ round: 1, date: input.round1 }];
    if (input.round2) rounds.push({ round: 2, date: input.round2 });
    await tx
      .insert(electionRounds)
      .values(rounds.map((r) => ({ electionId: election!.id, round: r.round, voteDate: r.date })));
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: 'election.create',
        orgId: org.id,
        entityType: 'election',
        entityId: election!.id,
        summary: { rounds: rounds.length, territory: territory.length },
      },
      options.clock,
    );
    return { ...election!, rounds };
  });
}

async function withRounds(db: Db, rows: (typeof elections.$inferSelect)[]): Promise<Election[]> {
  if (rows.length === 0) return [];
  const rounds = await db
    .select()
    .from(electionRounds)
    .where(
      inArray(
        electionRounds.electionId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(electionRounds.round));
  return rows.map((row) => ({
    ...row,
    rounds: rounds
      .filter((r) => r.electionId === row.id)
      .map((r) => ({ round: r.round, date: r.voteDate })),
  }));
}

export async function getElection(
  db: Db,
  options: { electionId: string; orgId?: string },
): Promise<Election> {
  const id = parseInput(z.uuid({ message: 'election id must be a UUID' }), options.electionId);
  const where = options.orgId
    ? and(eq(elections.id, id), eq(elections.orgId, options.orgId))
    : eq(elections.id, id);
  const rows = await db.select().from(elections).where(where);
  if (rows.length === 0) {
    throw DomainError.keyed(
      'not_found',
      'election.not_found',
      options.orgId
        ? `election ${id} does not exist in this organisation`
        : `election ${id} does not exist`,
      { id },
    );
  }
  const [election] = await withRounds(db, rows);
  return election!;
}

export async function listElections(db: Db, options: { orgId: string }): Promise<Election[]> {
  const org = await getOrganisation(db, options);
  const rows = await db
    .select()
    .from(elections)
    .where(eq(elections.orgId, org.id))
    .orderBy(asc(elections.createdAt), asc(elections.id));
  return withRounds(db, rows);
}
