// The closed catalogue of audit events: nothing else can be written to the log.
export const AUDIT_ACTIONS = [
  'organisation.create',
  'organisation.update',
  'election.create',
  'source.create',
  'source.delete',
  'import.run',
  'import.read_rejected',
  'contact.read',
  'consent.record',
  'segment.save',
  'segment.update',
  'segment.delete',
  'segment.preview_identifiers',
  'token.create',
  'audit.checkpoint',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
