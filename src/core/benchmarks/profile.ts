// A benchmark is a profile of one scoring pipeline:
//
//   dataset reader → ground truth per expression and frame → prediction reader → per-frame J/F → aggregation
//
// The pipeline (core/evaluate.ts, core/scoring/video.ts) is shared; a profile says how its layout is detected and
// opened, where a video's ground truth comes from, which targets an expression refers to, and the aggregation rules
// of the benchmark's official script. To add a benchmark: implement BenchmarkProfile in benchmarks/<name>/ and list
// it in benchmarks/index.ts (detection tries the profiles in that order). Where a benchmark's official metrics are not
// J and F alone (ReVOS: A and R), `rules.metrics` routes its video jobs to that benchmark's scorer.

import type { Dataset } from '../dataset';
import type { Expression, ExpressionScore, Video } from '../types';
import type { MaskDictIndex } from './mevis/maskDict';

export type BenchmarkId = 'ref-youtube-vos' | 'mevis' | 'revos';

/** How per-frame J and F become an expression's and a split's (means over expressions in every benchmark so far). */
export interface ScoringRules {
  /**
   * 'annotated': every listed frame has a ground-truth annotation, and a missing one makes the video unscorable
   * (Ref-YouTube-VOS). 'all': every frame of the video counts; where no target is present the ground truth is an
   * empty mask, so an empty prediction scores J = F = 1 there and any foreground 0 (MeViS).
   */
  frames: 'annotated' | 'all';
  /**
   * A video without a prediction folder: 'empty' scores its frames against empty masks; 'zero' gives each of its
   * expressions J = F = 0 (MeViS).
   */
  missingVideo: 'empty' | 'zero';
  /**
   * 'revos': J, F, A and R per frame with every rule of VISA's eval_revos.py (revos/scoreVideo.ts): the truth is the
   * uint8 sum of the anno_id masks, predictions are read as OpenCV's grayscale values, and an expression with a
   * missing prediction frame scores 0 on all four. Absent: J and F only (core/scoring/video.ts).
   */
  metrics?: 'revos';
}

/** Where one video's ground truth comes from. Plain data: it is posted to the scoring workers. */
export type GroundTruthSource =
  /**
   * One index PNG per frame; a target is a pixel value 0–255. `objectsUnlisted`: no meta.json lists the video's
   * objects, so a target that appears in none of the files is not an object of the video.
   */
  | { kind: 'index-png'; files: string[]; objectsUnlisted?: boolean }
  /** COCO RLE lists per anno_id (MeViS mask_dict.json); a target is an anno_id, a frame's truth the union of them. */
  | { kind: 'coco-rle'; maskDict: MaskDictIndex; foreground?: MaskDictIndex };

export interface BenchmarkProfile {
  id: BenchmarkId;
  /** Human name ("MeViS"). */
  title: string;
  /** The official evaluation whose rules `rules` and the readers implement (repository and script). */
  officialScript: string;
  rules: ScoringRules;
  /** True when `root` has this benchmark's layout (cheap: a few stat calls). */
  detect(root: string): Promise<boolean>;
  /** Opens one split (default: train when present, else the first). Bad files: InputError; local damage: problems. */
  open(root: string, split?: string): Promise<Dataset>;
  /** False when the split has no ground truth at all (a hidden test split); names the missing file. */
  missingGroundTruth(ds: Dataset): string | undefined;
  /**
   * The targets of an expression in the ground truth (object pixel values, anno_ids). An expression without targets,
   * or with one that cannot exist, is an InputError naming the file (the expression cannot be scored).
   */
  targets(ds: Dataset, video: Video, expression: Expression): string[];
  /**
   * The split's J and F from its scored expressions as the official script aggregates them; absent: the means over
   * expressions (every benchmark but ReVOS, whose overall is the mean of its referring and reasoning means).
   */
  splitMeans?(expressions: readonly ExpressionScore[]): { J: number; F: number };
  /** The ground truth of one video, for the scorer. */
  groundTruth(ds: Dataset, video: Video): GroundTruthSource;
}
