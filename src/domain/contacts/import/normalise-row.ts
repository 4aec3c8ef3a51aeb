// One record of the file -> what may be stored of it, what was not and why, or the reason it is
// rejected.
// The rules of the source apply here: SRC-2 (electoral and sign-in lists keep no email), and
// birthplace and nationality are never stored for any source (SRC-2, SEG-2). Every value not
// stored is counted, so the summary can say what was dropped.
import type { Attestation, SourceType } from '../../../db/schema/index.ts';
import { namesPoliticalMessages } from '../../../policy/sources.ts';
import { resolveCommune } from '../../territory/communes.ts';
import type { ContactAttributes } from '../contacts.ts';
import type { ContactIdentity } from '../identity.ts';
import { CONTROL_CHARACTERS } from '../../validation.ts';
import type { ColumnPlan, ImportField } from './columns.ts';
import * as parse from './values.ts';
import { compactPhone, E164 } from '../phone-numbers.ts';
import { closedCell } from './closed-cells.ts';

/** Sources whose rows never keep an email address (SRC-2). */
export const NO_EMAIL_SOURCES: ReadonlySet<SourceType> = new Set(['electoral_list', 'signin_list']);

export type RowContext = {
  sourceType: SourceType;
  attestation: Attestation | null;
  /** Default date of a consent that the row does not date. */
  consentDefaultDate: string;
  today: string;
  phone: (value: string | undefined) => string | undefined | null;
};

export type RowConsent = {
  channel: 'email' | 'sms' | 'phone' | 'post';
  wording: string;
  date: string;
  evidence: string | undefined;
};

export type NormalisedRow = {
  identity: ContactIdentity;
  attributes: ContactAttributes;
  consents: RowConsent[];
  /**
   * Consents asked for by the row but not recordable: no wording, or not naming political
   * messages (CH-CONSENT); or for an identifier not stored because its value is invalid, or in a
   * row whose consent date is invalid (SRC-3: a consent never outlives its address, and is never
   * given an invented date).
   */
  consentsRefused: number;
  communeUnresolved: boolean;
  /** The row's storable cells, by header: what the quarantine keeps if the row goes there. */
  storable: Record<string, string>;
  /**
   * What the row names but is not stored (an invalid email, a phone written in E.164 but not a
   * valid number, a birth date dropped for not matching the birth year): never stored, only
   * hashed to be checked against the suppression list, so that dropping a cell cannot let an
   * objector back in (SRC-8, OPT-3). Also an identifier whose cell held control characters
   * (hashed with them replaced by spaces), a street address too long to store, and the first
   * value of a field named by two columns when the second one is stored.
   */
  alsoNamed: ContactIdentity;
  /**
   * Other values the row names for one identifier (the second of two columns mapped to the same
   * field, "Téléphone" and "Mobile"): each is hashed over the row's identity for the suppression
   * check, never stored.
   */
  otherNamed: ContactIdentity[];
};

export type RowOutcome =
  | { kind: 'blank' }
  | {
      kind: 'ok';
      row: NormalisedRow;
      dropped: Record<string, number>;
      rejectedCells?: CellCounts;
      /** Fields dropped because their value is invalid; the row is kept without them. */
      invalidFields?: Record<string, number>;
      /**
       * Set when fields were dropped as invalid: the reason the line is also recorded in the
       * quarantine ("invalid phone: field not stored"), so that staff can fix the file.
       */
      fieldsNotStored?: string;
    }
  | {
      kind: 'rejected';
      reason: string;
      row: NormalisedRow;
      dropped: Record<string, number>;
      rejectedCells?: CellCounts;
      invalidFields?: Record<string, number>;
    };

/** Cells rejected because their value is outside the field's closed vocabulary (SEG-2), by field. */
export type CellCounts = Partial<Record<'csp' | 'pollingStation', number>>;

/** How a field is named in a reason. */
const LABEL: Partial<Record<ImportField, string>> = {
  birthDate: 'date',
  birthYear: 'birth year',
  postalCode: 'postal code',
};

