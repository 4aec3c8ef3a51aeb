// The jurisdiction packs as data: what each regulator's rules say in numbers and lists.
// Pure checks over them live beside (targeting.ts, channels.ts, calendar.ts, notices.ts,
// retention.ts, stop.ts); they return violations and never throw for a rule.
import { PACKS as BASE, type Jurisdiction, type JurisdictionPack } from './jurisdictions.ts';

export type Channel = 'email' | 'sms' | 'phone' | 'post';
export type SourceTypeName =
  | 'electoral_list'
  | 'signin_list'
  | 'member_file'
  | 'supporter_signup'
  | 'purchased_file'
  | 'referral'
  | 'door_to_door';

/** What a channel needs before a contact may be reached on it. */
export type ChannelRequirement =
  /** Recorded consent naming political messages, or an existing relationship (CH-EMAIL, CH-SMS). */
  | 'consent_or_relationship'
  /** A lawful source is enough, unless the person objected (CH-PHONE, CH-POST). */
  | 'lawful_source';

export type RetentionRule =
  | { kind: 'after_last_round'; graceDays: number }
  | { kind: 'after_single_message'; months: number }
  | { kind: 'end_of_relationship' };

export type Pack = JurisdictionPack & {
  timeZone: string;
  /** Fields a segment may filter on (SEG-1 and the organisation's own data). */
  targetingFields: readonly string[];
  channels: Record<
    Channel,
    { requirement: ChannelRequirement; rule: 'CH-EMAIL' | 'CH-SMS' | 'CH-PHONE' | 'CH-POST' }
  >;
  /** Sources whose people gave their details themselves: an existing relationship. */
  relationshipSources: readonly SourceTypeName[];
  /** CH-HOURS: SMS and calls only on these days (0 = Sunday) and hours, in the recipient's zone. */
  sendWindow: { days: readonly number[]; from: string; until: string };
  /** CAL-1: no electronic propaganda or serial calls from 00:00 on the eve until polls close. */
  electionSilence: { fromEve: true; pollsClose: string } | null;
  /** NOT-1: what every first message says. */
  noticeElements: readonly NoticeElement[];
  /** RET-2 reference periods by source type (CNIL simplified norm 34 for FR). */
  retention: Record<SourceTypeName, RetentionRule>;
  /** OPT-1: words that, alone in an SMS reply, are an objection. */
  stopKeywords: readonly string[];
};

export type NoticeElement =
  | 'controller'
  | 'controllerContact'
  | 'source'
  | 'legalBasis'
  | 'purposes'
  | 'recipients'
  | 'retention'
  | 'rightsContact'
  | 'regulator'
  | 'objection';

const TARGETING_FIELDS = [
  'age',
  'birthYear',
  'sex',
  'commune',
  'department',
  'region',
  'postalCode',
  'pollingStation',
  'csp',
  'sourceType',
  'source',
  'election',
  'consent.email',
  'consent.sms',
  'consent.phone',
  'consent.post',
] as const;

const CHANNELS: Pack['channels'] = {
  email: { requirement: 'consent_or_relationship', rule: 'CH-EMAIL' },
  sms: { requirement: 'consent_or_relationship', rule: 'CH-SMS' },
  phone: { requirement: 'lawful_source', rule: 'CH-PHONE' },
  post: { requirement: 'lawful_source', rule: 'CH-POST' },
};

const NOTICE: readonly NoticeElement[] = [
  'controller',
  'controllerContact',
  'source',
  'legalBasis',
  'purposes',
  'recipients',
  'retention',
  'rightsContact',
  'regulator',
  'objection',
];

const RETENTION: Pack['retention'] = {
  electoral_list: { kind: 'after_last_round', graceDays: 30 },
  signin_list: { kind: 'after_last_round', graceDays: 30 },
  purchased_file: { kind: 'after_single_message', months: 2 },
  referral: { kind: 'after_single_message', months: 2 },
  door_to_door: { kind: 'after_single_message', months: 2 },
  member_file: { kind: 'end_of_relationship' },
  supporter_signup: { kind: 'end_of_relationship' },
};

const FRENCH_STOP = [
  'STOP',
  'STOP PROSPECTION',
  'STOP SMS',
  'ARRET',
  'ARRÊT',
  'DESABONNER',
  'DÉSABONNER',
  'DESINSCRIRE',
  'DÉSINSCRIRE',
];
const ENGLISH_STOP = ['STOP', 'UNSUBSCRIBE', 'END', 'QUIT', 'CANCEL', 'STOPALL'];
const ARABIC_STOP = ['توقف', 'إيقاف', 'ايقاف', 'الغاء', 'إلغاء'];

const common = {
  targetingFields: TARGETING_FIELDS,
  channels: CHANNELS,
  relationshipSources: ['member_file', 'supporter_signup'] as const,
  sendWindow: { days: [1, 2, 3, 4, 5, 6], from: '08:00', until: '22:00' },
  noticeElements: NOTICE,
  retention: RETENTION,
};

export const POLICY_PACKS: Record<Jurisdiction, Pack> = {
  FR: {
    ...BASE.FR,
    ...common,
    timeZone: 'Europe/Paris',
    electionSilence: { fromEve: true, pollsClose: '20:00' },
    stopKeywords: [...new Set([...FRENCH_STOP, ...ENGLISH_STOP])],
  },
  MA: {
    ...BASE.MA,
    ...common,
    timeZone: 'Africa/Casablanca',
    electionSilence: null,
    stopKeywords: [...new Set([...FRENCH_STOP, ...ENGLISH_STOP, ...ARABIC_STOP])],
  },
  EU: {
    ...BASE.EU,
    ...common,
    timeZone: 'Europe/Brussels',
    electionSilence: null,
    stopKeywords: [...new Set([...ENGLISH_STOP, ...FRENCH_STOP])],
  },
};

export function packFor(jurisdiction: Jurisdiction): Pack {
  return POLICY_PACKS[jurisdiction];
}
