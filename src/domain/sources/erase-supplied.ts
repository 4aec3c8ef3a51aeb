// When a source is deleted, the identifiers it supplied to contacts kept through another source
// go too: the email, phone number or street address the deleted source brought is removed from
// the sealed identity (with its blind index / flag), since nothing lawful says any more where it
// came from (SRC-6) and no notice could name its source (NOT-1). The contact keeps what its other
// sources supplied. An identifier that another source ALSO supplied is recorded against the
// source giving most permission (suppliers.ts), so it is only erased when that one goes.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { indexIdentity, openIdentity, sealIdentity } from '../contacts/identity.ts';
import type { KeyRing } from '../organisations/key-ring.ts';

/**
 * A consent was given for the erased address or number: it stops applying (the contact's state
 * for that channel goes back to "no consent") so that an address a later file brings is not
 * "consented" by it. A withdrawal (an objection, OPT-1) is kept whatever happens. The ledger's
 * entries stay, as the record of what was given; a newer entry decides the state again.
 */
const consentReset = (sourceId: string) =>
  sql.join(
    (
      [
        ['email', 'email'],
        ['sms', 'phone'],
        ['phone', 'phone'],
        ['post', 'address'],
      ] as const
    ).map(([channel, identifier]) => {
      const state = sql.raw(`c.consent_${channel}`);
      return sql`${sql.raw(`consent_${channel}`)} = case when c.${sql.raw(identifier)}_source_id = ${sourceId}
        and ${state} = 'granted' then null else ${state} end`;
    }),
    sql`, `,
  );

export async function eraseSuppliedBy(
  tx: Db,
  options: { keys: KeyRing; orgId: string; sourceId: string },
): Promise<number> {
  const rows = (await tx.execute(sql`
    select id, identity, email_source_id = ${options.sourceId} as email,
      phone_source_id = ${options.sourceId} as phone, address_source_id = ${options.sourceId} as address
    from contacts
    where org_id = ${options.orgId} and (email_source_id = ${options.sourceId}
      or phone_source_id = ${options.sourceId} or address_source_id = ${options.sourceId})`)) as unknown as {
    rows: {
      id: string;
      identity: Uint8Array;
      email: boolean | null;
      phone: boolean | null;
      address: boolean | null;
    }[];
  };
  if (rows.rows.length === 0) return 0;
  const keys = await options.keys.forOrg(tx, options.orgId);
  const b64 = (b: Buffer | null) => (b ? b.toString('base64') : null);
  const updated = rows.rows.map((r) => {
    const identity = openIdentity(keys, options.orgId, r.id, Buffer.from(r.identity));
    if (r.email) delete identity.email;
    if (r.phone) delete identity.phone;
    if (r.address) delete identity.streetAddress;
    const ix = indexIdentity(keys, identity);
    return {
      id: r.id,
      identity: sealIdentity(keys, options.orgId, r.id, identity).toString('base64'),
      email: b64(ix.emailIndex),
      phone: b64(ix.phoneIndex),
      address: Boolean(identity.streetAddress),
    };
  });
  const col = <K extends keyof (typeof updated)[number]>(k: K) =>
    sql.param(updated.map((u) => u[k]));
  const src = options.sourceId;
  await tx.execute(sql`
    update contacts c set identity = decode(t.identity, 'base64'), email_bidx = decode(t.email, 'base64'),
      phone_bidx = decode(t.phone, 'base64'), has_address = t.has_address,
      email_source_id = case when c.email_source_id = ${src} then null else c.email_source_id end,
      email_source_type = case when c.email_source_id = ${src} then null else c.email_source_type end,
      phone_source_id = case when c.phone_source_id = ${src} then null else c.phone_source_id end,
      phone_source_type = case when c.phone_source_id = ${src} then null else c.phone_source_type end,
      address_source_id = case when c.address_source_id = ${src} then null else c.address_source_id end,
      address_source_type = case when c.address_source_id = ${src} then null else c.address_source_type end,
      ${consentReset(src)}
    from unnest(${col('id')}::uuid[], ${col('identity')}::text[], ${col('email')}::text[],
      ${col('phone')}::text[], ${col('address')}::boolean[]) as t(id, identity, email, phone, has_address)
    where c.id = t.id and c.org_id = ${options.orgId}`);
  return updated.length;
}
