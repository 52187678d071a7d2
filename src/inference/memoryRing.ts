// The YOFO memory bank on the host side: the last M frame entries (x, y, w) in fixed slots, oldest overwritten, laid
// out as the frame graph's mem_x / mem_y / mem_w / mem_valid inputs so they are fed without copying. The fit inside the
// graph is a sum over valid slots, so slot order does not matter. Each slot also remembers which clip frame it holds and
// the total of its fit weights, so the viewer can show which memory frames the meta-transfer used (frameInsight.ts).

export interface MemoryShape {
  /** Slots (M). */
  length: number;
  channels: number;
  height: number;
  width: number;
}

/** A filled slot, as the fit sees it. */
export interface MemoryEntry {
  /** Clip frame index the entry was computed from. */
  frame: number;
  /** Sum of the entry's fit weights W over its h×w pixels (its mass in the fit's normal equations). */
  weightSum: number;
}

export class MemoryRing {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly w: Float32Array;
  /** 1 where a slot holds an entry. */
  readonly valid: Float32Array;
  private readonly featureSize: number;
  private readonly weightSize: number;
  private pushed = 0;
  /** Per slot: the clip frame it holds (-1 when empty) and its weight sum. */
  private readonly slotFrame: Int32Array;
  private readonly slotWeightSum: Float64Array;

  constructor(readonly shape: MemoryShape) {
    const { length, channels, height, width } = shape;
    if (![length, channels, height, width].every((n) => Number.isInteger(n) && n > 0)) {
      throw new RangeError(`memory shape must be positive integers: ${JSON.stringify(shape)}`);
    }
    this.featureSize = channels * height * width;
    this.weightSize = height * width;
    this.x = new Float32Array(length * this.featureSize);
    this.y = new Float32Array(length * this.featureSize);
    this.w = new Float32Array(length * this.weightSize);
    this.valid = new Float32Array(length);
    this.slotFrame = new Int32Array(length).fill(-1);
    this.slotWeightSum = new Float64Array(length);
  }

  /** Number of filled slots. */
  get size(): number {
    return Math.min(this.pushed, this.shape.length);
  }

  /**
   * Stores one frame's entry in the next slot (overwriting the oldest once full); returns the slot used. `frame` is the
   * clip frame index it came from (default: the number of entries pushed so far, which it is in the online loop).
   */
  push(x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>, frame = this.pushed): number {
    if (x.length !== this.featureSize || y.length !== this.featureSize || w.length !== this.weightSize) {
      throw new RangeError(
        `memory entry sizes x=${x.length} y=${y.length} w=${w.length}, expected ${this.featureSize}/${this.featureSize}/${this.weightSize}`,
      );
    }
    const slot = this.pushed % this.shape.length;
    this.x.set(x, slot * this.featureSize);
    this.y.set(y, slot * this.featureSize);
    this.w.set(w, slot * this.weightSize);
    this.valid[slot] = 1;
    this.slotFrame[slot] = frame;
    this.slotWeightSum[slot] = sum(w);
    this.pushed++;
    return slot;
  }

  /** The valid entries, oldest frame first: what the next frame's fit sums over. */
  entries(): MemoryEntry[] {
    const out: MemoryEntry[] = [];
    for (let s = 0; s < this.shape.length; s++) {
      if (this.valid[s] === 1) out.push({ frame: this.slotFrame[s], weightSum: this.slotWeightSum[s] });
    }
    return out.sort((a, b) => a.frame - b.frame);
  }

  clear(): void {
    this.x.fill(0);
    this.y.fill(0);
    this.w.fill(0);
    this.valid.fill(0);
    this.slotFrame.fill(-1);
    this.slotWeightSum.fill(0);
    this.pushed = 0;
  }
}

/** Sum in double precision (a float32 running sum of many weights drifts). */
export function sum(values: ArrayLike<number>): number {
  let total = 0;
  for (let i = 0; i < values.length; i++) total += values[i];
  return total;
}
