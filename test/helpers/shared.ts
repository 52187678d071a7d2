// Tests that need `../shared` (golden data next to the clone, absent in a user's clone). Locally such a test skips
// saying why; in CI (CI set, as .ci/run does) the absence fails the test file loudly: CI must never skip one silently.

import { existsSync } from 'node:fs';

/** `false` when `file` exists; else the skip reason, or (in CI) an Error naming the file. */
export function needsShared(file: string): string | false {
  if (existsSync(file)) return false;
  if (process.env.CI)
    throw new Error(`${file} is absent: CI must provide ../shared next to the repository (this test needs it)`);
  return `${file} absent (../shared is not next to this clone)`;
}
