// Bilinear resize with half-pixel centres and no antialiasing, exactly torch.nn.functional.interpolate(
// mode="bilinear", align_corners=False) (and ONNX Resize with coordinate_transformation_mode="half_pixel"): the model
// was trained on frames resized that way, so the extension must reproduce it, not use a library resampler.

/** Source index pairs and weights along one axis. */
interface AxisTable {
  lo: Int32Array;
  hi: Int32Array;
  /** Weight of `hi` (the weight of `lo` is 1 − frac). */
  frac: Float32Array;
}

function axisTable(srcSize: number, dstSize: number): AxisTable {
  const lo = new Int32Array(dstSize);
  const hi = new Int32Array(dstSize);
  const frac = new Float32Array(dstSize);
  // torch computes the scale in float (in/out), the source coordinate scale·(d + 0.5) − 0.5 in double (its 0.5 is a
  // double literal), clamps it at 0 and keeps the weight in float. Matching this to the bit matters for 1e-4 parity.
  const scale = Math.fround(srcSize / dstSize);
  for (let d = 0; d < dstSize; d++) {
    const src = Math.max(scale * (d + 0.5) - 0.5, 0);
    const i0 = Math.min(Math.floor(src), srcSize - 1);
    lo[d] = i0;
    hi[d] = Math.min(i0 + 1, srcSize - 1);
    frac[d] = src - i0;
  }
  return { lo, hi, frac };
}

const tableCache = new Map<string, AxisTable>();

function cachedTable(srcSize: number, dstSize: number): AxisTable {
  const key = `${srcSize}>${dstSize}`;
  let table = tableCache.get(key);
  if (!table) {
    if (tableCache.size > 64) tableCache.clear();
    table = axisTable(srcSize, dstSize);
    tableCache.set(key, table);
  }
  return table;
}

export interface Planes {
  /** Samples, planar (channel-major: all of channel 0, then channel 1, …), row-major within a plane. */
  data: Float32Array;
  width: number;
  height: number;
  channels: number;
}

/**
 * Resizes an image to dstWidth×dstHeight. `src` holds `channels` samples per pixel, either interleaved (HWC, as decoders
 * return them) or planar (CHW); the result is always planar CHW float32.
 */
export function resizeBilinear(
  src: ArrayLike<number>,
  width: number,
  height: number,
  channels: number,
  layout: 'hwc' | 'chw',
  dstWidth: number,
  dstHeight: number,
): Planes {
  if (src.length !== width * height * channels) {
    throw new RangeError(`resize: ${src.length} samples for ${width}×${height}×${channels}`);
  }
  const xs = cachedTable(width, dstWidth);
  const ys = cachedTable(height, dstHeight);
  const out = new Float32Array(channels * dstWidth * dstHeight);
  const pixelStride = layout === 'hwc' ? channels : 1;
  const rowStride = width * pixelStride;
  for (let c = 0; c < channels; c++) {
    const base = layout === 'hwc' ? c : c * width * height;
    const plane = c * dstWidth * dstHeight;
    for (let dy = 0; dy < dstHeight; dy++) {
      const r0 = base + ys.lo[dy] * rowStride;
      const r1 = base + ys.hi[dy] * rowStride;
      const fy = ys.frac[dy];
      const gy = 1 - fy;
      const rowOut = plane + dy * dstWidth;
      for (let dx = 0; dx < dstWidth; dx++) {
        const x0 = xs.lo[dx] * pixelStride;
        const x1 = xs.hi[dx] * pixelStride;
        const fx = xs.frac[dx];
        const top = src[r0 + x0] * (1 - fx) + src[r0 + x1] * fx;
        const bottom = src[r1 + x0] * (1 - fx) + src[r1 + x1] * fx;
        out[rowOut + dx] = top * gy + bottom * fy;
      }
    }
  }
  return { data: out, width: dstWidth, height: dstHeight, channels };
}
