// Every message between the extension host and the Failures panel webview. Requests carry a `requestId` that the answer
// echoes (a typed `error` answer included); notifications have none. The list is paged: the webview asks for the rows
// it shows (a window of a virtualised list), so 12,913 rows never cross at once.
//
// Plain data only: imported by both the Node host bundle and the browser bundle.

import type { Measure } from '../../core/analysis/expressionIndex';
import type { VariantRow } from '../../core/benchmarks/variants/variants';
import { isCount, isOptNumber, isOptString, isRec, isStrings } from '../messaging/guards';

export type { Measure };
export const FAILURE_MEASURES: readonly Measure[] = ['JF', 'J', 'F', 'deltaJF'];

/** [min, max) of a measure (fractions 0–1; ΔJ&F −1–1), [min, max] with maxInclusive; open ends when absent. */
export interface RangeFilter {
  measure: Measure;
  min?: number;
  max?: number;
  maxInclusive?: boolean;
}

/** What the list shows: the sort and the filters (the page window travels beside it). */
export interface FailuresQuery {
  /** Sort measure of the single-run list (compare mode sorts by the largest regression). */
  measure: Measure;
  order: 'worst-first' | 'best-first';
  /** Run whose J&F the ΔJ&F measure is taken against (single-run list). */
  baseline?: string;
  range?: RangeFilter;
  video?: string;
  objectCategory?: string;
  category?: string;
  /** A subset the benchmark reports apart (Ref-DAVIS17 "first-frame expressions", "annotator 2"; FailuresContext.subsets). */
  subset?: string;
  /** Words that must each begin a word of the expression. */
  words?: string;
  tag?: string;
}

export interface FailureRow {
  key: string;
  video: string;
  expId: string;
  text: string;
  category?: string;
  objectCategory?: string;
  /** Scores of the listed run (compare mode: of the first run), when it scored the expression. */
  J?: number;
  F?: number;
  JF?: number;
  /** Single-run list with a baseline: the baseline's J&F and JF − baselineJF. */
  baselineJF?: number;
  deltaJF?: number;
  /** Compare mode: J&F per compared run and its difference to the first run (null where a run did not score it). */
  runsJF?: (number | null)[];
  runsDelta?: (number | null)[];
  /** Compare mode: the most negative difference of the other runs. */
  worstDelta?: number;
  /** The frame to look at: the lowest J&F (compare mode: the largest per-frame regression); index in the clip. */
  worstFrame?: { frame: string; index: number; JF?: number; delta?: number };
  frames: number;
  missing: number;
  tags: string[];
  note: string;
}

export interface HistogramBinView {
  lo: number;
  hi: number;
  count: number;
  /** The score range that lists exactly this bin's expressions (the last bin includes its upper edge). */
  range: RangeFilter;
}

/** A J&F histogram of the split (no `category`) or of one expression category. */
export interface HistogramView {
  category?: string;
  bins: HistogramBinView[];
  total: number;
}

export interface RunSummary {
  name: string;
  /** Expressions of the split this run has scores for. */
  scored: number;
  complete: boolean;
  /** Mean J&F over the scored expressions. */
  JF?: number;
  /** Expressions that cannot be scored (left out: the J&F is partial). */
  skipped?: number;
}

/** Everything the panel shows around the list: what is open, the filter choices, where tags are kept. */
export interface FailuresContext {
  mode: 'single' | 'compare';
  datasetRoot?: string;
  split?: string;
  /** Scorable expressions of the split (with an obj_id). */
  expressions: number;
  /** Single mode: the run listed (the active run). */
  run?: string;
  /** Compare mode: the runs side by side, the first being the baseline of the differences. */
  compareRuns: string[];
  runs: RunSummary[];
  videos: string[];
  categories: string[];
  /** The benchmark's subsets that the category filter does not already offer (Ref-DAVIS17). */
  subsets: string[];
  objectCategories: string[];
  tags: string[];
  /**
   * The file tags and notes are saved to (`.rvos/annotations.json` in the first workspace folder, the file
   * rvos.annotationsFile names, or the copy in the extension's workspace storage when that file lies inside the
   * dataset), or why they cannot be kept.
   */
  annotationsFile?: string;
  annotationsProblem?: string;
  /** Why there is nothing to list (no dataset, no run, no ground truth), and the buttons that get there. */
  empty?: string;
  emptyActions?: PanelAction[];
}

