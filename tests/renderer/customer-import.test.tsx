import { describe, expect, it } from 'vitest';
import type { ImportResult } from '@shared/contract/customers';
import { columnExamples, previewCsv } from '../../src-renderer/src/features/customers/csv-preview';
import { assignColumn, completeMapping, missingRequired } from '../../src-renderer/src/features/customers/import-mapping';
import { checkIsCurrent, importableCount, importReducer, importStep, INITIAL_IMPORT } from '../../src-renderer/src/features/customers/import-state';

const CSV = 'Who,Contact,Notes\r\nAnn,ann@example.com,"likes ""tea"", mornings"\r\nBob,bob@example.com,\r\n';

const dryRun = (mapping: ImportResult['mapping'], created = 2, errors: ImportResult['errors'] = []): ImportResult => ({
  headers: ['Who', 'Contact', 'Notes'],
  mapping,
  rows: 2,
  created,
  skipped: 2 - created,
  dryRun: true,
  errors,
});

describe('column mapping', () => {
  it('gives each field one column: mapping a second column to email unmaps the first', () => {
    const mapping = { Email: 'email', 'E-mail 2': 'ignore', Name: 'name' } as const;
    expect(assignColumn(mapping, 'E-mail 2', 'email')).toEqual({ Email: 'ignore', 'E-mail 2': 'email', Name: 'name' });
    expect(assignColumn(mapping, 'Name', 'ignore')).toEqual({ Email: 'email', 'E-mail 2': 'ignore', Name: 'ignore' });
  });

  it('fills in the headers main did not guess, and names the required fields still missing', () => {
    const mapping = completeMapping(['Who', 'Contact', 'Notes'], { Contact: 'email' });
    expect(mapping).toEqual({ Who: 'ignore', Contact: 'email', Notes: 'ignore' });
    expect(missingRequired(mapping)).toEqual(['name']);
  });
});

describe('the import steps', () => {
  it('goes file → mapping (from the first dry run) → stale after a change → checked again → done', () => {
    let state = importReducer(INITIAL_IMPORT, { type: 'fileChosen', name: 'clients.csv', text: CSV });
    expect(importStep(state)).toBe('choose');

    state = importReducer(state, { type: 'checked', result: dryRun({ Contact: 'email' }, 0, [{ line: 1, field: 'name', message: 'No column is mapped to name' }]) });
    expect(importStep(state)).toBe('map');
    expect(state.mapping).toEqual({ Who: 'ignore', Contact: 'email', Notes: 'ignore' });
    expect(checkIsCurrent(state)).toBe(true);
    expect(importableCount(state)).toBe(0);

    state = importReducer(state, { type: 'columnMapped', header: 'Who', target: 'name' });
    expect(checkIsCurrent(state)).toBe(false);
    expect(importableCount(state)).toBe(0); // the last check no longer describes the import

    state = importReducer(state, { type: 'checked', result: dryRun({ Who: 'name', Contact: 'email', Notes: 'ignore' }) });
    expect(state.mapping).toEqual({ Who: 'name', Contact: 'email', Notes: 'ignore' }); // a later check keeps the person's mapping
    expect(importableCount(state)).toBe(2);

    state = importReducer(state, { type: 'imported', result: { ...dryRun(state.mapping), dryRun: false } });
    expect(importStep(state)).toBe('done');
    expect(importStep(importReducer(state, { type: 'reset' }))).toBe('choose');
  });
});

describe('the CSV preview', () => {
  it('reads quoted cells, doubled quotes, CRLF and a BOM', () => {
    expect(previewCsv(`\uFEFF${CSV}`, 5)).toEqual([
      ['Who', 'Contact', 'Notes'],
      ['Ann', 'ann@example.com', 'likes "tea", mornings'],
      ['Bob', 'bob@example.com', ''],
    ]);
    expect(previewCsv('a,b\n1,2', 5)).toEqual([['a', 'b'], ['1', '2']]);
  });

  it('gives a few non-empty example values per column', () => {
    expect(columnExamples(CSV)).toEqual([['Ann', 'Bob'], ['ann@example.com', 'bob@example.com'], ['likes "tea", mornings']]);
  });
});
