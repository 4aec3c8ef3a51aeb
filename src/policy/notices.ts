// NOT-1 / NOT-2: the notice every first message carries, and what is missing from it.
import type { NoticeElement, Pack } from './packs.ts';
import type { Violation } from './rules.ts';

export type NoticeFacts = Partial<Record<NoticeElement, string | undefined | null>>;

/** What each missing element is called, and the stable key of its message (web/i18n/errors.ts). */
const LABELS: Record<NoticeElement, { label: string; key: string }> = {
  controller: { label: 'who sends it (the controller)', key: 'notice.missing_controller' },
  controllerContact: {
    label: "the controller's contact",
    key: 'notice.missing_controller_contact',
  },
  source: { label: 'how the data was obtained (its source)', key: 'notice.missing_source' },
  legalBasis: {
    label: 'the legal basis of the processing (GDPR art. 13(1)(c))',
    key: 'notice.missing_legal_basis',
  },
  purposes: { label: 'what it is used for', key: 'notice.missing_purposes' },
  recipients: { label: 'who receives it', key: 'notice.missing_recipients' },
  retention: { label: 'how long it is kept', key: 'notice.missing_retention' },
  rightsContact: {
    label: 'how and with whom to exercise rights',
    key: 'notice.missing_rights_contact',
  },
  regulator: { label: 'the regulator one may complain to', key: 'notice.missing_regulator' },
  objection: { label: 'how to object', key: 'notice.missing_objection' },
};

export function checkNotice(pack: Pack, facts: NoticeFacts): Violation[] {
  const missing = pack.noticeElements.filter((e) => !facts[e]?.trim());
  return missing.map((e) => ({
    rule: 'NOT-1',
    key: LABELS[e].key,
    message: `the notice does not say ${LABELS[e].label}`,
  }));
}
