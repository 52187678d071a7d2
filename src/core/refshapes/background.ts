// Textured clip backgrounds (value noise, stripes, checker, gradient) in random muted colours, so that a model cannot
// find the objects just by looking for anything that is not a flat background.

import type { Rng } from '../random';

export const BACKGROUNDS = ['noise', 'stripes', 'checker', 'gradient'] as const;
export type BackgroundKind = (typeof BACKGROUNDS)[number];

type Rgb = [number, number, number];

/** A muted colour (low saturation, mid value) so that background hues rarely pass for a named object colour. */
function mutedColor(rng: Rng): Rgb {
  const h = rng.float() * 6;
  const s = rng.range(0.08, 0.45);
  const v = rng.range(0.22, 0.78);
  const i = Math.floor(h);
  const f = h - i;
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  const [r, g, b] = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ][i % 6];
  return [r * 255, g * 255, b * 255];
}

/** Smooth value noise in [0, 1]: random lattice values every `cell` pixels, bicubic-smoothed bilinear blend. */
function valueNoise(rng: Rng, width: number, height: number, cell: number, out: Float32Array, weight: number): void {
  const gw = Math.ceil(width / cell) + 2;
  const gh = Math.ceil(height / cell) + 2;
  const lattice = new Float32Array(gw * gh);
  for (let i = 0; i < lattice.length; i++) lattice[i] = rng.float();
  for (let y = 0; y < height; y++) {
    const gy = y / cell;
    const iy = Math.floor(gy);
    let fy = gy - iy;
    fy = fy * fy * (3 - 2 * fy);
    for (let x = 0; x < width; x++) {
      const gx = x / cell;
      const ix = Math.floor(gx);
      let fx = gx - ix;
      fx = fx * fx * (3 - 2 * fx);
      const a = lattice[iy * gw + ix];
      const b = lattice[iy * gw + ix + 1];
      const c = lattice[(iy + 1) * gw + ix];
      const d = lattice[(iy + 1) * gw + ix + 1];
      out[y * width + x] += weight * (a + (b - a) * fx + (c - a + (a - b - c + d) * fx) * fy);
    }
  }
}

/**
 * Paints a background of the given kind into `rgb` (width×height×3): a blend field t ∈ [0, 1] per pixel between two
 * muted colours, always with a little value noise on top so that no background is perfectly regular.
 */
export function paintBackground(rng: Rng, kind: BackgroundKind, width: number, height: number, rgb: Uint8Array): void {
  const t = new Float32Array(width * height);
  const c1 = mutedColor(rng);
  const c2 = mutedColor(rng);
  const angle = rng.range(0, Math.PI);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const side = Math.min(width, height);
  if (kind === 'noise') {
    valueNoise(rng, width, height, side * rng.range(0.15, 0.35), t, 0.7);
    valueNoise(rng, width, height, side * rng.range(0.04, 0.08), t, 0.3);
  } else if (kind === 'stripes') {
    const period = side * rng.range(0.08, 0.25);
    const hard = rng.chance(0.5);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const s = Math.sin(((x * cos + y * sin) / period) * 2 * Math.PI);
        t[y * width + x] = hard ? (s >= 0 ? 0.85 : 0.15) : 0.5 + 0.4 * s;
      }
    }
    valueNoise(rng, width, height, side * 0.2, t, 0.15);
  } else if (kind === 'checker') {
    const cell = Math.max(2, Math.round(side * rng.range(0.06, 0.18)));
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++)
        t[y * width + x] = ((Math.floor(x / cell) + Math.floor(y / cell)) & 1) * 0.8 + 0.1;
    }
    valueNoise(rng, width, height, side * 0.25, t, 0.1);
  } else {
    const span = Math.abs(width * cos) + Math.abs(height * sin);
    const offset = Math.min(0, width * cos) + Math.min(0, height * sin);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) t[y * width + x] = (x * cos + y * sin - offset) / span;
    }
    valueNoise(rng, width, height, side * 0.15, t, 0.2);
  }
  for (let i = 0, p = 0; i < t.length; i++, p += 3) {
    const k = Math.min(1, Math.max(0, t[i]));
    rgb[p] = c1[0] + (c2[0] - c1[0]) * k;
    rgb[p + 1] = c1[1] + (c2[1] - c1[1]) * k;
    rgb[p + 2] = c1[2] + (c2[2] - c1[2]) * k;
  }
}
