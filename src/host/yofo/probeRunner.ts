// Expression probing with YOFO, host side without vscode (unit-tested with the real worker and the tiny model): runs
// the expression and each automatic variant (core/analysis/probe.ts: each word dropped, left↔right and top↔bottom
// swapped, colour words removed) through YofoRuns, so every text goes through the result cache and the same J&F
// scoring as the viewer, and reports each score as soon as it is known.

import {
  probeVariants,
  runProbe,
  type ProbeResult,
  type ProbeScore,
  type ProbeVariant,
  type ScoreText,
} from '../../core/analysis/probe';
import { expressionHasGroundTruth } from '../../core/benchmarks';
import type { FrameScore } from '../../core/types';
import type { YofoJob, YofoRuns } from './yofoRuns';

/** The expression cannot be probed: there is no ground truth to compute J&F against. Expected, not a failure. */
export class NoGroundTruthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoGroundTruthError';
  }
}

export interface ProbeListener {
  /** The texts about to be scored, before the first run. */
  started?(original: string, variants: readonly ProbeVariant[]): void;
  /** Row 0 is the original text, row k the variant `variants[k - 1]`; `cached`: replayed from the result cache. */
  row?(row: number, score: ProbeScore, cached: boolean): void;
}

/** Why `job` cannot be probed, or undefined when it can. */
export function whyNotProbeable(job: YofoJob): string | undefined {
  const { ds, video, expression } = job;
  if (!ds.hasAnnotations)
    return `split "${ds.split}" has no ground-truth annotations; probing compares J&F, so it needs them`;
  if (!expressionHasGroundTruth(ds, expression)) {
    return `"${expression.text}" (${video.id}) has no ground truth: probing compares J&F, so it needs an expression with an object (link a typed expression to one first)`;
  }
  return undefined;
}

/**
 * Scores the expression of `job` and its variants one after the other (rejects with the signal's reason on abort;
 * the texts scored so far stay in the cache). Throws NoGroundTruthError when there is nothing to score against.
 */
export async function probeExpression(
  runs: YofoRuns,
  job: YofoJob,
  listener: ProbeListener,
  signal: AbortSignal,
): Promise<ProbeResult> {
  const why = whyNotProbeable(job);
  if (why) throw new NoGroundTruthError(why);
  const { video, expression } = job;
  const variants = probeVariants(expression.text);
  listener.started?.(expression.text, variants);
  // runProbe scores the original first, then the variants in order, one at a time: the call count is the row.
  let row = 0;
  const score: ScoreText = async (text) => {
    const frames: FrameScore[] = [];
    const outcome = await runs.run(
      { ...job, expression: { ...expression, text } },
      {
        frame: (f) =>
          f.score && frames.push({ frame: video.frames[f.index], J: f.score.J, F: f.score.F, missing: false }),
      },
      signal,
    );
    if (!outcome.score)
      throw new NoGroundTruthError(
        `no frame of ${video.id} has an annotation of object ${expression.objId ?? expression.objIds?.join(', ')}: nothing to score against`,
      );
    listener.row?.(row++, outcome.score, outcome.cached);
    return {
      video: video.id,
      expId: expression.expId,
      expression: text,
      category: expression.category,
      ...outcome.score,
      frames,
    };
  };
  return runProbe(expression.text, score, { signal, variants });
}
