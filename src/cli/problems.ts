// Prints dataset problems as warnings on stderr: the dataset stays usable, but the user should know what was skipped.

import type { DatasetProblem } from '../core/types';

const MAX_SHOWN = 20;

export function printProblems(problems: DatasetProblem[], stderr: (text: string) => void): void {
  for (const p of problems.slice(0, MAX_SHOWN)) {
    stderr(`warning: ${p.file}: ${p.video ? `video ${p.video}: ` : ''}${p.message}\n`);
  }
  if (problems.length > MAX_SHOWN) stderr(`warning: … and ${problems.length - MAX_SHOWN} more problems\n`);
}
