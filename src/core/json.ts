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

/** Reads and parses a JSON file; unreadable files are InputErrors too. */
export async function readJsonFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(file, describeFsError(err));
  }
  return parseJsonFile(text, file);
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
    default:
      return `cannot read: ${err instanceof Error ? err.message : String(err)}`;
  }
}
