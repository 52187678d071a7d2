// Generated MeViS-layout splits for tests and benchmarks: <root>/<split>/meta_expressions.json, mask_dict.json (COCO
// RLE per anno_id and frame, null where the object is absent), JPEGImages/<video>/ and, on request, a prediction run
// <pred>/<video>/<exp_id>/<frame>.png. Objects are moving ellipses (plus stray pixels when `noise`); expressions refer
// to one to three objects; some frames have every referred object absent. Deterministic for a seed.

import { mkdir, open, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import sharp from 'sharp';
import { encodeGrayPng } from '../../src/core/png';
import { Rng } from '../../src/core/random';
import { encodeCounts, encodeRle, type CocoRle } from '../../src/core/rle/coco';
import type { Mask } from '../../src/core/types';

export interface MevisSplitOptions {
  seed: string;
  videos: number;
  frames: number;
  /** Objects per video, [min, max]; or `total` objects spread evenly over the videos (train scale: 8,000). */
  objects: [number, number] | { total: number };
  width: number;
  height: number;
  /** Chance that an object is absent (null) in a frame. */
  absent: number;
  /** Stray foreground pixels per object mask (golden data: boundaries with many pieces). */
  noise?: number;
  /** Write a prediction run here (some videos left out entirely, some expressions predicted empty). */
  predictions?: string;
  /** Videos without a prediction folder (the first ones). */
  missingVideos?: number;
  /** Write JPEG frames (each present object a bright ellipse over a dark gradient), for YOFO and the viewer. */
  frameImages?: boolean;
}

export interface MevisSplitInfo {
  splitDir: string;
  expressions: number;
  frames: number;
  objects: number;
}

interface Ellipse {
  cx: number;
  cy: number;
  rx: number;
  ry: number;
  vx: number;
  vy: number;
}

/** Rows [y0, y1) of column x inside the ellipse at frame t, or undefined. */
function columnSpan(e: Ellipse, t: number, x: number, h: number): [number, number] | undefined {
  const cx = e.cx + e.vx * t;
  const cy = e.cy + e.vy * t;
  const dx = (x + 0.5 - cx) / e.rx;
  if (dx <= -1 || dx >= 1) return undefined;
  const half = e.ry * Math.sqrt(1 - dx * dx);
  const y0 = Math.max(0, Math.round(cy - half));
  const y1 = Math.min(h, Math.round(cy + half));
  return y1 > y0 ? [y0, y1] : undefined;
}

/** The RLE of one ellipse, built from its column spans (no pixel pass: train-scale sets have 640,000 masks). */
function ellipseRle(e: Ellipse, t: number, w: number, h: number): CocoRle {
  const runs: number[] = [];
  let last = 0;
  for (let x = 0; x < w; x++) {
    const span = columnSpan(e, t, x, h);
    if (!span) continue;
    const start = x * h + span[0];
    const end = x * h + span[1];
    if (start === last && runs.length > 0) runs[runs.length - 1] += end - start;
    else runs.push(start - last, end - start);
    last = end;
  }
  runs.push(w * h - last);
  return { size: [h, w], counts: encodeCounts(runs) };
}

function ellipseMask(e: Ellipse, t: number, w: number, h: number, rng: Rng, noise: number): Mask {
  const data = new Uint8Array(w * h);
  for (let x = 0; x < w; x++) {
    const span = columnSpan(e, t, x, h);
    if (span) for (let y = span[0]; y < span[1]; y++) data[y * w + x] = 1;
  }
  for (let i = 0; i < noise; i++) data[rng.int(0, w * h - 1)] = 1;
  return { width: w, height: h, data };
}

/**
 * Fill colours of the objects in the frame images: light, unsaturated tones on a dark background, so each stands out
 * and no overlay colour (green, magenta, orange, sky blue, …) is lost on one.
 */
const OBJECT_COLOURS: [number, number, number][] = [
  [215, 212, 205],
  [160, 160, 168],
  [190, 180, 160],
  [130, 140, 150],
];

/** One frame image: a dark diagonal gradient with the objects present at frame t painted over it. */
async function writeFrameImage(
  file: string,
  shapes: (Ellipse | undefined)[],
  t: number,
  w: number,
  h: number,
): Promise<void> {
  const rgb = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      rgb.fill(30 + Math.floor((40 * (x + y)) / (w + h)), (y * w + x) * 3, (y * w + x) * 3 + 3);
  shapes.forEach((shape, k) => {
    if (!shape) return;
    for (let x = 0; x < w; x++) {
      const span = columnSpan(shape, t, x, h);
      if (span)
        for (let y = span[0]; y < span[1]; y++) rgb.set(OBJECT_COLOURS[k % OBJECT_COLOURS.length], (y * w + x) * 3);
    }
  });
  await sharp(rgb, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 92 })
    .toFile(file);
}

function randomEllipse(rng: Rng, w: number, h: number, frames: number): Ellipse {
  const rx = rng.range(w * 0.05, w * 0.2);
  const ry = rng.range(h * 0.05, h * 0.25);
  return {
    cx: rng.range(0, w),
    cy: rng.range(0, h),
    rx,
    ry,
    vx: rng.range(-w, w) / (2 * frames),
    vy: rng.range(-h, h) / (2 * frames),
  };
}

