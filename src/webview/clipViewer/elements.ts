// The viewer's elements, looked up once by the ids the page markup was built with (shared/clipViewer/elementIds.ts).

import { VIEWER_IDS, type ViewerElement } from '../../shared/clipViewer/elementIds';
import type { Pane } from './stage';

function byId<T extends Element = HTMLElement>(name: ViewerElement): T {
  const node = document.getElementById(VIEWER_IDS[name]);
  if (!node) throw new Error(`the viewer page has no #${VIEWER_IDS[name]}`);
  return node as unknown as T;
}

type Checkbox = HTMLElement & { checked: boolean };
type ValueElement = HTMLElement & { value: string };

export function viewerElements() {
  return {
    list: byId<HTMLUListElement>('expressionList'),
    run: byId<HTMLParagraphElement>('run'),
    text: byId<HTMLDivElement>('expressionText'),
    viewer: byId<HTMLDivElement>('app'),
    info: byId<HTMLSpanElement>('frameInfo'),
    frameScore: byId<HTMLSpanElement>('frameScore'),
    expressionScore: byId<HTMLDivElement>('expressionScore'),
    notes: byId<HTMLDivElement>('notes'),
    play: byId('play'),
    slider: byId<HTMLInputElement>('frameSlider'),
    frameLabel: byId<HTMLSpanElement>('frameLabel'),
    showGt: byId<Checkbox>('showGt'),
    showPred: byId<Checkbox>('showPred'),
    gtSwatch: byId<HTMLSpanElement>('gtSwatch'),
    gtObjects: byId<HTMLSpanElement>('gtObjects'),
    predSwatch: byId<HTMLSpanElement>('predSwatch'),
    opacity: byId<HTMLInputElement>('opacity'),
    mode: byId<ValueElement>('mode'),
    input: byId<ValueElement>('expressionInput'),
    unknownWords: byId<HTMLDivElement>('unknownWords'),
    userTools: byId<HTMLDivElement>('userTools'),
    linkObject: byId<HTMLSelectElement>('linkObject'),
    removeExpression: byId('removeExpression'),
    yofoStatus: byId<HTMLDivElement>('yofoStatus'),
    yofoProgress: byId<HTMLProgressElement>('yofoProgress'),
    yofoText: byId<HTMLSpanElement>('yofoText'),
    yofoCancel: byId('yofoCancel'),
    yofoRun: byId('yofoRun'),
    source: byId<HTMLSelectElement>('source'),
    strip: byId<HTMLDivElement>('frameStrip'),
    panes: byId<HTMLDivElement>('panes'),
    diff: byId<Checkbox>('diff'),
    legend: byId<HTMLDivElement>('diffLegend'),
    sideBySide: byId<Checkbox>('sideBySide'),
    compareWith: byId<HTMLSelectElement>('compareWith'),
    compareSummary: byId<HTMLDivElement>('compareSummary'),
    zoomIn: byId('zoomIn'),
    zoomOut: byId('zoomOut'),
    zoomFit: byId('zoomFit'),
    zoomLabel: byId<HTMLSpanElement>('zoomLabel'),
    chart: byId<SVGSVGElement>('chart'),
    chartLegend: byId('chartLegend'),
    chartEmpty: byId<HTMLDivElement>('chartEmpty'),
    chartWrap: byId('chartWrap'),
    insightBar: byId('insightBar'),
    insightPanel: byId('insightPanel'),
    tabScores: byId('tabScores'),
    tabInsight: byId('tabInsight'),
    help: byId('help'),
    helpRows: byId<HTMLTableSectionElement>('helpRows'),
    helpToggle: byId('helpToggle'),
    helpClose: byId('helpClose'),
  };
}

export type ViewerUi = ReturnType<typeof viewerElements>;

/** The two frame panes (the second shows in side-by-side and comparison layouts). */
export function viewerPanes(): Pane[] {
  const ids = {
    a: ['paneA', 'captionA', 'viewportA', 'canvasA', 'paneScoreA'],
    b: ['paneB', 'captionB', 'viewportB', 'canvasB', 'paneScoreB'],
  } as const;
  return (['a', 'b'] as const).map((k) => {
    const [root, caption, viewport, canvas, score] = ids[k];
    return {
      root: byId(root),
      caption: byId(caption),
      viewport: byId<HTMLDivElement>(viewport),
      canvas: byId<HTMLCanvasElement>(canvas),
      score: byId<HTMLDivElement>(score),
    };
  });
}
