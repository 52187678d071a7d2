import assert from 'node:assert/strict';
import { access, readFile, rm } from 'node:fs/promises';
import * as path from 'node:path';
import { test } from 'node:test';
import { openBenchmarkDataset } from '../../src/core/benchmarks';
import { openDataset } from '../../src/core/dataset';
import { scoreSplit } from '../../src/core/evaluate';
import { openPredictionRun } from '../../src/core/predictions';
import { expressionScoresCsv, frameScoresCsv } from '../../src/core/report/csv';
import { readZip } from '../../src/core/report/zip';
import { WorkspaceAnnotations } from '../../src/host/annotations/annotations';
import {
  exportReport,
  exportScores,
  exportSubmission,
  fileStem,
  type ExportContext,
  type ExportSession,
  type ExportUi,
  type PickItem,
} from '../../src/host/exports/exportCommands';
import { splitScoreOf } from '../../src/host/failures/failuresScores';
import { RunScores } from '../../src/host/session/runScores';
import type { ImportedRun } from '../../src/host/session/importedRun';
import { annotationsLocation } from '../helpers/annotationsLocation';
import { rvos } from '../helpers/badData';
import { writeMevisSplit } from '../helpers/mevisSplit';
import { FRAMES, rectMask, tempDir, writePerfectRun, writePrediction, writeTinyDataset } from '../helpers/tinyDataset';

/** The session's part the exports use, over a real dataset and run; scoring is the real split scorer. */
async function openSession(): Promise<{ session: ExportSession; imported: ImportedRun; runDir: string }> {
  const ds = await openDataset(await writeTinyDataset());
  const runDir = await writePerfectRun();
  // vidA/1 predicts the wrong object on its second frame, so the scores are not all 1.
  await writePrediction(runDir, 'vidA', '1', FRAMES[1], rectMask([[1, 2, 2, 8, 8]]));
  const imported: ImportedRun = {
    run: await openPredictionRun(runDir, 'my run'),
    scores: new RunScores(),
    complete: false,
  };
  const session: ExportSession = {
    dataset: ds,
    activeRun: imported,
    async scoreRun(_name, signal, onProgress) {
      const score = await scoreSplit(ds, imported.run, { signal, onProgress });
      imported.scores = RunScores.fromSplit(score);
      imported.complete = true;
      return score;
    },
  };
  return { session, imported, runDir };
}

interface Script {
  save?: string;
  pick?: string;
  abort?: boolean;
}

