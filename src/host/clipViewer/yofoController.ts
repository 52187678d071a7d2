// The YOFO runs of one clip viewer panel: one at a time (a new one cancels the previous), streamed to the webview as
// yofoProgress / yofoFrame / yofoDone / yofoError, with its progress in the viewer and the status bar (no toast: most
// runs take under a second). Cancel (webview button, another expression, closing the panel) aborts the run's signal,
// which the inference client honours before the next frame. The panel's expression probes (probeController.ts) go
// through here too, so the clip panel routes every YOFO message to one object.

import * as vscode from 'vscode';
import { encodeRle } from '../../inference/maskRle';
import type { HostMessage } from '../../shared/clipViewer/protocol';
import { isAbort, reportError } from '../common/errors';
import { LatestJob } from '../common/latestJob';
import { RunStatus } from '../common/runStatus';
import { ProbeController } from './probeController';
import type { YofoJob, YofoRuns } from '../yofo/yofoRuns';

export class YofoController implements vscode.Disposable {
  private readonly slot = new LatestJob();
  private readonly probes: ProbeController;

  constructor(
    private readonly runs: YofoRuns,
    private readonly post: (message: HostMessage) => void,
  ) {
    this.probes = new ProbeController(runs, post);
  }

  dispose(): void {
    this.slot.dispose();
    this.probes.dispose();
  }

  /** Probes an expression (each automatic variant's J&F) for the webview's probe `probeId`; see ProbeController. */
  probe(probeId: number, expId: string, resolve: () => Promise<YofoJob>): Promise<void> {
    return this.probes.start(probeId, expId, resolve);
  }

  cancelProbe(probeId: number): void {
    this.probes.cancel(probeId);
  }

  cancel(runId: number): void {
    this.slot.cancel(runId);
  }

  /** Runs `job` for the webview's run `runId`; `resolve` errors (unknown expression…) are reported like run errors. */
  start(runId: number, expId: string, resolve: () => Promise<YofoJob>): Promise<void> {
    return this.slot.run(runId, async (signal) => {
      let status: RunStatus | undefined;
      try {
        const job = await resolve();
        let done = 0;
        let total = 0;
        const outcome = await this.runs.run(
          job,
          {
            started: (info) => {
              this.post({
                type: 'yofoProgress',
                runId,
                expId,
                modelName: info.modelName,
                device: info.device,
                total: info.total,
                cached: info.cached,
              });
              total = info.total;
              // Only real runs: a cached result replays at once.
              if (!info.cached && !signal.aborted) status = new RunStatus(`YOFO on ${job.video.id}`);
            },
            frame: (f) => {
              done++;
              status?.report(`frame ${done}/${total}`);
              this.post({
                type: 'yofoFrame',
                runId,
                expId,
                frameIndex: f.index,
                mask: encodeRle(f.mask),
                score: f.score,
                note: f.note,
                insight: f.insight,
              });
            },
          },
          signal,
        );
        this.post({
          type: 'yofoDone',
          runId,
          expId,
          modelName: outcome.modelName,
          score: outcome.score,
          unknownWords: outcome.unknownWords,
          cached: outcome.cached,
        });
        if (outcome.cacheProblem) void vscode.window.showWarningMessage(`RVOS: ${outcome.cacheProblem}`);
      } catch (err) {
        const cancelled = signal.aborted || isAbort(err);
        const message = cancelled ? 'cancelled' : err instanceof Error ? err.message : String(err);
        this.post({ type: 'yofoError', runId, expId, message, cancelled });
        if (!cancelled) reportError(err, 'YOFO');
      } finally {
        status?.dispose();
      }
    });
  }
}
