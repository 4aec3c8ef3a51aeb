// RIGHTS-1: rights requests (access, rectification, erasure, restriction, objection) proven by a
// one-time code sent to the email or phone on file, never by questions. Asking for a code answers
// the same and does the same work whether or not the address is known: a request row, a hashed
// code, a sealed code mail and one notifications row always; only the row of an address on file is
// queued, the other is written already final with nothing to send (the caller cannot tell which).
// Codes by SMS wait for an SMS channel (issue 16): until then a phone number is refused, before
// anything is looked up. Each request is due one calendar month after receipt. Confirming a code: confirm-request.ts; the
// DPO's answer or extension: answer-request.ts; the access answer: access-answer.ts.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, gt, inArray, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { open, seal } from '../../crypto/aead.ts';
import { blindIndex, normaliseEmail } from '../../crypto/blind-index.ts';
import type { OrgKeys } from '../../crypto/org-keys.ts';
import type { Db } from '../../db/open-db.ts';
import {
  notifications,
  outbox,
  RIGHTS_REQUEST_KINDS,
  RIGHTS_REQUEST_STATUSES,
  rightsRequests,
  type RightsRequestKind,
  type RightsRequestStatus,
} from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { findContactIds } from '../contacts/contacts.ts';
import { emailField } from '../contacts/identity.ts';
import { lookupPhone } from '../contacts/phone-numbers.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { parseInput, plainText, type Actor, type Clock } from '../validation.ts';
import {
  clientHash,
  CODE_LIFETIME_MS,
  codeHash,
  MAX_REQUESTS_PER_ADDRESS,
  MAX_REQUESTS_PER_CLIENT,
  newCode,
  THROTTLE_WINDOW_MS,
} from './codes.ts';
import { codeMail } from './request-mail.ts';

export type RightsRequestItem = {
  id: string;
  kind: RightsRequestKind;
  status: RightsRequestStatus;
  receivedAt: string;
  dueAt: string;
  /** How the person named themselves, where the code and the replies go: email or phone. */
  channel: 'email' | 'phone';
  extended: boolean;
  outcome: string | null;
  answeredAt: string | null;
};

export type RightsRequestDetail = RightsRequestItem & {
  details: string | null;
  extensionReason: string | null;
  answerNote: string | null;
  messageRef: string | null;
  contactIds: string[];
};

/**
 * One calendar month later, at the same time of day (UTC): the same day of the next month, or
 * that month's last day when it has no such day (31 January -> 28 or 29 February, 31 March ->
 * 30 April). The GDPR's "one month" (art. 12(3)), read as the EU's rule on periods (1182/71).
 */
export function oneMonthAfter(date: Date): Date {
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  const lastDay = new Date(Date.UTC(y, m + 2, 0)).getUTCDate();
  const next = new Date(date);
  next.setUTCDate(1);
  next.setUTCMonth(m + 1);
  next.setUTCDate(Math.min(date.getUTCDate(), lastDay));
  return next;
}

/** The sealed identifier and details of a request are bound to its row (and to which field). */
export const requestAad = (orgId: string, id: string, field: 'identifier' | 'details') =>
  `isoloir:rights_requests:${orgId}:${id}:${field}`;

export function openRequestField(
  keys: OrgKeys,
  row: { orgId: string; id: string },
  field: 'identifier' | 'details',
  blob: Buffer | null,
): string | null {
  if (!blob || blob.length === 0) return null;
  return open(keys.encryption, blob, requestAad(row.orgId, row.id, field)).toString('utf8');
}

/** A form's empty field is a field not given. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    schema.optional(),
  );

const createSchema = z
  .object({
    kind: z.enum(RIGHTS_REQUEST_KINDS, {
      message: `must be one of ${RIGHTS_REQUEST_KINDS.join(', ')}`,
    }),
    email: optional(emailField),
    phone: optional(z.string().trim().max(40, 'is too long')),
    ref: optional(
      z.string().regex(/^[0-9a-f]{32}$/, 'must be a message reference (32 hexadecimal characters)'),
    ),
    details: optional(plainText(2000)),
  })
  .strict();

/**
 * The request's identifier, normalised as the contacts' blind indexes are. A phone number is
 * refused while no SMS channel can carry its code, whatever the number: the answer must not
 * depend on whether it is on file (RIGHTS-1).
 */
