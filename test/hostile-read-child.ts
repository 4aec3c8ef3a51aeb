// Reads one file as the import and the preview do (openRecords), in a process of its own, and
// prints one JSON line: how it ended and the process's peak RSS. The fuzz suite runs its heavy
// cases (gigabyte bombs at the default limits) here, where the peak is the kernel's high-water
// mark of a fresh process rather than a sample in a test worker that already holds a database.
// Usage: node --import tsx test/hostile-read-child.ts <file> [<limits as JSON>]
import fs from 'node:fs';
import { openRecords, readHeader } from '../src/domain/contacts/import/open-file.ts';
import { DomainError } from '../src/domain/errors.ts';

// The peak of this process's memory: VmHWM (Linux), the high-water mark of this program's own
// address space. Not getrusage's maxRSS: after fork and exec it starts from the parent's RSS.
let sampled = process.memoryUsage.rss();
const sampler = setInterval(() => (sampled = Math.max(sampled, process.memoryUsage.rss())), 5);
function peakRss(): number {
  clearInterval(sampler);
  try {
    const kib = /VmHWM:\s*(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1];
    if (kib) return Number(kib) * 1024;
  } catch {
    // not Linux: the sampled peak
  }
  return Math.max(sampled, process.memoryUsage.rss());
}

const [file, limits] = process.argv.slice(2);
let result: Record<string, unknown>;
try {
  const { records } = await openRecords(file!, limits ? { limits: JSON.parse(limits) } : {});
  await readHeader(records);
  let rows = 0;
  let errors = 0;
  for await (const record of records) {
    rows++;
    if ('error' in record) errors++;
  }
  result = { outcome: 'read', rows, errors };
} catch (error) {
  result =
    error instanceof DomainError
      ? { outcome: 'refused', message: error.message, key: error.key }
      : { outcome: 'crashed', message: String((error as Error)?.stack ?? error) };
}
process.stdout.write(`${JSON.stringify({ ...result, peakRss: peakRss() })}\n`);
