// The shapes the API answers with, as the app uses them (see README's HTTP API and docs/).
export type Membership = { orgId: string; role: string };
export type StaffUser = {
  id: string;
  email: string;
  displayName: string;
  isAdmin: boolean;
  secondFactor: boolean;
  disabled: boolean;
  memberships: Membership[];
};
export type SecondFactorState = 'done' | 'required' | 'enrolment_required' | 'not_required';
export type SessionInfo = {
  user: StaffUser;
  permissions: Record<string, string[]>;
  secondFactor: SecondFactorState;
  /** Signed in with a handed-over first password: it must be changed before anything else. */
  passwordChangeRequired: boolean;
  csrfToken: string | null;
};
export type Organisation = {
  id: string;
  legalName: string;
  jurisdiction: 'FR' | 'MA' | 'EU';
  contactEmail: string;
  contactPhone?: string | null;
  dpoEmail: string;
  noticePurposes: string | null;
  noticeRecipients: string | null;
};
export type Election = { id: string; name: string; rounds: { round: number; date: string }[] };
/** CAL-1: one vote's silence in one time zone (GET /api/orgs/:orgId/silences). */
export type Silence = {
  rule: 'CAL-1';
  electionId: string;
  name: string;
  voteDate: string;
  from: string;
  until: string;
  timeZone: string;
  territory: string[];
};
export type Source = {
  id: string;
  type: string;
  label: string;
  obtainedOn: string;
  electionId: string | null;
  publicDescription?: string | null;
};
export type Reach = { email: number; sms: number; phone: number; post: number };
export type Count = { total: number; reachable: Reach };
export type Dashboard = {
  contacts: number;
  reachable: Reach;
  bySource: { sourceId: string; label: string; type: string; contacts: number }[];
  objections: { total: number; byMethod: Record<string, number> };
  campaigns: Record<string, number>;
  /** REP-1: reports of messages, counted by channel and by reason. */
  reports: ReportCounts;
};
export type ReportCounts = {
  total: number;
  byChannel: Record<string, number>;
  byReason: Record<string, number>;
};
/** RIGHTS-1: a request in the DPO's queue (GET /api/orgs/:orgId/requests), nothing personal. */
export type RightsRequest = {
  id: string;
  kind: 'access' | 'rectification' | 'erasure' | 'restriction' | 'objection';
  status: 'awaiting_code' | 'locked' | 'expired' | 'open' | 'extended' | 'answered';
  receivedAt: string;
  dueAt: string;
  /** Where the code and the replies go: the person's email or phone. */
  channel: 'email' | 'phone';
  extended: boolean;
  outcome: string | null;
  answeredAt: string | null;
};
/** GET /api/requests/:requestId: the item, what the person asked for, the message it came from. */
export type RightsRequestDetail = RightsRequest & {
  details: string | null;
  extensionReason: string | null;
  answerNote: string | null;
  messageRef: string | null;
  contactIds: string[] | null;
};
/** REP-1: everything the DPO needs to judge a reported message (GET /api/orgs/:orgId/reports). */
export type ComplianceRecord = {
  message: { ref: string; channel: string; state: string; sentAt: string | null };
  campaign: {
    id: string;
    subject: string;
    state: string;
    createdBy: string | null;
    createdAt: string | null;
    plannedBy: string | null;
    plannedAt: string | null;
    sentBy: string | null;
    sentAt: string | null;
  } | null;
  segmentFilter: unknown;
  source: {
    id: string;
    type: string;
    label: string;
    obtainedOn: string | null;
    attestation: {
      provider: string;
      date: string;
      consentWording: string;
      proofReference: string;
    } | null;
    collection: { where?: string; notice?: string } | null;
    publicDescription: string | null;
  } | null;
  consent: {
    action: string;
    purpose?: string;
    wording: string | null;
    method: string;
    occurredAt: string;
    recordedAt?: string;
    recordedBy: string | null;
  }[];
  /** CAL-1: the silence windows of the organisation's elections, in the recipient's zone. */
  silence: {
    electionId: string;
    electionName: string;
    voteDate?: string;
    timeZone?: string;
    from: string;
    to: string;
    /** The message left inside this window. */
    sentDuring?: boolean;
  }[];
  /** The notice as it read for this message, written again from its facts; null without a source. */
  notice: string | null;
  /** A withdrawal on that channel before the send; null when it can no longer be known. */
  objectedBefore: boolean | null;
  contactHeld: boolean;
  /** The recipient objected since, and was erased. */
  recipientObjected?: boolean;
};
export type MessageReport = {
  id: string;
  ref: string;
  channel: string;
  reason: string;
  receivedAt: string;
  /** The voter's own words, if any. */
  comment: string | null;
  /** Null once the message itself is gone. */
  record: ComplianceRecord | null;
};
export type ColumnPreview = {
  header: string;
  field: string | null;
  dropped?: {
    reason: 'not_a_field' | 'never_stored' | 'no_email_from_this_source' | 'forbidden_criterion';
    rule?: string;
  };
};
export type ImportPreview = {
  format: { kind: 'csv' | 'xlsx'; encoding?: string; delimiter?: string; sheet?: string };
  columns: ColumnPreview[];
  rows: number;
  fields: string[];
  /** SEG-2 / SRC-2: the rule of each dropped column. */
  droppedRules?: Record<string, string>;
};
export type ImportSummary = {
  importId: string;
  status: string;
  read: number;
  imported: number;
  merged: number;
  rejected: number;
  suppressed: number;
  dropped: Record<string, number>;
  unmappedColumns: string[];
  blankRows: number;
  /** SEG-2 / SRC-2: the rule of each dropped column ({"Religion": "SEG-2"}). */
  droppedRules?: Record<string, string>;
  /** SEG-2: cells outside a closed vocabulary, by field ({"csp": 2}). */
  rejectedCells?: Record<string, number>;
  /** Fields not stored because their value is invalid; the rows were kept ({"phone": 1}). */
  invalidFields?: Record<string, number>;
};
/** A quarantined line: `rejected` (not imported) or `kept` (imported without the invalid fields). */
export type Rejection = { line: number; reason: string; kind?: 'rejected' | 'kept' };
/** A person found by POST /api/orgs/:orgId/contacts/search (issue 15). */
export type ContactHit = {
  contactId: string;
  firstNames: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  sourceTypes: string[];
};
/** GET /api/contacts/:contactId: the contact's page. */
export type ContactRecord = {
  id: string;
  identity: Record<string, string>;
  attributes: Record<string, string | number>;
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
export type SegmentField = {
  field: string;
  ops: string[];
  describe: string;
  /** SEG-2: a closed vocabulary (csp: INSEE PCS 2020 codes with their French labels). */
  values?: { code: string; label: string; level: string }[];
  /** SEG-2: a strict format (pollingStation: four digits). */
  format?: string;
};
export type Segment = { id: string; name: string; filter: unknown };
export type Campaign = {
  id: string;
  state: string;
  subject: string;
  fromName: string;
  fromEmail: string;
  segmentId: string | null;
  createdAt: string;
  /** The last plan, kept with the campaign. */
  plan: Omit<Plan, 'campaignId' | 'state'> | null;
};
export type Plan = {
  campaignId: string;
  state: string;
  recipients: number;
  exclusions: { no_address: number; no_consent: number; objected: number; no_source?: number };
  violations: { rule: string; message: string }[];
};
export type CampaignStatus = {
  id: string;
  /** draft, planned, sending, paused, done, done_with_unknown (some outcomes unknown), cancelled. */
  state: string;
  counts: Record<string, number>;
};
/** POST /api/campaigns/:id/resend-unknown: how many unknown messages were queued again. */
export type ResendUnknownResult = { id: string; requeued: number; state: string };
export type MessagePreview = {
  from: string;
  to: string;
  subject: string;
  headers: Record<string, string>;
  html: string;
  text: string;
  attachments: string[];
};
export type ExportRequest = {
  id: string;
  segmentId: string | null;
  filter: unknown;
  status: string;
  format: string;
  reason: string;
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decisionNote: string | null;
};
export type AuditEvent = {
  /** Order of appending: always there. */
  id: number;
  /** Position in the hash chain: null until the event is chained (within about a second). */
  seq: number | null;
  at: string;
  actor: string;
  action: string;
  entityType: string;
  entityId: string | null;
  summary: Record<string, unknown>;
};
