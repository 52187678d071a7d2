// The legend of a multi-object MeViS expression beside the Ground truth toggle: each referred object with a swatch in
// its colour (the colour of its slot, as the overlay draws it), those absent from the shown frame dimmed.

import type { ClipExpression, FrameMasks } from '../../shared/clipViewer/protocol';
import { objectColour, type OverlayColours } from './paneOverlay';
import { cssRgb } from './themeColours';

/** Fills `legend` for `exp` on a frame (hidden unless the expression refers to several objects). */
export function showObjectLegend(
  legend: HTMLElement,
  exp: ClipExpression | undefined,
  frame: FrameMasks | undefined,
  colours: OverlayColours,
): void {
  const objIds = exp?.objIds ?? [];
  legend.hidden = objIds.length < 2;
  legend.replaceChildren();
  if (legend.hidden) return;
  // Until the frame's masks arrive nothing is known to be absent.
  const present = frame?.gtObjects && new Set(frame.gtObjects.map((o) => o.slot));
  objIds.forEach((objId, slot) => {
    const absent = present !== undefined && !present.has(slot);
    const item = Object.assign(document.createElement('span'), {
      className: absent ? 'legend-item absent' : 'legend-item',
      title: absent ? `object ${objId} is not in this frame` : `object ${objId}: its ground-truth outline`,
    });
    item.dataset.objId = objId;
    const swatch = Object.assign(document.createElement('span'), { className: 'swatch swatch-outline' });
    swatch.style.borderColor = cssRgb(objectColour(slot, colours));
    item.append(swatch, `object ${objId}${absent ? ' (absent)' : ''}`);
    legend.append(item);
  });
}
