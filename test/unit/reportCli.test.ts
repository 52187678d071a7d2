// `rvos report` and `rvos export` end to end on a tiny generated dataset, through the real CLI entry.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { readZip } from '../../src/core/report/zip';
import type { SplitScore } from '../../src/core/types';
import {
  FRAMES,
  rectMask,
  tempDir,
  tinyMetaExpressions,
  writePerfectRun,
  writePrediction,
  writeTinyDataset,
} from '../helpers/tinyDataset';

const REPO = path.resolve(__dirname, '../..');
const ENTRY = path.join(REPO, 'src', 'cli', 'rvos.ts');
/** tsx by path: the commands run in a temp folder (relative paths, .rvos/), where `--import tsx` would not resolve. */
const TSX = pathToFileURL(path.join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;

function rvos(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env };
  delete env.RVOS_DEBUG;
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', TSX, ENTRY, ...args], { cwd, env }, (err, stdout, stderr) => {
      resolve({ code: err ? Number((err as { code?: unknown }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Tiny dataset whose vidA expression 1 reads "<script>…", and a run that gets vidA/1 wrong in frame 00005. */
async function fixture(): Promise<{ root: string; runDir: string; work: string }> {
  const meta = tinyMetaExpressions() as { videos: Record<string, { expressions: Record<string, { exp: string }> }> };
  meta.videos.vidA.expressions['1'].exp = 'the <script>alert(1)</script> bar, "tall"';
  const root = await writeTinyDataset(meta);
  const runDir = await writePerfectRun();
  await writePrediction(runDir, 'vidA', '1', '00005', rectMask([[1, 0, 0, 3, 3]]));
  return { root, runDir, work: await tempDir('work') };
}

describe('rvos report', () => {
  it('writes a self-contained HTML report, worst expression first, with tags and notes', async () => {
    const { root, runDir, work } = await fixture();
    await writeFile(
      path.join(work, 'ann.json'),
      JSON.stringify({ version: 1, videos: { vidA: { '1': { tags: ['thin <object>'], note: 'fails at 00005' } } } }),
    );
    const out = path.join(work, 'out', 'report.html');
    const r = await rvos(
      work,
      'report',
      root,
      '--pred',
      runDir,
      '--out',
      out,
      '--worst',
      '2',
      '--annotations',
      'ann.json',
    );
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /wrote .*report\.html: 2 expressions of 3/);
    const html = await readFile(out, 'utf8');
    assert.ok(!html.includes('<script'), 'the expression stays text');
    assert.ok(html.includes('the &lt;script&gt;alert(1)&lt;/script&gt; bar, &quot;tall&quot;'));
    assert.ok(html.includes('thin &lt;object&gt;') && html.includes('fails at 00005'));
    assert.ok(html.indexOf('&lt;script&gt;') < html.indexOf('the red square on the left'), 'worst first');
    assert.equal((html.match(/<img src="data:image\/png;base64,/g) ?? []).length, 2);
    assert.match(html, /00005\.jpg: cannot decode/); // the placeholder JPEGs are reported, not fatal
    assert.doesNotMatch(html, /(src|href)="(?!data:)/);
    assert.deepEqual((await readdir(path.dirname(out))).sort(), ['report.html']); // no temp files left
  });

  it('refuses an output inside the dataset, and a malformed annotations file, as error: <file>: <problem>', async () => {
    const { root, runDir, work } = await fixture();
    const inside = path.join(root, 'report.html');
    let r = await rvos(work, 'report', root, '--pred', runDir, '--out', inside);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `error: ${inside}: refusing to write inside the dataset folder ${root}; choose another --out\n`,
    );
    await writeFile(path.join(work, 'bad.json'), '{"version": 1,\n "videos": {,}}');
    r = await rvos(work, 'report', root, '--pred', runDir, '--out', 'r.html', '--annotations', 'bad.json');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: bad\.json: invalid JSON at line 2, column 13: /);
    r = await rvos(work, 'report', root, '--pred', runDir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: missing --out <file\.html>/);
  });
});

describe('rvos export', () => {
  it('writes per-expression CSV, per-frame CSV and JSON scores', async () => {
    const { root, runDir, work } = await fixture();
    const r = await rvos(
      work,
      'export',
      root,
      '--pred',
      runDir,
      '--csv',
      'e.csv',
      '--frames-csv',
      'f.csv',
      '--json',
      's.json',
    );
    assert.equal(r.code, 0, r.stderr);
    const csv = await readFile(path.join(work, 'e.csv'), 'utf8');
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'video,exp_id,expression,category,J,F,JF,frames,missing');
    assert.equal(lines[1], 'vidA,0,the red square on the left,appearance,1,1,1,2,0');
    assert.match(lines[2], /^vidA,1,"the <script>alert\(1\)<\/script> bar, ""tall""",position,0\.5,/);
    assert.equal(lines.length, 5); // 3 rows, header, final empty
    const json = JSON.parse(await readFile(path.join(work, 's.json'), 'utf8')) as SplitScore;
    assert.equal(json.expressions.length, 3);
    assert.equal(json.expressions[1].frames[1].J, 0);
    const frames = (await readFile(path.join(work, 'f.csv'), 'utf8')).split('\r\n');
    assert.equal(frames[0], 'video,exp_id,frame,J,F,JF,missing');
    assert.equal(frames.length, 3 * FRAMES.length + 2);
    assert.equal(frames[4], 'vidA,1,00005,0,0,0,false');
  });

  it('writes a submission zip in the evaluation-server layout, without needing ground truth', async () => {
    const { root, runDir, work } = await fixture();
    await rm(path.join(root, 'train', 'Annotations'), { recursive: true });
    await rm(path.join(runDir, 'Annotations', 'vidB', '0', '00005.png'));
    const r = await rvos(work, 'export', root, '--pred', runDir, '--zip', 'sub.zip');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /sub\.zip: 5 masks/);
    assert.match(
      r.stderr,
      /warning: .*: 1 listed frame without a mask, left out of the zip \(first: vidB\/0\/00005\.png\)/,
    );
    const entries = readZip(await readFile(path.join(work, 'sub.zip')));
    assert.deepEqual(
      entries.map((e) => e.name),
      [
        'Annotations/vidA/0/00000.png',
        'Annotations/vidA/0/00005.png',
        'Annotations/vidA/1/00000.png',
        'Annotations/vidA/1/00005.png',
        'Annotations/vidB/0/00000.png',
      ],
    );
    assert.deepEqual(
      Buffer.from(entries[0].data),
      await readFile(path.join(runDir, 'Annotations', 'vidA', '0', '00000.png')),
    );
  });

  it('needs an output and refuses outputs inside the dataset', async () => {
    const { root, runDir, work } = await fixture();
    let r = await rvos(work, 'export', root, '--pred', runDir);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: nothing to export/);
    const inside = path.join(root, 'train', 'x.csv');
    r = await rvos(work, 'export', root, '--pred', runDir, '--csv', inside);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr,
      `error: ${inside}: refusing to write inside the dataset folder ${root}; choose another --csv\n`,
    );
  });
});
