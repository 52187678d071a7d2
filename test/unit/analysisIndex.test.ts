// Expression index (sorting, filters, worst frames), histograms and run comparison over hand-made scores.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareRuns, frameDeltas, sortByRegression } from '../../src/core/analysis/compareRuns';
import { ExpressionIndex, type ExpressionRow } from '../../src/core/analysis/expressionIndex';
import { expressionKey } from '../../src/core/analysis/expressionKey';
import { binEdges, countBins, histogram, histogramsByCategory } from '../../src/core/analysis/histogram';
import type { ExpressionScore, SplitScore, Video } from '../../src/core/types';

/** An expression whose frames have the given (J, F) pairs; its J, F, J&F are their means. */
function exp(
  video: string,
  expId: string,
  text: string,
  frames: [number, number][],
  category?: string,
): ExpressionScore {
  const J = frames.reduce((s, f) => s + f[0], 0) / frames.length;
  const F = frames.reduce((s, f) => s + f[1], 0) / frames.length;
  const e: ExpressionScore = {
    video,
    expId,
    expression: text,
    J,
    F,
    JF: (J + F) / 2,
    frames: frames.map(([j, f], i) => ({
      frame: String(i * 5).padStart(5, '0'),
      J: j,
      F: f,
      missing: j === 0 && f === 0,
    })),
  };
  if (category !== undefined) e.category = category;
  return e;
}

function split(expressions: ExpressionScore[]): SplitScore {
  return { J: 0, F: 0, JF: 0, expressions };
}

const EXPRESSIONS = [
  exp(
    'v2',
    '10',
    'the red car on the left',
    [
      [0.5, 0.5],
      [0.1, 0.3],
      [0.9, 0.9],
    ],
    'appearance',
  ),
  exp('v1', '2', 'a dog running to the right', [[0.2, 0.2]], 'motion'),
  exp(
    'v1',
    '10',
    'the Red-haired woman',
    [
      [0.4, 0.6],
      [0.4, 0.6],
    ],
    'appearance',
  ), // J&F 0.5
  exp('v3', '0', 'a cat above the sofa', [[0.5, 0.5]], 'position'), // J&F 0.5, ties with v1/10
  exp('v1', '9', 'redwood tree', [[1, 1]]), // no category
];

const VIDEOS = new Map<string, Video>([
  [
    'v1',
    {
      id: 'v1',
      frames: [],
      expressions: [
        { expId: '2', text: '', objId: '1' },
        { expId: '10', text: '', objId: '2' },
        { expId: '9', text: '', objId: '3' },
      ],
      objects: {
        '1': { objId: '1', category: 'dog', frames: [] },
        '2': { objId: '2', category: 'person', frames: [] },
        '3': { objId: '3', category: 'tree', frames: [] },
      },
    },
  ],
  [
    'v2',
    {
      id: 'v2',
      frames: [],
      expressions: [{ expId: '10', text: '', objId: '1' }],
      objects: { '1': { objId: '1', category: 'sedan', frames: [] } },
    },
  ],
  [
    'v3',
    {
      id: 'v3',
      frames: [],
      expressions: [{ expId: '0', text: '', objId: '1' }],
      objects: { '1': { objId: '1', category: 'cat', frames: [] } },
    },
  ],
]);

const ids = (rows: readonly ExpressionRow[]) => rows.map((r) => `${r.video}/${r.expId}`);

