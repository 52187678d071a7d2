// MeViS end to end: the streaming mask_dict index, the reader's errors, and the golden comparison of our scores with
// test/reference/eval_mevis_ref.py (a Python re-implementation of henghuiding/MeViS tools/eval_mevis.py's rules with
// numpy + OpenCV and its own RLE decoder) on generated splits: every value equal within 1e-9.

import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it, before } from 'node:test';
import { openBenchmarkDataset } from '../../src/core/benchmarks';
import { indexMaskDict } from '../../src/core/benchmarks/mevis/maskDict';
import { InputError, UnscorableError } from '../../src/core/errors';
import { scoreSplit } from '../../src/core/evaluate';
import { openPredictionRun } from '../../src/core/predictions';
import type { SplitScore } from '../../src/core/types';
import { writeMevisSplit } from '../helpers/mevisSplit';
import { tempDir } from '../helpers/tinyDataset';

const REPO = path.resolve(__dirname, '../..');
const REFERENCE = path.join(REPO, 'test', 'reference', 'eval_mevis_ref.py');
const PYTHON = '/usr/bin/python3';

interface Reference {
  J: number;
  F: number;
  expressions: Record<string, [number, number, [number, number][]]>;
}

function runReference(splitDir: string, predDir: string): Reference {
  try {
    return JSON.parse(
      execFileSync(PYTHON, [REFERENCE, splitDir, predDir], { encoding: 'utf8', maxBuffer: 256 << 20 }),
    ) as Reference;
  } catch (err) {
    throw new Error(
      `the golden reference needs ${PYTHON} with numpy and OpenCV (Debian python3-numpy, python3-opencv): ${String(err)}`,
    );
  }
}

function assertSameScores(ours: SplitScore, ref: Reference): void {
  const close = (a: number, b: number, what: string) =>
    assert.ok(Math.abs(a - b) <= 1e-9, `${what}: ours ${a}, reference ${b}`);
  close(ours.J, ref.J, 'split J');
  close(ours.F, ref.F, 'split F');
  assert.equal(ours.expressions.length, Object.keys(ref.expressions).length, 'scored expressions');
  for (const e of ours.expressions) {
    const [J, F, frames] = ref.expressions[`${e.video}/${e.expId}`];
    close(e.J, J, `${e.video}/${e.expId} J`);
    close(e.F, F, `${e.video}/${e.expId} F`);
    assert.equal(e.frames.length, frames.length, `${e.video}/${e.expId}: every frame of the video is scored`);
    e.frames.forEach((f, i) => {
      close(f.J, frames[i][0], `${e.video}/${e.expId}/${f.frame} J`);
      close(f.F, frames[i][1], `${e.video}/${e.expId}/${f.frame} F`);
    });
  }
}

describe('MeViS golden scores (eval_mevis.py rules, Python reference)', () => {
  let root: string;
  before(async () => {
    root = await tempDir('mevis-golden');
  });

  for (const [name, size, noise] of [
    ['small masks with stray pixels', [96, 64], 6],
    ['larger frames', [170, 110], 0],
  ] as const) {
    it(name, async () => {
      const dir = path.join(root, name.replace(/ /g, '-'));
      const pred = path.join(dir, 'pred');
      const info = await writeMevisSplit(dir, 'valid_u', {
        seed: name,
        videos: 7,
        frames: 9,
        objects: [1, 4],
        width: size[0],
        height: size[1],
        absent: 0.3,
        noise,
        predictions: pred,
        missingVideos: 1,
      });
      const meta = JSON.parse(await readFile(path.join(info.splitDir, 'meta_expressions.json'), 'utf8')) as {
        videos: Record<string, { expressions: Record<string, { anno_id: number[] }> }>;
      };
      const maskDict = JSON.parse(await readFile(path.join(info.splitDir, 'mask_dict.json'), 'utf8')) as Record<
        string,
        unknown[]
      >;
      // The data has what the rules are about.
      const exps = Object.values(meta.videos).flatMap((v) => Object.values(v.expressions));
      assert.ok(
        exps.some((e) => e.anno_id.length > 1),
        'multi-object expressions',
      );
      assert.ok(
        Object.values(maskDict).some((l) => l.includes(null)),
        'null frames',
      );
      assert.ok(
        exps.some((e) => [...Array(9).keys()].some((t) => e.anno_id.every((a) => maskDict[String(a)][t] === null))),
        'frames where every referred object is absent',
      );

      const ds = await openBenchmarkDataset(dir, { split: 'valid_u' });
      assert.equal(ds.benchmark, 'mevis');
      assert.deepEqual(ds.problems, []);
      const run = await openPredictionRun(pred, 'pred', { videoFolders: true });
      const ref = runReference(info.splitDir, pred);
      const inThread = await scoreSplit(ds, run, { workers: 0 });
      assertSameScores(inThread, ref);
      assert.deepEqual(await scoreSplit(ds, run, { workers: 2 }), inThread, 'worker threads give the in-thread result');
      // Empty predictions where no target is present score 1, foreground there 0; a video without predictions 0.
      const frames = inThread.expressions.flatMap((e) => e.frames);
      assert.ok(
        frames.some((f) => f.J === 1 && f.F === 1) && frames.some((f) => f.J === 0 && !f.missing),
        'both absent-target outcomes occur',
      );
      assert.ok(
        inThread.expressions.filter((e) => e.video === 'v00000').every((e) => e.J === 0 && e.F === 0),
        'the video without predictions scores 0',
      );
    });
  }
});

