// Service mail (RIGHTS-1, REP-1): a rights request's one-time code, the replies to a request and
// the DPO's alerts. Not campaigns: each answers something the person or the DPO asked for, goes to
// one address, carries no marketing. Queued in the caller's transaction, so a mail exists exactly
// when what it announces committed; sent by dispatch/notification-sender.ts through the
// organisation's own channels. The payload (recipient, subject, text) is sealed under the
// organisation's data key and dropped once sent: a one-time code is never kept in clear.
import { eq } from 'drizzle-orm';
import { open, seal } from '../../crypto/aead.ts';
import type { Db } from '../../db/open-db.ts';
import { notifications, organisations, type NotificationKind } from '../../db/schema/index.ts';
import type { KeyRing } from '../organisations/key-ring.ts';

export type ServiceMail = { to: string; subject: string; text: string };

const aad = (orgId: string) => `isoloir:notification:${orgId}`;

export async function queueNotification(
  tx: Db,
  options: {
    keys: KeyRing;
    orgId: string;
    kind: NotificationKind;
    channel: 'email' | 'sms';
    mail: ServiceMail;
    now: Date;
  },
): Promise<number> {
  const keys = await options.keys.forOrg(tx, options.orgId);
  const payload = seal(
    keys.encryption,
    Buffer.from(JSON.stringify(options.mail), 'utf8'),
    aad(options.orgId),
  );
  const [row] = await tx
    .insert(notifications)
    .values({
      orgId: options.orgId,
      kind: options.kind,
      channel: options.channel,
      payload,
      nextAttemptAt: options.now,
      createdAt: options.now,
    })
    .returning({ id: notifications.id });
  return row!.id;
}

/** The mail of a queued notification (the sender, and tests that read a code). */
export async function openNotificationPayload(
  db: Db,
  keys: KeyRing,
  row: { orgId: string; payload: Buffer },
): Promise<ServiceMail> {
  const orgKeys = await keys.forOrg(db, row.orgId);
  return JSON.parse(open(orgKeys.encryption, row.payload, aad(row.orgId)).toString('utf8'));
}

/**
 * An alert to the organisation's DPO (a new request, a new report): what and when, never who.
 * The text must hold no personal data; the DPO reads the rest in the workspace.
 */
export async function notifyDpo(
  tx: Db,
  options: { keys: KeyRing; orgId: string; subject: string; text: string; now: Date },
): Promise<void> {
  const [org] = await tx
    .select({ dpoEmail: organisations.dpoEmail })
    .from(organisations)
    .where(eq(organisations.id, options.orgId));
  if (!org) return;
  await queueNotification(tx, {
    keys: options.keys,
    orgId: options.orgId,
    kind: 'dpo_alert',
    channel: 'email',
    mail: { to: org.dpoEmail, subject: options.subject, text: options.text },
    now: options.now,
  });
}
