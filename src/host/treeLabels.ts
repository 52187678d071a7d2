// Texts of the Clips tree items. Pure, so the wording is unit-tested.

import type { ExpressionScore, Video } from '../core/types';
import type { ClipRange } from './runScores';

/** A score in [0, 1] as a percentage with one decimal, the way the RVOS papers report J&F. */
export function formatPercent(x: number): string {
  return (x * 100).toFixed(1);
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "12 frames · 3 expressions", then "· J&F 71.2–88.0" when the active run's scores are known. */
export function clipDescription(video: Video, range?: ClipRange): string {
  const parts = [plural(video.frames.length, 'frame', 'frames'), plural(video.expressions.length, 'expression', 'expressions')];
  if (range) {
    parts.push(
      range.best === range.worst ? `J&F ${formatPercent(range.best.JF)}` : `J&F ${formatPercent(range.worst.JF)}–${formatPercent(range.best.JF)}`,
    );
  }
  return parts.join(' · ');
}

/** "J&F 81.3 (J 80.1, F 82.5)", or a reason when the expression cannot have a score. */
export function expressionDescription(score: ExpressionScore | undefined, hasGroundTruth: boolean): string {
  if (!hasGroundTruth) return 'no ground truth';
  if (!score) return '';
  return `J&F ${formatPercent(score.JF)} (J ${formatPercent(score.J)}, F ${formatPercent(score.F)})`;
}

/** Description of a prediction run in pickers and the dataset node. */
export function runDescription(mean: { J: number; F: number; JF: number; count: number } | undefined, skipped = 0): string {
  if (!mean) return 'not scored';
  const partial = skipped > 0 ? ` · partial: ${plural(skipped, 'expression', 'expressions')} cannot be scored` : '';
  return `J&F ${formatPercent(mean.JF)} · J ${formatPercent(mean.J)} · F ${formatPercent(mean.F)} · ${plural(mean.count, 'expression', 'expressions')}${partial}`;
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
