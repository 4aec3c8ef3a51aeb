// The language menu: in the header once signed in (inline), above the form before.
import { useI18n } from '../../i18n/i18n.tsx';
import type { Lang } from '../../i18n/messages.ts';

export function LanguagePicker({ inline = false }: { inline?: boolean }) {
  const { t, lang, setLang } = useI18n();
  const picker = (
    <label>
      {t.language}{' '}
      <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
        <option value="fr">Français</option>
        <option value="en">English</option>
      </select>
    </label>
  );
  return inline ? picker : <p className="lang-picker">{picker}</p>;
}
