// The seam between the send engine and the world: a Channel hands one message over and says how
// it went. Temporary failures are retried with backoff; permanent ones are recorded.
import type { OutgoingEmail } from '../domain/outreach/compose.ts';

export type SendResult = { ok: true } | { ok: false; temporary: boolean; error: string };

export interface Channel {
  readonly name: string;
  send(message: OutgoingEmail): Promise<SendResult>;
  close(): Promise<void>;
}
