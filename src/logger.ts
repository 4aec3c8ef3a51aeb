// Structured logs on stderr. Log events and ids, never personal data (names, emails, phones,
// addresses, request bodies): nothing here serialises a request body or a contact.
import pino from 'pino';
import type { Config } from './config.ts';

export type Logger = pino.Logger;

export function createLogger(level: Config['logLevel']): Logger {
  return pino({ level, base: { service: 'isoloir' } }, pino.destination(2));
}
