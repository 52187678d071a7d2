import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { openDataset } from '../../src/core/dataset';
import { InputError, UnscorableError } from '../../src/core/errors';
import { scoreExpression, scoreSplit } from '../../src/core/evaluate';
import { DAVIS_PALETTE, encodeGrayPng, encodeIndexPng } from '../../src/core/png';
import { scorePair } from '../../src/core/scoring';
import { scoreVideoJob } from '../../src/core/scoring/video';
import type { Mask } from '../../src/core/types';

const W = 17;
const H = 11;
const root = mkdtempSync(join(tmpdir(), 'rvos-evaluate-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** An index mask with a rectangle per object id: [id, x0, y0, x1, y1] (inclusive). */
function indexMask(rects: [number, number, number, number, number][]): Mask {
  const data = new Uint8Array(W * H);
  for (const [id, x0, y0, x1, y1] of rects)
    for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) data[y * W + x] = id;
  return { width: W, height: H, data };
}

function binary(m: Mask, id: number, value = 1): Mask {
  return { width: m.width, height: m.height, data: m.data.map((v) => (v === id ? value : 0)) };
}

function write(file: string, bytes: Uint8Array | string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, bytes);
}

// Dataset: vidA has 2 annotated frames; expressions for objects 1 and 2 and one without obj_id (cannot be scored).
// vidB has 2 annotated frames and one expression.
const gt = {
  vidA: {
    '00000': indexMask([
      [1, 1, 1, 6, 5],
      [2, 9, 3, 15, 9],
    ]),
    '00005': indexMask([
      [1, 2, 1, 7, 6],
      [2, 10, 2, 16, 10],
    ]),
  },
  vidB: {
    '00000': indexMask([[1, 0, 0, 8, 8]]),
    '00005': indexMask([[1, 3, 3, 12, 10]]),
  },
} as Record<string, Record<string, Mask>>;
const meta = {
  videos: {
    vidA: {
      frames: ['00000', '00005'],
      expressions: {
        '0': { exp: 'the left box', obj_id: '1', category: 'position' },
        '1': { exp: 'the right box', obj_id: '2' },
        '2': { exp: 'an expression without object id' },
      },
    },
    vidB: { frames: ['00000', '00005'], expressions: { '0': { exp: 'the big box', obj_id: '1' } } },
  },
};
write(join(root, 'ds', 'meta_expressions', 'train', 'meta_expressions.json'), JSON.stringify(meta));
for (const [video, frames] of Object.entries(gt)) {
  for (const [frame, mask] of Object.entries(frames))
    write(join(root, 'ds', 'train', 'Annotations', video, `${frame}.png`), encodeIndexPng(mask, DAVIS_PALETTE));
}

// Predictions (0/255 gray, evaluation-server layout): shifted boxes; vidA/1/00005 is missing.
const pred: Record<string, Mask> = {
  'vidA/0/00000': binary(indexMask([[1, 2, 1, 7, 5]]), 1, 255),
  'vidA/0/00005': binary(indexMask([[1, 2, 2, 7, 7]]), 1, 255),
  'vidA/1/00000': binary(indexMask([[1, 9, 3, 14, 9]]), 1, 255),
  'vidB/0/00000': binary(indexMask([[1, 0, 0, 8, 8]]), 1, 255),
  'vidB/0/00005': binary(indexMask([[1, 5, 3, 12, 9]]), 1, 255),
};
const runDir = join(root, 'run');
for (const [key, mask] of Object.entries(pred)) write(join(runDir, 'Annotations', `${key}.png`), encodeGrayPng(mask));
const run = { name: 'run', dir: runDir };

const EMPTY: Mask = { width: W, height: H, data: new Uint8Array(W * H) };

/** Expected per-frame scores, straight from scorePair on the in-memory masks. */
function expectedFrame(video: string, expId: string, objId: number, frame: string) {
  const p = pred[`${video}/${expId}/${frame}`];
  const { J, F } = scorePair(binary(gt[video][frame], objId), p ?? EMPTY);
  return { frame, J, F, missing: p === undefined };
}

