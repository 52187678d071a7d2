// Keyboard and playback stepping of the clip viewer. Pure.

export type FrameAction = 'prev' | 'next' | 'first' | 'last' | 'togglePlay';

/** ←/→ one frame, Home/End first/last, space play/pause. */
export function keyAction(key: string): FrameAction | undefined {
  switch (key) {
    case 'ArrowLeft':
      return 'prev';
    case 'ArrowRight':
      return 'next';
    case 'Home':
      return 'first';
    case 'End':
      return 'last';
    case ' ':
    case 'Spacebar':
      return 'togglePlay';
    default:
      return undefined;
  }
}

/** The frame index after a stepping action, clamped to [0, count-1]. */
export function stepFrame(index: number, count: number, action: Exclude<FrameAction, 'togglePlay'>): number {
  if (count <= 0) return 0;
  const last = count - 1;
  switch (action) {
    case 'prev':
      return Math.max(0, Math.min(last, index - 1));
    case 'next':
      return Math.min(last, Math.max(0, index + 1));
    case 'first':
      return 0;
    case 'last':
      return last;
  }
}

/** The next frame while playing: wraps to the start after the last frame. */
export function playNext(index: number, count: number): number {
  return count <= 0 ? 0 : (index + 1) % count;
}

/**
 * Frames to fetch ahead of `index` (wrapping like playNext), the shown one excluded: after it during playback and
 * forward scrubbing (`direction` 1), before it while the user scrubs backwards (-1).
 */
export function prefetchIndices(index: number, count: number, ahead: number, direction: 1 | -1 = 1): number[] {
  const out: number[] = [];
  for (let k = 1; k <= Math.min(ahead, count - 1); k++) out.push((((index + direction * k) % count) + count) % count);
  return out;
}
