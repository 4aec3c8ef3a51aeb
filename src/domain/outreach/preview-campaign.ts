// The composer's preview: the exact message one sample recipient of the campaign would receive,
// composed by the same code as the send (merge fields, the notice from that person's own
// provenance, headers), with a placeholder unsubscribe link so that the preview cannot object for
// them. It shows one person's identifiers, so it is audited like any other read of them.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import { packFor } from '../../policy/packs.ts';
import { recordAudit } from '../audit/record-audit.ts';
import { openIdentity } from '../contacts/identity.ts';
import { DomainError } from '../errors.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import { getOrganisation } from '../organisations/organisations.ts';
import { compileFilter } from '../segments/compile.ts';
import { parseFilter } from '../segments/filter.ts';
import { getSegment } from '../segments/segments.ts';
import { isoDate, type Actor, type Clock } from '../validation.ts';
import { campaignAttachmentsOf, getCampaign } from './campaigns.ts';
import { composeEmail } from './compose.ts';
import { EMAIL_REACHABLE } from './plan-campaign.ts';
import { recipientProvenance } from './provenance.ts';

export type CampaignPreview = {
  contactId: string;
  from: string;
  to: string;
  subject: string;
  headers: Record<string, string>;
  html: string;
  text: string;
  attachments: string[];
};

export async function previewCampaign(
  db: Db,
  options: {
    keys: KeyRing;
    campaignId: string;
    publicUrl: string;
    mailDomain: string;
    /** As the send engine: the mailto unsubscribe address only when replies are processed. */
    unsubscribeByReply?: boolean | undefined;
    actor: Actor;
    clock: Clock;
  },
): Promise<CampaignPreview> {
  const campaign = await getCampaign(db, options);
  const org = await getOrganisation(db, { orgId: campaign.orgId });
  const now = options.clock();
  const filter = campaign.segmentId
    ? (await getSegment(db, { segmentId: campaign.segmentId })).filter
    : campaign.filter;
  // A filter the policy now refuses throws SEG-2 here, as planning would.
  const condition = compileFilter(parseFilter(packFor(org.jurisdiction), filter), {
    referenceYear: now.getUTCFullYear(),
  });
  const found = (await db.execute(sql`
    select c.id, c.identity from contacts c
    where c.org_id = ${org.id} and ${condition} and ${EMAIL_REACHABLE}
    order by c.id limit 1`)) as unknown as { rows: { id: string; identity: Uint8Array }[] };
  const row = found.rows[0];
  if (!row)
    throw DomainError.keyed(
      'conflict',
      'campaign.preview_nobody_reachable',
      'nobody in this campaign’s segment may lawfully receive email (CH-EMAIL): there is no one to preview',
      {},
      'CH-EMAIL',
    );
  const orgKeys = await options.keys.forOrg(db, org.id);
  const identity = openIdentity(orgKeys, org.id, row.id, Buffer.from(row.identity));
  const provenance = (await recipientProvenance(db, [row.id])).get(row.id);
  if (!provenance)
    throw DomainError.keyed(
      'conflict',
      'campaign.preview_no_provenance',
      'the sample recipient has no provenance',
      {},
      'SRC-6',
    );
  const message = composeEmail({
    org,
    campaign,
    identity,
    provenance,
    messageRef: 'preview',
    unsubscribeUrl: `${options.publicUrl}/u/preview`,
    privacyUrl: `${options.publicUrl}/privacy/${org.id}`,
    messageUrl: `${options.publicUrl}/m/preview`,
    ...(options.unsubscribeByReply && {
      unsubscribeMailto: `mailto:unsubscribe+preview@${options.mailDomain}?subject=unsubscribe`,
    }),
    domain: options.mailDomain,
    today: isoDate(now),
  });
  await recordAudit(
    db,
    {
      actor: options.actor,
      action: 'contact.read',
      orgId: org.id,
      entityType: 'contact',
      entityId: row.id,
      summary: { purpose: 'campaign_preview', campaignId: campaign.id },
    },
    options.clock,
  );
  const attachments = (await campaignAttachmentsOf(db, campaign.id)).map((a) => a.fileName);
  return {
    contactId: row.id,
    from: `${message.from.name} <${message.from.address}>`,
    to: message.to,
    subject: message.subject,
    headers: { 'Message-ID': message.messageId, ...message.headers },
    html: message.html,
    text: message.text,
    attachments,
  };
}
