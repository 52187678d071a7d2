// Runs a child process to completion with its output passed through, failing with the step's name.
import { spawn, type SpawnOptions } from 'node:child_process';

export const REPO_ROOT = new URL('../..', import.meta.url).pathname.replace(/\/$/, '');

/** Runs `command args` (stdio inherited unless options say otherwise); rejects naming `step` on a non-zero exit. */
export function runStep(step: string, command: string, args: string[], options: SpawnOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, stdio: 'inherit', ...options });
    child.on('error', (err) => reject(new Error(`${step}: cannot start ${command}: ${err.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${step} failed: ${command} ${args.join(' ')} exited with ${signal ?? code}`));
    });
  });
}

/** Like runStep, but captures stdout and stderr (returned on success, included in the error otherwise). */
export function runCaptured(
  step: string,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: REPO_ROOT, ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', (err) => reject(new Error(`${step}: cannot start ${command}: ${err.message}`)));
    child.on('exit', (code, signal) => {
      if (code === 0) resolve(out);
      else
        reject(
          new Error(`${step} failed: ${command} ${args.join(' ')} exited with ${signal ?? code}\n${out.slice(-4000)}`),
        );
    });
  });
}
