// Writes a Ref-Shapes dataset: a train split in the exact Ref-YouTube-VOS layout (JPEG frames, palette-PNG
// annotations whose pixel values are object ids, meta.json, meta_expressions.json), deterministic by seed. The whole
// output is built in a sibling temp folder and renamed into place, and only an empty folder or an earlier Ref-Shapes
// output is ever replaced.

import { mkdir, readdir, readFile, rm, rmdir, stat, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import sharp from 'sharp';
import { InputError } from '../errors';
import { DAVIS_PALETTE, encodeIndexPng } from '../png';
import { replaceFolder } from '../report/outputFile';
import { buildClip, videoId } from './clip';
import { novelText, WORDINGS, type Wording } from './novelWording';
import { ClipRenderer } from './render';

export interface RefShapesOptions {
  videos: number;
  seed: number;
  width: number;
  height: number;
  /**
   * 'training' (default): the wording every training set has. 'novel': the same clips, objects and meanings said in
   * a held-out lexicon (novelWording.ts), to score how a model reads words and orders it never saw.
   */
  wording?: Wording;
  onProgress?: (done: number, total: number) => void;
}

/** Marker at the root of every output: lets a later run recognise (and replace) its own output. */
export const MARKER_FILE = 'refshapes.json';
export const GENERATOR_VERSION = 1;
/** Everything a Ref-Shapes output holds at its root; anything else in the folder belongs to someone else. */
const OUTPUT_ENTRIES = new Set([MARKER_FILE, 'train', 'meta_expressions']);
/** Fixed encoder settings: part of the determinism promise (same seed → same bytes). */
const JPEG_OPTIONS = { quality: 90, chromaSubsampling: '4:2:0', mozjpeg: false } as const;

function checkOptions(o: RefShapesOptions): void {
  const int = (name: string, value: number, lo: number, hi: number) => {
    if (!Number.isInteger(value) || value < lo || value > hi)
      throw new InputError(name, `must be an integer from ${lo} to ${hi}, got ${value}`);
  };
  int('--videos', o.videos, 1, 1_000_000);
  int('--seed', o.seed, 0, 2 ** 32 - 1);
  int('--width', o.width, 32, 4096);
  int('--height', o.height, 32, 4096);
  if (o.wording !== undefined && !WORDINGS.includes(o.wording))
    throw new InputError('--wording', `must be one of ${WORDINGS.join(', ')}, got ${JSON.stringify(o.wording)}`);
}

/** Throws unless `dir` is absent, an empty folder, or an earlier Ref-Shapes output with nothing added to it. */
async function checkReplaceable(dir: string): Promise<'absent' | 'empty' | 'previous'> {
  let info;
  try {
    info = await stat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'absent';
    throw err;
  }
  if (!info.isDirectory()) throw new InputError(dir, 'exists and is not a folder');
  const entries = await readdir(dir);
  if (entries.length === 0) return 'empty';
  let marker: unknown;
  try {
    marker = JSON.parse(await readFile(path.join(dir, MARKER_FILE), 'utf8'));
  } catch {
    marker = undefined;
  }
  if ((marker as { generator?: unknown } | undefined)?.generator !== 'ref-shapes') {
    throw new InputError(
      dir,
      `folder is not empty and is not a Ref-Shapes output (no valid ${MARKER_FILE}); refusing to write into it`,
    );
  }
  const foreign = entries.filter((e) => !OUTPUT_ENTRIES.has(e));
  if (foreign.length > 0) {
    throw new InputError(
      dir,
      `earlier Ref-Shapes output now also holds ${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}; refusing to replace it`,
    );
  }
  return 'previous';
}

function jpeg(rgb: Uint8Array, width: number, height: number): Promise<Buffer> {
  const input = Buffer.from(rgb.buffer, rgb.byteOffset, rgb.byteLength);
  return sharp(input, { raw: { width, height, channels: 3 } })
    .jpeg(JPEG_OPTIONS)
    .toBuffer();
}

const json = (value: unknown) => JSON.stringify(value, null, 4) + '\n';

/** Writes the dataset into `root` (a fresh folder). */
async function writeDataset(
  root: string,
  options: RefShapesOptions,
): Promise<{ videos: number; expressions: number; frames: number }> {
  const { videos: total, seed, width, height } = options;
  const wording = options.wording ?? 'training';
  const renderer = new ClipRenderer(width, height, seed);
  const meta: Record<string, { objects: Record<string, { category: string; frames: string[] }> }> = {};
  const metaExpressions: Record<
    string,
    { expressions: Record<string, { exp: string; obj_id: string; category: string }>; frames: string[] }
  > = {};
  const taken = new Set<string>();
  let expressionCount = 0;
  let frameCount = 0;
  await writeFile(
    path.join(root, MARKER_FILE),
    json({
      generator: 'ref-shapes',
      version: GENERATOR_VERSION,
      videos: total,
      seed,
      width,
      height,
      ...(wording === 'training' ? {} : { wording }),
    }),
  );
  for (let index = 0; index < total; index++) {
    const clip = buildClip(seed, index, renderer);
    const vid = videoId(seed, index, taken);
    taken.add(vid);
    const { frames } = clip.plan;
    const imageDir = path.join(root, 'train', 'JPEGImages', vid);
    const maskDir = path.join(root, 'train', 'Annotations', vid);
    await mkdir(imageDir, { recursive: true });
    await mkdir(maskDir, { recursive: true });
    // Encode every frame before the next clip: the renderer reuses these buffers.
    const jpegs = Promise.all(clip.rendered.rgb.map((rgb) => jpeg(rgb, width, height)));
    const pngs = clip.rendered.masks.map((data) => encodeIndexPng({ width, height, data }, DAVIS_PALETTE));
    const writes = pngs.map((png, f) => writeFile(path.join(maskDir, `${frames[f]}.png`), png));
    (await jpegs).forEach((bytes, f) => writes.push(writeFile(path.join(imageDir, `${frames[f]}.jpg`), bytes)));
    await Promise.all(writes);

    meta[vid] = {
      objects: Object.fromEntries(
        clip.facts.map((o) => [String(o.id), { category: o.shape, frames: o.visibleFrames.map((f) => frames[f]) }]),
      ),
    };
    const used = new Set<string>();
    const texts = clip.expressions.map((e, k) => {
      const text = wording === 'novel' ? novelText(seed, index, k, e.meaning, used) : e.text;
      used.add(text);
      return text;
    });
    metaExpressions[vid] = {
      expressions: Object.fromEntries(
        clip.expressions.map((e, k) => [
          String(k),
          { exp: texts[k], obj_id: String(e.objId), category: e.meaning.category },
        ]),
      ),
      frames: [...frames],
    };
    expressionCount += clip.expressions.length;
    frameCount += frames.length;
    options.onProgress?.(index + 1, total);
  }
  await writeFile(path.join(root, 'train', 'meta.json'), json({ videos: meta }));
  await mkdir(path.join(root, 'meta_expressions', 'train'), { recursive: true });
  await writeFile(
    path.join(root, 'meta_expressions', 'train', 'meta_expressions.json'),
    json({ videos: metaExpressions }),
  );
  return { videos: total, expressions: expressionCount, frames: frameCount };
}

/**
 * Generates `options.videos` Ref-Shapes clips into `outDir` (created, or replacing an empty folder or an earlier
 * Ref-Shapes output). Clip i depends only on (seed, i, width, height), so a smaller run is a prefix of a larger one.
 */
export async function generateRefShapes(
  outDir: string,
  options: RefShapesOptions,
): Promise<{ videos: number; expressions: number; frames: number }> {
  checkOptions(options);
  const target = path.resolve(outDir);
  const state = await checkReplaceable(target);
  await mkdir(path.dirname(target), { recursive: true });
  const stamp = `${process.pid}-${Date.now().toString(36)}`;
  const temp = `${target}.refshapes-tmp-${stamp}`;
  await mkdir(temp);
  try {
    const result = await writeDataset(temp, options);
    if (state === 'empty') await rmdir(target); // only while still empty: a file added meanwhile is the user's
    await replaceFolder(temp, target);
    return result;
  } catch (err) {
    await rm(temp, { recursive: true, force: true });
    throw err;
  }
}
