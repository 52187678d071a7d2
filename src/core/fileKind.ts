// Existence checks for layout probing: anything that cannot be stat'ed (missing, no permission) counts as absent.

import { stat } from 'node:fs/promises';

/** True when `p` is (or links to) a folder. */
export async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** True when `p` is (or links to) a regular file. */
export async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
