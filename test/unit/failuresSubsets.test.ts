// The Failures panel's benchmark subsets and variant table: the subset filter of FailuresModel (Ref-DAVIS17 expression
// ids 4·k + a, combined with a tag), the subsets a dataset offers (ReVOS type_id, Ref-DAVIS17 by its folder name), and
// the run-time guards of the `variants` request and answer.

import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { test } from 'node:test';
import { openBenchmarkDataset } from '../../src/core/benchmarks';
import { isRefDavis17, subsetsOf } from '../../src/core/benchmarks/subsets';
import type { Dataset } from '../../src/core/dataset';
import type { ExpressionScore, SplitScore } from '../../src/core/types';
import { FailuresModel } from '../../src/host/failures/failuresModel';
import { isFailuresHostMessage, isFailuresWebviewMessage } from '../../src/shared/failures/protocol';
import { writeRevosFixture } from '../helpers/revosSplit';
import { tempDir } from '../helpers/tinyDataset';

function exp(expId: string, jf: number): ExpressionScore {
  return { video: 'bike', expId, expression: `e${expId}`, J: jf, F: jf, JF: jf, frames: [] };
}

const davis = { root: '/data/ref-davis', benchmark: undefined } as unknown as Dataset;

test('the subset filter lists a Ref-DAVIS17 subset, and with a tag the expressions in both', () => {
  const expressions = ['0', '1', '2', '3', '4', '5', '6', '7'].map((id, k) => exp(id, k / 10));
  const score: SplitScore = { J: 0, F: 0, JF: 0, expressions };
  const model = new FailuresModel({ mode: 'single', runs: [{ name: 'r', score }], subsetsOf: subsetsOf(davis) });
  assert.deepEqual(
    [...model.subsets().keys()],
    [
      'first-frame expressions',
      'annotator 1, first-frame',
      'full-video expressions',
      'annotator 1, full-video',
      'annotator 2, first-frame',
      'annotator 2, full-video',
    ],
  );
  const ids = (subset: string, tag?: string) =>
    model
      .page({ measure: 'JF', order: 'worst-first', subset, ...(tag ? { tag } : {}) }, 0, 100, {
        get: () => ({ tags: [], note: '' }),
        keysWithTag: () => new Set(['bike\u00000', 'bike\u00005']),
      })
      .rows.map((r) => r.expId);
  assert.deepEqual(ids('first-frame expressions'), ['0', '2', '4', '6']);
  assert.deepEqual(ids('annotator 2, full-video'), ['3', '7']);
  assert.deepEqual(ids('full-video expressions', 'small'), ['5']);
  assert.deepEqual(ids('no such subset'), []);
});

test('subsets a dataset offers: ReVOS type_id names, Ref-DAVIS17 only by its folder name, none otherwise', async () => {
  const dir = await tempDir('subsets');
  try {
    const fx = await writeRevosFixture(dir);
    const ds = await openBenchmarkDataset(fx.root);
    assert.deepEqual(subsetsOf(ds)!('UVO/all/-fbscFfkh4M', '1'), ['reasoning']);
    assert.deepEqual(subsetsOf(ds)!('UVO/all/-fbscFfkh4M', '2'), ['no-target']);
    assert.equal(isRefDavis17(ds), false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  assert.ok(isRefDavis17(davis));
  assert.equal(subsetsOf({ root: '/data/ref-youtube-vos' } as unknown as Dataset), undefined);
  assert.deepEqual(subsetsOf(davis)!('bike', 'x'), [], 'an id that is not 4·k + a has no Ref-DAVIS17 subset');
});

test('the variants request and answer are checked at run time', () => {
  assert.ok(isFailuresWebviewMessage({ type: 'variants', requestId: 3 }));
  assert.ok(!isFailuresWebviewMessage({ type: 'variants', requestId: -1 }));
  assert.ok(
    isFailuresWebviewMessage({
      type: 'query',
      requestId: 1,
      query: { measure: 'JF', order: 'worst-first', subset: 'referring' },
      offset: 0,
      limit: 10,
      histograms: false,
    }),
  );
  assert.ok(
    !isFailuresWebviewMessage({
      type: 'query',
      requestId: 1,
      query: { measure: 'JF', order: 'worst-first', subset: 3 },
      offset: 0,
      limit: 10,
      histograms: false,
    }),
  );
  const row = { name: 'official', kind: 'protocol', expressions: 2, J: 0.5, F: 0.6, JF: 0.55, delta: 0 };
  const table = {
    run: 'r',
    benchmark: 'ReVOS',
    rows: [row, { ...row, name: 'referring', kind: 'subset', delta: null }],
  };
  assert.ok(isFailuresHostMessage({ type: 'variants', requestId: 1, table }));
  assert.ok(
    !isFailuresHostMessage({ type: 'variants', requestId: 1, table: { ...table, rows: [{ ...row, J: '50' }] } }),
  );
  assert.ok(
    !isFailuresHostMessage({ type: 'variants', requestId: 1, table: { ...table, rows: [{ ...row, kind: 'other' }] } }),
  );
  assert.ok(!isFailuresHostMessage({ type: 'variants', requestId: 1 }));
});
