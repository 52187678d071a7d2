import assert from 'node:assert/strict';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { needsShared } from '../helpers/shared';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import {
  annotationPath,
  framePath,
  isDatasetRoot,
  listSplits,
  metaExpressionsPath,
  openDataset,
} from '../../src/core/dataset';
import { InputError } from '../../src/core/errors';
import { tempDir, tinyMetaExpressions, writeJson, writeTinyDataset } from '../helpers/tinyDataset';

const REAL_VALID = path.resolve(__dirname, '../../../shared/data/ref-youtube-vos/meta_expressions.valid.json');

/** Problems of `ds` as "video: message" lines, for compact assertions. */
function problemLines(ds: { problems: { video?: string; message: string }[] }): string[] {
  return ds.problems.map((p) => `${p.video ?? '-'}: ${p.message}`);
}

async function rejectsWith(promise: Promise<unknown>, file: string, problem: RegExp): Promise<void> {
  await assert.rejects(promise, (err: unknown) => {
    assert.ok(err instanceof InputError, `an InputError, got ${String(err)}`);
    assert.equal(err.file, file);
    assert.match(err.problem, problem);
    return true;
  });
}

describe('openDataset on the real Ref-YouTube-VOS valid metadata', () => {
  it('opens 507 videos and 2,096 expressions without ground truth', { skip: needsShared(REAL_VALID) }, async () => {
    const root = await tempDir('valid');
    await mkdir(path.join(root, 'meta_expressions', 'valid'), { recursive: true });
    await copyFile(REAL_VALID, path.join(root, 'meta_expressions', 'valid', 'meta_expressions.json'));
    const ds = await openDataset(root);
    assert.equal(ds.split, 'valid');
    assert.deepEqual(ds.splits, ['valid']);
    assert.equal(ds.videos.length, 507);
    assert.equal(
      ds.videos.reduce((n, v) => n + v.expressions.length, 0),
      2096,
    );
    assert.equal(ds.hasAnnotations, false);
    assert.ok(ds.videos.every((v) => v.frames.length > 0 && v.expressions.every((e) => e.objId === undefined)));
    // Only the missing JPEGImages folder is reported, once for the split rather than once per video.
    assert.deepEqual(problemLines(ds), ['-: folder missing; frames cannot be shown']);
    const first = ds.videoById.get('0062f687f1');
    assert.ok(first);
    assert.equal(first.expressions[0].text, 'a dog is with its puppies on the cloth');
  });
});

describe('openDataset on a complete split', () => {
  it('reads videos, sorted expressions, objects and paths', async () => {
    const meta = tinyMetaExpressions() as { videos: Record<string, { expressions: Record<string, unknown> }> };
    for (const id of ['10', '2', '3', '4', '5', '6', '7', '8', '9'])
      meta.videos.vidB.expressions[id] = { exp: `e${id}`, obj_id: '1' };
    const root = await writeTinyDataset(meta);
    await writeJson(path.join(root, 'meta_expressions', 'valid', 'meta_expressions.json'), {
      videos: { x: { expressions: {}, frames: ['0'] } },
    });
    const ds = await openDataset(root);
    assert.equal(ds.root, root);
    assert.equal(ds.split, 'train', 'train is the default split');
    assert.deepEqual(ds.splits, ['train', 'valid']);
    assert.equal(ds.hasAnnotations, true);
    assert.deepEqual(ds.problems, []);
    assert.deepEqual(
      ds.videos.map((v) => v.id),
      ['vidA', 'vidB'],
    );
    assert.deepEqual(
      ds.videoById.get('vidB')?.expressions.map((e) => e.expId),
      ['0', '2', '3', '4', '5', '6', '7', '8', '9', '10'],
    );
    const vidA = ds.videoById.get('vidA');
    assert.deepEqual(vidA?.expressions[1], {
      expId: '1',
      text: 'the tall bar on the right',
      objId: '2',
      category: 'position',
    });
    assert.deepEqual(vidA?.objects['2'], { objId: '2', category: 'bar', frames: ['00000', '00005'] });
    assert.equal(framePath(ds, 'vidA', '00005'), path.join(root, 'train', 'JPEGImages', 'vidA', '00005.jpg'));
    assert.equal(annotationPath(ds, 'vidA', '00005'), path.join(root, 'train', 'Annotations', 'vidA', '00005.png'));
    assert.equal(metaExpressionsPath(ds), path.join(root, 'meta_expressions', 'train', 'meta_expressions.json'));
    assert.throws(() => framePath(ds, '../vidA', '00000'), InputError);
    assert.throws(() => annotationPath(ds, 'vidA', '../../x'), InputError);

    const valid = await openDataset(root, 'valid');
    assert.equal(valid.split, 'valid');
    assert.equal(valid.hasAnnotations, false);
  });

  it('opens Ref-DAVIS17 converted to this layout: consecutive frames, several expressions per object', async () => {
    const frames = Array.from({ length: 50 }, (_, i) => String(i).padStart(5, '0'));
    const root = await tempDir('davis');
    await writeJson(path.join(root, 'meta_expressions', 'valid', 'meta_expressions.json'), {
      videos: {
        'bike-packing': {
          expressions: {
            '0': { exp: 'a man riding a bike', obj_id: '1' },
            '1': { exp: 'a black bicycle', obj_id: '2' },
            '2': { exp: 'a man in a black helmet', obj_id: '1' },
            '3': { exp: 'a bike with bags', obj_id: '2' },
          },
          frames,
        },
      },
    });
    await writeJson(path.join(root, 'valid', 'meta.json'), {
      videos: {
        'bike-packing': { objects: { '1': { category: 'person', frames }, '2': { category: 'bicycle', frames } } },
      },
    });
    await mkdir(path.join(root, 'valid', 'JPEGImages', 'bike-packing'), { recursive: true });
    await mkdir(path.join(root, 'valid', 'Annotations', 'bike-packing'), { recursive: true });
    const ds = await openDataset(root);
    assert.deepEqual(ds.problems, []);
    assert.equal(ds.hasAnnotations, true);
    const video = ds.videos[0];
    assert.deepEqual(video.frames, frames);
    assert.deepEqual(
      video.expressions.filter((e) => e.objId === '1').map((e) => e.text),
      ['a man riding a bike', 'a man in a black helmet'],
    );
  });

  it('lists splits and recognises dataset roots', async () => {
    const root = await writeTinyDataset();
    await mkdir(path.join(root, 'meta_expressions', 'empty-folder'));
    assert.deepEqual(await listSplits(root), ['train']);
    assert.equal(await isDatasetRoot(root), true);
    assert.equal(await isDatasetRoot(path.join(root, 'train')), false);
  });
});

