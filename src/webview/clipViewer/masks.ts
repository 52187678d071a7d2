// Masks as they arrive from the host. VS Code transfers typed arrays in webview messages, but a serialised copy
// (plain array, or an index-keyed object after a JSON round trip) is accepted too so a host or VS Code version that
// serialises differently still draws correctly.

import { decodeRle, type RleMask } from '../../inference/maskRle';
import type { Mask } from '../../core/types';

function runsOf(raw: unknown): Uint32Array {
  if (raw instanceof Uint32Array) return raw;
  if (Array.isArray(raw)) return Uint32Array.from(raw as number[]);
  if (typeof raw === 'object' && raw !== null) return Uint32Array.from(Object.values(raw as Record<string, number>));
  throw new TypeError('mask runs missing');
}

/** The 0/1 mask of an RLE mask received in a message. */
export function maskFromMessage(rle: RleMask): Mask {
  return decodeRle({ width: rle.width, height: rle.height, runs: runsOf(rle.runs) });
}
