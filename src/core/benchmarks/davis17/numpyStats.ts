// Means and DAVIS statistics computed the way numpy computes them, so that results agree with the Python reference
// scripts to the last bit where possible (numpy sums float64 arrays pairwise, not left to right).

/** numpy's pairwise summation of a contiguous float64 array (blocks of 8 accumulators up to 128 values). */
export function numpySum(values: ArrayLike<number>, from = 0, to = values.length): number {
  const n = to - from;
  if (n < 8) {
    let s = 0;
    for (let i = from; i < to; i++) s += values[i];
    return s;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let k = 0; k < 8; k++) r[k] = values[from + k];
    let i = from + 8;
    for (; i < to - (n % 8); i += 8) for (let k = 0; k < 8; k++) r[k] += values[i + k];
    let s = r[0] + r[1] + (r[2] + r[3]) + (r[4] + r[5] + (r[6] + r[7]));
    for (; i < to; i++) s += values[i];
    return s;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return numpySum(values, from, from + half) + numpySum(values, from + half, to);
}

/** np.mean of a 1-D float64 array; NaN for no values (as numpy, without its warning). */
export function numpyMean(values: ArrayLike<number>): number {
  return numpySum(values) / values.length;
}

/** The DAVIS statistics of one object's per-frame values (davis2017 `utils.db_statistics`). */
export interface DavisStatistics {
  /** Mean over frames. */
  mean: number;
  /** Fraction of frames with a value above 0.5. */
  recall: number;
  /** Mean of the first quarter of the frames minus mean of the last quarter. */
  decay: number;
}

/**
 * Mean, recall (> 0.5) and decay. The four quarters are slices [ids[k], ids[k+1]] (both ends included, so neighbours
 * share a frame) with ids = round(linspace(1, n, 5)) - 1, .5 rounded up; decay = mean(first) - mean(last).
 * The reference stores ids as uint8, so for n > 256 frames they wrap; this does the same.
 */
export function davisStatistics(perFrame: readonly number[]): DavisStatistics {
  const n = perFrame.length;
  const above = perFrame.map((v) => (v > 0.5 ? 1 : 0));
  const ids = [0, 1, 2, 3, 4].map((k) => (Math.floor(1 + (k * (n - 1)) / 4 + 0.5) - 1) & 0xff);
  const quarter = (k: number) => perFrame.slice(ids[k], ids[k + 1] + 1);
  return { mean: numpyMean(perFrame), recall: numpyMean(above), decay: numpyMean(quarter(0)) - numpyMean(quarter(3)) };
}
