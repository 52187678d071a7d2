// Writes a small dataset in the ReVOS layout (meta_expressions_<split>_.json, mask_dict.json,
// mask_dict_foreground.json, JPEGImages/ with nested video ids) and a prediction run in eval_revos.py's layout
// (<pred>/<video>/<exp_id>/<frame>.png), with what moves A and R: overlapping targets (sum 2), no-target expressions,
// frames where the target is absent, and predictions stored as 0/255 and 0/1 gray, palette, RGB and 16-bit PNGs.
// One expression misses a frame and one video has no prediction folder (both score 0 as the script scores them).

import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { encodeGrayPng, encodeIndexPng, encodePng } from '../../src/core/png';
import { Rng } from '../../src/core/random';
import { encodeRle, type CocoRle } from '../../src/core/rle/coco';
import type { Mask } from '../../src/core/types';

export const REVOS_W = 24;
export const REVOS_H = 16;

export interface RevosFixture {
  root: string;
  pred: string;
  /** The expression written without its frame 2 prediction, and the video without a prediction folder. */
  missingFrame: { video: string; expId: string };
  missingVideo: string;
}

function box(rng: Rng): Mask {
  const data = new Uint8Array(REVOS_W * REVOS_H);
  const x0 = rng.int(0, REVOS_W - 7);
  const y0 = rng.int(0, REVOS_H - 6);
  const x1 = x0 + rng.int(3, 10);
  const y1 = y0 + rng.int(2, 7);
  for (let y = y0; y < Math.min(y1, REVOS_H); y++)
    for (let x = x0; x < Math.min(x1, REVOS_W); x++) data[y * REVOS_W + x] = 1;
  return { width: REVOS_W, height: REVOS_H, data };
}

function shifted(mask: Mask): Mask {
  const data = new Uint8Array(mask.data.length);
  for (let y = 0; y < REVOS_H; y++)
    for (let x = 2; x < REVOS_W; x++) data[y * REVOS_W + x] = mask.data[y * REVOS_W + x - 2];
  return { width: REVOS_W, height: REVOS_H, data };
}

function union(a: Mask | null, b: Mask | null): Mask {
  const data = new Uint8Array(REVOS_W * REVOS_H);
  for (const m of [a, b]) m?.data.forEach((v, i) => (data[i] |= v));
  return { width: REVOS_W, height: REVOS_H, data };
}

/** A prediction PNG of `mask` (0/1) in format `k` mod 5. */
function predictionPng(mask: Mask, k: number): Uint8Array {
  const { width, height, data } = mask;
  switch (k % 5) {
    case 0:
      return encodeGrayPng({ width, height, data: data.map((v) => v * 255) });
    case 1:
      return encodeGrayPng(mask);
    case 2:
      return encodeIndexPng({ width, height, data: data.map((v) => v * 3) }); // palette colour 3 → gray 56
    case 3: {
      const samples = new Uint8Array(width * height * 3);
      data.forEach((v, i) => samples.set(v ? [200, 120, 40] : [0, 0, 0], 3 * i));
      return encodePng({ width, height, bitDepth: 8, colorType: 2, samples });
    }
    default:
      return encodePng({ width, height, bitDepth: 16, colorType: 0, samples: Uint16Array.from(data, (v) => v * 700) });
  }
}

export async function writeRevosFixture(dir: string, split = 'valid'): Promise<RevosFixture> {
  const rng = new Rng('revos-layout');
  const root = path.join(dir, 'ReVOS');
  const pred = path.join(dir, 'pred');
  const videoIds = ['UVO/all/-fbscFfkh4M', 'MOSE/4a1b', 'LVOS/x9', 'TAO/nopred'];
  const missingVideo = videoIds[3];
  const missingFrame = { video: videoIds[1], expId: '1' };
  const maskDict: Record<string, (CocoRle | null)[]> = {};
  const foreground: Record<string, { masks_rle: unknown[]; foreground_ratio: number[] }> = {};
  const videos: Record<string, unknown> = {};
  let annoId = 0;
  let k = 0;
  for (const [v, id] of videoIds.entries()) {
    const frames = Array.from({ length: 3 + v }, (_, t) => String(t * 5).padStart(5, '0'));
    const objects: { annoId: number; masks: (Mask | null)[] }[] = [];
    for (let o = 0; o < 3; o++) {
      // Object 1 overlaps object 0 (shifted 2 px right): expression 1's truth is 2 there.
      const masks = frames.map((_, t) =>
        t === 1 && rng.float() < 0.5 ? null : o === 1 && objects[0].masks[t] ? shifted(objects[0].masks[t]) : box(rng),
      );
      maskDict[String(++annoId)] = masks.map((m) => (m ? encodeRle(m) : null));
      objects.push({ annoId, masks });
    }
    foreground[id] = { masks_rle: [], foreground_ratio: [] };
    frames.forEach((_, t) => {
      const union = new Uint8Array(REVOS_W * REVOS_H);
      for (const o of objects) o.masks[t]?.data.forEach((x, i) => (union[i] |= x));
      foreground[id].masks_rle.push(encodeRle({ width: REVOS_W, height: REVOS_H, data: union }));
      foreground[id].foreground_ratio.push(union.reduce((a, b) => a + b, 0) / union.length);
    });
    const expressions: Record<string, unknown> = {
      '0': { exp: 'the first object', obj_id: [0], anno_id: [objects[0].annoId], type_id: 0 },
      '1': {
        exp: 'what the two overlap with',
        obj_id: [0, 1],
        anno_id: [objects[0].annoId, objects[1].annoId],
        type_id: 1,
      },
      '2': { exp: 'something that is not there', obj_id: [], anno_id: [], type_id: 2 },
      '3': { exp: 'the one a person would pick up', obj_id: [2], anno_id: [objects[2].annoId], type_id: 1 },
    };
    videos[id] = { vid_id: String(v), height: REVOS_H, width: REVOS_W, frames, expressions };
    await mkdir(path.join(root, 'JPEGImages', id), { recursive: true });
    if (id === missingVideo) continue;
    for (const expId of Object.keys(expressions)) {
      k++;
      for (const [t, frame] of frames.entries()) {
        if (id === missingFrame.video && expId === missingFrame.expId && t === 2) continue;
        const file = path.join(pred, id, expId, `${frame}.png`);
        await mkdir(path.dirname(file), { recursive: true });
        // Expression 1 predicts its objects exactly on even frames (A and R then see the overlap's value 2).
        const exact = expId === '1' && t % 2 === 0 ? union(objects[0].masks[t], objects[1].masks[t]) : undefined;
        const mask =
          exact ??
          (rng.float() < 0.2 ? { width: REVOS_W, height: REVOS_H, data: new Uint8Array(REVOS_W * REVOS_H) } : box(rng));
        await writeFile(file, predictionPng(mask, k + t));
      }
    }
  }
  await writeFile(path.join(root, `meta_expressions_${split}_.json`), JSON.stringify({ videos }));
  await writeFile(path.join(root, 'mask_dict.json'), JSON.stringify(maskDict));
  await writeFile(path.join(root, 'mask_dict_foreground.json'), JSON.stringify(foreground, null, 2));
  return { root, pred, missingFrame, missingVideo };
}