function identifierOf(
  jurisdiction: string,
  input: { email?: string | undefined; phone?: string | undefined },
  smsAvailable: boolean,
): { channel: 'email' | 'phone'; value: string } {
  if (Boolean(input.email) === Boolean(input.phone))
    throw DomainError.keyed(
      'invalid',
      'rights.identifier_required',
      'give exactly one of email or phone: the code is sent there (RIGHTS-1)',
    );
  if (input.email) return { channel: 'email', value: normaliseEmail(input.email) };
  if (!smsAvailable)
    throw DomainError.keyed(
      'invalid',
      'rights.phone_unavailable',
      'phone: codes by SMS are not available yet; give your email address, or write to the DPO',
      undefined,
      'RIGHTS-1',
    );
  const phone = lookupPhone(input.phone!, jurisdiction);
  if (!phone)
    throw DomainError.keyed(
      'invalid',
      'rights.invalid_phone',
      'phone: is not a valid phone number (e.g. 06 12 34 56 78 or +33 6 12 34 56 78)',
    );
  return { channel: 'phone', value: phone };
}

export const identifierIndex = (keys: OrgKeys, id: { channel: 'email' | 'phone'; value: string }) =>
  blindIndex(keys.index, id.channel, id.value);

/** What the notifications row of a code for an address not on file says: nothing went out. */
export const NOT_ON_FILE = 'not on file: nothing sent (RIGHTS-1: same answer)';

export async function createRightsRequest(
  db: Db,
  options: {
    keys: KeyRing;
    clock: Clock;
    orgId: string;
    input: unknown;
    client: string;
    /** Whether a code can go out by SMS; false (the default) refuses phone numbers (issue 16). */
    smsAvailable?: boolean;
  },
): Promise<{ id: string }> {
  const org = await getOrganisation(db, { orgId: options.orgId });
  const input = parseInput(createSchema, options.input);
  const identifier = identifierOf(org.jurisdiction, input, options.smsAvailable ?? false);
  if ((input.kind === 'rectification' || input.kind === 'restriction') && !input.details)
    throw DomainError.keyed(
      'invalid',
      'rights.details_required',
      'details: say what to rectify or restrict (RIGHTS-1)',
    );
  const keys = await options.keys.forOrg(db, org.id);
  const index = identifierIndex(keys, identifier);
  const client = clientHash(keys, options.client);
  const now = options.clock();
  const id = randomUUID();
  return db.transaction(async (tx) => {
    if (input.ref) {
      const [message] = await tx
        .select({ id: outbox.id })
        .from(outbox)
        .where(and(eq(outbox.messageRef, input.ref), eq(outbox.orgId, org.id)));
      if (!message)
        throw DomainError.keyed(
          'invalid',
          'rights.ref_unknown',
          'ref: is not the reference of a message of this organisation',
        );
    }
    // Two requests for one address at the same moment are counted one after the other.
    await tx.execute(
      sql`select pg_advisory_xact_lock(${index.readBigInt64BE(0).toString()}::bigint)`,
    );
    // Codes that ran out unconfirmed are dropped (their requests stay, as expired).
    await tx
      .update(rightsRequests)
      .set({ status: 'expired', codeHash: null })
      .where(
        and(
          eq(rightsRequests.orgId, org.id),
          eq(rightsRequests.status, 'awaiting_code'),
          lt(rightsRequests.codeExpiresAt, now),
        ),
      );
    const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
    const [counts] = await tx
      .select({
        byAddress: sql<number>`count(*) filter (where ${rightsRequests.identifierIndex} = ${index})::int`,
        byClient: sql<number>`count(*) filter (where ${rightsRequests.clientHash} = ${client})::int`,
      })
      .from(rightsRequests)
      .where(and(eq(rightsRequests.orgId, org.id), gt(rightsRequests.receivedAt, since)));
    if (
      (counts?.byAddress ?? 0) >= MAX_REQUESTS_PER_ADDRESS ||
      (counts?.byClient ?? 0) >= MAX_REQUESTS_PER_CLIENT
    )
      throw DomainError.keyed(
        'throttled',
        'rights.throttled',
        'too many code requests for this address or from this client: try again in an hour (RIGHTS-1)',
      );
    const held = await findContactIds(tx, {
      keys: options.keys,
      orgId: org.id,
      [identifier.channel]: identifier.value,
    });
    const code = newCode();
    await tx.insert(rightsRequests).values({
      id,
      orgId: org.id,
      kind: input.kind,
      channel: identifier.channel,
      identifierIndex: index,
      identifier: seal(
        keys.encryption,
        Buffer.from(identifier.value, 'utf8'),
        requestAad(org.id, id, 'identifier'),
      ),
      messageRef: input.ref ?? null,
      details: input.details
        ? seal(
            keys.encryption,
            Buffer.from(input.details, 'utf8'),
            requestAad(org.id, id, 'details'),
          )
        : null,
      status: 'awaiting_code',
      codeHash: codeHash(keys, id, code),
      codeExpiresAt: new Date(now.getTime() + CODE_LIFETIME_MS),
      clientHash: client,
      receivedAt: now,
      dueAt: oneMonthAfter(now),
    });
    // Only an address on file receives the code, yet the work is the same for any address (no
    // timing tells them apart): the code mail is sealed and one notifications row inserted either
    // way; for an address not on file the row is written already final, with nothing to send.
    // The payload is sealed as queueNotification seals it (notifications.ts), the sender opens it.
    const onFile = held.length > 0;
    const payload = seal(
      keys.encryption,
      Buffer.from(JSON.stringify({ to: identifier.value, ...codeMail(org, code) }), 'utf8'),
      `isoloir:notification:${org.id}`,
    );
    await tx.insert(notifications).values({
      orgId: org.id,
      kind: 'rights_code',
      channel: identifier.channel === 'email' ? 'email' : 'sms',
      payload: onFile ? payload : null,
      state: onFile ? 'queued' : 'failed',
      lastError: onFile ? null : NOT_ON_FILE,
      nextAttemptAt: now,
      createdAt: now,
    });
    return { id };
  });
}

