// ReVOS as a dataset, end to end: opening the layout (nested video ids, type_id, mask_dict.json and
// mask_dict_foreground.json through the streaming index), scoring a prediction run with every rule of VISA's
// eval_revos.py, and the golden comparison with test/golden/revos_eval_ref.py (our Python re-implementation of that
// script, numpy + OpenCV) on generated data: every J, F, A, R and every summary value equal within 1e-9. Also the
// OpenCV grayscale reading the A and R values depend on, `rvos score` text and JSON, and bad input.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openBenchmarkDataset, expressionHasGroundTruth } from '../../src/core/benchmarks';
import { UnscorableError } from '../../src/core/errors';
import { scoreSplit } from '../../src/core/evaluate';
import { summarizeRevosScores } from '../../src/core/benchmarks/revos/metrics';
import { decodeGrayscaleAsOpenCv, encodePng } from '../../src/core/png';
import { openPredictionRun } from '../../src/core/predictions';
import { Rng } from '../../src/core/random';
import { assertCliError, rvos } from '../helpers/badData';
import { writeRevosFixture, type RevosFixture } from '../helpers/revosSplit';
import { tempDir } from '../helpers/tinyDataset';

const REPO = path.resolve(__dirname, '../..');
const PYTHON = '/usr/bin/python3';
const REFERENCE = path.join(REPO, 'test', 'golden', 'revos_eval_ref.py');

interface Reference {
  expressions: { video: string; expId: string; typeId: number; J: number; F: number; A: number; R: number }[];
  summary: Record<string, Record<string, number>>;
}

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9, `${what}: ${actual} vs ${expected}`);
}