function expectedExpression(video: string, expId: string, objId: number, text: string, category?: string) {
  const frames = Object.keys(gt[video]).map((f) => expectedFrame(video, expId, objId, f));
  const J = frames.reduce((s, f) => s + f.J, 0) / frames.length;
  const F = frames.reduce((s, f) => s + f.F, 0) / frames.length;
  return { video, expId, expression: text, ...(category ? { category } : {}), J, F, JF: (J + F) / 2, frames };
}

const EXPECTED = [
  expectedExpression('vidA', '0', 1, 'the left box', 'position'),
  expectedExpression('vidA', '1', 2, 'the right box'),
  expectedExpression('vidB', '0', 1, 'the big box'),
];

test('scoreSplit: per-frame, per-expression and split means; missing predictions count as empty masks', async () => {
  const ds = await openDataset(join(root, 'ds'));
  await assert.rejects(
    scoreSplit(ds, run, { workers: 0 }),
    (err: unknown) => err instanceof UnscorableError && err.skipped.length === 1,
    'strict by default',
  );
  const score = await scoreSplit(ds, run, { workers: 0, skipUnscorable: true });
  assert.deepEqual(score.expressions, EXPECTED);
  // Sanity of the fixture itself: non-trivial scores and one missing frame.
  assert.ok(EXPECTED[0].J > 0.3 && EXPECTED[0].J < 1);
  assert.equal(EXPECTED[1].frames[1].missing, true);
  assert.equal(EXPECTED[1].frames[1].J, 0);
  assert.equal(EXPECTED[2].frames[0].J, 1);
  const J = (EXPECTED[0].J + EXPECTED[1].J + EXPECTED[2].J) / 3;
  const F = (EXPECTED[0].F + EXPECTED[1].F + EXPECTED[2].F) / 3;
  assert.equal(score.J, J);
  assert.equal(score.F, F);
  assert.equal(score.JF, (J + F) / 2);
  const metaFile = join(root, 'ds', 'meta_expressions', 'train', 'meta_expressions.json');
  assert.deepEqual(score.skipped, [
    {
      video: 'vidA',
      expId: '2',
      file: metaFile,
      reason: 'no obj_id; every expression of a split with ground truth needs one',
    },
  ]);
});

test('scoreSplit on worker threads gives exactly the in-thread result, with progress', async () => {
  const ds = await openDataset(join(root, 'ds'));
  const progress: [number, number][] = [];
  const threaded = await scoreSplit(ds, run, {
    workers: 2,
    skipUnscorable: true,
    onProgress: (d, t) => progress.push([d, t]),
  });
  assert.deepEqual(threaded, await scoreSplit(ds, run, { workers: 0, skipUnscorable: true }));
  assert.deepEqual(progress[0], [0, 3]);
  assert.deepEqual(progress.at(-1), [3, 3]);
  assert.equal(progress.length, 3);
});

test('scoreSplit: a subset of videos, unknown videos, abort', async () => {
  const ds = await openDataset(join(root, 'ds'));
  const onlyB = await scoreSplit(ds, run, { videos: ['vidB'], workers: 0 });
  assert.deepEqual(onlyB.expressions, [EXPECTED[2]]);
  assert.equal(onlyB.J, EXPECTED[2].J);
  assert.equal(onlyB.skipped, undefined);
  await assert.rejects(
    scoreSplit(ds, run, { videos: ['nope'] }),
    (err: unknown) => err instanceof InputError && /no video "nope" in split "train"/.test(err.problem),
  );
  const controller = new AbortController();
  controller.abort();
  await assert.rejects(scoreSplit(ds, run, { signal: controller.signal, skipUnscorable: true }), {
    name: 'AbortError',
  });
  // Aborting while workers run: the promise rejects and the workers are terminated (else this test would hang).
  for (const workers of [0, 1]) {
    const running = new AbortController();
    const pending = scoreSplit(ds, run, {
      workers,
      skipUnscorable: true,
      signal: running.signal,
      onProgress: (done) => done > 0 && running.abort(),
    });
    await assert.rejects(pending, { name: 'AbortError' }, `workers: ${workers}`);
  }
});

