import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { InputError } from '../../src/core/errors';
import {
  DAVIS_PALETTE,
  decodeBinaryMask,
  decodeForegroundMask,
  decodeIndexMask,
  decodePng,
  encodeGrayPng,
  encodeIndexPng,
  encodePng,
  type PngColorType,
  type PngImage,
} from '../../src/core/png';

const FIXTURES = join(__dirname, '../fixtures/davis2017-masks'); // in the repository: never skipped
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const COMBOS: [PngColorType, PngImage['bitDepth']][] = [
  [0, 1],
  [0, 2],
  [0, 4],
  [0, 8],
  [0, 16],
  [2, 8],
  [2, 16],
  [3, 1],
  [3, 2],
  [3, 4],
  [3, 8],
  [4, 8],
  [4, 16],
  [6, 8],
  [6, 16],
];

/** Deterministic pseudo-random generator so failures reproduce. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function randomImage(
  colorType: PngColorType,
  bitDepth: PngImage['bitDepth'],
  width: number,
  height: number,
  seed: number,
): PngImage {
  const rand = rng(seed);
  const n = width * height * CHANNELS[colorType];
  const samples = bitDepth === 16 ? new Uint16Array(n) : new Uint8Array(n);
  const max = colorType === 3 ? Math.min(2 ** bitDepth, 7) : 2 ** bitDepth;
  for (let i = 0; i < n; i++) samples[i] = Math.floor(rand() * max);
  const palette = colorType === 3 ? Uint8Array.from({ length: 7 * 3 }, () => Math.floor(rand() * 256)) : undefined;
  return { width, height, bitDepth, colorType, samples, palette };
}

/** The 8-bit colour output sharp gives for an image: gray expanded to RGB, low depths scaled, 16-bit shifted. */
function expectedSharpColours(img: PngImage): Uint8Array {
  const hasAlpha = img.colorType === 4 || img.colorType === 6;
  const out = new Uint8Array(img.width * img.height * (hasAlpha ? 4 : 3));
  const ch = CHANNELS[img.colorType];
  const to8 = (v: number) => (img.bitDepth === 16 ? v >> 8 : (v * 255) / (2 ** img.bitDepth - 1));
  for (let i = 0, o = 0; i < img.width * img.height; i++) {
    const s = img.samples.subarray(i * ch, i * ch + ch);
    if (img.colorType === 3) out.set(img.palette!.subarray(s[0] * 3, s[0] * 3 + 3), o);
    else if (img.colorType === 0 || img.colorType === 4) out.fill(to8(s[0]), o, o + 3);
    else for (let c = 0; c < 3; c++) out[o + c] = to8(s[c]);
    if (hasAlpha) out[o + 3] = to8(s[ch - 1]);
    o += hasAlpha ? 4 : 3;
  }
  return out;
}

function assertInputError(fn: () => unknown, file: string, problem: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(err instanceof InputError, `expected InputError, got ${String(err)}`);
    assert.equal(err.file, file);
    assert.match(err.problem, problem);
    assert.ok(err.message.startsWith(`${file}: `));
    return true;
  });
}

/** Builds a PNG from chunks by hand, with CRCs from node:zlib (an implementation independent of ours). */
function handBuilt(chunks: [string, Uint8Array][]): Uint8Array {
  const parts: Buffer[] = [Buffer.from([137, 80, 78, 71, 13, 10, 26, 10])];
  for (const [type, data] of chunks) {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    parts.push(head, Buffer.from(data), crc);
  }
  return Buffer.concat(parts);
}

function ihdr(width: number, height: number, bitDepth: number, colorType: number, interlace = 0): Uint8Array {
  const b = Buffer.alloc(13);
  b.writeUInt32BE(width, 0);
  b.writeUInt32BE(height, 4);
  b.set([bitDepth, colorType, 0, 0, interlace], 8);
  return b;
}

/** The textbook forward filters (PNG spec §9), to produce rows our encoder never writes. */
function filterRow(type: number, cur: Uint8Array, prev: Uint8Array, bpp: number): Uint8Array {
  const out = new Uint8Array(cur.length + 1);
  out[0] = type;
  for (let i = 0; i < cur.length; i++) {
    const a = i >= bpp ? cur[i - bpp] : 0;
    const b = prev[i];
    const c = i >= bpp ? prev[i - bpp] : 0;
    const p = a + b - c;
    const paeth =
      Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c)
        ? a
        : Math.abs(p - b) <= Math.abs(p - c)
          ? b
          : c;
    const pred = [0, a, b, (a + b) >> 1, paeth][type];
    out[i + 1] = (cur[i] - pred) & 0xff;
  }
  return out;
}

