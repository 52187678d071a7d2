// The clip viewer's page body (the document shell and its CSP are webviewPage's). data-testid attributes are the
// stable hooks of the end-to-end tests (test/e2e/vscode.test.ts).

import { webviewPage, type PanelHtmlInput } from '../webviews/webviewPage';

export function clipViewerHtml(input: PanelHtmlInput): string {
  return webviewPage(
    input,
    `<div id="app" class="viewer" data-testid="viewer" data-frame-index="0">
  <aside class="expressions">
    <h2 class="side-title">Expressions</h2>
    <p id="run" class="run"></p>
    <div class="expression-entry">
      <vscode-textfield id="expression-input" class="expression-input" placeholder="Type an expression, Enter runs YOFO" aria-label="New expression"></vscode-textfield>
      <div id="unknown-words" class="unknown-words" data-testid="unknown-words"></div>
    </div>
    <ul id="expression-list" class="expression-list" role="listbox" aria-label="Expressions"></ul>
  </aside>
  <main class="stage">
    <header class="sticky">
      <div id="expression-text" class="expression-text"></div>
      <div id="expression-score" class="expression-score"></div>
      <div class="frame-info"><span id="frame-info"></span> <span id="frame-score" class="frame-score"></span></div>
      <div id="user-tools" class="controls user-tools" hidden>
        <label>Ground truth <select id="link-object" class="select" data-testid="link-object" aria-label="Object whose ground truth scores this expression"></select></label>
        <vscode-button id="remove-expression" secondary>Remove expression</vscode-button>
      </div>
      <div id="yofo-status" class="yofo-status" data-testid="yofo-status" hidden>
        <progress id="yofo-progress" class="yofo-progress" max="1" value="0"></progress>
        <span id="yofo-text" class="yofo-text"></span>
        <vscode-button id="yofo-cancel" secondary>Cancel</vscode-button>
        <vscode-button id="yofo-run" secondary>Run YOFO</vscode-button>
      </div>
    </header>
    <div id="panes" class="panes" data-layout="single">
      <figure class="pane" id="pane-a">
        <figcaption id="caption-a" class="pane-caption"></figcaption>
        <div id="viewport-a" class="viewport"><canvas id="canvas" data-testid="frame-canvas" tabindex="0" aria-label="Frame with mask overlays; wheel zooms, drag pans"></canvas></div>
        <div id="pane-score-a" class="pane-score"></div>
      </figure>
      <figure class="pane" id="pane-b" hidden>
        <figcaption id="caption-b" class="pane-caption"></figcaption>
        <div id="viewport-b" class="viewport"><canvas id="canvas-b" data-testid="frame-canvas-b" tabindex="0" aria-label="Second frame pane; wheel zooms, drag pans"></canvas></div>
        <div id="pane-score-b" class="pane-score"></div>
      </figure>
    </div>
    <div class="controls playback">
      <vscode-button id="play" secondary>Play</vscode-button>
      <div class="slider-stack">
        <input id="frame-slider" class="slider" type="range" min="0" max="0" value="0" aria-label="Frame">
        <div id="frame-strip" class="frame-strip" data-testid="yofo-frames" aria-hidden="true"></div>
      </div>
      <span id="frame-label" class="frame-label"></span>
    </div>
    <div id="notes" class="notes" role="status"></div>
    <div class="controls">
      <vscode-checkbox id="show-gt" checked>Ground truth</vscode-checkbox>
      <vscode-checkbox id="show-pred" checked>Prediction</vscode-checkbox>
      <label>of <select id="source" class="select" data-testid="prediction-source" aria-label="Prediction shown"></select></label>
      <label class="opacity">Opacity <input id="opacity" class="slider" type="range" min="0" max="100" value="50" aria-label="Overlay opacity"></label>
      <vscode-single-select id="mode" aria-label="Overlay mode">
        <vscode-option value="fill">Fill</vscode-option>
        <vscode-option value="outline">Outline</vscode-option>
      </vscode-single-select>
      <vscode-checkbox id="diff" data-testid="diff-toggle" title="Difference overlay (d)">Difference</vscode-checkbox>
    </div>
    <div id="diff-legend" class="legend" data-testid="diff-legend" hidden></div>
    <div class="controls">
      <vscode-checkbox id="side-by-side" data-testid="side-by-side" title="Ground truth | prediction (s)">Side by side</vscode-checkbox>
      <label>Compare with <select id="compare-with" class="select" data-testid="compare-with" aria-label="Compare the shown prediction with"></select></label>
      <span class="zoom-tools" role="group" aria-label="Zoom">
        <vscode-button id="zoom-out" secondary title="Zoom out (-)" aria-label="Zoom out">−</vscode-button>
        <vscode-button id="zoom-fit" secondary title="Fit the frame (0)">Fit</vscode-button>
        <vscode-button id="zoom-in" secondary title="Zoom in (+)" aria-label="Zoom in">+</vscode-button>
        <span id="zoom-label" class="zoom-label" aria-live="polite"></span>
      </span>
      <vscode-button id="help-toggle" secondary title="Keyboard shortcuts (?)" aria-expanded="false" aria-controls="help">? Keys</vscode-button>
    </div>
    <div id="compare-summary" class="compare-summary" data-testid="compare-summary" hidden></div>
    <figure id="chart-wrap" class="chart-wrap">
      <figcaption id="chart-legend" class="chart-legend"></figcaption>
      <svg id="chart" class="chart" data-testid="score-chart" tabindex="0" role="img" aria-label="Scores per frame"></svg>
      <div id="chart-empty" class="chart-empty">No per-frame scores for this expression yet.</div>
    </figure>
    <section id="help" class="help" data-testid="help" role="dialog" aria-label="Keyboard shortcuts" hidden>
      <h2>Keyboard shortcuts</h2>
      <table><tbody id="help-rows"></tbody></table>
      <vscode-button id="help-close" secondary>Close</vscode-button>
    </section>
  </main>
</div>`,
  );
}
