// The windowed list fetches rows a page at a time, by offset, as they scroll into view.

export const PAGE_SIZE = 100;

/** How close (in rows) the view may come to a page's end before the next page is fetched. */
export const LOOKAHEAD_ROWS = 30;

export function pageOf(index: number, pageSize = PAGE_SIZE): number {
  return Math.floor(index / pageSize);
}

/**
 * The pages holding rows first..last (inclusive), plus the next or previous
 * page when the view is within `lookahead` rows of it, never past `total`.
 * Page 0 is always included: it carries the total for the whole filter.
 */
export function pagesForRange(first: number, last: number, total: number, pageSize = PAGE_SIZE, lookahead = LOOKAHEAD_ROWS): number[] {
  const pages = new Set<number>([0]);
  if (total <= 0 || last < first) return [0];
  const lastRow = total - 1;
  const from = Math.max(0, Math.min(first - lookahead, lastRow));
  const to = Math.max(0, Math.min(last + lookahead, lastRow));
  for (let page = pageOf(from, pageSize); page <= pageOf(to, pageSize); page++) pages.add(page);
  return [...pages].sort((a, b) => a - b);
}

/** The row at `index` from whichever loaded page holds it, or undefined while that page loads. */
export function rowAt<T>(pages: ReadonlyMap<number, readonly T[]>, index: number, pageSize = PAGE_SIZE): T | undefined {
  return pages.get(pageOf(index, pageSize))?.[index % pageSize];
}

/** The rows to render (inclusive): those in view plus `overscan` on each side; empty (last < first) for no rows. */
export interface RowWindow {
  first: number;
  last: number;
}

/** `scrollTop` and `viewport` are measured over the rows alone (below the sticky header). */
export function rowWindow(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan: number): RowWindow {
  if (count <= 0) return { first: 0, last: -1 };
  const top = Math.max(0, scrollTop);
  const first = Math.max(0, Math.floor(top / rowHeight) - overscan);
  const last = Math.min(count - 1, Math.ceil((top + Math.max(0, viewport)) / rowHeight) - 1 + overscan);
  return { first: Math.min(first, count - 1), last };
}

/** The scroll position that brings row `index` fully into view, moving as little as possible. */
export function scrollTopToShow(index: number, rowHeight: number, scrollTop: number, viewport: number): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewport) return Math.max(0, rowBottom - viewport);
  return scrollTop;
}