describe('ExpressionIndex', () => {
  const index = new ExpressionIndex(split(EXPRESSIONS), { videos: VIDEOS });

  it('sorts worst-first by J&F, ties by video then numeric expression id', () => {
    // J&F: v1/2 .2, v2/10 .533, v1/10 .5, v3/0 .5, v1/9 1
    assert.deepEqual(ids(index.query().rows), ['v1/2', 'v1/10', 'v3/0', 'v2/10', 'v1/9']);
    assert.deepEqual(ids(index.query({ order: 'best-first' }).rows), ['v1/9', 'v2/10', 'v3/0', 'v1/10', 'v1/2']);
  });

  it('sorts by J and by F', () => {
    // J: v1/2 .2, v1/10 .4, v2/10 .5, v3/0 .5, v1/9 1 ; F: v1/2 .2, v3/0 .5, v2/10 .5667, v1/10 .6, v1/9 1
    assert.deepEqual(ids(index.query({ sortBy: 'J' }).rows), ['v1/2', 'v1/10', 'v2/10', 'v3/0', 'v1/9']);
    assert.deepEqual(ids(index.query({ sortBy: 'F' }).rows), ['v1/2', 'v3/0', 'v2/10', 'v1/10', 'v1/9']);
  });

  it('knows each row’s worst frame, frame count, missing frames and object category', () => {
    const row = index.rows.find((r) => r.video === 'v2')!;
    assert.deepEqual(row.worstFrame, { frame: '00005', J: 0.1, F: 0.3, JF: 0.2 });
    assert.equal(row.frames, 3);
    assert.equal(row.objectCategory, 'sedan');
    assert.equal(row.key, expressionKey('v2', '10'));
    // First of equal frames wins.
    assert.equal(index.rows.find((r) => r.key === expressionKey('v1', '10'))!.worstFrame!.frame, '00000');
  });

  it('filters by score range: min inclusive, max exclusive unless maxInclusive', () => {
    assert.deepEqual(ids(index.query({ filter: { scoreRange: { measure: 'JF', min: 0.5, max: 1 } } }).rows), [
      'v1/10',
      'v3/0',
      'v2/10',
    ]);
    assert.deepEqual(
      ids(index.query({ filter: { scoreRange: { measure: 'JF', min: 0.5, max: 1, maxInclusive: true } } }).rows),
      ['v1/10', 'v3/0', 'v2/10', 'v1/9'],
    );
    assert.deepEqual(ids(index.query({ filter: { scoreRange: { measure: 'J', max: 0.45 } } }).rows), ['v1/2', 'v1/10']);
  });

  it('filters by video, expression category and object category', () => {
    assert.deepEqual(ids(index.query({ filter: { videos: ['v1'] } }).rows), ['v1/2', 'v1/10', 'v1/9']);
    assert.deepEqual(ids(index.query({ filter: { categories: ['appearance'] } }).rows), ['v1/10', 'v2/10']);
    assert.deepEqual(ids(index.query({ filter: { objectCategories: ['cat', 'tree'] } }).rows), ['v3/0', 'v1/9']);
    assert.deepEqual(ids(index.query({ filter: { categories: ['nonexistent'] } }).rows), []);
    assert.deepEqual([...index.categories], ['appearance', 'motion', 'position']);
  });

  it('filters by words: each query word must begin a word of the expression, any case', () => {
    assert.deepEqual(ids(index.query({ filter: { words: 'red' } }).rows), ['v1/10', 'v2/10', 'v1/9']); // red, Red-haired, redwood
    assert.deepEqual(ids(index.query({ filter: { words: 'RED car' } }).rows), ['v2/10']);
    assert.deepEqual(ids(index.query({ filter: { words: 'wood' } }).rows), []); // not a word start
    assert.deepEqual(ids(index.query({ filter: { words: '  ' } }).rows).length, 5);
  });

  it('combines filters, pages with offset/limit and counts all matches', () => {
    const r = index.query({ filter: { videos: ['v1', 'v2'], words: 'the' }, offset: 1, limit: 1 });
    assert.equal(r.total, 3); // v1/2, v1/10, v2/10
    assert.deepEqual(ids(r.rows), ['v1/10']);
    const tagged = new Set([expressionKey('v3', '0'), expressionKey('v1', '9')]);
    assert.deepEqual(ids(index.query({ filter: { keys: tagged } }).rows), ['v3/0', 'v1/9']);
  });

  it('sorts by ΔJ&F against a baseline, regressions first, rows without a baseline score last', () => {
    const baseline = split([
      exp('v1', '2', '', [[0.2, 0.2]]),
      exp('v1', '9', '', [[0.5, 0.5]]),
      exp('v2', '10', '', [[1, 1]]),
    ]);
    const withBase = new ExpressionIndex(split(EXPRESSIONS), { baseline });
    const rows = withBase.query({ sortBy: 'deltaJF' }).rows;
    assert.deepEqual(ids(rows), ['v2/10', 'v1/2', 'v1/9', 'v1/10', 'v3/0']);
    assert.ok(Math.abs(rows[0].deltaJF! - (0.5333333333333333 - 1)) < 1e-12);
    assert.equal(rows[1].deltaJF, 0);
    assert.equal(rows[3].deltaJF, undefined);
    assert.equal(withBase.query({ filter: { scoreRange: { measure: 'deltaJF', max: 0.1 } } }).total, 2);
    for (const r of withBase.rows) for (const v of [r.J, r.F, r.JF]) assert.ok(Number.isFinite(v));
  });

  it('withBaseline joins a baseline onto an existing index: the same rows and orders as a fresh index, the source unchanged', () => {
    const baseline = split([
      exp('v1', '2', '', [[0.2, 0.2]]),
      exp('v1', '9', '', [[0.5, 0.5]]),
      exp('v2', '10', '', [[1, 1]]),
    ]);
    const plain = new ExpressionIndex(split(EXPRESSIONS), { videos: VIDEOS });
    plain.order('JF'); // a sort cached before the join is shared, not redone
    const joined = plain.withBaseline(baseline);
    const fresh = new ExpressionIndex(split(EXPRESSIONS), { videos: VIDEOS, baseline });
    assert.deepEqual(joined.rows, fresh.rows);
    for (const m of ['JF', 'J', 'F', 'deltaJF'] as const)
      assert.deepEqual([...joined.order(m)], [...fresh.order(m)], m);
    assert.equal(joined.order('JF'), plain.order('JF'));
    assert.deepEqual(
      joined.query({ sortBy: 'deltaJF', filter: { scoreRange: { measure: 'deltaJF', max: 0.1 }, words: 'red' } }),
      fresh.query({ sortBy: 'deltaJF', filter: { scoreRange: { measure: 'deltaJF', max: 0.1 }, words: 'red' } }),
    );
    assert.equal(plain.hasBaseline, false);
    assert.ok(plain.rows.every((r) => r.deltaJF === undefined && r.baselineJF === undefined));
    assert.ok(plain.order('deltaJF').every((i) => Number.isNaN(plain.value('deltaJF', i))));
    assert.deepEqual(plain.withBaseline(undefined).rows, plain.rows);
  });
});

