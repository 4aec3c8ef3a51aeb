// SEC-3: the detectors of personal data in what leaves the organisation, shared by the attachment
// scan (scan-attachment.ts) and the message scan (scan-message.ts, subject and body). Each
// detector says what it found and how much, never the values, so that a refusal can be shown and
// logged. Found: email addresses other than the organisation's own (also written "jean [at]
// exemple.fr"), phone numbers (French and Moroccan formats, libphonenumber-js), contact cards,
// column headers named like personal data, and lists of names with postal addresses.
//
// Phone numbers: the organisation records no number of its own, so a number cannot be told apart
// from somebody else's and every number blocks, except the service numbers only organisations
// hold (toll-free, shared-cost and premium-rate numbers: "0 800 ...", "08 1x", "08 9x").
import { findPhoneNumbersInText, parsePhoneNumberFromString } from 'libphonenumber-js/max';

/** What the organisation may print about itself: its own addresses and its postal address. */
/** The organisation's own, public details: never counted as someone else's personal data. */
export type OwnData = {
  addresses: string[];
  postalAddress?: string;
  /** Its own numbers in E.164 ("+33123456789"), however a message writes them. */
  phones?: string[];
};

// Bounded repetitions (an address's parts have maximum lengths): the scan stays linear in the
// text's length, where unbounded ones took seconds on a long word without "@".
const EMAIL =
  /[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}/g;
// "jean [at] exemple [dot] fr", "jean(arobase)exemple.fr": an address written to dodge a scanner.
const SPELLED_EMAIL =
  /[A-Za-z0-9._%+-]{1,64}\s{0,3}[[(<{]\s{0,3}(?:at|arobase|chez)\s{0,3}[\])>}]\s{0,3}[A-Za-z0-9-]{1,63}(?:\s{0,3}(?:\.|[[(<{]\s{0,3}(?:dot|point)\s{0,3}[\])>}])\s{0,3}[A-Za-z0-9-]{1,63}){1,8}/gi;
// Service numbers: never a person's.
const SERVICE_NUMBERS = new Set(['TOLL_FREE', 'SHARED_COST', 'PREMIUM_RATE']);
// A cell that starts like the name of a personal-data column: "Nom de famille", "E-mail address".
const PERSONAL_HEADER =
  /^(nom|pr[ée]noms?|name|first ?names?|last ?name|surname|e-?mail|courriel|t[ée]l[ée]phone|phone|mobile|portable|adresse|address|date de naissance|date of birth|birth ?date|dob)\b/i;
// A street address ("12 bis rue des Lilas", "3 av. Foch", "Lot 4 hay Riad") or a postal code
// followed by a commune ("69001 Lyon", "10100 Rabat"): five digits in France and in Morocco.
const STREET =
  /\b\d{1,4}(?:\s?(?:bis|ter|quater|[a-d]))?\s{0,3},?\s{1,3}(?:rue|avenue|av\.?|boulevard|bd|bld|place|pl\.|chemin|all[ée]e|impasse|imp\.|route|rte|quai|cours|square|r[ée]sidence|lotissement|lot|passage|voie|sentier|hameau|lieu-dit|rond-point|faubourg|fbg|mont[ée]e|esplanade|parvis|cit[ée]|villa|hay|derb|douar|quartier|immeuble|street|road|lane|drive)(?=[\s.,]|$)/iu;
