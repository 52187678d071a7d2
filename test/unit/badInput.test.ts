// The bad-input matrix of docs/reliability.md: each case through the real `rvos` CLI (exit code, one `error:` or
// `warning:` line naming the file, no stack trace) and through the module API. Cases already covered elsewhere
// (cli.test.ts, dataset.test.ts, png.test.ts, predictions.test.ts, inferenceModel.test.ts, …) are listed in the table,
// not repeated here.

import assert from 'node:assert/strict';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { framePath, openDataset } from '../../src/core/dataset';
import { InputError } from '../../src/core/errors';
import { scoreSplit } from '../../src/core/evaluate';
import { encodeGrayPng, encodeIndexPng, encodePng } from '../../src/core/png';
import { openPredictionRun } from '../../src/core/predictions';
import type { SplitScore } from '../../src/core/types';
import { decodeRgb } from '../../src/inference/preprocess';
import { YofoRunner } from '../../src/inference/yofoRunner';
import {
  assertCliError,
  assertCliWarning,
  assertUnscorable,
  assertUnscorableFile,
  editMetaExpressions,
  jpegBytes,
  jpegClaimingSize,
  pngClaimingSize,
  rvos,
  sampleMetaFile,
  writeSampleDataset,
} from '../helpers/badData';
import {
  FRAMES,
  OBJECT_RECTS,
  rectMask,
  tempDir,
  tinyMetaExpressions,
  writeBytes,
  writeJson,
  writePerfectRun,
  writeTinyDataset,
} from '../helpers/tinyDataset';
import { writeTinyModel } from './inferenceTinyModel';

const isInputError = (file: string | RegExp, problem: RegExp) => (e: unknown) =>
  e instanceof InputError &&
  (typeof file === 'string' ? e.file === file : file.test(e.file)) &&
  problem.test(e.problem);

let model: string;
before(async () => {
  model = (await writeTinyModel(path.join(await tempDir('bad-model'), 'tiny'))).dir;
});

/** `rvos eval` with the tiny model on the CPU, into a fresh --out; the JSON score on success. */
async function evalJson(dataset: string, ...extra: string[]) {
  const out = path.join(await tempDir('bad-out'), 'out');
  const r = await rvos(
    'eval',
    dataset,
    '--model',
    model,
    '--execution-provider',
    'cpu',
    '--out',
    out,
    '--json',
    ...extra,
  );
  return { r, out, score: r.code === 0 ? (JSON.parse(r.stdout) as SplitScore) : undefined };
}

