// Child process for the lock race test: tries to lock a data directory, says whether it got it,
// holds it for a moment so the others see it held, then releases it.
import { lockDataDir } from '../src/db/data-dir-lock.ts';

const dir = process.argv[2]!;
try {
  const lock = lockDataDir(dir);
  process.stdout.write('locked\n');
  setTimeout(() => {
    lock.release();
    process.exit(0);
  }, 1500);
} catch (error) {
  process.stdout.write(`busy: ${(error as Error).message}\n`);
  process.exit(0);
}
