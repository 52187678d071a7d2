import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AnnotationsStore } from '../../src/core/analysis/annotationsStore';
import type { ExpressionScore, SplitScore, Video } from '../../src/core/types';
import { expressionFilter, FailuresModel } from '../../src/host/failures/failuresModel';
import type { FailuresQuery } from '../../src/shared/failures/protocol';

const FRAMES = ['00000', '00005', '00010'];

/** An expression whose frames have the given J&F (J = F = value), so its J&F is their mean. */
function exp(video: string, expId: string, text: string, frameJF: number[], category?: string): ExpressionScore {
  const frames = frameJF.map((v, k) => ({ frame: FRAMES[k], J: v, F: v, missing: false }));
  const m = frameJF.reduce((a, v) => a + v, 0) / frameJF.length;
  return { video, expId, expression: text, ...(category ? { category } : {}), J: m, F: m, JF: m, frames };
}

function split(expressions: ExpressionScore[]): SplitScore {
  const m = expressions.reduce((a, e) => a + e.JF, 0) / expressions.length;
  return { J: m, F: m, JF: m, expressions };
}

const videos = new Map<string, Video>([
  [
    'vidA',
    {
      id: 'vidA',
      frames: FRAMES,
      expressions: [
        { expId: '0', text: '', objId: '1' },
        { expId: '1', text: '', objId: '2' },
      ],
      objects: {
        '1': { objId: '1', category: 'cat', frames: FRAMES },
        '2': { objId: '2', category: 'dog', frames: FRAMES },
      },
    },
  ],
  [
    'vidB',
    {
      id: 'vidB',
      frames: FRAMES,
      expressions: [{ expId: '0', text: '', objId: '1' }],
      objects: { '1': { objId: '1', category: 'cat', frames: FRAMES } },
    },
  ],
]);

const runA = split([
  exp('vidA', '0', 'the red cat on the left', [0.9, 0.1, 0.8], 'appearance'),
  exp('vidA', '1', 'a dog running', [0.5, 0.5, 0.5], 'motion'),
  exp('vidB', '0', 'the cat behind the box', [0.2, 0.3, 0.1], 'relation'),
]);
const runB = split([
  exp('vidA', '0', 'the red cat on the left', [0.9, 0.6, 0.8], 'appearance'),
  exp('vidA', '1', 'a dog running', [0.5, 0.0, 0.5], 'motion'),
  exp('vidB', '0', 'the cat behind the box', [0.4, 0.3, 0.3], 'relation'),
]);

const q = (change: Partial<FailuresQuery> = {}): FailuresQuery => ({ measure: 'JF', order: 'worst-first', ...change });

test('single run: worst-first J&F with the worst frame as an index into the clip, tags and notes attached', () => {
  const store = AnnotationsStore.empty('/nowhere/annotations.json');
  store.setTags('vidB', '0', ['occlusion']);
  store.setNote('vidB', '0', 'box hides it');
  const model = new FailuresModel({ mode: 'single', runs: [{ name: 'A', score: runA }], videos });
  const page = model.page(q(), 0, 10, store);
  assert.equal(page.total, 3);
  assert.deepEqual(
    page.rows.map((r) => `${r.video}/${r.expId}`),
    ['vidB/0', 'vidA/1', 'vidA/0'],
  );
  const worst = page.rows[0];
  assert.deepEqual(worst.worstFrame, { frame: '00010', index: 2, JF: 0.1 });
  assert.deepEqual(
    [worst.tags, worst.note, worst.objectCategory, worst.category],
    [['occlusion'], 'box hides it', 'cat', 'relation'],
  );
  assert.deepEqual(page.rows[2].worstFrame?.index, 1);
  assert.deepEqual(
    model.page(q({ order: 'best-first' }), 0, 1, store).rows.map((r) => r.key),
    ['vidA\u00000'],
  );
});

test('single run: paging returns the rows of the window and the full count', () => {
  const model = new FailuresModel({ mode: 'single', runs: [{ name: 'A', score: runA }], videos });
  const second = model.page(q(), 1, 1, undefined);
  assert.equal(second.total, 3);
  assert.deepEqual(
    second.rows.map((r) => r.key),
    ['vidA\u00001'],
  );
  assert.deepEqual(model.page(q(), 5, 10, undefined).rows, []);
});

