// PGlite is one process, one connection: two processes on one data directory would corrupt it.
//
// The lock is a file holding the owner's pid and start time. It is created atomically, already
// filled in (written to a private temp file, then hard-linked into place, which fails if the lock
// exists), so nobody ever reads a half-written lock. A lock whose process is gone (a crash or a
// SIGKILL) is stale; taking it over happens under a second, short-lived "takeover" lock, so two
// processes that both see the same stale lock cannot both win. The start time guards against a
// new process that reuses the dead owner's pid.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export class DataDirLockedError extends Error {}

export type DataDirLock = { release(): void };

type Owner = { pid: number; started: string };

/** The kernel's start time of a process (Linux /proc), or '' where unavailable. */
function startTimeOf(pid: number): string {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime); the command name (field 2) may hold spaces, so count after ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function isAlive(owner: Owner): boolean {
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const started = startTimeOf(owner.pid);
  return !owner.started || !started || started === owner.started;
}

function readOwner(file: string): Owner | undefined {
  try {
    const [pid, started = ''] = fs.readFileSync(file, 'utf8').trim().split(/\s+/);
    const n = Number(pid);
    return Number.isInteger(n) && n > 0 ? { pid: n, started } : undefined;
  } catch {
    return undefined;
  }
}

/** Creates `file` holding our identity, atomically; false if it already exists. */
function createExclusive(file: string): boolean {
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(temp, `${process.pid} ${startTimeOf(process.pid)}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    fs.rmSync(temp, { force: true });
  }
}

function removeIfOwnedBy(file: string, owner: Owner): void {
  const current = readOwner(file);
  if (current && current.pid === owner.pid && current.started === owner.started)
    fs.rmSync(file, { force: true });
}

function busy(dataDir: string, owner: Owner | undefined): DataDirLockedError {
  return new DataDirLockedError(
    `the data directory ${dataDir} is in use by another Isoloir process` +
      (owner
        ? ` (pid ${owner.pid})`
        : ` (its lock file is unreadable: if no Isoloir process is running, delete ${path.join(dataDir, 'isoloir.lock')})`) +
      '; the embedded database allows one process at a time: stop that process, use its HTTP API, ' +
      'or run on PostgreSQL (DATABASE_URL) for several processes',
  );
}

export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lockPath = path.join(dataDir, 'isoloir.lock');
  const takeoverPath = `${lockPath}.takeover`;
  const me: Owner = { pid: process.pid, started: startTimeOf(process.pid) };

  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(lockPath)) {
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          removeIfOwnedBy(lockPath, me);
        },
      };
    }
    const owner = readOwner(lockPath);
    // An unreadable lock is treated as held: guessing "stale" could let two processes in.
    if (!owner || isAlive(owner)) throw busy(dataDir, owner);

    // Stale: take it over under the takeover lock, re-checking that it is the same stale lock.
    const takeover = readOwner(takeoverPath);
    if (takeover && !isAlive(takeover)) removeIfOwnedBy(takeoverPath, takeover);
    if (!createExclusive(takeoverPath)) throw busy(dataDir, owner);
    try {
      const still = readOwner(lockPath);
      if (still && still.pid === owner.pid && still.started === owner.started)
        removeIfOwnedBy(lockPath, still);
    } finally {
      removeIfOwnedBy(takeoverPath, me);
    }
  }
  throw busy(dataDir, readOwner(lockPath));
}
