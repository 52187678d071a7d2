// MeViS as a profile, with the rules of henghuiding/MeViS tools/eval_mevis.py: the ground truth of a frame is the
// union of the expression's anno_id masks (null: absent there); J and F per frame over ALL frames of the video (so an
// empty prediction where every referred object is absent scores 1, any foreground 0); per expression the mean over
// the frames, per split the mean over expressions; a video without a prediction folder scores J = F = 0.

import * as path from 'node:path';
import { metaExpressionsPath } from '../../dataset';
import { InputError } from '../../errors';
import type { BenchmarkProfile } from '../profile';
import { isMevisRoot, MASK_DICT_FILE, maskListProblem, openMevisDataset, videoMaskLists } from './dataset';

export const mevisProfile: BenchmarkProfile = {
  id: 'mevis',
  title: 'MeViS',
  officialScript: 'henghuiding/MeViS tools/eval_mevis.py',
  rules: { frames: 'all', missingVideo: 'zero' },
  detect: isMevisRoot,
  open: openMevisDataset,
  missingGroundTruth(ds) {
    return ds.maskDict ? undefined : path.join(ds.root, ds.split, MASK_DICT_FILE);
  },
  targets(ds, video, e) {
    const maskDict = ds.maskDict;
    if (maskDict === undefined)
      throw new InputError(path.join(ds.root, ds.split, MASK_DICT_FILE), 'missing; this split cannot be scored');
    if (e.annoIds === undefined)
      throw new InputError(
        metaExpressionsPath(ds),
        'no anno_id list; every expression of a split with ground truth needs one',
      );
    for (const id of e.annoIds) {
      const problem = maskListProblem(maskDict, video, id);
      if (problem) throw new InputError(maskDict.file, problem);
    }
    return e.annoIds;
  },
  groundTruth(ds, video) {
    if (!ds.maskDict)
      throw new InputError(path.join(ds.root, ds.split, MASK_DICT_FILE), 'missing; this split cannot be scored');
    return { kind: 'coco-rle', maskDict: videoMaskLists(ds.maskDict, video) };
  },
};
