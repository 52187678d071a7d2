// The frame panes (one, or two side by side) with synchronised zoom and pan: the wheel zooms around the cursor, a
// drag pans, and every pane gets the same view. Canvases keep the frame's own resolution and are placed with a CSS
// transform, so zooming never redraws and the pixel data (read by the e2e tests) stays the frame's.

import type { ZoomView } from '../../shared/clipViewer/protocol';
import type { RgbaBuffer } from './overlay';
import {
  clampView,
  fitView,
  panBy,
  screenTransform,
  wheelFactor,
  zoomAt,
  zoomCentre,
  ZOOM_STEP,
  type Size,
} from './zoom';

export interface Pane {
  root: HTMLElement;
  caption: HTMLElement;
  viewport: HTMLElement;
  canvas: HTMLCanvasElement;
  score: HTMLElement;
}

const LINE_PX = 16;

export class FrameStage {
  private view: ZoomView | undefined;
  private image: Size = { width: 640, height: 360 };
  private visible = 1;
  /** A frame was drawn, so `image` is its real size. */
  private sized = false;

  constructor(
    private readonly panes: Pane[],
    /** The user zoomed or panned (undefined: back to fit); `final` once a gesture ends (time to save). */
    private readonly onViewChange: (view: ZoomView | undefined, final: boolean) => void,
  ) {
    for (const pane of panes) this.listen(pane);
    new ResizeObserver(() => this.apply()).observe(panes[0].viewport);
  }

  /** Shows the first `count` panes. */
  setPaneCount(count: number): void {
    this.visible = count;
    this.panes.forEach((p, i) => (p.root.hidden = i >= count));
    this.apply();
  }

  setView(view: ZoomView | undefined): void {
    // A restored view is clamped once the frame's size is known (the first draw), not against the placeholder size.
    this.view = view && this.sized ? clampView(view, this.image) : view;
    this.apply();
  }

  zoomBy(factor: number): void {
    this.change(zoomCentre(this.view ?? fitView(this.image), factor, this.image), true);
  }

  zoomIn(): void {
    this.zoomBy(ZOOM_STEP);
  }

  zoomOut(): void {
    this.zoomBy(1 / ZOOM_STEP);
  }

  fit(): void {
    this.change(undefined, true);
  }

  /** Draws a frame and its overlay into pane `index` (the frame's size sets the canvas size). */
  draw(index: number, image: HTMLImageElement | undefined, overlay: RgbaBuffer | undefined): void {
    const { canvas } = this.panes[index];
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const size = image
      ? { width: image.naturalWidth, height: image.naturalHeight }
      : overlay
        ? { width: overlay.width, height: overlay.height }
        : this.image;
    if (canvas.width !== size.width || canvas.height !== size.height) {
      canvas.width = size.width;
      canvas.height = size.height;
    }
    ctx.clearRect(0, 0, size.width, size.height);
    if (image) ctx.drawImage(image, 0, 0);
    if (overlay) {
      // Masks have the frame's size in a valid dataset; drawImage scales them if not, so the overlay still lines up.
      const layer = document.createElement('canvas');
      layer.width = overlay.width;
      layer.height = overlay.height;
      layer
        .getContext('2d')
        ?.putImageData(
          new ImageData(overlay.data as Uint8ClampedArray<ArrayBuffer>, overlay.width, overlay.height),
          0,
          0,
        );
      ctx.drawImage(layer, 0, 0, size.width, size.height);
    }
    if (index === 0 && (!this.sized || size.width !== this.image.width || size.height !== this.image.height)) {
      this.image = size;
      this.sized = true;
      for (const p of this.panes) p.viewport.style.aspectRatio = `${size.width} / ${size.height}`;
      if (this.view) this.view = clampView(this.view, size);
      this.apply();
    }
  }

  private change(view: ZoomView | undefined, final: boolean): void {
    this.view = view && view.zoom > 1 ? view : undefined;
    this.apply();
    this.onViewChange(this.view, final);
  }

  /** Places every visible canvas for the current view and viewport size. */
  private apply(): void {
    const view = this.view ?? fitView(this.image);
    for (const pane of this.panes.slice(0, this.visible)) {
      const viewport = { width: pane.viewport.clientWidth, height: pane.viewport.clientHeight };
      if (viewport.width === 0 || viewport.height === 0) continue;
      const t = screenTransform(view, this.image, viewport);
      pane.canvas.style.transform = `translate(${t.tx}px, ${t.ty}px) scale(${t.scale})`;
      // Nearest neighbour once frame pixels are larger than screen pixels, so mask edges stay crisp.
      pane.canvas.classList.toggle('pixelated', t.scale > 1);
    }
    for (const pane of this.panes) pane.viewport.classList.toggle('zoomed', this.view !== undefined);
  }

  private viewportSize(pane: Pane): Size {
    return { width: pane.viewport.clientWidth, height: pane.viewport.clientHeight };
  }

  private listen(pane: Pane): void {
    pane.viewport.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const rect = pane.viewport.getBoundingClientRect();
        const dy =
          e.deltaMode === WheelEvent.DOM_DELTA_LINE
            ? e.deltaY * LINE_PX
            : e.deltaMode === WheelEvent.DOM_DELTA_PAGE
              ? e.deltaY * rect.height
              : e.deltaY;
        const view = zoomAt(
          this.view ?? fitView(this.image),
          wheelFactor(dy),
          this.image,
          this.viewportSize(pane),
          e.clientX - rect.left,
          e.clientY - rect.top,
        );
        this.change(view, false);
        this.settleSoon();
      },
      { passive: false },
    );
    // A click focuses the canvas (for its keys) but must not scroll the page: the browser scrolls a clicked element
    // into view when part of it is hidden (under the sticky header), which moved the frame away from the cursor.
    pane.viewport.addEventListener('mousedown', (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      pane.canvas.focus({ preventScroll: true });
    });
    let drag: { x: number; y: number; id: number } | undefined;
    pane.viewport.addEventListener('pointerdown', (e) => {
      if (e.button !== 0 || !this.view) return; // nothing to pan at fit; a click still focuses the canvas
      drag = { x: e.clientX, y: e.clientY, id: e.pointerId };
      pane.viewport.setPointerCapture(e.pointerId);
      pane.viewport.classList.add('dragging');
    });
    pane.viewport.addEventListener('pointermove', (e) => {
      if (!drag || e.pointerId !== drag.id || !this.view) return;
      const view = panBy(this.view, e.clientX - drag.x, e.clientY - drag.y, this.image, this.viewportSize(pane));
      drag = { ...drag, x: e.clientX, y: e.clientY };
      this.change(view, false);
    });
    const end = (e: PointerEvent) => {
      if (!drag || e.pointerId !== drag.id) return;
      drag = undefined;
      pane.viewport.classList.remove('dragging');
      this.onViewChange(this.view, true);
    };
    pane.viewport.addEventListener('pointerup', end);
    pane.viewport.addEventListener('pointercancel', end);
  }

  private settleTimer: ReturnType<typeof setTimeout> | undefined;

  /** Wheel gestures have no end event: save once the wheel has been still for a moment. */
  private settleSoon(): void {
    clearTimeout(this.settleTimer);
    this.settleTimer = setTimeout(() => this.onViewChange(this.view, true), 250);
  }
}
