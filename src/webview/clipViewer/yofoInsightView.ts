// YOFO insight on screen: the W map of the shown frame as a heat layer over each frame pane (toggle: `w` or the
// button), the memory strip (the frames the meta-transfer fit used for this frame; click one to go there), and the
// expression probe (button or RVOS: Probe Expression; a table of variants with J&F and ΔJ&F, streamed, cancellable).
// main.ts mounts it with a few calls; the W layers are own canvases stacked on the frame canvases that copy their
// placement (stage.ts zooms and pans by CSS transform), so the frame drawing code does not change.

import type { WebviewMessage, ProbeNotification } from '../../shared/clipViewer/protocol';
import { el, isTextEntry } from '../shared/dom';
import { onThemeChange, resolveCss } from '../shared/theme';
import { cssRgb } from './themeColours';
import {
  heatRamp,
  insightSummary,
  isWeightMapKey,
  memoryChips,
  weightMapFromMessage,
  weightMapPixels,
  weightScale,
  weightText,
  weightTicks,
  type WeightScale,
} from './yofoInsight';
import { ProbeRun, probeStatusText, probeTableRows } from './yofoInsightProbe';
import type { YofoResult } from './yofoResults';

/** What the viewer shows now, as the insight needs it. */
export interface InsightContext {
  frames: readonly string[];
  frameIndex: number;
  expId?: string;
  hasGroundTruth: boolean;
  /** The selected expression's YOFO result, if YOFO ran on it. */
  result?: YofoResult;
}

export interface InsightHost {
  context(): InsightContext | undefined;
  seek(frameIndex: number): void;
  post(message: WebviewMessage): void;
  /** The frame canvases (one per pane) the W map is laid over. */
  canvases: readonly HTMLCanvasElement[];
  /** Where the W toggle, the W colour bar and the probe button go (beside the frame's controls). */
  bar: HTMLElement;
  /** Where the memory strip and the probe table go (a tab under the controls). */
  panel: HTMLElement;
  /** Brings the panel into view (its tab): after w turns the W map on, or a probe starts. */
  showPanel(): void;
}

export interface YofoInsightView {
  /** Redraws the W layers and the memory strip for the current frame and expression. */
  update(): void;
  /** Handles the host's probe messages (and probeSelected: RVOS: Probe Expression). */
  onProbe(message: ProbeNotification): void;
}

/** Opacity of the W heat layer where W = 1. */
const W_OPACITY = 0.6;
const pct = (x: number) => (x * 100).toFixed(1);

/** A canvas stacked on `frame` that follows its size and CSS placement. */
function weightLayer(frame: HTMLCanvasElement): HTMLCanvasElement {
  const layer = el('canvas', { className: 'w-layer', hidden: true });
  layer.setAttribute('aria-hidden', 'true');
  layer.dataset.testid = 'w-layer';
  frame.after(layer);
  const follow = () => {
    layer.style.width = `${frame.width}px`;
    layer.style.height = `${frame.height}px`;
    layer.style.transform = frame.style.transform;
  };
  new MutationObserver(follow).observe(frame, { attributes: true, attributeFilter: ['style', 'width', 'height'] });
  follow();
  return layer;
}

