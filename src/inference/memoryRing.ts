// The YOFO memory bank on the host side: the last M frame entries (x, y, w) in fixed slots, oldest overwritten, laid
// out as the frame graph's mem_x / mem_y / mem_w / mem_valid inputs so they are fed without copying. The fit inside the
// graph is a sum over valid slots, so slot order does not matter.

export interface MemoryShape {
  /** Slots (M). */
  length: number;
  channels: number;
  height: number;
  width: number;
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
  }

  /** Number of filled slots. */
  get size(): number {
    return Math.min(this.pushed, this.shape.length);
  }

  /** Stores one frame's entry in the next slot (overwriting the oldest once full); returns the slot used. */
  push(x: ArrayLike<number>, y: ArrayLike<number>, w: ArrayLike<number>): number {
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
    this.pushed++;
    return slot;
  }

  clear(): void {
    this.x.fill(0);
    this.y.fill(0);
    this.w.fill(0);
    this.valid.fill(0);
    this.pushed = 0;
  }
}
