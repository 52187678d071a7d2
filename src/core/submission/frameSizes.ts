// The size a submission's masks must have, per video: MeViS takes it from the ground truth's RLE sizes in
// mask_dict.json (what its script compares against), else — and for splits without ground truth — from the first
// frame image (its JPEG header).

import { firstMaskSize, readMaskLists } from '../benchmarks/mevis/maskDict';
import { framePath, type Dataset } from '../dataset';
import { isInputError } from '../errors';
import type { ImageSize } from '../frameImage';

/** A function giving the frame size of a video of `ds`, or undefined when neither source says it. */
export function frameSizes(ds: Dataset): (video: string) => Promise<ImageSize | undefined> {
  return async (videoId) => {
    const video = ds.videoById.get(videoId);
    if (!video || video.frames.length === 0) return undefined;
    if (ds.maskDict) {
      const annoIds = [...new Set(video.expressions.flatMap((e) => e.annoIds ?? []))].filter(
        (id) => ds.maskDict!.lists[id] !== undefined,
      );
      try {
        const size = firstMaskSize(ds.maskDict, await readMaskLists(ds.maskDict, annoIds), video.frames);
        if (size) return size;
      } catch (err) {
        // A broken list is the dataset's problem, reported when it is opened or scored; the JPEG still tells the size.
        if (!isInputError(err)) throw err;
      }
    }
    const { checkFrameImage } = await import('../frameImage'); // sharp loads on use
    return checkFrameImage(framePath(ds, videoId, video.frames[0])).catch(() => undefined);
  };
}
