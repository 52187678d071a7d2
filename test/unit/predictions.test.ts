import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../src/core/errors';
import { openPredictionRun, predictionPath, readPredictionFile } from '../../src/core/predictions';
import { rectMask, tempDir, writePrediction } from '../helpers/tinyDataset';

async function runWithOneMask(): Promise<{ dir: string; file: string }> {
  const dir = await tempDir('pred');
  const file = await writePrediction(dir, 'vid', '0', '00000', rectMask([[1, 0, 0, 4, 4]]));
  return { dir, file };
}

describe('openPredictionRun', () => {
  it('accepts the folder holding Annotations/ and the Annotations folder itself', async () => {
    const { dir } = await runWithOneMask();
    assert.deepEqual(await openPredictionRun(dir), { name: path.basename(dir), dir });
    assert.deepEqual(await openPredictionRun(path.join(dir, 'Annotations')), { name: path.basename(dir), dir });
    assert.deepEqual(await openPredictionRun(dir, 'yofo'), { name: 'yofo', dir });
  });

  it('refuses a wrong layout, naming the folder and the expected layout', async () => {
    const dir = await tempDir('notrun');
    await assert.rejects(openPredictionRun(dir), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.file, dir);
      assert.match(
        err.problem,
        /^no Annotations folder; expected a folder holding Annotations\/<video>\/<exp_id>\/<frame>\.png/,
      );
      return true;
    });
    const file = path.join(dir, 'masks.zip');
    await writeFile(file, 'x');
    await assert.rejects(openPredictionRun(file), {
      message: new RegExp(`^${file}: not a folder; expected a folder holding Annotations/`),
    });
    await assert.rejects(openPredictionRun(path.join(dir, 'absent')), {
      message: `${path.join(dir, 'absent')}: file not found`,
    });
  });
});

describe('predictionPath', () => {
  it('builds Annotations/<video>/<exp_id>/<frame>.png', () => {
    const run = { name: 'r', dir: '/runs/r' };
    assert.equal(
      predictionPath(run, 'vid', '3', '00005'),
      path.join('/runs/r', 'Annotations', 'vid', '3', '00005.png'),
    );
  });

  it('refuses ids that would leave the folder', () => {
    const run = { name: 'r', dir: '/runs/r' };
    const bad: [string, string, string][] = [
      ['..', '0', '00000'],
      ['../other', '0', '00000'],
      ['vid', 'a/b', '00000'],
      ['vid', 'a\\b', '00000'],
      ['vid', '0', '..\\..\\x'],
      ['vid', '0', 'x\0y'],
      ['/etc', '0', 'passwd'],
      ['C:', '0', 'x'],
      ['', '0', '00000'],
    ];
    for (const [v, e, f] of bad) {
      assert.throws(
        () => predictionPath(run, v, e, f),
        (err: unknown) => err instanceof InputError && /refusing a path outside the folder/.test(err.problem),
        `${v}/${e}/${f}`,
      );
    }
  });
});

describe('readPredictionFile', () => {
  it('reads a mask, and gives undefined for a missing one', async () => {
    const { dir } = await runWithOneMask();
    const run = await openPredictionRun(dir);
    const bytes = await readPredictionFile(run, 'vid', '0', '00000');
    assert.ok(bytes && bytes.length > 8);
    assert.deepEqual([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47]); // "PNG"
    assert.equal(await readPredictionFile(run, 'vid', '0', '00005'), undefined);
    assert.equal(await readPredictionFile(run, 'other', '0', '00000'), undefined);
  });

  it('follows symlinks inside the run, refuses those that lead outside', async () => {
    const { dir, file } = await runWithOneMask();
    const run = await openPredictionRun(dir);
    await symlink(file, path.join(path.dirname(file), '00005.png'));
    assert.ok(await readPredictionFile(run, 'vid', '0', '00005'));

    const outside = await tempDir('secret');
    await writeFile(path.join(outside, '00000.png'), 'secret');
    const escape = path.join(dir, 'Annotations', 'vid', '1');
    await mkdir(escape);
    await symlink(path.join(outside, '00000.png'), path.join(escape, '00000.png'));
    await symlink(outside, path.join(dir, 'Annotations', 'vid', '2')); // a whole folder pointing out
    for (const expId of ['1', '2']) {
      await assert.rejects(readPredictionFile(run, 'vid', expId, '00000'), (err: unknown) => {
        assert.ok(err instanceof InputError);
        assert.equal(err.file, path.join(dir, 'Annotations', 'vid', expId, '00000.png'));
        assert.match(err.problem, /outside .*; refusing to follow it$/);
        return true;
      });
    }
  });

  it('refuses ids that would leave the folder before touching the disk', async () => {
    const { dir } = await runWithOneMask();
    const run = await openPredictionRun(dir);
    await assert.rejects(readPredictionFile(run, '..', '..', 'etc'), InputError);
  });
});
