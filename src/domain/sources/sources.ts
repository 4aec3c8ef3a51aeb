// Data sources: only lawful ones can be declared (SRC-1, SRC-3, SRC-7, ACC-2), each with the
// facts the notices and the retention rules need later (SRC-4, RET-2).
import { randomUUID } from 'node:crypto';
import { and, asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { dataSources, LAWFUL_SOURCE_TYPES } from '../../db/schema/index.ts';
import { checkSourceDeclaration, FORBIDDEN_SOURCE_TYPES } from '../../policy/sources.ts';
import { DomainError } from '../errors.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { getElection } from '../organisations/elections.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { isoDate, parseInput, plainText, type Actor, type Clock } from '../validation.ts';

export type DataSource = typeof dataSources.$inferSelect;

const isoDay = z.iso.date('must be a date written YYYY-MM-DD');
const text = plainText;

const attestationSchema = z.object(
  {
    provider: text(300),
    date: isoDay,
    consentWording: text(5000),
    proofReference: text(500),
  },
  { message: 'must be an object with provider, date, consentWording and proofReference' },
);

const createSchema = z.object({
  // Any string: forbidden types get a rule refusal below rather than a bare "invalid".
  type: z.string().trim().min(1, 'is required'),
  label: text(300),
  obtainedOn: isoDay.optional(),
  electionId: z.uuid({ message: 'must be an election id' }).optional(),
  attestation: attestationSchema.optional(),
  collection: z
    .object({ where: text(500).optional(), notice: text(5000).optional() })
    .strict()
    .optional(),
  /** NOT-1: how notices describe this source to the people it names (public, unlike the label). */
  publicDescription: text(300).optional(),
});

/** Source types whose data only exist for one election and end with it (RET-2). */
const ELECTION_BOUND_TYPES = new Set(['electoral_list', 'signin_list']);

export async function createSource(
  db: Db,
  options: { orgId: string; input: unknown; actor: Actor; clock: Clock },
): Promise<DataSource> {
  const org = await getOrganisation(db, options);
  const input = parseInput(createSchema, options.input);

  const violations = checkSourceDeclaration({
    type: input.type,
    jurisdiction: org.jurisdiction,
    cndpReceipt: org.cndpReceipt,
    attestation: input.attestation ?? null,
  });
  if (violations.length > 0) throw DomainError.refused(violations);

  const type = LAWFUL_SOURCE_TYPES.find((t) => t === input.type);
  if (!type) {
    throw DomainError.keyed(
      'invalid',
      'source.type_unknown',
      `type: "${input.type}" is not a source type; lawful types are ${LAWFUL_SOURCE_TYPES.join(', ')}`,
      { type: input.type, known: LAWFUL_SOURCE_TYPES.join(', ') },
    );
  }
  const today = isoDate(options.clock());
  const obtainedOn = input.obtainedOn ?? today;
  if (obtainedOn > today)
    throw DomainError.keyed(
      'invalid',
      'source.obtained_in_future',
      'obtainedOn: cannot be in the future',
    );
  if (input.attestation && input.attestation.date > today) {
    throw DomainError.keyed(
      'invalid',
      'source.attestation_in_future',
      'attestation.date: cannot be in the future',
    );
  }
  if (input.attestation && type !== 'purchased_file') {
    throw DomainError.keyed(
      'invalid',
      'source.attestation_not_purchased',
      'attestation: only a purchased file carries a provider attestation',
    );
  }
  if (ELECTION_BOUND_TYPES.has(type) && !input.electionId) {
    throw DomainError.refused([
      {
        rule: 'RET-2',
        key: 'source.election_required',
        message:
          'an electoral or sign-in list serves one election and is deleted after it: name that election',
      },
    ]);
  }
  if (input.electionId) await getElection(db, { electionId: input.electionId, orgId: org.id });

  return db.transaction(async (tx) => {
    const [source] = await tx
      .insert(dataSources)
      .values({
        id: randomUUID(),
        orgId: org.id,
        type,
        label: input.label,
        obtainedOn,
        electionId: input.electionId ?? null,
        attestation: input.attestation ?? null,
        collection: input.collection ?? null,
        publicDescription: input.publicDescription ?? null,
        createdBy: options.actor,
      })
      .returning();
    await recordAudit(tx, {
      actor: options.actor,
      action: 'source.create',
      orgId: org.id,
      entityType: 'source',
      entityId: source!.id,
      summary: { type: source!.type },
    });
    return source!;
  });
}

export async function getSource(
  db: Db,
  options: { sourceId: string; orgId?: string },
): Promise<DataSource> {
  const id = parseInput(z.uuid({ message: 'source id must be a UUID' }), options.sourceId);
  const where = options.orgId
    ? and(eq(dataSources.id, id), eq(dataSources.orgId, options.orgId))
    : eq(dataSources.id, id);
  const [source] = await db.select().from(dataSources).where(where);
  if (!source)
    throw DomainError.keyed('not_found', 'source.not_found', `source ${id} does not exist`, { id });
  return source;
}

export async function listSources(db: Db, options: { orgId: string }): Promise<DataSource[]> {
  const org = await getOrganisation(db, options);
  return db
    .select()
    .from(dataSources)
    .where(eq(dataSources.orgId, org.id))
    .orderBy(asc(dataSources.createdAt), asc(dataSources.id));
}

/** The forbidden types, exposed so that interfaces can explain them before anyone tries. */
export const forbiddenSourceTypes = FORBIDDEN_SOURCE_TYPES;
