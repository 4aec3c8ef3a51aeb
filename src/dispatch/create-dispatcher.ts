// Builds the dispatcher the settings ask for: SMTP (with DKIM when configured) or the log channel.
import { safeErrorDescription } from '../db/errors.ts';
import type { Logger } from '../logger.ts';
import type { Services } from '../services.ts';
import { logChannel } from './channels/log.ts';
import { smtpChannel } from './channels/smtp.ts';
import { Dispatcher, type DispatcherOptions } from './dispatcher.ts';
import { openHandoverLog } from './handover-log.ts';

/** Domain of Message-IDs and of the mailto unsubscribe address: the DKIM domain, else the public host. */
export const mailDomainOf = (email: Services['email']) =>
  email.dkim?.domain ?? new URL(email.publicUrl).hostname;

export function createDispatcher(
  services: Services,
  options: { logger?: Logger } & Partial<DispatcherOptions> = {},
): Dispatcher {
  const { email } = services;
  const embedded = services.database.kind === 'pglite';
  const channel = email.smtpUrl
    ? smtpChannel({ url: email.smtpUrl, ...(email.dkim ? { dkim: email.dkim } : {}) })
    : logChannel(options.logger);
  return new Dispatcher({
    db: services.db,
    keys: services.keys,
    clock: services.clock,
    channel,
    publicUrl: email.publicUrl,
    leaseMs: email.leaseSeconds * 1000,
    mailDomain: mailDomainOf(email),
    // The mailto: unsubscribe address is offered only when replies to it are processed (OPT-1).
    unsubscribeByReply: email.unsubscribeByReply ?? false,
    // The embedded database has one connection: parallel groups would only queue on it, and an
    // objection should wait behind one group at most, not a wave of them.
    ...(embedded && { parallelGroups: 1 }),
    // Never the raw error: a database error carries the query's parameters (personal data).
    onError: (error) =>
      options.logger?.error(
        { error: safeErrorDescription(error) },
        'dispatcher pass failed; retrying',
      ),
    ...options,
    // The hand-overs beside the database: its table, or a file in the data directory.
    handovers: options.handovers ?? openHandoverLog(services.database),
  });
}
