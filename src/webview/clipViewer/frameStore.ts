// Frame masks fetched from the host, cached per (expression, frame, run) and prefetched ahead of playback. A bounded cache:
// decoded masks of a long clip would otherwise pile up.

import type { FrameMasks } from '../../shared/clipViewer/protocol';

/** `run`: an imported run by name (default: the active run). */
export type FetchFrame = (expId: string | undefined, frameIndex: number, run?: string) => Promise<FrameMasks>;

export class FrameStore {
  private readonly entries = new Map<string, Promise<FrameMasks>>();

  constructor(
    private readonly fetch: FetchFrame,
    private readonly capacity = 64,
  ) {}

  private key(expId: string | undefined, frameIndex: number, run: string | undefined): string {
    return `${expId ?? ''}\u0000${frameIndex}\u0000${run === undefined ? '' : `run:${run}`}`;
  }

  /** The masks of one frame, fetched once; a failed fetch is forgotten so it can be retried. */
  get(expId: string | undefined, frameIndex: number, run?: string): Promise<FrameMasks> {
    const key = this.key(expId, frameIndex, run);
    let entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key); // refresh its place in the LRU order
    } else {
      entry = this.fetch(expId, frameIndex, run);
      entry.catch(() => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      });
    }
    this.entries.set(key, entry);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return entry;
  }

  /** Starts fetching frames that are not cached yet (errors surface when they are shown). */
  prefetch(expId: string | undefined, frameIndices: number[], run?: string): void {
    for (const i of frameIndices) {
      if (!this.entries.has(this.key(expId, i, run))) this.get(expId, i, run).catch(() => undefined);
    }
  }

  /** Drops everything (the active run or the scores changed). */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
