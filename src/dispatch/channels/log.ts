// The embedded default: nothing leaves the machine. Each message is logged by its reference and
// size only, never its recipient or content (no personal data in logs).
import type { Logger } from '../../logger.ts';
import type { Channel } from '../channel.ts';

export function logChannel(logger?: Logger): Channel {
  return {
    name: 'log',
    capacity: 5,
    async send(message) {
      logger?.info(
        { ref: message.headers['X-Isoloir-Ref'], bytes: message.html.length + message.text.length },
        'email not sent (log channel: set ISOLOIR_SMTP_URL to send)',
      );
      return { ok: true };
    },
    async close() {},
  };
}
