// SEC-1: roles with least privilege. Each role is the list of what it may do in one organisation;
// routes declare the one permission they need (src/http/permit.ts) and a test walks them all.
export const PERMISSIONS = [
  'org.read', // the organisation's settings and elections
  'org.manage', // change settings, create elections
  'source.read',
  'source.manage',
  'import.run',
  'import.read', // import summaries (counts)
  'import.read_rejected', // quarantined rows: identifiers
  'contact.count', // aggregates only
  'segment.read',
  'segment.count',
  'segment.manage',
  'segment.preview_identifiers',
  'assignment.manage',
  'assignment.work', // a volunteer's own assigned contacts, task fields only
  'campaign.read',
  'campaign.manage',
  'campaign.send',
  'objection.record',
  'export.read',
  'export.request',
  'export.approve',
  'user.read',
  'user.manage',
  'token.create',
  'audit.read',
  // RIGHTS-1, REP-1: the DPO's queue of rights requests and reports (their compliance records).
  'request.read',
  'request.answer',
  'report.read',
  // Staff see people (issue 15): search by email, phone or name and birth date, the contact's
  // page; correct a field; erase. Identifiers: audited, second factor.
  'contact.search',
  'contact.rectify',
  'contact.erase',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** What a platform administrator may do outside any organisation. */
export const ADMIN_PERMISSIONS = ['org.create', 'user.admin'] as const;
export type AdminPermission = (typeof ADMIN_PERMISSIONS)[number];
export type AnyPermission = Permission | AdminPermission;

export const ROLES = ['owner', 'dpo', 'manager', 'volunteer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const AGGREGATES: Permission[] = [
  'org.read',
  'campaign.read',
  'source.read',
  'import.read',
  'contact.count',
  'segment.read',
  'segment.count',
];

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  // Runs the organisation; never approves its own exports (that is the DPO's four eyes).
  owner: PERMISSIONS.filter((p) => p !== 'export.approve' && p !== 'assignment.work'),
  // Data-protection officer: rights requests, audit, export approval, data quality.
  dpo: [
    ...AGGREGATES,
    'import.read_rejected',
    'export.read',
    'export.approve',
    'objection.record',
    'user.read',
    'token.create',
    'audit.read',
    'request.read',
    'request.answer',
    'report.read',
    'contact.search',
    'contact.rectify',
    'contact.erase',
  ],
  // Imports, segments, campaigns, assignments.
  manager: [
    ...AGGREGATES,
    'source.manage',
    'import.run',
    'import.read_rejected',
    'segment.manage',
    'segment.preview_identifiers',
    'assignment.manage',
    'campaign.manage',
    'campaign.send',
    'objection.record',
    'export.read',
    'export.request',
    'token.create',
  ],
  // Only the contacts assigned to them, only the task's fields; no export, no search.
  volunteer: ['org.read', 'assignment.work'],
  // Aggregates only.
  viewer: [...AGGREGATES, 'token.create'],
};

/** Permissions that reveal identifiers, export or send: their holders must use a second factor. */
export const SECOND_FACTOR_PERMISSIONS: readonly Permission[] = [
  'import.read_rejected',
  'segment.preview_identifiers',
  'assignment.work',
  'export.request',
  'export.approve',
  'campaign.send',
  'user.manage',
  'audit.read',
  'request.read',
  'request.answer',
  'report.read',
  'contact.search',
  'contact.rectify',
  'contact.erase',
];

export const roleAllows = (role: Role, permission: Permission) =>
  ROLE_PERMISSIONS[role].includes(permission);

export const roleNeedsSecondFactor = (role: Role) =>
  ROLE_PERMISSIONS[role].some((p) => SECOND_FACTOR_PERMISSIONS.includes(p));

export const isRole = (value: string): value is Role =>
  (ROLES as readonly string[]).includes(value);
export const isPermission = (value: string): value is Permission =>
  (PERMISSIONS as readonly string[]).includes(value);
export const isAdminPermission = (value: string): value is AdminPermission =>
  (ADMIN_PERMISSIONS as readonly string[]).includes(value);
