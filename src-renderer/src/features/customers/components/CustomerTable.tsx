import { useMergedRef } from '@mantine/hooks';
import { useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent, type Ref } from 'react';
import { useNavigate } from 'react-router';
import type { Customer } from '@shared/domain/customers';
import { useCustomerLaterPages } from '../api/use-customer-later-pages';
import type { ListFilter, ListSort } from '../list-filter';
import { pagesForRange, rowAt, scrollTopToShow } from '../list-window';
import { isAllMatching, isSelected, selectedCount } from '../selection';
import { useCustomerList } from '../stores/customer-list-store';
import { useRowWindow } from '../use-row-window';
import { useRiskScores } from '../api/use-risk-scores';
import { CustomerRow, rowDomId } from './CustomerRow';
import classes from './CustomerTable.module.css';
import { CustomerTableHeader } from './CustomerTableHeader';

const ROW_HEIGHT = 42;
const HEADER_HEIGHT = 40;
/** Room under the last row for the floating selection bar. */
const ACTION_BAR_ROOM = 88;

interface CustomerTableProps {
  /** The grid element, for the search box to move focus into it. */
  gridRef: Ref<HTMLDivElement>;
  filter: ListFilter;
  sort: ListSort;
  firstPage: Customer[];
  total: number;
  /** Showing the previous filter's rows while the new ones load. */
  stale: boolean;
}

/**
 * The windowed list: only the rows in view exist in the page, each page of
 * 100 rows is fetched as it comes into view. Keyboard: arrows, Page Up/Down,
 * Home/End move; Enter opens; Space selects.
 */