test('scoreExpression scores one expression in the calling thread; no obj_id is an InputError', async () => {
  const ds = await openDataset(join(root, 'ds'));
  const video = ds.videoById.get('vidA')!;
  assert.deepEqual(await scoreExpression(ds, video, video.expressions[1], run), EXPECTED[1]);
  await assert.rejects(
    scoreExpression(ds, video, video.expressions[2], run),
    (err: unknown) => err instanceof InputError && /expression 2: no obj_id/.test(err.problem),
  );
});

test('bad prediction files fail the whole split with an UnscorableError naming each file, also from a worker', async () => {
  const broken = join(root, 'broken');
  write(join(broken, 'Annotations', 'vidB', '0', '00000.png'), 'definitely not a png');
  write(
    join(broken, 'Annotations', 'vidB', '0', '00005.png'),
    encodeGrayPng({ width: 5, height: 5, data: new Uint8Array(25) }),
  );
  const ds = await openDataset(join(root, 'ds'));
  const brokenRun = { name: 'broken', dir: broken };
  for (const workers of [0, 2]) {
    await assert.rejects(scoreSplit(ds, brokenRun, { videos: ['vidB'], workers }), (err: unknown) => {
      assert.ok(err instanceof UnscorableError, String(err));
      assert.deepEqual(err.skipped, [
        {
          video: 'vidB',
          expId: '0',
          file: join(broken, 'Annotations', 'vidB', '0', '00000.png'),
          reason: 'not a PNG file',
        },
      ]);
      return true;
    });
  }
  rmSync(join(broken, 'Annotations', 'vidB', '0', '00000.png'));
  await assert.rejects(scoreSplit(ds, brokenRun, { videos: ['vidB'], workers: 2 }), (err: unknown) => {
    assert.ok(err instanceof UnscorableError);
    assert.equal(err.skipped[0].file, join(broken, 'Annotations', 'vidB', '0', '00005.png'));
    assert.match(err.skipped[0].reason, /^mask is 5×5 but ground truth .*00005\.png is 17×11$/);
    return true;
  });
});

test('a split without Annotations cannot be scored; obj_id must be a pixel value', async () => {
  write(join(root, 'noanno', 'meta_expressions', 'valid', 'meta_expressions.json'), JSON.stringify(meta));
  const noAnno = await openDataset(join(root, 'noanno'));
  await assert.rejects(
    scoreSplit(noAnno, run),
    (err: unknown) => err instanceof InputError && /no ground truth for split "valid"/.test(err.problem),
  );

  const odd = structuredClone(meta);
  (odd.videos.vidB.expressions['0'] as { obj_id: string }).obj_id = 'person';
  write(join(root, 'odd', 'meta_expressions', 'train', 'meta_expressions.json'), JSON.stringify(odd));
  mkdirSync(join(root, 'odd', 'train', 'Annotations'), { recursive: true });
  const ds = await openDataset(join(root, 'odd'));
  await assert.rejects(
    scoreSplit(ds, run, { videos: ['vidB'] }),
    (err: unknown) => err instanceof InputError && /obj_id "person" is not an object id/.test(err.problem),
  );
});

test('scoreVideoJob (the per-video work of a worker) decodes each annotation once for all expressions', async () => {
  const ds = await openDataset(join(root, 'ds'));
  const result = await scoreVideoJob({
    video: 'vidA',
    frames: ['00000', '00005'],
    gt: {
      kind: 'index-png',
      files: ['00000', '00005'].map((f) => join(ds.root, 'train', 'Annotations', 'vidA', `${f}.png`)),
    },
    rules: { frames: 'annotated', missingVideo: 'empty' },
    run,
    expressions: [
      { expId: '0', text: 'the left box', targets: ['1'], category: 'position' },
      { expId: '1', text: 'the right box', targets: ['2'] },
    ],
  });
  assert.deepEqual(result, { scored: EXPECTED.slice(0, 2), skipped: [] });
});