describe('metadata files', () => {
  it('meta.json with a syntax error: rvos score names the file, line and column', async () => {
    const root = await writeTinyDataset();
    const metaJson = path.join(root, 'train', 'meta.json');
    await writeJson(metaJson, '{"videos": {\n  "vidA": {"objects": {"1": {"category": "square"}}},\n}}');
    assertCliError(
      await rvos('score', root, '--pred', await writePerfectRun()),
      metaJson,
      /^invalid JSON at line 3, column 1: /,
    );
  });

  it('wrong types, missing keys and repeated ids are warnings naming the file; the rest is scored', async () => {
    const text = JSON.stringify(tinyMetaExpressions()).replace(
      '"videos":{',
      '"videos":{"noFrames":{"expressions":{"0":{"exp":"x","obj_id":"1"}}},"typed":{"expressions":{"0":{"exp":7,"obj_id":"1"},"1":{"exp":"ok","obj_id":[1]}},"frames":"00000"},' +
        '"vidB":{"expressions":{"0":{"exp":"shadowed","obj_id":"1"}},"frames":["00000"]},',
    );
    const root = await writeTinyDataset(text);
    const meta = path.join(root, 'meta_expressions', 'train', 'meta_expressions.json');
    const r = await rvos('score', root, '--pred', await writePerfectRun(), '--json');
    assertCliWarning(r, meta, /^video noFrames: no "frames" list; video skipped$/);
    assertCliWarning(r, meta, /^video typed: "frames" is a string; expected a list of frame names; video skipped$/);
    assertCliWarning(r, meta, /^video vidB: video id listed more than once; only the last entry is used$/);
    const score = JSON.parse(r.stdout) as SplitScore;
    assert.deepEqual(score.expressions.map((e) => `${e.video}/${e.expId}:${e.JF}`).sort(), [
      'vidA/0:1',
      'vidA/1:1',
      'vidB/0:1',
    ]);
    // A wrong type inside a kept video: only that expression goes.
    const root2 = await writeTinyDataset({
      videos: {
        vidA: { expressions: { '0': { exp: 7, obj_id: '1' }, '1': { exp: 'ok', obj_id: [2] } }, frames: FRAMES },
      },
    });
    const r2 = await rvos('score', root2, '--pred', await writePerfectRun(), '--json');
    const meta2 = path.join(root2, 'meta_expressions', 'train', 'meta_expressions.json');
    assert.ok(
      r2.stderr.includes(`warning: ${meta2}: video vidA: expression 0 "exp" is a number; expression skipped\n`),
      r2.stderr,
    );
    assert.ok(
      r2.stderr.includes(
        `warning: ${meta2}: video vidA: expression 1: obj_id is an array; expected a string; ignored\n`,
      ),
      r2.stderr,
    );
    assertUnscorable(r2, [
      [meta2, 'vidA', '1', /^no obj_id; every expression of a split with ground truth needs one$/],
    ]);
  });

  it('listed frames without an annotation file: every expression of those videos is refused, naming the folder and frames (CLI and API)', async () => {
    const root = await writeTinyDataset();
    await rm(path.join(root, 'train', 'Annotations', 'vidA', '00005.png'));
    await rm(path.join(root, 'train', 'Annotations', 'vidB'), { recursive: true });
    const run = await writePerfectRun();
    const vidA = path.join(root, 'train', 'Annotations', 'vidA');
    const someMissing = /^1 of 2 listed frames have no ground-truth file: 00005\.png$/;
    assertUnscorable(await rvos('score', root, '--pred', run), [
      [vidA, 'vidA', '0', someMissing],
      [vidA, 'vidA', '1', someMissing],
      [path.join(root, 'train', 'Annotations', 'vidB'), 'vidB', '0', /^no ground-truth folder for this video$/],
    ]);
    const ds = await openDataset(root);
    const score = await scoreSplit(ds, await openPredictionRun(run), {
      workers: 0,
      videos: ['vidA'],
      skipUnscorable: true,
    });
    assert.deepEqual(score.expressions, []);
    assert.deepEqual(
      score.skipped?.map((s) => [s.file, s.expId]),
      [
        [vidA, '0'],
        [vidA, '1'],
      ],
    );
  });

  it('listed frames without a JPEG: framePath + decode names the file; rvos eval warns and skips those expressions', async () => {
    const root = await writeSampleDataset(2);
    const ds = await openDataset(root);
    const [v0, v1] = ds.videos;
    const gone = framePath(ds, v0.id, v0.frames[1]);
    await rm(gone);
    await assert.rejects(decodeRgb(gone), isInputError(gone, /^frame image not found$/));
    const { r, score } = await evalJson(root);
    assertCliWarning(r, gone, /^frame image not found; expression skipped \(scored as empty masks\)$/);
    // The other video is untouched by the damage.
    const clean = score!.expressions.filter((e) => e.video === v1.id);
    assert.equal(clean.length, v1.expressions.length);
    assert.ok(clean.some((e) => e.JF > 0));
  });
});

