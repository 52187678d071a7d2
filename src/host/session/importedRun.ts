// A prediction run as the session holds it: the run folder plus its scores against the open split.

import type { PredictionRun } from '../../core/predictions';
import type { SkippedExpression } from '../../core/types';
import type { RunHome } from './runHome';
import type { RunScores } from './runScores';

export interface ImportedRun {
  run: PredictionRun;
  /** Scores against the open split; replaced when the split changes. */
  scores: RunScores;
  /** True once the whole split was scored (else only the clips opened in a viewer). */
  complete: boolean;
  /** Expressions the whole-split scoring could not score (listed as problems): its split score is partial. */
  skipped?: SkippedExpression[];
  /** Made by the extension (Run YOFO on Split…): its folder is ours, deleted when the run is removed. */
  owned?: boolean;
  /** The videos the run covers (a run of some clips); scoring the run scores only these. Undefined: all. */
  videos?: string[];
  /** The dataset root and split the run was made or imported for; undefined until a dataset is open. */
  home?: RunHome;
}