test('every colour type and bit depth round-trips through encodePng/decodePng', () => {
  for (const [colorType, bitDepth] of COMBOS) {
    for (const [w, h] of [
      [1, 1],
      [7, 3],
      [13, 9],
    ]) {
      const img = randomImage(colorType, bitDepth, w, h, w * 31 + colorType * 7 + bitDepth);
      const decoded = decodePng(encodePng(img), 'x.png');
      const label = `colour type ${colorType}, ${bitDepth}-bit, ${w}×${h}`;
      assert.equal(decoded.width, w, label);
      assert.equal(decoded.height, h, label);
      assert.equal(decoded.colorType, colorType, label);
      assert.equal(decoded.bitDepth, bitDepth, label);
      assert.equal(decoded.channels, CHANNELS[colorType], label);
      assert.equal(decoded.interlaced, false, label);
      assert.deepEqual(Array.from(decoded.samples), Array.from(img.samples), label);
      assert.ok(
        bitDepth === 16 ? decoded.samples instanceof Uint16Array : decoded.samples instanceof Uint8Array,
        label,
      );
      if (colorType === 3) assert.deepEqual(decoded.palette, img.palette, label);
    }
  }
});

test('our encoder output decodes to the same colours in sharp (libvips/libspng)', async () => {
  for (const [colorType, bitDepth] of COMBOS) {
    const img = randomImage(colorType, bitDepth, 11, 6, colorType * 100 + bitDepth);
    const { data } = await sharp(encodePng(img)).raw().toBuffer({ resolveWithObject: true });
    assert.deepEqual(
      Array.from(data),
      Array.from(expectedSharpColours(img)),
      `colour type ${colorType}, ${bitDepth}-bit`,
    );
  }
});

test('decodes sharp-written PNGs (adaptive filters, Adam7 interlace) to the pixels sharp started from', async () => {
  const rand = rng(7);
  for (const [w, h] of [
    [1, 1],
    [2, 3],
    [5, 5],
    [9, 17],
    [33, 20],
  ]) {
    for (const channels of [1, 3, 4] as const) {
      const pixels = Uint8Array.from({ length: w * h * channels }, () =>
        rand() < 0.5 ? Math.floor(rand() * 256) : 200,
      );
      for (const progressive of [false, true]) {
        const png = await sharp(pixels, { raw: { width: w, height: h, channels } })
          .toColourspace(channels === 1 ? 'b-w' : 'srgb')
          .png({ progressive, adaptiveFiltering: true, compressionLevel: 9 })
          .toBuffer();
        const decoded = decodePng(png, 'sharp.png');
        const label = `${w}×${h}×${channels}, progressive=${progressive}`;
        assert.equal(decoded.interlaced, progressive, label);
        assert.equal(decoded.channels, channels, label);
        assert.deepEqual(Array.from(decoded.samples), Array.from(pixels), label);
      }
    }
  }
});

test('decodes an interlaced palette PNG to its indices', async () => {
  const w = 23;
  const h = 14;
  const indices = Uint8Array.from({ length: w * h }, (_, i) => ((i % w) * 3 + Math.floor(i / w)) % 5);
  const rgb = new Uint8Array(w * h * 3);
  indices.forEach((v, i) => rgb.set(DAVIS_PALETTE.subarray(v * 3, v * 3 + 3), i * 3));
  const png = await sharp(rgb, { raw: { width: w, height: h, channels: 3 } })
    .png({ palette: true, progressive: true, colours: 8, dither: 0 })
    .toBuffer();
  const decoded = decodePng(png, 'p.png');
  assert.equal(decoded.colorType, 3);
  assert.equal(decoded.interlaced, true);
  // sharp picks its own palette order, so compare the colours the indices point at.
  const mask = decodeIndexMask(png, 'p.png');
  for (let i = 0; i < w * h; i++) {
    const got = Array.from(decoded.palette!.subarray(mask.data[i] * 3, mask.data[i] * 3 + 3));
    assert.deepEqual(got, Array.from(rgb.subarray(i * 3, i * 3 + 3)), `pixel ${i}`);
  }
});

