import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failuresHtml } from '../../src/host/failures/failuresHtml';
import {
  FAILURES_REQUEST_ANSWERS,
  isFailuresHostMessage,
  isFailuresResponse,
  isFailuresWebviewMessage,
  parseTags,
  type FailureRow,
  type FailuresHostNotification,
  type FailuresRequest,
  type HistogramView,
} from '../../src/shared/failures/protocol';
import {
  countText,
  isSecondaryColumn,
  pct,
  rangeFromInputs,
  rangeInputs,
  rangeLabel,
  rowMeta,
  scoreCells,
  scoreHeaders,
  signedPct,
} from '../../src/webview/failures/format';
import { axisTicks, barLayout, isBinRange } from '../../src/webview/failures/histogramChart';
import { failuresKeyAction, SHORTCUTS } from '../../src/webview/failures/keys';
import { moveSelection, PageCache, pagesOf, scrollToShow, visibleRange } from '../../src/webview/failures/rowWindow';
import { HostError, RpcChannel } from '../../src/webview/shared/rpc';

const query = { measure: 'JF', order: 'worst-first' } as const;

test('protocol: webview messages are checked field by field; unknown commands are refused', () => {
  const ok = [
    { type: 'getContext', requestId: 1 },
    {
      type: 'query',
      requestId: 2,
      query: { ...query, range: { measure: 'J', min: 0.1 }, words: 'red', tag: 'x' },
      offset: 0,
      limit: 200,
      histograms: true,
    },
    { type: 'annotate', requestId: 3, video: 'v', expId: '0', tags: ['a'], note: 'n' },
    { type: 'ready' },
    { type: 'open', video: 'v', expId: '0', frameIndex: 4 },
    { type: 'setCompare', runs: ['a', 'b'] },
    { type: 'command', command: 'rvos.exportReport' },
    { type: 'command', command: 'rvos.scoreRun', args: ['run'] },
  ];
  for (const m of ok) assert.ok(isFailuresWebviewMessage(m), JSON.stringify(m));
  const bad = [
    { type: 'query', requestId: 2, query: { ...query, measure: 'IoU' }, offset: 0, limit: 10, histograms: false },
    { type: 'query', requestId: 2, query, offset: 0, limit: 100000, histograms: false },
    {
      type: 'query',
      requestId: 2,
      query: { ...query, range: { measure: 'JF', min: 'low' } },
      offset: 0,
      limit: 10,
      histograms: false,
    },
    { type: 'query', requestId: -1, query, offset: 0, limit: 10, histograms: false },
    { type: 'annotate', requestId: 3, video: 'v', expId: '0', tags: [7] },
    { type: 'open', video: 'v', expId: '0', frameIndex: 1.5 },
    { type: 'command', command: 'workbench.action.terminal.new' },
    { type: 'setCompare', runs: 'a' },
    { type: 'nope' },
    null,
  ];
  for (const m of bad) assert.equal(isFailuresWebviewMessage(m), false, JSON.stringify(m));
  assert.ok(isFailuresHostMessage({ type: 'rows', requestId: 1, offset: 0, total: 3, rows: [] }));
  assert.ok(isFailuresHostMessage({ type: 'invalidate' }));
  assert.equal(isFailuresHostMessage({ type: 'rows', requestId: 1, offset: 0, rows: [] }), false);
  assert.deepEqual(parseTags(' wrong object, ,small ,'), ['wrong object', 'small']);
});

