import { beforeEach, describe, expect, it } from 'vitest';
import { ALL_MATCHING, bulkTarget, isAllMatching, isSelected, NOTHING_SELECTED, selectedCount, selectRange, toggleRow } from '../../src-renderer/src/features/customers/selection';
import { useCustomerList } from '../../src-renderer/src/features/customers/stores/customer-list-store';

describe('selection', () => {
  it('ticks and unticks rows by id', () => {
    const one = toggleRow(NOTHING_SELECTED, 'a');
    const two = toggleRow(one, 'b');
    expect(selectedCount(two, 100)).toBe(2);
    expect(isSelected(toggleRow(two, 'a'), 'a')).toBe(false);
  });

  it('"all matching" counts the total and sends the filter, not ids', () => {
    const all = ALL_MATCHING;
    expect(selectedCount(all, 100_000)).toBe(100_000);
    expect(isSelected(all, 'anyone')).toBe(true);
    expect(bulkTarget(all, { search: 'acme', tag: 'vip' })).toEqual({ filter: { search: 'acme', tag: 'vip' } });
    expect(bulkTarget(toggleRow(NOTHING_SELECTED, 'a'), { search: 'acme' })).toEqual({ ids: ['a'] });
  });

  it('unticking rows of "all matching" keeps everyone else matching, and sends those rows as exceptions', () => {
    const next = toggleRow(toggleRow(ALL_MATCHING, 'b'), 'c');
    expect(selectedCount(next, 100_000)).toBe(99_998);
    expect(isSelected(next, 'b')).toBe(false);
    expect(isSelected(next, 'zz')).toBe(true);
    expect(isAllMatching(next)).toBe(false);
    expect(bulkTarget(next, { search: 'acme' })).toEqual({ filter: { search: 'acme' }, except: ['b', 'c'] });
    // Ticked again, or shift-clicked over, an exception is selected once more.
    expect(isAllMatching(selectRange(toggleRow(next, 'b'), ['c']))).toBe(true);
  });

  it('shift-click adds the rows between to what was ticked', () => {
    const next = selectRange(toggleRow(NOTHING_SELECTED, 'x'), ['a', 'b', 'c']);
    expect(selectedCount(next, 10)).toBe(4);
  });
});

describe('the customer list store', () => {
  beforeEach(() => {
    useCustomerList.setState({ businessId: null });
    useCustomerList.getState().forBusiness('biz-1');
  });

  it('a new filter drops the selection and the scroll position; a new sort keeps the selection', () => {
    const list = useCustomerList.getState();
    list.toggleRow('a', 0);
    list.setScrollOffset(4200);
    list.sortBy('email');
    expect(selectedCount(useCustomerList.getState().selection, 10)).toBe(1);
    expect(useCustomerList.getState().scrollOffset).toBe(0);
    list.setFilter({ status: 'inactive' });
    expect(selectedCount(useCustomerList.getState().selection, 10)).toBe(0);
  });

  it('applies a typed search only if the box still says it (not after it was cleared or typed on)', () => {
    const list = useCustomerList.getState();
    list.typeSearch('smi');
    list.typeSearch('smith');
    list.commitSearch('smi'); // the late timer of an earlier keystroke
    expect(useCustomerList.getState().filter.search).toBe('');
    list.commitSearch('smith');
    expect(useCustomerList.getState().filter.search).toBe('smith');
    list.clearFilters();
    expect(useCustomerList.getState().searchText).toBe('');
  });

  it('starts afresh for another business', () => {
    const list = useCustomerList.getState();
    list.setFilter({ tag: 'vip' });
    list.forBusiness('biz-1');
    expect(useCustomerList.getState().filter.tag).toBe('vip');
    list.forBusiness('biz-2');
    expect(useCustomerList.getState().filter).toEqual({ search: '' });
  });
});
