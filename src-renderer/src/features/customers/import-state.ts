import type { ImportResult } from '@shared/contract/customers';
import { assignColumn, completeMapping, missingRequired, sameMapping, type ColumnTarget, type ImportMapping } from './import-mapping';

/** The import screen: a file, how its columns map, the last check (a dry run) and the import's result. */
export interface ImportState {
  file: { name: string; text: string } | null;
  headers: string[];
  mapping: ImportMapping;
  /** The last dry run, and the mapping it ran with: it is only valid for that mapping. */
  check: ImportResult | null;
  checkedMapping: ImportMapping | null;
  result: ImportResult | null;
}

export type ImportAction =
  | { type: 'fileChosen'; name: string; text: string }
  | { type: 'columnMapped'; header: string; target: ColumnTarget }
  | { type: 'checked'; result: ImportResult }
  | { type: 'imported'; result: ImportResult }
  | { type: 'reset' };

export const INITIAL_IMPORT: ImportState = { file: null, headers: [], mapping: {}, check: null, checkedMapping: null, result: null };

export function importReducer(state: ImportState, action: ImportAction): ImportState {
  switch (action.type) {
    case 'fileChosen':
      return { ...INITIAL_IMPORT, file: { name: action.name, text: action.text } };
    case 'columnMapped':
      return { ...state, mapping: assignColumn(state.mapping, action.header, action.target) };
    case 'checked': {
      // The first check of a file also tells us its headers and main's guess at the mapping.
      const firstCheck = state.headers.length === 0;
      const headers = firstCheck ? action.result.headers : state.headers;
      const checkedMapping = completeMapping(headers, action.result.mapping);
      return { ...state, headers, mapping: firstCheck ? checkedMapping : state.mapping, check: action.result, checkedMapping };
    }
    case 'imported':
      return { ...state, result: action.result };
    case 'reset':
      return INITIAL_IMPORT;
  }
}

export type ImportStep = 'choose' | 'map' | 'done';

export function importStep(state: ImportState): ImportStep {
  if (state.result) return 'done';
  return state.file && state.headers.length > 0 ? 'map' : 'choose';
}

/** The check on screen still describes what an import would do (the columns were not changed since). */
export function checkIsCurrent(state: ImportState): boolean {
  return state.check !== null && sameMapping(state.checkedMapping, state.mapping);
}

/** How many customers "Import" would create now, or 0 when the file must be checked (again) first. */
export function importableCount(state: ImportState): number {
  if (!checkIsCurrent(state) || missingRequired(state.mapping).length > 0) return 0;
  return state.check?.created ?? 0;
}