test('html: strict CSP, one module script and stylesheet with the nonce, the controls the script uses', () => {
  const html = failuresHtml({
    cspSource: 'https://csp',
    scriptUri: 'https://x/dist/failures.js',
    styleUri: 'https://x/media/failures.css',
    nonce: 'n0nce',
    title: 'RVOS <Failures>',
  });
  assert.ok(
    html.includes(
      'default-src &#39;none&#39;; img-src https://csp data: blob:; style-src https://csp &#39;nonce-n0nce&#39;; script-src &#39;nonce-n0nce&#39;',
    ),
  );
  assert.deepEqual(
    [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]),
    ['<script type="module" nonce="n0nce" src="https://x/dist/failures.js">'],
  );
  assert.ok(!/<style\b/.test(html) && !/\son\w+=/.test(html) && !/\sstyle=/.test(html), 'no inline styles or handlers');
  assert.ok(html.includes('<title>RVOS &lt;Failures&gt;</title>'));
  for (const id of [
    'measure',
    'baseline',
    'order',
    'words',
    'video',
    'object-category',
    'category',
    'tag',
    'min',
    'max',
    'count',
    'histograms',
    'viewport',
    'spacer',
    'tags',
    'note',
    'save',
    'open',
    'help',
    'help-list',
    'banner',
  ]) {
    assert.ok(html.includes(`id="${id}"`), id);
  }
});

test('keys: list navigation, Enter, / and ? outside fields; only Esc and Ctrl+Enter inside; every action is in the help', () => {
  assert.equal(failuresKeyAction({ key: 'ArrowDown' }, false), 'down');
  assert.equal(failuresKeyAction({ key: 'ArrowUp' }, false), 'up');
  assert.equal(failuresKeyAction({ key: 'PageDown' }, false), 'pageDown');
  assert.equal(failuresKeyAction({ key: 'End' }, false), 'last');
  assert.equal(failuresKeyAction({ key: 'Enter' }, false), 'open');
  assert.equal(failuresKeyAction({ key: '/' }, false), 'focusFilter');
  assert.equal(failuresKeyAction({ key: '?' }, false), 'help');
  assert.equal(failuresKeyAction({ key: 't' }, false), 'tags');
  assert.equal(failuresKeyAction({ key: '/' }, true), undefined, 'typing a slash in a field');
  assert.equal(failuresKeyAction({ key: 'ArrowDown' }, true), undefined);
  assert.equal(failuresKeyAction({ key: 'Escape' }, true), 'escape');
  assert.equal(failuresKeyAction({ key: 'Enter', ctrlKey: true }, true), 'save');
  assert.equal(failuresKeyAction({ key: 't', ctrlKey: true }, false), undefined, 'VS Code keeps its chords');
  const described = new Set(SHORTCUTS.flatMap((s) => s.keys.split(' / ')));
  for (const k of [
    '↓',
    '↑',
    'Page Down',
    'Page Up',
    'Home',
    'End',
    'Enter',
    '/',
    '?',
    't',
    'n',
    'c',
    'Esc',
    'Ctrl+Enter',
  ])
    assert.ok(described.has(k), k);
});

test('virtual list: visible window, pages to fetch once, stale pages dropped', () => {
  assert.deepEqual(visibleRange(0, 460, 46, 12913, 0), { start: 0, end: 10 });
  assert.deepEqual(visibleRange(46 * 1000 + 10, 460, 46, 12913, 8), { start: 992, end: 1019 });
  assert.deepEqual(visibleRange(46 * 12913, 460, 46, 12913, 8), { start: 12905, end: 12913 });
  assert.deepEqual(pagesOf({ start: 190, end: 410 }, 200), [0, 1, 2]);
  assert.deepEqual(pagesOf({ start: 5, end: 5 }, 200), []);
  const cache = new PageCache<string>(2);
  const gen = cache.reset();
  assert.deepEqual(cache.missing({ start: 0, end: 3 }), [0, 1]);
  assert.deepEqual(cache.missing({ start: 0, end: 3 }), [], 'asked once');
  assert.ok(cache.put(gen, 0, ['a', 'b']));
  assert.equal(cache.row(1), 'b');
  cache.forget(gen, 1);
  assert.deepEqual(cache.missing({ start: 2, end: 3 }), [1], 'a failed page is asked again');
  const next = cache.reset();
  assert.equal(cache.put(gen, 1, ['c']), false, 'an answer to the old query is dropped');
  assert.equal(cache.row(0), undefined);
  assert.ok(next > gen);
});

