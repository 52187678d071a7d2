// CSV per RFC 4180 (CRLF line ends; a field with a comma, quote, CR or LF is quoted and its quotes doubled) and the
// per-expression and per-frame score tables of a split. Texts come from datasets (expressions, ids): a text cell that
// a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets a leading ' as OWASP recommends.

import type { SplitScore } from '../types';

export type CsvValue = string | number | boolean | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: CsvValue): string {
  let s = value === undefined ? '' : String(value);
  if (typeof value === 'string' && FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

/** One row per expression: video, exp_id, expression, category, J, F, J&F, frames, missing (scores as fractions 0–1). */
export function expressionScoresCsv(score: SplitScore): string {
  const rows = score.expressions.map((e) => [
    e.video,
    e.expId,
    e.expression,
    e.category,
    e.J,
    e.F,
    e.JF,
    e.frames.length,
    e.frames.filter((f) => f.missing).length,
  ]);
  return toCsv(['video', 'exp_id', 'expression', 'category', 'J', 'F', 'JF', 'frames', 'missing'], rows);
}

/** One row per scored frame: video, exp_id, frame, J, F, J&F, missing. */
export function frameScoresCsv(score: SplitScore): string {
  const rows = score.expressions.flatMap((e) =>
    e.frames.map((f) => [e.video, e.expId, f.frame, f.J, f.F, (f.J + f.F) / 2, f.missing]),
  );
  return toCsv(['video', 'exp_id', 'frame', 'J', 'F', 'JF', 'missing'], rows);
}
