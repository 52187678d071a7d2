// `rvos score` on a ReVOS split: the official table of VISA's eval_revos.py (J, F, J&F, A, R per type_id, and the
// overall number over referring and reasoning), plus the no-target subset the script scores but leaves out.

import type { RevosGroup, RevosSummary } from '../core/benchmarks/revos/metrics';
import { REVOS_TYPE_NAMES } from '../core/datasetParse';
import type { SplitScore } from '../core/types';
import { skippedLine } from './predictionRunCli';
import { aligned, count, formatTable, percent, truncate } from './table';

const two = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');

/** The text table: one row per subset, numbers in percent with two decimals as the script saves them. */
export function formatRevosSummary(summary: RevosSummary): string {
  const row = (name: string, g: Omit<RevosGroup, 'expressions'>, n: string) => [
    name,
    n,
    two(g.J),
    two(g.F),
    two(g.JF),
    two(g.A),
    two(g.R),
  ];
  const rows = [
    row('referring (type_id 0)', summary.referring, String(summary.referring.expressions)),
    row('reasoning (type_id 1)', summary.reason, String(summary.reason.expressions)),
    row(
      'overall (referring + reasoning)',
      summary.overall,
      String(summary.referring.expressions + summary.reason.expressions),
    ),
    row('no-target (type_id 2, not in overall)', summary.noTarget, String(summary.noTarget.expressions)),
  ];
  return formatTable(['subset', 'expressions', 'J', 'F', 'J&F', 'A', 'R'], rows, aligned('lrrrrrr'));
}

/**
 * The JSON of a ReVOS score: the split score's schema (expressions with A, R and typeId) with J, F, JF the official
 * overall in 0..1, and `revos` the script's summary in percent (referring, reason, overall, plus noTarget).
 */
export function revosJson(score: SplitScore, summary: RevosSummary): Record<string, unknown> {
  const { overall } = summary;
  return {
    benchmark: 'revos',
    ...score,
    J: overall.J / 100,
    F: overall.F / 100,
    JF: overall.JF / 100,
    A: overall.A / 100,
    R: overall.R / 100,
    revos: summary,
  };
}

/** The text output: each expression (J, F, J&F, A, R in percent), then the official table. */
export function formatRevosHuman(score: SplitScore, summary: RevosSummary): string {
  const rows = score.expressions.map((e) => {
    const missing = e.frames.filter((f) => f.missing).length;
    return [
      e.video,
      e.expId,
      e.typeId === undefined ? '' : REVOS_TYPE_NAMES[e.typeId],
      percent(e.J),
      percent(e.F),
      percent(e.JF),
      percent(e.A ?? NaN),
      percent(e.R ?? NaN),
      missing ? `${missing}/${e.frames.length}` : '',
      truncate(e.expression, 50),
    ];
  });
  let out = formatTable(
    ['video', 'exp', 'type', 'J', 'F', 'J&F', 'A', 'R', 'missing', 'expression'],
    rows,
    aligned('lrlrrrrrrl'),
  );
  const zeroed = score.expressions.filter((e) => e.frames.some((f) => f.missing)).length;
  out += `\n${count(score.expressions.length, 'expression')}`;
  out += zeroed
    ? `, ${zeroed} with missing prediction frames or no prediction folder: scored 0 on J, F, A and R, as eval_revos.py does\n`
    : '\n';
  out += skippedLine(score);
  out += `\nReVOS (cilinyan/VISA tools/eval_revos.py; percent, each expression rounded to 2 decimals first)\n`;
  return out + formatRevosSummary(summary);
}
