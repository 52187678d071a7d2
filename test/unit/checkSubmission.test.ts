// `rvos check`: submission preflight on folders and zips (read with yauzl, never extracted).

import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { zipSync } from 'fflate';
import { encodeGrayPng } from '../../src/core/png';
import { unsafeEntryName } from '../../src/core/submission/entries';
import { rvos } from '../helpers/badData';
import { rectMask, tempDir, writePerfectRun, writeTinyDataset, writeTinyFrames } from '../helpers/tinyDataset';

async function datasetWithFrames(): Promise<string> {
  const root = await writeTinyDataset();
  await writeTinyFrames(root, (i) => i);
  return root;
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
    // fflate writes any entry name (yazl, our writer, refuses '../evil.png'), as a hostile or broken tool might.
    const zip = zipSync({
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
    const file = path.join(await tempDir('zip'), 'bad.zip');
    await writeFile(file, zip);
    const r = await rvos('check', root, '--pred', file);
    assert.equal(r.code, 1, r.stderr);
    const at = (name: string) => `${file}:${name}`;
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

  it('the wrong root: a nested Annotations/ for Ref-YouTube-VOS, Annotations/ for MeViS', async () => {
    const root = await datasetWithFrames();
    const run = await writePerfectRun();
    const zip = zipSync({
      'results/Annotations/vidA/0/00000.png': await readFile(path.join(run, 'Annotations', 'vidA', '0', '00000.png')),
    });
    const file = path.join(await tempDir('zip'), 'nested.zip');
    await writeFile(file, zip);
    const r = await rvos('check', root, '--pred', file);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout.split('\n')[0],
      `${file}: wrong root: the masks are under results/Annotations/; the server wants Annotations/ at the root`,
    );
    const mevis = await rvos('check', root, '--pred', run, '--benchmark', 'mevis');
    assert.equal(mevis.code, 1);
    assert.equal(
      mevis.stdout.split('\n')[0],
      `${run}: wrong root: the masks are under Annotations/; the server wants the video folders at the root`,
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
});