test('filters: words, video, categories, score range and tag (no store: a tag selects nothing)', () => {
  const store = AnnotationsStore.empty('/nowhere/annotations.json');
  store.addTag('vidA', '1', 'blur');
  const model = new FailuresModel({ mode: 'single', runs: [{ name: 'A', score: runA }], videos });
  const keys = (change: Partial<FailuresQuery>, s: AnnotationsStore | undefined = store) =>
    model.page(q(change), 0, 10, s).rows.map((r) => `${r.video}/${r.expId}`);
  assert.deepEqual(keys({ words: 'cat' }), ['vidB/0', 'vidA/0']);
  assert.deepEqual(keys({ words: 'ca le' }), ['vidA/0']);
  assert.deepEqual(keys({ video: 'vidA' }), ['vidA/1', 'vidA/0']);
  assert.deepEqual(keys({ objectCategory: 'dog' }), ['vidA/1']);
  assert.deepEqual(keys({ category: 'relation' }), ['vidB/0']);
  assert.deepEqual(keys({ range: { measure: 'JF', min: 0.5, max: 0.61 } }), ['vidA/1', 'vidA/0']);
  assert.deepEqual(keys({ range: { measure: 'JF', min: 0.5, max: 0.55 } }), ['vidA/1']);
  assert.deepEqual(keys({ tag: 'blur' }), ['vidA/1']);
  assert.deepEqual(model.page(q({ tag: 'blur' }), 0, 10, undefined).rows, []);
  assert.deepEqual(expressionFilter(q({ words: '   ' }), undefined), {}, 'blank words are no filter');
});

test('ΔJ&F against a baseline run: sorted by the largest drop, baseline J&F on each row; unknown baseline = no delta', () => {
  const model = new FailuresModel({
    mode: 'single',
    runs: [{ name: 'A', score: runA }],
    baselines: new Map([['B', runB]]),
    videos,
  });
  const page = model.page(q({ measure: 'deltaJF', baseline: 'B' }), 0, 10, undefined);
  assert.deepEqual(
    page.rows.map((r) => `${r.video}/${r.expId}`),
    ['vidA/0', 'vidB/0', 'vidA/1'],
  );
  assert.ok(Math.abs(page.rows[0].deltaJF! - (runA.expressions[0].JF - runB.expressions[0].JF)) < 1e-12);
  assert.equal(page.rows[0].baselineJF, runB.expressions[0].JF);
  assert.equal(model.page(q({ baseline: 'nope' }), 0, 10, undefined).rows[0].deltaJF, undefined);
});

test('histograms: the split and each category, under the filters but not the score range; bins carry their range', () => {
  const model = new FailuresModel({ mode: 'single', runs: [{ name: 'A', score: runA }], videos });
  const page = model.page(q({ range: { measure: 'JF', min: 0.9, max: 1 } }), 0, 10, undefined, true);
  assert.equal(page.total, 0);
  const [all, ...byCategory] = page.histograms!;
  assert.equal(all.category, undefined);
  assert.equal(all.total, 3);
  assert.equal(all.bins.length, 20);
  assert.deepEqual(
    byCategory.map((h) => h.category),
    ['appearance', 'motion', 'relation'],
  );
  assert.equal(byCategory[0].bins.length, 10);
  // The lowest non-empty bin holds vidB/0 alone; its range lists exactly it.
  const bin = all.bins.find((b) => b.count > 0)!;
  const jf = runA.expressions[2].JF;
  assert.ok(bin.lo <= jf && jf < bin.hi && bin.count === 1, `${jf} in [${bin.lo}, ${bin.hi})`);
  assert.deepEqual(
    model.page(q({ range: bin.range }), 0, 10, undefined).rows.map((r) => r.key),
    ['vidB\u00000'],
  );
  assert.equal(all.bins.at(-1)!.range.maxInclusive, true);
  assert.equal(model.page(q({ words: 'dog' }), 0, 10, undefined, true).histograms![0].total, 1);
});

test('compare: every run side by side, sorted by the largest regression, the frame of the largest per-frame drop', () => {
  const model = new FailuresModel({
    mode: 'compare',
    runs: [
      { name: 'B', score: runB },
      { name: 'A', score: runA },
    ],
    videos,
  });
  const page = model.page(q(), 0, 10, undefined);
  assert.deepEqual(
    page.rows.map((r) => `${r.video}/${r.expId}`),
    ['vidA/0', 'vidB/0', 'vidA/1'],
  );
  const top = page.rows[0];
  assert.deepEqual(top.runsJF, [runB.expressions[0].JF, runA.expressions[0].JF]);
  assert.equal(top.runsDelta![0], 0);
  assert.ok(Math.abs(top.worstDelta! - (runA.expressions[0].JF - runB.expressions[0].JF)) < 1e-12);
  // vidA/0: A drops 0.5 on frame 00005 against B.
  assert.equal(top.worstFrame?.frame, '00005');
  assert.equal(top.worstFrame?.index, 1);
  assert.ok(Math.abs(top.worstFrame.delta! + 0.5) < 1e-12);
  // vidA/1 improves (A is better on frame 00005): last.
  assert.ok(page.rows[2].worstDelta! > 0);
  assert.deepEqual(
    model.page(q({ words: 'dog' }), 0, 10, undefined).rows.map((r) => r.key),
    ['vidA\u00001'],
  );
});

test('a model needs a run; comparing needs two', () => {
  assert.throws(() => new FailuresModel({ mode: 'single', runs: [] }), /needs a scored run/);
  assert.throws(() => new FailuresModel({ mode: 'compare', runs: [{ name: 'A', score: runA }] }), /at least two runs/);
});
