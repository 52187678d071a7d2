// The Failures panel's page body (the document shell and its CSP are webviewPage's). data-testid attributes are the
// stable hooks of end-to-end tests.

import { webviewPage, type PanelHtmlInput } from '../webviews/webviewPage';

export function failuresHtml(input: PanelHtmlInput): string {
  return webviewPage(
    input,
    `<div id="app" class="failures" data-testid="failures">
  <header class="toolbar">
    <h1 id="title" class="title">Failures</h1>
    <label id="measure-label">Sort by <select id="measure" class="select" aria-label="Sort measure">
      <option value="JF">J&amp;F</option><option value="J">J</option><option value="F">F</option><option value="deltaJF">ΔJ&amp;F</option>
    </select></label>
    <label id="baseline-label">against <select id="baseline" class="select" aria-label="Run the ΔJ&amp;F is taken against"></select></label>
    <label id="order-label"><select id="order" class="select" aria-label="Order">
      <option value="worst-first">worst first</option><option value="best-first">best first</option>
    </select></label>
    <label id="compare-label" hidden>Baseline <select id="compare-baseline" class="select" aria-label="Baseline run of the comparison"></select></label>
    <span class="spacer"></span>
    <vscode-button id="compare" secondary title="Compare runs side by side (RVOS: Compare Runs…)">Compare…</vscode-button>
    <vscode-button id="leave-compare" secondary hidden>Single run</vscode-button>
    <vscode-button id="export-report" secondary title="RVOS: Export Failure Report…">Report…</vscode-button>
    <vscode-button id="export-scores" secondary title="RVOS: Export Scores…">Scores…</vscode-button>
    <vscode-button id="export-zip" secondary title="RVOS: Export Submission Zip…">Zip…</vscode-button>
    <vscode-button id="help-button" secondary title="Keyboard shortcuts (?)" aria-label="Keyboard shortcuts">?</vscode-button>
  </header>
  <div id="banner" class="banner" role="status" data-testid="failures-banner" hidden><span id="banner-text"></span><span id="banner-actions" class="banner-actions"></span></div>
  <section class="filters" aria-label="Filters">
    <vscode-textfield id="words" class="words" placeholder="Words in the expression ( / )" aria-label="Words in the expression"></vscode-textfield>
    <label>Video <input id="video" class="input" list="video-list" size="12" aria-label="Video"></label>
    <datalist id="video-list"></datalist>
    <label>Object <select id="object-category" class="select" aria-label="Object category"></select></label>
    <label>Category <select id="category" class="select" aria-label="Expression category"></select></label>
    <label id="subset-label" hidden>Subset <select id="subset" class="select" aria-label="Benchmark subset"></select></label>
    <label>Tag <select id="tag" class="select" aria-label="Tag"></select></label>
    <span class="range-group"><label><span id="range-measure">J&amp;F</span> from <input id="min" class="input number" type="number" step="0.1" aria-label="Lowest score, percent"></label>
    <label>to <input id="max" class="input number" type="number" step="0.1" aria-label="Highest score (excluded), percent"></label></span>
    <vscode-button id="clear" secondary title="Clear all filters (c)">Clear</vscode-button>
    <span id="count" class="count" data-testid="row-count" aria-live="polite"></span>
  </section>
  <details id="variants" class="variants" data-testid="variants">
    <summary>Why is my number different? Protocol variants and subsets</summary>
    <div id="variants-body" class="variants-body" aria-live="polite"></div>
  </details>
  <section id="histograms" class="histograms" aria-label="Per-expression J&amp;F histograms; a bar filters the list"></section>
  <div class="body">
    <div class="list-wrap">
      <div id="list-header" class="row header" aria-hidden="true"></div>
      <div id="viewport" class="viewport" role="listbox" tabindex="0" aria-label="Expressions" data-testid="failure-list">
        <div id="spacer" class="spacer-rows"></div>
      </div>
    </div>
    <aside id="details" class="details collapsed" aria-label="Selected expression">
      <h2 id="detail-text" class="detail-text">No expression selected</h2>
      <div id="detail-meta" class="detail-meta"></div>
      <div class="detail-actions">
        <vscode-button id="open" title="Open the clip at this frame (Enter)">Open in viewer</vscode-button>
        <vscode-button id="details-toggle" class="details-toggle" secondary aria-expanded="false" aria-controls="annotation-fields" title="Show or hide the tags and note (t, n)">Tags and note</vscode-button>
      </div>
      <div id="annotation-fields" class="annotation-fields">
        <label class="field">Tags, comma-separated (t)<vscode-textfield id="tags" data-testid="tags" aria-label="Tags, comma-separated"></vscode-textfield></label>
        <label class="field">Note (n)<vscode-textarea id="note" rows="5" data-testid="note" aria-label="Note"></vscode-textarea></label>
        <vscode-button id="save" title="Save tags and note (Ctrl+Enter)">Save</vscode-button>
        <div id="annotation-status" class="annotation-status" role="status"></div>
      </div>
    </aside>
  </div>
  <div id="help" class="help" role="dialog" aria-label="Keyboard shortcuts" tabindex="-1" data-testid="failures-help" hidden>
    <h2>Keyboard shortcuts</h2>
    <dl id="help-list"></dl>
    <p>Esc or ? closes this list.</p>
  </div>
</div>`,
  );
}
