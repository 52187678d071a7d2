// What the Failures panel lists, without VS Code: a FailuresQuery → a page of rows and the J&F histograms. One run
// worst-first by J&F, J, F or ΔJ&F against a chosen baseline run (ExpressionIndex), or two and more runs side by side
// sorted by the largest regression (compareRuns). Indexes and the comparison are built once and reused while the
// scores stay the same, so paging and filtering are one pass over a cached order.

import type { Annotation } from '../../core/analysis/annotationsStore';
import {
  compareRuns,
  frameDeltas,
  sortByRegression,
  type ComparisonRow,
  type NamedRun,
} from '../../core/analysis/compareRuns';
import { ExpressionIndex, type ExpressionFilter, type ExpressionRow } from '../../core/analysis/expressionIndex';
import { expressionKey, scoresByKey } from '../../core/analysis/expressionKey';
import { histogram, histogramsByCategory, type Histogram } from '../../core/analysis/histogram';
import type { ExpressionScore, SplitScore, Video } from '../../core/types';
import type { FailureRow, FailuresQuery, HistogramView } from '../../shared/failures/protocol';

/** Where tags and notes come from (AnnotationsStore). */
export interface AnnotationLookup {
  get(video: string, expId: string): Annotation;
  keysWithTag(tag: string): Set<string>;
}

export interface FailuresInput {
  mode: 'single' | 'compare';
  /** single: the run listed; compare: the runs side by side, the first being the baseline. */
  runs: readonly NamedRun[];
  /** single: the runs a ΔJ&F can be taken against, by name. */
  baselines?: ReadonlyMap<string, SplitScore>;
  /** The split's videos: object categories and the frame index of the worst frame. */
  videos?: ReadonlyMap<string, Video>;
  /** The benchmark's subsets of an expression (core/benchmarks/subsets.ts), for the subset filter. */
  subsetsOf?: (video: string, expId: string) => string[];
}

export interface FailuresPage {
  offset: number;
  total: number;
  rows: FailureRow[];
  histograms?: HistogramView[];
}

/** Bins of the split histogram and of the per-category ones (5 points of J&F, 10 points per category). */
export const SPLIT_BINS = 20;
export const CATEGORY_BINS = 10;

/**
 * The ExpressionFilter of a query; a tag with no store (no workspace folder) selects nothing. `subsetKeys` gives the
 * keys of a benchmark subset's expressions; with a tag too, the keys in both.
 */
export function expressionFilter(
  q: FailuresQuery,
  annotations: AnnotationLookup | undefined,
  subsetKeys?: (subset: string) => ReadonlySet<string>,
): ExpressionFilter {
  const filter: ExpressionFilter = {};
  if (q.range) filter.scoreRange = { ...q.range };
  if (q.video) filter.videos = [q.video];
  if (q.objectCategory) filter.objectCategories = [q.objectCategory];
  if (q.category) filter.categories = [q.category];
  if (q.words?.trim()) filter.words = q.words;
  if (q.tag) filter.keys = annotations?.keysWithTag(q.tag) ?? new Set();
  if (q.subset) {
    const inSubset = subsetKeys?.(q.subset) ?? new Set<string>();
    const tagged = filter.keys;
    filter.keys = tagged ? new Set([...inSubset].filter((k) => tagged.has(k))) : inSubset;
  }
  return filter;
}

function histogramView(h: Histogram, category?: string): HistogramView {
  const bins = h.bins.map(({ lo, hi, count, filter }) => ({ lo, hi, count, range: { ...filter.scoreRange! } }));
  return { ...(category === undefined ? {} : { category }), bins, total: h.total };
}

export class FailuresModel {
  private readonly indexes = new Map<string, ExpressionIndex>();
  private comparison: ComparisonRow[] | undefined;
  private runScores: Map<string, ExpressionScore>[] | undefined;
  private subsetIndex: Map<string, Set<string>> | undefined;

  constructor(private readonly input: FailuresInput) {
    if (input.runs.length === 0) throw new RangeError('the Failures list needs a scored run');
    if (input.mode === 'compare' && input.runs.length < 2)
      throw new RangeError(`comparing needs at least two runs, got ${input.runs.length}`);
  }

  /** Index of the listed run (compare: the first run), with ΔJ&F against `baseline` when it is a known run. */
  index(baseline?: string): ExpressionIndex {
    const base =
      this.input.mode === 'single' && baseline !== undefined ? this.input.baselines?.get(baseline) : undefined;
    const key = base ? baseline! : '';
    let index = this.indexes.get(key);
    if (!index) {
      // An index per baseline shares the run's columns and sorts with the plain one: the join is one pass.
      index =
        key === ''
          ? new ExpressionIndex(this.input.runs[0].score, { videos: this.input.videos })
          : this.index().withBaseline(base);
      this.indexes.set(key, index);
    }
    return index;
  }

  /** The benchmark's subsets present among the listed run's expressions → their keys (built once). */
  subsets(): ReadonlyMap<string, ReadonlySet<string>> {
    if (this.subsetIndex) return this.subsetIndex;
    this.subsetIndex = new Map();
    const of = this.input.subsetsOf;
    if (of) {
      for (const e of this.input.runs[0].score.expressions) {
        for (const name of of(e.video, e.expId)) {
          let keys = this.subsetIndex.get(name);
          if (!keys) this.subsetIndex.set(name, (keys = new Set()));
          keys.add(expressionKey(e.video, e.expId));
        }
      }
    }
    return this.subsetIndex;
  }

