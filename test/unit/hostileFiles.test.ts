// Hostile files (issue 17, docs/reliability.md): markup and formulas in dataset texts, PNG bombs, special files in a
// prediction folder, outputs that would overwrite inputs, unwritable or full output folders, a kill mid-write.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { deflateSync } from 'node:zlib';
import { crc32 } from '../../src/core/crc32';
import { InputError } from '../../src/core/errors';
import { decodePng, encodeGrayPng } from '../../src/core/png';
import { csvField } from '../../src/core/report/csv';
import { assertCliError, assertUnscorableFile, REPO, rvos } from '../helpers/badData';
import { tempDir, tinyMetaExpressions, writeJson, writePerfectRun, writeTinyDataset } from '../helpers/tinyDataset';

const ENTRY = path.join(REPO, 'src', 'cli', 'rvos.ts');
const HOSTILE_VIDEO = '<img src=x onerror=alert(1)>';

/** The tiny dataset and a perfect run with video vidB renamed to `id` everywhere, and expression texts replaced. */
async function datasetWithVideoId(id: string, texts: Record<string, string>): Promise<{ root: string; run: string }> {
  const meta = tinyMetaExpressions() as { videos: Record<string, { expressions: Record<string, { exp: string }> }> };
  for (const [key, text] of Object.entries(texts)) {
    const [video, expId] = key.split('/');
    meta.videos[video].expressions[expId].exp = text;
  }
  meta.videos[id] = meta.videos.vidB;
  delete meta.videos.vidB;
  const root = await writeTinyDataset(meta);
  const run = await writePerfectRun();
  for (const folder of [
    path.join(root, 'train', 'Annotations'),
    path.join(root, 'train', 'JPEGImages'),
    path.join(run, 'Annotations'),
  ]) {
    await rename(path.join(folder, 'vidB'), path.join(folder, id));
  }
  const objects = JSON.parse(await readFile(path.join(root, 'train', 'meta.json'), 'utf8')) as {
    videos: Record<string, unknown>;
  };
  objects.videos[id] = objects.videos.vidB;
  delete objects.videos.vidB;
  await writeJson(path.join(root, 'train', 'meta.json'), objects);
  return { root, run };
}

/** A PNG of `width`×`height` 8-bit gray whose IDAT holds `raw` deflated (chunks with valid CRCs). */
function pngWithRawData(width: number, height: number, raw: Uint8Array): Buffer {
  const chunk = (type: string, data: Uint8Array) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth; colour type 0 (gray), no interlace
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', new Uint8Array()),
  ]);
}

describe('hostile texts in outputs', () => {
  it('HTML report: markup and script in expression texts and video ids are shown as text, never run', async () => {
    const script = '<script>alert("x")</script>';
    const { root, run } = await datasetWithVideoId(HOSTILE_VIDEO, {
      'vidA/0': script,
      'vidA/1': '"><svg onload=alert(2)>',
    });
    const out = path.join(await tempDir('html'), 'report.html');
    const r = await rvos('report', root, '--pred', run, '--out', out);
    assert.equal(r.code, 0, r.stderr);
    const html = await readFile(out, 'utf8');
    assert.doesNotMatch(html, /<script/i, 'no script element at all (the report has none of its own)');
    assert.doesNotMatch(html, /<img src=x|<svg/i);
    assert.ok(
      html.includes('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'),
      'the expression text is there, escaped',
    );
    assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'), 'the video id is there, escaped');
  });

  it('CSV exports: cells starting with =, +, -, @, tab or CR get a leading quote (OWASP); numbers stay numbers', async () => {
    for (const [text, cell] of [
      ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
      ['+1+1', "'+1+1"],
      ['-2+3', "'-2+3"],
      ['@SUM(A1)', "'@SUM(A1)"],
      ['\tx', "'\tx"],
      ['\rx', `"'\rx"`],
      ['a = b', 'a = b'],
    ] as const) {
      assert.equal(csvField(text), cell, JSON.stringify(text));
    }
    assert.equal(csvField(-0.5), '-0.5');
    const { root, run } = await datasetWithVideoId('=cmd|calc', { 'vidA/0': '=1+2', 'vidA/1': '@user' });
    const csv = path.join(await tempDir('csv'), 'scores.csv');
    const frames = path.join(path.dirname(csv), 'frames.csv');
    const r = await rvos('export', root, '--pred', run, '--csv', csv, '--frames-csv', frames);
    assert.equal(r.code, 0, r.stderr);
    const rows = (await readFile(csv, 'utf8')).split('\r\n');
    assert.ok(rows.includes("vidA,0,'=1+2,appearance,1,1,1,2,0"), rows.join('\n'));
    assert.ok(rows.includes("vidA,1,'@user,position,1,1,1,2,0"), rows.join('\n'));
    assert.ok(
      rows.some((r) => r.startsWith("'=cmd|calc,0,")),
      rows.join('\n'),
    );
    assert.ok((await readFile(frames, 'utf8')).split('\r\n').some((r) => r.startsWith("'=cmd|calc,0,00000,")));
  });
});

