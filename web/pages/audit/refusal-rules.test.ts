// The audit screen's rule picker offers real rule ids only, and every rule whose refusals issue 12
// asks to audit (SEG-2, SRC-1, SRC-3, SRC-7, CH-AUTO, CAL-1, SEC-3, ACC-2).
import { describe, expect, it } from 'vitest';
import { RULES } from '../../../src/policy/rules.ts';
import { REFUSAL_RULES, refusalOf } from './refusal-rules.ts';

describe('audit screen: refusals', () => {
  it('offers rulebook ids only, including every audited rule', () => {
    for (const r of REFUSAL_RULES) expect(Object.keys(RULES)).toContain(r);
    for (const r of ['SEG-2', 'SRC-1', 'SRC-3', 'SRC-7', 'CH-AUTO', 'CAL-1', 'SEC-3', 'ACC-2'])
      expect(REFUSAL_RULES).toContain(r);
  });

  it('reads the rule ids of a policy.refuse event only', () => {
    expect(refusalOf('policy.refuse', { rules: ['SEG-2'], attempted: 'segment.count' })).toEqual({
      rules: ['SEG-2'],
      attempted: 'segment.count',
    });
    expect(refusalOf('campaign.plan', { rules: ['CAL-1'] })).toBeUndefined();
  });
});
