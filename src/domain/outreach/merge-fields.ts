// Merge fields a subject or body may use, filled per recipient. Values from a contact never carry
// line breaks or control characters into a header: they become spaces.
import type { ContactIdentity } from '../contacts/identity.ts';

export const MERGE_FIELDS = ['firstName', 'lastName'] as const;

// eslint-disable-next-line no-control-regex -- replacing control characters is the point
const oneLine = (v: string) => v.replace(/[\u0000-\u001F\u007F]+/g, ' ').trim();

export function mergeValues(identity: ContactIdentity): Record<string, string> {
  return {
    firstName: oneLine(identity.firstNames?.split(/\s+/)[0] ?? ''),
    lastName: oneLine(identity.usageName ?? identity.birthName ?? ''),
  };
}

export function merge(
  template: string,
  values: Record<string, string>,
  escape: (v: string) => string = (v) => v,
): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => escape(values[name] ?? ''));
}
