// Scores of one prediction run, indexed for the tree and the viewer: per expression, and per clip (best/worst J&F).
// An expression the run has no mask for at all (every frame missing) scores 0.0 by the benchmark's rule; here it is
// kept apart as "no prediction", so no list or header shows it as a 0.0 score. The official score (exports) still
// counts it, through `official`.

import type { ExpressionScore, SplitScore } from '../../core/types';

export interface ClipRange {
  best: ExpressionScore;
  worst: ExpressionScore;
}

export interface RunMean {
  J: number;
  F: number;
  JF: number;
  /** Expressions with a prediction that the mean is over. */
  count: number;
  /** Scored expressions the run has no mask for (left out of the mean). */
  unpredicted: number;
}

const key = (videoId: string, expId: string) => `${videoId}\u0000${expId}`;

/** True when the run had no mask for any frame of the expression. */
export function isUnpredicted(score: ExpressionScore): boolean {
  return score.frames.length > 0 && score.frames.every((f) => f.missing);
}

export class RunScores {
  private readonly byExpression = new Map<string, ExpressionScore>();
  private readonly unpredicted = new Map<string, ExpressionScore>();
  private readonly byClip = new Map<string, ExpressionScore[]>();

  constructor(scores: Iterable<ExpressionScore> = []) {
    for (const s of scores) this.add(s);
  }

  static fromSplit(split: SplitScore): RunScores {
    return new RunScores(split.expressions);
  }

  /** Adds or replaces the score of one expression. */
  add(score: ExpressionScore): void {
    const k = key(score.video, score.expId);
    const old = this.byExpression.get(k);
    this.byExpression.delete(k);
    this.unpredicted.delete(k);
    const list = (this.byClip.get(score.video) ?? []).filter((s) => s !== old);
    if (isUnpredicted(score)) this.unpredicted.set(k, score);
    else {
      this.byExpression.set(k, score);
      list.push(score);
    }
    this.byClip.set(score.video, list);
  }

  /** The score of an expression the run has a prediction for. */
  expression(videoId: string, expId: string): ExpressionScore | undefined {
    return this.byExpression.get(key(videoId, expId));
  }

  /** True when the expression was scored and the run has no mask for it. */
  hasNoPrediction(videoId: string, expId: string): boolean {
    return this.unpredicted.has(key(videoId, expId));
  }

  /** The benchmark's score of an expression: an unpredicted one included (as 0.0), for exports. */
  official(videoId: string, expId: string): ExpressionScore | undefined {
    const k = key(videoId, expId);
    return this.byExpression.get(k) ?? this.unpredicted.get(k);
  }

  /** True once the clip was scored (whether or not the run predicts its expressions). */
  hasClip(videoId: string): boolean {
    return this.byClip.has(videoId);
  }

  /** Best and worst predicted expression of a clip (by J&F), when any is scored. */
  clipRange(videoId: string): ClipRange | undefined {
    const list = this.byClip.get(videoId);
    if (!list || list.length === 0) return undefined;
    let best = list[0];
    let worst = list[0];
    for (const s of list) {
      if (s.JF > best.JF) best = s;
      if (s.JF < worst.JF) worst = s;
    }
    return { best, worst };
  }

  /** Mean J, F, J&F over the predicted expressions, and how many were left out for having no prediction. */
  mean(): RunMean | undefined {
    const all = [...this.byExpression.values()];
    if (all.length === 0) return undefined;
    const J = all.reduce((a, s) => a + s.J, 0) / all.length;
    const F = all.reduce((a, s) => a + s.F, 0) / all.length;
    return { J, F, JF: (J + F) / 2, count: all.length, unpredicted: this.unpredicted.size };
  }
}
