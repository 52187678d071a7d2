// Ref-YouTube-VOS as a profile: index-PNG annotations (pixel value = obj_id), one for every listed frame (strict:
// a missing one makes the video unscorable), and an obj_id that names an object of the video. The rules of the DAVIS 2017 evaluation that its server used.

import * as path from 'node:path';
import { annotationPath, isDatasetRoot, metaExpressionsPath, openDataset } from '../dataset';
import { InputError } from '../errors';
import type { BenchmarkProfile } from './profile';

export const refYoutubeVosProfile: BenchmarkProfile = {
  id: 'ref-youtube-vos',
  title: 'Ref-YouTube-VOS',
  officialScript:
    'davisvideochallenge/davis2017-evaluation (J and F per annotated frame), as the Ref-YouTube-VOS server',
  rules: { frames: 'annotated', missingVideo: 'empty' },
  detect: isDatasetRoot,
  open: openDataset,
  missingGroundTruth(ds) {
    return ds.hasAnnotations ? undefined : path.join(ds.root, ds.split, 'Annotations');
  },
  targets(ds, video, e) {
    const problem = (reason: string) => new InputError(metaExpressionsPath(ds), reason);
    if (e.objId === undefined) throw problem('no obj_id; every expression of a split with ground truth needs one');
    const id = Number(e.objId);
    if (e.objId.trim() === '' || !Number.isInteger(id) || id < 0 || id > 255) {
      throw problem(`obj_id "${e.objId}" is not an object id (an integer 0–255 as in the annotation PNGs)`);
    }
    const known = Object.keys(video.objects);
    if (known.length > 0 && !known.includes(e.objId))
      throw problem(`obj_id "${e.objId}" is not an object of this video in meta.json (objects: ${known.join(', ')})`);
    return [String(id)];
  },
  groundTruth(ds, video) {
    const files = video.frames.map((f) => annotationPath(ds, video.id, f));
    // Without meta.json's object list, an obj_id is known when its pixel value appears in the video's annotations.
    return Object.keys(video.objects).length === 0
      ? { kind: 'index-png', files, objectsUnlisted: true }
      : { kind: 'index-png', files };
  },
};
