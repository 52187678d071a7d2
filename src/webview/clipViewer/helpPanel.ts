// The keyboard help panel: every shortcut from the one table in shortcuts.ts.

import { SHORTCUTS } from './shortcuts';

export function fillHelp(table: HTMLTableSectionElement): void {
  table.replaceChildren(
    ...SHORTCUTS.map((s) => {
      const row = document.createElement('tr');
      const key = document.createElement('th');
      key.scope = 'row';
      key.append(Object.assign(document.createElement('kbd'), { textContent: s.label }));
      row.append(key, Object.assign(document.createElement('td'), { textContent: s.what }));
      return row;
    }),
  );
}