describe('openDataset reports damage local to a video as problems', () => {
  it('skips unusable videos and expressions, keeps the rest', async () => {
    const meta = tinyMetaExpressions() as { videos: Record<string, unknown> };
    Object.assign(meta.videos, {
      noFrames: { expressions: { '0': { exp: 'x' } } },
      framesNotList: { expressions: {}, frames: '00000' },
      notAnObject: 42,
      '../escape': { expressions: { '0': { exp: 'x' } }, frames: ['00000'] },
      badParts: {
        expressions: {
          '0': { exp: 'kept', obj_id: '7' },
          '1': { obj_id: '1' },
          '2': 'text only',
          '3': { exp: 'numeric id', obj_id: 1 },
          '03': { exp: 'same number as 3' },
        },
        frames: ['00000', 5, '00000', '../x', '00005'],
      },
    });
    const root = await writeTinyDataset(meta);
    const ds = await openDataset(root);
    const file = path.join(root, 'meta_expressions', 'train', 'meta_expressions.json');
    assert.deepEqual(
      ds.videos.map((v) => v.id),
      ['vidA', 'vidB', 'badParts'],
    );
    const bad = ds.videoById.get('badParts');
    assert.deepEqual(bad?.frames, ['00000', '00005']);
    assert.deepEqual(
      bad?.expressions.map((e) => [e.expId, e.text, e.objId]),
      [
        ['0', 'kept', '7'],
        ['3', 'numeric id', '1'],
      ],
    );
    const lines = problemLines(ds);
    const expected = [
      'noFrames: no "frames" list; video skipped',
      'framesNotList: "frames" is a string; expected a list of frame names; video skipped',
      'notAnObject: video entry is a number; expected an object with "expressions" and "frames"; video skipped',
      "../escape: video id \"../escape\" contains a path separator ('/' or '\\'); video skipped",
      'badParts: frames[1] is a number; expected a frame name; ignored',
      'badParts: frame "00000" is listed twice; duplicate ignored',
      "badParts: frame name \"../x\" contains a path separator ('/' or '\\'); ignored",
      'badParts: expression 1 has no "exp" text; expression skipped',
      'badParts: expression 2 is a string; expected an object with "exp"; expression skipped',
      'badParts: expression 3: obj_id is the number 1; read as "1" (should be a string)',
      'badParts: expression ids 3 and 03 are the same number; 03 skipped',
      'badParts: video missing from meta.json; no object list',
    ];
    for (const line of expected) assert.ok(lines.includes(line), `missing problem: ${line}\ngot:\n${lines.join('\n')}`);
    assert.ok(lines.some((l) => l.startsWith('badParts: no frames folder')));
    assert.equal(lines.length, expected.length + 1 /* no frames folder for badParts */);
    for (const p of ds.problems) {
      // Each problem names the file it is about.
      let expectedFile = file;
      if (p.message.includes('meta.json')) expectedFile = path.join(root, 'train', 'meta.json');
      if (p.message.startsWith('no frames folder')) expectedFile = path.join(root, 'train', 'JPEGImages', 'badParts');
      assert.equal(p.file, expectedFile, p.message);
    }
  });

  it('reports video and expression ids listed twice (JSON.parse keeps only the last)', async () => {
    const text = `{"videos": {
      "vidA": {"expressions": {"0": {"exp": "first", "obj_id": "1"}, "0": {"exp": "second", "obj_id": "1"}}, "frames": ["00000"]},
      "vidB": {"expressions": {"0": {"exp": "old", "obj_id": "1"}}, "frames": ["00000"]},
      "vidB": {"expressions": {"0": {"exp": "new \\"exp\\": no key", "obj_id": "1"}}, "frames": ["00005"]}
    }}`;
    const ds = await openDataset(await writeTinyDataset(text));
    assert.deepEqual(problemLines(ds), [
      'vidA: expression id 0 listed more than once; only the last entry is used',
      'vidB: video id listed more than once; only the last entry is used',
    ]);
    assert.deepEqual(
      ds.videos.map((v) => [v.id, v.frames, v.expressions.map((e) => e.text)]),
      [
        ['vidA', ['00000'], ['second']],
        ['vidB', ['00005'], ['new "exp": no key']],
      ],
    );
  });

  it('reports an obj_id that meta.json does not list, and keeps the expression', async () => {
    const meta = tinyMetaExpressions() as { videos: { vidA: { expressions: Record<string, { obj_id: string }> } } };
    meta.videos.vidA.expressions['1'].obj_id = '9';
    const ds = await openDataset(await writeTinyDataset(meta));
    assert.deepEqual(problemLines(ds), [
      'vidA: expression 1: obj_id "9" is not an object of this video in meta.json (objects: 1, 2)',
    ]);
    assert.equal(ds.videoById.get('vidA')?.expressions[1].objId, '9');
  });

  it('reports a video without a frames folder and keeps it', async () => {
    const root = await writeTinyDataset();
    await rm(path.join(root, 'train', 'JPEGImages', 'vidB'), { recursive: true });
    const ds = await openDataset(root);
    assert.deepEqual(ds.problems, [
      {
        file: path.join(root, 'train', 'JPEGImages', 'vidB'),
        video: 'vidB',
        message: 'no frames folder for this video',
      },
    ]);
    assert.equal(ds.videos.length, 2);
  });
});

