// Keeps the preprocessed frames of the most recent clip, so the next expression on the same video (rvos eval runs all
// of a video's expressions back to back; the viewer re-runs edited expressions) skips JPEG decoding and resizing.
// Only clips that fit the byte budget are kept, so memory stays bounded on long clips. Each hit is checked against the
// file's size and mtime, so a frame rewritten on disk is decoded again.

import { stat } from 'node:fs/promises';

export interface PreparedFrame {
  /** The `image` tensor data [3, H, W]. */
  image: Float32Array;
  /** Original frame size, for the mask. */
  width: number;
  height: number;
}

interface Entry extends PreparedFrame {
  size: number;
  mtimeMs: number;
}

export class ClipFrameCache {
  private clipKey = '';
  private entries: (Entry | undefined)[] = [];

  constructor(private readonly budgetBytes = 64 << 20) {}

  /**
   * The frame `index` of `frames`, from the cache when it is unchanged on disk, else from `prepare` (and cached when the
   * clip fits the budget). `inputKey` identifies the preprocessing (model input size and normalisation).
   */
  async get(
    frames: readonly string[],
    index: number,
    inputKey: string,
    prepare: () => Promise<PreparedFrame>,
  ): Promise<PreparedFrame> {
    const key = `${inputKey}\0${frames.join('\0')}`;
    if (key !== this.clipKey) {
      this.clipKey = key;
      this.entries = [];
    }
    const file = frames[index];
    const info = await stat(file).catch(() => undefined);
    const hit = this.entries[index];
    if (hit && info && hit.size === info.size && hit.mtimeMs === info.mtimeMs) return hit;
    const prepared = await prepare();
    if (info && frames.length * prepared.image.byteLength <= this.budgetBytes && this.clipKey === key) {
      this.entries[index] = { ...prepared, size: info.size, mtimeMs: info.mtimeMs };
    }
    return prepared;
  }
}