/** A prediction for one frame: the truth shifted and speckled, empty, or a wrong blob (also where no target is). */
function predictionOf(truth: Mask, rng: Rng, style: number): Mask {
  const { width: w, height: h } = truth;
  const data = new Uint8Array(w * h);
  if (style === 0) return { width: w, height: h, data };
  const dx = rng.int(-3, 3);
  const dy = rng.int(-3, 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const sx = x - dx;
      const sy = y - dy;
      if (sx >= 0 && sy >= 0 && sx < w && sy < h && truth.data[sy * w + sx]) data[y * w + x] = 255;
    }
  }
  if (style === 2 || rng.chance(0.2)) {
    const x0 = rng.int(0, w - 8);
    const y0 = rng.int(0, h - 8);
    for (let y = y0; y < y0 + rng.int(2, 8); y++) for (let x = x0; x < x0 + rng.int(2, 8); x++) data[y * w + x] = 255;
  }
  return { width: w, height: h, data };
}

/** Writes the split (and the prediction run when asked). */
export async function writeMevisSplit(root: string, split: string, o: MevisSplitOptions): Promise<MevisSplitInfo> {
  const rng = new Rng(o.seed, 'mevis');
  const splitDir = path.join(root, split);
  const videos: Record<string, unknown> = {};
  await mkdir(splitDir, { recursive: true });
  // Written as it is generated: the train-scale file is too large for one string.
  const maskDict = await open(path.join(splitDir, 'mask_dict.json'), 'w');
  await maskDict.write('{');
  let annoId = 0;
  let expressions = 0;
  let objects = 0;
  const pixels = o.noise !== undefined;
  for (let v = 0; v < o.videos; v++) {
    const id = `v${String(v).padStart(5, '0')}`;
    const frames = Array.from({ length: o.frames }, (_, f) => String(f).padStart(5, '0'));
    const count = Array.isArray(o.objects)
      ? rng.int(o.objects[0], o.objects[1])
      : Math.floor(((v + 1) * o.objects.total) / o.videos) - Math.floor((v * o.objects.total) / o.videos);
    const annoIds: number[] = [];
    const masks: (Mask | null)[][] = [];
    const present: boolean[][] = [];
    const shapes: Ellipse[] = [];
    for (let k = 0; k < count; k++) {
      const shape = randomEllipse(rng, o.width, o.height, o.frames);
      const absentFrom = rng.chance(0.3) ? rng.int(0, o.frames - 1) : o.frames; // some objects leave the video
      const list: (CocoRle | null)[] = [];
      const own: (Mask | null)[] = [];
      shapes.push(shape);
      present.push([]);
      for (let t = 0; t < o.frames; t++) {
        const absent = t >= absentFrom || rng.chance(o.absent);
        present[k].push(!absent);
        if (absent) {
          list.push(null);
          own.push(null);
        } else if (pixels) {
          const m = ellipseMask(shape, t, o.width, o.height, rng, o.noise!);
          own.push(m);
          list.push(encodeRle(m));
        } else list.push(ellipseRle(shape, t, o.width, o.height));
      }
      await maskDict.write(`${annoId > 0 ? ',' : ''}${JSON.stringify(String(annoId))}:${JSON.stringify(list)}`);
      annoIds.push(annoId++);
      masks.push(own);
    }
    objects += count;
    // Expressions: each object alone, then a few groups of two or three.
    const groups: number[][] = annoIds.map((_, k) => [k]);
    for (let g = 0; g < Math.min(count - 1, 2); g++)
      groups.push(rng.shuffle(annoIds.map((_, k) => k)).slice(0, rng.int(2, Math.min(3, count))));
    const exps: Record<string, unknown> = {};
    groups.forEach((group, e) => {
      exps[String(e)] = {
        exp: `object${group.length > 1 ? 's' : ''} ${group.join(' and ')} of ${id}`,
        obj_id: group,
        anno_id: group.map((k) => annoIds[k]),
      };
    });
    expressions += groups.length;
    videos[id] = { expressions: exps, vid_id: v, frames };
    await mkdir(path.join(splitDir, 'JPEGImages', id), { recursive: true });
    for (let t = 0; o.frameImages && t < o.frames; t++) {
      const file = path.join(splitDir, 'JPEGImages', id, `${frames[t]}.jpg`);
      await writeFrameImage(
        file,
        shapes.map((shape, k) => (present[k][t] ? shape : undefined)),
        t,
        o.width,
        o.height,
      );
    }
    if (o.predictions !== undefined && pixels && v >= (o.missingVideos ?? 0)) {
      for (const [e, group] of groups.entries()) {
        const style = rng.int(0, 5) === 0 ? 0 : 1; // some expressions predicted empty throughout
        const dir = path.join(o.predictions, id, String(e));
        await mkdir(dir, { recursive: true });
        for (let t = 0; t < o.frames; t++) {
          const truth: Mask = { width: o.width, height: o.height, data: new Uint8Array(o.width * o.height) };
          for (const k of group) masks[k][t]?.data.forEach((b, i) => (truth.data[i] |= b));
          const pred = predictionOf(truth, rng, style === 0 ? 0 : rng.int(0, 9) === 0 ? 2 : 1);
          if (rng.chance(0.3)) pred.data.forEach((b, i) => (pred.data[i] = b ? 1 : 0)); // 0/1 PNGs as well as 0/255
          await writeFile(path.join(dir, `${frames[t]}.png`), encodeGrayPng(pred));
        }
      }
    }
  }
  await maskDict.write('}');
  await maskDict.close();
  await writeFile(path.join(splitDir, 'meta_expressions.json'), JSON.stringify({ videos }));
  return { splitDir, expressions, frames: o.videos * o.frames, objects };
}
