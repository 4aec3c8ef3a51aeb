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
