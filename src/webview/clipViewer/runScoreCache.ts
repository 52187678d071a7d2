// Scores of imported runs for the open clip, asked of the host once per run (it scores the clip on demand) and kept
// until the clip or the scores change. A failed request is forgotten so that it can be retried.

import type { ExpressionScore } from '../../core/types';

export type FetchScores = (run: string) => Promise<ExpressionScore[]>;

export class RunScoreCache {
  private readonly byRun = new Map<string, Promise<ExpressionScore[]>>();

  constructor(private readonly fetch: FetchScores) {}

  /** The score of expression `expId` in run `run`; undefined when the run did not score it. */
  async expression(run: string, expId: string | undefined): Promise<ExpressionScore | undefined> {
    let entry = this.byRun.get(run);
    if (!entry) {
      entry = this.fetch(run);
      this.byRun.set(run, entry);
      entry.catch(() => {
        if (this.byRun.get(run) === entry) this.byRun.delete(run);
      });
    }
    return (await entry).find((e) => e.expId === expId);
  }

  clear(): void {
    this.byRun.clear();
  }
}
