// Renders a planned clip into RGB frames and index masks, reusing its buffers from clip to clip (callers must copy
// or encode a frame before the next render).

import { Rng } from '../random';
import { paintBackground } from './background';
import { centreX, centreY, type ClipPlan } from './scene';
import { paintObject, shapeCode, type PaintSpec } from './shapes';

/** Most frames a clip can have (see scene.ts) and most objects. */
const MAX_FRAMES = 24;
const MAX_ID = 255;
/** Mild per-pixel sensor noise amplitude (±), on top of JPEG's own artefacts. */
const NOISE = 4;

export interface RenderedClip {
  /** Per frame: width×height×3 RGB, and width×height object ids (0 = background). */
  rgb: Uint8Array[];
  masks: Uint8Array[];
  /** Per frame: visible pixel count per object id (index = id). */
  visiblePixels: Uint32Array[];
  /** Per frame: pixels each object would cover in the frame if nothing occluded it (index = id). */
  inFramePixels: Uint32Array[];
}

export class ClipRenderer {
  private readonly background: Uint8Array;
  private readonly noise: Int8Array;
  private readonly rgb: Uint8Array[] = [];
  private readonly masks: Uint8Array[] = [];
  private readonly visible: Uint32Array[] = [];
  private readonly inFrame: Uint32Array[] = [];

  constructor(
    readonly width: number,
    readonly height: number,
    noiseSeed: number | string,
  ) {
    const n = width * height;
    this.background = new Uint8Array(n * 3);
    // One noise field per renderer; each frame reads it at a different offset, so no per-frame random draws.
    const rng = new Rng(noiseSeed, 'noise');
    this.noise = new Int8Array(n * 3 + 4099);
    for (let i = 0; i < this.noise.length; i++) this.noise[i] = rng.int(-NOISE, NOISE);
    for (let f = 0; f < MAX_FRAMES; f++) {
      this.rgb.push(new Uint8Array(n * 3));
      this.masks.push(new Uint8Array(n));
      this.visible.push(new Uint32Array(MAX_ID + 1));
      this.inFrame.push(new Uint32Array(MAX_ID + 1));
    }
  }

  render(rng: Rng, plan: ClipPlan): RenderedClip {
    const { width, height } = this;
    if (plan.width !== width || plan.height !== height) throw new Error('plan size differs from the renderer size');
    if (plan.frames.length > MAX_FRAMES) throw new Error(`a clip has at most ${MAX_FRAMES} frames`);
    paintBackground(rng, plan.background, width, height, this.background);
    const byId = new Map(plan.objects.map((o) => [o.id, o]));
    const specs: PaintSpec[] = plan.zOrder.map((id) => {
      const o = byId.get(id)!;
      return {
        id,
        shapeCode: shapeCode(o.shape),
        cx: 0,
        cy: 0,
        radius: o.radius,
        r: o.rgb[0],
        g: o.rgb[1],
        b: o.rgb[2],
      };
    });
    const n = width * height;
    const count = plan.frames.length;
    for (let f = 0; f < count; f++) {
      const rgb = this.rgb[f];
      const mask = this.masks[f];
      const visible = this.visible[f];
      const inFrame = this.inFrame[f];
      rgb.set(this.background);
      mask.fill(0);
      visible.fill(0);
      inFrame.fill(0);
      const t = plan.times[f];
      for (const s of specs) {
        const o = byId.get(s.id)!;
        s.cx = centreX(o, t, width);
        s.cy = centreY(o, t, height);
        inFrame[s.id] = paintObject(rgb, mask, width, height, s);
      }
      for (let i = 0; i < n; i++) visible[mask[i]]++;
      visible[0] = 0;
      const offset = rng.int(0, 4096);
      for (let i = 0; i < n * 3; i++) {
        const v = rgb[i] + this.noise[offset + i];
        rgb[i] = v < 0 ? 0 : v > 255 ? 255 : v;
      }
    }
    return {
      rgb: this.rgb.slice(0, count),
      masks: this.masks.slice(0, count),
      visiblePixels: this.visible.slice(0, count),
      inFramePixels: this.inFrame.slice(0, count),
    };
  }
}
