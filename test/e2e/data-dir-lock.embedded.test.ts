// The embedded database's directory lock under contention: whatever the timing, one winner.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../files.ts';
import { repoRoot } from '../processes.ts';

const dirs = tempDir('isoloir-lock-');
afterAll(() => dirs.remove());

function race(dataDir: string, contenders: number): Promise<string[]> {
  return Promise.all(
    Array.from(
      { length: contenders },
      () =>
        new Promise<string>((resolve) => {
          const child = spawn(
            process.execPath,
            ['--import', 'tsx', path.join(repoRoot, 'test/lock-holder.ts'), dataDir],
            {
              cwd: repoRoot,
              stdio: ['ignore', 'pipe', 'inherit'],
            },
          );
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.on('exit', () => resolve(out.trim()));
        }),
    ),
  );
}

describe('data directory lock', () => {
  it('lets exactly one of several processes starting at once take a free directory', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = path.join(dirs.dir, `free-${round}`);
      const results = await race(dir, 5);
      expect(
        results.filter((r) => r === 'locked'),
        results.join('\n'),
      ).toHaveLength(1);
      expect(results.filter((r) => r.startsWith('busy: the data directory'))).toHaveLength(4);
    }
  });

  it('lets exactly one take over a stale lock left by a dead process', async () => {
    for (let round = 0; round < 3; round++) {
      const dir = path.join(dirs.dir, `stale-${round}`);
      fs.mkdirSync(dir, { recursive: true });
      // A pid that cannot be running: above the kernel's pid limit.
      fs.writeFileSync(path.join(dir, 'isoloir.lock'), '4194305 12345\n');
      const results = await race(dir, 5);
      expect(
        results.filter((r) => r === 'locked'),
        results.join('\n'),
      ).toHaveLength(1);
    }
  });

  it('treats an unreadable lock as held rather than guessing', async () => {
    const dir = path.join(dirs.dir, 'garbled');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'isoloir.lock'), '');
    expect(await race(dir, 1)).toEqual([expect.stringMatching(/^busy:/)]);
  });
});
