// REP-1: a voter reports a message as non-compliant, from its page (`/m/:ref/report`) or the
// public JSON API, with a reason from a closed list and optional words. No account: the message's
// reference is the only credential. The words are sealed (they may name people) and only the DPO
// reads them, beside the message's compliance record (compliance-record.ts); the audit event and
// the DPO's alert say what and when (reason, channel), never who or the words. Throttled per
// client address (a keyed hash, never the address) and per message, counted in the table itself
// so that the limits survive a restart.
import { createHmac, randomUUID } from 'node:crypto';
import { and, desc, eq, gte, sql } from 'drizzle-orm';
import { z } from 'zod';
import { open, seal } from '../../crypto/aead.ts';
import type { Db } from '../../db/open-db.ts';
import {
  messageReports,
  organisations,
  outbox,
  REPORT_REASONS,
  type ReportReason,
} from '../../db/schema/index.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { parseInput, type Actor, type Clock } from '../validation.ts';
import { notifyDpo } from './notifications.ts';
import { complianceRecord, type ComplianceRecord } from './compliance-record.ts';

export { REPORT_REASONS, type ReportReason };

/**
 * Reports from one client address per hour on one organisation's messages: counted per
 * organisation, so that one busy address (a proxy, a campus) cannot stop reports elsewhere.
 */
export const REPORTS_PER_CLIENT_PER_HOUR = 20;
/** Reports on one message, in all: its recipient, and a few people it was forwarded to. */
export const REPORTS_PER_MESSAGE = 5;
export const COMMENT_MAX = 2000;

const REF = /^[0-9a-f]{32}$/;

const inputSchema = z
  .object({
    reason: z.enum(REPORT_REASONS, { message: `must be one of ${REPORT_REASONS.join(', ')}` }),
    comment: z
      .string()
      .max(COMMENT_MAX, `must be at most ${COMMENT_MAX} characters`)
      .optional()
      .nullable(),
  })
  .strict();

const commentAad = (orgId: string, id: string) => `isoloir:message_reports:${orgId}:${id}`;

/** The client address as a keyed hash (the unsubscribe links' key, a purpose of its own). */
function clientHash(keys: KeyRing, client: string): Buffer {
  return createHmac('sha256', keys.unsubscribeKey())
    .update(`report-client\u0000${client}`)
    .digest();
}

const throttled = (what: string) =>
  DomainError.keyed(
    'throttled',
    'report.throttled',
    `too many reports ${what}: try again later`,
    {},
    'REP-1',
  );

/** The message a reference names: unknown or malformed references alike are not found. */
async function messageOf(db: Db, ref: string) {
  const [m] = REF.test(ref)
    ? await db
        .select({
          id: outbox.id,
          orgId: outbox.orgId,
          channel: outbox.channel,
          jurisdiction: organisations.jurisdiction,
        })
        .from(outbox)
        .innerJoin(organisations, eq(organisations.id, outbox.orgId))
        .where(eq(outbox.messageRef, ref))
    : [];
  if (!m)
    throw DomainError.keyed(
      'not_found',
      'message.not_found',
      'no message has this reference',
      {},
      'REP-1',
    );
  return m;
}

/** The organisation of a message, for pages that need its languages before anything else. */
export async function reportedMessage(
  db: Db,
  options: { ref: string },
): Promise<{ orgId: string; channel: string }> {
  const m = await messageOf(db, options.ref);
  return { orgId: m.orgId, channel: m.channel };
}

export async function recordReport(
  db: Db,
  options: {
    keys: KeyRing;
    clock: Clock;
    ref: string;
    input: unknown;
    /** The client's address (the throttle; only its keyed hash is stored). */
    client: string;
  },
): Promise<{ id: string }> {
  const m = await messageOf(db, options.ref);
  const input = parseInput(inputSchema, options.input);
  const comment = input.comment?.trim() || null;
  const now = options.clock();
  const hash = clientHash(options.keys, options.client);
  return db.transaction(async (tx) => {
    // One client at a time past this point (the count and the insert are one step).
    await tx.execute(
      sql`select pg_advisory_xact_lock(hashtext(${`isoloir:report:${m.orgId}:${hash.toString('hex')}`}))`,
    );
    const hourAgo = new Date(now.getTime() - 3600_000);
    const [fromClient] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(messageReports)
      .where(
        and(
          eq(messageReports.orgId, m.orgId),
          eq(messageReports.clientHash, hash),
          gte(messageReports.receivedAt, hourAgo),
        ),
      );
    if (Number(fromClient!.n) >= REPORTS_PER_CLIENT_PER_HOUR) throw throttled('from this address');
    const [onMessage] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(messageReports)
      .where(eq(messageReports.messageRef, options.ref));
    if (Number(onMessage!.n) >= REPORTS_PER_MESSAGE) throw throttled('on this message');

    const id = randomUUID();
    const orgKeys = await options.keys.forOrg(tx, m.orgId);
    await tx.insert(messageReports).values({
      id,
      orgId: m.orgId,
      outboxId: m.id,
      messageRef: options.ref,
      channel: m.channel,
      reason: input.reason,
      comment: comment
        ? seal(orgKeys.encryption, Buffer.from(comment, 'utf8'), commentAad(m.orgId, id))
        : null,
      clientHash: hash,
      receivedAt: now,
    });
    await recordAudit(
      tx,
      {
        actor: `recipient:${options.ref}`,
        action: 'report.record',
        orgId: m.orgId,
        entityType: 'message_report',
        entityId: id,
        summary: { reason: input.reason, channel: m.channel, comment: comment !== null },
      },
      options.clock,
    );
    await notifyDpo(tx, {
      keys: options.keys,
      orgId: m.orgId,
      ...reportAlert(m.jurisdiction === 'EU' ? 'en' : 'fr', {
        id,
        reason: input.reason,
        channel: m.channel,
        at: now,
      }),
      now,
    });
    return { id };
  });
}

