// The clip viewer's page body (panelHtml.ts wraps it in the document shell with its CSP). Every id comes from
// VIEWER_IDS, which the webview looks its elements up by; data-testid attributes are the stable hooks of the
// end-to-end tests (test/e2e/vscode.test.ts). Laid out for half a window (media/clipViewer.css): the frame gets the
// width, the expression list goes above it when the panel is narrow, the chart and the YOFO memory / probe share one
// tabbed area under the controls, and rows that come and go keep their place so the frame never jumps.

import { VIEWER_IDS as ID } from './elementIds';

export function viewerMarkup(): string {
  return `<div id="${ID.app}" class="viewer" data-testid="viewer" data-frame-index="0">
  <aside class="expressions">
    <h2 class="side-title">Expressions</h2>
    <p id="${ID.run}" class="run"></p>
    <div class="expression-entry">
      <vscode-textfield id="${ID.expressionInput}" class="expression-input" placeholder="New expression (Enter runs YOFO)" aria-label="New expression: Enter runs YOFO on it"></vscode-textfield>
      <div id="${ID.unknownWords}" class="unknown-words" data-testid="unknown-words"></div>
    </div>
    <div id="${ID.userTools}" class="user-tools" hidden>
      <label>Ground truth <select id="${ID.linkObject}" class="select" data-testid="link-object" aria-label="Object whose ground truth scores this expression"></select></label>
      <vscode-button id="${ID.removeExpression}" secondary>Remove</vscode-button>
    </div>
    <ul id="${ID.expressionList}" class="expression-list" role="listbox" aria-label="Expressions"></ul>
  </aside>
  <main class="stage">
    <header class="stage-header">
      <div id="${ID.expressionText}" class="expression-text"></div>
      <div id="${ID.expressionScore}" class="expression-score"></div>
      <div class="frame-info"><span id="${ID.frameInfo}"></span> <span id="${ID.frameScore}" class="frame-score"></span></div>
      <div id="${ID.yofoStatus}" class="yofo-status" data-testid="yofo-status" hidden>
        <progress id="${ID.yofoProgress}" class="yofo-progress" max="1" value="0"></progress>
        <span id="${ID.yofoText}" class="yofo-text"></span>
        <vscode-button id="${ID.yofoCancel}" secondary>Cancel</vscode-button>
        <vscode-button id="${ID.yofoRun}" secondary>Run YOFO</vscode-button>
      </div>
    </header>
    <div id="${ID.panes}" class="panes" data-layout="single">
      <figure class="pane" id="${ID.paneA}">
        <figcaption id="${ID.captionA}" class="pane-caption"></figcaption>
        <div id="${ID.viewportA}" class="viewport"><canvas id="${ID.canvasA}" data-testid="frame-canvas" tabindex="0" aria-label="Frame with mask overlays; wheel zooms, drag pans"></canvas></div>
        <div id="${ID.paneScoreA}" class="pane-score"></div>
      </figure>
      <figure class="pane" id="${ID.paneB}" hidden>
        <figcaption id="${ID.captionB}" class="pane-caption"></figcaption>
        <div id="${ID.viewportB}" class="viewport"><canvas id="${ID.canvasB}" data-testid="frame-canvas-b" tabindex="0" aria-label="Second frame pane; wheel zooms, drag pans"></canvas></div>
        <div id="${ID.paneScoreB}" class="pane-score"></div>
      </figure>
    </div>
    <div class="controls playback">
      <vscode-button id="${ID.play}" secondary>Play</vscode-button>
      <div class="slider-stack">
        <input id="${ID.frameSlider}" class="slider" type="range" min="0" max="0" value="0" aria-label="Frame">
        <div id="${ID.frameStrip}" class="frame-strip" data-testid="yofo-frames" aria-hidden="true"></div>
      </div>
      <span id="${ID.frameLabel}" class="frame-label"></span>
    </div>
    <div id="${ID.notes}" class="notes" role="status"></div>
    <div class="controls">
      <span class="toggle"><span id="${ID.gtSwatch}" class="swatch swatch-outline" data-testid="gt-swatch" aria-hidden="true"></span><vscode-checkbox id="${ID.showGt}" checked title="Ground truth: drawn as an outline with a dark edge">Ground truth</vscode-checkbox></span>
      <span id="${ID.gtObjects}" class="object-legend" data-testid="gt-objects" aria-label="Referred objects" hidden></span>
      <span class="toggle"><span id="${ID.predSwatch}" class="swatch swatch-fill" data-testid="pred-swatch" aria-hidden="true"></span><vscode-checkbox id="${ID.showPred}" checked title="Prediction: drawn as a fill (an outline in Outline mode)">Prediction</vscode-checkbox></span>
      <label class="source">of <select id="${ID.source}" class="select" data-testid="prediction-source" aria-label="Prediction shown"></select></label>
      <label class="opacity">Opacity <input id="${ID.opacity}" class="slider" type="range" min="0" max="100" value="50" aria-label="Overlay opacity"></label>
      <vscode-single-select id="${ID.mode}" aria-label="Overlay mode">
        <vscode-option value="fill">Fill</vscode-option>
        <vscode-option value="outline">Outline</vscode-option>
      </vscode-single-select>
      <vscode-checkbox id="${ID.diff}" data-testid="diff-toggle" title="Difference overlay (d)">Difference</vscode-checkbox>
    </div>
    <div id="${ID.diffLegend}" class="legend" data-testid="diff-legend" hidden></div>
    <div class="controls">
      <vscode-checkbox id="${ID.sideBySide}" data-testid="side-by-side" title="Ground truth | prediction (s)">Side by side</vscode-checkbox>
      <label>Compare with <select id="${ID.compareWith}" class="select" data-testid="compare-with" aria-label="Compare the shown prediction with"></select></label>
      <span class="zoom-tools" role="group" aria-label="Zoom">
        <vscode-button id="${ID.zoomOut}" secondary title="Zoom out (-)" aria-label="Zoom out">−</vscode-button>
        <vscode-button id="${ID.zoomFit}" secondary title="Fit the frame (0)">Fit</vscode-button>
        <vscode-button id="${ID.zoomIn}" secondary title="Zoom in (+)" aria-label="Zoom in">+</vscode-button>
        <span id="${ID.zoomLabel}" class="zoom-label" aria-live="polite"></span>
      </span>
      <vscode-button id="${ID.helpToggle}" secondary title="Keyboard shortcuts (?)" aria-expanded="false" aria-controls="${ID.help}">? Keys</vscode-button>
    </div>
    <div id="${ID.insightBar}" class="insight-bar"></div>
    <div id="${ID.compareSummary}" class="compare-summary" data-testid="compare-summary" hidden></div>
    <div class="tabs" role="tablist" aria-label="Analysis">
      <button id="${ID.tabScores}" class="tab" role="tab" type="button" aria-selected="true" aria-controls="${ID.chartWrap}">Scores per frame</button>
      <button id="${ID.tabInsight}" class="tab" role="tab" type="button" aria-selected="false" aria-controls="${ID.insightPanel}" data-testid="insight-tab">Memory &amp; probe</button>
    </div>
    <figure id="${ID.chartWrap}" class="chart-wrap tab-panel" role="tabpanel" aria-labelledby="${ID.tabScores}">
      <figcaption id="${ID.chartLegend}" class="chart-legend"></figcaption>
      <svg id="${ID.chart}" class="chart" data-testid="score-chart" tabindex="0" role="img" aria-label="Scores per frame"></svg>
      <div id="${ID.chartEmpty}" class="chart-empty">No per-frame scores for this expression yet.</div>
    </figure>
    <section id="${ID.insightPanel}" class="yofo-insight tab-panel" role="tabpanel" aria-labelledby="${ID.tabInsight}" hidden></section>
    <section id="${ID.help}" class="help" data-testid="help" role="dialog" aria-label="Keyboard shortcuts" hidden>
      <h2>Keyboard shortcuts</h2>
      <table><tbody id="${ID.helpRows}"></tbody></table>
      <vscode-button id="${ID.helpClose}" secondary>Close</vscode-button>
    </section>
  </main>
</div>`;
}
