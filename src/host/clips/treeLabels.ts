// Texts of the Clips tree items. Pure, so the wording is unit-tested.

import type { ExpressionScore, Video } from '../../core/types';
import { formatPercent } from '../../shared/scoreFormat';
import type { ClipRange, RunMean } from '../session/runScores';

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * "J&F 71.2–88.0 · 12 frames · 3 expressions": the active run's worst–best J&F first, so a narrow view cuts the counts,
 * never the scores; just the counts before scores are known.
 */
export function clipDescription(video: Video, range?: ClipRange): string {
  const parts = [
    plural(video.frames.length, 'frame', 'frames'),
    plural(video.expressions.length, 'expression', 'expressions'),
  ];
  if (range) {
    parts.unshift(
      range.best === range.worst
        ? `J&F ${formatPercent(range.best.JF)}`
        : `J&F ${formatPercent(range.worst.JF)}–${formatPercent(range.best.JF)}`,
    );
  }
  return parts.join(' · ');
}

/** "J&F 81.3 (J 80.1, F 82.5)", or a reason when the expression cannot have a score. */
export function expressionDescription(
  score: ExpressionScore | undefined,
  hasGroundTruth: boolean,
  noPrediction = false,
): string {
  if (!hasGroundTruth) return 'no ground truth';
  if (noPrediction) return 'no prediction';
  if (!score) return '';
  return `J&F ${formatPercent(score.JF)} (J ${formatPercent(score.J)}, F ${formatPercent(score.F)})`;
}

/** Description of a prediction run in pickers and the dataset node. */
export function runDescription(mean: RunMean | undefined, skipped = 0): string {
  const partial = skipped > 0 ? ` · partial: ${plural(skipped, 'expression', 'expressions')} cannot be scored` : '';
  if (!mean) return 'not scored';
  const text = `J&F ${formatPercent(mean.JF)} · J ${formatPercent(mean.J)} · F ${formatPercent(mean.F)} · ${plural(mean.count, 'expression', 'expressions')}${partial}`;
  return mean.unpredicted > 0 ? `${text} · ${mean.unpredicted} without prediction` : text;
}

/** Where a run's masks are, for pickers: the imported folder, or what made it (its storage folder is internal). */
export function runPlace(r: { run: { dir: string }; owned?: boolean }): string {
  return r.owned ? "made by Run YOFO on Split, kept in the extension's storage" : r.run.dir;
}

/** The message above the tree while a filter is set. */
export function filterMessage(filterText: string, shownClips: number, totalClips: number): string {
  return `Filter "${filterText}": ${shownClips} of ${plural(totalClips, 'clip', 'clips')}`;
}

/** Codicon for an expression category (Ref-Shapes writes these); a speech bubble otherwise. */
export function categoryIcon(category: string | undefined): string {
  switch (category) {
    case 'appearance':
      return 'symbol-color';
    case 'position':
      return 'location';
    case 'relation':
      return 'references';
    case 'motion':
      return 'run';
    default:
      return 'comment';
  }
}
