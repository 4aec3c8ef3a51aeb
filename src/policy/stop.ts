// OPT-1: an SMS reply that is a STOP keyword (alone, any case, accents, spacing) is an objection.
import type { Pack } from './packs.ts';

const fold = (s: string) => s.normalize('NFKC').trim().replace(/\s+/g, ' ').toUpperCase();

export function isStopMessage(pack: Pack, text: string): boolean {
  const reply = fold(text).replace(/[.!]+$/, '');
  return pack.stopKeywords.some((k) => fold(k) === reply);
}
