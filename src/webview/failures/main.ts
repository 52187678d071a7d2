// The Failures panel webview: a virtualised worst-first list of the split's expressions (rows fetched a page at a
// time), the sort measure and the filters, the J&F histograms (a bar filters the list), tags and notes of the selected
// expression, and the keys of keys.ts. Talks to the host only through failuresProtocol; keeps its query with setState.

import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import {
  FAILURES_REQUEST_ANSWERS,
  isFailuresHostMessage,
  isFailuresResponse,
  isFailuresQuery,
  isMeasure,
  parseTags,
  type FailureRow,
  type FailuresContext,
  type FailuresQuery,
  type FailuresRequest,
  type FailuresWebviewMessage,
  type HistogramView,
  type PanelAction,
  type PanelCommand,
  type RangeFilter,
} from '../../shared/failures/protocol';
import {
  countText,
  isSecondaryColumn,
  MEASURE_LABELS,
  rangeFromInputs,
  rangeInputs,
  rangeLabel,
  rowMeta,
  scoreCells,
  scoreHeaders,
} from './format';
import { histogramCard } from './histogramChart';
import { variantsTable } from './variantsTable';
import { failuresKeyAction, SHORTCUTS } from './keys';
import { moveSelection, PageCache, scrollToShow, visibleRange } from './rowWindow';
import { RpcChannel } from '../shared/rpc';

interface SavedState {
  query: FailuresQuery;
  selected: number;
  /** The category whose histogram bar set the range (the list is filtered to it too). */
  binCategory?: string;
  /** The runs compared (read by the host's serializer after a reload). */
  compareRuns?: string[];
  /** The narrow layout's drawer shows the tags and note. */
  annotationsOpen?: boolean;
}

