import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InputError } from '../../src/core/errors';
import { splitWords, Tokenizer } from '../../src/inference/tokenizer';

const vocab = ['<pad>', '<unk>', 'the', 'red', 'square', 'on', 'left', '2nd', 'caf'];
const tok = new Tokenizer({ maxTokens: 6, padId: 0, unkId: 1, vocab });
const ids = (t: { ids: BigInt64Array }): number[] => Array.from(t.ids, Number);

test('splits on everything but ASCII letters and digits, lowercasing A-Z only', () => {
  assert.deepEqual(splitWords('The RED square, on the left-hand side!'), [
    'the',
    'red',
    'square',
    'on',
    'the',
    'left',
    'hand',
    'side',
  ]);
  assert.deepEqual(splitWords("man's 2nd car_x"), ['man', 's', '2nd', 'car', 'x']);
  assert.deepEqual(splitWords('  \t\n  '), []);
});

test('non-ASCII characters separate words and are never folded', () => {
  assert.deepEqual(splitWords('café au lait'), ['caf', 'au', 'lait']);
  // Unicode lowercasing would turn 'İ' into 'i̇' and 'Ｋ' (fullwidth) into 'ｋ'; the ASCII rule keeps them as separators.
  assert.deepEqual(splitWords('Iİx ＫKelvin Straße'), ['i', 'x', 'kelvin', 'stra', 'e']);
  assert.deepEqual(splitWords('猫 cat 🐈 dog'), ['cat', 'dog']);
});

test('encodes ids, pads with padId, marks real tokens, maps unknown words to unkId', () => {
  const t = tok.encode('The red zebra');
  assert.deepEqual(ids(t), [2, 3, 1, 0, 0, 0]);
  assert.deepEqual(Array.from(t.mask), [1, 1, 1, 0, 0, 0]);
  assert.equal(t.count, 3);
  assert.deepEqual(t.unknown, ['zebra']);
});

test('truncates to maxTokens', () => {
  const t = tok.encode('the red square on the left 2nd square');
  assert.deepEqual(ids(t), [2, 3, 4, 5, 2, 6]);
  assert.equal(t.count, 6);
  assert.deepEqual(Array.from(t.mask), [1, 1, 1, 1, 1, 1]);
});

test('a 10,000-character expression tokenizes quickly and is truncated', () => {
  const long = 'Red '.repeat(2500);
  assert.equal(long.length, 10_000);
  const start = performance.now();
  const t = tok.encode(long);
  assert.ok(performance.now() - start < 50);
  assert.deepEqual(ids(t), [3, 3, 3, 3, 3, 3]);
  const oneWord = 'a'.repeat(10_000);
  assert.deepEqual(ids(tok.encode(oneWord)), [1, 0, 0, 0, 0, 0]);
});

test('an empty expression is a clear InputError naming its source', () => {
  for (const text of ['', '   ', '!!! ---', '日本語']) {
    assert.throws(
      () => tok.encode(text, 'vid1/0'),
      (err: unknown) => err instanceof InputError && err.file === 'vid1/0' && /expression is empty/.test(err.message),
    );
  }
});

test('duplicate vocabulary words keep their first id', () => {
  const t = new Tokenizer({ maxTokens: 2, padId: 0, unkId: 1, vocab: ['<pad>', '<unk>', 'a', 'a'] });
  assert.deepEqual(ids(t.encode('A')), [2, 0]);
});