/** Identifiers that make a person a contact: without any of them, there is nobody to keep. */
const IDENTIFIERS = ['birthName', 'usageName', 'email', 'phone'] as const;

/** Every control character of a cell (CONTROL_CHARACTERS finds the first). */
const CONTROL_CHARACTERS_ALL = new RegExp(CONTROL_CHARACTERS.source, 'g');

/**
 * One bad cell never drops a person: a value that is not understood (an email, a phone, a date,
 * a sex, a postal code, an address too long, control characters, a consent yes/no or its date)
 * drops that field only, counted in `invalidFields`, and the line goes to the quarantine too. A
 * row is rejected whole only when no identifier is left, or when it has more cells than columns.
 */
export function normaliseRow(cells: string[], plan: ColumnPlan, ctx: RowContext): RowOutcome {
  if (cells.every((c) => c.trim() === '')) return { kind: 'blank' };

  // Counted once per row: "how many people's birthplace was dropped", not how many cells.
  const dropped: Record<string, number> = {};
  const drop = (key: string) => (dropped[key] = 1);
  const value: Partial<Record<ImportField, string>> = {};
  const address: string[] = [];
  const storable: Record<string, string> = {};
  let reason: string | undefined;
  const reject = (why: string) => (reason ??= why);
  // Fields not stored because their value is invalid, and why, in the order met.
  const invalidFields: Record<string, number> = {};
  const notes: string[] = [];
  const invalid = (field: ImportField, note: string) => {
    if (invalidFields[field]) return;
    invalidFields[field] = 1;
    notes.push(note);
  };
  const notStored = (field: ImportField) =>
    invalid(field, `invalid ${LABEL[field] ?? field}: field not stored`);

  // The address parts with control characters read as spaces; the cells of other fields that
  // held them, so read; the column each field's value comes from; the cells of a second column
  // mapped to a field that already has a value.
  const cleanAddress: string[] = [];
  const dirtyNamed: Partial<Record<ImportField, string[]>> = {};
  const firstHeader: Partial<Record<ImportField, string>> = {};
  const later: Partial<Record<ImportField, { header: string; cell: string }[]>> = {};

  if (cells.length > plan.headers.length) {
    reject(`more cells (${cells.length}) than columns (${plan.headers.length})`);
  }
  plan.fields.forEach((field, i) => {
    const cell = cells[i]?.trim() ?? '';
    if (cell === '') return;
    if (field === undefined) return void drop(plan.headers[i]!);
    if (field === 'birthplace' || field === 'nationality') return void drop(field);
    if (field === 'email' && NO_EMAIL_SOURCES.has(ctx.sourceType)) return void drop('email');
    const header = plan.headers[i]!;
    storable[header] = cell;
    // A cell with control characters is not stored (for an address, the whole address goes: it is
    // not kept with one of its parts missing); with them read as spaces, it is still hashed for
    // the suppression check (SRC-8).
    const dirty = CONTROL_CHARACTERS.test(cell);
    const clean = dirty ? cell.replace(CONTROL_CHARACTERS_ALL, ' ').trim() : cell;
    if (dirty) invalid(field, `control characters in ${header}: field not stored`);
    if (field === 'streetAddress') {
      address.push(cell);
      cleanAddress.push(clean);
    } else if (dirty) (dirtyNamed[field] ??= []).push(clean);
    else if (value[field] === undefined) {
      value[field] = cell;
      firstHeader[field] = header;
    } else (later[field] ??= []).push({ header, cell });
  });
  if (invalidFields.streetAddress) address.length = 0;

  const identity: ContactIdentity = {};
  const attributes: ContactAttributes = {};
  const alsoNamed: ContactIdentity = {};
  const otherNamed: ContactIdentity[] = [];
  const set = <K extends keyof ContactIdentity>(key: K, v: ContactIdentity[K] | undefined) => {
    if (v !== undefined) identity[key] = v;
  };
  // What a cell names, as the suppression list hashes it, stored or not.
  const named = (field: ImportField, cell: string): ContactIdentity | undefined => {
    if (field === 'birthName' || field === 'usageName' || field === 'firstNames') {
      const v = parse.text(cell);
      return v === undefined ? undefined : { [field]: v };
    }
    if (field === 'email') {
      // No space is part of an address: one left by a control character is not either.
      const v = cell.replace(/\s+/g, '');
      return { email: parse.email(v) ?? v.toLowerCase() };
    }
    if (field === 'phone') {
      const compact = compactPhone(cell);
      const v = ctx.phone(cell) ?? (E164.test(compact) ? compact : undefined);
      return v === undefined ? undefined : { phone: v };
    }
    if (field === 'birthDate') {
      const v = parse.date(cell);
      return v ? { birthDate: v } : undefined;
    }
    return undefined;
  };
  const alsoHash = (field: ImportField, cell: string) => {
    const n = named(field, cell);
    if (n) otherNamed.push(n);
  };
  for (const [field, cleaned] of Object.entries(dirtyNamed) as [ImportField, string[]][])
    for (const cell of cleaned) alsoHash(field, cell);

  // A field named by two columns ("Téléphone" and "Mobile", "Email" and "Courriel"): the first
  // value is stored, or for an email or a phone the first valid one; a different value of another
  // column is not stored but counted under its column in `dropped` (never lost silently), and
  // hashed for the suppression check if it names the person.
  const pickFirstValid = (field: 'email' | 'phone', read: (v: string) => string | null) => {
    let chosen = value[field] === undefined ? undefined : read(value[field]);
    for (const other of later[field] ?? []) {
      const v = read(other.cell);
      if (chosen === null && v !== null) {
        alsoHash(field, value[field]!);
        drop(firstHeader[field]!);
        value[field] = other.cell;
        chosen = v;
      } else if (v !== chosen) {
        drop(other.header);
        alsoHash(field, other.cell);
      }
    }
    return chosen;
  };
  for (const [field, cells] of Object.entries(later) as [
    ImportField,
    { header: string; cell: string }[],
  ][]) {
    if (field === 'email' || field === 'phone') continue;
    for (const other of cells) {
      if (parse.text(other.cell) === parse.text(value[field])) continue;
      drop(other.header);
      alsoHash(field, other.cell);
    }
  }

  set('birthName', parse.text(value.birthName));
  set('usageName', parse.text(value.usageName));
  set('firstNames', parse.text(value.firstNames));
  const street = parse.text(address.join(' '));
  if (street !== undefined && street.length > 500)
    invalid('streetAddress', 'address too long: field not stored');
  else set('streetAddress', street);
  // An address not stored (too long, control characters) still names where the person lives.
  if (!identity.streetAddress && cleanAddress.length)
    alsoNamed.streetAddress = parse.text(cleanAddress.join(' '));

  const email = pickFirstValid('email', (v) => parse.email(v) ?? null);
  if (email === null) {
    notStored('email');
    alsoNamed.email = parse.text(value.email)!.toLowerCase();
  } else set('email', email);

  const phone = pickFirstValid('phone', (v) => ctx.phone(v) ?? null);
  if (phone === null) {
    notStored('phone');
    const compact = compactPhone(value.phone!);
    if (E164.test(compact)) alsoNamed.phone = compact;
  } else set('phone', phone);

  const birthDate = parse.date(value.birthDate);
  if (birthDate === null || (birthDate && (birthDate > ctx.today || birthDate < '1900-01-01'))) {
    notStored('birthDate');
    if (birthDate) alsoNamed.birthDate = birthDate;
  } else set('birthDate', birthDate);

  // A birth year that contradicts the birth date: one of them is wrong, and nothing says which.
  // Neither is stored (a wrong date would merge or split people by name + birth date).
  const yearText = parse.text(value.birthYear);
  let birthYear = identity.birthDate ? Number(identity.birthDate.slice(0, 4)) : undefined;
  if (yearText !== undefined) {
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
    if (!(year >= 1900 && year <= Number(ctx.today.slice(0, 4)))) notStored('birthYear');
    else if (birthYear !== undefined && birthYear !== year) {
      invalidFields.birthDate = 1;
      invalid('birthYear', 'birth year does not match birth date: neither stored');
      alsoNamed.birthDate = identity.birthDate;
      delete identity.birthDate;
      birthYear = undefined;
    } else birthYear = year;
  }
  if (birthYear !== undefined) attributes.birthYear = birthYear;

  const sex = parse.sex(value.sex);
  if (sex === null) notStored('sex');
  else if (sex) attributes.sex = sex;

  const postal = parse.postalCode(value.postalCode);
  if (postal === null) notStored('postalCode');
  else if (postal) attributes.postalCode = postal;

  const communeGiven = value.communeCode !== undefined || value.communeName !== undefined;
  const commune = communeGiven
    ? resolveCommune({
        code: value.communeCode,
        name: value.communeName,
        postalCode: postal ?? undefined,
      })
    : undefined;
  if (commune) attributes.communeCode = commune.code;

  // SEG-2: closed vocabularies. A cell outside them is rejected alone (the row keeps its other
  // fields), counted, and not kept anywhere, not even in the quarantine of a rejected row.
  const rejectedCells: CellCounts = {};
  for (const key of ['pollingStation', 'csp'] as const) {
    const v = parse.text(value[key]);
    if (v === undefined) continue;
    const code = closedCell(key, v);
    if (code !== null) attributes[key] = code;
    else {
      rejectedCells[key] = (rejectedCells[key] ?? 0) + 1;
      for (const [i, f] of plan.fields.entries()) if (f === key) delete storable[plan.headers[i]!];
    }
  }

  if (!identity.birthName && !identity.usageName && !identity.email && !identity.phone) {
    const lost = IDENTIFIERS.filter((f) => invalidFields[f]);
    reject(
      lost.length
        ? `missing name: its only identifier (${lost.join(', ')}) is invalid`
        : 'missing name',
    );
  }

  // Consent columns (SRC-3, CH-CONSENT): a channel gets permission only from the row's own
  // consent, with wording that names political messages (the row's, or the attestation's). A
  // consent value not understood gives that channel nothing; an invalid consent date gives the
  // row no consent at all (never an invented date).
  const consents: RowConsent[] = [];
  let consentsRefused = 0;
  const consentDate = parse.date(value.consentDate);
  const consentDateInvalid = consentDate === null || (!!consentDate && consentDate > ctx.today);
  if (consentDateInvalid)
    invalid('consentDate', 'invalid consent date: no consent of this row recorded');
  const wording = parse.text(value.consentWording) ?? ctx.attestation?.consentWording;
  for (const [channel, field, has, identifier] of [
    ['email', 'consentEmail', identity.email, 'email'],
    ['sms', 'consentSms', identity.phone, 'phone'],
    ['phone', 'consentPhone', identity.phone, 'phone'],
    ['post', 'consentPost', identity.streetAddress, 'streetAddress'],
  ] as const) {
    const yes = parse.yesNo(value[field]);
    if (yes === null)
      invalid(
        field,
        `invalid ${channel} consent value (use oui/non): no ${channel} consent recorded`,
      );
    if (!yes) continue;
    if (!has) {
      // The consent was given for an address this row does not keep (SRC-3).
      if (invalidFields[identifier]) consentsRefused++;
      continue;
    }
    if (consentDateInvalid || !wording || !namesPoliticalMessages(wording)) {
      consentsRefused++;
      continue;
    }
    consents.push({
      channel,
      wording,
      date: consentDate || ctx.attestation?.date || ctx.consentDefaultDate,
      evidence: parse.text(value.consentProof) ?? ctx.attestation?.proofReference,
    });
  }

  const row: NormalisedRow = {
    identity,
    attributes,
    consents,
    consentsRefused,
    communeUnresolved: communeGiven && !commune,
    storable,
    alsoNamed,
    otherNamed,
  };
  if (reason) return { kind: 'rejected', reason, row, dropped, rejectedCells };
  return notes.length
    ? {
        kind: 'ok',
        row,
        dropped,
        rejectedCells,
        invalidFields,
        fieldsNotStored: notes.join('; '),
      }
    : { kind: 'ok', row, dropped, rejectedCells };
}
