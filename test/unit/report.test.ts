// Report building blocks: CSV escaping, the zip writer (checked by unzip/python when present and by our reader),
// HTML escaping and self-containment, thumbnails over a real JPEG frame.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import sharp from 'sharp';
import { ExpressionIndex } from '../../src/core/analysis/expressionIndex';
import { openDataset } from '../../src/core/dataset';
import { openPredictionRun } from '../../src/core/predictions';
import { buildReport, DEFAULT_DIFF_COLOURS } from '../../src/core/report/buildReport';
import { crc32 } from '../../src/core/crc32';
import { csvField, expressionScoresCsv, frameScoresCsv, toCsv } from '../../src/core/report/csv';
import { escapeHtml, renderHtmlReport, type ReportInput } from '../../src/core/report/htmlReport';
import { frameThumbnail } from '../../src/core/report/thumbnail';
import { readZip, writeZipAtomic } from '../../src/core/report/zip';
import type { SplitScore } from '../../src/core/types';
import { decodePng } from '../../src/core/png';
import { HEIGHT, tempDir, WIDTH, writeBytes, writePerfectRun, writeTinyDataset } from '../helpers/tinyDataset';

function commandWorks(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('CSV', () => {
  it('quotes fields with commas, quotes, CR or LF (RFC 4180) and ends lines with CRLF', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('two\nlines'), '"two\nlines"');
    assert.equal(csvField('cr\r'), '"cr\r"');
    assert.equal(csvField(undefined), '');
    assert.equal(csvField(0.5), '0.5');
    assert.equal(toCsv(['a', 'b'], [['x', 'y,z']]), 'a,b\r\nx,"y,z"\r\n');
  });

  it('writes per-expression and per-frame tables', () => {
    const score: SplitScore = {
      J: 0.5,
      F: 0.5,
      JF: 0.5,
      expressions: [
        {
          video: 'v',
          expId: '0',
          expression: 'the "big", red\ncar',
          category: 'appearance',
          J: 0.25,
          F: 0.75,
          JF: 0.5,
          frames: [{ frame: '00000', J: 0.25, F: 0.75, missing: true }],
        },
      ],
    };
    assert.equal(
      expressionScoresCsv(score),
      'video,exp_id,expression,category,J,F,JF,frames,missing\r\nv,0,"the ""big"", red\ncar",appearance,0.25,0.75,0.5,1,1\r\n',
    );
    assert.equal(frameScoresCsv(score), 'video,exp_id,frame,J,F,JF,missing\r\nv,0,00000,0.25,0.75,0.5,true\r\n');
  });
});

