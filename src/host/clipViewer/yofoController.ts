// The YOFO runs of one clip viewer panel: one at a time (a new one cancels the previous), streamed to the webview as
// yofoProgress / yofoFrame / yofoDone / yofoError, with a cancellable progress notification. Cancel (notification,
// webview button, another expression, closing the panel) aborts the run's signal, which the inference client honours
// before the next frame. The panel's expression probes (probePanel.ts) go through here too, so the clip panel routes
// every YOFO message to one object.

import * as vscode from 'vscode';
import { encodeRle } from '../../inference/maskRle';
import type { HostMessage } from '../../shared/clipViewer/protocol';
import { isAbort, reportError } from '../common/errors';
import { ProbeController } from './probeController';
import type { YofoJob, YofoRuns } from '../yofo/yofoRuns';

interface Active {
  runId: number;
  abort: AbortController;
}

export class YofoController implements vscode.Disposable {
  private active: Active | undefined;
  private readonly probes: ProbeController;

  constructor(
    private readonly runs: YofoRuns,
    private readonly post: (message: HostMessage) => void,
  ) {
    this.probes = new ProbeController(runs, post);
  }

  dispose(): void {
    this.active?.abort.abort();
    this.active = undefined;
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
    if (this.active?.runId === runId) this.active.abort.abort();
  }

  /** Runs `job` for the webview's run `runId`; `resolve` errors (unknown expression…) are reported like run errors. */
  async start(runId: number, expId: string, resolve: () => Promise<YofoJob>): Promise<void> {
    this.active?.abort.abort();
    const active: Active = { runId, abort: new AbortController() };
    this.active = active;
    const { signal } = active.abort;
    let finishProgress = (): void => undefined;
    try {
      const job = await resolve();
      let done = 0;
      let report: ((frames: number) => void) | undefined;
      const outcome = await this.runs.run(
        job,
        {
          started: (info) => {
            this.post({ type: 'yofoProgress', runId, expId, modelName: info.modelName, device: info.device, total: info.total, cached: info.cached });
            if (info.cached || signal.aborted) return;
            // A notification only for real runs: a cached result replays at once.
            const finished = new Promise<void>((r) => (finishProgress = r));
            void vscode.window.withProgress(
              {
                location: vscode.ProgressLocation.Notification,
                title: `RVOS: YOFO "${job.expression.text}" on ${job.video.id}`,
                cancellable: true,
              },
              (progress, token) => {
                token.onCancellationRequested(() => active.abort.abort());
                report = (frames) => progress.report({ increment: 100 / Math.max(1, info.total), message: `frame ${frames}/${info.total}` });
                return finished;
              },
            );
          },
          frame: (f) => {
            done++;
            report?.(done);
            this.post({ type: 'yofoFrame', runId, expId, frameIndex: f.index, mask: encodeRle(f.mask), score: f.score, note: f.note, insight: f.insight });
          },
        },
        signal,
      );
      this.post({ type: 'yofoDone', runId, expId, modelName: outcome.modelName, score: outcome.score, unknownWords: outcome.unknownWords, cached: outcome.cached });
      if (outcome.cacheProblem) void vscode.window.showWarningMessage(`RVOS: ${outcome.cacheProblem}`);
    } catch (err) {
      const cancelled = signal.aborted || isAbort(err);
      const message = cancelled ? 'cancelled' : err instanceof Error ? err.message : String(err);
      this.post({ type: 'yofoError', runId, expId, message, cancelled });
      if (!cancelled) reportError(err, 'YOFO');
    } finally {
      finishProgress();
      if (this.active === active) this.active = undefined;
    }
  }
}
