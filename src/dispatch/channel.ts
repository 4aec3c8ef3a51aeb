// The seam between the send engine and the world: a Channel hands one message over and says how
// it went. Temporary failures are retried with backoff; permanent ones are recorded.
import type { OutgoingEmail } from '../domain/outreach/compose.ts';

export type SendResult =
  | { ok: true }
  /** `unknown`: the server may have the message (the connection broke after it was handed
   * over); recorded as such, never retried, so it is not sent twice. */
  | { ok: false; temporary: boolean; unknown?: boolean; error: string };

export interface Channel {
  readonly name: string;
  /**
   * How many messages the channel can have in flight at once (the SMTP pool's connections). The
   * engine never hands it more than that unanswered: nothing waits in a queue inside the process,
   * where a crash would strand it between "handed over" and "sent".
   */
  readonly capacity: number;
  send(message: OutgoingEmail): Promise<SendResult>;
  close(): Promise<void>;
}
