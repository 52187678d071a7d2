// Builds small datasets and prediction runs on disk for tests: the Ref-YouTube-VOS layout with real PNG masks.

import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { encodeGrayPng, encodeIndexPng } from '../../src/core/png';
import type { Mask } from '../../src/core/types';

export const WIDTH = 16;
export const HEIGHT = 12;

/** A mask of WIDTH×HEIGHT holding `id` inside each rectangle [id, x0, y0, x1, y1) (exclusive ends). */
export function rectMask(rects: [number, number, number, number, number][], width = WIDTH, height = HEIGHT): Mask {
  const data = new Uint8Array(width * height);
  for (const [id, x0, y0, x1, y1] of rects) {
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) data[y * width + x] = id;
  }
  return { width, height, data };
}

export async function tempDir(prefix: string): Promise<string> {
  return mkdtemp(path.join(tmpdir(), `rvos-${prefix}-`));
}

export async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

export async function writeBytes(file: string, bytes: Uint8Array): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
}

/** Object masks of the tiny train split: object 1 a square, object 2 a bar, in both frames of each video. */
export const OBJECT_RECTS: Record<string, [number, number, number, number, number][]> = {
  vidA: [
    [1, 2, 2, 8, 8],
    [2, 10, 1, 14, 11],
  ],
  vidB: [[1, 4, 3, 12, 9]],
};

export const FRAMES = ['00000', '00005'];

/** meta_expressions.json of the tiny train split. */
export function tinyMetaExpressions(): Record<string, unknown> {
  return {
    videos: {
      vidA: {
        expressions: {
          '0': { exp: 'the red square on the left', obj_id: '1', category: 'appearance' },
          '1': { exp: 'the tall bar on the right', obj_id: '2', category: 'position' },
        },
        frames: FRAMES,
      },
      vidB: { expressions: { '0': { exp: 'a wide rectangle', obj_id: '1', category: 'appearance' } }, frames: FRAMES },
    },
  };
}

/**
 * Writes a dataset with a train split (2 videos, 3 expressions, annotations, JPEG placeholders, meta.json) under a
 * new temp folder and returns its root. `metaExpressions` replaces the meta_expressions.json content (object or raw text).
 */
export async function writeTinyDataset(metaExpressions: unknown = tinyMetaExpressions()): Promise<string> {
  const root = await tempDir('ds');
  await writeJson(path.join(root, 'meta_expressions', 'train', 'meta_expressions.json'), metaExpressions);
  await writeJson(path.join(root, 'train', 'meta.json'), {
    videos: {
      vidA: { objects: { '1': { category: 'square', frames: FRAMES }, '2': { category: 'bar', frames: FRAMES } } },
      vidB: { objects: { '1': { category: 'rectangle', frames: FRAMES } } },
    },
  });
  for (const [video, rects] of Object.entries(OBJECT_RECTS)) {
    for (const frame of FRAMES) {
      await writeBytes(path.join(root, 'train', 'Annotations', video, `${frame}.png`), encodeIndexPng(rectMask(rects)));
      await writeBytes(
        path.join(root, 'train', 'JPEGImages', video, `${frame}.jpg`),
        new Uint8Array([0xff, 0xd8, 0xff, 0xd9]),
      );
    }
  }
  return root;
}

/**
 * Replaces the JPEG placeholders of the tiny dataset at `root` with real frames, for tests that run a model on them:
 * byte `i` of the RGB pixels of frame `f` (index in FRAMES) of video `v` (index in OBJECT_RECTS' order) is `byte(i, f, v)`.
 */
export async function writeTinyFrames(
  root: string,
  byte: (i: number, frame: number, video: number) => number,
): Promise<void> {
  for (const [v, video] of Object.keys(OBJECT_RECTS).entries()) {
    for (const [f, frame] of FRAMES.entries()) {
      const rgb = Buffer.alloc(WIDTH * HEIGHT * 3);
      for (let i = 0; i < rgb.length; i++) rgb[i] = byte(i, f, v) % 256;
      await sharp(rgb, { raw: { width: WIDTH, height: HEIGHT, channels: 3 } })
        .jpeg({ quality: 95 })
        .toFile(path.join(root, 'train', 'JPEGImages', video, `${frame}.jpg`));
    }
  }
}

/** Writes one predicted mask (0/255 grayscale) into `runDir`/Annotations/<video>/<expId>/<frame>.png. */
export async function writePrediction(
  runDir: string,
  video: string,
  expId: string,
  frame: string,
  mask: Mask,
): Promise<string> {
  const file = path.join(runDir, 'Annotations', video, expId, `${frame}.png`);
  const gray = { ...mask, data: mask.data.map((v) => (v ? 255 : 0)) };
  await writeBytes(file, encodeGrayPng(gray));
  return file;
}

/** A run that predicts every expression of the tiny dataset perfectly. */
export async function writePerfectRun(): Promise<string> {
  const runDir = await tempDir('run');
  const exps: [string, string, number][] = [
    ['vidA', '0', 1],
    ['vidA', '1', 2],
    ['vidB', '0', 1],
  ];
  for (const [video, expId, objId] of exps) {
    const rects = OBJECT_RECTS[video].filter((r) => r[0] === objId);
    for (const frame of FRAMES) await writePrediction(runDir, video, expId, frame, rectMask(rects));
  }
  return runDir;
}