describe('histograms', () => {
  it('places values by the same edges the bin filters use, last bin closed', () => {
    const edges = binEdges(0, 1, 10);
    // 0.3 and 0.7 sit on edges that 0.1·k does not compute exactly (0.30000000000000004, 0.7000000000000001).
    const [counts, outside] = countBins([0, 0.1, 0.3, 0.7, 0.99, 1, -0.1, 1.5, NaN], edges);
    assert.deepEqual([...counts], [1, 1, 0, 1, 0, 0, 0, 1, 0, 2]);
    assert.equal(outside, 3);
  });

  it("each bin's count equals the number of rows its filter selects", () => {
    const many = Array.from({ length: 200 }, (_, i) =>
      exp(`v${i % 7}`, String(i), `x ${i}`, [[(i % 41) / 40, ((i * 7) % 23) / 22]], i % 2 ? 'a' : 'b'),
    );
    const index = new ExpressionIndex(split(many));
    const h = histogram(index, 'JF', { bins: 20 });
    assert.equal(h.total, 200);
    assert.equal(
      h.bins.reduce((n, b) => n + b.count, 0),
      200,
    );
    for (const b of h.bins) assert.equal(index.query({ filter: b.filter }).total, b.count);
    const perCategory = histogramsByCategory(index, 'category', 'JF', { bins: 5 });
    assert.deepEqual(
      perCategory.map((c) => c.category),
      ['b', 'a'],
    );
    for (const { category, histogram: hc } of perCategory) {
      assert.equal(hc.total, 100);
      for (const b of hc.bins) {
        const rows = index.query({ filter: b.filter }).rows;
        assert.equal(rows.length, b.count);
        assert.ok(rows.every((r) => r.category === category));
      }
    }
  });

  it('ΔJ&F histograms default to [−1, 1]; bad ranges are refused', () => {
    const index = new ExpressionIndex(split([exp('v', '0', 'a', [[0, 0]])]), {
      baseline: split([exp('v', '0', 'a', [[1, 1]])]),
    });
    const h = histogram(index, 'deltaJF', { bins: 4 });
    assert.deepEqual(
      h.bins.map((b) => [b.lo, b.count]),
      [
        [-1, 1],
        [-0.5, 0],
        [0, 0],
        [0.5, 0],
      ],
    );
    assert.throws(() => binEdges(1, 1, 3), RangeError);
    assert.throws(() => binEdges(0, 1, 0), RangeError);
  });
});

