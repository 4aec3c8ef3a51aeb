// Runs the real server and CLI as child processes, the way a user or a script does.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type ServerProcess = {
  child: ChildProcess;
  port: number;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
};

/** Starts `npm start`'s entry on a free port; resolves once it listens (or rejects if it exits). */
export function startServer(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/server.js')], {
    cwd: repoRoot,
    env: { PATH: process.env.PATH, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`server did not start in time:\n${err}`)),
      45_000,
    );
    const onData = () => {
      const match = /"port":(\d+)[^\n]*Isoloir listening/.exec(err);
      if (match) {
        clearTimeout(timer);
        child.stderr!.off('data', onData);
        resolve({ child, port: Number(match[1]), stdout: () => out, stderr: () => err, exited });
      }
    };
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(
        Object.assign(new Error(`server exited with ${code} before listening: ${err}`), {
          code,
          stderr: err,
        }),
      );
    });
  });
}

/** Runs the `isoloir` bin to completion. */
export function runBin(
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/isoloir.js'), ...args], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * Runs the server for a start that must fail, to its exit (stdout ignored). Should it start after
 * all, it is stopped after `stopAfterMs` and the caller's assertion on the code fails.
 */
export function runServerToExit(
  env: NodeJS.ProcessEnv,
  stopAfterMs = 200_000,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/server.js')], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, PORT: '0', ISOLOIR_LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const guard = setTimeout(() => child.kill('SIGTERM'), stopAfterMs);
    child.on('exit', (code) => {
      clearTimeout(guard);
      resolve({ code, stderr });
    });
  });
}
