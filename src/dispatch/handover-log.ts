// The hand-over log: "this attempt of this outbox row is about to be handed to the channel",
// recorded DURABLY just before the hand-over, outside the send group's transaction. It is what
// lets a lease that runs out tell "may have reached the server" (`unknown`) from "never left"
// (back to the queue): only an attempt with a hand-over record can be `unknown` (issue 14, rule 2).
//
// - PostgreSQL: an insert into `outbox_handovers` (migration 0021), committed at once, through a
//   small pool of its own. Not the group's transaction (its rollback would take the record with
//   it) and not the main pool: under a flood of objections waiting on the group's FOR SHARE locks,
//   the main pool can be exhausted, and the group would then wait for a connection for its own
//   hand-over record while holding the locks they wait for (a deadlock).
// - Embedded database (PGlite, one connection, which the group's transaction holds): an
//   append-only file in the data directory, `send-handovers.log`, lines "outboxId attempt",
//   fsync'ed before the hand-over (one write and one fsync per wave), emptied when no row is
//   `sending`. One process holds the data directory (its lock), so the file is this process's.
// - memory:// (tests): the same, in memory.
// No personal data: outbox ids and attempt numbers only.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type pg from 'pg';
import { createPgPool, type Database, type Db } from '../db/open-db.ts';

/** One attempt of one outbox row (`attempt` is the row's `attempts` after its claim). */
export type Attempt = { id: number; attempt: number };

export interface HandoverLog {
  /**
   * true when this process alone can have rows `sending` (the embedded database: one process
   * holds the data directory), so that at start every `sending` row is a dead process's.
   */
  readonly exclusive: boolean;
  /** Records, durably, that these attempts are handed over now; resolves once on disk. */
  record(attempts: Attempt[], at: Date, worker: string): Promise<void>;
  /** The ids, among these attempts, that were recorded as handed over. */
  handedOver(db: Db, attempts: Attempt[]): Promise<Set<number>>;
  /** Forgets what no longer matters: called by the engine when no row is `sending`. */
  compact(db: Db): Promise<void>;
  close(): Promise<void>;
}

const key = (a: Attempt) => `${a.id} ${a.attempt}`;

/** In memory: the in-memory test database, and the default of a Dispatcher built by hand. */
export class MemoryHandoverLog implements HandoverLog {
  readonly exclusive: boolean;
  protected readonly entries = new Set<string>();
  constructor(options: { exclusive?: boolean } = {}) {
    this.exclusive = options.exclusive ?? false;
  }
  async record(attempts: Attempt[], _at?: Date, _worker?: string) {
    for (const a of attempts) this.entries.add(key(a));
  }
  async handedOver(_db: Db, attempts: Attempt[]) {
    return new Set(attempts.filter((a) => this.entries.has(key(a))).map((a) => a.id));
  }
  async compact(db: Db) {
    if (this.entries.size && !(await anySending(db))) this.entries.clear();
  }
  async close() {}
}

export const HANDOVER_FILE = 'send-handovers.log';

