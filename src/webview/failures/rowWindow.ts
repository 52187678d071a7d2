// The virtualised list's arithmetic: which rows a scroll position shows, which pages to ask the host for, where the
// selection moves on a key, and how far to scroll to keep it in view. Rows have one fixed height, so a list of any
// length is a spacer of total × height with only the visible rows in the DOM.

import type { FailuresAction } from './keys';

/** Rows asked for in one request. */
export const PAGE_SIZE = 200;

export interface RowRange {
  /** First row index shown (inclusive). */
  start: number;
  /** One past the last row shown. */
  end: number;
}

/** Rows in view at `scrollTop`, widened by `overscan` rows on each side, clamped to [0, total). */
export function visibleRange(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  total: number,
  overscan = 8,
): RowRange {
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight);
  return { start: Math.max(0, Math.min(total, first - overscan)), end: Math.max(0, Math.min(total, last + overscan)) };
}

/** Page numbers that hold rows [start, end). */
export function pagesOf(range: RowRange, pageSize = PAGE_SIZE): number[] {
  if (range.end <= range.start) return [];
  const pages: number[] = [];
  for (let p = Math.floor(range.start / pageSize); p <= Math.floor((range.end - 1) / pageSize); p++) pages.push(p);
  return pages;
}

/** Pages of rows of one query; a new query (a new generation) empties it so late answers of the old one are dropped. */
export class PageCache<T> {
  private pages = new Map<number, T[]>();
  private readonly asked = new Set<number>();
  generation = 0;

  constructor(readonly pageSize = PAGE_SIZE) {}

  reset(): number {
    this.pages = new Map();
    this.asked.clear();
    return ++this.generation;
  }

  row(index: number): T | undefined {
    return this.pages.get(Math.floor(index / this.pageSize))?.[index % this.pageSize];
  }

  /** Pages of `range` neither loaded nor asked for; marks them asked. */
  missing(range: RowRange): number[] {
    const wanted = pagesOf(range, this.pageSize).filter((p) => !this.pages.has(p) && !this.asked.has(p));
    for (const p of wanted) this.asked.add(p);
    return wanted;
  }

  /** Stores a page answered for `generation` (ignored when the query changed since). */
  put(generation: number, page: number, rows: T[]): boolean {
    if (generation !== this.generation) return false;
    this.pages.set(page, rows);
    return true;
  }

  /** A failed request may be asked again. */
  forget(generation: number, page: number): void {
    if (generation === this.generation) this.asked.delete(page);
  }
}

/** The selected row after a navigation key; -1 (nothing) stays -1 only for an empty list. */
export function moveSelection(current: number, action: FailuresAction, total: number, rowsPerPage: number): number {
  if (total <= 0) return -1;
  const step = Math.max(1, rowsPerPage - 1);
  const from = current < 0 ? -1 : Math.min(current, total - 1);
  switch (action) {
    case 'down':
      return Math.min(total - 1, from + 1);
    case 'up':
      return Math.max(0, from - 1);
    case 'pageDown':
      return Math.min(total - 1, Math.max(0, from) + step);
    case 'pageUp':
      return Math.max(0, from - step);
    case 'first':
      return 0;
    case 'last':
      return total - 1;
    default:
      return Math.max(0, from);
  }
}

/** The scrollTop that shows row `index` whole, moving as little as possible. */
export function scrollToShow(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const top = index * rowHeight;
  if (top < scrollTop) return top;
  const bottom = top + rowHeight;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}