const itemColumns = {
  id: rightsRequests.id,
  orgId: rightsRequests.orgId,
  kind: rightsRequests.kind,
  status: rightsRequests.status,
  receivedAt: rightsRequests.receivedAt,
  dueAt: rightsRequests.dueAt,
  channel: rightsRequests.channel,
  extendedAt: rightsRequests.extendedAt,
  outcome: rightsRequests.outcome,
  answeredAt: rightsRequests.answeredAt,
};

type ItemRow = { [K in keyof typeof itemColumns]: (typeof rightsRequests.$inferSelect)[K] };

export const toItem = (r: ItemRow): RightsRequestItem => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  receivedAt: r.receivedAt.toISOString(),
  dueAt: r.dueAt.toISOString(),
  channel: r.channel,
  extended: r.extendedAt !== null,
  outcome: r.outcome,
  answeredAt: r.answeredAt?.toISOString() ?? null,
});

/** What the DPO's queue shows by default: confirmed requests (unconfirmed ones on request). */
const CONFIRMED: RightsRequestStatus[] = ['open', 'extended', 'answered'];

/** The organisation's requests by due date; nothing personal (no address, no details). */
export async function listRightsRequests(
  db: Db,
  options: { orgId: string; status?: string | undefined },
): Promise<{ items: RightsRequestItem[] }> {
  const status =
    options.status === undefined
      ? undefined
      : parseInput(
          z.enum(RIGHTS_REQUEST_STATUSES, {
            message: `status: must be one of ${RIGHTS_REQUEST_STATUSES.join(', ')}`,
          }),
          options.status,
        );
  const rows = await db
    .select(itemColumns)
    .from(rightsRequests)
    .where(
      and(
        eq(rightsRequests.orgId, options.orgId),
        status ? eq(rightsRequests.status, status) : inArray(rightsRequests.status, CONFIRMED),
      ),
    )
    .orderBy(asc(rightsRequests.dueAt), asc(rightsRequests.receivedAt))
    .limit(1000);
  return { items: rows.map(toItem) };
}

export function requestNotFound(id: string) {
  return DomainError.keyed(
    'not_found',
    'rights.request_not_found',
    `rights request ${id} does not exist`,
    { id },
  );
}

export const requestIdOf = (value: string) => {
  const r = z.uuid().safeParse(value);
  if (!r.success) throw requestNotFound(String(value).slice(0, 40));
  return r.data;
};

/** One request for the DPO, with what the person asked for (opened, and the reading audited). */
export async function getRightsRequest(
  db: Db,
  options: { keys: KeyRing; requestId: string; actor: Actor; clock: Clock },
): Promise<RightsRequestDetail> {
  const id = requestIdOf(options.requestId);
  const [row] = await db.select().from(rightsRequests).where(eq(rightsRequests.id, id));
  if (!row) throw requestNotFound(id);
  const keys = await options.keys.forOrg(db, row.orgId);
  await recordAudit(
    db,
    {
      actor: options.actor,
      action: 'rights.request',
      orgId: row.orgId,
      entityType: 'rights_request',
      entityId: row.id,
      summary: { op: 'read', kind: row.kind, details: row.details !== null },
    },
    options.clock,
  );
  return {
    ...toItem(row),
    details: openRequestField(keys, row, 'details', row.details),
    extensionReason: row.extensionReason,
    answerNote: row.answerNote,
    messageRef: row.messageRef,
    contactIds: row.contactIds ?? [],
  };
}
