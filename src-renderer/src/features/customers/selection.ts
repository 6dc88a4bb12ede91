import type { CustomerFilter } from '@shared/domain/customers';

/**
 * Picked rows by id, or everyone matching the current filter but the rows
 * unticked since (bulk calls then send the filter and those exceptions).
 */
export type Selection = { kind: 'ids'; ids: ReadonlySet<string> } | { kind: 'all'; except: ReadonlySet<string> };

export const NOTHING_SELECTED: Selection = { kind: 'ids', ids: new Set() };
export const ALL_MATCHING: Selection = { kind: 'all', except: new Set() };

export function isSelected(selection: Selection, id: string): boolean {
  return selection.kind === 'all' ? !selection.except.has(id) : selection.ids.has(id);
}

export function selectedCount(selection: Selection, total: number): number {
  return selection.kind === 'all' ? Math.max(0, total - selection.except.size) : selection.ids.size;
}

/** Everyone matching, with no row unticked. */
export function isAllMatching(selection: Selection): boolean {
  return selection.kind === 'all' && selection.except.size === 0;
}

function toggled(set: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(set);
  if (next.has(id)) next.delete(id);
  else next.add(id);
  return next;
}

/** Ticks or unticks one row; under "all matching", unticking makes an exception. */
export function toggleRow(selection: Selection, id: string): Selection {
  return selection.kind === 'all' ? { kind: 'all', except: toggled(selection.except, id) } : { kind: 'ids', ids: toggled(selection.ids, id) };
}

/** Shift-click: ticks every loaded row between the last clicked one and this one. */
export function selectRange(selection: Selection, rangeIds: readonly string[]): Selection {
  if (selection.kind === 'all') return { kind: 'all', except: new Set([...selection.except].filter((id) => !rangeIds.includes(id))) };
  return { kind: 'ids', ids: new Set([...selection.ids, ...rangeIds]) };
}

export type BulkTarget = { ids: string[] } | { filter: CustomerFilter; except?: string[] };

/** Who a bulk action or an export applies to, as the contract takes it. */
export function bulkTarget(selection: Selection, filter: CustomerFilter): BulkTarget {
  if (selection.kind === 'ids') return { ids: [...selection.ids] };
  return selection.except.size > 0 ? { filter, except: [...selection.except] } : { filter };
}
