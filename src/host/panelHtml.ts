// The clip viewer's HTML shell: strict CSP (nonce for the one module script and the stylesheet link), no inline code.
// Pure (takes URIs as strings) so the CSP is unit-tested. data-testid attributes are the stable hooks of the
// end-to-end tests (test/e2e/vscode.test.ts).
//
// vscode-elements (Lit) style their shadow roots with constructable stylesheets (adoptedStyleSheets), which CSP
// style-src does not govern, and set dynamic styles through the CSSOM (element.style), which it allows; so no
// 'unsafe-inline' is needed.

import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

export interface PanelHtmlInput {
  /** `webview.cspSource` */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce?: string;
  title: string;
}

export function makeNonce(): string {
  return randomBytes(18).toString('base64');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `img-src ${cspSource} data: blob:`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    `font-src ${cspSource}`,
  ].join('; ');
}

/**
 * The only folders a webview may load files from (its `localResourceRoots`): the extension's bundle and styles and,
 * for a clip viewer, the opened dataset (its frames). Never the workspace as a whole or the file system root.
 */
export function localResourceFolders(extensionRoot: string, datasetRoot?: string): string[] {
  const folders = [path.join(extensionRoot, 'dist'), path.join(extensionRoot, 'media')];
  return datasetRoot === undefined ? folders : [...folders, path.resolve(datasetRoot)];
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function panelHtml(input: PanelHtmlInput): string {
  const nonce = input.nonce ?? makeNonce();
  const attr = escapeHtml;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(contentSecurityPolicy(input.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" nonce="${attr(nonce)}" href="${attr(input.styleUri)}">
<title>${escapeHtml(input.title)}</title>
</head>
<body>
<div id="app" class="viewer" data-testid="viewer" data-frame-index="0">
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
</div>
<script type="module" nonce="${attr(nonce)}" src="${attr(input.scriptUri)}"></script>
</body>
</html>`;
}