/** The embedded database's log: an append-only file in the data directory. */
export class FileHandoverLog extends MemoryHandoverLog {
  readonly file: string;
  #fd: number;
  #size: number;
  constructor(dataDir: string) {
    super({ exclusive: true });
    this.file = path.join(dataDir, HANDOVER_FILE);
    this.#fd = fs.openSync(this.file, 'a+', 0o600);
    const text = fs.readFileSync(this.file, 'utf8');
    // A line cut short by a crash during its write was never fsync'ed, so its message was not
    // handed over: only whole lines count, and the torn tail is cut.
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    if (whole.length !== text.length) fs.ftruncateSync(this.#fd, Buffer.byteLength(whole));
    this.#size = Buffer.byteLength(whole);
    for (const line of whole.split('\n').slice(0, -1)) {
      const [id, attempt] = line.split(' ').map(Number);
      if (Number.isSafeInteger(id) && Number.isSafeInteger(attempt))
        this.entries.add(key({ id: id!, attempt: attempt! }));
    }
  }
  override async record(attempts: Attempt[], _at?: Date, _worker?: string) {
    if (attempts.length === 0) return;
    const lines = Buffer.from(attempts.map((a) => `${key(a)}\n`).join(''));
    // A write may be short (a disk nearly full): write the rest until every byte is there, or
    // fail (then nothing of this wave is handed over).
    for (let written = 0; written < lines.length;) {
      written += await new Promise<number>((resolve, reject) =>
        fs.write(this.#fd, lines, written, lines.length - written, null, (error, n) =>
          error ? reject(error) : resolve(n),
        ),
      );
    }
    // On disk before the hand-over: a kill from here on finds the record at the next start.
    await new Promise<void>((resolve, reject) =>
      fs.fdatasync(this.#fd, (error) => (error ? reject(error) : resolve())),
    );
    this.#size += lines.length;
    await super.record(attempts);
  }
  override async compact(db: Db) {
    if (this.#size === 0 || (await anySending(db))) return;
    fs.ftruncateSync(this.#fd, 0);
    fs.fdatasyncSync(this.#fd);
    this.#size = 0;
    this.entries.clear();
  }
  override async close() {
    fs.closeSync(this.#fd);
  }
}

/** PostgreSQL: `outbox_handovers`, written through a pool of its own (see the header). */
export class PostgresHandoverLog implements HandoverLog {
  readonly exclusive = false;
  readonly #pool: pg.Pool;
  constructor(url: string) {
    // A few connections (as many as the default groups in flight): a send group needs one for a
    // moment, just before each wave, and should not queue behind another group's (bench:email:
    // 2 connections, 376 msg/s; 4, 422 msg/s on 20,000 messages).
    // Every connection's errors handled (createPgPool): a connection PostgreSQL ends fails its
    // insert, never the process.
    this.#pool = createPgPool(url, { max: 4, allowExitOnIdle: true });
  }
  async record(attempts: Attempt[], at: Date, worker: string) {
    if (attempts.length === 0) return;
    await this.#pool.query(
      `insert into outbox_handovers (outbox_id, attempt, at, worker)
       select h.id, h.attempt, $3::timestamptz, $4 from unnest($1::bigint[], $2::int[]) as h(id, attempt)
       on conflict do nothing`,
      [attempts.map((a) => a.id), attempts.map((a) => a.attempt), at.toISOString(), worker],
    );
  }
  async handedOver(db: Db, attempts: Attempt[]) {
    if (attempts.length === 0) return new Set<number>();
    const found = (await db.execute(sql`
      select h.outbox_id as id from outbox_handovers h
      join unnest(${sql.param(attempts.map((a) => a.id))}::bigint[],
                  ${sql.param(attempts.map((a) => a.attempt))}::int[]) as r(id, attempt)
        on h.outbox_id = r.id and h.attempt = r.attempt`)) as unknown as {
      rows: { id: number | string }[];
    };
    return new Set(found.rows.map((r) => Number(r.id)));
  }
  // The records stay: they say which attempts were offered to the server, and when (kept with
  // the outbox row, deleted with it).
  async compact() {}
  async close() {
    await this.#pool.end();
  }
}

async function anySending(db: Db): Promise<boolean> {
  const r = (await db.execute(
    sql`select exists (select 1 from outbox where state = 'sending') as any`,
  )) as unknown as { rows: { any: boolean }[] };
  return Boolean(r.rows[0]?.any);
}

/** The log that fits the database: its table, a file in the data directory, or memory. */
export function openHandoverLog(database: Pick<Database, 'kind' | 'location'>): HandoverLog {
  if (database.kind === 'postgres') return new PostgresHandoverLog(database.location);
  if (database.location.startsWith('memory://')) return new MemoryHandoverLog({ exclusive: true });
  return new FileHandoverLog(database.location);
}
