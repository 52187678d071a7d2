// Scores of the predictions the viewer shows, in one form (ExpressionScore: imported runs come that way from the
// host, YOFO's streamed frame scores are put into it), turned into chart series and into the rows of "compare with":
// each frame's J&F of A and B and their difference (core/analysis/compareRuns.frameDeltas), and the means with ΔJ&F.
// Pure.

import { frameDeltas } from '../../core/analysis/compareRuns';
import type { ExpressionScore, FrameScore } from '../../core/types';
import type { CompareTarget, ScoreSummary } from '../../shared/clipViewer/protocol';
import type { FrameValues } from './chart';

/** An expression's scores from YOFO's per-frame results (frame index → J/F), frames in clip order. */
export function streamedScore(
  video: string,
  expId: string,
  expression: string,
  frameNames: readonly string[],
  frames: ReadonlyMap<number, { J: number; F: number }>,
  mean?: ScoreSummary,
): ExpressionScore {
  const list: FrameScore[] = [...frames.entries()]
    .filter(([i]) => i >= 0 && i < frameNames.length)
    .sort(([a], [b]) => a - b)
    .map(([i, s]) => ({ frame: frameNames[i], J: s.J, F: s.F, missing: false }));
  // Until the run is done the means are over the frames so far, so the numbers move with the stream.
  const J = mean?.J ?? average(list.map((f) => f.J));
  const F = mean?.F ?? average(list.map((f) => f.F));
  return { video, expId, expression, J, F, JF: mean?.JF ?? (J + F) / 2, frames: list };
}

function average(values: number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Per-frame-index values of a score: J, F or J&F. */
export function frameSeries(
  score: ExpressionScore | undefined,
  frameNames: readonly string[],
  pick: (f: FrameScore) => number,
): FrameValues {
  const out = new Array<number | undefined>(frameNames.length).fill(undefined);
  if (!score) return out;
  const index = new Map(frameNames.map((f, i) => [f, i]));
  for (const f of score.frames) {
    const i = index.get(f.frame);
    if (i !== undefined) out[i] = pick(f);
  }
  return out;
}

export const jfOf = (f: FrameScore) => (f.J + f.F) / 2;

export interface CompareFrame {
  frameIndex: number;
  a?: number;
  b?: number;
  /** b − a */
  delta?: number;
}

export interface Comparison {
  frames: CompareFrame[];
  a: ScoreSummary;
  b: ScoreSummary;
  /** B's J&F − A's J&F over the expression. */
  deltaJF: number;
}

/** A against B on the same expression: per frame (clip order, frames neither scored left out) and the means. */
export function compareScores(a: ExpressionScore, b: ExpressionScore, frameNames: readonly string[]): Comparison {
  const index = new Map(frameNames.map((f, i) => [f, i]));
  const frames = frameDeltas(a, b)
    .flatMap((d) => {
      const frameIndex = index.get(d.frame);
      return frameIndex === undefined ? [] : [{ frameIndex, a: d.baseJF, b: d.otherJF, delta: d.delta }];
    })
    .sort((x, y) => x.frameIndex - y.frameIndex);
  const summary = (s: ExpressionScore): ScoreSummary => ({ J: s.J, F: s.F, JF: s.JF });
  return { frames, a: summary(a), b: summary(b), deltaJF: b.JF - a.JF };
}

/** The `n` frames where B loses most against A (most negative delta first); frames without a delta are left out. */
export function largestRegressions(frames: readonly CompareFrame[], n: number): CompareFrame[] {
  return frames
    .filter((f): f is CompareFrame & { delta: number } => f.delta !== undefined && f.delta < 0)
    .sort((x, y) => x.delta - y.delta || x.frameIndex - y.frameIndex)
    .slice(0, n);
}

/** "+3.2" / "−1.0" / "±0.0" percentage points, for ΔJ&F. */
export function signedPoints(delta: number): string {
  const p = (delta * 100).toFixed(1);
  if (p === '0.0' || p === '-0.0') return '±0.0';
  return delta > 0 ? `+${p}` : `−${p.slice(1)}`;
}

export interface CompareOption {
  /** The <option> value: "yofo" or "run:<name>". */
  value: string;
  label: string;
  target: CompareTarget;
}

export function targetValue(t: CompareTarget): string {
  return t.kind === 'yofo' ? 'yofo' : `run:${t.name}`;
}

export function sameTarget(a: CompareTarget | undefined, b: CompareTarget | undefined): boolean {
  return a !== undefined && b !== undefined && targetValue(a) === targetValue(b);
}

/**
 * What the shown prediction can be compared with: every other imported run (runs have no masks for user
 * expressions), and YOFO when it has frames for the expression; never the shown one itself.
 */
export function compareOptions(
  shown: CompareTarget,
  runs: readonly string[],
  userExpression: boolean,
  yofoLabel: string | undefined,
): CompareOption[] {
  const options: CompareOption[] = [];
  if (!userExpression)
    for (const name of runs)
      options.push({ value: targetValue({ kind: 'run', name }), label: name, target: { kind: 'run', name } });
  if (yofoLabel !== undefined) options.push({ value: 'yofo', label: yofoLabel, target: { kind: 'yofo' } });
  return options.filter((o) => !sameTarget(o.target, shown));
}
