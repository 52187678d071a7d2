import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { InputError } from '../../src/core/errors';
import {
  countKeyTokens,
  findDuplicateKeys,
  jsonErrorOffset,
  lineColumn,
  parseJsonFile,
  readJsonFile,
} from '../../src/core/json';

/** The InputError message parseJsonFile gives for `text`. */
function errorOf(text: string): string {
  try {
    parseJsonFile(text, 'meta.json');
  } catch (err) {
    assert.ok(err instanceof InputError, 'an InputError');
    assert.equal(err.file, 'meta.json');
    return err.problem;
  }
  assert.fail('expected a syntax error');
}

describe('parseJsonFile', () => {
  it('parses valid JSON and strips a UTF-8 BOM', () => {
    assert.deepEqual(parseJsonFile('\ufeff{"videos": {}}', 'a.json'), { videos: {} });
    assert.deepEqual(parseJsonFile('[1, "x"]', 'a.json'), [1, 'x']);
  });

  it('reports line and column for "at position N" errors', () => {
    // Trailing comma: V8 points at the closing brace.
    assert.match(
      errorOf('{\n  "a": 1,\n}'),
      /^invalid JSON at line 3, column 1: Expected double-quoted property name$/,
    );
    assert.match(
      errorOf('{"a": 1\n  "b": 2}'),
      /^invalid JSON at line 2, column 3: Expected ',' or '}' after property value$/,
    );
  });

  it('reports line and column for unexpected tokens quoted in the middle of a long file', () => {
    const text = '{\n  "videos": {\n    "v1": {"frames": ["00000", "00005",, "00010"]}\n  }\n}\n';
    assert.equal(errorOf(text), "invalid JSON at line 3, column 40: Unexpected token ','");
  });

  it('reports unexpected tokens near the start and the end of a long file', () => {
    assert.equal(
      errorOf('{"a": tru, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb": 1}'),
      "invalid JSON at line 1, column 10: Unexpected token ','",
    );
    assert.equal(
      errorOf('{"bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb": 1, "a": x}'),
      "invalid JSON at line 1, column 60: Unexpected token 'x'",
    );
  });

  it('reports unexpected tokens in a short file', () => {
    assert.equal(errorOf('{"a":\n x}'), "invalid JSON at line 2, column 2: Unexpected token 'x'");
  });

  it('reports a truncated file at its end', () => {
    assert.equal(errorOf('{"videos": {\n'), "invalid JSON at line 2, column 1: Expected property name or '}'");
    assert.equal(errorOf('{"videos": {"v": '), 'invalid JSON at line 1, column 18: Unexpected end of JSON input');
    assert.equal(errorOf(''), 'invalid JSON at line 1, column 1: Unexpected end of JSON input');
  });

  it('says so when the position cannot be known', () => {
    // The token occurs twice in a source short enough to be quoted whole: V8 gives no position.
    assert.equal(errorOf('[x, x]'), "invalid JSON (position unknown): Unexpected token 'x'");
  });

  it('counts columns after a BOM from the first real character', () => {
    assert.equal(errorOf('\ufeff{"a" 1}'), "invalid JSON at line 1, column 6: Expected ':' after property name");
  });
});

describe('jsonErrorOffset', () => {
  it('reads the positions of other V8 message formats', () => {
    assert.equal(jsonErrorOffset('Unexpected token } in JSON at position 12', 'x'.repeat(20)), 12); // Node 18
    assert.equal(
      jsonErrorOffset("Expected ',' or '}' after property value in JSON at position 7 (line 2 column 3)", ''),
      7,
    );
    assert.equal(jsonErrorOffset('Something else entirely', '{}'), undefined);
  });

  it('checks that the quoted token is at the computed offset', () => {
    // A message whose excerpt does not match the text must not produce a made-up position.
    assert.equal(
      jsonErrorOffset('Unexpected token \'q\', "[1234567890q"... is not valid JSON', '[1234567890x234567890]'),
      undefined,
    );
  });
});

describe('lineColumn', () => {
  it('is 1-based and treats \\r\\n as one line end', () => {
    assert.deepEqual(lineColumn('ab\r\ncd\nef', 0), { line: 1, column: 1 });
    assert.deepEqual(lineColumn('ab\r\ncd\nef', 5), { line: 2, column: 2 });
    assert.deepEqual(lineColumn('ab\r\ncd\nef', 7), { line: 3, column: 1 });
  });
});

describe('readJsonFile', () => {
  it('names the file when it is missing or malformed', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rvos-json-'));
    const missing = path.join(dir, 'nope.json');
    await assert.rejects(readJsonFile(missing), { name: 'InputError', message: `${missing}: file not found` });
    const bad = path.join(dir, 'bad.json');
    await writeFile(bad, '{\n  "videos": {\n    "v": [1, 2,]\n  }\n}');
    await assert.rejects(readJsonFile(bad), (err: InputError) => {
      assert.equal(err.file, bad);
      assert.match(err.problem, /^invalid JSON at line 3, column 16: Unexpected token '\]'$/);
      return true;
    });
    await assert.rejects(readJsonFile(dir), { message: `${dir}: is a folder, expected a file` });
  });
});

describe('findDuplicateKeys', () => {
  it('finds keys repeated in one object, at any depth, with the path to the object', () => {
    const text =
      '{"videos": {"a": {"expressions": {"0": {"exp": "x, \\"y\\": {"}, "0": {"exp": "z"}}, "frames": ["a", "a"]}, "b": {}, "a": [1, {"k": 1, "k": 2}]}, "x": 1}';
    assert.deepEqual(findDuplicateKeys(text), [
      { path: ['videos', 'a', 'expressions'], key: '0' },
      { path: ['videos'], key: 'a' },
      { path: ['videos', 'a', '[]'], key: 'k' },
    ]);
    assert.deepEqual(findDuplicateKeys(text, 2), [{ path: ['videos'], key: 'a' }]);
    assert.deepEqual(findDuplicateKeys('{"a\\u0062": 1, "ab": 2, "b": [{"a": 1}, {"a": 1}]}'), [
      { path: [], key: 'ab' },
    ]);
  });
});

describe('countKeyTokens', () => {
  it('counts only object keys, not values or escaped quotes inside strings', () => {
    const text = '{"exp": "a", "b": {"exp" :\n 1}, "c": "exp", "d": "say \\"exp\\": no", "e": ["exp"]}';
    assert.equal(countKeyTokens(text, 'exp'), 2);
    assert.equal(countKeyTokens(text, 'frames'), 0);
  });
});