/** An ExportUi answering from a script and recording what it was asked and told. */
function scriptedUi(script: Script) {
  const log = { dialogs: [] as string[], progress: [] as string[], info: [] as string[], warn: [] as string[] };
  const ui: ExportUi = {
    async saveFile({ defaultPath }) {
      log.dialogs.push(defaultPath);
      return script.save;
    },
    async pick<T extends string>(_title: string, items: readonly PickItem<T>[]) {
      return items.find((i) => i.value === script.pick)?.value;
    },
    async progress(title, task) {
      const abort = new AbortController();
      if (script.abort) abort.abort();
      log.progress.push(title);
      return task((message) => log.progress.push(message), abort.signal);
    },
    info: (m) => log.info.push(m),
    warn: (m) => log.warn.push(m),
  };
  return { ui, log };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

test('scores: the run is scored first, then CSV per expression, CSV per frame and JSON as the CLI writes them', async () => {
  const { session, imported } = await openSession();
  const out = await tempDir('out');
  const expected = await scoreSplit(session.dataset!, imported.run);
  for (const [format, name, text] of [
    ['csv', 'e.csv', expressionScoresCsv(expected)],
    ['frames-csv', 'f.csv', frameScoresCsv(expected)],
    ['json', 's.json', JSON.stringify(expected, null, 2) + '\n'],
  ] as const) {
    const { ui, log } = scriptedUi({ save: path.join(out, name), pick: format });
    const ctx: ExportContext = { session, ui, defaultDir: out };
    assert.equal(await exportScores(ctx), path.join(out, name));
    assert.equal(await readFile(path.join(out, name), 'utf8'), text, format);
    assert.match(log.info[0], new RegExp(`wrote .*${name} \\(3 expressions\\)`));
    if (format === 'csv') {
      assert.ok(
        log.progress.some((p) => /scoring 3\/3 expressions/.test(p)),
        'scored under the progress notification',
      );
      assert.equal(log.dialogs[0], path.join(out, 'my-run-scores.csv'));
    }
  }
  assert.ok(imported.complete);
  assert.deepEqual(
    splitScoreOf(session.dataset!.videos, imported.scores),
    expected,
    'the session scores give back the split score',
  );
});

test('outputs inside the dataset folder are refused; a cancelled dialog or format pick writes nothing', async () => {
  const { session } = await openSession();
  const inside = path.join(session.dataset!.root, 'train', 'scores.csv');
  const { ui } = scriptedUi({ save: inside, pick: 'csv' });
  await assert.rejects(
    exportScores({ session, ui, defaultDir: '/tmp' }),
    /refusing to write inside the dataset folder .*; choose another file/,
  );
  await assert.rejects(
    exportSubmission({ session, ui, defaultDir: '/tmp' }),
    /refusing to write inside the dataset folder/,
  );
  assert.equal(await exists(inside), false);
  const cancelled = scriptedUi({ save: undefined, pick: 'csv' });
  assert.equal(await exportScores({ session, ui: cancelled.ui, defaultDir: '/tmp' }), undefined);
  assert.deepEqual(cancelled.log.progress, []);
  const noFormat = scriptedUi({ save: '/tmp/never.csv' });
  assert.equal(await exportScores({ session, ui: noFormat.ui, defaultDir: '/tmp' }), undefined);
  assert.deepEqual(noFormat.log.dialogs, []);
});

test('cancelling while scoring stops the export and leaves no file', async () => {
  const { session, imported } = await openSession();
  const file = path.join(await tempDir('out'), 'scores.json');
  const { ui } = scriptedUi({ save: file, pick: 'json', abort: true });
  await assert.rejects(
    exportScores({ session, ui, defaultDir: '/tmp' }),
    (err: unknown) => err instanceof Error && err.name === 'AbortError',
  );
  assert.equal(await exists(file), false);
  assert.equal(imported.complete, false);
});

test('report: self-contained HTML of the worst expressions with the workspace tags and notes', async () => {
  const { session } = await openSession();
  const ws = await tempDir('ws');
  const annotations = new WorkspaceAnnotations(annotationsLocation(ws));
  await annotations.set('vidA', '1', { tags: ['wrong object'], note: 'picks the <square>' });
  const file = path.join(await tempDir('out'), 'report.html');
  const { ui, log } = scriptedUi({ save: file });
  await exportReport({ session, ui, defaultDir: ws, annotations }, 2);
  const html = await readFile(file, 'utf8');
  assert.match(html, /<title>RVOS failure report: my run<\/title>/);
  assert.match(html, /2 worst expressions/);
  assert.match(html, /<span class="tag">wrong object<\/span>/);
  assert.match(html, /picks the &lt;square&gt;/);
  // The worst (vidA/1), then the first of the perfect ones by name (vidA/0); vidB/0 is past the 2 asked for.
  assert.ok(html.indexOf('the tall bar on the right') < html.indexOf('the red square on the left'), 'worst first');
  assert.ok(!html.includes('a wide rectangle'));
  assert.ok(!/<script\b/.test(html));
  assert.deepEqual(log.warn, []);
  assert.equal(log.dialogs[0], path.join(ws, 'my-run-report.html'));
});

test('report without a workspace folder: written without tags, with a warning that says why', async () => {
  const { session } = await openSession();
  const file = path.join(await tempDir('out'), 'report.html');
  const { ui, log } = scriptedUi({ save: file });
  await exportReport({
    session,
    ui,
    defaultDir: '/tmp',
    annotations: new WorkspaceAnnotations(annotationsLocation(undefined)),
  });
  assert.ok(await exists(file));
  assert.match(log.warn[0], /no tags or notes: no workspace folder is open/);
});

test('submission zip: the evaluation-server layout, frames without a mask left out with a warning', async () => {
  const { session, runDir } = await openSession();
  await rm(path.join(runDir, 'Annotations', 'vidB', '0', '00005.png'));
  const file = path.join(await tempDir('out'), 'sub.zip');
  const { ui, log } = scriptedUi({ save: file });
  await exportSubmission({ session, ui, defaultDir: '/tmp' });
  const names = readZip(await readFile(file))
    .map((e) => e.name)
    .sort();
  assert.deepEqual(names, [
    'Annotations/vidA/0/00000.png',
    'Annotations/vidA/0/00005.png',
    'Annotations/vidA/1/00000.png',
    'Annotations/vidA/1/00005.png',
    'Annotations/vidB/0/00000.png',
  ]);
  assert.match(log.warn[0], /1 listed frames have no mask .* \(first: vidB\/0\/00005\.png\)/);
  assert.match(log.info[0], /\(5 masks\)/);
});

test('no dataset or no active run: the message says which command to use', async () => {
  const { ui } = scriptedUi({ save: '/tmp/x.csv', pick: 'csv' });
  const none = {
    dataset: undefined,
    activeRun: undefined,
    scoreRun: () => Promise.reject(new Error('unused')),
  } as ExportSession;
  await assert.rejects(
    exportScores({ session: none, ui, defaultDir: '/tmp' }),
    /no dataset is open \(RVOS: Open Dataset…\)/,
  );
  const { session } = await openSession();
  await assert.rejects(
    exportReport({ session: { ...session, activeRun: undefined, scoreRun: session.scoreRun }, ui, defaultDir: '/tmp' }),
    /no active prediction run/,
  );
  assert.equal(fileStem('run: 1/2 (new)'), 'run-1-2-new');
  assert.equal(fileStem('///'), 'run');
});

test('submission zip of a MeViS run: the video folders at the root, and rvos check accepts it', async () => {
  const root = await tempDir('mevis-export');
  const pred = path.join(root, 'pred');
  await writeMevisSplit(root, 'valid_u', {
    seed: 'export',
    videos: 2,
    frames: 3,
    objects: [2, 2],
    width: 24,
    height: 16,
    absent: 0.3,
    noise: 0,
    predictions: pred,
  });
  const ds = await openBenchmarkDataset(root);
  const imported: ImportedRun = {
    run: await openPredictionRun(pred, 'mevis run', { videoFolders: true }),
    scores: new RunScores(),
    complete: false,
  };
  const session: ExportSession = {
    dataset: ds,
    activeRun: imported,
    scoreRun: () => Promise.reject(new Error('a submission needs no scores')),
  };
  const file = path.join(await tempDir('out'), 'mevis.zip');
  const { ui, log } = scriptedUi({ save: file });
  await exportSubmission({ session, ui, defaultDir: '/tmp' });
  const names = readZip(await readFile(file)).map((e) => e.name);
  assert.equal(names.length, 2 * 3 * 3);
  assert.ok(
    names.every((n) => /^v0000[01]\/[0-2]\/0000[0-2]\.png$/.test(n)),
    names.find((n) => !/^v0000[01]\//.test(n)),
  );
  assert.match(log.info[0], /\(18 masks\)/);
  const check = await rvos('check', root, '--pred', file);
  assert.equal(check.code, 0, check.stdout + check.stderr);
});
