// `rvos check`: submission preflight on folders and zips (read with yauzl, never extracted).

import assert from 'node:assert/strict';
import { readFile, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { zipSync, type Zippable } from 'fflate';
import { encodeGrayPng } from '../../src/core/png';
import { unsafeEntryName, zipEntries } from '../../src/core/submission/entries';
import { rvos, type CliResult } from '../helpers/badData';
import { writeMevisSplit } from '../helpers/mevisSplit';
import { rectMask, tempDir, writePerfectRun, writeTinyDataset, writeTinyFrames } from '../helpers/tinyDataset';

async function datasetWithFrames(): Promise<string> {
  const root = await writeTinyDataset();
  await writeTinyFrames(root, (i) => i);
  return root;
}

/**
 * Writes `entries` as a zip with fflate (it writes any entry name, as a hostile or broken tool might; yazl, our
 * writer, refuses '../evil.png') and runs `rvos check` on it; `at` names an entry as the problems do.
 */
async function checkZip(
  root: string,
  entries: Zippable,
): Promise<{ file: string; r: CliResult; at: (name: string) => string }> {
  const file = path.join(await tempDir('zip'), 'sub.zip');
  await writeFile(file, zipSync(entries));
  return { file, r: await rvos('check', root, '--pred', file), at: (name) => `${file}:${name}` };
}

describe('rvos check', () => {
  it('a complete folder and the zip rvos export writes pass', async () => {
    const root = await datasetWithFrames();
    const run = await writePerfectRun();
    const ok = await rvos('check', root, '--pred', run);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^ok: 6 files cover the 3 expressions of split "train" \(Annotations\/ at the root\)\n$/);
    const zip = path.join(await tempDir('zip'), 'sub.zip');
    assert.equal((await rvos('export', root, '--pred', run, '--zip', zip)).code, 0);
    const fromZip = await rvos('check', root, '--pred', zip);
    assert.equal(fromZip.code, 0, fromZip.stdout + fromZip.stderr);
  });

  it('lists every problem of a bad zip with its path, exit 1', async () => {
    const root = await datasetWithFrames();
    const run = await writePerfectRun();
    const mask = (name: string) => readFile(path.join(run, 'Annotations', name));
    const { r, at } = await checkZip(root, {
      'Annotations/vidA/0/00000.png': await mask('vidA/0/00000.png'), // 00005 missing
      'Annotations/vidA/0/notes.txt': new Uint8Array([1]),
      'Annotations/vidA/1/00000.png': encodeGrayPng(rectMask([[1, 0, 0, 3, 3]], 20, 12)), // wrong size
      'Annotations/vidA/1/00005.png': encodeGrayPng({
        ...rectMask([
          [7, 0, 0, 3, 3],
          [9, 5, 5, 8, 8],
        ]),
      }), // 3 values
      '../evil.png': new Uint8Array([0]),
      'Annotations/vidX/0/00000.png': await mask('vidA/0/00000.png'),
    });
    assert.equal(r.code, 1, r.stderr);
    assert.deepEqual(r.stdout.trimEnd().split('\n'), [
      `${at('../evil.png')}: has '..' in its path; it would escape its folder`,
      `${at('Annotations/vidA/0/notes.txt')}: not a PNG file name; the server reads only <video>/<exp_id>/<frame>.png`,
      `${at('Annotations/vidX/0/00000.png')}: video vidX is not in split "train"`,
      `${at('Annotations/vidA/0/')}: 1 of 2 frames missing: 00005.png`,
      `${at('Annotations/vidA/1/00000.png')}: mask is 20×12 but the frames are 16×12`,
      `${at('Annotations/vidA/1/00005.png')}: not binary: more than 2 distinct pixel values (expected 0 and one foreground value)`,
      `${at('Annotations/vidB/')}: missing video: no masks for its 1 expressions`,
      '7 problems: a server would reject or mis-score this submission',
    ]);
  });

  it('the wrong root: a nested Annotations/, or the video folders at the root, for Ref-YouTube-VOS', async () => {
    const root = await datasetWithFrames();
    const run = await writePerfectRun();
    const mask = await readFile(path.join(run, 'Annotations', 'vidA', '0', '00000.png'));
    const { file: nested, r } = await checkZip(root, { 'results/Annotations/vidA/0/00000.png': mask });
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout.split('\n')[0],
      `${nested}: wrong root: the masks are under results/Annotations/; the server wants Annotations/ at the root`,
    );
    const { file: bare, r: b } = await checkZip(root, { 'vidA/0/00000.png': mask });
    assert.equal(b.code, 1);
    assert.equal(
      b.stdout.split('\n')[0],
      `${bare}: wrong root: the video folders are at the root; the server wants Annotations/ at the root`,
    );
    assert.equal((await rvos('check', root, '--pred', run, '--benchmark', 'davis')).code, 2);
  });

  it('zip entry names that could leave their folder are recognised', () => {
    assert.match(unsafeEntryName('a/../../b.png')!, /escape/);
    assert.match(unsafeEntryName('/etc/passwd')!, /absolute/);
    assert.match(unsafeEntryName('C:/x.png')!, /absolute/);
    assert.match(unsafeEntryName('a\\..\\b.png')!, /backslash/);
    assert.equal(unsafeEntryName('Annotations/v/0/00000.png'), undefined);
  });

  describe('MeViS (detected from the layout; masks sized as mask_dict.json says)', () => {
    /** A MeViS valid_u split of 3 videos × 3 expressions (two single-object, one of both objects) × 4 frames. */
    async function mevisSplit(): Promise<{ root: string; pred: string }> {
      const root = await tempDir('mevis-check');
      const pred = path.join(root, 'pred');
      await writeMevisSplit(root, 'valid_u', {
        seed: 'check',
        videos: 3,
        frames: 4,
        objects: [2, 2],
        width: 40,
        height: 30,
        absent: 0.3,
        noise: 0,
        predictions: pred,
      });
      return { root, pred };
    }

    it('the prediction folder and the zip rvos export writes (video folders at the root) pass', async () => {
      const { root, pred } = await mevisSplit();
      const ok = await rvos('check', root, '--pred', pred);
      assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      assert.equal(
        ok.stdout,
        'ok: 36 files cover the 9 expressions of split "valid_u" (the video folders at the root)\n',
      );
      const zip = path.join(await tempDir('zip'), 'mevis.zip');
      const exported = await rvos('export', root, '--pred', pred, '--zip', zip);
      assert.equal(exported.code, 0, exported.stderr);
      const opened = await zipEntries(zip);
      opened.close();
      const { entries } = opened;
      assert.equal(entries.length, 36);
      assert.deepEqual(new Set(entries.map((e) => e.name.split('/')[0])), new Set(['v00000', 'v00001', 'v00002']));
      assert.ok(
        entries.every((e) => /^v0000[0-2]\/[0-2]\/0000[0-3]\.png$/.test(e.name)),
        entries[0].name,
      );
      const fromZip = await rvos('check', root, '--pred', zip);
      assert.equal(fromZip.code, 0, fromZip.stdout + fromZip.stderr);
    });

    it('lists missing videos, expressions and frames, wrong sizes, non-binary and non-PNG files, exit 1', async () => {
      const { root, pred } = await mevisSplit();
      const mask = (name: string) => readFile(path.join(pred, name));
      const { r, at } = await checkZip(root, {
        'v00000/0/00000.png': await mask('v00000/0/00000.png'),
        'v00000/0/00001.png': await mask('v00000/0/00001.png'),
        'v00000/0/00002.png': encodeGrayPng(rectMask([[255, 0, 0, 3, 3]], 30, 40)), // transposed: 30×40, not 40×30
        'v00000/0/00003.png': encodeGrayPng(
          rectMask(
            [
              [1, 0, 0, 3, 3],
              [2, 5, 5, 8, 8],
            ],
            40,
            30,
          ),
        ), // 3 values
        'v00000/0/00003.jpg': new Uint8Array([0xff, 0xd8]),
        // expression 1 missing; expression 2 has 2 of its 4 frames
        'v00000/2/00000.png': await mask('v00000/2/00000.png'),
        'v00000/2/00003.png': await mask('v00000/2/00003.png'),
        ...Object.fromEntries(
          await Promise.all(
            ['0', '1', '2'].flatMap((e) =>
              ['00000', '00001', '00002', '00003'].map(async (f) => [
                `v00001/${e}/${f}.png`,
                await mask(`v00001/${e}/${f}.png`),
              ]),
            ),
          ),
        ),
        // v00002 missing
      });
      assert.equal(r.code, 1, r.stderr);
      assert.deepEqual(r.stdout.trimEnd().split('\n'), [
        `${at('v00000/0/00003.jpg')}: not a PNG file name; the server reads only <video>/<exp_id>/<frame>.png`,
        `${at('v00000/0/00002.png')}: mask is 30×40 but the frames are 40×30`,
        `${at('v00000/0/00003.png')}: not binary: more than 2 distinct pixel values (expected 0 and one foreground value)`,
        `${at('v00000/1/')}: missing expression: no masks for its 4 frames`,
        `${at('v00000/2/')}: 2 of 4 frames missing: 00001.png, 00002.png`,
        `${at('v00002/')}: missing video: no masks for its 3 expressions`,
        '6 problems: a server would reject or mis-score this submission',
      ]);
    });

    it('a split without mask_dict.json (valid) takes the mask size from the frames', async () => {
      const root = await tempDir('mevis-valid');
      const pred = path.join(root, 'pred');
      await writeMevisSplit(root, 'valid', {
        seed: 'valid',
        videos: 1,
        frames: 2,
        objects: [1, 1],
        width: 24,
        height: 16,
        absent: 0,
        noise: 0,
        predictions: pred,
        frameImages: true,
      });
      await rm(path.join(root, 'valid', 'mask_dict.json'));
      const ok = await rvos('check', root, '--pred', pred);
      assert.equal(ok.code, 0, ok.stdout + ok.stderr);
      const { r, at } = await checkZip(root, {
        'v00000/0/00000.png': await readFile(path.join(pred, 'v00000', '0', '00000.png')),
        'v00000/0/00001.png': encodeGrayPng(rectMask([[1, 0, 0, 3, 3]], 16, 24)),
      });
      assert.equal(r.code, 1, r.stderr);
      assert.equal(r.stdout.split('\n')[0], `${at('v00000/0/00001.png')}: mask is 16×24 but the frames are 24×16`);
    });

    it('the wrong root: a split folder or Annotations/ above the video folders', async () => {
      const { root, pred } = await mevisSplit();
      const mask = await readFile(path.join(pred, 'v00000', '0', '00000.png'));
      for (const [top, wanted] of [
        ['valid_u/', 'the masks are under valid_u/'],
        ['Annotations/', 'the masks are under Annotations/'],
      ]) {
        const { file, r } = await checkZip(root, { [`${top}v00000/0/00000.png`]: mask });
        assert.equal(r.code, 1);
        assert.equal(
          r.stdout.split('\n')[0],
          `${file}: wrong root: ${wanted}; the server wants the video folders at the root`,
        );
      }
      // A Ref-YouTube-VOS dataset forced to be read as MeViS is refused with the reason, not checked.
      const ytvos = await rvos('check', await datasetWithFrames(), '--pred', pred, '--benchmark', 'mevis');
      assert.equal(ytvos.code, 1);
      assert.match(ytvos.stderr, /^error: .*: /);
    });
  });
});
