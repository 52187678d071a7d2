// Tags and notes in .rvos/annotations.json: round trip, stable readable output, unknown fields kept, malformed files.

import assert from 'node:assert/strict';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { AnnotationsStore } from '../../src/core/analysis/annotationsStore';
import { ExpressionIndex } from '../../src/core/analysis/expressionIndex';
import { expressionKey } from '../../src/core/analysis/expressionKey';
import { InputError } from '../../src/core/errors';
import { tempDir } from '../helpers/tinyDataset';

describe('AnnotationsStore', () => {
  it('round-trips tags and notes through .rvos/annotations.json with sorted keys', async () => {
    const ws = await tempDir('ann');
    const file = AnnotationsStore.fileIn(ws);
    const store = await AnnotationsStore.load(file); // missing file: empty
    assert.deepEqual(store.get('v', '0'), { tags: [], note: '' });
    store.addTag('vidB', '1', 'occlusion');
    store.addTag('vidB', '1', ' small ');
    store.addTag('vidB', '1', 'occlusion'); // no duplicate
    store.setNote('vidB', '1', 'mask "leaks" <into> the bg\nsecond line');
    store.addTag('vidA', '0', 'small');
    await store.save();
    assert.deepEqual(await readdir(path.join(ws, '.rvos')), ['annotations.json']); // no temp file left
    const text = await readFile(file, 'utf8');
    assert.equal(
      text,
      `{
  "version": 1,
  "videos": {
    "vidA": {
      "0": {
        "tags": [
          "small"
        ]
      }
    },
    "vidB": {
      "1": {
        "note": "mask \\"leaks\\" <into> the bg\\nsecond line",
        "tags": [
          "occlusion",
          "small"
        ]
      }
    }
  }
}
`,
    );
    const again = await AnnotationsStore.load(file);
    assert.deepEqual(again.get('vidB', '1'), {
      tags: ['occlusion', 'small'],
      note: 'mask "leaks" <into> the bg\nsecond line',
    });
    assert.deepEqual(again.allTags(), ['occlusion', 'small']);
    assert.deepEqual(
      [...again.keysWithTag('small')].sort(),
      [expressionKey('vidA', '0'), expressionKey('vidB', '1')].sort(),
    );
    assert.equal(again.serialize(), text);
  });

  it('removes emptied entries and videos', () => {
    const store = AnnotationsStore.empty('x.json');
    store.addTag('v', '0', 't');
    store.setNote('v', '0', 'n');
    store.removeTag('v', '0', 't');
    assert.deepEqual(store.get('v', '0'), { tags: [], note: 'n' });
    store.setNote('v', '0', '');
    assert.equal(store.serialize(), '{\n  "version": 1,\n  "videos": {}\n}\n');
    store.addTag('__proto__', 'constructor', 'odd ids'); // stored as plain own keys
    assert.deepEqual(AnnotationsStore.parse(store.serialize(), 'x.json').get('__proto__', 'constructor').tags, [
      'odd ids',
    ]);
    assert.deepEqual(store.get('v', 'constructor'), { tags: [], note: '' });
  });

  it('keeps fields it does not know (top level, per expression) when saving', async () => {
    const ws = await tempDir('ann');
    const file = AnnotationsStore.fileIn(ws);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(
      file,
      JSON.stringify({
        version: 2,
        owner: { name: 'z' },
        videos: { v: { '0': { tags: ['a'], severity: 3, review: { by: 'q' } } } },
      }),
    );
    const store = await AnnotationsStore.load(file);
    store.addTag('v', '0', 'b');
    store.addTag('w', '1', 'c');
    await store.save();
    const json = JSON.parse(await readFile(file, 'utf8'));
    assert.deepEqual(json, {
      owner: { name: 'z' },
      version: 2,
      videos: { v: { '0': { review: { by: 'q' }, severity: 3, tags: ['a', 'b'] } }, w: { '1': { tags: ['c'] } } },
    });
  });

  it('names line and column of a syntax error, and the field of a wrong shape', async () => {
    const ws = await tempDir('ann');
    const file = AnnotationsStore.fileIn(ws);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '{\n  "version": 1,\n  "videos": { "v": { "0": { "tags": ["a",] } } }\n}\n');
    await assert.rejects(AnnotationsStore.load(file), (err: unknown) => {
      assert.ok(err instanceof InputError);
      assert.equal(err.file, file);
      assert.match(err.problem, /^invalid JSON at line 3, column \d+/);
      return true;
    });
    const bad = (text: string, problem: RegExp) =>
      assert.throws(
        () => AnnotationsStore.parse(text, 'f.json'),
        (e: unknown) => e instanceof InputError && problem.test(e.problem),
      );
    bad('[]', /expected a JSON object/);
    bad('{"videos": {}}', /"version" must be a positive integer/);
    bad('{"version": 1, "videos": []}', /"videos" must be an object/);
    bad(
      '{"version": 1, "videos": {"v": {"0": {"tags": [1]}}}}',
      /videos\["v"\]\["0"\]\.tags must be an array of strings/,
    );
    bad('{"version": 1, "videos": {"v": {"0": {"note": 5}}}}', /\.note must be a string/);
  });

  it('filters the expression index by tag', () => {
    const store = AnnotationsStore.empty('x.json');
    store.addTag('v', '1', 'hard');
    const exps = ['0', '1', '2'].map((expId) => ({
      video: 'v',
      expId,
      expression: 'e',
      J: 0,
      F: 0,
      JF: 0,
      frames: [],
    }));
    const index = new ExpressionIndex({ J: 0, F: 0, JF: 0, expressions: exps });
    assert.deepEqual(
      index.query({ filter: { keys: store.keysWithTag('hard') } }).rows.map((r) => r.expId),
      ['1'],
    );
  });
});
