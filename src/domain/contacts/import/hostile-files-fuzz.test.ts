// Fuzz: generated hostile CSV and XLSX files (test/hostile-files.ts: zip bombs up to a gigabyte,
// headers that lie, huge cells, mixed line endings, encodings, control characters, duplicated
// headers, damaged archives). Whatever the file, the import and its preview either succeed with
// read = imported + merged + rejected + suppressed and the quarantine agreeing, or fail with a
// DomainError (one clear line, no cell quoted, nothing stored); never a crash, never a hang (a
// per-file guard), and the process's RSS grows by less than RSS_BOUND during any one file.
// Fixed seed; replay one case with ISOLOIR_FUZZ_SEED=<seed> ISOLOIR_FUZZ_CASE='<case>'.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import iconv from 'iconv-lite';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeOrg, makeSource } from '../../../../test/factories.ts';
import { tempDir } from '../../../../test/files.ts';
import {
  caseTag,
  countControls,
  csvHeader,
  FUZZ_CASE,
  FUZZ_SEED,
  hostileCases,
  inflatedSize,
  isUtf8,
  lineEndings,
  longestCsvCell,
  partText,
  rng,
  zipListing,
  type HostileCase,
  type HostileFile,
} from '../../../../test/hostile-files.ts';
import { repoRoot } from '../../../../test/processes.ts';
import { openTestServices, type TestServices } from '../../../../test/test-db.ts';
import { imports } from '../../../db/schema/index.ts';
import { DomainError } from '../../errors.ts';
import { countContacts } from '../contacts.ts';
import { importContacts } from './import-contacts.ts';
import { getImport, readRejections } from './import-records.ts';
import { previewImport } from './preview-import.ts';
import type { ImportSummary } from './summary.ts';

const MiB = 1024 * 1024;
const SEED = FUZZ_SEED;
const ONLY = FUZZ_CASE;
/** The bound on RSS growth while one file is imported and previewed (the issue: under 600 MB peak). */
const RSS_BOUND = 300 * MiB;
/** The hang guard: one file's import (or preview) must end within this. */
const HANG_MS = 20_000;
const HEAVY_HANG_MS = 45_000;
/** The bound on the peak RSS of a fresh process reading one heavy file (issue: under 600 MB). */
const CHILD_RSS_BOUND = 400 * MiB;

let s: TestServices;
let orgId: string;
const files = tempDir('isoloir-hostile-');
beforeAll(async () => {
  s = await openTestServices();
  orgId = (await makeOrg(s)).id;
});
afterAll(async () => {
  await s?.dispose();
  files.remove();
});

const cases = hostileCases().filter((c) => !ONLY || c.name === ONLY);

class Hang extends Error {}

type ChildRead = {
  outcome: 'read' | 'refused' | 'crashed';
  message?: string;
  rows?: number;
  peakRss: number;
};

/** Reads the file in a fresh process (test/hostile-read-child.ts): its outcome and peak RSS. */
function readInChild(file: string, limits: HostileCase['limits'], ms: number): Promise<ChildRead> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(repoRoot, 'test/hostile-read-child.ts'),
        file,
        ...(limits ? [JSON.stringify(limits)] : []),
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Hang(`hang: the reading process did not end within ${ms / 1000} s`));
    }, ms);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      try {
        resolve(JSON.parse(out) as ChildRead);
      } catch {
        resolve({
          outcome: 'crashed',
          message: `exit ${code ?? signal}: ${err.slice(-2000)}`,
          peakRss: 0,
        });
      }
    });
  });
}

/** Fails naming the case and the seed when `work` does not end within `ms`. */
async function guard<T>(work: Promise<T>, ms: number, what: string, abort: AbortController) {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new Hang(`hang: ${what} did not end within ${ms / 1000} s`));
    }, ms);
  });
  try {
    return await Promise.race([work, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** The peak RSS while `work` runs, sampled every few milliseconds. */
async function measured<T>(work: () => Promise<T>): Promise<{ value: T; growth: number }> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const sample = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, growth: peak - start };
  } finally {
    clearInterval(sample);
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; error: unknown };
const settle = <T>(p: Promise<T>): Promise<Outcome<T>> =>
  p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );

