// Reads the ground truth of one video for the scorer, frame by frame, as run-length masks per expression target set:
// index PNGs split by pixel value (Ref-YouTube-VOS) or the union of COCO RLE masks (MeViS mask_dict.json).

import type { GroundTruthSource } from '../benchmarks/profile';
import { firstMaskSize, maskAt, paintMaskAt, readMaskLists } from '../benchmarks/mevis/maskDict';
import { decodeIndexMask } from '../png';
import type { Mask } from '../types';
import { JobFiles } from './jobFiles';
import { RowRuns } from './runs';

export interface GroundTruthReader {
  /** The I/O of frame i (run ahead of decoding); undefined when the frame has no annotation. */
  load(i: number): Promise<Uint8Array | true | undefined>;
  /**
   * The truth of frame i for each target set (in the order given to openGroundTruth); null where it is empty and its
   * size is unknown (no mask of the video says it: the prediction's size is used).
   */
  decode(i: number, loaded: Uint8Array | true): (RowRuns | null)[];
  /** How error messages name the ground truth of frame i. */
  describe(i: number, set: number): string;
  /**
   * After every frame was decoded: why target set `set` is not an object of the video (its pixel value appears in
   * none of the annotations while no meta.json lists the objects), or undefined.
   */
  unknownTarget(set: number): string | undefined;
}

/** Ground truth from the annotation PNG files; target sets are single pixel values. */
function indexPngReader(
  source: Extract<GroundTruthSource, { kind: 'index-png' }>,
  targetSets: string[][],
): GroundTruthReader {
  const { files } = source;
  const values = [...new Set(targetSets.map((t) => Number(t[0])))];
  const runs = values.map(() => new RowRuns());
  const seen = values.map(() => false);
  const runsOfSet = targetSets.map((t) => runs[values.indexOf(Number(t[0]))]);
  const scratch = new RowRuns();
  const reader = new JobFiles();
  return {
    load: (i) => reader.read(files[i]),
    decode(i, loaded) {
      RowRuns.splitByValue(decodeIndexMask(loaded as Uint8Array, files[i]), values, runs, scratch);
      runs.forEach((r, j) => (seen[j] ||= r.area > 0));
      return runsOfSet;
    },
    describe: (i) => files[i],
    unknownTarget(set) {
      const value = Number(targetSets[set][0]);
      if (!source.objectsUnlisted || seen[values.indexOf(value)]) return undefined;
      return `obj_id ${value} appears in none of the video's ${files.length} ground-truth files (no meta.json lists its objects): not an object of this video`;
    },
  };
}

/** Ground truth from mask_dict.json: every frame is annotated; a target set's truth is the union of its masks. */
async function cocoRleReader(
  source: Extract<GroundTruthSource, { kind: 'coco-rle' }>,
  frames: string[],
  targetSets: string[][],
): Promise<GroundTruthReader> {
  const { maskDict } = source;
  const lists = await readMaskLists(maskDict, [...new Set(targetSets.flat())]);
  // The video's frame size: the first mask found (every other one must agree).
  const size = firstMaskSize(maskDict, lists, frames);
  // Target sets shared by several expressions are decoded once per frame.
  const keys = targetSets.map((t) => t.join(','));
  const distinct = [...new Set(keys)];
  const runs = distinct.map(() => new RowRuns());
  const canvas: Mask | undefined = size && { ...size, data: new Uint8Array(size.width * size.height) };
  return {
    load: () => Promise.resolve(true),
    decode(i) {
      const out = distinct.map((key, d) => {
        if (!canvas) return null;
        canvas.data.fill(0);
        for (const annoId of key === '' ? [] : key.split(',')) {
          const rle = maskAt(maskDict, lists.get(annoId)!, annoId, i, frames[i]);
          if (rle === null) continue;
          paintMaskAt(maskDict, rle, annoId, frames[i], canvas);
        }
        return runs[d].compute(canvas);
      });
      return keys.map((k) => out[distinct.indexOf(k)]);
    },
    describe: (i, set) => `${maskDict.file} (anno_id ${targetSets[set].join(', ')}, frame ${frames[i]})`,
    unknownTarget: () => undefined, // the profile checked every anno_id against mask_dict.json
  };
}

/** A reader of `source` for the given target sets (one per expression). */
export async function openGroundTruth(
  source: GroundTruthSource,
  frames: string[],
  targetSets: string[][],
): Promise<GroundTruthReader> {
  return source.kind === 'index-png' ? indexPngReader(source, targetSets) : cocoRleReader(source, frames, targetSets);
}
