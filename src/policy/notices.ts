// NOT-1 / NOT-2: the notice every first message carries, and what is missing from it.
import type { NoticeElement, Pack } from './packs.ts';
import type { Violation } from './rules.ts';

export type NoticeFacts = Partial<Record<NoticeElement, string | undefined | null>>;

const LABELS: Record<NoticeElement, string> = {
  controller: 'who sends it (the controller)',
  controllerContact: "the controller's contact",
  source: 'how the data was obtained (its source)',
  legalBasis: 'the legal basis of the processing (GDPR art. 13(1)(c))',
  purposes: 'what it is used for',
  recipients: 'who receives it',
  retention: 'how long it is kept',
  rightsContact: 'how and with whom to exercise rights',
  regulator: 'the regulator one may complain to',
  objection: 'how to object',
};

export function checkNotice(pack: Pack, facts: NoticeFacts): Violation[] {
  const missing = pack.noticeElements.filter((e) => !facts[e]?.trim());
  return missing.map((e) => ({ rule: 'NOT-1', message: `the notice does not say ${LABELS[e]}` }));
}
