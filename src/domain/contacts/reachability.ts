// Who each channel may lawfully reach, as SQL over a contact row aliased `c`. Permission is per
// channel AND per address: each identifier carries the source that supplied it (and its type),
// so a relationship makes reachable only what that relationship's source gave (SRC-3, CH-*).
//   email / sms  -> an address / number, and consent naming political messages for the channel,
//                   or (no withdrawal and) it came from a relationship source (CH-EMAIL, CH-SMS);
//   phone / post -> a number / address from a lawful source, not withdrawn; one supplied by a
//                   purchased file needs that channel's consent (SRC-3, CH-PHONE, CH-POST).
// `supplied` says a source is known for the identifier the channel uses: without one the notice
// cannot name it (NOT-1) and nothing is sent. Segment counts, planning, the send engine's
// re-check and volunteer lists all read these, and nothing else.
import { sql, type SQL } from 'drizzle-orm';
import type { Channel } from '../../policy/packs.ts';
import { POLICY_PACKS } from '../../policy/packs.ts';

/** Source types whose people gave their details themselves (the packs agree; a test checks). */
const RELATIONSHIP = POLICY_PACKS.FR.relationshipSources;
/** Source types whose identifiers need the channel's own consent even for phone and post. */
const CONSENT_ONLY = ['purchased_file'] as const;

const list = (types: readonly string[]) => sql.raw(types.map((t) => `'${t}'`).join(', '));

/** The identifier each channel uses: its blind index / flag, and its source columns. */
const IDENTIFIER = {
  email: { present: 'c.email_bidx is not null', source: 'email' },
  sms: { present: 'c.phone_bidx is not null', source: 'phone' },
  phone: { present: 'c.phone_bidx is not null', source: 'phone' },
  post: { present: 'c.has_address', source: 'address' },
} as const satisfies Record<Channel, { present: string; source: string }>;

/** The contact column naming the source of the identifier a channel uses. */
export const identifierSource = (channel: Channel) => IDENTIFIER[channel].source;

/** May the channel reach the contact, as far as permission goes (not yet whether a source is known)? */
export function permitted(channel: Channel): SQL {
  const { present, source } = IDENTIFIER[channel];
  const consent = sql.raw(`c.consent_${channel}`);
  const type = sql.raw(`c.${source}_source_type`);
  // Null-safe comparisons throughout: the condition is true or false, never null, so that
  // `not permitted(...)` counts exclusions correctly.
  if (channel === 'email' || channel === 'sms')
    return sql`(${sql.raw(present)} and (${consent} is not distinct from 'granted'
      or (${consent} is null and ${type} is not null and ${type} in (${list(RELATIONSHIP)}))))`;
  return sql`(${sql.raw(present)} and ${type} is not null and ${consent} is distinct from 'withdrawn'
    and (${type} not in (${list(CONSENT_ONLY)}) or ${consent} is not distinct from 'granted'))`;
}

/** A source is known for the identifier the channel uses (the notice can name it, NOT-1). */
export function supplied(channel: Channel): SQL {
  return sql.raw(`(c.${IDENTIFIER[channel].source}_source_id is not null)`);
}

/** Permitted and with a known source: who a message on this channel may go to. */
export function reachable(channel: Channel): SQL {
  return sql`(${permitted(channel)} and ${supplied(channel)})`;
}
