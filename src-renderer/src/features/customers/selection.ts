import type { CustomerFilter } from '../../../../src-shared/domain/customers';

/** Picked rows by id, or everyone matching the current filter (bulk calls then send the filter). */
export type Selection = { kind: 'ids'; ids: ReadonlySet<string> } | { kind: 'all' };

export const NOTHING_SELECTED: Selection = { kind: 'ids', ids: new Set() };

export function isSelected(selection: Selection, id: string): boolean {
  return selection.kind === 'all' || selection.ids.has(id);
}

export function selectedCount(selection: Selection, total: number): number {
  return selection.kind === 'all' ? total : selection.ids.size;
}

/**
 * Ticks or unticks one row. Unticking a row while "all matching" is selected
 * keeps the rows already on screen (`loadedIds`) minus that one, as a mail
 * client does: the contract cannot express "the filter except these".
 */
export function toggleRow(selection: Selection, id: string, loadedIds: readonly string[]): Selection {
  if (selection.kind === 'all') return { kind: 'ids', ids: new Set(loadedIds.filter((other) => other !== id)) };
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { kind: 'ids', ids };
}

/** Shift-click: ticks every loaded row between the last clicked one and this one. */
export function selectRange(selection: Selection, rangeIds: readonly string[]): Selection {
  if (selection.kind === 'all') return selection;
  return { kind: 'ids', ids: new Set([...selection.ids, ...rangeIds]) };
}

/** Who a bulk action or an export applies to, as the contract takes it. */
export function bulkTarget(selection: Selection, filter: CustomerFilter): { ids: string[] } | { filter: CustomerFilter } {
  return selection.kind === 'all' ? { filter } : { ids: [...selection.ids] };
}