/** One row of the variant table ("why is my number different?"): a row of `rvos score --variants`, its ΔJ&F null
 * where the row has no expression (NaN does not cross the message channel). */
export type VariantRowView = Omit<VariantRow, 'delta'> & { delta: number | null };

/** The variant table of the listed run. */
export interface VariantsView {
  run: string;
  /** The benchmark and the official script of the "official" row. */
  benchmark: string;
  rows: VariantRowView[];
}

/** A button of the panel that runs one of PANEL_COMMANDS. */
export interface PanelAction {
  label: string;
  command: PanelCommand;
  args?: string[];
  /** The one button drawn as primary. */
  primary?: boolean;
}

// ── webview → host ────────────────────────────────────────────────────────────────────────────────────────────────
export type FailuresRequest =
  | { type: 'getContext'; requestId: number }
  /** Rows [offset, offset + limit) of the query; `histograms` also asks for the J&F histograms under its filters. */
  | { type: 'query'; requestId: number; query: FailuresQuery; offset: number; limit: number; histograms: boolean }
  /** Sets the tags and/or the note of an expression (saved to the workspace's annotations file). */
  | { type: 'annotate'; requestId: number; video: string; expId: string; tags?: string[]; note?: string }
  /** The variant table of the listed run (computed by the host on request: one scoring of the run). */
  | { type: 'variants'; requestId: number };

/** The answer each request gets unless it fails (`error`): types the panel's RpcChannel answers and checks them. */
export const FAILURES_REQUEST_ANSWERS = {
  getContext: 'context',
  query: 'rows',
  annotate: 'annotated',
  variants: 'variants',
} as const satisfies Record<FailuresRequest['type'], Exclude<FailuresResponse['type'], 'error'>>;

/** Commands the panel's buttons may run (nothing else is executed on the webview's word). */
export const PANEL_COMMANDS = [
  'rvos.scoreRun',
  'rvos.compareRuns',
  'rvos.exportReport',
  'rvos.exportScores',
  'rvos.exportSubmission',
  'rvos.selectRun',
  'rvos.runYofoOnSplit',
  'rvos.importPredictions',
  'rvos.openDataset',
  'rvos.chooseSplit',
  'rvos.showProblems',
] as const;
export type PanelCommand = (typeof PANEL_COMMANDS)[number];

export type FailuresNotification =
  | { type: 'ready' }
  /** Opens the clip viewer on the expression and seeks to `frameIndex`. */
  | { type: 'open'; video: string; expId: string; frameIndex?: number }
  /** Compare mode: the runs in their new order (first = baseline); an empty list leaves compare mode. */
  | { type: 'setCompare'; runs: string[] }
  | { type: 'command'; command: PanelCommand; args?: string[] };

export type FailuresWebviewMessage = FailuresRequest | FailuresNotification;

// ── host → webview ────────────────────────────────────────────────────────────────────────────────────────────────
export type FailuresResponse =
  | { type: 'context'; requestId: number; context: FailuresContext }
  | { type: 'rows'; requestId: number; offset: number; total: number; rows: FailureRow[]; histograms?: HistogramView[] }
  | { type: 'annotated'; requestId: number; tags: string[]; note: string }
  | { type: 'variants'; requestId: number; table: VariantsView }
  | { type: 'error'; requestId: number; message: string };

export type FailuresHostNotification =
  /** Scores, runs, the dataset or the annotations changed: refetch the context and the rows. */
  { type: 'invalidate' };

export type FailuresHostMessage = FailuresResponse | FailuresHostNotification;

