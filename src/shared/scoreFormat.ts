// How a score reads wherever it is shown (Clips tree, Failures panel, viewer): plain, for both bundles.

/** A score in [0, 1] as a percentage with one decimal, the way the RVOS papers report J&F. */
export function formatPercent(x: number): string {
  return (x * 100).toFixed(1);
}
