// PGlite is one process, one connection: two processes on one data directory would corrupt it.
// A lock file created with O_EXCL holds the owner's pid; a lock whose process is gone is stale
// (a crash or SIGKILL) and is taken over, so a crashed server never blocks the next start.
import fs from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {}

export type DataDirLock = { release(): void };

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockDataDir(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lockPath = path.join(dataDir, 'isoloir.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o600);
      fs.writeSync(fd, `${process.pid}\n`);
      fs.closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          // Remove the lock only if it is still ours.
          try {
            if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid)) {
              fs.unlinkSync(lockPath);
            }
          } catch {
            // Already gone: nothing to release.
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number.parseInt(fs.readFileSync(lockPath, 'utf8'), 10);
      if (Number.isInteger(owner) && owner !== process.pid && processIsAlive(owner)) {
        throw new DataDirLockedError(
          `the data directory ${dataDir} is in use by another Isoloir process (pid ${owner}); ` +
            'the embedded database allows one process at a time: stop that process, use its HTTP API, ' +
            'or run on PostgreSQL (DATABASE_URL) for several processes',
        );
      }
      // Stale lock from a process that is gone: remove it and try once more.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new DataDirLockedError(`could not lock the data directory ${dataDir}; try again`);
}
