// The hash of an event covers the previous hash and every field, in a canonical encoding
// (keys sorted at every level), so that the same event always hashes the same way.
import { createHash } from 'node:crypto';

export type ChainedFields = {
  seq: number;
  at: string;
  orgId: string | null;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  summary: Record<string, unknown>;
};

export const GENESIS = Buffer.alloc(32);

export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Timestamps compare as instants, whatever text form the database returns them in. */
const instant = (at: string) => new Date(at).toISOString();

export function eventHash(prevHash: Buffer, e: ChainedFields): Buffer {
  const body = canonical({ ...e, at: instant(e.at), prevHash: prevHash.toString('hex') });
  return createHash('sha256').update(body, 'utf8').digest();
}