describe('images', () => {
  it('frames: truncated, corrupt, zero-byte and oversized JPEGs are InputErrors naming the file', async () => {
    const dir = await tempDir('bad-jpeg');
    const good = await jpegBytes();
    const cases: [string, Uint8Array, RegExp][] = [
      ['truncated.jpg', good.subarray(0, good.length >> 1), /^cannot decode frame image: .*premature end of JPEG/],
      [
        'corrupt.jpg',
        Buffer.from('this is not a JPEG'),
        /^cannot decode frame image: Input file contains unsupported image format$/,
      ],
      ['empty.jpg', new Uint8Array(0), /^empty file \(0 bytes\); not an image$/],
      [
        'huge.jpg',
        jpegClaimingSize(good, 20000, 20000),
        /^image is 20000×20000; frames larger than 100 Mpixel are not supported$/,
      ],
      // Under sharp's own limit (268 Mpixel) but over ours: refused before allocating 432 MB.
      ['big.jpg', jpegClaimingSize(good, 12000, 12000), /^image is 12000×12000; frames larger than 100 Mpixel/],
    ];
    for (const [name, bytes, problem] of cases) {
      const file = path.join(dir, name);
      await writeFile(file, bytes);
      await assert.rejects(decodeRgb(file), isInputError(file, problem), name);
    }
    await writeFile(path.join(dir, 'ok.jpg'), good);
    assert.deepEqual(
      await decodeRgb(path.join(dir, 'ok.jpg')).then((f) => [f.width, f.height]),
      [32, 24],
      'the intact JPEG decodes',
    );
  });

  it('frames through rvos eval: a truncated and a zero-byte JPEG skip their expressions with a warning naming the file', async () => {
    const root = await writeSampleDataset(3);
    const ds = await openDataset(root);
    const truncated = framePath(ds, ds.videos[0].id, ds.videos[0].frames[0]);
    const empty = framePath(ds, ds.videos[1].id, ds.videos[1].frames[2]);
    await writeFile(truncated, (await readFile(truncated)).subarray(0, 200));
    await writeFile(empty, '');
    const { r, score } = await evalJson(root);
    assertCliWarning(r, truncated, /^cannot decode frame image: .*; expression skipped/);
    assertCliWarning(r, empty, /^empty file \(0 bytes\); not an image; expression skipped/);
    assert.ok(
      score!.expressions.filter((e) => e.video === ds.videos[2].id).some((e) => e.JF > 0),
      'the intact video is scored',
    );
  });

  it('annotations: zero-byte, RGB and 16-bit PNGs are refused by rvos score, naming the file', async () => {
    const rgb = {
      width: 16,
      height: 12,
      bitDepth: 8 as const,
      colorType: 2 as const,
      samples: new Uint8Array(16 * 12 * 3),
    };
    const gray16 = {
      width: 16,
      height: 12,
      bitDepth: 16 as const,
      colorType: 0 as const,
      samples: new Uint16Array(16 * 12),
    };
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /^empty file \(0 bytes\); not a PNG file$/],
      [
        encodePng(rgb),
        /^8-bit RGB image; expected a palette PNG \(or 8-bit grayscale\) whose pixel values are object ids$/,
      ],
      [encodePng(gray16), /^16-bit grayscale image; expected a palette PNG/],
    ];
    for (const [bytes, problem] of cases) {
      const root = await writeTinyDataset();
      const gt = path.join(root, 'train', 'Annotations', 'vidA', '00005.png');
      await writeFile(gt, bytes);
      assertUnscorableFile(await rvos('score', root, '--pred', await writePerfectRun()), gt, problem);
    }
  });

  it('predictions: RGB and 16-bit PNGs count as binary masks; zero-byte, JPEG-named-.png and oversized PNGs are refused', async () => {
    const root = await writeTinyDataset();
    const run = await writePerfectRun();
    const object = rectMask(OBJECT_RECTS.vidB);
    const rgb = new Uint8Array(object.data.length * 3);
    object.data.forEach((v, i) => (rgb[i * 3] = v ? 200 : 0)); // red object on black
    await writeBytes(
      path.join(run, 'Annotations', 'vidB', '0', '00000.png'),
      encodePng({ width: 16, height: 12, bitDepth: 8, colorType: 2, samples: rgb }),
    );
    const gray16 = Uint16Array.from(object.data, (v) => v * 65535);
    await writeBytes(
      path.join(run, 'Annotations', 'vidB', '0', '00005.png'),
      encodePng({ width: 16, height: 12, bitDepth: 16, colorType: 0, samples: gray16 }),
    );
    const ok = await rvos('score', root, '--pred', run, '--json', '--videos', 'vidB');
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(
      (JSON.parse(ok.stdout) as SplitScore).expressions[0].frames.map((f) => [f.J, f.F, f.missing]),
      [
        [1, 1, false],
        [1, 1, false],
      ],
    );

    const pred = path.join(run, 'Annotations', 'vidA', '0', '00000.png');
    const cases: [Uint8Array, RegExp][] = [
      [new Uint8Array(0), /^empty file \(0 bytes\); not a PNG file$/],
      [await jpegBytes(16, 12), /^not a PNG file$/],
      [
        pngClaimingSize(encodeGrayPng(rectMask([[255, 0, 0, 4, 4]])), 20000, 20000),
        /^image is 20000×20000; images larger than 16384 px a side or 100 Mpixel are not supported$/,
      ],
    ];
    for (const [bytes, problem] of cases) {
      await writeFile(pred, bytes);
      assertUnscorableFile(await rvos('score', root, '--pred', run), pred, problem);
    }
  });

  it('a ground truth of another size than its frame: rvos eval names the prediction and the ground truth, and keeps the predictions', async () => {
    const root = await writeSampleDataset(1);
    const ds = await openDataset(root);
    const video = ds.videos[0];
    const gt = path.join(root, 'train', 'Annotations', video.id, `${video.frames[1]}.png`);
    await writeFile(gt, encodeIndexPng(rectMask([[1, 0, 0, 8, 8]], 32, 24)));
    const { r } = await evalJson(root);
    const predFile = /^error: (.+?\.png): video /m.exec(r.stderr)?.[1] ?? '';
    assert.ok(
      predFile.endsWith(`${video.frames[1]}.png`) &&
        predFile.includes(`${path.sep}Annotations${path.sep}${video.id}${path.sep}`),
      r.stderr,
    );
    assertUnscorableFile(r, predFile, /^mask is 64×48 but ground truth (.+) is 32×24$/);
    assert.ok(r.stderr.includes(`ground truth ${gt} is 32×24`), r.stderr);
    assert.ok((await readFile(predFile)).length > 0, 'the prediction the error names still exists');
  });
});

