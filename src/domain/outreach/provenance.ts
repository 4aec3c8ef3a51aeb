// Each recipient's own provenance on one channel, for their notice (NOT-1): the source that
// supplied the address or number this channel uses (not the contact's first source), its id
// (recorded on the message when it is sent, so the message's page names the same source,
// RIGHTS-2), when it was obtained and how the organisation describes it publicly, the last round
// of its election and the first message actually sent to the contact (retention, RET-2), and
// whether the channel rests on recorded consent (the legal basis). A contact whose identifier has
// no known source is absent from the map: its notice cannot be written, and nothing is sent to it.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import type { Channel, SourceTypeName } from '../../policy/packs.ts';
import { identifierSource } from '../contacts/reachability.ts';
import type { RecipientProvenance } from './notice.ts';

export async function recipientProvenance(
  db: Db,
  contactIds: string[],
  channel: Channel = 'email',
): Promise<Map<string, RecipientProvenance>> {
  if (contactIds.length === 0) return new Map();
  const sourceColumn = sql.raw(`c.${identifierSource(channel)}_source_id`);
  const consent = sql.raw(`c.consent_${channel}`);
  const result = (await db.execute(sql`
    select c.id as contact_id, s.id as source_id, s.type, s.obtained_on::text as obtained_on, s.public_description,
      (${consent} = 'granted') as consented,
      to_char(c.first_message_at at time zone 'UTC', 'YYYY-MM-DD') as first_message,
      (select max(r.vote_date)::text from election_rounds r where r.election_id = s.election_id) as last_round
    from contacts c join data_sources s on s.id = ${sourceColumn}
    where c.id = any(${sql.param(contactIds)}::uuid[])`)) as unknown as {
    rows: {
      contact_id: string;
      source_id: string;
      type: string;
      obtained_on: string;
      public_description: string | null;
      consented: boolean | null;
      first_message: string | null;
      last_round: string | null;
    }[];
  };
  return new Map(
    result.rows.map((r) => [
      r.contact_id,
      {
        channel,
        sourceId: r.source_id,
        sourceType: r.type as SourceTypeName,
        obtainedOn: r.obtained_on,
        publicDescription: r.public_description,
        consented: Boolean(r.consented),
        ...(r.first_message ? { firstMessage: r.first_message } : {}),
        ...(r.last_round ? { lastRound: r.last_round } : {}),
      },
    ]),
  );
}
