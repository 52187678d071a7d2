// Gathers what the HTML failure report shows: the worst N expressions of a scored run with their worst frames'
// thumbnails, tags and notes, the summary and the J&F histogram.

import type { AnnotationsStore } from '../analysis/annotationsStore';
import type { DiffColours } from '../analysis/diffOverlay';
import { ExpressionIndex } from '../analysis/expressionIndex';
import { histogram } from '../analysis/histogram';
import type { Dataset } from '../dataset';
import { isInputError } from '../errors';
import type { PredictionRun } from '../predictions';
import type { SplitScore } from '../types';
import type { ReportInput, ReportItem } from './htmlReport';
import { frameThumbnail } from './thumbnail';

/** Colour-blind-safe defaults (Okabe–Ito): green / vermilion / blue. */
export const DEFAULT_DIFF_COLOURS: DiffColours = { tp: [0, 158, 115], fp: [213, 94, 0], fn: [0, 114, 178] };

export interface BuildReportOptions {
  worst?: number;
  annotations?: AnnotationsStore;
  colours?: DiffColours;
  signal?: AbortSignal;
  /** The date shown; default now. */
  generated?: Date;
}

export async function buildReport(
  ds: Dataset,
  run: PredictionRun,
  score: SplitScore,
  options: BuildReportOptions = {},
): Promise<ReportInput> {
  const colours = options.colours ?? DEFAULT_DIFF_COLOURS;
  const index = new ExpressionIndex(score, { videos: ds.videoById });
  const { rows } = index.query({ sortBy: 'JF', limit: options.worst ?? 50 });
  const items: ReportItem[] = [];
  for (const row of rows) {
    options.signal?.throwIfAborted();
    const a = options.annotations?.get(row.video, row.expId) ?? { tags: [], note: '' };
    const item: ReportItem = { row, tags: a.tags, note: a.note };
    if (row.worstFrame) {
      try {
        item.thumbnail = await frameThumbnail(ds, run, row.video, row.expId, row.worstFrame.frame, { colours });
      } catch (err) {
        if (!isInputError(err)) throw err;
        item.thumbnailProblem = err.message; // one bad file should not sink the report; it says which
      }
    } else item.thumbnailProblem = 'no scored frame';
    items.push(item);
  }
  return {
    title: `RVOS failure report: ${run.name}`,
    dataset: ds.root,
    split: ds.split,
    run: run.dir,
    generated: (options.generated ?? new Date()).toISOString().replace(/\.\d+Z$/, 'Z'),
    summary: {
      J: score.J,
      F: score.F,
      JF: score.JF,
      expressions: score.expressions.length,
      unscored: score.unscored ?? 0,
      skipped: score.skipped?.length ?? 0,
    },
    histogram: score.expressions.length > 0 ? histogram(index, 'JF', { bins: 20 }) : undefined,
    colours,
    items,
  };
}