describe('mask_dict.json index', () => {
  it('finds every list, in any chunking, with strings that hold escaped backslashes', async () => {
    const dir = await tempDir('mevis-index');
    const file = path.join(dir, 'mask_dict.json');
    const value = {
      '3': [null, { size: [2, 2], counts: '0\\4' }, null],
      'a"b': [],
      '10': [{ size: [1, 1], counts: '01' }],
    };
    const text = ` {"3" : [null, {"size": [2, 2], "counts": "0\\\\4"} ,null],\n "a\\"b": [ ], "10":[{"size":[1,1],"counts":"01"}]} `;
    assert.deepEqual(JSON.parse(text), value);
    await writeFile(file, text);
    for (const chunk of [1, 2, 3, 5, 7, 64, 1 << 20]) {
      const index = await indexMaskDict(file, chunk);
      assert.deepEqual(Object.keys(index.lists).sort(), ['10', '3', 'a"b'], `chunk ${chunk}`);
      for (const [key, at] of Object.entries(index.lists)) {
        assert.deepEqual(
          JSON.parse(text.slice(at.start, at.end)),
          value[key as keyof typeof value],
          `chunk ${chunk}, ${key}`,
        );
        assert.equal(at.count, value[key as keyof typeof value].length);
      }
    }
  });

  it('refuses files that are not an object of lists, naming the file', async () => {
    const dir = await tempDir('mevis-index-bad');
    const file = path.join(dir, 'mask_dict.json');
    for (const [text, problem] of [
      ['[]', /top level is not an object/],
      ['{"1": {"size": [1, 1]}}', /anno_id "1": expected a list of masks/],
      ['{"1": [null, null]', /ends before the top-level object closes/],
      ['', /empty file/],
      ['{} {}', /text after the end/],
    ] as const) {
      await writeFile(file, text);
      await assert.rejects(
        indexMaskDict(file),
        (err: unknown) => err instanceof InputError && err.file === file && problem.test(err.problem),
        text,
      );
    }
  });
});