test('selection moves with the keys inside the list; scrolling keeps it in view', () => {
  assert.equal(moveSelection(-1, 'down', 5, 10), 0);
  assert.equal(moveSelection(0, 'up', 5, 10), 0);
  assert.equal(moveSelection(3, 'down', 5, 10), 4);
  assert.equal(moveSelection(4, 'down', 5, 10), 4);
  assert.equal(moveSelection(0, 'pageDown', 100, 10), 9);
  assert.equal(moveSelection(50, 'pageUp', 100, 10), 41);
  assert.equal(moveSelection(50, 'last', 100, 10), 99);
  assert.equal(moveSelection(50, 'first', 100, 10), 0);
  assert.equal(moveSelection(7, 'down', 0, 10), -1);
  assert.equal(moveSelection(99, 'down', 3, 10), 2, 'a selection past a shorter list comes back');
  assert.equal(scrollToShow(0, 100, 460, 46), 0);
  assert.equal(scrollToShow(20, 0, 460, 46), 21 * 46 - 460);
  assert.equal(scrollToShow(3, 0, 460, 46), 0);
});

test('format: percentages, signed differences, the range inputs both ways, row texts', () => {
  assert.equal(pct(0.4567), '45.7');
  assert.equal(pct(undefined), '–');
  assert.equal(pct(null), '–');
  assert.equal(signedPct(0.025), '+2.5');
  assert.equal(signedPct(-0.1), '−10.0');
  assert.equal(signedPct(-0.0001), '0.0');
  assert.deepEqual(rangeFromInputs('JF', '20', ''), { measure: 'JF', min: 0.2 });
  assert.deepEqual(rangeFromInputs('deltaJF', '', '-5'), { measure: 'deltaJF', max: -0.05 });
  assert.equal(rangeFromInputs('J', ' ', ''), undefined);
  assert.throws(() => rangeFromInputs('J', 'abc', ''), /numbers in percent/);
  assert.deepEqual(rangeInputs({ measure: 'JF', min: 0.35, max: 0.4 }), { min: '35', max: '40' });
  assert.deepEqual(rangeInputs(undefined), { min: '', max: '' });
  assert.equal(rangeLabel({ measure: 'JF', min: 0.95, max: 1, maxInclusive: true }), 'J&F in [95.0, 100.0]');
  assert.equal(rangeLabel({ measure: 'deltaJF', max: 0 }), 'ΔJ&F in [−∞, 0.0)');
  const row: FailureRow = {
    key: 'k',
    video: 'vidA',
    expId: '2',
    text: 't',
    category: 'motion',
    objectCategory: 'cat',
    J: 0.5,
    F: 0.7,
    JF: 0.6,
    baselineJF: 0.7,
    deltaJF: -0.1,
    worstFrame: { frame: '00005', index: 1, JF: 0.2 },
    frames: 4,
    missing: 1,
    tags: [],
    note: '',
  };
  assert.equal(
    rowMeta(row),
    'vidA · expression 2 · motion · cat · worst frame 00005 (J&F 20.0) · 1/4 frames without a mask',
  );
  assert.deepEqual(scoreHeaders('single', [], 'B'), ['J&F', 'J', 'F', 'Δ vs B']);
  assert.deepEqual(
    scoreHeaders('single', [], 'B').filter((_, k) => !isSecondaryColumn('single', k)),
    ['J&F', 'Δ vs B'],
    'narrow: J&F and ΔJ&F stay',
  );
  assert.equal(isSecondaryColumn('compare', 1), false);
  assert.deepEqual(
    scoreCells(row, 'single', [], 'B').map((c) => [c.text, c.tone]),
    [
      ['60.0', undefined],
      ['50.0', undefined],
      ['70.0', undefined],
      ['−10.0', 'worse'],
    ],
  );
  const compared: FailureRow = { ...row, runsJF: [0.8, 0.6, null], runsDelta: [0, -0.2, null] };
  assert.deepEqual(scoreHeaders('compare', ['A', 'B', 'C']), ['A J&F', 'B J&F (Δ)', 'C J&F (Δ)']);
  assert.deepEqual(
    scoreCells(compared, 'compare', ['A', 'B', 'C']).map((c) => [c.text, c.detail]),
    [
      ['80.0', undefined],
      ['60.0', '−20.0'],
      ['–', '–'],
    ],
  );
  assert.equal(countText(12913, 12913), '12,913 expressions');
  assert.equal(countText(17, 12913), '17 of 12,913 expressions');
});