/** The text a CSV's inspections look at. */
function csvTextOf(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return iconv.decode(bytes, 'utf-16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return iconv.decode(bytes, 'utf-16be');
  return isUtf8(bytes) ? bytes.toString('utf8') : iconv.decode(bytes, 'windows-1252');
}

const texts = (xml: string) => [...xml.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)].map((m) => m[1]!);

/** The hostile case really happened: each claim measured on the generated bytes. */
async function checkClaims(f: HostileFile, at: (what: string) => string): Promise<void> {
  const c = f.claims;
  if (f.extension === 'csv') {
    const text = csvTextOf(f.bytes);
    if (c.endings) {
      const seen = lineEndings(text);
      expect(seen.crlf, at('CRLF endings')).toBeGreaterThanOrEqual(c.endings.crlf);
      expect(seen.lf, at('LF endings')).toBeGreaterThanOrEqual(c.endings.lf);
      expect(seen.cr, at('CR endings')).toBeGreaterThanOrEqual(c.endings.cr);
    }
    if (c.hugeCell)
      expect(longestCsvCell(text, f.delimiter ?? ';'), at('huge cell')).toBeGreaterThanOrEqual(
        c.hugeCell,
      );
    if (c.controls) expect(countControls(text), at('controls')).toBeGreaterThanOrEqual(c.controls);
    if (c.duplicateHeader) {
      const header = csvHeader(text, f.delimiter ?? ';').map((h) => h.trim().toLowerCase());
      expect(
        header.filter((h) => h === c.duplicateHeader!.toLowerCase()).length,
        at('duplicate header'),
      ).toBeGreaterThanOrEqual(2);
    }
    if (c.notUtf8) expect(isUtf8(f.bytes), at('not UTF-8')).toBe(false);
    if (c.utf8WithReplacement) {
      expect(isUtf8(f.bytes), at('valid UTF-8')).toBe(true);
      expect(text, at('U+FFFD')).toContain('\uFFFD');
    }
    if (c.bom) expect(f.bytes.subarray(0, c.bom.length / 2).toString('hex'), at('BOM')).toBe(c.bom);
    return;
  }
  const listing = zipListing(f.bytes);
  const entry = (name: string) => listing.find((e) => e.name.toLowerCase() === name.toLowerCase());
  // The text of the parts that are no bomb (those are only ever inflated up to their limit).
  const small = (name: string) => {
    const e = entry(name);
    return e && name !== c.inflatesPast?.part ? partText(f.bytes, e) : '';
  };
  if (c.inflatesPast) {
    const e = entry(c.inflatesPast.part);
    expect(e, at(`bomb part ${c.inflatesPast.part}`)).toBeDefined();
    expect(
      await inflatedSize(f.bytes, e!, c.inflatesPast.bytes),
      at('bomb inflates past the limit'),
    ).toBeGreaterThan(c.inflatesPast.bytes);
    // A bomb: it inflates to far more than it takes.
    expect(e!.compressedSize * 20, at('bomb ratio')).toBeLessThan(c.inflatesPast.bytes);
    if (c.inflatesPast.declaredBytes === 'smaller')
      expect(e!.declaredSize, at('declared size lies')).toBeLessThan(c.inflatesPast.bytes);
  }
  const strings = texts(small('xl/sharedStrings.xml'));
  const sheet = small('xl/worksheets/sheet1.xml');
  if (c.hugeCell)
    expect(
      Math.max(0, ...[...strings, ...texts(sheet)].map((t) => Buffer.byteLength(t))),
      at('huge cell'),
    ).toBeGreaterThanOrEqual(c.hugeCell);
  if (c.sharedTextPast)
    expect(
      strings.reduce((n, t) => n + Buffer.byteLength(t), 0),
      at('shared text'),
    ).toBeGreaterThan(c.sharedTextPast);
  if (c.noWorkbook) expect(entry('xl/workbook.xml'), at('no workbook')).toBeUndefined();
  if (c.duplicatePart)
    expect(new Set(listing.map((e) => e.name)).size, at('duplicate part')).toBeLessThan(
      listing.length,
    );
  if (c.cellsWithoutR)
    expect(
      sheet.match(/<c(?![^>]*\sr=)[\s>]/g)?.length ?? 0,
      at('cells without r'),
    ).toBeGreaterThanOrEqual(c.cellsWithoutR);
  if (c.entityDeclarations)
    expect(small('xl/sharedStrings.xml'), at('entities')).toContain('<!ENTITY');
  if (c.controls) {
    const all = [...strings, ...texts(sheet)].join('');
    const escaped = all.match(/_x00[01][0-9a-f]_/gi)?.length ?? 0;
    expect(countControls(all) + escaped, at('controls')).toBeGreaterThanOrEqual(c.controls);
  }
  if (c.duplicateHeader) {
    const firstRow = /<row[^>]*>(.*?)<\/row>/.exec(sheet)?.[1] ?? '';
    const header = [...firstRow.matchAll(/<c[^>]*>(.*?)<\/c>/g)].map((m) => {
      const v = /<v>(\d+)<\/v>/.exec(m[1]!);
      return (v ? strings[Number(v[1])] : texts(m[1]!)[0]) ?? '';
    });
    expect(
      header.filter((h) => h.toLowerCase() === c.duplicateHeader!.toLowerCase()).length,
      at('duplicate header'),
    ).toBeGreaterThanOrEqual(2);
  }
}