describe('prediction folders', () => {
  it('a symlinked video folder leading out of the run is refused, naming the file', async () => {
    const root = await writeTinyDataset();
    const run = await writePerfectRun();
    const elsewhere = await writePerfectRun();
    await rm(path.join(run, 'Annotations', 'vidB'), { recursive: true });
    await symlink(path.join(elsewhere, 'Annotations', 'vidB'), path.join(run, 'Annotations', 'vidB'));
    const file = path.join(run, 'Annotations', 'vidB', '0', '00000.png');
    assertUnscorableFile(
      await rvos('score', root, '--pred', run),
      file,
      /^resolves to .*, outside .*; refusing to follow it$/,
    );
  });

  it('a folder where a prediction PNG should be is an error naming it', async () => {
    const root = await writeTinyDataset();
    const run = await writePerfectRun();
    const pred = path.join(run, 'Annotations', 'vidA', '1', '00000.png');
    await rm(pred);
    await mkdir(pred);
    assertUnscorableFile(await rvos('score', root, '--pred', run), pred, /^is a folder, expected a file$/);
  });

  it('predictions saved as .jpg are not read: every frame counts as missing, with a warning', async () => {
    const root = await writeTinyDataset();
    const run = await tempDir('jpg-run');
    for (const frame of FRAMES)
      await writeBytes(path.join(run, 'Annotations', 'vidB', '0', `${frame}.jpg`), await jpegBytes(16, 12));
    const r = await rvos('score', root, '--pred', run, '--videos', 'vidB', '--json');
    assertCliWarning(
      r,
      path.join(run, 'Annotations'),
      /^no prediction for any annotated frame of split "train"; wrong --pred or --split\?$/,
    );
    assert.deepEqual(
      (JSON.parse(r.stdout) as SplitScore).expressions[0].frames.map((f) => f.missing),
      [true, true],
    );
  });
});

describe('expressions through rvos eval', () => {
  it('empty and punctuation-only texts are skipped naming the file and expression; long, non-ASCII and unknown words run', async () => {
    const root = await writeSampleDataset(2);
    let v0 = '';
    let v1 = '';
    await editMetaExpressions(root, (meta) => {
      [v0, v1] = Object.keys(meta.videos);
      const obj = (v: string) => Object.values(meta.videos[v].expressions)[0].obj_id;
      meta.videos[v0].expressions = { '0': { exp: '', obj_id: obj(v0) }, '1': { exp: ' ?! — ', obj_id: obj(v0) } };
      meta.videos[v1].expressions = {
        '0': { exp: 'red square '.repeat(1000), obj_id: obj(v1) },
        '1': { exp: 'der rote Würfel, 赤い四角 🟥 red', obj_id: obj(v1) },
        '2': { exp: 'the zebra square', obj_id: obj(v1) },
      };
    });
    const { r, score } = await evalJson(root);
    const meta = sampleMetaFile(root);
    assertCliWarning(
      r,
      meta,
      new RegExp(
        `^video ${v0}, expression 0: expression is empty \\(no letters or digits to tokenize\\); expression skipped`,
      ),
    );
    assertCliWarning(r, meta, new RegExp(`^video ${v0}, expression 1: expression is empty`));
    const note = r.stderr.split('\n').find((l) => l.startsWith(`note: ${path.join(model, 'model.json')}: `));
    assert.ok(note, r.stderr);
    assert.match(note, /: 2 of 5 expressions use words not in the model vocabulary, read as the unknown word: /);
    for (const w of ['zebra', 'der', 'rote', 'w', 'rfel'])
      assert.ok(note.split(': ').at(-1)!.split(', ').includes(w), `${w} in ${note}`);
    assert.deepEqual(
      score!.expressions.map((e) => `${e.video}/${e.expId}`),
      [`${v0}/0`, `${v0}/1`, `${v1}/0`, `${v1}/1`, `${v1}/2`],
    );
    assert.ok(
      score!.expressions.slice(0, 2).every((e) => e.frames.every((f) => f.missing)),
      'skipped expressions are scored as empty masks',
    );
  });
});

