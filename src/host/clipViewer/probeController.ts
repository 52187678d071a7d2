// The expression probe of one clip viewer panel: one at a time (a new one cancels the previous), streamed to the
// webview as probeStarted / probeRow / probeDone / probeError (the table fills as variants finish; the status bar
// counts them, no toast). Independent of the panel's YOFO run (both queue in the same inference worker).

import * as vscode from 'vscode';
import type { HostMessage } from '../../shared/clipViewer/protocol';
import { isAbort, reportError } from '../common/errors';
import { LatestJob } from '../common/latestJob';
import { RunStatus } from '../common/runStatus';
import { NoGroundTruthError, probeExpression } from '../yofo/probeRunner';
import type { YofoJob, YofoRuns } from '../yofo/yofoRuns';

export class ProbeController implements vscode.Disposable {
  private readonly slot = new LatestJob();

  constructor(
    private readonly runs: YofoRuns,
    private readonly post: (message: HostMessage) => void,
  ) {}

  dispose(): void {
    this.slot.dispose();
  }

  cancel(probeId: number): void {
    this.slot.cancel(probeId);
  }

  /** Probes the expression `resolve` gives for the webview's probe `probeId`. */
  start(probeId: number, expId: string, resolve: () => Promise<YofoJob>): Promise<void> {
    return this.slot.run(probeId, async (signal) => {
      let status: RunStatus | undefined;
      try {
        const job = await resolve();
        let total = 1;
        await probeExpression(
          this.runs,
          job,
          {
            started: (original, variants) => {
              total = variants.length + 1;
              this.post({ type: 'probeStarted', probeId, expId, original, variants: [...variants] });
              status = new RunStatus(`Probing on ${job.video.id}`);
            },
            row: (row, score, cached) => {
              status?.report(`${row + 1}/${total} texts`);
              this.post({ type: 'probeRow', probeId, expId, row, score, cached });
            },
          },
          signal,
        );
        this.post({ type: 'probeDone', probeId, expId });
      } catch (err) {
        const cancelled = signal.aborted || isAbort(err);
        const message = cancelled ? 'cancelled' : err instanceof Error ? err.message : String(err);
        this.post({ type: 'probeError', probeId, expId, message, cancelled });
        // No ground truth is shown in the panel; it is not a failure to report.
        if (!cancelled && !(err instanceof NoGroundTruthError)) reportError(err, 'Probe expression');
      } finally {
        status?.dispose();
      }
    });
  }
}
