// Domain types shared by the dataset loader, the scorer, the CLI, the extension host and the webview.
// Plain data only (JSON-serialisable), so they can cross the host↔webview and host↔worker boundaries.

/** One referring expression of a video, as listed in meta_expressions.json. */
export interface Expression {
  /** Key in the video's `expressions` object ("0", "1", …). */
  expId: string;
  /** The expression text (`exp`). */
  text: string;
  /** Object id in the annotation PNGs; absent in valid/test splits. */
  objId?: string;
  /** MeViS: the ids of the objects the expression refers to (one or several). */
  objIds?: string[];
  /** MeViS: the keys of their mask lists in mask_dict.json, in the order of objIds. */
  annoIds?: string[];
  /** ReVOS: `type_id`, 0 referring, 1 reasoning, 2 no target (its name is also the category). */
  typeId?: number;
  /** Optional extra field written by Ref-Shapes ("appearance", "position", "relation", "motion"). */
  category?: string;
}

/** An annotated object of a video, from `<split>/meta.json`. */
export interface VideoObject {
  objId: string;
  category: string;
  /** Frames in which the object is annotated (as listed by meta.json). */
  frames: string[];
}

export interface Video {
  id: string;
  /** Frame names without extension ("00000", "00005", …), in order, from meta_expressions.json. */
  frames: string[];
  expressions: Expression[];
  /** Objects from meta.json, keyed by object id; empty when the split has no meta.json. */
  objects: Record<string, VideoObject>;
}

/** A problem found while opening a dataset; the rest of the dataset stays usable. */
export interface DatasetProblem {
  file: string;
  message: string;
  /** Video the problem belongs to, when it is local to one video. */
  video?: string;
}

/** Per-frame scores. `missing` marks a ground-truth frame that had no prediction (scored as an empty mask). */
export interface FrameScore {
  frame: string;
  J: number;
  F: number;
  missing: boolean;
  /** The ground truth has no target pixel in this frame (ReVOS always; others with scoreSplit's `frameDetail`). */
  gtEmpty?: boolean;
}

/** Scores of one expression: means over the frames that have a ground-truth annotation. */
export interface ExpressionScore {
  video: string;
  expId: string;
  expression: string;
  category?: string;
  J: number;
  F: number;
  JF: number;
  /** ReVOS: type_id, and A (pixel accuracy) and R (robustness) as VISA's eval_revos.py defines them. */
  typeId?: number;
  A?: number;
  R?: number;
  frames: FrameScore[];
}

/** Scores of a split: means over its scored expressions. Same shape as `rvos score --json`. */
export interface SplitScore {
  J: number;
  F: number;
  JF: number;
  expressions: ExpressionScore[];
  /** Expressions left out of the means because they are not scored yet (a run the extension scores clip by clip). */
  unscored?: number;
  /** Expressions that cannot be scored (bad ground truth or mask), left out of the means: only with skipUnscorable. */
  skipped?: SkippedExpression[];
}

/** An expression that should be scored but cannot be: `file` is what is wrong, `reason` says how. */
export interface SkippedExpression {
  video: string;
  expId: string;
  file: string;
  reason: string;
}

/** A binary or index mask, row-major, one byte per pixel. */
export interface Mask {
  width: number;
  height: number;
  data: Uint8Array;
}
