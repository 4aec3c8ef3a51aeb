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

/** How many columns each rule dropped ({"SEG-2": 2, "SRC-2": 1}): for the audit, no header. */
export function countByRule(droppedRules: Record<string, string>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const rule of Object.values(droppedRules)) counts[rule] = (counts[rule] ?? 0) + 1;
  return counts;
}