test('hand-built PNGs with every filter type, split IDAT chunks and an ancillary chunk decode exactly', () => {
  const w = 6;
  const h = 5;
  const rand = rng(3);
  const pixels = Uint8Array.from({ length: w * h * 3 }, () => Math.floor(rand() * 256));
  const rows: Uint8Array[] = [];
  for (let y = 0; y < h; y++) {
    const cur = pixels.subarray(y * w * 3, (y + 1) * w * 3);
    const prev = y > 0 ? pixels.subarray((y - 1) * w * 3, y * w * 3) : new Uint8Array(w * 3);
    rows.push(filterRow(y % 5, cur, prev, 3));
  }
  const z = deflateSync(Buffer.concat(rows));
  const png = handBuilt([
    ['IHDR', ihdr(w, h, 8, 2)],
    ['tEXt', Buffer.from('Comment\0hand-built', 'latin1')],
    ['IDAT', z.subarray(0, 5)],
    ['IDAT', z.subarray(5)],
    ['IEND', new Uint8Array(0)],
  ]);
  assert.deepEqual(Array.from(decodePng(png, 'h.png').samples), Array.from(pixels));
});

test('index and gray mask encoders round-trip; binary decoding treats any nonzero sample as foreground', () => {
  const mask = { width: 5, height: 2, data: Uint8Array.from([0, 1, 2, 3, 255, 0, 0, 7, 7, 0]) };
  const indexPng = encodeIndexPng(mask, DAVIS_PALETTE);
  assert.deepEqual(decodeIndexMask(indexPng, 'i.png'), mask);
  assert.equal(decodePng(indexPng, 'i.png').palette!.length, 768);
  assert.deepEqual(Array.from(decodeBinaryMask(indexPng, 'i.png').data), [0, 1, 1, 1, 1, 0, 0, 1, 1, 0]);

  const gray = { width: 3, height: 1, data: Uint8Array.from([0, 255, 0]) };
  const grayPng = encodeGrayPng(gray);
  assert.deepEqual(decodeIndexMask(grayPng, 'g.png'), gray);
  assert.deepEqual(Array.from(decodeBinaryMask(grayPng, 'g.png').data), [0, 1, 0]);
});

test('decodeBinaryMask: 16-bit gray, RGB and RGBA (alpha ignored)', () => {
  const gray16 = encodePng({
    width: 3,
    height: 1,
    bitDepth: 16,
    colorType: 0,
    samples: Uint16Array.from([0, 1, 65535]),
  });
  assert.deepEqual(Array.from(decodeBinaryMask(gray16, 'a.png').data), [0, 1, 1]);
  const rgb = encodePng({
    width: 3,
    height: 1,
    bitDepth: 8,
    colorType: 2,
    samples: Uint8Array.from([0, 0, 0, 0, 0, 1, 9, 0, 0]),
  });
  assert.deepEqual(Array.from(decodeBinaryMask(rgb, 'b.png').data), [0, 1, 1]);
  const rgba = encodePng({
    width: 3,
    height: 1,
    bitDepth: 8,
    colorType: 6,
    samples: Uint8Array.from([0, 0, 0, 255, 0, 5, 0, 0, 1, 0, 0, 255]),
  });
  assert.deepEqual(Array.from(decodeBinaryMask(rgba, 'c.png').data), [0, 1, 1]);
  const grayAlpha = encodePng({
    width: 2,
    height: 1,
    bitDepth: 8,
    colorType: 4,
    samples: Uint8Array.from([0, 255, 3, 0]),
  });
  assert.deepEqual(Array.from(decodeBinaryMask(grayAlpha, 'd.png').data), [0, 1]);
});

test('decodeForegroundMask keeps one-channel samples as they are (nonzero = foreground), converts the rest to 0/1', () => {
  const gray = encodeGrayPng({ width: 4, height: 1, data: Uint8Array.from([0, 255, 3, 0]) });
  assert.deepEqual(Array.from(decodeForegroundMask(gray, 'g.png').data), [0, 255, 3, 0]);
  const rgb = encodePng({
    width: 2,
    height: 1,
    bitDepth: 8,
    colorType: 2,
    samples: Uint8Array.from([0, 0, 0, 0, 9, 0]),
  });
  assert.deepEqual(Array.from(decodeForegroundMask(rgb, 'c.png').data), [0, 1]);
  // decodeBinaryMask maps every nonzero value to 1, including on images whose size is not a multiple of 4.
  const odd = encodeGrayPng({
    width: 7,
    height: 3,
    data: Uint8Array.from({ length: 21 }, (_, i) => ((i * 37) % 5 === 0 ? 0 : (i * 53) % 256)),
  });
  assert.deepEqual(
    Array.from(decodeBinaryMask(odd, 'o.png').data),
    Array.from({ length: 21 }, (_, i) => ((i * 37) % 5 === 0 || (i * 53) % 256 === 0 ? 0 : 1)),
  );
});

