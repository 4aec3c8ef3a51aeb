// A moment shown in a given time zone (a recipient's, not the browser's): the overseas are not
// on Paris time, so silences and call windows are shown in the zone they apply to.
export function formatInZone(lang: string, iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(lang === 'fr' ? 'fr-FR' : 'en-GB', {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(iso));
}