describe('compareRuns', () => {
  const a = split([
    exp('v1', '0', 'x', [
      [0.8, 0.8],
      [0.6, 0.6],
    ]),
    exp('v1', '1', 'y', [[0.5, 0.5]]),
    exp('v2', '0', 'z', [[0.9, 0.9]]),
  ]);
  const b = split([
    exp('v1', '0', 'x', [
      [0.8, 0.8],
      [0.2, 0.2],
    ]),
    exp('v1', '1', 'y', [[0.7, 0.7]]),
  ]);
  const c = split([
    exp('v1', '0', 'x', [
      [0.7, 0.7],
      [0.7, 0.7],
    ]),
    exp('v2', '0', 'z', [[0.1, 0.1]]),
    exp('v3', '0', 'w', [[1, 1]]),
  ]);

  it('joins per (video, expId) with J&F and ΔJ&F per run', () => {
    const cmp = compareRuns([
      { name: 'a', score: a },
      { name: 'b', score: b },
      { name: 'c', score: c },
    ]);
    assert.deepEqual(cmp.runs, ['a', 'b', 'c']);
    assert.deepEqual(
      cmp.rows.map((r) => r.key),
      [expressionKey('v1', '0'), expressionKey('v1', '1'), expressionKey('v2', '0'), expressionKey('v3', '0')],
    );
    const v10 = cmp.rows[0];
    assert.ok(Math.abs(v10.JF[0]! - 0.7) < 1e-12 && Math.abs(v10.JF[1]! - 0.5) < 1e-12);
    assert.equal(v10.deltaJF[0], 0);
    assert.ok(Math.abs(v10.worstDelta! + 0.2) < 1e-12);
    assert.deepEqual(cmp.rows[1].JF.slice(2), [undefined]);
    assert.equal(cmp.rows[3].worstDelta, undefined); // only in run c: no baseline
    assert.equal(cmp.rows[3].expression, 'w');
  });

  it('sorts by the largest regression, overall or for one run', () => {
    const cmp = compareRuns([
      { name: 'a', score: a },
      { name: 'b', score: b },
      { name: 'c', score: c },
    ]);
    assert.deepEqual(
      sortByRegression(cmp.rows).map((r) => `${r.video}/${r.expId}`),
      ['v2/0', 'v1/0', 'v1/1', 'v3/0'],
    );
    assert.deepEqual(
      sortByRegression(cmp.rows, 1).map((r) => `${r.video}/${r.expId}`),
      ['v1/0', 'v1/1', 'v2/0', 'v3/0'],
    );
    assert.throws(() => compareRuns([{ name: 'a', score: a }]), RangeError);
  });

  it('gives per-frame deltas of one expression', () => {
    const d = frameDeltas(a.expressions[0], b.expressions[0]);
    assert.deepEqual(
      d.map((f) => f.frame),
      ['00000', '00005'],
    );
    assert.equal(d[0].delta, 0);
    assert.ok(Math.abs(d[1].delta! + 0.4) < 1e-12);
    assert.throws(() => frameDeltas(a.expressions[0], a.expressions[1]), RangeError);
  });
});
