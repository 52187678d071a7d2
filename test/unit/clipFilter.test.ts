import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Video } from '../../src/core/types';
import { filterClip, filterClips, parseFilter } from '../../src/host/clips/clipFilter';

const video = (id: string, texts: string[]): Video => ({
  id,
  frames: ['00000'],
  expressions: texts.map((text, i) => ({ expId: String(i), text, objId: '1' })),
  objects: {},
});
const videos = [
  video('003234408d', ['a penguin on the left', 'the penguin in the middle walking']),
  video('0043f083b5', ['a dark blue car', 'a white sedan']),
  video('0044fa5fba', ['a giant panda']),
];

test('parseFilter: blank is no filter; words are lower-cased', () => {
  assert.equal(parseFilter(''), undefined);
  assert.equal(parseFilter('   \t'), undefined);
  assert.deepEqual(parseFilter('  Blue   CAR '), { text: 'Blue   CAR', words: ['blue', 'car'] });
});

test('no filter shows every clip with all expressions', () => {
  const shown = filterClips(videos, undefined);
  assert.deepEqual(
    shown.map((c) => c.video.id),
    ['003234408d', '0043f083b5', '0044fa5fba'],
  );
  assert.equal(shown[0].expressions.length, 2);
});

test('a matching video id keeps all expressions of the clip', () => {
  assert.equal(filterClip(videos[1], parseFilter('0043F'))?.length, 2);
});

test('expression text matches keep only the matching expressions, case-insensitively', () => {
  assert.deepEqual(
    filterClip(videos[0], parseFilter('WALKING'))?.map((e) => e.expId),
    ['1'],
  );
  assert.deepEqual(
    filterClips(videos, parseFilter('penguin')).map((c) => [c.video.id, c.expressions.length]),
    [['003234408d', 2]],
  );
});

test('all words must match, and may be split between the id and the text', () => {
  assert.deepEqual(
    filterClips(videos, parseFilter('blue car')).map((c) => c.expressions.map((e) => e.text)),
    [['a dark blue car']],
  );
  assert.deepEqual(filterClips(videos, parseFilter('blue sedan')), []);
  assert.deepEqual(
    filterClips(videos, parseFilter('0044fa panda')).map((c) => c.video.id),
    ['0044fa5fba'],
  );
});

test('a filter that matches nothing hides the clip', () => {
  assert.equal(filterClip(videos[2], parseFilter('zebra')), undefined);
});
