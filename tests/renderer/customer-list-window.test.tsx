import { describe, expect, it } from 'vitest';
import { isFiltered, listPageInput, nextSort, toContractFilter } from '../../src-renderer/src/features/customers/list-filter';
import { nextRowWindow, pagesForRange, rowAt, rowWindow, scrollTopToShow, WINDOW_MARGIN, WINDOW_STEP } from '../../src-renderer/src/features/customers/list-window';

describe('the windowed list: which pages to fetch', () => {
  it('always includes page 0, which carries the total', () => {
    expect(pagesForRange(0, 20, 100_000)).toEqual([0]);
    expect(pagesForRange(5040, 5060, 100_000)).toEqual([0, 50]);
  });

  it('fetches the next page when the view comes within the lookahead of its start', () => {
    expect(pagesForRange(60, 69, 100_000, 100, 30)).toEqual([0]);
    expect(pagesForRange(60, 71, 100_000, 100, 30)).toEqual([0, 1]);
    expect(pagesForRange(130, 140, 100_000, 100, 30)).toEqual([0, 1]);
  });

  it('fetches the previous page when scrolling back up near its end', () => {
    expect(pagesForRange(5025, 5040, 100_000, 100, 30)).toEqual([0, 49, 50]);
  });

  it('never asks past the last row, and asks page 0 alone for an empty list', () => {
    expect(pagesForRange(99_980, 99_999, 100_000)).toEqual([0, 999]);
    expect(pagesForRange(0, -1, 0)).toEqual([0]);
    expect(pagesForRange(0, 12, 5)).toEqual([0]);
  });

  it('finds a row in whichever loaded page holds it', () => {
    const pages = new Map([
      [0, ['a0', 'a1']],
      [3, ['d0', 'd1']],
    ]);
    expect(rowAt(pages, 1, 2)).toBe('a1');
    expect(rowAt(pages, 7, 2)).toBe('d1');
    expect(rowAt(pages, 4, 2)).toBeUndefined();
  });
});

describe('the windowed list: which rows to render', () => {
  it('renders the rows in view plus the overscan on each side, within the list', () => {
    // 10 rows fit, 11 show when the offset is not a row boundary: 11 + 1 + 2 x 5 rows in the window
    expect(rowWindow(0, 420, 42, 100_000, 5)).toEqual({ first: 0, last: 21 });
    expect(rowWindow(4200, 420, 42, 100_000, 5)).toEqual({ first: 95, last: 116 });
    expect(rowWindow(4_199_580, 420, 42, 100_000, 5)).toEqual({ first: 99_978, last: 99_999 });
  });

  it('keeps the same number of rows at every offset (rows are keyed by slot) and always covers the rows in view', () => {
    const lengths = new Set<number>();
    for (let top = 0; top <= 4_199_580; top += top < 5000 ? 1 : 997) {
      const { first, last } = rowWindow(top, 420, 42, 100_000, 5);
      lengths.add(last - first + 1);
      expect(first).toBeLessThanOrEqual(Math.floor(top / 42));
      expect(last).toBeGreaterThanOrEqual(Math.min(99_999, Math.ceil((top + 420) / 42) - 1));
    }
    expect([...lengths]).toEqual([22]);
  });

  it('keeps the window while it covers the view with a margin, then moves it ahead of the scroll a few rows at a time', () => {
    const start = rowWindow(0, 420, 42, 100_000, 5);
    let window = start;
    const moves: number[] = [];
    const shifts = new Set<number>();
    for (let top = 1; top <= 42 * 200; top += 40) {
      const next = nextRowWindow(window, top, 420, 42, 100_000, 5, 1);
      if (next !== window) {
        moves.push(top);
        if (moves.length > 1) shifts.add(next.first - window.first);
      }
      window = next;
      // the rows in view are always rendered, and the window keeps its length (slot keys stay put)
      expect(window.first).toBeLessThanOrEqual(Math.floor(top / 42));
      expect(window.last).toBeGreaterThanOrEqual(Math.ceil((top + 420) / 42) - 1 + WINDOW_MARGIN - 1);
      expect(window.last - window.first).toBe(start.last - start.first);
    }
    // 200 rows scrolled at reading speed: the window moved once every WINDOW_STEP rows, by that many
    // rows (few rows re-rendered in any one frame), not on every frame
    expect(moves.length).toBeGreaterThan(200 / WINDOW_STEP - 5);
    expect(moves.length).toBeLessThan(200 / WINDOW_STEP + 5);
    expect([...shifts]).toEqual([WINDOW_STEP]);
    // Scrolling up lays the spare rows above the view.
    const up = nextRowWindow({ first: 500, last: 521 }, 490 * 42, 420, 42, 100_000, 5, -1);
    expect(up).toEqual({ first: 480, last: 499 + WINDOW_MARGIN });
    // A list that shrank under the window gets a new one within it.
    expect(nextRowWindow({ first: 60, last: 81 }, 0, 420, 42, 50, 5, 0)).toEqual({ first: 0, last: 21 });
  });

  it('renders nothing for an empty list and survives an unmeasured (zero-height) box', () => {
    expect(rowWindow(0, 420, 42, 0, 5)).toEqual({ first: 0, last: -1 });
    expect(rowWindow(0, -40, 42, 3, 5)).toEqual({ first: 0, last: 2 });
  });

  it('scrolls as little as possible to bring a row fully into view', () => {
    expect(scrollTopToShow(5, 42, 0, 420)).toBe(0); // already visible
    expect(scrollTopToShow(10, 42, 0, 420)).toBe(42); // just below: its bottom lines up with the view's
    expect(scrollTopToShow(3, 42, 420, 420)).toBe(126); // above: its top lines up
  });
});

describe('the list query', () => {
  it('sends only the keys that narrow the list, and asks the count on the first page only', () => {
    const filter = { search: '  acme ', status: 'active' as const, segment: undefined, tag: '', hasActiveSubscription: false };
    expect(listPageInput(filter, { column: 'name', direction: 'asc' }, 0)).toEqual({
      search: 'acme',
      status: 'active',
      hasActiveSubscription: false,
      sort: 'name',
      direction: 'asc',
      offset: 0,
      limit: 100,
      withTotal: true,
    });
    expect(listPageInput(filter, { column: 'email', direction: 'desc' }, 7)).toMatchObject({ offset: 700, withTotal: false, sort: 'email' });
  });

  it('knows when anything narrows the list', () => {
    expect(isFiltered({ search: '   ' })).toBe(false);
    expect(isFiltered({ search: '', hasUnpaidInvoices: false })).toBe(true);
    expect(toContractFilter({ search: 'x', status: undefined })).toEqual({ search: 'x' });
  });

  it('sorts a new column ascending (dates newest first) and flips the same column', () => {
    expect(nextSort({ column: 'name', direction: 'asc' }, 'name')).toEqual({ column: 'name', direction: 'desc' });
    expect(nextSort({ column: 'name', direction: 'desc' }, 'email')).toEqual({ column: 'email', direction: 'asc' });
    expect(nextSort({ column: 'name', direction: 'asc' }, 'createdAt')).toEqual({ column: 'createdAt', direction: 'desc' });
  });
});
