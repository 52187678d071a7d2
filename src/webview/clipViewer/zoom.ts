// Zoom and pan maths of the frame panes. Pure (no DOM), so it is unit-tested. A ZoomView is kept in image pixels (the
// centre of the view and a zoom factor relative to "fit"), so it survives a panel resize or reload; the screen
// transform is derived from it for the current viewport.

import type { ZoomView } from '../../shared/clipViewer/protocol';

export interface Size {
  width: number;
  height: number;
}

/** CSS transform of the image in its viewport: screen = image × scale + (tx, ty). */
export interface ScreenTransform {
  scale: number;
  tx: number;
  ty: number;
}

export const MIN_ZOOM = 1;
export const MAX_ZOOM = 64;
/** One wheel notch or one +/- key press. */
export const ZOOM_STEP = 1.25;

/** The whole image in view, centred. */
export function fitView(image: Size): ZoomView {
  return { zoom: 1, cx: image.width / 2, cy: image.height / 2 };
}

function fitScale(image: Size, viewport: Size): number {
  if (image.width <= 0 || image.height <= 0) return 1;
  return Math.min(viewport.width / image.width, viewport.height / image.height);
}

/**
 * Keeps the zoom in [MIN_ZOOM, MAX_ZOOM] and the centre inside the image, so the image never leaves the view; at fit
 * the image stays centred (nothing to pan).
 */
export function clampView(view: ZoomView, image: Size): ZoomView {
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.zoom));
  if (zoom === MIN_ZOOM) return fitView(image);
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0, Number.isFinite(v) ? v : max / 2));
  return { zoom, cx: clamp(view.cx, image.width), cy: clamp(view.cy, image.height) };
}

export function screenTransform(view: ZoomView, image: Size, viewport: Size): ScreenTransform {
  const scale = fitScale(image, viewport) * view.zoom;
  return { scale, tx: viewport.width / 2 - view.cx * scale, ty: viewport.height / 2 - view.cy * scale };
}

/** The image pixel under a viewport point. */
export function imagePoint(
  view: ZoomView,
  image: Size,
  viewport: Size,
  x: number,
  y: number,
): { x: number; y: number } {
  const t = screenTransform(view, image, viewport);
  return { x: (x - t.tx) / t.scale, y: (y - t.ty) / t.scale };
}

/** Zooms by `factor` keeping the image pixel under viewport point (x, y) where it is (wheel at the cursor). */
export function zoomAt(view: ZoomView, factor: number, image: Size, viewport: Size, x: number, y: number): ZoomView {
  const zoom = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, view.zoom * factor));
  const under = imagePoint(view, image, viewport, x, y);
  const scale = fitScale(image, viewport) * zoom;
  return clampView(
    { zoom, cx: under.x - (x - viewport.width / 2) / scale, cy: under.y - (y - viewport.height / 2) / scale },
    image,
  );
}

/** Zooms around the centre of the viewport (keys and buttons). */
export function zoomCentre(view: ZoomView, factor: number, image: Size): ZoomView {
  return clampView({ ...view, zoom: view.zoom * factor }, image);
}

/** Moves the image by (dx, dy) screen pixels (a drag). */
export function panBy(view: ZoomView, dx: number, dy: number, image: Size, viewport: Size): ZoomView {
  const scale = fitScale(image, viewport) * view.zoom;
  return clampView({ zoom: view.zoom, cx: view.cx - dx / scale, cy: view.cy - dy / scale }, image);
}

/** Wheel delta (pixels, lines or pages already normalised to pixels by the caller) → zoom factor; up zooms in. */
export function wheelFactor(deltaY: number): number {
  return Math.pow(ZOOM_STEP, -Math.max(-4, Math.min(4, deltaY / 100)));
}
