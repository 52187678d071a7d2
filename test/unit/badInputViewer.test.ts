// Bad input in the clip viewer, through the host-side modules the panel uses for each frame request (ClipViewerPanel.answer:
// loadFrameMasks, then frameImageNotes): a broken file becomes a note naming the file and the problem on that frame,
// never an error of the request, and the other frames of the clip keep their masks and scores.

import assert from 'node:assert/strict';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import { annotationPath, framePath, openDataset, type Dataset } from '../../src/core/dataset';
import { checkFrameImage } from '../../src/core/frameImage';
import { encodeIndexPng, encodePng } from '../../src/core/png';
import { openPredictionRun, type PredictionRun } from '../../src/core/predictions';
import type { Video } from '../../src/core/types';
import { frameImageNotes, IndexMaskCache, loadFrameMasks } from '../../src/host/clipViewer/frameMasks';
import { decodeRle } from '../../src/inference/maskRle';
import type { FrameMasks } from '../../src/shared/clipViewer/protocol';
import { jpegClaimingSize, writeSampleDataset } from '../helpers/badData';
import { rectMask, tempDir, writePrediction } from '../helpers/tinyDataset';

/** What the panel sends for one frame request. */
async function viewerFrame(ds: Dataset, video: Video, frameIndex: number, run?: PredictionRun): Promise<FrameMasks> {
  const frame = await loadFrameMasks(ds, video.id, video.expressions[0].expId, frameIndex, run, new IndexMaskCache());
  frame.notes.unshift(...(await frameImageNotes(ds, video.id, frame)));
  return frame;
}

/** A run predicting every frame of the first expression of `video` as its ground truth. */
async function perfectRun(ds: Dataset, video: Video): Promise<PredictionRun> {
  const dir = await tempDir('viewer-run');
  const cache = new IndexMaskCache();
  for (let i = 0; i < video.frames.length; i++) {
    const gt = (await loadFrameMasks(ds, video.id, video.expressions[0].expId, i, undefined, cache)).gt!;
    await writePrediction(dir, video.id, video.expressions[0].expId, video.frames[i], decodeRle(gt));
  }
  return openPredictionRun(dir, 'perfect');
}

describe('frame images in the clip viewer', () => {
  let root: string;
  let ds: Dataset;
  let video: Video;
  let run: PredictionRun;
  before(async () => {
    root = await writeSampleDataset(1);
    ds = await openDataset(root);
    video = ds.videos[0];
    run = await perfectRun(ds, video);
  });

  it('an intact clip has no notes and perfect scores', async () => {
    for (let i = 0; i < video.frames.length; i++) {
      const frame = await viewerFrame(ds, video, i, run);
      assert.deepEqual(frame.notes, [], `frame ${i}`);
      assert.deepEqual(frame.score, { J: 1, F: 1 });
    }
  });

  it('missing, zero-byte, truncated, corrupt, oversized and folder frames: a note naming the JPEG; masks and scores stay, other frames unaffected', async () => {
    const jpeg = await readFile(framePath(ds, video.id, video.frames[0]));
    const cases: [string, (file: string) => Promise<void>, RegExp][] = [
      ['missing', (f) => rm(f), /^frame image not found$/],
      ['zero-byte', (f) => writeFile(f, ''), /^empty file \(0 bytes\); not an image$/],
      // A browser draws this as a half-grey frame without any error; only the host can say what is wrong.
      [
        'truncated',
        (f) => writeFile(f, jpeg.subarray(0, jpeg.length - 40)),
        /^cannot decode frame image: .*premature end of JPEG/,
      ],
      [
        'corrupt',
        (f) => writeFile(f, 'not a JPEG at all'),
        /^cannot decode frame image: Input file contains unsupported image format$/,
      ],
      [
        'oversized',
        (f) => writeFile(f, jpegClaimingSize(jpeg, 12000, 12000)),
        /^image is 12000×12000; frames larger than 100 Mpixel are not supported$/,
      ],
      ['a folder', async (f) => (await rm(f), await mkdir(f)), /^is a folder, expected a file$/],
    ];
    const broken = 1;
    const file = framePath(ds, video.id, video.frames[broken]);
    const original = await readFile(file);
    for (const [name, damage, problem] of cases) {
      await damage(file);
      const frame = await viewerFrame(ds, video, broken, run);
      assert.equal(frame.notes.length, 1, `${name}: ${frame.notes.join('\n')}`);
      assert.ok(frame.notes[0].startsWith(`${file}: `), `${name}: ${frame.notes[0]}`);
      assert.match(frame.notes[0].slice(file.length + 2), problem, name);
      assert.ok(frame.gt && frame.pred, `${name}: the masks are still sent`);
      assert.deepEqual(frame.score, { J: 1, F: 1 }, `${name}: the frame is still scored`);
      const other = await viewerFrame(ds, video, broken + 1, run);
      assert.deepEqual([other.notes, other.score], [[], { J: 1, F: 1 }], `${name}: the next frame is unaffected`);
      await rm(file, { recursive: true, force: true });
      await writeFile(file, original);
    }
  });

  it('a JPEG with bytes after its end marker is not a problem (it is decoded to tell it from a truncated one)', async () => {
    const file = framePath(ds, video.id, video.frames[2]);
    const original = await readFile(file);
    await writeFile(file, Buffer.concat([original, Buffer.from('trailing bytes')]));
    try {
      assert.deepEqual(await checkFrameImage(file), { width: 64, height: 48 });
      assert.deepEqual((await viewerFrame(ds, video, 2, run)).notes, []);
    } finally {
      await writeFile(file, original);
    }
  });
});