const REASON_WORDS: Record<'fr' | 'en', Record<ReportReason, string>> = {
  fr: {
    no_consent: 'pas de consentement',
    had_objected: 's’était déjà opposé',
    no_way_to_stop: 'aucun moyen de se désinscrire',
    during_silence: 'pendant la période de silence',
    other_peoples_data: 'données d’autres personnes',
    other: 'autre',
  },
  en: {
    no_consent: 'no consent',
    had_objected: 'had objected before',
    no_way_to_stop: 'no way to stop the messages',
    during_silence: 'during the silence period',
    other_peoples_data: 'other people’s data',
    other: 'other',
  },
};

/**
 * The DPO's alert, in the organisation's language (French for FR and MA organisations, English
 * for EU ones): what and when, never who, never the voter's words.
 */
export function reportAlert(
  lang: 'fr' | 'en',
  r: { id: string; reason: ReportReason; channel: string; at: Date },
): { subject: string; text: string } {
  const reason = `${REASON_WORDS[lang][r.reason]} (${r.reason})`;
  if (lang === 'fr')
    return {
      subject: `Isoloir : un message a été signalé (${REASON_WORDS.fr[r.reason]})`,
      text: [
        `Un destinataire a signalé un message (REP-1).`,
        `Motif : ${reason}. Canal : ${r.channel}. Reçu le : ${r.at.toISOString()}.`,
        `Signalement : ${r.id}`,
        '',
        'Lisez-le avec la fiche de conformité du message dans l’espace de travail (Signalements),',
        'ou avec `isoloir report list --org <organisation>`.',
      ].join('\n'),
    };
  return {
    subject: `Isoloir: a message was reported (${REASON_WORDS.en[r.reason]})`,
    text: [
      `A recipient reported a message (REP-1).`,
      `Reason: ${reason}. Channel: ${r.channel}. Received: ${r.at.toISOString()}.`,
      `Report: ${r.id}`,
      '',
      'Read it with its compliance record in the workspace (Reports), or with',
      '`isoloir report list --org <organisation>`.',
    ].join('\n'),
  };
}

export type ReportItem = {
  id: string;
  ref: string;
  channel: string;
  reason: ReportReason;
  receivedAt: string;
  /** The voter's words, opened for the DPO only. */
  comment: string | null;
  /** The message's compliance record; null once the message itself is gone (campaign deleted). */
  record: ComplianceRecord | null;
};

/** The organisation's reports, newest first, each with its record; audited `report.read`. */
export async function listReports(
  db: Db,
  options: { keys: KeyRing; orgId: string; actor: Actor; clock: Clock; publicUrl?: string },
): Promise<{ items: ReportItem[] }> {
  const rows = await db
    .select()
    .from(messageReports)
    .where(eq(messageReports.orgId, options.orgId))
    .orderBy(desc(messageReports.receivedAt), desc(messageReports.id));
  const orgKeys = rows.length ? await options.keys.forOrg(db, options.orgId) : undefined;
  const items: ReportItem[] = [];
  for (const r of rows) {
    const record =
      r.outboxId === null
        ? null
        : await complianceRecord(db, {
            keys: options.keys,
            orgId: options.orgId,
            outboxId: r.outboxId,
            ...(options.publicUrl !== undefined ? { publicUrl: options.publicUrl } : {}),
          }).catch((error: unknown) => {
            if (error instanceof DomainError && error.code === 'not_found') return null;
            throw error;
          });
    items.push({
      id: r.id,
      ref: r.messageRef,
      channel: r.channel,
      reason: r.reason,
      receivedAt: r.receivedAt.toISOString(),
      comment: r.comment
        ? open(orgKeys!.encryption, r.comment, commentAad(r.orgId, r.id)).toString('utf8')
        : null,
      record,
    });
  }
  await recordAudit(
    db,
    {
      actor: options.actor,
      action: 'report.read',
      orgId: options.orgId,
      entityType: 'organisation',
      entityId: options.orgId,
      summary: { reports: items.length },
    },
    options.clock,
  );
  return { items };
}

export type ReportCounts = {
  total: number;
  byChannel: Record<string, number>;
  byReason: Record<string, number>;
};

/** Reports by channel and by reason (the dashboard): counts only. */
export async function reportCounts(db: Db, options: { orgId: string }): Promise<ReportCounts> {
  const rows = await db
    .select({
      channel: messageReports.channel,
      reason: messageReports.reason,
      n: sql<number>`count(*)::int`,
    })
    .from(messageReports)
    .where(eq(messageReports.orgId, options.orgId))
    .groupBy(messageReports.channel, messageReports.reason);
  const byChannel: Record<string, number> = {};
  const byReason: Record<string, number> = {};
  let total = 0;
  for (const r of rows) {
    const n = Number(r.n);
    total += n;
    byChannel[r.channel] = (byChannel[r.channel] ?? 0) + n;
    byReason[r.reason] = (byReason[r.reason] ?? 0) + n;
  }
  return { total, byChannel, byReason };
}