test('histogram bars: proportional heights, a visible sliver for small counts, the picked bin recognised', () => {
  const h: HistogramView = {
    total: 101,
    bins: [
      { lo: 0, hi: 0.5, count: 100, range: { measure: 'JF', min: 0, max: 0.5 } },
      { lo: 0.5, hi: 1, count: 1, range: { measure: 'JF', min: 0.5, max: 1, maxInclusive: true } },
    ],
  };
  const bars = barLayout(h, 200, 50);
  assert.deepEqual(
    bars.map((b) => [b.x, b.width, b.height, b.y]),
    [
      [0, 99, 50, 0],
      [100, 99, 1, 49],
    ],
  );
  assert.deepEqual(barLayout({ total: 0, bins: [] }, 200, 50), []);
  assert.ok(isBinRange({ measure: 'JF', min: 0.5, max: 1, maxInclusive: true }, h.bins[1]));
  assert.equal(isBinRange({ measure: 'JF', min: 0.5, max: 1 }, h.bins[1]), false);
  assert.equal(isBinRange(undefined, h.bins[0]), false);
});

test("histogram axis: J&F ticks every 25 points placed over the bins' span", () => {
  const bin = (lo: number, hi: number) => ({ lo, hi, count: 1, range: { measure: 'JF' as const, min: lo, max: hi } });
  const whole: HistogramView = { total: 4, bins: [bin(0, 0.25), bin(0.25, 0.5), bin(0.5, 0.75), bin(0.75, 1)] };
  assert.deepEqual(
    axisTicks(whole),
    [0, 25, 50, 75, 100].map((label, k) => ({ at: k / 4, label: String(label) })),
  );
  const upper: HistogramView = { total: 2, bins: [bin(0.5, 0.75), bin(0.75, 1)] };
  assert.deepEqual(axisTicks(upper), [
    { at: 0, label: '50' },
    { at: 0.5, label: '75' },
    { at: 1, label: '100' },
  ]);
  assert.deepEqual(axisTicks({ total: 0, bins: [] }), []);
});

test('rpc: answers by request id, host errors reject, invalidate goes to the listener', async () => {
  const posted: FailuresRequest[] = [];
  const notes: FailuresHostNotification[] = [];
  const rpc = new RpcChannel(
    (m: FailuresRequest) => posted.push(m),
    (n: FailuresHostNotification) => notes.push(n),
    isFailuresResponse,
    FAILURES_REQUEST_ANSWERS,
  );
  const a = rpc.request({ type: 'getContext' });
  const b = rpc.request({ type: 'annotate', video: 'v', expId: '0', tags: ['x'] });
  rpc.receive({ type: 'error', requestId: 2, message: '/ws/.rvos/annotations.json: line 1: bad JSON' });
  rpc.receive({ type: 'invalidate' });
  rpc.receive({
    type: 'context',
    requestId: 1,
    context: {
      mode: 'single',
      expressions: 0,
      compareRuns: [],
      runs: [],
      videos: [],
      categories: [],
      subsets: [],
      objectCategories: [],
      tags: [],
    },
  });
  assert.equal((await a).context.mode, 'single');
  await assert.rejects(b, (err: unknown) => err instanceof HostError && /bad JSON/.test(err.message));
  assert.deepEqual(
    posted.map((p) => p.requestId),
    [1, 2],
  );
  assert.deepEqual(notes, [{ type: 'invalidate' }]);
});
