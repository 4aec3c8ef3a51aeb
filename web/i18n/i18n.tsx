// The current language, for every component: French by default for FR and MA organisations,
// English for EU ones, or what the user picks. Kept in memory only (nothing in browser storage).
import { createContext, useContext } from 'react';
import { MESSAGES, type Lang, type Messages } from './messages.ts';

export type I18n = { lang: Lang; t: Messages; setLang: (lang: Lang) => void };

export const I18nContext = createContext<I18n>({
  lang: 'fr',
  t: MESSAGES.fr,
  setLang: () => {},
});

export const useI18n = () => useContext(I18nContext);

export const langOfJurisdiction = (jurisdiction: string): Lang =>
  jurisdiction === 'EU' ? 'en' : 'fr';

export const browserLang = (): Lang => (navigator.language.startsWith('fr') ? 'fr' : 'en');
