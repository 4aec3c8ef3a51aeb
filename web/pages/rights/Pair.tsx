// A term and its value, for the DPO's cards (requests, reports' compliance records).
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n.tsx';

/** A term and its value on one line (wrapping on a phone), with the language's colon. */
export function Pair({ term, value }: { term: string; value: ReactNode }) {
  const { lang } = useI18n();
  return (
    <div style={{ display: 'flex', flexWrap: 'wrap', gap: '0 0.4rem' }}>
      <dt style={{ fontWeight: 600 }}>
        {term}
        {lang === 'fr' ? ' :' : ':'}
      </dt>
      <dd style={{ margin: 0 }}>{value}</dd>
    </div>
  );
}