const POSTCODE = /\b\d{5}\s{1,3}\p{Lu}[\p{L}'’ -]{1,40}/u;
// A person's name: a civility and a name, or two to four capitalised words ("Alice Martin",
// "MARTIN Alice", "Mme Durand"). Words that name places and events are not people.
const CIVILITY = /^(?:m|mr|mme|mlle|dr|me|madame|monsieur|mademoiselle)\.?\s+\p{Lu}/iu;
const CAPITALISED_WORDS = /^\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){1,3}$/u;
const NOT_A_PERSON =
  /^(salle|mairie|gymnase|[ée]cole|maison|centre|espace|parc|caf[ée]|h[ôo]tel|place|permanence|rendez-vous|r[ée]union|local|si[èe]ge|bureau|march[ée]|[ée]glise|mosqu[ée]e|stade|th[ée][âa]tre|biblioth[èe]que|m[ée]diath[èe]que|lyc[ée]e|coll[èe]ge|jardin|association|liste|comit[ée]|club|quartier|r[ée]sidence|foyer|cin[ée]ma|restaurant|h[ôo]pital|gare|pr[ée]fecture|agence|conseil|f[êe]te|journ[ée]e|soir[ée]e|meeting|d[ée]bat|forum|atelier|conf[ée]rence|assembl[ée]e|congr[èe]s|tractage|collage|manifestation|rassemblement|porte-?[àa]-?porte|portes ouvertes|inauguration|c[ée]r[ée]monie|comm[ée]moration|concert|repas|brocante|vide-grenier|visite|vote|scrutin|[ée]lections?|tour|premier|second|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/iu;

/** Invisible characters and look-alike forms removed, so that "jean\u200b@exemple.fr" is found. */
const normalise = (text: string) =>
  text.normalize('NFKC').replace(/[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/g, '');

const squash = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');

/** The distinct email addresses in the texts, other than the organisation's own. */
export function countEmails(texts: string[], own: OwnData): number {
  const mine = new Set(own.addresses.map((a) => a.toLowerCase()));
  const found = new Set<string>();
  for (const text of texts.map(normalise)) {
    const spelled = [...text.matchAll(SPELLED_EMAIL)].map((m) =>
      m[0]
        .replace(/\s{0,3}[[(<{]\s{0,3}(?:at|arobase|chez)\s{0,3}[\])>}]\s{0,3}/i, '@')
        .replace(/\s{0,3}[[(<{]\s{0,3}(?:dot|point)\s{0,3}[\])>}]\s{0,3}/gi, '.')
        .replace(/\s+/g, ''),
    );
    for (const email of [...(text.match(EMAIL) ?? []), ...spelled])
      if (!mine.has(email.toLowerCase())) found.add(email.toLowerCase());
  }
  return found.size;
}

/**
 * Where numbers may be: international (+ or 00, then a country code) or national (0 and nine more
 * digits, as in France and Morocco), with a few separators between digits ("06.12.34.56.78",
 * "+33 (0)6 12 34 56 78", "+212 6-61-23-45-67"). libphonenumber-js then reads each span. It is
 * not run on the whole text: its finder misses numbers separated only by spaces ("06 12 34 56 78
 * 04 78 12 34 56", a table's cells) and slows down more than linearly on long runs of digits,
 * while these bounded patterns stay linear. Nine digits without a leading 0 or country code
 * ("SIREN 123 456 789") are an identifier, not a number to dial.
 */
const PHONE_SPAN = new RegExp(
  [
    String.raw`(?:\+|\b00)\s?(?:33|212)\s?(?:\(0\)\s?)?\d(?:[\s./-]{0,3}\d){8}(?!\d)`,
    String.raw`(?:\+|\b00)\s?(?!33|212)[1-9](?:[\s.()/-]{0,3}\d){6,14}`,
    String.raw`(?<![\d+])(?:\(0\)|0)\s?\d(?:[\s./-]{0,3}\d){8}(?!\d)`,
  ].join('|'),
  'g',
);

/**
 * The distinct phone numbers in the texts (French and Moroccan formats), service numbers and the
 * organisation's own numbers aside.
 */
export function countPhones(texts: string[], own: Pick<OwnData, 'phones'> = {}): number {
  const mine = new Set(own.phones ?? []);
  const mineWritten = ownPhoneKeys(own.phones ?? []);
  const found = new Set<string>();
  const read = new Set<string>(); // spans already read, by their digits: a repeated span is read once
  for (const text of texts.map(normalise))
    for (const [span] of text.matchAll(PHONE_SPAN)) {
      const key = span.replace(/[^\d+]/g, '');
      if (read.has(key)) continue;
      read.add(key);
      // The organisation's own number, however it is written: by its digits, not parsed again
      // per span. National forms are those of its own region, as contacts' numbers are read
      // (phone-numbers.ts): an office in Mayotte, "0269 60 12 34", is its own +262269601234,
      // not a metropolitan +33 number.
      if (mineWritten.has(key)) continue;
      // A national number ("06 12 34 56 78") reads as French first, and as Moroccan if it is not
      // a French one: one number is counted once.
      const fr = findPhoneNumbersInText(span, { defaultCountry: 'FR' });
      const numbers = fr.length ? fr : findPhoneNumbersInText(span, { defaultCountry: 'MA' });
      for (const p of numbers)
        if (!SERVICE_NUMBERS.has(p.number.getType() ?? '') && !mine.has(p.number.number))
          found.add(p.number.number);
    }
  return found.size;
}

/**
 * The ways an own number (E.164) is written, by its digits and "+": "+262269601234",
 * "00262269601234", "+262 (0)269...", and nationally "0269601234" (French and Moroccan
 * numbers take a 0 at home). Parsed once per own number, never per span of a text.
 */
function ownPhoneKeys(phones: string[]): Set<string> {
  const keys = new Set<string>();
  for (const phone of phones) {
    const parsed = parsePhoneNumberFromString(phone);
    if (!parsed) continue;
    const cc = parsed.countryCallingCode;
    const nsn = parsed.nationalNumber;
    for (const k of [`+${cc}${nsn}`, `00${cc}${nsn}`, `+${cc}0${nsn}`, `00${cc}0${nsn}`, `0${nsn}`])
      keys.add(k);
  }
  return keys;
}

export const hasContactCards = (texts: string[]) => texts.some((t) => /BEGIN:VCARD/i.test(t));

/** The cells named like personal-data columns ("Nom", "E-mail", "Adresse"...). */
export const personalColumns = (cells: string[]) => [
  ...new Set(cells.map((c) => c.trim()).filter((c) => PERSONAL_HEADER.test(c))),
];

const looksLikeName = (segment: string) => {
  const s = segment
    .replace(/[;,\t|]+/g, ' ')
    .replace(/^[\s*•·>#\-–—\d.)]+/, '')
    .replace(/[\s:–—-]+$/, '')
    .replace(/\s+/g, ' ')
    .trim();
  return !NOT_A_PERSON.test(s) && (CIVILITY.test(s) || CAPITALISED_WORDS.test(s));
};

/**
 * The entries of a list of people with their postal address: a line holding a street address or
 * a postal code and commune, after a name on the same line ("Martin;Alice;12 rue des Lilas") or
 * on the line before (an address block). The organisation's own postal address is not counted.
 * Each text is read line by line.
 */
export function countNamesWithAddresses(texts: string[], own: OwnData): number {
  const mine = own.postalAddress ? squash(own.postalAddress) : '';
  // The texts are readings of one message (as typed, as seen): the largest count, not their sum.
  let most = 0;
  for (const text of texts.map(normalise)) {
    let count = 0;
    const lines = text
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean);
    lines.forEach((line, i) => {
      const at = [STREET.exec(line)?.index, POSTCODE.exec(line)?.index]
        .filter((n): n is number => n !== undefined)
        .sort((a, b) => a - b)[0];
      if (at === undefined) return;
      const address = squash(line.slice(at));
      if (mine && (mine.includes(address) || address.includes(mine))) return;
      const before = line.slice(0, at);
      if (/\p{L}/u.test(before) ? looksLikeName(before) : i > 0 && looksLikeName(lines[i - 1]!))
        count++;
    });
    most = Math.max(most, count);
  }
  return most;
}

/** Two entries make a list; one name with one address (a venue, a host) is not a file. */
export const NAME_LIST_MIN = 2;

// A date as lists write them: 12/03/1980, 12-03-80, 12.03.1980, 1980-03-12, 12 mars 1980,
// 1er janvier 1980, 12 March 1980, March 12, 1980.
const MONTH =
  '(?:janv|f[ée]vr|mars|avr|mai|juin|juil|ao[uû]t|sept|oct|nov|d[ée]c|jan|feb|mar|apr|may|jun|jul|aug|sep|dec)\\p{L}*\\.?';
const DATE = new RegExp(
  [
    String.raw`(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})(?!\d)`,
    String.raw`(?<!\d)\d{4}-\d{1,2}-\d{1,2}(?!\d)`,
    String.raw`(?<!\d)\d{1,2}(?:er)?\s{1,3}${MONTH}\s{1,3}\d{4}(?!\d)`,
    String.raw`\b${MONTH}\s{1,3}\d{1,2},?\s{1,3}\d{4}(?!\d)`,
  ].join('|'),
  'iu',
);
// What may stand between a name and its date: "Alice Martin, née le 12/03/1980", "born on".
const BEFORE_DATE =
  /[\s,:(–—-]*(?:(?<!\p{L})(?:n[ée]e?\s+le|n[ée]e?|born(?:\s+on)?|le|du|dob))?[\s,:(–—-]*$/iu;

/** Where the first date, other person's email, phone number or postal address of a line starts. */
function firstDetail(line: string, own: OwnData, mine: string): number | undefined {
  const at: number[] = [];
  const date = DATE.exec(line);
  if (date) at.push(date.index);
  // The first of each kind is enough: the scan stays linear on a long line.
  for (const m of line.matchAll(EMAIL))
    if (countEmails([m[0]], own) > 0) {
      at.push(m.index);
      break;
    }
  for (const m of line.matchAll(PHONE_SPAN))
    if (countPhones([m[0]], own) > 0) {
      at.push(m.index);
      break;
    }
  for (const re of [STREET, POSTCODE]) {
    const m = re.exec(line);
    if (m && !(mine && squash(line.slice(m.index)).includes(mine))) at.push(m.index);
  }
  return at.length ? Math.min(...at) : undefined;
}

/**
 * The entries of a pasted list of people: lines that start with a name followed, on the same
 * line, by a date (a birth date...), another person's email, a phone number or a postal address
 * ("MARTIN Alice 12/03/1980", "Bruno Durand;06 12 34 56 78"). A dated agenda ("Réunion publique
 * 12/03/2027": not a name) and a signature ("Alice Martin, 12 mars 2026": once) are not lists.
 */
export function countListedNames(texts: string[], own: OwnData): number {
  const mine = own.postalAddress ? squash(own.postalAddress) : '';
  let most = 0;
  for (const text of texts.map(normalise)) {
    let count = 0;
    for (const line of text.split(/\r?\n/).map((l) => l.trim())) {
      const at = line ? firstDetail(line, own, mine) : undefined;
      if (at === undefined) continue;
      const before = line.slice(0, at).replace(BEFORE_DATE, '');
      if (/\p{L}/u.test(before) && looksLikeName(before)) count++;
    }
    most = Math.max(most, count);
  }
  return most;
}

/** What the texts hold, as "2 email address(es)": kinds and counts, never values. */
export function describePersonalData(
  texts: string[],
  own: OwnData,
  options: { lines: string[] } = { lines: texts },
): string[] {
  const what: string[] = [];
  if (hasContactCards(texts)) what.push('contact cards (vCard)');
  const emails = countEmails(texts, own);
  if (emails) what.push(`${emails} email address(es)`);
  const phones = countPhones(texts, own);
  if (phones) what.push(`${phones} phone number(s)`);
  const people = countNamesWithAddresses(options.lines, own);
  if (people >= NAME_LIST_MIN) what.push(`${people} name(s) with a postal address`);
  else {
    const listed = countListedNames(options.lines, own);
    if (listed >= NAME_LIST_MIN)
      what.push(`${listed} name(s) listed with a date or contact details`);
  }
  return what;
}
