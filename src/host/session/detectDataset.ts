// Finds a dataset in the workspace (any benchmark layout: Ref-YouTube-VOS, MeViS), or one in its immediate subfolders.

import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { detectBenchmark } from '../../core/benchmarks';

const isDatasetRoot = async (dir: string) => (await detectBenchmark(dir)) !== undefined;

/** The first dataset root among `folders` and their immediate subfolders (sorted), or undefined. */
export async function findDatasetRoot(folders: readonly string[]): Promise<string | undefined> {
  for (const folder of folders) {
    if (await isDatasetRoot(folder)) return folder;
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch {
      continue; // unreadable workspace folder: nothing to detect there
    }
    const subfolders = entries
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
      .map((e) => e.name)
      .sort();
    for (const name of subfolders) {
      const candidate = path.join(folder, name);
      if (await isDatasetRoot(candidate)) return candidate;
    }
  }
  return undefined;
}
