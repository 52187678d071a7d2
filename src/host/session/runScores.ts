// Scores of one prediction run, indexed for the tree and the viewer: per expression, and per clip (best/worst J&F).

import type { ExpressionScore, SplitScore } from '../../core/types';

export interface ClipRange {
  best: ExpressionScore;
  worst: ExpressionScore;
}

export class RunScores {
  private readonly byExpression = new Map<string, ExpressionScore>();
  private readonly byClip = new Map<string, ExpressionScore[]>();

  constructor(scores: Iterable<ExpressionScore> = []) {
    for (const s of scores) this.add(s);
  }

  static fromSplit(split: SplitScore): RunScores {
    return new RunScores(split.expressions);
  }

  /** Adds or replaces the score of one expression. */
  add(score: ExpressionScore): void {
    const key = `${score.video}\u0000${score.expId}`;
    const list = this.byClip.get(score.video) ?? [];
    const old = this.byExpression.get(key);
    this.byClip.set(score.video, old ? list.map((s) => (s === old ? score : s)) : [...list, score]);
    this.byExpression.set(key, score);
  }

  expression(videoId: string, expId: string): ExpressionScore | undefined {
    return this.byExpression.get(`${videoId}\u0000${expId}`);
  }

  hasClip(videoId: string): boolean {
    return this.byClip.has(videoId);
  }

  /** Best and worst scored expression of a clip (by J&F), when any is scored. */
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

  /** Mean J, F, J&F over all scored expressions (as `rvos score` reports a split). */
  mean(): { J: number; F: number; JF: number; count: number } | undefined {
    const all = [...this.byExpression.values()];
    if (all.length === 0) return undefined;
    const J = all.reduce((a, s) => a + s.J, 0) / all.length;
    const F = all.reduce((a, s) => a + s.F, 0) / all.length;
    return { J, F, JF: (J + F) / 2, count: all.length };
  }
}
