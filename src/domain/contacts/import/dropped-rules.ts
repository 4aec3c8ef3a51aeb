// Which rule drops each dropped column, for the import summary and the wizard's preview:
// SEG-2 for a header naming a forbidden criterion (and nationality), SRC-2 for a birthplace and
// for the email column of a source that never keeps emails (electoral and sign-in lists).
import type { SourceType } from '../../../db/schema/index.ts';
import type { ColumnPlan } from './columns.ts';
import { NO_EMAIL_SOURCES } from './normalise-row.ts';

export function droppedRulesOf(plan: ColumnPlan, sourceType: SourceType): Record<string, string> {
  const rules: Record<string, string> = { ...plan.droppedRules };
  if (NO_EMAIL_SOURCES.has(sourceType))
    plan.fields.forEach((f, i) => {
      if (f === 'email') rules[plan.headers[i]!] = 'SRC-2';
    });
  return rules;
}