describe('PNG bombs are refused before the image is allocated', () => {
  const heapGrowth = (fn: () => void) => {
    const before = process.memoryUsage().arrayBuffers;
    fn();
    return process.memoryUsage().arrayBuffers - before;
  };

  it('a tiny file declaring 10000×10000 pixels: truncated, not a 100 MB buffer', () => {
    const bomb = pngWithRawData(10000, 10000, new Uint8Array(64));
    assert.ok(bomb.length < 200);
    const grown = heapGrowth(() =>
      assert.throws(
        () => decodePng(bomb, 'bomb.png'),
        (e: unknown) =>
          e instanceof InputError && /^truncated PNG \(IDAT data ends early: 64 of 100010000 bytes\)$/.test(e.problem),
      ),
    );
    assert.ok(grown < 16 << 20, `grew ${grown} bytes`);
  });

  it('a 10×10 image whose IDAT inflates to 256 MB: refused at the image size', () => {
    const bomb = pngWithRawData(10, 10, new Uint8Array(256 << 20));
    assert.ok(bomb.length < 300_000, `${bomb.length} bytes`);
    const grown = heapGrowth(() =>
      assert.throws(
        () => decodePng(bomb, 'bomb.png'),
        (e: unknown) => e instanceof InputError && e.problem === 'corrupt PNG (IDAT data is longer than the image)',
      ),
    );
    assert.ok(grown < 16 << 20, `grew ${grown} bytes`);
  });

  it('a header beyond the limits (20000×20000) is refused from the header alone', () => {
    assert.throws(
      () => decodePng(pngWithRawData(20000, 20000, new Uint8Array(1)), 'big.png'),
      (e: unknown) => e instanceof InputError && /^image is 20000×20000; /.test(e.problem),
    );
  });
});

describe('special files in a prediction folder: no hang, an error naming the file', () => {
  it('a FIFO, a symlink loop and a folder named 00000.png', async () => {
    const root = await writeTinyDataset();
    for (const [kind, make, problem] of [
      [
        'fifo',
        (p: string) => spawnSync('mkfifo', [p]),
        /^is a FIFO \(named pipe\), not a regular file; refusing to read it$/,
      ],
      [
        'loop',
        async (p: string) => {
          await symlink(`${p}.other`, p);
          await symlink(p, `${p}.other`);
        },
        /^symlink loop \(too many levels of symbolic links\)$/,
      ],
      ['folder', (p: string) => mkdir(p), /^is a folder, expected a file$/],
    ] as const) {
      const run = await writePerfectRun();
      const file = path.join(run, 'Annotations', 'vidB', '0', '00000.png');
      await rm(file);
      await make(file);
      const started = Date.now();
      assertUnscorableFile(await rvos('score', root, '--pred', run), file, problem);
      assert.ok(Date.now() - started < 60_000, `${kind}: answered without hanging`);
    }
  });
});

