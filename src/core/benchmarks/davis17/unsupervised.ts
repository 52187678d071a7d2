// The DAVIS 2017 unsupervised protocol (davisvideochallenge/davis2017-evaluation, `davis2017/evaluation.py`,
// task "unsupervised"), on per-frame J and F already computed for every (predicted object, true object) pair:
//   - every frame of the sequence counts (the semi-supervised task drops the first and last; this one does not);
//   - fewer predicted objects than true ones: the missing ones are empty masks;
//   - predicted objects are matched to true objects by the Hungarian method maximising (mean J + mean F) / 2 over
//     frames, each true object getting exactly one prediction;
//   - per matched pair: J and F mean, recall (> 0.5) and decay (davisStatistics);
//   - the run's J and F = means over all matched pairs of all sequences, J&F = their average.
// The official per-sequence table labels the k-th matched pair, in order of predicted id, "<sequence>_<k>"; the
// pairs here keep both ids and that label.

import { linearSumAssignment } from './hungarian';
import { davisStatistics, numpyMean, type DavisStatistics } from './numpyStats';

/** At most this many predicted objects per sequence (the reference refuses more). */
export const MAX_PROPOSALS = 20;

/** Per-frame scores of one sequence: j[p][g][t] for predicted object p + 1 against true object g + 1 at frame t. */
export interface PairFrameScores {
  sequence: string;
  frames: string[];
  predictedObjects: number;
  trueObjects: number;
  j: number[][][];
  f: number[][][];
  /** trueEmpty[g][t]: true object g + 1 has no pixel at frame t. */
  trueEmpty: boolean[][];
}

export interface MatchedObject {
  sequence: string;
  /** The reference's name for this pair: `<sequence>_<rank in predicted-id order, from 1>`. */
  label: string;
  /** True object id (1-based). */
  trueId: number;
  /** Predicted object id (1-based); above the run's predicted ids when no prediction was left for it (empty mask). */
  predictedId: number;
  J: DavisStatistics;
  F: DavisStatistics;
  /** Per-frame values of the pair, in frame order. */
  jFrames: number[];
  fFrames: number[];
  /** Frames where the true object has no pixel. */
  trueEmptyFrames: boolean[];
}

export interface UnsupervisedSummary {
  /** (J mean + F mean) / 2. */
  JF: number;
  J: DavisStatistics;
  F: DavisStatistics;
  objects: MatchedObject[];
}

/** The per-frame scores of an empty prediction (used to pad runs with fewer objects than the truth). */
export function emptyPredictionScores(trueEmpty: readonly boolean[]): { j: number[]; f: number[] } {
  const v = trueEmpty.map((e) => (e ? 1 : 0));
  return { j: v, f: [...v] };
}

/** Matches one sequence's predicted objects to its true objects; returns one entry per true object. */
export function matchSequence(scores: PairFrameScores): MatchedObject[] {
  const { sequence, j, f } = scores;
  if (scores.trueObjects === 0) return [];
  const rows = j.length; // padded to at least trueObjects by the caller
  if (rows < scores.trueObjects)
    throw new Error(`matchSequence: ${sequence}: ${rows} prediction rows for ${scores.trueObjects} objects`);
  const merit = j.map((jp, p) => jp.map((jpg, g) => (numpyMean(jpg) + numpyMean(f[p][g])) / 2));
  const pairs = linearSumAssignment(merit.map((line) => line.map((x) => -x)));
  return pairs.map(({ row, col }, k) => ({
    sequence,
    label: `${sequence}_${k + 1}`,
    trueId: col + 1,
    predictedId: row + 1,
    J: davisStatistics(j[row][col]),
    F: davisStatistics(f[row][col]),
    jFrames: j[row][col],
    fFrames: f[row][col],
    trueEmptyFrames: scores.trueEmpty[col],
  }));
}

/** The run's summary: means of each statistic over all matched objects (eval_davis.py's global table). */
export function summarize(objects: MatchedObject[]): UnsupervisedSummary {
  const avg = (pick: (o: MatchedObject) => number) => numpyMean(objects.map(pick));
  const J = { mean: avg((o) => o.J.mean), recall: avg((o) => o.J.recall), decay: avg((o) => o.J.decay) };
  const F = { mean: avg((o) => o.F.mean), recall: avg((o) => o.F.recall), decay: avg((o) => o.F.decay) };
  return { JF: (J.mean + F.mean) / 2, J, F, objects };
}
