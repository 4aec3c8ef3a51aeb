// Jurisdiction packs: which regulator, which law. The targeting, channel and calendar parts
// of each pack grow with the features that use them.
export const JURISDICTIONS = ['FR', 'MA', 'EU'] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

export type JurisdictionPack = {
  code: Jurisdiction;
  law: string;
  regulator: { name: string; url: string };
  /** ACC-2: processing must be notified to the regulator before it starts. */
  requiresPriorNotification: boolean;
};

export const PACKS: Record<Jurisdiction, JurisdictionPack> = {
  FR: {
    code: 'FR',
    law: 'GDPR (EU 2016/679) and the French Data Protection Act',
    regulator: { name: 'CNIL', url: 'https://www.cnil.fr/fr/plaintes' },
    requiresPriorNotification: false,
  },
  MA: {
    code: 'MA',
    law: 'Moroccan law 09-08',
    regulator: { name: 'CNDP', url: 'https://www.cndp.ma' },
    requiresPriorNotification: true,
  },
  EU: {
    code: 'EU',
    law: 'GDPR (EU 2016/679)',
    regulator: { name: 'your national data-protection authority', url: 'https://edpb.europa.eu' },
    requiresPriorNotification: false,
  },
};
