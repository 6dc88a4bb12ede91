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

/**
 * `scrollTop` and `viewport` are measured over the rows alone (below the sticky header).
 * The window always holds the same number of rows for a given viewport (the most it can
 * show, plus `overscan` on each side; fewer only when the list is shorter): rows are keyed by
 * slot (index modulo that number), so a window whose length flickered by one row as the offset
 * crossed a row boundary would re-key, re-render and move every row, every few frames.
 */
export function rowWindow(scrollTop: number, viewport: number, rowHeight: number, count: number, overscan: number): RowWindow {
  if (count <= 0) return { first: 0, last: -1 };
  const slots = Math.min(count, Math.floor(Math.max(0, viewport) / rowHeight) + 2 + 2 * overscan);
  const first = Math.min(Math.max(0, Math.floor(Math.max(0, scrollTop) / rowHeight) - overscan), count - slots);
  return { first, last: first + slots - 1 };
}

/** Rows kept rendered beyond the view on the side it moves to, before the window moves on. */
export const WINDOW_MARGIN = 2;

/**
 * How many rows the window moves at a time as the list scrolls. Small steps: each step re-renders,
 * lays out and paints that many rows in one frame, so moving all the spare rows at once (15 at this
 * list's overscan) made one frame in every 15 rows three times as long as the others; 4 rows spread
 * the same work over the frames, and the rows ahead of the scroll stay nearly all rendered.
 */
export const WINDOW_STEP = 4;

/**
 * The window after a scroll: the same window while it still covers the rows in view with
 * `WINDOW_MARGIN` rows to spare and lies within `WINDOW_STEP` rows of where it should be, so most
 * scrolled frames change no row at all (the browser only moves the layer); else a new one of the
 * same length, its overscan laid ahead of the scroll's `direction` (1 down, -1 up, 0 centred).
 */
export function nextRowWindow(prev: RowWindow, scrollTop: number, viewport: number, rowHeight: number, count: number, overscan: number, direction: number): RowWindow {
  const fresh = rowWindow(scrollTop, viewport, rowHeight, count, overscan);
  if (fresh.last < fresh.first) return fresh;
  const slots = fresh.last - fresh.first + 1;
  const top = Math.max(0, scrollTop);
  const inView = { first: Math.min(count - 1, Math.floor(top / rowHeight)), last: Math.min(count - 1, Math.ceil((top + Math.max(0, viewport)) / rowHeight) - 1) };
  const covered =
    prev.last - prev.first + 1 === slots &&
    prev.last <= count - 1 &&
    prev.first <= Math.max(0, inView.first - WINDOW_MARGIN) &&
    prev.last >= Math.min(count - 1, inView.last + WINDOW_MARGIN);
  if (direction === 0) return covered ? prev : fresh;
  const spare = slots - (inView.last - inView.first + 1);
  const behind = direction > 0 ? Math.min(WINDOW_MARGIN, spare) : Math.max(0, spare - WINDOW_MARGIN);
  const first = Math.max(0, Math.min(inView.first - behind, count - slots));
  if (covered && Math.abs(first - prev.first) < WINDOW_STEP) return prev;
  return { first, last: first + slots - 1 };
}

/** The scroll position that brings row `index` fully into view, moving as little as possible. */
export function scrollTopToShow(index: number, rowHeight: number, scrollTop: number, viewport: number): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewport) return Math.max(0, rowBottom - viewport);
  return scrollTop;
}