describe('output files', () => {
  it('an output that is an input (a prediction, the tags file, another output) is refused and nothing is written', async () => {
    const root = await writeTinyDataset();
    const run = await writePerfectRun();
    const pred = path.join(run, 'Annotations', 'vidA', '0', '00000.png');
    const before = await readFile(pred);
    assertCliError(
      await rvos('export', root, '--pred', run, '--csv', pred),
      pred,
      /^refusing to write inside the prediction run .*; choose another --csv$/,
    );
    assert.deepEqual(await readFile(pred), before);

    const dir = await tempDir('outs');
    const tags = path.join(dir, 'annotations.json');
    await writeFile(tags, '{"version": 1, "expressions": {}}\n');
    assertCliError(
      await rvos('report', root, '--pred', run, '--out', tags, '--annotations', tags),
      tags,
      /^is also the tags and notes file \(--annotations\); refusing to write over it, choose another --out$/,
    );
    assert.equal(await readFile(tags, 'utf8'), '{"version": 1, "expressions": {}}\n');
    const same = path.join(dir, 'same.txt');
    assertCliError(
      await rvos('export', root, '--pred', run, '--csv', same, '--json', same),
      same,
      /^is also the --csv output; refusing to write over it, choose another --json$/,
    );
  });

  it('a read-only output folder: the error names the file, nothing else happens', async () => {
    const root = await writeTinyDataset();
    const out = '/sys/rvos-test/scores.csv'; // sysfs: not writable, even for root
    assertCliError(
      await rvos('export', root, '--pred', await writePerfectRun(), '--csv', out),
      out,
      /^cannot write: (permission denied|read-only file system)$/,
    );
  });

  it('a full output device (a file-size limit): the error names the file, the earlier file is intact, no temp file is left', async () => {
    const { root, run } = await bigRun();
    const dir = await tempDir('full');
    const zip = path.join(dir, 'sub.zip');
    await writeFile(zip, 'the earlier export');
    // SIGXFSZ ignored, so writing past the limit fails with EFBIG as on a full disk instead of killing the process.
    const r = spawnSync(
      'bash',
      [
        '-c',
        `trap '' XFSZ; ulimit -f 2048; exec "${process.execPath}" --import tsx "${ENTRY}" export "$@"`,
        'rvos',
        root,
        '--pred',
        run,
        '--zip',
        zip,
      ],
      { cwd: REPO, encoding: 'utf8' },
    );
    assertCliError(
      { code: r.status ?? -1, signal: null, stdout: r.stdout, stderr: r.stderr },
      zip,
      /^cannot write: file too large for the device or the file-size limit$/,
    );
    assert.equal(await readFile(zip, 'utf8'), 'the earlier export');
    assert.deepEqual(await readdir(dir), ['sub.zip']);
  });

  it('rvos export --zip and rvos report killed while writing: the final path holds the earlier file or a complete one, never part of one', async () => {
    const { root, run } = await bigRun();
    const dir = await tempDir('kill');
    const complete = path.join(dir, 'complete.zip');
    assert.equal((await rvos('export', root, '--pred', run, '--zip', complete)).code, 0);
    const full = await readFile(complete);
    for (const [args, file] of [
      [['export', root, '--pred', run, '--zip'], path.join(dir, 'sub.zip')],
      [['report', root, '--pred', await writePerfectRun(), '--out'], path.join(dir, 'report.html')],
    ] as const) {
      await writeFile(file, 'the earlier file');
      const killedAt = await killWhenTempAppears([...args, file], dir);
      assert.match(
        killedAt,
        new RegExp(`^\\.${path.basename(file).replace('.', '\\.')}\\.tmp-`),
        'killed while its temp file was being written',
      );
      const now = await readFile(file);
      const isComplete = file.endsWith('.zip') ? now.equals(full) : now.toString().endsWith('</html>\n');
      assert.ok(now.toString() === 'the earlier file' || isComplete, `${file} is the earlier file or complete`);
    }
  });
});

/** A run whose 6 masks are 4 MB of noise each (the zip stores PNG bytes as they are): a 24 MB write to interrupt. */
async function bigRun(): Promise<{ root: string; run: string }> {
  const root = await writeTinyDataset();
  const run = await writePerfectRun();
  const noise = Buffer.alloc(4 << 20);
  for (let i = 0; i < noise.length; i += 4) noise.writeUInt32LE((Math.imul(i, 2654435761) ^ (i >>> 7)) >>> 0, i);
  const png = Buffer.concat([Buffer.from(encodeGrayPng({ width: 1, height: 1, data: new Uint8Array(1) })), noise]);
  for (const [video, expId] of [
    ['vidA', '0'],
    ['vidA', '1'],
    ['vidB', '0'],
  ]) {
    for (const frame of ['00000', '00005'])
      await writeFile(path.join(run, 'Annotations', video, expId, `${frame}.png`), png);
  }
  return { root, run };
}

/** Starts `rvos args…` and SIGKILLs it the moment a temp file appears in `dir`; returns that file's name. */
function killWhenTempAppears(args: readonly string[], dir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: REPO, stdio: 'ignore' });
    let seen = '';
    const watcher = watch(dir, (_event, name) => {
      if (!seen && name?.includes('.tmp-')) {
        seen = name;
        child.kill('SIGKILL');
      }
    });
    child.on('exit', () => {
      watcher.close();
      if (seen) resolve(seen);
      else reject(new Error(`rvos ${args[0]} finished before any temp file was seen`));
    });
  });
}
