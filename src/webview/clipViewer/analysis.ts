// The analysis under the frame: the per-frame J/F chart of the shown prediction (or J&F of A and B when comparing)
// and the comparison summary. A newer render overtakes an older one whose scores are still coming (LatestJob).

import type { ExpressionScore } from '../../core/types';
import type { ClipExpression, CompareTarget } from '../../shared/clipViewer/protocol';
import { LatestJob } from '../shared/latestJob';
import { CompareSummary } from './compareView';
import { compareScores, frameSeries, jfOf, streamedScore } from './comparison';
import type { ViewerContext } from './context';
import { ScoreChart, type ChartSeries } from './scoreChart';

export class AnalysisView {
  private readonly chart: ScoreChart;
  private readonly summary: CompareSummary;
  private readonly job = new LatestJob();

  constructor(
    private readonly ctx: ViewerContext,
    seek: (frameIndex: number) => void,
  ) {
    this.chart = new ScoreChart(ctx.ui.chart, ctx.ui.chartLegend, seek);
    this.summary = new CompareSummary(ctx.ui.compareSummary, seek);
  }

  /** Marks the shown frame on the chart and in the comparison. */
  setCurrent(frameIndex: number): void {
    this.chart.setCurrent(frameIndex);
    this.summary.setCurrent(frameIndex);
  }

  /** The J/F chart and the comparison summary of the selected expression. */
  async render(): Promise<void> {
    const { store, shown, ui } = this.ctx;
    if (!store.clip || !store.state) return;
    const ticket = this.job.start();
    const exp = shown.selectedExpression();
    const target = shown.shownTarget(exp);
    const other = shown.compareTarget(exp);
    const [a, b] = await Promise.all(
      [target, other].map((t) => (t ? this.targetScore(t, exp).catch(() => undefined) : Promise.resolve(undefined))),
    );
    const { clip, state } = store;
    if (!ticket.isLatest() || !clip || !state) return;
    const labels: [string, string] = [
      shown.targetLabel(target, exp?.expId),
      other ? shown.targetLabel(other, exp?.expId) : '',
    ];
    const series: ChartSeries[] = other
      ? [
          { label: `J&F A · ${labels[0]}`, className: 'series-a', values: frameSeries(a, clip.frames, jfOf) },
          { label: `J&F B · ${labels[1]}`, className: 'series-b', values: frameSeries(b, clip.frames, jfOf) },
        ]
      : [
          { label: 'J', className: 'series-j', values: frameSeries(a, clip.frames, (f) => f.J) },
          { label: 'F', className: 'series-f', values: frameSeries(a, clip.frames, (f) => f.F) },
        ];
    this.chart.update(clip.frames, series, state.frameIndex);
    ui.chartEmpty.hidden = this.chart.hasData;
    const pending = other ? (a && b ? undefined : `Scoring ${a ? labels[1] : labels[0]} on this clip…`) : undefined;
    this.summary.update(
      other && a && b ? compareScores(a, b, clip.frames) : undefined,
      labels,
      clip.frames,
      state.frameIndex,
      exp?.hasGroundTruth ? pending : other ? 'No ground truth: nothing to compare.' : undefined,
    );
  }

  /** The expression's scores under `target`: the host's for a run, YOFO's streamed frame scores. */
  private async targetScore(
    target: CompareTarget,
    exp: ClipExpression | undefined,
  ): Promise<ExpressionScore | undefined> {
    const clip = this.ctx.store.clip;
    if (!exp || !clip || !exp.hasGroundTruth) return undefined;
    if (target.kind === 'run') return exp.user ? undefined : this.ctx.runScores.expression(target.name, exp.expId);
    const r = this.ctx.yofo.get(exp.expId);
    if (!r || r.scores.size === 0) return undefined;
    return streamedScore(
      clip.videoId,
      exp.expId,
      exp.text,
      clip.frames,
      r.scores,
      r.status === 'done' ? r.score : undefined,
    );
  }
}
