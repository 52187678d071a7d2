// The YOFO runs of one clip viewer panel: one at a time (a new one cancels the previous), streamed to the webview as
// yofoProgress / yofoFrame / yofoDone / yofoError, with its progress in the viewer and the status bar (no toast: most
// runs take under a second). Cancel (webview button, another expression, closing the panel) aborts the run's signal,
// which the inference client honours before the next frame. The panel's expression probes (probePanel.ts) go through here too, so the clip panel routes
// every YOFO message to one object.

import * as vscode from 'vscode';
import { encodeRle } from '../inference/maskRle';
import type { HostMessage } from '../shared/protocol';
import { isAbort, reportError } from './errors';
import { PanelProbe } from './probePanel';
import { RunStatus } from './runStatus';
import type { YofoJob, YofoRuns } from './yofoRuns';

interface Active {
  runId: number;
  abort: AbortController;
}

export class PanelYofo implements vscode.Disposable {
  private active: Active | undefined;
  private readonly probes: PanelProbe;

  constructor(
    private readonly runs: YofoRuns,
    private readonly post: (message: HostMessage) => void,
  ) {
    this.probes = new PanelProbe(runs, post);
  }

  dispose(): void {
    this.active?.abort.abort();
    this.active = undefined;
    this.probes.dispose();
  }

  /** Probes an expression (each automatic variant's J&F) for the webview's probe `probeId`; see PanelProbe. */
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
    let status: RunStatus | undefined;
    try {
      const job = await resolve();
      let done = 0;
      let total = 0;
      const outcome = await this.runs.run(
        job,
        {
          started: (info) => {
            this.post({ type: 'yofoProgress', runId, expId, modelName: info.modelName, device: info.device, total: info.total, cached: info.cached });
            // Only real runs: a cached result replays at once.
            if (info.cached || signal.aborted) return;
            status = new RunStatus(`YOFO on ${job.video.id}`);
            total = info.total;
          },
          frame: (f) => {
            done++;
            status?.report(`frame ${done}/${total}`);
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
      status?.dispose();
      if (this.active === active) this.active = undefined;
    }
  }
}