describe('ReVOS dataset', () => {
  let dir: string;
  let fx: RevosFixture;
  before(async () => {
    dir = await tempDir('revos');
    fx = await writeRevosFixture(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('opens the layout: nested video ids, type_id as category, every expression with ground truth', async () => {
    const ds = await openBenchmarkDataset(fx.root);
    assert.equal(ds.benchmark, 'revos');
    assert.equal(ds.split, 'valid');
    assert.deepEqual(ds.problems, []);
    assert.deepEqual(
      ds.videos.map((v) => v.id),
      ['UVO/all/-fbscFfkh4M', 'MOSE/4a1b', 'LVOS/x9', 'TAO/nopred'],
    );
    const e = ds.videos[0].expressions;
    assert.deepEqual(
      e.map((x) => [x.typeId, x.category]),
      [
        [0, 'referring'],
        [1, 'reasoning'],
        [2, 'no-target'],
        [1, 'reasoning'],
      ],
    );
    assert.ok(
      e.every((x) => expressionHasGroundTruth(ds, x)),
      'a no-target expression has (empty) ground truth',
    );
  });

  it('scores J, F, A, R and the official summary exactly as the Python reference of eval_revos.py', async () => {
    const ds = await openBenchmarkDataset(fx.root);
    const run = await openPredictionRun(fx.pred, undefined, { videoFolders: true });
    const score = await scoreSplit(ds, run, { workers: 0 });
    const ref = JSON.parse(
      execFileSync(PYTHON, [REFERENCE, fx.root, 'valid', fx.pred], { encoding: 'utf8', maxBuffer: 64 << 20 }),
    ) as Reference;
    assert.equal(score.expressions.length, ref.expressions.length);
    for (const [k, r] of ref.expressions.entries()) {
      const e = score.expressions[k];
      assert.deepEqual([e.video, e.expId, e.typeId], [r.video, r.expId, r.typeId]);
      for (const key of ['J', 'F', 'A', 'R'] as const) close(e[key]!, r[key], `${r.video}/${r.expId} ${key}`);
    }
    const summary = summarizeRevosScores(score.expressions);
    for (const group of ['referring', 'reason', 'overall', 'noTarget'] as const)
      for (const key of ['J', 'F', 'A', 'R', 'JF'] as const)
        close(summary[group][key], ref.summary[group][key], `${group} ${key}`);
    // The split's J, F and J&F are the script's overall (what the extension's score message and exports show).
    close(score.J, ref.summary.overall.J / 100, 'split J');
    close(score.F, ref.summary.overall.F / 100, 'split F');
    close(score.JF, ref.summary.overall.JF / 100, 'split J&F');
    // What the data covers: zeros from the missing frame and video, real values elsewhere, 16-bit and RGB included.
    const of = (video: string, expId: string) => score.expressions.find((e) => e.video === video && e.expId === expId)!;
    assert.equal(of(fx.missingFrame.video, fx.missingFrame.expId).JF, 0);
    assert.equal(of(fx.missingVideo, '0').A, 0);
    assert.ok(score.expressions.filter((e) => e.A! > 0.5).length > 10);
    assert.ok(score.expressions.some((e) => e.R! > 0 && e.R! < 1));
  });

  it('rvos score prints the subsets and the overall number, and JSON with the script summary', async () => {
    const text = await rvos('score', fx.root, '--pred', fx.pred);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /referring \(type_id 0\)/);
    assert.match(text.stdout, /overall \(referring \+ reasoning\)/);
    assert.match(text.stdout, /no-target \(type_id 2, not in overall\)/);
    const json = await rvos('score', fx.root, '--pred', fx.pred, '--benchmark', 'revos', '--json');
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout) as { benchmark: string; JF: number; revos: { overall: { JF: number } } };
    assert.equal(out.benchmark, 'revos');
    close(out.JF, out.revos.overall.JF / 100, 'JF is the overall number');
  });

  it('--variants: the official row is the overall number; referring / reasoning / no-target rows are their subsets', async () => {
    const ds = await openBenchmarkDataset(fx.root);
    const run = await openPredictionRun(fx.pred, undefined, { videoFolders: true });
    const score = await scoreSplit(ds, run, { workers: 0 });
    const overall = summarizeRevosScores(score.expressions).overall;
    const r = await rvos('score', fx.root, '--pred', fx.pred, '--variants', '--json');
    assert.equal(r.code, 0, r.stderr);
    const rows = (JSON.parse(r.stdout) as { variants: { name: string; expressions: number; J: number; F: number }[] })
      .variants;
    const row = (name: string) => rows.find((x) => x.name === name)!;
    close(row('official').J, overall.J / 100, 'official J');
    close(row('official').F, overall.F / 100, 'official F');
    for (const [name, typeId] of [
      ['referring', 0],
      ['reasoning', 1],
      ['no-target', 2],
    ] as const) {
      const of = score.expressions.filter((e) => e.typeId === typeId);
      assert.equal(row(name).expressions, of.length, name);
      close(row(name).J, of.reduce((a, e) => a + e.J, 0) / of.length, `${name} J`);
    }
    // A no-target expression has an empty truth in every frame (also in the video without predictions).
    const scoredNoTarget = score.expressions.filter((e) => e.typeId === 2).length;
    assert.equal(row('no target').expressions, scoredNoTarget);
    const text = await rvos('score', fx.root, '--pred', fx.pred, '--variants');
    assert.match(text.stdout, /^ReVOS \(cilinyan\/VISA tools\/eval_revos\.py\): overall J /);
    assert.match(text.stdout, /\nreasoning +subset/);
  });

  it('refuses an expression without type_id and a missing mask_dict_foreground.json, naming the file', async () => {
    const meta = path.join(fx.root, 'meta_expressions_valid_.json');
    const original = await readFile(meta, 'utf8');
    const edited = JSON.parse(original) as {
      videos: Record<string, { expressions: Record<string, { type_id?: number }> }>;
    };
    delete edited.videos['LVOS/x9'].expressions['0'].type_id;
    await writeFile(meta, JSON.stringify(edited));
    try {
      const ds = await openBenchmarkDataset(fx.root);
      assert.match(ds.problems.map((p) => p.message).join('\n'), /expression 0 has no "type_id"/);
      const run = await openPredictionRun(fx.pred, undefined, { videoFolders: true });
      await assert.rejects(scoreSplit(ds, run, { workers: 0 }), (err: unknown) => {
        assert.ok(err instanceof UnscorableError);
        assert.equal(err.skipped.length, 1);
        assert.equal(err.skipped[0].file, meta);
        return true;
      });
    } finally {
      await writeFile(meta, original);
    }
    const fg = path.join(fx.root, 'mask_dict_foreground.json');
    const fgText = await readFile(fg, 'utf8');
    await rm(fg);
    try {
      const r = await rvos('score', fx.root, '--pred', fx.pred);
      assertCliError(r, fg, /no ground truth for split "valid"/);
    } finally {
      await writeFile(fg, fgText);
    }
  });

  it('a broken mask_dict_foreground.json is an error naming it', async () => {
    const fg = path.join(fx.root, 'mask_dict_foreground.json');
    const fgText = await readFile(fg, 'utf8');
    await writeFile(fg, '{"UVO/all/-fbscFfkh4M": [1, 2]}');
    try {
      const r = await rvos('score', fx.root, '--pred', fx.pred);
      assertCliError(
        r,
        fg,
        /not a ReVOS mask_dict_foreground.json \(at byte \d+\): video "UVO\/all\/-fbscFfkh4M": expected an object/,
      );
    } finally {
      await writeFile(fg, fgText);
    }
  });
});

describe('OpenCV grayscale reading (A and R use the values)', () => {
  it('equals cv2.imread(IMREAD_GRAYSCALE) for gray 1–16 bits, palette, RGB, RGBA and 16-bit RGB', async () => {
    const dir = await tempDir('revos-gray');
    try {
      const rng = new Rng('gray');
      const w = 64;
      const h = 8;
      const n = w * h;
      const palette = Uint8Array.from({ length: 256 * 3 }, () => rng.int(0, 255));
      const cases = {
        gray1: { bitDepth: 1, colorType: 0, samples: Uint8Array.from({ length: n }, () => rng.int(0, 1)) },
        gray4: { bitDepth: 4, colorType: 0, samples: Uint8Array.from({ length: n }, () => rng.int(0, 15)) },
        gray16: { bitDepth: 16, colorType: 0, samples: Uint16Array.from({ length: n }, () => rng.int(0, 65535)) },
        palette: { bitDepth: 8, colorType: 3, samples: Uint8Array.from({ length: n }, () => rng.int(0, 255)), palette },
        rgb: { bitDepth: 8, colorType: 2, samples: Uint8Array.from({ length: 3 * n }, () => rng.int(0, 255)) },
        rgba: { bitDepth: 8, colorType: 6, samples: Uint8Array.from({ length: 4 * n }, () => rng.int(0, 255)) },
        rgb16: { bitDepth: 16, colorType: 2, samples: Uint16Array.from({ length: 3 * n }, () => rng.int(0, 65535)) },
      } as const;
      for (const [name, c] of Object.entries(cases)) {
        const file = path.join(dir, `${name}.png`);
        const bytes = encodePng({ width: w, height: h, ...c });
        await writeFile(file, bytes);
        const cv = execFileSync(
          PYTHON,
          [
            '-c',
            'import sys, cv2, json; print(json.dumps(cv2.imread(sys.argv[1], cv2.IMREAD_GRAYSCALE).ravel().tolist()))',
            file,
          ],
          { encoding: 'utf8' },
        );
        assert.deepEqual([...decodeGrayscaleAsOpenCv(bytes, file).data], JSON.parse(cv) as number[], name);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
