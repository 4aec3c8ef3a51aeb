// A segment filter is a JSON tree: {"and": [...]}, {"or": [...]}, {"not": node}, or a predicate
// {"field", "op", "value"}. Parsing checks every node against the policy pack before anything can
// run: a forbidden field (SEG-2) is refused at any depth, under "not" too, naming the field; an
// unknown field, operator or value is refused with what is allowed. Nothing accepts raw SQL.
import { z } from 'zod';
import { LAWFUL_SOURCE_TYPES } from '../../policy/sources.ts';
import type { Pack } from '../../policy/packs.ts';
import type { Violation } from '../../policy/rules.ts';
import { checkTargetingField } from '../../policy/targeting.ts';
import { DomainError } from '../errors.ts';
import { communeByCode, departmentExists, departmentsOfRegion } from '../territory/communes.ts';
import { isPcsCode, PCS_2020 } from '../../policy/vocabularies/pcs-2020.ts';
import {
  isPollingStationCode,
  POLLING_STATION_FORMAT,
} from '../../policy/vocabularies/polling-station.ts';

export const OPS = ['eq', 'in', 'between', 'gte', 'lte'] as const;
export type Op = (typeof OPS)[number];
type Scalar = string | number | boolean;

export type Predicate = { field: string; op: Op; value: Scalar | Scalar[] };
export type FilterNode =
  { and: FilterNode[] } | { or: FilterNode[] } | { not: FilterNode } | Predicate;

type FieldSpec = {
  ops: readonly Op[];
  value: z.ZodType<Scalar>;
  describe: string;
  /** A closed vocabulary (SEG-2): a value outside it is refused under SEG-2, not merely invalid. */
  closed?: true;
};

const int = (min: number, max: number) => z.number().int().min(min).max(max);
const EQUALITY = ['eq', 'in'] as const;
const ORDERED = OPS;

const FIELDS: Record<string, FieldSpec> = {
  age: { ops: ORDERED, value: int(0, 130), describe: 'a whole number of years (0-130)' },
  birthYear: { ops: ORDERED, value: int(1900, 2100), describe: 'a year' },
  sex: { ops: EQUALITY, value: z.enum(['F', 'M']), describe: '"F" or "M"' },
  commune: {
    ops: EQUALITY,
    value: z.string().refine((c) => communeByCode(c) !== undefined, 'is not an INSEE commune code'),
    describe: 'an INSEE commune code',
  },
  department: {
    ops: EQUALITY,
    value: z.string().refine(departmentExists, 'is not a department code'),
    describe: 'a department code ("69", "2A", "974")',
  },
  region: {
    ops: EQUALITY,
    value: z
      .string()
      .refine((r) => departmentsOfRegion(r).length > 0, 'is not an INSEE region code'),
    describe: 'an INSEE region code ("84")',
  },
  postalCode: {
    ops: ORDERED,
    value: z.string().regex(/^\d{5}$/, 'must be 5 digits'),
    describe: 'a 5-digit postal code',
  },
  pollingStation: {
    ops: ORDERED,
    value: z.string().refine(isPollingStationCode),
    describe: 'a polling-station number of four digits ("0001")',
    closed: true,
  },
  csp: {
    ops: EQUALITY,
    value: z.string().refine(isPcsCode),
    describe: 'an INSEE PCS 2020 group or category code ("3", "37")',
    closed: true,
  },
  sourceType: {
    ops: EQUALITY,
    value: z.enum(LAWFUL_SOURCE_TYPES),
    describe: `one of ${LAWFUL_SOURCE_TYPES.join(', ')}`,
  },
  source: { ops: EQUALITY, value: z.uuid(), describe: 'a source id' },
  election: { ops: EQUALITY, value: z.uuid(), describe: 'an election id' },
  'consent.email': { ops: ['eq'], value: z.boolean(), describe: 'true or false' },
  'consent.sms': { ops: ['eq'], value: z.boolean(), describe: 'true or false' },
  'consent.phone': { ops: ['eq'], value: z.boolean(), describe: 'true or false' },
  'consent.post': { ops: ['eq'], value: z.boolean(), describe: 'true or false' },
};

const MAX_DEPTH = 20;
const MAX_NODES = 500;
const MAX_IN = 1000;

type Problems = { refused: Violation[]; invalid: string[]; nodes: number };

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function parseNode(
  pack: Pack,
  raw: unknown,
  path: string,
  depth: number,
  p: Problems,
): FilterNode | undefined {
  if (++p.nodes > MAX_NODES) {
    p.invalid.push(`the filter has more than ${MAX_NODES} nodes`);
    return undefined;
  }
  if (depth > MAX_DEPTH) {
    p.invalid.push(`${path}: the filter is nested deeper than ${MAX_DEPTH} levels`);
    return undefined;
  }
  if (!isObject(raw)) {
    p.invalid.push(
      `${path}: must be an object ({"and": [...]}, {"or": [...]}, {"not": ...} or {"field", "op", "value"})`,
    );
    return undefined;
  }
  const keys = Object.keys(raw).sort().join(',');
  for (const combinator of ['and', 'or'] as const) {
    if (keys === combinator) {
      const list = raw[combinator];
      if (!Array.isArray(list)) {
        p.invalid.push(`${path}.${combinator}: must be a list of nodes`);
        return undefined;
      }
      const children = list.map((child, i) =>
        parseNode(pack, child, `${path}.${combinator}[${i}]`, depth + 1, p),
      );
      return (combinator === 'and' ? { and: children } : { or: children }) as FilterNode;
    }
  }
  if (keys === 'not') {
    const child = parseNode(pack, raw.not, `${path}.not`, depth + 1, p);
    return child && { not: child };
  }
  if (keys === 'field,op,value') return parsePredicate(pack, raw, path, p);
  p.invalid.push(`${path}: unknown node with keys {${keys}}; use and, or, not, or field/op/value`);
  return undefined;
}