interface VsCodeApi {
  postMessage(message: FailuresWebviewMessage): void;
  getState(): unknown;
  setState(state: SavedState): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** Must match `.row` in media/failures.css. */
const ROW_HEIGHT = 46;

const vscode = acquireVsCodeApi();
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
type ValueElement = HTMLElement & { value: string; disabled: boolean };
const ui = {
  title: $<HTMLHeadingElement>('title'),
  measure: $<HTMLSelectElement>('measure'),
  measureLabel: $<HTMLLabelElement>('measure-label'),
  baseline: $<HTMLSelectElement>('baseline'),
  baselineLabel: $<HTMLLabelElement>('baseline-label'),
  order: $<HTMLSelectElement>('order'),
  orderLabel: $<HTMLLabelElement>('order-label'),
  compareLabel: $<HTMLLabelElement>('compare-label'),
  compareBaseline: $<HTMLSelectElement>('compare-baseline'),
  compare: $<HTMLElement>('compare'),
  leaveCompare: $<HTMLElement>('leave-compare'),
  exportReport: $<HTMLElement>('export-report'),
  exportScores: $<HTMLElement>('export-scores'),
  exportZip: $<HTMLElement>('export-zip'),
  helpButton: $<HTMLElement>('help-button'),
  banner: $<HTMLDivElement>('banner'),
  bannerText: $<HTMLSpanElement>('banner-text'),
  bannerActions: $<HTMLSpanElement>('banner-actions'),
  app: $<HTMLDivElement>('app'),
  words: $<ValueElement>('words'),
  video: $<HTMLInputElement>('video'),
  videoList: $<HTMLDataListElement>('video-list'),
  objectCategory: $<HTMLSelectElement>('object-category'),
  category: $<HTMLSelectElement>('category'),
  subset: $<HTMLSelectElement>('subset'),
  subsetLabel: $<HTMLLabelElement>('subset-label'),
  variants: $<HTMLDetailsElement>('variants'),
  variantsBody: $<HTMLDivElement>('variants-body'),
  tag: $<HTMLSelectElement>('tag'),
  rangeMeasure: $<HTMLSpanElement>('range-measure'),
  min: $<HTMLInputElement>('min'),
  max: $<HTMLInputElement>('max'),
  clear: $<HTMLElement>('clear'),
  count: $<HTMLSpanElement>('count'),
  histograms: $<HTMLElement>('histograms'),
  header: $<HTMLDivElement>('list-header'),
  viewport: $<HTMLDivElement>('viewport'),
  spacer: $<HTMLDivElement>('spacer'),
  detailText: $<HTMLHeadingElement>('detail-text'),
  detailMeta: $<HTMLDivElement>('detail-meta'),
  open: $<HTMLElement>('open'),
  details: $<HTMLElement>('details'),
  detailsToggle: $<HTMLElement>('details-toggle'),
  tags: $<ValueElement>('tags'),
  note: $<ValueElement>('note'),
  save: $<HTMLElement>('save'),
  annotationStatus: $<HTMLDivElement>('annotation-status'),
  help: $<HTMLDivElement>('help'),
  helpList: $<HTMLDListElement>('help-list'),
};

const saved = vscode.getState() as Partial<SavedState> | undefined;
let query: FailuresQuery =
  saved && isFailuresQuery(saved.query) ? saved.query : { measure: 'JF', order: 'worst-first' };
let selected = typeof saved?.selected === 'number' ? saved.selected : 0;
let binCategory = typeof saved?.binCategory === 'string' ? saved.binCategory : undefined;
let annotationsOpen = saved?.annotationsOpen === true;
let context: FailuresContext | undefined;
let total = 0;
let histograms: HistogramView[] = [];
const cache = new PageCache<FailureRow>();
/** The row whose tags and note are in the fields, and whether they were edited since. */
let editing: FailureRow | undefined;
let dirty = false;

const rpc = new RpcChannel(
  (m: FailuresRequest) => vscode.postMessage(m),
  () => void refresh(),
  isFailuresResponse,
  FAILURES_REQUEST_ANSWERS,
);
window.addEventListener('message', (e: MessageEvent<unknown>) => {
  if (isFailuresHostMessage(e.data)) rpc.receive(e.data);
});

function saveState(): void {
  vscode.setState({
    query,
    selected,
    ...(binCategory === undefined ? {} : { binCategory }),
    compareRuns: context?.compareRuns ?? [],
    annotationsOpen,
  });
}

function post(command: PanelCommand, args?: string[]): void {
  vscode.postMessage({ type: 'command', command, ...(args ? { args } : {}) });
}

const option = (value: string, text: string) =>
  Object.assign(document.createElement('option'), { value, textContent: text });

function fillSelect(select: HTMLSelectElement, all: string, names: readonly string[], value: string | undefined): void {
  select.replaceChildren(option('', all), ...names.map((n) => option(n, n)));
  select.value = value !== undefined && names.includes(value) ? value : '';
}

/** Fetches the context (runs, choices), then the rows: on load and whenever the host says something changed. */
async function refresh(): Promise<void> {
  try {
    context = (await rpc.request({ type: 'getContext' })).context;
  } catch (err) {
    showBanner(err instanceof Error ? err.message : String(err));
    return;
  }
  renderContext();
  variantsShown = undefined; // scores, runs or the split changed: the table is recomputed when looked at
  variantsRequest++;
  if (ui.variants.open) void showVariants();
  await reload(false);
}

/** The run whose variant table is in the section, or being computed (undefined: none, or out of date). */
let variantsShown: string | undefined;
/** Counts the requests: only the latest one's answer (or failure) is shown. */
let variantsRequest = 0;

/** Asks the host for the listed run's variant table (one scoring of the run) and shows it. */
async function showVariants(): Promise<void> {
  const run = context?.mode === 'single' ? context.run : undefined;
  if (run === undefined) {
    ui.variantsBody.textContent = 'The variant table is for one run: leave compare mode, or score a run.';
    return;
  }
  if (variantsShown === run) return;
  variantsShown = run;
  const request = ++variantsRequest;
  ui.variantsBody.textContent = `Re-scoring "${run}" under each variant (reads every mask of the run)…`;
  try {
    const { table } = await rpc.request({ type: 'variants' });
    if (request === variantsRequest) ui.variantsBody.replaceChildren(...variantsTable(table));
  } catch (err) {
    if (request !== variantsRequest) return;
    variantsShown = undefined;
    ui.variantsBody.textContent = err instanceof Error ? err.message : String(err);
  }
}

function renderContext(): void {
  const c = context!;
  const compare = c.mode === 'compare';
  ui.title.textContent = compare
    ? `Compare: ${c.compareRuns.join(' · ')}`
    : `Failures${c.run ? ` · ${c.run}` : ''}${c.split ? ` · ${c.split}` : ''}`;
  ui.measureLabel.hidden = ui.baselineLabel.hidden = ui.orderLabel.hidden = compare;
  ui.compareLabel.hidden = ui.leaveCompare.hidden = !compare;
  const others = c.runs.filter((r) => r.name !== c.run && r.scored > 0).map((r) => r.name);
  if (query.baseline !== undefined && !others.includes(query.baseline)) query = { ...query, baseline: undefined };
  if (query.measure === 'deltaJF' && query.baseline === undefined && others.length > 0)
    query = { ...query, baseline: others[0] };
  ui.baseline.replaceChildren(
    option('', others.length ? 'no other run' : 'no other scored run'),
    ...others.map((n) => option(n, n)),
  );
  ui.baseline.value = query.baseline ?? '';
  ui.baseline.disabled = others.length === 0;
  ui.measure.value = query.measure;
  ui.order.value = query.order;
  ui.compareBaseline.replaceChildren(...c.compareRuns.map((n) => option(n, n)));
  ui.compareBaseline.value = c.compareRuns[0] ?? '';
  ui.videoList.replaceChildren(...c.videos.map((v) => option(v, v)));
  ui.video.value = query.video ?? '';
  fillSelect(ui.objectCategory, 'any', c.objectCategories, query.objectCategory);
  fillSelect(ui.category, 'any', c.categories, query.category);
  fillSelect(ui.subset, 'any', c.subsets, query.subset);
  ui.subsetLabel.hidden = c.subsets.length === 0;
  fillSelect(ui.tag, c.tags.length ? 'any' : 'no tags yet', c.tags, query.tag);
  ui.objectCategory.disabled = c.objectCategories.length === 0;
  ui.category.disabled = c.categories.length === 0;
  ui.tags.disabled = ui.note.disabled = ui.save.hidden = c.annotationsProblem !== undefined;
  ui.annotationStatus.textContent = c.annotationsProblem ?? (c.annotationsFile ? `Kept in ${c.annotationsFile}` : '');
  // Nothing to list: only the reason and the buttons that get there (no empty list, filters or Save beside them).
  ui.app.classList.toggle('empty', c.empty !== undefined);
  ui.compare.hidden = compare || c.empty !== undefined || c.runs.length < 2;
  ui.exportReport.hidden = ui.exportScores.hidden = ui.exportZip.hidden = c.empty !== undefined;
  const run = c.runs.find((r) => r.name === c.run);
  if (c.empty) showBanner(c.empty, c.emptyActions);
  else if (!compare && run && !run.complete) {
    showBanner(`"${run.name}" is scored on ${run.scored} of ${c.expressions} expressions (the clips opened so far).`, [
      { label: 'Score Whole Split', command: 'rvos.scoreRun', args: [run.name] },
    ]);
  } else if (!compare && run?.skipped) {
    showBanner(
      `Partial: ${run.skipped} expression${run.skipped === 1 ? '' : 's'} of "${run.name}" cannot be scored and ${run.skipped === 1 ? 'is' : 'are'} left out of its J&F.`,
      [{ label: 'Show Problems', command: 'rvos.showProblems' }],
    );
  } else if (query.measure === 'deltaJF' && query.baseline === undefined) {
    showBanner('ΔJ&F needs a second scored run to compare with.', [
      { label: 'Run YOFO on Split…', command: 'rvos.runYofoOnSplit' },
      { label: 'Import Predictions…', command: 'rvos.importPredictions' },
    ]);
  } else showBanner(undefined);
  const headers = scoreHeaders(c.mode, c.compareRuns, compare ? undefined : query.baseline);
  const expressionHeader = compare
    ? 'Expression (largest regression first)'
    : `Expression (${query.order === 'worst-first' ? 'worst' : 'best'} ${MEASURE_LABELS[query.measure]} first)`;
  const listWrap = ui.viewport.parentElement!;
  listWrap.style.setProperty('--score-columns', String(headers.length));
  listWrap.style.setProperty(
    '--narrow-score-columns',
    String(headers.filter((_, k) => !isSecondaryColumn(c.mode, k)).length),
  );
  ui.header.replaceChildren(
    Object.assign(document.createElement('span'), { className: 'rank', textContent: '#' }),
    Object.assign(document.createElement('span'), {
      className: 'main',
      textContent: expressionHeader,
      title: expressionHeader,
    }),
    ...headers.map((h, k) =>
      Object.assign(document.createElement('span'), { className: scoreClass(c.mode, k), textContent: h, title: h }),
    ),
  );
  syncRangeInputs();
}

function showBanner(text: string | undefined, actions: readonly PanelAction[] = []): void {
  ui.banner.hidden = text === undefined;
  ui.bannerText.textContent = text ?? '';
  ui.bannerActions.replaceChildren(
    ...actions.map((a) => {
      const button = document.createElement('vscode-button');
      button.textContent = a.label;
      button.dataset.testid = 'banner-action';
      if (!a.primary) button.setAttribute('secondary', '');
      button.addEventListener('click', () => post(a.command, a.args));
      return button;
    }),
  );
}

function syncRangeInputs(): void {
  const { min, max } = rangeInputs(query.range);
  ui.min.value = min;
  ui.max.value = max;
  const measure = query.range?.measure ?? (context?.mode === 'compare' ? 'JF' : query.measure);
  ui.rangeMeasure.textContent = MEASURE_LABELS[measure];
  ui.rangeMeasure.title = query.range ? rangeLabel(query.range) : '';
}

/** A new query: empty the page cache, fetch the first page (and the histograms), keep the selection in range. */
async function reload(resetSelection: boolean): Promise<void> {
  saveState();
  const generation = cache.reset();
  if (!context || context.empty) {
    total = 0;
    renderList();
    ui.histograms.replaceChildren();
    ui.count.textContent = '';
    return;
  }
  if (resetSelection) {
    selected = 0;
    ui.viewport.scrollTop = 0;
  }
  await fetchPage(generation, Math.floor(Math.max(0, selected) / cache.pageSize), true);
}

async function fetchPage(generation: number, page: number, withHistograms: boolean): Promise<void> {
  try {
    const answer = await rpc.request({
      type: 'query',
      query,
      offset: page * cache.pageSize,
      limit: cache.pageSize,
      histograms: withHistograms,
    });
    if (!cache.put(generation, page, answer.rows)) return;
    total = answer.total;
    if (answer.histograms) {
      histograms = answer.histograms;
      renderHistograms();
    }
    const scored =
      context?.runs.find((r) => r.name === (context?.mode === 'compare' ? context.compareRuns[0] : context?.run))
        ?.scored ?? total;
    ui.count.textContent = countText(total, scored);
    if (selected >= total) selected = total - 1;
    renderList();
  } catch (err) {
    cache.forget(generation, page);
    showBanner(err instanceof Error ? err.message : String(err));
  }
}

function renderHistograms(): void {
  const pick = (range: RangeFilter, category: string | undefined) => {
    const same = query.range && JSON.stringify(query.range) === JSON.stringify(range) && binCategory === category;
    // A second click on the chosen bar clears it.
    query = {
      ...query,
      range: same ? undefined : range,
      ...(category === undefined ? {} : { category: same ? undefined : category }),
    };
    binCategory = same ? undefined : category;
    syncRangeInputs();
    if (context) fillSelect(ui.category, 'any', context.categories, query.category);
    void reload(true);
  };
  ui.histograms.replaceChildren(...histograms.map((h) => histogramCard(h, query.range, binCategory, pick)));
}

/** Draws the rows in view (asking for the pages not loaded yet) and the details of the selected row. */
function renderList(): void {
  ui.spacer.style.height = `${total * ROW_HEIGHT}px`;
  const range = visibleRange(ui.viewport.scrollTop, ui.viewport.clientHeight, ROW_HEIGHT, total);
  for (const page of cache.missing(range)) void fetchPage(cache.generation, page, false);
  const rows: HTMLElement[] = [];
  for (let i = range.start; i < range.end; i++) rows.push(rowElement(i, cache.row(i)));
  ui.spacer.replaceChildren(...rows);
  ui.viewport.setAttribute('aria-activedescendant', selected >= 0 && selected < total ? `row-${selected}` : '');
  ui.viewport.setAttribute('aria-setsize', String(total));
  renderDetails(selected >= 0 ? cache.row(selected) : undefined);
}

function rowElement(i: number, row: FailureRow | undefined): HTMLElement {
  const el = document.createElement('div');
  el.className = 'row';
  el.id = `row-${i}`;
  el.setAttribute('role', 'option');
  el.setAttribute('aria-selected', String(i === selected));
  el.setAttribute('aria-posinset', String(i + 1));
  el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
  el.dataset.index = String(i);
  const rank = Object.assign(document.createElement('span'), { className: 'rank', textContent: String(i + 1) });
  if (!row) {
    el.append(rank, Object.assign(document.createElement('span'), { className: 'main loading', textContent: '…' }));
    return el;
  }
  el.dataset.testid = 'failure-row';
  el.dataset.key = `${row.video}/${row.expId}`;
  const main = document.createElement('span');
  main.className = 'main';
  const text = Object.assign(document.createElement('span'), {
    className: 'text',
    textContent: row.text,
    title: row.text,
  });
  const meta = Object.assign(document.createElement('span'), { className: 'meta', textContent: rowMeta(row) });
  for (const t of [...row.tags].reverse())
    meta.prepend(Object.assign(document.createElement('span'), { className: 'tag', textContent: t }));
  if (row.note)
    meta.prepend(
      Object.assign(document.createElement('span'), { className: 'has-note', textContent: '✎', title: row.note }),
    );
  main.append(text, meta);
  const c = context!;
  const cells = scoreCells(row, c.mode, c.compareRuns, c.mode === 'compare' ? undefined : query.baseline).map(
    (cell, k) => {
      const s = Object.assign(document.createElement('span'), {
        className: `${scoreClass(c.mode, k)}${cell.tone ? ` ${cell.tone}` : ''}`,
        textContent: cell.text,
        title: cell.title,
      });
      if (cell.detail !== undefined)
        s.append(Object.assign(document.createElement('span'), { className: 'detail', textContent: cell.detail }));
      return s;
    },
  );
  el.append(rank, main, ...cells);
  return el;
}

/** Classes of score column `k`: a secondary one is left out of the narrow layout (media/failures.css). */
function scoreClass(mode: FailuresContext['mode'], k: number): string {
  return isSecondaryColumn(mode, k) ? 'score secondary' : 'score';
}

function renderDetails(row: FailureRow | undefined): void {
  if (row && editing && row.key === editing.key && dirty) return; // keep what is being typed
  editing = row;
  dirty = false;
  ui.detailText.textContent = row ? row.text : total === 0 ? 'No expression matches' : 'No expression selected';
  ui.detailMeta.textContent = row ? rowMeta(row) : '';
  ui.open.hidden = !row;
  ui.details.classList.toggle('no-row', !row);
  ui.tags.value = row ? row.tags.join(', ') : '';
  ui.note.value = row?.note ?? '';
}

function select(index: number, focusList = true): void {
  if (dirty) void saveAnnotation();
  selected = index;
  saveState();
  ui.viewport.scrollTop = scrollToShow(index, ui.viewport.scrollTop, ui.viewport.clientHeight, ROW_HEIGHT);
  renderList();
  if (focusList) ui.viewport.focus();
}

function openSelected(): void {
  const row = cache.row(selected);
  if (row)
    vscode.postMessage({
      type: 'open',
      video: row.video,
      expId: row.expId,
      ...(row.worstFrame ? { frameIndex: row.worstFrame.index } : {}),
    });
}

async function saveAnnotation(): Promise<void> {
  const row = editing;
  if (!row || context?.annotationsProblem) return;
  const tags = parseTags(ui.tags.value);
  const note = ui.note.value;
  dirty = false;
  ui.annotationStatus.textContent = 'Saving…';
  try {
    const answer = await rpc.request({ type: 'annotate', video: row.video, expId: row.expId, tags, note });
    row.tags = answer.tags;
    row.note = answer.note;
    ui.annotationStatus.textContent = `Saved to ${context?.annotationsFile ?? 'the workspace'}`;
  } catch (err) {
    dirty = true;
    ui.annotationStatus.textContent = err instanceof Error ? err.message : String(err);
  }
}

function updateQuery(change: Partial<FailuresQuery>): void {
  query = { ...query, ...change };
  for (const k of Object.keys(change) as (keyof FailuresQuery)[])
    if (query[k] === undefined || query[k] === '') delete query[k];
  if (context) renderContext();
  void reload(true);
}

function clearFilters(): void {
  binCategory = undefined;
  ui.words.value = '';
  updateQuery({
    range: undefined,
    video: undefined,
    objectCategory: undefined,
    category: undefined,
    subset: undefined,
    words: undefined,
    tag: undefined,
  });
}

/** Unfolds or folds the tags and note (only the narrow layout folds them; the wide one always shows them). */
function showAnnotations(open: boolean): void {
  annotationsOpen = open;
  ui.details.classList.toggle('collapsed', !open);
  ui.detailsToggle.setAttribute('aria-expanded', String(open));
  saveState();
}

function toggleHelp(show = ui.help.hidden): void {
  ui.help.hidden = !show;
  if (show) ui.help.focus();
  else ui.viewport.focus();
}

function isField(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return ['INPUT', 'SELECT', 'TEXTAREA', 'VSCODE-TEXTFIELD', 'VSCODE-TEXTAREA'].includes(target.tagName);
}

document.addEventListener('keydown', (e) => {
  const inField = isField(e.target);
  const action = failuresKeyAction(e, inField);
  if (!action) return;
  if (action === 'escape') {
    if (!ui.help.hidden) toggleHelp(false);
    else ui.viewport.focus();
    return;
  }
  if (action === 'save') {
    if (e.target === ui.tags || e.target === ui.note) {
      e.preventDefault();
      void saveAnnotation();
    }
    return;
  }
  // Enter belongs to the focused button or bar; it opens a row only from the list.
  if (action === 'open' && e.target !== ui.viewport) return;
  e.preventDefault();
  switch (action) {
    case 'open':
      openSelected();
      return;
    case 'focusFilter':
      ui.words.focus();
      return;
    case 'help':
      toggleHelp();
      return;
    case 'tags':
      showAnnotations(true);
      ui.tags.focus();
      return;
    case 'note':
      showAnnotations(true);
      ui.note.focus();
      return;
    case 'clear':
      clearFilters();
      return;
    default: {
      const perPage = Math.floor(ui.viewport.clientHeight / ROW_HEIGHT);
      const next = moveSelection(selected, action, total, perPage);
      if (next >= 0) select(next);
    }
  }
});

ui.viewport.addEventListener('scroll', () => renderList());
ui.viewport.addEventListener('click', (e) => {
  const row = (e.target as HTMLElement).closest<HTMLElement>('.row');
  if (!row?.dataset.index) return;
  select(Number(row.dataset.index));
  openSelected();
});
ui.measure.addEventListener('change', () => {
  if (!isMeasure(ui.measure.value)) return;
  updateQuery({ measure: ui.measure.value });
});
ui.order.addEventListener('change', () =>
  updateQuery({ order: ui.order.value === 'best-first' ? 'best-first' : 'worst-first' }),
);
ui.baseline.addEventListener('change', () => updateQuery({ baseline: ui.baseline.value || undefined }));
ui.compareBaseline.addEventListener('change', () => {
  const first = ui.compareBaseline.value;
  if (context)
    vscode.postMessage({ type: 'setCompare', runs: [first, ...context.compareRuns.filter((r) => r !== first)] });
});
let wordsTimer: ReturnType<typeof setTimeout> | undefined;
ui.words.addEventListener('input', () => {
  clearTimeout(wordsTimer);
  wordsTimer = setTimeout(() => updateQuery({ words: ui.words.value.trim() || undefined }), 120);
});
ui.video.addEventListener('change', () => updateQuery({ video: ui.video.value.trim() || undefined }));
ui.objectCategory.addEventListener('change', () =>
  updateQuery({ objectCategory: ui.objectCategory.value || undefined }),
);
ui.category.addEventListener('change', () => {
  binCategory = undefined;
  updateQuery({ category: ui.category.value || undefined });
});
ui.tag.addEventListener('change', () => updateQuery({ tag: ui.tag.value || undefined }));
ui.subset.addEventListener('change', () => updateQuery({ subset: ui.subset.value || undefined }));
ui.variants.addEventListener('toggle', () => {
  if (ui.variants.open) void showVariants();
});
for (const input of [ui.min, ui.max]) {
  input.addEventListener('change', () => {
    const measure = context?.mode === 'compare' ? 'JF' : query.measure;
    try {
      binCategory = undefined;
      updateQuery({ range: rangeFromInputs(measure, ui.min.value, ui.max.value) });
    } catch (err) {
      showBanner(err instanceof Error ? err.message : String(err));
    }
  });
}
ui.clear.addEventListener('click', clearFilters);
ui.compare.addEventListener('click', () => post('rvos.compareRuns'));
ui.leaveCompare.addEventListener('click', () => vscode.postMessage({ type: 'setCompare', runs: [] }));
ui.exportReport.addEventListener('click', () => post('rvos.exportReport'));
ui.exportScores.addEventListener('click', () => post('rvos.exportScores'));
ui.exportZip.addEventListener('click', () => post('rvos.exportSubmission'));
ui.helpButton.addEventListener('click', () => toggleHelp());
ui.open.addEventListener('click', openSelected);
ui.detailsToggle.addEventListener('click', () => showAnnotations(!annotationsOpen));
ui.save.addEventListener('click', () => void saveAnnotation());
ui.tags.addEventListener('input', () => (dirty = true));
ui.note.addEventListener('input', () => (dirty = true));
ui.tags.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.ctrlKey && !e.metaKey) void saveAnnotation();
});
ui.helpList.replaceChildren(
  ...SHORTCUTS.flatMap((s) => [
    Object.assign(document.createElement('dt'), { textContent: s.keys }),
    Object.assign(document.createElement('dd'), { textContent: s.description }),
  ]),
);
// The list's height changes with the window and when the narrow layout's drawer folds or unfolds.
new ResizeObserver(() => renderList()).observe(ui.viewport);
showAnnotations(annotationsOpen);

vscode.postMessage({ type: 'ready' });
void refresh();