describe('MeViS bad input: error: <path>: …, never a wrong score', () => {
  async function brokenSplit(
    edit: (
      dict: Record<string, unknown[]>,
      meta: { videos: Record<string, { expressions: Record<string, { anno_id: number[] }> }> },
    ) => void,
  ) {
    const dir = await tempDir('mevis-bad');
    const pred = path.join(dir, 'pred');
    const info = await writeMevisSplit(dir, 'valid_u', {
      seed: 'bad',
      videos: 2,
      frames: 4,
      objects: [2, 2],
      width: 40,
      height: 30,
      absent: 0,
      noise: 0,
      predictions: pred,
    });
    const dictFile = path.join(info.splitDir, 'mask_dict.json');
    const metaFile = path.join(info.splitDir, 'meta_expressions.json');
    const dict = JSON.parse(await readFile(dictFile, 'utf8')) as Record<string, unknown[]>;
    const meta = JSON.parse(await readFile(metaFile, 'utf8')) as Parameters<typeof edit>[1];
    edit(dict, meta);
    await writeFile(dictFile, JSON.stringify(dict));
    await writeFile(metaFile, JSON.stringify(meta));
    return { dir, pred, dictFile };
  }

  async function scoreRejects(dir: string, pred: string, file: string, problem: RegExp): Promise<void> {
    const ds = await openBenchmarkDataset(dir, { split: 'valid_u' });
    const run = await openPredictionRun(pred, 'pred', { videoFolders: true });
    for (const workers of [0, 2]) {
      // Strict: the split is refused, listing every expression that cannot be scored with the file and the reason.
      const named = (err: unknown) =>
        err instanceof UnscorableError && err.skipped.some((s) => s.file === file && problem.test(s.reason));
      await assert.rejects(scoreSplit(ds, run, { workers }), named, `workers ${workers}`);
    }
  }

  it('a broken RLE string', async () => {
    const { dir, pred, dictFile } = await brokenSplit((dict) => ((dict['1'][2] as { counts: string }).counts = '12 3'));
    await scoreRejects(dir, pred, dictFile, /^anno_id 1, frame 00002: character " " at 2 is not an RLE digit/);
  });

  it('an RLE whose size differs from the frame', async () => {
    const { dir, pred, dictFile } = await brokenSplit(
      (dict) => (dict['1'][3] = { size: [30, 41], counts: '0' + String.fromCharCode(48 + 0) }),
    );
    await scoreRejects(dir, pred, dictFile, /^anno_id 1, frame 00003: RLE size is 41×30 but the frame is 40×30/);
  });

  it('an anno_id missing from mask_dict.json, a mask list shorter than the frames', async () => {
    const missing = await brokenSplit((dict) => delete dict['2']);
    const ds = await openBenchmarkDataset(missing.dir, { split: 'valid_u' });
    assert.ok(
      ds.problems.some((p) => p.file === missing.dictFile && /anno_id 2 is not in mask_dict.json/.test(p.message)),
    );
    await scoreRejects(missing.dir, missing.pred, missing.dictFile, /^anno_id 2 is not in mask_dict.json/);
    const short = await brokenSplit((dict) => dict['0'].pop());
    await scoreRejects(
      short.dir,
      short.pred,
      short.dictFile,
      /^the mask list of anno_id 0 has 3 entries but video v00000 has 4 frames/,
    );
  });
});

describe('rvos score on a MeViS root', () => {
  function rvos(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        ['--import', 'tsx', path.join(REPO, 'src', 'cli', 'rvos.ts'), ...args],
        { cwd: REPO, maxBuffer: 64 << 20 },
        (err, stdout, stderr) => {
          resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
        },
      );
    });
  }

  it('detects the layout, --benchmark mevis forces it, the JSON keeps the schema; bad input is one error line', async () => {
    const dir = await tempDir('mevis-cli');
    const pred = path.join(dir, 'pred');
    const info = await writeMevisSplit(dir, 'valid_u', {
      seed: 'cli',
      videos: 3,
      frames: 5,
      objects: [1, 3],
      width: 48,
      height: 32,
      absent: 0.3,
      noise: 2,
      predictions: pred,
    });
    const ref = runReference(info.splitDir, pred);
    for (const extra of [[], ['--benchmark', 'mevis']]) {
      const r = await rvos('score', dir, '--pred', pred, '--split', 'valid_u', '--json', ...extra);
      assert.equal(r.code, 0, r.stderr);
      const score = JSON.parse(r.stdout) as SplitScore;
      assert.deepEqual(Object.keys(score).sort(), ['F', 'J', 'JF', 'expressions']);
      assertSameScores(score, ref);
    }
    const wrong = await rvos('score', dir, '--pred', pred, '--benchmark', 'davis');
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--benchmark must be one of ref-youtube-vos, mevis, revos, ref-davis17/);
    const dictFile = path.join(info.splitDir, 'mask_dict.json');
    await writeFile(dictFile, (await readFile(dictFile, 'utf8')).slice(0, -10));
    const broken = await rvos('score', dir, '--pred', pred, '--split', 'valid_u');
    assert.equal(broken.code, 1);
    assert.equal(
      broken.stderr,
      `error: ${dictFile}: not a MeViS mask_dict (at byte ${(await readFile(dictFile)).length}): the file ends before the top-level object closes (truncated?)\n`,
    );
    await rm(dir, { recursive: true, force: true });
  });
});
