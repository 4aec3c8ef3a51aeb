// Reads the service mail queued for an organisation (codes, replies, DPO alerts) without sending
// it: what a test needs to learn the one-time code that went to a voter's address.
import { and, asc, eq } from 'drizzle-orm';
import { notifications } from '../src/db/schema/index.ts';
import { openNotificationPayload, type ServiceMail } from '../src/domain/rights/notifications.ts';
import type { Services } from '../src/services.ts';

export type QueuedMail = ServiceMail & { id: number; kind: string; channel: string; state: string };

export async function queuedMail(s: Services, orgId: string): Promise<QueuedMail[]> {
  const rows = await s.db
    .select()
    .from(notifications)
    .where(and(eq(notifications.orgId, orgId)))
    .orderBy(asc(notifications.id));
  const out: QueuedMail[] = [];
  for (const row of rows)
    if (row.payload)
      out.push({
        id: row.id,
        kind: row.kind,
        channel: row.channel,
        state: row.state,
        ...(await openNotificationPayload(s.db, s.keys, {
          orgId: row.orgId,
          payload: row.payload,
        })),
      });
  return out;
}

/** The six-digit code in the latest code mail queued for `to`. */
export async function latestCode(s: Services, orgId: string, to: string): Promise<string> {
  const mail = (await queuedMail(s, orgId)).filter((m) => m.kind === 'rights_code' && m.to === to);
  const code = /\b(\d{6})\b/.exec(mail.at(-1)?.text ?? '')?.[1];
  if (!code) throw new Error(`no code mail queued for ${to}`);
  return code;
}
