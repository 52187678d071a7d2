// ReVOS as a profile, with the rules of cilinyan/VISA tools/eval_revos.py and tools/metrics.py (metrics.ts says them
// in full): every frame of the video counts, the truth is the sum of the expression's anno_id masks (none: a
// no-target expression, empty everywhere), a video without a prediction folder scores 0, and J, F, A, R come from
// revos/scoreVideo.ts; the split's numbers from summarizeRevos.

import * as path from 'node:path';
import { metaExpressionsPath } from '../../dataset';
import { InputError } from '../../errors';
import { MASK_DICT_FILE, maskListProblem, videoMaskLists } from '../mevis/dataset';
import type { BenchmarkProfile } from '../profile';
import { FOREGROUND_FILE, isRevosRoot, openRevosDataset } from './dataset';
import { summarizeRevosScores } from './metrics';

export const revosProfile: BenchmarkProfile = {
  id: 'revos',
  title: 'ReVOS',
  officialScript: 'cilinyan/VISA tools/eval_revos.py (with tools/metrics.py)',
  rules: { frames: 'all', missingVideo: 'zero', metrics: 'revos' },
  splitMeans(expressions) {
    // eval_revos.py's overall, in percent there (each expression rounded to 2 decimals first, as the script does).
    const { overall } = summarizeRevosScores(expressions);
    return { J: overall.J / 100, F: overall.F / 100 };
  },
  detect: isRevosRoot,
  open: openRevosDataset,
  missingGroundTruth(ds) {
    if (!ds.maskDict) return path.join(ds.root, MASK_DICT_FILE);
    return ds.foreground ? undefined : path.join(ds.root, FOREGROUND_FILE);
  },
  targets(ds, video, e) {
    const maskDict = ds.maskDict;
    if (maskDict === undefined)
      throw new InputError(path.join(ds.root, MASK_DICT_FILE), 'missing; this split cannot be scored');
    if (ds.foreground?.lists[video.id] === undefined)
      throw new InputError(
        ds.foreground?.file ?? path.join(ds.root, FOREGROUND_FILE),
        `video ${video.id} has no foreground masks (R cannot be computed)`,
      );
    if (e.annoIds === undefined)
      throw new InputError(metaExpressionsPath(ds), 'no anno_id list; every expression of ReVOS needs one');
    if (e.typeId === undefined)
      throw new InputError(
        metaExpressionsPath(ds),
        'no valid type_id (0 referring, 1 reasoning, 2 no target); the official script cannot place it',
      );
    for (const id of e.annoIds) {
      const problem = maskListProblem(maskDict, video, id);
      if (problem) throw new InputError(maskDict.file, problem);
    }
    return e.annoIds;
  },
  groundTruth(ds, video) {
    if (!ds.maskDict || !ds.foreground)
      throw new InputError(path.join(ds.root, MASK_DICT_FILE), 'missing; this split cannot be scored');
    const at = ds.foreground.lists[video.id];
    return {
      kind: 'coco-rle',
      maskDict: videoMaskLists(ds.maskDict, video),
      foreground: { file: ds.foreground.file, lists: at ? { [video.id]: at } : {} },
    };
  },
};
