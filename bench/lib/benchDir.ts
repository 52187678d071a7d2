// The temp folder a benchmark builds its data in, and how a benchmark's main ends.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/** Runs `body` in a fresh temp folder, removed afterwards unless KEEP_BENCH_DIR is set (to profile on the data). */
export async function inBenchDir<T>(name: string, body: (root: string) => Promise<T>): Promise<T> {
  const root = await mkdtemp(path.join(tmpdir(), `rvos-bench-${name}-`));
  try {
    return await body(root);
  } finally {
    if (process.env.KEEP_BENCH_DIR) console.log(`kept ${root}`);
    else await rm(root, { recursive: true, force: true });
  }
}

/** Runs a benchmark's main: an error is printed and the process exits 1. */
export function runBench(main: () => Promise<void>): void {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
