// Frame preprocessing of the YOFO contract: decode to RGB at the original size, bilinear half-pixel resize of the
// 0..255 values to the model input size, then (v/255 − mean)/std per channel, as a CHW float32 tensor.

import sharp from 'sharp';
import { FRAME_MAX_PIXELS, frameImageError } from '../core/frameImage';
import { resizeBilinear } from './resize';

export { FRAME_MAX_PIXELS };

/** A decoded frame: interleaved RGB bytes, row-major. */
export interface RgbFrame {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface InputSpec {
  width: number;
  height: number;
  mean: readonly number[];
  std: readonly number[];
}

/**
 * Decodes an image file to RGB at its stored size. No EXIF auto-rotation, like PIL's Image.open used in training;
 * grayscale and CMYK JPEGs are converted to sRGB, alpha is dropped.
 */
export async function decodeRgb(file: string): Promise<RgbFrame> {
  try {
    const { data, info } = await sharp(file, { failOn: 'error', limitInputPixels: FRAME_MAX_PIXELS })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels instead of 3`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (err) {
    throw await frameImageError(file, err);
  }
}

/** The `image` tensor data [3, H, W] of a decoded frame. */
export function preprocessFrame(frame: RgbFrame, input: InputSpec): Float32Array {
  const { data } = resizeBilinear(frame.data, frame.width, frame.height, 3, 'hwc', input.width, input.height);
  const plane = input.width * input.height;
  for (let c = 0; c < 3; c++) {
    const mean = input.mean[c];
    const std = input.std[c];
    for (let i = c * plane, end = i + plane; i < end; i++) data[i] = (data[i] / 255 - mean) / std;
  }
  return data;
}
