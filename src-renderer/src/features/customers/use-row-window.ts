import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from 'react';
import { nextRowWindow, type RowWindow } from './list-window';

interface RowWindowOptions {
  count: number;
  rowHeight: number;
  /** Height of the sticky header inside the scroll box, which hides the rows under it. */
  headerHeight: number;
  overscan: number;
  /** Names the list (its filter and sort): rows to fetch are only ever those measured for this list. */
  listKey: string;
}

/** Faster than this (px per ms: three screens a second) is a fling or a scrollbar drag, not reading. */
const FLING_PX_PER_MS = 3;
/** How long the scroll must stay slow before the rows passed over are fetched. */
const SETTLE_MS = 90;

const NO_ROWS: RowWindow = { first: 0, last: -1 };
const sameWindow = (a: RowWindow, b: RowWindow) => a.first === b.first && a.last === b.last;

/**
 * Windowing by hand for fixed-height rows: which rows the scroll box shows
 * (`range`, re-rendered only when it changes, not on every scroll event), and
 * which rows are worth fetching (`fetchRange`: it waits while the list is
 * flung, so a fast pass over 100,000 rows does not request every page on the way).
 */
export function useRowWindow(scrollRef: RefObject<HTMLElement | null>, { count, rowHeight, headerHeight, overscan, listKey }: RowWindowOptions) {
  const [range, setRange] = useState<RowWindow>({ first: 0, last: -1 });
  const [fetched, setFetchRange] = useState<RowWindow & { listKey: string }>({ first: 0, last: -1, listKey });
  const last = useRef({ top: 0, at: 0 });
  const shown = useRef(range);
  const settle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const update = useCallback(
    (restart: boolean) => {
      const el = scrollRef.current;
      if (!el) return;
      const now = performance.now();
      const moved = restart ? 0 : el.scrollTop - last.current.top;
      const speed = Math.abs(moved) / Math.max(1, now - last.current.at);
      last.current = { top: el.scrollTop, at: now };
      // The window moves in steps (see nextRowWindow): a state update, and a render, only when it does.
      const next = nextRowWindow(shown.current, el.scrollTop, el.clientHeight - headerHeight, rowHeight, count, overscan, Math.sign(moved));
      if (!sameWindow(shown.current, next)) {
        shown.current = next;
        setRange(next);
      }

      clearTimeout(settle.current);
      const wanted = shown.current;
      const fetchNext = () => setFetchRange((prev) => (sameWindow(prev, wanted) && prev.listKey === listKey ? prev : { ...wanted, listKey }));
      if (speed < FLING_PX_PER_MS) fetchNext();
      else settle.current = setTimeout(fetchNext, SETTLE_MS);
    },
    [scrollRef, count, rowHeight, headerHeight, overscan, listKey],
  );
  /** After a scroll or a resize: a fling waits to fetch until it slows down. */
  const measure = useCallback(() => update(false), [update]);
  /** A new list placed by the code (back to its top): its rows are fetched at once, not after a fling's wait. */
  const restart = useCallback(() => update(true), [update]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el) return;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    // a first measure without waiting for the observer (jsdom has none)
    const frame = requestAnimationFrame(measure);
    return () => {
      observer.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [scrollRef, measure]);

  useEffect(() => () => clearTimeout(settle.current), []);

  // Another list's rows (measured at the old list's place) are not this list's: none until it is measured.
  const fetchRange: RowWindow = fetched.listKey === listKey ? fetched : NO_ROWS;
  return { range, fetchRange, measure, restart };
}
