// Shape membership tests in the object's unit box (u, v ∈ [-1, 1], v pointing down) and the rasteriser that paints
// one object into a frame. A plain switch per pixel (no closures, no allocation) keeps generation fast.

import { SHAPES, type ShapeName } from './attributes';

const SHAPE_CODE: Record<ShapeName, number> = Object.fromEntries(SHAPES.map((s, i) => [s, i])) as Record<
  ShapeName,
  number
>;

const SQRT3 = Math.sqrt(3);
// Five-pointed star: outer radius 1, inner radius STAR_INNER; one edge runs from the outer vertex at angle 0 to the
// inner vertex at 36° (and mirrored), so membership only needs the angle folded into [0°, 36°].
const STAR_INNER = 0.45;
const STAR_SECTOR = (2 * Math.PI) / 5;
const STAR_BX = STAR_INNER * Math.cos(STAR_SECTOR / 2);
const STAR_BY = STAR_INNER * Math.sin(STAR_SECTOR / 2);

function insideStar(u: number, v: number): boolean {
  const rho2 = u * u + v * v;
  if (rho2 > 1) return false;
  if (rho2 <= STAR_INNER * STAR_INNER * 0.65) return true; // well inside the inner pentagon
  let phi = Math.atan2(u, -v); // 0 = straight up (a star point)
  if (phi < 0) phi += 2 * Math.PI;
  phi %= STAR_SECTOR;
  if (phi > STAR_SECTOR / 2) phi = STAR_SECTOR - phi;
  const rho = Math.sqrt(rho2);
  const px = rho * Math.cos(phi);
  const py = rho * Math.sin(phi);
  // Inside when P is on the origin's side of the edge A=(1,0) → B: cross(B−A, P−A) ≥ 0.
  return (STAR_BX - 1) * py - STAR_BY * (px - 1) >= 0;
}

/** Whether the point (u, v) of the unit box lies inside the shape. */
export function insideShape(code: number, u: number, v: number): boolean {
  switch (code) {
    case 0: // circle
      return u * u + v * v <= 1;
    case 1: // square (slightly inset so its area is close to the circle's)
      return u >= -0.86 && u <= 0.86 && v >= -0.86 && v <= 0.86;
    case 2: // triangle, apex up, base at v = 0.75
      return v <= 0.75 && v >= -1 && Math.abs(u) <= (v + 1) / 1.75;
    case 3:
      return insideStar(u, v);
    case 4: {
      const r2 = u * u + v * v;
      return r2 <= 1 && r2 >= 0.3; // ring: hole radius ≈ 0.55, the background shows through (and is not annotated)
    }
    case 5: // flat-topped regular hexagon
      return Math.abs(v) <= SQRT3 / 2 && SQRT3 * Math.abs(u) + Math.abs(v) <= SQRT3;
    case 6: {
      const au = Math.abs(u);
      const av = Math.abs(v);
      return (au <= 0.32 && av <= 0.95) || (av <= 0.32 && au <= 0.95);
    }
    case 7: // diamond
      return Math.abs(u) + Math.abs(v) <= 1;
    default:
      throw new RangeError(`unknown shape code ${code}`);
  }
}

export function shapeCode(shape: ShapeName): number {
  return SHAPE_CODE[shape];
}

/** Where and how to paint one object in one frame. */
export interface PaintSpec {
  id: number;
  shapeCode: number;
  cx: number;
  cy: number;
  radius: number;
  r: number;
  g: number;
  b: number;
}

/**
 * Paints an object over `rgb` (width×height×3) and writes its id into `mask`, only inside its clipped bounding box;
 * painting back to front leaves the top-most object's id in the mask. Pixels are sampled at their centres.
 * Returns the number of pixels the object covers in the frame (before later objects occlude it).
 */
export function paintObject(rgb: Uint8Array, mask: Uint8Array, width: number, height: number, o: PaintSpec): number {
  const x0 = Math.max(0, Math.floor(o.cx - o.radius));
  const x1 = Math.min(width - 1, Math.ceil(o.cx + o.radius));
  const y0 = Math.max(0, Math.floor(o.cy - o.radius));
  const y1 = Math.min(height - 1, Math.ceil(o.cy + o.radius));
  const inv = 1 / o.radius;
  let covered = 0;
  for (let y = y0; y <= y1; y++) {
    const v = (y + 0.5 - o.cy) * inv;
    if (v < -1 || v > 1) continue;
    const shade = 1.1 - 0.12 * (v + 1); // soft top light, so objects are not flat stickers
    const r = Math.min(255, o.r * shade);
    const g = Math.min(255, o.g * shade);
    const b = Math.min(255, o.b * shade);
    let p = y * width + x0;
    for (let x = x0; x <= x1; x++, p++) {
      if (!insideShape(o.shapeCode, (x + 0.5 - o.cx) * inv, v)) continue;
      mask[p] = o.id;
      rgb[3 * p] = r;
      rgb[3 * p + 1] = g;
      rgb[3 * p + 2] = b;
      covered++;
    }
  }
  return covered;
}