describe('zip', () => {
  it('computes the standard CRC-32', () => {
    assert.equal(crc32(Buffer.from('123456789')), 0xcbf43926);
    assert.equal(crc32(new Uint8Array(0)), 0);
  });

  it('writes archives (streamed, deterministic) that fflate, our reader, unzip and python read back', async () => {
    const dir = await tempDir('zip');
    const text = Buffer.from('hello '.repeat(1000)); // deflates
    const random = Uint8Array.from({ length: 3000 }, (_, i) => (i * 2654435761) >>> 24); // a PNG-like body: stored
    const names = ['Annotations/vid/0/00000.txt', 'Annotations/vid/0/00005.png', 'Annotations/vidé/1/empty.png'];
    const write = (file: string) =>
      writeZipAtomic(file, async (zip) => {
        await zip.add(names[0], text);
        await zip.add(names[1], random, { compress: false });
        await zip.add(names[2], new Uint8Array(0), { compress: false });
      });
    const file = path.join(dir, 'a.zip');
    await write(file);
    const bytes = await readFile(file);
    assert.ok(bytes.length < text.length + random.length + 1000);
    const read = unzipSync(bytes);
    assert.deepEqual(Object.keys(read), names);
    assert.deepEqual(Buffer.from(read[names[0]]), text);
    assert.deepEqual(Buffer.from(read[names[1]]), Buffer.from(random));
    assert.equal(read[names[2]].length, 0);
    assert.ok(bytes.includes(Buffer.from(random)), 'stored as it is, not compressed again');
    assert.deepEqual(
      readZip(bytes).map((e) => e.name),
      names,
    );
    // Deterministic: the same entries give the same bytes (fixed timestamps).
    await write(path.join(dir, 'b.zip'));
    assert.deepEqual(await readFile(path.join(dir, 'b.zip')), bytes);
    assert.deepEqual((await readdir(dir)).sort(), ['a.zip', 'b.zip'], 'no temp file left behind');
    const corrupt = Uint8Array.from(bytes);
    corrupt[30 + bytes.readUInt16LE(26) + bytes.readUInt16LE(28) + 5] ^= 0xff; // inside the first entry's deflated data
    assert.throws(() => readZip(corrupt));
    assert.throws(() => unzipSync(corrupt));
    if (commandWorks('unzip', ['-v']))
      assert.match(execFileSync('unzip', ['-t', file], { encoding: 'utf8' }), /No errors detected/);
    if (commandWorks('python3', ['-c', 'import zipfile'])) {
      const out = execFileSync(
        'python3',
        [
          '-c',
          'import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); print(z.testzip()); print(len(z.namelist()))',
          file,
        ],
        { encoding: 'utf8' },
      );
      assert.equal(out, 'None\n3\n');
    }
  });

  it('a failed or cancelled zip leaves no file and keeps the old one', async () => {
    const dir = await tempDir('zip');
    const file = path.join(dir, 'sub.zip');
    await writeFile(file, 'old');
    await assert.rejects(
      writeZipAtomic(file, async (zip) => {
        await zip.add('a.png', new Uint8Array(10), { compress: false });
        throw new Error('cancelled');
      }),
      /cancelled/,
    );
    assert.deepEqual(await readdir(dir), ['sub.zip']);
    assert.equal(await readFile(file, 'utf8'), 'old');
  });

  it('a 70,000-entry submission (more than a zip without zip64 holds) writes and reads back', async () => {
    const png = await sharp({ create: { width: 2, height: 2, channels: 3, background: '#000' } })
      .png()
      .toBuffer();
    const file = path.join(await tempDir('zip64'), 'submission.zip');
    const count = 70_000;
    const name = (i: number) =>
      `Annotations/v${Math.floor(i / 100)}/${Math.floor(i / 10) % 10}/${String(i % 10).padStart(5, '0')}.png`;
    await writeZipAtomic(file, async (zip) => {
      for (let i = 0; i < count; i++) await zip.add(name(i), png, { compress: false });
    });
    const read = unzipSync(await readFile(file));
    const names = Object.keys(read);
    assert.equal(names.length, count);
    assert.equal(names[0], name(0));
    assert.equal(names[count - 1], name(count - 1));
    assert.ok(names.every((n) => read[n].length === png.length));
    assert.deepEqual(Buffer.from(read[name(65_535)]), png);
  });
});

function reportInput(text: string, tags: string[], note: string): ReportInput {
  const index = new ExpressionIndex({
    J: 0.1,
    F: 0.2,
    JF: 0.15,
    expressions: [
      {
        video: 'v<1>',
        expId: '0',
        expression: text,
        J: 0.1,
        F: 0.2,
        JF: 0.15,
        frames: [{ frame: '00000', J: 0.1, F: 0.2, missing: false }],
      },
    ],
  });
  return {
    title: 'report & <title>',
    dataset: '/data/"ds"',
    split: 'train',
    run: 'run',
    generated: '2025-01-01T00:00:00Z',
    summary: { J: 0.1, F: 0.2, JF: 0.15, expressions: 1, unscored: 0 },
    colours: DEFAULT_DIFF_COLOURS,
    items: [
      {
        row: index.rows[0],
        tags,
        note,
        thumbnail: { dataUri: 'data:image/png;base64,iVBORw0KGgo=', counts: { tp: 1, fp: 2, fn: 3 } },
      },
    ],
  };
}

