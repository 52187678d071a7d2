// The host side of the viewer's "compare with": clip scores of any imported run, scored on demand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDataset } from '../../src/core/dataset';
import { openPredictionRun } from '../../src/core/predictions';
import { RunScores } from '../../src/host/session/runScores';
import { runClipScores, scoreClipOnce, type ScoringSession } from '../../src/host/session/runClipScores';
import type { ImportedRun } from '../../src/host/session/importedRun';
import { rectMask, tempDir, writePerfectRun, writePrediction, writeTinyDataset } from '../helpers/tinyDataset';

async function setup() {
  const ds = await openDataset(await writeTinyDataset());
  const perfect: ImportedRun = {
    run: await openPredictionRun(await writePerfectRun(), 'perfect'),
    scores: new RunScores(),
    complete: false,
  };
  const halfDir = await tempDir('run');
  await writePrediction(halfDir, 'vidA', '0', '00000', rectMask([[1, 2, 2, 5, 8]]));
  const half: ImportedRun = { run: await openPredictionRun(halfDir, 'half'), scores: new RunScores(), complete: false };
  const activeCalls: string[] = [];
  const session = {
    runs: new Map([
      ['perfect', perfect],
      ['half', half],
    ]),
    activeRun: half,
    dataset: ds,
    scoreClip: async (videoId: string) => {
      activeCalls.push(videoId);
      return false;
    },
  } satisfies ScoringSession;
  return { ds, perfect, half, session, activeCalls };
}

test('another run is scored on demand, once, into its RunScores; the active run goes through the session', async () => {
  const { ds, perfect, session, activeCalls } = await setup();
  const [first, second] = await Promise.all([
    runClipScores(session, ds, 'perfect', 'vidA'),
    runClipScores(session, ds, 'perfect', 'vidA'),
  ]);
  assert.deepEqual(
    first.map((e) => [e.expId, e.JF]),
    ds.videoById
      .get('vidA')!
      .expressions.filter((e) => e.objId !== undefined)
      .map((e) => [e.expId, 1]),
  );
  assert.deepEqual(second, first);
  assert.equal(perfect.scores.expression('vidA', first[0].expId), first[0]);
  assert.deepEqual(activeCalls, []);
  // The active run: the session scores it (and refreshes the tree); what it holds is returned.
  assert.deepEqual(await runClipScores(session, ds, 'half', 'vidA'), []);
  assert.deepEqual(activeCalls, ['vidA']);
});

test('unknown runs and clips are clear errors; scores of a split that changed meanwhile are dropped', async () => {
  const { ds, perfect, session } = await setup();
  await assert.rejects(runClipScores(session, ds, 'nope', 'vidA'), /no imported prediction run "nope"/);
  await assert.rejects(runClipScores(session, ds, 'perfect', 'vidZ'), /no clip "vidZ"/);
  const pending = runClipScores(session, ds, 'perfect', 'vidB');
  perfect.scores = new RunScores(); // the session opened another split while the clip was being scored
  assert.deepEqual(await pending, []);
  assert.equal(perfect.scores.hasClip('vidB'), false);
});

test("scoreClipOnce (the session's path for the active run too): adds a clip once, shares concurrent jobs, drops stale scores", async () => {
  const { ds, perfect } = await setup();
  const session = { dataset: ds };
  const isCurrent = () => session.dataset === ds;
  const a = scoreClipOnce(ds, perfect, 'vidA', isCurrent);
  assert.equal(scoreClipOnce(ds, perfect, 'vidA', isCurrent), a, 'one job for concurrent calls');
  assert.equal(await a, true);
  assert.equal(perfect.scores.hasClip('vidA'), true);
  assert.equal(await scoreClipOnce(ds, perfect, 'vidA', isCurrent), false, 'known already');
  // The session opened another dataset while the clip was being scored: nothing added.
  const stale = scoreClipOnce(ds, perfect, 'vidB', isCurrent);
  session.dataset = await openDataset(await writeTinyDataset());
  assert.equal(await stale, false);
  assert.equal(perfect.scores.hasClip('vidB'), false);
  // A run scored as a whole: nothing to do.
  assert.equal(
    await scoreClipOnce(ds, { ...perfect, scores: new RunScores(), complete: true }, 'vidB', () => true),
    false,
  );
});

test('the same split reopened while a clip is being scored: a new request gets its scores (not the old, stale job)', async () => {
  const { ds, perfect, session } = await setup();
  const oldScores = perfect.scores;
  const old = runClipScores(session, ds, 'perfect', 'vidB');
  // Open Dataset on the same root and split: a new Dataset object, a new RunScores for every run.
  const reopened = await openDataset(ds.root, ds.split);
  session.dataset = reopened;
  perfect.scores = new RunScores();
  const fresh = await runClipScores(session, reopened, 'perfect', 'vidB');
  await old;
  assert.equal(oldScores.hasClip('vidB'), false, 'the old job is stale: nothing of it is kept');
  const expected = reopened.videoById
    .get('vidB')!
    .expressions.filter((e) => e.objId !== undefined)
    .map((e) => [e.expId, 1]);
  assert.ok(expected.length > 0);
  assert.deepEqual(
    fresh.map((e) => [e.expId, e.JF]),
    expected,
  );
  assert.equal(perfect.scores.hasClip('vidB'), true);
});
