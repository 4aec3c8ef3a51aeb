// RET-2: data from a source kept "two months after the first message" is kept from the first
// message ACTUALLY sent to the contact. The send engine records it once, in the transaction that
// marks the messages sent; later sends keep the first date (coalesce), so every notice the
// contact receives states the same retention date.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';

export async function recordFirstMessages(db: Db, contactIds: string[], at: Date): Promise<void> {
  if (contactIds.length === 0) return;
  await db.execute(sql`
    update contacts set first_message_at = coalesce(first_message_at, ${at.toISOString()}::timestamptz)
    where id = any(${sql.param(contactIds)}::uuid[]) and first_message_at is null`);
}
