// What the voter's code page (`/r/requests/:id`) needs to know of a rights request: whose
// organisation it is (its language, its name), its kind and where it stands. Nothing that names
// the person: the page must read the same whether or not the address is on file (RIGHTS-1).
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/open-db.ts';
import { rightsRequests, type RightsRequestStatus } from '../../db/schema/index.ts';
import { DomainError } from '../errors.ts';

/** Wrong codes before a request locks (RIGHTS-1). */
export const CODE_ATTEMPTS = 5;

export type RequestForPage = {
  id: string;
  orgId: string;
  kind: string;
  status: RightsRequestStatus;
  dueAt: Date;
  /** What was done once confirmed (access_given, erased, objected, queued, nothing_held...). */
  outcome: string | null;
  /** Wrong codes still allowed. */
  attemptsLeft: number;
  /** Awaiting its code, but the code ran out. */
  codeExpired: boolean;
};

export async function rightsRequestForPage(
  db: Db,
  options: { requestId: string; now: Date },
): Promise<RequestForPage> {
  const notFound = () => DomainError.keyed('not_found', 'public.not_found', 'no such request');
  const id = z.uuid().safeParse(options.requestId);
  if (!id.success) throw notFound();
  const [row] = await db
    .select({
      id: rightsRequests.id,
      orgId: rightsRequests.orgId,
      kind: rightsRequests.kind,
      status: rightsRequests.status,
      dueAt: rightsRequests.dueAt,
      outcome: rightsRequests.outcome,
      codeFailures: rightsRequests.codeFailures,
      codeExpiresAt: rightsRequests.codeExpiresAt,
    })
    .from(rightsRequests)
    .where(eq(rightsRequests.id, id.data));
  if (!row) throw notFound();
  return {
    id: row.id,
    orgId: row.orgId,
    kind: row.kind,
    status: row.status,
    dueAt: row.dueAt,
    outcome: row.outcome,
    attemptsLeft: Math.max(0, CODE_ATTEMPTS - row.codeFailures),
    codeExpired:
      row.status === 'expired' ||
      (row.status === 'awaiting_code' &&
        (!row.codeExpiresAt || row.codeExpiresAt.getTime() <= options.now.getTime())),
  };
}
