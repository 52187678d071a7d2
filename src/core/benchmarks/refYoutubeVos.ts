// Ref-YouTube-VOS as a profile: index-PNG annotations (pixel value = obj_id), only annotated frames count, an
// expression without obj_id (valid/test) is not scored. The rules of the DAVIS 2017 evaluation that its server used.

import * as path from 'node:path';
import { annotationPath, isDatasetRoot, metaExpressionsPath, openDataset } from '../dataset';
import { InputError } from '../errors';
import type { BenchmarkProfile } from './profile';

export const refYoutubeVosProfile: BenchmarkProfile = {
  id: 'ref-youtube-vos',
  title: 'Ref-YouTube-VOS',
  officialScript: 'davisvideochallenge/davis2017-evaluation (J and F per annotated frame), as the Ref-YouTube-VOS server',
  rules: { frames: 'annotated', missingVideo: 'empty' },
  detect: isDatasetRoot,
  open: openDataset,
  missingGroundTruth(ds) {
    return ds.hasAnnotations ? undefined : path.join(ds.root, ds.split, 'Annotations');
  },
  targets(ds, video, e) {
    if (e.objId === undefined) return undefined;
    const id = Number(e.objId);
    if (e.objId.trim() === '' || !Number.isInteger(id) || id < 0 || id > 255) {
      throw new InputError(metaExpressionsPath(ds), `video ${video.id}, expression ${e.expId}: obj_id "${e.objId}" is not an object id (an integer 0–255 as in the annotation PNGs)`);
    }
    return [String(id)];
  },
  groundTruth(ds, video) {
    return { kind: 'index-png', files: video.frames.map((f) => annotationPath(ds, video.id, f)) };
  },
};
