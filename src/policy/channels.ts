// Channels: which exist (CH-AUTO: no automated calling machines or fax), and what each needs.
import type { Channel, Pack } from './packs.ts';
import type { Violation } from './rules.ts';

export type { Channel } from './packs.ts';

/** The channels outreach may use; the consent ledger and the packs speak of these only. */
export const CHANNELS = ['email', 'sms', 'phone', 'post'] as const satisfies readonly Channel[];

const AUTOMATED =
  /^(automated[_-]?calls?|robo[_-]?calls?|auto[_-]?dial(l?er)?|ivr|fax|voice[_-]?broadcast|ringless[_-]?voicemail)$/i;

export function checkChannel(pack: Pack, channel: string): Violation[] {
  if (AUTOMATED.test(channel)) {
    return [
      {
        rule: 'CH-AUTO',
        key: 'channel.automated_forbidden',
        params: { channel },
        message: `"${channel}": automated calling machines and fax are not used for political outreach`,
      },
    ];
  }
  if (!(channel in pack.channels)) {
    return [
      {
        rule: 'CH-AUTO',
        key: 'channel.unknown',
        params: { channel, known: Object.keys(pack.channels).join(', ') },
        message: `"${channel}" is not a channel; channels are ${Object.keys(pack.channels).join(', ')}`,
      },
    ];
  }
  return [];
}

/** Whether a source type is an existing relationship (the person gave their details themselves). */
export function isRelationship(pack: Pack, sourceType: string): boolean {
  return (pack.relationshipSources as readonly string[]).includes(sourceType);
}

export function requirementOf(pack: Pack, channel: Channel) {
  return pack.channels[channel];
}
