// The contact's page for staff (issue 15, item 5): everything the organisation holds about one
// person and where it came from, to answer a letter or a call. Reading it opens the identity, so
// it is audited as a read of identifiers (contact.read, SEC-2).
import { and, arrayContains, asc, eq } from 'drizzle-orm';
import type { Db } from '../../db/open-db.ts';
import {
  assignmentContacts,
  assignments,
  campaigns,
  consentEntries,
  contactProvenance,
  contactRectifications,
  dataSources,
  outbox,
  rightsRequests,
} from '../../db/schema/index.ts';
import type { KeyRing } from '../organisations/key-ring.ts';
import type { Actor } from '../validation.ts';
import { getContact, type ContactAttributes } from './contacts.ts';
import type { ContactIdentity } from './identity.ts';

export type ContactRecord = {
  id: string;
  identity: ContactIdentity;
  attributes: ContactAttributes;
  provenance: {
    sourceId: string;
    type: string;
    label: string;
    obtainedOn: string;
    recordedAt: string;
  }[];
  consent: {
    channel: string;
    purpose: string;
    action: string;
    wording: string | null;
    method: string;
    occurredAt: string;
    recordedBy: string;
  }[];
  messages: {
    ref: string;
    campaignId: string;
    subject: string;
    channel: string;
    state: string;
    sentAt: string | null;
  }[];
  assignments: { id: string; name: string }[];
  requests: { id: string; kind: string; status: string; dueAt: string }[];
  rectifications: { field: string; rectifiedAt: string; rectifiedBy: string }[];
};

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

export async function contactRecord(
  db: Db,
  options: { keys: KeyRing; orgId: string; contactId: string; actor: Actor },
): Promise<ContactRecord> {
  // Refuses an unknown id (not_found) and audits the read of identifiers.
  const contact = await getContact(db, options);
  const id = contact.id;
  const { identity, provenance: _p, orgId: _o, id: _i, ...attributes } = contact;
  const provenance = await db
    .select({
      sourceId: contactProvenance.sourceId,
      type: dataSources.type,
      label: dataSources.label,
      obtainedOn: dataSources.obtainedOn,
      recordedAt: contactProvenance.recordedAt,
    })
    .from(contactProvenance)
    .innerJoin(dataSources, eq(dataSources.id, contactProvenance.sourceId))
    .where(eq(contactProvenance.contactId, id))
    .orderBy(asc(contactProvenance.id));
  const consent = await db
    .select({
      channel: consentEntries.channel,
      purpose: consentEntries.purpose,
      action: consentEntries.action,
      wording: consentEntries.wording,
      method: consentEntries.method,
      occurredAt: consentEntries.occurredAt,
      recordedBy: consentEntries.recordedBy,
    })
    .from(consentEntries)
    .where(eq(consentEntries.contactId, id))
    .orderBy(asc(consentEntries.channel), asc(consentEntries.occurredAt), asc(consentEntries.id));
  const messages = await db
    .select({
      ref: outbox.messageRef,
      campaignId: outbox.campaignId,
      subject: campaigns.subject,
      channel: outbox.channel,
      state: outbox.state,
      sentAt: outbox.sentAt,
    })
    .from(outbox)
    .innerJoin(campaigns, eq(campaigns.id, outbox.campaignId))
    .where(eq(outbox.contactId, id))
    .orderBy(asc(outbox.id));
  const assigned = await db
    .select({ id: assignments.id, name: assignments.label })
    .from(assignmentContacts)
    .innerJoin(assignments, eq(assignments.id, assignmentContacts.assignmentId))
    .where(eq(assignmentContacts.contactId, id))
    .orderBy(asc(assignments.createdAt));
  const requests = await db
    .select({
      id: rightsRequests.id,
      kind: rightsRequests.kind,
      status: rightsRequests.status,
      dueAt: rightsRequests.dueAt,
    })
    .from(rightsRequests)
    .where(
      and(eq(rightsRequests.orgId, options.orgId), arrayContains(rightsRequests.contactIds, [id])),
    )
    .orderBy(asc(rightsRequests.receivedAt));
  const rectifications = await db
    .select({
      field: contactRectifications.field,
      rectifiedAt: contactRectifications.rectifiedAt,
      rectifiedBy: contactRectifications.rectifiedBy,
    })
    .from(contactRectifications)
    .where(eq(contactRectifications.contactId, id))
    .orderBy(asc(contactRectifications.id));
  return {
    id,
    identity,
    attributes,
    provenance: provenance.map((p) => ({ ...p, recordedAt: iso(p.recordedAt) })),
    consent: consent.map((c) => ({ ...c, occurredAt: iso(c.occurredAt) })),
    messages: messages.map((m) => ({ ...m, sentAt: m.sentAt ? iso(m.sentAt) : null })),
    assignments: assigned,
    requests: requests.map((r) => ({ ...r, dueAt: iso(r.dueAt) })),
    rectifications: rectifications.map((r) => ({ ...r, rectifiedAt: iso(r.rectifiedAt) })),
  };
}
