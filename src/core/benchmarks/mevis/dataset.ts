// Opens a split in the MeViS layout (henghuiding/MeViS):
//
//   <root>/<split>/meta_expressions.json   videos → frames and expressions, each with obj_id and anno_id lists
//   <root>/<split>/mask_dict.json          anno_id → one COCO RLE (or null) per frame; absent for `valid`
//   <root>/<split>/JPEGImages/<video>/<frame>.jpg
//
// mask_dict.json is indexed by one streaming pass (maskDict.ts), never parsed whole; anno_ids that it lacks and
// mask lists shorter than the video are reported here and refused when scored.

import * as path from 'node:path';
import { InputError } from '../../errors';
import { chooseSplit, listSplitsIn, readSplitMetadata, type Dataset } from '../../dataset';
import { isDirectory, isFile } from '../../fileKind';
import { describeFsError, readTextFile } from '../../json';
import type { DatasetProblem, Video } from '../../types';
import { indexMaskDict, type MaskDictIndex } from './maskDict';

export const MEVIS_META_FILE = 'meta_expressions.json';
export const MASK_DICT_FILE = 'mask_dict.json';

/** Splits of a MeViS root: its subfolders with a meta_expressions.json. */
export async function listMevisSplits(root: string): Promise<string[]> {
  try {
    return await listSplitsIn(root);
  } catch (err) {
    throw new InputError(root, describeFsError(err));
  }
}

/**
 * True when a subfolder of `root` holds meta_expressions.json next to mask_dict.json or JPEGImages/ (so that the
 * meta_expressions/ folder of a Ref-YouTube-VOS dataset, whose split folders hold only the JSON, is not taken for one).
 */
export async function isMevisRoot(root: string): Promise<boolean> {
  const splits = await listMevisSplits(root).catch(() => []);
  for (const split of splits) {
    const dir = path.join(root, split);
    if ((await isFile(path.join(dir, MASK_DICT_FILE))) || (await isDirectory(path.join(dir, 'JPEGImages'))))
      return true;
  }
  return false;
}

/** Why an expression's ground truth cannot be read from this mask_dict, or undefined when it can. */
export function maskListProblem(index: MaskDictIndex, video: Video, annoId: string): string | undefined {
  const at = index.lists[annoId];
  if (at === undefined) return `anno_id ${annoId} is not in ${MASK_DICT_FILE}`;
  if (at.count < video.frames.length)
    return `the mask list of anno_id ${annoId} has ${at.count} entries but video ${video.id} has ${video.frames.length} frames`;
  return undefined;
}

/** The part of a mask_dict index that one video's expressions use (what travels to a scoring worker). */
export function videoMaskLists(index: MaskDictIndex, video: Video): MaskDictIndex {
  const lists: MaskDictIndex['lists'] = {};
  for (const e of video.expressions) for (const id of e.annoIds ?? []) if (index.lists[id]) lists[id] = index.lists[id];
  return { file: index.file, lists };
}

export function checkAnnoIds(
  index: MaskDictIndex,
  videos: Video[],
  metaFile: string,
  problems: DatasetProblem[],
): void {
  for (const video of videos) {
    for (const e of video.expressions) {
      if (e.annoIds === undefined) {
        problems.push({
          file: metaFile,
          video: video.id,
          message: `expression ${e.expId} has no anno_id list; it cannot be scored`,
        });
        continue;
      }
      for (const id of e.annoIds) {
        const problem = maskListProblem(index, video, id);
        if (problem) problems.push({ file: index.file, video: video.id, message: `expression ${e.expId}: ${problem}` });
      }
    }
  }
}

/** Opens one MeViS split (default: train when present, else the first). */
export async function openMevisDataset(root: string, split?: string): Promise<Dataset> {
  const absRoot = path.resolve(root);
  const splits = await listMevisSplits(absRoot);
  const chosen = chooseSplit(splits, split, absRoot, (name) => path.join(absRoot, name, MEVIS_META_FILE));
  const splitDir = path.join(absRoot, chosen);
  const metaFile = path.join(splitDir, MEVIS_META_FILE);
  const maskDictFile = path.join(splitDir, MASK_DICT_FILE);
  const [metaText, maskDict] = await Promise.all([
    readTextFile(metaFile),
    isFile(maskDictFile).then((exists) => (exists ? indexMaskDict(maskDictFile) : undefined)),
  ]);
  const { videos, videoById, problems } = await readSplitMetadata(
    metaFile,
    metaText,
    path.join(splitDir, 'JPEGImages'),
    { objectLists: true },
  );
  if (maskDict) checkAnnoIds(maskDict, videos, metaFile, problems);
  const ds: Dataset = {
    root: absRoot,
    split: chosen,
    splits,
    videos,
    videoById,
    hasAnnotations: maskDict !== undefined,
    problems,
    benchmark: 'mevis',
  };
  if (maskDict) ds.maskDict = maskDict;
  return ds;
}
