// The YOFO results the viewer holds, one per expression, updated by the host's streamed yofo* messages. Pure (no
// DOM), so the run states are unit-tested: starting → running → done | cancelled | error. Messages of a run that was
// replaced (an older runId for the expression) are ignored, so a late frame never mixes into a newer result.

import type { FrameInsight } from '../../inference/frameInsight';
import type { RleMask } from '../../inference/maskRle';
import { modelLabel } from '../../shared/clipViewer/modelLabel';
import type { ScoreSummary, YofoNotification } from '../../shared/clipViewer/protocol';

export type YofoStatus = 'starting' | 'running' | 'done' | 'cancelled' | 'error';

export interface YofoResult {
  runId: number;
  expId: string;
  status: YofoStatus;
  /** Frames in the clip (known from the start; the host confirms it). */
  total: number;
  modelName?: string;
  device?: string;
  cached: boolean;
  masks: Map<number, RleMask>;
  scores: Map<number, { J: number; F: number }>;
  notes: Map<number, string>;
  /** Per frame: its W map and the memory frames the fit used (yofoInsight*.ts draws them). */
  insights: Map<number, FrameInsight>;
  score?: ScoreSummary;
  unknownWords: string[];
  /** The error text, or "cancelled". */
  message?: string;
}

export class YofoResults {
  private readonly byExpression = new Map<string, YofoResult>();
  private nextRunId = 1;

  get(expId: string | undefined): YofoResult | undefined {
    return expId === undefined ? undefined : this.byExpression.get(expId);
  }

  /** True when picking `expId` should run YOFO: nothing yet, or the last run did not finish. */
  needsRun(expId: string): boolean {
    const r = this.byExpression.get(expId);
    return !r || r.status === 'cancelled' || r.status === 'error';
  }

  /** A run still going (at most one: the host cancels the previous one when a new one starts). */
  active(): YofoResult | undefined {
    for (const r of this.byExpression.values()) if (r.status === 'starting' || r.status === 'running') return r;
    return undefined;
  }

  /** Records a new run of `expId` over `total` frames and returns it (its runId goes to the host). */
  begin(expId: string, total: number): YofoResult {
    const result: YofoResult = {
      runId: this.nextRunId++,
      expId,
      status: 'starting',
      total,
      cached: false,
      masks: new Map(),
      scores: new Map(),
      notes: new Map(),
      insights: new Map(),
      unknownWords: [],
    };
    this.byExpression.set(expId, result);
    return result;
  }

  /** Applies one host message; returns the result it changed, or undefined for a stale or unknown run. */
  apply(m: YofoNotification): YofoResult | undefined {
    const r = this.byExpression.get(m.expId);
    if (!r || r.runId !== m.runId) return undefined;
    switch (m.type) {
      case 'yofoProgress':
        if (r.status !== 'starting') return undefined;
        r.status = 'running';
        r.total = m.total;
        r.modelName = m.modelName;
        r.device = m.device;
        r.cached = m.cached;
        return r;
      case 'yofoFrame':
        if (r.status !== 'running') return undefined;
        r.masks.set(m.frameIndex, m.mask);
        if (m.score) r.scores.set(m.frameIndex, m.score);
        if (m.note) r.notes.set(m.frameIndex, m.note);
        if (m.insight) r.insights.set(m.frameIndex, m.insight);
        return r;
      case 'yofoDone':
        if (r.status !== 'running') return undefined;
        r.status = 'done';
        r.modelName = m.modelName;
        r.score = m.score;
        r.unknownWords = m.unknownWords;
        r.cached = m.cached;
        return r;
      case 'yofoError':
        if (r.status === 'done') return undefined;
        r.status = m.cancelled ? 'cancelled' : 'error';
        r.message = m.message;
        return r;
    }
  }

  /** Forgets an expression's result (its ground-truth link changed, or it was removed). */
  drop(expId: string): void {
    this.byExpression.delete(expId);
  }

  clear(): void {
    this.byExpression.clear();
  }
}

/** One line for the panel: "frame 3/20", "done", "cancelled at frame 3/20", the error. */
export function statusText(r: YofoResult): string {
  const frames = `${r.masks.size}/${r.total}`;
  const model = `${modelLabel(r.modelName)}${r.device ? ` (${r.device})` : ''}`;
  switch (r.status) {
    case 'starting':
      return `${model}: loading the model…`;
    case 'running':
      return `${model}: frame ${frames}${r.cached ? ' (cached)' : ''}`;
    case 'done':
      return `${model}: ${r.total} frames${r.cached ? ' (from the cache)' : ''}`;
    case 'cancelled':
      return `${model}: cancelled at frame ${frames}`;
    case 'error':
      return `${model}: ${r.message ?? 'failed'}`;
  }
}
