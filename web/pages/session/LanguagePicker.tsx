// Language choice on the pages shown before an organisation is known.
import { useI18n } from '../../i18n/i18n.tsx';
import type { Lang } from '../../i18n/messages.ts';

export function LanguagePicker() {
  const { t, lang, setLang } = useI18n();
  return (
    <p className="lang-picker">
      <label>
        {t.language}{' '}
        <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
          <option value="fr">Français</option>
          <option value="en">English</option>
        </select>
      </label>
    </p>
  );
}
