// Dependency-free PNG decoder and encoder on node:zlib.
// Annotation PNGs are palette images whose pixel *index* is the object id; image libraries (sharp) hand back the
// palette colours instead, so we decode the samples ourselves. Every bad input becomes an InputError naming the file.

import { constants as zlibConstants, deflateSync, inflateSync } from 'node:zlib';
import { crc32 } from './crc32';
import { InputError } from './errors';
import type { Mask } from './types';

/** Largest image we agree to decode: guards against allocating gigabytes for a hostile or broken header. */
export const PNG_MAX_SIDE = 16384;
export const PNG_MAX_PIXELS = 100_000_000;

export type PngColorType = 0 | 2 | 3 | 4 | 6;

/** An image as PNG stores it: `channels` samples per pixel, row-major, no padding. */
export interface PngImage {
  width: number;
  height: number;
  bitDepth: 1 | 2 | 4 | 8 | 16;
  colorType: PngColorType;
  /** Samples: one byte each for bit depths ≤ 8, Uint16Array for 16-bit images. */
  samples: Uint8Array | Uint16Array;
  /** Palette as RGB triples (colour type 3). */
  palette?: Uint8Array;
}

export interface DecodedPng extends PngImage {
  channels: number;
  /** True when the file was Adam7-interlaced (the samples are always returned de-interlaced). */
  interlaced: boolean;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const ALLOWED_DEPTHS: Record<number, readonly number[]> = {
  0: [1, 2, 4, 8, 16],
  2: [8, 16],
  3: [1, 2, 4, 8],
  4: [8, 16],
  6: [8, 16],
};
const COLOR_NAMES: Record<number, string> = {
  0: 'grayscale',
  2: 'RGB',
  3: 'palette',
  4: 'grayscale+alpha',
  6: 'RGBA',
};

/** Adam7 passes: [x0, y0, dx, dy]. */
const ADAM7 = [
  [0, 0, 8, 8],
  [4, 0, 8, 8],
  [0, 4, 4, 8],
  [2, 0, 4, 4],
  [0, 2, 2, 4],
  [1, 0, 2, 2],
  [0, 1, 1, 2],
] as const;

function readU32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

function describeColorType(colorType: number, bitDepth: number): string {
  return `${bitDepth}-bit ${COLOR_NAMES[colorType] ?? `colour type ${colorType}`}`;
}

/** Decodes any standard PNG (colour types 0, 2, 3, 4, 6; bit depths 1–16; Adam7) into raw samples. */
export function decodePng(bytes: Uint8Array, file: string): DecodedPng {
  if (bytes.length === 0) throw new InputError(file, 'empty file (0 bytes); not a PNG file');
  if (bytes.length < 8 || SIGNATURE.some((v, i) => bytes[i] !== v)) throw new InputError(file, 'not a PNG file');

  let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | undefined;
  let palette: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  let sawIend = false;
  let lastType = 'signature';

  for (let pos = 8; pos < bytes.length;) {
    if (pos + 8 > bytes.length)
      throw new InputError(file, `truncated PNG (file ends inside a chunk header after ${lastType})`);
    const length = readU32(bytes, pos);
    const type = String.fromCharCode(bytes[pos + 4], bytes[pos + 5], bytes[pos + 6], bytes[pos + 7]);
    if (!/^[A-Za-z]{4}$/.test(type)) throw new InputError(file, `corrupt PNG (invalid chunk type after ${lastType})`);
    const dataStart = pos + 8;
    const dataEnd = dataStart + length;
    if (length > 0x7fffffff || dataEnd + 4 > bytes.length)
      throw new InputError(file, `truncated PNG (${type} chunk ends early)`);
    if (crc32(bytes, pos + 4, dataEnd) !== readU32(bytes, dataEnd))
      throw new InputError(file, `CRC mismatch in ${type} chunk`);
    const data = bytes.subarray(dataStart, dataEnd);
    lastType = `${type} chunk`;
    pos = dataEnd + 4;

    if (header === undefined && type !== 'IHDR')
      throw new InputError(file, `corrupt PNG (first chunk is ${type}, not IHDR)`);
    if (type === 'IHDR') {
      if (header) throw new InputError(file, 'corrupt PNG (more than one IHDR chunk)');
      header = parseHeader(data, file);
    } else if (type === 'PLTE') {
      if (length === 0 || length % 3 !== 0 || length > 768)
        throw new InputError(file, `corrupt PNG (PLTE chunk has ${length} bytes, not 3 per entry for 1–256 entries)`);
      palette = new Uint8Array(data); // a copy: Buffer#slice would keep the whole file alive
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      sawIend = true;
      break;
    } else if ((bytes[dataStart - 4] & 0x20) === 0) {
      // Upper-case first letter: a critical chunk we don't know, so we can't claim to decode the image correctly.
      throw new InputError(file, `unsupported PNG (unknown critical chunk ${type})`);
    }
  }
  if (!header) throw new InputError(file, 'truncated PNG (no IHDR chunk)');
  if (idat.length === 0)
    throw new InputError(
      file,
      sawIend ? 'corrupt PNG (no IDAT chunk)' : 'truncated PNG (file ends before the image data)',
    );
  if (!sawIend) throw new InputError(file, 'truncated PNG (file ends before the IEND chunk)');
  if (header.colorType === 3 && !palette)
    throw new InputError(file, 'corrupt PNG (palette image without a PLTE chunk)');

  const { width, height, bitDepth, colorType, interlace } = header;
  const channels = CHANNELS[colorType];
  const bitsPerPixel = channels * bitDepth;
  const passes = interlace
    ? ADAM7.map(([x0, y0, dx, dy]) => passSize(width, height, x0, y0, dx, dy))
    : [{ w: width, h: height }];
  let expected = 0;
  for (const p of passes) if (p.w > 0 && p.h > 0) expected += p.h * (1 + Math.ceil((p.w * bitsPerPixel) / 8));

  const raw = inflateImageData(idat, expected, file);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  let samples: Uint8Array | Uint16Array;
  if (!interlace && bitDepth === 8) {
    // The common case (masks): unfilter, then drop each row's filter byte in place; the samples are the inflated
    // buffer itself, so a 720p mask costs no second 1 MB array.
    const stride = width * channels;
    unfilter(raw, 0, stride, height, bpp, file);
    for (let y = 0; y < height; y++) raw.copyWithin(y * stride, y * (stride + 1) + 1, (y + 1) * (stride + 1));
    samples = new Uint8Array(raw.buffer, raw.byteOffset, stride * height); // a plain view: Buffer#slice would not copy
  } else {
    const out =
      bitDepth === 16 ? new Uint16Array(width * height * channels) : new Uint8Array(width * height * channels);
    let offset = 0;
    passes.forEach((p, i) => {
      if (p.w === 0 || p.h === 0) return;
      const stride = Math.ceil((p.w * bitsPerPixel) / 8);
      unfilter(raw, offset, stride, p.h, bpp, file);
      const [x0, y0, dx, dy] = interlace ? ADAM7[i] : [0, 0, 1, 1];
      unpack(raw, offset, stride, p.w, p.h, bitDepth, channels, out, width, x0, y0, dx, dy);
      offset += p.h * (stride + 1);
    });
    samples = out;
  }

  const image: DecodedPng = {
    width,
    height,
    bitDepth: bitDepth as DecodedPng['bitDepth'],
    colorType: colorType as PngColorType,
    channels,
    samples,
    interlaced: interlace === 1,
  };
  if (palette) image.palette = palette;
  return image;
}

function parseHeader(data: Uint8Array, file: string) {
  if (data.length !== 13) throw new InputError(file, `corrupt PNG (IHDR chunk has ${data.length} bytes, expected 13)`);
  const width = readU32(data, 0);
  const height = readU32(data, 4);
  const [bitDepth, colorType, compression, filter, interlace] = data.subarray(8, 13);
  if (width === 0 || height === 0) throw new InputError(file, `corrupt PNG (image is ${width}×${height})`);
  if (!(colorType in CHANNELS)) throw new InputError(file, `corrupt PNG (unknown colour type ${colorType})`);
  if (!ALLOWED_DEPTHS[colorType].includes(bitDepth))
    throw new InputError(
      file,
      `corrupt PNG (bit depth ${bitDepth} is not allowed for ${COLOR_NAMES[colorType]} images)`,
    );
  if (compression !== 0 || filter !== 0)
    throw new InputError(file, `unsupported PNG (compression method ${compression}, filter method ${filter})`);
  if (interlace > 1) throw new InputError(file, `unsupported PNG (interlace method ${interlace})`);
  if (width > PNG_MAX_SIDE || height > PNG_MAX_SIDE || width * height > PNG_MAX_PIXELS) {
    throw new InputError(
      file,
      `image is ${width}×${height}; images larger than ${PNG_MAX_SIDE} px a side or ${PNG_MAX_PIXELS / 1e6} Mpixel are not supported`,
    );
  }
  return { width, height, bitDepth, colorType, interlace };
}

function passSize(width: number, height: number, x0: number, y0: number, dx: number, dy: number) {
  return { w: Math.max(0, Math.ceil((width - x0) / dx)), h: Math.max(0, Math.ceil((height - y0) / dy)) };
}

function inflateImageData(idat: Uint8Array[], expected: number, file: string): Uint8Array {
  const compressed = idat.length === 1 ? idat[0] : Buffer.concat(idat);
  let raw: Buffer;
  try {
    // Sync flush returns what a truncated stream holds instead of failing, so truncation gets its own message;
    // the output cap stops a malicious stream from inflating past the image size.
    // One output chunk the size of the image (no growing and concatenating of 16 KB pieces), but never more than the
    // data can inflate to (deflate's ratio is at most 1032:1): a tiny file declaring a huge image allocates nothing big.
    const chunkSize = Math.max(64, Math.min(expected + 1, compressed.length * 1032 + 64));
    raw = inflateSync(compressed, {
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
      maxOutputLength: Math.max(expected, 1),
      chunkSize,
    });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') throw new InputError(file, 'corrupt PNG (IDAT data is longer than the image)');
    throw new InputError(file, `corrupt PNG (IDAT data does not inflate: ${(err as Error).message})`);
  }
  if (raw.length < expected)
    throw new InputError(file, `truncated PNG (IDAT data ends early: ${raw.length} of ${expected} bytes)`);
  return raw;
}

/** Reverses the per-row filters in place; `raw[offset]` is the first row's filter byte. */
function unfilter(raw: Uint8Array, offset: number, stride: number, rows: number, bpp: number, file: string): void {
  const rowLen = stride + 1;
  for (let y = 0; y < rows; y++) {
    const start = offset + y * rowLen;
    const filter = raw[start];
    const cur = start + 1;
    const prev = cur - rowLen; // only read when y > 0
    switch (filter) {
      case 0:
        break;
      case 1:
        for (let i = bpp; i < stride; i++) raw[cur + i] = (raw[cur + i] + raw[cur + i - bpp]) & 0xff;
        break;
      case 2:
        if (y > 0) for (let i = 0; i < stride; i++) raw[cur + i] = (raw[cur + i] + raw[prev + i]) & 0xff;
        break;
      case 3:
        for (let i = 0; i < stride; i++) {
          const left = i >= bpp ? raw[cur + i - bpp] : 0;
          const up = y > 0 ? raw[prev + i] : 0;
          raw[cur + i] = (raw[cur + i] + ((left + up) >> 1)) & 0xff;
        }
        break;
      case 4:
        for (let i = 0; i < stride; i++) {
          const a = i >= bpp ? raw[cur + i - bpp] : 0;
          const b = y > 0 ? raw[prev + i] : 0;
          const c = i >= bpp && y > 0 ? raw[prev + i - bpp] : 0;
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          const pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          raw[cur + i] = (raw[cur + i] + pred) & 0xff;
        }
        break;
      default:
        throw new InputError(file, `corrupt PNG (unknown filter type ${filter} in row ${y})`);
    }
  }
}

/** Copies one (pass) image's unfiltered rows into the full-size sample array at (x0 + dx·i, y0 + dy·j). */
function unpack(
  raw: Uint8Array,
  offset: number,
  stride: number,
  w: number,
  h: number,
  bitDepth: number,
  channels: number,
  out: Uint8Array | Uint16Array,
  width: number,
  x0: number,
  y0: number,
  dx: number,
  dy: number,
): void {
  for (let j = 0; j < h; j++) {
    const src = offset + j * (stride + 1) + 1;
    const rowBase = (y0 + j * dy) * width;
    if (bitDepth === 8) {
      if (dx === 1) {
        out.set(raw.subarray(src, src + w * channels), rowBase * channels);
      } else {
        for (let i = 0; i < w; i++) {
          const d = (rowBase + x0 + i * dx) * channels;
          for (let c = 0; c < channels; c++) out[d + c] = raw[src + i * channels + c];
        }
      }
    } else if (bitDepth === 16) {
      for (let i = 0; i < w; i++) {
        const d = (rowBase + x0 + i * dx) * channels;
        for (let c = 0; c < channels; c++) {
          const s = src + (i * channels + c) * 2;
          out[d + c] = (raw[s] << 8) | raw[s + 1];
        }
      }
    } else {
      // Sub-byte depths only occur with one channel (gray or palette); samples are packed MSB first.
      const perByte = 8 / bitDepth;
      const maxVal = (1 << bitDepth) - 1;
      for (let i = 0; i < w; i++) {
        const byte = raw[src + Math.floor(i / perByte)];
        const shift = 8 - bitDepth * ((i % perByte) + 1);
        out[rowBase + x0 + i * dx] = (byte >> shift) & maxVal;
      }
    }
  }
}

/**
 * Object ids per pixel of an annotation PNG: palette indices, or the values of a grayscale image of ≤ 8 bits.
 * Colour images are refused: their colours are not ids.
 */
export function decodeIndexMask(bytes: Uint8Array, file: string): Mask {
  const img = decodePng(bytes, file);
  if (img.colorType === 3 || (img.colorType === 0 && img.bitDepth <= 8)) {
    return { width: img.width, height: img.height, data: img.samples as Uint8Array };
  }
  throw new InputError(
    file,
    `${describeColorType(img.colorType, img.bitDepth)} image; expected a palette PNG (or 8-bit grayscale) whose pixel values are object ids`,
  );
}

/**
 * A prediction mask where any nonzero value is foreground: for one-channel images of ≤ 8 bits (gray, palette) the
 * decoded samples themselves, without a copy; otherwise 0/1, with the rules of decodeBinaryMask.
 */
export function decodeForegroundMask(bytes: Uint8Array, file: string): Mask {
  const img = decodePng(bytes, file);
  const { width, height, samples, channels } = img;
  if (channels === 1 && img.bitDepth <= 8) return { width, height, data: samples as Uint8Array };
  const n = width * height;
  const data = new Uint8Array(n);
  const colourChannels = img.colorType === 2 || img.colorType === 6 ? 3 : 1; // gray+alpha / RGBA: skip alpha
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    let fg = 0;
    for (let c = 0; c < colourChannels; c++) if (samples[p + c] !== 0) fg = 1;
    data[i] = fg;
  }
  return { width, height, data };
}

