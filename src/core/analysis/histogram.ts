// Histograms of per-expression scores: equal-width bins with their counts, each bin carrying the filter that selects
// exactly its expressions (so a click on a bar lists them). Bins are [lo, hi) except the last, which includes its
// upper edge; values are placed by comparing with the same edges the filters use, never by a rounded division alone.

import type { ExpressionFilter, ExpressionIndex, Measure } from './expressionIndex';

export interface HistogramBin {
  lo: number;
  hi: number;
  count: number;
  /** The caller's filter narrowed to this bin. */
  filter: ExpressionFilter;
}

export interface Histogram {
  measure: Measure;
  bins: HistogramBin[];
  /** Values counted (all bins). */
  total: number;
  /** Values outside [min, max], not in any bin. */
  outside: number;
}

export interface HistogramOptions {
  bins?: number;
  /** Default 0 (J, F, J&F) or −1 (ΔJ&F). */
  min?: number;
  /** Default 1. */
  max?: number;
  /** Only rows matching this filter; each bin's filter extends it. */
  filter?: ExpressionFilter;
}

/** Bin edges min + (max − min)·k/bins, k = 0…bins. */
export function binEdges(min: number, max: number, bins: number): Float64Array {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  if (!(max > min)) throw new RangeError(`histogram range must have max > min, got [${min}, ${max}]`);
  const edges = new Float64Array(bins + 1);
  for (let k = 0; k <= bins; k++) edges[k] = k === bins ? max : min + ((max - min) * k) / bins;
  return edges;
}

/** Counts per bin of `values` over `edges`; returns [counts, outside]. */
export function countBins(values: ArrayLike<number>, edges: Float64Array): [Uint32Array, number] {
  const bins = edges.length - 1;
  const counts = new Uint32Array(bins);
  const min = edges[0];
  const max = edges[bins];
  const scale = bins / (max - min);
  let outside = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!(v >= min && v <= max)) {
      outside++;
      continue;
    }
    let b = Math.min(bins - 1, Math.floor((v - min) * scale));
    // The division can be off by one at an edge: settle by the edges themselves, as the bin filters do.
    while (b > 0 && v < edges[b]) b--;
    while (b < bins - 1 && v >= edges[b + 1]) b++;
    counts[b]++;
  }
  return [counts, outside];
}

/** Histogram of `measure` over the index's rows matching options.filter. */
export function histogram(index: ExpressionIndex, measure: Measure = 'JF', options: HistogramOptions = {}): Histogram {
  const min = options.min ?? (measure === 'deltaJF' ? -1 : 0);
  const max = options.max ?? 1;
  const edges = binEdges(min, max, options.bins ?? 10);
  const values = index.valuesOf(measure, options.filter);
  const [counts, outside] = countBins(values, edges);
  const bins: HistogramBin[] = [];
  for (let b = 0; b < counts.length; b++) {
    const last = b === counts.length - 1;
    const range = { measure, min: edges[b], max: edges[b + 1], ...(last ? { maxInclusive: true } : {}) };
    bins.push({ lo: edges[b], hi: edges[b + 1], count: counts[b], filter: { ...options.filter, scoreRange: range } });
  }
  return { measure, bins, total: values.length - outside, outside };
}

/** One histogram per expression category (or object category), in the index's order of first appearance. */
export function histogramsByCategory(
  index: ExpressionIndex,
  by: 'category' | 'objectCategory',
  measure: Measure = 'JF',
  options: HistogramOptions = {},
): { category: string; histogram: Histogram }[] {
  const names = by === 'category' ? index.categories : index.objectCategories;
  return names.map((category) => {
    const filter: ExpressionFilter =
      by === 'category'
        ? { ...options.filter, categories: [category] }
        : { ...options.filter, objectCategories: [category] };
    return { category, histogram: histogram(index, measure, { ...options, filter }) };
  });
}
