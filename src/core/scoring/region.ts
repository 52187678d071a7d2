// Region similarity J (intersection over union) from run-length masks.

import type { RowRuns } from './runs';

/** IoU of the two masks' foregrounds; 1 when both are empty (DAVIS convention). */
export function regionFromRuns(g: RowRuns, p: RowRuns): number {
  let inter = 0;
  for (let y = 0; y < g.height; y++) {
    let i = g.rowStart[y];
    let j = p.rowStart[y];
    const iEnd = g.rowStart[y + 1];
    const jEnd = p.rowStart[y + 1];
    while (i < iEnd && j < jEnd) {
      const lo = Math.max(g.starts[i], p.starts[j]);
      const hi = Math.min(g.ends[i], p.ends[j]);
      if (hi > lo) inter += hi - lo;
      if (g.ends[i] < p.ends[j]) i++;
      else j++;
    }
  }
  const union = g.area + p.area - inter;
  return union === 0 ? 1 : inter / union;
}
