// The variant table of the Failures panel as DOM: one row per protocol variant and subset (the rows of
// `rvos score --variants`), J, F, J&F in percent and ΔJ&F to the official row; a worse row's Δ in the error colour.
// The subsets follow under their own heading row instead of a "kind" column, so the table fits a 480 px panel.

import type { VariantsView } from '../../shared/failures/protocol';
import { pct, signedPct } from './format';

const HEADERS = ['Variant', 'Expressions', 'J', 'F', 'J&F', 'ΔJ&F'];

function cell(tag: 'td' | 'th', text: string, className?: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

/** The note above the table and the table itself. */
export function variantsTable(view: VariantsView): HTMLElement[] {
  const note = Object.assign(document.createElement('p'), {
    className: 'variants-note',
    textContent: `"${view.run}" re-scored under each variant; official = ${view.benchmark}. Same rows as rvos score --variants.`,
  });
  const table = document.createElement('table');
  table.className = 'variants-table';
  table.dataset.testid = 'variants-table';
  const head = document.createElement('tr');
  head.append(...HEADERS.map((h) => cell('th', h)));
  table.createTHead().append(head);
  const body = table.createTBody();
  let subsets = false;
  for (const r of view.rows) {
    if (r.kind === 'subset' && !subsets) {
      subsets = true;
      const heading = document.createElement('tr');
      heading.className = 'group';
      const th = cell('th', 'Subsets, under the official rule');
      th.setAttribute('colspan', String(HEADERS.length));
      heading.append(th);
      body.append(heading);
    }
    const tr = document.createElement('tr');
    if (r.name === 'official') tr.className = 'official';
    const official = r.name === 'official';
    tr.append(
      cell('td', r.name),
      cell('td', String(r.expressions)),
      cell('td', pct(r.J)),
      cell('td', pct(r.F)),
      cell('td', pct(r.JF)),
      cell(
        'td',
        official ? '' : signedPct(r.delta),
        !official && r.delta !== null && r.delta < -0.0005 ? 'worse' : undefined,
      ),
    );
    body.append(tr);
  }
  return [note, table];
}
