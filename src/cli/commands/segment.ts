import type { Command } from 'commander';
import { countSegment, type SegmentCount } from '../../domain/segments/count.ts';
import {
  countSavedSegment,
  deleteSegment,
  getSegment,
  listSegments,
  previewSegment,
  saveSegment,
  type Segment,
} from '../../domain/segments/segments.ts';
import type { CliContext } from '../context.ts';
import { UsageError } from '../errors.ts';

function parseWhere(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--where is not valid JSON: ${text}`);
  }
}

function parseAt(text: string | undefined): Date | undefined {
  if (text === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(`${text}T12:00:00Z`))) {
    throw new UsageError(`--at must be a date written YYYY-MM-DD, not "${text}"`);
  }
  return new Date(`${text}T12:00:00Z`);
}

const describeCount = (c: SegmentCount) => [
  `${c.total} contacts`,
  `  reachable now: email ${c.reachable.email}, sms ${c.reachable.sms}, phone ${c.reachable.phone}, post ${c.reachable.post}`,
];
const describeSegment = (s: Segment) => `${s.id}  ${s.name}  ${JSON.stringify(s.filter)}`;

export function segmentCommand(program: Command, ctx: CliContext) {
  const segment = program
    .command('segment')
    .description('segments: lawful targeting, with reachability counts');

  segment
    .command('count')
    .description('count a filter (or a saved segment) and who each channel may lawfully reach')
    .option('--org <id>', 'organisation id (with --where)')
    .option('--where <json>', 'filter tree, e.g. {"field":"age","op":"gte","value":60}')
    .option('--segment <id>', 'a saved segment instead of --org/--where')
    .option('--at <date>', 'reference date for ages, YYYY-MM-DD (default: today)')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const at = parseAt(o.at);
      const s = await ctx.services();
      let result: SegmentCount;
      if (o.segment) result = await countSavedSegment(s.db, { segmentId: o.segment, at });
      else if (o.org && o.where)
        result = await countSegment(s.db, { orgId: o.org, where: parseWhere(o.where), at });
      else throw new UsageError('give --org and --where, or --segment');
      ctx.print(!!o.json, result, describeCount(result));
    });

  segment
    .command('save')
    .description('save a named filter (checked against the policy now and at every use)')
    .requiredOption('--org <id>', 'organisation id')
    .requiredOption('--name <text>', 'segment name')
    .requiredOption('--where <json>', 'filter tree')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const saved = await saveSegment(s.db, {
        orgId: o.org,
        actor: 'cli',
        input: { name: o.name, where: parseWhere(o.where) },
      });
      ctx.print(!!o.json, saved, `saved segment ${saved.id}`);
    });

  segment
    .command('list')
    .description("list an organisation's saved segments")
    .requiredOption('--org <id>', 'organisation id')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      const items = await listSegments(s.db, { orgId: o.org });
      ctx.print(!!o.json, { items }, items.length ? items.map(describeSegment) : 'no segment yet');
    });

  segment
    .command('show')
    .argument('<id>', 'segment id')
    .description('show a saved segment')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o) => {
      const s = await ctx.services();
      const found = await getSegment(s.db, { segmentId: id });
      ctx.print(!!o.json, found, describeSegment(found));
    });

  segment
    .command('delete')
    .argument('<id>', 'segment id')
    .description('delete a saved segment')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o) => {
      const s = await ctx.services();
      const result = await deleteSegment(s.db, { segmentId: id, actor: 'cli' });
      ctx.print(!!o.json, result, `deleted segment ${result.id}`);
    });

  segment
    .command('preview')
    .description('a small sample of a segment; identifiers only with --identifiers')
    .option('--org <id>', 'organisation id (with --where)')
    .option('--where <json>', 'filter tree')
    .option('--segment <id>', 'a saved segment instead of --org/--where')
    .option('--limit <n>', 'rows (1-50)', '10')
    .option('--identifiers', 'include names, email, phone, address (decrypted)')
    .option('--json', 'print one JSON object')
    .action(async (o) => {
      const s = await ctx.services();
      let orgId: string = o.org;
      let where: unknown = o.where === undefined ? undefined : parseWhere(o.where);
      if (o.segment) {
        const saved = await getSegment(s.db, { segmentId: o.segment });
        orgId = saved.orgId;
        where = saved.filter;
      } else if (!orgId || where === undefined)
        throw new UsageError('give --org and --where, or --segment');
      const items = await previewSegment(s.db, {
        orgId,
        where,
        keys: s.keys,
        limit: Number(o.limit),
        withIdentifiers: !!o.identifiers,
        actor: 'cli',
      });
      ctx.print(
        !!o.json,
        { items },
        items.map((r) => JSON.stringify(r)),
      );
    });
}
