// Opens a dataset in the Ref-YouTube-VOS layout. Lazy: reads the two metadata JSON files and a few folder listings,
// never a frame or a per-frame stat, so a train-scale split opens in well under a second.
//
//   meta_expressions/<split>/meta_expressions.json   videos → expressions (+ obj_id) and frame names
//   <split>/meta.json                                 videos → objects (optional)
//   <split>/JPEGImages/<video>/<frame>.jpg
//   <split>/Annotations/<video>/<frame>.png          absent for valid/test

import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import type { BenchmarkId } from './benchmarks/profile';
import type { MaskDictIndex } from './benchmarks/mevis/maskDict';
import { parseMetaExpressions, parseMetaObjects, reportDuplicateIds, type MetaParseOptions } from './datasetParse';
import { InputError } from './errors';
import { isDirectory, isFile } from './fileKind';
import { describeFsError, parseJsonFile, readJsonFile, readTextFile } from './json';
import { checkIdPath, checkSegment } from './safePath';
import type { DatasetProblem, Video } from './types';

export interface Dataset {
  /** Absolute dataset folder. */
  root: string;
  split: string;
  splits: string[];
  videos: Video[];
  videoById: Map<string, Video>;
  /** False when `<split>/Annotations` is absent (valid/test): viewers show "no ground truth". */
  hasAnnotations: boolean;
  problems: DatasetProblem[];
  /** The benchmark whose layout and scoring rules apply; absent: Ref-YouTube-VOS. */
  benchmark?: BenchmarkId;
  /** MeViS: the index of `<split>/mask_dict.json` (absent when the split has none); ReVOS: of `mask_dict.json`. */
  maskDict?: MaskDictIndex;
  /** ReVOS: the index of `mask_dict_foreground.json` (video id → {masks_rle}), absent when the file is. */
  foreground?: MaskDictIndex;
  /** ReVOS: the split's metadata file (`meta_expressions_<split>_.json` at the root). */
  metaFile?: string;
}

const META_DIR = 'meta_expressions';
const META_FILE = 'meta_expressions.json';

/** True when `dir` looks like a dataset root (has meta_expressions/). */
export async function isDatasetRoot(dir: string): Promise<boolean> {
  return isDirectory(path.join(dir, META_DIR));
}

/** Splits with a metadata file: subfolders of `<root>/meta_expressions` holding meta_expressions.json, sorted. */
export async function listSplits(root: string): Promise<string[]> {
  const metaDir = path.join(root, META_DIR);
  try {
    return await listSplitsIn(metaDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new InputError(
        root,
        `not a Ref-YouTube-VOS dataset: no ${META_DIR}/ folder (expected ${META_DIR}/<split>/${META_FILE})`,
      );
    }
    throw new InputError(metaDir, describeFsError(err));
  }
}

/** Subfolders of `dir` that hold meta_expressions.json, sorted; fs errors are the caller's to word. */
export async function listSplitsIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const candidates = entries.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name);
  const found = await Promise.all(candidates.map((name) => isFile(path.join(dir, name, META_FILE))));
  return candidates.filter((_, i) => found[i]).sort();
}

/** The split to open: `split` when listed (else an InputError on its would-be file), by default train or the first. */
export function chooseSplit(
  splits: string[],
  split: string | undefined,
  metaDir: string,
  metaFileOf: (split: string) => string,
): string {
  if (splits.length === 0)
    throw new InputError(metaDir, `no split found: expected ${path.relative(metaDir, metaFileOf('<split>'))} under it`);
  const chosen = split ?? (splits.includes('train') ? 'train' : splits[0]);
  if (!splits.includes(chosen)) {
    throw new InputError(metaFileOf(chosen), `split "${chosen}" not found; available: ${splits.join(', ')}`);
  }
  checkSegment(chosen, 'split', metaDir);
  return chosen;
}

/** Names of the video folders in `<split>/JPEGImages`, or undefined when that folder is missing. */
async function listFrameFolders(dir: string): Promise<Set<string> | undefined> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return new Set(entries.filter((e) => e.isDirectory() || e.isSymbolicLink()).map((e) => e.name));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new InputError(dir, describeFsError(err));
  }
}

/** Videos of one split's meta_expressions.json, with the problems found there and in the frame folders. */
export interface SplitMetadata {
  videos: Video[];
  videoById: Map<string, Video>;
  problems: DatasetProblem[];
}

/**
 * Reads a split's meta_expressions.json (`metaText`, already read) and checks each video against the folders of
 * `framesDir` (JPEGImages). Shared by every benchmark layout; an empty split is an InputError.
 */
