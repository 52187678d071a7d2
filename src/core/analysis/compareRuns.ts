// Two or more runs side by side, joined per (video, expression id): each run's J&F and its ΔJ&F against the first
// run (the baseline), sortable by the largest regression; and per-frame deltas for one expression.

import type { ExpressionScore, SplitScore } from '../types';
import { compareExpIds, expressionKey, scoresByKey } from './expressionKey';

export interface NamedRun {
  name: string;
  score: SplitScore;
}

export interface ComparisonRow {
  key: string;
  video: string;
  expId: string;
  expression: string;
  /** J&F per run, in the order of the runs; undefined where a run did not score the expression. */
  JF: (number | undefined)[];
  /** JF[k] − JF[0] per run (0 for the baseline itself); undefined where either is missing. */
  deltaJF: (number | undefined)[];
  /** The most negative delta of the other runs (the worst regression), undefined when none is known. */
  worstDelta?: number;
}

export interface RunComparison {
  runs: string[];
  rows: ComparisonRow[];
}

/** Joins the runs' expressions; rows are in (video, expression id) order. Needs at least two runs. */
export function compareRuns(runs: readonly NamedRun[]): RunComparison {
  if (runs.length < 2) throw new RangeError(`comparing needs at least two runs, got ${runs.length}`);
  const maps = runs.map((r) => scoresByKey(r.score.expressions));
  const first = new Map<string, ExpressionScore>();
  for (const map of maps) for (const [key, e] of map) if (!first.has(key)) first.set(key, e);
  const rows: ComparisonRow[] = [];
  for (const [key, e] of first) {
    const JF = maps.map((m) => m.get(key)?.JF);
    const deltaJF = JF.map((v) => (v === undefined || JF[0] === undefined ? undefined : v - JF[0]));
    const row: ComparisonRow = { key, video: e.video, expId: e.expId, expression: e.expression, JF, deltaJF };
    for (let k = 1; k < deltaJF.length; k++) {
      const d = deltaJF[k];
      if (d !== undefined && (row.worstDelta === undefined || d < row.worstDelta)) row.worstDelta = d;
    }
    rows.push(row);
  }
  rows.sort(byName);
  return { runs: runs.map((r) => r.name), rows };
}

function byName(a: ComparisonRow, b: ComparisonRow): number {
  return a.video < b.video ? -1 : a.video > b.video ? 1 : compareExpIds(a.expId, b.expId);
}

/**
 * Rows by regression, largest first: by the delta of run `run` (default: the worst delta of any run), ties in
 * (video, expression id) order; rows without that delta last. Returns a new array.
 */
export function sortByRegression(rows: readonly ComparisonRow[], run?: number): ComparisonRow[] {
  const delta = (r: ComparisonRow) => (run === undefined ? r.worstDelta : r.deltaJF[run]);
  return [...rows].sort((a, b) => {
    const da = delta(a);
    const db = delta(b);
    if (da === undefined || db === undefined) return da === db ? byName(a, b) : da === undefined ? 1 : -1;
    return da - db || byName(a, b);
  });
}

export interface FrameDelta {
  frame: string;
  /** J&F of the frame in the baseline and the other run; undefined where that run has no score for the frame. */
  baseJF?: number;
  otherJF?: number;
  delta?: number;
  /** A run had no prediction file for the frame. */
  baseMissing: boolean;
  otherMissing: boolean;
}

/** Per-frame J&F of one expression in two runs, in the baseline's frame order followed by frames only the other has. */
export function frameDeltas(base: ExpressionScore, other: ExpressionScore): FrameDelta[] {
  if (expressionKey(base.video, base.expId) !== expressionKey(other.video, other.expId)) {
    throw new RangeError(
      `frame deltas need the same expression, got ${base.video}/${base.expId} and ${other.video}/${other.expId}`,
    );
  }
  const otherFrames = new Map(other.frames.map((f) => [f.frame, f]));
  const out: FrameDelta[] = [];
  for (const f of base.frames) {
    const o = otherFrames.get(f.frame);
    otherFrames.delete(f.frame);
    const baseJF = (f.J + f.F) / 2;
    const row: FrameDelta = { frame: f.frame, baseJF, baseMissing: f.missing, otherMissing: o?.missing ?? false };
    if (o) {
      row.otherJF = (o.J + o.F) / 2;
      row.delta = row.otherJF - baseJF;
    }
    out.push(row);
  }
  for (const o of otherFrames.values())
    out.push({ frame: o.frame, otherJF: (o.J + o.F) / 2, baseMissing: false, otherMissing: o.missing });
  return out;
}