function parsePredicate(
  pack: Pack,
  raw: Record<string, unknown>,
  path: string,
  p: Problems,
): Predicate | undefined {
  const field = raw.field;
  if (typeof field !== 'string') {
    p.invalid.push(`${path}.field: must be a field name`);
    return undefined;
  }
  const forbidden = checkTargetingField(pack, field);
  if (forbidden.length > 0) {
    p.refused.push(...forbidden);
    return undefined;
  }
  const spec = FIELDS[field];
  if (!spec || !pack.targetingFields.includes(field)) {
    p.invalid.push(
      `${path}: unknown field "${field}"; fields are ${pack.targetingFields.join(', ')}`,
    );
    return undefined;
  }
  const op = raw.op;
  if (typeof op !== 'string' || !(spec.ops as readonly string[]).includes(op)) {
    p.invalid.push(
      `${path}: "${String(op)}" is not an operator for ${field}; use ${spec.ops.join(', ')}`,
    );
    return undefined;
  }
  const check = (v: unknown, where: string): Scalar | undefined => {
    const r = spec.value.safeParse(v);
    if (r.success) return r.data;
    // SEG-2: the value is not echoed; outside a closed vocabulary it may be anything.
    if (spec.closed && v !== '') {
      p.refused.push({
        rule: 'SEG-2',
        key: 'segment.closed_vocabulary',
        params: { field },
        message: `${where}: ${field} takes only ${spec.describe}; other values are refused`,
      });
      return undefined;
    }
    p.invalid.push(`${where}: ${JSON.stringify(v)} is not ${spec.describe}`);
    return undefined;
  };
  if (op === 'in') {
    if (!Array.isArray(raw.value) || raw.value.length === 0 || raw.value.length > MAX_IN) {
      p.invalid.push(`${path}.value: "in" takes a list of 1 to ${MAX_IN} values`);
      return undefined;
    }
    const values = raw.value.map((v, i) => check(v, `${path}.value[${i}]`));
    return values.every((v) => v !== undefined)
      ? { field, op, value: values as Scalar[] }
      : undefined;
  }
  if (op === 'between') {
    if (!Array.isArray(raw.value) || raw.value.length !== 2) {
      p.invalid.push(`${path}.value: "between" takes [low, high]`);
      return undefined;
    }
    const [low, high] = [
      check(raw.value[0], `${path}.value[0]`),
      check(raw.value[1], `${path}.value[1]`),
    ];
    if (low === undefined || high === undefined) return undefined;
    if (low > high) {
      p.invalid.push(`${path}.value: low (${low}) is above high (${high})`);
      return undefined;
    }
    return { field, op, value: [low, high] };
  }
  const value = check(raw.value, `${path}.value`);
  return value === undefined ? undefined : { field, op: op as Op, value };
}

/**
 * Refuses a filter that is too large (too many nodes, or nested too deep) with one error, before
 * any node is checked: walked with a stack of its own, it stops at the first node past a limit.
 */
export function checkFilterSize(raw: unknown): void {
  const stack: { node: unknown; depth: number }[] = [{ node: raw, depth: 0 }];
  let nodes = 1;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (depth > MAX_DEPTH)
      throw DomainError.keyed(
        'invalid',
        'segment.filter_too_deep',
        `the filter is nested deeper than ${MAX_DEPTH} levels: simplify it`,
        { limit: MAX_DEPTH },
      );
    if (!isObject(node)) continue;
    const children: unknown[] = Array.isArray(node.and)
      ? node.and
      : Array.isArray(node.or)
        ? node.or
        : 'not' in node
          ? [node.not]
          : [];
    nodes += children.length;
    if (nodes > MAX_NODES)
      throw DomainError.keyed(
        'invalid',
        'segment.filter_too_many_nodes',
        `the filter has more than ${MAX_NODES} conditions and groups: simplify it`,
        { limit: MAX_NODES },
      );
    for (const child of children) stack.push({ node: child, depth: depth + 1 });
  }
}

/** Parses and checks a filter; throws SEG-2 (refused) or invalid, naming every problem. */
export function parseFilter(pack: Pack, raw: unknown): FilterNode {
  checkFilterSize(raw);
  const problems: Problems = { refused: [], invalid: [], nodes: 0 };
  const node = parseNode(pack, raw, 'where', 0, problems);
  if (problems.refused.length > 0) throw DomainError.refused(problems.refused);
  if (problems.invalid.length > 0 || !node)
    throw DomainError.keyed('invalid', 'segment.filter_invalid', problems.invalid.join('; '));
  return node;
}

/** A closed vocabulary as the builder offers it: its values with labels, or a strict format. */
export type FieldVocabulary =
  { values: { code: string; label: string; level: string }[] } | { format: string };

const VOCABULARIES: Record<string, FieldVocabulary> = {
  csp: {
    values: PCS_2020.filter((e) => !e.forbidden).map((e) => ({
      code: e.code,
      label: e.label,
      level: e.level,
    })),
  },
  pollingStation: { format: POLLING_STATION_FORMAT },
};

/** What the segment builder offers: only the fields this pack allows, with their operators. */
export function segmentFields(
  pack: Pack,
): ({ field: string; ops: readonly Op[]; describe: string } & Partial<FieldVocabulary>)[] {
  return pack.targetingFields
    .filter((field) => FIELDS[field])
    .map((field) => ({
      field,
      ops: FIELDS[field]!.ops,
      describe: FIELDS[field]!.describe,
      ...VOCABULARIES[field],
    }));
}
