// Organisations: the data controllers. Every contact, source and election belongs to one.
import { randomUUID } from 'node:crypto';
import { asc, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { memberships, organisations } from '../../db/schema/index.ts';
import { JURISDICTIONS } from '../../policy/jurisdictions.ts';
import { DomainError } from '../errors.ts';
import { parseInput, plainText, type Actor, type Clock } from '../validation.ts';
import type { KeyRing } from './key-ring.ts';
import { ownPhone } from './own-phone.ts';
import { recordAudit } from '../audit/record-audit.ts';

export type Organisation = typeof organisations.$inferSelect;

const text = plainText;
const email = z.string().trim().toLowerCase().pipe(z.email('is not a valid email address'));

const createSchema = z.object({
  legalName: text(300),
  postalAddress: text(500),
  contactEmail: email,
  /** Its own number (office, permanence), any usual form; stored in E.164 (own-phone.ts). */
  contactPhone: text(40).optional(),
  dpoEmail: email,
  dpoName: text(200).optional(),
  jurisdiction: z.enum(JURISDICTIONS, { message: 'must be FR, MA or EU' }),
  cndpReceipt: text(100).optional(),
  /** NOT-1: what the data is used for and who receives it, as every message's notice says it. */
  noticePurposes: text(1000).optional(),
  noticeRecipients: text(1000).optional(),
});
export type OrganisationInput = z.input<typeof createSchema>;

export async function createOrganisation(
  db: Db,
  options: { keys: KeyRing; input: unknown; actor: Actor; ownerUserId?: string },
): Promise<Organisation> {
  const input = parseInput(createSchema, options.input);
  if (input.cndpReceipt && input.jurisdiction !== 'MA') {
    throw DomainError.keyed(
      'invalid',
      'organisation.cndp_receipt_not_ma',
      'cndpReceipt: only a Moroccan (MA) organisation has a CNDP receipt',
    );
  }
  return db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organisations)
      .values({
        id: randomUUID(),
        ...input,
        contactPhone: input.contactPhone ? ownPhone(input.contactPhone, input.jurisdiction) : null,
        cndpReceipt: input.cndpReceipt ?? null,
        noticePurposes: input.noticePurposes ?? null,
        noticeRecipients: input.noticeRecipients ?? null,
        createdBy: options.actor,
      })
      .returning();
    await options.keys.createOrgKey(tx, org!.id);
    // Whoever creates an organisation through the API runs it first (SEC-1: it has an owner).
    if (options.ownerUserId)
      await tx.insert(memberships).values({
        userId: options.ownerUserId,
        orgId: org!.id,
        role: 'owner',
        createdBy: options.actor,
        appointedBy: options.actor,
      });
    await recordAudit(tx, {
      actor: options.actor,
      action: 'organisation.create',
      orgId: org!.id,
      entityType: 'organisation',
      entityId: org!.id,
      summary: { jurisdiction: org!.jurisdiction },
    });
    return org!;
  });
}

export async function getOrganisation(db: Db, options: { orgId: string }): Promise<Organisation> {
  const id = parseInput(z.uuid({ message: 'organisation id must be a UUID' }), options.orgId);
  const [org] = await db.select().from(organisations).where(eq(organisations.id, id));
  if (!org)
    throw DomainError.keyed(
      'not_found',
      'organisation.not_found',
      `organisation ${id} does not exist`,
      { id },
    );
  return org;
}

/** Every organisation, or only those a staff member belongs to. */
export async function listOrganisations(
  db: Db,
  options: { memberId?: string } = {},
): Promise<Organisation[]> {
  const mine = options.memberId
    ? inArray(
        organisations.id,
        db
          .select({ id: memberships.orgId })
          .from(memberships)
          .where(eq(memberships.userId, options.memberId)),
      )
    : undefined;
  return db
    .select()
    .from(organisations)
    .where(mine)
    .orderBy(asc(organisations.createdAt), asc(organisations.id));
}

const updateSchema = createSchema.omit({ jurisdiction: true }).partial().strict();

/** Updates the controller's details, e.g. to record the CNDP receipt once it arrives (ACC-2). */
export async function updateOrganisation(
  db: Db,
  options: { orgId: string; input: unknown; actor: Actor; clock?: Clock },
): Promise<Organisation> {
  const org = await getOrganisation(db, options);
  if (typeof options.input === 'object' && options.input && 'jurisdiction' in options.input) {
    throw DomainError.keyed(
      'invalid',
      'organisation.jurisdiction_fixed',
      'jurisdiction cannot change: create a new organisation',
    );
  }
  const input = parseInput(updateSchema, options.input);
  if (input.cndpReceipt && org.jurisdiction !== 'MA') {
    throw DomainError.keyed(
      'invalid',
      'organisation.cndp_receipt_not_ma',
      'cndpReceipt: only a Moroccan (MA) organisation has a CNDP receipt',
    );
  }
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(organisations)
      .set({
        ...input,
        ...(input.contactPhone !== undefined
          ? { contactPhone: ownPhone(input.contactPhone, org.jurisdiction) }
          : {}),
        updatedAt: new Date(),
      })
      .where(eq(organisations.id, org.id))
      .returning();
    await recordAudit(
      tx,
      {
        actor: options.actor,
        action: 'organisation.update',
        orgId: org.id,
        entityType: 'organisation',
        entityId: org.id,
        summary: { fields: Object.keys(input).sort() },
      },
      options.clock,
    );
    return updated!;
  });
}
