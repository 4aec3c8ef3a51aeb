// One record of the file -> what may be stored of it, or the reason it is rejected.
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
  /** Consents asked for by the row but not recordable (no wording, or not naming political messages). */
  consentsRefused: number;
  communeUnresolved: boolean;
  /** The row's storable cells, by header: what the quarantine keeps if the row is rejected. */
  storable: Record<string, string>;
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

  if (cells.length > plan.headers.length) {
    reject(`more cells (${cells.length}) than columns (${plan.headers.length})`);
  }
  plan.fields.forEach((field, i) => {
    const cell = cells[i]?.trim() ?? '';
    if (cell === '') return;
    if (field === undefined) return void drop(plan.headers[i]!);
    if (field === 'birthplace' || field === 'nationality') return void drop(field);
    if (field === 'email' && NO_EMAIL_SOURCES.has(ctx.sourceType)) return void drop('email');
    storable[plan.headers[i]!] = cell;
    if (CONTROL_CHARACTERS.test(cell)) reject(`control characters in ${plan.headers[i]}`);
    if (field === 'streetAddress') address.push(cell);
    else value[field] ??= cell;
  });

  const identity: ContactIdentity = {};
  const attributes: ContactAttributes = {};
  const set = <K extends keyof ContactIdentity>(key: K, v: ContactIdentity[K] | undefined) => {
    if (v !== undefined) identity[key] = v;
  };

  set('birthName', parse.text(value.birthName));
  set('usageName', parse.text(value.usageName));
  set('firstNames', parse.text(value.firstNames));
  const street = parse.text(address.join(' '));
  if (street !== undefined && street.length > 500) reject('address too long');
  else set('streetAddress', street);

  const email = parse.email(value.email);
  if (email === null) reject('invalid email');
  else set('email', email);

  const phone = ctx.phone(value.phone);
  if (phone === null) reject('invalid phone');
  else set('phone', phone);

  const birthDate = parse.date(value.birthDate);
  if (birthDate === null || (birthDate && (birthDate > ctx.today || birthDate < '1900-01-01'))) {
    reject('invalid date');
  } else set('birthDate', birthDate);

  const yearText = parse.text(value.birthYear);
  let birthYear = birthDate ? Number(birthDate.slice(0, 4)) : undefined;
  if (yearText !== undefined) {
    const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
    if (!(year >= 1900 && year <= Number(ctx.today.slice(0, 4)))) reject('invalid birth year');
    else if (birthYear !== undefined && birthYear !== year)
      reject('birth year does not match birth date');
    else birthYear = year;
  }
  if (birthYear !== undefined) attributes.birthYear = birthYear;

  const sex = parse.sex(value.sex);
  if (sex === null) reject('invalid sex');
  else if (sex) attributes.sex = sex;

  const postal = parse.postalCode(value.postalCode);
  if (postal === null) reject('invalid postal code');
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
    reject('missing name');
  }

  // Consent columns (SRC-3, CH-CONSENT): a channel gets permission only from the row's own
  // consent, with wording that names political messages (the row's, or the attestation's).
  const consents: RowConsent[] = [];
  let consentsRefused = 0;
  const consentDate = parse.date(value.consentDate);
  if (consentDate === null || (consentDate && consentDate > ctx.today))
    reject('invalid consent date');
  const wording = parse.text(value.consentWording) ?? ctx.attestation?.consentWording;
  for (const [channel, field, has] of [
    ['email', 'consentEmail', identity.email],
    ['sms', 'consentSms', identity.phone],
    ['phone', 'consentPhone', identity.phone],
    ['post', 'consentPost', identity.streetAddress],
  ] as const) {
    const yes = parse.yesNo(value[field]);
    if (yes === null) reject(`invalid ${channel} consent value (use oui/non)`);
    if (!yes || !has) continue;
    if (!wording || !namesPoliticalMessages(wording)) {
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
  };
  return reason
    ? { kind: 'rejected', reason, row, dropped, rejectedCells }
    : { kind: 'ok', row, dropped, rejectedCells };
}