/**
 * A prediction mask as 0/1 per pixel. Foreground = any nonzero sample: gray value, palette index, or any of R, G, B
 * (alpha is ignored, so an opaque black pixel is background).
 */
export function decodeBinaryMask(bytes: Uint8Array, file: string): Mask {
  const mask = decodeForegroundMask(bytes, file);
  toZeroOne(mask.data); // the array is ours (fresh from the decoder)
  return mask;
}

/** Maps nonzero bytes to 1 in place, 4 at a time: per byte, the high bit of ((x & 0x7f) + 0x7f) | x is (x ≠ 0). */
function toZeroOne(data: Uint8Array): void {
  let i = 0;
  if (data.byteOffset % 4 === 0) {
    const words = new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
    for (let k = 0; k < words.length; k++) {
      const x = words[k];
      if (x !== 0) words[k] = ((((x & 0x7f7f7f7f) + 0x7f7f7f7f) | x) & 0x80808080) >>> 7;
    }
    i = words.length << 2;
  }
  for (; i < data.length; i++) data[i] = data[i] !== 0 ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------------------------
// Encoder

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

/** Encodes raw samples as a non-interlaced PNG (any standard colour type and bit depth). */
export function encodePng(img: PngImage): Uint8Array {
  const { width, height, bitDepth, colorType, samples, palette } = img;
  const channels = CHANNELS[colorType];
  if (!ALLOWED_DEPTHS[colorType]?.includes(bitDepth))
    throw new Error(`bit depth ${bitDepth} is not allowed for colour type ${colorType}`);
  if (width < 1 || height < 1) throw new Error(`cannot encode a ${width}×${height} image`);
  if (samples.length !== width * height * channels)
    throw new Error(`expected ${width * height * channels} samples, got ${samples.length}`);
  if (colorType === 3 && (!palette || palette.length === 0 || palette.length % 3 !== 0 || palette.length > 768)) {
    throw new Error('palette images need 1–256 RGB palette entries');
  }
  const stride = Math.ceil((width * channels * bitDepth) / 8);
  const raw = new Uint8Array(height * (stride + 1)); // filter type 0 (None): masks are long runs that deflate well
  for (let y = 0; y < height; y++) {
    const dst = y * (stride + 1) + 1;
    const src = y * width * channels;
    if (bitDepth === 8) {
      raw.set(samples.subarray(src, src + width * channels), dst);
    } else if (bitDepth === 16) {
      for (let i = 0; i < width * channels; i++) {
        raw[dst + 2 * i] = samples[src + i] >> 8;
        raw[dst + 2 * i + 1] = samples[src + i] & 0xff;
      }
    } else {
      const perByte = 8 / bitDepth;
      const maxVal = (1 << bitDepth) - 1;
      for (let i = 0; i < width; i++) {
        raw[dst + Math.floor(i / perByte)] |= (samples[src + i] & maxVal) << (8 - bitDepth * ((i % perByte) + 1));
      }
    }
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([bitDepth, colorType, 0, 0, 0], 8);
  const parts = [Uint8Array.from(SIGNATURE), chunk('IHDR', ihdr)];
  if (palette && colorType === 3) parts.push(chunk('PLTE', palette));
  parts.push(chunk('IDAT', deflateSync(raw)), chunk('IEND', new Uint8Array(0)));
  return Buffer.concat(parts);
}

/** An index mask (object ids) as an 8-bit palette PNG, the format of DAVIS / Ref-YouTube-VOS annotations. */
export function encodeIndexPng(mask: Mask, palette: Uint8Array = DAVIS_PALETTE): Uint8Array {
  return encodePng({ width: mask.width, height: mask.height, bitDepth: 8, colorType: 3, samples: mask.data, palette });
}

/** A mask as an 8-bit grayscale PNG, values written as is (pass 0/255 for the usual binary prediction files). */
export function encodeGrayPng(mask: Mask): Uint8Array {
  return encodePng({ width: mask.width, height: mask.height, bitDepth: 8, colorType: 0, samples: mask.data });
}

/**
 * The palette of DAVIS and Ref-YouTube-VOS annotations (the PASCAL VOC colour map): index 0 black, 1 dark red,
 * 2 dark green, 3 olive, … built by spreading the index bits over the high bits of R, G and B.
 */
export const DAVIS_PALETTE: Uint8Array = (() => {
  const p = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    let r = 0;
    let g = 0;
    let b = 0;
    for (let k = 0, c = i; k < 8; k++, c >>= 3) {
      r |= ((c >> 0) & 1) << (7 - k);
      g |= ((c >> 1) & 1) << (7 - k);
      b |= ((c >> 2) & 1) << (7 - k);
    }
    p.set([r, g, b], i * 3);
  }
  return p;
})();

/** libpng's rgb_to_gray weights for OpenCV's 0.299 / 0.587, in 1/32768 (blue takes the rest). */
const GRAY_R = 9797;
const GRAY_G = 19234;
const GRAY_B = 3737;

/**
 * The 8-bit values `cv2.imread(file, cv2.IMREAD_GRAYSCALE)` gives (OpenCV reads PNG through libpng): gray of 1, 2 or 4
 * bits scaled to 0–255; 16-bit samples' high byte; palette and colour pixels through libpng's rgb_to_gray,
 * (9797 R + 19234 G + 3737 B) / 32768 rounded down for 8 bits, rounded at 16 bits and then the high byte; alpha dropped.
 * Checked against OpenCV 4.6 (test/unit/revosDataset.test.ts). ReVOS's A and R depend on these values.
 */
export function decodeGrayscaleAsOpenCv(bytes: Uint8Array, file: string): Mask {
  const img = decodePng(bytes, file);
  const { width, height, samples, channels, bitDepth, colorType, palette } = img;
  const n = width * height;
  const data = new Uint8Array(n);
  if (colorType === 3) {
    for (let i = 0; i < n; i++) {
      const p = 3 * samples[i];
      data[i] = (GRAY_R * palette![p] + GRAY_G * palette![p + 1] + GRAY_B * palette![p + 2]) >>> 15;
    }
  } else if (colorType === 0 || colorType === 4) {
    const scale = bitDepth < 8 ? 255 / ((1 << bitDepth) - 1) : 1;
    for (let i = 0, p = 0; i < n; i++, p += channels) data[i] = bitDepth === 16 ? samples[p] >>> 8 : samples[p] * scale;
  } else if (bitDepth === 16) {
    for (let i = 0, p = 0; i < n; i++, p += channels) {
      const gray = Math.floor(
        (GRAY_R * samples[p] + GRAY_G * samples[p + 1] + GRAY_B * samples[p + 2] + 16384) / 32768,
      );
      data[i] = gray >>> 8;
    }
  } else {
    for (let i = 0, p = 0; i < n; i++, p += channels)
      data[i] = (GRAY_R * samples[p] + GRAY_G * samples[p + 1] + GRAY_B * samples[p + 2]) >>> 15;
  }
  return { width, height, data };
}