test('decodeIndexMask refuses colour and 16-bit images with an explanation', () => {
  const rgb = encodePng({ width: 1, height: 1, bitDepth: 8, colorType: 2, samples: Uint8Array.from([1, 2, 3]) });
  assertInputError(
    () => decodeIndexMask(rgb, 'rgb.png'),
    'rgb.png',
    /^8-bit RGB image; expected a palette PNG .*object ids/,
  );
  const g16 = encodePng({ width: 1, height: 1, bitDepth: 16, colorType: 0, samples: Uint16Array.from([1]) });
  assertInputError(() => decodeIndexMask(g16, 'g16.png'), 'g16.png', /^16-bit grayscale image; expected a palette PNG/);
});

test('the DAVIS fixture annotations decode as palette indices that match the colours sharp sees', async () => {
  for (const method of ['osvos', 'rvos']) {
    for (const seq of readdirSync(join(FIXTURES, method))) {
      const file = join(FIXTURES, method, seq, '00000.png');
      const bytes = readFileSync(file);
      const decoded = decodePng(bytes, file);
      const mask = decodeIndexMask(bytes, file);
      assert.equal(decoded.colorType, 3);
      assert.equal(mask.height, 480);
      assert.ok(mask.width === 854 || mask.width === 910, `${file}: width ${mask.width}`);
      if (method === 'osvos')
        assert.ok(
          mask.data.every((v) => v <= 3),
          `${file}: object ids are 0–3`,
        );
      assert.ok(
        mask.data.some((v) => v !== 0),
        `${file}: has objects`,
      );
      assert.deepEqual(decoded.palette!.subarray(0, 12), DAVIS_PALETTE.subarray(0, 12), 'DAVIS palette');
      const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
      for (let i = 0; i < mask.data.length; i++) {
        for (let c = 0; c < 3; c++) {
          if (data[i * info.channels + c] !== DAVIS_PALETTE[mask.data[i] * 3 + c])
            assert.fail(`${file}: pixel ${i} colour differs from sharp`);
        }
      }
    }
  }
});