describe('openDataset refuses unusable datasets with the file and the problem', () => {
  const metaFile = (root: string) => path.join(root, 'meta_expressions', 'train', 'meta_expressions.json');

  it('no meta_expressions folder', async () => {
    const root = await tempDir('nometa');
    await rejectsWith(openDataset(root), root, /^not a Ref-YouTube-VOS dataset: no meta_expressions\/ folder/);
    await rejectsWith(
      openDataset(path.join(root, 'absent')),
      path.join(root, 'absent'),
      /no meta_expressions\/ folder/,
    );
  });

  it('no split', async () => {
    const root = await tempDir('nosplit');
    await mkdir(path.join(root, 'meta_expressions', 'train'), { recursive: true });
    await rejectsWith(openDataset(root), path.join(root, 'meta_expressions'), /^no split found/);
  });

  it('unknown split', async () => {
    const root = await writeTinyDataset();
    await rejectsWith(
      openDataset(root, 'test'),
      path.join(root, 'meta_expressions', 'test', 'meta_expressions.json'),
      /^split "test" not found; available: train$/,
    );
  });

  it('malformed JSON, with line and column', async () => {
    const root = await writeTinyDataset('{\n  "videos": {\n    "v": {"frames": ["00000",]}\n  }\n}\n');
    await rejectsWith(openDataset(root), metaFile(root), /^invalid JSON at line 3, column 30: Unexpected token '\]'$/);
  });

  it('malformed meta.json', async () => {
    const root = await writeTinyDataset();
    await writeJson(path.join(root, 'train', 'meta.json'), '{"videos": ');
    await rejectsWith(openDataset(root), path.join(root, 'train', 'meta.json'), /^invalid JSON at line 1, column 12/);
  });

  it('top level not an object, no videos key, videos not an object', async () => {
    let root = await writeTinyDataset([1, 2]);
    await rejectsWith(
      openDataset(root),
      metaFile(root),
      /^top level is an array; expected an object with a "videos" key$/,
    );
    root = await writeTinyDataset({ video: {} });
    await rejectsWith(openDataset(root), metaFile(root), /^no "videos" key at the top level$/);
    root = await writeTinyDataset({ videos: [] });
    await rejectsWith(openDataset(root), metaFile(root), /^"videos" is an array; expected an object$/);
  });

  it('empty dataset', async () => {
    let root = await writeTinyDataset({ videos: {} });
    await rejectsWith(openDataset(root), metaFile(root), /^empty dataset: no videos$/);
    root = await writeTinyDataset({ videos: { a: { expressions: {} } } });
    await rejectsWith(
      openDataset(root),
      metaFile(root),
      /^empty dataset: no usable video \(1 problems, first: no "frames" list; video skipped\)$/,
    );
  });
});
