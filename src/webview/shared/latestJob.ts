// "Latest wins" for webview work that a newer request overtakes (drawing a frame while the user scrubs, the analysis
// of the selected expression). Starting a job aborts the previous one's signal; a job may show its result while no
// newer job has shown one, so a slow older result never covers a newer picture, yet the newest finished result is
// shown while later ones are still loading (a picture that follows the scrubbing instead of freezing).

export interface JobTicket {
  /** Aborted when a newer job starts (or on cancel). */
  readonly signal: AbortSignal;
  /** No newer job has started. */
  isLatest(): boolean;
  /** True (once) when no newer job has shown its result yet: the caller may show this one. */
  claimShow(): boolean;
}

export class LatestJob {
  private started = 0;
  private shown = 0;
  private controller: AbortController | undefined;

  start(): JobTicket {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const seq = ++this.started;
    return {
      signal: controller.signal,
      isLatest: () => seq === this.started,
      claimShow: () => {
        if (seq <= this.shown) return false;
        this.shown = seq;
        return true;
      },
    };
  }

  /** Aborts the running job; its result is never shown. */
  cancel(): void {
    this.controller?.abort();
    this.controller = undefined;
    this.shown = ++this.started;
  }
}
