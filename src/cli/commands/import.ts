import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { importContacts } from '../../domain/contacts/import/import-contacts.ts';
import { getImport, readRejections } from '../../domain/contacts/import/import-records.ts';
import { failAbandonedImports } from '../../domain/contacts/import/abandoned-imports.ts';
import type { ImportSummary } from '../../domain/contacts/import/summary.ts';
import type { CliContext } from '../context.ts';
import { UsageError } from '../errors.ts';

/** SEG-2 / SRC-2: the rule of each dropped column, and cells outside a closed vocabulary. */
function describeSeg2(s: ImportSummary): string[] {
  // Summaries stored before these fields existed have neither.
  const rules = Object.entries(s.droppedRules ?? {}).map(([column, rule]) => `${column} (${rule})`);
  const cells = Object.entries(s.rejectedCells ?? {}).map(([field, n]) => `${field} ${n}`);
  return [
    ...(rules.length ? [`  dropped columns and their rule: ${rules.join(', ')}`] : []),
    ...(cells.length
      ? [`  cells rejected, outside the field's closed vocabulary (SEG-2): ${cells.join(', ')}`]
      : []),
  ];
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function describeSummary(s: ImportSummary): string[] {
  const dropped = Object.entries(s.dropped).map(([k, n]) => `${k} ${n}`);
  // Summaries stored before one bad cell stopped dropping a person have no invalidFields.
  const invalid = Object.entries(s.invalidFields ?? {}).map(([k, n]) => `${k} ${n}`);
  return [
    `import ${s.importId}: ${s.read} read = ${s.imported} imported + ${s.merged} merged + ${s.rejected} rejected + ${s.suppressed} suppressed (objected, SRC-8)`,
    `  conflicts left unchanged: ${s.conflicts}`,
    ...(dropped.length ? [`  not stored (rows with a value): ${dropped.join(', ')}`] : []),
    ...(s.unmappedColumns.length
      ? [`  unmapped columns (not stored): ${s.unmappedColumns.join(', ')}`]
      : []),
    ...describeSeg2(s),
    ...(s.blankRows ? [`  blank rows skipped: ${s.blankRows}`] : []),
    ...(s.communesUnresolved
      ? [`  communes not resolved to an INSEE code: ${s.communesUnresolved}`]
      : []),
    `  consents recorded: email ${s.consents.email}, sms ${s.consents.sms}, phone ${s.consents.phone}, post ${s.consents.post}` +
      (s.consents.refused
        ? `; refused (no political wording, CH-CONSENT): ${s.consents.refused}`
        : ''),
    ...(s.consentsNotRecorded
      ? [
          `  consents not recorded, the row's address lost the merge (SRC-3): ${s.consentsNotRecorded}`,
        ]
      : []),
    ...(invalid.length
      ? [
          `  fields not stored, their value invalid (rows kept, lines in the quarantine): ${invalid.join(', ')}`,
        ]
      : []),
    ...(s.rejected || invalid.length
      ? [`  rejected rows and reasons: isoloir import show ${s.importId} --rejected`]
      : []),
  ];
}

export function importCommand(program: Command, ctx: CliContext) {
  const command = program
    .command('import')
    .description('import contacts from a CSV or XLSX file into a source')
    .argument('<file>', 'CSV (, ; or tab; UTF-8 or Windows-1252) or XLSX file')
    // Checked in the action: a required option here would also be required by `import show`.
    .option('--source <id>', 'the data source the file comes from (required)')
    .option(
      '--map <header=field>',
      'map a column to a field, or to "ignore" (repeatable)',
      collect,
      [],
    )
    .option(
      '--encoding <name>',
      'text encoding, when detection is wrong (utf-8, windows-1252, latin1)',
    )
    .option('--sheet <name>', 'XLSX worksheet to read (default: the first)')
    .option('--json', 'print one JSON object')
    // Options after `import show` belong to `show`, not to `import`.
    .enablePositionalOptions()
    .action(async (file: string, o) => {
      if (!o.source) throw new UsageError("required option '--source <id>' not specified");
      const s = await ctx.services();
      // Imports a dead process left `running` say so before this one starts (abandoned-imports.ts).
      await failAbandonedImports(s.db, { kind: s.database.kind, clock: s.clock });
      const started = Date.now();
      const bar =
        ctx.interactive && !o.json
          ? new SingleBar({
              stream: process.stderr,
              format:
                ' importing [{bar}] {percentage}% | {read} rows | {rate} rows/s | ETA {eta_formatted}',
              hideCursor: true,
            })
          : undefined;
      bar?.start(100, 0, { read: 0, rate: 0 });
      try {
        const summary = await importContacts(s.db, {
          keys: s.keys,
          sourceId: o.source,
          file,
          fileName: file.split(/[\\/]/).pop(),
          mapping: o.map,
          encoding: o.encoding,
          sheet: o.sheet,
          actor: 'cli',
          clock: s.clock,
          signal: ctx.signal,
          limits: s.imports.limits,
          onProgress: (p) => {
            const seconds = Math.max((Date.now() - started) / 1000, 0.001);
            bar?.update(p.bytesTotal ? Math.round((100 * p.bytesRead) / p.bytesTotal) : 0, {
              read: p.read,
              rate: Math.round(p.read / seconds),
            });
          },
        });
        bar?.update(100);
        bar?.stop();
        ctx.print(!!o.json, summary, describeSummary(summary));
      } finally {
        bar?.stop();
      }
    });

  command
    .command('show')
    .description('show an import summary, and with --rejected its rejected rows')
    .argument('<id>', 'import id')
    .option('--rejected', 'list rejected rows with line, reason and values')
    .option('--json', 'print one JSON object')
    .action(async (id: string, o) => {
      const s = await ctx.services();
      const record = await getImport(s.db, { importId: id, keys: s.keys });
      const quarantine = o.rejected
        ? await readRejections(s.db, { keys: s.keys, importId: id, actor: 'cli' })
        : undefined;
      const rejected = quarantine?.items;
      const human = [
        `${record.status}${record.error ? `: ${record.error}` : ''}`,
        ...describeSummary(record.summary),
        ...(rejected ?? []).map(
          (r) =>
            `line ${r.line}: ${r.reason}  ${Object.entries(r.cells)
              .map(([k, v]) => `${k}=${v}`)
              .join('; ')}`,
        ),
        ...(quarantine?.withheld
          ? [`${quarantine.withheld} rejected rows withheld: the people objected (OPT-3)`]
          : []),
      ];
      ctx.print(
        !!o.json,
        {
          ...record,
          ...(quarantine
            ? { rejectedRows: quarantine.items, rejectedWithheld: quarantine.withheld }
            : {}),
        },
        human,
      );
    });
}