export async function readSplitMetadata(
  metaFile: string,
  metaText: string,
  framesDir: string,
  options: MetaParseOptions = {},
): Promise<SplitMetadata> {
  const frameFolders = await listFrameFolders(framesDir);
  const metaJson = parseJsonFile(metaText, metaFile);
  const problems: DatasetProblem[] = [];
  reportDuplicateIds(metaText, metaJson, metaFile, problems);
  const videos = parseMetaExpressions(metaJson, metaFile, problems, options);
  if (videos.length === 0) {
    const why =
      problems.length > 0
        ? `no usable video (${problems.length} problems, first: ${problems[0].message})`
        : 'no videos';
    throw new InputError(metaFile, `empty dataset: ${why}`);
  }
  if (frameFolders === undefined) {
    problems.push({ file: framesDir, message: 'folder missing; frames cannot be shown' });
  }
  const videoById = new Map<string, Video>();
  for (const video of videos) {
    videoById.set(video.id, video);
    // A nested id (ReVOS "UVO/all/<name>") is checked by its first folder: one listing, never a stat per video.
    if (frameFolders && !frameFolders.has(video.id.split('/')[0])) {
      problems.push({
        file: path.join(framesDir, video.id),
        video: video.id,
        message: 'no frames folder for this video',
      });
    }
  }
  return { videos, videoById, problems };
}

/** Opens one split (default: "train" when present, else the first split). */
export async function openDataset(root: string, split?: string): Promise<Dataset> {
  const absRoot = path.resolve(root);
  const splits = await listSplits(absRoot);
  const metaDir = path.join(absRoot, META_DIR);
  const chosen = chooseSplit(splits, split, metaDir, (name) => path.join(metaDir, name, META_FILE));
  const metaFile = path.join(metaDir, chosen, META_FILE);

  const splitDir = path.join(absRoot, chosen);
  const objectsFile = path.join(splitDir, 'meta.json');
  const [metaText, objectsJson, hasAnnotations] = await Promise.all([
    readTextFile(metaFile),
    isFile(objectsFile).then((exists) => (exists ? readJsonFile(objectsFile) : undefined)),
    isDirectory(path.join(splitDir, 'Annotations')),
  ]);
  const { videos, videoById, problems } = await readSplitMetadata(
    metaFile,
    metaText,
    path.join(splitDir, 'JPEGImages'),
  );
  const objectsByVideo = objectsJson === undefined ? undefined : parseMetaObjects(objectsJson, objectsFile, problems);
  for (const video of objectsByVideo ? videos : []) {
    const objects = objectsByVideo!.get(video.id);
    if (!objects) {
      problems.push({ file: objectsFile, video: video.id, message: 'video missing from meta.json; no object list' });
      continue;
    }
    video.objects = objects;
    for (const e of video.expressions) {
      if (e.objId !== undefined && !(e.objId in objects)) {
        problems.push({
          file: metaFile,
          video: video.id,
          message: `expression ${e.expId}: obj_id "${e.objId}" is not an object of this video in meta.json (objects: ${Object.keys(objects).join(', ') || 'none'})`,
        });
      }
    }
  }
  return { root: absRoot, split: chosen, splits, videos, videoById, hasAnnotations, problems };
}

/** The split's meta_expressions.json (`<root>/meta_expressions/<split>/`, MeViS `<root>/<split>/`): problems name it. */
export function metaExpressionsPath(ds: Dataset): string {
  if (ds.metaFile !== undefined) return ds.metaFile;
  if (ds.benchmark === 'mevis') return path.join(ds.root, ds.split, META_FILE);
  return path.join(ds.root, META_DIR, ds.split, META_FILE);
}

/** The videos `ids` name, in that order (default: all of the split); an id not in the split is an InputError. */
export function selectVideos(ds: Dataset, ids?: readonly string[]): Video[] {
  if (ids === undefined) return ds.videos;
  return ids.map((id) => {
    const video = ds.videoById.get(id);
    if (!video) throw new InputError(metaExpressionsPath(ds), `no video "${id}" in split "${ds.split}"`);
    return video;
  });
}

/** `<root>/<split>/JPEGImages/<video>/<frame>.jpg`; ids that would leave the folder are an InputError. */
export function framePath(ds: Dataset, videoId: string, frame: string): string {
  return idPath(ds, 'JPEGImages', videoId, frame, '.jpg');
}

/** `<root>/<split>/Annotations/<video>/<frame>.png`; ids that would leave the folder are an InputError. */
export function annotationPath(ds: Dataset, videoId: string, frame: string): string {
  return idPath(ds, 'Annotations', videoId, frame, '.png');
}

function idPath(ds: Dataset, folder: string, videoId: string, frame: string, ext: string): string {
  // ReVOS keeps one JPEGImages/ for all splits, at the root.
  const dir = ds.benchmark === 'revos' ? path.join(ds.root, folder) : path.join(ds.root, ds.split, folder);
  checkIdPath(videoId, 'video id', dir);
  checkSegment(frame, 'frame name', path.join(dir, videoId));
  return path.join(dir, videoId, frame + ext);
}