/** Tags typed as one line: "wrong object, small" → ["wrong object", "small"] (the store trims, dedupes and sorts). */
export function parseTags(text: string): string[] {
  return text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

// ── guards: messages from the other side are untrusted input ───────────────────────────────────────────────────────
/** Longest text accepted in one field (a note is free text; the rest are names). */
export const MAX_NOTE_LENGTH = 20_000;
/** Most rows one `query` may ask for. */
export const MAX_PAGE = 1000;

export function isMeasure(v: unknown): v is Measure {
  return typeof v === 'string' && (FAILURE_MEASURES as readonly string[]).includes(v);
}

function isRange(v: unknown): v is RangeFilter {
  return (
    isRec(v) &&
    isMeasure(v.measure) &&
    isOptNumber(v.min) &&
    isOptNumber(v.max) &&
    (v.maxInclusive === undefined || typeof v.maxInclusive === 'boolean')
  );
}

export function isFailuresQuery(v: unknown): v is FailuresQuery {
  return (
    isRec(v) &&
    isMeasure(v.measure) &&
    (v.order === 'worst-first' || v.order === 'best-first') &&
    isOptString(v.baseline) &&
    (v.range === undefined || isRange(v.range)) &&
    isOptString(v.video) &&
    isOptString(v.objectCategory) &&
    isOptString(v.category) &&
    isOptString(v.subset) &&
    isOptString(v.words) &&
    isOptString(v.tag)
  );
}

/** Validates a message posted by the Failures webview; anything else is ignored by the host. */
export function isFailuresWebviewMessage(v: unknown): v is FailuresWebviewMessage {
  if (!isRec(v)) return false;
  switch (v.type) {
    case 'getContext':
    case 'variants':
      return isCount(v.requestId);
    case 'query':
      return (
        isCount(v.requestId) &&
        isFailuresQuery(v.query) &&
        isCount(v.offset) &&
        isCount(v.limit) &&
        v.limit <= MAX_PAGE &&
        typeof v.histograms === 'boolean'
      );
    case 'annotate':
      return (
        isCount(v.requestId) &&
        typeof v.video === 'string' &&
        typeof v.expId === 'string' &&
        (v.tags === undefined || (isStrings(v.tags) && v.tags.every((t) => t.length <= 200))) &&
        (v.note === undefined || (typeof v.note === 'string' && v.note.length <= MAX_NOTE_LENGTH))
      );
    case 'ready':
      return true;
    case 'open':
      return (
        typeof v.video === 'string' &&
        typeof v.expId === 'string' &&
        (v.frameIndex === undefined || isCount(v.frameIndex))
      );
    case 'setCompare':
      return isStrings(v.runs);
    case 'command':
      return (
        typeof v.command === 'string' &&
        (PANEL_COMMANDS as readonly string[]).includes(v.command) &&
        (v.args === undefined || isStrings(v.args))
      );
    default:
      return false;
  }
}

function isVariantRow(v: unknown): v is VariantRowView {
  return (
    isRec(v) &&
    typeof v.name === 'string' &&
    (v.kind === 'protocol' || v.kind === 'subset') &&
    isCount(v.expressions) &&
    typeof v.J === 'number' &&
    typeof v.F === 'number' &&
    typeof v.JF === 'number' &&
    (v.delta === null || typeof v.delta === 'number')
  );
}

/** The variant table's shape: the webview renders its numbers, so they are checked too. */
export function isVariantsView(v: unknown): v is VariantsView {
  return (
    isRec(v) &&
    typeof v.run === 'string' &&
    typeof v.benchmark === 'string' &&
    Array.isArray(v.rows) &&
    v.rows.every(isVariantRow)
  );
}

export function isFailuresResponse(m: FailuresHostMessage): m is FailuresResponse {
  return 'requestId' in m;
}

/** Validates the envelope of a host message (the host is trusted for payload shapes; the type tag is checked). */
export function isFailuresHostMessage(v: unknown): v is FailuresHostMessage {
  if (!isRec(v)) return false;
  switch (v.type) {
    case 'context':
      return isCount(v.requestId) && isRec(v.context);
    case 'rows':
      return isCount(v.requestId) && isCount(v.offset) && isCount(v.total) && Array.isArray(v.rows);
    case 'annotated':
      return isCount(v.requestId) && isStrings(v.tags) && typeof v.note === 'string';
    case 'variants':
      return isCount(v.requestId) && isVariantsView(v.table);
    case 'error':
      return isCount(v.requestId) && typeof v.message === 'string';
    case 'invalidate':
      return true;
    default:
      return false;
  }
}
