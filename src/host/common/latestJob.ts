// A "latest wins" job slot: starting a job cancels the one before (its AbortSignal fires), and a cancel names the job
// it means, so a late cancel of an old job never stops the new one. Used by the clip viewer's YOFO and probe controllers.

export class LatestJob {
  private active: { id: number; abort: AbortController } | undefined;

  /** Runs job `id` with its signal, after cancelling the running one; the slot is free again once it settles. */
  async run<T>(id: number, work: (signal: AbortSignal, cancel: () => void) => Promise<T>): Promise<T> {
    this.active?.abort.abort();
    const active = { id, abort: new AbortController() };
    this.active = active;
    try {
      return await work(active.abort.signal, () => active.abort.abort());
    } finally {
      if (this.active === active) this.active = undefined;
    }
  }

  /** Cancels job `id` if it is the running one. */
  cancel(id: number): void {
    if (this.active?.id === id) this.active.abort.abort();
  }

  /** The running job's id, if any. */
  get runningId(): number | undefined {
    return this.active?.id;
  }

  dispose(): void {
    this.active?.abort.abort();
    this.active = undefined;
  }
}