describe('HTML report', () => {
  it('escapes every piece of user text: an expression with <script> stays text', () => {
    const html = renderHtmlReport(
      reportInput('the <script>alert("x")</script> & dog', ['<b>tag</b>'], 'note with <img src=x onerror=alert(1)>'),
    );
    assert.ok(!html.includes('<script'), 'no script element');
    assert.ok(!html.includes('<img src=x'));
    assert.ok(!html.includes('<b>tag'));
    assert.ok(html.includes('the &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; dog'));
    assert.ok(html.includes('v&lt;1&gt;'));
    assert.ok(html.includes('report &amp; &lt;title&gt;'));
    assert.ok(html.includes('/data/&quot;ds&quot;'));
    assert.equal(escapeHtml(`'"<>&`), '&#39;&quot;&lt;&gt;&amp;');
  });

  it('is self-contained: no external resources, only data-URI images', () => {
    const html = renderHtmlReport(reportInput('x', [], ''));
    assert.doesNotMatch(html, /(src|href)="(?!data:)/);
    assert.doesNotMatch(html, /https?:\/\//);
    assert.match(html, /<img src="data:image\/png;base64,iVBORw0KGgo="/);
    const input = reportInput('x', [], '');
    input.items[0].thumbnail!.dataUri = 'https://evil.example/x.png';
    assert.doesNotMatch(renderHtmlReport(input), /evil/);
  });
});

describe('thumbnails and buildReport', () => {
  it('composites the overlay over the decoded JPEG frame; an undecodable frame gives grey and says why', async () => {
    const root = await writeTinyDataset();
    // A real JPEG for vidA/00000: white frame.
    const jpeg = await sharp({
      create: { width: WIDTH, height: HEIGHT, channels: 3, background: { r: 255, g: 255, b: 255 } },
    })
      .jpeg({ quality: 100 })
      .toBuffer();
    await writeBytes(path.join(root, 'train', 'JPEGImages', 'vidA', '00000.jpg'), jpeg);
    const ds = await openDataset(root);
    const run = await openPredictionRun(await writePerfectRun());
    const colours = { tp: [0, 0, 0], fp: [0, 0, 0], fn: [0, 0, 0] } as const;
    const t = await frameThumbnail(ds, run, 'vidA', '0', '00000', { colours, opacity: 1 });
    assert.deepEqual(t.counts, { tp: 36, fp: 0, fn: 0 });
    assert.equal(t.frameProblem, undefined);
    const png = decodePng(Buffer.from(t.dataUri.replace(/^data:image\/png;base64,/, ''), 'base64'), 'thumb');
    assert.equal(png.width, WIDTH);
    const at = (x: number, y: number) => [
      ...png.samples.subarray((y * WIDTH + x) * png.channels, (y * WIDTH + x) * png.channels + 3),
    ];
    assert.deepEqual(at(3, 3), [0, 0, 0]); // TP drawn opaque black
    assert.ok(at(0, 0).every((v) => v > 245)); // the white frame elsewhere
    const grey = await frameThumbnail(ds, run, 'vidA', '0', '00005', { colours, opacity: 1 });
    assert.match(grey.frameProblem!, /00005\.jpg: cannot decode/);
  });

  it('lists the worst expressions first with tags and notes', async () => {
    const root = await writeTinyDataset();
    const ds = await openDataset(root);
    const run = await openPredictionRun(await writePerfectRun());
    const score: SplitScore = {
      J: 0.5,
      F: 0.5,
      JF: 0.5,
      expressions: [
        {
          video: 'vidA',
          expId: '0',
          expression: 'a',
          J: 0.9,
          F: 0.9,
          JF: 0.9,
          frames: [{ frame: '00000', J: 0.9, F: 0.9, missing: false }],
        },
        {
          video: 'vidB',
          expId: '0',
          expression: 'b',
          J: 0.1,
          F: 0.1,
          JF: 0.1,
          frames: [{ frame: '00005', J: 0.1, F: 0.1, missing: false }],
        },
      ],
    };
    const { AnnotationsStore } = await import('../../src/core/analysis/annotationsStore');
    const annotations = AnnotationsStore.empty(path.join(root, 'x.json'));
    annotations.addTag('vidB', '0', 'thin');
    annotations.setNote('vidB', '0', 'check');
    const input = await buildReport(ds, run, score, { worst: 1, annotations });
    assert.equal(input.items.length, 1);
    assert.equal(input.items[0].row.video, 'vidB');
    assert.deepEqual(input.items[0].tags, ['thin']);
    assert.equal(input.items[0].note, 'check');
    assert.equal(input.items[0].row.worstFrame!.frame, '00005');
    assert.ok(input.items[0].thumbnail?.dataUri.startsWith('data:image/png;base64,'));
    assert.equal(input.histogram!.total, 2);
  });
});