/** A DomainError of one clear line that quotes no cell of the file. */
function expectCleanRefusal(error: unknown, tag: string, at: (what: string) => string) {
  if (error instanceof Hang) throw new Error(at(error.message));
  if (!(error instanceof DomainError))
    throw new Error(
      at(
        `a crash, not a refusal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      ),
    );
  expect(error.message.length, at('an empty refusal')).toBeGreaterThan(10);
  expect(error.message, at('a refusal of one line')).not.toMatch(/[\r\n]/);
  expect(error.message.length, at('a refusal of reasonable length')).toBeLessThan(600);
  expect(error.message, at('the refusal quotes a cell')).not.toContain(tag);
}

async function runCase(c: HostileCase) {
  const at = (what: string) =>
    `${what} [case ${c.name}, seed ${SEED}; replay: ISOLOIR_FUZZ_SEED=${SEED} ISOLOIR_FUZZ_CASE='${c.name}']`;
  const tag = caseTag(c.name);
  const hostile = await c.build(rng(SEED, c.name));
  await checkClaims(hostile, at);
  const file = files.file(`${c.name.replace(/[^\w-]/g, '_')}.${hostile.extension}`);
  fs.writeFileSync(file, hostile.bytes);
  const source = await makeSource(s, orgId, { label: `fuzz ${c.name}` });
  const before = (await countContacts(s.db, { orgId })).total;
  const hangMs = c.heavy ? HEAVY_HANG_MS : HANG_MS;
  const options = {
    sourceId: source.id,
    file,
    actor: 'fuzz' as const,
    clock: s.clock,
    ...(c.limits ? { limits: c.limits } : {}),
    ...(c.encoding ? { encoding: c.encoding } : {}),
  };

  const { value: results, growth } = await measured(async () => {
    const abort = new AbortController();
    const imported = await settle(
      guard(
        importContacts(s.db, { ...options, keys: s.keys, signal: abort.signal }),
        hangMs,
        'the import',
        abort,
      ),
    );
    const preview = await settle(
      guard(previewImport(s.db, options), hangMs, 'the preview', new AbortController()),
    );
    return { imported, preview };
  });
  const { imported, preview } = results;
  if (c.heavy) {
    // The same file read by a fresh process: its peak RSS is the bound the issue states.
    const child = await readInChild(file, c.limits, hangMs);
    console.log(
      `${c.name}: ${child.outcome} (${(child.message ?? '').slice(0, 100)}); peak RSS ${Math.round(child.peakRss / MiB)} MiB`,
    );
    expect(child.outcome, at(`the reading process: ${child.message}`)).not.toBe('crashed');
    expect(child.peakRss, at(`peak RSS of the reading process`)).toBeLessThan(CHILD_RSS_BOUND);
    if (hostile.expect.outcome === 'refused') {
      expect(child.outcome, at('the reading process refuses the file')).toBe('refused');
      expect(child.message, at('its refusal')).toMatch(hostile.expect.message);
    }
  }
  expect(growth, at(`RSS grew by ${Math.round(growth / MiB)} MiB`)).toBeLessThan(RSS_BOUND);

  const expected = hostile.expect;
  const stored = await s.db.select().from(imports).where(eq(imports.sourceId, source.id));
  expect(stored, at('one import record')).toHaveLength(1);
  const after = (await countContacts(s.db, { orgId })).total;

  if (!imported.ok) {
    expectCleanRefusal(imported.error, tag, at);
    if (expected.outcome === 'imported')
      throw new Error(at(`refused, expected to import: ${(imported.error as Error).message}`));
    const message = (imported.error as Error).message;
    if (expected.message)
      expect(message, at('the refusal names what it is about')).toMatch(expected.message);
    // Nothing stored, and the failure recorded (not left running).
    expect(after, at('contacts added by a refused import')).toBe(before);
    expect(stored[0]!.status, at('import record status')).toBe('failed');
    expect(stored[0]!.error ?? '', at('stored error quotes a cell')).not.toContain(tag);
    // The preview reads the same file the same way: refused too.
    if (preview.ok)
      throw new Error(at(`the import was refused (${message}) but the preview read the file`));
    expectCleanRefusal(preview.error, tag, at);
    return;
  }

  if (expected.outcome === 'refused')
    throw new Error(at(`imported, expected a refusal matching ${String(expected.message)}`));
  const summary: ImportSummary = imported.value;
  expect(summary.read, at('read = imported + merged + rejected + suppressed')).toBe(
    summary.imported + summary.merged + summary.rejected + summary.suppressed,
  );
  expect(after, at('contacts added')).toBe(before + summary.imported);
  if (expected.rows !== undefined) expect(summary.read, at('rows read')).toBe(expected.rows);
  if (expected.outcome === 'imported')
    expect(summary.rejected, at('rows rejected')).toBe(expected.rejected);
  // The quarantine agrees: one sealed line per rejected row (kept rows' lines aside).
  const quarantine = await readRejections(s.db, {
    keys: s.keys,
    importId: summary.importId,
    actor: 'fuzz',
  });
  expect(quarantine.withheld, at('withheld rows (nobody objected)')).toBe(0);
  const rejectedLines = quarantine.items.filter((q) => q.kind !== 'kept');
  expect(rejectedLines.length, at('quarantined rejected rows = summary.rejected')).toBe(
    summary.rejected,
  );
  expect(
    new Set(quarantine.items.map((q) => `${q.kind}:${q.line}`)).size,
    at('one quarantine line per row'),
  ).toBe(quarantine.items.length);
  const kept = quarantine.items.length - rejectedLines.length;
  expect(kept, at('kept rows quarantined <= rows imported or merged')).toBeLessThanOrEqual(
    summary.imported + summary.merged,
  );
  for (const q of quarantine.items)
    expect(q.reason, at('a quarantine reason of one line')).not.toMatch(/[\r\n]/);
  const record = await getImport(s.db, { importId: summary.importId });
  expect(record.status, at('import record status')).toBe('done');
  expect(record.summary.read, at('stored summary')).toBe(summary.read);
  // The preview read the same file: as many lines as the import (blank ones included).
  if (!preview.ok) {
    expectCleanRefusal(preview.error, tag, at);
    throw new Error(
      at(`imported, but the preview was refused: ${(preview.error as Error).message}`),
    );
  }
  expect(preview.value.rows, at('preview rows = read + blank rows')).toBe(
    summary.read + summary.blankRows,
  );
}

describe(`hostile CSV and XLSX files (fuzz, seed ${SEED})`, () => {
  it('has cases to run (ISOLOIR_FUZZ_CASE names one of them)', () => {
    expect(cases.length, `no case named ${ONLY}`).toBeGreaterThan(0);
  });
  for (const c of cases)
    it(
      `${c.name} (seed ${SEED}): never a crash or a hang, the accounting balances`,
      () => runCase(c),
      (c.heavy ? HEAVY_HANG_MS : HANG_MS) * 2 + 30_000,
    );
});