describe('models through rvos eval', () => {
  it('a corrupt ONNX file, a graph with other outputs and a manifest with a wrong field: exit 1 naming the file', async () => {
    const dataset = await writeSampleDataset(1);
    const dir = await tempDir('bad-models');
    const corrupt = (await writeTinyModel(path.join(dir, 'corrupt'))).dir;
    await writeFile(
      path.join(corrupt, 'frame.onnx'),
      (await readFile(path.join(corrupt, 'frame.onnx'))).subarray(0, 40),
    );
    const renamed = (await writeTinyModel(path.join(dir, 'renamed'), { rename: { w: 'weight' } })).dir;
    const badField = (await writeTinyModel(path.join(dir, 'field'))).dir;
    const manifest = JSON.parse(await readFile(path.join(badField, 'model.json'), 'utf8'));
    manifest.memory.channels = '3';
    await writeFile(path.join(badField, 'model.json'), JSON.stringify(manifest));
    const cases: [string, string, RegExp][] = [
      [corrupt, 'frame.onnx', /^cannot load ONNX graph \(cpu\): /],
      [
        renamed,
        'frame.onnx',
        /^does not match the YOFO model contract: missing outputs "w"; unexpected outputs "weight"/,
      ],
      [badField, 'model.json', /^field "memory\.channels" must be an integer ≥ 1$/],
    ];
    for (const [modelDir, file, problem] of cases) {
      const r = await rvos('eval', dataset, '--model', modelDir, '--execution-provider', 'cpu');
      assertCliError(r, path.join(modelDir, file), problem);
    }
  });

  it('NaN logits: every expression is skipped with a warning naming the frame and the model', async () => {
    const dataset = await writeSampleDataset(1);
    const nan = (await writeTinyModel(path.join(await tempDir('nan'), 'nan'), { nanLogits: true })).dir;
    const out = path.join(await tempDir('nan-out'), 'out');
    const r = await rvos('eval', dataset, '--model', nan, '--execution-provider', 'cpu', '--out', out, '--json');
    const ds = await openDataset(dataset);
    const frames = ds.videos[0].frames.map((f) => framePath(ds, ds.videos[0].id, f));
    const warnings = r.stderr
      .split('\n')
      .filter((l) => frames.some((f) => l.startsWith(`warning: ${f}: the model produced a non-finite logit`)));
    assert.equal(warnings.length, ds.videos[0].expressions.length, r.stderr);
    assert.ok(warnings.every((l) => l.includes(`the model (${path.join(nan, 'model.json')}) or this frame is broken`)));
    assert.equal(r.code, 0);
  });

  it('infinite inputs (a normalisation std so small that pixels overflow float32) are refused as non-finite output', async () => {
    const dir = (await writeTinyModel(path.join(await tempDir('inf'), 'inf'))).dir;
    const manifest = JSON.parse(await readFile(path.join(dir, 'model.json'), 'utf8'));
    manifest.input.std = [1e-45, 1e-45, 1e-45];
    await writeFile(path.join(dir, 'model.json'), JSON.stringify(manifest));
    const frame = path.join(dir, 'f.jpg');
    await writeFile(frame, await jpegBytes());
    const runner = await YofoRunner.load(dir, { executionProvider: 'cpu' });
    try {
      await assert.rejects(
        runner.runExpression([frame], 'red'),
        isInputError(frame, /non-finite logit \(NaN or ±Infinity\).*is broken$/),
      );
    } finally {
      await runner.release();
    }
  });
});