  page(
    q: FailuresQuery,
    offset: number,
    limit: number,
    annotations: AnnotationLookup | undefined,
    withHistograms = false,
  ): FailuresPage {
    const filter = expressionFilter(q, annotations, (name) => this.subsets().get(name) ?? new Set());
    const index = this.index(q.baseline);
    const page: FailuresPage =
      this.input.mode === 'compare'
        ? this.comparePage(index, filter, offset, limit, annotations)
        : this.singlePage(index, q, filter, offset, limit, annotations);
    if (withHistograms) {
      // Under every filter but the score range, so a click on a bin narrows the list without emptying the chart.
      const { scoreRange: _range, ...rest } = filter;
      const options = { filter: rest };
      page.histograms = [
        histogramView(histogram(index, 'JF', { ...options, bins: SPLIT_BINS })),
        ...histogramsByCategory(index, 'category', 'JF', { ...options, bins: CATEGORY_BINS })
          .filter((c) => c.histogram.total > 0)
          .map((c) => histogramView(c.histogram, c.category)),
      ];
    }
    return page;
  }

  private singlePage(
    index: ExpressionIndex,
    q: FailuresQuery,
    filter: ExpressionFilter,
    offset: number,
    limit: number,
    annotations: AnnotationLookup | undefined,
  ): FailuresPage {
    const { rows, total } = index.query({ sortBy: q.measure, order: q.order, filter, offset, limit });
    return { offset, total, rows: rows.map((r) => this.singleRow(r, annotations)) };
  }

  private singleRow(r: ExpressionRow, annotations: AnnotationLookup | undefined): FailureRow {
    const { tags, note } = annotations?.get(r.video, r.expId) ?? { tags: [], note: '' };
    const row: FailureRow = {
      key: r.key,
      video: r.video,
      expId: r.expId,
      text: r.text,
      J: r.J,
      F: r.F,
      JF: r.JF,
      frames: r.frames,
      missing: r.missing,
      tags,
      note,
    };
    if (r.category !== undefined) row.category = r.category;
    if (r.objectCategory !== undefined) row.objectCategory = r.objectCategory;
    if (r.baselineJF !== undefined) row.baselineJF = r.baselineJF;
    if (r.deltaJF !== undefined) row.deltaJF = r.deltaJF;
    if (r.worstFrame)
      row.worstFrame = {
        frame: r.worstFrame.frame,
        index: this.frameIndex(r.video, r.worstFrame.frame),
        JF: r.worstFrame.JF,
      };
    return row;
  }

  private frameIndex(video: string, frame: string): number {
    return Math.max(0, this.input.videos?.get(video)?.frames.indexOf(frame) ?? 0);
  }

  /** Rows sorted by the largest regression, kept to those the filter selects in the first run. */
  private comparePage(
    index: ExpressionIndex,
    filter: ExpressionFilter,
    offset: number,
    limit: number,
    annotations: AnnotationLookup | undefined,
  ): FailuresPage {
    this.comparison ??= sortByRegression(compareRuns(this.input.runs).rows);
    this.runScores ??= this.input.runs.map((r) => scoresByKey(r.score.expressions));
    let rows: readonly ComparisonRow[] = this.comparison;
    if (Object.keys(filter).length > 0) {
      const match = index.matcher(filter);
      const keys = new Set<string>();
      index.rows.forEach((r, i) => match(i) && keys.add(r.key));
      rows = rows.filter((r) => keys.has(r.key));
    }
    const byKey = new Map(index.rows.map((r) => [r.key, r]));
    return {
      offset,
      total: rows.length,
      rows: rows.slice(offset, offset + limit).map((r) => this.compareRow(r, byKey.get(r.key), annotations)),
    };
  }

  private compareRow(
    c: ComparisonRow,
    base: ExpressionRow | undefined,
    annotations: AnnotationLookup | undefined,
  ): FailureRow {
    const row: FailureRow = base
      ? this.singleRow(base, annotations)
      : {
          key: c.key,
          video: c.video,
          expId: c.expId,
          text: c.expression,
          frames: 0,
          missing: 0,
          ...(annotations?.get(c.video, c.expId) ?? { tags: [], note: '' }),
        };
    row.runsJF = c.JF.map((v) => v ?? null);
    row.runsDelta = c.deltaJF.map((v) => v ?? null);
    if (c.worstDelta !== undefined) {
      row.worstDelta = c.worstDelta;
      const worst = this.largestFrameRegression(c);
      if (worst) row.worstFrame = worst;
    }
    return row;
  }

  /** The frame where the most regressed run loses the most J&F against the first run. */
  private largestFrameRegression(c: ComparisonRow): FailureRow['worstFrame'] {
    const scores = this.runScores!;
    const run = c.deltaJF.findIndex((d, k) => k > 0 && d === c.worstDelta);
    const base = scores[0].get(c.key);
    const other = scores[run]?.get(c.key);
    if (!base || !other) return undefined;
    let worst: { frame: string; delta: number; JF?: number } | undefined;
    for (const d of frameDeltas(base, other)) {
      if (d.delta !== undefined && (!worst || d.delta < worst.delta))
        worst = { frame: d.frame, delta: d.delta, JF: d.otherJF };
    }
    return (
      worst && { frame: worst.frame, index: this.frameIndex(c.video, worst.frame), JF: worst.JF, delta: worst.delta }
    );
  }
}
