// Opens a split in the ReVOS layout (cilinyan/ReVOS-api; read by cilinyan/VISA tools/eval_revos.py):
//
//   <root>/meta_expressions_<split>_.json   videos → frames and expressions, each with obj_id, anno_id lists and
//                                            type_id (0 referring, 1 reasoning, 2 no target)
//   <root>/mask_dict.json                   anno_id → one COCO RLE (or null) per frame, for every split
//   <root>/mask_dict_foreground.json        video id → {"masks_rle": [one COCO RLE per frame], …}: the union of all
//                                            objects of the video, the denominator of R
//   <root>/JPEGImages/<video>/<frame>.jpg   video ids are folder paths ("UVO/all/-fbscFfkh4M")
//
// Both JSON files are indexed by one streaming pass (mevis/maskDict.ts) and read per video on demand.

import { readdir } from 'node:fs/promises';
import * as path from 'node:path';
import { chooseSplit, readSplitMetadata, type Dataset } from '../../dataset';
import { InputError } from '../../errors';
import { isDirectory, isFile } from '../../fileKind';
import { describeFsError, readTextFile } from '../../json';
import type { DatasetProblem, Video } from '../../types';
import { checkAnnoIds, MASK_DICT_FILE } from '../mevis/dataset';
import { indexMaskDict, MASK_DICT_SHAPE, type IndexedShape, type MaskDictIndex } from '../mevis/maskDict';

export const FOREGROUND_FILE = 'mask_dict_foreground.json';
const META_PATTERN = /^meta_expressions_(.+)_\.json$/;

const MASK_SHAPE: IndexedShape = { ...MASK_DICT_SHAPE, name: 'a ReVOS mask_dict' };
const FOREGROUND_SHAPE: IndexedShape = { name: `a ReVOS ${FOREGROUND_FILE}`, key: 'video', value: 'object' };

/** `<root>/meta_expressions_<split>_.json`. */
export function revosMetaFile(root: string, split: string): string {
  return path.join(root, `meta_expressions_${split}_.json`);
}

/** Splits of a ReVOS root: the <split> of each meta_expressions_<split>_.json, sorted. */
export async function listRevosSplits(root: string): Promise<string[]> {
  try {
    const names = await readdir(root);
    return names
      .map((name) => META_PATTERN.exec(name)?.[1])
      .filter((s): s is string => s !== undefined)
      .sort();
  } catch (err) {
    throw new InputError(root, describeFsError(err));
  }
}

/** True when `root` holds a meta_expressions_<split>_.json next to mask_dict.json or JPEGImages/. */
export async function isRevosRoot(root: string): Promise<boolean> {
  const splits = await listRevosSplits(root).catch(() => []);
  if (splits.length === 0) return false;
  return (await isFile(path.join(root, MASK_DICT_FILE))) || isDirectory(path.join(root, 'JPEGImages'));
}

function checkForeground(index: MaskDictIndex, videos: Video[], problems: DatasetProblem[]): void {
  for (const video of videos) {
    if (index.lists[video.id] === undefined)
      problems.push({ file: index.file, video: video.id, message: `video ${video.id} is not in ${FOREGROUND_FILE}` });
  }
}

/** Opens one ReVOS split (default: train when present, else the first). */
export async function openRevosDataset(root: string, split?: string): Promise<Dataset> {
  const absRoot = path.resolve(root);
  const splits = await listRevosSplits(absRoot);
  const chosen = chooseSplit(splits, split, absRoot, (name) => revosMetaFile(absRoot, name));
  const metaFile = revosMetaFile(absRoot, chosen);
  const maskDictFile = path.join(absRoot, MASK_DICT_FILE);
  const foregroundFile = path.join(absRoot, FOREGROUND_FILE);
  const indexIfPresent = async (file: string, shape: IndexedShape) =>
    (await isFile(file)) ? indexMaskDict(file, undefined, shape) : undefined;
  const [metaText, maskDict, foreground] = await Promise.all([
    readTextFile(metaFile),
    indexIfPresent(maskDictFile, MASK_SHAPE),
    indexIfPresent(foregroundFile, FOREGROUND_SHAPE),
  ]);
  const { videos, videoById, problems } = await readSplitMetadata(
    metaFile,
    metaText,
    path.join(absRoot, 'JPEGImages'),
    {
      objectLists: true,
      nestedVideoIds: true,
      typeIds: true,
    },
  );
  if (maskDict) checkAnnoIds(maskDict, videos, metaFile, problems);
  if (foreground) checkForeground(foreground, videos, problems);
  else if (maskDict)
    problems.push({ file: foregroundFile, message: 'missing; A and R (and so the split) cannot be scored' });
  const ds: Dataset = {
    root: absRoot,
    split: chosen,
    splits,
    videos,
    videoById,
    hasAnnotations: maskDict !== undefined,
    problems,
    benchmark: 'revos',
    metaFile,
  };
  if (maskDict) ds.maskDict = maskDict;
  if (foreground) ds.foreground = foreground;
  return ds;
}
