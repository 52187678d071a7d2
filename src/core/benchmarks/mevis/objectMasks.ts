// The ground truth a viewer shows for one frame of a MeViS expression: one mask per referred object (each drawn in its
// own colour), decoded on demand from the mask lists of mask_dict.json. Parsed lists are kept in a small
// least-recently-used cache, so stepping through a clip reads each list once; decoded masks are never kept.

import { InputError } from '../../errors';
import type { Expression, Mask, Video } from '../../types';
import { MASK_DICT_FILE, maskListProblem } from './dataset';
import { maskAt, paintMaskAt, readMaskLists, type MaskDictIndex } from './maskDict';

export interface ObjectMask {
  objId: string;
  annoId: string;
  /** 0/1 mask of the frame's size; null where the object is absent. */
  mask: Mask | null;
}

export class MevisMaskReader {
  private readonly lists = new Map<string, unknown[]>();

  constructor(
    readonly index: MaskDictIndex,
    private readonly capacity = 64,
  ) {}

  private async list(annoId: string): Promise<unknown[]> {
    const hit = this.lists.get(annoId);
    if (hit) {
      this.lists.delete(annoId);
      this.lists.set(annoId, hit);
      return hit;
    }
    const list = (await readMaskLists(this.index, [annoId])).get(annoId)!;
    this.lists.set(annoId, list);
    if (this.lists.size > this.capacity) this.lists.delete(this.lists.keys().next().value as string);
    return list;
  }

  /** The masks of frame `frameIndex` for each object `expression` refers to, in its anno_id order. */
  async objectMasks(video: Video, expression: Expression, frameIndex: number): Promise<ObjectMask[]> {
    const annoIds = expression.annoIds ?? [];
    const frame = video.frames[frameIndex];
    const out: ObjectMask[] = [];
    for (const [k, annoId] of annoIds.entries()) {
      const problem = maskListProblem(this.index, video, annoId);
      if (problem)
        throw new InputError(this.index.file, `video ${video.id}, expression ${expression.expId}: ${problem}`);
      const rle = maskAt(this.index, await this.list(annoId), annoId, frameIndex, frame);
      let mask: Mask | null = null;
      if (rle) {
        mask = { width: rle.size[1], height: rle.size[0], data: new Uint8Array(rle.size[0] * rle.size[1]) };
        paintMaskAt(this.index, rle, annoId, frame, mask);
      }
      out.push({ objId: expression.objIds?.[k] ?? annoId, annoId, mask });
    }
    const sized = out.filter((o) => o.mask !== null);
    const first = sized[0]?.mask;
    for (const o of sized) {
      if (o.mask!.width !== first!.width || o.mask!.height !== first!.height) {
        throw new InputError(
          this.index.file,
          `video ${video.id}, frame ${frame}: anno_id ${o.annoId}'s mask is ${o.mask!.width}×${o.mask!.height} but anno_id ${sized[0].annoId}'s is ${first!.width}×${first!.height} (${MASK_DICT_FILE})`,
        );
      }
    }
    return out;
  }
}