export function CustomerTable({ gridRef, filter, sort, firstPage, total, stale }: CustomerTableProps) {
  const navigate = useNavigate();
  const scrollRef = useRef<HTMLDivElement>(null);
  const ref = useMergedRef(scrollRef, gridRef);
  const selection = useCustomerList((s) => s.selection);
  const { sortBy, selectAllMatching, clearSelection } = useCustomerList.getState();
  const [activeIndex, setActiveIndex] = useState(-1);
  const [keyboard, setKeyboard] = useState(false);
  const barOpen = selectedCount(selection, total) > 0;

  // A new filter or sort is a new list, shown from its top (below). Until the scroll box is there,
  // useRowWindow asks for no rows of it: not the new list's pages at the old offset, which would
  // queue on main ahead of its first page (a search from the middle of 100,000 rows asked for pages 499 and 500).
  const listKey = JSON.stringify([filter, sort]);
  const { range, fetchRange, measure, restart } = useRowWindow(scrollRef, {
    count: total,
    rowHeight: ROW_HEIGHT,
    headerHeight: HEADER_HEIGHT,
    overscan: 8,
    listKey,
  });
  const indexes: number[] = [];
  for (let i = range.first; i <= range.last; i++) indexes.push(i);
  const pages = pagesForRange(fetchRange.first, fetchRange.last, total);
  const later = useCustomerLaterPages(filter, sort, pages);
  const loaded = new Map(later).set(0, firstPage);
  const customerAt = (index: number) => rowAt(loaded, index);
  const risk = useRiskScores(loaded);

  // Back from a customer's page the list opens where it was left: saved when leaving, not on every scroll event.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    const saved = useCustomerList.getState().scrollOffset;
    if (el && saved > 0) el.scrollTop = saved;
    return () => {
      if (el) useCustomerList.getState().setScrollOffset(el.scrollTop);
    };
  }, []);

  /** The rows' own viewport: the box less the sticky header and the selection bar. */
  const rowsViewport = () => (scrollRef.current?.clientHeight ?? 0) - HEADER_HEIGHT - (barOpen ? ACTION_BAR_ROOM : 0);

  // A new filter or sort is a new list: start at its top, measured at once so the first paint shows it.
  const placedKey = useRef(listKey);
  useLayoutEffect(() => {
    if (placedKey.current === listKey) return;
    placedKey.current = listKey;
    if (scrollRef.current) scrollRef.current.scrollTop = 0;
    restart();
    setActiveIndex(-1);
  }, [listKey, restart]);

  const open = useCallback((customer: Customer) => void navigate(`/customers/${customer.id}`), [navigate]);
  const onOpen = useCallback(
    (customer: Customer, index: number) => {
      setActiveIndex(index);
      open(customer);
    },
    [open],
  );

  // The toggle handler stays the same function (rows are memoized) and reads the rows loaded at the last render.
  const shown = useRef({ loaded, indexes });
  useLayoutEffect(() => {
    shown.current = { loaded, indexes };
  });
  const onToggle = useCallback((customer: Customer, index: number, extend: boolean) => {
    const { loaded: rows } = shown.current;
    const state = useCustomerList.getState();
    setActiveIndex(index);
    if (extend && state.anchorIndex !== null) {
      state.selectRange(index, loadedIdsBetween(rows, state.anchorIndex, index));
      return;
    }
    state.toggleRow(customer.id, index);
  }, []);

  const moveTo = (index: number) => {
    const next = Math.max(0, Math.min(total - 1, index));
    const el = scrollRef.current;
    setActiveIndex(next);
    if (el) el.scrollTop = scrollTopToShow(next, ROW_HEIGHT, el.scrollTop, rowsViewport());
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || total === 0) return;
    const pageRows = Math.max(1, Math.floor(rowsViewport() / ROW_HEIGHT) - 1);
    const current = activeIndex < 0 ? firstInView() - 1 : activeIndex;
    const keys: Record<string, () => void> = {
      ArrowDown: () => moveTo(current + 1),
      ArrowUp: () => moveTo(current - 1),
      PageDown: () => moveTo(current + pageRows),
      PageUp: () => moveTo(current - pageRows),
      Home: () => moveTo(0),
      End: () => moveTo(total - 1),
      Enter: () => {
        const customer = customerAt(activeIndex);
        if (customer) open(customer);
      },
      ' ': () => {
        const customer = customerAt(activeIndex);
        if (customer) onToggle(customer, activeIndex, event.shiftKey);
      },
      Escape: clearSelection,
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    setKeyboard(true);
    action();
  };

  const onScroll = () => {
    measure();
    // Set on the element, not in state: a vertical scroll must not re-render the list for this.
    const el = scrollRef.current;
    if (el) el.toggleAttribute('data-side-scrolled', el.scrollLeft > 0);
  };

  const firstInView = () => Math.min(total - 1, Math.ceil((scrollRef.current?.scrollTop ?? 0) / ROW_HEIGHT));

  const selectState = isAllMatching(selection) ? 'all' : selectedCount(selection, total) > 0 ? 'some' : 'none';
  const activeCustomer = activeIndex >= 0 ? customerAt(activeIndex) : undefined;

  return (
    <div
      ref={ref}
      role="grid"
      aria-label="Customers"
      aria-rowcount={total + 1}
      aria-multiselectable
      aria-activedescendant={activeCustomer ? rowDomId(activeIndex) : undefined}
      tabIndex={0}
      className={stale ? `${classes.scroller} ${classes.stale}` : classes.scroller}
      data-keyboard={keyboard || undefined}
      data-testid="customer-list"
      onKeyDown={onKeyDown}
      onMouseDown={() => setKeyboard(false)}
      onScroll={onScroll}
      onFocus={(event) => {
        if (event.target === event.currentTarget && activeIndex < 0 && total > 0) setActiveIndex(firstInView());
      }}
    >
      <div className={classes.canvas}>
        <CustomerTableHeader
          sort={sort}
          onSort={sortBy}
          selectState={selectState}
          total={total}
          onSelectAll={selectState === 'none' ? selectAllMatching : clearSelection}
        />
        <div role="rowgroup" className={classes.rows} style={{ height: total * ROW_HEIGHT + (barOpen ? ACTION_BAR_ROOM : 0) }}>
          {indexes.map((index) => {
            const customer = customerAt(index);
            return (
              <CustomerRow
                // keyed by slot, not by row: a row scrolling in reuses the DOM of the one scrolling out
                key={index % indexes.length}
                index={index}
                customer={customer}
                top={index * ROW_HEIGHT}
                selected={customer ? isSelected(selection, customer.id) : false}
                active={index === activeIndex}
                onOpen={onOpen}
                onToggle={onToggle}
                risk={customer ? risk.byId.get(customer.id) : undefined}
                riskReady={risk.failed ? false : customer && risk.loaded.has(customer.id) ? risk.ready : undefined}
                riskReason={risk.failed ? 'Could not load the churn risk.' : risk.reason}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

function loadedIdsBetween(pages: ReadonlyMap<number, Customer[]>, from: number, to: number): string[] {
  const ids: string[] = [];
  for (let i = Math.min(from, to); i <= Math.max(from, to); i++) {
    const customer = rowAt(pages, i);
    if (customer) ids.push(customer.id);
  }
  return ids;
}