test('bad bytes give InputError naming the file and the problem', () => {
  const good = encodeIndexPng({ width: 4, height: 4, data: new Uint8Array(16).fill(1) }, DAVIS_PALETTE);
  const f = 'masks/00000.png';
  assertInputError(() => decodePng(new Uint8Array(0), f), f, /^empty file \(0 bytes\)/);
  assertInputError(() => decodePng(Buffer.from('GIF89a......'), f), f, /^not a PNG file$/);
  assertInputError(() => decodePng(good.subarray(0, 5), f), f, /^not a PNG file$/);
  assertInputError(() => decodePng(good.subarray(0, 12), f), f, /^truncated PNG \(file ends inside a chunk header/);
  assertInputError(() => decodePng(good.subarray(0, 30), f), f, /^truncated PNG \(IHDR chunk ends early\)$/);
  assertInputError(
    () => decodePng(good.subarray(0, good.length - 12), f),
    f,
    /^truncated PNG \(file ends before the IEND chunk\)$/,
  );
  for (let cut = 40; cut < good.length - 12; cut += 3) {
    assertInputError(() => decodePng(good.subarray(0, cut), f), f, /^truncated PNG/);
  }

  const badCrc = Uint8Array.from(good);
  badCrc[20] ^= 1; // inside IHDR data
  assertInputError(() => decodePng(badCrc, f), f, /^CRC mismatch in IHDR chunk$/);

  // A stream cut short inside a chunk whose CRC is valid: the data itself ends early.
  const rows = Buffer.concat(Array.from({ length: 8 }, (_, y) => Buffer.from([0, y, y, y, y, y, y, y, y])));
  const z = deflateSync(rows);
  const shortStream = handBuilt([
    ['IHDR', ihdr(8, 8, 8, 0)],
    ['IDAT', z.subarray(0, z.length - 8)],
    ['IEND', new Uint8Array(0)],
  ]);
  assertInputError(() => decodePng(shortStream, f), f, /^truncated PNG \(IDAT data ends early/);
  const garbage = handBuilt([
    ['IHDR', ihdr(8, 8, 8, 0)],
    ['IDAT', Buffer.from('not zlib data at all')],
    ['IEND', new Uint8Array(0)],
  ]);
  assertInputError(() => decodePng(garbage, f), f, /^corrupt PNG \(IDAT data does not inflate/);
  const badFilter = handBuilt([
    ['IHDR', ihdr(1, 1, 8, 0)],
    ['IDAT', deflateSync(Buffer.from([9, 0]))],
    ['IEND', new Uint8Array(0)],
  ]);
  assertInputError(() => decodePng(badFilter, f), f, /^corrupt PNG \(unknown filter type 9 in row 0\)$/);
  const tooLong = handBuilt([
    ['IHDR', ihdr(1, 1, 8, 0)],
    ['IDAT', deflateSync(Buffer.alloc(100))],
    ['IEND', new Uint8Array(0)],
  ]);
  assertInputError(() => decodePng(tooLong, f), f, /^corrupt PNG \(IDAT data is longer than the image\)$/);

  const zeroSize = handBuilt([
    ['IHDR', ihdr(0, 5, 8, 0)],
    ['IEND', new Uint8Array(0)],
  ]);
  assertInputError(() => decodePng(zeroSize, f), f, /^corrupt PNG \(image is 0×5\)$/);
  const huge = handBuilt([
    ['IHDR', ihdr(20000, 20000, 8, 3)],
    ['IEND', new Uint8Array(0)],
  ]);
  assertInputError(
    () => decodePng(huge, f),
    f,
    /^image is 20000×20000; images larger than 16384 px a side or 100 Mpixel are not supported$/,
  );
  const tooManyPixels = handBuilt([
    ['IHDR', ihdr(16000, 16000, 1, 0)],
    ['IEND', new Uint8Array(0)],
  ]);
  assertInputError(() => decodePng(tooManyPixels, f), f, /not supported$/);
  const badDepth = handBuilt([
    ['IHDR', ihdr(2, 2, 4, 2)],
    ['IEND', new Uint8Array(0)],
  ]);
  assertInputError(() => decodePng(badDepth, f), f, /^corrupt PNG \(bit depth 4 is not allowed for RGB images\)$/);
  const noPalette = handBuilt([
    ['IHDR', ihdr(1, 1, 8, 3)],
    ['IDAT', deflateSync(Buffer.from([0, 0]))],
    ['IEND', new Uint8Array(0)],
  ]);
  assertInputError(() => decodePng(noPalette, f), f, /^corrupt PNG \(palette image without a PLTE chunk\)$/);
  const noIhdr = handBuilt([
    ['IDAT', deflateSync(Buffer.from([0, 0]))],
    ['IEND', new Uint8Array(0)],
  ]);
  assertInputError(() => decodePng(noIhdr, f), f, /^corrupt PNG \(first chunk is IDAT, not IHDR\)$/);
  const unknownCritical = handBuilt([
    ['IHDR', ihdr(1, 1, 8, 0)],
    ['ABCD', new Uint8Array(1)],
    ['IDAT', deflateSync(Buffer.from([0, 0]))],
    ['IEND', new Uint8Array(0)],
  ]);
  assertInputError(() => decodePng(unknownCritical, f), f, /^unsupported PNG \(unknown critical chunk ABCD\)$/);
  // The mask decoders report the same errors.
  assertInputError(() => decodeIndexMask(new Uint8Array(0), f), f, /^empty file/);
  assertInputError(() => decodeBinaryMask(badCrc, f), f, /^CRC mismatch in IHDR chunk$/);
});

test('DAVIS_PALETTE is the PASCAL VOC colour map', () => {
  assert.equal(DAVIS_PALETTE.length, 768);
  const entry = (i: number) => Array.from(DAVIS_PALETTE.subarray(i * 3, i * 3 + 3));
  assert.deepEqual(entry(0), [0, 0, 0]);
  assert.deepEqual(entry(1), [128, 0, 0]);
  assert.deepEqual(entry(2), [0, 128, 0]);
  assert.deepEqual(entry(3), [128, 128, 0]);
  assert.deepEqual(entry(8), [64, 0, 0]);
  assert.deepEqual(entry(255), [224, 224, 192]);
});
