// The rule ids a refused attempt (`policy.refuse`) can name, for the audit screen's rule picker.
// Restated from src/policy/rules.ts (the browser code imports nothing from src/); SEC-2 is left
// out, as its refusals (sign-in, a broken chain) are not recorded as refused attempts.
export const REFUSAL_RULES = [
  'SRC-1',
  'SRC-2',
  'SRC-3',
  'SRC-6',
  'SRC-7',
  'SRC-8',
  'SEG-2',
  'SEG-3',
  'CH-EMAIL',
  'CH-SMS',
  'CH-PHONE',
  'CH-AUTO',
  'CH-HOURS',
  'CH-CONSENT',
  'CAL-1',
  'NOT-1',
  'OPT-1',
  'SEC-1',
  'SEC-3',
  'RET-2',
  'ACC-2',
] as const;

/** The rule ids and attempted act of a refusal event's summary, or undefined for other events. */
export function refusalOf(
  action: string,
  summary: Record<string, unknown>,
): { rules: string[]; attempted: string } | undefined {
  if (action !== 'policy.refuse' || !Array.isArray(summary.rules)) return undefined;
  return {
    rules: summary.rules.filter((r): r is string => typeof r === 'string'),
    attempted: typeof summary.attempted === 'string' ? summary.attempted : '',
  };
}
