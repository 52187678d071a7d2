// Runs the real `rvos` entry (src/cli/rvos.ts through tsx) as a child process: exit codes, stdout, stderr.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { openDataset } from '../../src/core/dataset';
import type { SplitScore } from '../../src/core/types';
import {
  FRAMES,
  OBJECT_RECTS,
  rectMask,
  tempDir,
  tinyMetaExpressions,
  writeBytes,
  writePerfectRun,
  writePrediction,
  writeTinyDataset,
} from '../helpers/tinyDataset';
import { assertUnscorable } from '../helpers/badData';

const REPO = path.resolve(__dirname, '../..');
const ENTRY = path.join(REPO, 'src', 'cli', 'rvos.ts');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function rvos(...args: string[]): Promise<Result> {
  return rvosWithEnv({}, ...args);
}

function rvosWithEnv(extra: Record<string, string>, ...args: string[]): Promise<Result> {
  const env = { ...process.env, ...extra };
  if (!('RVOS_DEBUG' in extra)) delete env.RVOS_DEBUG;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', ENTRY, ...args],
      { cwd: REPO, env, maxBuffer: 64 << 20 },
      (err, stdout, stderr) => {
        resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** An error run: exit 1, one `error: <file>: …` line on stderr, no stack trace, nothing on stdout. */
function assertInputError(r: Result, file: string, problem: RegExp): void {
  assert.equal(r.code, 1, r.stderr);
  assert.equal(r.stdout, '');
  const errorLines = r.stderr.split('\n').filter((l) => l.startsWith('error: '));
  assert.equal(errorLines.length, 1, r.stderr);
  assert.ok(errorLines[0].startsWith(`error: ${file}: `), `expected error about ${file}, got: ${errorLines[0]}`);
  assert.match(errorLines[0].slice(`error: ${file}: `.length), problem);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
}

describe('rvos usage', () => {
  it('--help lists the commands on stdout', async () => {
    const r = await rvos('--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^usage: rvos <command>/);
    assert.match(r.stdout, /\n {2}score {3}score a prediction run/);
    assert.match(r.stdout, /\n {2}sample {2}write a synthetic Ref-Shapes dataset \(default 12 videos, 320×192\)/);
    assert.equal(r.stderr, '');
  });

  it('<command> --help shows the command help', async () => {
    const r = await rvos('sample', '--help');
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^usage: rvos sample <outDir>/);
    assert.match(r.stdout, /--videos N +number of videos \(default 12\)/);
    assert.match(r.stdout, /--seed S +random seed \(default 1\)/);
    assert.match(r.stdout, /--width W .*\(default 320\)/);
    assert.match(r.stdout, /--height H .*\(default 192\)/);
  });

  it('no command, an unknown command or option, a missing argument: usage on stderr, exit 2', async () => {
    const cases: [string[], RegExp, RegExp][] = [
      [[], /^error: missing command\n/, /usage: rvos <command>/],
      [['frob'], /^error: unknown command "frob"\n/, /usage: rvos <command>/],
      [['score', 'ds', '--pred', 'p', '--bogus'], /^error: unknown option '--bogus'\n/, /usage: rvos score/],
      [['score', 'ds'], /^error: missing --pred <dir>\n/, /usage: rvos score/],
      [['score'], /^error: missing argument\n/, /usage: rvos score/],
      [['sample', 'a', 'b'], /^error: unexpected argument "b"\n/, /usage: rvos sample/],
      [
        ['sample', 'out', '--videos', 'many'],
        /^error: --videos expects a whole number, got "many"\n/,
        /usage: rvos sample/,
      ],
    ];
    for (const [args, first, usage] of cases) {
      const r = await rvos(...args);
      assert.equal(r.code, 2, `rvos ${args.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, first);
      assert.match(r.stderr, usage);
    }
  });
});

describe('rvos errors', () => {
  it('RVOS_DEBUG=1 adds the stack to the error line', async () => {
    const missing = path.join(await tempDir('debug'), 'nothing-here');
    const r = await rvosWithEnv({ RVOS_DEBUG: '1' }, 'score', missing, '--pred', missing);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /\n\s+at /, 'a stack trace');
    assert.ok(
      r.stderr.endsWith(
        `error: ${missing}: not a Ref-YouTube-VOS dataset: no meta_expressions/ folder (expected meta_expressions/<split>/meta_expressions.json); nor a MeViS dataset (no <split>/meta_expressions.json); nor a ReVOS dataset (no meta_expressions_<split>_.json)\n`,
      ),
      r.stderr,
    );
  });
});

describe('rvos score', () => {
  it('--json prints one SplitScore object', async () => {
    const root = await writeTinyDataset();
    const run = await writePerfectRun();
    // Expression vidA/1 loses its second frame: scored as an empty mask and flagged missing.
    await rm(path.join(run, 'Annotations', 'vidA', '1', '00005.png'));
    const r = await rvos('score', root, '--pred', run, '--json');
    assert.equal(r.code, 0, r.stderr);
    const score = JSON.parse(r.stdout) as SplitScore;
    assert.deepEqual(Object.keys(score).sort(), ['F', 'J', 'JF', 'expressions']);
    assert.deepEqual(
      score.expressions.map((e) => [e.video, e.expId, e.expression, e.category]),
      [
        ['vidA', '0', 'the red square on the left', 'appearance'],
        ['vidA', '1', 'the tall bar on the right', 'position'],
        ['vidB', '0', 'a wide rectangle', 'appearance'],
      ],
    );
    const [a0, a1, b0] = score.expressions;
    for (const e of [a0, b0]) {
      assert.deepEqual(
        e.frames,
        FRAMES.map((frame) => ({ frame, J: 1, F: 1, missing: false })),
      );
      assert.deepEqual([e.J, e.F, e.JF], [1, 1, 1]);
    }
    assert.deepEqual(a1.frames, [
      { frame: '00000', J: 1, F: 1, missing: false },
      { frame: '00005', J: 0, F: 0, missing: true },
    ]);
    assert.deepEqual([a1.J, a1.F, a1.JF], [0.5, 0.5, 0.5]);
    assert.equal(score.J, 2.5 / 3);
    assert.equal(score.F, 2.5 / 3);
    assert.equal(score.JF, 2.5 / 3);
  });

  it('prints a table, the category breakdown and the split scores', async () => {
    const meta = tinyMetaExpressions() as { videos: { vidB: { expressions: Record<string, unknown> } } };
    meta.videos.vidB.expressions['1'] = { exp: 'an expression without obj_id' };
    const root = await writeTinyDataset(meta);
    const run = await writePerfectRun();
    await rm(path.join(run, 'Annotations', 'vidB'), { recursive: true });
    const r = await rvos('score', root, '--pred', run, '--skip-unscorable');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^video +exp +J +F +J&F +missing +expression\n/);
    assert.match(r.stdout, /\nvidA +0 +100\.0 +100\.0 +100\.0 +the red square on the left\n/);
    assert.match(r.stdout, /\nvidB +0 +0\.0 +0\.0 +0\.0 +2\/2 +a wide rectangle\n/);
    assert.match(
      r.stdout,
      /\ncategory +expressions +J +F +J&F\nappearance +2 +50\.0 +50\.0 +50\.0\nposition +1 +100\.0 +100\.0 +100\.0\n/,
    );
    assert.match(
      r.stdout,
      /\n3 expressions, 6 scored frames, 2 without a prediction \(scored as empty masks\)\n1 expression skipped: cannot be scored \(listed on stderr\); the score below is partial\n/,
    );
    assert.match(r.stdout, /\nJ 66\.7 {2}F 66\.7 {2}J&F 66\.7 {2}\(percent\)\n$/);
    assert.match(
      r.stderr,
      /^warning: .*meta_expressions\.json: video vidB, expression 1: no obj_id; every expression of a split with ground truth needs one; skipped\nwarning: 1 expression skipped \(--skip-unscorable\): the split score is partial\n$/,
    );
  });

  it('warns when no prediction matches any frame', async () => {
    const root = await writeTinyDataset();
    const run = await tempDir('emptyrun');
    await mkdir(path.join(run, 'Annotations', 'otherVideo'), { recursive: true });
    const r = await rvos('score', root, '--pred', run);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stderr,
      `warning: ${path.join(run, 'Annotations')}: no prediction for any annotated frame of split "train"; wrong --pred or --split?\n`,
    );
    assert.match(r.stdout, /\nJ 0\.0 {2}F 0\.0 {2}J&F 0\.0 {2}\(percent\)\n$/);
  });

  it('--videos scores only those videos; an unknown one is an error', async () => {
    const root = await writeTinyDataset();
    const run = await writePerfectRun();
    const r = await rvos('score', root, '--pred', path.join(run, 'Annotations'), '--videos', 'vidB', '--json');
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      (JSON.parse(r.stdout) as SplitScore).expressions.map((e) => e.video),
      ['vidB'],
    );
    const bad = await rvos('score', root, '--pred', run, '--videos', 'vidB,nope');
    assertInputError(
      bad,
      path.join(root, 'meta_expressions', 'train', 'meta_expressions.json'),
      /^no video "nope" in split "train"$/,
    );
  });

  it('malformed JSON: file, line and column', async () => {
    const root = await writeTinyDataset('{\n  "videos": {\n    "vidA": {"frames": ["00000" "00005"]}\n  }\n}\n');
    const r = await rvos('score', root, '--pred', await writePerfectRun());
    assertInputError(
      r,
      path.join(root, 'meta_expressions', 'train', 'meta_expressions.json'),
      /^invalid JSON at line 3, column 33: Expected ',' or '\]' after array element$/,
    );
  });

  it('empty dataset and a folder that is not a dataset', async () => {
    const root = await writeTinyDataset({ videos: {} });
    assertInputError(
      await rvos('score', root, '--pred', await writePerfectRun()),
      path.join(root, 'meta_expressions', 'train', 'meta_expressions.json'),
      /^empty dataset: no videos$/,
    );
    const notDataset = await tempDir('empty');
    assertInputError(
      await rvos('score', notDataset, '--pred', notDataset),
      notDataset,
      /^not a Ref-YouTube-VOS dataset/,
    );
  });

  it('a prediction folder with the wrong layout', async () => {
    const root = await writeTinyDataset();
    const run = await tempDir('flat');
    await writeBytes(path.join(run, 'vidA', '0', '00000.png'), new Uint8Array([1]));
    assertInputError(
      await rvos('score', root, '--pred', run),
      run,
      /^no Annotations folder; expected a folder holding Annotations\/<video>\/<exp_id>\/<frame>\.png/,
    );
  });

  it('a split without ground truth cannot be scored', async () => {
    const root = await writeTinyDataset();
    await rm(path.join(root, 'train', 'Annotations'), { recursive: true });
    assertInputError(
      await rvos('score', root, '--pred', await writePerfectRun()),
      path.join(root, 'train', 'Annotations'),
      /^no ground truth for split "train"/,
    );
  });

  it('an unknown obj_id is refused (strict), scored around with --skip-unscorable; a bad video id is a warning', async () => {
    const meta = tinyMetaExpressions() as {
      videos: Record<string, { expressions: Record<string, { obj_id?: string }> }>;
    };
    meta.videos.vidB.expressions['0'].obj_id = '5';
    meta.videos['../../outside'] = { expressions: { '0': { obj_id: '1' } }, frames: FRAMES } as never;
    const root = await writeTinyDataset(meta);
    const run = await writePerfectRun();
    const file = path.join(root, 'meta_expressions', 'train', 'meta_expressions.json');
    const unknown = /^obj_id "5" is not an object of this video in meta\.json \(objects: 1\)$/;
    const strict = await rvos('score', root, '--pred', run, '--json');
    assertUnscorable(strict, [[file, 'vidB', '0', unknown]]);
    assert.ok(
      strict.stderr.includes(
        `warning: ${file}: video ../../outside: video id "../../outside" contains a path separator`,
      ),
      strict.stderr,
    );

    const r = await rvos('score', root, '--pred', run, '--json', '--skip-unscorable');
    assert.equal(r.code, 0, r.stderr);
    const score = JSON.parse(r.stdout) as SplitScore;
    assert.deepEqual(
      score.expressions.map((e) => `${e.video}/${e.expId}`),
      ['vidA/0', 'vidA/1'],
    );
    assert.equal(score.JF, 1, 'the mean is over the scored expressions only');
    assert.deepEqual(score.skipped, [
      {
        video: 'vidB',
        expId: '0',
        file,
        reason: 'obj_id "5" is not an object of this video in meta.json (objects: 1)',
      },
    ]);
    assert.ok(r.stderr.includes(`warning: ${file}: video vidB, expression 0: obj_id "5" is not an object`), r.stderr);
    const text = await rvos('score', root, '--pred', run, '--skip-unscorable');
    assert.equal(text.code, 0, text.stderr);
    assert.match(
      text.stdout,
      /^1 expression skipped: cannot be scored \(listed on stderr\); the score below is partial$/m,
    );
  });

  it('without meta.json, an obj_id that appears in no annotation is unknown; every bad expression is listed at once', async () => {
    const meta = tinyMetaExpressions() as {
      videos: Record<string, { expressions: Record<string, { obj_id?: string }> }>;
    };
    meta.videos.vidA.expressions['1'].obj_id = '7';
    meta.videos.vidB.expressions['0'].obj_id = 'person';
    const root = await writeTinyDataset(meta);
    await rm(path.join(root, 'train', 'meta.json'));
    const file = path.join(root, 'meta_expressions', 'train', 'meta_expressions.json');
    assertUnscorable(await rvos('score', root, '--pred', await writePerfectRun()), [
      [
        path.join(root, 'train', 'Annotations', 'vidA'),
        'vidA',
        '1',
        /^obj_id 7 appears in none of the video's 2 ground-truth files \(no meta\.json lists its objects\): not an object of this video$/,
      ],
      [file, 'vidB', '0', /^obj_id "person" is not an object id \(an integer 0–255 as in the annotation PNGs\)$/],
    ]);
  });

  it('a prediction of the wrong size: the error names both files', async () => {
    const root = await writeTinyDataset();
    const run = await writePerfectRun();
    const pred = await writePrediction(run, 'vidA', '0', '00005', rectMask([[1, 0, 0, 3, 3]], 20, 12));
    const r = await rvos('score', root, '--pred', run);
    assertUnscorable(r, [[pred, 'vidA', '0', /20×12.*16×12/]]);
    assert.ok(r.stderr.includes(path.join(root, 'train', 'Annotations', 'vidA', '00005.png')), r.stderr);
  });

  it('a corrupt prediction PNG: the error names the file', async () => {
    const root = await writeTinyDataset();
    const run = await writePerfectRun();
    const pred = path.join(run, 'Annotations', 'vidB', '0', '00000.png');
    await writeFile(pred, (await readFile(pred)).subarray(0, 40));
    assertUnscorable(await rvos('score', root, '--pred', run), [[pred, 'vidB', '0', /^truncated PNG/]]);
  });

  it('a corrupt annotation PNG: the error names the file', async () => {
    const root = await writeTinyDataset();
    const gt = path.join(root, 'train', 'Annotations', 'vidA', '00000.png');
    await writeFile(gt, 'not a png at all');
    // Both expressions of the video lose their ground truth.
    assertUnscorable(await rvos('score', root, '--pred', await writePerfectRun()), [
      [gt, 'vidA', '0', /^not a PNG file$/],
      [gt, 'vidA', '1', /^not a PNG file$/],
    ]);
  });

  it('a missing annotation file is refused (strict); --skip-unscorable scores the other videos', async () => {
    const root = await writeTinyDataset();
    await rm(path.join(root, 'train', 'Annotations', 'vidB', '00005.png'));
    const vidB = path.join(root, 'train', 'Annotations', 'vidB');
    assertUnscorable(await rvos('score', root, '--pred', await writePerfectRun(), '--json'), [
      [vidB, 'vidB', '0', /^1 of 2 listed frames have no ground-truth file: 00005\.png$/],
    ]);
    const r = await rvos('score', root, '--pred', await writePerfectRun(), '--json', '--skip-unscorable');
    assert.equal(r.code, 0, r.stderr);
    const score = JSON.parse(r.stdout) as SplitScore;
    assert.deepEqual(
      score.expressions.map((e) => e.video),
      ['vidA', 'vidA'],
    );
    assert.deepEqual(
      score.skipped?.map((s) => [s.video, s.expId, s.file]),
      [['vidB', '0', vidB]],
    );
  });

  it('a prediction symlink leading out of the run folder is refused', async () => {
    const root = await writeTinyDataset();
    const run = await writePerfectRun();
    const outside = await tempDir('outside');
    const target = await writePrediction(outside, 'x', '0', '00000', rectMask(OBJECT_RECTS.vidB));
    const link = path.join(run, 'Annotations', 'vidB', '0', '00000.png');
    await rm(link);
    await symlink(target, link);
    assertUnscorable(await rvos('score', root, '--pred', run), [
      [link, 'vidB', '0', /outside .*refusing to follow it$/],
    ]);
  });
});

describe('rvos sample', () => {
  it('writes a dataset that opens, and refuses a folder holding other files', async () => {
    const parent = await tempDir('sample');
    const out = path.join(parent, 'shapes');
    const r = await rvos('sample', out, '--videos', '2', '--width', '64', '--height', '48', '--seed', '7');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote 2 videos, \d+ expressions, \d+ frames to /);
    const ds = await openDataset(out);
    assert.equal(ds.videos.length, 2);
    assert.equal(ds.hasAnnotations, true);
    assert.deepEqual(ds.problems, []);

    const again = await rvos('sample', out, '--videos', '1', '--width', '64', '--height', '48');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /^wrote 1 video, \d+ expressions, \d+ frames to /);
    assert.equal((await openDataset(out)).videos.length, 1, 'an earlier sample is replaced');

    const mine = path.join(parent, 'mine');
    await mkdir(mine);
    await writeFile(path.join(mine, 'notes.txt'), 'keep me');
    const refused = await rvos('sample', mine, '--videos', '1');
    assertInputError(refused, mine, /not a Ref-Shapes output/);
    assert.deepEqual(await readdir(mine), ['notes.txt']);
    assert.equal(await readFile(path.join(mine, 'notes.txt'), 'utf8'), 'keep me');
  });

  it('an out-of-range option is an input error', async () => {
    const out = path.join(await tempDir('sample'), 'x');
    assertInputError(await rvos('sample', out, '--width', '8'), '--width', /must be an integer from/);
  });
});
