// Compiles a parsed filter into a SQL condition on `contacts c`. Only parsed, checked trees get
// here; every value is a bound parameter and every column name is fixed in this file.
import { sql, type SQL } from 'drizzle-orm';
import { communeAndArrondissements, departmentsOfRegion } from '../territory/communes.ts';
import type { FilterNode, Predicate } from './filter.ts';
import { PCS_CODES } from '../../policy/vocabularies/pcs-2020.ts';

type Scalar = string | number | boolean;

const COLUMNS: Record<string, SQL> = {
  birthYear: sql.raw('c.birth_year'),
  sex: sql.raw('c.sex'),
  commune: sql.raw('c.commune_code'),
  department: sql.raw('c.department'),
  postalCode: sql.raw('c.postal_code'),
  pollingStation: sql.raw('c.polling_station'),
  csp: sql.raw('c.csp'),
};

function compare(column: SQL, op: Predicate['op'], value: Scalar | Scalar[]): SQL {
  switch (op) {
    case 'eq':
      return sql`${column} = ${value as Scalar}`;
    case 'in':
      return sql`${column} in (${sql.join(
        (value as Scalar[]).map((v) => sql`${v}`),
        sql`, `,
      )})`;
    case 'between':
      return sql`${column} between ${(value as Scalar[])[0]!} and ${(value as Scalar[])[1]!}`;
    case 'gte':
      return sql`${column} >= ${value as Scalar}`;
    case 'lte':
      return sql`${column} <= ${value as Scalar}`;
  }
}

const list = (value: Scalar | Scalar[]) => (Array.isArray(value) ? value : [value]).map(String);
const inList = (column: SQL, values: string[]) =>
  values.length === 0
    ? sql`false`
    : sql`${column} in (${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )})`;

function predicate(p: Predicate, referenceYear: number): SQL {
  switch (p.field) {
    case 'age': {
      // Age from the birth year at the reference date: the age reached in that year.
      const year = (age: Scalar) => referenceYear - Number(age);
      const by = sql.raw('c.birth_year');
      if (p.op === 'eq') return sql`${by} = ${year(p.value as number)}`;
      if (p.op === 'in')
        return inList(
          by,
          (p.value as number[]).map((a) => String(year(a))),
        );
      if (p.op === 'gte') return sql`${by} <= ${year(p.value as number)}`;
      if (p.op === 'lte') return sql`${by} >= ${year(p.value as number)}`;
      const [low, high] = p.value as number[];
      return sql`${by} between ${year(high!)} and ${year(low!)}`;
    }
    case 'commune':
      // Paris, Lyon and Marseille include their arrondissements.
      return inList(COLUMNS.commune!, list(p.value).flatMap(communeAndArrondissements));
    case 'region':
      return inList(COLUMNS.department!, list(p.value).flatMap(departmentsOfRegion));
    case 'csp':
      // A PCS group ("3") includes its categories ("31" to "38").
      return inList(
        COLUMNS.csp!,
        list(p.value).flatMap((code) => [
          code,
          ...(code.length === 1 ? PCS_CODES.filter((c) => c.length === 2 && c[0] === code) : []),
        ]),
      );
    case 'sourceType':
    case 'source':
    case 'election': {
      const column = {
        sourceType: sql.raw('s.type'),
        source: sql.raw('s.id'),
        election: sql.raw('s.election_id'),
      }[p.field];
      return sql`exists (select 1 from contact_provenance p join data_sources s on s.id = p.source_id
        where p.contact_id = c.id and ${inList(column, list(p.value))})`;
    }
    case 'consent.email':
    case 'consent.sms':
    case 'consent.phone':
    case 'consent.post': {
      // The latest ledger entry per channel, kept on the contact by a database trigger.
      const column = sql.raw(`c.consent_${p.field.slice('consent.'.length)}`);
      return p.value ? sql`${column} = 'granted'` : sql`${column} is distinct from 'granted'`;
    }
    default: {
      const column = COLUMNS[p.field];
      if (!column) throw new Error(`field ${p.field} has no column`); // parseFilter prevents it
      return compare(column, p.op, p.value);
    }
  }
}

export function compileFilter(node: FilterNode, options: { referenceYear: number }): SQL {
  if ('and' in node) {
    return node.and.length === 0
      ? sql`true`
      : sql`(${sql.join(
          node.and.map((n) => compileFilter(n, options)),
          sql` and `,
        )})`;
  }
  if ('or' in node) {
    return node.or.length === 0
      ? sql`false`
      : sql`(${sql.join(
          node.or.map((n) => compileFilter(n, options)),
          sql` or `,
        )})`;
  }
  // Under "not", an unknown value (NULL: no sex, no commune...) must count as "does not match",
  // so that "not F" keeps people whose sex is unknown. Elsewhere NULL already excludes, and a
  // bare predicate lets PostgreSQL use indexes and turn "exists" into a semi-join.
  if ('not' in node) return sql`not coalesce(${compileFilter(node.not, options)}, false)`;
  return sql`(${predicate(node, options.referenceYear)})`;
}
