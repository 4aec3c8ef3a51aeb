// The workbook's shared strings, held as UTF-8 in one growing buffer with their end offsets:
// what they take in memory is exactly what is counted against the text budget (their bytes plus
// four a string), with no per-string object. A string longer than the cell limit is not kept:
// the cells that use it reject their row.
import type { TextBudget } from './workbook.ts';

export const TOO_LONG = Symbol('too long');

export class SharedStrings {
  private bytes = Buffer.alloc(64 * 1024);
  private used = 0;
  private ends = new Uint32Array(1024);
  private count = 0;
  private readonly tooLong = new Set<number>();
  private parts: string[] = [];
  private partBytes = 0;
  private over = false;

  constructor(
    private readonly budget: TextBudget,
    private readonly maxCellBytes: number,
  ) {}

  get size(): number {
    return this.count;
  }

  begin(): void {
    this.parts = [];
    this.partBytes = 0;
    this.over = false;
  }

  append(text: string): void {
    if (this.over) return;
    const n = Buffer.byteLength(text);
    this.partBytes += n;
    if (this.partBytes > this.maxCellBytes) {
      this.over = true;
      this.parts = [];
      return;
    }
    this.budget.check(this.partBytes);
    this.parts.push(text);
  }

  end(): void {
    if (this.over) this.tooLong.add(this.count);
    const text = this.over ? '' : this.parts.join('');
    const n = this.over ? 0 : this.partBytes;
    this.budget.take(n + 4);
    if (this.used + n > this.bytes.length) {
      // Doubling, but never past the budget: the limit bounds the copy too.
      const needed = this.used + n;
      const grown = Buffer.allocUnsafe(
        Math.max(needed, Math.min(this.bytes.length * 2, this.budget.limit)),
      );
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.used += this.bytes.write(text, this.used);
    if (this.count === this.ends.length) {
      const grown = new Uint32Array(this.ends.length * 2);
      grown.set(this.ends);
      this.ends = grown;
    }
    this.ends[this.count++] = this.used;
    this.parts = [];
    this.partBytes = 0;
  }

  /** The string at `index`, TOO_LONG, or undefined when the workbook has no such string. */
  get(index: number): string | typeof TOO_LONG | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    if (this.tooLong.has(index)) return TOO_LONG;
    const start = index === 0 ? 0 : this.ends[index - 1]!;
    return this.bytes.toString('utf8', start, this.ends[index]!);
  }
}