export function mountYofoInsight(host: InsightHost): YofoInsightView {
  let showW = false;
  let ramp = heatRamp(resolveCss);
  const probe = new ProbeRun();
  const layers = host.canvases.map(weightLayer);

  const wToggle = el(
    'vscode-button' as 'button',
    { title: "Show / hide YOFO's soft weight map W for this frame (key w)" },
    'W map',
  );
  wToggle.setAttribute('secondary', '');
  wToggle.dataset.testid = 'w-toggle';
  // The colour bar: the ramp with the real W at its ends and middle (this frame's 2nd–98th percentile), or a note
  // when W is flat. Always in the bar's row (hidden by visibility), so showing it never moves what follows.
  const legendRamp = el('span', { className: 'w-ramp' });
  const ticks = [0, 1, 2].map(() => el('span', { className: 'w-tick' }));
  const colourBar = el(
    'span',
    { className: 'w-colourbar' },
    legendRamp,
    el('span', { className: 'w-ticks' }, ...ticks),
  );
  const legendText = el('span', { className: 'w-legend-text' });
  const legend = el('span', { className: 'w-legend' }, colourBar, legendText);
  legend.dataset.testid = 'w-legend';
  const probeButton = el('vscode-button' as 'button', {}, 'Probe expression');
  probeButton.setAttribute('secondary', '');
  probeButton.dataset.testid = 'probe-button';
  const summary = el('span', { className: 'memory-summary' });
  const chips = el('span', { className: 'memory-chips' });
  const memory = el('div', { className: 'memory-strip' }, summary, chips);
  memory.dataset.testid = 'memory-strip';
  memory.setAttribute('role', 'group');
  memory.setAttribute('aria-label', 'Memory frames the fit used for this frame');
  const probeStatus = el('span', { className: 'probe-status' });
  const probeCancel = el('vscode-button' as 'button', { hidden: true }, 'Cancel probe');
  probeCancel.setAttribute('secondary', '');
  const probeBody = el('tbody');
  const probeTable = el(
    'table',
    { className: 'probe-table' },
    el('thead', {}, el('tr', {}, ...['Text', 'Change', 'J&F', 'ΔJ&F'].map((h) => el('th', { scope: 'col' }, h)))),
    probeBody,
  );
  probeTable.dataset.testid = 'probe-table';
  const probePanel = el(
    'div',
    { className: 'probe', hidden: true },
    el('div', { className: 'probe-head' }, probeStatus, probeCancel),
    probeTable,
  );
  host.bar.append(wToggle, probeButton, legend);
  host.panel.append(memory, probePanel);
  host.panel.setAttribute('aria-label', 'YOFO insight: memory frames, probing');

  function drawLayers(ctx: InsightContext | undefined): WeightScale | undefined {
    const insight = ctx?.result?.insights.get(ctx.frameIndex);
    const map = insight && weightMapFromMessage(insight.weight);
    const scale = map && weightScale(map);
    for (const layer of layers) {
      layer.hidden = !showW || !map || !scale || scale.flat;
      if (layer.hidden || !map) continue;
      layer.width = map.width;
      layer.height = map.height;
      layer
        .getContext('2d')
        ?.putImageData(new ImageData(weightMapPixels(map, ramp, W_OPACITY, scale), map.width, map.height), 0, 0);
    }
    return scale;
  }

  function drawLegend(ctx: InsightContext | undefined, scale: WeightScale | undefined): void {
    const insight = ctx?.result?.insights.get(ctx.frameIndex);
    legend.style.visibility = showW ? 'visible' : 'hidden';
    legendRamp.style.background = `linear-gradient(to right, ${ramp.map(cssRgb).join(', ')})`;
    colourBar.hidden = !scale || scale.flat;
    legend.dataset.flat = String(scale?.flat === true);
    if (!insight || !scale) {
      legendText.textContent = ctx?.result
        ? 'no W map for this frame yet'
        : 'no W map: YOFO has not run on this expression';
      return;
    }
    if (scale.flat) {
      legendText.textContent = `W is flat on this frame (${weightText(scale.lo)}–${weightText(scale.hi)} almost everywhere): the fit weights every pixel alike`;
      return;
    }
    weightTicks(scale).forEach((t, i) => (ticks[i].textContent = t));
    legendText.textContent = `W on this frame (2nd–98th percentile; mean ${insight.meanWeight.toFixed(3)})`;
  }

  function drawMemory(ctx: InsightContext | undefined): void {
    const insight = ctx?.result?.insights.get(ctx.frameIndex);
    wToggle.setAttribute('aria-pressed', String(showW));
    if (!ctx?.result || !insight) {
      summary.textContent = ctx?.result
        ? 'YOFO has not reached this frame yet'
        : 'Run YOFO on this expression to see its W map and memory frames';
      chips.replaceChildren();
      return;
    }
    summary.textContent = insightSummary(insight);
    chips.replaceChildren(
      ...memoryChips(insight, ctx.frames).map((c) => {
        const chip = el('button', { className: 'memory-chip', type: 'button', title: c.title }, c.label);
        chip.addEventListener('click', () => host.seek(c.frame));
        return chip;
      }),
    );
  }

  function renderProbe(): void {
    const ctx = host.context();
    const canProbe = ctx?.expId !== undefined && ctx.hasGroundTruth;
    probeButton.toggleAttribute('disabled', !canProbe || probe.busy);
    probeButton.title = canProbe
      ? 'Run YOFO on variants of this expression (each word dropped, left↔right and top↔bottom swapped, colour words removed) and compare J&F'
      : 'Probing compares J&F, so it needs an expression with ground truth';
    const s = probe.state;
    probePanel.hidden = !s;
    if (!s) return;
    probeStatus.textContent = probeStatusText(s);
    probeCancel.hidden = !probe.busy;
    probeBody.replaceChildren(
      ...probeTableRows(s).map((r) => {
        const tr = el(
          'tr',
          {
            className: r.original
              ? 'probe-original'
              : r.delta !== undefined && r.delta < 0
                ? 'probe-worse'
                : r.delta !== undefined && r.delta > 0
                  ? 'probe-better'
                  : '',
          },
          el('td', {}, r.text),
          el('td', {}, r.change),
          el('td', { className: 'num' }, r.JF === undefined ? '…' : pct(r.JF)),
          el(
            'td',
            { className: 'num' },
            r.delta === undefined ? '' : `${r.delta > 0 ? '+' : r.delta < 0 ? '−' : '±'}${pct(Math.abs(r.delta))}`,
          ),
        );
        if (r.JF !== undefined) tr.dataset.jf = String(r.JF);
        return tr;
      }),
    );
  }

  function startProbe(): void {
    const ctx = host.context();
    if (!ctx?.expId) return;
    host.showPanel();
    if (!ctx.hasGroundTruth) {
      probe.clear();
      probePanel.hidden = false;
      probeStatus.textContent = 'Probe: this expression has no ground truth; probing compares J&F, so it needs one';
      probeBody.replaceChildren();
      return;
    }
    if (probe.busy) host.post({ type: 'cancelProbe', probeId: probe.state!.probeId });
    host.post({ type: 'runProbe', probeId: probe.begin(ctx.expId), expId: ctx.expId });
    renderProbe();
  }

  function update(): void {
    const ctx = host.context();
    drawLegend(ctx, drawLayers(ctx));
    drawMemory(ctx);
    renderProbe();
  }

  function toggleW(): void {
    showW = !showW;
    if (showW) host.showPanel();
    update();
  }

  wToggle.addEventListener('click', toggleW);
  probeButton.addEventListener('click', startProbe);
  probeCancel.addEventListener(
    'click',
    () => probe.busy && host.post({ type: 'cancelProbe', probeId: probe.state!.probeId }),
  );
  document.addEventListener('keydown', (e) => {
    if (!isWeightMapKey(e.key) || e.ctrlKey || e.metaKey || e.altKey || isTextEntry(e.target)) return;
    e.preventDefault();
    toggleW();
  });
  onThemeChange(() => {
    ramp = heatRamp(resolveCss);
    update();
  });

  return {
    update,
    onProbe(m) {
      if (m.type === 'probeSelected') startProbe();
      else if (probe.apply(m)) renderProbe();
    },
  };
}
