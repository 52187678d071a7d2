// JSON files given by the user: parse errors name the file, line and column instead of V8's bare position.

import { readFile } from 'node:fs/promises';
import { InputError } from './errors';

/** V8 quotes this many characters either side of an unexpected token when the source is long enough. */
const V8_CONTEXT_CHARS = 10;

/**
 * Offset (UTF-16 units) of the syntax error that V8 reported in `message` for `text`, or undefined when the message
 * does not pin it down. Node 20 either says "... in JSON at position N" or, for unexpected tokens, quotes the source
 * ("Unexpected token 'x', "whole source" is not valid JSON", or a 10-characters-either-side excerpt marked by "...").
 */
export function jsonErrorOffset(message: string, text: string): number | undefined {
  const atPosition = /at position (\d+)/.exec(message);
  if (atPosition) return Number(atPosition[1]);
  if (/^Unexpected end of JSON input/.test(message)) return text.length;

  const quoted = /^Unexpected token '([\s\S])', (\.\.\.)?"([\s\S]*)"(\.\.\.)? is not valid JSON$/.exec(message);
  if (!quoted) return undefined;
  const [, token, before, excerpt, after] = quoted;
  let offset: number | undefined;
  if (before && after) {
    // source[pos-10, pos+10): find the excerpt; only trust a single match.
    const first = text.indexOf(excerpt);
    if (first >= 0 && text.indexOf(excerpt, first + 1) < 0) offset = first + V8_CONTEXT_CHARS;
  } else if (after) {
    offset = excerpt.length - V8_CONTEXT_CHARS; // source[0, pos+10)
  } else if (before) {
    offset = text.length - excerpt.length + V8_CONTEXT_CHARS; // source[pos-10, end)
  } else {
    // The whole (short) source is quoted: the token's position is known only when it occurs once.
    const first = text.indexOf(token);
    if (first >= 0 && text.indexOf(token, first + 1) < 0) offset = first;
  }
  return offset !== undefined && text[offset] === token ? offset : undefined;
}

/** 1-based line and column of a UTF-16 offset (lines end at \n; a \r before it belongs to the line). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

/** Parses the text of `file`; a syntax error becomes an InputError "invalid JSON at line L, column C: <reason>". */
export function parseJsonFile(text: string, file: string): unknown {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(source);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const reason = message
      .replace(/ (in JSON )?at position \d+( \(line \d+ column \d+\))?/, '')
      .replace(/^(Unexpected token '[\s\S]'), [\s\S]* is not valid JSON$/, '$1'); // the excerpt is noise once located
    const offset = jsonErrorOffset(message, source);
    if (offset === undefined) throw new InputError(file, `invalid JSON (position unknown): ${reason}`);
    const { line, column } = lineColumn(source, offset);
    throw new InputError(file, `invalid JSON at line ${line}, column ${column}: ${reason}`);
  }
}

/** Reads a text file; an unreadable file is an InputError. */
export async function readTextFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(file, describeFsError(err));
  }
}

/** Reads and parses a JSON file; unreadable files are InputErrors too. */
export async function readJsonFile(file: string): Promise<unknown> {
  return parseJsonFile(await readTextFile(file), file);
}

/** "file not found", "permission denied", … for a Node fs error, without the path (the caller names the file). */
export function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, expected a file';
    case 'ENOTDIR':
      return 'a parent of this path is not a folder';
    case 'ELOOP':
      return 'symlink loop (too many levels of symbolic links)';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EFBIG':
      return 'file too large for the device or the file-size limit';
    case 'EROFS':
      return 'read-only file system';
    default:
      return `cannot read: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/** A key that occurs more than once in one object; JSON.parse silently keeps only the last value. */
export interface DuplicateKey {
  /** Keys leading to the object ("videos", "<video id>", …); "[]" for an array element. */
  path: string[];
  key: string;
}

/**
 * Finds keys repeated within one object of valid JSON `text`, by a token scan (strings, brackets, ':' and ','),
 * since the parsed value no longer shows the repeats. Objects deeper than `maxDepth` levels are not checked.
 */
export function findDuplicateKeys(text: string, maxDepth = Infinity): DuplicateKey[] {
  const token = /"(?:[^"\\]|\\[\s\S])*"|[{}[\]:,]/g;
  const found: DuplicateKey[] = [];
  // Open containers, outermost first: objects keep the keys seen so far and the key whose value is being read.
  const stack: { seen: Set<string> | null; key: string }[] = [];
  const ARRAY = { seen: null, key: '[]' };
  let expectKey = false;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    const t = m[0];
    if (t === '{') {
      stack.push({ seen: stack.length < maxDepth ? new Set() : null, key: '' });
      expectKey = true;
    } else if (t === '[') {
      stack.push(ARRAY);
      expectKey = false;
    } else if (t === '}' || t === ']') {
      stack.pop();
      expectKey = false;
    } else if (t === ',') {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== ARRAY;
    } else if (t === ':') {
      expectKey = false;
    } else if (expectKey) {
      const top = stack[stack.length - 1];
      top.key = t.includes('\\') ? (JSON.parse(t) as string) : t.slice(1, -1);
      if (top.seen?.has(top.key)) found.push({ path: stack.slice(0, -1).map((f) => f.key), key: top.key });
      else top.seen?.add(top.key);
      expectKey = false;
    }
  }
  return found;
}

/**
 * How many times `"key":` occurs as an object key in JSON `text` (an escaped quote inside a string is never counted):
 * a cheap way to learn whether JSON.parse dropped repeated entries, before paying for findDuplicateKeys.
 */
export function countKeyTokens(text: string, key: string): number {
  const quoted = JSON.stringify(key);
  let n = 0;
  for (let i = text.indexOf(quoted); i >= 0; i = text.indexOf(quoted, i + quoted.length)) {
    if (i > 0 && text[i - 1] === '\\') continue;
    let j = i + quoted.length;
    while (j < text.length && (text[j] === ' ' || text[j] === '\n' || text[j] === '\r' || text[j] === '\t')) j++;
    if (text[j] === ':') n++;
  }
  return n;
}
