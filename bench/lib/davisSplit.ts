// The Ref-YouTube-VOS-layout split of the scoring benchmarks, built in a temp dir from the DAVIS fixture masks
// (test/fixtures/davis2017-masks): each of the 4 sequences, `copies` times, is a video with one expression per
// object id 1–3; ground truth = the osvos annotation PNGs, predictions = rvos == id written as 0/255 PNGs in the
// evaluation-server layout Annotations/<video>/<exp_id>/<frame>.png.

import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { decodeIndexMask, encodeGrayPng } from '../../src/core/png';

export const SHARED = path.join(__dirname, '../../../shared');
/** The DAVIS masks copied into the repository (test/fixtures/davis2017-masks/README.md). */
export const FIXTURES = path.join(__dirname, '../../test/fixtures/davis2017-masks');
/** The folder of jf_ref.py (numpy + OpenCV J and F), the Python baseline. */
export const REFERENCE = path.join(SHARED, 'reference');
export const PYTHON = '/usr/bin/python3';
export const DAVIS_SPLIT = 'train';

const SPLIT = DAVIS_SPLIT;

export async function buildDavisSplit(
  root: string,
  copies: number,
): Promise<{ dataset: string; run: string; frames: number; expressions: number }> {
  const dataset = path.join(root, 'dataset');
  const run = path.join(root, 'run');
  const videos: Record<string, unknown> = {};
  let frames = 0;
  let expressions = 0;
  for (const seq of readdirSync(path.join(FIXTURES, 'osvos')).sort()) {
    const names = readdirSync(path.join(FIXTURES, 'osvos', seq))
      .filter((f) => f.endsWith('.png'))
      .map((f) => f.slice(0, -4))
      .sort();
    const predictions = names.map((f) => {
      const file = path.join(FIXTURES, 'rvos', seq, `${f}.png`);
      return decodeIndexMask(readFileSync(file), file);
    });
    for (let c = 0; c < copies; c++) {
      const id = `${seq}-${c}`;
      const exps: Record<string, unknown> = {};
      for (let obj = 1; obj <= 3; obj++) {
        const expId = String(obj - 1);
        exps[expId] = { exp: `object ${obj} of ${seq}`, obj_id: String(obj) };
        const dir = path.join(run, 'Annotations', id, expId);
        await mkdir(dir, { recursive: true });
        for (let i = 0; i < names.length; i++) {
          const m = predictions[i];
          await writeFile(
            path.join(dir, `${names[i]}.png`),
            encodeGrayPng({ ...m, data: m.data.map((v) => (v === obj ? 255 : 0)) }),
          );
        }
        expressions++;
      }
      const gtDir = path.join(dataset, SPLIT, 'Annotations', id);
      await mkdir(gtDir, { recursive: true });
      for (const f of names)
        await copyFile(path.join(FIXTURES, 'osvos', seq, `${f}.png`), path.join(gtDir, `${f}.png`));
      await mkdir(path.join(dataset, SPLIT, 'JPEGImages', id), { recursive: true });
      videos[id] = { expressions: exps, frames: names };
      frames += names.length;
    }
  }
  await mkdir(path.join(dataset, 'meta_expressions', SPLIT), { recursive: true });
  await writeFile(path.join(dataset, 'meta_expressions', SPLIT, 'meta_expressions.json'), JSON.stringify({ videos }));
  return { dataset, run, frames, expressions };
}
