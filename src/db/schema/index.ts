// The whole schema, one file per area.
export * from './organisations.ts';
export * from './elections.ts';
export * from './sources.ts';
export * from './imports.ts';
export * from './contacts.ts';
export * from './consent.ts';
export * from './api-tokens.ts';
export * from './suppressions.ts';
export * from './segments.ts';
export * from './audit.ts';
export * from './staff.ts';
export * from './assignments.ts';
export * from './exports.ts';
export * from './campaigns.ts';
export * from './installation.ts';
export * from './rights.ts';
