// Loads and validates a YOFO model folder's model.json (format "yofo-onnx", version 1; training/CONTRACT.md). Every
// wrong field is an InputError naming model.json and the field, so a broken or foreign model is refused up front.

import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { InputError } from '../core/errors';
import { parseJsonFile } from '../core/json';
import type { MemoryShape } from './memoryRing';
import type { InputSpec } from './preprocess';
import type { TokenizerSpec } from './tokenizer';

export const MANIFEST_FILE = 'model.json';

export interface ModelManifest {
  /** Absolute path of the model folder. */
  dir: string;
  /** Absolute path of model.json. */
  file: string;
  name: string;
  input: InputSpec & { resize: 'bilinear-half-pixel' };
  tokenizer: TokenizerSpec;
  memory: MemoryShape;
  /** Absolute paths of the two graphs, inside `dir`. */
  graphs: { text: string; frame: string };
  /** Free-form training / score records, shown to the user as is. */
  training?: Record<string, unknown>;
  scores?: Record<string, unknown>;
}

type Json = Record<string, unknown>;

class Fields {
  constructor(private readonly file: string) {}

  fail(field: string, problem: string): never {
    throw new InputError(this.file, `field "${field}" ${problem}`);
  }

  object(obj: Json, key: string, prefix = ''): Json {
    const v = obj[key];
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(prefix + key, 'must be an object');
    return v as Json;
  }

  string(obj: Json, key: string, prefix = ''): string {
    const v = obj[key];
    if (typeof v !== 'string' || v === '') this.fail(prefix + key, 'must be a non-empty string');
    return v;
  }

  literal<T>(obj: Json, key: string, expected: T, prefix = ''): T {
    if (obj[key] !== expected)
      this.fail(prefix + key, `must be ${JSON.stringify(expected)} (found ${JSON.stringify(obj[key])})`);
    return expected;
  }

  int(obj: Json, key: string, min: number, prefix = ''): number {
    const v = obj[key];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      this.fail(prefix + key, `must be an integer ≥ ${min}`);
    return v;
  }

  triple(obj: Json, key: string, positive: boolean, prefix = ''): number[] {
    const v = obj[key];
    if (
      !Array.isArray(v) ||
      v.length !== 3 ||
      !v.every((n) => typeof n === 'number' && Number.isFinite(n) && (!positive || n > 0))
    ) {
      this.fail(prefix + key, `must be an array of 3 ${positive ? 'positive ' : ''}numbers`);
    }
    return v as number[];
  }

  /** A file name inside the model folder (no absolute paths, no `..`): model folders are never allowed to point elsewhere. */
  graph(dir: string, obj: Json, key: string, prefix: string): string {
    const name = this.string(obj, key, prefix);
    const resolved = path.resolve(dir, name);
    if (path.isAbsolute(name) || path.relative(dir, resolved).startsWith('..') || name.includes('\0')) {
      this.fail(prefix + key, 'must be a file name inside the model folder');
    }
    return resolved;
  }
}

/** Validates parsed model.json content; `dir` is the model folder. */
export function parseManifest(raw: unknown, dir: string): ModelManifest {
  const file = path.join(dir, MANIFEST_FILE);
  const f = new Fields(file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new InputError(file, 'must contain a JSON object');
  const top = raw as Json;
  f.literal(top, 'format', 'yofo-onnx');
  f.literal(top, 'version', 1);
  const name = f.string(top, 'name');

  const input = f.object(top, 'input');
  const inputSpec = {
    width: f.int(input, 'width', 1, 'input.'),
    height: f.int(input, 'height', 1, 'input.'),
    mean: f.triple(input, 'mean', false, 'input.'),
    std: f.triple(input, 'std', true, 'input.'),
    resize: f.literal(input, 'resize', 'bilinear-half-pixel' as const, 'input.'),
  };

  const tok = f.object(top, 'tokenizer');
  f.literal(tok, 'type', 'word', 'tokenizer.');
  f.literal(tok, 'lowercase', 'ascii', 'tokenizer.');
  f.literal(tok, 'tokenPattern', '[a-z0-9]+', 'tokenizer.');
  const vocab = tok.vocab;
  if (!Array.isArray(vocab) || vocab.length < 2 || !vocab.every((w) => typeof w === 'string')) {
    return f.fail('tokenizer.vocab', 'must be an array of at least 2 strings');
  }
  const tokenizer: TokenizerSpec = {
    maxTokens: f.int(tok, 'maxTokens', 1, 'tokenizer.'),
    padId: f.int(tok, 'padId', 0, 'tokenizer.'),
    unkId: f.int(tok, 'unkId', 0, 'tokenizer.'),
    vocab,
  };
  if (tokenizer.padId >= vocab.length) f.fail('tokenizer.padId', `must be a vocabulary index (< ${vocab.length})`);
  if (tokenizer.unkId >= vocab.length) f.fail('tokenizer.unkId', `must be a vocabulary index (< ${vocab.length})`);

  const mem = f.object(top, 'memory');
  const memory: MemoryShape = {
    length: f.int(mem, 'length', 1, 'memory.'),
    channels: f.int(mem, 'channels', 1, 'memory.'),
    height: f.int(mem, 'height', 1, 'memory.'),
    width: f.int(mem, 'width', 1, 'memory.'),
  };

  const graphs = f.object(top, 'graphs');
  const optional = (key: string): Json | undefined => (top[key] === undefined ? undefined : f.object(top, key));
  return {
    dir,
    file,
    name,
    input: inputSpec,
    tokenizer,
    memory,
    graphs: { text: f.graph(dir, graphs, 'text', 'graphs.'), frame: f.graph(dir, graphs, 'frame', 'graphs.') },
    training: optional('training'),
    scores: optional('scores'),
  };
}

/** Reads `<dir>/model.json`; a missing folder or file and malformed JSON are InputErrors naming the path. */
export async function loadManifest(modelDir: string): Promise<ModelManifest> {
  const dir = path.resolve(modelDir);
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw new InputError(file, 'not found: a YOFO model folder holds model.json, text.onnx and frame.onnx');
    throw new InputError(file, `cannot read: ${(err as Error).message}`);
  }
  return parseManifest(parseJsonFile(text, file), dir);
}