describe('annotation masks in the clip viewer', () => {
  let ds: Dataset;
  let video: Video;
  let gtFile: string;
  let original: Buffer;
  before(async () => {
    ds = await openDataset(await writeSampleDataset(1));
    video = ds.videos[0];
    gtFile = annotationPath(ds, video.id, video.frames[1]);
    original = await readFile(gtFile);
  });

  it('a mask of another size than its frame: a note naming both files; the mask is still sent (drawn scaled)', async () => {
    await writeFile(gtFile, encodeIndexPng(rectMask([[Number(video.expressions[0].objId), 0, 0, 8, 8]], 32, 24)));
    try {
      const frame = await viewerFrame(ds, video, 1);
      const jpg = framePath(ds, video.id, video.frames[1]);
      assert.deepEqual(frame.notes, [`${gtFile}: mask is 32×24 but frame ${jpg} is 64×48; drawn scaled to the frame`]);
      assert.equal(decodeRle(frame.gt!).width, 32, 'still sent, so the object is visible');
      assert.deepEqual((await viewerFrame(ds, video, 0)).notes, [], 'other frames unaffected');
    } finally {
      await writeFile(gtFile, original);
    }
  });

  it('RGB, 16-bit and zero-byte annotation PNGs: a note naming the PNG, no ground truth on that frame only', async () => {
    const rgb = encodePng({ width: 64, height: 48, bitDepth: 8, colorType: 2, samples: new Uint8Array(64 * 48 * 3) });
    const gray16 = encodePng({ width: 64, height: 48, bitDepth: 16, colorType: 0, samples: new Uint16Array(64 * 48) });
    const cases: [string, Uint8Array, RegExp][] = [
      [
        'RGB',
        rgb,
        /^8-bit RGB image; expected a palette PNG \(or 8-bit grayscale\) whose pixel values are object ids$/,
      ],
      ['16-bit', gray16, /^16-bit grayscale image; expected a palette PNG/],
      ['zero-byte', new Uint8Array(0), /^empty file \(0 bytes\); not a PNG file$/],
    ];
    try {
      for (const [name, bytes, problem] of cases) {
        await writeFile(gtFile, bytes);
        const frame = await viewerFrame(ds, video, 1);
        assert.equal(frame.gt, undefined, name);
        assert.equal(frame.notes.length, 1, `${name}: ${frame.notes.join('\n')}`);
        assert.ok(frame.notes[0].startsWith(`${gtFile}: `), `${name}: ${frame.notes[0]}`);
        assert.match(frame.notes[0].slice(gtFile.length + 2), problem, name);
        const next = await viewerFrame(ds, video, 2);
        assert.ok(next.gt && next.notes.length === 0, `${name}: the next frame keeps its ground truth`);
      }
    } finally {
      await writeFile(gtFile, original);
    }
  });
});
